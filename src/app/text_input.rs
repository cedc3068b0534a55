//! A one-line text field (the link note, the search query).
use super::Action;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextInput {
    pub text: String,
    /// Cursor position in characters.
    pub cursor: usize,
}

/// Notes are kept to a sane length; a rationale is a sentence or two, not a file.
const MAX_CHARS: usize = 2000;

impl TextInput {
    pub fn with(text: &str) -> TextInput {
        TextInput {
            text: text.to_string(),
            cursor: text.chars().count(),
        }
    }

    fn byte(&self, char_pos: usize) -> usize {
        self.text
            .char_indices()
            .nth(char_pos)
            .map_or(self.text.len(), |(b, _)| b)
    }

    /// Applies an editing action; returns false for actions that are not edits.
    pub fn edit(&mut self, action: Action) -> bool {
        let len = self.text.chars().count();
        match action {
            // Control characters never enter the text (pasted escapes, tabs).
            Action::Insert(c) if !c.is_control() && len < MAX_CHARS => {
                let at = self.byte(self.cursor);
                self.text.insert(at, c);
                self.cursor += 1;
            }
            Action::Insert(_) => {}
            Action::DeleteBack if self.cursor > 0 => {
                self.cursor -= 1;
                let at = self.byte(self.cursor);
                self.text.remove(at);
            }
            Action::DeleteForward if self.cursor < len => {
                let at = self.byte(self.cursor);
                self.text.remove(at);
            }
            Action::DeleteBack | Action::DeleteForward => {}
            Action::CursorLeft => self.cursor = self.cursor.saturating_sub(1),
            Action::CursorRight => self.cursor = (self.cursor + 1).min(len),
            Action::CursorHome => self.cursor = 0,
            Action::CursorEnd => self.cursor = len,
            Action::Clear => *self = TextInput::default(),
            _ => return false,
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_at_the_cursor_with_multibyte_text() {
        let mut t = TextInput::with("né");
        for a in [
            Action::CursorLeft,
            Action::Insert('ï'),
            Action::CursorEnd,
            Action::Insert('!'),
        ] {
            assert!(t.edit(a));
        }
        assert_eq!(t.text, "nïé!");
        t.edit(Action::CursorHome);
        t.edit(Action::DeleteForward);
        t.edit(Action::DeleteBack);
        assert_eq!((t.text.as_str(), t.cursor), ("ïé!", 0));
        t.edit(Action::Insert('\u{1b}'));
        assert_eq!(t.text, "ïé!");
        assert!(!t.edit(Action::Submit));
    }
}
