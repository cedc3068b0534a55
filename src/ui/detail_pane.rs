//! The selected item in full: code, type, keywords, the whole statement wrapped (never
//! cut off; the pane scrolls), then its links with type, strength and rationale.
use super::layout::inner;
use super::text::{sanitize, truncate, width, wrap};
use crate::app::{Action, Focus, ScreenLink, Section, State, verdict_mark};
use crate::model::{HistoryEntry, Side, Verdict, percent};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Widget;

pub struct Content<'a> {
    pub lines: Vec<Line<'a>>,
    /// First line of each link, in `Selection::links` order.
    pub link_rows: Vec<usize>,
}

/// The pane's lines for a text width of `w` cells.
pub fn content(state: &State, w: usize) -> Content<'_> {
    let theme = state.theme();
    let mut lines = Vec::new();
    let mut link_rows = Vec::new();
    let sel = &state.selection;
    let pane = &state.panes[sel.pane];
    let Some(i) = sel.item else {
        lines.push(Line::styled("nothing selected", theme.muted));
        return Content { lines, link_rows };
    };
    let it = &pane.fw.items[i];
    let mut head = vec![Span::styled(
        if it.code.is_empty() {
            "(no code)"
        } else {
            it.code.as_str()
        },
        theme.code,
    )];
    if !it.item_type.is_empty() {
        head.push(Span::styled(format!("  {}", it.item_type), theme.muted));
    }
    let n = sel.links.len();
    let group = !pane.fw.is_leaf(i);
    head.push(match (n, it.no_equivalent) {
        (0, true) => Span::styled("  ⊘ no equivalent on the other side", theme.marked),
        // A group is judged by its leaves, not by links of its own.
        (0, false) if group => Span::styled(
            match percent(pane.covered[i] as usize, pane.counted[i] as usize) {
                Some(p) => format!(
                    "  {p:.0}% covered: {} of {} counted below",
                    pane.covered[i], pane.counted[i]
                ),
                None => "  nothing counted below".into(),
            },
            theme.muted,
        ),
        (0, false) => Span::styled("  ○ no link yet", theme.unlinked),
        (1, _) => Span::styled("  ● 1 link", theme.badge),
        _ => Span::styled(format!("  ● {n} links"), theme.badge),
    });
    if let Some(v) = state.session.verdicts.get(&it.identifier) {
        let by =
            v.by.as_deref()
                .map_or(String::new(), |b| format!(" by {b}"));
        let style = match v.verdict {
            Verdict::Validated => theme.ok,
            Verdict::NeedsRevision => theme.warn,
            Verdict::NotRelevant => theme.muted,
        };
        let said = if v.contested {
            format!("  {} verdicts differ", verdict_mark(v.verdict))
        } else {
            format!("  {} {}{by}", verdict_mark(v.verdict), v.verdict.words())
        };
        head.push(Span::styled(said, style));
    } else if state.session.is_running() && pane.fw.side == Side::Employer {
        head.push(Span::styled("  not yet validated", theme.muted));
    }
    lines.push(Line::from(head));
    if let Some(v) = state.session.verdicts.get(&it.identifier) {
        if v.contested {
            // Each expert's say, so the room sees what it has to settle.
            for e in &v.verdicts {
                let who = e.by.as_deref().unwrap_or("unnamed");
                let why = if e.comment.is_empty() {
                    String::new()
                } else {
                    format!(": {}", e.comment)
                };
                let text = format!("{who}: {}{why}", e.verdict.words());
                for l in wrap(&sanitize(&text), w) {
                    lines.push(Line::styled(l.to_string(), theme.warn));
                }
            }
        } else if !v.comment.is_empty() {
            let what = if v.verdict == Verdict::NeedsRevision {
                "revise"
            } else {
                "comment"
            };
            for l in wrap(&format!("{what}: {}", sanitize(&v.comment)), w) {
                lines.push(Line::styled(l.to_string(), theme.warn));
            }
        }
    }
    for l in wrap(&it.statement, w) {
        lines.push(Line::styled(l, theme.base));
    }
    if !it.keywords.is_empty() {
        let kw = format!("keywords: {}", it.keywords.join(", "));
        for l in wrap(&kw, w) {
            lines.push(Line::styled(l.to_string(), theme.muted));
        }
    }
    let other = &state.panes[1 - sel.pane];
    let focused = state.focus == Focus::Detail;
    let running = state.session.is_running();
    if n == 0 {
        let key = |a| {
            state
                .keymap
                .first_key(Section::Tree, a)
                .map(|k| k.label())
                .unwrap_or_default()
        };
        let hint = if it.no_equivalent {
            format!(
                "decided: nothing on the other side matches; {} removes the mark",
                key(Action::NoEquivalent)
            )
        } else {
            format!(
                "select an item on the other side and press {} to link it",
                key(Action::Link)
            )
        };
        for l in wrap(&hint, w) {
            lines.push(Line::styled(l.to_string(), theme.muted));
        }
    }
    for (k, &li) in sel.links.iter().enumerate() {
        let sl = &state.links[li];
        let o = &other.fw.items[sl.ends[1 - sel.pane]];
        let selected = focused && k == state.detail.link;
        let style = if selected { theme.cursor } else { theme.base };
        link_rows.push(lines.len());
        // Links run outcome -> competency whichever side of the screen each is on.
        let mine = &state.panes[sel.pane].fw.items[sl.ends[sel.pane]];
        let arrow = if sl.link.origin.item_identifier == mine.identifier {
            "→"
        } else {
            "←"
        };
        let lead = format!(
            "{} · {} {arrow} ",
            sl.link.association_type, sl.link.strength
        );
        let mut spans = vec![Span::styled(if selected { "▶ " } else { "  " }, style)];
        if running {
            spans.push(Span::styled(
                format!("{} ", sl.status.symbol()),
                if selected {
                    style
                } else {
                    theme.link_status(sl.status)
                },
            ));
        }
        let code = if o.code.is_empty() {
            o.identifier.as_str()
        } else {
            o.code.as_str()
        };
        let code = sanitize(code);
        let room = w.saturating_sub(2 + width(&lead) + width(&code) + 1 + 2 * running as usize);
        let statement = truncate(&o.statement, room);
        spans.extend([
            Span::styled(lead, style),
            Span::styled(code.into_owned(), if selected { style } else { theme.code }),
            Span::styled(format!(" {statement}"), style),
        ]);
        lines.push(Line::from(spans));
        let note = sanitize(&sl.link.note);
        if !note.is_empty() {
            for l in wrap(&format!("“{note}”"), w.saturating_sub(4)) {
                lines.push(Line::styled(
                    format!("    {l}"),
                    theme.muted.add_modifier(Modifier::ITALIC),
                ));
            }
        }
    }
    // The record is read after each action; one read for another selection is not shown.
    let rec = &state.session.record;
    let link = state.detail_link();
    let link_id = link.map_or("", |sl| sl.link.identifier.as_str());
    let current = rec.key.0 == it.identifier && rec.key.1 == link_id;
    // A link's record, once it is chosen (or is the only one).
    if let Some(sl) = link.filter(|_| focused || n == 1) {
        link_record(state, sl, current, w, &mut lines);
    }
    if current && !rec.item_history.is_empty() {
        let code = if it.code.is_empty() {
            &it.identifier
        } else {
            &it.code
        };
        lines.push(Line::styled(
            format!(
                "── history of {} ({})",
                sanitize(code),
                rec.item_history.len()
            ),
            theme.title,
        ));
        history_lines(state, &rec.item_history, w, &mut lines);
    }
    Content { lines, link_rows }
}

