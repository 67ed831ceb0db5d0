//! `atspec ftp`: file operations through the modem's own FTP client.

use std::io::SeekFrom;
use std::path::Path;

use atspec::dynamic::{DynFtp, DynSink, DynSource};
use atspec::task::{FtpEntry, FtpEntryKind, FtpServer, Transfer};
use serde_json::json;
use tokio::io::AsyncSeekExt;

use crate::args::{FtpArgs, FtpOp};
use crate::connect::{self, EmulatorSetup};
use crate::exit::{Failure, Kind};
use crate::ftp_url::FtpUrl;
use crate::progress::Bars;
use crate::{data_arg, link, output};

/// Runs the operation `args` describe.
pub async fn run(args: FtpArgs) -> Result<(), Failure> {
    let url = FtpUrl::parse(url_of(&args.op))?;
    url.security(args.implicit)?;
    if url.is_emulator() && args.connection.emulate.is_none() {
        // The same refusal the server lookup gives, before the modem is woken.
        url.server(args.implicit, args.active, None)?;
    }
    let to = match &args.op {
        FtpOp::Mv { to, .. } => Some(target_path(to)?),
        _ => None,
    };
    // A local file that cannot be read is said before the modem is woken.
    let upload = match &args.op {
        FtpOp::Put { file, .. } => Some((data_arg::open_file(file).await?, file.clone())),
        _ => None,
    };
    let setup = EmulatorSetup {
        ftp_tls: url.emulator_tls(args.implicit),
    };
    let session = connect::open(&args.connection, setup).await?;
    let ftp = session
        .modem
        .ftp()
        .ok_or_else(|| Failure::lacks_task(session.modem.name(), "FTP"))?;
    let server = url.server(args.implicit, args.active, session.emulator.as_ref())?;
    link::bring_up(&session, &args.link).await?;
    let bars = Bars::new(args.connection.verbose);
    let path = url.path.as_str();
    match &args.op {
        FtpOp::Ls { .. } => {
            let entries = ftp.list(&server, path).await?;
            print!("{}", listing(&entries, args.json));
        }
        FtpOp::Get { output, resume, .. } => {
            get(ftp, &server, path, output.as_deref(), *resume, &bars).await?;
        }
        FtpOp::Put { resume, .. } => {
            let (data, file) = upload.expect("a put opened its file above");
            put(ftp, &server, path, data, &file, *resume, &bars).await?;
        }
        FtpOp::Rm { .. } => ftp.delete(&server, path).await?,
        FtpOp::Mkdir { .. } => ftp.mkdir(&server, path).await?,
        FtpOp::Rmdir { .. } => ftp.rmdir(&server, path).await?,
        FtpOp::Size { .. } => {
            let size = ftp.size(&server, path).await?;
            match args.json {
                true => println!("{}", json!({ "path": path, "size": size })),
                false => println!("{size}"),
            }
        }
        FtpOp::Mv { .. } => {
            let to = to.expect("a move read its target above");
            ftp.rename(&server, path, &to).await?;
        }
    }
    Ok(())
}

fn url_of(op: &FtpOp) -> &str {
    match op {
        FtpOp::Ls { url }
        | FtpOp::Get { url, .. }
        | FtpOp::Put { url, .. }
        | FtpOp::Rm { url }
        | FtpOp::Mkdir { url }
        | FtpOp::Rmdir { url }
        | FtpOp::Size { url }
        | FtpOp::Mv { url, .. } => url,
    }
}

/// The target of a move: a path on the same server, or a URL whose path is taken.
fn target_path(to: &str) -> Result<String, Failure> {
    if to.contains("://") {
        return Ok(FtpUrl::parse(to)?.path);
    }
    crate::ftp_url::percent_decode(to)
        .map_err(|why| Failure::usage(format!("the target path `{to}` {why}")))
}

