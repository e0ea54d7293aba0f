//! Helpers shared by the interpreter's integration tests: a tiny assembler, a configurable
//! host that tracks EIP-2929 access and original storage values, and one-call runners.

// Each test binary compiles this module and uses a different part of it.
#![allow(dead_code)]

use lamina_bytecode::{Bytecode, opcode::*};
use lamina_interpreter::{
    AccountLoad, CallOutcome, CreateOutcome, FrameContext, FrameInput, Gas, Host,
    InstructionResult, InstructionTable, Interpreter, InterpreterAction, InterpreterResult,
    SStoreResult, SelfDestructResult, SharedMemory, Stack, StateLoad,
};
use lamina_primitives::{Address, B256, Bytes, HashMap, HashSet, Log, SpecId, U256, keccak256};

/// A byte-code builder; pushes pick the shortest PUSHn so code stays readable in failures.
#[derive(Clone, Debug, Default)]
pub struct Asm(pub Vec<u8>);

impl Asm {
    pub fn new() -> Self {
        Self::default()
    }

    /// Pushes `value` with PUSH1..PUSH32 (never PUSH0, which older forks lack).
    pub fn push(self, value: u64) -> Self {
        self.push_word(U256::from(value))
    }

    pub fn push_word(mut self, value: U256) -> Self {
        let bytes = value.to_be_bytes::<32>();
        let skip = bytes.iter().take_while(|&&b| b == 0).count().min(31);
        self.0.push(PUSH1 + (31 - skip) as u8);
        self.0.extend_from_slice(&bytes[skip..]);
        self
    }

    pub fn push_address(mut self, address: Address) -> Self {
        self.0.push(PUSH20);
        self.0.extend_from_slice(address.as_slice());
        self
    }

    pub fn op(mut self, opcode: u8) -> Self {
        self.0.push(opcode);
        self
    }

    pub fn bytes(mut self, bytes: &[u8]) -> Self {
        self.0.extend_from_slice(bytes);
        self
    }

    /// Offset the next byte will have (for jump targets).
    pub fn here(&self) -> usize {
        self.0.len()
    }

    pub fn build(self) -> Vec<u8> {
        self.0
    }
}

/// −x in two's complement.
pub fn neg(x: u64) -> U256 {
    U256::from(x).wrapping_neg()
}

/// A word whose most significant bytes are `bytes`.
pub fn left_aligned(bytes: &[u8]) -> U256 {
    let mut word = [0u8; 32];
    word[..bytes.len()].copy_from_slice(bytes);
    U256::from_be_bytes(word)
}

/// An account in [`TestHost`].
#[derive(Clone, Debug, Default)]
pub struct TestAccount {
    pub balance: U256,
    pub nonce: u64,
    pub code: Bytes,
}

/// A host with configurable state. Accounts and slots are cold until first touched (as in a
/// transaction from Berlin on) unless listed as warm up front; the value a slot had when
/// the transaction started is kept apart from its present value so net-metered SSTORE can
/// be priced.
#[derive(Clone, Debug, Default)]
pub struct TestHost {
    pub accounts: HashMap<Address, TestAccount>,
    pub storage: HashMap<(Address, U256), U256>,
    /// Values at the start of the transaction; a slot missing here has its present value.
    pub original: HashMap<(Address, U256), U256>,
    pub warm_accounts: HashSet<Address>,
    pub warm_slots: HashSet<(Address, U256)>,
    pub transient: HashMap<(Address, U256), U256>,
    pub destroyed: HashSet<Address>,
    pub block_number: U256,
    pub timestamp: U256,
    pub chain_id: u64,
    pub block_hashes: HashMap<u64, B256>,
    /// Every SSTORE the interpreter made, in order.
    pub sstores: Vec<(Address, U256, U256)>,
    pub logs: Vec<Log>,
    /// Makes every state read fail, as a broken database would.
    pub fail: bool,
    /// The frames the interpreter asked for, as the test driving it recorded them.
    pub requests: Vec<String>,
}

