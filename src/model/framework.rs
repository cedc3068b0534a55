use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Which side of the table a framework comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Side {
    /// A program's learning outcomes.
    #[default]
    Educator,
    /// A job role's competencies.
    Employer,
}

impl Side {
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Educator => "educator",
            Side::Employer => "employer",
        }
    }

    pub fn other(self) -> Side {
        match self {
            Side::Educator => Side::Employer,
            Side::Employer => Side::Educator,
        }
    }
}

impl fmt::Display for Side {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Side {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "educator" | "education" | "edu" => Ok(Side::Educator),
            "employer" | "industry" | "emp" => Ok(Side::Employer),
            _ => Err(format!(
                "unknown side `{s}` (expected educator or employer)"
            )),
        }
    }
}

/// One outcome, competency or grouping node of a framework (a CASE `CFItem`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Item {
    pub identifier: String,
    pub uri: String,
    /// `humanCodingScheme`, e.g. `CHW.2.3`; may be empty.
    pub code: String,
    /// `fullStatement`.
    pub statement: String,
    pub abbreviated: String,
    /// `CFItemType`, e.g. `Domain`, `Competency`.
    pub item_type: String,
    pub keywords: Vec<String>,
    pub list_enumeration: String,
    pub language: String,
    /// 0 for a top-level item.
    pub depth: u16,
    /// Index of the parent in [`Framework::items`]; `None` at the top level.
    pub parent: Option<usize>,
    /// Marked in the session as having no equivalent on the other side: decided, not a gap.
    pub no_equivalent: bool,
    /// The item exactly as imported, so a re-export loses none of its fields.
    pub raw: Option<String>,
}

/// A framework: a CASE `CFDocument` and its items as a flat pre-order tree
/// (each item is followed by its whole subtree, children in their CASE order).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Framework {
    /// The row id in the workshop file; 0 until stored.
    pub id: i64,
    pub identifier: String,
    pub uri: String,
    pub title: String,
    pub creator: String,
    pub side: Side,
    pub items: Vec<Item>,
    /// The CFDocument exactly as imported.
    pub raw: Option<String>,
}

impl Framework {
    /// True when `index` has at least one child (its first child follows it directly).
    pub fn has_children(&self, index: usize) -> bool {
        self.items
            .get(index + 1)
            .is_some_and(|next| next.parent == Some(index))
    }

    /// One past the last item of `index`'s subtree.
    pub fn subtree_end(&self, index: usize) -> usize {
        let depth = self.items[index].depth;
        self.items[index + 1..]
            .iter()
            .position(|it| it.depth <= depth)
            .map_or(self.items.len(), |p| index + 1 + p)
    }

    /// Ancestors of `index`, nearest first.
    pub fn ancestors(&self, index: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(self.items[index].parent, |&p| self.items[p].parent)
    }

    /// Position of the item with this identifier.
    pub fn index_of(&self, identifier: &str) -> Option<usize> {
        self.items.iter().position(|it| it.identifier == identifier)
    }

    /// Leaves are the outcomes or competencies proper; inner nodes group them.
    pub fn is_leaf(&self, index: usize) -> bool {
        !self.has_children(index)
    }
}