/// History entries shown per record: the latest ones (the CLI's `history` has them all).
const HISTORY_SHOWN: usize = 5;

/// The selected link's status, votes, comment thread and history.
fn link_record<'a>(
    state: &'a State,
    sl: &ScreenLink,
    current: bool,
    w: usize,
    lines: &mut Vec<Line<'a>>,
) {
    let theme = state.theme();
    let l = &sl.link;
    let rec = &state.session.record;
    let mut head = vec![Span::styled(
        format!(
            "── {} → {}",
            sanitize(l.origin.label()),
            sanitize(l.destination.label())
        ),
        theme.title,
    )];
    if state.session.is_running() {
        head.push(Span::styled(
            format!(": {} {}", sl.status.symbol(), sl.status),
            theme.link_status(sl.status),
        ));
    }
    lines.push(Line::from(head));
    if state.session.is_running() {
        let votes = match state.session.ballots.get(&l.identifier) {
            Some(b) if !b.is_empty() => b
                .iter()
                .map(|b| format!("{} ({}) {}", b.participant, b.role, b.vote))
                .collect::<Vec<_>>()
                .join(" · "),
            _ => "no votes yet".into(),
        };
        for line in wrap(&format!("votes: {votes}"), w) {
            lines.push(Line::styled(sanitize(line).into_owned(), theme.base));
        }
        lines.push(Line::styled(
            truncate(state.session.rule.describe(), w).into_owned(),
            theme.muted,
        ));
    }
    if !current {
        return;
    }
    for c in &rec.comments {
        let who = c.author.as_deref().unwrap_or("someone");
        let text = format!("» {who}, {}: {}", when(&c.at), c.text);
        for line in wrap(&sanitize(&text), w) {
            lines.push(Line::styled(line.to_string(), theme.base));
        }
    }
    history_lines(state, &rec.link_history, w, lines);
}

