//! The classification rules: which request lands in which report, and what
//! its row says. Rules, gate names and well-known requestors are values here,
//! each rule with a name the page shows next to the row it produced.
//!
//! Rules are checked in order and the first that matches decides:
//! password reset (1a–1c), registration (2a–2b), self-service group (3a–3b),
//! else Other requests.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::request::{ObjectRef, ParamValue, Request, WorkflowStage};

/// The three reports, and the place for everything else.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ReportKind {
    /// Password reset activity.
    PasswordReset,
    /// Password reset registration.
    Registration,
    /// Self-service groups activity.
    SelfServiceGroups,
    /// Other requests.
    Other,
}

/// A classification rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rule {
    /// A short stable id, e.g. `1a`.
    pub id: &'static str,
    /// The report it sends requests to.
    pub report: ReportKind,
    /// What it matches, in the words shown to the user.
    pub name: &'static str,
}

/// 1a: a person's `ResetPassword` is set.
pub const RESET_PASSWORD: Rule = Rule {
    id: "1a",
    report: ReportKind::PasswordReset,
    name: "ResetPassword set on a person",
};
/// 1b: the anonymous portal user under a password-reset policy or workflow.
pub const ANONYMOUS_RESET_ATTEMPT: Rule = Rule {
    id: "1b",
    report: ReportKind::PasswordReset,
    name: "Anonymous reset attempt (password reset policy or workflow)",
};
/// 1c: a person is locked out of password reset.
pub const LOCKED_OUT: Rule = Rule {
    id: "1c",
    report: ReportKind::PasswordReset,
    name: "AuthNWFLockedOut set on a person",
};
/// 2a: a person's `AuthNWFRegistered` gains or loses a workflow.
pub const REGISTERED: Rule = Rule {
    id: "2a",
    report: ReportKind::Registration,
    name: "AuthNWFRegistered added or removed",
};
/// 2b: a gate registration is created or deleted.
pub const GATE_REGISTRATION: Rule = Rule {
    id: "2b",
    report: ReportKind::Registration,
    name: "Gate registration created or deleted",
};
/// 3a: a person joins or leaves a group on their own behalf.
pub const SELF_MEMBERSHIP: Rule = Rule {
    id: "3a",
    report: ReportKind::SelfServiceGroups,
    name: "Requestor added or removed themself as a member",
};
/// 3b: a person creates a group.
pub const GROUP_CREATED_BY_PERSON: Rule = Rule {
    id: "3b",
    report: ReportKind::SelfServiceGroups,
    name: "Group created by a person",
};
/// 4: anything else.
pub const OTHER: Rule = Rule {
    id: "4",
    report: ReportKind::Other,
    name: "No report rule matched",
};

/// Every rule, in the order they are tried.
pub const RULES: [Rule; 8] = [
    RESET_PASSWORD,
    ANONYMOUS_RESET_ATTEMPT,
    LOCKED_OUT,
    REGISTERED,
    GATE_REGISTRATION,
    SELF_MEMBERSHIP,
    GROUP_CREATED_BY_PERSON,
    OTHER,
];

/// The rule with this id, MIM's or the cloud's
/// ([`crate::cloud::rules::CLOUD_RULES`]).
pub fn rule_by_id(id: &str) -> Option<Rule> {
    RULES
        .iter()
        .copied()
        .find(|r| r.id == id)
        .or_else(|| crate::cloud::rules::cloud_rule_by_id(id))
}

/// A requestor MIM itself defines.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WellKnown {
    /// The password reset portal before sign-in.
    Anonymous,
    /// The Built-in Synchronization Account.
    Synchronization,
    /// The MIM (FIM) Service account.
    Service,
    /// The administrator who installed MIM.
    InstallingAdministrator,
}

