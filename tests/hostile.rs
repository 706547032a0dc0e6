//! Hostile and broken input through the whole engine: each case is read
//! without a panic, says what was wrong, keeps what it could read, and the
//! accounting still adds up.

// These tests read fixtures from disk: native only.
#![cfg(not(target_arch = "wasm32"))]

use mim_reports::Analysis;
use mim_reports::ledger::Severity;
use mim_reports::report::Reports;

const MIM: &str = "Microsoft.IdentityManagement.Service";

fn event(record: u64, id: u32, data: &str) -> String {
    format!(
        "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>\
         <Provider Name='{MIM}'/><EventID Qualifiers='0'>{id}</EventID>\
         <TimeCreated SystemTime='2024-01-01T00:00:00.0000000Z'/><EventRecordID>{record}</EventRecordID>\
         <Channel>Identity Manager Request Log</Channel><Computer>mim01</Computer></System>\
         <EventData><Data>{data}</Data></EventData></Event>\n"
    )
}

fn request(id: &str, extra: &str) -> String {
    format!(
        r#"{{"HybridObjectID":"{id}","TargetObjectType":"Set","Operation":"Put","RequestStatus":"Completed",
        "CreatedTime":"2024-01-01 00:00:00.000","DisplayName":"Update to Set: 'S' Request"{extra}}}"#
    )
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

fn load(name: &str, bytes: &[u8]) -> (Reports, Analysis) {
    let mut analysis = Analysis::new();
    analysis.read_file(name, Some(bytes.len() as u64), bytes);
    let reports = analysis.reports();
    assert_eq!(
        reports.counts.accounted(),
        reports.counts.events_read,
        "{name}: accounting"
    );
    (reports, analysis)
}

fn messages(a: &Analysis) -> Vec<String> {
    a.final_ledger()
        .diagnostics
        .iter()
        .map(|d| d.message.clone())
        .collect()
}

#[test]
fn an_empty_file_says_it_is_empty() {
    let (r, a) = load("empty.xml", b"");
    assert_eq!(r.counts.events_read, 0);
    assert_eq!(
        messages(&a),
        vec!["not a request-log export: the file is empty; nothing was read from it"]
    );
}

#[test]
fn a_zip_dropped_by_mistake_is_named_as_such() {
    let (r, a) = load("logs.zip", b"PK\x03\x04\x14\x00\x00\x00\x08\x00");
    assert_eq!(r.counts.events_read, 0);
    assert!(messages(&a)[0].contains("it looks like a ZIP archive (unpack it first)"));
    assert_eq!(a.ledger().files[0].format, "not recognised");
}

#[test]
fn a_file_cut_in_the_middle_of_an_event_keeps_the_events_before() {
    let mut text = String::from("<Events>\n");
    text.push_str(&event(1, 4121, &xml_escape(&request("a1", ""))));
    let second = event(2, 4121, &xml_escape(&request("a2", "")));
    text.push_str(&second[..second.len() / 2]);
    let (r, a) = load("cut.xml", text.as_bytes());
    assert_eq!(r.other_requests.len(), 1);
    assert_eq!(
        (
            r.counts.events_read,
            r.counts.request_events,
            r.counts.unreadable
        ),
        (2, 1, 1)
    );
    assert!(
        messages(&a)
            .iter()
            .any(|m| m.contains("the file ends before `</Event>`"))
    );
}

