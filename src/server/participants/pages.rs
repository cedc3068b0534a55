//! The participant's pages, rendered on the server with `maud` (checked at compile time,
//! every interpolated value HTML-escaped: imported statements are untrusted). No inline
//! style or script anywhere: the CSP forbids them; `/p/style.css` and `/p/live.js` serve.
use crate::model::rules::{self, Act};
use crate::model::{
    Comment, ConsensusRule, LinkEnd, Participant, Role, SessionLink, Validation, Verdict, Vote,
};
use maud::{DOCTYPE, Markup, html};

/// What the participant's page shows, read from the workshop in one go.
pub struct View {
    pub me: Participant,
    pub csrf: String,
    pub rule: ConsensusRule,
    pub focus: Option<Focus>,
}

/// The link in front of the room, with its thread and (for employer-side links) the
/// competency and where it stands.
pub struct Focus {
    pub link: SessionLink,
    pub comments: Vec<Comment>,
    pub competency: Option<LinkEnd>,
    pub standing: Option<Validation>,
}

/// The most a comment, a reason or a revision note may hold, in characters.
pub const MAX_TEXT: usize = 2000;

/// Where a form's change takes the person afterwards (the form's `back` field): the
/// page they came from, so working through a queue keeps them in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Back {
    /// `/p`, now discussing.
    Page,
    /// `/p/queue`, where the item just done is gone.
    Queue,
    /// The page of the link the form was about.
    Link,
}

impl Back {
    fn as_str(self) -> &'static str {
        match self {
            Back::Page => "page",
            Back::Queue => "queue",
            Back::Link => "link",
        }
    }

    /// The form's field; anything unknown goes back to `/p` (never a URL from the form).
    pub fn from_form(s: &str) -> Back {
        match s {
            "queue" => Back::Queue,
            "link" => Back::Link,
            _ => Back::Page,
        }
    }

    /// The path to go back to; `link` is the link the form was about.
    pub fn path(self, link: &str) -> String {
        match self {
            Back::Page => "/p".into(),
            Back::Queue => "/p/queue".into(),
            Back::Link if !link.trim().is_empty() => link_path(link.trim()),
            Back::Link => "/p/queue".into(),
        }
    }
}

/// What stays as it is in a path segment: letters, digits, `-`, `_`, `~`. A `.` is
/// encoded too, so no identifier reads as `.` or `..`.
const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'~');

/// Where a link's own page is: its identifier (imported, any text) percent-encoded.
pub fn link_path(identifier: &str) -> String {
    let id = percent_encoding::utf8_percent_encode(identifier, SEGMENT);
    format!("/p/link/{id}")
}

pub(super) fn layout(title: &str, live: bool, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · crosswalk" }
                link rel="stylesheet" href="/p/style.css";
                @if live { script src="/p/live.js" defer {} }
            }
            body { (body) }
        }
    }
}

/// A plain refusal: what went wrong, in words, and nothing about who exists.
pub fn message(title: &str, text: &str) -> String {
    layout(
        title,
        false,
        html! {
            main {
                h1 { (title) }
                p { (text) }
                p { a href="/p" { "Back to the session" } }
            }
        },
    )
    .into_string()
}

/// The page a wrong, expired or revoked join link gets.
pub fn not_valid() -> String {
    layout(
        "Link not valid",
        false,
        html! {
            main {
                h1 { "This link is not valid" }
                p { "It may have expired or been withdrawn. Ask the facilitator for a new one." }
            }
        },
    )
    .into_string()
}

pub(super) fn role_words(role: Role) -> &'static str {
    match role {
        Role::Facilitator => "facilitator",
        Role::Faculty => "faculty",
        Role::EmployerSme => "employer expert",
        Role::Observer => "observer (you can follow along; you cannot vote or comment)",
    }
}

pub(super) fn may(me: &Participant, act: Act) -> bool {
    rules::may(Some(me), true, act).is_ok()
}

pub(super) fn end(title: &str, e: &LinkEnd) -> Markup {
    html! {
        section.end {
            h3 { (title) " " span.code { (e.label()) } }
            p.statement { (e.statement) }
        }
    }
}

/// `/p`: who you are, what is being discussed, and what you may do about it.
pub fn participant(view: &View) -> String {
    let me = &view.me;
    layout(
        "Now discussing",
        true,
        html! {
            (header(me, "/p"))
            main {
                h1 { "Now discussing" }
                @match &view.focus {
                    None => p.empty { "Nothing is in focus yet. This page changes when the facilitator puts a link in front of the room." },
                    Some(f) => (focus(view, f, Back::Page, Back::Page)),
                }
            }
        },
    )
    .into_string()
}

/// Who you are, and the pages there are; `here` is not a link.
pub(super) fn header(me: &Participant, here: &str) -> Markup {
    let queue = if me.role == Role::Observer {
        "Still open"
    } else {
        "My queue"
    };
    html! {
        header {
            p.who { "You are " strong { (me.name) } ", " (role_words(me.role)) }
            nav {
                @for (path, words) in [("/p", "Now discussing"), ("/p/queue", queue), ("/p/coverage", "Coverage")] {
                    @if path == here { strong { (words) } } @else { a href=(path) { (words) } }
                    " "
                }
            }
            @if here == "/p" {
                p #stale hidden { "The discussion has moved on. " a href="/p" { "Show it" } }
            }
        }
    }
}

