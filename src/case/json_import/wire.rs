//! The shapes the JSON importer reads, straight from the parser: only the fields crosswalk
//! uses, strings borrowed from the input where they have no escapes, every other field
//! skipped. Each shape accepts any JSON value and records what it found, so the importer
//! (not serde) words the messages about wrong types and missing fields.
use serde::de::{Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

/// How a JSON value is named in messages.
pub(super) const NULL: &str = "null";
pub(super) const BOOLEAN: &str = "a boolean";
pub(super) const NUMBER: &str = "a number";
pub(super) const STRING: &str = "a string";
pub(super) const ARRAY: &str = "an array";
pub(super) const OBJECT: &str = "an object";

/// One shape: what to make of each kind of JSON value. Anything not handled becomes
/// [`Shape::kind`] of its name, its contents skipped.
pub(super) trait Shape<'de>: Sized {
    fn kind(kind: &'static str) -> Self;

    fn text(_s: Cow<'de, str>) -> Self {
        Self::kind(STRING)
    }

    /// A number or boolean, written out as serde_json writes it.
    fn written(_s: String, kind: &'static str) -> Self {
        Self::kind(kind)
    }

    fn integer(i: i128) -> Self {
        Self::written(i.to_string(), NUMBER)
    }

    fn float(f: f64) -> Self {
        let text = serde_json::Number::from_f64(f).map_or_else(|| f.to_string(), |n| n.to_string());
        Self::written(text, NUMBER)
    }

    fn seq<A: SeqAccess<'de>>(mut seq: A) -> Result<Self, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Self::kind(ARRAY))
    }

    fn map<A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Self::kind(OBJECT))
    }
}

struct ShapeVisitor<T>(PhantomData<T>);

impl<'de, T: Shape<'de>> Visitor<'de> for ShapeVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<T, E> {
        Ok(T::written(v.to_string(), BOOLEAN))
    }
    fn visit_i64<E>(self, v: i64) -> Result<T, E> {
        Ok(T::integer(i128::from(v)))
    }
    fn visit_u64<E>(self, v: u64) -> Result<T, E> {
        Ok(T::integer(i128::from(v)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<T, E> {
        Ok(T::float(v))
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<T, E> {
        Ok(T::text(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<T, E> {
        Ok(T::text(Cow::Owned(v.to_string())))
    }
    fn visit_string<E>(self, v: String) -> Result<T, E> {
        Ok(T::text(Cow::Owned(v)))
    }
    fn visit_unit<E>(self) -> Result<T, E> {
        Ok(T::kind(NULL))
    }
    fn visit_none<E>(self) -> Result<T, E> {
        Ok(T::kind(NULL))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<T, A::Error> {
        T::seq(seq)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::map(map)
    }
}

macro_rules! deserialize_as_shape {
    ($($t:ident),*) => {$(
        impl<'de> Deserialize<'de> for $t<'de> {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_any(ShapeVisitor(PhantomData))
            }
        }
    )*};
}

/// An object key, borrowed when it has no escapes.
struct Key<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct KeyVisitor;
        impl<'de> Visitor<'de> for KeyVisitor {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a key")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v.to_string())))
            }
            fn visit_string<E>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(Cow::Owned(v)))
            }
        }
        d.deserialize_str(KeyVisitor)
    }
}

/// Reads an object's entries, handing each key to `field`, which reads the value.
fn entries<'de, A: MapAccess<'de>>(
    mut map: A,
    mut field: impl FnMut(&str, &mut A) -> Result<bool, A::Error>,
) -> Result<(), A::Error> {
    while let Some(Key(key)) = map.next_key::<Key>()? {
        if !field(&key, &mut map)? {
            map.next_value::<IgnoredAny>()?;
        }
    }
    Ok(())
}

/// A text field: a string, or a number or boolean written out.
#[derive(Debug, Default, Clone, PartialEq)]
pub(super) enum Text<'a> {
    #[default]
    Missing,
    Str(Cow<'a, str>),
    Written(String),
    Other(&'static str),
}

impl<'de> Shape<'de> for Text<'de> {
    fn kind(kind: &'static str) -> Self {
        Text::Other(kind)
    }
    fn text(s: Cow<'de, str>) -> Self {
        Text::Str(s)
    }
    fn written(s: String, _kind: &'static str) -> Self {
        Text::Written(s)
    }
}

impl Text<'_> {
    /// The text, empty when there is none.
    pub fn as_str(&self) -> &str {
        match self {
            Text::Str(s) => s,
            Text::Written(s) => s,
            Text::Missing | Text::Other(_) => "",
        }
    }

    pub fn into_string(self) -> String {
        match self {
            Text::Str(s) => s.into_owned(),
            Text::Written(s) => s,
            Text::Missing | Text::Other(_) => String::new(),
        }
    }

    pub fn trimmed(&self) -> String {
        self.as_str().trim().to_string()
    }
}

