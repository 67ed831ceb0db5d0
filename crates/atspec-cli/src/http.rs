//! `atspec http`: one request through the modem's own HTTP client; the status
//! and headers on stderr, the body on stdout or in `-o FILE`.

use std::time::Duration;

use atspec::dynamic::DynSink;
use atspec::task::{HttpRequest, HttpResponse, Method};
use serde_json::json;

use crate::args::{HttpArgs, HttpMethod};
use crate::connect::{self, EmulatorSetup};
use crate::exit::{Failure, Kind};
use crate::progress::Bars;
use crate::{data_arg, link, output};

/// Runs the request `args` describe.
pub async fn run(args: HttpArgs) -> Result<(), Failure> {
    // Everything that can be checked without the modem is checked first.
    let headers = args
        .headers
        .iter()
        .map(|h| parse_header(h))
        .collect::<Result<Vec<_>, _>>()?;
    let body = match &args.data {
        Some(arg) => Some(data_arg::open(arg).await?),
        None => None,
    };
    if args.connection.emulate.is_none() {
        // A URL naming the emulator is refused before the modem is woken.
        resolve(&args.url, None)?;
    }
    let session = connect::open(&args.connection, EmulatorSetup::default()).await?;
    let http = session
        .modem
        .http()
        .ok_or_else(|| Failure::lacks_task(session.modem.name(), "HTTP"))?;
    let emulator = session
        .emulator
        .as_ref()
        .map(|s| (s.http().url(""), s.https().url("")));
    let url = resolve(
        &args.url,
        emulator.as_ref().map(|(h, s)| (h.as_str(), s.as_str())),
    )?;
    link::bring_up(&session, &args.link).await?;

    let bars = Bars::new(args.connection.verbose);
    let upload = body.as_ref().map(|body| (bars.bar("sent"), body.len));
    let download = bars.bar("received");
    let mut request = HttpRequest::new(method(args.method), url);
    for (name, value) in headers {
        request = request.header(name, value);
    }
    if let (Some(body), Some((bar, _))) = (body, &upload) {
        request = request
            .body(body.reader, body.len)
            .on_upload_progress(bar.callback(0));
    }
    if let Some(seconds) = args.timeout {
        request = request.timeout(Duration::from_secs(seconds));
    }
    request = request.on_progress(download.callback(0));

    let mut sink = output::open(args.output.as_deref(), false).await?;
    let response = {
        let sink_ref: &mut DynSink<'_> = &mut sink;
        http.request(request, sink_ref).await?
    };
    output::finish(&mut sink, args.output.as_deref()).await?;
    if let Some((bar, len)) = upload {
        bar.finish(len);
    }
    download.finish(response.received);
    if args.json {
        eprintln!("{}", response_json(&response));
    } else {
        eprint!("{}", status_and_headers(&response));
    }
    if response.is_success() {
        Ok(())
    } else {
        Err(Failure::new(
            Kind::HttpStatus,
            format!("the server answered {}", status_text(&response)),
        ))
    }
}

fn method(method: HttpMethod) -> Method {
    match method {
        HttpMethod::Get => Method::Get,
        HttpMethod::Post => Method::Post,
        HttpMethod::Put => Method::Put,
        HttpMethod::Delete => Method::Delete,
        HttpMethod::Head => Method::Head,
    }
}

/// `Name: value` as `-H` takes it.
fn parse_header(text: &str) -> Result<(String, String), Failure> {
    let (name, value) = text
        .split_once(':')
        .filter(|(name, _)| !name.trim().is_empty())
        .ok_or_else(|| Failure::usage(format!("the header `{text}` is not `Name: value`")))?;
    Ok((name.trim().to_owned(), value.trim().to_owned()))
}

/// `url`, or with `emulator` (its HTTP and HTTPS base URLs) for a URL without a
/// host (`/get`, `http:///get`, `https:///get`) the emulator's server.
fn resolve(url: &str, emulator: Option<(&str, &str)>) -> Result<String, Failure> {
    let (scheme_https, path) = if url.starts_with('/') {
        (false, url)
    } else if let Some(path) = strip_scheme(url, "http:///") {
        (false, path)
    } else if let Some(path) = strip_scheme(url, "https:///") {
        (true, path)
    } else {
        return Ok(url.to_owned());
    };
    let (http, https) = emulator.ok_or_else(|| {
        Failure::usage(format!(
            "`{url}` names the emulator's HTTP server, which only --emulate MODEM starts; \
             give http://host/path"
        ))
    })?;
    let base = if scheme_https { https } else { http };
    Ok(format!("{base}{path}"))
}

/// `url` after `prefix` (compared without case) with its leading `/` kept.
fn strip_scheme<'u>(url: &'u str, prefix: &str) -> Option<&'u str> {
    let head = url.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &url[prefix.len() - 1..])
}

fn status_text(response: &HttpResponse) -> String {
    match (response.status, response.reason()) {
        (Some(status), Some(reason)) => format!("{status} {reason}"),
        (Some(status), None) => status.to_string(),
        (None, _) => "success (the modem reported no status)".to_owned(),
    }
}

/// `HTTP 200 OK` and one `Name: value` line per header.
fn status_and_headers(response: &HttpResponse) -> String {
    let mut text = format!("HTTP {}\n", status_text(response));
    for (name, value) in &response.headers {
        text.push_str(&format!("{name}: {value}\n"));
    }
    text
}

fn response_json(response: &HttpResponse) -> serde_json::Value {
    let headers: Vec<_> = response
        .headers
        .iter()
        .map(|(name, value)| json!({ "name": name, "value": value }))
        .collect();
    json!({
        "status": response.status,
        "reason": response.reason(),
        "length": response.length,
        "received": response.received,
        "headers": headers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_are_name_colon_value() {
        assert_eq!(
            parse_header("X-Trace:  a:b ").unwrap(),
            ("X-Trace".to_owned(), "a:b".to_owned())
        );
        for bad in ["no colon", ": empty name"] {
            let err = parse_header(bad).unwrap_err();
            assert_eq!(err.kind, Kind::Usage, "{bad}");
        }
    }

    #[test]
    fn a_url_without_host_names_the_emulators_server() {
        let emulator = Some(("http://127.0.0.1:1", "https://127.0.0.1:2"));
        let cases = [
            ("/get?a=1", "http://127.0.0.1:1/get?a=1"),
            ("http:///bytes/10", "http://127.0.0.1:1/bytes/10"),
            ("HTTPS:///get", "https://127.0.0.1:2/get"),
            ("http://example.com/x", "http://example.com/x"),
        ];
        for (url, want) in cases {
            assert_eq!(resolve(url, emulator).unwrap(), want, "{url}");
        }
        let err = resolve("/get", None).unwrap_err();
        assert!(err.message.contains("--emulate"), "{err}");
        assert_eq!(
            resolve("http://example.com/", None).unwrap(),
            "http://example.com/"
        );
    }

    #[test]
    fn the_status_says_its_reason_and_the_headers_follow() {
        let response = HttpResponse {
            modem: "m",
            status: Some(404),
            length: Some(3),
            headers: vec![("Content-Type".into(), "text/plain".into())],
            received: 3,
        };
        assert_eq!(
            status_and_headers(&response),
            "HTTP 404 Not Found\nContent-Type: text/plain\n"
        );
        let json = response_json(&response);
        assert_eq!(json["status"], 404);
        assert_eq!(json["headers"][0]["value"], "text/plain");
    }
}
