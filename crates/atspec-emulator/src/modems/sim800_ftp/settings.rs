//! The FTP parameters (AT+FTPCID, SERV, PORT, UN, PW, GETNAME, GETPATH, PUTNAME,
//! PUTPATH, TYPE, MODE, PUTOPT, REST, TIMEOUT, SSL): their write, read and test forms, and
//! AT+FTPSCONT.

use atspec_sim800::Command;
use atspec_sim800::ftp::{
    CidSetting, FtpContextMode, FtpMode, FtpPutOption, FtpSsl, FtpType, GetnameSetting,
    GetpathSetting, ModeSetting, PortSetting, PutnameSetting, PutoptSetting, PutpathSetting,
    PwSetting, RestSetting, ScontMode, ServSetting, SslSetting, TimeoutSetting, TypeSetting,
    UnSetting,
};

use crate::modem::Output;

/// The FTP parameters, as the setting commands leave them.
#[derive(Debug, Clone)]
pub(super) struct Settings {
    pub(super) cid: u8,
    pub(super) server: String,
    pub(super) port: u16,
    pub(super) user: String,
    pub(super) password: String,
    pub(super) get_name: String,
    pub(super) get_path: String,
    pub(super) put_name: String,
    pub(super) put_path: String,
    pub(super) transfer_type: FtpType,
    pub(super) mode: FtpMode,
    pub(super) put_option: FtpPutOption,
    pub(super) rest: u32,
    pub(super) timeout: u32,
    pub(super) ssl: FtpSsl,
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            cid: 1,
            server: String::new(),
            port: 21,
            user: String::new(),
            password: String::new(),
            get_name: String::new(),
            get_path: String::new(),
            put_name: String::new(),
            put_path: String::new(),
            transfer_type: FtpType::Binary,
            mode: FtpMode::Passive,
            put_option: FtpPutOption::Stor,
            rest: 0,
            timeout: 0,
            ssl: FtpSsl::Disabled,
        }
    }
}

