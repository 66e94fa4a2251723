//! The session: the tokens held in memory (never in storage), shared silent renewals and
//! callback parses, automatic renewal before expiry, and a `fetch` that sends the access token
//! and renews once on a 401.

use alloc::borrow::{Cow, ToOwned};
use alloc::rc::{Rc, Weak};
use alloc::{boxed::Box, string::String};
use core::cell::RefCell;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

use crate::browser::timer::Timeout;
use wasm_bindgen::JsCast;
use web_sys::{Request, Response};

use crate::browser::json::{call2, member};
use crate::browser::listener::{Wake, WakeListener};
use crate::browser::{failure, fetch, location, now_ms};
use crate::core::authorize::{AuthorizeOptions, AuthorizeRequest};
use crate::core::config::{Config, ConfigOptions};
use crate::core::error::Error;
use crate::core::renewal::{is_permanent, retry_delay_ms, same_user};
use crate::core::response::{fragment_pairs, holds_response, query_error};
use crate::core::text::{concat, decimal};
use crate::flow::cancel::{Call, Cancel};
use crate::flow::redirect::{AuthResult, Client, RenewWith, Verified};
use crate::flow::restore;
use crate::flow::silent::DEFAULT_TIMEOUT_MS;
use crate::flow::single_flight::{Landing, SingleFlight};
use crate::flow::spawn;
use crate::flow::tabs::{self, OnSessionChange, Tabs};

mod prefetch;
use prefetch::KEYS_WAIT_MS;

/// The shortest wait before an automatic renewal, so that a token shorter-lived than the renewal
/// margin cannot make it spin.
const MIN_RENEWAL_DELAY_MS: f64 = 5_000.0;

/// Called with each renewed result.
pub type OnRenewed = Rc<dyn Fn(&AuthResult)>;

/// Called with the error of each failed renewal.
pub type OnRenewFailed = Rc<dyn Fn(&Error)>;

/// Options of automatic renewal.
#[derive(Default, Clone)]
pub struct RenewalOptions {
    /// Renew this many seconds before the access token expires.
    pub seconds_before_expiry: u32,
    /// Called with each renewed result.
    pub on_renewed: Option<OnRenewed>,
    /// Called with the error of each failed renewal.
    pub on_failed: Option<OnRenewFailed>,
}

impl core::fmt::Debug for RenewalOptions {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("RenewalOptions")
            .field("seconds_before_expiry", &self.seconds_before_expiry)
            .finish_non_exhaustive()
    }
}

#[derive(Debug)]
struct Renewal {
    /// Shared with a renewal under way, which keeps its callbacks across its wait (one `Rc`
    /// instead of two callbacks cloned: wasm size).
    options: Rc<RenewalOptions>,
    /// Failures in a row; each lengthens the wait before the next try.
    failures: u32,
    /// When the next renewal is due, in ms since the epoch.
    due_at: Option<f64>,
    /// Whether a renewal is under way, so that a timer and a wake-up do not start two: checked
    /// in one place, [`Auth::renew`], so a timer that fires meanwhile does nothing.
    renewing: bool,
    /// The next renewal's timer; the renewal under way sets it again when it ends.
    timer: Option<Timeout>,
    /// Looks again when the page comes back (timers of background tabs and sleeping devices
    /// run late); `None` outside a page.
    _wake: Option<WakeListener>,
}

/// The key under which the parse of the response taken from the address bar is found again, by a
/// second `parse_hash` that finds the address bar already clean while that parse is in flight
/// (React's StrictMode runs effects twice): no response is empty, so no other parse has it. The
/// flights hold it, not a slot of its own that the session's end clears too (wasm size).
const PAGE: &str = "";

/// What a silent renewal or a callback parse ends with, shared by the calls of its flight.
type Outcome = Result<Rc<AuthResult>, Error>;

/// The tokens held, and what they were asked for.
#[derive(Debug)]
pub(crate) struct Held {
    pub(crate) result: Rc<AuthResult>,
    pub(crate) renew_with: RenewWith,
}

