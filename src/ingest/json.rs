//! Reader for the JSON exports: PowerShell `Get-WinEvent | ConvertTo-Json`
//! (Windows PowerShell 5.1 and PowerShell 7), `Get-EventLog | ConvertTo-Json`,
//! and line-per-event shippers (Winlogbeat, NXLog, evtx_dump JSONL).
//!
//! A streaming framer cuts the text into top-level elements (the items of a
//! top-level array, or each top-level value of a concatenated or
//! line-delimited file) without holding the file; each element is parsed on
//! its own, so one damaged element costs one diagnostic.

mod get_win_event;

use std::io::{BufRead, Read};

use serde_json::Value;

use crate::event::{EventOrigin, EventRecord, EventTime, FileIndex, Payload};
use crate::ingest::decode::TextDecoder;
use crate::ingest::{ReadItem, event_time};
use crate::ledger::{Diagnostic, Severity};

/// An element larger than this is reported and skipped rather than buffered.
pub const MAX_ELEMENT_BYTES: usize = 256 * 1024 * 1024;

const READ_CHUNK: usize = 1024 * 1024;

/// How the framer reads one text.
#[derive(Clone, Copy)]
struct Framing {
    /// Decoded bytes read at a time.
    read_chunk: usize,
    /// An element larger than this is reported and skipped, not buffered.
    max_element: usize,
    /// Whether the text is the `value` array of a Microsoft Graph page read
    /// record by record: a record that does not parse is then unreadable,
    /// never read as a page in its turn. Records are no pages, and a crafted
    /// file can nest thousands of cut-off pages, each level costing a
    /// buffer and a stack frame.
    in_page: bool,
}

/// How a file is framed.
const FILE: Framing = Framing {
    read_chunk: READ_CHUNK,
    max_element: MAX_ELEMENT_BYTES,
    in_page: false,
};

/// Where the framer is in the JSON grammar, between reads.
#[derive(Default)]
struct FrameState {
    /// Nesting depth of the current position (`[` and `{` open a level).
    depth: u32,
    /// Depth at which elements sit: 1 inside a top-level array, else 0.
    element_depth: Option<u32>,
    in_string: bool,
    escaped: bool,
    /// Start (in the buffer) of the element being read.
    element_start: Option<usize>,
    /// Text outside any element (a syslog prefix, say) seen so far.
    stray_bytes: u64,
    stray_first_at: Option<u64>,
}

/// Reads every top-level element of `text` and hands each, mapped to an
/// event, or the problem met, to `sink`.
pub fn read_events<R: Read>(
    file: FileIndex,
    text: &mut TextDecoder<R>,
    sink: &mut dyn FnMut(ReadItem),
) -> std::io::Result<()> {
    frame_events(file, text, FILE, sink)
}

