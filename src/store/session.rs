//! The session in the workshop file: participants, who is acting, the consensus rule,
//! votes and comment threads on links, and the links with their computed status.
//! Status is never stored: it is worked out from the votes on every read, so changing
//! the rule or a vote can never leave a stale status behind.
use super::history::Subject;
use super::{Result, StoreError, Workshop, now_rfc3339, parse_time};
use crate::model::rules::{self, Act, Refusal};
use crate::model::{
    Ballot, Basis, Comment, ConsensusRule, Link, LinkStatus, Participant, Provenance, Role,
    SessionLink, Vote, link_status,
};
use rusqlite::{OptionalExtension, params};
use serde_json::json;
use std::collections::HashMap;

/// The workshop setting holding the consensus rule.
pub const CONSENSUS_RULE: &str = "consensus.rule";

impl Workshop {
    /// Adds a participant; names are unique regardless of letter case.
    pub fn add_participant(&mut self, name: &str, role: Role) -> Result<Participant> {
        let name = name.trim();
        if name.is_empty() {
            return Err(StoreError::Refused("a participant needs a name".into()));
        }
        self.allow(Act::ManageParticipants, "adding a participant")?;
        if let Ok(known) = self.participant(name) {
            return Err(StoreError::Refused(format!(
                "{} is already taking part, as {}",
                known.name, known.role
            )));
        }
        self.in_transaction(|ws| {
            ws.conn
                .execute(
                    "INSERT INTO participants (name, role, added) VALUES (?1, ?2, ?3)",
                    params![name, role.as_str(), now_rfc3339()],
                )
                .map_err(|e| ws.err(e))?;
            let p = Participant {
                id: ws.conn.last_insert_rowid(),
                name: name.to_string(),
                role,
            };
            ws.record(
                "participant added",
                Subject::Workshop,
                json!({"name": name, "role": role.as_str()}),
            )?;
            Ok(p)
        })
    }

    /// Renames a participant; names stay unique regardless of letter case. Votes,
    /// verdicts, comments and the history name people by row, so they follow the new name.
    pub fn rename_participant(&mut self, name: &str, new: &str) -> Result<Participant> {
        let new = new.trim();
        if new.is_empty() {
            return Err(StoreError::Refused("a participant needs a name".into()));
        }
        self.allow(Act::ManageParticipants, "renaming a participant")?;
        let who = self.participant(name)?;
        if let Ok(known) = self.participant(new)
            && known.id != who.id
        {
            return Err(StoreError::Refused(format!(
                "{} is already taking part, as {}",
                known.name, known.role
            )));
        }
        let renamed = self.in_transaction(|ws| {
            ws.conn
                .execute(
                    "UPDATE participants SET name = ?1 WHERE id = ?2",
                    params![new, who.id],
                )
                .map_err(|e| ws.err(e))?;
            ws.record(
                "participant renamed",
                Subject::Workshop,
                json!({"name": [who.name, new]}),
            )?;
            Ok(Participant {
                name: new.to_string(),
                ..who.clone()
            })
        })?;
        self.follow(&renamed);
        Ok(renamed)
    }

    /// Changes a participant's role. The last facilitator keeps the role while others
    /// take part: without one, nobody could manage people or the rule any more.
    pub fn set_role(&mut self, name: &str, role: Role) -> Result<Participant> {
        self.allow(Act::ManageParticipants, "changing a participant's role")?;
        let who = self.participant(name)?;
        if who.role == role {
            return Ok(who);
        }
        self.keep_a_facilitator(&who, "stop being one")?;
        let changed = self.in_transaction(|ws| {
            ws.conn
                .execute(
                    "UPDATE participants SET role = ?1 WHERE id = ?2",
                    params![role.as_str(), who.id],
                )
                .map_err(|e| ws.err(e))?;
            ws.record(
                "participant role changed",
                Subject::Workshop,
                json!({"name": who.name, "role": [who.role.as_str(), role.as_str()]}),
            )?;
            Ok(Participant {
                role,
                ..who.clone()
            })
        })?;
        self.follow(&changed);
        Ok(changed)
    }

