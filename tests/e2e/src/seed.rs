//! A realistic, deterministic dataset for screenshots and the scale test, written with
//! carnet-core directly (the same validation as every other path).
//!
//! Names come from many languages (with accents, so sorting and search are exercised),
//! people work at a few dozen companies with domains and industries, and emails follow
//! the company's domain. The same `n` always gives the same data.

use std::collections::HashSet;
use std::path::Path;

use carnet_core::people::{create_in, WriteCtx};
use carnet_core::Store;
use serde_json::{json, Value};

const FIRST: &[&str] = &[
    "Ada", "Alan", "Grace", "Linus", "Barbara", "Ken", "Margaret", "Edsger", "Donald", "Frances",
    "Radia", "Guido", "Anita", "Chloé", "Élodie", "Jürgen", "Søren", "Zoë", "Mateo", "Lucía",
    "Hiroshi", "Yuki", "Amara", "Kwame", "Priya", "Arjun", "Fatima", "Omar", "Ingrid", "Lars",
    "Olivia", "Noah", "Emma", "Liam", "Sofia", "Lukas", "Camille", "Hugo", "Giulia", "Marco",
    "Aoife", "Seán", "Mei", "Wei", "Nadia", "Dmitri", "Ana", "João", "Elif", "Mehmet", "Thandiwe",
    "Sipho", "Isabela", "Rafael", "Hanna", "Mikael", "Léa", "Théo", "Maja", "Jakub",
];
const LAST: &[&str] = &[
    "Lovelace",
    "Turing",
    "Hopper",
    "Torvalds",
    "Liskov",
    "Thompson",
    "Hamilton",
    "Dijkstra",
    "Knuth",
    "Allen",
    "Perlman",
    "van Rossum",
    "Borg",
    "Dubois",
    "Müller",
    "Kierkegaard",
    "Åberg",
    "García",
    "Fernández",
    "Tanaka",
    "Sato",
    "Okafor",
    "Mensah",
    "Sharma",
    "Iyer",
    "Haddad",
    "Nilsen",
    "Johansson",
    "Smith",
    "Nguyen",
    "Rossi",
    "Bianchi",
    "O'Brien",
    "Murphy",
    "Chen",
    "Wang",
    "Petrova",
    "Ivanov",
    "Silva",
    "Santos",
    "Yılmaz",
    "Demir",
    "Dlamini",
    "Ndlovu",
    "Costa",
    "Virtanen",
    "Korhonen",
    "Martin",
    "Bernard",
    "Nowak",
    "Kowalski",
    "Schmidt",
];
const COMPANIES: &[(&str, &str, &str)] = &[
    ("Analytical Engines", "analytical.example", "Hardware"),
    ("Northwind Traders", "northwind.example", "Wholesale"),
    ("Contoso", "contoso.example", "Software"),
    ("Fabrikam", "fabrikam.example", "Manufacturing"),
    ("Globex", "globex.example", "Energy"),
    ("Initech", "initech.example", "Software"),
    ("Umbrella Health", "umbrella.example", "Healthcare"),
    ("Hooli", "hooli.example", "Internet"),
    ("Pied Piper", "piedpiper.example", "Software"),
    ("Stark Industries", "stark.example", "Aerospace"),
    ("Wayne Enterprises", "wayne.example", "Conglomerate"),
    ("Acme Corporation", "acme.example", "Manufacturing"),
    ("Tyrell Corporation", "tyrell.example", "Biotech"),
    ("Soylent", "soylent.example", "Food"),
    ("Vandelay Industries", "vandelay.example", "Import/Export"),
    ("Wonka Chocolates", "wonka.example", "Food"),
    ("Oceanic Airlines", "oceanic.example", "Travel"),
    ("Cyberdyne Systems", "cyberdyne.example", "Robotics"),
    ("Massive Dynamic", "massive.example", "Research"),
    ("Dunder Mifflin", "dundermifflin.example", "Paper"),
    ("Prestige Worldwide", "prestige.example", "Events"),
    ("Aperture Science", "aperture.example", "Research"),
    ("Gringotts", "gringotts.example", "Banking"),
    ("Nakatomi Trading", "nakatomi.example", "Finance"),
];
const TITLES: &[&str] = &[
    "Founder & CEO",
    "CTO",
    "Head of Sales",
    "Account Executive",
    "Product Manager",
    "Software Engineer",
    "Designer",
    "Marketing Lead",
    "Investor",
    "Partner",
    "Recruiter",
    "Operations Manager",
    "Data Scientist",
    "Customer Success",
    "VP Engineering",
    "Consultant",
    "Researcher",
    "Office Manager",
];
const CITIES: &[(&str, &str)] = &[
    ("Paris", "France"),
    ("Berlin", "Germany"),
    ("London", "United Kingdom"),
    ("New York", "United States"),
    ("San Francisco", "United States"),
    ("Tokyo", "Japan"),
    ("Lagos", "Nigeria"),
    ("São Paulo", "Brazil"),
    ("Stockholm", "Sweden"),
    ("Madrid", "Spain"),
    ("Bangalore", "India"),
    ("Istanbul", "Turkey"),
    ("Toronto", "Canada"),
    ("Helsinki", "Finland"),
    ("Warsaw", "Poland"),
    ("Dublin", "Ireland"),
];
const TAGS: &[&str] = &[
    "investor",
    "customer",
    "lead",
    "friend",
    "press",
    "partner",
    "vip",
    "candidate",
    "advisor",
];

