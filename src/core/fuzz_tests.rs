//! A seeded property suite for every pure parser of the core: random inputs, mostly hostile,
//! built from pieces that matter to each parser, and the invariants each must keep: no panic,
//! round trips, canonical forms, refusals where refusals are due, and time that grows linearly
//! with the input.
//!
//! Each target runs `SPA_AUTH_FUZZ_ITERATIONS` iterations (default [`DEFAULT_ITERATIONS`],
//! which keeps `cargo test` within seconds) from `SPA_AUTH_FUZZ_SEED` (default fixed, so a
//! failure is reproducible); a failure prints the target, the seed and the iteration.
//! `bash scripts/fuzz.sh` runs a long campaign in release.

use std::time::Duration;

use crate::core::authorize::{AuthorizeOptions, AuthorizeRequest, ResponseMode};
use crate::core::claims::{Claims, Expectations};
use crate::core::config::{Config, ConfigOptions, ResponseType};
use crate::core::encoding::{
    base64url, base64url_decode, form_decode, form_encode, percent_decode,
};
use crate::core::error::{Error, IdTokenError};
use crate::core::jwks::{Jwk, JwkSet};
use crate::core::jws::{Algorithm, Jws};
use crate::core::metadata::{Discovery, Endpoints};
use crate::core::pkce::CodeVerifier;
use crate::core::response::{
    fragment_pairs, holds_response, text_pairs, AuthResponse, Grant, ParamValue,
};
use crate::core::scope::with_openid;
use crate::core::secret::Secret;
use crate::core::text::sort;
use crate::core::token;
use crate::core::transaction::Transaction;
use crate::core::url::Url;

const DEFAULT_ITERATIONS: u64 = 10_000;
const DEFAULT_SEED: u64 = 0x5EED_0F5B_AA07;

/// splitmix64: small, fast, and the same sequence everywhere for a seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }

    fn maybe<T>(&mut self, percent: u64, value: impl FnOnce(&mut Self) -> T) -> Option<T> {
        self.chance(percent).then(|| value(self))
    }

    /// Up to `max` pieces, joined.
    fn join(&mut self, pieces: &[&str], max: usize) -> String {
        let count = self.below(max + 1);
        (0..count).map(|_| *self.pick(pieces)).collect()
    }

    /// Up to `max` characters, ASCII and otherwise, the protocol's delimiters among them.
    fn text(&mut self, max: usize) -> String {
        const CHARS: &[char] = &[
            'a', 'Z', '0', '9', '-', '.', '_', '~', ' ', '&', '=', '+', '%', '#', '?', '/', ':',
            '@', '"', '\\', '\0', '\t', '\n', '\u{0B}', '\u{7F}', 'é', '€', '\u{A0}', '\u{3000}',
            '😀',
        ];
        let count = self.below(max + 1);
        (0..count).map(|_| *self.pick(CHARS)).collect()
    }

    fn bytes(&mut self, max: usize) -> Vec<u8> {
        let count = self.below(max + 1);
        (0..count).map(|_| self.next() as u8).collect()
    }

    /// A float from the ones that break numeric checks, and ordinary ones.
    fn number(&mut self) -> f64 {
        match self.below(4) {
            #[rustfmt::skip]
            0 => *self.pick(&[
                0.0, -0.0, 0.5, -1.0, 1e300, -1e300, f64::NAN, f64::INFINITY, f64::NEG_INFINITY,
                f64::EPSILON, 315_360_000.0, 315_360_001.0, 4_294_967_295.0, 4_294_967_296.0,
                9_007_199_254_740_993.0,
            ]),
            1 => self.below(100_000) as f64,
            2 => self.below(100_000) as f64 + 0.25,
            _ => f64::from_bits(self.next()),
        }
    }
}

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Prints where a failing iteration came from, when a panic unwinds through it.
struct Context<'a> {
    target: &'a str,
    seed: u64,
    iteration: u64,
}

impl Drop for Context<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!(
                "fuzz target {} failed: SPA_AUTH_FUZZ_SEED={} iteration {}",
                self.target, self.seed, self.iteration
            );
        }
    }
}

/// Runs `body` for each iteration, with a generator seeded by the seed, the target and the
/// iteration, so that a failure recurs at the same iteration whatever else changes.
fn each(target: &str, mut body: impl FnMut(&mut Rng)) {
    let seed = setting("SPA_AUTH_FUZZ_SEED", DEFAULT_SEED);
    let salt = target
        .bytes()
        .fold(0u64, |h, b| h.wrapping_mul(31).wrapping_add(b.into()));
    for iteration in 0..setting("SPA_AUTH_FUZZ_ITERATIONS", DEFAULT_ITERATIONS) {
        let _context = Context {
            target,
            seed,
            iteration,
        };
        let mut rng =
            Rng(seed ^ salt.rotate_left(17) ^ iteration.wrapping_mul(0xA24B_AED4_963E_E407));
        body(&mut rng);
    }
}

/// The processor time this thread has used: unlike the wall clock, it does not grow while the
/// thread waits for a core, so a machine busy with other work does not skew a measurement.
#[cfg(all(target_os = "linux", target_pointer_width = "64"))]
fn thread_time() -> Duration {
    #[repr(C)]
    struct Timespec {
        seconds: i64,
        nanoseconds: i64,
    }
    extern "C" {
        fn clock_gettime(clock: i32, time: *mut Timespec) -> i32;
    }
    const CLOCK_THREAD_CPUTIME_ID: i32 = 3;
    let mut time = Timespec {
        seconds: 0,
        nanoseconds: 0,
    };
    // SAFETY: the C library's clock_gettime writes one timespec (two 64-bit fields on 64-bit
    // Linux) to the pointer it is given, here a local of that layout.
    let status = unsafe { clock_gettime(CLOCK_THREAD_CPUTIME_ID, &mut time) };
    assert_eq!(status, 0, "clock_gettime");
    Duration::new(time.seconds as u64, time.nanoseconds as u32)
}

