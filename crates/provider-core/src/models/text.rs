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
        // A reference is ASCII: its `;` is within 12 bytes.
        let end = after.bytes().take(12).position(|b| b == b';');
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
/// the start of `b`.
fn br_len(b: &[u8]) -> Option<usize> {
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

/// Whether `text` has a `<br>` tag.
fn has_break(text: &str) -> bool {
    let b = text.as_bytes();
    memchr::memchr_iter(b'<', b).any(|at| br_len(&b[at..]).is_some())
}

/// `<br>` tags as line breaks, in the text's own buffer: each tag is
/// replaced by the shorter `\n` and the text after it moved up once, so
/// the text is neither copied nor moved more than once, however many tags.
fn break_lines(text: String) -> String {
    let mut bytes = text.into_bytes();
    // Bytes before `kept` are done; those from `next` on are still as sent.
    let (mut kept, mut next, mut from) = (0, 0, 0);
    while let Some(found) = bytes.get(from..).and_then(|b| memchr::memchr(b'<', b)) {
        let at = from + found;
        match br_len(&bytes[at..]) {
            Some(n) => {
                bytes.copy_within(next..at, kept);
                kept += at - next;
                bytes[kept] = b'\n';
                kept += 1;
                next = at + n;
                from = next;
            }
            None => from = at + 1,
        }
    }
    let len = bytes.len();
    bytes.copy_within(next..len, kept);
    bytes.truncate(kept + len - next);
    // Only whole ASCII tags were taken out: the rest is the text's UTF-8.
    String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
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
    let text = match decode_entities(raw) {
        Cow::Borrowed(t) if !has_break(t) => return Cow::Borrowed(t),
        Cow::Borrowed(t) => t.to_owned(),
        Cow::Owned(t) => t,
    };
    Cow::Owned(break_lines(text))
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
            // Tags made by entities are breaks too; entities are decoded once.
            ("Fast&lt;br&gt;Real", "Fast\nReal"),
            ("<b&#114;>x&lt;BR /&gt;", "\nx\n"),
            ("&amp;lt;br&amp;gt;", "&lt;br&gt;"),
            ("a &amp;<br>b<br><br/>", "a &\nb\n\n"),
            // A reference is ASCII and short: these are left as they are.
            ("&ж; &#x4Ж; &verylongname12;", "&ж; &#x4Ж; &verylongname12;"),
            ("&#1234567890123;", "&#1234567890123;"),
        ] {
            assert_eq!(readable_text(raw), readable, "{raw}");
        }
    }

    /// `<br>` tags as line breaks, the slow way: a character at a time
    /// into a new string.
    fn breaks_one_by_one(text: &str) -> String {
        let mut out = String::new();
        let mut rest = text;
        while let Some(c) = rest.chars().next() {
            match br_len(rest.as_bytes()) {
                Some(n) => {
                    out.push('\n');
                    rest = &rest[n..];
                }
                None => {
                    out.push(c);
                    rest = &rest[c.len_utf8()..];
                }
            }
        }
        out
    }

    #[test]
    fn many_breaks_in_one_text() {
        let raw = "ж<br>".repeat(5000) + "&amp;<BR />".repeat(5000).as_str();
        let readable = "ж\n".repeat(5000) + "&\n".repeat(5000).as_str();
        assert_eq!(readable_text(&raw), readable);
    }

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config::with_cases(2000))]
        #[test]
        fn breaks_are_taken_where_they_stand_after_the_entities(
            parts in proptest::collection::vec(
                proptest::sample::select(vec![
                    "<br>", "<BR />", "<br/>", "<br  >", "<b", "<", ">", "/", " ", "&amp;",
                    "&lt;", "&gt;", "&#114;", "&", ";", "x", "ж", "🔥",
                ]),
                0..24,
            )
        ) {
            let raw = parts.concat();
            let expected = breaks_one_by_one(&decode_entities(&raw));
            proptest::prop_assert_eq!(readable_text(&raw), expected);
        }
    }
}