/// A small deterministic PRNG (no dependency, same data every run).
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.next() % xs.len()]
    }
}

fn ascii_slug(s: &str) -> String {
    s.chars()
        .filter_map(|c| match c {
            'a'..='z' | '0'..='9' => Some(c),
            'A'..='Z' => Some(c.to_ascii_lowercase()),
            'é' | 'è' | 'É' => Some('e'),
            'ü' | 'ú' => Some('u'),
            'ø' | 'ö' | 'ó' => Some('o'),
            'å' | 'Å' | 'á' | 'ã' => Some('a'),
            'ı' | 'í' => Some('i'),
            'ç' => Some('c'),
            _ => None,
        })
        .collect()
}

/// The person bodies of a dataset of `n` people over `company_ids` (same order as COMPANIES).
pub fn people(n: usize, company_ids: &[String]) -> Vec<Value> {
    let mut rng = Lcg(42);
    let mut emails = HashSet::new();
    (0..n)
        .map(|i| {
            let first = *rng.pick(FIRST);
            let last = *rng.pick(LAST);
            let ci = rng.next() % COMPANIES.len();
            let (_, domain, _) = COMPANIES[ci];
            let mut email = format!("{}.{}@{domain}", ascii_slug(first), ascii_slug(last));
            if !emails.insert(email.clone()) {
                email = format!("{}.{}{i}@{domain}", ascii_slug(first), ascii_slug(last));
                emails.insert(email.clone());
            }
            let (city, country) = *rng.pick(CITIES);
            let mut tags = vec![];
            if rng.next().is_multiple_of(3) {
                tags.push(*rng.pick(TAGS));
            }
            if rng.next().is_multiple_of(7) {
                let t = *rng.pick(TAGS);
                if !tags.contains(&t) {
                    tags.push(t);
                }
            }
            let mut p = json!({
                "firstName": first,
                "lastName": last,
                "jobTitle": *rng.pick(TITLES),
                "emails": [{"value": email, "label": "work"}],
                "phones": [{"value": format!("+1 415 {:03} {:04}", 200 + (i / 10_000) % 700, i % 10_000), "label": "mobile"}],
                "addresses": [{"value": format!("{} Main Street, {city}", 1 + i % 200), "label": "work", "city": city, "country": country}],
                "tags": tags,
            });
            if let Some(id) = company_ids.get(ci) {
                p["companies"] = json!([{ "id": id }]);
            }
            if i.is_multiple_of(5) {
                p["birthday"] = json!(format!("{}-{:02}-{:02}", 1960 + i % 40, 1 + i % 12, 1 + i % 28));
            }
            if i.is_multiple_of(4) {
                p["urls"] = json!([{"value": format!("https://www.linkedin.com/in/{}-{}", ascii_slug(first), ascii_slug(last)), "label": "linkedin"}]);
            }
            p
        })
        .collect()
}

