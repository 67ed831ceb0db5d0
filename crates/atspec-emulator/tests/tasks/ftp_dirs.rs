//! The FTP task's directory operations, one generic function per behaviour, run
//! for every modem with an FTP task: listing (names, kinds and sizes from the
//! server's own listing), making and removing directories, renaming, the login
//! directory, and `Unsupported` where a modem's spec declares no such operation.

use atspec::task::{FTP_LISTING_LIMIT, Ftp, FtpEntry, FtpEntryKind, TaskError, TaskErrorKind};
use atspec_emulator::backend::ftp::FtpServer;

use super::ftp::login;

/// `(name, kind, size)` of each entry, sorted by name; sizes of directories left
/// out (servers give them as they like).
fn summary(entries: &[FtpEntry]) -> Vec<(String, FtpEntryKind, Option<u64>)> {
    let mut out: Vec<_> = entries
        .iter()
        .map(|e| {
            let size = (e.kind == FtpEntryKind::File).then_some(e.size).flatten();
            (e.name.clone(), e.kind, size)
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// The files [`listing`] expects under `/<dir>`: two files (one name with a
/// space) and a directory.
pub fn populate(server: &FtpServer, dir: &str) {
    let root = server.root().join(dir);
    std::fs::create_dir_all(root.join("sub")).unwrap();
    std::fs::write(root.join("a.bin"), b"abc").unwrap();
    std::fs::write(root.join("b c.txt"), vec![7u8; 1024]).unwrap();
}

/// Lists `/<dir>` as [`populate`] left it: every name, its kind and its size.
pub async fn listing<M: Ftp + Sync>(modem: &M, server: &FtpServer, dir: &str) {
    let login = login(server);
    let entries = modem
        .ftp_list(&login, &format!("/{dir}"))
        .await
        .unwrap_or_else(|e| panic!("list /{dir}: {e}"));
    assert_eq!(
        summary(&entries),
        [
            ("a.bin".to_owned(), FtpEntryKind::File, Some(3)),
            ("b c.txt".to_owned(), FtpEntryKind::File, Some(1024)),
            ("sub".to_owned(), FtpEntryKind::Directory, None),
        ],
        "{entries:#?}"
    );
    assert!(entries.iter().all(|e| !e.raw.is_empty()));
}

/// What a modem's spec declares beyond list, mkdir and rmdir (which every modem
/// here has): so that a declaration lost from a spec fails the test.
pub struct Declared {
    /// `rename`.
    pub rename: bool,
    /// `pwd`.
    pub pwd: bool,
}

/// Makes a directory, sees it listed, removes it, sees it gone; renames a file
/// into a subdirectory where the modem renames; the login directory where the
/// modem tells it; each missing operation refused naming the modem and option.
pub async fn directories<M: Ftp + Sync>(modem: &M, server: &FtpServer, declared: Declared) {
    assert!(M::FTP.list && M::FTP.mkdir && M::FTP.rmdir, "{}", M::NAME);
    assert_eq!(
        (M::FTP.rename, M::FTP.pwd),
        (declared.rename, declared.pwd),
        "{}: rename and pwd as its spec declares",
        M::NAME
    );
    let login = login(server);
    populate(server, "work");
    modem
        .ftp_mkdir(&login, "/work/new/")
        .await
        .unwrap_or_else(|e| panic!("mkdir: {e}"));
    assert!(
        server.root().join("work/new").is_dir(),
        "made on the server"
    );
    let listed = modem.ftp_list(&login, "/work").await.unwrap();
    assert!(
        listed
            .iter()
            .any(|e| e.name == "new" && e.kind == FtpEntryKind::Directory),
        "{listed:#?}"
    );
    modem
        .ftp_rmdir(&login, "/work/new")
        .await
        .unwrap_or_else(|e| panic!("rmdir: {e}"));
    assert!(!server.root().join("work/new").exists(), "removed");
    let listed = modem.ftp_list(&login, "/work").await.unwrap();
    assert!(listed.iter().all(|e| e.name != "new"), "{listed:#?}");

    let renamed = modem
        .ftp_rename(&login, "/work/a.bin", "/work/sub/moved.bin")
        .await;
    if M::FTP.rename {
        renamed.unwrap_or_else(|e| panic!("rename: {e}"));
        assert!(!server.root().join("work/a.bin").exists());
        assert_eq!(
            std::fs::read(server.root().join("work/sub/moved.bin")).unwrap(),
            b"abc"
        );
        let listed = modem.ftp_list(&login, "/work/sub").await.unwrap();
        assert_eq!(
            summary(&listed),
            [("moved.bin".to_owned(), FtpEntryKind::File, Some(3))]
        );
    } else {
        unsupported::<M>(renamed.unwrap_err(), "ftp.rename", "renaming");
        assert!(server.root().join("work/a.bin").exists(), "left as it was");
    }

    let pwd = modem.ftp_pwd(&login).await;
    if M::FTP.pwd {
        assert_eq!(pwd.unwrap_or_else(|e| panic!("pwd: {e}")), "/");
    } else {
        unsupported::<M>(pwd.unwrap_err(), "ftp.pwd", "working directory");
    }
}

/// A directory the server does not have: removing it and listing it fail with the
/// modem's code, decoded; the next operation works.
pub async fn missing_directory<M: Ftp + Sync>(modem: &M, server: &FtpServer) {
    let login = login(server);
    let error = modem.ftp_rmdir(&login, "/absent").await.unwrap_err();
    assert_eq!(error.task, "ftp.rmdir", "{error}");
    vendor_failure(&error);
    let error = modem.ftp_list(&login, "/absent").await.unwrap_err();
    assert_eq!(error.task, "ftp.list", "{error}");
    vendor_failure(&error);
    populate(server, "after");
    listing(modem, server, "after").await;
}

/// A listing longer than the runtime keeps is read to its end and refused as too
/// large; the next listing works.
pub async fn listing_over_the_limit<M: Ftp + Sync>(modem: &M, server: &FtpServer) {
    let dir = server.root().join("many");
    std::fs::create_dir_all(&dir).unwrap();
    // About 250 bytes a line: the listing passes the limit by a tenth.
    let name = "n".repeat(200);
    let count = FTP_LISTING_LIMIT * 11 / 10 / 250 + 1;
    for i in 0..count {
        std::fs::write(dir.join(format!("{name}{i:06}")), b"").unwrap();
    }
    let login = login(server);
    let error = match modem.ftp_list(&login, "/many").await {
        Ok(entries) => panic!(
            "{} entries kept: the listing must be refused",
            entries.len()
        ),
        Err(e) => e,
    };
    match error.kind {
        TaskErrorKind::TooLarge { what, size, limit } => {
            assert_eq!((what, limit), ("listing", FTP_LISTING_LIMIT));
            assert!(size > limit, "{error}");
        }
        _ => panic!("a listing over the limit: {error}"),
    }
    populate(server, "small");
    listing(modem, server, "small").await;
}

fn vendor_failure(error: &TaskError) {
    let (code, meaning) = error
        .vendor_code()
        .unwrap_or_else(|| panic!("the modem's code travels: {error}"));
    assert!(meaning.is_some(), "the code {code} is decoded: {error}");
}

fn unsupported<M: Ftp>(error: TaskError, task: &str, option: &str) {
    assert_eq!(error.task, task, "{error}");
    assert!(
        matches!(&error.kind, TaskErrorKind::Unsupported { option: o } if o.contains(option)),
        "{error}"
    );
    assert!(
        error.to_string().contains(M::NAME),
        "names the modem: {error}"
    );
}
