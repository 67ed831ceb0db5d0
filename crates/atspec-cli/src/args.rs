//! The command line: the connection options every modem-facing subcommand shares,
//! and the subcommands.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Typed AT commands, HTTP and FTP transfers, log decoding and an emulator, for
/// every modem the atspec specs describe.
#[derive(Debug, Parser)]
#[command(
    name = "atspec",
    version,
    propagate_version = true,
    after_help = crate::exit::EXIT_STATUS_HELP
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// How to reach the modem.
#[derive(Debug, Clone, Args)]
pub struct Connection {
    /// A serial port (`/dev/ttyUSB0`, `COM3`).
    #[arg(long, global = true, value_name = "DEV", conflicts_with_all = ["tcp", "emulate"])]
    pub port: Option<String>,
    /// The serial port's speed.
    #[arg(long, global = true, default_value_t = 115_200, value_name = "N")]
    pub baud: u32,
    /// Serial flow control.
    #[arg(long, global = true, value_enum, default_value_t = Flow::None)]
    pub flow: Flow,
    /// A modem's line on TCP (a serial server, the standing emulator).
    #[arg(
        long,
        global = true,
        value_name = "HOST:PORT",
        conflicts_with = "emulate"
    )]
    pub tcp: Option<String>,
    /// An emulated modem in this process, with its own loopback HTTP and FTP(S)
    /// servers: no hardware needed. A URL or FTP path starting with `/` names those
    /// servers.
    #[arg(long, global = true, value_name = "MODEM")]
    pub emulate: Option<String>,
    /// The spec package of the modem (`atspec identify` tells); implied by
    /// `--emulate`.
    #[arg(long, global = true, value_name = "PACKAGE")]
    pub modem: Option<String>,
    /// Print the serial transcript on stderr, secrets redacted.
    #[arg(short, long, global = true)]
    pub verbose: bool,
}

/// Serial flow control.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Flow {
    /// None: TX and RX only.
    None,
    /// RTS/CTS.
    Hardware,
}

/// The data link, for subcommands that bring it up.
#[derive(Debug, Clone, Args)]
pub struct LinkArgs {
    /// Cellular access point name.
    #[arg(long, global = true, conflicts_with = "ssid")]
    pub apn: Option<String>,
    /// Cellular user name.
    #[arg(long, global = true, requires = "apn")]
    pub apn_user: Option<String>,
    /// Cellular password.
    #[arg(long, global = true, requires = "apn")]
    pub apn_password: Option<String>,
    /// Wi-Fi network.
    #[arg(long, global = true)]
    pub ssid: Option<String>,
    /// Wi-Fi password.
    #[arg(long, global = true, requires = "ssid")]
    pub password: Option<String>,
}

/// What `atspec http --help` says before the exit statuses.
const HTTP_NOTE: &str = "\
With --emulate, a URL without a host names the emulator's servers: `/get` and
`http:///get` its HTTP server, `https:///get` its HTTPS server. Without --apn or
--ssid the emulated modem joins the emulator's network; a real one's link is taken
to be up.";

/// What `atspec ftp --help` says before the exit statuses.
const FTP_NOTE: &str = "\
URLs: ftp://[user[:password]@]host[:port]/path, ftps://... (explicit TLS; --implicit
for implicit). No user logs in anonymously; user and password are percent-decoded.
With --emulate, a URL without a host (`/path`, `ftps:///path`) names the emulator's
FTP server and its account; its folder starts empty in each run.";