/// [`read_events`], framed as `framing` says.
fn frame_events<R: Read>(
    file: FileIndex,
    text: &mut TextDecoder<R>,
    framing: Framing,
    sink: &mut dyn FnMut(ReadItem),
) -> std::io::Result<()> {
    let mut buf: Vec<u8> = Vec::with_capacity(2 * framing.read_chunk);
    let mut base: u64 = 0;
    let mut scan = 0usize;
    let mut st = FrameState::default();
    let mut eof = false;

    loop {
        // Scan what is buffered for complete elements.
        while scan < buf.len() {
            if st.in_string {
                if st.escaped {
                    st.escaped = false;
                    scan += 1;
                    continue;
                }
                // Jump over the string's plain text to its next quote or
                // backslash; without one, the rest of the buffer is text.
                let Some(i) = memchr::memchr2(b'"', b'\\', &buf[scan..]) else {
                    scan = buf.len();
                    continue;
                };
                scan += i;
                if buf[scan] == b'\\' {
                    st.escaped = true;
                } else {
                    st.in_string = false;
                    if st.depth == st.element_depth.unwrap_or(0) {
                        // A bare string as an element: not an event.
                        end_element(file, text, &buf[..=scan], base, framing, &mut st, sink);
                    }
                }
                scan += 1;
                continue;
            }
            let b = buf[scan];
            match b {
                b'"' => {
                    start_element_if_top(&mut st, scan);
                    st.in_string = true;
                }
                b'{' | b'[' => {
                    if st.element_depth.is_none() {
                        // The first value decides: an array holds the events,
                        // anything else is one event per top-level value.
                        st.element_depth = Some(if b == b'[' { 1 } else { 0 });
                        if b == b'[' {
                            st.depth += 1;
                            scan += 1;
                            continue;
                        }
                    }
                    start_element_if_top(&mut st, scan);
                    st.depth += 1;
                }
                b'}' | b']' => {
                    if st.depth == 0 {
                        note_stray(&mut st, base + scan as u64);
                    } else {
                        st.depth -= 1;
                        let element_depth = st.element_depth.unwrap_or(0);
                        if st.depth == element_depth && st.element_start.is_some() {
                            end_element(file, text, &buf[..=scan], base, framing, &mut st, sink);
                        } else if st.depth + 1 == element_depth {
                            // The top-level array closed; what follows may be
                            // another array (files concatenated).
                            st.element_depth = None;
                        }
                    }
                }
                b',' | b' ' | b'\t' | b'\r' | b'\n' => {}
                _ => {
                    let top = st.element_depth.unwrap_or(0);
                    if st.depth < top || (st.depth == top && st.element_start.is_none()) {
                        note_stray(&mut st, base + scan as u64);
                    }
                }
            }
            scan += 1;
        }

        if eof {
            break;
        }

        // Keep only the element being read; everything before it is done.
        let keep_from = st.element_start.unwrap_or(scan);
        if let Some(s) = st.element_start.as_mut() {
            *s -= keep_from;
        }
        buf.drain(..keep_from);
        base += keep_from as u64;
        scan -= keep_from;

        if buf.len() > framing.max_element {
            let origin = EventOrigin {
                file,
                offset: text.source_offset(base),
                record_id: None,
            };
            let reason = "a JSON element is larger than 256 MiB; it was skipped";
            sink(ReadItem::Unreadable(Diagnostic::at(
                Severity::Error,
                &origin,
                reason,
            )));
            // The stray text counted so far stays counted.
            st = FrameState {
                element_depth: st.element_depth,
                stray_bytes: st.stray_bytes,
                stray_first_at: st.stray_first_at,
                ..FrameState::default()
            };
            base += buf.len() as u64;
            buf.clear();
            scan = 0;
            // Resynchronising inside a skipped element is not attempted: the
            // rest of the file is read as stray text until a value starts.
        }

        eof = fill(text, &mut buf, framing.read_chunk)?;
    }

    if let Some(start) = st.element_start {
        let element_at = base + start as u64;
        let origin = EventOrigin {
            file,
            offset: text.source_offset(element_at),
            record_id: None,
        };
        let reason =
            "the last JSON element is cut off: the file ends inside it (truncated export?)";
        let to_file = |at: u64| text.source_offset(element_at + at);
        if framing.in_page || !read_page_records(&origin, &buf[start..], reason, &to_file, sink) {
            sink(ReadItem::Unreadable(Diagnostic::at(
                Severity::Error,
                &origin,
                reason,
            )));
        }
    }
    if let Some(at) = st.stray_first_at {
        let what = format!("{} bytes outside any JSON value", st.stray_bytes);
        note_ignored(sink, file, text.source_offset(at), &what);
    }
    Ok(())
}

/// Reads a file of one JSON object a line, where each line may carry a
/// prefix before its object (a syslog header added by the shipper, as
/// NXLog's relays do): the object starts at the line's first `{`.
pub fn read_prefixed_lines<R: Read>(
    file: FileIndex,
    text: &mut TextDecoder<R>,
    sink: &mut dyn FnMut(ReadItem),
) -> std::io::Result<()> {
    let mut lines = std::io::BufReader::with_capacity(READ_CHUNK, &mut *text);
    let mut line = Vec::new();
    let mut at: u64 = 0;
    let mut stray: Option<(u64, u64)> = None;
    loop {
        line.clear();
        let n = lines.read_until(b'\n', &mut line)?;
        if n == 0 {
            break;
        }
        let start = at;
        at += n as u64;
        let Some(brace) = line.iter().position(|b| *b == b'{') else {
            if !line.iter().all(u8::is_ascii_whitespace) {
                let (count, _) = stray.get_or_insert((0, start));
                *count += 1;
            }
            continue;
        };
        let origin = EventOrigin {
            file,
            offset: lines.get_ref().source_offset(start + brace as u64),
            record_id: None,
        };
        match serde_json::from_slice::<Value>(&line[brace..]) {
            Ok(value) => value_to_items(origin, value, sink),
            Err(e) => {
                let msg = format!("a JSON line could not be read ({e}; cut off?); skipped");
                sink(ReadItem::Unreadable(Diagnostic::at(
                    Severity::Error,
                    &origin,
                    msg,
                )));
            }
        }
    }
    if let Some((count, first)) = stray {
        let what = format!("{count} line(s) without a JSON object");
        note_ignored(sink, file, lines.get_ref().source_offset(first), &what);
    }
    Ok(())
}

/// Tells the user that text which is not an event was skipped: `what`, and
/// where the first of it was.
fn note_ignored(sink: &mut dyn FnMut(ReadItem), file: FileIndex, offset: u64, what: &str) {
    let msg = format!("{what} were ignored (first at byte {offset})");
    sink(ReadItem::Note(Diagnostic::in_file(
        Severity::Info,
        file,
        Some(offset),
        msg,
    )));
}

