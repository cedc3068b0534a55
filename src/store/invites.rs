//! Invitations to join from a phone or laptop: a personal join link per participant,
//! carrying a long random token. Only the token's SHA-256 is kept, so the workshop file
//! (which people copy around) never holds a working link. A token can expire, and a
//! revoked one stops working at once: whoever presents a token is looked up every time.
use super::history::Subject;
use super::{Result, StoreError, Workshop, format_time, now_rfc3339, parse_time};
use crate::model::Participant;
use crate::model::rules::Act;
use rusqlite::{OptionalExtension, params};
use serde_json::json;
use sha2::{Digest, Sha256};
use time::{Duration, OffsetDateTime};

/// A join link's secret, as handed to the participant (once: it is not stored).
#[derive(Debug, Clone, PartialEq)]
pub struct Invite {
    pub token: String,
    pub participant: Participant,
    pub expires: Option<OffsetDateTime>,
}

/// 256 random bits, as 64 hex digits: long enough that guessing one is hopeless.
fn new_token() -> Result<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes)
        .map_err(|e| StoreError::Refused(format!("no randomness for an invitation: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// The join link under `base`, the server's public URL.
pub fn join_url_under(base: &str, token: &str) -> String {
    format!("{}/join/{token}", base.trim_end_matches('/'))
}

fn digest(token: &str) -> String {
    Sha256::digest(token.trim().as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Where `crosswalk serve` said participants reach it (see [`Workshop::record_public_url`]).
const PUBLIC_URL: &str = "serve.public_url";
/// `crosswalk serve`'s own default address.
const DEFAULT_PUBLIC_URL: &str = "http://127.0.0.1:8080";

impl Workshop {
    /// Remembers the URL a running `crosswalk serve` is reached at, so invitations made
    /// afterwards (from the screen or the command line) point at it.
    pub fn record_public_url(&mut self, url: &str) -> Result<()> {
        self.set_setting(PUBLIC_URL, url.trim_end_matches('/'))
    }

    /// The join link that carries `token`: under the URL `serve` last recorded, or
    /// `serve`'s default address.
    pub fn join_url(&self, token: &str) -> Result<String> {
        let base = self.setting(PUBLIC_URL)?;
        Ok(join_url_under(
            base.as_deref().unwrap_or(DEFAULT_PUBLIC_URL),
            token,
        ))
    }

    /// A new join link for participant `name`, valid for `lasts` (or until revoked).
    pub fn invite(&mut self, name: &str, lasts: Option<Duration>) -> Result<Invite> {
        self.allow(Act::ManageParticipants, "inviting a participant")?;
        let participant = self.participant(name)?;
        let token = new_token()?;
        let now = OffsetDateTime::now_utc();
        let expires = lasts.map(|d| now + d);
        self.in_transaction(|ws| {
            ws.conn
                .execute(
                    "INSERT INTO invites (participant_id, token_hash, created, expires) VALUES (?1, ?2, ?3, ?4)",
                    params![participant.id, digest(&token), now_rfc3339(), expires.map(format_time)],
                )
                .map_err(|e| ws.err(e))?;
            let mut details = json!({"name": participant.name});
            if let Some(e) = expires {
                details["expires"] = json!(format_time(e));
            }
            // The token itself is never written down, not even in the history.
            ws.record("participant invited", Subject::Workshop, details)
        })?;
        Ok(Invite {
            token,
            participant,
            expires,
        })
    }

    /// Revokes every join link of participant `name`; returns how many were still good.
    pub fn revoke_invites(&mut self, name: &str) -> Result<usize> {
        self.allow(Act::ManageParticipants, "revoking an invitation")?;
        let participant = self.participant(name)?;
        self.in_transaction(|ws| {
            let n = ws
                .conn
                .execute(
                    "UPDATE invites SET revoked = ?1 WHERE participant_id = ?2 AND revoked IS NULL",
                    params![now_rfc3339(), participant.id],
                )
                .map_err(|e| ws.err(e))?;
            ws.record(
                "participant invitation revoked",
                Subject::Workshop,
                json!({"name": participant.name, "links": n}),
            )?;
            Ok(n)
        })
    }

    /// Who a join token stands for, if it is known, unexpired and not revoked.
    pub fn participant_by_token(&self, token: &str) -> Result<Option<Participant>> {
        let found: Option<(i64, Option<String>)> = self
            .conn
            .query_row(
                "SELECT participant_id, expires FROM invites WHERE token_hash = ?1 AND revoked IS NULL",
                [digest(token)],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()
            .map_err(|e| self.err(e))?;
        let Some((id, expires)) = found else {
            return Ok(None);
        };
        if expires.is_some_and(|e| parse_time(&e) <= OffsetDateTime::now_utc()) {
            return Ok(None);
        }
        Ok(self.participants()?.into_iter().find(|p| p.id == id))
    }
}

#[cfg(test)]
mod tests {
    use crate::model::Role;
    use crate::store::{HistoryFilter, Workshop};
    use time::Duration;

    fn workshop() -> Workshop {
        let mut ws = Workshop::open_in_memory().unwrap();
        ws.add_participant("Fay", Role::Facilitator).unwrap();
        ws.add_participant("Sam", Role::EmployerSme).unwrap();
        ws
    }

    #[test]
    fn a_join_token_names_its_participant_and_only_its_hash_is_kept() {
        let mut ws = workshop();
        let invite = ws.invite("sam", None).unwrap();
        assert_eq!(invite.token.len(), 64);
        assert_eq!(invite.participant.name, "Sam");
        assert_eq!(
            ws.participant_by_token(&invite.token)
                .unwrap()
                .unwrap()
                .name,
            "Sam"
        );
        // Nowhere in the file: not in the invitations, not in the history.
        let stored: String = ws
            .conn
            .query_row("SELECT token_hash FROM invites", [], |r| r.get(0))
            .unwrap();
        assert_ne!(stored, invite.token);
        let log = serde_json::to_string(&ws.history(&HistoryFilter::All).unwrap()).unwrap();
        assert!(!log.contains(&invite.token) && log.contains("participant invited"));
        // A second link for the same person works beside the first; a forged one does not.
        let again = ws.invite("Sam", None).unwrap();
        assert_ne!(again.token, invite.token);
        assert!(ws.participant_by_token(&again.token).unwrap().is_some());
        let mut forged = invite.token.clone();
        forged.replace_range(..1, if forged.starts_with('0') { "1" } else { "0" });
        assert!(ws.participant_by_token(&forged).unwrap().is_none());
        assert!(ws.participant_by_token("").unwrap().is_none());
    }

    #[test]
    fn revoked_and_expired_tokens_stop_working() {
        let mut ws = workshop();
        let kept = ws.invite("Fay", None).unwrap();
        let revoked = ws.invite("Sam", None).unwrap();
        let expired = ws.invite("Sam", Some(Duration::seconds(-1))).unwrap();
        assert!(ws.participant_by_token(&expired.token).unwrap().is_none());
        assert_eq!(ws.revoke_invites("Sam").unwrap(), 2);
        assert!(ws.participant_by_token(&revoked.token).unwrap().is_none());
        assert!(ws.participant_by_token(&kept.token).unwrap().is_some());
        // Only the facilitator (or nobody, setting up) hands out links.
        ws.act_as(Some("Sam")).unwrap();
        let err = ws.invite("Sam", None).unwrap_err().to_string();
        assert!(err.contains("only a facilitator"), "{err}");
    }
}
