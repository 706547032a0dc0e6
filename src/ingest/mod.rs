//! Reading exports: recognising a file's format and encoding from its content,
//! and turning it into a stream of [`EventRecord`]s.
//!
//! Every reader takes a `std::io::Read` and streams: no file is held whole,
//! so the same code serves a browser `File` read in slices and a native file
//! of several gigabytes.

pub mod decode;
pub mod delimited;
pub mod evtx_file;
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
    /// A Microsoft Entra ID audit record (cloud activity): it counts as one
    /// event read, and is classified by [`crate::cloud::rules`].
    Audit {
        /// Where it was read.
        origin: crate::event::EventOrigin,
        /// The record (boxed: it is several times the size of an event).
        record: Box<crate::cloud::AuditRecord>,
    },
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
    /// Event Viewer "Save Events As > CSV": five headed columns and an
    /// unheaded message.
    EventViewerCsv,
    /// Event Viewer "Save Events As > Text": the CSV layout, tab-separated.
    EventViewerTxt,
    /// PowerShell `Export-Csv` of events (property names as header).
    PowerShellExportCsv,
    /// Winlogbeat events, one JSON object a line.
    Winlogbeat,
    /// An Elasticsearch `_search` answer (`hits.hits[]._source`).
    ElasticSearch,
    /// NXLog JSON, one object a line, possibly behind a syslog header.
    NxLog,
    /// Sentinel / Log Analytics `Event` table rows as a JSON array.
    SentinelJson,
    /// A Log Analytics query answer (`tables[].columns` and `rows`).
    SentinelQueryApi,
    /// Sentinel / Log Analytics `Event` table as CSV.
    SentinelCsv,
    /// A binary `.evtx` log.
    Evtx,
    /// `evtx_dump` JSON or JSON lines (`Event.System`, `Event.EventData`).
    EvtxDumpJson,
    /// JSON of a shape not (yet) named, read with the generic mapping.
    OtherJson,
    /// Microsoft Graph `auditLogs/directoryAudits` JSON (pages with
    /// `@odata.context` and `value`).
    EntraGraphJson,
    /// Entra admin center audit log *Download > JSON* (an array of
    /// records), or Graph's `value` array alone.
    EntraAuditJson,
    /// Entra admin center audit log *Download > CSV*.
    EntraAuditCsv,
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
            FileFormat::EventViewerCsv => "Event Viewer CSV (Save Events As)",
            FileFormat::EventViewerTxt => "Event Viewer tab-separated text (Save Events As)",
            FileFormat::PowerShellExportCsv => "PowerShell Export-Csv",
            FileFormat::Winlogbeat => "Winlogbeat JSON lines",
            FileFormat::ElasticSearch => "Elasticsearch _search JSON",
            FileFormat::NxLog => "NXLog JSON lines",
            FileFormat::SentinelJson => "Microsoft Sentinel Event table JSON",
            FileFormat::SentinelQueryApi => "Log Analytics query API JSON",
            FileFormat::SentinelCsv => "Microsoft Sentinel Event table CSV",
            FileFormat::Evtx => "EVTX event log (binary)",
            FileFormat::EvtxDumpJson => "evtx_dump JSON",
            FileFormat::OtherJson => "JSON (unrecognised shape)",
            FileFormat::EntraGraphJson => "Microsoft Graph directoryAudits JSON (Entra ID)",
            FileFormat::EntraAuditJson => "Entra ID audit log JSON",
            FileFormat::EntraAuditCsv => "Entra ID audit log CSV",
        }
    }

    /// Whether files of this format hold cloud (Entra ID) activity.
    pub fn is_cloud(self) -> bool {
        matches!(
            self,
            FileFormat::EntraGraphJson | FileFormat::EntraAuditJson | FileFormat::EntraAuditCsv
        )
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
    /// Its text encoding; `None` for a binary format (EVTX).
    pub encoding: Option<TextEncoding>,
}

