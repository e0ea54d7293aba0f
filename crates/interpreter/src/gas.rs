//! Gas accounting and the per-fork gas parameters.

use crate::memory::num_words;

/// Gas of one frame.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Gas {
    limit: u64,
    remaining: u64,
    refunded: i64,
    memory: MemoryGas,
}

/// What the frame's memory has cost so far (expansion is charged as a difference).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct MemoryGas {
    /// Words of memory paid for.
    pub words: u64,
    /// Total cost of those words.
    pub cost: u64,
}

impl Gas {
    /// Gas with `limit` available.
    #[inline]
    pub const fn new(limit: u64) -> Self {
        Self { limit, remaining: limit, refunded: 0, memory: MemoryGas { words: 0, cost: 0 } }
    }

    /// Gas with `limit` of which none is left.
    #[inline]
    pub const fn new_spent(limit: u64) -> Self {
        Self { limit, remaining: 0, refunded: 0, memory: MemoryGas { words: 0, cost: 0 } }
    }

    /// The limit the frame started with.
    #[inline]
    pub const fn limit(&self) -> u64 {
        self.limit
    }

    /// Gas left.
    #[inline]
    pub const fn remaining(&self) -> u64 {
        self.remaining
    }

    /// Gas used so far (limit − remaining).
    #[inline]
    pub const fn spent(&self) -> u64 {
        self.limit - self.remaining
    }

    /// The refund counter (may be negative inside a frame, EIP-2200).
    #[inline]
    pub const fn refunded(&self) -> i64 {
        self.refunded
    }

    /// What memory cost so far.
    #[inline]
    pub const fn memory(&self) -> MemoryGas {
        self.memory
    }

    /// Charges `cost`; `false` (and nothing charged) when not enough is left.
    #[inline(always)]
    #[must_use]
    pub fn record_cost(&mut self, cost: u64) -> bool {
        match self.remaining.checked_sub(cost) {
            Some(remaining) => {
                self.remaining = remaining;
                true
            }
            None => false,
        }
    }

    /// Gives back gas a child frame did not use.
    #[inline]
    pub fn erase_cost(&mut self, returned: u64) {
        self.remaining += returned;
    }

    /// Consumes everything that is left (exceptional halt).
    #[inline]
    pub fn spend_all(&mut self) {
        self.remaining = 0;
    }

    /// Adds to the refund counter.
    #[inline]
    pub fn record_refund(&mut self, refund: i64) {
        self.refunded += refund;
    }

    /// Sets the refund counter (the handler caps it at the end of a transaction).
    #[inline]
    pub fn set_refund(&mut self, refund: i64) {
        self.refunded = refund;
    }

    /// Charges for growing memory to `new_words` words; `false` when not affordable.
    #[inline]
    #[must_use]
    pub fn record_memory_expansion(&mut self, new_words: u64, params: &GasParams) -> bool {
        if new_words <= self.memory.words {
            return true;
        }
        let cost = params.memory_cost(new_words);
        if !self.record_cost(cost - self.memory.cost) {
            return false;
        }
        self.memory = MemoryGas { words: new_words, cost };
        true
    }
}

/// How SSTORE is priced.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SstoreRule {
    /// Frontier to Byzantium, and Petersburg: set or reset by the present value alone.
    Legacy,
    /// Net gas metering by original, present and new value (EIP-1283 in Constantinople,
    /// EIP-2200 from Istanbul).
    NetMetering,
}

/// The gas prices and rules that depend on the fork, as data. Each fork's value is built from
/// its parent's by the EIP functions in [`crate::table`]; a chain may override any field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GasParams {
    /// EXP: per byte of the exponent (10, 50 from EIP-160).
    pub exp_byte: u64,
    /// Memory: linear cost per word.
    pub memory_word: u64,
    /// Memory: divisor of the quadratic term.
    pub memory_quadratic_divisor: u64,
    /// Copy operations: per word copied.
    pub copy_word: u64,
    /// KECCAK256 and CREATE2: per word hashed.
    pub keccak_word: u64,
    /// LOG: per byte of data.
    pub log_data_byte: u64,
    /// LOG: per topic.
    pub log_topic: u64,
    /// CREATE/CREATE2: per word of init code (EIP-3860; 0 before Shanghai).
    pub initcode_word: u64,
    /// Whether CREATE checks the init code size limit (EIP-3860).
    pub limit_initcode_size: bool,
    /// Per byte of deployed code.
    pub code_deposit_byte: u64,
    /// CALL with value: transfer cost.
    pub call_value: u64,
    /// CALL with value: gas given to the callee for free.
    pub call_stipend: u64,
    /// CALL or SELFDESTRUCT creating an account.
    pub new_account: u64,
    /// EIP-150: a call gets at most all but one 64th of the gas left.
    pub call_all_but_one_64th: bool,
    /// EIP-161: a new account is charged only when value is sent to an empty account.
    pub new_account_only_with_value: bool,
    /// SELFDESTRUCT: whether it pays for the beneficiary's creation (EIP-150).
    pub selfdestruct_charges_new_account: bool,
    /// SELFDESTRUCT refund (24,000; 0 from EIP-3529).
    pub selfdestruct_refund: u64,
    /// EIP-2929: cost of the first access to an account (2,600; 0 before Berlin).
    pub cold_account_access: u64,
    /// EIP-2929: cost of the first access to a storage slot (2,100; 0 before Berlin).
    pub cold_sload: u64,
    /// EIP-2929: cost of a warm access (100; 0 before Berlin). Instructions whose static gas
    /// already is the warm cost pay only the difference when cold.
    pub warm_access: u64,
    /// SSTORE pricing rule.
    pub sstore_rule: SstoreRule,
    /// EIP-2200: SSTORE fails when no more than the stipend is left.
    pub sstore_sentry: bool,
    /// SSTORE cost when the value does not change the slot (net metering's "SLOAD_GAS").
    pub sstore_noop: u64,
    /// SSTORE from zero to non-zero.
    pub sstore_set: u64,
    /// SSTORE of any other change.
    pub sstore_reset: u64,
    /// Refund for clearing a slot.
    pub sstore_clears_refund: u64,
}

