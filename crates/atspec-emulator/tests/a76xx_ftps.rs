//! A76XX / SIM7600 FTP(S) end to end: the generated driver and the runtime client talk to
//! the emulated module, which performs every AT+CFTPS* operation for real against the
//! loopback FTP server (plain, explicit and implicit FTPS). Small transfers run plain and
//! with 1-byte output chunks, echo on and unrelated URCs injected; 1 MiB transfers run
//! plain and with output cut at random boundaries.

mod support;

use std::time::Duration;

use atspec::{AtError, Client, Config, Unsolicited};
use atspec_a76xx::ftps::{
    Cftpsabort, Cftpscacherd, CftpscacherdRead, Cftpscwd, Cftpsdele, CftpsgetCached,
    CftpsgetStream, Cftpsgetfile, Cftpslist, Cftpslogin, CftpsloginRead, Cftpslogout, Cftpsmkd,
    Cftpsput, Cftpsputfile, Cftpspwd, Cftpsrmd, Cftpssize, Cftpsstart, Cftpsstop, Cftpstype,
    CftpstypeRead, FtpsResult, LocalDir, ServerType, TransferType,
};
use atspec_a76xx::{DIALECT, Urc};
use atspec_emulator::backend::ftp::{DataDrop, FtpFaults, FtpOptions, FtpServer};
use atspec_emulator::client::ftp::FtpTls;
use atspec_emulator::modem::{self, Chunking, ModemOptions};
use atspec_emulator::payload;
use atspec_emulator::vendor::a76xx::{A76xx, ModuleFiles};
use support::sha256;
use tokio::sync::broadcast;

const MIB: usize = 1 << 20;

