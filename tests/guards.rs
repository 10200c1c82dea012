//! Tests that guard one promise each, so that a change that breaks it
//! fails here: the whole-exchange timeout (not a per-read one), the
//! `max_elapsed` bound of retries, and a failed chunk of a batch failing
//! only its own ids whatever the concurrency.
//!
//! Time bounds are what the code promises plus a margin for a slow,
//! shared machine: `SLACK`.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod support;

use std::time::{Duration, Instant};

use smmkit::{Error, OrderId, PerfectPanel, RetryPolicy, SmmProvider};
use support::{MockPanel, Reply, status_json};

const KEY: &str = "test-key-not-real";

/// What a busy 2-core machine may add to a promised time.
const SLACK: Duration = Duration::from_millis(700);

#[tokio::test]
async fn a_body_trickled_byte_by_byte_still_times_out_at_the_timeout() {
    // Each byte comes sooner than the timeout: a per-read timeout would
    // never fire, and the call would last as long as the panel liked.
    let body = format!(
        r#"{{"balance":"1.00","currency":"USD","pad":"{}"}}"#,
        "x".repeat(400)
    );
    let mock = MockPanel::always(Reply::Trickle {
        body,
        every: Duration::from_millis(20),
    })
    .await;
    let timeout = Duration::from_millis(300);
    let p = PerfectPanel::builder(mock.url(), KEY)
        .timeout(timeout)
        .retry(RetryPolicy::none())
        .build()
        .unwrap();
    let started = Instant::now();
    let e = p
        .balance()
        .await
        .expect_err("the whole exchange is bounded");
    let took = started.elapsed();
    assert!(matches!(e, Error::Timeout { .. }), "{e:?}");
    assert!(took >= timeout, "{took:?}");
    assert!(
        took < timeout + SLACK,
        "the timeout is {timeout:?}, the call took {took:?}"
    );
}

#[tokio::test]
async fn stalled_headers_and_bodies_end_at_the_timeout() {
    let stalled = MockPanel::always(Reply::Stall(
        Duration::from_secs(10),
        Box::new(Reply::ok("{}")),
    ))
    .await;
    let body = MockPanel::always(Reply::StallBody {
        status: 200,
        declared: 1000,
        sent: r#"{"balance":"#.into(),
        stall: Duration::from_secs(10),
    })
    .await;
    let timeout = Duration::from_millis(300);
    for mock in [&stalled, &body] {
        let p = PerfectPanel::builder(mock.url(), KEY)
            .timeout(timeout)
            .retry(RetryPolicy::none())
            .build()
            .unwrap();
        let started = Instant::now();
        let e = p.balance().await.expect_err("times out");
        let took = started.elapsed();
        assert!(matches!(e, Error::Timeout { .. }), "{e:?}");
        assert!(took >= timeout && took < timeout + SLACK, "took {took:?}");
    }
}

#[tokio::test]
async fn retries_stop_at_max_elapsed_even_when_many_are_left() {
    let mock = MockPanel::always(Reply::Html(503, "<html>down</html>".into())).await;
    let policy = RetryPolicy {
        max_retries: 1_000_000,
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(50),
        max_elapsed: Duration::from_millis(400),
    };
    let timeout = Duration::from_millis(500);
    let p = PerfectPanel::builder(mock.url(), KEY)
        .timeout(timeout)
        .retry(policy)
        .build()
        .unwrap();
    let bound = policy.max_elapsed + policy.max_delay + timeout;
    let started = Instant::now();
    // A client that ignored the bound would retry for hours: cut it off.
    let e = tokio::time::timeout(bound + SLACK * 2, p.balance())
        .await
        .expect("the retries stop by themselves")
        .expect_err("the panel is down");
    let took = started.elapsed();
    assert!(matches!(e, Error::HttpStatus { status: 503, .. }), "{e:?}");
    assert!(
        took < bound + SLACK,
        "took {took:?}; the bound is {bound:?}"
    );
    assert!(mock.count() > 2, "it did retry: {}", mock.count());
    assert!(
        mock.count() < 1_000,
        "stopped by time, not by count: {}",
        mock.count()
    );
}

#[tokio::test]
async fn a_refused_chunk_fails_only_its_own_ids_whatever_the_concurrency() {
    // More chunks than run at once: with concurrency 1 every chunk waits
    // for the one before; a refusal of one must not stop the rest.
    for (refusal, concurrency) in [
        (
            Reply::Json(400, r#"{"error":"Incorrect request"}"#.into()),
            1,
        ),
        (Reply::ok(r#"{"error":"Incorrect request"}"#), 1),
        (Reply::Json(400, "bad".into()), 2),
    ] {
        let mock = MockPanel::start(move |r, _| {
            let ids = r.param("orders").unwrap_or_default();
            if ids.starts_with("201,") {
                return refusal.clone();
            }
            let entries: Vec<String> = ids
                .split(',')
                .map(|id| format!(r#""{id}":{}"#, status_json("Completed")))
                .collect();
            Reply::ok(format!("{{{}}}", entries.join(",")))
        })
        .await;
        let p = PerfectPanel::builder(mock.url(), KEY)
            .concurrency(concurrency)
            .retry(RetryPolicy::none())
            .build()
            .unwrap();
        let ids: Vec<OrderId> = (1..=650).map(OrderId).collect();
        let results = p.statuses(&ids).await;
        let failed: Vec<u64> = results
            .iter()
            .filter(|(_, r)| r.is_err())
            .map(|(id, _)| id.get())
            .collect();
        assert_eq!(
            failed,
            (201..=300).collect::<Vec<_>>(),
            "concurrency {concurrency}"
        );
        assert_eq!(mock.count(), 7, "every chunk was sent");
    }
}
