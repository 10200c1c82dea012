//! Recognising a panel's refusal in every shape panels write it.
//!
//! Most panels answer `{"error": "text"}`. Others nest the text
//! (`{"error": {"message": "..."}}`), list it (`{"errors": [...]}`), or
//! use a flag (`{"status": "error", "message": "..."}`,
//! `{"success": false, "message": "..."}`). Some answer an error without
//! any text (`{"error": ""}`, `{"error": null}`): that is still an error,
//! but it does not say what happened, so an `add` answered that way may
//! have created an order.

use std::fmt;

use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;

use crate::wire::shape::{Member, Name, Shape, first_byte, json_start, member, parse_body};

/// A refusal read from an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ErrorAnswer {
    /// The panel's own text; empty when it gave none.
    pub message: String,
    /// Whether the answer says plainly that the request failed: a non-empty
    /// `error`, `errors`, `success: false` or `status: "error"` with a
    /// message. `{"error": ""}` and `{"error": null}` alone are errors too,
    /// but not definite ones.
    pub definite: bool,
}

/// Members that only ever describe an error, never a result.
const ERRORISH: [&str; 7] = [
    "error",
    "errors",
    "message",
    "msg",
    "code",
    "error_code",
    "success",
];

/// The names a nested error object keeps its text under.
const TEXT_KEYS: [&str; 6] = ["message", "msg", "text", "description", "detail", "error"];

fn value(raw: &RawValue) -> Option<Value> {
    serde_json::from_str(raw.get()).ok()
}

/// The texts in an error value: a string, the strings of a list, the text
/// member of an object (or its strings), at most a few levels deep.
fn texts(v: &Value, depth: usize, out: &mut Vec<String>) {
    if depth > 4 || out.len() >= 10 {
        return;
    }
    match v {
        Value::String(s) if !s.trim().is_empty() => out.push(s.trim().to_owned()),
        Value::Array(items) => items.iter().for_each(|i| texts(i, depth + 1, out)),
        Value::Object(m) => match TEXT_KEYS.iter().find_map(|k| m.get(*k)) {
            Some(t) => texts(t, depth + 1, out),
            None => m.values().for_each(|i| texts(i, depth + 1, out)),
        },
        _ => {}
    }
}

fn joined(v: &Value) -> String {
    let mut out = Vec::new();
    texts(v, 0, &mut out);
    out.join("; ")
}

