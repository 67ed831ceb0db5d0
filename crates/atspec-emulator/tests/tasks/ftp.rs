//! The FTP task: one generic function per behaviour, run for every modem with an
//! FTP task, against the loopback FTP(S) server in each security the modem has.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use atspec::task::{Ftp, FtpSecurity, FtpServer as Login, Progress, TaskErrorKind, Transfer};
use atspec_emulator::backend::ftp::{DataDrop, FtpFaults, FtpOptions, FtpServer};
use atspec_emulator::client::ftp::FtpTls;
use atspec_emulator::payload;

use super::tasks_support::sha;

/// How the task logs in to `server`.
pub fn login(server: &FtpServer) -> Login {
    let security = match server.tls() {
        FtpTls::Plain => FtpSecurity::Plain,
        FtpTls::Explicit => FtpSecurity::Explicit,
        FtpTls::Implicit => FtpSecurity::Implicit,
    };
    Login::new("127.0.0.1")
        .port(server.port())
        .login(server.user(), server.password())
        .security(security)
}

/// The server options of a security.
pub fn server_options(security: FtpSecurity) -> FtpOptions {
    match security {
        FtpSecurity::Plain => FtpOptions::plain(),
        FtpSecurity::Explicit => FtpOptions::explicit_tls(),
        FtpSecurity::Implicit => FtpOptions::implicit_tls(),
    }
}

/// Whether a failure may be the loopback server's TLS race: it sometimes reads the
/// TLS ClientHello that follows its `234` reply to `AUTH TLS` as an FTP command, a
/// race in the test server and not in the module, and the modem's connection then
/// fails with its code (in the login step, or in any session command on modems
/// that connect per command).
fn tls_race(login: &Login, e: &atspec::task::TaskError) -> bool {
    login.security_mode() != FtpSecurity::Plain && e.vendor_code().is_some()
}

/// Evaluates `$op` again (at most 5 times in all) after the TLS race.
macro_rules! retried {
    ($login:expr, $op:expr) => {{
        let mut tries = 0;
        loop {
            tries += 1;
            match $op {
                Err(e) if tries < 5 && tls_race(&$login, &e) => continue,
                other => break other,
            }
        }
    }};
}

/// Progress reports, and a callback that records into them.
fn recorder() -> Arc<Mutex<Vec<Progress>>> {
    Arc::default()
}

fn record(seen: &Arc<Mutex<Vec<Progress>>>) -> impl FnMut(Progress) + Send + 'static {
    let seen = seen.clone();
    move |p| seen.lock().unwrap().push(p)
}

/// Reports that climb to `total`, each carrying it as the total.
fn assert_climbs_to(seen: &[Progress], total: u64, what: &str) {
    assert!(
        seen.windows(2).all(|w| w[0].done <= w[1].done),
        "{what}: progress is monotonic"
    );
    assert!(
        seen.iter().all(|p| p.total == Some(total)),
        "{what}: every report has the total {total}: {seen:?}"
    );
    if total > 0 {
        assert_eq!(
            seen.last().map(|p| p.done),
            Some(total),
            "{what}: progress ends at the total"
        );
    }
}

/// Put, size, get and delete of files of each size: the server holds the bytes
/// put, the get returns them, progress climbs to the total, delete removes it.
pub async fn roundtrip<M: Ftp + Sync>(modem: &M, server: &FtpServer, sizes: &[usize]) {
    let login = login(server);
    for &size in sizes {
        let name = format!("t{size}.bin");
        let data = payload(size, size as u64 + 3);
        let seen = recorder();
        let sent = retried!(login, {
            seen.lock().unwrap().clear();
            let progress = Transfer::new().on_progress(record(&seen));
            modem
                .ftp_put(&login, &name, &mut &data[..], size as u64, progress)
                .await
        })
        .unwrap_or_else(|e| panic!("put {size} B: {e}"));
        assert_eq!(sent, size as u64);
        let on_disk = std::fs::read(server.root().join(&name)).unwrap();
        assert_eq!(sha(&on_disk), sha(&data), "{size} B on the server");
        assert_climbs_to(&seen.lock().unwrap(), size as u64, "put");

        if M::FTP.size {
            let reported = retried!(login, modem.ftp_size(&login, &name).await).unwrap();
            assert_eq!(reported, size as u64, "size of {name}");
        }

        let seen = recorder();
        let mut back = Vec::new();
        let got = retried!(login, {
            back.clear();
            seen.lock().unwrap().clear();
            let progress = Transfer::new().on_progress(record(&seen));
            modem.ftp_get(&login, &name, &mut back, progress).await
        })
        .unwrap_or_else(|e| panic!("get {size} B: {e}"));
        assert_eq!(got, size as u64);
        assert_eq!(sha(&back), sha(&data), "{size} B back");
        // The size the modem tells before the data is the total, even of an empty file.
        assert!(
            !seen.lock().unwrap().is_empty(),
            "get: the total is reported"
        );
        assert_climbs_to(&seen.lock().unwrap(), size as u64, "get");

        if M::FTP.delete {
            retried!(login, modem.ftp_delete(&login, &name).await).unwrap();
            assert!(!server.root().join(&name).exists(), "{name} is deleted");
        }
    }
}

