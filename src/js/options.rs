//! The options JavaScript passes, read into the Rust API's types. A value of the wrong type is a
//! clear error naming the option; absent (`undefined` or `null`) means "not set".

use alloc::{string::String, vec::Vec};
use core::cell::Cell;

use js_sys::Array;
use wasm_bindgen::{JsCast, JsValue};

use crate::browser::json::{entries, has, member};
use crate::core::authorize::AuthorizeOptions;
use crate::core::config::{whole_seconds, ConfigOptions};
use crate::core::error::Error;
use crate::core::text::concat;

/// Reads options typed by the caller. The first mistake is kept for [`Options::finish`]: one
/// exit instead of one per option keeps the wasm small.
struct Options<'a> {
    value: &'a JsValue,
    fail: fn(String) -> Error,
    mistake: Cell<Option<(&'static str, &'static str)>>,
}

impl<'a> Options<'a> {
    /// Reads `value`; `fail` makes the error (`invalid_configuration` or `invalid_request`).
    fn new(value: &'a JsValue, fail: fn(String) -> Error) -> Options<'a> {
        let is_options = value.is_object() || value.is_undefined() || value.is_null();
        let mistake = Cell::new((!is_options).then_some(("options", " must be an object")));
        Options {
            value,
            fail,
            mistake,
        }
    }

    fn get<T>(
        &self,
        name: &'static str,
        read: impl FnOnce(JsValue) -> Option<T>,
        expected: &'static str,
    ) -> Option<T> {
        let raw = member(self.value, name);
        if raw.is_undefined() || raw.is_null() {
            return None;
        }
        let value = read(raw);
        if value.is_none() && self.mistake.get().is_none() {
            self.mistake.set(Some((name, expected)));
        }
        value
    }

    fn string(&self, name: &'static str) -> Option<String> {
        self.get(name, |v| v.as_string(), " must be a string")
    }

    fn number(&self, name: &'static str) -> Option<f64> {
        self.get(name, |v| v.as_f64(), " must be a number")
    }

    fn boolean(&self, name: &'static str) -> Option<bool> {
        self.get(name, |v| v.as_bool(), " must be a boolean")
    }

    fn strings(&self, name: &'static str) -> Option<Vec<String>> {
        let read = |v: JsValue| -> Option<Vec<String>> {
            let array: Array = v.dyn_into().ok()?;
            let mut strings = Vec::new();
            for s in array.iter() {
                strings.push(s.as_string()?);
            }
            Some(strings)
        };
        self.get(name, read, " must be an array of strings")
    }

    fn string_map(&self, name: &'static str) -> Option<Vec<(String, String)>> {
        let read = |v: JsValue| -> Option<Vec<(String, String)>> {
            if !v.is_object() {
                return None;
            }
            let mut map = Vec::new();
            for (k, v) in entries(&v) {
                map.push((k, v.as_string()?));
            }
            Some(map)
        };
        self.get(name, read, " must be an object of strings")
    }

    /// The first mistake, as an error naming the option.
    fn finish(&self) -> Result<(), Error> {
        match self.mistake.get() {
            Some((name, expected)) => Err((self.fail)(concat(&[name, expected]))),
            None => Ok(()),
        }
    }
}

/// The options of `new WebAuth(…)`.
pub(crate) fn config_options(options: &JsValue) -> Result<ConfigOptions, Error> {
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
        silent_fallback: o.string("silentFallback"),
        share_across_tabs: o.boolean("shareAcrossTabs"),
    };
    o.finish().map(|()| options)
}

/// The options of `authorize`, `buildAuthorizeUrl` and `checkSession`.
pub(crate) fn authorize_options(options: &JsValue) -> Result<AuthorizeOptions, Error> {
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
        sets_state_or_nonce: has(options, "state") || has(options, "nonce"),
    };
    o.finish().map(|()| options)
}

/// `returnTo` of `logout` and `buildLogoutUrl`.
pub(crate) fn return_to(options: &JsValue) -> Result<Option<String>, Error> {
    let o = Options::new(options, Error::InvalidRequest);
    let return_to = o.string("returnTo");
    o.finish().map(|()| return_to)
}

/// `appState`, kept as JSON text.
pub(crate) fn app_state(options: &JsValue) -> Result<Option<String>, Error> {
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

/// A whole-number option within `0..=max`.
pub(crate) fn whole_number(options: &JsValue, name: &str, max: f64) -> Result<Option<u32>, Error> {
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
