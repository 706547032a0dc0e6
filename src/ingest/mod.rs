//! Reading exports: recognising a file's format and encoding from its content,
//! and turning it into a stream of [`EventRecord`]s.
//!
//! Every reader takes a `std::io::Read` and streams: no file is held whole,
//! so the same code serves a browser `File` read in slices and a native file
//! of several gigabytes.

pub mod decode;
pub mod json;
pub mod xml;

use std::io::Read;

use crate::event::{EventRecord, EventTime, FileIndex};
use crate::ledger::{Diagnostic, Severity};
use crate::time::parse_time;
use decode::{SNIFF_LEN, TextDecoder, TextEncoding};

/// What a reader hands on for each thing it finds in a file.
#[derive(Clone, Debug, PartialEq)]
pub enum ReadItem {
    /// An event, with the repairs made to read it (empty when it was clean).
    Event {
        /// The event.
        record: EventRecord,
        /// What was tolerated to read it, in plain words.
        repairs: Vec<String>,
    },
    /// Something that looked like an event but could not be read: it counts
    /// as one event read, in the unreadable bucket.
    Unreadable(Diagnostic),
    /// A remark about the file that is not an event.
    Note(Diagnostic),
}

/// The export formats recognised.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum FileFormat {
    /// Event Viewer "Save Events As > XML" (an `<Events>` root).
    EventViewerXml,
    /// `wevtutil qe /f:xml` (bare `<Event>` elements).
    WevtutilXml,
    /// Windows PowerShell 5.1 `Get-WinEvent | ConvertTo-Json`.
    PowerShell51GetWinEvent,
    /// PowerShell 7 `Get-WinEvent | ConvertTo-Json`.
    PowerShell7GetWinEvent,
    /// `Get-EventLog | ConvertTo-Json`.
    PowerShellGetEventLog,
    /// JSON of a shape not (yet) named, read with the generic mapping.
    OtherJson,
}

impl FileFormat {
    /// The name shown to the user.
    pub fn describe(self) -> &'static str {
        match self {
            FileFormat::EventViewerXml => "Event Viewer XML (Save Events As)",
            FileFormat::WevtutilXml => "wevtutil XML (no root element)",
            FileFormat::PowerShell51GetWinEvent => "Windows PowerShell 5.1 Get-WinEvent JSON",
            FileFormat::PowerShell7GetWinEvent => "PowerShell 7 Get-WinEvent JSON",
            FileFormat::PowerShellGetEventLog => "PowerShell Get-EventLog JSON",
            FileFormat::OtherJson => "JSON (unrecognised shape)",
        }
    }
}

/// Why a file could not be read at all.
#[derive(Debug)]
pub enum IngestError {
    /// The content matches no supported export; the message says what it
    /// looked like.
    Unrecognised(String),
    /// Reading the file failed (the browser or the disk said so).
    Io(std::io::Error),
}

impl std::fmt::Display for IngestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IngestError::Unrecognised(what) => write!(f, "not a request-log export: {what}"),
            IngestError::Io(e) => write!(f, "the file could not be read: {e}"),
        }
    }
}

impl std::error::Error for IngestError {}

impl From<std::io::Error> for IngestError {
    fn from(e: std::io::Error) -> Self {
        IngestError::Io(e)
    }
}

/// A time from an export field, with its zone knowledge.
pub fn event_time(text: &str) -> Option<EventTime> {
    let t = parse_time(text)?;
    Some(if t.zone_known {
        EventTime::Utc(t.instant)
    } else {
        EventTime::ZoneUnknown(t.instant)
    })
}

/// What a file was recognised as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Recognised {
    /// Its format.
    pub format: FileFormat,
    /// Its text encoding.
    pub encoding: TextEncoding,
}

/// Recognises the format of decoded text from its beginning.
fn sniff_format(head: &str) -> Option<FileFormat> {
    let t = head.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    if t.starts_with('<') {
        // An `<Events>` root (after an optional declaration) is Event
        // Viewer's; bare `<Event ` elements are wevtutil's.
        let events_root = t.find("<Events").filter(|&i| {
            matches!(
                t.as_bytes().get(i + 7),
                Some(b'>' | b' ' | b'\r' | b'\n' | b'\t')
            )
        });
        let first_event = t.find("<Event ").or_else(|| t.find("<Event>"));
        return match (events_root, first_event) {
            (Some(r), Some(e)) if r < e => Some(FileFormat::EventViewerXml),
            (Some(_), None) => Some(FileFormat::EventViewerXml),
            (_, Some(_)) => Some(FileFormat::WevtutilXml),
            (None, None) => None,
        };
    }
    if t.starts_with('[') || t.starts_with('{') {
        let has = |k: &str| t.contains(&format!("\"{k}\""));
        if has("ReplacementStrings") || has("InstanceId") {
            return Some(FileFormat::PowerShellGetEventLog);
        }
        if has("ProviderName") || has("RecordId") {
            return Some(if t.contains("Date(") {
                FileFormat::PowerShell51GetWinEvent
            } else {
                FileFormat::PowerShell7GetWinEvent
            });
        }
        return Some(FileFormat::OtherJson);
    }
    None
}

