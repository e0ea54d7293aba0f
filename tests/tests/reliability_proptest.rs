//! Robustness as properties, run by `cargo test` (the fuzz targets in `fuzz/` explore the same
//! ground for longer where cargo-fuzz is installed, with the same scenario decoder).
//!
//! - Any structured transaction (all five types, fees, access lists, blobs, signed EIP-7702
//!   authorizations) on a random small pre-state and a random fork ends in a result or a
//!   typed error, and meets every check of `Scenario::check`: gas within the limit, refund
//!   within its cap, nonce bumped, ether conserved but for what the fee rules burn, an
//!   invalid transaction changing nothing, the same outcome twice on one EVM.
//! - Every precompile of every fork, on inputs of the shapes it parses: its price does not
//!   depend on the gas given (enough gas succeeds with the same output, one gas less fails),
//!   and the elliptic-curve precompiles obey their group laws on random valid points.
//!   `crates/precompile/tests/proptest.rs` already covers unstructured bytes on Byzantium and
//!   Osaka and MODEXP against num-bigint; these cover the other forks and the inputs that
//!   get past the parsers.
//! - The EIP-4844 blob base fee, and two regressions found by these properties.

#[allow(dead_code)] // the fuzz crate uses the rest
#[path = "../src/reliability/scenario.rs"]
mod scenario;

use lamina_context_interface::calc_blob_gasprice;
use lamina_handler::ExecuteCommitEvm;
use lamina_precompile::{PrecompileFn, Precompiles, u64_to_address};
use lamina_primitives::{Address, B256, SpecId, U256, eip4844};
use proptest::prelude::*;
use scenario::{Entropy, Scenario, world};

/// Decodes a scenario and checks every property of its outcome (`Scenario::check`).
fn check_transaction(bytes: &[u8]) -> Result<(), TestCaseError> {
    let scenario = Scenario::generate(&mut Entropy::new(bytes));
    scenario.check().map_err(|failure| TestCaseError::fail(format!("{failure}: {scenario:?}")))
}