async fn get(
    ftp: &dyn DynFtp,
    server: &FtpServer,
    path: &str,
    output: Option<&Path>,
    resume: bool,
    bars: &Bars,
) -> Result<(), Failure> {
    let offset = match (output, resume) {
        (Some(file), true) => output::existing_len(file).await?,
        _ => 0,
    };
    let mut sink = output::open(output, resume).await?;
    let bar = bars.bar("received");
    bar.start_at(offset);
    let mut transfer = Transfer::new().on_progress(bar.callback(offset));
    if offset > 0 {
        transfer = transfer.from_offset(offset);
    }
    let written = {
        let sink_ref: &mut DynSink<'_> = &mut sink;
        ftp.get(server, path, sink_ref, transfer).await?
    };
    output::finish(&mut sink, output).await?;
    bar.finish(written);
    Ok(())
}

async fn put(
    ftp: &dyn DynFtp,
    server: &FtpServer,
    path: &str,
    data: data_arg::Data,
    file: &Path,
    resume: bool,
    bars: &Bars,
) -> Result<(), Failure> {
    let offset = if resume {
        ftp.size(server, path).await?
    } else {
        0
    };
    if offset > data.len {
        return Err(Failure::new(
            Kind::Usage,
            format!(
                "cannot resume: the server's {path} has {offset} bytes, more than the {} of {}",
                data.len,
                file.display()
            ),
        ));
    }
    let mut source = data.reader;
    if offset > 0 {
        // Only a file is resumed, and a file seeks.
        let mut local = tokio::fs::File::open(file)
            .await
            .map_err(|e| Failure::local_file("read", file, &e))?;
        local
            .seek(SeekFrom::Start(offset))
            .await
            .map_err(|e| Failure::local_file("read", file, &e))?;
        source = Box::new(local);
    }
    let bar = bars.bar("sent");
    bar.start_at(offset);
    let mut transfer = Transfer::new().on_progress(bar.callback(offset));
    if offset > 0 {
        transfer = transfer.from_offset(offset);
    }
    let sent = {
        let source_ref: &mut DynSource<'_> = &mut source;
        ftp.put(server, path, source_ref, data.len - offset, transfer)
            .await?
    };
    bar.finish(sent);
    Ok(())
}

/// The entries, one a line: kind, size and name; or one JSON object a line.
fn listing(entries: &[FtpEntry], json: bool) -> String {
    let mut text = String::new();
    for entry in entries {
        let line = if json {
            json!({
                "name": entry.name,
                "kind": kind_name(entry.kind),
                "size": entry.size,
                "raw": entry.raw,
            })
            .to_string()
        } else {
            let size = entry.size.map_or("-".to_owned(), |s| s.to_string());
            format!("{:<9} {size:>12}  {}", kind_name(entry.kind), entry.name)
        };
        text.push_str(&line);
        text.push('\n');
    }
    text
}

fn kind_name(kind: FtpEntryKind) -> &'static str {
    match kind {
        FtpEntryKind::File => "file",
        FtpEntryKind::Directory => "directory",
        FtpEntryKind::Link => "link",
        FtpEntryKind::Other => "other",
        FtpEntryKind::Unknown => "unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listing_prints_kind_size_and_name_or_json() {
        let entries = FtpEntry::parse_listing(
            b"-rw-r--r-- 1 u g 1024 Jan 01 00:00 a b.bin\r\ndrwxr-xr-x 2 u g 0 Jan 01 00:00 pub\r\n",
        );
        let text = listing(&entries, false);
        assert_eq!(
            text,
            "file              1024  a b.bin\ndirectory            0  pub\n"
        );
        let json = listing(&entries, true);
        let first: serde_json::Value = serde_json::from_str(json.lines().next().unwrap()).unwrap();
        assert_eq!(first["name"], "a b.bin");
        assert_eq!(first["kind"], "file");
        assert_eq!(first["size"], 1024);
    }

    #[test]
    fn a_move_target_is_a_path_or_a_url() {
        assert_eq!(target_path("/new%20name").unwrap(), "/new name");
        assert_eq!(target_path("ftp://h/x/y").unwrap(), "/x/y");
    }
}
