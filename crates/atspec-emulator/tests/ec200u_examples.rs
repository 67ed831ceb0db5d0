//! The example sections of the Quectel EC200U FTP(S) application note, each run in the
//! manual's order against the emulated module and a real loopback FTP(S) server: the
//! same commands, the same local and remote names, asserting what a user would notice
//! (result lines, sizes, the files on the server, the module's files read back). Each runs
//! plain, with 1-byte output chunks, echo on and unrelated URCs injected, and with random
//! output chunks.

mod ec200u_common;
mod support;

use std::fs::File;
use std::time::{Duration, SystemTime};

use atspec_ec200u::Urc;
use atspec_ec200u::ftp::{
    FileType, LastPacket, QftpcfgAccount, QftpcfgContextId, QftpcfgFileType, QftpcfgRsptimeout,
    QftpcfgSslCtxId, QftpcfgSslType, QftpcfgTransmode, Qftpclose, Qftpcwd, Qftpdel, QftpgetToFile,
    Qftplen, QftplistToFile, QftplistToPort, QftplistToPortNamed, Qftpmdtm, Qftpmkdir,
    QftpmlsdToFile, QftpmlsdToPort, QftpmlsdToPortNamed, QftpnlstToFile, QftpnlstToPort,
    QftpnlstToPortNamed, Qftpopen, QftpputFromFile, QftpputFromPort, QftpputFromPortSized, Qftppwd,
    Qftprename, Qftprmdir, Qftpsize, Qftpstat, SslType, TransferMode,
};
use atspec_ec200u::support::{
    PdpAuth, PdpType, Qfdel, Qflst, Qfupl, Qiact, QiactRead, QicsgpSetWithCredentials, Qideact,
    QsslcfgCipherSuite, QsslcfgSecLevel, QsslcfgSslVersion, SslCipherSuite, SslSecLevel,
    SslVersion, UploadAckMode,
};
use atspec_emulator::backend::ftp::{FtpOptions, FtpServer};
use atspec_emulator::modem::ModemOptions;
use atspec_emulator::payload;
use ec200u_common::{
    deferred, download, listing, logged_in, modes, module, open, put, read_file, send,
};
use support::sha256;

/// 2014-07-08 11:00:39 UTC, the modification time of the note's AT+QFTPMDTM example.
const MANUAL_MTIME: u64 = 1_404_817_239;

/// Puts `data` on the server as `name` (under its root) with the manual's mtime.
fn place(server: &FtpServer, name: &str, data: &[u8]) {
    let path = server.root().join(name);
    std::fs::write(&path, data).unwrap();
    let mtime = SystemTime::UNIX_EPOCH + Duration::from_secs(MANUAL_MTIME);
    File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(mtime)
        .unwrap();
}

fn stored(server: &FtpServer, name: &str) -> Vec<u8> {
    std::fs::read(server.root().join(name)).unwrap()
}

/// The `+QFLST:` entries of AT+QFLST=`pattern`, as (name, size).
async fn file_list(client: &atspec::Client<Urc>, pattern: &str) -> Vec<(String, u32)> {
    let listed = send(client, &Qflst::new(pattern).unwrap()).await;
    listed
        .file_entry
        .into_iter()
        .map(|e| (e.filename, e.file_size))
        .collect()
}

/// AT+QFUPL of `data` as `name` with the note's arguments (timeout 300 s, ACK mode 1),
/// checking `+QFUPL: <size>,<checksum>`.
async fn upload_to_module(client: &atspec::Client<Urc>, name: &str, data: &[u8]) {
    let command = Qfupl::new(name, 1000, Some(300), Some(UploadAckMode::On)).unwrap();
    assert_eq!(data.len(), 1000, "the note's example uploads 1000 bytes");
    let done = client.send_upload(&command, &mut &data[..]).await.unwrap();
    assert_eq!(done.upload_size, 1000);
    // The BG96 FILE manual's checksum: XOR of big-endian 16-bit words, in hex.
    let xor = data
        .chunks(2)
        .map(|w| u16::from_be_bytes([w[0], *w.get(1).unwrap_or(&0)]))
        .fold(0, |a, w| a ^ w);
    assert_eq!(done.checksum, format!("{xor:x}"));
}

