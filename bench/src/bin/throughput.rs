//! Status-poll throughput: `statuses()` of 10,000 orders against a sandbox
//! panel in another process, with the default concurrency and with one
//! request at a time. Places the orders first (once) and writes their ids
//! to a file the Python and Node benchmarks read. Also `services()` beside
//! the bytes of the catalog alone.
//!
//! `throughput URL KEY ORDERS_FILE` prints one JSON record per line.

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::expect_used)]

use std::time::Instant;

use futures_util::StreamExt;
use smmkit::{OrderId, OrderRequest, PerfectPanel, SmmProvider};
use smmkit_bench::median_time;

const ORDERS: usize = 10_000;
const RUNS: usize = 7;

async fn place_orders(panel: &PerfectPanel) -> Vec<u64> {
    let services = panel.services().await.expect("services");
    let service = services
        .iter()
        .filter(|s| s.kind == smmkit::ServiceType::Default && s.min <= 100)
        .min_by(|a, b| a.rate.cmp(&b.rate))
        .expect("a cheap Default service")
        .clone();
    let ids: Vec<u64> = futures_util::stream::iter(0..ORDERS)
        .map(|i| {
            let order = OrderRequest::link_quantity(
                service.id,
                format!("https://t.me/bench/{i}"),
                service.min.max(10),
            );
            async move { panel.add(&order).await.expect("placed").get() }
        })
        .buffer_unordered(32)
        .collect()
        .await;
    ids
}

/// `services()` of the catalog beside its bytes alone, read as smmkit reads
/// them (one buffer the size the panel declares): what decoding adds in
/// place, which the Python and Node figures include.
async fn services(panel: &PerfectPanel, url: &str, key: &str) {
    let http = &reqwest::Client::new();
    let form = &format!("key={key}&action=services");
    let bytes = move || async move {
        let mut response = http
            .post(url)
            .header("content-type", "application/x-www-form-urlencoded")
            .body(form.clone())
            .send()
            .await
            .expect("an answer");
        let size = response.content_length().unwrap_or(0);
        let mut body = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
        while let Some(chunk) = response.chunk().await.expect("a chunk") {
            body.extend_from_slice(&chunk);
        }
        body.len()
    };
    let runs = 31;
    let alone = median_time(runs, bytes, |len| {
        assert!(len > 1_000_000, "a whole catalog")
    })
    .await;
    let decoded = median_time(
        runs,
        || panel.services(),
        |list| assert_eq!(list.expect("the catalog").len(), 10_000, "every service"),
    )
    .await;
    for (name, m, baseline) in [
        ("part: the bytes alone (reqwest, one buffer)", alone, true),
        (
            "smmkit services() (bytes, then decoded on every core)",
            decoded,
            false,
        ),
    ] {
        let record = serde_json::json!({
            "suite": "rust-services",
            "case": "services() of 10,000 services (Rust)",
            "impl": name,
            "baseline": baseline,
            "median_ms": m.as_secs_f64() * 1000.0,
            "runs": runs,
            "extra": {},
        });
        println!("{record}");
    }
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, key, file] = args.as_slice() else {
        eprintln!("usage: throughput URL KEY ORDERS_FILE");
        std::process::exit(2);
    };
    let panel = PerfectPanel::new(url, key).expect("config");
    let ids: Vec<u64> = match std::fs::read_to_string(file) {
        Ok(text) => serde_json::from_str(&text).expect("an id list"),
        Err(_) => {
            let started = Instant::now();
            let ids = place_orders(&panel).await;
            eprintln!("placed {} orders in {:?}", ids.len(), started.elapsed());
            std::fs::write(file, serde_json::to_string(&ids).expect("json")).expect("writable");
            ids
        }
    };
    services(&panel, url, key).await;
    let orders: Vec<OrderId> = ids.iter().copied().map(OrderId).collect();
    for (name, concurrency) in [
        ("smmkit statuses(), default concurrency (4)", 4),
        ("smmkit statuses(), one request at a time", 1),
    ] {
        let client = PerfectPanel::builder(url, key)
            .concurrency(concurrency)
            .build()
            .expect("config");
        let m = median_time(
            RUNS,
            || client.statuses(&orders),
            |results| assert!(results.iter().all(|(_, r)| r.is_ok()), "every status read"),
        )
        .await;
        let requests = orders.len().div_ceil(100);
        let record = serde_json::json!({
            "suite": "throughput",
            "case": "statuses of 10,000 orders (Rust)",
            "impl": name,
            "baseline": concurrency == 1,
            "median_ms": m.as_secs_f64() * 1000.0,
            "runs": RUNS,
            "extra": {
                "requests": requests,
                "requests_per_s": requests as f64 / m.as_secs_f64(),
                "statuses_per_s": orders.len() as f64 / m.as_secs_f64(),
            },
        });
        println!("{record}");
    }
}
