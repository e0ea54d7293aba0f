//! [`InspectEvm`]: one transaction under an inspector, on an EVM built without one.

use crate::{Inspector, InspectorHooks};
use alloc::vec::Vec;
use lamina_context_interface::{Cfg, ContextTr, EVMError, JournalTr, ResultAndState};
use lamina_handler::{
    DbErrorOf, Evm, EvmTr, ExecuteEvm, FrameLoop, FrameResult, FrameStack, Handler, MainnetHandler,
    PrecompileProvider,
};
use lamina_interpreter::{FrameInput, Host, InstructionTable, SharedMemory, Stack};

/// Running one transaction under an inspector on an EVM without one, through `&mut`: the EVM
/// keeps its plain loop for every other transaction.
///
/// ```
/// use lamina_bytecode::Bytecode;
/// use lamina_context::{Context, TxEnv};
/// use lamina_database::InMemoryDB;
/// use lamina_handler::MainBuilder;
/// use lamina_inspector::{InspectEvm, TracerEip3155};
/// use lamina_primitives::{Address, Bytes, U256};
/// use lamina_state::AccountInfo;
///
/// let (alice, contract) = (Address::repeat_byte(0xa1), Address::repeat_byte(0xc0));
/// let mut db = InMemoryDB::default();
/// db.insert_account_info(alice, AccountInfo::from_balance(U256::from(10u64.pow(18))));
/// let code = Bytecode::new_raw(Bytes::from_static(&[0x60, 0x40])); // PUSH1 0x40
/// db.insert_account_info(contract, AccountInfo::default().with_code(code));
/// let mut evm = Context::mainnet().with_db(db).build_mainnet();
///
/// let mut trace = Vec::new();
/// let tx = TxEnv::builder().caller(alice).to(contract).gas_limit(100_000).build();
/// evm.inspect_tx(tx, TracerEip3155::new(&mut trace)).unwrap();
/// assert_eq!(String::from_utf8(trace).unwrap().lines().last(), Some(r#"{"output":"","gasUsed":"0x3"}"#));
/// ```
pub trait InspectEvm: ExecuteEvm {
    /// The context the inspector sees.
    type Context;

    /// [`ExecuteEvm::replay`] under `inspector`: runs the transaction already in the context,
    /// without committing. Pass `&mut inspector` to keep the inspector.
    fn inspect_replay<I: Inspector<Self::Context>>(
        &mut self,
        inspector: I,
    ) -> Result<ResultAndState, Self::Error>;

    /// [`ExecuteEvm::transact`] under `inspector`: puts `tx` in the context and runs it,
    /// without committing.
    fn inspect_tx<I: Inspector<Self::Context>>(
        &mut self,
        tx: Self::Tx,
        inspector: I,
    ) -> Result<ResultAndState, Self::Error>;
}

impl<CTX, P> InspectEvm for Evm<CTX, (), P>
where
    CTX: ContextTr + Host,
    P: PrecompileProvider<CTX>,
{
    type Context = CTX;

    fn inspect_replay<I: Inspector<CTX>>(
        &mut self,
        inspector: I,
    ) -> Result<ResultAndState, EVMError<DbErrorOf<CTX>>> {
        let spec = self.ctx.cfg().spec();
        self.ctx.journal().set_spec(spec);
        let mut evm = Inspecting {
            evm: self,
            hooks: InspectorHooks(inspector),
            memory: SharedMemory::new(),
            stacks: Vec::new(),
            frames: FrameStack::default(),
        };
        MainnetHandler::default().run(&mut evm)
    }

    fn inspect_tx<I: Inspector<CTX>>(
        &mut self,
        tx: CTX::Tx,
        inspector: I,
    ) -> Result<ResultAndState, EVMError<DbErrorOf<CTX>>> {
        self.ctx.set_tx(tx);
        self.inspect_replay(inspector)
    }
}

/// The EVM as the handler sees it for one inspected transaction: its context, precompiles
/// and instruction table, with the inspector as hooks. The EVM's own memory buffer and spare
/// stacks are private to it, so the frame loop gets fresh ones.
struct Inspecting<'a, CTX: ContextTr + Host, P, I> {
    evm: &'a mut Evm<CTX, (), P>,
    hooks: InspectorHooks<I>,
    memory: SharedMemory,
    stacks: Vec<Stack>,
    frames: FrameStack,
}

impl<CTX, P, I> EvmTr for Inspecting<'_, CTX, P, I>
where
    CTX: ContextTr + Host,
    P: PrecompileProvider<CTX>,
    I: Inspector<CTX>,
{
    type Context = CTX;
    type Precompiles = P;

    fn ctx(&mut self) -> &mut CTX {
        &mut self.evm.ctx
    }

    fn ctx_ref(&self) -> &CTX {
        &self.evm.ctx
    }

    fn precompiles(&mut self) -> &mut P {
        &mut self.evm.precompiles
    }

    fn warm_precompiles(&mut self) {
        self.evm.warm_precompiles();
    }

    fn run_frames(&mut self, input: FrameInput) -> Result<FrameResult, EVMError<DbErrorOf<CTX>>> {
        // As `Evm::run_frames`: the table follows the context's fork.
        let spec = self.evm.ctx.cfg().spec();
        if self.evm.instructions.spec != spec {
            self.evm.instructions = InstructionTable::new(spec);
        }
        FrameLoop {
            context: &mut self.evm.ctx,
            precompiles: &mut self.evm.precompiles,
            table: &self.evm.instructions,
            hooks: &mut self.hooks,
            memory: &mut self.memory,
            stacks: &mut self.stacks,
            frames: &mut self.frames,
        }
        .run(input)
    }
}
