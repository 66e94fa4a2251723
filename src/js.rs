//! The JavaScript façade: `WebAuth`, its options and results, translated between JS and Rust.
//! It holds no protocol logic.

use std::rc::Rc;

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::future_to_promise;

use crate::authorize::AuthorizeOptions;
use crate::browser::location;
use crate::browser::object::{member, Options};
use crate::client::{AuthResult, Client};
use crate::config::{whole_seconds, Config, ConfigOptions};
use crate::error::Error;
use crate::session::{RenewalOptions, Session};
use crate::text::concat;

#[wasm_bindgen(typescript_custom_section)]
const TYPES: &'static str = r#"
/** Options of `new WebAuth(…)`. Give `domain` (Auth0 conventions) or `issuer` (OIDC discovery). */
export interface WebAuthOptions {
  /** An Auth0 tenant, e.g. `tenant.auth0.com`: `https://{domain}/authorize`, `/.well-known/jwks.json`, `/v2/logout`. */
  domain?: string;
  /** An OpenID Provider's issuer URL; endpoints come from its discovery document. */
  issuer?: string;
  clientId: string;
  /** Where the provider sends the user back (https, or http on localhost). */
  redirectUri: string;
  /** Default `'id_token token'`. */
  responseType?: 'id_token token' | 'id_token';
  /** Default `'openid profile email'`; `openid` is always added, `offline_access` is refused. */
  scope?: string;
  /** The API the access token is for. */
  audience?: string;
  /** Seconds of clock skew tolerated, 0 to 300 (default 60). */
  leeway?: number;
  /** Default `max_age` in seconds; the ID token's `auth_time` is checked against it. */
  maxAge?: number;
  /** The app's page relaying a fragment to `checkSession({ responseMode: 'fragment' })`. */
  silentRedirectUri?: string;
  /** ID-token signature algorithms accepted (default `['RS256']`). */
  algorithms?: Array<'RS256' | 'ES256' | 'PS256'>;
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
  responseType?: 'id_token token' | 'id_token';
  responseMode?: 'fragment' | 'web_message';
  redirectUri?: string;
  /** Any JSON value, returned as `AuthResult.appState`. */
  appState?: unknown;
  /** Further parameters for the provider; they may not replace the ones above. */
  extraParams?: Record<string, string>;
}

/** Options of `checkSession`. */
export interface CheckSessionOptions extends AuthorizeOptions {
  /** Milliseconds to wait for the provider (default 60000). */
  timeout?: number;
}

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
}

