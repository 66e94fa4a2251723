//! Many tabs, one session, in memory only: the tabs of one app (same origin, issuer and client)
//! talk over a `BroadcastChannel` ([`crate::core::tabs`] has its name and messages). A new tab
//! asks the others for their tokens before it opens any iframe; a renewal runs in one tab at a
//! time (a Web Lock) and its result reaches every tab; the end of the session in one tab ends it
//! in all. Tokens another tab shares are verified like the provider's own (signature with this
//! client's keys, every claim, `at_hash`), except for the nonce, which only the tab that asked the
//! provider could know; they are held only while unexpired, and never written anywhere.

use alloc::rc::{Rc, Weak};
use alloc::{boxed::Box, string::String, vec::Vec};
use core::cell::{Cell, RefCell};
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll, Waker};

use crate::browser::broadcast::Channel;
use crate::browser::lock::{self, HeldLock};
use crate::browser::timer::sleep;
use crate::browser::{now_ms, window, Promised};
use crate::core::authorize::{AuthorizeOptions, AuthorizeRequest};
use crate::core::config::Config;
use crate::core::error::Error;
use crate::core::secret::Secret;
use crate::core::tabs::{channel_name, SharedTokens, TokensToShare, ASK, ENDED};
use crate::flow::cancel::Call;
use crate::flow::redirect::{AuthResult, RenewWith, Verified};
use crate::flow::session::{Auth, Held, State};
use crate::flow::silent::check_session;
use crate::flow::single_flight::{wait, wake_all};
use crate::flow::spawn;

/// How long a new tab waits for the first answer to its question, in ms: tabs of one browser
/// answer within a few.
const ASK_WAIT_MS: u32 = 100;

/// How long a tab that waited for the renewal lock waits more, in ms, so that the result of the
/// renewal that held it (posted before the lock went) has arrived before it decides whether to
/// renew itself: the browser orders neither against the other.
const AFTER_WAIT_MS: u32 = 50;

/// Called when another tab changed this tab's session: with the tokens taken from it, or with
/// `None` when it ended the session.
pub type OnSessionChange = Rc<dyn Fn(Option<&AuthResult>)>;

/// Waits for what the other tabs send: first for `timer` (when there is one; with
/// `heard_before`, only until a token message is heard after that count), then until no shared
/// tokens are being verified. One plain future for the wait after a question and the wait after
/// the lock, not a wait and a settling awaited one after the other in each (wasm size).
struct Settling<'a> {
    tabs: &'a Tabs,
    /// The time to give the other tabs; `None` once over (or with none to give).
    timer: Option<Promised>,
    heard_before: Option<u32>,
}

impl Future for Settling<'_> {
    type Output = ();

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = self.get_mut();
        let tabs = this.tabs;
        if let Some(timer) = this.timer.as_mut() {
            let heard = this.heard_before.is_some_and(|b| tabs.heard.get() != b);
            if heard || Pin::new(timer).poll(cx).is_ready() {
                this.timer = None;
            }
        }
        if this.timer.is_none() && tabs.verifying.get() == 0 {
            return Poll::Ready(());
        }
        wait(&tabs.changed, cx.waker());
        Poll::Pending
    }
}

/// This tab's end of the channel.
pub(crate) struct Tabs {
    /// The channel's name, and the renewal lock's.
    name: String,
    channel: Channel,
    /// Calls waiting for answers: while one waits, a tab that holds nothing takes tokens.
    asking: Cell<u32>,
    /// Token messages heard so far.
    heard: Cell<u32>,
    /// How many had been heard when the last question went without usable tokens: until another
    /// is heard, asking again would only wait [`ASK_WAIT_MS`] for nothing (a restore asks, then
    /// its iframe renewal would ask again).
    unanswered_at: Cell<Option<u32>>,
    /// Shared tokens being verified.
    verifying: Cell<u32>,
    /// Wakers of the futures that wait for something the channel changes: woken as the
    /// flights' callers are, by the same two functions (wasm size).
    changed: RefCell<Vec<Waker>>,
    /// The app's callback: in a `Cell`, taken out and put back around each look, so that a
    /// callback that sets another is never inside a borrow (and no borrow flag is checked: wasm
    /// size).
    on_change: Cell<Option<OnSessionChange>>,
}

