//! Fault injection and resource limits.
//!
//! - A database that fails on its Nth call, for every N a realistic transaction reaches (an
//!   ERC-20 transfer, a contract creation, a chain of calls), on several forks: the error
//!   comes back as `EVMError::Database` carrying that very failure, the journal is emptied,
//!   nothing reaches the database, and the same EVM, its database healed, then runs the
//!   transaction exactly as if nothing had happened.
//! - Memory: a transaction growing memory past `CfgEnv::memory_limit` halts with
//!   `OutOfGas(MemoryLimit)`, and the heap never holds more than the limit for it.
//! - Depth: a 1,024-deep CREATE chain and a self-recursive contract, on a 1 MiB native stack,
//!   reach exactly the depth the call-depth limit and the 63/64 rule (EIP-150) allow.

#[path = "../src/reliability/failing_db.rs"]
mod failing_db;
#[allow(dead_code)] // the proptest suite and the fuzz crate use the rest
#[path = "../src/reliability/scenario.rs"]
mod scenario;

use failing_db::{FailingDb, FaultError};
use lamina_bytecode::{Bytecode, opcode::*};
use lamina_context::{BlockEnv, CfgEnv, Context, TxEnv};
use lamina_context_interface::{
    EVMError, ExecutionResult, HaltReason, OutOfGasError, Output, SuccessReason,
};
use lamina_database::InMemoryDB;
use lamina_handler::{ExecuteCommitEvm, ExecuteEvm, MainBuilder};
use lamina_primitives::{Address, B256, Bytes, SpecId, U256, address, hex, keccak256};
use lamina_state::AccountInfo;
use scenario::{deployer, world};
use std::{
    alloc::{GlobalAlloc, Layout, System},
    cell::Cell,
};

const ETHER: u64 = 1_000_000_000_000_000_000;

/// One transaction on one pre-state, with a check of its outcome from the EVM rules.
struct Case {
    name: &'static str,
    spec: SpecId,
    db: InMemoryDB,
    block: BlockEnv,
    tx: TxEnv,
}

type FaultyEvm = lamina_handler::Evm<Context<BlockEnv, TxEnv, CfgEnv, FailingDb<InMemoryDB>>>;

fn faulty_evm(case: &Case, fail_at: usize, code_by_hash: bool) -> FaultyEvm {
    let mut db = FailingDb::new(case.db.clone(), fail_at);
    db.code_by_hash = code_by_hash;
    Context::new(db, case.spec).with_block(case.block.clone()).build_mainnet()
}

/// Runs `case` once with a working database (checked by `expect`), then once failing at
/// each call it made. Returns the number of calls.
fn fault_matrix(
    case: &Case,
    code_by_hash: bool,
    expect: impl Fn(&ExecutionResult, &InMemoryDB),
) -> usize {
    let label = format!("{} on {} (code_by_hash: {code_by_hash})", case.name, case.spec);
    let mut evm = faulty_evm(case, usize::MAX, code_by_hash);
    let reference = evm.transact_commit(case.tx.clone()).unwrap_or_else(|e| panic!("{label}: {e}"));
    expect(&reference, &evm.ctx.journaled_state.database.inner);
    let reference_state = world(&evm.ctx.journaled_state.database.inner);
    let calls = evm.ctx.journaled_state.database.calls;
    let before = world(&case.db);
    for fail_at in 0..calls {
        let mut evm = faulty_evm(case, fail_at, code_by_hash);
        let error = evm.transact_commit(case.tx.clone()).expect_err(&label);
        // The failure returned is the first one: no earlier error was swallowed and the
        // execution stopped at it.
        match &error {
            EVMError::Database(FaultError::Injected { call, .. }) if *call == fail_at => {}
            other => panic!("{label}, failing at call {fail_at}: {other:?}"),
        }
        let journal = &evm.ctx.journaled_state;
        assert!(
            journal.state.is_empty()
                && journal.entries.is_empty()
                && journal.logs.is_empty()
                && journal.transient_storage.is_empty(),
            "{label}, failing at call {fail_at}: the journal was kept"
        );
        assert_eq!(world(&journal.database.inner), before, "{label}, failing at call {fail_at}");
        // Healed, the same EVM runs the transaction as if the failure never happened.
        evm.ctx.journaled_state.database.fail_at = usize::MAX;
        let healed = evm.transact_commit(case.tx.clone()).expect(&label);
        assert_eq!(healed, reference, "{label}, after a failure at call {fail_at}");
        assert_eq!(world(&evm.ctx.journaled_state.database.inner), reference_state, "{label}");
    }
    calls
}