/// One link's own page: the full statements, votes, thread and forms; a vote goes back
/// to the queue it was opened from (where the link is then gone), a comment to this page.
pub fn link_page(view: &View) -> String {
    layout(
        "Link",
        true,
        html! {
            (header(&view.me, ""))
            main {
                h1 { "Link" }
                @if let Some(f) = &view.focus { (focus(view, f, Back::Queue, Back::Link)) }
            }
        },
    )
    .into_string()
}

/// A link with its thread and, as the person's role allows, the forms; a vote or verdict
/// goes back to `decided`, a comment to `commented`.
fn focus(view: &View, f: &Focus, decided: Back, commented: Back) -> Markup {
    let me = &view.me;
    let link = &f.link.link;
    let id = &link.identifier;
    let mine = f
        .link
        .ballots
        .iter()
        .find(|b| b.participant == me.name)
        .map(|b| b.vote);
    html! {
        article.link {
            (end("From", &link.origin))
            (end("To", &link.destination))
            dl {
                dt { "Type" } dd { (link.association_type) }
                dt { "Strength" } dd { (link.strength) }
                @if !link.note.is_empty() { dt { "Rationale" } dd { (link.note) } }
                dt { "Status" } dd.status { (f.link.status.symbol()) " " (f.link.status) }
                dt { "To agree" } dd { (view.rule.describe()) }
            }
            h2 { "Votes so far" }
            @if f.link.ballots.is_empty() { p { "No votes yet." } }
            ul.votes {
                @for b in &f.link.ballots {
                    li { (b.participant) " (" (b.role) "): " strong { (b.vote) } }
                }
            }
            @if let Some(v) = mine { p.mine { "Your vote: " strong { (v) } } }
        }
        @if may(me, Act::Vote(Vote::Accept)) {
            section.act {
                h2 { "Your vote" }
                form method="post" action="/p/vote" {
                    (hidden(&view.csrf, "link", id, decided))
                    button.accept name="vote" value="accept" { "Accept" }
                    button.reject name="vote" value="reject" { "Reject" }
                }
                form method="post" action="/p/vote" {
                    (hidden(&view.csrf, "link", id, decided))
                    label for="reason" { "Dispute: what is wrong with this link?" }
                    textarea #reason name="reason" required maxlength=(MAX_TEXT) {}
                    button.dispute name="vote" value="dispute" { "Dispute" }
                }
            }
        }
        section.thread {
            h2 { "Comments" }
            @if f.comments.is_empty() { p { "No comments yet." } }
            ol.comments {
                @for c in &f.comments {
                    li { strong { (c.author.as_deref().unwrap_or("someone")) } ": " (c.text) }
                }
            }
            @if may(me, Act::Comment) {
                form method="post" action="/p/comment" {
                    (hidden(&view.csrf, "link", id, commented))
                    label for="comment" { "Add a comment" }
                    textarea #comment name="text" required maxlength=(MAX_TEXT) {}
                    button { "Comment" }
                }
            }
        }
        @if let Some(c) = &f.competency {
            @if me.role == Role::EmployerSme || me.role == Role::Facilitator {
                (competency(view, c, f.standing.as_ref(), decided))
            }
        }
    }
}

fn competency(view: &View, c: &LinkEnd, standing: Option<&Validation>, back: Back) -> Markup {
    let mine = standing
        .into_iter()
        .flat_map(|s| &s.verdicts)
        .find(|v| v.by.as_deref() == Some(view.me.name.as_str()));
    html! {
        section.competency {
            h2 { "The competency: " span.code { (c.label()) } }
            p.statement { (c.statement) }
            p { "Standing: " @match standing { Some(s) => (s.describe()), None => "not judged yet" } }
            @if let Some(v) = mine { p.mine { "Your verdict: " strong { (v.verdict.words()) } } }
            @if may(&view.me, Act::Validate(Verdict::Validated)) {
                form method="post" action="/p/validate" {
                    (hidden(&view.csrf, "item", &c.item_identifier, back))
                    button.accept name="verdict" value="validated" { "Validated" }
                    button.reject name="verdict" value="not-relevant" { "Not relevant" }
                }
                form method="post" action="/p/validate" {
                    (hidden(&view.csrf, "item", &c.item_identifier, back))
                    label for="revise" { "Needs revision: what should change?" }
                    textarea #revise name="comment" required maxlength=(MAX_TEXT) {}
                    button.dispute name="verdict" value="needs-revision" { "Needs revision" }
                }
            }
        }
    }
}

/// The fields every form carries: the CSRF token, what it is about, where to go after.
pub(super) fn hidden(csrf: &str, name: &str, value: &str, back: Back) -> Markup {
    html! {
        input type="hidden" name="csrf" value=(csrf);
        input type="hidden" name=(name) value=(value);
        @if back != Back::Page { input type="hidden" name="back" value=(back.as_str()); }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_links_path_keeps_any_identifier_in_one_segment() {
        assert_eq!(
            link_path("2f1c-ab_9~"),
            "/p/link/2f1c-ab_9~",
            "UUIDs read as they are"
        );
        assert_eq!(
            link_path("../a/b c?d#é"),
            "/p/link/%2E%2E%2Fa%2Fb%20c%3Fd%23%C3%A9"
        );
    }

    #[test]
    fn a_forms_back_field_names_a_page_never_a_place() {
        assert_eq!(Back::from_form("queue").path("x"), "/p/queue");
        assert_eq!(Back::from_form("link").path("a/b"), "/p/link/a%2Fb");
        assert_eq!(Back::from_form("link").path(""), "/p/queue");
        for other in ["", "page", "//evil.example", "https://evil.example/"] {
            assert_eq!(Back::from_form(other).path("x"), "/p");
        }
    }
}
