//! Every way an HTTP request fails, as a user checks it: the task error's kind, step,
//! vendor code with its meaning, whether it is a timeout, and a `Display` text in the
//! manual's words (no internal table names). After each failure the same modem serves
//! the next request.

use atspec::task::{Http, HttpRequest, TaskError};
use atspec_emulator::backend::http::HttpServer;
use atspec_emulator::modem::ModemOptions;
use atspec_emulator::payload;

use super::get_sizes;
use crate::tasks_support::{esp_at, sha, sim800};

/// How a modem reports one failure: the step, and its vendor code.
#[derive(Debug, Clone, Copy)]
struct Reported {
    step: &'static str,
    code: Code,
}

/// Where the vendor's code comes back.
#[derive(Debug, Clone, Copy)]
enum Code {
    /// As the failure's own code, with its meaning from the spec's table.
    Vendor(&'static str, &'static str),
    /// On the error-detail line before `ERROR` (ESP-AT's `ERR CODE:`): the number,
    /// and its meaning from the spec's table.
    Detail(u64, &'static str),
}

/// What each modem reports for each failure.
struct Failures {
    dns: Reported,
    refused: Reported,
    cut: Reported,
}

const SIM800: Failures = Failures {
    dns: Reported {
        step: "+HTTPACTION write",
        code: Code::Vendor("603", "DNS Error"),
    },
    refused: Reported {
        step: "+HTTPACTION write",
        code: Code::Vendor("601", "Network Error"),
    },
    cut: Reported {
        step: "+HTTPACTION write",
        code: Code::Vendor("601", "Network Error"),
    },
};

/// ESP-AT documents one code for every HTTP failure without an answer: 0x010a7000, "the
/// HTTP connection could not be made" (its other 0x7xxx codes are not published).
const CONNECTION_FAILED: Code = Code::Detail(0x010a_7000, "The HTTP connection could not be made.");

/// See [`CONNECTION_FAILED`].
const ESP_AT: Failures = Failures {
    dns: Reported {
        step: "+HTTPCLIENT write request",
        code: CONNECTION_FAILED,
    },
    refused: Reported {
        step: "+HTTPCLIENT write request",
        code: CONNECTION_FAILED,
    },
    cut: Reported {
        step: "+HTTPCLIENT write request",
        code: CONNECTION_FAILED,
    },
};

/// The names of the spec's code tables, which a user's error text must not show.
const TABLE_NAMES: &[&str] = &[
    "http_failure",
    "dns_error",
    "network_error",
    "err_code",
    "http_status",
];

/// Asserts `error` is `reported` at its step, and says so in the manual's words.
fn assert_reported<M: Http>(error: &TaskError, reported: Reported) {
    assert_eq!(error.modem, M::NAME);
    assert_eq!(error.task, "http.request");
    assert_eq!(error.step, Some(reported.step), "{error}");
    assert!(!error.is_timeout(), "{error}");
    let text = error.to_string();
    match reported.code {
        Code::Vendor(code, meaning) => {
            let listed = Some((code.to_owned(), Some(meaning)));
            assert_eq!(error.vendor_code(), listed, "{text}");
            assert!(text.contains(&format!("{code} ({meaning})")), "{text}");
        }
        Code::Detail(number, meaning) => {
            let code = format!("{number:#010x}");
            assert_eq!(error.detail_number(), Some(number), "{text}");
            assert_eq!(error.vendor_code(), Some((code.clone(), Some(meaning))));
            assert!(text.contains(&format!("{code}: {meaning}")), "{text}");
        }
    }
    assert!(text.contains(reported.step), "{text}");
    // The command error underneath (what a caller of the commands sees) neither.
    let source = std::error::Error::source(error).map(|e| e.to_string());
    for table in TABLE_NAMES {
        assert!(!text.contains(table), "{text} names the table {table}");
        if let Some(source) = &source {
            assert!(!source.contains(table), "{source} names the table {table}");
        }
    }
}

/// A host name that does not resolve: the modem's DNS failure.
async fn dns_failure<M: Http + Sync>(modem: &M, reported: Reported) {
    let mut body = Vec::new();
    let error = modem
        .request(
            HttpRequest::get("http://no-such-host.invalid/get"),
            &mut body,
        )
        .await
        .unwrap_err();
    assert_reported::<M>(&error, reported);
    assert!(body.is_empty());
}

/// A closed loopback port: the connection is refused.
async fn refused_connection<M: Http + Sync>(modem: &M, reported: Reported) {
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let mut body = Vec::new();
    let error = modem
        .request(HttpRequest::get(format!("http://{closed}/get")), &mut body)
        .await
        .unwrap_err();
    assert_reported::<M>(&error, reported);
    assert!(body.is_empty());
}

/// The server breaks the connection mid-body: an error, and what did reach the sink is
/// the body's beginning, unaltered.
async fn server_down_mid_transfer<M: Http + Sync>(
    modem: &M,
    server: &HttpServer,
    reported: Reported,
) {
    let (size, cut) = (64 * 1024, 20_000);
    let url = server.url(&format!("/bytes/{size}?seed=5&cut={cut}"));
    let mut body = Vec::new();
    let error = modem
        .request(HttpRequest::get(url), &mut body)
        .await
        .unwrap_err();
    assert_reported::<M>(&error, reported);
    assert!(body.len() <= cut, "{} bytes reached the sink", body.len());
    assert_eq!(
        sha(&body),
        sha(&payload(size, 5)[..body.len()]),
        "the bytes that arrived are the body's first ones"
    );
}

/// Each failure in turn on one modem, each followed by a request that works.
async fn every_failure<M: Http + Sync>(modem: &M, failures: &Failures) {
    let server = HttpServer::start().await;
    dns_failure(modem, failures.dns).await;
    get_sizes(modem, &server, &[1024]).await;
    refused_connection(modem, failures.refused).await;
    get_sizes(modem, &server, &[1024]).await;
    server_down_mid_transfer(modem, &server, failures.cut).await;
    get_sizes(modem, &server, &[1024]).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sim800_http_failures_say_what_happened() {
    every_failure(&sim800(ModemOptions::default()).await, &SIM800).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn esp_at_http_failures_say_what_happened() {
    every_failure(&esp_at(ModemOptions::default()).await, &ESP_AT).await;
}
