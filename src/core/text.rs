//! Text building without `format!`: `core::fmt` costs kilobytes of wasm, and the SDK only ever
//! joins strings and prints whole numbers.

use alloc::string::String;

/// Joins the parts into one string. No capacity is reserved ahead: the lengths' sum is a loop
/// of its own, larger in wasm than the few reallocations of these short strings.
pub(crate) fn concat(parts: &[&str]) -> String {
    let mut out = String::new();
    for part in parts {
        out.push_str(part);
    }
    out
}

/// The position of the first `byte` in `text`. The protocol's delimiters (`&`, `=`, `?`, `/`,
/// a space) are ASCII, so a byte search finds exactly what a `char` search would: a multi-byte
/// character never holds an ASCII byte. One plain loop, compiled once: `str`'s char searchers
/// and the `memchr` behind them are larger in wasm than every use the SDK has for them.
pub(crate) fn find_byte(text: &str, byte: u8) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = 0;
    while let Some(&b) = bytes.get(at) {
        if b == byte {
            return Some(at);
        }
        at += 1;
    }
    None
}

/// `text` cut at its first `byte` (an ASCII delimiter): what comes before it and after it;
/// `None` without one. `str::split_once` by [`find_byte`].
pub(crate) fn cut(text: &str, byte: u8) -> Option<(&str, &str)> {
    let at = find_byte(text, byte)?;
    Some((text.get(..at)?, text.get(at + 1..)?))
}

/// The name of a `name=value` pair: what comes before its first `=`, or all of it.
pub(crate) fn pair_name(pair: &str) -> &str {
    cut(pair, b'=').map_or(pair, |(name, _)| name)
}

/// The pieces of `text` between its `byte`s (an ASCII delimiter), empty ones included:
/// `str::split` by [`cut`].
pub(crate) fn pieces(text: &str, byte: u8) -> Pieces<'_> {
    Pieces {
        rest: Some(text),
        byte,
    }
}

/// The iterator [`pieces`] returns.
pub(crate) struct Pieces<'a> {
    /// What is left to split; `None` once the last piece was returned.
    rest: Option<&'a str>,
    byte: u8,
}

impl<'a> Iterator for Pieces<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        let rest = self.rest?;
        match cut(rest, self.byte) {
            Some((piece, after)) => {
                self.rest = Some(after);
                Some(piece)
            }
            None => {
                self.rest = None;
                Some(rest)
            }
        }
    }
}

/// `text` without the `byte`s it ends with: `str::trim_end_matches` with an ASCII byte.
pub(crate) fn trim_end(text: &str, byte: u8) -> &str {
    let mut kept = text.as_bytes();
    while let [before @ .., last] = kept {
        if *last != byte {
            break;
        }
        kept = before;
    }
    text.get(..kept.len()).unwrap_or(text)
}

/// The number that `text`'s ASCII digits write, without sign, spaces or anything else; `None`
/// when it is empty or over `u64::MAX`. std's `parse` is larger in wasm, and takes a `+` too.
pub(crate) fn whole_number(text: &str) -> Option<u64> {
    if text.is_empty() {
        return None;
    }
    let mut n = 0u64;
    for b in text.bytes() {
        // A byte below `0` wraps to over 9: one comparison for both ends of the digits.
        let digit = b.wrapping_sub(b'0');
        if digit > 9 {
            return None;
        }
        n = n.checked_mul(10)?.checked_add(digit.into())?;
    }
    Some(n)
}

/// [`whole_number`] of at most 15 digits: every such number is exact as an `f64` (a JS number).
pub(crate) fn exact_number(text: &str) -> Option<u64> {
    whole_number(text).filter(|_| text.len() <= 15)
}

/// The decimal digits of `n`: those of `n / 10` first (at most 19 calls deep), then the last.
/// No list of digits to reverse (wasm size).
pub(crate) fn decimal(n: u64) -> String {
    let mut out = if n >= 10 {
        decimal(n / 10)
    } else {
        String::new()
    };
    out.push(char::from(b'0' + (n % 10) as u8));
    out
}

/// Upper-case hexadecimal digits: RFC 3986's percent-encoding (§2.1) and Unicode's `U+` notation.
pub(crate) const UPPER_HEX: &[u8; 16] = b"0123456789ABCDEF";

