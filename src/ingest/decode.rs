//! Text decoding: turns the bytes of an export, in whatever encoding Windows
//! tools wrote it, into a stream of UTF-8, and remembers how decoded offsets
//! map back to offsets in the file.
//!
//! The encoding is sniffed from the bytes, never from an XML declaration (an
//! editor that re-saves a file leaves the declaration lying): a byte-order
//! mark first; without one, NULs in every other byte mean UTF-16; otherwise
//! UTF-8, unless the first block is not valid UTF-8, in which case the file is
//! read as Windows-1252 (the ANSI code page of most Western installations).
//!
//! Offsets map back exactly at every ASCII character (where events, lines
//! and elements start), so that an event can be read again from its file by
//! byte range: the decoder notes an exact point after every run of
//! non-ASCII text in the last [`EXACT_WINDOW`] decoded bytes.

use std::collections::VecDeque;
use std::io::{self, Read};

use encoding_rs::{Decoder, Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};

/// How many bytes are looked at to sniff the encoding.
pub const SNIFF_LEN: usize = 64 * 1024;

/// Size of one read from the underlying source.
const CHUNK: usize = 256 * 1024;

/// How far back (in decoded bytes) offsets stay exact in text that is not
/// UTF-8; further back they are estimated within a chunk. Far larger than
/// the readers' buffers, which only ask about the text they hold.
pub const EXACT_WINDOW: u64 = 16 * 1024 * 1024;

/// The encoding recognised for a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextEncoding {
    /// The character encoding.
    pub encoding: &'static Encoding,
    /// Whether the file started with a byte-order mark.
    pub bom: bool,
}

impl TextEncoding {
    /// A human description, as shown in the diagnostics ("UTF-16 LE with BOM").
    pub fn describe(&self) -> String {
        let name = if self.encoding == UTF_16LE {
            "UTF-16 LE"
        } else if self.encoding == UTF_16BE {
            "UTF-16 BE"
        } else if self.encoding == UTF_8 {
            "UTF-8"
        } else {
            self.encoding.name()
        };
        if self.encoding == WINDOWS_1252 {
            return "Windows-1252 (not valid UTF-8)".to_owned();
        }
        format!(
            "{name} {}",
            if self.bom { "with BOM" } else { "without BOM" }
        )
    }

    /// Length of the byte-order mark in the file.
    fn bom_len(&self) -> usize {
        match (self.bom, self.encoding == UTF_8) {
            (false, _) => 0,
            (true, true) => 3,
            (true, false) => 2,
        }
    }
}

/// Sniffs the encoding of a file from its first bytes.
pub fn sniff_encoding(head: &[u8]) -> TextEncoding {
    if let Some((encoding, _)) = Encoding::for_bom(head) {
        return TextEncoding {
            encoding,
            bom: true,
        };
    }
    let sample = &head[..head.len().min(4096)];
    let pairs = sample.len() / 2;
    if pairs >= 2 {
        let even_nuls = sample.iter().step_by(2).filter(|b| **b == 0).count();
        let odd_nuls = sample
            .iter()
            .skip(1)
            .step_by(2)
            .filter(|b| **b == 0)
            .count();
        // Mostly-ASCII UTF-16 text has a NUL in nearly every other byte; a
        // threshold of a third leaves room for non-Latin text.
        if odd_nuls * 3 > pairs && even_nuls * 10 < pairs {
            return TextEncoding {
                encoding: UTF_16LE,
                bom: false,
            };
        }
        if even_nuls * 3 > pairs && odd_nuls * 10 < pairs {
            return TextEncoding {
                encoding: UTF_16BE,
                bom: false,
            };
        }
    }
    let encoding = match std::str::from_utf8(head) {
        Ok(_) => UTF_8,
        // A block cut in the middle of a character is still UTF-8.
        Err(e) if e.error_len().is_none() => UTF_8,
        Err(_) => WINDOWS_1252,
    };
    TextEncoding {
        encoding,
        bom: false,
    }
}

/// A point where a decoded offset is known to match a source offset.
#[derive(Clone, Copy, Debug)]
struct Checkpoint {
    decoded: u64,
    source: u64,
}

