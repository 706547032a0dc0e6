//! Reader for the delimited-text exports: Event Viewer's "Save Events As >
//! CSV" and tab-separated TXT, PowerShell `Export-Csv`, and the Sentinel /
//! Log Analytics `Event` table as CSV.
//!
//! The `csv` crate streams records from the decoded text, quoted fields
//! spanning lines and `""` included, and tells each record's byte position.
//! Event Viewer's rows are read by position, because its header names five
//! columns while every row has a sixth, unheaded one with the message. The
//! other exports are read by column name, through the JSON mapping; the
//! Entra ID audit CSV by column name too, into a cloud audit record.

use std::io::{self, Read};

use serde_json::{Map, Value};

use crate::event::{EventOrigin, EventRecord, EventTime, FileIndex, Payload};
use crate::ingest::decode::TextDecoder;
use crate::ingest::json::value_to_item;
use crate::ingest::{FileFormat, ReadItem, event_time};
use crate::ledger::{Diagnostic, Severity};

/// How the rows of a delimited export are laid out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Layout {
    /// Event Viewer: level, date, source, event id, task category, message.
    EventViewer,
    /// A header row names the columns (`Export-Csv`, Sentinel).
    Headed,
}

/// Reads every row of a delimited export in `format` from `text` and hands
/// each, mapped to an event, or the problem met, to `sink`.
///
/// Fails only when reading the text fails; the rows read before are
/// already in `sink` then.
pub fn read_events<R: Read>(
    file: FileIndex,
    format: FileFormat,
    text: &mut TextDecoder<R>,
    sink: &mut dyn FnMut(ReadItem),
) -> io::Result<()> {
    let (layout, delimiter) = match format {
        FileFormat::EventViewerCsv => (Layout::EventViewer, b','),
        FileFormat::EventViewerTxt => (Layout::EventViewer, b'\t'),
        _ => (Layout::Headed, b','),
    };
    // With `\r\n` line ends, the csv crate places a record's start on the
    // line feed before it; one byte is added back to name the record's own
    // first byte.
    let crlf = {
        let head = text.peek(64 * 1024)?;
        memchr::memchr(b'\n', head).is_some_and(|i| i > 0 && head[i - 1] == b'\r')
    };
    let start_of = |at: u64| if crlf && at > 0 { at + 1 } else { at };
    let mut rows = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(&mut *text);

    let mut row = csv::ByteRecord::new();
    let mut header: Option<Vec<String>> = None;
    let mut zone_noted = false;
    loop {
        match rows.read_byte_record(&mut row) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let at = start_of(e.position().map(|p| p.byte()).unwrap_or_default());
                let offset = rows.get_ref().source_offset(at);
                match e.into_kind() {
                    csv::ErrorKind::Io(io) => return Err(io),
                    other => {
                        let origin = EventOrigin {
                            file,
                            offset,
                            record_id: None,
                        };
                        let msg = format!("a row could not be read ({other:?}); skipped");
                        sink(ReadItem::Unreadable(Diagnostic::at(
                            Severity::Error,
                            &origin,
                            msg,
                        )));
                        continue;
                    }
                }
            }
        }
        let at = start_of(row.position().map(|p| p.byte()).unwrap_or_default());
        let origin = EventOrigin {
            file,
            offset: rows.get_ref().source_offset(at),
            record_id: None,
        };
        let fields: Vec<String> = row
            .iter()
            .map(|f| String::from_utf8_lossy(f).into_owned())
            .collect();

        let item = match layout {
            Layout::EventViewer => {
                // The header row names the columns; its event id is no number.
                if header.is_none() {
                    header = Some(fields);
                    continue;
                }
                event_viewer_row(origin, &fields)
            }
            Layout::Headed => {
                let Some(names) = &header else {
                    // `Export-Csv` may open with a `#TYPE` line before the
                    // header.
                    if !fields.first().is_some_and(|f| f.starts_with("#TYPE")) {
                        header = Some(fields);
                    }
                    continue;
                };
                if format == FileFormat::EntraAuditCsv {
                    audit_row(origin, names, fields)
                } else {
                    headed_row(origin, names, fields)
                }
            }
        };

        if let ReadItem::Event { record, .. } = &item
            && !zone_noted
            && matches!(record.time, Some(EventTime::ZoneUnknown(_)))
        {
            zone_noted = true;
            let msg = "the times in this file are local times without a zone; \
                       the requests' own UTC times are used instead";
            sink(ReadItem::Note(Diagnostic::in_file(
                Severity::Info,
                file,
                Some(record.origin.offset),
                msg,
            )));
        }
        sink(item);
    }
    Ok(())
}

