//! A file over 4 GiB: read to its end, with the byte offset of an event past
//! the 32-bit limit exact. The file is made on the fly (an event, gigabytes
//! of blank lines, another event), so nothing is written to disk.
//!
//! Ignored in the debug build, where it would take minutes; `scripts/test.sh`
//! runs it in release (`cargo test --release --test big_file -- --ignored`).

// It reads fixtures from disk: native only.
#![cfg(not(target_arch = "wasm32"))]

use std::io::Read;
use std::path::Path;

use mim_reports::Analysis;

/// Bytes of blank lines between the two events: past 4 GiB.
const FILLER: u64 = (1 << 32) + 123_456_789;

/// `head`, then `FILLER` bytes of `\n`, then `tail`.
struct Padded {
    head: Vec<u8>,
    tail: Vec<u8>,
    pos: u64,
}

impl Read for Padded {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let head = self.head.len() as u64;
        let end_of_filler = head + FILLER;
        let total = end_of_filler + self.tail.len() as u64;
        if self.pos >= total {
            return Ok(0);
        }
        let n = if self.pos < head {
            let from = &self.head[self.pos as usize..];
            let n = from.len().min(buf.len());
            buf[..n].copy_from_slice(&from[..n]);
            n
        } else if self.pos < end_of_filler {
            let n = ((end_of_filler - self.pos) as usize).min(buf.len());
            buf[..n].fill(b'\n');
            n
        } else {
            let from = &self.tail[(self.pos - end_of_filler) as usize..];
            let n = from.len().min(buf.len());
            buf[..n].copy_from_slice(&from[..n]);
            n
        };
        self.pos += n as u64;
        Ok(n)
    }
}

/// The first two events of the basic wevtutil fixture, one a line.
fn two_events() -> (Vec<u8>, Vec<u8>) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/basic/wevtutil.xml");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{e}"));
    let mut events = text.split_inclusive("</Event>");
    let first = events.next().unwrap_or_default().trim().to_owned();
    let second = events.next().unwrap_or_default().trim().to_owned();
    assert!(first.starts_with("<Event") && second.starts_with("<Event"));
    (first.into_bytes(), second.into_bytes())
}

#[test]
#[ignore = "reads 4.4 GB; run in release"]
fn a_file_past_4_gib_is_read_to_its_end_with_exact_offsets() {
    let (head, tail) = two_events();
    let head_len = head.len() as u64;
    let size = head_len + FILLER + tail.len() as u64;
    let source = Padded { head, tail, pos: 0 };

    let mut analysis = Analysis::new();
    analysis.read_file("big.xml", Some(size), source);
    let reports = analysis.reports();
    assert_eq!(reports.counts.events_read, 2);
    assert_eq!(reports.counts.accounted(), 2);

    let ledger = analysis.final_ledger();
    assert_eq!(ledger.files[0].bytes_read, size);
    // The second event starts right after the blank lines, past 2^32.
    let json = serde_json::to_value(&reports).unwrap_or_default();
    let mut offsets = Vec::new();
    offsets_in(&json, &mut offsets);
    offsets.sort_unstable();
    assert_eq!(offsets, [0, head_len + FILLER]);
}

/// Every `offset` of the sources of rows in a JSON tree.
fn offsets_in(v: &serde_json::Value, out: &mut Vec<u64>) {
    match v {
        serde_json::Value::Object(map) => {
            if let (Some(offset), Some(_)) = (map.get("offset"), map.get("file")) {
                out.extend(offset.as_u64());
            }
            map.values().for_each(|v| offsets_in(v, out));
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| offsets_in(v, out)),
        _ => {}
    }
}
