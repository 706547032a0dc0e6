//! Reader for the XML exports of the Windows event log: Event Viewer's "Save
//! Events As > XML" (an `<Events>` root) and `wevtutil qe /f:xml` or
//! `/f:RenderedXml` (bare `<Event>` elements, no root).
//!
//! The stream is cut into `<Event>` elements first and each is parsed on its
//! own, so one damaged event costs one diagnostic and the rest of the file is
//! still read. Characters XML 1.0 forbids and a bare `&` are tolerated; entity
//! declarations are never expanded. Text between the events that is neither
//! white space nor the markup around them (an element of another name, say)
//! is counted, and said in one note per file.

use std::io::Read;

use memchr::memmem;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use crate::event::{EventOrigin, EventRecord, FileIndex, Payload};
use crate::ingest::decode::TextDecoder;
use crate::ingest::{ReadItem, event_time};
use crate::ledger::{Diagnostic, Severity};

/// An event element larger than this is reported and skipped rather than
/// buffered: no real event comes near it, and a file without `</Event>` must
/// not make the reader hold the whole file.
pub const MAX_EVENT_BYTES: usize = 64 * 1024 * 1024;

const READ_CHUNK: usize = 1024 * 1024;

/// Reads every `<Event>` element from `text` (already decoded to UTF-8) and
/// hands each, or the problem met, to `sink`.
pub fn read_events<R: Read>(
    file: FileIndex,
    text: &mut TextDecoder<R>,
    sink: &mut dyn FnMut(ReadItem),
) -> std::io::Result<()> {
    let open = memmem::Finder::new(b"<Event");
    let close = memmem::Finder::new(b"</Event>");
    let mut buf: Vec<u8> = Vec::with_capacity(2 * READ_CHUNK);
    // Offset, in the decoded stream, of `buf[0]`.
    let mut buf_base: u64 = 0;
    // Where scanning resumes in `buf`.
    let mut pos = 0usize;
    let mut eof = false;
    let mut outside = OutsideEvents::default();
    // After an event too large to hold, the text up to the next event start
    // is the rest of it, already reported: it is not looked at again.
    let mut in_skipped_event = false;

    loop {
        // Find the next event start; read more when none is in the buffer.
        // The text before it is outside any event, and is looked at for
        // anything that is neither white space nor the markup around events.
        let mut start = match find_event_start(&open, &buf[pos..]) {
            Some(i) => {
                if !in_skipped_event {
                    let at = buf_base + pos as u64;
                    outside.read(&buf[pos..pos + i], at, true, &|d| text.source_offset(d));
                }
                in_skipped_event = false;
                pos + i
            }
            None if eof => {
                if !in_skipped_event {
                    let at = buf_base + pos as u64;
                    outside.read(&buf[pos..], at, true, &|d| text.source_offset(d));
                }
                break;
            }
            None => {
                // Keep a tail that may hold the beginning of `<Event`, and
                // markup cut before it can be told apart.
                let mut keep_from = buf.len().saturating_sub(8).max(pos);
                if !in_skipped_event {
                    let at = buf_base + pos as u64;
                    let gap = &buf[pos..keep_from];
                    keep_from = pos + outside.read(gap, at, false, &|d| text.source_offset(d));
                }
                drain(&mut buf, &mut buf_base, keep_from);
                pos = 0;
                eof = fill(text, &mut buf)?;
                continue;
            }
        };

        // Find its end, reading more as needed. The search resumes where the
        // last one stopped so a large event is scanned once.
        let mut searched = start + 6;
        let end = loop {
            if let Some(i) = close.find(&buf[searched..]) {
                break Some(searched + i + b"</Event>".len());
            }
            if eof || buf.len() - start > MAX_EVENT_BYTES {
                break None;
            }
            searched = buf.len().saturating_sub(b"</Event>".len()).max(start + 6) - start;
            drain(&mut buf, &mut buf_base, start);
            start = 0;
            eof = fill(text, &mut buf)?;
        };

        let Some(end) = end else {
            // No closing tag: a truncated file, or an event too large to hold.
            let offset = text.source_offset(buf_base + start as u64);
            let origin = EventOrigin {
                file,
                offset,
                record_id: None,
            };
            let reason = if eof {
                "the event is cut off: the file ends before `</Event>` (truncated export?)"
            } else {
                "the event is larger than 64 MiB; it was skipped"
            };
            sink(ReadItem::Unreadable(Diagnostic::at(
                Severity::Error,
                &origin,
                reason,
            )));
            if eof {
                break;
            }
            pos = start + 6;
            in_skipped_event = true;
            continue;
        };

        // An event start before the end means the events before it were cut
        // short (a damaged or spliced file): each is reported, the last read.
        while let Some(i) = find_event_start(&open, &buf[start + 6..end]) {
            let offset = text.source_offset(buf_base + start as u64);
            let origin = EventOrigin {
                file,
                offset,
                record_id: None,
            };
            let reason = "an event is cut off: another `<Event>` starts before its end";
            sink(ReadItem::Unreadable(Diagnostic::at(
                Severity::Error,
                &origin,
                reason,
            )));
            start += 6 + i;
        }

        let offset = text.source_offset(buf_base + start as u64);
        sink(parse_event(file, offset, &buf[start..end]));
        pos = end;
    }
    if let Some(note) = outside.note(file) {
        sink(ReadItem::Note(note));
    }
    Ok(())
}