#[derive(Debug)]
pub(crate) struct State {
    pub(crate) client: Client,
    pub(crate) held: RefCell<Option<Held>>,
    silent_flights: SingleFlight<Outcome>,
    /// The parses by response; the one of the response taken from the address bar is there a
    /// second time under [`PAGE`].
    parse_flights: SingleFlight<Outcome>,
    /// Ends the calls in flight when the session ends.
    ending: Cancel,
    renewal: RefCell<Option<Renewal>>,
    /// This tab's end of the channel to the app's other tabs; `None` when sharing is off.
    tabs: Option<Tabs>,
}

/// A client of one OpenID Provider and the session it keeps: log in by redirect, renew silently,
/// call APIs with the access token, log out. Cloning it is cheap and shares the session.
#[derive(Debug, Clone)]
pub struct Auth {
    pub(crate) state: Rc<State>,
}

/// What [`Auth::parse_hash`] answers: `None` (no response) known at once, or the flight verifying
/// the response, which has landed already for a failure known at once. A plain future, not an
/// async block that only waits; and one kind of waiting for every answer, with no ready value
/// of its own to move out (wasm size).
pub(crate) struct Parsing(Option<Landing<Outcome>>);

impl Future for Parsing {
    type Output = Result<Option<Rc<AuthResult>>, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        match &mut self.get_mut().0 {
            None => Poll::Ready(Ok(None)),
            Some(flight) => Pin::new(flight).poll(cx).map(|r| r.map(Some)),
        }
    }
}

impl Auth {
    /// Checks the options; fails with `invalid_configuration` (or `invalid_scope`). The
    /// provider's endpoints and keys are fetched from here on, in the background.
    pub fn new(options: &ConfigOptions) -> Result<Auth, Error> {
        let client = Client::new(Config::new(options)?);
        let auth = Auth {
            state: Rc::new_cyclic(|state| State {
                tabs: Tabs::open(&client.config, state.clone()),
                client,
                held: RefCell::default(),
                silent_flights: SingleFlight::default(),
                parse_flights: SingleFlight::default(),
                ending: Cancel::default(),
                renewal: RefCell::default(),
            }),
        };
        auth.prefetch();
        Ok(auth)
    }

    /// The provider's authorize URL; its transaction (state, nonce, `app_state`) is stored in
    /// `sessionStorage` for the callback, or the call fails with `storage_unavailable`. A login
    /// lets [`Auth::restore_session`] redirect again (its guard is removed).
    pub async fn build_authorize_url(
        &self,
        options: &AuthorizeOptions,
        app_state: Option<String>,
    ) -> Result<String, Error> {
        self.login(options.clone(), app_state, false).await
    }

    /// Sends the page to the provider's login, once its transaction is stored and, for at most
    /// a second, once the provider's keys are (for the callback page).
    pub async fn authorize(
        &self,
        options: &AuthorizeOptions,
        app_state: Option<String>,
    ) -> Result<(), Error> {
        self.login(options.clone(), app_state, true).await.map(drop)
    }

