//! `benchmarks.json` and the files it names, resolved into runnable [`Case`]s.
//!
//! Every field of the file is understood or rejected (`deny_unknown_fields`): a setting this
//! loader ignored would make Lamina run a different benchmark than revm did.

use crate::{Error, decode_hexx};
use lamina_context::{BlockEnv, CfgEnv, TxEnv};
use lamina_context_interface::Cfg;
use lamina_primitives::{Address, B256, Bytes, SpecId, U256};
use serde::Deserialize;
use std::{
    collections::{BTreeMap, HashSet},
    path::{Path, PathBuf},
};

/// A benchmark of `benchmarks.json`, with all its inputs read and decoded.
#[derive(Clone, Debug)]
pub struct Benchmark {
    /// Its name (`revm/snailtracer`, `evmone/main/sha1_divs`, `revm-gce`).
    pub name: String,
    /// Where it comes from, if the file says.
    pub origin: Option<String>,
    /// Marked optional (the gas-cost-estimator programs): a command line may leave it out
    /// unless asked.
    pub optional: bool,
    /// Its cases. A plain benchmark has one, named like the benchmark; an evmone benchmark
    /// has one per input (`<name>/<input name>`), a CSV one per program (`<name>/<id>`).
    pub cases: Vec<Case>,
    /// Inputs left out as `MANIFEST.md` says: CSV programs whose hex has an odd length
    /// (revme skips them because they do not decode).
    pub skipped: Vec<String>,
}

/// How a case's transactions run.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Exec {
    /// One transaction on the fresh pre-state.
    #[default]
    Single,
    /// The transactions in order, each committed before the next; the outcome is the
    /// batch's (status `success` when all succeed, gas and logs summed).
    CommitEach,
}

/// An account of a pre-state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PreAccount {
    /// Address.
    pub address: Address,
    /// Balance in wei.
    pub balance: U256,
    /// Nonce.
    pub nonce: u64,
    /// Runtime code (empty for none).
    pub code: Bytes,
    /// Storage slots.
    pub storage: Vec<(U256, U256)>,
}

/// One runnable case: environment, pre-state and transactions.
#[derive(Clone, Debug)]
pub struct Case {
    /// The name under which `revm_outcomes.jsonl` records its outcome.
    pub name: String,
    /// Configuration: the fork (`cfg.spec`), nonce check, EIP-7825 cap.
    pub cfg: CfgEnv,
    /// The block.
    pub block: BlockEnv,
    /// The pre-state: the only accounts that exist.
    pub pre: Vec<PreAccount>,
    /// The transactions (one unless `exec` is [`Exec::CommitEach`]).
    pub txs: Vec<TxEnv>,
    /// How the transactions run.
    pub exec: Exec,
    /// The output the benchmark's authors expect (evmone inputs), checked into
    /// [`Outcome::expected_output_match`](crate::Outcome::expected_output_match).
    pub expected_output: Option<Bytes>,
}

/// Reads `benchmarks.json` of `dir` and every file it names.
///
/// Fails on any file that cannot be read, any field that is unknown or malformed, and on a
/// benchmark that yields no case.
pub fn load_benchmarks(dir: impl AsRef<Path>) -> Result<Vec<Benchmark>, Error> {
    let dir = dir.as_ref();
    let path = dir.join("benchmarks.json");
    let text = read_text(&path)?;
    let file: FileJson = serde_json::from_str(&text).map_err(|source| Error::Json {
        path: path.clone(),
        line: None,
        source,
    })?;
    let loader = Loader { dir };
    let mut names = HashSet::new();
    let mut benchmarks = Vec::with_capacity(file.benchmarks.len());
    for json in file.benchmarks {
        if !names.insert(json.name.clone()) {
            return Err(Error::setup(&json.name, "benchmark name is used twice"));
        }
        let benchmark = loader.benchmark(json)?;
        if benchmark.cases.is_empty() {
            return Err(Error::setup(&benchmark.name, "no cases"));
        }
        benchmarks.push(benchmark);
    }
    Ok(benchmarks)
}

pub(crate) fn read_text(path: &Path) -> Result<String, Error> {
    std::fs::read_to_string(path).map_err(|source| Error::Io { path: path.to_owned(), source })
}

