//! The alignment screen at workshop scale: two generated 20,000-item frameworks (with
//! 2,000 links between them) in a workshop file, drawn into ratatui's TestBackend at 160x48.
//!   startup      open the file, load both frameworks and links, draw the first frame
//!   navigation   one key (down / page down / expand all) and the frame after it; the
//!                same in presentation mode, where the rows in view wrap
//!   search       one typed character re-ranked over 20,000 items, and its frame
//!   matrix       the coverage matrix opened, its cursor moved, its level changed; each
//!                with its frame
//! Run: `cargo bench --bench render` (small samples: well under a minute).
mod support;

use criterion::{Criterion, criterion_group, criterion_main};
use crosswalk::app::{self, Action, Options, State};
use crosswalk::model::{Role, Vote};
use crosswalk::store::Workshop;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::{Path, PathBuf};
use std::time::Duration;

use support::build_workshop;

fn options() -> Options {
    Options {
        config_dir: Some(PathBuf::from("/nonexistent/crosswalk-bench")),
        ..Options::default()
    }
}

fn open(path: &Path) -> (Workshop, State) {
    open_as(path, None)
}

/// The screen on the workshop, with `who` at the keyboard (so no participant picker).
fn open_as(path: &Path, who: Option<&str>) -> (Workshop, State) {
    let mut ws = Workshop::open(path).expect("open");
    ws.act_as(who).expect("a participant");
    let mut state = crosswalk::screen::initial_state(&mut ws, &options()).expect("state");
    app::update(
        &mut state,
        &mut ws,
        Action::Resize {
            width: 160,
            height: 48,
        },
    );
    (ws, state)
}

fn frame(term: &mut Terminal<TestBackend>, state: &State) {
    term.draw(|f| crosswalk::ui::draw(state, f)).expect("draw");
}

/// A screen being measured.
struct Screen<'a> {
    ws: &'a mut Workshop,
    state: &'a mut State,
    term: &'a mut Terminal<TestBackend>,
}

impl Screen<'_> {
    /// Measures `there` + a frame and `back` + a frame, in turn, so the cursor never
    /// sticks at an end.
    fn back_and_forth(&mut self, c: &mut Criterion, name: &str, there: &[Action], back: &[Action]) {
        let mut forth = true;
        c.bench_function(name, |b| {
            b.iter(|| {
                for &a in if forth { there } else { back } {
                    app::update(self.state, self.ws, a);
                }
                forth = !forth;
                frame(self.term, self.state);
            })
        });
    }
}

