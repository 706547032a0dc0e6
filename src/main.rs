//! Browser entry point (built by Trunk for `wasm32`); a stub elsewhere.
fn main() {}
