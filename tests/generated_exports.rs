//! Large synthetic exports from the generator (`xtask gen-export`) load
//! through the engine: every event is readable, every report has rows, and
//! the accounting adds up.

#![cfg(not(target_arch = "wasm32"))]

use mim_reports::Analysis;
use xtask::gen_export::{Format, GenStats, generate_in_memory};

const SIZE: u64 = 2_000_000;

fn load(format: Format) -> (GenStats, mim_reports::report::Reports) {
    let (stats, bytes) = generate_in_memory(format, SIZE, 11);
    let mut analysis = Analysis::new();
    analysis.read_file(format.name(), Some(bytes.len() as u64), &bytes[..]);
    (stats, analysis.reports())
}

fn assert_loads_whole(format: Format) {
    let (stats, r) = load(format);
    let c = &r.counts;
    assert_eq!(
        c.events_read,
        stats.events,
        "{}: events read",
        format.name()
    );
    assert_eq!(c.unreadable, 0, "{}: unreadable", format.name());
    assert_eq!(c.incomplete, 0, "{}: incomplete", format.name());
    assert_eq!(c.duplicates, 0, "{}: duplicates", format.name());
    assert_eq!(
        c.not_request_log,
        stats.foreign,
        "{}: foreign",
        format.name()
    );
    assert_eq!(
        c.events_read,
        c.request_events + c.duplicates + c.incomplete + c.not_request_log + c.unreadable,
        "{}: the buckets add up",
        format.name()
    );
    assert_eq!(r.requests, stats.requests, "{}: requests", format.name());
    assert!(
        stats.slices > 0,
        "{}: some requests are sliced",
        format.name()
    );
    assert!(!r.password_reset_activity.is_empty(), "{}", format.name());
    assert!(
        !r.password_reset_registration.is_empty(),
        "{}",
        format.name()
    );
    assert!(!r.self_service_groups.is_empty(), "{}", format.name());
    assert!(!r.other_requests.is_empty(), "{}", format.name());
    assert!(r.folded_gate_registrations > 0, "{}", format.name());
}

#[test]
fn a_generated_event_viewer_export_loads_whole() {
    assert_loads_whole(Format::EventViewerXml);
}

#[test]
fn a_generated_wevtutil_export_loads_whole() {
    assert_loads_whole(Format::WevtutilXml);
}

#[test]
fn a_generated_powershell_51_export_loads_whole() {
    assert_loads_whole(Format::Ps51Json);
}

#[test]
fn a_generated_winlogbeat_export_loads_whole() {
    assert_loads_whole(Format::Winlogbeat);
}