/// Elsewhere, the wall clock since a fixed start.
#[cfg(not(all(target_os = "linux", target_pointer_width = "64")))]
fn thread_time() -> Duration {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    START.get_or_init(std::time::Instant::now).elapsed()
}

/// Asserts that `run` takes time linear in `n`: from an `n` where one run takes a measurable
/// time, 16n takes about 16 times longer, far from the 256 of a quadratic algorithm. The two
/// are timed in turn, best of five each.
fn assert_linear<T>(what: &str, make: impl Fn(usize) -> T, run: impl Fn(&T)) {
    let time = |input: &T| {
        let started = thread_time();
        run(input);
        thread_time() - started
    };
    let mut n = 16;
    while time(&make(n)) < Duration::from_millis(5) && n < 1 << 16 {
        n *= 2;
    }
    let (small_input, large_input) = (make(n), make(16 * n));
    let (mut small, mut large) = (Duration::MAX, Duration::MAX);
    for _ in 0..5 {
        small = small.min(time(&small_input));
        large = large.min(time(&large_input));
    }
    let ratio = large.as_secs_f64() / small.as_secs_f64();
    assert!(
        ratio < 64.0,
        "{what}: n = {n} took {small:?}, 16n took {large:?} (x{ratio:.1}): not linear"
    );
}

const ISSUER: &str = "https://op.example";

/// The lifetime `expires_in` may give, in seconds, as the response module bounds it.
const TEN_YEARS: u64 = 315_360_000;

/// What `expires_in` should read as, worked out independently of the parser.
fn expected_expires_in(value: &ParamValue) -> Option<u64> {
    match value {
        ParamValue::Text(t) if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) => {
            let digits = t.trim_start_matches('0');
            (digits.len() <= 10)
                .then(|| digits.parse::<u64>().unwrap_or(0))
                .filter(|&s| s <= TEN_YEARS)
        }
        ParamValue::Number(n) if n.is_finite() && n.fract() == 0.0 && *n >= 0.0 => {
            (*n <= TEN_YEARS as f64).then_some(*n as u64)
        }
        _ => None,
    }
}

/// The text of parameter `name`: `None` when absent, `Some(None)` when not text.
fn text_of(pairs: &[(String, ParamValue)], name: &str) -> Option<Option<String>> {
    pairs.iter().find(|(n, _)| n == name).map(|(_, v)| match v {
        ParamValue::Text(t) => Some(t.clone()),
        _ => None,
    })
}

fn repeats_a_name(pairs: &[(String, ParamValue)]) -> bool {
    let mut names: Vec<&str> = pairs.iter().map(|(n, _)| n.as_str()).collect();
    names.sort_unstable();
    names.windows(2).any(|w| w[0] == w[1])
}

/// Checks what `from_pairs` made of an authorization response: refusals are `invalid_response`;
/// repeats, another issuer and a missing `iss` the provider promised are always refused; a
/// success holds exactly the values given, and what the response type asked for.
fn check_response(pairs: Vec<(String, ParamValue)>, iss_required: bool) {
    let text = |name: &str| text_of(&pairs, name);
    let expires_in = pairs
        .iter()
        .find(|(n, _)| n == "expires_in")
        .map(|(_, v)| expected_expires_in(v));
    let iss_refused = match text("iss") {
        Some(iss) => iss.is_some_and(|iss| iss != ISSUER),
        None => iss_required && text("id_token").is_none(),
    };
    let state = text("state");
    match AuthResponse::from_pairs(&pairs, ISSUER, iss_required) {
        Err(e) => assert_eq!(e.code(), "invalid_response"),
        Ok(_) if repeats_a_name(&pairs) || pairs.len() > 100 || iss_refused => {
            panic!("accepted repeats, too many parameters or the wrong iss")
        }
        Ok(AuthResponse::Error(e)) => {
            assert_eq!(Some(Some(e.error.clone())), text("error"));
            assert_eq!(e.state, state.flatten());
        }
        Ok(AuthResponse::Success(params)) => {
            assert_eq!(Some(Some(params.state.into())), state);
            assert!(
                expires_in.is_none_or(|e| e.is_some()),
                "a bad expires_in passed"
            );
            let response_type = match (text("code"), text("access_token")) {
                (Some(_), _) => ResponseType::Code,
                (None, Some(_)) => ResponseType::IdTokenToken,
                (None, None) => ResponseType::IdToken,
            };
            match params.into_grant(response_type) {
                Ok(Grant::Code(code)) => assert_eq!(Some(Some(code.expose().into())), text("code")),
                Ok(Grant::Tokens(tokens)) => {
                    assert!(!tokens.id_token.expose().is_empty());
                    assert!(tokens.access_token.is_none_or(|t| !t.expose().is_empty()));
                    assert_eq!(tokens.expires_in, expires_in.flatten());
                }
                Err(e) => assert_eq!(e.code(), "invalid_response"),
            }
        }
    }
}

#[rustfmt::skip]
const RESPONSE_PIECES: &[&str] = &[
    "id_token", "access_token", "state", "error", "error_description", "expires_in", "iss", "code",
    "token_type", "scope", "refresh_token", "=", "=", "&", "&", "%", "%2", "%41", "%C3%A9", "%FF",
    "%00", "+", "#", "1", "007", "-1", "+5", "1.5", "Bearer", "x", "https%3A%2F%2Fop.example",
];

