//! AT+QFTPCFG (section 2.1): the FTP(S) settings, set and queried.

use std::time::Duration;

use atspec_ec200u::Command;
use atspec_ec200u::ftp::{
    AccountSetting, ContextIdSetting, DataAddressSetting, DataAddressType, FileType,
    FileTypeSetting, RsptimeoutSetting, SslCtxIdSetting, SslType, SslTypeSetting, TransferMode,
    TransmodeSetting,
};

use super::Ec200u;
use super::reply::encode;
use crate::modem::Output;

/// The AT+QFTPCFG settings, with the manual's defaults.
pub(super) struct FtpConfig {
    pub(super) username: String,
    pub(super) password: String,
    pub(super) file_type: FileType,
    pub(super) transmode: TransferMode,
    pub(super) context_id: u8,
    pub(super) rsptimeout: u8,
    pub(super) ssl_type: SslType,
    pub(super) ssl_ctx_id: u8,
    pub(super) data_address: DataAddressType,
    pub(super) data_timeout: Option<u8>,
}

impl Default for FtpConfig {
    fn default() -> Self {
        Self {
            username: String::new(),
            password: String::new(),
            file_type: FileType::Binary,
            transmode: TransferMode::Passive,
            context_id: 1,
            rsptimeout: 90,
            ssl_type: SslType::Ftp,
            ssl_ctx_id: 0,
            data_address: DataAddressType::ServerAddress,
            data_timeout: None,
        }
    }
}

impl Ec200u {
    /// The AT+QFTPCFG="rsptimeout" bound on a server exchange.
    pub(super) fn rsptimeout(&self) -> Duration {
        Duration::from_secs(u64::from(self.cfg.rsptimeout))
    }

    pub(super) fn configure(&mut self, command: Command, out: &Output) {
        let cfg = &mut self.cfg;
        // The `+QFTPCFG:` line reporting a setting.
        macro_rules! report {
            ($line:expr) => {{
                let line = $line;
                Some(encode(|o| line.encode(o)))
            }};
        }
        let report = match command {
            Command::QftpcfgAccountWrite(c) => {
                cfg.username = c.username().to_owned();
                cfg.password = c.password().to_owned();
                None
            }
            Command::QftpcfgFileTypeWrite(c) => {
                cfg.file_type = c.file_type();
                None
            }
            Command::QftpcfgTransmodeWrite(c) => {
                cfg.transmode = c.transmode();
                None
            }
            Command::QftpcfgContextIdWrite(c) => {
                cfg.context_id = c.context_id();
                None
            }
            Command::QftpcfgRsptimeoutWrite(c) => {
                cfg.rsptimeout = c.timeout();
                None
            }
            Command::QftpcfgSslTypeWrite(c) => {
                cfg.ssl_type = c.ssl_type();
                None
            }
            Command::QftpcfgSslCtxIdWrite(c) => {
                cfg.ssl_ctx_id = c.ssl_ctx_id();
                None
            }
            Command::QftpcfgDataAddressWrite(c) => {
                cfg.data_address = c.data_address_type();
                cfg.data_timeout = c.data_timeout();
                None
            }
            Command::QftpcfgAccountQueryWrite(_) => report!(AccountSetting {
                username: cfg.username.clone(),
                password: cfg.password.clone(),
            }),
            Command::QftpcfgFileTypeQueryWrite(_) => report!(FileTypeSetting {
                file_type: cfg.file_type
            }),
            Command::QftpcfgTransmodeQueryWrite(_) => report!(TransmodeSetting {
                transmode: cfg.transmode
            }),
            Command::QftpcfgContextIdQueryWrite(_) => report!(ContextIdSetting {
                context_id: cfg.context_id
            }),
            Command::QftpcfgRsptimeoutQueryWrite(_) => report!(RsptimeoutSetting {
                timeout: cfg.rsptimeout
            }),
            Command::QftpcfgSslTypeQueryWrite(_) => report!(SslTypeSetting {
                ssl_type: cfg.ssl_type
            }),
            Command::QftpcfgSslCtxIdQueryWrite(_) => report!(SslCtxIdSetting {
                ssl_ctx_id: cfg.ssl_ctx_id
            }),
            Command::QftpcfgDataAddressQueryWrite(_) => report!(DataAddressSetting {
                data_address_type: cfg.data_address,
                // The timeout is reported only for type 2, as the template says.
                data_timeout: (cfg.data_address.code() == 2)
                    .then_some(cfg.data_timeout.unwrap_or(25)),
            }),
            _ => {
                out.error();
                return;
            }
        };
        if let Some(line) = report {
            out.line(line);
        }
        out.ok();
    }
}
