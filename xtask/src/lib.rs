//! Project tasks as a library, so that benchmarks and tests can call them
//! too: [`gen_export`] writes large synthetic request-log exports.

pub mod gen_export;
