//! The task traits implemented the way generated code implements them (straight-line
//! async code over a `Run`), and used the way user code uses them (one generic
//! function for any modem): the contract compiles, its futures are `Send`, and a
//! request streams its body with progress.

mod task_support;

use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use atspec::task::{
    CountingWriter, Driver, Http, HttpOptions, HttpRequest, HttpResponse, Link, LinkKind,
    LinkState, Method, Network, Progress, Run, TaskError,
};
use atspec::{Client, ParamError};
use task_support::{MODEM, Urc, XRead, XSet, rig, step};
use tokio::io::AsyncWrite;

/// A made-up modem: "+XSET=<n>" selects, "+XREAD" returns the body.
struct Modem {
    client: Client<Urc>,
}

impl Driver for Modem {
    const NAME: &'static str = MODEM;
    type Urc = Urc;
    fn client(&self) -> &Client<Urc> {
        &self.client
    }
}

impl Http for Modem {
    const HTTP: HttpOptions = HttpOptions {
        methods: &[Method::Get],
        https: false,
        request_headers: false,
        max_body: None,
        range: false,
        response_headers: false,
    };

    // Implemented as `async fn`: the futures are checked to be `Send` as the trait
    // asks.
    async fn request<'a, W>(
        &'a self,
        mut request: HttpRequest<'a>,
        sink: &'a mut W,
    ) -> Result<HttpResponse, TaskError>
    where
        W: AsyncWrite + Unpin + Send + ?Sized + 'a,
    {
        let mut run = Run::new(
            self.client(),
            Self::NAME,
            "http.request",
            request.timeout_value(),
        );
        if !Self::HTTP.methods.contains(&request.method()) {
            return Err(run.unsupported(format!("method {}", request.method())));
        }
        let parts = request
            .url_parts()
            .map_err(|why| run.error(atspec::TaskErrorKind::Input { what: "url", why }))?;
        let selector = run.fit::<u8>("url path length", parts.path.len() as u64)?;
        run.step("+XSET");
        let select = run.built("url", XSet::new(selector))?;
        run.send(&select).await?;
        run.step("+XREAD");
        let mut sink = CountingWriter::new(sink, request.progress());
        let result = run.download(&XRead, &mut sink).await;
        let result = result.map(|(length, received)| HttpResponse {
            modem: Self::NAME,
            status: Some(200),
            length: Some(length as u64),
            headers: Vec::new(),
            received,
        });
        run.finish(result)
    }
}

impl Network for Modem {
    const LINKS: &'static [LinkKind] = &[LinkKind::Cellular];

    // The other shape generated code may take: a plain fn returning an async block.
    fn connect(
        &self,
        link: &Link,
        timeout: Option<Duration>,
    ) -> impl Future<Output = Result<LinkState, TaskError>> + Send {
        let apn_len = link.apn().map(str::len);
        async move {
            let mut run = Run::new(self.client(), Self::NAME, "network.connect", timeout);
            let Some(apn_len) = apn_len else {
                return Err(run.unsupported("Wi-Fi link"));
            };
            run.step("+XSET");
            let select: Result<XSet, ParamError> =
                XSet::new(run.fit("apn length", apn_len as u64)?);
            run.send(&run.built("apn", select)?).await?;
            // Work after the last await keeps the async block.
            Ok(LinkState {
                up: true,
                address: None,
            })
        }
    }

    async fn link_state(&self) -> Result<LinkState, TaskError> {
        Ok(LinkState::default())
    }

    async fn disconnect(&self) -> Result<(), TaskError> {
        Ok(())
    }
}

/// User code: the same for every modem with HTTP.
async fn download(
    modem: &impl Http,
    url: &str,
) -> Result<(HttpResponse, Vec<u8>, Vec<Progress>), TaskError> {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    let mut body = Vec::new();
    let request = HttpRequest::get(url).on_progress(move |p| log.lock().unwrap().push(p));
    let response = modem
        .request(request, &mut body)
        .await?
        .error_for_status()?;
    let seen = seen.lock().unwrap().clone();
    Ok((response, body, seen))
}

fn assert_send<T: Send>(_: &T) {}

#[tokio::test]
async fn a_generic_download_runs_the_modems_steps_and_reports_progress() {
    let (client, _modem) = rig(vec![
        step("AT+XSET=6", b"\r\nOK\r\n"),
        step("AT+XREAD", b"\r\n+XREAD: 5\r\nhello\r\nOK\r\n"),
    ]);
    let modem = Modem { client };
    let (response, body, seen) = download(&modem, "http://host/a.txt").await.unwrap();
    assert_eq!(response.to_string(), "200 OK, 5 bytes");
    assert_eq!(body, b"hello");
    assert_eq!(
        seen.last(),
        Some(&Progress {
            done: 5,
            total: None
        })
    );
    let mut sink = Vec::new();
    assert_send(&modem.get("http://h/", &mut sink));
    assert_send(&modem.connect(&Link::cellular("apn"), None));
}

#[tokio::test]
async fn options_the_modem_lacks_and_inputs_it_cannot_take_are_refused_before_sending() {
    let (client, modem_end) = rig(vec![]);
    let modem = Modem { client };
    let mut sink = Vec::new();
    let e = modem
        .request(HttpRequest::post("http://h/").body_bytes(b"x"), &mut sink)
        .await
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "testmodem http.request: the modem does not support method POST"
    );
    let e = modem.get("ftp://h/", &mut sink).await.unwrap_err();
    assert!(
        e.to_string()
            .starts_with("testmodem http.request: cannot take url: the scheme"),
        "{e}"
    );
    let long = format!("http://h/{}", "a".repeat(300));
    let e = modem.get(&long, &mut sink).await.unwrap_err();
    assert_eq!(
        e.to_string(),
        "testmodem http.request: cannot take url path length: 301 is more than the modem takes (at most 255)"
    );
    let e = modem
        .get(&format!("http://h/{}", "a".repeat(150)), &mut sink)
        .await
        .unwrap_err();
    assert!(
        e.to_string()
            .contains("step \"+XSET\": cannot take url: parameter `value`"),
        "{e}"
    );
    let e = modem
        .connect(&Link::wifi("net", "pw"), None)
        .await
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "testmodem network.connect: the modem does not support Wi-Fi link"
    );
    drop(modem);
    assert!(modem_end.await.unwrap().is_empty(), "nothing was sent");
}
