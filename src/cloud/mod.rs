//! Cloud activity: Microsoft Entra ID (Azure AD) audit log records, read
//! next to the MIM request log so that the three reports show on-premises
//! and cloud activity together.
//!
//! # What the readers rely on
//!
//! The record is Microsoft Graph's `directoryAudit` resource, as documented on
//! Microsoft Learn ("directoryAudit resource type", and "List directoryAudits"
//! for the page shape): `id`, `category`, `correlationId`, `result`
//! (`success`, `failure`, `timeout`, `unknownFutureValue`), `resultReason`,
//! `activityDisplayName`, `activityDateTime` (always UTC), `loggedByService`
//! (for example `Self-service Password Management`, `Core Directory`),
//! `operationType`, `initiatedBy` (`user` with `id`, `displayName`,
//! `userPrincipalName`, `ipAddress`; or `app` with `displayName`,
//! `servicePrincipalName`), `targetResources` (each with `id`,
//! `displayName`, `type`, `userPrincipalName`, `modifiedProperties` of
//! `displayName` / `oldValue` / `newValue`) and `additionalDetails`
//! (`key` / `value` pairs). Keys are matched without regard to case, so the
//! Log Analytics `AuditLogs` table (the same fields in PascalCase, its
//! nested values sometimes as JSON text) reads the same way.
//!
//! The shapes read:
//!
//! - a Graph `auditLogs/directoryAudits` page: an object with
//!   `@odata.context`, a `value` array of records and `@odata.nextLink`;
//!   several pages one after another; or the `value` array on its own;
//! - the Entra admin center's **Download > JSON**: an array of the same
//!   records (the portal writes Graph's field names);
//! - the admin center's **Download > CSV**: one headed row per record,
//!   read by column name: `Date (UTC)`, `CorrelationId`, `Service`,
//!   `Category`, `Activity`, `Result`, `ResultReason`, `ActorType`,
//!   `ActorDisplayName`, `ActorObjectId`, `ActorUserPrincipalName`,
//!   `IPAddress`, `ActorServicePrincipalName`, then per target `Target1Type`,
//!   `Target1DisplayName`, `Target1ObjectId`, `Target1UserPrincipalName`
//!   (`Target2…` and so on), and `AdditionalDetail1Key` /
//!   `AdditionalDetail1Value` pairs. An `Id` or `ActivityId` column is used
//!   when present. Columns not listed are ignored, so a view with more or
//!   fewer columns still reads.
//!
//! A page is parsed whole (Graph pages hold at most a thousand records);
//! a page that does not parse (a damaged record, or the file cut short
//! inside it) is read again record by record, so only the damaged record is
//! lost. The records of an array are framed and parsed one at a time by the
//! JSON reader, and CSV rows are streamed by the delimited reader, so big
//! downloads are never held whole.
//!
//! Which record lands in which report is in [`rules`].

pub mod rules;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::event::EventOrigin;
use crate::ingest::ReadItem;
use crate::ingest::json::{as_text, lookup};
use crate::ledger::{Diagnostic, Severity};
use crate::time::parse_utc;

/// Who started an audited activity: a user or an application.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Initiator {
    /// The user's or application's object id.
    pub id: Option<String>,
    /// Display name.
    pub display_name: Option<String>,
    /// The user's principal name (absent for an application).
    pub upn: Option<String>,
    /// Whether an application (a service principal) acted rather than a user.
    pub is_app: bool,
}

/// A property a cloud activity changed on a target.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ModifiedProperty {
    /// The property's name.
    pub name: String,
    /// Its new value, as text.
    pub new_value: String,
}

/// An object an activity acted on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Target {
    /// Object id.
    pub id: Option<String>,
    /// Display name.
    pub display_name: Option<String>,
    /// `User`, `Group`, `Device`, ...
    pub kind: Option<String>,
    /// The user's principal name, for a user.
    pub upn: Option<String>,
    /// What changed on it.
    pub modified: Vec<ModifiedProperty>,
}

impl Target {
    /// Whether the target is of this type (any case).
    pub fn is(&self, kind: &str) -> bool {
        self.kind
            .as_deref()
            .is_some_and(|k| k.eq_ignore_ascii_case(kind))
    }
}

/// One Entra ID audit record, whatever export it came from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AuditRecord {
    /// The record's id, when the export carries it (the portal CSV does not).
    pub id: Option<String>,
    /// When the activity happened (UTC).
    pub date: Option<DateTime<Utc>>,
    /// `loggedByService`.
    pub service: Option<String>,
    /// `category`.
    pub category: Option<String>,
    /// `activityDisplayName`.
    pub activity: Option<String>,
    /// `operationType`.
    pub operation_type: Option<String>,
    /// `result`, as written.
    pub result: Option<String>,
    /// `resultReason`.
    pub result_reason: Option<String>,
    /// `correlationId`.
    pub correlation_id: Option<String>,
    /// `initiatedBy`.
    pub initiator: Option<Initiator>,
    /// `targetResources`, in order.
    pub targets: Vec<Target>,
    /// `additionalDetails`, in order.
    pub details: Vec<(String, String)>,
    /// Fields a report row needs that the record lacks, for a warning.
    pub missing: Vec<&'static str>,
}

