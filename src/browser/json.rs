//! Plain JS objects (options, parsed JSON) read member by member, and built. The browser's
//! `JSON.parse` does the parsing; this only picks typed values out, which keeps serde out of the
//! wasm.

use alloc::{string::String, vec::Vec};
use js_sys::{Array, Function};
use wasm_bindgen::prelude::wasm_bindgen;
use wasm_bindgen::{JsCast, JsValue};

#[wasm_bindgen]
extern "C" {
    /// `Reflect.get(target, name)` with the name passed as the text it is, not as a JS string
    /// made first and dropped after (wasm size). It throws for a target that is not an object,
    /// or when a getter throws.
    #[wasm_bindgen(catch, js_namespace = Reflect, js_name = get)]
    fn get(target: &JsValue, name: &str) -> Result<JsValue, JsValue>;

    /// `Reflect.set(target, name, value)`, the name passed as text, as for [`get`]. It throws for
    /// a target that is not an object, or when a setter throws (`location.href`'s, say).
    #[wasm_bindgen(catch, js_namespace = Reflect, js_name = set)]
    pub(crate) fn set_member(
        target: &JsValue,
        name: &str,
        value: &JsValue,
    ) -> Result<bool, JsValue>;
}

/// The member `name` of `value`; `undefined` when `value` is not an object (or a function), for
/// which `Reflect.get` throws: no test of its own here (wasm size).
pub(crate) fn member(value: &JsValue, name: &str) -> JsValue {
    get(value, name).unwrap_or(JsValue::UNDEFINED)
}

/// Calls `target.name(argument)`: `Err` with what it threw, or when it has no such method. The
/// method is read as a member and called through `Function.call`, whose binding every such call
/// shares: no import and no glue of its own per method (wasm size).
pub(crate) fn call(target: &JsValue, name: &str, argument: &JsValue) -> Result<JsValue, JsValue> {
    let method: Function = member(target, name).unchecked_into();
    method.call1(target, argument)
}

/// Calls `target.name(first, second)`, as [`call`] does, through the binding of `Function.call`
/// with three arguments (the third `undefined`, which a two-argument method ignores).
pub(crate) fn call2(
    target: &JsValue,
    name: &str,
    first: &JsValue,
    second: &JsValue,
) -> Result<JsValue, JsValue> {
    let method: Function = member(target, name).unchecked_into();
    method.call3(target, first, second, &JsValue::UNDEFINED)
}

/// Whether `name` is set (neither `undefined` nor `null`).
pub(crate) fn has(value: &JsValue, name: &str) -> bool {
    let v = member(value, name);
    !v.is_undefined() && !v.is_null()
}

/// A string member, `None` when absent or of another type.
pub(crate) fn string(value: &JsValue, name: &str) -> Option<String> {
    member(value, name).as_string()
}

/// A number member, `None` when absent or of another type.
pub(crate) fn number(value: &JsValue, name: &str) -> Option<f64> {
    member(value, name).as_f64()
}

/// A member that is one string or an array of strings (other entries are skipped).
pub(crate) fn strings(value: &JsValue, name: &str) -> Vec<String> {
    let v = member(value, name);
    // One string is read as an array of one, so that one loop serves both shapes.
    let list: Array = if Array::is_array(&v) {
        v.unchecked_into()
    } else {
        Array::of1(&v)
    };
    let mut strings = Vec::new();
    for s in list.iter() {
        if let Some(s) = s.as_string() {
            strings.push(s);
        }
    }
    strings
}

/// Parses JSON text that must hold an object.
pub(crate) fn parse_json(text: &str) -> Option<JsValue> {
    match js_sys::JSON::parse(text) {
        Ok(value) if value.is_object() && !Array::is_array(&value) => Some(value),
        _ => None,
    }
}

/// Sets `name` on a plain object. Setting a property of a plain object cannot fail, so the
/// result is not looked at.
pub(crate) fn set(target: &JsValue, name: &str, value: &JsValue) {
    let _ = set_member(target, name, value);
}
