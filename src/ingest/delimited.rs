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
//!
//! Rows that do not fit their header are still read, and said once per
//! file: cells past the last column cannot be named and are not read; of
//! columns that share a name, each row's first non-empty cell is read.

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
    // The same holds for its line numbers past the first.
    let line_of = |p: &csv::Position| p.line() + u64::from(crlf && p.byte() > 0);
    let mut rows = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(&mut *text);

    let mut row = csv::ByteRecord::new();
    let mut header: Option<Columns> = None;
    let mut misfits = Misfits::default();
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
        let place = Place {
            line: row.position().map(&line_of).unwrap_or_default(),
            offset: origin.offset,
        };
        let fields: Vec<String> = row
            .iter()
            .map(|f| String::from_utf8_lossy(f).into_owned())
            .collect();

        let item = match layout {
            Layout::EventViewer => {
                // The header row names the columns; its event id is no number.
                if header.is_none() {
                    header = Some(Columns::new(fields, place));
                    continue;
                }
                misfits.check_width(&fields, EVENT_VIEWER_CELLS, place);
                event_viewer_row(origin, &fields)
            }
            Layout::Headed => {
                let Some(columns) = &header else {
                    // `Export-Csv` may open with a `#TYPE` line before the
                    // header.
                    if !fields.first().is_some_and(|f| f.starts_with("#TYPE")) {
                        header = Some(Columns::new(fields, place));
                    }
                    continue;
                };
                misfits.check_width(&fields, columns.names.len(), place);
                let cells = columns.cells(fields, &mut misfits, place);
                if format == FileFormat::EntraAuditCsv {
                    audit_row(origin, &cells)
                } else {
                    headed_row(origin, cells)
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

    let named = match (layout, &header) {
        (Layout::Headed, Some(columns)) => Some(columns),
        _ => None,
    };
    for note in misfits.notes(file, layout, named) {
        sink(ReadItem::Note(note));
    }
    Ok(())
}

/// The cells of an Event Viewer row: five headed, and the message.
const EVENT_VIEWER_CELLS: usize = 6;

/// Where a row is: its first line (counted from 1) and its byte offset in
/// the file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Place {
    line: u64,
    offset: u64,
}

/// The columns a header names, for reading rows by name.
struct Columns {
    names: Vec<String>,
    /// For each column, the first column of its name, in any case (names
    /// are looked up in any case): itself, unless the header repeats it.
    first_of_name: Vec<usize>,
    /// Where the header is.
    place: Place,
}

impl Columns {
    fn new(names: Vec<String>, place: Place) -> Self {
        let first_of_name = (0..names.len())
            .map(|i| {
                (0..i)
                    .find(|&j| names[j].eq_ignore_ascii_case(&names[i]))
                    .unwrap_or(i)
            })
            .collect();
        Columns {
            names,
            first_of_name,
            place,
        }
    }

    /// The names the header gives to more than one column, each with its
    /// columns (counted from 1). Unnamed columns are left out: no cell of
    /// theirs could be read by name anyway.
    fn repeated(&self) -> Vec<(&str, Vec<usize>)> {
        let mut repeated: Vec<(&str, Vec<usize>)> = Vec::new();
        for (i, &first) in self.first_of_name.iter().enumerate() {
            if first == i || self.names[first].trim().is_empty() {
                continue;
            }
            match repeated
                .iter_mut()
                .find(|(name, _)| *name == self.names[first])
            {
                Some((_, columns)) => columns.push(i + 1),
                None => repeated.push((&self.names[first], vec![first + 1, i + 1])),
            }
        }
        repeated
    }

    /// The cells of a row at `place` by column name. Of columns that share
    /// a name, the first non-empty cell is read; a row where another holds
    /// a different value is counted in `misfits`. Cells past the last
    /// column have no name and are left out.
    fn cells(
        &self,
        fields: Vec<String>,
        misfits: &mut Misfits,
        place: Place,
    ) -> Map<String, Value> {
        let mut cells = Map::new();
        let mut clash = false;
        for (i, cell) in fields.into_iter().enumerate().take(self.names.len()) {
            let name = &self.names[self.first_of_name[i]];
            match cells.get_mut(name) {
                Some(Value::String(kept)) if kept.trim().is_empty() => *kept = cell,
                Some(Value::String(kept)) => clash |= !cell.trim().is_empty() && *kept != cell,
                _ => {
                    cells.insert(name.clone(), Value::String(cell));
                }
            }
        }
        if clash {
            misfits.clashing.count(place);
        }
        cells
    }
}

/// Rows that do not fit their header, counted for one note of each kind
/// per file.
#[derive(Default)]
struct Misfits {
    /// Rows with more cells than the header has columns.
    long: Tally,
    /// Rows where columns of one name held different values.
    clashing: Tally,
}

/// How many rows, and where the first is.
#[derive(Default)]
struct Tally {
    rows: u64,
    first: Option<Place>,
}

impl Tally {
    fn count(&mut self, place: Place) {
        self.rows += 1;
        self.first.get_or_insert(place);
    }
}

impl Misfits {
    /// Counts the row at `place` when it has more than `width` cells.
    fn check_width(&mut self, fields: &[String], width: usize, place: Place) {
        if fields.len() > width {
            self.long.count(place);
        }
    }

    /// The notes for the file: rows too long, and the names a headed
    /// export's `header` repeats (with whether rows held different values
    /// under them).
    fn notes(&self, file: FileIndex, layout: Layout, header: Option<&Columns>) -> Vec<Diagnostic> {
        let mut notes = Vec::new();
        if let Some(first) = self.long.first {
            let width = match (layout, header) {
                (Layout::Headed, Some(columns)) => {
                    format!("than the header names ({})", columns.names.len())
                }
                _ => format!("than the {EVENT_VIEWER_CELLS} of Event Viewer"),
            };
            let msg = format!(
                "{} row(s) have more cells {width}; the cells past the last column were not \
                 read (first at line {})",
                self.long.rows, first.line
            );
            notes.push(Diagnostic::in_file(
                Severity::Warning,
                file,
                Some(first.offset),
                msg,
            ));
        }
        let Some(columns) = header else {
            return notes;
        };
        let names = columns.repeated();
        if names.is_empty() {
            return notes;
        }
        let listed: Vec<String> = names
            .iter()
            .map(|(name, at)| format!("`{name}` (columns {})", and_list(at)))
            .collect();
        let mut msg = format!(
            "the header names {} more than once; each row's first non-empty cell of such \
             columns is read",
            and_list(&listed)
        );
        let (severity, offset) = match self.clashing.first {
            Some(first) => {
                msg.push_str(&format!(
                    "; {} row(s) held another value in a later one, which was not read \
                     (first at line {})",
                    self.clashing.rows, first.line
                ));
                (Severity::Warning, first.offset)
            }
            None => {
                msg.push_str("; no row held two different values in them");
                (Severity::Info, columns.place.offset)
            }
        };
        notes.push(Diagnostic::in_file(severity, file, Some(offset), msg));
        notes
    }
}

/// `a`, `a and b`, `a, b and c`.
fn and_list<T: std::fmt::Display>(items: &[T]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => {
            let init: Vec<String> = init.iter().map(ToString::to_string).collect();
            format!("{} and {last}", init.join(", "))
        }
    }
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

/// One row of a headed export, mapped by its column names.
fn headed_row(origin: EventOrigin, cells: Map<String, Value>) -> ReadItem {
    value_to_item(origin, &Value::Object(cells))
}

/// One row of the Entra admin center's audit CSV.
fn audit_row(origin: EventOrigin, cells: &Map<String, Value>) -> ReadItem {
    let record = crate::cloud::record_from_csv(cells);
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

    fn notes(items: &[ReadItem]) -> Vec<(Severity, Option<u64>, &str)> {
        items
            .iter()
            .filter_map(|i| match i {
                ReadItem::Note(d) => Some((d.severity, d.offset, d.message.as_str())),
                _ => None,
            })
            .collect()
    }

    const EXPORT_HEAD: &str = "#TYPE System.Diagnostics.Eventing.Reader.EventLogRecord\r\n";

    #[test]
    fn cells_past_the_header_are_said_once_and_the_row_is_still_read() {
        let header = "\"Message\",\"Id\",\"RecordId\"\r\n";
        let rows = [
            "\"a\",\"4121\",\"1\"\r\n",
            "\"b\",\"4121\",\"2\",\"x\"\r\n",
            "\"c,d\",\"4121\",\"3\",,\"y\"\r\n",
        ];
        let csv = format!("{EXPORT_HEAD}{header}{}", rows.concat());
        let items = read(FileFormat::PowerShellExportCsv, &csv);

        let ids: Vec<_> = events(&items).iter().map(|e| e.origin.record_id).collect();
        assert_eq!(ids, vec![Some(1), Some(2), Some(3)]);
        let at = (EXPORT_HEAD.len() + header.len() + rows[0].len()) as u64;
        let msg = "2 row(s) have more cells than the header names (3); the cells past the \
                   last column were not read (first at line 4)";
        assert_eq!(notes(&items), vec![(Severity::Warning, Some(at), msg)]);
    }

    #[test]
    fn event_viewer_cells_past_the_message_are_said_once() {
        let csv = format!(
            "{EV_HEADER}Information,1/31/2024 8:21:27 PM,S,1,None,\"a\"\n\
             Information,1/31/2024 8:21:28 PM,S,1,None,\"b\"\n\
             Information,1/31/2024 8:21:29 PM,S,1,None,\"c\",\"d\"\n"
        )
        .replace("\r\n", "\n");
        let items = read(FileFormat::EventViewerCsv, &csv);

        assert_eq!(events(&items).len(), 3);
        let at = csv
            .find("Information,1/31/2024 8:21:29")
            .map(|at| at as u64);
        let msg = "1 row(s) have more cells than the 6 of Event Viewer; the cells past the \
                   last column were not read (first at line 4)";
        assert_eq!(notes(&items)[1], (Severity::Warning, at, msg));
    }

    #[test]
    fn of_columns_sharing_a_name_the_first_non_empty_cell_is_read_and_a_clash_said() {
        let header = "\"Message\",\"Id\",\"RecordId\",\"ID\"\r\n";
        let rows = [
            "\"a\",\"4121\",\"1\",\"\"\r\n",
            "\"b\",\"\",\"2\",\"4137\"\r\n",
            "\"c\",\"4121\",\"3\",\"4137\"\r\n",
            "\"d\",\"4121\",\"4\",\"4121\"\r\n",
        ];
        let csv = format!("{EXPORT_HEAD}{header}{}", rows.concat());
        let items = read(FileFormat::PowerShellExportCsv, &csv);

        let ids: Vec<_> = events(&items).iter().map(|e| e.event_id).collect();
        assert_eq!(ids, vec![Some(4121), Some(4137), Some(4121), Some(4121)]);
        let at = (EXPORT_HEAD.len() + header.len() + rows[0].len() + rows[1].len()) as u64;
        let msg = "the header names `Id` (columns 2 and 4) more than once; each row's first \
                   non-empty cell of such columns is read; 1 row(s) held another value in a \
                   later one, which was not read (first at line 5)";
        assert_eq!(notes(&items), vec![(Severity::Warning, Some(at), msg)]);
    }

    #[test]
    fn a_repeated_column_name_without_a_clash_is_said_as_information() {
        let header = "\"Message\",\"Id\",\"Message\",\"Id\",\"Message\",\"RecordId\"\n";
        let csv = format!("{header}\"a\",\"4121\",\"\",\"\",\"a\",\"1\"\n");
        let items = read(FileFormat::PowerShellExportCsv, &csv);

        assert_eq!(events(&items)[0].payload, Payload::Message("a".into()));
        let msg = "the header names `Message` (columns 1, 3 and 5) and `Id` (columns 2 and 4) \
                   more than once; each row's first non-empty cell of such columns is read; \
                   no row held two different values in them";
        assert_eq!(notes(&items), vec![(Severity::Info, Some(0), msg)]);
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
