//! smmkit under the faults real panels produce: no double orders, reads
//! that survive, bounded time and memory, and no key in any log line.
//!
//! Each test prints what it measured (run with `--nocapture` to see it).

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::print_stderr
)]

mod support;

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use smmkit::{
    Error, OrderId, OrderRequest, OrderState, PerfectPanel, RefillId, RetryPolicy, SmmProvider,
    Transport,
};
use smmkit_sandbox::{Clock, Faults, Sandbox, SandboxConfig};

fn patient(max_retries: u32) -> RetryPolicy {
    RetryPolicy {
        max_retries,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(50),
        max_elapsed: Duration::from_secs(60),
    }
}

async fn sandbox(balance: i64) -> Sandbox {
    Sandbox::start(SandboxConfig {
        seed: 11,
        services: 200,
        clock: Clock::manual(),
        balance: smmkit::Decimal::new(balance, 0),
        ..SandboxConfig::default()
    })
    .await
    .expect("sandbox")
}

/// The cheapest plain service that offers refills.
fn plain_service(s: &Sandbox) -> smmkit_sandbox::CatalogService {
    s.catalog()
        .services()
        .iter()
        .filter(|c| c.kind == "Default" && c.refill && c.min <= 100)
        .min_by(|a, b| a.rate.cmp(&b.rate))
        .expect("a plain refillable service")
        .clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_thousand_orders_under_faults_are_never_doubled() {
    let s = sandbox(10_000_000).await;
    let service = plain_service(&s);
    s.set_faults(Faults {
        seed: 7,
        latency: Duration::from_millis(20),
        server_error: 0.08,
        html: 0.08,
        drop: 0.08,
        stall: 0.04,
        stall_for: Duration::from_secs(3),
        after_action: 0.5,
    });
    let client = PerfectPanel::builder(s.url(), s.key())
        .timeout(Duration::from_millis(400))
        .retry(patient(10))
        .check_catalog(false)
        .build()
        .expect("config");

    let outcomes: Vec<(String, smmkit::Result<OrderId>)> = futures_util::stream::iter(0..1000)
        .map(|i| {
            let client = client.clone();
            let link = format!("https://instagram.com/p/order-{i}");
            let order = OrderRequest::link_quantity(service.id, link.clone(), service.min);
            async move { (link, client.add(&order).await) }
        })
        .buffer_unordered(32)
        .collect()
        .await;

    let mut placed: HashMap<String, u64> = HashMap::new();
    let mut unknown: HashSet<String> = HashSet::new();
    let mut refused = Vec::new();
    for (link, result) in outcomes {
        match result {
            Ok(id) => {
                placed.insert(link, id.get());
            }
            Err(Error::OutcomeUnknown { request, .. }) => {
                assert_eq!(
                    request.link(),
                    Some(link.as_str()),
                    "the error carries what was sent"
                );
                unknown.insert(link);
            }
            Err(e) => refused.push((link, e)),
        }
    }
    let created = s.orders();
    let mut created_links: HashMap<&str, u64> = HashMap::new();
    for o in &created {
        let before = created_links.insert(o.link.as_str(), o.id);
        assert!(
            before.is_none(),
            "{} was ordered twice: orders {:?} and {}",
            o.link,
            before,
            o.id
        );
    }
    // Every order the panel created is a success or an unknown outcome.
    for o in &created {
        match placed.get(&o.link) {
            Some(&id) => assert_eq!(id, o.id, "{}: the client's id is the panel's", o.link),
            None => assert!(
                unknown.contains(&o.link),
                "{}: created, yet the client said neither placed nor unknown",
                o.link
            ),
        }
    }
    // Every success is an order the panel created.
    for (link, id) in &placed {
        assert_eq!(
            created_links.get(link.as_str()),
            Some(id),
            "{link}: a success without an order"
        );
    }
    // A definite refusal created nothing.
    for (link, e) in &refused {
        assert!(
            !created_links.contains_key(link.as_str()),
            "{link}: refused ({e}) yet created"
        );
    }
    let unknown_created = unknown
        .iter()
        .filter(|l| created_links.contains_key(l.as_str()))
        .count();
    let counts = s.fault_counts();
    eprintln!(
        "1000 orders: {} placed, {} outcome unknown ({} of them created by the panel, {} not), {} refused; \
         the panel created {}, none twice. Faults injected: {:?}",
        placed.len(),
        unknown.len(),
        unknown_created,
        unknown.len() - unknown_created,
        refused.len(),
        created.len(),
        counts
    );
    assert_eq!(placed.len() + unknown.len() + refused.len(), 1000);
    assert!(
        unknown_created > 0 && unknown.len() > unknown_created,
        "both kinds of unknown outcome happened"
    );
    assert!(counts.drop > 0 && counts.stall > 0 && counts.server_error > 0 && counts.html > 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn reads_survive_30_percent_transient_faults() {
    let s = sandbox(1_000_000).await;
    let service = plain_service(&s);
    let clean = PerfectPanel::builder(s.url(), s.key())
        .build()
        .expect("config");
    let mut real = Vec::new();
    for i in 0..200 {
        let order = OrderRequest::link_quantity(
            service.id,
            format!("https://t.me/c/{i}"),
            service.min.max(10),
        );
        real.push(clean.add(&order).await.expect("placed without faults"));
    }
    s.clock().advance(Duration::from_secs(7 * 24 * 3600));
    let refills: Vec<RefillId> = clean
        .refills(&real)
        .await
        .into_iter()
        .map(|(_, r)| r.expect("refill"))
        .collect();
    s.clock().advance(Duration::from_secs(24 * 3600));
    let balance = s.balance(s.key()).expect("balance");
    let before = s.fault_counts();

    s.set_faults(Faults {
        seed: 2,
        latency: Duration::from_millis(5),
        server_error: 0.10,
        html: 0.08,
        drop: 0.08,
        stall: 0.04,
        stall_for: Duration::from_secs(2),
        after_action: 0.5,
    });
    let policy = patient(12);
    let client = PerfectPanel::builder(s.url(), s.key())
        .timeout(Duration::from_millis(500))
        .retry(policy)
        .build()
        .expect("config");
    let started = Instant::now();

    let services = client.services().await.expect("services despite faults");
    assert_eq!(services.len(), 200);
    assert!(
        services
            .iter()
            .zip(s.catalog().services())
            .all(|(a, b)| a.id.get() == b.id && a.rate == b.rate)
    );

    let mut ids = real.clone();
    ids.extend((5_000_000..5_009_800).map(OrderId));
    assert_eq!(ids.len(), 10_000);
    let statuses = client.statuses(&ids).await;
    assert_eq!(statuses.len(), 10_000);
    let real_set: HashSet<OrderId> = real.iter().copied().collect();
    for (id, r) in &statuses {
        if real_set.contains(id) {
            let st = r.as_ref().unwrap_or_else(|e| panic!("{id}: {e}"));
            assert!(
                matches!(st.status, OrderState::Completed | OrderState::Partial),
                "{id}: {st:?}"
            );
        } else {
            assert_eq!(
                r.as_ref().expect_err("unknown id").code(),
                "incorrect_order_id",
                "{id}"
            );
        }
    }

    assert_eq!(
        client
            .balance()
            .await
            .expect("balance despite faults")
            .amount,
        balance
    );

    let mut refill_ids = refills.clone();
    refill_ids.extend((9_000_000..9_000_050).map(RefillId));
    let states = client.refill_statuses(&refill_ids).await;
    for (id, r) in &states {
        if refills.contains(id) {
            assert!(r.as_ref().is_ok_and(|st| st.is_final()), "{id}: {r:?}");
        } else {
            assert_eq!(
                r.as_ref().expect_err("unknown refill").code(),
                "incorrect_refill_id"
            );
        }
    }
    let elapsed = started.elapsed();
    let after = s.fault_counts();
    let clean = after.clean - before.clean;
    let faulted = (after.server_error + after.html + after.drop + after.stall)
        - (before.server_error + before.html + before.drop + before.stall);
    let share = faulted as f64 / (faulted + clean) as f64;
    eprintln!(
        "reads under faults: services (200), statuses (10,000 ids), balance and refill_statuses (250 ids) all \
         correct in {elapsed:?}; {faulted} of {} requests faulted ({:.0}%)",
        faulted + clean,
        100.0 * share
    );
    assert!(
        share > 0.25,
        "about 30% of requests were faulted, not {share}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_panel_that_never_recovers_fails_within_the_retry_bound() {
    let s = sandbox(1000).await;
    s.set_faults(Faults {
        seed: 1,
        server_error: 1.0,
        ..Faults::none()
    });
    let policy = RetryPolicy {
        max_retries: 20,
        base_delay: Duration::from_millis(20),
        max_delay: Duration::from_millis(200),
        max_elapsed: Duration::from_secs(1),
    };
    let client = PerfectPanel::builder(s.url(), s.key())
        .timeout(Duration::from_millis(500))
        .retry(policy)
        .build()
        .expect("config");
    // One exchange may still be under way when the bound passes.
    let limit =
        policy.max_elapsed + policy.max_delay + Duration::from_millis(500) + Duration::from_secs(1);

    let started = Instant::now();
    let e = client.balance().await.expect_err("the panel is down");
    let one = started.elapsed();
    assert!(
        matches!(
            e,
            Error::HttpStatus {
                status: 502 | 503,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(
        e.to_string()
            .starts_with("balance: the panel answered HTTP 50"),
        "{e}"
    );
    assert!(one < limit, "gave up after {one:?}, the bound is {limit:?}");

    let started = Instant::now();
    let ids: Vec<OrderId> = (1..=10_000).map(OrderId).collect();
    let all = client.statuses(&ids).await;
    let many = started.elapsed();
    assert_eq!(all.len(), 10_000);
    assert!(
        all.iter()
            .all(|(_, r)| r.as_ref().is_err_and(|e| e.code() == "http_status"))
    );
    // Four chunks run at once; once they have failed, the other 96 are not sent.
    assert!(many < limit * 2, "10,000 ids gave up after {many:?}");
    let sent = s.fault_counts().server_error;
    eprintln!(
        "a panel that never recovers: balance failed after {one:?}, statuses of 10,000 ids after {many:?} \
         ({sent} requests in all, bound {limit:?}): {e}"
    );
}

/// The resident memory of this process, in KiB.
#[cfg(target_os = "linux")]
fn rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        })
        .unwrap_or(0)
}

#[cfg(target_os = "linux")]
#[tokio::test]
async fn endless_and_stalled_answers_stay_within_time_and_memory() {
    use support::{MockPanel, Reply};
    let endless = MockPanel::always(Reply::Endless).await;
    let stalled = MockPanel::always(Reply::StallBody {
        status: 200,
        declared: 10_000,
        sent: "[".into(),
        stall: Duration::from_secs(30),
    })
    .await;
    let cap = 8 * 1024 * 1024;
    let timeout = Duration::from_secs(2);
    let client = |url: String| {
        PerfectPanel::builder(url, "test-key-not-real")
            .max_response_bytes(cap)
            .timeout(timeout)
            .retry(RetryPolicy::none())
            .build()
            .expect("config")
    };
    let before = rss_kib();
    let started = Instant::now();
    for _ in 0..5 {
        let e = client(endless.url()).services().await.expect_err("endless");
        assert!(
            matches!(e, Error::ResponseTooLarge { limit, .. } if limit == cap),
            "{e:?}"
        );
    }
    let endless_time = started.elapsed();
    let started = Instant::now();
    let e = client(stalled.url()).services().await.expect_err("stalled");
    assert!(matches!(e, Error::Timeout { .. }), "{e:?}");
    let stalled_time = started.elapsed();
    let grown = rss_kib().saturating_sub(before);
    eprintln!(
        "endless bodies: 5 refused at the {cap}-byte cap in {endless_time:?}; a stalled body gave up after \
         {stalled_time:?} (timeout {timeout:?}); memory grew {grown} KiB"
    );
    assert!(stalled_time < timeout + Duration::from_secs(2));
    // Unbounded reading would hold gigabytes; the cap keeps it to a few buffers.
    assert!(grown < 256 * 1024, "memory grew {grown} KiB");
}

/// A log sink for the test's subscriber.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_log_line_shows_the_key_at_trace_level() {
    const SENTINELS: [&str; 2] = [
        "sentinel-fake-key-do-not-leak",
        "Zq9/Xv+Kp8=&%w s\"<éx>'Yt7Nw==",
    ];
    let sink = Captured::default();
    let writer = sink.clone();
    tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .try_init()
        .expect("the only subscriber of this test binary");

    let s = sandbox(1000).await;
    for key in SENTINELS {
        s.add_account(key, smmkit::Decimal::new(100, 0), "USD");
    }
    let dead = support::dead_url().await;
    for (key, transport) in SENTINELS
        .iter()
        .flat_map(|k| [(*k, Transport::PostForm), (*k, Transport::GetQuery)])
    {
        for url in [s.url().to_owned(), dead.clone()] {
            let client = PerfectPanel::builder(url, key)
                .transport(transport)
                .timeout(Duration::from_millis(300))
                .retry(RetryPolicy {
                    max_retries: 1,
                    ..patient(1)
                })
                .build()
                .expect("config");
            for faults in [
                Faults::none(),
                Faults {
                    drop: 1.0,
                    ..Faults::none()
                },
                Faults {
                    html: 1.0,
                    ..Faults::none()
                },
            ] {
                s.set_faults(faults);
                let _ = client.services().await;
                let _ = client
                    .add(&OrderRequest::link_quantity(1u64, "https://x.y/p", 100))
                    .await;
                let _ = client.statuses(&[OrderId(1), OrderId(2)]).await;
                let _ = client.balance().await;
            }
        }
    }
    let logs = String::from_utf8_lossy(&sink.0.lock().unwrap()).into_owned();
    let lines = logs.lines().count();
    eprintln!("{lines} log lines at trace level, none with the key");
    assert!(
        logs.contains("retrying") && logs.contains("sending request"),
        "smmkit's own lines were captured"
    );
    assert!(lines > 100, "only {lines} lines were captured");
    for key in SENTINELS {
        let form: String = url::form_urlencoded::byte_serialize(key.as_bytes()).collect();
        for spelling in [key.to_owned(), form.clone(), form.replace('+', "%20")] {
            for line in logs.lines() {
                assert!(
                    !line.contains(&spelling),
                    "the key leaked into a log line: {line}"
                );
            }
        }
    }
}
