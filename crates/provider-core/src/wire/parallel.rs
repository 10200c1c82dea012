//! Decoding a large bare list on every core, without copying the body.
//!
//! The list is cut between two services, at `},{"` (which no JSON string
//! holds unescaped). A cut needs a `]` to end the part before it and a `[`
//! to start the part after it, and there is only the one `,` byte between
//! them, so each cut uses two neighbouring `},{"`: the `,` of the first
//! becomes the `]` of one part, the `,` of the second the `[` of the next,
//! and the single service between them is decoded on its own. The commas
//! are put back before [`decode`] returns, whatever happens.
//!
//! A cut that is not between two items of the list (inside a nested
//! value) always leaves a part that is not valid JSON, and any such part
//! makes [`decode`] return `None`: the caller then decodes the body on one
//! thread, so results and errors are exactly those of one thread.
//!
//! This module knows nothing of what the items are: the caller gives the
//! decoders of a part (a list) and of a lone item.

use std::sync::OnceLock;

use rayon::prelude::*;

/// How many parts to decode a catalog in: one per core (at most 8), or one
/// in a process forked from the one whose threads decoded before, since
/// threads do not survive a fork.
pub(crate) fn threads() -> usize {
    static FIRST_USED_IN: OnceLock<u32> = OnceLock::new();
    let pid = std::process::id();
    if *FIRST_USED_IN.get_or_init(|| pid) != pid {
        return 1;
    }
    rayon::current_num_threads().min(8)
}

/// A body with the commas of its splits turned into `]` and `[`; they are
/// put back on drop.
struct Cuts<'a> {
    body: &'a mut [u8],
    splits: Vec<Split>,
}

impl<'a> Cuts<'a> {
    fn new(body: &'a mut [u8], splits: Vec<Split>) -> Cuts<'a> {
        let mut cuts = Cuts { body, splits };
        cuts.mark(b']', b'[');
        cuts
    }

    fn mark(&mut self, end: u8, next: u8) {
        for s in &self.splits {
            for (at, byte) in [(s.end, end), (s.next, next)] {
                if let Some(b) = self.body.get_mut(at) {
                    *b = byte;
                }
            }
        }
    }
}

impl Drop for Cuts<'_> {
    fn drop(&mut self) {
        self.mark(b',', b',');
    }
}

/// Where a list is split: the part before ends at the `,` at `end` (which
/// becomes its `]`), the part after starts at the `,` at `next` (which
/// becomes its `[`), and the one service between is decoded on its own.
struct Split {
    end: usize,
    next: usize,
}

const SEPARATOR: &[u8] = b"},{\"";

fn find(haystack: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(SEPARATOR.len())
        .position(|w| w == SEPARATOR)
        .map(|i| from + i)
}

