//! Ranking: BM25 over the query item's words and their fuzzy variants, plus the workshop's
//! hints, best first, each explained by the words that matched.
use super::context::{Context, ItemContext};
use super::index::{Index, ItemTokens, Side, weighted_tokens};
use crate::model::Framework;
use std::cmp::Ordering;
use std::collections::BinaryHeap;

/// One candidate for an item.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggestion {
    /// The candidate's index in the indexed framework's items.
    pub item_index: usize,
    /// Higher is better: the share of the item's best possible BM25 score the candidate
    /// reaches (in [0, 1]), raised a little by the workshop's hints.
    pub score: f64,
    /// The item's words found in the candidate, strongest first; a fuzzy match is written
    /// `word~variant`.
    pub matched_words: Vec<String>,
}

/// A distinct word of the query item.
struct QueryTerm {
    stem: String,
    surface: String,
    weight: f64,
}

/// A scored document, ordered best first: higher score, then earlier document (documents
/// are in framework order), so ties always go the same way.
#[derive(Debug, Clone, Copy)]
struct Ranked {
    score: f64,
    doc: u32,
}

impl Ord for Ranked {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .score
            .total_cmp(&self.score)
            .then(self.doc.cmp(&other.doc))
    }
}

impl PartialOrd for Ranked {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Ranked {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Ranked {}

/// One posting list to add, on behalf of query term `query`, scaled by `factor`.
struct Step {
    query: usize,
    term: u32,
    factor: f32,
}

impl Index {
    /// The best `k` candidates for item `item` of `query` (a framework of the other side),
    /// best first; ties go to the candidate that comes first in its framework.
    /// Candidates sharing no word with the item are never suggested, so an item with no
    /// usable words (empty, only a code, only stop words) gets an empty list.
    pub fn suggest(
        &self,
        query: &Framework,
        item: usize,
        k: usize,
        ctx: &Context,
    ) -> Vec<Suggestion> {
        if k == 0 || item >= query.items.len() {
            return Vec::new();
        }
        let terms = self.query_terms(query, item);
        let (steps, best_possible) = self.plan(&terms);
        if best_possible <= 0.0 || steps.is_empty() {
            return Vec::new();
        }
        let (acc, touched) = self.accumulate(&steps);
        let item_ctx = ctx.for_item(&query.items[item].identifier);
        // The best k so far, worst on top, so most documents cost one comparison.
        let mut best: BinaryHeap<Ranked> = BinaryHeap::with_capacity(k + 1);
        for d in touched {
            if item_ctx.is_some_and(|c| c.excluded.binary_search(&self.docs[d as usize]).is_ok()) {
                continue;
            }
            // At most 1 but for float rounding; clamped so the promise holds exactly.
            let lexical = (acc[d as usize] as f64 / best_possible).min(1.0);
            let score = lexical * (1.0 + self.boost(d, item_ctx));
            let candidate = Ranked { score, doc: d };
            if best.len() < k {
                best.push(candidate);
            } else if best.peek().is_some_and(|worst| candidate < *worst) {
                best.pop();
                best.push(candidate);
            }
        }
        best.into_sorted_vec()
            .into_iter()
            .map(|Ranked { score, doc }| Suggestion {
                item_index: self.docs[doc as usize],
                score,
                matched_words: self.explain(doc, &terms, &steps),
            })
            .collect()
    }

    /// Each document's score (unnormalised) and the documents scored, in the order first
    /// reached. A query word counts once per document: as itself or as its closest variant,
    /// whichever contributes more.
    fn accumulate(&self, steps: &[Step]) -> (Vec<f32>, Vec<u32>) {
        let n = self.docs.len();
        let mut acc = vec![0f32; n];
        // Flags, not `acc == 0`: a contribution may round to zero, and a document must still
        // be listed once only.
        let mut seen = vec![false; n];
        let mut touched: Vec<u32> = Vec::new();
        // The current word's best contribution per document, for words with variants
        // (allocated at the first such word: most queries have none).
        let (mut word, mut in_word): (Vec<f32>, Vec<bool>) = (Vec::new(), Vec::new());
        let mut word_docs: Vec<u32> = Vec::new();
        let mut add = |d: u32, contribution: f32, acc: &mut [f32]| {
            if !std::mem::replace(&mut seen[d as usize], true) {
                touched.push(d);
            }
            acc[d as usize] += contribution;
        };
        for group in steps.chunk_by(|a, b| a.query == b.query) {
            if let [step] = group {
                // Most words have no variant: add straight in.
                for p in &self.postings[step.term as usize] {
                    add(p.doc, step.factor * p.weight, &mut acc);
                }
                continue;
            }
            if word.is_empty() {
                (word, in_word) = (vec![0.0; n], vec![false; n]);
            }
            for step in group {
                for p in &self.postings[step.term as usize] {
                    let d = p.doc as usize;
                    if !std::mem::replace(&mut in_word[d], true) {
                        word_docs.push(p.doc);
                    }
                    word[d] = word[d].max(step.factor * p.weight);
                }
            }
            for d in word_docs.drain(..) {
                in_word[d as usize] = false;
                add(d, std::mem::take(&mut word[d as usize]), &mut acc);
            }
        }
        (acc, touched)
    }

