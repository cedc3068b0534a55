//! Coverage: for every outcome its agreed links, for every competency the outcomes that
//! cover it, the gaps, and the share of leaves covered at every level of both trees.
//!
//! Only leaves are counted (they are the outcomes and competencies proper; inner nodes
//! group them), so a domain's coverage is its covered leaves over the leaves under it.
//! A link drawn to a grouping node is listed on that node but covers no leaf.
//! Leaves marked "no equivalent" were decided, not missed: they are neither counted nor gaps.
use super::{AssociationType, Framework, Link, Side, Strength, Validation, Verdict};
use serde::Serialize;
use std::collections::HashMap;

/// What coverage is worked out from.
pub struct CoverageInput<'a> {
    pub frameworks: &'a [Framework],
    /// The links that count (the agreed ones); links to frameworks not given are ignored.
    pub links: &'a [Link],
    /// Each judged competency's standing (with every expert's verdict), by item identifier.
    pub verdicts: &'a HashMap<String, Validation>,
    /// Count every competency, validated or not.
    pub all: bool,
}

/// One agreed link seen from one of its ends.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Alignment {
    pub link_identifier: String,
    /// The item at the other end: its code, or its identifier when it has none.
    pub partner: String,
    pub partner_identifier: String,
    pub association_type: AssociationType,
    pub strength: Strength,
}

/// Where a leaf stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum LeafState {
    Covered,
    Gap,
    /// Marked in the session as having no equivalent on the other side.
    NoEquivalent,
    /// A competency left out because it is not (yet) validated.
    NotValidated,
}

impl LeafState {
    /// Covered and gap leaves make up the percentage; the others were decided otherwise.
    pub fn is_counted(self) -> bool {
        matches!(self, LeafState::Covered | LeafState::Gap)
    }

    pub fn as_str(self) -> &'static str {
        match self {
            LeafState::Covered => "covered",
            LeafState::Gap => "gap",
            LeafState::NoEquivalent => "no equivalent",
            LeafState::NotValidated => "not validated",
        }
    }
}

/// One item of a framework with its coverage.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeCoverage {
    pub identifier: String,
    pub code: String,
    pub statement: String,
    pub depth: u16,
    /// `None` for a grouping node.
    pub state: Option<LeafState>,
    pub alignments: Vec<Alignment>,
    /// A competency's standing and every expert's verdict with its comment, if judged.
    pub judgement: Option<Validation>,
    /// Counted leaves covered, and counted leaves, under this node (itself, for a leaf).
    pub covered: usize,
    pub counted: usize,
    pub percent: Option<f64>,
}

impl NodeCoverage {
    pub fn label(&self) -> &str {
        if self.code.is_empty() {
            &self.identifier
        } else {
            &self.code
        }
    }

    pub fn is_leaf(&self) -> bool {
        self.state.is_some()
    }
}

/// A framework's coverage: totals and every node in tree order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FrameworkCoverage {
    pub identifier: String,
    pub title: String,
    pub side: Side,
    /// True when only validated competencies count here.
    pub validated_only: bool,
    pub covered: usize,
    pub counted: usize,
    pub percent: Option<f64>,
    pub nodes: Vec<NodeCoverage>,
}

impl FrameworkCoverage {
    /// Outcomes aligned to nothing, or competencies nothing covers.
    pub fn gaps(&self) -> impl Iterator<Item = &NodeCoverage> {
        self.nodes
            .iter()
            .filter(|n| n.state == Some(LeafState::Gap))
    }

    /// "outcome" or "competency", for messages.
    pub fn noun(&self) -> &'static str {
        match self.side {
            Side::Educator => "outcome",
            Side::Employer => "competency",
        }
    }
}

/// Coverage of every framework given, educator frameworks first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Coverage {
    pub frameworks: Vec<FrameworkCoverage>,
}

/// Where a leaf stands: `validated_only` when only validated competencies count,
/// `aligned` when it has an agreed link across.
pub fn leaf_state(
    no_equivalent: bool,
    validated_only: bool,
    verdict: Option<Verdict>,
    aligned: bool,
) -> LeafState {
    if no_equivalent {
        LeafState::NoEquivalent
    } else if validated_only && verdict != Some(Verdict::Validated) {
        LeafState::NotValidated
    } else if aligned {
        LeafState::Covered
    } else {
        LeafState::Gap
    }
}