fn start_element_if_top(st: &mut FrameState, at: usize) {
    if st.depth == st.element_depth.unwrap_or(0) && st.element_start.is_none() {
        st.element_start = Some(at);
    }
}

fn note_stray(st: &mut FrameState, at: u64) {
    st.stray_bytes += 1;
    st.stray_first_at.get_or_insert(at);
}

/// Parses the element that ends where `buf` does and hands it on.
fn end_element<R: Read>(
    file: FileIndex,
    text: &TextDecoder<R>,
    buf: &[u8],
    base: u64,
    framing: Framing,
    st: &mut FrameState,
    sink: &mut dyn FnMut(ReadItem),
) {
    let Some(start) = st.element_start.take() else {
        return;
    };
    let element_at = base + start as u64;
    let offset = text.source_offset(element_at);
    let origin = EventOrigin {
        file,
        offset,
        record_id: None,
    };
    let bytes = &buf[start..];
    if let Some(record) = get_win_event::read_plain(origin.clone(), bytes) {
        sink(ReadItem::Event {
            record,
            repairs: Vec::new(),
        });
        return;
    }
    let to_file = |at: u64| text.source_offset(element_at + at);
    match serde_json::from_slice::<Value>(bytes) {
        Ok(value) => value_to_items(origin, value, sink),
        Err(e)
            if !framing.in_page
                && read_page_records(&origin, bytes, &e.to_string(), &to_file, sink) => {}
        Err(e) => {
            let msg = format!("a JSON element could not be read ({e}); skipped");
            sink(ReadItem::Unreadable(Diagnostic::at(
                Severity::Error,
                &origin,
                msg,
            )));
        }
    }
}

/// Reads a Microsoft Graph page that does not parse whole (a damaged record,
/// or the file cut short inside it) record by record: its `value` array is
/// framed like a top-level array, so that only the damaged record is lost.
/// `page` is the page's text from its `{`, found at `origin`; `to_file`
/// maps a position in `page` to an offset in the file (in UTF-16, say, the
/// two differ by more than a shift); `why` says what went wrong. Returns
/// false, having handed nothing on, when `page` is no Graph page.
fn read_page_records(
    origin: &EventOrigin,
    page: &[u8],
    why: &str,
    to_file: &dyn Fn(u64) -> u64,
    sink: &mut dyn FnMut(ReadItem),
) -> bool {
    let head = &page[..page.len().min(4096)];
    if memchr::memmem::find(head, b"\"@odata.").is_none() {
        return false;
    }
    let Some(start) = value_array_start(page) else {
        return false;
    };
    let array = &page[start..array_end(&page[start..]).map_or(page.len(), |e| start + e)];
    let msg = format!(
        "a Microsoft Graph page could not be read whole ({why}); its records were read one by one"
    );
    sink(ReadItem::Note(Diagnostic::at(
        Severity::Warning,
        origin,
        msg,
    )));
    let Ok(mut text) = TextDecoder::new(array) else {
        return false;
    };
    let in_file = |at: u64| to_file(start as u64 + at);
    let mut located = |item: ReadItem| sink(locate_in_file(item, &in_file));
    let framing = Framing {
        in_page: true,
        ..FILE
    };
    // Reading from memory cannot fail.
    frame_events(origin.file, &mut text, framing, &mut located).is_ok()
}

/// Where the `[` of a page's `"value":` array is.
fn value_array_start(page: &[u8]) -> Option<usize> {
    let key = memchr::memmem::find_iter(page, b"\"value\"").find_map(|at| {
        let rest = &page[at + 7..];
        let colon = rest.iter().position(|b| !b.is_ascii_whitespace())?;
        (rest[colon] == b':').then_some(at + 7 + colon + 1)
    })?;
    let open = page[key..].iter().position(|b| !b.is_ascii_whitespace())?;
    (page[key + open] == b'[').then_some(key + open)
}

