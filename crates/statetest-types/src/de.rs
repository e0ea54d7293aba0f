//! Deserializers for the fixture encodings that the plain serde impls of the value types do not
//! cover. Numbers otherwise go through ruint's own deserializer, which already takes hex of any
//! case and length, decimal strings and JSON numbers.

use core::fmt;

use lamina_primitives::{Address, U256};
use serde::{
    Deserialize, Deserializer,
    de::{self, Visitor},
};

/// A `u64` quantity (nonces), written like any other number in the fixtures.
pub(crate) fn u64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<u64, D::Error> {
    let value = U256::deserialize(deserializer)?;
    u64::try_from(value)
        .map_err(|_| de::Error::custom(format_args!("{value:#x} does not fit in 64 bits")))
}

/// The transaction's `to`: the fixtures mark contract creation with an empty string.
pub(crate) fn to<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Address>, D::Error> {
    // Owned, not borrowed: a `from_reader` deserializer cannot lend `&str`.
    let text = Option::<String>::deserialize(deserializer)?;
    match text.as_deref() {
        None | Some("") => Ok(None),
        Some(text) => text.parse().map(Some).map_err(de::Error::custom),
    }
}

/// The transaction's `value` list. A value wider than 256 bits, which retesteth writes as
/// `0x:bigint 0x…` to test that such a transaction is rejected, becomes `None`.
pub(crate) fn tx_values<'de, D>(deserializer: D) -> Result<Vec<Option<U256>>, D::Error>
where
    D: Deserializer<'de>,
{
    let values = Vec::<TxValue>::deserialize(deserializer)?;
    Ok(values.into_iter().map(|value| value.0).collect())
}

struct TxValue(Option<U256>);

impl<'de> Deserialize<'de> for TxValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(TxValueVisitor)
    }
}

struct TxValueVisitor;

const BIGINT_PREFIX: &str = "0x:bigint ";

impl Visitor<'_> for TxValueVisitor {
    type Value = TxValue;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a number, or a string `0x:bigint 0x…`")
    }

    fn visit_u64<E: de::Error>(self, value: u64) -> Result<TxValue, E> {
        Ok(TxValue(Some(U256::from(value))))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<TxValue, E> {
        let Some(big) = text.strip_prefix(BIGINT_PREFIX) else {
            return text.parse().map(|value| TxValue(Some(value))).map_err(E::custom);
        };
        let digits = big.strip_prefix("0x").unwrap_or(big);
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(E::invalid_value(de::Unexpected::Str(text), &self));
        }
        // The digits are valid, so the only way parsing fails is overflow.
        Ok(TxValue(U256::from_str_radix(digits, 16).ok()))
    }
}

#[cfg(test)]
mod tests {
    use lamina_primitives::{U256, address};

    use crate::{TestAccount, TransactionParts};

    const SECRET_KEY: &str = "0x45a915e4d060149eb4365960e6a7a45f334393093061116b197e3240065ff2d8";

    fn tx(to: &str, values: &str) -> Result<TransactionParts, serde_json::Error> {
        serde_json::from_str(&format!(
            r#"{{"data": ["0x", ""], "gasLimit": ["0x1312D00", "21000"], "value": {values},
                "nonce": "0x00", "to": {to}, "secretKey": "{SECRET_KEY}"}}"#
        ))
    }

    #[test]
    fn number_spellings() {
        let tx =
            tx(r#""0x6a0a0fc761c612C340a0e98d33b37a75e5268472""#, r#"["0x", "7", 8]"#).unwrap();
        assert_eq!(tx.gas_limit, [U256::from(0x1312d00), U256::from(21000)]);
        assert_eq!(tx.value, [Some(U256::ZERO), Some(U256::from(7)), Some(U256::from(8))]);
        assert!(tx.data.iter().all(|data| data.is_empty()));
        // Mixed case is not an EIP-55 checksum here, and must not be rejected as one.
        assert_eq!(tx.to, Some(address!("6a0a0fc761c612c340a0e98d33b37a75e5268472")));
    }

    #[test]
    fn empty_or_missing_to_is_create() {
        assert_eq!(tx(r#""""#, r#"["0x00"]"#).unwrap().to, None);
        assert_eq!(tx("null", r#"["0x00"]"#).unwrap().to, None);
        assert!(tx(r#""0x1234""#, r#"["0x00"]"#).is_err());
    }

    #[test]
    fn bigint_values() {
        let wide =
            r#"["0x:bigint 0x10000000000000000000000000000000000000000000000000000000000000001"]"#;
        assert_eq!(tx(r#""""#, wide).unwrap().value, [None]);
        assert_eq!(tx(r#""""#, r#"["0x:bigint 0x0100"]"#).unwrap().value, [Some(U256::from(256))]);
        for bad in [r#"["0x:bigint 0xzz"]"#, r#"["0x:bigint "]"#, r#"["0xzz"]"#, r#"[true]"#] {
            assert!(tx(r#""""#, bad).is_err(), "{bad}");
        }
        // Only the explicit marker may overflow; a plain over-wide number is an error.
        let plain = r#"["0x10000000000000000000000000000000000000000000000000000000000000001"]"#;
        assert!(tx(r#""""#, plain).is_err());
    }

    #[test]
    fn u64_nonce_bounds() {
        let account = |nonce: &str| {
            serde_json::from_str::<TestAccount>(&format!(
                r#"{{"balance": "0x00", "nonce": "{nonce}", "code": "0x", "storage": {{"0x00": "0x01"}}}}"#
            ))
        };
        assert_eq!(account("0xffffffffffffffff").unwrap().nonce, u64::MAX);
        assert_eq!(account("0x").unwrap().nonce, 0);
        assert_eq!(account("0x00").unwrap().storage[&U256::ZERO], U256::from(1));
        assert!(account("0x010000000000000000").is_err());
    }
}
