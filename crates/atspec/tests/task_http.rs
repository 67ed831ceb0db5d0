//! The HTTP request builder (URL parts, headers, body) and the response.

use std::time::Duration;

use atspec::task::{HttpRequest, HttpResponse, Method, TaskErrorKind, UrlParts, reason_phrase};
use tokio::io::AsyncReadExt;

fn parts(url: &str) -> Result<(bool, String, u16, String), String> {
    let request = HttpRequest::get(url);
    request.url_parts().map(
        |UrlParts {
             https,
             host,
             port,
             path,
         }| (https, host.to_owned(), port, path.to_owned()),
    )
}

fn ok(
    https: bool,
    host: &str,
    port: u16,
    path: &str,
) -> Result<(bool, String, u16, String), String> {
    Ok((https, host.to_owned(), port, path.to_owned()))
}

#[test]
fn url_parts_take_scheme_host_port_and_path_apart() {
    assert_eq!(
        parts("http://example.com"),
        ok(false, "example.com", 80, "/")
    );
    assert_eq!(
        parts("https://example.com/"),
        ok(true, "example.com", 443, "/")
    );
    assert_eq!(
        parts("HTTPS://Example.com:8443/a/b"),
        ok(true, "Example.com", 8443, "/a/b")
    );
    assert_eq!(
        parts("http://10.0.0.1:8080/x?y=1&z=2"),
        ok(false, "10.0.0.1", 8080, "/x?y=1&z=2")
    );
    assert_eq!(parts("http://user:pw@host/p"), ok(false, "host", 80, "/p"));
    assert_eq!(parts("http://[::1]:81/v6"), ok(false, "::1", 81, "/v6"));
    assert_eq!(
        parts("http://[2001:db8::2]/"),
        ok(false, "2001:db8::2", 80, "/")
    );
    assert_eq!(
        parts("http://host:/p"),
        ok(false, "host", 80, "/p"),
        "an empty port is the default"
    );
    assert_eq!(
        parts("http://host/p#frag"),
        ok(false, "host", 80, "/p"),
        "fragments are not sent"
    );
    assert_eq!(parts("http://host#frag"), ok(false, "host", 80, "/"));
}

#[test]
fn a_query_without_a_path_gets_the_root_path() {
    let request = HttpRequest::get("http://host?q=1");
    assert_eq!(request.url(), "http://host/?q=1");
    assert_eq!(parts("http://host:81?q=1"), ok(false, "host", 81, "/?q=1"));
    // A URL that has a path is left as given.
    assert_eq!(HttpRequest::get("http://host/a?q").url(), "http://host/a?q");
}

#[test]
fn bad_urls_say_why() {
    let why = |url: &str| parts(url).unwrap_err();
    assert!(why("ftp://host/file").contains("\"ftp\" is not http or https"));
    assert!(why("example.com/path").contains("no scheme"));
    assert!(why("http:///path").contains("no host"));
    assert!(why("http://host:http/").contains("not a number"));
    assert!(why("http://host:70000/").contains("more than 65535"));
    assert!(why("http://host:0/").contains("port 0"));
    assert!(why("http://host:-1/").contains("not a number"));
    assert!(why("http://ho st/").contains("' '"));
    assert!(why("http://host/a\r\nb").contains("'\\r'"));
    assert!(why("http://[::1/").contains("closing"));
    assert!(why("http://[::1]x/").contains("unexpected"));
    assert!(why("http://[zz]/").contains("not an IPv6"));
    assert!(why("http://a\"b/").contains("contains"));
}

#[test]
fn https_follows_the_scheme() {
    assert!(HttpRequest::get("https://h/").is_https());
    assert!(HttpRequest::get("HTTPS://h/").is_https());
    assert!(!HttpRequest::get("http://h/").is_https());
    assert!(!HttpRequest::get("https:/").is_https());
}

#[test]
fn headers_come_as_pairs_and_as_one_block() {
    let request = HttpRequest::post("http://h/")
        .header("Content-Type", "text/plain")
        .header("X-Token", "abc");
    assert_eq!(request.headers().len(), 2);
    assert_eq!(
        request.header_block(),
        "Content-Type: text/plain\r\nX-Token: abc\r\n"
    );
    assert!(request.check_headers().is_ok());
    assert_eq!(HttpRequest::get("http://h/").header_block(), "");

    let smuggled = HttpRequest::get("http://h/").header("X-A", "1\r\nX-Evil: 2");
    assert!(smuggled.check_headers().unwrap_err().contains("X-A"));
    let bad_name = HttpRequest::get("http://h/").header("Bad Name", "1");
    assert!(
        bad_name
            .check_headers()
            .unwrap_err()
            .contains("not an HTTP token")
    );
    assert!(
        HttpRequest::get("http://h/")
            .header("", "1")
            .check_headers()
            .is_err()
    );
}