/// The position just after the `]` that closes the array `text` opens with,
/// if it closes.
fn array_end(text: &[u8]) -> Option<usize> {
    let (mut depth, mut in_string, mut escaped) = (0u32, false, false);
    for (i, &b) in text.iter().enumerate() {
        if in_string {
            match b {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_string = true,
            b'[' | b'{' => depth += 1,
            b']' | b'}' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ => {}
        }
    }
    None
}

/// An item read from a slice of the file's decoded text, with its
/// positions in that slice made offsets in the file by `in_file`.
fn locate_in_file(item: ReadItem, in_file: &dyn Fn(u64) -> u64) -> ReadItem {
    let at = |d: Diagnostic| Diagnostic {
        offset: d.offset.map(in_file),
        ..d
    };
    match item {
        ReadItem::Event {
            mut record,
            repairs,
        } => {
            record.origin.offset = in_file(record.origin.offset);
            ReadItem::Event { record, repairs }
        }
        ReadItem::Audit { mut origin, record } => {
            origin.offset = in_file(origin.offset);
            ReadItem::Audit { origin, record }
        }
        ReadItem::Unreadable(d) => ReadItem::Unreadable(at(d)),
        ReadItem::Note(d) => ReadItem::Note(at(d)),
    }
}

/// Appends one chunk of decoded text; returns true at the end of the input.
fn fill<R: Read>(
    text: &mut TextDecoder<R>,
    buf: &mut Vec<u8>,
    chunk: usize,
) -> std::io::Result<bool> {
    Ok(text.append_to(buf, chunk)? < chunk)
}

/// Hands on the events of one parsed JSON element, whatever shipper wrote
/// it. Most elements are one event; an Elasticsearch `_search` answer
/// (`hits.hits[]._source`) and a Log Analytics query answer
/// (`tables[].columns` and `rows`) hold many.
fn value_to_items(origin: EventOrigin, value: Value, sink: &mut dyn FnMut(ReadItem)) {
    if let Some(records) = crate::cloud::graph_page_records(&value) {
        // Everything in a page is an audit record, however incomplete.
        for record in records {
            let record = crate::cloud::record_from_json(record);
            sink(crate::cloud::audit_item(origin.clone(), record));
        }
        return;
    }
    if let Some(hits) = lookup(&value, "hits.hits").and_then(Value::as_array) {
        for hit in hits {
            let source = lookup(hit, "_source").unwrap_or(hit);
            sink(value_to_item(origin.clone(), source));
        }
        return;
    }
    if let Some(tables) = lookup(&value, "tables").and_then(Value::as_array) {
        for table in tables {
            for row in query_table_rows(table) {
                sink(value_to_item(origin.clone(), &row));
            }
        }
        return;
    }
    sink(value_to_item(origin, &value));
}

/// The rows of one table of a Log Analytics query answer, each as an
/// object keyed by column name. A row shorter than the columns keeps the
/// columns it has.
fn query_table_rows(table: &Value) -> Vec<Value> {
    let names: Vec<String> = lookup(table, "columns")
        .and_then(Value::as_array)
        .map(|cols| {
            cols.iter()
                .map(|c| match lookup(c, "name").and_then(as_text) {
                    Some(n) => n,
                    None => as_text(c).unwrap_or_default(),
                })
                .collect()
        })
        .unwrap_or_default();
    let rows = lookup(table, "rows").and_then(Value::as_array);
    rows.map(|rows| {
        rows.iter()
            .map(|row| {
                let cells = row.as_array().map(Vec::as_slice).unwrap_or_default();
                let object = names
                    .iter()
                    .zip(cells)
                    .map(|(n, v)| (n.clone(), v.clone()))
                    .collect();
                Value::Object(object)
            })
            .collect()
    })
    .unwrap_or_default()
}

/// Maps one JSON value to an event, or says why it is not one.
pub(crate) fn value_to_item(origin: EventOrigin, value: &Value) -> ReadItem {
    if crate::cloud::is_audit_record(value) {
        return crate::cloud::audit_item(origin, crate::cloud::record_from_json(value));
    }
    match value {
        Value::Object(_) => match value_to_event(origin.clone(), value) {
            Some(record) => ReadItem::Event {
                record,
                repairs: Vec::new(),
            },
            None => {
                let keys = key_list(value);
                let msg = format!("a JSON object with no event fields was skipped (keys: {keys})");
                ReadItem::Unreadable(Diagnostic::at(Severity::Error, &origin, msg))
            }
        },
        other => {
            let kind = match other {
                Value::Null => "null",
                Value::Bool(_) => "a boolean",
                Value::Number(_) => "a number",
                Value::String(_) => "a string",
                Value::Array(_) => "an array",
                Value::Object(_) => "an object",
            };
            let msg = format!("a JSON element that is {kind}, not an event, was skipped");
            ReadItem::Unreadable(Diagnostic::at(Severity::Error, &origin, msg))
        }
    }
}

fn key_list(v: &Value) -> String {
    match v.as_object() {
        Some(o) => o.keys().take(8).cloned().collect::<Vec<_>>().join(", "),
        None => String::new(),
    }
}

/// Looks up a key case-insensitively; with dots in `path`, walks nested
/// objects, finds the flattened dotted key, or any mix of the two
/// (`{"winlog.event_data": {"param1": …}}`).
pub fn lookup<'v>(v: &'v Value, path: &str) -> Option<&'v Value> {
    let obj = v.as_object()?;
    let key = |name: &str| {
        obj.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v)
    };
    if let Some(found) = key(path) {
        return Some(found);
    }
    // Try the shortest head first: nested objects are the usual shape.
    path.match_indices('.').find_map(|(i, _)| {
        let inner = key(&path[..i])?;
        lookup(inner, &path[i + 1..])
    })
}

