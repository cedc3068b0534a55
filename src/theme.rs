//! Colour themes: TOML data files, the built-in ones embedded in the binary, user
//! ones read from the config dir. A theme only colours; every state also has a symbol.
use crate::model::LinkStatus;
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Block;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::str::FromStr;

/// Built-in themes, in the order the cycle key visits them (the first is the default).
pub const BUILTIN: &[(&str, &str)] = &[
    ("dark", include_str!("../themes/dark.toml")),
    ("light", include_str!("../themes/light.toml")),
    (
        "high-contrast",
        include_str!("../themes/high-contrast.toml"),
    ),
    ("colour-blind", include_str!("../themes/colour-blind.toml")),
];

/// Every colour a theme may set.
const KEYS: &[&str] = &[
    "fg",
    "bg",
    "muted",
    "border",
    "border_focus",
    "title",
    "code",
    "cursor_fg",
    "cursor_bg",
    "cursor_dim_fg",
    "cursor_dim_bg",
    "linked_fg",
    "linked_bg",
    "match_fg",
    "badge",
    "unlinked",
    "marked",
    "ok",
    "warn",
    "error",
    "agreed",
    "proposed",
    "disputed",
    "rejected",
    "status_fg",
    "status_bg",
    "mode_fg",
    "mode_bg",
    "key",
    "popup_fg",
    "popup_bg",
    "popup_border",
];

/// Styles ready to draw with, resolved once when the theme is chosen.
#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub name: String,
    pub base: Style,
    pub muted: Style,
    pub border: Style,
    pub border_focus: Style,
    pub title: Style,
    pub code: Style,
    pub cursor: Style,
    pub cursor_dim: Style,
    pub linked: Style,
    pub matched: Style,
    pub badge: Style,
    pub unlinked: Style,
    pub marked: Style,
    pub ok: Style,
    pub warn: Style,
    pub error: Style,
    /// Link statuses, indexed in `LinkStatus::ALL` order (see `Theme::link_status`).
    pub statuses: [Style; 4],
    pub status: Style,
    pub mode: Style,
    pub key: Style,
    pub popup: Style,
    pub popup_border: Style,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ThemeFile {
    name: Option<String>,
    #[serde(default)]
    colors: BTreeMap<String, String>,
}

impl Default for Theme {
    fn default() -> Self {
        Theme::builtin("dark").expect("the dark theme is built in")
    }
}

impl Theme {
    /// A pane's box: the focus mark (▶) and border colour, its kind, then `rest` muted.
    pub fn pane_block<'a>(&self, focused: bool, kind: &'a str, rest: String) -> Block<'a> {
        Block::bordered()
            .border_style(if focused {
                self.border_focus
            } else {
                self.border
            })
            .title(Line::from(vec![
                Span::styled(if focused { "▶ " } else { "  " }, self.border_focus),
                Span::styled(kind, self.title),
                Span::styled(rest, self.muted),
            ]))
    }

    /// How a link status is coloured (it always has its symbol too).
    pub fn link_status(&self, status: LinkStatus) -> Style {
        self.statuses[status as usize]
    }

    pub fn builtin(name: &str) -> Option<Theme> {
        let (_, text) = BUILTIN.iter().find(|(n, _)| *n == name)?;
        Theme::parse(text, name).ok()
    }

    /// Reads a theme file; colours it leaves out come from the dark theme.
    pub fn parse(text: &str, default_name: &str) -> Result<Theme, String> {
        let file: ThemeFile = toml::from_str(text).map_err(|e| e.to_string())?;
        let dark: ThemeFile = toml::from_str(BUILTIN[0].1).map_err(|e| e.to_string())?;
        if let Some(bad) = file.colors.keys().find(|k| !KEYS.contains(&k.as_str())) {
            return Err(format!(
                "unknown colour `{bad}` (known: {})",
                KEYS.join(", ")
            ));
        }
        let color = |key: &str| -> Result<Color, String> {
            let value = file.colors.get(key).or_else(|| dark.colors.get(key));
            let value = value.map_or("reset", String::as_str);
            Color::from_str(value).map_err(|_| format!("colour `{key}`: cannot read `{value}`"))
        };
        let fg = |key: &str| color(key).map(|c| Style::new().fg(c));
        let pair = |f: &str, b: &str| -> Result<Style, String> {
            Ok(Style::new().fg(color(f)?).bg(color(b)?))
        };
        let bold = Modifier::BOLD;
        Ok(Theme {
            name: file.name.unwrap_or_else(|| default_name.to_string()),
            base: pair("fg", "bg")?,
            muted: fg("muted")?,
            border: fg("border")?,
            border_focus: fg("border_focus")?.add_modifier(bold),
            title: fg("title")?.add_modifier(bold),
            code: fg("code")?.add_modifier(bold),
            cursor: pair("cursor_fg", "cursor_bg")?.add_modifier(bold),
            cursor_dim: pair("cursor_dim_fg", "cursor_dim_bg")?,
            linked: pair("linked_fg", "linked_bg")?,
            matched: fg("match_fg")?.add_modifier(bold | Modifier::UNDERLINED),
            badge: fg("badge")?.add_modifier(bold),
            unlinked: fg("unlinked")?,
            marked: fg("marked")?,
            ok: fg("ok")?.add_modifier(bold),
            warn: fg("warn")?.add_modifier(bold),
            error: fg("error")?.add_modifier(bold),
            statuses: [
                fg("proposed")?.add_modifier(bold),
                fg("agreed")?.add_modifier(bold),
                fg("disputed")?.add_modifier(bold),
                fg("rejected")?.add_modifier(bold),
            ],
            status: pair("status_fg", "status_bg")?,
            mode: pair("mode_fg", "mode_bg")?.add_modifier(bold),
            key: fg("key")?.add_modifier(bold),
            popup: pair("popup_fg", "popup_bg")?,
            popup_border: fg("popup_border")?.add_modifier(bold),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_theme_parses_and_sets_every_colour() {
        for (name, text) in BUILTIN {
            let theme = Theme::parse(text, name).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(&theme.name, name);
            let file: ThemeFile = toml::from_str(text).unwrap();
            for key in KEYS {
                assert!(file.colors.contains_key(*key), "{name} lacks {key}");
            }
        }
    }

    #[test]
    fn user_theme_falls_back_to_dark_and_rejects_typos() {
        let t = Theme::parse("[colors]\ncode = \"#ff0000\"\n", "mine").unwrap();
        assert_eq!(t.name, "mine");
        assert_eq!(t.code.fg, Some(Color::Rgb(255, 0, 0)));
        assert_eq!(t.base, Theme::default().base);
        assert!(
            Theme::parse("[colors]\ncolde = \"red\"\n", "x")
                .unwrap_err()
                .contains("colde")
        );
        assert!(
            Theme::parse("[colors]\ncode = \"#zz\"\n", "x")
                .unwrap_err()
                .contains("code")
        );
    }
}
