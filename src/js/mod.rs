//! The JavaScript façade, the crate's only `#[wasm_bindgen]` export: `WebAuth` reads its options
//! into the Rust API's types, calls [`Auth`], and turns results and errors into JavaScript values
//! and Promises. It holds no protocol logic.

mod options;

use alloc::boxed::Box;
use alloc::rc::Rc;
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};

use js_sys::{Function, Object, Promise};
use wasm_bindgen::prelude::*;
use web_sys::Request;

use crate::browser::json::{member, parse_json, set};
use crate::browser::{deferred, failure, location};
use crate::core::error::Error;
use crate::core::text::concat;
use crate::flow::redirect::AuthResult;
use crate::flow::restore::Restored;
use crate::flow::session::{Auth, OnRenewFailed, OnRenewed, RenewalOptions};
use crate::flow::spawn;
use crate::flow::tabs::OnSessionChange;
use options::{configured_auth, Options, MAX_TIMEOUT_MS};

// The interfaces, and the types of the class's methods: wasm-bindgen writes the class with its
// constructor, `free` and `[Symbol.dispose]`, and `scripts/webauth-methods.mjs` its methods (see
// `WebAuth::call`), whose types are the `WebAuth` interface at the end, which TypeScript merges
// with the class. One section, as wasm-bindgen writes its sections in an order of its own, and the
// `reference` must come first: the generated class declares `[Symbol.dispose]`, so the types
// reference that lib for apps whose `lib` stops at ES2022.
#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"/// <reference lib="esnext.disposable" />
/** Options of `new WebAuth(…)`. Give `domain` (Auth0 conventions) or `issuer` (OIDC discovery). */
export interface WebAuthOptions {
  /** An Auth0 tenant, e.g. `tenant.auth0.com`: `https://{domain}/authorize`, `/.well-known/jwks.json`, `/v2/logout`. */
  domain?: string;
  /** An OpenID Provider's issuer URL; endpoints come from its discovery document. */
  issuer?: string;
  clientId: string;
  /** Where the provider sends the user back (https, or http on localhost). */
  redirectUri: string;
  /**
   * Default `'code'`: the authorization code with PKCE (S256), exchanged at the token endpoint.
   * `'id_token token'` and `'id_token'` are the implicit flow.
   */
  responseType?: 'code' | 'id_token token' | 'id_token';
  /** Default `'openid profile email'`; `openid` is always added, `offline_access` is refused. */
  scope?: string;
  /** The API the access token is for. */
  audience?: string;
  /** Seconds of clock skew tolerated, 0 to 300 (default 60). */
  leeway?: number;
  /** Default `max_age` in seconds; the ID token's `auth_time` is checked against it. */
  maxAge?: number;
  /** The app's page relaying the answer of silent authentication, for providers without `web_message`. */
  silentRedirectUri?: string;
  /** ID-token signature algorithms accepted (default `['RS256']`). */
  algorithms?: Array<'RS256' | 'ES256' | 'PS256'>;
  /**
   * What `restoreSession` does when the hidden iframe cannot work (third-party cookies blocked,
   * framing refused, a cross-origin isolated page): `'redirect'` (default), one top-level
   * `prompt=none` redirect; `'none'`, the typed error.
   */
  silentFallback?: 'redirect' | 'none';
  /**
   * Default `true`: the app's tabs (same origin, issuer and client) share one session in memory
   * over a BroadcastChannel: a new tab asks the others before opening an iframe, one renewal at
   * a time (Web Locks) reaches every tab, and logout or clearSession in one tab ends it in all.
   */
  shareAcrossTabs?: boolean;
}

/** Per-call options of `authorize`, `buildAuthorizeUrl` and `checkSession`. */
export interface AuthorizeOptions {
  scope?: string;
  audience?: string;
  prompt?: 'none' | 'login' | 'consent' | 'select_account' | 'create' | string;
  maxAge?: number;
  loginHint?: string;
  connection?: string;
  organization?: string;
  invitation?: string;
  uiLocales?: string;
  acrValues?: string;
  display?: 'page' | 'popup' | 'touch' | 'wap';
  responseType?: 'code' | 'id_token token' | 'id_token';
  responseMode?: 'fragment' | 'web_message';
  redirectUri?: string;
  /** Any JSON value, returned as `AuthResult.appState`. */
  appState?: unknown;
  /** Further parameters for the provider; they may not replace the ones above. */
  extraParams?: Record<string, string>;
}

