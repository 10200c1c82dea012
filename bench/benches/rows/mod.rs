//! The rows of the decode benchmarks: `services` lists of 1k, 10k and 100k
//! services decoded into typed `Vec<Service>`, beside what a user could
//! write instead on the same bytes: the untyped `serde_json::Value` parse,
//! a `serde` derive into a struct with a `Decimal` rate, a `sonic-rs`
//! derive into `String` fields, the same followed by what smmkit does
//! beyond parsing (exact numbers, readable text) by hand, and the same
//! rules applied by the derive as each field is read (no `String` for a
//! number). smmkit runs on one thread and on every core; the others are
//! single-threaded by nature, but for `sonic-rs` derive on both halves of
//! the list cut by hand, side by side: what the second core gives the
//! fastest hand-written decoder. Every one-thread row decodes on the same
//! thread (a rayon pool of one), so that each allocates from the same heap
//! of the allocator: glibc gives each thread its own, and they do not
//! behave alike. The allocator is the benchmark binary's: `decode` runs
//! every row with the system's, `decode_mimalloc` smmkit's rows and
//! `sonic-rs` derive with mimalloc. `turns` and `turns_mimalloc` decode
//! the every-core rows and their anchors in turns instead.

#![allow(
    dead_code,
    reason = "each benchmark binary runs some of the rows, and the anchors' fields are decoded, never read"
)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, BenchmarkId, Criterion, Throughput};
use rust_decimal::Decimal;
use serde::{Deserialize, Deserializer};

/// A whole number written as a JSON string (`"100"`), as panels send them.
fn from_text<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
    text.parse().map_err(serde::de::Error::custom)
}

/// The typed struct a careful user derives, every field read.
#[derive(Deserialize)]
struct Typed {
    #[serde(deserialize_with = "from_text")]
    service: u64,
    name: String,
    #[serde(rename = "type")]
    kind: String,
    category: String,
    rate: Decimal,
    #[serde(deserialize_with = "from_text")]
    min: u64,
    #[serde(deserialize_with = "from_text")]
    max: u64,
    refill: bool,
    cancel: bool,
    dripfeed: Option<bool>,
    desc: Option<String>,
}

/// The fastest a user could go with `sonic-rs`: every field a `String`.
#[derive(sonic_rs::Deserialize)]
struct Strings {
    service: String,
    name: String,
    #[serde(rename = "type")]
    kind: String,
    category: String,
    rate: String,
    min: String,
    max: String,
    refill: bool,
    cancel: bool,
    dripfeed: Option<bool>,
    desc: Option<String>,
}

/// What smmkit does beyond parsing: whole numbers and an exact rate from
/// their text, names, categories and descriptions made readable (smmkit
/// also keeps the raw text, the extra fields and sets a bad entry aside;
/// this does not). Made by hand from the `sonic-rs` strings ([`ruled`]),
/// or by its derive as each field is read (no `String` for a number).
#[derive(sonic_rs::Deserialize)]
struct Ruled {
    #[serde(deserialize_with = "from_text")]
    service: u64,
    #[serde(deserialize_with = "readable_field")]
    name: String,
    #[serde(rename = "type")]
    kind: String,
    #[serde(deserialize_with = "readable_field")]
    category: String,
    #[serde(deserialize_with = "rate_field")]
    rate: Decimal,
    #[serde(deserialize_with = "from_text")]
    min: u64,
    #[serde(deserialize_with = "from_text")]
    max: u64,
    refill: bool,
    cancel: bool,
    dripfeed: Option<bool>,
    #[serde(deserialize_with = "readable_or_none")]
    desc: Option<String>,
}

fn readable(text: String) -> String {
    match smmkit::readable_text(&text) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(clean) => clean,
    }
}

fn ruled(s: Strings) -> Ruled {
    let whole = |t: &str| t.parse::<u64>().expect("a whole number");
    Ruled {
        service: whole(&s.service),
        name: readable(s.name),
        kind: s.kind,
        category: readable(s.category),
        rate: smmkit::wire::parse_decimal(&s.rate).expect("a rate"),
        min: whole(&s.min),
        max: whole(&s.max),
        refill: s.refill,
        cancel: s.cancel,
        dripfeed: s.dripfeed,
        desc: s.desc.map(readable),
    }
}