/// A file the server does not have: the get fails with the modem's code, at a
/// step, and writes nothing; the next operation works (the session was closed).
pub async fn missing_file<M: Ftp + Sync>(modem: &M, server: &FtpServer) {
    let login = login(server);
    let mut sink = Vec::new();
    let error = retried!(
        login,
        modem
            .ftp_get(&login, "absent.bin", &mut sink, Transfer::new())
            .await
    )
    .unwrap_err();
    assert_eq!(error.task, "ftp.get", "{error}");
    assert!(error.step.is_some(), "{error}");
    assert!(
        error.vendor_code().is_some(),
        "the modem's code travels: {error}"
    );
    assert!(sink.is_empty());
    let data = payload(100, 5);
    retried!(
        login,
        modem
            .ftp_put(&login, "after.bin", &mut &data[..], 100, Transfer::new())
            .await
    )
    .unwrap_or_else(|e| panic!("the operation after a failure: {e}"));
}

/// A wrong password fails the login step with the modem's code; the right one
/// works next.
pub async fn wrong_password<M: Ftp + Sync>(modem: &M, server: &FtpServer) {
    let wrong = login(server).login(server.user(), "not-the-password");
    let mut sink = Vec::new();
    let error = modem
        .ftp_get(&wrong, "any.bin", &mut sink, Transfer::new())
        .await
        .unwrap_err();
    assert!(error.vendor_code().is_some(), "{error}");
    assert!(
        !error.to_string().contains("ftps_result"),
        "no table names: {error}"
    );
    // Neither the task's text nor the command error's names the code's table.
    if let Some(atspec::AtError::Failed { code, .. }) = error.at_error() {
        let source = error.at_error().map(|e| e.to_string()).unwrap_or_default();
        for text in [error.to_string(), source] {
            assert!(!text.contains(code.table), "{text} names {}", code.table);
        }
    }
    let data = payload(10, 1);
    let right = login(server);
    retried!(
        right,
        modem
            .ftp_put(&right, "ok.bin", &mut &data[..], 10, Transfer::new())
            .await
    )
    .unwrap_or_else(|e| panic!("the right password: {e}"));
}

/// A download cut mid-way fails, keeping what arrived; a get from there brings
/// the rest, and together they are the file. `cut` cuts its first transfer.
pub async fn resume_get<M: Ftp + Sync>(modem: &M, cut: &FtpServer) {
    let data = payload(150_000, 9);
    std::fs::write(cut.root().join("big.bin"), &data).unwrap();
    let login = login(cut);
    let mut sink = Vec::new();
    let error = modem
        .ftp_get(&login, "big.bin", &mut sink, Transfer::new())
        .await
        .unwrap_err();
    assert_eq!(error.task, "ftp.get");
    assert!(
        sink.len() < data.len(),
        "the cut transfer is short: {error}"
    );
    assert_eq!(sink, data[..sink.len()], "what arrived is the file's start");
    let have = sink.len() as u64;
    let mut rest = Vec::new();
    let seen = recorder();
    let got = modem
        .ftp_get(
            &login,
            "big.bin",
            &mut rest,
            Transfer::new().from_offset(have).on_progress(record(&seen)),
        )
        .await
        .unwrap_or_else(|e| panic!("resumed get from {have}: {e}"));
    assert_eq!(got, data.len() as u64 - have);
    // The total of a get from an offset is what is left of the file.
    assert_climbs_to(&seen.lock().unwrap(), got, "resumed get");
    sink.extend_from_slice(&rest);
    assert_eq!(sha(&sink), sha(&data), "start and rest make the file");
}