/// Well-known requestors by GUID.
pub const WELL_KNOWN_IDS: [(&str, WellKnown); 4] = [
    ("b0b36673-d43b-4cfa-a7a2-aff14fd90522", WellKnown::Anonymous),
    (
        "fb89aefa-5ea1-47f1-8890-abe7797d6497",
        WellKnown::Synchronization,
    ),
    ("e05d1f1b-3d5e-4014-baa6-94dee7d68c89", WellKnown::Service),
    (
        "7fb2b853-24f0-4498-9534-4e10589723c4",
        WellKnown::InstallingAdministrator,
    ),
];

/// Well-known requestors by display name (any case).
pub const WELL_KNOWN_NAMES: [(&str, WellKnown); 5] = [
    ("Anonymous User", WellKnown::Anonymous),
    (
        "Built-in Synchronization Account",
        WellKnown::Synchronization,
    ),
    (
        "Forefront Identity Manager Service Account",
        WellKnown::Service,
    ),
    ("MIM Service Account", WellKnown::Service),
    ("FIM Service Account", WellKnown::Service),
];

/// Which well-known requestor an object is, if any.
pub fn well_known(who: &ObjectRef) -> Option<WellKnown> {
    if let Some(id) = &who.id
        && let Some((_, w)) = WELL_KNOWN_IDS.iter().find(|(g, _)| g == id)
    {
        return Some(*w);
    }
    let name = who.display_name.as_deref()?;
    WELL_KNOWN_NAMES
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, w)| *w)
}

/// Who acted, relative to the person the row is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Role {
    /// The anonymous portal user or the person themself.
    User,
    /// Another person (the installing administrator included).
    Administrator,
    /// The synchronization or service account.
    System,
    /// The request names no requestor.
    Unknown,
}

impl Role {
    /// The word shown in the reports.
    pub fn label(self) -> &'static str {
        match self {
            Role::User => "User",
            Role::Administrator => "Administrator",
            Role::System => "System",
            Role::Unknown => "Unknown",
        }
    }
}

/// The role of `creator` acting on `subject`.
pub fn role(creator: Option<&ObjectRef>, subject: Option<&ObjectRef>) -> Role {
    let Some(creator) = creator else {
        return Role::Unknown;
    };
    match well_known(creator) {
        Some(WellKnown::Anonymous) => return Role::User,
        Some(WellKnown::Synchronization | WellKnown::Service) => return Role::System,
        Some(WellKnown::InstallingAdministrator) => return Role::Administrator,
        None => {}
    }
    match subject {
        Some(s) if creator.same_as(s) => Role::User,
        _ => Role::Administrator,
    }
}

/// A request's outcome, in the reports' words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Outcome {
    /// `Completed`.
    Success,
    /// `Failed`, `PostProcessingError`.
    Failed,
    /// `Denied`.
    Denied,
    /// `Canceled`, `CanceledPostProcessing`.
    Canceled,
    /// Any status that is not final.
    Pending,
    /// A self-service join waiting for the group owner (`Authorizing`).
    #[serde(rename = "Pending approval")]
    PendingApproval,
    /// A password reset request that locked the user out.
    #[serde(rename = "Locked out")]
    LockedOut,
}

impl Outcome {
    /// The word shown in the reports.
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Success => "Success",
            Outcome::Failed => "Failed",
            Outcome::Denied => "Denied",
            Outcome::Canceled => "Canceled",
            Outcome::Pending => "Pending",
            Outcome::PendingApproval => "Pending approval",
            Outcome::LockedOut => "Locked out",
        }
    }

    /// Every outcome, in the order summaries list them.
    pub const ALL: [Outcome; 7] = [
        Outcome::Success,
        Outcome::Failed,
        Outcome::Denied,
        Outcome::Canceled,
        Outcome::Pending,
        Outcome::PendingApproval,
        Outcome::LockedOut,
    ];
}

/// The outcome of a `RequestStatus`.
pub fn outcome(status: &str) -> Outcome {
    match status.trim().to_ascii_lowercase().as_str() {
        "completed" => Outcome::Success,
        "failed" | "postprocessingerror" => Outcome::Failed,
        "denied" => Outcome::Denied,
        "canceled" | "cancelled" | "canceledpostprocessing" => Outcome::Canceled,
        _ => Outcome::Pending,
    }
}

