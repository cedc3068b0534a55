//! The session as the screen sees it: who takes part and who is at the keyboard, the
//! consensus rule, every link's current votes, every competency's verdict, and the
//! thread and history of what is selected. Read from the workshop when the screen
//! opens and kept up to date by the screen's own changes.
use crate::model::{
    Ballot, Comment, ConsensusRule, HistoryEntry, LinkStatus, Participant, Role, Validation,
    Verdict, Vote, link_status,
};
use crate::store::{HistoryFilter, Workshop};
use std::collections::HashMap;

#[derive(Debug, Clone, Default)]
pub struct Session {
    pub participants: Vec<Participant>,
    /// Who is at the keyboard (recorded with every change), if anyone said.
    pub actor: Option<Participant>,
    pub rule: ConsensusRule,
    /// Current votes by link identifier.
    pub ballots: HashMap<String, Vec<Ballot>>,
    /// Current verdicts by item identifier.
    pub verdicts: HashMap<String, Validation>,
    /// The detail pane's records of the selection: read when the selection changes.
    pub record: Record,
}

/// What the detail pane shows beyond the framework: the selected link's comment thread
/// and history, and the selected item's history.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Record {
    /// (item identifier, link identifier, session generation) the record was read for.
    pub key: (String, String, u64),
    pub comments: Vec<Comment>,
    pub link_history: Vec<HistoryEntry>,
    pub item_history: Vec<HistoryEntry>,
}

impl Session {
    pub fn load(ws: &Workshop) -> crate::store::Result<Session> {
        Ok(Session {
            participants: ws.participants()?,
            actor: ws.actor().cloned(),
            rule: ws.consensus_rule()?,
            ballots: ws.ballots()?,
            verdicts: ws
                .validations()?
                .into_iter()
                .map(|v| (v.item_identifier.clone(), v))
                .collect(),
            record: Record::default(),
        })
    }

    /// A consensus process runs once people take part; alone, every link counts as agreed.
    pub fn is_running(&self) -> bool {
        !self.participants.is_empty()
    }

    /// A link's status from its current votes.
    pub fn status(&self, link: &str) -> LinkStatus {
        let votes: Vec<(Role, Vote)> = self
            .ballots
            .get(link)
            .map(|b| b.iter().map(|b| (b.role, b.vote)).collect())
            .unwrap_or_default();
        link_status(self.rule, self.participants.len(), &votes)
    }

    /// The acting participant's current vote on a link.
    pub fn my_vote(&self, link: &str) -> Option<Vote> {
        let me = self.actor.as_ref()?;
        self.ballots
            .get(link)?
            .iter()
            .find(|b| b.participant == me.name)
            .map(|b| b.vote)
    }

    pub fn verdict(&self, item: &str) -> Option<Verdict> {
        self.verdicts.get(item).map(|v| v.verdict)
    }

    /// Re-reads the detail pane's record when the selection (or, by `generation`, the
    /// session) changed since it was read.
    pub fn refresh_record(
        &mut self,
        ws: &Workshop,
        item: &str,
        link: &str,
        generation: u64,
    ) -> crate::store::Result<()> {
        let key = (item.to_string(), link.to_string(), generation);
        if self.record.key == key {
            return Ok(());
        }
        let (comments, link_history) = if link.is_empty() {
            (Vec::new(), Vec::new())
        } else {
            (
                ws.comments(link)?,
                ws.history(&HistoryFilter::Link(link.to_string()))?,
            )
        };
        let item_history = if item.is_empty() {
            Vec::new()
        } else {
            ws.history(&HistoryFilter::Item(item.to_string()))?
        };
        self.record = Record {
            key,
            comments,
            link_history,
            item_history,
        };
        Ok(())
    }
}

/// The symbol and word for a verdict, as the trees and the detail pane show it.
pub fn verdict_mark(v: Verdict) -> &'static str {
    match v {
        Verdict::Validated => "✔",
        Verdict::NeedsRevision => "✎",
        Verdict::NotRelevant => "⊖",
    }
}

/// Bits of `LinkStatus` values, for an item's set of link statuses.
pub fn status_bit(s: LinkStatus) -> u8 {
    1 << (s as u8)
}

/// The status an item's links show at a glance: what most needs the room's attention.
pub fn headline_status(bits: u8) -> Option<LinkStatus> {
    [
        LinkStatus::Disputed,
        LinkStatus::Proposed,
        LinkStatus::Agreed,
        LinkStatus::Rejected,
    ]
    .into_iter()
    .find(|&s| bits & status_bit(s) != 0)
}

/// Which links a tree filter keeps, cycled by one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusFilter {
    /// Proposed or disputed: still to settle.
    Open,
    Only(LinkStatus),
}

impl StatusFilter {
    /// The cycle: off, open, then each status.
    pub const CYCLE: [Option<StatusFilter>; 6] = [
        None,
        Some(StatusFilter::Open),
        Some(StatusFilter::Only(LinkStatus::Proposed)),
        Some(StatusFilter::Only(LinkStatus::Disputed)),
        Some(StatusFilter::Only(LinkStatus::Agreed)),
        Some(StatusFilter::Only(LinkStatus::Rejected)),
    ];

    pub fn bits(self) -> u8 {
        match self {
            StatusFilter::Open => {
                status_bit(LinkStatus::Proposed) | status_bit(LinkStatus::Disputed)
            }
            StatusFilter::Only(s) => status_bit(s),
        }
    }

    pub fn label(self) -> String {
        match self {
            StatusFilter::Open => "open (proposed or disputed)".into(),
            StatusFilter::Only(s) => s.to_string(),
        }
    }

    pub fn next(current: Option<StatusFilter>) -> Option<StatusFilter> {
        let at = Self::CYCLE.iter().position(|f| *f == current).unwrap_or(0);
        Self::CYCLE[(at + 1) % Self::CYCLE.len()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_headline_is_what_most_needs_attention() {
        let bits = |s: &[LinkStatus]| s.iter().fold(0, |b, &s| b | status_bit(s));
        assert_eq!(headline_status(0), None);
        assert_eq!(
            headline_status(bits(&[LinkStatus::Agreed, LinkStatus::Disputed])),
            Some(LinkStatus::Disputed)
        );
        assert_eq!(
            headline_status(bits(&[LinkStatus::Agreed, LinkStatus::Rejected])),
            Some(LinkStatus::Agreed)
        );
        assert_eq!(
            headline_status(bits(&[LinkStatus::Rejected])),
            Some(LinkStatus::Rejected)
        );
    }

    #[test]
    fn the_status_filter_cycles_back_to_off() {
        let mut f = None;
        let mut seen = Vec::new();
        for _ in 0..StatusFilter::CYCLE.len() {
            f = StatusFilter::next(f);
            seen.push(f);
        }
        assert_eq!(seen.last(), Some(&None));
        assert_eq!(seen[0], Some(StatusFilter::Open));
        assert_eq!(
            StatusFilter::Open.bits(),
            status_bit(LinkStatus::Proposed) | status_bit(LinkStatus::Disputed)
        );
    }
}
