//! Random but structured EVM scenarios, decoded from a byte string: a fork, a block, a small
//! pre-state (two key-owned accounts, three contracts, a coinbase) and a transaction of any of
//! the five types, with access lists, blob hashes, EIP-7702 authorizations signed by the
//! pre-state's keys, and fees.
//!
//! One decoder serves the proptest suite (`tests/tests/reliability_proptest.rs`, bytes from
//! proptest) and the fuzz targets (`fuzz/`, bytes from libFuzzer): the same bytes make the
//! same scenario everywhere, so an input the fuzzer finds replays as a test. Both include this
//! file with `#[path]`: the `lamina-tests` library has no dependencies of its own, and the
//! fuzz crate is outside the workspace.
//!
//! Decoding never fails: past the end of the input every read is zero and rare choices are
//! not taken. Choices are biased towards the values that matter
//! (a correct nonce, a fee at the base fee, a slot that exists) so that most transactions are
//! valid and run code, while every invalid variant stays reachable.

use alloy_rlp::Encodable;
use lamina_bytecode::{Bytecode, opcode::*};
use lamina_context::{BlockEnv, CfgEnv, Context, TxEnv};
use lamina_context_interface::{
    AccessListItem, Authorization, BlobExcessGasAndPrice, BlobParams, EVMError, ExecutionResult,
    ResultAndState, SignedAuthorization, TxKind,
};
use lamina_database::{AccountState, InMemoryDB};
use lamina_handler::{Evm, ExecuteCommitEvm, ExecuteEvm, MainBuilder};
use lamina_primitives::{
    Address, B256, Bytes, KECCAK_EMPTY, SpecId, U256, address, alloy_primitives::U512, eip4844,
    eip7702, keccak256,
};
use lamina_state::AccountInfo;
use std::{collections::BTreeMap, sync::OnceLock};

/// Reads choices from a byte string; zeros once it is used up.
#[derive(Clone, Debug)]
pub struct Entropy<'a> {
    data: &'a [u8],
}

impl<'a> Entropy<'a> {
    /// Choices read from `data`.
    pub fn new(data: &'a [u8]) -> Self {
        Self { data }
    }

    /// The next byte.
    pub fn byte(&mut self) -> u8 {
        match self.data.split_first() {
            Some((&byte, rest)) => {
                self.data = rest;
                byte
            }
            None => 0,
        }
    }

    fn array<const N: usize>(&mut self) -> [u8; N] {
        let mut out = [0u8; N];
        out.iter_mut().for_each(|b| *b = self.byte());
        out
    }

    /// The next 8 bytes, little-endian.
    pub fn u64(&mut self) -> u64 {
        u64::from_le_bytes(self.array())
    }

    /// The next 4 bytes, little-endian.
    pub fn u32(&mut self) -> u32 {
        u32::from_le_bytes(self.array())
    }

    /// A number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        match n {
            0 | 1 => 0,
            2..=256 => self.byte() as usize % n,
            _ => self.u32() as usize % n,
        }
    }

    /// True with probability about 1/`n`; false once the input is used up.
    pub fn rare(&mut self, n: u8) -> bool {
        let n = n.max(2);
        self.byte() % n == n - 1
    }

    /// True or false, evenly; false once the input is used up.
    pub fn coin(&mut self) -> bool {
        self.byte() & 1 == 1
    }

    /// One of `items`.
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// Up to `max` bytes.
    pub fn bytes(&mut self, max: usize) -> Vec<u8> {
        let len = self.below(max + 1);
        (0..len).map(|_| self.byte()).collect()
    }

    /// The next bytes, up to a length read first (at most `max`), as choices of their own: a
    /// program decoded from them cannot starve what follows of input, and a mutation inside
    /// it does not shift what follows.
    pub fn split(&mut self, max: usize) -> Entropy<'a> {
        let len = self.below(max + 1).min(self.data.len());
        let (part, rest) = self.data.split_at(len);
        self.data = rest;
        Entropy::new(part)
    }

    /// A 32-byte word.
    pub fn b256(&mut self) -> B256 {
        B256::new(self.array())
    }

    /// A word biased towards the values that decide branches: zero, small numbers, one byte
    /// of each edge, and now and then anything.
    pub fn value(&mut self) -> U256 {
        match self.below(8) {
            0 => U256::ZERO,
            1..=3 => U256::from(self.byte()),
            4 => U256::from(self.u64()),
            5 => U256::MAX - U256::from(self.byte()),
            6 => U256::from(1) << self.byte(),
            _ => self.b256().into(),
        }
    }
}

