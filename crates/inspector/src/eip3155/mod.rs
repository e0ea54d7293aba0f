//! [`TracerEip3155`]: EIP-3155 traces exactly as go-ethereum's JSON logger writes them.

mod geth;
mod json;

use crate::Inspector;
use core::fmt::Write as _;
use geth::Stopped;
use json::{push_address, push_hex, push_hex_string, push_quantity, push_string};
use lamina_context_interface::{Cfg, ContextTr, JournalTr};
use lamina_interpreter::{
    CallInputs, CallOutcome, CallScheme, CallValue, CreateInputs, CreateOutcome, DummyHost,
    InstructionTable, Interpreter, InterpreterResult,
};
use lamina_primitives::{Address, B256, SpecId, U256};
use std::io;

/// An [`Inspector`] that writes an EIP-3155 trace in go-ethereum's dialect, one JSON object
/// per line, byte for byte what `evm run --trace`, `evm statetest --trace` and
/// `evm t8n --trace` print (go-ethereum 1.15 and later):
///
/// - a line per instruction, written once its cost is known:
///   `{"pc":0,"op":96,"gas":"0x2540be400","gasCost":"0x3","memSize":0,"stack":[],"depth":1,"refund":0,"opName":"PUSH1"}`,
///   with `"memory"` and `"returnData"` when enabled and non-empty, and `"error"` on a failing
///   instruction (an instruction that fails while running, such as REVERT, gets a second line
///   with the state after it and the error);
/// - a line when any frame ends, precompiles and accounts without code included, and after
///   each SELFDESTRUCT: `{"output":"","gasUsed":"0x3"}` plus `"error"` if it failed. The last
///   line of a transaction is the top frame's, the trace's summary;
/// - with [`with_call_frames`](Self::with_call_frames), a line when a frame starts:
///   `{"from":"0x…","to":"0x…","gas":"0x…","value":"0x…","type":"CALL"}`.
///
/// The `{"stateRoot": "0x…"}` line that `evm statetest` adds is the runner's: see
/// [`write_state_root`].
///
/// Defaults are go-ethereum's: no memory, no return data, no call frame lines. A write error
/// stops the output; [`take_error`](Self::take_error) returns it.
pub struct TracerEip3155<W = Box<dyn io::Write>> {
    output: W,
    memory: bool,
    return_data: bool,
    call_frames: bool,
    /// Frames entered and not yet left, outermost first; the depth is their number.
    frames: Vec<Frame>,
    /// The instruction between `step` and `step_end`.
    op: Option<Op>,
    /// The state part of the current instruction's line, rendered before it runs.
    state: String,
    /// A call or create instruction's line, held until the child's inputs arrive: a CREATE's
    /// cost does not include the gas it hands to the init code, and Lamina has charged it.
    pending: Option<Pending>,
    /// A SELFDESTRUCT reported during the instruction, written after the instruction's line.
    selfdestruct: Option<(Address, Address, U256)>,
    /// Static gas per opcode of the fork traced (for instructions that fail before any gas
    /// is charged).
    static_gas: Option<(SpecId, Box<[u64; 256]>)>,
    line: String,
    error: Option<io::Error>,
}

impl<W> core::fmt::Debug for TracerEip3155<W> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("TracerEip3155")
            .field("memory", &self.memory)
            .field("return_data", &self.return_data)
            .field("call_frames", &self.call_frames)
            .field("depth", &self.frames.len())
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Default)]
struct Frame {
    /// The refund counters of the frames below, added up when this frame started.
    refund_base: i64,
    /// This frame's refund counter as of its last instruction.
    refund: i64,
    /// The error of the instruction that ended the frame.
    error: Option<String>,
}

#[derive(Clone, Copy, Debug)]
struct Op {
    pc: usize,
    opcode: u8,
    gas: u64,
    stack_len: usize,
    /// The third stack word from the top (a CREATE's init code size, for its error text).
    third: Option<U256>,
}

#[derive(Clone, Copy, Debug)]
struct Pending {
    op: Op,
    cost: u64,
    refund: u64,
}

