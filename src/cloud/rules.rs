//! Which Entra ID audit record lands in which report, and what its row says:
//! the cloud counterpart of [`crate::classify`], with rules, activity names
//! and method names as values.
//!
//! Records are matched by their `activityDisplayName` (any case), since the
//! names are specific to one feature. First match wins:
//!
//! - **C1a–C1d**, *Password reset activity*: the self-service password
//!   management activities (resets and changes, the steps of a reset flow,
//!   a user blocked from reset, an unlock).
//! - **C2a**, *Password reset registration*: security info registered,
//!   changed or deleted (by the user or an administrator).
//! - **C3a–C3b**, *Self-service groups activity*: self-service group
//!   management (join requests and their approval, rejection or
//!   cancellation), a user adding or removing themself as a member, and a
//!   group created by a person (an application creating one is not
//!   self-service, as for MIM's rule 3b).
//! - **C4**, *Other requests*: every other record, kept and browsable.
//!
//! Results: `success` → Success, `failure` and `timeout` → Failed, anything
//! else → Pending; a successful join request is **Pending approval** (the
//! owner has not answered yet), a rejected one **Denied**, a cancelled one
//! **Canceled**, and a user blocked from reset is **Locked out**, as MIM's
//! lockout is.
//!
//! Methods are looked for in the record's result reason, in the values of
//! its additional details whose key names a method, and in modified
//! properties whose name names a method (never in names or addresses, where
//! "email" would be found by chance). Entra's method names are mapped to
//! the words of `REPORTS.md` where they correspond; the others keep a clear
//! name of their own ("Mobile app notification", "Security key", ...).

use crate::classify::{Classified, Facts, Outcome, Person, ReportKind, Role, Rule, methods_in};
use crate::cloud::{AuditRecord, Target};

/// C1a: a password reset or change.
pub const CLOUD_PASSWORD_RESET: Rule = Rule {
    id: "C1a",
    report: ReportKind::PasswordReset,
    name: "Entra ID password reset or change",
};
/// C1b: a step of a self-service reset flow.
pub const CLOUD_RESET_FLOW_STEP: Rule = Rule {
    id: "C1b",
    report: ReportKind::PasswordReset,
    name: "Entra ID self-service password reset flow step",
};
/// C1c: a user blocked from self-service reset.
pub const CLOUD_RESET_BLOCKED: Rule = Rule {
    id: "C1c",
    report: ReportKind::PasswordReset,
    name: "Entra ID user blocked from self-service password reset",
};
/// C1d: a self-service account unlock.
pub const CLOUD_UNLOCK: Rule = Rule {
    id: "C1d",
    report: ReportKind::PasswordReset,
    name: "Entra ID account unlocked (self-service)",
};
/// C2a: security info registered, changed or deleted.
pub const CLOUD_SECURITY_INFO: Rule = Rule {
    id: "C2a",
    report: ReportKind::Registration,
    name: "Entra ID security info registered, changed or deleted",
};
/// C3a: a join request and its answer, or a user adding or removing
/// themself as a member.
pub const CLOUD_SELF_MEMBERSHIP: Rule = Rule {
    id: "C3a",
    report: ReportKind::SelfServiceGroups,
    name: "Entra ID self-service join or leave",
};
/// C3b: a group created by a person.
pub const CLOUD_GROUP_CREATED: Rule = Rule {
    id: "C3b",
    report: ReportKind::SelfServiceGroups,
    name: "Entra ID group created by a person",
};
/// C4: any other cloud activity.
pub const CLOUD_OTHER: Rule = Rule {
    id: "C4",
    report: ReportKind::Other,
    name: "Entra ID activity no report rule matched",
};

/// Every cloud rule, in the order they are tried.
pub const CLOUD_RULES: [Rule; 8] = [
    CLOUD_PASSWORD_RESET,
    CLOUD_RESET_FLOW_STEP,
    CLOUD_RESET_BLOCKED,
    CLOUD_UNLOCK,
    CLOUD_SECURITY_INFO,
    CLOUD_SELF_MEMBERSHIP,
    CLOUD_GROUP_CREATED,
    CLOUD_OTHER,
];

