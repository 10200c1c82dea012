//! Both providers against the sandbox panel over loopback: every action,
//! both transports, both dialects, batches above 100 ids, each fault kind.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::collections::HashSet;
use std::time::Duration;

use smmkit::{
    DripFeed, Error, Fampage, Order, OrderId, OrderRequest, OrderState, PerfectPanel, RefillId,
    RetryPolicy, ServiceType, SmmProvider, TrafficSource, Transport,
};
use smmkit_sandbox::{Clock, Dialect, Faults, Numbers, Sandbox, SandboxConfig, Shapes};

async fn sandbox(dialect: Dialect) -> Sandbox {
    Sandbox::start(SandboxConfig {
        clock: Clock::manual(),
        dialect,
        services: 200,
        ..SandboxConfig::default()
    })
    .await
    .expect("sandbox")
}

fn client(s: &Sandbox, transport: Transport) -> PerfectPanel {
    PerfectPanel::builder(s.url(), s.key())
        .transport(transport)
        .build()
        .expect("config")
}

/// An order of the form `kind` for `service`, valid for its limits.
fn order_for(service: &smmkit::Service, link: &str) -> OrderRequest {
    let q = service.min.max(10).min(service.max);
    let lines = |n: u64, word: &str| (0..n).map(|i| format!("{word}{i}")).collect::<Vec<_>>();
    let order = match service.kind.order_form() {
        Some(smmkit::OrderForm::Package) => Order::Package { link: link.into() },
        Some(smmkit::OrderForm::CustomComments) => Order::CustomComments {
            link: link.into(),
            comments: lines(service.min, "great post "),
        },
        Some(smmkit::OrderForm::CustomCommentsPackage) => Order::CustomCommentsPackage {
            link: link.into(),
            comments: lines(3, "nice "),
        },
        Some(smmkit::OrderForm::Poll) => Order::Poll {
            link: link.into(),
            quantity: q,
            answer_number: 2,
        },
        Some(smmkit::OrderForm::Subscriptions) => Order::Subscriptions {
            username: link.trim_start_matches("https://").replace('/', "_"),
            min: service.min,
            max: service.min * 2,
            posts: Some(3),
            old_posts: None,
            delay: 30,
            expiry: Some("31/12/2030".into()),
        },
        Some(smmkit::OrderForm::WebTraffic) => Order::WebTraffic {
            link: link.into(),
            quantity: q,
            country: "US".into(),
            device: smmkit::Device::Mixed,
            traffic: TrafficSource::GoogleKeyword {
                google_keyword: "best shoes".into(),
            },
        },
        Some(smmkit::OrderForm::MentionsWithHashtags) => Order::MentionsWithHashtags {
            link: link.into(),
            quantity: q,
            usernames: lines(2, "user"),
            hashtags: lines(2, "#tag"),
        },
        Some(smmkit::OrderForm::MentionsCustomList) => Order::MentionsCustomList {
            link: link.into(),
            usernames: lines(service.min, "user"),
        },
        Some(smmkit::OrderForm::CommentReplies) => Order::CommentReplies {
            link: link.into(),
            username: "author".into(),
            comments: lines(service.min, "reply "),
        },
        Some(smmkit::OrderForm::Seo) => Order::Seo {
            link: link.into(),
            quantity: q,
            keywords: lines(2, "kw"),
        },
        Some(smmkit::OrderForm::Mentions) => Order::Mentions {
            link: link.into(),
            quantity: q,
            usernames: lines(2, "u"),
        },
        Some(smmkit::OrderForm::MentionsHashtag) => Order::MentionsHashtag {
            link: link.into(),
            quantity: q,
            hashtag: "#sale".into(),
        },
        Some(smmkit::OrderForm::MentionsUserFollowers) => Order::MentionsUserFollowers {
            link: link.into(),
            quantity: q,
            username: "star".into(),
        },
        Some(smmkit::OrderForm::MentionsMediaLikers) => Order::MentionsMediaLikers {
            link: link.into(),
            quantity: q,
            media: "https://x.y/m".into(),
        },
        Some(smmkit::OrderForm::CommentLikes) => Order::CommentLikes {
            link: link.into(),
            quantity: q,
            username: "author".into(),
        },
        Some(smmkit::OrderForm::InvitesFromGroups) => Order::InvitesFromGroups {
            link: link.into(),
            quantity: q,
            groups: lines(2, "group"),
        },
        _ if service.dripfeed == Some(true) => Order::Default {
            link: link.into(),
            quantity: q,
            dripfeed: Some(DripFeed {
                runs: 2,
                interval: 10,
            }),
        },
        _ => Order::Default {
            link: link.into(),
            quantity: q,
            dripfeed: None,
        },
    };
    OrderRequest::new(service.id, order)
}

