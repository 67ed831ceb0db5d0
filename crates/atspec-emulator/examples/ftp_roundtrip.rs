//! Uploads a file, reads its size, downloads it back, compares and deletes it,
//! through any modem with the FTP task: the same code for the SIM800, A76XX and
//! EC200U, the modem and the security chosen on the command line.
//!
//! ```sh
//! cargo run -p atspec-emulator --example ftp_roundtrip -- a76xx              # emulated, loopback server
//! cargo run -p atspec-emulator --example ftp_roundtrip -- ec200u --security implicit
//! cargo run -p atspec-emulator --example ftp_roundtrip -- sim800 --serial /dev/ttyUSB0 \
//!     --host ftp.example.com --user me --password secret
//! ```

use std::error::Error;
use std::time::Duration;

use atspec::task::{Ftp, FtpSecurity, FtpServer, Link, Network, Progress, Transfer};
use tokio::io::{AsyncRead, AsyncWrite};

/// The whole job, for any modem with the network and FTP tasks.
async fn roundtrip<M: Network + Ftp + Sync>(
    modem: &M,
    link: &Link,
    server: &FtpServer,
    path: &str,
    data: &[u8],
) -> Result<(), Box<dyn Error>> {
    modem.connect(link, Some(Duration::from_secs(120))).await?;
    let bar = |what: &'static str| {
        move |p: Progress| {
            eprint!(
                "\r{what} {} of {} bytes",
                p.done,
                p.total.map_or("?".into(), |t| t.to_string())
            )
        }
    };
    let len = data.len() as u64;
    modem
        .ftp_put(
            server,
            path,
            &mut &data[..],
            len,
            Transfer::new().on_progress(bar("put")),
        )
        .await?;
    eprintln!(
        "\nthe server holds {} bytes",
        modem.ftp_size(server, path).await?
    );
    let mut back = Vec::new();
    modem
        .ftp_get(
            server,
            path,
            &mut back,
            Transfer::new().on_progress(bar("get")),
        )
        .await?;
    eprintln!();
    if back != data {
        return Err(format!("{path} came back different ({} bytes)", back.len()).into());
    }
    modem.ftp_delete(server, path).await?;
    Ok(())
}

// Argument parsing and transports: not part of the job above.

fn arg(args: &[String], flag: &str) -> Option<String> {
    args.iter()
        .position(|a| a == flag)
        .and_then(|i| args.get(i + 1))
        .cloned()
}

fn security(args: &[String]) -> Result<FtpSecurity, Box<dyn Error>> {
    match arg(args, "--security").as_deref() {
        None | Some("plain") => Ok(FtpSecurity::Plain),
        Some("explicit") => Ok(FtpSecurity::Explicit),
        Some("implicit") => Ok(FtpSecurity::Implicit),
        Some(other) => {
            Err(format!("unknown security `{other}`: plain, explicit or implicit").into())
        }
    }
}

async fn run_on<T>(
    modem: &str,
    transport: T,
    server: &FtpServer,
    args: &[String],
) -> Result<(), Box<dyn Error>>
where
    T: AsyncRead + AsyncWrite + Send + 'static,
{
    let link = Link::cellular(arg(args, "--apn").unwrap_or_else(|| "internet".to_owned()));
    let path = arg(args, "--path").unwrap_or_else(|| "atspec-roundtrip.bin".to_owned());
    let data = atspec_emulator::payload(64 * 1024, 42);
    match modem {
        "sim800" => {
            roundtrip(
                &atspec_sim800::Modem::new(transport),
                &link,
                server,
                &path,
                &data,
            )
            .await
        }
        "a76xx" => {
            roundtrip(
                &atspec_a76xx::Modem::new(transport),
                &link,
                server,
                &path,
                &data,
            )
            .await
        }
        "ec200u" => {
            roundtrip(
                &atspec_ec200u::Modem::new(transport),
                &link,
                server,
                &path,
                &data,
            )
            .await
        }
        other => Err(format!("unknown modem `{other}`: sim800, a76xx or ec200u").into()),
    }
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let which = args.first().cloned().unwrap_or_else(|| "a76xx".to_owned());
    let security = security(&args)?;
    let given = |host: String| {
        let mut server = FtpServer::new(host).security(security);
        if let Some(user) = arg(&args, "--user") {
            server = server.login(user, arg(&args, "--password").unwrap_or_default());
        }
        match arg(&args, "--port").and_then(|p| p.parse().ok()) {
            Some(port) => server.port(port),
            None => server,
        }
    };
    if let Some(address) = arg(&args, "--tcp") {
        let server = given(arg(&args, "--host").ok_or("a server is needed with --tcp: --host")?);
        run_on(
            &which,
            atspec::transport::tcp(address).await?,
            &server,
            &args,
        )
        .await?;
    } else if let Some(path) = arg(&args, "--serial") {
        let server = given(arg(&args, "--host").ok_or("a server is needed with --serial: --host")?);
        let port = atspec::transport::serial(&path, &atspec::transport::SerialSettings::default())?;
        run_on(&which, port, &server, &args).await?;
    } else {
        // No hardware: an emulated module and a loopback FTP(S) server in this process.
        use atspec_emulator::backend::ftp::{FtpOptions, FtpServer as Loopback};
        use atspec_emulator::{modem, modems};
        let options = match security {
            FtpSecurity::Plain => FtpOptions::plain(),
            FtpSecurity::Explicit => FtpOptions::explicit_tls(),
            FtpSecurity::Implicit => FtpOptions::implicit_tls(),
        };
        let loopback = Loopback::start(options).await;
        let trust = loopback.certificate().map(|c| c.client_config());
        let server = FtpServer::new("127.0.0.1")
            .port(loopback.port())
            .login(loopback.user(), loopback.password())
            .security(security);
        let (host, module) = tokio::io::duplex(1 << 16);
        let options = modem::ModemOptions::default();
        match which.as_str() {
            "sim800" => {
                let mut m = modems::sim800_ftp::Sim800Ftp::new();
                if let Some(trust) = trust {
                    m = m.with_tls_config(trust);
                }
                modem::spawn(m, module, options);
            }
            "ec200u" => {
                let mut m = modems::ec200u::Ec200u::new();
                if let Some(trust) = trust {
                    m = m.trusting(trust);
                }
                modem::spawn(m, module, options);
            }
            _ => {
                let mut m = modems::a76xx::A76xx::new();
                if let Some(trust) = trust {
                    m = m.with_tls(trust);
                }
                modem::spawn(m, module, options);
            }
        }
        run_on(&which, host, &server, &args).await?;
    }
    eprintln!("put, size, get and delete done: the file came back whole");
    Ok(())
}
