//! Fuzzy search over code and statement in one pane: hits ranked by skim's score, the
//! tree narrowed to them (and their ancestors) while typing, `n`/`N` between them after.
use super::Action;
use super::state::{Focus, State, Tone};
use super::text_input::TextInput;
use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

/// Past this many score-matrix cells, skim scores a haystack with its linear greedy
/// matcher instead of the full matrix: statements are long, and 20,000 of them must be
/// ranked within a keystroke's frame (16 ms). Short codes still get the full matcher.
const ELEMENT_LIMIT: usize = 160;
/// Up to this many hits are ordered by skim's score. A query matching more (a letter
/// or two against 20,000 statements) is too broad for a score to mean much, and scoring
/// them all would cost more than a frame: those hits keep tree order, the ones that hold
/// the query as typed (a substring) first.
pub const RANK_LIMIT: usize = 1_000;
/// Hit lists kept per query, so Backspace is instant.
const CACHED_QUERIES: usize = 32;

thread_local! {
    // The matcher keeps scratch matrices per thread; make it once.
    static MATCHER: SkimMatcherV2 = SkimMatcherV2::default().smart_case().element_limit(ELEMENT_LIMIT);
}

/// Character positions of `query` matched in `haystack`, for highlighting: where the
/// query stands as typed (a whole word rather than part of one), else skim's letters.
pub fn match_indices(haystack: &str, query: &str) -> Option<Vec<usize>> {
    let case_sensitive = query.chars().any(|c| c.is_ascii_uppercase());
    let (text, pattern) = if case_sensitive {
        (std::borrow::Cow::Borrowed(haystack), query.to_string())
    } else {
        (
            std::borrow::Cow::Owned(haystack.to_ascii_lowercase()),
            query.to_ascii_lowercase(),
        )
    };
    let found = text.match_indices(pattern.as_str()).map(|(at, _)| at);
    let whole = found.clone().find(|&at| {
        !is_word_char(text[..at].chars().next_back())
            && !is_word_char(text[at + pattern.len()..].chars().next())
    });
    if let Some(at) = whole.or_else(|| found.clone().next()) {
        let first = text[..at].chars().count();
        return Some((first..first + pattern.chars().count()).collect());
    }
    // Letters strewn wider than `rank` keeps are no hit (a keyword matched): mark none.
    MATCHER
        .with(|m| m.fuzzy_indices(haystack, query))
        .map(|(_, idx)| idx)
        .filter(|idx| match (idx.first(), idx.last()) {
            (Some(a), Some(b)) => b + 1 - a <= span_limit(&pattern),
            _ => true,
        })
}

/// What search looks at, per item: the row's text, and the same ASCII-lowercased (so a
/// case-blind substring test is a plain `str::contains`), the code's length in bytes
/// (the row starts with it), and the keywords, lowered, one a line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Haystacks {
    pub text: Vec<String>,
    pub lower: Vec<String>,
    pub code_len: Vec<usize>,
    pub keywords: Vec<String>,
}

