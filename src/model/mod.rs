//! The workshop's data, free of terminal and SQL code.
mod association;
mod framework;
mod link;
mod tree;

pub use association::AssociationType;
pub use framework::{Framework, Item, Side};
pub use link::{Link, LinkEnd, Strength};
pub use tree::TreeView;
