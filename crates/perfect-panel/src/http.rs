//! One HTTP exchange with the panel: build the request, send it, read the
//! body under a size cap, and turn every failure into a key-free [`Error`].

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{CONTENT_LENGTH, RETRY_AFTER};
use secrecy::{ExposeSecret, SecretString};
use smmkit_provider_core::wire::{error_message, snippet};
use smmkit_provider_core::{Action, Error};
use url::Url;

use crate::config::Transport;

/// Everything needed to send requests; shared by clones of a client.
pub(crate) struct Wire {
    pub(crate) http: reqwest::Client,
    pub(crate) url: Url,
    pub(crate) key: SecretString,
    pub(crate) transport: Transport,
    pub(crate) timeout: Duration,
    pub(crate) max_response_bytes: usize,
}

/// What came back from one exchange.
pub(crate) struct Answer {
    pub(crate) status: StatusCode,
    pub(crate) body: Vec<u8>,
    pub(crate) retry_after: Option<Duration>,
}

impl Answer {
    /// The error an answer stands for before its body is decoded:
    /// `{"error": ...}` whatever the status, else any non-2xx status.
    pub(crate) fn status_error(&self, action: Action) -> Option<Error> {
        if let Some(text) = error_message(&self.body) {
            return Some(Error::api(action, text));
        }
        (!self.status.is_success()).then(|| self.http_error(action))
    }

    /// The error of a non-2xx status, the body aside.
    pub(crate) fn http_error(&self, action: Action) -> Error {
        let snippet = if self.status.is_redirection() {
            "the panel redirects elsewhere; configure the URL it redirects to".into()
        } else {
            snippet(&self.body)
        };
        Error::HttpStatus {
            action,
            status: self.status.as_u16(),
            snippet,
        }
    }
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

impl Wire {
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
        error.redacted(self.key.expose_secret())
    }

    fn request(&self, action: Action, params: &[(&str, String)]) -> reqwest::RequestBuilder {
        let key = self.key.expose_secret();
        let pairs = || {
            [("key", key), ("action", action.as_str())]
                .into_iter()
                .chain(params.iter().map(|(k, v)| (*k, v.as_str())))
        };
        match self.transport {
            Transport::PostForm => {
                let body = url::form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(pairs())
                    .finish();
                self.http
                    .post(self.url.clone())
                    .header(
                        reqwest::header::CONTENT_TYPE,
                        "application/x-www-form-urlencoded",
                    )
                    .body(body)
            }
            Transport::GetQuery => {
                let mut url = self.url.clone();
                url.query_pairs_mut().extend_pairs(pairs());
                self.http.get(url)
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
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
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
                .map_or(8 * 1024, |n| n as usize)
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

    /// Removes the key from an error produced from an answer.
    pub(crate) fn clean(&self, e: Error) -> Error {
        e.redacted(self.key.expose_secret())
    }
}
