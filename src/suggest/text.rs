//! Turning statements into terms: lower-case words, stop words dropped, English stems.
use super::stopwords::is_stop_word;
use rust_stemmers::{Algorithm, Stemmer};
use std::collections::HashMap;

/// One word of a text as the index sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// What is matched: the Snowball English stem (other scripts are kept as written).
    pub stem: String,
    /// The word as written, lower-cased: what a person is shown as "matched".
    pub surface: String,
}

/// Words longer than this are noise (URLs, pasted identifiers) and are cut.
const MAX_WORD_CHARS: usize = 40;

/// Splits, filters and stems text. Cheap to create; holds no per-text state.
pub struct Analyzer {
    stemmer: Stemmer,
}

impl Default for Analyzer {
    fn default() -> Self {
        Analyzer {
            stemmer: Stemmer::create(Algorithm::English),
        }
    }
}

impl Analyzer {
    /// The terms of `text`, in order, appended to `out`.
    pub fn tokens_into(&self, text: &str, out: &mut Vec<Token>) {
        out.extend(words(text).filter_map(|w| self.word(w)));
    }

    /// [`Analyzer::tokens_into`], remembering each word in `seen`: a framework repeats its
    /// words, and stemming is most of the work.
    pub fn tokens_cached(
        &self,
        text: &str,
        seen: &mut HashMap<String, Option<Token>>,
        out: &mut Vec<Token>,
    ) {
        for w in words(text) {
            match seen.get(w) {
                Some(t) => out.extend(t.clone()),
                None => {
                    let t = self.word(w);
                    out.extend(t.clone());
                    seen.insert(w.to_string(), t);
                }
            }
        }
    }

    /// One word as a term, or `None` when it does not count.
    fn word(&self, word: &str) -> Option<Token> {
        let lower = word.to_lowercase();
        if !keeps(&lower) {
            return None;
        }
        // Snowball English is for English words; anything else is matched as written.
        let stem = if lower.is_ascii() {
            self.stemmer.stem(&lower).into_owned()
        } else {
            lower.clone()
        };
        Some(Token {
            stem,
            surface: lower,
        })
    }

    pub fn tokens(&self, text: &str) -> Vec<Token> {
        let mut out = Vec::new();
        self.tokens_into(text, &mut out);
        out
    }
}

/// Single letters and bare numbers (list numbering, codes' digits) say nothing about content;
/// a lone CJK ideograph is a word, though.
fn keeps(lower: &str) -> bool {
    let mut chars = lower.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let single = chars.next().is_none();
    if single && !is_ideograph(first) {
        return false;
    }
    lower.chars().any(char::is_alphabetic) && !is_stop_word(lower)
}

/// Runs of letters and digits; each Han or kana character stands alone, since those
/// scripts do not separate words with spaces.
fn words(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        let start = rest.find(char::is_alphanumeric)?;
        rest = &rest[start..];
        let first = rest.chars().next()?;
        let mut end = first.len_utf8();
        if !is_ideograph(first) {
            end += rest[end..]
                .find(|c: char| !c.is_alphanumeric() || is_ideograph(c))
                .unwrap_or(rest.len() - end);
        }
        let word = &rest[..end];
        rest = &rest[end..];
        Some(truncate_chars(word, MAX_WORD_CHARS))
    })
}

fn truncate_chars(word: &str, max: usize) -> &str {
    match word.char_indices().nth(max) {
        Some((cut, _)) => &word[..cut],
        None => word,
    }
}

/// Han ideographs, hiragana and katakana.
fn is_ideograph(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30FF}' | '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}'
        | '\u{F900}'..='\u{FAFF}' | '\u{20000}'..='\u{2FFFF}')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stems(text: &str) -> Vec<String> {
        Analyzer::default()
            .tokens(text)
            .into_iter()
            .map(|t| t.stem)
            .collect()
    }

    #[test]
    fn words_are_lowercased_stemmed_and_stop_words_dropped() {
        assert_eq!(
            stems("Students will demonstrate the ability to Communicate with clients"),
            ["communic", "client"]
        );
        assert_eq!(
            stems("communication, communicating; communicates"),
            ["communic"; 3]
        );
        assert_eq!(stems("Inspecting transformers"), ["inspect", "transform"]);
    }

    #[test]
    fn surface_keeps_the_written_word() {
        let t = Analyzer::default().tokens("Safety-Procedures");
        assert_eq!(
            t[0],
            Token {
                stem: "safeti".into(),
                surface: "safety".into()
            }
        );
        assert_eq!(t[1].surface, "procedures");
    }

    #[test]
    fn numbers_single_letters_and_punctuation_are_dropped() {
        assert_eq!(stems("1. a) CHW.2.3 -- 120V ... ?"), ["chw", "120v"]);
        assert!(stems("").is_empty());
        assert!(stems("   \n\t ").is_empty());
    }

    #[test]
    fn other_scripts_do_not_panic_and_stay_as_written() {
        assert_eq!(stems("健康教育"), ["健", "康", "教", "育"]);
        assert_eq!(stems("التثقيف الصحي"), ["التثقيف", "الصحي"]);
        assert_eq!(stems("Sécurité électrique"), ["sécurité", "électrique"]);
        assert_eq!(stems("안전 교육"), ["안전", "교육"]);
    }

    #[test]
    fn the_cache_gives_the_same_tokens() {
        let a = Analyzer::default();
        let text = "Inspects transformers; inspecting the transformer, 1. a";
        let mut seen = HashMap::new();
        for _ in 0..2 {
            let mut out = Vec::new();
            a.tokens_cached(text, &mut seen, &mut out);
            assert_eq!(out, a.tokens(text));
        }
    }

    #[test]
    fn very_long_words_are_cut() {
        let long = "x".repeat(500);
        assert_eq!(stems(&long)[0].chars().count(), MAX_WORD_CHARS);
    }
}
