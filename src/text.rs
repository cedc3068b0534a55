//! Text from frameworks and notes, made safe and sized for the terminal: control
//! characters and escape sequences never reach it, and widths are measured in cells.
//!
//! One sanitiser serves every front end: the screen draws through [`sanitize`], the
//! command line writes through [`TerminalWriter`], and JSON goes out through
//! [`escape_json_controls`]. They share one scrubber, so an escape sequence is
//! removed whole (its payload with it) wherever the text is shown.
use std::borrow::Cow;
use std::io::Write;
use unicode_width::UnicodeWidthChar;

/// Bidi controls reorder everything after them in a bidi-aware terminal; drop them.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn needs_work(c: char) -> bool {
    c.is_control() || is_bidi_control(c)
}

/// What happens to line breaks and tabs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lines {
    /// One line: breaks and tabs become a single space.
    Join,
    /// Several lines: `\n`, `\r\n` and `\t` stay (a lone `\r`, which would let text
    /// overwrite its own line, becomes a space).
    Keep,
}

/// Where the scrubber is in an escape sequence; sequences may span writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum InSequence {
    #[default]
    No,
    /// After ESC: the next character says which kind.
    Escape,
    /// In a CSI's parameters (0x20..=0x3F), up to its final character.
    Csi,
    /// In an OSC/DCS/SOS/PM/APC body, up to BEL or ST.
    Body,
    /// After ESC inside a body: `\` ends it (ST).
    BodyEscape,
}

/// The state machine behind every sanitiser: feed it characters, it pushes what is safe.
#[derive(Debug, Default)]
struct Scrubber {
    seq: InSequence,
    /// A `\r` seen but not yet placed (it is kept only before `\n`).
    cr: bool,
}

impl Scrubber {
    fn push(&mut self, c: char, lines: Lines, out: &mut String) {
        match self.seq {
            InSequence::Escape => {
                self.seq = match c {
                    '[' => InSequence::Csi,
                    ']' | 'P' | 'X' | '^' | '_' => InSequence::Body,
                    _ => InSequence::No, // a two-character escape: both dropped
                };
                return;
            }
            InSequence::Csi => {
                if !('\u{20}'..='\u{3f}').contains(&c) {
                    self.seq = InSequence::No;
                }
                return;
            }
            InSequence::Body => {
                self.seq = match c {
                    '\u{07}' | '\u{9c}' => InSequence::No,
                    '\u{1b}' => InSequence::BodyEscape,
                    _ => InSequence::Body,
                };
                return;
            }
            InSequence::BodyEscape => {
                self.seq = InSequence::No;
                if c == '\\' {
                    return;
                }
            }
            InSequence::No => {}
        }
        if std::mem::take(&mut self.cr) {
            if c == '\n' {
                out.push('\r');
            } else {
                space(out);
            }
        }
        match c {
            '\u{1b}' => self.seq = InSequence::Escape,
            '\u{9b}' => self.seq = InSequence::Csi,
            '\u{9d}' | '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => self.seq = InSequence::Body,
            '\n' | '\t' if lines == Lines::Keep => out.push(c),
            '\r' if lines == Lines::Keep => self.cr = true,
            '\t' | '\n' | '\r' | '\u{0b}' | '\u{0c}' => space(out),
            c if needs_work(c) => {}
            c => out.push(c),
        }
    }
}

/// Joining whitespace never doubles a space.
fn space(out: &mut String) {
    if !out.ends_with(' ') {
        out.push(' ');
    }
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
    let mut scrub = Scrubber::default();
    for c in s.chars() {
        scrub.push(c, Lines::Join, &mut out);
    }
    Cow::Owned(out)
}

/// Like [`sanitize`], but line breaks and tabs stay: for messages of several lines.
pub fn sanitize_lines(s: &str) -> Cow<'_, str> {
    if !s.chars().any(|c| needs_work(c) && c != '\n' && c != '\t') {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut scrub = Scrubber::default();
    for c in s.chars() {
        scrub.push(c, Lines::Keep, &mut out);
    }
    if scrub.cr {
        space(&mut out);
    }
    Cow::Owned(out)
}

/// A writer for everything the command line prints: whatever passes through it is
/// sanitised like [`sanitize_lines`], even when a sequence is split between writes.
/// JSON written through it should be escaped with [`escape_json_controls`] first, so
/// that no data is lost.
pub struct TerminalWriter<W: Write> {
    inner: W,
    scrub: Scrubber,
    /// The first bytes of a character cut by the end of a write.
    partial: Vec<u8>,
}

impl<W: Write> TerminalWriter<W> {
    pub fn new(inner: W) -> Self {
        TerminalWriter {
            inner,
            scrub: Scrubber::default(),
            partial: Vec::new(),
        }
    }
}

