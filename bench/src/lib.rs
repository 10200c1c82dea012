//! Shared pieces of smmkit's benchmarks.

use std::future::Future;
use std::time::{Duration, Instant};

/// The bytes of a sandbox catalog of `n` services, numbers as strings (the
/// dialect most panels speak), as the decode benchmarks read them.
pub fn catalog_json(n: usize) -> Vec<u8> {
    let catalog = smmkit_sandbox::Catalog::generate(1, n);
    smmkit_sandbox::services_json(&catalog, smmkit_sandbox::Dialect::default()).into_bytes()
}

/// The answer to `action=status&orders=...` for `n` orders, with their ids,
/// written as the sandbox writes it (numbers as strings, the states mixed).
pub fn statuses_json(n: u64) -> (Vec<u8>, Vec<u64>) {
    use std::fmt::Write as _;
    const WORDS: [&str; 5] = ["Pending", "In progress", "Completed", "Partial", "Canceled"];
    let ids: Vec<u64> = (0..n).map(|i| 280_000_000 + i * 37).collect();
    let mut body = String::from("{");
    for (i, id) in (0u64..).zip(&ids) {
        if i > 0 {
            body.push(',');
        }
        let word = WORDS[usize::try_from(i).unwrap_or(0) % WORDS.len()];
        // Writing into a String cannot fail.
        let _ = write!(
            body,
            r#""{id}":{{"charge":"0.{:04}","start_count":"{}","status":"{word}","remains":"{}","currency":"USD"}}"#,
            1 + i * 7 % 9_000,
            i * 131,
            i % 500,
        );
    }
    body.push('}');
    (body.into_bytes(), ids)
}

/// The median of some times (zero for none).
pub fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times.get(times.len() / 2).copied().unwrap_or_default()
}

/// The median time of `runs` calls of `call`, after one call that is not
/// timed; `check` is given what each timed call returned, once its time is
/// taken.
pub async fn median_time<T, F: Future<Output = T>>(
    runs: usize,
    mut call: impl FnMut() -> F,
    check: impl Fn(T),
) -> Duration {
    let _ = call().await;
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let started = Instant::now();
        let returned = call().await;
        times.push(started.elapsed());
        check(returned);
    }
    median(times)
}

/// Prints one benchmark record, a JSON line as `report.py` reads them.
#[allow(
    clippy::print_stdout,
    reason = "the benchmarks' records go to standard output"
)]
pub fn print_record(
    (suite, case, name): (&str, &str, &str),
    baseline: bool,
    median: Duration,
    runs: usize,
    extra: serde_json::Value,
) {
    let record = serde_json::json!({
        "suite": suite,
        "case": case,
        "impl": name,
        "baseline": baseline,
        "median_ms": median.as_secs_f64() * 1000.0,
        "runs": runs,
        "extra": extra,
    });
    println!("{record}");
}