impl<W: io::Write> TracerEip3155<W> {
    /// A tracer writing to `output` with go-ethereum's defaults. Each line is handed to
    /// `output` in one `write_all`; buffer it (`BufWriter`) for speed.
    pub fn new(output: W) -> Self {
        Self {
            output,
            memory: false,
            return_data: false,
            call_frames: false,
            frames: Vec::new(),
            op: None,
            state: String::new(),
            pending: None,
            selfdestruct: None,
            static_gas: None,
            line: String::new(),
            error: None,
        }
    }

    /// Whether instruction lines carry `"memory"` (go-ethereum's `--trace.nomemory=false`);
    /// with call frame lines, whether those carry `"input"`.
    pub fn with_memory(mut self, enabled: bool) -> Self {
        self.memory = enabled;
        self
    }

    /// Whether instruction lines carry `"returnData"` (`--trace.noreturndata=false`).
    pub fn with_return_data(mut self, enabled: bool) -> Self {
        self.return_data = enabled;
        self
    }

    /// Whether a line is written when a frame starts (`--trace.callframes`).
    pub fn with_call_frames(mut self, enabled: bool) -> Self {
        self.call_frames = enabled;
        self
    }

    /// The writer.
    pub fn writer(&mut self) -> &mut W {
        &mut self.output
    }

    /// Gives the writer back.
    pub fn into_writer(self) -> W {
        self.output
    }

    /// The first write error, if one happened; writing resumes after it is taken.
    pub fn take_error(&mut self) -> Option<io::Error> {
        self.error.take()
    }

    /// Flushes the writer.
    pub fn flush(&mut self) -> io::Result<()> {
        self.output.flush()
    }

    fn emit(&mut self) {
        if self.error.is_none()
            && let Err(error) = self.output.write_all(self.line.as_bytes())
        {
            self.error = Some(error);
        }
    }

    /// go-ethereum's refund counter is one per transaction, undone with a failing frame;
    /// Lamina keeps one per frame and adds a child's to its parent's on success, so the sum
    /// over the frames running is the same number. It is never negative in go-ethereum.
    fn refund(&self) -> u64 {
        self.frames.last().map_or(0, |frame| (frame.refund_base + frame.refund).max(0) as u64)
    }

    fn write_op_line(&mut self, op: &Op, cost: u64, refund: u64, error: Option<&str>) {
        let line = &mut self.line;
        line.clear();
        let _ = write!(line, "{{\"pc\":{},\"op\":{},\"gas\":", op.pc, op.opcode);
        push_quantity(line, op.gas);
        line.push_str(",\"gasCost\":");
        push_quantity(line, cost);
        line.push_str(&self.state);
        let _ = write!(line, ",\"depth\":{},\"refund\":{refund},\"opName\":\"", self.frames.len());
        geth::push_op_name(line, op.opcode);
        line.push('"');
        if let Some(error) = error {
            line.push_str(",\"error\":");
            push_string(line, error);
        }
        line.push_str("}\n");
        self.emit();
    }

    /// Writes the line of a call or create instruction, less the gas it forwards to a
    /// create frame.
    fn write_pending(&mut self, forwarded: u64) {
        if let Some(Pending { op, cost, refund }) = self.pending.take() {
            self.write_op_line(&op, cost.saturating_sub(forwarded), refund, None);
        }
    }

    fn write_exit(&mut self, output: &[u8], gas_used: u64, error: Option<&str>) {
        let line = &mut self.line;
        line.clear();
        line.push_str("{\"output\":\"");
        push_hex(line, output);
        line.push_str("\",\"gasUsed\":");
        push_quantity(line, gas_used);
        if let Some(error) = error {
            line.push_str(",\"error\":");
            push_string(line, error);
        }
        line.push_str("}\n");
        self.emit();
    }

