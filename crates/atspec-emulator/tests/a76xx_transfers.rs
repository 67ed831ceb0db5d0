//! A76XX / SIM7600 FTP(S) transfers end to end: uploads (sized and Ctrl+Z-framed),
//! listings, sizes, downloads of 0 B, 1 KiB and 1 MiB binary files, resumed downloads
//! after a cut, the module file system and cached reads. Every flow runs with whole
//! answers and with 1-byte output chunks, echo on and unrelated URCs injected.

mod a76xx_common;
mod support;

use std::time::Duration;

use a76xx_common::*;
use atspec::{AtError, Unsolicited};
use atspec_a76xx::Urc;
use atspec_a76xx::ftps::{
    CftpscacherdExec, CftpscacherdRead, CftpsdeleWrite, CftpsgetCachedWrite, CftpsgetfileWrite,
    CftpsmkdWrite, CftpsputfileWrite, FtpsResult, LocalDir,
};
use atspec_emulator::backend::ftp::{DataDrop, FtpFaults, FtpOptions, FtpServer};
use atspec_emulator::modem::ModemOptions;
use atspec_emulator::payload;
use support::sha256;

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
                        .send_deferred(&CftpsdeleWrite::new(&name).unwrap())
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
            .send_deferred(&CftpsgetfileWrite::new("/remote.bin", None, None).unwrap())
            .await
            .unwrap();
        assert_eq!(got.errcode, FtpsResult::Success);
        let local = files.get(LocalDir::Local, "remote.bin").unwrap();
        assert_eq!(sha256(&local), sha256(&data), "{options:?}");

        files.put(LocalDir::SdCard, "local.bin", data[..1000].to_vec());
        client
            .send_deferred(&CftpsmkdWrite::new("/dir").unwrap())
            .await
            .unwrap();
        let put = CftpsputfileWrite::new("/dir/local.bin", Some(LocalDir::SdCard), None).unwrap();
        let (_, sent) = client.send_deferred(&put).await.unwrap();
        assert_eq!(sent.errcode, FtpsResult::Success);
        let stored = std::fs::read(server.root().join("dir/local.bin")).unwrap();
        assert_eq!(stored, data[..1000]);
        std::fs::remove_dir_all(server.root().join("dir")).unwrap();

        // A file the module does not have: 7, file not found.
        let put = CftpsputfileWrite::new("/none.bin", None, None).unwrap();
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
            .send_deferred(&CftpsgetCachedWrite::new("c.bin", 0).unwrap())
            .await
            .unwrap();
        let cached = client.send(&CftpscacherdRead::new()).await.unwrap();
        assert_eq!(cached.len as usize, data.len());
        let mut file = Vec::new();
        while file.len() < data.len() {
            let (chunk, n) = client
                .send_download(&CftpscacherdExec::new(), &mut file)
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
            .send_deferred(&CftpsgetfileWrite::new("g.bin", None, None).unwrap())
            .await
            .unwrap_err();
        assert_eq!(failed_code(err), "6", "{options:?}");
        let part = files.get(LocalDir::Local, "g.bin").unwrap_or_default();
        assert!(part.len() <= 2000 && part == data[..part.len()]);

        let offset = u32::try_from(part.len()).unwrap();
        let resume = CftpsgetfileWrite::new("g.bin", Some(LocalDir::Local), Some(offset)).unwrap();
        let (_, done) = client.send_deferred(&resume).await.unwrap();
        assert_eq!(done.errcode, FtpsResult::Success);
        let file = files.get(LocalDir::Local, "g.bin").unwrap();
        assert_eq!(sha256(&file), sha256(&data), "{options:?}");

        // An offset past the local file is refused at once: 7, then ERROR.
        let beyond = CftpsgetfileWrite::new("g.bin", Some(LocalDir::Local), Some(9000)).unwrap();
        let err = client.send_deferred(&beyond).await.unwrap_err();
        assert!(matches!(err, AtError::Command { .. }), "{err}");
        finish(&client).await;
    }
}
