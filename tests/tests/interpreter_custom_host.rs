//! The interpreter alone, on a host written here: no handler, no database. A counter
//! contract reads, increments, stores and returns slot 0; its gas is counted by hand per
//! instruction from each fork's published costs.

use lamina_bytecode::Bytecode;
use lamina_interpreter::{
    AccountLoad, FrameContext, Host, InstructionResult, InstructionTable, Interpreter,
    InterpreterAction, InterpreterResult, SStoreResult, SelfDestructResult, SharedMemory, Stack,
    StateLoad,
};
use lamina_primitives::{Address, B256, Bytes, HashMap, HashSet, Log, SpecId, U256, address};

const COUNTER: Address = address!("00000000000000000000000000000000c0ffee00");
const USER: Address = address!("0000000000000000000000000000000000001234");

/// One contract's storage, a block, and EIP-2929 access tracking per transaction. What a
/// counter never needs (other accounts, logs, self-destruction) is reported as a host
/// failure, so a stray access shows up as `FatalExternalError`.
#[derive(Default)]
struct CounterHost {
    storage: HashMap<U256, U256>,
    /// Storage as it was when the current transaction began.
    original: HashMap<U256, U256>,
    warm_slots: HashSet<U256>,
    block_number: u64,
    /// Every write, in order, as the interpreter asked for it.
    writes: Vec<(Address, U256, U256)>,
}

impl CounterHost {
    fn begin_transaction(&mut self) {
        self.original = self.storage.clone();
        self.warm_slots.clear();
    }
}

impl Host for CounterHost {
    fn beneficiary(&self) -> Address {
        Address::ZERO
    }
    fn timestamp(&self) -> U256 {
        U256::from(1_700_000_000)
    }
    fn block_number(&self) -> U256 {
        U256::from(self.block_number)
    }
    fn difficulty(&self) -> U256 {
        U256::ZERO
    }
    fn prevrandao(&self) -> B256 {
        B256::ZERO
    }
    fn block_gas_limit(&self) -> U256 {
        U256::from(30_000_000)
    }
    fn basefee(&self) -> U256 {
        U256::ZERO
    }
    fn blob_basefee(&self) -> U256 {
        U256::ZERO
    }
    fn chain_id(&self) -> U256 {
        U256::from(1)
    }
    fn origin(&self) -> Address {
        USER
    }
    fn effective_gas_price(&self) -> U256 {
        U256::ZERO
    }
    fn blob_hash(&self, _index: usize) -> Option<B256> {
        None
    }
    fn block_hash(&mut self, _number: u64) -> Option<B256> {
        None
    }
    fn balance(&mut self, _address: Address) -> Option<StateLoad<U256>> {
        None
    }
    fn load_account_delegated(&mut self, _address: Address) -> Option<StateLoad<AccountLoad>> {
        None
    }
    fn code(&mut self, _address: Address) -> Option<StateLoad<Bytes>> {
        None
    }
    fn code_hash(&mut self, _address: Address) -> Option<StateLoad<B256>> {
        None
    }
    fn sload(&mut self, address: Address, key: U256) -> Option<StateLoad<U256>> {
        assert_eq!(address, COUNTER);
        let is_cold = self.warm_slots.insert(key);
        Some(StateLoad::new(self.storage.get(&key).copied().unwrap_or_default(), is_cold))
    }
    fn sstore(
        &mut self,
        address: Address,
        key: U256,
        value: U256,
    ) -> Option<StateLoad<SStoreResult>> {
        assert_eq!(address, COUNTER);
        let is_cold = self.warm_slots.insert(key);
        let original = self.original.get(&key).copied().unwrap_or_default();
        let present = self.storage.insert(key, value).unwrap_or_default();
        self.writes.push((address, key, value));
        Some(StateLoad::new(SStoreResult { original, present, new: value }, is_cold))
    }
    fn tload(&mut self, _address: Address, _key: U256) -> U256 {
        U256::ZERO
    }
    fn tstore(&mut self, _address: Address, _key: U256, _value: U256) {}
    fn log(&mut self, _log: Log) {}
    fn selfdestruct(
        &mut self,
        _address: Address,
        _target: Address,
    ) -> Option<StateLoad<SelfDestructResult>> {
        None
    }
}

/// SLOAD slot 0, add 1, SSTORE it, return it as a word.
const COUNTER_CODE: [u8; 18] = [
    0x60, 0x00, // PUSH1 0
    0x54, //       SLOAD
    0x60, 0x01, // PUSH1 1
    0x01, //       ADD
    0x80, //       DUP1
    0x60, 0x00, // PUSH1 0
    0x55, //       SSTORE
    0x60, 0x00, // PUSH1 0
    0x52, //       MSTORE
    0x60, 0x20, // PUSH1 32
    0x60, 0x00, // PUSH1 0
    0xf3, //       RETURN
];

/// Everything but SLOAD and SSTORE: six PUSH1, ADD and DUP1 at 3, MSTORE 3 plus one word
/// of memory 3, RETURN 0.
const COUNTER_FIXED_GAS: u64 = 6 * 3 + 3 + 3 + 3 + 3;