    /// Removes a participant added by mistake. Someone with any say on record (votes,
    /// verdicts, comments, or anything in the history) is refused, with the counts: no
    /// recorded say may disappear, so make them an observer instead. Their invitations
    /// go with them.
    pub fn remove_participant(&mut self, name: &str) -> Result<Participant> {
        self.allow(Act::ManageParticipants, "removing a participant")?;
        let who = self.participant(name)?;
        if self.actor.as_ref().is_some_and(|a| a.id == who.id) {
            return Err(StoreError::Refused(format!(
                "{} cannot remove themselves: switch to another facilitator first",
                who.name
            )));
        }
        let mut on_record = Vec::new();
        for (table, one, many) in [
            ("votes", "vote", "votes"),
            ("verdicts", "verdict", "verdicts"),
            ("comments", "comment", "comments"),
            ("history", "change in the history", "changes in the history"),
        ] {
            let n: i64 = self
                .conn
                .query_row(
                    &format!("SELECT COUNT(*) FROM {table} WHERE participant_id = ?1"),
                    [who.id],
                    |r| r.get(0),
                )
                .map_err(|e| self.err(e))?;
            if n > 0 {
                on_record.push(format!("{n} {}", if n == 1 { one } else { many }));
            }
        }
        if !on_record.is_empty() {
            return Err(StoreError::Refused(format!(
                "{} has {} on record, which must not disappear: make them an observer instead",
                who.name,
                on_record.join(", ")
            )));
        }
        self.keep_a_facilitator(&who, "be removed")?;
        self.in_transaction(|ws| {
            ws.conn
                .execute("DELETE FROM invites WHERE participant_id = ?1", [who.id])
                .map_err(|e| ws.err(e))?;
            ws.conn
                .execute("DELETE FROM participants WHERE id = ?1", [who.id])
                .map_err(|e| ws.err(e))?;
            ws.record(
                "participant removed",
                Subject::Workshop,
                json!({"name": who.name, "role": who.role.as_str()}),
            )?;
            Ok(who.clone())
        })
    }

    /// Refuses when `who` is the only facilitator among several participants.
    fn keep_a_facilitator(&self, who: &Participant, what: &str) -> Result<()> {
        let all = self.participants()?;
        let facilitators = all.iter().filter(|p| p.role == Role::Facilitator).count();
        if who.role == Role::Facilitator && facilitators == 1 && all.len() > 1 {
            return Err(StoreError::Refused(format!(
                "{} is the only facilitator and cannot {what}: make someone else a facilitator first",
                who.name
            )));
        }
        Ok(())
    }

    /// Keeps the acting participant in step when their own name or role changed.
    fn follow(&mut self, changed: &Participant) {
        if let Some(a) = self.actor.as_mut()
            && a.id == changed.id
        {
            *a = changed.clone();
        }
    }