/// Manual flow: quectel-ec200u FTP_AN "3.1"
/// Manual flow: quectel-ec200u FTP_AN "2.2"
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn login_to_ftp_server() {
    for options in modes() {
        let server = FtpServer::start(FtpOptions::plain()).await;
        let client = module(&server, options);
        // Step 1: configure and activate the PDP context.
        let apn =
            QicsgpSetWithCredentials::new(1, PdpType::Ipv4, "UNINET", "", "", Some(PdpAuth::Pap));
        send(&client, &apn.unwrap()).await;
        send(&client, &Qiact::new(1).unwrap()).await;
        let active = send(&client, &QiactRead::new().unwrap()).await;
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
        send(&client, &QftpcfgContextId::new(1).unwrap()).await;
        // Step 2: account and transfer settings (ASCII, passive, 90 s).
        send(
            &client,
            &QftpcfgAccount::new(server.user(), server.password()).unwrap(),
        )
        .await;
        send(&client, &QftpcfgFileType::new(FileType::Ascii).unwrap()).await;
        send(
            &client,
            &QftpcfgTransmode::new(TransferMode::Passive).unwrap(),
        )
        .await;
        send(&client, &QftpcfgRsptimeout::new(90).unwrap()).await;
        // Step 3: login; `+QFTPOPEN: 0,0`, and the session is open and idle.
        let open_cmd = Qftpopen::new("127.0.0.1", Some(server.port())).unwrap();
        let done = deferred(&client, &open_cmd).await;
        assert_eq!((done.err.code(), done.protocol_error.code()), (0, 0));
        let state = deferred(&client, &Qftpstat::new().unwrap()).await;
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
        ec200u_common::activate_context(&client).await;
        send(&client, &QftpcfgContextId::new(1).unwrap()).await;
        // Step 2.
        send(
            &client,
            &QftpcfgAccount::new(server.user(), server.password()).unwrap(),
        )
        .await;
        send(&client, &QftpcfgFileType::new(FileType::Ascii).unwrap()).await;
        send(
            &client,
            &QftpcfgTransmode::new(TransferMode::Passive).unwrap(),
        )
        .await;
        send(&client, &QftpcfgRsptimeout::new(90).unwrap()).await;
        // Step 3: FTPS with implicit encryption on SSL context 1.
        send(
            &client,
            &QftpcfgSslType::new(SslType::FtpsImplicit).unwrap(),
        )
        .await;
        send(&client, &QftpcfgSslCtxId::new(1).unwrap()).await;
        send(
            &client,
            &QsslcfgCipherSuite::new(1, SslCipherSuite::All).unwrap(),
        )
        .await;
        send(
            &client,
            &QsslcfgSecLevel::new(1, SslSecLevel::NoAuthentication).unwrap(),
        )
        .await;
        send(
            &client,
            &QsslcfgSslVersion::new(1, SslVersion::Tls10).unwrap(),
        )
        .await;
        // Step 4: login over TLS; the session works (the root's directory).
        open(&client, &server, 1).await;
        let pwd = deferred(&client, &Qftppwd::new().unwrap()).await;
        assert_eq!((pwd.err.code(), pwd.path_name.as_str()), (0, "/"));
    }
}

/// Manual flow: quectel-ec200u FTP_AN "3.3"
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn folder_operation() {
    for options in modes() {
        let server = FtpServer::start(FtpOptions::plain()).await;
        let client = logged_in(&server, options, 0).await;
        let done = deferred(&client, &Qftpcwd::new("/").unwrap()).await;
        assert_eq!((done.err.code(), done.protocol_error.code()), (0, 0));
        let pwd = deferred(&client, &Qftppwd::new().unwrap()).await;
        assert_eq!(pwd.path_name, "/");
        let done = deferred(&client, &Qftpmkdir::new("TEST").unwrap()).await;
        assert_eq!((done.err.code(), done.protocol_error.code()), (0, 0));
        assert!(server.root().join("TEST").is_dir());
        let done = deferred(&client, &Qftprename::new("TEST", "TEST_NEW").unwrap()).await;
        assert_eq!((done.err.code(), done.protocol_error.code()), (0, 0));
        assert!(server.root().join("TEST_NEW").is_dir() && !server.root().join("TEST").exists());
        let done = deferred(&client, &Qftprmdir::new("TEST_NEW").unwrap()).await;
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
        deferred(&client, &Qftpcwd::new("/").unwrap()).await;
        let pwd = deferred(&client, &Qftppwd::new().unwrap()).await;
        assert_eq!(pwd.path_name, "/");
        let size = deferred(&client, &Qftpsize::new("test_my1.txt").unwrap()).await;
        assert_eq!((size.err.code(), size.file_size), (0, 1000));
        let done = deferred(
            &client,
            &Qftprename::new("test_my1.txt", "test_new.txt").unwrap(),
        )
        .await;
        assert_eq!((done.err.code(), done.protocol_error.code()), (0, 0));
        assert_eq!(sha256(&stored(&server, "test_new.txt")), sha256(&data));
        // The server's MDTM time, which the note's example shows for its file.
        let time = deferred(&client, &Qftpmdtm::new("test_new.txt").unwrap()).await;
        assert_eq!(
            (time.err.code(), time.modify_time.as_str()),
            (0, "20140708110039")
        );
        let done = deferred(&client, &Qftpdel::new("test_new.txt").unwrap()).await;
        assert_eq!((done.err.code(), done.protocol_error.code()), (0, 0));
        assert!(!server.root().join("test_new.txt").exists());
        // Asked again, the time of a file that is gone is the server's 550.
        let err = client
            .send_deferred(&Qftpmdtm::new("test_new.txt").unwrap())
            .await
            .unwrap_err();
        ec200u_common::assert_failed(&err, "627");
    }
}

