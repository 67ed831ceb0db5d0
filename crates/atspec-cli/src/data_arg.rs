//! `-d TEXT` and `-d @FILE`: data given on the command line or read from a file,
//! streamed rather than loaded.

use std::path::Path;

use tokio::io::AsyncRead;

use crate::exit::Failure;

/// Data to send, and its length.
pub struct Data {
    /// The bytes, read as they are sent.
    pub reader: Box<dyn AsyncRead + Unpin + Send>,
    /// How many there are.
    pub len: u64,
}

impl std::fmt::Debug for Data {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Data")
            .field("len", &self.len)
            .finish_non_exhaustive()
    }
}

/// The data `arg` names: `@FILE` is the file's contents, anything else the text
/// itself.
pub async fn open(arg: &str) -> Result<Data, Failure> {
    match arg.strip_prefix('@') {
        Some(path) => open_file(Path::new(path)).await,
        None => {
            let bytes = arg.as_bytes().to_vec();
            Ok(Data {
                len: bytes.len() as u64,
                reader: Box::new(std::io::Cursor::new(bytes)),
            })
        }
    }
}

/// The contents of the file at `path`.
pub async fn open_file(path: &Path) -> Result<Data, Failure> {
    let file = tokio::fs::File::open(path)
        .await
        .map_err(|e| Failure::local_file("read", path, &e))?;
    let len = file
        .metadata()
        .await
        .map_err(|e| Failure::local_file("read", path, &e))?
        .len();
    Ok(Data {
        reader: Box::new(file),
        len,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use tokio::io::AsyncReadExt;

    #[tokio::test]
    async fn text_is_itself_and_at_names_a_file() {
        let mut text = open("a=1&b=2").await.unwrap();
        let mut read = String::new();
        text.reader.read_to_string(&mut read).await.unwrap();
        assert_eq!((read.as_str(), text.len), ("a=1&b=2", 7));

        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("body.bin");
        std::fs::write(&path, [0u8, 1, 2, 255]).unwrap();
        let mut file = open(&format!("@{}", path.display())).await.unwrap();
        let mut bytes = Vec::new();
        file.reader.read_to_end(&mut bytes).await.unwrap();
        assert_eq!((bytes, file.len), (vec![0, 1, 2, 255], 4));

        let missing = open("@/no/such/file").await.unwrap_err();
        assert_eq!(missing.kind, crate::exit::Kind::LocalFile);
        assert!(missing.message.contains("/no/such/file"), "{missing}");
    }
}
