//! The MIM request document and its lenient parser.
//!
//! Request JSON comes in many hands: keys in any case (`PropertyName` is also
//! `Propertyname`), a single object where a list is expected and the reverse,
//! references as objects, as GUID strings, or as a JSON array encoded inside a
//! string. Damaged text is repaired where the key fields can still be
//! recovered (a trailing comma, raw control characters, text cut short), and
//! every repair becomes a warning shown next to the request.

mod tree;

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::time::parse_utc;
use tree::Json;

/// A MIM object as a request names it: expanded, or only its GUID.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ObjectRef {
    /// The object's GUID (`HybridObjectID`), lower case.
    pub id: Option<String>,
    /// Its display name.
    pub display_name: Option<String>,
    /// Its account name.
    pub account_name: Option<String>,
    /// Its domain.
    pub domain: Option<String>,
    /// Its e-mail address (`Email`), when the object is expanded with it.
    pub email: Option<String>,
    /// Its object type (`Person`, `Group`, ...).
    pub object_type: Option<String>,
    /// For a gate registration: the person it belongs to.
    pub user: Option<Box<ObjectRef>>,
}

impl ObjectRef {
    /// `DOMAIN\account` when both are known, else the account alone.
    pub fn qualified_account(&self) -> Option<String> {
        let account = self.account_name.as_deref().filter(|a| !a.is_empty())?;
        Some(match self.domain.as_deref().filter(|d| !d.is_empty()) {
            Some(d) => format!("{d}\\{account}"),
            None => account.to_owned(),
        })
    }

    /// Whether both name the same object: by GUID when both have one, else
    /// by display name.
    pub fn same_as(&self, other: &ObjectRef) -> bool {
        match (&self.id, &other.id) {
            (Some(a), Some(b)) => a == b,
            _ => match (&self.display_name, &other.display_name) {
                (Some(a), Some(b)) => a.eq_ignore_ascii_case(b),
                _ => false,
            },
        }
    }
}

/// The value of a request parameter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ParamValue {
    /// Plain text (MIM writes numbers and booleans as text too).
    Text(String),
    /// References to objects (decoded from a list, an object, or a list
    /// encoded inside a string).
    References(Vec<ObjectRef>),
    /// No value.
    Empty,
}

/// One entry of `RequestParameter`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RequestParameter {
    /// The attribute changed (`ResetPassword`, `ExplicitMember`, ...).
    pub name: String,
    /// `Add`, `Insert`, `Remove`, `Modify`.
    pub mode: String,
    /// The value.
    pub value: ParamValue,
    /// The value's text as written, for matching gate names.
    pub raw_value: String,
}

impl RequestParameter {
    /// Whether the parameter removes its value (`Mode` is `Remove`).
    pub fn removes(&self) -> bool {
        self.mode.eq_ignore_ascii_case("Remove")
    }
}

/// Which stage a workflow ran in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkflowStage {
    /// `AuthenticationWorkflowInstance`.
    Authentication,
    /// `AuthorizationWorkflowInstance`.
    Authorization,
    /// `ActionWorkflowInstance`.
    Action,
}

/// One workflow instance that ran for the request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorkflowInstance {
    /// Its stage.
    pub stage: WorkflowStage,
    /// Its display name.
    pub display_name: String,
    /// `WorkflowStatus`.
    pub status: String,
    /// `WorkflowStatusDetail` lines.
    pub status_detail: Vec<String>,
}

