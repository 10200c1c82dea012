//! [`PerfectPanelBuilder`]: every setting of a client, each with a default.

use std::fmt;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use smmkit_provider_core::{Error, Redactor, Result};
use url::Url;

use crate::client::{Inner, PerfectPanel};
use crate::config::{ClientConfig, RetryPolicy, Transport, defaults};
use crate::http::Http;

/// Configures a [`PerfectPanel`]; every setting has a default.
///
/// | setting | default |
/// |---|---|
/// | transport | form POST |
/// | connect timeout | 10 s |
/// | timeout (whole exchange, body included) | 30 s |
/// | retries of reads | [`RetryPolicy::default`] |
/// | response cap | 64 MiB |
/// | concurrent requests of a batch | 4 |
/// | requests in flight (connections) per client | 16 |
/// | ids per multi request | 100 |
pub struct PerfectPanelBuilder {
    pub(crate) url: String,
    pub(crate) key: SecretString,
    name: Option<String>,
    transport: Transport,
    connect_timeout: Duration,
    timeout: Duration,
    retry: RetryPolicy,
    max_response_bytes: usize,
    concurrency: usize,
    max_connections: usize,
    batch_size: usize,
    multi_refill: bool,
    multi_cancel: bool,
    check_catalog: bool,
    user_agent: String,
    proxy: Option<String>,
    extra_params: Vec<(String, String)>,
}

impl fmt::Debug for PerfectPanelBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PerfectPanelBuilder")
            .field("url", &self.url)
            .field("key", &"[redacted]")
            .field("transport", &self.transport)
            .finish_non_exhaustive()
    }
}

/// Reads a panel URL, saying plainly what is wrong with it.
fn panel_url(text: &str) -> Result<Url> {
    let text = text.trim();
    let url = Url::parse(text).map_err(|e| {
        let hint = if matches!(e, url::ParseError::RelativeUrlWithoutBase) {
            format!(
                "`{text}` has no scheme: write it in full, such as https://{}",
                text.trim_start_matches('/')
            )
        } else {
            format!("`{text}`: {e}")
        };
        Error::Config(format!("panel URL {hint}"))
    })?;
    if !matches!(url.scheme(), "http" | "https") {
        return Err(Error::Config(format!(
            "panel URL: expected http or https, got {}",
            url.scheme()
        )));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(Error::Config(
            "panel URL: must not hold a user name or password".into(),
        ));
    }
    if url.query_pairs().any(|(k, _)| k == "key") {
        return Err(Error::Config(
            "panel URL: give the key on its own, not in the URL".into(),
        ));
    }
    Ok(url)
}

impl PerfectPanelBuilder {
    pub(crate) fn new(url: String, key: String) -> PerfectPanelBuilder {
        PerfectPanelBuilder {
            url,
            key: SecretString::from(key),
            name: None,
            transport: Transport::default(),
            connect_timeout: defaults::CONNECT_TIMEOUT,
            timeout: defaults::TIMEOUT,
            retry: RetryPolicy::default(),
            max_response_bytes: defaults::MAX_RESPONSE_BYTES,
            concurrency: defaults::CONCURRENCY,
            max_connections: defaults::MAX_CONNECTIONS,
            batch_size: defaults::BATCH_SIZE,
            multi_refill: true,
            multi_cancel: true,
            check_catalog: true,
            user_agent: concat!("smmkit/", env!("CARGO_PKG_VERSION")).to_owned(),
            proxy: None,
            extra_params: Vec::new(),
        }
    }

    /// The panel's endpoint, replacing the one given to the builder.
    #[must_use]
    pub fn url(mut self, url: impl Into<String>) -> Self {
        self.url = url.into();
        self
    }

    /// A short name for the panel, in logs and in the order journal; the
    /// URL's host (with its port, when the URL names one) by default.
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// How parameters travel: form POST (default) or GET query.
    #[must_use]
    pub fn transport(mut self, transport: Transport) -> Self {
        self.transport = transport;
        self
    }

    /// How long opening a connection may take.
    #[must_use]
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// How long one whole exchange may take, from sending to the last byte.
    #[must_use]
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How reads are retried.
    #[must_use]
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The largest answer accepted, in bytes (after decompression).
    #[must_use]
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    /// How many requests of one batch run at once.
    #[must_use]
    pub fn concurrency(mut self, requests: usize) -> Self {
        self.concurrency = requests;
        self
    }

    /// How many requests of this client (and its clones) may be in flight
    /// at once, and so how many connections it opens at most; more wait
    /// their turn.
    #[must_use]
    pub fn max_connections(mut self, connections: usize) -> Self {
        self.max_connections = connections;
        self
    }

    /// How many ids go in one `orders=` / `refills=` request (1 to 100).
    #[must_use]
    pub fn batch_size(mut self, ids: usize) -> Self {
        self.batch_size = ids;
        self
    }

    /// Whether the panel takes `action=refill&orders=`; when not, `refills`
    /// sends one `order=` request per id. On by default.
    #[must_use]
    pub fn multi_refill(mut self, yes: bool) -> Self {
        self.multi_refill = yes;
        self
    }

    /// Whether the panel takes `action=cancel&orders=`; when not, `cancel`
    /// sends one `order=` request per id. On by default.
    #[must_use]
    pub fn multi_cancel(mut self, yes: bool) -> Self {
        self.multi_cancel = yes;
        self
    }

    /// Whether `add` checks orders against the catalog of the last
    /// `services()` call (type, min, max, drip-feed). On by default.
    #[must_use]
    pub fn check_catalog(mut self, yes: bool) -> Self {
        self.check_catalog = yes;
        self
    }

    /// The `User-Agent` header.
    #[must_use]
    pub fn user_agent(mut self, agent: impl Into<String>) -> Self {
        self.user_agent = agent.into();
        self
    }