/// Private keys of the two externally owned accounts, so that EIP-7702 authorizations can be
/// signed for real. Any scalar below the curve order will do.
pub const KEYS: [[u8; 32]; 2] = [[0x11; 32], [0x22; 32]];

/// The three contract accounts of the pre-state.
pub const CONTRACTS: [Address; 3] = [
    address!("00000000000000000000000000000000000c0001"),
    address!("00000000000000000000000000000000000c0002"),
    address!("00000000000000000000000000000000000c0003"),
];

/// The coinbase, when the block does not pay one of the pre-state accounts.
pub const BENEFICIARY: Address = address!("00000000000000000000000000000000c0c0c0c0");

/// An address that never exists in the pre-state.
pub const ABSENT: Address = address!("000000000000000000000000000000000000dead");

/// The chain id every scenario runs on.
pub const CHAIN_ID: u64 = 1;

fn secp() -> &'static secp256k1::Secp256k1<secp256k1::All> {
    static SECP: OnceLock<secp256k1::Secp256k1<secp256k1::All>> = OnceLock::new();
    SECP.get_or_init(secp256k1::Secp256k1::new)
}

fn secret_key(key: usize) -> secp256k1::SecretKey {
    secp256k1::SecretKey::from_byte_array(KEYS[key]).expect("the keys are valid scalars")
}

/// The address of key `key`: the last 20 bytes of keccak256 of the uncompressed public key.
pub fn signer(key: usize) -> Address {
    static SIGNERS: OnceLock<[Address; 2]> = OnceLock::new();
    SIGNERS.get_or_init(|| {
        [0, 1].map(|key| {
            let public = secp256k1::PublicKey::from_secret_key(secp(), &secret_key(key));
            Address::from_slice(&keccak256(&public.serialize_uncompressed()[1..])[12..])
        })
    })[key]
}

/// What an EIP-7702 authority signs: keccak256(0x05 ‖ rlp([chain_id, address, nonce])).
pub fn authorization_digest(inner: &Authorization) -> B256 {
    let payload_length = inner.chain_id.length() + inner.address.length() + inner.nonce.length();
    let mut message = vec![eip7702::MAGIC];
    alloy_rlp::Header { list: true, payload_length }.encode(&mut message);
    inner.chain_id.encode(&mut message);
    inner.address.encode(&mut message);
    inner.nonce.encode(&mut message);
    keccak256(&message)
}

/// Signs an EIP-7702 authorization with key `key`.
pub fn sign_authorization(key: usize, inner: Authorization) -> SignedAuthorization {
    let digest = secp256k1::Message::from_digest(authorization_digest(&inner).0);
    let (recovery_id, compact) =
        secp().sign_ecdsa_recoverable(digest, &secret_key(key)).serialize_compact();
    SignedAuthorization {
        inner,
        y_parity: U256::from(i32::from(recovery_id) as u8),
        r: U256::from_be_slice(&compact[..32]),
        s: U256::from_be_slice(&compact[32..]),
    }
}

/// An account of the pre-state, in plain values (the differential target builds revm's
/// database from the same list).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PreAccount {
    /// Address.
    pub address: Address,
    /// Balance.
    pub balance: U256,
    /// Nonce.
    pub nonce: u64,
    /// Runtime code (empty for none).
    pub code: Bytes,
    /// Storage slots.
    pub storage: Vec<(U256, U256)>,
}

/// A fork, a block, a pre-state and a transaction.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// The fork.
    pub spec: SpecId,
    /// The block.
    pub block: BlockEnv,
    /// Mainnet configuration at `spec`.
    pub cfg: CfgEnv,
    /// The accounts that exist before the transaction.
    pub accounts: Vec<PreAccount>,
    /// The transaction.
    pub tx: TxEnv,
}

impl Scenario {
    /// Decodes a scenario; any input gives one.
    pub fn generate(e: &mut Entropy<'_>) -> Self {
        // The fork comes first so that a fuzzer mutating the first byte moves one scenario
        // across forks.
        let spec = SpecId::ALL[SpecId::ALL.len() - 1 - e.below(SpecId::ALL.len())];
        let block = block(e, spec);
        let accounts = pre_state(e, block.beneficiary);
        let tx = transaction(e, &accounts, &block);
        Self { spec, block, cfg: CfgEnv::new_with_spec(spec).with_chain_id(CHAIN_ID), accounts, tx }
    }

