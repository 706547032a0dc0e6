//! Reading a row's events again from the user's file, by byte range, so
//! that the page can show a request's text without keeping it in memory.
//!
//! Reading keeps only where each event started ([`EventOrigin`]). To show a
//! request again, the page reads the file's first bytes (for its encoding,
//! its format and a CSV header) and a window of bytes at the event's offset
//! ([`first_range`]), and asks [`reread`] for the event: the window is
//! decoded and framed by the same readers that read the file, and the event
//! must start exactly at the offset (and carry the same record id), else the
//! file has changed and the answer says so. A window too short to hold the
//! whole event asks for a wider one ([`wider`]). An EVTX record is read
//! again from its whole chunk, which holds the templates it needs.
//! [`request_text`] puts the slices of a request back together as reading
//! did, and [`pretty_json`] lays the text out for reading.

use crate::assemble::{self, Assembly, Reassembler};
use crate::event::{EventOrigin, EventRecord};
use crate::ingest::decode::{SNIFF_LEN, TextDecoder, sniff_encoding};
use crate::ingest::{self, FileFormat, ReadItem, evtx_file};
use crate::request::StringScan;

/// Bytes of the file's start that re-reading needs.
pub const HEAD_BYTES: u64 = SNIFF_LEN as u64;

/// The window first read at an event's offset.
pub const FIRST_WINDOW: u64 = 16 * 1024;

/// The widest window tried before giving up (no event comes near it).
pub const MAX_WINDOW: u64 = 64 * 1024 * 1024;

/// A stretch of a file: bytes `start` to `end` (exclusive).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ByteRange {
    /// The first byte.
    pub start: u64,
    /// The byte after the last.
    pub end: u64,
}

impl ByteRange {
    /// Bytes in the range.
    pub fn length(&self) -> u64 {
        self.end.saturating_sub(self.start)
    }
}

/// The bytes to read first for the event at `origin`, in a file of
/// `file_size` bytes whose first bytes are `head`.
pub fn first_range(head: &[u8], origin: &EventOrigin, file_size: u64) -> ByteRange {
    if head.starts_with(evtx_file::FILE_MAGIC) {
        let start = evtx_file::chunk_start(origin.offset);
        let end = (start + evtx_file::CHUNK_BYTES as u64).min(file_size);
        return ByteRange { start, end };
    }
    ByteRange {
        start: origin.offset,
        end: origin.offset.saturating_add(FIRST_WINDOW).min(file_size),
    }
}

/// A wider window at the same start, when [`reread`] asked for more; `None`
/// when the window already reaches the file's end or [`MAX_WINDOW`].
pub fn wider(range: ByteRange, file_size: u64) -> Option<ByteRange> {
    if range.end >= file_size || range.length() >= MAX_WINDOW {
        return None;
    }
    Some(ByteRange {
        start: range.start,
        end: range
            .start
            .saturating_add(range.length().max(1).saturating_mul(4))
            .min(file_size),
    })
}

/// What reading an event again gave.
#[derive(Clone, Debug, PartialEq)]
pub enum Reread {
    /// The event, with the origin it was asked for.
    Found(EventRecord),
    /// The window ends before the event does: read a [`wider`] one.
    NeedMore,
    /// The event is not there (the file changed, or is not the one read);
    /// the reason in plain words.
    Failed(String),
}

