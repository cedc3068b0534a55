//! The coverage matrix: rows and columns at each level, cells by status, the cursor
//! across levels, going to a cell in the trees, the mouse, and what is drawn.
use crossterm::event::{Event, KeyEvent};
use crosswalk::app::{self, Action, Focus, Key, Options, State};
use crosswalk::model::{Framework, LinkStatus, Role, Side, Vote};
use crosswalk::store::{NewLink, Workshop};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use ratatui::layout::Rect;

mod screen;
use screen::{framework, import};

/// Three levels, with leaves at each: COM at the top, SAF.2 in the middle.
fn outcomes() -> Framework {
    framework(
        "edu",
        "Electrical Technician Diploma",
        Side::Educator,
        &[
            ("SAF", 0, "Safety"),
            ("SAF.1", 1, "Hazard control"),
            (
                "SAF.1.a",
                2,
                "Apply lockout/tagout procedures before working on equipment.",
            ),
            (
                "SAF.1.b",
                2,
                "Select and inspect personal protective equipment for the task.",
            ),
            (
                "SAF.2",
                1,
                "Report incidents and near misses using workplace forms.",
            ),
            (
                "COM",
                0,
                "Communicate with clients and co-workers in plain language.",
            ),
            ("CIR", 0, "Circuits"),
            (
                "CIR.1",
                1,
                "Troubleshoot single-phase and three-phase circuits.",
            ),
        ],
    )
}

fn competencies() -> Framework {
    framework(
        "emp",
        "Electrician Role Competencies",
        Side::Employer,
        &[
            ("HS", 0, "Health and safety"),
            ("HS.1", 1, "Follows lockout/tagout on every job."),
            ("HS.2", 1, "Personal protective equipment"),
            ("HS.2.a", 2, "Wears and maintains PPE suited to the task."),
            ("IN", 0, "Installation"),
            ("IN.1", 1, "Diagnoses faults in power circuits."),
        ],
    )
}

/// The links drawn, by code, and the votes that give each its status.
const LINKS: &[(&str, &str, Option<LinkStatus>)] = &[
    ("SAF.1.a", "HS.1", Some(LinkStatus::Agreed)),
    ("SAF.1.b", "HS.1", Some(LinkStatus::Disputed)),
    ("SAF.2", "HS.2.a", Some(LinkStatus::Proposed)),
    ("COM", "IN.1", Some(LinkStatus::Rejected)),
    ("SAF.1.a", "HS.2.a", Some(LinkStatus::Agreed)),
    // Between two groups: in a cell only at the top level.
    ("SAF", "IN", Some(LinkStatus::Proposed)),
    ("CIR.1", "IN.1", Some(LinkStatus::Agreed)),
];

/// Both frameworks and `LINKS`; with `session`, participants vote them to their status.
fn workshop(session: bool) -> Workshop {
    let mut ws = Workshop::open_in_memory().unwrap();
    import(&mut ws, outcomes());
    import(&mut ws, competencies());
    let mut drawn = Vec::new();
    for (o, d, status) in LINKS {
        let link = ws
            .create_link(&NewLink {
                origin: format!("edu-{o}"),
                destination: format!("emp-{d}"),
                ..NewLink::default()
            })
            .unwrap();
        drawn.push((link.identifier, *status));
    }
    if !session {
        return ws;
    }
    for (name, role) in [
        ("Fay", Role::Facilitator),
        ("Ana", Role::Faculty),
        ("Sam", Role::EmployerSme),
    ] {
        ws.add_participant(name, role).unwrap();
    }
    for (id, status) in &drawn {
        let votes: &[(&str, Vote)] = match status {
            Some(LinkStatus::Agreed) => &[("Ana", Vote::Accept), ("Sam", Vote::Accept)],
            Some(LinkStatus::Disputed) => &[("Sam", Vote::Dispute)],
            Some(LinkStatus::Rejected) => &[("Fay", Vote::Reject)],
            _ => &[],
        };
        for (who, vote) in votes {
            ws.act_as(Some(who)).unwrap();
            ws.vote(id, *vote, Some("said in the room")).unwrap();
        }
    }
    // Someone is at the keyboard, so the screen opens on the trees.
    ws.act_as(Some("Fay")).unwrap();
    ws
}