    /// The pre-state as an in-memory database.
    pub fn database(&self) -> InMemoryDB {
        let mut db = InMemoryDB::default();
        for account in &self.accounts {
            let mut info = AccountInfo::from_balance(account.balance).with_nonce(account.nonce);
            if !account.code.is_empty() {
                info = info.with_code(Bytecode::new_raw(account.code.clone()));
            }
            db.insert_account_info(account.address, info);
            for &(key, value) in &account.storage {
                // `InMemoryDB` is over `EmptyDB`, whose error type is `Infallible`.
                let Ok(()) = db.insert_account_storage(account.address, key, value);
            }
        }
        db
    }

    /// Lamina's mainnet EVM over the pre-state, with the block and configuration set (the
    /// transaction is passed to `transact`).
    pub fn evm(&self) -> Evm<Context<BlockEnv, TxEnv, CfgEnv, InMemoryDB>> {
        Context::new(self.database(), self.spec)
            .with_block(self.block.clone())
            .with_cfg(self.cfg.clone())
            .build_mainnet()
    }
}

impl Scenario {
    /// Runs the transaction and checks what any outcome must satisfy, whatever the code:
    ///
    /// - it ends in a result or in a transaction or header error (a `Custom` error means the
    ///   handler lost track of something), and running it again on the same EVM, nothing
    ///   committed, gives the same outcome (nothing left over from the first run, such as
    ///   memory, stacks, warm sets or a pending error, may change it);
    /// - a result uses no more gas than the limit; the gas spent before the refund covers
    ///   the 21,000 base cost; the refund is within its cap; the sender's nonce goes up; and
    ///   ether is conserved but for what the fee rules burn (see `check_ether`);
    /// - an invalid transaction leaves the journal empty and the state as it was.
    pub fn check(&self) -> Result<(), String> {
        let mut evm = self.evm();
        let before = world(&evm.ctx.journaled_state.database);
        let outcome = evm.transact(self.tx.clone());
        let again = evm.transact(self.tx.clone());
        if outcome != again {
            return Err(format!("a second run differs: {outcome:?} then {again:?}"));
        }
        match outcome {
            Ok(ResultAndState { result, state }) => {
                let gas_used = result.gas_used();
                let refunded = match result {
                    ExecutionResult::Success { gas_refunded, .. } => gas_refunded,
                    _ => 0,
                };
                if gas_used > self.tx.gas_limit {
                    return Err(format!("{result:?} over the gas limit"));
                }
                if gas_used + refunded < 21_000 {
                    return Err(format!("{result:?} spent less than the base cost"));
                }
                // A fifth of the gas spent from London (EIP-3529), a half before:
                // refund ≤ (used + refund) / 5 is 4·refund ≤ used.
                let quotient = if self.spec.is_enabled_in(SpecId::LONDON) { 4 } else { 1 };
                if refunded > gas_used / quotient {
                    return Err(format!("{result:?}: refund over the cap"));
                }
                // An account destroyed by SELFDESTRUCT (not an empty one cleared by EIP-161).
                let destroyed = state.values().any(|account| {
                    account.is_selfdestructed()
                        && (!account.is_empty()
                            || !self.spec.is_enabled_in(SpecId::SPURIOUS_DRAGON))
                });
                evm.commit(state);
                let after = world(&evm.ctx.journaled_state.database);
                let nonce = |world: &BTreeMap<Address, WorldAccount>| {
                    world.get(&self.tx.caller).map_or(0, |account| account.nonce)
                };
                if nonce(&after) <= nonce(&before) {
                    return Err(format!("{result:?}: the sender's nonce did not go up"));
                }
                self.check_ether(gas_used, &before, &after, destroyed)
            }
            Err(EVMError::Transaction(_) | EVMError::Header(_)) => {
                if !evm.ctx.journaled_state.state.is_empty() {
                    return Err("an invalid transaction left the journal full".into());
                }
                let after = world(&evm.ctx.journaled_state.database);
                if before != after {
                    return Err(format!("an invalid transaction changed the state: {after:?}"));
                }
                Ok(())
            }
            Err(EVMError::Database(never)) => match never {},
            Err(EVMError::Custom(message)) => Err(format!("internal error: {message}")),
        }
    }

