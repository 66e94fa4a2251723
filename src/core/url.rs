//! Just enough of absolute URLs for the protocol's checks: the scheme (https, or http for the
//! loopback host only), the origin a `postMessage` must come from, and the site a cookie
//! belongs to.
//!
//! The browser reads every URL the SDK checks (it navigates to the endpoints and fetches the
//! keys), with the WHATWG URL parser, which forgives much: it drops tabs and newlines, ends the
//! host at a backslash, decodes `%` in hosts, maps Unicode hosts to punycode, reads `127.1` as
//! `127.0.0.1`. A check made on another reading than the browser's checks nothing, so whatever
//! that parser would read differently from this one is refused rather than guessed at: control
//! characters, spaces and backslashes anywhere; user info; any host but lower-cased ASCII
//! letters, digits, `-`, `_` and `.` between non-empty labels, a dotted-quad IPv4 address in its
//! plain form, or an IPv6 address (written back in the browser's canonical form). A punycode
//! label the browser finds invalid makes it refuse the whole URL, which is no other reading.

use crate::core::text::{concat, cut, decimal, find_byte, pieces, push_hex, whole_number};
use alloc::string::String;

// Everything below reads bytes: the delimiters are ASCII, so a multi-byte character never
// matches one, and byte loops are far smaller in wasm than `str`'s searchers and `parse`.

/// An absolute `http(s)` URL, split at its authority.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Url {
    /// `http` or `https`.
    pub(crate) scheme: &'static str,
    /// The host as the browser serialises it: lower case; an IPv6 address in brackets.
    pub(crate) host: String,
    /// The port, when one is written and is not the scheme's default.
    pub(crate) port: Option<u16>,
    /// Whether the URL has a `#fragment`.
    pub(crate) has_fragment: bool,
    /// Whether the host is an IP address, as `parse` found while checking it.
    is_ip: bool,
}

/// The position of the first byte of `bytes` that `is` accepts.
fn find(bytes: &[u8], is: impl Fn(u8) -> bool) -> Option<usize> {
    bytes.iter().position(|&b| is(b))
}

/// Whether the WHATWG parser reads `label`, a host's last, as a number (decimal, or hexadecimal
/// after `0x`), which makes the whole host an IPv4 address.
fn is_number(label: &[u8]) -> bool {
    match label {
        [b'0', b'x' | b'X', hex @ ..] => hex.iter().all(u8::is_ascii_hexdigit),
        _ => !label.is_empty() && label.iter().all(u8::is_ascii_digit),
    }
}

/// A decimal number up to 255 without leading zeros: one part of an IPv4 address in the one
/// form the browser leaves as it is. Its digits read by `text::whole_number`, the one reader of
/// decimal numbers (wasm size).
fn is_plain_byte(label: &str) -> bool {
    !matches!(label.as_bytes(), [b'0', _, ..]) && whole_number(label).is_some_and(|n| n <= 255)
}

/// An ASCII host name (any case) of letters, digits, `-` and `_` between non-empty labels, or an
/// IPv4 address in the one form the browser leaves as it is: four plain decimal numbers. `None`
/// for anything else; otherwise whether it is an IPv4 address.
fn plain_host(host: &str) -> Option<bool> {
    let (mut labels, mut plain_ipv4, mut last): (usize, bool, &[u8]) = (0, true, &[]);
    // Split by the splitter every other text is split by (`text::pieces`), not a slice splitter
    // of its own (wasm size).
    for label in pieces(host, b'.') {
        let name_chars = label
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
        if label.is_empty() || !name_chars {
            return None;
        }
        labels += 1;
        plain_ipv4 &= is_plain_byte(label);
        last = label.as_bytes();
    }
    // A last label that is a number makes the whole host an IPv4 address.
    let is_ipv4 = is_number(last);
    (!is_ipv4 || (labels == 4 && plain_ipv4)).then_some(is_ipv4)
}