impl core::fmt::Debug for Tabs {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Tabs")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// Ends a question when dropped, answered or not.
struct Asking<'a>(&'a Tabs);

impl Drop for Asking<'_> {
    fn drop(&mut self) {
        self.0.asking.set(self.0.asking.get().saturating_sub(1));
    }
}

impl Tabs {
    /// This tab's end of the channel of `config`'s issuer and client; `None` when the app turned
    /// sharing off, outside a page, or where the browser has no `BroadcastChannel`.
    pub(crate) fn open(config: &Config, state: Weak<State>) -> Option<Tabs> {
        if !config.share_across_tabs || window().is_err() {
            return None;
        }
        let name = channel_name(config.issuer(), &config.client_id);
        let channel = Channel::open(&name, move |text| {
            if let Some(state) = state.upgrade() {
                heard(Auth { state }, &text);
            }
        })?;
        Some(Tabs {
            name,
            channel,
            asking: Cell::new(0),
            heard: Cell::new(0),
            unanswered_at: Cell::new(None),
            verifying: Cell::new(0),
            changed: RefCell::default(),
            on_change: Cell::new(None),
        })
    }

    fn post(&self, text: &str) {
        self.channel.post(text);
    }

    /// Tells the other tabs that the session ended.
    pub(crate) fn post_ended(&self) {
        self.post(ENDED);
    }

    /// Ends the questions in flight (the session ended): tokens that answer them after this are
    /// not taken, as when a logout races a new tab's question.
    pub(crate) fn end_questions(&self) {
        self.asking.set(0);
    }

    /// Sets (or, with `None`, removes) the app's callback for changes made by other tabs.
    pub(crate) fn on_change(&self, callback: Option<OnSessionChange>) {
        self.on_change.set(callback);
    }

    fn tell_app(&self, result: Option<&AuthResult>) {
        let callback = self.on_change.take();
        self.on_change.set(callback.clone());
        if let Some(callback) = callback {
            callback(result);
        }
    }

    /// Waits `ms` (none with 0), then until no shared tokens are being verified.
    fn settled(&self, ms: u32) -> Settling<'_> {
        Settling {
            tabs: self,
            timer: (ms > 0).then(|| sleep(ms)),
            heard_before: None,
        }
    }
}

/// Whether the tokens of a result expire later than now.
fn unexpired(result: &AuthResult) -> bool {
    result.expires_at > now_ms()
}

/// Sends the tokens held to the other tabs, unless expired: after a login or a renewal, or when
/// a tab asks.
pub(crate) fn publish(tabs: &Tabs, held: &Held) {
    let result = &held.result;
    if unexpired(result) {
        let tokens = TokensToShare {
            id_token: result.id_token.expose(),
            access_token: result.access_token.as_ref().map(Secret::expose),
            expires_in: result.expires_in,
            expires_at: result.expires_at as u64,
            scope: &result.scope,
            asked_scope: &held.renew_with.scope,
            audience: held.renew_with.audience.as_deref(),
        };
        tabs.post(&tokens.encode());
    }
}

/// Whether tokens asked for with `renew_with` are what a request for `scope` and `audience` gets.
fn asked_as(renew_with: &RenewWith, scope: &str, audience: Option<&str>) -> bool {
    renew_with.scope == scope && renew_with.audience.as_deref() == audience
}

/// Whether a `checkSession` (or `restoreSession`) with these options may be answered with
/// tokens held or another tab asked for: only scope, audience and response mode may be set.
pub(crate) fn plain(o: &AuthorizeOptions) -> bool {
    o.prompt.is_none()
        && o.login_hint.is_none()
        && o.connection.is_none()
        && o.organization.is_none()
        && o.invitation.is_none()
        && o.ui_locales.is_none()
        && o.acr_values.is_none()
        && o.display.is_none()
        && o.response_type.is_none()
        && o.redirect_uri.is_none()
        && o.max_age.is_none()
        && o.extra_params.is_none()
}

