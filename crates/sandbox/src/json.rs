//! The sandbox writes its JSON by hand, the way panels do, so that nothing
//! of the client's codec can hide a bug behind itself.

use std::fmt::Write as _;

/// A JSON value to write. Numbers are kept as the exact text to send.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum J {
    Null,
    Bool(bool),
    /// A bare number, written as this text.
    Num(String),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

impl J {
    pub(crate) fn str(s: impl Into<String>) -> J {
        J::Str(s.into())
    }

    pub(crate) fn obj<const N: usize>(members: [(&str, J); N]) -> J {
        J::Obj(
            members
                .into_iter()
                .map(|(k, v)| (k.to_owned(), v))
                .collect(),
        )
    }

    pub(crate) fn error(text: &str) -> J {
        J::obj([("error", J::str(text))])
    }

    pub(crate) fn render(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    pub(crate) fn write(&self, out: &mut String) {
        match self {
            J::Null => out.push_str("null"),
            J::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            J::Num(n) => out.push_str(n),
            J::Str(s) => write_str(out, s),
            J::Arr(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    item.write(out);
                }
                out.push(']');
            }
            J::Obj(members) => {
                out.push('{');
                for (i, (k, v)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    write_str(out, k);
                    out.push(':');
                    v.write(out);
                }
                out.push('}');
            }
        }
    }
}

/// Writes a JSON string; non-ASCII text is escaped as `\uXXXX` the way PHP
/// panels send it by default.
fn write_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '/' => out.push_str("\\/"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || (c as u32) > 0x7e => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_json_as_php_panels_do() {
        let v = J::obj([
            ("a", J::Num("0.27819000001".into())),
            ("b", J::str("Подписчики 🔥 a/b \"q\"")),
            ("c", J::Arr(vec![J::Null, J::Bool(true)])),
        ]);
        assert_eq!(
            v.render(),
            r#"{"a":0.27819000001,"b":"\u041f\u043e\u0434\u043f\u0438\u0441\u0447\u0438\u043a\u0438 \ud83d\udd25 a\/b \"q\"","c":[null,true]}"#
        );
        let parsed: serde_json::Value = serde_json::from_str(&v.render()).expect("valid JSON");
        assert_eq!(parsed["b"], "Подписчики 🔥 a/b \"q\"");
    }
}