    /// Ether is neither created nor lost, except what the fee rules burn: the base fee from
    /// London (EIP-1559) and the blob fee of a blob transaction (EIP-4844, type 3 only). A
    /// SELFDESTRUCT to itself, or an account destroyed after receiving ether, burns too:
    /// with one, ether may only go down. Skipped when the balances add up to more than a
    /// U256 holds, where a credit could saturate (mainnet's supply is far below that).
    fn check_ether(
        &self,
        gas_used: u64,
        before: &BTreeMap<Address, WorldAccount>,
        after: &BTreeMap<Address, WorldAccount>,
        destroyed: bool,
    ) -> Result<(), String> {
        let total = |world: &BTreeMap<Address, WorldAccount>| {
            world.values().fold(U512::ZERO, |sum, account| sum + U512::from(account.balance))
        };
        let (before_total, after_total) = (total(before), total(after));
        if before_total > U512::from(U256::MAX) {
            return Ok(());
        }
        let mut burned = U512::ZERO;
        if self.spec.is_enabled_in(SpecId::LONDON) {
            burned += U512::from(self.block.basefee) * U512::from(gas_used);
        }
        if self.spec.is_enabled_in(SpecId::CANCUN) && self.tx.tx_type == 3 {
            let price = self.block.blob_excess_gas_and_price.map_or(0, |b| b.blob_gasprice);
            let blob_gas = eip4844::GAS_PER_BLOB * self.tx.blob_hashes.len() as u64;
            burned += U512::from(price) * U512::from(blob_gas);
        }
        let conserved = after_total + burned == before_total;
        let lost = after_total + burned < before_total;
        if conserved || (destroyed && lost) {
            Ok(())
        } else {
            Err(format!("ether before {before_total}, after {after_total}, burned {burned}"))
        }
    }
}

/// An account as the state defines it: what survives any cache or representation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WorldAccount {
    /// Nonce.
    pub nonce: u64,
    /// Balance.
    pub balance: U256,
    /// Code hash (`KECCAK_EMPTY` for none).
    pub code_hash: B256,
    /// Non-zero storage slots.
    pub storage: BTreeMap<U256, U256>,
}

/// The world state held by an in-memory database: every account that exists, with its
/// non-zero slots. Reads fill `CacheDB`'s cache with absent accounts and zero slots; this view
/// ignores them, so two databases holding the same state compare equal.
pub fn world(db: &InMemoryDB) -> BTreeMap<Address, WorldAccount> {
    db.accounts
        .iter()
        .filter(|(_, account)| account.state != AccountState::NotExisting)
        .map(|(address, account)| {
            let code_hash = match account.info.code_hash() {
                B256::ZERO => KECCAK_EMPTY,
                hash => hash,
            };
            let storage =
                account.storage.iter().filter(|(_, v)| !v.is_zero()).map(|(k, v)| (*k, *v));
            let account = WorldAccount {
                nonce: account.info.nonce,
                balance: account.info.balance,
                code_hash,
                storage: storage.collect(),
            };
            (*address, account)
        })
        .collect()
}

fn block(e: &mut Entropy<'_>, spec: SpecId) -> BlockEnv {
    let mut block = BlockEnv {
        number: U256::from(e.below(300)),
        beneficiary: match e.below(8) {
            6 => signer(0),
            7 => Address::ZERO,
            _ => BENEFICIARY,
        },
        timestamp: U256::from(1 + e.u32()),
        gas_limit: match e.below(16) {
            // revm's and the benchmarks' default: no block limit in effect.
            14 => u64::MAX,
            15 => e.u32() as u64,
            _ => 30_000_000,
        },
        basefee: match e.below(5) {
            0 | 1 => 0,
            2 => 7,
            3 => 1_000_000_000,
            _ => e.u32() as u64,
        },
        difficulty: e.value(),
        prevrandao: (!e.rare(64)).then(|| e.b256()),
        blob_excess_gas_and_price: None,
    };
    if !e.rare(64) {
        let excess = match e.below(4) {
            0 | 1 => 0,
            // Enough to lift the blob base fee well above its minimum of 1.
            2 => 10_000_000 + e.u32() as u64 % 100_000_000,
            _ => e.u64(),
        };
        let fraction = BlobParams::for_spec(spec).update_fraction;
        block.blob_excess_gas_and_price = Some(BlobExcessGasAndPrice::new(excess, fraction));
    }
    block
}