struct App {
    ws: Workshop,
    state: State,
}

impl App {
    fn on(mut ws: Workshop, width: u16, height: u16) -> App {
        let options = Options {
            config_dir: Some("/nonexistent/crosswalk-test".into()),
            ..Options::default()
        };
        let mut state = crosswalk::screen::initial_state(&mut ws, &options).unwrap();
        app::update(&mut state, &mut ws, Action::Resize { width, height });
        App { ws, state }
    }

    fn new() -> App {
        App::on(workshop(true), 100, 30)
    }

    /// Presses keys named as in keys.toml, separated by spaces.
    fn keys(&mut self, keys: &str) {
        for k in keys.split_whitespace() {
            let key = Key::parse(k).unwrap_or_else(|e| panic!("{e}"));
            let ev = Event::Key(KeyEvent::new(key.code, key.mods));
            if let Some(a) = app::action_for(&self.state, &ev) {
                app::update(&mut self.state, &mut self.ws, a);
            }
        }
    }

    fn act(&mut self, action: Action) {
        app::update(&mut self.state, &mut self.ws, action);
    }

    fn matrix(&self) -> &app::Matrix {
        self.state.matrix.as_ref().expect("the matrix is open")
    }

    /// Codes of the rows (p = 0) or columns (p = 1).
    fn lines(&self, p: usize) -> Vec<&str> {
        let fw = &self.state.panes[p].fw;
        self.matrix().lines[p]
            .iter()
            .map(|&i| fw.items[i].code.as_str())
            .collect()
    }

    fn line(&self, p: usize, code: &str) -> usize {
        self.lines(p)
            .iter()
            .position(|c| *c == code)
            .unwrap_or_else(|| panic!("{code} is not a line: {:?}", self.lines(p)))
    }

    /// The cell's mark and link count.
    fn cell(&self, row: &str, col: &str) -> (Option<LinkStatus>, u32) {
        let c = self.matrix().cell(self.line(0, row), self.line(1, col));
        (c.headline(), c.total())
    }

    /// The codes under the cursor.
    fn at(&self) -> (String, String) {
        let m = self.matrix();
        let code = |p: usize| {
            self.state.panes[p].fw.items[m.lines[p][m.cursor[p]]]
                .code
                .clone()
        };
        (code(0), code(1))
    }

    /// Moves the cursor to a cell with keys, as a person would.
    fn go(&mut self, row: &str, col: &str) {
        self.keys("Home");
        for _ in 0..self.line(0, row) {
            self.keys("j");
        }
        while self.matrix().cursor[1] > 0 {
            self.keys("h");
        }
        for _ in 0..self.line(1, col) {
            self.keys("l");
        }
        assert_eq!(self.at(), (row.to_string(), col.to_string()));
    }

    fn code(&self, p: usize) -> String {
        let pane = &self.state.panes[p];
        pane.item()
            .map(|i| pane.fw.items[i].code.clone())
            .unwrap_or_default()
    }

    fn render(&self, w: u16, h: u16) -> Terminal<TestBackend> {
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        t.draw(|f| crosswalk::ui::draw(&self.state, f)).unwrap();
        t
    }

    fn text(&self) -> String {
        let (w, h) = self.state.size;
        let t = self.render(w, h);
        let buf = t.backend().buffer();
        (0..h)
            .map(|y| (0..w).map(|x| buf[(x, y)].symbol()).collect::<String>() + "\n")
            .collect()
    }
}

// ---- rows, columns and cells ----------------------------------------------------

