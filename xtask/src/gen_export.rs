//! `gen-export`: writes large, realistic, entirely synthetic request-log
//! exports for benchmarks and load tests.
//!
//! ```text
//! cargo run -p xtask --release -- gen-export --format F --size-mb N --out PATH [--seed S]
//! ```
//!
//! Formats: `eventviewer-xml`, `wevtutil-xml`, `ps51-json`, `winlogbeat`.
//! The output is streamed: events are written as they are made up, so a
//! file of several gigabytes needs no more memory than one episode. The same
//! seed gives the same file, byte for byte.
//!
//! The mix: synchronization updates of people (most requests), password
//! resets through the anonymous portal user with the gates' workflow details
//! (some failing, some followed by a lockout), failed anonymous attempts,
//! registrations with their gate registrations, self-service group joins
//! and leaves (some awaiting the owner), groups created by people,
//! administrators changing memberships, set updates, about one request in a
//! hundred large enough to be cut into 4137 slices (in order, reversed or
//! shuffled, sometimes with another request between them), and a few events
//! from other sources (one of them an event 4121 from another source).

pub mod company;
pub mod json;
pub mod requests;
pub mod writers;

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::PathBuf;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub use writers::Format;

/// One megabyte as the generator and the benchmarks count it.
pub const MB: u64 = 1_000_000;

/// What a generation produced.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct GenStats {
    /// Bytes written.
    pub bytes: u64,
    /// Events written.
    pub events: u64,
    /// Requests written (a sliced request counts once).
    pub requests: u64,
    /// Events 4137 written.
    pub slices: u64,
    /// Events not from the request log.
    pub foreign: u64,
}

/// Writes an export of `format`, of at least `target_bytes` (it stops after
/// the episode that reaches the size), made up from `seed`, to `out`.
pub fn generate<W: Write>(
    format: Format,
    target_bytes: u64,
    seed: u64,
    out: W,
) -> io::Result<(GenStats, W)> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let company = company::Company::new(&mut rng, 2500, 180);
    let mut sink = writers::Sink::new(out, format.utf16())?;
    sink.put(format.prologue())?;

    let backwards = format.newest_first();
    // 2024-03-01T00:00:00Z forwards, or 2024-09-01T00:00:00Z backwards.
    let mut cursor: i64 = if backwards {
        1_725_148_800_000
    } else {
        1_709_251_200_000
    };
    let mut record_id: u64 = if backwards { 900_000_000 } else { 160_000 };
    let mut stats = GenStats::default();
    let mut text = String::with_capacity(1 << 20);
    let mut mix_rng = ChaCha8Rng::seed_from_u64(rng.random());
    let mut mix = requests::Mix::new(&company, &mut mix_rng);

    while sink.bytes() < target_bytes {
        let mut events = mix.episode();
        let span = events.iter().map(|e| e.offset_ms).max().unwrap_or(0);
        let gap = 5_000 + (record_id.wrapping_mul(2_654_435_761) % 110_000) as i64;
        let base = if backwards {
            cursor -= span + gap;
            cursor
        } else {
            let b = cursor;
            cursor += span + gap;
            b
        };
        // Record ids follow the order of writing in the log, which is by
        // time; a newest-first export lists them backwards.
        if backwards {
            events.reverse();
        }
        text.clear();
        for e in &events {
            let placed = writers::Placed {
                event: e,
                record_id,
                time_ms: base + e.offset_ms,
            };
            format.write_event(&mut text, &placed, stats.events == 0);
            record_id = if backwards {
                record_id - 1
            } else {
                record_id + 1
            };
            stats.events += 1;
            if e.source != requests::REQUEST_LOG {
                stats.foreign += 1;
            } else if e.event_id == 4137 {
                stats.slices += 1;
                if e.payload.contains(", message 1 out of ") {
                    stats.requests += 1;
                }
            } else {
                stats.requests += 1;
            }
        }
        sink.put(&text)?;
    }
    sink.put(format.epilogue())?;
    stats.bytes = sink.bytes();
    let out = sink.finish()?;
    Ok((stats, out))
}

