//! Helpers of the people tests: defining a custom field, counting a table's rows, and the
//! full names a list or a search gives.

use carnet_core::{FieldOption, FieldType, NewField, PeopleQuery, Store};

/// Define a person custom field (values of undefined keys are refused); returns its key.
pub fn define(s: &mut Store, label: &str, ty: FieldType, options: &[&str]) -> String {
    let mut f = NewField::new(label, ty);
    f.options = options.iter().map(|o| FieldOption::new(*o)).collect();
    s.create_field(&f).unwrap().key
}

pub fn count(s: &Store, table: &str) -> i64 {
    s.connection()
        .query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
        .unwrap()
}

pub fn list(s: &Store, q: PeopleQuery) -> Vec<String> {
    s.list_people(&q)
        .unwrap()
        .items
        .into_iter()
        .map(|p| p.full_name)
        .collect()
}

pub fn search(s: &Store, q: &str) -> Vec<String> {
    list(
        s,
        PeopleQuery {
            search: Some(q.into()),
            ..Default::default()
        },
    )
}
