//! Who may do what in a session, and what an act needs to be taken: one set of rules
//! that the screen, the command line and the server all ask, so a refusal reads the same
//! wherever it happens. (What votes add up to is `link_status`, beside the vote types.)
//!
//! - With nobody taking part, there is no session: one person works alone and may do
//!   everything but vote or validate (there is nobody to vote as).
//! - Once people take part, changes carry a name. Acting as nobody (the command line
//!   without `--as`, or "nobody" on the screen) is the workshop's operator setting up:
//!   drawing and editing links, marking items, adding people; votes, comments and
//!   verdicts need a name, and the consensus rule a facilitator.
//! - Observers see everything and change nothing.
//! - Faculty and employer SMEs draw, edit and delete links, vote and comment; employer
//!   SMEs also judge competencies.
//! - Facilitators may do everything, and their reject rejects a link outright.
use super::{Participant, Role, Verdict, Vote};

/// Something a person can do to the workshop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Act {
    DrawLink,
    EditLink,
    DeleteLink,
    Vote(Vote),
    WithdrawVote,
    Comment,
    Validate(Verdict),
    WithdrawVerdict,
    MarkNoEquivalent,
    RejectSuggestion,
    ManageParticipants,
    ChangeRule,
}

impl Act {
    /// How the act reads in a refusal ("… cannot {verb}").
    fn verb(self) -> &'static str {
        match self {
            Act::DrawLink => "draw links",
            Act::EditLink => "change links",
            Act::DeleteLink => "delete links",
            Act::Vote(_) | Act::WithdrawVote => "vote",
            Act::Comment => "comment",
            Act::Validate(_) | Act::WithdrawVerdict => "judge competencies",
            Act::MarkNoEquivalent => "mark items as having no equivalent",
            Act::RejectSuggestion => "turn suggestions down",
            Act::ManageParticipants => "add or change participants",
            Act::ChangeRule => "change the consensus rule",
        }
    }

    /// Acts that record a person's say, and so need a name once people take part.
    fn needs_name(self) -> bool {
        matches!(
            self,
            Act::Vote(_)
                | Act::WithdrawVote
                | Act::Comment
                | Act::Validate(_)
                | Act::WithdrawVerdict
                | Act::ChangeRule
        )
    }
}

/// Why an act is refused, in words for the person who tried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Nobody takes part, so there is nobody to vote or judge as.
    NoSession,
    /// People take part and the act needs to say who does it.
    NeedsName,
    /// The person's role does not allow it.
    Role(String),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::NoSession => f.write_str(
                "nobody takes part yet: add participants with `crosswalk participant add NAME --role ROLE`",
            ),
            Refusal::NeedsName => f.write_str("say who is acting"),
            Refusal::Role(text) => f.write_str(text),
        }
    }
}

/// May `actor` (or nobody) do `act`, in a workshop where `running` says whether people take part?
pub fn may(actor: Option<&Participant>, running: bool, act: Act) -> Result<(), Refusal> {
    let person_only = matches!(
        act,
        Act::Vote(_) | Act::WithdrawVote | Act::Validate(_) | Act::WithdrawVerdict
    );
    let Some(p) = actor else {
        return match () {
            _ if !running && person_only => Err(Refusal::NoSession),
            _ if running && act.needs_name() => Err(Refusal::NeedsName),
            _ => Ok(()),
        };
    };
    let allowed = match p.role {
        Role::Facilitator => true,
        Role::Observer => false,
        Role::Faculty => !matches!(
            act,
            Act::Validate(_) | Act::WithdrawVerdict | Act::ManageParticipants | Act::ChangeRule
        ),
        Role::EmployerSme => !matches!(act, Act::ManageParticipants | Act::ChangeRule),
    };
    if allowed {
        return Ok(());
    }
    Err(Refusal::Role(match p.role {
        Role::Observer => format!(
            "{} is an observer; observers can look but cannot {}",
            p.name,
            act.verb()
        ),
        Role::Faculty if matches!(act, Act::Validate(_) | Act::WithdrawVerdict) => format!(
            "{} is faculty; only employer SMEs (or a facilitator recording the room's decision) judge competencies",
            p.name
        ),
        role => format!(
            "{} is {role}; only a facilitator can {}",
            p.name,
            act.verb()
        ),
    }))
}

