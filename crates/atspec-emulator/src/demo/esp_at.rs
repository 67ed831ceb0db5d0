//! The ESP-AT part of the demo: join the access point, then an HTTP GET
//! (AT+HTTPCLIENT) and a POST upload (AT+HTTPCPOST).

use std::io::Write;

use atspec::{AtError, Client, Config};
use atspec_esp_at::basic::{Restore, Syslog, SyslogStatus};
use atspec_esp_at::http::{ContentType, HttpOpt, HttpclientRequest, Httpcpost, TransportType};
use atspec_esp_at::wifi::{CwjapJoin, Cwmode, WifiMode};
use atspec_esp_at::{DIALECT, Urc};

use super::transcript::{Tap, Transcript};
use super::{Fault, Report, check, sha256};
use crate::backend::http::HttpServer;
use crate::modem::{self, ModemOptions};
use crate::modems::esp_at::{DEFAULT_PASSWORD, DEFAULT_SSID, EspAt};
use crate::payload;

pub(super) async fn run(
    fault: Option<Fault>,
    out: &mut dyn Write,
    report: &mut Report,
) -> std::io::Result<()> {
    writeln!(out, "== Espressif ESP-AT: HTTP over Wi-Fi")?;
    let server = HttpServer::start().await;
    let (host, modem_side) = tokio::io::duplex(1 << 16);
    let options = ModemOptions {
        terminator: DIALECT.terminator,
        ..ModemOptions::default()
    };
    modem::spawn(EspAt::new(), modem_side, options);
    let transcript = Transcript::default();
    let client: Client<Urc> = Client::new(
        Tap::new(host, transcript.clone()),
        &DIALECT,
        Config::default(),
    );
    let get_url = server.url("/bytes/1024?seed=32");
    let post_url = server.url("/post");
    if fault == Some(Fault::HttpDown) {
        drop(server);
    }

    let get = async {
        join(&client).await?;
        let request = HttpclientRequest::new(
            HttpOpt::from_code(2),
            ContentType::from_code(0),
            &get_url,
            None,
            None,
            TransportType::from_code(1),
            vec![],
        )
        .expect("loopback URLs are valid");
        let mut body = Vec::new();
        client.send_download(&request, &mut body).await?;
        Ok::<_, AtError>(body)
    }
    .await
    .map_err(|e| e.to_string());
    transcript.flush_to(out)?;
    report.push(
        "ESP-AT HTTP GET 1 KiB",
        get.and_then(|body| check(&body, &payload(1024, 32))),
    );

    let data = payload(1024, 33);
    let post = async {
        let command = Httpcpost::new(
            &post_url,
            data.len() as u32,
            vec!["content-type: application/octet-stream".to_owned()],
        )
        .expect("loopback URLs are valid");
        let mut echo = Vec::new();
        client
            .send_upload_download(&command, &mut &data[..], &mut echo)
            .await?;
        Ok::<_, AtError>(echo)
    }
    .await
    .map_err(|e| e.to_string());
    transcript.flush_to(out)?;
    let expected = sha256(&data);
    report.push(
        "ESP-AT HTTP POST 1 KiB",
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

/// AT+RESTORE, error details on (AT+SYSLOG=1), station mode, and the access point.
async fn join(client: &Client<Urc>) -> Result<(), AtError> {
    client.send(&Restore::new()).await?;
    client
        .send(&Syslog::new(SyslogStatus::from_code(1)).expect("valid"))
        .await?;
    client
        .send(&Cwmode::new(WifiMode::from_code(1), None).expect("valid"))
        .await?;
    client
        .send(&CwjapJoin::new(Some(DEFAULT_SSID), Some(DEFAULT_PASSWORD), None).expect("valid"))
        .await?;
    Ok(())
}
