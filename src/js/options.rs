//! The options JavaScript passes, read into the Rust API's types. A value of the wrong type is a
//! clear error naming the option; absent (`undefined` or `null`) means "not set".

use alloc::{string::String, vec::Vec};
use core::cell::Cell;

use js_sys::{Array, Object};
use wasm_bindgen::{JsCast, JsValue};

use crate::browser::json::{self, has, member};
use crate::core::authorize::AuthorizeOptions;
use crate::core::config::{whole_seconds, ConfigOptions};
use crate::core::error::Error;
use crate::core::text::concat;
use crate::flow::session::Auth;

/// Reads options typed by the caller. The first mistake is kept for [`Options::finish`]: one
/// exit instead of one per option keeps the wasm small. A call reads its options in the order
/// their mistakes are reported, each straight into the place it is kept, and then finishes (a
/// struct returned through a `Result` would be moved once more: wasm size).
pub(crate) struct Options<'a> {
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

    /// Reads the members of options that may be of any type, others ignored (`parseHash`'s,
    /// `startAutoRenew`'s): only a member of the wrong type is a mistake (`invalid_request`).
    pub(crate) fn members(value: &'a JsValue) -> Options<'a> {
        Options {
            value,
            fail: Error::InvalidRequest,
            mistake: Cell::new(None),
        }
    }

    /// Reads the options of a call (`invalid_request`).
    pub(crate) fn call(value: &'a JsValue) -> Options<'a> {
        Options::new(value, Error::InvalidRequest)
    }

    fn get<T>(
        &self,
        name: &'static str,
        read: impl FnOnce(JsValue) -> Option<T>,
        expected: &'static str,
    ) -> Option<T> {
        let raw = self.given(name, false)?;
        self.noted(read(raw), name, expected)
    }

    /// The member `name` when it is set: not `undefined`, nor `null` unless `null_is_set`. One
    /// non-generic reader for every option's type (wasm size).
    fn given(&self, name: &str, null_is_set: bool) -> Option<JsValue> {
        // Options left out (`parseHash()`) have no members, and are not asked for one: there
        // `Reflect.get` throws, and a page's first throw costs it about a millisecond.
        if self.value.is_undefined() {
            return None;
        }
        let raw = member(self.value, name);
        (!raw.is_undefined() && (null_is_set || !raw.is_null())).then_some(raw)
    }

    /// `value`, keeping `name`'s mistake when there is none and no earlier one.
    fn noted<T>(&self, value: Option<T>, name: &'static str, expected: &'static str) -> Option<T> {
        self.note(value.is_some(), name, expected);
        value
    }

    /// Keeps `name`'s mistake unless `ok`, or an earlier mistake is kept. Out of line: one copy
    /// for every reader, not one inlined into each (wasm size).
    #[inline(never)]
    fn note(&self, ok: bool, name: &'static str, expected: &'static str) {
        if !ok && self.mistake.get().is_none() {
            self.mistake.set(Some((name, expected)));
        }
    }

    pub(crate) fn string(&self, name: &'static str) -> Option<String> {
        self.get(name, |v| v.as_string(), " must be a string")
    }

    /// [`Options::string`] written into `slot`, the field of the options' struct it is kept in:
    /// one copy in this function instead of one per field where the struct is built (wasm size).
    #[inline(never)]
    fn string_to(&self, slot: &mut Option<String>, name: &'static str) {
        *slot = self.string(name);
    }

    fn number(&self, name: &'static str) -> Option<f64> {
        self.get(name, |v| v.as_f64(), " must be a number")
    }

    fn boolean(&self, name: &'static str) -> Option<bool> {
        // Compared with `true` and `false` (`===`), not read by `as_bool`: no import of its own
        // (wasm size).
        let read = |v: JsValue| {
            let is_true = v == JsValue::TRUE;
            (is_true || v == JsValue::FALSE).then_some(is_true)
        };
        self.get(name, read, " must be a boolean")
    }

    /// An array of strings, read by the browser layer's reader of string lists, which skips
    /// entries of other types: when it kept as many as the array holds, all were strings. One
    /// loop over a JS array of strings for the options and the provider's documents (wasm size;
    /// the member is read twice, as a plain options object gives the same array both times).
    fn strings(&self, name: &'static str) -> Option<Vec<String>> {
        let raw = self.given(name, false)?;
        let strings = Array::is_array(&raw)
            .then(|| json::strings(self.value, name))
            .filter(|strings| strings.len() == raw.unchecked_ref::<Array>().length() as usize);
        self.noted(strings, name, " must be an array of strings")
    }

    fn string_map(&self, name: &'static str) -> Option<Vec<(String, String)>> {
        // Straight from `Object.entries`, whose names are strings: no list of names and JS
        // values in between (wasm size).
        let read = |v: JsValue| -> Option<Vec<(String, String)>> {
            if !v.is_object() {
                return None;
            }
            let mut map = Vec::new();
            for entry in Object::entries(v.unchecked_ref()).iter() {
                let entry: Array = entry.unchecked_into();
                map.push((
                    entry.get_unchecked(0).as_string()?,
                    entry.get_unchecked(1).as_string()?,
                ));
            }
            Some(map)
        };
        self.get(name, read, " must be an object of strings")
    }

    /// A whole-number option within `0..=max`; only `undefined` means "not set" (`null` is a
    /// mistake, as for `appState`).
    pub(crate) fn whole_number(&self, name: &'static str, max: f64) -> Option<u32> {
        let number = self
            .given(name, true)?
            .as_f64()
            .and_then(|n| whole_seconds(n, max));
        let number = self.noted(number, name, " must be a whole number within range");
        number.map(|n| n as u32)
    }

    /// A string option where only `undefined` means "not set" (`null` is a mistake).
    pub(crate) fn text(&self, name: &'static str) -> Option<String> {
        let text = self.given(name, true)?.as_string();
        self.noted(text, name, " must be a string")
    }

    /// `appState`, kept as JSON text (`null` included).
    pub(crate) fn app_state(&self) -> Option<String> {
        let value = self.given("appState", true)?;
        let text = js_sys::JSON::stringify(&value)
            .ok()
            .and_then(|s| s.as_string());
        self.noted(text, "appState", " must be serialisable as JSON")
    }

    /// The options of the authorize request.
    pub(crate) fn authorize(&self) -> AuthorizeOptions {
        let mut options = AuthorizeOptions::default();
        self.string_to(&mut options.scope, "scope");
        self.string_to(&mut options.audience, "audience");
        self.string_to(&mut options.prompt, "prompt");
        options.max_age = self.number("maxAge");
        self.string_to(&mut options.login_hint, "loginHint");
        self.string_to(&mut options.connection, "connection");
        self.string_to(&mut options.organization, "organization");
        self.string_to(&mut options.invitation, "invitation");
        self.string_to(&mut options.ui_locales, "uiLocales");
        self.string_to(&mut options.acr_values, "acrValues");
        self.string_to(&mut options.display, "display");
        self.string_to(&mut options.response_mode, "responseMode");
        self.string_to(&mut options.response_type, "responseType");
        self.string_to(&mut options.redirect_uri, "redirectUri");
        options.extra_params = self.string_map("extraParams");
        options.sets_state_or_nonce = has(self.value, "state") || has(self.value, "nonce");
        options
    }

    /// The first mistake, as an error naming the option.
    pub(crate) fn finish(&self) -> Result<(), Error> {
        match self.mistake.get() {
            Some((name, expected)) => Err((self.fail)(concat(&[name, expected]))),
            None => Ok(()),
        }
    }
}

/// The session of `new WebAuth(options)`, its options read and checked. They are passed on from
/// where they were read, not returned first: one move of the whole struct fewer (wasm size).
pub(crate) fn configured_auth(options: &JsValue) -> Result<Auth, Error> {
    let o = Options::new(options, Error::Configuration);
    let mut options = ConfigOptions::default();
    o.string_to(&mut options.domain, "domain");
    o.string_to(&mut options.issuer, "issuer");
    o.string_to(&mut options.client_id, "clientId");
    o.string_to(&mut options.redirect_uri, "redirectUri");
    o.string_to(&mut options.response_type, "responseType");
    o.string_to(&mut options.scope, "scope");
    o.string_to(&mut options.audience, "audience");
    options.leeway = o.number("leeway");
    options.max_age = o.number("maxAge");
    o.string_to(&mut options.silent_redirect_uri, "silentRedirectUri");
    options.algorithms = o.strings("algorithms");
    o.string_to(&mut options.silent_fallback, "silentFallback");
    options.share_across_tabs = o.boolean("shareAcrossTabs");
    // The options dropped at one place, whether they were usable or not (wasm size).
    o.finish().and_then(|()| Auth::new(&options))
}

/// The longest `timeout` of a call, in ms: what a browser timer can wait.
pub(crate) const MAX_TIMEOUT_MS: f64 = i32::MAX as f64;
