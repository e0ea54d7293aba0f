//! Runs every public vector file under `shared/vectors` against the precompile of the
//! matching fork, looked up through `Precompiles::new(spec).get(address)` so that the
//! fork tables are exercised too.
//!
//! Every expected file is listed here; a missing file, an unexpected extra file or a
//! file that yields no vector fails the test, so nothing passes silently.

use lamina_precompile::{PrecompileError, PrecompileFn, Precompiles, u64_to_address};
use lamina_primitives::{SpecId, hex};
use serde_json::Value;
use std::{
    collections::BTreeSet,
    path::{Path, PathBuf},
};

fn vectors_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/vectors")
}

/// The JSON array of `folder/file`; panics if it is missing, malformed or empty.
fn load(folder: &str, file: &str) -> Vec<Value> {
    let path = vectors_root().join(folder).join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("vector file {} is missing: {e}", path.display()));
    let value: Value = serde_json::from_str(&text)
        .unwrap_or_else(|e| panic!("vector file {} is not JSON: {e}", path.display()));
    let entries = value.as_array().cloned().unwrap_or_default();
    assert!(!entries.is_empty(), "vector file {} yields no vectors", path.display());
    entries
}

/// Asserts that `folder` holds exactly the JSON files `expected`.
fn assert_folder(folder: &str, expected: &[&str]) {
    let dir = vectors_root().join(folder);
    let found: BTreeSet<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("vector folder {} is missing: {e}", dir.display()))
        .map(|entry| entry.expect("readable entry").file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".json"))
        .collect();
    let expected: BTreeSet<String> = expected.iter().map(|s| s.to_string()).collect();
    assert_eq!(found, expected, "JSON files of {folder} differ from the list in this test");
}

fn field<'a>(entry: &'a Value, key: &str) -> &'a str {
    entry[key].as_str().unwrap_or_else(|| panic!("entry without string {key}: {entry}"))
}

fn decode(hex_str: &str) -> Vec<u8> {
    let hex_str = hex_str.strip_prefix("0x").unwrap_or(hex_str);
    hex::decode(hex_str).unwrap_or_else(|e| panic!("bad hex {hex_str}: {e}"))
}

/// The precompile at `address` in `spec`'s mainnet set.
fn precompile(spec: SpecId, address: u64) -> PrecompileFn {
    Precompiles::new(spec)
        .get(&u64_to_address(address))
        .unwrap_or_else(|| panic!("no precompile at {address:#x} in {spec:?}"))
}

