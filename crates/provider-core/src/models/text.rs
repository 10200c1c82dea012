//! Readable text from the HTML-escaped text PHP panels send.

use std::borrow::Cow;

/// The character a named entity stands for, for the entities panels use.
fn named(name: &str) -> Option<char> {
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "copy" => '©',
        "reg" => '®',
        "trade" => '™',
        "hellip" => '…',
        "ndash" => '–',
        "mdash" => '—',
        "laquo" => '«',
        "raquo" => '»',
        "euro" => '€',
        "bull" => '•',
        _ => return None,
    })
}

/// The character of a reference such as `#39`, `#x2F` or `amp`.
fn reference(name: &str) -> Option<char> {
    match name.strip_prefix('#') {
        Some(num) => {
            let code = match num.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse::<u32>().ok()?,
            };
            char::from_u32(code).filter(|c| *c != '\0')
        }
        None => named(name),
    }
}

fn decode_entities(text: &str) -> Cow<'_, str> {
    if !text.contains('&') {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let after = &rest[at + 1..];
        let end = after
            .char_indices()
            .take(12)
            .find(|(_, c)| *c == ';')
            .map(|(i, _)| i);
        match end.and_then(|e| reference(&after[..e]).map(|c| (c, e))) {
            Some((c, e)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// The length of a `<br>` tag (`<br>`, `<br/>`, `<br />`, any case) at
/// the start of `text`.
fn br_len(text: &str) -> Option<usize> {
    let b = text.as_bytes();
    if b.len() < 4 || !b[..3].eq_ignore_ascii_case(b"<br") {
        return None;
    }
    let mut i = 3;
    while b.get(i) == Some(&b' ') {
        i += 1;
    }
    if b.get(i) == Some(&b'/') {
        i += 1;
    }
    (b.get(i) == Some(&b'>')).then_some(i + 1)
}

fn break_lines(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    // Most text has no `<` at all: one vector search says so.
    if !memchr::memchr_iter(b'<', bytes).any(|at| br_len(&text[at..]).is_some()) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while let Some(found) = memchr::memchr(b'<', &bytes[i..]) {
        let at = i + found;
        out.push_str(&text[i..at]);
        match br_len(&text[at..]) {
            Some(n) => {
                out.push('\n');
                i = at + n;
            }
            None => {
                out.push('<');
                i = at + 1;
            }
        }
    }
    out.push_str(&text[i..]);
    Cow::Owned(out)
}

/// The readable form of a panel's text: HTML entities decoded once
/// (`&amp;` → `&`, `&#39;` → `'`, `&lt;br&gt;` → `<br>`) and `<br>` tags as
/// line breaks. Text without `&` or `<br` is returned as it is.
///
/// ```
/// use smmkit_provider_core::readable_text;
/// assert_eq!(readable_text("Website Traffic &amp; Bonus"), "Website Traffic & Bonus");
/// assert_eq!(readable_text("Fast&lt;br&gt;Real &#39;HQ&#x27;"), "Fast\nReal 'HQ'");
/// assert_eq!(readable_text("AT&T &unknown; &amp;lt;"), "AT&T &unknown; &lt;");
/// ```
pub fn readable_text(raw: &str) -> Cow<'_, str> {
    // Most text has neither an entity nor a tag: one vector search says so.
    if memchr::memchr2(b'&', b'<', raw.as_bytes()).is_none() {
        return Cow::Borrowed(raw);
    }
    match decode_entities(raw) {
        Cow::Borrowed(t) => break_lines(t),
        Cow::Owned(t) => Cow::Owned(break_lines(&t).into_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_is_not_copied() {
        assert!(matches!(
            readable_text("Instagram Likes [Real]"),
            Cow::Borrowed(_)
        ));
        assert!(matches!(
            readable_text("Лайки 🔥 <b>x</b>"),
            Cow::Borrowed(_)
        ));
        assert!(matches!(readable_text("a <bra> <b"), Cow::Borrowed(_)));
    }

    #[test]
    fn entities_and_breaks() {
        for (raw, readable) in [
            ("a &amp; b", "a & b"),
            ("&lt;b&gt;bold&lt;/b&gt;", "<b>bold</b>"),
            ("line<br>next<BR/>last<br />end", "line\nnext\nlast\nend"),
            ("&#128293; &#x1F525;", "🔥 🔥"),
            ("&quot;quoted&quot; &apos;x&apos;", "\"quoted\" 'x'"),
            ("no; entity & here", "no; entity & here"),
            ("&#0; &#xZZ; &#99999999;", "&#0; &#xZZ; &#99999999;"),
            ("trailing &", "trailing &"),
            ("&nbsp;", "\u{a0}"),
            ("<bro>", "<bro>"),
            ("<br>", "\n"),
            ("a<bra>b<br>c<", "a<bra>b\nc<"),
            ("<b>Ж</b><br/>🔥<BR  >x<br", "<b>Ж</b>\n🔥\nx<br"),
            ("<<br>><br />", "<\n>\n"),
        ] {
            assert_eq!(readable_text(raw), readable, "{raw}");
        }
    }
}
