//! # spa-auth
//!
//! OpenID Connect for browser single-page apps, compiled to WebAssembly: redirect login (the
//! authorization code with PKCE by default, implicit on request) with complete ID-token
//! verification (WebCrypto signatures against the provider's JWKS, every claim, `at_hash`), silent
//! renewal in a hidden iframe, and never a refresh token in the browser.
//!
//! ## Layers
//! Each folder is one layer, and imports only point down:
//! - `core/`: the protocol, pure: configuration, authorize requests, responses, transactions,
//!   scope, claims, JWS and key selection, URLs and encodings, errors. No browser; plain
//!   `cargo test` with fixed clocks.
//! - `browser/`: thin wrappers over web-sys (storage, hidden frame, listeners, WebCrypto, fetch,
//!   the address bar) that release what they create on drop, and the one place where JS values
//!   become core types. It knows nothing of the flows.
//! - `flow/`: the redirect and silent flows, verification, and the session ([`Auth`]); they
//!   return `Result<_, Error>`.
//! - `js/`: the `#[wasm_bindgen]` façade [`WebAuth`] for JavaScript; it only translates.
//!
//! ## Features
//! `std` (default) links the standard library, as a Rust app and the tests expect. The npm
//! package is built without it (`scripts/build.sh`): `no_std`, where a panic traps instead of
//! running std's panic machinery, for a smaller wasm.
//!
//! ## From Rust
//! A Rust SPA (Leptos, Yew, Dioxus) uses [`Auth`] directly, without the JavaScript façade:
//!
//! ```no_run
//! use spa_auth::{Auth, AuthorizeOptions, ConfigOptions};
//!
//! fn show_user(subject: &str) { /* the app's own UI */ }
//!
//! async fn sign_in() -> Result<(), spa_auth::Error> {
//!     let auth = Auth::new(&ConfigOptions {
//!         issuer: Some("https://login.example.com".into()),
//!         client_id: Some("my-spa".into()),
//!         redirect_uri: Some("https://app.example.com/".into()),
//!         ..ConfigOptions::default()
//!     })?;
//!     match auth.parse_hash(None, None).await? {
//!         Some(result) => show_user(&result.subject),
//!         None => auth.authorize(&AuthorizeOptions::default(), None).await?,
//!     }
//!     Ok(())
//! }
//! ```

#![deny(missing_docs, missing_debug_implementations)]
// The npm package is built without the `std` feature (scripts/build.sh): no std, so no std panic
// machinery and no `core::fmt` in the wasm.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

mod browser;
mod core;
mod flow;
mod js;

pub use crate::core::authorize::AuthorizeOptions;
pub use crate::core::config::ConfigOptions;
pub use crate::core::error::{Error, IdTokenError, OAuthError};
pub use crate::core::secret::Secret;
pub use crate::core::silent::{Reason, RestoredBy};
pub use crate::flow::redirect::AuthResult;
pub use crate::flow::restore::Restored;
pub use crate::flow::session::{Auth, OnRenewFailed, OnRenewed, RenewalOptions};
pub use crate::flow::tabs::OnSessionChange;
pub use crate::js::WebAuth;

/// A small free-list allocator (address-ordered, coalescing) instead of std's dlmalloc: 7 KB less
/// wasm.
// SAFETY: wasm32-unknown-unknown without the atomics feature runs on one thread only.
#[cfg(target_arch = "wasm32")]
#[global_allocator]
static ALLOCATOR: lol_alloc::AssumeSingleThreaded<lol_alloc::FreeListAllocator> =
    unsafe { lol_alloc::AssumeSingleThreaded::new(lol_alloc::FreeListAllocator::new()) };

/// Without std, a panic traps. The SDK's paths do not panic; what is left (out-of-bounds checks,
/// `RefCell` borrows) would trap under std too, only after formatting a message nobody reads.
/// The npm package's build (scripts/build.sh) goes further: its `core` is built with the
/// `immediate-abort` panic strategy, where every panic is a trap at its own site and no panic
/// handler exists, so this one is for a no_std build on plain stable (`cargo build --target
/// wasm32-unknown-unknown --no-default-features`: profiling, clippy).
#[cfg(all(
    target_arch = "wasm32",
    not(feature = "std"),
    not(panic = "immediate-abort")
))]
#[panic_handler]
fn panic(_: &::core::panic::PanicInfo<'_>) -> ! {
    ::core::arch::wasm32::unreachable()
}
