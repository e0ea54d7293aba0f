//! One benchmark per precompile, on inputs from the public vectors (worst or typical
//! cases), run through the fork set that prices them.

use criterion::{Criterion, criterion_group, criterion_main};
use lamina_precompile::{PrecompileFn, Precompiles, u64_to_address};
use lamina_primitives::{SpecId, hex};
use std::{hint::black_box, path::Path};

/// The input of the vector `name` in `folder/file`.
fn vector(folder: &str, file: &str, name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/vectors")
        .join(folder)
        .join(file);
    let text = std::fs::read_to_string(&path).expect("vector file");
    let entries: serde_json::Value = serde_json::from_str(&text).expect("JSON");
    let entry = entries
        .as_array()
        .and_then(|a| a.iter().find(|e| e["Name"] == name))
        .unwrap_or_else(|| panic!("{name} in {file}"));
    hex::decode(entry["Input"].as_str().expect("Input")).expect("hex")
}

fn function(spec: SpecId, address: u64) -> PrecompileFn {
    Precompiles::new(spec).get(&u64_to_address(address)).expect("precompile")
}

fn bench(c: &mut Criterion, id: &str, f: PrecompileFn, input: &[u8]) {
    assert!(f(input, u64::MAX).is_ok(), "{id} must succeed on its benchmark input");
    c.bench_function(id, |b| b.iter(|| f(black_box(input), black_box(u64::MAX))));
}

fn precompiles(c: &mut Criterion) {
    let p = "precompiles";
    let osaka = SpecId::OSAKA;

    // The lookup every CALL makes: a hit and a miss.
    let set = Precompiles::new(osaka);
    let (hit, miss) = (u64_to_address(5), u64_to_address(0x1234_5678));
    c.bench_function("lookup/hit", |b| b.iter(|| set.get(black_box(&hit))));
    c.bench_function("lookup/miss", |b| b.iter(|| set.get(black_box(&miss))));
    bench(c, "ecrecover", function(osaka, 1), &vector(p, "ecRecover.json", "ValidKey"));
    let data = vector("sha256-ripemd160-identity", "sha256.json", "sha256-zeros-4096-bytes");
    bench(c, "sha256/4096", function(osaka, 2), &data);
    bench(c, "ripemd160/4096", function(osaka, 3), &data);
    bench(c, "identity/4096", function(osaka, 4), &data);

    for (name, spec) in
        [("byzantium", SpecId::BYZANTIUM), ("berlin", SpecId::BERLIN), ("osaka", osaka)]
    {
        let f = function(spec, 5);
        for vector_name in ["nagydani-1-pow0x10001", "nagydani-5-pow0x10001", "marius-1-even"] {
            let input = vector(p, "modexp_eip2565.json", vector_name);
            bench(c, &format!("modexp/{name}/{vector_name}"), f, &input);
        }
    }

    bench(c, "bn254/add", function(osaka, 6), &vector(p, "bn256Add.json", "chfast1"));
    bench(c, "bn254/mul", function(osaka, 7), &vector(p, "bn256ScalarMul.json", "chfast1"));
    let pairing = vector(p, "bn256Pairing.json", "ten_point_match_1");
    bench(c, "bn254/pairing/10", function(osaka, 8), &pairing);
    bench(c, "blake2f/12", function(osaka, 9), &vector(p, "blake2F.json", "vector 5"));
    bench(
        c,
        "kzg/point_evaluation",
        function(osaka, 0x0a),
        &vector(p, "pointEvaluation.json", "pointEvaluation1"),
    );

    let bls = [
        ("bls12_381/g1add", 0x0b, "blsG1Add.json", "bls_g1add_(2*g1+3*g1=5*g1)"),
        ("bls12_381/g1msm/1", 0x0c, "blsG1Mul.json", "bls_g1mul_random*p1"),
        ("bls12_381/g2add", 0x0d, "blsG2Add.json", "bls_g2add_(2*g2+3*g2=5*g2)"),
        ("bls12_381/g2msm/1", 0x0e, "blsG2Mul.json", "bls_g2mul_random*p2"),
        ("bls12_381/pairing/10", 0x0f, "blsPairing.json", "bls_pairing_10paircheckstrue"),
        ("bls12_381/map_fp_to_g1", 0x10, "blsMapG1.json", "matter_fp_to_g1_0"),
        ("bls12_381/map_fp2_to_g2", 0x11, "blsMapG2.json", "matter_fp2_to_g2_0"),
    ];
    for (id, address, file, name) in bls {
        bench(c, id, function(osaka, address), &vector(p, file, name));
    }
    // Large MSMs exercise the Pippenger path.
    let g1 = vector(p, "blsG1MultiExp.json", "matter_g1_multiexp_0");
    bench(c, "bls12_381/g1msm/16", function(osaka, 0x0c), &g1);

    bench(c, "p256verify", function(osaka, 0x100), &vector(p, "p256Verify.json", "CallP256Verify"));
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = precompiles
}
criterion_main!(benches);
