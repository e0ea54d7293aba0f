//! The inspecting loop: which hooks fire, in what order, and that inspecting changes nothing.

use lamina_bytecode::Bytecode;
use lamina_context::{Context, TxEnv};
use lamina_database::InMemoryDB;
use lamina_handler::{ExecuteEvm, MainBuilder};
use lamina_inspector::{InspectEvm, Inspector, InspectorEvmExt, TracerEip3155};
use lamina_interpreter::{
    CallInputs, CallOutcome, Gas, InstructionResult, Interpreter, InterpreterResult,
};
use lamina_primitives::{Address, Bytes, Log, U256};
use lamina_state::AccountInfo;

const ALICE: Address = Address::repeat_byte(0xa1);
const CALLER: Address = Address::repeat_byte(0xc1);
const CALLEE: Address = Address::repeat_byte(0xc2);
const HEIR: Address = Address::repeat_byte(0xee);

/// PUSH1 2, PUSH1 3, ADD, PUSH1 0, MSTORE, PUSH1 32, PUSH1 0, RETURN: eight instructions.
const ADD_AND_RETURN: &[u8] =
    &[0x60, 0x02, 0x60, 0x03, 0x01, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xf3];

/// CALL(gas, CALLEE, value 0, no input, no output), POP, STOP.
const CALL_CALLEE: &[u8] = &[
    0x60, 0x00, 0x60, 0x00, 0x60, 0x00, 0x60, 0x00, 0x60, 0x00, // out, in, value
    0x73, 0xc2, 0xc2, 0xc2, 0xc2, 0xc2, 0xc2, 0xc2, 0xc2, 0xc2, 0xc2, // PUSH20 CALLEE
    0xc2, 0xc2, 0xc2, 0xc2, 0xc2, 0xc2, 0xc2, 0xc2, 0xc2, 0xc2, //
    0x5a, 0xf1, 0x50, 0x00, // GAS, CALL, POP, STOP
];

/// LOG1(topic 7, one byte of memory 0), then SELFDESTRUCT to HEIR.
const LOG_AND_SELFDESTRUCT: &[u8] = &[
    0x60, 0x07, 0x60, 0x01, 0x60, 0x00, 0xa1, // PUSH1 7, PUSH1 1, PUSH1 0, LOG1
    0x73, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, // PUSH20 HEIR
    0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, 0xee, //
    0xff, // SELFDESTRUCT
];

fn context(
    code: &[(Address, &[u8], u64)],
) -> Context<lamina_context::BlockEnv, TxEnv, lamina_context::CfgEnv, InMemoryDB> {
    let mut db = InMemoryDB::default();
    db.insert_account_info(ALICE, AccountInfo::from_balance(U256::from(10u64.pow(18))));
    for (address, code, balance) in code {
        let code = Bytecode::new_raw(Bytes::copy_from_slice(code));
        db.insert_account_info(
            *address,
            AccountInfo::from_balance(U256::from(*balance)).with_code(code),
        );
    }
    Context::mainnet().with_db(db)
}

fn tx_to(to: Address) -> TxEnv {
    TxEnv::builder().caller(ALICE).to(to).gas_limit(1_000_000).build()
}

/// Records every hook as a line of text.
#[derive(Default)]
struct Recorder {
    events: Vec<String>,
    steps: usize,
    step_ends: usize,
    /// Call data each call started and ended with.
    inputs: Vec<(Bytes, Bytes)>,
}

impl<CTX> Inspector<CTX> for Recorder {
    fn initialize_interp(&mut self, interp: &mut Interpreter, _: &mut CTX) {
        self.events.push(format!("init {}", interp.context.target_address));
    }
    fn step(&mut self, _: &mut Interpreter, _: &mut CTX) {
        self.steps += 1;
    }
    fn step_end(&mut self, _: &mut Interpreter, _: &mut CTX) {
        self.step_ends += 1;
    }
    fn log(&mut self, _: &mut Interpreter, _: &mut CTX, log: &Log) {
        self.events.push(format!("log {} {:?} {}", log.address, log.topics(), log.data.data));
    }
    fn call(&mut self, _: &mut CTX, inputs: &mut CallInputs) -> Option<CallOutcome> {
        self.events.push(format!("call {}", inputs.target_address));
        self.inputs.push((owned(inputs), Bytes::new()));
        None
    }
    fn call_end(&mut self, _: &mut CTX, inputs: &CallInputs, outcome: &mut CallOutcome) {
        if let Some(pair) = self.inputs.iter_mut().rev().find(|pair| pair.1.is_empty()) {
            pair.1 = owned(inputs);
        }
        self.events.push(format!("call_end {} {:?}", inputs.target_address, outcome.result.result));
    }
    fn selfdestruct(&mut self, contract: Address, target: Address, value: U256) {
        self.events.push(format!("selfdestruct {contract} {target} {value}"));
    }
}

