//! The test forms (`AT+<cmd>=?`): each answers the shape its manual table prints, with
//! the ranges the parameter descriptions give (FTP(S) note chapter 2; the TCP/IP note for
//! the PDP commands; the EC2x/EG2x outputs of the collected facts for AT+QSSLCFG, which
//! lists the items this emulator keeps).

use atspec_ec200u::Command;
use atspec_ec200u::ftp::{
    CfgSupported, CwdSupported, DelSupported, GetSupported, ListSupported, MdtmSupported,
    MkdirSupported, MlsdSupported, NlstSupported, OpenSupported, PutSupported, RenameSupported,
    RmdirSupported, SizeSupported,
};
use atspec_ec200u::support::{QiactSupported, QicsgpSupported, QideactSupported, QsslcfgSupported};

use super::reply::encode;
use crate::modem::Output;

/// The `+QFTPCFG:` lines of AT+QFTPCFG=? (section 2.1).
const CFG_LINES: [&str; 8] = [
    r#""account",<username>,<password>"#,
    r#""filetype",(0,1)"#,
    r#""transmode",(0,1)"#,
    r#""contextid",(1-7)"#,
    r#""rsptimeout",(20-180)"#,
    r#""ssltype",(0-2)"#,
    r#""sslctxid",(0-5)"#,
    r#""data_address",(0-2),(15-50)"#,
];

/// The AT+QSSLCFG items this emulator keeps, with their ranges.
const SSL_LINES: [&str; 9] = [
    r#""sslversion",(0-5),(0-4)"#,
    r#""ciphersuite",(0-5),(0X0035,0X002F,0X0005,0X0004,0X000A,0X003D,0XC02F,0XFFFF)"#,
    r#""seclevel",(0-5),(0-2)"#,
    r#""cacert",(0-5),<cacertpath>"#,
    r#""clientcert",(0-5),<client_cert_path>"#,
    r#""clientkey",(0-5),<client_key_path>"#,
    r#""ignorelocaltime",(0-5),(0,1)"#,
    r#""negotiatetime",(0-5),(10-300)"#,
    r#""sni",(0-5),(0,1)"#,
];

/// Answers `command` if it is a test form of an FTP(S) or PDP/SSL command; `false` if not.
pub(super) fn answer(command: &Command, out: &Output) -> bool {
    // One information line of the given type with the given text.
    macro_rules! shape {
        ($line:ident, $text:expr) => {{
            let line = $line {
                supported: $text.to_owned(),
            };
            out.line(encode(|o| line.encode(o)));
        }};
    }
    match command {
        Command::QftpcfgTest(_) => {
            for text in CFG_LINES {
                shape!(CfgSupported, text)
            }
        }
        Command::QsslcfgTest(_) => {
            for text in SSL_LINES {
                shape!(QsslcfgSupported, text)
            }
        }
        Command::QftpopenTest(_) => shape!(OpenSupported, "<hostname>,(1-65535)"),
        Command::QftpcwdTest(_) => shape!(CwdSupported, "<path_name>"),
        Command::QftpputTest(_) => shape!(
            PutSupported,
            "<file_name>,<local_name>,(0-4294967295),(0-4294967295),(0,1)"
        ),
        Command::QftpgetTest(_) => shape!(
            GetSupported,
            "<file_name>,<local_name>,(0-4294967295),(0-4294967295)"
        ),
        Command::QftpsizeTest(_) => shape!(SizeSupported, "<file_name>"),
        Command::QftpdelTest(_) => shape!(DelSupported, "<file_name>"),
        Command::QftpmkdirTest(_) => shape!(MkdirSupported, "<folder_name>"),
        Command::QftprmdirTest(_) => shape!(RmdirSupported, "<folder_name>"),
        Command::QftplistTest(_) => shape!(ListSupported, "<dirname>,<local_name>"),
        Command::QftpnlstTest(_) => shape!(NlstSupported, "<dirname>,<local_name>"),
        Command::QftpmlsdTest(_) => shape!(MlsdSupported, "<dirname>,<local_name>"),
        Command::QftpmdtmTest(_) => shape!(MdtmSupported, "<file_name>"),
        Command::QftprenameTest(_) => shape!(RenameSupported, "<old_name>,<new_name>"),
        Command::QicsgpTest(_) => shape!(
            QicsgpSupported,
            "(1-7),(1-3),<APN>,<username>,<password>,(0-2)"
        ),
        Command::QiactTest(_) => shape!(QiactSupported, "(1-7)"),
        Command::QideactTest(_) => shape!(QideactSupported, "(1-7)"),
        // These tables print no information line.
        Command::QftppwdTest(_)
        | Command::QftplenTest(_)
        | Command::QftpstatTest(_)
        | Command::QftpcloseTest(_) => {}
        _ => return false,
    }
    out.ok();
    true
}
