//! Employer SMEs' judgement of competencies: validated, needs revision, not relevant.
//! One current verdict per competency (the latest; earlier ones are in the history).
use super::history::Subject;
use super::{Result, StoreError, Workshop, now_rfc3339, parse_time};
use crate::model::{Side, Validation, Verdict};
use rusqlite::params;
use serde_json::json;

impl Workshop {
    /// Records a verdict on a competency (an item of an employer-side framework).
    /// Once people take part, only an employer SME or a facilitator (recording what the
    /// room decided) may give one; needs-revision must say what to revise.
    pub fn validate(&mut self, item: &str, verdict: Verdict, comment: &str) -> Result<Validation> {
        let found = self.find_item(item)?;
        let side: Side = self
            .conn
            .query_row(
                "SELECT side FROM frameworks WHERE id = ?1",
                [found.framework_id],
                |r| r.get::<_, String>(0),
            )
            .map_err(|e| self.err(e))?
            .parse()
            .unwrap_or_default();
        if side != Side::Employer {
            return Err(StoreError::Refused(format!(
                "{} is a learning outcome (educator side); only competencies (employer side) are validated",
                found.end.label()
            )));
        }
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
            ws.conn
                .execute(
                    "INSERT INTO validations (item_identifier, participant_id, verdict, comment, decided)
                     VALUES (?1, ?2, ?3, ?4, ?5)
                     ON CONFLICT (item_identifier) DO UPDATE SET participant_id = excluded.participant_id,
                        verdict = excluded.verdict, comment = excluded.comment, decided = excluded.decided",
                    params![found.end.item_identifier, ws.actor.as_ref().map(|p| p.id), verdict.as_str(), comment, at],
                )
                .map_err(|e| ws.err(e))?;
            let mut details = json!({"verdict": verdict.as_str()});
            if !comment.is_empty() {
                details["comment"] = json!(comment);
            }
            let subject = Subject::Item { identifier: &found.end.item_identifier, label: found.end.label() };
            ws.record("validation", subject, details)
        })?;
        Ok(Validation {
            item_identifier: found.end.item_identifier.clone(),
            verdict,
            comment: comment.to_string(),
            by: self.actor.as_ref().map(|p| p.name.clone()),
            at: parse_time(&at),
        })
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

    /// Takes a competency's verdict back (undoing one given by mistake); the history keeps both.
    pub fn withdraw_validation(&mut self, item: &str) -> Result<()> {
        self.may_validate()?;
        let found = self.find_item(item)?;
        self.in_transaction(|ws| {
            let gone = ws
                .conn
                .execute(
                    "DELETE FROM validations WHERE item_identifier = ?1",
                    [&found.end.item_identifier],
                )
                .map_err(|e| ws.err(e))?;
            if gone == 0 {
                return Err(StoreError::Refused(format!(
                    "{} has no verdict to withdraw",
                    found.end.label()
                )));
            }
            let subject = Subject::Item {
                identifier: &found.end.item_identifier,
                label: found.end.label(),
            };
            ws.record("validation withdrawn", subject, json!({}))
        })
    }

    /// The current verdict on every competency that has one.
    pub fn validations(&self) -> Result<Vec<Validation>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT v.item_identifier, v.verdict, v.comment, p.name, v.decided
                 FROM validations v LEFT JOIN participants p ON p.id = v.participant_id ORDER BY v.decided, v.item_identifier",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok(Validation {
                    item_identifier: r.get(0)?,
                    verdict: r
                        .get::<_, String>(1)?
                        .parse()
                        .unwrap_or(Verdict::NeedsRevision),
                    comment: r.get(2)?,
                    by: r.get(3)?,
                    at: parse_time(&r.get::<_, String>(4)?),
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))
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
        assert!(
            now.contains(&("j-11".into(), Verdict::NeedsRevision, sam.clone())),
            "{now:?}"
        );
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
                "validation J1.1  verdict: \"needs-revision\"  comment: \"name the software\""
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
        ws.withdraw_validation("J1.1").unwrap();
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
}
