//! Status-poll throughput: `statuses()` of 10,000 orders against a sandbox
//! panel in another process, with the default concurrency and with one
//! request at a time, beside the loop a user writes by hand (`reqwest` and
//! `serde_json`, batches of 100, as many at once as smmkit's default), the
//! three timed in turns. The requests each makes, and the most at once, are
//! counted by a sandbox in this process. Places the orders first (once)
//! and writes their ids to a file the Python and Node benchmarks read.
//! Also `services()` beside the bytes of the catalog alone.
//!
//! `throughput URL KEY ORDERS_FILE` prints one JSON record per line.

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::expect_used)]

use std::collections::HashMap;
use std::future::Future;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use smmkit::{OrderId, OrderRequest, PerfectPanel, SmmProvider};
use smmkit_bench::{median, median_time, print_record};
use smmkit_sandbox::{Faults, Sandbox, SandboxConfig};

const ORDERS: usize = 10_000;
const RUNS: usize = 9;
/// smmkit's default: how many batches of a call run at once.
const CONCURRENCY: usize = 4;

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
        print_record(
            (
                "rust-services",
                "services() of 10,000 services (Rust)",
                name,
            ),
            baseline,
            m,
            runs,
            serde_json::json!({}),
        );
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
    let orders = orders.as_slice();
    let http = &reqwest::Client::new();
    let ids = ids.as_slice();
    let (default, one_at_a_time) = (client(url, key, CONCURRENCY), client(url, key, 1));
    // Timed in turns, a round calling each once, after one untimed round:
    // a slow spell of the machine falls on every row alike.
    let mut times = [const { Vec::new() }; 3];
    for round in 0..=RUNS {
        let started = Instant::now();
        let answers = by_hand(http, url, key, ids).await;
        let by_hand_took = started.elapsed();
        assert_eq!(answers.len(), ids.len(), "every status read");
        let mut took = [by_hand_took, Duration::ZERO, Duration::ZERO];
        for (slot, client) in [(1, &default), (2, &one_at_a_time)] {
            let started = Instant::now();
            let results = client.statuses(orders).await;
            took[slot] = started.elapsed();
            assert!(results.iter().all(|(_, r)| r.is_ok()), "every status read");
        }
        if round > 0 {
            for (all, t) in times.iter_mut().zip(took) {
                all.push(t);
            }
        }
    }
    let [by_hand_times, default_times, one_times] = times;
    let seen = asked(|url, key| async move {
        by_hand(http, &url, &key, ids).await;
    })
    .await;
    let name = format!("reqwest + serde_json, batched by 100, {CONCURRENCY} at a time");
    print_statuses(&name, median(by_hand_times), false, seen, ids.len());
    for (name, concurrency, times) in [
        (
            "smmkit statuses(), default concurrency (4)",
            CONCURRENCY,
            default_times,
        ),
        ("smmkit statuses(), one request at a time", 1, one_times),
    ] {
        let seen = asked(|url, key| async move {
            let client = client(&url, &key, concurrency);
            assert_eq!(client.statuses(orders).await.len(), orders.len());
        })
        .await;
        print_statuses(name, median(times), concurrency == 1, seen, orders.len());
    }
}

/// A client running `concurrency` batches at once.
fn client(url: &str, key: &str, concurrency: usize) -> PerfectPanel {
    PerfectPanel::builder(url, key)
        .concurrency(concurrency)
        .build()
        .expect("config")
}

/// The statuses of `ids` as a user fetches them by hand: batches of 100 ids,
/// [`CONCURRENCY`] at once, each answer parsed into a map.
async fn by_hand(
    http: &reqwest::Client,
    url: &str,
    key: &str,
    ids: &[u64],
) -> HashMap<String, serde_json::Value> {
    futures_util::stream::iter(ids.chunks(100))
        .map(|chunk| {
            let joined: Vec<String> = chunk.iter().map(u64::to_string).collect();
            let form = format!("key={key}&action=status&orders={}", joined.join(","));
            async move {
                let body = http
                    .post(url)
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(form)
                    .send()
                    .await
                    .expect("an answer")
                    .bytes()
                    .await
                    .expect("a body");
                serde_json::from_slice::<HashMap<String, serde_json::Value>>(&body)
                    .expect("a map of statuses")
            }
        })
        .buffer_unordered(CONCURRENCY)
        .fold(HashMap::new(), |mut all, answer| async move {
            all.extend(answer);
            all
        })
        .await
}

/// What `call(url, key)` asks of a panel, counted by a sandbox in this
/// process that holds the timed rows' orders nowhere (every id is unknown
/// there; the requests are the same): how many requests, and the most it
/// was answering at once, with answers that take up to 2 ms so that
/// requests overlap as far as the caller lets them.
async fn asked<F, Fut>(call: F) -> Seen
where
    F: FnOnce(String, String) -> Fut,
    Fut: Future<Output = ()>,
{
    let faults = Faults {
        latency: Duration::from_millis(2),
        ..Faults::none()
    };
    let panel = Sandbox::start(SandboxConfig {
        faults,
        ..SandboxConfig::default()
    })
    .await
    .expect("a sandbox");
    let before = panel.fault_counts().clean;
    call(panel.url().to_owned(), panel.key().to_owned()).await;
    Seen {
        requests: panel.fault_counts().clean - before,
        most_in_flight: panel.connections().most_in_flight,
    }
}

/// Requests counted by [`asked`].
struct Seen {
    requests: u64,
    most_in_flight: u64,
}

fn print_statuses(name: &str, m: Duration, baseline: bool, seen: Seen, orders: usize) {
    print_record(
        ("throughput", "statuses of 10,000 orders (Rust)", name),
        baseline,
        m,
        RUNS,
        serde_json::json!({
            "requests": seen.requests,
            "most_in_flight": seen.most_in_flight,
            "requests_per_s": seen.requests as f64 / m.as_secs_f64(),
            "statuses_per_s": orders as f64 / m.as_secs_f64(),
        }),
    );
}
