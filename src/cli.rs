//! The command line: parse arguments, open the workshop, hand over to the store,
//! the CASE formats or the screen. Errors go to stderr with a non-zero exit.
use crate::case::{self, CaseVersion, CrosswalkInfo, NodeRef};
use crate::model::{AssociationType, Side, Strength};
use crate::store::{LinkChange, NewLink, Workshop};
use anyhow::{Context, Result, anyhow, bail};
use clap::{Parser, Subcommand, ValueEnum};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

mod network;
mod session;
use session::{SessionCommand, StatusArg};

#[derive(Parser, Debug)]
#[command(name = "crosswalk", version, about = "Align learning outcomes with job competencies and export the crosswalk as 1EdTech CASE", long_about = None)]
pub struct Cli {
    /// Workshop file (default: the platform data dir's crosswalk/workshop.sqlite, seeded with the sample frameworks)
    #[arg(long, global = true, value_name = "PATH", env = "CROSSWALK_DB")]
    pub db: Option<PathBuf>,
    /// Colour theme for the screen: dark, light, high-contrast, colour-blind, or a user theme
    #[arg(long, value_name = "NAME")]
    pub theme: Option<String>,
    /// Who is acting (a participant's name), recorded in the session history; votes need it
    #[arg(long = "as", global = true, value_name = "NAME", env = "CROSSWALK_AS")]
    pub act_as: Option<String>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Import a framework (CASE JSON or CSV) or a crosswalk's links (CASE JSON); `-` reads standard input
    Import {
        /// File to read, or `-` for standard input
        file: PathBuf,
        /// Which side the framework is on (kept on re-import when not given; new frameworks default to educator)
        #[arg(long, value_parser = parse_side)]
        side: Option<Side>,
        /// Input format; by default from the file extension (.csv is CSV, anything else CASE JSON)
        #[arg(long, value_enum)]
        format: Option<InputFormat>,
        /// Title for a framework read from CSV (default: the file name)
        #[arg(long)]
        title: Option<String>,
    },
    /// List the frameworks in the workshop with item and link counts
    Frameworks,
    /// Print a framework's tree, indented, with codes
    Show {
        /// Framework by number, identifier or title
        framework: String,
    },
    /// Change which side a framework is on
    Side {
        framework: String,
        #[arg(value_parser = parse_side)]
        side: Side,
    },
    /// Draw an alignment link between two items (named by identifier or code)
    Link {
        origin: String,
        destination: String,
        /// CASE association type
        #[arg(long = "type", short = 't', value_parser = parse_type, default_value = "exactMatchOf")]
        association_type: AssociationType,
        /// Rationale for the link
        #[arg(long, short = 'n', default_value = "")]
        note: String,
        /// major or minor alignment
        #[arg(long, value_parser = parse_strength, default_value = "major")]
        strength: Strength,
        /// How sure the person drawing it is, 0 to 1 (kept as provenance, exported in SSSOM)
        #[arg(long)]
        confidence: Option<f64>,
    },
    /// Change a link's type, note or strength (by link identifier, or by its two items)
    Relink {
        /// Link identifier, or the origin item when DESTINATION is given
        link: String,
        destination: Option<String>,
        #[arg(long = "type", short = 't', value_parser = parse_type)]
        association_type: Option<AssociationType>,
        #[arg(long, short = 'n')]
        note: Option<String>,
        #[arg(long, value_parser = parse_strength)]
        strength: Option<Strength>,
    },
    /// Delete a link (by link identifier, or by its two items)
    Unlink {
        /// Link identifier, or the origin item when DESTINATION is given
        link: String,
        destination: Option<String>,
    },
    /// List the alignment links
    Links {
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
    },
    /// Export the crosswalk (CASE JSON, CSV or SSSOM TSV), or one framework as a CASE package
    ///
    /// CASE and SSSOM write the agreed links unless --status says otherwise; in a workshop
    /// with no participants every link counts as agreed.
    Export {
        #[arg(long, value_enum, default_value = "case")]
        format: OutputFormat,
        /// Which links by status (default: agreed for CASE and SSSOM, all for CSV)
        #[arg(long, value_enum)]
        status: Option<StatusArg>,
        /// Export this framework instead of the links
        #[arg(long)]
        framework: Option<String>,
        /// CASE version to write
        #[arg(long, value_enum, default_value = "1.0")]
        case_version: CaseVersionArg,
        /// Output file (written atomically); standard output when not given or `-`
        #[arg(long, short = 'o')]
        output: Option<PathBuf>,
        /// Title of the crosswalk document
        #[arg(long)]
        title: Option<String>,
        /// Creator of the crosswalk document
        #[arg(long, default_value = "crosswalk")]
        creator: String,
    },
    /// Suggest alignments: the best candidates on the other side for every item (leaf) of a framework
    Suggest {
        /// Framework by number, identifier or title
        framework: String,
        /// Framework to take candidates from (default: the one framework on the other side)
        #[arg(long)]
        against: Option<String>,
        /// Candidates per item
        #[arg(long, default_value_t = 5)]
        top: usize,
        #[arg(long, value_enum, default_value = "csv")]
        format: SuggestFormat,
    },
    /// Serve the published frameworks and crosswalk over the CASE REST API (read-only)
    Serve {
        /// Address to listen on; anything but 127.0.0.1 is reachable from other machines
        #[arg(long, default_value = "127.0.0.1:8080")]
        listen: std::net::SocketAddr,
        /// URL clients reach this server at (every CASE `uri` is written under it)
        #[arg(long, value_name = "URL")]
        public_url: Option<String>,
        /// Serve the CASE REST API only, without the participants' pages
        #[arg(long)]
        case_only: bool,
    },
    /// Publish a framework (by number, identifier or title) or `crosswalk` on `crosswalk serve`; lists what is published without a name
    Publish { name: Option<String> },
    /// Stop publishing a framework or `crosswalk`
    Unpublish { name: String },
    /// Import a framework from a CASE provider: its base URL, a CFDocuments/{id} or a CFPackages/{id} URL
    Pull {
        /// Provider base URL (…/ims/case/v1p0 or v1p1), or a CFPackages/{id} or CFDocuments/{id} URL
        #[arg(required_unless_present = "update")]
        url: Option<String>,
        #[arg(long, value_parser = parse_side)]
        side: Option<Side>,
        /// Which of the provider's documents (identifier or title)
        #[arg(long, value_name = "ID")]
        document: Option<String>,
        /// Pull this framework again from where it came from, updating it in place
        #[arg(long, value_name = "FRAMEWORK", conflicts_with = "url")]
        update: Option<String>,
    },
    #[command(flatten)]
    Session(SessionCommand),
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq)]
pub enum InputFormat {
    Case,
    Csv,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq)]