fn pre_state(e: &mut Entropy<'_>, coinbase: Address) -> Vec<PreAccount> {
    let mut accounts = Vec::new();
    for key in 0..KEYS.len() {
        let code = match e.below(16) {
            // An account delegated by EIP-7702 (runs its delegate's code from Prague).
            14 => delegation(target(e)),
            // A sender with code (EIP-3607 rejects it).
            15 => program(&mut e.split(255), 1),
            _ => Vec::new(),
        };
        let balance = match e.below(8) {
            5 => U256::ZERO,
            6 => U256::from(e.u32()),
            // Near the top: value transfers into it overflow.
            7 => U256::MAX - U256::from(e.u32()),
            _ => U256::from(10u64).pow(U256::from(18)) * U256::from(1 + e.below(100)),
        };
        let nonce = match e.below(16) {
            14 => u64::MAX,
            15 => u64::MAX - 1,
            11..=13 => 1 + e.below(4) as u64,
            _ => 0,
        };
        accounts.push(PreAccount {
            address: signer(key),
            balance,
            nonce,
            code: code.into(),
            storage: Vec::new(),
        });
    }
    for address in CONTRACTS {
        if e.rare(10) {
            continue;
        }
        let slots = e.below(4);
        let storage = (0..slots).map(|_| (U256::from(e.below(4)), e.value())).collect();
        accounts.push(PreAccount {
            address,
            balance: U256::from(e.u32()),
            nonce: e.below(2) as u64,
            code: code(&mut e.split(255)).into(),
            storage,
        });
    }
    if coinbase == BENEFICIARY && e.rare(4) {
        accounts.push(PreAccount {
            address: BENEFICIARY,
            balance: U256::from(e.u64()),
            nonce: 0,
            code: Bytes::new(),
            storage: Vec::new(),
        });
    }
    accounts
}

/// An address a call, a balance query or an access list may name.
fn target(e: &mut Entropy<'_>) -> Address {
    match e.below(12) {
        0..=4 => CONTRACTS[e.below(3)],
        5 | 6 => signer(e.below(2)),
        // Every precompile of every fork, and the first address past them.
        7 | 8 => Address::with_last_byte(1 + e.below(0x12) as u8),
        9 => address!("0000000000000000000000000000000000000100"),
        10 => ABSENT,
        _ => BENEFICIARY,
    }
}

fn delegation(to: Address) -> Vec<u8> {
    [&eip7702::DELEGATION_PREFIX[..], to.as_slice()].concat()
}

/// Runtime code: mostly a generated program, sometimes raw bytes or a delegation designator
/// (which a contract cannot have, but a database can hold).
fn code(e: &mut Entropy<'_>) -> Vec<u8> {
    match e.below(10) {
        7 => Vec::new(),
        8 => e.bytes(48),
        9 => delegation(target(e)),
        _ => program(e, 2),
    }
}

/// EVM code built instruction by instruction.
#[derive(Default)]
struct Asm(Vec<u8>);

impl Asm {
    fn op(&mut self, op: u8) -> &mut Self {
        self.0.push(op);
        self
    }

    /// The shortest PUSH of `value` that every fork has (PUSH1 0 rather than PUSH0).
    fn push(&mut self, value: U256) -> &mut Self {
        let bytes = value.to_be_bytes::<32>();
        let skip = bytes.iter().take_while(|&&b| b == 0).count().min(31);
        self.0.push(PUSH1 + (31 - skip) as u8);
        self.0.extend_from_slice(&bytes[skip..]);
        self
    }

    fn take(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.0)
    }

    fn push_u(&mut self, value: u64) -> &mut Self {
        self.push(U256::from(value))
    }

    fn push_address(&mut self, address: Address) -> &mut Self {
        self.op(PUSH20);
        self.0.extend_from_slice(address.as_slice());
        self
    }

    /// Writes `data` to memory at `offset`, a word at a time.
    fn store(&mut self, offset: u64, data: &[u8]) -> &mut Self {
        for (i, chunk) in data.chunks(32).enumerate() {
            let mut word = [0u8; 32];
            word[..chunk.len()].copy_from_slice(chunk);
            self.push(U256::from_be_bytes(word)).push_u(offset + 32 * i as u64).op(MSTORE);
        }
        self
    }
}

/// A memory offset: mostly small, sometimes far enough to cost a lot of gas or to be
/// unpayable.
fn offset(e: &mut Entropy<'_>) -> U256 {
    match e.below(16) {
        13 => U256::from(e.u32() as u64 % 0x10_0000),
        14 => U256::from(1u64 << 32),
        15 => U256::MAX,
        _ => U256::from(e.below(96)),
    }
}

fn length(e: &mut Entropy<'_>) -> U256 {
    match e.below(16) {
        14 => U256::from(e.u32() as u64 % 0x10_0000),
        15 => U256::MAX,
        _ => U256::from(e.below(80)),
    }
}

/// A program of random snippets. `depth` bounds nesting: init code inside a program is a
/// program of depth − 1.
fn program(e: &mut Entropy<'_>, depth: u8) -> Vec<u8> {
    let mut asm = Asm::default();
    for _ in 0..1 + e.below(10) {
        snippet(e, &mut asm, depth);
    }
    match e.below(8) {
        0 => {
            let (len, at) = (length(e), offset(e));
            asm.push(len).push(at).op(RETURN);
        }
        1 => {
            let (len, at) = (length(e), offset(e));
            asm.push(len).push(at).op(REVERT);
        }
        2 => {
            asm.op(e.byte());
        }
        _ => {
            asm.op(STOP);
        }
    }
    asm.0
}

