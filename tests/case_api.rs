//! `crosswalk serve`'s CASE REST API against a real server on an ephemeral port: every
//! endpoint, success and error, for both CASE versions, checked with the shared
//! `validate_api.py`, on the sample frameworks and the real packages of ../shared.
mod case_net;

use case_net::{Response, get, import_shared, samples_workshop, serve, validate_api};
use crosswalk::store::{CROSSWALK, NewLink, Workshop};
use serde_json::{Value, json};
use std::collections::BTreeSet;

const VERSIONS: [&str; 2] = ["1.0", "1.1"];

/// The CASE 1.0 definition (as OpenSALT serves it) writes CFDocument, CFItem and
/// CFAssociation outside a package as `allOf` the package type and a one-field schema,
/// each with `additionalProperties: false`; under JSON Schema no body satisfies both.
/// For those, each half is checked: the extra field is a LinkURI and the rest is valid
/// as the package type (inside a package for the validator to reach it).
fn check(version: &str, endpoint: &str, r: &Response) {
    let direct = validate_api(version, endpoint, &r.body, r.status);
    let Err(said) = direct else { return };
    let body = r.json();
    let split = version == "1.0" && r.status == 200;
    match endpoint {
        "/CFDocuments" if split => body["CFDocuments"]
            .as_array()
            .unwrap()
            .iter()
            .for_each(document_1_0),
        "/CFDocuments/{sourcedId}" if split => document_1_0(&body),
        "/CFItems/{sourcedId}" if split => item_1_0(&body),
        "/CFAssociations/{sourcedId}" if split => association_1_0(&body),
        "/CFItemAssociations/{sourcedId}" if split => {
            item_1_0(&body["CFItem"]);
            let package =
                json!({"CFDocument": doc_stub(), "CFAssociations": body["CFAssociations"]});
            valid_package_1_0(&package);
        }
        _ => panic!("{version} {endpoint} {}: {said}", r.status),
    }
}

fn doc_stub() -> Value {
    json!({"identifier": "5b5f9983-eabb-4661-aca4-9e0c81046772", "uri": "https://x.example/d", "creator": "c",
           "title": "t", "lastChangeDateTime": "2026-01-01T00:00:00Z"})
}

fn link_uri(v: &Value) {
    let keys: BTreeSet<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, BTreeSet::from(["identifier", "title", "uri"]), "{v}");
}

fn without(v: &Value, key: &str) -> Value {
    link_uri(&v[key]);
    let mut v = v.clone();
    v.as_object_mut().unwrap().remove(key);
    v
}

fn valid_package_1_0(package: &Value) {
    let bytes = serde_json::to_vec(package).unwrap();
    if let Err(e) = validate_api("1.0", "/CFPackages/{sourcedId}", &bytes, 200) {
        panic!("{e}");
    }
}

fn document_1_0(doc: &Value) {
    valid_package_1_0(&json!({"CFDocument": without(doc, "CFPackageURI")}));
}

fn item_1_0(item: &Value) {
    valid_package_1_0(
        &json!({"CFDocument": doc_stub(), "CFItems": [without(item, "CFDocumentURI")]}),
    );
}

fn association_1_0(a: &Value) {
    valid_package_1_0(
        &json!({"CFDocument": doc_stub(), "CFAssociations": [without(a, "CFDocumentURI")]}),
    );
}

/// A workshop with the samples, a link between the first pair, and what is published.
fn published_samples(dir: &std::path::Path) -> std::path::PathBuf {
    let db = samples_workshop(dir);
    let mut ws = Workshop::open(&db).unwrap();
    ws.create_link(&NewLink {
        origin: "CHW-PLO.1.2".into(),
        destination: "CHW.C.1.3".into(),
        note: "practicum".into(),
        ..NewLink::default()
    })
    .unwrap();
    let fws = ws.frameworks().unwrap();
    ws.publish(&fws[0].identifier).unwrap();
    ws.publish(&fws[1].identifier).unwrap();
    ws.publish(CROSSWALK).unwrap();
    db
}

