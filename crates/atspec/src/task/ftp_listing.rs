//! Directory listings as FTP servers write them: Unix `ls -l` lines (`LIST`),
//! RFC 3659 facts (`MLSD`), DOS-style lines, or bare names (`NLST`). The format is
//! the server's, not the modem's, so one parser serves every modem. A listing is
//! kept in memory up to [`FTP_LISTING_LIMIT`] bytes and no further.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::AsyncWrite;

/// The most listing bytes a [`Ftp::ftp_list`](super::Ftp::ftp_list) keeps: 1 MiB,
/// some ten thousand `ls -l` lines. A longer listing is read to its end (so the
/// modem's session ends as its procedure says) and then refused with
/// [`TaskErrorKind::TooLarge`](super::TaskErrorKind::TooLarge).
pub const FTP_LISTING_LIMIT: u64 = 1 << 20;

/// What a listed name is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FtpEntryKind {
    /// A regular file.
    File,
    /// A directory.
    Directory,
    /// A symbolic link.
    Link,
    /// Something else the server names (a device, a socket, an MLSD `OS.*` type).
    Other,
    /// The line gave no type: a bare name, or a format the parser does not know.
    Unknown,
}

/// One entry of a directory listing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FtpEntry {
    /// The entry's name (for a link, without its ` -> target`); for a line the
    /// parser does not know, the whole line.
    pub name: String,
    /// What it is.
    pub kind: FtpEntryKind,
    /// Its size in bytes, when the line gives one.
    pub size: Option<u64>,
    /// The line as the server sent it, without its line break.
    pub raw: String,
}

impl FtpEntry {
    /// The entry of one listing line; `None` for a line that names nothing: blank,
    /// a `total <n>` summary, or the directory itself and its parent (`.`, `..`,
    /// MLSD `cdir` / `pdir`). Never fails: a line in no known format is an entry of
    /// [`FtpEntryKind::Unknown`] named by the whole line.
    pub fn parse(line: &str) -> Option<Self> {
        let raw = line.trim_end_matches(['\r', '\n']);
        let text = raw.trim();
        if text.is_empty() || is_total(text) {
            return None;
        }
        let (name, kind, size) = mlsd(text)
            .or_else(|| unix(text))
            .or_else(|| dos(text))
            .unwrap_or_else(|| (text.to_owned(), FtpEntryKind::Unknown, None));
        if name.is_empty() || name == "." || name == ".." {
            return None;
        }
        Some(Self {
            name,
            kind,
            size,
            raw: raw.to_owned(),
        })
    }

    /// The entries of a whole listing, lines ended by CR LF or LF; bytes that are
    /// not UTF-8 are replaced, so a name in another encoding still shows.
    pub fn parse_listing(listing: &[u8]) -> Vec<Self> {
        String::from_utf8_lossy(listing)
            .split('\n')
            .filter_map(Self::parse)
            .collect()
    }
}

type Parsed = (String, FtpEntryKind, Option<u64>);

/// `total 12`, the summary `ls -l` starts with.
fn is_total(text: &str) -> bool {
    let mut words = text.split_whitespace();
    words.next() == Some("total")
        && words.next().is_some_and(|n| n.parse::<u64>().is_ok())
        && words.next().is_none()
}

/// `type=file;size=1024;modify=20240101120000; name.bin` (RFC 3659 section 7):
/// facts, each ended by `;`, one space, the name.
fn mlsd(text: &str) -> Option<Parsed> {
    let (facts, name) = text.split_once("; ")?;
    if facts.contains(' ') || !facts.contains('=') {
        return None;
    }
    let mut kind = FtpEntryKind::Unknown;
    let mut size = None;
    for fact in facts.split(';') {
        let (key, value) = fact.split_once('=')?;
        match key.to_ascii_lowercase().as_str() {
            "type" => {
                kind = match value.to_ascii_lowercase().as_str() {
                    "file" => FtpEntryKind::File,
                    "dir" => FtpEntryKind::Directory,
                    // The listed directory itself and its parent name nothing new.
                    "cdir" | "pdir" => return Some((String::new(), kind, None)),
                    "os.unix=slink" | "os.unix=symlink" => FtpEntryKind::Link,
                    _ if value.to_ascii_lowercase().starts_with("os.unix=slink") => {
                        FtpEntryKind::Link
                    }
                    _ => FtpEntryKind::Other,
                }
            }
            "size" => size = value.parse().ok(),
            _ => {}
        }
    }
    Some((name.to_owned(), kind, size))
}

