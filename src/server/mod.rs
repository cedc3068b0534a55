//! `crosswalk serve`: the HTTP front end: the participants' pages ([`participants`])
//! and the CASE REST API ([`case_api`]), merged in [`router`], sharing the workshop path
//! and the public URL in [`Options`].
//!
//! Binding: 127.0.0.1 unless the person names another address, which is printed loudly.
pub mod case_api;
pub mod participants;
mod tls;

pub use tls::Tls;

use anyhow::{Context, Result};
use axum::Router;
use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

/// How `crosswalk serve` runs.
#[derive(Debug, Clone)]
pub struct Options {
    pub listen: SocketAddr,
    /// The URL under which clients reach this server (no trailing slash); every CASE `uri`
    /// is written under it. Default: `http://` + the bound address.
    pub public_url: Option<String>,
    /// Serve the CASE REST API only (no participant pages).
    pub case_only: bool,
    /// Serve HTTPS with this certificate and key instead of plain HTTP.
    pub tls: Option<Tls>,
}

/// Every route of the server for the workshop at `db`.
pub fn router(db: &Path, public_url: &str) -> Result<Router> {
    let case = case_api::router(db, public_url)?;
    Ok(Router::new()
        .merge(case)
        .merge(participants::router(db, public_url)?))
}

/// Serves `app` on `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}

/// [`serve`] over TLS: every connection is HTTPS, a plain HTTP request gets no answer.
pub async fn serve_tls(
    listener: tokio::net::TcpListener,
    app: Router,
    tls: &Tls,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let config = axum_server::tls_rustls::RustlsConfig::from_config(tls.server_config());
    let handle = axum_server::Handle::new();
    let stopper = handle.clone();
    tokio::spawn(async move {
        shutdown.await;
        stopper.graceful_shutdown(Some(std::time::Duration::from_secs(2)));
    });
    axum_server::from_tcp_rustls(listener.into_std()?, config)?
        .handle(handle)
        .serve(app.into_make_service())
        .await
}

/// `crosswalk serve`: binds, says where, and serves until Ctrl-C.
pub fn run(db: PathBuf, options: Options) -> Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        // Every blocking task (making a catalog) takes the one workshop connection in
        // turn anyway; one thread for them also keeps the allocator to one arena, so a
        // rebuilt 20,000-item catalog reuses the memory of the one before.
        .max_blocking_threads(1)
        .enable_all()
        .build()
        .context("cannot start the server's runtime")?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind(options.listen)
            .await
            .with_context(|| format!("cannot listen on {}", options.listen))?;
        let addr = listener.local_addr()?;
        let scheme = if options.tls.is_some() { "https" } else { "http" };
        let public_url = options
            .public_url
            .clone()
            .map(|u| u.trim_end_matches('/').to_string())
            .unwrap_or_else(|| format!("{scheme}://{addr}"));
        if !addr.ip().is_loopback() {
            eprintln!(
                "crosswalk: WARNING: listening on {addr}, reachable from other machines; \
                 everything published can be read by anyone who can reach it"
            );
            if addr.ip().is_unspecified() && options.public_url.is_none() {
                eprintln!(
                    "crosswalk: WARNING: {public_url} does not resolve for clients; pass --public-url"
                );
            }
        }
        // Invitations made from now on (screen or command line) point here. A workshop
        // that cannot be written to is still served; invites then name --public-url.
        if let Ok(mut ws) = crate::store::Workshop::open(&db) {
            let _ = ws.record_public_url(&public_url);
        }
        let app = if options.case_only {
            case_api::router(&db, &public_url)?
        } else {
            eprintln!("crosswalk: participants join at {public_url}/join/TOKEN");
            eprintln!("  (hand out links with `crosswalk participant invite NAME --public-url {public_url}`)");
            router(&db, &public_url)?
        };
        eprintln!("crosswalk: serving the CASE REST API of {} at", db.display());
        eprintln!("  {public_url}/ims/case/v1p0/CFDocuments");
        eprintln!("  {public_url}/ims/case/v1p1/CFDocuments");
        eprintln!("press Ctrl-C to stop");
        let stop = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        match &options.tls {
            Some(tls) => serve_tls(listener, app, tls, stop).await,
            None => serve(listener, app, stop).await,
        }
        .context("the server stopped")?;
        Ok(())
    })
}
