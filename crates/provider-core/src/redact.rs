//! Removing a secret from texts in every spelling a panel can echo it in.
//!
//! A panel that echoes its request back shows the key as it received it:
//! raw, percent-encoded (`%2F`, `%2f`, `+` or `%20` for a space), escaped
//! for JSON (`\/`, `\"`, `\u00e9`) or for HTML (`&amp;`, `&#39;`,
//! `&#x2F;`). A [`Redactor`] matches the key with each of its characters in
//! any of those spellings, mixed freely, and replaces it. Excerpts of long
//! bodies are cut, so a key can also end an excerpt half-way: a start of
//! the key that runs into the end of the text or into the `…` of a cut is
//! replaced too.

use std::borrow::Cow;

/// What a redacted secret becomes.
pub const REDACTED: &str = "[redacted]";

/// How many characters of a key must end a text before they count as a
/// cut-off key (fewer for shorter keys).
const CUT_PREFIX: usize = 4;

/// Removes one secret from texts, in every spelling a panel echoes.
///
/// ```
/// use smmkit_provider_core::Redactor;
/// let r = Redactor::new("Ab/cd+ef==");
/// assert_eq!(r.redact("key=Ab%2Fcd%2Bef%3D%3D&action=balance"), "key=[redacted]&action=balance");
/// assert_eq!(r.redact(r#"{"key":"Ab\/cd+ef=="}"#), r#"{"key":"[redacted]"}"#);
/// assert_eq!(r.redact("<p>your key Ab/cd…"), "<p>your key [redacted]…");
/// assert_eq!(r.redact("nothing here"), "nothing here");
/// ```
#[derive(Clone)]
pub struct Redactor {
    /// For each character of the secret, every spelling it may take.
    spellings: Vec<Vec<Vec<u8>>>,
}

impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Redactor([redacted])")
    }
}

fn push_hex(out: &mut Vec<Vec<u8>>, prefix: &str, n: u32, width: usize, suffix: &str) {
    out.push(format!("{prefix}{n:0width$X}{suffix}").into_bytes());
    out.push(format!("{prefix}{n:0width$x}{suffix}").into_bytes());
}

/// Every spelling of one character that a panel may echo.
fn spellings_of(c: char) -> Vec<Vec<u8>> {
    let mut out: Vec<Vec<u8>> = vec![c.to_string().into_bytes()];
    // Percent-encoding of each UTF-8 byte, and `+` for a space.
    let mut utf8 = [0u8; 4];
    let bytes = c.encode_utf8(&mut utf8).as_bytes();
    let mut upper = String::new();
    let mut lower = String::new();
    for b in bytes {
        upper.push_str(&format!("%{b:02X}"));
        lower.push_str(&format!("%{b:02x}"));
    }
    out.push(upper.into_bytes());
    out.push(lower.into_bytes());
    if c == ' ' {
        out.push(b"+".to_vec());
    }
    // JSON escapes, PHP's `\/` and `\u00e9` among them.
    match c {
        '/' => out.push(b"\\/".to_vec()),
        '"' => out.push(b"\\\"".to_vec()),
        '\\' => out.push(b"\\\\".to_vec()),
        _ => {}
    }
    let mut units = [0u16; 2];
    let units = c.encode_utf16(&mut units);
    match units {
        [one] => push_hex(&mut out, "\\u", u32::from(*one), 4, ""),
        [hi, lo] => {
            let pair = |up: bool| {
                if up {
                    format!("\\u{:04X}\\u{:04X}", hi, lo)
                } else {
                    format!("\\u{:04x}\\u{:04x}", hi, lo)
                }
            };
            out.push(pair(true).into_bytes());
            out.push(pair(false).into_bytes());
        }
        _ => {}
    }
    // HTML escapes: named and numeric references.
    let named: &[&str] = match c {
        '&' => &["&amp;"],
        '<' => &["&lt;"],
        '>' => &["&gt;"],
        '"' => &["&quot;"],
        '\'' => &["&apos;"],
        '/' => &["&sol;"],
        '=' => &["&equals;"],
        '+' => &["&plus;"],
        '%' => &["&percnt;"],
        ' ' => &["&nbsp;"],
        _ => &[],
    };
    out.extend(named.iter().map(|n| n.as_bytes().to_vec()));
    let code = u32::from(c);
    out.push(format!("&#{code};").into_bytes());
    out.push(format!("&#{code:03};").into_bytes());
    push_hex(&mut out, "&#x", code, 1, ";");
    push_hex(&mut out, "&#x", code, 2, ";");
    out.sort();
    out.dedup();
    out
}

impl Redactor {
    /// A redactor for `secret`.
    pub fn new(secret: &str) -> Redactor {
        Redactor {
            spellings: secret.chars().map(spellings_of).collect(),
        }
    }

    /// Whether the secret is empty, so that nothing is ever redacted.
    pub fn is_empty(&self) -> bool {
        self.spellings.is_empty()
    }

