//! Shared pieces of smmkit's benchmarks.

use std::future::Future;
use std::time::{Duration, Instant};

/// The bytes of a sandbox catalog of `n` services, numbers as strings (the
/// dialect most panels speak), as the decode benchmarks read them.
pub fn catalog_json(n: usize) -> Vec<u8> {
    let catalog = smmkit_sandbox::Catalog::generate(1, n);
    smmkit_sandbox::services_json(&catalog, smmkit_sandbox::Dialect::default()).into_bytes()
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
