//! The sandbox panel over HTTP, read as raw JSON: what a real panel does,
//! it does.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::time::Duration;

use rust_decimal::Decimal;
use serde_json::Value;
use smmkit_sandbox::{Catalog, Clock, Dialect, Faults, Numbers, Sandbox, SandboxConfig, Shapes};

async fn start(dialect: Dialect) -> Sandbox {
    let catalog = Catalog::from_json(
        r#"[
        {"service":1,"name":"Likes","type":"Default","rate":"0.50","min":10,"max":10000,"refill":true,"cancel":true,"dripfeed":true},
        {"service":2,"name":"Comments","type":"Custom Comments","rate":"45.00","min":2,"max":100},
        {"service":3,"name":"Views","type":"Default","rate":"0.01","min":100,"max":1000000,"cancel":false},
        {"service":4,"name":"Package","type":"Package","rate":"12.00","min":1,"max":1},
        {"service":5,"name":"Poll","type":"Poll","rate":"2.00","min":10,"max":1000},
        {"service":6,"name":"Web","type":"Web Traffic","rate":"1.00","min":100,"max":100000},
        {"service":7,"name":"Subs","type":"Subscriptions","rate":"3.00","min":10,"max":500}
    ]"#,
    )
    .expect("catalog");
    Sandbox::start(SandboxConfig {
        catalog: Some(catalog),
        clock: Clock::manual(),
        dialect,
        key: Some("sandbox-test-key".into()),
        balance: Decimal::new(10_000, 2),
        ..SandboxConfig::default()
    })
    .await
    .expect("sandbox")
}

async fn post(s: &Sandbox, params: &[(&str, &str)]) -> Value {
    let mut all = vec![("key", s.key())];
    all.extend_from_slice(params);
    let body = url::form_urlencoded::Serializer::new(String::new())
        .extend_pairs(all)
        .finish();
    let text = reqwest::Client::new()
        .post(s.url())
        .header("content-type", "application/x-www-form-urlencoded")
        .body(body)
        .send()
        .await
        .expect("answer")
        .text()
        .await
        .expect("body");
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"))
}

async fn get(s: &Sandbox, query: &str) -> Value {
    let url = format!("{}?key={}&{query}", s.url(), s.key());
    reqwest::get(url)
        .await
        .expect("answer")
        .json()
        .await
        .expect("JSON")
}

fn money(v: &Value) -> Decimal {
    v.as_str()
        .expect("a decimal string")
        .parse()
        .expect("decimal")
}

#[tokio::test]
async fn wrong_key_and_unknown_action_get_the_panel_errors() {
    let s = start(Dialect::default()).await;
    let v: Value = reqwest::get(format!("{}?key=nope&action=balance", s.url()))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(v, serde_json::json!({"error": "Invalid API key"}));
    assert_eq!(
        get(&s, "action=fly").await,
        serde_json::json!({"error": "Incorrect request"})
    );
    assert_eq!(
        get(&s, "").await,
        serde_json::json!({"error": "Incorrect request"})
    );
}

#[tokio::test]
async fn an_order_lives_on_the_clock_and_costs_rate_times_quantity() {
    let s = start(Dialect::default()).await;
    let placed = post(
        &s,
        &[
            ("action", "add"),
            ("service", "1"),
            ("link", "https://x.y/p"),
            ("quantity", "1000"),
        ],
    )
    .await;
    let id = placed["order"].as_str().expect("id as a string").to_owned();
    assert_eq!(
        money(&get(&s, "action=balance").await["balance"]),
        Decimal::new(9_950, 2),
        "100.00 - 0.50"
    );
    let status = get(&s, &format!("action=status&order={id}")).await;
    assert_eq!(status["status"], "Pending");
    assert_eq!(status["remains"], "1000");
    assert_eq!(money(&status["charge"]), Decimal::new(50, 2));
    assert_eq!(status["currency"], "USD");
    let mut seen = vec![];
    for _ in 0..400 {
        s.clock().advance(Duration::from_secs(10));
        let st = get(&s, &format!("action=status&order={id}")).await;
        let word = st["status"].as_str().unwrap().to_owned();
        if seen.last() != Some(&word) {
            seen.push(word.clone());
        }
        if word == "Completed" || word == "Partial" {
            let remains: i64 = st["remains"].as_str().unwrap().parse().unwrap();
            let charge = money(&st["charge"]);
            // What was not delivered is refunded.
            let refund = Decimal::new(50, 2) - charge;
            assert_eq!(
                refund,
                Decimal::new(50, 2) * Decimal::from(remains) / Decimal::from(1000)
            );
            assert_eq!(
                money(&get(&s, "action=balance").await["balance"]),
                Decimal::new(9_950, 2) + refund
            );
            break;
        }
    }
    assert!(seen.iter().any(|w| w == "In progress"), "{seen:?}");
    assert!(
        seen.len() >= 2
            && (seen.last().unwrap() == "Completed" || seen.last().unwrap() == "Partial"),
        "{seen:?}"
    );
    assert_eq!(s.orders().len(), 1);
}

