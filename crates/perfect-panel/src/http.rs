//! One HTTP exchange with the panel: build the request, send it, read the
//! body under a size cap, and turn every failure into a key-free [`Error`].
//!
//! Reads go out on pooled connections. Requests that change something on
//! the panel (`add`, `refill`, `cancel`) always go out on a fresh
//! connection: a pooled connection the panel has already closed (as some
//! proxies and PHP set-ups do after every answer, without saying so) would
//! otherwise fail after the request was written, and an `add` whose answer
//! is lost that way cannot be told from one the panel received. A fresh
//! connection that fails, fails before anything was sent. The cost is one
//! connection set-up (a TCP and a TLS handshake) per change.

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use reqwest::StatusCode;
use reqwest::header::{CONTENT_LENGTH, RETRY_AFTER};
use secrecy::{ExposeSecret, SecretString};
use smmkit_provider_core::wire::{ErrorAnswer, error_answer, snippet};
use smmkit_provider_core::{Action, ApiErrorKind, Error, Redactor};
use tokio::sync::Semaphore;
use url::Url;

use crate::config::Transport;

/// The HTTP side of a client; shared by its clones.
pub(crate) struct Http {
    /// Pooled connections, for reads.
    pub(crate) pooled: reqwest::Client,
    /// A fresh connection per request, for changes.
    pub(crate) fresh: reqwest::Client,
    pub(crate) url: Url,
    pub(crate) key: SecretString,
    pub(crate) redactor: Redactor,
    pub(crate) transport: Transport,
    pub(crate) timeout: Duration,
    pub(crate) max_response_bytes: usize,
    /// Caps the requests in flight, and so the connections open.
    pub(crate) permits: Arc<Semaphore>,
    /// Parameters sent with every request, after the action's own.
    pub(crate) extra_params: Vec<(String, String)>,
}

/// What came back from one exchange.
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) body: Vec<u8>,
    pub(crate) retry_after: Option<Duration>,
}

