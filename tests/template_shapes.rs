//! The template shapes of `specs/fixture-templates`, through the generated crate:
//! an optional leading field is read with the right split both ways, an optional
//! group of fixed text is read with or without it, a `one_of` response says which
//! line arrived (and names every alternative when none did), and both payload
//! header shapes of one command reach the framer and the client.

use std::time::Duration;

use atspec::{AtCommand, Client, Config};
use atspec_fixture_templates::shapes::{
    LastStatus, Listing, Mode, XgetPlain, XgetTagged, XgetWrite, XgetWriteResponseHeader,
    XlistExec, XmodeRead, XmodeReadResponseState,
};
use atspec_fixture_templates::{DIALECT, Urc};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn encoded(line: &LastStatus) -> String {
    let mut out = Vec::new();
    line.encode(&mut out);
    String::from_utf8(out).unwrap()
}

#[test]
fn an_optional_leading_field_is_read_with_the_right_split() {
    let with = LastStatus::parse(b"+XSTAT: 1,200,5").unwrap();
    assert_eq!((with.method, with.status, with.len), (Some(1), 200, 5));
    let without = LastStatus::parse(b"+XSTAT: 200,0").unwrap();
    assert_eq!(
        (without.method, without.status, without.len),
        (None, 200, 0)
    );
    // The encoder writes what was given, and it reads back.
    assert_eq!(encoded(&with), "+XSTAT: 1,200,5");
    assert_eq!(encoded(&without), "+XSTAT: 200,0");
    assert_eq!(LastStatus::parse(encoded(&without).as_bytes()), Ok(without));
    // Neither split fits: the error is the fullest reading's.
    let e = LastStatus::parse(b"+XSTAT: 1").unwrap_err();
    assert_eq!((e.expected.as_str(), e.column), ("\",\"", 9), "{e}");
    assert!(LastStatus::parse(b"+XSTAT: 1,2,3,4").is_err());
}

#[test]
fn an_optional_leading_field_of_a_urc_is_read_both_ways() {
    match Urc::parse(b"+XEV: 2,1,0") {
        Some(Ok(Urc::Xev(e))) => assert_eq!((e.id, e.state, e.code), (Some(2), 1, 0)),
        other => panic!("{other:?}"),
    }
    match Urc::parse(b"+XEV: 1,404") {
        Some(Ok(Urc::Xev(e))) => assert_eq!((e.id, e.state, e.code), (None, 1, 404)),
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_optional_group_of_fixed_text_is_read_with_or_without_it() {
    assert_eq!(Listing::parse(b"+XLIST: DATA,7").unwrap().count, 7);
    assert_eq!(Listing::parse(b"+XLIST: 7").unwrap().count, 7);
    let rule = XlistExec::PAYLOAD.expect("the listing announces a payload");
    assert_eq!((rule.length)(b"+XLIST: DATA,7").unwrap().0, 7);
    assert_eq!((rule.length)(b"+XLIST: 7").unwrap().0, 7);
    assert!((rule.length)(b"+XLIST: DATA,x").is_err());
    // Written without the optional text.
    let mut out = Vec::new();
    Listing { count: 7 }.encode(&mut out);
    assert_eq!(out, b"+XLIST: 7");
}

#[test]
fn a_one_of_response_says_which_line_arrived() {
    assert_eq!(
        XgetWrite::parse_response(&[b"+XGET: 4"]).unwrap(),
        XgetWriteResponseHeader::XgetPlain(XgetPlain { len: 4 })
    );
    assert_eq!(
        XgetWrite::parse_response(&[b"+XGET: DATA,3"]).unwrap(),
        XgetWriteResponseHeader::XgetTagged(XgetTagged { len: 3 })
    );
    let on = XmodeRead::parse_response(&[b"+XMODE: 1,7", b"+XNOTE: \"warm\""]).unwrap();
    match on.state {
        XmodeReadResponseState::XmodeOn(on) => assert_eq!((on.mode, on.level), (Mode::Busy, 7)),
        other => panic!("{other:?}"),
    }
    assert_eq!(on.xmode_note.unwrap().text, "warm");
    let off = XmodeRead::parse_response(&[b"+XMODE: OFF"]).unwrap();
    assert!(matches!(off.state, XmodeReadResponseState::XmodeOff(_)));
    assert!(off.xmode_note.is_none());
}

#[test]
fn a_missing_or_unknown_one_of_line_is_an_error_naming_the_alternatives() {
    let named = "one of the lines `+XGET: <len>` or `+XGET: DATA,<len>`";
    assert_eq!(XgetWrite::parse_response(&[]).unwrap_err().expected, named);
    let e = XgetWrite::parse_response(&[b"+XGET: SOME,3"]).unwrap_err();
    assert_eq!(
        (e.expected.as_str(), e.line.as_str()),
        (named, "+XGET: SOME,3")
    );
    let e = XmodeRead::parse_response(&[b"+XNOTE: \"x\""]).unwrap_err();
    assert_eq!(
        e.expected,
        "one of the lines `+XMODE: OFF` or `+XMODE: <mode>,<level>`"
    );
}

#[test]
fn the_payload_rule_reads_both_header_shapes() {
    let rule = XgetWrite::PAYLOAD.expect("the read announces a payload");
    assert_eq!(rule.prefix, "+XGET:");
    assert_eq!((rule.length)(b"+XGET: 4").unwrap().0, 4);
    assert_eq!((rule.length)(b"+XGET: DATA,3").unwrap().0, 3);
    assert!((rule.length)(b"+XGET: DATA").is_err());
}

/// Sends `command` to a modem that answers `reply` and returns what the client read.
async fn download(reply: &'static [u8], len: u16) -> (XgetWriteResponseHeader, Vec<u8>) {
    let (host, mut modem) = tokio::io::duplex(1 << 12);
    let expected = format!("AT+XGET={len}\r");
    let far = tokio::spawn(async move {
        let mut got = vec![0u8; expected.len()];
        modem.read_exact(&mut got).await.unwrap();
        assert_eq!(got, expected.as_bytes());
        modem.write_all(reply).await.unwrap();
        modem
    });
    let config = Config {
        guard_time: Some(Duration::from_millis(5)),
        default_timeout: Duration::from_secs(5),
        ..Config::default()
    };
    let client = Client::<Urc>::new(host, &DIALECT, config);
    let mut data = Vec::new();
    let (header, n) = client
        .send_download(&XgetWrite::new(len).unwrap(), &mut data)
        .await
        .unwrap();
    assert_eq!(n as usize, data.len());
    far.await.unwrap();
    (header, data)
}

#[tokio::test]
async fn the_client_reads_the_payload_of_either_header_shape() {
    // Payload bytes that look like a header of the other shape and a final result.
    let (header, data) = download(b"\r\n+XGET: 9\r\n+XGET: OK\r\n\r\nOK\r\n", 9).await;
    assert_eq!(
        header,
        XgetWriteResponseHeader::XgetPlain(XgetPlain { len: 9 })
    );
    assert_eq!(data, b"+XGET: OK");
    let (header, data) = download(b"\r\n+XGET: DATA,6\r\nOK\r\n+\r\nOK\r\n", 6).await;
    assert_eq!(
        header,
        XgetWriteResponseHeader::XgetTagged(XgetTagged { len: 6 })
    );
    assert_eq!(data, b"OK\r\n+\r");
}
