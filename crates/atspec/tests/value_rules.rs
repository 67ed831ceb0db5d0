//! Value rules of real specs as generated constructors and parsers apply them: a
//! string `prefix` (EC200U local file names), a string `pattern` (ESP-AT URLs) and a
//! duration `unit` (the EC200U upload timeout, in seconds).

use std::time::Duration;

use atspec::{AtCommand as _, ParamError};
use atspec_ec200u::ftp::QftpputFromFileWrite;
use atspec_ec200u::support::QfuplWrite;
use atspec_esp_at::http::HttpgetsizeWrite;

#[test]
fn a_local_file_name_needs_a_storage_prefix() {
    for good in ["UFS:test1.txt", "SD:a.bin"] {
        assert!(
            QftpputFromFileWrite::new("test.txt", good, None).is_ok(),
            "{good}"
        );
    }
    let refused = QftpputFromFileWrite::new("test.txt", "test1.txt", None).unwrap_err();
    assert!(
        matches!(
            refused,
            ParamError::MissingPrefix {
                param: "local_name",
                ..
            }
        ),
        "{refused:?}"
    );
    assert!(refused.to_string().contains("\"UFS:\""), "{refused}");
}

#[test]
fn a_command_line_breaking_the_prefix_rule_does_not_parse() {
    let good = atspec_ec200u::Command::parse(b"AT+QFTPPUT=\"test.txt\",\"UFS:test1.txt\",0");
    assert!(good.is_ok(), "{good:?}");
    let bad = atspec_ec200u::Command::parse(b"AT+QFTPPUT=\"test.txt\",\"test1.txt\",0");
    assert!(bad.is_err(), "{bad:?}");
}

#[test]
fn a_url_must_match_its_pattern() {
    for good in ["http://httpbin.org/get", "https://a.example/x?y=1", ""] {
        assert!(
            HttpgetsizeWrite::new(good, None, None, None).is_ok(),
            "{good:?}"
        );
    }
    for bad in ["ftp://host/file", "httpbin.org/get", "http://"] {
        let refused = HttpgetsizeWrite::new(bad, None, None, None).unwrap_err();
        assert!(
            matches!(refused, ParamError::PatternMismatch { param: "url", .. }),
            "{bad:?}: {refused:?}"
        );
    }
    let parsed = atspec_esp_at::Command::parse(b"AT+HTTPGETSIZE=\"ftp://host/file\"");
    assert!(parsed.is_err(), "{parsed:?}");
}

#[test]
fn an_upload_timeout_in_seconds_is_read_as_seconds() {
    let upload = QfuplWrite::new("UFS:a.txt", 100, Some(7), None)
        .unwrap()
        .upload()
        .expect("QFUPL uploads");
    assert_eq!(upload.input_timeout, Some(Duration::from_secs(7)));
}

#[test]
fn a_status_says_which_table_it_comes_from() {
    use atspec_sim800::http::{HttpActionUrc, HttpFailure, HttpStatus, HttpStatusOrHttpFailure};
    let ok = HttpActionUrc::parse(b"+HTTPACTION: 0,200,1000").unwrap();
    assert_eq!(
        ok.status_code,
        HttpStatusOrHttpFailure::HttpStatus(HttpStatus::Ok)
    );
    assert_eq!(ok.status_code.table(), Some("http_status"));
    let failed = HttpActionUrc::parse(b"+HTTPACTION: 0,601,0").unwrap();
    assert_eq!(
        failed.status_code,
        HttpStatusOrHttpFailure::HttpFailure(HttpFailure::NetworkError)
    );
    assert_eq!(
        atspec::CodeTable::outcome(&failed.status_code),
        atspec::code::Outcome::Failure
    );
    let unknown = HttpActionUrc::parse(b"+HTTPACTION: 0,999,0").unwrap();
    assert!(!unknown.status_code.is_known());
    assert_eq!(unknown.status_code.code(), 999);
    let mut line = Vec::new();
    failed.encode(&mut line);
    assert_eq!(line, b"+HTTPACTION: 0,601,0");
}
