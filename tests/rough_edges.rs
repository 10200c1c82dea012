//! What real panels do that a careful client must survive: connections
//! closed without notice, single-object answers to batch requests, stray
//! keys, byte-order marks, odd refusals, rate limits with long or dated
//! `Retry-After`, malformed catalog entries, too many requests at once.
//! Each case is a loopback panel that behaves that way.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod support;

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use smmkit::{
    ApiErrorKind, Error, OrderId, OrderRequest, PerfectPanel, RefillId, RetryPolicy, SmmProvider,
    Transport,
};
use support::{MockPanel, Reply, services_json, status_json};

const KEY: &str = "test-key-not-real";

fn quick_retry(max_retries: u32) -> RetryPolicy {
    RetryPolicy {
        max_retries,
        base_delay: Duration::from_millis(2),
        max_delay: Duration::from_millis(20),
        max_elapsed: Duration::from_secs(10),
    }
}

fn panel(url: &str) -> PerfectPanel {
    PerfectPanel::builder(url, KEY)
        .retry(quick_retry(3))
        .timeout(Duration::from_secs(5))
        .build()
        .expect("valid config")
}

// ------------------------------------------- connections closed without notice

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panel_closing_kept_alive_connections_never_makes_an_add_unknown() {
    // The panel answers without `Connection: close` and then closes the
    // connection: a client that reused it for an `add` would lose the
    // answer after writing the request, and could not know whether the
    // order exists. Reads in between keep the pool busy with such
    // connections.
    let mock = MockPanel::start_with(false, |r, _| {
        let p = r.params();
        match p["action"].as_str() {
            "add" => Reply::ok(format!(
                r#"{{"order":{}}}"#,
                1000 + p["quantity"].parse::<u64>().unwrap()
            )),
            "balance" => Reply::ok(r#"{"balance":"10.00","currency":"USD"}"#),
            _ => Reply::ok(r#"{"error":"Incorrect request"}"#),
        }
    })
    .await;
    let p = panel(&mock.url());
    let mut unknown = 0;
    let mut placed = HashSet::new();
    for i in 1..=1000u64 {
        p.balance().await.expect("reads are retried");
        support::spin(Duration::from_micros((i * 389) % 2500)).await;
        match p
            .add(&OrderRequest::link_quantity(
                1u64,
                format!("https://t.me/c{i}"),
                i,
            ))
            .await
        {
            Ok(id) => assert!(placed.insert(id), "order {id} reported twice"),
            Err(Error::OutcomeUnknown { .. }) => unknown += 1,
            Err(e) => panic!("add {i}: {e}"),
        }
    }
    let adds: Vec<String> = mock
        .requests()
        .iter()
        .filter(|r| r.param("action").as_deref() == Some("add"))
        .map(|r| r.param("link").unwrap())
        .collect();
    let distinct: HashSet<&String> = adds.iter().collect();
    assert_eq!(unknown, 0, "no false unknown outcome");
    assert_eq!(placed.len(), 1000);
    assert_eq!(adds.len(), 1000, "each add reached the panel once");
    assert_eq!(distinct.len(), 1000, "no add sent twice");
}

// ------------------------------------------------------- order ids and BOMs

#[tokio::test]
async fn an_order_id_of_zero_or_below_is_an_unknown_outcome_with_the_body() {
    for body in [r#"{"order":0}"#, r#"{"order":"0"}"#, r#"{"order":-5}"#] {
        let mock = MockPanel::always(Reply::ok(body)).await;
        let e = panel(&mock.url())
            .add(&OrderRequest::link_quantity(1u64, "https://t.me/c", 10))
            .await
            .expect_err("not an order id");
        let Error::OutcomeUnknown { cause, .. } = &e else {
            panic!("{body}: {e:?}");
        };
        assert!(
            matches!(cause.as_ref(), Error::Decode { snippet, .. } if snippet.contains("order")),
            "{body}: {cause:?}"
        );
        assert_eq!(mock.count(), 1);
    }
}

#[tokio::test]
async fn a_byte_order_mark_before_the_answer_is_skipped_everywhere() {
    let mock = MockPanel::start(|r, _| {
        let body = match r.param("action").as_deref() {
            Some("add") => r#"{"order":555}"#.to_owned(),
            Some("services") => services_json(3),
            Some("status") => status_json("Completed"),
            _ => r#"{"balance":"1.50","currency":"USD"}"#.to_owned(),
        };
        let mut bytes = b"\xEF\xBB\xBF\r\n ".to_vec();
        bytes.extend_from_slice(body.as_bytes());
        Reply::With {
            status: 200,
            headers: vec![("Content-Type".into(), "application/json".into())],
            body: bytes,
        }
    })
    .await;
    let p = panel(&mock.url());
    assert_eq!(p.services().await.expect("services").len(), 3);
    assert_eq!(
        p.add(&OrderRequest::link_quantity(1u64, "https://t.me/c", 10))
            .await
            .expect("placed, not unknown"),
        OrderId(555)
    );
    assert!(p.status(OrderId(555)).await.is_ok());
    assert_eq!(
        p.balance().await.expect("balance").amount.to_string(),
        "1.50"
    );
}

// ------------------------------------------------------ refusals in all shapes

#[tokio::test]
async fn refusals_in_every_shape_are_api_errors_on_reads_and_on_add_only_when_definite() {
    let definite = [
        r#"{"error":{"message":"Not enough funds on balance"}}"#,
        r#"{"errors":["Not enough funds on balance"]}"#,
        r#"{"status":"error","message":"Not enough funds on balance"}"#,
        r#"{"success":false,"message":"Not enough funds on balance"}"#,
    ];
    for body in definite {
        let mock = MockPanel::always(Reply::ok(body)).await;
        let p = panel(&mock.url());
        let e = p.balance().await.expect_err(body);
        assert_eq!(
            e.panel_message(),
            Some("Not enough funds on balance"),
            "{body}"
        );
        let e = p
            .add(&OrderRequest::link_quantity(1u64, "https://t.me/c", 10))
            .await
            .expect_err(body);
        assert_eq!(
            e.api_kind(),
            Some(ApiErrorKind::InsufficientFunds),
            "{body}: {e}"
        );
    }
    for body in [r#"{"error":""}"#, r#"{"error":null}"#] {
        let mock = MockPanel::always(Reply::ok(body)).await;
        let p = panel(&mock.url());
        let e = p.balance().await.expect_err(body);
        assert_eq!(e.kind(), "api", "{body}");
        let e = p
            .add(&OrderRequest::link_quantity(1u64, "https://t.me/c", 10))
            .await
            .expect_err(body);
        assert!(matches!(e, Error::OutcomeUnknown { .. }), "{body}: {e:?}");
    }
}

// --------------------------------------------------------------- rate limits

#[tokio::test]
async fn a_retry_after_beyond_the_policy_stops_at_once_and_says_when() {
    let mock = MockPanel::always(Reply::With {
        status: 429,
        headers: vec![("Retry-After".into(), "999999".into())],
        body: b"Too Many Requests".to_vec(),
    })
    .await;
    let started = Instant::now();
    let e = panel(&mock.url()).balance().await.expect_err("limited");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(mock.count(), 1, "no retry the panel asked not to make");
    assert_eq!(e.api_kind(), Some(ApiErrorKind::RateLimited));
    assert_eq!(e.retry_after(), Some(Duration::from_secs(999_999)));
    assert!(e.to_string().contains("wait 999999s"), "{e}");
}

#[tokio::test]
async fn a_retry_after_date_is_honoured() {
    // An HTTP date two seconds ahead (dates have whole seconds).
    let date = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(2));
    let mock = MockPanel::start(move |_, n| match n {
        0 => Reply::With {
            status: 429,
            headers: vec![("Retry-After".into(), date.clone())],
            body: vec![],
        },
        _ => Reply::ok(r#"{"balance":"2","currency":"USD"}"#),
    })
    .await;
    let p = PerfectPanel::builder(mock.url(), KEY)
        .retry(RetryPolicy {
            max_delay: Duration::from_secs(5),
            ..quick_retry(1)
        })
        .build()
        .unwrap();
    let started = Instant::now();
    p.balance().await.expect("retried after the date");
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(900) && waited < Duration::from_secs(4),
        "{waited:?}"
    );
    assert_eq!(mock.count(), 2);
}

#[tokio::test]
async fn a_date_too_far_ahead_also_stops_at_once() {
    let date = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(3600));
    let mock = MockPanel::always(Reply::With {
        status: 503,
        headers: vec![("Retry-After".into(), date)],
        body: b"<html>maintenance</html>".to_vec(),
    })
    .await;
    let e = panel(&mock.url()).balance().await.expect_err("down");
    assert_eq!(mock.count(), 1);
    let after = e.retry_after().expect("says when");
    assert!(after > Duration::from_secs(3500), "{after:?}");
}

