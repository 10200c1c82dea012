//! Every decoder and the order builder fed arbitrary bytes, mutations of
//! the real fixtures and arbitrary JSON: no panic, and every failure a
//! typed error with a short, printable message.
//!
//! `SMMKIT_FUZZ_CASES` sets the cases per property (default 1,000: the
//! bounded run of the test suite); `scripts/fuzz` runs a long one. Each
//! property checks that it ran them all and prints how many.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::print_stderr
)]

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};

use proptest::prelude::*;
use smmkit_provider_core::wire::{self, Decoded, Payload, SNIPPET_CHARS, decode};
use smmkit_provider_core::{
    Error, Order, OrderFields, OrderForm, OrderRequest, ServiceId, ServiceLimits, ServiceType,
};

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
            // A catalog written back as a panel lists it (the journal's
            // cache) decodes into the same services.
            if let Decoded::Services(list) = &decoded {
                let again = wire::decode_services(&wire::encode_services(list))
                    .map(|l| l.services)
                    .map_err(|e| e.to_string());
                assert_eq!(again.as_ref(), Ok(&list.services));
            }
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

/// Runs `property` on `cases()` inputs of `strategy`, then says how many
/// it ran (and checks that it ran them all).
fn run<S: Strategy>(name: &str, strategy: S, property: impl Fn(S::Value)) {
    let ran = AtomicU64::new(0);
    let mut runner = proptest::test_runner::TestRunner::new(config());
    let result = runner.run(&strategy, |value| {
        property(value);
        ran.fetch_add(1, Ordering::Relaxed);
        Ok(())
    });
    if let Err(e) = result {
        panic!("{name}: {e}");
    }
    let ran = ran.load(Ordering::Relaxed);
    assert!(ran >= u64::from(cases()), "{name}: ran {ran} cases");
    eprintln!("fuzz: {name}: {ran} inputs, no panic, every failure typed");
}

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

/// Every catalog fixture that decodes is written back as a panel lists
/// it (the order journal's cache) and decodes into the same services:
/// the panel's own text, extra fields, description spellings, every rate
/// digit. The fixtures hold each of those.
#[test]
fn catalogs_written_back_decode_the_same() {
    let mut with = (0, 0, 0);
    for (payload, body) in fixtures() {
        let Ok(Decoded::Services(list)) = decode(payload, &body) else {
            continue;
        };
        let written = wire::encode_services(&list.services);
        let again = wire::decode_services(&written).map(|l| l.services);
        assert_eq!(
            again.as_ref().map_err(ToString::to_string),
            Ok(&list.services),
            "{}",
            String::from_utf8_lossy(&written)
        );
        for s in &list.services {
            with.0 += usize::from(s.raw.is_some());
            with.1 += usize::from(!s.extra.is_empty());
            with.2 += usize::from(s.description.is_some());
        }
    }
    assert!(with.0 > 0 && with.1 > 0 && with.2 > 0, "{with:?}");
}

#[test]
fn arbitrary_bytes() {
    run(
        "arbitrary bytes × 11 decoders",
        prop::collection::vec(any::<u8>(), 0..2048),
        |body| {
            for payload in Payload::ALL {
                check(payload, &body);
            }
        },
    );
}

#[test]
fn mutated_fixtures() {
    let all = fixtures();
    run(
        "mutated fixtures × 12 decodes",
        (
            any::<prop::sample::Index>(),
            prop::collection::vec((any::<u8>(), any::<usize>(), any::<u8>(), 1usize..64), 1..6),
        ),
        |(pick, edits)| {
            let (payload, original) = &all[pick.index(all.len())];
            let mut body = original.clone();
            for (kind, at, byte, len) in edits {
                mutate(&mut body, kind, at, byte, len);
            }
            check(*payload, &body);
            for other in Payload::ALL {
                check(other, &body);
            }
        },
    );
}

#[test]
fn arbitrary_json() {
    run("arbitrary JSON × 11 decoders", json(), |value| {
        let body = serde_json::to_vec(&value).expect("serialisable");
        for payload in Payload::ALL {
            check(payload, &body);
        }
    });
}

