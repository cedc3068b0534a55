//! The coverage matrix: outcomes (or their groups) down, competencies (or their groups)
//! across, each cell marked by the status of the links between them. At level L the
//! rows are the left items at depth L plus the leaves above it (so every leaf is in
//! exactly one row, by itself or its ancestor), the columns likewise on the right.
//! Lines and cells are built when the matrix opens, the level changes or the links
//! change (`refresh`, by the state's generation), never per frame.
use super::Action;
use super::layout::window;
use super::matrix_layout::{CELL, HEADER_MAX, Layout, body, header_rows, layout, shared_prefix};
use super::session::{headline_status, status_bit};
use super::state::{Focus, LEFT, RIGHT, State, Tone};
use crate::model::{Framework, LinkStatus};
use crate::store::Workshop;
use std::collections::HashMap;

/// `line_of` a group above the level: it spans several lines, so it has none.
pub const NONE: u32 = u32::MAX;

/// The links in one cell, counted by status (indexed by `LinkStatus as usize`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Cell {
    pub counts: [u32; 4],
}

impl Cell {
    pub fn total(&self) -> u32 {
        self.counts.iter().sum()
    }

    /// The cell's mark: the status that most needs the room's attention.
    pub fn headline(&self) -> Option<LinkStatus> {
        let bits = LinkStatus::ALL
            .iter()
            .filter(|&&s| self.counts[s as usize] > 0)
            .fold(0, |b, &s| b | status_bit(s));
        headline_status(bits)
    }
}

/// What the lines and cells were built from: frameworks (row id, item count) and links.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct Built {
    frameworks: [(i64, usize); 2],
    links: usize,
    generation: u64,
}

impl Built {
    fn of(state: &State) -> Built {
        let fw = |p: usize| (state.panes[p].fw.id, state.panes[p].fw.items.len());
        Built {
            frameworks: [fw(LEFT), fw(RIGHT)],
            links: state.links.len(),
            generation: state.generation,
        }
    }
}

/// The matrix view's place. Index 0 of each pair is the rows (left framework), 1 the
/// columns (right framework), as `LEFT` and `RIGHT`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Matrix {
    /// The depth shown (0: top-level items).
    pub level: u16,
    /// The deepest level either framework has.
    pub max_level: u16,
    /// The level it opened at: once the person changes it, the screen remembers theirs.
    pub opened_at: u16,
    /// Row items and column items, in tree order.
    pub lines: [Vec<usize>; 2],
    /// Each item's row (or column): its own, its ancestor's at the level, or `NONE`.
    pub line_of: [Vec<u32>; 2],
    /// Only cells with links, keyed by (row, column).
    pub cells: HashMap<(u32, u32), Cell>,
    /// Links with an end on a group above the level: in no cell until it is coarser.
    pub above: usize,
    /// Rows the column codes take, written downwards.
    pub header: u16,
    /// Bytes of code every column shares, shown once (see `matrix_layout::shared_prefix`).
    pub prefix: usize,
    pub cursor: [usize; 2],
    /// First row and column drawn.
    pub scroll: [usize; 2],
    /// The items the cursor was last put on: a level change keeps the cursor on the
    /// lines holding them, so coarser then finer comes back to where it was.
    anchor: [Option<usize>; 2],
    built: Built,
}

/// Items at depth `level` and the leaves above it, in tree order, and each item's line.
fn lines(fw: &Framework, level: u16) -> (Vec<usize>, Vec<u32>) {
    let mut lines = Vec::new();
    let mut of = vec![NONE; fw.items.len()];
    for (i, it) in fw.items.iter().enumerate() {
        of[i] = if it.depth == level || (it.depth < level && fw.is_leaf(i)) {
            lines.push(i);
            (lines.len() - 1) as u32
        } else if it.depth > level {
            // Pre-order: the parent's line is known already.
            it.parent.and_then(|p| of.get(p).copied()).unwrap_or(NONE)
        } else {
            NONE
        };
    }
    (lines, of)
}

/// How many lines each level 0..levels has: items at that depth plus leaves above it.
fn line_counts(fw: &Framework, levels: usize) -> Vec<usize> {
    let (mut at, mut leaves) = (vec![0; levels], vec![0; levels]);
    for (i, it) in fw.items.iter().enumerate() {
        let d = it.depth as usize;
        if d < levels {
            at[d] += 1;
            leaves[d] += fw.is_leaf(i) as usize;
        }
    }
    let mut above = 0;
    (0..levels)
        .map(|l| {
            let n = at[l] + above;
            above += leaves[l];
            n
        })
        .collect()
}