/** Every rejection is an `Error` with an OAuth-style code. */
export interface AuthError extends Error {
  /** `login_required`, `consent_required`, `timeout`, `invalid_state`, `id_token_…`, … */
  error: string;
  errorDescription: string;
  state?: string;
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

/** Logs a user in against an OpenID Provider and keeps the session alive without refresh tokens. */
export class WebAuth {
  /** @throws AuthError `invalid_configuration` or `invalid_scope`. */
  constructor(options: WebAuthOptions);
  /** Sends the page to the provider's login. */
  authorize(options?: AuthorizeOptions): Promise<void>;
  /** The authorize URL; its transaction is stored as by `authorize`. */
  buildAuthorizeUrl(options?: AuthorizeOptions): Promise<string>;
  /** Reads and verifies the callback fragment; `null` when the URL holds no auth response. */
  parseHash(options?: { hash?: string }): Promise<AuthResult | null>;
  /** Silent authentication with `prompt=none` in a hidden iframe. */
  checkSession(options?: CheckSessionOptions): Promise<AuthResult>;
  /** Forgets the tokens and sends the page to the provider's logout. */
  logout(options?: LogoutOptions): Promise<void>;
  /** The provider's logout URL. */
  buildLogoutUrl(options?: LogoutOptions): Promise<string>;
  /** True when no tokens are held or they expire within the leeway. */
  isExpired(): boolean;
  /** The tokens held in memory. */
  readonly authResult: AuthResult | undefined;
  /** Renews with `checkSession` before expiry until `stopAutoRenew` or `login_required`. */
  startAutoRenew(options?: AutoRenewOptions): void;
  stopAutoRenew(): void;
  /** `fetch` with `Authorization: Bearer`; on a 401 it renews once and retries once. */
  fetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response>;
  free(): void;
}
"#;

fn set(target: &Object, name: &str, value: &JsValue) {
    // Setting a property on a fresh plain object cannot fail.
    let _ = Reflect::set(target, &name.into(), value);
}

/// An [`Error`] as a JS `Error` with `error`, `errorDescription` and `state`.
pub fn error_to_js(e: &Error) -> JsValue {
    let description = e.description();
    let error = js_sys::Error::new(&concat(&[e.code(), ": ", &description]));
    error.set_name("AuthError");
    set(&error, "error", &e.code().into());
    set(&error, "errorDescription", &description.into());
    if let Some(state) = e.state() {
        set(&error, "state", &state.into());
    }
    error.into()
}

/// An [`AuthResult`] as the JS `AuthResult` object.
pub fn result_to_js(r: &AuthResult) -> JsValue {
    let object = Object::new();
    let text = |v: &Option<String>| v.as_deref().map(JsValue::from);
    let fields = [
        ("accessToken", text(&r.access_token)),
        ("idToken", Some(r.id_token.as_str().into())),
        ("idTokenPayload", Some(r.id_token_payload.clone())),
        ("tokenType", text(&r.token_type)),
        ("expiresIn", r.expires_in.map(|s| (s as f64).into())),
        ("expiresAt", r.expires_at.map(JsValue::from)),
        ("scope", text(&r.scope)),
        ("state", Some(r.state.as_str().into())),
        (
            "appState",
            r.app_state
                .as_deref()
                .and_then(|s| js_sys::JSON::parse(s).ok()),
        ),
    ];
    for (name, value) in fields {
        if let Some(value) = value {
            set(&object, name, &value);
        }
    }
    object.into()
}

fn config_options(options: &JsValue) -> Result<ConfigOptions, Error> {
    let o = Options::new(options, Error::Configuration);
    let options = ConfigOptions {
        domain: o.string("domain"),
        issuer: o.string("issuer"),
        client_id: o.string("clientId"),
        redirect_uri: o.string("redirectUri"),
        response_type: o.string("responseType"),
        scope: o.string("scope"),
        audience: o.string("audience"),
        leeway: o.number("leeway"),
        max_age: o.number("maxAge"),
        silent_redirect_uri: o.string("silentRedirectUri"),
        algorithms: o.strings("algorithms"),
    };
    o.finish().map(|()| options)
}

fn authorize_options(options: &JsValue) -> Result<AuthorizeOptions, Error> {
    let o = Options::new(options, Error::InvalidRequest);
    let options = AuthorizeOptions {
        scope: o.string("scope"),
        audience: o.string("audience"),
        prompt: o.string("prompt"),
        max_age: o.number("maxAge"),
        login_hint: o.string("loginHint"),
        connection: o.string("connection"),
        organization: o.string("organization"),
        invitation: o.string("invitation"),
        ui_locales: o.string("uiLocales"),
        acr_values: o.string("acrValues"),
        display: o.string("display"),
        response_mode: o.string("responseMode"),
        response_type: o.string("responseType"),
        redirect_uri: o.string("redirectUri"),
        extra_params: o.string_map("extraParams"),
        sets_state_or_nonce: o.has("state") || o.has("nonce"),
    };
    o.finish().map(|()| options)
}

fn app_state(options: &JsValue) -> Result<Option<String>, Error> {
    let value = member(options, "appState");
    if value.is_undefined() {
        return Ok(None);
    }
    let text = js_sys::JSON::stringify(&value)
        .ok()
        .and_then(|s| s.as_string());
    text.map(Some)
        .ok_or_else(|| Error::InvalidRequest("appState must be serialisable as JSON".into()))
}

fn number(options: &JsValue, name: &str, max: f64) -> Result<Option<u32>, Error> {
    let value = member(options, name);
    if value.is_undefined() {
        return Ok(None);
    }
    match value.as_f64().and_then(|n| whole_seconds(n, max)) {
        Some(n) => Ok(Some(n as u32)),
        None => Err(Error::InvalidRequest(concat(&[
            name,
            " must be a whole number within range",
        ]))),
    }
}

fn callback(options: &JsValue, name: &str) -> Option<Function> {
    member(options, name).dyn_into().ok()
}

fn promise<F>(future: F) -> Promise
where
    F: core::future::Future<Output = Result<JsValue, Error>> + 'static,
{
    future_to_promise(async move { future.await.map_err(|e| error_to_js(&e)) })
}

/// Where `authorize` and `logout` (and their `build…Url`) send the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Destination {
    /// The provider's login, with a new transaction.
    Login,
    /// The provider's logout.
    Logout,
}

async fn destination_url(
    session: &Session,
    options: &JsValue,
    to: Destination,
) -> Result<String, Error> {
    if to == Destination::Login {
        return session
            .client
            .begin(authorize_options(options)?, app_state(options)?)
            .await;
    }
    let o = Options::new(options, Error::InvalidRequest);
    let return_to = o.string("returnTo");
    o.finish()?;
    let hint = session.tokens().map(|t| t.id_token.clone());
    session
        .client
        .logout_url(return_to.as_deref(), hint.as_deref())
        .await
}

/// Logs a user in against an OpenID Provider and keeps the session alive without refresh tokens.
#[wasm_bindgen(skip_typescript)]
#[derive(Debug)]
pub struct WebAuth {
    session: Rc<Session>,
}

