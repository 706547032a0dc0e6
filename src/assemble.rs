//! Reassembly of requests from events: a 4121 carries a whole request; a
//! request too large for one event is cut into 4137 slices, each headed
//! `Request '<GUID>', message N out of M: ` (or the documentation's variant
//! `Request: <GUID> , message N out of M`) and a newline. Slices may come in
//! any order, from different files, twice, or never.
//!
//! The [`Reassembler`] also drops duplicates: the same event read twice (same
//! computer, event source and record id; the log's name stands in for a
//! missing source) or the same slice text read twice (overlapping exports, or
//! formats without record ids).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};

use xxhash_rust::xxh3::Xxh3;

use crate::event::{
    EventOrigin, EventRecord, EventTime, Payload, REQUEST_LOG_PROVIDER, REQUEST_SLICE_EVENT_ID,
};
use crate::ledger::{Diagnostic, Severity};

/// A request announcing more slices than this is refused: a real request is a
/// few dozen slices at most, and the count sizes nothing but a check.
pub const MAX_SLICES: u32 = 100_000;

/// The header of one 4137 slice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SliceHeader {
    /// The request GUID, lower case.
    pub request_id: String,
    /// This slice's number, from 1.
    pub number: u32,
    /// How many slices the request has.
    pub total: u32,
}

/// One slice of a large request, waiting for its siblings.
#[derive(Clone, Debug, PartialEq)]
pub struct RequestSlice {
    /// Its header.
    pub header: SliceHeader,
    /// The slice's text after the header, exactly as written.
    pub text: String,
    /// The event it came from.
    pub origin: EventOrigin,
    /// The event's time.
    pub time: Option<EventTime>,
}

/// A request's JSON text made whole, with the events it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct AssembledRequest {
    /// The JSON text of the request.
    pub text: String,
    /// The events that carried it, in slice order (one for a 4121).
    pub origins: Vec<EventOrigin>,
    /// The time of its first event.
    pub event_time: Option<EventTime>,
    /// The GUID from the slice headers (for a 4121, read from the JSON later).
    pub request_id: Option<String>,
}

/// What became of one event given to the [`Reassembler`].
#[derive(Clone, Debug, PartialEq)]
pub enum Assembly {
    /// A request is complete (a 4121, or the last missing slice).
    Complete(AssembledRequest),
    /// A slice was kept until its siblings come.
    Waiting,
    /// The event was read before.
    Duplicate,
    /// The event is not from the request log.
    NotRequestLog,
    /// The event is from the request log but cannot be used.
    Unreadable(Diagnostic),
}

/// A request whose slices did not all come.
#[derive(Clone, Debug, PartialEq)]
pub struct IncompleteRequest {
    /// The request GUID.
    pub request_id: String,
    /// How many slices it announced.
    pub total: u32,
    /// The slice numbers present.
    pub present: Vec<u32>,
    /// The slice numbers missing.
    pub missing: Vec<u32>,
    /// The slices present, in order, with their text.
    pub slices: Vec<RequestSlice>,
}

/// Slices of one request received so far.
#[derive(Debug, Default)]
struct Pending {
    total: u32,
    slices: BTreeMap<u32, RequestSlice>,
}

/// Puts requests together from events and drops duplicates.
#[derive(Debug, Default)]
pub struct Reassembler {
    /// (computer and log, record id) of every event seen with a record id.
    seen_records: HashSet<(u64, u64)>,
    /// Fingerprints of every request text and slice text seen.
    seen_texts: HashSet<u128>,
    pending: HashMap<String, Pending>,
}

