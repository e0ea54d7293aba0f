use crate::{BlockEnv, CfgEnv, Journal, TxEnv};
use lamina_context_interface::{Block, Cfg, ContextError, ContextTr, JournalTr, Transaction};
use lamina_database_interface::{Database, EmptyDB};
use lamina_interpreter::{AccountLoad, Host, SStoreResult, SelfDestructResult, StateLoad};
use lamina_primitives::{Address, B256, Bytes, Log, SpecId, U256};

/// The mainnet context: block, transaction, configuration, journal and a chain's own data.
#[derive(Debug)]
pub struct Context<
    BLOCK = BlockEnv,
    TX = TxEnv,
    CFG = CfgEnv,
    DB: Database = EmptyDB,
    JOURNAL = Journal<DB>,
    CHAIN = (),
> {
    /// Block.
    pub block: BLOCK,
    /// Transaction.
    pub tx: TX,
    /// Configuration.
    pub cfg: CFG,
    /// Journal (and database).
    pub journaled_state: JOURNAL,
    /// A chain's own data.
    pub chain: CHAIN,
    /// A fatal error waiting for the handler.
    pub error: Result<(), ContextError<DB::Error>>,
}

impl Context {
    /// Mainnet defaults at the latest fork over an empty database.
    pub fn mainnet() -> Self {
        Self::new(EmptyDB, SpecId::LATEST)
    }
}

impl<DB: Database> Context<BlockEnv, TxEnv, CfgEnv, DB> {
    /// Mainnet defaults at `spec` over `db`.
    pub fn new(db: DB, spec: SpecId) -> Self {
        let mut journaled_state = Journal::new(db);
        journaled_state.set_spec(spec);
        Self {
            block: BlockEnv::default(),
            tx: TxEnv::default(),
            cfg: CfgEnv::new_with_spec(spec),
            journaled_state,
            chain: (),
            error: Ok(()),
        }
    }
}

impl<BLOCK, TX, CFG: Cfg, DB: Database, CHAIN> Context<BLOCK, TX, CFG, DB, Journal<DB>, CHAIN> {
    /// The same context over another database.
    pub fn with_db<NewDB: Database>(
        self,
        db: NewDB,
    ) -> Context<BLOCK, TX, CFG, NewDB, Journal<NewDB>, CHAIN> {
        let mut journaled_state = Journal::new(db);
        journaled_state.set_spec(self.cfg.spec());
        Context {
            block: self.block,
            tx: self.tx,
            cfg: self.cfg,
            journaled_state,
            chain: self.chain,
            error: Ok(()),
        }
    }
}

impl<BLOCK, TX, CFG, DB: Database, JOURNAL: JournalTr<Database = DB>, CHAIN>
    Context<BLOCK, TX, CFG, DB, JOURNAL, CHAIN>
{
    /// With another block.
    pub fn with_block<B: Block>(self, block: B) -> Context<B, TX, CFG, DB, JOURNAL, CHAIN> {
        Context {
            block,
            tx: self.tx,
            cfg: self.cfg,
            journaled_state: self.journaled_state,
            chain: self.chain,
            error: self.error,
        }
    }

    /// With another transaction.
    pub fn with_tx<T: Transaction>(self, tx: T) -> Context<BLOCK, T, CFG, DB, JOURNAL, CHAIN> {
        Context {
            block: self.block,
            tx,
            cfg: self.cfg,
            journaled_state: self.journaled_state,
            chain: self.chain,
            error: self.error,
        }
    }

    /// With another configuration (the journal follows its fork).
    pub fn with_cfg<C: Cfg>(mut self, cfg: C) -> Context<BLOCK, TX, C, DB, JOURNAL, CHAIN> {
        self.journaled_state.set_spec(cfg.spec());
        Context {
            block: self.block,
            tx: self.tx,
            cfg,
            journaled_state: self.journaled_state,
            chain: self.chain,
            error: self.error,
        }
    }

    /// With a chain's own data.
    pub fn with_chain<C>(self, chain: C) -> Context<BLOCK, TX, CFG, DB, JOURNAL, C> {
        Context {
            block: self.block,
            tx: self.tx,
            cfg: self.cfg,
            journaled_state: self.journaled_state,
            chain,
            error: self.error,
        }
    }

    /// Changes the block in place.
    pub fn modify_block(&mut self, f: impl FnOnce(&mut BLOCK)) {
        f(&mut self.block);
    }

    /// Changes the transaction in place.
    pub fn modify_tx(&mut self, f: impl FnOnce(&mut TX)) {
        f(&mut self.tx);
    }
}

impl<BLOCK: Block, TX: Transaction, CFG: Cfg, DB: Database, JOURNAL, CHAIN> ContextTr
    for Context<BLOCK, TX, CFG, DB, JOURNAL, CHAIN>
where
    JOURNAL: JournalTr<Database = DB>,
{
    type Block = BLOCK;
    type Tx = TX;
    type Cfg = CFG;
    type Db = DB;
    type Journal = JOURNAL;
    type Chain = CHAIN;

    fn tx(&self) -> &TX {
        &self.tx
    }
    fn set_tx(&mut self, tx: TX) {
        self.tx = tx;
    }
    fn block(&self) -> &BLOCK {
        &self.block
    }
    fn cfg(&self) -> &CFG {
        &self.cfg
    }
    fn journal(&mut self) -> &mut JOURNAL {
        &mut self.journaled_state
    }
    fn journal_ref(&self) -> &JOURNAL {
        &self.journaled_state
    }
    fn chain(&mut self) -> &mut CHAIN {
        &mut self.chain
    }
    fn error(&mut self) -> &mut Result<(), ContextError<DB::Error>> {
        &mut self.error
    }
}

