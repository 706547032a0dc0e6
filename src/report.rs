//! Report rows and the reports built from classified requests: the three
//! reports with their columns, Other requests, the incomplete requests, and
//! the accounting of the load.
//!
//! Gate registrations are folded here, because folding needs every
//! registration row of the load: a gate registration of the same user within
//! ten minutes (before or after) of a registration row joins that row, adding
//! its methods and its request id; the others make rows of their own.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};

use crate::classify::{self, Classified, Facts, Outcome, Person, ReportKind, Role};
use crate::event::EventOrigin;
use crate::ledger::Accounting;

/// How far apart a gate registration and a registration row may be and still
/// be one registration.
pub const FOLD_WINDOW_MINUTES: i64 = 10;

/// Serde for row dates: ISO 8601 UTC with milliseconds, or `null`.
pub mod iso_date {
    use chrono::{DateTime, Utc};
    use serde::{Deserialize, Deserializer, Serializer};

    /// Writes `2024-01-04T15:41:31.748Z`.
    pub fn serialize<S: Serializer>(d: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(t) => s.serialize_str(&crate::time::iso_millis(*t)),
            None => s.serialize_none(),
        }
    }

    /// Reads it back.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
        let text = Option::<String>::deserialize(d)?;
        match text {
            None => Ok(None),
            Some(t) => crate::time::parse_utc(&t)
                .map(Some)
                .ok_or_else(|| serde::de::Error::custom(format!("not a date: {t}"))),
        }
    }
}

/// Where a row's activity happened: on-premises in MIM, or in the cloud.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Source {
    /// The MIM request log.
    #[default]
    #[serde(rename = "On-premises (MIM)")]
    OnPremises,
    /// A Microsoft Entra ID audit log export.
    #[serde(rename = "Cloud (Entra ID)")]
    Cloud,
}

impl Source {
    /// The word shown in the reports and exports.
    pub fn label(self) -> &'static str {
        match self {
            Source::OnPremises => "On-premises (MIM)",
            Source::Cloud => "Cloud (Entra ID)",
        }
    }

    /// Both sources, in the order summaries list them.
    pub const ALL: [Source; 2] = [Source::OnPremises, Source::Cloud];
}

/// The key that recognises one person across sources: the e-mail address
/// or user principal name in lower case when the row knows one (MIM's
/// `Email`, Entra's UPN), else the `DOMAIN\account` in lower case. It
/// assumes, as hybrid set-ups usually arrange, that a person's on-premises
/// e-mail address is their cloud sign-in name; a MIM row that names only an
/// account gets the address another MIM row of the load gives that account.
pub fn person_key(p: &Person) -> Option<String> {
    p.upn
        .as_deref()
        .or(p.account.as_deref())
        .map(|k| k.trim().to_lowercase())
        .filter(|k| !k.is_empty())
}

/// What every row carries besides its report's columns.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RowOrigin {
    /// The request GUID, lower case.
    pub request_id: String,
    /// The id of the rule that put the row here (see [`classify::RULES`]).
    pub rule: String,
    /// Repairs made to read the request, joined; absent when it was clean.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub warning: Option<String>,
    /// The events the request came from.
    pub sources: Vec<EventOrigin>,
    /// On-premises (MIM) or cloud (Entra ID).
    #[serde(default)]
    pub source: Source,
    /// The person the row is about (see [`person_key`]); absent on Other
    /// requests and when the row names nobody.
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub person_key: Option<String>,
}

/// A row of *Password reset activity*.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PasswordResetRow {
    /// When (UTC).
    #[serde(with = "iso_date")]
    pub date: Option<DateTime<Utc>>,
    /// The user's display name.
    pub user: Option<String>,
    /// `DOMAIN\account`.
    pub account: Option<String>,
    /// Who acted.
    pub role: Role,
    /// Methods used, sorted; empty means "Not recorded".
    pub methods: Vec<String>,
    /// The result.
    pub result: Outcome,
    /// Status detail, else the request's display name.
    pub details: String,
    /// Request id, rule, warnings, sources.
    #[serde(flatten)]
    pub origin: RowOrigin,
}