impl TestHost {
    /// A slot whose value was `original` when the transaction started and is `present` now.
    pub fn with_slot(mut self, address: Address, key: u64, original: u64, present: u64) -> Self {
        let key = U256::from(key);
        self.original.insert((address, key), U256::from(original));
        self.storage.insert((address, key), U256::from(present));
        self
    }

    pub fn with_warm_slot(mut self, address: Address, key: u64) -> Self {
        self.warm_slots.insert((address, U256::from(key)));
        self
    }

    pub fn with_account(mut self, address: Address, account: TestAccount) -> Self {
        self.accounts.insert(address, account);
        self
    }

    pub fn with_warm_account(mut self, address: Address) -> Self {
        self.warm_accounts.insert(address);
        self
    }

    /// Marks `address` accessed and reports whether this was its first access.
    fn touch_account(&mut self, address: Address) -> bool {
        self.warm_accounts.insert(address)
    }

    fn touch_slot(&mut self, address: Address, key: U256) -> bool {
        self.warm_slots.insert((address, key))
    }

    fn present(&self, address: Address, key: U256) -> U256 {
        self.storage.get(&(address, key)).copied().unwrap_or_default()
    }

    fn is_empty(&self, address: Address) -> bool {
        self.accounts
            .get(&address)
            .is_none_or(|a| a.balance.is_zero() && a.nonce == 0 && a.code.is_empty())
    }
}

impl Host for TestHost {
    fn beneficiary(&self) -> Address {
        Address::repeat_byte(0xcb)
    }
    fn timestamp(&self) -> U256 {
        self.timestamp
    }
    fn block_number(&self) -> U256 {
        self.block_number
    }
    fn difficulty(&self) -> U256 {
        U256::from(0x20000)
    }
    fn prevrandao(&self) -> B256 {
        B256::repeat_byte(0x77)
    }
    fn block_gas_limit(&self) -> U256 {
        U256::from(30_000_000)
    }
    fn basefee(&self) -> U256 {
        U256::from(7)
    }
    fn blob_basefee(&self) -> U256 {
        U256::from(1)
    }
    fn chain_id(&self) -> U256 {
        U256::from(self.chain_id)
    }
    fn origin(&self) -> Address {
        Address::repeat_byte(0x0a)
    }
    fn effective_gas_price(&self) -> U256 {
        U256::from(10)
    }
    fn blob_hash(&self, _index: usize) -> Option<B256> {
        None
    }
    fn block_hash(&mut self, number: u64) -> Option<B256> {
        if self.fail {
            return None;
        }
        Some(self.block_hashes.get(&number).copied().unwrap_or_default())
    }
    fn balance(&mut self, address: Address) -> Option<StateLoad<U256>> {
        if self.fail {
            return None;
        }
        let cold = self.touch_account(address);
        let balance = self.accounts.get(&address).map(|a| a.balance).unwrap_or_default();
        Some(StateLoad::new(balance, cold))
    }
    fn load_account_delegated(&mut self, address: Address) -> Option<StateLoad<AccountLoad>> {
        if self.fail {
            return None;
        }
        let cold = self.touch_account(address);
        let load = AccountLoad {
            exists: self.accounts.contains_key(&address),
            is_empty: self.is_empty(address),
            delegate_is_cold: None,
        };
        Some(StateLoad::new(load, cold))
    }
    fn code(&mut self, address: Address) -> Option<StateLoad<Bytes>> {
        if self.fail {
            return None;
        }
        let cold = self.touch_account(address);
        let code = self.accounts.get(&address).map(|a| a.code.clone()).unwrap_or_default();
        Some(StateLoad::new(code, cold))
    }
    fn code_hash(&mut self, address: Address) -> Option<StateLoad<B256>> {
        if self.fail {
            return None;
        }
        let cold = self.touch_account(address);
        let hash = match self.accounts.get(&address) {
            _ if self.is_empty(address) => B256::ZERO,
            Some(account) => keccak256(&account.code),
            None => B256::ZERO,
        };
        Some(StateLoad::new(hash, cold))
    }
    fn sload(&mut self, address: Address, key: U256) -> Option<StateLoad<U256>> {
        if self.fail {
            return None;
        }
        let cold = self.touch_slot(address, key);
        Some(StateLoad::new(self.present(address, key), cold))
    }
    fn sstore(
        &mut self,
        address: Address,
        key: U256,
        value: U256,
    ) -> Option<StateLoad<SStoreResult>> {
        if self.fail {
            return None;
        }
        let cold = self.touch_slot(address, key);
        let present = self.present(address, key);
        let original = *self.original.entry((address, key)).or_insert(present);
        self.storage.insert((address, key), value);
        self.sstores.push((address, key, value));
        Some(StateLoad::new(SStoreResult { original, present, new: value }, cold))
    }
    fn tload(&mut self, address: Address, key: U256) -> U256 {
        self.transient.get(&(address, key)).copied().unwrap_or_default()
    }
    fn tstore(&mut self, address: Address, key: U256, value: U256) {
        self.transient.insert((address, key), value);
    }
    fn log(&mut self, log: Log) {
        self.logs.push(log);
    }
    fn selfdestruct(
        &mut self,
        address: Address,
        target: Address,
    ) -> Option<StateLoad<SelfDestructResult>> {
        if self.fail {
            return None;
        }
        let cold = self.touch_account(target);
        let result = SelfDestructResult {
            had_value: self.accounts.get(&address).is_some_and(|a| !a.balance.is_zero()),
            target_exists: self.accounts.contains_key(&target),
            target_is_empty: self.is_empty(target),
            previously_destroyed: !self.destroyed.insert(address),
        };
        Some(StateLoad::new(result, cold))
    }
}