/// A value as text: strings as they are, numbers in decimal, `#text` of an
/// attribute-style object; `None` for null and containers.
pub fn as_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Object(_) => lookup(v, "#text").and_then(as_text),
        _ => None,
    }
}

fn first_text(v: &Value, paths: &[&str]) -> Option<String> {
    paths
        .iter()
        .find_map(|p| lookup(v, p).and_then(as_text))
        .filter(|s| !s.is_empty())
}

/// The first string of a `Properties`-like list: `[{"Value": "…"}]` or
/// `["…"]`. A PowerShell type name (depth-truncated `ConvertTo-Json`) is not a
/// payload.
fn first_property(v: &Value) -> Option<String> {
    let first = match v {
        Value::Array(items) => items.first()?,
        other => other,
    };
    let text = match first {
        Value::Object(_) => lookup(first, "Value").and_then(as_text)?,
        other => as_text(other)?,
    };
    if text.starts_with("System.") && !text.contains(' ') {
        return None;
    }
    Some(text)
}

/// Maps an object from any of the JSON shapes to an event; `None` when it has
/// no event id or payload field at all.
fn value_to_event(origin: EventOrigin, v: &Value) -> Option<EventRecord> {
    // evtx_dump: the event's XML rendered as JSON.
    if let Some(event) = lookup(v, "Event").filter(|e| lookup(e, "System").is_some()) {
        return Some(evtx_json_event(origin, event));
    }
    // Winlogbeat / Elastic.
    if [
        "winlog",
        "winlog.event_id",
        "winlog.provider_name",
        "winlog.channel",
    ]
    .iter()
    .any(|k| lookup(v, k).is_some())
    {
        return Some(winlogbeat_event(origin, v));
    }
    // PowerShell Get-WinEvent (5.1 and 7).
    if lookup(v, "ProviderName").is_some() || lookup(v, "RecordId").is_some() {
        return Some(get_win_event(origin, v));
    }
    // Get-EventLog.
    if lookup(v, "ReplacementStrings").is_some() || lookup(v, "InstanceId").is_some() {
        let data = lookup(v, "ReplacementStrings").and_then(first_property);
        let message = first_text(v, &["Message"]);
        return Some(EventRecord {
            origin: EventOrigin {
                record_id: record_id(v, &["Index"]),
                ..origin
            },
            event_id: event_id(v, &["EventID", "InstanceId"]),
            provider: first_text(v, &["Source"]),
            channel: None,
            computer: first_text(v, &["MachineName"]),
            time: first_text(v, &["TimeGenerated", "TimeWritten"])
                .as_deref()
                .and_then(event_time),
            payload: payload(data, message),
        });
    }
    // Microsoft Sentinel / Log Analytics `Event` table.
    if [
        "EventData",
        "RenderedDescription",
        "TimeGenerated",
        "TimeGenerated [UTC]",
    ]
    .iter()
    .any(|k| lookup(v, k).is_some())
    {
        return Some(sentinel_event(origin, v));
    }
    // NXLog.
    if ["SourceName", "EventTime", "RecordNumber"]
        .iter()
        .any(|k| lookup(v, k).is_some())
    {
        return Some(nxlog_event(origin, v));
    }
    None
}

/// A PowerShell `Get-WinEvent` object (5.1 and 7) as an event.
fn get_win_event(origin: EventOrigin, v: &Value) -> EventRecord {
    let data = lookup(v, "Properties").and_then(first_property);
    let message = first_text(v, &["Message"]);
    EventRecord {
        origin: EventOrigin {
            record_id: record_id(v, &["RecordId"]),
            ..origin
        },
        event_id: event_id(v, &["Id"]),
        provider: first_text(v, &["ProviderName"]),
        channel: first_text(v, &["LogName", "ContainerLog"]),
        computer: first_text(v, &["MachineName"]),
        time: first_text(v, &["TimeCreated"])
            .as_deref()
            .and_then(event_time),
        payload: payload(data, message),
    }
}

/// An event rendered by the `evtx` crate (evtx_dump JSON, and the EVTX
/// reader): `Event.System` and `Event.EventData`, with attributes under
/// `#attributes`, or beside the element as `<name>_attributes`.
pub fn evtx_json_event(origin: EventOrigin, event: &Value) -> EventRecord {
    let system = lookup(event, "System").unwrap_or(&Value::Null);
    let data = lookup(event, "EventData.Data").and_then(first_data);
    EventRecord {
        origin: EventOrigin {
            record_id: record_id(system, &["EventRecordID"]),
            ..origin
        },
        event_id: event_id(system, &["EventID"]),
        provider: xml_attribute(system, "Provider", "Name"),
        channel: first_text(system, &["Channel"]),
        computer: first_text(system, &["Computer"]),
        time: xml_attribute(system, "TimeCreated", "SystemTime")
            .as_deref()
            .and_then(event_time),
        payload: payload(data, None),
    }
}

