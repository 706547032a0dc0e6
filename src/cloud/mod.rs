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
//!   (`Target2…` and so on, each with `Target1ModifiedProperty1Name` /
//!   `…NewValue` pairs), and `AdditionalDetail1Key` /
//!   `AdditionalDetail1Value` pairs. Every number present is read, in
//!   order, whether or not the numbers before it are. An `Id` or
//!   `ActivityId` column is used when present. Columns not listed are
//!   ignored, so a view with more or fewer columns still reads.
//!
//! An additional detail without a key, or a changed property without a
//! name, cannot be told from the others and is not kept: the record counts
//! it in [`AuditRecord::left_out`], and the reader says so once per file.
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

use std::collections::BTreeMap;

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
    /// Parts of the record that were read but not kept, for a note.
    pub left_out: LeftOut,
}

/// Parts of an audit record that hold a value but no name, so that no rule
/// can read them: they are not kept, only counted.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct LeftOut {
    /// Additional details with a value but no key.
    pub details_without_key: u32,
    /// Changed properties of a target with a new value but no name.
    pub changes_without_name: u32,
}

impl LeftOut {
    /// Whether nothing was left out.
    pub fn is_empty(&self) -> bool {
        *self == LeftOut::default()
    }

    /// Adds another record's counts to these.
    pub fn add(&mut self, other: &LeftOut) {
        self.details_without_key += other.details_without_key;
        self.changes_without_name += other.changes_without_name;
    }

    /// What was left out, in words (empty when nothing was).
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if self.details_without_key > 0 {
            parts.push(format!(
                "{} additional detail value(s) without a key",
                self.details_without_key
            ));
        }
        if self.changes_without_name > 0 {
            parts.push(format!(
                "{} changed property value(s) without a name",
                self.changes_without_name
            ));
        }
        parts.join(" and ")
    }
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

fn target_from_json(v: &Value, left_out: &mut LeftOut) -> Target {
    let modified = list(nested(v, "modifiedProperties"))
        .iter()
        .filter_map(|p| change(text(p, "displayName"), text(p, "newValue"), left_out))
        .collect();
    Target {
        id: text(v, "id"),
        display_name: text(v, "displayName"),
        kind: text(v, "type"),
        upn: text(v, "userPrincipalName"),
        modified,
    }
}

/// A changed property from its name and new value; a value without a name
/// is counted in `left_out`.
fn change(
    name: Option<String>,
    new_value: Option<String>,
    left_out: &mut LeftOut,
) -> Option<ModifiedProperty> {
    let (name, new_value) = named(name, new_value, &mut left_out.changes_without_name)?;
    Some(ModifiedProperty { name, new_value })
}

/// An additional detail from its key and value; a value without a key is
/// counted in `left_out`.
fn detail(
    key: Option<String>,
    value: Option<String>,
    left_out: &mut LeftOut,
) -> Option<(String, String)> {
    named(key, value, &mut left_out.details_without_key)
}

/// A name and its value (empty when absent); a value without a name is
/// counted in `unnamed`, as no rule could read it.
fn named(
    name: Option<String>,
    value: Option<String>,
    unnamed: &mut u32,
) -> Option<(String, String)> {
    match name {
        Some(name) => Some((name, value.unwrap_or_default())),
        None => {
            *unnamed += u32::from(value.is_some());
            None
        }
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
    let mut left_out = LeftOut::default();
    let targets = list(nested(v, "targetResources"))
        .iter()
        .map(|t| target_from_json(t, &mut left_out))
        .collect();
    let details = list(nested(v, "additionalDetails"))
        .iter()
        .filter_map(|d| detail(text(d, "key"), text(d, "value"), &mut left_out))
        .collect();
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
        targets,
        details,
        missing: Vec::new(),
        left_out,
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
    let mut left_out = LeftOut::default();
    let mut targets = Vec::new();
    for fields in numbered(row, "Target").into_values() {
        let changes = numbered(&fields, "ModifiedProperty");
        let fields = Value::Object(fields);
        let t = |f: &str| text(&fields, f);
        let modified = changes
            .into_values()
            .filter_map(|c| {
                let c = Value::Object(c);
                change(text(&c, "Name"), text(&c, "NewValue"), &mut left_out)
            })
            .collect();
        let target = Target {
            id: t("ObjectId"),
            display_name: t("DisplayName"),
            kind: t("Type"),
            upn: t("UserPrincipalName"),
            modified,
        };
        // Columns exist for as many targets as the widest record has: a
        // record with fewer leaves the others' cells empty.
        if target != Target::default() {
            targets.push(target);
        }
    }
    let details = numbered(row, "AdditionalDetail")
        .into_values()
        .filter_map(|d| {
            let d = Value::Object(d);
            detail(text(&d, "Key"), text(&d, "Value"), &mut left_out)
        })
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
        left_out,
    })
}