    /// Everyone taking part, in the order they joined.
    pub fn participants(&self) -> Result<Vec<Participant>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, name, role FROM participants ORDER BY id")
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([], |r| {
                Ok(Participant {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    role: r.get::<_, String>(2)?.parse().unwrap_or(Role::Observer),
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))
    }

    /// How many people take part.
    fn participant_count(&self) -> Result<usize> {
        self.conn
            .prepare_cached("SELECT COUNT(*) FROM participants")
            .and_then(|mut stmt| stmt.query_row([], |r| r.get::<_, i64>(0)))
            .map(|n| n as usize)
            .map_err(|e| self.err(e))
    }

    /// A participant by name (any letter case); the error lists who is taking part.
    pub fn participant(&self, name: &str) -> Result<Participant> {
        let all = self.participants()?;
        if let Some(p) = all
            .iter()
            .find(|p| p.name.eq_ignore_ascii_case(name.trim()))
        {
            return Ok(p.clone());
        }
        let known: Vec<String> = all
            .iter()
            .map(|p| format!("{} ({})", p.name, p.role))
            .collect();
        Err(StoreError::NotFound(format!(
            "no participant named `{}`; {}",
            name.trim(),
            if known.is_empty() {
                "nobody is taking part yet (add people with `crosswalk participant add NAME --role ROLE`)".to_string()
            } else {
                format!("taking part: {}", known.join(", "))
            }
        )))
    }

    /// Says who makes the changes that follow (recorded in the history); `None` for nobody.
    pub fn act_as(&mut self, name: Option<&str>) -> Result<()> {
        self.actor = name.map(|n| self.participant(n)).transpose()?;
        Ok(())
    }

    pub fn actor(&self) -> Option<&Participant> {
        self.actor.as_ref()
    }

    /// Checks `act` against the session rules for whoever is acting; `what` names the act
    /// in the message when it needs a name ("voting needs a participant: …").
    pub(super) fn allow(&self, act: Act, what: &str) -> Result<()> {
        let running = self
            .conn
            .query_row("SELECT EXISTS (SELECT 1 FROM participants)", [], |r| {
                r.get(0)
            })
            .map_err(|e| self.err(e))?;
        match rules::may(self.actor.as_ref(), running, act) {
            Ok(()) => Ok(()),
            Err(Refusal::NeedsName) => {
                let known: Vec<String> = self.participants()?.into_iter().map(|p| p.name).collect();
                Err(StoreError::Refused(format!(
                    "{what} needs a participant: pass --as NAME (or set CROSSWALK_AS); taking part: {}",
                    known.join(", ")
                )))
            }
            Err(other) => Err(StoreError::Refused(other.to_string())),
        }
    }

    /// The acting participant, after `act` was allowed; refusing when there is none.
    fn acting(&self, act: Act, what: &str) -> Result<Participant> {
        self.allow(act, what)?;
        self.actor
            .clone()
            .ok_or_else(|| StoreError::Refused(Refusal::NoSession.to_string()))
    }

    pub fn consensus_rule(&self) -> Result<ConsensusRule> {
        Ok(self
            .setting(CONSENSUS_RULE)?
            .and_then(|s| s.parse().ok())
            .unwrap_or_default())
    }

    /// Changes the rule. Once people take part, only a facilitator may change it.
    pub fn set_consensus_rule(&mut self, rule: ConsensusRule) -> Result<()> {
        self.allow(Act::ChangeRule, "changing the consensus rule")?;
        self.in_transaction(|ws| {
            let before = ws.consensus_rule()?;
            ws.conn
                .execute(
                    "INSERT INTO settings(key, value) VALUES (?1, ?2)
                     ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                    [CONSENSUS_RULE, rule.as_str()],
                )
                .map_err(|e| ws.err(e))?;
            ws.record(
                "setting changed",
                Subject::Workshop,
                json!({CONSENSUS_RULE: [before.as_str(), rule.as_str()]}),
            )
        })
    }

    /// Casts (or changes) the acting participant's vote; returns the link's status
    /// before and after. A comment given with the vote goes into the link's thread.
    pub fn vote(
        &mut self,
        link: &str,
        vote: Vote,
        comment: Option<&str>,
    ) -> Result<(LinkStatus, LinkStatus)> {
        let who = self.acting(Act::Vote(vote), "voting")?;
        rules::check_reason(Act::Vote(vote), comment).map_err(StoreError::Refused)?;
        // Read inside the transaction, so "before" is the status this vote really moved.
        self.in_transaction(|ws| {
            let link = ws.link(link)?;
            let before = ws.session_link(&link.identifier)?.status;
            ws.conn
                .execute(
                    "INSERT INTO votes (link_identifier, participant_id, vote, cast_at) VALUES (?1, ?2, ?3, ?4)
                     ON CONFLICT (link_identifier, participant_id) DO UPDATE SET vote = excluded.vote, cast_at = excluded.cast_at",
                    params![link.identifier, who.id, vote.as_str(), now_rfc3339()],
                )
                .map_err(|e| ws.err(e))?;
            let mut details = json!({"vote": vote.as_str()});
            if let Some(text) = comment.map(str::trim).filter(|t| !t.is_empty()) {
                ws.insert_comment(&link.identifier, text)?;
                details["comment"] = json!(text);
            }
            ws.record("vote", Subject::Link(&link), details)?;
            let after = ws.session_link(&link.identifier)?.status;
            if after != before {
                ws.record("status changed", Subject::Link(&link), json!({"status": [before.as_str(), after.as_str()]}))?;
            }
            Ok((before, after))
        })
    }

    /// Takes back the acting participant's vote on a link (undoing a vote cast by
    /// mistake); returns the link's status before and after.
    pub fn withdraw_vote(&mut self, link: &str) -> Result<(LinkStatus, LinkStatus)> {
        self.withdraw_vote_seen(link, None)
    }

    /// [`Workshop::withdraw_vote`], refused when the vote is no longer `seen` (the person
    /// changed it since, from another screen or device).
    pub fn withdraw_vote_seen(
        &mut self,
        link: &str,
        seen: Option<Vote>,
    ) -> Result<(LinkStatus, LinkStatus)> {
        let who = self.acting(Act::WithdrawVote, "withdrawing a vote")?;
        self.in_transaction(|ws| {
            let link = ws.link(link)?;
            let before = ws.session_link(&link.identifier)?.status;
            if let Some(seen) = seen {
                let now = ws
                    .conn
                    .query_row(
                        "SELECT vote FROM votes WHERE link_identifier = ?1 AND participant_id = ?2",
                        params![link.identifier, who.id],
                        |r| r.get::<_, String>(0),
                    )
                    .optional()
                    .map_err(|e| ws.err(e))?;
                if now.as_deref().is_some_and(|v| v != seen.as_str()) {
                    return Err(StoreError::Stale(format!(
                        "{}'s vote on {} -> {} is now {}, not {seen}; it was left as it is",
                        who.name,
                        link.origin.label(),
                        link.destination.label(),
                        now.unwrap_or_default()
                    )));
                }
            }
            let gone = ws
                .conn
                .execute(
                    "DELETE FROM votes WHERE link_identifier = ?1 AND participant_id = ?2",
                    params![link.identifier, who.id],
                )
                .map_err(|e| ws.err(e))?;
            if gone == 0 {
                return Err(StoreError::Refused(format!(
                    "{} has no vote on {} -> {} to withdraw",
                    who.name,
                    link.origin.label(),
                    link.destination.label()
                )));
            }
            ws.record("vote withdrawn", Subject::Link(&link), json!({}))?;
            let after = ws.session_link(&link.identifier)?.status;
            if after != before {
                ws.record(
                    "status changed",
                    Subject::Link(&link),
                    json!({"status": [before.as_str(), after.as_str()]}),
                )?;
            }
            Ok((before, after))
        })
    }

    /// Adds to a link's comment thread, as the acting participant (or nobody).
    pub fn add_comment(&mut self, link: &str, text: &str) -> Result<()> {
        let text = text.trim();
        if text.is_empty() {
            return Err(StoreError::Refused(
                "an empty comment says nothing; give some text".into(),
            ));
        }
        self.allow(Act::Comment, "commenting")?;
        self.in_transaction(|ws| {
            let link = ws.link(link)?;
            ws.insert_comment(&link.identifier, text)?;
            ws.record("comment", Subject::Link(&link), json!({"comment": text}))
        })
    }

    fn insert_comment(&self, link_identifier: &str, text: &str) -> Result<()> {
        self.conn
            .execute(
                "INSERT INTO comments (link_identifier, participant_id, body, created) VALUES (?1, ?2, ?3, ?4)",
                params![link_identifier, self.actor.as_ref().map(|p| p.id), text, now_rfc3339()],
            )
            .map(|_| ())
            .map_err(|e| self.err(e))
    }

    /// A link's comment thread, oldest first.
    pub fn comments(&self, link_identifier: &str) -> Result<Vec<Comment>> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT p.name, c.body, c.created FROM comments c LEFT JOIN participants p ON p.id = c.participant_id
                 WHERE c.link_identifier = ?1 ORDER BY c.id",
            )
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([link_identifier], |r| {
                Ok(Comment {
                    author: r.get(0)?,
                    text: r.get(1)?,
                    at: parse_time(&r.get::<_, String>(2)?),
                })
            })
            .map_err(|e| self.err(e))?;
        rows.collect::<rusqlite::Result<_>>()
            .map_err(|e| self.err(e))
    }

    /// One link with its status, provenance and votes.
    pub fn session_link(&self, identifier: &str) -> Result<SessionLink> {
        let link = self.link(identifier)?;
        // Only this link's votes: every vote reads its link's status twice, and reading
        // all the workshop's votes there made each vote slower than the one before.
        let ballots = self.ballots_where("v.link_identifier = ?1", &link.identifier)?;
        let mut all = self.with_session(vec![link], ballots)?;
        Ok(all.remove(0))
    }

    /// Every link with its status, provenance and votes, in the order of [`Workshop::links`].
    pub fn session_links(&self) -> Result<Vec<SessionLink>> {
        self.with_session(self.links()?, self.ballots()?)
    }

    /// Every current vote, by link identifier, in the order they were cast.
    pub fn ballots(&self) -> Result<HashMap<String, Vec<Ballot>>> {
        self.ballots_where("?1 = ''", "")
    }

    /// The current votes on one link (kept while it is deleted), in the order they were cast.
    pub fn ballots_on(&self, link: &str) -> Result<Vec<Ballot>> {
        Ok(self
            .ballots_where("v.link_identifier = ?1", link)?
            .remove(link)
            .unwrap_or_default())
    }

    fn ballots_where(&self, condition: &str, key: &str) -> Result<HashMap<String, Vec<Ballot>>> {
        let mut ballots: HashMap<String, Vec<Ballot>> = HashMap::new();
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT v.link_identifier, p.name, p.role, v.vote, v.cast_at
                 FROM votes v JOIN participants p ON p.id = v.participant_id
                 WHERE {condition} ORDER BY v.cast_at, p.id"
            ))
            .map_err(|e| self.err(e))?;
        let rows = stmt
            .query_map([key], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    Ballot {
                        participant: r.get(1)?,
                        role: r.get::<_, String>(2)?.parse().unwrap_or(Role::Observer),
                        vote: r.get::<_, String>(3)?.parse().unwrap_or(Vote::Dispute),
                        at: parse_time(&r.get::<_, String>(4)?),
                    },
                ))
            })
            .map_err(|e| self.err(e))?;
        for row in rows {
            let (link, ballot) = row.map_err(|e| self.err(e))?;
            ballots.entry(link).or_default().push(ballot);
        }
        Ok(ballots)
    }

    /// `links` with their status, provenance and votes; `ballots` holds (at least) theirs.
    fn with_session(
        &self,
        links: Vec<Link>,
        mut ballots: HashMap<String, Vec<Ballot>>,
    ) -> Result<Vec<SessionLink>> {
        let rule = self.consensus_rule()?;
        let participants = self.participant_count()?;
        links
            .into_iter()
            .map(|link| {
                let ballots = ballots.remove(&link.identifier).unwrap_or_default();
                let votes: Vec<(Role, Vote)> = ballots.iter().map(|b| (b.role, b.vote)).collect();
                let mut provenance = self.provenance(&link.identifier)?;
                provenance.reviewed_by = ballots
                    .iter()
                    .filter(|b| b.vote == Vote::Accept)
                    .map(|b| b.participant.clone())
                    .collect();
                Ok(SessionLink {
                    status: link_status(rule, participants, &votes),
                    provenance,
                    ballots,
                    link,
                })
            })
            .collect()
    }

    /// Who asserted a link, on what basis, how surely (reviewers come from the votes).
    fn provenance(&self, identifier: &str) -> Result<Provenance> {
        self.conn
            .prepare_cached(
                "SELECT basis, confidence, asserted_by FROM links WHERE identifier = ?1",
            )
            .and_then(|mut stmt| {
                stmt.query_row([identifier], |r| {
                    Ok(Provenance {
                        basis: r.get::<_, String>(0)?.parse().unwrap_or(Basis::Discussion),
                        confidence: r.get(1)?,
                        asserted_by: r.get(2)?,
                        reviewed_by: Vec::new(),
                    })
                })
                .optional()
            })
            .map_err(|e| self.err(e))?
            .ok_or_else(|| self.missing_link(identifier))
    }
}