/// Gate text for the reset report: (fragments, any case; method).
pub const RESET_METHODS: [(&[&str], &str); 4] = [
    (&["qa", "question"], "Questions and answers"),
    (&["sms"], "One-time code by SMS"),
    (&["email"], "One-time code by email"),
    (
        &["phone gate", "mfa", "multi-factor", "phonefactor"],
        "Phone call (MFA)",
    ),
];

/// Gate text and attributes for the registration report: SMS and phone
/// gates are both "Mobile phone", as in Microsoft's report.
pub const REGISTRATION_METHODS: [(&[&str], &str); 3] = [
    (&["qa", "question"], "Questions and answers"),
    (
        &[
            "sms",
            "phone gate",
            "mfa",
            "multi-factor",
            "phonefactor",
            "msidmonetimepasswordmobilephone",
            "msidmphonegatephonenumber",
        ],
        "Mobile phone",
    ),
    (&["email"], "Email"),
];

/// Parameters whose values are opaque secrets: random base64 could spell a
/// gate name by chance, so their values are not searched.
const OPAQUE_PARAMETERS: [&str; 1] = ["GateData"];

/// The gate texts of a request: its authentication workflows' names and
/// status details, and its parameters' names and values.
fn gate_texts(req: &Request) -> Vec<String> {
    let mut texts = Vec::new();
    for w in req
        .workflows
        .iter()
        .filter(|w| w.stage == WorkflowStage::Authentication)
    {
        texts.push(w.display_name.to_lowercase());
        texts.extend(w.status_detail.iter().map(|d| d.to_lowercase()));
    }
    for p in &req.parameters {
        texts.push(p.name.to_lowercase());
        if !OPAQUE_PARAMETERS
            .iter()
            .any(|o| o.eq_ignore_ascii_case(&p.name))
        {
            texts.push(p.raw_value.to_lowercase());
        }
    }
    texts
}

/// The methods named by a request's gate texts, sorted, from `table`.
pub fn methods(req: &Request, table: &[(&[&str], &str)]) -> Vec<String> {
    methods_in(&gate_texts(req), table)
}

/// The methods of `table` whose fragments appear in any of `texts` (lower
/// case), sorted.
pub fn methods_in(texts: &[String], table: &[(&[&str], &str)]) -> Vec<String> {
    let mut found: Vec<String> = table
        .iter()
        .filter(|(fragments, _)| {
            texts
                .iter()
                .any(|t| fragments.iter().any(|f| t.contains(f)))
        })
        .map(|(_, m)| (*m).to_owned())
        .collect();
    found.sort();
    found
}

/// The person a row is about, with their names.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    /// Display name.
    pub name: Option<String>,
    /// `DOMAIN\account`.
    pub account: Option<String>,
    /// GUID, lower case.
    pub id: Option<String>,
    /// E-mail address or user principal name, as written: MIM's `Email`
    /// attribute, or the cloud user's UPN. It recognises the same person
    /// across sources (see [`crate::report::person_key`]).
    pub upn: Option<String>,
}

impl Person {
    fn from_ref(r: &ObjectRef) -> Self {
        Person {
            name: r.display_name.clone(),
            account: r.qualified_account(),
            id: r.id.clone(),
            upn: r.email.clone(),
        }
    }
}

/// A request classified into a report, before gate registrations are folded.
#[derive(Clone, Debug, PartialEq)]
pub struct Classified {
    /// The rule that matched.
    pub rule: Rule,
    /// The row's date.
    pub date: Option<DateTime<Utc>>,
    /// The outcome.
    pub outcome: Outcome,
    /// Details: the status detail, else the display name.
    pub details: String,
    /// What the report needs besides.
    pub facts: Facts,
}

