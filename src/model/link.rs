use super::AssociationType;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;
use time::OffsetDateTime;

/// How strongly an outcome prepares for a competency (CTDL-ASN's major and minor alignment).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Strength {
    #[default]
    Major,
    Minor,
}

impl Strength {
    pub fn as_str(self) -> &'static str {
        match self {
            Strength::Major => "major",
            Strength::Minor => "minor",
        }
    }
}

impl fmt::Display for Strength {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Strength {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "major" | "majoralignment" => Ok(Strength::Major),
            "minor" | "minoralignment" => Ok(Strength::Minor),
            _ => Err(format!("unknown strength `{s}` (expected major or minor)")),
        }
    }
}

/// One end of a link: the real item, with what an export needs to name it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LinkEnd {
    pub item_identifier: String,
    pub item_uri: String,
    pub code: String,
    pub statement: String,
    pub framework_identifier: String,
}

impl LinkEnd {
    /// What a person calls the item: its code, or its identifier when it has none.
    pub fn label(&self) -> &str {
        if self.code.is_empty() {
            &self.item_identifier
        } else {
            &self.code
        }
    }
}

/// An alignment link between an item of one framework and an item of another.
#[derive(Debug, Clone, PartialEq)]
pub struct Link {
    /// A UUID that stays the same on every export.
    pub identifier: String,
    pub origin: LinkEnd,
    pub destination: LinkEnd,
    pub association_type: AssociationType,
    /// The rationale agreed in the room.
    pub note: String,
    pub strength: Strength,
    pub created: OffsetDateTime,
    pub changed: OffsetDateTime,
}