/// A request, with the fields the reports need.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Request {
    /// The request GUID, lower case.
    pub id: String,
    /// `Create`, `Put`, `Delete`.
    pub operation: String,
    /// `Person`, `Group`, `GateRegistration`, ... (taken from the display
    /// name when the document leaves it empty).
    pub target_object_type: String,
    /// The request's display name, e.g. `Update to Person: 'Alice' Request`.
    pub display_name: String,
    /// The target object.
    pub target: Option<ObjectRef>,
    /// The requestor.
    pub creator: Option<ObjectRef>,
    /// `RequestStatus`.
    pub status: String,
    /// `RequestStatusDetail`, one entry per line or list item.
    pub status_detail: Vec<String>,
    /// `CreatedTime`.
    pub created: Option<DateTime<Utc>>,
    /// `CommittedTime`.
    pub committed: Option<DateTime<Utc>>,
    /// `msidmCompletedTime`.
    pub completed: Option<DateTime<Utc>>,
    /// `RequestParameter`.
    pub parameters: Vec<RequestParameter>,
    /// Display names of the management policy rules that applied.
    pub policies: Vec<String>,
    /// Workflow instances.
    pub workflows: Vec<WorkflowInstance>,
    /// Repairs made to read it, in plain words.
    pub warnings: Vec<String>,
}

impl Request {
    /// The request's own time: committed, else completed, else created.
    pub fn own_time(&self) -> Option<DateTime<Utc>> {
        self.committed.or(self.completed).or(self.created)
    }

    /// Parameters with this attribute name (any case).
    pub fn parameters_named<'a>(
        &'a self,
        name: &'a str,
    ) -> impl Iterator<Item = &'a RequestParameter> + 'a {
        self.parameters
            .iter()
            .filter(move |p| p.name.eq_ignore_ascii_case(name))
    }

    /// The name inside the display name (`... Person: 'Alice Smith' Request`).
    pub fn name_from_display_name(&self) -> Option<String> {
        split_display_name(&self.display_name).map(|(_, name)| name)
    }
}

/// Splits `Update to Person: 'Alice' Request` into (`Person`, `Alice`).
pub fn split_display_name(dn: &str) -> Option<(String, String)> {
    let (head, rest) = dn.split_once(':')?;
    let object_type = head.split_whitespace().last()?.to_owned();
    let rest = rest.trim();
    let name = rest.strip_prefix('\'')?;
    let end = name.rfind('\'')?;
    Some((object_type, name[..end].to_owned()))
}

/// Why a request could not be read at all.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RequestError {
    /// The text is not JSON, even after the repairs tried.
    NotJson(String),
    /// The JSON has no request GUID (`HybridObjectID`).
    NoRequestId,
}

impl std::fmt::Display for RequestError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RequestError::NotJson(e) => write!(f, "the request's JSON could not be read ({e})"),
            RequestError::NoRequestId => write!(f, "the request's JSON has no HybridObjectID"),
        }
    }
}

impl std::error::Error for RequestError {}

/// Parses a request's JSON text leniently.
pub fn parse_request(text: &str) -> Result<Request, RequestError> {
    let first_error = match serde_json::from_str::<Json>(text) {
        Ok(v) => return finish(request_from_json(&v), Vec::new()),
        Err(e) => e.to_string(),
    };
    let (repaired, mut warnings) = repair(text);
    if !warnings.is_empty()
        && let Ok(v) = serde_json::from_str::<Json>(&repaired)
    {
        return finish(request_from_json(&v), warnings);
    }
    // Read up to the damage: close whatever is open where the text stops
    // making sense.
    let (closed, what) = close_at_damage(&repaired);
    match serde_json::from_str::<Json>(&closed) {
        Ok(v) => {
            warnings.push(what);
            finish(request_from_json(&v), warnings)
        }
        Err(_) => Err(RequestError::NotJson(first_error)),
    }
}

/// Adds the repairs made to the request's own warnings; a request without a
/// GUID is refused.
fn finish(mut req: Request, repairs: Vec<String>) -> Result<Request, RequestError> {
    req.warnings.extend(repairs);
    if req.id.is_empty() {
        return Err(RequestError::NoRequestId);
    }
    Ok(req)
}

