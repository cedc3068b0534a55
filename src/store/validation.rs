//! Employer SMEs' judgement of competencies: validated, needs revision, not relevant.
//! One current verdict per competency and person (earlier ones are in the history); a
//! competency's standing is derived from them all by `model::verdict_standing`.
use super::frameworks::FoundItem;
use super::history::Subject;
use super::{Result, StoreError, Workshop, now_rfc3339, parse_time};
use crate::model::{ExpertVerdict, Side, Validation, Verdict, verdict_standing};
use rusqlite::params;
use serde_json::json;
use std::collections::BTreeMap;

impl Workshop {
    /// Records the acting person's verdict on a competency (a leaf of an employer-side
    /// framework), replacing only their own earlier one; returns the competency's standing.
    /// Once people take part, only an employer SME or a facilitator (recording what the
    /// room decided) may give one; needs-revision must say what to revise.
    pub fn validate(&mut self, item: &str, verdict: Verdict, comment: &str) -> Result<Validation> {
        let found = self.find_item(item)?;
        self.may_be_judged(&found)?;
        let comment = comment.trim();
        if verdict == Verdict::NeedsRevision && comment.is_empty() {
            return Err(StoreError::Refused(format!(
                "say what {} needs: give --comment TEXT with needs-revision",
                found.end.label()
            )));
        }
        self.may_validate()?;
        let at = now_rfc3339();
        self.in_transaction(|ws| {
            let before = ws.standing(&found.end.item_identifier)?;
            ws.conn
                .execute(
                    "INSERT INTO verdicts (item_identifier, participant_id, verdict, comment, decided)
                     VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT (item_identifier, participant_id) DO UPDATE SET
                        verdict = excluded.verdict, comment = excluded.comment, decided = excluded.decided",
                    params![found.end.item_identifier, ws.actor_key(), verdict.as_str(), comment, at],
                )
                .map_err(|e| ws.err(e))?;
            let mut details = json!({"verdict": verdict.as_str()});
            if !comment.is_empty() {
                details["comment"] = json!(comment);
            }
            let subject = Subject::Item { identifier: &found.end.item_identifier, label: found.end.label() };
            ws.record("validation", subject, details)?;
            ws.record_standing(&found, before.as_ref())
        })?;
        self.standing(&found.end.item_identifier)?.ok_or_else(|| {
            StoreError::NotFound(format!("{}: the verdict was not kept", found.end.label()))
        })
    }