/// What the act must carry to be taken, if anything: a dispute says why, a verdict of
/// "needs revision" says what to revise.
pub fn required_reason(act: Act) -> Option<&'static str> {
    match act {
        Act::Vote(Vote::Dispute) => {
            Some("a dispute needs a reason: say what is wrong with the link")
        }
        Act::Validate(Verdict::NeedsRevision) => {
            Some("needs revision says what to revise: give a comment")
        }
        _ => None,
    }
}

/// [`required_reason`], checked against what was given.
pub fn check_reason(act: Act, reason: Option<&str>) -> Result<(), String> {
    match required_reason(act) {
        Some(why) if reason.is_none_or(|r| r.trim().is_empty()) => Err(why.to_string()),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn person(role: Role) -> Participant {
        Participant {
            id: 1,
            name: "Pat".into(),
            role,
        }
    }

    const EVERY_ACT: [Act; 12] = [
        Act::DrawLink,
        Act::EditLink,
        Act::DeleteLink,
        Act::Vote(Vote::Accept),
        Act::WithdrawVote,
        Act::Comment,
        Act::Validate(Verdict::Validated),
        Act::WithdrawVerdict,
        Act::MarkNoEquivalent,
        Act::RejectSuggestion,
        Act::ManageParticipants,
        Act::ChangeRule,
    ];

    fn allowed(actor: Option<&Participant>, running: bool) -> Vec<Act> {
        EVERY_ACT
            .into_iter()
            .filter(|&a| may(actor, running, a).is_ok())
            .collect()
    }

    #[test]
    fn observers_change_nothing_and_facilitators_everything() {
        assert!(allowed(Some(&person(Role::Observer)), true).is_empty());
        assert_eq!(allowed(Some(&person(Role::Facilitator)), true), EVERY_ACT);
        let refusal = may(Some(&person(Role::Observer)), true, Act::DrawLink).unwrap_err();
        assert_eq!(
            refusal.to_string(),
            "Pat is an observer; observers can look but cannot draw links"
        );
    }

    #[test]
    fn faculty_and_smes_differ_only_in_judging_competencies() {
        let faculty = allowed(Some(&person(Role::Faculty)), true);
        let sme = allowed(Some(&person(Role::EmployerSme)), true);
        let only_sme: Vec<Act> = sme
            .iter()
            .copied()
            .filter(|a| !faculty.contains(a))
            .collect();
        assert_eq!(
            only_sme,
            [Act::Validate(Verdict::Validated), Act::WithdrawVerdict]
        );
        assert!(!sme.contains(&Act::ChangeRule) && !sme.contains(&Act::ManageParticipants));
        assert!(
            may(
                Some(&person(Role::Faculty)),
                true,
                Act::Validate(Verdict::Validated)
            )
            .unwrap_err()
            .to_string()
            .contains("only employer SMEs")
        );
    }

    #[test]
    fn nobody_sets_up_but_has_no_say() {
        // Alone, with no session: everything but voting and judging.
        let alone = allowed(None, false);
        assert!(alone.contains(&Act::DrawLink) && alone.contains(&Act::ChangeRule));
        assert_eq!(
            may(None, false, Act::Vote(Vote::Accept)),
            Err(Refusal::NoSession)
        );
        // In a session, acting as nobody: setting up only.
        assert_eq!(
            allowed(None, true),
            [
                Act::DrawLink,
                Act::EditLink,
                Act::DeleteLink,
                Act::MarkNoEquivalent,
                Act::RejectSuggestion,
                Act::ManageParticipants
            ]
        );
        assert_eq!(may(None, true, Act::Comment), Err(Refusal::NeedsName));
    }

    #[test]
    fn disputes_and_revisions_need_a_reason() {
        assert!(check_reason(Act::Vote(Vote::Dispute), None).is_err());
        assert!(check_reason(Act::Vote(Vote::Dispute), Some("  ")).is_err());
        assert!(check_reason(Act::Vote(Vote::Dispute), Some("only touched on")).is_ok());
        assert!(check_reason(Act::Vote(Vote::Reject), None).is_ok());
        assert!(check_reason(Act::Validate(Verdict::NeedsRevision), None).is_err());
        assert!(check_reason(Act::Validate(Verdict::Validated), None).is_ok());
    }
}