/// Removes trailing commas and escapes raw control characters in strings.
/// Each kind of repair is named once, with the object it was found in.
fn repair(text: &str) -> (String, Vec<String>) {
    let mut out = String::with_capacity(text.len());
    let mut warnings: Vec<String> = Vec::new();
    let mut in_string = false;
    let mut escaped = false;
    // The key that opened each level (`None` for the document itself and
    // for array items).
    let mut keys: Vec<Option<String>> = Vec::new();
    let mut last_string = String::new();
    let mut current = String::new();
    let mut control = false;
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if in_string {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
                last_string = std::mem::take(&mut current);
            } else if (c as u32) < 0x20 {
                control = true;
                out.push_str(&format!("\\u{:04x}", c as u32));
                current.push(c);
                i += 1;
                continue;
            } else {
                current.push(c);
            }
            out.push(c);
            i += 1;
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                current.clear();
            }
            '{' | '[' => {
                // The key is the last string when a colon came after it.
                let prev = out.trim_end().ends_with(':');
                keys.push(if prev {
                    Some(last_string.clone())
                } else {
                    None
                });
            }
            '}' | ']' => {
                let trimmed_len = out.trim_end().len();
                if out[..trimmed_len].ends_with(',') {
                    out.truncate(trimmed_len - 1);
                    let place = match keys.last() {
                        Some(Some(k)) => k.clone(),
                        _ if keys.len() <= 1 => "the document".to_owned(),
                        _ => "a list item".to_owned(),
                    };
                    let bracket = if c == '}' { "brace" } else { "bracket" };
                    warnings.push(format!(
                        "trailing comma before the closing {bracket} of {place}"
                    ));
                }
                keys.pop();
            }
            _ => {}
        }
        out.push(c);
        i += 1;
    }
    if control {
        warnings.push("raw control characters inside strings were escaped".to_owned());
    }
    warnings.dedup();
    (out, warnings)
}

/// Cuts the text where it stops parsing and closes the open strings, lists
/// and objects, so the fields before the damage can be read.
fn close_at_damage(text: &str) -> (String, String) {
    // Where serde_json gives up is where the damage starts.
    let cut = match serde_json::from_str::<Value>(text) {
        Err(e) if e.is_eof() => text.len(),
        Err(e) => byte_of(text, e.line(), e.column()).saturating_sub(1),
        Ok(_) => text.len(),
    };
    let mut head = text[..floor_char_boundary(text, cut)].to_owned();
    // Drop a member that was cut half-way, then close what is open.
    let (_, _, last_safe) = open_brackets(&head);
    head.truncate(last_safe.max(1).min(head.len()));
    let (mut stack, in_string, _) = open_brackets(&head);
    if in_string {
        head.push('"');
    }
    let trimmed = head.trim_end().trim_end_matches(',').len();
    head.truncate(trimmed);
    while let Some(open) = stack.pop() {
        head.push(if open == '{' { '}' } else { ']' });
    }
    let what = format!(
        "the request text is damaged after {cut} of {} bytes; the fields before the damage were read",
        text.len()
    );
    (head, what)
}

/// Walks JSON text outside strings: the brackets still open at its end,
/// whether it ends inside a string, and the end of the last complete member
/// (after a closing bracket, or at a comma).
fn open_brackets(text: &str) -> (Vec<char>, bool, usize) {
    let mut stack = Vec::new();
    let mut strings = StringScan::default();
    let mut last_safe = 0;
    for (i, c) in text.char_indices() {
        if strings.take(c) {
            continue;
        }
        match c {
            '{' | '[' => stack.push(c),
            '}' | ']' => {
                stack.pop();
                last_safe = i + 1;
            }
            ',' => last_safe = i,
            _ => {}
        }
    }
    (stack, strings.in_string(), last_safe)
}

/// Where a walk over JSON text, one character at a time, stands with
/// respect to strings.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct StringScan {
    in_string: bool,
    escaped: bool,
}

impl StringScan {
    /// Takes the next character; true when it is part of a string (its
    /// quotes included).
    pub(crate) fn take(&mut self, c: char) -> bool {
        if self.in_string {
            if self.escaped {
                self.escaped = false;
            } else if c == '\\' {
                self.escaped = true;
            } else if c == '"' {
                self.in_string = false;
            }
            return true;
        }
        self.in_string = c == '"';
        self.in_string
    }

