//! Fuzzy word variants: what the stemmer leaves apart ("safe"/"safety" stem to "safe" and
//! "safeti") or a typo splits, matched with the skim fuzzy matcher.
//!
//! Words are compared, not whole statements: a statement as a skim pattern fails on the first
//! word the other statement lacks. Only stems sharing their first four letters are compared,
//! and only the closest few kept, which keeps the work per query word small whatever the
//! index size.
use super::index::{Index, fuzzy_prefix};
use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

/// A term of the index that looks like a query word.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Variant {
    pub term: u32,
    /// In (0, 1]: the normalised skim score times the length ratio.
    pub similarity: f64,
}

/// Shortest stem compared fuzzily; shorter ones ("car", "art") have too many look-alikes.
pub(super) const MIN_FUZZY_CHARS: usize = 4;
/// Variants kept per word: a word has few true variants, and each costs a posting list.
const MAX_VARIANTS: usize = 3;

impl Index {
    /// Index terms other than `stem` itself that are fuzzy variants of it, in term order.
    pub(super) fn fuzzy_variants(&self, stem: &str) -> Vec<Variant> {
        let Some(bucket) = fuzzy_prefix(stem).and_then(|p| self.prefixes.get(&p)) else {
            return Vec::new();
        };
        let matcher = SkimMatcherV2::default().ignore_case();
        let len = stem.chars().count() as f64;
        let threshold = self.params.fuzzy_threshold;
        let mut found: Vec<Variant> = bucket
            .iter()
            .filter_map(|&term| {
                // The similarity is at most the length ratio: skip the matcher when that is short.
                let other_len = self.stem_chars[term as usize] as f64;
                if len.min(other_len) / len.max(other_len) < threshold {
                    return None;
                }
                let other = self.stem_of(term);
                if other == stem {
                    return None;
                }
                let similarity = similarity(&matcher, stem, other);
                (similarity >= threshold).then_some(Variant { term, similarity })
            })
            .collect();
        found.sort_by(|a, b| {
            b.similarity
                .total_cmp(&a.similarity)
                .then(a.term.cmp(&b.term))
        });
        found.truncate(MAX_VARIANTS);
        found
    }

    fn stem_of(&self, term: u32) -> &str {
        &self.stems[term as usize]
    }
}

/// The skim score of the shorter word inside the longer, divided by the shorter word's
/// score against itself (its best possible), times the length ratio so that a short word
/// inside a long one ("plan" in "plantation") counts for little. 0 when there is no match.
pub(super) fn similarity(matcher: &SkimMatcherV2, a: &str, b: &str) -> f64 {
    let (la, lb) = (a.chars().count(), b.chars().count());
    let (short, long, ls, ll) = if la <= lb {
        (a, b, la, lb)
    } else {
        (b, a, lb, la)
    };
    if ls < MIN_FUZZY_CHARS {
        return 0.0;
    }
    let (Some(best), Some(score)) = (
        matcher.fuzzy_match(short, short),
        matcher.fuzzy_match(long, short),
    ) else {
        return 0.0;
    };
    if best <= 0 {
        return 0.0;
    }
    let normalised = (score as f64 / best as f64).clamp(0.0, 1.0);
    normalised * ls as f64 / ll as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn similarity_is_high_for_variants_and_zero_for_strangers() {
        let m = SkimMatcherV2::default().ignore_case();
        let same = similarity(&m, "safe", "safe");
        assert!((same - 1.0).abs() < 1e-9, "{same}");
        let variant = similarity(&m, "safe", "safeti");
        assert!(variant > 0.6 && variant < 1.0, "{variant}");
        assert_eq!(similarity(&m, "communiti", "communic"), 0.0);
        assert_eq!(similarity(&m, "car", "cart"), 0.0, "too short to compare");
        assert_eq!(similarity(&m, "", "anything"), 0.0);
        let symmetric = similarity(&m, "safeti", "safe");
        assert_eq!(variant, symmetric);
    }
}
