//! The accounting adds up: for any mix of whole requests, slices (some
//! dropped), duplicates, foreign events and damaged events, every event read
//! lands in exactly one bucket.

// These tests read fixtures from disk or fork processes: native only.
#![cfg(not(target_arch = "wasm32"))]

use mim_reports::Analysis;
use proptest::prelude::*;

/// One event of a generated wevtutil-style export.
#[derive(Clone, Debug)]
enum Piece {
    Whole(u32),
    Sliced {
        request: u32,
        slices: u32,
        drop: Option<u32>,
    },
    Foreign(u32),
    Garbage,
    NotJson(u32),
}

fn event(record: u64, id: u32, provider: &str, data: &str) -> String {
    let data = data
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(
        "<Event xmlns='http://schemas.microsoft.com/win/2004/08/events/event'><System>\
         <Provider Name='{provider}'/><EventID Qualifiers='0'>{id}</EventID>\
         <TimeCreated SystemTime='2024-01-01T00:00:00.0000000Z'/><EventRecordID>{record}</EventRecordID>\
         <Channel>Identity Manager Request Log</Channel><Computer>mim01</Computer></System>\
         <EventData><Data>{data}</Data></EventData></Event>\n"
    )
}

fn request_json(n: u32) -> String {
    format!(
        r#"{{"HybridObjectID":"00000000-0000-0000-0000-{n:012}","TargetObjectType":"Set","Operation":"Put",
        "RequestStatus":"Completed","CreatedTime":"2024-01-01 00:00:00.000","DisplayName":"Update to Set: 'S{n}' Request"}}"#
    )
}

const MIM: &str = "Microsoft.IdentityManagement.Service";

/// Writes the pieces as an export; returns it with the expected buckets
/// (events, request events, duplicates, incomplete, foreign, unreadable).
fn export(pieces: &[Piece], repeat_mask: u64) -> (String, [u64; 6]) {
    let mut out = String::new();
    let mut record = 1u64;
    let mut want = [0u64; 6];
    for (i, p) in pieces.iter().enumerate() {
        let mut events: Vec<String> = Vec::new();
        let (mut req, mut inc, mut foreign, mut bad) = (0, 0, 0, 0);
        match p {
            Piece::Whole(n) => {
                events.push(event(
                    record,
                    4121,
                    MIM,
                    &request_json(*n + 1_000 * i as u32),
                ));
                req += 1;
            }
            Piece::Sliced {
                request,
                slices,
                drop,
            } => {
                let text = request_json(*request + 1_000 * i as u32);
                let guid = format!(
                    "00000000-0000-0000-0000-{:012}",
                    *request + 1_000 * i as u32
                );
                let chars: Vec<char> = text.chars().collect();
                let size = chars.len().div_ceil(*slices as usize);
                let parts: Vec<String> = chars.chunks(size).map(|c| c.iter().collect()).collect();
                let total = parts.len() as u32;
                let dropped = drop.map(|d| d % total + 1).filter(|_| total > 1);
                for (k, part) in parts.iter().enumerate() {
                    let number = k as u32 + 1;
                    if Some(number) == dropped {
                        continue;
                    }
                    let body =
                        format!("Request '{guid}', message {number} out of {total}: \n{part}");
                    events.push(event(record + k as u64, 4137, MIM, &body));
                }
                record += parts.len() as u64;
                if dropped.is_some() {
                    inc += events.len() as u64;
                } else {
                    req += events.len() as u64;
                }
            }
            Piece::Foreign(id) => {
                events.push(event(record, *id, "Contoso.BackupAgent", "backup done"));
                foreign += 1;
            }
            Piece::Garbage => {
                events.push(
                    "<Event xmlns='x'><System><EventID>4121</Event ID></System></Event>\n".into(),
                );
                bad += 1;
            }
            Piece::NotJson(n) => {
                events.push(event(record, 4121, MIM, &format!("not json {n}")));
                bad += 1;
            }
        }
        record += 1;
        let repeated = repeat_mask & (1 << (i % 64)) != 0;
        let copies = if repeated { 2 } else { 1 };
        for _ in 0..copies {
            for e in &events {
                out.push_str(e);
            }
        }
        let n = events.len() as u64;
        want[0] += n * copies;
        want[1] += req;
        want[3] += inc;
        want[4] += foreign;
        want[5] += bad;
        if repeated {
            // The same record twice: a duplicate, except where the event
            // could not be read to learn its record id at all.
            want[2] += n - if matches!(p, Piece::Garbage) { 1 } else { 0 };
            if matches!(p, Piece::Garbage) {
                want[5] += 1;
            }
        }
    }
    (out, want)
}

