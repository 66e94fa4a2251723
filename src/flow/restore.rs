//! `restore_session`: one call at page load that finds the user's session wherever it is — the
//! authorization response in the URL, the tokens held, the hidden iframe, or, when the iframe
//! cannot work, one top-level `prompt=none` redirect — without ever showing the provider's pages
//! and without looping. The decisions are the core's ([`crate::core::silent`]); this runs them.

use alloc::borrow::Cow;
use alloc::rc::Rc;
use alloc::string::String;
use core::future::Future;
use core::ops::ControlFlow;

use crate::browser::location;
use crate::browser::storage::SessionStore;
use crate::core::authorize::AuthorizeOptions;
use crate::core::error::Error;
use crate::core::secret::Secret;
use crate::core::silent::{
    after_iframe, is_no_session, AfterIframe, Guard, Reason, RestoredBy, ENDED, GUARD_PREFIX,
};
use crate::flow::redirect::{AuthResult, Client};
use crate::flow::session::Auth;
use crate::flow::tabs::plain;

/// The guards' storage: `spa-auth.restore.<clientId>` in `sessionStorage`.
fn guards() -> SessionStore {
    SessionStore::open(GUARD_PREFIX)
}

/// Removes the restore guard, so that restore redirects may happen again: a login starts anew.
pub(crate) fn forget_guard(client: &Client) {
    guards().remove(&client.config.client_id);
}

/// Stops restore redirects in this tab until the next login: the app ended the session, and a
/// silent redirect on the next page load must not undo that.
pub(crate) fn end_restores(client: &Client) {
    let _ = guards().put(&client.config.client_id, ENDED);
}

/// A session that [`Auth::restore_session`] found, and how.
#[derive(Debug, Clone)]
pub struct Restored {
    /// The tokens.
    pub result: Rc<AuthResult>,
    /// Where they came from.
    pub by: RestoredBy,
    /// Why a top-level redirect was needed, when it was.
    pub redirect_reason: Option<Reason>,
}