/// A row of *Password reset registration*.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RegistrationRow {
    /// When (UTC).
    #[serde(with = "iso_date")]
    pub date: Option<DateTime<Utc>>,
    /// The user's display name.
    pub user: Option<String>,
    /// `DOMAIN\account`.
    pub account: Option<String>,
    /// Who acted.
    pub role: Role,
    /// `Registered`, `Unregistered`, `Updated registration`.
    pub registration_activity: String,
    /// Methods, sorted; empty means "Not recorded".
    pub methods: Vec<String>,
    /// The result.
    pub result: Outcome,
    /// Gate registrations folded into this row.
    pub folded_request_ids: Vec<String>,
    /// Rule, warnings and sources of each gate registration folded into
    /// this row, in the order of `folded_request_ids`, so that the page can
    /// show them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub folded_origins: Vec<RowOrigin>,
    /// Request id, rule, warnings, sources.
    #[serde(flatten)]
    pub origin: RowOrigin,
    /// The user's GUID, for folding.
    #[serde(skip)]
    pub user_id: Option<String>,
}

/// A row of *Self-service groups activity*.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupRow {
    /// When (UTC).
    #[serde(with = "iso_date")]
    pub date: Option<DateTime<Utc>>,
    /// The group's display name.
    pub group: String,
    /// `Join group`, `Leave group`, `Create group`.
    pub action: String,
    /// The requestor's display name.
    pub requestor: Option<String>,
    /// The requestor's `DOMAIN\account`.
    pub account: Option<String>,
    /// The result.
    pub result: Outcome,
    /// Status detail, else the request's display name.
    pub details: String,
    /// Request id, rule, warnings, sources.
    #[serde(flatten)]
    pub origin: RowOrigin,
}

/// A row of *Other requests*.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OtherRow {
    /// When (UTC).
    #[serde(with = "iso_date")]
    pub date: Option<DateTime<Utc>>,
    /// `Create`, `Put`, `Delete`.
    pub operation: String,
    /// The target's object type.
    pub target_type: String,
    /// The target's name.
    pub target: String,
    /// The requestor's name (or GUID).
    pub requestor: String,
    /// The raw `RequestStatus`.
    pub status: String,
    /// The result.
    pub result: Outcome,
    /// Status detail, else the request's display name.
    pub details: String,
    /// Request id, rule, warnings, sources.
    #[serde(flatten)]
    pub origin: RowOrigin,
}

/// A request classified, with where it came from.
#[derive(Clone, Debug, PartialEq)]
pub struct ClassifiedRequest {
    /// The classification.
    pub classified: Classified,
    /// Request id, rule, warnings, sources.
    pub origin: RowOrigin,
}

/// A request whose slices did not all come, as the reports list it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IncompleteSummary {
    /// The request GUID.
    pub request_id: String,
    /// Slices announced.
    pub slices: u32,
    /// Slice numbers missing.
    pub missing: Vec<u32>,
    /// Slice numbers present.
    pub present: Vec<u32>,
    /// The events of the slices present.
    pub sources: Vec<EventOrigin>,
}

/// A request read with repairs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestWarning {
    /// The request GUID.
    pub request_id: String,
    /// What was repaired.
    pub warning: String,
    /// Which report it went to.
    pub report: ReportKind,
}

/// Everything the page and the command-line tool show for one load.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Reports {
    /// *Password reset activity*, by date then request id.
    pub password_reset_activity: Vec<PasswordResetRow>,
    /// *Password reset registration*, by date then request id.
    pub password_reset_registration: Vec<RegistrationRow>,
    /// *Self-service groups activity*, by date then request id.
    pub self_service_groups: Vec<GroupRow>,
    /// *Other requests*, by date then request id.
    pub other_requests: Vec<OtherRow>,
    /// Requests whose slices did not all come.
    pub incomplete_requests: Vec<IncompleteSummary>,
    /// Requests read with repairs.
    pub warnings: Vec<RequestWarning>,
    /// Requests that reached a report or Other requests (folded gate
    /// registrations included).
    pub requests: u64,
    /// Gate registrations folded into registration rows.
    pub folded_gate_registrations: u64,
    /// The accounting of every event of the load.
    pub counts: Accounting,
}

