//! Project tasks that are easier to keep portable in Rust than in shell:
//! assembling the single-file page, serving it for a quick look, and
//! writing large synthetic exports for benchmarks.
//!
//! Run `cargo run -p xtask -- help` for the list.

mod serve;
mod single_file;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo run -p xtask -- <task> [options]

tasks:
  single-file [--from DIR] [--out FILE]
      Folds Trunk's output (default target/trunk-dist) into one
      self-contained page (default dist/mim-reports.html).
  serve [--port N] [--file FILE]
      Serves the page (default dist/mim-reports.html) on 127.0.0.1,
      port 8000 by default (0 picks a free one).
  gen-export --format F --size-mb N --out PATH [--seed S]
      Writes a large synthetic export (eventviewer-xml, wevtutil-xml,
      ps51-json, winlogbeat), streaming.
  help
      Prints this text.
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match run(&args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Runs the task named by the first argument.
fn run(args: &[String]) -> Result<(), String> {
    let root = workspace_root();
    let Some((task, options)) = args.split_first() else {
        return Err(format!("no task given\n\n{USAGE}"));
    };
    match task.as_str() {
        "single-file" => {
            let mut options = Options::parse(options, &["--from", "--out"])?;
            let from = options.path(&root, "--from", "target/trunk-dist");
            let out = options.path(&root, "--out", "dist/mim-reports.html");
            let page = single_file::assemble(&from, &out).map_err(|error| error.to_string())?;
            println!(
                "single-file: wrote {} ({} bytes; wasm {} bytes, gzipped {} bytes)",
                out.display(),
                page.page_bytes,
                page.wasm_bytes,
                page.gzipped_wasm_bytes
            );
            Ok(())
        }
        "serve" => {
            let mut options = Options::parse(options, &["--port", "--file"])?;
            let file = options.path(&root, "--file", "dist/mim-reports.html");
            let port = match options.take("--port") {
                None => 8000,
                Some(text) => text
                    .parse::<u16>()
                    .map_err(|_| format!("--port wants a number from 0 to 65535, not `{text}`"))?,
            };
            serve::serve(&file, port).map_err(|error| error.to_string())
        }
        "gen-export" => xtask::gen_export::run(options),
        "help" | "--help" | "-h" => {
            print!("{USAGE}");
            Ok(())
        }
        other => Err(format!("unknown task `{other}`\n\n{USAGE}")),
    }
}

/// The workspace root, where relative paths given to tasks start.
fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir
        .parent()
        .map_or_else(|| manifest_dir.to_path_buf(), Path::to_path_buf)
}

/// A task's `--name value` options.
struct Options {
    pairs: Vec<(String, String)>,
}

impl Options {
    /// Reads `--name value` pairs, refusing names not in `known`.
    fn parse(args: &[String], known: &[&str]) -> Result<Self, String> {
        let mut pairs = Vec::new();
        let mut rest = args.iter();
        while let Some(name) = rest.next() {
            if !known.contains(&name.as_str()) {
                return Err(format!("unknown option `{name}`\n\n{USAGE}"));
            }
            let Some(value) = rest.next() else {
                return Err(format!("option `{name}` needs a value"));
            };
            pairs.push((name.clone(), value.clone()));
        }
        Ok(Self { pairs })
    }

    /// The last value given for `name`, if any.
    fn take(&mut self, name: &str) -> Option<String> {
        let index = self.pairs.iter().rposition(|(key, _)| key == name)?;
        Some(self.pairs.remove(index).1)
    }

    /// The path given for `name` (relative to the current folder), or else
    /// `default` (relative to the workspace `root`).
    fn path(&mut self, root: &Path, name: &str, default: &str) -> PathBuf {
        match self.take(name) {
            Some(given) => PathBuf::from(given),
            None => root.join(default),
        }
    }
}
