//! The export formats: each writer turns generated events into the text a
//! Windows tool or a log shipper would have written, and the sink encodes it
//! (UTF-8, or UTF-16 LE with a byte-order mark) straight to the output.

use std::io::{self, Write};

use super::json::{push_escaped, push_str_literal};
use super::requests::GenEvent;

/// The computer every event comes from.
const COMPUTER: &str = "mim01.contoso.com";

/// Writes text to the output in the file's encoding and counts the bytes.
pub struct Sink<W: Write> {
    out: W,
    utf16: bool,
    bytes: u64,
    scratch: Vec<u8>,
}

impl<W: Write> Sink<W> {
    /// A sink writing UTF-16 LE (with a BOM) or UTF-8 (without one).
    pub fn new(out: W, utf16: bool) -> io::Result<Self> {
        let mut s = Sink {
            out,
            utf16,
            bytes: 0,
            scratch: Vec::new(),
        };
        if utf16 {
            s.out.write_all(&[0xFF, 0xFE])?;
            s.bytes = 2;
        }
        Ok(s)
    }

    /// Writes `text`.
    pub fn put(&mut self, text: &str) -> io::Result<()> {
        if self.utf16 {
            self.scratch.clear();
            self.scratch.reserve(text.len() * 2);
            for u in text.encode_utf16() {
                self.scratch.extend_from_slice(&u.to_le_bytes());
            }
            self.out.write_all(&self.scratch)?;
            self.bytes += self.scratch.len() as u64;
        } else {
            self.out.write_all(text.as_bytes())?;
            self.bytes += text.len() as u64;
        }
        Ok(())
    }

    /// Bytes written so far.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// Flushes and hands back the output.
    pub fn finish(mut self) -> io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}

/// An event placed in the log: its record id and time.
pub struct Placed<'a> {
    /// The event.
    pub event: &'a GenEvent,
    /// Its record id.
    pub record_id: u64,
    /// Its time, milliseconds since 1970 UTC.
    pub time_ms: i64,
}

/// The export formats the generator writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Event Viewer "Save Events As > XML": UTF-16 LE with BOM, `<Events>`
    /// root, `RenderingInfo` with the message, newest first.
    EventViewerXml,
    /// `wevtutil qe /f:xml`: UTF-8, bare `<Event>` elements, oldest first.
    WevtutilXml,
    /// Windows PowerShell 5.1 `Get-WinEvent | ConvertTo-Json` redirected to
    /// a file: UTF-16 LE with BOM, newest first.
    Ps51Json,
    /// Winlogbeat NDJSON, oldest first.
    Winlogbeat,
}

impl Format {
    /// Every format, in the order the tools list them.
    pub const ALL: [Format; 4] = [
        Format::EventViewerXml,
        Format::WevtutilXml,
        Format::Ps51Json,
        Format::Winlogbeat,
    ];

    /// The name used on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Format::EventViewerXml => "eventviewer-xml",
            Format::WevtutilXml => "wevtutil-xml",
            Format::Ps51Json => "ps51-json",
            Format::Winlogbeat => "winlogbeat",
        }
    }

    /// The format with this command-line name.
    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Whether the file is UTF-16 LE.
    pub fn utf16(self) -> bool {
        matches!(self, Format::EventViewerXml | Format::Ps51Json)
    }

    /// Whether the tool writes the newest event first.
    pub fn newest_first(self) -> bool {
        self.utf16()
    }

    /// The text before the first event.
    pub fn prologue(self) -> &'static str {
        match self {
            Format::EventViewerXml => "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\r\n<Events>\r\n",
            Format::Ps51Json => "[\r\n",
            Format::WevtutilXml | Format::Winlogbeat => "",
        }
    }

    /// The text after the last event.
    pub fn epilogue(self) -> &'static str {
        match self {
            Format::EventViewerXml => "</Events>\r\n",
            Format::Ps51Json => "\r\n]\r\n",
            Format::WevtutilXml | Format::Winlogbeat => "",
        }
    }

    /// Appends one event to `out`; `first` tells whether it is the file's
    /// first (PowerShell separates objects with commas).
    pub fn write_event(self, out: &mut String, e: &Placed<'_>, first: bool) {
        match self {
            Format::EventViewerXml => xml_event(out, e, true),
            Format::WevtutilXml => xml_event(out, e, false),
            Format::Ps51Json => {
                if !first {
                    out.push_str(",\r\n");
                }
                ps51_event(out, e);
            }
            Format::Winlogbeat => winlogbeat_event(out, e),
        }
    }
}