    /// Verdicts are given on competencies: leaves of an employer-side framework. A domain
    /// (a grouping item) stands for its competencies, which are judged one by one.
    fn may_be_judged(&self, found: &FoundItem) -> Result<()> {
        let (side, children): (String, i64) = self
            .conn
            .query_row(
                "SELECT f.side, (SELECT COUNT(*) FROM items c
                                 WHERE c.framework_id = i.framework_id AND c.parent_position = i.position)
                 FROM items i JOIN frameworks f ON f.id = i.framework_id WHERE i.id = ?1",
                [found.row_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(|e| self.err(e))?;
        if side.parse::<Side>().unwrap_or_default() != Side::Employer {
            return Err(StoreError::Refused(format!(
                "{} is a learning outcome (educator side); only competencies (employer side) are validated",
                found.end.label()
            )));
        }
        if children > 0 {
            return Err(StoreError::Refused(format!(
                "{} is a domain grouping {children} item(s); verdicts are given on competencies, one by one \
                 (its coverage follows from theirs)",
                found.end.label()
            )));
        }
        Ok(())
    }

    /// The acting participant's row id, or 0 for "nobody named".
    fn actor_key(&self) -> i64 {
        self.actor.as_ref().map_or(0, |p| p.id)
    }

    /// Once people take part, only an employer SME or a facilitator gives verdicts.
    fn may_validate(&self) -> Result<()> {
        match &self.actor {
            Some(p) if !p.role.can_validate() => Err(StoreError::Refused(format!(
                "{} is {}; competencies are validated by employer SMEs (or a facilitator recording the room's decision)",
                p.name,
                if p.role == crate::model::Role::Observer {
                    "an observer"
                } else {
                    "faculty"
                }
            ))),
            None if !self.participants()?.is_empty() => Err(StoreError::Refused(
                "validating needs a participant: pass --as NAME of an employer SME (or set CROSSWALK_AS)".into(),
            )),
            _ => Ok(()),
        }
    }

    /// Takes the acting person's verdict on a competency back (others' stay); the history
    /// keeps both. Returns the competency's standing afterwards, if anyone's verdict is left.
    pub fn withdraw_validation(&mut self, item: &str) -> Result<Option<Validation>> {
        self.may_validate()?;
        let found = self.find_item(item)?;
        self.in_transaction(|ws| {
            let before = ws.standing(&found.end.item_identifier)?;
            let gone = ws
                .conn
                .execute(
                    "DELETE FROM verdicts WHERE item_identifier = ?1 AND participant_id = ?2",
                    params![&found.end.item_identifier, ws.actor_key()],
                )
                .map_err(|e| ws.err(e))?;
            if gone == 0 {
                let whose = ws
                    .actor
                    .as_ref()
                    .map_or("no verdict given without a name".to_string(), |p| {
                        format!("no verdict of {}'s", p.name)
                    });
                return Err(StoreError::Refused(format!(
                    "{} has {whose} to withdraw",
                    found.end.label()
                )));
            }
            let subject = Subject::Item {
                identifier: &found.end.item_identifier,
                label: found.end.label(),
            };
            ws.record("validation withdrawn", subject, json!({}))?;
            ws.record_standing(&found, before.as_ref())
        })?;
        self.standing(&found.end.item_identifier)
    }

    /// Records a change of a competency's standing (as links' "status changed"), so the
    /// history shows when experts came to disagree or agree.
    fn record_standing(&self, found: &FoundItem, before: Option<&Validation>) -> Result<()> {
        let word = |v: Option<&Validation>| match v {
            None => "none",
            Some(v) if v.contested => "contested",
            Some(v) => v.verdict.as_str(),
        };
        let after = self.standing(&found.end.item_identifier)?;
        let (was, now) = (word(before), word(after.as_ref()));
        // With one verdict the standing is that verdict, which is logged already.
        let count = |v: Option<&Validation>| v.map_or(0, |v| v.verdicts.len());
        if was == now || count(before).max(count(after.as_ref())) < 2 {
            return Ok(());
        }
        let subject = Subject::Item {
            identifier: &found.end.item_identifier,
            label: found.end.label(),
        };
        self.record("standing changed", subject, json!({"standing": [was, now]}))
    }

    /// One competency's standing, if anyone judged it.
    fn standing(&self, item_identifier: &str) -> Result<Option<Validation>> {
        Ok(self
            .read_verdicts(Some(item_identifier))?
            .into_iter()
            .next())
    }

    /// The standing of every competency that has a verdict, each with every expert's.
    pub fn validations(&self) -> Result<Vec<Validation>> {
        self.read_verdicts(None)
    }

    fn read_verdicts(&self, item: Option<&str>) -> Result<Vec<Validation>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT v.item_identifier, v.verdict, v.comment, p.name, p.role, v.decided
                 FROM verdicts v LEFT JOIN participants p ON p.id = v.participant_id
                 WHERE ?1 IS NULL OR v.item_identifier = ?1
                 ORDER BY v.item_identifier, v.decided, v.participant_id",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([item], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    ExpertVerdict {
                        verdict: r
                            .get::<_, String>(1)?
                            .parse()
                            .unwrap_or(Verdict::NeedsRevision),
                        comment: r.get(2)?,
                        by: r.get(3)?,
                        role: r.get::<_, Option<String>>(4)?.and_then(|s| s.parse().ok()),
                        at: parse_time(&r.get::<_, String>(5)?),
                    },
                ))
            })
            .map_err(|e| self.err(e))?;
        let mut by_item: BTreeMap<String, Vec<ExpertVerdict>> = BTreeMap::new();
        for row in rows {
            let (item, v) = row.map_err(|e| self.err(e))?;
            by_item.entry(item).or_default().push(v);
        }
        let mut out: Vec<Validation> = by_item
            .into_iter()
            .filter_map(|(item, vs)| verdict_standing(&item, vs))
            .collect();
        // As before: in the order they were decided.
        out.sort_by(|a, b| (a.at, &a.item_identifier).cmp(&(b.at, &b.item_identifier)));
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use crate::model::{Role, Verdict};
    use crate::store::HistoryFilter;
    use crate::store::session::test_support::two_frameworks;

    #[test]
    fn competencies_get_one_current_verdict_and_every_verdict_is_logged() {
        let mut ws = two_frameworks();
        // Alone, anyone may validate.
        ws.validate("J1.1", Verdict::Validated, "").unwrap();
        ws.add_participant("Sam", Role::EmployerSme).unwrap();
        ws.add_participant("Ana", Role::Faculty).unwrap();
        let err = ws
            .validate("J1.2", Verdict::Validated, "")
            .unwrap_err()
            .to_string();
        assert!(err.contains("--as NAME"), "{err}");
        ws.act_as(Some("Ana")).unwrap();
        let err = ws
            .validate("J1.2", Verdict::Validated, "")
            .unwrap_err()
            .to_string();
        assert!(err.contains("Ana is faculty"), "{err}");
        ws.act_as(Some("Sam")).unwrap();
        assert!(
            ws.validate("E1.1", Verdict::Validated, "")
                .unwrap_err()
                .to_string()
                .contains("learning outcome")
        );
        assert!(
            ws.validate("J1.1", Verdict::NeedsRevision, " ")
                .unwrap_err()
                .to_string()
                .contains("--comment")
        );
        ws.validate("J1.1", Verdict::NeedsRevision, "name the software")
            .unwrap();
        ws.validate("J1.2", Verdict::NotRelevant, "").unwrap();
        let now: Vec<_> = ws
            .validations()
            .unwrap()
            .into_iter()
            .map(|v| (v.item_identifier, v.verdict, v.by))
            .collect();
        let sam = Some("Sam".to_string());
        // The verdict given alone before anyone took part stays beside Sam's: they differ.
        assert!(
            now.contains(&("j-11".into(), Verdict::NeedsRevision, None)),
            "{now:?}"
        );
        let j11 = ws.standing("j-11").unwrap().unwrap();
        assert!(j11.contested && j11.verdicts.len() == 2, "{j11:?}");
        assert!(
            now.contains(&("j-12".into(), Verdict::NotRelevant, sam)),
            "{now:?}"
        );
        let log = ws.history(&HistoryFilter::Item("j-11".into())).unwrap();
        let lines: Vec<_> = log.iter().map(|e| e.describe()).collect();
        assert_eq!(
            lines,
            [
                "validation J1.1  verdict: \"validated\"",
                "validation J1.1  verdict: \"needs-revision\"  comment: \"name the software\"",
                "standing changed J1.1  standing: \"validated\" -> \"contested\""
            ]
        );
    }

    #[test]
    fn a_verdict_can_be_withdrawn_by_a_validator() {
        let mut ws = two_frameworks();
        ws.add_participant("Sam", Role::EmployerSme).unwrap();
        ws.add_participant("Ana", Role::Faculty).unwrap();
        ws.act_as(Some("Sam")).unwrap();
        ws.validate("J1.1", Verdict::Validated, "").unwrap();
        ws.act_as(Some("Ana")).unwrap();
        assert!(
            ws.withdraw_validation("J1.1")
                .unwrap_err()
                .to_string()
                .contains("Ana is faculty")
        );
        ws.act_as(Some("Sam")).unwrap();
        assert_eq!(ws.withdraw_validation("J1.1").unwrap(), None);
        assert!(ws.validations().unwrap().is_empty());
        assert!(
            ws.withdraw_validation("J1.1")
                .unwrap_err()
                .to_string()
                .contains("no verdict")
        );
        let log = ws.history(&HistoryFilter::Item("j-11".into())).unwrap();
        assert_eq!(log.last().unwrap().action, "validation withdrawn");
    }

    #[test]
    fn each_expert_keeps_a_verdict_and_the_standing_follows_the_rule() {
        let mut ws = two_frameworks();
        ws.add_participant("Sam", Role::EmployerSme).unwrap();
        ws.add_participant("Lee", Role::EmployerSme).unwrap();
        ws.add_participant("Fay", Role::Facilitator).unwrap();
        ws.act_as(Some("Sam")).unwrap();
        ws.validate("J1.1", Verdict::Validated, "").unwrap();
        ws.act_as(Some("Lee")).unwrap();
        let s = ws
            .validate("J1.1", Verdict::NeedsRevision, "name the software")
            .unwrap();
        assert!(s.contested, "Lee's verdict does not replace Sam's: {s:?}");
        assert_eq!(s.verdicts.len(), 2);
        // Lee takes it back: Sam's stands alone.
        let left = ws.withdraw_validation("J1.1").unwrap().unwrap();
        assert_eq!((left.verdict, left.contested), (Verdict::Validated, false));
        assert_eq!(left.by.as_deref(), Some("Sam"));
        assert!(
            ws.withdraw_validation("J1.1")
                .unwrap_err()
                .to_string()
                .contains("no verdict of Lee's")
        );
        // A facilitator rules.
        ws.validate("J1.1", Verdict::NotRelevant, "").unwrap();
        ws.act_as(Some("Fay")).unwrap();
        let s = ws
            .validate("J1.1", Verdict::Validated, "the room agreed")
            .unwrap();
        assert_eq!((s.verdict, s.contested), (Verdict::Validated, false));
        // The history shows the standing move: none, validated, contested, validated, ...
        let log: Vec<String> = ws
            .history(&HistoryFilter::Item("j-11".into()))
            .unwrap()
            .iter()
            .filter(|e| e.action == "standing changed")
            .map(|e| e.describe())
            .collect();
        assert_eq!(
            log,
            [
                "standing changed J1.1  standing: \"validated\" -> \"contested\"",
                "standing changed J1.1  standing: \"contested\" -> \"validated\"",
                "standing changed J1.1  standing: \"validated\" -> \"contested\"",
                "standing changed J1.1  standing: \"contested\" -> \"validated\"",
            ]
        );
        // A domain is not judged; its competencies are.
        let err = ws
            .validate("J1", Verdict::Validated, "")
            .unwrap_err()
            .to_string();
        assert!(err.contains("J1 is a domain"), "{err}");
    }

    #[test]
    fn verdicts_from_before_they_were_per_expert_survive_the_migration() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.sqlite");
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        crate::store::schema::migrate_to(&mut conn, 5);
        conn.execute_batch(
            "INSERT INTO participants (name, role, added) VALUES ('Sam', 'employer-sme', '2026-01-01T00:00:00Z');
             INSERT INTO validations (item_identifier, participant_id, verdict, comment, decided)
                VALUES ('j-11', 1, 'needs-revision', 'name it', '2026-01-01T00:00:00Z'),
                       ('j-12', NULL, 'validated', '', '2026-01-02T00:00:00Z');",
        )
        .unwrap();
        drop(conn);
        let ws = crate::store::Workshop::open(&path).unwrap();
        let all: Vec<_> = ws
            .validations()
            .unwrap()
            .into_iter()
            .map(|v| (v.item_identifier, v.verdict, v.comment, v.by))
            .collect();
        assert_eq!(
            all,
            [
                (
                    "j-11".into(),
                    Verdict::NeedsRevision,
                    "name it".into(),
                    Some("Sam".into())
                ),
                ("j-12".into(), Verdict::Validated, String::new(), None),
            ]
        );
    }
}
