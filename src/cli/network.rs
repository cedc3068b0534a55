//! The CASE network commands: `serve`, `publish`/`unpublish` and `pull`.
use crate::store::{CROSSWALK, Workshop};
use anyhow::Result;
use std::io::Write;

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
