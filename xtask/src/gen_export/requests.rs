//! The request mix: episodes of MIM activity (a password reset, a
//! registration with its gate registrations, a self-service join, a
//! synchronization update, ...), each a few events with times relative to
//! the episode's start. About one request in a hundred is large enough to be
//! cut into 4137 slices.

use rand::Rng;
use rand::seq::{IndexedRandom, SliceRandom};
use rand_chacha::ChaCha8Rng;

use super::company::{
    ADMIN_ID, ANONYMOUS_ID, Company, DOMAIN, Group, Person, SERVICE_ID, SYNC_ID, guid,
    well_known_expanded,
};
use super::json::{JsonObject, array};

/// The most characters MIM puts in one event before it slices a request.
pub const SLICE_LIMIT: usize = 31_700;

/// Where an event comes from: its source, log, level and keywords.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Source {
    /// Provider (source) name.
    pub provider: &'static str,
    /// Event log (channel).
    pub channel: &'static str,
    /// Level number (4 information, 2 error, 0 audit).
    pub level: u8,
    /// Level as Event Viewer renders it.
    pub level_name: &'static str,
    /// Keywords mask as written in the XML.
    pub keywords: &'static str,
    /// Keywords as rendered.
    pub keyword_name: &'static str,
}

/// The MIM request log.
pub const REQUEST_LOG: Source = Source {
    provider: "Microsoft.IdentityManagement.Service",
    channel: "Identity Manager Request Log",
    level: 4,
    level_name: "Information",
    keywords: "0x80000000000000",
    keyword_name: "Classic",
};

const SQL: Source = Source {
    provider: "MSSQLSERVER",
    channel: "Application",
    level: 4,
    level_name: "Information",
    keywords: "0x80000000000000",
    keyword_name: "Classic",
};

const SECURITY: Source = Source {
    provider: "Microsoft-Windows-Security-Auditing",
    channel: "Security",
    level: 0,
    level_name: "Information",
    keywords: "0x8010000000000000",
    keyword_name: "Audit Failure",
};

const RESOURCE_MANAGEMENT: Source = Source {
    provider: "Microsoft.ResourceManagement",
    channel: "Forefront Identity Manager",
    level: 2,
    level_name: "Error",
    keywords: "0x80000000000000",
    keyword_name: "Classic",
};

const BACKUP_AGENT: Source = Source {
    provider: "Contoso.BackupAgent",
    channel: "Application",
    level: 4,
    level_name: "Information",
    keywords: "0x80000000000000",
    keyword_name: "Classic",
};

/// One event of an episode.
#[derive(Clone, Debug)]
pub struct GenEvent {
    /// Milliseconds after the episode's start.
    pub offset_ms: i64,
    /// Sub-millisecond part, in 100 ns ticks (0..10,000), for the seven
    /// fractional digits Windows writes.
    pub ticks: u32,
    /// Event id.
    pub event_id: u32,
    /// Source.
    pub source: Source,
    /// The event's one data string (the request text, or a slice of it).
    pub payload: String,
    /// The rendered message, when it differs from the payload.
    pub message: Option<String>,
}

impl GenEvent {
    /// The rendered message.
    pub fn message(&self) -> &str {
        self.message.as_deref().unwrap_or(&self.payload)
    }
}

/// Builds the events of one episode at a time.
pub struct Mix<'a> {
    company: &'a Company,
    rng: &'a mut ChaCha8Rng,
    events: Vec<GenEvent>,
}

/// How a request's times are spelled: MIM writes all three.
#[derive(Clone, Copy)]
enum TimeStyle {
    Sql,
    Us,
    Iso,
}

fn time_text(ms: i64, style: TimeStyle) -> String {
    let t = chrono::DateTime::from_timestamp_millis(ms).expect("a time in range");
    match style {
        TimeStyle::Sql => t.format("%Y-%m-%d %H:%M:%S%.3f").to_string(),
        TimeStyle::Us => t.format("%-m/%-d/%Y %-I:%M:%S %p").to_string(),
        TimeStyle::Iso => t.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string(),
    }
}