fn benches(c: &mut Criterion) {
    // `cargo test --benches` runs this once without `--bench`: keep it small there.
    let full = std::env::args().any(|a| a == "--bench");
    let n = if full { 20_000 } else { 2_000 };
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("bench.sqlite");
    build_workshop(&path, n);
    let mut term = Terminal::new(TestBackend::new(160, 48)).expect("terminal");

    c.bench_function(
        &format!("startup: open + load 2x{n} items + first frame"),
        |b| {
            b.iter(|| {
                let (_ws, state) = open(&path);
                frame(&mut term, &state);
            })
        },
    );

    let (mut ws, mut state) = open(&path);
    let mut screen = Screen {
        ws: &mut ws,
        state: &mut state,
        term: &mut term,
    };
    screen.back_and_forth(
        c,
        "navigation: down key + frame",
        &[Action::Down],
        &[Action::Up],
    );
    app::update(screen.state, screen.ws, Action::ExpandAll);
    let open_rows = screen.state.panes[0].view.len();
    screen.back_and_forth(
        c,
        &format!("navigation: page down + frame ({open_rows} rows open)"),
        &[Action::PageDown],
        &[Action::PageUp],
    );
    screen.back_and_forth(
        c,
        "navigation: expand all / collapse all + frame",
        &[Action::ExpandAll],
        &[Action::CollapseAll],
    );
    // Presentation mode: every row in view wrapped to its whole statement.
    app::update(screen.state, screen.ws, Action::Present);
    screen.back_and_forth(
        c,
        "navigation, presentation mode (rows wrapped): down key + frame",
        &[Action::Down],
        &[Action::Up],
    );
    screen.back_and_forth(
        c,
        "navigation, presentation mode (rows wrapped): page down + frame",
        &[Action::PageDown],
        &[Action::PageUp],
    );
    app::update(screen.state, screen.ws, Action::Present);

    // Every measured keystroke types a query the search has not cached (characters cycle
    // through more than it keeps), so its hits are computed afresh.
    let chars: Vec<char> = ('a'..='z').chain('0'..='9').collect();
    let mut k = 0;
    app::update(&mut state, &mut ws, Action::Search);
    let type_query = |state: &mut State, ws: &mut Workshop, q: &str| {
        app::update(state, ws, Action::Clear);
        for ch in q.chars() {
            app::update(state, ws, Action::Insert(ch));
        }
        state.search.as_ref().map_or(0, |s| s.hits.len())
    };
    c.bench_function(
        &format!("search: 1st character over all {n} items + frame"),
        |b| {
            b.iter(|| {
                app::update(&mut state, &mut ws, Action::Clear);
                app::update(&mut state, &mut ws, Action::Insert(chars[k % chars.len()]));
                k += 1;
                frame(&mut term, &state);
            })
        },
    );
    // One character more on `base`, timed; back to `base` (cached) untimed.
    let mut one_more = |name: &str, base: &str, c: &mut Criterion| {
        let hits = type_query(&mut state, &mut ws, base);
        app::update(&mut state, &mut ws, Action::Insert('x'));
        c.bench_function(
            &format!("search: {name} ('{base}' has {hits} hits) + frame"),
            |b| {
                b.iter_custom(|iters| {
                    let mut spent = Duration::ZERO;
                    for _ in 0..iters {
                        app::update(&mut state, &mut ws, Action::DeleteBack);
                        let start = std::time::Instant::now();
                        app::update(&mut state, &mut ws, Action::Insert(chars[k % chars.len()]));
                        k += 1;
                        frame(&mut term, &state);
                        spent += start.elapsed();
                    }
                    spent
                })
            },
        );
    };
    one_more("4th character, narrowing a broad query", "tra", c);
    one_more(
        "one more character, hits skim-ranked if 1,000 or fewer",
        "EDU.19.",
        c,
    );
    let hits = type_query(&mut state, &mut ws, "ethics plan data");
    c.bench_function(
        &format!("search: backspace to a query typed before ({hits} hits, cached) + frame"),
        |b| {
            b.iter(|| {
                app::update(&mut state, &mut ws, Action::DeleteBack);
                app::update(&mut state, &mut ws, Action::Insert('a'));
                frame(&mut term, &state);
            })
        },
    );

    // The matrix on a fresh screen: lines and cells are built on opening and on a
    // level change; a cursor key only moves and draws what is in view.
    let (mut ws, mut state) = open(&path);
    c.bench_function(&format!("matrix: open over 2x{n} items + frame"), |b| {
        b.iter(|| {
            app::update(&mut state, &mut ws, Action::Matrix);
            frame(&mut term, &state);
            app::update(&mut state, &mut ws, Action::Back);
        })
    });
    app::update(&mut state, &mut ws, Action::Matrix);
    app::update(&mut state, &mut ws, Action::Finer);
    app::update(&mut state, &mut ws, Action::Finer);
    let leaves = state
        .matrix
        .as_ref()
        .map_or([0, 0], |m| [m.rows().len(), m.columns().len()]);
    let mut screen = Screen {
        ws: &mut ws,
        state: &mut state,
        term: &mut term,
    };
    screen.back_and_forth(
        c,
        &format!(
            "matrix: two cursor keys (down, right) + frame ({} x {} leaves)",
            leaves[0], leaves[1]
        ),
        &[Action::Down, Action::Right],
        &[Action::Up, Action::Left],
    );
    screen.back_and_forth(
        c,
        "matrix: coarser / finer + frame",
        &[Action::Coarser],
        &[Action::Finer],
    );

    // A running session: two participants, votes on some links, Ana at the keyboard.
    {
        let mut ws = Workshop::open(&path).expect("open");
        ws.add_participant("Ana", Role::Faculty)
            .expect("participant");
        ws.add_participant("Sam", Role::EmployerSme)
            .expect("participant");
        ws.act_as(Some("Sam")).expect("act as");
        for k in (0..n / 10).step_by(10) {
            ws.vote(&format!("link-{k}"), Vote::Accept, None)
                .expect("vote");
        }
    }
    let (mut ws, mut state) = open_as(&path, Some("Ana"));
    c.bench_function("session: next open link (queue) + frame", |b| {
        b.iter(|| {
            app::update(&mut state, &mut ws, Action::NextOpen);
            frame(&mut term, &state);
        })
    });
    c.bench_function(
        "session: accept a link, then undo (two transactions) + frame",
        |b| {
            b.iter(|| {
                app::update(&mut state, &mut ws, Action::Accept);
                app::update(&mut state, &mut ws, Action::Undo);
                frame(&mut term, &state);
            })
        },
    );
}

criterion_group! {
    name = render;
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
    targets = benches
}
criterion_main!(render);
