//! The workshop's data, free of terminal and SQL code.
mod association;
mod coverage;
mod framework;
mod link;
mod review;
pub mod rules;
mod session;
mod tree;

pub use association::AssociationType;
pub use coverage::{
    Alignment, Coverage, CoverageInput, FrameworkCoverage, LeafState, NodeCoverage, format_percent,
    leaf_state, percent, roll_up,
};
pub use framework::{Framework, Item, Side};
pub use link::{Link, LinkEnd, Strength};
pub use review::{FrameworkReview, ItemReview, Queue, gaps_first, is_open, unvoted};
pub use session::{
    Ballot, Basis, Comment, ConsensusRule, ExpertVerdict, HistoryEntry, LinkStatus, Participant,
    Provenance, Role, SessionLink, Validation, Verdict, Vote, link_status, verdict_standing,
};
pub use tree::TreeView;
