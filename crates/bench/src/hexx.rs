//! Hex and evmone's "hexx": hex in which whitespace is ignored and `(Nx<hex>)` stands for
//! `<hex>` repeated N times. Plain hex is hexx without groups, so one decoder serves all
//! the hex files of the benchmark folder.

/// Decoded data is capped so that a malformed repetition count cannot exhaust memory.
const MAX_DECODED_LEN: usize = 1 << 28;

/// Why hex or hexx does not decode.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum HexError {
    /// A character that is neither a hex digit, whitespace nor part of a `(Nx…)` group.
    #[error("invalid character {0:?}")]
    InvalidChar(char),
    /// An odd number of hex digits (in the whole input or in a group).
    #[error("odd number of hex digits")]
    OddLength,
    /// A `(` without its `)`, or a group that is not `(<count>x<hex>)`.
    #[error("malformed repetition group {0:?}")]
    BadGroup(String),
    /// The decoded data would exceed 256 MiB.
    #[error("decoded data larger than {MAX_DECODED_LEN} bytes")]
    TooLarge,
}

/// Decodes hexx: hex digits (either case) with whitespace ignored and `(Nx<hex>)`
/// repetition groups. No `0x` prefix.
///
/// ```
/// use lamina_bench::decode_hexx;
///
/// assert_eq!(decode_hexx("60 01\n(3x00)ff").unwrap(), [0x60, 0x01, 0, 0, 0, 0xff]);
/// assert!(decode_hexx("abc").is_err());
/// ```
pub fn decode_hexx(text: &str) -> Result<Vec<u8>, HexError> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('(') {
        push_hex(&mut out, &rest[..open])?;
        let after = &rest[open + 1..];
        let close = after.find(')').ok_or_else(|| HexError::BadGroup(after.into()))?;
        let group = &after[..close];
        let bad_group = || HexError::BadGroup(group.into());
        let (count, unit_hex) = group.split_once('x').ok_or_else(bad_group)?;
        let count: usize = count.trim().parse().map_err(|_| bad_group())?;
        let mut unit = Vec::new();
        push_hex(&mut unit, unit_hex)?;
        let total = unit.len().checked_mul(count).ok_or(HexError::TooLarge)?;
        if out.len().saturating_add(total) > MAX_DECODED_LEN {
            return Err(HexError::TooLarge);
        }
        for _ in 0..count {
            out.extend_from_slice(&unit);
        }
        rest = &after[close + 1..];
    }
    push_hex(&mut out, rest)?;
    Ok(out)
}

/// Appends plain hex (whitespace ignored) to `out`.
fn push_hex(out: &mut Vec<u8>, hex: &str) -> Result<(), HexError> {
    let mut high: Option<u8> = None;
    for c in hex.chars().filter(|c| !c.is_whitespace()) {
        let nibble = c.to_digit(16).ok_or(HexError::InvalidChar(c))? as u8;
        match high.take() {
            Some(h) => out.push(h << 4 | nibble),
            None => high = Some(nibble),
        }
    }
    if high.is_some() {
        return Err(HexError::OddLength);
    }
    if out.len() > MAX_DECODED_LEN {
        return Err(HexError::TooLarge);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_and_whitespace() {
        assert_eq!(decode_hexx("").unwrap(), Vec::<u8>::new());
        assert_eq!(decode_hexx(" \n").unwrap(), Vec::<u8>::new());
        assert_eq!(decode_hexx("0aFf\n").unwrap(), [0x0a, 0xff]);
        assert_eq!(decode_hexx("0 a\tf f").unwrap(), [0x0a, 0xff]);
    }

    #[test]
    fn groups() {
        assert_eq!(decode_hexx("(2805x00)").unwrap(), vec![0; 2805]);
        assert_eq!(decode_hexx("01(2x0203)04").unwrap(), [1, 2, 3, 2, 3, 4]);
        assert_eq!(decode_hexx("(0xff)").unwrap(), Vec::<u8>::new());
        assert_eq!(decode_hexx("(1x00)(1xff)").unwrap(), [0, 0xff]);
    }

    #[test]
    fn malformed() {
        assert_eq!(decode_hexx("0x12"), Err(HexError::InvalidChar('x')));
        assert_eq!(decode_hexx("123"), Err(HexError::OddLength));
        assert_eq!(decode_hexx("1(2x00)2"), Err(HexError::OddLength));
        assert_eq!(decode_hexx("(2x0)"), Err(HexError::OddLength));
        assert!(matches!(decode_hexx("(2x00"), Err(HexError::BadGroup(_))));
        assert!(matches!(decode_hexx("(zx00)"), Err(HexError::BadGroup(_))));
        assert!(matches!(decode_hexx("(200)"), Err(HexError::BadGroup(_))));
        assert_eq!(decode_hexx("(2x(1x00))"), Err(HexError::InvalidChar('(')));
        assert_eq!(decode_hexx("00)"), Err(HexError::InvalidChar(')')));
        assert_eq!(decode_hexx("(99999999999x00)"), Err(HexError::TooLarge));
        assert_eq!(decode_hexx(&format!("({}x00)", usize::MAX)), Err(HexError::TooLarge));
    }
}
