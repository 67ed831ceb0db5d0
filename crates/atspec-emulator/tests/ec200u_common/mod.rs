//! Helpers of the EC200U end-to-end tests: the realism modes, a module configured and
//! logged in as chapter 3 of the FTP(S) application note does it, and the transfers.
#![allow(dead_code)]

use std::fs::File;
use std::time::{Duration, SystemTime};

use atspec::{AtError, Client, Config, DeferredCommand};
use atspec_ec200u::ftp::{
    FileType, PutResultUrc, QftpcfgAccountWrite, QftpcfgContextIdWrite, QftpcfgFileTypeWrite,
    QftpcfgRsptimeoutWrite, QftpcfgSslCtxIdWrite, QftpcfgSslTypeWrite, QftpcfgTransmodeWrite,
    QftpgetToPortWrite, QftpopenWrite, SslType, TransferMode,
};
use atspec_ec200u::support::{
    FileOpenMode, PdpAuth, PdpType, QfcloseWrite, QflstWrite, QfopenWrite, QfreadWrite, QfuplWrite,
    QiactRead, QiactWrite, QicsgpSetWithCredentialsWrite, QsslcfgCipherSuiteWrite,
    QsslcfgSecLevelWrite, SslCipherSuite, SslSecLevel, UploadAckMode,
};
use atspec_ec200u::{DIALECT, Urc};
use atspec_emulator::backend::ftp::FtpServer;
use atspec_emulator::modem::{self, Chunking, ModemOptions};
use atspec_emulator::modems::ec200u::Ec200u;

/// The host's guard time around `+++`; the module needs less silence after it.
pub const HOST_GUARD: Duration = Duration::from_millis(60);
pub const MODULE_GUARD: Duration = Duration::from_millis(20);

pub fn plain() -> ModemOptions {
    ModemOptions::default()
}

/// 1-byte output chunks, echo on, unrelated URCs between lines.
pub fn bytewise() -> ModemOptions {
    ModemOptions {
        chunking: Chunking::Bytes,
        echo: true,
        inject_urcs: vec!["RDY", "+QIURC: \"pdpdeact\",5", "+CREG: 1"],
        ..ModemOptions::default()
    }
}

pub fn random() -> ModemOptions {
    ModemOptions {
        chunking: Chunking::Random(7),
        ..ModemOptions::default()
    }
}

/// Every mode a flow runs in.
pub fn modes() -> [ModemOptions; 3] {
    [plain(), bytewise(), random()]
}

/// 2014-07-08 11:00:39 UTC, the modification time of the note's AT+QFTPMDTM example.
pub const MANUAL_MTIME: u64 = 1_404_817_239;

/// Puts `data` on the server as `name` (under its root) with the manual's mtime.
pub fn place(server: &FtpServer, name: &str, data: &[u8]) {
    let path = server.root().join(name);
    std::fs::write(&path, data).unwrap();
    let mtime = SystemTime::UNIX_EPOCH + Duration::from_secs(MANUAL_MTIME);
    File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(mtime)
        .unwrap();
}

pub fn stored(server: &FtpServer, name: &str) -> Vec<u8> {
    std::fs::read(server.root().join(name)).unwrap()
}

/// The `+QFLST:` entries of AT+QFLST=`pattern`, as (name, size).
pub async fn file_list(client: &atspec::Client<Urc>, pattern: &str) -> Vec<(String, u32)> {
    let listed = send(client, &QflstWrite::new(pattern).unwrap()).await;
    listed
        .file_entry
        .into_iter()
        .map(|e| (e.filename, e.file_size))
        .collect()
}

/// AT+QFUPL of `data` as `name` with the note's arguments (timeout 300 s, ACK mode 1),
/// checking `+QFUPL: <size>,<checksum>`.
pub async fn upload_to_module(client: &atspec::Client<Urc>, name: &str, data: &[u8]) {
    let command = QfuplWrite::new(name, 1000, Some(300), Some(UploadAckMode::On)).unwrap();
    assert_eq!(data.len(), 1000, "the note's example uploads 1000 bytes");
    let done = client.send_upload(&command, &mut &data[..]).await.unwrap();
    assert_eq!(done.upload_size, 1000);
    // The BG96 FILE manual's checksum: XOR of big-endian 16-bit words, in hex.
    let xor = data
        .chunks(2)
        .map(|w| u16::from_be_bytes([w[0], *w.get(1).unwrap_or(&0)]))
        .fold(0, |a, w| a ^ w);
    assert_eq!(done.checksum, format!("{xor:x}"));
}