impl Reassembler {
    /// A reassembler that has seen nothing.
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes one event and says what became of it.
    pub fn accept(&mut self, event: EventRecord) -> Assembly {
        if let Some(record_id) = event.origin.record_id {
            let key = (log_key(&event), record_id);
            if !self.seen_records.insert(key) {
                return Assembly::Duplicate;
            }
        }
        if !event.is_request_log() {
            return Assembly::NotRequestLog;
        }
        let from_message = matches!(event.payload, Payload::Message(_));
        let EventRecord {
            origin,
            event_id,
            time,
            payload,
            ..
        } = event;
        let Some(text) = payload.text() else {
            let d = Diagnostic::at(
                Severity::Error,
                &origin,
                "the event carries no text; skipped",
            )
            .with_event_id(event_id);
            return Assembly::Unreadable(d);
        };

        if event_id == Some(REQUEST_SLICE_EVENT_ID) {
            return self.accept_slice(origin, time, text, from_message);
        }

        // A whole request: the JSON starts at the first brace (a rendered
        // message may carry a preamble before it).
        let Some(start) = text.find('{') else {
            let d = Diagnostic::at(
                Severity::Error,
                &origin,
                "the request event holds no JSON; skipped",
            )
            .with_event_id(event_id);
            return Assembly::Unreadable(d);
        };
        let end = text.trim_end().len();
        if !self
            .seen_texts
            .insert(fingerprint(&[b"4121", &text.as_bytes()[start..end]]))
        {
            return Assembly::Duplicate;
        }
        // The event's own string becomes the request text when nothing has
        // to be cut from it, which is the usual case: no copy.
        let body = match payload {
            Payload::Data(mut s) | Payload::Message(mut s) if start == 0 => {
                s.truncate(end);
                s
            }
            _ => text[start..end].to_owned(),
        };
        Assembly::Complete(AssembledRequest {
            text: body,
            origins: vec![origin],
            event_time: time,
            request_id: None,
        })
    }

    fn accept_slice(
        &mut self,
        origin: EventOrigin,
        time: Option<EventTime>,
        text: &str,
        from_message: bool,
    ) -> Assembly {
        let parsed = if from_message {
            find_slice_header(text)
        } else {
            parse_slice_header(text)
        };
        let Some((header, body)) = parsed else {
            let d = Diagnostic::at(
                Severity::Error,
                &origin,
                "a request slice (event 4137) has no readable `Request '<GUID>', message N out of M` header; skipped",
            )
            .with_event_id(Some(REQUEST_SLICE_EVENT_ID));
            return Assembly::Unreadable(d);
        };
        let id = header.request_id.clone();
        let key = fingerprint(&[id.as_bytes(), &header.number.to_le_bytes(), body.as_bytes()]);
        if !self.seen_texts.insert(key) {
            return Assembly::Duplicate;
        }

        let pending = self.pending.entry(id.clone()).or_insert_with(|| Pending {
            total: header.total,
            slices: BTreeMap::new(),
        });
        if pending.total != header.total {
            let msg = format!(
                "slice {} of request {id} announces {} slices where an earlier slice announced {}; skipped",
                header.number, header.total, pending.total
            );
            let d = Diagnostic::at(Severity::Error, &origin, msg)
                .with_event_id(Some(REQUEST_SLICE_EVENT_ID))
                .with_request(id);
            return Assembly::Unreadable(d);
        }
        if pending.slices.contains_key(&header.number) {
            let msg = format!(
                "a second, different text for slice {} of request {id}; the first was kept",
                header.number
            );
            let d = Diagnostic::at(Severity::Error, &origin, msg)
                .with_event_id(Some(REQUEST_SLICE_EVENT_ID))
                .with_request(id);
            return Assembly::Unreadable(d);
        }
        let number = header.number;
        pending.slices.insert(
            number,
            RequestSlice {
                header,
                text: body.to_owned(),
                origin,
                time,
            },
        );
        if pending.slices.len() < pending.total as usize {
            return Assembly::Waiting;
        }

        // Every slice is here: join them byte for byte, in order.
        let Some(done) = self.pending.remove(&id) else {
            return Assembly::Waiting;
        };
        let mut text = String::with_capacity(done.slices.values().map(|s| s.text.len()).sum());
        let mut origins = Vec::with_capacity(done.slices.len());
        let mut event_time = None;
        for slice in done.slices.into_values() {
            text.push_str(&slice.text);
            event_time = event_time.or(slice.time);
            origins.push(slice.origin);
        }
        Assembly::Complete(AssembledRequest {
            text,
            origins,
            event_time,
            request_id: Some(id),
        })
    }

    /// The requests still waiting for slices; at the end of a load, these
    /// are the incomplete ones.
    pub fn incomplete(&self) -> Vec<IncompleteRequest> {
        let mut out: Vec<IncompleteRequest> = self
            .pending
            .iter()
            .map(|(id, p)| {
                let present: Vec<u32> = p.slices.keys().copied().collect();
                // List at most a thousand missing numbers: a hostile header
                // can announce a hundred thousand.
                let missing: Vec<u32> = (1..=p.total)
                    .filter(|n| !p.slices.contains_key(n))
                    .take(1000)
                    .collect();
                IncompleteRequest {
                    request_id: id.clone(),
                    total: p.total,
                    present,
                    missing,
                    slices: p.slices.values().cloned().collect(),
                }
            })
            .collect();
        out.sort_by(|a, b| a.request_id.cmp(&b.request_id));
        out
    }

