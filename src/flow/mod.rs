//! The flows, built on the core and the browser layer: the redirect login ([`redirect`]), silent
//! authentication in a hidden iframe ([`silent`]), ID-token verification with WebCrypto
//! ([`verify`]), the provider's documents fetched ahead and kept for the next page
//! ([`documents`]), the session that holds the tokens and renews them ([`session`]), its sharing
//! between the app's tabs ([`tabs`]), and the page load's restore of a session, with its
//! top-level fallback ([`restore`]). Every flow returns `Result<_, Error>`; turning that into
//! JavaScript is the façade's job.

pub(crate) mod cancel;
pub(crate) mod documents;
pub(crate) mod redirect;
pub(crate) mod restore;
pub(crate) mod session;
pub(crate) mod silent;
pub(crate) mod single_flight;
pub(crate) mod tabs;
pub(crate) mod verify;

/// Runs a task on the browser's microtask queue ([`crate::browser::task`]). The one place tasks
/// are spawned, with the task's type erased, so that the executor's code is in the wasm once
/// (wasm size).
pub(crate) use crate::browser::task::spawn;