/// A message from another tab: [`ASK`], [`ENDED`] or tokens; anything else is ignored. The
/// messages without tokens are compared whole, with no decoded message to match (wasm size).
/// It takes the session owned, so that a verification's task takes it over without a clone
/// (wasm size).
fn heard(auth: Auth, text: &str) {
    let Some(tabs) = auth.tabs() else {
        return;
    };
    if text == ASK {
        if let Some(held) = auth.state.held.borrow().as_ref() {
            publish(tabs, held);
        }
    } else if text == ENDED {
        let had = auth.state.held.borrow().is_some();
        auth.end_here();
        if had {
            tabs.tell_app(None);
        }
    } else if let Some(tokens) = SharedTokens::decode(text) {
        tabs.heard.set(tabs.heard.get() + 1);
        wake_all(&tabs.changed);
        let asked = tabs.asking.get() > 0;
        let ignored = match auth.state.held.borrow().as_ref() {
            // The tokens held already.
            Some(held) => held.result.id_token == tokens.tokens.id_token,
            // Holding none, this tab takes only an answer to its own question.
            None => !asked,
        };
        if ignored {
            return;
        }
        tabs.verifying.set(tabs.verifying.get() + 1);
        let ends = auth.ending().ends();
        spawn(Box::pin(async move {
            let verified = auth.state.client.verify_shared(tokens).await;
            if let Some(tabs) = auth.tabs() {
                // Tokens verified after the session ended (a logout meanwhile) are not
                // taken. Told by the session's count of ends, not by a call the end cancels:
                // no call and no abort controller for work that fetches nothing of its own,
                // and no count of the tabs' own (wasm size).
                if auth.ending().ends() == ends {
                    if let Ok(verified) = verified {
                        adopt(&auth, verified, asked);
                    }
                }
                tabs.verifying.set(tabs.verifying.get().saturating_sub(1));
                wake_all(&tabs.changed);
            }
        }));
    }
}

/// Holds verified tokens another tab shared, when they are unexpired, asked for as this tab's
/// own, and newer tokens of the same user (or the answer to this tab's question when it holds
/// none); tells the app.
fn adopt(auth: &Auth, verified: Verified, asked: bool) {
    let shared = &verified.result;
    let config = &auth.state.client.config;
    let take = {
        // Read in place: what the tokens held were asked for (the configuration's defaults
        // without tokens), not a copy of it, and whether these are better, in one look at the
        // tokens held (wasm size).
        let held = auth.state.held.borrow();
        let (scope, audience, better) = match held.as_ref() {
            None => (config.scope.as_str(), None, asked),
            Some(h) => (
                h.renew_with.scope.as_str(),
                h.renew_with.audience.as_deref(),
                h.result.subject == shared.subject && shared.expires_at > h.result.expires_at,
            ),
        };
        let fits = unexpired(shared)
            && asked_as(
                &verified.renew_with,
                scope,
                audience.or(config.audience.as_deref()),
            )
            && shared.access_token.is_some() == config.response_type.has_access_token();
        fits && better
    };
    if take {
        let result = auth.hold(verified);
        if let Some(tabs) = auth.tabs() {
            tabs.tell_app(Some(&result));
        }
    }
}

/// The unexpired tokens held, or else those the other tabs hold: asks them, waits up to
/// [`ASK_WAIT_MS`] for a first answer, verifies what came and holds it. `None` when no tab
/// answered with tokens this tab can use (or sharing is off).
pub(crate) async fn shared_session(auth: &Auth) -> Option<Rc<AuthResult>> {
    if let Some(held) = auth.auth_result().filter(|r| unexpired(r)) {
        return Some(held);
    }
    let tabs = auth.tabs()?;
    let before = tabs.heard.get();
    tabs.asking.set(tabs.asking.get() + 1);
    let _asking = Asking(tabs);
    tabs.post(ASK);
    Settling {
        heard_before: Some(before),
        ..tabs.settled(ASK_WAIT_MS)
    }
    .await;
    let shared = auth.auth_result().filter(|r| unexpired(r));
    if shared.is_none() {
        tabs.unanswered_at.set(Some(tabs.heard.get()));
    }
    shared
}

