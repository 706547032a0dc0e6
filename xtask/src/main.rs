//! `cargo run -p xtask -- TASK ...`: project tasks.
//!
//! - `gen-export`: writes a large synthetic export (see [`xtask::gen_export`]).

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("gen-export") => xtask::gen_export::run(&args[1..]),
        _ => Err(format!("tasks: gen-export\n{}", xtask::gen_export::USAGE)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}
