//! The link popup's menus: the CASE association type (each with its definition),
//! then the strength.
use super::layout::centered;
use super::text::{sanitize, truncate, wrap};
use crate::app::{LinkFlow, Popup, STRENGTHS, State, Step, Target};
use crate::model::{AssociationType, Strength};
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Widget};

pub fn strength_definition(s: Strength) -> &'static str {
    match s {
        Strength::Major => "the outcome prepares for the competency centrally and substantially",
        Strength::Minor => "the outcome contributes to the competency in part",
    }
}

/// "CHW.1 → EMP.2.3", what the popup is about.
pub fn subject(state: &State, flow: &LinkFlow) -> String {
    let code = |p: usize, i: usize| {
        let it = &state.panes[p].fw.items[i];
        if it.code.is_empty() {
            it.identifier.clone()
        } else {
            it.code.clone()
        }
    };
    let s = match &flow.target {
        Target::Create { left, right } => format!("{} → {}", code(0, *left), code(1, *right)),
        // One item on one side, several on the other: "E1 → J1, J2" (or the reverse).
        Target::CreateMany(pairs) => {
            let side = |p: usize| {
                let mut codes: Vec<String> = pairs
                    .iter()
                    .map(|pr| code(p, if p == 0 { pr.0 } else { pr.1 }))
                    .collect();
                codes.dedup();
                codes.join(", ")
            };
            format!("{} → {}", side(0), side(1))
        }
        Target::Edit(l) => format!("{} → {}", l.origin.label(), l.destination.label()),
    };
    sanitize(&s).into_owned()
}

/// The left and the right item the popup is about, as on screen.
fn ends(state: &State, flow: &LinkFlow) -> Option<[usize; 2]> {
    match &flow.target {
        Target::Create { left, right } => Some([*left, *right]),
        // Several pairs: the statements are in the trees.
        Target::CreateMany(_) => None,
        Target::Edit(l) => state
            .links
            .iter()
            .find(|sl| sl.link.identifier == l.identifier)
            .map(|sl| sl.ends),
    }
}

pub fn step_title(flow: &LinkFlow) -> &'static str {
    match (flow.step, flow.only) {
        (Step::Type, false) => "1/3 association type",
        (Step::Strength, false) => "2/3 strength",
        (Step::Note, false) => "3/3 rationale note",
        (Step::Type, true) => "association type",
        (Step::Strength, true) => "strength",
        (Step::Note, true) => "rationale note",
    }
}

pub fn popup_block<'a>(state: &State, title: String) -> Block<'a> {
    let theme = state.theme();
    Block::bordered()
        .border_style(theme.popup_border)
        .style(theme.popup)
        .title(Line::styled(format!(" {title} "), theme.popup_border))
}

/// Where the wizard's parts go: the popup, the statements above the menu (`top` rows),
/// and the menu's entries.
struct Geometry<'a> {
    rows: Vec<(&'a str, &'a str)>,
    texts: Vec<Vec<String>>,
    col: usize,
    shown: usize,
    top: u16,
    r: Rect,
}

fn geometry<'a>(state: &State, flow: &LinkFlow, area: Rect) -> Option<Geometry<'a>> {
    let rows: Vec<(&str, &str)> = match flow.step {
        Step::Type => AssociationType::LINK_TYPES
            .iter()
            .map(|t| (t.as_str(), t.definition()))
            .collect(),
        Step::Strength => STRENGTHS
            .iter()
            .map(|s| (s.as_str(), strength_definition(*s)))
            .collect(),
        Step::Note => return None,
    };
    // The two statements in full above the menu: the type is chosen by reading them.
    let w = 96.min(area.width);
    let col = (w.saturating_sub(3) / 2) as usize;
    let texts: Vec<Vec<String>> = match ends(state, flow) {
        Some(ends) => (0..2)
            .map(|p| {
                let it = &state.panes[p].fw.items[ends[p]];
                let head = if it.code.is_empty() {
                    &it.identifier
                } else {
                    &it.code
                };
                let text = sanitize(&format!("{head}  {}", it.statement)).into_owned();
                wrap(&text, col).into_iter().map(str::to_string).collect()
            })
            .collect(),
        None => vec![Vec::new(), Vec::new()],
    };
    let spare = area.height.saturating_sub(rows.len() as u16 + 3) as usize;
    let shown = texts.iter().map(Vec::len).max().unwrap_or(0).min(spare);
    let top = if shown > 0 { shown as u16 + 1 } else { 0 };
    let r = centered(area, 96, rows.len() as u16 + 2 + top);
    Some(Geometry {
        rows,
        texts,
        col,
        shown,
        top,
        r,
    })
}

/// Where the wizard's menu entries are on a screen of `area`, for clicks (`app::Measure`).
pub fn entries_area(state: &State) -> Option<Rect> {
    let Some(Popup::Link(flow)) = &state.popup else {
        return None;
    };
    let area = Rect::new(0, 0, state.size.0, state.size.1);
    let g = geometry(state, flow, area)?;
    let inner = crate::app::layout::inner(g.r);
    Some(Rect::new(
        inner.x,
        inner.y + g.top,
        inner.width,
        inner.height.saturating_sub(g.top),
    ))
}

pub fn draw(state: &State, flow: &LinkFlow, area: Rect, buf: &mut Buffer) {
    let theme = state.theme();
    let Some(Geometry {
        rows,
        texts,
        col,
        shown,
        top,
        r,
    }) = geometry(state, flow, area)
    else {
        return;
    };
    Clear.render(r, buf);
    let verb = if matches!(flow.target, Target::Create { .. }) {
        "Link"
    } else {
        "Edit"
    };
    let block = popup_block(
        state,
        format!("{verb} {}: {}", subject(state, flow), step_title(flow)),
    );
    let block = block.title_bottom(Line::styled(
        format!(
            " ↑↓ move · Enter choose · 1-{} pick · Esc cancel ",
            rows.len()
        ),
        theme.muted,
    ));
    let mut inner = block.inner(r);
    block.render(r, buf);
    if shown > 0 {
        for (p, lines) in texts.iter().enumerate() {
            let x = inner.x + p as u16 * (col as u16 + 1);
            for (k, l) in lines.iter().take(shown).enumerate() {
                let mut l = l.clone();
                if k + 1 == shown && lines.len() > shown {
                    l = truncate(&format!("{l} …"), col).into_owned();
                }
                let style = if k == 0 { theme.code } else { theme.popup };
                buf.set_stringn(x, inner.y + k as u16, l, col, style);
            }
        }
        let rule = "─".repeat(inner.width as usize);
        buf.set_stringn(
            inner.x,
            inner.y + shown as u16,
            rule,
            inner.width as usize,
            theme.muted,
        );
        inner = Rect::new(
            inner.x,
            inner.y + top,
            inner.width,
            inner.height.saturating_sub(top),
        );
    }
    let name_w = rows.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
    for (k, (name, def)) in rows.iter().enumerate().take(inner.height as usize) {
        let selected = k == flow.cursor;
        let style = if selected { theme.cursor } else { theme.popup };
        let lead = format!(
            "{} {:>2} {name:<name_w$}  ",
            if selected { "▶" } else { " " },
            k + 1
        );
        let room = (inner.width as usize).saturating_sub(lead.chars().count());
        let line = Line::from(vec![
            Span::styled(lead, style),
            Span::styled(truncate(def, room), style),
        ]);
        let y = inner.y + k as u16;
        buf.set_style(Rect::new(inner.x, y, inner.width, 1), style);
        buf.set_line(inner.x, y, &line, inner.width);
    }
}
