//! The Quectel EC200U part of the demo: context and FTP settings, then an upload
//! (AT+QFTPPUT from the serial port, ended by `+++` between guard times) and a download
//! (AT+QFTPGET to the serial port) of a 1 KiB file holding the data-mode terminator.

use std::io::Write;
use std::time::Duration;

use atspec::{AtError, Client, Config, Unsolicited};
use atspec_ec200u::ftp::{
    FileType, QftpcfgAccount, QftpcfgContextId, QftpcfgFileType, QftpcfgRsptimeout, QftpcfgSslType,
    QftpcfgTransmode, Qftpclose, QftpgetToPort, Qftpopen, QftpputFromPort, SslType, TransferMode,
};
use atspec_ec200u::support::{PdpAuth, PdpType, Qiact, QicsgpSetWithCredentials};
use atspec_ec200u::{DIALECT, Urc};
use tokio::sync::broadcast::error::RecvError;

use super::transcript::{Tap, Transcript};
use super::{Fault, Report, check};
use crate::backend::ftp::{FtpOptions, FtpServer};
use crate::modem::{self, ModemOptions};
use crate::modems::ec200u::Ec200u;
use crate::payload;

const FILE: &str = "ec200u.bin";
/// The host's guard time around `+++`; the module needs less silence after it.
const HOST_GUARD: Duration = Duration::from_millis(60);
const MODULE_GUARD: Duration = Duration::from_millis(20);

pub(super) async fn run(
    fault: Option<Fault>,
    out: &mut dyn Write,
    report: &mut Report,
) -> std::io::Result<()> {
    writeln!(out, "== Quectel EC200U: FTP upload and download")?;
    let server = FtpServer::start(super::ftp_options(FtpOptions::plain(), fault)).await;
    let (host, modem_side) = tokio::io::duplex(1 << 16);
    modem::spawn(
        Ec200u::new().with_guard_time(MODULE_GUARD),
        modem_side,
        ModemOptions::default(),
    );
    let transcript = Transcript::default();
    let config = Config {
        guard_time: Some(HOST_GUARD),
        ..Config::default()
    };
    let client: Client<Urc> = Client::new(Tap::new(host, transcript.clone()), &DIALECT, config);
    // Binary data holding the data-mode terminator: it stays data, not a result.
    let mut data = payload(1024, 200);
    data[500..506].copy_from_slice(b"\r\nOK\r\n");

    let mut logged_in = false;
    let put = async {
        configure(&client, &server)
            .await
            .map_err(|e| e.to_string())?;
        login(&client, &server, &mut logged_in).await?;
        upload(&client, &data).await
    }
    .await;
    transcript.flush_to(out)?;
    report.push(
        "EC200U FTP upload 1 KiB",
        put.and_then(|()| match std::fs::read(server.root().join(FILE)) {
            Ok(on_disk) => check(&on_disk, &data).map(|sha| format!("the server holds {sha}")),
            Err(e) => Err(format!("the server has no {FILE}: {e}")),
        }),
    );

    let get = async {
        login(&client, &server, &mut logged_in).await?;
        let mut back = Vec::new();
        client
            .send_deferred_download(
                &QftpgetToPort::new(FILE, None, None).expect("valid"),
                &mut back,
            )
            .await
            .map_err(|e| e.to_string())?;
        Ok(back)
    }
    .await;
    if logged_in {
        let _ = client.send_deferred(&Qftpclose::new()).await;
    }
    transcript.flush_to(out)?;
    report.push(
        "EC200U FTP download 1 KiB",
        get.and_then(|back| check(&back, &data)),
    );
    Ok(())
}

/// Context 1 active, and the FTP settings: account, binary, passive, plain FTP.
async fn configure(client: &Client<Urc>, server: &FtpServer) -> Result<(), AtError> {
    let apn = QicsgpSetWithCredentials::new(1, PdpType::Ipv4, "UNINET", "", "", Some(PdpAuth::Pap))
        .expect("valid");
    client.send(&apn).await?;
    client.send(&Qiact::new(1).expect("valid")).await?;
    client
        .send(&QftpcfgContextId::new(1).expect("valid"))
        .await?;
    client
        .send(&QftpcfgAccount::new(server.user(), server.password()).expect("valid"))
        .await?;
    client
        .send(&QftpcfgFileType::new(FileType::Binary).expect("valid"))
        .await?;
    client
        .send(&QftpcfgTransmode::new(TransferMode::Passive).expect("valid"))
        .await?;
    client
        .send(&QftpcfgRsptimeout::new(90).expect("valid"))
        .await?;
    client
        .send(&QftpcfgSslType::new(SslType::from_code(0)).expect("valid"))
        .await?;
    Ok(())
}

/// AT+QFTPOPEN, unless already logged in.
async fn login(
    client: &Client<Urc>,
    server: &FtpServer,
    logged_in: &mut bool,
) -> Result<(), String> {
    if !*logged_in {
        let open = Qftpopen::new("127.0.0.1", Some(server.port())).expect("valid");
        client
            .send_deferred(&open)
            .await
            .map_err(|e| e.to_string())?;
        *logged_in = true;
    }
    Ok(())
}

/// AT+QFTPPUT="<file>","COM:", the data ended by `+++`, then the `+QFTPPUT:` result
/// that follows OK.
async fn upload(client: &Client<Urc>, data: &[u8]) -> Result<(), String> {
    let mut urcs = client.subscribe();
    client
        .send_upload(
            &QftpputFromPort::new(FILE, None).expect("valid"),
            &mut &data[..],
        )
        .await
        .map_err(|e| e.to_string())?;
    let wait = async {
        loop {
            match urcs.recv().await {
                Ok(Unsolicited::Urc(Urc::PutResult(done))) => return Ok(done),
                Ok(_) | Err(RecvError::Lagged(_)) => {}
                Err(RecvError::Closed) => return Err("the modem is gone".to_owned()),
            }
        }
    };
    let done = tokio::time::timeout(Duration::from_secs(10), wait)
        .await
        .unwrap_or_else(|_| Err("no +QFTPPUT result within 10 s".to_owned()))?;
    match (done.err.code(), done.transferlen as usize) {
        (0, n) if n == data.len() => Ok(()),
        (0, n) => Err(format!(
            "+QFTPPUT: the module sent {n} of {} bytes",
            data.len()
        )),
        (code, _) => Err(format!("+QFTPPUT: {code} ({})", done.err)),
    }
}