/// The call data an inspector is shown, which is always owned.
fn owned(inputs: &CallInputs) -> Bytes {
    inputs.input.as_bytes().expect("inspectors see call data of its own").clone()
}

#[test]
fn one_step_per_instruction() {
    let mut recorder = Recorder::default();
    let mut evm =
        context(&[(CALLEE, ADD_AND_RETURN, 0)]).build_mainnet().with_inspector(&mut recorder);
    let result = evm.transact(tx_to(CALLEE)).unwrap().result;
    assert!(result.is_success());
    drop(evm);
    assert_eq!((recorder.steps, recorder.step_ends), (8, 8));
    assert_eq!(
        recorder.events,
        [format!("call {CALLEE}"), format!("init {CALLEE}"), format!("call_end {CALLEE} Return"),]
    );
}

#[test]
fn call_end_sees_the_call_data() {
    // The frame reads its call data from its own context while it runs; the hooks still see
    // it at the end.
    let mut evm =
        context(&[(CALLEE, ADD_AND_RETURN, 0)]).build_mainnet().with_inspector(Recorder::default());
    let data = Bytes::from_static(&[0xde, 0xad, 0xbe, 0xef]);
    let tx = TxEnv::builder().caller(ALICE).to(CALLEE).data(data.clone()).gas_limit(100_000);
    assert!(evm.transact(tx.build()).unwrap().result.is_success());
    assert_eq!(evm.hooks.0.inputs, [(data.clone(), data)]);
}

/// Copies its call data to memory, CALLs CALLEE with it, and returns what CALLEE returned.
const FORWARD_TO_CALLEE: &[u8] = &[
    0x36, 0x60, 0x00, 0x60, 0x00, 0x37, // CALLDATACOPY(0, 0, CALLDATASIZE)
    0x60, 0x00, 0x60, 0x00, 0x36, 0x60, 0x00, 0x60, 0x00, // out 0..0, in 0..size, value 0
    0x73, 0xc2, 0xc2, 0xc2, 0xc2, 0xc2, 0xc2, 0xc2, 0xc2, 0xc2, 0xc2, // PUSH20 CALLEE
    0xc2, 0xc2, 0xc2, 0xc2, 0xc2, 0xc2, 0xc2, 0xc2, 0xc2, 0xc2, //
    0x5a, 0xf1, 0x50, // GAS, CALL, POP
    0x3d, 0x60, 0x00, 0x60, 0x00, 0x3e, // RETURNDATACOPY(0, 0, RETURNDATASIZE)
    0x3d, 0x60, 0x00, 0xf3, // RETURN(0, RETURNDATASIZE)
];

/// Returns its call data: CALLDATACOPY(0, 0, CALLDATASIZE), RETURN(0, CALLDATASIZE).
const ECHO: &[u8] = &[0x36, 0x60, 0x00, 0x60, 0x00, 0x37, 0x36, 0x60, 0x00, 0xf3];

#[test]
fn inspectors_see_call_data_lent_from_memory() {
    // A CALL lends the callee its caller's memory; the inspector is shown a copy of its own,
    // and the callee reads the same bytes either way.
    let accounts: &[(Address, &[u8], u64)] = &[(CALLER, FORWARD_TO_CALLEE, 0), (CALLEE, ECHO, 0)];
    let data = Bytes::from_static(&[0xde, 0xad, 0xbe, 0xef, 0x01]);
    let tx = TxEnv::builder().caller(ALICE).to(CALLER).data(data.clone()).gas_limit(100_000);
    let plain = context(accounts).build_mainnet().transact(tx.clone().build()).unwrap();
    assert_eq!(plain.result.output(), Some(&data));
    let mut evm = context(accounts).build_mainnet().with_inspector(Recorder::default());
    let recorded = evm.transact(tx.build()).unwrap();
    assert_eq!(recorded, plain);
    assert_eq!(evm.hooks.0.inputs, [(data.clone(), data.clone()), (data.clone(), data)]);
}