/// `note`, then the exit statuses.
fn with_exit_statuses(note: &str) -> String {
    format!("{note}\n\n{}", crate::exit::EXIT_STATUS_HELP)
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// List serial ports, with USB vendor and product where known.
    Ports {
        /// One JSON object per port.
        #[arg(long)]
        json: bool,
    },
    /// Ask the module who it is and name the spec package that fits.
    Identify {
        /// How to reach the modem.
        #[command(flatten)]
        connection: Connection,
        /// Print the answer as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Check a command line against the spec, send it and print every answer line typed.
    At {
        /// How to reach the modem.
        #[command(flatten)]
        connection: Connection,
        /// The command line (`AT+CSQ`).
        line: String,
        /// Send a line no spec declares, unchecked.
        #[arg(long)]
        raw: bool,
        /// Data an uploading command sends after its prompt (`@FILE` reads a file).
        #[arg(long, value_name = "TEXT|@FILE")]
        data: Option<String>,
        /// Print the answer as JSON.
        #[arg(long)]
        json: bool,
    },
    /// An HTTP request through the modem's own HTTP client.
    Http(HttpArgs),
    /// FTP(S) through the modem's own FTP client.
    Ftp(FtpArgs),
    /// Explain every line of a captured session.
    ///
    /// The capture's format is told from its bytes: lines prefixed `> ` (host) and
    /// `< ` (modem); an echo-on text dump, where a line starting with AT is the host's
    /// command; or raw bytes, whose payloads are counted byte for byte. Without
    /// `--modem` the package whose specs read the most lines is used, and named.
    /// Exit status: 0 when nothing is amiss, 1 when anomalies are marked (`!!`), 2
    /// when the capture cannot be read or the package is unknown.
    Decode {
        /// The spec package of the modem in the capture.
        #[arg(long, value_name = "PACKAGE")]
        modem: Option<String>,
        /// The capture (`-` reads stdin).
        file: PathBuf,
        /// One JSON object per line.
        #[arg(long)]
        json: bool,
        /// Show secrets (passwords, Wi-Fi keys) instead of `***`.
        #[arg(long)]
        show_secrets: bool,
    },
    /// An interactive terminal: line editing, history, command completion, answers decoded.
    Term {
        /// How to reach the modem.
        #[command(flatten)]
        connection: Connection,
    },
    /// Run the standing emulator: one emulated modem on a pseudo-terminal or a TCP
    /// port, and its loopback servers, until Ctrl+C.
    Emulate(EmulateArgs),
}

/// `atspec http`.
#[derive(Debug, Args)]
#[command(after_help = with_exit_statuses(HTTP_NOTE))]
pub struct HttpArgs {
    /// The method.
    #[arg(value_enum)]
    pub method: HttpMethod,
    /// The URL (`/path` names the emulator's server with `--emulate`).
    pub url: String,
    /// Write the body to FILE instead of stdout.
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The request body (`@FILE` reads a file).
    #[arg(short, long, value_name = "TEXT|@FILE")]
    pub data: Option<String>,
    /// A request header (`Name: value`), repeatable.
    #[arg(short = 'H', long = "header", value_name = "NAME: VALUE")]
    pub headers: Vec<String>,
    /// How long the whole request may take, in seconds.
    #[arg(long, value_name = "SECONDS")]
    pub timeout: Option<u64>,
    /// Print the status and headers as JSON on stderr.
    #[arg(long)]
    pub json: bool,
    /// How to reach the modem.
    #[command(flatten)]
    pub connection: Connection,
    /// The data link.
    #[command(flatten)]
    pub link: LinkArgs,
}

/// HTTP methods.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HttpMethod {
    /// GET.
    Get,
    /// POST.
    Post,
    /// PUT.
    Put,
    /// DELETE.
    Delete,
    /// HEAD.
    Head,
}

/// `atspec ftp`.
#[derive(Debug, Args)]
#[command(after_help = with_exit_statuses(FTP_NOTE))]
pub struct FtpArgs {
    /// The operation.
    #[command(subcommand)]
    pub op: FtpOp,
    /// Implicit TLS for `ftps://` (default: explicit).
    #[arg(long, global = true)]
    pub implicit: bool,
    /// Active mode instead of passive.
    #[arg(long, global = true)]
    pub active: bool,
    /// Print data as JSON.
    #[arg(long, global = true)]
    pub json: bool,
    /// How to reach the modem.
    #[command(flatten)]
    pub connection: Connection,
    /// The data link.
    #[command(flatten)]
    pub link: LinkArgs,
}

/// FTP operations, each on `ftp://user:pass@host[:port]/path` or `ftps://…`.
#[derive(Debug, Subcommand)]
pub enum FtpOp {
    /// List a directory.
    Ls {
        /// The directory's URL.
        url: String,
    },
    /// Download a file.
    Get {
        /// The file's URL.
        url: String,
        /// Where to write it (default: stdout).
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Continue a cut download: start after the bytes `--output` already holds.
        #[arg(long, requires = "output")]
        resume: bool,
    },
    /// Upload a file.
    Put {
        /// The local file.
        file: PathBuf,
        /// The target URL.
        url: String,
        /// Continue a cut upload: start after the bytes the server already holds.
        #[arg(long)]
        resume: bool,
    },
    /// Delete a file.
    Rm {
        /// The file's URL.
        url: String,
    },
    /// Make a directory.
    Mkdir {
        /// The directory's URL.
        url: String,
    },
    /// Remove a directory.
    Rmdir {
        /// The directory's URL.
        url: String,
    },
    /// A file's size in bytes.
    Size {
        /// The file's URL.
        url: String,
    },
    /// Rename a file.
    Mv {
        /// The file's URL.
        url: String,
        /// The new path on the same server.
        to: String,
    },
}

/// `atspec emulate`.
#[derive(Debug, Args)]
#[command(after_help = atspec_emulator::serve::USAGE)]
pub struct EmulateArgs {
    /// The module to emulate.
    pub modem: String,
    /// The emulator's own options (`--pty`, `--tcp ADDR`, `--ftp MODE`, `--echo`,
    /// `--chunks`, `--baud`, `--inject-urc`, `--delay-ms`, `--fault`, ...).
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    pub options: Vec<String>,
}
