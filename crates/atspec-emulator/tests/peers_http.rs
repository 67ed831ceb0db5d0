//! Every HTTP modem against a real nginx, through the standing emulator and the task
//! layer: HTTP, and HTTPS where the modem has it (nginx's certificate is made at run
//! time; the modules check none, as their specs have no setting that asks them to).
//! GET and POST of 0 B, 1 KiB and 1 MiB (the module's largest body when smaller)
//! compared by SHA-256, a read from an offset, a missing file, and a wrong password
//! where the modem sends the caller's headers.
//!
//! Skipped with a message without nginx (see `peers_support`).

mod peers_support;

use atspec::task::{Http, HttpRequest, LinkKind, Method};
use atspec_emulator::payload;
use atspec_emulator::serve::Vendor;
use base64::Engine as _;
use peers_support::{HTTP_PASSWORD, HTTP_USER, Nginx, linked, sha, standing};

/// 1 MiB, or the module's largest body when it is smaller (the SIM800 neither sends
/// nor reads more than 319488 bytes).
fn largest<M: Http>() -> usize {
    M::HTTP.max_body.map_or(1 << 20, |max| max.min(1 << 20)) as usize
}

/// A success: 200 where the modem reports the status.
fn assert_ok<M: Http>(response: &atspec::task::HttpResponse, what: &str) {
    assert!(response.is_success(), "{}: {what}: {response}", M::NAME);
    if let Some(status) = response.status {
        assert_eq!(status, 200, "{}: {what}: {response}", M::NAME);
    }
}

/// GETs of files of 0 B, 1 KiB and 1 MiB: a success, the bytes whole.
async fn get_sizes<M: Http + Sync>(modem: &M, server: &Nginx, url: fn(&Nginx, &str) -> String) {
    for size in [0, 1024, largest::<M>()] {
        let data = payload(size, size as u64 + 5);
        let name = format!("/g{size}.bin");
        server.put_file(&name[1..], &data);
        let mut body = Vec::new();
        let response = modem
            .request(HttpRequest::get(url(server, &name)), &mut body)
            .await
            .unwrap_or_else(|e| panic!("{}: GET {size} B: {e}", M::NAME));
        assert_ok::<M>(&response, &name);
        assert_eq!(sha(&body), sha(&data), "{}: {size} B body", M::NAME);
    }
}

/// POSTs of 0 B, 1 KiB and 1 MiB (or the module's largest body): nginx took the bytes.
async fn post_sizes<M: Http + Sync>(modem: &M, server: &Nginx, url: fn(&Nginx, &str) -> String) {
    if !M::HTTP.methods.contains(&Method::Post) {
        return;
    }
    for size in [0, 1024, largest::<M>()] {
        let data = payload(size, size as u64 + 8);
        let mut answer = Vec::new();
        let request = HttpRequest::post(url(server, "/post")).body_bytes(&data);
        let response = modem
            .request(request, &mut answer)
            .await
            .unwrap_or_else(|e| panic!("{}: POST {size} B: {e}", M::NAME));
        assert_ok::<M>(&response, "POST");
        assert_eq!(answer, b"stored", "{}: nginx's answer", M::NAME);
        let posted = server.take_posted();
        let taken = posted.first().map_or(0, Vec::len);
        assert!(posted.len() <= 1, "one body per request");
        assert_eq!(taken, size, "{}: bytes nginx took", M::NAME);
        if size > 0 {
            assert_eq!(sha(&posted[0]), sha(&data), "{}: {size} B posted", M::NAME);
        }
    }
}

/// A read from an offset brings the rest; a missing file is a 404 status.
async fn offset_and_missing<M: Http + Sync>(
    modem: &M,
    server: &Nginx,
    url: fn(&Nginx, &str) -> String,
) {
    if M::HTTP.range {
        let data = payload(50_000, 4);
        server.put_file("ranged.bin", &data);
        let mut rest = Vec::new();
        let request = HttpRequest::get(url(server, "/ranged.bin")).from_offset(30_000);
        let response = modem.request(request, &mut rest).await.unwrap();
        assert!(response.is_success(), "{}: {response}", M::NAME);
        assert_eq!(sha(&rest), sha(&data[30_000..]), "{}: the rest", M::NAME);
    }
    let mut body = Vec::new();
    let response = modem
        .request(HttpRequest::get(url(server, "/absent.bin")), &mut body)
        .await
        .unwrap();
    assert_eq!(response.status, Some(404), "{}: {response}", M::NAME);
}

/// `/private/` refuses a wrong password (401) and serves the right one, where the
/// modem sends the caller's `Authorization` header.
async fn passwords<M: Http + Sync>(modem: &M, server: &Nginx, url: fn(&Nginx, &str) -> String) {
    if !M::HTTP.request_headers {
        return;
    }
    let data = payload(2048, 6);
    server.put_file("private/secret.bin", &data);
    let basic = |password: &str| {
        let pair = format!("{HTTP_USER}:{password}");
        format!(
            "Basic {}",
            base64::engine::general_purpose::STANDARD.encode(pair)
        )
    };
    for (password, status) in [("not-the-password", 401), (HTTP_PASSWORD, 200)] {
        let mut body = Vec::new();
        let request = HttpRequest::get(url(server, "/private/secret.bin"))
            .header("Authorization", basic(password));
        let response = modem.request(request, &mut body).await.unwrap();
        if status == 200 {
            assert_ok::<M>(&response, "the right password");
            assert_eq!(sha(&body), sha(&data), "{}: the private file", M::NAME);
        } else {
            assert_eq!(response.status, Some(status), "{}: {response}", M::NAME);
        }
    }
}

/// Every check, on one scheme.
async fn all<M: Http + Sync>(modem: &M, server: &Nginx, url: fn(&Nginx, &str) -> String) {
    get_sizes(modem, server, url).await;
    post_sizes(modem, server, url).await;
    offset_and_missing(modem, server, url).await;
    passwords(modem, server, url).await;
}

/// One test per modem and scheme: a fresh nginx, a fresh standing emulator.
macro_rules! nginx_tests {
    ($($test:ident: $vendor:expr, $link:expr, $driver:path, $url:path;)*) => {$(
        #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
        async fn $test() {
            let Some(server) = Nginx::start(stringify!($test)) else {
                return;
            };
            let serving = standing($vendor).await;
            let modem = linked(&serving, $link, $driver).await;
            all(&modem, &server, $url).await;
        }
    )*};
}

nginx_tests! {
    sim800_http_with_nginx: Vendor::Sim800, LinkKind::Cellular, atspec_sim800::Modem::new, Nginx::http;
    esp_at_http_with_nginx: Vendor::EspAt, LinkKind::Wifi, atspec_esp_at::Modem::new, Nginx::http;
    esp_at_https_with_nginx: Vendor::EspAt, LinkKind::Wifi, atspec_esp_at::Modem::new, Nginx::https;
}
