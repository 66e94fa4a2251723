//! The protocol core: pure functions and checked types, no browser. Everything here runs under
//! plain `cargo test` with fixed clocks; nothing here imports `wasm_bindgen`, `js_sys` or
//! `web_sys` (the test command checks that).
//!
//! Each check is written once and returns a checked type: [`config::Config`] from options,
//! [`authorize::AuthorizeRequest`] from per-call options, [`pkce::CodeVerifier`] of the right
//! shape, [`response::Grant`] and [`response::Tokens`] from an authorization or token response of
//! the right shape, [`claims::Claims::check`] against [`claims::Expectations`].

pub(crate) mod authorize;
pub(crate) mod claims;
pub(crate) mod config;
pub(crate) mod encoding;
pub(crate) mod error;
#[cfg(test)]
mod fuzz_tests;
pub(crate) mod jwks;
pub(crate) mod jws;
pub(crate) mod key_age;
pub(crate) mod metadata;
pub(crate) mod pkce;
pub(crate) mod renewal;
pub(crate) mod response;
pub(crate) mod scope;
pub(crate) mod secret;
pub(crate) mod silent;
pub(crate) mod tabs;
pub(crate) mod text;
pub(crate) mod token;
pub(crate) mod transaction;
pub(crate) mod url;