/// Fills the database at `db` with the companies and `n` people (one transaction per
/// 5,000 people), and returns the ids of the people in creation order.
pub fn seed(db: &Path, n: usize) -> Vec<String> {
    let mut store = Store::open(db).expect("open store");
    let company_ids: Vec<String> = COMPANIES
        .iter()
        .map(|(name, domain, industry)| {
            store
                .create_company(&json!({"name": name, "domain": domain, "website": format!("https://{domain}"), "industry": industry}))
                .expect("create company")
                .id
        })
        .collect();
    let bodies = people(n, &company_ids);
    let region = store.default_region().expect("region");
    let conn = store.connection();
    let mut ids = Vec::with_capacity(n);
    for chunk in bodies.chunks(5_000) {
        conn.execute_batch("BEGIN").expect("begin");
        let ctx = WriteCtx::new(&region);
        for body in chunk {
            let patch = carnet_core::input::parse_person(body).expect("seed body parses");
            ids.push(
                create_in(conn, patch, &ctx)
                    .expect("seed person is valid")
                    .id,
            );
        }
        conn.execute_batch("COMMIT").expect("commit");
    }
    ids
}

/// Adds notes to the first person by name and trashes the last four created, so every
/// screen has something to show. Returns the first person's full name.
pub fn decorate(db: &Path, ids: &[String]) -> String {
    let mut store = Store::open(db).expect("open store");
    let first = store
        .list_people(&carnet_core::PeopleQuery {
            limit: 1,
            ..Default::default()
        })
        .expect("list")
        .items
        .remove(0);
    let notes = [
        "Met at the Lisbon conference. Interested in the API; follow up in May.",
        "Intro from Grace. Prefers email over calls.",
        "Sent the proposal. Decision expected end of quarter.",
    ];
    for body in notes {
        store.create_note(&first.id, body).expect("note");
    }
    for id in ids.iter().rev().take(4) {
        store.trash_person(id).expect("trash");
    }
    first.full_name
}

/// Defines a realistic custom-field schema (two groups, most types) and fills it on the
/// people of `ids` (call it before `decorate`), so the Fields screen, the panel and the columns have content.
pub fn custom_fields(db: &Path, ids: &[String]) {
    use carnet_core::fields::{FieldOption, FieldType, NewField};
    let mut store = Store::open(db).expect("open store");
    let opts = |xs: &[&str]| xs.iter().map(|x| FieldOption::new(*x)).collect::<Vec<_>>();
    // label, type, group, options, required
    type Def<'a> = (&'a str, FieldType, Option<&'a str>, Vec<FieldOption>, bool);
    let defs: [Def; 8] = [
        (
            "Plan",
            FieldType::SingleSelect,
            Some("Account"),
            opts(&["Free", "Pro", "Enterprise"]),
            false,
        ),
        ("Seats", FieldType::Number, Some("Account"), vec![], false),
        (
            "Renewal date",
            FieldType::Date,
            Some("Account"),
            vec![],
            false,
        ),
        (
            "Account owner",
            FieldType::PersonRef,
            Some("Account"),
            vec![],
            false,
        ),
        (
            "Interests",
            FieldType::MultiSelect,
            Some("Profile"),
            opts(&["AI", "Design", "Finance", "Climate"]),
            false,
        ),
        (
            "Newsletter",
            FieldType::Boolean,
            Some("Profile"),
            vec![],
            false,
        ),
        ("Met at", FieldType::Text, Some("Profile"), vec![], false),
        ("Background", FieldType::LongText, None, vec![], false),
    ];
    for (label, field_type, group, options, required) in defs {
        let mut f = NewField::new(label, field_type);
        f.group = group.map(str::to_string);
        f.options = options;
        f.required = required;
        store.create_field(&f).expect("create field");
    }
    let plans = ["Free", "Pro", "Enterprise"];
    let interests = ["AI", "Design", "Finance", "Climate"];
    for (i, id) in ids.iter().enumerate() {
        let mut cf = json!({
            "cf_plan": plans[i % 3],
            "cf_seats": (i % 7 + 1) * 5,
            "cf_renewal_date": format!("2027-{:02}-{:02}", i % 12 + 1, i % 28 + 1),
            "cf_interests": [interests[i % 4], interests[(i + 1) % 4]],
            "cf_newsletter": i % 2 == 0,
        });
        if i % 3 == 0 {
            cf["cf_met_at"] = json!("Web Summit, Lisbon");
            cf["cf_account_owner"] = json!(ids[ids.len() / 2]);
            cf["cf_background"] =
                json!("Runs platform engineering; evaluating a CRM migration this year.");
        }
        store
            .update_person(id, &json!({ "customFields": cf }))
            .expect("set custom fields");
    }
}