fn system_time(ms: i64, ticks: u32) -> String {
    let t = chrono::DateTime::from_timestamp_millis(ms).expect("a time in range");
    let frac = u64::from(t.timestamp_subsec_millis()) * 10_000 + u64::from(ticks);
    format!("{}.{frac:07}Z", t.format("%Y-%m-%dT%H:%M:%S"))
}

fn push_xml_text(out: &mut String, s: &str) {
    let mut start = 0;
    for (i, b) in s.bytes().enumerate() {
        let esc = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            _ => continue,
        };
        out.push_str(&s[start..i]);
        out.push_str(esc);
        start = i + 1;
    }
    out.push_str(&s[start..]);
}

fn xml_event(out: &mut String, p: &Placed<'_>, rendering: bool) {
    let e = p.event;
    let s = e.source;
    out.push_str("<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System><Provider Name='");
    out.push_str(s.provider);
    out.push_str("'/><EventID Qualifiers='0'>");
    out.push_str(&e.event_id.to_string());
    out.push_str("</EventID><Version>0</Version><Level>");
    out.push_str(&s.level.to_string());
    out.push_str("</Level><Task>0</Task><Opcode>0</Opcode><Keywords>");
    out.push_str(s.keywords);
    out.push_str("</Keywords><TimeCreated SystemTime='");
    out.push_str(&system_time(p.time_ms, e.ticks));
    out.push_str("'/><EventRecordID>");
    out.push_str(&p.record_id.to_string());
    out.push_str("</EventRecordID><Correlation/><Execution ProcessID='0' ThreadID='0'/><Channel>");
    out.push_str(s.channel);
    out.push_str("</Channel><Computer>");
    out.push_str(COMPUTER);
    out.push_str("</Computer><Security/></System><EventData>");
    if e.event_id == 4625 {
        out.push_str("<Data Name='TargetUserName'>");
    } else {
        out.push_str("<Data>");
    }
    push_xml_text(out, &e.payload);
    out.push_str("</Data></EventData>");
    if rendering {
        out.push_str("<RenderingInfo Culture='en-US'><Message>");
        push_xml_text(out, e.message());
        out.push_str("</Message><Level>");
        out.push_str(s.level_name);
        out.push_str("</Level><Task>None</Task><Opcode>Info</Opcode><Channel>");
        out.push_str(s.channel);
        out.push_str("</Channel><Provider>");
        out.push_str(s.provider);
        out.push_str("</Provider><Keywords><Keyword>");
        out.push_str(s.keyword_name);
        out.push_str("</Keyword></Keywords></RenderingInfo>");
    }
    out.push_str("</Event>\r\n");
}

