//! The journal across processes, on SQLite and on Postgres:
//!
//! - a process placing 1,000 journaled orders against a faulty sandbox is
//!   killed with SIGKILL part-way; a new process runs the same 1,000 keys
//!   to the end; the sandbox's own record and the journal agree exactly;
//! - four processes sync 10,000 orders together: each order is polled
//!   once in the round.
//!
//! The processes are this test binary run again, each running one of the
//! `child_*` tests, which do nothing unless the parent set them up.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    missing_docs
)]

mod support;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rust_decimal::Decimal;
use smmkit_journal::{AddOptions, EntryState, Journal, JournalOptions};
use smmkit_provider_core::{OrderRequest, SmmProvider};
use smmkit_sandbox::{Faults, SandboxConfig};
use support::{client, default_service, journal_urls, sandbox_with, temp_path, unique};

const ROLE: &str = "SMMKIT_JOURNAL_CHILD";

/// The parent's setup for a child, as environment variables.
struct Setup<'a> {
    role: &'a str,
    sandbox_url: &'a str,
    key: &'a str,
    journal: &'a str,
    service: u64,
    quantity: u64,
    dir: &'a Path,
}

fn spawn(test: &str, setup: &Setup<'_>) -> Child {
    Command::new(std::env::current_exe().unwrap())
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(ROLE, setup.role)
        .env("CHILD_SANDBOX_URL", setup.sandbox_url)
        .env("CHILD_SANDBOX_KEY", setup.key)
        .env("CHILD_JOURNAL", setup.journal)
        .env("CHILD_SERVICE", setup.service.to_string())
        .env("CHILD_QUANTITY", setup.quantity.to_string())
        .env("CHILD_DIR", setup.dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .unwrap()
}

fn var(name: &str) -> String {
    std::env::var(name).unwrap()
}

/// The child's panel and journal, as the parent set them up.
async fn child_panel(lease: Duration) -> (Journal, smmkit_journal::Journaled) {
    let journal = Journal::open_with(
        &var("CHILD_JOURNAL"),
        JournalOptions {
            lease,
            ..JournalOptions::default()
        },
    )
    .await
    .unwrap();
    let provider: Arc<dyn SmmProvider> = Arc::new(
        smmkit_perfect_panel::PerfectPanel::builder(
            var("CHILD_SANDBOX_URL"),
            var("CHILD_SANDBOX_KEY"),
        )
        .timeout(Duration::from_secs(5))
        .build()
        .unwrap(),
    );
    let panel = journal.attach_as("main", provider);
    (journal, panel)
}

fn crash_key(i: usize) -> String {
    format!("crash-{i:04}")
}

fn crash_link(key: &str) -> String {
    format!("https://example.com/p/{key}")
}

/// In a child: places the 1,000 orders, eight at a time, each under its
/// key; errors are the journal's to record.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn child_places_orders() {
    if std::env::var(ROLE).as_deref() != Ok("place") {
        return;
    }
    let (_journal, panel) = child_panel(Duration::from_secs(2)).await;
    let service: u64 = var("CHILD_SERVICE").parse().unwrap();
    let quantity: u64 = var("CHILD_QUANTITY").parse().unwrap();
    let panel = Arc::new(panel);
    let next = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let workers = (0..8).map(|_| {
        let (panel, next) = (Arc::clone(&panel), Arc::clone(&next));
        tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                if i >= 1000 {
                    break;
                }
                let key = crash_key(i);
                let order = OrderRequest::link_quantity(service, crash_link(&key), quantity);
                let _ = panel.add_with(&order, &AddOptions::key(key)).await;
            }
        })
    });
    for w in futures_util::future::join_all(workers).await {
        w.unwrap();
    }
    println!("CHILD DONE");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_process_killed_while_placing_orders_loses_none_and_doubles_none() {
    for url in journal_urls("crash").await {
        let sandbox = sandbox_with(SandboxConfig {
            seed: 41,
            balance: Decimal::new(100_000_000, 0),
            faults: Faults {
                seed: 7,
                server_error: 0.04,
                html: 0.02,
                drop: 0.04,
                after_action: 0.5,
                ..Faults::none()
            },
            ..SandboxConfig::default()
        })
        .await;
        let (service, quantity) = default_service(&sandbox);
        let dir = temp_path(&unique("crash"));
        let setup = Setup {
            role: "place",
            sandbox_url: sandbox.url(),
            key: sandbox.key(),
            journal: &url,
            service,
            quantity,
            dir: &dir,
        };
        let mut first = spawn("child_places_orders", &setup);
        let deadline = Instant::now() + Duration::from_secs(120);
        while sandbox.orders().len() < 300 {
            assert!(
                Instant::now() < deadline,
                "the first child placed too few orders"
            );
            assert!(
                first.try_wait().unwrap().is_none(),
                "the first child ended before it was killed"
            );
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        first.kill().unwrap(); // SIGKILL
        first.wait().unwrap();
        let at_kill = sandbox.orders().len();
        assert!(
            at_kill < 1000,
            "the kill came too late to cut anything short"
        );

        let second = spawn("child_places_orders", &setup);
        let out = second.wait_with_output().unwrap();
        assert!(out.status.success(), "{url}: the second child failed");
        assert!(String::from_utf8_lossy(&out.stdout).contains("CHILD DONE"));

        // The sandbox's record against the journal's.
        let journal = Journal::open(&url).await.unwrap();
        let orders = sandbox.orders();
        let mut by_key: HashMap<String, Vec<u64>> = HashMap::new();
        for o in &orders {
            let key = o
                .link
                .strip_prefix("https://example.com/p/")
                .unwrap()
                .to_owned();
            by_key.entry(key).or_default().push(o.id);
        }
        for (key, ids) in &by_key {
            assert_eq!(ids.len(), 1, "{url}: key {key} produced orders {ids:?}");
            let entry = journal
                .order(key)
                .await
                .unwrap()
                .unwrap_or_else(|| panic!("{key} not journaled"));
            match entry.state {
                EntryState::Placed => {
                    assert_eq!(entry.order.map(|o| o.get()), Some(ids[0]), "{url}: {key}")
                }
                EntryState::Unknown => {}
                other => panic!(
                    "{url}: {key} was placed as order {} but is journaled {other}",
                    ids[0]
                ),
            }
        }
        let mut states: HashMap<EntryState, usize> = HashMap::new();
        for i in 0..1000 {
            let key = crash_key(i);
            let entry = journal
                .order(&key)
                .await
                .unwrap()
                .unwrap_or_else(|| panic!("{key} lost"));
            *states.entry(entry.state).or_default() += 1;
            if entry.state == EntryState::Placed {
                assert!(
                    by_key.contains_key(&key),
                    "{url}: {key} is placed but the sandbox has no such order"
                );
            }
            assert_ne!(entry.state, EntryState::Sending, "{url}: {key}");
        }
        println!(
            "{url}: {} orders at the kill, {} in the end; journal: {states:?}",
            at_kill,
            orders.len()
        );
        assert!(
            states.get(&EntryState::Unknown).copied().unwrap_or(0) > 0,
            "faults made some unknown"
        );
        assert!(states.get(&EntryState::Placed).copied().unwrap_or(0) >= 800);
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// In a child: waits for the parent's go, syncs once, prints how many
/// orders it polled.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn child_syncs() {
    if std::env::var(ROLE).as_deref() != Ok("sync") {
        return;
    }
    let (journal, _panel) = child_panel(Duration::from_secs(30)).await;
    let dir = PathBuf::from(var("CHILD_DIR"));
    std::fs::write(dir.join(format!("ready-{}", std::process::id())), "").unwrap();
    while !dir.join("go").exists() {
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let report = journal.sync().await.unwrap();
    assert!(report.failed.is_empty(), "{:?}", report.failed.first());
    println!("POLLED {}", report.polled);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn four_processes_sync_10000_orders_together_polling_each_once() {
    for url in journal_urls("four_workers").await {
        let sandbox = sandbox_with(SandboxConfig {
            seed: 42,
            balance: Decimal::new(100_000_000, 0),
            clock: smmkit_sandbox::Clock::manual(),
            ..SandboxConfig::default()
        })
        .await;
        let (service, quantity) = default_service(&sandbox);
        let journal = Journal::open(&url).await.unwrap();
        let panel = Arc::new(journal.attach_as("main", client(&sandbox)));
        panel.services().await.unwrap();
        let placed = futures_util::future::join_all((0..16).map(|w| {
            let panel = Arc::clone(&panel);
            tokio::spawn(async move {
                for i in (w..10_000).step_by(16) {
                    let o = OrderRequest::link_quantity(
                        service,
                        format!("https://t.me/w/{i}"),
                        quantity,
                    );
                    panel.add(&o).await.unwrap();
                }
            })
        }))
        .await;
        placed.into_iter().for_each(|p| p.unwrap());
        assert_eq!(sandbox.orders().len(), 10_000);

        let dir = temp_path(&unique("workers"));
        std::fs::create_dir_all(&dir).unwrap();
        let setup = Setup {
            role: "sync",
            sandbox_url: sandbox.url(),
            key: sandbox.key(),
            journal: &url,
            service,
            quantity,
            dir: &dir,
        };
        let children: Vec<Child> = (0..4).map(|_| spawn("child_syncs", &setup)).collect();
        let deadline = Instant::now() + Duration::from_secs(60);
        while std::fs::read_dir(&dir).unwrap().count() < 4 {
            assert!(Instant::now() < deadline, "the workers did not get ready");
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        std::fs::write(dir.join("go"), "").unwrap();
        let mut polled = Vec::new();
        for child in children {
            let out = child.wait_with_output().unwrap();
            assert!(out.status.success(), "{url}: a worker failed");
            let text = String::from_utf8_lossy(&out.stdout).into_owned();
            let n: u64 = text
                .lines()
                .find_map(|l| l.split_once("POLLED ").map(|(_, n)| n))
                .unwrap_or_else(|| panic!("{text}"))
                .trim()
                .parse()
                .unwrap();
            polled.push(n);
        }
        println!("{url}: the four workers polled {polled:?}");
        assert_eq!(polled.iter().sum::<u64>(), 10_000, "{url}");
        assert!(
            polled.iter().filter(|n| **n > 0).count() >= 2,
            "{url}: the work was not shared: {polled:?}"
        );
        let polls: Vec<u64> = sandbox.orders().iter().map(|o| o.polls).collect();
        assert!(
            polls.iter().all(|p| *p == 1),
            "{url}: polled other than once: {:?}",
            polls
                .iter()
                .filter(|p| **p != 1)
                .take(5)
                .collect::<Vec<_>>()
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
