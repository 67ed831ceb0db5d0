//! The EC200U FTP(S) note's upload and download examples in the manual's order (through
//! the serial port and through UFS and the SD card: sections 2.5, 2.6, 3.6, 3.7). Each runs
//! plain, with 1-byte output chunks, echo on and unrelated URCs injected, and with
//! random output chunks, against the emulated module and a real loopback FTP(S) server:
//! the same commands, local and remote names as the note, asserting what a user would
//! notice (result lines, sizes, the files on the server, the module's files read back).

mod ec200u_common;
mod support;

use atspec_ec200u::ftp::{
    LastPacket, QftpcwdWrite, QftpgetToFileWrite, QftplenExec, QftpputFromFileWrite,
    QftpputFromPortSizedWrite, QftpputFromPortWrite, QftpsizeWrite, QftpstatExec,
};
use atspec_ec200u::support::QfdelWrite;
use atspec_emulator::backend::ftp::{FtpOptions, FtpServer};
use atspec_emulator::payload;
use ec200u_common::{
    deferred, download, file_list, logged_in, modes, place, put, read_file, send, stored,
    upload_to_module,
};
use support::sha256;

/// Manual flow: quectel-ec200u FTP_AN "2.5"
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upload_a_file_examples() {
    for options in modes() {
        let server = FtpServer::start(FtpOptions::plain()).await;
        let client = logged_in(&server, options, 0).await;
        // Through the port, ended by +++.
        let data = payload(1000, 25);
        let done = put(
            &client,
            &QftpputFromPortWrite::new("test.txt", Some(0)).unwrap(),
            &data,
        )
        .await;
        assert_eq!((done.err.code(), done.transferlen), (0, 1000));
        assert_eq!(sha256(&stored(&server, "test.txt")), sha256(&data));
        // Twice 1024 bytes, the second the last part.
        let whole = payload(2048, 26);
        let first = QftpputFromPortSizedWrite::new("test.txt", 0, 1024, LastPacket::from_code(0));
        let done = put(&client, &first.unwrap(), &whole[..1024]).await;
        assert_eq!((done.err.code(), done.transferlen), (0, 1024));
        let last = QftpputFromPortSizedWrite::new("test.txt", 1024, 1024, LastPacket::from_code(1));
        let done = put(&client, &last.unwrap(), &whole[1024..]).await;
        assert_eq!((done.err.code(), done.transferlen), (0, 1024));
        assert_eq!(sha256(&stored(&server, "test.txt")), sha256(&whole));
        // Through UFS.
        let local = payload(1000, 27);
        upload_to_module(&client, "UFS:test1.txt", &local).await;
        assert_eq!(
            file_list(&client, "UFS:*").await,
            [("UFS:test1.txt".to_owned(), 1000)]
        );
        let from = QftpputFromFileWrite::new("test.txt", "UFS:test1.txt", Some(0)).unwrap();
        let done = deferred(&client, &from).await;
        assert_eq!((done.err.code(), done.transferlen), (0, 1000));
        assert_eq!(sha256(&stored(&server, "test.txt")), sha256(&local));
        send(&client, &QfdelWrite::new("UFS:test1.txt").unwrap()).await;
        assert!(file_list(&client, "UFS:*").await.is_empty());
    }
}

/// Manual flow: quectel-ec200u FTP_AN "3.6"
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upload_a_file_to_the_server() {
    for options in modes() {
        let server = FtpServer::start(FtpOptions::plain()).await;
        let client = logged_in(&server, options, 0).await;
        deferred(&client, &QftpcwdWrite::new("/").unwrap()).await;
        let state = deferred(&client, &QftpstatExec::new()).await;
        assert_eq!((state.err.code(), state.ftpstat.code()), (0, 1));

        // Through the port; then 500 more bytes from start position 1000.
        let head = payload(1000, 36);
        let done = put(
            &client,
            &QftpputFromPortWrite::new("test_my1.txt", Some(0)).unwrap(),
            &head,
        )
        .await;
        assert_eq!((done.err.code(), done.transferlen), (0, 1000));
        assert_eq!(
            deferred(&client, &QftplenExec::new()).await.transferlen,
            1000
        );
        assert_eq!(
            deferred(&client, &QftpsizeWrite::new("test_my1.txt").unwrap())
                .await
                .file_size,
            1000
        );
        let tail = payload(500, 37);
        let more = QftpputFromPortWrite::new("test_my1.txt", Some(1000)).unwrap();
        let done = put(&client, &more, &tail).await;
        assert_eq!((done.err.code(), done.transferlen), (0, 500));
        assert_eq!(
            deferred(&client, &QftpsizeWrite::new("test_my1.txt").unwrap())
                .await
                .file_size,
            1500
        );
        assert_eq!(
            sha256(&stored(&server, "test_my1.txt")),
            sha256(&[head, tail].concat())
        );

        // Solution 1: twice 1024 bytes.
        let whole = payload(2048, 38);
        let first =
            QftpputFromPortSizedWrite::new("test_my1.txt", 0, 1024, LastPacket::from_code(0));
        assert_eq!(
            put(&client, &first.unwrap(), &whole[..1024])
                .await
                .transferlen,
            1024
        );
        let last =
            QftpputFromPortSizedWrite::new("test_my1.txt", 1024, 1024, LastPacket::from_code(1));
        assert_eq!(
            put(&client, &last.unwrap(), &whole[1024..])
                .await
                .transferlen,
            1024
        );
        assert_eq!(sha256(&stored(&server, "test_my1.txt")), sha256(&whole));

        // Solutions 2 and 3: from UFS, then from the SD card.
        for (storage, seed) in [("UFS", 39), ("SD", 40)] {
            let local = payload(1000, seed);
            let name = format!("{storage}:test_{}.txt", storage.to_lowercase());
            upload_to_module(&client, &name, &local).await;
            assert_eq!(
                file_list(&client, &format!("{storage}:*")).await,
                [(name.clone(), 1000)]
            );
            let from = QftpputFromFileWrite::new("test_my1.txt", &name, Some(0)).unwrap();
            let done = deferred(&client, &from).await;
            assert_eq!((done.err.code(), done.transferlen), (0, 1000));
            assert_eq!(sha256(&stored(&server, "test_my1.txt")), sha256(&local));
            if storage == "SD" {
                assert_eq!(
                    deferred(&client, &QftplenExec::new()).await.transferlen,
                    1000
                );
                let size = deferred(&client, &QftpsizeWrite::new("test_my1.txt").unwrap()).await;
                assert_eq!(size.file_size, 1000);
            }
            send(&client, &QfdelWrite::new(&name).unwrap()).await;
            assert!(file_list(&client, &format!("{storage}:*")).await.is_empty());
        }
    }
}

