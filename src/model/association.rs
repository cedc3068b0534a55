use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// CASE association types (CASE 1.0 lists nine; CASE 1.1 adds `isTranslationOf`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum AssociationType {
    ExactMatchOf,
    IsRelatedTo,
    IsPartOf,
    IsPeerOf,
    Precedes,
    Exemplar,
    HasSkillLevel,
    ReplacedBy,
    IsChildOf,
    IsTranslationOf,
}

impl AssociationType {
    /// Every type, in the order an alignment menu offers them (the useful ones first).
    pub const ALL: [AssociationType; 10] = [
        Self::ExactMatchOf,
        Self::IsRelatedTo,
        Self::IsPartOf,
        Self::IsPeerOf,
        Self::Precedes,
        Self::Exemplar,
        Self::HasSkillLevel,
        Self::ReplacedBy,
        Self::IsChildOf,
        Self::IsTranslationOf,
    ];

    /// The types a workshop link can have: every type but `isChildOf`, which places an
    /// item in its own framework's tree and says nothing about an item of another
    /// framework (a cross-framework "parent" is not an alignment). Frameworks keep their
    /// own `isChildOf` associations; links never have it.
    pub const LINK_TYPES: [AssociationType; 9] = [
        Self::ExactMatchOf,
        Self::IsRelatedTo,
        Self::IsPartOf,
        Self::IsPeerOf,
        Self::Precedes,
        Self::Exemplar,
        Self::HasSkillLevel,
        Self::ReplacedBy,
        Self::IsTranslationOf,
    ];

    /// True for a type a link can have (see [`Self::LINK_TYPES`]).
    pub fn is_link_type(self) -> bool {
        self != Self::IsChildOf
    }

    /// Why a link cannot be of this type, for messages; `None` when it can.
    pub fn link_type_refusal(self) -> Option<&'static str> {
        (!self.is_link_type()).then_some(
            "isChildOf places an item in its own framework's tree and is not an alignment between frameworks; use isPartOf (the origin is part of the destination) or isRelatedTo",
        )
    }

    /// The CASE wire name, e.g. `exactMatchOf`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ExactMatchOf => "exactMatchOf",
            Self::IsRelatedTo => "isRelatedTo",
            Self::IsPartOf => "isPartOf",
            Self::IsPeerOf => "isPeerOf",
            Self::Precedes => "precedes",
            Self::Exemplar => "exemplar",
            Self::HasSkillLevel => "hasSkillLevel",
            Self::ReplacedBy => "replacedBy",
            Self::IsChildOf => "isChildOf",
            Self::IsTranslationOf => "isTranslationOf",
        }
    }

    /// One line on what the type means, paraphrasing the CASE information model.
    pub fn definition(self) -> &'static str {
        match self {
            Self::ExactMatchOf => {
                "origin is an exact match of the destination: same knowledge or skill"
            }
            Self::IsRelatedTo => {
                "origin is related to the destination in some way not named more exactly"
            }
            Self::IsPartOf => "origin is a part of the destination, which covers more",
            Self::IsPeerOf => {
                "origin is a peer of the destination: at the same level, near in scope"
            }
            Self::Precedes => "origin comes before the destination in a learning progression",
            Self::Exemplar => "origin is an example that illustrates the destination",
            Self::HasSkillLevel => "origin has the destination as a skill or proficiency level",
            Self::ReplacedBy => "origin has been replaced by the destination",
            Self::IsChildOf => "origin sits under the destination in a hierarchy",
            Self::IsTranslationOf => "origin is a translation of the destination (CASE 1.1 only)",
        }
    }

    /// True for types CASE 1.0 knows; `isTranslationOf` arrived in 1.1.
    pub fn in_case_1_0(self) -> bool {
        self != Self::IsTranslationOf
    }
}

impl fmt::Display for AssociationType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for AssociationType {
    type Err = String;

    /// Accepts the CASE name in any letter case (real exports write `IsChildOf`, `isChildOf`).
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::ALL
            .into_iter()
            .find(|t| t.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                let names: Vec<_> = Self::ALL.iter().map(|t| t.as_str()).collect();
                format!(
                    "unknown association type `{s}` (expected one of: {})",
                    names.join(", ")
                )
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_case_names_in_any_case() {
        assert_eq!("exactMatchOf".parse(), Ok(AssociationType::ExactMatchOf));
        assert_eq!("ISCHILDOF".parse(), Ok(AssociationType::IsChildOf));
        assert!(
            "sameAs"
                .parse::<AssociationType>()
                .unwrap_err()
                .contains("exactMatchOf")
        );
    }

    #[test]
    fn links_are_never_is_child_of() {
        assert!(!AssociationType::LINK_TYPES.contains(&AssociationType::IsChildOf));
        assert_eq!(
            AssociationType::LINK_TYPES.len() + 1,
            AssociationType::ALL.len()
        );
        assert!(AssociationType::IsChildOf.link_type_refusal().is_some());
        assert!(AssociationType::IsPartOf.link_type_refusal().is_none());
    }

    #[test]
    fn every_type_round_trips_through_its_name() {
        for t in AssociationType::ALL {
            assert_eq!(t.as_str().parse(), Ok(t));
        }
    }
}
