//! Code analysis on the shared benchmark contracts: the jump-destination bitmap every code
//! gets (`Bytecode::new_raw`), the block checks of a whole contract at once (`Blocks::analyse`),
//! and of the entry block alone (what a frame pays when it first enters a block).

use criterion::{Criterion, criterion_group, criterion_main};
use lamina_bytecode::{Blocks, Bytecode};
use lamina_primitives::{Bytes, hex};
use std::hint::black_box;

/// Contracts from `../shared/bench` (hex), with their names; those missing are left out.
fn contracts() -> Vec<(&'static str, Bytes)> {
    let shared = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/bench");
    let files = [
        ("snailtracer", "revm/snailtracer.hex"),
        ("weierstrudel", "evmone/main/weierstrudel.bin-runtime"),
        ("jump_around", "evmone/micro/jump_around.bin-runtime"),
    ];
    let found: Vec<_> = files
        .into_iter()
        .filter_map(|(name, file)| {
            let text = std::fs::read_to_string(format!("{shared}/{file}")).ok()?;
            let raw = hex::decode(text.trim()).expect("benchmark contracts are hex");
            Some((name, Bytes::from(raw)))
        })
        .collect();
    assert!(!found.is_empty(), "no benchmark contracts under {shared}");
    found
}

fn bench(c: &mut Criterion) {
    // The analysis adds whatever static gas it is given; the cost does not depend on it.
    let static_gas = [3u64; 256];
    for (name, raw) in contracts() {
        let mut group = c.benchmark_group(format!("analysis/{name} ({} bytes)", raw.len()));
        group.bench_function("jump destinations (Bytecode::new_raw)", |b| {
            b.iter(|| Bytecode::new_raw(black_box(raw.clone())))
        });
        group.bench_function("every block (Blocks::analyse)", |b| {
            b.iter(|| Blocks::analyse(black_box(&raw), &static_gas, 1))
        });
        group.bench_function("entry block (Blocks::analyse_block at pc 0)", |b| {
            b.iter(|| {
                let blocks = Blocks::new(raw.len(), 1);
                blocks.analyse_block(0, black_box(&raw), |op| static_gas[op as usize])
            })
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