pub enum OutputFormat {
    Case,
    Csv,
    Sssom,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq)]
pub enum SuggestFormat {
    Csv,
    Json,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq)]
pub enum CaseVersionArg {
    #[value(name = "1.0")]
    V1_0,
    #[value(name = "1.1")]
    V1_1,
}

fn parse_side(s: &str) -> Result<Side, String> {
    s.parse()
}
fn parse_type(s: &str) -> Result<AssociationType, String> {
    s.parse()
}
fn parse_strength(s: &str) -> Result<Strength, String> {
    s.parse()
}

/// The default workshop: `<data dir>/crosswalk/workshop.sqlite`.
pub fn default_db_path() -> Result<PathBuf> {
    let base = directories::BaseDirs::new()
        .ok_or_else(|| anyhow!("no home directory to keep the workshop in; pass --db PATH"))?;
    Ok(base.data_dir().join("crosswalk").join("workshop.sqlite"))
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("crosswalk: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

pub fn run(cli: Cli) -> Result<()> {
    let path = match &cli.db {
        Some(p) => p.clone(),
        None => default_db_path()?,
    };
    let (mut ws, seeded) = Workshop::open_or_seed(&path)?;
    if seeded {
        eprintln!(
            "crosswalk: created {} with the sample frameworks",
            path.display()
        );
    }
    ws.act_as(cli.act_as.as_deref())?;
    let Some(command) = cli.command else {
        return crate::app::run(
            ws,
            crate::app::Options {
                theme: cli.theme,
                ..Default::default()
            },
        );
    };
    let mut out = std::io::stdout().lock();
    match command {
        Command::Import {
            file,
            side,
            format,
            title,
        } => {
            let (bytes, name) = read_input(&file)?;
            let csv = match format {
                Some(f) => f == InputFormat::Csv,
                None => file
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("csv")),
            };
            let mut pkg = if csv {
                case::parse_csv(&bytes, &name)?
            } else {
                case::parse_package(&bytes, &name)?
            };
            if let Some(title) = title {
                pkg.framework.title = title;
            }
            let before = ws.links()?;
            let report = ws
                .import_package(&pkg, side)
                .with_context(|| format!("{name}: import refused; the workshop is unchanged"))?;
            ws.record_import(&before, &name)?;
            write!(out, "{}", report.summary())?;
        }
        Command::Frameworks => {
            let all = ws.frameworks()?;
            if all.is_empty() {
                writeln!(
                    out,
                    "no frameworks yet; add one with `crosswalk import FILE`"
                )?;
            }
            for f in all {
                writeln!(
                    out,
                    "{:>3}  {:<8}  {:>5} items  {:>5} links  {}  ({})",
                    f.id, f.side, f.items, f.links, f.title, f.identifier
                )?;
            }
        }
        Command::Show { framework } => {
            let summary = ws.find_framework(&framework)?;
            let fw = ws.load_framework(summary.id)?;
            writeln!(out, "{} ({}, {})", fw.title, fw.side, fw.identifier)?;
            for item in &fw.items {
                let indent = "  ".repeat(item.depth as usize + 1);
                let code = if item.code.is_empty() {
                    String::new()
                } else {
                    format!("{}  ", item.code)
                };
                writeln!(out, "{indent}{code}{}", one_line(&item.statement))?;
            }
        }
        Command::Side { framework, side } => {
            let f = ws.find_framework(&framework)?;
            ws.set_side(f.id, side)?;
            writeln!(out, "{} is now on the {side} side", f.title)?;
        }
        Command::Link {
            origin,
            destination,
            association_type,
            note,
            strength,
            confidence,
        } => {
            let new = NewLink {
                origin,
                destination,
                association_type: Some(association_type),
                note,
                strength,
                confidence,
                ..NewLink::default()
            };
            let link = ws.create_link(&new)?;
            writeln!(
                out,
                "linked {} -> {} ({}, {}) as {}",
                link.origin.label(),
                link.destination.label(),
                link.association_type,
                link.strength,
                link.identifier
            )?;
        }
        Command::Relink {
            link,
            destination,
            association_type,
            note,
            strength,
        } => {
            let id = link_identifier(&ws, &link, destination.as_deref())?;
            if association_type.is_none() && note.is_none() && strength.is_none() {
                bail!("nothing to change: give --type, --note or --strength");
            }
            let link = ws.update_link(
                &id,
                &LinkChange {
                    association_type,
                    note,
                    strength,
                },
            )?;
            writeln!(
                out,
                "changed {} -> {} ({}, {})",
                link.origin.label(),
                link.destination.label(),
                link.association_type,
                link.strength
            )?;
        }
        Command::Unlink { link, destination } => {
            let id = link_identifier(&ws, &link, destination.as_deref())?;
            let link = ws.delete_link(&id)?;
            writeln!(
                out,
                "unlinked {} -> {} ({})",
                link.origin.label(),
                link.destination.label(),
                link.identifier
            )?;
        }
        Command::Links { json } => {
            let links = ws.links()?;
            if json {
                let rows: Vec<_> = links
                    .iter()
                    .map(|l| {
                        serde_json::json!({
                            "identifier": l.identifier,
                            "origin": {"identifier": l.origin.item_identifier, "code": l.origin.code, "framework": l.origin.framework_identifier},
                            "destination": {"identifier": l.destination.item_identifier, "code": l.destination.code, "framework": l.destination.framework_identifier},
                            "associationType": l.association_type.as_str(),
                            "strength": l.strength.as_str(),
                            "note": l.note,
                            "created": crate::store::format_time(l.created),
                            "changed": crate::store::format_time(l.changed),
                        })
                    })
                    .collect();
                writeln!(out, "{}", serde_json::to_string_pretty(&rows)?)?;
            } else {
                for l in &links {
                    let note = if l.note.is_empty() {
                        String::new()
                    } else {
                        format!("  \"{}\"", one_line(&l.note))
                    };
                    writeln!(
                        out,
                        "{} -> {}  {} {}{}  [{}]",
                        l.origin.label(),
                        l.destination.label(),
                        l.association_type,
                        l.strength,
                        note,
                        l.identifier
                    )?;
                }
                writeln!(
                    out,
                    "{} link{}",
                    links.len(),
                    if links.len() == 1 { "" } else { "s" }
                )?;
            }
        }
        Command::Export {
            format,
            status,
            framework,
            case_version,
            output,
            title,
            creator,
        } => {
            let status = status.unwrap_or(if format == OutputFormat::Csv {
                StatusArg::All
            } else {
                StatusArg::Agreed
            });
            let version = match case_version {
                CaseVersionArg::V1_0 => CaseVersion::V1_0,
                CaseVersionArg::V1_1 => CaseVersion::V1_1,
            };
            let bytes = match (format, framework) {
                (OutputFormat::Case, Some(name)) => {
                    let f = ws.find_framework(&name)?;
                    let pkg = ws.load_package(f.id)?;
                    pretty(&case::export_framework(&pkg, version))?
                }
                (OutputFormat::Csv, Some(_)) => {
                    bail!("a framework exports as CASE JSON only (drop --format csv)")
                }
                (OutputFormat::Sssom, Some(_)) => {
                    bail!("a framework exports as CASE JSON only (drop --format sssom)")
                }
                (OutputFormat::Case, None) => {
                    let links = session::plain_links(&session::links_with_status(&ws, status)?);
                    let info = crosswalk_info(&mut ws, &links, title, creator)?;
                    pretty(&case::export_links_case(&info, &links, version))?
                }
                (OutputFormat::Csv, None) => {
                    let links = session::plain_links(&session::links_with_status(&ws, status)?);
                    let mut buf = Vec::new();
                    case::export_links_csv(&links, &mut buf)?;
                    buf
                }
                (OutputFormat::Sssom, None) => {
                    let links = session::links_with_status(&ws, status)?;
                    session::sssom(&mut ws, &links, title)?
                }
            };
            match output.filter(|p| p.as_os_str() != "-") {
                Some(path) => {
                    write_atomically(&path, &bytes)?;
                    eprintln!("wrote {}", path.display());
                }
                None => out.write_all(&bytes)?,
            }
        }
        Command::Session(command) => session::run(&mut ws, command, &mut out)?,
        Command::Serve {
            listen,
            public_url,
            case_only,
        } => {
            drop(ws);
            let options = crate::server::Options {
                listen,
                public_url,
                case_only,
            };
            crate::server::run(path, options)?;
        }
        Command::Publish { name } => network::publish(&mut ws, name.as_deref(), &mut out)?,
        Command::Unpublish { name } => network::unpublish(&mut ws, &name, &mut out)?,
        Command::Pull {
            url,
            side,
            document,
            update,
        } => {
            let args = network::PullArgs {
                url,
                side,
                document,
                update,
            };
            network::pull(&mut ws, args, &mut out)?;
        }
        Command::Suggest {
            framework,
            against,
            top,
            format,
        } => {
            suggest(&ws, &framework, against.as_deref(), top, format, &mut out)?;
        }
    }
    Ok(())
}

/// `crosswalk suggest`: ranked candidates for every leaf of `framework`, from the framework
/// named by `against` or else the only one on the other side.
fn suggest(
    ws: &Workshop,
    framework: &str,
    against: Option<&str>,
    top: usize,
    format: SuggestFormat,
    out: &mut impl Write,
) -> Result<()> {
    use crate::suggest::{Context, Index, report};
    let mine = ws.find_framework(framework)?;
    let other = match against {
        Some(name) => ws.find_framework(name)?,
        None => {
            let side = mine.side.other();
            let mut others: Vec<_> = ws
                .frameworks()?
                .into_iter()
                .filter(|f| f.side == side)
                .collect();
            match others.len() {
                0 => bail!(
                    "no framework on the {side} side to take candidates from; import one or name one with --against"
                ),
                1 => others.remove(0),
                _ => {
                    let names: Vec<String> = others
                        .iter()
                        .map(|f| format!("{} ({})", f.title, f.id))
                        .collect();
                    bail!(
                        "several frameworks on the {side} side: {}; choose one with --against",
                        names.join(", ")
                    )
                }
            }
        }
    };
    if other.id == mine.id {
        bail!(
            "--against names {} itself; choose a framework of the other side",
            mine.title
        );
    }
    let query = ws.load_framework(mine.id)?;
    let candidates = ws.load_framework(other.id)?;
    let ctx = Context::new(&query, &candidates, &ws.links()?, &ws.rejected_pairs()?);
    let results = report::suggest_all(&Index::build(&candidates), &query, top, &ctx);
    match format {
        SuggestFormat::Csv => report::write_csv(&query, &candidates, &results, out)?,
        SuggestFormat::Json => writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&report::to_json(&query, &candidates, &results))?
        )?,
    }
    Ok(())
}

