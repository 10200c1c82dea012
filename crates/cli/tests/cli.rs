//! The `smmkit` binary, run as a user runs it, against the sandbox panel.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::io::{BufRead, BufReader};
use std::process::Stdio;
use std::time::Duration;

use assert_cmd::Command;
use predicates::prelude::*;
use smmkit_sandbox::{BackgroundSandbox, Catalog, Clock, SandboxConfig};

const SENTINEL: &str = "sentinel-fake-key-do-not-leak";

fn sandbox() -> BackgroundSandbox {
    let catalog = Catalog::from_json(
        r#"[
        {"service":1,"name":"Instagram Likes","type":"Default","category":"Instagram","rate":"0.90","min":10,"max":5000,"refill":true,"cancel":true,"dripfeed":true},
        {"service":2,"name":"Custom Comments","type":"Custom Comments","category":"Instagram","rate":"45.00","min":2,"max":100},
        {"service":3,"name":"Подписчики","type":"Default","category":"Telegram (Русский)","rate":"0.0123","min":100,"max":100000,"cancel":true},
        {"service":4,"name":"Poll votes, fast","type":"Poll","category":"Telegram","rate":"2.50","min":10,"max":1000}
    ]"#,
    )
    .unwrap();
    BackgroundSandbox::start(SandboxConfig {
        catalog: Some(catalog),
        clock: Clock::sped_up(5000.0),
        key: Some("sandbox-cli-test-key".into()),
        ..SandboxConfig::default()
    })
    .expect("sandbox")
}

/// `smmkit --url <sandbox>` with the key in the environment.
fn smmkit(s: &BackgroundSandbox) -> Command {
    let mut cmd = Command::cargo_bin("smmkit").unwrap();
    // No HOME, so no config file is read.
    cmd.env_clear()
        .env("SMMKIT_KEY", s.key())
        .args(["--url", s.url()]);
    cmd
}

fn bare() -> Command {
    let mut cmd = Command::cargo_bin("smmkit").unwrap();
    cmd.env_clear();
    cmd
}

fn stdout_of(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn demo_runs_the_main_job_and_exits_0() {
    let out = bare()
        .args(["demo", "--speed", "2000"])
        .timeout(Duration::from_secs(120))
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for step in [
        "1. services",
        "2. add",
        "the first order again with key demo-1: nothing was sent",
        "the panel still has 6 orders",
        "sync: the journal polls every open order",
        "sync: what changed since the journal last polled",
        "spent at sandbox:",
        "3. cancel",
        "4. watch",
        "5. refill",
        "6. balance",
        "done:",
    ] {
        assert!(text.contains(step), "missing `{step}` in:\n{text}");
    }
    assert!(text.contains("Canceled"), "{text}");
    assert!(text.contains("cancel requested"), "{text}");
    assert!(
        text.contains("refill ") && text.contains(" requested"),
        "{text}"
    );
}

#[test]
fn services_as_table_json_and_csv_with_filters() {
    let s = sandbox();
    let table = stdout_of(smmkit(&s).args(["services"]));
    assert!(
        table.lines().next().unwrap().starts_with("ID")
            || table.lines().next().unwrap().trim_start().starts_with("ID")
    );
    assert!(
        table.contains("Подписчики") && table.contains("4 of 4 services"),
        "{table}"
    );

    let json: serde_json::Value = serde_json::from_str(&stdout_of(
        smmkit(&s).args(["services", "--json", "--sort", "rate"]),
    ))
    .unwrap();
    let rates: Vec<&str> = json
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["rate"].as_str().unwrap())
        .collect();
    assert_eq!(
        rates,
        ["0.0123", "0.90", "2.50", "45.00"],
        "sorted by rate, exact"
    );

    // CSV has the JSON's field names.
    let csv = stdout_of(smmkit(&s).args(["services", "--csv", "--search", "poll"]));
    assert_eq!(
        csv,
        "cancel,category,description,dripfeed,id,max,min,name,rate,refill,type\nfalse,Telegram,,false,4,1000,10,\"Poll votes, fast\",2.50,false,Poll\n"
    );

    let only = stdout_of(smmkit(&s).args(["services", "--type", "custom comments", "--json"]));
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&only)
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let by_category = stdout_of(smmkit(&s).args([
        "services",
        "--category",
        "telegram",
        "--sort",
        "-rate",
        "--limit",
        "1",
        "--json",
    ]));
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&by_category).unwrap()[0]["id"],
        4
    );
}