/// One Event Viewer row: level, date and time, source, event id, task
/// category, then the unheaded message. It has no record id, computer or
/// channel, and its time is the exporting user's local time.
fn event_viewer_row(origin: EventOrigin, fields: &[String]) -> ReadItem {
    let Some(id_text) = fields.get(3) else {
        let msg = format!(
            "a row with {} field(s), not the six of Event Viewer, was skipped",
            fields.len()
        );
        return ReadItem::Unreadable(Diagnostic::at(Severity::Error, &origin, msg));
    };
    let event_id = id_text.trim().parse().ok();
    // Event Viewer writes no zone, so a time is never taken as UTC.
    let time = fields
        .get(1)
        .and_then(|t| event_time(t))
        .map(|t| EventTime::ZoneUnknown(t.instant()));
    let provider = fields
        .get(2)
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty());
    let payload = match fields.get(5) {
        Some(m) if !m.is_empty() => Payload::Message(m.clone()),
        _ => Payload::Missing,
    };
    ReadItem::Event {
        record: EventRecord {
            origin,
            event_id,
            provider,
            channel: None,
            computer: None,
            time,
            payload,
        },
        repairs: Vec::new(),
    }
}

/// The cells of a headed row by column name.
fn named_cells(names: &[String], fields: Vec<String>) -> Map<String, Value> {
    names
        .iter()
        .zip(fields)
        .map(|(n, v)| (n.clone(), Value::String(v)))
        .collect()
}

/// One row of a headed export, mapped by its column names.
fn headed_row(origin: EventOrigin, names: &[String], fields: Vec<String>) -> ReadItem {
    value_to_item(origin, &Value::Object(named_cells(names, fields)))
}

