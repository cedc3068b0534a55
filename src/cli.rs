//! The command line: parse arguments, open the workshop, hand over to the store,
//! the CASE formats or the screen. Errors go to stderr with a non-zero exit.
use crate::case::{self, CaseVersion};
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
    /// Create the --db file when it does not exist, seeded with the sample frameworks as the default workshop is
    #[arg(long, global = true)]
    pub create: bool,
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
    /// Create a new, empty workshop file (PATH, else --db, else the default workshop)
    Init {
        path: Option<PathBuf>,
        /// Add the sample frameworks, as the default workshop has
        #[arg(long)]
        samples: bool,
    },
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
        /// Creator for a framework read from CSV (default: the acting participant, if any)
        #[arg(long)]
        creator: Option<String>,
        /// Refuse a package in which two items share an identifier (by default the first is kept, with a warning)
        #[arg(long)]
        strict: bool,
        /// Replace a framework by a different document (another title and uri) with the same identifier
        #[arg(long)]
        replace: bool,
        /// Take the file's associations as alignment links between frameworks already in the workshop, not its items as a framework
        #[arg(long)]
        as_links: bool,
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
    /// Mark an item as having no equivalent on the other side (a decision, kept in the history)
    ///
    /// A marked item is neither counted in coverage nor listed as a gap; exports and the
    /// report list it (SSSOM as `sssom:NoTermFound`).
    NoEquivalent {
        /// The item, by code or identifier
        item: String,
        /// Take the mark off again
        #[arg(long)]
        clear: bool,
    },
    /// List the alignment links with their status (and, in JSON, votes and provenance)
    Links {
        /// Print JSON instead of a table
        #[arg(long)]
        json: bool,
        /// Only links with this status
        #[arg(long, value_enum)]
        status: Option<StatusArg>,
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
        /// CASE 1.0 only: write links that are not agreed as plain associations (1.0 cannot say their status)
        #[arg(long)]
        plain_associations: bool,
        /// CSV only: leave out the UTF-8 byte-order mark (written by default so Excel reads UTF-8)
        #[arg(long)]
        no_bom: bool,
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
        /// Serve HTTPS: the server's certificate (PEM, chain after it)
        #[arg(long, value_name = "FILE", requires = "tls_key")]
        tls_cert: Option<PathBuf>,
        /// The certificate's private key (PEM)
        #[arg(long, value_name = "FILE", requires = "tls_cert")]
        tls_key: Option<PathBuf>,
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
    /// OpenSALT's workbook (`CF Doc`, `CF Item`, `CF Association`)
    Xlsx,
}

#[derive(ValueEnum, Clone, Copy, Debug, PartialEq)]
pub enum OutputFormat {
    Case,
    Csv,
    Sssom,
    /// A framework as OpenSALT's workbook, or the crosswalk as a review workbook
    Xlsx,
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
    let t: AssociationType = s.parse()?;
    match t.link_type_refusal() {
        Some(why) => Err(why.to_string()),
        None => Ok(t),
    }
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
        // A reader that stopped reading (`crosswalk coverage | head`) is no error to
        // report: end as a program killed by SIGPIPE would, quietly.
        Err(e) if broken_pipe(&e) => ExitCode::from(141),
        Err(e) => {
            eprintln!(
                "crosswalk: error: {}",
                crate::text::sanitize_lines(&message(&e))
            );
            ExitCode::FAILURE
        }
    }
}

/// The error and its causes in one line, each said once: a store error is complete
/// in itself, so SQLite's wording under it is not repeated.
fn message(e: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in e.chain() {
        let text = cause.to_string();
        if !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        if cause.is::<crate::store::StoreError>() {
            break;
        }
    }
    parts.join(": ")
}

fn broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// The workshop the command works on: the default one (made and seeded when missing),
/// or `--db`, which must exist unless `--create` is given.
fn open_workshop(cli: &Cli) -> Result<Workshop> {
    let (ws, seeded) = match &cli.db {
        None => Workshop::open_or_seed(&default_db_path()?)?,
        Some(path) if cli.create => Workshop::open_or_seed(path)?,
        Some(path) => (Workshop::open_existing(path)?, false),
    };
    let shown = crate::text::sanitize(&ws.path().display().to_string()).into_owned();
    if seeded {
        eprintln!("crosswalk: created {shown} with the sample frameworks");
    }
    if ws.is_read_only() {
        eprintln!(
            "crosswalk: note: {shown} is read-only here (the file or its folder cannot be written); changes will be refused"
        );
    }
    Ok(ws)
}