/// Bytes that may start something the scrubber must see: a C0 control other than a
/// line feed or tab, DEL, or the lead byte of a C1 control (U+0080..U+009F: C2) or a
/// bidi control (U+061C: D8; U+200E.., U+202A.., U+2066..: E2). Everything else is
/// passed through as it is, without decoding.
fn may_need_work(b: u8) -> bool {
    (b < 0x20 && b != b'\n' && b != b'\t') || matches!(b, 0x7f | 0xc2 | 0xd8 | 0xe2)
}

/// The length of the UTF-8 sequence a lead byte starts (1 for a stray byte).
fn utf8_len(lead: u8) -> usize {
    match lead {
        0xc0..=0xdf => 2,
        0xe0..=0xef => 3,
        0xf0..=0xf7 => 4,
        _ => 1,
    }
}

impl<W: Write> Write for TerminalWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let joined;
        let bytes = if self.partial.is_empty() {
            buf
        } else {
            joined = [std::mem::take(&mut self.partial).as_slice(), buf].concat();
            &joined
        };
        let mut i = 0;
        let mut out = String::new();
        while i < bytes.len() {
            if self.scrub.seq == InSequence::No && !self.scrub.cr {
                let run = bytes[i..]
                    .iter()
                    .position(|&b| may_need_work(b))
                    .unwrap_or(bytes.len() - i);
                if run > 0 {
                    self.inner.write_all(&bytes[i..i + run])?;
                    i += run;
                    continue;
                }
            }
            let len = utf8_len(bytes[i]);
            if i + len > bytes.len() {
                // A character cut by the end of this write: finish it with the next.
                self.partial = bytes[i..].to_vec();
                break;
            }
            let (c, used) = match std::str::from_utf8(&bytes[i..i + len]) {
                Ok(one) => (one.chars().next().unwrap_or('\u{fffd}'), len),
                Err(_) => ('\u{fffd}', 1),
            };
            out.clear();
            self.scrub.push(c, Lines::Keep, &mut out);
            self.inner.write_all(out.as_bytes())?;
            i += used;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

/// JSON text with every control character escaped, not only the C0 ones serde_json
/// escapes: DEL, the C1 controls (U+0080..U+009F; U+009B is a CSI on many terminals)
/// and the bidi controls become `\uXXXX`. In serialised JSON such characters can only
/// stand inside strings, where the escape means the same character.
pub fn escape_json_controls(json: &str) -> Cow<'_, str> {
    let escape = json_escapes;
    if !json.chars().any(escape) {
        return Cow::Borrowed(json);
    }
    let mut out = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if escape(c) {
            out.push_str(&format!("\\u{:04x}", c as u32));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// What [`escape_json_controls`] escapes that serde_json does not.
fn json_escapes(c: char) -> bool {
    ('\u{7f}'..='\u{9f}').contains(&c) || is_bidi_control(c)
}

/// A writer that does to the JSON text passing through it what [`escape_json_controls`]
/// does to a string, for JSON written as it is made: a character split between two
/// writes is finished with the next. Call [`JsonEscaper::finish`] at the end.
pub struct JsonEscaper<W: Write> {
    inner: W,
    /// The first bytes of a character cut by the end of a write.
    partial: Vec<u8>,
}

impl<W: Write> JsonEscaper<W> {
    pub fn new(inner: W) -> Self {
        JsonEscaper {
            inner,
            partial: Vec::new(),
        }
    }

    /// Writes what is left of a cut character (only a broken text leaves any) and flushes.
    pub fn finish(mut self) -> std::io::Result<W> {
        let rest = std::mem::take(&mut self.partial);
        self.inner.write_all(&rest)?;
        self.inner.flush()?;
        Ok(self.inner)
    }
}

/// How many leading bytes of `bytes` are ASCII other than DEL, eight at a time: the
/// escaper's fast path, since exported text is mostly ASCII.
fn plain_ascii(bytes: &[u8]) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const ONES: u64 = 0x0101_0101_0101_0101;
    let mut n = 0;
    for chunk in bytes.chunks_exact(8) {
        let x = u64::from_ne_bytes(chunk.try_into().expect("eight bytes"));
        // With no high bit set, adding one sets a byte's high bit only for DEL (0x7f).
        if (x | x.wrapping_add(ONES)) & HIGH != 0 {
            break;
        }
        n += 8;
    }
    n
}

impl<W: Write> Write for JsonEscaper<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let joined;
        let bytes = if self.partial.is_empty() {
            buf
        } else {
            joined = [std::mem::take(&mut self.partial).as_slice(), buf].concat();
            &joined
        };
        let mut i = 0;
        while i < bytes.len() {
            // Only DEL and the lead bytes of C1 (C2) and bidi (D8, E2) controls need a look.
            let run = plain_ascii(&bytes[i..]);
            let run = run
                + bytes[i + run..]
                    .iter()
                    .position(|b| matches!(b, 0x7f | 0xc2 | 0xd8 | 0xe2))
                    .unwrap_or(bytes.len() - i - run);
            if run > 0 {
                self.inner.write_all(&bytes[i..i + run])?;
                i += run;
                continue;
            }
            let len = utf8_len(bytes[i]);
            if i + len > bytes.len() {
                self.partial = bytes[i..].to_vec();
                break;
            }
            match std::str::from_utf8(&bytes[i..i + len]).map(|s| s.chars().next()) {
                Ok(Some(c)) if json_escapes(c) => write!(self.inner, "\\u{:04x}", c as u32)?,
                Ok(_) => self.inner.write_all(&bytes[i..i + len])?,
                Err(_) => {
                    // Not UTF-8 (serde_json never writes that): passed on as it is.
                    self.inner.write_all(&bytes[i..i + 1])?;
                    i += 1;
                    continue;
                }
            }
            i += len;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
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
    fn the_json_escaper_escapes_what_escape_json_controls_does_across_any_split() {
        let json = serde_json::to_string_pretty(&serde_json::json!({
            "t": "a\u{7f}b\u{85}c\u{9b}d\u{a0}e\u{61c}f\u{200e}g\u{202e}h\u{2069}i\u{2028}é🧰"
        }))
        .unwrap();
        let want = escape_json_controls(&json).into_owned();
        assert_ne!(want, json);
        for size in 1..=7 {
            let mut w = JsonEscaper::new(Vec::new());
            for piece in json.as_bytes().chunks(size) {
                w.write_all(piece).unwrap();
            }
            let got = String::from_utf8(w.finish().unwrap()).unwrap();
            assert_eq!(got, want, "written {size} byte(s) at a time");
        }
    }

    #[test]
    fn the_json_escaper_finds_a_control_at_any_place_in_long_ascii() {
        // The fast path reads eight bytes at a time: a control in any lane, after any
        // run of plain text, in one write.
        for control in ["\u{7f}", "\u{85}", "\u{202e}"] {
            for at in 0..24 {
                let text = format!("{}{control}{}", "x".repeat(at), "y".repeat(17));
                let json = serde_json::to_string(&text).unwrap();
                let mut w = JsonEscaper::new(Vec::new());
                w.write_all(json.as_bytes()).unwrap();
                let got = String::from_utf8(w.finish().unwrap()).unwrap();
                assert_eq!(got, escape_json_controls(&json), "{control:?} after {at}");
                assert!(!got.contains(control), "{control:?} after {at}");
            }
        }
        assert_eq!(plain_ascii(b"0123456789abcdef\x7f"), 16);
        assert_eq!(plain_ascii(b"0123456\x7f89abcdef"), 0);
    }

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
    fn sanitize_lines_keeps_line_breaks_but_not_a_lone_return() {
        assert_eq!(sanitize_lines("a\r\nb\n\tc"), "a\r\nb\n\tc");
        assert_eq!(sanitize_lines("new\rold"), "new old");
        assert_eq!(sanitize_lines("x\u{1b}]52;c;cHduZWQ=\u{07}y\n"), "xy\n");
    }

    #[test]
    fn the_terminal_writer_removes_sequences_split_between_writes() {
        let mut w = TerminalWriter::new(Vec::new());
        let hostile = "ok \u{1b}]0;title\u{1b}\\ \u{1b}P1;2|data\u{1b}\\ \u{9b}2J \u{1b}[2Jend ✓ — \u{202e}日本\n";
        // Every split point, byte by byte, including inside multi-byte characters.
        for chunk in hostile.as_bytes().chunks(1) {
            w.write_all(chunk).unwrap();
        }
        w.write_all("caf\u{e9} plain\n".as_bytes()).unwrap();
        assert_eq!(
            String::from_utf8(w.inner).unwrap(),
            "ok    end ✓ — 日本\ncaf\u{e9} plain\n"
        );
    }

    #[test]
    fn json_controls_are_escaped_beyond_serde_json() {
        let v = serde_json::json!({"t": "a\u{9b}2Jb\u{1b}c\u{7f}\u{202e}"});
        let text = serde_json::to_string(&v).unwrap();
        let safe = escape_json_controls(&text);
        assert_eq!(safe, r#"{"t":"a\u009b2Jb\u001bc\u007f\u202e"}"#);
        let back: serde_json::Value = serde_json::from_str(&safe).unwrap();
        assert_eq!(back, v);
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