/// One request document under construction.
struct Doc {
    id: String,
    display_name: String,
    operation: &'static str,
    target_type: &'static str,
    target: Option<String>,
    creator: String,
    status: &'static str,
    status_detail: Option<String>,
    created: i64,
    committed: Option<i64>,
    completed: Option<i64>,
    params: Vec<String>,
    policies: Vec<String>,
    policy_as_list: bool,
    authn: Option<String>,
    authz: Option<String>,
    action: Option<String>,
    name_key: &'static str,
}

impl Doc {
    fn text(&self, rng: &mut ChaCha8Rng) -> String {
        let style = *[
            TimeStyle::Sql,
            TimeStyle::Sql,
            TimeStyle::Us,
            TimeStyle::Iso,
        ]
        .choose(rng)
        .expect("styles");
        let mut o = JsonObject::new();
        o.str("HybridObjectID", &self.id)
            .str("ObjectType", "Request")
            .str("DisplayName", &self.display_name)
            .str("Operation", self.operation)
            .str("TargetObjectType", self.target_type);
        if let Some(t) = &self.target {
            o.raw("Target", t);
        }
        o.raw("Creator", &self.creator)
            .str("RequestStatus", self.status);
        if let Some(d) = &self.status_detail {
            o.raw("RequestStatusDetail", d);
        }
        o.str("CreatedTime", &time_text(self.created, style));
        if let Some(t) = self.committed {
            o.str("CommittedTime", &time_text(t, style));
        }
        if let Some(t) = self.completed {
            o.str("msidmCompletedTime", &time_text(t, TimeStyle::Us));
        }
        if !self.params.is_empty() {
            o.list("RequestParameter", &self.params);
        }
        match (self.policies.len(), self.policy_as_list) {
            (0, _) => {}
            (1, false) => {
                o.raw("ManagementPolicy", &self.policies[0]);
            }
            _ => {
                o.list("ManagementPolicy", &self.policies);
            }
        }
        if let Some(w) = &self.authn {
            o.raw("AuthenticationWorkflowInstance", w);
        }
        if let Some(w) = &self.authz {
            o.raw("AuthorizationWorkflowInstance", w);
        }
        if let Some(w) = &self.action {
            o.raw("ActionWorkflowInstance", w);
        }
        o.str("ServicePartitionName", "MIMService");
        o.finish()
    }
}

fn quoted(s: &str) -> String {
    let mut out = String::new();
    super::json::push_str_literal(&mut out, s);
    out
}

fn group_expanded(g: &Group, company: &Company) -> String {
    let owner = &company.people[g.owner];
    let mut o = JsonObject::new();
    o.str("HybridObjectID", &g.id)
        .str("ObjectID", &g.object_id.to_string())
        .str("ObjectType", "Group")
        .str("DisplayName", &g.name)
        .str("AccountName", &g.account)
        .str("Domain", DOMAIN)
        .str("Email", &format!("{}@contoso.com", g.account))
        .str(
            "MembershipAddWorkflow",
            if g.owner_approval {
                "Owner Approval"
            } else {
                "None"
            },
        )
        .str("MembershipLocked", "False")
        .raw("Owner", &owner.reference());
    o.finish()
}

impl<'a> Mix<'a> {
    /// A mix over `company`, drawing from `rng`.
    pub fn new(company: &'a Company, rng: &'a mut ChaCha8Rng) -> Self {
        Mix {
            company,
            rng,
            events: Vec::new(),
        }
    }

    fn param(
        &mut self,
        key: &'static str,
        name: &str,
        value: &str,
        mode: &str,
        op: &str,
    ) -> String {
        let mut o = JsonObject::new();
        o.str(key, name)
            .str("Value", value)
            .str("Mode", mode)
            .str("Operation", op)
            .str("Calculated", "false");
        o.finish()
    }

    fn workflow(&mut self, name: &str, status: &str, details: &[String]) -> String {
        let mut o = JsonObject::new();
        o.str("HybridObjectID", &guid(self.rng))
            .str("ObjectType", "WorkflowInstance")
            .str("DisplayName", name)
            .str(
                "WorkflowDefinition",
                &if name.contains("AuthN") {
                    self.company.authn_workflow_id.clone()
                } else {
                    guid(self.rng)
                },
            )
            .str("WorkflowStatus", status);
        if !details.is_empty() {
            let items: Vec<String> = details.iter().map(|d| quoted(d)).collect();
            o.list("WorkflowStatusDetail", &items);
        }
        let w = o.finish();
        if self.rng.random_bool(0.5) {
            array(&[w])
        } else {
            w
        }
    }