/// Decodes `body`, a bare list, in `threads` parts, with `list` for each
/// part and `one` for the lone item between two parts; the pieces in the
/// list's order. `None` when it is not a bare list, cannot be cut, or a
/// piece fails to decode.
pub(crate) fn decode<T: Send>(
    body: &mut [u8],
    threads: usize,
    list: impl Fn(&str) -> Option<T> + Sync,
    one: impl Fn(&str) -> Option<T> + Sync,
) -> Option<Vec<T>> {
    let offset = body.iter().position(|b| !b.is_ascii_whitespace())?;
    if threads < 2 || body.get(offset) != Some(&b'[') {
        return None;
    }
    let len = body.len();
    let mut splits: Vec<Split> = Vec::with_capacity(threads - 1);
    let mut from = offset;
    for k in 1..threads {
        let target = (offset + (len - offset) * k / threads).max(from);
        let Some(first) = find(body, target) else {
            break;
        };
        let Some(second) = find(body, first + 2) else {
            break;
        };
        // The `,` of each separator, one byte after its `}`.
        splits.push(Split {
            end: first + 1,
            next: second + 1,
        });
        from = second + 2;
    }
    if splits.is_empty() {
        return None;
    }
    let cuts = Cuts::new(body, splits);
    let body: &[u8] = cuts.body;
    // Each piece: a part, then the lone item after it (none after the last).
    let mut pieces: Vec<(&[u8], bool)> = Vec::with_capacity(2 * cuts.splits.len() + 1);
    let mut start = offset;
    for s in &cuts.splits {
        pieces.push((body.get(start..=s.end)?, false));
        pieces.push((body.get(s.end + 1..s.next)?, true));
        start = s.next;
    }
    pieces.push((body.get(start..)?, false));
    let decoded: Vec<Option<T>> = pieces
        .into_par_iter()
        .map(|(piece, lone)| {
            let text = std::str::from_utf8(piece).ok()?;
            if lone { one(text) } else { list(text) }
        })
        .collect();
    drop(cuts);
    decoded.into_iter().collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::models::Service;
    use crate::wire::services::{one_service, service_list};

    /// The services a decode gives, pieces joined.
    fn services(body: &mut [u8], threads: usize) -> Option<Vec<Service>> {
        let pieces = decode(
            body,
            threads,
            |t| service_list(t, Vec::new),
            |t| one_service(t, Vec::new()),
        )?;
        Some(pieces.into_iter().flat_map(|p| p.into_services()).collect())
    }

    fn catalog(n: usize, nested: bool) -> Vec<u8> {
        let items: Vec<String> = (0..n)
            .map(|i| {
                let extra = if nested {
                    r#","tiers":[{"from":"1"},{"from":"100"}]"#
                } else {
                    ""
                };
                format!(
                    r#"{{"service":"{i}","name":"S {i} \u0416 }},{{\"","type":"Default","category":"C{}","rate":"{}.{:02}","min":"1","max":"{}"{extra}}}"#,
                    i % 7,
                    i % 90,
                    i % 100,
                    100 + i
                )
            })
            .collect();
        format!(" \n[{}]\n", items.join(",")).into_bytes()
    }

    fn one_thread(body: &[u8]) -> Vec<Service> {
        service_list(std::str::from_utf8(body).unwrap().trim(), Vec::new)
            .unwrap()
            .into_services()
    }

    #[test]
    fn every_number_of_threads_gives_the_list_of_one_thread_and_restores_the_body() {
        let body = catalog(500, false);
        let expected = one_thread(&body);
        assert_eq!(expected.len(), 500);
        for threads in [2, 3, 4, 7, 8] {
            let mut copy = body.clone();
            let got = services(&mut copy, threads).expect("cut and decoded");
            assert_eq!(got, expected, "{threads} threads");
            assert_eq!(copy, body, "{threads} threads: the body is put back");
        }
    }

    #[test]
    fn cuts_inside_nested_objects_fail_and_restore_the_body() {
        // Every service holds `},{"` of its own: some cuts land inside one.
        let body = catalog(300, true);
        let expected = one_thread(&body);
        for threads in 2..=8 {
            let mut copy = body.clone();
            if let Some(got) = services(&mut copy, threads) {
                assert_eq!(got, expected, "{threads} threads");
            }
            assert_eq!(copy, body);
        }
    }

    #[test]
    fn broken_json_fails_every_part_count_and_restores_the_body() {
        let good = catalog(400, false);
        let text = String::from_utf8(good).unwrap();
        for bad_at in [0, 133, 200, 399] {
            let body = text
                .replacen(&format!(r#""service":"{bad_at}""#), r#""service":x""#, 1)
                .into_bytes();
            for threads in [2, 3, 8] {
                let mut copy = body.clone();
                assert!(services(&mut copy, threads).is_none(), "service {bad_at}");
                assert_eq!(copy, body);
            }
        }
    }

    #[test]
    fn not_a_bare_list_or_too_short_to_cut_is_left_alone() {
        for body in [
            &br#"{"services":[{"service":"1"},{"service":"2"}]}"#[..],
            br#"[{"service":"1","name":"a","rate":"1","min":"1","max":"2"}]"#,
            b"",
            b"   ",
        ] {
            let mut copy = body.to_vec();
            assert!(services(&mut copy, 4).is_none());
            assert_eq!(copy, body);
        }
    }
}
