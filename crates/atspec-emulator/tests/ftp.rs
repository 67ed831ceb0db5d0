//! The FTP backend driven by the FTP client in the three security modes: uploads, listings,
//! sizes, downloads checked by SHA-256, resumed downloads, renames, deletes, directories,
//! refused logins and injected faults.

mod support;

use std::time::{Duration, Instant};

use atspec_emulator::PayloadReader;
use atspec_emulator::backend::ftp::{DataDrop, FtpFaults, FtpOptions, FtpServer};
use atspec_emulator::client::ftp::{FtpClient, FtpConnect, FtpErrorKind, FtpTls, is_login_refused};
use atspec_emulator::payload;
use support::{SIZES, sha256};

async fn logged_in(server: &FtpServer) -> FtpClient {
    let mut client = FtpClient::connect(&server.connect_options()).await.unwrap();
    client
        .login(server.user(), server.password())
        .await
        .unwrap();
    client
}

/// Everything a modem does with FTP, in one session.
async fn full_session(options: FtpOptions) {
    let server = FtpServer::start(options).await;
    let mut ftp = logged_in(&server).await;
    assert_eq!(ftp.pwd().await.unwrap(), "/");

    ftp.mkdir("up").await.unwrap();
    ftp.cwd("up").await.unwrap();
    assert_eq!(ftp.pwd().await.unwrap(), "/up");
    for (seed, size) in SIZES.into_iter().enumerate() {
        let data = payload(size, seed as u64);
        let name = format!("f{size}.bin");
        assert_eq!(ftp.put_bytes(&name, &data).await.unwrap(), size as u64);
        assert_eq!(ftp.size(&name).await.unwrap(), size as u64);
        let back = ftp.get_bytes(&name, 0).await.unwrap();
        assert_eq!(sha256(&back), sha256(&data), "{name}");
        let on_disk = std::fs::read(server.root().join("up").join(&name)).unwrap();
        assert_eq!(sha256(&on_disk), sha256(&data), "{name} on disk");
    }

    // Streaming upload, then a download resumed from an offset.
    let size = 1024 * 1024 + 3;
    let sent = ftp
        .put_from("stream.bin", &mut PayloadReader::new(size, 77))
        .await
        .unwrap();
    assert_eq!(sent, size);
    let offset = 300_001;
    let mut tail = Vec::new();
    let received = ftp.get_to("stream.bin", offset, &mut tail).await.unwrap();
    assert_eq!(received, size - offset);
    assert_eq!(
        sha256(&tail),
        sha256(&payload(size as usize, 77)[offset as usize..])
    );

    // Append.
    let more = payload(1000, 3);
    ftp.append_from("f1024.bin", &mut &more[..]).await.unwrap();
    assert_eq!(ftp.size("f1024.bin").await.unwrap(), 2024);

    let names = ftp.nlst(None).await.unwrap();
    for name in ["f0.bin", "f1024.bin", "f1048576.bin", "stream.bin"] {
        assert!(names.iter().any(|n| n == name), "{name} in {names:?}");
    }
    let long = ftp.list(None).await.unwrap();
    assert!(
        long.iter()
            .any(|l| l.ends_with("f1048576.bin") && l.contains("1048576")),
        "{long:?}"
    );

    ftp.rename("f1024.bin", "renamed.bin").await.unwrap();
    let names = ftp.nlst(None).await.unwrap();
    assert!(names.iter().any(|n| n == "renamed.bin") && !names.iter().any(|n| n == "f1024.bin"));
    ftp.delete("renamed.bin").await.unwrap();
    let missing = ftp.size("renamed.bin").await.unwrap_err();
    assert_eq!(missing.kind(), FtpErrorKind::Reply);
    assert_eq!(missing.reply_code(), Some(550));
    let missing = ftp.get_bytes("renamed.bin", 0).await.unwrap_err();
    assert_eq!(missing.reply_code(), Some(550));

    for name in ["f0.bin", "f1048576.bin", "stream.bin"] {
        ftp.delete(name).await.unwrap();
    }
    ftp.cwd("/").await.unwrap();
    ftp.rmdir("up").await.unwrap();
    assert!(ftp.nlst(None).await.unwrap().is_empty());
    assert!(std::fs::read_dir(server.root()).unwrap().next().is_none());
    ftp.quit().await.unwrap();
}

