//! Silent authentication (`checkSession`): the authorization request with `prompt=none` in a
//! hidden iframe, answered by `response_mode=web_message` from the provider's exact origin, or by
//! the app's silent callback page relaying its fragment (or query) from the app's own origin. With `code`,
//! the transaction and its PKCE verifier stay in memory, never in storage.

use alloc::{string::String, vec::Vec};
use core::future::Future;
use core::pin::Pin;
use core::task::{Context, Poll};
use js_sys::Function;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{AbortSignal, EventTarget};

use crate::browser::frame::HiddenFrame;
use crate::browser::global;
use crate::browser::json::member;
use crate::browser::listener::EventListener;
use crate::browser::timer::Timeout;
use crate::browser::{cross_origin_isolated, decode, deferred, location, promised, Promised};
use crate::core::authorize::{AuthorizeRequest, ResponseMode};
use crate::core::error::Error;
use crate::core::metadata::Endpoints;
use crate::core::response::{AuthResponse, ParamValue};
use crate::core::silent::classify;
use crate::core::url::Url;
use crate::flow::redirect::{Client, Verified};

/// The default time a whole call may take, in ms.
pub(crate) const DEFAULT_TIMEOUT_MS: u32 = 60_000;

/// The message type the provider (or the silent callback page) posts.
const MESSAGE_TYPE: &str = "authorization_response";

/// How long the provider's page may stay silent after it loaded in the iframe. A provider that
/// refuses to be framed shows the browser's error page there instead, which fires `load` but never
/// posts: waiting for the whole timeout would tell nothing more.
const SILENCE_AFTER_LOAD_MS: u32 = 2_000;

/// The hidden iframe waiting for the answer that carries `state`, from `origin` and from that
/// iframe's window only; everything else is ignored. Fails with `frame_refused` when a document
/// loaded in the iframe and nothing answered within [`SILENCE_AFTER_LOAD_MS`] (each new document,
/// as of a provider's script redirect, starts that wait again). The iframe, the listeners and the
/// timer are gone when this is dropped (once answered, or at the caller's deadline), whatever
/// the outcome. A plain future over the answer's Promise, its set-up done when it is opened
/// (wasm size).
struct Answer {
    answered: Promised,
    /// Rejects `answered` when this is dropped unanswered (see `Drop`).
    refuse: Function,
    _frame: HiddenFrame,
    _loaded: EventListener,
    _listener: EventListener,
}

impl Answer {
    /// Takes the request's URL, so that the caller holds no copy of it while it waits (wasm
    /// size).
    fn open(url: String, origin: JsValue, state: &str) -> Result<Answer, Error> {
        let frame = HiddenFrame::open(&url)?;
        // The frame went into the page's document, so the global object is the page's window:
        // taken as it is, with no second check that could fail (wasm size).
        let window: EventTarget = global().unchecked_into();
        // Made after the frame: its failures have no Promise to drop (wasm size).
        let (answered, resolve, reject) = deferred();
        let is_source = frame.is_source();
        // The listener owns the timer: a new document replaces (and clears) it, and removing the
        // listener clears it.
        let mut _silence: Option<Timeout> = None;
        let refuse = reject.clone();
        let loaded = frame.on_load(move || {
            _silence = Some(Timeout::calling(SILENCE_AFTER_LOAD_MS, &reject));
        });
        // Compared in place as JS strings (`===`), without copying each message's into Rust.
        // A `response` whose `state` is the request's (a non-empty string) is an object: a
        // member is read from nothing else (`member` gives `undefined`), so no test of its own.
        let state = JsValue::from_str(state);
        let message_type = JsValue::from_str(MESSAGE_TYPE);
        let listener = EventListener::new(&window, "message", move |event| {
            let data = member(&event, "data");
            let response = member(&data, "response");
            let genuine = member(&event, "origin") == origin
                && is_source(&member(&event, "source"))
                && member(&data, "type") == message_type
                && member(&response, "state") == state;
            if genuine {
                let _ = resolve.call1(&JsValue::UNDEFINED, &response);
            }
        });
        Ok(Answer {
            answered: promised(&answered),
            refuse,
            _frame: frame,
            _loaded: loaded,
            _listener: listener,
        })
    }
}

impl Drop for Answer {
    /// Settles the answer's Promise when the caller gave up on it (its deadline, the session's
    /// end): a Promise that never settles keeps its two callbacks, and what they hold, alive for
    /// good ([`promised`]). Settling a settled Promise does nothing.
    fn drop(&mut self) {
        let _ = self.refuse.call1(&JsValue::UNDEFINED, &JsValue::UNDEFINED);
    }
}

impl Future for Answer {
    type Output = Result<Vec<(String, ParamValue)>, Error>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        Pin::new(&mut self.answered)
            .poll(cx)
            .map(|answered| match answered {
                Ok(response) => Ok(decode::response_pairs(&response)),
                Err(_) => Err(Error::FrameRefused),
            })
    }
}

/// Runs silent authentication for `request` at the provider's `endpoints` and verifies the answer
/// exactly like a redirect response; the code exchange and JWKS fetches stop when `signal` aborts.
pub(crate) async fn check_session(
    client: &Client,
    endpoints: &Endpoints,
    request: &AuthorizeRequest,
    signal: &AbortSignal,
) -> Result<Verified, Error> {
    // The provider's URL and the answer's checks end before the code exchange: nothing of them
    // is held across its waits (wasm size).
    let (grant, tx) = {
        if cross_origin_isolated() {
            return Err(Error::CrossOriginIsolated);
        }
        let (tx, url) = client.start(request, endpoints, None).await?;
        // The origin the answer must come from, as a JS string: the answer's is compared to it in
        // place. The provider's for `web_message`, the silent callback page's otherwise: read
        // here, where it is needed, not kept in every request. Always read: discovery checked the
        // endpoint with this parser (and Auth0's is under the checked domain), and
        // `AuthorizeRequest::new` checked the redirect URI with it; were it not, no answer would
        // be taken (no origin is `undefined`). Made after the wait, and only the origin held
        // across the answer's, not the parsed URL (wasm size).
        let answer_from = match request.response_mode {
            ResponseMode::WebMessage => &endpoints.authorization,
            ResponseMode::Fragment => &request.redirect_uri,
        };
        let answer_origin = JsValue::from(Url::parse(answer_from).as_ref().map(Url::origin));
        let pairs = Answer::open(url, answer_origin, tx.state.expose())?.await?;
        match AuthResponse::from_pairs(&pairs, client.config.issuer(), endpoints.iss_required)? {
            AuthResponse::Error(mut error) => {
                // The provider's URL parsed here, on the error's path only, rather than
                // held across the answer's wait (wasm size); a URL that did not parse counts as
                // another site, with no error branch of its own.
                let app = location::origin().ok().and_then(|o| Url::parse(&o));
                let provider = Url::parse(&endpoints.authorization);
                classify(&mut error, app.as_ref(), provider.as_ref());
                return Err(Error::OAuth(error));
            }
            AuthResponse::Success(params) => (params.into_grant(tx.response_type)?, tx),
        }
    };
    client.finish(grant, tx, endpoints, signal).await
}
