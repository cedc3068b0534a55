//! What a participant works through at their own pace: their queue (competencies they
//! have not judged, open links they have not voted on) and a framework's coverage item by
//! item, gaps first, with every link at each item whatever its status.
use super::{FrameworkCoverage, LeafState, LinkEnd, LinkStatus, NodeCoverage, SessionLink, Side};

/// What one person (or, for an observer, the room) has still to say.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Queue {
    /// Competencies (leaves of employer frameworks) without their verdict, in tree order.
    pub competencies: Vec<LinkEnd>,
    /// Open links (proposed or disputed) without their vote, in the order of the links.
    pub links: Vec<SessionLink>,
}

impl Queue {
    pub fn is_empty(&self) -> bool {
        self.competencies.is_empty() && self.links.is_empty()
    }
}

/// Still to be decided: neither agreed nor rejected.
pub fn is_open(status: LinkStatus) -> bool {
    matches!(status, LinkStatus::Proposed | LinkStatus::Disputed)
}

/// Open links on which `voter` (a participant's name; `None`: anybody) has no vote.
pub fn unvoted(links: Vec<SessionLink>, voter: Option<&str>) -> Vec<SessionLink> {
    links
        .into_iter()
        .filter(|l| is_open(l.status))
        .filter(|l| {
            voter.is_none_or(|name| l.ballots.iter().all(|b| b.participant != name))
                && (voter.is_some() || l.ballots.is_empty())
        })
        .collect()
}

/// One leaf with its coverage and every link at it, agreed or not.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemReview {
    pub node: NodeCoverage,
    pub links: Vec<SessionLink>,
}

/// A framework's leaves for review, gaps first.
#[derive(Debug, Clone, PartialEq)]
pub struct FrameworkReview {
    pub identifier: String,
    pub title: String,
    pub side: Side,
    pub covered: usize,
    pub counted: usize,
    pub percent: Option<f64>,
    pub items: Vec<ItemReview>,
}

/// Gaps (no agreed link) come first, then covered leaves, then those decided otherwise
/// (no equivalent, not validated); tree order within each.
fn rank(state: Option<LeafState>) -> u8 {
    match state {
        Some(LeafState::Gap) => 0,
        Some(LeafState::Covered) => 1,
        _ => 2,
    }
}

/// The leaves of `fw` in review order, each with the links among `links` at it.
pub fn gaps_first(fw: &FrameworkCoverage, links: &[SessionLink]) -> FrameworkReview {
    let at = |n: &NodeCoverage, end: &LinkEnd| {
        end.framework_identifier == fw.identifier && end.item_identifier == n.identifier
    };
    let mut items: Vec<ItemReview> = fw
        .nodes
        .iter()
        .filter(|n| n.is_leaf())
        .map(|n| ItemReview {
            node: n.clone(),
            links: links
                .iter()
                .filter(|l| at(n, &l.link.origin) || at(n, &l.link.destination))
                .cloned()
                .collect(),
        })
        .collect();
    items.sort_by_key(|i| rank(i.node.state));
    FrameworkReview {
        identifier: fw.identifier.clone(),
        title: fw.title.clone(),
        side: fw.side,
        covered: fw.covered,
        counted: fw.counted,
        percent: fw.percent,
        items,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{AssociationType, Ballot, Link, Provenance, Role, Vote};

    fn node(id: &str, state: Option<LeafState>) -> NodeCoverage {
        NodeCoverage {
            identifier: id.into(),
            code: id.to_uppercase(),
            statement: String::new(),
            depth: 1,
            state,
            alignments: Vec::new(),
            judgement: None,
            covered: 0,
            counted: 0,
            percent: None,
        }
    }

    fn link(id: &str, from: &str, status: LinkStatus, voters: &[&str]) -> SessionLink {
        let end = |fw: &str, item: &str| LinkEnd {
            item_identifier: item.into(),
            framework_identifier: fw.into(),
            ..LinkEnd::default()
        };
        SessionLink {
            link: Link {
                identifier: id.into(),
                origin: end("e", from),
                destination: end("j", "j1"),
                association_type: AssociationType::IsRelatedTo,
                note: String::new(),
                strength: Default::default(),
                created: time::OffsetDateTime::UNIX_EPOCH,
                changed: time::OffsetDateTime::UNIX_EPOCH,
            },
            status,
            provenance: Provenance::default(),
            ballots: voters
                .iter()
                .map(|v| Ballot {
                    participant: (*v).into(),
                    role: Role::Faculty,
                    vote: Vote::Accept,
                    at: time::OffsetDateTime::UNIX_EPOCH,
                })
                .collect(),
        }
    }

    #[test]
    fn gaps_come_first_in_tree_order_with_every_link_at_each_leaf() {
        let fw = FrameworkCoverage {
            identifier: "e".into(),
            title: "E".into(),
            side: Side::Educator,
            validated_only: false,
            covered: 1,
            counted: 3,
            percent: None,
            nodes: vec![
                node("e0", None),
                node("e1", Some(LeafState::Covered)),
                node("e2", Some(LeafState::NoEquivalent)),
                node("e3", Some(LeafState::Gap)),
                node("e4", Some(LeafState::Gap)),
            ],
        };
        let links = [
            link("a", "e1", LinkStatus::Agreed, &[]),
            link("b", "e3", LinkStatus::Disputed, &[]),
            link("c", "e1", LinkStatus::Proposed, &[]),
        ];
        let review = gaps_first(&fw, &links);
        let order: Vec<&str> = review
            .items
            .iter()
            .map(|i| i.node.identifier.as_str())
            .collect();
        assert_eq!(
            order,
            ["e3", "e4", "e1", "e2"],
            "the grouping node is left out"
        );
        let at = |i: usize| -> Vec<&str> {
            review.items[i]
                .links
                .iter()
                .map(|l| l.link.identifier.as_str())
                .collect()
        };
        assert_eq!((at(0), at(1), at(2)), (vec!["b"], vec![], vec!["a", "c"]));
    }

    #[test]
    fn the_queue_holds_open_links_without_the_persons_vote() {
        let links = vec![
            link("agreed", "e1", LinkStatus::Agreed, &[]),
            link("rejected", "e1", LinkStatus::Rejected, &[]),
            link("mine", "e1", LinkStatus::Proposed, &["Ann"]),
            link("theirs", "e1", LinkStatus::Disputed, &["Sam"]),
            link("nobodys", "e1", LinkStatus::Proposed, &[]),
        ];
        let ids = |ls: Vec<SessionLink>| -> Vec<String> {
            ls.into_iter().map(|l| l.link.identifier).collect()
        };
        assert_eq!(
            ids(unvoted(links.clone(), Some("Ann"))),
            ["theirs", "nobodys"]
        );
        // The room's queue (what an observer sees): open links nobody has voted on.
        assert_eq!(ids(unvoted(links, None)), ["nobodys"]);
    }
}
