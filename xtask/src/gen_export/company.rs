//! The synthetic company the generated exports are about: Contoso's people
//! and groups, MIM's well-known accounts, and the policy and workflow
//! objects its requests name. Everything is made up from a seeded generator.

use rand::Rng;
use rand::seq::IndexedRandom;
use rand_chacha::ChaCha8Rng;

use super::json::JsonObject;

/// The domain every account lives in.
pub const DOMAIN: &str = "CONTOSO";

/// Given names; a few are not ASCII so the exports carry real UTF-8 and
/// UTF-16 text.
const GIVEN: [&str; 40] = [
    "Aino",
    "Bartholomew",
    "Chiara",
    "Dariusz",
    "Eleni",
    "Farouk",
    "Greta",
    "Hamid",
    "Ingrid",
    "Joaquín",
    "Keiko",
    "Lionel",
    "Maëlle",
    "Nikolai",
    "Oona",
    "Priyanka",
    "Quentin",
    "Rosalind",
    "Søren",
    "Tamsin",
    "Ulrich",
    "Valentina",
    "Wendell",
    "Ximena",
    "Yusuf",
    "Zofia",
    "Ansel",
    "Brigid",
    "Cosimo",
    "Dagny",
    "Emeka",
    "Florence",
    "Gunnar",
    "Hélène",
    "Ismail",
    "Jolanta",
    "Kasimir",
    "Liesel",
    "Mateus",
    "Noor",
];

/// Family names.
const FAMILY: [&str; 40] = [
    "Achterberg",
    "Balogun",
    "Castellanos",
    "Dembélé",
    "Eriksdottir",
    "Fairweather",
    "Grünewald",
    "Halvorsen",
    "Iwasaki",
    "Jablonski",
    "Kowalczyk",
    "Lindqvist",
    "Montgomery",
    "Nakashima",
    "Okonkwo",
    "Pellegrini",
    "Quigley",
    "Rautenberg",
    "Szymańska",
    "Thorsen",
    "Underhill",
    "Vasquez",
    "Whitcombe",
    "Xenakis",
    "Yilmaz",
    "Zeller",
    "Ashdown",
    "Brennagh",
    "Costa",
    "Drummond",
    "Espinoza",
    "Fitzgerald",
    "Gallo",
    "Hargreaves",
    "Ibarra",
    "Jovanović",
    "Kettering",
    "Lacroix",
    "Mwangi",
    "Novák",
];

const DEPARTMENTS: [&str; 10] = [
    "Engineering",
    "Finance",
    "Human Resources",
    "Legal",
    "Logistics",
    "Marketing",
    "Procurement",
    "Research",
    "Sales",
    "Service Desk",
];

const CODENAMES: [&str; 24] = [
    "Albatross",
    "Basalt",
    "Cinnabar",
    "Driftwood",
    "Ember",
    "Fjord",
    "Granite",
    "Heron",
    "Indigo",
    "Juniper",
    "Kestrel",
    "Lantern",
    "Meridian",
    "Nimbus",
    "Obsidian",
    "Pelican",
    "Quartz",
    "Rampart",
    "Sequoia",
    "Tundra",
    "Umber",
    "Vortex",
    "Willow",
    "Zephyr",
];

/// Anonymous user: the password reset portal before sign-in.
pub const ANONYMOUS_ID: &str = "b0b36673-d43b-4cfa-a7a2-aff14fd90522";
/// Built-in Synchronization Account.
pub const SYNC_ID: &str = "fb89aefa-5ea1-47f1-8890-abe7797d6497";
/// MIM Service account.
pub const SERVICE_ID: &str = "e05d1f1b-3d5e-4014-baa6-94dee7d68c89";
/// The administrator who installed MIM.
pub const ADMIN_ID: &str = "7fb2b853-24f0-4498-9534-4e10589723c4";

/// A random GUID, lower case.
pub fn guid(rng: &mut ChaCha8Rng) -> String {
    let a: u128 = rng.random();
    let h = format!("{a:032x}");
    format!(
        "{}-{}-4{}-{}-{}",
        &h[0..8],
        &h[8..12],
        &h[13..16],
        &h[16..20],
        &h[20..32]
    )
}

/// A person of the directory.
#[derive(Clone, Debug)]
pub struct Person {
    /// GUID.
    pub id: String,
    /// MIM object id (a small number).
    pub object_id: u32,
    /// Display name.
    pub name: String,
    /// Account name (ASCII).
    pub account: String,
    /// Department.
    pub department: &'static str,
    /// E-mail address.
    pub email: String,
}

/// A group of the directory.
#[derive(Clone, Debug)]
pub struct Group {
    /// GUID.
    pub id: String,
    /// MIM object id.
    pub object_id: u32,
    /// Display name.
    pub name: String,
    /// Account name.
    pub account: String,
    /// Whether joining needs the owner's approval.
    pub owner_approval: bool,
    /// Index of its owner in [`Company::people`].
    pub owner: usize,
}