/// "2026-11-23 14:05", in UTC as the workshop keeps it.
fn when(t: &time::OffsetDateTime) -> String {
    let format = time::macros::format_description!("[year]-[month]-[day] [hour]:[minute]");
    t.format(&format).unwrap_or_default()
}

fn history_lines<'a>(
    state: &'a State,
    entries: &[HistoryEntry],
    w: usize,
    lines: &mut Vec<Line<'a>>,
) {
    let theme = state.theme();
    let skip = entries.len().saturating_sub(HISTORY_SHOWN);
    if skip > 0 {
        lines.push(Line::styled(
            format!("   … {skip} earlier (crosswalk history)"),
            theme.muted,
        ));
    }
    for e in &entries[skip..] {
        let text = history_line(e, w.saturating_sub(3));
        lines.push(Line::styled(format!("   {text}"), theme.muted));
    }
}

/// One history entry in at most `w` cells: when, who, what.
pub fn history_line(e: &HistoryEntry, w: usize) -> String {
    let who = e
        .actor
        .as_deref()
        .map_or(String::new(), |a| format!("{a}: "));
    let text = format!("{} {who}{}", when(&e.at), e.describe());
    truncate(&sanitize(&text), w).into_owned()
}

fn text_width(state: &State) -> usize {
    inner(state.areas().detail).width as usize
}

/// The detail pane's line count and where each link starts, for `app::Measure`.
pub fn measure(state: &State) -> (usize, Vec<usize>) {
    let c = content(state, text_width(state));
    (c.lines.len(), c.link_rows)
}

pub fn draw(state: &State, area: Rect, buf: &mut Buffer) {
    let theme = state.theme();
    let focused = state.focus == Focus::Detail;
    let c = content(state, inner(area).width as usize);
    let h = inner(area).height as usize;
    let max = c.lines.len().saturating_sub(h);
    let scroll = state.detail.scroll.min(max);
    let rest = if focused { " (links) " } else { " " };
    let mut block = theme.pane_block(focused, "Detail", rest.into());
    if scroll < max {
        block = block.title_bottom(Line::styled(" ↓ more ", theme.muted).right_aligned());
    } else if scroll > 0 {
        block = block.title_bottom(Line::styled(" ↑ more ", theme.muted).right_aligned());
    }
    let inside = block.inner(area);
    block.render(area, buf);
    for (k, line) in c.lines.iter().skip(scroll).take(h).enumerate() {
        buf.set_line(inside.x, inside.y + k as u16, line, inside.width);
    }
}