/// The parameters an accepted order sends: exactly the fields it was
/// given (and the service; a subscription's delay, 0 when not given).
fn check_sent_fields(fields: &OrderFields, order: &OrderRequest) {
    let sent: BTreeSet<&str> = order.params().iter().map(|(k, _)| *k).collect();
    let mut expected: BTreeSet<&str> = fields.given().into_iter().collect();
    expected.insert("service");
    if order.form() == OrderForm::Subscriptions {
        expected.insert("delay");
    }
    // A list that sets the quantity is sent; the quantity is not.
    assert_eq!(sent, expected, "{order}");
    let text = order.to_string();
    assert!(!text.is_empty() && !text.contains('\n'), "{text:?}");
}

/// An order that passes `validate_for` is within the service's bounds.
fn check_within(order: &OrderRequest, limits: &ServiceLimits) {
    if let Some(units) = order.units() {
        assert!(
            (limits.min..=limits.max).contains(&units),
            "{order}: {units} outside {}..={}",
            limits.min,
            limits.max
        );
    }
    if let Order::Subscriptions { min, max, .. } = &order.order {
        assert!(
            limits.min <= *min && min <= max && *max <= limits.max,
            "{order}"
        );
    }
    if let Order::Default {
        dripfeed: Some(_), ..
    } = &order.order
    {
        assert_ne!(limits.dripfeed, Some(false), "{order}");
    }
}

#[test]
fn arbitrary_orders() {
    let strategy = (
        (
            proptest::option::of("\\PC{0,20}|[ \\t\\n]{0,3}"),
            proptest::option::of(prop_oneof![
                Just(0u64),
                Just(u64::MAX),
                any::<u64>(),
                1u64..10_000
            ]),
            proptest::option::of(any::<u32>()),
            proptest::option::of(any::<u32>()),
            proptest::option::of(prop::collection::vec("\\PC{0,8}|\\n", 0..4)),
            proptest::option::of("\\PC{0,8}"),
        ),
        (
            (
                proptest::option::of(any::<u64>()),
                proptest::option::of(any::<u64>()),
                proptest::option::of(any::<u32>()),
            ),
            (
                proptest::option::of(any::<u8>()),
                proptest::option::of(any::<u8>()),
            ),
            proptest::option::of("[0-9/]{0,12}"),
            proptest::option::of(prop::sample::select(OrderForm::ALL.to_vec())),
            (
                0u64..20_000,
                0u64..20_000,
                proptest::option::of(any::<bool>()),
            ),
        ),
    );
    run(
        "arbitrary orders × 4 checks",
        strategy,
        |(
            (link, quantity, runs, interval, comments, username),
            (numbers, codes, expiry, kind, limits),
        )| {
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
            check_order(fields, kind, limits);
        },
    );
}

/// Builds an order from `fields` and checks it: against the fields given
/// when accepted, and against services of three types.
fn check_order(
    fields: OrderFields,
    kind: Option<OrderForm>,
    limits: (u64, u64, Option<bool>),
) -> bool {
    match fields.clone().into_request(ServiceId(7), kind) {
        Ok(order) => {
            check_sent_fields(&fields, &order);
            // What the journal records reads back into the same order.
            let recorded = order.to_value();
            assert_eq!(
                OrderRequest::from_value(&recorded).as_ref(),
                Ok(&order),
                "{recorded}"
            );
            for service_kind in [
                ServiceType::Default,
                ServiceType::CustomComments,
                ServiceType::Other("x".into()),
            ] {
                let limits = ServiceLimits {
                    id: ServiceId(7),
                    kind: service_kind,
                    min: limits.0,
                    max: limits.1,
                    dripfeed: limits.2,
                };
                match order.validate_for(&limits) {
                    Ok(()) => check_within(&order, &limits),
                    Err(e) => check_error(&e.into()),
                }
            }
            true
        }
        Err(e) => {
            check_error(&e.into());
            false
        }
    }
}