/// The eight pieces of an IPv6 address (without its brackets): groups of one to four hex digits
/// separated by `:`, eight of them, or fewer with one `::` standing for the missing zeros.
/// `None` for anything else, an embedded IPv4 address or a zone among it.
fn ipv6(address: &[u8]) -> Option<[u16; 8]> {
    let mut pieces = [0u16; 8];
    let (mut count, mut compressed_at) = (0, None);
    let mut i = 0;
    if address.starts_with(b"::") {
        compressed_at = Some(0);
        i = 2;
    }
    while i < address.len() {
        let (mut piece, mut digits) = (0u16, 0);
        while let Some(digit) = address.get(i).and_then(|&b| (b as char).to_digit(16)) {
            if digits == 4 {
                return None;
            }
            piece = piece << 4 | digit as u16;
            digits += 1;
            i += 1;
        }
        *pieces.get_mut(count).filter(|_| digits > 0)? = piece;
        count += 1;
        match address.get(i) {
            None => break,
            Some(b':') if address.get(i + 1) == Some(&b':') => {
                if compressed_at.is_some() {
                    return None;
                }
                compressed_at = Some(count);
                i += 2;
            }
            Some(b':') if i + 1 < address.len() => i += 1,
            _ => return None,
        }
    }
    match compressed_at {
        None if count == 8 => Some(pieces),
        Some(at) if count <= 7 => {
            // The pieces after the `::` move right by the number missing; past the eighth only
            // zeros fall off. (`get_mut`, not indexing: no bounds-check panic compiled in.)
            let mut spread = [0u16; 8];
            for (i, &piece) in pieces.iter().enumerate() {
                let to = if i < at { i } else { i + 8 - count };
                if let Some(slot) = spread.get_mut(to) {
                    *slot = piece;
                }
            }
            Some(spread)
        }
        _ => None,
    }
}

/// An IPv6 address in brackets, as the browser serialises it (RFC 5952, as WHATWG writes it):
/// lower-case hex without leading zeros, the first longest run of two or more zero pieces as
/// `::`.
fn ipv6_host(pieces: [u16; 8]) -> String {
    let (mut compress, mut longest, mut run) = (None, 1, 0);
    for (i, &piece) in pieces.iter().enumerate() {
        run = if piece == 0 { run + 1 } else { 0 };
        if run > longest {
            longest = run;
            compress = Some(i + 1 - run);
        }
    }
    let mut out = String::from("[");
    let mut i = 0;
    while i < 8 {
        if Some(i) == compress {
            out.push_str(if i == 0 { "::" } else { ":" });
            i += longest;
            continue;
        }
        // Leading zeros skipped (the last digit is always written).
        push_hex(&mut out, pieces[i].into(), 1, b"0123456789abcdef");
        if i != 7 {
            out.push(':');
        }
        i += 1;
    }
    out.push(']');
    out
}

impl Url {
    /// Parses an absolute `http:` or `https:` URL without user info, when the browser would read
    /// the same scheme, host and port; `None` otherwise.
    pub(crate) fn parse(input: &str) -> Option<Url> {
        let bytes = input.as_bytes();
        if find(bytes, |b| b <= b' ' || b == 0x7f || b == b'\\').is_some() {
            return None;
        }
        let colon = find_byte(input, b':')?;
        let (scheme, default_port) = match bytes.get(..colon)? {
            s if s.eq_ignore_ascii_case(b"https") => ("https", 443),
            s if s.eq_ignore_ascii_case(b"http") => ("http", 80),
            _ => return None,
        };
        // Not `strip_prefix`, whose split has a panic path compiled in.
        if bytes.get(colon + 1..colon + 3) != Some(b"//") {
            return None;
        }
        // The rest as text, cut at ASCII delimiters: the host is a `&str` of the input, copied
        // once in lower case, with no UTF-8 check of its bytes.
        let rest = input.get(colon + 3..)?;
        let end = find(rest.as_bytes(), |b| matches!(b, b'/' | b'?' | b'#')).unwrap_or(rest.len());
        let authority = rest.get(..end)?;
        let (host, port, is_ip) = match authority.as_bytes() {
            [b'[', ..] => {
                let (address, after) = cut(authority, b']')?;
                let host = ipv6_host(ipv6(address.as_bytes().get(1..)?)?);
                // After the `]`: nothing, or `:` and the port.
                match after.as_bytes() {
                    [] => (host, None, true),
                    [b':', ..] => (host, Some(after.get(1..)?), true),
                    _ => return None,
                }
            }
            _ => {
                let (host, port) = match cut(authority, b':') {
                    Some((host, port)) => (host, Some(port)),
                    None => (authority, None),
                };
                let is_ipv4 = plain_host(host)?;
                (host.to_ascii_lowercase(), port, is_ipv4)
            }
        };
        // A port is digits only, at most 65535.
        let port = match port {
            Some(digits) => Some(u16::try_from(whole_number(digits)?).ok()?),
            None => None,
        };
        Some(Url {
            scheme,
            host,
            port: port.filter(|&p| p != default_port),
            has_fragment: find_byte(rest, b'#').is_some(),
            is_ip,
        })
    }

