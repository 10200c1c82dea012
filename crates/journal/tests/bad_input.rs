//! A journal that cannot be used says why, plainly, and an order whose
//! intent cannot be recorded is never sent: a file that is no database, a
//! schema from a newer smmkit, a read-only file, a write that fails (as on
//! a full disk), an answer that cannot be recorded.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]

mod support;

use std::time::Duration;

use smmkit_journal::{AddOptions, Backend, EntryState, Journal, JournalOptions, Resolution};
use smmkit_provider_core::{Error, OrderRequest, SmmProvider};
use sqlx::Connection;
use support::{client, default_service, journal_urls, requests, sandbox, temp_path, unique};

/// Runs `sql` on the journal at `url`, outside smmkit (as a stray admin or
/// a broken disk would change it).
async fn tamper(url: &str, statements: &[&str]) {
    let mut conn = sqlx::AnyConnection::connect(url).await.unwrap();
    for s in statements {
        sqlx::query(sqlx::AssertSqlSafe(s.to_string()))
            .execute(&mut conn)
            .await
            .unwrap();
    }
}

fn is_sqlite(url: &str) -> bool {
    url.starts_with("sqlite:")
}

#[tokio::test]
async fn a_file_that_is_not_a_database_is_named_as_such() {
    let path = temp_path(&format!("{}.db", unique("not_a_db")));
    std::fs::write(&path, "these are my notes, not a database\n".repeat(200)).unwrap();
    let e = Journal::open(&format!("sqlite://{}", path.display()))
        .await
        .unwrap_err();
    assert_eq!(e.kind(), "journal");
    assert!(e.to_string().contains("is not an SQLite database"), "{e}");
    assert!(e.to_string().contains(&path.display().to_string()), "{e}");
    // And the file is left as it was.
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .starts_with("these are my notes")
    );
}

#[tokio::test]
async fn a_journal_of_a_newer_schema_is_refused_not_misread() {
    sqlx::any::install_default_drivers();
    for url in journal_urls("newer_schema").await {
        Journal::open(&url).await.unwrap();
        tamper(
            &url,
            &["UPDATE smmkit_meta SET value = '99' WHERE name = 'schema_version'"],
        )
        .await;
        let e = Journal::open(&url).await.unwrap_err();
        assert_eq!(e.kind(), "journal", "{e}");
        let text = e.to_string();
        assert!(
            text.contains("schema version 99") && text.contains("upgrade smmkit"),
            "{text}"
        );
    }
}

#[tokio::test]
async fn a_read_only_journal_can_be_read_but_holds_back_every_order() {
    let sandbox = sandbox(31).await;
    let path = temp_path(&format!("{}.db", unique("read_only")));
    let url = format!("sqlite://{}", path.display());
    Journal::open(&url).await.unwrap();
    let journal = Journal::open(&format!("{url}?mode=ro")).await.unwrap();
    assert!(
        journal
            .orders(&Default::default())
            .await
            .unwrap()
            .is_empty()
    );
    let panel = journal.attach_as("main", client(&sandbox));
    let (service, min) = default_service(&sandbox);
    let e = panel
        .add_with(
            &OrderRequest::link_quantity(service, "https://t.me/ro", min),
            &AddOptions::key("ro-1"),
        )
        .await
        .unwrap_err();
    let Error::Journal {
        not_sent, placed, ..
    } = &e
    else {
        panic!("{e:?}")
    };
    assert!(*not_sent && placed.is_none(), "{e}");
    assert!(
        e.to_string().contains("read-only") && e.to_string().contains("nothing was sent"),
        "{e}"
    );
    assert!(sandbox.orders().is_empty());
}

