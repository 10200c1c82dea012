//! Every decoder and the order builder fed arbitrary bytes, mutations of
//! the real fixtures and arbitrary JSON: no panic, and every failure a
//! typed error with a short, printable message.
//!
//! `SMMKIT_FUZZ_CASES` sets the cases per property (default 1,000: the
//! bounded run of the test suite); `scripts/fuzz` runs a long one. Each
//! property prints how many inputs it ran.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::print_stderr
)]

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use proptest::prelude::*;
use smmkit_provider_core::wire::{Payload, SNIPPET_CHARS, decode};
use smmkit_provider_core::{Error, OrderFields, OrderKind, ServiceId, ServiceLimits, ServiceType};

fn cases() -> u32 {
    std::env::var("SMMKIT_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000)
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: cases(),
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn fixtures() -> Vec<(Payload, Vec<u8>)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures");
    let mut all: Vec<(Payload, Vec<u8>)> = std::fs::read_dir(dir)
        .expect("fixtures")
        .map(|e| e.expect("entry").path())
        .map(|p| {
            let name = p
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_owned();
            let payload = name
                .split_once("__")
                .and_then(|(p, _)| Payload::parse(p))
                .expect("a payload prefix");
            (payload, std::fs::read(&p).expect("readable"))
        })
        .collect();
    all.sort_by(|a, b| a.1.cmp(&b.1));
    all
}

/// Checks what a decoder gives back for any input.
fn check(payload: Payload, body: &[u8]) {
    match decode(payload, body) {
        Ok(decoded) => {
            // A success serialises (the bindings depend on it).
            serde_json::to_string(&decoded).expect("a decoded value serialises");
        }
        Err(e) => check_error(&e),
    }
}

fn check_error(e: &Error) {
    assert!(Error::KINDS.contains(&e.kind()), "{e:?}");
    let text = e.to_string();
    assert!(!text.is_empty());
    assert!(!text.contains('\n'), "one line: {text:?}");
    if let Error::Decode { snippet, .. } | Error::HttpStatus { snippet, .. } = e {
        assert!(snippet.chars().count() <= SNIPPET_CHARS + 1, "{snippet:?}");
        assert!(!snippet.chars().any(char::is_control), "{snippet:?}");
    }
    serde_json::to_string(e).expect("an error serialises");
}

/// Applies one mutation to `body`.
fn mutate(body: &mut Vec<u8>, kind: u8, at: usize, byte: u8, len: usize) {
    if body.is_empty() {
        body.push(byte);
        return;
    }
    let at = at % body.len();
    match kind % 9 {
        0 => body[at] = byte,
        1 => body.insert(at, byte),
        2 => {
            let end = (at + len).min(body.len());
            body.drain(at..end);
        }
        3 => body.truncate(at),
        4 => {
            let end = (at + len).min(body.len());
            let copy = body[at..end].to_vec();
            body.splice(at..at, copy);
        }
        // Digits become letters and back: numbers turn into nonsense.
        5 => body
            .iter_mut()
            .filter(|b| b.is_ascii_digit())
            .take(len)
            .for_each(|b| *b = b'a' + (*b - b'0')),
        // Quotes appear and vanish: strings become numbers and back.
        6 => {
            if let Some(q) = body.iter().skip(at).position(|b| *b == b'"') {
                body.remove(at + q);
            } else {
                body.insert(at, b'"');
            }
        }
        7 => body
            .splice(at..at, b"\"\\ud800\"".iter().copied())
            .for_each(drop),
        _ => body
            .splice(at..at, b"{\"error\":".iter().copied())
            .for_each(drop),
    }
}

static ARBITRARY: AtomicU64 = AtomicU64::new(0);
static MUTATED: AtomicU64 = AtomicU64::new(0);
static JSON: AtomicU64 = AtomicU64::new(0);
static ORDERS: AtomicU64 = AtomicU64::new(0);

/// Arbitrary JSON, with keys panels use so that the decoders go deep.
fn json() -> impl Strategy<Value = serde_json::Value> {
    let keys = prop::sample::select(vec![
        "service",
        "name",
        "type",
        "category",
        "rate",
        "min",
        "max",
        "refill",
        "cancel",
        "dripfeed",
        "desc",
        "description",
        "order",
        "orders",
        "status",
        "charge",
        "start_count",
        "remains",
        "currency",
        "error",
        "ok",
        "balance",
        "services",
        "data",
        "1",
        "2",
        "4218",
        "x",
    ]);
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(|n| serde_json::json!(n)),
        any::<u64>().prop_map(|n| serde_json::json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| serde_json::json!(f)),
        "\\PC{0,12}".prop_map(serde_json::Value::String),
        prop::sample::select(vec![
            "1",
            "0",
            "true",
            "false",
            "1.30",
            "-5",
            "",
            " 42 ",
            "Completed",
            "Incorrect order ID"
        ])
        .prop_map(|s| serde_json::Value::String(s.to_owned())),
    ];
    leaf.prop_recursive(4, 48, 8, move |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(serde_json::Value::Array),
            prop::collection::vec((keys.clone(), inner), 0..8).prop_map(|kv| {
                serde_json::Value::Object(kv.into_iter().map(|(k, v)| (k.to_owned(), v)).collect())
            }),
        ]
    })
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn arbitrary_bytes(body in prop::collection::vec(any::<u8>(), 0..2048)) {
        for payload in Payload::ALL {
            check(payload, &body);
        }
        ARBITRARY.fetch_add(1, Ordering::Relaxed);
    }

    #[test]
    fn mutated_fixtures(
        pick in any::<prop::sample::Index>(),
        edits in prop::collection::vec((any::<u8>(), any::<usize>(), any::<u8>(), 1usize..64), 1..6),
    ) {
        let all = fixtures();
        let (payload, original) = &all[pick.index(all.len())];
        let mut body = original.clone();
        for (kind, at, byte, len) in edits {
            mutate(&mut body, kind, at, byte, len);
        }
        check(*payload, &body);
        for other in Payload::ALL {
            check(other, &body);
        }
        MUTATED.fetch_add(1, Ordering::Relaxed);
    }

    #[test]
    fn arbitrary_json(value in json()) {
        let body = serde_json::to_vec(&value).expect("serialisable");
        for payload in Payload::ALL {
            check(payload, &body);
        }
        JSON.fetch_add(1, Ordering::Relaxed);
    }

    #[test]
    fn arbitrary_orders(
        link in proptest::option::of("\\PC{0,20}|[ \\t\\n]{0,3}"),
        quantity in proptest::option::of(prop_oneof![Just(0u64), Just(u64::MAX), any::<u64>(), 1u64..10_000]),
        runs in proptest::option::of(any::<u32>()),
        interval in proptest::option::of(any::<u32>()),
        comments in proptest::option::of(prop::collection::vec("\\PC{0,8}|\\n", 0..4)),
        username in proptest::option::of("\\PC{0,8}"),
        numbers in (proptest::option::of(any::<u64>()), proptest::option::of(any::<u64>()), proptest::option::of(any::<u32>())),
        codes in (proptest::option::of(any::<u8>()), proptest::option::of(any::<u8>())),
        expiry in proptest::option::of("[0-9/]{0,12}"),
        kind in proptest::option::of(prop::sample::select(OrderKind::ALL.to_vec())),
        limits in (any::<u64>(), any::<u64>(), proptest::option::of(any::<bool>())),
    ) {
        let fields = OrderFields {
            link,
            quantity,
            runs,
            interval,
            comments: comments.clone(),
            usernames: comments.clone(),
            hashtags: comments,
            username: username.clone(),
            hashtag: username,
            min: numbers.0,
            max: numbers.1,
            answer_number: numbers.2,
            device: codes.0,
            type_of_traffic: codes.1,
            expiry,
            ..OrderFields::default()
        };
        match fields.into_request(ServiceId(7), kind) {
            Ok(order) => {
                let _ = order.params();
                let _ = order.to_string();
                let _ = order.charged_units();
                for service_kind in [ServiceType::Default, ServiceType::CustomComments, ServiceType::Other("x".into())] {
                    let limits = ServiceLimits { id: ServiceId(7), kind: service_kind, min: limits.0, max: limits.1, dripfeed: limits.2 };
                    if let Err(e) = order.validate_for(&limits) {
                        check_error(&e.into());
                    }
                }
            }
            Err(e) => check_error(&e.into()),
        }
        ORDERS.fetch_add(1, Ordering::Relaxed);
    }
}

/// Runs last in name order and reports the counts of the others.
#[test]
fn zz_report() {
    // The properties run in parallel threads; give them the time to finish.
    for _ in 0..600 {
        let done = [&ARBITRARY, &MUTATED, &JSON, &ORDERS]
            .iter()
            .all(|c| c.load(Ordering::Relaxed) >= u64::from(cases()));
        if done {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    eprintln!(
        "fuzz: {} arbitrary byte strings × 11 decoders, {} mutated fixtures × 12 decodes, {} arbitrary JSON values × 11 \
         decoders, {} arbitrary orders × 4 checks: no panic, every failure typed",
        ARBITRARY.load(Ordering::Relaxed),
        MUTATED.load(Ordering::Relaxed),
        JSON.load(Ordering::Relaxed),
        ORDERS.load(Ordering::Relaxed)
    );
}
