//! Command lines read as modules read them, driven byte for byte by a host that is not
//! atspec's client (the way terminals and third-party libraries drive a module): CR LF
//! and bare-LF line ends, the LF of CR LF before an upload, echo as bytes arrive,
//! backspace, and the manual's command-line length limit.

use std::time::Duration;

use atspec_emulator::backend::http::HttpServer;
use atspec_emulator::modem::{self, Behaviour, ModemOptions};
use atspec_emulator::modems::esp_at::EspAt;
use atspec_emulator::modems::sim800::Sim800;
use tokio::io::{AsyncReadExt, AsyncWriteExt, DuplexStream};

/// A host typing at a module and reading what comes back.
struct Host {
    line: DuplexStream,
    seen: Vec<u8>,
}

impl Host {
    fn attach(module: impl Behaviour, options: ModemOptions) -> Self {
        let (line, modem_side) = tokio::io::duplex(1 << 16);
        modem::spawn(module, modem_side, options);
        Self {
            line,
            seen: Vec::new(),
        }
    }

    async fn send(&mut self, bytes: impl AsRef<[u8]>) {
        self.line.write_all(bytes.as_ref()).await.unwrap();
    }

    /// Everything the module wrote up to and including `pattern`.
    async fn expect(&mut self, pattern: &str) -> String {
        let found = tokio::time::timeout(Duration::from_secs(10), async {
            loop {
                if let Some(at) = find(&self.seen, pattern.as_bytes()) {
                    let upto: Vec<u8> = self.seen.drain(..at + pattern.len()).collect();
                    return String::from_utf8_lossy(&upto).into_owned();
                }
                let mut chunk = [0u8; 4096];
                let n = self.line.read(&mut chunk).await.unwrap();
                assert!(n > 0, "the module closed the line");
                self.seen.extend_from_slice(&chunk[..n]);
            }
        })
        .await;
        let seen = String::from_utf8_lossy(&self.seen).into_owned();
        found.unwrap_or_else(|_| panic!("no {pattern:?} from the module; it sent {seen:?}"))
    }

    /// Asserts the module sends nothing for `time`.
    async fn silent(&mut self, time: Duration) {
        let mut chunk = [0u8; 256];
        if let Ok(read) = tokio::time::timeout(time, self.line.read(&mut chunk)).await {
            let n = read.unwrap();
            panic!(
                "the module answered {:?}",
                String::from_utf8_lossy(&chunk[..n])
            );
        }
    }