/// `Retry-After` as seconds or as an HTTP date.
fn retry_after(value: &str) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(
        at.duration_since(SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// Formats a transport failure with its causes, without the URL.
fn describe(e: reqwest::Error) -> String {
    let e = e.without_url();
    let mut text = e.to_string();
    let mut source = std::error::Error::source(&e);
    while let Some(cause) = source {
        let c = cause.to_string();
        if !text.contains(&c) {
            text.push_str(": ");
            text.push_str(&c);
        }
        source = cause.source();
    }
    text
}

/// Whether a URL's path names an API (`/api/v2`, `/api`, `/v2/api.php`).
fn has_api_path(url: &Url) -> bool {
    url.path_segments()
        .is_some_and(|mut s| s.any(|seg| seg.to_ascii_lowercase().contains("api")))
}

impl Http {
    /// Turns a reqwest failure into a key-free error.
    fn failure(&self, action: Action, e: reqwest::Error) -> Error {
        let not_sent = e.is_connect();
        let error = if e.is_timeout() && !not_sent {
            Error::Timeout {
                action,
                after: self.timeout,
            }
        } else {
            Error::Transport {
                action,
                message: describe(e),
                not_sent,
            }
        };
        self.clean(error)
    }

    fn request(&self, action: Action, params: &[(&str, String)]) -> reqwest::RequestBuilder {
        let key = self.key.expose_secret();
        let pairs = || {
            [("key", key), ("action", action.as_str())]
                .into_iter()
                .chain(params.iter().map(|(k, v)| (*k, v.as_str())))
                .chain(
                    self.extra_params
                        .iter()
                        .map(|(k, v)| (k.as_str(), v.as_str())),
                )
        };
        let http = if action.is_read() {
            &self.pooled
        } else {
            &self.fresh
        };
        match self.transport {
            Transport::PostForm => {
                let body = url::form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(pairs())
                    .finish();
                http.post(self.url.clone())
                    .header(
                        reqwest::header::CONTENT_TYPE,
                        "application/x-www-form-urlencoded",
                    )
                    .body(body)
            }
            Transport::GetQuery => {
                let mut url = self.url.clone();
                url.query_pairs_mut().extend_pairs(pairs());
                http.get(url)
            }
        }
    }

    /// Sends one request and reads its whole answer, at most
    /// `max_response_bytes` of it.
    pub(crate) async fn exchange(
        &self,
        action: Action,
        params: &[(&str, String)],
    ) -> Result<Answer, Error> {
        // Held until the body is read: the connection is in use until then.
        let _permit = self.permits.acquire().await.map_err(|_| Error::Transport {
            action,
            message: "the client is shutting down".into(),
            not_sent: true,
        })?;
        tracing::debug!(
            action = action.as_str(),
            transport = self.transport.as_str(),
            "sending request"
        );
        let mut response = self
            .request(action, params)
            .send()
            .await
            .map_err(|e| self.failure(action, e))?;
        let status = response.status();
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(retry_after);
        let too_large = Error::ResponseTooLarge {
            action,
            limit: self.max_response_bytes,
        };
        let declared = response
            .headers()
            .get(CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|n| n > self.max_response_bytes as u64) {
            return Err(too_large);
        }
        let mut body = Vec::with_capacity(
            declared
                .map_or(8 * 1024, |n| usize::try_from(n).unwrap_or(usize::MAX))
                .min(self.max_response_bytes),
        );
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| self.failure(action, e))?
        {
            if body.len() + chunk.len() > self.max_response_bytes {
                return Err(too_large);
            }
            body.extend_from_slice(&chunk);
        }
        tracing::debug!(
            action = action.as_str(),
            status = status.as_u16(),
            bytes = body.len(),
            "answer read"
        );
        Ok(Answer {
            status,
            body,
            retry_after,
        })
    }

    /// Removes the key, in every spelling, from an error.
    pub(crate) fn clean(&self, e: Error) -> Error {
        e.redacted_with(&self.redactor)
    }

    /// The error of an HTTP error status.
    fn http_status(&self, action: Action, answer: &Answer, refusal: Option<ErrorAnswer>) -> Error {
        let status = answer.status;
        let mut text = snippet(&answer.body);
        if status.is_redirection() {
            text = "the panel redirects elsewhere; configure the URL it redirects to".into();
        } else if status == StatusCode::NOT_FOUND && !has_api_path(&self.url) {
            text.push_str(
                " — the panel URL has no API path: it is usually like https://panel.example/api/v2",
            );
        }
        Error::HttpStatus {
            action,
            status: status.as_u16(),
            panel_message: refusal.map(|r| r.message).filter(|m| !m.trim().is_empty()),
            snippet: text,
            retry_after: answer.retry_after,
        }
    }

    /// A rate limit (HTTP 429): nothing was done.
    fn rate_limited(action: Action, answer: &Answer, refusal: Option<ErrorAnswer>) -> Error {
        Error::Api {
            action,
            kind: ApiErrorKind::RateLimited,
            message: refusal
                .map(|r| r.message)
                .filter(|m| !m.trim().is_empty())
                .unwrap_or_else(|| "Too Many Requests (HTTP 429)".into()),
            retry_after: answer.retry_after,
        }
    }

    /// The error an answer stands for before its body is decoded as the
    /// action's result: a 5xx whatever its body (retried, for reads); a
    /// 429; a refusal stated in the body whatever the status; any other
    /// error status.
    pub(crate) fn answer_error(&self, action: Action, answer: &Answer) -> Option<Error> {
        let refusal = error_answer(&answer.body);
        let status = answer.status;
        if status.is_server_error() {
            return Some(self.http_status(action, answer, refusal));
        }
        if status == StatusCode::TOO_MANY_REQUESTS {
            return Some(Http::rate_limited(action, answer, refusal));
        }
        if let Some(r) = refusal {
            return Some(Error::api(action, r.message));
        }
        (!status.is_success()).then(|| self.http_status(action, answer, None))
    }

    /// What an answer to `add` means: the order id, a refusal that proves
    /// nothing was placed ([`Error::Api`]), or anything else, which may
    /// hide a placed order (returned as is, for the caller to make it an
    /// [`Error::OutcomeUnknown`]).
    pub(crate) fn add_outcome(
        &self,
        answer: &Answer,
    ) -> Result<smmkit_provider_core::OrderId, AddFailure> {
        let action = Action::Add;
        let status = answer.status;
        if status.is_success() {
            return smmkit_provider_core::wire::decode_add(&answer.body).map_err(|e| match e {
                Error::Api { .. } => AddFailure::Refused(e),
                other => AddFailure::Unknown(other),
            });
        }
        let refusal = error_answer(&answer.body);
        if status.is_server_error() {
            // A gateway or a crashing page may say so after the order was made.
            return Err(AddFailure::Unknown(
                self.http_status(action, answer, refusal),
            ));
        }
        if status == StatusCode::TOO_MANY_REQUESTS {
            return Err(AddFailure::Refused(Http::rate_limited(
                action, answer, refusal,
            )));
        }
        match refusal {
            Some(r) if r.definite => Err(AddFailure::Refused(Error::api(action, r.message))),
            r => Err(AddFailure::Unknown(self.http_status(action, answer, r))),
        }
    }
}

/// Why an `add` did not give an order id.
pub(crate) enum AddFailure {
    /// The panel refused: nothing was placed.
    Refused(Error),
    /// The answer does not say: the order may exist.
    Unknown(Error),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_is_read_as_seconds_or_as_a_date() {
        assert_eq!(retry_after(" 120 "), Some(Duration::from_secs(120)));
        let in_an_hour = SystemTime::now() + Duration::from_secs(3600);
        let date = httpdate::fmt_http_date(in_an_hour);
        let d = retry_after(&date).expect("a date");
        assert!(
            d > Duration::from_secs(3590) && d <= Duration::from_secs(3600),
            "{d:?}"
        );
        assert_eq!(
            retry_after("Wed, 21 Oct 2015 07:28:00 GMT"),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after("soon"), None);
    }

    #[tokio::test]
    async fn transport_errors_are_described_without_their_url() {
        // The first line of defence: the URL, which holds the key with the
        // GET transport, is dropped from the error before it is worded
        // (redaction is the second line).
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        let url = format!("http://127.0.0.1:{port}/api/v2?key=MARKER-KEY&action=balance");
        let e = reqwest::Client::new().get(&url).send().await.unwrap_err();
        assert!(
            e.to_string().contains("MARKER-KEY"),
            "reqwest itself shows the URL: {e}"
        );
        let text = describe(e);
        assert!(!text.contains("MARKER-KEY"), "{text}");
        assert!(!text.contains("/api/v2"), "{text}");
    }

    #[test]
    fn api_paths_are_recognised() {
        for (url, api) in [
            ("https://p.example/api/v2", true),
            ("https://p.example/API", true),
            ("https://p.example/v2/api.php", true),
            ("https://p.example/", false),
            ("https://p.example", false),
            ("https://p.example/v2", false),
        ] {
            assert_eq!(has_api_path(&Url::parse(url).unwrap()), api, "{url}");
        }
    }
}