#[test]
fn rows_and_columns_are_the_items_at_the_level_and_the_leaves_above_it() {
    let mut a = App::new();
    a.keys("m");
    // Everything fits on a 100x30 screen: it opens at the finest level.
    assert_eq!((a.matrix().level, a.matrix().max_level), (2, 2));
    assert_eq!(a.lines(0), ["SAF.1.a", "SAF.1.b", "SAF.2", "COM", "CIR.1"]);
    assert_eq!(a.lines(1), ["HS.1", "HS.2.a", "IN.1"]);
    a.keys("-");
    assert_eq!(a.matrix().level, 1);
    assert_eq!(a.lines(0), ["SAF.1", "SAF.2", "COM", "CIR.1"]);
    assert_eq!(a.lines(1), ["HS.1", "HS.2", "IN.1"]);
    a.keys("C");
    assert_eq!(a.lines(0), ["SAF", "COM", "CIR"]);
    assert_eq!(a.lines(1), ["HS", "IN"]);
    a.keys("-");
    assert_eq!(a.matrix().level, 0, "no coarser than the top level");
    assert!(a.state.message.as_ref().unwrap().text.contains("coarsest"));
    a.keys("+ = E");
    assert_eq!(a.matrix().level, 2, "no finer than the deepest level");
    // Every leaf is in exactly one row at every level.
    for level in ["", "-", "-"] {
        a.keys(level);
        let m = a.matrix();
        let fw = &a.state.panes[0].fw;
        for i in (0..fw.items.len()).filter(|&i| fw.is_leaf(i)) {
            let row = m.line_of[0][i] as usize;
            let r = m.lines[0][row];
            assert!(
                r == i || fw.ancestors(i).any(|x| x == r),
                "{i} in row {row}"
            );
        }
    }
}

#[test]
fn a_cell_shows_what_most_needs_attention_and_how_many_links() {
    use LinkStatus::*;
    let mut a = App::new();
    a.keys("m");
    assert_eq!(a.cell("SAF.1.a", "HS.1"), (Some(Agreed), 1));
    assert_eq!(a.cell("SAF.1.b", "HS.1"), (Some(Disputed), 1));
    assert_eq!(a.cell("SAF.2", "HS.2.a"), (Some(Proposed), 1));
    assert_eq!(a.cell("COM", "IN.1"), (Some(Rejected), 1));
    assert_eq!(a.cell("CIR.1", "IN.1"), (Some(Agreed), 1));
    assert_eq!(a.cell("SAF.2", "IN.1"), (None, 0));
    assert_eq!(a.matrix().cells.len(), 6);
    // SAF -> IN joins two groups: no cell holds it below the top level.
    assert_eq!(a.matrix().above, 1);
    a.keys("-");
    assert_eq!(a.cell("SAF.1", "HS.1"), (Some(Disputed), 2));
    assert_eq!(a.cell("SAF.1", "HS.2"), (Some(Agreed), 1));
    assert_eq!(a.cell("SAF.2", "HS.2"), (Some(Proposed), 1));
    assert_eq!(a.matrix().above, 1);
    a.keys("-");
    assert_eq!(a.cell("SAF", "HS"), (Some(Disputed), 4));
    let m = a.matrix();
    assert_eq!(m.cell(0, 0).counts[Agreed as usize], 2);
    assert_eq!(a.cell("SAF", "IN"), (Some(Proposed), 1));
    assert_eq!(a.cell("COM", "IN"), (Some(Rejected), 1));
    assert_eq!(a.cell("CIR", "IN"), (Some(Agreed), 1));
    assert_eq!(a.cell("COM", "HS"), (None, 0));
    assert_eq!(a.matrix().above, 0);
}

#[test]
fn without_participants_every_link_is_agreed() {
    let mut a = App::on(workshop(false), 100, 30);
    a.keys("m");
    assert_eq!(a.cell("SAF.1.b", "HS.1"), (Some(LinkStatus::Agreed), 1));
    assert_eq!(a.cell("COM", "IN.1"), (Some(LinkStatus::Agreed), 1));
    a.keys("- -");
    assert_eq!(a.cell("SAF", "HS"), (Some(LinkStatus::Agreed), 4));
    assert!(a.text().contains("every link counts as agreed"));
}