    /// Sends `line` with CR LF and returns the answer up to its final `OK`/`ERROR`.
    async fn command(&mut self, line: &str, last: &str) -> String {
        self.send(format!("{line}\r\n")).await;
        self.expect(last).await
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

fn echo_on() -> ModemOptions {
    ModemOptions {
        echo: true,
        ..ModemOptions::default()
    }
}

/// A SIM800 with bearer 1 open and HTTP started, driven by a CR LF host.
async fn sim800_with_http(host: &mut Host) {
    host.command("AT+SAPBR=3,1,\"Contype\",\"GPRS\"", "OK\r\n")
        .await;
    host.command("AT+SAPBR=1,1", "OK\r\n").await;
    host.command("AT+HTTPINIT", "OK\r\n").await;
    host.command("AT+HTTPPARA=\"CID\",1", "OK\r\n").await;
}

#[tokio::test]
async fn a_cr_lf_host_uploads_exactly_its_bytes_and_the_session_goes_on() {
    let server = HttpServer::start().await;
    let mut host = Host::attach(Sim800::new(), ModemOptions::default());
    sim800_with_http(&mut host).await;
    let url = server.url("/anything");
    host.command(&format!("AT+HTTPPARA=\"URL\",\"{url}\""), "OK\r\n")
        .await;
    // The LF of CR LF comes a little after the CR, as on a serial line.
    host.send("AT+HTTPDATA=5,10000\r").await;
    tokio::time::sleep(Duration::from_millis(2)).await;
    host.send("\n").await;
    host.expect("DOWNLOAD\r\n").await;
    host.send("hello").await;
    host.expect("OK\r\n").await;
    // The session is intact: the next command runs, and the body was exactly `hello`.
    host.command("AT", "\r\n").await;
    assert_eq!(host.expect("\r\n").await, "OK\r\n");
    host.command("AT+HTTPACTION=1", "+HTTPACTION: 1,200").await;
    host.expect("\r\n").await;
    let body = host.command("AT+HTTPREAD", "OK\r\n").await;
    assert!(body.contains("\"hello\""), "{body}");
}

#[tokio::test]
async fn a_bare_lf_ends_a_command_line_on_cellular_modules() {
    let mut host = Host::attach(Sim800::new(), ModemOptions::default());
    host.send("AT\n").await;
    assert!(host.expect("OK\r\n").await.contains("OK"));
    host.send("AT+CGMM\n").await;
    assert!(host.expect("OK\r\n").await.contains("SIMCOM_SIM800L"));
}

#[tokio::test]
async fn esp_at_acts_on_the_lf_and_not_on_a_lone_cr() {
    let options = ModemOptions {
        terminator: "\r\n",
        ..ModemOptions::default()
    };
    let mut host = Host::attach(EspAt::new(), options);
    host.send("AT\r").await;
    host.silent(Duration::from_millis(200)).await;
    host.send("\n").await;
    assert_eq!(host.expect("OK\r\n").await, "\r\nOK\r\n");
    host.send("AT+GMR\n").await;
    assert!(host.expect("OK\r\n").await.len() > 10);
}

#[tokio::test]
async fn echo_comes_back_as_bytes_arrive_before_the_line_ends() {
    let mut host = Host::attach(Sim800::new(), echo_on());
    host.send("AT+CG").await;
    assert_eq!(host.expect("AT+CG").await, "AT+CG");
    host.send("MM\r").await;
    assert_eq!(host.expect("MM\r").await, "MM\r");
    assert!(host.expect("OK\r\n").await.contains("SIMCOM_SIM800L"));
}

#[tokio::test]
async fn backspace_edits_the_line_as_typed() {
    let mut host = Host::attach(Sim800::new(), ModemOptions::default());
    host.send("AT+CGMX\x08M\r").await;
    let answer = host.expect("\r\nOK\r\n").await;
    assert!(answer.contains("SIMCOM_SIM800L"), "{answer:?}");
}

#[tokio::test]
async fn sim800_refuses_a_line_over_556_characters_and_runs_none_of_it() {
    let server = HttpServer::start().await;
    let mut host = Host::attach(Sim800::new(), ModemOptions::default());
    sim800_with_http(&mut host).await;
    let short = server.url("/bytes/5");
    host.command(&format!("AT+HTTPPARA=\"URL\",\"{short}\""), "OK\r\n")
        .await;
    // A 650-character line: refused whole, so the URL stays the short one.
    let prefix = format!("AT+HTTPPARA=\"URL\",\"{}", server.url("/anything/"));
    let long = format!("{prefix}{}\"", "a".repeat(650 - prefix.len() - 1));
    assert_eq!(long.len(), 650);
    let answer = host.command(&long, "\r\n").await;
    let answer = answer + &host.expect("\r\n").await;
    assert_eq!(answer, "\r\nERROR\r\n");
    host.command("AT+HTTPACTION=0", "+HTTPACTION: 0,200,5\r\n")
        .await;
    // 556 characters after `AT` is the most the module takes, and is run.
    let at_limit = format!("{prefix}{}\"", "a".repeat(556 + 2 - prefix.len() - 1));
    host.command(&at_limit, "\r\n").await;
    assert_eq!(host.expect("\r\n").await, "OK\r\n");
    host.command("AT+HTTPACTION=0", "+HTTPACTION: 0,200,").await;
}

#[tokio::test]
async fn cellular_command_names_and_keyword_tokens_match_in_any_case() {
    let mut host = Host::attach(Sim800::new(), ModemOptions::default());
    for line in [
        "at",
        "AT+SAPBR=3,1,\"Contype\",\"GPRS\"",
        "at+sapbr=1,1",
        "AT+sapbr=2,1",
        "AT+httpinit",
    ] {
        host.command(line, "\r\n").await;
        let answer = host.expect("OK\r\n").await;
        assert!(!answer.contains("ERROR"), "{line}: {answer:?}");
    }
}