/// What each kind of row needs beyond the common fields.
#[derive(Clone, Debug, PartialEq)]
pub enum Facts {
    /// A password reset row.
    PasswordReset {
        /// The person whose password was reset.
        user: Person,
        /// Who acted.
        role: Role,
        /// Methods used.
        methods: Vec<String>,
    },
    /// A registration row (2a) or a gate registration (2b).
    Registration {
        /// The person who registered.
        user: Person,
        /// Who acted.
        role: Role,
        /// Methods named.
        methods: Vec<String>,
        /// `Registered`, `Unregistered`, `Updated registration`.
        activity: String,
    },
    /// A self-service group row.
    Group {
        /// The group's display name.
        group: String,
        /// `Join group`, `Leave group`, `Create group`.
        action: String,
        /// The requestor.
        requestor: Person,
    },
    /// Anything else.
    Other {
        /// `Create`, `Put`, `Delete`.
        operation: String,
        /// The target's type.
        target_type: String,
        /// The target's name.
        target: String,
        /// The requestor's name (or GUID).
        requestor: String,
        /// The raw status.
        status: String,
    },
}

/// Details: `RequestStatusDetail` when present, else the display name.
fn details(req: &Request) -> String {
    if req.status_detail.is_empty() {
        req.display_name.clone()
    } else {
        req.status_detail.join("; ")
    }
}

/// The target person, with the display name's name when the target is only
/// a GUID.
fn target_person(req: &Request) -> Person {
    let mut p = req
        .target
        .as_ref()
        .map(Person::from_ref)
        .unwrap_or_default();
    if p.name.is_none() {
        p.name = req.name_from_display_name();
    }
    p
}

fn is(s: &str, word: &str) -> bool {
    s.trim().eq_ignore_ascii_case(word)
}

fn sets(req: &Request, attribute: &str) -> bool {
    req.parameters_named(attribute).any(|p| !p.removes())
}

