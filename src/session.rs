//! The session: the tokens held in memory (never in storage), shared silent renewals, automatic
//! renewal before expiry, and a `fetch` that sends the access token and renews once on a 401.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use gloo_timers::callback::Timeout;
use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{future_to_promise, spawn_local, JsFuture};
use web_sys::{Request, RequestInit, Response};

use crate::authorize::AuthorizeOptions;
use crate::browser::{failure, fetch, now_ms};
use crate::client::{AuthResult, Client};
use crate::error::Error;
use crate::js::{error_to_js, result_to_js};
use crate::silent::{check_session, silent_request, DEFAULT_TIMEOUT_MS};
use crate::text::concat;

/// The shortest wait before an automatic renewal, so that a token shorter-lived than the renewal
/// margin cannot make it spin.
const MIN_RENEWAL_DELAY_MS: f64 = 5_000.0;

/// The wait before trying again after a renewal failed for a passing reason (a timeout, say).
const RETRY_DELAY_MS: f64 = 30_000.0;

/// Options of automatic renewal.
#[derive(Debug, Default)]
pub struct RenewalOptions {
    /// Renew this many seconds before the access token expires.
    pub seconds_before_expiry: u32,
    /// Called with each renewed `AuthResult`.
    pub on_renewed: Option<Function>,
    /// Called with the error of each failed renewal.
    pub on_failed: Option<Function>,
}

#[derive(Debug)]
struct Renewal {
    options: RenewalOptions,
    timer: Option<Timeout>,
}

/// The state of one `WebAuth`.
#[derive(Debug)]
pub struct Session {
    /// The protocol engine.
    pub client: Client,
    tokens: RefCell<Option<Rc<AuthResult>>>,
    in_flight: RefCell<Option<(String, Promise)>>,
    renewal: RefCell<Option<Renewal>>,
}

impl Session {
    /// A session without tokens.
    pub fn new(client: Client) -> Rc<Session> {
        Rc::new(Session {
            client,
            tokens: RefCell::default(),
            in_flight: RefCell::default(),
            renewal: RefCell::default(),
        })
    }

    /// The tokens held.
    pub fn tokens(&self) -> Option<Rc<AuthResult>> {
        self.tokens.borrow().clone()
    }

    /// Whether there are no tokens, or they expire within the leeway.
    pub fn is_expired(&self) -> bool {
        let leeway_ms = f64::from(self.client.config.leeway) * 1000.0;
        self.tokens()
            .and_then(|t| t.expires_at)
            .is_none_or(|at| now_ms() + leeway_ms >= at)
    }

    /// Holds a new result (replacing the old one) and reschedules automatic renewal.
    pub fn accept(self: &Rc<Self>, result: AuthResult) -> Rc<AuthResult> {
        let result = Rc::new(result);
        *self.tokens.borrow_mut() = Some(result.clone());
        self.schedule(None);
        result
    }

    /// Forgets the tokens and stops automatic renewal.
    pub fn forget(&self) {
        self.tokens.borrow_mut().take();
        self.stop_renewal();
    }

    /// Silent authentication. A call made while an identical one is in flight shares its promise
    /// instead of opening a second iframe.
    pub fn check_session(
        self: &Rc<Self>,
        options: AuthorizeOptions,
        timeout_ms: Option<u32>,
    ) -> Promise {
        let request = match silent_request(&self.client, options) {
            Ok(request) => request,
            Err(e) => return Promise::reject(&error_to_js(&e)),
        };
        let key = request.key(&self.client.config.client_id);
        if let Some((k, promise)) = self.in_flight.borrow().as_ref() {
            if *k == key {
                return promise.clone();
            }
        }
        let session = self.clone();
        let flight_key = key.clone();
        let promise = future_to_promise(async move {
            let outcome = check_session(
                &session.client,
                request,
                timeout_ms.unwrap_or(DEFAULT_TIMEOUT_MS),
            )
            .await;
            let mut in_flight = session.in_flight.borrow_mut();
            if in_flight.as_ref().is_some_and(|(k, _)| *k == flight_key) {
                in_flight.take();
            }
            drop(in_flight);
            match outcome {
                Ok(result) => Ok(result_to_js(&session.accept(result))),
                Err(e) => Err(error_to_js(&e)),
            }
        });
        *self.in_flight.borrow_mut() = Some((key, promise.clone()));
        promise
    }

