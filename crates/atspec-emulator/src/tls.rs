//! The self-signed certificate the backends serve, and the TLS client configurations the
//! emulated modules use: none verifying anything (a module's default), or one trusting the
//! certificates a module was given (its SSL settings ask for verification).
//!
//! Every TLS configuration here uses rustls with the `ring` provider, set explicitly per
//! configuration (never the process-wide default), so the crate builds without cmake or
//! nasm and does not depend on which provider another crate in the process installed.

use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::pem::PemObject as _;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer, ServerName, UnixTime};
use rustls::{ClientConfig, DigitallySignedStruct, RootCertStore, ServerConfig, SignatureScheme};

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

/// A rustls client configuration that accepts any server certificate, as a module does
/// while its SSL settings ask for no authentication (their default). The handshake is
/// still checked (the server must hold the key of the certificate it shows), so the
/// session is encrypted, only not authenticated.
pub fn unverified_client_config() -> Arc<ClientConfig> {
    let provider = provider();
    let verifier = Arc::new(AcceptAnyCertificate(provider.clone()));
    let config = ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("the ring provider supports the default protocol versions")
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    Arc::new(config)
}

/// A client configuration trusting the certificates of a CA file loaded into a module
/// with its vendor's commands (PEM, or one DER certificate), or why there is none: no
/// certificate in it, or one that is not a usable trust anchor.
pub fn client_config_from_ca_file(file: &[u8]) -> Result<Arc<ClientConfig>, String> {
    let mut roots = RootCertStore::empty();
    let unusable = |e: rustls::Error| format!("not a usable CA certificate: {e}");
    if file.windows(10).any(|w| w == b"-----BEGIN") {
        for cert in CertificateDer::pem_slice_iter(file) {
            let cert = cert.map_err(|e| format!("not a PEM certificate file: {e}"))?;
            roots.add(cert).map_err(unusable)?;
        }
    } else {
        roots
            .add(CertificateDer::from(file.to_vec()))
            .map_err(unusable)?;
    }
    if roots.is_empty() {
        return Err("no certificate in the file".to_owned());
    }
    Ok(client_config_with_roots(roots))
}

/// The verifier of [`unverified_client_config`]: every certificate passes, handshake
/// signatures are checked with the provider's algorithms.
#[derive(Debug)]
struct AcceptAnyCertificate(Arc<CryptoProvider>);

impl ServerCertVerifier for AcceptAnyCertificate {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// The crypto provider every configuration of this crate uses: rustls' `ring` provider.
pub fn provider() -> Arc<CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ca_file_needs_a_usable_certificate() {
        let cert = TestCertificate::generate();
        assert!(client_config_from_ca_file(cert.cert_pem().as_bytes()).is_ok());
        assert!(client_config_from_ca_file(cert.cert_der()).is_ok());
        // A key file is PEM, but holds no certificate.
        let key = client_config_from_ca_file(cert.key_pem().as_bytes()).unwrap_err();
        assert!(key.contains("no certificate"), "{key}");
        let cut = client_config_from_ca_file(b"-----BEGIN CERTIFICATE-----\nAAAA").unwrap_err();
        assert!(cut.contains("not a PEM certificate file"), "{cut}");
        let garbage = client_config_from_ca_file(b"not a certificate").unwrap_err();
        assert!(garbage.contains("not a usable CA certificate"), "{garbage}");
    }
}