    /// Sends every request through this proxy (`http://`, `https://` or,
    /// with reqwest's support, `socks5://`).
    #[must_use]
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(url.into());
        self
    }

    /// A parameter sent with every request, after the action's own (some
    /// panels want a `lang` or a `currency`).
    #[must_use]
    pub fn extra_param(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.extra_params.push((name.into(), value.into()));
        self
    }

    /// Applies every setting `config` gives but its provider, URL and key.
    #[must_use]
    pub fn config(mut self, config: &ClientConfig) -> Self {
        if let Some(t) = config.transport {
            self.transport = t;
        }
        if let Some(t) = config.timeout {
            self.timeout = t;
        }
        if let Some(t) = config.connect_timeout {
            self.connect_timeout = t;
        }
        if let Some(n) = config.retries {
            self.retry = RetryPolicy {
                max_retries: n,
                ..RetryPolicy::default()
            };
        }
        if let Some(n) = config.max_response_bytes {
            self.max_response_bytes = n;
        }
        if let Some(n) = config.concurrency {
            self.concurrency = n;
        }
        if let Some(n) = config.max_connections {
            self.max_connections = n;
        }
        if let Some(agent) = &config.user_agent {
            self.user_agent = agent.clone();
        }
        if let Some(proxy) = &config.proxy {
            self.proxy = Some(proxy.clone());
        }
        if let Some(name) = &config.name {
            self.name = Some(name.clone());
        }
        self.extra_params.extend(config.params.iter().cloned());
        self
    }

    fn http_client(&self, fresh: bool) -> Result<reqwest::Client> {
        let mut b = reqwest::Client::builder()
            .connect_timeout(self.connect_timeout)
            .timeout(self.timeout)
            .redirect(reqwest::redirect::Policy::none())
            // smmkit decides every retry itself: reads by its policy, changes never.
            .retry(reqwest::retry::never())
            .user_agent(self.user_agent.clone());
        if fresh {
            b = b.pool_max_idle_per_host(0);
        }
        if let Some(proxy) = &self.proxy {
            let proxy = reqwest::Proxy::all(proxy.as_str())
                .map_err(|e| Error::Config(format!("proxy: {}", e.without_url())))?;
            b = b.proxy(proxy);
        }
        b.build()
            .map_err(|e| Error::Config(format!("HTTP client: {}", e.without_url())))
    }

    /// Builds the client. Fails with [`Error::Config`] on a URL that is not
    /// http(s), an empty key, or a zero timeout, concurrency, connection
    /// cap or batch size.
    pub fn build(self) -> Result<PerfectPanel> {
        let url = panel_url(&self.url)?;
        let key = self.key.expose_secret();
        if key.trim().is_empty() {
            return Err(Error::Config("the API key is empty".into()));
        }
        if key.chars().any(char::is_control) {
            return Err(Error::Config(
                "the API key holds a control character".into(),
            ));
        }
        if self.timeout.is_zero() || self.connect_timeout.is_zero() {
            return Err(Error::Config("timeouts must be longer than zero".into()));
        }
        if self.concurrency == 0 {
            return Err(Error::Config("concurrency must be at least 1".into()));
        }
        if self.max_connections == 0 {
            return Err(Error::Config("max_connections must be at least 1".into()));
        }
        if !(1..=defaults::BATCH_SIZE).contains(&self.batch_size) {
            return Err(Error::Config(format!(
                "batch size must be from 1 to {}",
                defaults::BATCH_SIZE
            )));
        }
        if self.max_response_bytes == 0 {
            return Err(Error::Config(
                "the response cap must be at least 1 byte".into(),
            ));
        }
        if self.user_agent.trim().is_empty() || self.user_agent.chars().any(char::is_control) {
            return Err(Error::Config(
                "the user agent must be printable text".into(),
            ));
        }
        if let Some((name, _)) = self
            .extra_params
            .iter()
            .find(|(name, _)| matches!(name.as_str(), "key" | "action") || name.is_empty())
        {
            return Err(Error::Config(format!(
                "extra parameter `{name}`: smmkit sends that one itself"
            )));
        }
        let redactor = Redactor::new(key);
        let pooled = self
            .http_client(false)
            .map_err(|e| e.redacted_with(&redactor))?;
        let fresh = self
            .http_client(true)
            .map_err(|e| e.redacted_with(&redactor))?;
        let name = self.name.unwrap_or_else(|| {
            let host = url.host_str().unwrap_or("panel");
            match url.port() {
                Some(port) => format!("{host}:{port}"),
                None => host.to_owned(),
            }
        });
        Ok(PerfectPanel {
            inner: Arc::new(Inner {
                name,
                http: Http {
                    pooled,
                    fresh,
                    url,
                    key: self.key,
                    redactor,
                    transport: self.transport,
                    timeout: self.timeout,
                    max_response_bytes: self.max_response_bytes,
                    permits: Arc::new(tokio::sync::Semaphore::new(self.max_connections)),
                    extra_params: self.extra_params,
                },
                retry: self.retry,
                concurrency: self.concurrency,
                max_connections: self.max_connections,
                batch_size: self.batch_size,
                multi_refill: self.multi_refill,
                multi_cancel: self.multi_cancel,
                check_catalog: self.check_catalog,
                catalog: RwLock::new(None),
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_url_without_scheme_says_so() {
        let e = panel_url("panel.example/api/v2").unwrap_err().to_string();
        assert_eq!(
            e,
            "invalid configuration: panel URL `panel.example/api/v2` has no scheme: write it in full, such as https://panel.example/api/v2"
        );
        assert!(panel_url("ftp://x/api").is_err());
        assert!(panel_url(" https://x.example/api/v2 ").is_ok());
    }
}
