//! Running the session: who takes part, how their votes become a link's status,
//! how employer SMEs judge competencies, and where each link came from.
//! Pure types and rules; the store keeps them, the CLI and reports show them.
use serde::Serialize;
use std::fmt;
use std::str::FromStr;
use time::OffsetDateTime;

/// Defines a small enum with a fixed wire name per variant, `Display`, and a
/// `FromStr` that takes the wire name or one of its aliases, in any letter case.
macro_rules! named_enum {
    ($(#[$m:meta])* $name:ident, $what:literal { $($(#[$vm:meta])* $variant:ident = $wire:literal $(| $alias:literal)*),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
        pub enum $name { $($(#[$vm])* #[serde(rename = $wire)] $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $wire),+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                let s = s.trim().to_ascii_lowercase().replace(['_', ' '], "-");
                $(if s == $wire $(|| s == $alias)* { return Ok($name::$variant); })+
                let names: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
                Err(format!(concat!("unknown ", $what, " `{}` (expected one of: {})"), s, names.join(", ")))
            }
        }
    };
}

named_enum!(
    /// What a participant is in the room for.
    Role, "role" {
        /// Runs the session; can reject a link outright.
        Facilitator = "facilitator",
        /// Speaks for the college's learning outcomes.
        Faculty = "faculty" | "educator" | "instructor",
        /// Speaks for the job's competencies; validates them.
        EmployerSme = "employer-sme" | "employer" | "sme",
        /// Watches; cannot vote or validate.
        Observer = "observer",
    }
);

impl Role {
    pub fn can_vote(self) -> bool {
        self != Role::Observer
    }

    /// Employer SMEs judge competencies; a facilitator may record what the room decided.
    pub fn can_validate(self) -> bool {
        matches!(self, Role::EmployerSme | Role::Facilitator)
    }
}

named_enum!(
    /// One participant's current say on a link.
    Vote, "vote" {
        Accept = "accept" | "yes" | "agree",
        Dispute = "dispute" | "object",
        Reject = "reject" | "no",
    }
);

named_enum!(
    /// Where a link stands in the session.
    LinkStatus, "status" {
        Proposed = "proposed",
        Agreed = "agreed",
        Disputed = "disputed",
        Rejected = "rejected",
    }
);

impl LinkStatus {
    /// A mark for tables and the coverage matrix, so status never rests on colour alone.
    pub fn symbol(self) -> &'static str {
        match self {
            LinkStatus::Agreed => "✓",
            LinkStatus::Proposed => "?",
            LinkStatus::Disputed => "!",
            LinkStatus::Rejected => "✗",
        }
    }
}

named_enum!(
    /// How votes become a status; a workshop setting (`consensus.rule`).
    #[derive(Default)]
    ConsensusRule, "consensus rule" {
        /// Agreed once a faculty member and an employer SME accept and nobody disputes.
        #[default]
        FacultyAndEmployer = "faculty+employer" | "default",
        /// Agreed once anyone who votes accepts and nobody disputes.
        AnyAccept = "any-accept",
        /// The facilitator decides; others' disputes stand until the facilitator rules.
        FacilitatorDecides = "facilitator",
    }
);

impl ConsensusRule {
    pub fn describe(self) -> &'static str {
        match self {
            ConsensusRule::FacultyAndEmployer => {
                "a link is agreed when at least one faculty member and one employer SME accept it and nobody disputes or rejects it"
            }
            ConsensusRule::AnyAccept => {
                "a link is agreed when anyone accepts it and nobody disputes or rejects it"
            }
            ConsensusRule::FacilitatorDecides => {
                "a link is agreed when a facilitator accepts it; others' disputes stand until a facilitator rules"
            }
        }
    }

    /// The status the current votes give a link. In every rule a facilitator's reject
    /// rejects the link; a reject by anyone else is an objection the room must settle,
    /// so it counts as a dispute. Observers' votes (the store refuses them) count for nothing.
    pub fn status(self, votes: &[(Role, Vote)]) -> LinkStatus {
        let has = |role: Option<Role>, vote: Vote| {
            votes
                .iter()
                .any(|&(r, v)| r.can_vote() && v == vote && role.is_none_or(|want| want == r))
        };
        let objected = has(None, Vote::Dispute) || has(None, Vote::Reject);
        if has(Some(Role::Facilitator), Vote::Reject) {
            return LinkStatus::Rejected;
        }
        let accepted = match self {
            ConsensusRule::FacultyAndEmployer => {
                has(Some(Role::Faculty), Vote::Accept) && has(Some(Role::EmployerSme), Vote::Accept)
            }
            ConsensusRule::AnyAccept => has(None, Vote::Accept),
            ConsensusRule::FacilitatorDecides => {
                if has(Some(Role::Facilitator), Vote::Dispute) {
                    return LinkStatus::Disputed;
                }
                if has(Some(Role::Facilitator), Vote::Accept) {
                    return LinkStatus::Agreed;
                }
                false
            }
        };
        match (objected, accepted) {
            (true, _) => LinkStatus::Disputed,
            (false, true) => LinkStatus::Agreed,
            (false, false) => LinkStatus::Proposed,
        }
    }
}

