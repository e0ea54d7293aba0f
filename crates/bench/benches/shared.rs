//! Criterion benches of the shared benchmark inputs: one bench per case, named like the
//! case (`cargo bench -p lamina-bench -- revm/snailtracer`).
//!
//! Each iteration builds the case's pre-state and EVM afresh and runs its transactions, as
//! `MANIFEST.md` describes; dropping the final state is not timed. Before a case is timed its
//! outcome is checked once against revm's: timing a wrong execution would be meaningless.
//! `evm-build` times building an EVM alone, like revme's bench of that name.

use criterion::{Criterion, criterion_group, criterion_main};
use lamina_bench::{Suite, execute, shared_bench_dir};
use lamina_context::Context;
use lamina_handler::MainBuilder;
use std::{hint::black_box, time::Duration};

fn shared(c: &mut Criterion) {
    let suite = match Suite::load(shared_bench_dir()) {
        Ok(suite) => suite,
        Err(error) => panic!("cannot load the shared benchmarks: {error}"),
    };
    for case in suite.cases() {
        let mut checked = false;
        c.bench_function(&case.name, |b| {
            // Checked here rather than up front, so that only the cases a filter selects
            // are run.
            if !checked {
                if let Err(error) = suite.check(case) {
                    panic!("{error}");
                }
                checked = true;
            }
            b.iter_with_large_drop(|| match execute(black_box(case)) {
                Ok(execution) => execution,
                Err(error) => panic!("{error}"),
            });
        });
    }
    c.bench_function("evm-build", |b| b.iter(|| Context::mainnet().build_mainnet()));
}

criterion_group! {
    name = benches;
    // revme's settings: 10 samples, 0.5 s warm-up, 1.5 s measurement.
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_millis(1500));
    targets = shared
}
criterion_main!(benches);
