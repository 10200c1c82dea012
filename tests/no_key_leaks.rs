//! The API key never appears in any error's `Display` or `Debug`, nor in a
//! client's `Debug`, on every failure path, with both transports: GET puts
//! the key in the URL, and panels echo what they were sent.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod support;

use std::time::Duration;

use smmkit::{
    Fampage, OrderId, OrderRequest, PerfectPanel, RefillId, RetryPolicy, SmmProvider, Transport,
};
use support::{MockPanel, Reply, dead_url};

const SENTINEL: &str = "sentinel-fake-key-do-not-leak";

fn client(url: &str, transport: Transport) -> PerfectPanel {
    PerfectPanel::builder(url, SENTINEL)
        .transport(transport)
        .timeout(Duration::from_millis(300))
        .connect_timeout(Duration::from_millis(300))
        .max_response_bytes(64 * 1024)
        .retry(RetryPolicy {
            max_retries: 1,
            ..RetryPolicy::none()
        })
        .build()
        .expect("valid config")
}

/// Every text a caller could print of an error.
fn texts(e: &smmkit::Error) -> [String; 3] {
    [
        e.to_string(),
        format!("{e:?}"),
        serde_json::to_string(e).expect("serializable"),
    ]
}

/// Runs every method against `url` and returns every text of every error.
async fn every_error_text(url: &str, transport: Transport) -> Vec<String> {
    let p = client(url, transport);
    let mut out = vec![format!("{p:?}")];
    let mut errors = Vec::new();
    errors.extend(p.services().await.err());
    errors.extend(
        p.add(&OrderRequest::link_quantity(
            1u64,
            "https://t.me/channel",
            100,
        ))
        .await
        .err(),
    );
    errors.extend(p.status(OrderId(1)).await.err());
    errors.extend(
        p.statuses(&[OrderId(1), OrderId(2)])
            .await
            .into_iter()
            .filter_map(|(_, r)| r.err()),
    );
    errors.extend(p.refill(OrderId(1)).await.err());
    errors.extend(
        p.refills(&[OrderId(1)])
            .await
            .into_iter()
            .filter_map(|(_, r)| r.err()),
    );
    errors.extend(p.refill_status(RefillId(1)).await.err());
    errors.extend(
        p.refill_statuses(&[RefillId(1)])
            .await
            .into_iter()
            .filter_map(|(_, r)| r.err()),
    );
    errors.extend(
        p.cancel(&[OrderId(1)])
            .await
            .into_iter()
            .filter_map(|(_, r)| r.err()),
    );
    errors.extend(p.balance().await.err());
    assert!(!errors.is_empty(), "the path under test produced errors");
    for e in &errors {
        out.extend(texts(e));
    }
    out
}

fn assert_clean(what: &str, texts: &[String]) {
    for t in texts {
        assert!(!t.contains(SENTINEL), "{what}: the key leaked in: {t}");
    }
}

#[tokio::test]
async fn no_failure_path_shows_the_key() {
    // Panels that echo the request back, the key included, in every way.
    let echo = |r: &support::Recorded| format!("{} {}", r.target, r.body);
    let scripts: Vec<(&str, MockPanel)> = vec![
        ("api error echoing the key", MockPanel::start(move |r, _| {
            Reply::ok(serde_json::json!({ "error": format!("Invalid API key {}", echo(r)) }).to_string())
        }).await),
        ("html page echoing the key", MockPanel::start(move |r, _| Reply::Html(200, format!("<html>{}</html>", echo(r)))).await),
        ("5xx echoing the key", MockPanel::start(move |r, _| Reply::Html(502, format!("<html>{}</html>", echo(r)))).await),
        ("4xx echoing the key", MockPanel::start(move |r, _| Reply::Json(403, echo(r))).await),
        ("wrong shape echoing the key", MockPanel::start(move |r, _| {
            Reply::ok(serde_json::json!({ "balance": echo(r), "order": echo(r), "status": {"x": echo(r)}, "refill": [echo(r)] }).to_string())
        }).await),
        ("redirect to a URL with the key", MockPanel::start(move |r, _| Reply::With {
            status: 302,
            headers: vec![("Location".into(), format!("http://elsewhere.invalid{}", r.target))],
            body: echo(r).into_bytes(),
        }).await),
        ("dropped connection", MockPanel::always(Reply::Drop).await),
        ("stalled headers", MockPanel::always(Reply::Stall(Duration::from_secs(5), Box::new(Reply::ok("{}")))).await),
        ("stalled body", MockPanel::always(Reply::StallBody { status: 200, declared: 500, sent: "{\"a\":".into(), stall: Duration::from_secs(5) }).await),
        ("cut body", MockPanel::always(Reply::Cut { declared: 500, sent: "{\"a\":".into() }).await),
        ("endless body", MockPanel::always(Reply::Endless).await),
    ];
    for transport in [Transport::PostForm, Transport::GetQuery] {
        for (what, mock) in &scripts {
            let texts = every_error_text(&mock.url(), transport).await;
            assert_clean(&format!("{what} ({transport:?})"), &texts);
        }
        let texts = every_error_text(&dead_url().await, transport).await;
        assert_clean(&format!("unreachable panel ({transport:?})"), &texts);
    }
}

#[tokio::test]
async fn clients_builders_and_config_errors_do_not_show_the_key() {
    let builder = PerfectPanel::builder("https://panel.example/api/v2", SENTINEL);
    assert_clean("builder", &[format!("{builder:?}")]);
    let fampage = Fampage::builder(SENTINEL);
    assert_clean("fampage builder", &[format!("{fampage:?}")]);
    let fampage = fampage.build().expect("config");
    assert_clean("fampage", &[format!("{fampage:?}")]);
    let e = PerfectPanel::builder(
        format!("https://panel.example/api/v2?key={SENTINEL}"),
        SENTINEL,
    )
    .build()
    .expect_err("key in URL");
    assert_clean("config error", &texts(&e));
    let e = PerfectPanel::builder(
        format!("https://{SENTINEL}:{SENTINEL}@panel.example/api/v2"),
        SENTINEL,
    )
    .build()
    .expect_err("credentials in URL");
    assert_clean("config error", &texts(&e));
}

#[test]
fn the_sentinel_is_used_at_all() {
    // Guards against a test that passes because it never put the key anywhere.
    let p = PerfectPanel::builder("https://panel.example/api/v2", SENTINEL)
        .build()
        .expect("config");
    let debug = format!("{p:?}");
    assert!(debug.contains("[redacted]"), "{debug}");
}