/// An attribute of an element rendered as JSON, in any of the spellings
/// the `evtx` crate uses.
fn xml_attribute(parent: &Value, element: &str, name: &str) -> Option<String> {
    first_text(
        parent,
        &[
            &format!("{element}.#attributes.{name}"),
            &format!("{element}._attributes.{name}"),
            &format!("{element}_attributes.{name}"),
        ],
    )
}

/// The first data string: a string, the first of a list, or the `#text` of
/// an element object.
fn first_data(v: &Value) -> Option<String> {
    match v {
        Value::Array(items) => items.first().and_then(first_data),
        Value::Object(_) => lookup(v, "#text").and_then(first_data),
        other => as_text(other),
    }
}

/// A Winlogbeat event, nested or with dotted keys.
fn winlogbeat_event(origin: EventOrigin, v: &Value) -> EventRecord {
    // Classic events' unnamed strings are `param1`, `param2`, … (`param0`
    // in some versions).
    let data = first_text(v, &["winlog.event_data.param1", "winlog.event_data.param0"]);
    EventRecord {
        origin: EventOrigin {
            record_id: record_id(v, &["winlog.record_id"]),
            ..origin
        },
        event_id: event_id(v, &["winlog.event_id", "event.code"]),
        provider: first_text(v, &["winlog.provider_name", "event.provider"]),
        channel: first_text(v, &["winlog.channel"]),
        computer: first_text(v, &["winlog.computer_name", "host.name"]),
        time: first_text(v, &["@timestamp"])
            .as_deref()
            .and_then(event_time),
        payload: payload(data, first_text(v, &["message"])),
    }
}

/// A row of the Sentinel / Log Analytics `Event` table. It has no record
/// id; the payload is the first `Data` of the `EventData` XML string.
fn sentinel_event(origin: EventOrigin, v: &Value) -> EventRecord {
    let data = first_text(v, &["EventData"])
        .as_deref()
        .and_then(crate::ingest::xml::first_event_data);
    // The CSV export names the column `TimeGenerated [UTC]` and writes a
    // display time without zone; the header says it is UTC.
    let time = match first_text(v, &["TimeGenerated"]) {
        Some(t) => event_time(&t),
        None => first_text(v, &["TimeGenerated [UTC]"])
            .as_deref()
            .and_then(crate::time::parse_utc)
            .map(EventTime::Utc),
    };
    EventRecord {
        origin,
        event_id: event_id(v, &["EventID"]),
        provider: first_text(v, &["Source"]),
        channel: first_text(v, &["EventLog"]),
        computer: first_text(v, &["Computer"]),
        time,
        payload: payload(data, first_text(v, &["RenderedDescription"])),
    }
}

/// An NXLog event (`im_msvistalog` fields in `om_json` output).
fn nxlog_event(origin: EventOrigin, v: &Value) -> EventRecord {
    EventRecord {
        origin: EventOrigin {
            record_id: record_id(v, &["RecordNumber"]),
            ..origin
        },
        event_id: event_id(v, &["EventID"]),
        provider: first_text(v, &["SourceName", "ProviderName"]),
        channel: first_text(v, &["Channel"]),
        computer: first_text(v, &["Hostname"]),
        time: first_text(v, &["EventTime"])
            .as_deref()
            .and_then(event_time),
        payload: payload(first_text(v, &["Data"]), first_text(v, &["Message"])),
    }
}

/// The event's payload: the data string first, the message second.
pub fn payload(data: Option<String>, message: Option<String>) -> Payload {
    match (data, message) {
        (Some(d), _) if !d.is_empty() => Payload::Data(d),
        (_, Some(m)) if !m.is_empty() => Payload::Message(m),
        _ => Payload::Missing,
    }
}

/// An event id from the first of `paths` that holds one (number or text).
/// PowerShell's `InstanceId` of a classic event carries the qualifiers in
/// its high bits; only the low 16 bits are the id.
pub fn event_id(v: &Value, paths: &[&str]) -> Option<u32> {
    let text = first_text(v, paths)?;
    let n: u64 = text.trim().parse().ok()?;
    u32::try_from(n & 0xFFFF).ok()
}