async fn every_action(p: &dyn SmmProvider, s: &Sandbox) {
    let services = p.services().await.expect("services");
    assert_eq!(services.len(), s.catalog().services().len());
    for (got, sent) in services.iter().zip(s.catalog().services()) {
        assert_eq!(
            (got.id.get(), got.rate, got.min, got.max),
            (sent.id, sent.rate, sent.min, sent.max)
        );
        assert_eq!(got.kind, ServiceType::parse(&sent.kind));
    }
    // One order of every type the catalog sells.
    let mut seen_types = HashSet::new();
    let mut placed = Vec::new();
    let mut placed_on: Vec<&smmkit::Service> = Vec::new();
    let balance_before = p.balance().await.expect("balance").amount;
    let mut expected_cost = smmkit::Decimal::ZERO;
    for (i, service) in services.iter().enumerate() {
        if !seen_types.insert(service.kind.as_str().to_owned()) {
            continue;
        }
        let order = order_for(service, &format!("https://example.com/p/{i}"));
        let id = p
            .add(&order)
            .await
            .unwrap_or_else(|e| panic!("{} ({}): {e}", service.kind, order));
        match smmkit::quote(&order, service).expect("a quote") {
            smmkit::Quote::Exact(cost) => expected_cost += cost,
            other => expected_cost += other.amount().expect("a bound"),
        }
        placed.push(id);
        placed_on.push(service);
    }
    assert!(seen_types.len() >= 31, "{seen_types:?}");
    assert_eq!(
        s.orders().len(),
        placed.len(),
        "the sandbox created exactly the orders placed"
    );
    assert_eq!(
        p.balance().await.expect("balance").amount,
        balance_before - expected_cost,
        "charged what the quotes said"
    );

    // Statuses, one and many (past 100 ids, with unknown ids mixed in).
    assert_eq!(
        p.status(placed[0]).await.expect("status").status,
        OrderState::Pending
    );
    let mut ids = placed.clone();
    ids.extend((900_000..900_120).map(OrderId));
    let statuses = p.statuses(&ids).await;
    assert_eq!(statuses.len(), ids.len());
    for (id, r) in &statuses {
        if placed.contains(id) {
            assert!(r.is_ok(), "{id}: {r:?}");
        } else {
            assert_eq!(
                r.as_ref().expect_err("unknown id").code(),
                "incorrect_order_id"
            );
        }
    }

    // Cancel a pending order of a service that allows it, and ask to
    // cancel one of a service that does not: both answers are known.
    let cancelable = placed_on
        .iter()
        .position(|s| s.cancel)
        .expect("the catalog has a cancelable service");
    let not_cancelable = placed_on
        .iter()
        .position(|s| !s.cancel)
        .expect("the catalog has a service that cannot be canceled");
    let cancel = p
        .cancel(&[placed[cancelable], placed[not_cancelable]])
        .await;
    assert!(cancel[0].1.is_ok(), "{:?}", cancel[0].1);
    assert_eq!(
        cancel[1].1.as_ref().expect_err("refused").code(),
        "cancel_not_possible"
    );
    s.clock().advance(Duration::from_secs(6 * 3600));
    let finals = p.statuses(&placed).await;
    assert!(
        finals
            .iter()
            .all(|(_, r)| r.as_ref().is_ok_and(|st| st.status.is_final())),
        "{finals:?}"
    );
    assert_eq!(
        finals[cancelable].1.as_ref().unwrap().status,
        OrderState::Canceled
    );

    // Refills: orders of refillable services that were delivered get one;
    // every other order is refused, as the sandbox's rules say.
    let expect_refill: Vec<bool> = finals
        .iter()
        .zip(&placed_on)
        .map(|((_, r), service)| {
            service.refill
                && matches!(
                    r.as_ref().unwrap().status,
                    OrderState::Completed | OrderState::Partial
                )
        })
        .collect();
    assert!(
        expect_refill.iter().any(|e| *e),
        "some order can be refilled"
    );
    assert!(expect_refill.iter().any(|e| !*e), "some order cannot");
    let refills = p.refills(&placed).await;
    assert_eq!(refills.len(), placed.len());
    let mut refill_ids = Vec::new();
    for ((id, r), expected) in refills.iter().zip(&expect_refill) {
        match (r, expected) {
            (Ok(refill), true) => refill_ids.push(*refill),
            (Err(e), false) => assert_eq!(e.code(), "refill_not_possible", "{id}: {e}"),
            (r, expected) => panic!("order {id}: expected a refill: {expected}, got {r:?}"),
        }
    }
    assert_eq!(
        p.refill_status(refill_ids[0]).await.expect("refill status"),
        smmkit::RefillState::Pending
    );
    let mut rids = refill_ids.clone();
    rids.push(RefillId(777_777));
    let rs = p.refill_statuses(&rids).await;
    assert_eq!(rs.len(), rids.len());
    for (id, r) in &rs[..refill_ids.len()] {
        assert_eq!(
            r.as_ref().expect("known refill"),
            &smmkit::RefillState::Pending,
            "{id}"
        );
    }
    assert_eq!(
        rs.last()
            .unwrap()
            .1
            .as_ref()
            .expect_err("unknown refill")
            .code(),
        "incorrect_refill_id"
    );
    assert_eq!(
        p.refill(OrderId(123_456_789))
            .await
            .expect_err("unknown order")
            .code(),
        "incorrect_order_id"
    );
    assert_eq!(
        p.balance().await.expect("balance").amount,
        s.balance(s.key()).unwrap()
    );
}

