//! The encodings of the protocol: `application/x-www-form-urlencoded` for query strings and
//! fragments (RFC 6749 Appendix B) and unpadded base64url for JWS parts (RFC 7515 §2).

use crate::core::text::{cut, pieces, push_hex, UPPER_HEX};
use alloc::{string::String, vec::Vec};

/// Whether `b` is one of RFC 3986's unreserved characters (§2.3): ASCII letters and digits,
/// `-`, `.`, `_` and `~`.
pub(crate) fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~')
}

/// Appends `value` percent-encoded: everything but RFC 3986's unreserved characters is escaped,
/// spaces as `%20`.
pub(crate) fn push_percent_encoded(out: &mut String, value: &str) {
    for &b in value.as_bytes() {
        if is_unreserved(b) {
            out.push(b as char);
        } else {
            out.push('%');
            push_hex(out, b.into(), 2, UPPER_HEX);
        }
    }
}

/// Serialises `name=value` pairs as a form-encoded string, in the given order. For the tests:
/// the SDK writes each form pair by pair with [`push_pair`] (wasm size: no array of pairs).
#[cfg(test)]
pub(crate) fn form_encode<'a>(pairs: impl AsRef<[(&'a str, &'a str)]>) -> String {
    let mut out = String::new();
    for (name, value) in pairs.as_ref() {
        push_pair(&mut out, name, value);
    }
    out
}

/// Appends `name=value` form-encoded, after a `&` unless `out` is empty: the one writer of a
/// pair, for every form-encoded text the SDK makes (wasm size).
pub(crate) fn push_pair(out: &mut String, name: &str, value: &str) {
    if !out.is_empty() {
        out.push('&');
    }
    push_percent_encoded(out, name);
    out.push('=');
    push_percent_encoded(out, value);
}

/// Decodes one form-encoded component: `+` is a space, `%XX` a byte; the bytes must be UTF-8.
pub(crate) fn percent_decode(input: &str) -> Option<String> {
    let mut out = Vec::new();
    // Each byte taken off the front by a slice pattern, and a `%`'s two digits with it: no index
    // to keep in step.
    let mut rest = input.as_bytes();
    while let [b, after @ ..] = rest {
        rest = after;
        match b {
            b'+' => out.push(b' '),
            b'%' => {
                let [hi, lo, after @ ..] = rest else {
                    return None;
                };
                let digit = |b: &u8| char::from(*b).to_digit(16);
                out.push((digit(hi)? * 16 + digit(lo)?) as u8);
                rest = after;
            }
            _ => out.push(*b),
        }
    }
    utf8(&out)
}

/// `bytes` as text, when they are UTF-8 (RFC 3629 §3); `None` otherwise. Character by
/// character with [`first_char`] instead of `String::from_utf8`: std's check is built for speed
/// (a word-at-a-time ASCII path and a 256-byte table) and is the largest piece of `core` in the
/// wasm, for the few short values the SDK decodes.
pub(crate) fn utf8(bytes: &[u8]) -> Option<String> {
    let mut out = String::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        let (c, after) = first_char(rest)?;
        out.push(c);
        rest = after;
    }
    Some(out)
}

/// The character `bytes` begin with in UTF-8 and the bytes after it; `None` when they begin
/// with none: a truncated or overlong sequence, a surrogate, or something past U+10FFFF.
pub(crate) fn first_char(bytes: &[u8]) -> Option<(char, &[u8])> {
    let [lead, tail @ ..] = bytes else {
        return None;
    };
    // How many continuation bytes follow, the smallest code point that needs them, and the
    // lead byte's bits of the code point.
    let (follow, least, bits) = match lead {
        0x00..=0x7F => (0, 0, *lead),
        0xC0..=0xDF => (1, 0x80, lead & 0x1F),
        0xE0..=0xEF => (2, 0x800, lead & 0x0F),
        0xF0..=0xF7 => (3, 0x1_0000, lead & 0x07),
        _ => return None,
    };
    let (continuation, after) = tail.split_at_checked(follow)?;
    let mut code = u32::from(bits);
    for &b in continuation {
        if b & 0xC0 != 0x80 {
            return None;
        }
        code = code << 6 | u32::from(b & 0x3F);
    }
    if code < least {
        return None;
    }
    // `from_u32` refuses the surrogates and what lies past U+10FFFF.
    Some((char::from_u32(code)?, after))
}

/// Parses a form-encoded string into pairs. Empty segments are skipped; `None` when a component
/// is not valid percent-encoded UTF-8. For the tests: the SDK decodes every form into the
/// response's [`ParamValue`](crate::core::response::ParamValue)s, so that the decoder is compiled
/// once (wasm size).
#[cfg(test)]
pub(crate) fn form_decode(input: &str) -> Option<Vec<(String, String)>> {
    form_decode_as(input, |value| value)
}

/// Parses a form-encoded string into pairs, each value wrapped by `wrap` as it is decoded: a
/// caller that needs its values in another type gets them in one list, not copied into a second
/// (wasm size). Empty segments are skipped; `None` when a component is not valid percent-encoded
/// UTF-8.
pub(crate) fn form_decode_as<V>(input: &str, wrap: fn(String) -> V) -> Option<Vec<(String, V)>> {
    // A loop, not a collect into `Option<Vec<_>>`: smaller in wasm.
    let mut pairs = Vec::new();
    for segment in pieces(input, b'&').filter(|segment| !segment.is_empty()) {
        let (name, value) = cut(segment, b'=').unwrap_or((segment, ""));
        pairs.push((percent_decode(name)?, wrap(percent_decode(value)?)));
    }
    Some(pairs)
}