    /// Whether the text so far ends inside a string.
    pub(crate) fn in_string(&self) -> bool {
        self.in_string
    }
}

fn byte_of(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for (n, l) in text.split_inclusive('\n').enumerate() {
        if n + 1 == line {
            return offset + column.min(l.len());
        }
        offset += l.len();
    }
    text.len()
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Reads the request fields out of parsed JSON.
fn request_from_json(v: &Json<'_>) -> Request {
    let text = |k: &str| v.get(k).and_then(Json::text).unwrap_or_default();
    let mut warnings = Vec::new();
    let mut time = |k: &str| {
        let raw = v.get(k).and_then(Json::text)?;
        if raw.trim().is_empty() {
            return None;
        }
        let t = parse_utc(&raw);
        if t.is_none() {
            warnings.push(format!("{k} `{raw}` is not a time this tool can read"));
        }
        t
    };
    let created = time("CreatedTime");
    let committed = time("CommittedTime");
    let completed = time("msidmCompletedTime");

    let display_name = text("DisplayName");
    let mut target_object_type = text("TargetObjectType");
    if target_object_type.trim().is_empty()
        && let Some((t, _)) = split_display_name(&display_name)
    {
        target_object_type = t;
    }

    let mut workflows = Vec::new();
    for (key, stage) in [
        (
            "AuthenticationWorkflowInstance",
            WorkflowStage::Authentication,
        ),
        (
            "AuthorizationWorkflowInstance",
            WorkflowStage::Authorization,
        ),
        ("ActionWorkflowInstance", WorkflowStage::Action),
    ] {
        for w in items(v.get(key)) {
            workflows.push(WorkflowInstance {
                stage,
                display_name: w
                    .get("DisplayName")
                    .and_then(Json::text)
                    .unwrap_or_default(),
                status: w
                    .get("WorkflowStatus")
                    .and_then(Json::text)
                    .unwrap_or_default(),
                status_detail: lines(w.get("WorkflowStatusDetail")),
            });
        }
    }

    Request {
        id: text("HybridObjectID")
            .trim()
            .trim_matches(['{', '}'])
            .to_ascii_lowercase(),
        operation: text("Operation"),
        target_object_type,
        display_name,
        target: v.get("Target").and_then(object_ref),
        creator: v.get("Creator").and_then(object_ref),
        status: text("RequestStatus"),
        status_detail: lines(v.get("RequestStatusDetail")),
        created,
        committed,
        completed,
        parameters: items(v.get("RequestParameter"))
            .filter_map(parameter)
            .collect(),
        policies: items(v.get("ManagementPolicy"))
            .filter_map(|p| match p {
                Json::Str(s) => Some(s.as_ref().to_owned()),
                other => other.get("DisplayName").and_then(Json::text),
            })
            .collect(),
        workflows,
        warnings,
    }
}

/// A list's items, or a single value as one item.
fn items<'v, 'a>(v: Option<&'v Json<'a>>) -> Box<dyn Iterator<Item = &'v Json<'a>> + 'v> {
    match v {
        Some(Json::Array(a)) => Box::new(a.iter()),
        Some(Json::Null) | None => Box::new(std::iter::empty()),
        Some(other) => Box::new(std::iter::once(other)),
    }
}

/// Text lines from a string or a list of strings.
fn lines(v: Option<&Json<'_>>) -> Vec<String> {
    items(v)
        .filter_map(Json::text)
        .filter(|s| !s.trim().is_empty())
        .collect()
}