#[tokio::test]
async fn perfect_panel_both_transports_both_dialects() {
    for dialect in [
        Dialect::default(),
        Dialect {
            numbers: Numbers::Bare,
            shapes: Shapes::Common,
            ..Dialect::default()
        },
        Dialect::FAMPAGE,
        Dialect {
            numbers: Numbers::Bare,
            shapes: Shapes::Fampage,
            ..Dialect::default()
        },
    ] {
        for transport in [Transport::PostForm, Transport::GetQuery] {
            let s = sandbox(dialect).await;
            let p = client(&s, transport);
            every_action(&p, &s).await;
        }
    }
}

#[tokio::test]
async fn fampage_against_a_fampage_dialect_sandbox() {
    let s = sandbox(Dialect::FAMPAGE).await;
    let f = Fampage::builder(s.key())
        .base_url(s.url())
        .build()
        .expect("config");
    every_action(&f, &s).await;
}

#[tokio::test]
async fn wrong_key_is_an_invalid_key_error_everywhere() {
    let s = sandbox(Dialect::default()).await;
    let p = PerfectPanel::builder(s.url(), "wrong-key")
        .build()
        .expect("config");
    assert_eq!(
        p.balance().await.expect_err("wrong key").code(),
        "invalid_key"
    );
    assert_eq!(
        p.services().await.expect_err("wrong key").code(),
        "invalid_key"
    );
    let e = p
        .add(&OrderRequest::link_quantity(1u64, "https://x.y", 100))
        .await
        .expect_err("wrong key");
    assert_eq!(e.code(), "invalid_key", "a refusal, not an unknown outcome");
    let many: Vec<OrderId> = (1..=150).map(OrderId).collect();
    assert!(
        p.statuses(&many)
            .await
            .iter()
            .all(|(_, r)| r.as_ref().is_err_and(|e| e.code() == "invalid_key"))
    );
    assert!(s.orders().is_empty());
}

