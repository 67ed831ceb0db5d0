//! A76XX / SIM7600 FTP(S) sessions end to end: service start and stop, logins to plain,
//! explicit and implicit FTPS servers, directories, the error table, abort, settings,
//! the server closing the session and the exact bytes on the wire. The generated driver
//! and the runtime client talk to the emulated module, which performs every AT+CFTPS*
//! operation for real against a loopback FTP server; every flow runs with whole answers
//! and with 1-byte output chunks, echo on and unrelated URCs injected.

mod a76xx_common;
mod support;

use std::time::Duration;

use a76xx_common::*;
use atspec::{AtError, Client, Config, Unsolicited};
use atspec_a76xx::ftps::{
    CftpsabortExec, CftpscwdWrite, CftpsdeleWrite, CftpsloginRead, CftpsloginWrite,
    CftpslogoutExec, CftpsmkdWrite, CftpsputWrite, CftpsrmdWrite, CftpsstartExec, CftpstypeRead,
    CftpstypeWrite, FtpsResult, ServerType, TransferType,
};
use atspec_a76xx::ssl::{AuthMode, CsslcfgAuthModeWrite};
use atspec_a76xx::{DIALECT, Urc};
use atspec_emulator::backend::ftp::{FtpFaults, FtpOptions, FtpServer};
use atspec_emulator::modem::{self, ModemOptions};
use atspec_emulator::modems::a76xx::A76xx;
use atspec_emulator::payload;
use support::sha256;
use tokio::sync::broadcast;

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
            let state = client.send(&CftpsloginRead::new()).await.unwrap();
            assert_eq!(state.state.code(), 1, "{options:?}");
            assert_eq!(pwd(&client).await, "/", "{:?} {options:?}", server.tls());
            finish(&client).await;
            let state = client.send(&CftpsloginRead::new()).await.unwrap();
            assert_eq!(state.state.code(), 0);
        }
    }
    // AUTH SSL (server type 1) reaches the explicit server too.
    let server = FtpServer::start(FtpOptions::explicit_tls()).await;
    let (client, _) = started(&server, ModemOptions::default()).await;
    let command = CftpsloginWrite::new(
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
            .send_deferred(&CftpsmkdWrite::new("sub").unwrap())
            .await
            .unwrap();
        assert_eq!(made.errcode, FtpsResult::Success);
        assert!(server.root().join("sub").is_dir());
        let (_, cwd) = client
            .send_deferred(&CftpscwdWrite::new("sub").unwrap())
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
            .send_deferred(&CftpscwdWrite::new("/nowhere").unwrap())
            .await
            .unwrap_err();
        assert_eq!(
            failed_code(err),
            "17",
            "a missing directory is a file error"
        );

        let (_, cwd) = client
            .send_deferred(&CftpscwdWrite::new("/").unwrap())
            .await
            .unwrap();
        assert_eq!(cwd.errcode, FtpsResult::Success);
        let err = client
            .send_deferred(&CftpsrmdWrite::new("sub").unwrap())
            .await
            .unwrap_err();
        assert_ne!(failed_code(err), "0", "a directory with a file stays");
        client
            .send_deferred(&CftpsdeleWrite::new("sub/in.bin").unwrap())
            .await
            .unwrap();
        let (_, removed) = client
            .send_deferred(&CftpsrmdWrite::new("sub").unwrap())
            .await
            .unwrap();
        assert_eq!(removed.errcode, FtpsResult::Success);
        assert!(!server.root().join("sub").exists());

        let (_, typed) = client
            .send_deferred(&CftpstypeWrite::new(TransferType::Ascii).unwrap())
            .await
            .unwrap();
        assert_eq!(typed.errcode, FtpsResult::Success);
        let current = client.send(&CftpstypeRead::new()).await.unwrap();
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
            .send_deferred(&CftpsmkdWrite::new("x").unwrap())
            .await
            .unwrap_err();
        assert!(matches!(err, AtError::Command { .. }), "{err}");
        let err = client
            .send_upload(
                &CftpsputWrite::new("x", Some(1), None).unwrap(),
                &mut &b"x"[..],
            )
            .await
            .unwrap_err();
        assert!(matches!(err, AtError::Command { .. }), "{err}");

        // An FTPS server the module has no certificate for, its SSL context asking
        // for server authentication: an SSL alert.
        let verify = CsslcfgAuthModeWrite::new(0, AuthMode::Server).unwrap();
        client.send(&verify).await.unwrap();
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
    let command = CftpsloginWrite::new("127.0.0.1", port, "u", "p", Some(ServerType::Ftp)).unwrap();
    let err = client.send_deferred(&command).await.unwrap_err();
    assert_eq!(failed_code(err), "14");
}

