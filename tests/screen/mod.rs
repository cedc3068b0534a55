//! What the screen tests share: small frameworks with awkward text, a screen on an
//! in-memory workshop driven by key names, and the drawn text.
#![allow(dead_code)] // each test file uses its own part

use crossterm::event::{Event, KeyEvent, KeyModifiers};
use crosswalk::app::{self, Action, Flow, Focus, Key, Options, State};
use crosswalk::case::Package;
use crosswalk::model::{Framework, Item, Side};
use crosswalk::store::Workshop;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

/// (code, depth, statement) rows in pre-order.
pub fn framework(
    identifier: &str,
    title: &str,
    side: Side,
    rows: &[(&str, u16, &str)],
) -> Framework {
    let mut items: Vec<Item> = Vec::new();
    let mut stack: Vec<usize> = Vec::new();
    for (i, (code, depth, statement)) in rows.iter().enumerate() {
        stack.truncate(*depth as usize);
        items.push(Item {
            identifier: format!("{identifier}-{code}"),
            uri: format!("https://example.org/{identifier}/{code}"),
            code: code.to_string(),
            statement: statement.to_string(),
            item_type: if *depth == 0 {
                "Domain".into()
            } else {
                "Competency".into()
            },
            depth: *depth,
            parent: stack.last().copied(),
            ..Item::default()
        });
        stack.push(i);
    }
    Framework {
        identifier: identifier.into(),
        uri: format!("https://example.org/{identifier}"),
        title: title.into(),
        side,
        items,
        ..Framework::default()
    }
}

pub const LONG: &str = "Advocate for individual and community needs by gathering information, \
presenting it to decision makers in plain terms, following up on commitments, and \
documenting outcomes so that the same barrier is not met twice by the next family.";

pub fn educator() -> Framework {
    framework(
        "edu",
        "CHW Certificate Outcomes",
        Side::Educator,
        &[
            ("COM", 0, "Communication"),
            (
                "COM.1",
                1,
                "Use plain language to explain health information to clients and families.",
            ),
            (
                "COM.2",
                1,
                "Practise active listening and motivational interviewing.",
            ),
            ("ADV", 0, "Advocacy"),
            (
                "ADV.1",
                1,
                "Connect clients to community resources and benefits they are eligible for.",
            ),
            ("ADV.2", 1, LONG),
            ("SAF", 0, "Safety"),
            (
                "SAF.1",
                1,
                "Apply infection control procedures during home visits.",
            ),
            (
                "SAF.2",
                1,
                "在家访中遵守感染控制程序 (infection control, 中文) 😷",
            ),
        ],
    )
}

pub fn employer() -> Framework {
    framework(
        "emp",
        "CHW Role Competencies",
        Side::Employer,
        &[
            ("OUT", 0, "Outreach"),
            (
                "OUT.1",
                1,
                "Conducts outreach to engage community members in health programs.",
            ),
            (
                "OUT.2",
                1,
                "Builds trust using culturally responsive communication.",
            ),
            ("CC", 0, "Care coordination"),
            (
                "CC.1",
                1,
                "Coordinates referrals and follows up until the need is met.",
            ),
            (
                "CC.2",
                1,
                "يشرح المعلومات الصحية بلغة بسيطة (explains health information)",
            ),
            (
                "CC.3",
                1,
                "Keeps records \u{1b}[31mconfidential\u{1b}[0m\u{7}\u{1b}]0;pwned\u{7} and secure.",
            ),
        ],
    )
}

pub fn import(ws: &mut Workshop, fw: Framework) {
    let side = fw.side;
    ws.import_package(
        &Package {
            framework: fw,
            ..Package::default()
        },
        Some(side),
    )
    .expect("import");
}

pub struct App {
    pub ws: Workshop,
    pub state: State,
}

pub fn options() -> Options {
    // Never the real user's config dir.
    Options {
        config_dir: Some("/nonexistent/crosswalk-test".into()),
        ..Options::default()
    }
}

impl App {
    pub fn new() -> App {
        let mut ws = Workshop::open_in_memory().unwrap();
        import(&mut ws, educator());
        import(&mut ws, employer());
        App::on(ws)
    }

    pub fn on(mut ws: Workshop) -> App {
        let mut state = crosswalk::screen::initial_state(&mut ws, &options()).unwrap();
        app::update(
            &mut state,
            &mut ws,
            Action::Resize {
                width: 100,
                height: 30,
            },
        );
        App { ws, state }
    }