#[tokio::test]
async fn refuses_what_panels_refuse() {
    let s = start(Dialect::default()).await;
    let add = |params: Vec<(&'static str, &'static str)>| {
        let s = &s;
        async move {
            let mut p = vec![("action", "add")];
            p.extend(params);
            post(s, &p).await["error"]
                .as_str()
                .unwrap_or("(no error)")
                .to_owned()
        }
    };
    assert_eq!(
        add(vec![("service", "99"), ("link", "x"), ("quantity", "10")]).await,
        "Incorrect service ID"
    );
    assert_eq!(
        add(vec![("service", "1"), ("quantity", "10")]).await,
        "Incorrect link"
    );
    assert_eq!(
        add(vec![("service", "1"), ("link", "x"), ("quantity", "5")]).await,
        "Quantity less than minimal 10"
    );
    assert_eq!(
        add(vec![("service", "1"), ("link", "x"), ("quantity", "10001")]).await,
        "Quantity more than maximum 10000"
    );
    assert_eq!(
        add(vec![("service", "1"), ("link", "x"), ("quantity", "ten")]).await,
        "Incorrect request"
    );
    assert_eq!(
        add(vec![("service", "2"), ("link", "x")]).await,
        "Incorrect request",
        "comments missing"
    );
    assert_eq!(
        add(vec![("service", "5"), ("link", "x"), ("quantity", "10")]).await,
        "Incorrect request",
        "answer_number missing"
    );
    assert_eq!(
        add(vec![
            ("service", "6"),
            ("link", "x"),
            ("quantity", "100"),
            ("country", "US"),
            ("device", "1"),
            ("type_of_traffic", "1")
        ])
        .await,
        "Incorrect request",
        "google_keyword missing"
    );
    assert_eq!(
        add(vec![
            ("service", "3"),
            ("link", "x"),
            ("quantity", "1000000")
        ])
        .await,
        "(no error)"
    );
    assert_eq!(
        add(vec![("service", "3"), ("link", "x"), ("quantity", "1000")]).await,
        "You have active order with this link. Please wait until order being completed."
    );
    assert_eq!(
        add(vec![
            ("service", "2"),
            ("link", "y"),
            ("comments", "great\nnice\nwow")
        ])
        .await,
        "(no error)"
    );
    // 45.00 × 3 / 1000 = 0.135; 0.01 × 1000000 / 1000 = 10; the rest is too much.
    assert_eq!(
        money(&get(&s, "action=balance").await["balance"]),
        Decimal::new(89_865, 3)
    );
    assert_eq!(
        add(vec![
            ("service", "1"),
            ("link", "z"),
            ("quantity", "10000"),
            ("runs", "20"),
            ("interval", "5")
        ])
        .await,
        "Not enough funds on balance"
    );
    assert_eq!(
        add(vec![
            ("service", "1"),
            ("link", "z"),
            ("quantity", "100"),
            ("runs", "2")
        ])
        .await,
        "Incorrect request"
    );
    assert_eq!(
        add(vec![
            ("service", "7"),
            ("username", "alice"),
            ("min", "10"),
            ("max", "600"),
            ("delay", "0")
        ])
        .await,
        "Quantity more than maximum 500"
    );
    assert_eq!(s.orders().len(), 2, "refused orders are not created");
}

