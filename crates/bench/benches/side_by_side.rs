//! Criterion benches of revm and Lamina on the same inputs: a group per case (every case but
//! the optional revm-gce programs, as the `side-by-side` binary selects), with the functions
//! `revm` and `lamina` (`cargo bench -p lamina-bench --bench side_by_side -- snailtracer`).
//!
//! An iteration converts nothing: it builds the pre-state and the EVM and runs the case
//! ([`Evm::execute`]), as `shared.rs` does for Lamina alone; dropping the final state is not
//! timed. Before an EVM is timed on a case, its outcome there is checked once against revm's
//! record, so both functions of a group time the same execution.

use criterion::{
    BenchmarkGroup, Criterion, criterion_group, criterion_main, measurement::WallTime,
};
use lamina_bench::{Case, Evm, Lamina, Revm, Suite, shared_bench_dir};
use std::{hint::black_box, time::Duration};

fn side_by_side(c: &mut Criterion) {
    let suite = match Suite::load(shared_bench_dir()) {
        Ok(suite) => suite,
        Err(error) => panic!("cannot load the shared benchmarks: {error}"),
    };
    let no_names: [&str; 0] = [];
    let cases = match suite.select(&no_names) {
        Ok(cases) => cases,
        Err(error) => panic!("{error}"),
    };
    for case in cases {
        let mut group = c.benchmark_group(&case.name);
        bench::<Revm>(&mut group, &suite, case);
        bench::<Lamina>(&mut group, &suite, case);
        group.finish();
    }
}

fn bench<E: Evm>(group: &mut BenchmarkGroup<'_, WallTime>, suite: &Suite, case: &Case) {
    let input = match E::prepare(case) {
        Ok(input) => input,
        Err(error) => panic!("{error}"),
    };
    let mut checked = false;
    group.bench_function(E::NAME, |b| {
        // Checked here rather than up front, so that only what a filter selects is run.
        if !checked {
            if let Err(error) = suite.check_on::<E>(case) {
                panic!("{}", lamina_bench::Error::on::<E>(error));
            }
            checked = true;
        }
        b.iter_with_large_drop(|| match E::execute(black_box(&input)) {
            Ok(run) => run,
            Err(error) => panic!("{error}"),
        });
    });
}

criterion_group! {
    name = benches;
    // revme's settings, as in `shared.rs`: 10 samples, 0.5 s warm-up, 1.5 s measurement.
    config = Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_millis(1500));
    targets = side_by_side
}
criterion_main!(benches);