#[test]
fn fragments() {
    each("fragments", |rng| {
        let fragment = rng.join(RESPONSE_PIECES, 24);
        match fragment_pairs(&fragment) {
            Ok(_) if !holds_response(&fragment) => {}
            Ok(pairs) => check_response(pairs, rng.chance(30)),
            Err(e) => assert_eq!(e.code(), "invalid_response"),
        }
        // Well-formed responses round-trip through the form encoding.
        let mut pairs = vec![
            ("state".to_owned(), rng.text(8)),
            ("id_token".to_owned(), rng.text(8)),
        ];
        for name in ["expires_in", "scope", "error", "iss", "x"] {
            if rng.chance(30) {
                pairs.push((name.into(), rng.text(6)));
            }
        }
        if rng.chance(10) {
            let repeated = rng.pick(&pairs).clone();
            pairs.push(repeated);
        }
        let borrowed: Vec<_> = pairs
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        let encoded = form_encode(borrowed);
        assert!(holds_response(&encoded));
        let decoded = fragment_pairs(&encoded).ok();
        assert!(
            decoded == Some(text_pairs(pairs.clone())),
            "round trip of {encoded}"
        );
        check_response(text_pairs(pairs.clone()), rng.chance(30));
    });
    let crafted = |n: usize| {
        let mut f = String::from("id_token=x&state=s");
        for i in 0..n {
            f.push_str(if i % 2 == 0 { "&p" } else { "&q" });
        }
        f
    };
    // Past 64 KiB a fragment is refused unread, so the larger input costs next to nothing.
    assert_linear("fragment_pairs", crafted, |f| {
        let _ = holds_response(f)
            && fragment_pairs(f).is_ok_and(|p| AuthResponse::from_pairs(&p, ISSUER, true).is_ok());
    });
}

#[test]
fn web_message_pairs() {
    #[rustfmt::skip]
    const NAMES: &[&str] = &[
        "id_token", "access_token", "state", "error", "expires_in", "token_type", "scope", "iss",
        "session_state",
    ];
    each("web_message_pairs", |rng| {
        let count = rng.below(8);
        let pairs = (0..count)
            .map(|_| {
                let value = match rng.below(4) {
                    0 => ParamValue::Number(rng.number()),
                    1 => ParamValue::Other,
                    2 => ParamValue::Text(rng.join(&["0", "1", "9", "+", " ", "-", "."], 12)),
                    _ => ParamValue::Text(rng.text(6)),
                };
                (rng.pick(NAMES).to_string(), value)
            })
            .collect();
        check_response(pairs, rng.chance(30));
        // A response of the right shape with a random expires_in: accepted exactly when the
        // model says so.
        let expires_in = match rng.below(2) {
            0 => ParamValue::Number(rng.number()),
            _ => ParamValue::Text(rng.join(&["0", "3", "9", "+", " ", "-", "e", "315360000"], 4)),
        };
        let expected = expected_expires_in(&expires_in);
        let pairs = vec![
            ("id_token".into(), ParamValue::Text("i".into())),
            ("state".into(), ParamValue::Text("s".into())),
            ("expires_in".into(), expires_in),
        ];
        let read = match AuthResponse::from_pairs(&pairs, ISSUER, false) {
            Ok(AuthResponse::Success(p)) => p.into_tokens(ResponseType::IdToken).ok(),
            _ => None,
        };
        assert_eq!(read.map(|t| t.expires_in), expected.map(Some));
    });
}

/// A code verifier of a random length from 43 to 128 characters of `alphabet` (unreserved).
fn random_verifier(rng: &mut Rng, alphabet: &[char]) -> CodeVerifier {
    let verifier: String = (0..43 + rng.below(86))
        .map(|_| *rng.pick(alphabet))
        .collect();
    CodeVerifier::read(&verifier).expect("a well-formed verifier")
}

#[test]
fn token_responses() {
    #[rustfmt::skip]
    const NAMES: &[&str] = &[
        "id_token", "access_token", "token_type", "expires_in", "scope", "error", "state",
        "refresh_token", "refresh_expires_in",
    ];
    each("token_responses", |rng| {
        let mut pairs: Vec<(String, ParamValue)> = (0..rng.below(7))
            .map(|_| {
                let value = match rng.below(4) {
                    0 => ParamValue::Number(rng.number()),
                    1 => ParamValue::Other,
                    2 => ParamValue::Text(rng.pick(&["Bearer", "bearer", "DPoP", ""]).to_string()),
                    _ => ParamValue::Text(rng.text(6)),
                };
                (rng.pick(NAMES).to_string(), value)
            })
            .collect();
        if rng.chance(50) {
            let complete = [
                ("id_token", "i"),
                ("access_token", "a"),
                ("token_type", "Bearer"),
            ];
            for (name, value) in complete {
                pairs.push((name.into(), ParamValue::Text(value.into())));
            }
        }
        let status = *rng.pick(&[200u16, 201, 299, 300, 400, 401, 500]);
        let error = text_of(&pairs, "error");
        let expires_in = pairs
            .iter()
            .find(|(n, _)| n == "expires_in")
            .map(|(_, v)| expected_expires_in(v));
        match token::tokens(status, pairs.clone(), "st") {
            Ok(tokens) => {
                assert!((200..300).contains(&status) && error.is_none());
                assert!(!repeats_a_name(&pairs));
                assert_eq!(
                    tokens.state, "st",
                    "the state is the authorization response's"
                );
                assert!(!tokens.id_token.expose().is_empty());
                assert!(tokens.access_token.is_some_and(|t| !t.expose().is_empty()));
                assert!(expires_in.is_none_or(|e| e == tokens.expires_in));
                let token_type = text_of(&pairs, "token_type").flatten();
                assert!(token_type.is_some_and(|t| t.eq_ignore_ascii_case("bearer")));
            }
            Err(Error::OAuth(e)) => {
                assert_eq!(Some(Some(e.error.clone())), error);
                assert_eq!(e.state.as_deref(), Some("st"));
            }
            Err(e) => assert!(
                matches!(e.code(), "invalid_response" | "provider_error"),
                "{e:?}"
            ),
        }
        // The token request's body carries exactly its five fields, in order.
        let verifier = random_verifier(rng, &['a', 'Z', '9', '-', '.', '_', '~']);
        let (code, redirect_uri, client_id) = (Secret::new(rng.text(8)), rng.text(8), rng.text(4));
        let body = token::request_body(&code, &verifier, &redirect_uri, &client_id);
        let fields = form_decode(body.expose()).expect("the body is well-formed");
        let expected = [
            ("grant_type", "authorization_code"),
            ("code", code.expose()),
            ("code_verifier", verifier.expose()),
            ("redirect_uri", &redirect_uri),
            ("client_id", &client_id),
        ];
        let fields: Vec<(&str, &str)> = fields
            .iter()
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect();
        assert_eq!(fields, expected);
    });
}

