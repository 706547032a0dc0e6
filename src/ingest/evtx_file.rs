//! Reader for binary `.evtx` logs, the format Event Viewer saves by default.
//!
//! The file is read as a stream: the 4 KiB file header, then one 64 KiB
//! chunk at a time, each decoded on its own by the `evtx` crate, so no more
//! than one chunk is held. A chunk whose magic is wrong, and a record the
//! crate cannot decode (one of size zero, say), cost one diagnostic each and
//! the rest of the file is still read; a chunk whose checksums are wrong is
//! read with a warning. Chunks are read in file order, which for a log that
//! has wrapped around is not record order; reassembly does not depend on it.

use std::error::Error;
use std::io::{self, Read};
use std::sync::Arc;

use evtx::{EvtxChunkData, EvtxFileHeader, ParserSettings};

use crate::event::{EventOrigin, FileIndex};
use crate::ingest::ReadItem;
use crate::ingest::json::evtx_json_event;
use crate::ledger::{Diagnostic, Severity};

/// Size of the file header that precedes the first chunk.
pub const FILE_HEADER_BYTES: usize = 4096;

/// Size of one chunk.
pub const CHUNK_BYTES: usize = 64 * 1024;

/// Size of a record's header, before its BinXML.
const RECORD_HEADER_BYTES: u64 = 24;

/// The magic that opens an EVTX file.
pub const FILE_MAGIC: &[u8; 8] = b"ElfFile\0";

/// Reads every chunk of an EVTX file from `source` and hands each record,
/// mapped to an event, or the damage met, to `sink`.
///
/// Fails only when reading `source` fails; the records read before are
/// already in `sink` then.
pub fn read_events<R: Read>(
    file: FileIndex,
    mut source: R,
    sink: &mut dyn FnMut(ReadItem),
) -> io::Result<()> {
    let note = |sink: &mut dyn FnMut(ReadItem), at: u64, msg: String| {
        sink(ReadItem::Note(Diagnostic::in_file(
            Severity::Error,
            file,
            Some(at),
            msg,
        )))
    };

    let mut header = vec![0u8; FILE_HEADER_BYTES];
    let n = read_full(&mut source, &mut header)?;
    if n < FILE_HEADER_BYTES {
        let msg = format!(
            "the EVTX file header is cut short ({n} of {FILE_HEADER_BYTES} bytes); \
             the file holds no chunk to read"
        );
        note(sink, 0, msg);
        return Ok(());
    }
    // A damaged header does not stop the reading: every chunk carries its
    // own magic and checksums.
    if let Err(e) = EvtxFileHeader::from_bytes(&header) {
        let msg = format!(
            "the EVTX file header could not be read ({}); the chunks are read anyway",
            error_chain(&e)
        );
        note(sink, 0, msg);
    }

    let settings = Arc::new(ParserSettings::new());
    let mut number = 0u64;
    loop {
        let offset = FILE_HEADER_BYTES as u64 + number * CHUNK_BYTES as u64;
        let mut data = vec![0u8; CHUNK_BYTES];
        let n = read_full(&mut source, &mut data)?;
        if n == 0 {
            break;
        }
        let blank = data[..n].iter().all(|b| *b == 0);
        if n < CHUNK_BYTES {
            if !blank {
                let msg = format!(
                    "the last chunk (number {number}) is cut short ({n} of {CHUNK_BYTES} \
                     bytes; truncated file?); its records were not read"
                );
                note(sink, offset, msg);
            }
            break;
        }
        // A dirty or preallocated file can have empty chunks, even in the
        // middle: they hold nothing and are not damage.
        if !blank {
            read_chunk(file, number, offset, data, &settings, sink);
        }
        number += 1;
    }
    Ok(())
}