#[tokio::test]
async fn plain_ftp_session() {
    full_session(FtpOptions::plain()).await;
}

#[tokio::test]
async fn explicit_ftps_session() {
    full_session(FtpOptions::explicit_tls()).await;
}

#[tokio::test]
async fn implicit_ftps_session() {
    full_session(FtpOptions::implicit_tls()).await;
}

#[tokio::test]
async fn wrong_credentials_are_refused() {
    let server = FtpServer::start(FtpOptions::plain()).await;
    let mut ftp = FtpClient::connect(&server.connect_options()).await.unwrap();
    let err = ftp.login(server.user(), "wrong").await.unwrap_err();
    assert!(is_login_refused(&err), "{err}");
    let err = ftp.login("nobody", server.password()).await.unwrap_err();
    assert_eq!(err.reply_code(), Some(530));
    ftp.login(server.user(), server.password()).await.unwrap();
}

#[tokio::test]
async fn refuse_logins_fault() {
    for options in [
        FtpOptions::plain(),
        FtpOptions::explicit_tls(),
        FtpOptions::implicit_tls(),
    ] {
        let faults = FtpFaults {
            refuse_logins: true,
            ..FtpFaults::default()
        };
        let server = FtpServer::start(options.with_faults(faults)).await;
        let mut ftp = FtpClient::connect(&server.connect_options()).await.unwrap();
        let err = ftp
            .login(server.user(), server.password())
            .await
            .unwrap_err();
        assert_eq!(err.kind(), FtpErrorKind::Reply);
        assert_eq!(err.reply_code(), Some(530), "{:?}: {err}", server.tls());
    }
}

#[tokio::test]
async fn ftps_servers_refuse_plain_clients_and_untrusted_certificates() {
    let server = FtpServer::start(FtpOptions::explicit_tls()).await;
    let plain = FtpConnect::new("127.0.0.1", server.port());
    let mut ftp = FtpClient::connect(&plain).await.unwrap();
    let err = ftp
        .login(server.user(), server.password())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), FtpErrorKind::Reply, "{err}");

    let other = atspec_emulator::tls::TestCertificate::generate();
    let untrusted = server
        .connect_options()
        .with_tls(FtpTls::Explicit, other.client_config());
    let err = FtpClient::connect(&untrusted).await.unwrap_err();
    assert_eq!(err.kind(), FtpErrorKind::Tls, "{err}");

    let mut no_config = server.connect_options();
    no_config.tls_config = None;
    let err = FtpClient::connect(&no_config).await.unwrap_err();
    assert_eq!(err.kind(), FtpErrorKind::Tls, "{err}");

    let implicit = FtpServer::start(FtpOptions::implicit_tls()).await;
    let untrusted = implicit
        .connect_options()
        .with_tls(FtpTls::Implicit, other.client_config());
    let err = FtpClient::connect(&untrusted).await.unwrap_err();
    assert_eq!(err.kind(), FtpErrorKind::Tls, "{err}");
}

#[tokio::test]
async fn the_server_name_localhost_works_too() {
    let server = FtpServer::start(FtpOptions::explicit_tls()).await;
    let mut options = server.connect_options();
    options.host = "localhost".to_owned();
    let mut ftp = FtpClient::connect(&options).await.unwrap();
    ftp.login(server.user(), server.password()).await.unwrap();
    assert_eq!(ftp.pwd().await.unwrap(), "/");
}