/// What the exported crosswalk document says: the frameworks its links join.
fn crosswalk_info(
    ws: &mut Workshop,
    links: &[crate::model::Link],
    title: Option<String>,
    creator: String,
) -> Result<CrosswalkInfo> {
    let identifier = ws.crosswalk_identifier()?;
    let mut frameworks: Vec<NodeRef> = Vec::new();
    for f in ws.frameworks()? {
        let used = links.iter().any(|l| {
            l.origin.framework_identifier == f.identifier
                || l.destination.framework_identifier == f.identifier
        });
        if used {
            let fw = ws.load_framework(f.id)?;
            frameworks.push(NodeRef {
                identifier: fw.identifier,
                uri: fw.uri,
                title: fw.title,
            });
        }
    }
    let title = title.unwrap_or_else(|| {
        let names: Vec<&str> = frameworks.iter().map(|f| f.title.as_str()).collect();
        if names.is_empty() {
            "Crosswalk".to_string()
        } else {
            format!("Crosswalk: {}", names.join(" / "))
        }
    });
    let last_change = links
        .iter()
        .map(|l| l.changed)
        .max()
        .unwrap_or_else(time::OffsetDateTime::now_utc);
    Ok(CrosswalkInfo {
        identifier,
        title,
        creator,
        frameworks,
        last_change,
    })
}