/// Walks every published document through every endpoint that names its objects.
fn check_every_endpoint(server: &case_net::TestServer, version: &str) -> usize {
    let base = server.v(version);
    let list = get(&format!("{base}/CFDocuments"));
    assert_eq!(list.status, 200);
    check(version, "/CFDocuments", &list);
    let docs = list.json()["CFDocuments"].as_array().unwrap().clone();
    assert_eq!(list.header("X-Total-Count"), Some(docs.len().to_string()));
    let mut checked = 1;
    for doc in &docs {
        let id = doc["identifier"].as_str().unwrap();
        let one = get(&format!("{base}/CFDocuments/{id}"));
        assert_eq!((one.status, &one.json()), (200, doc));
        check(version, "/CFDocuments/{sourcedId}", &one);
        let pkg = get(doc["CFPackageURI"]["uri"].as_str().unwrap());
        assert_eq!(pkg.status, 200);
        check(version, "/CFPackages/{sourcedId}", &pkg);
        let pkg = pkg.json();
        assert_eq!(pkg["CFDocument"]["identifier"], id);
        checked += 2;
        // The first items and associations, and every definition.
        for item in pkg["CFItems"].as_array().unwrap().iter().take(3) {
            let iid = item["identifier"].as_str().unwrap();
            let r = get(&format!("{base}/CFItems/{iid}"));
            assert_eq!(r.status, 200);
            assert_eq!(r.json()["CFDocumentURI"]["identifier"], id);
            check(version, "/CFItems/{sourcedId}", &r);
            let r = get(&format!("{base}/CFItemAssociations/{iid}"));
            assert_eq!(r.status, 200);
            let named = r.json()["CFAssociations"]
                .as_array()
                .unwrap()
                .iter()
                .all(|a| {
                    a["originNodeURI"]["identifier"] == iid
                        || a["destinationNodeURI"]["identifier"] == iid
                });
            assert!(named, "every association names the item");
            check(version, "/CFItemAssociations/{sourcedId}", &r);
            checked += 2;
        }
        for a in pkg["CFAssociations"].as_array().unwrap().iter().take(2) {
            let r = get(&format!(
                "{base}/CFAssociations/{}",
                a["identifier"].as_str().unwrap()
            ));
            assert_eq!(r.status, 200);
            check(version, "/CFAssociations/{sourcedId}", &r);
            checked += 1;
        }
        for (list, endpoint) in [
            ("CFItemTypes", "/CFItemTypes/{sourcedId}"),
            ("CFSubjects", "/CFSubjects/{sourcedId}"),
            ("CFConcepts", "/CFConcepts/{sourcedId}"),
            ("CFLicenses", "/CFLicenses/{sourcedId}"),
            (
                "CFAssociationGroupings",
                "/CFAssociationGroupings/{sourcedId}",
            ),
        ] {
            for d in pkg["CFDefinitions"][list].as_array().into_iter().flatten() {
                let r = get(&format!(
                    "{base}/{list}/{}",
                    d["identifier"].as_str().unwrap()
                ));
                assert_eq!(r.status, 200, "{list}");
                check(version, endpoint, &r);
                checked += 1;
            }
        }
    }
    checked
}

#[test]
fn every_endpoint_answers_valid_case_for_the_sample_frameworks_and_crosswalk() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve(&published_samples(dir.path()));
    for version in VERSIONS {
        let list = get(&format!("{}/CFDocuments", server.v(version))).json();
        let titles: Vec<&str> = list["CFDocuments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["title"].as_str().unwrap())
            .collect();
        assert_eq!(
            titles.len(),
            3,
            "two frameworks and the crosswalk, not the unpublished two: {titles:?}"
        );
        assert!(titles[2].starts_with("Crosswalk: "), "{titles:?}");
        let checked = check_every_endpoint(&server, version);
        assert!(checked > 20, "{checked}");
    }
    // The crosswalk's grouping and its link, by identifier.
    let list = get(&format!("{}/CFDocuments", server.v("1.1"))).json();
    let crosswalk = get(list["CFDocuments"][2]["CFPackageURI"]["uri"]
        .as_str()
        .unwrap())
    .json();
    let links = crosswalk["CFAssociations"].as_array().unwrap();
    assert_eq!(links.len(), 1);
    assert_eq!(links[0]["notes"], "practicum");
    // Ends are titled by code and the start of the statement.
    let title = links[0]["originNodeURI"]["title"].as_str().unwrap();
    assert!(
        title.starts_with("CHW-PLO.1.2 Explain how social determinants"),
        "{title}"
    );
}