/// A `Read` that yields UTF-8 decoded from a source in any sniffed encoding.
///
/// Invalid bytes and lone UTF-16 surrogates become U+FFFD; the decoder counts
/// the chunks where that happened so the reader can say so.
pub struct TextDecoder<R> {
    source: R,
    decoder: Decoder,
    encoding: TextEncoding,
    /// Raw bytes read but not yet decoded: `raw[raw_start..raw_len]`. The
    /// vector keeps its length between reads so it is not zeroed each time.
    raw: Vec<u8>,
    raw_start: usize,
    raw_len: usize,
    /// Decoded bytes not yet handed out: `out[out_start..out_len]`; like
    /// `raw`, the vector keeps its length.
    out: Vec<u8>,
    out_start: usize,
    out_len: usize,
    source_done: bool,
    finished: bool,
    /// Bytes of the source consumed by the decoder so far.
    source_pos: u64,
    /// Decoded bytes produced so far.
    decoded_pos: u64,
    checkpoints: Vec<Checkpoint>,
    /// Exact points after runs of non-ASCII text, within the last
    /// [`EXACT_WINDOW`] decoded bytes (for encodings other than UTF-8).
    exact: VecDeque<Checkpoint>,
    /// Decoding calls that replaced malformed input, and the first offset.
    replacements: u64,
    first_replacement_at: Option<u64>,
    /// Whether the source is passed through as is (UTF-8: offsets are exact).
    identity: bool,
    /// The first raw bytes.
    magic: Vec<u8>,
}

impl<R: Read> TextDecoder<R> {
    /// Sniffs the encoding from the first bytes of `source` and prepares to
    /// decode it.
    pub fn new(mut source: R) -> io::Result<Self> {
        let mut head = Vec::with_capacity(SNIFF_LEN);
        (&mut source)
            .take(SNIFF_LEN as u64)
            .read_to_end(&mut head)?;
        let encoding = sniff_encoding(&head);
        let bom_len = encoding.bom_len();
        let decoder = encoding.encoding.new_decoder_without_bom_handling();
        let magic = head[..head.len().min(64)].to_vec();
        Ok(TextDecoder {
            magic,
            source,
            decoder,
            encoding,
            raw_len: head.len(),
            raw: head,
            raw_start: bom_len,
            out: Vec::new(),
            out_start: 0,
            out_len: 0,
            source_done: false,
            finished: false,
            source_pos: bom_len as u64,
            decoded_pos: 0,
            checkpoints: vec![Checkpoint {
                decoded: 0,
                source: bom_len as u64,
            }],
            exact: VecDeque::new(),
            replacements: 0,
            first_replacement_at: None,
            identity: encoding.encoding == UTF_8,
        })
    }

    /// The first bytes of the source as they were (up to 64), for telling
    /// what an unrecognised file looked like.
    pub fn raw_head(&self) -> &[u8] {
        &self.magic
    }

    /// Decoded text ahead, at least `n` bytes unless the input ends first,
    /// without consuming it.
    pub fn peek(&mut self, n: usize) -> io::Result<&[u8]> {
        while self.out_len - self.out_start < n {
            if !self.fill()? {
                break;
            }
        }
        Ok(&self.out[self.out_start..self.out_len])
    }

    /// Appends up to `max` bytes of decoded text to `buf`, fewer only at the
    /// end of the input, and says how many. Unlike `Read::read_to_end`, it
    /// does not zero the buffer's spare room before filling it.
    pub fn append_to(&mut self, buf: &mut Vec<u8>, max: usize) -> io::Result<usize> {
        let mut appended = 0;
        while appended < max {
            while self.out_start >= self.out_len {
                if !self.fill()? {
                    return Ok(appended);
                }
            }
            let n = (self.out_len - self.out_start).min(max - appended);
            buf.extend_from_slice(&self.out[self.out_start..self.out_start + n]);
            self.out_start += n;
            appended += n;
        }
        Ok(appended)
    }

    /// The encoding recognised.
    pub fn encoding(&self) -> TextEncoding {
        self.encoding
    }

    /// How many decoding steps met malformed input, and the source offset of
    /// the first; `None` when the text was clean.
    pub fn replacements(&self) -> Option<(u64, u64)> {
        self.first_replacement_at.map(|at| (self.replacements, at))
    }