impl GasParams {
    /// Frontier's values.
    pub const FRONTIER: Self = Self {
        exp_byte: 10,
        memory_word: 3,
        memory_quadratic_divisor: 512,
        copy_word: 3,
        keccak_word: 6,
        log_data_byte: 8,
        log_topic: 375,
        initcode_word: 0,
        limit_initcode_size: false,
        code_deposit_byte: 200,
        call_value: 9000,
        call_stipend: 2300,
        new_account: 25000,
        call_all_but_one_64th: false,
        new_account_only_with_value: false,
        selfdestruct_charges_new_account: false,
        selfdestruct_refund: 24000,
        cold_account_access: 0,
        cold_sload: 0,
        warm_access: 0,
        sstore_rule: SstoreRule::Legacy,
        sstore_sentry: false,
        sstore_noop: 200,
        sstore_set: 20000,
        sstore_reset: 5000,
        sstore_clears_refund: 15000,
    };

    /// Total cost of `words` words of memory: linear plus quadratic, saturating.
    #[inline]
    pub fn memory_cost(&self, words: u64) -> u64 {
        // In 64 bits while the square fits (every memory gas can pay for): the 128-bit
        // division is a library call (about 5 of the ~100 instructions of growing memory by
        // a word, by callgrind on snailtracer).
        if let (Some(square), Some(linear)) =
            (words.checked_mul(words), words.checked_mul(self.memory_word))
        {
            // Every fork's divisor is 512: a shift, where a division by a value read at run
            // time is a hardware division of tens of cycles (callgrind counts it as one
            // instruction; perf put a fifth of snailtracer's memory growing on it).
            let divisor = self.memory_quadratic_divisor;
            let quadratic = if divisor.is_power_of_two() {
                square >> divisor.trailing_zeros()
            } else {
                square / divisor
            };
            return linear.saturating_add(quadratic);
        }
        let words = words as u128;
        let cost = words * self.memory_word as u128
            + words * words / self.memory_quadratic_divisor as u128;
        u64::try_from(cost).unwrap_or(u64::MAX)
    }

    /// Cost of copying `len` bytes (saturating).
    #[inline]
    pub fn copy_cost(&self, len: u64) -> u64 {
        num_words(len).saturating_mul(self.copy_word)
    }

    /// Cost of hashing `len` bytes (saturating).
    #[inline]
    pub fn keccak_cost(&self, len: u64) -> u64 {
        num_words(len).saturating_mul(self.keccak_word)
    }

    /// What a cold account access costs beyond the warm cost already in the static gas.
    #[inline]
    pub fn account_access_extra(&self, is_cold: bool) -> u64 {
        if is_cold { self.cold_account_access - self.warm_access } else { 0 }
    }

    /// What a cold slot read costs beyond the warm cost already in SLOAD's static gas.
    #[inline]
    pub fn sload_cold_extra(&self, is_cold: bool) -> u64 {
        if is_cold { self.cold_sload - self.warm_access } else { 0 }
    }

    /// Full cost of an account access no static gas covers (EIP-7702 delegate, SELFDESTRUCT
    /// beneficiary).
    #[inline]
    pub fn account_access(&self, is_cold: bool) -> u64 {
        if is_cold { self.cold_account_access } else { self.warm_access }
    }

