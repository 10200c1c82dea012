//! Decoding `services` lists of 1k, 10k and 100k services into typed
//! `Vec<Service>`, beside the untyped `serde_json::Value` parse of the same
//! bytes.

#![allow(missing_docs, clippy::expect_used)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

fn decode(c: &mut Criterion) {
    let mut group = c.benchmark_group("decode_services");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3));
    for n in [1_000usize, 10_000, 100_000] {
        let body = smmkit_bench::catalog_json(n);
        group.throughput(Throughput::Bytes(body.len() as u64));
        group.bench_with_input(BenchmarkId::new("smmkit_typed", n), &body, |b, body| {
            b.iter(|| smmkit::wire::decode_services(black_box(body)).expect("decodes"));
        });
        group.bench_with_input(BenchmarkId::new("serde_json_value", n), &body, |b, body| {
            b.iter(|| {
                serde_json::from_slice::<serde_json::Value>(black_box(body)).expect("parses")
            });
        });
    }
    group.finish();
}

criterion_group!(benches, decode);
criterion_main!(benches);