fn word(value: U256) -> Vec<u8> {
    value.to_be_bytes::<32>().to_vec()
}

// ---- ERC-20 transfer (shared/bench MANIFEST.md, section 3) ----

const ERC20_RUNTIME: &str =
    include_str!("../../../shared/bench/lamina/erc20/erc20_transfer.rt.hex");
const TOKEN: Address = address!("cccccccccccccccccccccccccccccccccccccccc");
const HOLDER: Address = address!("1111111111111111111111111111111111111111");
const RECIPIENT: Address = address!("2222222222222222222222222222222222222222");

/// OpenZeppelin 4.7's `_balances` mapping is slot 0: the balance of `owner` is at
/// keccak256(pad32(owner) ‖ pad32(0)).
fn balance_slot(owner: Address) -> U256 {
    keccak256([owner.into_word().as_slice(), &[0u8; 32]].concat()).into()
}

fn erc20_transfer(spec: SpecId) -> Case {
    let runtime = hex::decode(ERC20_RUNTIME.trim()).expect("hex");
    let supply = U256::from(10u64).pow(U256::from(24));
    let mut db = InMemoryDB::default();
    db.insert_account_info(HOLDER, AccountInfo::from_balance(U256::from(ETHER)));
    db.insert_account_info(
        TOKEN,
        AccountInfo::default().with_nonce(1).with_code(Bytecode::new_raw(runtime.into())),
    );
    let Ok(()) = db.insert_account_storage(TOKEN, balance_slot(HOLDER), supply);
    let Ok(()) = db.insert_account_storage(TOKEN, U256::from(2), supply);
    // transfer(RECIPIENT, 10^18)
    let data = [
        &[0xa9, 0x05, 0x9c, 0xbb][..],
        RECIPIENT.into_word().as_slice(),
        &word(U256::from(ETHER))[..],
    ]
    .concat();
    let tx =
        TxEnv::builder().caller(HOLDER).to(TOKEN).data(data.into()).gas_limit(1_000_000).build();
    Case { name: "ERC-20 transfer", spec, db, block: BlockEnv::default(), tx }
}

fn expect_erc20_transfer(result: &ExecutionResult, db: &InMemoryDB) {
    let supply = U256::from(10u64).pow(U256::from(24));
    let ExecutionResult::Success { logs, output, .. } = result else { panic!("{result:?}") };
    assert_eq!(output.data().to_vec(), word(U256::from(1)), "transfer returns true");
    // Transfer(from, to, value): keccak256("Transfer(address,address,uint256)").
    assert_eq!(logs.len(), 1);
    assert_eq!(
        logs[0].topics(),
        [keccak256("Transfer(address,address,uint256)"), HOLDER.into_word(), RECIPIENT.into_word()]
    );
    let token = &world(db)[&TOKEN];
    assert_eq!(token.storage[&balance_slot(HOLDER)], supply - U256::from(ETHER));
    assert_eq!(token.storage[&balance_slot(RECIPIENT)], U256::from(ETHER));
}

// ---- a contract creation that creates again ----

const DEPLOYER: Address = address!("00000000000000000000000000000000000de910");

/// The child: runtime `CALLER PUSH1 0 SSTORE STOP`, created by CREATE2 with salt 7.
fn child_runtime() -> Vec<u8> {
    vec![CALLER, PUSH1, 0, SSTORE, STOP]
}

/// Init code: SSTORE(1, 0x2a); CREATE2 the child with salt 7 and store its address at slot
/// 0; deploy `runtime` = `PUSH1 0 SLOAD ...`.
fn create_init_code() -> Vec<u8> {
    let child_init = deployer(&child_runtime());
    let mut word = [0u8; 32];
    word[..child_init.len()].copy_from_slice(&child_init);
    let mut code = vec![PUSH1, 0x2a, PUSH1, 1, SSTORE, PUSH32];
    code.extend_from_slice(&word);
    code.extend_from_slice(&[PUSH1, 0, MSTORE]);
    // CREATE2(value 0, offset 0, size, salt 7)
    code.extend_from_slice(&[PUSH1, 7, PUSH1, child_init.len() as u8, PUSH1, 0, PUSH1, 0, CREATE2]);
    code.extend_from_slice(&[PUSH1, 0, SSTORE]);
    // Runtime: return slot 0.
    let runtime = [PUSH1, 0, SLOAD, PUSH1, 0, MSTORE, PUSH1, 32, PUSH1, 0, RETURN];
    // The deployer header starts the copy at byte 12 of itself: shift it past this prefix.
    let prefix_len = code.len();
    let mut tail = deployer(&runtime);
    tail[5] = (prefix_len + 12) as u8;
    code.extend_from_slice(&tail);
    code
}