/// Reads the event at `origin` again from `bytes`, the file's `range`
/// (as [`first_range`] or [`wider`] gave it), in a file of `file_size`
/// bytes whose first bytes are `head`.
pub fn reread(
    head: &[u8],
    origin: &EventOrigin,
    range: ByteRange,
    bytes: &[u8],
    file_size: u64,
) -> Reread {
    if head.starts_with(evtx_file::FILE_MAGIC) {
        return reread_evtx(origin, range, bytes);
    }
    let mut decoder = match TextDecoder::new(head) {
        Ok(d) => d,
        Err(e) => return Reread::Failed(format!("the file's start could not be read: {e}")),
    };
    let mut head_text = String::new();
    if let Err(e) = std::io::Read::read_to_string(&mut decoder, &mut head_text) {
        return Reread::Failed(format!("the file's start could not be decoded: {e}"));
    }
    let header = match ingest::sniff_format(&head_text) {
        Some(
            FileFormat::EventViewerCsv
            | FileFormat::EventViewerTxt
            | FileFormat::PowerShellExportCsv
            | FileFormat::SentinelCsv,
        ) => header_lines(&head_text),
        _ => "",
    };
    let encoding = sniff_encoding(head).encoding;
    let (frame, _) = encoding.decode_without_bom_handling(bytes);
    let text = format!("{header}{frame}");

    let mut items = Vec::new();
    let read = ingest::read_file(origin.file, text.as_bytes(), &mut |_| {}, &mut |item| {
        items.push(item)
    });
    match read {
        Ok(_) => {}
        // Nothing that starts like an export: not an event's start.
        Err(ingest::IngestError::Unrecognised(_)) => {
            return Reread::Failed(not_there(origin, None));
        }
        Err(e) => {
            return Reread::Failed(format!(
                "the bytes at {} could not be read: {e}",
                origin.offset
            ));
        }
    }
    let reached_end = range.end >= file_size;
    // Events and unreadable frames, in file order; notes do not frame.
    let frames: Vec<Option<&EventRecord>> = items
        .iter()
        .filter_map(|item| match item {
            ReadItem::Event { record, .. } => Some(Some(record)),
            // A cloud audit record is a frame, but not an event to show.
            ReadItem::Unreadable(_) | ReadItem::Audit { .. } => Some(None),
            ReadItem::Note(_) => None,
        })
        .collect();
    let start = header.len() as u64;
    let candidates: Vec<(usize, &EventRecord)> = frames
        .iter()
        .enumerate()
        .filter_map(|(i, frame)| {
            frame
                .filter(|r| r.origin.offset == start && same_record(r, origin))
                .map(|r| (i, r))
        })
        .collect();
    // One JSON document of many events (an Elasticsearch or Log Analytics
    // answer) gives them all its offset; only record ids tell them apart.
    if candidates.len() > 1 {
        return Reread::Failed(format!(
            "the JSON document at byte {} holds {} events without record ids, which cannot be \
             told apart",
            origin.offset,
            candidates.len()
        ));
    }
    match candidates.first().copied() {
        // Only a frame followed by another, or ended by the file's end, is
        // known to be whole (a CSV record cut short still parses).
        Some((i, record)) if i + 1 < frames.len() || reached_end => {
            let mut record = record.clone();
            record.origin = origin.clone();
            Reread::Found(record)
        }
        Some(_) => Reread::NeedMore,
        None if !reached_end && frames.iter().all(|f| f.is_none()) => Reread::NeedMore,
        None => Reread::Failed(not_there(origin, frames.first().copied().flatten())),
    }
}

/// Whether a re-read event is the one read before, by record id.
fn same_record(record: &EventRecord, origin: &EventOrigin) -> bool {
    origin.record_id.is_none() || record.origin.record_id == origin.record_id
}

/// Why an event is not where reading found it.
fn not_there(origin: &EventOrigin, first: Option<&EventRecord>) -> String {
    let wanted = match origin.record_id {
        Some(id) => format!("record {id}"),
        None => "the event".to_owned(),
    };
    match first.and_then(|r| r.origin.record_id) {
        Some(other) => format!(
            "{wanted} is no longer at byte {} (record {other} is there): has the file changed \
             since it was read?",
            origin.offset
        ),
        None => format!(
            "{wanted} is no longer at byte {}: has the file changed since it was read?",
            origin.offset
        ),
    }
}

/// The lines before a delimited export's first record: the header, and a
/// PowerShell `#TYPE` line before it.
fn header_lines(head: &str) -> &str {
    let mut end = 0;
    for line in head.split_inclusive('\n') {
        end += line.len();
        if !line.starts_with("#TYPE") {
            break;
        }
    }
    &head[..end]
}

