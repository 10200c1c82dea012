//! The journal against a sandbox panel, on SQLite and on Postgres:
//! idempotent adds, refusals and unknown outcomes replayed, the unknown
//! queue resolved by hand, status sync with history, spend, the catalog
//! cache, and many callers with the same keys at once.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod support;

use std::collections::{HashMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use rust_decimal::Decimal;
use smmkit_journal::{
    AddOptions, CatalogChangeKind, EntryState, Journal, JournalOptions, OrderFilter, Resolution,
};
use smmkit_perfect_panel::PerfectPanel;
use smmkit_provider_core::{OrderId, OrderRequest, SmmProvider};
use smmkit_sandbox::{Faults, SandboxConfig};
use support::{client, default_service, journal_urls, requests, sandbox, sandbox_with};

fn order(service: u64, link: &str, quantity: u64) -> OrderRequest {
    OrderRequest::link_quantity(service, link, quantity)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_key_sends_one_order_and_every_later_add_returns_its_id() {
    for url in journal_urls("one_order_per_key").await {
        let sandbox = sandbox(11).await;
        let journal = Journal::open(&url).await.unwrap();
        let panel = journal.attach_as("main", client(&sandbox));
        let (service, min) = default_service(&sandbox);
        let o = order(service, "https://t.me/one", min);
        let first = panel
            .add_with(
                &o,
                &AddOptions::key("tg-1")
                    .reference("invoice 1")
                    .metadata(serde_json::json!({"customer": 42})),
            )
            .await
            .unwrap();
        assert!(!first.replayed);
        let sent = requests(&sandbox);
        let again = panel.add_with(&o, &AddOptions::key("tg-1")).await.unwrap();
        assert_eq!((again.order, again.replayed), (first.order, true), "{url}");
        // From a journal opened afresh (another process, a restart) too.
        let reopened = Journal::open(&url).await.unwrap();
        let other = reopened.attach_as("main", client(&sandbox));
        assert_eq!(
            other
                .add_with(&o, &AddOptions::key("tg-1"))
                .await
                .unwrap()
                .order,
            first.order
        );
        assert_eq!(
            requests(&sandbox),
            sent,
            "a replayed add sends nothing ({url})"
        );
        assert_eq!(sandbox.orders().len(), 1);

        let entry = journal.order("tg-1").await.unwrap().unwrap();
        assert_eq!(entry.state, EntryState::Placed);
        assert_eq!(entry.order, Some(first.order));
        assert_eq!(entry.provider, "main");
        assert_eq!(entry.reference.as_deref(), Some("invoice 1"));
        assert_eq!(entry.metadata, Some(serde_json::json!({"customer": 42})));
        assert_eq!(OrderRequest::from_value(&entry.request).unwrap(), o);
        // The quote is what the sandbox charged.
        let charged = sandbox.orders()[0].charge;
        assert_eq!(entry.quote.and_then(|q| q.amount()), Some(charged), "{url}");

        // The same key with another order sends nothing and says why.
        let e = panel
            .add_with(
                &order(service, "https://t.me/other", min),
                &AddOptions::key("tg-1"),
            )
            .await
            .unwrap_err();
        assert_eq!(e.code(), "idempotency_conflict", "{e}");
        assert!(e.to_string().contains("https://t.me/one"), "{e}");
        assert_eq!(requests(&sandbox), sent);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_warm_add_is_one_request_and_the_catalog_is_checked_from_the_journal() {
    for url in journal_urls("warm_add").await {
        let sandbox = sandbox(12).await;
        let journal = Journal::open(&url).await.unwrap();
        let panel = journal.attach_as("main", client(&sandbox));
        let (service, min) = default_service(&sandbox);
        panel
            .add(&order(service, "https://t.me/a", min))
            .await
            .unwrap();
        assert_eq!(
            requests(&sandbox),
            2,
            "a cold add lists the services first ({url})"
        );
        panel
            .add(&order(service, "https://t.me/b", min))
            .await
            .unwrap();
        assert_eq!(requests(&sandbox), 3, "a warm add is one request ({url})");
        // Another process finds the stored catalog: one request too.
        let reopened = Journal::open(&url).await.unwrap();
        reopened
            .attach_as("main", client(&sandbox))
            .add(&order(service, "https://t.me/c", min))
            .await
            .unwrap();
        assert_eq!(requests(&sandbox), 4, "{url}");
        // The stored catalog checks orders: nothing is sent for one below
        // the minimum, nor for a service the panel does not list.
        let e = panel
            .add(&order(service, "https://t.me/d", min - 1))
            .await
            .unwrap_err();
        assert_eq!((e.kind(), requests(&sandbox)), ("validation", 4), "{e}");
        let e = panel
            .add(&order(987_654, "https://t.me/d", 100))
            .await
            .unwrap_err();
        assert_eq!(e.kind(), "validation", "{e}");
        assert!(e.to_string().contains("not in the catalog of main"), "{e}");
        // A missing service made the journal list the services again once
        // only if its catalog was older than a minute: it was not.
        assert_eq!(requests(&sandbox), 4);
        // A catalog older than the TTL is fetched again.
        let stale = Journal::open_with(
            &url,
            JournalOptions {
                catalog_ttl: Duration::from_millis(1),
                ..JournalOptions::default()
            },
        )
        .await
        .unwrap();
        tokio::time::sleep(Duration::from_millis(5)).await;
        stale
            .attach_as("main", client(&sandbox))
            .add(&order(service, "https://t.me/e", min))
            .await
            .unwrap();
        assert_eq!(requests(&sandbox), 6, "{url}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_refusal_is_recorded_and_returned_again_without_sending() {
    for url in journal_urls("refusal").await {
        let sandbox = sandbox_with(SandboxConfig {
            seed: 13,
            balance: Decimal::new(1, 2),
            ..SandboxConfig::default()
        })
        .await;
        let journal = Journal::open(&url).await.unwrap();
        let panel = journal.attach_as("main", client(&sandbox));
        let (service, _) = default_service(&sandbox);
        let big = order(
            service,
            "https://t.me/big",
            sandbox.catalog().get(service).unwrap().max,
        );
        let first = panel
            .add_with(&big, &AddOptions::key("k-funds"))
            .await
            .unwrap_err();
        assert_eq!(first.code(), "insufficient_funds", "{first}");
        let sent = requests(&sandbox);
        let again = panel
            .add_with(&big, &AddOptions::key("k-funds"))
            .await
            .unwrap_err();
        assert_eq!(again.to_string(), first.to_string());
        assert_eq!(requests(&sandbox), sent, "{url}");
        let entry = journal.order("k-funds").await.unwrap().unwrap();
        assert_eq!(entry.state, EntryState::Refused);
        assert_eq!(entry.error.unwrap()["code"], "insufficient_funds");
        assert!(sandbox.orders().is_empty());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_unknown_outcome_waits_in_the_queue_until_resolved_and_is_never_resent() {
    for url in journal_urls("unknown").await {
        let sandbox = sandbox(14).await;
        let journal = Journal::open(&url).await.unwrap();
        let panel = journal.attach_as("main", client(&sandbox));
        let (service, min) = default_service(&sandbox);
        // The catalog first, while the panel answers.
        panel.services().await.unwrap();
        sandbox.set_faults(support::fail_after_action());
        let o = order(service, "https://t.me/unknown", min);
        let e = panel
            .add_with(&o, &AddOptions::key("k-u"))
            .await
            .unwrap_err();
        assert_eq!(e.kind(), "outcome_unknown", "{e}");
        sandbox.set_faults(Faults::none());
        let sent = requests(&sandbox);
        let again = panel
            .add_with(&o, &AddOptions::key("k-u"))
            .await
            .unwrap_err();
        assert_eq!(again.kind(), "outcome_unknown", "{again}");
        assert!(
            again.to_string().contains("nothing was sent again"),
            "{again}"
        );
        assert_eq!(requests(&sandbox), sent, "{url}");

        let queue = journal.unknown().await.unwrap();
        assert_eq!(
            queue.iter().map(|e| e.key.as_str()).collect::<Vec<_>>(),
            ["k-u"]
        );
        assert_eq!(queue[0].error.as_ref().unwrap()["kind"], "outcome_unknown");
        // The sandbox did create it: resolved as that order, the key
        // returns it, and sync follows it.
        let created = OrderId(sandbox.orders()[0].id);
        let resolved = journal
            .resolve("k-u", Resolution::Placed(created))
            .await
            .unwrap();
        assert_eq!(
            (resolved.state, resolved.order),
            (EntryState::Placed, Some(created))
        );
        assert!(resolved.resolved_at.is_some());
        let replay = panel.add_with(&o, &AddOptions::key("k-u")).await.unwrap();
        assert_eq!((replay.order, replay.replayed), (created, true));
        assert!(journal.unknown().await.unwrap().is_empty());
        // Only unknown outcomes are resolved; an order id has one key.
        let e = journal
            .resolve("k-u", Resolution::NotPlaced)
            .await
            .unwrap_err();
        assert!(e.to_string().contains("is placed, not unknown"), "{e}");
        let e = journal
            .resolve("nope", Resolution::NotPlaced)
            .await
            .unwrap_err();
        assert!(e.to_string().contains("no order is journaled"), "{e}");
        assert_eq!(journal.sync().await.unwrap().polled, 1);
        assert_eq!(requests(&sandbox), sent + 1);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_order_resolved_as_not_placed_or_never_sent_is_sent_again_under_its_key() {
    for url in journal_urls("send_again").await {
        let sandbox = sandbox(15).await;
        let journal = Journal::open(&url).await.unwrap();
        let (service, min) = default_service(&sandbox);
        let o = order(service, "https://t.me/again", min);
        // Nothing listens on this port: nothing can be sent.
        let closed = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = closed.local_addr().unwrap().port();
        drop(closed);
        let nowhere: Arc<dyn SmmProvider> = Arc::new(
            PerfectPanel::builder(format!("http://127.0.0.1:{port}/api/v2"), "fake-key")
                .retry(smmkit_perfect_panel::RetryPolicy::none())
                .build()
                .unwrap(),
        );
        let down = journal.attach_as("main", nowhere);
        let e = down
            .add_with(&o, &AddOptions::key("k-retry"))
            .await
            .unwrap_err();
        assert_eq!(e.kind(), "transport", "{e}");
        let entry = journal.order("k-retry").await.unwrap().unwrap();
        assert_eq!(
            (entry.state, entry.attempts),
            (EntryState::Failed, 1),
            "{url}"
        );
        // The panel is back: the same key sends the order, once.
        let up = journal.attach_as("main", client(&sandbox));
        let added = up.add_with(&o, &AddOptions::key("k-retry")).await.unwrap();
        assert!(!added.replayed);
        let entry = journal.order("k-retry").await.unwrap().unwrap();
        assert_eq!((entry.state, entry.attempts), (EntryState::Placed, 2));
        assert_eq!(sandbox.orders().len(), 1);

        // Unknown, then found not placed: the key may send again.
        sandbox.set_faults(Faults {
            drop: 1.0,
            after_action: 0.0,
            ..Faults::none()
        });
        let o2 = order(service, "https://t.me/again-2", min);
        let e = up
            .add_with(&o2, &AddOptions::key("k-np"))
            .await
            .unwrap_err();
        assert_eq!(e.kind(), "outcome_unknown", "{e}");
        sandbox.set_faults(Faults::none());
        journal
            .resolve("k-np", Resolution::NotPlaced)
            .await
            .unwrap();
        let added = up.add_with(&o2, &AddOptions::key("k-np")).await.unwrap();
        assert!(!added.replayed);
        assert_eq!(sandbox.orders().len(), 2, "{url}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sync_stores_statuses_with_their_history_and_reports_each_change() {
    for url in journal_urls("sync").await {
        let sandbox = sandbox(16).await;
        let journal = Journal::open(&url).await.unwrap();
        let panel = journal.attach_as("main", client(&sandbox));
        let (service, min) = default_service(&sandbox);
        let mut keys = Vec::new();
        for i in 0..30 {
            let key = format!("k{i}");
            panel
                .add_with(
                    &order(service, &format!("https://t.me/s{i}"), min),
                    &AddOptions::key(&key),
                )
                .await
                .unwrap();
            keys.push(key);
        }
        let first = journal.sync().await.unwrap();
        assert_eq!(
            (first.polled, first.changes.len(), first.open),
            (30, 30, 30),
            "{url}"
        );
        assert!(
            first
                .changes
                .iter()
                .all(|c| c.from.is_none() && c.to == "Pending")
        );
        // Nothing changed: a change only when something did.
        let quiet = journal.sync().await.unwrap();
        assert_eq!((quiet.polled, quiet.changes.len()), (30, 0));
        // A day later every order is final; the next round polls none.
        sandbox.clock().advance(Duration::from_secs(86_400));
        let done = journal.sync().await.unwrap();
        assert_eq!(
            (done.polled, done.changes.len(), done.open),
            (30, 30, 0),
            "{url}"
        );
        let finals: HashSet<&str> = done.changes.iter().map(|c| c.to.as_str()).collect();
        assert!(
            finals.is_subset(&HashSet::from(["Completed", "Partial"])),
            "{finals:?}"
        );
        assert!(
            done.changes
                .iter()
                .all(|c| c.from.as_deref() == Some("Pending"))
        );
        assert_eq!(journal.sync().await.unwrap().polled, 0);

        // Each order's record and history match the sandbox's own.
        let by_id: HashMap<u64, _> = sandbox.orders().into_iter().map(|o| (o.id, o)).collect();
        for key in &keys {
            let entry = journal.order(key).await.unwrap().unwrap();
            let history = journal.history(key).await.unwrap();
            assert_eq!(history.len(), 2, "{key}");
            assert_eq!(history[0].status, "Pending");
            assert_eq!(Some(history[1].status.as_str()), entry.status.as_deref());
            assert!(entry.is_final);
            let sandboxed = &by_id[&entry.order.unwrap().get()];
            assert_eq!(sandboxed.polls, 3, "three rounds polled it, the fourth not");
            if entry.status.as_deref() == Some("Completed") {
                assert_eq!(entry.charge, Some(sandboxed.charge));
                assert_eq!(entry.remains, Some(0));
            }
        }
        // Spend: the sum of the charges the panel reported, exact.
        let spend = journal.spend().await.unwrap();
        assert_eq!(spend.len(), 1);
        let reported: Decimal = journal
            .orders(&OrderFilter::default())
            .await
            .unwrap()
            .iter()
            .filter_map(|e| e.charge)
            .sum();
        assert_eq!((spend[0].orders, spend[0].charged), (30, reported));
        assert_eq!(spend[0].currency.as_deref(), Some("USD"));
        // Listing by status.
        let completed = journal
            .orders(&OrderFilter {
                status: Some("completed".into()),
                ..OrderFilter::default()
            })
            .await
            .unwrap();
        assert!(
            completed
                .iter()
                .all(|e| e.status.as_deref() == Some("Completed"))
        );
        assert_eq!(
            completed.len(),
            done.changes.iter().filter(|c| c.to == "Completed").count()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sync_leaves_orders_of_providers_not_attached_and_says_so() {
    for url in journal_urls("unattached").await {
        let sandbox = sandbox(17).await;
        let (service, min) = default_service(&sandbox);
        {
            let journal = Journal::open(&url).await.unwrap();
            let panel = journal.attach_as("other", client(&sandbox));
            panel
                .add(&order(service, "https://t.me/x", min))
                .await
                .unwrap();
        }
        let journal = Journal::open(&url).await.unwrap();
        journal.attach_as("main", client(&sandbox));
        let report = journal.sync().await.unwrap();
        assert_eq!(report.polled, 0);
        assert_eq!(report.unattached.len(), 1, "{url}");
        assert_eq!(
            (
                report.unattached[0].provider.as_str(),
                report.unattached[0].orders
            ),
            ("other", 1)
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_sync_cut_short_is_finished_by_the_next_one_polling_each_order_once() {
    for url in journal_urls("resume").await {
        let sandbox = sandbox(18).await;
        let options = JournalOptions {
            lease: Duration::from_millis(300),
            sync_batch: 10,
            ..JournalOptions::default()
        };
        let journal = Journal::open_with(&url, options.clone()).await.unwrap();
        let panel = journal.attach_as("main", client(&sandbox));
        let (service, min) = default_service(&sandbox);
        for i in 0..50 {
            panel
                .add(&order(service, &format!("https://t.me/r{i}"), min))
                .await
                .unwrap();
        }
        // A worker that stops answering after two batches: its sync is
        // dropped (as a crash would end it) with a batch leased.
        let stalling = Journal::open_with(&url, options.clone()).await.unwrap();
        stalling.attach_as("main", Arc::new(Stalling::new(client(&sandbox), 2)));
        let cut = tokio::time::timeout(Duration::from_millis(1500), stalling.sync()).await;
        assert!(cut.is_err(), "the stalling sync was to be cut short");
        drop(stalling);
        let polled_before: u64 = sandbox.orders().iter().map(|o| o.polls).sum();
        assert_eq!(polled_before, 20, "two batches of ten ({url})");
        // The next sync joins the open round: the 30 orders not polled.
        tokio::time::sleep(Duration::from_millis(400)).await;
        let report = journal.sync().await.unwrap();
        assert_eq!(report.polled, 30, "{url}");
        assert!(sandbox.orders().iter().all(|o| o.polls == 1), "{url}");
        // The round is over: the next one polls every order again.
        assert_eq!(journal.sync().await.unwrap().polled, 50);
    }
}

/// A provider whose `statuses` answer `answered` times, then never.
struct Stalling {
    inner: Arc<dyn SmmProvider>,
    left: std::sync::atomic::AtomicUsize,
}

impl Stalling {
    fn new(inner: Arc<dyn SmmProvider>, answered: usize) -> Stalling {
        Stalling {
            inner,
            left: answered.into(),
        }
    }
}

#[async_trait::async_trait]
impl SmmProvider for Stalling {
    fn name(&self) -> &str {
        self.inner.name()
    }
    async fn services(&self) -> smmkit_provider_core::Result<smmkit_provider_core::ServiceList> {
        self.inner.services().await
    }
    async fn add(&self, order: &OrderRequest) -> smmkit_provider_core::Result<OrderId> {
        self.inner.add(order).await
    }
    async fn status(
        &self,
        order: OrderId,
    ) -> smmkit_provider_core::Result<smmkit_provider_core::OrderStatus> {
        self.inner.status(order).await
    }
    async fn statuses(
        &self,
        orders: &[OrderId],
    ) -> smmkit_provider_core::Entries<OrderId, smmkit_provider_core::OrderStatus> {
        let left = self.left.load(std::sync::atomic::Ordering::SeqCst);
        if left == 0 {
            std::future::pending::<()>().await;
        }
        self.left
            .store(left - 1, std::sync::atomic::Ordering::SeqCst);
        self.inner.statuses(orders).await
    }
    async fn refill(
        &self,
        order: OrderId,
    ) -> smmkit_provider_core::Result<smmkit_provider_core::RefillId> {
        self.inner.refill(order).await
    }
    async fn refills(
        &self,
        orders: &[OrderId],
    ) -> smmkit_provider_core::Entries<OrderId, smmkit_provider_core::RefillId> {
        self.inner.refills(orders).await
    }
    async fn refill_status(
        &self,
        refill: smmkit_provider_core::RefillId,
    ) -> smmkit_provider_core::Result<smmkit_provider_core::RefillState> {
        self.inner.refill_status(refill).await
    }
    async fn refill_statuses(
        &self,
        refills: &[smmkit_provider_core::RefillId],
    ) -> smmkit_provider_core::Entries<
        smmkit_provider_core::RefillId,
        smmkit_provider_core::RefillState,
    > {
        self.inner.refill_statuses(refills).await
    }
    async fn cancel(
        &self,
        orders: &[OrderId],
    ) -> smmkit_provider_core::Entries<OrderId, smmkit_provider_core::CancelRequested> {
        self.inner.cancel(orders).await
    }
    async fn balance(&self) -> smmkit_provider_core::Result<smmkit_provider_core::Balance> {
        self.inner.balance().await
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn eight_callers_with_the_same_200_keys_place_200_orders_once_each() {
    for url in journal_urls("same_keys").await {
        let sandbox = Arc::new(
            sandbox_with(SandboxConfig {
                seed: 19,
                balance: Decimal::new(100_000_000, 0),
                ..SandboxConfig::default()
            })
            .await,
        );
        let (service, min) = default_service(&sandbox);
        // The catalog is stored once, so that the callers race on adds.
        Journal::open(&url)
            .await
            .unwrap()
            .attach_as("main", client(&sandbox))
            .services()
            .await
            .unwrap();
        let callers = (0..8).map(|caller| {
            let url = url.clone();
            let sandbox = Arc::clone(&sandbox);
            tokio::spawn(async move {
                // Each caller its own journal: its own pool, as a process.
                let journal = Journal::open(&url).await.unwrap();
                let panel = journal.attach_as("main", client(&sandbox));
                let mut got = Vec::new();
                for i in 0..200 {
                    // Each caller walks the keys from another place.
                    let k = (i + caller * 25) % 200;
                    let o = order(service, &format!("https://t.me/same/{k}"), min);
                    let added = panel
                        .add_with(&o, &AddOptions::key(format!("same-{k}")))
                        .await;
                    got.push((k, added.map(|a| a.order)));
                }
                got
            })
        });
        let mut ids: HashMap<u64, HashSet<OrderId>> = HashMap::new();
        for caller in futures_util::future::join_all(callers).await {
            for (k, id) in caller.unwrap() {
                ids.entry(k).or_default().insert(id.unwrap());
            }
        }
        assert_eq!(ids.len(), 200);
        assert!(
            ids.values().all(|s| s.len() == 1),
            "every caller got one id per key ({url})"
        );
        let orders = sandbox.orders();
        assert_eq!(orders.len(), 200, "{url}");
        let links: HashSet<&str> = orders.iter().map(|o| o.link.as_str()).collect();
        assert_eq!(links.len(), 200);
        let journaled = Journal::open(&url)
            .await
            .unwrap()
            .orders(&OrderFilter::default())
            .await
            .unwrap();
        assert_eq!(journaled.len(), 200);
        assert!(
            journaled
                .iter()
                .all(|e| e.state == EntryState::Placed && e.attempts == 1)
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_catalog_refresh_records_new_removed_and_repriced_services() {
    for url in journal_urls("catalog").await {
        let before = sandbox(20).await;
        let after = sandbox(21).await;
        let journal = Journal::open(&url).await.unwrap();
        journal
            .attach_as("main", client(&before))
            .services()
            .await
            .unwrap();
        assert!(
            journal.refresh_catalog("main").await.unwrap().is_empty(),
            "same catalog"
        );
        let stored = journal.catalog("main").await.unwrap().unwrap();
        assert_eq!(stored.services.len(), before.catalog().services().len());
        // The panel's catalog changes (another seed: other rates, names).
        journal.attach_as("main", client(&after));
        let changes = journal.refresh_catalog("main").await.unwrap();
        assert!(!changes.is_empty(), "{url}");
        let old: HashMap<u64, Decimal> = before
            .catalog()
            .services()
            .iter()
            .map(|s| (s.id, s.rate))
            .collect();
        let new: HashMap<u64, Decimal> = after
            .catalog()
            .services()
            .iter()
            .map(|s| (s.id, s.rate))
            .collect();
        for c in &changes {
            let id = c.service.get();
            match c.kind {
                CatalogChangeKind::New => assert!(!old.contains_key(&id) && new.contains_key(&id)),
                CatalogChangeKind::Removed => {
                    assert!(old.contains_key(&id) && !new.contains_key(&id))
                }
                CatalogChangeKind::Repriced => {
                    assert_eq!(
                        (c.old_rate, c.new_rate),
                        (old.get(&id).copied(), new.get(&id).copied())
                    );
                    assert_ne!(c.old_rate, c.new_rate);
                }
            }
        }
        let expected = new.iter().filter(|(id, r)| old.get(id) != Some(r)).count()
            + old.keys().filter(|id| !new.contains_key(id)).count();
        assert_eq!(changes.len(), expected);
        assert_eq!(
            journal.catalog_changes(Some("main")).await.unwrap(),
            changes
        );
        assert!(
            journal
                .catalog_changes(Some("other"))
                .await
                .unwrap()
                .is_empty()
        );
        let e = journal.refresh_catalog("nobody").await.unwrap_err();
        assert!(e.to_string().contains("attached: main"), "{e}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn status_refill_and_cancel_through_the_journal_are_recorded() {
    for url in journal_urls("passthrough").await {
        let sandbox = sandbox(22).await;
        let journal = Journal::open(&url).await.unwrap();
        let panel = journal.attach_as("main", client(&sandbox));
        let (service, min) = default_service(&sandbox);
        let added = panel
            .add_with(
                &order(service, "https://t.me/p", min),
                &AddOptions::key("kp"),
            )
            .await
            .unwrap();
        let status = panel.status(added.order).await.unwrap();
        let entry = journal.order("kp").await.unwrap().unwrap();
        assert_eq!(entry.status.as_deref(), Some(status.status.as_str()));
        assert!(entry.polled_at.is_some(), "{url}");
        assert_eq!(journal.history("kp").await.unwrap().len(), 1);
        let cancels = panel.cancel(&[added.order]).await;
        if cancels[0].1.is_ok() {
            let entry = journal.order("kp").await.unwrap().unwrap();
            assert!(entry.cancel_requested_at.is_some());
        }
        // An order the journal does not hold passes through untouched.
        let e = panel.status(OrderId(1)).await.unwrap_err();
        assert_eq!(e.code(), "incorrect_order_id");
        assert_eq!(
            journal.orders(&OrderFilter::default()).await.unwrap().len(),
            1
        );
    }
}