impl Matrix {
    /// A matrix at the deepest level that fits on screen whole (the top level if none
    /// does), its cursor on the lines holding the trees' cursor items.
    fn new(state: &State) -> Matrix {
        let max_level = state
            .panes
            .iter()
            .flat_map(|p| p.fw.items.iter().map(|it| it.depth))
            .max()
            .unwrap_or(0);
        let fits = layout(body(state), HEADER_MAX);
        let levels = max_level as usize + 1;
        let [rows, cols] = [LEFT, RIGHT].map(|p| line_counts(&state.panes[p].fw, levels));
        // The level it was left at, if the person chose one; else the finest that fits.
        let level = state
            .matrix_level
            .map(|l| l.min(max_level))
            .unwrap_or_else(|| {
                (0..levels)
                    .rev()
                    .find(|&l| rows[l] <= fits.rows && cols[l] <= fits.cols)
                    .unwrap_or(0) as u16
            });
        let mut m = Matrix {
            level,
            opened_at: level,
            max_level,
            anchor: [state.panes[LEFT].item(), state.panes[RIGHT].item()],
            ..Matrix::default()
        };
        m.build(state);
        m
    }

    pub fn rows(&self) -> &[usize] {
        &self.lines[LEFT]
    }

    pub fn columns(&self) -> &[usize] {
        &self.lines[RIGHT]
    }

    pub fn cell(&self, row: usize, col: usize) -> Cell {
        self.cells
            .get(&(row as u32, col as u32))
            .copied()
            .unwrap_or_default()
    }

    /// The row item and the column item under the cursor.
    pub fn at_cursor(&self) -> [Option<usize>; 2] {
        [LEFT, RIGHT].map(|p| self.lines[p].get(self.cursor[p]).copied())
    }

    /// The line of item `i` on side `p` (`NONE` when out of range or above the level).
    pub fn line(&self, p: usize, i: usize) -> u32 {
        self.line_of[p].get(i).copied().unwrap_or(NONE)
    }

    /// Lines at the level, cells, and the cursor back on the anchors.
    fn build(&mut self, state: &State) {
        for p in [LEFT, RIGHT] {
            (self.lines[p], self.line_of[p]) = lines(&state.panes[p].fw, self.level);
        }
        let fw = &state.panes[RIGHT].fw;
        self.prefix = shared_prefix(fw, &self.lines[RIGHT]);
        self.header = header_rows(fw, &self.lines[RIGHT], self.prefix);
        self.count(state);
        for p in [LEFT, RIGHT] {
            // A group above the level has no line: the first line of its subtree.
            self.cursor[p] = self.anchor[p]
                .and_then(|i| self.line_of[p].get(i..))
                .and_then(|rest| rest.iter().find(|&&l| l != NONE))
                .map_or(0, |&l| l as usize);
        }
    }

    /// Every link into its cell: one pass over the links.
    fn count(&mut self, state: &State) {
        self.cells.clear();
        self.above = 0;
        for sl in &state.links {
            let (r, c) = (self.line(LEFT, sl.ends[0]), self.line(RIGHT, sl.ends[1]));
            if r == NONE || c == NONE {
                self.above += 1;
                continue;
            }
            self.cells.entry((r, c)).or_default().counts[sl.status as usize] += 1;
        }
        self.built = Built::of(state);
        for p in [LEFT, RIGHT] {
            self.cursor[p] = self.cursor[p].min(self.lines[p].len().saturating_sub(1));
        }
    }

    /// Moves the cursor on side `p` and makes its item the anchor.
    fn go(&mut self, p: usize, to: usize) {
        self.cursor[p] = to.min(self.lines[p].len().saturating_sub(1));
        self.anchor[p] = self.lines[p].get(self.cursor[p]).copied();
    }

    fn step(&mut self, p: usize, delta: isize) {
        self.go(p, self.cursor[p].saturating_add_signed(delta));
    }

    /// Scrolls so the cursor is in view.
    fn fit(&mut self, lay: &Layout) {
        for (p, shown) in [(LEFT, lay.rows), (RIGHT, lay.cols)] {
            self.scroll[p] = window(self.scroll[p], self.cursor[p], self.lines[p].len(), shown);
        }
    }
}

/// Opens the matrix over the two frameworks on screen.
pub fn open(state: &mut State) {
    let m = Matrix::new(state);
    let key = |a| {
        state
            .keymap
            .first_key(super::Section::Matrix, a)
            .map(|k| k.label())
            .unwrap_or_default()
    };
    let text = format!(
        "coverage matrix, level {} of {}: {} finer · {} coarser · {} go to the cell · {} back",
        m.level + 1,
        m.max_level + 1,
        key(Action::Finer),
        key(Action::Coarser),
        key(Action::Jump),
        key(Action::Back)
    );
    state.matrix = Some(m);
    state.say(Tone::Info, text);
}

/// Rebuilds what changed since the matrix was built: everything for other frameworks
/// (item indices then mean other items), the cells for other links or statuses.
/// A comparison when nothing did; `update` calls it after every action.
pub fn refresh(state: &mut State) {
    let Some(m) = &state.matrix else { return };
    if m.level != m.opened_at {
        state.matrix_level = Some(m.level);
    }
    let now = Built::of(state);
    if now.frameworks != m.built.frameworks {
        state.matrix = Some(Matrix::new(state));
    } else if now != m.built {
        let mut m = state.matrix.take().unwrap_or_default();
        m.count(state);
        state.matrix = Some(m);
    }
}