// ---- the file's shape ----

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileJson {
    #[serde(rename = "about")]
    _about: Option<String>,
    benchmarks: Vec<BenchmarkJson>,
}

#[derive(Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Kind {
    /// One setup, its transactions in `tx` (and `tx_range`).
    #[default]
    Transactions,
    /// evmone: `code` at `contract`, one case per entry of the `inputs` file.
    EvmoneInputs,
    /// revme's gas-cost estimator: one case per program of the `csv` file, each on
    /// BenchmarkDB.
    CsvPrograms,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BenchmarkJson {
    name: String,
    #[serde(default)]
    kind: Kind,
    #[serde(default)]
    optional: bool,
    origin: Option<String>,
    spec: String,
    #[serde(default)]
    cfg: CfgJson,
    #[serde(default)]
    block: BlockJson,
    #[serde(default)]
    exec: Exec,
    #[serde(default)]
    pre: PreJson,
    tx: TxJson,
    tx_range: Option<TxRangeJson>,
    // evmone_inputs
    code: Option<String>,
    inputs: Option<String>,
    contract: Option<String>,
    // csv_programs
    csv: Option<String>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CfgJson {
    #[serde(default)]
    disable_nonce_check: bool,
    tx_gas_limit_cap: Option<Int>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct BlockJson {
    number: Option<Int>,
    coinbase: Option<String>,
    timestamp: Option<Int>,
    gas_limit: Option<Int>,
    basefee: Option<Int>,
    difficulty: Option<Int>,
    prevrandao: Option<String>,
    excess_blob_gas: Option<Int>,
}

#[derive(Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PreJson {
    revm_benchmark_db: Option<BenchmarkDbJson>,
    #[serde(default)]
    accounts: Vec<AccountJson>,
    #[serde(default)]
    account_ranges: Vec<AccountJson>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BenchmarkDbJson {
    code: String,
}

/// An account (`accounts`: `address`) or a run of accounts at consecutive addresses
/// (`account_ranges`: `base` and `count`). One type for both, because `flatten` would lose
/// `deny_unknown_fields`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AccountJson {
    address: Option<String>,
    base: Option<String>,
    count: Option<Int>,
    balance: Option<Int>,
    nonce: Option<Int>,
    code: Option<String>,
    #[serde(default)]
    storage: BTreeMap<String, Int>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TxJson {
    caller: String,
    to: Option<String>,
    value: Option<Int>,
    data: Option<String>,
    gas_limit: Int,
    gas_price: Option<Int>,
    gas_priority_fee: Option<Int>,
    nonce: Option<Int>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TxRangeJson {
    count: Int,
    caller_step: Int,
    to_step: Int,
}

/// An integer as the file writes it: a JSON number, a decimal string or a 0x-hex string.
#[derive(Clone, Deserialize)]
#[serde(untagged)]
enum Int {
    Number(u64),
    Text(String),
}

impl Int {
    fn u256(&self, context: &str) -> Result<U256, Error> {
        let text = match self {
            Self::Number(n) => return Ok(U256::from(*n)),
            Self::Text(text) => text.trim(),
        };
        let parsed = match text.strip_prefix("0x").or_else(|| text.strip_prefix("0X")) {
            Some(hex) if !hex.is_empty() => U256::from_str_radix(hex, 16),
            Some(_) => return Err(Error::setup(context, "empty hex number")),
            None => U256::from_str_radix(text, 10),
        };
        parsed.map_err(|e| Error::setup(context, format!("bad number {text:?}: {e}")))
    }

    fn u64(&self, context: &str) -> Result<u64, Error> {
        let value = self.u256(context)?;
        u64::try_from(value).map_err(|_| Error::setup(context, format!("{value} exceeds 64 bits")))
    }

    fn u128(&self, context: &str) -> Result<u128, Error> {
        let value = self.u256(context)?;
        u128::try_from(value)
            .map_err(|_| Error::setup(context, format!("{value} exceeds 128 bits")))
    }
}

// ---- resolution ----

struct Loader<'a> {
    dir: &'a Path,
}

/// Everything of a benchmark that its cases share.
struct Common {
    cfg: CfgEnv,
    block: BlockEnv,
}

impl Loader<'_> {
    fn benchmark(&self, json: BenchmarkJson) -> Result<Benchmark, Error> {
        let name = json.name.clone();
        let ctx = |field: &str| format!("{name}: {field}");
        let spec: SpecId =
            json.spec.parse().map_err(|_| Error::setup(ctx("spec"), "unknown fork"))?;
        let cfg = cfg_env(spec, &json.cfg, &ctx("cfg"))?;
        let block = block_env(&json.block, &cfg, &ctx("block"))?;
        let common = Common { cfg, block };

        let kind_fields = [
            ("code", json.code.is_some(), Kind::EvmoneInputs),
            ("inputs", json.inputs.is_some(), Kind::EvmoneInputs),
            ("contract", json.contract.is_some(), Kind::EvmoneInputs),
            ("csv", json.csv.is_some(), Kind::CsvPrograms),
        ];
        for (field, present, kind) in kind_fields {
            if present && kind != json.kind {
                return Err(Error::setup(ctx(field), "not allowed for this kind"));
            }
        }
        if json.kind != Kind::Transactions && (json.tx_range.is_some() || json.exec != Exec::Single)
        {
            return Err(Error::setup(&name, "tx_range and exec are for plain benchmarks only"));
        }

        let mut skipped = Vec::new();
        let cases = match json.kind {
            Kind::Transactions => vec![self.plain_case(&json, common)?],
            Kind::EvmoneInputs => self.evmone_cases(&json, &common)?,
            Kind::CsvPrograms => self.csv_cases(&json, &common, &mut skipped)?,
        };
        Ok(Benchmark { name, origin: json.origin, optional: json.optional, cases, skipped })
    }

    fn plain_case(&self, json: &BenchmarkJson, common: Common) -> Result<Case, Error> {
        let name = &json.name;
        let pre = self.pre_state(&json.pre, name)?;
        let tx = self.tx_env(&json.tx, None, name)?;
        let txs = match &json.tx_range {
            None => vec![tx],
            Some(range) => tx_range(tx, range, &format!("{name}: tx_range"))?,
        };
        if json.exec == Exec::Single && txs.len() != 1 {
            return Err(Error::setup(name, "a single execution needs exactly one transaction"));
        }
        Ok(Case {
            name: name.clone(),
            cfg: common.cfg,
            block: common.block,
            pre,
            txs,
            exec: json.exec,
            expected_output: None,
        })
    }

    fn evmone_cases(&self, json: &BenchmarkJson, common: &Common) -> Result<Vec<Case>, Error> {
        let name = &json.name;
        let missing = |field: &str| Error::setup(format!("{name}: {field}"), "missing");
        let code = self.bytes(json.code.as_deref().ok_or_else(|| missing("code"))?, name)?;
        let inputs_ref = json.inputs.as_deref().ok_or_else(|| missing("inputs"))?;
        let contract = json.contract.as_deref().ok_or_else(|| missing("contract"))?;
        let contract = address(contract, &format!("{name}: contract"))?;
        if json.tx.to.is_some() {
            return Err(Error::setup(format!("{name}: tx.to"), "evmone inputs call `contract`"));
        }
        let mut pre = self.pre_state(&json.pre, name)?;
        let contract_account = PreAccount {
            address: contract,
            balance: U256::ZERO,
            nonce: 0,
            code,
            storage: Vec::new(),
        };
        pre.push(contract_account);
        ensure_unique(&pre, name)?;
        let template = self.tx_env(&json.tx, Some(contract), name)?;

        let inputs_path = self.file_path(inputs_ref, name)?;
        let inputs = parse_evmone_inputs(&read_text(&inputs_path)?, &inputs_path.display())?;
        Ok(inputs
            .into_iter()
            .map(|input| Case {
                name: format!("{name}/{}", input.name),
                cfg: common.cfg.clone(),
                block: common.block.clone(),
                pre: pre.clone(),
                txs: vec![TxEnv { data: input.calldata, ..template.clone() }],
                exec: Exec::Single,
                expected_output: Some(input.expected),
            })
            .collect())
    }

    fn csv_cases(
        &self,
        json: &BenchmarkJson,
        common: &Common,
        skipped: &mut Vec<String>,
    ) -> Result<Vec<Case>, Error> {
        let name = &json.name;
        let csv_ref =
            json.csv.as_deref().ok_or_else(|| Error::setup(format!("{name}: csv"), "missing"))?;
        let pre_given = json.pre.revm_benchmark_db.is_some()
            || !json.pre.accounts.is_empty()
            || !json.pre.account_ranges.is_empty();
        if pre_given {
            // MANIFEST.md fixes the pre-state of every program: BenchmarkDB with its code.
            return Err(Error::setup(format!("{name}: pre"), "CSV programs run on BenchmarkDB"));
        }
        let tx = self.tx_env(&json.tx, None, name)?;
        let path = self.file_path(csv_ref, name)?;
        let programs = parse_csv_programs(&read_text(&path)?, &path.display(), skipped)?;
        Ok(programs
            .into_iter()
            .map(|(id, code)| Case {
                name: format!("{name}/{id}"),
                cfg: common.cfg.clone(),
                block: common.block.clone(),
                pre: benchmark_db(code),
                txs: vec![tx.clone()],
                exec: Exec::Single,
                expected_output: None,
            })
            .collect())
    }

    fn pre_state(&self, json: &PreJson, name: &str) -> Result<Vec<PreAccount>, Error> {
        let mut pre = Vec::new();
        if let Some(db) = &json.revm_benchmark_db {
            pre.extend(benchmark_db(self.bytes(&db.code, name)?));
        }
        for account in &json.accounts {
            let context = format!("{name}: account {}", account.address.as_deref().unwrap_or("?"));
            let (Some(text), None, None) = (&account.address, &account.base, &account.count) else {
                return Err(Error::setup(context, "an account has `address`, not `base`/`count`"));
            };
            let account = self.account(address(text, &context)?, account, &context)?;
            pre.push(account);
        }
        for range in &json.account_ranges {
            let context = format!("{name}: account range {}", range.base.as_deref().unwrap_or("?"));
            let (None, Some(base), Some(count)) = (&range.address, &range.base, &range.count)
            else {
                return Err(Error::setup(context, "a range has `base` and `count`, no `address`"));
            };
            let base = address(base, &context)?;
            let template = self.account(base, range, &context)?;
            for i in 0..count.u64(&context)? {
                let address = offset_address(base, i, &context)?;
                pre.push(PreAccount { address, ..template.clone() });
            }
        }
        ensure_unique(&pre, name)?;
        Ok(pre)
    }

    fn account(
        &self,
        address: Address,
        json: &AccountJson,
        context: &str,
    ) -> Result<PreAccount, Error> {
        let balance = json.balance.as_ref().map(|b| b.u256(context)).transpose()?;
        let nonce = json.nonce.as_ref().map(|n| n.u64(context)).transpose()?;
        let code = json.code.as_deref().map(|c| self.bytes(c, context)).transpose()?;
        let storage = json
            .storage
            .iter()
            .map(|(key, value)| Ok((Int::Text(key.clone()).u256(context)?, value.u256(context)?)))
            .collect::<Result<_, Error>>()?;
        Ok(PreAccount {
            address,
            balance: balance.unwrap_or_default(),
            nonce: nonce.unwrap_or_default(),
            code: code.unwrap_or_default(),
            storage,
        })
    }

    fn tx_env(&self, json: &TxJson, to: Option<Address>, name: &str) -> Result<TxEnv, Error> {
        let context = format!("{name}: tx");
        let to = match (&json.to, to) {
            (Some(to), _) => address(to, &context)?,
            (None, Some(to)) => to,
            // MANIFEST.md: nothing is ever deployed by CREATE.
            (None, None) => return Err(Error::setup(context, "missing `to`")),
        };
        let int = |value: &Option<Int>| value.as_ref().map(|v| v.u128(&context)).transpose();
        Ok(TxEnv::builder()
            .caller(address(&json.caller, &context)?)
            .to(to)
            .value(json.value.as_ref().map(|v| v.u256(&context)).transpose()?.unwrap_or_default())
            .data(
                json.data
                    .as_deref()
                    .map(|d| self.bytes(d, &context))
                    .transpose()?
                    .unwrap_or_default(),
            )
            .gas_limit(json.gas_limit.u64(&context)?)
            .gas_price(int(&json.gas_price)?.unwrap_or_default())
            .gas_priority_fee(int(&json.gas_priority_fee)?)
            .nonce(json.nonce.as_ref().map(|n| n.u64(&context)).transpose()?.unwrap_or_default())
            .build())
    }

    /// A byte string of the file: `0x…` inline, or `@path` to a hex file of the folder.
    fn bytes(&self, value: &str, context: &str) -> Result<Bytes, Error> {
        let (text, source) = if let Some(hex) = value.strip_prefix("0x") {
            (hex.to_owned(), context.to_owned())
        } else if value.starts_with('@') {
            let path = self.file_path(value, context)?;
            (read_text(&path)?, path.display().to_string())
        } else {
            return Err(Error::setup(context, format!("{value:?} is neither 0x-hex nor @path")));
        };
        decode_hexx(&text)
            .map(Bytes::from)
            .map_err(|source_err| Error::Hex { context: source, source: source_err })
    }

    /// The file an `@path` names, relative to the folder.
    fn file_path(&self, value: &str, context: &str) -> Result<PathBuf, Error> {
        let relative = value
            .strip_prefix('@')
            .map(Path::new)
            .filter(|path| path.is_relative() && !path.as_os_str().is_empty())
            .ok_or_else(|| Error::setup(context, format!("{value:?} is not @relative/path")))?;
        Ok(self.dir.join(relative))
    }
}

/// revm's BenchmarkDB: the target `0xff…ff` (nonce 1, 10^16 wei, `code`) and the caller
/// `0xee…ee` (nonce 0, 10^16 wei).
fn benchmark_db(code: Bytes) -> Vec<PreAccount> {
    let balance = U256::from(10_000_000_000_000_000u64);
    vec![
        PreAccount {
            address: Address::repeat_byte(0xff),
            balance,
            nonce: 1,
            code,
            storage: Vec::new(),
        },
        PreAccount {
            address: Address::repeat_byte(0xee),
            balance,
            nonce: 0,
            code: Bytes::new(),
            storage: Vec::new(),
        },
    ]
}

/// Refuses a pre-state that defines an address twice.
fn ensure_unique(pre: &[PreAccount], name: &str) -> Result<(), Error> {
    let mut seen = HashSet::with_capacity(pre.len());
    match pre.iter().find(|account| !seen.insert(account.address)) {
        Some(twice) => {
            Err(Error::setup(name, format!("account {} is defined twice", twice.address)))
        }
        None => Ok(()),
    }
}

fn cfg_env(spec: SpecId, json: &CfgJson, context: &str) -> Result<CfgEnv, Error> {
    let mut cfg = CfgEnv::new_with_spec(spec);
    cfg.disable_nonce_check = json.disable_nonce_check;
    cfg.tx_gas_limit_cap =
        json.tx_gas_limit_cap.as_ref().map(|cap| cap.u64(context)).transpose()?;
    Ok(cfg)
}

/// The block: MANIFEST.md's defaults (those of [`BlockEnv::default`]) with the file's
/// fields over them.
fn block_env(json: &BlockJson, cfg: &CfgEnv, context: &str) -> Result<BlockEnv, Error> {
    let mut block = BlockEnv::default();
    if let Some(number) = &json.number {
        block.number = number.u256(context)?;
    }
    if let Some(coinbase) = &json.coinbase {
        block.beneficiary = address(coinbase, context)?;
    }
    if let Some(timestamp) = &json.timestamp {
        block.timestamp = timestamp.u256(context)?;
    }
    if let Some(gas_limit) = &json.gas_limit {
        block.gas_limit = gas_limit.u64(context)?;
    }
    if let Some(basefee) = &json.basefee {
        block.basefee = basefee.u64(context)?;
    }
    if let Some(difficulty) = &json.difficulty {
        block.difficulty = difficulty.u256(context)?;
    }
    if let Some(prevrandao) = &json.prevrandao {
        let value: B256 = prevrandao
            .parse()
            .map_err(|_| Error::setup(context, format!("bad prevrandao {prevrandao:?}")))?;
        block.prevrandao = Some(value);
    }
    if let Some(excess) = &json.excess_blob_gas {
        block
            .set_blob_excess_gas_and_price(excess.u64(context)?, cfg.blob_params().update_fraction);
    }
    Ok(block)
}

/// Transaction i of a range: caller and `to` advanced by i steps (addresses read as
/// 160-bit integers).
fn tx_range(first: TxEnv, json: &TxRangeJson, context: &str) -> Result<Vec<TxEnv>, Error> {
    let count = json.count.u64(context)?;
    let caller_step = json.caller_step.u64(context)?;
    let to_step = json.to_step.u64(context)?;
    let lamina_context_interface::TxKind::Call(to) = first.kind else {
        return Err(Error::setup(context, "a range needs a call"));
    };
    (0..count)
        .map(|i| {
            let step = |by: u64| i.checked_mul(by).ok_or_else(|| Error::setup(context, "overflow"));
            Ok(TxEnv {
                caller: offset_address(first.caller, step(caller_step)?, context)?,
                kind: lamina_context_interface::TxKind::Call(offset_address(
                    to,
                    step(to_step)?,
                    context,
                )?),
                ..first.clone()
            })
        })
        .collect()
}

/// `base + offset`, the address read as a 160-bit integer.
fn offset_address(base: Address, offset: u64, context: &str) -> Result<Address, Error> {
    let sum = U256::from_be_slice(base.as_slice()) + U256::from(offset);
    if sum.bit_len() > 160 {
        return Err(Error::setup(context, format!("{base} + {offset} is past the last address")));
    }
    Ok(Address::from_slice(&sum.to_be_bytes::<32>()[12..]))
}

fn address(text: &str, context: &str) -> Result<Address, Error> {
    match text.strip_prefix("0x") {
        Some(hex) if hex.len() == 40 => text.parse().ok(),
        _ => None,
    }
    .ok_or_else(|| Error::setup(context, format!("bad address {text:?}")))
}

/// A case of an evmone `.inputs` file.
struct EvmoneInput {
    name: String,
    calldata: Bytes,
    expected: Bytes,
}

/// Parses evmone's `.inputs`: cases of three lines (name, input, expected output), blank
/// lines between cases ignored, a blank input or output line meaning empty.
///
/// A case's input and output lines are taken as they come, blank or not; a file that ends
/// right after a name (or an input) is read as if the missing lines were blank.
fn parse_evmone_inputs(
    text: &str,
    file: &impl std::fmt::Display,
) -> Result<Vec<EvmoneInput>, Error> {
    let lines: Vec<&str> = text.lines().collect();
    let mut cases: Vec<EvmoneInput> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let name = lines[i].trim();
        if name.is_empty() {
            i += 1;
            continue;
        }
        let line = |offset: usize| lines.get(i + offset).copied().unwrap_or("");
        let decode = |offset: usize, what: &str| {
            decode_hexx(line(offset)).map(Bytes::from).map_err(|source| Error::Hex {
                context: format!("{file}:{}: {what} of case {name}", i + offset + 1),
                source,
            })
        };
        if cases.iter().any(|case| case.name == name) {
            return Err(Error::setup(file.to_string(), format!("case {name} appears twice")));
        }
        let calldata = decode(1, "input")?;
        let expected = decode(2, "expected output")?;
        cases.push(EvmoneInput { name: name.to_owned(), calldata, expected });
        i += 3;
    }
    Ok(cases)
}