// ---------------------------------------------------------- one id, one object

#[tokio::test]
async fn one_id_uses_the_single_forms_and_their_shapes() {
    let mock = MockPanel::start(|r, _| {
        let p = r.params();
        let single = p.contains_key("order") || p.contains_key("refill");
        let body = match (p["action"].as_str(), single) {
            ("status", true) => status_json("Completed"),
            ("refill", true) => r#"{"refill":"501"}"#.into(),
            ("refill_status", true) => r#"{"status":"Completed"}"#.into(),
            // Cancels go out as `orders=`; this panel answers one id with one object.
            ("cancel", false) => r#"{"ok":"true"}"#.into(),
            _ => r#"{"error":"Incorrect request"}"#.into(),
        };
        Reply::ok(body)
    })
    .await;
    let p = panel(&mock.url());
    let s = p.statuses(&[OrderId(1001)]).await;
    assert_eq!(s.len(), 1);
    assert_eq!(s[0].1.as_ref().expect("status").remains, Some(157));
    let r = p.refills(&[OrderId(1001)]).await;
    assert_eq!(r[0].1.as_ref().expect("refill"), &RefillId(501));
    let rs = p.refill_statuses(&[RefillId(501)]).await;
    assert!(rs[0].1.is_ok(), "{:?}", rs[0].1);
    let c = p.cancel(&[OrderId(1001)]).await;
    assert_eq!(c.len(), 1);
    assert!(c[0].1.is_ok(), "{:?}", c[0].1);
    let sent: Vec<String> = mock
        .requests()
        .iter()
        .map(|r| r.body.replace("key=test-key-not-real&", ""))
        .collect();
    assert_eq!(
        sent,
        [
            "action=status&order=1001",
            "action=refill&order=1001",
            "action=refill_status&refill=501",
            "action=cancel&orders=1001",
        ]
    );
}

