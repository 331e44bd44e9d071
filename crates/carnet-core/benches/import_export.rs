//! Import/export benchmark (placeholder while the interchange module lands).
fn main() {}