#[test]
fn inspecting_changes_nothing() {
    let accounts: &[(Address, &[u8], u64)] = &[
        (CALLER, CALL_CALLEE, 0),
        (CALLEE, LOG_AND_SELFDESTRUCT, 5),
        (Address::repeat_byte(0xad), ADD_AND_RETURN, 0),
    ];
    for to in [CALLER, CALLEE, Address::repeat_byte(0xad), Address::repeat_byte(0x99)] {
        let plain = context(accounts).build_mainnet().transact(tx_to(to)).unwrap();
        let traced = context(accounts)
            .build_mainnet()
            .with_inspector(TracerEip3155::new(Vec::new()))
            .transact(tx_to(to))
            .unwrap();
        let recorded = context(accounts)
            .build_mainnet()
            .with_inspector(Recorder::default())
            .transact(tx_to(to))
            .unwrap();
        assert_eq!(plain, traced, "to {to}");
        assert_eq!(plain, recorded, "to {to}");

        // The same through `&mut` on a plain EVM, with the same trace as an EVM built with
        // the tracer; the EVM stays plain afterwards.
        let mut evm = context(accounts).build_mainnet();
        let mut trace = Vec::new();
        let borrowed = evm.inspect_tx(tx_to(to), TracerEip3155::new(&mut trace)).unwrap();
        assert_eq!(plain, borrowed, "to {to}");
        let mut owned =
            context(accounts).build_mainnet().with_inspector(TracerEip3155::new(Vec::new()));
        owned.transact(tx_to(to)).unwrap();
        assert_eq!(trace, owned.hooks.0.into_writer(), "to {to}");
        assert_eq!(evm.replay().unwrap(), plain, "to {to}");
    }
}

#[test]
fn nested_frames_logs_and_selfdestruct() {
    let mut evm = context(&[(CALLER, CALL_CALLEE, 0), (CALLEE, LOG_AND_SELFDESTRUCT, 5)])
        .build_mainnet()
        .with_inspector(Recorder::default());
    assert!(evm.transact(tx_to(CALLER)).unwrap().result.is_success());
    let topic = format!("{:?}", [lamina_primitives::B256::with_last_byte(7)]);
    assert_eq!(
        evm.hooks.0.events,
        [
            format!("call {CALLER}"),
            format!("init {CALLER}"),
            format!("call {CALLEE}"),
            format!("init {CALLEE}"),
            format!("log {CALLEE} {topic} 0x00"),
            format!("selfdestruct {CALLEE} {HEIR} 5"),
            format!("call_end {CALLEE} SelfDestruct"),
            format!("call_end {CALLER} Stop"),
        ]
    );
}

/// Answers calls to CALLEE itself, with a revert carrying data.
#[derive(Default)]
struct Intercept {
    ends: Vec<InstructionResult>,
}

impl<CTX> Inspector<CTX> for Intercept {
    fn call(&mut self, _: &mut CTX, inputs: &mut CallInputs) -> Option<CallOutcome> {
        (inputs.target_address == CALLEE).then(|| CallOutcome {
            result: InterpreterResult::new(
                InstructionResult::Revert,
                Bytes::from_static(&[1, 2]),
                Gas::new(inputs.gas_limit),
            ),
            memory_offset: inputs.return_memory_offset.clone(),
        })
    }
    fn call_end(&mut self, _: &mut CTX, _: &CallInputs, outcome: &mut CallOutcome) {
        self.ends.push(outcome.result.result);
    }
}

#[test]
fn a_supplied_outcome_skips_the_frame_and_still_ends_it() {
    let mut evm = context(&[(CALLER, CALL_CALLEE, 0), (CALLEE, LOG_AND_SELFDESTRUCT, 5)])
        .build_mainnet()
        .with_inspector(Intercept::default());
    let result = evm.transact(tx_to(CALLER)).unwrap();
    assert!(result.result.is_success());
    assert!(result.result.logs().is_empty(), "CALLEE did not run");
    assert_eq!(evm.hooks.0.ends, [InstructionResult::Revert, InstructionResult::Stop]);
}

/// Halts every frame before its third instruction.
struct Halter;

impl<CTX> Inspector<CTX> for Halter {
    fn step(&mut self, interp: &mut Interpreter, _: &mut CTX) {
        if interp.pc() == 4 {
            interp.halt(InstructionResult::Revert);
        }
    }
}

#[test]
fn a_halt_in_step_ends_the_frame() {
    let mut evm = context(&[(CALLEE, ADD_AND_RETURN, 0)]).build_mainnet().with_inspector(Halter);
    let result = evm.transact(tx_to(CALLEE)).unwrap().result;
    assert!(
        matches!(result, lamina_context_interface::ExecutionResult::Revert { .. }),
        "{result:?}"
    );
    assert_eq!(result.gas_used(), 21_000 + 6);
}
