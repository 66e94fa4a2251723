//! A minimal Rust single-page app using `spa_auth::Auth` directly, as a Leptos, Yew or Dioxus app
//! would: configure once, finish a login on the callback, otherwise renew silently, and send the
//! browser to the provider when there is no session. It only has to compile for wasm32; the test
//! command builds it so that the public Rust API stays usable without the JavaScript façade.

#![deny(warnings)]

use spa_auth::{Auth, AuthResult, AuthorizeOptions, ConfigOptions, Error};
use wasm_bindgen::prelude::*;

/// The app's one client of the provider.
pub fn client(origin: &str) -> Result<Auth, Error> {
    Auth::new(&ConfigOptions {
        issuer: Some("https://login.example.com".into()),
        client_id: Some("rust-spa".into()),
        redirect_uri: Some(format!("{origin}/")),
        audience: Some("https://api.example.com/".into()),
        scope: Some("openid profile email read:messages".into()),
        ..ConfigOptions::default()
    })
}

/// What the app shows of a session: never a token.
pub fn greeting(result: &AuthResult) -> String {
    format!("signed in as {}", result.subject)
}

/// Where the app starts: the user's greeting, or `None` after sending the page to the provider.
pub async fn sign_in(auth: &Auth) -> Result<Option<String>, Error> {
    // 1. Back from the provider: verify the callback (a code is exchanged for the tokens).
    if let Some(result) = auth.parse_hash(None, None).await? {
        return Ok(Some(greeting(&result)));
    }
    // 2. A session at the provider may already exist: renew silently in a hidden iframe.
    match auth.check_session(&AuthorizeOptions::default(), Some(10_000)).await {
        Ok(result) => return Ok(Some(greeting(&result))),
        Err(e) if matches!(e.code(), "login_required" | "consent_required" | "interaction_required") => {}
        Err(e) => return Err(e),
    }
    // 3. No session: log in by redirect (build the URL to show a link, or use `authorize`).
    let url = auth
        .build_authorize_url(&AuthorizeOptions::default(), Some("/".into()))
        .await?;
    web_location_assign(&url);
    Ok(None)
}

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = location, js_name = assign)]
    fn web_location_assign(url: &str);
}

/// The entry point JavaScript calls once the module is loaded.
#[wasm_bindgen]
pub async fn start(origin: String) -> Result<JsValue, JsValue> {
    let auth = client(&origin).map_err(|e| JsValue::from_str(e.code()))?;
    match sign_in(&auth).await {
        Ok(Some(text)) => Ok(JsValue::from_str(&text)),
        Ok(None) => Ok(JsValue::NULL),
        Err(e) => Err(JsValue::from_str(&format!("{}: {}", e.code(), e.description()))),
    }
}