/// A link's status in a workshop with `participants` people. A workshop with no
/// participants has no consensus process (one person drawing links alone), so every
/// link counts as agreed there: exports and coverage then show all of them.
pub fn link_status(rule: ConsensusRule, participants: usize, votes: &[(Role, Vote)]) -> LinkStatus {
    if participants == 0 {
        LinkStatus::Agreed
    } else {
        rule.status(votes)
    }
}

named_enum!(
    /// An employer SME's judgement of a competency.
    Verdict, "verdict" {
        Validated = "validated" | "valid",
        NeedsRevision = "needs-revision" | "revise",
        NotRelevant = "not-relevant" | "irrelevant",
    }
);

impl Verdict {
    /// How a person says it: "needs revision".
    pub fn words(self) -> &'static str {
        match self {
            Verdict::Validated => "validated",
            Verdict::NeedsRevision => "needs revision",
            Verdict::NotRelevant => "not relevant",
        }
    }
}

named_enum!(
    /// On what grounds a link was drawn (SSSOM's mapping justification, in workshop terms).
    #[derive(Default)]
    Basis, "basis" {
        /// Drawn in the room after discussion.
        #[default]
        Discussion = "discussion" | "manual",
        /// A suggestion the room accepted.
        Suggestion = "suggestion" | "suggested",
        /// Drafted before the session and imported.
        Imported = "imported" | "import",
    }
);

/// Times go out as RFC 3339 text in UTC, as the workshop file keeps them.
fn rfc3339<S: serde::Serializer>(t: &OffsetDateTime, s: S) -> Result<S::Ok, S::Error> {
    let t = t.to_offset(time::UtcOffset::UTC);
    s.serialize_str(
        &t.format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default(),
    )
}

/// A person taking part in the session.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Participant {
    /// Row id in the workshop file.
    #[serde(skip)]
    pub id: i64,
    pub name: String,
    pub role: Role,
}

/// One participant's current vote on a link (earlier votes are in the history).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ballot {
    pub participant: String,
    pub role: Role,
    pub vote: Vote,
    #[serde(serialize_with = "rfc3339")]
    pub at: OffsetDateTime,
}

/// A comment in a link's thread.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comment {
    /// `None` when nobody said who was speaking.
    pub author: Option<String>,
    pub text: String,
    #[serde(serialize_with = "rfc3339")]
    pub at: OffsetDateTime,
}

/// One person's current verdict on a competency (earlier ones are in the history).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExpertVerdict {
    /// `None` for a verdict given with nobody named (a workshop without participants).
    pub by: Option<String>,
    pub role: Option<Role>,
    pub verdict: Verdict,
    pub comment: String,
    #[serde(serialize_with = "rfc3339")]
    pub at: OffsetDateTime,
}

