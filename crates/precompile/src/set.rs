//! [`Precompiles`]: the precompiles one fork activates, keyed by address.

use crate::{
    Precompile, PrecompileFn, blake2, bls12_381, bn254, hash, identity, kzg, modexp, p256,
    secp256k1,
};
use alloc::{boxed::Box, vec::Vec};
use lamina_primitives::{Address, HashMap, SpecId};

/// Addresses below this are looked up in a flat table; every mainnet precompile
/// (the highest is P256VERIFY at 0x100) lives there, so a CALL never hashes.
const SHORT_LEN: usize = 0x101;

/// The precompiles of one fork, or of a custom chain built on one.
#[derive(Clone, Debug)]
pub struct Precompiles {
    /// Functions of the addresses `0..SHORT_LEN`, indexed by the address's value.
    short: Box<[Option<PrecompileFn>; SHORT_LEN]>,
    /// Functions at any other address (custom chains only).
    long: HashMap<Address, PrecompileFn>,
    /// Every address, in insertion order, for iteration.
    addresses: Vec<Address>,
}

impl Default for Precompiles {
    fn default() -> Self {
        Self { short: Box::new([None; SHORT_LEN]), long: HashMap::default(), addresses: Vec::new() }
    }
}

/// The table index of `address` if it falls in the flat table.
#[inline]
fn short_index(address: &Address) -> Option<usize> {
    let b: &[u8; 20] = &address.0.0;
    // Two word-sized comparisons instead of eighteen byte ones: this runs on every CALL.
    let mut high = [0u8; 16];
    high.copy_from_slice(&b[..16]);
    if u128::from_ne_bytes(high) != 0 || b[16] != 0 || b[17] != 0 {
        return None;
    }
    let index = usize::from(u16::from_be_bytes([b[18], b[19]]));
    (index < SHORT_LEN).then_some(index)
}

impl Precompiles {
    /// The mainnet precompiles of `spec`.
    pub fn new(spec: SpecId) -> Self {
        let mut set = Self::default();
        set.extend(FRONTIER);
        if spec.is_enabled_in(SpecId::BYZANTIUM) {
            set.extend(BYZANTIUM);
        }
        if spec.is_enabled_in(SpecId::ISTANBUL) {
            set.extend(ISTANBUL);
        }
        if spec.is_enabled_in(SpecId::BERLIN) {
            set.extend(BERLIN);
        }
        if spec.is_enabled_in(SpecId::CANCUN) {
            set.extend(CANCUN);
        }
        if spec.is_enabled_in(SpecId::PRAGUE) {
            set.extend(PRAGUE);
        }
        if spec.is_enabled_in(SpecId::OSAKA) {
            set.extend(OSAKA);
        }
        set
    }

    /// The mainnet precompiles of `spec`, built on first use and shared afterwards.
    #[cfg(feature = "std")]
    pub fn cached(spec: SpecId) -> &'static Precompiles {
        use std::sync::OnceLock;
        static CACHE: [OnceLock<Precompiles>; SpecId::ALL.len()] =
            [const { OnceLock::new() }; SpecId::ALL.len()];
        CACHE[spec as usize].get_or_init(|| Self::new(spec))
    }

    /// The mainnet precompiles of `spec`, built on first use and shared afterwards.
    ///
    /// Without `std` there is no `OnceLock`: the first caller to publish its set wins, and a
    /// thread that lost the race frees its own copy. So each fork's set is allocated once and
    /// never freed, as with `std`. (Needs pointer-sized atomics with compare-and-swap.)
    #[cfg(not(feature = "std"))]
    pub fn cached(spec: SpecId) -> &'static Precompiles {
        use core::{
            ptr,
            sync::atomic::{AtomicPtr, Ordering},
        };
        static CACHE: [AtomicPtr<Precompiles>; SpecId::ALL.len()] =
            [const { AtomicPtr::new(ptr::null_mut()) }; SpecId::ALL.len()];
        let slot = &CACHE[spec as usize];
        let published = slot.load(Ordering::Acquire);
        if !published.is_null() {
            // SAFETY: a non-null pointer in the cache came from `Box::into_raw` below and is
            // never freed or written through.
            return unsafe { &*published };
        }
        let fresh = Box::into_raw(Box::new(Self::new(spec)));
        match slot.compare_exchange(ptr::null_mut(), fresh, Ordering::AcqRel, Ordering::Acquire) {
            // SAFETY: `fresh` is now published and, as above, lives for the rest of the program.
            Ok(_) => unsafe { &*fresh },
            Err(winner) => {
                // SAFETY: `fresh` was never published, so this is its only owner.
                drop(unsafe { Box::from_raw(fresh) });
                // SAFETY: as for `published` above.
                unsafe { &*winner }
            }
        }
    }

    /// The function at `address`, if a precompile lives there.
    #[inline]
    pub fn get(&self, address: &Address) -> Option<PrecompileFn> {
        match short_index(address) {
            Some(i) => self.short[i],
            None if self.long.is_empty() => None,
            None => self.long.get(address).copied(),
        }
    }

    /// Whether a precompile lives at `address`.
    #[inline]
    pub fn contains(&self, address: &Address) -> bool {
        self.get(address).is_some()
    }

    /// Every address that holds a precompile, in the order they were added.
    pub fn addresses(&self) -> &[Address] {
        &self.addresses
    }

    /// Number of precompiles.
    pub fn len(&self) -> usize {
        self.addresses.len()
    }

    /// Whether the set is empty.
    pub fn is_empty(&self) -> bool {
        self.addresses.is_empty()
    }

    /// Adds `p`, replacing whatever was at its address.
    pub fn insert(&mut self, p: Precompile) {
        let previous = match short_index(&p.address) {
            Some(i) => self.short[i].replace(p.function),
            None => self.long.insert(p.address, p.function),
        };
        if previous.is_none() {
            self.addresses.push(p.address);
        }
    }

    /// Adds every precompile of `ps`, replacing those at the same addresses.
    pub fn extend(&mut self, ps: impl IntoIterator<Item = Precompile>) {
        for p in ps {
            self.insert(p);
        }
    }
}