fn snippet(e: &mut Entropy<'_>, asm: &mut Asm, depth: u8) {
    match e.below(20) {
        0 => {
            let op = e.pick(&[
                ADD, MUL, SUB, DIV, SDIV, MOD, SMOD, EXP, SIGNEXTEND, LT, GT, SLT, SGT, EQ, AND,
                OR, XOR, BYTE, SHL, SHR, SAR, CLZ, ADDMOD, MULMOD,
            ]);
            let operands = if matches!(op, ADDMOD | MULMOD) { 3 } else { 2 };
            for _ in 0..operands {
                asm.push(e.value());
            }
            asm.op(op).op(POP);
        }
        1 | 2 => {
            asm.push(e.value()).push_u(e.below(4) as u64).op(SSTORE);
        }
        3 => {
            asm.push_u(e.below(4) as u64).op(SLOAD).op(POP);
        }
        4 => {
            let op = e.pick(&[TSTORE, TLOAD]);
            if op == TSTORE {
                asm.push(e.value());
            }
            asm.push_u(e.below(4) as u64).op(op);
            if op == TLOAD {
                asm.op(POP);
            }
        }
        5 => {
            match e.below(4) {
                0 => asm.push(e.value()).push(offset(e)).op(MSTORE),
                1 => asm.push(e.value()).push(offset(e)).op(MSTORE8),
                2 => asm.push(offset(e)).op(MLOAD).op(POP),
                _ => asm.push(length(e)).push(offset(e)).push(offset(e)).op(MCOPY),
            };
        }
        6..=8 => call(e, asm),
        9 if depth > 0 => {
            let init = init_code(e, depth - 1);
            let value = if e.rare(4) { U256::from(1) } else { U256::ZERO };
            asm.store(0, &init);
            if e.coin() {
                asm.push_u(init.len() as u64).push_u(0).push(value).op(CREATE);
            } else {
                asm.push(e.value()).push_u(init.len() as u64).push_u(0).push(value).op(CREATE2);
            }
            if e.coin() {
                asm.op(POP);
            }
        }
        10 => {
            let topics = e.below(5);
            for _ in 0..topics {
                asm.push(e.value());
            }
            asm.push(length(e)).push(offset(e)).op(LOG0 + topics as u8);
        }
        11 => {
            let op = e.pick(&[BALANCE, EXTCODESIZE, EXTCODEHASH]);
            asm.push_address(target(e)).op(op).op(POP);
        }
        12 => {
            asm.push(length(e)).push_u(e.below(8) as u64).push(offset(e));
            asm.push_address(target(e)).op(EXTCODECOPY);
        }
        13 => {
            let op = e.pick(&[
                ADDRESS,
                ORIGIN,
                CALLER,
                CALLVALUE,
                CALLDATASIZE,
                GASPRICE,
                COINBASE,
                TIMESTAMP,
                NUMBER,
                DIFFICULTY,
                GASLIMIT,
                CHAINID,
                SELFBALANCE,
                BASEFEE,
                BLOBBASEFEE,
                GAS,
                MSIZE,
                CODESIZE,
                RETURNDATASIZE,
                PC,
                PUSH0,
            ]);
            asm.op(op).op(POP);
        }
        14 => {
            match e.below(3) {
                0 => asm.push_u(e.below(80) as u64).op(CALLDATALOAD).op(POP),
                1 => {
                    asm.push(length(e)).push_u(e.below(80) as u64).push(offset(e)).op(CALLDATACOPY)
                }
                _ => asm.push(length(e)).push_u(e.below(80) as u64).push(offset(e)).op(CODECOPY),
            };
        }
        15 => {
            match e.below(3) {
                // BLOCKHASH of one of the last 256 blocks, or of one just outside them.
                0 => asm.op(NUMBER).push_u(e.below(260) as u64).op(SWAP1).op(SUB).op(BLOCKHASH),
                1 => asm.push_u(e.below(8) as u64).op(BLOBHASH),
                _ => asm.push(length(e)).push(offset(e)).op(KECCAK256),
            };
            asm.op(POP);
        }
        16 if e.rare(3) => {
            asm.push_address(target(e)).op(SELFDESTRUCT);
        }
        17 => {
            // A counted loop: PUSH n; JUMPDEST; PUSH 1; SWAP1; SUB; DUP1; PUSH start; JUMPI; POP.
            asm.push_u(1 + e.below(40) as u64);
            let start = asm.0.len() as u64;
            asm.op(JUMPDEST).push_u(1).op(SWAP1).op(SUB).op(DUP1).push_u(start).op(JUMPI).op(POP);
        }
        18 => {
            // RETURNDATACOPY inside or past the last call's return data.
            asm.push(length(e)).push_u(e.below(40) as u64).push(offset(e)).op(RETURNDATACOPY);
        }
        _ => {
            // Any byte, after enough operands for most opcodes.
            for _ in 0..e.below(4) {
                asm.push(e.value());
            }
            asm.op(e.byte());
        }
    }
}

