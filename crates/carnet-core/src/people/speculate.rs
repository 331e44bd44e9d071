//! A bulk import's two-step create: the person is built, checked and encoded on the
//! parsing thread (`speculate`, no database), then stored by the writing thread
//! (`create_speculated`), with the same result as `create_in` on the same patch.

use rusqlite::Connection;

use super::{
    apply_fields, derive_full_name, empty_person, finish_checks, normalize_phones,
    resolve_companies, Draft, WriteCtx,
};
use crate::error::Result;
use crate::fields::FieldEntity;
use crate::input::{CompanyInput, PersonPatch};
use crate::model::Person;
use crate::people_db as pdb;

/// A new person built from a patch without the database, ahead of the write: what
/// `create_in` would store, but for its id, times, companies and the checks against other
/// people. `None` when the patch needs the database to be built (an id, times, custom
/// fields) or breaks a rule (then `create_in` reports it, as for any write).
/// A bulk import computes it on its parsing thread; see `create_speculated`.
pub(crate) fn speculate(
    patch: &PersonPatch,
    default_region: crate::phone::Region,
    e164_region: Option<crate::phone::Region>,
) -> Option<Speculated> {
    if patch.id.is_some()
        || patch.created_at.is_some()
        || patch.updated_at.is_some()
        || patch
            .custom_fields
            .as_ref()
            .is_some_and(|cf| !cf.is_empty())
    {
        return None;
    }
    let mut patch = patch.clone();
    let companies = patch.companies.take();
    patch.custom_fields = None;
    let phones_given = patch.phones.is_some();
    let mut d = Draft {
        person: empty_person(String::new(), String::new(), String::new()),
        full_name_set: false,
    };
    apply_fields(&mut d, patch);
    normalize_phones(&mut d, phones_given, default_region, e164_region);
    if !d.full_name_set {
        d.person.full_name = derive_full_name(&d.person);
    }
    crate::validate::person(&d.person).ok()?;
    let row = pdb::RowData::of(&d);
    Some(Speculated {
        draft: d,
        companies,
        row,
    })
}

/// See `speculate`.
#[derive(Debug, Clone)]
pub(crate) struct Speculated {
    draft: Draft,
    companies: Option<Vec<CompanyInput>>,
    row: pdb::RowData,
}

/// Create the person `speculate` built, inside the import's transaction: resolve its
/// companies, check its emails and phones against the live people (the import's index),
/// and store it. Gives the same person, warnings and errors as `create_in` on the patch.
pub(crate) fn create_speculated(
    conn: &Connection,
    spec: Speculated,
    ctx: &WriteCtx,
) -> Result<(i64, Person)> {
    let Speculated {
        mut draft,
        companies,
        mut row,
    } = spec;
    draft.person.id = crate::db::new_id();
    draft.person.created_at = ctx.now.clone();
    draft.person.updated_at = ctx.now.clone();
    if let Some(list) = companies {
        draft.person.companies = resolve_companies(conn, &list, ctx)?;
        crate::validate::companies_len(draft.person.companies.len())?;
    }
    let required = ctx
        .index
        .as_ref()
        .is_none_or(|ix| ix.borrow().person_fields_required());
    let mut warnings = if required {
        crate::fields::values::check_required(
            conn,
            FieldEntity::Person,
            &draft.person.custom_fields,
            None,
        )?
    } else {
        vec![]
    };
    warnings.extend(finish_checks(conn, None, &mut draft, ctx)?);
    row.set_companies(&draft.person);
    let seq = pdb::insert_row(conn, &draft, row)?;
    if let Some(ix) = &ctx.index {
        ix.borrow_mut().add(seq, &draft.person);
    }
    let mut p = draft.person;
    p.warnings = warnings;
    Ok((seq, p))
}
