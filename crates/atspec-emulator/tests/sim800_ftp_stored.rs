//! SIM800 FTP transfers through the module's own storage (application note 3.20 to
//! 3.24): uploads from the RAM buffer (AT+FTPEXTPUT, AT+FTPFILEPUT) and from the file
//! system (AT+FTPPUTFRMFS), downloads into the file system (AT+FTPGETTOFS) and into RAM
//! (AT+FTPEXTGET), with the read forms' progress while a 128 KiB/s bearer carries the
//! application note's 174125-byte file, and the manual's limits and error 85. Every flow
//! runs whole, with 1-byte output chunks, echo on and injected URCs, and with random
//! chunks, the three modes side by side.

mod sim800_support;
mod support;

use std::time::Duration;

use atspec::AtError;
use atspec_emulator::backend::ftp::{DataDrop, FtpFaults, FtpOptions, FtpServer};
use atspec_emulator::modem::ModemOptions;
use atspec_emulator::modems::sim800_ftp::{FTP_FOLDER, ModuleFs, RAM_SIZE, Sim800Ftp};
use atspec_emulator::payload;
use atspec_sim800::ftp::{
    FtpFileLocation, FtpextgetNormalWrite, FtpextgetOpenWrite, FtpextgetOutputWrite, FtpextgetRead,
    FtpextgetSaveWrite, FtpextputExtendedWrite, FtpextputLoadWrite, FtpextputNormalWrite,
    FtpfileputLoadWrite, FtpfileputOffWrite, FtpgettofsBasicWrite, FtpgettofsRead,
    FtpgettofsWithRetryWrite, FtpputOpenWrite, FtpputfrmfsBasicWrite, FtpputfrmfsRead,
};
use sim800_support::{Host, connected_to, failed_code, modes};
use support::sha256;

/// The application note's file size (3.21 to 3.23).
const FILE_LEN: usize = 174_125;

/// The bearer's pace: the 174125-byte file takes about 1.3 s.
const LINK_RATE: u64 = 128 * 1024;

/// Runs `flow` once per output mode, the modes concurrently, each on a module with its
/// own file system.
async fn in_every_mode<F, Fut>(server: &FtpServer, flow: F)
where
    F: Fn(Host, ModuleFs, ModemOptions) -> Fut,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let mut runs = Vec::new();
    for options in modes() {
        let fs = ModuleFs::new();
        let module = Sim800Ftp::new()
            .with_file_system(fs.clone())
            .with_link_rate(LINK_RATE);
        let host = connected_to(module, server, options.clone()).await;
        runs.push(tokio::spawn(flow(host, fs, options)));
    }
    for run in runs {
        run.await.unwrap();
    }
}

/// `name` in the module's FTP folder.
fn local(name: &str) -> String {
    format!("{FTP_FOLDER}{name}")
}

fn is_error(result: Result<impl std::fmt::Debug, AtError>) -> bool {
    matches!(result, Err(AtError::Command { .. }))
}

