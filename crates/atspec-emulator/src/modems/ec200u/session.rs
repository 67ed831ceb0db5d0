//! Login (AT+QFTPOPEN, section 2.2) and the session commands answered `OK` and then
//! one `+QFTPxxx:` result line (sections 2.3, 2.4, 2.7-2.10, 2.14, 2.15, 2.18).

use atspec_ec200u::Command;
use atspec_ec200u::ftp::{
    CloseResultUrc, CwdResultUrc, DelResultUrc, FtpError, MdtmResultUrc, MkdirResultUrc,
    PwdResultUrc, RenameResultUrc, RmdirResultUrc, SizeResultUrc, TransferMode,
};

use super::Ec200u;
use super::reply::{Fail, cme, encode, saturate, timed};
use crate::client::ftp::{FtpClient, FtpConnect, FtpTls};
use crate::modem::Output;

impl Ec200u {
    /// Connects and logs in as AT+QFTPOPEN does.
    pub(super) async fn login(&self, host: &str, port: u16) -> Result<FtpClient, Fail> {
        let context_up = self
            .contexts
            .get(&self.cfg.context_id)
            .is_some_and(|p| p.active);
        // Section 4.3: 604 means the name did not resolve or the context is not active.
        if !context_up || !resolves(host, port).await {
            return Err(Fail::new(FtpError::DnsParseFailed));
        }
        let tls = match self.cfg.ssl_type.code() {
            0 => FtpTls::Plain,
            1 => FtpTls::Implicit,
            2 => FtpTls::Explicit,
            _ => return Err(Fail::new(FtpError::InvalidParameter)),
        };
        let mut options = FtpConnect::new(host, port);
        options.connect_timeout = self.rsptimeout();
        if tls != FtpTls::Plain {
            if self.cfg.transmode == TransferMode::Active {
                return Err(Fail::new(FtpError::InvalidParameter));
            }
            let config = self
                .tls_config()
                .map_err(|_| Fail::new(FtpError::SslAuthenticationFailed))?;
            options = options.with_tls(tls, config);
        }
        let mut client = FtpClient::connect(&options)
            .await
            .map_err(|e| Fail::from_client(&e, false))?;
        timed(
            self.rsptimeout(),
            client.login(&self.cfg.username, &self.cfg.password),
        )
        .await?;
        Ok(client)
    }

    /// The commands of a logged-in session answered `OK` and then one result line.
    pub(super) async fn session_command(&mut self, command: Command, out: &Output) {
        let limit = self.rsptimeout();
        let Some(ftp) = self.ftp.as_mut() else {
            cme(self.cmee, out, FtpError::NotLoggedIn.code());
            return;
        };
        out.ok();
        // The `<err>,<protocol_error>` result line of an operation's outcome.
        macro_rules! status {
            ($line:ident, $operation:expr) => {{
                let fail = timed(limit, $operation)
                    .await
                    .err()
                    .unwrap_or_else(Fail::none);
                let protocol_error = fail.protocol_error();
                encode(|o| {
                    $line {
                        err: fail.err,
                        protocol_error,
                    }
                    .encode(o)
                })
            }};
        }
        let line = match command {
            Command::QftpcloseExec(_) => match self.ftp.take() {
                Some(ftp) => status!(CloseResultUrc, ftp.quit()),
                None => return,
            },
            Command::QftpcwdWrite(c) => status!(CwdResultUrc, ftp.cwd(c.path_name())),
            Command::QftpmkdirWrite(c) => status!(MkdirResultUrc, ftp.mkdir(c.folder_name())),
            Command::QftprmdirWrite(c) => status!(RmdirResultUrc, ftp.rmdir(c.folder_name())),
            Command::QftpdelWrite(c) => status!(DelResultUrc, ftp.delete(c.file_name())),
            Command::QftprenameWrite(c) => {
                status!(RenameResultUrc, ftp.rename(c.old_name(), c.new_name()))
            }
            Command::QftppwdExec(_) => {
                let (err, path_name) = match timed(limit, ftp.pwd()).await {
                    Ok(path) => (FtpError::Success, path),
                    Err(fail) => (fail.err, fail.reply.to_string()),
                };
                encode(|o| PwdResultUrc { err, path_name }.encode(o))
            }
            Command::QftpmdtmWrite(c) => {
                let (err, modify_time) = match timed(limit, ftp.mdtm(c.file_name())).await {
                    Ok(time) => (FtpError::Success, time),
                    Err(fail) => (fail.err, fail.reply.to_string()),
                };
                encode(|o| MdtmResultUrc { err, modify_time }.encode(o))
            }
            Command::QftpsizeWrite(c) => {
                let (err, file_size) = match timed(limit, ftp.size(c.file_name())).await {
                    Ok(size) => (FtpError::Success, saturate(size)),
                    Err(fail) => (fail.err, u32::from(fail.reply)),
                };
                encode(|o| SizeResultUrc { err, file_size }.encode(o))
            }
            _ => return,
        };
        out.line(line);
    }
}

/// Whether `host` resolves in the emulated network (loopback names and address
/// literals; see [`resolve`](crate::client::resolve)).
pub(super) async fn resolves(host: &str, port: u16) -> bool {
    crate::client::resolve::resolve(host, port).is_ok()
}
