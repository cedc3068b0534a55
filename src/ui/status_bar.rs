//! Two lines at the bottom: the mode with the keys that matter now (or a message, or
//! the search query), then the counts and the progress as a person reads it.
use super::text::{sanitize, width};
use crate::app::{Action, Focus, Popup, Section, State, Step, Tone};
use crate::model::LinkStatus;
use ratatui::buffer::Buffer;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};

pub fn mode(state: &State) -> &'static str {
    match &state.popup {
        Some(Popup::Help { .. }) => "HELP",
        Some(Popup::Log { .. }) => "LOG",
        Some(Popup::Invite(_)) => "INVITE",
        Some(Popup::Picker(_)) => "PICK",
        Some(Popup::Link(_)) => "LINK",
        Some(Popup::Choice(_)) => "CHOOSE",
        Some(Popup::Remark(_)) => "TYPE",
        Some(Popup::Links(_)) => "LINKS",
        Some(Popup::Jump(_)) => "JUMP",
        None if state.search.as_ref().is_some_and(|s| s.typing) => "SEARCH",
        None if state.matrix.is_some() => "MATRIX",
        None if state.focus_view => "FOCUS",
        None if state.focus == Focus::Detail => "DETAIL",
        None if state.focus == Focus::Suggest => "SUGGEST",
        None => "BROWSE",
    }
}

/// (section, action, label) of the hints for the current mode.
fn hints(state: &State) -> &'static [(Section, Action, &'static str)] {
    use Action::{
        Back, Cancel, DeleteLink, Down, EditLink, FilterUnlinked, FocusDetail, Jump, Link, NextHit,
        NoEquivalent, PrevHit, Quit, Renote, Restrength, Retype, Search, Select, Submit,
        SwitchPane, Undo,
    };
    use Section::{Detail, Global, Input, Menu, Tree};
    match &state.popup {
        Some(Popup::Help { .. } | Popup::Log { .. }) => &[
            (Section::Help, Down, "scroll"),
            (Section::Help, Cancel, "close"),
        ],
        Some(Popup::Invite(_)) => &[(Section::Help, Cancel, "close")],
        Some(Popup::Link(f)) if f.step == Step::Note => {
            &[(Input, Submit, "save"), (Input, Cancel, "cancel")]
        }
        Some(Popup::Remark(_)) => &[(Input, Submit, "save"), (Input, Cancel, "cancel")],
        Some(Popup::Jump(_)) => &[
            (Input, Action::Complete, "complete"),
            (Input, Submit, "go"),
            (Input, Cancel, "cancel"),
        ],
        Some(Popup::Links(_)) => &[
            (Section::Links, Down, "move"),
            (Section::Links, Select, "go to"),
            (Section::Links, Action::SortLinks, "sort"),
            (Section::Links, Action::StatusFilter, "status"),
            (Section::Links, Retype, "type"),
            (Section::Links, Restrength, "strength"),
            (Section::Links, Action::FilterAuthor, "author"),
            (Section::Links, Cancel, "close"),
        ],
        Some(_) => &[
            (Menu, Down, "next"),
            (Menu, Select, "choose"),
            (Menu, Cancel, "cancel"),
        ],
        None if state.matrix.is_some() => &[
            (Section::Matrix, Down, "move"),
            (Section::Matrix, Action::Finer, "finer"),
            (Section::Matrix, Action::Coarser, "coarser"),
            (Section::Matrix, Jump, "go to"),
            (Section::Matrix, Back, "back"),
            (Global, Undo, "undo"),
            (Global, Action::Help, "help"),
        ],
        None if state.focus == Focus::Detail && state.session.is_running() => &[
            (Detail, Down, "next link"),
            (Detail, Action::Accept, "accept"),
            (Detail, Action::Dispute, "dispute"),
            (Detail, Action::RejectLink, "reject"),
            (Detail, Action::Comment, "comment"),
            (Global, Action::NextOpen, "next open"),
            (Detail, EditLink, "edit"),
            (Global, Undo, "undo"),
            (Detail, Back, "back"),
        ],
        None if state.focus == Focus::Detail => &[
            (Detail, Down, "next link"),
            (Detail, EditLink, "edit"),
            (Detail, Retype, "type"),
            (Detail, Restrength, "strength"),
            (Detail, Renote, "note"),
            (Detail, DeleteLink, "delete"),
            (Detail, Jump, "go to"),
            (Global, Undo, "undo"),
            (Detail, Back, "back"),
        ],
        None if state.focus == Focus::Suggest => &[
            (Section::Suggest, Down, "next"),
            (Section::Suggest, Action::AcceptSuggestion, "accept (link)"),
            (Section::Suggest, Action::RejectSuggestion, "reject"),
            (Global, Undo, "undo"),
            (Section::Suggest, Back, "back"),
        ],
        None if state
            .search
            .as_ref()
            .is_some_and(|s| state.focus == Focus::Pane(s.pane)) =>
        {
            &[
                (Tree, NextHit, "next hit"),
                (Tree, PrevHit, "previous"),
                (Tree, Link, "link"),
                (Tree, Cancel, "end search"),
                (Global, Action::Help, "help"),
            ]
        }
        None if state.session.is_running() => &[
            (Global, Action::NextOpen, "next open link"),
            (Tree, Action::Accept, "accept"),
            (Tree, Action::Dispute, "dispute"),
            (Tree, Link, "link"),
            (Tree, FocusDetail, "links"),
            (Tree, Action::Validate, "validate"),
            (Tree, Action::StatusFilter, "status filter"),
            (Global, Action::Matrix, "matrix"),
            (Global, Action::SwitchParticipant, "who"),
            (Global, Undo, "undo"),
            (Global, Action::Help, "help"),
        ],
        None => &[
            (Tree, Link, "link"),
            (Tree, SwitchPane, "other pane"),
            (Tree, Jump, "jump"),
            (Tree, Search, "search"),
            (Tree, FocusDetail, "edit links"),
            (Global, Undo, "undo"),
            (Global, Action::Help, "help"),
            (Tree, NoEquivalent, "no equivalent"),
            (Tree, FilterUnlinked, "undecided"),
            (Tree, Action::ToggleSuggestions, "suggestions"),
            (Global, Quit, "quit"),
        ],
    }
}

