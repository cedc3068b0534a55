//! The session's commands: participants, votes, comments, validation, history,
//! coverage, reports, drafted links and the consensus setting.
use crate::model::{
    ConsensusRule, HistoryEntry, Link, LinkStatus, Role, SessionLink, Side, Verdict, Vote,
    format_percent,
};
use crate::report::{self, ReportData, SssomInfo};
use crate::store::{CONSENSUS_RULE, HistoryFilter, Workshop};
use anyhow::{Context, Result, anyhow, bail};
use clap::{Subcommand, ValueEnum};
use std::io::Write;
use std::path::PathBuf;

#[derive(Subcommand, Debug)]
pub enum SessionCommand {
    /// Add or list the people taking part (facilitator, faculty, employer SME, observer)
    ///
    /// A workshop with no participants has no consensus process: every link counts as
    /// agreed (right for one person drawing links alone). Once anyone takes part, links
    /// start as proposed and votes decide.
    Participant {
        #[command(subcommand)]
        action: ParticipantAction,
    },
    /// Vote on a link: accept, dispute or reject (needs --as NAME)
    ///
    /// The link is named by identifier or by its two items: `vote ORIGIN DEST accept`.
    /// Each participant has one current vote per link; voting again replaces it.
    /// Observers cannot vote.
    #[command(after_help = RULES)]
    Vote {
        /// LINK VOTE, or ORIGIN DEST VOTE
        #[arg(num_args = 2..=3, required = true, value_name = "LINK [DEST] VOTE")]
        args: Vec<String>,
        /// Say why; the comment joins the link's thread
        #[arg(long, short = 'c')]
        comment: Option<String>,
    },
    /// Add to a link's comment thread: `comment LINK TEXT` or `comment ORIGIN DEST TEXT`
    Comment {
        #[arg(num_args = 2..=3, required = true, value_name = "LINK [DEST] TEXT")]
        args: Vec<String>,
    },
    /// Judge a competency: validated, needs-revision or not-relevant (employer SMEs)
    ///
    /// Each person has one current verdict per competency; giving another replaces only
    /// their own, and --withdraw takes it back. needs-revision needs --comment. Once
    /// participants are recorded, --as must name an employer SME (or a facilitator
    /// recording the room's decision). Only competencies are judged, not the domains that
    /// group them. Coverage counts only validated competencies once any competency of a
    /// framework has a verdict; with no verdicts recorded every competency counts.
    #[command(after_help = STANDING)]
    Validate {
        /// The competency, by code or identifier
        item: String,
        /// The verdict
        #[arg(value_parser = verdict_values(), required_unless_present = "withdraw")]
        verdict: Option<Verdict>,
        /// What the verdict rests on (needed with needs-revision)
        #[arg(long, short = 'c', default_value = "")]
        comment: String,
        /// Take your verdict on the competency back (others' stay)
        #[arg(long, conflicts_with_all = ["verdict", "comment"])]
        withdraw: bool,
    },
    /// The session log: every change with who made it and when (all, one link, or one item)
    History {
        /// One link: its identifier (deleted links too) or its two items
        #[arg(long, num_args = 1..=2, value_names = ["LINK", "DEST"], conflicts_with = "item")]
        link: Vec<String>,
        /// One item, by code or identifier: its validations and every link it was an end of
        #[arg(long)]
        item: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Coverage by agreed links: per item, per domain and per framework, with the gaps
    ///
    /// Only leaves count: a domain's coverage is its covered leaves over its leaves. Only
    /// validated competencies count unless --all (a framework with no validations counts
    /// all). Items marked "no equivalent" are neither counted nor gaps.
    Coverage {
        #[arg(long)]
        json: bool,
        /// Count every competency, validated or not
        #[arg(long)]
        all: bool,
        /// Frameworks to report on (default: those with links)
        #[arg(long = "framework", value_name = "FRAMEWORK")]
        frameworks: Vec<String>,
    },
    /// Write report.md, report.html (self-contained, printable) and coverage CSVs
    Report {
        /// Folder to write into (made if missing)
        #[arg(long, short = 'o', default_value = ".")]
        output: PathBuf,
        #[arg(long)]
        all: bool,
        #[arg(long = "framework", value_name = "FRAMEWORK")]
        frameworks: Vec<String>,
        /// Report title (default: the frameworks' titles)
        #[arg(long)]
        title: Option<String>,
    },
    /// Import links drafted before the session from CSV
    ///
    /// Columns: origin, destination (codes or identifiers); optional type, note, strength,
    /// confidence, author. Every row is checked first; all new links are added in one
    /// transaction, or none when any row names an unknown item.
    ImportLinks {
        file: PathBuf,
        /// Say what would be added, what is already there and which lines name unknown items; write nothing
        #[arg(long)]
        dry_run: bool,
    },
    /// Show or change the consensus rule (`settings set consensus.rule RULE`)
    #[command(after_help = RULES)]
    Settings {
        #[command(subcommand)]
        action: Option<SettingsAction>,
    },
}

const RULES: &str = "Consensus rules (crosswalk settings set consensus.rule RULE):
  faculty+employer  agreed when a faculty member and an employer SME accept and nobody disputes (default)
  any-accept        agreed when anyone accepts and nobody disputes
  facilitator       agreed when a facilitator accepts; disputes stand until a facilitator rules
Under every rule a facilitator's reject rejects the link; anyone else's reject counts as a dispute.
With no participants there is no consensus process and every link counts as agreed.";

const STANDING: &str = "How verdicts become a competency's standing:
  a facilitator's verdict records what the room decided, and stands;
  otherwise, when everyone who judged it agrees, that verdict stands;
  otherwise the verdicts differ: it does not count as validated until they agree or a facilitator rules.";

/// The verdicts, listed in `validate --help`, with the aliases `Verdict` reads.
fn verdict_values() -> impl clap::builder::TypedValueParser<Value = Verdict> {
    use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
    PossibleValuesParser::new([
        PossibleValue::new("validated")
            .alias("valid")
            .help("the competency is right as written"),
        PossibleValue::new("needs-revision")
            .alias("revise")
            .help("it needs rewording (say how with --comment)"),
        PossibleValue::new("not-relevant")
            .alias("irrelevant")
            .help("it does not belong in this role"),
    ])
    .map(|s| s.parse::<Verdict>().expect("the listed values parse"))
}

#[derive(Subcommand, Debug)]
pub enum ParticipantAction {
    /// Add a participant
    Add {
        name: String,
        /// facilitator, faculty, employer-sme or observer
        #[arg(long, value_parser = parse_role)]
        role: Role,
    },
    /// Rename a participant (their votes, verdicts and comments follow the new name)
    Rename { name: String, new_name: String },
    /// Change a participant's role
    Role {
        name: String,
        /// facilitator, faculty, employer-sme or observer
        #[arg(value_parser = parse_role)]
        role: Role,
    },
    /// Remove a participant added by mistake; someone with votes, verdicts, comments or
    /// changes on record stays (make them an observer instead)
    Remove { name: String },
    /// List the participants
    List,
    /// Give a participant a personal join link (printed, and drawn as a QR code) for the
    /// page `crosswalk serve` offers to phones and laptops
    Invite {
        name: String,
        /// How long the link works, in hours (default: until revoked)
        #[arg(long)]
        hours: Option<u32>,
        /// The address participants reach the server at (default: http://127.0.0.1:8080)
        #[arg(long, env = "CROSSWALK_PUBLIC_URL")]
        public_url: Option<String>,
        /// Print the link only, no QR code
        #[arg(long)]
        no_qr: bool,
    },
    /// Revoke every join link of a participant: open pages stop working at once
    Revoke { name: String },
}

#[derive(Subcommand, Debug)]
pub enum SettingsAction {
    /// Change a setting (only consensus.rule can be set here)
    Set { key: String, value: String },
    /// Print one setting
    Get { key: String },
}

/// Which links an export writes, by status.
#[derive(ValueEnum, Clone, Copy, Debug, PartialEq)]
pub enum StatusArg {
    Agreed,
    Proposed,
    Disputed,
    Rejected,
    All,
}

impl StatusArg {
    /// The one status asked for; `None` for all.
    pub fn status(self) -> Option<LinkStatus> {
        match self {
            StatusArg::Agreed => Some(LinkStatus::Agreed),
            StatusArg::Proposed => Some(LinkStatus::Proposed),
            StatusArg::Disputed => Some(LinkStatus::Disputed),
            StatusArg::Rejected => Some(LinkStatus::Rejected),
            StatusArg::All => None,
        }
    }
}

fn parse_role(s: &str) -> Result<Role, String> {
    s.parse()
}

/// The links with this status (all of them for `All`), with their session state.
pub fn links_with_status(ws: &Workshop, status: StatusArg) -> Result<Vec<SessionLink>> {
    let want = status.status();
    let all = ws.session_links()?;
    let total = all.len();
    let kept: Vec<SessionLink> = all
        .into_iter()
        .filter(|l| want.is_none_or(|s| l.status == s))
        .collect();
    if kept.len() < total {
        eprintln!(
            "note: {} of {total} links are not {} and were left out (--status all exports every link)",
            total - kept.len(),
            want.map_or("", |s| s.as_str())
        );
    }
    Ok(kept)
}

/// The links as rows of the review workbook: both items, status, votes and thread.
pub fn review_rows(ws: &Workshop, links: &[SessionLink]) -> Result<Vec<crate::case::ReviewRow>> {
    let titles: std::collections::HashMap<String, String> = ws
        .frameworks()?
        .into_iter()
        .map(|f| (f.identifier, f.title))
        .collect();
    let title = |id: &str| titles.get(id).cloned().unwrap_or_else(|| id.to_string());
    let mut rows = Vec::with_capacity(links.len());
    for s in links {
        let l = &s.link;
        let count = |v: Vote| s.ballots.iter().filter(|b| b.vote == v).count();
        let votes: Vec<String> = s
            .ballots
            .iter()
            .map(|b| format!("{} ({}): {}", b.participant, b.role, b.vote))
            .collect();
        let comments: Vec<String> = ws
            .comments(&l.identifier)?
            .into_iter()
            .map(|c| format!("{}: {}", c.author.as_deref().unwrap_or("someone"), c.text))
            .collect();
        rows.push(crate::case::ReviewRow {
            origin_framework: title(&l.origin.framework_identifier),
            origin_code: l.origin.code.clone(),
            origin_statement: l.origin.statement.clone(),
            association_type: l.association_type.as_str().to_string(),
            strength: l.strength.as_str().to_string(),
            destination_framework: title(&l.destination.framework_identifier),
            destination_code: l.destination.code.clone(),
            destination_statement: l.destination.statement.clone(),
            status: s.status.as_str().to_string(),
            accepts: count(Vote::Accept),
            disputes: count(Vote::Dispute),
            rejects: count(Vote::Reject),
            votes: votes.join("; "),
            note: l.note.clone(),
            comments: comments.join("\n"),
            link_identifier: l.identifier.clone(),
        });
    }
    Ok(rows)
}

/// The coverage tables (as `crosswalk report` writes them to CSV) as workbook sheets,
/// for the frameworks that have links; none when there are no links.
pub fn coverage_sheets(ws: &Workshop, any_links: bool) -> Result<Vec<crate::case::TextSheet>> {
    if !any_links {
        return Ok(Vec::new());
    }
    let data = ReportData::gather(ws, &[], false, &today())?;
    let mut sheets = Vec::new();
    for (name, side) in [
        ("Coverage (outcomes)", Side::Educator),
        ("Coverage (competencies)", Side::Employer),
    ] {
        let csv = report::coverage_csv(&data.coverage, side)?;
        let rows = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(csv.as_slice())
            .records()
            .map(|r| r.map(|r| r.iter().map(String::from).collect()))
            .collect::<std::result::Result<Vec<Vec<String>>, _>>()?;
        sheets.push(crate::case::TextSheet {
            name: name.to_string(),
            rows,
        });
    }
    Ok(sheets)
}

pub fn plain_links(links: &[SessionLink]) -> Vec<Link> {
    links.iter().map(|l| l.link.clone()).collect()
}

/// "No equivalent" decisions go with the agreed links: they are decided, not open.
fn decisions(ws: &Workshop, status: StatusArg) -> Result<Vec<report::NoEquivalent>> {
    if matches!(status, StatusArg::Agreed | StatusArg::All) {
        Ok(report::no_equivalents(ws, &report::all_frameworks(ws)?)?)
    } else {
        Ok(Vec::new())
    }
}

/// The links (and "no equivalent" decisions) as CSV for a spreadsheet.
pub fn links_csv(
    ws: &Workshop,
    links: &[SessionLink],
    status: StatusArg,
    bom: bool,
) -> Result<Vec<u8>> {
    let titles = ws
        .frameworks()?
        .into_iter()
        .map(|f| (f.identifier, f.title))
        .collect();
    let mut buf = Vec::new();
    report::write_links_csv(
        links,
        &decisions(ws, status)?,
        &titles,
        report::CsvOptions { bom },
        &mut buf,
    )?;
    Ok(buf)
}

/// The links as an SSSOM/TSV mapping set.
pub fn sssom(
    ws: &mut Workshop,
    links: &[SessionLink],
    status: StatusArg,
    title: Option<String>,
) -> Result<Vec<u8>> {
    let frameworks: Vec<(String, String)> = ws
        .frameworks()?
        .into_iter()
        .map(|f| (f.identifier, f.title))
        .collect();
    let info = SssomInfo {
        identifier: ws.crosswalk_identifier()?,
        title: title.unwrap_or_else(|| "Crosswalk".into()),
        date: today(),
        frameworks,
    };
    let mut buf = Vec::new();
    report::write_sssom(links, &decisions(ws, status)?, &info, &mut buf)?;
    Ok(buf)
}

fn today() -> String {
    crate::store::format_time(time::OffsetDateTime::now_utc())
        .get(..10)
        .unwrap_or_default()
        .to_string()
}

/// A link named by identifier, or by its two items (given as two words or one "ORIGIN DEST").
fn resolve_link(ws: &Workshop, parts: &[String]) -> Result<String> {
    let words: Vec<&str> = match parts {
        [one] if one.split_whitespace().count() == 2 && ws.link(one).is_err() => {
            one.split_whitespace().collect()
        }
        _ => parts.iter().map(String::as_str).collect(),
    };
    match words.as_slice() {
        [id] => Ok(ws.link(id)?.identifier),
        [a, b] => ws
            .link_between(a, b)?
            .map(|l| l.identifier)
            .ok_or_else(|| anyhow!("{a} and {b} are not linked")),
        _ => bail!("name a link by its identifier or by its two items"),
    }
}

fn label(l: &Link) -> String {
    format!("{} -> {}", l.origin.label(), l.destination.label())
}

fn history_line(e: &HistoryEntry) -> String {
    format!(
        "{}  {:<14}  {}",
        crate::store::format_time(e.at),
        e.actor.as_deref().unwrap_or("-"),
        e.describe()
    )
}

pub fn run(ws: &mut Workshop, command: SessionCommand, out: &mut impl Write) -> Result<()> {
    match command {
        SessionCommand::Participant {
            action: ParticipantAction::Add { name, role },
        } => {
            let p = ws.add_participant(&name, role)?;
            writeln!(out, "added {} ({})", p.name, p.role)?;
        }
        SessionCommand::Participant {
            action: ParticipantAction::Rename { name, new_name },
        } => {
            let p = ws.rename_participant(&name, &new_name)?;
            writeln!(out, "renamed {name} to {} ({})", p.name, p.role)?;
        }
        SessionCommand::Participant {
            action: ParticipantAction::Role { name, role },
        } => {
            let p = ws.set_role(&name, role)?;
            writeln!(out, "{} is now {}", p.name, p.role)?;
        }
        SessionCommand::Participant {
            action: ParticipantAction::Remove { name },
        } => {
            let p = ws.remove_participant(&name)?;
            writeln!(out, "removed {} ({})", p.name, p.role)?;
        }
        SessionCommand::Participant {
            action: ParticipantAction::List,
        } => {
            let all = ws.participants()?;
            if all.is_empty() {
                writeln!(
                    out,
                    "nobody is taking part yet; until someone does, every link counts as agreed"
                )?;
            }
            for p in all {
                writeln!(out, "{:<24}  {}", p.name, p.role)?;
            }
        }
        SessionCommand::Participant {
            action:
                ParticipantAction::Invite {
                    name,
                    hours,
                    public_url,
                    no_qr,
                },
        } => {
            let lasts = hours.map(|h| time::Duration::hours(i64::from(h)));
            let invite = ws.invite(&name, lasts)?;
            let url = match public_url {
                Some(base) => crate::store::join_url_under(&base, &invite.token),
                None => ws.join_url(&invite.token)?,
            };
            let until = invite
                .expires
                .map(|e| format!("until {}", crate::store::format_time(e)))
                .unwrap_or_else(|| "until revoked".into());
            writeln!(
                out,
                "join link for {} ({}), {until}:\n{url}",
                invite.participant.name, invite.participant.role
            )?;
            if !no_qr {
                let code = qrcode::QrCode::new(url.as_bytes())
                    .map_err(|e| anyhow!("cannot draw the QR code: {e}"))?;
                let drawn = code
                    .render::<qrcode::render::unicode::Dense1x2>()
                    .quiet_zone(true)
                    .build();
                writeln!(out, "{drawn}")?;
            }
            writeln!(
                out,
                "the link is shown once and not stored; `crosswalk participant revoke {}` stops it",
                invite.participant.name
            )?;
        }
        SessionCommand::Participant {
            action: ParticipantAction::Revoke { name },
        } => {
            let n = ws.revoke_invites(&name)?;
            writeln!(out, "revoked {n} join link(s) of {name}")?;
        }
        SessionCommand::Vote { args, comment } => {
            let (vote, link) = args.split_last().expect("clap requires two values");
            let vote: Vote = vote.parse().map_err(|e: String| anyhow!(e))?;
            let id = resolve_link(ws, link)?;
            let (before, after) = ws.vote(&id, vote, comment.as_deref())?;
            let who = ws.actor().map(|p| p.name.clone()).unwrap_or_default();
            let change = if before == after {
                format!("still {after}")
            } else {
                format!("now {after} (was {before})")
            };
            writeln!(
                out,
                "{who} votes {vote} on {}: {change}",
                label(&ws.link(&id)?)
            )?;
        }
        SessionCommand::Comment { args } => {
            let (text, link) = args.split_last().expect("clap requires two values");
            let id = resolve_link(ws, link)?;
            ws.add_comment(&id, text)?;
            let n = ws.comments(&id)?.len();
            writeln!(
                out,
                "comment added to {} ({n} in the thread)",
                label(&ws.link(&id)?)
            )?;
        }
        SessionCommand::Validate {
            item,
            verdict,
            comment,
            withdraw,
        } => {
            let standing = match verdict.filter(|_| !withdraw) {
                Some(verdict) => Some(ws.validate(&item, verdict, &comment)?),
                None => {
                    let left = ws.withdraw_validation(&item)?;
                    writeln!(out, "{item}: verdict withdrawn")?;
                    left
                }
            };
            match standing {
                Some(v) => writeln!(out, "{item} stands: {}", v.describe())?,
                None => writeln!(out, "{item}: no verdict now")?,
            }
        }
        SessionCommand::History { link, item, json } => {
            let filter = match (link.as_slice(), item) {
                ([], None) => HistoryFilter::All,
                ([], Some(item)) => HistoryFilter::Item(ws.find_item(&item)?.end.item_identifier),
                ([id], _)
                    if ws.link(id).is_err()
                        && !ws.history(&HistoryFilter::Link(id.clone()))?.is_empty() =>
                {
                    HistoryFilter::Link(id.clone()) // a deleted link keeps its history
                }
                (parts, _) => HistoryFilter::Link(resolve_link(ws, parts)?),
            };
            let entries = ws.history(&filter)?;
            if json {
                writeln!(out, "{}", super::json_text(&entries)?)?;
            } else {
                for e in &entries {
                    writeln!(out, "{}", history_line(e))?;
                }
                writeln!(
                    out,
                    "{} entr{}",
                    entries.len(),
                    if entries.len() == 1 { "y" } else { "ies" }
                )?;
            }
        }
        SessionCommand::Coverage {
            json,
            all,
            frameworks,
        } => {
            let frameworks = report::frameworks_in_scope(ws, &frameworks)?;
            let coverage = report::coverage_of(ws, &frameworks, &ws.session_links()?, all)?;
            if json {
                writeln!(out, "{}", super::json_text(&coverage)?)?;
            } else {
                print_coverage(&coverage, out)?;
            }
        }
        SessionCommand::Report {
            output,
            all,
            frameworks,
            title,
        } => {
            ws.check_integrity()?;
            let mut data = ReportData::gather(ws, &frameworks, all, &today())?;
            if let Some(title) = title {
                data.title = title;
            }
            let written = report::write_report(&output, &data)?;
            for path in written {
                writeln!(out, "wrote {}", path.display())?;
            }
        }
        SessionCommand::ImportLinks { file, dry_run } => {
            let bytes =
                std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let name = file.display().to_string();
            let (rows, problems) =
                crate::store::parse_drafts(&bytes, &name).map_err(|e| anyhow!(e))?;
            let report = ws
                .import_drafts(rows, problems, dry_run)
                .with_context(|| format!("{name}: import refused"))?;
            write!(out, "{}", report.summary(dry_run))?;
        }
        SessionCommand::Settings { action: None } => {
            writeln!(
                out,
                "{CONSENSUS_RULE} = {}  ({})",
                ws.consensus_rule()?,
                ws.consensus_rule()?.describe()
            )?;
        }
        SessionCommand::Settings {
            action: Some(SettingsAction::Get { key }),
        } => match key.as_str() {
            CONSENSUS_RULE => writeln!(out, "{}", ws.consensus_rule()?)?,
            other => writeln!(
                out,
                "{}",
                ws.setting(other)?
                    .ok_or_else(|| anyhow!("no setting `{other}`"))?
            )?,
        },
        SessionCommand::Settings {
            action: Some(SettingsAction::Set { key, value }),
        } => {
            if key != CONSENSUS_RULE {
                bail!("`{key}` cannot be set here; the setting that can is {CONSENSUS_RULE}");
            }
            let rule: ConsensusRule = value.parse().map_err(|e: String| anyhow!(e))?;
            ws.set_consensus_rule(rule)?;
            writeln!(out, "{CONSENSUS_RULE} = {rule}: {}", rule.describe())?;
        }
    }
    Ok(())
}

fn print_coverage(coverage: &crate::model::Coverage, out: &mut impl Write) -> Result<()> {
    for fw in &coverage.frameworks {
        let what = if fw.side == Side::Educator {
            "outcomes"
        } else {
            "competencies"
        };
        writeln!(
            out,
            "{} ({} side): {} of {} {what} covered ({}){}",
            fw.title,
            fw.side,
            fw.covered,
            fw.counted,
            format_percent(fw.percent),
            if fw.validated_only {
                ", validated competencies only"
            } else {
                ""
            }
        )?;
        for n in &fw.nodes {
            let indent = "  ".repeat(n.depth as usize + 1);
            let state = report::state_text(n).unwrap_or_else(|| {
                format!(
                    "{} of {} ({})",
                    n.covered,
                    n.counted,
                    format_percent(n.percent)
                )
            });
            let partners: Vec<String> = n
                .alignments
                .iter()
                .map(|a| format!("{} ({}, {})", a.partner, a.association_type, a.strength))
                .collect();
            let arrow = if partners.is_empty() {
                String::new()
            } else {
                format!("  <-> {}", partners.join("; "))
            };
            writeln!(out, "{indent}{}  {state}{arrow}", n.label())?;
        }
        let gaps: Vec<&str> = fw.gaps().map(|n| n.label()).collect();
        let list = if gaps.is_empty() {
            "none".to_string()
        } else {
            gaps.join(", ")
        };
        let what = if fw.side == Side::Educator {
            "outcomes aligned to nothing"
        } else {
            "competencies nothing covers"
        };
        writeln!(out, "  gaps, {} {what}: {list}\n", gaps.len())?;
    }
    Ok(())
}