/// A module on a pipe trusting `server`'s certificate, nothing configured yet.
pub fn module(server: &FtpServer, options: ModemOptions) -> Client<Urc> {
    let (host, modem_side) = tokio::io::duplex(1 << 16);
    let mut module = Ec200u::new().with_guard_time(MODULE_GUARD);
    if let Some(cert) = server.certificate() {
        module = module.trusting(cert.client_config());
    }
    modem::spawn(module, modem_side, options);
    let config = Config {
        guard_time: Some(HOST_GUARD),
        ..Config::default()
    };
    Client::new(host, &DIALECT, config)
}

/// Section 3.1 step 1: context 1 configured and active.
pub async fn activate_context(client: &Client<Urc>) {
    let apn =
        QicsgpSetWithCredentialsWrite::new(1, PdpType::Ipv4, "UNINET", "", "", Some(PdpAuth::Pap));
    client.send(&apn.unwrap()).await.unwrap();
    client.send(&QiactWrite::new(1).unwrap()).await.unwrap();
    let active = client.send(&QiactRead::new()).await.unwrap();
    assert_eq!(active.active_context.len(), 1);
    assert_eq!(active.active_context[0].context_state.code(), 1);
}

/// A module with context 1 active (section 3.1), FTP configured with the server's account
/// and `ssl_type`, not yet logged in.
pub async fn configured(server: &FtpServer, options: ModemOptions, ssl_type: u8) -> Client<Urc> {
    let client = module(server, options);
    activate_context(&client).await;
    send(&client, &QftpcfgContextIdWrite::new(1).unwrap()).await;
    send(
        &client,
        &QftpcfgAccountWrite::new(server.user(), server.password()).unwrap(),
    )
    .await;
    send(
        &client,
        &QftpcfgFileTypeWrite::new(FileType::Binary).unwrap(),
    )
    .await;
    send(
        &client,
        &QftpcfgTransmodeWrite::new(TransferMode::Passive).unwrap(),
    )
    .await;
    send(&client, &QftpcfgRsptimeoutWrite::new(90).unwrap()).await;
    send(
        &client,
        &QftpcfgSslTypeWrite::new(SslType::from_code(ssl_type)).unwrap(),
    )
    .await;
    if ssl_type != 0 {
        // Section 3.2: SSL context 1, all cipher suites, no CA certificate.
        send(&client, &QftpcfgSslCtxIdWrite::new(1).unwrap()).await;
        send(
            &client,
            &QsslcfgCipherSuiteWrite::new(1, SslCipherSuite::All).unwrap(),
        )
        .await;
        send(
            &client,
            &QsslcfgSecLevelWrite::new(1, SslSecLevel::NoAuthentication).unwrap(),
        )
        .await;
    }
    client
}

/// Sends a command answered by `OK` alone, or with information lines that are ignored.
pub async fn send<C: atspec::AtCommand>(client: &Client<Urc>, command: &C) -> C::Response {
    client.send(command).await.unwrap()
}

/// AT+QFTPOPEN to the loopback server, checking `+QFTPOPEN: 0,0`.
///
/// An FTPS login is tried up to five times: libunftp 0.24 races its switch to TLS after
/// `AUTH TLS` against reading the client's first TLS bytes (an unbiased `select!` in its
/// control loop), so a few handshakes fail (631 explicit, 605 through the implicit relay)
/// for reasons outside the module. Plain FTP gets one try.
pub async fn open(client: &Client<Urc>, server: &FtpServer, ssl_type: u8) {
    let open = QftpopenWrite::new("127.0.0.1", Some(server.port())).unwrap();
    let tries = if ssl_type == 0 { 1 } else { 5 };
    for _ in 1..tries {
        match client.send_deferred(&open).await {
            Ok(_) => return,
            Err(AtError::Failed { code, .. }) if ["605", "631"].contains(&code.code.as_str()) => {}
            Err(other) => panic!("AT+QFTPOPEN: {other}"),
        }
    }
    let (_, done) = client.send_deferred(&open).await.unwrap();
    assert_eq!((done.err.code(), done.protocol_error.code()), (0, 0));
}

