//! A fleet of three sandbox panels with different catalogs, rates and
//! balances: the cheapest panel gets the order, the next when it cannot
//! take it, an unknown outcome stops the route, and across 1,000 routed
//! orders with faults no order is placed twice.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use rust_decimal::Decimal;
use serde_json::json;
use smmkit_fleet::{Fleet, Leg, Outcome, Pricing, Route, RoutedOrder, Search, Strategy, call};
use smmkit_journal::{AddOptions, Journal};
use smmkit_perfect_panel::{PerfectPanel, RetryPolicy};
use smmkit_provider_core::{
    Balance, CancelRequested, Entries, Error, OrderId, OrderRequest, OrderStatus, RefillId,
    RefillState, ServiceList, SmmProvider,
};
use smmkit_sandbox::{Catalog, Clock, Faults, Sandbox, SandboxConfig};

/// The same offering on three panels, at three rates.
async fn panel(service: u64, name: &str, rate: &str, balance: &str) -> Sandbox {
    let catalog = Catalog::from_json(&format!(
        r#"[{{"service":{service},"name":"{name}","type":"Default","category":"Instagram","rate":"{rate}","min":10,"max":100000}},
            {{"service":{},"name":"Telegram Views","type":"Default","category":"Telegram","rate":"0.05","min":100,"max":100000}}]"#,
        service + 1
    ))
    .unwrap();
    Sandbox::start(SandboxConfig {
        catalog: Some(catalog),
        clock: Clock::manual(),
        balance: balance.parse().unwrap(),
        ..SandboxConfig::default()
    })
    .await
    .unwrap()
}

fn client(s: &Sandbox) -> Arc<dyn SmmProvider> {
    Arc::new(
        PerfectPanel::builder(s.url(), s.key())
            .retry(RetryPolicy::none())
            .timeout(Duration::from_secs(5))
            .build()
            .unwrap(),
    )
}

struct Three {
    a: Sandbox,
    b: Sandbox,
    c: Sandbox,
}

impl Three {
    /// A at 0.50, B at 0.40 (the cheapest), C at 0.60.
    async fn start(b_balance: &str) -> Three {
        Three {
            a: panel(10, "Instagram Likes [Real]", "0.50", "1000").await,
            b: panel(20, "Likes - Instagram HQ", "0.40", b_balance).await,
            c: panel(30, "Instagram Likes", "0.60", "1000").await,
        }
    }

    fn fleet(&self, journal: Option<Journal>) -> Fleet {
        let mut fleet = Fleet::new(journal);
        fleet.add_panel("a", client(&self.a)).unwrap();
        fleet.add_panel("b", client(&self.b)).unwrap();
        fleet.add_panel("c", client(&self.c)).unwrap();
        let legs = ["a:10", "b:20", "c:30"]
            .map(|l| Leg::parse(l).unwrap())
            .to_vec();
        fleet
            .add_route(Route::new("likes", Strategy::Cheapest, legs.clone()).unwrap())
            .unwrap();
        fleet
            .add_route(Route::new("likes-fixed", Strategy::Priority, legs).unwrap())
            .unwrap();
        fleet
    }

    fn counts(&self) -> (usize, usize, usize) {
        (
            self.a.orders().len(),
            self.b.orders().len(),
            self.c.orders().len(),
        )
    }
}

fn likes(link: &str, quantity: u64) -> RoutedOrder {
    RoutedOrder::from_value(&json!({"link": link, "quantity": quantity})).unwrap()
}

#[tokio::test]
async fn the_cheapest_panel_gets_the_order_and_priority_keeps_the_listed_order() {
    let three = Three::start("1000").await;
    let fleet = three.fleet(None);
    let routed = fleet
        .add(
            "likes",
            &likes("https://instagram.com/p/1", 1000),
            &AddOptions::default(),
        )
        .await
        .unwrap();
    assert_eq!((routed.panel.as_str(), routed.service.get()), ("b", 20));
    assert_eq!(
        routed.quote.and_then(|q| q.amount()),
        Some(Decimal::new(40, 2))
    );
    assert_eq!(three.counts(), (0, 1, 0));
    assert_eq!(three.b.orders()[0].id, routed.order.get());
    let fixed = fleet
        .add(
            "likes-fixed",
            &likes("https://instagram.com/p/2", 1000),
            &AddOptions::default(),
        )
        .await
        .unwrap();
    assert_eq!(fixed.panel, "a");
    // A plan sends nothing and says the order of the panels.
    let plan = fleet
        .plan("likes", &likes("https://instagram.com/p/3", 1000))
        .await
        .unwrap();
    let order: Vec<&str> = plan.attempts.iter().map(|a| a.panel.as_str()).collect();
    assert_eq!(order, ["b", "a", "c"]);
    assert_eq!(plan.first().unwrap().panel, "b");
    assert_eq!(three.counts(), (1, 1, 0));
}

