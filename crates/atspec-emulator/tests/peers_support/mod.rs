//! Real servers for the interop tests: vsftpd and nginx from the system's packages, each
//! started on free loopback ports from a configuration written into a temporary folder,
//! with a certificate generated at run time, and stopped when dropped. The modules reach
//! them through the standing emulator (`atspec emulate`), as a user's firmware would.
//!
//! A server that is not installed (or, for vsftpd, a run without root or without the
//! test account) skips its test with a message, unless `ATSPEC_REQUIRE_PEERS=1`, where
//! it fails: `.ci/peers.sh` installs both and adds the account.

#![allow(dead_code)] // Each test binary uses its own share of these.

use std::fs;
use std::io::Write as _;
use std::net::TcpListener;
use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use atspec::task::{FtpSecurity, FtpServer as Login, Link, LinkKind, Network};
use atspec_emulator::client::ftp::FtpTls;
use atspec_emulator::modem::ModemOptions;
use atspec_emulator::modems::cellular::NetworkOptions;
use atspec_emulator::serve::{Listen, ServeOptions, Serving, Vendor, default_link, start};
use atspec_emulator::tls::TestCertificate;
use sha2::{Digest, Sha256};
use tokio::net::TcpStream;

/// The local account the vsftpd tests log in as (made by `.ci/peers.sh`).
pub const FTP_USER: &str = "atspec-ftp";
/// Its password.
pub const FTP_PASSWORD: &str = "atspec-peers";
/// The account nginx asks for under `/private/`.
pub const HTTP_USER: &str = "atspec";
/// Its password.
pub const HTTP_PASSWORD: &str = "peer-secret";

/// How long a server may take to listen.
const START_LIMIT: Duration = Duration::from_secs(15);

/// The SHA-256 of `bytes` in hex.
pub fn sha(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether missing servers fail the tests instead of skipping them.
fn required() -> bool {
    std::env::var_os("ATSPEC_REQUIRE_PEERS").is_some_and(|v| v == "1")
}

/// Skips the calling test, saying why; fails it when peers are required.
fn skip<T>(test: &str, why: &str) -> Option<T> {
    assert!(
        !required(),
        "{test}: ATSPEC_REQUIRE_PEERS=1, but {why} (run .ci/peers.sh as root)"
    );
    // Straight to stderr: the test harness would hide a passing test's eprintln!.
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED {test}: {why}; run .ci/peers.sh as root to test against real servers"
    );
    None
}

/// The installed program `name`, looked for where Debian puts daemons and on `PATH`.
fn program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    ["/usr/sbin", "/usr/bin", "/sbin"]
        .into_iter()
        .map(PathBuf::from)
        .chain(std::env::split_paths(&path))
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

/// A loopback port nobody listens on now.
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

/// A temporary folder every account can enter (the servers' workers run as others).
fn open_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::set_permissions(dir.path(), fs::Permissions::from_mode(0o755)).unwrap();
    dir
}

/// Writes the certificate and key the servers present into `dir`.
fn write_certificate(dir: &Path, cert: &TestCertificate) -> (PathBuf, PathBuf) {
    let (cert_file, key_file) = (dir.join("cert.pem"), dir.join("key.pem"));
    fs::write(&cert_file, cert.cert_pem()).unwrap();
    fs::write(&key_file, cert.key_pem()).unwrap();
    (cert_file, key_file)
}

/// A started server process: stopped and reaped when dropped.
struct Process {
    child: Child,
    name: &'static str,
    log: PathBuf,
}

impl Process {
    /// Starts `command` and waits until every port in `ports` accepts connections.
    fn start(name: &'static str, mut command: Command, log: PathBuf, ports: &[u16]) -> Self {
        let output = fs::File::create(log.with_extension("out")).unwrap();
        let child = command
            .stdin(Stdio::null())
            .stdout(output.try_clone().unwrap())
            .stderr(output)
            .spawn()
            .unwrap_or_else(|e| panic!("{name} does not start: {e}"));
        let mut process = Self { child, name, log };
        let started = Instant::now();
        for &port in ports {
            while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
                if let Some(status) = process.child.try_wait().unwrap() {
                    panic!("{name} exited ({status}): {}", process.logs());
                }
                assert!(
                    started.elapsed() < START_LIMIT,
                    "{name} does not listen on {port}: {}",
                    process.logs()
                );
                std::thread::sleep(Duration::from_millis(20));
            }
        }
        process
    }

    /// What the server wrote, for failure messages.
    fn logs(&self) -> String {
        let read = |p: &Path| fs::read_to_string(p).unwrap_or_default();
        format!(
            "output {:?}, log {:?}",
            read(&self.log.with_extension("out")),
            read(&self.log)
        )
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        if std::thread::panicking() {
            eprintln!("{}: {}", self.name, self.logs());
        }
    }
}

