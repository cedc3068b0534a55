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

/// Character positions of `query` matched in `haystack`, for highlighting.
pub fn match_indices(haystack: &str, query: &str) -> Option<Vec<usize>> {
    MATCHER
        .with(|m| m.fuzzy_indices(haystack, query))
        .map(|(_, idx)| idx)
}

/// What search looks at, per item: the row's text, and the same ASCII-lowercased (so a
/// case-blind substring test is a plain `str::contains`).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Haystacks {
    pub text: Vec<String>,
    pub lower: Vec<String>,
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
    /// The query `hits` were computed for: a longer query only narrows them.
    matched: String,
    /// Recent queries and their hits, newest last.
    cache: Vec<(String, Vec<usize>)>,
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

/// Hits for `query` among `candidates` (in tree order; default every item), best first.
pub fn rank(haystacks: &Haystacks, query: &str, candidates: Option<&[usize]>) -> Vec<usize> {
    let case_sensitive = query.chars().any(|c| c.is_ascii_uppercase());
    let lower = query.to_ascii_lowercase();
    // Case-blind: the lowered text against the lowered query, byte for byte.
    let (texts, pattern) = if case_sensitive {
        (&haystacks.text, query)
    } else {
        (&haystacks.lower, lower.as_str())
    };
    let hit = |&i: &usize| is_match(&texts[i], pattern);
    let hits: Vec<usize> = match candidates {
        Some(c) => c.iter().copied().filter(hit).collect(),
        None => (0..texts.len()).filter(hit).collect(),
    };
    if hits.len() > RANK_LIMIT {
        let (mut exact, rest): (Vec<usize>, Vec<usize>) =
            hits.into_iter().partition(|&i| texts[i].contains(pattern));
        exact.extend(rest);
        return exact;
    }
    let mut scored: Vec<(i64, usize)> = MATCHER.with(|m| {
        hits.iter()
            .filter_map(|&i| m.fuzzy_match(&haystacks.text[i], query).map(|s| (s, i)))
            .collect()
    });
    scored.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored.into_iter().map(|(_, i)| i).collect()
}

pub fn start(state: &mut State) {
    let pane = state.active;
    if state.panes[pane].is_empty() {
        return;
    }
    state.panes[pane].ensure_haystacks();
    state.focus = Focus::Pane(pane);
    state.search = Some(Search {
        pane,
        typing: true,
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
            refilter(state);
            if n == 0 {
                state.search = None;
                state.say(Tone::Info, "no match");
            } else {
                show_current(state);
                state.say(
                    Tone::Info,
                    format!("{n} hits: n / N for next / previous, Esc to leave the search"),
                );
            }
        }
        Action::NextHit | Action::PrevHit => walk(state, action == Action::NextHit),
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
    search.hits = if query.is_empty() {
        Vec::new()
    } else if let Some((_, hits)) = search.cache.iter().rev().find(|(q, _)| *q == query) {
        hits.clone()
    } else if !search.matched.is_empty() && query.starts_with(&search.matched) {
        // Every match of the longer query is a match of the shorter one.
        let mut previous = std::mem::take(&mut search.hits);
        previous.sort_unstable();
        rank(&pane.haystacks, &query, Some(&previous))
    } else {
        rank(&pane.haystacks, &query, None)
    };
    if !query.is_empty() && !search.cache.iter().any(|(q, _)| *q == query) {
        if search.cache.len() == CACHED_QUERIES {
            search.cache.remove(0);
        }
        search.cache.push((query.clone(), search.hits.clone()));
    }
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

/// Esc: the search is gone, the tree is whole again, the cursor stays where it is.
pub fn leave(state: &mut State) {
    if let Some(search) = state.search.take() {
        let height = state.tree_height();
        let item = state.panes[search.pane].item();
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

    #[test]
    fn matching_agrees_with_skim_and_broad_queries_keep_tree_order() {
        let corpus = |texts: Vec<String>| Haystacks {
            lower: texts.iter().map(|t| t.to_ascii_lowercase()).collect(),
            text: texts,
        };
        let hs = corpus(
            [
                "Apply infection control",
                "Plan outreach",
                "Use plain language",
                "日本 plain",
            ]
            .iter()
            .map(|s| s.to_string())
            .collect(),
        );
        for q in ["pla", "PLA", "Pl", "ctl", "日p", "zz", "p o"] {
            let skim: Vec<usize> = (0..4)
                .filter(|&i| MATCHER.with(|m| m.fuzzy_match(&hs.text[i], q)).is_some())
                .collect();
            let mut ours = rank(&hs, q, None);
            ours.sort();
            assert_eq!(ours, skim, "{q}");
        }
        // Ranked by score: the contiguous match first.
        assert_eq!(rank(&hs, "plain", None)[0], 2);
        // Past the limit: substring hits first, each group in tree order.
        let many = corpus(
            (0..RANK_LIMIT + 10)
                .map(|i| {
                    if i % 2 == 0 {
                        format!("p x l x a {i}")
                    } else {
                        format!("Plan {i}")
                    }
                })
                .collect(),
        );
        let r = rank(&many, "pla", None);
        assert_eq!(r.len(), many.text.len());
        assert_eq!(&r[..3], &[1, 3, 5]);
        assert_eq!(r[(RANK_LIMIT + 10) / 2], 0);
    }
}