/// Classifies one request. `event_time` is the date when the request has no
/// time of its own.
pub fn classify(req: &Request, event_time: Option<DateTime<Utc>>) -> Classified {
    let date = req.own_time().or(event_time);
    let base = |rule: Rule, outcome: Outcome, facts: Facts| Classified {
        rule,
        date,
        outcome,
        details: details(req),
        facts,
    };
    let person_target = is(&req.target_object_type, "Person");
    let creator_kind = req.creator.as_ref().and_then(well_known);
    let locked_out = person_target && sets(req, "AuthNWFLockedOut");
    let status = outcome(&req.status);

    // 1. Password reset.
    let reset_rule = if person_target && sets(req, "ResetPassword") {
        Some(RESET_PASSWORD)
    } else if creator_kind == Some(WellKnown::Anonymous) && mentions_password_reset(req) {
        Some(ANONYMOUS_RESET_ATTEMPT)
    } else if locked_out {
        Some(LOCKED_OUT)
    } else {
        None
    };
    if let Some(rule) = reset_rule {
        let user = target_person(req);
        let role = role(req.creator.as_ref(), req.target.as_ref());
        let result = if locked_out {
            Outcome::LockedOut
        } else {
            status
        };
        let methods = methods(req, &RESET_METHODS);
        return base(
            rule,
            result,
            Facts::PasswordReset {
                user,
                role,
                methods,
            },
        );
    }

    // 2. Registration.
    if person_target && let Some(p) = req.parameters_named("AuthNWFRegistered").next() {
        let user = target_person(req);
        let role = role(req.creator.as_ref(), req.target.as_ref());
        let activity = if p.removes() {
            "Unregistered"
        } else {
            "Registered"
        };
        let methods = if p.removes() {
            Vec::new()
        } else {
            methods(req, &REGISTRATION_METHODS)
        };
        let facts = Facts::Registration {
            user,
            role,
            methods,
            activity: activity.to_owned(),
        };
        return base(REGISTERED, status, facts);
    }
    if is(&req.target_object_type, "GateRegistration") {
        let user_ref = gate_user(req);
        let user = user_ref
            .as_ref()
            .map(Person::from_ref)
            .unwrap_or_else(|| target_person(req));
        let role = role(req.creator.as_ref(), user_ref.as_ref());
        let deleted = is(&req.operation, "Delete");
        let activity = if deleted {
            "Unregistered"
        } else {
            "Updated registration"
        };
        let methods = if deleted {
            Vec::new()
        } else {
            methods(req, &REGISTRATION_METHODS)
        };
        let facts = Facts::Registration {
            user,
            role,
            methods,
            activity: activity.to_owned(),
        };
        return base(GATE_REGISTRATION, status, facts);
    }

    // 3. Self-service groups.
    if is(&req.target_object_type, "Group") {
        let group = req
            .target
            .as_ref()
            .and_then(|t| t.display_name.clone())
            .or_else(|| req.name_from_display_name())
            .unwrap_or_default();
        if is(&req.operation, "Put")
            && let Some((joined, member)) = self_membership(req)
        {
            let mut requestor = req
                .creator
                .as_ref()
                .map(Person::from_ref)
                .unwrap_or_default();
            // A requestor given only as a GUID is named by the member
            // reference, which is the same person.
            if requestor.name.is_none() {
                requestor.name = member.display_name.clone();
            }
            if requestor.account.is_none() {
                requestor.account = member.qualified_account();
            }
            let (action, result) = if joined {
                let r = if is(&req.status, "Authorizing") {
                    Outcome::PendingApproval
                } else {
                    status
                };
                ("Join group", r)
            } else {
                ("Leave group", status)
            };
            let facts = Facts::Group {
                group,
                action: action.to_owned(),
                requestor,
            };
            return base(SELF_MEMBERSHIP, result, facts);
        }
        let by_person = matches!(
            creator_kind,
            None | Some(WellKnown::InstallingAdministrator)
        ) && req.creator.is_some();
        if is(&req.operation, "Create") && by_person {
            let requestor = req
                .creator
                .as_ref()
                .map(Person::from_ref)
                .unwrap_or_default();
            let facts = Facts::Group {
                group,
                action: "Create group".to_owned(),
                requestor,
            };
            return base(GROUP_CREATED_BY_PERSON, status, facts);
        }
    }

    // 4. Everything else.
    let target = req
        .target
        .as_ref()
        .and_then(|t| t.display_name.clone())
        .or_else(|| req.name_from_display_name())
        .unwrap_or_default();
    let requestor = req
        .creator
        .as_ref()
        .and_then(|c| c.display_name.clone().or_else(|| c.id.clone()))
        .unwrap_or_default();
    let facts = Facts::Other {
        operation: req.operation.clone(),
        target_type: req.target_object_type.clone(),
        target,
        requestor,
        status: req.status.clone(),
    };
    base(OTHER, status, facts)
}

/// Whether a policy or workflow that applied names password reset.
fn mentions_password_reset(req: &Request) -> bool {
    let hit = |s: &str| s.to_lowercase().contains("password reset");
    req.policies.iter().any(|p| hit(p)) || req.workflows.iter().any(|w| hit(&w.display_name))
}

/// The person a gate registration belongs to: its `UserID` parameter, else
/// the target's `UserID`.
fn gate_user(req: &Request) -> Option<ObjectRef> {
    for p in req.parameters_named("UserID") {
        if let ParamValue::References(refs) = &p.value
            && let Some(r) = refs.first()
        {
            return Some(r.clone());
        }
        if let ParamValue::Text(t) = &p.value
            && !t.is_empty()
        {
            return Some(ObjectRef {
                id: Some(t.to_ascii_lowercase()),
                ..ObjectRef::default()
            });
        }
    }
    req.target.as_ref().and_then(|t| t.user.as_deref().cloned())
}