/// Recognises the format of decoded text from its beginning.
pub(crate) fn sniff_format(head: &str) -> Option<FileFormat> {
    let t = head.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']);
    let first_line = t.lines().next().unwrap_or_default();

    // JSON lines behind a prefix (a syslog header) are NXLog's relays.
    let prefixed = !first_line.starts_with(['{', '[', '<'])
        || (first_line.starts_with('<') && !first_line.contains("<Event"));
    if prefixed && first_line.contains("{\"") && !first_line.starts_with("Record ") {
        let json = &first_line[first_line.find('{').unwrap_or_default()..];
        return Some(match sniff_json(json) {
            FileFormat::OtherJson => FileFormat::NxLog,
            known => known,
        });
    }
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
        return Some(sniff_json(t));
    }
    // evtx_dump writes `Record <n>` before each event's JSON.
    if first_line.starts_with("Record ") && t.contains("\"Event\"") {
        return Some(FileFormat::EvtxDumpJson);
    }
    sniff_delimited(first_line)
}

/// Tells the JSON shapes apart by the keys near the start.
fn sniff_json(t: &str) -> FileFormat {
    let has = |k: &str| t.contains(&format!("\"{k}\""));
    // Entra ID audit records; the Log Analytics `AuditLogs` table writes
    // the same fields in PascalCase.
    let lower = t.to_ascii_lowercase();
    if lower.contains("\"activitydisplayname\"") {
        return if has("@odata.context") || has("@odata.nextLink") {
            FileFormat::EntraGraphJson
        } else {
            FileFormat::EntraAuditJson
        };
    }
    if has("hits") && has("_source") {
        FileFormat::ElasticSearch
    } else if has("winlog") || t.contains("\"winlog.") {
        FileFormat::Winlogbeat
    } else if has("tables") && has("columns") {
        FileFormat::SentinelQueryApi
    } else if has("Event") && has("System") {
        FileFormat::EvtxDumpJson
    } else if has("ReplacementStrings") || has("InstanceId") {
        FileFormat::PowerShellGetEventLog
    } else if has("EventData") && (has("TimeGenerated") || has("RenderedDescription")) {
        FileFormat::SentinelJson
    } else if has("SourceName") || has("RecordNumber") {
        FileFormat::NxLog
    } else if has("ProviderName") || has("RecordId") {
        if t.contains("Date(") {
            FileFormat::PowerShell51GetWinEvent
        } else {
            FileFormat::PowerShell7GetWinEvent
        }
    } else {
        FileFormat::OtherJson
    }
}