fn call(e: &mut Entropy<'_>, asm: &mut Asm) {
    let op = e.pick(&[CALL, CALL, CALLCODE, DELEGATECALL, STATICCALL]);
    if e.coin() {
        asm.store(0, &e.bytes(64));
    }
    let (ret_len, ret_at) = (e.below(64) as u64, e.below(64) as u64);
    let (args_len, args_at) = (length(e), offset(e));
    asm.push_u(ret_len).push_u(ret_at).push(args_len).push(args_at);
    if matches!(op, CALL | CALLCODE) {
        let value = match e.below(4) {
            0 => U256::from(1),
            1 => e.value(),
            _ => U256::ZERO,
        };
        asm.push(value);
    }
    asm.push_address(target(e));
    match e.below(4) {
        0 => asm.push_u(e.below(30_000) as u64),
        1 => asm.push(e.value()),
        _ => asm.op(GAS),
    };
    asm.op(op);
    if e.coin() {
        asm.op(POP);
    }
}

/// Init code: one that deploys a runtime, one that deploys what EIP-3541 or EIP-170 forbid,
/// one that reverts, or a program.
fn init_code(e: &mut Entropy<'_>, depth: u8) -> Vec<u8> {
    match e.below(8) {
        0 => Vec::new(),
        1 | 2 => {
            let runtime = if e.coin() { program(e, 0) } else { e.bytes(24) };
            deployer(&runtime)
        }
        // Runtime starting with 0xEF: rejected from London (EIP-3541).
        3 => {
            let mut asm = Asm::default();
            asm.push_u(0xef).push_u(0).op(MSTORE8).push_u(1 + e.below(3) as u64).push_u(0);
            asm.op(RETURN).take()
        }
        // One byte over EIP-170's limit, or right at it.
        4 => {
            let len = 0x6000 + e.below(2) as u64;
            Asm::default().push_u(len).push_u(0).op(RETURN).take()
        }
        5 => {
            let len = e.below(40) as u64;
            Asm::default().push_u(len).push_u(0).op(REVERT).take()
        }
        6 => e.bytes(32),
        _ => program(e, depth),
    }
}

/// Init code that returns `runtime`: PUSH len; DUP1; PUSH start; PUSH 0; CODECOPY; PUSH 0;
/// RETURN; runtime.
pub fn deployer(runtime: &[u8]) -> Vec<u8> {
    // PUSH2 len (3) + DUP1 (1) + PUSH1 start (2) + PUSH1 0 (2) + CODECOPY (1) + PUSH1 0 (2)
    // + RETURN (1).
    const HEADER: u8 = 12;
    let len = (runtime.len() as u16).to_be_bytes();
    let mut code = vec![PUSH2, len[0], len[1], DUP1, PUSH1, HEADER, PUSH1, 0, CODECOPY];
    code.extend_from_slice(&[PUSH1, 0, RETURN]);
    code.extend_from_slice(runtime);
    code
}