    /// How many slices wait, and in which files (for the accounting).
    pub fn waiting_origins(&self) -> impl Iterator<Item = &EventOrigin> {
        self.pending
            .values()
            .flat_map(|p| p.slices.values().map(|s| &s.origin))
    }
}

/// The log an event belongs to, with its computer, for record-id matching.
/// Record ids count per log, so the log is part of the key. The event's
/// source stands for its log: every export names the source (Get-EventLog
/// names no log), and a source writes to one log. The request log is named
/// the same whatever the export called it.
fn log_key(event: &EventRecord) -> u64 {
    let mut h = DefaultHasher::new();
    let computer = event.computer.as_deref().unwrap_or("").to_ascii_lowercase();
    computer.hash(&mut h);
    let log = if event.is_request_log()
        || event
            .provider
            .as_deref()
            .is_some_and(|p| p.eq_ignore_ascii_case(REQUEST_LOG_PROVIDER))
    {
        "\u{1}request-log".to_owned()
    } else {
        event
            .provider
            .as_deref()
            .or(event.channel.as_deref())
            .unwrap_or("")
            .to_ascii_lowercase()
    };
    log.hash(&mut h);
    h.finish()
}

/// A 128-bit fingerprint of some byte strings (XXH3, one pass over the
/// bytes), so that two different texts are never taken for one. Each part is
/// preceded by its length, so parts cannot run into one another.
fn fingerprint(parts: &[&[u8]]) -> u128 {
    let mut h = Xxh3::new();
    for p in parts {
        h.update(&(p.len() as u64).to_le_bytes());
        h.update(p);
    }
    h.digest128()
}

/// Parses a slice header at the very start of `text`; returns it and the
/// slice's text after the header's line break.
pub fn parse_slice_header(text: &str) -> Option<(SliceHeader, &str)> {
    let mut s = Cursor(text);
    s.word("Request")?;
    s.skip_spaces();
    s.opt(':');
    s.skip_spaces();
    let quoted = s.opt('\'');
    let guid = s.guid()?;
    if quoted {
        s.opt('\'');
    }
    s.skip_spaces();
    s.opt(',');
    s.skip_spaces();
    s.word("message")?;
    s.skip_spaces();
    let number = s.number()?;
    s.skip_spaces();
    s.word("out")?;
    s.skip_spaces();
    s.word("of")?;
    s.skip_spaces();
    let total = s.number()?;
    s.skip_spaces();
    s.opt(':');
    s.skip_spaces();
    // The line break ends the header; a header without one is still taken.
    if !s.opt_str("\r\n") {
        s.opt('\n');
    }
    if number == 0 || total == 0 || number > total || total > MAX_SLICES {
        return None;
    }
    Some((
        SliceHeader {
            request_id: guid,
            number,
            total,
        },
        s.0,
    ))
}

/// Finds a slice header anywhere in a rendered message (it may follow an
/// Event Viewer preamble) and parses it.
pub fn find_slice_header(text: &str) -> Option<(SliceHeader, &str)> {
    let mut from = 0;
    while let Some(i) = text[from..].find("Request") {
        let at = from + i;
        if let Some(found) = parse_slice_header(&text[at..]) {
            return Some(found);
        }
        from = at + "Request".len();
    }
    None
}

/// A tiny forward-only scanner over a header.
struct Cursor<'a>(&'a str);

impl<'a> Cursor<'a> {
    fn word(&mut self, w: &str) -> Option<()> {
        let head = self.0.get(..w.len())?;
        if head.eq_ignore_ascii_case(w) {
            self.0 = &self.0[w.len()..];
            Some(())
        } else {
            None
        }
    }

    fn opt(&mut self, c: char) -> bool {
        match self.0.strip_prefix(c) {
            Some(rest) => {
                self.0 = rest;
                true
            }
            None => false,
        }
    }

    fn opt_str(&mut self, p: &str) -> bool {
        match self.0.strip_prefix(p) {
            Some(rest) => {
                self.0 = rest;
                true
            }
            None => false,
        }
    }

    fn skip_spaces(&mut self) {
        self.0 = self.0.trim_start_matches([' ', '\t']);
    }

    fn number(&mut self) -> Option<u32> {
        let end = self
            .0
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(self.0.len());
        let n = self.0[..end].parse().ok()?;
        self.0 = &self.0[end..];
        Some(n)
    }

