//! How `PerfectPanel` and `Fampage` behave over real sockets: the exact
//! requests they send, how answers and failures map to errors, retries,
//! timeouts, the size cap and batching.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod support;

use std::time::{Duration, Instant};

use smmkit::{
    Action, ApiErrorKind, DripFeed, Error, Fampage, Order, OrderId, OrderRequest, PerfectPanel,
    RefillId, RetryPolicy, ServiceId, SmmProvider, Transport,
};
use support::{MockPanel, Reply, dead_url, services_json, status_json};

const KEY: &str = "test-key-not-real";

fn quick_retry(max_retries: u32) -> RetryPolicy {
    RetryPolicy {
        max_retries,
        base_delay: Duration::from_millis(5),
        max_delay: Duration::from_millis(20),
        max_elapsed: Duration::from_secs(10),
    }
}

fn panel(url: &str, transport: Transport) -> PerfectPanel {
    PerfectPanel::builder(url, KEY)
        .transport(transport)
        .retry(quick_retry(2))
        .timeout(Duration::from_secs(5))
        .build()
        .expect("valid config")
}

fn outcome_cause(e: &Error) -> &Error {
    match e {
        Error::OutcomeUnknown { cause, .. } => cause,
        other => panic!("expected OutcomeUnknown, got {other:?}"),
    }
}

// ------------------------------------------------------------ exact requests

