//! Bringing the data link up before a transfer: the link the options give, or
//! for an emulated modem the one its emulator accepts.

use atspec::task::Link;
use atspec_emulator::serve::default_link;

use crate::args::LinkArgs;
use crate::connect::Session;
use crate::exit::Failure;

/// The link the options describe, if they describe one.
pub fn from_args(args: &LinkArgs) -> Option<Link> {
    if let Some(apn) = &args.apn {
        let mut link = Link::cellular(apn);
        if let Some(user) = &args.apn_user {
            link = link.user(user);
        }
        if let Some(password) = &args.apn_password {
            link = link.password(password);
        }
        return Some(link);
    }
    let ssid = args.ssid.as_ref()?;
    Some(Link::wifi(ssid, args.password.as_deref().unwrap_or("")))
}

/// Brings the link up: the one `args` give; without one, for an emulated modem
/// the emulator's, and for a real modem none (its link is taken to be up).
pub async fn bring_up(session: &Session, args: &LinkArgs) -> Result<(), Failure> {
    let given = from_args(args);
    let Some(network) = session.modem.network() else {
        return match given {
            Some(_) => Err(Failure::lacks_task(session.modem.name(), "network")),
            None => Ok(()),
        };
    };
    let link = match (given, &session.emulator, network.links().first()) {
        (Some(link), _, _) => link,
        (None, Some(_), Some(&kind)) => default_link(kind),
        (None, _, _) => return Ok(()),
    };
    network.connect(&link, None).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(apn: Option<&str>, ssid: Option<&str>, password: Option<&str>) -> LinkArgs {
        LinkArgs {
            apn: apn.map(str::to_owned),
            apn_user: apn.map(|_| "u".to_owned()),
            apn_password: apn.and(password).map(str::to_owned),
            ssid: ssid.map(str::to_owned),
            password: ssid.and(password).map(str::to_owned),
        }
    }

    #[test]
    fn the_options_make_the_link() {
        let cellular = from_args(&args(Some("web"), None, Some("pw"))).unwrap();
        assert_eq!(cellular.apn(), Some("web"));
        assert_eq!(cellular.user_name(), Some("u"));
        assert_eq!(cellular.password_text(), Some("pw"));
        let wifi = from_args(&args(None, Some("home"), Some("key"))).unwrap();
        assert_eq!(
            (wifi.ssid(), wifi.password_text()),
            (Some("home"), Some("key"))
        );
        let open = from_args(&args(None, Some("cafe"), None)).unwrap();
        assert_eq!(open.password_text(), None);
        assert!(from_args(&args(None, None, None)).is_none());
    }
}