#[test]
fn code_verifiers() {
    each("code_verifiers", |rng| {
        let text = match rng.chance(50) {
            true => rng.join(
                &["a", "Z", "9", "-", ".", "_", "~", "abcdefghij0123456789"],
                12,
            ),
            false => rng.join(
                &["abcdefghij0123456789", "+", "/", "=", " ", "é", "%41"],
                12,
            ),
        };
        let unreserved = text
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~".contains(&b));
        let shaped = (43..=128).contains(&text.len()) && unreserved;
        assert_eq!(CodeVerifier::read(&text).is_some(), shaped);
    });
}

/// Percent-decoding as RFC 3986 and the form encoding define it, written plainly.
fn reference_percent_decode(input: &str) -> Option<String> {
    let mut out = Vec::new();
    let mut bytes = input.bytes();
    while let Some(b) = bytes.next() {
        match b {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = [bytes.next()?, bytes.next()?];
                let hex = std::str::from_utf8(&hex).ok()?;
                if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return None;
                }
                out.push(u8::from_str_radix(hex, 16).ok()?);
            }
            b => out.push(b),
        }
    }
    String::from_utf8(out).ok()
}

#[test]
fn form_encoding() {
    each("form_encoding", |rng| {
        let pairs: Vec<(String, String)> = (0..rng.below(5))
            .map(|_| (rng.text(6), rng.text(10)))
            .collect();
        let encoded = form_encode(
            pairs
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .collect::<Vec<_>>(),
        );
        assert!(encoded
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-._~%&=".contains(&b)));
        assert_eq!(form_decode(&encoded), Some(pairs));
        let input = rng.join(
            &["%", "4", "1", "f", "G", "C3", "A9", "+", "a", "é", "&", "="],
            12,
        );
        for component in input.split(['&', '=']) {
            assert_eq!(
                percent_decode(component),
                reference_percent_decode(component),
                "{component:?}"
            );
        }
        let _ = form_decode(&input);
    });
    assert_linear(
        "form_decode",
        |n| "a=%C3%A9+b&".repeat(n),
        |s| {
            let _ = form_decode(s);
        },
    );
}

#[test]
fn word_sorting() {
    each("sort", |rng| {
        let words: Vec<String> = (0..rng.below(40)).map(|_| rng.text(3)).collect();
        let mut sorted: Vec<&str> = words.iter().map(String::as_str).collect();
        let mut expected = sorted.clone();
        sort(&mut sorted);
        expected.sort_unstable();
        assert_eq!(sorted, expected);
    });
    let reversed = |n: usize| (0..n).rev().map(|i| i.to_string()).collect::<Vec<_>>();
    assert_linear("sort", reversed, |words| {
        let mut words: Vec<&str> = words.iter().map(String::as_str).collect();
        sort(&mut words);
    });
}

#[test]
fn base64url_strictness() {
    each("base64url", |rng| {
        let bytes = rng.bytes(40);
        let encoded = base64url(&bytes);
        assert_eq!(encoded.len(), (bytes.len() * 4).div_ceil(3));
        assert_eq!(base64url_decode(&encoded), Some(bytes));
        let text = rng.join(
            &[
                "A", "B", "g", "Q", "w", "_", "-", "8", "=", "+", "/", " ", "AA",
            ],
            12,
        );
        if let Some(decoded) = base64url_decode(&text) {
            assert_eq!(base64url(&decoded), text, "one encoding per byte string");
        }
    });
    assert_linear(
        "base64url_decode",
        |n| "QUJD".repeat(n),
        |s| {
            let _ = base64url_decode(s);
        },
    );
}

/// A URL-like string: scheme, separator, host, port and the rest, each drawn from well-formed
/// and hostile choices, so that some are accepted and most are near misses.
fn random_url(rng: &mut Rng) -> String {
    #[rustfmt::skip]
    const LABELS: &[&str] = &[
        "localhost", "LOCALHOST", "op", "example", "127", "0", "1", "255", "256", "0x7f", "01",
        "xn--nxasmq6b", "a_b", "-a-", "ffff",
    ];
    #[rustfmt::skip]
    const HOSTILE: &[&str] = &[
        "[", "]", "::", ":", "@", "%2e", "\\", "é", "\t", "\n", " ", "\u{3002}", "\u{AD}", ".", "\0",
    ];
    let scheme = *rng.pick(&["https", "http", "HTTPS", "javascript", "ftp", ""]);
    let separator = *rng.pick(&["://", "://", "://", ":/", ":///", ":\\\\", ":"]);
    let mut host = match rng.below(3) {
        0 => rng
            .pick(&[
                "localhost",
                "op.example",
                "127.0.0.1",
                "[::1]",
                "a.localhost",
                "[0:0::1]",
            ])
            .to_string(),
        _ => (0..1 + rng.below(3))
            .map(|_| *rng.pick(LABELS))
            .collect::<Vec<_>>()
            .join("."),
    };
    if rng.chance(40) {
        let at = rng.below(host.len() + 1);
        let hostile = *rng.pick(HOSTILE);
        host.insert_str(at, hostile);
    }
    let port = rng.maybe(30, |rng| {
        *rng.pick(&[
            ":443", ":80", ":0443", ":65535", ":65536", ":", ":8080", ":+1",
        ])
    });
    let tail = rng.join(&["/", "p", "?", "q=1", "#", "f", "@", "\\", "é", " "], 4);
    [scheme, separator, &host, port.unwrap_or(""), &tail].concat()
}

#[test]
fn urls() {
    each("urls", |rng| {
        let input = random_url(rng);
        if let Some(url) = Url::parse(&input) {
            assert!(matches!(url.scheme, "http" | "https"), "{input:?}");
            let authority = input.split('/').nth(2).unwrap_or_default();
            assert!(!authority
                .split(['?', '#'])
                .next()
                .unwrap_or_default()
                .contains('@'));
            assert!(!input.contains(['\\', '\t', '\n', ' ']), "{input:?}");
            assert!(url
                .host
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_.[]:".contains(&b)));
            let default = if url.scheme == "https" { 443 } else { 80 };
            assert_ne!(url.port, Some(default));
            let again = Url::parse(&url.origin()).expect("an origin parses");
            assert_eq!(again.origin(), url.origin(), "{input:?}");
        }
        // Well-formed URLs are accepted, with the origin the parts make.
        let labels: Vec<String> = (0..1 + rng.below(3))
            .map(|_| rng.join(&["a", "z", "0", "-", "_", "b9"], 3))
            .map(|label| label + "q")
            .collect();
        let host = labels.join(".");
        let scheme = *rng.pick(&["http", "https"]);
        let port = rng.maybe(50, |rng| rng.below(65_536) as u16);
        let zeros = "0".repeat(rng.below(3));
        let written_port = port.map(|p| [":", &zeros, &p.to_string()].concat());
        let tail = rng.join(&["/", "p", "?q=1", "#f", "é", "%41", "@"], 4);
        let input = [
            scheme,
            "://",
            &host.to_uppercase(),
            written_port.as_deref().unwrap_or(""),
            "/",
            &tail,
        ]
        .concat();
        let url = Url::parse(&input).unwrap_or_else(|| panic!("{input:?} is refused"));
        let default = if scheme == "https" { 443 } else { 80 };
        let expected_port = port
            .filter(|&p| p != default)
            .map(|p| [":", &p.to_string()].concat());
        let expected = [scheme, "://", &host, expected_port.as_deref().unwrap_or("")].concat();
        assert_eq!(url.origin(), expected);
        // Discovery takes only URLs that pass the same parser, over https or on loopback.
        let doc = Discovery {
            issuer: Some(ISSUER.into()),
            token_endpoint: rng.maybe(50, random_url),
            iss_parameter_supported: rng.chance(50),
            authorization_endpoint: Some(random_url(rng)),
            jwks_uri: Some(match rng.chance(50) {
                true => "https://op.example/jwks".into(),
                false => random_url(rng),
            }),
            end_session_endpoint: None,
            lists_web_message: false,
        };
        if let Ok(endpoints) = Endpoints::from_discovery(ISSUER, doc) {
            let token = endpoints.token.iter();
            for endpoint in [&endpoints.authorization, &endpoints.jwks_uri]
                .into_iter()
                .chain(token)
            {
                assert!(Url::parse(endpoint).is_some_and(|u| u.is_secure() && !u.has_fragment));
            }
        }
    });
    assert_linear(
        "Url::parse",
        |n| ["https://a.example/", &"p/".repeat(n)].concat(),
        |s| {
            let _ = Url::parse(s);
        },
    );
}

#[test]
fn jws_split() {
    each("jws", |rng| {
        #[rustfmt::skip]
        const PIECES: &[&str] = &[
            "e30", "eyJhbGciOiJSUzI1NiJ9", ".", ".", "AA", "A", "=", "+", "-_", "é",
        ];
        let token = rng.join(PIECES, 10);
        if let Ok(jws) = Jws::parse(&token) {
            let rebuilt = [jws.signing_input, ".", &base64url(&jws.signature)].concat();
            assert_eq!(rebuilt, token);
            assert!(!jws.header.is_empty() && !jws.payload.is_empty());
        }
        let (header, payload) = (rng.text(20) + "h", rng.text(20) + "p");
        let signature = rng.bytes(64);
        let token = [
            base64url(header.as_bytes()),
            base64url(payload.as_bytes()),
            base64url(&signature),
        ]
        .join(".");
        let jws = Jws::parse(&token).expect("a compact JWS parses");
        assert_eq!(
            (jws.header, jws.payload, jws.signature),
            (header, payload, signature)
        );
    });
    assert_linear(
        "Jws::parse",
        |n| ["e30.", &"QUJD".repeat(n), ".AA"].concat(),
        |s| {
            let _ = Jws::parse(s);
        },
    );
}

/// A random key, and the length its RSA modulus was given.
fn random_key(rng: &mut Rng) -> (Jwk, Option<u64>) {
    let pick = |rng: &mut Rng, items: &[&str]| rng.maybe(80, |rng| rng.pick(items).to_string());
    let bits = *rng.pick(&[8u64, 1024, 2047, 2048, 3072, 4096]);
    let mut modulus = vec![0u8; rng.below(2)];
    modulus.push(1 << ((bits - 1) % 8));
    modulus.extend(vec![0xA5; (bits as usize - 1) / 8]);
    let n = rng.maybe(90, |rng| match rng.chance(90) {
        true => base64url(&modulus),
        false => "n".into(),
    });
    let is_base64url = n.as_deref().is_some_and(|n| n != "n");
    let key = Jwk {
        kty: pick(rng, &["RSA", "EC", "oct"]),
        kid: pick(rng, &["a", "b"]),
        alg: rng.maybe(40, |rng| {
            rng.pick(&["RS256", "PS256", "ES256", "HS256"]).to_string()
        }),
        use_: rng.maybe(40, |rng| rng.pick(&["sig", "enc"]).to_string()),
        n,
        e: pick(rng, &["AQAB"]),
        crv: pick(rng, &["P-256", "P-384"]),
        x: pick(rng, &["x"]),
        y: pick(rng, &["y"]),
    };
    (key, is_base64url.then_some(bits))
}

/// Whether a key can serve `alg`, worked out from RFC 7517 and 7518 apart from `select`.
fn can_serve(key: &Jwk, modulus_bits: Option<u64>, alg: Algorithm) -> bool {
    let is = |member: &Option<String>, value: &str| member.as_deref() == Some(value);
    let typed = match alg {
        Algorithm::ES256 => {
            is(&key.kty, "EC") && is(&key.crv, "P-256") && key.x.is_some() && key.y.is_some()
        }
        _ => is(&key.kty, "RSA") && modulus_bits.is_some() && key.e.is_some(),
    };
    typed
        && key.use_.as_deref().is_none_or(|u| u == "sig")
        && key.alg.as_deref().is_none_or(|a| a == alg.as_str())
}

#[test]
fn jwks_selection() {
    each("jwks", |rng| {
        let generated: Vec<(Jwk, Option<u64>)> =
            (0..rng.below(6)).map(|_| random_key(rng)).collect();
        let set = JwkSet {
            keys: generated.iter().map(|(k, _)| k.clone()).collect(),
        };
        let alg = *rng.pick(&[Algorithm::RS256, Algorithm::PS256, Algorithm::ES256]);
        let kid = rng.maybe(70, |rng| *rng.pick(&["a", "b", "c"]));
        let serving: Vec<&(Jwk, Option<u64>)> = generated
            .iter()
            .filter(|(k, bits)| can_serve(k, *bits, alg))
            .collect();
        let named = serving
            .iter()
            .find(|(k, _)| kid.is_some() && k.kid.as_deref() == kid);
        let signing: Vec<&(Jwk, Option<u64>)> = generated
            .iter()
            .filter(|(k, _)| k.use_.as_deref() != Some("enc"))
            .collect();
        let single = match signing[..] {
            [only] if kid.is_none() || only.0.kid.is_none() => Some(only),
            _ => None,
        };
        let expected = named
            .copied()
            .or(single)
            .filter(|(k, bits)| can_serve(k, *bits, alg));
        match (set.select(alg, kid), expected) {
            (Ok(key), Some((expected, bits))) => {
                assert_eq!(key, expected);
                assert!(alg == Algorithm::ES256 || bits.is_some_and(|b| b >= 2048));
            }
            (Err(IdTokenError::KeyTooShort { bits }), Some((_, Some(expected_bits)))) => {
                assert_eq!(bits, *expected_bits);
                assert!(bits < 2048);
            }
            (Err(IdTokenError::KeyNotFound(named)), None) => assert_eq!(named.as_deref(), kid),
            (got, expected) => panic!("select gave {got:?}, expected {expected:?}"),
        }
    });
}

#[test]
fn claims_checks() {
    const NOW: f64 = 1_700_000_000.0;
    each("claims", |rng| {
        let moment = |rng: &mut Rng| {
            rng.maybe(90, |rng| match rng.below(3) {
                0 => NOW + rng.below(1_000) as f64 - 500.0,
                1 => NOW + rng.number(),
                _ => rng.number(),
            })
        };
        let word = |rng: &mut Rng, right: &str| {
            rng.maybe(90, |rng| match rng.chance(70) {
                true => right.to_owned(),
                false => rng.text(3),
            })
        };
        let claims = Claims {
            iss: word(rng, ISSUER),
            sub: word(rng, "ada"),
            aud: (0..rng.below(3)).filter_map(|_| word(rng, "spa")).collect(),
            azp: rng.maybe(30, |rng| word(rng, "spa").unwrap_or_default()),
            exp: moment(rng),
            nbf: if rng.chance(30) { moment(rng) } else { None },
            iat: moment(rng),
            nonce: word(rng, "n-1"),
            auth_time: moment(rng),
            at_hash: None,
        };
        let expect = Expectations {
            issuer: ISSUER,
            client_id: "spa",
            nonce: Some("n-1"),
            max_age: rng.maybe(30, |rng| rng.below(1_000) as u64),
            leeway: rng.below(301) as u32,
            now: NOW,
        };
        let leeway = f64::from(expect.leeway);
        let checked = claims.check(&expect);
        if let Ok(checked) = &checked {
            assert_eq!(claims.iss.as_deref(), Some(ISSUER));
            assert!(claims.aud.iter().any(|a| a == "spa"));
            if claims.aud.len() > 1 || claims.azp.is_some() {
                assert_eq!(claims.azp.as_deref(), Some("spa"));
            }
            assert!(claims.sub.as_deref().is_some_and(|s| !s.is_empty()));
            assert!(claims.exp.is_some_and(|exp| NOW < exp + leeway));
            assert_eq!(Some(checked.expires_at), claims.exp);
            assert!(claims.iat.is_some_and(|iat| iat <= NOW + leeway));
            assert!(claims.nbf.is_none_or(|nbf| nbf <= NOW + leeway));
            assert_eq!(claims.nonce.as_deref(), Some("n-1"));
            if let Some(max_age) = expect.max_age {
                assert!(claims
                    .auth_time
                    .is_some_and(|t| t + max_age as f64 + leeway >= NOW));
            }
        }
        // More leeway never refuses what less accepted.
        let lenient = Expectations {
            leeway: 300,
            ..expect
        };
        if checked.is_ok() {
            assert!(claims.check(&lenient).is_ok());
        }
    });
}

#[rustfmt::skip]
const SCOPE_PIECES: &[&str] = &[
    "openid", "profile", "email", "offline_access", "read:messages", " ", " ", "  ", "\t", "\n",
    "\u{0B}", "\u{A0}", "\u{3000}", "\"", "\\", "!", "~", "é", "x",
];

#[test]
fn scopes() {
    each("scope", |rng| {
        let scope = rng.join(SCOPE_PIECES, 8);
        match with_openid(&scope, Error::InvalidRequest) {
            Ok(normalised) => {
                let tokens: Vec<&str> = normalised.split(' ').collect();
                assert_eq!(tokens[0], "openid");
                assert!(tokens.iter().all(|t| !t.is_empty()
                    && t.bytes()
                        .all(|b| b == 0x21 || (0x23..=0x7E).contains(&b) && b != b'\\')));
                let mut sorted = tokens.clone();
                sorted.sort_unstable();
                sorted.dedup();
                assert_eq!(sorted.len(), tokens.len(), "no duplicates");
                assert!(!tokens.contains(&"offline_access"));
                let given: Vec<&str> = scope.split(' ').filter(|t| !t.is_empty()).collect();
                assert!(given.iter().all(|t| tokens.contains(t)));
                assert!(tokens.iter().all(|t| *t == "openid" || given.contains(t)));
                assert_eq!(
                    with_openid(&normalised, Error::InvalidRequest).ok(),
                    Some(normalised)
                );
            }
            Err(Error::OfflineAccessRefused) => {
                assert!(scope.split(' ').any(|t| t == "offline_access"));
            }
            Err(e) => assert_eq!(e.code(), "invalid_request"),
        }
        // However it is hidden, offline_access is never let through.
        let hidden = [
            &rng.join(SCOPE_PIECES, 3),
            "offline_access",
            &rng.join(SCOPE_PIECES, 3),
        ]
        .concat();
        if let Ok(normalised) = with_openid(&hidden, Error::InvalidRequest) {
            let mut words = normalised.split(char::is_whitespace);
            assert!(words.all(|w| w != "offline_access"), "{hidden:?}");
        }
    });
    let distinct = |n: usize| {
        (0..n)
            .map(|i| ["s", &i.to_string()].concat())
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_linear("with_openid", distinct, |s| {
        let _ = with_openid(s, Error::InvalidRequest);
    });
}

fn random_config_options(rng: &mut Rng) -> ConfigOptions {
    let url = |rng: &mut Rng| match rng.chance(60) {
        true => rng
            .pick(&[
                "https://op.example",
                "http://localhost:3000",
                "https://app.example/cb",
                "https://app.example/#x",
            ])
            .to_string(),
        false => random_url(rng),
    };
    ConfigOptions {
        domain: rng.maybe(30, |rng| {
            rng.join(
                &["tenant", ".", "auth0", "com", "https://", "/", ":443", "é"],
                6,
            )
        }),
        issuer: rng.maybe(70, url),
        client_id: rng.maybe(90, |rng| rng.text(6)),
        redirect_uri: rng.maybe(90, url),
        response_type: rng.maybe(30, |rng| {
            rng.join(&["id_token", "token", "code", " ", "\u{0B}"], 3)
        }),
        scope: rng.maybe(60, |rng| rng.join(SCOPE_PIECES, 5)),
        audience: rng.maybe(30, |rng| rng.text(6)),
        leeway: rng.maybe(30, Rng::number),
        max_age: rng.maybe(30, Rng::number),
        silent_redirect_uri: rng.maybe(30, url),
        algorithms: rng.maybe(30, |rng| {
            (0..rng.below(3))
                .map(|_| {
                    rng.pick(&["RS256", "ES256", "PS256", "HS256", "none"])
                        .to_string()
                })
                .collect()
        }),
        silent_fallback: rng.maybe(20, |rng| {
            rng.pick(&["redirect", "none", "popup"]).to_string()
        }),
        share_across_tabs: rng.maybe(30, |rng| rng.below(2) == 0),
    }
}

#[test]
fn configuration() {
    each("config", |rng| {
        let options = random_config_options(rng);
        match Config::new(&options) {
            Ok(config) => {
                let redirect = Url::parse(&config.redirect_uri).expect("the redirect URI parses");
                assert!(redirect.is_secure() && !redirect.has_fragment);
                assert!(config.scope.starts_with("openid"));
                assert_eq!(
                    with_openid(&config.scope, Error::Configuration).ok(),
                    Some(config.scope.clone())
                );
                assert!(config.leeway <= 300 && !config.algorithms.is_empty());
            }
            Err(e) => assert!(
                matches!(e.code(), "invalid_configuration" | "invalid_scope"),
                "{e:?}"
            ),
        }
    });
}

#[test]
fn transactions() {
    each("transactions", |rng| {
        let response_type = *rng.pick(&[
            ResponseType::Code,
            ResponseType::IdToken,
            ResponseType::IdTokenToken,
        ]);
        let client_id = rng.text(6);
        let tx = Transaction {
            state: Secret::new(rng.text(10)),
            nonce: Secret::new(rng.text(10)),
            response_type,
            redirect_uri: rng.text(12),
            code_verifier: (response_type == ResponseType::Code)
                .then(|| random_verifier(rng, &['a', '0', '-', '~'])),
            scope: rng.text(12),
            audience: rng.maybe(50, |rng| rng.text(8)),
            max_age: rng.maybe(50, |rng| rng.next() >> rng.below(64)),
            app_state: rng.maybe(50, |rng| rng.text(30)),
            created_at: (rng.next() >> 11) as f64,
        };
        assert_eq!(
            Transaction::decode(&tx.encode(&client_id), &client_id),
            Some(tx)
        );
        let stored = rng.join(
            &[
                "state=",
                "nonce=",
                "client_id=",
                "response_type=id_token",
                "scope=",
                "created_at=",
                "1",
                "&",
                "%",
                "x",
                "max_age=",
                "+1",
            ],
            14,
        );
        let _ = Transaction::decode(&stored, "c");
    });
    assert_linear(
        "Transaction::decode",
        |n| {
            ["state=s&nonce=n&client_id=c&response_type=id_token&scope=openid&created_at=1&app_state=", &"%C3%A9".repeat(n)].concat()
        },
        |s| {
            let _ = Transaction::decode(s, "c");
        },
    );
}

/// The parameters of a URL's query, in order.
fn query_pairs(url: &str) -> Vec<(String, String)> {
    let query = url.split_once('?').map(|(_, q)| q).unwrap_or_default();
    form_decode(query).expect("the SDK's query is well-formed")
}

#[test]
fn authorize_urls() {
    const ENDPOINT: &str = "https://op.example/authorize?tenant=1";
    #[rustfmt::skip]
    const EXTRA_NAMES: &[&str] = &[
        "screen_hint", "x", "resource", "claims", "request", "request_uri", "state", "nonce",
        "client_id", "redirect_uri", "scope", "prompt", "code_challenge", "id_token_hint", "é", "",
    ];
    let mut config = Config::new(&ConfigOptions {
        issuer: Some("https://op.example".into()),
        client_id: Some("spa".into()),
        redirect_uri: Some("https://app.example/cb".into()),
        ..ConfigOptions::default()
    })
    .expect("a valid configuration");
    config.silent_redirect_uri = Some("https://app.example/silent".into());
    each("authorize", |rng| {
        let mut extra: Vec<(String, String)> = (0..rng.below(4))
            .map(|_| (rng.pick(EXTRA_NAMES).to_string(), rng.text(6)))
            .collect();
        extra.sort();
        extra.dedup_by(|a, b| a.0 == b.0);
        let options = AuthorizeOptions {
            scope: rng.maybe(40, |rng| rng.join(SCOPE_PIECES, 4)),
            audience: rng.maybe(30, |rng| rng.text(6)),
            prompt: rng.maybe(30, |rng| {
                rng.join(&["none", "login", "consent", " ", "\u{0B}"], 3)
            }),
            max_age: rng.maybe(20, Rng::number),
            login_hint: rng.maybe(30, |rng| rng.text(8)),
            response_mode: rng.maybe(20, |rng| {
                rng.pick(&["fragment", "web_message", "query"]).to_string()
            }),
            response_type: rng.maybe(30, |rng| {
                rng.pick(&["code", "id_token", "id_token token", "token"])
                    .to_string()
            }),
            redirect_uri: rng.maybe(20, random_url),
            extra_params: Some(extra.clone()),
            ..AuthorizeOptions::default()
        };
        let silent = rng.chance(50);
        let hint = rng.maybe(50, |rng| Secret::new(rng.text(10)));
        let request = match silent {
            true => AuthorizeRequest::silent(&config, &options, rng.chance(50), hint.as_ref()),
            false => AuthorizeRequest::redirect(&config, &options),
        };
        let reserved = extra.iter().any(|(name, _)| {
            !matches!(
                name.as_str(),
                "screen_hint" | "x" | "resource" | "claims" | "é"
            )
        });
        let request = match request {
            Err(e) => {
                assert!(
                    matches!(e.code(), "invalid_request" | "invalid_scope"),
                    "{e:?}"
                );
                return;
            }
            Ok(_) if reserved => panic!("extraParams set a reserved parameter: {extra:?}"),
            Ok(request) => request,
        };
        let code = request.response_type == ResponseType::Code;
        let url = request.url(ENDPOINT, "S", "N", code.then_some("CHALLENGE"));
        let pairs = query_pairs(&url);
        let get = |name: &str| -> Vec<&str> {
            pairs
                .iter()
                .filter(|(n, _)| n == name)
                .map(|(_, v)| v.as_str())
                .collect()
        };
        assert_eq!(get("tenant"), ["1"], "the endpoint's own query stays");
        assert_eq!(get("client_id"), ["spa"]);
        assert_eq!(get("state"), ["S"]);
        assert_eq!(get("nonce"), ["N"]);
        assert_eq!(get("redirect_uri"), [request.redirect_uri.as_str()]);
        assert_eq!(get("scope"), [request.scope.as_str()]);
        assert_eq!(get("response_type"), [request.response_type.as_str()]);
        let response_mode = match (request.response_mode, code) {
            (ResponseMode::WebMessage, _) => vec!["web_message"],
            (ResponseMode::Fragment, true) => vec!["fragment"],
            (ResponseMode::Fragment, false) => vec![],
        };
        assert_eq!(get("response_mode"), response_mode);
        let (challenge, method) = match code {
            true => (vec!["CHALLENGE"], vec!["S256"]),
            false => (vec![], vec![]),
        };
        assert_eq!(
            (get("code_challenge"), get("code_challenge_method")),
            (challenge, method)
        );
        if silent {
            assert_eq!(get("prompt"), ["none"]);
        }
        let sent_hint: Vec<&str> = hint.iter().filter(|_| silent).map(Secret::expose).collect();
        assert_eq!(get("id_token_hint"), sent_hint);
        for (name, value) in &extra {
            assert_eq!(get(name), [value.as_str()]);
        }
        let mut names: Vec<&str> = pairs.iter().map(|(n, _)| n.as_str()).collect();
        names.sort_unstable();
        assert!(
            names.windows(2).all(|w| w[0] != w[1]),
            "a parameter is sent twice: {url}"
        );
    });
}
