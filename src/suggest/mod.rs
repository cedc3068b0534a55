//! Suggested alignments: for an item of one framework, the items of the other side most
//! likely to align with it, best first, each with its score and the words that matched.
//!
//! The model is lexical and deterministic: BM25 over statements, keywords, codes and (with
//! less weight) ancestor headers, on Snowball English stems with stop words dropped; word
//! variants the stemmer misses are matched with the skim fuzzy matcher; links already drawn
//! and rejected pairs are excluded, and candidates in the domains the item's siblings were
//! linked into score a little higher (see [`Params::domain_boost`]).
//!
//! ```
//! use crosswalk::model::{Framework, Item};
//! use crosswalk::suggest::{Context, Index};
//! let item = |s: &str| Item { statement: s.into(), ..Item::default() };
//! let jobs = Framework { items: vec![item("Inspect transformers"), item("Greet clients")], ..Framework::default() };
//! let course = Framework { items: vec![item("Transformer inspection")], ..Framework::default() };
//! let index = Index::build(&jobs);
//! let top = index.suggest(&course, 0, 5, &Context::empty());
//! assert_eq!(top[0].item_index, 0);
//! assert_eq!(top[0].matched_words, ["transformer", "inspection"]);
//! ```
mod context;
mod fuzzy;
mod index;
mod params;
mod rank;
pub mod report;
mod stopwords;
mod text;

pub use context::Context;
pub use index::Index;
pub use params::Params;
pub use rank::Suggestion;
pub use stopwords::{BOILERPLATE, ENGLISH as ENGLISH_STOP_WORDS};
pub use text::{Analyzer, Token};

#[cfg(test)]
mod tests;