/// Adds every node's (covered, counted) leaf counts into its parent's, so each node
/// ends up with the totals of its subtree. `nodes` is in the framework's pre-order:
/// walking backwards, every child is summed before its parent is reached.
pub fn roll_up<T, N: std::ops::AddAssign + Copy>(
    fw: &Framework,
    nodes: &mut [T],
    counts: impl Fn(&mut T) -> (&mut N, &mut N),
) {
    for i in (0..nodes.len()).rev() {
        if let Some(p) = fw.items[i].parent {
            let (covered, counted) = counts(&mut nodes[i]);
            let (covered, counted) = (*covered, *counted);
            let (pc, pn) = counts(&mut nodes[p]);
            *pc += covered;
            *pn += counted;
        }
    }
}

/// Percentage of `counted` that is `covered`; `None` when nothing is counted.
pub fn percent(covered: usize, counted: usize) -> Option<f64> {
    (counted > 0).then(|| covered as f64 * 100.0 / counted as f64)
}

/// `75%`, or `n/a` when nothing is counted.
pub fn format_percent(p: Option<f64>) -> String {
    p.map_or_else(|| "n/a".to_string(), |p| format!("{p:.0}%"))
}

impl Coverage {
    pub fn compute(input: &CoverageInput) -> Coverage {
        let side_of: HashMap<&str, Side> = input
            .frameworks
            .iter()
            .map(|f| (f.identifier.as_str(), f.side))
            .collect();
        // Only links joining the two sides align anything.
        let mut at: Alignments = HashMap::new();
        for l in input.links {
            let (Some(os), Some(ds)) = (
                side_of.get(l.origin.framework_identifier.as_str()),
                side_of.get(l.destination.framework_identifier.as_str()),
            ) else {
                continue;
            };
            if os == ds {
                continue;
            }
            for (end, other) in [(&l.origin, &l.destination), (&l.destination, &l.origin)] {
                at.entry((
                    end.framework_identifier.clone(),
                    end.item_identifier.clone(),
                ))
                .or_default()
                .push(Alignment {
                    link_identifier: l.identifier.clone(),
                    partner: other.label().to_string(),
                    partner_identifier: other.item_identifier.clone(),
                    association_type: l.association_type,
                    strength: l.strength,
                });
            }
        }
        let mut frameworks: Vec<FrameworkCoverage> = input
            .frameworks
            .iter()
            .map(|fw| framework_coverage(fw, &mut at, input))
            .collect();
        frameworks.sort_by_key(|f| f.side != Side::Educator);
        Coverage { frameworks }
    }
}

/// (framework identifier, item identifier) -> the agreed links at that item.
type Alignments = HashMap<(String, String), Vec<Alignment>>;

