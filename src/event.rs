//! `EventRecord`: the one shape every format reader yields, whatever the export
//! looked like, so that reassembly and classification never see a format.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// The event source the MIM Service writes its request log under.
pub const REQUEST_LOG_PROVIDER: &str = "Microsoft.IdentityManagement.Service";

/// The channel (event log name) of the MIM request log.
pub const REQUEST_LOG_CHANNEL: &str = "Identity Manager Request Log";

/// Event id of an event that carries one whole request.
pub const WHOLE_REQUEST_EVENT_ID: u32 = 4121;

/// Event id of an event that carries one slice of a large request.
pub const REQUEST_SLICE_EVENT_ID: u32 = 4137;

/// Index of a file within one load; the ledger holds its name and format.
pub type FileIndex = u32;

/// Where an event came from: which file, and where in it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EventOrigin {
    /// The file the event was read from.
    pub file: FileIndex,
    /// Byte offset of the event's start in the file: exact (the page reads
    /// the event again from there, see [`crate::view::reread`]). For text
    /// decoded from UTF-16 or Windows-1252 it is exact at any ASCII
    /// character (every event starts at one) in the last
    /// [`crate::ingest::decode::EXACT_WINDOW`] bytes decoded, and estimated
    /// for an event larger than that. In an EVTX file, the record's header.
    pub offset: u64,
    /// The event's record id when the export carries one. Kept as a string
    /// when it crosses to the browser so it never becomes a JavaScript number.
    #[serde(with = "opt_u64_string")]
    pub record_id: Option<u64>,
}

/// When an event happened, and how sure we are of the zone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EventTime {
    /// A time whose zone the export stated (UTC, or an offset).
    Utc(DateTime<Utc>),
    /// A wall-clock time without a zone (Event Viewer CSV, for example):
    /// stored as if it were UTC, and used only when the request itself has no
    /// time of its own.
    ZoneUnknown(DateTime<Utc>),
}

impl EventTime {
    /// The instant, taking a zone-less time as UTC.
    pub fn instant(self) -> DateTime<Utc> {
        match self {
            EventTime::Utc(t) | EventTime::ZoneUnknown(t) => t,
        }
    }
}

/// One event as read from an export, before any interpretation of its payload.
#[derive(Clone, Debug, PartialEq)]
pub struct EventRecord {
    /// Where it was read.
    pub origin: EventOrigin,
    /// The event id (4121, 4137, or anything else in a mixed export).
    pub event_id: Option<u32>,
    /// The event's source (provider) name, when the export has it.
    pub provider: Option<String>,
    /// The event log (channel) name, when the export has it.
    pub channel: Option<String>,
    /// The computer that logged the event.
    pub computer: Option<String>,
    /// The event's own time.
    pub time: Option<EventTime>,
    /// The event's payload: its first data string when the export has one,
    /// else its rendered message (see [`Payload`]).
    pub payload: Payload,
}

/// The text an event carries, and where it was taken from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Payload {
    /// The event's first `Data` string (or an equivalent such as
    /// `ReplacementStrings[0]`): the request text exactly as MIM wrote it.
    Data(String),
    /// The rendered message; it may start with an Event Viewer preamble when
    /// the message file was not registered, which reassembly cuts away.
    Message(String),
    /// The export holds no text for this event.
    Missing,
}

impl Payload {
    /// The text, wherever it came from.
    pub fn text(&self) -> Option<&str> {
        match self {
            Payload::Data(s) | Payload::Message(s) => Some(s),
            Payload::Missing => None,
        }
    }
}

impl EventRecord {
    /// Whether this event belongs to the MIM request log: the MIM Service
    /// source and one of the two request event ids. An event 4121 from
    /// another source is not a request. An export that names no source (rare)
    /// is judged by channel; with neither, by id alone.
    pub fn is_request_log(&self) -> bool {
        let id_fits = matches!(
            self.event_id,
            Some(WHOLE_REQUEST_EVENT_ID | REQUEST_SLICE_EVENT_ID)
        );
        if !id_fits {
            return false;
        }
        match (&self.provider, &self.channel) {
            (Some(p), _) => p.eq_ignore_ascii_case(REQUEST_LOG_PROVIDER),
            (None, Some(c)) => c.eq_ignore_ascii_case(REQUEST_LOG_CHANNEL),
            (None, None) => true,
        }
    }
}

/// Serde helper: an optional `u64` written as a decimal string.
pub mod opt_u64_string {
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes the number as a string, or `null`.
    pub fn serialize<S: Serializer>(v: &Option<u64>, s: S) -> Result<S::Ok, S::Error> {
        match v {
            Some(n) => s.serialize_str(&n.to_string()),
            None => s.serialize_none(),
        }
    }

    /// Reads a string (or, leniently, a number) back into the number.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<u64>, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Repr {
            Text(String),
            Number(u64),
        }
        match Option::<Repr>::deserialize(d)? {
            None => Ok(None),
            Some(Repr::Number(n)) => Ok(Some(n)),
            Some(Repr::Text(t)) => t.parse().map(Some).map_err(serde::de::Error::custom),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(id: u32, provider: Option<&str>, channel: Option<&str>) -> EventRecord {
        EventRecord {
            origin: EventOrigin {
                file: 0,
                offset: 0,
                record_id: None,
            },
            event_id: Some(id),
            provider: provider.map(str::to_owned),
            channel: channel.map(str::to_owned),
            computer: None,
            time: None,
            payload: Payload::Missing,
        }
    }

    #[test]
    fn event_4121_from_another_source_is_not_a_request() {
        assert!(!event(4121, Some("Contoso.BackupAgent"), None).is_request_log());
    }

    #[test]
    fn request_events_are_recognised_by_source_or_channel() {
        assert!(event(4137, Some(REQUEST_LOG_PROVIDER), None).is_request_log());
        assert!(event(4121, None, Some(REQUEST_LOG_CHANNEL)).is_request_log());
        assert!(!event(4625, Some(REQUEST_LOG_PROVIDER), None).is_request_log());
    }

    #[test]
    fn record_ids_cross_as_strings_and_keep_every_bit() {
        let origin = EventOrigin {
            file: 1,
            offset: 2,
            record_id: Some(u64::MAX),
        };
        let json = serde_json::to_string(&origin).unwrap_or_default();
        assert_eq!(
            json,
            r#"{"file":1,"offset":2,"record_id":"18446744073709551615"}"#
        );
        let back: Result<EventOrigin, _> = serde_json::from_str(&json);
        assert_eq!(back.ok(), Some(origin));
    }
}
