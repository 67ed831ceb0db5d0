//! Module families (issue 10, item 1) through a converted spec: the `a76xx`
//! package covers the A76XX and the SIM7500/SIM7600 families, whose string limits,
//! commands, forms and codes differ. The same family-aware constructor accepts a
//! value for one family and refuses it for the other, while `new` keeps the limits
//! common to both.

use atspec::{Family, ParamError};
use atspec_a76xx::Model;
use atspec_a76xx::ftps::{
    CftpsabortExec, CftpsgetCachedWrite, CftpsgetfileWrite, CftpslistExec, CftpslistWrite,
    CftpsloginRead, CftpsloginWrite, CftpsputfileWrite, CftpsslcfgWrite, CftpsstartTest, LocalDir,
    SslSession,
};

fn login(model: Model, host: &str) -> Result<CftpsloginWrite, ParamError> {
    CftpsloginWrite::new_for(model, host, 21, "user", "secret", None)
}

#[test]
fn a_host_name_longer_than_the_a76xx_limit_is_accepted_for_the_sim7600_only() {
    let host = format!("{}.example", "h".repeat(190));
    assert!(login(Model::Sim7600, &host).is_ok());
    assert_eq!(
        login(Model::A76xx, &host),
        Err(ParamError::TooLong {
            param: "host",
            len: 198,
            max: 128
        })
    );
    // The common constructor keeps the limit both families accept.
    assert!(CftpsloginWrite::new(&host, 21, "user", "secret", None).is_err());
    // Past the SIM7600 limit, the SIM7600 refuses too.
    let too_long = "h".repeat(257);
    assert_eq!(
        login(Model::Sim7600, &too_long),
        Err(ParamError::TooLong {
            param: "host",
            len: 257,
            max: 256
        })
    );
}

#[test]
fn a_directory_name_between_112_and_256_bytes_fits_the_sim7600_only() {
    let dir = "d".repeat(200);
    assert!(CftpslistWrite::new_for(Model::Sim7600, &dir).is_ok());
    assert!(matches!(
        CftpslistWrite::new_for(Model::A76xx, &dir),
        Err(ParamError::TooLong {
            param: "dir",
            max: 112,
            ..
        })
    ));
}

#[test]
fn a_command_a_family_lacks_is_refused_naming_the_family_and_the_command() {
    let sslcfg = |model| CftpsslcfgWrite::new_for(model, SslSession::Control, 1);
    assert!(sslcfg(Model::A76xx).is_ok());
    let refused = sslcfg(Model::Sim7600).expect_err("the SIM7600 has no AT+CFTPSSLCFG");
    assert_eq!(
        refused,
        ParamError::Unavailable {
            command: "AT+CFTPSSLCFG=<session_id>,<ssl_id>",
            family: "sim7600"
        }
    );
    let message = refused.to_string();
    assert!(
        message.contains("AT+CFTPSSLCFG") && message.contains("sim7600"),
        "{message}"
    );

    assert!(CftpsabortExec::new_for(Model::Sim7600).is_ok());
    assert!(matches!(
        CftpsabortExec::new_for(Model::A76xx),
        Err(ParamError::Unavailable {
            family: "a76xx",
            ..
        })
    ));
}

#[test]
fn forms_and_sub_commands_follow_their_own_families() {
    // The A76XX alone has the read and test forms; the SIM7600 alone lists the
    // current directory without naming it and has the cached download.
    assert!(CftpsloginRead::new_for(Model::A76xx).is_ok());
    assert!(CftpsloginRead::new_for(Model::Sim7600).is_err());
    assert!(CftpsstartTest::new_for(Model::Sim7600).is_err());
    assert!(CftpslistExec::new_for(Model::Sim7600).is_ok());
    assert!(CftpslistExec::new_for(Model::A76xx).is_err());
    assert!(CftpsgetCachedWrite::new_for(Model::Sim7600, "f.txt", 0).is_ok());
    assert!(CftpsgetCachedWrite::new_for(Model::A76xx, "f.txt", 0).is_err());
    // The common constructors, which no family limits, cannot fail.
    let (_, _): (CftpsloginRead, CftpslistExec) = (CftpsloginRead::new(), CftpslistExec::new());
}

#[test]
fn a_code_one_family_lacks_is_refused_for_that_family() {
    let getfile = |model, dir| CftpsgetfileWrite::new_for(model, "f.txt", Some(dir), None);
    assert!(getfile(Model::Sim7600, LocalDir::Media).is_ok());
    assert!(getfile(Model::Sim7600, LocalDir::SslCertificates).is_ok());
    assert!(matches!(
        getfile(Model::A76xx, LocalDir::Media),
        Err(ParamError::NotAllowed { param: "dir", .. })
    ));
    assert!(getfile(Model::A76xx, LocalDir::SdCard).is_ok());
    // Uploads never read from the certificate folder, on either family.
    let putfile = |model, dir| CftpsputfileWrite::new_for(model, "f.txt", Some(dir), None);
    assert!(putfile(Model::Sim7600, LocalDir::Media).is_ok());
    assert!(putfile(Model::Sim7600, LocalDir::SslCertificates).is_err());
    assert!(putfile(Model::A76xx, LocalDir::Media).is_err());
}

#[test]
fn the_model_type_lists_the_spec_families() {
    let ids: Vec<&str> = Model::ALL.iter().map(|m| m.id()).collect();
    assert_eq!(ids, ["a76xx", "sim7600"]);
    assert_eq!(Model::Sim7600.title(), "SIM7500/SIM7600 series");
}
