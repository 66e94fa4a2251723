//! Reading plain JS objects (options, parsed JSON) member by member. The browser's `JSON.parse`
//! does the parsing; this only picks typed values out, which keeps serde out of the wasm.

use std::cell::Cell;

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

/// Reads options typed by the caller: absent (`undefined`/`null`) is `None`; a value of the
/// wrong type is `None` too, and the first such mistake is kept for [`Options::finish`]. (One
/// exit instead of one per option keeps the wasm small.)
#[derive(Debug)]
pub struct Options<'a> {
    value: &'a JsValue,
    fail: fn(String) -> Error,
    mistake: Cell<Option<&'static str>>,
    name: Cell<&'static str>,
}

impl<'a> Options<'a> {
    /// Reads `value`; `fail` makes the error (`invalid_configuration` or `invalid_request`).
    pub fn new(value: &'a JsValue, fail: fn(String) -> Error) -> Options<'a> {
        let is_options = value.is_object() || value.is_undefined() || value.is_null();
        let mistake = Cell::new((!is_options).then_some(" must be an object"));
        Options {
            value,
            fail,
            mistake,
            name: Cell::new("options"),
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
            self.mistake.set(Some(expected));
            self.name.set(name);
        }
        value
    }

    /// An optional string.
    pub fn string(&self, name: &'static str) -> Option<String> {
        self.get(name, |v| v.as_string(), " must be a string")
    }

    /// An optional number.
    pub fn number(&self, name: &'static str) -> Option<f64> {
        self.get(name, |v| v.as_f64(), " must be a number")
    }

    /// An optional array of strings.
    pub fn strings(&self, name: &'static str) -> Option<Vec<String>> {
        let read = |v: JsValue| -> Option<Vec<String>> {
            let array: Array = v.dyn_into().ok()?;
            array.iter().map(|s| s.as_string()).collect()
        };
        self.get(name, read, " must be an array of strings")
    }

    /// An optional object whose values are all strings.
    pub fn string_map(&self, name: &'static str) -> Option<Vec<(String, String)>> {
        let read = |v: JsValue| -> Option<Vec<(String, String)>> {
            v.is_object()
                .then(|| {
                    string_entries(&v)
                        .into_iter()
                        .map(|(k, v)| Some((k, v?)))
                        .collect()
                })
                .flatten()
        };
        self.get(name, read, " must be an object of strings")
    }

    /// Whether `name` is set at all.
    pub fn has(&self, name: &str) -> bool {
        has(self.value, name)
    }

    /// The first mistake, as an error naming the option.
    pub fn finish(&self) -> Result<(), Error> {
        match self.mistake.get() {
            Some(expected) => Err((self.fail)(concat(&[self.name.get(), expected]))),
            None => Ok(()),
        }
    }
}