/// Manual flow: quectel-ec200u FTP_AN "2.6"
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn download_a_file_examples() {
    for options in modes() {
        let server = FtpServer::start(FtpOptions::plain()).await;
        let data = payload(1000, 26);
        place(&server, "test.txt", &data);
        let client = logged_in(&server, options, 0).await;
        let whole = download(&client, "test.txt", Some(0), None).await.unwrap();
        assert_eq!(sha256(&whole), sha256(&data));
        let first = download(&client, "test.txt", Some(0), Some(500))
            .await
            .unwrap();
        let rest = download(&client, "test.txt", Some(500), Some(500))
            .await
            .unwrap();
        assert_eq!((first.len(), rest.len()), (500, 500));
        assert_eq!(sha256(&[first, rest].concat()), sha256(&data));
        let to_ufs = QftpgetToFileWrite::new("test.txt", "UFS:test2.txt", Some(0)).unwrap();
        let done = deferred(&client, &to_ufs).await;
        assert_eq!((done.err.code(), done.transferlen), (0, 1000));
        assert_eq!(
            file_list(&client, "UFS:*").await,
            [("UFS:test2.txt".to_owned(), 1000)]
        );
        assert_eq!(
            sha256(&read_file(&client, "UFS:test2.txt", 300).await),
            sha256(&data)
        );
    }
}

/// Manual flow: quectel-ec200u FTP_AN "3.7"
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn download_a_file_from_the_server() {
    for options in modes() {
        let server = FtpServer::start(FtpOptions::plain()).await;
        let (my, test, my1) = (payload(1000, 1), payload(1000, 2), payload(1000, 3));
        place(&server, "test_my.txt", &my);
        place(&server, "test.txt", &test);
        place(&server, "test_my1.txt", &my1);
        let client = logged_in(&server, options, 0).await;
        deferred(&client, &QftpcwdWrite::new("/").unwrap()).await;

        // Solution 1: through the port, whole and in two halves.
        let got = download(&client, "test_my.txt", None, None).await.unwrap();
        assert_eq!(sha256(&got), sha256(&my));
        let first = download(&client, "test.txt", Some(0), Some(500))
            .await
            .unwrap();
        let rest = download(&client, "test.txt", Some(500), Some(500))
            .await
            .unwrap();
        assert_eq!(sha256(&[first, rest].concat()), sha256(&test));

        // Solutions 2 and 3: to UFS and to the SD card, whole and from position 450.
        for storage in ["UFS", "SD"] {
            let whole = format!("{storage}:test.txt");
            let done = deferred(
                &client,
                &QftpgetToFileWrite::new("test_my1.txt", &whole, None).unwrap(),
            )
            .await;
            assert_eq!((done.err.code(), done.transferlen), (0, 1000));
            assert_eq!(
                file_list(&client, &format!("{storage}:*")).await,
                [(whole.clone(), 1000)]
            );
            let part = format!("{storage}:test1.txt");
            let from_450 = QftpgetToFileWrite::new("test_my1.txt", &part, Some(450)).unwrap();
            let done = deferred(&client, &from_450).await;
            assert_eq!((done.err.code(), done.transferlen), (0, 550));
            if storage == "SD" {
                assert_eq!(
                    deferred(&client, &QftplenExec::new()).await.transferlen,
                    550
                );
            }
            assert_eq!(
                file_list(&client, &format!("{storage}:*")).await,
                [(whole.clone(), 1000), (part.clone(), 550)]
            );
            assert_eq!(sha256(&read_file(&client, &whole, 512).await), sha256(&my1));
            assert_eq!(
                sha256(&read_file(&client, &part, 512).await),
                sha256(&my1[450..])
            );
        }
    }
}
