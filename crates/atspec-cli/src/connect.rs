//! Opening the modem the connection options name: a serial port, a TCP line, or
//! an emulated modem started in this process.

use std::net::SocketAddr;

use atspec::Config;
use atspec::dynamic::{AnyModem, BoxTransport, Package};
use atspec::transport::{self, FlowControl, SerialSettings};
use atspec_emulator::client::ftp::FtpTls;
use atspec_emulator::modem::{Gaps, ModemOptions};
use atspec_emulator::modems::cellular::NetworkOptions;
use atspec_emulator::serve::{Listen, ServeOptions, Serving, Vendor, start};

use crate::args::{Connection, Flow};
use crate::exit::Failure;
use crate::packages;
use crate::record::Recorder;
use crate::tap::Tap;
use crate::transcript::Transcript;

/// An open modem and what it runs on.
pub struct Session {
    /// The modem's spec package.
    pub package: &'static dyn Package,
    /// The modem, its tasks behind object-safe traits.
    pub modem: Box<dyn AnyModem>,
    /// The in-process emulator, with `--emulate`: kept alive for the command.
    pub emulator: Option<Serving>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("package", &self.package.id())
            .field("emulated", &self.emulator.is_some())
            .finish_non_exhaustive()
    }
}

/// What the in-process emulator must serve for the command at hand.
#[derive(Debug, Clone, Copy, Default)]
pub struct EmulatorSetup {
    /// The security of its FTP server.
    pub ftp_tls: FtpTls,
}

/// How the modem is reached.
enum Way<'a> {
    Serial(&'a str),
    Tcp(&'a str),
    Emulated(&'a str),
}

/// Opens the modem `connection` names. Must run inside the tokio runtime.
pub async fn open(connection: &Connection, setup: EmulatorSetup) -> Result<Session, Failure> {
    open_recorded(connection, setup, None).await
}

/// Like [`open`], and when `recorder` is given every byte each way is also kept
/// there, for explaining exchanges after they ran.
pub async fn open_recorded(
    connection: &Connection,
    setup: EmulatorSetup,
    recorder: Option<Recorder>,
) -> Result<Session, Failure> {
    // How to reach the modem is the first thing a command line must say.
    way(connection)?;
    let package = package(connection)?;
    let (line, emulator) = open_line(connection, setup).await?;
    let line: BoxTransport = match recorder {
        Some(recorder) => Box::new(Tap::new(line, recorder)),
        None => line,
    };
    let line: BoxTransport = if connection.verbose {
        let transcript = Transcript::new(package, Box::new(std::io::stderr()));
        Box::new(Tap::new(line, transcript))
    } else {
        line
    };
    let modem = package.open(line, Config::default());
    Ok(Session {
        package,
        modem,
        emulator,
    })
}

/// The line to the modem `connection` names, before any package is chosen (what
/// `identify` asks its questions on), with the in-process emulator when it runs
/// one.
pub async fn open_line(
    connection: &Connection,
    setup: EmulatorSetup,
) -> Result<(BoxTransport, Option<Serving>), Failure> {
    Ok(match way(connection)? {
        Way::Serial(port) => (Box::new(serial(port, connection)?), None),
        Way::Tcp(address) => (Box::new(tcp(address).await?), None),
        Way::Emulated(name) => {
            let serving = emulate(name, setup).await?;
            let address = serving
                .modem_addr()
                .ok_or_else(|| Failure::connection("the emulator has no TCP address"))?;
            (Box::new(tcp(&address.to_string()).await?), Some(serving))
        }
    })
}

/// How `connection` says to reach the modem.
fn way(connection: &Connection) -> Result<Way<'_>, Failure> {
    match (&connection.port, &connection.tcp, &connection.emulate) {
        (Some(port), _, _) => Ok(Way::Serial(port)),
        (None, Some(address), _) => Ok(Way::Tcp(address)),
        (None, None, Some(name)) => Ok(Way::Emulated(name)),
        (None, None, None) => Err(Failure::usage(
            "say how to reach the modem: --port DEV, --tcp HOST:PORT or --emulate MODEM",
        )),
    }
}

/// The package `--modem` names, or the one `--emulate` implies.
fn package(connection: &Connection) -> Result<&'static dyn Package, Failure> {
    match (&connection.modem, &connection.emulate) {
        (Some(name), _) => packages::find(name),
        // An emulated member of a family speaks its package's dialect.
        (None, Some(name)) => match Vendor::parse(name) {
            Some(vendor) => packages::find(vendor.dialect().name),
            None => packages::find(name),
        },
        (None, None) => Err(Failure::usage(format!(
            "name the modem's spec package with --modem PACKAGE (`atspec identify` tells); \
             known: {}",
            packages::names().join(", ")
        ))),
    }
}

fn serial(port: &str, connection: &Connection) -> Result<impl atspec::dynamic::Transport, Failure> {
    let settings = SerialSettings {
        baud_rate: connection.baud,
        flow_control: match connection.flow {
            Flow::None => FlowControl::None,
            Flow::Hardware => FlowControl::Hardware,
        },
    };
    transport::serial(port, &settings)
        .map_err(|e| Failure::connection(format!("cannot open the serial port {port}: {e}")))
}

async fn tcp(address: &str) -> Result<tokio::net::TcpStream, Failure> {
    transport::tcp(address)
        .await
        .map_err(|e| Failure::connection(format!("cannot connect to {address}: {e}")))
}

/// Starts the emulated modem `name` with its servers, listening on a free
/// loopback port.
async fn emulate(name: &str, setup: EmulatorSetup) -> Result<Serving, Failure> {
    let vendor = Vendor::parse(name).ok_or_else(|| {
        Failure::usage(format!(
            "no emulated modem is named `{name}`; known: {}",
            Vendor::NAMES.join(", ")
        ))
    })?;
    start(ServeOptions {
        vendor,
        listen: Listen::Tcp(SocketAddr::from(([127, 0, 0, 1], 0))),
        // Lines the emulator answers ERROR for want of emulation are named on stderr,
        // so they are not taken for the module's own refusals.
        modem: ModemOptions {
            gaps: Gaps::printing(),
            ..ModemOptions::default()
        },
        ftp_tls: setup.ftp_tls,
        network: NetworkOptions::default(),
        fault: None,
    })
    .await
    .map_err(|e| Failure::connection(format!("the emulator cannot start: {e}")))
}
