//! The session: the tokens held in memory (never in storage), shared silent renewals, automatic
//! renewal before expiry, and a `fetch` that sends the access token and renews once on a 401.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use gloo_timers::callback::Timeout;
use wasm_bindgen_futures::spawn_local;
use web_sys::{Request, Response};

use crate::browser::{failure, fetch, location, now_ms};
use crate::core::authorize::{AuthorizeOptions, AuthorizeRequest};
use crate::core::config::{Config, ConfigOptions};
use crate::core::error::Error;
use crate::core::text::concat;
use crate::flow::redirect::{AuthResult, Client};
use crate::flow::silent::{check_session, DEFAULT_TIMEOUT_MS};
use crate::flow::single_flight::SingleFlight;

/// The shortest wait before an automatic renewal, so that a token shorter-lived than the renewal
/// margin cannot make it spin.
const MIN_RENEWAL_DELAY_MS: f64 = 5_000.0;

/// The wait before trying again after a renewal failed for a passing reason (a timeout, say).
const RETRY_DELAY_MS: f64 = 30_000.0;

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
    options: RenewalOptions,
    timer: Option<Timeout>,
}

#[derive(Debug)]
struct State {
    client: Client,
    tokens: RefCell<Option<Rc<AuthResult>>>,
    silent_flights: SingleFlight<Result<Rc<AuthResult>, Error>>,
    renewal: RefCell<Option<Renewal>>,
}

/// A client of one OpenID Provider and the session it keeps: log in by redirect, renew silently,
/// call APIs with the access token, log out. Cloning it is cheap and shares the session.
#[derive(Debug, Clone)]
pub struct Auth {
    state: Rc<State>,
}

impl Auth {
    /// Checks the options; fails with `invalid_configuration` (or `invalid_scope`).
    pub fn new(options: &ConfigOptions) -> Result<Auth, Error> {
        let client = Client::new(Config::new(options)?);
        Ok(Auth {
            state: Rc::new(State {
                client,
                tokens: RefCell::default(),
                silent_flights: SingleFlight::default(),
                renewal: RefCell::default(),
            }),
        })
    }

    /// The provider's authorize URL; its transaction (state, nonce, `app_state`) is stored in
    /// `sessionStorage` for the callback, or the call fails with `storage_unavailable`.
    pub async fn build_authorize_url(
        &self,
        options: &AuthorizeOptions,
        app_state: Option<String>,
    ) -> Result<String, Error> {
        self.state.client.begin(options, app_state).await
    }

    /// Sends the page to the provider's login, once its transaction is stored.
    pub async fn authorize(
        &self,
        options: &AuthorizeOptions,
        app_state: Option<String>,
    ) -> Result<(), Error> {
        location::assign(&self.build_authorize_url(options, app_state).await?)
    }

    /// Reads and verifies the callback fragment (`hash`, or the page's own, which is then removed
    /// from the address bar); `None` when it holds no authorization response.
    pub async fn parse_hash(&self, hash: Option<&str>) -> Result<Option<Rc<AuthResult>>, Error> {
        let from_page = hash.is_none();
        let fragment = match hash {
            Some(hash) => hash.to_owned(),
            None => location::hash()?,
        };
        let outcome = self.state.client.parse_fragment(&fragment).await;
        if from_page && !matches!(outcome, Ok(None)) {
            location::remove_hash()?;
        }
        Ok(outcome?.map(|result| self.accept(result)))
    }

    /// Silent authentication with `prompt=none` in a hidden iframe. A call made while an
    /// identical one is in flight shares its outcome instead of opening a second iframe.
    pub async fn check_session(
        &self,
        options: &AuthorizeOptions,
        timeout_ms: Option<u32>,
    ) -> Result<Rc<AuthResult>, Error> {
        let request = AuthorizeRequest::silent(&self.state.client.config, options)?;
        let key = request.key(&self.state.client.config.client_id);
        let auth = self.clone();
        let work = async move {
            let timeout_ms = timeout_ms.unwrap_or(DEFAULT_TIMEOUT_MS);
            let result = check_session(&auth.state.client, request, timeout_ms).await?;
            Ok(auth.accept(result))
        };
        self.state.silent_flights.run(key, work).await
    }

    /// The provider's logout URL.
    pub async fn build_logout_url(&self, return_to: Option<&str>) -> Result<String, Error> {
        let hint = self.auth_result().map(|t| t.id_token.clone());
        self.state.client.logout_url(return_to, hint.as_ref()).await
    }