    /// Where a spelling of the secret that starts at `start` ends: the end
    /// of a whole match, or of a start of the secret (at least a few
    /// characters) that runs into the end of `text` or into a `…`.
    fn match_at(&self, text: &[u8], start: usize) -> Option<usize> {
        let cut_after = CUT_PREFIX.min(self.spellings.len());
        let ellipsis = "…".as_bytes();
        // Where the text is cut after `p` while spelling the next character
        // (`spellings`): at the end, at a `…`, or part-way through a spelling.
        let cut_at = |p: usize, spellings: &[Vec<u8>]| -> Option<usize> {
            let rest = &text[p..];
            let len = rest
                .windows(ellipsis.len())
                .position(|w| w == ellipsis)
                .unwrap_or(rest.len());
            let (head, tail) = rest.split_at(len);
            let at_end = tail.is_empty() || tail.starts_with(ellipsis);
            let partial = head.is_empty()
                || spellings
                    .iter()
                    .any(|s| s.len() > head.len() && s.starts_with(head));
            (at_end && partial).then_some(p + len)
        };
        let mut states = vec![start];
        let mut cut_end = None;
        for (matched, spellings) in self.spellings.iter().enumerate() {
            if matched >= cut_after
                && let Some(end) = states.iter().find_map(|&p| cut_at(p, spellings))
            {
                cut_end = Some(end);
            }
            let mut next: Vec<usize> = Vec::with_capacity(states.len());
            for &p in &states {
                for s in spellings {
                    if text[p..].starts_with(s) && !next.contains(&(p + s.len())) {
                        next.push(p + s.len());
                    }
                }
            }
            if next.is_empty() {
                return cut_end;
            }
            states = next;
        }
        states.into_iter().max()
    }

    /// `text` with every spelling of the secret replaced by `[redacted]`.
    pub fn redact<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if self.spellings.is_empty() || text.is_empty() {
            return Cow::Borrowed(text);
        }
        let bytes = text.as_bytes();
        let mut out: Option<String> = None;
        let mut copied = 0;
        let mut i = 0;
        while i < bytes.len() {
            if !text.is_char_boundary(i) {
                i += 1;
                continue;
            }
            match self.match_at(bytes, i) {
                Some(end) if end > i => {
                    let o = out.get_or_insert_with(|| String::with_capacity(text.len()));
                    o.push_str(&text[copied..i]);
                    o.push_str(REDACTED);
                    copied = end;
                    i = end;
                }
                _ => i += 1,
            }
        }
        match out {
            None => Cow::Borrowed(text),
            Some(mut o) => {
                o.push_str(&text[copied..]);
                Cow::Owned(o)
            }
        }
    }

    /// Redacts `text` in place.
    pub fn scrub(&self, text: &mut String) {
        if let Cow::Owned(clean) = self.redact(text) {
            *text = clean;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "Ab/cd+ef== x&y%z\"<é>'🔑";

    fn encodings(key: &str) -> Vec<String> {
        let form: String = url::form_urlencoded::byte_serialize(key.as_bytes()).collect();
        let percent20 = form.replace('+', "%20");
        let lower = {
            let mut s = String::new();
            let mut chars = percent20.chars().peekable();
            while let Some(c) = chars.next() {
                s.push(c);
                if c == '%' {
                    for _ in 0..2 {
                        if let Some(h) = chars.next() {
                            s.push(h.to_ascii_lowercase());
                        }
                    }
                }
            }
            s
        };
        let quoted = serde_json::to_string(key).unwrap_or_default();
        let json = quoted[1..quoted.len() - 1].to_owned();
        let php: String = key
            .chars()
            .map(|c| match c {
                '/' => "\\/".to_owned(),
                '"' => "\\\"".to_owned(),
                c if !c.is_ascii() => c
                    .encode_utf16(&mut [0; 2])
                    .iter()
                    .map(|u| format!("\\u{u:04x}"))
                    .collect(),
                c => c.to_string(),
            })
            .collect();
        let html: String = key
            .chars()
            .map(|c| match c {
                '&' => "&amp;".to_owned(),
                '<' => "&lt;".to_owned(),
                '>' => "&gt;".to_owned(),
                '"' => "&quot;".to_owned(),
                '\'' => "&#039;".to_owned(),
                c => c.to_string(),
            })
            .collect();
        vec![key.to_owned(), form, percent20, lower, json, php, html]
    }

    #[test]
    fn every_spelling_is_redacted() {
        let r = Redactor::new(KEY);
        for spelling in encodings(KEY) {
            let text = format!("GET /api/v2?key={spelling}&action=balance — {spelling}!");
            let clean = r.redact(&text);
            assert_eq!(
                clean, "GET /api/v2?key=[redacted]&action=balance — [redacted]!",
                "{spelling}"
            );
        }
    }

    #[test]
    fn a_key_cut_off_at_the_end_is_redacted() {
        let r = Redactor::new(KEY);
        let chars: Vec<char> = KEY.chars().collect();
        for n in 4..chars.len() {
            let prefix: String = chars[..n].iter().collect();
            for spelling in encodings(&prefix) {
                for end in ["", "…", "…\" rest"] {
                    let text = format!("body starts: xx{spelling}{end}");
                    let clean = r.redact(&text);
                    assert_eq!(clean, format!("body starts: xx[redacted]{end}"), "{text}");
                }
                // Cut part-way through the spelling of the next character.
                let next = chars[n];
                for partial in encodings(&next.to_string()) {
                    for cut in 1..partial.len() {
                        if !partial.is_char_boundary(cut) {
                            continue;
                        }
                        let text = format!("xx {spelling}{}…", &partial[..cut]);
                        let clean = r.redact(&text);
                        assert_eq!(clean, "xx [redacted]…", "{text}");
                    }
                }
            }
        }
        // A start of the key in the middle of a text is left alone.
        assert_eq!(r.redact("Ab/cd and more"), "Ab/cd and more");
    }

    #[test]
    fn other_text_is_untouched_and_not_copied() {
        let r = Redactor::new("sentinel-key");
        assert!(matches!(
            r.redact("a plain error message"),
            Cow::Borrowed(_)
        ));
        assert_eq!(
            r.redact("ж sentinel-key ж sentinel-key"),
            "ж [redacted] ж [redacted]"
        );
        assert_eq!(Redactor::new("").redact("anything"), "anything");
    }
}
