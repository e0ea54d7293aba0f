//! Add a precompiled contract of your own next to mainnet's: REVERSE, at 0x…0b0b, returns its
//! input backwards for 100 gas plus 3 per 32-byte word.
//!
//! ```sh
//! cargo run -p lamina --example custom_precompile
//! ```
//!
//! A pure precompile is a function `fn(&[u8], u64) -> PrecompileResult` (input, gas limit).
//! The handler asks a `PrecompileProvider` for every call; this one keeps mainnet's set of the
//! fork with REVERSE inserted, and is handed to the EVM with `with_precompiles`. (A precompile
//! that reads or writes state implements `PrecompileProvider::run` itself: see the book's
//! "Build an L2" chapter.)

use lamina::context_interface::{ContextTr, EVMError};
use lamina::handler::{DbErrorOf, run_precompile_fn};
use lamina::interpreter::{CallInputs, InterpreterResult};
use lamina::precompile::{
    Precompile, PrecompileError, PrecompileOutput, PrecompileResult, Precompiles,
};
use lamina::primitives::{Address, Bytes, SpecId, U256, address};
use lamina::state::AccountInfo;
use lamina::{
    Context, ExecuteEvm, ExecutionResult, InMemoryDB, MainBuilder, PrecompileProvider, TxEnv,
};
use std::borrow::Cow;

/// Where REVERSE lives.
pub const REVERSE: Address = address!("0x0000000000000000000000000000000000000b0b");

const CALLER: Address = Address::repeat_byte(0xa1);

/// REVERSE: the input backwards, for 100 + 3 per word (rounded up).
pub fn reverse(input: &[u8], gas_limit: u64) -> PrecompileResult {
    let words = input.len().div_ceil(32) as u64;
    let gas = 100 + 3 * words;
    if gas > gas_limit {
        return Err(PrecompileError::OutOfGas);
    }
    let output: Vec<u8> = input.iter().rev().copied().collect();
    Ok(PrecompileOutput::new(gas, output.into()))
}

/// Mainnet's precompiles of the fork plus REVERSE.
pub struct WithReverse {
    spec: SpecId,
    set: Precompiles,
}

impl WithReverse {
    /// The set of `spec` with REVERSE added.
    pub fn new(spec: SpecId) -> Self {
        let mut set = Precompiles::new(spec);
        set.insert(Precompile::new(REVERSE, reverse));
        Self { spec, set }
    }
}

impl<CTX: ContextTr> PrecompileProvider<CTX> for WithReverse {
    fn set_spec(&mut self, spec: SpecId) {
        if spec != self.spec {
            *self = Self::new(spec);
        }
    }

    fn run(
        &mut self,
        _context: &mut CTX,
        inputs: &CallInputs,
        call_data: &[u8],
    ) -> Result<Option<InterpreterResult>, EVMError<DbErrorOf<CTX>>> {
        Ok(self
            .set
            .get(&inputs.bytecode_address)
            .map(|function| run_precompile_fn(function, call_data, inputs.gas_limit)))
    }

    fn contains(&self, address: &Address) -> bool {
        self.set.contains(address)
    }

    fn warm_addresses(&self) -> Cow<'_, [Address]> {
        Cow::Borrowed(self.set.addresses())
    }
}

/// A transaction that calls `to` with `input`, on Osaka with REVERSE installed.
pub fn call_with_reverse(to: Address, input: &[u8]) -> ExecutionResult {
    let spec = SpecId::OSAKA;
    let mut db = InMemoryDB::default();
    db.insert_account_info(CALLER, AccountInfo::from_balance(U256::from(10u64.pow(18))));
    let mut evm = Context::new(db, spec).build_mainnet().with_precompiles(WithReverse::new(spec));
    let tx = TxEnv::builder()
        .caller(CALLER)
        .to(to)
        .data(Bytes::copy_from_slice(input))
        .gas_limit(100_000)
        .build();
    evm.transact(tx).expect("the transaction is valid").result
}

fn main() {
    let result = call_with_reverse(REVERSE, b"lamina");
    let output = result.output().expect("REVERSE returns");
    println!("REVERSE(\"lamina\") = {:?}", String::from_utf8_lossy(output));
    println!("gas used: {}", result.gas_used());
    // Mainnet's precompiles are still there: IDENTITY at 0x04.
    let result = call_with_reverse(Address::with_last_byte(4), b"lamina");
    println!("IDENTITY(\"lamina\") = {:?}", String::from_utf8_lossy(result.output().unwrap()));
}