fn create(spec: SpecId) -> Case {
    let mut db = InMemoryDB::default();
    db.insert_account_info(DEPLOYER, AccountInfo::from_balance(U256::from(ETHER)).with_nonce(5));
    let tx = TxEnv::builder()
        .caller(DEPLOYER)
        .create()
        .nonce(5)
        .data(create_init_code().into())
        .gas_limit(1_000_000)
        .build();
    Case { name: "CREATE then CREATE2", spec, db, block: BlockEnv::default(), tx }
}

fn expect_create(result: &ExecutionResult, db: &InMemoryDB) {
    let created = DEPLOYER.create(5);
    let child_init = deployer(&child_runtime());
    let child = created.create2(B256::with_last_byte(7), keccak256(&child_init));
    let ExecutionResult::Success { output: Output::Create(code, Some(address)), .. } = result
    else {
        panic!("{result:?}")
    };
    assert_eq!(*address, created);
    let world = world(db);
    assert_eq!(world[&created].code_hash, keccak256(code));
    assert_eq!(world[&created].storage[&U256::from(1)], U256::from(0x2a));
    assert_eq!(world[&created].storage[&U256::ZERO], U256::from_be_slice(child.as_slice()));
    // From Spurious Dragon a contract starts at nonce 1 (EIP-161), and creating bumps it.
    assert_eq!(world[&created].nonce, 2);
    assert_eq!(world[&child].code_hash, keccak256(child_runtime()));
    assert_eq!(world[&DEPLOYER].nonce, 6);
}

// ---- a chain of calls: A CALLs B with value; B DELEGATECALLs and STATICCALLs C ----

const A: Address = address!("00000000000000000000000000000000000aaaaa");
const B: Address = address!("00000000000000000000000000000000000bbbbb");
const C: Address = address!("00000000000000000000000000000000000ccccc");
const USER: Address = address!("0000000000000000000000000000000000005e12");
const BLOCK: u64 = 100;
const PARENT_HASH: B256 = B256::repeat_byte(0x99);

fn push20(address: Address) -> Vec<u8> {
    [&[PUSH20][..], address.as_slice()].concat()
}

/// The three programs of the call chain.
fn call_chain_code() -> [Vec<u8>; 3] {
    // A: CALL(gas, B, value 1, no data) → slot 0 = success; STOP.
    let a = [
        &[PUSH1, 0, PUSH1, 0, PUSH1, 0, PUSH1, 0, PUSH1, 1][..],
        &push20(B),
        &[GAS, CALL, PUSH1, 0, SSTORE, STOP],
    ]
    .concat();
    // B: DELEGATECALL C (C's code on B's storage); STATICCALL C with 10,000 gas (C writes:
    // fails, 0 at slot 2, over a pre-state 7); slot 3 = EXTCODEHASH(C); slot 4 += 1; STOP.
    let b = [
        &[PUSH1, 0, PUSH1, 0, PUSH1, 0, PUSH1, 0][..],
        &push20(C),
        &[GAS, DELEGATECALL, POP, PUSH1, 0, PUSH1, 0, PUSH1, 0, PUSH1, 0],
        &push20(C),
        // 10,000 gas only: a failing call consumes what it was given.
        &[PUSH2, 0x27, 0x10, STATICCALL, PUSH1, 2, SSTORE],
        &push20(C),
        &[EXTCODEHASH, PUSH1, 3, SSTORE, PUSH1, 4, SLOAD, PUSH1, 1, ADD, PUSH1, 4, SSTORE, STOP],
    ]
    .concat();
    // C: slot 0 = BLOCKHASH(NUMBER − 1); slot 1 = BALANCE(CALLER); STOP.
    let c = vec![
        PUSH1, 1, NUMBER, SUB, BLOCKHASH, PUSH1, 0, SSTORE, CALLER, BALANCE, PUSH1, 1, SSTORE, STOP,
    ];
    [a, b, c]
}