/// vsftpd on a loopback port in one security, `force_local_data_ssl` and
/// `force_local_logins_ssl` on in the FTPS modes, serving a temporary folder.
pub struct Vsftpd {
    security: FtpSecurity,
    port: u16,
    root: PathBuf,
    cert: TestCertificate,
    _process: Process,
    _dir: tempfile::TempDir,
}

impl Vsftpd {
    /// Starts vsftpd, or says why the calling `test` is skipped.
    pub fn start(test: &str, security: FtpSecurity) -> Option<Self> {
        let Some(vsftpd) = program("vsftpd") else {
            return skip(test, "vsftpd is not installed");
        };
        let dir = open_dir();
        // Local logins need root: vsftpd changes to the account after PAM checks it.
        if fs::metadata(dir.path()).unwrap().uid() != 0 {
            return skip(test, "vsftpd's local logins need the tests to run as root");
        }
        let Some(uid) = account_uid(FTP_USER) else {
            return skip(test, &format!("the account {FTP_USER} does not exist"));
        };
        let root = dir.path().join("root");
        let empty = dir.path().join("empty");
        fs::create_dir(&root).unwrap();
        fs::create_dir(&empty).unwrap();
        std::os::unix::fs::chown(&root, Some(uid), None).unwrap();
        let cert = TestCertificate::generate();
        let (cert_file, key_file) = write_certificate(dir.path(), &cert);
        let port = free_port();
        let log = dir.path().join("vsftpd.log");
        let tls = match security {
            FtpSecurity::Plain => "ssl_enable=NO\n".to_owned(),
            secure => format!(
                "ssl_enable=YES\nrsa_cert_file={}\nrsa_private_key_file={}\n\
                 force_local_data_ssl=YES\nforce_local_logins_ssl=YES\n\
                 ssl_ciphers=HIGH\nimplicit_ssl={}\n",
                cert_file.display(),
                key_file.display(),
                if secure == FtpSecurity::Implicit {
                    "YES"
                } else {
                    "NO"
                }
            ),
        };
        // Foreground, no seccomp sandbox and no namespaces: what works as root in a
        // container. The session is chrooted into the served folder (the SIM800 names
        // files from `/`), which the account may write to.
        let config = format!(
            "listen=YES\nlisten_address=127.0.0.1\nlisten_port={port}\nbackground=NO\n\
             seccomp_sandbox=NO\nisolate=NO\nisolate_network=NO\n\
             anonymous_enable=NO\nlocal_enable=YES\nwrite_enable=YES\nlocal_umask=022\n\
             local_root={}\nchroot_local_user=YES\nallow_writeable_chroot=YES\nsecure_chroot_dir={}\npam_service_name=vsftpd\n\
             xferlog_enable=YES\nvsftpd_log_file={}\nlog_ftp_protocol=YES\n{tls}",
            root.display(),
            empty.display(),
            log.display(),
        );
        let config_file = dir.path().join("vsftpd.conf");
        fs::write(&config_file, config).unwrap();
        let mut command = Command::new(vsftpd);
        command.arg(&config_file);
        let process = Process::start("vsftpd", command, log, &[port]);
        Some(Self {
            security,
            port,
            root,
            cert,
            _process: process,
            _dir: dir,
        })
    }

    /// How a module logs in.
    pub fn login(&self) -> Login {
        Login::new("127.0.0.1")
            .port(self.port)
            .login(FTP_USER, FTP_PASSWORD)
            .security(self.security)
    }

    /// The folder vsftpd serves.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The certificate it presents.
    pub fn certificate(&self) -> &TestCertificate {
        &self.cert
    }

    /// Its security.
    pub fn security(&self) -> FtpSecurity {
        self.security
    }

    /// Puts `data` as `name` into the served folder, readable by the FTP account.
    pub fn put_file(&self, name: &str, data: &[u8]) {
        fs::write(self.root.join(name), data).unwrap();
    }
}

/// The numeric id of the local account `name`.
fn account_uid(name: &str) -> Option<u32> {
    let out = Command::new("getent")
        .args(["passwd", name])
        .output()
        .ok()?;
    let line = String::from_utf8(out.stdout).ok()?;
    line.split(':').nth(2)?.trim().parse().ok()
}

/// nginx on two loopback ports, HTTP and HTTPS, serving a temporary folder: files by
/// GET, PUT into it (WebDAV), `/private/` behind basic authentication, and `/post`,
/// which keeps each request body in a file of its own (passing the request on to a
/// location that answers `200 stored`).
pub struct Nginx {
    http_port: u16,
    https_port: u16,
    root: PathBuf,
    posted: PathBuf,
    _process: Process,
    _dir: tempfile::TempDir,
}

