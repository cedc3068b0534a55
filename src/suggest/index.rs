//! The BM25 index over one framework's candidate items (its leaves).
use super::fuzzy::MIN_FUZZY_CHARS;
use super::params::Params;
use super::text::{Analyzer, Token};
use crate::model::{Framework, Item};
use std::collections::HashMap;

/// A document in a term's posting list, with its BM25 weight for that term worked out
/// once at build time (`idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * len / avg_len))`),
/// so scoring a query is additions only.
#[derive(Debug, Clone, Copy)]
pub(super) struct Posting {
    pub doc: u32,
    pub weight: f32,
}

/// The searchable side: built once per framework, then asked for every item of the other.
pub struct Index {
    pub(super) params: Params,
    pub(super) analyzer: Analyzer,
    /// Stem -> term id.
    pub(super) vocab: HashMap<String, u32>,
    /// Term id -> stem.
    pub(super) stems: Vec<String>,
    /// Term id -> the stem's length in characters, for the fuzzy matcher's quick check.
    pub(super) stem_chars: Vec<u32>,
    /// Term id -> the first way the word was written, to explain fuzzy matches.
    pub(super) surfaces: Vec<String>,
    pub(super) idf: Vec<f64>,
    /// Term id -> documents holding it, in document order.
    pub(super) postings: Vec<Vec<Posting>>,
    /// Document -> its item's index in the framework, ascending.
    pub(super) docs: Vec<usize>,
    /// Document -> its item's parent (domain), for the workshop's domain hint.
    pub(super) parents: Vec<Option<usize>>,
    /// First four letters of a stem -> term ids, where fuzzy variants are looked for.
    pub(super) prefixes: HashMap<String, Vec<u32>>,
    /// The idf a word absent from every document would have.
    pub(super) unseen_idf: f64,
}

/// A word of an item with how much it counts (statement 1, keywords, code, ancestors less).
pub(super) struct WeightedToken<'a> {
    pub token: &'a Token,
    pub weight: f64,
}

impl Index {
    /// Indexes the candidates of `framework`: its leaves (the competencies or outcomes
    /// proper; in a single-level framework that is every item).
    pub fn build(framework: &Framework) -> Index {
        Index::build_with(framework, Params::default())
    }

    pub fn build_with(framework: &Framework, params: Params) -> Index {
        let analyzer = Analyzer::default();
        let docs: Vec<usize> = (0..framework.items.len())
            .filter(|&i| framework.is_leaf(i))
            .collect();
        // Every item once (headers are shared by all their descendants), each word stemmed once.
        let mut seen = HashMap::new();
        let tokens: Vec<ItemTokens> = framework
            .items
            .iter()
            .map(|item| ItemTokens::cached(&analyzer, item, &mut seen))
            .collect();
        let mut vocab: HashMap<String, u32> = HashMap::new();
        let mut stems: Vec<String> = Vec::new();
        let mut surfaces = Vec::new();
        // Per document: (term, weighted frequency), and its weighted length.
        let mut doc_terms: Vec<Vec<(u32, f64)>> = Vec::with_capacity(docs.len());
        let mut lengths = Vec::with_capacity(docs.len());
        for &item in &docs {
            let mut freq: Vec<(u32, f64)> = Vec::new();
            let mut length = 0.0;
            let ancestors: Vec<&ItemTokens> =
                framework.ancestors(item).map(|a| &tokens[a]).collect();
            for wt in weighted_tokens(&tokens[item], &ancestors, &params, Side::Candidate) {
                let next = vocab.len() as u32;
                let term = *vocab
                    .entry(wt.token.stem.clone())
                    .or_insert_with_key(|stem| {
                        stems.push(stem.clone());
                        surfaces.push(wt.token.surface.clone());
                        next
                    });
                match freq.iter_mut().find(|(t, _)| *t == term) {
                    Some((_, f)) => *f += wt.weight,
                    None => freq.push((term, wt.weight)),
                }
                length += wt.weight;
            }
            doc_terms.push(freq);
            lengths.push(length);
        }
        let n = docs.len() as f64;
        let avg_len = lengths.iter().sum::<f64>() / n.max(1.0);
        let mut postings: Vec<Vec<Posting>> = vec![Vec::new(); vocab.len()];
        for (doc, terms) in doc_terms.iter().enumerate() {
            for &(term, _) in terms {
                postings[term as usize].push(Posting {
                    doc: doc as u32,
                    weight: 0.0,
                });
            }
        }
        let idf: Vec<f64> = postings
            .iter()
            .map(|p| bm25_idf(n, p.len() as f64))
            .collect();
        // Second pass now that document frequencies are known.
        let mut cursor = vec![0usize; vocab.len()];
        for (doc, terms) in doc_terms.iter().enumerate() {
            let norm = length_norm(&params, lengths[doc], avg_len);
            for &(term, tf) in terms {
                let t = term as usize;
                let tf_part = tf * (params.k1 + 1.0) / (tf + norm);
                postings[t][cursor[t]].weight = (idf[t] * tf_part) as f32;
                cursor[t] += 1;
            }
        }
        let mut prefixes: HashMap<String, Vec<u32>> = HashMap::new();
        for (id, stem) in stems.iter().enumerate() {
            if let Some(p) = fuzzy_prefix(stem) {
                prefixes.entry(p).or_default().push(id as u32);
            }
        }
        let unseen_idf = bm25_idf(n, 0.0);
        let parents = docs.iter().map(|&i| framework.items[i].parent).collect();
        let stem_chars = stems.iter().map(|s| s.chars().count() as u32).collect();
        Index {
            params,
            analyzer,
            vocab,
            stems,
            stem_chars,
            surfaces,
            idf,
            postings,
            docs,
            parents,
            prefixes,
            unseen_idf,
        }
    }