fn call_chain(spec: SpecId) -> Case {
    let [a, b, c] = call_chain_code();
    let mut db = InMemoryDB::default();
    db.insert_account_info(USER, AccountInfo::from_balance(U256::from(ETHER)));
    db.insert_account_info(
        A,
        AccountInfo::from_balance(U256::from(10)).with_code(Bytecode::new_raw(a.into())),
    );
    db.insert_account_info(B, AccountInfo::default().with_code(Bytecode::new_raw(b.into())));
    db.insert_account_info(C, AccountInfo::default().with_code(Bytecode::new_raw(c.into())));
    let Ok(()) = db.insert_account_storage(B, U256::from(2), U256::from(7));
    let Ok(()) = db.insert_account_storage(B, U256::from(4), U256::from(41));
    db.insert_block_hash(BLOCK - 1, PARENT_HASH);
    let block = BlockEnv { number: U256::from(BLOCK), ..BlockEnv::default() };
    let tx = TxEnv::builder().caller(USER).to(A).gas_limit(500_000).gas_price(1).build();
    Case { name: "CALL, DELEGATECALL, STATICCALL chain", spec, db, block, tx }
}

fn expect_call_chain(result: &ExecutionResult, db: &InMemoryDB) {
    assert!(
        matches!(result, ExecutionResult::Success { reason: SuccessReason::Stop, .. }),
        "{result:?}"
    );
    let world = world(db);
    let [_, _, c] = call_chain_code();
    assert_eq!(world[&A].storage[&U256::ZERO], U256::from(1), "A's call succeeded");
    assert_eq!(world[&A].balance, U256::from(9));
    assert_eq!(world[&B].balance, U256::from(1));
    // C's writes landed in B (DELEGATECALL); C's CALLER there is B's caller, A.
    assert_eq!(world[&B].storage[&U256::ZERO], U256::from_be_bytes(PARENT_HASH.0));
    assert_eq!(world[&B].storage[&U256::from(1)], U256::from(9));
    assert!(!world[&B].storage.contains_key(&U256::from(2)), "STATICCALL failed: slot 2 = 0");
    assert_eq!(world[&B].storage[&U256::from(3)], U256::from_be_bytes(keccak256(c).0));
    assert_eq!(world[&B].storage[&U256::from(4)], U256::from(42));
    assert!(world.get(&C).is_some_and(|c| c.storage.is_empty()), "C itself is never written");
}

#[test]
fn every_database_failure_aborts_cleanly() {
    let mut matrix = Vec::new();
    type Expect = fn(&ExecutionResult, &InMemoryDB);
    let cases: Vec<(Case, Expect)> = [SpecId::SHANGHAI, SpecId::OSAKA]
        .into_iter()
        .map(|spec| (erc20_transfer(spec), expect_erc20_transfer as Expect))
        .chain(
            [SpecId::PETERSBURG, SpecId::BERLIN, SpecId::CANCUN, SpecId::OSAKA]
                .into_iter()
                .flat_map(|spec| {
                    [
                        (create(spec), expect_create as Expect),
                        (call_chain(spec), expect_call_chain as Expect),
                    ]
                }),
        )
        .collect();
    for (case, expect) in &cases {
        for code_by_hash in [false, true] {
            let calls = fault_matrix(case, code_by_hash, expect);
            // Every case reads at least the sender, the target and some storage.
            assert!(calls >= 3, "{}: only {calls} database calls", case.name);
            matrix.push(format!("{} | {} | {code_by_hash} | {calls}", case.name, case.spec));
        }
    }
    // The matrix, for the README (`cargo test --test reliability_faults -- --nocapture`).
    println!("scenario | fork | code by hash | database calls (each made to fail)");
    for row in matrix {
        println!("{row}");
    }
}

// ---- memory ----

/// Counts the bytes the current thread holds on the heap, and the most it held.
struct CountingAllocator;

thread_local! {
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn record(delta: isize) {
    // `try_with`: the thread's counters may already be gone while it exits.
    let _ = LIVE.try_with(|live| {
        let now = live.get() + delta;
        live.set(now);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(now)));
    });
}

