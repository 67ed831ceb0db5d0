//! The self-signed certificate the backends serve and the clients trust.
//!
//! Every TLS configuration here uses rustls with the `ring` provider, set explicitly per
//! configuration (never the process-wide default), so the crate builds without cmake or
//! nasm and does not depend on which provider another crate in the process installed.

use std::sync::Arc;

use rustls::crypto::CryptoProvider;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use rustls::{ClientConfig, RootCertStore, ServerConfig};

/// The names the test certificate is valid for.
pub const TEST_CERT_NAMES: [&str; 3] = ["localhost", "127.0.0.1", "::1"];

/// A self-signed certificate for `localhost`, `127.0.0.1` and `::1`, made at run time.
///
/// Clients made with [`TestCertificate::client_config`] trust this certificate and nothing
/// else, so a test exercises real certificate verification without a CA on disk.
#[derive(Debug)]
pub struct TestCertificate {
    cert_der: CertificateDer<'static>,
    key_der: PrivatePkcs8KeyDer<'static>,
    cert_pem: String,
    key_pem: String,
}

impl TestCertificate {
    /// Generates a fresh key pair and self-signed certificate.
    ///
    /// # Panics
    ///
    /// If rcgen fails to generate a key or sign the certificate (it does not for these
    /// fixed, valid names).
    pub fn generate() -> Self {
        let names: Vec<String> = TEST_CERT_NAMES.iter().map(|n| (*n).to_owned()).collect();
        let certified = rcgen::generate_simple_self_signed(names)
            .expect("rcgen generates a self-signed certificate for fixed valid names");
        Self {
            cert_der: certified.cert.der().clone(),
            key_der: PrivatePkcs8KeyDer::from(certified.signing_key.serialize_der()),
            cert_pem: certified.cert.pem(),
            key_pem: certified.signing_key.serialize_pem(),
        }
    }

    /// The certificate in PEM form.
    pub fn cert_pem(&self) -> &str {
        &self.cert_pem
    }

    /// The private key (PKCS#8) in PEM form.
    pub fn key_pem(&self) -> &str {
        &self.key_pem
    }

    /// The certificate in DER form.
    pub fn cert_der(&self) -> &CertificateDer<'static> {
        &self.cert_der
    }

    /// A rustls server configuration presenting this certificate (TLS 1.2 and 1.3).
    pub fn server_config(&self) -> Arc<ServerConfig> {
        let key = PrivateKeyDer::Pkcs8(self.key_der.clone_key());
        let config = ServerConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .expect("the ring provider supports the default protocol versions")
            .with_no_client_auth()
            .with_single_cert(vec![self.cert_der.clone()], key)
            .expect("rcgen's key matches its certificate");
        Arc::new(config)
    }

    /// A rustls client configuration that trusts this certificate and no other.
    pub fn client_config(&self) -> Arc<ClientConfig> {
        let mut roots = RootCertStore::empty();
        roots
            .add(self.cert_der.clone())
            .expect("rcgen's certificate parses as a trust anchor");
        client_config_with_roots(roots)
    }
}

/// A rustls client configuration (ring provider, TLS 1.2 and 1.3) trusting `roots`.
pub fn client_config_with_roots(roots: RootCertStore) -> Arc<ClientConfig> {
    let config = ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .expect("the ring provider supports the default protocol versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    Arc::new(config)
}

/// The crypto provider every configuration of this crate uses: rustls' `ring` provider.
pub fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}