    fn guid(&mut self) -> Option<String> {
        let braced = self.opt('{');
        let g = self.0.get(..36)?;
        let shape_ok = g.char_indices().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => c == '-',
            _ => c.is_ascii_hexdigit(),
        });
        if !shape_ok {
            return None;
        }
        self.0 = &self.0[36..];
        if braced {
            self.opt('}');
        }
        Some(g.to_ascii_lowercase())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{REQUEST_LOG_CHANNEL, WHOLE_REQUEST_EVENT_ID};

    const GUID: &str = "516073C4-D3BE-40E9-9988-240E4E1D6EF7";

    fn event(id: u32, record: Option<u64>, text: &str) -> EventRecord {
        EventRecord {
            origin: EventOrigin {
                file: 0,
                offset: 0,
                record_id: record,
            },
            event_id: Some(id),
            provider: Some(REQUEST_LOG_PROVIDER.into()),
            channel: Some(REQUEST_LOG_CHANNEL.into()),
            computer: Some("mim01".into()),
            time: None,
            payload: Payload::Data(text.into()),
        }
    }

    fn slice(n: u32, m: u32, body: &str) -> String {
        format!("Request '{GUID}', message {n} out of {m}: \n{body}")
    }

    #[test]
    fn the_three_header_spellings_are_read() {
        let std = parse_slice_header(
            "Request 'ABCDEF01-2345-6789-abcd-ef0123456789', message 2 out of 3: \n{x",
        );
        let docs = parse_slice_header(
            "Request: abcdef01-2345-6789-abcd-ef0123456789 , message 2 out of 3\n{x",
        );
        let plain = parse_slice_header(
            "Request 'abcdef01-2345-6789-abcd-ef0123456789', message 2 out of 3:\r\n{x",
        );
        for parsed in [std, docs, plain] {
            let (h, rest) = match parsed {
                Some(p) => p,
                None => panic!("header not read"),
            };
            assert_eq!(h.request_id, "abcdef01-2345-6789-abcd-ef0123456789");
            assert_eq!((h.number, h.total), (2, 3));
            assert_eq!(rest, "{x");
        }
    }

    #[test]
    fn a_slice_keeps_its_leading_space() {
        let text = slice(2, 2, " tail");
        let (_, rest) = parse_slice_header(&text).unwrap_or_else(|| panic!("no header"));
        assert_eq!(rest, " tail");
    }

    #[test]
    fn a_header_after_an_event_viewer_preamble_is_found_in_a_message() {
        let msg = format!(
            "The description for Event ID 4137 ... Request was logged:\r\n\r\n{}",
            slice(1, 2, "{")
        );
        let (h, rest) = find_slice_header(&msg).unwrap_or_else(|| panic!("no header"));
        assert_eq!(h.number, 1);
        assert_eq!(rest, "{");
    }

    #[test]
    fn impossible_headers_are_refused() {
        assert!(parse_slice_header(&slice(3, 2, "x")).is_none());
        assert!(parse_slice_header(&slice(0, 2, "x")).is_none());
        assert!(parse_slice_header(&slice(1, MAX_SLICES + 1, "x")).is_none());
    }

    #[test]
    fn slices_out_of_order_are_joined_in_order_byte_for_byte() {
        let mut r = Reassembler::new();
        assert_eq!(
            r.accept(event(4137, Some(3), &slice(3, 3, "c\\"))),
            Assembly::Waiting
        );
        assert_eq!(
            r.accept(event(4137, Some(1), &slice(1, 3, "{\"a"))),
            Assembly::Waiting
        );
        match r.accept(event(4137, Some(2), &slice(2, 3, " b"))) {
            Assembly::Complete(req) => {
                assert_eq!(req.text, "{\"a bc\\");
                let ids: Vec<_> = req.origins.iter().map(|o| o.record_id).collect();
                assert_eq!(ids, vec![Some(1), Some(2), Some(3)]);
                assert_eq!(
                    req.request_id.as_deref(),
                    Some("516073c4-d3be-40e9-9988-240e4e1d6ef7")
                );
            }
            other => panic!("expected a complete request, got {other:?}"),
        }
        assert!(r.incomplete().is_empty());
    }

    #[test]
    fn the_same_record_twice_is_a_duplicate() {
        let mut r = Reassembler::new();
        assert!(matches!(
            r.accept(event(4121, Some(7), "{}")),
            Assembly::Complete(_)
        ));
        assert_eq!(r.accept(event(4121, Some(7), "{}")), Assembly::Duplicate);
    }

    #[test]
    fn the_same_request_text_without_record_ids_is_a_duplicate() {
        let mut r = Reassembler::new();
        assert!(matches!(
            r.accept(event(4121, None, "{\"x\":1}")),
            Assembly::Complete(_)
        ));
        assert_eq!(
            r.accept(event(4121, None, "{\"x\":1}\r\n")),
            Assembly::Duplicate
        );
    }

    #[test]
    fn a_missing_slice_leaves_the_request_incomplete_with_its_numbers() {
        let mut r = Reassembler::new();
        r.accept(event(4137, Some(1), &slice(1, 3, "a")));
        r.accept(event(4137, Some(3), &slice(3, 3, "c")));
        let inc = r.incomplete();
        assert_eq!(inc.len(), 1);
        assert_eq!(inc[0].present, vec![1, 3]);
        assert_eq!(inc[0].missing, vec![2]);
        assert_eq!(r.waiting_origins().count(), 2);
    }

    #[test]
    fn a_whole_request_from_another_source_is_not_a_request() {
        let mut r = Reassembler::new();
        let mut e = event(WHOLE_REQUEST_EVENT_ID, Some(1), "{}");
        e.provider = Some("Contoso.BackupAgent".into());
        e.channel = Some("Application".into());
        assert_eq!(r.accept(e), Assembly::NotRequestLog);
    }

    #[test]
    fn record_ids_of_different_logs_do_not_collide() {
        let mut r = Reassembler::new();
        let mut foreign = event(4625, Some(5), "x");
        foreign.provider = Some("Microsoft-Windows-Security-Auditing".into());
        foreign.channel = Some("Security".into());
        assert_eq!(r.accept(foreign), Assembly::NotRequestLog);
        assert!(matches!(
            r.accept(event(4121, Some(5), "{}")),
            Assembly::Complete(_)
        ));
    }

    #[test]
    fn a_preamble_before_a_whole_request_is_cut_at_the_first_brace() {
        let mut r = Reassembler::new();
        let mut e = event(4121, None, "");
        e.payload = Payload::Message(
            "The description for Event ID 4121 cannot be found.\r\n\r\n{\"a\":1}".into(),
        );
        match r.accept(e) {
            Assembly::Complete(req) => assert_eq!(req.text, "{\"a\":1}"),
            other => panic!("{other:?}"),
        }
    }

    /// Property tests fork processes, which wasm32 cannot: native only.
    #[cfg(not(target_arch = "wasm32"))]
    mod property {
        use super::*;
        use proptest::prelude::*;

        proptest! {
            /// Any text, cut anywhere into slices, delivered in any order with
            /// duplicates, comes back whole, exactly once.
            #[test]
            fn any_split_any_order_with_duplicates_reassembles_exactly(
                text in "[ -~\\\\\"é]{1,400}",
                cuts in proptest::collection::vec(0usize..400, 0..6),
                order_seed in any::<u64>(),
                dup_mask in any::<u16>(),
            ) {
                let chars: Vec<char> = text.chars().collect();
                let mut points: Vec<usize> = cuts.into_iter().map(|c| c % chars.len()).filter(|&c| c > 0).collect();
                points.sort_unstable();
                points.dedup();
                let mut pieces = Vec::new();
                let mut last = 0;
                for p in points.into_iter().chain(std::iter::once(chars.len())) {
                    pieces.push(chars[last..p].iter().collect::<String>());
                    last = p;
                }
                let m = pieces.len() as u32;
                let mut evs: Vec<String> = pieces.iter().enumerate().map(|(i, p)| slice(i as u32 + 1, m, p)).collect();
                for (i, p) in pieces.iter().enumerate() {
                    if dup_mask & (1 << (i % 16)) != 0 {
                        evs.push(slice(i as u32 + 1, m, p));
                    }
                }
                // A deterministic shuffle from the seed.
                let mut seed = order_seed;
                for i in (1..evs.len()).rev() {
                    seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                    evs.swap(i, (seed >> 33) as usize % (i + 1));
                }
                let mut r = Reassembler::new();
                let mut complete = Vec::new();
                let mut dups = 0;
                for e in evs.iter() {
                    match r.accept(event(4137, None, e)) {
                        Assembly::Complete(req) => complete.push(req.text),
                        Assembly::Duplicate => dups += 1,
                        Assembly::Waiting => {}
                        other => prop_assert!(false, "unexpected {:?}", other),
                    }
                }
                prop_assert_eq!(complete, vec![text.clone()]);
                prop_assert_eq!(dups, evs.len() - pieces.len());
                prop_assert!(r.incomplete().is_empty());
            }
        }
    }
}
