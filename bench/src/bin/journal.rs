//! What the order journal costs, against a sandbox panel in another
//! process: one `add` journaled on an SQLite file next to a plain `add`
//! (the catalog warm in both, so each is one request), and a sync round of
//! 10,000 open orders next to a plain `statuses()` of the same ids.
//!
//! `journal URL KEY DIR` prints one JSON record per line; DIR holds the
//! journal files.

#![allow(clippy::print_stdout, clippy::print_stderr, clippy::expect_used)]

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use smmkit::journal::{AddOptions, Journal};
use smmkit::{
    Balance, CancelRequested, Entries, OrderId, OrderRequest, OrderStatus, PerfectPanel, RefillId,
    RefillState, Result, Service, ServiceList, SmmProvider,
};
use smmkit_bench::{median, median_time, print_record};

const ADDS: usize = 200;
const RUNS: usize = 5;
const SYNCED: usize = 10_000;

/// A provider that counts the status requests its batches make.
struct Counting {
    inner: PerfectPanel,
    requests: AtomicU64,
}

#[smmkit::async_trait]
impl SmmProvider for Counting {
    fn name(&self) -> &str {
        self.inner.name()
    }
    async fn services(&self) -> Result<ServiceList> {
        self.inner.services().await
    }
    async fn add(&self, order: &OrderRequest) -> Result<OrderId> {
        self.inner.add(order).await
    }
    async fn status(&self, order: OrderId) -> Result<OrderStatus> {
        self.requests.fetch_add(1, Ordering::Relaxed);
        self.inner.status(order).await
    }
    async fn statuses(&self, orders: &[OrderId]) -> Entries<OrderId, OrderStatus> {
        let requests = orders.len().div_ceil(100);
        self.requests.fetch_add(
            u64::try_from(requests).unwrap_or(u64::MAX),
            Ordering::Relaxed,
        );
        self.inner.statuses(orders).await
    }
    async fn refill(&self, order: OrderId) -> Result<RefillId> {
        self.inner.refill(order).await
    }
    async fn refills(&self, orders: &[OrderId]) -> Entries<OrderId, RefillId> {
        self.inner.refills(orders).await
    }
    async fn refill_status(&self, refill: RefillId) -> Result<RefillState> {
        self.inner.refill_status(refill).await
    }
    async fn refill_statuses(&self, refills: &[RefillId]) -> Entries<RefillId, RefillState> {
        self.inner.refill_statuses(refills).await
    }
    async fn cancel(&self, orders: &[OrderId]) -> Entries<OrderId, CancelRequested> {
        self.inner.cancel(orders).await
    }
    async fn balance(&self) -> Result<Balance> {
        self.inner.balance().await
    }
}

fn record(case: &str, name: &str, baseline: bool, m: Duration, extra: serde_json::Value) {
    print_record(("journal", case, name), baseline, m, RUNS, extra);
}

fn order(service: &Service, n: usize) -> OrderRequest {
    OrderRequest::link_quantity(
        service.id,
        format!("https://t.me/journal-bench/{}-{n}", std::process::id()),
        service.min.max(10),
    )
}

async fn adds(url: &str, key: &str, dir: &Path, service: &Service) {
    let plain = PerfectPanel::new(url, key).expect("config");
    plain.services().await.expect("services");
    let file = dir.join("adds.db");
    let _ = std::fs::remove_file(&file);
    let journal = Journal::open(&format!("sqlite://{}", file.display()))
        .await
        .expect("journal");
    let journaled = journal.attach(Arc::new(PerfectPanel::new(url, key).expect("config")));
    journaled.services().await.expect("services");
    let mut n = 0;
    let (mut plain_times, mut journal_times) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        let started = Instant::now();
        for _ in 0..ADDS {
            n += 1;
            plain.add(&order(service, n)).await.expect("placed");
        }
        plain_times.push(started.elapsed() / u32::try_from(ADDS).unwrap_or(1));
        let started = Instant::now();
        for _ in 0..ADDS {
            n += 1;
            journaled
                .add_with(&order(service, n), &AddOptions::key(format!("bench-{n}")))
                .await
                .expect("placed");
        }
        journal_times.push(started.elapsed() / u32::try_from(ADDS).unwrap_or(1));
    }
    let case = "one add, catalog warm (one request each)";
    record(
        case,
        "plain add()",
        true,
        median(plain_times),
        serde_json::json!({}),
    );
    record(
        case,
        "journaled add_with() on an SQLite file (intent, send, outcome)",
        false,
        median(journal_times),
        serde_json::json!({}),
    );
}

async fn sync_round(url: &str, key: &str, dir: &Path, service: &Service) {
    let file = dir.join("sync.db");
    let _ = std::fs::remove_file(&file);
    let journal = Journal::open(&format!("sqlite://{}", file.display()))
        .await
        .expect("journal");
    let counting = Arc::new(Counting {
        inner: PerfectPanel::new(url, key).expect("config"),
        requests: AtomicU64::new(0),
    });
    let journaled = journal.attach(counting.clone());
    journaled.services().await.expect("services");
    let started = Instant::now();
    let ids: Vec<OrderId> = futures_util::stream::iter(0..SYNCED)
        .map(|i| {
            let journaled = &journaled;
            let o = order(service, 1_000_000 + i);
            async move { journaled.add(&o).await.expect("placed") }
        })
        .buffer_unordered(32)
        .collect()
        .await;
    eprintln!("journaled {} orders in {:?}", ids.len(), started.elapsed());

    let plain = PerfectPanel::new(url, key).expect("config");
    let plain_time = median_time(
        RUNS,
        || plain.statuses(&ids),
        |results| assert!(results.iter().all(|(_, r)| r.is_ok()), "every status read"),
    )
    .await;
    let mut sync_times = Vec::new();
    let mut requests = Vec::new();
    for _ in 0..RUNS {
        let before = counting.requests.load(Ordering::Relaxed);
        let started = Instant::now();
        let report = journal.sync().await.expect("sync");
        sync_times.push(started.elapsed());
        requests.push(counting.requests.load(Ordering::Relaxed) - before);
        assert_eq!(report.polled, SYNCED as u64, "every open order polled once");
    }
    let case = "a status round of 10,000 open orders";
    record(
        case,
        "plain statuses() of the ids",
        true,
        plain_time,
        serde_json::json!({"requests": SYNCED.div_ceil(100)}),
    );
    record(
        case,
        "journal sync() on an SQLite file (stores status and history)",
        false,
        median(sync_times),
        serde_json::json!({"requests": requests.iter().max()}),
    );
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url, key, dir] = args.as_slice() else {
        eprintln!("usage: journal URL KEY DIR");
        std::process::exit(2);
    };
    let dir = Path::new(dir);
    std::fs::create_dir_all(dir).expect("a directory for the journals");
    let panel = PerfectPanel::new(url, key).expect("config");
    let services = panel.services().await.expect("services");
    let service = services
        .iter()
        .filter(|s| s.kind == smmkit::ServiceType::Default && s.min <= 100)
        .min_by(|a, b| a.rate.cmp(&b.rate))
        .expect("a cheap Default service")
        .clone();
    adds(url, key, dir, &service).await;
    sync_round(url, key, dir, &service).await;
}