/// A uri: a string, or (as some exports write it) a LinkURI object with a `uri`.
#[derive(Debug, Default)]
pub(super) struct UriText<'a>(pub Text<'a>);

impl<'de> Shape<'de> for UriText<'de> {
    fn kind(kind: &'static str) -> Self {
        UriText(Text::Other(kind))
    }
    fn text(s: Cow<'de, str>) -> Self {
        UriText(Text::Str(s))
    }
    fn written(s: String, _kind: &'static str) -> Self {
        UriText(Text::Written(s))
    }
    fn map<A: MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
        let mut uri = Text::Missing;
        entries(map, |key, map| {
            Ok(key == "uri" && {
                uri = map.next_value()?;
                true
            })
        })?;
        Ok(UriText(uri))
    }
}

/// The `title` of a LinkURI object (as `CFItemTypeURI`).
#[derive(Debug, Default)]
pub(super) struct TitleOf<'a>(pub Text<'a>);

impl<'de> Shape<'de> for TitleOf<'de> {
    fn kind(_kind: &'static str) -> Self {
        TitleOf(Text::Missing)
    }
    fn map<A: MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
        let mut title = Text::Missing;
        entries(map, |key, map| {
            Ok(key == "title" && {
                title = map.next_value()?;
                true
            })
        })?;
        Ok(TitleOf(title))
    }
}

/// `conceptKeywords`: an array of strings (CASE) or one string with commas or semicolons.
#[derive(Debug, Default)]
pub(super) struct Keywords<'a>(pub Vec<String>, PhantomData<&'a ()>);

impl<'de> Shape<'de> for Keywords<'de> {
    fn kind(_kind: &'static str) -> Self {
        Keywords(Vec::new(), PhantomData)
    }
    fn text(s: Cow<'de, str>) -> Self {
        let words = s
            .split([',', ';'])
            .map(str::trim)
            .filter(|k| !k.is_empty())
            .map(String::from)
            .collect();
        Keywords(words, PhantomData)
    }
    fn seq<A: SeqAccess<'de>>(mut seq: A) -> Result<Self, A::Error> {
        let mut words = Vec::new();
        while let Some(word) = seq.next_element::<Text>()? {
            if let Text::Str(_) | Text::Written(_) = word {
                let word = word.as_str().trim();
                if !word.is_empty() {
                    words.push(word.to_string());
                }
            }
        }
        Ok(Keywords(words, PhantomData))
    }
}

/// A `sequenceNumber`: an integer, or a number or string holding one.
#[derive(Debug, Default)]
pub(super) struct SequenceNumber<'a>(pub Option<i64>, PhantomData<&'a ()>);

impl<'de> Shape<'de> for SequenceNumber<'de> {
    fn kind(_kind: &'static str) -> Self {
        SequenceNumber(None, PhantomData)
    }
    fn text(s: Cow<'de, str>) -> Self {
        SequenceNumber(s.trim().parse().ok(), PhantomData)
    }
    fn integer(i: i128) -> Self {
        SequenceNumber(i64::try_from(i).ok(), PhantomData)
    }
    fn float(f: f64) -> Self {
        let whole = (f.fract() == 0.0 && f.abs() < 9.0e15).then_some(f as i64);
        SequenceNumber(whole, PhantomData)
    }
}

/// A LinkURI / LinkGenURI (`originNodeURI`, `CFAssociationGroupingURI`, ...).
#[derive(Debug, Default)]
pub(super) enum Link<'a> {
    #[default]
    Missing,
    /// Some exports write only the uri.
    Uri(Cow<'a, str>),
    Object {
        identifier: Text<'a>,
        uri: Text<'a>,
        title: Text<'a>,
    },
    Other(&'static str),
}

impl<'de> Shape<'de> for Link<'de> {
    fn kind(kind: &'static str) -> Self {
        if kind == NULL {
            Link::Missing
        } else {
            Link::Other(kind)
        }
    }
    fn text(s: Cow<'de, str>) -> Self {
        Link::Uri(s)
    }
    fn map<A: MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
        let (mut identifier, mut uri, mut title) = (Text::Missing, Text::Missing, Text::Missing);
        entries(map, |key, map| {
            let slot = match key {
                "identifier" => &mut identifier,
                "uri" => &mut uri,
                "title" => &mut title,
                _ => return Ok(false),
            };
            *slot = map.next_value()?;
            Ok(true)
        })?;
        Ok(Link::Object {
            identifier,
            uri,
            title,
        })
    }
}