/// Recognises a delimited export from its first line.
fn sniff_delimited(first_line: &str) -> Option<FileFormat> {
    if crate::cloud::is_audit_csv_header(first_line) {
        return Some(FileFormat::EntraAuditCsv);
    }
    if first_line.starts_with("#TYPE") {
        return Some(FileFormat::PowerShellExportCsv);
    }
    if first_line.contains("TimeGenerated")
        && (first_line.contains("EventData") || first_line.contains("RenderedDescription"))
    {
        return Some(FileFormat::SentinelCsv);
    }
    if first_line.starts_with('"')
        && first_line.contains("\"Message\"")
        && ["\"Id\"", "\"EventID\""]
            .iter()
            .any(|k| first_line.contains(k))
    {
        return Some(FileFormat::PowerShellExportCsv);
    }
    // Event Viewer: five headed columns, the fourth the event id (the
    // header is translated on other display languages).
    for (delimiter, format) in [
        ('\t', FileFormat::EventViewerTxt),
        (',', FileFormat::EventViewerCsv),
    ] {
        let columns: Vec<&str> = first_line.split(delimiter).collect();
        if columns.len() == 5 && columns[3].to_ascii_lowercase().contains("id") {
            return Some(format);
        }
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
    // Audit records say what they left out; the file says it once.
    let mut left_out = crate::cloud::LeftOut::default();
    let mut first_left_out: Option<u64> = None;
    let mut tally = |item: ReadItem| {
        if let ReadItem::Audit { origin, record } = &item
            && !record.left_out.is_empty()
        {
            left_out.add(&record.left_out);
            first_left_out.get_or_insert(origin.offset);
        }
        sink(item);
    };
    let read = read_items(file, source, on_recognised, &mut tally);
    if let Some(at) = first_left_out {
        let msg = format!(
            "audit records held {}; they were not kept, since no rule can read a value \
             without its name (first at byte {at})",
            left_out.describe()
        );
        sink(ReadItem::Note(Diagnostic::in_file(
            Severity::Warning,
            file,
            Some(at),
            msg,
        )));
    }
    read
}

/// [`read_file`], but for the notes gathered over the whole file.
fn read_items<R: Read>(
    file: FileIndex,
    mut source: R,
    on_recognised: &mut dyn FnMut(Recognised),
    sink: &mut dyn FnMut(ReadItem),
) -> Result<Recognised, IngestError> {
    // A binary EVTX log is recognised by its magic before any decoding.
    let mut magic = Vec::with_capacity(evtx_file::FILE_MAGIC.len());
    (&mut source)
        .take(evtx_file::FILE_MAGIC.len() as u64)
        .read_to_end(&mut magic)?;
    let source = std::io::Cursor::new(magic).chain(source);
    if source.get_ref().0.get_ref().as_slice() == evtx_file::FILE_MAGIC {
        let recognised = Recognised {
            format: FileFormat::Evtx,
            encoding: None,
        };
        on_recognised(recognised);
        evtx_file::read_events(file, source, sink)?;
        return Ok(recognised);
    }

    let mut text = TextDecoder::new(source)?;
    let encoding = text.encoding();

    let head = text.peek(SNIFF_LEN)?;
    let head_text = String::from_utf8_lossy(&head[..head.len().min(SNIFF_LEN)]);
    let Some(format) = sniff_format(&head_text) else {
        return Err(IngestError::Unrecognised(describe_unknown(text.raw_head())));
    };
    let recognised = Recognised {
        format,
        encoding: Some(encoding),
    };
    on_recognised(recognised);

    let prefixed = !head_text
        .trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n'])
        .starts_with(['{', '[']);
    match format {
        FileFormat::EventViewerXml | FileFormat::WevtutilXml => {
            xml::read_events(file, &mut text, sink)?;
        }
        FileFormat::EventViewerCsv
        | FileFormat::EventViewerTxt
        | FileFormat::PowerShellExportCsv
        | FileFormat::SentinelCsv
        | FileFormat::EntraAuditCsv => {
            delimited::read_events(file, format, &mut text, sink)?;
        }
        FileFormat::NxLog if prefixed => {
            json::read_prefixed_lines(file, &mut text, sink)?;
        }
        FileFormat::PowerShell51GetWinEvent
        | FileFormat::PowerShell7GetWinEvent
        | FileFormat::PowerShellGetEventLog
        | FileFormat::Winlogbeat
        | FileFormat::ElasticSearch
        | FileFormat::NxLog
        | FileFormat::SentinelJson
        | FileFormat::SentinelQueryApi
        | FileFormat::EvtxDumpJson
        | FileFormat::EntraGraphJson
        | FileFormat::EntraAuditJson
        | FileFormat::OtherJson => {
            json::read_events(file, &mut text, sink)?;
        }
        // Recognised and read above, from the raw bytes.
        FileFormat::Evtx => {}
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
    fn audit_values_left_out_are_said_once_per_file() {
        let header = "Date (UTC),Service,Activity,Result,AdditionalDetail1Key,\
                      AdditionalDetail1Value\n";
        let rows = [
            "2024-01-09T21:20:02Z,Core Directory,Update user,Success,Reason,a\n",
            "2024-01-09T21:20:03Z,Core Directory,Update user,Success,,b\n",
            "2024-01-09T21:20:04Z,Core Directory,Update user,Success,,c\n",
        ];
        let csv = format!("{header}{}", rows.concat());
        let mut items = Vec::new();
        let read = read_file(0, csv.as_bytes(), &mut |_| {}, &mut |i| items.push(i));
        assert!(read.is_ok());

        let audits = items
            .iter()
            .filter(|i| matches!(i, ReadItem::Audit { .. }))
            .count();
        assert_eq!(audits, 3);
        let notes: Vec<_> = items
            .iter()
            .filter_map(|i| match i {
                ReadItem::Note(d) => Some((d.severity, d.offset, d.message.as_str())),
                _ => None,
            })
            .collect();
        let at = (header.len() + rows[0].len()) as u64;
        let msg = format!(
            "audit records held 2 additional detail value(s) without a key; they were not \
             kept, since no rule can read a value without its name (first at byte {at})"
        );
        assert_eq!(notes, vec![(Severity::Warning, Some(at), msg.as_str())]);
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