/// Manual flow: simcom-a76xx FTPS "L1218"
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn abort_logs_out_and_stops_the_service() {
    let server = FtpServer::start(FtpOptions::plain()).await;
    for options in modes() {
        let (client, _) = logged_in(&server, options.clone()).await;
        let (_, aborted) = client.send_deferred(&CftpsabortExec::new()).await.unwrap();
        assert_eq!(aborted.errcode, FtpsResult::Success);
        // The service is down: commands answer ERROR until AT+CFTPSSTART.
        let err = client
            .send_deferred(&CftpsmkdWrite::new("x").unwrap())
            .await
            .unwrap_err();
        assert!(matches!(err, AtError::Command { .. }), "{err}");
        client.send_deferred(&CftpsstartExec::new()).await.unwrap();
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
    for options in modes() {
        let (client, _) = logged_in(&server, options.clone()).await;
        let client = std::sync::Arc::new(client);
        let getting = {
            let client = client.clone();
            tokio::spawn(async move {
                let mut sink = Vec::new();
                let _ = get(&client, "slow.bin", None, &mut sink).await;
            })
        };
        tokio::time::sleep(Duration::from_millis(100)).await;
        let (_, aborted) = client.send_deferred(&CftpsabortExec::new()).await.unwrap();
        assert_eq!(aborted.errcode, FtpsResult::Success);
        getting.abort();
        let err = client
            .send_deferred(&CftpsmkdWrite::new("x").unwrap())
            .await
            .unwrap_err();
        assert!(matches!(err, AtError::Command { .. }), "stopped: {err}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_read_and_setting_forms() {
    use atspec_a76xx::ftps::{
        CftpscwdTest, CftpsloginTest, CftpsmodeRead, CftpsmodeWrite, CftpspwdTest,
        CftpssingleipRead, CftpssingleipWrite, CftpsstartTest, FtpMode, SingleIp,
    };
    let server = FtpServer::start(FtpOptions::plain()).await;
    for options in modes() {
        // Answered whether or not the service runs.
        let (host, modem_side) = tokio::io::duplex(1 << 16);
        modem::spawn(A76xx::new(), modem_side, options.clone());
        let client: Client<Urc> = Client::new(host, &DIALECT, Config::default());
        client.send(&CftpsstartTest::new()).await.unwrap();
        let login = client.send(&CftpsloginTest::new()).await.unwrap();
        assert!(login.supported.contains("(1-65535)"), "{login:?}");
        client.send(&CftpscwdTest::new()).await.unwrap();
        let pwd = client.send(&CftpspwdTest::new()).await.unwrap();
        assert!(pwd.pwd_supported.is_some());

        let single = client.send(&CftpssingleipRead::new()).await.unwrap();
        assert_eq!(single.singleip, SingleIp::ServerReply);
        client
            .send(&CftpssingleipWrite::new(SingleIp::ControlAddress).unwrap())
            .await
            .unwrap();
        let single = client.send(&CftpssingleipRead::new()).await.unwrap();
        assert_eq!(single.singleip, SingleIp::ControlAddress, "{options:?}");
        client
            .send(&CftpsmodeWrite::new(FtpMode::Active).unwrap())
            .await
            .unwrap();
        let mode = client.send(&CftpsmodeRead::new()).await.unwrap();
        assert_eq!(mode.mode, FtpMode::Active);

        // Settings do not reach the data connections, which stay passive.
        client.send_deferred(&CftpsstartExec::new()).await.unwrap();
        let login = login_command(&server, server.password());
        client.send_deferred(&login).await.unwrap();
        assert!(list(&client, "/").await.is_empty());
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
        let (_, out) = client.send_deferred(&CftpslogoutExec::new()).await.unwrap();
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
    use atspec_a76xx::ftps::{CftpssingleipWrite, SingleIp};
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
            .send(&CftpssingleipWrite::new(SingleIp::ControlAddress).unwrap())
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