fn flaky(s: &Sandbox, timeout: Duration) -> PerfectPanel {
    PerfectPanel::builder(s.url(), s.key())
        .timeout(timeout)
        .retry(RetryPolicy {
            max_retries: 12,
            base_delay: Duration::from_millis(2),
            max_delay: Duration::from_millis(20),
            max_elapsed: Duration::from_secs(60),
        })
        .build()
        .expect("config")
}

#[tokio::test]
async fn each_fault_kind_reads_recover_and_add_never_doubles() {
    let kinds = [
        (
            "5xx",
            Faults {
                server_error: 0.4,
                ..Faults::none()
            },
        ),
        (
            "html",
            Faults {
                html: 0.4,
                ..Faults::none()
            },
        ),
        (
            "drop",
            Faults {
                drop: 0.4,
                ..Faults::none()
            },
        ),
        (
            "stall",
            Faults {
                stall: 0.4,
                stall_for: Duration::from_secs(5),
                ..Faults::none()
            },
        ),
        (
            "latency",
            Faults {
                latency: Duration::from_millis(30),
                ..Faults::none()
            },
        ),
    ];
    for (what, faults) in kinds {
        let s = sandbox(Dialect::default()).await;
        let p = flaky(&s, Duration::from_millis(800));
        p.services()
            .await
            .unwrap_or_else(|e| panic!("{what}: services before faults: {e}"));
        s.set_faults(Faults { seed: 42, ..faults });
        // Reads come through.
        assert_eq!(
            p.services()
                .await
                .unwrap_or_else(|e| panic!("{what}: {e}"))
                .len(),
            200,
            "{what}"
        );
        p.balance().await.unwrap_or_else(|e| panic!("{what}: {e}"));
        // Orders: each one is either placed or reported unknown, never doubled.
        let service = s
            .catalog()
            .services()
            .iter()
            .find(|sv| sv.kind == "Default")
            .unwrap()
            .clone();
        let mut placed = Vec::new();
        let mut unknown = 0;
        for i in 0..30 {
            let order = OrderRequest::link_quantity(
                service.id,
                format!("https://x.y/{what}/{i}"),
                service.min,
            );
            match p.add(&order).await {
                Ok(id) => placed.push(id.get()),
                Err(Error::OutcomeUnknown { .. }) => unknown += 1,
                Err(e) => panic!("{what}: {e}"),
            }
        }
        let created: Vec<u64> = s.orders().iter().map(|o| o.id).collect();
        assert!(
            placed.iter().all(|id| created.contains(id)),
            "{what}: every success is a real order"
        );
        assert!(
            created.len() <= placed.len() + unknown,
            "{what}: no order without a success or an unknown"
        );
        assert!(created.len() >= placed.len(), "{what}");
        let orders = s.orders();
        let links: HashSet<&str> = orders.iter().map(|o| o.link.as_str()).collect();
        assert_eq!(
            links.len(),
            orders.len(),
            "{what}: no link was ordered twice"
        );
        let counts = s.fault_counts();
        if what != "latency" {
            assert!(
                counts.clean > 0
                    && counts.clean
                        < counts.clean
                            + counts.server_error
                            + counts.html
                            + counts.drop
                            + counts.stall,
                "{what}: {counts:?}"
            );
        }
    }
}

