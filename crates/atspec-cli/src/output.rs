//! Where a download goes: stdout, or the `-o` file (created, or appended to when
//! a transfer resumes).

use std::path::Path;

use tokio::io::AsyncWrite;

use crate::exit::Failure;

/// A download's destination.
pub type Sink = Box<dyn AsyncWrite + Unpin + Send>;

/// Stdout without `path`; else the file, truncated, or with `append` kept and
/// written after its end.
pub async fn open(path: Option<&Path>, append: bool) -> Result<Sink, Failure> {
    let Some(path) = path else {
        return Ok(Box::new(tokio::io::stdout()));
    };
    let mut options = tokio::fs::OpenOptions::new();
    if append {
        options.append(true).create(true);
    } else {
        options.write(true).create(true).truncate(true);
    }
    let file = options
        .open(path)
        .await
        .map_err(|e| Failure::local_file("write", path, &e))?;
    Ok(Box::new(file))
}

/// The length of the file at `path`; 0 when there is none (nothing to resume).
pub async fn existing_len(path: &Path) -> Result<u64, Failure> {
    match tokio::fs::metadata(path).await {
        Ok(meta) => Ok(meta.len()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(0),
        Err(e) => Err(Failure::local_file("read", path, &e)),
    }
}

/// Flushes `sink` (the last bytes of a file or of stdout).
pub async fn finish(sink: &mut Sink, path: Option<&Path>) -> Result<(), Failure> {
    use tokio::io::AsyncWriteExt;
    sink.flush().await.map_err(|e| match path {
        Some(path) => Failure::local_file("write", path, &e),
        None => Failure::new(
            crate::exit::Kind::LocalFile,
            format!("cannot write stdout: {e}"),
        ),
    })
}
