//! The API key never appears in any error's `Display` or `Debug`, nor in a
//! client's `Debug`, on every failure path, with both transports: GET puts
//! the key in the URL, and panels echo what they were sent — raw,
//! percent-encoded, JSON-escaped (PHP's `\/` and `\u00e9` too) or
//! HTML-escaped, and cut off at the end of an excerpt.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

mod support;

use std::time::Duration;

use smmkit::{
    Fampage, OrderId, OrderRequest, PerfectPanel, RefillId, RetryPolicy, SmmProvider, Transport,
};
use support::{MockPanel, Recorded, Reply, dead_url};

/// A plain key, and one with every character that changes when a panel
/// encodes it: `/ + = & %`, a space, a quote, `<`, `'` and non-ASCII.
const KEYS: [&str; 2] = [
    "sentinel-fake-key-do-not-leak",
    "Zq9/Xv+Kp8=&%w s\"<éx>'Yt7Nw==",
];

fn client(url: &str, key: &str, transport: Transport) -> PerfectPanel {
    PerfectPanel::builder(url, key)
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

/// Every spelling of `key` a panel may echo.
fn spellings(key: &str) -> Vec<String> {
    let form: String = url::form_urlencoded::byte_serialize(key.as_bytes()).collect();
    let json = serde_json::to_string(key).unwrap();
    let php: String = key
        .chars()
        .map(|c| match c {
            '/' => "\\/".to_owned(),
            '"' => "\\\"".to_owned(),
            c if !c.is_ascii() => format!("\\u{:04x}", u32::from(c)),
            c => c.to_string(),
        })
        .collect();
    vec![
        key.to_owned(),
        form.clone(),
        form.replace('+', "%20"),
        json[1..json.len() - 1].to_owned(),
        php,
        html_escape(key),
    ]
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#039;")
}

/// Fails if any text holds a piece of 8 characters of any spelling of the key.
fn assert_clean(what: &str, key: &str, texts: &[String]) {
    for spelling in spellings(key) {
        let chars: Vec<char> = spelling.chars().collect();
        for piece in chars.windows(8.min(chars.len())) {
            let piece: String = piece.iter().collect();
            for t in texts {
                assert!(
                    !t.contains(&piece),
                    "{what}: a piece of the key ({piece:?}) leaked in: {t}"
                );
            }
        }
    }
}

/// Every text a caller could print of an error.
fn texts(e: &smmkit::Error) -> [String; 3] {
    [
        e.to_string(),
        format!("{e:?}"),
        serde_json::to_string(e).expect("serializable"),
    ]
}

/// Runs every method against `url`, all at once, and returns every text
/// of every error.
async fn every_error_text(url: &str, key: &str, transport: Transport) -> Vec<String> {
    let p = client(url, key, transport);
    let order = OrderRequest::link_quantity(1u64, "https://t.me/channel", 100);
    let (
        services,
        add,
        status,
        statuses,
        refill,
        refills,
        refill_status,
        refill_statuses,
        cancel,
        balance,
    ) = tokio::join!(
        p.services(),
        p.add(&order),
        p.status(OrderId(1)),
        p.statuses(&[OrderId(1), OrderId(2)]),
        p.refill(OrderId(1)),
        p.refills(&[OrderId(1), OrderId(2)]),
        p.refill_status(RefillId(1)),
        p.refill_statuses(&[RefillId(1), RefillId(2)]),
        p.cancel(&[OrderId(1)]),
        p.balance(),
    );
    let mut errors = Vec::new();
    errors.extend(services.err());
    errors.extend(add.err());
    errors.extend(status.err());
    errors.extend(statuses.into_iter().filter_map(|(_, r)| r.err()));
    errors.extend(refill.err());
    errors.extend(refills.into_iter().filter_map(|(_, r)| r.err()));
    errors.extend(refill_status.err());
    errors.extend(refill_statuses.into_iter().filter_map(|(_, r)| r.err()));
    errors.extend(cancel.into_iter().filter_map(|(_, r)| r.err()));
    errors.extend(balance.err());
    assert!(!errors.is_empty(), "the path under test produced errors");
    let mut out = vec![format!("{p:?}")];
    for e in &errors {
        out.extend(texts(e));
    }
    out
}

/// What a panel echoes of a request: the target and body as received
/// (percent-encoded) and the key decoded.
fn echo(r: &Recorded) -> String {
    format!(
        "{} {} key={}",
        r.target,
        r.body,
        r.param("key").unwrap_or_default()
    )
}

/// PHP's `json_encode`: `/` as `\/`, non-ASCII as `\uXXXX`.
fn php_json(value: &serde_json::Value) -> String {
    serde_json::to_string(value)
        .unwrap()
        .chars()
        .map(|c| match c {
            '/' => "\\/".to_owned(),
            c if !c.is_ascii() => c
                .encode_utf16(&mut [0; 2])
                .iter()
                .map(|u| format!("\\u{u:04x}"))
                .collect(),
            c => c.to_string(),
        })
        .collect()
}

/// Panels that echo the key back, in every way, and panels that fail.
async fn panels() -> Vec<(&'static str, MockPanel, bool)> {
    vec![
        ("api error echoing the key", MockPanel::start(|r, _| {
            Reply::ok(serde_json::json!({ "error": format!("Invalid API key {}", echo(r)) }).to_string())
        }).await, true),
        ("api error echoing the key in PHP's JSON", MockPanel::start(|r, _| {
            Reply::ok(php_json(&serde_json::json!({ "error": format!("Invalid API key {}", echo(r)) })))
        }).await, true),
        ("nested error echoing the key", MockPanel::start(|r, _| {
            Reply::ok(serde_json::json!({ "error": { "message": echo(r) } }).to_string())
        }).await, true),
        ("html page echoing the key", MockPanel::start(|r, _| Reply::Html(200, format!("<html>{}</html>", echo(r)))).await, true),
        ("html-escaped page echoing the key", MockPanel::start(|r, _| Reply::Html(200, format!("<p>{}</p>", html_escape(&echo(r))))).await, true),
        ("5xx echoing the key", MockPanel::start(|r, _| Reply::Html(502, format!("<html>{}</html>", echo(r)))).await, true),
        ("5xx error body echoing the key", MockPanel::start(|r, _| {
            Reply::Json(503, serde_json::json!({ "error": echo(r) }).to_string())
        }).await, true),
        ("4xx echoing the key", MockPanel::start(|r, _| Reply::Json(403, echo(r))).await, true),
        ("429 echoing the key", MockPanel::start(|r, _| Reply::Json(429, serde_json::json!({ "message": echo(r) }).to_string())).await, true),
        ("wrong shape echoing the key", MockPanel::start(|r, _| {
            Reply::ok(serde_json::json!({ "balance": echo(r), "order": echo(r), "status": {"x": echo(r)}, "refill": [echo(r)] }).to_string())
        }).await, true),
        ("multi answers echoing the key", MockPanel::start(|r, _| {
            Reply::ok(serde_json::json!({ "1": echo(r), "2": { "error": echo(r) } }).to_string())
        }).await, true),
        ("redirect to a URL with the key", MockPanel::start(|r, _| Reply::With {
            status: 302,
            headers: vec![("Location".into(), format!("http://elsewhere.invalid{}", r.target))],
            body: echo(r).into_bytes(),
        }).await, true),
        ("dropped connection", MockPanel::always(Reply::Drop).await, false),
        ("stalled headers", MockPanel::always(Reply::Stall(Duration::from_secs(5), Box::new(Reply::ok("{}")))).await, false),
        ("stalled body", MockPanel::always(Reply::StallBody { status: 200, declared: 500, sent: "{\"a\":".into(), stall: Duration::from_secs(5) }).await, false),
        ("cut body", MockPanel::always(Reply::Cut { declared: 500, sent: "{\"a\":".into() }).await, false),
        ("endless body", MockPanel::always(Reply::Endless).await, false),
    ]
}

#[tokio::test]
async fn no_failure_path_shows_a_plain_key() {
    no_failure_path_shows(KEYS[0]).await;
}

#[tokio::test]
async fn no_failure_path_shows_a_key_that_needs_encoding_in_any_spelling() {
    no_failure_path_shows(KEYS[1]).await;
}

async fn no_failure_path_shows(key: &str) {
    {
        let panels = panels().await;
        for transport in [Transport::PostForm, Transport::GetQuery] {
            for (what, mock, echoes) in &panels {
                let before = mock.count();
                let texts = every_error_text(&mock.url(), key, transport).await;
                assert_clean(&format!("{what} ({transport:?}, key {key:?})"), key, &texts);
                // The panel really received (and so echoed) the key.
                let requests = mock.requests();
                assert!(
                    requests.len() > before,
                    "{what}: no request reached the panel"
                );
                assert!(
                    requests[before..]
                        .iter()
                        .all(|r| r.param("key").as_deref() == Some(key)),
                    "{what}: the panel did not receive the key as it is"
                );
                if *echoes {
                    let spelled = spellings(key);
                    let echoed = requests[before..]
                        .iter()
                        .any(|r| spelled.iter().any(|s| echo(r).contains(s.as_str())));
                    assert!(echoed, "{what}: the panel's echo holds the key");
                }
            }
            let texts = every_error_text(&dead_url().await, key, transport).await;
            assert_clean(&format!("unreachable panel ({transport:?})"), key, &texts);
        }
    }
}

#[tokio::test]
async fn a_key_echoed_across_the_cut_of_an_excerpt_leaves_no_piece() {
    // The key at every offset around the 120 characters an excerpt shows,
    // raw, percent-encoded and HTML-escaped, in a 5xx page and in a body
    // that does not decode.
    let key = KEYS[1];
    for offset in 90..=125 {
        for encode in [0, 1, 2] {
            let page = move |r: &Recorded| {
                let k = r.param("key").unwrap_or_default();
                let shown = match encode {
                    0 => k,
                    1 => url::form_urlencoded::byte_serialize(k.as_bytes()).collect(),
                    _ => html_escape(&k),
                };
                format!("{}{shown} and more text after the key", "x".repeat(offset))
            };
            let mock = MockPanel::start(move |r, n| {
                if n % 2 == 0 {
                    Reply::Html(500, page(r))
                } else {
                    Reply::ok(format!(
                        "{{\"balance\": {}}}",
                        serde_json::to_string(&page(r)).unwrap()
                    ))
                }
            })
            .await;
            for transport in [Transport::PostForm, Transport::GetQuery] {
                let p = client(&mock.url(), key, transport);
                let e1 = p.status(OrderId(1)).await.expect_err("a 5xx");
                let e2 = p.balance().await.expect_err("undecodable");
                let mut all = texts(&e1).to_vec();
                all.extend(texts(&e2));
                assert_clean(&format!("offset {offset}, encoding {encode}"), key, &all);
            }
        }
    }
}

#[tokio::test]
async fn clients_builders_and_config_errors_do_not_show_the_key() {
    for key in KEYS {
        let builder = PerfectPanel::builder("https://panel.example/api/v2", key);
        assert_clean("builder", key, &[format!("{builder:?}")]);
        let fampage = Fampage::builder(key);
        assert_clean("fampage builder", key, &[format!("{fampage:?}")]);
        let fampage = fampage.build().expect("config");
        assert_clean("fampage", key, &[format!("{fampage:?}")]);
        let encoded: String = url::form_urlencoded::byte_serialize(key.as_bytes()).collect();
        let e = PerfectPanel::builder(format!("https://panel.example/api/v2?key={encoded}"), key)
            .build()
            .expect_err("key in URL");
        assert_clean("config error", key, &texts(&e));
        let e = PerfectPanel::builder(
            format!("https://{encoded}:{encoded}@panel.example/api/v2"),
            key,
        )
        .build()
        .expect_err("credentials in URL");
        assert_clean("config error", key, &texts(&e));
    }
}

#[test]
fn the_leak_check_itself_finds_every_spelling() {
    // Guards against a check that passes because it looks for nothing.
    let key = KEYS[1];
    for spelling in spellings(key) {
        let leaked = std::panic::catch_unwind(|| {
            assert_clean("probe", key, &[format!("an error: {spelling} …")]);
        });
        assert!(leaked.is_err(), "the check misses {spelling:?}");
        let prefix: String = spelling.chars().take(8).collect();
        let leaked = std::panic::catch_unwind(|| {
            assert_clean("probe", key, &[format!("cut: {prefix}…")]);
        });
        assert!(leaked.is_err(), "the check misses the piece {prefix:?}");
    }
    assert_eq!(spellings(key).len(), 6);
}