#[test]
fn one_bad_file_among_good_ones_costs_only_itself() {
    let good = format!(
        "<Events>{}</Events>",
        event(1, 4121, &xml_escape(&request("g1", "")))
    );
    let mut analysis = Analysis::new();
    analysis.read_file("first.xml", None, good.as_bytes());
    analysis.read_file("photo.png", None, &b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"[..]);
    let good2 = format!(
        "<Events>{}</Events>",
        event(2, 4121, &xml_escape(&request("g2", "")))
    );
    analysis.read_file("second.xml", None, good2.as_bytes());
    assert_eq!(analysis.reports().other_requests.len(), 2);
    assert_eq!(analysis.ledger().files[1].format, "not recognised");
}

#[test]
fn entities_declared_in_a_doctype_are_never_expanded() {
    let laughs = "<?xml version='1.0'?><!DOCTYPE Events [<!ENTITY lol 'lol'>\
        <!ENTITY lol2 '&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;'>]><Events>";
    let text = format!("{laughs}{}</Events>", event(1, 4121, "&lol2;"));
    let (r, _) = load("laughs.xml", text.as_bytes());
    // The payload stays the literal reference: not JSON, so unreadable.
    assert_eq!((r.counts.events_read, r.counts.unreadable), (1, 1));
}

#[test]
fn record_ids_at_the_64_bit_maximum_stay_exact() {
    let text = format!(
        "<Events>{}</Events>",
        event(u64::MAX, 4121, &xml_escape(&request("m1", "")))
    );
    let (r, _) = load("max.xml", text.as_bytes());
    assert_eq!(
        r.other_requests[0].origin.sources[0].record_id,
        Some(u64::MAX)
    );
    let json = serde_json::to_string(&r.other_requests[0]).unwrap_or_default();
    assert!(
        json.contains("\"record_id\":\"18446744073709551615\""),
        "{json}"
    );
}

#[test]
fn a_request_announcing_a_hundred_thousand_slices_is_incomplete_not_a_memory_bomb() {
    let slice = "Request '0f6c0000-0000-0000-0000-000000000001', message 1 out of 100000: \n{\"HybridObjectID\"";
    let text = format!("<Events>{}</Events>", event(1, 4137, &xml_escape(slice)));
    let (r, _) = load("many.xml", text.as_bytes());
    assert_eq!(r.counts.incomplete, 1);
    assert_eq!(r.incomplete_requests[0].slices, 100_000);
    // At most a thousand missing numbers are listed.
    assert_eq!(r.incomplete_requests[0].missing.len(), 1000);
    assert_eq!(r.incomplete_requests[0].missing[0], 2);
}

#[test]
fn deeply_nested_json_is_unreadable_not_a_stack_overflow() {
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let (r, a) = load("deep.json", deep.as_bytes());
    assert_eq!(r.counts.accounted(), r.counts.events_read);
    assert!(
        a.final_ledger()
            .diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    );
}

#[test]
fn a_ten_megabyte_string_in_a_request_is_read() {
    let big = "x".repeat(10 * 1024 * 1024);
    let req = request("big1", &format!(r#","RequestStatusDetail":"{big}""#));
    let text = format!("<Events>{}</Events>", event(1, 4121, &xml_escape(&req)));
    let (r, _) = load("big.xml", text.as_bytes());
    assert_eq!(r.other_requests.len(), 1);
    assert_eq!(r.other_requests[0].details.len(), big.len());
}

#[test]
fn a_dotnet_type_name_in_place_of_the_payload_is_not_taken_for_a_request() {
    // ConvertTo-Json at its default depth writes type names for collections;
    // with Message empty there is no payload at all.
    let text = r#"[{"Id": 4121, "RecordId": 9, "ProviderName": "Microsoft.IdentityManagement.Service",
        "Message": "", "Properties": ["System.Diagnostics.Eventing.Reader.EventProperty"]}]"#;
    let (r, a) = load("typename.json", text.as_bytes());
    assert_eq!((r.counts.events_read, r.counts.unreadable), (1, 1));
    assert!(messages(&a).iter().any(|m| m.contains("carries no text")));
}

#[test]
fn utf8_bytes_declared_as_utf16_are_read_as_utf8() {
    let text = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-16\"?><Events>{}</Events>",
        event(
            1,
            4121,
            &xml_escape(&request("d1", r#","RequestStatusDetail":"Łukasz""#))
        )
    );
    let (r, a) = load("lying.xml", text.as_bytes());
    assert_eq!(r.other_requests[0].details, "Łukasz");
    assert_eq!(a.ledger().files[0].encoding, "UTF-8 without BOM");
}

#[test]
fn invalid_utf8_in_the_middle_becomes_replacement_characters_with_a_warning() {
    let mut bytes = format!(
        "<Events>{}",
        event(1, 4121, &xml_escape(&request("v1", "")))
    )
    .into_bytes();
    // Far enough in that the first 64 KiB sniffed as UTF-8 stay clean.
    bytes.extend(std::iter::repeat_n(b' ', 70_000));
    let mut second = event(
        2,
        4121,
        &xml_escape(&request("v2", r#","RequestStatusDetail":"AB""#)),
    )
    .into_bytes();
    let at = second.windows(2).position(|w| w == b"AB").unwrap_or(0);
    second[at] = 0xFF;
    bytes.extend(second);
    bytes.extend(b"</Events>");
    let (r, a) = load("invalid.xml", &bytes);
    assert_eq!(r.other_requests.len(), 2);
    assert!(r.other_requests.iter().any(|o| o.details == "\u{FFFD}B"));
    assert!(
        messages(&a)
            .iter()
            .any(|m| m.contains("replaced by U+FFFD"))
    );
}

#[test]
fn graph_pages_cut_off_inside_each_other_two_thousand_deep_are_one_unreadable_record() {
    // Each level looks like a Graph page whose records start with another.
    let nested = r#"{"@odata.x":0,"value":["#.repeat(2000);
    let (r, a) = load("nested.json", nested.as_bytes());
    assert_eq!((r.counts.events_read, r.counts.unreadable), (1, 1));
    let diagnostics: Vec<(Option<u64>, String)> = a
        .final_ledger()
        .diagnostics
        .iter()
        .map(|d| (d.offset, d.message.clone()))
        .collect();
    let cut = "the last JSON element is cut off: the file ends inside it (truncated export?)";
    assert_eq!(
        diagnostics,
        vec![
            (
                Some(0),
                format!(
                    "a Microsoft Graph page could not be read whole ({cut}); \
                     its records were read one by one"
                )
            ),
            // The first record, just after the first page's `[`.
            (Some(23), cut.to_owned()),
        ]
    );
}