/// What lies between the events of a file: white space, and the markup an
/// export has around them (the XML declaration and other processing
/// instructions, comments, a document type, the `<Events>` root), are
/// expected there. Anything else, an element of another name such as
/// `<evt:Event>` or `<EVENT>` included, is text the reader does not read:
/// it is counted, and said once per file.
///
/// Only the text between events comes here, never an event's own, so the
/// reading of the events keeps its pace.
#[derive(Default)]
struct OutsideEvents {
    /// The markup being read, when the text so far opened one.
    markup: Option<Markup>,
    /// Characters (not white space) outside the events and their markup.
    stray_chars: u64,
    /// Where the first of them is in the source, with its first words.
    first_stray: Option<(u64, String)>,
}

/// Markup around the events, read up to its end.
struct Markup {
    kind: MarkupKind,
    /// Its characters so far, white space aside: if it never ends (the
    /// file does, or an event starts first), they were no markup, and
    /// count as stray.
    chars: u64,
    /// Where it starts in the source, with its first words.
    start: (u64, String),
}

/// The markup kinds expected around events, each with what is needed to
/// find its end when it is cut between two reads.
#[derive(Clone, Copy, PartialEq, Eq)]
enum MarkupKind {
    /// `<?…?>`, the XML declaration among them; whether the last
    /// character was a `?`.
    Instruction { question: bool },
    /// `<!--…-->`; how many `-` came last (at most two).
    Comment { dashes: u8 },
    /// `<!DOCTYPE…>`; whether inside its `[…]` declarations.
    DocumentType { in_declarations: bool },
    /// `<Events …>` or `</Events>`, the root of Event Viewer's exports.
    Root,
}

/// How the text at a `<` begins.
enum Opening {
    /// Markup of this kind, whose opening is this many bytes long.
    Markup(MarkupKind, usize),
    /// Markup complete in its opening (`<Events>`), or a byte order mark
    /// (files joined one after another), this many bytes long.
    Whole(usize),
    /// Not yet known: the text ends before it can be told.
    Unknown,
    /// Nothing expected.
    Stray,
}

/// How many bytes of stray text a note quotes.
const STRAY_QUOTE_BYTES: usize = 40;

impl OutsideEvents {
    /// Reads `text`, which starts at decoded offset `at`; `source_offset`
    /// places a decoded offset in the file. When `complete`, an event
    /// starts right after `text` (or the file ends there), so markup it
    /// leaves open was none. Returns how many bytes were read: all, unless
    /// `text` ends where markup may begin and more text is needed to tell.
    fn read(
        &mut self,
        text: &[u8],
        at: u64,
        complete: bool,
        source_offset: &dyn Fn(u64) -> u64,
    ) -> usize {
        let mut i = 0;
        while i < text.len() {
            if let Some(markup) = &mut self.markup {
                let b = text[i];
                markup.chars += u64::from(starts_char(b) && !is_xml_space(b));
                i += 1;
                if markup.kind.ends_with(b) {
                    self.markup = None;
                }
                continue;
            }
            let place = |i: usize| (source_offset(at + i as u64), quote(&text[i..]));
            match text[i] {
                b if is_xml_space(b) => i += 1,
                b'<' | 0xEF => match opening(&text[i..]) {
                    Opening::Markup(kind, len) => {
                        let chars = text[i..i + len].iter().map(|&b| u64::from(starts_char(b)));
                        self.markup = Some(Markup {
                            kind,
                            chars: chars.sum(),
                            start: place(i),
                        });
                        i += len;
                    }
                    Opening::Whole(len) => i += len,
                    Opening::Unknown if !complete => return i,
                    Opening::Unknown | Opening::Stray => {
                        self.stray(1, || place(i));
                        i += 1;
                    }
                },
                b => {
                    self.stray(u64::from(starts_char(b)), || place(i));
                    i += 1;
                }
            }
        }
        if complete && let Some(open) = self.markup.take() {
            self.stray(open.chars, || open.start);
        }
        text.len()
    }

    /// Counts `chars` stray characters, placed by `place` when they are the
    /// first.
    fn stray(&mut self, chars: u64, place: impl FnOnce() -> (u64, String)) {
        if chars == 0 {
            return;
        }
        self.stray_chars += chars;
        if self.first_stray.is_none() {
            self.first_stray = Some(place());
        }
    }

    /// The note saying what was not read, if anything was.
    fn note(self, file: FileIndex) -> Option<Diagnostic> {
        let (offset, words) = self.first_stray?;
        let msg = format!(
            "{} character(s) outside any `<Event>` element were not read (first at byte \
             {offset}: `{words}`); only elements named `Event`, without a prefix, are read \
             as events",
            self.stray_chars
        );
        Some(Diagnostic::in_file(
            Severity::Warning,
            file,
            Some(offset),
            msg,
        ))
    }
}

impl MarkupKind {
    /// Takes in the markup's next byte; true when it ends the markup.
    fn ends_with(&mut self, b: u8) -> bool {
        match self {
            MarkupKind::Instruction { question } => {
                let end = *question && b == b'>';
                *question = b == b'?';
                end
            }
            MarkupKind::Comment { dashes } => {
                let end = *dashes == 2 && b == b'>';
                *dashes = if b == b'-' { (*dashes + 1).min(2) } else { 0 };
                end
            }
            MarkupKind::DocumentType { in_declarations } => {
                match b {
                    b'[' => *in_declarations = true,
                    b']' => *in_declarations = false,
                    _ => {}
                }
                b == b'>' && !*in_declarations
            }
            MarkupKind::Root => b == b'>',
        }
    }
}