#[tokio::test]
async fn quotes_match_what_the_sandbox_charges_for_every_type_and_form() {
    let s = sandbox(Dialect::default()).await;
    let p = client(&s, Transport::PostForm);
    let services = p.services().await.expect("services");
    let mut orders: Vec<(&smmkit::Service, OrderRequest)> = Vec::new();
    let mut seen = HashSet::new();
    for (i, service) in services.iter().enumerate() {
        if !seen.insert(service.kind.as_str().to_owned()) {
            continue;
        }
        orders.push((
            service,
            order_for(service, &format!("https://example.com/q/{i}")),
        ));
        match service.kind.order_form() {
            // Drip-feed: quantity × runs.
            Some(smmkit::OrderForm::Default) if service.dripfeed == Some(true) => {
                orders.push((
                    service,
                    OrderRequest::new(
                        service.id,
                        Order::Default {
                            link: format!("https://example.com/drip/{i}"),
                            quantity: service.min.max(10).min(service.max),
                            dripfeed: Some(DripFeed {
                                runs: 4,
                                interval: 15,
                            }),
                        },
                    ),
                ));
            }
            // A subscription without a limit of posts.
            Some(smmkit::OrderForm::Subscriptions) => orders.push((
                service,
                OrderRequest::new(
                    service.id,
                    Order::Subscriptions {
                        username: format!("unlimited_{i}"),
                        min: service.min,
                        max: service.min * 2,
                        posts: None,
                        old_posts: None,
                        delay: 0,
                        expiry: None,
                    },
                ),
            )),
            _ => {}
        }
    }
    assert!(seen.len() >= 31, "{seen:?}");
    let kinds: HashSet<smmkit::OrderForm> = orders.iter().map(|(_, o)| o.form()).collect();
    assert_eq!(
        kinds.len(),
        smmkit::OrderForm::ALL.len(),
        "every order form"
    );
    assert!(
        orders.iter().any(|(_, o)| matches!(
            o.order,
            Order::Default {
                dripfeed: Some(_),
                ..
            }
        )),
        "a drip-fed order"
    );
    let (mut exact, mut up_to, mut set_by_panel) = (0, 0, 0);
    for (service, order) in &orders {
        let quoted = smmkit::quote(order, service).expect("a quote");
        p.add(order)
            .await
            .unwrap_or_else(|e| panic!("{} ({order}): {e}", service.kind));
        let charged = s.orders().last().expect("recorded").charge;
        match quoted {
            smmkit::Quote::Exact(amount) => {
                exact += 1;
                assert_eq!(amount, charged, "{} ({order})", service.kind);
            }
            smmkit::Quote::UpTo(amount) => {
                up_to += 1;
                assert!(
                    charged <= amount,
                    "{} ({order}): {charged} > {amount}",
                    service.kind
                );
            }
            smmkit::Quote::SetByPanel => {
                set_by_panel += 1;
                assert!(
                    matches!(order.order, Order::Subscriptions { posts: None, .. }),
                    "{order}"
                );
            }
        }
    }
    assert!(
        exact >= 31 && up_to >= 1 && set_by_panel >= 1,
        "{exact} {up_to} {set_by_panel}"
    );
}

/// A sink that keeps the services it is given.
struct Kept(Vec<smmkit::Service>);

impl smmkit::wire::ServiceSink for Kept {
    fn push(&mut self, service: smmkit::Service) {
        self.0.push(service);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_catalog_decoded_into_sinks_is_the_catalog_in_order_and_checks_orders() {
    let s = Sandbox::start(SandboxConfig {
        clock: Clock::manual(),
        services: 10_000,
        ..SandboxConfig::default()
    })
    .await
    .expect("sandbox");
    let listed = client(&s, Transport::PostForm)
        .services()
        .await
        .expect("services");
    let panel = client(&s, Transport::PostForm);
    let sunk = panel
        .services_into(|| Kept(Vec::new()))
        .await
        .expect("services into sinks");
    // One sink per part, decoded on every core.
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    assert!(
        sunk.parts.len() > 1 || cores == 1,
        "{} parts",
        sunk.parts.len()
    );
    let joined: Vec<smmkit::Service> = sunk.parts.into_iter().flat_map(|k| k.0).collect();
    assert_eq!(joined.len(), 10_000);
    assert_eq!(joined, listed.services);
    assert_eq!(sunk.skipped, listed.skipped);
    // The catalog is kept for order checks, as services() keeps it.
    let service = listed
        .iter()
        .rev()
        .find(|s| s.kind == ServiceType::Default)
        .expect("a Default service");
    let known = panel.known_service(service.id).expect("known");
    assert_eq!((known.min, known.max), (service.min, service.max));
    let too_many = OrderRequest::new(
        service.id,
        Order::Default {
            link: "https://example.com/p".into(),
            quantity: service.max + 1,
            dripfeed: None,
        },
    );
    let e = panel.add(&too_many).await.expect_err("over the maximum");
    assert_eq!(e.kind(), "validation", "{e}");
    assert!(e.to_string().contains(&service.max.to_string()), "{e}");
}
