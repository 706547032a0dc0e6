//! A quicker reading of the usual PowerShell `Get-WinEvent` object.
//!
//! Such an object has some thirty members, of which the `Get-WinEvent`
//! mapping reads nine. Read into a `serde_json::Value`, every member becomes
//! a map entry with its own strings. Here only those nine are kept; the
//! others are still parsed (so a damaged value fails the same way) but
//! dropped as they are read. Whenever the object could be read differently
//! by the general mapping (a member that another shape is recognised by, a
//! name with an escape or a dot), the answer is `None` and the general
//! mapping reads the element.

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::{get_win_event, lookup};
use crate::event::{EventOrigin, EventRecord};

/// The members the `Get-WinEvent` mapping reads (any case).
const KEPT: [&str; 9] = [
    "Message",
    "Id",
    "RecordId",
    "ProviderName",
    "LogName",
    "ContainerLog",
    "MachineName",
    "TimeCreated",
    "Properties",
];

/// Members by which the general mapping recognises another shape first
/// (any case; `winlog` also as the start of a dotted name).
const OTHER_SHAPES: [&str; 4] = ["Event", "hits", "tables", "winlog"];

/// Reads one JSON element as a `Get-WinEvent` event when it plainly is one;
/// `None` leaves it to the general mapping, which then gives the same answer
/// it always did.
pub(super) fn read_plain(origin: EventOrigin, bytes: &[u8]) -> Option<EventRecord> {
    let Members(kept) = serde_json::from_slice(bytes).ok()?;
    let object = Value::Object(kept?);
    if lookup(&object, "ProviderName").is_none() && lookup(&object, "RecordId").is_none() {
        return None;
    }
    Some(get_win_event(origin, &object))
}

/// The kept members of an object, in the order written; `None` when the
/// object is not plainly a `Get-WinEvent` one.
struct Members(Option<Map<String, Value>>);

impl<'de> Deserialize<'de> for Members {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(MembersVisitor)
    }
}

struct MembersVisitor;

impl<'de> Visitor<'de> for MembersVisitor {
    type Value = Members;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an event object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Members, A::Error> {
        let mut kept = Map::new();
        // A name with an escape is not borrowed; it fails here, and the
        // general mapping reads the element.
        while let Some(key) = access.next_key::<&'de str>()? {
            let other_shape = key.contains('.')
                || OTHER_SHAPES.iter().any(|k| {
                    key.as_bytes()
                        .get(..k.len())
                        .is_some_and(|head| head.eq_ignore_ascii_case(k.as_bytes()))
                });
            if other_shape {
                return Ok(Members(None));
            }
            if KEPT.iter().any(|k| key.eq_ignore_ascii_case(k)) {
                let value: Value = access.next_value()?;
                kept.insert(key.to_owned(), value);
            } else {
                access.next_value::<Dropped>()?;
            }
        }
        Ok(Members(Some(kept)))
    }
}

/// A value parsed as `serde_json::Value` would parse it (the same checks of
/// strings, escapes and numbers) but not kept.
struct Dropped;

impl<'de> Deserialize<'de> for Dropped {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(DroppedVisitor)
    }
}

struct DroppedVisitor;

impl<'de> Visitor<'de> for DroppedVisitor {
    type Value = Dropped;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<Dropped, E> {
        Ok(Dropped)
    }

    fn visit_i64<E>(self, _: i64) -> Result<Dropped, E> {
        Ok(Dropped)
    }

    fn visit_u64<E>(self, _: u64) -> Result<Dropped, E> {
        Ok(Dropped)
    }

    fn visit_f64<E>(self, _: f64) -> Result<Dropped, E> {
        Ok(Dropped)
    }

    fn visit_str<E>(self, _: &str) -> Result<Dropped, E> {
        Ok(Dropped)
    }

    fn visit_unit<E>(self) -> Result<Dropped, E> {
        Ok(Dropped)
    }

    fn visit_none<E>(self) -> Result<Dropped, E> {
        Ok(Dropped)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Dropped, D::Error> {
        Dropped::deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Dropped, A::Error> {
        while seq.next_element::<Dropped>()?.is_some() {}
        Ok(Dropped)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Dropped, A::Error> {
        while map.next_entry::<Dropped, Dropped>()?.is_some() {}
        Ok(Dropped)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ingest::ReadItem;
    use crate::ingest::json::value_to_item;

    fn origin() -> EventOrigin {
        EventOrigin {
            file: 0,
            offset: 0,
            record_id: None,
        }
    }

    /// The event the general mapping reads from the same text.
    fn general(text: &str) -> Option<EventRecord> {
        let value: Value = serde_json::from_str(text).ok()?;
        match value_to_item(origin(), &value) {
            ReadItem::Event { record, .. } => Some(record),
            _ => None,
        }
    }

    #[test]
    fn a_get_win_event_object_reads_as_the_general_mapping_reads_it() {
        let ps51 = r#"{"Message": "{\"HybridObjectID\":\"a\"}", "Id": 4121, "Version": 0,
            "Keywords": -9187343239835811840, "RecordId": 160000, "ProviderName": "Microsoft.IdentityManagement.Service",
            "LogName": "Identity Manager Request Log", "MachineName": "mim01", "UserId": null,
            "TimeCreated": "\/Date(1709251200587)\/", "MatchedQueryIds": [], "Bookmark": {"a": [1.5, true]},
            "Properties": ["System.Diagnostics.Eventing.Reader.EventProperty"]}"#;
        let ps7 = r#"{"id": "4137", "recordid": 7, "PROVIDERNAME": "p", "ContainerLog": "c",
            "TimeCreated": "2024-03-01T00:00:00+01:00", "Properties": [{"Value": "slice text"}],
            "Message": "rendered", "Message": "rendered twice", "OpcodeDisplayName": "Info"}"#;
        for text in [ps51, ps7] {
            let plain = read_plain(origin(), text.as_bytes());
            assert!(plain.is_some(), "{text}");
            assert_eq!(plain, general(text), "{text}");
        }
    }

    #[test]
    fn other_shapes_and_unusual_objects_are_left_to_the_general_mapping() {
        for text in [
            r#"{"ProviderName": "p", "winlog": {"event_id": 4121}}"#,
            r#"{"ProviderName": "p", "Event": {"System": {}}}"#,
            r#"{"ProviderName": "p", "hits": {"hits": []}}"#,
            r#"{"ProviderName": "p", "host.name": "x"}"#,
            r#"{"Provider\u004eame": "p", "Id": 4121}"#,
            r#"{"Id": 4121, "Message": "no provider, no record id"}"#,
            "{\"ProviderName\": \"p\", \"Bookmark\": \"raw \u{1} control\"}",
            r#"{"ProviderName": "p", "Level": 1e400}"#,
            r#"["not", "an", "object"]"#,
        ] {
            assert_eq!(read_plain(origin(), text.as_bytes()), None, "{text}");
        }
    }
}