/// Parses revme's gas-cost-estimator CSV (`program_id,opcode,op_count,bytecode`) into
/// (program id, code), leaving out odd-length rows (recorded in `skipped`).
fn parse_csv_programs(
    text: &str,
    source: &impl std::fmt::Display,
    skipped: &mut Vec<String>,
) -> Result<Vec<(String, Bytes)>, Error> {
    const HEADER: [&str; 4] = ["program_id", "opcode", "op_count", "bytecode"];
    let mut lines = text.lines().enumerate().filter(|(_, line)| !line.trim().is_empty());
    let header: Vec<&str> =
        lines.next().map(|(_, line)| line.split(',').map(str::trim).collect()).unwrap_or_default();
    if header != HEADER {
        return Err(Error::setup(
            source.to_string(),
            format!("header is not {}", HEADER.join(",")),
        ));
    }
    let mut ids = HashSet::new();
    let mut programs = Vec::new();
    for (index, line) in lines {
        let at = format!("{source}:{}", index + 1);
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        let [id, _opcode, _count, hex] = fields[..] else {
            return Err(Error::setup(at, format!("expected {} columns", HEADER.len())));
        };
        if id.is_empty() || !ids.insert(id.to_owned()) {
            return Err(Error::setup(at, format!("program id {id:?} is empty or used twice")));
        }
        if hex.len() % 2 == 1 {
            skipped.push(id.to_owned());
            continue;
        }
        let code = decode_hexx(hex).map_err(|source| Error::Hex { context: at, source })?;
        programs.push((id.to_owned(), Bytes::from(code)));
    }
    Ok(programs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers() {
        let ok = |int: Int| int.u256("t").unwrap();
        assert_eq!(ok(Int::Number(7)), U256::from(7));
        assert_eq!(ok(Int::Text("1000".into())), U256::from(1000));
        assert_eq!(ok(Int::Text("0x2710".into())), U256::from(10000));
        assert!(Int::Text("0x".into()).u256("t").is_err());
        assert!(Int::Text("-1".into()).u256("t").is_err());
        assert!(Int::Text("12a".into()).u256("t").is_err());
        assert!(Int::Text("0x10000000000000000".into()).u64("t").is_err());
        assert_eq!(Int::Text("0xffffffffffffffff".into()).u64("t").unwrap(), u64::MAX);
        let json: Vec<Int> = serde_json::from_str(r#"[1, "2", "0x3"]"#).unwrap();
        assert_eq!(json.len(), 3);
        assert!(serde_json::from_str::<Int>("1.5").is_err());
        assert!(serde_json::from_str::<Int>("-1").is_err());
    }

    #[test]
    fn addresses() {
        let base = address("0x1000000000000000000000000000000000000000", "t").unwrap();
        let last = offset_address(base, 9999, "t").unwrap();
        assert_eq!(last, address("0x100000000000000000000000000000000000270f", "t").unwrap());
        assert!(offset_address(Address::repeat_byte(0xff), 1, "t").is_err());
        assert!(address("0x12", "t").is_err());
        assert!(address("1000000000000000000000000000000000000000", "t").is_err());
    }

    #[test]
    fn evmone_inputs() {
        let text = "\nnogrow\n00\n\n\nby1\n01\n\n\nlast\n(2x00)\nff";
        let cases = parse_evmone_inputs(text, &"t").unwrap();
        let names: Vec<_> = cases.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(names, ["nogrow", "by1", "last"]);
        assert_eq!(cases[0].calldata, Bytes::from(vec![0]));
        assert!(cases[0].expected.is_empty());
        assert_eq!(cases[2].calldata, Bytes::from(vec![0, 0]));
        assert_eq!(cases[2].expected, Bytes::from(vec![0xff]));
        let only_name = parse_evmone_inputs("empty\n", &"t").unwrap();
        assert!(only_name[0].calldata.is_empty() && only_name[0].expected.is_empty());
        assert!(parse_evmone_inputs("a\n0\n\n", &"t").is_err());
        assert!(parse_evmone_inputs("a\n\n\nA\n\n\na\n\n", &"t").is_err());
    }

    #[test]
    fn csv_programs() {
        let mut skipped = Vec::new();
        let text = "program_id,opcode,op_count,bytecode\nA,ADD,1,6001\nB,X,1,600\n\nC,Y,2,00\n";
        let programs = parse_csv_programs(text, &"t", &mut skipped).unwrap();
        assert_eq!(programs.len(), 2);
        assert_eq!(programs[0], ("A".to_owned(), Bytes::from(vec![0x60, 1])));
        assert_eq!(skipped, ["B"]);
        let mut skipped = Vec::new();
        assert!(parse_csv_programs("id,bytecode\n", &"t", &mut skipped).is_err());
        let bad_row = "program_id,opcode,op_count,bytecode\nA,ADD,6001\n";
        assert!(parse_csv_programs(bad_row, &"t", &mut skipped).is_err());
        let bad_hex = "program_id,opcode,op_count,bytecode\nA,ADD,1,60zz\n";
        assert!(parse_csv_programs(bad_hex, &"t", &mut skipped).is_err());
        let twice = "program_id,opcode,op_count,bytecode\nA,ADD,1,00\nA,ADD,1,00\n";
        assert!(parse_csv_programs(twice, &"t", &mut skipped).is_err());
    }
}