/// Appends `n` in hexadecimal with `digits` (upper or lower case), from the highest digit down:
/// leading zeros skipped, but at least `least` digits. The one hexadecimal writer, for a code
/// point, a percent-encoded byte and an IPv6 address's pieces (wasm size: one loop, not three).
pub(crate) fn push_hex(out: &mut String, n: u32, least: u32, digits: &[u8; 16]) {
    for d in (0..8).rev() {
        if d < least || n >> (4 * d) != 0 {
            out.push(char::from(digits[(n >> (4 * d) & 15) as usize]));
        }
    }
}

/// `U+` and the hexadecimal code point of `c` (four digits at least), to name a character in a
/// description.
pub(crate) fn code_point(c: char) -> String {
    let mut out = String::from("U+");
    push_hex(&mut out, c.into(), 4, UPPER_HEX);
    out
}

/// Sorts words in place, in `n log n` (a heapsort): std's `sort_unstable` would cost about
/// 5 KB of wasm for the two short lists the SDK sorts to find repeats. Words are read with `get`
/// and swapped by [`swap`], never indexed, so that no bounds-check panic is compiled in.
pub(crate) fn sort(words: &mut [&str]) {
    fn sift_down(words: &mut [&str], mut root: usize) {
        loop {
            let mut child = 2 * root + 1;
            let (Some(parent), Some(left)) = (words.get(root), words.get(child)) else {
                return;
            };
            if words.get(child + 1).is_some_and(|right| left < right) {
                child += 1;
            }
            if words.get(child).is_none_or(|larger| parent >= larger) {
                return;
            }
            swap(words, root, child);
            root = child;
        }
    }
    for root in (0..words.len() / 2).rev() {
        sift_down(words, root);
    }
    for end in (1..words.len()).rev() {
        swap(words, 0, end);
        if let Some(heap) = words.get_mut(..end) {
            sift_down(heap, 0);
        }
    }
}

/// Swaps the words at `a` and `b`, when both are there.
fn swap(words: &mut [&str], a: usize, b: usize) {
    if let Some([first, .., second]) = words.get_mut(a..=b) {
        core::mem::swap(first, second);
    }
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
    fn byte_searches_split_as_str_does() {
        for text in ["", "&", "a", "a&b", "&a&&b&", "é&ü=1&=", "a=b=c"] {
            assert_eq!(
                pieces(text, b'&').collect::<Vec<_>>(),
                text.split('&').collect::<Vec<_>>()
            );
            assert_eq!(cut(text, b'='), text.split_once('='));
            assert_eq!(find_byte(text, b'&'), text.find('&'));
            assert_eq!(pair_name(text), text.split('=').next().unwrap());
        }
        for text in ["", "/", "//", "a/", "a//", "/a", "é/"] {
            assert_eq!(trim_end(text, b'/'), text.trim_end_matches('/'));
        }
    }

    #[test]
    fn whole_numbers_are_digits_only() {
        assert_eq!(whole_number("0"), Some(0));
        assert_eq!(whole_number("007"), Some(7));
        assert_eq!(whole_number("18446744073709551615"), Some(u64::MAX));
        for bad in [
            "",
            "18446744073709551616",
            "+1",
            "-1",
            " 1",
            "1 ",
            "1e3",
            "0x1",
            "\u{661}",
        ] {
            assert_eq!(whole_number(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn decimal_prints_whole_numbers() {
        assert_eq!(decimal(0), "0");
        assert_eq!(decimal(300), "300");
        assert_eq!(decimal(u64::MAX), "18446744073709551615");
    }

    #[test]
    fn code_point_is_unicode_notation() {
        assert_eq!(code_point('\u{0B}'), "U+000B");
        assert_eq!(code_point('\u{3000}'), "U+3000");
        assert_eq!(code_point('\u{1F600}'), "U+1F600");
        assert_eq!(code_point('\u{10FFFF}'), "U+10FFFF");
        assert_eq!(code_point('\0'), "U+0000");
    }

    #[test]
    fn sort_orders_words() {
        let mut words = ["b", "a", "c", "a", "", "ab"];
        sort(&mut words);
        assert_eq!(words, ["", "a", "a", "ab", "b", "c"]);
        let mut none: [&str; 0] = [];
        sort(&mut none);
    }
}