impl AuditRecord {
    /// The first target of a type (any case).
    pub fn target(&self, kind: &str) -> Option<&Target> {
        self.targets.iter().find(|t| t.is(kind))
    }

    /// The key that recognises the same record read twice (from two
    /// exports of overlapping periods, or from the CSV and the JSON of the
    /// same records): its time, correlation id, activity, result reason and
    /// first target. The id is not used because the CSV has none.
    pub fn identity(&self) -> String {
        let date = self.date.map(crate::time::iso_millis).unwrap_or_default();
        let target = self.targets.first();
        let low = |s: Option<&str>| s.unwrap_or_default().to_ascii_lowercase();
        format!(
            "{date}|{}|{}|{}|{}",
            low(self.correlation_id.as_deref()),
            low(self.activity.as_deref()),
            self.result_reason.as_deref().unwrap_or_default(),
            low(target.and_then(|t| t.id.as_deref().or(t.upn.as_deref()))),
        )
    }

    /// The id rows name the record by: its own id, else its correlation id
    /// with its time (so the CSV and JSON rows of one record sort alike).
    pub fn row_id(&self) -> Option<String> {
        if let Some(id) = &self.id {
            return Some(id.to_ascii_lowercase());
        }
        let correlation = self.correlation_id.as_deref()?.to_ascii_lowercase();
        Some(match self.date {
            Some(d) => format!("{correlation}@{}", crate::time::iso_millis(d)),
            None => correlation,
        })
    }
}

/// Whether a JSON object is an Entra audit record: it has one of the
/// fields no event export has (the activity's name, the service that logged
/// it, or the activity's time).
pub fn is_audit_record(v: &Value) -> bool {
    v.is_object()
        && ["activityDisplayName", "loggedByService", "activityDateTime"]
            .iter()
            .any(|k| lookup(v, k).is_some())
}

/// The records of a Graph `directoryAudits` page (`value`, with
/// `@odata.context` or `@odata.nextLink`), if `v` is one.
pub fn graph_page_records(v: &Value) -> Option<&Vec<Value>> {
    let records = v.as_object()?.get("value")?.as_array()?;
    let is_page = lookup(v, "@odata.context").is_some() || lookup(v, "@odata.nextLink").is_some();
    (is_page || records.first().is_some_and(is_audit_record)).then_some(records)
}

/// Text of a field, empty text as absent.
fn text(v: &Value, key: &str) -> Option<String> {
    lookup(v, key)
        .and_then(as_text)
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
}

/// A nested value that Log Analytics may have written as JSON text.
fn nested(v: &Value, key: &str) -> Option<Value> {
    match lookup(v, key)? {
        Value::String(s) if s.trim_start().starts_with(['{', '[']) => serde_json::from_str(s).ok(),
        Value::Null => None,
        other => Some(other.clone()),
    }
}

fn list(v: Option<Value>) -> Vec<Value> {
    match v {
        Some(Value::Array(items)) => items,
        Some(Value::Null) | None => Vec::new(),
        Some(one) => vec![one],
    }
}

fn initiator_from_json(v: &Value) -> Option<Initiator> {
    let by = nested(v, "initiatedBy")?;
    if let Some(user) = lookup(&by, "user").filter(|u| u.is_object()) {
        let i = Initiator {
            id: text(user, "id"),
            display_name: text(user, "displayName"),
            upn: text(user, "userPrincipalName"),
            is_app: false,
        };
        if i.id.is_some() || i.display_name.is_some() || i.upn.is_some() {
            return Some(i);
        }
    }
    let app = lookup(&by, "app").filter(|a| a.is_object())?;
    let i = Initiator {
        id: text(app, "servicePrincipalId").or_else(|| text(app, "appId")),
        display_name: text(app, "displayName").or_else(|| text(app, "servicePrincipalName")),
        upn: None,
        is_app: true,
    };
    (i.id.is_some() || i.display_name.is_some()).then_some(i)
}

fn target_from_json(v: &Value) -> Target {
    Target {
        id: text(v, "id"),
        display_name: text(v, "displayName"),
        kind: text(v, "type"),
        upn: text(v, "userPrincipalName"),
        modified: list(nested(v, "modifiedProperties"))
            .iter()
            .filter_map(|p| {
                Some(ModifiedProperty {
                    name: text(p, "displayName")?,
                    new_value: text(p, "newValue").unwrap_or_default(),
                })
            })
            .collect(),
    }
}