/// Polls a read form every 50 ms (at most 5 s) until `pick` accepts its answer.
async fn poll<T, F>(mut query: impl FnMut() -> F, pick: impl Fn(&T) -> bool) -> T
where
    F: std::future::Future<Output = T>,
{
    for _ in 0..100 {
        let answer = query().await;
        if pick(&answer) {
            return answer;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no matching progress answer within 5 s");
}

/// Manual flow: simcom-sim800 AN "3.20"
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn extended_put_uploads_the_ram_buffer() {
    let server = FtpServer::start(FtpOptions::plain()).await;
    let root = server.root().to_path_buf();
    in_every_mode(&server, move |host, _, options| {
        let root = root.clone();
        async move {
            let name = format!("1K-{}.txt", options.chunking_name());
            host.put_file("/", &name).await;
            host.send(FtpextputExtendedWrite::new()).await;
            let data = payload(1024, 20);
            let load = FtpextputLoadWrite::new(0, 1024, 10_000).unwrap();
            let accepted = host
                .client
                .send_upload(&load, &mut &data[..])
                .await
                .unwrap();
            assert_eq!((accepted.pos, accepted.length), (0, 1024));
            let (_, done) = host
                .client
                .send_deferred(&FtpputOpenWrite::new())
                .await
                .unwrap();
            assert_eq!(done.result.code(), 0, "uploaded from RAM");
            host.send(FtpextputNormalWrite::new()).await;
            let stored = std::fs::read(root.join(&name)).unwrap();
            assert_eq!(stored, data, "{options:?}");

            // The whole 300 KiB buffer, loaded in two pieces out of order.
            host.send(FtpextputExtendedWrite::new()).await;
            let big = payload(RAM_SIZE, 21);
            let half = RAM_SIZE / 2;
            for pos in [half, 0] {
                let load = FtpextputLoadWrite::new(pos as u32, half as u32, 10_000).unwrap();
                let piece = &big[pos..pos + half];
                host.client
                    .send_upload(&load, &mut &piece[..])
                    .await
                    .unwrap();
            }
            // Past the buffer's end, and a file load while the buffer is in use: ERROR.
            let beyond = FtpextputLoadWrite::new(half as u32 + 1, half as u32, 10_000).unwrap();
            assert!(is_error(
                host.client.send_upload(&beyond, &mut &big[..half]).await
            ));
            let file = FtpfileputLoadWrite::new(&local("x.txt")).unwrap();
            assert!(is_error(host.client.send(&file).await));
            let (_, done) = host
                .client
                .send_deferred(&FtpputOpenWrite::new())
                .await
                .unwrap();
            assert_eq!(done.result.code(), 0);
            let stored = std::fs::read(root.join(&name)).unwrap();
            assert_eq!(sha256(&stored), sha256(&big), "{options:?}");
            host.send(FtpextputNormalWrite::new()).await;
            // Loading needs AT+FTPEXTPUT=1 first.
            assert!(is_error(
                host.client.send_upload(&load_any(), &mut &big[..1]).await
            ));
        }
    })
    .await;
}

fn load_any() -> FtpextputLoadWrite {
    FtpextputLoadWrite::new(0, 1, 10_000).unwrap()
}

/// Manual flow: simcom-sim800 AN "3.21"
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gettofs_downloads_into_the_file_system() {
    let server = FtpServer::start(FtpOptions::plain()).await;
    let data = payload(FILE_LEN, 22);
    std::fs::write(server.root().join("test.txt"), &data).unwrap();
    in_every_mode(&server, move |host, fs, options| {
        let data = data.clone();
        async move {
            host.get_file("/", "test.txt").await;
            let get = FtpgettofsBasicWrite::new(FtpFileLocation::Internal, "test.txt").unwrap();
            let query = || async { host.send(FtpgettofsRead::new()).await };
            let (done, running) = tokio::join!(
                host.client.send_deferred(&get),
                poll(query, |p| p.status.code() == 1
                    && p.received_length.is_some_and(|n| n > 0))
            );
            let (received, written) = (running.received_length, running.write_length);
            let (received, written) = (received.unwrap(), written.unwrap());
            assert!(
                received < FILE_LEN as u32 && written <= received,
                "{running:?}"
            );
            let (_, done) = done.unwrap();
            assert_eq!(
                (done.result.code(), done.total_length),
                (0, Some(FILE_LEN as u32))
            );
            let idle = host.send(FtpgettofsRead::new()).await;
            assert_eq!((idle.status.code(), idle.received_length), (0, None));
            let stored = fs.read(&local("test.txt")).unwrap();
            assert_eq!(sha256(&stored), sha256(&data), "{options:?}");

            // No SD card in this module: a file-system error.
            let sd = FtpgettofsBasicWrite::new(FtpFileLocation::SdCard, "test.txt").unwrap();
            assert_eq!(
                failed_code(host.client.send_deferred(&sd).await.unwrap_err()),
                85
            );
        }
    })
    .await;
}

/// Manual flow: simcom-sim800 AN "3.21"
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn gettofs_reconnects_after_a_cut_and_a_full_flash_is_85() {
    let faults = FtpFaults {
        drop_data: Some(DataDrop {
            after_bytes: 50_000,
            transfers: 1,
        }),
        ..FtpFaults::default()
    };
    let server = FtpServer::start(FtpOptions::plain().with_faults(faults)).await;
    let data = payload(120_000, 23);
    std::fs::write(server.root().join("cut.bin"), &data).unwrap();
    for options in modes() {
        let fs = ModuleFs::with_capacity(150_000);
        let module = Sim800Ftp::new().with_file_system(fs.clone());
        let host = connected_to(module, &server, options.clone()).await;
        host.get_file("/", "cut.bin").await;
        // One reconnection, at once: the download resumes where the cut left it.
        let get =
            FtpgettofsWithRetryWrite::new(FtpFileLocation::Internal, "cut.bin", 1, 0).unwrap();
        let (_, done) = host.client.send_deferred(&get).await.unwrap();
        assert_eq!(done.total_length, Some(120_000), "{options:?}");
        let stored = fs.read(&local("cut.bin")).unwrap();
        assert_eq!(sha256(&stored), sha256(&data), "{options:?}");
        // A second copy does not fit in 150000 bytes of flash.
        let copy = FtpgettofsBasicWrite::new(FtpFileLocation::Internal, "copy.bin").unwrap();
        let err = host.client.send_deferred(&copy).await.unwrap_err();
        assert_eq!(failed_code(err), 85);
    }
}

/// Manual flow: simcom-sim800 AN "3.22"
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn putfrmfs_uploads_from_the_file_system() {
    let server = FtpServer::start(FtpOptions::plain()).await;
    let root = server.root().to_path_buf();
    in_every_mode(&server, move |host, fs, options| {
        let root = root.clone();
        async move {
            let data = payload(FILE_LEN, 24);
            fs.write(r"c:\user\ftp\test.txt", &data).unwrap();
            let name = format!("test-{}.txt", options.chunking_name());
            host.put_file("/", &name).await;
            let put = FtpputfrmfsBasicWrite::new(r"c:\user\ftp\test.txt").unwrap();
            let query = || async { host.send(FtpputfrmfsRead::new()).await };
            let (done, running) = tokio::join!(
                host.client.send_deferred(&put),
                poll(query, |p| p.status.code() == 1
                    && p.put_length.is_some_and(|n| n > 0))
            );
            assert!(running.put_length.unwrap() < FILE_LEN as u32, "{running:?}");
            let (_, done) = done.unwrap();
            assert_eq!(
                (done.result.code(), done.total_length),
                (0, Some(FILE_LEN as u32))
            );
            let stored = std::fs::read(root.join(&name)).unwrap();
            assert_eq!(sha256(&stored), sha256(&data), "{options:?}");
            // A file the module does not have: a file-system error.
            let missing = FtpputfrmfsBasicWrite::new(r"c:\user\ftp\none.txt").unwrap();
            let err = host.client.send_deferred(&missing).await.unwrap_err();
            assert_eq!(failed_code(err), 85);
        }
    })
    .await;
}

/// Manual flow: simcom-sim800 AN "3.23"
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn extget_downloads_into_ram_saves_and_outputs() {
    let server = FtpServer::start(FtpOptions::plain()).await;
    let data = payload(FILE_LEN, 25);
    std::fs::write(server.root().join("test.txt"), &data).unwrap();
    std::fs::write(server.root().join("big.bin"), payload(RAM_SIZE + 1, 26)).unwrap();
    in_every_mode(&server, move |host, fs, options| {
        let data = data.clone();
        async move {
            host.get_file("/", "test.txt").await;
            let open = FtpextgetOpenWrite::new();
            let query = || async { host.send(FtpextgetRead::new()).await };
            let (done, running) = tokio::join!(
                host.client.send_deferred(&open),
                poll(query, |p| p.status.code() == 1
                    && p.received_length.is_some_and(|n| n > 0))
            );
            assert!(running.received_length.unwrap() < FILE_LEN as u32);
            assert_eq!(done.unwrap().1.result.code(), 0, "{options:?}");

            let save = FtpextgetSaveWrite::new("test.txt").unwrap();
            let saved = host.send(save).await;
            assert_eq!(saved.total_length, FILE_LEN as u32);
            let stored = fs.read(&local("test.txt")).unwrap();
            assert_eq!(sha256(&stored), sha256(&data));

            let mut out = Vec::new();
            let read = FtpextgetOutputWrite::new(0, FILE_LEN as u32);
            let (chunk, n) = host.client.send_download(&read, &mut out).await.unwrap();
            assert_eq!((chunk.output_length, n), (FILE_LEN as u32, FILE_LEN as u64));
            assert_eq!(sha256(&out), sha256(&data), "{options:?}");
            host.send(FtpextgetNormalWrite::new()).await;
            assert!(is_error(host.client.send_download(&read, &mut out).await));

            // A file larger than the RAM buffer: a file-system error.
            host.get_file("/", "big.bin").await;
            let err = host.client.send_deferred(&open).await.unwrap_err();
            assert_eq!(failed_code(err), 85);
            host.send(FtpextgetNormalWrite::new()).await;
        }
    })
    .await;
}

/// Manual flow: simcom-sim800 AN "3.24"
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fileput_uploads_a_file_loaded_into_ram() {
    let server = FtpServer::start(FtpOptions::plain()).await;
    let root = server.root().to_path_buf();
    in_every_mode(&server, move |host, fs, options| {
        let root = root.clone();
        async move {
            let data = payload(FILE_LEN, 27);
            fs.write(r"c:\user\ftp\test.txt", &data).unwrap();
            let name = format!("test-{}.txt", options.chunking_name());
            host.put_file("/", &name).await;
            host.send(FtpfileputLoadWrite::new(r"c:\user\ftp\test.txt").unwrap())
                .await;
            let (_, done) = host
                .client
                .send_deferred(&FtpputOpenWrite::new())
                .await
                .unwrap();
            assert_eq!(done.result.code(), 0, "{options:?}");
            host.send(FtpfileputOffWrite::new()).await;
            let stored = std::fs::read(root.join(&name)).unwrap();
            assert_eq!(sha256(&stored), sha256(&data), "{options:?}");
            // A file the module does not have cannot be loaded.
            let missing = FtpfileputLoadWrite::new(r"c:\user\ftp\none.txt").unwrap();
            assert!(is_error(host.client.send(&missing).await));
        }
    })
    .await;
}

/// A short name for an output mode, to keep the modes' server files apart.
trait ChunkingName {
    fn chunking_name(&self) -> String;
}

impl ChunkingName for ModemOptions {
    fn chunking_name(&self) -> String {
        format!("{:?}", self.chunking).replace(['(', ')'], "")
    }
}
