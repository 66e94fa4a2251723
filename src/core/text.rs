//! Text building without `format!`: `core::fmt` costs kilobytes of wasm, and the SDK only ever
//! joins strings and prints whole numbers.

/// Joins the parts into one string.
pub(crate) fn concat(parts: &[&str]) -> String {
    let mut out = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for part in parts {
        out.push_str(part);
    }
    out
}

/// The decimal digits of `n`.
pub(crate) fn decimal(mut n: u64) -> String {
    let mut digits = Vec::new();
    loop {
        digits.push(b'0' + (n % 10) as u8);
        n /= 10;
        if n == 0 {
            break;
        }
    }
    digits.iter().rev().map(|&d| d as char).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn concat_joins_in_order() {
        assert_eq!(concat(&["a", "", "bc"]), "abc");
        assert_eq!(concat(&[]), "");
    }

    #[test]
    fn decimal_prints_whole_numbers() {
        assert_eq!(decimal(0), "0");
        assert_eq!(decimal(300), "300");
        assert_eq!(decimal(u64::MAX), "18446744073709551615");
    }
}