#[test]
fn undo_and_redo_while_open_change_the_cells() {
    let mut a = App::on(workshop(false), 100, 30);
    // Link SAF.2 to IN.1 on the trees (cursor moves, then link type and strength).
    let h = a.state.tree_height();
    for (p, code) in [(0, "SAF.2"), (1, "IN.1")] {
        let i = a.state.panes[p]
            .fw
            .items
            .iter()
            .position(|it| it.code == code);
        a.state.panes[p].reveal(i.unwrap(), h);
    }
    a.state.active = 0;
    a.state.focus = Focus::Pane(0);
    a.state.reselect();
    a.keys("a Enter Enter Enter");
    a.keys("m");
    assert_eq!(a.cell("SAF.2", "IN.1"), (Some(LinkStatus::Agreed), 1));
    a.keys("u");
    assert_eq!(a.cell("SAF.2", "IN.1"), (None, 0));
    a.keys("ctrl-r");
    assert_eq!(a.cell("SAF.2", "IN.1"), (Some(LinkStatus::Agreed), 1));
}

// ---- the cursor -------------------------------------------------------------------

#[test]
fn the_cursor_opens_on_the_trees_items_and_keeps_them_across_levels() {
    let mut a = App::new();
    // The trees' cursors: COM on the left, IN (a group: its first column) on the right.
    let h = a.state.tree_height();
    let com = a.state.panes[0]
        .fw
        .items
        .iter()
        .position(|it| it.code == "COM");
    a.state.panes[0].reveal(com.unwrap(), h);
    let inn = a.state.panes[1]
        .fw
        .items
        .iter()
        .position(|it| it.code == "IN");
    a.state.panes[1].reveal(inn.unwrap(), h);
    a.keys("m");
    assert_eq!(a.at(), ("COM".into(), "IN.1".into()));
    a.go("SAF.1.b", "HS.2.a");
    a.keys("-");
    assert_eq!(a.at(), ("SAF.1".into(), "HS.2".into()));
    a.keys("-");
    assert_eq!(a.at(), ("SAF".into(), "HS".into()));
    // Back down to the very items it left from, not just the first in each group.
    a.keys("+ +");
    assert_eq!(a.at(), ("SAF.1.b".into(), "HS.2.a".into()));
    // Moving at a coarse level moves the anchor: finer goes into the new group.
    a.keys("- - j l +");
    assert_eq!(a.at(), ("COM".into(), "IN.1".into()));
}

/// 5 groups of 12 outcomes, 4 groups of 10 competencies: the leaves do not fit.
fn big() -> App {
    let mut ws = Workshop::open_in_memory().unwrap();
    let rows = |prefix: &str, groups: usize, per: usize| {
        let mut rows = Vec::new();
        for g in 0..groups {
            rows.push((format!("{prefix}{g}"), 0, format!("Group {g}")));
            for k in 0..per {
                rows.push((format!("{prefix}{g}.{k}"), 1, format!("Item {k} of {g}")));
            }
        }
        rows
    };
    for (id, side, r) in [
        ("edu", Side::Educator, rows("O", 5, 12)),
        ("emp", Side::Employer, rows("C", 4, 10)),
    ] {
        let r: Vec<(&str, u16, &str)> = r
            .iter()
            .map(|(c, d, s)| (c.as_str(), *d, s.as_str()))
            .collect();
        import(&mut ws, framework(id, id, side, &r));
    }
    App::on(ws, 100, 30)
}

