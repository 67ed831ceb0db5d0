//! The SIM800 HTTP session the runtime exchange tests (`tests/exchanges_*.rs`)
//! script, after the SIM800 IP application note (sections 3.2-3.8): its command
//! lines, the modem's answers and the client calls that go with them.

use atspec::Client;
use atspec_sim800::Urc;
use atspec_sim800::http::{
    HttpActionUrc, HttpMethod, HttpStatusOrHttpFailure, HttpactionWrite, HttpinitExec,
    HttpparaCidWrite, HttpparaUrlWrite, HttpreadExec, HttptermExec,
};

use super::{Step, ok_to, payload_reply, show};

/// `AT+HTTPINIT`.
pub const INIT: &[u8] = b"AT+HTTPINIT";
/// `AT+HTTPPARA="CID",1`.
pub const CID: &[u8] = b"AT+HTTPPARA=\"CID\",1";
/// `AT+HTTPPARA="URL",...` with [`URL`].
pub const URL_LINE: &[u8] = b"AT+HTTPPARA=\"URL\",\"http://example.com/data.bin\"";
/// `AT+HTTPTERM`.
pub const TERM: &[u8] = b"AT+HTTPTERM";
/// The URL the session requests.
pub const URL: &str = "http://example.com/data.bin";

/// A body full of things that look like modem output.
pub const BODY: &[u8] = b"\r\nOK\r\nERROR\r\n+HTTPACTION: 0,200,5\r\n\r\n+CME ERROR: 3\r\n\
+HTTPREAD: 3\r\nDOWNLOAD\r\n> \r\n+SAPBR 1: DEACT\r\nbin\x00\xff\x1a\x03\r\n\r";

/// The modem's side of a SIM800 POST to `http://example.com/post` after the bearer
/// and `AT+HTTPINIT`: the URL, `json` uploaded after `DOWNLOAD`, `AT+HTTPACTION=1`
/// completed with 201 after a `RING`, `reply` read back, `AT+HTTPTERM`.
pub fn post_exchange(json: &[u8], reply: &[u8]) -> Vec<Step> {
    use super::corpus::{at, lines, urc};
    vec![
        at("AT+HTTPPARA=\"URL\",\"http://example.com/post\""),
        super::ok(),
        at(&format!("AT+HTTPDATA={},10000", json.len())),
        lines(b"\r\nDOWNLOAD\r\n"),
        Step::Upload(json.to_vec()),
        super::ok(),
        at("AT+HTTPACTION=1"),
        super::ok(),
        urc(b"RING"),
        lines(format!("\r\n+HTTPACTION: 1,201,{}\r\n", reply.len()).as_bytes()),
        at("AT+HTTPREAD"),
        payload_reply(
            format!("\r\n+HTTPREAD: {}\r\n", reply.len()).as_bytes(),
            reply,
            b"\r\nOK\r\n",
        ),
        at("AT+HTTPTERM"),
        super::ok(),
    ]
}

/// The modem's side of [`start_session`]: each command answered `OK`.
pub fn session() -> Vec<Step> {
    [ok_to(INIT), ok_to(CID), ok_to(URL_LINE)].concat()
}

/// `AT+HTTPINIT`, then the bearer and the URL.
pub async fn start_session(client: &Client<Urc>) {
    client.send(&HttpinitExec::new()).await.expect("HTTPINIT");
    client
        .send(&HttpparaCidWrite::new(1).unwrap())
        .await
        .expect("HTTPPARA CID");
    client
        .send(&HttpparaUrlWrite::new(URL).unwrap())
        .await
        .expect("HTTPPARA URL");
}

/// `AT+HTTPTERM`, which must succeed.
pub async fn term(client: &Client<Urc>) {
    client.send(&HttptermExec::new()).await.expect("HTTPTERM");
}

/// `AT+HTTPACTION=0`.
pub fn get() -> HttpactionWrite {
    HttpactionWrite::new(HttpMethod::Get).unwrap()
}

/// The `+HTTPACTION: <method>,<status>,<len>` completion URC, with its line ends.
pub fn action_urc(method: u8, status: u16, len: usize) -> Vec<u8> {
    format!("\r\n+HTTPACTION: {method},{status},{len}\r\n").into_bytes()
}

/// The answer to `AT+HTTPREAD`: the header announcing `body`, the body, `OK`.
pub fn read_reply(body: &[u8]) -> Step {
    payload_reply(
        format!("\r\n+HTTPREAD: {}\r\n", body.len()).as_bytes(),
        body,
        b"\r\nOK\r\n",
    )
}

/// Checks the fields of an `+HTTPACTION` completion.
pub fn assert_action(
    done: &HttpActionUrc,
    method: HttpMethod,
    status: impl Into<HttpStatusOrHttpFailure>,
    len: usize,
) {
    assert_eq!(
        (done.method, done.status_code, done.data_len as usize),
        (method, status.into(), len),
        "completion URC"
    );
}

/// `AT+HTTPREAD`, which must download exactly `body`.
pub async fn read_body(client: &Client<Urc>, body: &[u8]) {
    let mut got = Vec::new();
    let (header, n) = client
        .send_download(&HttpreadExec::new(), &mut got)
        .await
        .expect("HTTPREAD");
    assert_eq!(
        got,
        body,
        "body not byte-exact: got {}, want {}",
        show(&got),
        show(body)
    );
    assert_eq!(header.data_len as usize, body.len(), "announced length");
    assert_eq!(n as usize, body.len(), "returned length");
}
