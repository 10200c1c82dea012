//! Large catalogs are decoded on several threads: the result, and any
//! error, must be exactly what decoding on one thread gives.

#![allow(clippy::expect_used, clippy::unwrap_used)]

use smmkit_provider_core::wire::{decode_services, decode_services_in_place};

fn catalog(n: usize, bad: Option<usize>) -> String {
    let items: Vec<String> = (0..n)
        .map(|i| {
            let rate = if Some(i) == bad { "\"1,50\"".to_owned() } else { format!("\"{}.{:02}\"", i % 97, i % 100) };
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
    let body = catalog(8000, None);
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
fn threads_report_errors_as_one_thread_does() {
    let body = catalog(8000, Some(6000));
    let e = decode_services(body.as_bytes()).unwrap_err();
    assert!(
        e.to_string()
            .contains("services[6000] (service 6000): field `rate`"),
        "{e}"
    );
    let clean = catalog(8000, None);
    let cut = &clean[..clean.len() - 3000];
    let e = decode_services(cut.as_bytes()).unwrap_err();
    assert!(
        e.to_string().contains("the body ends before the JSON does"),
        "{e}"
    );
    let trailing = format!("{}<!-- cache -->", catalog(8000, None));
    assert!(
        decode_services(trailing.as_bytes())
            .unwrap_err()
            .to_string()
            .contains("trailing characters")
    );
}

#[test]
fn in_place_decoding_gives_the_same_and_puts_the_body_back() {
    for bad in [None, Some(4321)] {
        let body = catalog(8000, bad).into_bytes();
        let mut scratch = body.clone();
        let in_place = decode_services_in_place(&mut scratch);
        assert_eq!(scratch, body, "every byte put back");
        match (in_place, decode_services(&body)) {
            (Ok(a), Ok(b)) => {
                assert!(bad.is_none());
                assert_eq!(a, b);
            }
            (Err(a), Err(b)) => {
                assert!(bad.is_some());
                assert_eq!(a.to_string(), b.to_string());
                assert!(a.to_string().contains("services[4321]"), "{a}");
            }
            (a, b) => panic!("in place {a:?} but copied {b:?}"),
        }
    }
}

#[test]
fn in_place_decoding_of_no_list_says_what_came_instead() {
    let page = format!("<html><body>{}</body></html>", "x".repeat(600 * 1024));
    for body in [
        &b""[..],
        b"   ",
        page.as_bytes(),
        br#"{"error":"Invalid API key"}"#,
    ] {
        let expected = decode_services(body).unwrap_err().to_string();
        let got = decode_services_in_place(&mut body.to_vec())
            .unwrap_err()
            .to_string();
        assert_eq!(got, expected);
    }
    let page_error = decode_services_in_place(&mut page.into_bytes())
        .unwrap_err()
        .to_string();
    assert!(page_error.contains("got an HTML page"), "{page_error}");
}