/** Options of `checkSession`. */
export interface CheckSessionOptions extends AuthorizeOptions {
  /** Milliseconds the whole call may take: discovery, the answer, the code exchange and key fetches (default 60000). */
  timeout?: number;
}

/** Options of `restoreSession`: those of `checkSession`, and `appState` for the way back from its redirect. */
export type RestoreSessionOptions = CheckSessionOptions;

/** Why silent authentication cannot succeed (`AuthError.reason`), or why `restoreSession` redirected. */
export type SilentFailureReason =
  | 'session_ended'
  | 'third_party_cookies_blocked'
  | 'frame_refused'
  | 'cross_origin_isolated'
  | 'interaction_required';

/** A verified authentication result. */
export interface AuthResult {
  accessToken?: string;
  idToken: string;
  idTokenPayload: Record<string, unknown>;
  tokenType?: string;
  expiresIn?: number;
  /** When the access token (or, without one, the ID token) expires, in ms since the epoch. */
  expiresAt?: number;
  scope?: string;
  state: string;
  appState?: unknown;
  /** How `restoreSession` found it (absent from the other calls' results). */
  restoredBy?: 'url' | 'memory' | 'tab' | 'iframe' | 'redirect';
  /** Why `restoreSession` went through a top-level redirect, when it did. */
  redirectReason?: SilentFailureReason;
}

/** Options of `parseHash`. */
export interface ParseHashOptions {
  /** The fragment to read instead of the page's own. */
  hash?: string;
  /** Milliseconds the whole call may take, with `code` the token request included (default 60000). */
  timeout?: number;
}

/** Every rejection is an `Error` with an OAuth-style code. */
export interface AuthError extends Error {
  /** `login_required`, `consent_required`, `timeout`, `invalid_state`, `session_user_changed`, `id_token_…`, … */
  error: string;
  errorDescription: string;
  state?: string;
  /** Why silent authentication cannot succeed, when that is known. */
  reason?: SilentFailureReason;
}

export interface LogoutOptions {
  /** Where the provider sends the user after logout. */
  returnTo?: string;
}

export interface AutoRenewOptions {
  /** Renew this many seconds before the access token expires (default 60). */
  secondsBeforeExpiry?: number;
  onRenewed?: (result: AuthResult) => void;
  onRenewFailed?: (error: AuthError) => void;
}

export interface WebAuth {
    /**
     * Sends the page to the provider's login.
     */
    authorize(options?: AuthorizeOptions): Promise<void>;
    /**
     * The authorize URL; its transaction is stored as by `authorize`.
     */
    buildAuthorizeUrl(options?: AuthorizeOptions): Promise<string>;
    /**
     * The provider's logout URL.
     */
    buildLogoutUrl(options?: LogoutOptions): Promise<string>;
    /**
     * Silent authentication with `prompt=none` in a hidden iframe.
     */
    checkSession(options?: CheckSessionOptions): Promise<AuthResult>;
    /**
     * Ends the session without the provider, in this tab and the app's other tabs: forgets the
     * tokens, stops renewal, and ends the calls in flight (they reject with `session_cleared`).
     */
    clearSession(): void;
    /**
     * `fetch` with `Authorization: Bearer`; on a 401 it renews once and retries once.
     */
    fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
    /**
     * True when no tokens are held or they expire within the leeway.
     */
    isExpired(): boolean;
    /**
     * Forgets the tokens, stops renewal and ends the calls in flight, in every tab of the app;
     * then sends the page to the provider's logout (rejecting, with the session already ended,
     * when that is impossible).
     */
    logout(options?: LogoutOptions): Promise<void>;
    /**
     * Calls `callback` when another tab changes this tab's session: with the `AuthResult` taken
     * from it, or `null` when it ended the session; `null` removes the callback.
     */
    onSessionChange(callback: ((result: AuthResult | null) => void) | null): void;
    /**
     * Reads and verifies the callback (the page's fragment, or an error in its query for a
     * pending login); `null` when the URL holds no auth response. The response leaves the
     * address bar before this returns.
     */
    parseHash(options?: ParseHashOptions): Promise<AuthResult | null>;
    /**
     * At page load: the session from the URL's authorization response, the tokens held, the
     * hidden iframe, or one guarded top-level `prompt=none` redirect; `null` when there is none.
     */
    restoreSession(options?: RestoreSessionOptions): Promise<AuthResult | null>;
    /**
     * Renews with `checkSession` before expiry, with the session's own scope and audience; backs
     * off after failures that may pass, stops on those that cannot (and on `stopAutoRenew`).
     */
    startAutoRenew(options?: AutoRenewOptions): void;
    /**
     * Stops automatic renewal.
     */
    stopAutoRenew(): void;
    /**
     * The tokens held in memory.
     */
    readonly authResult: AuthResult | undefined;
}
"#;