impl Haystacks {
    pub fn new(items: &[crate::model::Item]) -> Haystacks {
        let text: Vec<String> = items.iter().map(super::pane::haystack).collect();
        Haystacks {
            lower: text.iter().map(|t| t.to_ascii_lowercase()).collect(),
            text,
            code_len: items.iter().map(|it| it.code.len()).collect(),
            keywords: items
                .iter()
                .map(|it| it.keywords.join("\n").to_ascii_lowercase())
                .collect(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Search {
    pub pane: usize,
    pub query: TextInput,
    /// The query line is open (keys type); after Enter, `n`/`N` walk the hits.
    pub typing: bool,
    /// Item indices, best match first.
    pub hits: Vec<usize>,
    pub current: usize,
    /// The item selected when the search began: where the cursor goes back to when the
    /// search ends with nothing found (not on whatever row the empty tree left it).
    pub origin: Option<usize>,
    /// How many items of the other pane the query finds (Tab searches there), counted
    /// between keystrokes (`count_other`), for the query `other_for`.
    pub other_hits: usize,
    pub other_for: String,
    /// The query `hits` were computed for: a longer query only narrows its `pool`.
    matched: String,
    pool: Vec<usize>,
    /// Recent queries and what they found, newest last.
    cache: Vec<(String, Ranked)>,
}

impl Search {
    pub fn current_hit(&self) -> Option<usize> {
        self.hits.get(self.current).copied()
    }
}

/// Skim's own test for a match, without its scoring: the pattern's characters in order.
/// (Skim ignores ASCII case unless the pattern has an upper-case letter; `rank` gives
/// this lowered text and pattern for that.)
fn is_match(haystack: &str, pattern: &str) -> bool {
    if pattern.is_ascii() {
        let mut p = pattern.as_bytes().iter().peekable();
        // Bytes will do: no byte of a multi-byte character equals an ASCII one.
        for b in haystack.bytes() {
            match p.peek() {
                Some(&&q) if b == q => {
                    p.next();
                }
                Some(_) => {}
                None => break,
            }
        }
        return p.peek().is_none();
    }
    let mut p = pattern.chars().peekable();
    for c in haystack.chars() {
        match p.peek() {
            Some(&q) if c == q => {
                p.next();
            }
            Some(_) => {}
            None => break,
        }
    }
    p.peek().is_none()
}

/// How an item matched a query, best first: its code starts with the query, a whole
/// word of its statement or keywords is the query, a word starts with it, the query is
/// somewhere in it as typed, or only its letters are there in order (fuzzy).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Tier {
    Code,
    Word,
    WordStart,
    Substring,
    Fuzzy,
}

fn is_word_char(c: Option<char>) -> bool {
    c.is_some_and(char::is_alphanumeric)
}

/// The best tier among `pattern`'s occurrences in `text` (Word, WordStart or Substring).
fn occurrence_tier(text: &str, pattern: &str) -> Option<Tier> {
    let mut best: Option<Tier> = None;
    for (at, _) in text.match_indices(pattern) {
        let before = text[..at].chars().next_back();
        let after = text[at + pattern.len()..].chars().next();
        let tier = match (is_word_char(before), is_word_char(after)) {
            (false, false) => Tier::Word,
            (false, true) => Tier::WordStart,
            _ => Tier::Substring,
        };
        best = Some(best.map_or(tier, |b| b.min(tier)));
        if tier == Tier::Word {
            break;
        }
    }
    best
}

/// The tier of item `i`, when it matches at all (`is_match` said so for fuzzy).
fn tier(haystacks: &Haystacks, texts: &[String], pattern: &str, i: usize) -> Tier {
    let text = &texts[i];
    if haystacks.code_len.get(i).is_some_and(|&n| n > 0) && text.starts_with(pattern) {
        return Tier::Code;
    }
    let in_text = occurrence_tier(text, pattern);
    let in_keywords = haystacks
        .keywords
        .get(i)
        .filter(|k| !k.is_empty())
        .and_then(|k| occurrence_tier(k, &pattern.to_ascii_lowercase()));
    match (in_text, in_keywords) {
        (Some(a), Some(b)) => a.min(b),
        (a, b) => a.or(b).unwrap_or(Tier::Fuzzy),
    }
}

/// The narrowest stretch of `text` (in characters) holding `pattern`'s characters in
/// order, or `None` when it does not. Fuzzy hits whose letters are strewn across a long
/// statement are noise: `rank` drops those much wider than the query.
fn tightest_span(text: &str, pattern: &str) -> Option<usize> {
    let t: Vec<char> = text.chars().collect();
    let p: Vec<char> = pattern.chars().collect();
    if p.is_empty() {
        return Some(0);
    }
    let mut best: Option<usize> = None;
    let mut from = 0;
    loop {
        // Forward: the first place the whole pattern ends, starting at `from`.
        let mut k = 0;
        let mut end = None;
        for (j, &c) in t.iter().enumerate().skip(from) {
            if c == p[k] {
                k += 1;
                if k == p.len() {
                    end = Some(j);
                    break;
                }
            }
        }
        let Some(end) = end else { return best };
        // Backward from there: the latest start that still holds it.
        let mut k = p.len();
        let mut start = end;
        for j in (from..=end).rev() {
            if t[j] == p[k - 1] {
                k -= 1;
                if k == 0 {
                    start = j;
                    break;
                }
            }
        }
        let span = end + 1 - start;
        best = Some(best.map_or(span, |b: usize| b.min(span)));
        if span == p.len() {
            return best;
        }
        from = start + 1;
    }
}

/// A fuzzy hit is kept when its letters sit within this many characters.
fn span_limit(pattern: &str) -> usize {
    3 * pattern.chars().count().max(2)
}

/// What `rank` found: the hits to show, best first, and every item the query's letters
/// match in order (sorted), from which a longer query narrows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ranked {
    pub hits: Vec<usize>,
    pub pool: Vec<usize>,
}

/// Hits for `query` among `candidates` (in tree order; default every item), best first:
/// by `Tier`, then (for up to `RANK_LIMIT` hits) skim's score, then tree order. Fuzzy
/// hits whose letters are strewn wide are left out.
pub fn rank(haystacks: &Haystacks, query: &str, candidates: Option<&[usize]>) -> Ranked {
    let case_sensitive = query.chars().any(|c| c.is_ascii_uppercase());
    let lower = query.to_ascii_lowercase();
    // Case-blind: the lowered text against the lowered query, byte for byte.
    let (texts, pattern) = if case_sensitive {
        (&haystacks.text, query)
    } else {
        (&haystacks.lower, lower.as_str())
    };
    let hit = |&i: &usize| {
        is_match(&texts[i], pattern)
            || haystacks
                .keywords
                .get(i)
                .is_some_and(|k| !k.is_empty() && k.contains(lower.as_str()))
    };
    let pool: Vec<usize> = match candidates {
        Some(c) => c.iter().copied().filter(hit).collect(),
        None => (0..texts.len()).filter(hit).collect(),
    };
    let limit = span_limit(pattern);
    let mut tiered: Vec<(Tier, usize)> = pool
        .iter()
        .map(|&i| (tier(haystacks, texts, pattern, i), i))
        .filter(|&(t, i)| t != Tier::Fuzzy || tightest_span(&texts[i], pattern) <= Some(limit))
        .collect();
    if tiered.len() > RANK_LIMIT {
        // Stable: tree order within a tier.
        tiered.sort_by_key(|&(t, _)| t);
        let hits = tiered.into_iter().map(|(_, i)| i).collect();
        return Ranked { hits, pool };
    }
    let mut scored: Vec<(Tier, i64, usize)> = MATCHER.with(|m| {
        tiered
            .iter()
            .map(|&(t, i)| {
                let s = m.fuzzy_match(&haystacks.text[i], query).unwrap_or(0);
                (t, s, i)
            })
            .collect()
    });
    scored.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    let hits = scored.into_iter().map(|(_, _, i)| i).collect();
    Ranked { hits, pool }
}

/// Counts the other pane's hits for the query typed, when it changed since the last
/// count: run between keystrokes (`tick`), so typing never waits for it. True when the
/// count changed.
pub fn count_other(state: &mut State) -> bool {
    let Some(search) = &mut state.search else {
        return false;
    };
    let query = search.query.text.trim();
    if !search.typing || search.other_for == query {
        return false;
    }
    let other = &state.panes[1 - search.pane];
    search.other_hits = if query.is_empty() || other.haystacks.text.is_empty() {
        0
    } else {
        rank(&other.haystacks, query, None).hits.len()
    };
    search.other_for = query.to_string();
    true
}

pub fn start(state: &mut State) {
    let pane = state.active;
    if state.panes[pane].is_empty() {
        return;
    }
    state.panes[pane].ensure_haystacks();
    state.panes[1 - pane].ensure_haystacks();
    state.focus = Focus::Pane(pane);
    state.search = Some(Search {
        pane,
        typing: true,
        origin: state.panes[pane].item(),
        ..Search::default()
    });
}

/// A key while the query line is open.
pub fn typing(state: &mut State, action: Action) {
    let Some(search) = &mut state.search else {
        return;
    };
    match action {
        Action::Cancel => leave(state),
        Action::Submit => {
            search.typing = false;
            let n = search.hits.len();
            let query = search.query.text.trim().to_string();
            refilter(state);
            if n == 0 {
                leave(state);
                state.say(Tone::Info, format!("no match for “{query}”"));
            } else {
                show_current(state);
                let hits = super::plural(n, "hit", "hits");
                state.say(
                    Tone::Info,
                    format!("{hits}: n / N for next / previous, Esc to leave the search"),
                );
            }
        }
        Action::NextHit | Action::PrevHit => walk(state, action == Action::NextHit),
        // Tab: the same query in the other pane.
        Action::Complete => {
            let query = search.query.clone();
            let from = search.pane;
            leave(state);
            let to = 1 - from;
            if state.panes[to].is_empty() {
                return;
            }
            state.active = to;
            start(state);
            if let Some(s) = &mut state.search {
                s.query = query;
            }
            rerun(state);
        }
        edit => {
            if search.query.edit(edit) {
                rerun(state);
            }
        }
    }
}

/// Recomputes hits after the query changed and narrows the tree to them.
fn rerun(state: &mut State) {
    let Some(search) = &mut state.search else {
        return;
    };
    let pane = &state.panes[search.pane];
    let query = search.query.text.trim().to_string();
    let ranked = if query.is_empty() {
        Ranked::default()
    } else if let Some((_, r)) = search.cache.iter().rev().find(|(q, _)| *q == query) {
        r.clone()
    } else if !search.matched.is_empty() && query.starts_with(&search.matched) {
        // Every match of the longer query is a match of the shorter one.
        rank(&pane.haystacks, &query, Some(&search.pool))
    } else {
        rank(&pane.haystacks, &query, None)
    };
    if !query.is_empty() && !search.cache.iter().any(|(q, _)| *q == query) {
        if search.cache.len() == CACHED_QUERIES {
            search.cache.remove(0);
        }
        search.cache.push((query.clone(), ranked.clone()));
    }
    search.hits = ranked.hits;
    search.pool = ranked.pool;
    search.matched = query;
    search.current = 0;
    refilter(state);
    show_current(state);
}

fn refilter(state: &mut State) {
    let Some(p) = state.search.as_ref().map(|s| s.pane) else {
        return;
    };
    let keep = state.search_keep(p);
    let height = state.tree_height();
    state.panes[p].refilter(keep, height);
    state.reselect();
}

fn show_current(state: &mut State) {
    let Some(search) = &state.search else { return };
    let (p, hit) = (search.pane, search.current_hit());
    if let Some(item) = hit {
        let height = state.tree_height();
        state.panes[p].reveal(item, height);
        state.active = p;
        state.focus = Focus::Pane(p);
        state.reselect();
    }
}

/// `n` / `N`: the next or previous hit, in rank order, wrapping.
pub fn walk(state: &mut State, forward: bool) {
    let Some(search) = &mut state.search else {
        state.say(Tone::Info, "no search: press / to search this pane");
        return;
    };
    let n = search.hits.len();
    if n == 0 {
        return;
    }
    search.current = if forward {
        (search.current + 1) % n
    } else {
        (search.current + n - 1) % n
    };
    let at = format!("hit {} of {n}", search.current + 1);
    show_current(state);
    state.say(Tone::Info, at);
}

/// Esc: the search is gone, the tree is whole again, the cursor stays where it is (on
/// the hit shown), or, when nothing was found, goes back to where it was before.
pub fn leave(state: &mut State) {
    if let Some(search) = state.search.take() {
        let height = state.tree_height();
        let item = if search.hits.is_empty() {
            search.origin
        } else {
            state.panes[search.pane].item()
        };
        state.panes[search.pane].refilter(None, height);
        if let Some(item) = item {
            state.panes[search.pane].reveal(item, height);
        }
        state.reselect();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn corpus(texts: &[&str]) -> Haystacks {
        let items: Vec<crate::model::Item> = texts
            .iter()
            .map(|t| crate::model::Item {
                statement: t.to_string(),
                ..Default::default()
            })
            .collect();
        Haystacks::new(&items)
    }

    #[test]
    fn matching_agrees_with_skim_and_broad_queries_keep_tree_order() {
        let hs = corpus(&[
            "Apply infection control",
            "Plan outreach",
            "Use plain language",
            "日本 plain",
        ]);
        for q in ["pla", "PLA", "Pl", "ctl", "日p", "zz", "p o"] {
            let skim: Vec<usize> = (0..4)
                .filter(|&i| MATCHER.with(|m| m.fuzzy_match(&hs.text[i], q)).is_some())
                .collect();
            assert_eq!(rank(&hs, q, None).pool, skim, "{q}");
        }
        // A whole word first, then a word that starts with it.
        assert_eq!(rank(&hs, "plain", None).hits[0], 2);
        assert_eq!(rank(&hs, "pla", None).hits[..3], [1, 2, 3]);
        // Past the limit: by tier, each tier in tree order.
        let texts: Vec<String> = (0..RANK_LIMIT + 10)
            .map(|i| {
                if i % 2 == 0 {
                    format!("p x l x a {i}")
                } else {
                    format!("Plan {i}")
                }
            })
            .collect();
        let many = corpus(&texts.iter().map(String::as_str).collect::<Vec<_>>());
        let r = rank(&many, "pla", None).hits;
        assert_eq!(r.len(), many.text.len());
        assert_eq!(&r[..3], &[1, 3, 5]);
        assert_eq!(r[(RANK_LIMIT + 10) / 2], 0);
    }

    #[test]
    fn whole_words_and_codes_rank_above_fuzzy_hits_and_strewn_letters_drop() {
        let mut items: Vec<crate::model::Item> = [
            ("A.1", "Maintain accurate records and data entries, dated"),
            ("A.2", "Complete mandated reporting of abuse"),
            ("A.3", "Manage a team and date-stamp the logs"),
            ("MAN.1", "Orientation"),
            ("A.4", "Summarises findings"),
        ]
        .iter()
        .map(|(c, t)| crate::model::Item {
            code: c.to_string(),
            statement: t.to_string(),
            ..Default::default()
        })
        .collect();
        items[4].keywords = vec!["mandated reporter".into()];
        let hs = Haystacks::new(&items);
        // "mandated": the word itself first (statement, then keyword), the strewn
        // m-a-n-d-a-t-e-d of A.1 and A.3 not at all.
        assert_eq!(rank(&hs, "mandated", None).hits, [1, 4]);
        // A code prefix before words.
        assert_eq!(rank(&hs, "man", None).hits[0], 3);
        assert_eq!(tightest_span("a xx b a b", "ab"), Some(3));
        assert_eq!(tightest_span("ab", "ba"), None);
        // Strewn letters (an item found by its keyword) are not highlighted.
        assert_eq!(
            match_indices("m x a x n x d x a x t x e x d", "mandated"),
            None
        );
        // The highlight is the word, not skim's first letters.
        assert_eq!(
            match_indices("A.2 demand; mandated", "mandated"),
            Some((12..20).collect())
        );
    }
}