/// The load summarised as one JSON document: the three reports' rows, the
/// count and ids of Other requests, the accounting, the incomplete requests,
/// the repaired requests, and the files with their diagnostics. The
/// command-line tool prints it with `--json`; the page exports it.
pub fn summary_document(reports: &Reports, ledger: &crate::ledger::Ledger) -> serde_json::Value {
    let c = &reports.counts;
    serde_json::json!({
        "reports": {
            "password_reset_activity": reports.password_reset_activity,
            "password_reset_registration": reports.password_reset_registration,
            "self_service_groups": reports.self_service_groups,
        },
        "other_requests": reports.other_requests.len(),
        "other_request_ids": reports.other_requests.iter().map(|r| r.origin.request_id.clone()).collect::<Vec<_>>(),
        "counts": {
            "events_read": c.events_read,
            "request_events": c.request_events,
            "requests": reports.requests,
            "duplicates": c.duplicates,
            "incomplete": c.incomplete,
            "not_request_log": c.not_request_log,
            "unreadable": c.unreadable,
        },
        "by_source": counts_by_source(reports),
        "folded_gate_registrations": reports.folded_gate_registrations,
        "incomplete_requests": reports.incomplete_requests,
        "warnings": reports.warnings,
        "files": ledger.files,
        "diagnostics": ledger.diagnostics,
        "diagnostics_dropped": ledger.diagnostics_dropped,
    })
}

/// How many rows of each report came from one source.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceCounts {
    /// The source.
    pub source: Source,
    /// Rows of *Password reset activity*.
    pub password_reset_activity: usize,
    /// Rows of *Password reset registration*.
    pub password_reset_registration: usize,
    /// Rows of *Self-service groups activity*.
    pub self_service_groups: usize,
    /// Rows of Other requests.
    pub other_requests: usize,
}

/// The rows of each report by source, on-premises first.
pub fn counts_by_source(r: &Reports) -> Vec<SourceCounts> {
    Source::ALL
        .iter()
        .map(|&source| {
            let of = |o: &RowOrigin| o.source == source;
            SourceCounts {
                source,
                password_reset_activity: r
                    .password_reset_activity
                    .iter()
                    .filter(|x| of(&x.origin))
                    .count(),
                password_reset_registration: r
                    .password_reset_registration
                    .iter()
                    .filter(|x| of(&x.origin))
                    .count(),
                self_service_groups: r
                    .self_service_groups
                    .iter()
                    .filter(|x| of(&x.origin))
                    .count(),
                other_requests: r.other_requests.iter().filter(|x| of(&x.origin)).count(),
            }
        })
        .collect()
}

/// The person's display name, account and GUID, with the row's origin
/// carrying the person's key.
fn person_parts(
    p: Person,
    mut origin: RowOrigin,
) -> (Option<String>, Option<String>, Option<String>, RowOrigin) {
    origin.person_key = person_key(&p);
    (p.name, p.account, p.id, origin)
}

/// Gives MIM rows keyed by an account only the address another row of the
/// load gives that account, so the person matches their cloud rows.
fn unify_person_keys(r: &mut Reports, addresses: &std::collections::HashMap<String, String>) {
    let origins = r
        .password_reset_activity
        .iter_mut()
        .map(|x| &mut x.origin)
        .chain(
            r.password_reset_registration
                .iter_mut()
                .map(|x| &mut x.origin),
        )
        .chain(r.self_service_groups.iter_mut().map(|x| &mut x.origin));
    for o in origins {
        if let Some(address) = o.person_key.as_ref().and_then(|k| addresses.get(k)) {
            o.person_key = Some(address.clone());
        }
    }
}

