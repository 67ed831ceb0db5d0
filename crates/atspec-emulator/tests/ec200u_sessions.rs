//! The EC200U FTP(S) note's session examples in the manual's order (login to FTP and to
//! FTPS, folder and file operations, log out: sections 2.2, 3.1-3.4, 3.8). Each runs
//! plain, with 1-byte output chunks, echo on and unrelated URCs injected, and with
//! random output chunks, against the emulated module and a real loopback FTP(S) server:
//! the same commands, local and remote names as the note, asserting what a user would
//! notice (result lines, sizes, the files on the server, the module's files read back).

mod ec200u_common;
mod support;

use atspec_ec200u::ftp::{
    FileType, QftpcfgAccountWrite, QftpcfgContextIdWrite, QftpcfgFileTypeWrite,
    QftpcfgRsptimeoutWrite, QftpcfgSslCtxIdWrite, QftpcfgSslTypeWrite, QftpcfgTransmodeWrite,
    QftpcloseExec, QftpcwdWrite, QftpdelWrite, QftpmdtmWrite, QftpmkdirWrite, QftpopenWrite,
    QftppwdExec, QftprenameWrite, QftprmdirWrite, QftpsizeWrite, QftpstatExec, SslType,
    TransferMode,
};
use atspec_ec200u::support::{
    PdpAuth, PdpType, QiactRead, QiactWrite, QicsgpSetWithCredentialsWrite, QideactWrite,
    QsslcfgCipherSuiteWrite, QsslcfgSecLevelWrite, QsslcfgSslVersionWrite, SslCipherSuite,
    SslSecLevel, SslVersion,
};
use atspec_emulator::backend::ftp::{FtpOptions, FtpServer};
use atspec_emulator::payload;
use ec200u_common::{
    activate_context, assert_failed, deferred, logged_in, modes, module, open, place, send, stored,
};
use support::sha256;

/// Manual flow: quectel-ec200u FTP_AN "3.1"
/// Manual flow: quectel-ec200u FTP_AN "2.2"
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_to_ftp_server() {
    for options in modes() {
        let server = FtpServer::start(FtpOptions::plain()).await;
        let client = module(&server, options);
        // Step 1: configure and activate the PDP context.
        let apn = QicsgpSetWithCredentialsWrite::new(
            1,
            PdpType::Ipv4,
            "UNINET",
            "",
            "",
            Some(PdpAuth::Pap),
        );
        send(&client, &apn.unwrap()).await;
        send(&client, &QiactWrite::new(1).unwrap()).await;
        let active = send(&client, &QiactRead::new()).await;
        let context = &active.active_context[0];
        assert_eq!(
            (
                context.context_id,
                context.context_state.code(),
                context.context_type
            ),
            (1, 1, PdpType::Ipv4)
        );
        assert!(
            context
                .ip_address
                .as_deref()
                .is_some_and(|a| a.parse::<std::net::Ipv4Addr>().is_ok())
        );
        send(&client, &QftpcfgContextIdWrite::new(1).unwrap()).await;
        // Step 2: account and transfer settings (ASCII, passive, 90 s).
        send(
            &client,
            &QftpcfgAccountWrite::new(server.user(), server.password()).unwrap(),
        )
        .await;
        send(
            &client,
            &QftpcfgFileTypeWrite::new(FileType::Ascii).unwrap(),
        )
        .await;
        send(
            &client,
            &QftpcfgTransmodeWrite::new(TransferMode::Passive).unwrap(),
        )
        .await;
        send(&client, &QftpcfgRsptimeoutWrite::new(90).unwrap()).await;
        // Step 3: login; `+QFTPOPEN: 0,0`, and the session is open and idle.
        let open_cmd = QftpopenWrite::new("127.0.0.1", Some(server.port())).unwrap();
        let done = deferred(&client, &open_cmd).await;
        assert_eq!((done.err.code(), done.protocol_error.code()), (0, 0));
        let state = deferred(&client, &QftpstatExec::new()).await;
        assert_eq!(state.ftpstat.code(), 1);
    }
}

/// Manual flow: quectel-ec200u FTP_AN "3.2"
/// Manual flow: quectel-ec200u FTP_AN "2.2"
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_to_ftps_server() {
    let server = FtpServer::start(FtpOptions::implicit_tls()).await;
    for options in modes() {
        let client = module(&server, options);
        // Step 1 as in section 3.1.
        activate_context(&client).await;
        send(&client, &QftpcfgContextIdWrite::new(1).unwrap()).await;
        // Step 2.
        send(
            &client,
            &QftpcfgAccountWrite::new(server.user(), server.password()).unwrap(),
        )
        .await;
        send(
            &client,
            &QftpcfgFileTypeWrite::new(FileType::Ascii).unwrap(),
        )
        .await;
        send(
            &client,
            &QftpcfgTransmodeWrite::new(TransferMode::Passive).unwrap(),
        )
        .await;
        send(&client, &QftpcfgRsptimeoutWrite::new(90).unwrap()).await;
        // Step 3: FTPS with implicit encryption on SSL context 1.
        send(
            &client,
            &QftpcfgSslTypeWrite::new(SslType::FtpsImplicit).unwrap(),
        )
        .await;
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
        send(
            &client,
            &QsslcfgSslVersionWrite::new(1, SslVersion::Tls10).unwrap(),
        )
        .await;
        // Step 4: login over TLS; the session works (the root's directory).
        open(&client, &server, 1).await;
        let pwd = deferred(&client, &QftppwdExec::new()).await;
        assert_eq!((pwd.err.code(), pwd.path_name.as_str()), (0, "/"));
    }
}