/// Reads an EVTX record again from its chunk.
fn reread_evtx(origin: &EventOrigin, range: ByteRange, bytes: &[u8]) -> Reread {
    if bytes.len() < evtx_file::CHUNK_BYTES {
        return Reread::Failed(format!(
            "the chunk at byte {} is cut short ({} of {} bytes)",
            range.start,
            bytes.len(),
            evtx_file::CHUNK_BYTES
        ));
    }
    let mut found = None;
    evtx_file::read_one_chunk(origin.file, range.start, bytes.to_vec(), &mut |item| {
        if let ReadItem::Event { record, .. } = item
            && found.is_none()
            && record.origin == *origin
        {
            found = Some(record);
        }
    });
    match found {
        Some(record) => Reread::Found(record),
        None => Reread::Failed(not_there(origin, None)),
    }
}

/// Where one slice of a 4137 request stands: "slice 2 of 3".
pub fn slice_position(record: &EventRecord) -> Option<(u32, u32)> {
    let text = record.payload.text()?;
    assemble::find_slice_header(text).map(|(header, _)| (header.number, header.total))
}

/// The request text of re-read events (one 4121, or every 4137 slice of a
/// request), put together as reading did.
pub fn request_text(events: Vec<EventRecord>) -> Result<String, String> {
    let mut reassembler = Reassembler::new();
    for event in events {
        match reassembler.accept(event) {
            Assembly::Complete(request) => return Ok(request.text),
            Assembly::Unreadable(d) => return Err(d.message),
            Assembly::Waiting | Assembly::Duplicate | Assembly::NotRequestLog => {}
        }
    }
    Err("the request's events did not make a whole request".to_owned())
}

/// Levels of nesting that [`pretty_json`] indents; deeper ones are indented
/// as this one, so that each line costs at most 64 spaces.
pub const MAX_INDENT_LEVELS: usize = 32;

/// Bytes of line breaks and indentation that [`pretty_json`] adds at most;
/// the rest of the text follows as written, after [`LAYOUT_STOPPED`].
pub const MAX_LAYOUT_BYTES: usize = 4 * 1024 * 1024;

/// The line that says where [`pretty_json`] stopped laying out.
pub const LAYOUT_STOPPED: &str =
    "\n\u{2026} laid out no further (4 MiB of indentation); the rest as written:\n";