/// Builds the reports from classified requests.
pub fn build_reports(classified: &[ClassifiedRequest]) -> Reports {
    let mut r = Reports {
        requests: classified.len() as u64,
        ..Reports::default()
    };
    let mut gates: Vec<RegistrationRow> = Vec::new();
    // Account (lower case) → e-mail address, from people that have both.
    let mut addresses = std::collections::HashMap::new();

    for item in classified {
        let c = &item.classified;
        let origin = item.origin.clone();
        if let Facts::PasswordReset { user: p, .. }
        | Facts::Registration { user: p, .. }
        | Facts::Group { requestor: p, .. } = &c.facts
            && let (Some(account), Some(address)) = (&p.account, &p.upn)
            && !account.contains('@')
        {
            addresses.insert(account.to_lowercase(), address.to_lowercase());
        }
        if let Some(w) = &origin.warning {
            r.warnings.push(RequestWarning {
                request_id: origin.request_id.clone(),
                warning: w.clone(),
                report: c.rule.report,
            });
        }
        match c.facts.clone() {
            Facts::PasswordReset {
                user,
                role,
                methods,
            } => {
                let (user, account, _, origin) = person_parts(user, origin);
                r.password_reset_activity.push(PasswordResetRow {
                    date: c.date,
                    user,
                    account,
                    role,
                    methods,
                    result: c.outcome,
                    details: c.details.clone(),
                    origin,
                });
            }
            Facts::Registration {
                user,
                role,
                methods,
                activity,
            } => {
                let (user, account, user_id, origin) = person_parts(user, origin);
                let row = RegistrationRow {
                    date: c.date,
                    user,
                    account,
                    role,
                    registration_activity: activity,
                    methods,
                    result: c.outcome,
                    folded_request_ids: Vec::new(),
                    folded_origins: Vec::new(),
                    origin,
                    user_id,
                };
                if c.rule == classify::GATE_REGISTRATION {
                    gates.push(row);
                } else {
                    r.password_reset_registration.push(row);
                }
            }
            Facts::Group {
                group,
                action,
                requestor,
            } => {
                let (requestor, account, _, origin) = person_parts(requestor, origin);
                r.self_service_groups.push(GroupRow {
                    date: c.date,
                    group,
                    action,
                    requestor,
                    account,
                    result: c.outcome,
                    details: c.details.clone(),
                    origin,
                });
            }
            Facts::Other {
                operation,
                target_type,
                target,
                requestor,
                status,
            } => {
                r.other_requests.push(OtherRow {
                    date: c.date,
                    operation,
                    target_type,
                    target,
                    requestor,
                    status,
                    result: c.outcome,
                    details: c.details.clone(),
                    origin,
                });
            }
        }
    }

    r.folded_gate_registrations =
        fold_gate_registrations(&mut r.password_reset_registration, gates);
    unify_person_keys(&mut r, &addresses);

    sort_rows(&mut r.password_reset_activity, |x| {
        (x.date, x.origin.request_id.as_str())
    });
    sort_rows(&mut r.password_reset_registration, |x| {
        (x.date, x.origin.request_id.as_str())
    });
    sort_rows(&mut r.self_service_groups, |x| {
        (x.date, x.origin.request_id.as_str())
    });
    sort_rows(&mut r.other_requests, |x| {
        (x.date, x.origin.request_id.as_str())
    });
    r.warnings.sort_by(|a, b| a.request_id.cmp(&b.request_id));
    r
}

/// Sorts rows by date, then request id. The key borrows the id, so no
/// comparison copies it.
fn sort_rows<T>(rows: &mut [T], key: impl Fn(&T) -> (Option<DateTime<Utc>>, &str)) {
    rows.sort_by(|a, b| key(a).cmp(&key(b)));
}

/// Whether a gate registration and a registration row are the same user's.
fn same_user(a: &RegistrationRow, b: &RegistrationRow) -> bool {
    match (&a.user_id, &b.user_id) {
        (Some(x), Some(y)) => x == y,
        _ => match (&a.account, &b.account) {
            (Some(x), Some(y)) => x.eq_ignore_ascii_case(y),
            _ => a.user.is_some() && a.user == b.user,
        },
    }
}

