//! The EC200U's own files and the edges of transfers to and from them: refusals with the
//! FILE (4xx) and FTP(S) (6xx) codes, the limits, handles, and the `=?` test forms. Each
//! test runs plain, with 1-byte output chunks, echo on and URCs injected, and with random
//! output chunks.

mod ec200u_common;
mod support;

use atspec_ec200u::ftp::{
    QftpcfgTest, QftpgetToFileWrite, QftplenTest, QftplistToFileWrite, QftpopenTest,
    QftpputFromFileWrite, QftpputTest, QftpsizeWrite,
};
use atspec_ec200u::support::{
    FileOpenMode, QfcloseWrite, QfdelWrite, QflstExec, QflstWrite, QfopenRead, QfopenWrite,
    QfreadWrite, QfuplTest, QfuplWrite, QiactTest, UploadAckMode,
};
use atspec_emulator::backend::ftp::{FtpOptions, FtpServer};
use atspec_emulator::payload;
use ec200u_common::{
    assert_cme, assert_failed, configured, deferred, file_list, logged_in, modes, place, read_file,
    send, stored, upload_to_module,
};
use support::sha256;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn module_files_refuse_what_a_file_system_would() {
    let server = FtpServer::start(FtpOptions::plain()).await;
    for options in modes() {
        let client = configured(&server, options, 0).await;
        let data = payload(1000, 7);
        upload_to_module(&client, "UFS:a.txt", &data).await;
        // A taken name (406), a storage that does not exist (405), more than is free (403).
        let again = QfuplWrite::new("UFS:a.txt", 10, Some(5), Some(UploadAckMode::Off)).unwrap();
        assert_cme(
            &client
                .send_upload(&again, &mut &b"x"[..])
                .await
                .unwrap_err(),
            "406",
        );
        let ram = QfuplWrite::new("RAM:a.txt", 10, None, None).unwrap();
        assert_cme(
            &client.send_upload(&ram, &mut &b"x"[..]).await.unwrap_err(),
            "405",
        );
        let huge = QfuplWrite::new("UFS:huge.bin", 64 << 20, None, None).unwrap();
        assert_cme(
            &client.send_upload(&huge, &mut &b"x"[..]).await.unwrap_err(),
            "403",
        );
        // AT+QFLST without arguments lists UFS; another storage has its own files.
        let listed = send(&client, &QflstExec::new()).await;
        assert_eq!(listed.ufs_file_entry.len(), 1);
        assert_eq!(listed.ufs_file_entry[0].filename, "UFS:a.txt");
        assert!(file_list(&client, "SD:*").await.is_empty());

        // An open file: listed by AT+QFOPEN?, not deletable, read in pieces.
        let opened = send(
            &client,
            &QfopenWrite::new("UFS:a.txt", Some(FileOpenMode::ReadOnly)).unwrap(),
        )
        .await;
        let open = send(&client, &QfopenRead::new()).await;
        assert_eq!(open.open_file.len(), 1);
        assert_eq!(
            (
                open.open_file[0].filename.as_str(),
                open.open_file[0].filehandle
            ),
            ("UFS:a.txt", opened.filehandle)
        );
        let err = client
            .send(&QfdelWrite::new("UFS:a.txt").unwrap())
            .await
            .unwrap_err();
        assert_cme(&err, "421");
        let mut head = Vec::new();
        let (got, _) = client
            .send_download(
                &QfreadWrite::new(opened.filehandle, Some(10)).unwrap(),
                &mut head,
            )
            .await
            .unwrap();
        assert_eq!((got.read_length, &head[..]), (10, &data[..10]));
        send(&client, &QfcloseWrite::new(opened.filehandle)).await;
        // A closed handle is no handle (413); a missing file cannot be opened read-only.
        let err = client
            .send(&QfcloseWrite::new(opened.filehandle))
            .await
            .unwrap_err();
        assert_cme(&err, "413");
        let err = client
            .send(&QfopenWrite::new("UFS:none.txt", Some(FileOpenMode::ReadOnly)).unwrap())
            .await
            .unwrap_err();
        assert_cme(&err, "404");
        send(&client, &QfdelWrite::new("UFS:a.txt").unwrap()).await;
        let err = client
            .send(&QfdelWrite::new("UFS:a.txt").unwrap())
            .await
            .unwrap_err();
        assert_cme(&err, "404");
        // "*" deletes every UFS file, and is no error when there is none.
        send(&client, &QfdelWrite::new("*").unwrap()).await;
        assert!(
            send(&client, &QflstWrite::new("*").unwrap())
                .await
                .file_entry
                .is_empty()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn local_transfers_check_the_local_side_first() {
    for options in modes() {
        let server = FtpServer::start(FtpOptions::plain()).await;
        let data = payload(3000, 8);
        place(&server, "remote.bin", &data);
        let client = logged_in(&server, options, 0).await;
        // Not a local file name: refused before it is sent (the spec's `prefix` rule);
        // a missing local file: 611.
        assert!(matches!(
            QftpgetToFileWrite::new("remote.bin", "RAM:x", None),
            Err(atspec::ParamError::MissingPrefix { .. })
        ));
        let err = client
            .send_deferred(&QftpputFromFileWrite::new("up.bin", "UFS:none.bin", None).unwrap())
            .await
            .unwrap_err();
        assert_cme(&err, "611");
        // A missing remote file: the server's 550 as 627, nothing saved.
        let err = client
            .send_deferred(&QftpgetToFileWrite::new("none.bin", "UFS:none.bin", None).unwrap())
            .await
            .unwrap_err();
        assert_failed(&err, "627");
        assert!(file_list(&client, "UFS:*").await.is_empty());

        // A resumed upload from UFS: the local file's tail continues the remote file,
        // which must be exactly as long as the start position (612 otherwise).
        let done = deferred(
            &client,
            &QftpgetToFileWrite::new("remote.bin", "UFS:copy.bin", None).unwrap(),
        )
        .await;
        assert_eq!(done.transferlen, 3000);
        std::fs::write(server.root().join("half.bin"), &data[..1200]).unwrap();
        let err = client
            .send_deferred(
                &QftpputFromFileWrite::new("half.bin", "UFS:copy.bin", Some(1000)).unwrap(),
            )
            .await
            .unwrap_err();
        assert_cme(&err, "612");
        let err = client
            .send_deferred(
                &QftpputFromFileWrite::new("half.bin", "UFS:copy.bin", Some(4000)).unwrap(),
            )
            .await
            .unwrap_err();
        assert_cme(&err, "612");
        let done = deferred(
            &client,
            &QftpputFromFileWrite::new("half.bin", "UFS:copy.bin", Some(1200)).unwrap(),
        )
        .await;
        assert_eq!(done.transferlen, 1800);
        assert_eq!(sha256(&stored(&server, "half.bin")), sha256(&data));
        let size = deferred(&client, &QftpsizeWrite::new("half.bin").unwrap()).await;
        assert_eq!(size.file_size, 3000);

        // A listing of a missing folder saves nothing.
        let err = client
            .send_deferred(&QftplistToFileWrite::new("no_such_dir", "UFS:l.txt").unwrap())
            .await
            .unwrap_err();
        assert!(matches!(err, atspec::AtError::Failed { .. }), "{err}");
        assert_eq!(
            file_list(&client, "UFS:*").await,
            [("UFS:copy.bin".to_owned(), 3000)]
        );
        assert_eq!(
            sha256(&read_file(&client, "UFS:copy.bin", 4096).await),
            sha256(&data)
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn test_forms_answer_the_manuals_shapes() {
    let server = FtpServer::start(FtpOptions::plain()).await;
    for options in modes() {
        let client = configured(&server, options, 0).await;
        let cfg = send(&client, &QftpcfgTest::new()).await;
        let lines: Vec<&str> = cfg
            .cfg_supported
            .iter()
            .map(|l| l.supported.as_str())
            .collect();
        assert_eq!(lines.len(), 8);
        assert_eq!(lines[1], r#""filetype",(0,1)"#);
        assert_eq!(lines[4], r#""rsptimeout",(20-180)"#);
        let open = send(&client, &QftpopenTest::new()).await;
        assert_eq!(open.supported, "<hostname>,(1-65535)");
        let put = send(&client, &QftpputTest::new()).await;
        assert!(put.supported.starts_with("<file_name>,<local_name>,"));
        send(&client, &QftplenTest::new()).await;
        let iact = send(&client, &QiactTest::new()).await;
        assert_eq!(iact.supported, "(1-7)");
        let upl = send(&client, &QfuplTest::new()).await;
        assert!(upl.supported.starts_with("<filename>[,(1-"));
    }
}

/// AT+QFUPL with ACK mode 1 over several 1 KiB blocks: the client waits for each `A`,
/// and the module stores every byte (a last partial block, and a last full one).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_acknowledged_upload_of_several_blocks_is_stored_whole() {
    let server = FtpServer::start(FtpOptions::plain()).await;
    for options in modes() {
        let client = configured(&server, options.clone(), 0).await;
        for (name, len) in [("UFS:five.bin", 5000usize), ("UFS:two.bin", 2048)] {
            let data = payload(len, len as u64);
            let command =
                QfuplWrite::new(name, len as u32, Some(5), Some(UploadAckMode::On)).unwrap();
            let done = client.send_upload(&command, &mut &data[..]).await.unwrap();
            assert_eq!(done.upload_size as usize, len, "{options:?}");
            let back = read_file(&client, name, 700).await;
            assert_eq!(sha256(&back), sha256(&data), "{name} {options:?}");
        }
    }
}
