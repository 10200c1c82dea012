//! What every journal test needs: a fresh journal on each database (an
//! SQLite file, and a database of its own on the test Postgres server), a
//! sandbox panel, and a client of it.

#![allow(
    dead_code,
    unreachable_pub,
    missing_docs,
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::print_stderr
)]

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use smmkit_perfect_panel::{PerfectPanel, RetryPolicy};
use smmkit_provider_core::SmmProvider;
use smmkit_sandbox::{Clock, Faults, Sandbox, SandboxConfig};
use sqlx::Connection;

/// The test Postgres server's URL (`scripts/test` starts one and sets
/// it). When it is not set, Postgres runs are skipped with a note, unless
/// `SMMKIT_REQUIRE_POSTGRES=1` (set by `scripts/test`), which makes that a
/// failure.
fn postgres_server() -> Option<String> {
    match std::env::var("SMMKIT_TEST_POSTGRES") {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ => {
            assert!(
                std::env::var("SMMKIT_REQUIRE_POSTGRES").as_deref() != Ok("1"),
                "SMMKIT_REQUIRE_POSTGRES=1 but SMMKIT_TEST_POSTGRES names no server: \
                 the Postgres runs of the journal tests cannot be skipped"
            );
            eprintln!(
                "note: journal tests run on SQLite only: SMMKIT_TEST_POSTGRES is not set \
                 (scripts/test starts a server and sets it)"
            );
            None
        }
    }
}

/// A unique name for a test's database or file.
pub fn unique(test: &str) -> String {
    format!(
        "{}_{}_{:08x}",
        test.replace(|c: char| !c.is_ascii_alphanumeric(), "_"),
        std::process::id(),
        fastrand::u32(..)
    )
    .to_ascii_lowercase()
}

/// A path for a test's file, under Cargo's temporary directory for tests.
pub fn temp_path(name: &str) -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("journal");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// A new, empty database on the test Postgres server, by URL.
pub async fn postgres_database(test: &str) -> Option<String> {
    let server = postgres_server()?;
    let name = unique(test);
    let mut admin = sqlx::PgConnection::connect(&server)
        .await
        .unwrap_or_else(|e| panic!("cannot connect to the test Postgres server: {e}"));
    sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
        .execute(&mut admin)
        .await
        .unwrap();
    let mut url = url::Url::parse(&server).unwrap();
    url.set_path(&format!("/{name}"));
    Some(url.to_string())
}

/// A fresh journal URL on each database the tests run on: an SQLite file,
/// then (when there is a server) Postgres.
pub async fn journal_urls(test: &str) -> Vec<String> {
    let file = temp_path(&format!("{}.db", unique(test)));
    let mut urls = vec![format!("sqlite://{}", file.display())];
    urls.extend(postgres_database(test).await);
    urls
}

/// A sandbox with a manual clock (statuses move only when a test says).
pub async fn sandbox(seed: u64) -> Sandbox {
    sandbox_with(SandboxConfig {
        seed,
        clock: Clock::manual(),
        ..SandboxConfig::default()
    })
    .await
}

pub async fn sandbox_with(config: SandboxConfig) -> Sandbox {
    Sandbox::start(config).await.unwrap()
}

/// A client of `sandbox` that tries nothing twice (so that counts of
/// requests are exact).
pub fn client(sandbox: &Sandbox) -> Arc<dyn SmmProvider> {
    Arc::new(
        PerfectPanel::builder(sandbox.url(), sandbox.key())
            .retry(RetryPolicy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap(),
    )
}

/// How many requests `sandbox` has answered (or faulted).
pub fn requests(sandbox: &Sandbox) -> u64 {
    let c = sandbox.fault_counts();
    c.clean + c.server_error + c.html + c.drop + c.stall
}

/// Faults on every request: 502 after the action ran.
pub fn fail_after_action() -> Faults {
    Faults {
        server_error: 1.0,
        after_action: 1.0,
        ..Faults::none()
    }
}

/// The first service of the default type in the sandbox's catalog, and
/// its minimum.
pub fn default_service(sandbox: &Sandbox) -> (u64, u64) {
    let s = sandbox.catalog().first_of_type("Default").unwrap();
    (s.id, s.min)
}