/// One row of the Entra admin center's audit CSV.
fn audit_row(origin: EventOrigin, names: &[String], fields: Vec<String>) -> ReadItem {
    let record = crate::cloud::record_from_csv(&named_cells(names, fields));
    crate::cloud::audit_item(origin, record)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(format: FileFormat, text: &str) -> Vec<ReadItem> {
        let mut items = Vec::new();
        let mut dec = match TextDecoder::new(text.as_bytes()) {
            Ok(d) => d,
            Err(e) => panic!("{e}"),
        };
        assert!(read_events(0, format, &mut dec, &mut |i| items.push(i)).is_ok());
        items
    }

    fn events(items: &[ReadItem]) -> Vec<&EventRecord> {
        items
            .iter()
            .filter_map(|i| match i {
                ReadItem::Event { record, .. } => Some(record),
                _ => None,
            })
            .collect()
    }

    const EV_HEADER: &str = "Level,Date and Time,Source,Event ID,Task Category\r\n";

    #[test]
    fn event_viewer_message_spans_lines_and_keeps_doubled_quotes() {
        let csv = format!(
            "{EV_HEADER}Information,1/31/2024 8:21:27 PM,Microsoft.IdentityManagement.Service,\
             4121,None,\"{{\"\"a\"\":\r\n\"\"b, c\"\"}}\"\r\n\
             Information,1/31/2024 8:21:28 PM,Contoso.BackupAgent,4121,None,\"done\"\r\n"
        );
        let items = read(FileFormat::EventViewerCsv, &csv);
        let evs = events(&items);
        assert_eq!(evs.len(), 2);
        assert_eq!(
            evs[0].payload,
            Payload::Message("{\"a\":\r\n\"b, c\"}".into())
        );
        assert_eq!(evs[0].event_id, Some(4121));
        assert_eq!(evs[0].origin.offset, EV_HEADER.len() as u64);
        assert_eq!(evs[1].provider.as_deref(), Some("Contoso.BackupAgent"));
    }

    #[test]
    fn event_viewer_times_are_zone_unknown_and_said_once() {
        let csv = format!(
            "{EV_HEADER}Information,1/31/2024 8:21:27 PM,S,1,None,\"a\"\r\n\
             Information,1/31/2024 8:21:28 PM,S,1,None,\"b\"\r\n"
        );
        let items = read(FileFormat::EventViewerCsv, &csv);
        let notes = items
            .iter()
            .filter(|i| matches!(i, ReadItem::Note(d) if d.severity == Severity::Info))
            .count();
        assert_eq!(notes, 1);
        assert!(matches!(
            events(&items)[0].time,
            Some(EventTime::ZoneUnknown(_))
        ));
    }

    #[test]
    fn tab_separated_txt_is_read_like_the_csv() {
        let txt = "Level\tDate and Time\tSource\tEvent ID\tTask Category\r\n\
                   Information\t1/31/2024 8:21:27 PM\tS\t4137\tNone\t\"x\ty\"\r\n";
        let items = read(FileFormat::EventViewerTxt, txt);
        assert_eq!(events(&items)[0].payload, Payload::Message("x\ty".into()));
        assert_eq!(events(&items)[0].event_id, Some(4137));
    }

    #[test]
    fn export_csv_skips_the_type_line_and_maps_by_column_name() {
        let csv = "#TYPE System.Diagnostics.Eventing.Reader.EventLogRecord\r\n\
                   \"Message\",\"Id\",\"RecordId\",\"ProviderName\",\"LogName\",\"MachineName\",\
                   \"TimeCreated\",\"Properties\"\r\n\
                   \"{\"\"a\"\":1}\",\"4121\",\"42\",\"Microsoft.IdentityManagement.Service\",\
                   \"Identity Manager Request Log\",\"mim01\",\"1/31/2024 8:21:27 PM\",\
                   \"System.Collections.Generic.List`1[System.Diagnostics.Eventing.Reader.EventProperty]\"\r\n";
        let items = read(FileFormat::PowerShellExportCsv, csv);
        let evs = events(&items);
        assert_eq!(evs.len(), 1);
        assert_eq!(evs[0].payload, Payload::Message("{\"a\":1}".into()));
        assert_eq!(evs[0].origin.record_id, Some(42));
        assert_eq!(evs[0].computer.as_deref(), Some("mim01"));
        assert!(evs[0].is_request_log());
    }

    #[test]
    fn sentinel_csv_takes_the_data_from_the_event_data_xml_and_its_time_as_utc() {
        let csv = "TimeGenerated [UTC],Source,EventLog,Computer,EventID,EventData,RenderedDescription\r\n\
                   \"1/31/2024, 7:21:27.375 PM\",Microsoft.IdentityManagement.Service,\
                   Identity Manager Request Log,mim01,4121,\
                   \"<DataItem><EventData xmlns=\"\"x\"\"><Data>{&quot;a&quot;:1} </Data></EventData></DataItem>\",\
                   rendered\r\n";
        let items = read(FileFormat::SentinelCsv, csv);
        let e = events(&items)[0];
        assert_eq!(e.payload, Payload::Data("{\"a\":1} ".into()));
        let t = e.time.map(|t| match t {
            EventTime::Utc(t) => t.to_rfc3339(),
            EventTime::ZoneUnknown(_) => "zone unknown".into(),
        });
        assert_eq!(t.as_deref(), Some("2024-01-31T19:21:27.375+00:00"));
    }

    #[test]
    fn a_truncated_csv_keeps_the_rows_before_the_cut() {
        let csv = format!(
            "{EV_HEADER}Information,1/31/2024 8:21:27 PM,S,4121,None,\"{{}}\"\r\n\
             Information,1/31/2024 8:21:28 PM,S,4121,None,\"{{\"\"cut"
        );
        let items = read(FileFormat::EventViewerCsv, &csv);
        let evs = events(&items);
        assert_eq!(evs.len(), 2);
        assert_eq!(evs[0].payload, Payload::Message("{}".into()));
    }
}