#[tokio::test]
async fn cut_download_then_resume() {
    for options in [FtpOptions::plain(), FtpOptions::implicit_tls()] {
        let faults = FtpFaults {
            drop_data: Some(DataDrop {
                after_bytes: 100_000,
                transfers: 1,
            }),
            ..FtpFaults::default()
        };
        let server = FtpServer::start(options.with_faults(faults)).await;
        let data = payload(300_000, 11);
        std::fs::write(server.root().join("big.bin"), &data).unwrap();

        let mut ftp = logged_in(&server).await;
        let mut got = Vec::new();
        let err = ftp.get_to("big.bin", 0, &mut got).await.unwrap_err();
        assert_eq!(err.kind(), FtpErrorKind::Reply, "{err}");
        assert_eq!(err.reply_code(), Some(451), "{err}");
        assert!(got.len() <= 100_000, "{}", got.len());
        assert_eq!(got, data[..got.len()]);

        // The fault was for one transfer: resuming from what arrived completes the file.
        let offset = got.len() as u64;
        ftp.get_to("big.bin", offset, &mut got).await.unwrap();
        assert_eq!(sha256(&got), sha256(&data));
    }
}

#[tokio::test]
async fn cut_upload_fails() {
    let faults = FtpFaults {
        drop_data: Some(DataDrop {
            after_bytes: 64 * 1024,
            transfers: 1,
        }),
        ..FtpFaults::default()
    };
    let server = FtpServer::start(FtpOptions::plain().with_faults(faults)).await;
    let mut ftp = logged_in(&server).await;
    let size = 4 * 1024 * 1024;
    let err = ftp
        .put_from("up.bin", &mut PayloadReader::new(size, 1))
        .await
        .unwrap_err();
    assert!(
        matches!(err.kind(), FtpErrorKind::Reply | FtpErrorKind::Io),
        "{err}"
    );
    let stored = std::fs::metadata(server.root().join("up.bin"))
        .unwrap()
        .len();
    assert!(stored <= 64 * 1024, "{stored}");

    // The next transfer goes through, on the same session.
    assert_eq!(
        ftp.put_from("up.bin", &mut PayloadReader::new(size, 1))
            .await
            .unwrap(),
        size
    );
    assert_eq!(ftp.size("up.bin").await.unwrap(), size);
}

#[tokio::test]
async fn slow_server() {
    let faults = FtpFaults {
        delay: Duration::from_millis(150),
        ..FtpFaults::default()
    };
    let server = FtpServer::start(FtpOptions::plain().with_faults(faults)).await;
    let started = Instant::now();
    let mut ftp = logged_in(&server).await;
    assert!(
        started.elapsed() >= Duration::from_millis(150),
        "login is delayed"
    );
    let started = Instant::now();
    ftp.mkdir("d").await.unwrap();
    assert!(
        started.elapsed() >= Duration::from_millis(150),
        "MKD is delayed"
    );
}

#[tokio::test]
async fn servers_run_side_by_side_and_clean_up() {
    let a = FtpServer::start(FtpOptions::plain()).await;
    let b = FtpServer::start(FtpOptions::plain()).await;
    assert_ne!(a.port(), b.port());
    assert_ne!(a.root(), b.root());
    let mut ftp = logged_in(&a).await;
    ftp.put_bytes("x", b"hello").await.unwrap();
    assert!(b.root().read_dir().unwrap().next().is_none());

    let root = a.root().to_owned();
    let options = a.connect_options();
    a.stop().await;
    assert!(!root.exists(), "the folder is removed");
    drop(ftp);
    let err = FtpClient::connect(&options).await.unwrap_err();
    assert_eq!(err.kind(), FtpErrorKind::Connect, "{err}");
}

#[tokio::test]
async fn connect_options_describe_the_server() {
    let server = FtpServer::start(FtpOptions::implicit_tls()).await;
    let options = server.connect_options();
    assert_eq!(options.port, server.port());
    assert_eq!(options.tls, FtpTls::Implicit);
    assert!(options.tls_config.is_some());
    assert!(
        server
            .certificate()
            .unwrap()
            .cert_pem()
            .starts_with("-----BEGIN CERTIFICATE-----")
    );
    let ftp = FtpClient::connect(&options).await.unwrap();
    assert!(
        ftp.welcome()
            .unwrap()
            .contains("atspec emulator FTP server ready")
    );
}