/// Sets the member `name` of `target` to a value made for it, dropped here: one drop for every
/// member set, not one where each is set (wasm size).
#[inline(never)]
fn put(target: &JsValue, name: &str, value: JsValue) {
    set(target, name, &value);
}

/// Sets the string member `name` of `target` (one conversion for every string member: wasm size).
fn set_str(target: &JsValue, name: &str, value: &str) {
    put(target, name, value.into());
}

/// An [`Error`] as a JS `Error` named `AuthError`, with `error`, `errorDescription` and `state`.
fn error_to_js(e: &Error) -> JsValue {
    let (code, description) = (e.code(), e.description());
    let error = js_sys::Error::new(&concat(&[code, ": ", &description]));
    // Set like the other members: one import fewer than `set_name` (wasm size).
    set_str(&error, "name", "AuthError");
    set_str(&error, "error", code);
    set_str(&error, "errorDescription", &description);
    if let Some(state) = e.state() {
        set_str(&error, "state", state);
    }
    if let Some(reason) = e.reason() {
        set_str(&error, "reason", reason.as_str());
    }
    error.into()
}

/// An [`AuthResult`] as the JS `AuthResult` object, its members set one by one in a fixed order
/// (a list of optional members and a loop over it cost more: wasm size).
fn result_to_js(r: &AuthResult) -> JsValue {
    let object = Object::new().into();
    if let Some(token) = &r.access_token {
        set_str(&object, "accessToken", token.expose());
    }
    set_str(&object, "idToken", r.id_token.expose());
    // An object, as the verification checked: read by the browser layer's reader of JSON
    // objects, no parse and result of its own here (wasm size).
    if let Some(payload) = parse_json(r.id_token_payload.expose()) {
        put(&object, "idTokenPayload", payload);
    }
    if r.access_token.is_some() {
        set_str(&object, "tokenType", "Bearer");
    }
    if let Some(seconds) = r.expires_in {
        put(&object, "expiresIn", (seconds as f64).into());
    }
    put(&object, "expiresAt", r.expires_at.into());
    set_str(&object, "scope", r.scope.as_str());
    set_str(&object, "state", r.state.as_str());
    if let Some(Ok(app_state)) = r.app_state.as_deref().map(js_sys::JSON::parse) {
        put(&object, "appState", app_state);
    }
    object
}

/// A method's work with its result already a JS value, its type erased. Each method converts
/// inside its own async block: a generic wrapper around the flow's future would add a second
/// state machine per method (wasm size).
type Outcome = Pin<Box<dyn Future<Output = Result<JsValue, Error>>>>;

/// The one place a flow's outcome becomes a Promise. It takes the outcome boxed, so that one
/// settling future serves every method; the Promise comes from the browser layer's [`deferred`]
/// and the outcome runs as a task of the crate's one spawner ([`spawn`]), not through
/// `future_to_promise`, whose async block and task type would be compiled for it alone (wasm size).
fn promise(outcome: Outcome) -> Promise {
    let (promise, resolve, reject) = deferred();
    spawn(Box::pin(Settling {
        outcome,
        resolve,
        reject,
    }));
    promise
}

