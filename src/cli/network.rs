//! The CASE network commands: `serve`, `publish`/`unpublish` and `pull`.
use crate::case::rest::{self, Client, Credentials, DocumentEntry, Target, printable};
use crate::case::{self};
use crate::model::Side;
use crate::store::{CROSSWALK, ImportOptions, Workshop};
use anyhow::{Context, Result, anyhow, bail};
use std::io::{BufRead, IsTerminal, Write};

/// `crosswalk publish [FRAMEWORK|crosswalk]`; without a name, lists what is published.
pub fn publish(ws: &mut Workshop, name: Option<&str>, out: &mut impl Write) -> Result<()> {
    let Some(name) = name else {
        return list_published(ws, out);
    };
    let (identifier, label) = published_name(ws, name)?;
    if ws.publish(&identifier)? {
        writeln!(out, "published {label}; `crosswalk serve` serves it")?;
    } else {
        writeln!(out, "{label} was already published")?;
    }
    if identifier == CROSSWALK {
        // The crosswalk's links name items; they resolve here only if their frameworks are published.
        let published = ws.published()?;
        let links = ws.links()?;
        for f in ws.frameworks()? {
            let used = links.iter().any(|l| {
                l.origin.framework_identifier == f.identifier
                    || l.destination.framework_identifier == f.identifier
            });
            if used && !published.contains(&f.identifier) {
                writeln!(
                    out,
                    "note: \"{}\" is not published, so the links' URIs for its items point where it came from; `crosswalk publish {}` serves them too",
                    f.title, f.id
                )?;
            }
        }
    }
    Ok(())
}

pub fn unpublish(ws: &mut Workshop, name: &str, out: &mut impl Write) -> Result<()> {
    let (identifier, label) = match published_name(ws, name) {
        Ok(found) => found,
        // A framework removed since it was published can still be taken off by identifier.
        Err(_) if ws.published()?.iter().any(|p| p == name) => (name.to_string(), name.to_string()),
        Err(e) => return Err(e),
    };
    if ws.unpublish(&identifier)? {
        writeln!(out, "unpublished {label}")?;
    } else {
        writeln!(out, "{label} was not published")?;
    }
    Ok(())
}

fn published_name(ws: &Workshop, name: &str) -> Result<(String, String)> {
    if name.eq_ignore_ascii_case(CROSSWALK) {
        return Ok((
            CROSSWALK.to_string(),
            "the crosswalk (its agreed links)".into(),
        ));
    }
    let f = ws.find_framework(name)?;
    Ok((
        f.identifier.clone(),
        format!("\"{}\" ({})", f.title, f.identifier),
    ))
}

fn list_published(ws: &Workshop, out: &mut impl Write) -> Result<()> {
    let published = ws.published()?;
    if published.is_empty() {
        writeln!(
            out,
            "nothing is published; `crosswalk publish FRAMEWORK` or `crosswalk publish crosswalk` chooses what `crosswalk serve` serves"
        )?;
    }
    let frameworks = ws.frameworks()?;
    for p in published {
        match frameworks.iter().find(|f| f.identifier == p) {
            Some(f) => writeln!(out, "{:>3}  {}  ({})", f.id, f.title, f.identifier)?,
            None if p == CROSSWALK => writeln!(out, "     the crosswalk (agreed links)")?,
            None => writeln!(out, "     {p} (no longer in the workshop)")?,
        }
    }
    Ok(())
}

/// What `crosswalk pull` was asked.
pub struct PullArgs {
    pub url: Option<String>,
    pub side: Option<Side>,
    pub document: Option<String>,
    pub update: Option<String>,
}