    /// The source offset of a decoded offset: exact for UTF-8 sources; for
    /// others exact at any ASCII character of the last [`EXACT_WINDOW`]
    /// decoded bytes, and estimated within a chunk further back or inside
    /// a run of non-ASCII text.
    pub fn source_offset(&self, decoded: u64) -> u64 {
        let i = self.checkpoints.partition_point(|c| c.decoded <= decoded);
        let mut c = self.checkpoints[i.saturating_sub(1)];
        let j = self.exact.partition_point(|e| e.decoded <= decoded);
        if let Some(e) = j.checked_sub(1).and_then(|j| self.exact.get(j))
            && e.decoded > c.decoded
        {
            c = *e;
        }
        let delta = decoded - c.decoded.min(decoded);
        let estimate = if self.identity {
            // Exact, unless invalid bytes were replaced (U+FFFD is longer).
            c.source + delta
        } else if self.encoding.encoding == WINDOWS_1252 {
            // Non-ASCII Windows-1252 bytes grow to two or three UTF-8 bytes.
            c.source + delta
        } else {
            // Mostly-ASCII text: one UTF-8 byte for every two UTF-16 bytes.
            c.source + delta * 2
        };
        // Non-ASCII text and replaced bytes decode to more UTF-8 bytes than
        // the estimate assumes: never point past the chunk's end, nor past
        // what was read.
        let chunk_end = self
            .checkpoints
            .get(i)
            .map_or(self.source_pos, |next| next.source);
        estimate.min(chunk_end)
    }

    /// Reads and decodes the next chunk; returns false at the end.
    fn fill(&mut self) -> io::Result<bool> {
        if self.finished {
            return Ok(false);
        }
        if self.raw_start >= self.raw_len && !self.source_done {
            if self.raw.len() < CHUNK {
                self.raw.resize(CHUNK, 0);
            }
            self.raw_start = 0;
            let n = read_some(&mut self.source, &mut self.raw[..CHUNK])?;
            self.raw_len = n;
            if n == 0 {
                self.source_done = true;
            }
        }
        let input = &self.raw[self.raw_start..self.raw_len];
        let last = self.source_done;
        // Output not handed out yet stays (a peek may be waiting on it).
        self.out.copy_within(self.out_start..self.out_len, 0);
        self.out_len -= self.out_start;
        self.out_start = 0;
        let old = self.out_len;
        let cap = self
            .decoder
            .max_utf8_buffer_length(input.len())
            .unwrap_or(input.len() * 3 + 16);
        if self.out.len() < old + cap {
            self.out.resize(old + cap, 0);
        }
        let (_, read, written, replaced) =
            self.decoder
                .decode_to_utf8(input, &mut self.out[old..old + cap], last);
        self.out_len = old + written;
        if replaced {
            self.replacements += 1;
            self.first_replacement_at.get_or_insert(self.source_pos);
        }
        self.checkpoints.push(Checkpoint {
            decoded: self.decoded_pos,
            source: self.source_pos,
        });
        if !self.identity {
            self.note_exact_points(old, written);
        }
        self.raw_start += read;
        self.source_pos += read as u64;
        self.decoded_pos += written as u64;
        if last && self.raw_start >= self.raw_len {
            self.finished = true;
        }
        Ok(written > 0 || !self.finished)
    }
}

impl<R> TextDecoder<R> {
    /// Notes an exact point after each run of non-ASCII characters in the
    /// chunk just decoded (`out[from..from + len]`, which starts at the
    /// current positions), and forgets points older than [`EXACT_WINDOW`].
    fn note_exact_points(&mut self, from: usize, len: usize) {
        // Source bytes of an ASCII character, and of a non-ASCII one by its
        // UTF-8 length: UTF-16 takes two bytes (four for a surrogate pair),
        // a single-byte code page one.
        let utf16 = self.encoding.encoding == UTF_16LE || self.encoding.encoding == UTF_16BE;
        let ascii_unit: u64 = if utf16 { 2 } else { 1 };
        let wide_unit = |utf8_len: usize| -> u64 {
            match (utf16, utf8_len) {
                (true, 4) => 4,
                (true, _) => 2,
                (false, _) => 1,
            }
        };
        let text = &self.out[from..from + len];
        // Most chunks of an export are all ASCII: the chunk's own
        // checkpoint is then exact for all of it.
        let all_ascii = text.is_ascii();
        let mut source = self.source_pos;
        let mut i = 0usize;
        let mut in_run = false;
        while !all_ascii && i < text.len() {
            let b = text[i];
            if b < 0x80 {
                if in_run {
                    self.exact.push_back(Checkpoint {
                        decoded: self.decoded_pos + i as u64,
                        source,
                    });
                    in_run = false;
                }
                let run = text[i..]
                    .iter()
                    .position(|b| *b >= 0x80)
                    .unwrap_or(text.len() - i);
                source += run as u64 * ascii_unit;
                i += run;
            } else {
                let utf8_len = match b {
                    0xF0.. => 4,
                    0xE0.. => 3,
                    _ => 2,
                };
                source += wide_unit(utf8_len);
                i += utf8_len;
                in_run = true;
            }
        }
        if in_run {
            self.exact.push_back(Checkpoint {
                decoded: self.decoded_pos + text.len() as u64,
                source,
            });
        }
        let horizon = (self.decoded_pos + len as u64).saturating_sub(EXACT_WINDOW);
        while self.exact.front().is_some_and(|e| e.decoded < horizon) {
            self.exact.pop_front();
        }
    }
}

