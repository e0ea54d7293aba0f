//! KZG point evaluation (0x0a, EIP-4844): checks that a blob commitment opens to `y`
//! at `z`, for the commitment named by a versioned hash.
//!
//! The verification needs the `c-kzg` feature (on with `std`). Without it the precompile
//! keeps its address and price checks, and every call that reaches verification fails with
//! [`PrecompileError::Other`].

use crate::{Precompile, PrecompileError, PrecompileResult, u64_to_address, utilities::*};
use lamina_primitives::{Bytes, hex};
use sha2::{Digest, Sha256};

/// POINT_EVALUATION at 0x0a, active since Cancun.
pub const POINT_EVALUATION: Precompile = Precompile::new(u64_to_address(0x0a), run);

/// Flat price.
pub const GAS: u64 = 50_000;
/// Exact input length: versioned_hash(32) || z(32) || y(32) || commitment(48) || proof(48).
pub const INPUT_LENGTH: usize = 192;
/// Version byte of a KZG versioned hash.
pub const VERSIONED_HASH_VERSION_KZG: u8 = 0x01;

/// The output of every successful call: FIELD_ELEMENTS_PER_BLOB (4096) and
/// BLS_MODULUS, each as a 32-byte big-endian word.
pub const RETURN_VALUE: [u8; 64] = hex!(
    "0000000000000000000000000000000000000000000000000000000000001000"
    "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001"
);

/// Verifies the opening; success returns [`RETURN_VALUE`] for 50000 gas, anything
/// else fails.
pub fn run(input: &[u8], gas_limit: u64) -> PrecompileResult {
    charged(GAS, gas_limit, || {
        let input: &[u8; INPUT_LENGTH] =
            input.try_into().map_err(|_| PrecompileError::KzgInvalidInput)?;
        let versioned_hash = &input[..32];
        let commitment: [u8; 48] = right_pad_at(input, 96);
        if versioned_hash != kzg_to_versioned_hash(&commitment) {
            return Err(PrecompileError::KzgInvalidInput);
        }
        let z: [u8; 32] = right_pad_at(input, 32);
        let y: [u8; 32] = right_pad_at(input, 64);
        let proof: [u8; 48] = right_pad_at(input, 144);
        if !verify_kzg_proof(&commitment, &z, &y, &proof)? {
            return Err(PrecompileError::KzgVerifyFailed);
        }
        Ok(Bytes::from_static(&RETURN_VALUE))
    })
}

/// `0x01 || sha256(commitment)[1..]`.
pub fn kzg_to_versioned_hash(commitment: &[u8; 48]) -> [u8; 32] {
    let mut hash: [u8; 32] = Sha256::digest(commitment).into();
    hash[0] = VERSIONED_HASH_VERSION_KZG;
    hash
}

/// Whether `proof` opens `commitment` to `y` at `z`; malformed encodings (a point
/// not on the curve, a field element not below the modulus) are an error.
pub fn verify_kzg_proof(
    commitment: &[u8; 48],
    z: &[u8; 32],
    y: &[u8; 32],
    proof: &[u8; 48],
) -> Result<bool, PrecompileError> {
    #[cfg(feature = "c-kzg")]
    {
        use c_kzg::{Bytes32, Bytes48};
        // The mainnet trusted setup is parsed on first use and kept; precomputation
        // level 0 because only single-point verification is done here.
        let settings = c_kzg::ethereum_kzg_settings(0);
        settings
            .verify_kzg_proof(
                &Bytes48::from(*commitment),
                &Bytes32::from(*z),
                &Bytes32::from(*y),
                &Bytes48::from(*proof),
            )
            .map_err(|_| PrecompileError::KzgInvalidInput)
    }
    #[cfg(not(feature = "c-kzg"))]
    {
        let _ = (commitment, z, y, proof);
        Err(PrecompileError::Other("kzg: built without the `c-kzg` feature".into()))
    }
}

#[cfg(all(test, feature = "c-kzg"))]
mod tests {
    use super::*;

    /// go-ethereum's `pointEvaluation1` vector.
    const VALID: &str = "01e798154708fe7789429634053cbf9f99b619f9f084048927333fce637f549b564c0a11a0f704f4fc3e8acfe0f8245f0ad1347b378fbf96e206da11a5d3630624d25032e67a7e6a4910df5834b8fe70e6bcfeeac0352434196bdf4b2485d5a18f59a8d2a1a625a17f3fea0fe5eb8c896db3764f3185481bc22f91b4aaffcca25f26936857bc3a7c2539ea8ec3a952b7873033e038326e87ed3e1276fd140253fa08e9fc25fb2d9a98527fc22a2c9612fbeafdad446cbc7bcdbdcd780af2c16a";

    #[test]
    fn valid_and_mutations() {
        let input = lamina_primitives::hex::decode(VALID).unwrap();
        let out = run(&input, GAS).unwrap();
        assert_eq!((out.gas_used, &out.bytes[..]), (GAS, &RETURN_VALUE[..]));
        assert_eq!(run(&input, GAS - 1), Err(PrecompileError::OutOfGas));
        assert_eq!(run(&[], GAS), Err(PrecompileError::KzgInvalidInput));
        assert_eq!(run(&input[..191], GAS), Err(PrecompileError::KzgInvalidInput));
        // Version byte other than 0x01.
        let mut version = input.clone();
        version[0] = 0x02;
        assert_eq!(run(&version, GAS), Err(PrecompileError::KzgInvalidInput));
        // Versioned hash of another commitment.
        let mut other = input.clone();
        other[31] ^= 1;
        assert_eq!(run(&other, GAS), Err(PrecompileError::KzgInvalidInput));
        // Wrong claimed value y.
        let mut wrong_y = input.clone();
        wrong_y[95] ^= 1;
        assert_eq!(run(&wrong_y, GAS), Err(PrecompileError::KzgVerifyFailed));
    }
}

#[cfg(all(test, not(feature = "c-kzg")))]
mod without_c_kzg_tests {
    use super::*;

    #[test]
    fn a_well_formed_call_fails() {
        let mut input = [0u8; INPUT_LENGTH];
        let commitment: [u8; 48] = right_pad_at(&input, 96);
        input[..32].copy_from_slice(&kzg_to_versioned_hash(&commitment));
        assert!(matches!(run(&input, GAS), Err(PrecompileError::Other(_))));
        assert_eq!(run(&input, GAS - 1), Err(PrecompileError::OutOfGas));
    }
}
