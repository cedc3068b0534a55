//! The user's config dir: keys.toml overrides bindings, themes/*.toml adds themes.
use super::keymap::Keymap;
use crate::theme::BUILTIN;
use crate::theme::Theme;
use anyhow::{Context, Result, bail};
use std::path::{Path, PathBuf};

/// `~/.config/crosswalk` on Linux (ProjectDirs org/crosswalk/crosswalk elsewhere).
pub fn config_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("org", "crosswalk", "crosswalk")
        .map(|d| d.config_dir().to_path_buf())
}

/// The default keymap with the user's keys.toml on top, if there is one, and a warning
/// for each line of it that was skipped (a typo must not stop the screen from starting).
pub fn load_keymap(dir: Option<&Path>) -> Result<(Keymap, Vec<String>)> {
    let Some(path) = dir.map(|d| d.join("keys.toml")).filter(|p| p.exists()) else {
        return Ok((Keymap::default(), Vec::new()));
    };
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {}", path.display()))?;
    let (keymap, warnings) = Keymap::from_user_file(&text);
    let warnings = warnings
        .into_iter()
        .map(|w| format!("{}: {w}", path.display()))
        .collect();
    Ok((keymap, warnings))
}

/// Built-in themes, then the user's (a user theme with a built-in name replaces it).
pub fn load_themes(dir: Option<&Path>) -> Result<Vec<Theme>> {
    let mut themes: Vec<Theme> = BUILTIN
        .iter()
        .filter_map(|(name, _)| Theme::builtin(name))
        .collect();
    let Some(dir) = dir.map(|d| d.join("themes")).filter(|d| d.is_dir()) else {
        return Ok(themes);
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    for path in files {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read {}", path.display()))?;
        let theme =
            Theme::parse(&text, &stem).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        match themes.iter_mut().find(|t| t.name == theme.name) {
            Some(slot) => *slot = theme,
            None => themes.push(theme),
        }
    }
    Ok(themes)
}

/// The theme asked for by name; unknown names are an error that lists the choices.
pub fn theme_index(themes: &[Theme], name: &str) -> Result<usize> {
    let norm = |s: &str| {
        s.to_ascii_lowercase()
            .replace(['_', ' '], "-")
            .replace("color", "colour")
    };
    if let Some(i) = themes.iter().position(|t| norm(&t.name) == norm(name)) {
        return Ok(i);
    }
    let names: Vec<&str> = themes.iter().map(|t| t.name.as_str()).collect();
    bail!("unknown theme `{name}` (available: {})", names.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_themes_and_keys_come_from_the_config_dir() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("themes")).unwrap();
        std::fs::write(
            dir.path().join("themes/wall.toml"),
            "[colors]\nfg = \"white\"\n",
        )
        .unwrap();
        std::fs::write(dir.path().join("keys.toml"), "[global]\nquit = \"Q\"\n").unwrap();
        let themes = load_themes(Some(dir.path())).unwrap();
        assert_eq!(theme_index(&themes, "wall").unwrap(), 4);
        assert_eq!(theme_index(&themes, "Color-Blind").unwrap(), 3);
        assert!(
            theme_index(&themes, "neon")
                .unwrap_err()
                .to_string()
                .contains("high-contrast")
        );
        let (keys, warnings) = load_keymap(Some(dir.path())).unwrap();
        assert!(warnings.is_empty(), "{warnings:?}");
        let q = super::super::keymap::Key::parse("Q").unwrap();
        assert_eq!(
            keys.action(super::super::keymap::Section::Global, q),
            Some(super::super::Action::Quit)
        );
        // A typo costs the line it is on, not the screen.
        std::fs::write(
            dir.path().join("keys.toml"),
            "[global]\nquit = \"Q\"\nhelp = \"ctrl-\"\nqiut = \"x\"\n",
        )
        .unwrap();
        let (keys, warnings) = load_keymap(Some(dir.path())).unwrap();
        assert_eq!(warnings.len(), 2, "{warnings:?}");
        assert!(warnings[0].contains("keys.toml") && warnings.join(" ").contains("qiut"));
        assert_eq!(
            keys.action(super::super::keymap::Section::Global, q),
            Some(super::super::Action::Quit)
        );
    }
}
