//! How a [`PerfectPanel`](crate::PerfectPanel) talks to its panel.

use std::time::Duration;

/// How parameters travel to the panel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Transport {
    /// A form-encoded POST body (`application/x-www-form-urlencoded`): what
    /// most panels document, and the key never appears in a URL.
    #[default]
    PostForm,
    /// Everything in the query string of a GET, as fampage documents it.
    /// The key is in the URL; smmkit keeps that URL out of every error and
    /// log, and follows no redirect.
    GetQuery,
}

impl Transport {
    /// `"post"` or `"get"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Transport::PostForm => "post",
            Transport::GetQuery => "get",
        }
    }

    /// Reads `"post"` or `"get"` (any case).
    ///
    /// ```
    /// use smmkit_perfect_panel::Transport;
    /// assert_eq!(Transport::parse("GET"), Some(Transport::GetQuery));
    /// assert_eq!(Transport::parse("put"), None);
    /// ```
    pub fn parse(text: &str) -> Option<Transport> {
        match text.to_ascii_lowercase().as_str() {
            "post" | "post_form" | "form" => Some(Transport::PostForm),
            "get" | "get_query" | "query" => Some(Transport::GetQuery),
            _ => None,
        }
    }
}

/// How reads that fail transiently are retried.
///
/// Reads (`services`, `status`, `refill_status`, `balance`) are retried
/// on transport errors, timeouts, HTTP 5xx and 429, and bodies replaced by
/// an HTML page or cut off, with exponential backoff and full jitter:
/// before retry `n` (from 0) smmkit waits a random time up to
/// `min(max_delay, base_delay × 2ⁿ)`, or the panel's `Retry-After` when it
/// sends one that fits within `max_delay`. No retry starts once
/// `max_elapsed` has passed since the first attempt.
///
/// `add`, `refill` and `cancel` are never retried once a request may have
/// reached the panel; `add` is retried only when the connection could not
/// be opened at all, so that nothing was sent.
///
/// ```
/// use std::time::Duration;
/// use smmkit_perfect_panel::RetryPolicy;
/// let patient = RetryPolicy { max_retries: 6, ..RetryPolicy::default() };
/// assert_eq!(patient.base_delay, Duration::from_millis(200));
/// assert_eq!(RetryPolicy::none().max_retries, 0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0: no retry).
    pub max_retries: u32,
    /// The first backoff's upper bound.
    pub base_delay: Duration,
    /// The largest wait between two attempts.
    pub max_delay: Duration,
    /// No retry starts after this long since the first attempt.
    pub max_elapsed: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(5),
            max_elapsed: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// No retries at all.
    pub const fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            base_delay: Duration::ZERO,
            max_delay: Duration::ZERO,
            max_elapsed: Duration::ZERO,
        }
    }

    /// The wait before retry `n` (from 0): full jitter over the exponential
    /// bound, or the panel's `Retry-After` if it is within `max_delay`.
    pub(crate) fn delay(&self, n: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(after) = retry_after
            && after <= self.max_delay
        {
            return after;
        }
        let factor = 1u32.checked_shl(n.min(20)).unwrap_or(u32::MAX);
        let bound = self.base_delay.saturating_mul(factor).min(self.max_delay);
        let nanos = u64::try_from(bound.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(fastrand::u64(0..=nanos))
    }
}

/// Settings to change on a builder, each optional: what the command line,
/// config files and the Python and Node bindings give.
///
/// ```
/// use std::time::Duration;
/// use smmkit_perfect_panel::{ClientOptions, PerfectPanel, Transport};
/// let options = ClientOptions { transport: Some(Transport::GetQuery), timeout: Some(Duration::from_secs(5)), ..Default::default() };
/// let panel = PerfectPanel::builder("https://panel.example/api/v2", "test-key-not-real").options(&options).build()?;
/// assert_eq!(panel.transport(), Transport::GetQuery);
/// # Ok::<(), smmkit_provider_core::Error>(())
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ClientOptions {
    /// How parameters travel.
    pub transport: Option<Transport>,
    /// How long one whole exchange may take.
    pub timeout: Option<Duration>,
    /// How long opening a connection may take.
    pub connect_timeout: Option<Duration>,
    /// How many times a failed read is retried (the rest of the policy as
    /// [`RetryPolicy::default`]).
    pub retries: Option<u32>,
    /// The largest answer accepted, in bytes.
    pub max_response_bytes: Option<usize>,
    /// How many requests of one batch run at once.
    pub concurrency: Option<usize>,
}

/// The defaults a builder starts from.
pub(crate) mod defaults {
    use std::time::Duration;

    pub(crate) const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
    pub(crate) const TIMEOUT: Duration = Duration::from_secs(30);
    /// Enough for a catalog of about 200,000 services.
    pub(crate) const MAX_RESPONSE_BYTES: usize = 64 * 1024 * 1024;
    pub(crate) const CONCURRENCY: usize = 4;
    /// The most ids API v2 panels take in one `orders=` / `refills=`.
    pub(crate) const BATCH_SIZE: usize = 100;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_is_bounded_and_grows() {
        let p = RetryPolicy {
            max_retries: 10,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(1),
            max_elapsed: Duration::from_secs(10),
        };
        for n in 0..40 {
            let d = p.delay(n, None);
            let bound = Duration::from_millis(100)
                .saturating_mul(1 << n.min(20))
                .min(Duration::from_secs(1));
            assert!(d <= bound, "retry {n}: {d:?} > {bound:?}");
        }
        assert_eq!(
            p.delay(0, Some(Duration::from_millis(700))),
            Duration::from_millis(700)
        );
        // A Retry-After beyond max_delay is not obeyed blindly.
        assert!(p.delay(0, Some(Duration::from_secs(60))) <= Duration::from_millis(100));
    }
}