/// [`configured`] and logged in with AT+QFTPOPEN.
pub async fn logged_in(server: &FtpServer, options: ModemOptions, ssl_type: u8) -> Client<Urc> {
    let client = configured(server, options, ssl_type).await;
    open(&client, server, ssl_type).await;
    client
}

/// A deferred command's completion, which must report success.
pub async fn deferred<C>(client: &Client<Urc>, command: &C) -> C::Completion
where
    C: DeferredCommand + Clone + Send + Sync + 'static,
{
    match client.send_deferred(command).await {
        Ok((_, done)) => done,
        Err(e) => panic!("{}: {e}", C::NAME),
    }
}

/// AT+QFTPPUT through the serial port: the data after `CONNECT`, then the `+QFTPPUT:`
/// result that follows `OK`.
pub async fn put<C>(client: &Client<Urc>, command: &C, data: &[u8]) -> PutResultUrc
where
    C: DeferredCommand<Completion = PutResultUrc> + Clone + Send + Sync + 'static,
{
    let mut source = data;
    match client.send_deferred_upload(command, &mut source).await {
        Ok((_, done)) => done,
        Err(e) => panic!("AT+QFTPPUT: {e}"),
    }
}

/// Downloads `name` (from `startpos`, at most `downloadlen` bytes) through data mode.
pub async fn download(
    client: &Client<Urc>,
    name: &str,
    startpos: Option<u32>,
    downloadlen: Option<u32>,
) -> Result<Vec<u8>, (AtError, Vec<u8>)> {
    let mut file = Vec::new();
    let command = QftpgetToPortWrite::new(name, startpos, downloadlen).unwrap();
    match client.send_deferred_download(&command, &mut file).await {
        Ok((_, done, n)) => {
            // The runtime already checked the byte count against the result line.
            assert_eq!((u64::from(done.transferlen), file.len() as u64), (n, n));
            Ok(file)
        }
        Err(e) => Err((e, file)),
    }
}

/// A data-mode listing (AT+QFTPLIST / NLST / MLSD to the port): the text, checked against
/// the `<transfer_size>` that `size` takes from the result line.
pub async fn listing<C>(
    client: &Client<Urc>,
    command: &C,
    size: fn(&C::Completion) -> u32,
) -> String
where
    C: DeferredCommand + Clone + Send + Sync + 'static,
{
    let mut data = Vec::new();
    match client.send_deferred_download(command, &mut data).await {
        Ok((_, done, n)) => {
            assert_eq!((size(&done) as usize, n as usize), (data.len(), data.len()))
        }
        Err(e) => panic!("{}: {e}", C::NAME),
    }
    String::from_utf8(data).unwrap()
}

/// A module file's content read back with AT+QFOPEN (read-only), AT+QFREAD in pieces of
/// `piece` bytes until one comes back empty, and AT+QFCLOSE.
pub async fn read_file(client: &Client<Urc>, name: &str, piece: u32) -> Vec<u8> {
    let opened = send(
        client,
        &QfopenWrite::new(name, Some(FileOpenMode::ReadOnly)).unwrap(),
    )
    .await;
    let mut data = Vec::new();
    loop {
        let read = QfreadWrite::new(opened.filehandle, Some(piece)).unwrap();
        let before = data.len();
        let (got, n) = client.send_download(&read, &mut data).await.unwrap();
        assert_eq!(
            (got.read_length as usize, n as usize),
            (data.len() - before, data.len() - before)
        );
        if n == 0 {
            break;
        }
    }
    send(client, &QfcloseWrite::new(opened.filehandle)).await;
    data
}

pub fn assert_failed(err: &AtError, want: &str) {
    match err {
        AtError::Failed { code, .. } => {
            assert_eq!((code.table, code.code.as_str()), ("ftp_error", want))
        }
        other => panic!("expected <err> {want}, got {other}"),
    }
}

pub fn assert_cme(err: &AtError, want: &str) {
    match err {
        AtError::Command { code, .. } => assert_eq!(code.as_deref(), Some(want), "{err}"),
        other => panic!("expected +CME ERROR: {want}, got {other}"),
    }
}