    /// The origin, `scheme://host[:port]`, as `event.origin` and `location.origin` spell it.
    pub(crate) fn origin(&self) -> String {
        let mut origin = concat(&[self.scheme, "://", &self.host]);
        if let Some(port) = self.port {
            origin.push(':');
            origin.push_str(&decimal(port.into()));
        }
        origin
    }

    /// Whether the host is the loopback interface, where plain `http` is tolerated (RFC 8252 §8.3).
    pub(crate) fn is_loopback(&self) -> bool {
        self.host == "localhost"
            || self.host.ends_with(".localhost")
            || self.host == "127.0.0.1"
            || self.host == "[::1]"
    }

    /// `https`, or `http` on the loopback host.
    pub(crate) fn is_secure(&self) -> bool {
        self.scheme == "https" || self.is_loopback()
    }

    /// The schemeful site that cookies are scoped to, approximated as the scheme and the last two
    /// labels of the host (or the whole host for an IP address or a single label): the scheme
    /// and those labels, borrowed, so that two sites compare without a copy of either.
    pub(crate) fn site(&self) -> (&'static str, &str) {
        let host = self.host.as_str();
        // Bytes taken off the end up to the second dot from the end (slice patterns, as in
        // `text::trim_end`: no reversed iterator adapter of its own); what they leave before it
        // is the length to skip.
        let (mut before, mut dots) = (host.as_bytes(), 0);
        while let [rest @ .., last] = before {
            dots += usize::from(*last == b'.');
            if dots == 2 {
                break;
            }
            before = rest;
        }
        let last_two = host
            .get(before.len()..)
            .filter(|_| !self.is_ip)
            .unwrap_or(host);
        (self.scheme, last_two)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_drops_default_ports_and_lowercases() {
        assert_eq!(
            Url::parse("HTTPS://Tenant.Auth0.com:443/authorize?x#y")
                .unwrap()
                .origin(),
            "https://tenant.auth0.com"
        );
        assert_eq!(
            Url::parse("http://localhost:3000").unwrap().origin(),
            "http://localhost:3000"
        );
        assert_eq!(
            Url::parse("http://[::1]:8080/cb").unwrap().origin(),
            "http://[::1]:8080"
        );
    }

    #[test]
    fn rejects_what_is_not_an_absolute_web_url() {
        for bad in [
            "localhost:3000",
            "javascript://x",
            "https://",
            "https://user@evil.example/",
            "https://a:b/",
            "https://a b/",
        ] {
            assert_eq!(Url::parse(bad), None, "{bad}");
        }
        assert!(
            Url::parse("https://a.example/cb#frag")
                .unwrap()
                .has_fragment
        );
    }

    /// `(input, the browser's origin, accepted)`. The second column was printed by Node 20.20
    /// (whose `URL` is Ada, a WHATWG URL parser) running
    /// `try { new URL(input).origin } catch { null }` on each input (`None`: it throws). The third
    /// says whether `Url::parse` accepts the input; when it does, its origin must be the browser's.
    #[rustfmt::skip]
    const CORPUS: &[(&str, Option<&str>, bool)] = &[
        ("https://op.example", Some("https://op.example"), true),
        ("HTTPS://Tenant.Auth0.com:443/authorize?x#y", Some("https://tenant.auth0.com"), true),
        ("http://localhost:3000", Some("http://localhost:3000"), true),
        ("http://[::1]:8080/cb", Some("http://[::1]:8080"), true),
        ("https://a.example?x", Some("https://a.example"), true),
        ("https://a.example#f", Some("https://a.example"), true),
        ("https://a_b.example/", Some("https://a_b.example"), true),
        ("http://LOCALHOST:80/", Some("http://localhost"), true),
        ("https://[::1]:443/", Some("https://[::1]"), true),
        ("https://xn--nxasmq6b.example/", Some("https://xn--nxasmq6b.example"), true),
        ("http://evil.example\\.localhost/", Some("http://evil.example"), false),
        ("http://evil.example\\@good.example/", Some("http://evil.example"), false),
        ("https:\\\\evil.example/", Some("https://evil.example"), false),
        ("https://evil.example\\", Some("https://evil.example"), false),
        ("https://a.example/p\\q", Some("https://a.example"), false),
        ("https:/evil.example/", Some("https://evil.example"), false),
        ("https:///evil.example/", Some("https://evil.example"), false),
        ("https:evil.example", Some("https://evil.example"), false),
        ("https:\\evil.example/", Some("https://evil.example"), false),
        ("https://evil.example%2elocalhost/", Some("https://evil.example.localhost"), false),
        ("http://evil.example%00.localhost/", None, false),
        ("https://%65vil.example/", Some("https://evil.example"), false),
        ("https://a\tb.example/", Some("https://ab.example"), false),
        ("https://a\nb.example/", Some("https://ab.example"), false),
        ("https://a\rb.example/", Some("https://ab.example"), false),
        (" https://a.example/", Some("https://a.example"), false),
        ("https://a.example/ ", Some("https://a.example"), false),
        ("\u{0000}https://a.example/", Some("https://a.example"), false),
        ("https://a.example/\u{0001}", Some("https://a.example"), false),
        ("https://a\u{7F}b.example/", None, false),
        ("https://a.example/\u{7F}", Some("https://a.example"), false),
        ("https://user@a.example/", Some("https://a.example"), false),
        ("https://user:pw@a.example/", Some("https://a.example"), false),
        ("https://a.example@evil.example/", Some("https://evil.example"), false),
        ("https://@a.example/", Some("https://a.example"), false),
        ("https://a.example:65535/", Some("https://a.example:65535"), true),
        ("https://a.example:65536/", None, false),
        ("https://a.example:0443/", Some("https://a.example"), true),
        ("https://a.example:/", Some("https://a.example"), false),
        ("https://a.example:+443/", None, false),
        ("https://a.example:44a/", None, false),
        ("https://a.example:-1/", None, false),
        ("https://a.example:443443/", None, false),
        ("https://a.example:0/", Some("https://a.example:0"), true),
        ("https://a.example:1:2/", None, false),
        ("http://127.0.0.1:8080/", Some("http://127.0.0.1:8080"), true),
        ("http://127.1/", Some("http://127.0.0.1"), false),
        ("http://0x7f.0.0.1/", Some("http://127.0.0.1"), false),
        ("http://2130706433/", Some("http://127.0.0.1"), false),
        ("http://0177.0.0.1/", Some("http://127.0.0.1"), false),
        ("http://127.0.0.01/", Some("http://127.0.0.1"), false),
        ("http://1.2.3.4.5/", None, false),
        ("http://256.0.0.1/", None, false),
        ("http://example.123/", None, false),
        ("http://a.0x/", None, false),
        ("http://0x1.example/", Some("http://0x1.example"), true),
        ("http://1.2.3.4/", Some("http://1.2.3.4"), true),
        ("http://0.0.0.0/", Some("http://0.0.0.0"), true),
        ("http://255.255.255.255/", Some("http://255.255.255.255"), true),
        ("http://[0:0:0:0:0:0:0:1]/", Some("http://[::1]"), true),
        ("http://[::ffff:127.0.0.1]/", Some("http://[::ffff:7f00:1]"), false),
        ("http://[::1%25eth0]/", None, false),
        ("http://[2001:DB8::1]/", Some("http://[2001:db8::1]"), true),
        ("http://[1:0:0:2:0:0:0:3]/", Some("http://[1:0:0:2::3]"), true),
        ("http://[::]/", Some("http://[::]"), true),
        ("http://[1::]/", Some("http://[1::]"), true),
        ("http://[1:2:3:4:5:6:7:8]/", Some("http://[1:2:3:4:5:6:7:8]"), true),
        ("http://[1:2:3:4:5:6:7:8:9]/", None, false),
        ("http://[::1]x/", None, false),
        ("http://[12345::]/", None, false),
        ("http://[1:::2]/", None, false),
        ("http://[0001::0:1]/", Some("http://[1::1]"), true),
        ("http://[1:2:3:4:5:6:7::]/", Some("http://[1:2:3:4:5:6:7:0]"), true),
        ("http://[::1:2:3:4:5:6:7]/", Some("http://[0:1:2:3:4:5:6:7]"), true),
        ("http://[1:2:3:4:5:6:7:8::]/", None, false),
        ("http://[:1::]/", None, false),
        ("http://[::1/", None, false),
        ("http://[1:0:0:2:0:0:3:4]/", Some("http://[1::2:0:0:3:4]"), true),
        ("http://[0:0:1:0:0:0:0:0]/", Some("http://[0:0:1::]"), true),
        ("http://localhost./", Some("http://localhost."), false),
        ("http://a..b/", Some("http://a..b"), false),
        ("http://.a/", Some("http://.a"), false),
        ("https://ex ample.com/", None, false),
        ("https://\u{C9}XAMPLE.com/", Some("https://xn--xample-9ua.com"), false),
        ("https://example.com\u{3002}evil/", Some("https://example.com.evil"), false),
        ("https://exam\u{AD}ple.com/", Some("https://example.com"), false),
        ("https://a!b.example/", Some("https://a!b.example"), false),
        ("https://a$b.example/", Some("https://a$b.example"), false),
        ("javascript://x", Some("null"), false),
        ("localhost:3000", Some("null"), false),
        ("https://", None, false),
        ("https://a b/", None, false),
        ("ftp://a.example/", Some("ftp://a.example"), false),
        ("HtTp://A.Example/", Some("http://a.example"), true),
        ("https://a.example:443?q", Some("https://a.example"), true),
        ("https://a.example#@evil.example", Some("https://a.example"), true),
        ("https://a.example/@evil.example", Some("https://a.example"), true),
        ("http://foo.localhost:8080/cb", Some("http://foo.localhost:8080"), true),
        ("https://a.example/\u{E9}", Some("https://a.example"), true),
        ("https://-a-.example/", Some("https://-a-.example"), true),
    ];

    #[test]
    fn agrees_with_the_browser_or_refuses() {
        for &(input, browser, accepted) in CORPUS {
            let parsed = Url::parse(input);
            assert_eq!(parsed.is_some(), accepted, "{input:?}");
            if let Some(url) = parsed {
                assert_eq!(Some(url.origin().as_str()), browser, "{input:?}");
            }
        }
    }

    #[test]
    fn a_backslash_does_not_make_a_host_loopback() {
        let url = "http://evil.example\\.localhost/";
        assert_eq!(Url::parse(url), None);
        assert!(CORPUS.contains(&(url, Some("http://evil.example"), false)));
    }

    #[test]
    fn http_is_only_for_loopback() {
        assert!(Url::parse("http://localhost:8080/").unwrap().is_secure());
        assert!(Url::parse("http://127.0.0.1/").unwrap().is_secure());
        assert!(!Url::parse("http://app.example/").unwrap().is_secure());
        assert!(Url::parse("https://app.example/").unwrap().is_secure());
    }

    #[test]
    fn site_ignores_ports_and_subdomains() {
        let site = |u: &str| {
            let url = Url::parse(u).unwrap();
            let (scheme, host) = url.site();
            concat(&[scheme, "://", host])
        };
        assert_eq!(
            site("http://localhost:8080/"),
            site("http://localhost:3000/")
        );
        assert_eq!(
            site("https://login.shop.example/"),
            site("https://www.shop.example/")
        );
        assert_ne!(
            site("https://tenant.auth0.com/"),
            site("https://shop.example/")
        );
        assert_ne!(
            site("http://127.0.0.1:3000/"),
            site("http://localhost:8080/")
        );
        for (url, expected) in [
            ("https://a.b.login.example/", "https://login.example"),
            ("https://shop.example/", "https://shop.example"),
            ("http://localhost:8080/", "http://localhost"),
            ("http://10.0.0.1/", "http://10.0.0.1"),
            ("http://[::1]:3000/", "http://[::1]"),
        ] {
            assert_eq!(site(url), expected);
        }
    }
}