#[cfg(test)]
pub(crate) mod test_support {
    use crate::case::Package;
    use crate::model::{Framework, Item, Side};
    use crate::store::Workshop;

    /// Two frameworks, educator `E` and employer `J`, each `<p>1 { <p>1.1 <p>1.2 }`;
    /// item identifiers are `e-11`, `j-12` and so on.
    pub fn two_frameworks() -> Workshop {
        let mut ws = Workshop::open_in_memory().unwrap();
        add_two_frameworks(&mut ws);
        ws
    }

    /// A link E1.1 -> J1.2, the one most tests start from.
    pub fn link_e11_j12(ws: &mut Workshop) -> crate::model::Link {
        ws.create_link(&crate::store::NewLink {
            origin: "E1.1".into(),
            destination: "J1.2".into(),
            ..Default::default()
        })
        .unwrap()
    }

    /// The frameworks of [`two_frameworks`], into a workshop of the caller's.
    pub fn add_two_frameworks(ws: &mut Workshop) {
        for (doc, p, side) in [
            ("doc-e", "E", Side::Educator),
            ("doc-j", "J", Side::Employer),
        ] {
            let item = |n: &str, depth, parent| Item {
                identifier: format!("{}-{}", p.to_lowercase(), n.replace('.', "")),
                uri: format!("urn:test:{p}{n}"),
                code: format!("{p}{n}"),
                statement: format!("statement of {p}{n}"),
                depth,
                parent,
                ..Item::default()
            };
            let framework = Framework {
                identifier: doc.into(),
                uri: format!("urn:test:{doc}"),
                title: format!("Framework {p}"),
                items: vec![
                    item("1", 0, None),
                    item("1.1", 1, Some(0)),
                    item("1.2", 1, Some(0)),
                ],
                ..Framework::default()
            };
            ws.import_package(
                &Package {
                    framework,
                    ..Package::default()
                },
                Some(side),
            )
            .unwrap();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::two_frameworks;
    use crate::model::{ConsensusRule, LinkStatus, Role, Vote};
    use crate::store::{HistoryFilter, NewLink, StoreError, Workshop};

    fn session() -> (Workshop, String) {
        let mut ws = two_frameworks();
        let link = ws
            .create_link(&NewLink {
                origin: "E1.1".into(),
                destination: "J1.1".into(),
                ..NewLink::default()
            })
            .unwrap();
        for (name, role) in [
            ("Fay", Role::Facilitator),
            ("Ana", Role::Faculty),
            ("Sam", Role::EmployerSme),
            ("Oz", Role::Observer),
        ] {
            ws.add_participant(name, role).unwrap();
        }
        (ws, link.identifier)
    }

    #[test]
    fn votes_move_a_link_through_the_default_rule() {
        let mut ws = two_frameworks();
        let id = ws
            .create_link(&NewLink {
                origin: "E1.1".into(),
                destination: "J1.1".into(),
                ..NewLink::default()
            })
            .unwrap()
            .identifier;
        assert_eq!(
            ws.session_link(&id).unwrap().status,
            LinkStatus::Agreed,
            "no participants: no process"
        );
        ws.add_participant("Ana", Role::Faculty).unwrap();
        ws.add_participant("Sam", Role::EmployerSme).unwrap();
        assert_eq!(ws.session_link(&id).unwrap().status, LinkStatus::Proposed);
        ws.act_as(Some("ana")).unwrap();
        assert_eq!(
            ws.vote(&id, Vote::Accept, None).unwrap(),
            (LinkStatus::Proposed, LinkStatus::Proposed)
        );
        ws.act_as(Some("Sam")).unwrap();
        assert_eq!(
            ws.vote(&id, Vote::Dispute, Some("too broad")).unwrap().1,
            LinkStatus::Disputed
        );
        // Sam changes their mind: one current vote per person.
        assert_eq!(
            ws.vote(&id, Vote::Accept, None).unwrap().1,
            LinkStatus::Agreed
        );
        let link = ws.session_link(&id).unwrap();
        assert_eq!(link.ballots.len(), 2);
        assert_eq!(link.provenance.reviewed_by, ["Ana", "Sam"]);
        let thread = ws.comments(&id).unwrap();
        assert_eq!(
            (thread[0].author.as_deref(), thread[0].text.as_str()),
            (Some("Sam"), "too broad")
        );
        let actions: Vec<_> = ws
            .history(&HistoryFilter::Link(id))
            .unwrap()
            .into_iter()
            .map(|e| (e.action, e.actor))
            .collect();
        let sam = Some("Sam".to_string());
        assert_eq!(
            actions[1..],
            [
                ("vote".into(), Some("Ana".into())),
                ("vote".into(), sam.clone()),
                ("status changed".into(), sam.clone()),
                ("vote".into(), sam.clone()),
                ("status changed".into(), sam),
            ]
        );
    }

    #[test]
    fn observers_nobodies_and_deleted_links_cannot_vote() {
        let (mut ws, id) = session();
        let err = ws.vote(&id, Vote::Accept, None).unwrap_err().to_string();
        assert!(
            err.contains("--as NAME") && err.contains("Fay, Ana, Sam, Oz"),
            "{err}"
        );
        ws.act_as(Some("Oz")).unwrap();
        let err = ws.vote(&id, Vote::Accept, None).unwrap_err().to_string();
        assert!(
            err.contains("Oz is an observer; observers can look but cannot vote"),
            "{err}"
        );
        // Observers see everything and change nothing: not even the thread.
        assert!(ws.add_comment(&id, "watching closely").is_err());
        ws.act_as(Some("Ana")).unwrap();
        ws.delete_link(&id).unwrap();
        let err = ws.vote(&id, Vote::Accept, None).unwrap_err().to_string();
        assert!(
            err.contains("was deleted at") && err.contains("by Ana"),
            "{err}"
        );
        assert!(ws.add_comment(&id, "too late").is_err());
        let err = ws.act_as(Some("Zed")).unwrap_err().to_string();
        assert!(
            err.contains("no participant named `Zed`") && err.contains("Ana (faculty)"),
            "{err}"
        );
        assert!(matches!(
            ws.add_participant("ana", Role::Observer),
            Err(StoreError::Refused(_))
        ));
    }

    #[test]
    fn the_rule_is_a_setting_only_a_facilitator_changes() {
        let (mut ws, id) = session();
        assert_eq!(
            ws.consensus_rule().unwrap(),
            ConsensusRule::FacultyAndEmployer
        );
        ws.act_as(Some("Ana")).unwrap();
        ws.vote(&id, Vote::Accept, None).unwrap();
        assert!(
            ws.set_consensus_rule(ConsensusRule::AnyAccept)
                .unwrap_err()
                .to_string()
                .contains("only a facilitator")
        );
        ws.act_as(Some("Fay")).unwrap();
        ws.set_consensus_rule(ConsensusRule::AnyAccept).unwrap();
        assert_eq!(ws.session_link(&id).unwrap().status, LinkStatus::Agreed);
        ws.vote(&id, Vote::Reject, None).unwrap();
        assert_eq!(ws.session_link(&id).unwrap().status, LinkStatus::Rejected);
        let log = ws.history(&HistoryFilter::All).unwrap();
        assert!(
            log.iter()
                .any(|e| e.action == "setting changed" && e.actor.as_deref() == Some("Fay"))
        );
    }

    #[test]
    fn a_vote_can_be_withdrawn_and_the_log_keeps_both() {
        let (mut ws, id) = session();
        ws.act_as(Some("Fay")).unwrap();
        ws.set_consensus_rule(ConsensusRule::AnyAccept).unwrap();
        ws.act_as(Some("Ana")).unwrap();
        assert!(
            ws.withdraw_vote(&id)
                .unwrap_err()
                .to_string()
                .contains("Ana has no vote")
        );
        ws.vote(&id, Vote::Accept, None).unwrap();
        assert_eq!(
            ws.withdraw_vote(&id).unwrap(),
            (LinkStatus::Agreed, LinkStatus::Proposed)
        );
        assert!(!ws.ballots().unwrap().contains_key(&id));
        let actions: Vec<String> = ws
            .history(&HistoryFilter::Link(id))
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .collect();
        assert_eq!(
            actions[actions.len() - 2..],
            ["vote withdrawn".to_string(), "status changed".to_string()]
        );
    }

    #[test]
    fn participants_are_renamed_and_re_roled_by_a_facilitator_with_history() {
        let (mut ws, link) = session();
        ws.act_as(Some("Ana")).unwrap();
        let e = ws.rename_participant("Sam", "Samira").unwrap_err();
        assert!(matches!(e, StoreError::Refused(_)), "{e}");
        ws.act_as(Some("Sam")).unwrap();
        ws.vote(&link, Vote::Accept, None).unwrap();
        ws.act_as(Some("fay")).unwrap();
        let e = ws.rename_participant("Sam", "ANA").unwrap_err();
        assert!(e.to_string().contains("Ana is already taking part"), "{e}");
        assert_eq!(
            ws.rename_participant("sam", "Samira").unwrap().name,
            "Samira"
        );
        // The vote follows the new name.
        let ballots = ws.ballots().unwrap();
        assert_eq!(ballots[&link][0].participant, "Samira");
        assert_eq!(
            ws.set_role("Oz", Role::Faculty).unwrap().role,
            Role::Faculty
        );
        assert_eq!(ws.participant("oz").unwrap().role, Role::Faculty);
        // Renaming oneself keeps the actor in step.
        ws.rename_participant("Fay", "Faye").unwrap();
        assert_eq!(ws.actor().unwrap().name, "Faye");
        let e = ws.set_role("Faye", Role::Observer).unwrap_err();
        assert!(e.to_string().contains("only facilitator"), "{e}");
        let actions: Vec<String> = ws
            .history(&HistoryFilter::All)
            .unwrap()
            .into_iter()
            .map(|e| e.action)
            .filter(|a| a.starts_with("participant") && a != "participant added")
            .collect();
        assert_eq!(
            actions,
            [
                "participant renamed",
                "participant role changed",
                "participant renamed"
            ]
        );
    }

    #[test]
    fn removing_someone_with_a_say_on_record_is_refused_with_the_count() {
        let (mut ws, link) = session();
        ws.act_as(Some("Sam")).unwrap();
        ws.vote(&link, Vote::Dispute, Some("too broad")).unwrap();
        ws.act_as(Some("Fay")).unwrap();
        let e = ws.remove_participant("Sam").unwrap_err();
        let text = e.to_string();
        assert!(
            text.contains("1 vote") && text.contains("1 comment"),
            "{text}"
        );
        assert!(text.contains("observer"), "{text}");
        assert!(ws.participant("Sam").is_ok());
        let e = ws.remove_participant("Fay").unwrap_err();
        assert!(e.to_string().contains("themselves"), "{e}");
        assert_eq!(ws.remove_participant("oz").unwrap().name, "Oz");
        assert!(ws.participant("Oz").is_err());
        assert_eq!(ws.participants().unwrap().len(), 3);
        let last = ws.history(&HistoryFilter::All).unwrap().pop().unwrap();
        assert_eq!(last.action, "participant removed");
    }
}