pub fn run(cli: Cli) -> Result<()> {
    if let Some(Command::Init { path, samples }) = &cli.command {
        let path = match path.as_ref().or(cli.db.as_ref()) {
            Some(p) => p.clone(),
            None => default_db_path()?,
        };
        Workshop::create(&path, *samples)?;
        writeln!(
            std::io::stdout(),
            "created {}{}",
            crate::text::sanitize(&path.display().to_string()),
            if *samples {
                " with the sample frameworks"
            } else {
                ""
            }
        )?;
        return Ok(());
    }
    let mut ws = open_workshop(&cli)?;
    ws.act_as(cli.act_as.as_deref())?;
    let Some(command) = cli.command else {
        return crate::screen::run(
            ws,
            crate::app::Options {
                theme: cli.theme,
                ..Default::default()
            },
        );
    };
    // Imported text is untrusted: everything printed passes the terminal sanitiser.
    let mut out = crate::text::TerminalWriter::new(std::io::stdout().lock());
    // Exports, reports and listings read in one snapshot, so they never mix two states of
    // a workshop others are writing to. (The crosswalk's identifier, made once and kept,
    // is a write: made first.)
    if reads_a_lot(&command) {
        if matches!(command, Command::Export { .. }) && !ws.is_read_only() {
            ws.crosswalk_identifier()?;
        }
        ws.begin_snapshot()?;
    }
    match command {
        Command::Init { .. } => unreachable!("handled before the workshop is opened"),
        Command::Import {
            file,
            side,
            format,
            title,
            creator,
            strict,
            replace,
            as_links,
        } => {
            let (bytes, name) = read_input(&file)?;
            let extension = |x: &str| file.extension().is_some_and(|e| e.eq_ignore_ascii_case(x));
            let format = format.unwrap_or(if extension("csv") {
                InputFormat::Csv
            } else if extension("xlsx") {
                InputFormat::Xlsx
            } else {
                InputFormat::Case
            });
            let sheet_options = case::CsvOptions {
                title: title.clone(),
                creator: creator.or_else(|| ws.actor().map(|p| p.name.clone())),
                imported_at: crate::store::format_time(time::OffsetDateTime::now_utc()),
                ..case::CsvOptions::default()
            };
            let packages = match format {
                InputFormat::Csv => vec![case::parse_csv_with(&bytes, &name, &sheet_options)?],
                InputFormat::Xlsx => vec![case::parse_workbook(&bytes, &name, &sheet_options)?],
                InputFormat::Case => {
                    case::parse_packages(&bytes, &name, case::ParseOptions { strict })?
                }
            };
            // The packages hold all they need; the file's bytes (up to gigabytes) go now.
            drop(bytes);
            let options = crate::store::ImportOptions {
                side,
                source: name.clone(),
                replace,
                as_links,
            };
            let mut packages = packages;
            if let Some(title) = &title {
                for pkg in &mut packages {
                    pkg.framework.title = title.clone();
                }
            }
            let reports = ws
                .import_packages_with(&packages, &options)
                .with_context(|| format!("{name}: import refused; the workshop is unchanged"))?;
            for report in reports {
                write!(out, "{}", report.summary())?;
            }
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
            let given_first = new.origin.clone();
            let link = ws.create_link(&new)?;
            if ws.find_item(&given_first)?.end.item_identifier != link.origin.item_identifier {
                writeln!(
                    out,
                    "note: links run from the outcome to the competency, so this one is stored as {} -> {}",
                    link.origin.label(),
                    link.destination.label()
                )?;
            }
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
            // The current row, whatever anyone else changed before: say what it replaced.
            let edit = ws.edit_link(
                &id,
                None,
                &LinkChange {
                    association_type,
                    note,
                    strength,
                },
            )?;
            let (was, link) = (&edit.before, &edit.after);
            writeln!(
                out,
                "changed {} -> {} ({}, {})",
                link.origin.label(),
                link.destination.label(),
                link.association_type,
                link.strength
            )?;
            let replaced = [
                (
                    "type",
                    was.association_type.as_str(),
                    link.association_type.as_str(),
                ),
                ("strength", was.strength.as_str(), link.strength.as_str()),
                ("note", was.note.as_str(), link.note.as_str()),
            ];
            for (field, before, now) in replaced.into_iter().filter(|f| f.1 != f.2) {
                writeln!(out, "  {field}: {before:?} replaced by {now:?}")?;
            }
        }
        Command::Unlink { link, destination } => {
            let id = link_identifier(&ws, &link, destination.as_deref())?;
            let link = ws.delete_link(&id)?;
            writeln!(
                out,
                "unlinked {} -> {} ({}, {}, note {:?}; {})",
                link.origin.label(),
                link.destination.label(),
                link.association_type,
                link.strength,
                link.note,
                link.identifier
            )?;
        }
        Command::NoEquivalent { item, clear } => {
            let found = ws.find_item(&item)?;
            ws.set_no_equivalent(found.framework_id, &found.end.item_identifier, !clear)?;
            let what = if clear {
                "no longer marked as having no equivalent"
            } else {
                "marked as having no equivalent on the other side"
            };
            writeln!(out, "{} {what}", found.end.label())?;
        }
        Command::Links { json, status } => {
            let all = ws.session_links()?;
            let total = all.len();
            let want = status.and_then(StatusArg::status);
            let links: Vec<_> = all
                .into_iter()
                .filter(|l| want.is_none_or(|s| l.status == s))
                .collect();
            if json {
                let rows: Vec<_> = links.iter().map(link_json).collect();
                writeln!(out, "{}", json_text(&rows)?)?;
            } else {
                for sl in &links {
                    let l = &sl.link;
                    let note = if l.note.is_empty() {
                        String::new()
                    } else {
                        format!("  \"{}\"", one_line(&l.note))
                    };
                    writeln!(
                        out,
                        "{} {:<8}  {} -> {}  {} {}{}  [{}]",
                        sl.status.symbol(),
                        sl.status.as_str(),
                        l.origin.label(),
                        l.destination.label(),
                        l.association_type,
                        l.strength,
                        note,
                        l.identifier
                    )?;
                }
                let plural = |n: usize| if n == 1 { "" } else { "s" };
                match want {
                    Some(s) => writeln!(
                        out,
                        "{} {s} link{} ({total} in all)",
                        links.len(),
                        plural(links.len())
                    )?,
                    None => writeln!(out, "{} link{}", links.len(), plural(links.len()))?,
                }
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
            plain_associations,
            no_bom,
        } => {
            let status = status.unwrap_or(
                if matches!(format, OutputFormat::Csv | OutputFormat::Xlsx) {
                    StatusArg::All
                } else {
                    StatusArg::Agreed
                },
            );
            let version = match case_version {
                CaseVersionArg::V1_0 => CaseVersion::V1_0,
                CaseVersionArg::V1_1 => CaseVersion::V1_1,
            };
            let output = output.filter(|p| p.as_os_str() != "-");
            // A framework written to a file is checked for damage while it is written (the
            // file is put in place only if the check passes); everything else before.
            let checked_meanwhile =
                framework.is_some() && format == OutputFormat::Case && output.is_some();
            if !checked_meanwhile {
                ws.check_integrity()?;
            }
            // What is written, made whole first; `None` once a framework is written.
            let bytes = match (format, framework) {
                (OutputFormat::Case, Some(name)) => {
                    // Written as it is read, whatever the framework's size (in the
                    // snapshot begun above, so every pass reads the same rows).
                    let f = ws.find_framework(&name)?;
                    let source = ws.stored_framework(f.id)?;
                    write_output(output.as_deref(), &mut out, |w| {
                        let write = || case::write_framework(&source, version, w);
                        if checked_meanwhile {
                            ws.checking_meanwhile(write)??;
                        } else {
                            write()?;
                        }
                        Ok(())
                    })?;
                    None
                }
                (OutputFormat::Xlsx, Some(name)) => {
                    let f = ws.find_framework(&name)?;
                    let pkg = ws.load_package(f.id)?;
                    Some(case::export_workbook(&pkg).map_err(|e| anyhow!("{}: {e}", f.title))?)
                }
                (OutputFormat::Csv, Some(_)) => {
                    bail!(
                        "a framework exports as CASE JSON only (or as an OpenSALT workbook with --format xlsx)"
                    )
                }
                (OutputFormat::Sssom, Some(_)) => {
                    bail!(
                        "a framework exports as CASE JSON only (or as an OpenSALT workbook with --format xlsx)"
                    )
                }
                (OutputFormat::Xlsx, None) => {
                    let links = session::links_with_status(&ws, status)?;
                    let rows = session::review_rows(&ws, &links)?;
                    let coverage = session::coverage_sheets(&ws, !links.is_empty())?;
                    let title = title.unwrap_or_else(|| "Crosswalk review".to_string());
                    Some(
                        case::export_review_workbook(&title, &rows, &coverage)
                            .map_err(|e| anyhow!(e))?,
                    )
                }
                (OutputFormat::Case, None) => {
                    let links = session::links_with_status(&ws, status)?;
                    let plain = session::plain_links(&links);
                    let info = ws.crosswalk_info(&plain, title, creator)?;
                    let short = ws.abbreviated_statements(&plain)?;
                    let (doc, warnings) = case::export_session_links_case(
                        &info,
                        &links,
                        version,
                        plain_associations,
                        &short,
                    )
                    .map_err(|e| anyhow!(e))?;
                    for w in warnings {
                        eprintln!("note: {w}");
                    }
                    Some(pretty(&doc)?)
                }
                (OutputFormat::Csv, None) => {
                    let links = session::links_with_status(&ws, status)?;
                    Some(session::links_csv(&ws, &links, status, !no_bom)?)
                }
                (OutputFormat::Sssom, None) => {
                    let links = session::links_with_status(&ws, status)?;
                    Some(session::sssom(&mut ws, &links, status, title)?)
                }
            };
            if let Some(bytes) = bytes {
                write_output(output.as_deref(), &mut out, |w| Ok(w.write_all(&bytes)?))?;
            }
        }
        Command::Session(command) => session::run(&mut ws, command, &mut out)?,
        Command::Serve {
            listen,
            public_url,
            case_only,
            tls_cert,
            tls_key,
        } => {
            let tls = match (tls_cert, tls_key) {
                (Some(cert), Some(key)) => Some(crate::server::Tls::from_pem_files(&cert, &key)?),
                _ => None,
            };
            let path = ws.path().to_path_buf();
            drop(ws);
            let options = crate::server::Options {
                listen,
                public_url,
                case_only,
                tls,
            };
            return crate::server::run(path, options);
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
    ws.end_snapshot();
    out.flush()?;
    Ok(())
}

/// Commands that read much of the workshop and change nothing in it.
fn reads_a_lot(command: &Command) -> bool {
    use session::SessionCommand as S;
    matches!(
        command,
        Command::Export { .. }
            | Command::Links { .. }
            | Command::Show { .. }
            | Command::Frameworks
            | Command::Session(S::Coverage { .. } | S::Report { .. } | S::History { .. })
    )
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
            json_text(&report::to_json(&query, &candidates, &results))?
        )?,
    }
    Ok(())
}

/// One link of `links --json`: the link, its status, the current votes and its provenance.
fn link_json(sl: &crate::model::SessionLink) -> serde_json::Value {
    let l = &sl.link;
    let p = &sl.provenance;
    let end = |e: &crate::model::LinkEnd| serde_json::json!({"identifier": e.item_identifier, "code": e.code, "framework": e.framework_identifier});
    serde_json::json!({
        "identifier": l.identifier,
        "origin": end(&l.origin),
        "destination": end(&l.destination),
        "associationType": l.association_type.as_str(),
        "strength": l.strength.as_str(),
        "note": l.note,
        "status": sl.status.as_str(),
        "votes": sl.ballots,
        "reviewedBy": p.reviewed_by,
        "assertedBy": p.asserted_by,
        "basis": p.basis.as_str(),
        "confidence": p.confidence,
        "created": crate::store::format_time(l.created),
        "changed": crate::store::format_time(l.changed),
    })
}

/// What the exported crosswalk document says: the frameworks its links join.
/// The `abbreviatedStatement` of every item the links join that has one, by identifier:
/// association ends are titled with it.
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
    let too_big = |name: &str| {
        anyhow!(
            "{name}: larger than {} MiB; refusing to import it",
            limit / (1024 * 1024)
        )
    };
    // A file's size is known: the buffer is made that big once (no doubling of a
    // gigabyte), and a file over the limit is refused unread.
    let mut size = 0;
    let (reader, name): (Box<dyn Read>, String) = if file.as_os_str() == "-" {
        (Box::new(std::io::stdin().lock()), "<stdin>".to_string())
    } else {
        let f =
            std::fs::File::open(file).with_context(|| format!("cannot read {}", file.display()))?;
        let name = file.display().to_string();
        size = f.metadata().map_or(0, |m| m.len());
        if size > limit {
            return Err(too_big(&name));
        }
        (Box::new(f), name)
    };
    let mut bytes = Vec::with_capacity(size as usize + 1);
    reader
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .with_context(|| format!("cannot read {name}"))?;
    if bytes.len() as u64 > limit {
        return Err(too_big(&name));
    }
    Ok((bytes, name))
}

/// Writes an export to the file named (atomically: all of it or nothing), or to
/// standard output when none is.
fn write_output(
    path: Option<&Path>,
    out: &mut impl Write,
    write: impl FnOnce(&mut dyn Write) -> Result<()>,
) -> Result<()> {
    match path {
        Some(path) => {
            crate::files::write_file_with(path, write)?;
            eprintln!(
                "wrote {}",
                crate::text::sanitize(&path.display().to_string())
            );
            Ok(())
        }
        None => write(out),
    }
}

fn pretty(value: &serde_json::Value) -> Result<Vec<u8>> {
    let mut bytes = json_text(value)?.into_bytes();
    bytes.push(b'\n');
    Ok(bytes)
}

/// Pretty JSON with every control character escaped (serde_json leaves DEL and C1 raw).
pub(crate) fn json_text(value: &impl serde::Serialize) -> Result<String> {
    let text = serde_json::to_string_pretty(value)?;
    Ok(crate::text::escape_json_controls(&text).into_owned())
}

/// Statements may hold newlines; a listing shows each on one line.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
