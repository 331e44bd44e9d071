//! Printing for people: aligned tables and detail views; JSON for scripts.

use carnet_core::{Company, CompanyPage, Note, PeoplePage, Person, Warning};
use serde::Serialize;

pub fn print_json<T: Serialize + ?Sized>(v: &T) {
    match serde_json::to_string_pretty(v) {
        Ok(s) => println!("{s}"),
        Err(e) => eprintln!("error[internal] cannot print JSON: {e}"),
    }
}

pub fn warnings(ws: &[Warning]) {
    for w in ws {
        eprintln!("warning[{}] {}: {}", w.code, w.field, w.message);
    }
}

pub fn done<T: Serialize>(json: bool, v: &T, what: &str) {
    if json {
        print_json(v);
    } else if let Ok(serde_json::Value::Object(m)) = serde_json::to_value(v) {
        println!(
            "{} {what}",
            m.get("id").and_then(|x| x.as_str()).unwrap_or("")
        );
    }
}

fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}

fn row(cells: &[(&str, usize)]) {
    let line: Vec<String> = cells
        .iter()
        .map(|(s, w)| format!("{:<w$}", cut(s, *w), w = *w))
        .collect();
    println!("{}", line.join("  ").trim_end());
}

pub fn people_table(page: &PeoplePage) {
    row(&[
        ("ID", 36),
        ("NAME", 28),
        ("EMAIL", 30),
        ("PHONE", 18),
        ("COMPANY", 20),
    ]);
    for p in &page.items {
        let email = p.emails.first().map(|e| e.value.as_str()).unwrap_or("");
        let phone = p
            .phones
            .first()
            .map(|e| e.e164.as_deref().unwrap_or(&e.value))
            .unwrap_or("");
        row(&[
            (&p.id, 36),
            (&p.full_name, 28),
            (email, 30),
            (phone, 18),
            (p.company.as_deref().unwrap_or(""), 20),
        ]);
    }
    let end = page.offset as usize + page.items.len();
    println!(
        "{}-{} of {}",
        if page.items.is_empty() {
            0
        } else {
            page.offset + 1
        },
        end,
        page.total
    );
}

fn line(label: &str, v: Option<&str>) {
    if let Some(v) = v.filter(|v| !v.is_empty()) {
        println!("{label:<12} {v}");
    }
}

pub fn person_detail(p: &Person) {
    line("Name", Some(&p.full_name));
    line("ID", Some(&p.id));
    line("Job title", p.job_title.as_deref());
    line("Company", p.company.as_deref());
    for e in &p.emails {
        line(
            &format!("Email {}", e.label.as_deref().unwrap_or("")),
            Some(&e.value),
        );
    }
    for ph in &p.phones {
        let shown = match &ph.e164 {
            Some(e) if *e != ph.value => format!("{} ({e})", ph.value),
            _ => ph.value.clone(),
        };
        line(
            &format!("Phone {}", ph.label.as_deref().unwrap_or("")),
            Some(&shown),
        );
    }
    for a in &p.addresses {
        line(
            &format!("Address {}", a.label.as_deref().unwrap_or("")),
            Some(&a.value),
        );
    }
    for u in &p.urls {
        line("URL", Some(&u.value));
    }
    line("Birthday", p.birthday.as_deref());
    if !p.tags.is_empty() {
        line("Tags", Some(&p.tags.join(", ")));
    }
    for (k, v) in &p.custom_fields {
        line(k, Some(&v.to_string()));
    }
    line("Description", p.description.as_deref());
    line("Created", Some(&p.created_at));
    line("Updated", Some(&p.updated_at));
    line("Trashed", p.deleted_at.as_deref());
}

pub fn companies_table(page: &CompanyPage) {
    row(&[("ID", 36), ("NAME", 30), ("DOMAIN", 24), ("PEOPLE", 6)]);
    for c in &page.items {
        row(&[
            (&c.id, 36),
            (&c.name, 30),
            (c.domain.as_deref().unwrap_or(""), 24),
            (&c.people_count.to_string(), 6),
        ]);
    }
    println!("{} of {}", page.items.len(), page.total);
}

pub fn company_detail(c: &Company) {
    line("Name", Some(&c.name));
    line("ID", Some(&c.id));
    line("Domain", c.domain.as_deref());
    line("Website", c.website.as_deref());
    line("Industry", c.industry.as_deref());
    line("People", Some(&c.people_count.to_string()));
    line("Trashed", c.deleted_at.as_deref());
}

pub fn notes_list(notes: &[Note]) {
    for n in notes {
        println!("{}  {}\n{}\n", n.created_at, n.id, n.body);
    }
    if notes.is_empty() {
        println!("no notes");
    }
}