/// `drwxr-xr-x 2 owner group 4096 Jan 01 12:00 name` and its variants (no group,
/// a year for the time): the type letter and mode, then fields up to a month name;
/// the field before it is the size, the name follows the three date fields.
fn unix(text: &str) -> Option<Parsed> {
    let mode = text.split_whitespace().next()?;
    let kind = match mode.as_bytes() {
        [t, rest @ ..] if rest.len() >= 9 && rest[..9].iter().all(|c| b"rwxsStTl-".contains(c)) => {
            match t {
                b'-' => FtpEntryKind::File,
                b'd' => FtpEntryKind::Directory,
                b'l' => FtpEntryKind::Link,
                b'b' | b'c' | b'p' | b's' => FtpEntryKind::Other,
                _ => return None,
            }
        }
        _ => return None,
    };
    let fields = words(text);
    let month = fields.iter().skip(2).position(|(w, _)| is_month(w))? + 2;
    let size = fields[month - 1].0.parse::<u64>().ok()?;
    // Month, day, time or year; the name is the rest of the line as written.
    let (_, name_at) = *fields.get(month + 3)?;
    let name = &text[name_at..];
    let name = match kind {
        FtpEntryKind::Link => name.split_once(" -> ").map_or(name, |(n, _)| n),
        _ => name,
    };
    Some((name.to_owned(), kind, Some(size)))
}

/// `01-31-24  10:00AM  <DIR>  name` or `01-31-24  10:00AM  1024  name` (IIS).
fn dos(text: &str) -> Option<Parsed> {
    let fields = words(text);
    let [(date, _), (time, _), (third, _), (_, name_at), ..] = fields[..] else {
        return None;
    };
    let date_like = date.len() >= 8
        && date.split('-').count() == 3
        && date
            .split('-')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    let time_like = time.contains(':') && (time.ends_with("AM") || time.ends_with("PM"));
    if !date_like || !time_like {
        return None;
    }
    let (kind, size) = if third.eq_ignore_ascii_case("<DIR>") {
        (FtpEntryKind::Directory, None)
    } else {
        (FtpEntryKind::File, Some(third.parse::<u64>().ok()?))
    };
    Some((text[name_at..].to_owned(), kind, size))
}

/// The whitespace-separated words of `text` with where each starts.
fn words(text: &str) -> Vec<(&str, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c.is_whitespace(), start) {
            (true, Some(s)) => {
                out.push((&text[s..i], s));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((&text[s..], s));
    }
    out
}

fn is_month(word: &str) -> bool {
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    word.len() == 3 && MONTHS.contains(&word.to_ascii_lowercase().as_str())
}

/// The sink a listing downloads into: keeps the first [`FTP_LISTING_LIMIT`] bytes
/// and counts the rest without keeping them, so that a long listing is read to
/// its end in bounded memory and then refused.
#[derive(Debug, Default)]
pub struct ListingBuffer {
    kept: Vec<u8>,
    seen: u64,
}

impl ListingBuffer {
    /// An empty buffer.
    pub fn new() -> Self {
        Self::default()
    }

    /// Every byte written, kept or not.
    pub fn seen(&self) -> u64 {
        self.seen
    }

    /// The entries, or the size of a listing over the limit.
    pub fn entries(&self) -> Result<Vec<FtpEntry>, u64> {
        if self.seen > FTP_LISTING_LIMIT {
            return Err(self.seen);
        }
        Ok(FtpEntry::parse_listing(&self.kept))
    }
}

impl AsyncWrite for ListingBuffer {
    fn poll_write(
        self: Pin<&mut Self>,
        _: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        let room = usize::try_from(FTP_LISTING_LIMIT.saturating_sub(this.kept.len() as u64))
            .unwrap_or(usize::MAX);
        this.kept.extend_from_slice(&buf[..buf.len().min(room)]);
        this.seen = this.seen.saturating_add(buf.len() as u64);
        Poll::Ready(Ok(buf.len()))
    }

    fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }

    fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
        Poll::Ready(Ok(()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncWriteExt;

    fn one(line: &str) -> FtpEntry {
        FtpEntry::parse(line).unwrap_or_else(|| panic!("an entry in {line:?}"))
    }

    #[test]
    fn unix_lines_give_kind_size_and_the_whole_name() {
        let e = one("-rw-r--r--    1 user group     1024 Oct 12 14:58 a file.bin\r");
        assert_eq!(
            (e.name.as_str(), e.kind, e.size),
            ("a file.bin", FtpEntryKind::File, Some(1024))
        );
        assert_eq!(
            e.raw,
            "-rw-r--r--    1 user group     1024 Oct 12 14:58 a file.bin"
        );
        let e = one("drwxr-xr-x 2 0 0 4096 Jan  1  2023 sub");
        assert_eq!((e.name.as_str(), e.kind), ("sub", FtpEntryKind::Directory));
        let e = one("lrwxrwxrwx 1 owner 7 Mar 3 09:00 latest -> v2/data.bin");
        assert_eq!(
            (e.name.as_str(), e.kind, e.size),
            ("latest", FtpEntryKind::Link, Some(7))
        );
        // No group column.
        let e = one("-rw-------   1 ftp   5 Dec 31 23:59 x");
        assert_eq!((e.name.as_str(), e.size), ("x", Some(5)));
    }

    #[test]
    fn mlsd_facts_give_kind_and_size() {
        let e = one("type=file;size=1024;modify=20240101120000; t1024.bin");
        assert_eq!(
            (e.name.as_str(), e.kind, e.size),
            ("t1024.bin", FtpEntryKind::File, Some(1024))
        );
        let e = one("Type=dir;Modify=20240101120000;Perm=el; my dir");
        assert_eq!(
            (e.name.as_str(), e.kind, e.size),
            ("my dir", FtpEntryKind::Directory, None)
        );
        let e = one("type=OS.unix=slink:/x;size=3; l");
        assert_eq!(e.kind, FtpEntryKind::Link);
        assert_eq!(
            FtpEntry::parse("type=cdir;modify=20240101120000; /pub"),
            None
        );
        assert_eq!(FtpEntry::parse("type=pdir; .."), None);
    }

    #[test]
    fn dos_lines_are_read() {
        let e = one("01-31-24  10:00AM       <DIR>          logs");
        assert_eq!(
            (e.name.as_str(), e.kind, e.size),
            ("logs", FtpEntryKind::Directory, None)
        );
        let e = one("01-31-24  10:00PM                 2048 a b.txt");
        assert_eq!(
            (e.name.as_str(), e.kind, e.size),
            ("a b.txt", FtpEntryKind::File, Some(2048))
        );
    }

    #[test]
    fn summaries_and_self_references_name_nothing() {
        for line in [
            "",
            "  \r",
            "total 0",
            "drwxr-xr-x 2 u g 0 Oct 12 14:58 .",
            "drwxr-xr-x 2 u g 0 Oct 12 14:58 ..",
        ] {
            assert_eq!(FtpEntry::parse(line), None, "{line:?}");
        }
    }

    #[test]
    fn malformed_lines_keep_their_text_and_never_panic() {
        for line in [
            "just-a-name.bin",
            "drwxr-xr-x",
            "-rw-r--r-- 1 u g notasize Oct 12 14:58 x",
            "-rw-r--r-- 1 u g 10 Oct",
            "type=file;size=x",
            "=;; ",
            "01-31-24 10:00AM",
            "01-31-24 10:00AM huge name",
            "ü-rw-r--r-- 1 u g 10 Oct 12 14:58 x",
            "total many",
            "-rwxrwxrwx\u{0} 1",
        ] {
            let e = one(line);
            assert_eq!(e.kind, FtpEntryKind::Unknown, "{line:?}");
            assert_eq!((e.name.as_str(), e.size), (line.trim(), None), "{line:?}");
            assert_eq!(e.raw, line);
        }
    }

    #[test]
    fn listings_split_on_either_line_end_and_survive_bad_bytes() {
        let listing = b"total 2\r\n-rw-r--r-- 1 u g 3 Oct 12 14:58 a\r\nb\n\xff\xfe.bin\r\n";
        let names: Vec<String> = FtpEntry::parse_listing(listing)
            .into_iter()
            .map(|e| e.name)
            .collect();
        assert_eq!(names, ["a", "b", "\u{fffd}\u{fffd}.bin"]);
    }

    #[tokio::test]
    async fn the_buffer_keeps_at_most_the_limit_and_counts_the_rest() {
        let mut buffer = ListingBuffer::new();
        buffer
            .write_all(b"-rw-r--r-- 1 u g 3 Oct 12 14:58 a\r\n")
            .await
            .unwrap();
        assert_eq!(buffer.entries().unwrap().len(), 1);
        let piece = vec![b'x'; 64 * 1024];
        for _ in 0..20 {
            buffer.write_all(&piece).await.unwrap();
        }
        assert!(buffer.kept.len() as u64 <= FTP_LISTING_LIMIT);
        assert_eq!(buffer.seen(), 35 + 20 * 64 * 1024);
        assert_eq!(buffer.entries(), Err(35 + 20 * 64 * 1024));
    }
}
