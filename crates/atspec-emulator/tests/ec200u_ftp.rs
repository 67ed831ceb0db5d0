//! Quectel EC200U FTP(S) end to end: the generated driver and the runtime client talk to
//! the emulated module, which performs every operation for real against the loopback
//! FTP server, plain and as explicit and implicit FTPS. Every flow runs plain, with 1-byte
//! output chunks, echo on and unrelated URCs injected, and with random chunks, the 1 MiB
//! transfers included. The manual's example sections, step by step, are in
//! `ec200u_examples.rs`.

mod ec200u_common;
mod support;

use atspec::{AtError, Client};
use atspec_common::v250::{CmeeMode, CmeeWrite};
use atspec_ec200u::Urc;
use atspec_ec200u::ftp::{
    LastPacket, QftpcfgAccountQueryWrite, QftpcfgContextIdWrite, QftpcfgSslTypeQueryWrite,
    QftpcloseExec, QftpcwdWrite, QftpdelWrite, QftplenExec, QftplistToPortNamedWrite,
    QftpmkdirWrite, QftpnlstToPortWrite, QftpopenWrite, QftpputFromPortSizedWrite,
    QftpputFromPortWrite, QftppwdExec, QftprenameWrite, QftprmdirWrite, QftpsizeWrite,
    QftpstatExec, SslType,
};
use atspec_ec200u::support::QsslcfgSecLevelQueryWrite;
use atspec_emulator::backend::ftp::{DataDrop, FtpFaults, FtpOptions, FtpServer};
use atspec_emulator::modem::ModemOptions;
use atspec_emulator::payload;
use ec200u_common::{
    assert_cme, assert_failed, bytewise, configured, download, logged_in, plain, put, random,
};
use support::sha256;

/// Uploads `data` ended by `+++` and checks the module's count, AT+QFTPLEN, AT+QFTPSIZE
/// and the file the server stored.
async fn upload(client: &Client<Urc>, server: &FtpServer, dir: &str, name: &str, data: &[u8]) {
    let done = put(
        client,
        &QftpputFromPortWrite::new(name, None).unwrap(),
        data,
    )
    .await;
    assert_eq!(
        (done.err.code(), done.transferlen as usize),
        (0, data.len())
    );
    let (_, len) = client.send_deferred(&QftplenExec::new()).await.unwrap();
    assert_eq!(len.transferlen as usize, data.len());
    let (_, size) = client
        .send_deferred(&QftpsizeWrite::new(name).unwrap())
        .await
        .unwrap();
    assert_eq!(size.file_size as usize, data.len());
    let stored = std::fs::read(server.root().join(dir).join(name)).unwrap();
    assert_eq!(sha256(&stored), sha256(data), "{name} as stored");
}