impl WebAuth {
    /// The URL of `to`, and when `navigate`, the page sent there (forgetting the tokens first on
    /// logout).
    fn go(&self, options: JsValue, to: Destination, navigate: bool) -> Promise {
        let session = self.session.clone();
        promise(async move {
            let url = destination_url(&session, &options, to).await?;
            if !navigate {
                return Ok(url.into());
            }
            if to == Destination::Logout {
                session.forget();
            }
            location::assign(&url)?;
            Ok(JsValue::UNDEFINED)
        })
    }
}

#[wasm_bindgen]
impl WebAuth {
    /// Checks the options; throws `invalid_configuration` (or `invalid_scope`).
    #[wasm_bindgen(constructor)]
    pub fn new(options: JsValue) -> Result<WebAuth, JsValue> {
        let config = config_options(&options)
            .and_then(|o| Config::new(&o))
            .map_err(|e| error_to_js(&e))?;
        Ok(WebAuth {
            session: Session::new(Client::new(config)),
        })
    }

    /// Sends the page to the provider's login.
    pub fn authorize(&self, options: JsValue) -> Promise {
        self.go(options, Destination::Login, true)
    }

    /// The authorize URL; its transaction is stored as by `authorize`.
    #[wasm_bindgen(js_name = buildAuthorizeUrl)]
    pub fn build_authorize_url(&self, options: JsValue) -> Promise {
        self.go(options, Destination::Login, false)
    }

    /// Reads and verifies the callback fragment (the page's, or `options.hash`).
    #[wasm_bindgen(js_name = parseHash)]
    pub fn parse_hash(&self, options: JsValue) -> Promise {
        let session = self.session.clone();
        promise(async move {
            let given = member(&options, "hash");
            let from_page = given.is_undefined();
            let fragment = match given.as_string() {
                Some(hash) => hash,
                None if from_page => location::hash()?,
                None => return Err(Error::InvalidRequest("hash must be a string".into())),
            };
            let outcome = session.client.parse_fragment(&fragment).await;
            if from_page && !matches!(outcome, Ok(None)) {
                location::remove_hash()?;
            }
            Ok(match outcome? {
                Some(result) => result_to_js(&session.accept(result)),
                None => JsValue::NULL,
            })
        })
    }

    /// Silent authentication with `prompt=none` in a hidden iframe.
    #[wasm_bindgen(js_name = checkSession)]
    pub fn check_session(&self, options: JsValue) -> Promise {
        let parsed = authorize_options(&options)
            .and_then(|o| Ok((o, number(&options, "timeout", f64::from(i32::MAX))?)));
        match parsed {
            Ok((opts, timeout)) => self.session.check_session(opts, timeout),
            Err(e) => Promise::reject(&error_to_js(&e)),
        }
    }

    /// Forgets the tokens and sends the page to the provider's logout.
    pub fn logout(&self, options: JsValue) -> Promise {
        self.go(options, Destination::Logout, true)
    }

    /// The provider's logout URL.
    #[wasm_bindgen(js_name = buildLogoutUrl)]
    pub fn build_logout_url(&self, options: JsValue) -> Promise {
        self.go(options, Destination::Logout, false)
    }

    /// True when no tokens are held or they expire within the leeway.
    #[wasm_bindgen(js_name = isExpired)]
    pub fn is_expired(&self) -> bool {
        self.session.is_expired()
    }

    /// The tokens held in memory.
    #[wasm_bindgen(getter, js_name = authResult)]
    pub fn auth_result(&self) -> JsValue {
        self.session
            .tokens()
            .map(|t| result_to_js(&t))
            .unwrap_or(JsValue::UNDEFINED)
    }

    /// Renews with `checkSession` before expiry until `stopAutoRenew` or `login_required`.
    #[wasm_bindgen(js_name = startAutoRenew)]
    pub fn start_auto_renew(&self, options: JsValue) -> Result<(), JsValue> {
        let seconds =
            number(&options, "secondsBeforeExpiry", 86_400.0).map_err(|e| error_to_js(&e))?;
        self.session.start_renewal(RenewalOptions {
            seconds_before_expiry: seconds.unwrap_or(60),
            on_renewed: callback(&options, "onRenewed"),
            on_failed: callback(&options, "onRenewFailed"),
        });
        Ok(())
    }

    /// Stops automatic renewal.
    #[wasm_bindgen(js_name = stopAutoRenew)]
    pub fn stop_auto_renew(&self) {
        self.session.stop_renewal();
    }

    /// `fetch` with `Authorization: Bearer`; on a 401 it renews once and retries once.
    pub fn fetch(&self, input: JsValue, init: JsValue) -> Promise {
        future_to_promise(self.session.clone().fetch(input, init))
    }
}
