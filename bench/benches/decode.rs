//! Decoding `services` lists against what a user could write instead,
//! every row with the system's allocator (glibc's on Linux): see
//! `rows/mod.rs` for the rows. Then what every core gives here to work
//! that shares nothing: a loop that only computes, over the same bytes.

#![allow(missing_docs, clippy::expect_used)]

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use rayon::prelude::*;

mod rows;

fn decode(c: &mut Criterion) {
    rows::decode(c, "decode_services", rows::Rows::All);
}

/// A hash of each byte, each step waiting for the one before: work that
/// only computes, with nothing allocated and nothing shared.
fn hash(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The hashes of `body` cut in as many parts as smmkit's decode cuts a
/// catalog into (one per thread of the pool it runs in, eight at most).
fn hash_parts(body: &[u8]) -> u64 {
    let parts = rayon::current_num_threads().clamp(1, 8);
    body.par_chunks(body.len().div_ceil(parts))
        .map(hash)
        .reduce(|| 0, u64::wrapping_add)
}

/// What every core gives here to work that shares nothing: the loop above
/// over the 10,000-service catalog, on one thread and on every core.
/// smmkit's every-core ratio against `sonic-rs` derive is its one-thread
/// ratio times what its decode gains from the other cores, and a decode,
/// which allocates and writes memory the cores share, gains less than this.
fn scaling(c: &mut Criterion) {
    let n = 10_000;
    let body = smmkit_bench::catalog_json(n);
    let one_thread = rows::one_thread();
    let mut group = rows::group(c, "machine_scaling");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_with_input(
        BenchmarkId::new("compute_one_thread", n),
        &body,
        |b, body| b.iter(|| one_thread.install(|| hash_parts(black_box(body)))),
    );
    group.bench_with_input(
        BenchmarkId::new("compute_every_core", n),
        &body,
        |b, body| b.iter(|| hash_parts(black_box(body))),
    );
    group.finish();
}

/// One answer to `status` for a batch of 100 orders, as `statuses()` reads
/// each of its requests' answers: smmkit's typed statuses (exact `Decimal`
/// charges, the lenient rules, an error per entry) against `serde_json`
/// into a map of untyped values, what a hand-written loop does.
fn statuses(c: &mut Criterion) {
    let n = 100;
    let (body, ids) = smmkit_bench::statuses_json(n);
    let asked: Vec<smmkit::OrderId> = ids.into_iter().map(smmkit::OrderId).collect();
    let mut group = rows::group(c, "decode_statuses");
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_with_input(BenchmarkId::new("serde_json_value", n), &body, |b, body| {
        b.iter(|| {
            serde_json::from_slice::<std::collections::HashMap<String, serde_json::Value>>(
                black_box(body),
            )
            .expect("a map")
        });
    });
    group.bench_with_input(BenchmarkId::new("smmkit", n), &body, |b, body| {
        b.iter(|| {
            let all = smmkit::wire::decode_statuses_for(black_box(body), &asked).expect("statuses");
            assert!(all.iter().all(|(_, s)| s.is_ok()), "every status read");
            all
        });
    });
    group.finish();
}

criterion_group!(benches, decode, scaling, statuses);
criterion_main!(benches);