impl Auth {
    /// The session, found without showing the provider's pages: the verified response in the URL
    /// (what [`Auth::parse_hash`] reads); else the unexpired tokens this page holds or another
    /// tab shares, when `options` set only scope, audience and response mode; else silent
    /// authentication in the hidden iframe ([`Auth::check_session`] with `options`, within
    /// `timeout_ms`); else, when the iframe failed for a reason of its own
    /// (third-party cookies blocked, framing refused, a cross-origin isolated page) and the
    /// configuration's `silent_fallback` allows it, one top-level `prompt=none` redirect, whose
    /// answer a later call on the page it returns to reads. `None` when the provider has no
    /// session (or needs the user).
    ///
    /// The redirect is guarded in `sessionStorage`: none while one is pending, none after the
    /// provider answered one with "no session" or the app ended the session, until the next
    /// [`Auth::authorize`]. On the way back the app's path and query are put back in the address
    /// bar and `app_state` comes back in the result. While the page leaves, the future never
    /// completes.
    pub fn restore_session(
        &self,
        options: &AuthorizeOptions,
        app_state: Option<String>,
        timeout_ms: Option<u32>,
    ) -> impl Future<Output = Result<Option<Restored>, Error>> + 'static {
        self.restore(options.clone(), app_state, timeout_ms)
    }

    /// [`Auth::restore_session`] on options and `app_state` of the caller's own, taken owned: the
    /// redirect changes the options in place (`prompt=none`, the default response mode) instead
    /// of copying them, and takes `app_state`. The façade's call: its future is `'static`, so the
    /// façade converts it as it is, with no async block of its own (wasm size: no
    /// `AuthorizeOptions` copied).
    pub(crate) fn restore(
        &self,
        mut options: AuthorizeOptions,
        app_state: Option<String>,
        timeout_ms: Option<u32>,
    ) -> impl Future<Output = Result<Option<Restored>, Error>> + 'static {
        let auth = self.clone();
        async move {
            let parsed = auth.parse(None, timeout_ms).await;
            // From here on, only whether there is a guard matters: the guard is dropped here,
            // not kept across the waits below.
            let guarded = {
                let stored = auth.guard();
                if let ControlFlow::Break(done) = auth.read_return(stored.as_deref(), parsed) {
                    return done;
                }
                stored.is_some()
            };
            // The unexpired tokens this page holds, else those another tab of the app shares
            // ([`Auth::shared_session`]), else the iframe's; the result is built at one place.
            // Options that tokens held cannot answer (`max_age`, `prompt`, …) go to the provider,
            // as in `check_session`.
            let (result, by) = 'found: {
                if plain(&options) {
                    // Unexpired means held: `is_expired` is true without tokens.
                    if !auth.is_expired() {
                        if let Some(held) = auth.auth_result() {
                            break 'found (held, RestoredBy::Memory);
                        }
                    }
                    if let Some(shared) = auth.shared_session().await {
                        break 'found (shared, RestoredBy::Tab);
                    }
                }
                // Read again: the session may have ended meanwhile, here or in another tab. Ended;
                // or pending, but its answer never reached this page: no second redirect, and none
                // until the next login (storing `Ended` over `Ended` changes nothing).
                if guarded || auth.guard().is_some() {
                    end_restores(auth.client());
                    return Ok(None);
                }
                // As `check_session`, with the options borrowed: they are kept for the redirect.
                // The iframe's error ends here, before the redirect's wait: it is not held across
                // it (wasm size).
                let reason = {
                    let error = match auth
                        .silently(Cow::Borrowed(&options), timeout_ms, auth.ending().ends())
                        .await
                    {
                        Ok(result) => break 'found (result, RestoredBy::Iframe),
                        Err(error) => error,
                    };
                    match after_iframe(&error, auth.client().config.silent_fallback) {
                        AfterIframe::NoSession => return Ok(None),
                        AfterIframe::Fail => return Err(error),
                        AfterIframe::Redirect(reason) => reason,
                    }
                };
                // Awaited here, not in a function of its own: one state machine fewer.
                options.prompt = Some("none".into());
                options.response_mode = None;
                let (state, url) = auth.client().begin(&options, app_state).await?;
                auth.restore_redirect(state, url, reason)?;
                // The page leaves: never completes.
                core::future::pending().await
            };
            Ok(Some(Restored {
                result,
                by,
                redirect_reason: None,
            }))
        }
    }

    /// This tab's restore guard of this client in its stored form, if any: the caller reads it
    /// in place ([`Guard::decode`]).
    fn guard(&self) -> Option<String> {
        guards().get(&self.client().config.client_id)
    }

    /// What the page's URL answered (`parsed`): the result of a login, or of the restore
    /// redirect that the `stored` guard is pending for (read in place, [`Guard::decode`]), whose
    /// answer puts the app's path back in the address bar and re-arms (tokens) or ends (anything
    /// else) restore redirects; a "no session" answer there resolves `None`. Continues when the
    /// URL held nothing.
    fn read_return(
        &self,
        stored: Option<&str>,
        parsed: Result<Option<Rc<AuthResult>>, Error>,
    ) -> ControlFlow<Result<Option<Restored>, Error>> {
        let state = match &parsed {
            Ok(Some(result)) => Some(result.state.as_str()),
            Ok(None) => None,
            Err(e) => e.state(),
        };
        // Where the answer came from, and why a redirect was needed: the result is built once.
        let (mut by, mut redirect_reason) = (RestoredBy::Url, None);
        if let Some(Guard::Pending {
            return_path,
            reason,
            ..
        }) = stored.map(Guard::decode).filter(|g| g.answered_by(state))
        {
            location::replace_path(return_path);
            if parsed.is_ok() {
                forget_guard(self.client());
            } else {
                end_restores(self.client());
            }
            (by, redirect_reason) = (RestoredBy::Redirect, Some(reason));
        }
        ControlFlow::Break(match parsed {
            Ok(None) => return ControlFlow::Continue(()),
            Ok(Some(result)) => Ok(Some(Restored {
                result,
                by,
                redirect_reason,
            })),
            // The restore redirect's "no session" is an answer, not a failure.
            Err(e) if redirect_reason.is_some() && is_no_session(e.code()) => Ok(None),
            Err(e) => Err(e),
        })
    }

    /// Sends the page to `url`, the provider's `prompt=none` login for `state`, whose answer comes
    /// back to the redirect URI as a login's does, once the guard is stored (or fails, before
    /// navigating). It takes the URL, so that nothing is kept while the page leaves.
    fn restore_redirect(&self, state: Secret, url: String, reason: Reason) -> Result<(), Error> {
        let (path, query) = (location::pathname()?, location::search()?);
        let guard = Guard::pending(state.expose(), &path, &query, reason);
        guards().put(&self.client().config.client_id, &guard)?;
        location::assign(&url)
    }
}