    fn doc(&mut self, created: i64, operation: &'static str, target_type: &'static str) -> Doc {
        let committed = created + self.rng.random_range(80..2500);
        Doc {
            id: guid(self.rng),
            display_name: String::new(),
            operation,
            target_type,
            target: None,
            creator: String::new(),
            status: "Completed",
            status_detail: None,
            created,
            committed: Some(committed),
            completed: self
                .rng
                .random_bool(0.6)
                .then(|| committed + self.rng.random_range(20..900)),
            params: Vec::new(),
            policies: Vec::new(),
            policy_as_list: self.rng.random_bool(0.5),
            authn: None,
            authz: None,
            action: None,
            name_key: if self.rng.random_bool(0.5) {
                "PropertyName"
            } else {
                "Propertyname"
            },
        }
    }

    /// Adds the events of `doc`: one 4121, or 4137 slices when it is large.
    fn emit(&mut self, doc: &Doc) {
        let text = doc.text(self.rng);
        let at = doc.committed.unwrap_or(doc.created) + self.rng.random_range(1..400);
        if text.chars().count() <= SLICE_LIMIT {
            self.push(at, 4121, REQUEST_LOG, text, None);
            return;
        }
        self.emit_slices(at, &doc.id, &text);
    }

    fn emit_slices(&mut self, at: i64, id: &str, text: &str) {
        // Cut anywhere (inside strings and escapes too), on character
        // boundaries, each piece within the limit.
        let mut pieces = Vec::new();
        let mut rest = text;
        while !rest.is_empty() {
            let want = self
                .rng
                .random_range(SLICE_LIMIT - 6000..=SLICE_LIMIT - 100);
            let cut = rest
                .char_indices()
                .nth(want)
                .map(|(i, _)| i)
                .unwrap_or(rest.len());
            pieces.push(&rest[..cut]);
            rest = &rest[cut..];
        }
        let total = pieces.len();
        let guid_text = if self.rng.random_bool(0.3) {
            id.to_ascii_uppercase()
        } else {
            id.to_owned()
        };
        let mut slices: Vec<GenEvent> = pieces
            .iter()
            .enumerate()
            .map(|(n, piece)| GenEvent {
                offset_ms: at,
                ticks: 0,
                event_id: 4137,
                source: REQUEST_LOG,
                payload: format!(
                    "Request '{guid_text}', message {} out of {total}: \n{piece}",
                    n + 1
                ),
                message: None,
            })
            .collect();
        match self.rng.random_range(0..10) {
            0..=5 => {}
            6..=7 => slices.reverse(),
            _ => slices.shuffle(self.rng),
        }
        for (i, mut s) in slices.into_iter().enumerate() {
            s.offset_ms = at + i as i64;
            s.ticks = self.rng.random_range(0..10_000);
            self.events.push(s);
        }
    }

    fn push(&mut self, at: i64, id: u32, source: Source, payload: String, message: Option<String>) {
        let ticks = self.rng.random_range(0..10_000);
        self.events.push(GenEvent {
            offset_ms: at,
            ticks,
            event_id: id,
            source,
            payload,
            message,
        });
    }

    /// The events of the next episode, times relative to its start, in the
    /// order the log wrote them.
    pub fn episode(&mut self) -> Vec<GenEvent> {
        self.events.clear();
        let roll = self.rng.random_range(0..1000);
        match roll {
            0..=9 => self.large_request(),
            10..=14 => self.foreign(),
            15..=94 => self.password_reset(),
            95..=114 => self.anonymous_attempt(),
            115..=164 => self.registration(),
            165..=179 => self.gate_registration_alone(),
            180..=284 => self.self_service_membership(),
            285..=304 => self.group_created(0),
            305..=384 => self.admin_membership(),
            385..=424 => self.set_update(),
            _ => self.sync_update(),
        }
        std::mem::take(&mut self.events)
    }

    fn sync_creator() -> String {
        well_known_expanded(SYNC_ID, 3, "Built-in Synchronization Account")
    }