/// Where a competency stands, derived from every expert's current verdict by
/// [`verdict_standing`]: `verdict`, `comment`, `by` and `at` are the standing's (for a
/// contested one: the most cautious verdict given, with no comment or name), and
/// `verdicts` holds each person's.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Validation {
    pub item_identifier: String,
    pub verdict: Verdict,
    pub comment: String,
    pub by: Option<String>,
    #[serde(serialize_with = "rfc3339")]
    pub at: OffsetDateTime,
    /// The experts disagree and no facilitator has ruled: it does not count as validated.
    pub contested: bool,
    /// Every current verdict, one per person, oldest first.
    pub verdicts: Vec<ExpertVerdict>,
}

/// The rule that turns experts' verdicts into a competency's standing, as links'
/// consensus turns votes into a status:
///
/// 1. a facilitator's verdict records what the room decided, and stands (the latest, if
///    several facilitators gave one);
/// 2. otherwise, when everyone who judged it gave the same verdict, that is its standing;
/// 3. otherwise it is *contested*: it does not count as validated, and reads as the most
///    cautious verdict given (needs revision before not relevant) until the experts agree
///    or a facilitator rules.
///
/// `None` when nobody has judged it.
pub fn verdict_standing(item_identifier: &str, verdicts: Vec<ExpertVerdict>) -> Option<Validation> {
    let standing = |v: &ExpertVerdict, contested: bool| Validation {
        item_identifier: item_identifier.to_string(),
        verdict: v.verdict,
        comment: v.comment.clone(),
        by: v.by.clone(),
        at: v.at,
        contested,
        verdicts: Vec::new(),
    };
    let mut out = if let Some(f) = verdicts
        .iter()
        .filter(|v| v.role == Some(Role::Facilitator))
        .max_by_key(|v| v.at)
    {
        standing(f, false)
    } else {
        let latest = verdicts.iter().max_by_key(|v| v.at)?;
        if verdicts.iter().all(|v| v.verdict == latest.verdict) {
            standing(latest, false)
        } else {
            let cautious = [Verdict::NeedsRevision, Verdict::NotRelevant]
                .into_iter()
                .find(|c| verdicts.iter().any(|v| v.verdict == *c))
                .unwrap_or(Verdict::NeedsRevision);
            Validation {
                verdict: cautious,
                comment: String::new(),
                by: None,
                ..standing(latest, true)
            }
        }
    };
    out.verdicts = verdicts;
    Some(out)
}

impl Validation {
    /// "needs revision (Sam): name the benefit programs", or for a contested standing
    /// "verdicts differ: Sam (employer-sme) validated; Lee (employer-sme) needs revision: …".
    pub fn describe(&self) -> String {
        let one = |v: &ExpertVerdict| {
            let who = match (&v.by, v.role) {
                (Some(b), Some(r)) => format!("{b} ({r}) "),
                (Some(b), None) => format!("{b} "),
                _ => String::new(),
            };
            let comment = if v.comment.is_empty() {
                String::new()
            } else {
                format!(": {}", v.comment)
            };
            format!("{who}{}{comment}", v.verdict.words())
        };
        if self.contested {
            let all: Vec<String> = self.verdicts.iter().map(one).collect();
            return format!("verdicts differ: {}", all.join("; "));
        }
        let by = self
            .by
            .as_deref()
            .map(|b| format!(" ({b})"))
            .unwrap_or_default();
        let comment = if self.comment.is_empty() {
            String::new()
        } else {
            format!(": {}", self.comment)
        };
        let others = self.verdicts.len().saturating_sub(1);
        let more = match others {
            0 => String::new(),
            n => format!(" [{} verdicts in all]", n + 1),
        };
        format!("{}{by}{comment}{more}", self.verdict.words())
    }
}

/// Where a link came from and who stands behind it (SSSOM's provenance slots).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Provenance {
    /// Who drew or drafted the link, when known.
    pub asserted_by: Option<String>,
    pub basis: Basis,
    /// How sure the asserter was, 0 to 1.
    pub confidence: Option<f64>,
    /// Participants whose current vote accepts the link.
    pub reviewed_by: Vec<String>,
}

/// A link as the session sees it: the link, its status, its provenance, its votes.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionLink {
    pub link: super::Link,
    pub status: LinkStatus,
    pub provenance: Provenance,
    pub ballots: Vec<Ballot>,
}