/// Password reset activities (logged by Self-service Password Management)
/// and their rules.
pub const PASSWORD_RESET_ACTIVITIES: [(&str, Rule); 6] = [
    ("Reset password (self-service)", CLOUD_PASSWORD_RESET),
    ("Reset password (by admin)", CLOUD_PASSWORD_RESET),
    ("Change password (self-service)", CLOUD_PASSWORD_RESET),
    (
        "Self-service password reset flow activity progress",
        CLOUD_RESET_FLOW_STEP,
    ),
    (
        "Blocked from self-service password reset",
        CLOUD_RESET_BLOCKED,
    ),
    ("Unlock user account (self-service)", CLOUD_UNLOCK),
];

/// Security info activities and the registration activity they are.
pub const REGISTRATION_ACTIVITIES: [(&str, &str); 8] = [
    ("User registered security info", "Registered"),
    ("User registered all required security info", "Registered"),
    ("Admin registered security info", "Registered"),
    ("User changed default security info", "Updated registration"),
    ("User updated security info", "Updated registration"),
    ("Admin updated security info", "Updated registration"),
    ("User deleted security info", "Unregistered"),
    ("Admin deleted security info", "Unregistered"),
];

/// Self-service Group Management activities: the action, and the result of
/// a successful record.
pub const GROUP_REQUEST_ACTIVITIES: [(&str, &str, Outcome); 4] = [
    (
        "Request to join a group",
        "Join group",
        Outcome::PendingApproval,
    ),
    (
        "Approve a pending request to join a group",
        "Join group",
        Outcome::Success,
    ),
    (
        "Reject a pending request to join a group",
        "Join group",
        Outcome::Denied,
    ),
    (
        "Cancel a pending request to join a group",
        "Join group",
        Outcome::Canceled,
    ),
];

/// Directory membership changes that are self-service when the member is
/// the user who acted.
pub const MEMBERSHIP_ACTIVITIES: [(&str, &str); 2] = [
    ("Add member to group", "Join group"),
    ("Remove member from group", "Leave group"),
];

/// Activities that create a group.
pub const GROUP_CREATION_ACTIVITIES: [&str; 2] = ["Add group", "Create group"];

/// Method text for the reset report: (fragments, any case; method).
pub const CLOUD_RESET_METHODS: [(&[&str], &str); 7] = [
    (&["security question"], "Questions and answers"),
    (&["sms", "text message"], "One-time code by SMS"),
    (&["email"], "One-time code by email"),
    (
        &[
            "office phone",
            "phone call",
            "voice call",
            "mobile phone call",
        ],
        "Phone call (MFA)",
    ),
    (&["app notification"], "Mobile app notification"),
    (&["mobile app code", "app code", "oath"], "Mobile app code"),
    (&["fido", "security key", "passkey"], "Security key"),
];

/// Method text for the registration report: SMS and mobile phone are
/// "Mobile phone", as in `REPORTS.md`.
pub const CLOUD_REGISTRATION_METHODS: [(&[&str], &str); 6] = [
    (&["security question"], "Questions and answers"),
    (&["sms", "text message", "mobile phone"], "Mobile phone"),
    (&["email"], "Email"),
    (&["office phone"], "Office phone"),
    (&["authenticator", "mobile app", "oath"], "Mobile app"),
    (&["fido", "security key", "passkey"], "Security key"),
];

/// The rule with this id among the cloud rules.
pub fn cloud_rule_by_id(id: &str) -> Option<Rule> {
    CLOUD_RULES.iter().copied().find(|r| r.id == id)
}

fn named(activity: &str, name: &str) -> bool {
    activity.trim().eq_ignore_ascii_case(name)
}