/// `cases` cases; failures are reported with their minimal input (which replays through
/// `check_transaction`) rather than written to a file beside the sources.
fn config(cases: u32) -> ProptestConfig {
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

proptest! {
    #![proptest_config(config(3000))]

    /// A scenario is decoded from up to 1,200 bytes: enough for a full pre-state with
    /// programs and a transaction with every list filled.
    #[test]
    fn any_transaction_ends_in_a_result_or_a_typed_error(
        bytes in proptest::collection::vec(any::<u8>(), 0..1200),
    ) {
        check_transaction(&bytes)?;
    }
}

// ---- precompiles ----

/// BN254's base field modulus.
const BN254_P: U256 = lamina_primitives::uint!(
    0x30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47_U256
);
/// BN254's group order.
const BN254_R: U256 = lamina_primitives::uint!(
    0x30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001_U256
);
/// The BN254 G2 generator of EIP-197, as the precompile reads it: x, then y, each as
/// (imaginary, real).
const BN254_G2: [U256; 4] = lamina_primitives::uint!([
    0x198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c2_U256,
    0x1800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed_U256,
    0x090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b_U256,
    0x12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa_U256,
]);

type U384 = lamina_primitives::alloy_primitives::Uint<384, 6>;
/// BLS12-381's base field modulus.
const BLS_P: U384 = lamina_primitives::uint!(
    0x1a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab_U384
);
/// BLS12-381's group order.
const BLS_R: U256 = lamina_primitives::uint!(
    0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001_U256
);

fn precompile(spec: SpecId, address: u64) -> PrecompileFn {
    Precompiles::new(spec).get(&u64_to_address(address)).expect("the fork has it")
}

/// An input of the shape precompile `address` parses, with random contents: right lengths
/// (and sometimes one byte off), small BLAKE2F round counts, canonical-looking field
/// elements, well-formed MODEXP headers.
fn shaped_input(address: Address) -> BoxedStrategy<Vec<u8>> {
    use proptest::collection::vec;
    let bytes = move |len: usize| vec(any::<u8>(), len..=len);
    let multiple = |unit: usize, max: usize| (0..=max).prop_flat_map(move |k| bytes(k * unit));
    let last = address.0[19] as u64 | ((address.0[18] as u64) << 8);
    let shaped = match last {
        // ECRECOVER: v is 27 or 28 (anything else fails), r and s random.
        1 => (bytes(32), prop_oneof![Just(27u8), Just(28u8), any::<u8>()], bytes(64))
            .prop_map(|(hash, v, rs)| [hash, vec![0; 31], vec![v], rs].concat())
            .boxed(),
        // MODEXP: lengths from 0 to past EIP-7823's 1,024-byte limit.
        5 => (0usize..40, 0usize..40, prop_oneof![0usize..40, 1020usize..1030])
            .prop_flat_map(move |(b, e, m)| {
                let header = [b, e, m].map(|len| U256::from(len).to_be_bytes::<32>()).concat();
                bytes(b + e + m.min(64)).prop_map(move |body| [header.clone(), body].concat())
            })
            .boxed(),
        6 => bytes(128).boxed(),
        7 => bytes(96).boxed(),
        8 => multiple(192, 2).boxed(),
        // BLAKE2F: rounds (4 bytes), h, m, t, final flag (0, 1, or invalid).
        9 => (0u32..2000, bytes(208), prop_oneof![Just(0u8), Just(1u8), any::<u8>()])
            .prop_map(|(rounds, body, flag)| {
                [rounds.to_be_bytes().to_vec(), body, vec![flag]].concat()
            })
            .boxed(),
        0x0a => bytes(192).boxed(),
        0x0b => multiple(64, 4).boxed(),
        0x0c => multiple(160, 2).boxed(),
        0x0d => multiple(128, 4).boxed(),
        0x0e => multiple(288, 2).boxed(),
        0x0f => multiple(384, 2).boxed(),
        0x10 => bytes(64).boxed(),
        0x11 => bytes(128).boxed(),
        0x100 => bytes(160).boxed(),
        _ => vec(any::<u8>(), 0..200).boxed(),
    };
    // Mostly the shape, sometimes one byte short or long.
    (shaped, 0u8..8)
        .prop_map(|(mut input, edit)| {
            match edit {
                0 => input.push(0),
                1 => {
                    input.pop();
                }
                _ => {}
            }
            input
        })
        .boxed()
}

/// A precompile's price depends only on its input: with exactly the gas it reported it
/// succeeds with the same output, with one gas less it fails; and a call that fails fails
/// with less gas too.
fn check_pricing(f: PrecompileFn, input: &[u8], gas: u64, name: &str) -> Result<(), TestCaseError> {
    match f(input, gas) {
        Ok(out) => {
            prop_assert!(out.gas_used <= gas, "{name} used {} of {gas}", out.gas_used);
            prop_assert_eq!(f(input, out.gas_used), Ok(out.clone()), "{} at its exact price", name);
            if out.gas_used > 0 {
                prop_assert!(f(input, out.gas_used - 1).is_err(), "{name} ran below its price");
            }
        }
        Err(_) => prop_assert!(f(input, gas / 2).is_err(), "{name} failed, then ran on less gas"),
    }
    Ok(())
}

fn fork() -> impl Strategy<Value = SpecId> {
    prop::sample::select(SpecId::ALL.to_vec())
}

/// A valid BN254 G1 point: the generator (1, 2) times a random scalar, by the fork's own
/// multiplication (which the group laws below then check against addition).
fn bn254_point(spec: SpecId, scalar: U256) -> [u8; 64] {
    let mut input = [0u8; 96];
    input[31] = 1;
    input[63] = 2;
    input[64..].copy_from_slice(&scalar.to_be_bytes::<32>());
    let out = precompile(spec, 7)(&input, u64::MAX).expect("G1 generator times a scalar");
    out.bytes[..].try_into().expect("a point is 64 bytes")
}

fn bn254_negate(point: &[u8; 64]) -> [u8; 64] {
    let mut out = *point;
    let y = U256::from_be_slice(&point[32..]);
    if !y.is_zero() {
        out[32..].copy_from_slice(&(BN254_P - y).to_be_bytes::<32>());
    }
    out
}

/// A BLS12-381 base field element (64 bytes, 16 of them zero padding) below p: the top byte
/// kept under p's 0x1a.
fn bls_fp(mut bytes: [u8; 48]) -> [u8; 64] {
    bytes[0] %= 0x1a;
    let mut out = [0u8; 64];
    out[16..].copy_from_slice(&bytes);
    out
}

fn bls_negate_y(point: &mut [u8], y_at: usize) {
    let y = U384::from_be_slice(&point[y_at + 16..y_at + 64]);
    if !y.is_zero() {
        point[y_at + 16..y_at + 64].copy_from_slice(&(BLS_P - y).to_be_bytes::<48>());
    }
}

/// The 32-byte word a pairing check returns when the product is one.
fn pairing_holds() -> Vec<u8> {
    U256::from(1).to_be_bytes::<32>().to_vec()
}

proptest! {
    #![proptest_config(config(128))]

    /// Every precompile of a random fork, on a shaped input and a random gas limit.
    #[test]
    fn every_precompile_of_every_fork_prices_by_input_alone(
        spec in fork(),
        inputs in proptest::collection::vec(
            prop::sample::select((1u64..=0x11).chain([0x100]).collect::<Vec<_>>())
                .prop_flat_map(|a| (Just(a), shaped_input(u64_to_address(a)))),
            1..8,
        ),
        gas in prop_oneof![0u64..5_000, 0u64..1_000_000, Just(u64::MAX)],
    ) {
        let precompiles = Precompiles::new(spec);
        for (address, input) in inputs {
            let Some(f) = precompiles.get(&u64_to_address(address)) else { continue };
            check_pricing(f, &input, gas, &format!("{spec} {address:#x}"))?;
        }
    }

    /// ECRECOVER returns the signer of a signature made with a known key, on every fork.
    #[test]
    fn ecrecover_recovers_the_signer(spec in fork(), key in 0usize..2, digest in any::<[u8; 32]>()) {
        let auth = scenario::sign_authorization(key, lamina_context_interface::Authorization {
            chain_id: U256::from_be_bytes(digest),
            address: Address::ZERO,
            nonce: 0,
        });
        let mut input = [0u8; 128];
        input[..32].copy_from_slice(scenario::authorization_digest(&auth.inner).as_slice());
        input[63] = 27 + auth.y_parity.to::<u8>();
        input[64..96].copy_from_slice(&auth.r.to_be_bytes::<32>());
        input[96..].copy_from_slice(&auth.s.to_be_bytes::<32>());
        let out = precompile(spec, 1)(&input, 3_000).expect("ECRECOVER costs 3,000");
        let signer = scenario::signer(key);
        prop_assert_eq!(&out.bytes[12..], signer.as_slice());
        prop_assert_eq!(&out.bytes[..12], &[0u8; 12]);
    }

    /// BN254 (EIP-196/197), at both its Byzantium and Istanbul prices: P + P = 2·P,
    /// P + (−P) = O, r·P = O, and e(P, G2)·e(−P, G2) = 1.
    #[test]
    fn bn254_group_laws(spec in prop::sample::select(vec![SpecId::BYZANTIUM, SpecId::OSAKA]), k in any::<[u8; 32]>()) {
        let p = bn254_point(spec, U256::from_be_bytes(k));
        let minus_p = bn254_negate(&p);
        let add = |a: &[u8; 64], b: &[u8; 64]| {
            precompile(spec, 6)(&[&a[..], &b[..]].concat(), u64::MAX).expect("valid points add").bytes
        };
        let mul = |a: &[u8; 64], s: U256| {
            let input = [&a[..], &s.to_be_bytes::<32>()[..]].concat();
            precompile(spec, 7)(&input, u64::MAX).expect("valid point times scalar").bytes
        };
        prop_assert_eq!(add(&p, &p), mul(&p, U256::from(2)));
        prop_assert_eq!(&add(&p, &minus_p)[..], &[0u8; 64][..]);
        prop_assert_eq!(&mul(&p, BN254_R)[..], &[0u8; 64][..]);
        let g2: Vec<u8> = BN254_G2.iter().flat_map(|w| w.to_be_bytes::<32>()).collect();
        let pairs = [&p[..], &g2, &minus_p[..], &g2].concat();
        let out = precompile(spec, 8)(&pairs, u64::MAX).expect("valid pairs");
        prop_assert_eq!(out.bytes.to_vec(), pairing_holds());
    }

    /// BLS12-381 (EIP-2537) on points mapped from random field elements: P + P = MSM(P, 2),
    /// P + (−P) = O, MSM(P, r) = O, the same in G2, and e(P, Q)·e(−P, Q) = 1.
    #[test]
    fn bls12_381_group_laws(a in any::<[u8; 48]>(), b in any::<[u8; 48]>(), c in any::<[u8; 48]>()) {
        let spec = SpecId::PRAGUE;
        let call = |address: u64, input: &[u8]| {
            precompile(spec, address)(input, u64::MAX).expect("valid BLS12-381 input").bytes.to_vec()
        };
        let scalar = |s: U256| s.to_be_bytes::<32>().to_vec();
        let p = call(0x10, &bls_fp(a));
        let q = call(0x11, &[bls_fp(b), bls_fp(c)].concat());
        let mut minus_p = p.clone();
        bls_negate_y(&mut minus_p, 64);
        let mut minus_q = q.clone();
        bls_negate_y(&mut minus_q, 128);
        bls_negate_y(&mut minus_q, 192);
        prop_assert_eq!(call(0x0b, &[&p[..], &p[..]].concat()), call(0x0c, &[p.clone(), scalar(U256::from(2))].concat()));
        prop_assert_eq!(call(0x0b, &[&p[..], &minus_p[..]].concat()), vec![0u8; 128]);
        prop_assert_eq!(call(0x0c, &[p.clone(), scalar(BLS_R)].concat()), vec![0u8; 128]);
        prop_assert_eq!(call(0x0d, &[&q[..], &q[..]].concat()), call(0x0e, &[q.clone(), scalar(U256::from(2))].concat()));
        prop_assert_eq!(call(0x0d, &[&q[..], &minus_q[..]].concat()), vec![0u8; 256]);
        prop_assert_eq!(call(0x0e, &[q.clone(), scalar(BLS_R)].concat()), vec![0u8; 256]);
        prop_assert_eq!(call(0x0f, &[&p[..], &q[..], &minus_p[..], &q[..]].concat()), pairing_holds());
        prop_assert_eq!(call(0x0f, &[&p[..], &q[..], &p[..], &minus_q[..]].concat()), pairing_holds());
    }
}

/// The decoder reads zeros past the end of its input: the empty input is a scenario too
/// (Osaka, a legacy call), and it runs.
#[test]
fn the_empty_input_is_a_scenario() {
    let scenario = Scenario::generate(&mut Entropy::new(&[]));
    assert_eq!((scenario.spec, scenario.tx.tx_type), (SpecId::OSAKA, 0));
    check_transaction(&[]).unwrap();
}

// ---- the blob base fee ----

/// Runs `f` on another thread and fails the test if it has not returned within `seconds`
/// (a hang would otherwise stall the whole suite).
fn within<T: Send + 'static>(seconds: u64, f: impl FnOnce() -> T + Send + 'static) -> T {
    let (send, receive) = std::sync::mpsc::channel();
    std::thread::spawn(move || send.send(f()));
    receive
        .recv_timeout(std::time::Duration::from_secs(seconds))
        .unwrap_or_else(|_| panic!("still running after {seconds} s"))
}

