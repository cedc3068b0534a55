//! The reads behind the participants' own-pace pages and `crosswalk coverage`: coverage
//! of frameworks by the agreed links, a side's coverage item by item (gaps first), and
//! a person's queue of competencies to judge and open links to vote on.
use super::{Result, Workshop};
use crate::model::{
    Coverage, CoverageInput, Framework, FrameworkReview, LinkEnd, LinkStatus, Participant, Queue,
    SessionLink, Side, Validation, gaps_first, unvoted,
};
use std::collections::HashMap;

impl Workshop {
    /// Coverage of `frameworks` by the agreed links among `links`; `all` counts every
    /// competency, validated or not.
    pub fn coverage(
        &self,
        frameworks: &[Framework],
        links: &[SessionLink],
        all: bool,
    ) -> Result<Coverage> {
        let agreed: Vec<_> = links
            .iter()
            .filter(|l| l.status == LinkStatus::Agreed)
            .map(|l| l.link.clone())
            .collect();
        let verdicts: HashMap<String, Validation> = self
            .validations()?
            .into_iter()
            .map(|v| (v.item_identifier.clone(), v))
            .collect();
        Ok(Coverage::compute(&CoverageInput {
            frameworks,
            links: &agreed,
            verdicts: &verdicts,
            all,
        }))
    }

    /// Every framework of `side`, its leaves gaps first, each with every link at it
    /// whatever its status; read from one snapshot.
    pub fn side_review(&self, side: Side) -> Result<Vec<FrameworkReview>> {
        self.snapshot(|ws| {
            // Both sides are loaded: a link counts only when both its ends are known.
            let frameworks = ws
                .frameworks()?
                .iter()
                .map(|f| ws.load_framework(f.id))
                .collect::<Result<Vec<_>>>()?;
            let links = ws.session_links()?;
            let coverage = ws.coverage(&frameworks, &links, false)?;
            Ok(coverage
                .frameworks
                .iter()
                .filter(|f| f.side == side)
                .map(|f| gaps_first(f, &links))
                .collect())
        })
    }

    /// What `who` has still to say: the competencies they have not judged and the open
    /// links they have not voted on. `None` asks for the room's: competencies nobody
    /// judged and open links nobody voted on (what an observer follows).
    pub fn queue(&self, who: Option<&Participant>) -> Result<Queue> {
        self.snapshot(|ws| {
            Ok(Queue {
                competencies: ws.unjudged(who)?,
                links: unvoted(ws.session_links()?, who.map(|p| p.name.as_str())),
            })
        })
    }

    /// Competencies (leaves of employer-side frameworks) without a verdict of `who`'s
    /// (or anybody's), in framework and tree order.
    fn unjudged(&self, who: Option<&Participant>) -> Result<Vec<LinkEnd>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT i.identifier, i.uri, i.code, i.statement, f.identifier
                 FROM items i JOIN frameworks f ON f.id = i.framework_id
                 WHERE f.side = 'employer'
                   AND NOT EXISTS (SELECT 1 FROM items c WHERE c.framework_id = i.framework_id
                                                           AND c.parent_position = i.position)
                   AND NOT EXISTS (SELECT 1 FROM verdicts v WHERE v.item_identifier = i.identifier
                                     AND (?1 IS NULL OR v.participant_id = ?1))
                 ORDER BY f.id, i.position",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([who.map(|p| p.id)], |r| {
                Ok(LinkEnd {
                    item_identifier: r.get(0)?,
                    item_uri: r.get(1)?,
                    code: r.get(2)?,
                    statement: r.get(3)?,
                    framework_identifier: r.get(4)?,
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{LeafState, Role, Side, Verdict, Vote};
    use crate::store::session::test_support::{link_e11_j12, two_frameworks};

    #[test]
    fn a_queue_loses_what_its_person_judged_and_voted_on() {
        let mut ws = two_frameworks();
        let link = link_e11_j12(&mut ws).identifier;
        let sam = ws.add_participant("Sam", Role::EmployerSme).unwrap();
        let lee = ws.add_participant("Lee", Role::EmployerSme).unwrap();
        let codes = |q: &crate::model::Queue| -> Vec<String> {
            q.competencies.iter().map(|c| c.code.clone()).collect()
        };
        let q = ws.queue(Some(&sam)).unwrap();
        assert_eq!(codes(&q), ["J1.1", "J1.2"], "leaves only, in tree order");
        assert_eq!(q.links.len(), 1);
        ws.act_as(Some("Sam")).unwrap();
        ws.validate("J1.1", Verdict::Validated, "").unwrap();
        ws.vote(&link, Vote::Accept, None).unwrap();
        let q = ws.queue(Some(&sam)).unwrap();
        assert_eq!((codes(&q), q.links.len()), (vec!["J1.2".to_string()], 0));
        // Lee's queue is Lee's own; the room's lists only what nobody has done.
        let q = ws.queue(Some(&lee)).unwrap();
        assert_eq!((codes(&q).len(), q.links.len()), (2, 1));
        let room = ws.queue(None).unwrap();
        assert_eq!(
            (codes(&room), room.links.len()),
            (vec!["J1.2".to_string()], 0)
        );
    }

    #[test]
    fn the_educator_sides_review_puts_outcomes_without_an_agreed_link_first() {
        let mut ws = two_frameworks();
        link_e11_j12(&mut ws);
        // Nobody takes part: every link counts as agreed.
        let review = ws.side_review(Side::Educator).unwrap();
        assert_eq!(review.len(), 1);
        let order: Vec<(&str, Option<LeafState>, usize)> = review[0]
            .items
            .iter()
            .map(|i| (i.node.code.as_str(), i.node.state, i.links.len()))
            .collect();
        assert_eq!(
            order,
            [
                ("E1.2", Some(LeafState::Gap), 0),
                ("E1.1", Some(LeafState::Covered), 1)
            ]
        );
        // Once people take part the link is only proposed: E1.1 is a gap with a link.
        ws.add_participant("Ann", Role::Faculty).unwrap();
        let review = ws.side_review(Side::Educator).unwrap();
        let first = &review[0].items[0];
        assert_eq!((first.node.code.as_str(), first.links.len()), ("E1.1", 1));
        assert_eq!(first.node.state, Some(LeafState::Gap));
    }
}
