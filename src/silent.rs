//! Silent authentication (`checkSession`): the authorization request with `prompt=none` in a
//! hidden iframe, answered by `response_mode=web_message` from the provider's exact origin, or by
//! the app's silent callback page relaying its fragment from the app's own origin.

use js_sys::{Function, Promise};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::MessageEvent;

use crate::authorize::{AuthorizeOptions, AuthorizeRequest, ResponseMode};
use crate::browser::frame::HiddenFrame;
use crate::browser::listener::EventListener;
use crate::browser::object::{member, string_entries};
use crate::browser::{location, window};
use crate::client::{AuthResult, Client};
use crate::error::Error;
use crate::response::AuthResponse;
use crate::text::{concat, decimal};
use crate::url::Url;

/// The default time to wait for the provider, in ms.
pub const DEFAULT_TIMEOUT_MS: u32 = 60_000;

/// The message type the provider (or the silent callback page) posts.
const MESSAGE_TYPE: &str = "authorization_response";

/// The string members of a response object, as form pairs.
fn response_pairs(response: &JsValue) -> Vec<(String, String)> {
    string_entries(response)
        .into_iter()
        .filter_map(|(name, value)| Some((name, value?)))
        .collect()
}

/// Opens the hidden iframe and waits for the answer that carries `state`, from `origin` and from
/// that iframe's window only; everything else is ignored. The iframe, the listener and the timer
/// are gone when this returns, whatever the outcome.
async fn wait_for_answer(
    url: &str,
    origin: &str,
    state: &str,
    timeout_ms: u32,
) -> Result<Vec<(String, String)>, Error> {
    let mut resolve: Option<Function> = None;
    let answered = Promise::new(&mut |ok, _| resolve = Some(ok));
    let resolve =
        resolve.ok_or_else(|| Error::Browser("Promise did not run its executor".into()))?;
    let frame = HiddenFrame::open(url)?;
    let source: JsValue = frame
        .content_window()
        .map(Into::into)
        .unwrap_or(JsValue::NULL);
    let (origin, state) = (origin.to_owned(), state.to_owned());
    let on_answer = resolve.clone();
    let _listener = EventListener::new(&window()?.into(), "message", move |event| {
        let Some(event) = event.dyn_ref::<MessageEvent>() else {
            return;
        };
        let data = event.data();
        let response = member(&data, "response");
        let genuine = event.origin() == origin
            && event.source().is_some_and(|s| JsValue::from(s) == source)
            && member(&data, "type").as_string().as_deref() == Some(MESSAGE_TYPE)
            && response.is_object()
            && member(&response, "state").as_string().as_deref() == Some(state.as_str());
        if genuine {
            let _ = on_answer.call1(&JsValue::UNDEFINED, &response);
        }
    })?;
    let _timer = gloo_timers::callback::Timeout::new(timeout_ms, move || {
        let _ = resolve.call1(&JsValue::UNDEFINED, &JsValue::UNDEFINED);
    });
    let response = JsFuture::from(answered).await.unwrap_or(JsValue::UNDEFINED);
    if response.is_undefined() {
        let waited = decimal(timeout_ms.into());
        return Err(Error::Timeout(concat(&[
            "the provider did not answer within ",
            &waited,
            " ms",
        ])));
    }
    Ok(response_pairs(&response))
}

/// Adds the third-party-cookie explanation to `login_required` when the provider's site differs
/// from the app's: browsers that block third-party cookies hide the provider's session there.
fn explain_cookies(error: Error, provider: &Url) -> Error {
    let app = location::origin().ok().and_then(|o| Url::parse(&o));
    let cross_site = app.is_some_and(|app| app.site() != provider.site());
    match error {
        Error::OAuth(mut e) if cross_site && e.error == "login_required" => {
            e.description.push_str(
                " (the provider is on another site than this app, so a browser that blocks third-party \
                 cookies cannot send its session cookie; serve the provider from a custom domain on the \
                 app's site)",
            );
            Error::OAuth(e)
        }
        other => other,
    }
}

/// The silent request for `options`: `prompt=none`, answered by `web_message` (default) or by a
/// fragment sent to the silent callback page.
pub fn silent_request(
    client: &Client,
    mut options: AuthorizeOptions,
) -> Result<AuthorizeRequest, Error> {
    let mode = match options.response_mode.take().as_deref() {
        None | Some("web_message") => ResponseMode::WebMessage,
        Some("fragment") => ResponseMode::Fragment,
        Some(_) => {
            return Err(Error::InvalidRequest(
                "responseMode must be web_message or fragment".into(),
            ))
        }
    };
    if mode == ResponseMode::Fragment && options.redirect_uri.is_none() {
        let page = client.config.silent_redirect_uri.clone();
        let needed = || {
            Error::InvalidRequest(
                "responseMode fragment needs silentRedirectUri in the configuration".into(),
            )
        };
        options.redirect_uri = Some(page.ok_or_else(needed)?);
    }
    Ok(AuthorizeRequest::new(&client.config, &options)?.silent(mode))
}

/// Runs silent authentication for `request` (from [`silent_request`]) and verifies the answer
/// exactly like a redirect response.
pub async fn check_session(
    client: &Client,
    request: AuthorizeRequest,
    timeout_ms: u32,
) -> Result<AuthResult, Error> {
    let endpoints = client.endpoints().await?;
    let provider = Url::parse(&endpoints.authorization)
        .ok_or_else(|| Error::Provider("the authorization endpoint is not a URL".into()))?;
    let answer_origin = match request.response_mode {
        Some(ResponseMode::WebMessage) => provider.origin(),
        _ => Url::parse(&request.redirect_uri)
            .map(|u| u.origin())
            .unwrap_or_default(),
    };
    let tx = client.transaction(&request, None)?;
    let url = request.url(
        &endpoints.authorization,
        &client.config.client_id,
        &tx.state,
        &tx.nonce,
    );
    let pairs = wait_for_answer(&url, &answer_origin, &tx.state, timeout_ms).await?;
    match AuthResponse::from_pairs(pairs, &endpoints.issuer)? {
        AuthResponse::Error(error) => Err(explain_cookies(error, &provider)),
        AuthResponse::Tokens(tokens) => {
            tokens.check_shape(tx.response_type)?;
            client.finish(tokens, tx).await
        }
    }
}