#[test]
fn add_dry_run_shows_the_exact_cost_and_sends_nothing() {
    let s = sandbox();
    let out = stdout_of(smmkit(&s).args([
        "add",
        "--service",
        "1",
        "--link",
        "https://instagram.com/p/x",
        "--quantity",
        "1500",
        "--dry-run",
    ]));
    assert!(out.contains("dry run: nothing was sent"), "{out}");
    assert!(
        out.contains("cost:    1.35 (1500 × 0.90 per 1000)"),
        "{out}"
    );
    let drip = stdout_of(smmkit(&s).args([
        "add",
        "--service",
        "1",
        "--link",
        "https://i.g/p",
        "--quantity",
        "100",
        "--runs",
        "3",
        "--interval",
        "10",
        "--dry-run",
        "--json",
    ]));
    let v: serde_json::Value = serde_json::from_str(&drip).unwrap();
    assert_eq!(v["cost"], "0.27", "100 × 3 runs × 0.90 / 1000");
    assert!(s.orders().is_empty());
}

#[test]
fn add_places_orders_of_each_form() {
    let s = sandbox();
    let out = stdout_of(smmkit(&s).args([
        "add",
        "--service",
        "1",
        "--link",
        "https://instagram.com/p/x",
        "--quantity",
        "100",
    ]));
    assert!(out.starts_with("order 10001 placed"), "{out}");
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("comments.txt");
    std::fs::write(&file, "First!\nLovely\n\nSo good\n").unwrap();
    let out = stdout_of(smmkit(&s).args([
        "add",
        "--service",
        "2",
        "--link",
        "https://instagram.com/p/y",
        "--comments",
        &format!("@{}", file.display()),
        "--json",
    ]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(
        v["request"]["comments"],
        serde_json::json!(["First!", "Lovely", "So good"])
    );
    stdout_of(smmkit(&s).args([
        "add",
        "--service",
        "4",
        "--link",
        "https://t.me/c/5",
        "--quantity",
        "10",
        "--answer-number",
        "2",
    ]));
    let orders = s.orders();
    assert_eq!(
        orders
            .iter()
            .map(|o| (o.service, o.quantity))
            .collect::<Vec<_>>(),
        vec![(1, 100), (2, 3), (4, 10)]
    );
}

#[test]
fn bad_input_is_one_clear_line_and_exit_code_2() {
    let s = sandbox();
    let cases: Vec<(Vec<&str>, &str)> = vec![
        (
            vec!["add", "--service", "99", "--link", "x", "--quantity", "10"],
            "service 99 is not in the panel's catalog",
        ),
        (
            vec!["add", "--service", "1", "--link", "x", "--quantity", "5"],
            "`quantity`: 5 is below the minimum of 10 for service 1",
        ),
        (
            vec![
                "add",
                "--service",
                "1",
                "--link",
                "x",
                "--quantity",
                "5001",
                "--dry-run",
            ],
            "above the maximum of 5000",
        ),
        (
            vec!["add", "--service", "2", "--link", "x"],
            "`comments`: is needed for a custom_comments order",
        ),
        (
            vec!["add", "--service", "4", "--link", "x", "--quantity", "10"],
            "`answer_number`: is needed for a poll order",
        ),
        (
            vec![
                "add",
                "--service",
                "1",
                "--link",
                "x",
                "--quantity",
                "10",
                "--comments",
                "hi",
            ],
            "`comments`: is not taken by a default order",
        ),
        (
            vec!["add", "--service", "1x", "--link", "x", "--quantity", "10"],
            "`service`: `1x` is not a whole number",
        ),
        (
            vec!["add", "--service", "1", "--link", "x", "--quantity", "-3"],
            "`quantity`: must be at least 1, not -3",
        ),
        (
            vec!["add", "--service", "1", "--link", "x", "--quantity", "1.5"],
            "`quantity`: `1.5` is not a whole number",
        ),
        (
            vec!["status", "12a"],
            "`order`: `12a` is not a whole number",
        ),
        (
            vec!["--retries", "-1", "balance"],
            "`retries` must be a whole number from 0 to 20, not \"-1\"",
        ),
        (
            vec!["--timeout", "0", "balance"],
            "`timeout` must be a number of seconds from 0.001 to 86400",
        ),
        (
            vec!["--max-connections", "0", "balance"],
            "`max_connections` must be a whole number from 1 to 1024",
        ),
        (
            vec![
                "add",
                "--service",
                "1",
                "--link",
                "x",
                "--quantity",
                "10",
                "--form",
                "bogus",
            ],
            "`bogus` is not a form: one of default, package",
        ),
    ];
    for (args, message) in cases {
        let out = smmkit(&s).args(&args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains(message),
            "{args:?}: expected `{message}` in: {err}"
        );
        assert!(
            !err.contains("panicked") && !err.contains("backtrace"),
            "{err}"
        );
    }
    assert!(s.orders().is_empty(), "nothing was ordered");
}

#[test]
fn status_watch_refill_cancel_and_balance() {
    let s = sandbox();
    let id = |out: String| out.split_whitespace().nth(1).unwrap().to_owned();
    let a = id(stdout_of(smmkit(&s).args([
        "add",
        "--service",
        "1",
        "--link",
        "https://a.b/1",
        "--quantity",
        "100",
    ])));
    let b = id(stdout_of(smmkit(&s).args([
        "add",
        "--service",
        "3",
        "--link",
        "https://a.b/2",
        "--quantity",
        "100000",
    ])));

    let out = smmkit(&s)
        .args(["status", &a, &b, "777777"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "one id failed");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains(
            "777777  error: status: the panel refused (incorrect_order_id): Incorrect order ID"
        ),
        "{text}"
    );

    let cancel = stdout_of(smmkit(&s).args(["cancel", &b, "--json"]));
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&cancel).unwrap()[0]["ok"]["note"],
        serde_json::Value::Null
    );

    let watched = stdout_of(
        smmkit(&s)
            .args(["watch", &a, &b, "--interval", "0.1", "--max-wait", "60"])
            .timeout(Duration::from_secs(90)),
    );
    assert!(watched.contains("Canceled"), "{watched}");
    assert!(
        watched.contains("Completed") || watched.contains("Partial"),
        "{watched}"
    );

    let refill = stdout_of(smmkit(&s).args(["refill", &a, "--json"]));
    let r: serde_json::Value = serde_json::from_str(&refill).unwrap();
    let refill_id = r[0]["ok"].as_u64().expect("a refill id").to_string();
    let rs = stdout_of(smmkit(&s).args(["refill-status", &refill_id]));
    assert!(rs.contains(&refill_id), "{rs}");

    let balance = stdout_of(smmkit(&s).args(["balance"]));
    let expected = s.balance(s.key()).unwrap();
    assert_eq!(balance.trim(), format!("{expected} USD"));
}