impl Nginx {
    /// Starts nginx, or says why the calling `test` is skipped.
    pub fn start(test: &str) -> Option<Self> {
        let Some(nginx) = program("nginx") else {
            return skip(test, "nginx is not installed");
        };
        let dir = open_dir();
        let root = dir.path().join("www");
        let temp = dir.path().join("temp");
        let posted = dir.path().join("posted");
        for folder in [&root, &root.join("private"), &temp, &posted] {
            fs::create_dir(folder).unwrap();
            // Workers run as another account: they read and write here.
            fs::set_permissions(folder, fs::Permissions::from_mode(0o777)).unwrap();
        }
        let cert = TestCertificate::generate();
        let (cert_file, key_file) = write_certificate(dir.path(), &cert);
        let users = dir.path().join("users");
        fs::write(&users, format!("{HTTP_USER}:{{PLAIN}}{HTTP_PASSWORD}\n")).unwrap();
        let (http_port, https_port) = (free_port(), free_port());
        let log = dir.path().join("error.log");
        let temp_paths: String = ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]
            .iter()
            .map(|kind| format!("{kind}_temp_path {};\n", temp.join(kind).display()))
            .collect();
        let config = format!(
            "daemon off;\nworker_processes 1;\npid {pid};\nerror_log {log} info;\n\
             events {{ worker_connections 64; }}\n\
             http {{\n access_log off;\n default_type application/octet-stream;\n\
             client_max_body_size 4m;\n{temp_paths}\
             server {{\n  listen 127.0.0.1:{http_port};\n  listen 127.0.0.1:{https_port} ssl;\n\
             ssl_certificate {cert};\n  ssl_certificate_key {key};\n  root {root};\n\
             dav_methods PUT;\n  create_full_put_path on;\n  dav_access user:rw all:rw;\n\
             location /private/ {{ auth_basic atspec; auth_basic_user_file {users}; }}\n\
             location = /post {{ client_body_in_file_only on; client_body_temp_path {posted};\n\
             proxy_pass http://127.0.0.1:{http_port}/stored; }}\n\
             location = /stored {{ return 200 stored; }}\n }}\n}}\n",
            pid = dir.path().join("nginx.pid").display(),
            log = log.display(),
            cert = cert_file.display(),
            key = key_file.display(),
            root = root.display(),
            users = users.display(),
            posted = posted.display(),
        );
        let config_file = dir.path().join("nginx.conf");
        fs::write(&config_file, config).unwrap();
        let mut command = Command::new(nginx);
        command
            .arg("-p")
            .arg(dir.path())
            .arg("-c")
            .arg(&config_file)
            .arg("-e")
            .arg(&log);
        let process = Process::start("nginx", command, log, &[http_port, https_port]);
        Some(Self {
            http_port,
            https_port,
            root,
            posted,
            _process: process,
            _dir: dir,
        })
    }

    /// The `http://` URL of `path`.
    pub fn http(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.http_port)
    }

    /// The `https://` URL of `path`.
    pub fn https(&self, path: &str) -> String {
        format!("https://127.0.0.1:{}{path}", self.https_port)
    }

    /// The folder nginx serves.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// The bodies `/post` took since the last call (each in a file nginx named), and
    /// forgets them.
    pub fn take_posted(&self) -> Vec<Vec<u8>> {
        let mut bodies = Vec::new();
        for entry in walk(&self.posted) {
            bodies.push(fs::read(&entry).unwrap());
            fs::remove_file(entry).unwrap();
        }
        bodies
    }

    /// Puts `data` as `path` (relative) into the served folder.
    pub fn put_file(&self, path: &str, data: &[u8]) {
        let file = self.root.join(path);
        fs::write(&file, data).unwrap();
        fs::set_permissions(&file, fs::Permissions::from_mode(0o666)).unwrap();
    }
}

/// The files under `dir`, in subfolders too (nginx spreads its body files).
fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

/// The standing emulator of `vendor`, as `atspec emulate <vendor> --tcp` starts it.
pub async fn standing(vendor: Vendor) -> Serving {
    start(ServeOptions {
        vendor,
        listen: Listen::Tcp("127.0.0.1:0".parse().unwrap()),
        modem: ModemOptions::default(),
        ftp_tls: FtpTls::Plain,
        network: NetworkOptions::default(),
        fault: None,
    })
    .await
    .unwrap()
}

/// A fresh connection to the standing emulator's module, opened as a user's host does.
pub async fn line(serving: &Serving) -> TcpStream {
    atspec::transport::tcp(serving.modem_addr().unwrap())
        .await
        .unwrap()
}

/// A fresh module of `serving`, driven by the modem `driver` makes, its link up.
pub async fn linked<M: Network + Sync>(
    serving: &Serving,
    kind: LinkKind,
    driver: fn(TcpStream) -> M,
) -> M {
    let modem = driver(line(serving).await);
    let link: Link = default_link(kind);
    let state = modem.connect(&link, None).await.unwrap();
    assert!(state.up, "the link is up after connect");
    modem
}