/// A server with files and a folder to list: `test_my1.txt` (1000 bytes), `a.bin`
/// (3 bytes) at the root, `TEST_2/` and `TESTDIR/` holding `inner.txt` (10 bytes).
fn listing_server_files(server: &FtpServer) {
    place(server, "test_my1.txt", &payload(1000, 1));
    place(server, "a.bin", b"abc");
    for dir in ["TEST_2", "TESTDIR"] {
        std::fs::create_dir(server.root().join(dir)).unwrap();
        place(server, &format!("{dir}/inner.txt"), b"0123456789");
    }
}

/// Whether a `LIST` line names `name` with `size` bytes.
fn lists(listing: &str, name: &str, size: u64) -> bool {
    listing.lines().any(|l| {
        let words: Vec<&str> = l.split_whitespace().collect();
        words.last() == Some(&name) && words.contains(&size.to_string().as_str())
    })
}

/// Whether an `MLSD` listing has the RFC 3659 facts of file `name` with `size` bytes and
/// the manual's mtime.
fn mlsd_lists(listing: &str, name: &str, size: u64) -> bool {
    let facts = format!("type=file;size={size};modify=20140708110039;");
    listing
        .lines()
        .any(|l| l.starts_with(&facts) && l.ends_with(&format!("; {name}")))
}

/// Manual flow: quectel-ec200u FTP_AN "3.5"
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_file_information_or_file_names() {
    for options in modes() {
        let server = FtpServer::start(FtpOptions::plain()).await;
        listing_server_files(&server);
        let client = logged_in(&server, options, 0).await;
        deferred(&client, &Qftpcwd::new("/").unwrap()).await;

        let list = listing(&client, &QftplistToPort::new(".").unwrap(), |d| {
            d.transfer_size
        })
        .await;
        assert!(
            lists(&list, "test_my1.txt", 1000) && lists(&list, "a.bin", 3),
            "{list}"
        );
        let done = deferred(&client, &QftplistToFile::new(".", "UFS:list.txt").unwrap()).await;
        let saved = read_file(&client, "UFS:list.txt", 256).await;
        assert_eq!(done.transfer_size as usize, saved.len());
        assert!(lists(
            &String::from_utf8(saved).unwrap(),
            "test_my1.txt",
            1000
        ));
        let inner = listing(&client, &QftplistToPortNamed::new("TEST_2").unwrap(), |d| {
            d.transfer_size
        })
        .await;
        assert!(
            lists(&inner, "inner.txt", 10) && !inner.contains("a.bin"),
            "{inner}"
        );

        let names = listing(&client, &QftpnlstToPort::new(".").unwrap(), |d| {
            d.transfer_size
        })
        .await;
        let mut sorted: Vec<&str> = names.lines().collect();
        sorted.sort_unstable();
        assert_eq!(sorted, ["TESTDIR", "TEST_2", "a.bin", "test_my1.txt"]);
        let done = deferred(&client, &QftpnlstToFile::new(".", "UFS:nlst.txt").unwrap()).await;
        let saved = read_file(&client, "UFS:nlst.txt", 7).await;
        assert_eq!(done.transfer_size as usize, saved.len());
        assert_eq!(sha256(&saved), sha256(names.as_bytes()));
        let inner = listing(&client, &QftpnlstToPortNamed::new("TEST_2").unwrap(), |d| {
            d.transfer_size
        })
        .await;
        assert_eq!(inner.lines().collect::<Vec<_>>(), ["inner.txt"]);

        let facts = listing(&client, &QftpmlsdToPort::new(".").unwrap(), |d| {
            d.transfer_size
        })
        .await;
        assert!(mlsd_lists(&facts, "test_my1.txt", 1000), "{facts}");
        assert!(
            facts
                .lines()
                .any(|l| l.starts_with("type=dir;") && l.ends_with(" TEST_2"))
        );
        // The note saves this one under the name the NLST listing used: it is replaced.
        let done = deferred(&client, &QftpmlsdToFile::new(".", "UFS:nlst.txt").unwrap()).await;
        let saved = read_file(&client, "UFS:nlst.txt", 1000).await;
        assert_eq!(done.transfer_size as usize, saved.len());
        assert!(mlsd_lists(&String::from_utf8(saved).unwrap(), "a.bin", 3));
        let inner = listing(&client, &QftpmlsdToPortNamed::new("TEST_2").unwrap(), |d| {
            d.transfer_size
        })
        .await;
        assert!(
            mlsd_lists(&inner, "inner.txt", 10) && inner.lines().count() == 1,
            "{inner}"
        );
        let saved = file_list(&client, "UFS:*").await;
        assert_eq!(
            saved.iter().map(|(n, _)| n.as_str()).collect::<Vec<_>>(),
            ["UFS:list.txt", "UFS:nlst.txt"]
        );
    }
}