// SAFETY: every call is forwarded to `System` unchanged; only sizes are recorded.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            record(layout.size() as isize);
        }
        ptr
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            record(layout.size() as isize);
        }
        ptr
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller's contract, passed on.
        unsafe { System.dealloc(ptr, layout) };
        record(-(layout.size() as isize));
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract, passed on.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            record(new_size as isize - layout.size() as isize);
        }
        new
    }
}

#[global_allocator]
static ALLOCATOR: CountingAllocator = CountingAllocator;

/// Runs `f` and returns its result and the most heap it held at once above what the thread
/// held before.
fn peak_heap<T>(f: impl FnOnce() -> T) -> (T, usize) {
    let start = LIVE.with(Cell::get);
    PEAK.with(|peak| peak.set(start));
    let out = f();
    (out, (PEAK.with(Cell::get) - start).max(0) as usize)
}

const MEMORY_CONTRACT: Address = address!("000000000000000000000000000000000000ee00");

/// A program that grows memory `step` bytes at a time, with MSTORE at step − 32, 2·step − 32,
/// …, forever: PUSH step; JUMPDEST; DUP1 (offset + 32); PUSH 32; SWAP1; SUB; MSTORE of the
/// offset; PUSH step; ADD; PUSH 3; JUMP.
fn memory_grower(step: u32) -> Vec<u8> {
    let s = step.to_be_bytes();
    let mut code = vec![PUSH4, s[0], s[1], s[2], s[3], JUMPDEST];
    code.extend_from_slice(&[DUP1, PUSH1, 32, SWAP1, SUB, DUP1, MSTORE]);
    code.extend_from_slice(&[PUSH4, s[0], s[1], s[2], s[3], ADD, PUSH1, 5, JUMP]);
    code
}

fn memory_evm(
    code: Vec<u8>,
    limit: u64,
) -> lamina_handler::Evm<Context<BlockEnv, TxEnv, CfgEnv, InMemoryDB>> {
    let mut db = InMemoryDB::default();
    db.insert_account_info(USER, AccountInfo::from_balance(U256::from(ETHER)));
    db.insert_account_info(
        MEMORY_CONTRACT,
        AccountInfo::default().with_code(Bytecode::new_raw(code.into())),
    );
    let mut evm = Context::new(db, SpecId::CANCUN).build_mainnet();
    evm.ctx.cfg.memory_limit = limit;
    evm
}

/// Memory grows 64 KiB at a time until the next step would pass the 1.5 MiB limit: the
/// frame halts with `OutOfGas(MemoryLimit)`, all gas used, and the heap held for the whole
/// transaction stays within the limit (plus room for the journal and the code).
///
/// Regression: the shared memory buffer grew by `Vec`'s doubling, so at 1,088 KiB its
/// capacity jumped to 2 MiB, past the 1.5 MiB limit (peak heap 2,131,596 bytes).
#[test]
fn memory_buffer_never_grows_past_the_memory_limit() {
    const LIMIT: u64 = 3 << 19;
    const GAS: u64 = 100_000_000;
    let mut evm = memory_evm(memory_grower(64 << 10), LIMIT);
    let tx = TxEnv::builder().caller(USER).to(MEMORY_CONTRACT).gas_limit(GAS).build();
    let (result, peak) = peak_heap(|| evm.transact(tx).expect("valid").result);
    assert_eq!(
        result,
        ExecutionResult::Halt {
            reason: HaltReason::OutOfGas(OutOfGasError::MemoryLimit),
            gas_used: GAS
        }
    );
    let slack = 128 << 10;
    assert!(peak <= LIMIT as usize + slack, "peak heap {peak} bytes for a {LIMIT}-byte limit");
}