/// The value of the first pair named `name`: the one lookup of every decoder of pairs, so that
/// it is compiled once per kind of value (wasm size).
pub(crate) fn named<'a, V>(pairs: &'a [(String, V)], name: &str) -> Option<&'a V> {
    pairs.iter().find(|(n, _)| n == name).map(|(_, v)| v)
}

const BASE64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Unpadded base64url (RFC 7515 §2). The bits go through a small buffer, six out for every
/// eight in, with no chunking and no capacity worked out ahead (wasm size; the values are short).
pub(crate) fn base64url(bytes: &[u8]) -> String {
    let mut out = String::new();
    let (mut bits, mut held) = (0u32, 0);
    for &b in bytes {
        bits = bits << 8 | u32::from(b);
        held += 8;
        while held >= 6 {
            held -= 6;
            out.push(BASE64URL[(bits >> held & 63) as usize] as char);
        }
    }
    if held > 0 {
        out.push(BASE64URL[(bits << (6 - held) & 63) as usize] as char);
    }
    out
}

/// Decodes unpadded base64url; `None` for any other alphabet, padding, a bad length or
/// non-zero trailing bits (so every byte string has exactly one encoding).
pub(crate) fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let (mut bits, mut held) = (0u32, 0);
    for &c in text.as_bytes() {
        let value = BASE64URL.iter().position(|&a| a == c)? as u32;
        bits = bits << 6 | value;
        held += 6;
        if held >= 8 {
            held -= 8;
            out.push((bits >> held) as u8);
        }
    }
    // Six bits left over is one character too many (a length of 4n + 1); fewer must be zero.
    if held >= 6 || bits & ((1 << held) - 1) != 0 {
        return None;
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_everything_but_unreserved() {
        assert_eq!(
            form_encode([
                ("scope", "openid profile"),
                ("redirect_uri", "https://a.example/cb?x=1&y=é")
            ]),
            "scope=openid%20profile&redirect_uri=https%3A%2F%2Fa.example%2Fcb%3Fx%3D1%26y%3D%C3%A9"
        );
        assert_eq!(form_encode([("a-._~", "A9")]), "a-._~=A9");
    }

    #[test]
    fn decodes_form_components() {
        assert_eq!(percent_decode("a+b%20c%C3%A9").as_deref(), Some("a b cé"));
        assert_eq!(percent_decode("%4"), None);
        assert_eq!(percent_decode("%zz"), None);
        assert_eq!(percent_decode("%FF"), None, "not UTF-8");
    }

    /// Every sequence of one to three bytes, and four-byte ones around every boundary, decode
    /// exactly when std's check accepts them, to the same text.
    #[test]
    fn utf8_agrees_with_std() {
        let agrees = |bytes: &[u8]| {
            assert_eq!(
                utf8(bytes).as_deref(),
                core::str::from_utf8(bytes).ok(),
                "{bytes:x?}"
            )
        };
        for a in 0..=255u8 {
            agrees(&[a]);
            for b in 0..=255u8 {
                agrees(&[a, b]);
                for c in 0..=255u8 {
                    agrees(&[a, b, c]);
                }
            }
        }
        let edges = [0x00, 0x7F, 0x80, 0x8F, 0x90, 0xBF, 0xC0, 0xF4, 0xF5, 0xFF];
        for a in [0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xF7, 0xF8] {
            for b in edges {
                for c in edges {
                    for d in edges {
                        agrees(&[a, b, c, d]);
                        agrees(&[b'x', a, b, c, d, b'y']);
                    }
                }
            }
        }
        agrees("caf\u{E9} \u{3000} \u{1F600} \u{10FFFF}".as_bytes());
        agrees(b"");
    }

    #[test]
    fn decodes_pairs_and_round_trips() {
        let pairs = form_decode("a=1&&b=&c&d=x%3Dy").unwrap();
        let expected = [("a", "1"), ("b", ""), ("c", ""), ("d", "x=y")];
        assert_eq!(pairs.len(), 4);
        for ((n, v), (en, ev)) in pairs.iter().zip(expected) {
            assert_eq!((n.as_str(), v.as_str()), (en, ev));
        }
        let encoded = form_encode([("k", "v w&=%")]);
        assert_eq!(form_decode(&encoded).unwrap()[0].1, "v w&=%");
    }

    #[test]
    fn base64url_is_unpadded_and_strict() {
        assert_eq!(base64url(&[0xfb, 0xff]), "-_8");
        assert_eq!(base64url_decode("-_8"), Some(vec![0xfb, 0xff]));
        assert_eq!(base64url_decode("-_8="), None);
        assert_eq!(base64url_decode("+/8"), None);
        assert_eq!(base64url_decode("-_9"), None, "non-zero trailing bits");
        assert_eq!(base64url_decode("A"), None);
        assert_eq!(base64url_decode(""), Some(vec![]));
    }

    #[test]
    fn base64url_round_trips_every_length() {
        let bytes: Vec<u8> = (0..=255).collect();
        for len in 0..40 {
            let slice = &bytes[200 - len * 5..][..len];
            assert_eq!(base64url_decode(&base64url(slice)).as_deref(), Some(slice));
        }
        assert_eq!(base64url(b"any carnal pleas"), "YW55IGNhcm5hbCBwbGVhcw");
    }
}
