//! The network task: bringing a data link up (cellular or Wi-Fi), its state, and
//! tearing it down.

use std::future::Future;
use std::time::Duration;

use super::Driver;
use super::error::TaskError;

/// Which kind of data link.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkKind {
    /// A cellular packet-data connection.
    Cellular,
    /// A Wi-Fi station connection.
    Wifi,
}

/// The data link to bring up, with its credentials.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Link {
    /// A cellular packet-data connection through an access point.
    Cellular {
        /// The access point name.
        apn: String,
        /// The user name, if the access point asks for one.
        user: Option<String>,
        /// The password, if the access point asks for one.
        password: Option<String>,
    },
    /// A Wi-Fi station connection to an access point.
    Wifi {
        /// The network's name.
        ssid: String,
        /// The passphrase; `None` for an open network.
        password: Option<String>,
    },
}

impl Link {
    /// A cellular link through `apn`, without credentials.
    pub fn cellular(apn: impl Into<String>) -> Self {
        Self::Cellular {
            apn: apn.into(),
            user: None,
            password: None,
        }
    }

    /// A Wi-Fi link to `ssid` with `password`; an empty password means an open
    /// network.
    pub fn wifi(ssid: impl Into<String>, password: impl Into<String>) -> Self {
        let password = password.into();
        Self::Wifi {
            ssid: ssid.into(),
            password: (!password.is_empty()).then_some(password),
        }
    }

    /// Sets the user name of a cellular link. A Wi-Fi link has no user name: it
    /// is returned unchanged.
    pub fn user(mut self, user: impl Into<String>) -> Self {
        if let Self::Cellular { user: slot, .. } = &mut self {
            *slot = Some(user.into());
        }
        self
    }

    /// Sets the password (of the access point for cellular, the passphrase for
    /// Wi-Fi).
    pub fn password(mut self, password: impl Into<String>) -> Self {
        match &mut self {
            Self::Cellular { password: slot, .. } | Self::Wifi { password: slot, .. } => {
                *slot = Some(password.into());
            }
        }
        self
    }

    /// The access point name of a cellular link.
    pub fn apn(&self) -> Option<&str> {
        match self {
            Self::Cellular { apn, .. } => Some(apn),
            Self::Wifi { .. } => None,
        }
    }

    /// The network name of a Wi-Fi link.
    pub fn ssid(&self) -> Option<&str> {
        match self {
            Self::Wifi { ssid, .. } => Some(ssid),
            Self::Cellular { .. } => None,
        }
    }

    /// The user name, if set (cellular only).
    pub fn user_name(&self) -> Option<&str> {
        match self {
            Self::Cellular { user, .. } => user.as_deref(),
            Self::Wifi { .. } => None,
        }
    }

    /// The password, if set.
    pub fn password_text(&self) -> Option<&str> {
        match self {
            Self::Cellular { password, .. } | Self::Wifi { password, .. } => password.as_deref(),
        }
    }

    /// Which kind of link this is.
    pub fn kind(&self) -> LinkKind {
        match self {
            Self::Cellular { .. } => LinkKind::Cellular,
            Self::Wifi { .. } => LinkKind::Wifi,
        }
    }
}

/// Whether the data link is up, and the address it got.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LinkState {
    /// The link is up.
    pub up: bool,
    /// The local address, when the modem reports one.
    pub address: Option<String>,
}

/// Bringing a modem's data link up and down, as a task.
pub trait Network: Driver {
    /// Which link kinds this modem brings up.
    const LINKS: &'static [LinkKind];

    /// Brings the data link up; idempotent when it is already up. `timeout` bounds
    /// the whole bring-up (waiting for the SIM and for registration included);
    /// `None`: the spec's waits. A link kind the modem lacks is a
    /// [`TaskErrorKind::Unsupported`](super::TaskErrorKind::Unsupported).
    fn connect(
        &self,
        link: &Link,
        timeout: Option<Duration>,
    ) -> impl Future<Output = Result<LinkState, TaskError>> + Send;

    /// Whether the link is up, and its address.
    fn link_state(&self) -> impl Future<Output = Result<LinkState, TaskError>> + Send;

    /// Takes the link down.
    fn disconnect(&self) -> impl Future<Output = Result<(), TaskError>> + Send;
}