#[test]
fn unreachable_panel_wrong_key_and_no_panel_fail_cleanly() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let dead = format!("http://{}/api/v2", listener.local_addr().unwrap());
    drop(listener);
    let out = bare()
        .env("SMMKIT_KEY", SENTINEL)
        .args(["--url", &dead, "--retries", "0", "balance"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.starts_with("error: balance: transport error"), "{err}");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(!err.contains(SENTINEL));

    let out = bare()
        .env("SMMKIT_KEY", SENTINEL)
        .args([
            "--url",
            &dead,
            "--transport",
            "get",
            "--retries",
            "0",
            "add",
            "--service",
            "1",
            "--link",
            "x",
            "--quantity",
            "10",
            "--no-check",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(!err.contains(SENTINEL), "{err}");

    let s = sandbox();
    let out = bare()
        .env("SMMKIT_KEY", SENTINEL)
        .args(["--url", s.url(), "balance"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        err.trim(),
        "error: balance: the panel refused (invalid_key): Invalid API key"
    );

    let out = bare().args(["balance"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no panel chosen"));

    let out = bare().args(["--url", s.url(), "balance"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no API key: set SMMKIT_KEY"));
}

#[test]
fn key_flag_warns_and_profiles_work() {
    let s = sandbox();
    bare()
        .args(["--url", s.url(), "--key", s.key(), "balance"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "warning: --key puts your API key in the shell history",
        ));

    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "default = \"sandbox\"\n\n[profiles.sandbox]\nprovider = \"perfect-panel\"\nurl = \"{}\"\nkey_env = \"MY_PANEL_KEY\"\ntransport = \"get\"\n",
            s.url()
        ),
    )
    .unwrap();
    bare()
        .env("SMMKIT_CONFIG", &config)
        .env("MY_PANEL_KEY", s.key())
        .args(["balance"])
        .assert()
        .success()
        .stdout(predicate::str::ends_with("USD\n"));
    bare()
        .env("SMMKIT_CONFIG", &config)
        .args(["balance"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "the profile's key variable MY_PANEL_KEY is not set",
        ));
    bare()
        .env("SMMKIT_CONFIG", &config)
        .args(["--profile", "other", "balance"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no profile `other`"));
    // Fampage pointed at the sandbox speaks GET.
    bare()
        .env("SMMKIT_KEY", s.key())
        .args([
            "--provider",
            "fampage",
            "--url",
            s.url(),
            "balance",
            "--json",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("\"currency\": \"USD\""));
}

#[test]
fn the_sandbox_command_serves_until_stopped() {
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("smmkit"))
        .args(["sandbox", "--port", "0", "--seed", "3", "--services", "60"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut url = None;
    let mut key = None;
    for _ in 0..6 {
        let line = lines.next().unwrap().unwrap();
        if let Some(u) = line.trim().strip_prefix("url:") {
            url = Some(u.trim().to_owned());
        }
        if let Some(k) = line.trim().strip_prefix("key:") {
            key = Some(k.trim().to_owned());
        }
    }
    let (url, key) = (url.expect("a url line"), key.expect("a key line"));
    let out = bare()
        .env("SMMKIT_KEY", &key)
        .args(["--url", &url, "services", "--json"])
        .output()
        .unwrap();
    child.kill().unwrap();
    let _ = child.wait();
    let list: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 60);
}

/// A panel on loopback that answers every request with `body` (HTTP 200),
/// for answers the sandbox never gives.
fn fixed_panel(body: &'static str) -> String {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/api/v2", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { return };
            let mut buf = [0u8; 65536];
            let _ = stream.read(&mut buf);
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    url
}

#[test]
fn rough_edges_of_the_command_line() {
    let s = sandbox();
    // Fractional seconds.
    stdout_of(smmkit(&s).args(["--timeout", "1.5", "balance"]));
    // A URL without the API path: the 404 says what is probably wrong.
    let root = s.url().trim_end_matches("/api/v2").to_owned();
    let out = bare()
        .env("SMMKIT_KEY", s.key())
        .args(["--url", &root, "--retries", "0", "balance"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("HTTP 404") && err.contains("no API path"),
        "{err}"
    );
    // A URL without its scheme.
    let bare_host = s.url().trim_start_matches("http://").to_owned();
    let out = bare()
        .env("SMMKIT_KEY", s.key())
        .args(["--url", &bare_host, "balance"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("has no scheme: write it in full, such as https://"),
        "{err}"
    );
    // An unknown type is a typo, named with the types the panel sells.
    let out = smmkit(&s)
        .args(["services", "--type", "Defalt"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("unknown type `Defalt`: this panel sells Custom Comments, Default, Poll"),
        "{err}"
    );
    // Drip-feed shows its runs.
    let dry = stdout_of(smmkit(&s).args([
        "add",
        "--service",
        "1",
        "--link",
        "https://i.g/p",
        "--quantity",
        "500",
        "--runs",
        "3",
        "--interval",
        "20",
        "--dry-run",
    ]));
    assert!(
        dry.contains("default order, 500 × 3 runs every 20 min (1500)"),
        "{dry}"
    );
    assert!(dry.contains("cost:    1.35"), "{dry}");
    // A negative quantity is named as such.
    let out = smmkit(&s)
        .args(["add", "--service", "1", "--link", "x", "--quantity", "-5"])
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("`quantity`: must be at least 1, not -5")
    );
    // --csv wherever --json is, with the JSON's names.
    let csv = stdout_of(smmkit(&s).args(["balance", "--csv"]));
    assert_eq!(csv.lines().next(), Some("amount,currency"));
    let placed = stdout_of(smmkit(&s).args([
        "add",
        "--service",
        "1",
        "--link",
        "https://i.g/csv",
        "--quantity",
        "100",
        "--csv",
    ]));
    assert!(
        placed.starts_with(
            "order,request.dripfeed,request.link,request.quantity,request.service,request.type\n"
        ),
        "{placed}"
    );
    let id = placed
        .lines()
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap()
        .to_owned();
    let out = smmkit(&s)
        .args(["status", &id, "777", "--csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(4), "one of two ids failed");
    let status = String::from_utf8_lossy(&out.stdout);
    assert!(status.starts_with("id,ok.charge,"), "{status}");
    assert!(status.contains("error.code"), "{status}");
    // One id that fails is the command's error: exit 1, one line.
    let out = smmkit(&s).args(["status", "777"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert_eq!(
        err.trim(),
        "error: status: the panel refused (incorrect_order_id): Incorrect order ID"
    );
    // The sandbox's own key has its own flag.
    let out = bare().args(["sandbox", "--key", "x"]).output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("--account-key"), "{err}");
}

#[test]
fn a_balance_without_currency_has_no_trailing_space() {
    let url = fixed_panel(r#"{"balance":"12.50"}"#);
    let out = stdout_of(
        bare()
            .env("SMMKIT_KEY", "k")
            .args(["--url", &url, "balance"]),
    );
    assert_eq!(out, "12.50\n");
}

#[test]
fn malformed_catalog_entries_are_one_warning_each() {
    let url = fixed_panel(
        r#"[{"service":1,"name":"Website Traffic &amp; Bonus","type":"Default","category":"Web","rate":"1","min":1,"max":9},
            {"service":2,"name":"Bad","type":"Default","rate":"1","min":1,"max":""},
            {"service":"3x","name":"Worse","type":"Default","rate":"1","min":1,"max":9}]"#,
    );
    let out = bare()
        .env("SMMKIT_KEY", "k")
        .args(["--url", &url, "services"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    let table = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{err}");
    let warnings: Vec<&str> = err.lines().collect();
    assert_eq!(
        warnings,
        [
            "warning: skipped a malformed catalog entry: services[1] (service 2): `max` is empty",
            "warning: skipped a malformed catalog entry: services[2]: field `service`: expected a whole number ≥ 0, got \"3x\"",
        ]
    );
    assert!(
        table.contains("Website Traffic & Bonus"),
        "readable text: {table}"
    );
    let json = stdout_of(
        bare()
            .env("SMMKIT_KEY", "k")
            .args(["--url", &url, "services", "--json"]),
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v[0]["name"], "Website Traffic & Bonus");
    assert_eq!(
        v[0]["raw"]["name"], "Website Traffic &amp; Bonus",
        "the panel's text is kept"
    );
}

#[test]
fn a_key_that_needs_encoding_never_shows_even_when_echoed() {
    let key = "Zq9/Xv+Kp8=&%w s\"<éx>'Yt7Nw==";
    let s = BackgroundSandbox::start(SandboxConfig {
        dialect: smmkit_sandbox::Dialect {
            echo: true,
            ..Default::default()
        },
        ..SandboxConfig::default()
    })
    .unwrap();
    for transport in ["post", "get"] {
        let out = bare()
            .env("SMMKIT_KEY", key)
            .args([
                "--url",
                s.url(),
                "--transport",
                transport,
                "balance",
                "--json",
            ])
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{err}");
        assert!(
            err.contains("[redacted]"),
            "the panel echoed the key: {err}"
        );
        let encoded: String = url::form_urlencoded::byte_serialize(key.as_bytes()).collect();
        for spelling in [key, encoded.as_str(), "Zq9/Xv+K", "Zq9%2FXv", "Zq9\\/Xv"] {
            assert!(!err.contains(spelling), "{spelling} in {err}");
        }
    }
}

/// The journal's commands: an idempotent add (the second run prints the
/// first's order id and sends nothing; an unknown outcome exits 3 again
/// until resolved), orders, sync, resolve, and what each says without a
/// journal.
#[test]
fn the_journal_sends_an_order_once_and_tracks_it() {
    let s = sandbox();
    let dir = tempfile::tempdir().unwrap();
    let journal = format!("sqlite://{}", dir.path().join("orders.db").display());
    let with_journal = || {
        let mut cmd = smmkit(&s);
        cmd.env("SMMKIT_JOURNAL", &journal);
        cmd
    };
    let add = [
        "add",
        "--service",
        "1",
        "--link",
        "https://instagram.com/p/j1",
        "--quantity",
        "100",
    ];
    let first = stdout_of(with_journal().args(add).args([
        "--idempotency-key",
        "inv-1",
        "--reference",
        "invoice 1",
    ]));
    assert!(
        first.contains("placed") && first.contains("journaled as inv-1"),
        "{first}"
    );
    let id = s.orders()[0].id.to_string();
    let second = stdout_of(
        with_journal()
            .args(add)
            .args(["--idempotency-key", "inv-1"]),
    );
    assert!(
        second.contains(&format!(
            "order {id} was placed earlier under key inv-1: nothing was sent"
        )),
        "{second}"
    );
    assert_eq!(s.orders().len(), 1);
    // The same key for another order: exit 2, nothing sent.
    with_journal()
        .args([
            "add",
            "--service",
            "1",
            "--link",
            "https://instagram.com/p/other",
            "--quantity",
            "100",
        ])
        .args(["--idempotency-key", "inv-1"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "already used for a different order",
        ));
    assert_eq!(s.orders().len(), 1);

    // orders: table, JSON, filters; no key or panel needed to read.
    let table = stdout_of(bare().args(["--journal", &journal, "orders"]));
    assert!(
        table.contains("inv-1") && table.contains("placed") && table.contains("invoice 1"),
        "{table}"
    );
    let json: serde_json::Value = serde_json::from_str(&stdout_of(bare().args([
        "--journal",
        &journal,
        "orders",
        "--json",
    ])))
    .unwrap();
    assert_eq!(json[0]["key"], "inv-1");
    assert_eq!(json[0]["order"].to_string(), id);
    let quote: smmkit::Decimal = json[0]["quote"]["amount"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(quote, smmkit::Decimal::new(9, 2), "0.90 per 1000 × 100");
    let none = stdout_of(bare().args(["--journal", &journal, "orders", "--unknown", "--csv"]));
    assert_eq!(none.lines().count(), 1, "only the header: {none}");

    // sync prints the changes, then nothing new; --json gives the report.
    let synced = stdout_of(with_journal().args(["sync"]));
    assert!(
        synced.contains(&format!("order {id}: →"))
            && synced.contains("round 1: polled 1 orders, 1 changed"),
        "{synced}"
    );
    let report: serde_json::Value =
        serde_json::from_str(stdout_of(with_journal().args(["sync", "--json"])).trim()).unwrap();
    // It polls the order again only if the first sync left it open.
    let open = u64::from(synced.contains("1 still open"));
    assert_eq!(report["polled"], open, "{synced}");
    assert!(report["changes"].is_array() && report["unattached"].is_array());
    let watched = stdout_of(
        with_journal()
            .args(["sync", "--watch", "--interval", "0.1"])
            .timeout(Duration::from_secs(60)),
    );
    assert!(watched.contains("0 still open"), "{watched}");

    // An unknown outcome: exit 3, and 3 again without sending, until
    // resolved; then the key returns the order it was resolved as.
    s.set_faults(smmkit_sandbox::Faults {
        server_error: 1.0,
        after_action: 1.0,
        ..smmkit_sandbox::Faults::none()
    });
    let add2 = [
        "add",
        "--service",
        "1",
        "--link",
        "https://instagram.com/p/j2",
        "--quantity",
        "100",
        "--idempotency-key",
        "inv-2",
    ];
    with_journal()
        .args(add2)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("may or may not have been placed"));
    s.set_faults(smmkit_sandbox::Faults::none());
    assert_eq!(s.orders().len(), 2);
    with_journal()
        .args(add2)
        .assert()
        .code(3)
        .stderr(predicate::str::contains("nothing was sent again"));
    assert_eq!(s.orders().len(), 2);
    let unknown = stdout_of(bare().args(["--journal", &journal, "orders", "--unknown"]));
    assert!(
        unknown.contains("inv-2") && unknown.contains("smmkit resolve"),
        "{unknown}"
    );
    let id2 = s.orders()[1].id.to_string();
    let resolved =
        stdout_of(bare().args(["--journal", &journal, "resolve", "inv-2", "--placed", &id2]));
    assert!(
        resolved.contains(&format!("placed as order {id2}")),
        "{resolved}"
    );
    let third = stdout_of(with_journal().args(add2));
    assert!(
        third.contains(&format!("order {id2} was placed earlier")),
        "{third}"
    );
    assert_eq!(s.orders().len(), 2);
    bare()
        .args(["--journal", &journal, "resolve", "inv-2", "--not-placed"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is placed, not unknown"));

    // Without a journal, each says what it needs.
    for args in [
        &["orders"][..],
        &["resolve", "k", "--not-placed"],
        &["sync"],
    ] {
        smmkit(&s)
            .args(args)
            .assert()
            .code(2)
            .stderr(predicate::str::contains("needs an order journal"));
    }
    smmkit(&s)
        .args(add)
        .args(["--idempotency-key", "k"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--idempotency-key"));
    // A file that is no journal: one clear line, exit 1.
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "not a database\n".repeat(100)).unwrap();
    bare()
        .args(["--journal", &notes.display().to_string(), "orders"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("is not an SQLite database"));
}

/// A profile's journal journals that profile's orders under its name, and
/// one sync covers every profile that shares the journal.
#[test]
fn profiles_share_a_journal_and_one_sync_covers_them() {
    let a = sandbox();
    let b = sandbox();
    let dir = tempfile::tempdir().unwrap();
    let journal = format!("sqlite://{}", dir.path().join("shared.db").display());
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "default = \"main\"\n\
             [profiles.main]\nurl = \"{}\"\nkey_env = \"A_KEY\"\njournal = \"{journal}\"\n\
             [profiles.backup]\nurl = \"{}\"\nkey_env = \"B_KEY\"\njournal = \"{journal}\"\n",
            a.url(),
            b.url()
        ),
    )
    .unwrap();
    let run = |profile: &str| {
        let mut cmd = bare();
        cmd.env("A_KEY", a.key()).env("B_KEY", b.key()).args([
            "--config",
            &config.display().to_string(),
            "--profile",
            profile,
        ]);
        cmd
    };
    let add = [
        "add",
        "--service",
        "3",
        "--link",
        "https://t.me/p",
        "--quantity",
        "100",
    ];
    stdout_of(run("main").args(add));
    stdout_of(run("backup").args(add));
    let list = stdout_of(run("main").args(["orders"]));
    assert!(list.contains("main") && list.contains("backup"), "{list}");
    let synced = stdout_of(run("main").args(["sync"]));
    assert!(synced.contains("polled 2 orders"), "{synced}");
    assert_eq!(a.orders()[0].polls + b.orders()[0].polls, 2);
}

/// A sandbox selling the same offering at `rate`, with `balance`.
fn shop(service: u64, rate: &str, balance: &str) -> BackgroundSandbox {
    let catalog = Catalog::from_json(&format!(
        r#"[{{"service":{service},"name":"Instagram Likes","type":"Default","category":"Instagram","rate":"{rate}","min":10,"max":100000}}]"#
    ))
    .unwrap();
    BackgroundSandbox::start(SandboxConfig {
        catalog: Some(catalog),
        balance: balance.parse().unwrap(),
        ..SandboxConfig::default()
    })
    .expect("sandbox")
}

/// Several panels from the config file's profiles: compare, a routed add
/// (cheapest with funds; each skipped panel said), dry run, prices and
/// their check.
#[test]
fn several_panels_compare_route_and_price() {
    let main = shop(1203, "0.50", "1000");
    let budget = shop(77, "0.40", "0.10");
    let backup = shop(405, "0.60", "1000");
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config.toml");
    let mut text = String::new();
    for (name, s) in [("main", &main), ("budget", &budget), ("backup", &backup)] {
        text.push_str(&format!(
            "[profiles.{name}]\nurl = \"{}\"\nkey_env = \"{}_KEY\"\n",
            s.url(),
            name.to_uppercase()
        ));
    }
    text.push_str("[routes.ig-likes]\nstrategy = \"cheapest\"\nservices = [\"main:1203\", \"budget:77\", \"backup:405\"]\n");
    std::fs::write(&config, text).unwrap();
    let run = || {
        let mut cmd = bare();
        cmd.env("MAIN_KEY", main.key())
            .env("BUDGET_KEY", budget.key())
            .env("BACKUP_KEY", backup.key())
            .args(["--config", &config.display().to_string()]);
        cmd
    };
    let compared = stdout_of(run().args(["compare", "instagram likes"]));
    for panel in ["main", "budget", "backup"] {
        assert!(compared.contains(panel), "{compared}");
    }
    assert!(
        compared.contains("services = [\"budget:77\", \"main:1203\", \"backup:405\"]"),
        "{compared}"
    );
    let csv = stdout_of(run().args(["compare", "likes", "--csv", "--profiles", "main,backup"]));
    assert_eq!(csv.lines().count(), 3, "a header and two panels: {csv}");

    let add = [
        "add",
        "--route",
        "ig-likes",
        "--link",
        "https://instagram.com/p/r1",
        "--quantity",
        "1000",
    ];
    let plan = stdout_of(run().args(add).arg("--dry-run"));
    assert!(
        plan.contains("budget:77  skipped: not enough funds"),
        "{plan}"
    );
    assert!(
        plan.contains("main:1203  cost 0.50  ← the order would go here"),
        "{plan}"
    );
    assert_eq!(
        main.orders().len() + budget.orders().len() + backup.orders().len(),
        0
    );
    let placed = stdout_of(run().args(add));
    assert!(placed.contains("placed at main (service 1203)"), "{placed}");
    assert!(
        placed.contains("not at budget:77: not enough funds"),
        "{placed}"
    );
    assert_eq!(
        (
            main.orders().len(),
            budget.orders().len(),
            backup.orders().len()
        ),
        (1, 0, 0)
    );
    let json: serde_json::Value = serde_json::from_str(&stdout_of(run().args([
        "add",
        "--route",
        "ig-likes",
        "--link",
        "https://instagram.com/p/r2",
        "--quantity",
        "1000",
        "--json",
    ])))
    .unwrap();
    assert_eq!(json["panel"], "main");
    run()
        .args(["add", "--route", "nope", "--link", "x", "--quantity", "10"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "no route named `nope` (routes: ig-likes)",
        ));
    // Every panel lacking funds: each reason, exit 1, nothing placed.
    run()
        .args([
            "add",
            "--route",
            "ig-likes",
            "--link",
            "https://instagram.com/p/big",
            "--quantity",
            "100000000",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "route `ig-likes`: no panel placed the order",
        ));

    let prices = stdout_of(run().args(["prices", "--markup", "30%", "--round", "2"]));
    assert!(
        prices.contains("ig-likes") && prices.contains("0.40") && prices.contains("0.52"),
        "{prices}"
    );
    let saved = dir.path().join("prices.json");
    let json = stdout_of(run().args(["prices", "--markup", "30%", "--json"]));
    std::fs::write(&saved, &json).unwrap();
    stdout_of(run().args(["prices", "--check", &saved.display().to_string()]));
    // A saved sale price below today's cost warns, exit 4.
    let lowered = json.replace("\"0.52\"", "\"0.30\"");
    assert_ne!(lowered, json);
    std::fs::write(&saved, lowered).unwrap();
    run()
        .args(["prices", "--check", &saved.display().to_string()])
        .assert()
        .code(4)
        .stdout(predicate::str::contains(
            "budget now charges 0.40 for service 77, above the sale price 0.30",
        ));
    run()
        .args(["prices", "--rule", "nonsense"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("category:TEXT=MARKUP"));
}

#[test]
fn the_fleet_demo_routes_fails_over_only_when_safe_and_prices() {
    let out = stdout_of(
        bare()
            .args(["demo", "--fleet"])
            .timeout(Duration::from_secs(60)),
    );
    for step in [
        "1. compare",
        "suggested match",
        "order 10001 placed at budget",
        "not at budget:77: not enough funds",
        "shop-order-1 again: nothing was sent",
        "orders for it on the other panels: 0",
        "ig-likes: cost 0.40 at budget → sale 0.52",
    ] {
        assert!(out.contains(step), "missing `{step}` in:\n{out}");
    }
}

/// `smmkit` with `args`, sent SIGINT `after` the start: its exit status,
/// standard output and standard error.
#[cfg(unix)]
fn interrupted(
    s: &BackgroundSandbox,
    args: &[&str],
    after: Duration,
) -> (std::process::ExitStatus, String, String) {
    let child = std::process::Command::new(assert_cmd::cargo::cargo_bin("smmkit"))
        .env_clear()
        .env("SMMKIT_KEY", s.key())
        .args(["--url", s.url()])
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(after);
    // The shell's own `kill`: a machine may have no `kill` program.
    let sent = std::process::Command::new("sh")
        .args(["-c", &format!("kill -INT {}", child.id())])
        .status()
        .unwrap();
    assert!(sent.success());
    let out = child.wait_with_output().unwrap();
    (
        out.status,
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
#[cfg(unix)]
fn ctrl_c_never_cuts_an_order_halfway() {
    let s = sandbox();
    // Seed 1 delays the first request by about two seconds, before the
    // panel acts on it: Ctrl-C comes while the add waits.
    s.set_faults(smmkit_sandbox::Faults {
        seed: 1,
        latency: Duration::from_secs(3),
        ..smmkit_sandbox::Faults::none()
    });
    let (status, stdout, stderr) = interrupted(
        &s,
        &[
            "add",
            "--service",
            "1",
            "--link",
            "https://instagram.com/p/c",
            "--quantity",
            "100",
        ],
        Duration::from_millis(700),
    );
    // Before, Ctrl-C killed the process and the request with it: no order,
    // and nothing said whether one was placed.
    assert_eq!(status.code(), Some(0), "{status:?} {stderr}");
    assert!(
        stderr.contains("waiting for the panel's answer"),
        "{stderr}"
    );
    let orders = s.orders();
    assert_eq!(orders.len(), 1);
    assert!(stdout.contains(&orders[0].id.to_string()), "{stdout}");
}
