//! The context the handler runs a transaction in.

use crate::{Block, Cfg, JournalTr, Transaction};
use lamina_database_interface::Database;

/// A fatal error kept by the context while the interpreter unwinds (the interpreter only
/// learns "the host failed").
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ContextError<DbError> {
    /// The database failed.
    Db(DbError),
    /// Anything else.
    Custom(alloc::string::String),
}

/// Everything a transaction runs against: block, transaction, configuration, journal (and
/// through it the database), and a chain's own data. A chain swaps any part through the
/// associated types.
pub trait ContextTr {
    /// Block type.
    type Block: Block;
    /// Transaction type.
    type Tx: Transaction;
    /// Configuration type.
    type Cfg: Cfg;
    /// Database type.
    type Db: Database;
    /// Journal type.
    type Journal: JournalTr<Database = Self::Db>;
    /// A chain's own context (`()` on mainnet).
    type Chain;

    /// The transaction.
    fn tx(&self) -> &Self::Tx;
    /// Replaces the transaction (the next one to run).
    fn set_tx(&mut self, tx: Self::Tx);
    /// The block.
    fn block(&self) -> &Self::Block;
    /// The configuration.
    fn cfg(&self) -> &Self::Cfg;
    /// The journal.
    fn journal(&mut self) -> &mut Self::Journal;
    /// The journal, shared.
    fn journal_ref(&self) -> &Self::Journal;
    /// The chain's own context.
    fn chain(&mut self) -> &mut Self::Chain;
    /// The slot where a fatal error waits for the handler.
    fn error(&mut self) -> &mut Result<(), ContextError<<Self::Db as Database>::Error>>;
    /// The database.
    fn db(&mut self) -> &mut Self::Db {
        self.journal().db()
    }
}