#[test]
fn the_cursor_moves_within_bounds_and_the_view_follows_it() {
    let mut a = big();
    a.keys("m");
    // 60 x 40 leaves would not fit on the screen: it opens on the groups.
    assert_eq!(a.matrix().level, 0);
    assert_eq!((a.lines(0).len(), a.lines(1).len()), (5, 4));
    a.keys("+");
    assert_eq!((a.lines(0).len(), a.lines(1).len()), (60, 40));
    let lay = crosswalk::app::matrix_layout::layout(
        crosswalk::app::matrix_layout::body(&a.state),
        a.matrix().header,
    );
    assert!(lay.rows < 60 && lay.cols < 40, "{lay:?}");
    let in_view = |a: &App| {
        let m = a.matrix();
        for (p, shown) in [(0, lay.rows), (1, lay.cols)] {
            assert!(m.scroll[p] <= m.cursor[p] && m.cursor[p] < m.scroll[p] + shown);
            assert!(m.scroll[p] + shown <= m.lines[p].len());
        }
    };
    a.keys("k h");
    assert_eq!(a.matrix().cursor, [0, 0]);
    for _ in 0..70 {
        a.keys("j l");
        in_view(&a);
    }
    assert_eq!(
        a.matrix().cursor,
        [59, 39],
        "clamped at the last row and column"
    );
    assert!(a.text().contains("O4.11"), "the last row is on screen");
    a.keys("Home");
    assert_eq!(a.matrix().cursor[0], 0);
    assert_eq!(a.matrix().scroll[0], 0);
    a.keys("PageDown");
    assert_eq!(a.matrix().cursor[0], lay.rows - 1);
    a.keys("PageDown");
    in_view(&a);
    a.keys("PageUp PageUp PageUp");
    assert_eq!(a.matrix().cursor[0], 0);
    a.keys("End");
    assert_eq!(a.matrix().cursor[0], 59);
    in_view(&a);
    // A smaller screen keeps the cursor in view (drawn from where it is).
    a.act(Action::Resize {
        width: 60,
        height: 12,
    });
    assert!(a.text().contains("O4.11"));
}

// ---- going to the trees ---------------------------------------------------------------

#[test]
fn enter_on_a_cell_of_one_link_opens_that_link_in_the_detail_pane() {
    let mut a = App::new();
    a.keys("m");
    a.go("SAF.1.b", "HS.1");
    a.keys("Enter");
    assert!(a.state.matrix.is_none());
    assert_eq!((a.code(0), a.code(1)), ("SAF.1.b".into(), "HS.1".into()));
    assert_eq!((a.state.active, a.state.focus), (0, Focus::Detail));
    let sl = a.state.detail_link().expect("a link is selected");
    assert_eq!(sl.status, LinkStatus::Disputed);
    assert_eq!(sl.link.destination.code, "HS.1");
    // At the top level, a cell of one link goes to the link's own two items.
    a.keys("m - -");
    a.go("CIR", "IN");
    a.keys("o");
    assert_eq!((a.code(0), a.code(1)), ("CIR.1".into(), "IN.1".into()));
    assert_eq!(a.state.focus, Focus::Detail);
    assert_eq!(a.state.detail_link().unwrap().link.origin.code, "CIR.1");
}

#[test]
fn enter_on_other_cells_goes_to_the_row_and_column_items() {
    let mut a = App::new();
    a.keys("m -");
    a.go("SAF.1", "HS.1");
    a.keys("Enter");
    assert!(a.state.matrix.is_none());
    assert_eq!((a.code(0), a.code(1)), ("SAF.1".into(), "HS.1".into()));
    assert_eq!(a.state.focus, Focus::Pane(0));
    assert!(a.state.message.as_ref().unwrap().text.contains("2 links"));
    // An empty cell: the two items, nothing more.
    a.keys("m");
    a.go("SAF.2", "IN.1");
    a.keys("g");
    assert_eq!((a.code(0), a.code(1)), ("SAF.2".into(), "IN.1".into()));
    assert_eq!(a.state.focus, Focus::Pane(0));
    // Esc and m close without moving the trees.
    a.keys("m j l Esc");
    assert!(a.state.matrix.is_none());
    assert_eq!(a.code(0), "SAF.2");
    a.keys("m m");
    assert!(a.state.matrix.is_none());
}