/// The text of the `message` or `msg` member, if any.
fn sibling_message(members: &[Member<'_>]) -> String {
    ["message", "msg"]
        .iter()
        .filter_map(|k| member(members, k).and_then(value))
        .map(|v| joined(&v))
        .find(|t| !t.is_empty())
        .unwrap_or_default()
}

fn is_false(v: &Value) -> bool {
    match v {
        Value::Bool(b) => !b,
        Value::Number(n) => n.as_u64() == Some(0),
        Value::String(s) => matches!(s.trim().to_ascii_lowercase().as_str(), "false" | "0"),
        _ => false,
    }
}

/// The refusal an object states, if it is one.
pub(crate) fn error_answer_of(members: &[Member<'_>]) -> Option<ErrorAnswer> {
    let only_errorish = || members.iter().all(|(k, _)| ERRORISH.contains(&k.as_ref()));
    let definite = |message: String| {
        Some(ErrorAnswer {
            message,
            definite: true,
        })
    };
    let mut empty_error = false;
    if let Some(error) = member(members, "error").and_then(value) {
        match &error {
            Value::Null | Value::Bool(false) => empty_error = true,
            Value::String(s) if s.trim().is_empty() => empty_error = true,
            Value::Number(n) if n.as_u64() == Some(0) => empty_error = true,
            Value::Bool(true) | Value::Number(_) => {
                let text = sibling_message(members);
                return definite(if text.is_empty() && error.is_number() {
                    error.to_string()
                } else {
                    text
                });
            }
            Value::Array(items) if items.is_empty() => empty_error = true,
            other => {
                let text = joined(other);
                return definite(if text.is_empty() {
                    other.to_string()
                } else {
                    text
                });
            }
        }
    }
    if let Some(errors) = member(members, "errors").and_then(value) {
        let text = joined(&errors);
        if !text.is_empty() {
            return definite(text);
        }
    }
    if member(members, "success")
        .and_then(value)
        .is_some_and(|v| is_false(&v))
    {
        return definite(sibling_message(members));
    }
    // The members' names first: an order's status has others, and is then
    // not read again here.
    if members
        .iter()
        .all(|(k, _)| k == "status" || ERRORISH.contains(&k.as_ref()))
        && let Some(Value::String(status)) = member(members, "status").and_then(value)
        && status.trim().eq_ignore_ascii_case("error")
    {
        let text = sibling_message(members);
        if !text.is_empty() {
            return definite(text);
        }
    }
    (empty_error && only_errorish()).then(|| ErrorAnswer {
        message: sibling_message(members),
        definite: false,
    })
}

/// The refusal a body states, whatever its HTTP status: `None` when the
/// body is not an object that states one.
///
/// ```
/// use smmkit_provider_core::wire::error_answer;
/// let e = error_answer(br#"{"error":{"message":"Invalid API key","code":401}}"#).unwrap();
/// assert_eq!((e.message.as_str(), e.definite), ("Invalid API key", true));
/// let e = error_answer(br#"{"success":false,"message":"Not enough funds"}"#).unwrap();
/// assert_eq!(e.message, "Not enough funds");
/// assert!(!error_answer(br#"{"error":""}"#).unwrap().definite);
/// assert!(error_answer(br#"{"error":null,"order":7}"#).is_none());
/// ```
pub fn error_answer(body: &[u8]) -> Option<ErrorAnswer> {
    match first_byte(body) {
        // Every answer is looked at here before it is decoded: most have no
        // member a refusal needs, which one pass without copies says.
        Some(b'{') if !may_state_a_refusal(body) => None,
        Some(b'{') => match parse_body(crate::error::Action::Status, body) {
            Ok(Shape::Object(members)) => error_answer_of(&members),
            _ => None,
        },
        _ => None,
    }
}

/// Whether the object `body` has a member a refusal is stated with
/// (`error`, `errors`, `success`, `status`; [`error_answer_of`] reads no
/// other without one of them), or cannot be read that way: its keys
/// compared as read (borrowed unless an escape must be undone), its
/// values skipped.
fn may_state_a_refusal(body: &[u8]) -> bool {
    serde_json::Deserializer::from_slice(json_start(body))
        .deserialize_map(AnyRefusalKey)
        .unwrap_or(true)
}

/// Whether any key of an object is one a refusal is stated with.
struct AnyRefusalKey;

impl<'de> Visitor<'de> for AnyRefusalKey {
    type Value = bool;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<bool, A::Error> {
        let mut any = false;
        while let Some(name) = map.next_key_seed(Name)? {
            map.next_value::<IgnoredAny>()?;
            any |= matches!(&*name, "error" | "errors" | "success" | "status");
        }
        Ok(any)
    }
}

/// The panel's error text, when `body` is an object that states a refusal.
///
/// ```
/// use smmkit_provider_core::wire::error_message;
/// assert_eq!(error_message(br#"{"error":"Invalid API key"}"#).as_deref(), Some("Invalid API key"));
/// assert_eq!(error_message(b"<html>502</html>"), None);
/// assert_eq!(error_message(br#"{"order":1}"#), None);
/// ```
pub fn error_message(body: &[u8]) -> Option<String> {
    error_answer(body).map(|e| e.message)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(body: &str) -> Option<(String, bool)> {
        error_answer(body.as_bytes()).map(|e| (e.message, e.definite))
    }

    fn yes(m: &str) -> Option<(String, bool)> {
        Some((m.to_owned(), true))
    }

    /// `error_answer` without the pass that rules refusals out.
    fn read_whole(body: &str) -> Option<ErrorAnswer> {
        match parse_body(crate::error::Action::Status, body.as_bytes()) {
            Ok(Shape::Object(members)) => error_answer_of(&members),
            _ => None,
        }
    }

    #[test]
    fn ruling_a_refusal_out_first_reads_the_same() {
        for body in [
            r#"{"1001":{"status":"Completed","charge":"0.27"},"1002":{"error":"Incorrect order ID"}}"#,
            r#"{"order":23501}"#,
            r#"{"\u0065rror":"Escaped key"}"#,
            r#"{"erro\u0072s":["Escaped too"]}"#,
            r#"{"st\u0061tus":"error","message":"Not enough funds"}"#,
            r#"{"order":1,"success":false}"#,
            r#"{"error":"x"} trailing"#,
            r#"{"order":1} trailing"#,
            r#"{"order":"#,
            r#"{"error":"#,
            r#"{"a":[1,{"error":"nested"}],"b":"\"error\""}"#,
            "{}",
        ] {
            assert_eq!(error_answer(body.as_bytes()), read_whole(body), "{body}");
        }
        assert_eq!(
            answer(r#"{"\u0065rror":"Escaped key"}"#),
            yes("Escaped key")
        );
        assert!(!may_state_a_refusal(
            br#"{"1":{"status":"Completed"},"2":{"error":"x"}}"#
        ));
        assert!(may_state_a_refusal(br#"{"1":{},"errors":[]}"#));
        assert!(may_state_a_refusal(br#"{"1":"#));
    }

    #[test]
    fn every_shape_of_refusal_is_read() {
        assert_eq!(
            answer(r#"{"error":"Incorrect link"}"#),
            yes("Incorrect link")
        );
        assert_eq!(
            answer(r#"{"error":{"message":"Invalid API key","code":401}}"#),
            yes("Invalid API key")
        );
        assert_eq!(
            answer(r#"{"errors":["Incorrect link","Quantity less than minimal 10"]}"#),
            yes("Incorrect link; Quantity less than minimal 10")
        );
        assert_eq!(
            answer(r#"{"errors":{"link":["The link field is required."]}}"#),
            yes("The link field is required.")
        );
        assert_eq!(
            answer(r#"{"status":"error","message":"Not enough funds on balance"}"#),
            yes("Not enough funds on balance")
        );
        assert_eq!(
            answer(r#"{"success":false,"message":"Service not found"}"#),
            yes("Service not found")
        );
        assert_eq!(answer(r#"{"success":"false"}"#), yes(""));
        assert_eq!(
            answer(r#"{"error":true,"msg":"Wrong key"}"#),
            yes("Wrong key")
        );
        assert_eq!(answer(r#"{"error":{"code":5}}"#), yes(r#"{"code":5}"#));
        assert_eq!(answer(r#"{"error":""}"#), Some((String::new(), false)));
        assert_eq!(answer(r#"{"error":null}"#), Some((String::new(), false)));
        assert_eq!(
            answer(r#"{"error":null,"message":"Try later"}"#),
            Some(("Try later".into(), false))
        );
    }

    #[test]
    fn answers_that_are_results_are_not_refusals() {
        for body in [
            r#"{"order":23501}"#,
            r#"{"error":null,"order":7}"#,
            r#"{"error":"","status":"Completed","charge":"1"}"#,
            r#"{"status":"Error","charge":"0.5","remains":"10"}"#,
            r#"{"status":"Error"}"#,
            r#"{"status":"error","message":"x","charge":"1"}"#,
            r#"{"errors":[]}"#,
            r#"{"success":true,"balance":"1.00"}"#,
            r#"[{"error":"x"}]"#,
            "<html>error</html>",
        ] {
            assert_eq!(answer(body), None, "{body}");
        }
    }
}