/// Readable text, read by `sonic-rs` as the field is parsed.
fn readable_field<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(readable(String::deserialize(d)?))
}

/// Readable text when there is some.
fn readable_or_none<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<String>::deserialize(d)?.map(readable))
}

/// An exact rate from the field's text, borrowed where it can be.
fn rate_field<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
    let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
    smmkit::wire::parse_decimal(&text).ok_or_else(|| serde::de::Error::custom("a rate"))
}

/// The list cut by hand in two lists of its own, at the first `},{"` past
/// the middle: what a user who wants both cores for `sonic-rs` writes.
/// Made once, outside the timing, which only favours the row.
fn halves(body: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let middle = body.len() / 2;
    let cut = middle
        + body[middle..]
            .windows(4)
            .position(|w| w == br#"},{""#)
            .expect("a cut between two services");
    let mut first = body[..=cut].to_vec();
    first.push(b']');
    let mut second = vec![b'['];
    second.extend_from_slice(&body[cut + 2..]);
    (first, second)
}

/// The two halves of [`halves`] decoded by `sonic-rs` derive side by side,
/// on the pool's threads, and joined as smmkit joins its parts.
fn sonic_halves(first: &[u8], second: &[u8]) -> Vec<Strings> {
    let (first, second) = rayon::join(
        || sonic_rs::from_slice::<Vec<Strings>>(black_box(first)),
        || sonic_rs::from_slice::<Vec<Strings>>(black_box(second)),
    );
    let mut all = first.expect("parses");
    all.extend(second.expect("parses"));
    all
}

/// Which rows a group runs.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Rows {
    /// Every row.
    All,
    /// smmkit on every core and on one thread, and `sonic-rs` derive.
    AgainstSonic,
}

/// A rayon pool of one thread, for the one-thread rows.
pub(crate) fn one_thread() -> rayon::ThreadPool {
    rayon::ThreadPoolBuilder::new()
        .num_threads(1)
        .build()
        .expect("a pool of one thread")
}

/// The criterion group `name`, measured as every decode row is.
pub(crate) fn group<'a>(c: &'a mut Criterion, name: &str) -> BenchmarkGroup<'a, WallTime> {
    let mut group = c.benchmark_group(name);
    group
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    group
}

/// Runs `rows` for each catalog size as the criterion group `name`.
pub(crate) fn decode(c: &mut Criterion, name: &str, rows: Rows) {
    let one_thread = one_thread();
    let mut group = group(c, name);
    for n in [1_000usize, 10_000, 100_000] {
        let body = smmkit_bench::catalog_json(n);
        group.throughput(Throughput::Bytes(body.len() as u64));
        group.bench_with_input(BenchmarkId::new("smmkit_typed", n), &body, |b, body| {
            b.iter(|| smmkit::wire::decode_services(black_box(body)).expect("decodes"));
        });
        group.bench_with_input(
            BenchmarkId::new("smmkit_one_thread", n),
            &body,
            |b, body| {
                b.iter(|| {
                    one_thread.install(|| {
                        smmkit::wire::decode_services(black_box(body)).expect("decodes")
                    })
                });
            },
        );
        if rows == Rows::All {
            group.bench_with_input(BenchmarkId::new("serde_json_value", n), &body, |b, body| {
                b.iter(|| {
                    serde_json::from_slice::<serde_json::Value>(black_box(body)).expect("parses")
                });
            });
            group.bench_with_input(
                BenchmarkId::new("serde_derive_decimal", n),
                &body,
                |b, body| {
                    b.iter(|| {
                        one_thread
                            .install(|| serde_json::from_slice::<Vec<Typed>>(black_box(body)))
                            .expect("parses")
                    });
                },
            );
        }
        group.bench_with_input(BenchmarkId::new("sonic_rs_derive", n), &body, |b, body| {
            b.iter(|| {
                one_thread
                    .install(|| sonic_rs::from_slice::<Vec<Strings>>(black_box(body)))
                    .expect("parses")
            });
        });
        // What the second core gives the fastest hand-written decoder: the
        // two halves decoded side by side, on the pool's threads, and joined
        // as smmkit joins its parts.
        let (first, second) = halves(&body);
        group.bench_function(BenchmarkId::new("sonic_rs_derive_halves", n), |b| {
            b.iter(|| sonic_halves(&first, &second));
        });
        if rows == Rows::All {
            group.bench_with_input(
                BenchmarkId::new("sonic_rs_same_rules", n),
                &body,
                |b, body| {
                    b.iter(|| {
                        one_thread.install(|| {
                            let strings = sonic_rs::from_slice::<Vec<Strings>>(black_box(body));
                            strings
                                .expect("parses")
                                .into_iter()
                                .map(ruled)
                                .collect::<Vec<_>>()
                        })
                    });
                },
            );
            group.bench_with_input(
                BenchmarkId::new("sonic_rs_rules_in_derive", n),
                &body,
                |b, body| {
                    b.iter(|| {
                        one_thread
                            .install(|| sonic_rs::from_slice::<Vec<Ruled>>(black_box(body)))
                            .expect("parses")
                    });
                },
            );
        }
    }
    group.finish();
}