fn call_counter(host: &mut CounterHost, spec: SpecId) -> InterpreterResult {
    let code = Bytecode::new_raw(Bytes::from_static(&COUNTER_CODE));
    let table = InstructionTable::<CounterHost>::new(spec);
    let context = FrameContext { target_address: COUNTER, caller: USER, ..Default::default() };
    let mut interpreter =
        Interpreter::new(&code, context, 100_000, table.gas, SharedMemory::new(), Stack::new());
    match interpreter.run(&table, host) {
        InterpreterAction::Return(result) => result,
        other => panic!("the counter makes no calls, got {other:?}"),
    }
}

fn word(value: u64) -> Bytes {
    Bytes::copy_from_slice(&U256::from(value).to_be_bytes::<32>())
}

#[test]
fn counter_on_cancun_cold_then_warm() {
    let mut host = CounterHost::default();
    host.storage.insert(U256::ZERO, U256::from(41));
    host.begin_transaction();

    let result = call_counter(&mut host, SpecId::CANCUN);
    assert_eq!(result.result, InstructionResult::Return);
    assert_eq!(result.output, word(42));
    // EIP-2929: cold SLOAD 2100; the slot is then warm and clean (41 → 42), so SSTORE
    // costs SSTORE_RESET_GAS 5000 − 2100 = 2900.
    assert_eq!(result.gas.spent(), COUNTER_FIXED_GAS + 2100 + 2900);
    assert_eq!(result.gas.spent(), 5030);
    assert_eq!(result.gas.refunded(), 0);
    assert_eq!(host.writes, vec![(COUNTER, U256::ZERO, U256::from(42))]);

    // Again in the same transaction: warm SLOAD 100; the slot is dirty (original 41,
    // present 42), so SSTORE costs the warm read 100 and changes no refund.
    let result = call_counter(&mut host, SpecId::CANCUN);
    assert_eq!(result.output, word(43));
    assert_eq!(result.gas.spent(), COUNTER_FIXED_GAS + 100 + 100);
    assert_eq!(result.gas.refunded(), 0);
    assert_eq!(host.writes.len(), 2);
    assert_eq!(host.writes[1], (COUNTER, U256::ZERO, U256::from(43)));
    assert_eq!(host.storage[&U256::ZERO], U256::from(43));
}

#[test]
fn counter_from_zero_pays_for_a_new_slot() {
    let mut host = CounterHost::default();
    host.begin_transaction();
    let result = call_counter(&mut host, SpecId::CANCUN);
    assert_eq!(result.output, word(1));
    // Cold SLOAD 2100, then 0 → 1 on a clean slot: SSTORE_SET_GAS 20000.
    assert_eq!(result.gas.spent(), COUNTER_FIXED_GAS + 2100 + 20000);
}

#[test]
fn counter_gas_before_berlin() {
    for (spec, sload, sstore) in [
        // Yellow Paper: SLOAD 50, SSTORE of a non-zero slot 5000.
        (SpecId::FRONTIER, 50, 5000),
        // EIP-150: SLOAD 200.
        (SpecId::TANGERINE, 200, 5000),
        // EIP-1884: SLOAD 800; EIP-2200: a clean non-zero slot changed costs 5000.
        (SpecId::ISTANBUL, 800, 5000),
    ] {
        let mut host = CounterHost::default();
        host.storage.insert(U256::ZERO, U256::from(41));
        host.begin_transaction();
        let result = call_counter(&mut host, spec);
        assert_eq!(result.output, word(42), "{spec:?}");
        assert_eq!(result.gas.spent(), COUNTER_FIXED_GAS + sload + sstore, "{spec:?}");
    }
}

#[test]
fn block_number_under_the_caller() {
    // NUMBER, CALLER, SSTORE: storage[caller] = block number.
    let code = Bytecode::new_raw(Bytes::from_static(&[0x43, 0x33, 0x55]));
    let table = InstructionTable::<CounterHost>::new(SpecId::PRAGUE);
    let context = FrameContext { target_address: COUNTER, caller: USER, ..Default::default() };
    let mut host = CounterHost { block_number: 19_000_000, ..Default::default() };
    host.begin_transaction();
    let mut interpreter =
        Interpreter::new(&code, context, 30_000, table.gas, SharedMemory::new(), Stack::new());
    let InterpreterAction::Return(result) = interpreter.run(&table, &mut host) else {
        panic!("expected the frame to end");
    };
    assert_eq!(result.result, InstructionResult::Stop);
    let key = U256::from_be_bytes(USER.into_word().0);
    assert_eq!(host.writes, vec![(COUNTER, key, U256::from(19_000_000))]);
    // NUMBER 2, CALLER 2, SSTORE of a cold fresh slot 2100 + 20000.
    assert_eq!(result.gas.spent(), 2 + 2 + 22_100);
}

#[test]
fn a_stray_state_access_is_a_fatal_error() {
    // PUSH1 0, BALANCE: the counter host has no accounts to offer.
    let code = Bytecode::new_raw(Bytes::from_static(&[0x60, 0x00, 0x31]));
    let table = InstructionTable::<CounterHost>::new(SpecId::CANCUN);
    let mut interpreter = Interpreter::new(
        &code,
        FrameContext::default(),
        30_000,
        table.gas,
        SharedMemory::new(),
        Stack::new(),
    );
    let InterpreterAction::Return(result) = interpreter.run(&table, &mut CounterHost::default())
    else {
        panic!("expected the frame to end");
    };
    assert_eq!(result.result, InstructionResult::FatalExternalError);
}