#[tokio::test]
async fn post_form_sends_key_action_and_params_in_the_body() {
    let mock = MockPanel::always(Reply::ok(r#"{"order": 23501}"#)).await;
    let p = panel(&mock.url(), Transport::PostForm);
    let order = OrderRequest::new(
        ServiceId(1),
        Order::Default {
            link: "https://instagram.com/p/a b&c".into(),
            quantity: 100,
            dripfeed: Some(DripFeed {
                runs: 3,
                interval: 15,
            }),
        },
    );
    // A link with a space is refused before sending...
    assert!(matches!(p.add(&order).await, Err(Error::Validation(_))));
    assert_eq!(mock.count(), 0, "nothing is sent for an invalid order");
    // ...and a valid one is sent exactly once, form-encoded.
    let order = OrderRequest::new(
        ServiceId(1),
        Order::Default {
            link: "https://instagram.com/p/a?x=1&y=2".into(),
            quantity: 100,
            dripfeed: Some(DripFeed {
                runs: 3,
                interval: 15,
            }),
        },
    );
    assert_eq!(p.add(&order).await.expect("placed"), OrderId(23501));
    let r = &mock.requests()[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.target, "/api/v2");
    assert_eq!(
        r.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(
        r.body,
        "key=test-key-not-real&action=add&service=1&link=https%3A%2F%2Finstagram.com%2Fp%2Fa%3Fx%3D1%26y%3D2&quantity=100&runs=3&interval=15"
    );
    assert!(
        r.header("accept-encoding")
            .is_some_and(|v| v.contains("gzip"))
    );
    assert!(
        r.header("user-agent")
            .is_some_and(|v| v.starts_with("smmkit/"))
    );
}

#[tokio::test]
async fn get_query_sends_everything_in_the_query_string() {
    let mock = MockPanel::always(Reply::ok(status_json("Partial"))).await;
    let p = panel(&mock.url(), Transport::GetQuery);
    let s = p.status(OrderId(7)).await.expect("status");
    assert_eq!(s.remains, Some(157));
    let r = &mock.requests()[0];
    assert_eq!(r.method, "GET");
    assert_eq!(
        r.target,
        "/api/v2?key=test-key-not-real&action=status&order=7"
    );
    assert_eq!(r.body, "");
}

#[tokio::test]
async fn every_method_sends_its_action_and_parameters() {
    let mock = MockPanel::start(|r, _| {
        let p = r.params();
        let body = match (
            p["action"].as_str(),
            p.contains_key("orders") || p.contains_key("refills"),
        ) {
            ("services", _) => services_json(2),
            ("add", _) => r#"{"order":"5"}"#.into(),
            ("status", false) => status_json("Completed"),
            ("status", true) => format!(r#"{{"1":{}}}"#, status_json("Pending")),
            ("refill", false) => r#"{"refill":"9"}"#.into(),
            ("refill", true) => r#"[{"order":1,"refill":9}]"#.into(),
            ("refill_status", false) => r#"{"status":"Completed"}"#.into(),
            ("refill_status", true) => r#"[{"refill":9,"status":"Pending"}]"#.into(),
            ("cancel", true) => r#"[{"order":1,"cancel":1}]"#.into(),
            ("balance", _) => r#"{"balance":"99.80","currency":"USD"}"#.into(),
            _ => r#"{"error":"Incorrect request"}"#.into(),
        };
        Reply::ok(body)
    })
    .await;
    let p = panel(&mock.url(), Transport::PostForm);
    assert_eq!(p.services().await.expect("services").len(), 2);
    assert_eq!(
        p.add(&OrderRequest::link_quantity(1u64, "https://x.y/z", 10))
            .await
            .expect("add"),
        OrderId(5)
    );
    p.status(OrderId(1)).await.expect("status");
    // One id goes out in the single form, more in the batch form.
    assert!(p.statuses(&[OrderId(1)]).await[0].1.is_ok());
    assert!(p.statuses(&[OrderId(1), OrderId(2)]).await[0].1.is_ok());
    assert_eq!(p.refill(OrderId(1)).await.expect("refill"), RefillId(9));
    assert!(p.refills(&[OrderId(1)]).await[0].1.is_ok());
    assert!(p.refills(&[OrderId(1), OrderId(2)]).await[0].1.is_ok());
    p.refill_status(RefillId(9)).await.expect("refill_status");
    assert!(p.refill_statuses(&[RefillId(9)]).await[0].1.is_ok());
    assert!(
        p.refill_statuses(&[RefillId(9), RefillId(10)]).await[0]
            .1
            .is_ok()
    );
    assert!(p.cancel(&[OrderId(1)]).await[0].1.is_ok());
    assert_eq!(
        p.balance().await.expect("balance").amount.to_string(),
        "99.80"
    );
    let sent: Vec<String> = mock
        .requests()
        .iter()
        .map(|r| r.body.replace("key=test-key-not-real&", ""))
        .collect();
    assert_eq!(
        sent,
        vec![
            "action=services",
            "action=add&service=1&link=https%3A%2F%2Fx.y%2Fz&quantity=10",
            "action=status&order=1",
            "action=status&order=1",
            "action=status&orders=1%2C2",
            "action=refill&order=1",
            "action=refill&order=1",
            "action=refill&orders=1%2C2",
            "action=refill_status&refill=9",
            "action=refill_status&refill=9",
            "action=refill_status&refills=9%2C10",
            "action=cancel&orders=1",
            "action=balance",
        ]
    );
}

#[tokio::test]
async fn fampage_uses_get_and_one_request_per_refill_and_cancel() {
    let mock = MockPanel::start(|r, _| {
        let p = r.params();
        match p["action"].as_str() {
            "refill" if p["order"] == "2" => Reply::ok(r#"{"error":"Incorrect order ID"}"#),
            "refill" => Reply::ok(format!(r#"{{"refill":{}}}"#, p["order"])),
            "cancel" => Reply::ok(r#"{"ok":"true"}"#),
            "status" => Reply::ok(r#"{"1":{"charge":"9.9980","start_count":0,"status":"In progress","remains":"100","currency":"INR"},"2":"Incorrect order ID"}"#),
            _ => Reply::ok(r#"{"error":"Incorrect request"}"#),
        }
    })
    .await;
    let f = Fampage::builder(KEY)
        .base_url(mock.url())
        .retry(quick_retry(1))
        .build()
        .expect("config");
    assert_eq!(f.name(), "fampage");
    let refills = f.refills(&[OrderId(1), OrderId(2), OrderId(3)]).await;
    assert_eq!(refills[0].1.as_ref().expect("refill 1"), &RefillId(1));
    assert_eq!(
        refills[1].1.as_ref().expect_err("order 2").api_kind(),
        Some(ApiErrorKind::IncorrectOrderId)
    );
    assert_eq!(refills[2].1.as_ref().expect("refill 3"), &RefillId(3));
    let cancels = f.cancel(&[OrderId(4), OrderId(5)]).await;
    assert!(cancels.iter().all(|(_, r)| r.is_ok()));
    let statuses = f.statuses(&[OrderId(1), OrderId(2)]).await;
    assert_eq!(
        statuses[0].1.as_ref().expect("1").currency.as_deref(),
        Some("INR")
    );
    assert_eq!(
        statuses[1].1.as_ref().expect_err("2").code(),
        "incorrect_order_id"
    );
    let requests = mock.requests();
    assert!(
        requests
            .iter()
            .all(|r| r.method == "GET" && r.body.is_empty())
    );
    let mut targets: Vec<String> = requests
        .iter()
        .map(|r| r.query().replace("key=test-key-not-real&", ""))
        .collect();
    targets.sort();
    assert_eq!(
        targets,
        vec![
            "action=cancel&order=4",
            "action=cancel&order=5",
            "action=refill&order=1",
            "action=refill&order=2",
            "action=refill&order=3",
            "action=status&orders=1%2C2",
        ]
    );
}

// ------------------------------------------------------------- error mapping

#[tokio::test]
async fn an_error_body_is_an_api_error_unless_the_status_is_5xx() {
    for status in [200, 400, 401, 403] {
        let mock =
            MockPanel::always(Reply::Json(status, r#"{"error":"Invalid API key"}"#.into())).await;
        let e = panel(&mock.url(), Transport::PostForm)
            .balance()
            .await
            .expect_err("refused");
        assert_eq!(
            e.api_kind(),
            Some(ApiErrorKind::InvalidKey),
            "HTTP {status}"
        );
        assert_eq!(e.panel_message(), Some("Invalid API key"));
        assert_eq!(
            mock.count(),
            1,
            "an API error is not retried (HTTP {status})"
        );
    }
    // A 5xx with an error body is a server failure, retried like any 5xx;
    // the error keeps the status and the panel's text.
    for status in [500, 502, 503, 504] {
        let mock =
            MockPanel::always(Reply::Json(status, r#"{"error":"Gateway timeout"}"#.into())).await;
        let e = panel(&mock.url(), Transport::PostForm)
            .balance()
            .await
            .expect_err("5xx");
        assert!(
            matches!(e, Error::HttpStatus { status: s, .. } if s == status),
            "{e:?}"
        );
        assert_eq!(e.panel_message(), Some("Gateway timeout"));
        assert!(
            e.to_string()
                .contains(&format!("HTTP {status}: Gateway timeout")),
            "{e}"
        );
        assert_eq!(mock.count(), 3, "retried twice (HTTP {status})");
    }
}

#[tokio::test]
async fn a_refusal_answering_a_batch_is_every_ids_api_error() {
    // Multi answers are not checked for a refusal before they are decoded:
    // their decoders read it, in every shape, whatever the 2xx or 4xx.
    for body in [
        r#"{"error":"Invalid API key"}"#,
        r#"{"error":{"message":"Invalid API key","code":401}}"#,
        r#"{"errors":["Invalid API key"]}"#,
        r#"{"success":false,"message":"Invalid API key"}"#,
        r#"{"status":"error","message":"Invalid API key"}"#,
        "\u{feff} {\"error\":\"Invalid API key\",\"currency\":\"USD\"}",
    ] {
        for status in [200, 401] {
            let mock = MockPanel::always(Reply::Json(status, body.into())).await;
            let p = panel(&mock.url(), Transport::PostForm);
            let orders = [OrderId(1), OrderId(2)];
            let refills = [RefillId(9), RefillId(10)];
            let errors: Vec<Error> = [
                p.statuses(&orders)
                    .await
                    .into_iter()
                    .map(|(_, r)| r.err())
                    .collect::<Vec<_>>(),
                p.refills(&orders)
                    .await
                    .into_iter()
                    .map(|(_, r)| r.err())
                    .collect(),
                p.refill_statuses(&refills)
                    .await
                    .into_iter()
                    .map(|(_, r)| r.err())
                    .collect(),
                p.cancel(&orders)
                    .await
                    .into_iter()
                    .map(|(_, r)| r.err())
                    .collect(),
            ]
            .into_iter()
            .flatten()
            .map(|e| e.expect("refused"))
            .collect();
            assert_eq!(errors.len(), 8, "{body} (HTTP {status})");
            for e in errors {
                assert_eq!(
                    (e.api_kind(), e.panel_message()),
                    (Some(ApiErrorKind::InvalidKey), Some("Invalid API key")),
                    "{body} (HTTP {status}): {e:?}"
                );
            }
            assert_eq!(mock.count(), 4, "one request each, none retried: {body}");
        }
    }
}

#[tokio::test]
async fn http_errors_without_an_error_body() {
    let mock = MockPanel::always(Reply::Html(404, "<h1>Not Found</h1>".into())).await;
    let e = panel(&mock.url(), Transport::PostForm)
        .balance()
        .await
        .expect_err("404");
    assert!(matches!(e, Error::HttpStatus { status: 404, .. }), "{e:?}");
    assert_eq!(mock.count(), 1, "a 404 is not retried");

    let mock = MockPanel::always(Reply::Html(
        502,
        "<html><h1>502 Bad Gateway</h1></html>".into(),
    ))
    .await;
    let e = panel(&mock.url(), Transport::PostForm)
        .services()
        .await
        .expect_err("502");
    assert!(matches!(e, Error::HttpStatus { status: 502, .. }), "{e:?}");
    assert!(e.to_string().contains("502 Bad Gateway"));
    assert_eq!(mock.count(), 3, "a 502 is retried twice, then reported");

    let mock = MockPanel::always(Reply::Html(200, "<html>Just a moment...</html>".into())).await;
    let e = panel(&mock.url(), Transport::PostForm)
        .services()
        .await
        .expect_err("html");
    assert!(
        matches!(
            e,
            Error::Decode {
                action: Action::Services,
                ..
            }
        ),
        "{e:?}"
    );
    assert!(e.to_string().contains("HTML page"));
    assert_eq!(
        mock.count(),
        3,
        "an HTML page instead of JSON is retried for reads"
    );

    let mock = MockPanel::always(Reply::ok(r#"{"balance":"abc"}"#)).await;
    let e = panel(&mock.url(), Transport::PostForm)
        .balance()
        .await
        .expect_err("bad shape");
    assert!(e.to_string().contains("field `balance`"), "{e}");
    assert_eq!(mock.count(), 1, "a wrong shape is not retried");
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let mock = MockPanel::always(Reply::With {
        status: 302,
        headers: vec![("Location".into(), "http://elsewhere.invalid/api/v2".into())],
        body: vec![],
    })
    .await;
    let e = panel(&mock.url(), Transport::GetQuery)
        .balance()
        .await
        .expect_err("redirect");
    assert!(matches!(e, Error::HttpStatus { status: 302, .. }), "{e:?}");
    assert!(e.to_string().contains("redirects"));
    assert_eq!(mock.count(), 1);
}

// ------------------------------------------------------------------- retries

#[tokio::test]
async fn reads_are_retried_until_they_succeed() {
    let mock = MockPanel::start(|_, n| match n {
        0 => Reply::Json(503, "Service Unavailable".into()),
        1 => Reply::Drop,
        2 => Reply::Json(429, "slow down".into()),
        _ => Reply::ok(r#"{"balance":"1.5","currency":"USD"}"#),
    })
    .await;
    let p = PerfectPanel::builder(mock.url(), KEY)
        .retry(quick_retry(3))
        .build()
        .expect("config");
    assert_eq!(
        p.balance()
            .await
            .expect("balance after 3 retries")
            .amount
            .to_string(),
        "1.5"
    );
    assert_eq!(mock.count(), 4);
}

#[tokio::test]
async fn retry_after_is_honoured_within_bounds() {
    let mock = MockPanel::start(|_, n| match n {
        0 => Reply::With {
            status: 429,
            headers: vec![("Retry-After".into(), "1".into())],
            body: vec![],
        },
        _ => Reply::ok(r#"{"balance":"2","currency":"USD"}"#),
    })
    .await;
    let policy = RetryPolicy {
        max_delay: Duration::from_secs(2),
        ..quick_retry(1)
    };
    let p = PerfectPanel::builder(mock.url(), KEY)
        .retry(policy)
        .build()
        .expect("config");
    let started = Instant::now();
    p.balance().await.expect("balance");
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited for Retry-After"
    );
}

#[tokio::test]
async fn add_is_never_retried_once_sent() {
    let order = OrderRequest::link_quantity(3u64, "https://t.me/channel", 1000);
    let cases = [
        (
            "5xx",
            Reply::Html(502, "<html>502 Bad Gateway</html>".into()),
        ),
        ("drop", Reply::Drop),
        (
            "html 200",
            Reply::Html(200, "<html>cloudflare</html>".into()),
        ),
        (
            "truncated",
            Reply::Cut {
                declared: 40,
                sent: r#"{"order": 12"#.into(),
            },
        ),
        ("garbage", Reply::ok("{\"ord")),
        ("both", Reply::ok(r#"{"order":5,"error":"Try again"}"#)),
    ];
    for (what, reply) in cases {
        let mock = MockPanel::always(reply).await;
        let p = panel(&mock.url(), Transport::PostForm);
        let e = p.add(&order).await.expect_err(what);
        assert_eq!(e.kind(), "outcome_unknown", "{what}: {e:?}");
        let Error::OutcomeUnknown { request, .. } = &e else {
            unreachable!()
        };
        assert_eq!(**request, order, "{what}: the error carries what was sent");
        assert_eq!(mock.count(), 1, "{what}: add was sent once");
        assert!(
            e.to_string().contains("may or may not have been placed"),
            "{e}"
        );
    }
}

#[tokio::test]
async fn add_timeout_is_outcome_unknown() {
    let mock = MockPanel::always(Reply::Stall(
        Duration::from_secs(5),
        Box::new(Reply::ok(r#"{"order":1}"#)),
    ))
    .await;
    let p = PerfectPanel::builder(mock.url(), KEY)
        .timeout(Duration::from_millis(300))
        .retry(quick_retry(3))
        .build()
        .expect("config");
    let e = p
        .add(&OrderRequest::link_quantity(3u64, "https://t.me/c", 10))
        .await
        .expect_err("timeout");
    assert!(
        matches!(
            outcome_cause(&e),
            Error::Timeout {
                action: Action::Add,
                ..
            }
        ),
        "{e:?}"
    );
    assert_eq!(mock.count(), 1);
}

#[tokio::test]
async fn add_refused_by_the_panel_is_a_plain_api_error() {
    for status in [200, 400, 402] {
        let mock = MockPanel::always(Reply::Json(
            status,
            r#"{"error":"Not enough funds on balance"}"#.into(),
        ))
        .await;
        let e = panel(&mock.url(), Transport::PostForm)
            .add(&OrderRequest::link_quantity(3u64, "https://t.me/c", 10))
            .await
            .expect_err("refused");
        assert_eq!(
            e.api_kind(),
            Some(ApiErrorKind::InsufficientFunds),
            "{status}"
        );
        assert_eq!(mock.count(), 1);
    }
}

#[tokio::test]
async fn add_answered_5xx_is_an_unknown_outcome_whatever_the_body() {
    // A gateway or a crashing page can say so after the order was created.
    for status in [500, 502, 503, 504] {
        let mock =
            MockPanel::always(Reply::Json(status, r#"{"error":"Gateway timeout"}"#.into())).await;
        let e = panel(&mock.url(), Transport::PostForm)
            .add(&OrderRequest::link_quantity(3u64, "https://t.me/c", 10))
            .await
            .expect_err("unknown");
        let cause = outcome_cause(&e);
        assert!(
            matches!(cause, Error::HttpStatus { status: s, .. } if *s == status),
            "{cause:?}"
        );
        assert_eq!(cause.panel_message(), Some("Gateway timeout"));
        assert!(
            e.to_string()
                .contains(&format!("HTTP {status}: Gateway timeout")),
            "{e}"
        );
        assert_eq!(mock.count(), 1, "never sent twice");
    }
}

#[tokio::test]
async fn add_to_a_panel_that_cannot_be_reached_says_nothing_was_sent() {
    let url = dead_url().await;
    let p = panel(&url, Transport::PostForm);
    let e = p
        .add(&OrderRequest::link_quantity(3u64, "https://t.me/c", 10))
        .await
        .expect_err("unreachable");
    assert!(
        matches!(
            e,
            Error::Transport {
                not_sent: true,
                action: Action::Add,
                ..
            }
        ),
        "{e:?}"
    );
}

#[tokio::test]
async fn refill_and_cancel_are_not_retried_after_sending() {
    let mock = MockPanel::always(Reply::Html(503, "<html>503</html>".into())).await;
    let p = panel(&mock.url(), Transport::PostForm);
    assert!(p.refill(OrderId(1)).await.is_err());
    assert_eq!(mock.count(), 1);
    assert!(p.cancel(&[OrderId(1)]).await[0].1.is_err());
    assert_eq!(mock.count(), 2);
}

// ------------------------------------------------------- timeouts and the cap

#[tokio::test]
async fn answers_beyond_the_cap_are_refused() {
    let declared = MockPanel::always(Reply::ok(services_json(200))).await;
    let endless = MockPanel::always(Reply::Endless).await;
    for mock in [&declared, &endless] {
        let p = PerfectPanel::builder(mock.url(), KEY)
            .max_response_bytes(4096)
            .retry(RetryPolicy::none())
            .build()
            .expect("config");
        let e = p.services().await.expect_err("too large");
        assert!(
            matches!(e, Error::ResponseTooLarge { limit: 4096, .. }),
            "{e:?}"
        );
    }
}

#[tokio::test]
async fn a_body_cut_short_is_an_error_and_retried_for_reads() {
    let mock = MockPanel::start(|_, n| match n {
        0 => Reply::Cut {
            declared: 100,
            sent: r#"{"balance":"1"#.into(),
        },
        _ => Reply::ok(r#"{"balance":"1.25","currency":"USD"}"#),
    })
    .await;
    let p = panel(&mock.url(), Transport::PostForm);
    assert_eq!(
        p.balance().await.expect("second try").amount.to_string(),
        "1.25"
    );
    assert_eq!(mock.count(), 2);
}

#[tokio::test]
async fn gzip_answers_are_decoded() {
    let mock = MockPanel::always(Reply::gzip(&services_json(300))).await;
    let services = panel(&mock.url(), Transport::PostForm)
        .services()
        .await
        .expect("services");
    assert_eq!(services.len(), 300);
    assert_eq!(services[299].id, ServiceId(300));
}

// ------------------------------------------------------------------ batching

#[tokio::test]
async fn batches_of_250_ids_take_3_requests_with_one_result_per_id() {
    let mock = MockPanel::start(|r, _| {
        let ids = r.param("orders").unwrap_or_default();
        let entries: Vec<String> = ids
            .split(',')
            .filter_map(|id| id.parse::<u64>().ok())
            .filter(|id| id % 50 != 0) // every 50th id is missing from the answer
            .map(|id| {
                if id % 7 == 0 {
                    format!(r#""{id}":"Incorrect order ID""#)
                } else {
                    format!(r#""{id}":{}"#, status_json("In progress"))
                }
            })
            .collect();
        Reply::ok(format!("{{{}}}", entries.join(",")))
    })
    .await;
    let p = panel(&mock.url(), Transport::PostForm);
    let mut ids: Vec<OrderId> = (1..=250).map(OrderId).collect();
    ids.push(OrderId(3)); // a duplicate is asked once and answered once
    let results = p.statuses(&ids).await;
    assert_eq!(results.len(), 250);
    assert_eq!(
        results.iter().map(|(id, _)| id.get()).collect::<Vec<_>>(),
        (1..=250).collect::<Vec<_>>()
    );
    for (id, r) in &results {
        match (id.get() % 50 == 0, id.get() % 7 == 0) {
            (true, _) => assert!(
                r.as_ref()
                    .expect_err("missing")
                    .to_string()
                    .contains("no entry for")
            ),
            (false, true) => {
                assert_eq!(r.as_ref().expect_err("bad id").code(), "incorrect_order_id")
            }
            (false, false) => assert_eq!(r.as_ref().expect("ok").remains, Some(157)),
        }
    }
    let mut sizes: Vec<usize> = mock
        .requests()
        .iter()
        .map(|r| r.param("orders").unwrap_or_default().split(',').count())
        .collect();
    sizes.sort_unstable();
    assert_eq!(sizes, vec![50, 100, 100]);
}

#[tokio::test]
async fn a_failed_chunk_fails_only_its_own_ids() {
    let mock = MockPanel::start(|r, _| {
        let ids = r.param("orders").unwrap_or_default();
        if ids.starts_with("101,") {
            return Reply::Json(400, "bad".into());
        }
        let entries: Vec<String> = ids
            .split(',')
            .map(|id| format!(r#""{id}":{}"#, status_json("Completed")))
            .collect();
        Reply::ok(format!("{{{}}}", entries.join(",")))
    })
    .await;
    let p = panel(&mock.url(), Transport::PostForm);
    let ids: Vec<OrderId> = (1..=250).map(OrderId).collect();
    let results = p.statuses(&ids).await;
    let failed: Vec<u64> = results
        .iter()
        .filter(|(_, r)| r.is_err())
        .map(|(id, _)| id.get())
        .collect();
    assert_eq!(failed, (101..=200).collect::<Vec<_>>());
}

// ---------------------------------------------------------------- validation

#[tokio::test]
async fn orders_are_checked_against_the_last_catalog() {
    let mock = MockPanel::start(|r, _| match r.param("action").as_deref() {
        Some("services") => Reply::ok(services_json(3)),
        _ => Reply::ok(r#"{"order":1}"#),
    })
    .await;
    let p = panel(&mock.url(), Transport::PostForm);
    // Before the catalog is known, only the order's own shape is checked.
    p.add(&OrderRequest::link_quantity(9u64, "https://x.y", 5))
        .await
        .expect("placed");
    p.services().await.expect("services");
    let sent = mock.count();
    let too_few = p
        .add(&OrderRequest::link_quantity(2u64, "https://x.y", 5))
        .await
        .expect_err("below min");
    assert_eq!(
        too_few.to_string(),
        "invalid request: `quantity`: 5 is below the minimum of 10 for service 2"
    );
    let unknown = p
        .add(&OrderRequest::link_quantity(9u64, "https://x.y", 50))
        .await
        .expect_err("unknown");
    assert!(
        unknown
            .to_string()
            .contains("service 9 is not in the catalog"),
        "{unknown}"
    );
    let wrong_form = OrderRequest::new(
        2u64,
        Order::Package {
            link: "https://x.y".into(),
        },
    );
    assert!(
        p.add(&wrong_form)
            .await
            .expect_err("wrong form")
            .to_string()
            .contains("takes a `default` order")
    );
    assert_eq!(mock.count(), sent, "nothing was sent for invalid orders");
    p.add(&OrderRequest::link_quantity(2u64, "https://x.y", 10))
        .await
        .expect("valid order placed");
}

#[tokio::test]
async fn bad_configuration_is_refused() {
    let bad = [
        PerfectPanel::builder("ftp://panel.example/api/v2", KEY).build(),
        PerfectPanel::builder("not a url", KEY).build(),
        PerfectPanel::builder("https://panel.example/api/v2", "  ").build(),
        PerfectPanel::builder("https://panel.example/api/v2?key=abc", KEY).build(),
        PerfectPanel::builder("https://panel.example/api/v2", KEY)
            .batch_size(101)
            .build(),
        PerfectPanel::builder("https://panel.example/api/v2", KEY)
            .concurrency(0)
            .build(),
        PerfectPanel::builder("https://panel.example/api/v2", KEY)
            .timeout(Duration::ZERO)
            .build(),
    ];
    for result in bad {
        assert_eq!(result.expect_err("refused").kind(), "config");
    }
}