    /// The item's distinct stems, each with the largest weight it has in any field.
    fn query_terms(&self, query: &Framework, item: usize) -> Vec<QueryTerm> {
        let own = ItemTokens::new(&self.analyzer, &query.items[item]);
        let ancestors: Vec<ItemTokens> = query
            .ancestors(item)
            .map(|a| ItemTokens::new(&self.analyzer, &query.items[a]))
            .collect();
        let ancestors: Vec<&ItemTokens> = ancestors.iter().collect();
        let mut terms: Vec<QueryTerm> = Vec::new();
        for wt in weighted_tokens(&own, &ancestors, &self.params, Side::Query) {
            match terms.iter_mut().find(|t| t.stem == wt.token.stem) {
                Some(t) => t.weight = t.weight.max(wt.weight),
                None => terms.push(QueryTerm {
                    stem: wt.token.stem.clone(),
                    surface: wt.token.surface.clone(),
                    weight: wt.weight,
                }),
            }
        }
        terms
    }

    /// Posting lists to add up, and the score a candidate matching every query word fully
    /// would get (words the index lacks included, so covering half the item scores lower).
    fn plan(&self, terms: &[QueryTerm]) -> (Vec<Step>, f64) {
        let mut steps = Vec::new();
        let mut best_possible = 0.0;
        for (query, t) in terms.iter().enumerate() {
            let exact = self.vocab.get(&t.stem).copied();
            let idf = exact.map_or(self.unseen_idf, |id| self.idf[id as usize]);
            best_possible += t.weight * idf * (self.params.k1 + 1.0);
            if let Some(term) = exact {
                steps.push(Step {
                    query,
                    term,
                    factor: t.weight as f32,
                });
            }
            if self.params.fuzzy_weight <= 0.0 {
                continue;
            }
            for v in self.fuzzy_variants(&t.stem) {
                // A variant never counts for more than the word itself would: a rare variant
                // of a common word gets the common word's idf.
                let idf_ratio = (idf / self.idf[v.term as usize]).min(1.0);
                let factor = t.weight * self.params.fuzzy_weight * v.similarity * idf_ratio;
                steps.push(Step {
                    query,
                    term: v.term,
                    factor: factor as f32,
                });
            }
        }
        (steps, best_possible)
    }

    /// The workshop's hint for `doc`, as a fraction of its lexical score: its domain is one
    /// the item's siblings were linked into, and it is not itself what they were linked to
    /// (that one is most likely covered by the sibling already).
    fn boost(&self, doc: u32, ctx: Option<&ItemContext>) -> f64 {
        let Some(ctx) = ctx else { return 0.0 };
        if ctx
            .sibling_linked
            .binary_search(&self.docs[doc as usize])
            .is_ok()
        {
            return 0.0;
        }
        match self.parents[doc as usize] {
            Some(p) if ctx.sibling_domains.binary_search(&p).is_ok() => self.params.domain_boost,
            _ => 0.0,
        }
    }

    /// The query words that reached `doc`, strongest contribution first, each word once.
    fn explain(&self, doc: u32, terms: &[QueryTerm], steps: &[Step]) -> Vec<String> {
        let mut best: Vec<Option<(f32, u32)>> = vec![None; terms.len()];
        for step in steps {
            let list = &self.postings[step.term as usize];
            if let Ok(i) = list.binary_search_by_key(&doc, |p| p.doc) {
                let contribution = step.factor * list[i].weight;
                let slot = &mut best[step.query];
                if slot.is_none_or(|(c, _)| contribution > c) {
                    *slot = Some((contribution, step.term));
                }
            }
        }
        let mut found: Vec<(f32, usize, u32)> = best
            .iter()
            .enumerate()
            .filter_map(|(q, b)| b.map(|(c, term)| (c, q, term)))
            .collect();
        found.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        found
            .into_iter()
            .map(|(_, q, term)| {
                let t = &terms[q];
                if self.stems[term as usize] == t.stem {
                    t.surface.clone()
                } else {
                    format!("{}~{}", t.surface, self.surfaces[term as usize])
                }
            })
            .collect()
    }
}