/// A short, safe description of unrecognised content for the diagnostics.
fn describe_unknown(head: &[u8]) -> String {
    let magic: &[(&[u8], &str)] = &[
        (b"PK\x03\x04", "a ZIP archive (unpack it first)"),
        (b"\x1f\x8b", "a gzip file (unpack it first)"),
        (b"\x89PNG", "a PNG image"),
        (b"\xff\xd8\xff", "a JPEG image"),
        (b"%PDF", "a PDF document"),
        (b"ElfFile\0", "an EVTX event log (binary)"),
    ];
    if head.is_empty() {
        return "the file is empty".to_owned();
    }
    for (m, what) in magic {
        if head.starts_with(m) {
            return format!("it looks like {what}");
        }
    }
    let shown: String = head
        .iter()
        .take(16)
        .map(|b| format!("{b:02X}"))
        .collect::<Vec<_>>()
        .join(" ");
    format!("no known export starts like this (first bytes: {shown})")
}

/// Reads one file: recognises it, then streams its events to `sink`.
///
/// `on_recognised` hears the format and encoding before the first event. On
/// an I/O error part-way, everything read before it has already reached
/// `sink`.
pub fn read_file<R: Read>(
    file: FileIndex,
    source: R,
    on_recognised: &mut dyn FnMut(Recognised),
    sink: &mut dyn FnMut(ReadItem),
) -> Result<Recognised, IngestError> {
    let mut text = TextDecoder::new(source)?;
    let encoding = text.encoding();

    let head = text.peek(SNIFF_LEN)?;
    let head_text = String::from_utf8_lossy(&head[..head.len().min(SNIFF_LEN)]);
    let Some(format) = sniff_format(&head_text) else {
        return Err(IngestError::Unrecognised(describe_unknown(text.raw_head())));
    };
    let recognised = Recognised { format, encoding };
    on_recognised(recognised);

    match format {
        FileFormat::EventViewerXml | FileFormat::WevtutilXml => {
            xml::read_events(file, &mut text, sink)?;
        }
        FileFormat::PowerShell51GetWinEvent
        | FileFormat::PowerShell7GetWinEvent
        | FileFormat::PowerShellGetEventLog
        | FileFormat::OtherJson => {
            json::read_events(file, &mut text, sink)?;
        }
    }
    if let Some((count, at)) = text.replacements() {
        let msg = format!(
            "{count} stretch(es) of invalid bytes or lone surrogates were replaced by U+FFFD \
             (first near byte {at})"
        );
        sink(ReadItem::Note(Diagnostic::in_file(
            Severity::Warning,
            file,
            Some(at),
            msg,
        )));
    }
    Ok(recognised)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_told_apart_by_content() {
        let ev = "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<Events>\n<Event xmlns='x'>";
        assert_eq!(sniff_format(ev), Some(FileFormat::EventViewerXml));
        assert_eq!(
            sniff_format("<Event xmlns='x'><System>"),
            Some(FileFormat::WevtutilXml)
        );
        let ps51 = r#"[{"Message": "x", "Id": 4121, "RecordId": 1, "TimeCreated": "\/Date(1)\/"}]"#;
        assert_eq!(
            sniff_format(ps51),
            Some(FileFormat::PowerShell51GetWinEvent)
        );
        let ps7 = r#"[{"Message": "x", "Id": 4121, "RecordId": 1, "TimeCreated": "2024-01-01T00:00:00+01:00"}]"#;
        assert_eq!(sniff_format(ps7), Some(FileFormat::PowerShell7GetWinEvent));
        assert_eq!(
            sniff_format(r#"[{"EventID": 1, "ReplacementStrings": []}]"#),
            Some(FileFormat::PowerShellGetEventLog)
        );
        assert_eq!(sniff_format("hello"), None);
    }

    #[test]
    fn an_unrecognised_file_says_what_it_looked_like() {
        let mut sink = |_: ReadItem| {};
        let zip = b"PK\x03\x04rest of a zip";
        let err = read_file(0, &zip[..], &mut |_| {}, &mut sink)
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("not a request-log export: it looks like a ZIP archive (unpack it first)")
        );
        let err = read_file(0, &b""[..], &mut |_| {}, &mut sink)
            .err()
            .map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("not a request-log export: the file is empty")
        );
    }
}