/// The address test frames run as.
pub const CONTRACT: Address = Address::repeat_byte(0xc0);
/// The caller of test frames (CALLER would clash with the opcode constant).
pub const SENDER: Address = Address::repeat_byte(0xca);

/// A frame ready to run: interpreter, the fork's table and a host.
pub struct Frame {
    pub interp: Interpreter,
    pub table: InstructionTable<TestHost>,
    pub host: TestHost,
    /// Drive the frame with `step` (checks before every instruction, as inspectors do)
    /// instead of `run` (checks once per basic block).
    pub step_by_step: bool,
}

impl Frame {
    pub fn new(code: &[u8], spec: SpecId, gas_limit: u64) -> Self {
        Self::with(code, InstructionTable::new(spec), gas_limit, context(), TestHost::default())
    }

    pub fn with(
        code: &[u8],
        table: InstructionTable<TestHost>,
        gas_limit: u64,
        context: FrameContext,
        host: TestHost,
    ) -> Self {
        let bytecode = Bytecode::new_raw(Bytes::copy_from_slice(code));
        Self::with_all(&bytecode, table, gas_limit, context, host)
    }

    /// A frame running `code` (shared with other frames: its analysis is too).
    pub fn with_code(code: &Bytecode, table: InstructionTable<TestHost>, gas_limit: u64) -> Self {
        Self::with_all(code, table, gas_limit, context(), TestHost::default())
    }

    fn with_all(
        bytecode: &Bytecode,
        table: InstructionTable<TestHost>,
        gas_limit: u64,
        context: FrameContext,
        host: TestHost,
    ) -> Self {
        let interp = Interpreter::new(
            bytecode,
            context,
            gas_limit,
            table.gas,
            SharedMemory::new(),
            Stack::new(),
        );
        Self { interp, table, host, step_by_step: false }
    }

    pub fn run(&mut self) -> InterpreterAction {
        if self.step_by_step {
            while self.interp.control() == InstructionResult::Continue {
                self.interp.step(&self.table, &mut self.host);
            }
            return self.interp.take_action();
        }
        self.interp.run(&self.table, &mut self.host)
    }

