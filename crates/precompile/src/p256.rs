//! P256VERIFY (0x100, EIP-7951): ECDSA signature verification over secp256r1.

use crate::{Precompile, PrecompileResult, u64_to_address, utilities::*};
use lamina_primitives::Bytes;
use p256::ecdsa::{Signature, VerifyingKey, signature::hazmat::PrehashVerifier};

/// P256VERIFY at 0x100, active since Osaka.
pub const P256VERIFY: Precompile = Precompile::new(u64_to_address(0x100), run);

/// Flat price from Osaka (EIP-7951); RIP-7212 charged half of it.
pub const GAS: u64 = 6900;
/// Exact input length: hash(32) || r(32) || s(32) || qx(32) || qy(32).
pub const INPUT_LENGTH: usize = 160;

/// Verifies `hash || r || s || qx || qy`: a 32-byte word 1 if the signature is
/// valid, empty output otherwise. It never fails except by running out of gas.
pub fn run(input: &[u8], gas_limit: u64) -> PrecompileResult {
    charged(GAS, gas_limit, || Ok(if verify(input) { bool_to_word(true) } else { Bytes::new() }))
}

/// Whether `input` is 160 bytes holding a valid signature of its hash.
pub fn verify(input: &[u8]) -> bool {
    let Ok(input) = <&[u8; INPUT_LENGTH]>::try_from(input) else {
        return false;
    };
    let (hash, rest) = input.split_at(32);
    let (signature, key) = rest.split_at(64);
    // `from_slice` refuses r or s outside (0, n).
    let Ok(signature) = Signature::from_slice(signature) else {
        return false;
    };
    // SEC1 uncompressed encoding; parsing refuses coordinates not below p and points
    // off the curve, and (0, 0) is off the curve, so infinity cannot be given.
    let mut sec1 = [0u8; 65];
    sec1[0] = 0x04;
    sec1[1..].copy_from_slice(key);
    let Ok(key) = VerifyingKey::from_sec1_bytes(&sec1) else {
        return false;
    };
    // Computes R' = (h/s) G + (r/s) Q, refuses infinity, and compares R'.x mod n
    // with r, as EIP-7951 specifies.
    key.verify_prehash(hash, &signature).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use lamina_primitives::hex;

    /// go-ethereum's `CallP256Verify` vector (valid).
    const VALID: &str = "4cee90eb86eaa050036147a12d49004b6b9c72bd725d39d4785011fe190f0b4da73bd4903f0ce3b639bbbf6e8e80d16931ff4bcf5993d58468e8fb19086e8cac36dbcd03009df8c59286b162af3bd7fcc0450c9aa81be5d10d312af6c66b1d604aebd3099c618202fcfe16ae7770b0c49ab5eadf74b754204a3bb6060e44eff37618b065f9832de4ca6ca971a7a1adc826d0f7c00181a5fb2ddf79ae00b4e10e";

    #[test]
    fn valid_invalid_and_lengths() {
        let input = hex::decode(VALID).unwrap();
        let out = run(&input, GAS).unwrap();
        assert_eq!((out.gas_used, out.bytes[..].to_vec()), (GAS, bool_to_word(true).to_vec()));
        assert_eq!(run(&input, GAS - 1), Err(crate::PrecompileError::OutOfGas));
        for len in [0, 159, 161] {
            let mut other = input.clone();
            other.resize(len, 0);
            let out = run(&other, GAS).unwrap();
            assert!(out.bytes.is_empty() && out.gas_used == GAS, "length {len}");
        }
        let mut bad_hash = input.clone();
        bad_hash[0] ^= 1;
        assert!(run(&bad_hash, GAS).unwrap().bytes.is_empty());
        let mut zero_key = input.clone();
        zero_key[96..].fill(0);
        assert!(run(&zero_key, GAS).unwrap().bytes.is_empty());
    }
}
