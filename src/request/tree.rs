//! A light JSON tree for reading request documents: strings borrow from the
//! request text where they hold no escapes, and objects keep their members
//! in a plain list. Reading a request this way allocates far less than
//! `serde_json::Value` (no map per object, no copy per string), which
//! matters when an export holds hundreds of thousands of requests.
//!
//! Lookups behave exactly as they would on a `serde_json::Value` (whose
//! objects are sorted maps): among keys that match without regard to case
//! the smallest key wins, and of a key written twice the last value wins.

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Number, Value};

/// A JSON value whose strings may borrow from the text it was read from.
#[derive(Clone, Debug, PartialEq)]
pub enum Json<'a> {
    /// `null`.
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as `serde_json` reads it.
    Number(Number),
    /// A string, borrowed when it had no escapes.
    Str(Cow<'a, str>),
    /// A list.
    Array(Vec<Json<'a>>),
    /// An object's members, in the order written.
    Object(Vec<(Cow<'a, str>, Json<'a>)>),
}

impl Json<'_> {
    /// The member of an object whose key matches `key` without regard to
    /// case (see the module docs for which one wins); `None` for anything
    /// that is not an object.
    pub fn get(&self, key: &str) -> Option<&Self> {
        let Json::Object(members) = self else {
            return None;
        };
        let mut best: Option<&(Cow<'_, str>, Json<'_>)> = None;
        for m in members {
            if !m.0.eq_ignore_ascii_case(key) {
                continue;
            }
            // `<=` lets a later duplicate of the same key replace it.
            if best.is_none_or(|b| m.0.as_ref() <= b.0.as_ref()) {
                best = Some(m);
            }
        }
        best.map(|(_, v)| v)
    }

    /// The value as text: strings as they are, numbers in decimal, booleans
    /// as `true`/`false`, the `#text` of an attribute-style object; `None`
    /// for null and lists.
    pub fn text(&self) -> Option<String> {
        match self {
            Json::Str(s) => Some(s.as_ref().to_owned()),
            Json::Number(n) => Some(n.to_string()),
            Json::Bool(b) => Some(b.to_string()),
            Json::Object(_) => self.get("#text").and_then(Json::text),
            _ => None,
        }
    }

    /// The same value as a `serde_json::Value` (for the rare value that is
    /// neither a string nor null, whose JSON text is wanted).
    pub fn to_value(&self) -> Value {
        match self {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(*b),
            Json::Number(n) => Value::Number(n.clone()),
            Json::Str(s) => Value::String(s.as_ref().to_owned()),
            Json::Array(a) => Value::Array(a.iter().map(Json::to_value).collect()),
            Json::Object(members) => {
                let mut map = serde_json::Map::new();
                for (k, v) in members {
                    map.insert(k.as_ref().to_owned(), v.to_value());
                }
                Value::Object(map)
            }
        }
    }
}

/// A string that borrows when it can.
struct Text<'a>(Cow<'a, str>);

impl<'de> Deserialize<'de> for Text<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct TextVisitor;
        impl<'de> Visitor<'de> for TextVisitor {
            type Value = Text<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Borrowed(s)))
            }
            fn visit_str<E>(self, s: &str) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(s.to_owned())))
            }
            fn visit_string<E>(self, s: String) -> Result<Text<'de>, E> {
                Ok(Text(Cow::Owned(s)))
            }
        }
        d.deserialize_str(TextVisitor)
    }
}

impl<'de> Deserialize<'de> for Json<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Json<'de>, E> {
        Ok(Json::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> Result<Json<'de>, E> {
        Ok(Json::Number(n.into()))
    }

    fn visit_u64<E>(self, n: u64) -> Result<Json<'de>, E> {
        Ok(Json::Number(n.into()))
    }

    fn visit_f64<E>(self, n: f64) -> Result<Json<'de>, E> {
        // As `serde_json::Value` does: a number it cannot hold is null.
        Ok(Number::from_f64(n).map_or(Json::Null, Json::Number))
    }

    fn visit_borrowed_str<E>(self, s: &'de str) -> Result<Json<'de>, E> {
        Ok(Json::Str(Cow::Borrowed(s)))
    }

    fn visit_str<E>(self, s: &str) -> Result<Json<'de>, E> {
        Ok(Json::Str(Cow::Owned(s.to_owned())))
    }

    fn visit_string<E>(self, s: String) -> Result<Json<'de>, E> {
        Ok(Json::Str(Cow::Owned(s)))
    }

    fn visit_unit<E>(self) -> Result<Json<'de>, E> {
        Ok(Json::Null)
    }

    fn visit_none<E>(self) -> Result<Json<'de>, E> {
        Ok(Json::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Json<'de>, D::Error> {
        Json::deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json<'de>, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Json::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json<'de>, A::Error> {
        let mut members = Vec::new();
        while let Some(Text(key)) = map.next_key()? {
            let value: Json<'de> = map.next_value()?;
            members.push((key, value));
        }
        Ok(Json::Object(members))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Json<'_> {
        match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn strings_without_escapes_are_borrowed() {
        let v = read(r#"{"a":"plain","b":"esc\"aped"}"#);
        assert!(matches!(
            v.get("a"),
            Some(Json::Str(Cow::Borrowed("plain")))
        ));
        assert!(matches!(v.get("B"), Some(Json::Str(Cow::Owned(s))) if s == "esc\"aped"));
    }

    #[test]
    fn lookups_pick_the_member_a_sorted_map_would() {
        let v = read(r#"{"Propertyname":"second","PropertyName":"first","x":1,"x":2}"#);
        assert_eq!(
            v.get("propertyname").and_then(Json::text).as_deref(),
            Some("first")
        );
        assert_eq!(v.get("x").and_then(Json::text).as_deref(), Some("2"));
    }

    #[test]
    fn values_convert_to_serde_json_with_the_same_text() {
        let text = r##"{"b":[1,2.5,true,null],"a":{"#text":"t"}}"##;
        let v = read(text);
        let expected: Value = match serde_json::from_str(text) {
            Ok(v) => v,
            Err(e) => panic!("{e}"),
        };
        assert_eq!(v.to_value(), expected);
        assert_eq!(v.get("a").and_then(Json::text).as_deref(), Some("t"));
    }
}