    /// Runs to the end; panics if the frame asks for a call or create.
    pub fn finish(&mut self) -> InterpreterResult {
        match self.run() {
            InterpreterAction::Return(result) => result,
            other => panic!("expected the frame to end, got {other:?}"),
        }
    }

    /// Runs until the frame asks for a call or create; panics otherwise.
    pub fn request(&mut self) -> FrameInput {
        match self.run() {
            InterpreterAction::NewFrame(input) => input,
            other => panic!("expected a new frame request, got {other:?}"),
        }
    }

    pub fn stack(&self) -> &[U256] {
        self.interp.stack.data()
    }

    pub fn memory(&self) -> &[u8] {
        self.interp.memory.context_memory()
    }

    pub fn resume_call(
        &mut self,
        result: InterpreterResult,
        memory_offset: core::ops::Range<usize>,
    ) {
        self.interp.insert_call_outcome(CallOutcome { result, memory_offset });
    }

    pub fn resume_create(&mut self, result: InterpreterResult, address: Option<Address>) {
        self.interp.insert_create_outcome(CreateOutcome { result, address });
    }
}

/// The default frame context: [`CONTRACT`] called by [`SENDER`], no value, no input.
pub fn context() -> FrameContext {
    FrameContext { target_address: CONTRACT, caller: SENDER, ..FrameContext::default() }
}

/// Runs `code` to the end on a fresh [`TestHost`].
pub fn run(code: &[u8], spec: SpecId, gas_limit: u64) -> (InterpreterResult, Frame) {
    run_with(code, spec, gas_limit, TestHost::default())
}

/// Runs `code` to the end on `host`.
pub fn run_with(
    code: &[u8],
    spec: SpecId,
    gas_limit: u64,
    host: TestHost,
) -> (InterpreterResult, Frame) {
    let mut frame = Frame::with(code, InstructionTable::new(spec), gas_limit, context(), host);
    let result = frame.finish();
    (result, frame)
}

/// Gas every test gives a frame unless the test is about running out.
pub const LIMIT: u64 = 1_000_000;

/// Runs `opcode` on `inputs` (`inputs[0]` on top) and returns the single word it leaves.
pub fn eval(spec: SpecId, opcode: u8, inputs: &[U256]) -> U256 {
    let mut asm = Asm::new();
    for &input in inputs.iter().rev() {
        asm = asm.push_word(input);
    }
    let (result, frame) = run(&asm.op(opcode).build(), spec, LIMIT);
    assert_eq!(result.result, InstructionResult::Stop, "opcode 0x{opcode:02x} on {inputs:?}");
    assert_eq!(frame.stack().len(), 1, "opcode 0x{opcode:02x} on {inputs:?}");
    frame.stack()[0]
}

/// Gas spent by `code` run to a successful end on `spec`.
pub fn gas_of(code: &[u8], spec: SpecId) -> u64 {
    let (result, _) = run(code, spec, LIMIT);
    assert!(result.result.is_ok(), "{:?}", result.result);
    result.gas.spent()
}

/// A child result: `result` with `remaining` of `limit` gas left and `output`.
pub fn child(
    result: InstructionResult,
    limit: u64,
    remaining: u64,
    output: &[u8],
) -> InterpreterResult {
    let mut gas = Gas::new(limit);
    assert!(gas.record_cost(limit - remaining));
    InterpreterResult::new(result, Bytes::copy_from_slice(output), gas)
}

/// Asserts an exceptional halt: the expected reason and every unit of gas consumed.
pub fn assert_halt(result: &InterpreterResult, expected: InstructionResult) {
    assert_eq!(result.result, expected);
    assert_eq!(result.gas.remaining(), 0, "an exceptional halt consumes all gas");
    assert!(result.output.is_empty());
}