    /// Forgets the tokens and sends the page to the provider's logout.
    pub async fn logout(&self, return_to: Option<&str>) -> Result<(), Error> {
        let url = self.build_logout_url(return_to).await?;
        self.forget();
        location::assign(&url)
    }

    /// The tokens held.
    pub fn auth_result(&self) -> Option<Rc<AuthResult>> {
        self.state.tokens.borrow().clone()
    }

    /// Whether there are no tokens, or they expire within the leeway.
    pub fn is_expired(&self) -> bool {
        let leeway_ms = f64::from(self.state.client.config.leeway) * 1000.0;
        self.auth_result()
            .is_none_or(|t| now_ms() + leeway_ms >= t.expires_at)
    }

    /// Holds a new result (replacing the old one) and reschedules automatic renewal.
    fn accept(&self, result: AuthResult) -> Rc<AuthResult> {
        let result = Rc::new(result);
        *self.state.tokens.borrow_mut() = Some(result.clone());
        self.schedule(None);
        result
    }

    fn forget(&self) {
        self.state.tokens.borrow_mut().take();
        self.stop_auto_renew();
    }

    /// Renews with [`Auth::check_session`] before the tokens expire, replacing any earlier
    /// options, until [`Auth::stop_auto_renew`] or an answer that needs the user.
    pub fn start_auto_renew(&self, options: RenewalOptions) {
        *self.state.renewal.borrow_mut() = Some(Renewal {
            options,
            timer: None,
        });
        self.schedule(None);
    }

    /// Stops automatic renewal.
    pub fn stop_auto_renew(&self) {
        self.state.renewal.borrow_mut().take();
    }

    /// Sets the renewal timer: after `delay_ms`, or before the tokens expire.
    fn schedule(&self, delay_ms: Option<f64>) {
        let mut renewal = self.state.renewal.borrow_mut();
        let Some(renewal) = renewal.as_mut() else {
            return;
        };
        let margin_ms = f64::from(renewal.options.seconds_before_expiry) * 1000.0;
        let due = self
            .auth_result()
            .map(|t| t.expires_at - margin_ms - now_ms());
        renewal.timer = delay_ms.or(due).map(|delay| {
            let weak: Weak<State> = Rc::downgrade(&self.state);
            let delay = delay.clamp(MIN_RENEWAL_DELAY_MS, f64::from(i32::MAX)) as u32;
            Timeout::new(delay, move || {
                if let Some(state) = weak.upgrade() {
                    spawn_local(Auth { state }.renew());
                }
            })
        });
    }

    async fn renew(self) {
        let outcome = self.check_session(&AuthorizeOptions::default(), None).await;
        let Some(options) = self
            .state
            .renewal
            .borrow()
            .as_ref()
            .map(|r| r.options.clone())
        else {
            return;
        };
        match outcome {
            Ok(result) => {
                if let Some(on_renewed) = options.on_renewed {
                    on_renewed(&result);
                }
            }
            Err(error) => {
                if matches!(
                    error.code(),
                    "login_required" | "consent_required" | "interaction_required"
                ) {
                    self.stop_auto_renew();
                } else {
                    self.schedule(Some(RETRY_DELAY_MS));
                }
                if let Some(on_failed) = options.on_failed {
                    on_failed(&error);
                }
            }
        }
    }

    /// A current access token: the one held, or a renewed one when it is missing or expired.
    async fn access_token(&self, renew: bool) -> Result<String, Error> {
        if renew || self.is_expired() {
            self.check_session(&AuthorizeOptions::default(), None)
                .await?;
        }
        let token = self.auth_result().and_then(|t| t.access_token.clone());
        let missing = || {
            Error::InvalidRequest(
                "no access token: configure responseType \"id_token token\"".into(),
            )
        };
        Ok(token.ok_or_else(missing)?.expose().to_owned())
    }

    /// Sends `request` with `Authorization: Bearer` and the access token; on a 401 it renews
    /// once and retries once.
    pub async fn fetch(&self, request: &Request) -> Result<Response, Error> {
        let retry = request.clone().map_err(failure("Request.clone"))?;
        let send = |request: Request, token: String| async move {
            request
                .headers()
                .set("Authorization", &concat(&["Bearer ", &token]))
                .map_err(failure("Headers.set"))?;
            fetch::send(&request).await
        };
        let first = request.clone().map_err(failure("Request.clone"))?;
        let response = send(first, self.access_token(false).await?).await?;
        if response.status() != 401 {
            return Ok(response);
        }
        send(retry, self.access_token(true).await?).await
    }
}
