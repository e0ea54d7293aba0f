//! Block and transaction information.

use crate::{Host, Interpreter};
use lamina_primitives::{BLOCK_HASH_HISTORY, U256};

/// BLOCKHASH: the hash of one of the 256 blocks before the current one, else zero.
pub fn blockhash<H: Host + ?Sized>(interp: &mut Interpreter, host: &mut H) {
    pop_top!(interp, number);
    let current = host.block_number();
    let requested = *number;
    *number = U256::ZERO;
    if requested < current && current - requested <= U256::from(BLOCK_HASH_HISTORY) {
        let hash = host_try!(interp, host.block_hash(requested.as_limbs()[0]));
        // SAFETY: the slot is still the stack top.
        unsafe { *interp.stack.top_unchecked() = hash.into() };
    }
}

/// COINBASE.
pub fn coinbase<H: Host + ?Sized>(interp: &mut Interpreter, host: &mut H) {
    push!(interp, host.beneficiary().into_word().into());
}

/// TIMESTAMP.
pub fn timestamp<H: Host + ?Sized>(interp: &mut Interpreter, host: &mut H) {
    push!(interp, host.timestamp());
}

/// NUMBER.
pub fn number<H: Host + ?Sized>(interp: &mut Interpreter, host: &mut H) {
    push!(interp, host.block_number());
}

/// DIFFICULTY (before the Merge).
pub fn difficulty<H: Host + ?Sized>(interp: &mut Interpreter, host: &mut H) {
    push!(interp, host.difficulty());
}

/// PREVRANDAO (EIP-4399, same opcode as DIFFICULTY).
pub fn prevrandao<H: Host + ?Sized>(interp: &mut Interpreter, host: &mut H) {
    push!(interp, host.prevrandao().into());
}

/// GASLIMIT.
pub fn gaslimit<H: Host + ?Sized>(interp: &mut Interpreter, host: &mut H) {
    push!(interp, host.block_gas_limit());
}

/// CHAINID (EIP-1344).
pub fn chainid<H: Host + ?Sized>(interp: &mut Interpreter, host: &mut H) {
    push!(interp, host.chain_id());
}

/// BASEFEE (EIP-3198).
pub fn basefee<H: Host + ?Sized>(interp: &mut Interpreter, host: &mut H) {
    push!(interp, host.basefee());
}

/// BLOBBASEFEE (EIP-7516).
pub fn blob_basefee<H: Host + ?Sized>(interp: &mut Interpreter, host: &mut H) {
    push!(interp, host.blob_basefee());
}

/// BLOBHASH (EIP-4844): the transaction's versioned hash at an index, else zero.
pub fn blob_hash<H: Host + ?Sized>(interp: &mut Interpreter, host: &mut H) {
    pop_top!(interp, index);
    *index = usize::try_from(*index)
        .ok()
        .and_then(|i| host.blob_hash(i))
        .map(|hash| U256::from_be_bytes(hash.0))
        .unwrap_or_default();
}

/// ORIGIN.
pub fn origin<H: Host + ?Sized>(interp: &mut Interpreter, host: &mut H) {
    push!(interp, host.origin().into_word().into());
}

/// GASPRICE.
pub fn gasprice<H: Host + ?Sized>(interp: &mut Interpreter, host: &mut H) {
    push!(interp, host.effective_gas_price());
}