/// How the gas of a success vector is known.
#[derive(Clone, Copy)]
enum Gas {
    /// The entry's field of this name.
    Field(&'static str),
    /// A formula of the input (for schedules no file carries).
    Formula(fn(&[u8]) -> u64),
    /// Not given (legacy modexp cases): only the output is checked, and that one gas
    /// less than what was charged runs out of gas.
    Unknown,
}

/// Runs the success vectors of `folder/file` at `address` in each of `specs`, checks
/// output and gas exactly and that one gas less is OutOfGas. Returns the count.
fn success(folder: &str, file: &str, address: u64, specs: &[SpecId], gas: Gas) -> usize {
    let entries = load(folder, file);
    for &spec in specs {
        let f = precompile(spec, address);
        for entry in &entries {
            let name = field(entry, "Name");
            let input = decode(field(entry, "Input"));
            let expected = decode(field(entry, "Expected"));
            let gas = match gas {
                Gas::Field(key) => {
                    Some(entry[key].as_u64().unwrap_or_else(|| panic!("{file}/{name}: no {key}")))
                }
                Gas::Formula(formula) => Some(formula(&input)),
                Gas::Unknown => None,
            };
            let limit = gas.unwrap_or(u64::MAX);
            let out = f(&input, limit)
                .unwrap_or_else(|e| panic!("{file}/{name} at {spec:?}: failed with {e:?}"));
            assert_eq!(
                hex::encode(&out.bytes),
                hex::encode(&expected),
                "{file}/{name} at {spec:?}: output"
            );
            if let Some(gas) = gas {
                assert_eq!(out.gas_used, gas, "{file}/{name} at {spec:?}: gas");
            }
            if out.gas_used > 0 {
                assert_eq!(
                    f(&input, out.gas_used - 1),
                    Err(PrecompileError::OutOfGas),
                    "{file}/{name} at {spec:?}: one gas less"
                );
            }
        }
    }
    eprintln!("{folder}/{file}: {} vectors x {} forks", entries.len(), specs.len());
    entries.len()
}

/// Runs the failure vectors of `folder/file` at `address` in `spec` with unlimited
/// gas (so that a failure is never just a lack of gas). Returns the count.
fn failure(folder: &str, file: &str, address: u64, spec: SpecId) -> usize {
    let entries = load(folder, file);
    let f = precompile(spec, address);
    for entry in &entries {
        let name = field(entry, "Name");
        let input = decode(field(entry, "Input"));
        let result = f(&input, u64::MAX);
        assert!(result.is_err(), "{file}/{name} at {spec:?}: expected failure, got {result:?}");
        assert_ne!(result, Err(PrecompileError::OutOfGas), "{file}/{name}: failed only on gas");
    }
    eprintln!("{folder}/{file}: {} failure vectors", entries.len());
    entries.len()
}

/// Asserts that `spec` has no precompile at `address` (it comes in a later fork).
fn absent_before(spec: SpecId, address: u64) {
    assert!(
        !Precompiles::new(spec).contains(&u64_to_address(address)),
        "{address:#x} must not exist in {spec:?}"
    );
}

const P: &str = "precompiles";

#[test]
fn go_ethereum_precompiles() {
    assert_folder(
        P,
        &[
            "blake2F.json",
            "blsG1Add.json",
            "blsG1Mul.json",
            "blsG1MultiExp.json",
            "blsG2Add.json",
            "blsG2Mul.json",
            "blsG2MultiExp.json",
            "blsMapG1.json",
            "blsMapG2.json",
            "blsPairing.json",
            "bn256Add.json",
            "bn256Pairing.json",
            "bn256ScalarMul.json",
            "ecRecover.json",
            "fail-blake2f.json",
            "fail-blsG1Add.json",
            "fail-blsG1Mul.json",
            "fail-blsG1MultiExp.json",
            "fail-blsG2Add.json",
            "fail-blsG2Mul.json",
            "fail-blsG2MultiExp.json",
            "fail-blsMapG1.json",
            "fail-blsMapG2.json",
            "fail-blsPairing.json",
            "modexp.json",
            "modexp_eip2565.json",
            "modexp_eip7883.json",
            "p256Verify.json",
            "pointEvaluation.json",
        ],
    );
}

#[test]
fn ecrecover() {
    let specs = [SpecId::FRONTIER, SpecId::BYZANTIUM, SpecId::OSAKA];
    assert_eq!(success(P, "ecRecover.json", 0x01, &specs, Gas::Field("Gas")), 5);
}

#[test]
fn modexp_schedules() {
    absent_before(SpecId::SPURIOUS_DRAGON, 0x05);
    let byzantium = [SpecId::BYZANTIUM, SpecId::PETERSBURG, SpecId::MUIR_GLACIER];
    assert_eq!(success(P, "modexp.json", 0x05, &byzantium, Gas::Field("Gas")), 17);
    let berlin = [SpecId::BERLIN, SpecId::CANCUN, SpecId::PRAGUE];
    assert_eq!(success(P, "modexp_eip2565.json", 0x05, &berlin, Gas::Field("Gas")), 47);
    assert_eq!(success(P, "modexp_eip7883.json", 0x05, &[SpecId::OSAKA], Gas::Field("Gas")), 45);
}

/// EIP-196/197 prices before Istanbul; the files carry only Istanbul's.
fn bn_add_byzantium(_: &[u8]) -> u64 {
    500
}
fn bn_mul_byzantium(_: &[u8]) -> u64 {
    40_000
}
fn bn_pairing_byzantium(input: &[u8]) -> u64 {
    100_000 + 80_000 * (input.len() as u64 / 192)
}

#[test]
fn bn254() {
    for address in [0x06, 0x07, 0x08] {
        absent_before(SpecId::SPURIOUS_DRAGON, address);
    }
    let istanbul = [SpecId::ISTANBUL, SpecId::OSAKA];
    let byzantium = [SpecId::BYZANTIUM, SpecId::PETERSBURG];
    assert_eq!(success(P, "bn256Add.json", 0x06, &istanbul, Gas::Field("Gas")), 16);
    assert_eq!(success(P, "bn256Add.json", 0x06, &byzantium, Gas::Formula(bn_add_byzantium)), 16);
    assert_eq!(success(P, "bn256ScalarMul.json", 0x07, &istanbul, Gas::Field("Gas")), 19);
    assert_eq!(
        success(P, "bn256ScalarMul.json", 0x07, &byzantium, Gas::Formula(bn_mul_byzantium)),
        19
    );
    assert_eq!(success(P, "bn256Pairing.json", 0x08, &istanbul, Gas::Field("Gas")), 14);
    assert_eq!(
        success(P, "bn256Pairing.json", 0x08, &byzantium, Gas::Formula(bn_pairing_byzantium)),
        14
    );
}

#[test]
fn blake2f() {
    absent_before(SpecId::PETERSBURG, 0x09);
    let specs = [SpecId::ISTANBUL, SpecId::OSAKA];
    assert_eq!(success(P, "blake2F.json", 0x09, &specs, Gas::Field("Gas")), 5);
    assert_eq!(failure(P, "fail-blake2f.json", 0x09, SpecId::ISTANBUL), 4);
}

#[test]
fn point_evaluation() {
    absent_before(SpecId::SHANGHAI, 0x0a);
    let specs = [SpecId::CANCUN, SpecId::OSAKA];
    assert_eq!(success(P, "pointEvaluation.json", 0x0a, &specs, Gas::Field("Gas")), 1);
}

#[test]
fn bls12_381_go_ethereum() {
    for address in 0x0b..=0x11 {
        absent_before(SpecId::CANCUN, address);
    }
    let specs = [SpecId::PRAGUE, SpecId::OSAKA];
    let gas = Gas::Field("Gas");
    let files = [
        ("blsG1Add.json", "fail-blsG1Add.json", 0x0b, 112, 6),
        ("blsG1Mul.json", "fail-blsG1Mul.json", 0x0c, 11, 7),
        ("blsG1MultiExp.json", "fail-blsG1MultiExp.json", 0x0c, 154, 7),
        ("blsG2Add.json", "fail-blsG2Add.json", 0x0d, 112, 6),
        ("blsG2Mul.json", "fail-blsG2Mul.json", 0x0e, 11, 7),
        ("blsG2MultiExp.json", "fail-blsG2MultiExp.json", 0x0e, 153, 7),
        ("blsPairing.json", "fail-blsPairing.json", 0x0f, 106, 9),
        ("blsMapG1.json", "fail-blsMapG1.json", 0x10, 105, 5),
        ("blsMapG2.json", "fail-blsMapG2.json", 0x11, 105, 5),
    ];
    for (ok, fail, address, ok_count, fail_count) in files {
        assert_eq!(success(P, ok, address, &specs, gas), ok_count, "{ok}");
        assert_eq!(failure(P, fail, address, SpecId::PRAGUE), fail_count, "{fail}");
    }
}

#[test]
fn p256verify_go_ethereum() {
    absent_before(SpecId::PRAGUE, 0x100);
    assert_eq!(success(P, "p256Verify.json", 0x100, &[SpecId::OSAKA], Gas::Field("Gas")), 782);
}

#[test]
fn sha256_ripemd160_identity() {
    let folder = "sha256-ripemd160-identity";
    assert_folder(folder, &["identity.json", "ripemd160.json", "sha256.json"]);
    let specs = [SpecId::FRONTIER, SpecId::OSAKA];
    let gas = Gas::Field("Gas");
    assert_eq!(success(folder, "sha256.json", 0x02, &specs, gas), 19);
    assert_eq!(success(folder, "ripemd160.json", 0x03, &specs, gas), 19);
    assert_eq!(success(folder, "identity.json", 0x04, &specs, gas), 19);
}

#[test]
fn modexp_eip7883_folder() {
    let folder = "modexp-eip7883";
    assert_folder(folder, &["legacy.json", "vectors.json"]);
    let old = [SpecId::BERLIN, SpecId::PRAGUE];
    assert_eq!(success(folder, "vectors.json", 0x05, &old, Gas::Field("GasOld")), 46);
    assert_eq!(success(folder, "vectors.json", 0x05, &[SpecId::OSAKA], Gas::Field("GasNew")), 46);
    let all = [SpecId::BYZANTIUM, SpecId::BERLIN, SpecId::OSAKA];
    assert_eq!(success(folder, "legacy.json", 0x05, &all, Gas::Unknown), 32);
}

#[test]
fn kzg_point_evaluation_folder() {
    let folder = "kzg-point-evaluation";
    assert_folder(
        folder,
        &[
            "fail-pointEvaluation_consensus_specs.json",
            "go_kzg_4844_verify_kzg_proof.json",
            "pointEvaluation_consensus_specs.json",
        ],
    );
    let specs = [SpecId::CANCUN, SpecId::OSAKA];
    let gas = Gas::Field("Gas");
    assert_eq!(success(folder, "pointEvaluation_consensus_specs.json", 0x0a, &specs, gas), 54);
    assert_eq!(
        failure(folder, "fail-pointEvaluation_consensus_specs.json", 0x0a, SpecId::CANCUN),
        68
    );

    // The source file in KZG-library form: build each call as EIP-4844 does and
    // expect success exactly for the `true` cases.
    let f = precompile(SpecId::CANCUN, 0x0a);
    let entries = load(folder, "go_kzg_4844_verify_kzg_proof.json");
    let mut valid = 0;
    for entry in &entries {
        let name = field(entry, "name");
        let part = |key: &str| decode(entry["input"][key].as_str().unwrap_or_default());
        let commitment = part("commitment");
        let mut versioned_hash = sha256(&commitment);
        versioned_hash[0] = 0x01;
        let input =
            [versioned_hash.to_vec(), part("z"), part("y"), commitment, part("proof")].concat();
        let result = f(&input, 50_000);
        if entry["output"] == Value::Bool(true) {
            let out = result.unwrap_or_else(|e| panic!("{name}: {e:?}"));
            assert_eq!(out.gas_used, 50_000, "{name}");
            valid += 1;
        } else {
            assert!(result.is_err(), "{name}: expected failure");
        }
    }
    assert_eq!((entries.len(), valid), (122, 54));
    eprintln!("{folder}/go_kzg_4844_verify_kzg_proof.json: {} vectors", entries.len());
}

/// SHA-256 through the precompile itself (its own vectors are checked above).
fn sha256(data: &[u8]) -> [u8; 32] {
    let out = precompile(SpecId::FRONTIER, 0x02)(data, u64::MAX).expect("sha256 never fails");
    out.bytes[..].try_into().expect("32 bytes")
}

#[test]
fn eip2537_folder() {
    let folder = "eip2537";
    let files = [
        ("add_G1_bls.json", 0x0b, 9),
        ("add_G2_bls.json", 0x0d, 9),
        ("mul_G1_bls.json", 0x0c, 11),
        ("mul_G2_bls.json", 0x0e, 11),
        ("msm_G1_bls.json", 0x0c, 163),
        ("pairing_check_bls.json", 0x0f, 15),
        ("map_fp_to_G1_bls.json", 0x10, 5),
        ("map_fp2_to_G2_bls.json", 0x11, 5),
    ];
    let failures = [
        ("fail-add_G1_bls.json", 0x0b, 7),
        ("fail-add_G2_bls.json", 0x0d, 7),
        ("fail-mul_G1_bls.json", 0x0c, 8),
        ("fail-mul_G2_bls.json", 0x0e, 8),
        ("fail-msm_G1_bls.json", 0x0c, 8),
        ("fail-msm_G2_bls.json", 0x0e, 8),
        ("fail-pairing_check_bls.json", 0x0f, 25),
        ("fail-map_fp_to_G1_bls.json", 0x10, 5),
        ("fail-map_fp2_to_G2_bls.json", 0x11, 5),
    ];
    let names: Vec<&str> = files.iter().map(|f| f.0).chain(failures.iter().map(|f| f.0)).collect();
    assert_folder(folder, &names);
    for (file, address, count) in files {
        assert_eq!(success(folder, file, address, &[SpecId::PRAGUE], Gas::Field("Gas")), count);
    }
    for (file, address, count) in failures {
        assert_eq!(failure(folder, file, address, SpecId::PRAGUE), count, "{file}");
    }
}

/// EIP-7951's price; `test-vectors.json` still carries RIP-7212's 3450.
fn p256_osaka(_: &[u8]) -> u64 {
    6_900
}

#[test]
fn eip7951_folder() {
    let folder = "eip7951";
    assert_folder(folder, &["secp256r1_test.json", "test-vectors.json"]);
    let osaka = [SpecId::OSAKA];
    assert_eq!(success(folder, "secp256r1_test.json", 0x100, &osaka, Gas::Field("Gas")), 294);
    assert_eq!(success(folder, "test-vectors.json", 0x100, &osaka, Gas::Formula(p256_osaka)), 781);
}