/// A key while the matrix is open.
pub fn handle(state: &mut State, _ws: &mut Workshop, action: Action) {
    let Some(mut m) = state.matrix.take() else {
        return;
    };
    let lay = layout(body(state), m.header);
    let page = lay.rows.max(2) as isize - 1;
    match action {
        Action::Back | Action::Matrix => return,
        Action::Jump => return jump(state, &m),
        Action::Up => m.step(LEFT, -1),
        Action::Down => m.step(LEFT, 1),
        Action::Left => m.step(RIGHT, -1),
        Action::Right => m.step(RIGHT, 1),
        Action::PageUp => m.step(LEFT, -page),
        Action::PageDown => m.step(LEFT, page),
        Action::First => m.go(LEFT, 0),
        Action::Last => m.go(LEFT, usize::MAX),
        Action::Finer | Action::Coarser => {
            let level = if action == Action::Finer {
                (m.level + 1).min(m.max_level)
            } else {
                m.level.saturating_sub(1)
            };
            if level == m.level {
                state.say(
                    Tone::Info,
                    if action == Action::Finer {
                        "the finest level already: every leaf has its own row and column"
                    } else {
                        "the coarsest level already: top-level items"
                    },
                );
            } else {
                m.level = level;
                m.build(state);
                state.say(
                    Tone::Info,
                    format!(
                        "level {} of {}: {} × {}",
                        level + 1,
                        m.max_level + 1,
                        m.rows().len(),
                        m.columns().len()
                    ),
                );
            }
        }
        _ => {}
    }
    // A level change changes the header, so the layout too.
    let lay = layout(body(state), m.header);
    m.fit(&lay);
    state.matrix = Some(m);
}

/// Closes the matrix on the trees: the cell's row item on the left, its column item
/// on the right, or, for a cell of one link, that link's two ends with the detail
/// pane on it.
fn jump(state: &mut State, m: &Matrix) {
    let [Some(row), Some(col)] = m.at_cursor() else {
        return;
    };
    let inside: Vec<usize> = (0..state.links.len())
        .filter(|&k| {
            let [a, b] = state.links[k].ends;
            [m.line(LEFT, a), m.line(RIGHT, b)] == m.cursor.map(|c| c as u32)
        })
        .collect();
    let single = (inside.len() == 1).then(|| inside[0]);
    let targets = single.map_or([row, col], |k| state.links[k].ends);
    let h = state.tree_height();
    for p in [LEFT, RIGHT] {
        state.panes[p].reveal(targets[p], h);
    }
    state.active = LEFT;
    state.focus = Focus::Pane(LEFT);
    state.reselect();
    if let Some(at) = single.and_then(|k| state.selection.links.iter().position(|&l| l == k)) {
        state.detail.link = at;
        state.focus = Focus::Detail;
        state.follow_link();
    } else if inside.len() > 1 {
        state.say(
            Tone::Info,
            format!(
                "{} links in that cell: under the two items shown",
                inside.len()
            ),
        );
    }
}

/// A click on a cell, a row label or a column code moves the cursor there.
pub fn click(state: &mut State, x: u16, y: u16) {
    let area = body(state);
    let Some(m) = &mut state.matrix else { return };
    let lay = layout(area, m.header);
    let start = [
        window(
            m.scroll[LEFT],
            m.cursor[LEFT],
            m.lines[LEFT].len(),
            lay.rows,
        ),
        window(
            m.scroll[RIGHT],
            m.cursor[RIGHT],
            m.lines[RIGHT].len(),
            lay.cols,
        ),
    ];
    let in_rows = (lay.grid.y..lay.grid.y + lay.rows as u16).contains(&y);
    let in_cols = (lay.grid.x..lay.grid.x + lay.cols as u16 * CELL).contains(&x);
    let row = start[LEFT] + y.saturating_sub(lay.grid.y) as usize;
    let col = start[RIGHT] + (x.saturating_sub(lay.grid.x) / CELL) as usize;
    let on_label = (lay.labels.x..lay.labels.right()).contains(&x);
    if in_rows && (in_cols || on_label) && row < m.lines[LEFT].len() {
        m.go(LEFT, row);
    }
    // The column codes and coverage above the grid pick a column too.
    let above_grid = (lay.inner.y..lay.grid.y).contains(&y);
    if in_cols && (in_rows || above_grid) && col < m.lines[RIGHT].len() {
        m.go(RIGHT, col);
    }
    m.fit(&lay);
}

/// The wheel scrolls the rows, dragging the cursor along only if it would leave them.
pub fn wheel(state: &mut State, down: bool) {
    let area = body(state);
    let Some(m) = &mut state.matrix else { return };
    let shown = layout(area, m.header).rows.max(1);
    let len = m.lines[LEFT].len();
    let start = window(m.scroll[LEFT], m.cursor[LEFT], len, shown);
    m.scroll[LEFT] = if down {
        (start + 3).min(len.saturating_sub(shown))
    } else {
        start.saturating_sub(3)
    };
    let last = (m.scroll[LEFT] + shown - 1).min(len.saturating_sub(1));
    if m.cursor[LEFT] < m.scroll[LEFT] || m.cursor[LEFT] > last {
        let row = m.cursor[LEFT].clamp(m.scroll[LEFT].min(last), last);
        m.go(LEFT, row);
    }
}