    /// A call frame line; `value` `None` is written `null`, as go-ethereum does for
    /// STATICCALL.
    fn write_enter(
        &mut self,
        from: Address,
        to: Address,
        input: &[u8],
        gas: u64,
        value: Option<U256>,
        kind: &str,
    ) {
        let line = &mut self.line;
        line.clear();
        line.push_str("{\"from\":");
        push_address(line, &from);
        line.push_str(",\"to\":");
        push_address(line, &to);
        if self.memory && !input.is_empty() {
            line.push_str(",\"input\":");
            push_hex_string(line, input);
        }
        line.push_str(",\"gas\":");
        push_quantity(line, gas);
        line.push_str(",\"value\":");
        match value {
            Some(value) => push_quantity(line, value),
            None => line.push_str("null"),
        }
        line.push_str(",\"type\":\"");
        line.push_str(kind);
        line.push_str("\"}\n");
        self.emit();
    }

    fn enter<CTX: ContextTr>(&mut self, context: &CTX) {
        let refund_base = match self.frames.last() {
            Some(parent) => parent.refund_base + parent.refund,
            None => {
                self.load_static_gas(context.cfg().spec());
                0
            }
        };
        self.frames.push(Frame { refund_base, refund: 0, error: None });
    }

    fn load_static_gas(&mut self, spec: SpecId) {
        if self.static_gas.as_ref().is_some_and(|(cached, _)| *cached == spec) {
            return;
        }
        // Static gas does not depend on the host; any host's table of the fork has it.
        let table = InstructionTable::<DummyHost>::new(spec);
        let gas = Box::new(table.static_gas());
        self.static_gas = Some((spec, gas));
    }

    fn exit(&mut self, result: &InterpreterResult, is_create: bool) {
        let frame = self.frames.pop().unwrap_or_default();
        let gas_used = result.gas.limit().saturating_sub(result.gas.remaining());
        let error = (!result.result.is_ok()).then(|| {
            frame.error.unwrap_or_else(|| geth::frame_error(result.result, is_create).into())
        });
        self.write_exit(&result.output, gas_used, error.as_deref());
    }
}

/// Renders the state part of an instruction line, from `"memory"` (if enabled) to
/// `"returnData"` (if enabled): `,"memSize":0,"stack":["0x1"]`.
fn render_state(out: &mut String, interp: &Interpreter, memory: bool, return_data: bool) {
    out.clear();
    let mem = interp.memory.context_memory();
    if memory && !mem.is_empty() {
        out.push_str(",\"memory\":");
        push_hex_string(out, mem);
    }
    let _ = write!(out, ",\"memSize\":{},\"stack\":[", mem.len());
    for (i, word) in interp.stack.data().iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_quantity(out, *word);
    }
    out.push(']');
    if return_data && !interp.return_data.is_empty() {
        out.push_str(",\"returnData\":");
        push_hex_string(out, &interp.return_data);
    }
}

impl<CTX: ContextTr, W: io::Write> Inspector<CTX> for TracerEip3155<W> {
    fn step(&mut self, interp: &mut Interpreter, _context: &mut CTX) {
        render_state(&mut self.state, interp, self.memory, self.return_data);
        let stack = interp.stack.data();
        self.op = Some(Op {
            pc: interp.pc(),
            opcode: interp.current_opcode(),
            gas: interp.gas.remaining(),
            stack_len: stack.len(),
            third: stack.len().checked_sub(3).map(|i| stack[i]),
        });
    }