#[tokio::test]
async fn cancel_refunds_what_remains_and_refills_follow_their_own_lifecycle() {
    let s = start(Dialect::default()).await;
    let id = post(
        &s,
        &[
            ("action", "add"),
            ("service", "1"),
            ("link", "a"),
            ("quantity", "2000"),
        ],
    )
    .await["order"]
        .as_str()
        .unwrap()
        .to_owned();
    let other = post(
        &s,
        &[
            ("action", "add"),
            ("service", "3"),
            ("link", "b"),
            ("quantity", "1000"),
        ],
    )
    .await["order"]
        .as_str()
        .unwrap()
        .to_owned();
    let cancels = post(
        &s,
        &[
            ("action", "cancel"),
            ("orders", &format!("{id},{other},424242")),
        ],
    )
    .await;
    assert_eq!(cancels[0]["cancel"], 1);
    assert_eq!(
        cancels[1]["cancel"]["error"],
        "This order can not be canceled"
    );
    assert_eq!(cancels[2]["cancel"]["error"], "Incorrect order ID");
    assert_eq!(
        get(&s, &format!("action=status&order={id}")).await["status"],
        "Canceled"
    );
    // The pending order delivered nothing: all of 2000 × 0.50 / 1000 is back.
    assert_eq!(
        money(&get(&s, "action=balance").await["balance"]),
        Decimal::new(9_999, 2)
    );

    // Refills only for delivered orders of services that offer them.
    let refill = post(&s, &[("action", "refill"), ("order", &other)]).await;
    assert_eq!(refill["error"], "Order not eligible for refill.");
    let done = post(
        &s,
        &[
            ("action", "add"),
            ("service", "1"),
            ("link", "c"),
            ("quantity", "100"),
        ],
    )
    .await["order"]
        .as_str()
        .unwrap()
        .to_owned();
    s.clock().advance(Duration::from_secs(7200));
    let r = post(&s, &[("action", "refill"), ("order", &done)]).await["refill"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(
        get(&s, &format!("action=refill_status&refill={r}")).await["status"],
        "Pending"
    );
    s.clock().advance(Duration::from_secs(7200));
    let word = get(&s, &format!("action=refill_status&refill={r}")).await["status"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(word == "Completed" || word == "Rejected", "{word}");
    let multi = get(&s, &format!("action=refill_status&refills={r},999")).await;
    assert_eq!(multi[1]["status"]["error"], "Refill not found");
}

#[tokio::test]
async fn dialects_change_numbers_and_shapes() {
    let fam = start(Dialect::FAMPAGE).await;
    let id = post(
        &fam,
        &[
            ("action", "add"),
            ("service", "1"),
            ("link", "a"),
            ("quantity", "100"),
        ],
    )
    .await["order"]
        .as_str()
        .unwrap()
        .to_owned();
    let multi = get(&fam, &format!("action=status&orders={id},31337")).await;
    assert_eq!(
        multi["31337"], "Incorrect order ID",
        "fampage: bare-string errors"
    );
    assert_eq!(
        post(&fam, &[("action", "cancel"), ("order", &id)]).await,
        serde_json::json!({"ok": "true"})
    );

    let bare = start(Dialect {
        numbers: Numbers::Bare,
        shapes: Shapes::Common,
        ..Dialect::default()
    })
    .await;
    let placed = post(
        &bare,
        &[
            ("action", "add"),
            ("service", "1"),
            ("link", "a"),
            ("quantity", "100"),
        ],
    )
    .await;
    assert!(placed["order"].is_u64());
    let id = placed["order"].as_u64().unwrap();
    let multi = get(&bare, &format!("action=status&orders={id},31337")).await;
    assert_eq!(
        multi["31337"],
        serde_json::json!({"error": "Incorrect order ID"})
    );
    assert!(multi[id.to_string()]["charge"].is_number());
    let services = get(&bare, "action=services").await;
    assert!(services[0]["service"].is_u64() && services[0]["rate"].is_string());
    // More than 100 ids in one request is refused, as panels do.
    let many: Vec<String> = (1..=101).map(|i| i.to_string()).collect();
    assert_eq!(
        get(&bare, &format!("action=status&orders={}", many.join(","))).await["error"],
        "Incorrect request"
    );
}

#[tokio::test]
async fn faults_are_seeded_and_counted() {
    let s = start(Dialect::default()).await;
    s.set_faults(Faults {
        seed: 9,
        server_error: 0.25,
        html: 0.25,
        drop: 0.25,
        ..Faults::none()
    });
    let client = reqwest::Client::new();
    let mut outcomes = std::collections::BTreeMap::new();
    for _ in 0..80 {
        let r = client
            .get(format!("{}?key={}&action=balance", s.url(), s.key()))
            .send()
            .await;
        let label = match r {
            Err(_) => "dropped".to_owned(),
            Ok(r) => {
                let status = r.status().as_u16();
                let html = r.text().await.unwrap_or_default().starts_with('<');
                format!("{status}{}", if html { " html" } else { "" })
            }
        };
        *outcomes.entry(label).or_insert(0) += 1;
    }
    let counts = s.fault_counts();
    assert_eq!(
        counts.clean + counts.server_error + counts.html + counts.drop + counts.stall,
        80
    );
    assert_eq!(outcomes.get("dropped").copied().unwrap_or(0), counts.drop);
    assert_eq!(outcomes.get("200 html").copied().unwrap_or(0), counts.html);
    assert_eq!(outcomes.get("200").copied().unwrap_or(0), counts.clean);
    assert!(
        counts.clean > 5 && counts.drop > 5 && counts.html > 5 && counts.server_error > 5,
        "{counts:?}"
    );
    // The same seed gives the same faults.
    s.set_faults(Faults {
        seed: 9,
        server_error: 0.25,
        html: 0.25,
        drop: 0.25,
        ..Faults::none()
    });
    let before = s.fault_counts();
    for _ in 0..80 {
        let _ = client
            .get(format!("{}?key={}&action=balance", s.url(), s.key()))
            .send()
            .await;
    }
    let after = s.fault_counts();
    assert_eq!(after.drop - before.drop, counts.drop);
    assert_eq!(after.html - before.html, counts.html);
}
