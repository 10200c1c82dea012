//! Decoding a large bare list on every core, without copying the body.
//!
//! The list is cut at `},{"`: the `}` ends one part, the `{` starts the
//! next, and the `,` between them belongs to neither. The first part
//! starts with the list's `[`, the last ends with its `]`; each part is
//! read as what it is, items without their list's brackets ([`Part`]).
//!
//! A cut that is not between two items of the list (inside a nested
//! value, or inside a string that ends with `},{`) leaves the part before
//! it ending inside an unfinished item, which does not read; any part
//! that does not read makes [`decode`] return `None`, and the caller then
//! decodes the body on one thread, so results and errors are exactly
//! those of one thread.
//!
//! Each thread's share is cut in a few parts, taken one at a time by
//! whichever thread is free, the calling thread first among them: a
//! thread of the pool that starts late (asleep, or its core given to
//! another process for a while) takes fewer parts instead of holding up
//! the whole list.
//!
//! This module knows nothing of what the items are: the caller gives the
//! decoder of a part.

use std::sync::Mutex;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// How many threads to decode a catalog on: one per core (at most 8), or one
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

/// A run of a list's items, cut from the list between two of them.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Part<'a> {
    /// The items, `,` between them, white space around them.
    pub(crate) text: &'a str,
    /// The text starts with the list's `[` (white space before it).
    pub(crate) opens: bool,
    /// The text ends with the list's `]` (white space after it).
    pub(crate) closes: bool,
}