/// An object reference from an expanded object, a GUID string, or a JSON
/// array encoded in a string.
fn object_ref(v: &Json<'_>) -> Option<ObjectRef> {
    match v {
        Json::Str(s) => {
            let t = s.trim();
            if t.starts_with('[') || t.starts_with('{') {
                let inner: Json = serde_json::from_str(t).ok()?;
                return items(Some(&inner)).find_map(object_ref);
            }
            if t.is_empty() {
                return None;
            }
            Some(ObjectRef {
                id: Some(t.trim_matches(['{', '}']).to_ascii_lowercase()),
                ..ObjectRef::default()
            })
        }
        Json::Array(a) => a.iter().find_map(object_ref),
        Json::Object(_) => {
            let t = |k: &str| v.get(k).and_then(Json::text).filter(|s| !s.is_empty());
            Some(ObjectRef {
                id: t("HybridObjectID").map(|s| s.trim_matches(['{', '}']).to_ascii_lowercase()),
                display_name: t("DisplayName"),
                account_name: t("AccountName"),
                domain: t("Domain"),
                email: t("Email"),
                object_type: t("ObjectType"),
                user: v.get("UserID").and_then(object_ref).map(Box::new),
            })
        }
        _ => None,
    }
}

/// References held by a parameter value, if it holds any.
fn references(v: &Json<'_>) -> Option<Vec<ObjectRef>> {
    match v {
        Json::Str(s) => {
            let t = s.trim();
            if !(t.starts_with('[') || t.starts_with('{')) {
                return None;
            }
            let inner: Json = serde_json::from_str(t).ok()?;
            references(&inner)
        }
        Json::Array(a) => {
            let refs: Vec<ObjectRef> = a.iter().filter_map(object_ref).collect();
            (!refs.is_empty()).then_some(refs)
        }
        Json::Object(_) => object_ref(v).map(|r| vec![r]),
        _ => None,
    }
}