/// The limit bounds all frames together: a parent holding 1 MiB calls a child that wants
/// 1 MiB more under a 1.5 MiB limit. The child halts (its CALL returns 0, which the parent
/// stores), and the parent goes on.
#[test]
fn the_memory_limit_counts_every_frame() {
    const LIMIT: u64 = 3 << 19;
    let child = address!("000000000000000000000000000000000000ee01");
    // Parent: MSTORE at 1 MiB − 32; CALL(gas, child); slot 0 = result + 1; STOP.
    let mut parent = vec![PUSH1, 1, PUSH3, 0x0f, 0xff, 0xe0, MSTORE];
    parent.extend_from_slice(&[PUSH1, 0, PUSH1, 0, PUSH1, 0, PUSH1, 0, PUSH1, 0]);
    parent.extend_from_slice(&push20(child));
    parent.extend_from_slice(&[GAS, CALL, PUSH1, 1, ADD, PUSH1, 0, SSTORE, STOP]);
    let mut evm = memory_evm(parent, LIMIT);
    // Child: MLOAD at 1 MiB − 32 (1 MiB of its own memory).
    let child_code = vec![PUSH3, 0x0f, 0xff, 0xe0, MLOAD, STOP];
    evm.ctx.journaled_state.database.insert_account_info(
        child,
        AccountInfo::default().with_code(Bytecode::new_raw(child_code.into())),
    );
    let tx = TxEnv::builder().caller(USER).to(MEMORY_CONTRACT).gas_limit(10_000_000).build();
    let (result, peak) = peak_heap(|| evm.transact_commit(tx).expect("valid"));
    assert!(result.is_success(), "{result:?}");
    let slot = world(&evm.ctx.journaled_state.database)[&MEMORY_CONTRACT].storage[&U256::ZERO];
    assert_eq!(slot, U256::from(1), "the child's CALL returned 0");
    assert!(peak <= LIMIT as usize + (128 << 10), "peak heap {peak} bytes");
}

/// One MLOAD at 2^32, with gas enough to pay for 4 GiB of memory (3·2^27 + 2^54/512 gas),
/// halts at the 1 MiB limit with nothing allocated for it.
#[test]
fn a_single_huge_expansion_allocates_nothing() {
    const GAS: u64 = 1 << 50;
    let code = vec![PUSH5, 1, 0, 0, 0, 0, MLOAD, STOP];
    let mut evm = memory_evm(code, 1 << 20);
    let tx = TxEnv::builder().caller(USER).to(MEMORY_CONTRACT).gas_limit(GAS).build();
    let (result, peak) = peak_heap(|| evm.transact(tx).expect("valid").result);
    assert_eq!(
        result,
        ExecutionResult::Halt {
            reason: HaltReason::OutOfGas(OutOfGasError::MemoryLimit),
            gas_used: GAS
        }
    );
    assert!(peak < 1 << 20, "peak heap {peak} bytes");
}

// ---- depth ----

/// Runs `f` on a thread with a 1 MiB stack: the frame loop is iterative, so depth must not
/// need native stack.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(1 << 20)
        .spawn(f)
        .expect("spawn")
        .join()
        .expect("no panic")
}

/// Init code that creates a copy of itself: CODESIZE; PUSH1 0; PUSH1 0; CODECOPY;
/// CODESIZE; PUSH1 0; PUSH1 0; CREATE; STOP. Every level deploys empty code.
const SELF_CREATOR: [u8; 13] =
    [CODESIZE, PUSH1, 0, PUSH1, 0, CODECOPY, CODESIZE, PUSH1, 0, PUSH1, 0, CREATE, STOP];

/// A CREATE transaction of init code that creates a copy of itself. Frames at depths
/// 0..=1024 run and the CREATE at depth 1024 fails (the call-depth limit) before bumping its
/// creator's nonce: 1,025 contracts, each at the address its creator's nonce gives (a new
/// contract starts at nonce 1, EIP-161), all with nonce 2 but the deepest with 1.
///
/// Gas: each level pays c ≈ 32,000 before forwarding 63/64 of the rest (EIP-150), so
/// g(d+1) = 63/64·(g(d) − c) and reaching depth 1024 with c left takes
/// g(0) ≥ 64c·(64/63)^1024 ≈ 2·10^13.
#[test]
fn a_1024_deep_create_chain_runs_on_a_small_native_stack() {
    let world = on_small_stack(|| {
        let mut db = InMemoryDB::default();
        db.insert_account_info(USER, AccountInfo::from_balance(U256::from(ETHER)));
        let mut evm = Context::new(db, SpecId::CANCUN).build_mainnet();
        let tx = TxEnv::builder()
            .caller(USER)
            .create()
            .data(Bytes::copy_from_slice(&SELF_CREATOR))
            .gas_limit(100_000_000_000_000)
            .build();
        let result = evm.transact_commit(tx).expect("valid");
        assert!(result.is_success(), "{result:?}");
        world(&evm.ctx.journaled_state.database)
    });
    let mut address = USER.create(0);
    for depth in 0..=1024 {
        let account = world.get(&address).unwrap_or_else(|| panic!("no contract at depth {depth}"));
        let expected_nonce = if depth == 1024 { 1 } else { 2 };
        assert_eq!(account.nonce, expected_nonce, "depth {depth}");
        address = address.create(1);
    }
    assert!(!world.contains_key(&address), "a contract at depth 1025");
}

