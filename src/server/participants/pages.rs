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

fn layout(title: &str, live: bool, body: Markup) -> Markup {
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

fn role_words(role: Role) -> &'static str {
    match role {
        Role::Facilitator => "facilitator",
        Role::Faculty => "faculty",
        Role::EmployerSme => "employer expert",
        Role::Observer => "observer (you can follow along; you cannot vote or comment)",
    }
}

fn may(me: &Participant, act: Act) -> bool {
    rules::may(Some(me), true, act).is_ok()
}

fn end(title: &str, e: &LinkEnd) -> Markup {
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
            header {
                p.who { "You are " strong { (me.name) } ", " (role_words(me.role)) }
                p #stale hidden { "The discussion has moved on. " a href="/p" { "Show it" } }
            }
            main {
                h1 { "Now discussing" }
                @match &view.focus {
                    None => p.empty { "Nothing is in focus yet. This page changes when the facilitator puts a link in front of the room." },
                    Some(f) => (focus(view, f)),
                }
            }
        },
    )
    .into_string()
}

fn focus(view: &View, f: &Focus) -> Markup {
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
                    (hidden(&view.csrf, "link", id))
                    button.accept name="vote" value="accept" { "Accept" }
                    button.reject name="vote" value="reject" { "Reject" }
                }
                form method="post" action="/p/vote" {
                    (hidden(&view.csrf, "link", id))
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
                    (hidden(&view.csrf, "link", id))
                    label for="comment" { "Add a comment" }
                    textarea #comment name="text" required maxlength=(MAX_TEXT) {}
                    button { "Comment" }
                }
            }
        }
        @if let Some(c) = &f.competency {
            @if me.role == Role::EmployerSme || me.role == Role::Facilitator {
                (competency(view, c, f.standing.as_ref()))
            }
        }
    }
}

fn competency(view: &View, c: &LinkEnd, standing: Option<&Validation>) -> Markup {
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
                    (hidden(&view.csrf, "item", &c.item_identifier))
                    button.accept name="verdict" value="validated" { "Validated" }
                    button.reject name="verdict" value="not-relevant" { "Not relevant" }
                }
                form method="post" action="/p/validate" {
                    (hidden(&view.csrf, "item", &c.item_identifier))
                    label for="revise" { "Needs revision: what should change?" }
                    textarea #revise name="comment" required maxlength=(MAX_TEXT) {}
                    button.dispute name="verdict" value="needs-revision" { "Needs revision" }
                }
            }
        }
    }
}

fn hidden(csrf: &str, name: &str, value: &str) -> Markup {
    html! {
        input type="hidden" name="csrf" value=(csrf);
        input type="hidden" name=(name) value=(value);
    }
}