/// Writes an export into memory (benchmarks and tests).
pub fn generate_in_memory(format: Format, target_bytes: u64, seed: u64) -> (GenStats, Vec<u8>) {
    let capacity = usize::try_from(target_bytes + target_bytes / 8).unwrap_or(0);
    match generate(format, target_bytes, seed, Vec::with_capacity(capacity)) {
        Ok(r) => r,
        // Writing to a vector cannot fail.
        Err(e) => unreachable!("writing to memory failed: {e}"),
    }
}

/// The command line of `gen-export`.
#[derive(Debug, PartialEq, Eq)]
pub struct Options {
    /// Format to write.
    pub format: Format,
    /// Size to reach, in megabytes (10^6 bytes).
    pub size_mb: u64,
    /// Output file.
    pub out: PathBuf,
    /// Seed of the made-up data.
    pub seed: u64,
}

/// How to call `gen-export`.
pub const USAGE: &str = "usage: xtask gen-export --format F --size-mb N --out PATH [--seed S]\n\
    formats: eventviewer-xml, wevtutil-xml, ps51-json, winlogbeat";

impl Options {
    /// Parses the arguments after `gen-export`.
    pub fn parse(args: &[String]) -> Result<Options, String> {
        let mut format = None;
        let mut size = None;
        let mut out = None;
        let mut seed = 1u64;
        let mut it = args.iter();
        while let Some(flag) = it.next() {
            let value = it
                .next()
                .ok_or_else(|| format!("{flag} needs a value\n{USAGE}"))?;
            match flag.as_str() {
                "--format" => {
                    format = Some(
                        Format::from_name(value)
                            .ok_or_else(|| format!("unknown format `{value}`\n{USAGE}"))?,
                    )
                }
                "--size-mb" => {
                    size =
                        Some(value.parse().map_err(|_| {
                            format!("--size-mb wants a whole number, not `{value}`")
                        })?)
                }
                "--out" => out = Some(PathBuf::from(value)),
                "--seed" => {
                    seed = value
                        .parse()
                        .map_err(|_| format!("--seed wants a whole number, not `{value}`"))?
                }
                other => return Err(format!("unknown option `{other}`\n{USAGE}")),
            }
        }
        Ok(Options {
            format: format.ok_or_else(|| format!("--format is required\n{USAGE}"))?,
            size_mb: size.ok_or_else(|| format!("--size-mb is required\n{USAGE}"))?,
            out: out.ok_or_else(|| format!("--out is required\n{USAGE}"))?,
            seed,
        })
    }
}

/// Runs `gen-export` with the arguments after the subcommand's name.
pub fn run(args: &[String]) -> Result<(), String> {
    let o = Options::parse(args)?;
    let file = File::create(&o.out).map_err(|e| format!("{}: {e}", o.out.display()))?;
    let started = std::time::Instant::now();
    let (stats, _) = generate(
        o.format,
        o.size_mb * MB,
        o.seed,
        BufWriter::with_capacity(1 << 20, file),
    )
    .map_err(|e| format!("{}: {e}", o.out.display()))?;
    eprintln!(
        "{}: {} bytes, {} events, {} requests ({} slice events), {} foreign events, in {:.1} s",
        o.out.display(),
        stats.bytes,
        stats.events,
        stats.requests,
        stats.slices,
        stats.foreign,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_bytes() {
        let (_, a) = generate_in_memory(Format::WevtutilXml, 200_000, 7);
        let (_, b) = generate_in_memory(Format::WevtutilXml, 200_000, 7);
        let (_, c) = generate_in_memory(Format::WevtutilXml, 200_000, 8);
        assert_eq!(a, b);
        assert_ne!(a, c);
    }

    #[test]
    fn options_are_parsed() {
        let args: Vec<String> = ["--format", "ps51-json", "--size-mb", "3", "--out", "/tmp/x"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            Options::parse(&args),
            Ok(Options {
                format: Format::Ps51Json,
                size_mb: 3,
                out: PathBuf::from("/tmp/x"),
                seed: 1,
            })
        );
    }
}