/// `crosswalk pull`: everything is fetched before the workshop is touched, and the import
/// is one transaction, so a failure anywhere leaves the workshop as it was.
pub fn pull(ws: &mut Workshop, args: PullArgs, out: &mut impl Write) -> Result<()> {
    let url = match (&args.update, args.url) {
        (Some(name), None) => {
            let f = ws.find_framework(name)?;
            ws.source_url(&f.identifier)?.ok_or_else(|| {
                anyhow!("\"{}\" was not pulled from a CASE server, so there is nothing to update it from; pull it with `crosswalk pull URL`", f.title)
            })?
        }
        (Some(_), Some(_)) => bail!("give either a URL or --update FRAMEWORK, not both"),
        (None, Some(url)) => url,
        (None, None) => bail!("give a CASE provider URL (or --update FRAMEWORK)"),
    };
    // The config directory as the screen finds it (`~/.config/crosswalk` on Linux).
    let config_dir = directories::ProjectDirs::from("org", "crosswalk", "crosswalk")
        .map(|d| d.config_dir().to_path_buf());
    let mut client = Client::new(Credentials::for_url(&url, config_dir.as_deref())?)?;
    client.progress = std::io::stderr().is_terminal();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the HTTP runtime")?;
    let document = args.document.clone();
    let (package_url, bytes) = runtime.block_on(async {
        let package_url = match Target::from_url(&url)? {
            Target::Package(u) => u,
            Target::Document(u) => client.package_url_of(&u).await?,
            Target::Provider(base) => {
                let docs = client.documents(&base).await?;
                let chosen = choose(&docs, document.as_deref(), &base)?;
                rest::package_url(&base, chosen)
            }
        };
        let bytes = client.package(&package_url).await?;
        anyhow::Ok((package_url, bytes))
    })?;
    let pkg = case::parse_package(&bytes, &package_url)?;
    // One transaction, recorded in the history with where it came from.
    let options = ImportOptions {
        side: args.side,
        source: package_url.clone(),
        ..ImportOptions::default()
    };
    let report = ws
        .import_package_with(&pkg, &options)
        .with_context(|| format!("{package_url}: import refused; the workshop is unchanged"))?;
    if !pkg.framework.items.is_empty() {
        ws.set_source_url(&pkg.framework.identifier, &package_url)?;
    }
    write!(out, "{}", report.summary())?;
    writeln!(out, "from {package_url}")?;
    Ok(())
}

/// The document to pull: `--document` (identifier or title), the person's choice on a
/// terminal, or an error listing the choices.
fn choose<'a>(
    docs: &'a [DocumentEntry],
    wanted: Option<&str>,
    base: &str,
) -> Result<&'a DocumentEntry> {
    if docs.is_empty() {
        bail!("{base} lists no CFDocuments");
    }
    let listing = || {
        docs.iter()
            .enumerate()
            .map(|(i, d)| {
                format!(
                    "  {:>3}. {}  ({}){}",
                    i + 1,
                    printable(&d.title),
                    printable(&d.identifier),
                    if d.creator.is_empty() {
                        String::new()
                    } else {
                        format!(" by {}", printable(&d.creator))
                    }
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    };
    if let Some(wanted) = wanted {
        let wanted = wanted.trim();
        return docs
            .iter()
            .find(|d| d.identifier.eq_ignore_ascii_case(wanted))
            .or_else(|| docs.iter().find(|d| d.title.eq_ignore_ascii_case(wanted)))
            .ok_or_else(|| {
                anyhow!(
                    "{base} has no document `{}`; it lists:\n{}",
                    printable(wanted),
                    listing()
                )
            });
    }
    if docs.len() == 1 {
        return Ok(&docs[0]);
    }
    if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
        bail!(
            "{base} lists {} documents; choose one with --document ID:\n{}",
            docs.len(),
            listing()
        );
    }
    eprintln!("{base} lists {} documents:\n{}", docs.len(), listing());
    let stdin = std::io::stdin();
    loop {
        eprint!("pull which one (1-{}, or q)? ", docs.len());
        let mut line = String::new();
        if stdin.lock().read_line(&mut line)? == 0 || line.trim().eq_ignore_ascii_case("q") {
            bail!("nothing pulled");
        }
        match line.trim().parse::<usize>() {
            Ok(n) if (1..=docs.len()).contains(&n) => return Ok(&docs[n - 1]),
            _ => eprintln!("type a number from 1 to {}", docs.len()),
        }
    }
}
