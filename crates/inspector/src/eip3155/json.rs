//! The pieces of go-ethereum's JSON: hex as its `hexutil` and `math.HexOrDecimal64` write it,
//! strings as its `encoding/json` escapes them.

use core::fmt::Write as _;
use lamina_primitives::Address;

const HEX: &[u8; 16] = b"0123456789abcdef";

/// Lowercase hex of `bytes`, two digits a byte, no prefix (`common.Bytes2Hex`).
pub(crate) fn push_hex(out: &mut String, bytes: &[u8]) {
    out.reserve(bytes.len() * 2);
    for byte in bytes {
        out.push(HEX[(byte >> 4) as usize] as char);
        out.push(HEX[(byte & 0xf) as usize] as char);
    }
}

/// `"0x…"` with the hex of `bytes` (`hexutil.Bytes`).
pub(crate) fn push_hex_string(out: &mut String, bytes: &[u8]) {
    out.push_str("\"0x");
    push_hex(out, bytes);
    out.push('"');
}

/// `"0x…"`: minimal lowercase hex, `"0x0"` for zero (`math.HexOrDecimal64`, `hexutil.U256`,
/// `hexutil.Big`).
pub(crate) fn push_quantity(out: &mut String, value: impl core::fmt::LowerHex) {
    let _ = write!(out, "\"{value:#x}\"");
}

/// `"0x…"`: an address, lowercase (`common.Address`).
pub(crate) fn push_address(out: &mut String, address: &Address) {
    push_hex_string(out, address.as_slice());
}

/// A JSON string as Go's `encoding/json` writes it: besides quotes, backslashes and control
/// characters it escapes `<`, `>`, `&`, U+2028 and U+2029 (HTML-safe output).
pub(crate) fn push_string(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use lamina_primitives::U256;

    #[test]
    fn quantities_are_minimal_hex() {
        let mut out = String::new();
        push_quantity(&mut out, 0u64);
        push_quantity(&mut out, 0x2540be400u64);
        push_quantity(&mut out, U256::MAX);
        assert_eq!(out, format!("\"0x0\"\"0x2540be400\"\"0x{}\"", "f".repeat(64)));
    }

    #[test]
    fn strings_escape_like_go() {
        let mut out = String::new();
        push_string(&mut out, "stack underflow (3 <=> 15) & \"q\"\\\n\u{1}\u{2028}é");
        assert_eq!(out, r#""stack underflow (3 \u003c=\u003e 15) \u0026 \"q\"\\\n\u0001\u2028é""#);
    }

    #[test]
    fn bytes_are_two_digits_each() {
        let mut out = String::new();
        push_hex(&mut out, &[0, 0x0f, 0xa0, 0xff]);
        push_hex_string(&mut out, &[]);
        assert_eq!(out, "000fa0ff\"0x\"");
    }
}