    /// How many candidates the index holds.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// The candidates' item indices, in framework order.
    pub fn candidates(&self) -> &[usize] {
        &self.docs
    }
}

/// Robertson–Spärck Jones idf as Lucene writes it: never negative, even for a word in
/// every document, so a common word can only add a little, never subtract.
pub(super) fn bm25_idf(docs: f64, with_term: f64) -> f64 {
    (1.0 + (docs - with_term + 0.5) / (with_term + 0.5)).ln()
}

/// `k1 * (1 - b + b * len / avg_len)`; an empty corpus counts as average length 1.
fn length_norm(params: &Params, len: f64, avg_len: f64) -> f64 {
    let avg = if avg_len > 0.0 { avg_len } else { 1.0 };
    params.k1 * (1.0 - params.b + params.b * len / avg)
}

/// Where fuzzy variants of a stem are looked for: stems that begin with the same four
/// letters. Shorter stems have too many look-alikes to be matched fuzzily at all.
pub(super) fn fuzzy_prefix(stem: &str) -> Option<String> {
    let prefix: String = stem.chars().take(MIN_FUZZY_CHARS).collect();
    (prefix.chars().count() == MIN_FUZZY_CHARS).then_some(prefix)
}

/// Which end of a comparison an item is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Side {
    /// The item suggestions are asked for.
    Query,
    /// An item of the index.
    Candidate,
}

/// An item's own words, field by field.
#[derive(Debug, Clone, Default)]
pub(super) struct ItemTokens {
    statement: Vec<Token>,
    abbreviated: Vec<Token>,
    keywords: Vec<Token>,
    code: Vec<Token>,
}

impl ItemTokens {
    pub fn new(analyzer: &Analyzer, item: &Item) -> ItemTokens {
        ItemTokens::cached(analyzer, item, &mut HashMap::new())
    }

    fn cached(
        analyzer: &Analyzer,
        item: &Item,
        seen: &mut HashMap<String, Option<Token>>,
    ) -> ItemTokens {
        let mut field = |text: &str| {
            let mut out = Vec::new();
            analyzer.tokens_cached(text, seen, &mut out);
            out
        };
        let mut t = ItemTokens {
            statement: field(&item.statement),
            ..ItemTokens::default()
        };
        // Often a shorter copy of the statement: count only what it adds.
        t.abbreviated = field(&item.abbreviated);
        t.abbreviated
            .retain(|a| !t.statement.iter().any(|s| s.stem == a.stem));
        t.keywords = item.keywords.iter().flat_map(|k| field(k)).collect();
        t.code = field(&item.code);
        t
    }
}

/// The weighted words of an item: statement and abbreviated statement (1), keywords, code,
/// then the ancestors' statements.
/// A query's own code is left out: it says where the item sits in its own framework
/// ("CHW-PLO.2" against "CHW.C.3" would match "chw" everywhere), while a statement may
/// well quote a candidate's code ("T0001").
pub(super) fn weighted_tokens<'a>(
    own: &'a ItemTokens,
    ancestors: &[&'a ItemTokens],
    params: &Params,
    side: Side,
) -> Vec<WeightedToken<'a>> {
    let mut out = Vec::new();
    let mut add = |tokens: &'a [Token], weight: f64| {
        if weight > 0.0 {
            out.extend(tokens.iter().map(|token| WeightedToken { token, weight }));
        }
    };
    add(&own.statement, 1.0);
    add(&own.abbreviated, 1.0);
    add(&own.keywords, params.keyword_weight);
    if side == Side::Candidate {
        add(&own.code, params.code_weight);
    }
    for a in ancestors {
        add(&a.statement, params.ancestor_weight);
        add(&a.abbreviated, params.ancestor_weight);
    }
    out
}
