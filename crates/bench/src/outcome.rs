//! The outcome of a benchmark case, as `MANIFEST.md` section 1 defines it, and the
//! outcomes recorded on revm.

use crate::{Error, setup::read_text};
use lamina_primitives::B256;
use serde::{Deserialize, Serialize};
use std::{collections::BTreeMap, fmt, path::Path};

/// What running a case produced. Field names and meanings are those of
/// `revm_outcomes.jsonl`, so a recorded line deserialises into it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Outcome {
    /// `success:Stop`, `success:Return`, `success:SelfDestruct`, `revert` or
    /// `halt:<reason>` (the reason as its Debug name, e.g. `halt:OutOfGas(Basic)`). A batch
    /// reports `success` when every transaction succeeded, else `tx <i>: <status>` of the
    /// first that did not.
    pub status: String,
    /// The receipt's gas: spent − refund (at least the EIP-7623 floor). Summed over a batch.
    pub gas_used: u64,
    /// Gas before the refund. Summed over a batch.
    pub gas_spent: u64,
    /// The refund applied (capped per EIP-3529). Summed over a batch.
    pub gas_refunded: u64,
    /// Length of the return or revert data (none on a halt; a batch has no output).
    pub output_len: u64,
    /// keccak256 of that data.
    pub output_keccak: B256,
    /// Logs emitted. Summed over a batch.
    pub logs: u64,
    /// Transactions run.
    pub txs: u64,
    /// For cases with an expected output (evmone): whether the output equals it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expected_output_match: Option<bool>,
    /// keccak256 of the non-empty accounts of the final state (see [`crate::state_digest`]).
    pub post_state_digest: B256,
    /// How many accounts the digest covers.
    pub post_accounts: u64,
}

/// A field on which two outcomes differ.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldDiff {
    /// The field's name.
    pub field: String,
    /// revm's value (JSON), or `-` when absent.
    pub expected: String,
    /// Lamina's value (JSON), or `-` when absent.
    pub actual: String,
}

impl fmt::Display for FieldDiff {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: expected {}, got {}", self.field, self.expected, self.actual)
    }
}

impl Outcome {
    /// Every field on which `self` differs from `expected`; empty when they are equal.
    pub fn differences(&self, expected: &Outcome) -> Vec<FieldDiff> {
        // Through JSON, so that a field added to `Outcome` is compared without a list here.
        let (actual, expected) = (self.to_json_map(), expected.to_json_map());
        let mut fields: Vec<&String> = actual.keys().chain(expected.keys()).collect();
        fields.sort();
        fields.dedup();
        let show = |value: Option<&serde_json::Value>| value.map_or("-".into(), |v| v.to_string());
        fields
            .into_iter()
            .filter(|field| actual.get(*field) != expected.get(*field))
            .map(|field| FieldDiff {
                field: field.clone(),
                expected: show(expected.get(field)),
                actual: show(actual.get(field)),
            })
            .collect()
    }

    /// `Ok` when equal to `expected`, else [`Error::Mismatch`] naming `case`.
    pub fn check(&self, case: &str, expected: &Outcome) -> Result<(), Error> {
        let diffs = self.differences(expected);
        if diffs.is_empty() { Ok(()) } else { Err(Error::Mismatch { case: case.into(), diffs }) }
    }

    fn to_json_map(&self) -> serde_json::Map<String, serde_json::Value> {
        match serde_json::to_value(self) {
            Ok(serde_json::Value::Object(map)) => map,
            // A struct of plain fields always serialises to an object.
            _ => serde_json::Map::new(),
        }
    }
}

/// A line of `revm_outcomes.jsonl`: the case's name, its outcome and where it was measured.
/// (No `deny_unknown_fields`: `flatten` collects the other fields, and `Outcome` denies.)
#[derive(Deserialize)]
struct RecordJson {
    name: String,
    #[serde(rename = "spec")]
    _spec: Option<String>,
    #[serde(rename = "revm")]
    _revm: Option<String>,
    #[serde(flatten)]
    outcome: serde_json::Map<String, serde_json::Value>,
}

/// Reads `revm_outcomes.jsonl` of `dir`: the outcome measured on revm for every case, by
/// name. Fails on a malformed line and on a name recorded twice.
pub fn load_revm_outcomes(dir: impl AsRef<Path>) -> Result<BTreeMap<String, Outcome>, Error> {
    let path = dir.as_ref().join("revm_outcomes.jsonl");
    let text = read_text(&path)?;
    let mut outcomes = BTreeMap::new();
    for (index, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let json_error = |source| Error::Json { path: path.clone(), line: Some(index + 1), source };
        let record: RecordJson = serde_json::from_str(line).map_err(json_error)?;
        // The rest of the line must be exactly an outcome (`Outcome` denies unknown fields).
        let outcome: Outcome = serde_json::from_value(serde_json::Value::Object(record.outcome))
            .map_err(json_error)?;
        if outcomes.insert(record.name.clone(), outcome).is_some() {
            let context = format!("{}:{}", path.display(), index + 1);
            return Err(Error::setup(context, format!("{} is recorded twice", record.name)));
        }
    }
    Ok(outcomes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Outcome {
        Outcome {
            status: "success:Stop".into(),
            gas_used: 21_000,
            gas_spent: 21_000,
            gas_refunded: 0,
            output_len: 0,
            output_keccak: lamina_primitives::KECCAK_EMPTY,
            logs: 0,
            txs: 1,
            expected_output_match: None,
            post_state_digest: B256::ZERO,
            post_accounts: 2,
        }
    }

    #[test]
    fn differences_name_each_field() {
        let expected = sample();
        assert!(expected.differences(&expected).is_empty());
        let actual = Outcome { gas_used: 21_001, expected_output_match: Some(true), ..sample() };
        let diffs = actual.differences(&expected);
        let fields: Vec<_> = diffs.iter().map(|d| d.field.as_str()).collect();
        assert_eq!(fields, ["expected_output_match", "gas_used"]);
        assert_eq!(diffs[1].to_string(), "gas_used: expected 21000, got 21001");
        assert_eq!(diffs[0].expected, "-");
        assert!(actual.check("x", &expected).is_err());
    }

    #[test]
    fn record_round_trip() {
        let line = r#"{"name":"a","status":"revert","gas_used":1,"gas_spent":1,"gas_refunded":0,"output_len":0,"output_keccak":"0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470","logs":0,"txs":1,"post_state_digest":"0x0000000000000000000000000000000000000000000000000000000000000000","post_accounts":0,"spec":"Osaka","revm":"43.0.3"}"#;
        let record: RecordJson = serde_json::from_str(line).unwrap();
        let outcome: Outcome =
            serde_json::from_value(serde_json::Value::Object(record.outcome)).unwrap();
        assert_eq!(outcome.status, "revert");
        let unknown = line.replace("\"txs\"", "\"tx_count\"");
        let record: RecordJson = serde_json::from_str(&unknown).unwrap();
        assert!(
            serde_json::from_value::<Outcome>(serde_json::Value::Object(record.outcome)).is_err()
        );
    }
}