#[tokio::test]
async fn a_panel_without_funds_is_skipped_and_the_next_one_gets_the_order() {
    let three = Three::start("0.10").await;
    let fleet = three.fleet(None);
    let routed = fleet
        .add(
            "likes",
            &likes("https://instagram.com/p/1", 1000),
            &AddOptions::default(),
        )
        .await
        .unwrap();
    assert_eq!(routed.panel, "a", "B (0.40) lacks funds: A (0.50) is next");
    let b = routed.attempts.iter().find(|a| a.panel == "b").unwrap();
    let Outcome::Skipped { reason } = &b.outcome else {
        panic!("{b:?}")
    };
    assert!(
        reason.contains("not enough funds: balance 0.10, the order costs 0.40"),
        "{reason}"
    );
    assert_eq!(three.counts(), (1, 0, 0));
    // A quantity one panel's limits refuse skips it with the reason.
    let plan = fleet
        .plan("likes", &likes("https://instagram.com/p/2", 5))
        .await
        .unwrap();
    assert!(plan.first().is_none());
    assert!(
        plan.attempts.iter().all(
            |a| matches!(&a.outcome, Outcome::Skipped { reason } if reason.contains("quantity"))
        )
    );
}

/// A provider whose balance cannot be read: the route cannot see funds and
/// leaves the decision to the panel.
struct NoBalance(Arc<dyn SmmProvider>);

#[async_trait::async_trait]
impl SmmProvider for NoBalance {
    fn name(&self) -> &str {
        self.0.name()
    }
    async fn services(&self) -> smmkit_provider_core::Result<ServiceList> {
        self.0.services().await
    }
    async fn add(&self, order: &OrderRequest) -> smmkit_provider_core::Result<OrderId> {
        self.0.add(order).await
    }
    async fn status(&self, order: OrderId) -> smmkit_provider_core::Result<OrderStatus> {
        self.0.status(order).await
    }
    async fn statuses(&self, orders: &[OrderId]) -> Entries<OrderId, OrderStatus> {
        self.0.statuses(orders).await
    }
    async fn refill(&self, order: OrderId) -> smmkit_provider_core::Result<RefillId> {
        self.0.refill(order).await
    }
    async fn refills(&self, orders: &[OrderId]) -> Entries<OrderId, RefillId> {
        self.0.refills(orders).await
    }
    async fn refill_status(&self, refill: RefillId) -> smmkit_provider_core::Result<RefillState> {
        self.0.refill_status(refill).await
    }
    async fn refill_statuses(&self, refills: &[RefillId]) -> Entries<RefillId, RefillState> {
        self.0.refill_statuses(refills).await
    }
    async fn cancel(&self, orders: &[OrderId]) -> Entries<OrderId, CancelRequested> {
        self.0.cancel(orders).await
    }
    async fn balance(&self) -> smmkit_provider_core::Result<Balance> {
        Err(Error::Config("no balance here".into()))
    }
}

