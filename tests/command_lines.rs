//! Command lines as real modules take them (issue 9, class 8): the generated
//! `Command::parse` of each package, and each command type's `parse`, read what the
//! dialect's modems accept (letters in any case, quoted numbers, bare strings,
//! spaces after `=` and around `,`), while `encode` stays canonical. A refusal
//! names the closest form: the syntax that read furthest into the line.

use atspec::{AtCommand, ParseError};
use atspec_a76xx::ftps::CftpsloginWrite;
use atspec_ec200u::ftp::{QftpcfgAccountWrite, QftpopenWrite};
use atspec_sim800::bearer::{BearerContype, SapbrSetApnWrite, SapbrSetContypeWrite};
use atspec_sim800::http::{HttpinitExec, HttpparaCidWrite, HttpparaUrlWrite};

fn canonical(command: &impl AtCommand) -> String {
    let mut out = Vec::new();
    command.encode(&mut out);
    String::from_utf8(out).expect("commands are text")
}

fn sim800(line: &str) -> Result<atspec_sim800::Command, ParseError> {
    atspec_sim800::Command::parse(line.as_bytes())
}

#[test]
fn sim800_command_names_and_keyword_tokens_in_any_case() {
    for line in ["at+httpinit", "At+HttpInit", "AT+HTTPINIT"] {
        match sim800(line) {
            Ok(atspec_sim800::Command::HttpinitExec(c)) => assert_eq!(canonical(&c), "AT+HTTPINIT"),
            other => panic!("{line}: {other:?}"),
        }
    }
    // The manual's own example 20.13 writes "Contype"; the value token too may vary.
    let contype =
        SapbrSetContypeWrite::parse(br#"AT+SAPBR=3,1,"Contype","gprs""#).expect("Contype");
    assert_eq!(contype.contype(), &BearerContype::Gprs);
    assert_eq!(canonical(&contype), r#"AT+SAPBR=3,1,"CONTYPE","GPRS""#);
    let url = HttpparaUrlWrite::parse(br#"at+httppara="url","http://Example.com/A""#).expect("url");
    assert_eq!(
        url.url(),
        "http://Example.com/A",
        "a value is returned as sent"
    );
    assert_eq!(
        canonical(&url),
        r#"AT+HTTPPARA="URL","http://Example.com/A""#
    );
}

#[test]
fn sim800_quoted_numbers_bare_strings_and_spaces() {
    let cid = HttpparaCidWrite::parse(br#"AT+HTTPPARA="CID","1""#).expect("quoted number");
    assert_eq!(
        (cid.cid(), canonical(&cid).as_str()),
        (1, r#"AT+HTTPPARA="CID",1"#)
    );
    let spaced = HttpparaCidWrite::parse(br#"AT+HTTPPARA= "CID" , 2 "#).expect("spaces");
    assert_eq!(spaced.cid(), 2);
    // A bare string that nothing can follow runs to the end of the line, commas included.
    let url =
        HttpparaUrlWrite::parse(b"AT+HTTPPARA=\"URL\",http://host/path?a=1,b=2").expect("bare");
    assert_eq!(url.url(), "http://host/path?a=1,b=2");
    assert_eq!(
        canonical(&url),
        r#"AT+HTTPPARA="URL","http://host/path?a=1,b=2""#
    );
    let apn = SapbrSetApnWrite::parse(b"AT+SAPBR=3,1,\"APN\",CMNET").expect("bare APN");
    assert_eq!((apn.cid(), apn.apn()), (1, "CMNET"));
    match sim800("at+sapbr=3,1,\"apn\",internet") {
        Ok(atspec_sim800::Command::SapbrSetApnWrite(c)) => assert_eq!(c.apn(), "internet"),
        other => panic!("{other:?}"),
    }
    // The checks still apply to a value that came bare.
    let err = HttpparaUrlWrite::parse(b"AT+HTTPPARA=\"URL\",http://a\"b").unwrap_err();
    assert!(err.expected.contains("parameter `url`"), "{err}");
    assert_eq!(
        HttpinitExec::parse(b"AT+HTTPINIT=1").unwrap_err().column,
        11
    );
}

#[test]
fn a_refusal_names_the_form_that_read_furthest() {
    // Every AT+SAPBR=3 variant starts like this line; the APN one reads furthest.
    let err = sim800(r#"AT+SAPBR=3,1,"APN""#).unwrap_err();
    assert_eq!(err.column, 18, "{err}");
    assert!(
        err.expected
            .contains(r#"closest form `AT+SAPBR=3,<cid>,"APN",<apn>`"#),
        "{err}"
    );
    // The line breaks off inside a prefix: no prefix matches, the URL form is closest.
    let err = sim800(r#"AT+HTTPPARA="URL""#).unwrap_err();
    assert!(
        err.expected
            .contains(r#"closest form `AT+HTTPPARA="URL",<url>`"#),
        "{err}"
    );
    // A value the checks refuse: the line reads as the form, which is the closest.
    let err = sim800(r#"AT+HTTPPARA="CID",9"#).unwrap_err();
    assert!(
        err.expected
            .contains("9 is outside the allowed range 1..=3")
            && err
                .expected
                .contains(r#"closest form `AT+HTTPPARA="CID",<cid>`"#),
        "{err}"
    );
}

#[test]
fn ec200u_reads_the_same_liberties() {
    let account =
        QftpcfgAccountWrite::parse(br#"at+qftpcfg="Account",user,p,ss"#).expect("account");
    assert_eq!((account.username(), account.password()), ("user", "p,ss"));
    assert_eq!(canonical(&account), r#"AT+QFTPCFG="account","user","p,ss""#);
    let open = QftpopenWrite::parse(br#"AT+QFTPOPEN=ftp.example.com,"21""#).expect("open");
    assert_eq!(
        (open.hostname(), open.port()),
        ("ftp.example.com", Some(21))
    );
    assert_eq!(canonical(&open), r#"AT+QFTPOPEN="ftp.example.com",21"#);
    match atspec_ec200u::Command::parse(br#"at+qftpcfg="contextid","1""#) {
        Ok(atspec_ec200u::Command::QftpcfgContextIdWrite(_)) => {}
        other => panic!("{other:?}"),
    }
}

#[test]
fn a76xx_reads_the_same_liberties() {
    let login =
        CftpsloginWrite::parse(br#"at+cftpslogin=ftp.x.com , "21",user,"pw""#).expect("login");
    assert_eq!(
        (
            login.host(),
            login.port(),
            login.username(),
            login.password()
        ),
        ("ftp.x.com", 21, "user", "pw")
    );
    assert_eq!(
        canonical(&login),
        r#"AT+CFTPSLOGIN="ftp.x.com",21,"user","pw""#
    );
}

#[test]
fn esp_at_reads_lines_as_written() {
    use atspec_esp_at::Command;
    assert!(matches!(Command::parse(b"AT+GMR"), Ok(Command::GmrExec(_))));
    let err = Command::parse(b"at+gmr").unwrap_err();
    assert_eq!(err.column, 0, "{err}");
    // Strings must be quoted; the refusal names the form and the parameter.
    let err = Command::parse(b"AT+HTTPCGET=http://x/").unwrap_err();
    assert_eq!(err.column, 12, "{err}");
    assert!(
        err.expected.contains("quoted string `url`")
            && err.expected.contains("closest form `AT+HTTPCGET=<url>"),
        "{err}"
    );
    assert!(matches!(
        Command::parse(b"AT+HTTPCGET=\"http://x/\""),
        Ok(Command::HttpcgetWrite(_))
    ));
    // Spaces after `=` and around `,` are read in every dialect.
    assert!(Command::parse(b"AT+CWJAP= \"espressif\" , \"secret\"").is_ok());
}