#[tokio::test]
async fn the_body_is_taken_once_and_its_length_stays() {
    let data = b"hello body".to_vec();
    let mut request = HttpRequest::put("http://h/up").body_bytes(&data);
    assert_eq!(request.body_len(), Some(10));
    let mut body = request.take_body().expect("a body");
    let mut read = Vec::new();
    body.read_to_end(&mut read).await.unwrap();
    assert_eq!(read, data);
    assert!(request.take_body().is_none());
    assert_eq!(request.body_len(), Some(10));

    let reader: &[u8] = b"abc";
    let request = HttpRequest::post("http://h/").body(reader, 3);
    assert_eq!(request.body_len(), Some(3));
    assert_eq!(HttpRequest::get("http://h/").body_len(), None);
}

#[test]
fn the_other_settings_read_back() {
    let mut calls = 0;
    let mut request = HttpRequest::new(Method::Delete, "http://h/x")
        .timeout(Duration::from_secs(300))
        .from_offset(1024)
        .on_progress(|_| calls += 1);
    assert_eq!(request.method(), Method::Delete);
    assert_eq!(request.url(), "http://h/x");
    assert_eq!(request.timeout_value(), Some(Duration::from_secs(300)));
    assert_eq!(request.offset(), Some(1024));
    let progress = request.progress().expect("a callback");
    progress(atspec::Progress {
        done: 1,
        total: None,
    });
    let mut taken = request.take_progress().expect("still there");
    taken(atspec::Progress {
        done: 2,
        total: None,
    });
    assert!(request.progress().is_none());
    drop(taken);
    drop(request);
    assert_eq!(calls, 2);

    let plain = HttpRequest::head("http://h/");
    assert_eq!((plain.timeout_value(), plain.offset()), (None, None));
    assert_eq!(Method::Head.to_string(), "HEAD");
    let names: Vec<_> = [
        Method::Get,
        Method::Post,
        Method::Put,
        Method::Delete,
        Method::Head,
    ]
    .map(Method::name)
    .into();
    assert_eq!(names, ["GET", "POST", "PUT", "DELETE", "HEAD"]);
}

fn response(status: Option<u16>, received: u64) -> HttpResponse {
    HttpResponse {
        modem: "testmodem",
        status,
        length: Some(received),
        headers: Vec::new(),
        received,
    }
}

#[test]
fn success_is_2xx_or_no_status() {
    assert!(response(Some(200), 0).is_success());
    assert!(response(Some(204), 0).is_success());
    assert!(response(Some(299), 0).is_success());
    assert!(response(None, 0).is_success());
    assert!(!response(Some(199), 0).is_success());
    assert!(!response(Some(301), 0).is_success());
    assert!(!response(Some(404), 0).is_success());
}

#[test]
fn reasons_are_rfc_9110s() {
    assert_eq!(response(Some(404), 0).reason(), Some("Not Found"));
    assert_eq!(response(Some(200), 0).reason(), Some("OK"));
    assert_eq!(response(Some(413), 0).reason(), Some("Content Too Large"));
    assert_eq!(response(Some(599), 0).reason(), None);
    assert_eq!(response(None, 0).reason(), None);
    assert_eq!(reason_phrase(503), Some("Service Unavailable"));
}

#[test]
fn error_for_status_turns_4xx_and_5xx_into_errors() {
    let e = response(Some(404), 12).error_for_status().unwrap_err();
    assert!(matches!(e.kind, TaskErrorKind::Status { status: 404 }));
    assert_eq!(e.modem, "testmodem");
    assert_eq!(
        e.to_string(),
        "testmodem http.request: the server answered 404 Not Found"
    );
    let e = response(Some(503), 0).error_for_status().unwrap_err();
    assert!(e.to_string().ends_with("503 Service Unavailable"));
    let e = response(Some(599), 0).error_for_status().unwrap_err();
    assert!(e.to_string().ends_with("the server answered 599"));
    for status in [Some(200), Some(302), Some(399), None] {
        let kept = response(status, 7).error_for_status().unwrap();
        assert_eq!(kept, response(status, 7));
    }
}

#[test]
fn a_response_shows_status_reason_and_size() {
    assert_eq!(
        response(Some(404), 1024).to_string(),
        "404 Not Found, 1024 bytes"
    );
    assert_eq!(response(Some(200), 1).to_string(), "200 OK, 1 byte");
    assert_eq!(response(Some(299), 0).to_string(), "299, 0 bytes");
    assert_eq!(
        response(None, 5).to_string(),
        "success (no status reported), 5 bytes"
    );
}