/// An outcome that settles its Promise when it is ready: resolved with the value, or rejected
/// with the JS `AuthError`.
struct Settling {
    outcome: Outcome,
    resolve: Function,
    reject: Function,
}

impl Future for Settling {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let this = &mut *self;
        this.outcome.as_mut().poll(cx).map(|outcome| {
            // One call for both ends (wasm size).
            let (settle, value) = match outcome {
                Ok(value) => (&this.resolve, value),
                Err(e) => (&this.reject, error_to_js(&e)),
            };
            tell(settle, value);
        })
    }
}

/// A flow's future whose result becomes a JS value when it is ready: a plain future rather than
/// an async block that only awaits it (wasm size). A flow that is not `Unpin` comes boxed.
/// `convert` is the conversion's own type, not a function pointer: the call is direct, and
/// inlined where it pays (wasm size).
struct Converted<F, C> {
    flow: F,
    convert: C,
}

impl<F: Future<Output = Result<T, Error>> + Unpin, T, C: Fn(T) -> JsValue + Unpin> Future
    for Converted<F, C>
{
    type Output = Result<JsValue, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        Pin::new(&mut this.flow)
            .poll(cx)
            .map(|r| r.map(&this.convert))
    }
}

/// A Promise rejected with `error`, made by [`deferred`] as every other Promise of the façade is
/// and rejected at once: no `Promise.reject` binding of its own (wasm size).
fn rejected(error: Error) -> Promise {
    let (promise, _, reject) = deferred();
    tell(&reject, error_to_js(&error));
    promise
}

fn result(r: Rc<AuthResult>) -> JsValue {
    result_to_js(&r)
}

fn result_or_null(r: Option<Rc<AuthResult>>) -> JsValue {
    r.map_or(JsValue::NULL, result)
}

/// A restored session as its `AuthResult`, with `restoredBy` and `redirectReason`; or `null`.
fn restored_or_null(r: Option<Restored>) -> JsValue {
    r.map_or(JsValue::NULL, |r| {
        let object = result_to_js(&r.result);
        set_str(&object, "restoredBy", r.by.as_str());
        if let Some(reason) = r.redirect_reason {
            set_str(&object, "redirectReason", reason.as_str());
        }
        object
    })
}

/// Calls `f` with `value`, whatever it returns or throws: the one place the Promises and the
/// app's callbacks are called from (wasm size).
fn tell(f: &Function, value: JsValue) {
    let _ = f.call1(&JsValue::UNDEFINED, &value);
}

fn callback(options: &JsValue, name: &str) -> Option<Function> {
    member(options, name).dyn_into().ok()
}

#[wasm_bindgen]
extern "C" {
    /// `Request` as constructed below; the value is a `web_sys::Request`.
    #[wasm_bindgen(js_name = Request)]
    type RequestFrom;

    /// `new Request(input, init)`: one import for a URL and a `Request` alike, the URL passed as
    /// the JS string it is (no copy through Rust).
    #[wasm_bindgen(catch, constructor, js_class = "Request")]
    fn new(input: &JsValue, init: &JsValue) -> Result<RequestFrom, JsValue>;
}

/// The `Request` that `fetch(input, init)` would send: `input` a `Request`, a URL string, or an
/// object with an `href` string (`URL`, `Location`).
fn request(input: &JsValue, init: JsValue) -> Result<Request, Error> {
    // Strings are told by `as_string`, which the other readers import anyway, rather than by one
    // more import for `is_string` (wasm size).
    // `undefined` for a string or a `Request`, which have no `href`.
    let href = member(input, "href");
    let input = if input.is_instance_of::<Request>() || input.as_string().is_some() {
        input
    } else if href.as_string().is_some() {
        &href
    } else {
        return Err(Error::InvalidRequest(
            "fetch takes a URL or a Request".into(),
        ));
    };
    // Owned, so that one call takes either (wasm size).
    let init = if init.is_object() {
        init
    } else {
        JsValue::UNDEFINED
    };
    RequestFrom::new(input, &init)
        .map(JsCast::unchecked_into)
        .map_err(failure("new Request"))
}