/// The every-core rows and their one-thread anchors again, decoded in
/// turns: each round decodes the catalog once with each, in an order that
/// moves by one every round, so that what the machine does meanwhile
/// falls on all of them alike, and a row never runs in a quieter minute
/// than the one it is compared with (criterion measures a row at a time,
/// seconds apart). Each time is a decode and the drop of its result.
/// Prints a JSON line a row, for `report.py`: the medians, with
/// `sonic-rs` derive on one thread as each case's baseline.
#[allow(clippy::print_stdout, reason = "the rows are printed for report.py")]
pub(crate) fn turns(suite: &str, allocator: &str) {
    let one_thread = one_thread();
    for (n, count, rounds) in [
        (1_000usize, "1,000", 300usize),
        (10_000, "10,000", 80),
        (100_000, "100,000", 24),
    ] {
        let body = smmkit_bench::catalog_json(n);
        let (first, second) = halves(&body);
        let sonic = || {
            one_thread
                .install(|| sonic_rs::from_slice::<Vec<Strings>>(black_box(&body)))
                .expect("parses")
                .len()
        };
        let smmkit_one = || {
            one_thread
                .install(|| smmkit::wire::decode_services(black_box(&body)))
                .expect("decodes")
                .len()
        };
        let smmkit_every = || {
            smmkit::wire::decode_services(black_box(&body))
                .expect("decodes")
                .len()
        };
        let both_halves = || sonic_halves(&first, &second).len();
        let rows: [(&str, &dyn Fn() -> usize); 4] = [
            ("sonic-rs derive, String fields (one thread)", &sonic),
            ("smmkit, one thread", &smmkit_one),
            ("smmkit, every core", &smmkit_every),
            (
                "sonic-rs derive, cut in two by hand, every core",
                &both_halves,
            ),
        ];
        let mut times = vec![Vec::with_capacity(rounds); rows.len()];
        for round in 0..rounds + 3 {
            for k in 0..rows.len() {
                let i = (round + k) % rows.len();
                let started = Instant::now();
                let decoded = black_box((rows[i].1)());
                let took = started.elapsed();
                assert_eq!(decoded, n, "{} decoded every service", rows[i].0);
                // The first three rounds warm up, untimed.
                if round >= 3 {
                    times[i].push(took);
                }
            }
        }
        for ((label, _), times) in rows.iter().zip(times) {
            let median = smmkit_bench::median(times).as_secs_f64();
            let line = serde_json::json!({
                "suite": suite,
                "case": format!(
                    "decode {count} services ({:.1} MB), {allocator}, in turns",
                    body.len() as f64 / 1e6
                ),
                "impl": label,
                "median_ms": median * 1e3,
                "runs": rounds,
                "baseline": label.starts_with("sonic-rs derive, String"),
                "extra": {"mb_per_s": body.len() as f64 / 1e6 / median},
            });
            println!("{line}");
        }
    }
}
