//! Large catalogs are decoded on several threads: the result, and any
//! error, must be exactly what decoding on one thread gives.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use smmkit_provider_core::ServiceList;
use smmkit_provider_core::wire::{decode_services, decode_services_into};

fn catalog(n: usize, bad: &[usize]) -> String {
    let items: Vec<String> = (0..n)
        .map(|i| {
            let rate = if bad.contains(&i) { "\"1,50\"".to_owned() } else { format!("\"{}.{:02}\"", i % 97, i % 100) };
            format!(
                r#"{{"service":"{i}","name":"Service {i} \u0416 }},{{\"","type":"{}","category":"Cat {}","rate":{rate},"min":"10","max":"{}","refill":{},"cancel":"1","average_time":"{} minutes"}}"#,
                ["Default", "Custom Comments", "Poll", "Premium Boost"][i % 4],
                i % 13,
                1000 + i,
                i % 2 == 0,
                i % 60
            )
        })
        .collect();
    format!("[{}]", items.join(","))
}

#[test]
fn threads_give_the_same_catalog() {
    let body = catalog(8000, &[]);
    assert!(
        body.len() > 1024 * 1024,
        "large enough to be decoded in parallel"
    );
    let parallel = decode_services(body.as_bytes()).unwrap();
    // The same list wrapped in an object is always decoded on one thread.
    let wrapped = format!("{{\"services\":{body}}}");
    let sequential = decode_services(wrapped.as_bytes()).unwrap();
    assert_eq!(parallel.len(), 8000);
    assert_eq!(parallel, sequential);
    assert_eq!(parallel[7999].id.get(), 7999);
    assert!(
        parallel[5].name.ends_with(r#"},{""#),
        "the cut pattern inside strings is harmless"
    );
}

#[test]
fn threads_set_aside_the_entries_one_thread_does() {
    for bad in [&[6000][..], &[0, 1, 2500, 4000, 4001, 7999]] {
        let body = catalog(8000, bad);
        let parallel = decode_services(body.as_bytes()).unwrap();
        let wrapped = format!("{{\"data\":{body}}}");
        let sequential = decode_services(wrapped.as_bytes()).unwrap();
        assert_eq!(parallel, sequential);
        assert_eq!(parallel.len(), 8000 - bad.len());
        let indexes: Vec<usize> = parallel.skipped.iter().map(|s| s.index).collect();
        assert_eq!(indexes, bad);
        let first = parallel.skipped[0].to_string();
        assert_eq!(
            first,
            format!(
                "services[{0}] (service {0}): field `rate`: expected a decimal number, got \"1,50\"",
                bad[0]
            )
        );
    }
}

#[test]
fn threads_report_broken_json_as_one_thread_does() {
    let clean = catalog(8000, &[]);
    let cut = &clean[..clean.len() - 3000];
    let e = decode_services(cut.as_bytes()).unwrap_err();
    assert!(
        e.to_string().contains("the body ends before the JSON does"),
        "{e}"
    );
    let trailing = format!("{}<!-- cache -->", catalog(8000, &[]));
    assert!(
        decode_services(trailing.as_bytes())
            .unwrap_err()
            .to_string()
            .contains("trailing characters")
    );
}

#[test]
fn sinks_get_the_services_one_thread_reads() {
    for bad in [&[][..], &[4321]] {
        let body = catalog(8000, bad);
        let sunk = decode_services_into(body.as_bytes(), Vec::new).unwrap();
        if std::thread::available_parallelism().map_or(1, |n| n.get()) > 1 {
            assert!(sunk.parts.len() > 1, "decoded in parts");
        }
        let wrapped = format!("{{\"services\":{body}}}");
        let sequential = decode_services(wrapped.as_bytes()).unwrap();
        assert_eq!(ServiceList::from(sunk), sequential);
        assert_eq!(sequential.skipped.len(), bad.len());
    }
}

#[test]
fn a_broken_catalog_is_reported_where_serde_json_finds_it() {
    let broken = catalog(8000, &[]).replacen(r#""service":"4321""#, r#""service":4321x"#, 1);
    let found = serde_json::from_str::<serde_json::Value>(&broken).unwrap_err();
    let e = decode_services(broken.as_bytes()).unwrap_err().to_string();
    assert!(e.contains(&format!("column {}", found.column())), "{e}");
}

#[test]
fn no_list_says_what_came_instead() {
    let page = format!("<html><body>{}</body></html>", "x".repeat(600 * 1024));
    let error = |body: &[u8]| {
        decode_services_into(body, Vec::new)
            .unwrap_err()
            .to_string()
    };
    assert!(error(page.as_bytes()).contains("got an HTML page"));
    let refusal = decode_services_into(br#"{"error":"Invalid API key"}"#, Vec::new).unwrap_err();
    assert_eq!(refusal.code(), "invalid_key");
    for body in [&b""[..], b"   "] {
        assert!(error(body).contains("empty"), "{}", error(body));
    }
}