/// A contract that calls itself with all the gas it may give and returns 1 + what its callee
/// returned (1 when the call failed): PUSH1 32; PUSH1 0 (×4); ADDRESS; GAS; CALL; POP;
/// PUSH1 0; MLOAD; PUSH1 1; ADD; PUSH1 0; MSTORE; PUSH1 32; PUSH1 0; RETURN.
const SELF_CALLER: [u8; 28] = [
    PUSH1, 32, PUSH1, 0, PUSH1, 0, PUSH1, 0, PUSH1, 0, ADDRESS, GAS, CALL, POP, PUSH1, 0, MLOAD,
    PUSH1, 1, ADD, PUSH1, 0, MSTORE, PUSH1, 32, PUSH1, 0, RETURN,
];

/// What a frame of `SELF_CALLER` at `depth` with `gas` ends with, by the rules: `None` when
/// it runs out of gas, else the gas it leaves and the number it returns.
///
/// Before the CALL: five PUSH1 (3 each), ADDRESS and GAS (2 each) = 19; the CALL itself
/// costs `call_cost` (700 from EIP-150, 100 for a warm account from EIP-2929: the running
/// contract is warm) plus 3 for the one word of memory its output needs. It forwards all
/// but a 64th of what is left (EIP-150). A call from depth 1024 fails and its gas comes
/// back. After it: POP 2, PUSH1 3, MLOAD 3, PUSH1 3, ADD 3, PUSH1 3, MSTORE 3, PUSH1 3,
/// PUSH1 3, RETURN 0 = 26.
fn self_caller_model(depth: usize, gas: u64, call_cost: u64) -> Option<(u64, u64)> {
    let available = gas.checked_sub(19 + call_cost + 3)?;
    let (left, returned) = if depth == 1024 {
        (available, 0)
    } else {
        let forwarded = available - available / 64;
        match self_caller_model(depth + 1, forwarded, call_cost) {
            Some((child_left, value)) => (available - forwarded + child_left, value),
            None => (available - forwarded, 0),
        }
    };
    Some((left.checked_sub(26)?, returned + 1))
}

#[test]
fn a_self_recursive_contract_reaches_the_depth_the_rules_allow() {
    const CONTRACT: Address = address!("00000000000000000000000000000000000005e1");
    let cases = [
        // Limited by depth: 1,025 frames.
        (SpecId::TANGERINE, 1_000_000_000_000, 700),
        (SpecId::CANCUN, 1_000_000_000_000, 100),
        // Limited by gas: each frame keeps a 64th, the deepest runs out.
        (SpecId::TANGERINE, 5_000_000, 700),
        (SpecId::BERLIN, 1_000_000, 100),
        (SpecId::OSAKA, 1 << 24, 100),
    ];
    for (spec, gas_limit, call_cost) in cases {
        let (left, depth) = self_caller_model(0, gas_limit - 21_000, call_cost)
            .expect("the first frame has gas enough");
        let result = on_small_stack(move || {
            let mut db = InMemoryDB::default();
            db.insert_account_info(USER, AccountInfo::from_balance(U256::from(ETHER)));
            let code = Bytecode::new_raw(Bytes::from_static(&SELF_CALLER));
            db.insert_account_info(CONTRACT, AccountInfo::default().with_code(code));
            let mut evm = Context::new(db, spec).build_mainnet();
            let tx = TxEnv::builder().caller(USER).to(CONTRACT).gas_limit(gas_limit).build();
            evm.transact_commit(tx).expect("valid")
        });
        let ExecutionResult::Success { output, gas_used, .. } = &result else {
            panic!("{spec}: {result:?}")
        };
        assert_eq!(U256::from_be_slice(output.data()), U256::from(depth), "{spec} {gas_limit}");
        assert_eq!(*gas_used, gas_limit - left, "{spec} {gas_limit}");
        if gas_limit == 1_000_000_000_000 {
            assert_eq!(depth, 1025, "the depth limit, not gas, must end these");
        } else {
            assert!(depth < 1025, "gas, not the depth limit, must end these");
        }
    }
}