/// The examples of sections 2.11 to 2.13: the current directory through the port, then
/// `TESTDIR` saved as `UFS:test2.txt`, which AT+QFLST shows with the listing's size.
async fn list_section(options: ModemOptions, kind: &str) {
    let server = FtpServer::start(FtpOptions::plain()).await;
    listing_server_files(&server);
    let client = logged_in(&server, options, 0).await;
    let (here, done) = match kind {
        "LIST" => (
            listing(&client, &QftplistToPort::new(".").unwrap(), |d| {
                d.transfer_size
            })
            .await,
            deferred(
                &client,
                &QftplistToFile::new("TESTDIR", "UFS:test2.txt").unwrap(),
            )
            .await
            .transfer_size,
        ),
        "NLST" => (
            listing(&client, &QftpnlstToPort::new(".").unwrap(), |d| {
                d.transfer_size
            })
            .await,
            deferred(
                &client,
                &QftpnlstToFile::new("TESTDIR", "UFS:test2.txt").unwrap(),
            )
            .await
            .transfer_size,
        ),
        _ => (
            listing(&client, &QftpmlsdToPort::new(".").unwrap(), |d| {
                d.transfer_size
            })
            .await,
            deferred(
                &client,
                &QftpmlsdToFile::new("TESTDIR", "UFS:test2.txt").unwrap(),
            )
            .await
            .transfer_size,
        ),
    };
    assert!(
        here.contains("test_my1.txt") && here.contains("TESTDIR"),
        "{here}"
    );
    assert_eq!(
        file_list(&client, "UFS:*").await,
        [("UFS:test2.txt".to_owned(), done)]
    );
    let saved = String::from_utf8(read_file(&client, "UFS:test2.txt", 100).await).unwrap();
    match kind {
        "LIST" => assert!(lists(&saved, "inner.txt", 10), "{saved}"),
        "NLST" => assert_eq!(saved, "inner.txt\r\n"),
        _ => assert!(mlsd_lists(&saved, "inner.txt", 10), "{saved}"),
    }
}

/// Manual flow: quectel-ec200u FTP_AN "2.11"
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_content_of_a_directory() {
    for options in modes() {
        list_section(options, "LIST").await;
    }
}

/// Manual flow: quectel-ec200u FTP_AN "2.12"
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_file_names_of_a_directory() {
    for options in modes() {
        list_section(options, "NLST").await;
    }
}

/// Manual flow: quectel-ec200u FTP_AN "2.13"
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_standardized_file_and_directory_information() {
    for options in modes() {
        list_section(options, "MLSD").await;
    }
}

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
            &QftpputFromPort::new("test.txt", Some(0)).unwrap(),
            &data,
        )
        .await;
        assert_eq!((done.err.code(), done.transferlen), (0, 1000));
        assert_eq!(sha256(&stored(&server, "test.txt")), sha256(&data));
        // Twice 1024 bytes, the second the last part.
        let whole = payload(2048, 26);
        let first = QftpputFromPortSized::new("test.txt", 0, 1024, LastPacket::from_code(0));
        let done = put(&client, &first.unwrap(), &whole[..1024]).await;
        assert_eq!((done.err.code(), done.transferlen), (0, 1024));
        let last = QftpputFromPortSized::new("test.txt", 1024, 1024, LastPacket::from_code(1));
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
        let from = QftpputFromFile::new("test.txt", "UFS:test1.txt", Some(0)).unwrap();
        let done = deferred(&client, &from).await;
        assert_eq!((done.err.code(), done.transferlen), (0, 1000));
        assert_eq!(sha256(&stored(&server, "test.txt")), sha256(&local));
        send(&client, &Qfdel::new("UFS:test1.txt").unwrap()).await;
        assert!(file_list(&client, "UFS:*").await.is_empty());
    }
}