fn parameter(p: &Json<'_>) -> Option<RequestParameter> {
    let name = p.get("PropertyName").and_then(Json::text)?;
    let raw = p.get("Value");
    let raw_value = match raw {
        Some(Json::Str(s)) => s.as_ref().to_owned(),
        Some(Json::Null) | None => String::new(),
        // The JSON text of a list or object, as `serde_json` writes it.
        Some(other) => other.to_value().to_string(),
    };
    let value = match raw {
        None | Some(Json::Null) => ParamValue::Empty,
        Some(v) => match references(v) {
            Some(refs) => ParamValue::References(refs),
            None => ParamValue::Text(v.text().unwrap_or_else(|| raw_value.clone())),
        },
    };
    Some(RequestParameter {
        name,
        mode: p.get("Mode").and_then(Json::text).unwrap_or_default(),
        value,
        raw_value,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Request {
        match parse_request(text) {
            Ok(r) => r,
            Err(e) => panic!("{e}"),
        }
    }

    #[test]
    fn keys_match_in_any_case_and_single_objects_stand_for_lists() {
        let r = parse(
            r#"{"hybridobjectid":"ABC","OPERATION":"Put","TargetObjectType":"Person",
            "RequestParameter":{"Propertyname":"ResetPassword","Value":"True","Mode":"Modify"},
            "ManagementPolicy":{"DisplayName":"Anonymous users may reset their own password"}}"#,
        );
        assert_eq!(r.id, "abc");
        assert_eq!(r.operation, "Put");
        assert_eq!(r.parameters[0].name, "ResetPassword");
        assert_eq!(
            r.policies,
            vec!["Anonymous users may reset their own password"]
        );
    }

    #[test]
    fn a_reference_list_encoded_in_a_string_is_decoded_a_second_time() {
        let r = parse(
            r#"{"HybridObjectID":"x","RequestParameter":[{"PropertyName":"ExplicitMember",
            "Value":"[{\"HybridObjectID\":\"CEFF\",\"AccountName\":\"tz\",\"DisplayName\":\"Tomasz\",\"Domain\":\"CONTOSO\"}]",
            "Mode":"Add"}]}"#,
        );
        match &r.parameters[0].value {
            ParamValue::References(refs) => {
                assert_eq!(refs[0].id.as_deref(), Some("ceff"));
                assert_eq!(refs[0].qualified_account().as_deref(), Some("CONTOSO\\tz"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_target_given_as_a_guid_and_a_creator_expanded() {
        let r = parse(
            r#"{"HybridObjectID":"x","Target":"7808CEDD-886B-4EFC-A231-AA7916FA7AC9",
            "Creator":{"HybridObjectID":"b0b36673-d43b-4cfa-a7a2-aff14fd90522","DisplayName":"Anonymous User"}}"#,
        );
        assert_eq!(
            r.target.and_then(|t| t.id).as_deref(),
            Some("7808cedd-886b-4efc-a231-aa7916fa7ac9")
        );
        assert_eq!(
            r.creator.and_then(|c| c.display_name).as_deref(),
            Some("Anonymous User")
        );
    }

    #[test]
    fn times_in_three_spellings_and_the_own_time_order() {
        let r = parse(
            r#"{"HybridObjectID":"x","CreatedTime":"2024-01-04 15:39:31.973",
            "msidmCompletedTime":"2024-01-04T15:41:31.748Z"}"#,
        );
        assert_eq!(
            r.own_time().map(crate::time::iso_millis).as_deref(),
            Some("2024-01-04T15:41:31.748Z")
        );
        let r = parse(
            r#"{"HybridObjectID":"x","CommittedTime":"1/5/2024 9:15:02 AM","CreatedTime":"2024-01-01 00:00:00"}"#,
        );
        assert_eq!(
            r.own_time().map(crate::time::iso_millis).as_deref(),
            Some("2024-01-05T09:15:02.000Z")
        );
    }

    #[test]
    fn an_empty_target_type_is_taken_from_the_display_name() {
        let r = parse(
            r#"{"HybridObjectID":"x","TargetObjectType":"","DisplayName":"Delete Group: 'Old Editors' Request"}"#,
        );
        assert_eq!(r.target_object_type, "Group");
        assert_eq!(r.name_from_display_name().as_deref(), Some("Old Editors"));
    }

    #[test]
    fn a_trailing_comma_at_the_end_is_repaired_with_a_warning() {
        let r = parse(r#"{"HybridObjectID":"x","RequestStatus":"Failed",}"#);
        assert_eq!(r.status, "Failed");
        assert_eq!(
            r.warnings,
            vec!["trailing comma before the closing brace of the document"]
        );
    }

    #[test]
    fn a_trailing_comma_inside_target_names_target() {
        let r = parse(
            r#"{"HybridObjectID":"x","Target":{"DisplayName":"Project Falcon",},"RequestStatus":"Completed"}"#,
        );
        assert_eq!(
            r.warnings,
            vec!["trailing comma before the closing brace of Target"]
        );
        assert_eq!(
            r.target.and_then(|t| t.display_name).as_deref(),
            Some("Project Falcon")
        );
    }

    #[test]
    fn raw_control_characters_in_strings_are_escaped() {
        let r = parse("{\"HybridObjectID\":\"x\",\"RequestStatusDetail\":\"line one\nline two\"}");
        assert_eq!(r.status_detail, vec!["line one\nline two"]);
        assert_eq!(
            r.warnings,
            vec!["raw control characters inside strings were escaped"]
        );
    }

    #[test]
    fn truncated_json_is_read_up_to_the_damage() {
        let text = r#"{"HybridObjectID":"abc","RequestStatus":"Completed","TargetObjectType":"Person","RequestParameter":[{"PropertyName":"ResetPassword","Value":"Tr"#;
        let r = parse(text);
        assert_eq!(r.id, "abc");
        assert_eq!(r.status, "Completed");
        assert_eq!(r.target_object_type, "Person");
        assert_eq!(r.warnings.len(), 1);
        assert!(r.warnings[0].starts_with("the request text is damaged after"));
    }

    #[test]
    fn text_that_is_not_json_is_an_error() {
        assert!(matches!(
            parse_request("hello"),
            Err(RequestError::NotJson(_))
        ));
        assert_eq!(parse_request("{\"a\":1}"), Err(RequestError::NoRequestId));
    }

    #[test]
    fn a_dotnet_type_name_where_a_list_should_be_is_ignored() {
        let r = parse(r#"{"HybridObjectID":"x","RequestParameter":"System.Object[]"}"#);
        assert!(r.parameters.is_empty());
    }
}
