//! A join link made on the screen (M, a person, "invite"): the link and its QR code,
//! shown once, large, so the person can scan it from the projected wall. The code is
//! kept as modules here; drawing them is the front end's business.
use super::state::{Popup, State, Tone};
use crate::model::Role;
use crate::store::Workshop;

/// How long a join link made on the screen works: a workshop day. A code on a wall can
/// be photographed by anyone in the room, so it should not outlive the session.
pub const HOURS: i64 = 12;

/// A QR code as dark (true) and light modules, row by row, its quiet zone included.
#[derive(Debug, Clone, PartialEq)]
pub struct Qr {
    pub width: usize,
    pub dark: Vec<bool>,
}

impl Qr {
    /// The code for `text`, with the standard four-module quiet zone around it. Low error
    /// correction: a code on a screen is not torn or smudged, and the smaller code gets
    /// larger modules on the same screen (a join link fits 45 modules, not 49).
    pub fn new(text: &str) -> Result<Qr, String> {
        let code = qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::L)
            .map_err(|e| e.to_string())?;
        let inner = code.width();
        let colors = code.into_colors();
        const QUIET: usize = 4;
        let width = inner + 2 * QUIET;
        let mut dark = vec![false; width * width];
        for (k, c) in colors.iter().enumerate() {
            let (y, x) = (k / inner + QUIET, k % inner + QUIET);
            dark[y * width + x] = *c == qrcode::Color::Dark;
        }
        Ok(Qr { width, dark })
    }

    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        self.dark[y * self.width + x]
    }
}

/// What the invitation popup shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Shown {
    pub name: String,
    pub role: Role,
    pub url: String,
    /// When the link stops working, to the minute.
    pub until: String,
    pub qr: Qr,
}

/// Makes a join link for `name` and shows it; a refusal (not the facilitator, no such
/// person) lands in the status bar.
pub fn open(state: &mut State, ws: &mut Workshop, name: &str) {
    let made = ws
        .invite(name, Some(time::Duration::hours(HOURS)))
        .map_err(|e| e.to_string())
        .and_then(|invite| {
            let url = ws.join_url(&invite.token).map_err(|e| e.to_string())?;
            let qr = Qr::new(&url)?;
            Ok(Shown {
                name: invite.participant.name,
                role: invite.participant.role,
                until: invite.expires.map(shown_time).unwrap_or_default(),
                url,
                qr,
            })
        });
    match made {
        Ok(shown) => {
            let said = format!(
                "join link for {} made; it works until {}",
                shown.name, shown.until
            );
            state.popup = Some(Popup::Invite(Box::new(shown)));
            state.say(Tone::Done, said);
        }
        Err(e) => {
            state.popup = None;
            state.say(Tone::Error, e);
        }
    }
}

/// "2026-12-01 22:40 UTC": to the minute, for people reading a wall.
fn shown_time(t: time::OffsetDateTime) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute] UTC");
    t.to_offset(time::UtcOffset::UTC)
        .format(&format)
        .unwrap_or_default()
}

/// Revokes every join link of `name`, open pages included.
pub fn revoke(state: &mut State, ws: &mut Workshop, name: &str) {
    match ws.revoke_invites(name) {
        Ok(0) => state.say(Tone::Info, format!("{name} has no working join link")),
        Ok(n) => state.say(
            Tone::Done,
            format!(
                "revoked {} of {name}; their open pages stop at once",
                super::plural(n, "join link", "join links")
            ),
        ),
        Err(e) => state.say(Tone::Error, e.to_string()),
    }
}