#[tokio::test]
async fn a_refusal_moves_to_the_next_panel_and_all_refusing_lists_every_reason() {
    let three = Three::start("0.10").await;
    let mut fleet = Fleet::new(None);
    fleet
        .add_panel("b", Arc::new(NoBalance(client(&three.b))))
        .unwrap();
    fleet.add_panel("c", client(&three.c)).unwrap();
    fleet
        .add_route(
            Route::new(
                "likes",
                Strategy::Cheapest,
                vec![Leg::parse("b:20").unwrap(), Leg::parse("c:30").unwrap()],
            )
            .unwrap(),
        )
        .unwrap();
    let routed = fleet
        .add(
            "likes",
            &likes("https://instagram.com/p/1", 1000),
            &AddOptions::default(),
        )
        .await
        .unwrap();
    assert_eq!(routed.panel, "c");
    let b = &routed.attempts[0];
    let Outcome::Refused { error } = &b.outcome else {
        panic!("{b:?}")
    };
    assert_eq!(error.code(), "insufficient_funds");
    assert_eq!(three.counts(), (0, 0, 1));

    // Every panel refuses or cannot take it: each reason, nothing placed.
    let poor = Three {
        a: panel(10, "Instagram Likes [Real]", "0.50", "0.10").await,
        b: panel(20, "Likes - Instagram HQ", "0.40", "0.10").await,
        c: panel(30, "Instagram Likes", "0.60", "1000").await,
    };
    let mut fleet = Fleet::new(None);
    fleet
        .add_panel("a", Arc::new(NoBalance(client(&poor.a))))
        .unwrap();
    fleet
        .add_panel("b", Arc::new(NoBalance(client(&poor.b))))
        .unwrap();
    fleet.add_panel("c", client(&poor.c)).unwrap();
    fleet
        .add_route(
            Route::new(
                "likes",
                Strategy::Cheapest,
                ["a:10", "b:20", "c:99"]
                    .map(|l| Leg::parse(l).unwrap())
                    .to_vec(),
            )
            .unwrap(),
        )
        .unwrap();
    let e = fleet
        .add(
            "likes",
            &likes("https://instagram.com/p/2", 100_000),
            &AddOptions::default(),
        )
        .await
        .unwrap_err();
    let Error::RouteExhausted { route, reasons } = &e else {
        panic!("{e:?}")
    };
    assert_eq!(route, "likes");
    assert_eq!(reasons.len(), 3, "{reasons:?}");
    assert!(
        reasons
            .iter()
            .any(|r| r.starts_with("b:20:") && r.contains("Not enough funds")),
        "{reasons:?}"
    );
    assert!(
        reasons
            .iter()
            .any(|r| r.starts_with("c:99:") && r.contains("not in its catalog")),
        "{reasons:?}"
    );
    assert_eq!(e.code(), "route_exhausted");
    assert_eq!(poor.counts(), (0, 0, 0));
}

#[tokio::test]
async fn an_unknown_outcome_ends_the_route_and_no_other_panel_gets_the_order() {
    for faults in [
        Faults {
            server_error: 1.0,
            after_action: 1.0,
            ..Faults::none()
        },
        Faults {
            drop: 1.0,
            after_action: 1.0,
            ..Faults::none()
        },
        Faults {
            drop: 1.0,
            after_action: 0.0,
            ..Faults::none()
        },
    ] {
        let three = Three::start("1000").await;
        // The journal keeps the catalogs, so that B's faults hit its
        // balance (unknown: the panel decides) and its add.
        let fleet = three.fleet(Some(Journal::open("sqlite::memory:").await.unwrap()));
        fleet
            .plan("likes", &likes("https://instagram.com/p/0", 1000))
            .await
            .unwrap();
        three.b.set_faults(faults);
        let e = fleet
            .add(
                "likes",
                &likes("https://instagram.com/p/1", 1000),
                &AddOptions::default(),
            )
            .await
            .unwrap_err();
        assert_eq!(e.kind(), "outcome_unknown", "{faults:?}: {e}");
        let made_by_b = usize::from(faults.after_action > 0.5);
        assert_eq!(
            three.counts(),
            (0, made_by_b, 0),
            "{faults:?}: no other panel got it"
        );
    }
}

