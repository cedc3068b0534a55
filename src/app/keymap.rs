//! Key bindings: the embedded default file, overridden action by action by a user file.
use super::Action;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;
use serde::de::IntoDeserializer;
use std::collections::{BTreeMap, HashMap};

pub const DEFAULT_KEYS: &str = include_str!("keys.toml");

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Section {
    Global,
    Tree,
    Detail,
    Suggest,
    Matrix,
    Menu,
    Input,
    Help,
    Links,
}

impl Section {
    pub const ALL: [Section; 9] = [
        Section::Global,
        Section::Tree,
        Section::Detail,
        Section::Suggest,
        Section::Matrix,
        Section::Menu,
        Section::Input,
        Section::Help,
        Section::Links,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Section::Global => "global",
            Section::Tree => "tree",
            Section::Detail => "detail",
            Section::Suggest => "suggest",
            Section::Matrix => "matrix",
            Section::Menu => "menu",
            Section::Input => "input",
            Section::Help => "help",
            Section::Links => "links",
        }
    }

    /// The heading help shows.
    pub fn title(self) -> &'static str {
        match self {
            Section::Global => "Anywhere",
            Section::Tree => "Framework trees",
            Section::Detail => "Detail pane (links)",
            Section::Suggest => "Suggestions (when focused)",
            Section::Matrix => "Coverage matrix",
            Section::Menu => "Menus (digits pick directly)",
            Section::Input => "Text input (note, search)",
            Section::Help => "Help",
            Section::Links => "List of links",
        }
    }
}

/// A key with its modifiers, normalised so a binding and an event compare equal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    pub fn new(code: KeyCode, mods: KeyModifiers) -> Key {
        // Shift is already in the character (`N`) or the code (BackTab).
        let mods = match code {
            KeyCode::Char(_) | KeyCode::BackTab => mods - KeyModifiers::SHIFT,
            _ => mods,
        };
        Key {
            code,
            mods: mods & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT),
        }
    }

    pub fn from_event(ev: &KeyEvent) -> Key {
        Key::new(ev.code, ev.modifiers)
    }

    pub fn parse(text: &str) -> Result<Key, String> {
        let mut rest = text.trim();
        let mut mods = KeyModifiers::NONE;
        'prefix: loop {
            for (prefix, m) in [
                ("ctrl", KeyModifiers::CONTROL),
                ("control", KeyModifiers::CONTROL),
                ("alt", KeyModifiers::ALT),
                ("shift", KeyModifiers::SHIFT),
            ] {
                let n = prefix.len();
                if rest.len() > n + 1
                    && rest[..n].eq_ignore_ascii_case(prefix)
                    && matches!(&rest[n..n + 1], "-" | "+")
                {
                    mods |= m;
                    rest = &rest[n + 1..];
                    continue 'prefix;
                }
            }
            break;
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) if mods.contains(KeyModifiers::SHIFT) => {
                KeyCode::Char(c.to_ascii_uppercase())
            }
            (Some(c), None) => KeyCode::Char(c),
            _ => match rest.to_ascii_lowercase().as_str() {
                "up" => KeyCode::Up,
                "down" => KeyCode::Down,
                "left" => KeyCode::Left,
                "right" => KeyCode::Right,
                "enter" | "return" => KeyCode::Enter,
                "esc" | "escape" => KeyCode::Esc,
                "tab" if mods.contains(KeyModifiers::SHIFT) => KeyCode::BackTab,
                "tab" => KeyCode::Tab,
                "backtab" => KeyCode::BackTab,
                "space" => KeyCode::Char(' '),
                "backspace" => KeyCode::Backspace,
                "delete" | "del" => KeyCode::Delete,
                "insert" | "ins" => KeyCode::Insert,
                "home" => KeyCode::Home,
                "end" => KeyCode::End,
                "pageup" | "pgup" => KeyCode::PageUp,
                "pagedown" | "pgdn" | "pgdown" => KeyCode::PageDown,
                f if f.starts_with('f')
                    && f[1..].parse::<u8>().is_ok_and(|n| (1..=12).contains(&n)) =>
                {
                    KeyCode::F(f[1..].parse().unwrap_or(1))
                }
                _ => return Err(format!("unknown key `{text}`")),
            },
        };
        Ok(Key::new(code, mods))
    }

    /// How help and the status bar write the key.
    pub fn label(&self) -> String {
        let mut out = String::new();
        if self.mods.contains(KeyModifiers::CONTROL) {
            out += "Ctrl-";
        }
        if self.mods.contains(KeyModifiers::ALT) {
            out += "Alt-";
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            out += "Shift-";
        }
        match self.code {
            KeyCode::Char(' ') => out += "Space",
            KeyCode::Char(c) => out.push(c),
            KeyCode::Up => out += "↑",
            KeyCode::Down => out += "↓",
            KeyCode::Left => out += "←",
            KeyCode::Right => out += "→",
            KeyCode::BackTab => out += "Shift-Tab",
            KeyCode::PageUp => out += "PgUp",
            KeyCode::PageDown => out += "PgDn",
            KeyCode::Delete => out += "Del",
            KeyCode::F(n) => out += &format!("F{n}"),
            other => out += &format!("{other:?}"),
        }
        out
    }
}

