//! Text from frameworks and notes, made safe and sized for the terminal: control
//! characters and escape sequences never reach it, and widths are measured in cells.
use std::borrow::Cow;
use unicode_width::UnicodeWidthChar;

/// Bidi controls reorder everything after them in a bidi-aware terminal; drop them.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn needs_work(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// One line of text fit for the terminal: escape sequences (CSI, OSC, DCS, ...) are
/// removed whole, line breaks and tabs become a single space, other control and
/// bidi-control characters are dropped. Borrows when there is nothing to do.
pub fn sanitize(s: &str) -> Cow<'_, str> {
    // Printable ASCII is by far the common case: a byte scan settles it.
    if s.bytes().all(|b| (0x20..0x7f).contains(&b)) || !s.chars().any(needs_work) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => match chars.next() {
                Some('[') => skip_csi(&mut chars),
                Some(']' | 'P' | 'X' | '^' | '_') => skip_string(&mut chars),
                _ => {}
            },
            '\u{9b}' => skip_csi(&mut chars),
            '\u{9d}' | '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            '\t' | '\n' | '\r' | '\u{0b}' | '\u{0c}' => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            c if needs_work(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Parameters and intermediates (0x20..=0x3F) up to the final byte, which is dropped too.
fn skip_csi(chars: &mut impl Iterator<Item = char>) {
    for c in chars.by_ref() {
        if !('\u{20}'..='\u{3f}').contains(&c) {
            return;
        }
    }
}

/// OSC/DCS/SOS/PM/APC bodies end at BEL or ST (ESC \ or 0x9C).
fn skip_string(chars: &mut std::iter::Peekable<impl Iterator<Item = char>>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{07}' | '\u{9c}' => return,
            '\u{1b}' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                return;
            }
            _ => {}
        }
    }
}

pub fn char_width(c: char) -> usize {
    c.width().unwrap_or(0)
}

pub fn width(s: &str) -> usize {
    s.chars().map(char_width).sum()
}

/// The longest prefix of `s` at most `max` cells wide; a cut shows as a trailing `…`.
pub fn truncate(s: &str, max: usize) -> Cow<'_, str> {
    if width(s) <= max {
        return Cow::Borrowed(s);
    }
    if max == 0 {
        return Cow::Borrowed("");
    }
    let mut used = 0;
    let mut end = 0;
    for (i, c) in s.char_indices() {
        let w = char_width(c);
        if used + w > max - 1 {
            break;
        }
        used += w;
        end = i + c.len_utf8();
    }
    Cow::Owned(format!("{}…", &s[..end]))
}

/// Greedy word wrap into lines at most `max` cells wide; words wider than a line are
/// split between characters, so nothing is ever cut off.
pub fn wrap(s: &str, max: usize) -> Vec<&str> {
    let max = max.max(1);
    let mut lines = Vec::new();
    let mut rest = s.trim_start_matches(' ');
    loop {
        let (mut used, mut cut, mut last_space) = (0, None, None);
        for (i, c) in rest.char_indices() {
            let w = char_width(c);
            if used + w > max {
                cut = Some(i);
                break;
            }
            if c == ' ' {
                last_space = Some(i);
            }
            used += w;
        }
        let Some(cut) = cut else { break };
        let at = if rest[cut..].starts_with(' ') {
            cut
        } else {
            last_space.filter(|&sp| sp > 0).unwrap_or(cut)
        };
        // A character wider than the whole line still goes somewhere: alone.
        let at = if at == 0 {
            rest.chars().next().map_or(rest.len(), char::len_utf8)
        } else {
            at
        };
        lines.push(rest[..at].trim_end_matches(' '));
        rest = rest[at..].trim_start_matches(' ');
    }
    if !rest.is_empty() || lines.is_empty() {
        lines.push(rest.trim_end_matches(' '));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_strips_escape_sequences_and_controls() {
        assert!(matches!(sanitize("plain text"), Cow::Borrowed(_)));
        assert_eq!(sanitize("red \u{1b}[31mtext\u{1b}[0m"), "red text");
        assert_eq!(sanitize("title\u{1b}]0;pwned\u{07}!"), "title!");
        assert_eq!(sanitize("osc\u{1b}]8;;http://x\u{1b}\\link"), "osclink");
        assert_eq!(sanitize("a\r\nb\tc\u{7f}d\u{0}e"), "a b cde");
        assert_eq!(sanitize("bell\u{07} c1\u{9b}2Jx"), "bell c1x");
        assert_eq!(sanitize("\u{202e}evil\u{202c}"), "evil");
        assert_eq!(sanitize("trailing esc\u{1b}"), "trailing esc");
    }

    #[test]
    fn truncate_counts_cells_not_bytes() {
        assert_eq!(truncate("hello", 5), "hello");
        assert_eq!(truncate("hello world", 6), "hello…");
        assert_eq!(truncate("日本語の文", 5), "日本…");
        assert!(width(&truncate("日本語の文", 4)) <= 4);
        assert_eq!(truncate("😀😀😀", 3), "😀…");
        assert_eq!(truncate("abc", 0), "");
    }

    #[test]
    fn wrap_keeps_every_character() {
        let text = "Apply infection control procedures in community settings";
        let lines = wrap(text, 20);
        assert!(lines.iter().all(|l| width(l) <= 20), "{lines:?}");
        assert_eq!(lines.join(" "), text);
        let long = "x".repeat(45);
        assert_eq!(
            wrap(&long, 20),
            vec![&long[..20], &long[20..40], &long[40..]]
        );
        let cjk = "地域保健活動における感染管理手順を適用する";
        let lines = wrap(cjk, 9);
        assert!(lines.iter().all(|l| width(l) <= 9));
        assert_eq!(lines.concat(), cjk);
        assert_eq!(wrap("", 10), vec![""]);
    }
}