#[tokio::test]
async fn with_a_journal_an_unknown_outcome_stops_the_route_every_time() {
    let three = Three::start("1000").await;
    let journal = Journal::open("sqlite::memory:").await.unwrap();
    let fleet = three.fleet(Some(journal));
    // The journal keeps the catalogs: B's faults hit only its add.
    fleet
        .plan("likes", &likes("https://instagram.com/p/0", 1000))
        .await
        .unwrap();
    three.b.set_faults(Faults {
        server_error: 1.0,
        after_action: 1.0,
        ..Faults::none()
    });
    let key = AddOptions::key("route-key-1");
    let e = fleet
        .add("likes", &likes("https://instagram.com/p/1", 1000), &key)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), "outcome_unknown", "{e}");
    three.b.set_faults(Faults::none());
    assert_eq!(
        three.counts(),
        (0, 1, 0),
        "B made it; no other panel got it"
    );
    // The same key again: unknown again, nothing sent anywhere.
    let e = fleet
        .add("likes", &likes("https://instagram.com/p/1", 1000), &key)
        .await
        .unwrap_err();
    assert_eq!(e.kind(), "outcome_unknown", "{e}");
    assert_eq!(three.counts(), (0, 1, 0));
    // Resolved as placed: the key returns it.
    let journal = fleet.journal().unwrap();
    let id = OrderId(three.b.orders()[0].id);
    journal
        .resolve("route-key-1@b", smmkit_journal::Resolution::Placed(id))
        .await
        .unwrap();
    let again = fleet
        .add("likes", &likes("https://instagram.com/p/1", 1000), &key)
        .await
        .unwrap();
    assert_eq!(
        (again.panel.as_str(), again.order, again.replayed),
        ("b", id, true)
    );
    // A key that placed an order sends nothing the second time.
    let first = fleet
        .add(
            "likes",
            &likes("https://instagram.com/p/2", 1000),
            &AddOptions::key("k2"),
        )
        .await
        .unwrap();
    let second = fleet
        .add(
            "likes",
            &likes("https://instagram.com/p/2", 1000),
            &AddOptions::key("k2"),
        )
        .await
        .unwrap();
    assert_eq!((second.order, second.replayed), (first.order, true));
    assert_eq!(three.counts(), (0, 2, 0));
    let entry = journal.order("k2@b").await.unwrap().unwrap();
    assert_eq!(entry.provider, "b");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_thousand_routed_orders_under_faults_are_never_placed_twice() {
    let three = Three::start("100000").await;
    let fleet = Arc::new(three.fleet(None));
    for (i, s) in [&three.a, &three.b, &three.c].into_iter().enumerate() {
        s.set_faults(Faults {
            seed: i as u64 + 1,
            server_error: 0.05,
            html: 0.03,
            drop: 0.05,
            after_action: 0.5,
            ..Faults::none()
        });
    }
    let results = futures_util::future::join_all((0..1000).map(|i| {
        let fleet = Arc::clone(&fleet);
        async move {
            let link = format!("https://instagram.com/p/many-{i}");
            (
                link.clone(),
                fleet
                    .add("likes", &likes(&link, 100), &AddOptions::default())
                    .await,
            )
        }
    }))
    .await;
    let mut placed_at: HashMap<String, Vec<(&str, u64)>> = HashMap::new();
    for (name, s) in [("a", &three.a), ("b", &three.b), ("c", &three.c)] {
        for o in s.orders() {
            placed_at
                .entry(o.link.clone())
                .or_default()
                .push((name, o.id));
        }
    }
    let (mut ok, mut unknown, mut exhausted) = (0, 0, 0);
    for (link, result) in &results {
        let here = placed_at.get(link).cloned().unwrap_or_default();
        assert!(here.len() <= 1, "{link} was placed twice: {here:?}");
        match result {
            Ok(r) => {
                ok += 1;
                assert_eq!(here, vec![(r.panel.as_str(), r.order.get())], "{link}");
            }
            Err(e) if e.kind() == "outcome_unknown" => unknown += 1,
            Err(e) if e.kind() == "route_exhausted" => {
                exhausted += 1;
                assert!(here.is_empty(), "{link}: exhausted but placed at {here:?}");
            }
            Err(e) => panic!("{link}: {e}"),
        }
    }
    let links: HashSet<&String> = results.iter().map(|(l, _)| l).collect();
    assert!(placed_at.keys().all(|l| links.contains(l)));
    assert_eq!(ok + unknown + exhausted, 1000);
    assert!(
        ok > 800 && unknown > 0,
        "ok {ok}, unknown {unknown}, exhausted {exhausted}"
    );
}