/// The directory and the fixed objects requests refer to.
#[derive(Debug)]
pub struct Company {
    /// People (the first few are administrators).
    pub people: Vec<Person>,
    /// Groups.
    pub groups: Vec<Group>,
    /// The password reset authentication workflow definition.
    pub authn_workflow_id: String,
    /// GUIDs of policy rules, by name, in a fixed order.
    pub policy_ids: Vec<(String, &'static str)>,
}

/// Policy rule names the requests use.
pub const POLICIES: [&str; 9] = [
    "Synchronization account controls users it synchronizes",
    "Anonymous users may reset their own password",
    "Password reset users can update their own lockout attributes",
    "Password reset users can register themselves",
    "Users can manage their own gate registrations",
    "Users can join or leave open groups",
    "Owners can manage the membership of their groups",
    "Users can create self-service groups",
    "Administrators can manage sets",
];

fn ascii_fold(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            'á' | 'à' | 'ä' => Some('a'),
            'é' | 'è' | 'ë' => Some('e'),
            'í' => Some('i'),
            'ó' | 'ø' | 'ö' => Some('o'),
            'ú' | 'ü' => Some('u'),
            'ń' => Some('n'),
            'ć' => Some('c'),
            c if c.is_ascii_alphabetic() => Some(c.to_ascii_lowercase()),
            _ => None,
        })
        .collect()
}

impl Company {
    /// Makes up a company with `people` people and `groups` groups.
    pub fn new(rng: &mut ChaCha8Rng, people: usize, groups: usize) -> Self {
        let mut taken = std::collections::HashSet::new();
        let mut out = Vec::with_capacity(people);
        for i in 0..people {
            let given = *GIVEN.choose(rng).expect("names");
            let family = *FAMILY.choose(rng).expect("names");
            let base = ascii_fold(&format!("{}{family}", &given[..1]));
            let mut account = base.clone();
            let mut n = 1;
            while !taken.insert(account.clone()) {
                n += 1;
                account = format!("{base}{n}");
            }
            let email = format!(
                "{}.{}{}@contoso.com",
                ascii_fold(given),
                ascii_fold(family),
                if n > 1 { n.to_string() } else { String::new() }
            );
            out.push(Person {
                id: guid(rng),
                object_id: 1100 + i as u32,
                name: format!("{given} {family}"),
                account,
                department: DEPARTMENTS.choose(rng).expect("departments"),
                email,
            });
        }
        let mut gs = Vec::with_capacity(groups);
        for i in 0..groups {
            let code = CODENAMES[i % CODENAMES.len()];
            let name = match (i / CODENAMES.len()) % 4 {
                0 => format!("Project {code}"),
                1 => format!("{} {code} Team", DEPARTMENTS[i % DEPARTMENTS.len()]),
                2 => format!("Fabrikam {code} Partners"),
                _ => format!("{code} Readers {}", i / CODENAMES.len()),
            };
            let account = ascii_fold(&name);
            gs.push(Group {
                id: guid(rng),
                object_id: 3900 + i as u32,
                owner_approval: rng.random_bool(0.3),
                owner: rng.random_range(0..people),
                name,
                account,
            });
        }
        let policy_ids = POLICIES.iter().map(|p| (guid(rng), *p)).collect();
        Company {
            people: out,
            groups: gs,
            authn_workflow_id: guid(rng),
            policy_ids,
        }
    }

    /// A random person.
    pub fn person(&self, rng: &mut ChaCha8Rng) -> &Person {
        self.people.choose(rng).expect("people")
    }

    /// A random group.
    pub fn group(&self, rng: &mut ChaCha8Rng) -> &Group {
        self.groups.choose(rng).expect("groups")
    }

    /// A policy rule as an expanded object.
    pub fn policy(&self, name: &str) -> String {
        let (i, (id, n)) = self
            .policy_ids
            .iter()
            .enumerate()
            .find(|(_, (_, n))| *n == name)
            .expect("a known policy");
        let mut o = JsonObject::new();
        o.str("HybridObjectID", id);
        o.str("ObjectID", &(300 + i).to_string());
        o.str("ObjectType", "ManagementPolicyRule");
        o.str("DisplayName", n);
        o.finish()
    }
}

impl Person {
    /// The person as an expanded object (`Target` or `Creator`).
    pub fn expanded(&self) -> String {
        let mut o = JsonObject::new();
        o.str("HybridObjectID", &self.id);
        o.str("ObjectID", &self.object_id.to_string());
        o.str("ObjectType", "Person");
        o.str("DisplayName", &self.name);
        o.str("AccountName", &self.account);
        o.str("Domain", DOMAIN);
        o.str("Email", &self.email);
        o.str("Department", self.department);
        o.finish()
    }

    /// The person as a reference inside a reference list.
    pub fn reference(&self) -> String {
        let mut o = JsonObject::new();
        o.str("HybridObjectID", &self.id);
        o.str("AccountName", &self.account);
        o.str("DisplayName", &self.name);
        o.str("Domain", DOMAIN);
        o.finish()
    }
}

/// A well-known account as an expanded object.
pub fn well_known_expanded(id: &str, object_id: u32, name: &str) -> String {
    let mut o = JsonObject::new();
    o.str("HybridObjectID", id);
    o.str("ObjectID", &object_id.to_string());
    o.str("ObjectType", "Person");
    o.str("DisplayName", name);
    o.str("AccountName", "");
    o.finish()
}