/// The bindings in force.
#[derive(Debug, Clone)]
pub struct Keymap {
    lookup: HashMap<(Section, Key), Action>,
    /// (section, action, keys) in file order, for help.
    listing: Vec<(Section, Action, Vec<Key>)>,
}

impl Default for Keymap {
    fn default() -> Self {
        Keymap::from_files(None).expect("the built-in keymap parses")
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Keys {
    One(String),
    Many(Vec<String>),
}

type RawFile = BTreeMap<String, BTreeMap<String, Keys>>;

fn parse_file(text: &str) -> Result<Vec<(Section, Action, Vec<Key>)>, String> {
    let raw: RawFile = toml::from_str(text).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for (section_name, actions) in raw {
        let section = Section::ALL
            .into_iter()
            .find(|s| s.name() == section_name)
            .ok_or_else(|| {
                let names: Vec<_> = Section::ALL.iter().map(|s| s.name()).collect();
                format!(
                    "unknown section [{section_name}] (known: {})",
                    names.join(", ")
                )
            })?;
        for (action_name, keys) in actions {
            let action = Action::deserialize(action_name.as_str().into_deserializer()).map_err(
                |_: serde::de::value::Error| {
                    format!("[{section_name}]: unknown action `{action_name}`")
                },
            )?;
            let keys = match keys {
                Keys::One(k) => vec![k],
                Keys::Many(ks) => ks,
            };
            let keys = keys
                .iter()
                .map(|k| Key::parse(k))
                .collect::<Result<Vec<_>, _>>()?;
            out.push((section, action, keys));
        }
    }
    Ok(out)
}

/// The file as a TOML table, each line TOML cannot read blanked out and reported.
fn lenient_table(text: &str) -> (toml::Table, Vec<String>) {
    let mut lines: Vec<&str> = text.lines().collect();
    let mut warnings = Vec::new();
    loop {
        let joined = lines.join("\n");
        let err = match toml::from_str::<toml::Table>(&joined) {
            Ok(table) => return (table, warnings),
            Err(e) => e,
        };
        let message = err.message().trim().to_string();
        let line = err.span().map(|s| joined[..s.start].matches('\n').count());
        match line {
            Some(n) if n < lines.len() && !lines[n].is_empty() => {
                warnings.push(format!("line {}: {message}; line skipped", n + 1));
                lines[n] = "";
            }
            _ => {
                warnings.push(format!("{message}; the file is ignored"));
                return (toml::Table::new(), warnings);
            }
        }
    }
}

impl Keymap {
    /// The default bindings, then the user's file on top (its actions replace the
    /// default keys; a key it takes is taken from whichever action had it).
    pub fn from_files(user: Option<&str>) -> Result<Keymap, String> {
        let user = user.map(parse_file).transpose()?;
        Self::with_user(user)
    }

    /// The default bindings with a user keys.toml on top, read leniently: a line TOML
    /// cannot read, an unknown section or action, or a key name that does not parse is
    /// skipped with a warning saying so, and everything else in the file applies.
    pub fn from_user_file(text: &str) -> (Keymap, Vec<String>) {
        let (table, mut warnings) = lenient_table(text);
        let mut entries = Vec::new();
        for (section_name, actions) in table {
            let Some(section) = Section::ALL.into_iter().find(|s| s.name() == section_name) else {
                let names: Vec<_> = Section::ALL.iter().map(|s| s.name()).collect();
                warnings.push(format!(
                    "unknown section [{section_name}] skipped (known: {})",
                    names.join(", ")
                ));
                continue;
            };
            let Some(actions) = actions.as_table() else {
                warnings.push(format!("`{section_name}` is not a [section]; skipped"));
                continue;
            };
            for (action_name, keys) in actions {
                let place = format!("[{section_name}] {action_name}");
                let Ok(action) = Action::deserialize(action_name.as_str().into_deserializer())
                    .map_err(|_: serde::de::value::Error| ())
                else {
                    warnings.push(format!("{place}: unknown action; skipped"));
                    continue;
                };
                let names: Vec<&str> = match keys {
                    toml::Value::String(k) => vec![k.as_str()],
                    toml::Value::Array(ks) => ks.iter().filter_map(|k| k.as_str()).collect(),
                    _ => Vec::new(),
                };
                let parsed: Result<Vec<Key>, String> =
                    names.iter().map(|k| Key::parse(k)).collect();
                match parsed {
                    Ok(keys) if !keys.is_empty() => entries.push((section, action, keys)),
                    Ok(_) => warnings.push(format!("{place}: no key names; skipped")),
                    Err(e) => warnings.push(format!("{place}: {e}; skipped")),
                }
            }
        }
        let keymap = Self::with_user(Some(entries)).unwrap_or_default();
        (keymap, warnings)
    }

    fn with_user(user: Option<Vec<(Section, Action, Vec<Key>)>>) -> Result<Keymap, String> {
        let mut listing = parse_file(DEFAULT_KEYS).map_err(|e| format!("built-in keymap: {e}"))?;
        // Order help by the action list, not the file's alphabetical table order.
        let order = |a: &Action| {
            Action::BINDABLE
                .iter()
                .position(|b| b == a)
                .unwrap_or(usize::MAX)
        };
        listing.sort_by_key(|(s, a, _)| (*s, order(a)));
        if let Some(user) = user {
            for (section, action, keys) in user {
                for (_, _, ks) in listing.iter_mut().filter(|(s, _, _)| *s == section) {
                    ks.retain(|k| !keys.contains(k));
                }
                match listing
                    .iter_mut()
                    .find(|(s, a, _)| *s == section && *a == action)
                {
                    Some(entry) => entry.2 = keys,
                    None => listing.push((section, action, keys)),
                }
            }
            listing.sort_by_key(|(s, a, _)| (*s, order(a)));
        }
        let mut lookup = HashMap::new();
        for (section, action, keys) in &listing {
            for key in keys {
                lookup.insert((*section, *key), *action);
            }
        }
        Ok(Keymap { lookup, listing })
    }

    pub fn action(&self, section: Section, key: Key) -> Option<Action> {
        self.lookup.get(&(section, key)).copied()
    }

    /// Every binding, grouped by section, in help order.
    pub fn listing(&self) -> &[(Section, Action, Vec<Key>)] {
        &self.listing
    }

    /// The first key bound to `action` in `section`, for status-bar hints.
    pub fn first_key(&self, section: Section, action: Action) -> Option<&Key> {
        self.listing
            .iter()
            .find(|(s, a, _)| *s == section && *a == action)
            .and_then(|(_, _, keys)| keys.first())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_key_names_and_modifiers() {
        assert_eq!(
            Key::parse("ctrl-r"),
            Ok(Key::new(KeyCode::Char('r'), KeyModifiers::CONTROL))
        );
        assert_eq!(
            Key::parse("N"),
            Ok(Key::new(KeyCode::Char('N'), KeyModifiers::NONE))
        );
        assert_eq!(
            Key::parse("shift-tab"),
            Ok(Key::new(KeyCode::BackTab, KeyModifiers::NONE))
        );
        assert_eq!(
            Key::parse("-"),
            Ok(Key::new(KeyCode::Char('-'), KeyModifiers::NONE))
        );
        assert_eq!(
            Key::parse("PgDn"),
            Ok(Key::new(KeyCode::PageDown, KeyModifiers::NONE))
        );
        assert_eq!(
            Key::parse("F1"),
            Ok(Key::new(KeyCode::F(1), KeyModifiers::NONE))
        );
        assert!(Key::parse("hyper-x").is_err());
        // A terminal reports `N` with Shift held; it is the same key.
        assert_eq!(
            Key::new(KeyCode::Char('N'), KeyModifiers::SHIFT),
            Key::parse("N").unwrap()
        );
    }

    #[test]
    fn user_file_overrides_and_steals_keys() {
        let map = Keymap::from_files(Some("[tree]\nlink = \"ctrl-l\"\njump = [\"a\"]\n")).unwrap();
        let key = |s| Key::parse(s).unwrap();
        assert_eq!(map.action(Section::Tree, key("ctrl-l")), Some(Action::Link));
        assert_eq!(map.action(Section::Tree, key("L")), None);
        assert_eq!(map.action(Section::Tree, key("a")), Some(Action::Jump));
        assert_eq!(map.action(Section::Tree, key("g")), None);
        assert!(
            Keymap::from_files(Some("[tree]\nfly = \"z\"\n"))
                .unwrap_err()
                .contains("fly")
        );
        assert!(
            Keymap::from_files(Some("[moon]\nquit = \"z\"\n"))
                .unwrap_err()
                .contains("moon")
        );
    }

    #[test]
    fn a_user_file_with_typos_applies_the_rest_and_names_each_problem() {
        let text = "[tree]\nlink = \"ctrl-l\"\nfly = \"z\"\njump = \"ctrl-nope-x\"\n\
                    this is not toml\n[moon]\nquit = \"z\"\n[global]\nquit = \"Q\"\n";
        let (map, warnings) = Keymap::from_user_file(text);
        let key = |s| Key::parse(s).unwrap();
        assert_eq!(map.action(Section::Tree, key("ctrl-l")), Some(Action::Link));
        assert_eq!(map.action(Section::Global, key("Q")), Some(Action::Quit));
        assert_eq!(
            map.action(Section::Tree, key("g")),
            Some(Action::Jump),
            "kept"
        );
        let all = warnings.join("\n");
        assert_eq!(warnings.len(), 4, "{all}");
        assert!(
            all.contains("line 5") && all.contains("line skipped"),
            "{all}"
        );
        assert!(all.contains("[tree] fly: unknown action"), "{all}");
        assert!(all.contains("[tree] jump"), "{all}");
        assert!(all.contains("unknown section [moon]"), "{all}");
    }

    #[test]
    fn default_keymap_binds_every_documented_context() {
        let map = Keymap::default();
        for section in Section::ALL {
            assert!(
                map.listing().iter().any(|(s, _, _)| *s == section),
                "{section:?}"
            );
        }
        assert_eq!(
            map.action(Section::Global, Key::parse("u").unwrap()),
            Some(Action::Undo)
        );
    }
}
