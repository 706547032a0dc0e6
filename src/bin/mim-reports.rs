//! Command-line tool on the report engine.
fn main() {}