/// A link named by its identifier, or by the two items it joins.
fn link_identifier(ws: &Workshop, link: &str, destination: Option<&str>) -> Result<String> {
    match destination {
        None => Ok(ws.link(link)?.identifier),
        Some(dest) => ws
            .link_between(link, dest)?
            .map(|l| l.identifier)
            .ok_or_else(|| anyhow!("{link} and {dest} are not linked")),
    }
}

/// Reads a file (or standard input for `-`), refusing anything larger than the import limit.
fn read_input(file: &Path) -> Result<(Vec<u8>, String)> {
    let limit = case::MAX_INPUT_BYTES as u64;
    let (reader, name): (Box<dyn Read>, String) = if file.as_os_str() == "-" {
        (Box::new(std::io::stdin().lock()), "<stdin>".to_string())
    } else {
        let f =
            std::fs::File::open(file).with_context(|| format!("cannot read {}", file.display()))?;
        (Box::new(f), file.display().to_string())
    };
    let mut bytes = Vec::new();
    reader
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {name}"))?;
    if bytes.len() as u64 > limit {
        bail!(
            "{name}: larger than {} MiB; refusing to import it",
            limit / (1024 * 1024)
        );
    }
    Ok((bytes, name))
}

fn pretty(value: &serde_json::Value) -> Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec_pretty(value)?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// Writes through a temporary file in the same directory, then renames it into place,
/// so an interrupted export never leaves a half-written file.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    tmp.write_all(bytes)
        .and_then(|_| tmp.as_file().sync_all())
        .with_context(|| format!("cannot write {}", path.display()))?;
    tmp.persist(path)
        .map_err(|e| anyhow!("cannot write {}: {}", path.display(), e.error))?;
    Ok(())
}

/// Statements may hold newlines; a listing shows each on one line.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