/// One line of the append-only session log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HistoryEntry {
    pub id: i64,
    #[serde(serialize_with = "rfc3339")]
    pub at: OffsetDateTime,
    /// The participant acting, or `None` when nobody said.
    pub actor: Option<String>,
    pub action: String,
    pub link_identifier: Option<String>,
    pub item_identifier: Option<String>,
    /// What changed, as the action records it (labels of the items, old and new values).
    pub details: serde_json::Value,
}

impl HistoryEntry {
    /// One line for a person: what happened to what, and the particulars.
    pub fn describe(&self) -> String {
        let d = &self.details;
        let text = |key: &str| d.get(key).and_then(|v| v.as_str()).unwrap_or("");
        let subject = match (text("origin"), text("destination"), text("item")) {
            ("", _, "") => String::new(),
            ("", _, item) => item.to_string(),
            (o, dest, _) => format!("{o} -> {dest}"),
        };
        let mut out = format!("{} {subject}", self.action).trim_end().to_string();
        if let Some(obj) = d.as_object() {
            for (key, value) in obj {
                if matches!(key.as_str(), "origin" | "destination" | "item") {
                    continue;
                }
                let value = match value {
                    serde_json::Value::String(s) => {
                        format!("\"{}\"", s.split_whitespace().collect::<Vec<_>>().join(" "))
                    }
                    serde_json::Value::Array(pair) if pair.len() == 2 => {
                        format!("{} -> {}", pair[0], pair[1])
                    }
                    other => other.to_string(),
                };
                out += &format!("  {key}: {value}");
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ConsensusRule::*;
    use Role::*;
    use Vote::*;

    #[test]
    fn names_parse_in_any_case_and_with_aliases() {
        assert_eq!("Employer SME".parse(), Ok(EmployerSme));
        assert_eq!("employer_sme".parse(), Ok(EmployerSme));
        assert_eq!("FACULTY".parse(), Ok(Faculty));
        assert_eq!("needs revision".parse(), Ok(Verdict::NeedsRevision));
        assert_eq!("faculty+employer".parse(), Ok(FacultyAndEmployer));
        let err = "dean".parse::<Role>().unwrap_err();
        assert!(
            err.contains("facilitator, faculty, employer-sme, observer"),
            "{err}"
        );
        for r in Role::ALL {
            assert_eq!(r.as_str().parse(), Ok(*r));
        }
    }

    #[test]
    fn default_rule_needs_a_faculty_member_and_an_employer_sme() {
        assert_eq!(FacultyAndEmployer.status(&[]), LinkStatus::Proposed);
        assert_eq!(
            FacultyAndEmployer.status(&[(Faculty, Accept)]),
            LinkStatus::Proposed
        );
        assert_eq!(
            FacultyAndEmployer.status(&[(Faculty, Accept), (Faculty, Accept)]),
            LinkStatus::Proposed
        );
        assert_eq!(
            FacultyAndEmployer.status(&[(Faculty, Accept), (EmployerSme, Accept)]),
            LinkStatus::Agreed
        );
        // A facilitator's accept does not stand in for either side.
        assert_eq!(
            FacultyAndEmployer.status(&[(Facilitator, Accept), (EmployerSme, Accept)]),
            LinkStatus::Proposed
        );
    }

    #[test]
    fn any_dispute_holds_a_link_back() {
        let votes = [
            (Faculty, Accept),
            (EmployerSme, Accept),
            (EmployerSme, Dispute),
        ];
        assert_eq!(FacultyAndEmployer.status(&votes), LinkStatus::Disputed);
        assert_eq!(AnyAccept.status(&votes), LinkStatus::Disputed);
        // A reject by someone other than the facilitator is an objection, not a verdict.
        assert_eq!(
            AnyAccept.status(&[(Faculty, Accept), (Faculty, Reject)]),
            LinkStatus::Disputed
        );
    }

    fn expert(by: &str, role: Role, verdict: Verdict, minute: u8) -> ExpertVerdict {
        ExpertVerdict {
            by: Some(by.into()),
            role: Some(role),
            verdict,
            comment: format!("{by} says"),
            at: OffsetDateTime::UNIX_EPOCH + time::Duration::minutes(minute.into()),
        }
    }

    #[test]
    fn verdicts_become_a_standing_by_the_rule() {
        use Verdict::*;
        assert_eq!(verdict_standing("c", Vec::new()), None);
        // Agreeing experts: their verdict, the latest one's comment and name.
        let s = verdict_standing(
            "c",
            vec![
                expert("Sam", EmployerSme, Validated, 1),
                expert("Lee", EmployerSme, Validated, 2),
            ],
        )
        .unwrap();
        assert_eq!(
            (s.verdict, s.contested, s.by.as_deref()),
            (Validated, false, Some("Lee"))
        );
        assert_eq!(
            s.describe(),
            "validated (Lee): Lee says [2 verdicts in all]"
        );
        // Disagreeing experts: contested, read as the most cautious verdict; nobody's is lost.
        let s = verdict_standing(
            "c",
            vec![
                expert("Sam", EmployerSme, Validated, 1),
                expert("Lee", EmployerSme, NotRelevant, 2),
            ],
        )
        .unwrap();
        assert_eq!(
            (s.verdict, s.contested, s.verdicts.len()),
            (NotRelevant, true, 2)
        );
        assert_eq!(
            s.describe(),
            "verdicts differ: Sam (employer-sme) validated: Sam says; Lee (employer-sme) not relevant: Lee says"
        );
        // A facilitator rules, whatever the order.
        let s = verdict_standing(
            "c",
            vec![
                expert("Fay", Facilitator, Validated, 1),
                expert("Lee", EmployerSme, NeedsRevision, 2),
            ],
        )
        .unwrap();
        assert_eq!((s.verdict, s.contested), (Validated, false));
    }

    #[test]
    fn a_facilitators_reject_rejects_under_every_rule() {
        for rule in ConsensusRule::ALL {
            let votes = [
                (Faculty, Accept),
                (EmployerSme, Accept),
                (Facilitator, Reject),
            ];
            assert_eq!(rule.status(&votes), LinkStatus::Rejected, "{rule}");
        }
    }

    #[test]
    fn any_accept_and_facilitator_rules() {
        assert_eq!(
            AnyAccept.status(&[(EmployerSme, Accept)]),
            LinkStatus::Agreed
        );
        assert_eq!(
            FacilitatorDecides.status(&[(EmployerSme, Accept), (Faculty, Accept)]),
            LinkStatus::Proposed
        );
        assert_eq!(
            FacilitatorDecides.status(&[(Faculty, Dispute)]),
            LinkStatus::Disputed
        );
        // The facilitator's ruling settles a dispute.
        assert_eq!(
            FacilitatorDecides.status(&[(Faculty, Dispute), (Facilitator, Accept)]),
            LinkStatus::Agreed
        );
        assert_eq!(
            FacilitatorDecides.status(&[(Facilitator, Dispute)]),
            LinkStatus::Disputed
        );
    }

    #[test]
    fn observers_count_for_nothing() {
        assert_eq!(
            AnyAccept.status(&[(Observer, Accept)]),
            LinkStatus::Proposed
        );
        assert_eq!(
            AnyAccept.status(&[(Faculty, Accept), (Observer, Dispute)]),
            LinkStatus::Agreed
        );
    }

    #[test]
    fn a_workshop_without_participants_agrees_every_link() {
        assert_eq!(link_status(FacultyAndEmployer, 0, &[]), LinkStatus::Agreed);
        assert_eq!(
            link_status(FacultyAndEmployer, 2, &[]),
            LinkStatus::Proposed
        );
    }

    #[test]
    fn history_lines_name_the_link_and_the_change() {
        let entry = HistoryEntry {
            id: 1,
            at: OffsetDateTime::UNIX_EPOCH,
            actor: None,
            action: "retyped".into(),
            link_identifier: Some("l1".into()),
            item_identifier: None,
            details: serde_json::json!({"origin": "A.1", "destination": "B.2", "type": ["isRelatedTo", "exactMatchOf"]}),
        };
        assert_eq!(
            entry.describe(),
            "retyped A.1 -> B.2  type: \"isRelatedTo\" -> \"exactMatchOf\""
        );
    }
}
