//! `mim-reports`: the report engine on the command line, for large batches,
//! scripts and benchmarks.
//!
//! ```text
//! mim-reports [--json] FILE...
//! ```
//!
//! Without `--json` it prints, per file, the format and encoding recognised
//! and the accounting of its events, then the row count of each report and
//! the problems met. With `--json` it prints one JSON document with every row.
//! A file that cannot be read is reported and the others are still read.

#![warn(missing_docs)]

/// The allocator of the native tool (see `Cargo.toml`).
#[cfg(not(target_arch = "wasm32"))]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[cfg(not(target_arch = "wasm32"))]
mod cli {
    use std::fs::File;
    use std::io::{BufReader, Write};
    use std::path::PathBuf;
    use std::process::ExitCode;

    use clap::Parser;
    use mim_reports::ledger::{Accounting, Ledger, Severity};
    use mim_reports::report::{Reports, counts_by_source, summary_document};
    use mim_reports::{Analysis, Flow};

    /// Reads MIM request-log exports and prints the password reset,
    /// registration and self-service group reports.
    #[derive(Parser, Debug)]
    #[command(name = "mim-reports", version)]
    struct Args {
        /// Print one JSON document with every row instead of a summary.
        #[arg(long)]
        json: bool,
        /// Export files: Event Viewer or wevtutil XML, PowerShell JSON.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    }

    /// Runs the tool; the exit code is 0 when every file could be opened.
    pub fn main() -> ExitCode {
        let args = Args::parse();
        let mut analysis = Analysis::new();
        let mut all_opened = true;
        for path in &args.files {
            let name = path.display().to_string();
            match File::open(path) {
                Ok(f) => {
                    let size = f.metadata().ok().map(|m| m.len());
                    // Reading and decoding on one thread, parsing and
                    // classifying on this one.
                    let reader = BufReader::with_capacity(1 << 20, f);
                    analysis.read_file_threaded(&name, size, reader, &mut |_| Flow::Continue);
                }
                Err(e) => {
                    all_opened = false;
                    eprintln!("mim-reports: {name}: cannot open: {e}");
                }
            }
        }
        let reports = analysis.reports();
        let ledger = analysis.final_ledger();
        let out = std::io::stdout();
        let mut out = out.lock();
        let written = if args.json {
            serde_json::to_writer_pretty(&mut out, &summary_document(&reports, &ledger))
                .map_err(std::io::Error::other)
                .and_then(|()| writeln!(out))
        } else {
            print_summary(&mut out, &reports, &ledger)
        };
        if let Err(e) = written {
            eprintln!("mim-reports: cannot write the output: {e}");
            return ExitCode::FAILURE;
        }
        if all_opened {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(2)
        }
    }

    fn accounting_line(a: &Accounting) -> String {
        format!(
            "{} events: {} in requests, {} duplicates, {} incomplete, {} not from the request log, {} unreadable",
            a.events_read,
            a.request_events,
            a.duplicates,
            a.incomplete,
            a.not_request_log,
            a.unreadable
        )
    }

    fn print_summary(out: &mut dyn Write, r: &Reports, ledger: &Ledger) -> std::io::Result<()> {
        for f in &ledger.files {
            writeln!(out, "{}", f.name)?;
            writeln!(out, "  format:   {}", f.format)?;
            writeln!(out, "  encoding: {}", f.encoding)?;
            writeln!(out, "  {}", accounting_line(&f.accounting))?;
        }
        writeln!(out)?;
        writeln!(
            out,
            "Password reset activity:      {:>7} rows",
            r.password_reset_activity.len()
        )?;
        writeln!(
            out,
            "Password reset registration:  {:>7} rows",
            r.password_reset_registration.len()
        )?;
        writeln!(
            out,
            "Self-service groups activity: {:>7} rows",
            r.self_service_groups.len()
        )?;
        writeln!(
            out,
            "Other requests:               {:>7} rows",
            r.other_requests.len()
        )?;
        writeln!(out, "Rows by source (reset, registration, groups, other):")?;
        for c in counts_by_source(r) {
            writeln!(
                out,
                "  {:<26} {:>7} {:>7} {:>7} {:>7}",
                c.source.label(),
                c.password_reset_activity,
                c.password_reset_registration,
                c.self_service_groups,
                c.other_requests
            )?;
        }
        writeln!(
            out,
            "Requests: {} ({} gate registrations folded)",
            r.requests, r.folded_gate_registrations
        )?;
        writeln!(out, "Total: {}", accounting_line(&r.counts))?;
        for i in &r.incomplete_requests {
            writeln!(
                out,
                "Incomplete request {}: {} slices, missing {:?}",
                i.request_id, i.slices, i.missing
            )?;
        }
        let problems: Vec<_> = ledger
            .diagnostics
            .iter()
            .filter(|d| d.severity >= Severity::Warning)
            .collect();
        if !problems.is_empty() {
            writeln!(
                out,
                "\nProblems ({}):",
                problems.len() as u64 + ledger.diagnostics_dropped
            )?;
            for d in problems {
                let file = d.file.map_or("", |f| ledger.file_name(f));
                let at = d
                    .offset
                    .map(|o| format!(" at byte {o}"))
                    .unwrap_or_default();
                let rec = d
                    .record_id
                    .map(|r| format!(", record {r}"))
                    .unwrap_or_default();
                writeln!(out, "  {:?}: {file}{at}{rec}: {}", d.severity, d.message)?;
            }
        }
        Ok(())
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    cli::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}
