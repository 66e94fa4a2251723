//! Reading plain JS objects (options, parsed JSON) member by member. The browser's `JSON.parse`
//! does the parsing; this only picks typed values out, which keeps serde out of the wasm.

use js_sys::{Array, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};

use crate::error::Error;
use crate::text::concat;

/// The member `name` of `value` (`undefined` when `value` is not an object).
pub fn member(value: &JsValue, name: &str) -> JsValue {
    if value.is_object() {
        Reflect::get(value, &name.into()).unwrap_or(JsValue::UNDEFINED)
    } else {
        JsValue::UNDEFINED
    }
}

/// Whether `name` is set (neither `undefined` nor `null`).
pub fn has(value: &JsValue, name: &str) -> bool {
    let v = member(value, name);
    !v.is_undefined() && !v.is_null()
}

/// A string member, `None` when absent or of another type.
pub fn string(value: &JsValue, name: &str) -> Option<String> {
    member(value, name).as_string()
}

/// A number member, `None` when absent or of another type.
pub fn number(value: &JsValue, name: &str) -> Option<f64> {
    member(value, name).as_f64()
}

/// A member that is one string or an array of strings (other entries are skipped).
pub fn strings(value: &JsValue, name: &str) -> Vec<String> {
    let v = member(value, name);
    match v.as_string() {
        Some(one) => vec![one],
        None if Array::is_array(&v) => v
            .unchecked_into::<Array>()
            .iter()
            .filter_map(|s| s.as_string())
            .collect(),
        None => Vec::new(),
    }
}

/// The string-valued entries of an object, in property order.
pub fn string_entries(value: &JsValue) -> Vec<(String, Option<String>)> {
    if !value.is_object() {
        return Vec::new();
    }
    Object::entries(value.unchecked_ref())
        .iter()
        .filter_map(|entry| {
            let entry: Array = entry.unchecked_into();
            Some((entry.get(0).as_string()?, entry.get(1).as_string()))
        })
        .collect()
}

/// Parses JSON text that must hold an object.
pub fn parse_json(text: &str) -> Option<JsValue> {
    js_sys::JSON::parse(text)
        .ok()
        .filter(|v| v.is_object() && !Array::is_array(v))
}

/// Reads options typed by the caller: absent (`undefined`/`null`) is `None`, the wrong type an
/// error naming the option, built with `fail`.
#[derive(Debug)]
pub struct Options<'a> {
    value: &'a JsValue,
    fail: fn(String) -> Error,
}

impl<'a> Options<'a> {
    /// Reads `value`; `fail` makes the error (`invalid_configuration` or `invalid_request`).
    pub fn new(value: &'a JsValue, fail: fn(String) -> Error) -> Result<Options<'a>, Error> {
        if value.is_object() || value.is_undefined() || value.is_null() {
            Ok(Options { value, fail })
        } else {
            Err(fail("options must be an object".into()))
        }
    }

    /// An optional string.
    pub fn string(&self, name: &str) -> Result<Option<String>, Error> {
        if !has(self.value, name) {
            return Ok(None);
        }
        string(self.value, name)
            .map(Some)
            .ok_or_else(|| (self.fail)(concat(&[name, " must be a string"])))
    }

    /// An optional number.
    pub fn number(&self, name: &str) -> Result<Option<f64>, Error> {
        if !has(self.value, name) {
            return Ok(None);
        }
        number(self.value, name)
            .map(Some)
            .ok_or_else(|| (self.fail)(concat(&[name, " must be a number"])))
    }

    /// An optional array of strings.
    pub fn strings(&self, name: &str) -> Result<Option<Vec<String>>, Error> {
        if !has(self.value, name) {
            return Ok(None);
        }
        let v = member(self.value, name);
        let all: Option<Vec<String>> = Array::is_array(&v)
            .then(|| {
                v.unchecked_into::<Array>()
                    .iter()
                    .map(|s| s.as_string())
                    .collect()
            })
            .flatten();
        all.map(Some)
            .ok_or_else(|| (self.fail)(concat(&[name, " must be an array of strings"])))
    }

    /// An optional object whose values are all strings.
    pub fn string_map(&self, name: &str) -> Result<Option<Vec<(String, String)>>, Error> {
        if !has(self.value, name) {
            return Ok(None);
        }
        let v = member(self.value, name);
        let entries: Option<Vec<(String, String)>> = v
            .is_object()
            .then(|| {
                string_entries(&v)
                    .into_iter()
                    .map(|(k, v)| Some((k, v?)))
                    .collect()
            })
            .flatten();
        entries
            .map(Some)
            .ok_or_else(|| (self.fail)(concat(&[name, " must be an object of strings"])))
    }

    /// Whether `name` is set at all.
    pub fn has(&self, name: &str) -> bool {
        has(self.value, name)
    }

    /// The raw member.
    pub fn raw(&self, name: &str) -> JsValue {
        member(self.value, name)
    }
}