/// A record id from the first of `paths`, kept as a full 64-bit value.
pub fn record_id(v: &Value, paths: &[&str]) -> Option<u64> {
    first_text(v, paths)?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(json: &str) -> Vec<ReadItem> {
        let mut items = Vec::new();
        let mut dec = match TextDecoder::new(json.as_bytes()) {
            Ok(d) => d,
            Err(e) => panic!("{e}"),
        };
        assert!(read_events(0, &mut dec, &mut |i| items.push(i)).is_ok());
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

    const PS51: &str = r#"{"Message": "{\"a\":\"\u0027x\u0027\"}", "Id": 4121, "RecordId": 160284,
        "ProviderName": "Microsoft.IdentityManagement.Service", "LogName": "Identity Manager Request Log",
        "MachineName": "mim01.contoso.com", "TimeCreated": "\/Date(1706728887375)\/",
        "Properties": ["System.Diagnostics.Eventing.Reader.EventProperty"]}"#;

    #[test]
    fn an_array_of_powershell_51_events_takes_the_payload_from_message() {
        let items = read(&format!("[\n{PS51},\n{PS51}\n]"));
        let evs = events(&items);
        assert_eq!(evs.len(), 2);
        assert_eq!(evs[0].payload, Payload::Message("{\"a\":\"'x'\"}".into()));
        assert_eq!(evs[0].origin.record_id, Some(160284));
        assert_eq!(evs[0].event_id, Some(4121));
    }

    #[test]
    fn a_single_object_is_one_event() {
        assert_eq!(events(&read(PS51)).len(), 1);
    }

    #[test]
    fn powershell_7_properties_value_is_the_payload() {
        let ps7 = PS51.replace(
            r#"["System.Diagnostics.Eventing.Reader.EventProperty"]"#,
            r#"[{"Value": "data text"}]"#,
        );
        assert_eq!(
            events(&read(&ps7))[0].payload,
            Payload::Data("data text".into())
        );
    }

    #[test]
    fn braces_inside_strings_do_not_confuse_the_framer() {
        let tricky = PS51.replace(r#"{\"a\":\"\u0027x\u0027\"}"#, r#"}]{[\"\\"#);
        let items = read(&format!("[{tricky},{PS51}]"));
        assert_eq!(events(&items).len(), 2);
    }

    #[test]
    fn a_broken_element_is_reported_and_its_neighbours_are_read() {
        let items = read(&format!(
            "[{PS51}, {{\"Id\": 4121, \"RecordId\": }}, {PS51}]"
        ));
        assert_eq!(events(&items).len(), 2);
        assert_eq!(
            items
                .iter()
                .filter(|i| matches!(i, ReadItem::Unreadable(_)))
                .count(),
            1
        );
    }

    #[test]
    fn a_truncated_file_keeps_the_events_before_the_cut() {
        let text = format!("[{PS51},{PS51}");
        let items = read(&text[..text.len() - 20]);
        assert_eq!(events(&items).len(), 1);
        assert!(matches!(items.last(), Some(ReadItem::Unreadable(_))));
    }

    #[test]
    fn get_eventlog_uses_replacement_strings_and_index() {
        let e = r#"{"EventID": 4121, "MachineName": "m", "Index": 18446744073709551615,
            "Source": "Microsoft.IdentityManagement.Service", "ReplacementStrings": ["{}"],
            "InstanceId": 4121, "TimeGenerated": "\/Date(1706728887000)\/", "Message": "{}"}"#;
        let items = read(e);
        let ev = events(&items)[0];
        assert_eq!(ev.origin.record_id, Some(u64::MAX));
        assert_eq!(ev.payload, Payload::Data("{}".into()));
    }

    #[test]
    fn lookup_walks_nested_and_flattened_keys() {
        let nested: Value = serde_json::json!({"winlog": {"event_id": "4121"}});
        let flat: Value = serde_json::json!({"winlog.event_id": 4121});
        assert_eq!(
            lookup(&nested, "winlog.event_id")
                .and_then(as_text)
                .as_deref(),
            Some("4121")
        );
        assert_eq!(
            lookup(&flat, "winlog.event_id")
                .and_then(as_text)
                .as_deref(),
            Some("4121")
        );
    }

    fn read_prefixed(text: &str) -> Vec<ReadItem> {
        let mut items = Vec::new();
        let mut dec = match TextDecoder::new(text.as_bytes()) {
            Ok(d) => d,
            Err(e) => panic!("{e}"),
        };
        assert!(read_prefixed_lines(0, &mut dec, &mut |i| items.push(i)).is_ok());
        items
    }

    #[test]
    fn winlogbeat_with_dotted_keys_and_param0() {
        let line = r#"{"@timestamp":"2024-01-31T19:21:27.375Z","winlog.event_id":4137,
            "winlog.provider_name":"Microsoft.IdentityManagement.Service",
            "winlog.computer_name":"mim01","winlog.record_id":"7",
            "winlog.event_data":{"param0":"slice"},"message":"rendered"}"#;
        let items = read(&line.replace('\n', " "));
        let e = events(&items)[0];
        assert_eq!(e.event_id, Some(4137));
        assert_eq!(e.origin.record_id, Some(7));
        assert_eq!(e.payload, Payload::Data("slice".into()));
        assert!(e.is_request_log());
    }

    #[test]
    fn an_elastic_search_answer_gives_one_event_per_hit() {
        let answer = r#"{"took":3,"hits":{"total":{"value":2},"hits":[
            {"_id":"a","_source":{"winlog":{"event_id":"4121","event_data":{"param1":"{}"}}}},
            {"_id":"b","_source":{"winlog":{"event_id":"4121","event_data":{"param1":"{ }"}}}}]}}"#;
        assert_eq!(events(&read(answer)).len(), 2);
    }

    #[test]
    fn nxlog_lines_behind_a_syslog_header_are_read() {
        let text = "<14>Jan 31 20:21:27 mim01 nxlog[1234]: {\"EventID\":4121,\"SourceName\":\
            \"Microsoft.IdentityManagement.Service\",\"Hostname\":\"mim01\",\"RecordNumber\":9,\
            \"EventTime\":\"2024-01-31 20:21:27\",\"Message\":\"{}\"}\n\
            -- MARK --\n";
        let items = read_prefixed(text);
        let e = events(&items)[0];
        assert_eq!(e.origin.record_id, Some(9));
        assert_eq!(e.payload, Payload::Message("{}".into()));
        assert!(matches!(
            e.time,
            Some(crate::event::EventTime::ZoneUnknown(_))
        ));
        assert!(matches!(items.last(), Some(ReadItem::Note(_))));
    }

    #[test]
    fn a_truncated_nxlog_file_keeps_the_lines_before_the_cut() {
        let line = "{\"EventID\":4121,\"SourceName\":\"S\",\"Message\":\"{}\"}\n";
        let text = format!("{line}{}", &line[..20]);
        let items = read_prefixed(&text);
        assert_eq!(events(&items).len(), 1);
        assert!(matches!(items.last(), Some(ReadItem::Unreadable(_))));
    }

    #[test]
    fn evtx_dump_event_id_as_text_of_an_element() {
        let e = r##"{"Event":{"System":{"Provider":{"#attributes":{"Name":"P"}},
            "EventID":{"#attributes":{"Qualifiers":0},"#text":4121},"EventRecordID":5},
            "EventData":{"Data":[{"#text":"first"},{"#text":"second"}]}}}"##;
        let items = read(e);
        let ev = events(&items)[0];
        assert_eq!(ev.event_id, Some(4121));
        assert_eq!(ev.provider.as_deref(), Some("P"));
        assert_eq!(ev.payload, Payload::Data("first".into()));
    }

    #[test]
    fn a_query_api_table_gives_one_event_per_row() {
        let answer = r#"{"tables":[{"name":"PrimaryResult","columns":[
            {"name":"TimeGenerated","type":"datetime"},{"name":"Source","type":"string"},
            {"name":"EventID","type":"int"},{"name":"RenderedDescription","type":"string"}],
            "rows":[["2024-01-31T19:21:27Z","S",4121,"{}"],["2024-01-31T19:21:28Z","S",1,"x"]]}]}"#;
        let items = read(answer);
        let evs = events(&items);
        assert_eq!(evs.len(), 2);
        assert_eq!(evs[0].payload, Payload::Message("{}".into()));
        assert_eq!(evs[1].event_id, Some(1));
    }

    /// What `items` said that was no event: notes and unreadable elements,
    /// with their offsets.
    fn problems(items: &[ReadItem]) -> Vec<(&str, Option<u64>, &str)> {
        items
            .iter()
            .filter_map(|i| match i {
                ReadItem::Note(d) => Some(("note", d.offset, d.message.as_str())),
                ReadItem::Unreadable(d) => Some(("unreadable", d.offset, d.message.as_str())),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn stray_text_before_an_oversized_element_stays_counted() {
        // `ab`, an element of 83 bytes from byte 2, then `cd`; read 16 bytes
        // at a time, with elements limited to 32 bytes. The element is
        // skipped with the 46 bytes buffered when it is found too large; the
        // rest of it is stray text: 17 of its `1`s, its `}`, then `cd`.
        let text = format!("ab{{{}}}cd", "1,".repeat(40));
        let framing = Framing {
            read_chunk: 16,
            max_element: 32,
            in_page: false,
        };
        let mut items = Vec::new();
        let Ok(mut dec) = TextDecoder::new(text.as_bytes()) else {
            panic!("reading from memory")
        };
        assert!(frame_events(0, &mut dec, framing, &mut |i| items.push(i)).is_ok());
        let problems = problems(&items);
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert_eq!(problems[0].0, "unreadable");
        assert_eq!(problems[0].1, Some(2));
        assert_eq!(
            problems[1],
            (
                "note",
                Some(0),
                "22 bytes outside any JSON value were ignored (first at byte 0)"
            )
        );
    }

    #[test]
    fn stray_text_before_a_graph_page_cut_short_is_noted() {
        let text = r#"xy{"@odata.context":"c","value":[{"id":"a"},{"id":"#;
        let items = read(text);
        assert_eq!(
            problems(&items).last(),
            Some(&(
                "note",
                Some(0),
                "2 bytes outside any JSON value were ignored (first at byte 0)"
            ))
        );
    }
}