/// Reads until `buf` has data or the source ends, retrying interruptions.
fn read_some<R: Read>(source: &mut R, buf: &mut [u8]) -> io::Result<usize> {
    loop {
        match source.read(buf) {
            Ok(n) => return Ok(n),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
    }
}

impl<R: Read> Read for TextDecoder<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.out_start >= self.out_len {
            if !self.fill()? {
                return Ok(0);
            }
        }
        let available = &self.out[self.out_start..self.out_len];
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.out_start += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_all(bytes: &[u8]) -> (String, TextEncoding) {
        let mut d = match TextDecoder::new(bytes) {
            Ok(d) => d,
            Err(e) => panic!("decoder: {e}"),
        };
        let mut s = String::new();
        if let Err(e) = d.read_to_string(&mut s) {
            panic!("read: {e}");
        }
        (s, d.encoding())
    }

    fn utf16le(s: &str, bom: bool) -> Vec<u8> {
        let mut v = if bom { vec![0xFF, 0xFE] } else { vec![] };
        for u in s.encode_utf16() {
            v.extend_from_slice(&u.to_le_bytes());
        }
        v
    }

    #[test]
    fn appending_in_pieces_gives_the_whole_text() {
        let text = "événement ✓ ".repeat(40_000);
        let bytes = utf16le(&text, true);
        let mut d = match TextDecoder::new(&bytes[..]) {
            Ok(d) => d,
            Err(e) => panic!("decoder: {e}"),
        };
        let mut out = Vec::new();
        let mut pieces = 0;
        loop {
            match d.append_to(&mut out, 100_003) {
                Ok(0) => break,
                Ok(n) => assert!(n <= 100_003),
                Err(e) => panic!("append: {e}"),
            }
            pieces += 1;
        }
        assert_eq!(String::from_utf8(out).as_deref(), Ok(text.as_str()));
        assert_eq!(pieces, text.len().div_ceil(100_003));
    }

    #[test]
    fn utf16_le_with_bom_is_decoded_and_described() {
        let (text, enc) = decode_all(&utf16le("<Events>Łukasz</Events>", true));
        assert_eq!(text, "<Events>Łukasz</Events>");
        assert_eq!(enc.describe(), "UTF-16 LE with BOM");
    }

    #[test]
    fn utf16_without_bom_is_recognised_by_its_nuls() {
        let (text, enc) = decode_all(&utf16le("[{\"Id\": 4121}]", false));
        assert_eq!(text, "[{\"Id\": 4121}]");
        assert_eq!(enc.describe(), "UTF-16 LE without BOM");
    }

    #[test]
    fn utf8_bom_is_removed() {
        let (text, enc) = decode_all(b"\xEF\xBB\xBFLevel,Date");
        assert_eq!(text, "Level,Date");
        assert_eq!(enc.describe(), "UTF-8 with BOM");
    }

    #[test]
    fn invalid_utf8_falls_back_to_windows_1252() {
        let (text, enc) = decode_all(b"Jos\xE9 Holloway");
        assert_eq!(text, "José Holloway");
        assert_eq!(enc.describe(), "Windows-1252 (not valid UTF-8)");
    }

    #[test]
    fn an_xml_declaration_does_not_override_the_bytes() {
        let (text, enc) = decode_all(b"<?xml version=\"1.0\" encoding=\"UTF-16\"?><Events/>");
        assert_eq!(enc.encoding, UTF_8);
        assert!(text.ends_with("<Events/>"));
    }

    #[test]
    fn a_lone_surrogate_becomes_a_replacement_character_and_is_counted() {
        let mut bytes = utf16le("ab", true);
        bytes.extend_from_slice(&[0x00, 0xD8]); // high surrogate with no pair
        bytes.extend_from_slice(&utf16le("cd", false));
        let mut d = match TextDecoder::new(&bytes[..]) {
            Ok(d) => d,
            Err(e) => panic!("{e}"),
        };
        let mut s = String::new();
        assert!(d.read_to_string(&mut s).is_ok());
        assert_eq!(s, "ab\u{FFFD}cd");
        assert_eq!(d.replacements(), Some((1, 2)));
    }

    #[test]
    fn utf8_offsets_map_back_exactly_past_the_bom() {
        let bytes = b"\xEF\xBB\xBFabcdef";
        let mut d = match TextDecoder::new(&bytes[..]) {
            Ok(d) => d,
            Err(e) => panic!("{e}"),
        };
        let mut s = String::new();
        assert!(d.read_to_string(&mut s).is_ok());
        assert_eq!(d.source_offset(2), 5);
    }

    #[test]
    fn utf16_offsets_of_non_ascii_text_stay_inside_the_source() {
        // "€" is two bytes in UTF-16 and three in UTF-8: estimating two
        // source bytes per decoded byte would point far past the end.
        let text = "<a>".to_owned() + &"\u{20ac}".repeat(1000) + "</a>";
        let mut bytes = vec![0xFF, 0xFE];
        bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let mut d = match TextDecoder::new(&bytes[..]) {
            Ok(d) => d,
            Err(e) => panic!("{e}"),
        };
        let mut s = String::new();
        assert!(d.read_to_string(&mut s).is_ok());
        assert_eq!(s.len(), 3007);
        assert_eq!(d.source_offset(0), 2);
        assert_eq!(d.source_offset(s.len() as u64), bytes.len() as u64);
    }

    #[test]
    fn utf8_offsets_after_replaced_bytes_stay_inside_the_source() {
        // Clean UTF-8 where the encoding is sniffed, then invalid bytes:
        // each becomes U+FFFD, three bytes of decoded text.
        let mut bytes = vec![b'a'; SNIFF_LEN];
        bytes.extend([0xFF; 100]);
        let mut d = match TextDecoder::new(&bytes[..]) {
            Ok(d) => d,
            Err(e) => panic!("{e}"),
        };
        let mut s = String::new();
        assert!(d.read_to_string(&mut s).is_ok());
        assert_eq!(s.len(), SNIFF_LEN + 300);
        assert_eq!(d.source_offset(2), 2);
        assert_eq!(d.source_offset(s.len() as u64), bytes.len() as u64);
    }

    #[test]
    fn utf16_and_windows_1252_offsets_are_exact_after_non_ascii_text() {
        /// The decoder after reading all of `bytes`, and the text.
        fn read_through(bytes: &[u8]) -> (TextDecoder<&[u8]>, String) {
            let mut d = TextDecoder::new(bytes).unwrap_or_else(|e| panic!("{e}"));
            let mut s = String::new();
            assert!(d.read_to_string(&mut s).is_ok());
            (d, s)
        }
        let bytes = utf16le("<Events>Łukasz Nowak 😀 Zoë\n<Event>", true);
        let (d, s) = read_through(&bytes);
        let at = s.find("<Event>").unwrap_or_default() as u64;
        // The BOM, 26 characters of two bytes and the emoji's four.
        assert_eq!(d.source_offset(at), 58);
        assert_eq!(&bytes[58..60], b"<\0");

        let (d, s) = read_through(b"Jos\xE9 and Ren\xE9e\n<Event>");
        let at = s.find("<Event>").unwrap_or_default() as u64;
        assert_eq!(d.source_offset(at), 15);
    }

    #[test]
    fn an_empty_source_decodes_to_nothing() {
        let (text, enc) = decode_all(b"");
        assert_eq!(text, "");
        assert_eq!(enc.encoding, UTF_8);
    }
}
