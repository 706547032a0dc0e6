//! Throughput of the engine per export format: `Analysis::read_file` and
//! `reports()` over a generated export of about 64 MB, in MB/s of file
//! bytes.
//!
//! ```text
//! cargo bench --bench engine
//! MIM_BENCH_MB=16 cargo bench --bench engine   # a smaller export
//! ```
//!
//! The exports are made up in memory by `xtask gen-export`'s generator with
//! a fixed seed, so every run measures the same bytes.

// The benchmark measures the native engine; `cargo clippy --all-targets
// --target wasm32-unknown-unknown` builds it too, where it is an empty program.
#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::hint::black_box;
    use std::time::Duration;

    use criterion::{Criterion, Throughput, criterion_group};
    use mim_reports::Analysis;
    use xtask::gen_export::{Format, MB, generate_in_memory};

    fn export_size() -> u64 {
        std::env::var("MIM_BENCH_MB")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or(64)
            * MB
    }

    fn engine(c: &mut Criterion) {
        let mut group = c.benchmark_group("engine");
        group.sample_size(10);
        group.warm_up_time(Duration::from_secs(1));
        group.measurement_time(Duration::from_secs(20));
        for format in Format::ALL {
            let (_, bytes) = generate_in_memory(format, export_size(), 42);
            group.throughput(Throughput::Bytes(bytes.len() as u64));
            group.bench_function(format.name(), |b| {
                b.iter(|| {
                    let mut analysis = Analysis::new();
                    analysis.read_file(format.name(), Some(bytes.len() as u64), &bytes[..]);
                    black_box(analysis.reports())
                })
            });
        }
        group.finish();
    }

    criterion_group!(benches, engine);
}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(native::benches);

#[cfg(target_arch = "wasm32")]
fn main() {}