/// The numbered columns `{prefix}{n}{field}` of a row (any case), by `n`
/// in order, each as `field` → cell. Every number present is found, so a
/// gap in the numbers loses nothing.
fn numbered(row: &Map<String, Value>, prefix: &str) -> BTreeMap<u64, Map<String, Value>> {
    let mut found: BTreeMap<u64, Map<String, Value>> = BTreeMap::new();
    for (column, cell) in row {
        let Some(rest) = column
            .get(..prefix.len())
            .filter(|head| head.eq_ignore_ascii_case(prefix))
            .map(|_| &column[prefix.len()..])
        else {
            continue;
        };
        let digits = rest.bytes().take_while(u8::is_ascii_digit).count();
        let Ok(n) = rest[..digits].parse::<u64>() else {
            continue;
        };
        found
            .entry(n)
            .or_default()
            .insert(rest[digits..].to_owned(), cell.clone());
    }
    found
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

    fn csv_row(pairs: &[(&str, &str)]) -> Map<String, Value> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), Value::String((*v).to_owned())))
            .collect()
    }

    #[test]
    fn a_csv_row_reads_every_numbered_column_present_past_a_gap() {
        let row = csv_row(&[
            ("Activity", "Update user"),
            ("Target1Type", "User"),
            ("Target1UserPrincipalName", "vera@contoso.com"),
            ("Target3Type", "Group"),
            ("Target3DisplayName", "Hiking Club"),
            ("target3modifiedproperty2name", "Method"),
            ("Target3ModifiedProperty2NewValue", "SMS"),
            ("AdditionalDetail2Key", "Reason"),
            ("AdditionalDetail2Value", "weekends"),
        ]);
        let r = record_from_csv(&row);

        let names: Vec<_> = r
            .targets
            .iter()
            .map(|t| t.display_name.as_deref().or(t.upn.as_deref()))
            .collect();
        assert_eq!(names, vec![Some("vera@contoso.com"), Some("Hiking Club")]);
        assert_eq!(
            r.targets[1].modified,
            vec![ModifiedProperty {
                name: "Method".to_owned(),
                new_value: "SMS".to_owned(),
            }]
        );
        assert_eq!(
            r.details,
            vec![("Reason".to_owned(), "weekends".to_owned())]
        );
        assert!(r.left_out.is_empty());
    }

    #[test]
    fn csv_values_without_their_name_are_counted_as_left_out() {
        let row = csv_row(&[
            ("Activity", "Update user"),
            ("Target1Type", "User"),
            ("Target1ModifiedProperty1Name", ""),
            ("Target1ModifiedProperty1NewValue", "x"),
            ("Target2ModifiedProperty1Name", ""),
            ("Target2ModifiedProperty1NewValue", ""),
            ("AdditionalDetail1Key", ""),
            ("AdditionalDetail1Value", "y"),
            ("AdditionalDetail2Value", "z"),
            ("AdditionalDetail3Key", ""),
            ("AdditionalDetail3Value", ""),
        ]);
        let r = record_from_csv(&row);

        assert_eq!(r.targets.len(), 1);
        assert_eq!(r.targets[0].modified, vec![]);
        assert_eq!(r.details, vec![]);
        let left_out = LeftOut {
            details_without_key: 2,
            changes_without_name: 1,
        };
        assert_eq!(r.left_out, left_out);
        assert_eq!(
            left_out.describe(),
            "2 additional detail value(s) without a key and 1 changed property value(s) \
             without a name"
        );
    }

    #[test]
    fn json_values_without_their_name_are_counted_as_left_out() {
        let v = serde_json::json!({
            "activityDisplayName": "Update user",
            "targetResources": [{"id": "u1", "type": "User", "modifiedProperties": [
                {"displayName": null, "newValue": "\"x\""},
                {"displayName": "Method", "newValue": "SMS"}]}],
            "additionalDetails": [
                {"key": null, "value": "y"}, {"key": "", "value": ""}, {"key": "Reason", "value": "z"}]
        });
        let r = record_from_json(&v);

        assert_eq!(r.targets[0].modified.len(), 1);
        assert_eq!(r.details, vec![("Reason".to_owned(), "z".to_owned())]);
        assert_eq!(
            r.left_out,
            LeftOut {
                details_without_key: 1,
                changes_without_name: 1,
            }
        );
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