/// The link count; while a session runs, by status (symbol and colour).
fn links_group(state: &State) -> Vec<Span<'static>> {
    let theme = state.theme();
    let p = &state.progress;
    let plural = if p.links == 1 { "" } else { "s" };
    if !state.session.is_running() {
        return vec![Span::styled(
            format!(" │ ● {} link{plural}", p.links),
            theme.status,
        )];
    }
    let mut out = vec![Span::styled(
        format!(" │ {} link{plural}:", p.links),
        theme.status,
    )];
    for s in LinkStatus::ALL {
        out.push(Span::styled(
            format!(" {}{} {s}", s.symbol(), p.by_status[*s as usize]),
            theme.status.patch(theme.link_status(*s)),
        ));
    }
    out
}

pub fn draw(state: &State, area: Rect, buf: &mut Buffer) -> Option<Position> {
    let theme = state.theme();
    buf.set_style(area, theme.status);
    let mut cursor = None;
    let mut top = vec![
        Span::styled(format!(" {} ", mode(state)), theme.mode),
        Span::raw(" "),
    ];
    let searching = state
        .search
        .as_ref()
        .filter(|s| s.typing && state.popup.is_none());
    if let Some(Popup::Jump(j)) = &state.popup {
        top.push(Span::styled(":", theme.key));
        let before: String = j.query.text.chars().take(j.query.cursor).collect();
        let x = area.x + width(&format!(" {} :", mode(state))) as u16 + 1;
        cursor = Some(Position {
            x: (x + width(&before) as u16).min(area.right().saturating_sub(1)),
            y: area.y,
        });
        top.push(Span::styled(
            sanitize(&j.query.text).into_owned(),
            theme.status,
        ));
        let shown: Vec<String> = j
            .matches
            .iter()
            .take(crate::app::JUMP_SHOWN)
            .map(|&(p, i)| sanitize(&state.panes[p].fw.items[i].code).into_owned())
            .collect();
        let more = j.matches.len().saturating_sub(shown.len());
        let text = match (j.query.text.trim().is_empty(), shown.is_empty()) {
            (true, _) => "  type the start of a code · Tab completes · Enter goes".to_string(),
            (false, true) => "  ✗ no code starts so".to_string(),
            (false, false) if more > 0 => format!("  → {} (+{more} more)", shown.join("  ")),
            (false, false) => format!("  → {}", shown.join("  ")),
        };
        top.push(Span::styled(text, theme.muted));
    } else if let Some(s) = searching {
        top.push(Span::styled("/", theme.key));
        let before: String = s.query.text.chars().take(s.query.cursor).collect();
        let x = area.x + super::text::width(&format!(" {} /", mode(state))) as u16 + 1;
        cursor = Some(Position {
            x: (x + super::text::width(&before) as u16).min(area.right().saturating_sub(1)),
            y: area.y,
        });
        top.push(Span::styled(
            sanitize(&s.query.text).into_owned(),
            theme.status,
        ));
        let n = s.hits.len();
        let count = match n {
            _ if s.query.text.trim().is_empty() => {
                "  type to search code and statement".to_string()
            }
            0 => "  ✗ no match".to_string(),
            _ => format!(
                "  {} · ↑↓ walk · Enter keep · Esc leave",
                crate::app::plural(n, "hit", "hits")
            ),
        };
        let count = if s.other_hits > 0
            && !s.query.text.trim().is_empty()
            && s.other_for == s.query.text.trim()
        {
            format!("{count} · Tab: {} in the other pane", s.other_hits)
        } else {
            count
        };
        top.push(Span::styled(count, theme.muted));
    } else if let Some(m) = &state.message {
        let (sym, style) = match m.tone {
            Tone::Info => ("ℹ ", theme.status),
            Tone::Done => ("✓ ", theme.ok),
            Tone::Error => ("⚠ ", theme.error),
        };
        let text = format!("{sym}{}", sanitize(&m.text));
        let lead: usize = top.iter().map(|s| s.width()).sum();
        let room = (area.width as usize).saturating_sub(lead + 1);
        if width(&text) > room && area.height > 1 && room > 10 {
            // Too long for one line: the message takes the counts' line too, so the end
            // of it (often the part that says what to do) is not cut off.
            let lines = super::text::wrap(&text, room);
            top.push(Span::styled(lines[0].to_string(), style));
            buf.set_line(area.x, area.y, &Line::from(top), area.width);
            let rest = lines[1..].join(" ");
            let rest = super::text::truncate(&rest, room);
            buf.set_line(
                area.x + lead as u16,
                area.y + 1,
                &Line::styled(rest.into_owned(), style),
                area.width.saturating_sub(lead as u16),
            );
            return cursor;
        }
        top.push(Span::styled(text, style));
    } else {
        let mut used: usize = top.iter().map(|s| s.width()).sum();
        for (section, action, label) in hints(state) {
            if let Some(k) = state.keymap.first_key(*section, *action) {
                let (k, label) = (k.label(), format!(" {label}  "));
                // Whole hints only: a cut-off hint is worse than none.
                used += width(&k) + width(&label);
                if used > area.width as usize + 2 {
                    break;
                }
                top.push(Span::styled(k, theme.key));
                top.push(Span::styled(label, theme.status));
            }
        }
    }
    // One line (presentation mode): the counts, unless there is something to read or type.
    let counts_only =
        area.height == 1 && searching.is_none() && state.message.is_none() && state.popup.is_none();
    if !counts_only {
        buf.set_line(area.x, area.y, &Line::from(top), area.width);
    }
    let p = &state.progress;
    let mut groups = Vec::new();
    if state.session.is_running() {
        let who = match &state.session.actor {
            Some(a) => format!(" as {} ({})", a.name, a.role),
            None => " nobody at the keyboard".into(),
        };
        groups.push(vec![
            Span::styled(sanitize(&who).into_owned(), theme.key),
            Span::styled(" │", theme.status),
        ]);
    }
    groups.extend([
        vec![
            Span::styled(" decided: outcomes ", theme.status),
            Span::styled(
                format!("{}/{}", p.outcomes_decided(), p.outcomes),
                theme.key,
            ),
            Span::styled(" · competencies ", theme.status),
            Span::styled(
                format!("{}/{}", p.competencies_decided(), p.competencies),
                theme.key,
            ),
        ],
        links_group(state),
        vec![Span::styled(
            format!(
                " │ ○ undecided: {}, {}",
                crate::app::plural(p.outcomes_undecided(), "outcome", "outcomes"),
                crate::app::plural(p.competencies_undecided(), "competency", "competencies")
            ),
            theme.status,
        )],
    ]);
    let marked = p.outcomes_marked + p.competencies_marked;
    if marked > 0 {
        groups.push(vec![Span::styled(
            format!(" │ ⊘ {marked} no equivalent"),
            theme.status,
        )]);
    }
    let n = state.history.done.len();
    if n > 0 {
        groups.push(vec![Span::styled(
            format!(" │ ✎ {n} change{}", if n == 1 { "" } else { "s" }),
            theme.status,
        )]);
    }
    let mut bottom = Vec::new();
    let mut used = 0;
    for (k, group) in groups.into_iter().enumerate() {
        used += group.iter().map(|s| s.width()).sum::<usize>();
        if k > 0 && used > area.width as usize {
            break;
        }
        bottom.extend(group);
    }
    if area.height > 1 {
        buf.set_line(area.x, area.y + 1, &Line::from(bottom), area.width);
    } else if counts_only {
        buf.set_line(area.x, area.y, &Line::from(bottom), area.width);
    }
    cursor
}
