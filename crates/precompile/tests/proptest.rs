//! No precompile of Byzantium or Osaka panics, whatever its input and gas limit.

use lamina_precompile::Precompiles;
use lamina_primitives::SpecId;
use proptest::prelude::*;

/// Gas limits that matter: none, the usual prices, and anything up to `u64::MAX`.
fn gas_limit() -> impl Strategy<Value = u64> {
    prop_oneof![Just(0u64), 0u64..200_000, any::<u64>(), Just(u64::MAX)]
}

fn check(spec: SpecId, input: &[u8], gas_limit: u64) {
    let precompiles = Precompiles::new(spec);
    for address in precompiles.addresses() {
        let f = precompiles.get(address).expect("listed addresses resolve");
        if let Ok(out) = f(input, gas_limit) {
            assert!(out.gas_used <= gas_limit, "{address} used more gas than given");
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn osaka_never_panics(input in proptest::collection::vec(any::<u8>(), 0..600), gas in gas_limit()) {
        check(SpecId::OSAKA, &input, gas);
    }

    #[test]
    fn byzantium_never_panics(input in proptest::collection::vec(any::<u8>(), 0..600), gas in gas_limit()) {
        check(SpecId::BYZANTIUM, &input, gas);
    }

    /// Random lengths in a well-formed-looking modexp header, small enough to be
    /// paid for, so that the arithmetic (not only the pricing) runs.
    #[test]
    fn modexp_small_headers(
        lens in (0u64..80, 0u64..80, 0u64..80),
        body in proptest::collection::vec(any::<u8>(), 0..300),
    ) {
        let mut input = Vec::new();
        for len in [lens.0, lens.1, lens.2] {
            input.extend_from_slice(&[0u8; 24]);
            input.extend_from_slice(&len.to_be_bytes());
        }
        input.extend_from_slice(&body);
        for spec in [SpecId::BYZANTIUM, SpecId::BERLIN, SpecId::OSAKA] {
            let f = Precompiles::new(spec).get(&lamina_precompile::u64_to_address(5)).expect("modexp");
            let out = f(&input, u64::MAX).expect("small modexp succeeds");
            prop_assert_eq!(out.bytes.len() as u64, lens.2);
        }
    }
}

/// `base ^ exp mod m` by num-bigint, left-padded to `m.len()` bytes.
fn reference(base: &[u8], exp: &[u8], m: &[u8]) -> Vec<u8> {
    use num_bigint::BigUint;
    let modulus = BigUint::from_bytes_be(m);
    let mut out = vec![0u8; m.len()];
    if modulus.bits() == 0 {
        return out;
    }
    let value = BigUint::from_bytes_be(base).modpow(&BigUint::from_bytes_be(exp), &modulus);
    let bytes = value.to_bytes_be();
    if value.bits() > 0 {
        let start = out.len() - bytes.len();
        out[start..].copy_from_slice(&bytes);
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// The limb arithmetic agrees with num-bigint, for odd moduli, powers of two and
    /// even moduli with an odd part (the CRT path), across limb boundaries.
    #[test]
    fn modexp_matches_num_bigint(
        base in proptest::collection::vec(any::<u8>(), 0..300),
        exp in proptest::collection::vec(any::<u8>(), 0..40),
        mut modulus in proptest::collection::vec(any::<u8>(), 0..300),
        twos in 0usize..300,
    ) {
        // Force `twos` trailing zero bits (at most the modulus's length) into some cases.
        let bits = (modulus.len() * 8).min(twos);
        for i in 0..bits {
            let at = modulus.len() - 1 - i / 8;
            modulus[at] &= !(1u8 << (i % 8));
        }
        if let Some(i) = modulus.len().checked_sub(1 + bits / 8)
            && bits < modulus.len() * 8
        {
            modulus[i] |= 1u8 << (bits % 8);
        }
        let got = lamina_precompile::modexp::modexp(&base, &exp, &modulus);
        prop_assert_eq!(got, reference(&base, &exp, &modulus));
    }
}