#[tokio::test]
async fn a_write_that_fails_holds_the_order_back() {
    sqlx::any::install_default_drivers();
    for url in journal_urls("write_fails").await {
        let sandbox = sandbox(32).await;
        let journal = Journal::open(&url).await.unwrap();
        let panel = journal.attach_as("main", client(&sandbox));
        panel.services().await.unwrap();
        if is_sqlite(&url) {
            tamper(
                &url,
                &["CREATE TRIGGER full_disk BEFORE INSERT ON smmkit_orders
                            BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END"],
            )
            .await;
        } else {
            tamper(
                &url,
                &[
                    "CREATE FUNCTION full_disk() RETURNS trigger LANGUAGE plpgsql AS
                 $$ BEGIN RAISE EXCEPTION 'could not extend file: No space left on device'; END $$",
                    "CREATE TRIGGER full_disk BEFORE INSERT ON smmkit_orders
                 FOR EACH ROW EXECUTE FUNCTION full_disk()",
                ],
            )
            .await;
        }
        let sent = requests(&sandbox);
        let (service, min) = default_service(&sandbox);
        let e = panel
            .add_with(
                &OrderRequest::link_quantity(service, "https://t.me/full", min),
                &AddOptions::key("full-1"),
            )
            .await
            .unwrap_err();
        let Error::Journal { not_sent, .. } = &e else {
            panic!("{e:?}")
        };
        assert!(*not_sent, "{e}");
        assert!(e.to_string().contains("the disk is full"), "{url}: {e}");
        assert_eq!(
            requests(&sandbox),
            sent,
            "nothing reached the panel ({url})"
        );
        assert!(sandbox.orders().is_empty());
    }
}

#[tokio::test]
async fn an_answer_that_cannot_be_recorded_still_gives_the_order_id_and_leaves_it_unknown() {
    sqlx::any::install_default_drivers();
    for url in journal_urls("answer_lost").await {
        let sandbox = sandbox(33).await;
        let options = JournalOptions {
            lease: Duration::from_millis(300),
            ..JournalOptions::default()
        };
        let journal = Journal::open_with(&url, options).await.unwrap();
        let panel = journal.attach_as("main", client(&sandbox));
        panel.services().await.unwrap();
        if is_sqlite(&url) {
            tamper(
                &url,
                &["CREATE TRIGGER lost BEFORE UPDATE OF state ON smmkit_orders
                            WHEN NEW.state = 'placed'
                            BEGIN SELECT RAISE(ABORT, 'disk I/O error'); END"],
            )
            .await;
        } else {
            tamper(&url, &[
                "CREATE FUNCTION lost() RETURNS trigger LANGUAGE plpgsql AS
                 $$ BEGIN IF NEW.state = 'placed' THEN RAISE EXCEPTION 'could not write block'; END IF; RETURN NEW; END $$",
                "CREATE TRIGGER lost BEFORE UPDATE ON smmkit_orders FOR EACH ROW EXECUTE FUNCTION lost()",
            ]).await;
        }
        let (service, min) = default_service(&sandbox);
        let o = OrderRequest::link_quantity(service, "https://t.me/lost", min);
        let e = panel
            .add_with(&o, &AddOptions::key("lost-1"))
            .await
            .unwrap_err();
        let Error::Journal {
            not_sent, placed, ..
        } = &e
        else {
            panic!("{e:?}")
        };
        let created = sandbox.orders()[0].id;
        assert_eq!(
            (*not_sent, placed.map(|p| p.get())),
            (false, Some(created)),
            "{url}: {e}"
        );
        // Never sent again: after the lease it is unknown, and waits.
        tokio::time::sleep(Duration::from_millis(400)).await;
        let queue = journal.unknown().await.unwrap();
        assert_eq!(queue.len(), 1, "{url}");
        assert_eq!(queue[0].state, EntryState::Unknown);
        let again = panel
            .add_with(&o, &AddOptions::key("lost-1"))
            .await
            .unwrap_err();
        assert_eq!(again.kind(), "outcome_unknown", "{again}");
        assert_eq!(sandbox.orders().len(), 1);
        // Once the journal can be written again, it is resolved by hand.
        let repaired = if is_sqlite(&url) {
            "DROP TRIGGER lost"
        } else {
            "DROP TRIGGER lost ON smmkit_orders"
        };
        tamper(&url, &[repaired]).await;
        journal
            .resolve("lost-1", Resolution::Placed(created.into()))
            .await
            .unwrap();
        assert_eq!(
            panel
                .add_with(&o, &AddOptions::key("lost-1"))
                .await
                .unwrap()
                .order
                .get(),
            created
        );
    }
}

#[tokio::test]
async fn a_postgres_password_never_shows_in_an_error() {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let e = Journal::open(&format!(
        "postgres://bot:pw-0f-the-journal@127.0.0.1:{port}/smm"
    ))
    .await
    .unwrap_err();
    let text = format!("{e} {e:?} {}", serde_json::to_string(&e).unwrap());
    assert!(!text.contains("pw-0f-the-journal"), "{text}");
    assert!(text.contains(&format!("127.0.0.1:{port}/smm")), "{text}");
}

#[tokio::test]
async fn urls_that_name_no_journal_are_configuration_errors() {
    for bad in ["mysql://db/smm", "", "sqlite://"] {
        let e = Journal::open(bad).await.unwrap_err();
        assert_eq!(e.kind(), "config", "{bad:?}: {e}");
    }
    let memory = Journal::open("sqlite::memory:").await.unwrap();
    assert_eq!(memory.backend(), Backend::Sqlite);
    // One connection holds an in-memory journal: it keeps what it records.
    let sandbox = sandbox(34).await;
    let panel = memory.attach_as("main", client(&sandbox));
    let (service, min) = default_service(&sandbox);
    panel
        .add_with(
            &OrderRequest::link_quantity(service, "https://t.me/mem", min),
            &AddOptions::key("m"),
        )
        .await
        .unwrap();
    assert_eq!(
        memory.order("m").await.unwrap().unwrap().state,
        EntryState::Placed
    );
    let _: &dyn SmmProvider = &panel;
}
