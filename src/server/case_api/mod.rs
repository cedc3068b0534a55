//! The CASE REST API, read-only, under `/ims/case/v1p0/` and `/ims/case/v1p1/`: the twelve
//! GET endpoints of the service definitions, the 1.1 discovery document, and
//! `imsx_StatusInfo` error bodies. Only what the facilitator published is served
//! (`crosswalk publish`); see [`catalog`] for how the bodies are made.
mod catalog;
mod discovery;
pub mod query;
mod status;

pub use catalog::Catalog;
pub use status::Failure;

use crate::case::CaseVersion;
use crate::store::Workshop;
use anyhow::{Context, Result};
use axum::Router;
use axum::body::Body;
use axum::extract::{Path as UrlPath, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// The workshop, opened once for the server, and the catalogs made from it.
struct Shared {
    db: Mutex<Db>,
    public_url: String,
    /// Starts [`refresh`] on the first request (inside the server's runtime).
    refresher: std::sync::Once,
}

struct Db {
    ws: Workshop,
    /// A second connection, only to ask SQLite whether anyone else committed since the
    /// catalogs were made (`PRAGMA data_version` moves on every other connection's commit).
    watch: rusqlite::Connection,
    catalogs: HashMap<&'static str, (i64, Arc<Catalog>)>,
}

#[derive(Clone)]
struct Api {
    shared: Arc<Shared>,
    version: CaseVersion,
}

/// The router for the workshop at `db`, with URIs under `public_url`.
pub fn router(db: &Path, public_url: &str) -> Result<Router> {
    let ws = Workshop::open(db).with_context(|| format!("cannot open {}", db.display()))?;
    let watch =
        rusqlite::Connection::open(db).with_context(|| format!("cannot open {}", db.display()))?;
    let shared = Arc::new(Shared {
        db: Mutex::new(Db {
            ws,
            watch,
            catalogs: HashMap::new(),
        }),
        public_url: public_url.trim_end_matches('/').to_string(),
        refresher: std::sync::Once::new(),
    });
    let v1p0 = version_router(Api {
        shared: shared.clone(),
        version: CaseVersion::V1_0,
    });
    let v1p1 = version_router(Api {
        shared,
        version: CaseVersion::V1_1,
    });
    Ok(Router::new()
        .nest("/ims/case/v1p0", v1p0)
        .nest("/ims/case/v1p1", v1p1))
}

fn version_router(api: Api) -> Router {
    let mut router = Router::new();
    if api.version == CaseVersion::V1_1 {
        router = router.route(
            "/discovery/imscasev1p1_openapi3_v1p0.json",
            get(|State(api): State<Api>| async move {
                json_bytes(discovery::document(&api.base()).to_string().into(), None)
            }),
        );
    }
    router
        .route("/CFDocuments", get(documents))
        .route(
            "/CFDocuments/{id}",
            get(|s, p| object(s, p, Kind::Document)),
        )
        .route("/CFPackages/{id}", get(|s, p| object(s, p, Kind::Package)))
        .route("/CFItems/{id}", get(|s, p| object(s, p, Kind::Item)))
        .route(
            "/CFAssociations/{id}",
            get(|s, p| object(s, p, Kind::Association)),
        )
        .route(
            "/CFItemAssociations/{id}",
            get(|s, p| object(s, p, Kind::ItemAssociations)),
        )
        .route(
            "/CFAssociationGroupings/{id}",
            get(|s, p| object(s, p, Kind::Definition("CFAssociationGroupings"))),
        )
        .route(
            "/CFConcepts/{id}",
            get(|s, p| object(s, p, Kind::DefinitionSet("CFConcepts"))),
        )
        .route(
            "/CFSubjects/{id}",
            get(|s, p| object(s, p, Kind::DefinitionSet("CFSubjects"))),
        )
        .route(
            "/CFItemTypes/{id}",
            get(|s, p| object(s, p, Kind::DefinitionSet("CFItemTypes"))),
        )
        .route(
            "/CFLicenses/{id}",
            get(|s, p| object(s, p, Kind::Definition("CFLicenses"))),
        )
        .route("/CFRubrics/{id}", get(|s, p| object(s, p, Kind::Rubric)))
        .fallback(|State(api): State<Api>| async move {
            Failure::UnknownObject("no such CASE endpoint".into()).into_response(api.version)
        })
        .with_state(api)
}

impl Api {
    fn base(&self) -> String {
        base(&self.shared.public_url, self.version)
    }

    /// The catalog for this version, made again when the workshop changed.
    async fn catalog(&self) -> Result<Arc<Catalog>, Response> {
        let shared = self.shared.clone();
        shared.refresher.call_once(|| {
            tokio::spawn(refresh(Arc::downgrade(&self.shared)));
        });
        let version = self.version;
        let fail = move |e: String| Failure::Internal(e).into_response(version);
        tokio::task::spawn_blocking(move || fresh(&shared, version))
            .await
            .map_err(|e| fail(e.to_string()))?
            .map_err(fail)
    }
}

fn base(public_url: &str, version: CaseVersion) -> String {
    let path = match version {
        CaseVersion::V1_0 => "v1p0",
        CaseVersion::V1_1 => "v1p1",
    };
    format!("{public_url}/ims/case/{path}")
}

/// The catalog of `version` as the workshop is now: the one made before unless another
/// connection has committed since.
fn fresh(shared: &Shared, version: CaseVersion) -> Result<Arc<Catalog>, String> {
    let mut db = shared.db.lock().unwrap_or_else(|p| p.into_inner());
    let seen: i64 = db
        .watch
        .query_row("PRAGMA data_version", [], |r| r.get(0))
        .map_err(|e| e.to_string())?;
    let key = version.label();
    if let Some((v, c)) = db.catalogs.get(key)
        && *v == seen
    {
        return Ok(c.clone());
    }
    let made = Catalog::build(&mut db.ws, version, &base(&shared.public_url, version));
    let catalog = Arc::new(made.map_err(|e| e.to_string())?);
    db.catalogs.insert(key, (seen, catalog.clone()));
    Ok(catalog)
}

/// Twice a second, makes again the catalogs already asked for when the workshop has
/// changed, so that the next request (the first after a `publish`, an import) finds it
/// ready rather than waiting for a 20,000-item export. A request arriving mid-way waits
/// for it, so no one is ever served what is no longer published.
async fn refresh(shared: std::sync::Weak<Shared>) {
    loop {
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        let Some(shared) = shared.upgrade() else {
            return; // the server is gone
        };
        let _ = tokio::task::spawn_blocking(move || {
            for version in [CaseVersion::V1_0, CaseVersion::V1_1] {
                let asked = shared
                    .db
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .catalogs
                    .contains_key(version.label());
                if asked {
                    let _ = fresh(&shared, version);
                }
            }
        })
        .await;
    }
}

#[derive(Clone, Copy)]
enum Kind {
    Document,
    Package,
    Item,
    Association,
    ItemAssociations,
    Definition(&'static str),
    DefinitionSet(&'static str),
    Rubric,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Document => "CFDocument",
            Kind::Package => "CFPackage",
            Kind::Item | Kind::ItemAssociations => "CFItem",
            Kind::Association => "CFAssociation",
            Kind::Definition(l) | Kind::DefinitionSet(l) => l.trim_end_matches('s'),
            Kind::Rubric => "CFRubric",
        }
    }
}

/// A `sourcedId` as CASE writes them: a UUID in its 8-4-4-4-12 hex form.
fn uuid_shaped(id: &str) -> bool {
    id.len() == 36
        && id.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

async fn object(State(api): State<Api>, UrlPath(id): UrlPath<String>, kind: Kind) -> Response {
    let version = api.version;
    if !uuid_shaped(&id) {
        return Failure::InvalidUuid(format!("`{id}` is not a UUID")).into_response(version);
    }
    let id = id.to_ascii_lowercase();
    let catalog = match api.catalog().await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let found: Option<Body> = match kind {
        Kind::Package => catalog.package(&id).map(|p| Body::from(p.bytes())),
        Kind::Document => catalog.document(&id).map(value_body),
        Kind::Item => catalog.item(&id).map(Body::from),
        Kind::Association => catalog.association(&id).map(Body::from),
        Kind::ItemAssociations => catalog.item_associations(&id).map(Body::from),
        Kind::Definition(list) => catalog
            .definition(list, &id)
            .map(|s| Body::from(s.to_string())),
        Kind::DefinitionSet(list) => catalog.definition_set(list, &id).map(Body::from),
        Kind::Rubric => catalog.rubric(&id).map(|s| Body::from(s.to_string())),
    };
    match found {
        Some(body) => json_response(body, None),
        None => Failure::UnknownObject(format!(
            "no published {} has the identifier {id}",
            kind.name()
        ))
        .into_response(version),
    }
}

async fn documents(State(api): State<Api>, Query(pairs): Query<Vec<(String, String)>>) -> Response {
    let version = api.version;
    let mut known: Vec<&str> = query::FIELDS_1_0.to_vec();
    if version == CaseVersion::V1_1 {
        known.extend_from_slice(query::FIELDS_1_1_EXTRA);
    }
    let q = match query::parse(&pairs, &known) {
        Ok(q) => q,
        Err(f) => return f.into_response(version),
    };
    let catalog = match api.catalog().await {
        Ok(c) => c,
        Err(r) => return r,
    };
    let (total, page) = query::apply(catalog.listings.iter(), &q);
    let body = serde_json::json!({ "CFDocuments": page });
    json_bytes(body.to_string().into(), Some(total))
}

fn value_body(v: &(impl serde::Serialize + ?Sized)) -> Body {
    Body::from(serde_json::to_vec(v).unwrap_or_default())
}

fn json_bytes(bytes: axum::body::Bytes, total: Option<usize>) -> Response {
    json_response(Body::from(bytes), total)
}

fn json_response(body: Body, total: Option<usize>) -> Response {
    let mut response = (StatusCode::OK, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    if let Some(total) = total {
        headers.insert("X-Total-Count", HeaderValue::from(total));
    }
    allow_any_origin(&mut response);
    response
}

/// What is published is public: any web page may read it (and the total count).
fn allow_any_origin(response: &mut Response) {
    let headers = response.headers_mut();
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_ORIGIN,
        HeaderValue::from_static("*"),
    );
    headers.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("X-Total-Count"),
    );
}