/// Decodes the one chunk `data` (of [`CHUNK_BYTES`]) that starts at byte
/// `offset` of its file and hands on its records, as [`read_events`] does
/// for every chunk: for reading one record again from its chunk.
pub fn read_one_chunk(file: FileIndex, offset: u64, data: Vec<u8>, sink: &mut dyn FnMut(ReadItem)) {
    let number = offset.saturating_sub(FILE_HEADER_BYTES as u64) / CHUNK_BYTES as u64;
    let settings = Arc::new(ParserSettings::new());
    read_chunk(file, number, offset, data, &settings, sink);
}

/// The start of the chunk holding the byte at `offset` (past the header).
pub fn chunk_start(offset: u64) -> u64 {
    let header = FILE_HEADER_BYTES as u64;
    let chunk = CHUNK_BYTES as u64;
    header + offset.saturating_sub(header) / chunk * chunk
}

/// Decodes one chunk and hands on its records.
fn read_chunk(
    file: FileIndex,
    number: u64,
    offset: u64,
    data: Vec<u8>,
    settings: &Arc<ParserSettings>,
    sink: &mut dyn FnMut(ReadItem),
) {
    let skipped = |sink: &mut dyn FnMut(ReadItem), why: String| {
        let msg = format!("chunk {number} could not be read ({why}); its records were skipped");
        sink(ReadItem::Note(Diagnostic::in_file(
            Severity::Error,
            file,
            Some(offset),
            msg,
        )))
    };
    // The magic is checked here; the checksums below.
    let mut chunk_data = match EvtxChunkData::new(data, false) {
        Ok(c) => c,
        Err(e) => return skipped(sink, error_chain(&e)),
    };
    // A checksum that does not match often means only a chunk that was
    // being written when the log was copied: Windows and evtx_dump read its
    // records all the same, so it is read, with a warning, and any record
    // that is really damaged is reported on its own.
    if !chunk_data.validate_header_checksum() || !chunk_data.validate_data_checksum() {
        let msg = format!(
            "chunk {number}'s checksum does not match its content; its records were read \
             anyway and may be damaged"
        );
        sink(ReadItem::Note(Diagnostic::in_file(
            Severity::Warning,
            file,
            Some(offset),
            msg,
        )));
    }
    let mut chunk = match chunk_data.parse(Arc::clone(settings)) {
        Ok(c) => c,
        Err(e) => return skipped(sink, error_chain(&e)),
    };
    for record in chunk.iter() {
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                // The crate resynchronises on the next record after this.
                // The record is there but unreadable: it counts as an event
                // read, in the unreadable bucket.
                let msg = format!(
                    "a record of chunk {number} could not be read ({}); skipped",
                    error_chain(&e)
                );
                sink(ReadItem::Unreadable(Diagnostic::in_file(
                    Severity::Error,
                    file,
                    Some(offset),
                    msg,
                )));
                continue;
            }
        };
        let origin = EventOrigin {
            file,
            offset: offset + record.binxml_offset.saturating_sub(RECORD_HEADER_BYTES),
            record_id: Some(record.event_record_id),
        };
        let item = match record.into_json_value() {
            Ok(rendered) => {
                let event = rendered.data.get("Event").unwrap_or(&rendered.data);
                ReadItem::Event {
                    record: evtx_json_event(origin, event),
                    repairs: Vec::new(),
                }
            }
            Err(e) => {
                let msg = format!(
                    "record {} could not be decoded ({}); skipped",
                    origin.record_id.unwrap_or_default(),
                    error_chain(&e)
                );
                ReadItem::Unreadable(Diagnostic::at(Severity::Error, &origin, msg))
            }
        };
        sink(item);
    }
}

/// An error and its causes, as one line (the crate's outer messages are
/// general; the causes say what was wrong).
fn error_chain(e: &dyn Error) -> String {
    let mut text = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        text.push_str(": ");
        text.push_str(&c.to_string());
        cause = c.source();
    }
    text
}

/// Reads until `buf` is full or the source ends; returns the bytes read.
fn read_full<R: Read>(source: &mut R, buf: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match source.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}