/// Logs a user in against an OpenID Provider and keeps the session alive without refresh tokens.
#[wasm_bindgen]
#[derive(Debug)]
pub struct WebAuth {
    auth: Auth,
}

// Every method takes its JS arguments owned (`JsValue`), none borrowed (`&JsValue`): with no
// borrowed argument left, the glue drops its stack of borrowed objects and the `try`/`finally`
// around each such call, which costs more JS than the wasm's drop of each argument (wasm size).
#[wasm_bindgen]
impl WebAuth {
    /// Checks the options.
    /// @throws AuthError `invalid_configuration` or `invalid_scope`.
    #[wasm_bindgen(constructor)]
    pub fn new(
        #[wasm_bindgen(unchecked_param_type = "WebAuthOptions")] options: JsValue,
    ) -> Result<WebAuth, JsValue> {
        let auth = configured_auth(&options).map_err(|e| error_to_js(&e))?;
        Ok(WebAuth { auth })
    }

    /// Every public method of the class, by its number: `scripts/webauth-methods.mjs` writes
    /// each into the generated class as a line calling this one, `__call` in JS, with its number
    /// (the arm below) and its arguments (`a`, `b`: `undefined` when it takes fewer). One
    /// exported method instead of fourteen: each costs the wasm a shim of its own (the object's
    /// borrow and its flag, the conversions) and the glue a method around it (−322 B gzip). Like
    /// wasm-bindgen's `__wbg_ptr` it is internal and left out of the types; a private `#call`
    /// would be no smaller and ES2022 syntax, which older bundlers' parsers refuse. Each arm
    /// only picks the translation; `startAutoRenew`'s mistake is returned, for its JS method to
    /// throw (a `Result` would cost every call the glue's test of the error).
    #[wasm_bindgen(js_name = __call, skip_typescript)]
    pub fn call(&self, method: u32, a: JsValue, b: JsValue) -> JsValue {
        let auth = &self.auth;
        match method {
            // get authResult
            0 => auth.auth_result().map_or(JsValue::UNDEFINED, result),
            // authorize(options)
            1 => self.login(a, true).into(),
            // buildAuthorizeUrl(options)
            2 => self.login(a, false).into(),
            // buildLogoutUrl(options)
            3 => self.leave(a, false).into(),
            // checkSession(options)
            4 => self.check_session(a).into(),
            // clearSession()
            5 => {
                auth.clear_session();
                JsValue::UNDEFINED
            }
            // fetch(input, init)
            6 => self.fetch(a, b).into(),
            // isExpired()
            7 => auth.is_expired().into(),
            // logout(options)
            8 => self.leave(a, true).into(),
            // onSessionChange(callback)
            9 => {
                self.on_session_change(a);
                JsValue::UNDEFINED
            }
            // parseHash(options)
            10 => self.parse_hash(a).into(),
            // restoreSession(options)
            11 => self.restore_session(a).into(),
            // startAutoRenew(options)
            12 => self.start_auto_renew(a),
            // stopAutoRenew(), 13, the last number the class's methods pass
            _ => {
                auth.stop_auto_renew();
                JsValue::UNDEFINED
            }
        }
    }
}

impl WebAuth {
    /// `authorize` and, without `navigate`, `buildAuthorizeUrl`: the authorize URL for `options`,
    /// its transaction stored; with `navigate`, the page is sent there and the Promise resolves
    /// to `undefined`.
    fn login(&self, options: JsValue, navigate: bool) -> Promise {
        let o = Options::call(&options);
        let app_state = o.app_state();
        let options = o.authorize();
        match o.finish() {
            // One flow for both methods (wasm size).
            Ok(()) => promise(Box::pin(Converted {
                flow: Box::pin(self.auth.login(options, app_state, navigate)),
                convert: move |url: alloc::string::String| {
                    if navigate {
                        JsValue::UNDEFINED
                    } else {
                        url.into()
                    }
                },
            })),
            Err(e) => rejected(e),
        }
    }

