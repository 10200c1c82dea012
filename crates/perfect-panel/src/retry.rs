//! The one retry loop: reads retried on transient failures, and every
//! request retried when its connection could not even be opened.

use std::future::Future;
use std::time::Instant;

use smmkit_provider_core::{Action, Error, Result};

use crate::config::RetryPolicy;

/// Whether a request that failed this way reached nothing: its connection
/// was never opened, so sending it again cannot do anything twice.
pub(crate) fn nothing_sent(e: &Error) -> bool {
    matches!(e, Error::Transport { not_sent: true, .. })
}

/// Whether a request of `action` that failed with `e` may be sent again:
/// any request that was never sent, and reads that failed transiently.
pub(crate) fn may_retry(action: Action, e: &Error) -> bool {
    nothing_sent(e) || (action.is_read() && e.is_transient())
}

/// Runs `attempt` until it succeeds, its failure may not be retried, or
/// the policy's bounds are reached. A panel that asks (`Retry-After`) to
/// wait longer than the policy allows gets no retry: its error, which
/// says how long it asked for, is returned at once.
pub(crate) async fn retrying<T, F, Fut>(
    policy: &RetryPolicy,
    action: Action,
    mut attempt: F,
) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T>>,
{
    let started = Instant::now();
    let mut retries = 0;
    loop {
        let error = match attempt().await {
            Ok(value) => return Ok(value),
            Err(e) => e,
        };
        if !may_retry(action, &error) || retries >= policy.max_retries {
            return Err(error);
        }
        let delay = match error.retry_after() {
            Some(asked) if asked > policy.max_delay => return Err(error),
            Some(asked) => asked,
            None => policy.backoff(retries),
        };
        if started.elapsed() + delay > policy.max_elapsed {
            return Err(error);
        }
        tracing::warn!(
            action = action.as_str(),
            retry = retries + 1,
            delay_ms = u64::try_from(delay.as_millis()).unwrap_or(u64::MAX),
            error = %error,
            "retrying"
        );
        tokio::time::sleep(delay).await;
        retries += 1;
    }
}