#[tokio::test]
async fn compare_suggests_the_same_offering_and_prices_come_from_the_cheapest_panel() {
    let three = Three::start("1000").await;
    let fleet = three.fleet(None);
    let search = Search {
        text: Some("instagram likes".into()),
        ..Search::default()
    };
    let found = fleet.compare(&search, None).await.unwrap();
    assert_eq!(found.panels.len(), 3);
    assert!(
        found
            .panels
            .iter()
            .all(|p| p.services.len() == 1 && p.error.is_none())
    );
    assert_eq!(found.suggestions.len(), 1, "{:?}", found.suggestions);
    let members: Vec<&str> = found.suggestions[0]
        .members
        .iter()
        .map(|m| m.panel.as_str())
        .collect();
    assert_eq!(members, ["b", "a", "c"], "cheapest first");
    let only = fleet
        .compare(&search, Some(&["a".to_owned(), "c".to_owned()]))
        .await
        .unwrap();
    assert_eq!(only.panels.len(), 2);
    assert!(
        fleet
            .compare(&search, Some(&["z".to_owned()]))
            .await
            .is_err()
    );

    let pricing = Pricing::from_value(&json!({"markup": "30%", "round": 2})).unwrap();
    let list = fleet.price_list(None, &pricing).await.unwrap();
    assert_eq!(list.rows.len(), 2);
    let likes = list.rows.iter().find(|r| r.name == "likes").unwrap();
    assert_eq!(
        (likes.panel.as_str(), likes.cost, likes.sale),
        ("b", Decimal::new(40, 2), Decimal::new(52, 2))
    );
    assert_eq!(likes.margin, Decimal::new(12, 2));
    assert!(fleet.check_prices(&list.rows).await.unwrap().is_empty());
    // A sale price the panel's cost has risen above is a warning.
    let mut stale = list.rows.clone();
    stale[0].sale = Decimal::new(10, 2);
    let warnings = fleet.check_prices(&stale).await.unwrap();
    assert_eq!(warnings.len(), 1);
    assert!(
        warnings[0]
            .to_string()
            .contains("above the sale price 0.10"),
        "{}",
        warnings[0]
    );
    // Without routes: every service of every panel.
    let mut bare = Fleet::new(None);
    bare.add_panel("a", client(&three.a)).unwrap();
    assert_eq!(bare.price_list(None, &pricing).await.unwrap().rows.len(), 2);
}

#[tokio::test]
async fn the_bindings_call_surface_reads_arguments_once() {
    let three = Three::start("1000").await;
    let fleet = three.fleet(None);
    let routed = call(&fleet, "add", &json!({"route": "likes", "order": {"link": "https://instagram.com/p/x", "quantity": 1000}}))
        .await
        .unwrap();
    assert_eq!(routed["panel"], "b");
    assert_eq!(routed["attempts"][0]["outcome"], "placed");
    let e = call(&fleet, "add", &json!({"rout": "likes"}))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("did you mean `route`"), "{e}");
    let e = call(
        &fleet,
        "add",
        &json!({"route": "likes", "order": {"link": "x"}, "idempotencyKey": "k"}),
    )
    .await
    .unwrap_err();
    assert!(e.to_string().contains("needs the fleet's journal"), "{e}");
    let e = call(&fleet, "plan", &json!({"route": "nope", "order": {}}))
        .await
        .unwrap_err();
    assert!(e.to_string().contains("routes: likes, likes-fixed"), "{e}");
    let prices = call(&fleet, "prices", &json!({"pricing": {"markup": "10%"}}))
        .await
        .unwrap();
    assert_eq!(prices["rows"].as_array().unwrap().len(), 2);
    let balances = call(&fleet, "balances", &json!({})).await.unwrap();
    assert_eq!(balances.as_array().unwrap().len(), 3);
    // Services of all; statuses routed to the panel that owns each order.
    let services = call(&fleet, "services", &json!({})).await.unwrap();
    assert_eq!(services.as_array().unwrap().len(), 3);
    let placed = routed["order"].as_u64().unwrap();
    let statuses = call(
        &fleet,
        "statuses",
        &json!({"orders": [{"panel": "b", "order": placed}, {"panel": "a", "order": placed}, {"panel": "z", "order": 1}]}),
    )
    .await
    .unwrap();
    assert_eq!(statuses[0]["status"]["status"], "Pending");
    assert_eq!(
        statuses[1]["error"]["code"], "incorrect_order_id",
        "the order is b's, not a's"
    );
    assert!(
        statuses[2]["error"]["message"]
            .as_str()
            .unwrap()
            .contains("no panel named `z`")
    );
}
