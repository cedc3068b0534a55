//! HTTPS for `crosswalk serve --tls-cert FILE --tls-key FILE`: the certificate chain and
//! private key read from PEM files once, at start, so a wrong file is said before the
//! server listens.
use anyhow::{Context, Result, bail};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::path::Path;
use std::sync::Arc;

/// A server certificate chain and its key, checked to belong together.
#[derive(Clone)]
pub struct Tls {
    config: Arc<rustls::ServerConfig>,
}

/// Never the configuration itself: it holds the private key.
impl std::fmt::Debug for Tls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Tls")
    }
}

impl Tls {
    /// Reads `cert` (PEM, the server's certificate first, then its chain) and `key`
    /// (PEM, PKCS#8, PKCS#1 or SEC1).
    pub fn from_pem_files(cert: &Path, key: &Path) -> Result<Tls> {
        let read = |path: &Path| {
            std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))
        };
        let cert_pem = read(cert)?;
        let chain = CertificateDer::pem_slice_iter(&cert_pem)
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| anyhow::anyhow!("{}: not a PEM certificate file ({e})", cert.display()))?;
        if chain.is_empty() {
            bail!(
                "{}: holds no certificate (expected PEM \"BEGIN CERTIFICATE\")",
                cert.display()
            );
        }
        let key_pem = read(key)?;
        let private = PrivateKeyDer::from_pem_slice(&key_pem).map_err(|_| {
            anyhow::anyhow!(
                "{}: holds no private key (expected a PEM private key)",
                key.display()
            )
        })?;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let mut config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .context("cannot set up TLS")?
            .with_no_client_auth()
            .with_single_cert(chain, private)
            .map_err(|e| {
                anyhow::anyhow!(
                    "{} and {} do not make a usable certificate and key ({e})",
                    cert.display(),
                    key.display()
                )
            })?;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(Tls {
            config: Arc::new(config),
        })
    }

    pub(crate) fn server_config(&self) -> Arc<rustls::ServerConfig> {
        self.config.clone()
    }
}