/// Silent renewal for `request`, with the other tabs: a tab that holds no tokens first asks the
/// others (for a `plain` request only: see [`plain`]; and not again while nothing was heard since
/// its last question went unanswered); then the renewal waits for the tabs' lock. When tokens for this request came meanwhile (the answer, or another tab's renewal),
/// they are the answer, without an iframe. Otherwise the iframe runs, and its result goes to
/// every tab before the lock passes on.
///
/// It takes its values owned, so that its future is the flight's work itself (wasm size).
pub(crate) async fn renew(
    auth: Auth,
    call: Call,
    plain: bool,
    request: AuthorizeRequest,
) -> Result<Rc<AuthResult>, Error> {
    let start = auth.auth_result();
    // The tabs' lock, once granted, is held until the renewal ends: the wait puts it here.
    let mut granted: Option<HeldLock> = None;
    // The wait for the other tabs ends with the endpoints (held since the caller looked them
    // up), so that its run under the call has the output type of the endpoints' lookup, compiled
    // already, not one of its own (wasm size).
    let wait = async {
        if let Some(tabs) = auth.tabs() {
            if start.is_none() && plain && tabs.unanswered_at.get() != Some(tabs.heard.get()) {
                shared_session(&auth).await;
            }
            if let Some((held, waited)) = lock::acquire(&tabs.name).await {
                granted = Some(held);
                tabs.settled(if waited { AFTER_WAIT_MS } else { 0 }).await;
            }
        }
        auth.state.client.endpoints().await
    };
    let endpoints = call.run(wait).await?;
    if plain {
        let held = auth.state.held.borrow();
        let came = held.as_ref().filter(|h| {
            let new = start.as_ref().is_none_or(|s| !Rc::ptr_eq(s, &h.result));
            let (scope, audience) = (&request.scope, request.audience.as_deref());
            new && unexpired(&h.result) && asked_as(&h.renew_with, scope, audience)
        });
        if let Some(came) = came {
            return Ok(came.result.clone());
        }
    }
    let signal = call.signal();
    let silent = check_session(&auth.state.client, endpoints, &request, &signal);
    // The result goes to every tab before the lock does.
    auth.accept_renewal(call.run(silent).await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_scope_audience_and_response_mode_keep_a_request_plain() {
        assert!(plain(&AuthorizeOptions::default()));
        assert!(plain(&AuthorizeOptions {
            scope: Some("openid".into()),
            audience: Some("https://api.example/".into()),
            response_mode: Some("fragment".into()),
            ..AuthorizeOptions::default()
        }));
        for options in [
            AuthorizeOptions {
                prompt: Some("none".into()),
                ..AuthorizeOptions::default()
            },
            AuthorizeOptions {
                max_age: Some(0.0),
                ..AuthorizeOptions::default()
            },
            AuthorizeOptions {
                extra_params: Some(alloc::vec![]),
                ..AuthorizeOptions::default()
            },
            AuthorizeOptions {
                acr_values: Some("mfa".into()),
                ..AuthorizeOptions::default()
            },
        ] {
            assert!(!plain(&options), "{options:?}");
        }
    }

    #[test]
    fn tokens_count_only_for_what_they_were_asked_for() {
        let renew_with = RenewWith {
            scope: "openid profile".into(),
            audience: Some("https://api.example/".into()),
        };
        assert!(asked_as(
            &renew_with,
            "openid profile",
            Some("https://api.example/")
        ));
        assert!(!asked_as(
            &renew_with,
            "openid",
            Some("https://api.example/")
        ));
        assert!(!asked_as(&renew_with, "openid profile", None));
    }
}