impl<'a> Part<'a> {
    /// A whole list, `[` to `]`, as one part.
    pub(crate) fn whole(text: &'a str) -> Part<'a> {
        Part {
            text,
            opens: true,
            closes: true,
        }
    }
}

/// How many parts each thread's share is cut in, so that a thread that
/// starts late takes fewer.
const PARTS_PER_THREAD: usize = 4;

/// The smallest part worth a thread's time, in bytes.
const MIN_PART: usize = 128 * 1024;

const SEPARATOR: &[u8] = b"},{\"";

fn find(haystack: &[u8], from: usize) -> Option<usize> {
    haystack
        .get(from..)?
        .windows(SEPARATOR.len())
        .position(|w| w == SEPARATOR)
        .map(|i| from + i)
}

/// Decodes `body`, a bare list, on up to `threads` threads (this one and
/// the pool's), in parts of at least `MIN_PART` bytes, up to
/// `PARTS_PER_THREAD` for each thread, each with `part`; the parts'
/// results in the list's order. `None` when it is not a bare list, cannot
/// be cut, or a part does not decode.
pub(crate) fn decode<T: Send>(
    body: &[u8],
    threads: usize,
    part: impl Fn(Part<'_>) -> Option<T> + Sync,
) -> Option<Vec<T>> {
    let offset = body.iter().position(|b| !b.is_ascii_whitespace())?;
    if threads < 2 || body.get(offset) != Some(&b'[') {
        return None;
    }
    let len = body.len();
    let parts = (threads * PARTS_PER_THREAD).min((len / MIN_PART).max(threads));
    // Where each part starts; each but the last ends two bytes before the
    // next starts (its `}` is kept, the `,` is not).
    let mut starts: Vec<usize> = Vec::with_capacity(parts);
    starts.push(0);
    let mut from = offset;
    for k in 1..parts {
        let target = (offset + (len - offset) * k / parts).max(from);
        let Some(at) = find(body, target) else {
            break;
        };
        from = at + 2;
        starts.push(from);
    }
    if starts.len() < 2 {
        return None;
    }
    let last = starts.len() - 1;
    let decode_part = |i: usize| -> Option<T> {
        let start = *starts.get(i)?;
        let end = starts.get(i + 1).map_or(len, |next| next - 1);
        // Every cut is at an ASCII byte: each part is UTF-8 when the
        // body is, checked here on the part's own core.
        let text = std::str::from_utf8(body.get(start..end)?).ok()?;
        part(Part {
            text,
            opens: i == 0,
            closes: i == last,
        })
    };
    let slots: Vec<Mutex<Option<T>>> = (0..=last).map(|_| Mutex::new(None)).collect();
    let next = AtomicUsize::new(0);
    let failed = AtomicBool::new(false);
    // Takes the next part nobody has taken, until none is left or one
    // failed.
    let work = || {
        while !failed.load(Ordering::Relaxed) {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(slot) = slots.get(i) else {
                return;
            };
            match decode_part(i) {
                Some(done) => {
                    if let Ok(mut slot) = slot.lock() {
                        *slot = Some(done);
                    }
                }
                None => failed.store(true, Ordering::Relaxed),
            }
        }
    };
    // The calling thread decodes too, from the first part on, while the
    // pool's threads wake: a thread that wakes late finds fewer parts left.
    rayon::in_place_scope(|scope| {
        for _ in 1..threads {
            scope.spawn(|_| work());
        }
        work();
    });
    if failed.load(Ordering::Relaxed) {
        return None;
    }
    slots
        .into_iter()
        .map(|slot| slot.into_inner().ok().flatten())
        .collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;
    use crate::models::Service;
    use crate::wire::services::service_part;

    /// The services a decode gives, parts joined.
    fn services(body: &[u8], threads: usize) -> Option<Vec<Service>> {
        let parts = decode(body, threads, |p| service_part(p, Vec::new))?;
        Some(parts.into_iter().flat_map(|p| p.into_services()).collect())
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
        let whole = Part::whole(std::str::from_utf8(body).unwrap());
        service_part(whole, Vec::new).unwrap().into_services()
    }

    #[test]
    fn every_number_of_threads_gives_the_list_of_one_thread() {
        let body = catalog(500, false);
        let expected = one_thread(&body);
        assert_eq!(expected.len(), 500);
        for threads in [2, 3, 4, 7, 8] {
            let got = services(&body, threads).expect("cut and decoded");
            assert_eq!(got, expected, "{threads} threads");
        }
    }

    #[test]
    fn parts_are_cut_between_items_and_keep_the_brackets_at_the_ends() {
        let body = catalog(40, false);
        let parts = decode(&body, 4, |p| Some((p.text.to_owned(), p.opens, p.closes))).unwrap();
        assert_eq!(parts.len(), 4);
        let whole: Vec<String> = parts.iter().map(|(t, ..)| t.clone()).collect();
        assert_eq!(whole.join(","), std::str::from_utf8(&body).unwrap());
        for (i, (text, opens, closes)) in parts.iter().enumerate() {
            assert_eq!(*opens, i == 0);
            assert_eq!(*closes, i == 3);
            let items = text.trim().trim_start_matches('[').trim_end_matches(']');
            assert!(items.starts_with(r#"{"service":""#), "{text}");
            assert!(items.ends_with('}'), "{text}");
        }
    }

    /// Every part count from 2 to 8 either gives what one thread gives or
    /// is refused, and some are refused (their cut lands in an item).
    fn some_cuts_are_refused_and_the_rest_agree(body: &[u8]) {
        let expected = one_thread(body);
        let mut refused = 0;
        for threads in 2..=8 {
            match services(body, threads) {
                Some(got) => assert_eq!(got, expected, "{threads} threads"),
                None => refused += 1,
            }
        }
        assert!(refused > 0, "a cut inside an item is refused");
    }

    #[test]
    fn cuts_inside_nested_objects_fail_or_give_the_same() {
        // Every service holds `},{"` of its own: some cuts land inside one.
        some_cuts_are_refused_and_the_rest_agree(&catalog(300, true));
    }

    #[test]
    fn cuts_inside_strings_ending_with_the_separator_fail_or_give_the_same() {
        // `"a },{"`: the string's closing quote makes a separator.
        let items: Vec<String> = (0..300)
            .map(|i| {
                format!(
                    r#"{{"service":"{i}","name":"a {i} }},{{","rate":"1.5","min":"1","max":"9"}}"#
                )
            })
            .collect();
        let body = format!("[{}]", items.join(",")).into_bytes();
        assert_eq!(one_thread(&body)[7].name, "a 7 },{");
        some_cuts_are_refused_and_the_rest_agree(&body);
    }

    #[test]
    fn broken_json_fails_every_part_count() {
        let good = catalog(400, false);
        let text = String::from_utf8(good).unwrap();
        for bad_at in [0, 133, 200, 399] {
            let body = text
                .replacen(&format!(r#""service":"{bad_at}""#), r#""service":x""#, 1)
                .into_bytes();
            for threads in [2, 3, 8] {
                assert!(services(&body, threads).is_none(), "service {bad_at}");
            }
        }
    }

    /// A catalog of more than `MIN_PART` bytes for each of 8 parts.
    fn large_catalog() -> Vec<u8> {
        let body = catalog(9_000, false);
        assert!(body.len() > 8 * MIN_PART, "{} bytes", body.len());
        body
    }

    #[test]
    fn a_large_list_is_cut_in_more_parts_than_threads_and_kept_in_order() {
        let body = large_catalog();
        let parts = decode(&body, 2, |p| Some(p.text.to_owned())).unwrap();
        assert_eq!(parts.len(), 2 * PARTS_PER_THREAD);
        assert_eq!(parts.join(","), std::str::from_utf8(&body).unwrap());
        assert_eq!(services(&body, 2).unwrap(), one_thread(&body));
    }

    #[test]
    fn the_calling_thread_decodes_what_a_slow_thread_has_not_taken() {
        let body = large_catalog();
        let caller = std::thread::current().id();
        let parts = decode(&body, 2, |p| {
            let here = std::thread::current().id();
            if here != caller {
                // A thread of the pool that is held up: descheduled, or
                // busy with something else.
                std::thread::sleep(std::time::Duration::from_millis(300));
            }
            Some((p.text.to_owned(), here == caller))
        })
        .unwrap();
        let by_caller = parts.iter().filter(|(_, mine)| *mine).count();
        assert!(
            by_caller >= parts.len() - 1,
            "{by_caller} of {}",
            parts.len()
        );
        let texts: Vec<&str> = parts.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(texts.join(","), std::str::from_utf8(&body).unwrap());
    }

    #[test]
    fn a_part_that_fails_fails_the_whole_whoever_decodes_it() {
        let body = large_catalog();
        for bad in 0..2 * PARTS_PER_THREAD {
            let seen = AtomicUsize::new(0);
            let got = decode(&body, 2, |_| {
                let i = seen.fetch_add(1, Ordering::Relaxed);
                (i != bad).then_some(())
            });
            assert!(got.is_none(), "part {bad} of those taken failed");
        }
    }

    #[test]
    fn not_a_bare_list_or_too_short_to_cut_is_left_alone() {
        for body in [
            &br#"{"services":[{"service":"1"},{"service":"2"}]}"#[..],
            br#"[{"service":"1","name":"a","rate":"1","min":"1","max":"2"}]"#,
            br#"[{"service":"1"}, {"service":"2"}]"#,
            b"[]",
            b"",
            b"   ",
        ] {
            assert!(services(body, 4).is_none());
        }
    }
}
