//! The SIM800 part of the demo: bearer, then an HTTP GET and a POST.

use std::io::Write;

use atspec::{AtError, Client, Config};
use atspec_sim800::bearer::{BearerContype, SapbrOpen, SapbrSetApn, SapbrSetContype};
use atspec_sim800::http::{
    HttpMethod, Httpaction, Httpdata, Httpinit, HttpparaCid, HttpparaUrl, HttpreadExec, Httpterm,
};
use atspec_sim800::{DIALECT, Urc};

use super::transcript::{Tap, Transcript};
use super::{Fault, Report, check, sha256};
use crate::backend::http::HttpServer;
use crate::modem::{self, ModemOptions};
use crate::modems::sim800::Sim800;
use crate::payload;

pub(super) async fn run(
    fault: Option<Fault>,
    out: &mut dyn Write,
    report: &mut Report,
) -> std::io::Result<()> {
    writeln!(out, "== SIMCom SIM800: HTTP over the bearer")?;
    let server = HttpServer::start().await;
    let (host, modem_side) = tokio::io::duplex(1 << 16);
    modem::spawn(Sim800::new(), modem_side, ModemOptions::default());
    let transcript = Transcript::default();
    let client: Client<Urc> = Client::new(
        Tap::new(host, transcript.clone()),
        &DIALECT,
        Config::default(),
    );
    let get_url = server.url("/bytes/1024?seed=800");
    let post_url = server.url("/post");
    if fault == Some(Fault::HttpDown) {
        drop(server);
    }
    let get = http_get(&client, &get_url).await;
    transcript.flush_to(out)?;
    report.push(
        "SIM800 HTTP GET 1 KiB",
        get.and_then(|body| check(&body, &payload(1024, 800))),
    );
    let data = payload(1024, 801);
    let post = http_post(&client, &post_url, &data).await;
    transcript.flush_to(out)?;
    let expected = sha256(&data);
    report.push(
        "SIM800 HTTP POST 1 KiB",
        post.and_then(|echo| {
            if String::from_utf8_lossy(&echo).contains(&expected) {
                Ok(format!("the server received sha256 {expected}"))
            } else {
                Err("the server's echo does not hold the body's SHA-256".to_owned())
            }
        }),
    );
    Ok(())
}

async fn bearer(client: &Client<Urc>) -> Result<(), AtError> {
    client
        .send(&SapbrSetContype::new(1, BearerContype::from_text("GPRS")).expect("valid"))
        .await?;
    client
        .send(&SapbrSetApn::new(1, "internet").expect("valid"))
        .await?;
    client.send(&SapbrOpen::new(1).expect("valid")).await?;
    client.send(&Httpinit::new()).await?;
    client.send(&HttpparaCid::new(1).expect("valid")).await
}

async fn http_get(client: &Client<Urc>, url: &str) -> Result<Vec<u8>, String> {
    let run = async {
        bearer(client).await?;
        client
            .send(&HttpparaUrl::new(url).expect("loopback URLs are valid"))
            .await?;
        client
            .send_deferred(&Httpaction::new(HttpMethod::from_code(0)).expect("valid"))
            .await?;
        let mut body = Vec::new();
        client
            .send_download(&HttpreadExec::new(), &mut body)
            .await?;
        client.send(&Httpterm::new()).await?;
        Ok::<_, AtError>(body)
    };
    run.await.map_err(|e| e.to_string())
}

async fn http_post(client: &Client<Urc>, url: &str, data: &[u8]) -> Result<Vec<u8>, String> {
    let run = async {
        client.send(&Httpinit::new()).await?;
        client.send(&HttpparaCid::new(1).expect("valid")).await?;
        client
            .send(&HttpparaUrl::new(url).expect("loopback URLs are valid"))
            .await?;
        client
            .send_upload(
                &Httpdata::new(data.len() as u32, 10000).expect("valid"),
                &mut &data[..],
            )
            .await?;
        client
            .send_deferred(&Httpaction::new(HttpMethod::from_code(1)).expect("valid"))
            .await?;
        let mut echo = Vec::new();
        client
            .send_download(&HttpreadExec::new(), &mut echo)
            .await?;
        client.send(&Httpterm::new()).await?;
        Ok::<_, AtError>(echo)
    };
    run.await.map_err(|e| e.to_string())
}