/// The outcome of a record's `result`.
pub fn cloud_outcome(result: Option<&str>) -> Outcome {
    match result.map(|r| r.trim().to_ascii_lowercase()).as_deref() {
        Some("success") => Outcome::Success,
        Some("failure" | "timeout") => Outcome::Failed,
        _ => Outcome::Pending,
    }
}

/// The texts methods are looked for in, lower case.
fn method_texts(r: &AuditRecord) -> Vec<String> {
    let names_method = |k: &str| k.to_ascii_lowercase().contains("method");
    let mut texts: Vec<String> = r.result_reason.iter().map(|s| s.to_lowercase()).collect();
    texts.extend(
        r.details
            .iter()
            .filter(|(k, _)| names_method(k))
            .map(|(_, v)| v.to_lowercase()),
    );
    for t in &r.targets {
        texts.extend(
            t.modified
                .iter()
                .filter(|p| names_method(&p.name))
                .map(|p| p.new_value.to_lowercase()),
        );
    }
    texts
}

/// The methods a record names, sorted, from `table`.
pub fn cloud_methods(r: &AuditRecord, table: &[(&[&str], &str)]) -> Vec<String> {
    methods_in(&method_texts(r), table)
}

fn person_of_target(t: &Target) -> Person {
    Person {
        name: t.display_name.clone(),
        account: t.upn.clone(),
        id: t.id.clone().map(|s| s.to_ascii_lowercase()),
        upn: t.upn.clone(),
    }
}

fn person_of_initiator(r: &AuditRecord) -> Person {
    match &r.initiator {
        Some(i) if !i.is_app => Person {
            name: i.display_name.clone(),
            account: i.upn.clone(),
            id: i.id.clone().map(|s| s.to_ascii_lowercase()),
            upn: i.upn.clone(),
        },
        Some(i) => Person {
            name: i.display_name.clone(),
            ..Person::default()
        },
        None => Person::default(),
    }
}

/// The person a password or security info record is about: its user
/// target, else its first target, else whoever acted.
fn subject(r: &AuditRecord) -> Person {
    match r.target("User").or(r.targets.first()) {
        Some(t) => person_of_target(t),
        None => person_of_initiator(r),
    }
}

fn same_person(a: &Person, b: &Person) -> bool {
    match (&a.id, &b.id) {
        (Some(x), Some(y)) => x == y,
        _ => match (&a.upn, &b.upn) {
            (Some(x), Some(y)) => x.eq_ignore_ascii_case(y),
            _ => false,
        },
    }
}

/// Who acted, relative to the person the row is about.
fn cloud_role(r: &AuditRecord, subject: &Person) -> Role {
    match &r.initiator {
        None => Role::Unknown,
        Some(i) if i.is_app => Role::System,
        Some(_) if same_person(&person_of_initiator(r), subject) => Role::User,
        Some(_) => Role::Administrator,
    }
}

fn name_of(p: &Person) -> String {
    p.name
        .clone()
        .or_else(|| p.upn.clone())
        .or_else(|| p.id.clone())
        .unwrap_or_default()
}