fn ps51_event(out: &mut String, p: &Placed<'_>) {
    let e = p.event;
    let s = e.source;
    const IND: &str = "        ";
    out.push_str("    {\r\n");
    out.push_str(IND);
    out.push_str("\"Message\":  \"");
    push_escaped(out, e.message(), true);
    out.push_str("\",\r\n");
    let numbers: [(&str, String); 9] = [
        ("Id", e.event_id.to_string()),
        ("Version", "0".to_owned()),
        ("Qualifiers", "0".to_owned()),
        ("Level", s.level.to_string()),
        ("Task", "0".to_owned()),
        ("Opcode", "0".to_owned()),
        (
            "Keywords",
            u64::from_str_radix(s.keywords.trim_start_matches("0x"), 16)
                .map(|k| (k as i64).to_string())
                .unwrap_or_default(),
        ),
        ("RecordId", p.record_id.to_string()),
        ("ProviderName", format!("\"{}\"", s.provider)),
    ];
    for (k, v) in numbers {
        out.push_str(&format!("{IND}\"{k}\":  {v},\r\n"));
    }
    out.push_str(&format!(
        "{IND}\"ProviderId\":  null,\r\n{IND}\"LogName\":  \"{}\",\r\n{IND}\"ProcessId\":  0,\r\n\
         {IND}\"ThreadId\":  0,\r\n{IND}\"MachineName\":  \"{COMPUTER}\",\r\n{IND}\"UserId\":  null,\r\n\
         {IND}\"TimeCreated\":  \"\\/Date({})\\/\",\r\n{IND}\"ActivityId\":  null,\r\n\
         {IND}\"RelatedActivityId\":  null,\r\n{IND}\"ContainerLog\":  \"{}\",\r\n",
        s.channel, p.time_ms, s.channel
    ));
    out.push_str(&format!(
        "{IND}\"MatchedQueryIds\":  [\r\n\r\n{IND}                    ],\r\n\
         {IND}\"Bookmark\":  {{\r\n\r\n{IND}             }},\r\n\
         {IND}\"LevelDisplayName\":  \"{}\",\r\n{IND}\"OpcodeDisplayName\":  \"Info\",\r\n\
         {IND}\"TaskDisplayName\":  null,\r\n\
         {IND}\"KeywordsDisplayNames\":  [\r\n{IND}                             \"{}\"\r\n{IND}                         ],\r\n\
         {IND}\"Properties\":  [\r\n{IND}                   \"System.Diagnostics.Eventing.Reader.EventProperty\"\r\n\
         {IND}               ]\r\n    }}",
        s.level_name, s.keyword_name
    ));
}

fn winlogbeat_event(out: &mut String, p: &Placed<'_>) {
    let e = p.event;
    let s = e.source;
    let t = chrono::DateTime::from_timestamp_millis(p.time_ms).expect("a time in range");
    let stamp = t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string();
    let shipped = chrono::DateTime::from_timestamp_millis(p.time_ms + 2600)
        .expect("a time in range")
        .format("%Y-%m-%dT%H:%M:%S%.3fZ")
        .to_string();
    out.push_str(&format!(
        "{{\"@timestamp\":\"{stamp}\",\"agent\":{{\"type\":\"winlogbeat\",\"version\":\"8.11.3\",\
         \"name\":\"mim01\",\"hostname\":\"mim01\"}},\"ecs\":{{\"version\":\"8.0.0\"}},\
         \"host\":{{\"name\":\"{COMPUTER}\",\"hostname\":\"mim01\"}},\
         \"log\":{{\"level\":\"{}\"}},\"event\":{{\"code\":\"{}\",\"kind\":\"event\",\
         \"provider\":\"{}\",\"created\":\"{shipped}\"}},\"message\":",
        s.level_name.to_lowercase(),
        e.event_id,
        s.provider
    ));
    push_str_literal(out, e.message());
    out.push_str(&format!(
        ",\"winlog\":{{\"api\":\"wineventlog\",\"channel\":\"{}\",\"computer_name\":\"{COMPUTER}\",\
         \"event_data\":{{\"param1\":",
        s.channel
    ));
    push_str_literal(out, &e.payload);
    out.push_str(&format!(
        "}},\"event_id\":\"{}\",\"keywords\":[\"{}\"],\"opcode\":\"Info\",\"provider_name\":\"{}\",\
         \"record_id\":{},\"task\":\"None\"}}}}\n",
        e.event_id, s.keyword_name, s.provider, p.record_id
    ));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_time_has_seven_fractional_digits() {
        assert_eq!(
            system_time(1_706_728_887_375, 1582),
            "2024-01-31T19:21:27.3751582Z"
        );
    }

    #[test]
    fn utf16_sink_writes_a_bom_and_counts_bytes() {
        let mut s = match Sink::new(Vec::new(), true) {
            Ok(s) => s,
            Err(e) => panic!("{e}"),
        };
        assert!(s.put("Ab").is_ok());
        assert_eq!(s.bytes(), 6);
        let out = s.finish().unwrap_or_default();
        assert_eq!(out, vec![0xFF, 0xFE, b'A', 0, b'b', 0]);
    }
}