/// Frontier: the four original precompiles.
const FRONTIER: [Precompile; 4] =
    [secp256k1::ECRECOVER, hash::SHA256, hash::RIPEMD160, identity::IDENTITY];

/// Byzantium: EIP-198 MODEXP and EIP-196/197 BN254 at their first prices.
const BYZANTIUM: [Precompile; 4] =
    [modexp::BYZANTIUM, bn254::add::BYZANTIUM, bn254::mul::BYZANTIUM, bn254::pair::BYZANTIUM];

/// Istanbul: EIP-1108 BN254 repricing and EIP-152 BLAKE2F.
const ISTANBUL: [Precompile; 4] =
    [bn254::add::ISTANBUL, bn254::mul::ISTANBUL, bn254::pair::ISTANBUL, blake2::BLAKE2F];

/// Berlin: EIP-2565 MODEXP repricing.
const BERLIN: [Precompile; 1] = [modexp::BERLIN];

/// Cancun: EIP-4844 point evaluation.
const CANCUN: [Precompile; 1] = [kzg::POINT_EVALUATION];

/// Prague: the EIP-2537 BLS12-381 precompiles.
const PRAGUE: [Precompile; 7] = bls12_381::PRECOMPILES;

/// Osaka: EIP-7883/7823 MODEXP and EIP-7951 P256VERIFY.
const OSAKA: [Precompile; 2] = [modexp::OSAKA, p256::P256VERIFY];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{PrecompileOutput, PrecompileResult, u64_to_address};
    use lamina_primitives::{Bytes, address};

    #[test]
    fn fork_sizes() {
        let sizes = [
            (SpecId::FRONTIER, 4),
            (SpecId::SPURIOUS_DRAGON, 4),
            (SpecId::BYZANTIUM, 8),
            (SpecId::PETERSBURG, 8),
            (SpecId::ISTANBUL, 9),
            (SpecId::BERLIN, 9),
            (SpecId::SHANGHAI, 9),
            (SpecId::CANCUN, 10),
            (SpecId::PRAGUE, 17),
            (SpecId::OSAKA, 18),
        ];
        for (spec, len) in sizes {
            let set = Precompiles::new(spec);
            assert_eq!(set.len(), len, "{spec:?}");
            assert_eq!(set.addresses().len(), len, "{spec:?}");
            assert!(set.addresses().iter().all(|a| set.contains(a)), "{spec:?}");
        }
        assert!(!Precompiles::new(SpecId::CANCUN).contains(&u64_to_address(0x0b)));
        assert!(!Precompiles::new(SpecId::PRAGUE).contains(&u64_to_address(0x100)));
        assert!(Precompiles::new(SpecId::OSAKA).contains(&u64_to_address(0x100)));
        assert!(!Precompiles::new(SpecId::OSAKA).contains(&u64_to_address(0x12)));
        assert!(!Precompiles::new(SpecId::OSAKA).contains(&u64_to_address(0)));
    }

    fn custom(_: &[u8], _: u64) -> PrecompileResult {
        Ok(PrecompileOutput::new(7, Bytes::new()))
    }

    #[test]
    fn insert_custom_and_replace() {
        let mut set = Precompiles::new(SpecId::CANCUN);
        let far = address!("0x4200000000000000000000000000000000000015");
        set.insert(Precompile::new(far, custom));
        set.insert(Precompile::new(u64_to_address(4), custom));
        assert_eq!(set.len(), 11);
        assert_eq!(set.get(&far).map(|f| f(&[], 0).map(|o| o.gas_used)), Some(Ok(7)));
        let identity = set.get(&u64_to_address(4)).expect("replaced, not removed");
        assert_eq!(identity(&[1], 100).map(|o| o.gas_used), Ok(7));
        // An address whose low bytes look like a precompile's but whose high bytes do not.
        let mut shadow = [0u8; 20];
        shadow[0] = 1;
        shadow[19] = 2;
        assert!(!set.contains(&Address::new(shadow)));
    }

    #[test]
    fn cached_is_shared() {
        let a = Precompiles::cached(SpecId::PRAGUE) as *const _;
        let b = Precompiles::cached(SpecId::PRAGUE) as *const _;
        assert_eq!(a, b);
        assert_eq!(Precompiles::cached(SpecId::PRAGUE).len(), 17);
    }
}
