//! The `-v` transcript on real packages' lines: masked secrets (also in echoes),
//! payloads counted exactly, uploads summarised.

use std::io::Write;
use std::sync::{Arc, Mutex};

use atspec_cli::transcript::{Direction, Transcript};

/// A writer whose bytes the test reads afterwards.
#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The transcript of `exchange` on a modem of `package`.
fn transcript(package: &str, exchange: &[(Direction, &[u8])]) -> String {
    let out = Shared::default();
    let package = atspec_packages::find(package).unwrap();
    let mut transcript = Transcript::new(package, Box::new(out.clone()));
    for (direction, bytes) in exchange {
        transcript.bytes(*direction, bytes);
    }
    transcript.finish();
    String::from_utf8(out.0.lock().unwrap().clone()).unwrap()
}

use Direction::{Host, Modem};

#[test]
fn a_password_is_masked_in_the_command_and_in_its_echo() {
    let text = transcript(
        "sim800",
        &[
            (Host, b"AT+FTPPW=\"hunter2\"\r"),
            (Modem, b"AT+FTPPW=\"hunter2\"\r\r\nOK\r\n"),
        ],
    );
    assert_eq!(text, "> AT+FTPPW=\"***\"\n< AT+FTPPW=\"***\"\n< OK\n");
}

#[test]
fn an_announced_payload_is_counted_exactly_whatever_bytes_it_holds() {
    // Line breaks and an `OK` inside the payload, and the reads cut anywhere.
    let mut payload = b"ab\r\nOK\r\n".to_vec();
    payload.extend([0u8, 255, 13, 10, 7]);
    let mut answer = format!("+HTTPREAD: {}\r\n", payload.len()).into_bytes();
    answer.extend(&payload);
    answer.extend(b"\r\nOK\r\n");
    let (first, second) = answer.split_at(9);
    let text = transcript(
        "sim800",
        &[
            (Host, b"AT+HTTPREAD=0,13\r"),
            (Modem, first),
            (Modem, second),
        ],
    );
    assert_eq!(
        text,
        "> AT+HTTPREAD=0,13\n< +HTTPREAD: 13\n< (13 bytes of data)\n< OK\n"
    );
}

#[test]
fn a_payload_on_the_announcing_line_is_counted_after_its_comma() {
    let text = transcript(
        "esp_at",
        &[
            (Host, b"AT+HTTPCLIENT=2,0,\"http://h/\",,,1\r\n"),
            (
                Modem,
                b"+HTTPCLIENT:4,\r\nOK\r\n+HTTPCLIENT:2,\x00\x01\r\nOK\r\n",
            ),
        ],
    );
    assert_eq!(
        text,
        "> AT+HTTPCLIENT=2,0,\"http://h/\",,,1\n< +HTTPCLIENT:4,\n< (4 bytes of data)\n\
         < +HTTPCLIENT:2,\n< (2 bytes of data)\n< OK\n"
    );
}

#[test]
fn an_upload_after_a_prompt_is_summarised_when_the_modem_answers() {
    let text = transcript(
        "a76xx",
        &[
            (Host, b"AT+CFTPSPUT=\"/a.bin\",6\r"),
            (Modem, b"\r\n>"),
            (Host, b"\x00\x01\r"),
            (Host, b"\n\xfe\xff"),
            (Modem, b"\r\nOK\r\n"),
        ],
    );
    assert_eq!(
        text,
        "> AT+CFTPSPUT=\"/a.bin\",6\n< >\n> (6 bytes of data)\n< OK\n"
    );
}