/// Notes which of the fields a row needs are absent.
fn with_missing(mut r: AuditRecord) -> AuditRecord {
    let checks: [(bool, &'static str); 4] = [
        (r.date.is_none(), "activity date"),
        (r.activity.is_none(), "activity"),
        (r.result.is_none(), "result"),
        (r.service.is_none(), "service"),
    ];
    r.missing = checks.iter().filter(|(m, _)| *m).map(|(_, n)| *n).collect();
    r
}

/// Reads a record from Graph or portal JSON (or a Log Analytics row).
pub fn record_from_json(v: &Value) -> AuditRecord {
    with_missing(AuditRecord {
        id: text(v, "id"),
        date: text(v, "activityDateTime").as_deref().and_then(parse_utc),
        service: text(v, "loggedByService"),
        category: text(v, "category"),
        activity: text(v, "activityDisplayName"),
        operation_type: text(v, "operationType").or_else(|| text(v, "AADOperationType")),
        result: text(v, "result"),
        result_reason: text(v, "resultReason"),
        correlation_id: text(v, "correlationId"),
        initiator: initiator_from_json(v),
        targets: list(nested(v, "targetResources"))
            .iter()
            .map(target_from_json)
            .collect(),
        details: list(nested(v, "additionalDetails"))
            .iter()
            .filter_map(|d| Some((text(d, "key")?, text(d, "value").unwrap_or_default())))
            .collect(),
        missing: Vec::new(),
    })
}

/// Whether a header row is the admin center's audit CSV: it names the
/// activity, the service and the UTC date.
pub fn is_audit_csv_header(first_line: &str) -> bool {
    let l = first_line.to_ascii_lowercase();
    l.contains("activity") && l.contains("date (utc)") && l.contains("service")
}

/// Reads a record from one row of the admin center's CSV, given as column
/// name → cell.
pub fn record_from_csv(row: &Map<String, Value>) -> AuditRecord {
    let v = Value::Object(row.clone());
    let cell = |k: &str| text(&v, k);
    let initiator = {
        let is_app = cell("ActorType").is_some_and(|t| {
            let t = t.to_ascii_lowercase();
            t.contains("app") || t.contains("service")
        });
        let i = Initiator {
            id: cell("ActorObjectId").or_else(|| cell("ActorServicePrincipalId")),
            display_name: cell("ActorDisplayName").or_else(|| cell("ActorServicePrincipalName")),
            upn: cell("ActorUserPrincipalName"),
            is_app,
        };
        (i.id.is_some() || i.display_name.is_some() || i.upn.is_some()).then_some(i)
    };
    let targets = (1..)
        .map_while(|n| {
            let t = |f: &str| cell(&format!("Target{n}{f}"));
            let target = Target {
                id: t("ObjectId"),
                display_name: t("DisplayName"),
                kind: t("Type"),
                upn: t("UserPrincipalName"),
                modified: (1..)
                    .map_while(|m| {
                        Some(ModifiedProperty {
                            name: t(&format!("ModifiedProperty{m}Name"))?,
                            new_value: t(&format!("ModifiedProperty{m}NewValue"))
                                .unwrap_or_default(),
                        })
                    })
                    .collect(),
            };
            let present = target.id.is_some()
                || target.display_name.is_some()
                || target.kind.is_some()
                || target.upn.is_some();
            // Columns exist for as many targets as the widest record has.
            let column_exists = row
                .keys()
                .any(|k| k.to_ascii_lowercase().starts_with(&format!("target{n}")));
            column_exists.then_some(present.then_some(target))
        })
        .flatten()
        .collect();
    let details = (1..)
        .map_while(|n| {
            let key = cell(&format!("AdditionalDetail{n}Key"));
            let exists = lookup(&v, &format!("AdditionalDetail{n}Key")).is_some();
            exists.then(|| {
                key.map(|k| {
                    (
                        k,
                        cell(&format!("AdditionalDetail{n}Value")).unwrap_or_default(),
                    )
                })
            })
        })
        .flatten()
        .collect();
    with_missing(AuditRecord {
        id: cell("Id").or_else(|| cell("ActivityId")),
        date: cell("Date (UTC)")
            .or_else(|| cell("Date"))
            .as_deref()
            .and_then(parse_utc),
        service: cell("Service"),
        category: cell("Category"),
        activity: cell("Activity"),
        operation_type: cell("OperationType"),
        result: cell("Result"),
        result_reason: cell("ResultReason"),
        correlation_id: cell("CorrelationId"),
        initiator,
        targets,
        details,
        missing: Vec::new(),
    })
}

/// The item for one audit record read at `origin`: the record, or why it is
/// unusable (it names no activity at all).
pub fn audit_item(origin: EventOrigin, record: AuditRecord) -> ReadItem {
    if record.activity.is_none() && record.service.is_none() {
        let msg = "an Entra audit record with neither an activity nor a service was skipped";
        return ReadItem::Unreadable(Diagnostic::at(Severity::Error, &origin, msg));
    }
    ReadItem::Audit {
        origin,
        record: Box::new(record),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_graph_record_reads_with_its_initiator_targets_and_details() {
        let v: Value = serde_json::json!({
            "id": "Audit_ABC", "category": "UserManagement", "correlationId": "C1",
            "result": "success", "resultReason": "", "activityDisplayName": "Reset password (self-service)",
            "activityDateTime": "2024-01-09T21:20:02.7215374Z", "loggedByService": "Self-service Password Management",
            "initiatedBy": {"user": {"id": "u1", "displayName": "Vera Brennan", "userPrincipalName": "vera@contoso.com"}, "app": null},
            "targetResources": [{"id": "u1", "displayName": "Vera Brennan", "type": "User", "userPrincipalName": "vera@contoso.com",
                                 "modifiedProperties": [{"displayName": "Method", "oldValue": null, "newValue": "\"SMS\""}]}],
            "additionalDetails": [{"key": "Method", "value": "SMS"}]
        });
        let r = record_from_json(&v);
        assert_eq!(r.activity.as_deref(), Some("Reset password (self-service)"));
        assert_eq!(
            r.date.map(crate::time::iso_millis).as_deref(),
            Some("2024-01-09T21:20:02.721Z")
        );
        assert_eq!(
            r.initiator.as_ref().and_then(|i| i.upn.as_deref()),
            Some("vera@contoso.com")
        );
        assert_eq!(r.targets[0].modified[0].name, "Method");
        assert_eq!(r.details, vec![("Method".to_owned(), "SMS".to_owned())]);
        assert!(r.missing.is_empty());
        assert_eq!(r.row_id().as_deref(), Some("audit_abc"));
    }

    #[test]
    fn a_csv_row_reads_its_numbered_targets_and_details() {
        let pairs = [
            ("Date (UTC)", "2024-01-09T21:20:02.721Z"),
            ("CorrelationId", "C1"),
            ("Service", "Self-service Group Management"),
            ("Activity", "Request to join a group"),
            ("Result", "Success"),
            ("ActorType", "User"),
            ("ActorUserPrincipalName", "vera@contoso.com"),
            ("Target1Type", "Group"),
            ("Target1DisplayName", "Hiking Club"),
            ("Target2Type", ""),
            ("Target2DisplayName", ""),
            ("AdditionalDetail1Key", "Reason"),
            ("AdditionalDetail1Value", "weekends"),
        ];
        let row: Map<String, Value> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), Value::String((*v).to_owned())))
            .collect();
        let r = record_from_csv(&row);
        assert_eq!(r.targets.len(), 1);
        assert_eq!(
            r.target("group").and_then(|t| t.display_name.as_deref()),
            Some("Hiking Club")
        );
        assert_eq!(r.details.len(), 1);
        assert_eq!(r.id, None);
        assert_eq!(r.row_id().as_deref(), Some("c1@2024-01-09T21:20:02.721Z"));
    }

    #[test]
    fn a_log_analytics_row_reads_its_nested_values_written_as_json_text() {
        let v = serde_json::json!({
            "TimeGenerated [UTC]": "2024-01-09T21:20:03Z", "ActivityDateTime": "2024-01-09T21:20:02Z",
            "ActivityDisplayName": "User deleted security info", "LoggedByService": "Authentication Methods",
            "Result": "success", "Id": "x",
            "InitiatedBy": "{\"user\":{\"id\":\"u1\",\"userPrincipalName\":\"lena@contoso.com\"}}",
            "TargetResources": "[{\"id\":\"u1\",\"type\":\"User\",\"userPrincipalName\":\"lena@contoso.com\"}]"
        });
        assert!(is_audit_record(&v));
        let r = record_from_json(&v);
        assert_eq!(
            r.initiator.and_then(|i| i.upn).as_deref(),
            Some("lena@contoso.com")
        );
        assert_eq!(r.targets.len(), 1);
        assert!(r.targets[0].is("user"));
        assert!(r.missing.is_empty());
    }

    #[test]
    fn missing_fields_are_named() {
        let r = record_from_json(
            &serde_json::json!({"activityDisplayName": "Reset password (self-service)"}),
        );
        assert_eq!(r.missing, vec!["activity date", "result", "service"]);
    }
}