/// A `CFDocument`.
#[derive(Debug, Default)]
pub(super) struct Document<'a> {
    pub identifier: Text<'a>,
    pub case_version: Text<'a>,
    pub uri: UriText<'a>,
    pub title: Text<'a>,
    pub creator: Text<'a>,
}

/// A `CFItem`.
#[derive(Debug, Default)]
pub(super) struct Item<'a> {
    pub identifier: Text<'a>,
    pub uri: UriText<'a>,
    pub full_statement: Text<'a>,
    pub code: Text<'a>,
    pub abbreviated: Text<'a>,
    pub item_type: Text<'a>,
    pub item_type_link: TitleOf<'a>,
    pub keywords: Keywords<'a>,
    pub list_enumeration: Text<'a>,
    pub language: Text<'a>,
}

/// A `CFAssociation`.
#[derive(Debug, Default)]
pub(super) struct Association<'a> {
    pub identifier: Text<'a>,
    pub association_type: Text<'a>,
    pub origin: Link<'a>,
    pub destination: Link<'a>,
    pub grouping: Link<'a>,
    pub sequence_number: SequenceNumber<'a>,
    pub notes: Text<'a>,
}

/// A value that should be an object of shape `T`, or the kind of what it was instead.
#[derive(Debug, Default)]
pub(super) enum Object<T> {
    #[default]
    Missing,
    Is(T),
    Not(&'static str),
}

/// A value that should be an array of `T`.
#[derive(Debug, Default)]
pub(super) enum Array<T> {
    #[default]
    Missing,
    Is(Vec<T>),
    Not(&'static str),
}

/// The package: the object at the top of the file.
#[derive(Debug, Default)]
pub(super) struct Package<'a> {
    pub keys: Vec<String>,
    pub document: Object<Document<'a>>,
    pub items: Array<Object<Item<'a>>>,
    pub associations: Array<Object<Association<'a>>>,
    /// Some services wrap the package: `{ "CFPackage": { "CFDocument": ... } }`.
    pub wrapped: Option<Box<Object<Package<'a>>>>,
}

/// Reads an object's known fields into `T`.
pub(super) trait Fields<'de>: Default {
    fn field<A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error>;
}

impl<'de, T: Fields<'de>> Shape<'de> for Object<T> {
    fn kind(kind: &'static str) -> Self {
        Object::Not(kind)
    }
    fn map<A: MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
        let mut value = T::default();
        entries(map, |key, map| value.field(key, map))?;
        Ok(Object::Is(value))
    }
}

impl<'de, T: Deserialize<'de>> Shape<'de> for Array<T> {
    fn kind(kind: &'static str) -> Self {
        if kind == NULL {
            Array::Missing
        } else {
            Array::Not(kind)
        }
    }
    fn seq<A: SeqAccess<'de>>(mut seq: A) -> Result<Self, A::Error> {
        let mut values = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(v) = seq.next_element()? {
            values.push(v);
        }
        Ok(Array::Is(values))
    }
}

impl<'de> Fields<'de> for Document<'de> {
    fn field<A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        match key {
            "identifier" => self.identifier = map.next_value()?,
            "uri" => self.uri = map.next_value()?,
            "title" => self.title = map.next_value()?,
            "creator" => self.creator = map.next_value()?,
            "caseVersion" => self.case_version = map.next_value()?,
            _ => return Ok(false),
        }
        Ok(true)
    }
}

impl<'de> Fields<'de> for Item<'de> {
    fn field<A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        match key {
            "identifier" => self.identifier = map.next_value()?,
            "uri" => self.uri = map.next_value()?,
            "fullStatement" => self.full_statement = map.next_value()?,
            "humanCodingScheme" => self.code = map.next_value()?,
            "abbreviatedStatement" => self.abbreviated = map.next_value()?,
            "CFItemType" => self.item_type = map.next_value()?,
            "CFItemTypeURI" => self.item_type_link = map.next_value()?,
            "conceptKeywords" => self.keywords = map.next_value()?,
            "listEnumeration" => self.list_enumeration = map.next_value()?,
            "language" => self.language = map.next_value()?,
            _ => return Ok(false),
        }
        Ok(true)
    }
}

impl<'de> Fields<'de> for Association<'de> {
    fn field<A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        match key {
            "identifier" => self.identifier = map.next_value()?,
            "associationType" => self.association_type = map.next_value()?,
            "originNodeURI" => self.origin = map.next_value()?,
            "destinationNodeURI" => self.destination = map.next_value()?,
            "CFAssociationGroupingURI" => self.grouping = map.next_value()?,
            "sequenceNumber" => self.sequence_number = map.next_value()?,
            "notes" => self.notes = map.next_value()?,
            _ => return Ok(false),
        }
        Ok(true)
    }
}

