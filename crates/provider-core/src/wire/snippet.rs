//! Short, one-line, printable excerpts of bodies for error messages.

/// How many characters of a body an error shows.
pub const SNIPPET_CHARS: usize = 120;

/// The start of `body` as one printable line of at most
/// [`SNIPPET_CHARS`] characters: invalid UTF-8 is replaced, runs of white
/// space and control characters become one space, and `…` marks a cut.
///
/// ```
/// use smmkit_provider_core::wire::snippet;
/// assert_eq!(snippet(b"<html>\n  <body>502</body>"), "<html> <body>502</body>");
/// assert_eq!(snippet(b""), "(empty)");
/// ```
pub fn snippet(body: &[u8]) -> String {
    // Enough bytes for SNIPPET_CHARS characters of up to 4 bytes each.
    let head = &body[..body.len().min(SNIPPET_CHARS * 4)];
    let text = String::from_utf8_lossy(head);
    let mut out = String::with_capacity(SNIPPET_CHARS + 3);
    let mut chars = 0;
    let mut last_space = false;
    let mut cut = head.len() < body.len();
    for c in text.trim().chars() {
        if chars == SNIPPET_CHARS {
            cut = true;
            break;
        }
        if c.is_whitespace() || c.is_control() {
            if !last_space {
                out.push(' ');
                chars += 1;
            }
            last_space = true;
        } else {
            out.push(c);
            chars += 1;
            last_space = false;
        }
    }
    if out.is_empty() {
        return "(empty)".to_owned();
    }
    if cut {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_bodies_are_cut_on_a_character_boundary() {
        let body = "ж".repeat(500);
        let s = snippet(body.as_bytes());
        assert_eq!(s.chars().count(), SNIPPET_CHARS + 1);
        assert!(s.ends_with('…'));
    }

    #[test]
    fn invalid_utf8_and_controls_are_printable() {
        assert_eq!(
            snippet(b"\xff\xfe{\"a\":\x00\x01 1}"),
            "\u{fffd}\u{fffd}{\"a\": 1}"
        );
    }
}