/// The upload, size, listing and download flow of sections 3.3 to 3.7 for `sizes`.
async fn transfer_flow(server: &FtpServer, options: ModemOptions, ssl_type: u8, sizes: &[usize]) {
    let client = logged_in(server, options.clone(), ssl_type).await;
    let (_, made) = client
        .send_deferred(&QftpmkdirWrite::new("up").unwrap())
        .await
        .unwrap();
    assert_eq!(made.err.code(), 0);
    client
        .send_deferred(&QftpcwdWrite::new("up").unwrap())
        .await
        .unwrap();
    let (_, pwd) = client.send_deferred(&QftppwdExec::new()).await.unwrap();
    assert_eq!(pwd.path_name, "/up");

    for (seed, &size) in sizes.iter().enumerate() {
        let name = format!("f{size}.bin");
        let data = payload(size, seed as u64 + 1);
        upload(&client, server, "up", &name, &data).await;
        let back = download(&client, &name, None, None).await.unwrap();
        assert_eq!(sha256(&back), sha256(&data), "{name} {options:?}");
    }

    // Data holding the data-mode terminator and the escape sequence, neither between
    // guard times: both are data.
    let tricky = [
        &b"head\r\nOK\r\n"[..],
        b"+++",
        b"mid\r\nOK\r\n\r\n+QFTPPUT: 0,1\r\n",
        &payload(700, 9),
        b"+++tail\r\nOK\r\n",
    ]
    .concat();
    upload(&client, server, "up", "tricky.bin", &tricky).await;
    let back = download(&client, "tricky.bin", None, None).await.unwrap();
    assert_eq!(sha256(&back), sha256(&tricky), "{options:?}");

    // Section 3.6, solution 1: two parts of known length, the first not the last.
    let whole = payload(2048, 21);
    let first = QftpputFromPortSizedWrite::new("parts.bin", 0, 1024, LastPacket::from_code(0));
    let done = put(&client, &first.unwrap(), &whole[..1024]).await;
    assert_eq!((done.err.code(), done.transferlen), (0, 1024));
    let last = QftpputFromPortSizedWrite::new("parts.bin", 1024, 1024, LastPacket::from_code(1));
    let done = put(&client, &last.unwrap(), &whole[1024..]).await;
    assert_eq!((done.err.code(), done.transferlen), (0, 1024));
    let back = download(&client, "parts.bin", None, None).await.unwrap();
    assert_eq!(sha256(&back), sha256(&whole));

    // Section 3.7: the file in two pieces by start position and length.
    let head = download(&client, "parts.bin", Some(0), Some(1500))
        .await
        .unwrap();
    let rest = download(&client, "parts.bin", Some(1500), Some(1500))
        .await
        .unwrap();
    assert_eq!((head.len(), rest.len()), (1500, 548));
    assert_eq!(sha256(&[head, rest].concat()), sha256(&whole));

    let mut listing = Vec::new();
    let (_, done, _) = client
        .send_deferred_download(&QftplistToPortNamedWrite::new(".").unwrap(), &mut listing)
        .await
        .unwrap();
    assert_eq!(done.transfer_size as usize, listing.len());
    let listing = String::from_utf8(listing).unwrap();
    assert!(
        listing
            .lines()
            .any(|l| l.ends_with("parts.bin") && l.contains("2048")),
        "{listing}"
    );
    let mut names = Vec::new();
    let (_, done, _) = client
        .send_deferred_download(&QftpnlstToPortWrite::new(".").unwrap(), &mut names)
        .await
        .unwrap();
    assert_eq!(done.transfer_size as usize, names.len());
    let names = String::from_utf8(names).unwrap();
    for size in sizes {
        assert!(
            names.lines().any(|n| n == format!("f{size}.bin")),
            "{names}"
        );
    }

    let (_, closed) = client.send_deferred(&QftpcloseExec::new()).await.unwrap();
    assert_eq!(closed.err.code(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_ftp_upload_list_size_download() {
    let server = FtpServer::start(FtpOptions::plain()).await;
    transfer_flow(&server, plain(), 0, &support::SIZES).await;
    std::fs::remove_dir_all(server.root().join("up")).unwrap();
    transfer_flow(&server, bytewise(), 0, &support::SIZES).await;
    std::fs::remove_dir_all(server.root().join("up")).unwrap();
    transfer_flow(&server, random(), 0, &support::SIZES).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn explicit_ftps_by_ssltype_2() {
    let server = FtpServer::start(FtpOptions::explicit_tls()).await;
    transfer_flow(&server, plain(), 2, &[0, 1024]).await;
    std::fs::remove_dir_all(server.root().join("up")).unwrap();
    transfer_flow(&server, bytewise(), 2, &support::SIZES).await;
    std::fs::remove_dir_all(server.root().join("up")).unwrap();
    transfer_flow(&server, random(), 2, &support::SIZES).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn implicit_ftps_by_ssltype_1() {
    let server = FtpServer::start(FtpOptions::implicit_tls()).await;
    transfer_flow(&server, plain(), 1, &[0, 1024]).await;
    std::fs::remove_dir_all(server.root().join("up")).unwrap();
    transfer_flow(&server, bytewise(), 1, &support::SIZES).await;
    std::fs::remove_dir_all(server.root().join("up")).unwrap();
    transfer_flow(&server, random(), 1, &support::SIZES).await;
}

/// Section 3.7 after a cut: the first download fails partway, AT+QFTPLEN tells how
/// far it got, and a download from that start position completes the file.
async fn resumed(options: ModemOptions, ssl_type: u8, size: usize, cut: u64) {
    let tls = match ssl_type {
        0 => FtpOptions::plain(),
        1 => FtpOptions::implicit_tls(),
        _ => FtpOptions::explicit_tls(),
    };
    let faults = FtpFaults {
        drop_data: Some(DataDrop {
            after_bytes: cut,
            transfers: 1,
        }),
        ..FtpFaults::default()
    };
    let server = FtpServer::start(tls.with_faults(faults)).await;
    // Put there directly: an upload would count as the transfer to cut.
    let data = payload(size, 5);
    std::fs::write(server.root().join("big.bin"), &data).unwrap();
    let client = logged_in(&server, options.clone(), ssl_type).await;

    let (err, head) = download(&client, "big.bin", None, None).await.unwrap_err();
    match err {
        AtError::Failed { code, .. } => assert!(
            ["607", "616", "618"].contains(&code.code.as_str()),
            "a transfer failure, got {code}"
        ),
        other => panic!("expected the cut transfer to fail, got {other}"),
    }
    assert!(
        head.len() as u64 <= cut && !head.is_empty(),
        "{}",
        head.len()
    );
    let (_, len) = client.send_deferred(&QftplenExec::new()).await.unwrap();
    assert_eq!(len.transferlen as usize, head.len());

    let startpos = u32::try_from(head.len()).unwrap();
    let tail = download(&client, "big.bin", Some(startpos), None)
        .await
        .unwrap();
    assert_eq!(head.len() + tail.len(), size, "{options:?}");
    assert_eq!(sha256(&[head, tail].concat()), sha256(&data), "{options:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn download_resumed_by_start_position_after_a_cut() {
    resumed(plain(), 0, 1 << 20, 300_000).await;
    resumed(bytewise(), 0, 1 << 20, 300_000).await;
    resumed(bytewise(), 1, 1 << 20, 300_000).await;
    resumed(random(), 0, 1 << 20, 300_000).await;
    resumed(random(), 2, 1 << 20, 300_000).await;
}

async fn folders_and_files(options: ModemOptions) {
    let server = FtpServer::start(FtpOptions::plain()).await;
    let client = logged_in(&server, options.clone(), 0).await;
    let (_, state) = client.send_deferred(&QftpstatExec::new()).await.unwrap();
    assert_eq!(state.ftpstat.code(), 1, "logged in and idle");

    // Section 3.3.
    client
        .send_deferred(&QftpcwdWrite::new("/").unwrap())
        .await
        .unwrap();
    let (_, pwd) = client.send_deferred(&QftppwdExec::new()).await.unwrap();
    assert_eq!(pwd.path_name, "/");
    client
        .send_deferred(&QftpmkdirWrite::new("TEST").unwrap())
        .await
        .unwrap();
    client
        .send_deferred(&QftprenameWrite::new("TEST", "TEST_NEW").unwrap())
        .await
        .unwrap();
    assert!(server.root().join("TEST_NEW").is_dir());
    client
        .send_deferred(&QftprmdirWrite::new("TEST_NEW").unwrap())
        .await
        .unwrap();
    assert!(!server.root().join("TEST_NEW").exists());

    // Section 3.4.
    let data = payload(1000, 4);
    upload(&client, &server, "", "test_my1.txt", &data).await;
    let (_, done) = client
        .send_deferred(&QftprenameWrite::new("test_my1.txt", "test_new.txt").unwrap())
        .await
        .unwrap();
    assert_eq!((done.err.code(), done.protocol_error.code()), (0, 0));
    let moved = std::fs::read(server.root().join("test_new.txt")).unwrap();
    assert_eq!(sha256(&moved), sha256(&data));
    client
        .send_deferred(&QftpdelWrite::new("test_new.txt").unwrap())
        .await
        .unwrap();
    assert!(!server.root().join("test_new.txt").exists());

    // A missing file: `<err>` 627 with the server's 550 (chapter 4.4).
    let err = client
        .send_deferred(&QftpsizeWrite::new("test_new.txt").unwrap())
        .await
        .unwrap_err();
    assert_failed(&err, "627");
    let (err, data) = download(&client, "test_new.txt", None, None)
        .await
        .unwrap_err();
    assert_failed(&err, "627");
    assert!(data.is_empty());
    let err = client
        .send_deferred(&QftpdelWrite::new("test_new.txt").unwrap())
        .await
        .unwrap_err();
    assert_failed(&err, "627");

    // An upload continuing a file must start where the file ends.
    let err = client
        .send_upload(
            &QftpputFromPortWrite::new("none.bin", Some(10)).unwrap(),
            &mut &b"x"[..],
        )
        .await
        .unwrap_err();
    assert_cme(&err, "612");

    // Section 3.8.
    let (_, closed) = client.send_deferred(&QftpcloseExec::new()).await.unwrap();
    assert_eq!((closed.err.code(), closed.protocol_error.code()), (0, 0));
    let (_, state) = client.send_deferred(&QftpstatExec::new()).await.unwrap();
    assert_eq!(state.ftpstat.code(), 4, "closed");
    let err = client
        .send_deferred(&QftpcwdWrite::new("/").unwrap())
        .await
        .unwrap_err();
    assert_cme(&err, "625");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn folder_and_file_operations() {
    folders_and_files(plain()).await;
    folders_and_files(bytewise()).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_login_is_625_with_the_servers_530() {
    let faults = FtpFaults {
        refuse_logins: true,
        ..FtpFaults::default()
    };
    let server = FtpServer::start(FtpOptions::plain().with_faults(faults)).await;
    for options in [plain(), bytewise()] {
        let client = configured(&server, options.clone(), 0).await;
        let open = QftpopenWrite::new("127.0.0.1", Some(server.port())).unwrap();
        let err = client.send_deferred(&open).await.unwrap_err();
        assert_failed(&err, "625");
        // The server's own reply travels with the module's code.
        let AtError::Failed {
            detail: Some(detail),
            ..
        } = &err
        else {
            panic!("no server reply code in {err}");
        };
        assert_eq!(
            (detail.table, detail.code.as_str()),
            ("ftp_protocol_error", "530")
        );
        assert_eq!(
            detail.meaning,
            Some("Not logged in; the user name or password may be wrong.")
        );
        assert_eq!(
            err.to_string(),
            "+QFTPOPEN: the modem reported 625 (Not logged in.), with 530 (Not logged in; \
             the user name or password may be wrong.)",
            "both codes, without table names"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unresolvable_host_or_inactive_context_is_604() {
    let server = FtpServer::start(FtpOptions::plain()).await;
    for options in [plain(), bytewise()] {
        let client = configured(&server, options.clone(), 0).await;
        let open = QftpopenWrite::new("no-such-host.invalid", Some(21)).unwrap();
        let err = client.send_deferred(&open).await.unwrap_err();
        assert_failed(&err, "604");
        match &err {
            AtError::Failed { code, .. } => {
                assert!(code.meaning.unwrap().contains("could not be resolved"))
            }
            _ => unreachable!(),
        }
        // Section 4.3: the context must be active too.
        let other = QftpcfgContextIdWrite::new(2).unwrap();
        client.send(&other).await.unwrap();
        let open = QftpopenWrite::new("127.0.0.1", Some(server.port())).unwrap();
        let err = client.send_deferred(&open).await.unwrap_err();
        assert_failed(&err, "604");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn settings_are_kept_and_reported() {
    let server = FtpServer::start(FtpOptions::plain()).await;
    for options in [plain(), bytewise()] {
        let client = configured(&server, options, 2).await;
        let account = client.send(&QftpcfgAccountQueryWrite::new()).await.unwrap();
        assert_eq!(
            (account.username.as_str(), account.password.as_str()),
            (server.user(), server.password())
        );
        let ssl = client.send(&QftpcfgSslTypeQueryWrite::new()).await.unwrap();
        assert_eq!(ssl.ssl_type, SslType::FtpsExplicit);
        let level = client
            .send(&QsslcfgSecLevelQueryWrite::new(1).unwrap())
            .await
            .unwrap();
        assert_eq!((level.ssl_ctx_id, level.sec_level.code()), (1, 0));
        // Not logged in yet: refused before any server exchange.
        let err = client
            .send_deferred(&QftpsizeWrite::new("x").unwrap())
            .await
            .unwrap_err();
        assert_cme(&err, "625");
        // AT+CMEE=2 words the code, AT+CMEE=0 leaves plain ERROR.
        client
            .send(&CmeeWrite::new(Some(CmeeMode::Verbose)).unwrap())
            .await
            .unwrap();
        let err = client
            .send_deferred(&QftpsizeWrite::new("x").unwrap())
            .await
            .unwrap_err();
        match &err {
            AtError::Command { code, meaning, .. } => {
                assert_eq!(code.as_deref(), Some("Not logged in."));
                assert_eq!(*meaning, Some("Not logged in."));
            }
            other => panic!("expected a worded +CME ERROR, got {other}"),
        }
        client
            .send(&CmeeWrite::new(Some(CmeeMode::Disabled)).unwrap())
            .await
            .unwrap();
        let err = client
            .send_deferred(&QftpsizeWrite::new("x").unwrap())
            .await
            .unwrap_err();
        match &err {
            AtError::Command { result, code, .. } => assert_eq!((*result, code), ("ERROR", &None)),
            other => panic!("expected ERROR, got {other}"),
        }
    }
}