impl<BLOCK, TX, CFG, DB: Database, JOURNAL, CHAIN> Context<BLOCK, TX, CFG, DB, JOURNAL, CHAIN> {
    /// Keeps a database error for the handler and tells the interpreter "failed".
    fn keep_error<T>(&mut self, result: Result<T, DB::Error>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.error = Err(ContextError::Db(error));
                None
            }
        }
    }
}

impl<BLOCK: Block, TX: Transaction, CFG: Cfg, DB: Database, JOURNAL, CHAIN> Host
    for Context<BLOCK, TX, CFG, DB, JOURNAL, CHAIN>
where
    JOURNAL: JournalTr<Database = DB>,
{
    fn beneficiary(&self) -> Address {
        self.block.beneficiary()
    }
    fn timestamp(&self) -> U256 {
        self.block.timestamp()
    }
    fn block_number(&self) -> U256 {
        self.block.number()
    }
    fn difficulty(&self) -> U256 {
        self.block.difficulty()
    }
    fn prevrandao(&self) -> B256 {
        self.block.prevrandao().unwrap_or_default()
    }
    fn block_gas_limit(&self) -> U256 {
        U256::from(self.block.gas_limit())
    }
    fn basefee(&self) -> U256 {
        U256::from(self.block.basefee())
    }
    fn blob_basefee(&self) -> U256 {
        U256::from(self.block.blob_gasprice().unwrap_or_default())
    }
    fn chain_id(&self) -> U256 {
        U256::from(self.cfg.chain_id())
    }
    fn origin(&self) -> Address {
        self.tx.caller()
    }
    fn effective_gas_price(&self) -> U256 {
        U256::from(self.tx.effective_gas_price(self.block.basefee() as u128))
    }
    fn blob_hash(&self, index: usize) -> Option<B256> {
        self.tx.blob_versioned_hashes().get(index).copied()
    }
    fn max_initcode_size(&self) -> usize {
        self.cfg.max_initcode_size()
    }
    fn block_hash(&mut self, number: u64) -> Option<B256> {
        let result = self.journaled_state.block_hash(number);
        self.keep_error(result)
    }
    fn balance(&mut self, address: Address) -> Option<StateLoad<U256>> {
        let result = self
            .journaled_state
            .load_account(address)
            .map(|load| StateLoad::new(load.data.info.balance, load.is_cold));
        self.keep_error(result)
    }
    fn load_account_delegated(&mut self, address: Address) -> Option<StateLoad<AccountLoad>> {
        let follow_delegation = self.cfg.spec().is_enabled_in(SpecId::PRAGUE);
        let result = self.journaled_state.load_account_code(address).map(|load| {
            let account = &load.data;
            let delegate = account
                .info
                .code()
                .and_then(|code| code.eip7702())
                .map(|designator| designator.address())
                .filter(|_| follow_delegation);
            let info = AccountLoad {
                exists: account.exists(),
                is_empty: account.is_empty(),
                delegate_is_cold: None,
            };
            (StateLoad::new(info, load.is_cold), delegate)
        });
        let (mut load, delegate) = self.keep_error(result)?;
        if let Some(delegate) = delegate {
            let result = self.journaled_state.load_account_code(delegate).map(|d| d.is_cold);
            load.data.delegate_is_cold = Some(self.keep_error(result)?);
        }
        Some(load)
    }
    fn code(&mut self, address: Address) -> Option<StateLoad<Bytes>> {
        let result = self.journaled_state.load_account_code(address).map(|load| {
            let code = load.data.info.code().map(|code| code.bytes()).unwrap_or_default();
            StateLoad::new(code, load.is_cold)
        });
        self.keep_error(result)
    }
    fn code_hash(&mut self, address: Address) -> Option<StateLoad<B256>> {
        let result = self.journaled_state.load_account_code(address).map(|load| {
            let account = &load.data;
            let hash = if account.is_empty() || !account.exists() {
                B256::ZERO
            } else {
                account.info.code_hash()
            };
            StateLoad::new(hash, load.is_cold)
        });
        self.keep_error(result)
    }
    fn sload(&mut self, address: Address, key: U256) -> Option<StateLoad<U256>> {
        let result = self.journaled_state.sload(address, key);
        self.keep_error(result)
    }
    fn sstore(
        &mut self,
        address: Address,
        key: U256,
        value: U256,
    ) -> Option<StateLoad<SStoreResult>> {
        let result = self.journaled_state.sstore(address, key, value);
        self.keep_error(result)
    }
    fn tload(&mut self, address: Address, key: U256) -> U256 {
        self.journaled_state.tload(address, key)
    }
    fn tstore(&mut self, address: Address, key: U256, value: U256) {
        self.journaled_state.tstore(address, key, value);
    }
    fn log(&mut self, log: Log) {
        self.journaled_state.log(log);
    }
    fn selfdestruct(
        &mut self,
        address: Address,
        target: Address,
    ) -> Option<StateLoad<SelfDestructResult>> {
        let result = self.journaled_state.selfdestruct(address, target);
        self.keep_error(result)
    }
}