#[test]
fn the_real_packages_are_served_as_valid_case() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("w.sqlite");
    let mut ws = Workshop::open(&db).unwrap();
    for name in [
        "opensalt-sample-framework.json",
        "Ordering.json",
        "Utf8TestFramework.json",
    ] {
        let Some(id) = import_shared(&mut ws, name) else {
            return;
        };
        ws.publish(&id).unwrap();
    }
    let server = serve(&db);
    for version in VERSIONS {
        let list = get(&format!("{}/CFDocuments", server.v(version))).json();
        assert_eq!(list["CFDocuments"].as_array().unwrap().len(), 3);
        check_every_endpoint(&server, version);
    }
    // The OpenSALT sample's item types are served, with their hierarchy.
    let pkg_url = get(&format!(
        "{}/CFDocuments?filter=title~'{}'",
        server.v("1.1"),
        "Utf8"
    ))
    .json()["CFDocuments"][0]["CFPackageURI"]["uri"]
        .clone();
    assert!(pkg_url.as_str().unwrap().contains("/CFPackages/"));
}

/// Every `uri` a package holds that names an object published here is under
/// --public-url and answers 200; only references to objects elsewhere (the OpenSALT
/// sample's exemplars and other documents) keep the URI their publisher gave.
#[test]
fn every_uri_resolves_on_the_server() {
    let dir = tempfile::tempdir().unwrap();
    let db = published_samples(dir.path());
    let mut ws = Workshop::open(&db).unwrap();
    if let Some(id) = import_shared(&mut ws, "opensalt-sample-framework.json") {
        ws.publish(&id).unwrap();
    }
    let server = serve(&db);
    for version in VERSIONS {
        let list = get(&format!("{}/CFDocuments", server.v(version))).json();
        let mut refs = BTreeSet::new();
        let mut records = BTreeSet::new();
        for doc in list["CFDocuments"].as_array().unwrap() {
            let pkg = get(doc["CFPackageURI"]["uri"].as_str().unwrap()).json();
            collect_refs(&pkg, &mut refs);
            records.insert(
                pkg["CFDocument"]["identifier"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            );
            for list in ["CFItems", "CFAssociations"] {
                for r in pkg[list].as_array().unwrap() {
                    records.insert(r["identifier"].as_str().unwrap().to_string());
                }
            }
            for (_, defs) in pkg["CFDefinitions"].as_object().into_iter().flatten() {
                for d in defs.as_array().into_iter().flatten() {
                    records.insert(d["identifier"].as_str().unwrap().to_string());
                }
            }
        }
        let ours: Vec<&(String, String)> =
            refs.iter().filter(|(id, _)| records.contains(id)).collect();
        assert!(ours.len() > 150, "{}", ours.len());
        assert!(
            refs.len() > ours.len(),
            "the sample names objects elsewhere too"
        );
        for (id, uri) in ours {
            assert!(
                uri.starts_with(&server.url) && uri.ends_with(id.as_str()),
                "{id}: {uri}"
            );
            assert_eq!(get(uri).status, 200, "{uri}");
        }
    }
}

/// Every (identifier, uri) pair: records and the references to them.
fn collect_refs(v: &Value, out: &mut BTreeSet<(String, String)>) {
    match v {
        Value::Object(o) => {
            if let (Some(Value::String(id)), Some(Value::String(u))) =
                (o.get("identifier"), o.get("uri"))
            {
                out.insert((id.clone(), u.clone()));
            }
            o.values().for_each(|c| collect_refs(c, out));
        }
        Value::Array(a) => a.iter().for_each(|c| collect_refs(c, out)),
        _ => {}
    }
}

#[test]
fn errors_are_imsx_status_info_with_the_right_code_and_status() {
    let dir = tempfile::tempdir().unwrap();
    let db = published_samples(dir.path());
    let unpublished = Workshop::open(&db).unwrap().frameworks().unwrap()[2]
        .identifier
        .clone();
    let server = serve(&db);
    let endpoints = [
        "CFDocuments",
        "CFPackages",
        "CFItems",
        "CFAssociations",
        "CFItemAssociations",
        "CFAssociationGroupings",
        "CFConcepts",
        "CFSubjects",
        "CFItemTypes",
        "CFLicenses",
        "CFRubrics",
    ];
    for version in VERSIONS {
        let base = server.v(version);
        let invalid_uuid = if version == "1.0" {
            "invaliduuid"
        } else {
            "invalid_uuid"
        };
        let expect = |r: &Response, status: u16, minor: &str, endpoint: &str| {
            assert_eq!(
                r.status,
                status,
                "{endpoint}: {}",
                String::from_utf8_lossy(&r.body)
            );
            let body = r.json();
            assert_eq!(body["imsx_codeMajor"], "failure");
            assert_eq!(
                body["imsx_codeMinor"]["imsx_codeMinorField"][0]["imsx_codeMinorFieldValue"], minor,
                "{endpoint}"
            );
            check(version, endpoint, r);
        };
        for e in endpoints {
            let endpoint = format!("/{e}/{{sourcedId}}");
            expect(
                &get(&format!("{base}/{e}/0c6c8f2e-1f1a-4c7b-9d3e-5a2b1c0d9e8f")),
                404,
                "unknownobject",
                &endpoint,
            );
            expect(
                &get(&format!("{base}/{e}/not-a-uuid")),
                400,
                invalid_uuid,
                &endpoint,
            );
        }
        // A framework of the workshop that is not published is not there.
        expect(
            &get(&format!("{base}/CFPackages/{unpublished}")),
            404,
            "unknownobject",
            "/CFPackages/{sourcedId}",
        );
        expect(
            &get(&format!("{base}/CFDocuments/{unpublished}")),
            404,
            "unknownobject",
            "/CFDocuments/{sourcedId}",
        );
        for (query, minor) in [
            ("fields=title,colour", "invalid_selection_field"),
            ("filter=colour='red'", "invalid_selection_field"),
            ("filter=title", "invalid_selection_field"),
            ("limit=0", "invalid_selection_field"),
            ("orderBy=sideways", "invalid_selection_field"),
            ("sort=colour", "invalid_sort_field"),
        ] {
            expect(
                &get(&format!("{base}/CFDocuments?{query}")),
                400,
                minor,
                "/CFDocuments",
            );
        }
    }
}

#[test]
fn cf_documents_pages_sorts_filters_and_selects_fields() {
    let dir = tempfile::tempdir().unwrap();
    let db = samples_workshop(dir.path());
    let mut ws = Workshop::open(&db).unwrap();
    for f in ws.frameworks().unwrap() {
        ws.publish(&f.identifier).unwrap();
    }
    let server = serve(&db);
    let base = server.v("1.1");
    let titles = |query: &str| -> (Option<String>, Vec<String>) {
        let r = get(&format!("{base}/CFDocuments?{query}"));
        assert_eq!(r.status, 200, "{query}");
        let titles = r.json()["CFDocuments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["title"].as_str().unwrap_or("").to_string())
            .collect();
        (r.header("X-Total-Count"), titles)
    };
    let (total, all) = titles("");
    assert_eq!((total.as_deref(), all.len()), (Some("4"), 4));
    let (total, page) = titles("limit=2&offset=1");
    assert_eq!((total.as_deref(), page.as_slice()), (Some("4"), &all[1..3]));
    let (_, sorted) = titles("sort=title&orderBy=desc");
    let mut expected = all.clone();
    expected.sort();
    expected.reverse();
    assert_eq!(sorted, expected);
    let (total, hits) = titles("filter=title~'job competencies'");
    assert_eq!(total.as_deref(), Some("2"));
    assert!(
        hits.iter().all(|t| t.contains("Job Competencies")),
        "{hits:?}"
    );
    let (_, hits) = titles("filter=title~'Lineworker' OR title~'Worker II'");
    assert_eq!(hits.len(), 2, "{hits:?}");
    let (_, hits) = titles("filter=title~'Community' AND title~'Outcomes'");
    assert_eq!(hits.len(), 1, "{hits:?}");
    let r = get(&format!(
        "{base}/CFDocuments?fields=identifier,title&limit=1"
    ));
    let doc = &r.json()["CFDocuments"][0];
    let keys: BTreeSet<&str> = doc
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(keys, BTreeSet::from(["identifier", "title"]));
    // Unpublishing takes a document out at once, as the server sees the file change.
    ws.unpublish(&ws.frameworks().unwrap()[0].identifier.clone())
        .unwrap();
    assert_eq!(titles("").0.as_deref(), Some("3"));
}

#[test]
fn the_1_1_discovery_document_names_this_server_and_every_endpoint() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve(&samples_workshop(dir.path()));
    let r = get(&format!(
        "{}/discovery/imscasev1p1_openapi3_v1p0.json",
        server.v("1.1")
    ));
    assert_eq!(r.status, 200);
    let doc = r.json();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.0"));
    assert_eq!(doc["servers"][0]["url"], server.v("1.1"));
    let ours: BTreeSet<&str> = doc["paths"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    if let Some(official) = case_net::shared("case-schema/case-v1p1-openapi3.json") {
        let official: Value = serde_json::from_slice(&std::fs::read(official).unwrap()).unwrap();
        let theirs: BTreeSet<&str> = official["paths"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(ours, theirs);
    }
    assert_eq!(
        get(&format!(
            "{}/discovery/imscasev1p1_openapi3_v1p0.json",
            server.v("1.0")
        ))
        .status,
        404
    );
}

/// The crosswalk published holds the agreed links only: not proposed, disputed or rejected ones.
#[test]
fn the_published_crosswalk_holds_only_agreed_links() {
    use crosswalk::model::{Role, Vote};
    let dir = tempfile::tempdir().unwrap();
    let db = published_samples(dir.path());
    let mut ws = Workshop::open(&db).unwrap();
    let mut ids = Vec::new();
    for (o, d) in [
        ("CHW-PLO.2.1", "CHW.C.2.2"),
        ("CHW-PLO.2.2", "CHW.C.2.3"),
        ("CHW-PLO.2.3", "CHW.C.2.4"),
    ] {
        let link = ws
            .create_link(&NewLink {
                origin: o.into(),
                destination: d.into(),
                ..NewLink::default()
            })
            .unwrap();
        ids.push(link.identifier);
    }
    for (name, role) in [
        ("Fay", Role::Facilitator),
        ("Ana", Role::Faculty),
        ("Sam", Role::EmployerSme),
    ] {
        ws.add_participant(name, role).unwrap();
    }
    for (who, vote) in [("Ana", Vote::Accept), ("Sam", Vote::Accept)] {
        ws.act_as(Some(who)).unwrap();
        ws.vote(&ids[0], vote, None).unwrap();
    }
    ws.act_as(Some("Sam")).unwrap();
    ws.vote(&ids[1], Vote::Dispute, Some("not assessed"))
        .unwrap();
    let agreed: Vec<String> = ws
        .session_links()
        .unwrap()
        .into_iter()
        .filter(|l| l.status == crosswalk::model::LinkStatus::Agreed)
        .map(|l| l.link.identifier)
        .collect();
    assert_eq!(
        agreed,
        [ids[0].clone()],
        "one agreed, one disputed, the rest proposed"
    );
    let server = serve(&db);
    for version in VERSIONS {
        let list = get(&format!(
            "{}/CFDocuments?filter=title~'Crosswalk'",
            server.v(version)
        ))
        .json();
        let url = list["CFDocuments"][0]["CFPackageURI"]["uri"]
            .as_str()
            .unwrap()
            .to_string();
        let pkg = get(&url);
        check(version, "/CFPackages/{sourcedId}", &pkg);
        let served: Vec<String> = pkg.json()["CFAssociations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["identifier"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(served, agreed, "{version}");
    }
}

#[test]
fn nothing_is_served_until_published() {
    let dir = tempfile::tempdir().unwrap();
    let server = serve(&samples_workshop(dir.path()));
    let r = get(&format!("{}/CFDocuments", server.v("1.1")));
    assert_eq!(
        (r.status, r.header("X-Total-Count").as_deref()),
        (200, Some("0"))
    );
    assert_eq!(r.json(), json!({"CFDocuments": []}));
}

/// `crosswalk publish`/`unpublish` and `crosswalk serve`, the real binary end to end.
mod cli {
    use super::case_net::{get, samples_workshop};
    use std::io::{BufRead, BufReader};
    use std::path::Path;
    use std::process::{Child, Command, Output, Stdio};

    fn crosswalk(db: &Path, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_crosswalk"))
            .arg("--db")
            .arg(db)
            .args(args)
            .env_remove("CROSSWALK_DB")
            .stdin(Stdio::null())
            .output()
            .unwrap()
    }

    fn stdout(o: &Output) -> String {
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        String::from_utf8_lossy(&o.stdout).into_owned()
    }

    /// Starts `crosswalk serve`, returning it with the base URL it printed and what it said before.
    fn start(db: &Path, listen: &str) -> (Child, String, String) {
        let mut child = Command::new(env!("CARGO_BIN_EXE_crosswalk"))
            .arg("--db")
            .arg(db)
            .args(["serve", "--case-only", "--listen", listen])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut said = String::new();
        let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
        for line in lines.by_ref() {
            let line = line.unwrap();
            said.push_str(&line);
            said.push('\n');
            if let Some(url) = line.trim().strip_suffix("/v1p1/CFDocuments") {
                // Keep draining stderr so the server never blocks on it.
                std::thread::spawn(move || lines.for_each(drop));
                return (child, url.to_string(), said);
            }
        }
        let _ = child.kill();
        let _ = child.wait();
        panic!("serve said: {said}");
    }

    #[test]
    fn publish_chooses_what_serve_serves() {
        let dir = tempfile::tempdir().unwrap();
        let db = samples_workshop(dir.path());
        assert!(stdout(&crosswalk(&db, &["publish"])).starts_with("nothing is published"));
        let said = stdout(&crosswalk(&db, &["publish", "2"]));
        assert!(
            said.starts_with("published \"Community Health Worker II"),
            "{said}"
        );
        assert!(stdout(&crosswalk(&db, &["publish", "2"])).contains("already published"));
        let said = stdout(&crosswalk(&db, &["publish", "crosswalk"]));
        assert!(said.contains("published the crosswalk"), "{said}");
        let list = stdout(&crosswalk(&db, &["publish"]));
        assert!(
            list.contains("Community Health Worker II") && list.contains("the crosswalk"),
            "{list}"
        );
        let refused = crosswalk(&db, &["publish", "no such framework"]);
        assert_eq!(refused.status.code(), Some(1));

        let (mut child, url, said) = start(&db, "127.0.0.1:0");
        assert!(url.starts_with("http://127.0.0.1:"), "{url}");
        assert!(!said.contains("WARNING"), "{said}");
        let count = |u: &str| get(&format!("{u}/v1p0/CFDocuments")).header("X-Total-Count");
        assert_eq!(count(&url).as_deref(), Some("2"));
        assert!(stdout(&crosswalk(&db, &["unpublish", "crosswalk"])).contains("unpublished"));
        assert_eq!(
            count(&url).as_deref(),
            Some("1"),
            "the running server sees the change"
        );
        assert!(stdout(&crosswalk(&db, &["unpublish", "crosswalk"])).contains("was not published"));
        child.kill().unwrap();
        child.wait().unwrap();
    }

    #[test]
    fn binding_beyond_loopback_is_said_loudly() {
        let dir = tempfile::tempdir().unwrap();
        let db = samples_workshop(dir.path());
        let (mut child, _, said) = start(&db, "0.0.0.0:0");
        assert!(said.contains("WARNING: listening on 0.0.0.0:"), "{said}");
        assert!(said.contains("pass --public-url"), "{said}");
        child.kill().unwrap();
        child.wait().unwrap();
    }
}
