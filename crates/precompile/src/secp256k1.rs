//! ECRECOVER (0x01): the address that signed a message hash, over secp256k1.

use crate::{Precompile, PrecompileResult, u64_to_address, utilities::*};
use lamina_primitives::{Bytes, keccak256};
use secp256k1::{
    Message, Secp256k1, VerifyOnly,
    ecdsa::{RecoverableSignature, RecoveryId},
};

/// ECRECOVER at 0x01, active since Frontier.
pub const ECRECOVER: Precompile = Precompile::new(u64_to_address(1), ec_recover_run);

/// Flat price of ECRECOVER.
pub const GAS: u64 = 3000;

/// Recovers the signer of `hash(32) || v(32) || r(32) || s(32)` (input right-padded
/// to 128 bytes, extra bytes ignored) as a 32-byte word holding the address.
///
/// Anything that does not recover (v other than 27 or 28, r or s out of range, no
/// point) gives empty output: the call still succeeds and costs 3000.
pub fn ec_recover_run(input: &[u8], gas_limit: u64) -> PrecompileResult {
    charged(GAS, gas_limit, || {
        let input = right_pad::<128>(input);
        let (hash, rest) = input.split_at(32);
        let (v, sig) = rest.split_at(32);
        // v is a full 32-byte word: 27 or 28 with 31 zero bytes in front.
        if v[..31].iter().any(|&b| b != 0) || !matches!(v[31], 27 | 28) {
            return Ok(Bytes::new());
        }
        let hash: [u8; 32] = right_pad(hash);
        let recovered = recover(&hash, sig, v[31] - 27);
        Ok(recovered.map_or_else(Bytes::new, |address| Bytes::copy_from_slice(&address)))
    })
}

/// The signer of `hash` as a left-padded 32-byte word, or `None`.
fn recover(hash: &[u8; 32], sig: &[u8], recid: u8) -> Option<[u8; 32]> {
    let recid = RecoveryId::try_from(i32::from(recid)).ok()?;
    let sig = RecoverableSignature::from_compact(sig, recid).ok()?;
    let key = context().recover_ecdsa(Message::from_digest(*hash), &sig).ok()?;
    let hashed = keccak256(&key.serialize_uncompressed()[1..]);
    let mut word = [0u8; 32];
    word[12..].copy_from_slice(&hashed[12..]);
    Some(word)
}

/// A verification context. With std it is built once; libsecp256k1 contexts are
/// cheap (its tables are static), so without std one per call is acceptable.
#[cfg(feature = "std")]
fn context() -> &'static Secp256k1<VerifyOnly> {
    static CONTEXT: std::sync::OnceLock<Secp256k1<VerifyOnly>> = std::sync::OnceLock::new();
    CONTEXT.get_or_init(Secp256k1::verification_only)
}

#[cfg(not(feature = "std"))]
fn context() -> Secp256k1<VerifyOnly> {
    Secp256k1::verification_only()
}

#[cfg(test)]
mod tests {
    use super::*;
    use lamina_primitives::hex;

    /// go-ethereum's `ValidKey` vector of ecRecover.json (hash, v = 28, r, s).
    const VALID: &str = "18c547e4f7b0f325ad1e56f57e26c745b09a3e503d86e00e5255ff7f715d3d1c000000000000000000000000000000000000000000000000000000000000001c73b1693892219d736caba55bdb67216e485557ea6b6af75f37096c9aa6a5a75feeb940b1d03b21e36b0e47e79769f095fe2ab855bd91e3a38756b7d75a9c4549";
    const SIGNER: &str = "000000000000000000000000a94f5374fce5edbc8e2a8697c15331677e6ebf0b";

    #[test]
    fn recovers_and_rejects_bad_v() {
        let input = hex::decode(VALID).unwrap();
        let out = ec_recover_run(&input, GAS).unwrap();
        assert_eq!(out.bytes[..], hex::decode(SIGNER).unwrap()[..]);
        assert_eq!(out.gas_used, GAS);

        for (index, value) in [(63, 29u8), (63, 0), (63, 1), (32, 1), (62, 1)] {
            let mut bad = input.clone();
            bad[index] = value;
            let out = ec_recover_run(&bad, GAS).unwrap();
            assert!(out.bytes.is_empty(), "v byte {index} = {value}");
            assert_eq!(out.gas_used, GAS);
        }
        // v = 27 is well-formed; this signature is for 28, so another key or none.
        let mut other = input.clone();
        other[63] = 27;
        assert_ne!(
            ec_recover_run(&other, GAS).unwrap().bytes[..],
            hex::decode(SIGNER).unwrap()[..]
        );
    }

    #[test]
    fn bad_r_s_and_gas() {
        let input = hex::decode(VALID).unwrap();
        let mut zero_r = input.clone();
        zero_r[64..96].fill(0);
        assert!(ec_recover_run(&zero_r, GAS).unwrap().bytes.is_empty());
        let mut big_s = input.clone();
        big_s[96..128].fill(0xff);
        assert!(ec_recover_run(&big_s, GAS).unwrap().bytes.is_empty());
        assert!(ec_recover_run(&[], GAS).unwrap().bytes.is_empty());
        assert_eq!(ec_recover_run(&input, GAS - 1), Err(crate::PrecompileError::OutOfGas));
    }
}
