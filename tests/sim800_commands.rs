//! What a user of the generated SIM800 crate sees: valid commands encode to the
//! manual's bytes, invalid ones are refused before they reach the wire, and the
//! execution data (payloads, uploads, deferred completion) is there.

use atspec::code::Outcome;
use atspec::{AtCommand, CodeTable, DeferredCommand, ParamError, Placement, UploadEnd};
use atspec_sim800::bearer::{SapbrOpenWrite, SapbrSetApnWrite, SapbrSetPwdWrite};
use atspec_sim800::http::{
    HttpActionUrc, HttpMethod, HttpStatus, HttpactionWrite, HttpdataWrite, HttpparaTimeoutWrite,
    HttpparaUrlWrite, HttpreadWrite,
};

fn encode(command: &impl AtCommand) -> String {
    let mut out = Vec::new();
    command.encode(&mut out);
    String::from_utf8(out).expect("commands are text")
}

#[test]
fn injection_characters_in_strings_are_refused() {
    for (bad, ch) in [
        ("http://x/\"+CFUN=0", '"'),
        ("http://x/\r\nAT+CFUN=0", '\r'),
        ("a\nb", '\n'),
        ("a\0", '\0'),
        ("a\u{1a}", '\u{1a}'),
    ] {
        match HttpparaUrlWrite::new(bad) {
            Err(ParamError::ForbiddenChar {
                param, ch: found, ..
            }) => {
                assert_eq!(param, "url");
                assert_eq!(found, ch);
            }
            other => panic!("{bad:?} was not refused: {other:?}"),
        }
    }
}

#[test]
fn out_of_range_integers_are_refused_with_the_range() {
    let err = HttpparaTimeoutWrite::new(29).unwrap_err();
    assert_eq!(
        err,
        ParamError::OutOfRange {
            param: "timeout",
            value: 29,
            min: 30,
            max: 1000
        }
    );
    assert!(err.to_string().contains("30..=1000"), "{err}");
    assert_eq!(
        encode(&HttpparaTimeoutWrite::new(1000).unwrap()),
        "AT+HTTPPARA=\"TIMEOUT\",1000"
    );
}

#[test]
fn over_long_strings_are_refused_with_the_limit() {
    let apn = "a".repeat(65);
    assert_eq!(
        SapbrSetApnWrite::new(1, &apn).unwrap_err(),
        ParamError::TooLong {
            param: "apn",
            len: 65,
            max: 64
        }
    );
    assert_eq!(
        encode(&SapbrSetApnWrite::new(1, &apn[..64]).unwrap()),
        format!("AT+SAPBR=3,1,\"APN\",\"{}\"", &apn[..64])
    );
}

#[test]
fn unlisted_enum_codes_are_refused() {
    let err = HttpactionWrite::new(HttpMethod::from_code(9)).unwrap_err();
    assert!(
        matches!(
            err,
            ParamError::NotAllowed {
                param: "method",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(
        encode(&HttpactionWrite::new(HttpMethod::from_code(1)).unwrap()),
        "AT+HTTPACTION=1"
    );
}

#[test]
fn passwords_are_redacted_in_logs_only() {
    let command = SapbrSetPwdWrite::new(1, "hunter2").unwrap();
    assert_eq!(encode(&command), "AT+SAPBR=3,1,\"PWD\",\"hunter2\"");
    let mut redacted = Vec::new();
    command.encode_redacted(&mut redacted);
    assert_eq!(redacted, b"AT+SAPBR=3,1,\"PWD\",\"***\"");
}

#[test]
fn timeouts_come_from_the_manual() {
    assert_eq!(
        SapbrOpenWrite::TIMEOUT,
        Some(std::time::Duration::from_secs(85))
    );
}

#[test]
fn http_action_completes_with_its_urc_and_reports_vendor_failures() {
    let get = HttpactionWrite::new(HttpMethod::from_code(0)).unwrap();
    assert_eq!(HttpactionWrite::COMPLETION.prefix, "+HTTPACTION:");
    let done = HttpactionWrite::parse_completion(b"+HTTPACTION: 0, 200,14384").unwrap();
    assert!(get.is_completion(&done));
    assert_eq!(HttpactionWrite::failure(&done), None);
    let post_done = HttpactionWrite::parse_completion(b"+HTTPACTION:1,200,0").unwrap();
    assert!(
        !get.is_completion(&post_done),
        "a POST result does not complete a GET"
    );
    let failed = HttpactionWrite::parse_completion(b"+HTTPACTION: 0,601,0").unwrap();
    let info = HttpactionWrite::failure(&failed).expect("601 is a failure");
    assert_eq!(
        (info.code.as_str(), info.meaning),
        ("601", Some("Network Error"))
    );
    assert_eq!(HttpStatus::from_code(404).outcome(), Outcome::Unspecified);
}

#[test]
fn unknown_status_codes_are_kept() {
    let urc: HttpActionUrc = HttpActionUrc::parse(b"+HTTPACTION: 0,799,5").unwrap();
    assert_eq!(urc.status_code, HttpStatus::from_code(799));
    assert!(!urc.status_code.is_known());
    assert_eq!(urc.status_code.code(), 799);
}

/// A code reads as its value and meaning, as a user would write it: no spec table
/// name, whichever of the combined tables lists it or none.
#[test]
fn codes_display_without_table_names() {
    let status = |line: &[u8]| HttpActionUrc::parse(line).unwrap().status_code.to_string();
    assert_eq!(status(b"+HTTPACTION: 0,404,0"), "404 Not Found");
    assert_eq!(status(b"+HTTPACTION: 0,601,0"), "601 Network Error");
    assert_eq!(
        status(b"+HTTPACTION: 0,799,5"),
        "799 (not listed in the manual)"
    );
}

#[test]
fn malformed_lines_are_typed_errors() {
    let err = HttpActionUrc::parse(b"+HTTPACTION: 0,abc,5").unwrap_err();
    assert!(err.to_string().contains("status_code"), "{err}");
    assert!(HttpActionUrc::parse(b"+HTTPACTION: 0,200").is_err());
    assert!(HttpActionUrc::parse(b"+HTTPACTION: 0,200,5,7").is_err());
    assert!(HttpActionUrc::parse(&[0xff; 4096]).is_err());
}

#[test]
fn download_and_upload_rules_are_exposed() {
    let rule = HttpreadWrite::PAYLOAD.expect("HTTPREAD announces a payload");
    assert_eq!(rule.placement, Placement::NextLine);
    assert_eq!((rule.length)(b"+HTTPREAD: 1000").unwrap(), (1000, 15));
    assert_eq!((rule.length)(b"+HTTPREAD:14384").unwrap().0, 14384);
    let upload = HttpdataWrite::new(100, 10000)
        .unwrap()
        .upload()
        .expect("HTTPDATA uploads");
    assert_eq!(upload.prompt, "DOWNLOAD");
    assert_eq!(upload.end, UploadEnd::Length(100));
    assert_eq!(
        upload.input_timeout,
        Some(std::time::Duration::from_millis(10000))
    );
}

#[test]
fn cme_errors_resolve_numeric_and_verbose_forms() {
    use atspec::LineClass;
    let LineClass::Result(result) = atspec_sim800::DIALECT.classify(b"+CME ERROR: 3") else {
        panic!("not a result")
    };
    assert_eq!(result.meaning, Some("operation not allowed"));
    let LineClass::Result(result) = atspec_sim800::DIALECT.classify(b"+CME ERROR: 767") else {
        panic!("not a result")
    };
    assert!(
        result
            .meaning
            .is_some_and(|m| m.to_lowercase().contains("operation failed")),
        "{result:?}"
    );
}
