//! What a framework export reads, and how it writes lists it never holds whole.
use crate::case::{Association, Package};
use crate::model::{Framework, Item};
use serde::ser::{Error as _, Serialize, SerializeSeq, Serializer};
use std::borrow::Cow;
use std::cell::RefCell;
use std::convert::Infallible;
use std::fmt::Display;

/// The items of a framework in pre-order, one at a time.
pub type ItemRows<'a, 's, E> = &'a mut dyn Iterator<Item = Result<Cow<'s, Item>, E>>;
/// The associations a framework came with, in their order, one at a time.
pub type AssociationRows<'a, 's, E> = &'a mut dyn Iterator<Item = Result<Cow<'s, Association>, E>>;

/// A framework as an export reads it: its own fields, and its items and associations
/// one at a time, so a workshop's framework is exported without loading it whole. A
/// [`Package`] in memory is one; the workshop (`store`) gives another.
pub trait FrameworkSource {
    type Error: Display;

    /// The framework's own fields; its `items` are not read (see [`Self::with_items`]).
    fn framework(&self) -> &Framework;
    /// `CFDefinitions` exactly as imported.
    fn definitions(&self) -> Option<&str>;
    /// `CFRubrics` exactly as imported.
    fn rubrics(&self) -> Option<&str>;
    /// Whether the framework came with any associations (else its tree is written).
    fn has_associations(&self) -> Result<bool, Self::Error>;
    /// Calls `f` with the items in pre-order (each `Item::parent` a position among them).
    /// It may be called more than once, and must give the same items each time.
    fn with_items<'s, R>(
        &'s self,
        f: impl FnOnce(ItemRows<'_, 's, Self::Error>) -> R,
    ) -> Result<R, Self::Error>;
    /// Calls `f` with the associations as imported (their `raw` JSON is what is read).
    fn with_associations<'s, R>(
        &'s self,
        f: impl FnOnce(AssociationRows<'_, 's, Self::Error>) -> R,
    ) -> Result<R, Self::Error>;
}

impl FrameworkSource for Package {
    type Error = Infallible;

    fn framework(&self) -> &Framework {
        &self.framework
    }

    fn definitions(&self) -> Option<&str> {
        self.definitions.as_deref()
    }

    fn rubrics(&self) -> Option<&str> {
        self.rubrics.as_deref()
    }

    fn has_associations(&self) -> Result<bool, Infallible> {
        Ok(!self.associations.is_empty())
    }

    fn with_items<'s, R>(
        &'s self,
        f: impl FnOnce(ItemRows<'_, 's, Infallible>) -> R,
    ) -> Result<R, Infallible> {
        Ok(f(&mut self
            .framework
            .items
            .iter()
            .map(|i| Ok(Cow::Borrowed(i)))))
    }

    fn with_associations<'s, R>(
        &'s self,
        f: impl FnOnce(AssociationRows<'_, 's, Infallible>) -> R,
    ) -> Result<R, Infallible> {
        Ok(f(&mut self
            .associations
            .iter()
            .map(|a| Ok(Cow::Borrowed(a)))))
    }
}

/// A JSON array written as its records come, each serialised and dropped before the
/// next is made; the first error (a failed read) ends it.
pub struct Records<I>(RefCell<I>);

impl<I> Records<I> {
    pub fn new(records: I) -> Self {
        Records(RefCell::new(records))
    }
}

impl<I, T, E> Serialize for Records<I>
where
    I: Iterator<Item = Result<T, E>>,
    T: Serialize,
    E: Display,
{
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut records = self.0.borrow_mut();
        let mut seq = serializer.serialize_seq(None)?;
        for record in &mut *records {
            seq.serialize_element(&record.map_err(S::Error::custom)?)?;
        }
        seq.end()
    }
}