#[test]
fn clicks_pick_cells_and_the_wheel_scrolls_rows_not_the_trees() {
    let mut a = big();
    a.keys("m +");
    let trees = (a.code(0), a.code(1));
    let lay = crosswalk::app::matrix_layout::layout(
        crosswalk::app::matrix_layout::body(&a.state),
        a.matrix().header,
    );
    let cell = crosswalk::app::matrix_layout::CELL;
    a.act(Action::Click {
        x: lay.grid.x + 2 * cell + 1,
        y: lay.grid.y + 3,
    });
    assert_eq!(a.matrix().cursor, [3, 2]);
    // On a row label: that row; on a column code: that column.
    a.act(Action::Click {
        x: lay.labels.x + 2,
        y: lay.grid.y + 5,
    });
    a.act(Action::Click {
        x: lay.grid.x + 7 * cell,
        y: lay.header.y,
    });
    assert_eq!(a.matrix().cursor, [5, 7]);
    // Outside the grid: nothing.
    a.act(Action::Click {
        x: lay.grid.x + 2,
        y: lay.footer.y + 1,
    });
    assert_eq!(a.matrix().cursor, [5, 7]);
    a.act(Action::Scroll {
        x: lay.grid.x,
        y: lay.grid.y,
        down: true,
    });
    a.act(Action::Scroll {
        x: lay.grid.x,
        y: lay.grid.y,
        down: true,
    });
    assert_eq!(a.matrix().scroll[0], 6);
    assert_eq!(a.matrix().cursor[0], 6, "dragged along into view");
    assert_eq!(
        (a.code(0), a.code(1)),
        trees,
        "the hidden trees never moved"
    );
    a.act(Action::Scroll {
        x: 0,
        y: 0,
        down: false,
    });
    assert_eq!(a.matrix().scroll[0], 3);
}

// ---- drawing --------------------------------------------------------------------------

#[test]
fn snapshot_matrix() {
    let mut a = App::new();
    a.keys("m");
    a.go("SAF.1.b", "HS.1");
    insta::assert_snapshot!(a.render(100, 30).backend());
}

#[test]
fn snapshot_matrix_groups() {
    let mut a = App::new();
    a.keys("m - -");
    insta::assert_snapshot!(a.render(100, 30).backend());
}

#[test]
fn the_cell_is_marked_by_symbol_and_count_and_named_in_the_footer() {
    let mut a = App::new();
    a.keys("m -");
    a.go("SAF.1", "HS.1");
    let text = a.text();
    assert!(text.contains(" !2 "), "{text}");
    assert!(text.contains("2 links: ✓ 1 agreed  ! 1 disputed"), "{text}");
    assert!(text.contains("↓ SAF.1 Hazard control"), "{text}");
    assert!(
        text.contains("→ HS.1 Follows lockout/tagout on every job."),
        "{text}"
    );
    assert!(text.contains("✓ agreed  ? proposed  ! disputed  ✗ rejected  · none"));
    assert!(text.contains("1 link on groups above this level"), "{text}");
}

#[test]
fn nothing_panics_at_any_size_or_with_no_frameworks() {
    let mut empty = Workshop::open_in_memory().unwrap();
    import(&mut empty, outcomes());
    let apps = [
        App::new(),
        big(),
        App::on(empty, 100, 30),
        App::on(Workshop::open_in_memory().unwrap(), 100, 30),
    ];
    for mut a in apps {
        a.keys("m");
        assert!(a.state.matrix.is_some());
        for w in 1..=40 {
            for h in 1..=14 {
                a.act(Action::Resize {
                    width: w,
                    height: h,
                });
                a.render(w, h);
                a.keys("j l + End");
                // The matrix itself at every size, also away from the origin.
                let m = a.matrix().clone();
                for area in [Rect::new(0, 0, w, h), Rect::new(3, 2, w, h)] {
                    let mut buf = Buffer::empty(Rect::new(0, 0, w + 3, h + 2));
                    crosswalk::ui::matrix::draw(&a.state, &m, area, &mut buf);
                }
                a.act(Action::Click { x: w / 2, y: h / 2 });
                a.keys("-");
            }
        }
        a.act(Action::Resize {
            width: 100,
            height: 30,
        });
        a.keys("Enter");
        a.render(100, 30);
    }
}
