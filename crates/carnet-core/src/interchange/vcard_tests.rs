//! Unit tests of the vCard reader on small cards.

use super::*;

fn one(text: &str) -> Record {
    let mut out = vec![];
    parse(text, |p| {
        out.push(p);
        true
    });
    assert_eq!(out.len(), 1);
    out.pop().unwrap().unwrap()
}

#[test]
fn apple_groups_give_labels() {
    let r = one("BEGIN:VCARD\nVERSION:3.0\nN:Doe;Jo;;;\nitem1.TEL:555 1234\nitem1.X-ABLabel:_$!<Assistant>!$_\nEND:VCARD\n");
    let phones = r.patch.phones.unwrap();
    assert_eq!(phones[0].label.as_deref(), Some("Assistant"));
    assert!(r.extras.unwrap().lines.is_empty());
}