/// Manual flow: quectel-ec200u FTP_AN "3.3"
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn folder_operation() {
    for options in modes() {
        let server = FtpServer::start(FtpOptions::plain()).await;
        let client = logged_in(&server, options, 0).await;
        let done = deferred(&client, &QftpcwdWrite::new("/").unwrap()).await;
        assert_eq!((done.err.code(), done.protocol_error.code()), (0, 0));
        let pwd = deferred(&client, &QftppwdExec::new()).await;
        assert_eq!(pwd.path_name, "/");
        let done = deferred(&client, &QftpmkdirWrite::new("TEST").unwrap()).await;
        assert_eq!((done.err.code(), done.protocol_error.code()), (0, 0));
        assert!(server.root().join("TEST").is_dir());
        let done = deferred(&client, &QftprenameWrite::new("TEST", "TEST_NEW").unwrap()).await;
        assert_eq!((done.err.code(), done.protocol_error.code()), (0, 0));
        assert!(server.root().join("TEST_NEW").is_dir() && !server.root().join("TEST").exists());
        let done = deferred(&client, &QftprmdirWrite::new("TEST_NEW").unwrap()).await;
        assert_eq!((done.err.code(), done.protocol_error.code()), (0, 0));
        assert!(!server.root().join("TEST_NEW").exists());
    }
}

/// Manual flow: quectel-ec200u FTP_AN "3.4"
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn file_operation() {
    for options in modes() {
        let server = FtpServer::start(FtpOptions::plain()).await;
        let data = payload(1000, 34);
        place(&server, "test_my1.txt", &data);
        let client = logged_in(&server, options, 0).await;
        deferred(&client, &QftpcwdWrite::new("/").unwrap()).await;
        let pwd = deferred(&client, &QftppwdExec::new()).await;
        assert_eq!(pwd.path_name, "/");
        let size = deferred(&client, &QftpsizeWrite::new("test_my1.txt").unwrap()).await;
        assert_eq!((size.err.code(), size.file_size), (0, 1000));
        let done = deferred(
            &client,
            &QftprenameWrite::new("test_my1.txt", "test_new.txt").unwrap(),
        )
        .await;
        assert_eq!((done.err.code(), done.protocol_error.code()), (0, 0));
        assert_eq!(sha256(&stored(&server, "test_new.txt")), sha256(&data));
        // The server's MDTM time, which the note's example shows for its file.
        let time = deferred(&client, &QftpmdtmWrite::new("test_new.txt").unwrap()).await;
        assert_eq!(
            (time.err.code(), time.modify_time.as_str()),
            (0, "20140708110039")
        );
        let done = deferred(&client, &QftpdelWrite::new("test_new.txt").unwrap()).await;
        assert_eq!((done.err.code(), done.protocol_error.code()), (0, 0));
        assert!(!server.root().join("test_new.txt").exists());
        // Asked again, the time of a file that is gone is the server's 550.
        let err = client
            .send_deferred(&QftpmdtmWrite::new("test_new.txt").unwrap())
            .await
            .unwrap_err();
        assert_failed(&err, "627");
    }
}

/// Manual flow: quectel-ec200u FTP_AN "3.8"
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn log_out_from_the_server() {
    for options in modes() {
        let server = FtpServer::start(FtpOptions::plain()).await;
        let client = logged_in(&server, options, 0).await;
        let done = deferred(&client, &QftpcloseExec::new()).await;
        assert_eq!((done.err.code(), done.protocol_error.code()), (0, 0));
        send(&client, &QideactWrite::new(1).unwrap()).await;
        // Logged out, the context down: the state is "closed", nothing is active, and a
        // new login fails as section 4.3 describes.
        let state = deferred(&client, &QftpstatExec::new()).await;
        assert_eq!(state.ftpstat.code(), 4);
        let active = send(&client, &QiactRead::new()).await;
        assert!(active.active_context.is_empty());
        let err = client
            .send_deferred(&QftpopenWrite::new("127.0.0.1", Some(server.port())).unwrap())
            .await
            .unwrap_err();
        assert_failed(&err, "604");
    }
}