    /// `logout` and, without `end`, `buildLogoutUrl`: the provider's logout URL for `options`;
    /// with `end`, the session ends first (even when the options are wrong), then the page is
    /// sent there and the Promise resolves to `undefined`.
    fn leave(&self, options: JsValue, end: bool) -> Promise {
        // The session ends at once, even when the options are wrong.
        let hint = self.auth.logout_hint(end);
        let auth = self.auth.clone();
        let leave = async move {
            let o = Options::call(&options);
            let return_to = o.string("returnTo");
            o.finish()?;
            // One await of the URL for both methods (wasm size).
            let hint = hint.as_ref().map(|held| &held.id_token);
            let url = auth.client().logout_url(return_to.as_deref(), hint);
            let url = url.await?;
            if end {
                location::assign(&url)?;
                return Ok(JsValue::UNDEFINED);
            }
            Ok(url.into())
        };
        promise(Box::pin(leave))
    }

    /// `parseHash`.
    fn parse_hash(&self, options: JsValue) -> Promise {
        // A `hash` of another type is the mistake reported first.
        let o = Options::members(&options);
        let hash = o.text("hash");
        let timeout = o.whole_number("timeout", MAX_TIMEOUT_MS);
        match o.finish() {
            Ok(()) => {
                let parsed = self.auth.parse(hash, timeout);
                promise(Box::pin(Converted {
                    flow: parsed,
                    convert: result_or_null,
                }))
            }
            Err(e) => rejected(e),
        }
    }

    /// `checkSession`.
    fn check_session(&self, options: JsValue) -> Promise {
        // Started here, not when the Promise's task first runs: its timeout counts from now, and
        // a `clearSession()` right after this call ends it.
        let o = Options::call(&options);
        let timeout = o.whole_number("timeout", MAX_TIMEOUT_MS);
        let options = o.authorize();
        match o.finish() {
            Ok(()) => {
                let checked = self.auth.renew_silently(options, timeout);
                promise(Box::pin(Converted {
                    flow: checked,
                    convert: result,
                }))
            }
            Err(e) => rejected(e),
        }
    }

    /// `restoreSession`.
    fn restore_session(&self, options: JsValue) -> Promise {
        let o = Options::call(&options);
        let timeout = o.whole_number("timeout", MAX_TIMEOUT_MS);
        let app_state = o.app_state();
        let options = o.authorize();
        match o.finish() {
            Ok(()) => promise(Box::pin(Converted {
                flow: Box::pin(self.auth.restore(options, app_state, timeout)),
                convert: restored_or_null,
            })),
            Err(e) => rejected(e),
        }
    }

    /// `startAutoRenew`: `undefined`, or the `AuthError` its JS method throws.
    fn start_auto_renew(&self, options: JsValue) -> JsValue {
        let o = Options::members(&options);
        let seconds = o.whole_number("secondsBeforeExpiry", 86_400.0);
        if let Err(e) = o.finish() {
            return error_to_js(&e);
        }
        let on_renewed = callback(&options, "onRenewed").map(|f| {
            Rc::new(move |r: &AuthResult| {
                tell(&f, result_to_js(r));
            }) as OnRenewed
        });
        let on_failed = callback(&options, "onRenewFailed").map(|f| {
            Rc::new(move |e: &Error| {
                tell(&f, error_to_js(e));
            }) as OnRenewFailed
        });
        self.auth.start_auto_renew(RenewalOptions {
            seconds_before_expiry: seconds.unwrap_or(60),
            on_renewed,
            on_failed,
        });
        JsValue::UNDEFINED
    }

    /// `onSessionChange`.
    fn on_session_change(&self, callback: JsValue) {
        let callback = callback.dyn_into::<Function>().ok().map(|f| {
            Rc::new(move |r: Option<&AuthResult>| {
                tell(&f, r.map_or(JsValue::NULL, result_to_js));
            }) as OnSessionChange
        });
        self.auth.on_session_change(callback);
    }

    /// `fetch`.
    fn fetch(&self, input: JsValue, init: JsValue) -> Promise {
        match request(&input, init) {
            Ok(request) => promise(Box::pin(Converted {
                flow: Box::pin(self.auth.fetch(request)),
                convert: JsValue::from,
            })),
            Err(e) => rejected(e),
        }
    }
}
