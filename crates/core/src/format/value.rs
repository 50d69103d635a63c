//! The JSON tree the walker reads: serde_json parses the text into it, and it borrows every
//! string that needs no unescaping straight from that text.
//!
//! Not `serde_json::Value`, which copies every string and sorts each object's members into a
//! `BTreeMap` (a node allocation per object, and `n log n` in its members). Here members stay
//! a `Vec` in document order; the walker asks each object for a fixed handful of keys, so
//! reading stays linear in the text. Nesting is bounded by serde_json's recursion limit (128).

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// A JSON value. `Number` keeps what serde_json read: a 64-bit integer exactly, anything
/// else as an `f64`.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value<'a> {
    Null,
    Bool(bool),
    Number(serde_json::Number),
    String(Cow<'a, str>),
    Array(Vec<Value<'a>>),
    Object(Object<'a>),
}

/// An object's members in document order, duplicates included.
#[derive(Clone, Debug, PartialEq, Default)]
pub(crate) struct Object<'a>(Vec<(Cow<'a, str>, Value<'a>)>);

impl<'a> Object<'a> {
    /// The member named `key`; with duplicates, the last one wins (as serde_json's own
    /// `Value` and most readers do).
    pub fn get(&self, key: &str) -> Option<&Value<'a>> {
        self.0.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    pub fn contains_key(&self, key: &str) -> bool {
        self.get(key).is_some()
    }
}

/// Reads one JSON document (the whole text; trailing characters are an error).
pub(crate) fn from_str(text: &str) -> Result<Value<'_>, serde_json::Error> {
    serde_json::from_str(text)
}

impl<'de> Deserialize<'de> for Value<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ValueVisitor)
    }
}

struct ValueVisitor;

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(Value::Null)
    }

    fn visit_bool<E>(self, b: bool) -> Result<Self::Value, E> {
        Ok(Value::Bool(b))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Self::Value, E> {
        Ok(Value::Number(n.into()))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Self::Value, E> {
        Ok(Value::Number(n.into()))
    }

    fn visit_f64<E>(self, n: f64) -> Result<Self::Value, E> {
        // serde_json refuses numbers out of range, so `n` is finite; null is only a fallback.
        Ok(serde_json::Number::from_f64(n).map_or(Value::Null, Value::Number))
    }

    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Self::Value, E> {
        Ok(Value::String(Cow::Borrowed(s)))
    }

    fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
        Ok(Value::String(Cow::Owned(s.to_owned())))
    }

    fn visit_string<E>(self, s: String) -> Result<Self::Value, E> {
        Ok(Value::String(Cow::Owned(s)))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut members = Vec::new();
        while let Some(Key(key)) = map.next_key()? {
            members.push((key, map.next_value()?));
        }
        Ok(Value::Object(Object(members)))
    }
}

/// A member name, borrowed from the text when it has no escapes. (`Cow<str>`'s own
/// `Deserialize` always copies.)
struct Key<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Self::Value, E> {
        Ok(Key(Cow::Borrowed(s)))
    }

    fn visit_str<E>(self, s: &str) -> Result<Self::Value, E> {
        Ok(Key(Cow::Owned(s.to_owned())))
    }

    fn visit_string<E>(self, s: String) -> Result<Self::Value, E> {
        Ok(Key(Cow::Owned(s)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &str) -> Value<'_> {
        Value::String(Cow::Borrowed(v))
    }

    #[test]
    fn reads_every_kind_of_value() {
        let text = r#" {"a": [1, -2.5e3, 0, true, false, null], "b": {"c": "\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00한"}, "a": "last"} "#;
        let Ok(Value::Object(o)) = from_str(text) else { panic!("not an object") };
        assert_eq!(o.get("a"), Some(&s("last")));
        let Some(Value::Object(b)) = o.get("b") else { panic!("b") };
        assert_eq!(b.get("c"), Some(&s("\"\\/\u{8}\u{c}\n\r\té😀한")));
        let Ok(Value::Array(items)) = from_str("[1, -2.5e3, 0, true, false, null, []]") else { panic!("array") };
        assert_eq!(items[0], Value::Number(1u64.into()));
        assert_eq!(items[1], Value::Number(serde_json::Number::from_f64(-2500.0).unwrap()));
        assert_eq!(items[6], Value::Array(vec![]));
        assert_eq!(from_str("\"x\"").ok(), Some(s("x")));
    }

    #[test]
    fn strings_without_escapes_are_borrowed() {
        let Ok(Value::Object(o)) = from_str(r#"{"plain": "본문", "esc\u0061ped": "a\nb"}"#) else { panic!("object") };
        assert!(matches!(o.get("plain"), Some(Value::String(Cow::Borrowed("본문")))));
        assert!(matches!(o.0[0].0, Cow::Borrowed("plain")));
        assert!(matches!(o.0[1].0, Cow::Owned(_)));
        assert!(matches!(o.get("escaped"), Some(Value::String(Cow::Owned(_)))));
    }

    #[test]
    fn deep_nesting_is_refused_not_fatal() {
        let deep = "[".repeat(100_000);
        let e = from_str(&deep).unwrap_err();
        assert!(e.to_string().starts_with("recursion limit exceeded"), "{e}");
        let ok = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert!(from_str(&ok).is_ok());
    }
}