    /// SSTORE cost and refund change for a write of `new` over `present`, with `original` the
    /// value at the start of the transaction.
    pub fn sstore(&self, original: &[u64; 4], present: &[u64; 4], new: &[u64; 4]) -> (u64, i64) {
        const ZERO: [u64; 4] = [0; 4];
        let clears = self.sstore_clears_refund as i64;
        match self.sstore_rule {
            SstoreRule::Legacy => {
                if *present == ZERO && *new != ZERO {
                    (self.sstore_set, 0)
                } else if *present != ZERO && *new == ZERO {
                    (self.sstore_reset, clears)
                } else {
                    (self.sstore_reset, 0)
                }
            }
            SstoreRule::NetMetering => {
                if present == new {
                    return (self.sstore_noop, 0);
                }
                if original == present {
                    if *original == ZERO {
                        return (self.sstore_set, 0);
                    }
                    let refund = if *new == ZERO { clears } else { 0 };
                    return (self.sstore_reset, refund);
                }
                // A slot already written in this transaction: cheap, refunds adjusted.
                let mut refund = 0;
                if *original != ZERO {
                    if *present == ZERO {
                        refund -= clears;
                    } else if *new == ZERO {
                        refund += clears;
                    }
                }
                if original == new {
                    let restored =
                        if *original == ZERO { self.sstore_set } else { self.sstore_reset };
                    refund += (restored - self.sstore_noop) as i64;
                }
                (self.sstore_noop, refund)
            }
        }
    }
}

impl Default for GasParams {
    fn default() -> Self {
        Self::FRONTIER
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(v: u64) -> [u64; 4] {
        [v, 0, 0, 0]
    }

    #[test]
    fn memory_cost_is_linear_plus_quadratic() {
        let params = GasParams::FRONTIER;
        assert_eq!(params.memory_cost(0), 0);
        assert_eq!(params.memory_cost(1), 3);
        // 1 KiB = 32 words: 96 + 1024/512
        assert_eq!(params.memory_cost(32), 98);
        // Yellow paper example: 724 words
        assert_eq!(params.memory_cost(724), 724 * 3 + 724 * 724 / 512);
        assert_eq!(params.memory_cost(u64::MAX), u64::MAX);
        // Both sides of the 64-bit square's limit: 2^32 - 1 words squares within 64 bits,
        // 2^32 words does not.
        let below = (1u64 << 32) - 1;
        assert_eq!(params.memory_cost(below), below * 3 + below * below / 512);
        assert_eq!(params.memory_cost(1 << 32), 3 * (1 << 32) + (1 << 55));
        // A chain's own divisor, a power of two or not: 724² = 524,176, and 524,176 / 1024
        // = 511.9, 524,176 / 500 = 1048.4, both rounded down.
        let chain = |divisor| GasParams { memory_quadratic_divisor: divisor, ..params };
        assert_eq!(chain(1024).memory_cost(724), 2172 + 511);
        assert_eq!(chain(500).memory_cost(724), 2172 + 1048);
    }

    #[test]
    fn expansion_is_charged_as_a_difference() {
        let params = GasParams::FRONTIER;
        let mut gas = Gas::new(1000);
        assert!(gas.record_memory_expansion(1, &params));
        assert_eq!(gas.remaining(), 997);
        assert!(gas.record_memory_expansion(1, &params));
        assert_eq!(gas.remaining(), 997);
        assert!(gas.record_memory_expansion(32, &params));
        assert_eq!(gas.remaining(), 1000 - 98);
        assert!(!gas.record_memory_expansion(1 << 40, &params));
        assert_eq!(gas.remaining(), 1000 - 98);
    }

    #[test]
    fn record_cost_never_underflows() {
        let mut gas = Gas::new(10);
        assert!(gas.record_cost(10));
        assert!(!gas.record_cost(1));
        assert_eq!(gas.spent(), 10);
        gas.erase_cost(4);
        assert_eq!(gas.remaining(), 4);
        gas.spend_all();
        assert_eq!(gas.remaining(), 0);
    }

    // EIP-2200's table (Istanbul values: SLOAD_GAS 800, reset 5000, clears 15000).
    #[test]
    fn eip2200_table() {
        let params = GasParams {
            sstore_rule: SstoreRule::NetMetering,
            sstore_noop: 800,
            ..GasParams::FRONTIER
        };
        let cases: [(u64, u64, u64, u64, i64); 9] = [
            // original, present, new, gas, refund
            (0, 0, 0, 800, 0),
            (0, 0, 1, 20000, 0),
            (1, 1, 0, 5000, 15000),
            (1, 1, 2, 5000, 0),
            (1, 1, 1, 800, 0),
            (1, 0, 1, 800, -15000 + 4200),
            (1, 2, 0, 800, 15000),
            (0, 1, 0, 800, 19200),
            (1, 2, 1, 800, 4200),
        ];
        for (original, present, new, gas, refund) in cases {
            assert_eq!(
                params.sstore(&word(original), &word(present), &word(new)),
                (gas, refund),
                "{original} {present} {new}"
            );
        }
    }

    #[test]
    fn legacy_sstore() {
        let params = GasParams::FRONTIER;
        assert_eq!(params.sstore(&word(0), &word(0), &word(1)), (20000, 0));
        assert_eq!(params.sstore(&word(0), &word(1), &word(0)), (5000, 15000));
        assert_eq!(params.sstore(&word(1), &word(1), &word(2)), (5000, 0));
        assert_eq!(params.sstore(&word(0), &word(0), &word(0)), (5000, 0));
    }
}