/// Regression: `fake_exponential` summed its Taylor series until a term reached zero, with
/// wrapping U256 arithmetic. For a large excess blob gas (e^(excess / fraction) far past
/// 2^128) the terms wrapped around instead of growing, and the loop ran for hours: a block
/// header with a huge excess blob gas hung `BlobExcessGasAndPrice::new`. The price saturates
/// at u128::MAX as soon as the sum shows it must.
#[test]
fn blob_gasprice_of_a_huge_excess_saturates_at_once() {
    for fraction in [eip4844::CANCUN_UPDATE_FRACTION, eip4844::PRAGUE_UPDATE_FRACTION] {
        for excess in [u64::MAX, u64::MAX / 2, 1 << 40, fraction * 89] {
            let price = within(10, move || calc_blob_gasprice(excess, fraction));
            assert_eq!(price, u128::MAX, "excess {excess}, fraction {fraction}");
        }
    }
}

proptest! {
    #![proptest_config(config(512))]

    /// The blob base fee (EIP-4844) is 1 at no excess, never decreases as the excess grows,
    /// and saturates once e^(excess / fraction) passes 2^128 (at excess / fraction ≥ 89).
    #[test]
    fn blob_gasprice_grows_with_the_excess_and_saturates(
        excess in prop_oneof![0u64..100_000_000, any::<u64>()],
        step in 0u64..10_000_000,
        fraction in prop::sample::select(vec![eip4844::CANCUN_UPDATE_FRACTION, eip4844::PRAGUE_UPDATE_FRACTION]),
    ) {
        let (low, high) = within(10, move || {
            (calc_blob_gasprice(excess, fraction), calc_blob_gasprice(excess.saturating_add(step), fraction))
        });
        prop_assert!(low <= high);
        prop_assert!(low >= 1);
        if excess / fraction >= 89 {
            prop_assert_eq!(low, u128::MAX);
        }
        prop_assert_eq!(calc_blob_gasprice(0, fraction), 1);
    }
}

