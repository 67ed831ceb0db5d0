//! Helpers of the A76XX / SIM7600 FTP(S) end-to-end tests: the realism modes, a module
//! started and logged in to a loopback server, and the operations the flows repeat.
#![allow(dead_code)]

use atspec::{AtError, Client, Config};
use atspec_a76xx::ftps::{
    CftpsgetStreamWrite, CftpslistWrite, CftpsloginWrite, CftpslogoutExec, CftpsputWrite,
    CftpspwdExec, CftpssizeWrite, CftpsstartExec, CftpsstopExec, FtpsResult, ServerType,
};
use atspec_a76xx::{DIALECT, Urc};
use atspec_emulator::backend::ftp::FtpServer;
use atspec_emulator::client::ftp::FtpTls;
use atspec_emulator::modem::{self, Chunking, ModemOptions};
use atspec_emulator::modems::a76xx::{A76xx, ModuleFiles};

pub const MIB: usize = 1 << 20;

/// The modes every flow runs in: whole answers, and 1-byte chunks with echo and
/// unrelated URCs between lines (1 MiB transfers included).
pub fn modes() -> Vec<ModemOptions> {
    vec![
        ModemOptions::default(),
        ModemOptions {
            chunking: Chunking::Bytes,
            echo: true,
            inject_urcs: vec!["+CREG: 1", "RDY", "+CPIN: READY"],
            ..ModemOptions::default()
        },
    ]
}

/// A module wired to a client, trusting `server`'s certificate, service started.
pub async fn started(server: &FtpServer, options: ModemOptions) -> (Client<Urc>, ModuleFiles) {
    let mut module = A76xx::new();
    if let Some(cert) = server.certificate() {
        module = module.with_tls(cert.client_config());
    }
    let files = module.files();
    let (host, modem_side) = tokio::io::duplex(1 << 16);
    modem::spawn(module, modem_side, options);
    let client = Client::new(host, &DIALECT, Config::default());
    let (_, start) = client.send_deferred(&CftpsstartExec::new()).await.unwrap();
    assert_eq!(start.errcode, FtpsResult::Success);
    (client, files)
}

/// The server type AT+CFTPSLOGIN names for `server`'s security mode.
pub fn server_type(server: &FtpServer) -> Option<ServerType> {
    match server.tls() {
        FtpTls::Plain => Some(ServerType::Ftp),
        FtpTls::Explicit => Some(ServerType::ExplicitTls),
        // Left out, the module assumes implicit FTPS.
        FtpTls::Implicit => None,
    }
}

pub fn login_command(server: &FtpServer, password: &str) -> CftpsloginWrite {
    CftpsloginWrite::new(
        "127.0.0.1",
        server.port(),
        server.user(),
        password,
        server_type(server),
    )
    .unwrap()
}

/// Started and logged in to `server`.
pub async fn logged_in(server: &FtpServer, options: ModemOptions) -> (Client<Urc>, ModuleFiles) {
    let (client, files) = started(server, options).await;
    let login = login(&client, &login_command(server, server.password()), server).await;
    assert_eq!(login.unwrap().errcode, FtpsResult::Success);
    (client, files)
}

/// AT+CFTPSLOGIN, retried (as a host would) after a TLS failure on an FTPS server:
/// libunftp sometimes reads the TLS ClientHello that follows its `234` reply to
/// `AUTH TLS` as an FTP command (`500 Invalid UTF8 in command`), a race in the loopback
/// server and not in the module. Explicit FTPS then fails the handshake (`1`, SSL alert);
/// implicit FTPS, whose relay does the same `AUTH TLS` upstream, drops the connection
/// after the client's handshake (`14`).
pub async fn login(
    client: &Client<Urc>,
    command: &CftpsloginWrite,
    server: &FtpServer,
) -> Result<atspec_a76xx::ftps::LoginResultUrc, AtError> {
    let mut tries = 0;
    loop {
        tries += 1;
        match client.send_deferred(command).await {
            Err(AtError::Failed { code, .. })
                if matches!(code.code.as_str(), "1" | "14")
                    && server.tls() != FtpTls::Plain
                    && tries < 5 => {}
            other => return other.map(|(_, login)| login),
        }
    }
}

/// Logs out and stops the service, checking both results.
pub async fn finish(client: &Client<Urc>) {
    let (_, out) = client.send_deferred(&CftpslogoutExec::new()).await.unwrap();
    assert_eq!(out.errcode, FtpsResult::Success);
    let (_, stop) = client.send_deferred(&CftpsstopExec::new()).await.unwrap();
    assert_eq!(stop.errcode, FtpsResult::Success);
}

/// The failure code of a deferred command's result line.
pub fn failed_code(err: AtError) -> String {
    match err {
        AtError::Failed { code, .. } => code.code,
        other => panic!("expected a failure result line, got {other}"),
    }
}

/// Uploads `data` with AT+CFTPSPUT (with its length, or Ctrl+Z-framed); the result is
/// the `+CFTPSPUT: <errcode>` that follows OK.
pub async fn put(client: &Client<Urc>, path: &str, data: &[u8], with_len: bool) -> FtpsResult {
    let len = with_len.then(|| u16::try_from(data.len()).unwrap());
    let command = CftpsputWrite::new(path, len, None).unwrap();
    match client.send_deferred_upload(&command, &mut &data[..]).await {
        Ok((_, done)) => done.errcode,
        Err(err) => FtpsResult::from_code(failed_code(err).parse().expect("a numeric code")),
    }
}

/// Downloads `path` from `rest` on with AT+CFTPSGET into `sink`.
pub async fn get(
    client: &Client<Urc>,
    path: &str,
    rest: Option<u32>,
    sink: &mut Vec<u8>,
) -> Result<u64, AtError> {
    let command = CftpsgetStreamWrite::new(path, rest).unwrap();
    let (_, done, n) = client.send_deferred_download(&command, sink).await?;
    assert_eq!(done.errcode, FtpsResult::Success);
    Ok(n)
}

pub async fn size(client: &Client<Urc>, path: &str) -> Result<u32, AtError> {
    let (_, size) = client
        .send_deferred(&CftpssizeWrite::new(path).unwrap())
        .await?;
    Ok(size.filesize)
}

pub async fn list(client: &Client<Urc>, dir: &str) -> String {
    let mut listing = Vec::new();
    let (_, done, n) = client
        .send_deferred_download(&CftpslistWrite::new(dir).unwrap(), &mut listing)
        .await
        .unwrap();
    assert_eq!(
        (done.errcode, n as usize),
        (FtpsResult::Success, listing.len())
    );
    String::from_utf8(listing).unwrap()
}

pub async fn pwd(client: &Client<Urc>) -> String {
    let (_, pwd) = client.send_deferred(&CftpspwdExec::new()).await.unwrap();
    pwd.dir
}