    fn sync_update(&mut self) {
        let p = self.company.person(self.rng).clone();
        let mut d = self.doc(0, "Put", "Person");
        d.display_name = format!("Update to Person: '{}' Request", p.name);
        d.target = Some(p.expanded());
        d.creator = Self::sync_creator();
        let n = self.rng.random_range(1..=3);
        let key = d.name_key;
        for _ in 0..n {
            let param = match self.rng.random_range(0..6) {
                0 => {
                    let m = self.company.person(self.rng).reference();
                    self.param(key, "Manager", &array(&[m]), "Modify", "Modify")
                }
                1 => {
                    let dep = self.company.person(self.rng).department;
                    self.param(key, "Department", dep, "Modify", "Modify")
                }
                2 => {
                    let c = ["Contoso Ltd.", "Fabrikam, Inc."][self.rng.random_range(0..2)];
                    self.param(key, "Company", c, "Modify", "Modify")
                }
                3 => {
                    let n = format!("+31 6 555 {:05}", self.rng.random_range(0..100_000));
                    self.param(key, "MobilePhone", &n, "Modify", "Modify")
                }
                4 => {
                    let t = [
                        "Analyst",
                        "Engineer",
                        "Team Lead",
                        "Coordinator",
                        "Specialist",
                    ][self.rng.random_range(0..5)];
                    self.param(key, "JobTitle", t, "Modify", "Modify")
                }
                _ => {
                    let o = format!(
                        "Building {} / {}",
                        self.rng.random_range(1..9),
                        self.rng.random_range(100..500)
                    );
                    self.param(key, "OfficeLocation", &o, "Modify", "Modify")
                }
            };
            d.params.push(param);
        }
        d.policies.push(
            self.company
                .policy("Synchronization account controls users it synchronizes"),
        );
        d.policy_as_list = false;
        self.emit(&d);
    }