/// Regression: blob gas was counted for any transaction carrying blob hashes, so a legacy
/// transaction with a stray hash paid the blob fee (on Shanghai, a fork without blobs) and
/// that ether vanished. EIP-4844 charges blob gas to type-3 transactions only.
#[test]
fn only_a_blob_transaction_pays_for_blob_gas() {
    use lamina_context::{BlockEnv, Context, TxEnv};
    use lamina_handler::MainBuilder;
    use lamina_state::AccountInfo;
    let sender = scenario::signer(0);
    let balance = U256::from(10u64).pow(U256::from(18));
    for spec in [SpecId::SHANGHAI, SpecId::CANCUN] {
        let mut db = lamina_database::InMemoryDB::default();
        db.insert_account_info(sender, AccountInfo::from_balance(balance));
        let mut block = BlockEnv::default();
        block.set_blob_excess_gas_and_price(10_000_000, eip4844::CANCUN_UPDATE_FRACTION);
        let mut evm = Context::new(db, spec).with_block(block).build_mainnet();
        let tx = TxEnv::builder()
            .caller(sender)
            .to(scenario::ABSENT)
            .gas_limit(21_000)
            .gas_price(1)
            .blob_hashes(vec![B256::with_last_byte(1)])
            .max_fee_per_blob_gas(1_000)
            .tx_type(0)
            .build();
        let result = evm.transact_commit(tx).expect("a valid legacy transaction");
        assert_eq!(result.gas_used(), 21_000);
        let left = world(&evm.ctx.journaled_state.database)[&sender].balance;
        assert_eq!(left, balance - U256::from(21_000), "{spec}: only gas at price 1 is paid");
    }
}