/// Manual flow: quectel-ec200u FTP_AN "3.6"
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn upload_a_file_to_the_server() {
    for options in modes() {
        let server = FtpServer::start(FtpOptions::plain()).await;
        let client = logged_in(&server, options, 0).await;
        deferred(&client, &Qftpcwd::new("/").unwrap()).await;
        let state = deferred(&client, &Qftpstat::new().unwrap()).await;
        assert_eq!((state.err.code(), state.ftpstat.code()), (0, 1));

        // Through the port; then 500 more bytes from start position 1000.
        let head = payload(1000, 36);
        let done = put(
            &client,
            &QftpputFromPort::new("test_my1.txt", Some(0)).unwrap(),
            &head,
        )
        .await;
        assert_eq!((done.err.code(), done.transferlen), (0, 1000));
        assert_eq!(
            deferred(&client, &Qftplen::new().unwrap())
                .await
                .transferlen,
            1000
        );
        assert_eq!(
            deferred(&client, &Qftpsize::new("test_my1.txt").unwrap())
                .await
                .file_size,
            1000
        );
        let tail = payload(500, 37);
        let more = QftpputFromPort::new("test_my1.txt", Some(1000)).unwrap();
        let done = put(&client, &more, &tail).await;
        assert_eq!((done.err.code(), done.transferlen), (0, 500));
        assert_eq!(
            deferred(&client, &Qftpsize::new("test_my1.txt").unwrap())
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
        let first = QftpputFromPortSized::new("test_my1.txt", 0, 1024, LastPacket::from_code(0));
        assert_eq!(
            put(&client, &first.unwrap(), &whole[..1024])
                .await
                .transferlen,
            1024
        );
        let last = QftpputFromPortSized::new("test_my1.txt", 1024, 1024, LastPacket::from_code(1));
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
            let from = QftpputFromFile::new("test_my1.txt", &name, Some(0)).unwrap();
            let done = deferred(&client, &from).await;
            assert_eq!((done.err.code(), done.transferlen), (0, 1000));
            assert_eq!(sha256(&stored(&server, "test_my1.txt")), sha256(&local));
            if storage == "SD" {
                assert_eq!(
                    deferred(&client, &Qftplen::new().unwrap())
                        .await
                        .transferlen,
                    1000
                );
                let size = deferred(&client, &Qftpsize::new("test_my1.txt").unwrap()).await;
                assert_eq!(size.file_size, 1000);
            }
            send(&client, &Qfdel::new(&name).unwrap()).await;
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
        let to_ufs = QftpgetToFile::new("test.txt", "UFS:test2.txt", Some(0)).unwrap();
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
        deferred(&client, &Qftpcwd::new("/").unwrap()).await;

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
                &QftpgetToFile::new("test_my1.txt", &whole, None).unwrap(),
            )
            .await;
            assert_eq!((done.err.code(), done.transferlen), (0, 1000));
            assert_eq!(
                file_list(&client, &format!("{storage}:*")).await,
                [(whole.clone(), 1000)]
            );
            let part = format!("{storage}:test1.txt");
            let from_450 = QftpgetToFile::new("test_my1.txt", &part, Some(450)).unwrap();
            let done = deferred(&client, &from_450).await;
            assert_eq!((done.err.code(), done.transferlen), (0, 550));
            if storage == "SD" {
                assert_eq!(
                    deferred(&client, &Qftplen::new().unwrap())
                        .await
                        .transferlen,
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

/// Manual flow: quectel-ec200u FTP_AN "3.8"
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn log_out_from_the_server() {
    for options in modes() {
        let server = FtpServer::start(FtpOptions::plain()).await;
        let client = logged_in(&server, options, 0).await;
        let done = deferred(&client, &Qftpclose::new().unwrap()).await;
        assert_eq!((done.err.code(), done.protocol_error.code()), (0, 0));
        send(&client, &Qideact::new(1).unwrap()).await;
        // Logged out, the context down: the state is "closed", nothing is active, and a
        // new login fails as section 4.3 describes.
        let state = deferred(&client, &Qftpstat::new().unwrap()).await;
        assert_eq!(state.ftpstat.code(), 4);
        let active = send(&client, &QiactRead::new().unwrap()).await;
        assert!(active.active_context.is_empty());
        let err = client
            .send_deferred(&Qftpopen::new("127.0.0.1", Some(server.port())).unwrap())
            .await
            .unwrap_err();
        ec200u_common::assert_failed(&err, "604");
    }
}