    /// Presses keys named as in keys.toml, separated by spaces ("j j a Enter").
    pub fn keys(&mut self, keys: &str) -> Flow {
        let mut flow = Flow::Continue;
        for k in keys.split_whitespace() {
            let key = Key::parse(k).unwrap_or_else(|e| panic!("{e}"));
            let ev = Event::Key(KeyEvent::new(key.code, key.mods));
            if let Some(a) = app::action_for(&self.state, &ev) {
                flow = app::update(&mut self.state, &mut self.ws, a);
            }
        }
        flow
    }

    /// Clicks where `text` is drawn lowest on the screen (its first cell), as a mouse would:
    /// a popup's entry, not a pane title above it.
    pub fn click_on(&mut self, text: &str) {
        let drawn = text_of(&self.screen());
        let (y, line) = drawn
            .lines()
            .enumerate()
            .filter(|(_, l)| l.contains(text))
            .last()
            .unwrap_or_else(|| panic!("`{text}` is not on the screen:\n{drawn}"));
        let x = line[..line.find(text).unwrap()].chars().count() as u16;
        app::update(
            &mut self.state,
            &mut self.ws,
            Action::Click { x, y: y as u16 },
        );
    }

    pub fn act_click(&mut self, x: u16, y: u16) {
        app::update(&mut self.state, &mut self.ws, Action::Click { x, y });
    }

    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            let ev = Event::Key(KeyEvent::new(
                crossterm::event::KeyCode::Char(c),
                KeyModifiers::NONE,
            ));
            let a = app::action_for(&self.state, &ev).expect("typing maps to an action");
            app::update(&mut self.state, &mut self.ws, a);
        }
    }

    pub fn code(&self, p: usize) -> String {
        let pane = &self.state.panes[p];
        pane.item()
            .map(|i| pane.fw.items[i].code.clone())
            .unwrap_or_default()
    }

    /// Moves pane `p`'s cursor to the item with this code (expanding as needed).
    pub fn select(&mut self, p: usize, code: &str) {
        let h = self.state.tree_height();
        let pane = &mut self.state.panes[p];
        let i = pane.fw.items.iter().position(|it| it.code == code).unwrap();
        pane.reveal(i, h);
        self.state.active = p;
        self.state.focus = Focus::Pane(p);
        self.state.reselect();
        // An action that changes nothing, so the detail pane's record follows.
        let (width, height) = self.state.size;
        app::update(
            &mut self.state,
            &mut self.ws,
            Action::Resize { width, height },
        );
    }

    pub fn render(&self, w: u16, h: u16) -> Terminal<TestBackend> {
        let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
        t.draw(|f| crosswalk::ui::draw(&self.state, f)).unwrap();
        t
    }

    /// Draws at the state's size (100x30).
    pub fn screen(&self) -> Terminal<TestBackend> {
        self.render(self.state.size.0, self.state.size.1)
    }

    pub fn link(&mut self, left: &str, right: &str, note: &str) {
        self.select(0, left);
        self.select(1, right);
        self.keys("a Enter Enter");
        self.type_text(note);
        self.keys("Enter");
    }
}

pub fn text_of(t: &Terminal<TestBackend>) -> String {
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

/// The drawn screen as insta shows it, with times (which change from run to run)
/// replaced by a fixed one, also where a popup cuts one short ("2026-11").
pub fn masked(t: &Terminal<TestBackend>) -> String {
    let text = t.backend().to_string();
    let chars: Vec<char> = text.chars().collect();
    // "YYYY-MM-DD HH:MM": digits and separators at fixed places.
    const SHAPE: &str = "dddd-dd-dd dd:dd";
    let shape: Vec<char> = SHAPE.chars().collect();
    let fixed: Vec<char> = "2000-01-01 00:00".chars().collect();
    // How much of the shape starts at `at`: a year at least, not inside a longer number.
    let fits = |at: usize| {
        let n = shape
            .iter()
            .zip(&chars[at..])
            .take_while(|(s, c)| {
                if **s == 'd' {
                    c.is_ascii_digit()
                } else {
                    s == c
                }
            })
            .count();
        let after_digit = at > 0 && chars[at - 1].is_ascii_digit();
        if n >= 4 && !after_digit { n } else { 0 }
    };
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let n = fits(i);
        if n > 0 {
            out.extend(&fixed[..n]);
            i += n;
        } else {
            out.push(chars[i]);
            i += 1;
        }
    }
    out
}