/// Tells what the text at a `<` (or a possible byte order mark) opens.
fn opening(text: &[u8]) -> Opening {
    const OPENINGS: [(&[u8], Option<MarkupKind>); 6] = [
        (b"<?", Some(MarkupKind::Instruction { question: false })),
        (b"<!--", Some(MarkupKind::Comment { dashes: 0 })),
        (
            b"<!DOCTYPE",
            Some(MarkupKind::DocumentType {
                in_declarations: false,
            }),
        ),
        (b"<Events", Some(MarkupKind::Root)),
        (b"</Events", Some(MarkupKind::Root)),
        ("\u{feff}".as_bytes(), None),
    ];
    let mut unknown = false;
    for (open, kind) in OPENINGS {
        let n = text.len().min(open.len());
        if text[..n] != open[..n] {
            continue;
        }
        if n < open.len() {
            unknown = true;
            continue;
        }
        let len = open.len();
        match kind {
            None => return Opening::Whole(len),
            // The root's name must end here (not `<EventsLog>`).
            Some(MarkupKind::Root) => match text.get(len) {
                None => unknown = true,
                Some(b'>') => return Opening::Whole(len + 1),
                Some(b' ' | b'\t' | b'\r' | b'\n' | b'/') => {
                    return Opening::Markup(MarkupKind::Root, len);
                }
                Some(_) => {}
            },
            Some(kind) => return Opening::Markup(kind, len),
        }
    }
    if unknown {
        Opening::Unknown
    } else {
        Opening::Stray
    }
}

/// White space as XML has it.
fn is_xml_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// Whether a byte starts a character (is no continuation byte of UTF-8).
fn starts_char(b: u8) -> bool {
    b & 0xC0 != 0x80
}

/// The first words of `text`, on one line, for a message.
fn quote(text: &[u8]) -> String {
    let cut = &text[..text.len().min(STRAY_QUOTE_BYTES)];
    let whole = match std::str::from_utf8(cut) {
        Ok(t) => t,
        // Cut inside a character: up to it.
        Err(e) => std::str::from_utf8(&cut[..e.valid_up_to()]).unwrap_or_default(),
    };
    let line: String = whole
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let more = if whole.len() < text.len() { "…" } else { "" };
    format!("{}{more}", line.trim_end())
}

/// Finds `<Event` followed by white space, `>` or `/` (not `<Events>`,
/// `<EventData>`, `<EventID>` or `<EventRecordID>`).
fn find_event_start(open: &memmem::Finder<'_>, hay: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = open.find(&hay[from..]) {
        let at = from + i;
        match hay.get(at + 6) {
            Some(b' ' | b'>' | b'/' | b'\t' | b'\r' | b'\n') => return Some(at),
            // Possibly cut at the buffer's end: let the caller read more.
            None => return None,
            Some(_) => from = at + 6,
        }
    }
    None
}

/// Drops `buf[..upto]`, moving the base offset forward.
fn drain(buf: &mut Vec<u8>, base: &mut u64, upto: usize) {
    buf.drain(..upto);
    *base += upto as u64;
}

/// Appends one chunk of decoded text; returns true at the end of the input.
fn fill<R: Read>(text: &mut TextDecoder<R>, buf: &mut Vec<u8>) -> std::io::Result<bool> {
    let n = text.append_to(buf, READ_CHUNK)?;
    Ok(n < READ_CHUNK)
}

/// Which text field of the event is being read.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Field {
    None,
    EventId,
    RecordId,
    Channel,
    Computer,
    Data,
    Message,
}

/// What one event element holds, gathered while walking it.
#[derive(Default)]
struct EventFields {
    event_id: String,
    record_id: String,
    channel: String,
    computer: String,
    provider: Option<String>,
    time: Option<String>,
    data: Option<String>,
    message: Option<String>,
    data_elements: u32,
    in_event_data: bool,
    /// Inside `<System>`: `RenderingInfo` repeats `Provider`, `Channel` and
    /// others as rendered text, which must not override the system values.
    in_system: bool,
    repairs: Vec<&'static str>,
}

/// Parses one `<Event>…</Event>` element.
fn parse_event(file: FileIndex, offset: u64, bytes: &[u8]) -> ReadItem {
    let origin = EventOrigin {
        file,
        offset,
        record_id: None,
    };
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        // The decoder already produced UTF-8; this only guards a cut mid-char.
        Err(_) => String::from_utf8_lossy(bytes),
    };
    match scan_plain_event(&text) {
        Some(f) => fields_to_item(origin, f),
        None => parse_event_generally(origin, &text),
    }
}