fn transaction(e: &mut Entropy<'_>, accounts: &[PreAccount], block: &BlockEnv) -> TxEnv {
    // Every choice lists the common, valid case first (index 0 is what used-up input picks).
    let tx_type = match e.below(32) {
        0..=8 => 0,
        9..=13 => 1,
        14..=20 => 2,
        21..=25 => 3,
        26..=30 => 4,
        // A type no fork knows.
        _ => 5 + e.byte() % 0x7b,
    };
    let caller = match e.below(16) {
        0..=10 => signer(0),
        11..=14 => signer(1),
        _ => target(e),
    };
    let state_nonce = |address: Address| {
        accounts.iter().find(|a| a.address == address).map_or(0, |account| account.nonce)
    };
    let balance = accounts.iter().find(|a| a.address == caller).map_or(U256::ZERO, |a| a.balance);
    let kind = if tx_type < 3 && e.rare(5) {
        TxKind::Create
    } else if e.rare(4) {
        TxKind::Call(target(e))
    } else {
        TxKind::Call(CONTRACTS[e.below(3)])
    };
    let data: Bytes = match kind {
        TxKind::Create => init_code(&mut e.split(255), 2).into(),
        TxKind::Call(_) => e.bytes(80).into(),
    };
    let basefee = block.basefee as u128;
    let gas_price = match e.below(10) {
        0..=5 => basefee + e.below(3) as u128,
        6 => 0,
        7 => basefee.saturating_sub(1),
        8 => u128::from(e.u64()),
        _ => u128::MAX - u128::from(e.byte()),
    };
    let gas_priority_fee = (tx_type >= 2).then(|| match e.below(6) {
        0..=3 => (e.below(3) as u128).min(gas_price),
        4 => gas_price,
        _ => gas_price.saturating_add(1),
    });
    let value = match e.below(8) {
        0..=4 => U256::ZERO,
        5 => U256::from(1),
        6 => e.value(),
        _ => balance,
    };
    let nonce = match e.below(16) {
        0..=12 => state_nonce(caller),
        13 => state_nonce(caller).wrapping_add(1),
        14 => state_nonce(caller).wrapping_sub(1),
        _ => e.u64(),
    };
    let chain_id = match e.below(16) {
        0..=13 => Some(CHAIN_ID),
        14 => None,
        _ => Some(e.u64()),
    };
    let access_list = if tx_type >= 1 || e.rare(8) {
        (0..e.below(4))
            .map(|_| AccessListItem {
                address: target(e),
                storage_keys: (0..e.below(4)).map(|_| B256::with_last_byte(e.byte() % 5)).collect(),
            })
            .collect()
    } else {
        Vec::new()
    };
    let (blob_hashes, max_fee_per_blob_gas) = if tx_type == 3 || e.rare(16) {
        let hashes = (0..1 + e.below(10))
            .map(|_| {
                let mut hash = e.b256();
                hash[0] = if e.rare(16) { 0 } else { eip4844::VERSIONED_HASH_VERSION_KZG };
                hash
            })
            .collect();
        let price = block.blob_excess_gas_and_price.map_or(1, |b| b.blob_gasprice);
        let fee = match e.below(4) {
            0 | 1 => price,
            2 => price.saturating_sub(1),
            _ => u128::from(e.u64()),
        };
        (hashes, fee)
    } else {
        (Vec::new(), 0)
    };
    let authorization_list = if tx_type == 4 || e.rare(16) {
        // The caller's nonce is bumped before authorizations apply, so an authority that
        // is the caller needs the next nonce.
        (0..1 + e.below(3))
            .map(|_| {
                let key = e.below(2);
                let authority = signer(key);
                let expected = state_nonce(authority)
                    .wrapping_add(u64::from(authority == caller && kind != TxKind::Create));
                let inner = Authorization {
                    chain_id: match e.below(6) {
                        0..=3 => U256::from(CHAIN_ID),
                        4 => U256::ZERO,
                        _ => U256::from(e.u64()),
                    },
                    address: if e.rare(8) { Address::ZERO } else { target(e) },
                    nonce: if e.rare(8) { e.u64() } else { expected },
                };
                let mut signed = sign_authorization(key, inner);
                match e.below(16) {
                    13 => signed.y_parity = U256::from(2 + e.below(2)),
                    // The malleable twin of a valid signature (EIP-2 forbids s > n/2).
                    14 => signed.s = SECP256K1_ORDER - signed.s,
                    15 => signed.r = e.value(),
                    _ => {}
                }
                signed
            })
            .collect()
    } else {
        Vec::new()
    };
    let gas_limit = match e.below(10) {
        // Room for the intrinsic cost of the longest data, access list and authorization
        // list generated here, and for running code.
        0..=5 => 150_000 + e.u32() as u64 % 2_000_000,
        6 => e.below(60_000) as u64,
        // Just past EIP-7825's cap, and just past the block's limit.
        7 => (1 << 24) + e.below(2) as u64,
        8 => block.gas_limit.saturating_add(1),
        _ => e.u64(),
    };
    // A limit past 2^26 only on a transaction that runs no code: it probes the u64 arithmetic
    // of validation, fees and refunds, where a program that loops would run for 2^64 gas.
    let (kind, data) =
        if gas_limit > 1 << 26 { (TxKind::Call(ABSENT), Bytes::new()) } else { (kind, data) };
    TxEnv {
        tx_type,
        caller,
        gas_limit,
        gas_price,
        kind,
        value,
        data,
        nonce,
        chain_id,
        access_list,
        gas_priority_fee,
        blob_hashes,
        max_fee_per_blob_gas,
        authorization_list,
    }
}

/// The order n of secp256k1's group.
const SECP256K1_ORDER: U256 = lamina_primitives::uint!(
    0xFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141_U256
);
