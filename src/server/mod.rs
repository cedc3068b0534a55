//! `crosswalk serve`: the HTTP front end: the participants' pages ([`participants`])
//! and the CASE REST API ([`case_api`]), merged in [`router`], sharing the workshop path
//! and the public URL in [`Options`].
//!
//! Binding: 127.0.0.1 unless the person names another address, which is printed loudly.
pub mod case_api;
pub mod participants;

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
        let public_url = options
            .public_url
            .clone()
            .map(|u| u.trim_end_matches('/').to_string())
            .unwrap_or_else(|| format!("http://{addr}"));
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
        serve(listener, app, async {
            let _ = tokio::signal::ctrl_c().await;
        })
        .await
        .context("the server stopped")?;
        Ok(())
    })
}