/// Orders of every form with the fields the form takes, each value
/// plausible or not: most are accepted, so that the checks of accepted
/// orders run on every form.
#[test]
fn orders_of_every_form() {
    let word = "[a-z_]{1,8}|[a-z ]{0,3}";
    let strategy = (
        prop::sample::select(OrderForm::ALL.to_vec()),
        (
            "https://x\\.y/[a-z]{0,6}|[a-z ]{0,3}",
            0u64..20_000,
            0u32..20,
            0u32..90,
        ),
        (prop::collection::vec(word, 0..5), word, 0u32..5),
        (
            0u64..600,
            0u64..600,
            proptest::option::of(0u64..9),
            proptest::option::of(0u64..9),
            proptest::option::of(0u32..100),
        ),
        (1u8..6, 1u8..4, proptest::option::of(any::<bool>())),
        (0u64..200, 0u64..20_000, proptest::option::of(any::<bool>())),
    );
    let accepted = AtomicU64::new(0);
    run(
        "orders of every form × 4 checks",
        strategy,
        |(
            kind,
            (link, quantity, runs, interval),
            (list, one, answer),
            (min, max, posts, old, delay),
            (device, traffic, drip),
            limits,
        )| {
            let takes = |name: &str| form_fields(kind).contains(&name);
            let mut f = OrderFields {
                link: takes("link").then_some(link),
                quantity: takes("quantity").then_some(quantity),
                ..OrderFields::default()
            };
            if kind == OrderForm::Default && drip == Some(true) {
                f.runs = Some(runs);
                f.interval = Some(interval);
            }
            for (name, slot) in [
                ("comments", &mut f.comments),
                ("usernames", &mut f.usernames),
                ("hashtags", &mut f.hashtags),
                ("keywords", &mut f.keywords),
                ("groups", &mut f.groups),
            ] {
                if takes(name) {
                    *slot = Some(list.clone());
                }
            }
            for (name, slot) in [
                ("hashtag", &mut f.hashtag),
                ("username", &mut f.username),
                ("media", &mut f.media),
            ] {
                if takes(name) {
                    *slot = Some(one.clone());
                }
            }
            if takes("answer_number") {
                f.answer_number = Some(answer);
            }
            if kind == OrderForm::Subscriptions {
                f.min = Some(min);
                f.max = Some(max);
                f.posts = posts;
                f.old_posts = old;
                f.delay = delay;
            }
            if kind == OrderForm::WebTraffic {
                f.country = Some("US".into());
                f.device = Some(device);
                f.type_of_traffic = Some(traffic);
                match traffic {
                    1 => f.google_keyword = Some(one.clone()),
                    2 => f.referring_url = Some(format!("https://ref.example/{one}")),
                    _ => {}
                }
            }
            if check_order(f, Some(kind), limits) {
                accepted.fetch_add(1, Ordering::Relaxed);
            }
        },
    );
    let accepted = accepted.load(Ordering::Relaxed);
    assert!(
        accepted * 4 >= u64::from(cases()),
        "only {accepted} orders were accepted: the checks of accepted orders ran too rarely"
    );
}

/// The fields each form takes (as the panels' documentation lists them).
fn form_fields(kind: OrderForm) -> &'static [&'static str] {
    match kind {
        OrderForm::Default => &["link", "quantity"],
        OrderForm::Package => &["link"],
        OrderForm::Seo => &["link", "quantity", "keywords"],
        OrderForm::CustomComments | OrderForm::CustomCommentsPackage => &["link", "comments"],
        OrderForm::Mentions => &["link", "quantity", "usernames"],
        OrderForm::MentionsWithHashtags => &["link", "quantity", "usernames", "hashtags"],
        OrderForm::MentionsCustomList => &["link", "usernames"],
        OrderForm::MentionsHashtag => &["link", "quantity", "hashtag"],
        OrderForm::MentionsUserFollowers | OrderForm::CommentLikes => {
            &["link", "quantity", "username"]
        }
        OrderForm::MentionsMediaLikers => &["link", "quantity", "media"],
        OrderForm::CommentReplies => &["link", "username", "comments"],
        OrderForm::Poll => &["link", "quantity", "answer_number"],
        OrderForm::InvitesFromGroups => &["link", "quantity", "groups"],
        OrderForm::Subscriptions => &["username"],
        OrderForm::WebTraffic => &["link", "quantity"],
        _ => &[],
    }
}