/// Parses one `<Event>…</Event>` element with the general XML parser, which
/// reads whatever [`scan_plain_event`] leaves to it.
fn parse_event_generally(origin: EventOrigin, text: &str) -> ReadItem {
    let mut reader = Reader::from_str(text);
    let config = reader.config_mut();
    config.allow_dangling_amp = true;
    config.check_end_names = false;
    config.allow_unmatched_ends = true;

    let mut f = EventFields::default();
    let mut field = Field::None;
    loop {
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(e) => {
                let pos = reader.error_position();
                let msg = format!(
                    "the event's XML could not be read ({e}, at byte {pos} of the event); skipped"
                );
                return ReadItem::Unreadable(Diagnostic::at(Severity::Error, &origin, msg));
            }
        };
        match event {
            Event::Start(e) => {
                field = start_element(&e, &mut f);
            }
            Event::Empty(e) => {
                // An empty element opens and closes at once.
                start_element(&e, &mut f);
                close_element(e.local_name().as_ref(), &mut f);
            }
            Event::End(e) => {
                close_element(e.local_name().as_ref(), &mut f);
                field = Field::None;
            }
            Event::Text(t) => {
                let raw: &str = &t.into_inner();
                // Bytes suffice: `&` and the control characters are ASCII,
                // and no byte of a longer UTF-8 sequence is below 0x80.
                if memchr::memchr(b'&', raw.as_bytes()).is_some() {
                    f.repairs.push("a bare `&` was read as text");
                }
                if has_forbidden_in_xml10(raw.as_bytes()) {
                    f.repairs.push("characters that XML 1.0 forbids were kept");
                }
                push_text(&mut f, field, raw);
            }
            Event::CData(t) => {
                let raw = t.into_inner();
                push_text(&mut f, field, &raw);
            }
            Event::GeneralRef(r) => {
                let resolved: Option<String> = match r.resolve_char_ref() {
                    Ok(Some(c)) => Some(c.to_string()),
                    Ok(None) => named_entity(&r).map(str::to_owned),
                    Err(_) => None,
                };
                let piece = resolved.unwrap_or_else(|| {
                    f.repairs.push("an unknown entity was kept as written");
                    format!("&{};", &*r)
                });
                push_text(&mut f, field, &piece);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    fields_to_item(origin, f)
}

/// Handles an opening tag; returns the text field it starts.
fn start_element(e: &BytesStart<'_>, f: &mut EventFields) -> Field {
    open_element(e.local_name().as_ref(), |key| attribute(e, key), f)
}

/// Handles an opening tag by its local name, reading its attributes through
/// `attribute`; returns the text field it starts. Both the general parser
/// and [`scan_plain_event`] come here, so they gather the same fields.
fn open_element(
    name: &str,
    attribute: impl Fn(&str) -> Option<String>,
    f: &mut EventFields,
) -> Field {
    if !f.in_system {
        return match name {
            "System" => {
                f.in_system = true;
                Field::None
            }
            "EventData" => {
                f.in_event_data = true;
                Field::None
            }
            "Data" if f.in_event_data => {
                f.data_elements += 1;
                if f.data_elements == 1 {
                    f.data = Some(String::new());
                    Field::Data
                } else {
                    Field::None
                }
            }
            // The rendered message repeats the data; it is only kept when
            // the data is missing (it comes after `EventData`).
            "Message" if f.message.is_none() && f.data.as_ref().is_none_or(String::is_empty) => {
                f.message = Some(String::new());
                Field::Message
            }
            _ => Field::None,
        };
    }
    match name {
        "Provider" => {
            f.provider = attribute("Name");
            Field::None
        }
        "TimeCreated" => {
            f.time = attribute("SystemTime");
            Field::None
        }
        "EventID" => Field::EventId,
        "EventRecordID" => Field::RecordId,
        "Channel" => Field::Channel,
        "Computer" => Field::Computer,
        _ => Field::None,
    }
}

/// Handles the end of an element by its local name.
fn close_element(name: &str, f: &mut EventFields) {
    match name {
        "EventData" => f.in_event_data = false,
        "System" => f.in_system = false,
        _ => {}
    }
}

/// Reads an event written the plain way Windows writes it, without the
/// general parser: tags with plain names (no namespace prefix) and quoted
/// attributes, text whose only references are the five XML entities, every
/// tag closed in order. Anything else (comments, CDATA, processing
/// instructions, character references, a bare `&`, a tag cut short or
/// closed out of order) gives `None`, and the general parser reads the
/// event instead; on what this accepts, both gather the same fields.
fn scan_plain_event(text: &str) -> Option<EventFields> {
    let bytes = text.as_bytes();
    let mut f = EventFields::default();
    let mut field = Field::None;
    let mut open: Vec<&str> = Vec::with_capacity(16);
    let mut at = 0;
    while at < bytes.len() {
        if bytes[at] != b'<' {
            let end = memchr::memchr(b'<', &bytes[at..]).map_or(bytes.len(), |n| at + n);
            plain_text(&text[at..end], field, &mut f)?;
            at = end;
            continue;
        }
        let end = at + 1 + memchr::memchr(b'>', &bytes[at + 1..])?;
        let tag = &text[at + 1..end];
        if let Some(name) = tag.strip_prefix('/') {
            if !is_plain_name(name) || open.pop() != Some(name) {
                return None;
            }
            close_element(name, &mut f);
            field = Field::None;
        } else {
            let (tag, empty) = match tag.strip_suffix('/') {
                Some(t) => (t, true),
                None => (tag, false),
            };
            let name_len = tag.find([' ', '\t', '\r', '\n']).unwrap_or(tag.len());
            let (name, attributes) = tag.split_at(name_len);
            if !is_plain_name(name) || !plain_attributes(attributes).all(|a| a.is_some()) {
                return None;
            }
            let attribute = |key: &str| {
                plain_attributes(attributes)
                    .flatten()
                    .find(|(k, _)| k.split_once(':').map_or(*k, |(_, local)| local) == key)
                    .map(|(_, value)| unescape_lenient(value))
            };
            let started = open_element(name, attribute, &mut f);
            if empty {
                close_element(name, &mut f);
            } else {
                field = started;
                open.push(name);
            }
        }
        at = end + 1;
    }
    open.is_empty().then_some(f)
}

/// Element and attribute names the plain reader accepts.
fn is_plain_name(name: &str) -> bool {
    !name.is_empty() && name.bytes().all(is_plain_name_byte)
}

fn is_plain_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')
}

/// The `key='value'` pairs after a tag's name, each `None` where the text
/// is not one (which makes [`scan_plain_event`] hand the event to the
/// general parser).
fn plain_attributes(rest: &str) -> impl Iterator<Item = Option<(&str, &str)>> {
    let bytes = rest.as_bytes();
    let mut at = 0;
    let mut failed = false;
    std::iter::from_fn(move || {
        if failed {
            return None;
        }
        let before = at;
        while at < bytes.len() && is_xml_space(bytes[at]) {
            at += 1;
        }
        if at == bytes.len() {
            return None;
        }
        let pair = (|| {
            // Attributes are separated by white space.
            if at == before {
                return None;
            }
            let key_start = at;
            while at < bytes.len() && (is_plain_name_byte(bytes[at]) || bytes[at] == b':') {
                at += 1;
            }
            let key = &rest[key_start..at];
            let mut parts = key.split(':');
            let key_ok = parts.next().is_some_and(is_plain_name)
                && parts.next().is_none_or(is_plain_name)
                && parts.next().is_none();
            if !key_ok || bytes.get(at) != Some(&b'=') {
                return None;
            }
            let quote = *bytes.get(at + 1).filter(|q| matches!(q, b'\'' | b'"'))?;
            let value_start = at + 2;
            let len = memchr::memchr2(quote, b'<', bytes.get(value_start..)?)?;
            if bytes[value_start + len] != quote {
                return None;
            }
            at = value_start + len + 1;
            Some((key, &rest[value_start..value_start + len]))
        })();
        failed = pair.is_none();
        Some(pair)
    })
}

/// Text of a plainly written event: the five XML entities are resolved,
/// anything else after a `&` gives `None`.
fn plain_text(mut text: &str, field: Field, f: &mut EventFields) -> Option<()> {
    if has_forbidden_in_xml10(text.as_bytes()) {
        f.repairs.push("characters that XML 1.0 forbids were kept");
    }
    while let Some(amp) = memchr::memchr(b'&', text.as_bytes()) {
        push_text(f, field, &text[..amp]);
        let after = &text[amp + 1..];
        let (name, rest) = after.split_once(';')?;
        push_text(f, field, named_entity(name)?);
        text = rest;
    }
    push_text(f, field, text);
    Some(())
}

/// The value of an attribute, unescaped leniently.
fn attribute(e: &BytesStart<'_>, name: &str) -> Option<String> {
    for attr in e.attributes().with_checks(false).flatten() {
        if attr.key.local_name().as_ref() == name {
            return Some(unescape_lenient(&attr.value));
        }
    }
    None
}

/// Resolves the five XML entities and character references; anything else,
/// a bare `&` included, stays as written.
fn unescape_lenient(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let resolved = rest.find(';').filter(|&end| end <= 12).and_then(|end| {
            let name = &rest[1..end];
            let c = match name.strip_prefix('#') {
                Some(num) => match num.strip_prefix('x').or_else(|| num.strip_prefix('X')) {
                    Some(hex) => u32::from_str_radix(hex, 16).ok().and_then(char::from_u32),
                    None => num.parse().ok().and_then(char::from_u32),
                },
                None => named_entity(name).and_then(|s| s.chars().next()),
            };
            c.map(|c| (c, end))
        });
        match resolved {
            Some((c, end)) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The first `Data` string of the `EventData` in an XML fragment, such as
/// the `<DataItem><EventData><Data>…</Data></EventData></DataItem>` string
/// of a Sentinel `Event` row. Entities are resolved as in an event; the
/// text is kept byte for byte (a request slice may start or end with a
/// space). `None` when the fragment has no such element or cannot be read
/// up to its end.
pub fn first_event_data(fragment: &str) -> Option<String> {
    let mut reader = Reader::from_str(fragment);
    let config = reader.config_mut();
    config.allow_dangling_amp = true;
    config.check_end_names = false;
    config.allow_unmatched_ends = true;

    let mut in_event_data = false;
    let mut data: Option<String> = None;
    loop {
        match reader.read_event().ok()? {
            Event::Start(e) => match e.local_name().as_ref() {
                "EventData" => in_event_data = true,
                "Data" if in_event_data => data = Some(String::new()),
                _ => {}
            },
            Event::Empty(e) if in_event_data && e.local_name().as_ref() == "Data" => {
                return Some(String::new());
            }
            Event::End(e) => match e.local_name().as_ref() {
                "Data" if data.is_some() => return data,
                "EventData" => in_event_data = false,
                _ => {}
            },
            Event::Text(t) => {
                if let Some(d) = data.as_mut() {
                    d.push_str(&t.into_inner());
                }
            }
            Event::CData(t) => {
                if let Some(d) = data.as_mut() {
                    d.push_str(&t.into_inner());
                }
            }
            Event::GeneralRef(r) => {
                if let Some(d) = data.as_mut() {
                    match r.resolve_char_ref() {
                        Ok(Some(c)) => d.push(c),
                        _ => match named_entity(&r) {
                            Some(t) => d.push_str(t),
                            None => {
                                d.push('&');
                                d.push_str(&r);
                                d.push(';');
                            }
                        },
                    }
                }
            }
            Event::Eof => return None,
            _ => {}
        }
    }
}

fn push_text(f: &mut EventFields, field: Field, s: &str) {
    let target = match field {
        Field::None => return,
        Field::EventId => &mut f.event_id,
        Field::RecordId => &mut f.record_id,
        Field::Channel => &mut f.channel,
        Field::Computer => &mut f.computer,
        Field::Data => match &mut f.data {
            Some(d) => d,
            None => return,
        },
        Field::Message => match &mut f.message {
            Some(m) => m,
            None => return,
        },
    };
    target.push_str(s);
}

fn named_entity(name: &str) -> Option<&'static str> {
    Some(match name {
        "amp" => "&",
        "lt" => "<",
        "gt" => ">",
        "quot" => "\"",
        "apos" => "'",
        _ => return None,
    })
}

/// Control characters other than tab, line feed and carriage return.
fn forbidden_in_xml10(b: u8) -> bool {
    b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')
}

/// Whether the text holds a character XML 1.0 forbids. Eight bytes are
/// tested at once for any byte below 0x20; only a word that has one (a tab
/// or a line break, usually) is looked at byte by byte.
fn has_forbidden_in_xml10(bytes: &[u8]) -> bool {
    const SPACES: u64 = 0x2020_2020_2020_2020;
    const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
    let mut words = bytes.chunks_exact(8);
    for word in words.by_ref() {
        let mut le = [0u8; 8];
        le.copy_from_slice(word);
        let x = u64::from_le_bytes(le);
        // Sets the high bit of every byte below 0x20 (and of no other
        // byte when there is none).
        if x.wrapping_sub(SPACES) & !x & HIGH_BITS != 0
            && word.iter().any(|&b| forbidden_in_xml10(b))
        {
            return true;
        }
    }
    words.remainder().iter().any(|&b| forbidden_in_xml10(b))
}

fn fields_to_item(mut origin: EventOrigin, mut f: EventFields) -> ReadItem {
    origin.record_id = f.record_id.trim().parse().ok();
    let event_id = f.event_id.trim().parse().ok();
    let time = f.time.as_deref().and_then(event_time);
    let payload = match (f.data.take(), f.message.take()) {
        (Some(d), _) if !d.is_empty() => Payload::Data(d),
        (_, Some(m)) if !m.is_empty() => Payload::Message(m),
        _ => Payload::Missing,
    };
    let non_empty = |s: String| {
        if s.trim().is_empty() {
            None
        } else {
            Some(s.trim().to_owned())
        }
    };
    let record = EventRecord {
        origin,
        event_id,
        provider: f.provider,
        channel: non_empty(f.channel),
        computer: non_empty(f.computer),
        time,
        payload,
    };
    f.repairs.sort_unstable();
    f.repairs.dedup();
    ReadItem::Event {
        record,
        repairs: f.repairs.into_iter().map(str::to_owned).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(xml: &str) -> Vec<ReadItem> {
        let mut items = Vec::new();
        let mut dec = match TextDecoder::new(xml.as_bytes()) {
            Ok(d) => d,
            Err(e) => panic!("{e}"),
        };
        let r = read_events(0, &mut dec, &mut |i| items.push(i));
        assert!(r.is_ok());
        items
    }

    const ONE: &str = "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>\
        <Provider Name='Microsoft.IdentityManagement.Service'/><EventID Qualifiers='0'>4121</EventID>\
        <TimeCreated SystemTime='2024-01-31T19:21:27.3751582Z'/><EventRecordID>160284</EventRecordID>\
        <Channel>Identity Manager Request Log</Channel><Computer>mim01.contoso.com</Computer></System>\
        <EventData><Data>{&quot;a&quot;:1}</Data></EventData></Event>";

    fn only_event(items: &[ReadItem]) -> &EventRecord {
        match items {
            [ReadItem::Event { record, .. }] => record,
            other => panic!("expected one event, got {}", other.len()),
        }
    }

    #[test]
    fn a_bare_event_without_root_is_read_with_its_system_fields() {
        let items = read(ONE);
        let e = only_event(&items);
        assert_eq!(e.event_id, Some(4121));
        assert_eq!(e.origin.record_id, Some(160284));
        assert_eq!(e.computer.as_deref(), Some("mim01.contoso.com"));
        assert_eq!(
            e.provider.as_deref(),
            Some("Microsoft.IdentityManagement.Service")
        );
        assert_eq!(e.payload, Payload::Data("{\"a\":1}".into()));
        let t = e.time.map(|t| t.instant().to_rfc3339());
        assert_eq!(t.as_deref(), Some("2024-01-31T19:21:27.375158200+00:00"));
    }

    #[test]
    fn events_inside_a_root_are_read_in_order() {
        let xml = format!(
            "<?xml version='1.0'?>\n<Events>\n{ONE}\n{}\n</Events>",
            ONE.replace("160284", "7")
        );
        let items = read(&xml);
        let ids: Vec<_> = items
            .iter()
            .filter_map(|i| match i {
                ReadItem::Event { record, .. } => record.origin.record_id,
                _ => None,
            })
            .collect();
        assert_eq!(ids, vec![160284, 7]);
    }

    #[test]
    fn a_bare_ampersand_and_a_control_character_are_kept_with_a_repair_note() {
        let xml = ONE.replace("{&quot;a&quot;:1}", "a & b\u{1}c");
        let items = read(&xml);
        match &items[..] {
            [ReadItem::Event { record, repairs }] => {
                assert_eq!(record.payload, Payload::Data("a & b\u{1}c".into()));
                assert_eq!(repairs.len(), 2);
            }
            _ => panic!("expected one event"),
        }
    }

    #[test]
    fn a_control_character_is_found_anywhere_in_a_long_text() {
        let clean = "tab\tline\nreturn\r ".repeat(10);
        assert!(!has_forbidden_in_xml10(clean.as_bytes()));
        for at in [0, 31, 32, 63, 64, clean.len() - 1] {
            let mut bytes = clean.clone().into_bytes();
            bytes[at] = 0x1f;
            assert!(has_forbidden_in_xml10(&bytes), "missed at {at}");
        }
    }

    /// The plain reader's answer, checked against the general parser's.
    fn plain_and_general(xml: &str) -> Option<ReadItem> {
        let origin = EventOrigin {
            file: 0,
            offset: 0,
            record_id: None,
        };
        let plain = scan_plain_event(xml).map(|f| fields_to_item(origin.clone(), f));
        if let Some(item) = &plain {
            assert_eq!(item, &parse_event_generally(origin, xml), "{xml}");
        }
        plain
    }

    #[test]
    fn plainly_written_events_read_the_same_without_the_general_parser() {
        let with_rendering = ONE.replace(
            "</EventData>",
            "</EventData><RenderingInfo Culture=\"en-US\"><Message>m &amp; n</Message>\
             <Channel>Rendered</Channel><Provider>Rendered</Provider></RenderingInfo>",
        );
        let cases = [
            ONE.to_owned(),
            with_rendering,
            ONE.replace("{&quot;a&quot;:1}", "&lt;&gt;&amp;&apos;&quot;"),
            ONE.replace("{&quot;a&quot;:1}", "line\r\n\tnext \u{1}\u{1f} é ✓"),
            ONE.replace(
                "<Data>{&quot;a&quot;:1}</Data>",
                "<Data/><Data>second</Data>",
            ),
            ONE.replace(
                "<Data>{&quot;a&quot;:1}</Data>",
                "<Data Name='x'>a<b>inner</b>c</Data>",
            ),
            ONE.replace(
                "<EventData><Data>{&quot;a&quot;:1}</Data></EventData>",
                "<EventData/>",
            ),
            ONE.replace(
                "<EventData><Data>{&quot;a&quot;:1}</Data></EventData>",
                "<RenderingInfo><Message>only the message</Message></RenderingInfo>",
            ),
            ONE.replace(
                "Name='Microsoft.IdentityManagement.Service'",
                "Guid=\"{1}\" Name=\"A &amp; B\"",
            ),
            ONE.replace(
                "<EventRecordID>160284</EventRecordID>",
                "<EventRecordID> 7 </EventRecordID>",
            ),
            ONE.replace("xmlns='", "a='1' xmlns:x='2' x:b='3' xmlns='"),
        ];
        for xml in &cases {
            assert!(plain_and_general(xml).is_some(), "not read plainly: {xml}");
        }
    }

    #[test]
    fn anything_unusual_is_left_to_the_general_parser() {
        const DATA: &str = "{&quot;a&quot;:1}";
        let edits = [
            (DATA, "<![CDATA[x]]>"),
            (DATA, "<!-- c -->x"),
            (DATA, "&#65;"),
            (DATA, "a & b"),
            (DATA, "&xxe;"),
            ("</Data>", "</Dat>"),
            ("</Data></EventData>", "</EventData>"),
            ("<System>", "<e:System>"),
            ("Name='Microsoft", "Name = 'Microsoft"),
            ("Qualifiers='0'", "Qualifiers=0"),
            ("Qualifiers='0'", "Qualifiers='0'x='1'"),
            ("Qualifiers='0'", "Qualifiers='<0'"),
            ("</Event>", "</Event"),
        ];
        let cases = edits.map(|(from, to)| ONE.replace(from, to));
        for xml in &cases {
            assert!(plain_and_general(xml).is_none(), "read plainly: {xml}");
        }
    }

    #[test]
    fn an_unknown_entity_is_not_expanded() {
        let xml = ONE.replace("{&quot;a&quot;:1}", "&xxe;");
        let items = read(&xml);
        assert_eq!(only_event(&items).payload, Payload::Data("&xxe;".into()));
    }

    #[test]
    fn a_truncated_last_event_is_unreadable_and_earlier_ones_survive() {
        let xml = format!("<Events>{ONE}{}", &ONE[..200]);
        let items = read(&xml);
        assert_eq!(items.len(), 2);
        assert!(matches!(items[0], ReadItem::Event { .. }));
        assert!(matches!(items[1], ReadItem::Unreadable(_)));
    }

    #[test]
    fn an_event_cut_short_by_the_next_one_is_reported_and_the_next_is_read() {
        let xml = format!("<Events>{}{ONE}</Events>", &ONE[..150]);
        let items = read(&xml);
        assert_eq!(items.len(), 2);
        assert!(matches!(items[0], ReadItem::Unreadable(_)));
        assert_eq!(only_event(&items[1..]).origin.record_id, Some(160284));
    }

    fn notes(items: &[ReadItem]) -> Vec<(Option<u64>, &str)> {
        items
            .iter()
            .filter_map(|i| match i {
                ReadItem::Note(d) => Some((d.offset, d.message.as_str())),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn elements_not_taken_for_events_are_counted_in_one_note() {
        let second = ONE.replace("160284", "7");
        let xml =
            format!("<Events>{ONE}\n<evt:Event>x</evt:Event>\n{second}<EVENT>y</EVENT>\n</Events>");
        let items = read(&xml);

        assert_eq!(
            items
                .iter()
                .filter(|i| matches!(i, ReadItem::Event { .. }))
                .count(),
            2
        );
        // `<evt:Event>x</evt:Event>` and `<EVENT>y</EVENT>`: 24 and 16.
        let first = "<Events>".len() + ONE.len() + 1;
        let msg = format!(
            "40 character(s) outside any `<Event>` element were not read (first at byte \
             {first}: `<evt:Event>x</evt:Event>`); only elements named `Event`, without a \
             prefix, are read as events"
        );
        assert_eq!(notes(&items), vec![(Some(first as u64), msg.as_str())]);
        assert!(matches!(items.last(), Some(ReadItem::Note(d)) if d.severity == Severity::Warning));
    }

    #[test]
    fn the_markup_around_events_is_expected_there() {
        let xml = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\r\n<!-- saved -- by hand -->\r\n\
             <!DOCTYPE Events [<!ENTITY a 'b>'>]>\r\n<?xml-stylesheet href='e.xsl'?>\
             <Events xmlns='x'>\r\n{ONE}\r\n</Events>\r\n\u{feff}<?xml version='1.0'?>\
             <Events>\t{ONE}</Events >\n<Events/>"
        );
        let items = read(&xml);
        assert_eq!(items.len(), 2, "{:?}", notes(&items));
    }

    #[test]
    fn markup_left_open_before_an_event_was_no_markup() {
        let xml = format!("<Events><!-- é {ONE}</Events>");
        let items = read(&xml);
        let msg = "5 character(s) outside any `<Event>` element were not read (first at byte \
                   8: `<!-- é`); only elements named `Event`, without a prefix, are read as \
                   events";
        assert_eq!(notes(&items), vec![(Some(8), msg)]);
    }

    #[test]
    fn text_outside_events_counts_the_same_wherever_the_reads_cut_it() {
        let gap = "<?xml version='1.0'?>\r\n<!-- a -- b --->\u{feff}<!DOCTYPE E [<!x '>'>]>\
                   <Events\n a='1'>zé<Eventsx><!- <EVENT></Events>";
        // `zé`, `<Eventsx>`, `<!-` and ` <EVENT>`, white space aside.
        let stray = 2 + 9 + 3 + 7;
        for cut in 0..=gap.len() {
            let mut outside = OutsideEvents::default();
            let bytes = gap.as_bytes();
            let read = outside.read(&bytes[..cut], 0, false, &|d| d);
            outside.read(&bytes[read..], read as u64, true, &|d| d);
            assert_eq!(outside.stray_chars, stray, "cut at {cut}");
            assert_eq!(
                outside.first_stray.map(|(at, _)| at),
                gap.find("zé").map(|at| at as u64),
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn markup_cut_between_two_reads_is_still_markup() {
        // The reader takes the text a mebibyte at a time: the document type
        // is placed across that cut, at every byte of its opening.
        for before in READ_CHUNK - 24..READ_CHUNK {
            let xml = format!("{}<!DOCTYPE E>{ONE}", " ".repeat(before));
            let items = read(&xml);
            assert_eq!(notes(&items), vec![], "document type at {before}");
        }
    }

    #[test]
    fn attribute_values_are_unescaped_leniently() {
        assert_eq!(
            unescape_lenient("Tom &amp; Jerry &#x41;&#66; & more &bogus;"),
            "Tom & Jerry AB & more &bogus;"
        );
    }

    #[test]
    fn rendering_info_does_not_override_the_system_fields() {
        let xml = ONE.replace(
            "</EventData>",
            "</EventData><RenderingInfo Culture='en-US'><Message>m</Message><Channel>Rendered</Channel>\
             <Provider>Rendered provider</Provider></RenderingInfo>",
        );
        let items = read(&xml);
        let e = only_event(&items);
        assert_eq!(
            e.provider.as_deref(),
            Some("Microsoft.IdentityManagement.Service")
        );
        assert_eq!(e.channel.as_deref(), Some("Identity Manager Request Log"));
        assert_eq!(e.payload, Payload::Data("{\"a\":1}".into()));
    }

    #[test]
    fn message_is_the_payload_when_data_is_absent() {
        let xml = ONE.replace(
            "<EventData><Data>{&quot;a&quot;:1}</Data></EventData>",
            "<RenderingInfo Culture='en-US'><Message>hello</Message></RenderingInfo>",
        );
        let items = read(&xml);
        assert_eq!(only_event(&items).payload, Payload::Message("hello".into()));
    }
}
