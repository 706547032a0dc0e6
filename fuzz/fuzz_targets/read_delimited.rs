//! Any bytes straight into the CSV and tab-separated readers, past the
//! sniffer: the first byte picks the layout (Event Viewer CSV or TXT,
//! PowerShell Export-Csv, Sentinel CSV, the Entra ID audit log's CSV). No
//! panic, no hang, every item located inside the input.
#![no_main]

mod located;

use libfuzzer_sys::fuzz_target;
use mim_reports::ingest::{FileFormat, ReadItem, decode::TextDecoder, delimited};

/// The formats the delimited reader serves.
const LAYOUTS: [FileFormat; 5] = [
    FileFormat::EventViewerCsv,
    FileFormat::EventViewerTxt,
    FileFormat::PowerShellExportCsv,
    FileFormat::SentinelCsv,
    FileFormat::EntraAuditCsv,
];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else {
        return;
    };
    let format = LAYOUTS[usize::from(selector) % LAYOUTS.len()];
    let Ok(mut text) = TextDecoder::new(rest) else {
        return;
    };
    let mut sink = |item: ReadItem| located::assert_located(&item, rest.len());
    let _ = delimited::read_events(0, format, &mut text, &mut sink);
});