/// The modes every flow runs in: whole answers, and 1-byte chunks with echo and
/// unrelated URCs between lines (1 MiB transfers included).
fn modes() -> Vec<ModemOptions> {
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
async fn started(server: &FtpServer, options: ModemOptions) -> (Client<Urc>, ModuleFiles) {
    let mut module = A76xx::new();
    if let Some(cert) = server.certificate() {
        module = module.with_tls(cert.client_config());
    }
    let files = module.files();
    let (host, modem_side) = tokio::io::duplex(1 << 16);
    modem::spawn(module, modem_side, options);
    let client = Client::new(host, &DIALECT, Config::default());
    let (_, start) = client
        .send_deferred(&Cftpsstart::new().unwrap())
        .await
        .unwrap();
    assert_eq!(start.errcode, FtpsResult::Success);
    (client, files)
}

/// The server type AT+CFTPSLOGIN names for `server`'s security mode.
fn server_type(server: &FtpServer) -> Option<ServerType> {
    match server.tls() {
        FtpTls::Plain => Some(ServerType::Ftp),
        FtpTls::Explicit => Some(ServerType::ExplicitTls),
        // Left out, the module assumes implicit FTPS.
        FtpTls::Implicit => None,
    }
}

fn login_command(server: &FtpServer, password: &str) -> Cftpslogin {
    Cftpslogin::new(
        "127.0.0.1",
        server.port(),
        server.user(),
        password,
        server_type(server),
    )
    .unwrap()
}

/// Started and logged in to `server`.
async fn logged_in(server: &FtpServer, options: ModemOptions) -> (Client<Urc>, ModuleFiles) {
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
async fn login(
    client: &Client<Urc>,
    command: &Cftpslogin,
    server: &FtpServer,
) -> Result<atspec_a76xx::ftps::LoginResult, AtError> {
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
async fn finish(client: &Client<Urc>) {
    let (_, out) = client
        .send_deferred(&Cftpslogout::new().unwrap())
        .await
        .unwrap();
    assert_eq!(out.errcode, FtpsResult::Success);
    let (_, stop) = client
        .send_deferred(&Cftpsstop::new().unwrap())
        .await
        .unwrap();
    assert_eq!(stop.errcode, FtpsResult::Success);
}

/// The failure code of a deferred command's result line.
fn failed_code(err: AtError) -> String {
    match err {
        AtError::Failed { code, .. } => code.code,
        other => panic!("expected a failure result line, got {other}"),
    }
}

/// Uploads `data` with AT+CFTPSPUT (with its length, or Ctrl+Z-framed); the result is
/// the `+CFTPSPUT: <errcode>` that follows OK.
async fn put(client: &Client<Urc>, path: &str, data: &[u8], with_len: bool) -> FtpsResult {
    let len = with_len.then(|| u16::try_from(data.len()).unwrap());
    let command = Cftpsput::new(path, len, None).unwrap();
    match client.send_deferred_upload(&command, &mut &data[..]).await {
        Ok((_, done)) => done.errcode,
        Err(err) => FtpsResult::from_code(failed_code(err).parse().expect("a numeric code")),
    }
}

/// Downloads `path` from `rest` on with AT+CFTPSGET into `sink`.
async fn get(
    client: &Client<Urc>,
    path: &str,
    rest: Option<u32>,
    sink: &mut Vec<u8>,
) -> Result<u64, AtError> {
    let command = CftpsgetStream::new(path, rest).unwrap();
    let (_, done, n) = client.send_deferred_download(&command, sink).await?;
    assert_eq!(done.errcode, FtpsResult::Success);
    Ok(n)
}

async fn size(client: &Client<Urc>, path: &str) -> Result<u32, AtError> {
    let (_, size) = client.send_deferred(&Cftpssize::new(path).unwrap()).await?;
    Ok(size.filesize)
}

async fn list(client: &Client<Urc>, dir: &str) -> String {
    let mut listing = Vec::new();
    let (_, done, n) = client
        .send_deferred_download(&Cftpslist::new(dir).unwrap(), &mut listing)
        .await
        .unwrap();
    assert_eq!(
        (done.errcode, n as usize),
        (FtpsResult::Success, listing.len())
    );
    String::from_utf8(listing).unwrap()
}

async fn pwd(client: &Client<Urc>) -> String {
    let (_, pwd) = client
        .send_deferred(&Cftpspwd::new().unwrap())
        .await
        .unwrap();
    pwd.dir
}

/// Manual flow: simcom-a76xx FTPS "L1201"
/// Manual flow: simcom-a76xx FTPS "L1203"
/// Manual flow: simcom-a76xx FTPS "L1209"
/// Manual flow: simcom-a76xx FTPS "L1204"
/// Manual flow: simcom-a76xx FTPS "L1202"
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_to_plain_explicit_and_implicit_servers() {
    for server_options in [
        FtpOptions::plain(),
        FtpOptions::explicit_tls(),
        FtpOptions::implicit_tls(),
    ] {
        let server = FtpServer::start(server_options).await;
        for options in modes() {
            let (client, _) = logged_in(&server, options.clone()).await;
            let state = client.send(&CftpsloginRead::new().unwrap()).await.unwrap();
            assert_eq!(state.state.code(), 1, "{options:?}");
            assert_eq!(pwd(&client).await, "/", "{:?} {options:?}", server.tls());
            finish(&client).await;
            let state = client.send(&CftpsloginRead::new().unwrap()).await.unwrap();
            assert_eq!(state.state.code(), 0);
        }
    }
    // AUTH SSL (server type 1) reaches the explicit server too.
    let server = FtpServer::start(FtpOptions::explicit_tls()).await;
    let (client, _) = started(&server, ModemOptions::default()).await;
    let command = Cftpslogin::new(
        "localhost",
        server.port(),
        server.user(),
        server.password(),
        Some(ServerType::ExplicitSsl),
    )
    .unwrap();
    let login = login(&client, &command, &server).await.unwrap();
    assert_eq!(login.errcode, FtpsResult::Success);
    finish(&client).await;
}

/// Manual flow: simcom-a76xx FTPS "L1215"
/// Manual flow: simcom-a76xx FTPS "L1219"
/// Manual flow: simcom-a76xx FTPS "L1211"
/// Manual flow: simcom-a76xx FTPS "L1214"
/// Manual flow: simcom-a76xx FTPS "L1207"
/// Manual flow: simcom-a76xx AN100 "Example flows: upload via serial port"
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upload_list_size_download_and_delete_small_files() {
    for server_options in [FtpOptions::plain(), FtpOptions::implicit_tls()] {
        let server = FtpServer::start(server_options).await;
        for options in modes() {
            let (client, _) = logged_in(&server, options.clone()).await;
            for (seed, len) in [0usize, 1024].into_iter().enumerate() {
                // Binary payloads hold Ctrl+Z and ETX, which the framed upload escapes.
                let data = payload(len, seed as u64);
                for with_len in [true, false] {
                    let name = format!("up-{len}-{with_len}.bin");
                    let done = put(&client, &format!("/{name}"), &data, with_len).await;
                    assert_eq!(done, FtpsResult::Success, "{options:?}");
                    let stored = std::fs::read(server.root().join(&name)).unwrap();
                    assert_eq!(sha256(&stored), sha256(&data), "{name} {options:?}");

                    assert_eq!(size(&client, &name).await.unwrap() as usize, len);
                    assert!(list(&client, "/").await.contains(&name), "{options:?}");

                    let mut back = Vec::new();
                    let n = get(&client, &format!("/{name}"), None, &mut back)
                        .await
                        .unwrap();
                    assert_eq!(n as usize, len);
                    assert_eq!(sha256(&back), sha256(&data), "{name} {options:?}");

                    let (_, gone) = client
                        .send_deferred(&Cftpsdele::new(&name).unwrap())
                        .await
                        .unwrap();
                    assert_eq!(gone.errcode, FtpsResult::Success);
                    assert!(!server.root().join(&name).exists());
                    // SIZE asks the server before answering: a missing file is an
                    // error code line, then ERROR.
                    let err = size(&client, &name).await.unwrap_err();
                    assert!(matches!(err, AtError::Command { .. }), "{err}");
                }
            }
            finish(&client).await;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn download_0_1k_and_1m_binary_files() {
    let server = FtpServer::start(FtpOptions::plain()).await;
    for len in [0usize, 1024, MIB] {
        std::fs::write(
            server.root().join(format!("f{len}.bin")),
            payload(len, len as u64),
        )
        .unwrap();
    }
    for options in modes() {
        let (client, _) = logged_in(&server, options.clone()).await;
        for len in [0usize, 1024, MIB] {
            let mut file = Vec::new();
            let n = get(&client, &format!("f{len}.bin"), None, &mut file)
                .await
                .unwrap();
            assert_eq!((n as usize, file.len()), (len, len), "{options:?}");
            assert_eq!(sha256(&file), sha256(&payload(len, len as u64)));
        }
        finish(&client).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upload_1m_framed_with_ctrl_z() {
    let server = FtpServer::start(FtpOptions::explicit_tls()).await;
    let data = payload(MIB, 5);
    for options in modes() {
        let (client, _) = logged_in(&server, options.clone()).await;
        assert_eq!(
            put(&client, "big.bin", &data, false).await,
            FtpsResult::Success
        );
        let stored = std::fs::read(server.root().join("big.bin")).unwrap();
        assert_eq!(sha256(&stored), sha256(&data), "{options:?}");
        assert_eq!(size(&client, "big.bin").await.unwrap() as usize, MIB);
        finish(&client).await;
    }
}

/// A download cut by the server reports `+CFTPSGET: 6` after the bytes that arrived;
/// AT+CFTPSGET with rest_size fetches the rest, and the pieces make the file.
async fn cut_and_resume(options: ModemOptions, len: usize, cut: u64) {
    let faults = FtpFaults {
        drop_data: Some(DataDrop {
            after_bytes: cut,
            transfers: 1,
        }),
        ..FtpFaults::default()
    };
    let server = FtpServer::start(FtpOptions::plain().with_faults(faults)).await;
    let data = payload(len, 11);
    std::fs::write(server.root().join("cut.bin"), &data).unwrap();
    let (client, _) = logged_in(&server, options.clone()).await;

    let mut file = Vec::new();
    let err = get(&client, "cut.bin", None, &mut file).await.unwrap_err();
    assert_eq!(failed_code(err), "6", "{options:?}");
    assert!(file.len() as u64 <= cut, "{}", file.len());
    assert_eq!(file, data[..file.len()]);

    let rest = u32::try_from(file.len()).unwrap();
    let n = get(&client, "cut.bin", Some(rest), &mut file)
        .await
        .unwrap();
    assert_eq!(n as usize, len - rest as usize);
    assert_eq!(sha256(&file), sha256(&data), "{options:?}");
    finish(&client).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn resume_a_cut_download_with_rest_size() {
    for options in modes() {
        cut_and_resume(options, 3000, 1000).await;
    }
    for options in modes() {
        cut_and_resume(options, MIB, 300_000).await;
    }
}

/// Manual flow: simcom-a76xx FTPS "L1205"
/// Manual flow: simcom-a76xx FTPS "L1208"
/// Manual flow: simcom-a76xx FTPS "L1209"
/// Manual flow: simcom-a76xx FTPS "L1206"
/// Manual flow: simcom-a76xx FTPS "L1210"
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn directories_mkd_cwd_pwd_rmd() {
    let server = FtpServer::start(FtpOptions::plain()).await;
    for options in modes() {
        let (client, _) = logged_in(&server, options.clone()).await;
        let (_, made) = client
            .send_deferred(&Cftpsmkd::new("sub").unwrap())
            .await
            .unwrap();
        assert_eq!(made.errcode, FtpsResult::Success);
        assert!(server.root().join("sub").is_dir());
        let (_, cwd) = client
            .send_deferred(&Cftpscwd::new("sub").unwrap())
            .await
            .unwrap();
        assert_eq!(cwd.errcode, FtpsResult::Success);
        assert_eq!(pwd(&client).await, "/sub", "{options:?}");

        // A relative name lands in the working directory.
        let data = payload(100, 1);
        assert_eq!(
            put(&client, "in.bin", &data, true).await,
            FtpsResult::Success
        );
        assert_eq!(
            std::fs::read(server.root().join("sub/in.bin")).unwrap(),
            data
        );

        let err = client
            .send_deferred(&Cftpscwd::new("/nowhere").unwrap())
            .await
            .unwrap_err();
        assert_eq!(
            failed_code(err),
            "17",
            "a missing directory is a file error"
        );

        let (_, cwd) = client
            .send_deferred(&Cftpscwd::new("/").unwrap())
            .await
            .unwrap();
        assert_eq!(cwd.errcode, FtpsResult::Success);
        let err = client
            .send_deferred(&Cftpsrmd::new("sub").unwrap())
            .await
            .unwrap_err();
        assert_ne!(failed_code(err), "0", "a directory with a file stays");
        client
            .send_deferred(&Cftpsdele::new("sub/in.bin").unwrap())
            .await
            .unwrap();
        let (_, removed) = client
            .send_deferred(&Cftpsrmd::new("sub").unwrap())
            .await
            .unwrap();
        assert_eq!(removed.errcode, FtpsResult::Success);
        assert!(!server.root().join("sub").exists());

        let (_, typed) = client
            .send_deferred(&Cftpstype::new(TransferType::Ascii).unwrap())
            .await
            .unwrap();
        assert_eq!(typed.errcode, FtpsResult::Success);
        let current = client.send(&CftpstypeRead::new().unwrap()).await.unwrap();
        assert_eq!(current.type_, TransferType::Ascii);
        finish(&client).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_logins_and_state_errors_use_the_table() {
    let faults = FtpFaults {
        refuse_logins: true,
        ..FtpFaults::default()
    };
    let refusing = FtpServer::start(FtpOptions::plain().with_faults(faults)).await;
    let plain = FtpServer::start(FtpOptions::plain()).await;
    let implicit = FtpServer::start(FtpOptions::implicit_tls()).await;
    for options in modes() {
        // Nothing works before AT+CFTPSSTART.
        let (host, modem_side) = tokio::io::duplex(1 << 16);
        modem::spawn(A76xx::new(), modem_side, options.clone());
        let client: Client<Urc> = Client::new(host, &DIALECT, Config::default());
        let err = client
            .send_deferred(&login_command(&plain, plain.password()))
            .await
            .unwrap_err();
        assert!(matches!(err, AtError::Command { .. }), "{err}");

        let (client, _) = started(&refusing, options.clone()).await;
        let err = client
            .send_deferred(&login_command(&refusing, refusing.password()))
            .await
            .unwrap_err();
        assert_eq!(
            failed_code(err),
            "9",
            "a refused login is rejected_by_server"
        );

        // A wrong password, and then commands that need a login.
        let err = client
            .send_deferred(&login_command(&plain, "wrong"))
            .await
            .unwrap_err();
        assert_eq!(failed_code(err), "9");
        let err = client
            .send_deferred(&Cftpsmkd::new("x").unwrap())
            .await
            .unwrap_err();
        assert!(matches!(err, AtError::Command { .. }), "{err}");
        let err = client
            .send_upload(&Cftpsput::new("x", Some(1), None).unwrap(), &mut &b"x"[..])
            .await
            .unwrap_err();
        assert!(matches!(err, AtError::Command { .. }), "{err}");

        // An FTPS server the module has no certificate for: an SSL alert.
        let err = client
            .send_deferred(&login_command(&implicit, implicit.password()))
            .await
            .unwrap_err();
        assert_eq!(failed_code(err), "1");
    }
    // Nobody listening: the socket cannot connect.
    let port = plain.port();
    drop(plain);
    let (client, _) = started(&refusing, ModemOptions::default()).await;
    let command = Cftpslogin::new("127.0.0.1", port, "u", "p", Some(ServerType::Ftp)).unwrap();
    let err = client.send_deferred(&command).await.unwrap_err();
    assert_eq!(failed_code(err), "14");
}

/// Manual flow: simcom-a76xx FTPS "L1212"
/// Manual flow: simcom-a76xx FTPS "L1213"
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn getfile_and_putfile_through_the_module_file_system() {
    let server = FtpServer::start(FtpOptions::plain()).await;
    let data = payload(5000, 3);
    std::fs::write(server.root().join("remote.bin"), &data).unwrap();
    for options in modes() {
        let (client, files) = logged_in(&server, options.clone()).await;
        let (_, got) = client
            .send_deferred(&Cftpsgetfile::new("/remote.bin", None, None).unwrap())
            .await
            .unwrap();
        assert_eq!(got.errcode, FtpsResult::Success);
        let local = files.get(LocalDir::Local, "remote.bin").unwrap();
        assert_eq!(sha256(&local), sha256(&data), "{options:?}");

        files.put(LocalDir::SdCard, "local.bin", data[..1000].to_vec());
        client
            .send_deferred(&Cftpsmkd::new("/dir").unwrap())
            .await
            .unwrap();
        let put = Cftpsputfile::new("/dir/local.bin", Some(LocalDir::SdCard), None).unwrap();
        let (_, sent) = client.send_deferred(&put).await.unwrap();
        assert_eq!(sent.errcode, FtpsResult::Success);
        let stored = std::fs::read(server.root().join("dir/local.bin")).unwrap();
        assert_eq!(stored, data[..1000]);
        std::fs::remove_dir_all(server.root().join("dir")).unwrap();

        // A file the module does not have: 7, file not found.
        let put = Cftpsputfile::new("/none.bin", None, None).unwrap();
        let err = client.send_deferred(&put).await.unwrap_err();
        assert!(matches!(err, AtError::Command { .. }), "{err}");
        finish(&client).await;
    }
}

/// Manual flow: simcom-a76xx FTPS "L1214"
/// Manual flow: simcom-a76xx FTPS "L1217"
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cached_download_read_with_cacherd() {
    let server = FtpServer::start(FtpOptions::plain()).await;
    let data = payload(2500, 8);
    std::fs::write(server.root().join("c.bin"), &data).unwrap();
    for options in modes() {
        let (client, _) = logged_in(&server, options.clone()).await;
        let mut urcs = client.subscribe();
        client
            .send_deferred(&CftpsgetCached::new("c.bin", 0).unwrap())
            .await
            .unwrap();
        let cached = client
            .send(&CftpscacherdRead::new().unwrap())
            .await
            .unwrap();
        assert_eq!(cached.len as usize, data.len());
        let mut file = Vec::new();
        while file.len() < data.len() {
            let (chunk, n) = client
                .send_download(&Cftpscacherd::new().unwrap(), &mut file)
                .await
                .unwrap();
            assert_eq!(u64::from(chunk.out_len), n);
            assert!(n > 0 && n <= 1024);
        }
        assert_eq!(sha256(&file), sha256(&data), "{options:?}");
        let end = loop {
            match tokio::time::timeout(Duration::from_secs(5), urcs.recv()).await {
                Ok(Ok(Unsolicited::Urc(Urc::GetResult(done)))) => break done,
                Ok(Ok(_)) => {}
                other => panic!("no +CFTPSGET result: {other:?}"),
            }
        };
        assert_eq!(end.errcode, FtpsResult::Success);
        finish(&client).await;
    }
}

/// Manual flow: simcom-a76xx FTPS "L1218"
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn abort_logs_out_and_stops_the_service() {
    let server = FtpServer::start(FtpOptions::plain()).await;
    for options in modes() {
        let (client, _) = logged_in(&server, options.clone()).await;
        let (_, aborted) = client
            .send_deferred(&Cftpsabort::new().unwrap())
            .await
            .unwrap();
        assert_eq!(aborted.errcode, FtpsResult::Success);
        // The service is down: commands answer ERROR until AT+CFTPSSTART.
        let err = client
            .send_deferred(&Cftpsmkd::new("x").unwrap())
            .await
            .unwrap_err();
        assert!(matches!(err, AtError::Command { .. }), "{err}");
        client
            .send_deferred(&Cftpsstart::new().unwrap())
            .await
            .unwrap();
        let (_, login) = client
            .send_deferred(&login_command(&server, server.password()))
            .await
            .unwrap();
        assert_eq!(login.errcode, FtpsResult::Success);
        finish(&client).await;
    }
}

/// Reads from `host` until `until` has arrived; everything read so far.
async fn read_until(host: &mut tokio::io::DuplexStream, seen: &mut Vec<u8>, until: &[u8]) {
    use tokio::io::AsyncReadExt;
    let mut buf = [0u8; 4096];
    while !seen.windows(until.len()).any(|w| w == until) {
        let n = tokio::time::timeout(Duration::from_secs(10), host.read(&mut buf))
            .await
            .expect("the module answers")
            .unwrap();
        assert!(n > 0, "the module hung up");
        seen.extend_from_slice(&buf[..n]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_bytes_on_the_wire() {
    use tokio::io::AsyncWriteExt;
    let server = FtpServer::start(FtpOptions::plain()).await;
    let data = payload(2500, 4);
    std::fs::write(server.root().join("w.bin"), &data).unwrap();
    let (mut host, modem_side) = tokio::io::duplex(1 << 16);
    modem::spawn(A76xx::new(), modem_side, ModemOptions::default());
    let mut seen = Vec::new();
    host.write_all(b"AT+CFTPSSTART\r").await.unwrap();
    read_until(&mut host, &mut seen, b"+CFTPSSTART: 0\r\n").await;
    assert_eq!(seen, b"\r\nOK\r\n\r\n+CFTPSSTART: 0\r\n");

    let login = format!(
        "AT+CFTPSLOGIN=\"127.0.0.1\",{},\"{}\",\"{}\",0\r",
        server.port(),
        server.user(),
        server.password()
    );
    seen.clear();
    host.write_all(login.as_bytes()).await.unwrap();
    read_until(&mut host, &mut seen, b"+CFTPSLOGIN: 0\r\n").await;
    assert_eq!(seen, b"\r\nOK\r\n\r\n+CFTPSLOGIN: 0\r\n");

    // Pieces of at most 1024 bytes, each announced on its own line.
    seen.clear();
    host.write_all(b"AT+CFTPSGET=\"w.bin\"\r").await.unwrap();
    read_until(&mut host, &mut seen, b"\r\n+CFTPSGET: 0\r\n").await;
    let mut expected = b"\r\nOK\r\n".to_vec();
    for piece in data.chunks(1024) {
        expected.extend_from_slice(format!("\r\n+CFTPSGET: DATA,{}\r\n", piece.len()).as_bytes());
        expected.extend_from_slice(piece);
    }
    expected.extend_from_slice(b"\r\n+CFTPSGET: 0\r\n");
    assert_eq!(seen, expected);

    // The prompt, the data (Ctrl+Z and ETX escaped with ETX), OK, then the result.
    seen.clear();
    host.write_all(b"AT+CFTPSPUT=\"e.bin\"\r").await.unwrap();
    read_until(&mut host, &mut seen, b"> ").await;
    assert_eq!(seen, b"\r\n> ");
    host.write_all(b"a\x03\x1ab\x03\x03c\x1a").await.unwrap();
    seen.clear();
    read_until(&mut host, &mut seen, b"+CFTPSPUT: 0\r\n").await;
    assert_eq!(seen, b"\r\nOK\r\n\r\n+CFTPSPUT: 0\r\n");
    assert_eq!(
        std::fs::read(server.root().join("e.bin")).unwrap(),
        b"a\x1ab\x03c"
    );

    // Refused at once: the code, then ERROR; AT+CFTPSPUT the other way round.
    seen.clear();
    host.write_all(b"AT+CFTPSLOGOUT\r").await.unwrap();
    read_until(&mut host, &mut seen, b"+CFTPSLOGOUT: 0\r\n").await;
    seen.clear();
    host.write_all(b"AT+CFTPSMKD=\"d\"\r").await.unwrap();
    read_until(&mut host, &mut seen, b"ERROR\r\n").await;
    assert_eq!(seen, b"\r\n+CFTPSMKD: 11\r\n\r\nERROR\r\n");
    seen.clear();
    host.write_all(b"AT+CFTPSPUT=\"d\",1\r").await.unwrap();
    read_until(&mut host, &mut seen, b"+CFTPSPUT: 11\r\n").await;
    assert_eq!(seen, b"\r\nERROR\r\n\r\n+CFTPSPUT: 11\r\n");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn abort_ends_a_running_download() {
    let faults = FtpFaults {
        delay: Duration::from_millis(300),
        ..FtpFaults::default()
    };
    let server = FtpServer::start(FtpOptions::plain().with_faults(faults)).await;
    std::fs::write(server.root().join("slow.bin"), payload(1000, 1)).unwrap();
    let (client, _) = logged_in(&server, ModemOptions::default()).await;
    let client = std::sync::Arc::new(client);
    let getting = {
        let client = client.clone();
        tokio::spawn(async move {
            let mut sink = Vec::new();
            let _ = get(&client, "slow.bin", None, &mut sink).await;
        })
    };
    tokio::time::sleep(Duration::from_millis(100)).await;
    let (_, aborted) = client
        .send_deferred(&Cftpsabort::new().unwrap())
        .await
        .unwrap();
    assert_eq!(aborted.errcode, FtpsResult::Success);
    getting.abort();
    let err = client
        .send_deferred(&Cftpsmkd::new("x").unwrap())
        .await
        .unwrap_err();
    assert!(matches!(err, AtError::Command { .. }), "stopped: {err}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_read_and_setting_forms() {
    use atspec_a76xx::ftps::{
        CftpscwdTest, CftpsloginTest, Cftpsmode, CftpsmodeRead, CftpspwdTest, Cftpssingleip,
        CftpssingleipRead, CftpsstartTest, FtpMode, SingleIp,
    };
    let server = FtpServer::start(FtpOptions::plain()).await;
    for options in modes() {
        // Answered whether or not the service runs.
        let (host, modem_side) = tokio::io::duplex(1 << 16);
        modem::spawn(A76xx::new(), modem_side, options.clone());
        let client: Client<Urc> = Client::new(host, &DIALECT, Config::default());
        client.send(&CftpsstartTest::new().unwrap()).await.unwrap();
        let login = client.send(&CftpsloginTest::new().unwrap()).await.unwrap();
        assert!(login.supported.contains("(1-65535)"), "{login:?}");
        client.send(&CftpscwdTest::new().unwrap()).await.unwrap();
        let pwd = client.send(&CftpspwdTest::new().unwrap()).await.unwrap();
        assert!(pwd.pwd_supported.is_some());

        let single = client
            .send(&CftpssingleipRead::new().unwrap())
            .await
            .unwrap();
        assert_eq!(single.singleip, SingleIp::ServerReply);
        client
            .send(&Cftpssingleip::new(SingleIp::ControlAddress).unwrap())
            .await
            .unwrap();
        let single = client
            .send(&CftpssingleipRead::new().unwrap())
            .await
            .unwrap();
        assert_eq!(single.singleip, SingleIp::ControlAddress, "{options:?}");
        client
            .send(&Cftpsmode::new(FtpMode::Active).unwrap())
            .await
            .unwrap();
        let mode = client.send(&CftpsmodeRead::new().unwrap()).await.unwrap();
        assert_eq!(mode.mode, FtpMode::Active);

        // Settings do not reach the data connections, which stay passive.
        client
            .send_deferred(&Cftpsstart::new().unwrap())
            .await
            .unwrap();
        let login = login_command(&server, server.password());
        client.send_deferred(&login).await.unwrap();
        assert!(list(&client, "/").await.is_empty());
        finish(&client).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn getfile_resumes_a_cut_download_with_its_offset() {
    for options in modes() {
        let faults = FtpFaults {
            drop_data: Some(DataDrop {
                after_bytes: 2000,
                transfers: 1,
            }),
            ..FtpFaults::default()
        };
        let server = FtpServer::start(FtpOptions::plain().with_faults(faults)).await;
        let data = payload(5000, 9);
        std::fs::write(server.root().join("g.bin"), &data).unwrap();
        let (client, files) = logged_in(&server, options.clone()).await;
        let err = client
            .send_deferred(&Cftpsgetfile::new("g.bin", None, None).unwrap())
            .await
            .unwrap_err();
        assert_eq!(failed_code(err), "6", "{options:?}");
        let part = files.get(LocalDir::Local, "g.bin").unwrap_or_default();
        assert!(part.len() <= 2000 && part == data[..part.len()]);

        let offset = u32::try_from(part.len()).unwrap();
        let resume = Cftpsgetfile::new("g.bin", Some(LocalDir::Local), Some(offset)).unwrap();
        let (_, done) = client.send_deferred(&resume).await.unwrap();
        assert_eq!(done.errcode, FtpsResult::Success);
        let file = files.get(LocalDir::Local, "g.bin").unwrap();
        assert_eq!(sha256(&file), sha256(&data), "{options:?}");

        // An offset past the local file is refused at once: 7, then ERROR.
        let beyond = Cftpsgetfile::new("g.bin", Some(LocalDir::Local), Some(9000)).unwrap();
        let err = client.send_deferred(&beyond).await.unwrap_err();
        assert!(matches!(err, AtError::Command { .. }), "{err}");
        finish(&client).await;
    }
}

/// Waits up to `within` for `+CFTPSNOTIFY: PEER CLOSED`; whether it came.
async fn peer_closed(urcs: &mut broadcast::Receiver<Unsolicited<Urc>>, within: Duration) -> bool {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, urcs.recv()).await {
            Ok(Ok(Unsolicited::Urc(Urc::PeerClosed(_)))) => return true,
            Ok(Ok(_)) => {}
            Ok(Err(broadcast::error::RecvError::Lagged(_))) => {}
            Ok(Err(broadcast::error::RecvError::Closed)) | Err(_) => return false,
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_gone_is_peer_closed_then_logout_and_login_again() {
    for options in modes() {
        let server = FtpServer::start(FtpOptions::plain()).await;
        let (client, _) = logged_in(&server, options.clone()).await;
        let mut urcs = client.subscribe();
        // The server ends every session: the module notices without being asked.
        drop(server);
        assert!(
            peer_closed(&mut urcs, Duration::from_secs(5)).await,
            "no PEER CLOSED {options:?}"
        );
        // What the notice asks for: log out, then log in again (to a new server).
        let (_, out) = client
            .send_deferred(&Cftpslogout::new().unwrap())
            .await
            .unwrap();
        assert_eq!(out.errcode, FtpsResult::Success);
        let server = FtpServer::start(FtpOptions::plain()).await;
        let (_, login) = client
            .send_deferred(&login_command(&server, server.password()))
            .await
            .unwrap();
        assert_eq!(login.errcode, FtpsResult::Success, "{options:?}");
        assert_eq!(pwd(&client).await, "/");

        // A logout of the module's own is no peer closing.
        let mut urcs = client.subscribe();
        finish(&client).await;
        assert!(!peer_closed(&mut urcs, Duration::from_millis(300)).await);
    }
}

/// Manual flow: simcom-a76xx FTPS "L1216"
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn singleip_reaches_a_server_that_names_another_data_address() {
    use atspec_a76xx::ftps::{Cftpssingleip, SingleIp};
    // The server's PASV replies name 127.0.0.2, where nothing listens (a server behind
    // NAT naming its private address).
    let faults = FtpFaults {
        announce_passive_host: Some(std::net::Ipv4Addr::new(127, 0, 0, 2)),
        ..FtpFaults::default()
    };
    let server = FtpServer::start(FtpOptions::plain().with_faults(faults)).await;
    let data = payload(3000, 2);
    std::fs::write(server.root().join("n.bin"), &data).unwrap();
    for options in modes() {
        let (client, _) = logged_in(&server, options.clone()).await;
        let err = get(&client, "n.bin", None, &mut Vec::new())
            .await
            .unwrap_err();
        assert_ne!(failed_code(err), "0", "{options:?}");
        finish(&client).await;

        // AT+CFTPSSINGLEIP=1 before the login: data goes where the control connection goes.
        let (client, _) = started(&server, options.clone()).await;
        client
            .send(&Cftpssingleip::new(SingleIp::ControlAddress).unwrap())
            .await
            .unwrap();
        let (_, login) = client
            .send_deferred(&login_command(&server, server.password()))
            .await
            .unwrap();
        assert_eq!(login.errcode, FtpsResult::Success);
        let mut file = Vec::new();
        get(&client, "n.bin", None, &mut file).await.unwrap();
        assert_eq!(sha256(&file), sha256(&data), "{options:?}");
        assert!(list(&client, "/").await.contains("n.bin"));
        finish(&client).await;
    }
}