impl Settings {
    /// Handles the setting commands (write, read and test forms, AT+FTPSCONT) and
    /// gives back any other command.
    pub(super) fn handle(&mut self, command: Command, out: &Output) -> Option<Command> {
        let s = self;
        let line = |encode: &dyn Fn(&mut Vec<u8>)| {
            let mut line = Vec::new();
            encode(&mut line);
            out.line(line);
        };
        match command {
            Command::FtpcidWrite(c) => s.cid = c.cid(),
            Command::FtpservWrite(c) => s.server = c.server().to_owned(),
            Command::FtpportWrite(c) => s.port = c.port(),
            Command::FtpunWrite(c) => s.user = c.user().to_owned(),
            Command::FtppwWrite(c) => s.password = c.password().to_owned(),
            Command::FtpgetnameWrite(c) => s.get_name = c.name().to_owned(),
            Command::FtpgetpathWrite(c) => s.get_path = c.path().to_owned(),
            Command::FtpputnameWrite(c) => s.put_name = c.name().to_owned(),
            Command::FtpputpathWrite(c) => s.put_path = c.path().to_owned(),
            Command::FtptypeWrite(c) => s.transfer_type = c.transfer_type().clone(),
            Command::FtpmodeWrite(c) => s.mode = c.mode(),
            Command::FtpputoptWrite(c) => s.put_option = c.option().clone(),
            Command::FtprestWrite(c) => s.rest = c.offset(),
            Command::FtptimeoutWrite(c) => s.timeout = c.timeout(),
            Command::FtpsslWrite(c) => s.ssl = c.mode(),
            Command::FtpcidRead(_) => line(&|o| CidSetting { cid: s.cid }.encode(o)),
            Command::FtpservRead(_) => line(&|o| s.serv().encode(o)),
            Command::FtpportRead(_) => line(&|o| PortSetting { port: s.port }.encode(o)),
            Command::FtpunRead(_) => line(&|o| s.un().encode(o)),
            Command::FtppwRead(_) => line(&|o| s.pw().encode(o)),
            Command::FtpgetnameRead(_) => line(&|o| s.getname().encode(o)),
            Command::FtpgetpathRead(_) => line(&|o| s.getpath().encode(o)),
            Command::FtpputnameRead(_) => line(&|o| s.putname().encode(o)),
            Command::FtpputpathRead(_) => line(&|o| s.putpath().encode(o)),
            Command::FtptypeRead(_) => line(&|o| s.type_setting().encode(o)),
            Command::FtpmodeRead(_) => line(&|o| ModeSetting { mode: s.mode }.encode(o)),
            Command::FtpputoptRead(_) => line(&|o| s.putopt().encode(o)),
            Command::FtprestRead(_) => line(&|o| RestSetting { offset: s.rest }.encode(o)),
            Command::FtpsslRead(_) => line(&|o| SslSetting { mode: s.ssl }.encode(o)),
            Command::FtpscontRead(_) => {
                line(&|o| {
                    ScontMode {
                        mode: FtpContextMode::Unsaved,
                    }
                    .encode(o)
                });
                line(&|o| s.serv().encode(o));
                line(&|o| PortSetting { port: s.port }.encode(o));
                line(&|o| s.un().encode(o));
                line(&|o| s.pw().encode(o));
                line(&|o| CidSetting { cid: s.cid }.encode(o));
                line(&|o| ModeSetting { mode: s.mode }.encode(o));
                line(&|o| s.type_setting().encode(o));
                line(&|o| s.putopt().encode(o));
                line(&|o| RestSetting { offset: s.rest }.encode(o));
                line(&|o| s.getname().encode(o));
                line(&|o| s.getpath().encode(o));
                line(&|o| s.putname().encode(o));
                line(&|o| s.putpath().encode(o));
                line(&|o| TimeoutSetting { timeout: s.timeout }.encode(o));
            }
            // Nothing to store: NVRAM is not emulated.
            Command::FtpscontExec(_) => {}
            Command::FtpcidTest(_)
            | Command::FtpservTest(_)
            | Command::FtpportTest(_)
            | Command::FtpunTest(_)
            | Command::FtppwTest(_)
            | Command::FtpgetnameTest(_)
            | Command::FtpgetpathTest(_)
            | Command::FtpputnameTest(_)
            | Command::FtpputpathTest(_)
            | Command::FtptypeTest(_)
            | Command::FtpmodeTest(_)
            | Command::FtpputoptTest(_)
            | Command::FtprestTest(_)
            | Command::FtpgetTest(_)
            | Command::FtpputTest(_)
            | Command::FtplistTest(_)
            | Command::FtpsizeTest(_)
            | Command::FtpdeleTest(_)
            | Command::FtpmkdTest(_)
            | Command::FtprmdTest(_)
            | Command::FtpquitTest(_)
            | Command::FtpstateTest(_) => {}
            other => return Some(other),
        }
        out.ok();
        None
    }

    fn serv(&self) -> ServSetting {
        ServSetting {
            server: self.server.clone(),
        }
    }
    fn un(&self) -> UnSetting {
        UnSetting {
            user: self.user.clone(),
        }
    }
    fn pw(&self) -> PwSetting {
        PwSetting {
            password: self.password.clone(),
        }
    }
    fn getname(&self) -> GetnameSetting {
        GetnameSetting {
            name: self.get_name.clone(),
        }
    }
    fn getpath(&self) -> GetpathSetting {
        GetpathSetting {
            path: self.get_path.clone(),
        }
    }
    fn putname(&self) -> PutnameSetting {
        PutnameSetting {
            name: self.put_name.clone(),
        }
    }
    fn putpath(&self) -> PutpathSetting {
        PutpathSetting {
            path: self.put_path.clone(),
        }
    }
    fn type_setting(&self) -> TypeSetting {
        TypeSetting {
            transfer_type: self.transfer_type.clone(),
        }
    }
    fn putopt(&self) -> PutoptSetting {
        PutoptSetting {
            option: self.put_option.clone(),
        }
    }
}