/// Whether the request adds or removes its own requestor as a member:
/// `(joined, the member reference)`.
fn self_membership(req: &Request) -> Option<(bool, ObjectRef)> {
    let creator = req.creator.as_ref()?;
    for p in req.parameters_named("ExplicitMember") {
        let joined = match p.mode.trim().to_ascii_lowercase().as_str() {
            "add" | "insert" => true,
            "remove" => false,
            _ => continue,
        };
        let members: Vec<ObjectRef> = match &p.value {
            ParamValue::References(refs) => refs.clone(),
            ParamValue::Text(t) if !t.is_empty() => {
                vec![ObjectRef {
                    id: Some(t.to_ascii_lowercase()),
                    ..ObjectRef::default()
                }]
            }
            _ => continue,
        };
        if let Some(m) = members.into_iter().find(|m| m.same_as(creator)) {
            return Some((joined, m));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::parse_request;

    fn classify_json(json: &str) -> Classified {
        match parse_request(json) {
            Ok(r) => classify(&r, None),
            Err(e) => panic!("{e}"),
        }
    }

    const ANON: &str = r#"{"HybridObjectID":"b0b36673-d43b-4cfa-a7a2-aff14fd90522","DisplayName":"Anonymous User"}"#;

    #[test]
    fn a_reset_by_the_anonymous_user_with_two_gates() {
        let c = classify_json(&format!(
            r#"{{"HybridObjectID":"r1","TargetObjectType":"Person","Operation":"Put",
            "Target":{{"HybridObjectID":"p1","DisplayName":"Sanna Mbeki","AccountName":"smbeki","Domain":"CONTOSO"}},
            "Creator":{ANON},"RequestStatus":"Completed","CommittedTime":"2024-01-05 14:08:20.816",
            "RequestParameter":[{{"Propertyname":"ResetPassword","Value":"True","Mode":"Modify"}}],
            "AuthenticationWorkflowInstance":{{"DisplayName":"Password Reset AuthN Workflow",
              "WorkflowStatusDetail":["Question and Answer Gate: passed","One-Time Password Email Gate: passed"]}}}}"#
        ));
        assert_eq!(c.rule, RESET_PASSWORD);
        assert_eq!(c.outcome, Outcome::Success);
        match c.facts {
            Facts::PasswordReset {
                user,
                role,
                methods,
            } => {
                assert_eq!(user.account.as_deref(), Some("CONTOSO\\smbeki"));
                assert_eq!(role, Role::User);
                assert_eq!(
                    methods,
                    vec!["One-time code by email", "Questions and answers"]
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_lockout_by_the_service_account_is_locked_out_and_system() {
        let c = classify_json(
            r#"{"HybridObjectID":"r2","TargetObjectType":"Person","Target":{"HybridObjectID":"p"},
            "Creator":{"DisplayName":"Forefront Identity Manager Service Account"},"RequestStatus":"Completed",
            "RequestParameter":[{"PropertyName":"AuthNWFLockedOut","Value":"[]","Mode":"Add"}]}"#,
        );
        assert_eq!(c.rule, LOCKED_OUT);
        assert_eq!(c.outcome, Outcome::LockedOut);
        assert!(matches!(
            c.facts,
            Facts::PasswordReset {
                role: Role::System,
                ..
            }
        ));
    }

    #[test]
    fn an_anonymous_attempt_under_a_reset_policy_counts_even_without_reset_password() {
        let c = classify_json(&format!(
            r#"{{"HybridObjectID":"r3","TargetObjectType":"Person","Creator":{ANON},"RequestStatus":"Failed",
            "DisplayName":"Update to Person: 'Vera Brennan' Request","Target":"0000",
            "ManagementPolicy":[{{"DisplayName":"Password reset users can update their own lockout attributes"}}]}}"#
        ));
        assert_eq!(c.rule, ANONYMOUS_RESET_ATTEMPT);
        match c.facts {
            Facts::PasswordReset { user, methods, .. } => {
                assert_eq!(user.name.as_deref(), Some("Vera Brennan"));
                assert_eq!(user.account, None);
                assert!(methods.is_empty());
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn registration_methods_come_from_gates_and_attributes() {
        let c = classify_json(
            r#"{"HybridObjectID":"r4","TargetObjectType":"Person","Target":{"HybridObjectID":"p"},
            "Creator":{"HybridObjectID":"p"},"RequestStatus":"Completed",
            "RequestParameter":[{"PropertyName":"AuthNWFRegistered","Value":"[]","Mode":"Add"},
              {"PropertyName":"msidmOneTimePasswordEmailAddress","Value":"a@b.c","Mode":"Modify"},
              {"PropertyName":"msidmPhoneGatePhoneNumber","Value":"+1","Mode":"Modify"}]}"#,
        );
        assert_eq!(c.rule, REGISTERED);
        match c.facts {
            Facts::Registration {
                methods,
                activity,
                role,
                ..
            } => {
                assert_eq!(methods, vec!["Email", "Mobile phone"]);
                assert_eq!(activity, "Registered");
                assert_eq!(role, Role::User);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_join_on_ones_own_behalf_awaiting_the_owner_is_pending_approval() {
        let c = classify_json(
            r#"{"HybridObjectID":"r5","TargetObjectType":"Group","Operation":"Put",
            "Target":{"DisplayName":"Fabrikam Integration Team"},
            "Creator":{"HybridObjectID":"CEFF","DisplayName":"Tomasz Ziegler","AccountName":"tziegler","Domain":"CONTOSO"},
            "RequestStatus":"Authorizing",
            "RequestParameter":[{"PropertyName":"ExplicitMember","Value":"[{\"HybridObjectID\":\"ceff\"}]","Mode":"Add"}]}"#,
        );
        assert_eq!(c.rule, SELF_MEMBERSHIP);
        assert_eq!(c.outcome, Outcome::PendingApproval);
        assert!(
            matches!(&c.facts, Facts::Group { action, group, .. } if action == "Join group" && group == "Fabrikam Integration Team")
        );
    }

    #[test]
    fn adding_someone_else_is_not_self_service() {
        let c = classify_json(
            r#"{"HybridObjectID":"r6","TargetObjectType":"Group","Operation":"Put",
            "Creator":{"HybridObjectID":"admin"},"RequestStatus":"Completed",
            "RequestParameter":[{"PropertyName":"ExplicitMember","Value":"[{\"HybridObjectID\":\"other\"}]","Mode":"Add"}]}"#,
        );
        assert_eq!(c.rule, OTHER);
    }

    #[test]
    fn a_group_created_by_the_synchronization_account_is_other() {
        let sync = r#"{"HybridObjectID":"r7","TargetObjectType":"Group","Operation":"Create",
            "Creator":"fb89aefa-5ea1-47f1-8890-abe7797d6497","RequestStatus":"Completed"}"#;
        assert_eq!(classify_json(sync).rule, OTHER);
        let admin = sync.replace(
            "fb89aefa-5ea1-47f1-8890-abe7797d6497",
            "7fb2b853-24f0-4498-9534-4e10589723c4",
        );
        assert_eq!(classify_json(&admin).rule, GROUP_CREATED_BY_PERSON);
    }

    #[test]
    fn results_follow_the_status() {
        assert_eq!(outcome("Completed"), Outcome::Success);
        assert_eq!(outcome("PostProcessingError"), Outcome::Failed);
        assert_eq!(outcome("CanceledPostProcessing"), Outcome::Canceled);
        assert_eq!(outcome("Denied"), Outcome::Denied);
        assert_eq!(outcome("Authorizing"), Outcome::Pending);
        assert_eq!(outcome("Committed"), Outcome::Pending);
    }

    #[test]
    fn opaque_gate_data_does_not_spell_a_method() {
        let c = classify_json(
            r#"{"HybridObjectID":"r8","TargetObjectType":"GateRegistration","Operation":"Create",
            "RequestParameter":[{"PropertyName":"GateTypeId","Value":"QA Gate","Mode":"Modify"},
              {"PropertyName":"GateData","Value":"xxSMSxxMFAxxEMAILxx","Mode":"Modify"}]}"#,
        );
        assert!(
            matches!(c.facts, Facts::Registration { ref methods, .. } if methods == &vec!["Questions and answers".to_owned()])
        );
    }
}
