//! The A76XX part of the demo: FTPS with explicit TLS against a server whose
//! certificate the module trusts, an upload (AT+CFTPSPUT with a length) and a download
//! (AT+CFTPSGET) of a 1 KiB binary file.

use std::io::Write;
use std::time::Duration;

use atspec::{AtError, Client, Config, Unsolicited};
use atspec_a76xx::ftps::{
    CftpsgetStream, Cftpslogin, Cftpslogout, Cftpsput, Cftpsstart, Cftpsstop, FtpsResult,
    ServerType,
};
use atspec_a76xx::{DIALECT, Urc};
use tokio::sync::broadcast::error::RecvError;

use super::transcript::{Tap, Transcript};
use super::{Fault, Report, check};
use crate::backend::ftp::{FtpOptions, FtpServer};
use crate::modem::{self, ModemOptions};
use crate::modems::a76xx::A76xx;
use crate::payload;

const FILE: &str = "a76xx.bin";

pub(super) async fn run(
    fault: Option<Fault>,
    out: &mut dyn Write,
    report: &mut Report,
) -> std::io::Result<()> {
    writeln!(
        out,
        "== SIMCom A76XX: FTPS (explicit TLS) upload and download"
    )?;
    let server = FtpServer::start(super::ftp_options(FtpOptions::explicit_tls(), fault)).await;
    let mut module = A76xx::new();
    if let Some(cert) = server.certificate() {
        module = module.with_tls(cert.client_config());
    }
    let (host, modem_side) = tokio::io::duplex(1 << 16);
    modem::spawn(module, modem_side, ModemOptions::default());
    let transcript = Transcript::default();
    let client: Client<Urc> = Client::new(
        Tap::new(host, transcript.clone()),
        &DIALECT,
        Config::default(),
    );
    let data = payload(1024, 7600);

    let mut logged_in = false;
    let put = async {
        login(&client, &server, &mut logged_in).await?;
        upload(&client, &data).await
    }
    .await;
    transcript.flush_to(out)?;
    report.push(
        "A76XX FTPS upload 1 KiB",
        put.and_then(|()| match std::fs::read(server.root().join(FILE)) {
            Ok(on_disk) => check(&on_disk, &data).map(|sha| format!("the server holds {sha}")),
            Err(e) => Err(format!("the server has no {FILE}: {e}")),
        }),
    );

    let get = async {
        login(&client, &server, &mut logged_in).await?;
        let mut back = Vec::new();
        client
            .send_deferred_download(&CftpsgetStream::new(FILE, None).expect("valid"), &mut back)
            .await
            .map_err(|e| e.to_string())?;
        Ok(back)
    }
    .await;
    if logged_in {
        let _ = client.send_deferred(&Cftpslogout::new()).await;
        let _ = client.send_deferred(&Cftpsstop::new()).await;
    }
    transcript.flush_to(out)?;
    report.push(
        "A76XX FTPS download 1 KiB",
        get.and_then(|back| check(&back, &data)),
    );
    Ok(())
}

/// AT+CFTPSSTART and AT+CFTPSLOGIN, unless already logged in.
async fn login(
    client: &Client<Urc>,
    server: &FtpServer,
    logged_in: &mut bool,
) -> Result<(), String> {
    if *logged_in {
        return Ok(());
    }
    client
        .send_deferred(&Cftpsstart::new())
        .await
        .map_err(|e| e.to_string())?;
    let command = Cftpslogin::new(
        "127.0.0.1",
        server.port(),
        server.user(),
        server.password(),
        Some(ServerType::ExplicitTls),
    )
    .expect("valid");
    // Retried (as a host would) after a TLS failure, at most 5 tries: libunftp
    // sometimes reads the TLS ClientHello that follows its `234` reply to `AUTH TLS`
    // as an FTP command, a race in the loopback server and not in the module, and the
    // handshake then fails (`1`, SSL alert, or `14`).
    let mut tries = 0;
    let result = loop {
        tries += 1;
        match client.send_deferred(&command).await {
            Err(AtError::Failed { code, .. })
                if matches!(code.code.as_str(), "1" | "14") && tries < 5 => {}
            other => break other,
        }
    };
    if let Err(e) = result {
        // Stop the service so the next attempt starts afresh.
        let _ = client.send_deferred(&Cftpsstop::new()).await;
        return Err(e.to_string());
    }
    *logged_in = true;
    Ok(())
}

/// AT+CFTPSPUT with the data's length, then `+CFTPSPUT: <errcode>` after OK.
async fn upload(client: &Client<Urc>, data: &[u8]) -> Result<(), String> {
    let mut urcs = client.subscribe();
    let len = u16::try_from(data.len()).expect("1 KiB");
    client
        .send_upload(
            &Cftpsput::new(FILE, Some(len), None).expect("valid"),
            &mut &data[..],
        )
        .await
        .map_err(|e| e.to_string())?;
    let wait = async {
        loop {
            match urcs.recv().await {
                Ok(Unsolicited::Urc(Urc::PutResult(done))) => return Ok(done.errcode),
                Ok(_) | Err(RecvError::Lagged(_)) => {}
                Err(RecvError::Closed) => return Err("the modem is gone".to_owned()),
            }
        }
    };
    match tokio::time::timeout(Duration::from_secs(10), wait).await {
        Ok(Ok(FtpsResult::Success)) => Ok(()),
        Ok(Ok(code)) => Err(format!("+CFTPSPUT: {code}")),
        Ok(Err(e)) => Err(e),
        Err(_) => Err("no +CFTPSPUT result within 10 s".to_owned()),
    }
}