impl<'de> Fields<'de> for Package<'de> {
    fn field<A: MapAccess<'de>>(&mut self, key: &str, map: &mut A) -> Result<bool, A::Error> {
        self.keys.push(key.to_string());
        match key {
            "CFDocument" => self.document = map.next_value()?,
            "CFItems" => self.items = map.next_value()?,
            "CFAssociations" => self.associations = map.next_value()?,
            "CFPackage" => self.wrapped = Some(Box::new(map.next_value()?)),
            _ => return Ok(false),
        }
        Ok(true)
    }
}

/// Shapes that are objects of fields read through [`Fields`].
macro_rules! deserialize_object {
    ($($t:ident),*) => {$(
        impl<'de> Deserialize<'de> for Object<$t<'de>> {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_any(ShapeVisitor(PhantomData))
            }
        }
    )*};
}

deserialize_as_shape!(Text, UriText, TitleOf, Keywords, SequenceNumber, Link);
deserialize_object!(Document, Item, Association, Package);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Array<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ShapeVisitor(PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read<'a, T: Deserialize<'a>>(s: &'a str) -> T {
        serde_json::from_str(s).unwrap()
    }

    #[test]
    fn text_reads_strings_numbers_and_names_the_rest() {
        assert_eq!(read::<Text>(r#""a""#), Text::Str(Cow::Borrowed("a")));
        assert!(matches!(read::<Text>(r#""a\nb""#), Text::Str(Cow::Owned(s)) if s == "a\nb"));
        assert_eq!(read::<Text>("12").as_str(), "12");
        assert_eq!(read::<Text>("-1.5").as_str(), "-1.5");
        assert_eq!(read::<Text>("1.0").as_str(), "1.0");
        assert_eq!(read::<Text>("true").as_str(), "true");
        assert_eq!(read::<Text>("null"), Text::Other(NULL));
        assert_eq!(read::<Text>("[1, [2]]"), Text::Other(ARRAY));
        assert_eq!(read::<Text>(r#"{"a": {}}"#), Text::Other(OBJECT));
    }

    #[test]
    fn keywords_accept_arrays_and_strings() {
        assert_eq!(
            read::<Keywords>(r#"["a ", "", 3, null, ["x"]]"#).0,
            ["a", "3"]
        );
        assert_eq!(read::<Keywords>(r#""x; y,z ,""#).0, ["x", "y", "z"]);
        assert!(read::<Keywords>(r#"{"a": 1}"#).0.is_empty());
    }

    #[test]
    fn sequence_numbers_accept_strings_and_integral_floats() {
        let seq = |s: &str| read::<SequenceNumber>(s).0;
        assert_eq!(seq("3"), Some(3));
        assert_eq!(seq(r#"" 12""#), Some(12));
        assert_eq!(seq("2.0"), Some(2));
        assert_eq!(seq("2.5"), None);
        assert_eq!(seq("1e300"), None);
        assert_eq!(seq("18446744073709551615"), None);
        assert_eq!(seq(r#""x""#), None);
        assert_eq!(seq("[1]"), None);
    }

    #[test]
    fn links_uris_and_titles() {
        match read::<Link>(r#"{"title": "T", "x": [1], "identifier": "i", "uri": "u"}"#) {
            Link::Object {
                identifier,
                uri,
                title,
            } => {
                assert_eq!(
                    (identifier.as_str(), uri.as_str(), title.as_str()),
                    ("i", "u", "T")
                )
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(read::<Link>(r#""http://x""#), Link::Uri(u) if u == "http://x"));
        assert!(matches!(read::<Link>("null"), Link::Missing));
        assert!(matches!(read::<Link>("4"), Link::Other(NUMBER)));
        assert_eq!(
            read::<UriText>(r#"{"title": "t", "uri": "u"}"#).0.as_str(),
            "u"
        );
        assert_eq!(read::<UriText>(r#""u2""#).0.as_str(), "u2");
        assert_eq!(
            read::<TitleOf>(r#"{"title": "Cluster"}"#).0.as_str(),
            "Cluster"
        );
    }

    #[test]
    fn escaped_keys_still_match() {
        let item: Object<Item> = read(r#"{"full\u0053tatement": "s", "identifier": "i"}"#);
        let Object::Is(item) = item else { panic!() };
        assert_eq!(item.full_statement.as_str(), "s");
    }
}
