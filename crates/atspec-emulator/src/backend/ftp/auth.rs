//! The one account of the FTP backend.

use std::time::Duration;

use async_trait::async_trait;
use unftp_core::auth::{AuthenticationError, Authenticator, Credentials, Principal};

/// Accepts exactly one user name and password, optionally after a delay, or refuses every
/// login.
#[derive(Debug)]
pub(crate) struct Account {
    pub(crate) user: String,
    pub(crate) password: String,
    pub(crate) refuse: bool,
    pub(crate) delay: Duration,
}

#[async_trait]
impl Authenticator for Account {
    async fn authenticate(
        &self,
        username: &str,
        creds: &Credentials,
    ) -> Result<Principal, AuthenticationError> {
        if !self.delay.is_zero() {
            tokio::time::sleep(self.delay).await;
        }
        if self.refuse {
            return Err(AuthenticationError::BadPassword);
        }
        if username != self.user {
            return Err(AuthenticationError::BadUser);
        }
        if creds.password.as_deref() != Some(self.password.as_str()) {
            return Err(AuthenticationError::BadPassword);
        }
        Ok(Principal {
            username: username.to_owned(),
        })
    }
}
