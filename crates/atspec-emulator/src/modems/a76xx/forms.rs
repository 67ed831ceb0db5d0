//! Test forms, read forms and the settings that need no server: answered the same
//! whether or not the service runs.

use atspec_a76xx::Command;
use atspec_a76xx::ftps::{
    CacherdChunk, CacherdSize, CwdSupported, DeleSupported, FtpsResult, GetResultUrc, GetSupported,
    GetfileSupported, LoginState, LoginStatus, LoginSupported, MkdSupported, ModeCurrent,
    ModeSupported, PutSupported, PutfileSupported, PwdSupported, RmdSupported, SingleipCurrent,
    SingleipSupported, SizeSupported, SslcfgSupported, TypeCurrent, TypeSupported,
};

use super::{A76xx, Cache, MAX_CHUNK, enc};
use crate::modem::Output;

impl A76xx {
    /// Test forms, read forms and settings: answered the same in every state. `false`
    /// when `command` is none of them.
    pub(super) fn setting(&mut self, command: &Command, out: &Output) -> bool {
        let supported = |text: &str| text.to_owned();
        match command {
            Command::CftpsstartTest(_)
            | Command::CftpsstopTest(_)
            | Command::CftpslogoutTest(_)
            | Command::CftpslistTest(_) => {}
            Command::CftpsloginTest(_) => out.line(enc(|o| {
                LoginSupported {
                    supported: supported("\"ADDRESS\",(1-65535),\"USERNAME\",\"PASSWORD\"[,(0-3)]"),
                }
                .encode(o)
            })),
            Command::CftpsloginRead(_) => {
                // Busy means an operation of a logged-in session runs.
                let logged_in = self.slot.try_lock().map_or(true, |s| s.is_some());
                let state = LoginState::from_code(u8::from(logged_in));
                out.line(enc(|o| LoginStatus { state }.encode(o)));
            }
            Command::CftpsmkdTest(_) => out.line(enc(|o| MkdSupported {}.encode(o))),
            Command::CftpsrmdTest(_) => out.line(enc(|o| RmdSupported {}.encode(o))),
            Command::CftpsdeleTest(_) => out.line(enc(|o| DeleSupported {}.encode(o))),
            Command::CftpscwdTest(_) => out.line(enc(|o| CwdSupported {}.encode(o))),
            Command::CftpspwdTest(_) => out.line(enc(|o| PwdSupported {}.encode(o))),
            Command::CftpstypeTest(_) => out.line(enc(|o| {
                TypeSupported {
                    supported: supported("(A,I)"),
                }
                .encode(o)
            })),
            Command::CftpstypeRead(_) => {
                let type_ = self.transfer_type.clone();
                out.line(enc(|o| TypeCurrent { type_ }.encode(o)));
            }
            Command::CftpsgetfileTest(_) => out.line(enc(|o| {
                GetfileSupported {
                    supported: supported("\"FILEPATH\"[,(1-2)]"),
                }
                .encode(o)
            })),
            Command::CftpsputfileTest(_) => out.line(enc(|o| {
                PutfileSupported {
                    supported: supported("\"FILEPATH\"[,(1-2),(0-2147483647)]"),
                }
                .encode(o)
            })),
            Command::CftpsgetTest(_) => out.line(enc(|o| {
                GetSupported {
                    supported: supported("\"FILEPATH\"[,<rest_size>]"),
                }
                .encode(o)
            })),
            Command::CftpsputTest(_) => out.line(enc(|o| {
                PutSupported {
                    supported: supported("\"FILEPATH\"[,<data_len>[,<rest_size>]]"),
                }
                .encode(o)
            })),
            Command::CftpssizeTest(_) => out.line(enc(|o| {
                SizeSupported {
                    supported: supported("\"FILEPATH\""),
                }
                .encode(o)
            })),
            Command::CftpssingleipTest(_) => out.line(enc(|o| {
                SingleipSupported {
                    supported: supported("(0,1)"),
                }
                .encode(o)
            })),
            Command::CftpssingleipRead(_) => {
                let singleip = self.single_ip;
                out.line(enc(|o| SingleipCurrent { singleip }.encode(o)));
            }
            Command::CftpssingleipWrite(c) => self.single_ip = c.singleip(),
            Command::CftpsslcfgTest(_) => out.line(enc(|o| {
                SslcfgSupported {
                    supported: supported("(0,1),(0-9)"),
                }
                .encode(o)
            })),
            Command::CftpsmodeTest(_) => out.line(enc(|o| {
                ModeSupported {
                    supported: supported("(0,1)"),
                }
                .encode(o)
            })),
            Command::CftpsmodeRead(_) => {
                let mode = self.mode;
                out.line(enc(|o| ModeCurrent { mode }.encode(o)));
            }
            Command::CftpsmodeWrite(c) => self.mode = c.mode(),
            Command::CftpscacherdRead(_) => {
                let cache = self.cache_lock();
                let len = u32::try_from(cache.data.len() - cache.read).unwrap_or(u32::MAX);
                out.line(enc(|o| CacherdSize { len }.encode(o)));
            }
            Command::CftpscacherdExec(_) => {
                self.cache_read(out);
                return true;
            }
            _ => return false,
        }
        out.ok();
        true
    }

    fn cache_lock(&self) -> std::sync::MutexGuard<'_, Cache> {
        self.cache.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// AT+CFTPSCACHERD: the next piece of the cache, and `+CFTPSGET: 0` once the finished
    /// download has been read to its end.
    fn cache_read(&self, out: &Output) {
        let mut cache = self.cache_lock();
        if !cache.pending {
            // Nothing was cached (no AT+CFTPSGET with using_cache 1 has finished).
            out.error();
            return;
        }
        let start = cache.read;
        let end = (start + MAX_CHUNK).min(cache.data.len());
        cache.read = end;
        let out_len = (end - start) as u16;
        out.line(enc(|o| CacherdChunk { out_len }.encode(o)));
        out.raw(&cache.data[start..end]);
        out.ok();
        if end == cache.data.len() {
            *cache = Cache::default();
            let errcode = FtpsResult::Success;
            out.line(enc(|o| GetResultUrc { errcode }.encode(o)));
        }
    }
}