/// Folds gate registrations into the nearest registration row of the same
/// user within the window; the rest become rows. Returns how many folded.
fn fold_gate_registrations(rows: &mut Vec<RegistrationRow>, gates: Vec<RegistrationRow>) -> u64 {
    let window = Duration::minutes(FOLD_WINDOW_MINUTES);
    let anchors = rows.len();
    let mut folded = 0;
    for gate in gates {
        let nearest = gate.date.and_then(|gd| {
            rows[..anchors]
                .iter()
                .enumerate()
                .filter(|(_, row)| same_user(&gate, row))
                .filter_map(|(i, row)| row.date.map(|rd| (i, (rd - gd).abs())))
                .filter(|(_, gap)| *gap <= window)
                .min_by_key(|(_, gap)| *gap)
                .map(|(i, _)| i)
        });
        match nearest {
            Some(i) => {
                let row = &mut rows[i];
                row.methods.extend(gate.methods);
                row.methods.sort();
                row.methods.dedup();
                row.folded_origins.push(gate.origin);
                row.folded_origins
                    .sort_by(|a, b| a.request_id.cmp(&b.request_id));
                row.folded_request_ids = row
                    .folded_origins
                    .iter()
                    .map(|o| o.request_id.clone())
                    .collect();
                folded += 1;
            }
            None => rows.push(gate),
        }
    }
    folded
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::classify;
    use crate::request::parse_request;

    fn classified(json: &str) -> ClassifiedRequest {
        let req = match parse_request(json) {
            Ok(r) => r,
            Err(e) => panic!("{e}"),
        };
        let c = classify(&req, None);
        ClassifiedRequest {
            origin: RowOrigin {
                request_id: req.id.clone(),
                rule: c.rule.id.to_owned(),
                warning: None,
                sources: vec![],
                source: Source::OnPremises,
                person_key: None,
            },
            classified: c,
        }
    }

    fn registration(id: &str, time: &str) -> String {
        format!(
            r#"{{"HybridObjectID":"{id}","TargetObjectType":"Person","Target":{{"HybridObjectID":"u1","DisplayName":"Lena"}},
            "Creator":{{"HybridObjectID":"u1"}},"RequestStatus":"Completed","CommittedTime":"{time}",
            "RequestParameter":[{{"PropertyName":"AuthNWFRegistered","Value":"[]","Mode":"Add"}}]}}"#
        )
    }

    fn gate(id: &str, time: &str, gate: &str) -> String {
        format!(
            r#"{{"HybridObjectID":"{id}","TargetObjectType":"GateRegistration","Operation":"Create",
            "Creator":{{"HybridObjectID":"u1"}},"RequestStatus":"Completed","CommittedTime":"{time}",
            "RequestParameter":[{{"PropertyName":"GateTypeId","Value":"{gate}","Mode":"Modify"}},
              {{"PropertyName":"UserID","Value":"[{{\"HybridObjectID\":\"u1\",\"DisplayName\":\"Lena\"}}]","Mode":"Modify"}}]}}"#
        )
    }

    #[test]
    fn gate_registrations_within_ten_minutes_fold_into_the_registration() {
        let items = vec![
            classified(&registration("reg", "2024-01-02 23:11:37.628")),
            classified(&gate("g1", "2024-01-02 23:09:48.260", "Phone Gate")),
            classified(&gate("g2", "2024-01-02 23:21:37.628", "QA Gate")),
        ];
        let r = build_reports(&items);
        assert_eq!(r.password_reset_registration.len(), 1);
        let row = &r.password_reset_registration[0];
        assert_eq!(row.folded_request_ids, vec!["g1", "g2"]);
        let rules: Vec<&str> = row.folded_origins.iter().map(|o| o.rule.as_str()).collect();
        assert_eq!(rules, ["2b", "2b"]);
        assert_eq!(row.methods, vec!["Mobile phone", "Questions and answers"]);
        assert_eq!(r.folded_gate_registrations, 2);
        assert_eq!(r.requests, 3);
    }

    #[test]
    fn a_gate_registration_further_away_is_a_row_of_its_own() {
        let items = vec![
            classified(&registration("reg", "2024-01-02 23:11:37.628")),
            classified(&gate("g1", "2024-01-02 23:21:37.629", "QA Gate")),
        ];
        let r = build_reports(&items);
        assert_eq!(r.password_reset_registration.len(), 2);
        assert_eq!(
            r.password_reset_registration[1].registration_activity,
            "Updated registration"
        );
        assert_eq!(r.folded_gate_registrations, 0);
    }

    #[test]
    fn rows_serialise_with_the_export_field_names_and_millisecond_dates() {
        let r = build_reports(&[classified(&registration("reg", "1/5/2024 9:15:02 AM"))]);
        let json = serde_json::to_value(&r.password_reset_registration[0]).unwrap_or_default();
        assert_eq!(json["date"], "2024-01-05T09:15:02.000Z");
        assert_eq!(json["registration_activity"], "Registered");
        assert_eq!(json["role"], "User");
        assert_eq!(json["result"], "Success");
        assert_eq!(json["rule"], "2a");
        assert!(json.get("warning").is_none());
    }
}
