//! The EC200U FTP(S) note's listing examples in the manual's order (AT+QFTPLIST,
//! AT+QFTPNLST, AT+QFTPMLSD to the serial port and to UFS: sections 2.11-2.13, 3.5). Each
//! runs plain, with 1-byte output chunks, echo on and unrelated URCs injected, and with
//! random output chunks, against the emulated module and a real loopback FTP(S) server:
//! the same commands, local and remote names as the note, asserting what a user would
//! notice (result lines, sizes, the files on the server, the module's files read back).

mod ec200u_common;
mod support;

use atspec_ec200u::ftp::{
    QftpcwdWrite, QftplistToFileWrite, QftplistToPortNamedWrite, QftplistToPortWrite,
    QftpmlsdToFileWrite, QftpmlsdToPortNamedWrite, QftpmlsdToPortWrite, QftpnlstToFileWrite,
    QftpnlstToPortNamedWrite, QftpnlstToPortWrite,
};
use atspec_emulator::backend::ftp::{FtpOptions, FtpServer};
use atspec_emulator::modem::ModemOptions;
use atspec_emulator::payload;
use ec200u_common::{deferred, file_list, listing, logged_in, modes, place, read_file};
use support::sha256;

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
        deferred(&client, &QftpcwdWrite::new("/").unwrap()).await;

        let list = listing(&client, &QftplistToPortWrite::new(".").unwrap(), |d| {
            d.transfer_size
        })
        .await;
        assert!(
            lists(&list, "test_my1.txt", 1000) && lists(&list, "a.bin", 3),
            "{list}"
        );
        let done = deferred(
            &client,
            &QftplistToFileWrite::new(".", "UFS:list.txt").unwrap(),
        )
        .await;
        let saved = read_file(&client, "UFS:list.txt", 256).await;
        assert_eq!(done.transfer_size as usize, saved.len());
        assert!(lists(
            &String::from_utf8(saved).unwrap(),
            "test_my1.txt",
            1000
        ));
        let inner = listing(
            &client,
            &QftplistToPortNamedWrite::new("TEST_2").unwrap(),
            |d| d.transfer_size,
        )
        .await;
        assert!(
            lists(&inner, "inner.txt", 10) && !inner.contains("a.bin"),
            "{inner}"
        );

        let names = listing(&client, &QftpnlstToPortWrite::new(".").unwrap(), |d| {
            d.transfer_size
        })
        .await;
        let mut sorted: Vec<&str> = names.lines().collect();
        sorted.sort_unstable();
        assert_eq!(sorted, ["TESTDIR", "TEST_2", "a.bin", "test_my1.txt"]);
        let done = deferred(
            &client,
            &QftpnlstToFileWrite::new(".", "UFS:nlst.txt").unwrap(),
        )
        .await;
        let saved = read_file(&client, "UFS:nlst.txt", 7).await;
        assert_eq!(done.transfer_size as usize, saved.len());
        assert_eq!(sha256(&saved), sha256(names.as_bytes()));
        let inner = listing(
            &client,
            &QftpnlstToPortNamedWrite::new("TEST_2").unwrap(),
            |d| d.transfer_size,
        )
        .await;
        assert_eq!(inner.lines().collect::<Vec<_>>(), ["inner.txt"]);

        let facts = listing(&client, &QftpmlsdToPortWrite::new(".").unwrap(), |d| {
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
        let done = deferred(
            &client,
            &QftpmlsdToFileWrite::new(".", "UFS:nlst.txt").unwrap(),
        )
        .await;
        let saved = read_file(&client, "UFS:nlst.txt", 1000).await;
        assert_eq!(done.transfer_size as usize, saved.len());
        assert!(mlsd_lists(&String::from_utf8(saved).unwrap(), "a.bin", 3));
        let inner = listing(
            &client,
            &QftpmlsdToPortNamedWrite::new("TEST_2").unwrap(),
            |d| d.transfer_size,
        )
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
            listing(&client, &QftplistToPortWrite::new(".").unwrap(), |d| {
                d.transfer_size
            })
            .await,
            deferred(
                &client,
                &QftplistToFileWrite::new("TESTDIR", "UFS:test2.txt").unwrap(),
            )
            .await
            .transfer_size,
        ),
        "NLST" => (
            listing(&client, &QftpnlstToPortWrite::new(".").unwrap(), |d| {
                d.transfer_size
            })
            .await,
            deferred(
                &client,
                &QftpnlstToFileWrite::new("TESTDIR", "UFS:test2.txt").unwrap(),
            )
            .await
            .transfer_size,
        ),
        _ => (
            listing(&client, &QftpmlsdToPortWrite::new(".").unwrap(), |d| {
                d.transfer_size
            })
            .await,
            deferred(
                &client,
                &QftpmlsdToFileWrite::new("TESTDIR", "UFS:test2.txt").unwrap(),
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