fn framework_coverage(
    fw: &Framework,
    at: &mut Alignments,
    input: &CoverageInput,
) -> FrameworkCoverage {
    // Validation only narrows competencies, and only once somebody has validated one
    // of this framework's: until then every competency counts (a workshop that does
    // not validate keeps its full coverage).
    let validated_only = fw.side == Side::Employer
        && !input.all
        && fw
            .items
            .iter()
            .any(|it| input.verdicts.contains_key(&it.identifier));
    let mut nodes: Vec<NodeCoverage> = fw
        .items
        .iter()
        .enumerate()
        .map(|(i, it)| {
            let alignments = at
                .remove(&(fw.identifier.clone(), it.identifier.clone()))
                .unwrap_or_default();
            let state = fw.is_leaf(i).then(|| {
                leaf_state(
                    it.no_equivalent,
                    validated_only,
                    input.verdicts.get(&it.identifier).map(|v| v.verdict),
                    !alignments.is_empty(),
                )
            });
            let counted = state.is_some_and(LeafState::is_counted) as usize;
            NodeCoverage {
                identifier: it.identifier.clone(),
                code: it.code.clone(),
                statement: it.statement.clone(),
                depth: it.depth,
                state,
                alignments,
                judgement: input.verdicts.get(&it.identifier).cloned(),
                covered: (state == Some(LeafState::Covered)) as usize,
                counted,
                percent: None,
            }
        })
        .collect();
    roll_up(fw, &mut nodes, |n| (&mut n.covered, &mut n.counted));
    let (mut covered, mut counted) = (0, 0);
    for (n, it) in nodes.iter_mut().zip(&fw.items) {
        n.percent = percent(n.covered, n.counted);
        if it.parent.is_none() {
            covered += n.covered;
            counted += n.counted;
        }
    }
    FrameworkCoverage {
        identifier: fw.identifier.clone(),
        title: fw.title.clone(),
        side: fw.side,
        validated_only,
        covered,
        counted,
        percent: percent(covered, counted),
        nodes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Item, LinkEnd};

    /// `p`1 { `p`1.1 `p`1.2 } `p`2 { `p`2.1 } `p`3 (a top-level leaf).
    fn fw(id: &str, p: &str, side: Side) -> Framework {
        let mk = |code: String, depth, parent| Item {
            identifier: format!("{id}:{code}"),
            code,
            depth,
            parent,
            ..Item::default()
        };
        Framework {
            identifier: id.into(),
            title: format!("Framework {p}"),
            side,
            items: vec![
                mk(format!("{p}1"), 0, None),
                mk(format!("{p}1.1"), 1, Some(0)),
                mk(format!("{p}1.2"), 1, Some(0)),
                mk(format!("{p}2"), 0, None),
                mk(format!("{p}2.1"), 1, Some(3)),
                mk(format!("{p}3"), 0, None),
            ],
            ..Framework::default()
        }
    }

    fn link(o: (&str, &str), d: (&str, &str)) -> Link {
        let end = |(f, code): (&str, &str)| LinkEnd {
            item_identifier: format!("{f}:{code}"),
            code: code.into(),
            framework_identifier: f.into(),
            ..LinkEnd::default()
        };
        Link {
            identifier: format!("{}-{}", o.1, d.1),
            origin: end(o),
            destination: end(d),
            association_type: AssociationType::ExactMatchOf,
            note: String::new(),
            strength: Strength::Major,
            created: time::OffsetDateTime::UNIX_EPOCH,
            changed: time::OffsetDateTime::UNIX_EPOCH,
        }
    }

    fn compute(
        fws: &[Framework],
        links: &[Link],
        verdicts: &[(&str, Verdict)],
        all: bool,
    ) -> Coverage {
        let verdicts = verdicts
            .iter()
            .map(|(k, v)| {
                let judged = Validation {
                    item_identifier: k.to_string(),
                    verdict: *v,
                    comment: String::new(),
                    by: None,
                    at: time::OffsetDateTime::UNIX_EPOCH,
                    contested: false,
                    verdicts: Vec::new(),
                };
                (k.to_string(), judged)
            })
            .collect();
        Coverage::compute(&CoverageInput {
            frameworks: fws,
            links,
            verdicts: &verdicts,
            all,
        })
    }

    fn node<'a>(c: &'a Coverage, f: usize, code: &str) -> &'a NodeCoverage {
        c.frameworks[f]
            .nodes
            .iter()
            .find(|n| n.code == code)
            .unwrap()
    }

    #[test]
    fn leaves_domains_and_frameworks_each_get_their_share() {
        let fws = [fw("e", "E", Side::Educator), fw("j", "J", Side::Employer)];
        // Two links out of E1.1 (one to a domain), one out of E2.1.
        let links = [
            link(("e", "E1.1"), ("j", "J1.1")),
            link(("e", "E1.1"), ("j", "J2")),
            link(("e", "E2.1"), ("j", "J1.1")),
        ];
        let c = compute(&fws, &links, &[], false);
        // Leaf level.
        let e11 = node(&c, 0, "E1.1");
        assert_eq!(
            (e11.state, e11.covered, e11.counted, e11.alignments.len()),
            (Some(LeafState::Covered), 1, 1, 2)
        );
        assert_eq!(node(&c, 0, "E1.2").state, Some(LeafState::Gap));
        // Domain level: covered leaves over leaves under it.
        let e1 = node(&c, 0, "E1");
        assert_eq!(
            (e1.state, e1.covered, e1.counted, e1.percent),
            (None, 1, 2, Some(50.0))
        );
        assert_eq!(node(&c, 0, "E2").percent, Some(100.0));
        // Framework level: E1.1, E2.1 of E1.1, E1.2, E2.1, E3.
        assert_eq!((c.frameworks[0].covered, c.frameworks[0].counted), (2, 4));
        // The other side: J1.1 is covered by two outcomes; the link to the domain J2 covers no leaf.
        let j11 = node(&c, 1, "J1.1");
        let partners: Vec<_> = j11.alignments.iter().map(|a| a.partner.as_str()).collect();
        assert_eq!(partners, ["E1.1", "E2.1"]);
        assert_eq!(node(&c, 1, "J2").alignments.len(), 1);
        assert_eq!(node(&c, 1, "J2").percent, Some(0.0));
        assert_eq!((c.frameworks[1].covered, c.frameworks[1].counted), (1, 4));
        let gaps: Vec<_> = c.frameworks[1].gaps().map(|n| n.label()).collect();
        assert_eq!(gaps, ["J1.2", "J2.1", "J3"]);
        assert_eq!(format_percent(c.frameworks[1].percent), "25%");
    }

    #[test]
    fn only_validated_competencies_count_once_any_is_validated() {
        let fws = [fw("e", "E", Side::Educator), fw("j", "J", Side::Employer)];
        let links = [
            link(("e", "E1.1"), ("j", "J1.1")),
            link(("e", "E1.2"), ("j", "J1.2")),
        ];
        // No verdicts at all: every competency counts.
        assert_eq!(compute(&fws, &links, &[], false).frameworks[1].counted, 4);
        let verdicts = [
            ("j:J1.1", Verdict::Validated),
            ("j:J1.2", Verdict::NotRelevant),
            ("j:J3", Verdict::Validated),
        ];
        let c = compute(&fws, &links, &verdicts, false);
        let j = &c.frameworks[1];
        assert!(j.validated_only);
        assert_eq!(
            (j.covered, j.counted),
            (1, 2),
            "J1.1 covered, J3 a gap; J1.2 and J2.1 not counted"
        );
        assert_eq!(node(&c, 1, "J1.2").state, Some(LeafState::NotValidated));
        assert_eq!(node(&c, 1, "J2").percent, None);
        // Outcomes are never narrowed by validation.
        assert_eq!(c.frameworks[0].counted, 4);
        // --all counts them again.
        let all = compute(&fws, &links, &verdicts, true);
        assert_eq!(
            (all.frameworks[1].covered, all.frameworks[1].counted),
            (2, 4)
        );
    }

    #[test]
    fn no_equivalent_leaves_are_neither_counted_nor_gaps() {
        let mut e = fw("e", "E", Side::Educator);
        e.items[5].no_equivalent = true;
        let c = compute(&[e, fw("j", "J", Side::Employer)], &[], &[], false);
        assert_eq!(c.frameworks[0].counted, 3);
        assert_eq!(node(&c, 0, "E3").state, Some(LeafState::NoEquivalent));
        assert_eq!(c.frameworks[0].gaps().count(), 3);
        assert_eq!(c.frameworks[0].percent, Some(0.0));
    }

    #[test]
    fn links_within_one_side_or_to_frameworks_not_given_cover_nothing() {
        let fws = [
            fw("e", "E", Side::Educator),
            fw("f", "F", Side::Educator),
            fw("j", "J", Side::Employer),
        ];
        let links = [
            link(("e", "E1.1"), ("f", "F1.1")),
            link(("e", "E1.2"), ("x", "X1")),
        ];
        let c = compute(&fws, &links, &[], false);
        assert!(c.frameworks.iter().all(|f| f.covered == 0));
        // Educator frameworks come first.
        assert_eq!(
            c.frameworks.iter().map(|f| f.side).collect::<Vec<_>>(),
            [Side::Educator, Side::Educator, Side::Employer]
        );
    }
}
