//! Downloads a URL through any modem with the HTTP task: the same code for the
//! SIM800 and ESP-AT, the modem chosen on the command line.
//!
//! ```sh
//! cargo run -p atspec-emulator --example http_get -- sim800            # emulated, loopback server
//! cargo run -p atspec-emulator --example http_get -- esp-at URL --tcp 127.0.0.1:7000
//! cargo run -p atspec-emulator --example http_get -- sim800 URL --serial /dev/ttyUSB0
//! ```

use std::error::Error;
use std::time::Duration;

use atspec::task::{Http, HttpRequest, Link, Network};
use tokio::io::{AsyncRead, AsyncWrite};

/// The whole job, for any modem with the network and HTTP tasks.
async fn download<M: Network + Http + Sync>(
    modem: &M,
    link: &Link,
    url: &str,
) -> Result<Vec<u8>, Box<dyn Error>> {
    let state = modem.connect(link, Some(Duration::from_secs(60))).await?;
    eprintln!("link up, address {:?}", state.address);
    let request =
        HttpRequest::get(url).on_progress(|p| eprint!("\r{} of {:?} bytes", p.done, p.total));
    let mut body = Vec::new();
    let response = modem.request(request, &mut body).await?;
    eprintln!("\n{response}");
    response.error_for_status()?;
    Ok(body)
}

// Argument parsing and transports: not part of the 25 lines above.

fn arg(args: &[String], flag: &str) -> Option<String> {
    args.iter()
        .position(|a| a == flag)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

async fn run_on<T>(
    modem: &str,
    transport: T,
    args: &[String],
    url: &str,
) -> Result<Vec<u8>, Box<dyn Error>>
where
    T: AsyncRead + AsyncWrite + Send + 'static,
{
    let ssid = arg(args, "--ssid")
        .unwrap_or_else(|| atspec_emulator::modems::esp_at::DEFAULT_SSID.to_owned());
    let password = arg(args, "--password")
        .unwrap_or_else(|| atspec_emulator::modems::esp_at::DEFAULT_PASSWORD.to_owned());
    let apn = arg(args, "--apn").unwrap_or_else(|| "internet".to_owned());
    match modem {
        "sim800" => {
            download(
                &atspec_sim800::Modem::new(transport),
                &Link::cellular(apn),
                url,
            )
            .await
        }
        "esp-at" => {
            download(
                &atspec_esp_at::Modem::new(transport),
                &Link::wifi(ssid, password),
                url,
            )
            .await
        }
        other => Err(format!("unknown modem `{other}`: sim800 or esp-at").into()),
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let which = args.first().cloned().unwrap_or_else(|| "sim800".to_owned());
    let given_url = args.get(1).filter(|a| !a.starts_with("--")).cloned();
    let body = if let Some(address) = arg(&args, "--tcp") {
        let url = given_url.ok_or("a URL is needed with --tcp")?;
        run_on(&which, atspec::transport::tcp(address).await?, &args, &url).await?
    } else if let Some(path) = arg(&args, "--serial") {
        let url = given_url.ok_or("a URL is needed with --serial")?;
        let port = atspec::transport::serial(&path, &atspec::transport::SerialSettings::default())?;
        run_on(&which, port, &args, &url).await?
    } else {
        // No hardware: an emulated module and a loopback HTTP server in this process.
        use atspec_emulator::{backend::http::HttpServer, modem, modems};
        let server = HttpServer::start().await;
        let url = given_url.unwrap_or_else(|| server.url("/bytes/1024"));
        let (host, module) = tokio::io::duplex(1 << 16);
        let options = modem::ModemOptions::default();
        match which.as_str() {
            "esp-at" => {
                let options = modem::ModemOptions {
                    terminator: atspec_esp_at::DIALECT.terminator,
                    ..options
                };
                modem::spawn(modems::esp_at::EspAt::new(), module, options);
            }
            _ => {
                modem::spawn(modems::sim800::Sim800::new(), module, options);
            }
        }
        run_on(&which, host, &args, &url).await?
    };
    eprintln!("{} bytes received", body.len());
    Ok(())
}