/// An upload cut mid-way fails; the server keeps what it got; a put of the rest
/// from there completes the file.
pub async fn resume_put<M: Ftp + Sync>(modem: &M, cut: &FtpServer) {
    let data = payload(150_000, 4);
    let login = login(cut);
    let error = modem
        .ftp_put(
            &login,
            "up.bin",
            &mut &data[..],
            data.len() as u64,
            Transfer::new(),
        )
        .await
        .unwrap_err();
    assert_eq!(error.task, "ftp.put");
    // Where to resume: the size the server reports (the server may still be
    // writing the file when the failure arrives, so not what the disk shows now).
    let held = match M::FTP.size {
        true => modem.ftp_size(&login, "up.bin").await.unwrap(),
        false => std::fs::metadata(cut.root().join("up.bin")).unwrap().len(),
    };
    let held = usize::try_from(held).unwrap();
    assert!(held < data.len(), "the cut upload is short: {error}");
    let on_disk = std::fs::read(cut.root().join("up.bin")).unwrap();
    assert_eq!(on_disk, data[..held], "the server holds the file's start");
    let rest = &data[held..];
    modem
        .ftp_put(
            &login,
            "up.bin",
            &mut &rest[..],
            rest.len() as u64,
            Transfer::new().from_offset(held as u64),
        )
        .await
        .unwrap_or_else(|e| panic!("resumed put from {held}: {e}"));
    let whole = std::fs::read(cut.root().join("up.bin")).unwrap();
    assert_eq!(sha(&whole), sha(&data), "the server holds the whole file");
}

/// A server slower than the caller's timeout: the task fails as a timeout, and
/// the next operation on the same modem works once the late answers are in.
pub async fn timeout_then_recovery<M: Ftp + Sync>(modem: &M, slow: &FtpServer, fast: &FtpServer) {
    let login = login(slow);
    let mut sink = Vec::new();
    let error = modem
        .ftp_get(
            &login,
            "slow.bin",
            &mut sink,
            Transfer::new().timeout(Duration::from_millis(300)),
        )
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "a timeout: {error:?}");
    let data = payload(64, 2);
    let fast_login = self::login(fast);
    let mut last = None;
    // The modem is still busy with the slow server's late answers for a while.
    for _ in 0..40 {
        match modem
            .ftp_put(&fast_login, "late.bin", &mut &data[..], 64, Transfer::new())
            .await
        {
            Ok(n) => {
                last = Some(Ok(n));
                break;
            }
            Err(e) => {
                last = Some(Err(e));
                tokio::time::sleep(Duration::from_millis(250)).await;
            }
        }
    }
    match last {
        Some(Ok(n)) => assert_eq!(n, 64),
        other => panic!("the modem never recovered: {other:?}"),
    }
    assert_eq!(std::fs::read(fast.root().join("late.bin")).unwrap(), data);
}

/// A server name that does not resolve, and a port nobody listens on: each fails
/// with the modem's own code (two different ones), and the next operation works.
pub async fn unreachable_servers<M: Ftp + Sync>(modem: &M, server: &FtpServer) {
    let mut codes = Vec::new();
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed_port = closed.local_addr().unwrap().port();
    drop(closed);
    for login in [
        Login::new("no-such-host.invalid").login(server.user(), server.password()),
        Login::new("127.0.0.1")
            .port(closed_port)
            .login(server.user(), server.password()),
    ] {
        let data = payload(10, 8);
        let error = modem
            .ftp_put(&login, "x.bin", &mut &data[..], 10, Transfer::new())
            .await
            .unwrap_err();
        assert_eq!(error.task, "ftp.put", "{error}");
        let (code, meaning) = error
            .vendor_code()
            .unwrap_or_else(|| panic!("the modem's code travels: {error}"));
        assert!(meaning.is_some(), "the code {code} is decoded: {error}");
        assert!(!error.is_timeout(), "{error}");
        codes.push(code);
    }
    assert_ne!(
        codes[0], codes[1],
        "a DNS failure and a refused connection differ"
    );
    let data = payload(10, 9);
    let login = login(server);
    retried!(
        login,
        modem
            .ftp_put(&login, "reachable.bin", &mut &data[..], 10, Transfer::new())
            .await
    )
    .unwrap_or_else(|e| panic!("the operation after the failures: {e}"));
}

/// A security the modem lacks is refused before anything is sent, naming it.
pub async fn unsupported_security<M: Ftp + Sync>(modem: &M) {
    let missing = [
        FtpSecurity::Plain,
        FtpSecurity::Explicit,
        FtpSecurity::Implicit,
    ]
    .into_iter()
    .find(|s| !M::FTP.security.contains(s));
    let Some(missing) = missing else {
        return;
    };
    let login = Login::new("127.0.0.1").security(missing);
    let mut sink = Vec::new();
    let error = modem
        .ftp_get(&login, "a.bin", &mut sink, Transfer::new())
        .await
        .unwrap_err();
    assert!(
        matches!(error.kind, TaskErrorKind::Unsupported { .. }),
        "{error}"
    );
    assert!(error.to_string().contains(missing.describe()), "{error}");
}

/// Faults that cut the first `transfers` data connections after `after` bytes.
pub fn cutting(security: FtpSecurity, after: u64, transfers: u32) -> FtpOptions {
    server_options(security).with_faults(FtpFaults {
        drop_data: Some(DataDrop {
            after_bytes: after,
            transfers,
        }),
        ..FtpFaults::default()
    })
}
