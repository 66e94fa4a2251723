//! # spa-auth
//!
//! OpenID Connect for browser single-page apps, compiled to WebAssembly: redirect login with
//! complete ID-token verification (WebCrypto signatures against the provider's JWKS, every claim,
//! `at_hash`), silent renewal in a hidden iframe, and never a refresh token in the browser.
//!
//! The crate has three layers:
//! - a pure protocol core, tested with plain `cargo test`: [`config`], [`metadata`],
//!   [`authorize`], [`response`], [`transaction`], [`scope`], [`id_token`]'s claim and key
//!   checks, [`url`], [`encoding`], [`error`];
//! - [`browser`], a thin layer over web-sys that releases what it creates on drop, with the
//!   flows built on it: [`client`] (redirect), [`silent`] (iframe) and [`session`] (tokens held
//!   in memory, renewal, fetch);
//! - [`js`], the `#[wasm_bindgen]` façade `WebAuth`.

#![deny(missing_docs, missing_debug_implementations)]

pub mod authorize;
pub mod browser;
pub mod client;
pub mod config;
pub mod encoding;
pub mod error;
pub mod id_token;
pub mod js;
pub mod metadata;
pub mod response;
pub mod scope;
pub mod session;
pub mod silent;
pub mod text;
pub mod transaction;
pub mod url;

pub use error::{Error, IdTokenError};
pub use js::WebAuth;

/// A small free-list allocator (address-ordered, coalescing) instead of std's dlmalloc: 7 KB less
/// wasm.
// SAFETY: wasm32-unknown-unknown without the atomics feature runs on one thread only.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };
