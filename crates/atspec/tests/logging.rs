//! Logging: every line at debug level, secrets redacted, payloads as sizes.

use std::io::Write;
use std::sync::{Arc, Mutex};

use atspec::{Client, Config};
use atspec_sim800::bearer::SapbrSetPwdWrite;
use atspec_sim800::http::HttpreadExec;
use atspec_sim800::{DIALECT, Urc};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Debug logging into a buffer for the rest of the scope.
fn capture() -> (Captured, tracing::subscriber::DefaultGuard) {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::DEBUG)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    (captured, tracing::subscriber::set_default(subscriber))
}

impl Captured {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().unwrap_or_else(|p| p.into_inner()).clone()).unwrap()
    }
}

#[tokio::test]
async fn lines_are_logged_with_secrets_redacted_and_payloads_as_sizes() {
    let (captured, _default) = capture();

    let (host, mut modem) = tokio::io::duplex(4096);
    let modem_task = tokio::spawn(async move {
        let mut line = vec![0u8; b"AT+SAPBR=3,1,\"PWD\",\"hunter2\"\r".len()];
        modem.read_exact(&mut line).await.unwrap();
        modem.write_all(b"\r\nOK\r\n").await.unwrap();
        let mut line = vec![0u8; b"AT+HTTPREAD\r".len()];
        modem.read_exact(&mut line).await.unwrap();
        modem
            .write_all(b"\r\n+HTTPREAD: 14\r\nsecret-payload\r\nOK\r\n")
            .await
            .unwrap();
        modem
    });
    let client: Client<Urc> = Client::new(host, &DIALECT, Config::default());
    client
        .send(&SapbrSetPwdWrite::new(1, "hunter2").unwrap())
        .await
        .unwrap();
    let mut body = Vec::new();
    client
        .send_download(&HttpreadExec::new(), &mut body)
        .await
        .unwrap();
    let _modem = modem_task.await.unwrap();

    let log = captured.text();
    assert!(
        log.contains("AT+SAPBR=3,1,\\\"PWD\\\",\\\"***\\\"")
            || log.contains("AT+SAPBR=3,1,\"PWD\",\"***\""),
        "{log}"
    );
    assert!(
        !log.contains("hunter2"),
        "the password leaked into the log:\n{log}"
    );
    assert!(
        log.contains("+HTTPREAD: 14"),
        "received lines are logged:\n{log}"
    );
    assert!(
        !log.contains("secret-payload"),
        "payload bytes leaked into the log:\n{log}"
    );
    assert!(log.contains("bytes=14"), "payload sizes are logged:\n{log}");
}

#[tokio::test]
async fn an_echoed_secret_is_logged_as_it_was_sent() {
    let (captured, _default) = capture();
    let (host, mut modem) = tokio::io::duplex(4096);
    let modem_task = tokio::spawn(async move {
        let sent = b"AT+SAPBR=3,1,\"PWD\",\"hunter2\"\r";
        let mut line = vec![0u8; sent.len()];
        modem.read_exact(&mut line).await.unwrap();
        // Echo on: the line comes back, password and all, before the answer.
        modem.write_all(&line).await.unwrap();
        modem.write_all(b"\r\nOK\r\n").await.unwrap();
        modem
    });
    let client: Client<Urc> = Client::new(host, &DIALECT, Config::default());
    client
        .send(&SapbrSetPwdWrite::new(1, "hunter2").unwrap())
        .await
        .unwrap();
    let _modem = modem_task.await.unwrap();
    let log = captured.text();
    assert!(
        !log.contains("hunter2"),
        "the echoed password leaked into the log:\n{log}"
    );
    assert_eq!(
        log.matches("PWD").count(),
        2,
        "the line is logged as sent and as echoed:\n{log}"
    );
}

#[tokio::test]
async fn a_secret_read_back_in_a_response_is_hidden() {
    use atspec_ec200u::ftp::QftpcfgAccountQueryWrite;
    let (captured, _default) = capture();
    let (host, mut modem) = tokio::io::duplex(4096);
    let modem_task = tokio::spawn(async move {
        let mut line = vec![0u8; b"AT+QFTPCFG=\"account\"\r".len()];
        modem.read_exact(&mut line).await.unwrap();
        modem
            .write_all(b"\r\n+QFTPCFG: \"account\",\"alice\",\"hunter2\"\r\n\r\nOK\r\n")
            .await
            .unwrap();
        modem
    });
    let client: Client<atspec_ec200u::Urc> =
        Client::new(host, &atspec_ec200u::DIALECT, Config::default());
    let account = client.send(&QftpcfgAccountQueryWrite::new()).await.unwrap();
    let _modem = modem_task.await.unwrap();
    // The caller gets the value; the log does not.
    assert_eq!(account.password, "hunter2");
    let log = captured.text();
    assert!(!log.contains("hunter2"), "the password leaked:\n{log}");
    assert!(
        log.contains("alice"),
        "the rest of the line is logged:\n{log}"
    );
}
