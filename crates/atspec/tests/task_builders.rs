//! The task inputs' builders and their defaults: links and FTP servers.

use std::time::Duration;

use atspec::task::{FtpSecurity, FtpServer, Link, LinkKind, LinkState, Progress, Transfer};

#[test]
fn a_cellular_link_has_apn_user_and_password() {
    let link = Link::cellular("internet");
    assert_eq!(link.kind(), LinkKind::Cellular);
    assert_eq!(link.apn(), Some("internet"));
    assert_eq!(
        (link.user_name(), link.password_text(), link.ssid()),
        (None, None, None)
    );
    let link = link.user("alice").password("secret");
    assert_eq!(link.user_name(), Some("alice"));
    assert_eq!(link.password_text(), Some("secret"));
    assert_eq!(
        link,
        Link::Cellular {
            apn: "internet".into(),
            user: Some("alice".into()),
            password: Some("secret".into()),
        }
    );
}

#[test]
fn a_wifi_link_has_ssid_and_passphrase_and_no_user() {
    let link = Link::wifi("home", "passphrase");
    assert_eq!(link.kind(), LinkKind::Wifi);
    assert_eq!(
        (link.ssid(), link.password_text()),
        (Some("home"), Some("passphrase"))
    );
    assert_eq!(link.apn(), None);
    // A user name means nothing to Wi-Fi: the link stays as it was.
    assert_eq!(link.clone().user("bob"), link);
    assert_eq!(link.clone().user("bob").user_name(), None);
    assert_eq!(link.password("other").password_text(), Some("other"));
    // An empty passphrase is an open network.
    assert_eq!(Link::wifi("cafe", "").password_text(), None);
}

#[test]
fn a_link_state_defaults_to_down() {
    assert_eq!(
        LinkState::default(),
        LinkState {
            up: false,
            address: None
        }
    );
}

#[test]
fn an_ftp_server_defaults_to_anonymous_plain_passive_port_21() {
    let server = FtpServer::new("ftp.example.net");
    assert_eq!(server.host(), "ftp.example.net");
    assert_eq!(server.port_or_default(), 21);
    assert_eq!((server.user(), server.password()), ("anonymous", ""));
    assert_eq!(server.security_mode(), FtpSecurity::Plain);
    assert!(server.passive());
}

#[test]
fn an_ftp_servers_builder_sets_every_setting() {
    let server = FtpServer::new("h")
        .port(2121)
        .login("alice", "pw")
        .security(FtpSecurity::Explicit)
        .active();
    assert_eq!(server.port_or_default(), 2121);
    assert_eq!((server.user(), server.password()), ("alice", "pw"));
    assert_eq!(server.security_mode(), FtpSecurity::Explicit);
    assert!(!server.passive());
}

#[test]
fn implicit_tls_defaults_to_port_990_unless_a_port_is_given() {
    let implicit = FtpServer::new("h").security(FtpSecurity::Implicit);
    assert_eq!(implicit.port_or_default(), 990);
    assert_eq!(implicit.clone().port(21).port_or_default(), 21);
    assert_eq!(
        FtpServer::new("h")
            .security(FtpSecurity::Explicit)
            .port_or_default(),
        21
    );
}

#[test]
fn a_transfers_settings_read_back() {
    let plain = Transfer::new();
    assert_eq!((plain.timeout_value(), plain.offset()), (None, None));
    let mut last = None;
    {
        let mut transfer = Transfer::new()
            .timeout(Duration::from_secs(120))
            .from_offset(4096)
            .on_progress(|p| last = Some(p));
        assert_eq!(transfer.timeout_value(), Some(Duration::from_secs(120)));
        assert_eq!(transfer.offset(), Some(4096));
        let report = transfer.progress().expect("a callback");
        report(Progress {
            done: 10,
            total: Some(20),
        });
        assert!(transfer.take_progress().is_some());
        assert!(transfer.progress().is_none());
    }
    assert_eq!(
        last,
        Some(Progress {
            done: 10,
            total: Some(20)
        })
    );
}