    /// The login's URL, as [`Auth::build_authorize_url`] makes it; with `navigate`, the page is
    /// then sent there as [`Auth::authorize`] does, once the provider's keys are here (joining a
    /// fetch in flight) or a second has passed, for the callback page. Both in one async body,
    /// the façade's one call for either: no async step nested in another. It takes its options
    /// owned and returns a `'static` future, which the façade converts as it is, with no async
    /// block of its own to own the options (wasm size).
    pub(crate) fn login(
        &self,
        options: AuthorizeOptions,
        app_state: Option<String>,
        navigate: bool,
    ) -> impl Future<Output = Result<String, Error>> + 'static {
        let auth = self.clone();
        async move {
            let client = &auth.state.client;
            let (_, url) = client.begin(&options, app_state).await?;
            restore::forget_guard(client);
            if navigate {
                let call = Call::within(auth.ending(), KEYS_WAIT_MS);
                let _ = call.run(client.prefetch()).await;
                location::assign(&url)?;
            }
            Ok(url)
        }
    }

    /// Reads and verifies an authorization response: `hash`, or the page's own (its fragment, or
    /// an error in its query whose state names a pending login); `None` when there is none. The
    /// whole call, a code exchange included, has `timeout_ms` (default 60 s) from now.
    ///
    /// The page's response is taken from the address bar when this is called, before anything is
    /// awaited, so that the tokens leave it (and the history entry) at once; should the browser
    /// refuse to change the address, the response is verified all the same. Calls made while the
    /// same response (as written: `#` and all) is being verified share the outcome (and the first
    /// call's timeout).
    pub fn parse_hash(
        &self,
        hash: Option<&str>,
        timeout_ms: Option<u32>,
    ) -> impl Future<Output = Result<Option<Rc<AuthResult>>, Error>> + 'static {
        self.parse(hash.map(str::to_owned), timeout_ms)
    }

    /// [`Auth::parse_hash`] with the given response owned: the façade's, which read it into a
    /// `String` of its own, and the restore's (wasm size: no second copy).
    pub(crate) fn parse(&self, hash: Option<String>, timeout_ms: Option<u32>) -> Parsing {
        let (response, from_page) = match hash {
            Some(hash) => (hash, false),
            None => match self.take_page_response() {
                Ok(Some(response)) => (response, true),
                Ok(None) => return self.page_parse(),
                Err(e) => return Parsing(Some(Landing::landed(Err(e)))),
            },
        };
        // What is no authorization response is answered at once, outside any flight: the
        // flights share verified results only (one outcome type with checkSession's). Prefixes
        // as texts, not `char`s, here and below: the package then needs one prefix matcher, the
        // one storage keys use (wasm size).
        let fragment = response.strip_prefix("#").unwrap_or(&response);
        if !holds_response(fragment) {
            return Parsing(None);
        }
        let pairs = fragment_pairs(fragment);
        // The call is made as the work first runs (on the next microtask), ended by any end of
        // the session since now, as in [`Auth::silently`]: none carried into the work (wasm
        // size).
        let (parse, since) = (self.clone(), self.ending().ends());
        let work = async move {
            let timeout_ms = timeout_ms.unwrap_or(DEFAULT_TIMEOUT_MS);
            let call = Call::since(parse.ending(), since, timeout_ms);
            let pairs = pairs?;
            let client = &parse.state.client;
            let verified = call
                .run(client.parse_response(pairs, &call.signal()))
                .await?;
            Ok(parse.keep(verified, true))
        };
        let flights = &self.state.parse_flights;
        let flight = flights.run(response, Box::pin(work));
        if from_page {
            flights.also(PAGE, &flight);
        }
        Parsing(Some(flight))
    }

    /// The page's authorization response, removed from the address bar (its parse is kept while
    /// in flight: see [`Auth::page_parse`]).
    fn take_page_response(&self) -> Result<Option<String>, Error> {
        let hash = location::hash()?;
        let search = location::search()?;
        let query = search.strip_prefix("?").unwrap_or(&search);
        // A fragment is taken as the page holds it, `#` included: no copy of it (wasm size).
        let fragment = hash.strip_prefix("#").unwrap_or(&hash);
        if holds_response(fragment) {
            location::replace(query, "");
            return Ok(Some(hash));
        }
        match query_error(query) {
            Some(found) if self.state.client.pending(&found.state).is_some() => {
                location::replace(&found.rest, fragment);
                Ok(Some(found.response))
            }
            _ => Ok(None),
        }
    }

    /// With the address bar already clean, the parse of the response taken from it while that
    /// parse is in flight (React's StrictMode runs effects twice); `None` once it has landed.
    fn page_parse(&self) -> Parsing {
        Parsing(self.state.parse_flights.join(PAGE))
    }

    /// Silent authentication with `prompt=none` in a hidden iframe, for the user of the tokens
    /// held (their ID token goes as `id_token_hint`); an answer for another user fails with
    /// `session_user_changed` and the tokens are forgotten. `timeout_ms` bounds the whole call
    /// from now on, discovery and key fetches included, and a session ended meanwhile ends it. A
    /// call made while one with the same options and timeout is in flight shares its outcome
    /// instead of opening a second iframe.
    pub fn check_session(
        &self,
        options: &AuthorizeOptions,
        timeout_ms: Option<u32>,
    ) -> impl Future<Output = Result<Rc<AuthResult>, Error>> + 'static {
        self.renew_silently(options.clone(), timeout_ms)
    }

    /// [`Auth::check_session`] with its options owned, for callers that build them afresh: the
    /// façade and the session's own renewals (one copy less). [`Auth::silently`] holds them,
    /// with no async block of this function's own around it (wasm size). Boxed here, once for
    /// its three callers (the façade's Promise, automatic renewal's task, `fetch`), which then
    /// hold a pointer instead of the renewal's whole state (wasm size).
    pub(crate) fn renew_silently(
        &self,
        options: AuthorizeOptions,
        timeout_ms: Option<u32>,
    ) -> Pin<Box<impl Future<Output = Result<Rc<AuthResult>, Error>> + 'static>> {
        let since = self.ending().ends();
        Box::pin(self.silently(Cow::Owned(options), timeout_ms, since))
    }

    /// The silent renewal of [`Auth::renew_silently`], with its options owned or borrowed:
    /// [`Auth::restore_session`] lends its own, kept for the redirect that may follow, without a
    /// copy (wasm size: no `AuthorizeOptions::clone` in the package). Its call is made here, one
    /// place for both, as it first runs: its timeout starts then (its callers poll it at once,
    /// or on the next microtask), and an end of the session since it was asked for (the
    /// session's count of ends was `since`) ends it, as one made when asked for would be.
    pub(crate) fn silently<'a>(
        &self,
        options: Cow<'a, AuthorizeOptions>,
        timeout_ms: Option<u32>,
        since: u32,
    ) -> impl Future<Output = Result<Rc<AuthResult>, Error>> + 'a {
        let auth = self.clone();
        async move {
            let timeout_ms = timeout_ms.unwrap_or(DEFAULT_TIMEOUT_MS);
            let call = Call::since(auth.ending(), since, timeout_ms);
            let client = &auth.state.client;
            let endpoints = call.run(client.endpoints()).await?;
            let request = {
                let held = auth.auth_result();
                let hint = held.as_ref().map(|held| &held.id_token);
                AuthorizeRequest::silent(&client.config, &options, endpoints.web_message, hint)?
            };
            // The request's key and the timeout.
            let key = concat(&[request.key(), "&timeout=", &decimal(timeout_ms.into())]);
            let plain = tabs::plain(&options);
            let work = tabs::renew(auth.clone(), call, plain, request);
            auth.state.silent_flights.run(key, Box::pin(work)).await
        }
    }

    /// The provider's logout URL.
    pub async fn build_logout_url(&self, return_to: Option<&str>) -> Result<String, Error> {
        let hint = self.logout_hint(false);
        let hint = hint.as_ref().map(|held| &held.id_token);
        self.client().logout_url(return_to, hint).await
    }

    /// Ends the session at once, here and in the app's other tabs (as [`Auth::clear_session`]),
    /// whatever follows; then sends the page to the provider's logout, or fails when its URL
    /// cannot be built.
    pub fn logout(
        &self,
        return_to: Option<&str>,
    ) -> impl Future<Output = Result<(), Error>> + 'static {
        let hint = self.logout_hint(true);
        let (auth, return_to) = (self.clone(), return_to.map(str::to_owned));
        async move {
            let hint = hint.as_ref().map(|held| &held.id_token);
            let url = auth.client().logout_url(return_to.as_deref(), hint);
            location::assign(&url.await?)
        }
    }

    /// The session's tokens, whose ID token is the hint of a logout URL built with
    /// [`Client::logout_url`]; with `end`, the session ends here (as [`Auth::logout`] does),
    /// before the caller awaits anything. The caller awaits the client's future itself: no async
    /// wrapper around it (wasm size). The tokens' `Rc` is kept, not a copy of the ID token (wasm
    /// size).
    pub(crate) fn logout_hint(&self, end: bool) -> Option<Rc<AuthResult>> {
        let held = self.auth_result();
        if end {
            self.clear_session();
        }
        held
    }

    /// Ends the session without the provider, here and in the app's other tabs: forgets the
    /// tokens, stops automatic renewal, and ends the calls in flight, which fail with
    /// `session_cleared`. Until the next login, [`Auth::restore_session`] restores nothing.
    pub fn clear_session(&self) {
        if let Some(tabs) = self.tabs() {
            tabs.post_ended();
        }
        self.end_here();
    }

    /// Ends the session in this tab only (this tab's call, or another tab ended it).
    pub(crate) fn end_here(&self) {
        restore::end_restores(&self.state.client);
        if let Some(tabs) = self.tabs() {
            tabs.end_questions();
        }
        self.state.held.borrow_mut().take();
        self.stop_auto_renew();
        self.state.ending.cancel();
        self.state.silent_flights.clear();
        self.state.parse_flights.clear();
    }

    /// The tokens held.
    pub fn auth_result(&self) -> Option<Rc<AuthResult>> {
        self.state.held.borrow().as_ref().map(|h| h.result.clone())
    }

    /// Whether there are no tokens, or they expire within the leeway.
    pub fn is_expired(&self) -> bool {
        let leeway_ms = f64::from(self.state.client.config.leeway) * 1000.0;
        // Read where the tokens are held, without a copy of their `Rc` (wasm size).
        let held = self.state.held.borrow();
        held.as_ref()
            .is_none_or(|h| now_ms() + leeway_ms >= h.result.expires_at)
    }

    /// The protocol engine, for the flows built on the session.
    pub(crate) fn client(&self) -> &Client {
        &self.state.client
    }

    /// The session's ends, for the calls made under it.
    pub(crate) fn ending(&self) -> &Cancel {
        &self.state.ending
    }

    pub(crate) fn tabs(&self) -> Option<&Tabs> {
        self.state.tabs.as_ref()
    }

    /// The unexpired tokens held, or else those another tab of this app holds (issuer and client
    /// alike): asks the other tabs, waits briefly (100 ms) for an answer, verifies it and holds
    /// it. `None` when no tab answered with usable tokens, or `shareAcrossTabs` is off. Never
    /// opens an iframe.
    pub fn shared_session(&self) -> impl Future<Output = Option<Rc<AuthResult>>> + '_ {
        tabs::shared_session(self)
    }

    /// Calls `callback` when another tab changes this tab's session: with the tokens taken from
    /// it (a login or renewal there), or with `None` when it ended the session (`logout`,
    /// `clearSession`). `None` removes the callback.
    pub fn on_session_change(&self, callback: Option<OnSessionChange>) {
        if let Some(tabs) = self.tabs() {
            tabs.on_change(callback);
        }
    }

    /// Renews silently what the tokens held were asked for: automatic renewal's and `fetch`'s
    /// one call site (wasm size).
    fn renew_held(
        &self,
    ) -> Pin<Box<impl Future<Output = Result<Rc<AuthResult>, Error>> + 'static>> {
        self.renew_silently(self.renew_with(), None)
    }

    /// What the tokens held were asked for (the configuration's defaults without tokens).
    fn renew_with(&self) -> AuthorizeOptions {
        // One value built, its two members set when tokens are held (wasm size).
        let mut options = AuthorizeOptions::default();
        if let Some(held) = self.state.held.borrow().as_ref() {
            options.scope = Some(held.renew_with.scope.clone());
            options.audience = held.renew_with.audience.clone();
        }
        options
    }

    /// Holds a result (replacing the old one) and reschedules automatic renewal.
    pub(crate) fn hold(&self, verified: Verified) -> Rc<AuthResult> {
        self.keep(verified, false)
    }

    /// [`Auth::hold`], and with `publish` the tokens sent to the other tabs from where they are
    /// held, as they are stored (one borrow): a new result of this tab's own.
    fn keep(&self, verified: Verified, publish: bool) -> Rc<AuthResult> {
        let result = Rc::new(verified.result);
        {
            let mut held = self.state.held.borrow_mut();
            let held = held.insert(Held {
                result: result.clone(),
                renew_with: verified.renew_with,
            });
            if let Some(tabs) = self.tabs().filter(|_| publish) {
                tabs::publish(tabs, held);
            }
        }
        if let Some(renewal) = self.state.renewal.borrow_mut().as_mut() {
            renewal.failures = 0;
            self.schedule(renewal);
        }
        result
    }

    /// Holds a silent result, unless it is another user's: then the session ends instead.
    pub(crate) fn accept_renewal(&self, verified: Verified) -> Result<Rc<AuthResult>, Error> {
        if let Some(held) = self.auth_result() {
            if let Err(changed) = same_user(&held.subject, &verified.result.subject) {
                self.clear_session();
                return Err(changed);
            }
        }
        Ok(self.keep(verified, true))
    }

    /// Renews with [`Auth::check_session`] before the tokens expire, asking for the scope and
    /// audience they were obtained with, replacing any earlier options. A failure that may pass is
    /// tried again after 30 s, 60 s, … (at most 10 minutes); one that cannot (a configuration
    /// error, an answer that needs the user) stops it, as does [`Auth::stop_auto_renew`]. When
    /// the page becomes visible or the network comes back, a renewal that fell due meanwhile runs
    /// at once.
    pub fn start_auto_renew(&self, options: RenewalOptions) {
        let weak: Weak<State> = Rc::downgrade(&self.state);
        let wake = WakeListener::new(move |wake| {
            if let Some(state) = weak.upgrade() {
                Auth { state }.wake(wake);
            }
        });
        let mut renewal = Renewal {
            options: Rc::new(options),
            failures: 0,
            due_at: None,
            renewing: false,
            timer: None,
            _wake: wake,
        };
        self.schedule(&mut renewal);
        *self.state.renewal.borrow_mut() = Some(renewal);
    }

    /// Stops automatic renewal.
    pub fn stop_auto_renew(&self) {
        self.state.renewal.borrow_mut().take();
    }

    /// Sets `renewal`'s timer: for the next try after failures, otherwise before the tokens
    /// held expire. Its callers hold the renewal borrowed already: one borrow each (wasm size).
    fn schedule(&self, renewal: &mut Renewal) {
        let expires_at = self.auth_result().map(|t| t.expires_at);
        if renewal.failures == 0 {
            let margin_ms = f64::from(renewal.options.seconds_before_expiry) * 1000.0;
            renewal.due_at = expires_at.map(|at| at - margin_ms);
        }
        renewal.timer = renewal.due_at.map(|due| {
            let weak: Weak<State> = Rc::downgrade(&self.state);
            let delay = (due - now_ms()).clamp(MIN_RENEWAL_DELAY_MS, f64::from(i32::MAX)) as u32;
            Timeout::new(delay, move || {
                if let Some(state) = weak.upgrade() {
                    Auth { state }.renew();
                }
            })
        });
    }

    /// The page came back: renew now when due (or, back online, when the last try failed);
    /// otherwise set the timer again, since the one running may have been held back.
    /// It takes the session owned, as [`Auth::renew`] does: no clone of it (wasm size).
    fn wake(self, wake: Wake) {
        {
            let mut renewal = self.state.renewal.borrow_mut();
            // A renewal under way is left to [`Auth::renew`], which starts none while one runs.
            let Some(r) = renewal.as_mut() else {
                return;
            };
            let due_now = (wake == Wake::Online && r.failures > 0)
                || r.due_at.is_some_and(|due| due <= now_ms());
            if !due_now {
                self.schedule(r);
                return;
            }
        }
        self.renew();
    }

    /// Renews now, as a task of its own: one place spawns it for the timer and the wake-up. The
    /// renewal is marked and started at once; the task only waits for it ([`Renewing`]).
    fn renew(self) {
        let options = {
            let mut renewal = self.state.renewal.borrow_mut();
            let Some(renewal) = renewal.as_mut().filter(|r| !r.renewing) else {
                return;
            };
            renewal.renewing = true;
            renewal.options.clone()
        };
        spawn(Box::pin(Renewing {
            renewing: self.renew_held(),
            auth: self,
            options,
        }));
    }

    /// What an automatic renewal's `outcome` does: the next try, and which callback hears of it.
    fn renewed(&self, outcome: Result<Rc<AuthResult>, Error>, options: &RenewalOptions) {
        // One look at the renewal after the wait, and one borrow of it: gone when it was stopped
        // meanwhile. A failure that may pass lengthens the wait before the next try; one that
        // cannot stops automatic renewal.
        let active = {
            let mut slot = self.state.renewal.borrow_mut();
            match (slot.as_mut(), &outcome) {
                (None, _) => false,
                (Some(_), Err(error)) if is_permanent(error) => {
                    *slot = None;
                    true
                }
                (Some(renewal), _) => {
                    renewal.renewing = false;
                    if outcome.is_err() {
                        renewal.failures += 1;
                        renewal.due_at = Some(now_ms() + retry_delay_ms(renewal.failures));
                        self.schedule(renewal);
                    }
                    true
                }
            }
        };
        match outcome {
            Ok(result) => {
                if let Some(on_renewed) = options.on_renewed.as_ref().filter(|_| active) {
                    on_renewed(&result);
                }
            }
            Err(error) => {
                // A changed user ended the session, and with it this renewal: say why.
                if active || matches!(error, Error::SessionUserChanged) {
                    if let Some(on_failed) = &options.on_failed {
                        on_failed(&error);
                    }
                }
            }
        }
    }

    /// The `Authorization` header's value for the access token held.
    fn bearer(&self) -> Result<String, Error> {
        let held = self.auth_result();
        let Some(token) = held.as_ref().and_then(|t| t.access_token.as_ref()) else {
            return Err(Error::InvalidRequest(
                "no access token (responseType id_token)".into(),
            ));
        };
        Ok(concat(&["Bearer ", token.expose()]))
    }

    /// Sends `request` with `Authorization: Bearer` and the access token; on a 401 it renews
    /// once and retries once. `request` itself is the first attempt, as the browser's
    /// `fetch(request)` sends it (taken, since its body is read and its headers changed): only
    /// the retry needs a copy.
    ///
    /// It returns a `'static` future, which the façade converts as it is, with no async block of
    /// its own (wasm size).
    pub fn fetch(
        &self,
        request: Request,
    ) -> impl Future<Output = Result<Response, Error>> + 'static {
        let auth = self.clone();
        async move {
            // The retry's copy is made before `request` is sent, which may consume the body:
            // the retry sends the same body. One loop, so that each await point is compiled once
            // (wasm size).
            let retry = request.clone().map_err(failure("Request.clone"))?;
            let mut renew = false;
            loop {
                // The token held, or a renewed one when it is missing, expired or refused.
                if renew || auth.is_expired() {
                    auth.renew_held().await?;
                }
                let attempt = if renew { &retry } else { &request };
                // `Headers.set` through `json::call2`: no bindings of its own (wasm size). It
                // throws on a token with a character no header may hold.
                let bearer = auth.bearer()?.into();
                let headers = member(attempt, "headers");
                call2(&headers, "set", &"Authorization".into(), &bearer)
                    .map_err(failure("Headers.set"))?;
                let response: Response = fetch::send(attempt).await?.unchecked_into();
                if renew || response.status() != 401 {
                    return Ok(response);
                }
                renew = true;
            }
        }
    }
}

/// An automatic renewal under way, run as its own task: the silent renewal, then
/// [`Auth::renewed`]. A plain future, not an async block (wasm size).
struct Renewing<F> {
    renewing: Pin<Box<F>>,
    auth: Auth,
    /// The callbacks of the renewal that started it, kept across the wait.
    options: Rc<RenewalOptions>,
}

impl<F: Future<Output = Result<Rc<AuthResult>, Error>>> Future for Renewing<F> {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let Poll::Ready(outcome) = self.renewing.as_mut().poll(cx) else {
            return Poll::Pending;
        };
        self.auth.renewed(outcome, &self.options);
        Poll::Ready(())
    }
}
