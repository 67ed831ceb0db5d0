//! SIM800 FTP time-outs (application note 3.11): a server too slow for the module's FTP
//! timeout, and downloaded data the host leaves unread, which the module announces again
//! and finally drops with `+FTPGET: 1,64`. AT+FTPTIMEOUT sets the timeout (in seconds,
//! the emulator's reading of an undocumented unit) and AT+FTPSCONT? reports it. Every
//! flow runs whole, with 1-byte output chunks, echo on and injected URCs, and with random
//! chunks, the three modes side by side.

mod sim800_support;
mod support;

use std::time::{Duration, Instant};

use atspec::AtError;
use atspec_emulator::backend::ftp::{FtpFaults, FtpOptions, FtpServer};
use atspec_emulator::modem::ModemOptions;
use atspec_emulator::payload;
use atspec_sim800::ftp::{FtpgetOpenWrite, FtpgetReadWrite, FtpscontRead, FtptimeoutWrite};
use sim800_support::{connected, failed_code, modes};

/// Runs `flow` once per output mode, the modes concurrently.
async fn in_every_mode<F, Fut>(server: &FtpServer, flow: F)
where
    F: Fn(sim800_support::Host, ModemOptions) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let mut runs = Vec::new();
    for options in modes() {
        let host = connected(server, options.clone()).await;
        runs.push(tokio::spawn(flow(host, options)));
    }
    for run in runs {
        run.await.unwrap();
    }
}

/// Manual flow: simcom-sim800 AN "3.11"
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_slower_than_the_ftp_timeout_is_64() {
    // The server takes 3 s to answer the login; the module waits 1 s.
    let faults = FtpFaults {
        delay: Duration::from_secs(3),
        ..FtpFaults::default()
    };
    let server = FtpServer::start(FtpOptions::plain().with_faults(faults)).await;
    std::fs::write(server.root().join("1K.txt"), payload(1024, 1)).unwrap();
    in_every_mode(&server, |host, options| async move {
        host.send(FtptimeoutWrite::new(1)).await;
        let context = host.send(FtpscontRead::new()).await;
        assert_eq!(context.timeout_setting.timeout, 1);
        host.get_file("/", "1K.txt").await;
        let started = Instant::now();
        let err = host
            .client
            .send_deferred(&FtpgetOpenWrite::new())
            .await
            .unwrap_err();
        assert_eq!(failed_code(err), 64, "{options:?}");
        let waited = started.elapsed();
        assert!(
            waited >= Duration::from_millis(900) && waited < Duration::from_secs(3),
            "{waited:?}"
        );
        assert_eq!(host.state().await, 0, "the connection is closed");
    })
    .await;
}

/// Manual flow: simcom-sim800 AN "3.11"
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unread_data_is_announced_again_then_times_out() {
    let server = FtpServer::start(FtpOptions::plain()).await;
    std::fs::write(server.root().join("1K.txt"), payload(1024, 2)).unwrap();
    in_every_mode(&server, |mut host, options| async move {
        host.send(FtptimeoutWrite::new(3)).await;
        host.get_file("/", "1K.txt").await;
        let (_, ready) = host
            .client
            .send_deferred(&FtpgetOpenWrite::new())
            .await
            .unwrap();
        assert_eq!(ready.status.code(), 1, "data are available");
        let announced = Instant::now();
        // The host does not read: `+FTPGET: 1,1` again, about once a second ...
        let mut repeats = 0;
        let end = loop {
            match host.get_status().await {
                1 => repeats += 1,
                other => break other,
            }
        };
        // ... until the timeout ends the session.
        assert_eq!(end, 64, "{options:?}");
        assert!(repeats >= 2, "{repeats} repeated announcements");
        let waited = announced.elapsed();
        assert!(
            waited >= Duration::from_millis(2800) && waited < Duration::from_secs(6),
            "{waited:?}"
        );
        assert_eq!(host.state().await, 0, "the connection is closed");
        let mut sink = Vec::new();
        let late = host
            .client
            .send_download(&FtpgetReadWrite::new(1024).unwrap(), &mut sink)
            .await
            .unwrap_err();
        assert!(matches!(late, AtError::Command { .. }), "{late}");
    })
    .await;
}
