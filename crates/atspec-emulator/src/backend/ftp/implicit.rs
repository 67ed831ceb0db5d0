//! Implicit FTPS in front of libunftp, which only speaks explicit FTPS.
//!
//! The front port accepts TLS right away (implicit FTPS), then relays the decrypted control
//! connection to libunftp over a connection that this relay secured itself with
//! `AUTH TLS`, `PBSZ 0` and `PROT P`. libunftp therefore sees an explicit FTPS session whose
//! data channel is already protected: the client's data connections go straight to
//! libunftp's passive ports and speak TLS from their first byte, as implicit FTPS clients
//! expect (a client may still send `PROT C` to get clear data connections).

use std::io;
use std::net::SocketAddr;

use rustls::pki_types::ServerName;
use tokio::io::{AsyncRead, AsyncReadExt as _, AsyncWrite, AsyncWriteExt as _};
use tokio::net::TcpStream;
use tokio_rustls::{TlsAcceptor, TlsConnector};

/// Longest reply line the relay reads from libunftp during its own handshake.
const MAX_REPLY: usize = 4096;

/// Serves one implicit-FTPS client connection until either side closes.
pub(crate) async fn relay(
    client: TcpStream,
    upstream: SocketAddr,
    acceptor: TlsAcceptor,
    connector: TlsConnector,
) -> io::Result<()> {
    let mut client = acceptor.accept(client).await?;
    let mut plain = TcpStream::connect(upstream).await?;
    plain.set_nodelay(true)?;
    let greeting = read_reply(&mut plain, "220").await?;
    command(&mut plain, "AUTH TLS", "234").await?;
    let name = ServerName::try_from("localhost").expect("a valid DNS name");
    let mut secure = connector.connect(name, plain).await?;
    command(&mut secure, "PBSZ 0", "200").await?;
    command(&mut secure, "PROT P", "200").await?;
    client.write_all(&greeting).await?;
    client.flush().await?;
    tokio::io::copy_bidirectional(&mut client, &mut secure).await?;
    Ok(())
}

/// Sends `line` and expects a reply with `code`.
async fn command<S: AsyncRead + AsyncWrite + Unpin>(
    stream: &mut S,
    line: &str,
    code: &str,
) -> io::Result<()> {
    stream.write_all(format!("{line}\r\n").as_bytes()).await?;
    stream.flush().await?;
    read_reply(stream, code).await.map(drop)
}

/// Reads one (possibly multi-line) reply byte by byte, so nothing past it is consumed,
/// and checks its code.
async fn read_reply<S: AsyncRead + Unpin>(stream: &mut S, code: &str) -> io::Result<Vec<u8>> {
    let mut reply = Vec::new();
    let mut line_start = 0;
    loop {
        let byte = stream.read_u8().await?;
        reply.push(byte);
        if reply.len() > MAX_REPLY {
            return Err(io::Error::other("FTP reply too long"));
        }
        if byte != b'\n' {
            continue;
        }
        let line = &reply[line_start..];
        if line.len() >= 4 && line[..3].iter().all(u8::is_ascii_digit) && line[3] == b' ' {
            return if line.starts_with(code.as_bytes()) {
                Ok(reply)
            } else {
                Err(io::Error::other(format!(
                    "libunftp answered {:?}, expected {code}",
                    String::from_utf8_lossy(line).trim_end()
                )))
            };
        }
        line_start = reply.len();
    }
}