/// JSON text laid out with two-space indentation, keys in their order.
///
/// The text is re-indented token by token, not parsed, so damaged JSON (a
/// request read with repairs) is laid out as far as it goes and nothing in
/// it is lost or changed but white space outside strings. A request kept
/// with damage can hold anything, say a hundred thousand `[`: indentation
/// stops growing at [`MAX_INDENT_LEVELS`], and past [`MAX_LAYOUT_BYTES`] of
/// it the rest of the text follows unchanged after [`LAYOUT_STOPPED`], so
/// the result is never longer than the text by more than about 4 MiB.
pub fn pretty_json(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 4);
    let mut depth = 0usize;
    let mut strings = StringScan::default();
    let newline = |out: &mut String, depth: usize| {
        out.push('\n');
        out.extend(std::iter::repeat_n("  ", depth.min(MAX_INDENT_LEVELS)));
    };
    let text = text.trim();
    let mut chars = text.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        // What is in `out` beyond the text taken so far is layout.
        if out.len() - at > MAX_LAYOUT_BYTES {
            out.push_str(LAYOUT_STOPPED);
            out.push_str(&text[at..]);
            break;
        }
        if strings.take(c) {
            out.push(c);
            continue;
        }
        match c {
            '{' | '[' => {
                out.push(c);
                let close = if c == '{' { '}' } else { ']' };
                // An empty object or array stays on one line.
                while chars.peek().is_some_and(|(_, n)| n.is_whitespace()) {
                    chars.next();
                }
                if chars.peek().map(|(_, n)| *n) == Some(close) {
                    chars.next();
                    out.push(close);
                } else {
                    depth += 1;
                    newline(&mut out, depth);
                }
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(c);
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            c if c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_is_laid_out_in_its_own_key_order_and_strings_are_kept() {
        let text = r#"{"b":1,"a":[{"x":"a, {b}: \"c\""},[]],"e":{}}"#;
        assert_eq!(
            pretty_json(text),
            "{\n  \"b\": 1,\n  \"a\": [\n    {\n      \"x\": \"a, {b}: \\\"c\\\"\"\n    },\n    []\n  ],\n  \"e\": {}\n}"
        );
    }

    #[test]
    fn damaged_json_is_laid_out_as_far_as_it_goes() {
        assert_eq!(pretty_json(r#"{"a":"cut"#), "{\n  \"a\": \"cut");
    }

    #[test]
    fn indentation_stops_growing_at_32_levels() {
        let deep = pretty_json(&"[".repeat(40));
        let lines: Vec<&str> = deep.lines().collect();
        let bracket_at_64 = format!("{}[", " ".repeat(64));
        // Line n holds the n-th `[` at depth n - 1.
        assert_eq!(lines[31], format!("{}[", " ".repeat(62)));
        assert_eq!(lines[32..40], vec![bracket_at_64.as_str(); 8]);
    }

    #[test]
    fn a_hundred_thousand_brackets_stop_being_laid_out_past_4_mib() {
        // The first 32 `[` add 1,088 bytes of line breaks and indentation,
        // each further one 65: past 4 MiB (4,194,304) after 64,544 of them,
        // with 4,194,368 added. The other 35,456 follow as written.
        let pretty = pretty_json(&"[".repeat(100_000));
        assert_eq!(pretty.len(), 100_000 + 4_194_368 + LAYOUT_STOPPED.len());
        assert!(pretty.ends_with(&format!("{LAYOUT_STOPPED}{}", "[".repeat(35_456))));
    }

    #[test]
    fn a_window_grows_fourfold_up_to_the_file_end() {
        let range = ByteRange {
            start: 100,
            end: 100 + FIRST_WINDOW,
        };
        assert_eq!(
            wider(range, 1_000_000),
            Some(ByteRange {
                start: 100,
                end: 100 + 4 * FIRST_WINDOW
            })
        );
        assert_eq!(
            wider(range, 50_000),
            Some(ByteRange {
                start: 100,
                end: 50_000
            })
        );
        let to_end = ByteRange {
            start: 100,
            end: 50_000,
        };
        assert_eq!(wider(to_end, 50_000), None);
    }

    /// Reads `text` (one UTF-8 file) again at `origin`, the whole file in
    /// the window.
    fn reread_text(text: &str, origin: &EventOrigin) -> Reread {
        let bytes = text.as_bytes();
        let size = bytes.len() as u64;
        let range = ByteRange {
            start: origin.offset,
            end: size,
        };
        reread(bytes, origin, range, &bytes[origin.offset as usize..], size)
    }

    #[test]
    fn events_sharing_one_document_are_told_apart_by_record_id_or_not_at_all() {
        let answer = r#"{"tables":[{"name":"PrimaryResult","columns":[
            {"name":"EventID","type":"int"},{"name":"RenderedDescription","type":"string"}],
            "rows":[[4121,"first"],[4121,"second"]]}]}"#;
        let origin = EventOrigin {
            file: 0,
            offset: 0,
            record_id: None,
        };
        assert_eq!(
            reread_text(answer, &origin),
            Reread::Failed(
                "the JSON document at byte 0 holds 2 events without record ids, which cannot \
                 be told apart"
                    .to_owned()
            )
        );

        let hits = r#"{"hits":{"hits":[
            {"_source":{"winlog":{"event_id":4121,"record_id":11,"event_data":{"param1":"first"}}}},
            {"_source":{"winlog":{"event_id":4121,"record_id":12,"event_data":{"param1":"second"}}}}]}}"#;
        let origin = EventOrigin {
            record_id: Some(12),
            ..origin
        };
        match reread_text(hits, &origin) {
            Reread::Found(record) => assert_eq!(record.payload.text(), Some("second")),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_evtx_record_is_read_again_from_its_chunk() {
        let origin = EventOrigin {
            file: 0,
            offset: 4096 + 65536 * 2 + 512,
            record_id: Some(7),
        };
        let range = first_range(evtx_file::FILE_MAGIC, &origin, 10_000_000);
        assert_eq!(
            range,
            ByteRange {
                start: 4096 + 65536 * 2,
                end: 4096 + 65536 * 3
            }
        );
    }
}
