//! The ranking's knobs. The defaults are general values (textbook BM25, modest weights),
//! not fitted to any one pair of frameworks.

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// BM25 term-frequency saturation.
    pub k1: f64,
    /// BM25 length normalisation (0 = none, 1 = full).
    pub b: f64,
    /// Weight of an item's keywords next to its statement (1.0).
    pub keyword_weight: f64,
    /// Weight of an item's code words ("CHW", "NFPA").
    pub code_weight: f64,
    /// Weight of the words of an item's ancestors (its domain headers): context, not content.
    pub ancestor_weight: f64,
    /// How much a fuzzy variant of a word counts next to the word itself.
    pub fuzzy_weight: f64,
    /// Least normalised fuzzy similarity between two words for them to count as variants.
    pub fuzzy_threshold: f64,
    /// A candidate in a domain that the item's siblings are already linked into scores this
    /// much more (0.2 = 20 %): siblings tend to align with the same area of the other side.
    /// The very candidates the siblings are linked to get nothing: siblings usually cover
    /// different competencies, so those are most likely taken. Relative, not added, since
    /// lexical scores differ in scale from item to item, and a hint alone (no shared word)
    /// never makes a suggestion. Measured by simulating a half-done workshop on the sample
    /// crosswalks (every other outcome's links drawn): this raised precision at 5 on both
    /// pairs; boosting the siblings' own candidates too, or instead, lowered it.
    pub domain_boost: f64,
}

impl Default for Params {
    fn default() -> Self {
        Params {
            k1: 1.2,
            b: 0.75,
            keyword_weight: 1.0,
            code_weight: 0.5,
            ancestor_weight: 0.5,
            fuzzy_weight: 0.5,
            fuzzy_threshold: 0.6,
            domain_boost: 0.2,
        }
    }
}