    fn step_end(&mut self, interp: &mut Interpreter, _context: &mut CTX) {
        let Some(op) = self.op.take() else { return };
        let spent = op.gas.saturating_sub(interp.gas.remaining());
        if let Some(frame) = self.frames.last_mut() {
            frame.refund = interp.gas.refunded();
        }
        // go-ethereum computes gas (and with it SSTORE's refund) before it logs the
        // instruction, so the line shows the refund counter after the instruction.
        let refund = self.refund();
        match geth::stopped(interp.control(), op.opcode) {
            Stopped::No => {
                self.write_op_line(&op, spent, refund, None);
                if let Some((contract, target, value)) = self.selfdestruct.take() {
                    // go-ethereum reports a SELFDESTRUCT as a frame that starts and ends.
                    if self.call_frames {
                        self.write_enter(contract, target, &[], 0, Some(value), "SELFDESTRUCT");
                    }
                    self.write_exit(&[], 0, None);
                }
            }
            Stopped::ForFrame => self.pending = Some(Pending { op, cost: spent, refund }),
            Stopped::WhileRunning(error) => {
                self.write_op_line(&op, spent, refund, None);
                // go-ethereum's second line has the state after the instruction and never
                // the return data.
                render_state(&mut self.state, interp, self.memory, false);
                self.write_op_line(&op, spent, refund, Some(&error));
                if let Some(frame) = self.frames.last_mut() {
                    frame.error = Some(error);
                }
            }
            Stopped::BeforeRunning => {
                let failed = geth::Failed {
                    opcode: op.opcode,
                    gas: op.gas,
                    spent,
                    stack_len: op.stack_len,
                    third: op.third,
                    static_gas: self
                        .static_gas
                        .as_ref()
                        .map_or(0, |(_, gas)| gas[op.opcode as usize]),
                };
                let (cost, error) = geth::failed_before(interp.control(), &failed, &interp.params);
                self.write_op_line(&op, cost, refund, Some(&error));
                if let Some(frame) = self.frames.last_mut() {
                    frame.error = Some(error);
                }
            }
        }
    }

    fn call(&mut self, context: &mut CTX, inputs: &mut CallInputs) -> Option<CallOutcome> {
        self.write_pending(0);
        if self.call_frames {
            // go-ethereum names the frame's code address as `to`, and as `from` the account
            // the calling code runs as.
            let from = match inputs.scheme {
                CallScheme::DelegateCall | CallScheme::CallCode => inputs.target_address,
                CallScheme::Call | CallScheme::StaticCall => inputs.caller,
            };
            let value = match (inputs.scheme, inputs.value) {
                (CallScheme::StaticCall, _) => None,
                (_, CallValue::Transfer(value) | CallValue::Apparent(value)) => Some(value),
            };
            // Inspectors are shown call data of its own (`InspectorHooks::frame_start`).
            let input = inputs.input.as_bytes().map_or(&[][..], |bytes| &bytes[..]);
            self.write_enter(
                from,
                inputs.bytecode_address,
                input,
                inputs.gas_limit,
                value,
                geth::call_type(inputs.scheme),
            );
        }
        self.enter(context);
        None
    }

    fn call_end(&mut self, _context: &mut CTX, _inputs: &CallInputs, outcome: &mut CallOutcome) {
        self.exit(&outcome.result, false);
    }

    fn create(&mut self, context: &mut CTX, inputs: &mut CreateInputs) -> Option<CreateOutcome> {
        self.write_pending(inputs.gas_limit);
        if self.call_frames {
            // The frame loop derives the address from the creator's nonce as it stands now.
            let nonce = context
                .journal()
                .load_account(inputs.caller)
                .map(|account| account.data.info.nonce)
                .unwrap_or_default();
            let kind = match inputs.scheme {
                lamina_interpreter::CreateScheme::Create => "CREATE",
                lamina_interpreter::CreateScheme::Create2 { .. } => "CREATE2",
            };
            self.write_enter(
                inputs.caller,
                inputs.created_address(nonce),
                &inputs.init_code,
                inputs.gas_limit,
                Some(inputs.value),
                kind,
            );
        }
        self.enter(context);
        None
    }

    fn create_end(
        &mut self,
        _context: &mut CTX,
        _inputs: &CreateInputs,
        outcome: &mut CreateOutcome,
    ) {
        self.exit(&outcome.result, true);
    }

    fn selfdestruct(&mut self, contract: Address, target: Address, value: U256) {
        self.selfdestruct = Some((contract, target, value));
    }
}

/// Writes the line `evm statetest` prints after each test case, traced or not:
/// `{"stateRoot": "0x…"}` (with a space after the colon: go-ethereum formats this line by
/// hand, not with its JSON encoder).
pub fn write_state_root(output: &mut impl io::Write, root: &B256) -> io::Result<()> {
    let mut line = String::with_capacity(82);
    line.push_str("{\"stateRoot\": ");
    push_hex_string(&mut line, root.as_slice());
    line.push_str("}\n");
    output.write_all(line.as_bytes())
}