#[tokio::test]
async fn a_batch_answered_with_single_objects_for_one_id_is_read() {
    // A chunk of one id that still went out in the batch form (a panel
    // that only takes `orders=`) may come back as a single object.
    let statuses = smmkit::wire::decode_statuses_for(
        br#"{"status":"In progress","remains":"40"}"#,
        &[OrderId(7)],
    )
    .unwrap();
    assert_eq!(statuses[0].0, OrderId(7));
    let refills = smmkit::wire::decode_refills_for(br#"{"refill":501}"#, &[OrderId(7)]).unwrap();
    assert_eq!(refills[0].1.as_ref().unwrap(), &RefillId(501));
    let cancels = smmkit::wire::decode_cancels_for(br#"{"cancel":1}"#, &[OrderId(7)]).unwrap();
    assert!(cancels[0].1.is_ok());
    // Asked for two, a single object is no answer for either.
    let two =
        smmkit::wire::decode_statuses_for(br#"{"status":"Completed"}"#, &[OrderId(1), OrderId(2)])
            .unwrap();
    assert!(two.is_empty());
}

// -------------------------------------------------------------- stray keys

#[tokio::test]
async fn keys_that_are_not_asked_ids_never_fail_a_chunk() {
    let mock = MockPanel::start(|r, _| {
        let ids = r.param("orders").unwrap();
        let mut items: Vec<String> = ids
            .split(',')
            .map(|id| format!(r#""{id}":{}"#, status_json("Completed")))
            .collect();
        items.push(r#""currency":"USD""#.into());
        items.push(r#""abc":{"status":"Pending"}"#.into());
        items.push(format!(r#"" 1":{}"#, status_json("Pending")));
        items.push(format!(r#""999999":{}"#, status_json("Pending")));
        Reply::ok(format!("{{{}}}", items.join(",")))
    })
    .await;
    let ids: Vec<OrderId> = (1..=100).map(OrderId).collect();
    let all = panel(&mock.url()).statuses(&ids).await;
    assert_eq!(all.len(), 100);
    for (id, r) in &all {
        assert!(r.is_ok(), "{id}: {r:?}");
    }
    assert_eq!(mock.count(), 1);
}

// ----------------------------------------------------------- malformed catalog

#[tokio::test]
async fn one_malformed_service_costs_only_itself() {
    let mock = MockPanel::start(|r, _| match r.param("action").as_deref() {
        Some("services") => Reply::ok(
            r#"[{"service":1,"name":"Good","type":"Default","rate":"1.00","min":"10","max":"1000"},
                {"service":2,"name":"Bad","type":"Default","rate":"1.00","min":"10","max":""},
                {"service":3,"name":"Also good","type":"Default","rate":"2.00","min":"10","max":"1000"}]"#,
        ),
        _ => Reply::ok(r#"{"order":77}"#),
    })
    .await;
    let p = panel(&mock.url());
    let list = p.services().await.expect("the good services");
    assert_eq!(list.iter().map(|s| s.id.get()).collect::<Vec<_>>(), [1, 3]);
    assert_eq!(list.skipped.len(), 1);
    assert_eq!(
        list.skipped[0].to_string(),
        "services[1] (service 2): `max` is empty"
    );
    // The good services can be ordered; the skipped one is not in the catalog.
    assert_eq!(
        p.add(&OrderRequest::link_quantity(3u64, "https://t.me/c", 100))
            .await
            .unwrap(),
        OrderId(77)
    );
    let e = p
        .add(&OrderRequest::link_quantity(2u64, "https://t.me/c", 100))
        .await
        .expect_err("not in the catalog");
    assert_eq!(e.kind(), "validation");
}

// --------------------------------------------------------- connections capped

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_calls_at_once_open_at_most_the_connection_cap() {
    let mock = MockPanel::start(|_, _| {
        Reply::Stall(
            Duration::from_millis(2),
            Box::new(Reply::ok(status_json("Pending"))),
        )
    })
    .await;
    let p = Arc::new(
        PerfectPanel::builder(mock.url(), KEY)
            .max_connections(8)
            .transport(Transport::PostForm)
            .retry(quick_retry(5))
            .build()
            .unwrap(),
    );
    let calls: Vec<_> = (1..=1000u64)
        .map(|i| {
            let p = Arc::clone(&p);
            tokio::spawn(async move { p.status(OrderId(i)).await })
        })
        .collect();
    for c in calls {
        c.await.unwrap().expect("status");
    }
    let opened = mock.connections();
    assert!(
        opened >= 1000,
        "this panel closes every connection: {opened}"
    );
    let most = mock.most_in_flight();
    assert!(
        most <= 8,
        "at most 8 requests (connections) at once, saw {most}"
    );
    assert!(most >= 2, "the calls did run side by side: {most}");
}