    fn gates(&mut self) -> Vec<&'static str> {
        let all = [
            "QA Gate",
            "One-Time Password SMS Gate",
            "One-Time Password Email Gate",
            "Phone Gate",
        ];
        let n = self.rng.random_range(1..=2);
        let mut g: Vec<&'static str> = all.choose_multiple(self.rng, n).copied().collect();
        g.sort_unstable();
        g
    }

    fn anonymous_creator(&mut self) -> String {
        if self.rng.random_bool(0.5) {
            quoted(ANONYMOUS_ID)
        } else {
            well_known_expanded(ANONYMOUS_ID, 2, "Anonymous User")
        }
    }

    fn password_reset(&mut self) {
        let p = self.company.person(self.rng).clone();
        let gates = self.gates();
        let failed = self.rng.random_bool(0.2);
        let mut d = self.doc(0, "Put", "Person");
        d.display_name = format!("Update to Person: '{}' Request", p.name);
        d.target = Some(p.expanded());
        d.creator = self.anonymous_creator();
        let key = d.name_key;
        let param = self.param(key, "ResetPassword", "True", "Modify", "Modify");
        d.params.push(param);
        d.policies.push(
            self.company
                .policy("Anonymous users may reset their own password"),
        );
        let mut details = Vec::new();
        for (i, g) in gates.iter().enumerate() {
            details.push(format!("{g}: challenge presented"));
            if failed && i + 1 == gates.len() {
                details.push(format!("{g}: the response did not match (attempt 3 of 3)"));
            } else {
                details.push(format!("{g}: passed"));
            }
        }
        let status = if failed { "Failed" } else { "Completed" };
        d.authn = Some(self.workflow("Password Reset AuthN Workflow", status, &details));
        if failed {
            d.status = "Failed";
            d.status_detail = Some(quoted(
                "Authentication failed: not every challenge was answered.",
            ));
            d.committed = None;
        } else {
            d.action =
                Some(self.workflow("Password Reset Notification Workflow", "Completed", &[]));
        }
        self.emit(&d);

        // A failed reset sometimes locks the user out.
        if failed && self.rng.random_bool(0.3) {
            let mut l = self.doc(d.created + 1500, "Put", "Person");
            l.display_name = format!("Update to Person: '{}' Request", p.name);
            l.target = Some(p.expanded());
            l.creator =
                well_known_expanded(SERVICE_ID, 4, "Forefront Identity Manager Service Account");
            let key = l.name_key;
            let wf = array(&[quoted(&self.company.authn_workflow_id)]);
            let param = self.param(key, "AuthNWFLockedOut", &wf, "Add", "Modify");
            l.params.push(param);
            l.policies.push(
                self.company
                    .policy("Password reset users can update their own lockout attributes"),
            );
            l.authn = Some(self.workflow(
                "Password Reset AuthN Workflow",
                "Completed",
                &["Lockout Gate: the user is locked out for 15 minutes".to_owned()],
            ));
            self.emit(&l);
        }
    }

    fn anonymous_attempt(&mut self) {
        let p = self.company.person(self.rng).clone();
        let mut d = self.doc(0, "Put", "Person");
        d.display_name = format!("Update to Person: '{}' Request", p.name);
        d.target = Some(quoted(&p.id.to_ascii_uppercase()));
        d.creator = self.anonymous_creator();
        d.status = "Failed";
        d.committed = None;
        d.status_detail = Some(array(&[quoted(
            "The user is not registered for password reset.",
        )]));
        d.policies.push(
            self.company
                .policy("Password reset users can update their own lockout attributes"),
        );
        self.emit(&d);
    }

    fn registration_methods(&mut self, d: &mut Doc, gates: &[&str], p: &Person) {
        let key = d.name_key;
        for g in gates {
            let (attr, value) = match *g {
                "One-Time Password SMS Gate" => (
                    "msidmOneTimePasswordMobilePhone",
                    format!("+31 6 555 {:05}", self.rng.random_range(0..100_000)),
                ),
                "One-Time Password Email Gate" => {
                    ("msidmOneTimePasswordEmailAddress", p.email.clone())
                }
                "Phone Gate" => (
                    "msidmPhoneGatePhoneNumber",
                    format!("+31 6 555 {:05}", self.rng.random_range(0..100_000)),
                ),
                _ => continue,
            };
            let param = self.param(key, attr, &value, "Modify", "Modify");
            d.params.push(param);
        }
    }

    fn gate_registration(&mut self, at: i64, p: &Person, gate: &str, delete: bool) {
        let mut g = self.doc(
            at,
            if delete { "Delete" } else { "Create" },
            "GateRegistration",
        );
        let verb = if delete { "Delete" } else { "Create" };
        g.display_name = format!("{verb} GateRegistration: '{}' Request", p.name);
        let mut t = JsonObject::new();
        t.str("HybridObjectID", &guid(self.rng))
            .str("ObjectID", &self.rng.random_range(4000..9000).to_string())
            .str("ObjectType", "GateRegistration")
            .str("DisplayName", &p.name)
            .str("GateTypeId", gate)
            .raw("UserID", &p.reference());
        g.target = Some(t.finish());
        g.creator = p.expanded();
        if !delete {
            let key = g.name_key;
            let op = "Create";
            let a = self.param(key, "GateTypeId", gate, "Modify", op);
            let gid = guid(self.rng);
            let b = self.param(key, "GateID", &gid, "Modify", op);
            let c = self.param(key, "UserID", &array(&[p.reference()]), "Modify", op);
            let secret: String = (0..64)
                .map(|_| {
                    let set = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
                    set[self.rng.random_range(0..set.len())] as char
                })
                .collect();
            let e = self.param(key, "GateData", &secret, "Modify", op);
            g.params.extend([a, b, c, e]);
        }
        g.policies.push(
            self.company
                .policy("Users can manage their own gate registrations"),
        );
        self.emit(&g);
    }

    fn registration(&mut self) {
        let p = self.company.person(self.rng).clone();
        let unregister = self.rng.random_bool(0.1);
        let gates = self.gates();
        let mut d = self.doc(0, "Put", "Person");
        d.display_name = format!("Update to Person: '{}' Request", p.name);
        d.target = Some(p.expanded());
        d.creator = p.expanded();
        let key = d.name_key;
        let wf = JsonObject::new();
        let mut wf = wf;
        wf.str("HybridObjectID", &self.company.authn_workflow_id)
            .str("DisplayName", "Password Reset AuthN Workflow")
            .str("ObjectType", "WorkflowDefinition");
        let value = array(&[wf.finish()]);
        let mode = if unregister { "Remove" } else { "Add" };
        let param = self.param(key, "AuthNWFRegistered", &value, mode, "Modify");
        d.params.push(param);
        d.policies.push(
            self.company
                .policy("Password reset users can register themselves"),
        );
        if !unregister {
            self.registration_methods(&mut d, &gates, &p);
            let details: Vec<String> = gates
                .iter()
                .map(|g| format!("{g}: registration data saved"))
                .collect();
            d.authn = Some(self.workflow("Password Reset AuthN Workflow", "Completed", &details));
        }
        // The gate registrations come a little before or after.
        let before = self.rng.random_bool(0.3);
        if unregister {
            self.emit(&d);
            return;
        }
        if before {
            for (i, g) in gates.iter().enumerate() {
                self.gate_registration(i as i64 * 4000, &p, g, false);
            }
            d.created = 60_000 + self.rng.random_range(0..120_000);
            d.committed = Some(d.created + 700);
            d.completed = None;
            self.emit(&d);
        } else {
            self.emit(&d);
            for (i, g) in gates.iter().enumerate() {
                let at = 30_000 + i as i64 * 5000 + self.rng.random_range(0..200_000);
                self.gate_registration(at, &p, g, false);
            }
        }
    }

    fn gate_registration_alone(&mut self) {
        let p = self.company.person(self.rng).clone();
        let gate = self.gates()[0];
        let delete = self.rng.random_bool(0.3);
        self.gate_registration(0, &p, gate, delete);
    }

    fn self_service_membership(&mut self) {
        let p = self.company.person(self.rng).clone();
        let g = self.company.group(self.rng).clone();
        let join = self.rng.random_bool(0.7);
        let mut d = self.doc(0, "Put", "Group");
        d.display_name = format!("Update to Group: '{}' Request", g.name);
        d.target = Some(group_expanded(&g, self.company));
        d.creator = if self.rng.random_bool(0.1) {
            quoted(&p.id)
        } else {
            p.expanded()
        };
        let key = d.name_key;
        let mode = if join { "Add" } else { "Remove" };
        let param = self.param(
            key,
            "ExplicitMember",
            &array(&[p.reference()]),
            mode,
            "Modify",
        );
        d.params.push(param);
        d.policies
            .push(self.company.policy("Users can join or leave open groups"));
        if join && g.owner_approval {
            let owner = self.company.people[g.owner].name.clone();
            d.status = "Authorizing";
            d.committed = None;
            d.completed = None;
            d.authz = Some(self.workflow(
                "Owner Approval Workflow",
                "Running",
                &[format!("Approval requested from {owner}")],
            ));
        } else {
            d.action =
                Some(self.workflow("Group Membership Notification Workflow", "Completed", &[]));
        }
        self.emit(&d);
    }

    /// A group created by a person, with `extra` more initial members than
    /// the usual handful.
    fn group_created(&mut self, extra: usize) {
        let p = self.company.person(self.rng).clone();
        let code = guid(self.rng);
        let name = format!("Team {}", &code[..8]);
        let mut d = self.doc(0, "Create", "Group");
        d.display_name = format!("Create Group: '{name}' Request");
        let mut t = JsonObject::new();
        t.str("HybridObjectID", &guid(self.rng))
            .str("ObjectType", "Group")
            .str("DisplayName", &name);
        d.target = Some(t.finish());
        d.creator = if self.rng.random_bool(0.05) {
            well_known_expanded(ADMIN_ID, 1, "Administrator")
        } else {
            p.expanded()
        };
        let key = d.name_key;
        let a = self.param(key, "DisplayName", &name, "Modify", "Create");
        let b = self.param(
            key,
            "AccountName",
            &name.replace(' ', "").to_lowercase(),
            "Modify",
            "Create",
        );
        let c = self.param(key, "Owner", &array(&[p.reference()]), "Modify", "Create");
        let n = self.rng.random_range(1..8) + extra;
        let members: Vec<String> = (0..n)
            .map(|_| self.company.person(self.rng).reference())
            .collect();
        let m = self.param(key, "ExplicitMember", &array(&members), "Add", "Create");
        d.params.extend([a, b, c, m]);
        d.policies
            .push(self.company.policy("Users can create self-service groups"));
        self.emit(&d);
    }

    fn admin_membership(&mut self) {
        let admin = self.company.people[self.rng.random_range(0..10)].clone();
        let g = self.company.group(self.rng).clone();
        let mut d = self.doc(0, "Put", "Group");
        d.display_name = format!("Update to Group: '{}' Request", g.name);
        d.target = Some(group_expanded(&g, self.company));
        d.creator = admin.expanded();
        let key = d.name_key;
        let n = self.rng.random_range(1..5);
        let members: Vec<String> = (0..n)
            .map(|_| self.company.person(self.rng).reference())
            .collect();
        let mode = if self.rng.random_bool(0.7) {
            "Add"
        } else {
            "Remove"
        };
        let param = self.param(key, "ExplicitMember", &array(&members), mode, "Modify");
        d.params.push(param);
        d.policies.push(
            self.company
                .policy("Owners can manage the membership of their groups"),
        );
        self.emit(&d);
    }

    fn set_update(&mut self) {
        let mut d = self.doc(0, "Put", "Set");
        let name = format!("All {} staff", self.company.person(self.rng).department);
        d.display_name = format!("Update to Set: '{name}' Request");
        let mut t = JsonObject::new();
        t.str("HybridObjectID", &guid(self.rng))
            .str("ObjectType", "Set")
            .str("DisplayName", &name);
        d.target = Some(t.finish());
        d.creator = well_known_expanded(ADMIN_ID, 1, "Administrator");
        let key = d.name_key;
        let filter = format!(
            "<Filter xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" Dialect=\"http://schemas.microsoft.com/2006/11/XPathFilterDialect\" xmlns=\"http://schemas.xmlsoap.org/ws/2004/09/enumeration\">/Person[Department = '{}' and EmployeeStatus != 'Terminated']</Filter>",
            self.company.person(self.rng).department
        );
        let param = self.param(key, "Filter", &filter, "Modify", "Modify");
        d.params.push(param);
        d.policies
            .push(self.company.policy("Administrators can manage sets"));
        self.emit(&d);
    }

    /// A request too large for one event: a group created with hundreds of
    /// members, or a synchronization update of a big group's membership.
    fn large_request(&mut self) {
        let members = self.rng.random_range(215..300);
        if self.rng.random_bool(0.4) {
            self.group_created(members);
            return;
        }
        let g = self.company.group(self.rng).clone();
        let mut d = self.doc(0, "Put", "Group");
        d.display_name = format!("Update to Group: '{}' Request", g.name);
        d.target = Some(group_expanded(&g, self.company));
        d.creator = Self::sync_creator();
        let key = d.name_key;
        let refs: Vec<String> = (0..members)
            .map(|_| self.company.person(self.rng).reference())
            .collect();
        let param = self.param(key, "ExplicitMember", &array(&refs), "Add", "Modify");
        d.params.push(param);
        d.policies.push(
            self.company
                .policy("Synchronization account controls users it synchronizes"),
        );
        self.emit(&d);
        // Another request sometimes comes between the slices.
        if self.rng.random_bool(0.3) && self.events.len() > 1 {
            let slices = std::mem::take(&mut self.events);
            let (first, rest) = slices.split_at(1);
            self.events.extend_from_slice(first);
            self.sync_update();
            let last = self.events.len() - 1;
            self.events[last].offset_ms = first[0].offset_ms;
            self.events.extend_from_slice(rest);
        }
    }

    fn foreign(&mut self) {
        let (id, source, payload, message) = match self.rng.random_range(0..4) {
            0 => (
                17137,
                SQL,
                "FIMService".to_owned(),
                "Starting up database 'FIMService'.".to_owned(),
            ),
            1 => {
                let p = self.company.person(self.rng).account.clone();
                (
                    4625,
                    SECURITY,
                    p.clone(),
                    format!(
                        "An account failed to log on.\r\n\r\nAccount that could not log on:\r\n\tAccount Name:\t\t{p}\r\n\tAccount Domain:\t\t{DOMAIN}"
                    ),
                )
            }
            2 => {
                let text = "A workflow could not finish.\r\nWorkflow: Group Membership Notification Workflow\r\nReason: the mail server did not answer & the message was queued.".to_owned();
                (3, RESOURCE_MANAGEMENT, text.clone(), text)
            }
            _ => {
                let text = "Backup job 'MIM databases' finished: 2 databases, 0 errors.".to_owned();
                (4121, BACKUP_AGENT, text.clone(), text)
            }
        };
        self.push(0, id, source, payload, Some(message));
    }
}