    /// Starts automatic renewal, replacing any earlier options.
    pub fn start_renewal(self: &Rc<Self>, options: RenewalOptions) {
        *self.renewal.borrow_mut() = Some(Renewal {
            options,
            timer: None,
        });
        self.schedule(None);
    }

    /// Stops automatic renewal.
    pub fn stop_renewal(&self) {
        self.renewal.borrow_mut().take();
    }

    /// Sets the renewal timer: after `delay_ms`, or before the tokens expire.
    fn schedule(self: &Rc<Self>, delay_ms: Option<f64>) {
        let mut renewal = self.renewal.borrow_mut();
        let Some(renewal) = renewal.as_mut() else {
            return;
        };
        let due = self
            .tokens()
            .and_then(|t| t.expires_at)
            .map(|at| at - f64::from(renewal.options.seconds_before_expiry) * 1000.0 - now_ms());
        renewal.timer = delay_ms.or(due).map(|delay| {
            let weak: Weak<Session> = Rc::downgrade(self);
            let delay = delay.clamp(MIN_RENEWAL_DELAY_MS, f64::from(i32::MAX)) as u32;
            Timeout::new(delay, move || {
                if let Some(session) = weak.upgrade() {
                    spawn_local(session.renew());
                }
            })
        });
    }

    async fn renew(self: Rc<Self>) {
        let outcome = JsFuture::from(self.check_session(AuthorizeOptions::default(), None)).await;
        let callbacks = self
            .renewal
            .borrow()
            .as_ref()
            .map(|r| (r.options.on_renewed.clone(), r.options.on_failed.clone()));
        let Some((on_renewed, on_failed)) = callbacks else {
            return;
        };
        match outcome {
            Ok(result) => {
                if let Some(f) = on_renewed {
                    let _ = f.call1(&JsValue::UNDEFINED, &result);
                }
            }
            Err(error) => {
                let code = Reflect::get(&error, &"error".into())
                    .ok()
                    .and_then(|c| c.as_string())
                    .unwrap_or_default();
                if matches!(
                    code.as_str(),
                    "login_required" | "consent_required" | "interaction_required"
                ) {
                    self.stop_renewal();
                } else {
                    self.schedule(Some(RETRY_DELAY_MS));
                }
                if let Some(f) = on_failed {
                    let _ = f.call1(&JsValue::UNDEFINED, &error);
                }
            }
        }
    }

    /// A current access token: the one held, or a renewed one when it is missing or expired.
    async fn access_token(self: &Rc<Self>, renew: bool) -> Result<String, JsValue> {
        if renew || self.is_expired() {
            JsFuture::from(self.check_session(AuthorizeOptions::default(), None)).await?;
        }
        let token = self.tokens().and_then(|t| t.access_token.clone());
        let missing = || {
            Error::InvalidRequest(
                "no access token: configure responseType \"id_token token\"".into(),
            )
        };
        token.ok_or_else(|| error_to_js(&missing()))
    }

    /// `fetch` with `Authorization: Bearer`; on a 401 it renews once and retries once.
    pub async fn fetch(self: Rc<Self>, input: JsValue, init: JsValue) -> Result<JsValue, JsValue> {
        let init: RequestInit = if init.is_object() {
            init.unchecked_into()
        } else {
            RequestInit::new()
        };
        let url = || {
            input
                .as_string()
                .or_else(|| Reflect::get(&input, &"href".into()).ok()?.as_string())
        };
        let request = match (input.dyn_ref::<Request>(), url()) {
            (Some(request), _) => Request::new_with_request_and_init(request, &init),
            (None, Some(url)) => Request::new_with_str_and_init(&url, &init),
            (None, None) => {
                return Err(error_to_js(&Error::InvalidRequest(
                    "fetch takes a URL or a Request".into(),
                )))
            }
        }
        .map_err(|e| error_to_js(&failure("new Request")(e)))?;
        let retry = request
            .clone()
            .map_err(|e| error_to_js(&failure("Request.clone")(e)))?;
        let send = |request: Request, token: String| async move {
            let authorization = concat(&["Bearer ", &token]);
            request
                .headers()
                .set("Authorization", &authorization)
                .map_err(|e| error_to_js(&failure("Headers.set")(e)))?;
            fetch::send(&request).await.map_err(|e| error_to_js(&e))
        };
        let response: Response = send(request, self.access_token(false).await?).await?;
        if response.status() != 401 {
            return Ok(response.into());
        }
        Ok(send(retry, self.access_token(true).await?).await?.into())
    }
}