fn piece() -> impl Strategy<Value = Piece> {
    prop_oneof![
        (0u32..999).prop_map(Piece::Whole),
        (0u32..999, 2u32..5, proptest::option::of(0u32..5)).prop_map(|(request, slices, drop)| {
            Piece::Sliced {
                request,
                slices,
                drop,
            }
        }),
        prop_oneof![Just(4121u32), Just(17137u32)].prop_map(Piece::Foreign),
        Just(Piece::Garbage),
        (0u32..999).prop_map(Piece::NotJson),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn every_event_lands_in_exactly_one_bucket(
        pieces in proptest::collection::vec(piece(), 0..40),
        repeat_mask in any::<u64>(),
    ) {
        let (text, want) = export(&pieces, repeat_mask);
        let mut analysis = Analysis::new();
        analysis.read_file("generated.xml", None, text.as_bytes());
        let c = analysis.reports().counts;
        prop_assert_eq!(c.accounted(), c.events_read);
        prop_assert_eq!(
            [c.events_read, c.request_events, c.duplicates, c.incomplete, c.not_request_log, c.unreadable],
            want
        );
    }
}

/// One record of a generated Entra ID audit export.
#[derive(Clone, Debug)]
enum AuditPiece {
    /// A record of an activity a report knows (by index), or an unknown one.
    Record { activity: usize, n: u32 },
    /// The same record as an earlier one of the export (by position).
    Again(usize),
    /// A record the JSON parser refuses (a bare word for a value).
    Damaged,
    /// An object with neither an activity nor a service.
    Empty,
}

const AUDIT_ACTIVITIES: [&str; 5] = [
    "Reset password (self-service)",
    "User registered security info",
    "Request to join a group",
    "Update user",
    "Some activity from the future",
];

fn audit_record(activity: usize, n: u32) -> String {
    format!(
        r#"{{"id":"r{n}","activityDisplayName":"{}","activityDateTime":"2024-01-01T00:00:{:02}Z",
        "loggedByService":"Core Directory","result":"success","correlationId":"c{n}",
        "targetResources":[{{"id":"u{n}","type":"User","userPrincipalName":"u{n}@contoso.com"}}]}}"#,
        AUDIT_ACTIVITIES[activity % AUDIT_ACTIVITIES.len()],
        n % 60
    )
}

fn audit_piece() -> impl Strategy<Value = AuditPiece> {
    prop_oneof![
        6 => (0..AUDIT_ACTIVITIES.len(), any::<u32>())
            .prop_map(|(activity, n)| AuditPiece::Record { activity, n }),
        2 => any::<usize>().prop_map(AuditPiece::Again),
        1 => Just(AuditPiece::Damaged),
        1 => Just(AuditPiece::Empty),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn every_cloud_record_lands_in_exactly_one_bucket(
        pieces in proptest::collection::vec(audit_piece(), 0..40),
    ) {
        let mut texts: Vec<String> = Vec::new();
        let mut ids = std::collections::HashSet::new();
        // Records read, classified, duplicates, unreadable.
        let mut want = [0u64; 4];
        for p in &pieces {
            want[0] += 1;
            let text = match p {
                AuditPiece::Record { activity, n } => {
                    if ids.insert(*n) { want[1] += 1 } else { want[2] += 1 }
                    audit_record(*activity, *n)
                }
                AuditPiece::Again(i) => {
                    let earlier = texts.iter().filter(|t| t.starts_with("{\"id\"")).nth(i % texts.len().max(1));
                    match earlier {
                        Some(t) => { want[2] += 1; t.clone() }
                        None => { want[3] += 1; "{\"category\":\"x\"}".to_owned() }
                    }
                }
                AuditPiece::Damaged => {
                    want[3] += 1;
                    "{\"activityDisplayName\":\"Update user\",\"result\":success}".to_owned()
                }
                AuditPiece::Empty => {
                    want[3] += 1;
                    "{\"category\":\"x\"}".to_owned()
                }
            };
            texts.push(text);
        }
        // The admin center's JSON download: an array of records.
        let page = format!("[{}]", texts.join(",\n"));
        let mut analysis = Analysis::new();
        analysis.read_file("audit.json", None, page.as_bytes());
        let r = analysis.reports();
        let c = r.counts;
        prop_assert_eq!(c.accounted(), c.events_read);
        prop_assert_eq!([c.events_read, c.request_events, c.duplicates, c.unreadable], want);
        let rows = r.password_reset_activity.len() + r.password_reset_registration.len()
            + r.self_service_groups.len() + r.other_requests.len();
        prop_assert_eq!(rows as u64, c.request_events);
    }
}