/// Classifies one cloud record.
pub fn classify_audit(r: &AuditRecord) -> Classified {
    let activity = r.activity.as_deref().unwrap_or_default();
    let outcome = cloud_outcome(r.result.as_deref());
    let details = r
        .result_reason
        .clone()
        .unwrap_or_else(|| activity.to_owned());
    let classified = |rule: Rule, outcome: Outcome, facts: Facts| Classified {
        rule,
        date: r.date,
        outcome,
        details: details.clone(),
        facts,
    };

    if let Some((_, rule)) = PASSWORD_RESET_ACTIVITIES
        .iter()
        .find(|(n, _)| named(activity, n))
    {
        let user = subject(r);
        let outcome = if *rule == CLOUD_RESET_BLOCKED {
            Outcome::LockedOut
        } else {
            outcome
        };
        let facts = Facts::PasswordReset {
            role: cloud_role(r, &user),
            methods: cloud_methods(r, &CLOUD_RESET_METHODS),
            user,
        };
        return classified(*rule, outcome, facts);
    }

    if let Some((_, registration)) = REGISTRATION_ACTIVITIES
        .iter()
        .find(|(n, _)| named(activity, n))
    {
        let user = subject(r);
        let facts = Facts::Registration {
            role: cloud_role(r, &user),
            methods: cloud_methods(r, &CLOUD_REGISTRATION_METHODS),
            activity: (*registration).to_owned(),
            user,
        };
        return classified(CLOUD_SECURITY_INFO, outcome, facts);
    }

    let group_name = r
        .target("Group")
        .and_then(|g| g.display_name.clone().or_else(|| g.id.clone()))
        .unwrap_or_default();

    if let Some((_, action, on_success)) = GROUP_REQUEST_ACTIVITIES
        .iter()
        .find(|(n, _, _)| named(activity, n))
    {
        // The person asking: the user target of an approval or rejection,
        // else whoever acted.
        let requestor = match r.target("User") {
            Some(t) => person_of_target(t),
            None => person_of_initiator(r),
        };
        let outcome = if outcome == Outcome::Success {
            *on_success
        } else {
            outcome
        };
        let facts = Facts::Group {
            group: group_name,
            action: (*action).to_owned(),
            requestor,
        };
        return classified(CLOUD_SELF_MEMBERSHIP, outcome, facts);
    }

    let acting_user = r.initiator.as_ref().is_some_and(|i| !i.is_app);
    if let Some((_, action)) = MEMBERSHIP_ACTIVITIES
        .iter()
        .find(|(n, _)| named(activity, n))
    {
        let actor = person_of_initiator(r);
        let member = r.target("User").map(person_of_target);
        if acting_user && member.is_some_and(|m| same_person(&m, &actor)) {
            let facts = Facts::Group {
                group: group_name,
                action: (*action).to_owned(),
                requestor: actor,
            };
            return classified(CLOUD_SELF_MEMBERSHIP, outcome, facts);
        }
    }

    if acting_user && GROUP_CREATION_ACTIVITIES.iter().any(|n| named(activity, n)) {
        let facts = Facts::Group {
            group: group_name,
            action: "Create group".to_owned(),
            requestor: person_of_initiator(r),
        };
        return classified(CLOUD_GROUP_CREATED, outcome, facts);
    }

    let first = r.targets.first();
    let facts = Facts::Other {
        operation: r.operation_type.clone().unwrap_or_default(),
        target_type: first.and_then(|t| t.kind.clone()).unwrap_or_default(),
        target: first
            .map(|t| name_of(&person_of_target(t)))
            .unwrap_or_default(),
        requestor: name_of(&person_of_initiator(r)),
        status: r.result.clone().unwrap_or_default(),
    };
    classified(CLOUD_OTHER, outcome, facts)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cloud::{Initiator, ModifiedProperty};

    fn user(id: &str, upn: &str) -> Target {
        Target {
            id: Some(id.to_owned()),
            display_name: Some(format!("Name of {id}")),
            kind: Some("User".to_owned()),
            upn: Some(upn.to_owned()),
            modified: Vec::new(),
        }
    }

    fn by_user(id: &str, upn: &str) -> Option<Initiator> {
        Some(Initiator {
            id: Some(id.to_owned()),
            display_name: None,
            upn: Some(upn.to_owned()),
            is_app: false,
        })
    }

    fn record(activity: &str, result: &str) -> AuditRecord {
        AuditRecord {
            activity: Some(activity.to_owned()),
            result: Some(result.to_owned()),
            service: Some("Self-service Password Management".to_owned()),
            targets: vec![user("u1", "vera@contoso.com")],
            initiator: by_user("u1", "vera@contoso.com"),
            ..AuditRecord::default()
        }
    }

    #[test]
    fn a_self_service_reset_is_the_users_with_the_methods_of_its_reason() {
        let mut r = record("Reset password (self-service)", "success");
        r.result_reason = Some("User verified with Mobile app notification and SMS".to_owned());
        let c = classify_audit(&r);
        assert_eq!(c.rule, CLOUD_PASSWORD_RESET);
        assert_eq!(c.outcome, Outcome::Success);
        let Facts::PasswordReset {
            role,
            methods,
            user,
        } = c.facts
        else {
            panic!("not a reset: {:?}", c.facts)
        };
        assert_eq!(role, Role::User);
        assert_eq!(
            methods,
            vec!["Mobile app notification", "One-time code by SMS"]
        );
        assert_eq!(user.upn.as_deref(), Some("vera@contoso.com"));
    }

    #[test]
    fn a_blocked_user_is_locked_out_and_an_admin_reset_is_an_administrators() {
        assert_eq!(
            classify_audit(&record(
                "Blocked from self-service password reset",
                "success"
            ))
            .outcome,
            Outcome::LockedOut
        );
        let mut r = record("Reset password (by admin)", "failure");
        r.initiator = by_user("a9", "admin@contoso.com");
        let c = classify_audit(&r);
        assert_eq!(c.outcome, Outcome::Failed);
        assert!(matches!(
            c.facts,
            Facts::PasswordReset {
                role: Role::Administrator,
                ..
            }
        ));
    }

    #[test]
    fn security_info_methods_come_from_method_properties_only() {
        let mut r = record("User registered security info", "success");
        r.targets[0].modified.push(ModifiedProperty {
            name: "StrongAuthenticationMethod".to_owned(),
            new_value: "[{\"MethodType\":\"Mobile phone\"}]".to_owned(),
        });
        // An address that happens to contain "email" is no method.
        r.details
            .push(("UserAgent".to_owned(), "email-client".to_owned()));
        let c = classify_audit(&r);
        assert_eq!(c.rule, CLOUD_SECURITY_INFO);
        let Facts::Registration {
            methods, activity, ..
        } = c.facts
        else {
            panic!("not a registration")
        };
        assert_eq!(methods, vec!["Mobile phone"]);
        assert_eq!(activity, "Registered");
    }

    #[test]
    fn a_join_request_awaits_approval_and_a_rejection_is_denied() {
        let mut r = record("Request to join a group", "success");
        r.targets = vec![Target {
            kind: Some("Group".to_owned()),
            display_name: Some("Hiking Club".to_owned()),
            ..Target::default()
        }];
        let c = classify_audit(&r);
        assert_eq!(c.rule, CLOUD_SELF_MEMBERSHIP);
        assert_eq!(c.outcome, Outcome::PendingApproval);
        r.activity = Some("Reject a pending request to join a group".to_owned());
        assert_eq!(classify_audit(&r).outcome, Outcome::Denied);
    }

    #[test]
    fn adding_someone_else_to_a_group_is_not_self_service() {
        let mut r = record("Add member to group", "success");
        r.initiator = by_user("a9", "admin@contoso.com");
        assert_eq!(classify_audit(&r).rule, CLOUD_OTHER);
        r.initiator = by_user("u1", "vera@contoso.com");
        assert_eq!(classify_audit(&r).rule, CLOUD_SELF_MEMBERSHIP);
    }

    #[test]
    fn an_unknown_activity_goes_to_other_requests() {
        let c = classify_audit(&record("Update user", "success"));
        assert_eq!(c.rule, CLOUD_OTHER);
        assert!(matches!(c.facts, Facts::Other { .. }));
    }

    #[test]
    fn rule_ids_are_unique_and_distinct_from_the_mim_rules() {
        for r in CLOUD_RULES {
            assert_eq!(cloud_rule_by_id(r.id), Some(r));
            assert_eq!(crate::classify::RULES.iter().find(|m| m.id == r.id), None);
        }
    }
}
