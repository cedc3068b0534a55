//! The pages worked through at one's own pace: `/p/queue` (competencies to judge, open
//! links to vote on; a form done, the item is gone) and `/p/coverage` (the learning
//! outcomes, gaps first, each with its links and their status). Observers get both
//! without forms. Rendered with `maud`, so every imported statement is escaped. The
//! queue does not move by itself (no `/p/live.js`): a list worked through at one's own
//! pace stays put under one's thumb, and each answer shows it afresh. Coverage follows
//! the room live, as `/p` does.
use super::pages::{Back, MAX_TEXT, end, header, hidden, layout, link_path, may};
use crate::model::rules::Act;
use crate::model::{
    FrameworkReview, LeafState, LinkEnd, Participant, Queue, SessionLink, Verdict, Vote,
    format_percent,
};
use maud::{Markup, html};

/// `/p/queue`: what `me` has still to say (for an observer: what nobody has yet).
pub fn queue_page(me: &Participant, csrf: &str, queue: &Queue) -> String {
    let judges = may(me, Act::Validate(Verdict::Validated));
    let votes = may(me, Act::Vote(Vote::Accept));
    let watching = !judges && !votes;
    layout(
        "My queue",
        false,
        html! {
            (header(me, "/p/queue"))
            main {
                @if watching {
                    h1 { "Still open" }
                    p { "What nobody has judged or voted on yet. You can follow along; you cannot change anything." }
                } @else {
                    h1 { "My queue" }
                    p { "Work through these at your own pace; each one you answer leaves the list." }
                }
                @if judges || watching {
                    h2 { "Competencies to judge (" (queue.competencies.len()) ")" }
                    @if queue.competencies.is_empty() { p.empty { "None left." } }
                    @for (n, c) in queue.competencies.iter().enumerate() {
                        (competency(c, n, judges.then_some(csrf)))
                    }
                }
                h2 { "Links to vote on (" (queue.links.len()) ")" }
                @if queue.links.is_empty() { p.empty { "None left." } }
                @for l in &queue.links { (link(l, votes.then_some(csrf))) }
            }
        },
    )
    .into_string()
}

/// A competency with the verdict forms when `csrf` is given; `n` keeps ids unique.
fn competency(c: &LinkEnd, n: usize, csrf: Option<&str>) -> Markup {
    let revise = format!("revise-{n}");
    html! {
        section.competency {
            h3 span.code { (c.label()) }
            p.statement { (c.statement) }
            @if let Some(csrf) = csrf {
                form method="post" action="/p/validate" {
                    (hidden(csrf, "item", &c.item_identifier, Back::Queue))
                    button.accept name="verdict" value="validated" { "Validated" }
                    button.reject name="verdict" value="not-relevant" { "Not relevant" }
                }
                form method="post" action="/p/validate" {
                    (hidden(csrf, "item", &c.item_identifier, Back::Queue))
                    label for=(revise) { "Needs revision: what should change?" }
                    textarea id=(revise) name="comment" required maxlength=(MAX_TEXT) {}
                    button.dispute name="verdict" value="needs-revision" { "Needs revision" }
                }
            }
        }
    }
}

/// An open link with accept and reject forms when `csrf` is given; disputing (which
/// needs a reason), the thread and commenting are on the link's own page.
fn link(l: &SessionLink, csrf: Option<&str>) -> Markup {
    let id = &l.link.identifier;
    html! {
        article.link {
            (end("From", &l.link.origin))
            (end("To", &l.link.destination))
            p.status { (l.status.symbol()) " " (l.status) ", " (votes(l.ballots.len())) }
            @if let Some(csrf) = csrf {
                form method="post" action="/p/vote" {
                    (hidden(csrf, "link", id, Back::Queue))
                    button.accept name="vote" value="accept" { "Accept" }
                    button.reject name="vote" value="reject" { "Reject" }
                }
            }
            p { a href=(link_path(id)) { @if csrf.is_some() { "Dispute, discuss, see the votes" } @else { "Votes and comments" } } }
        }
    }
}

fn votes(n: usize) -> String {
    match n {
        0 => "no votes yet".into(),
        1 => "1 vote".into(),
        n => format!("{n} votes"),
    }
}

/// `/p/coverage`: each educator framework's outcomes, those without an agreed link first.
pub fn coverage_page(me: &Participant, reviews: &[FrameworkReview]) -> String {
    layout(
        "Coverage",
        true,
        html! {
            (header(me, "/p/coverage"))
            main {
                h1 { "Coverage of the learning outcomes" }
                p { "Gaps first: outcomes with no agreed link to a competency." }
                @if reviews.is_empty() { p.empty { "No educator framework is in the workshop yet." } }
                @for r in reviews { (framework(r)) }
            }
        },
    )
    .into_string()
}

fn framework(r: &FrameworkReview) -> Markup {
    html! {
        section.framework {
            h2 { (r.title) }
            p { (r.covered) " of " (r.counted) " outcomes covered (" (format_percent(r.percent)) ")" }
            ol.outcomes {
                @for item in &r.items {
                    @let state = item.node.state.unwrap_or(LeafState::Gap);
                    li class=(format!("outcome {}", state.as_str().replace(' ', "-"))) {
                        h3 { span.code { (item.node.label()) } " " span.state { (state.as_str()) } }
                        p.statement { (item.node.statement) }
                        @if item.links.is_empty() { p.empty { "No links." } }
                        ul.links {
                            @for l in &item.links {
                                @let other = partner(l, &r.identifier, &item.node.identifier);
                                li {
                                    span.status { (l.status.symbol()) " " (l.status) } " "
                                    a href=(link_path(&l.link.identifier)) { span.code { (other.label()) } }
                                    p.statement { (other.statement) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// The end of `l` that is not the item `item` of framework `fw`.
fn partner<'a>(l: &'a SessionLink, fw: &str, item: &str) -> &'a LinkEnd {
    let o = &l.link.origin;
    if o.framework_identifier == fw && o.item_identifier == item {
        &l.link.destination
    } else {
        o
    }
}
