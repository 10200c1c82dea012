//! How a [`PerfectPanel`](crate::PerfectPanel) talks to its panel.

use std::time::Duration;

use secrecy::SecretString;
use serde_json::Value;
use smmkit_provider_core::Error;

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
/// `min(max_delay, base_delay × 2ⁿ)`, or the panel's `Retry-After`
/// (seconds or an HTTP date). A panel that asks for longer than
/// `max_delay` is not retried: its error says how long it asked to wait.
/// No retry starts that would begin after `max_elapsed` since the first
/// attempt.
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
    /// bound.
    pub(crate) fn backoff(&self, n: u32) -> Duration {
        let factor = 1u32.checked_shl(n.min(20)).unwrap_or(u32::MAX);
        let bound = self.base_delay.saturating_mul(factor).min(self.max_delay);
        let nanos = u64::try_from(bound.as_nanos()).unwrap_or(u64::MAX);
        Duration::from_nanos(fastrand::u64(0..=nanos))
    }
}

/// Which client a [`ClientConfig`] makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Provider {
    /// Any API v2 panel, by URL.
    #[default]
    PerfectPanel,
    /// fampage.in, with its URL, GET transport and single-id refills and
    /// cancels as defaults.
    Fampage,
}

impl Provider {
    /// `"perfect-panel"` or `"fampage"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Provider::PerfectPanel => "perfect-panel",
            Provider::Fampage => "fampage",
        }
    }

    /// Reads a provider's name (`perfect-panel`, `perfect_panel`, `fampage`).
    pub fn parse(text: &str) -> Option<Provider> {
        match text.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "perfect-panel" | "perfectpanel" => Some(Provider::PerfectPanel),
            "fampage" => Some(Provider::Fampage),
            _ => None,
        }
    }
}

/// How the names of a [`ClientConfig`] are spelled, and its times given.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spelling {
    /// `snake_case`, times in seconds: Python's keyword arguments, the
    /// command line, config files.
    Snake,
    /// `camelCase`, times in milliseconds (`timeoutMs`): JavaScript.
    Camel,
}

/// Everything a client is made from, each setting optional, with one set
/// of bounds and defaults: what the command line's flags and profiles,
/// Python's keyword arguments and Node's option objects all are.
///
/// | setting (`snake_case` / `camelCase`) | bounds | default |
/// |---|---|---|
/// | `provider` | `perfect-panel` or `fampage` | `perfect-panel` |
/// | `url` | an http(s) URL; needed for `perfect-panel` | fampage's own |
/// | `key` | not empty | — (needed) |
/// | `transport` | `post` or `get` | `post` (fampage: `get`) |
/// | `timeout` / `timeoutMs` | more than 0, at most 1 day | 30 s |
/// | `connect_timeout` / `connectTimeoutMs` | more than 0, at most 1 day | 10 s |
/// | `retries` | 0 to 20 | 3 |
/// | `concurrency` (requests of one batch at once) | 1 to 64 | 4 |
/// | `max_connections` / `maxConnections` (requests in flight per client) | 1 to 1024 | 16 |
/// | `max_response_bytes` / `maxResponseBytes` | 1 byte to 1 GiB | 64 MiB |
/// | `user_agent` / `userAgent` | printable text | `smmkit/<version>` |
/// | `proxy` | an `http(s)://` or `socks5://` URL | none (the environment's) |
/// | `params` | names and values sent with every request | none |
///
/// ```
/// use serde_json::json;
/// use smmkit_perfect_panel::{ClientConfig, Provider, Spelling};
/// let config = ClientConfig::from_value(&json!({
///     "url": "https://panel.example/api/v2", "key": "test-key-not-real", "timeoutMs": 1500, "retries": 5
/// }), Spelling::Camel)?;
/// assert_eq!(config.timeout, Some(std::time::Duration::from_millis(1500)));
/// let e = ClientConfig::from_value(&json!({"key": "k", "timeout": 20}), Spelling::Camel).unwrap_err();
/// assert_eq!(e.to_string(), "invalid configuration: unknown option `timeout` (did you mean `timeoutMs`?)");
/// let e = ClientConfig::from_value(&json!({"key": "k", "retries": -1}), Spelling::Snake).unwrap_err();
/// assert_eq!(e.to_string(), "invalid configuration: `retries` must be a whole number from 0 to 20, not -1");
/// # Ok::<(), smmkit_provider_core::Error>(())
/// ```
#[derive(Clone, Default)]
pub struct ClientConfig {
    /// Which client.
    pub provider: Provider,
    /// The panel's API v2 URL.
    pub url: Option<String>,
    /// The API key.
    pub key: Option<SecretString>,
    /// How parameters travel.
    pub transport: Option<Transport>,
    /// How long one whole exchange may take.
    pub timeout: Option<Duration>,
    /// How long opening a connection may take.
    pub connect_timeout: Option<Duration>,
    /// How many times a failed read is retried (the rest of the policy as
    /// [`RetryPolicy::default`]).
    pub retries: Option<u32>,
    /// How many requests of one batch run at once.
    pub concurrency: Option<usize>,
    /// How many requests of the client may be in flight at once, and so
    /// how many connections it opens at most.
    pub max_connections: Option<usize>,
    /// The largest answer accepted, in bytes.
    pub max_response_bytes: Option<usize>,
    /// The `User-Agent` header.
    pub user_agent: Option<String>,
    /// A proxy every request goes through.
    pub proxy: Option<String>,
    /// Parameters sent with every request.
    pub params: Vec<(String, String)>,
    /// The panel's name, in logs and in the order journal (default: the
    /// panel's host, or `fampage`).
    pub name: Option<String>,
    /// The order journal's URL (`sqlite://FILE`, `postgres://…`): when
    /// set, the front ends journal `add`, `status`, `refill` and `cancel`.
    pub journal: Option<String>,
}

impl std::fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientConfig")
            .field("provider", &self.provider)
            .field("url", &self.url)
            .field("key", &self.key.as_ref().map(|_| "[redacted]"))
            .field("transport", &self.transport)
            .field("timeout", &self.timeout)
            .field("retries", &self.retries)
            .field("name", &self.name)
            .field("journal", &self.journal.as_ref().map(|_| "[set]"))
            .finish_non_exhaustive()
    }
}

/// The options of a config: the name in each spelling.
const OPTIONS: [(&str, &str); 15] = [
    ("provider", "provider"),
    ("url", "url"),
    ("key", "key"),
    ("transport", "transport"),
    ("timeout", "timeoutMs"),
    ("connect_timeout", "connectTimeoutMs"),
    ("retries", "retries"),
    ("concurrency", "concurrency"),
    ("max_connections", "maxConnections"),
    ("max_response_bytes", "maxResponseBytes"),
    ("user_agent", "userAgent"),
    ("proxy", "proxy"),
    ("params", "params"),
    ("name", "name"),
    ("journal", "journal"),
];

/// The bounds of the numeric options.
pub(crate) mod bounds {
    use std::time::Duration;

    pub(crate) const MAX_TIMEOUT: Duration = Duration::from_secs(86_400);
    pub(crate) const RETRIES: (u64, u64) = (0, 20);
    pub(crate) const CONCURRENCY: (u64, u64) = (1, 64);
    pub(crate) const MAX_CONNECTIONS: (u64, u64) = (1, 1024);
    pub(crate) const MAX_RESPONSE_BYTES: (u64, u64) = (1, 1 << 30);
}

fn config_error(message: impl Into<String>) -> Error {
    Error::Config(message.into())
}

fn shown(v: &Value) -> String {
    match v {
        Value::String(s) => format!("\"{}\"", s.chars().take(40).collect::<String>()),
        other => {
            let t = other.to_string();
            if t.len() > 40 { "a value".into() } else { t }
        }
    }
}

fn text_of(v: &Value, name: &str) -> Result<String, Error> {
    match v {
        Value::String(s) => Ok(s.clone()),
        other => Err(config_error(format!(
            "`{name}` must be a string, not {}",
            shown(other)
        ))),
    }
}

/// A whole number within `(lo, hi)`, as a number or a string of digits.
fn whole_in(v: &Value, name: &str, (lo, hi): (u64, u64)) -> Result<u64, Error> {
    let n = match v {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse::<u64>().ok(),
        _ => None,
    };
    n.filter(|n| (lo..=hi).contains(n)).ok_or_else(|| {
        config_error(format!(
            "`{name}` must be a whole number from {lo} to {hi}, not {}",
            shown(v)
        ))
    })
}

/// A time: seconds (a number or a numeric string) or milliseconds.
fn time_in(v: &Value, name: &str, millis: bool) -> Result<Duration, Error> {
    let n = match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    let (unit, scale) = if millis {
        ("milliseconds", 1e-3)
    } else {
        ("seconds", 1.0)
    };
    n.map(|n| n * scale)
        .filter(|s| s.is_finite() && *s >= 0.001 && *s <= bounds::MAX_TIMEOUT.as_secs_f64())
        .map(Duration::from_secs_f64)
        .ok_or_else(|| {
            let (lo, hi) = if millis {
                ("1", "86400000")
            } else {
                ("0.001", "86400")
            };
            config_error(format!(
                "`{name}` must be a number of {unit} from {lo} to {hi}, not {}",
                shown(v)
            ))
        })
}

impl ClientConfig {
    /// A config for the panel at `url` with this key.
    pub fn new(url: impl Into<String>, key: impl Into<String>) -> ClientConfig {
        ClientConfig {
            url: Some(url.into()),
            key: Some(SecretString::from(key.into())),
            ..ClientConfig::default()
        }
    }

    /// Reads a config from an object of options spelled as `spelling`
    /// says. An unknown option is refused, with the name it probably
    /// meant; a value out of bounds says the bounds.
    pub fn from_value(value: &Value, spelling: Spelling) -> Result<ClientConfig, Error> {
        let Value::Object(map) = value else {
            return Err(config_error("options must be an object"));
        };
        let mut c = ClientConfig::default();
        for (key, v) in map {
            if v.is_null() {
                continue;
            }
            let found = OPTIONS.iter().find(|(snake, camel)| match spelling {
                Spelling::Snake => key == snake,
                Spelling::Camel => key == camel,
            });
            let Some((name, _)) = found else {
                let own = OPTIONS.iter().map(|(snake, camel)| match spelling {
                    Spelling::Snake => *snake,
                    Spelling::Camel => *camel,
                });
                // The name in the other spelling points to its twin.
                let twin = OPTIONS.iter().find_map(|(snake, camel)| match spelling {
                    Spelling::Snake if key == camel => Some(*snake),
                    Spelling::Camel if key == snake => Some(*camel),
                    _ => None,
                });
                let hint = twin
                    .or_else(|| smmkit_provider_core::input::closest(key, own))
                    .map(|n| format!(" (did you mean `{n}`?)"))
                    .unwrap_or_default();
                return Err(config_error(format!("unknown option `{key}`{hint}")));
            };
            let shown_name = match spelling {
                Spelling::Snake => *name,
                Spelling::Camel => key.as_str(),
            };
            let millis = spelling == Spelling::Camel;
            match *name {
                "provider" => {
                    let t = text_of(v, shown_name)?;
                    c.provider = Provider::parse(&t).ok_or_else(|| {
                        config_error(format!(
                            "`provider` must be \"perfect-panel\" or \"fampage\", not \"{t}\""
                        ))
                    })?;
                }
                "url" => c.url = Some(text_of(v, shown_name)?),
                "key" => c.key = Some(SecretString::from(text_of(v, shown_name)?)),
                "transport" => {
                    let t = text_of(v, shown_name)?;
                    c.transport = Some(Transport::parse(&t).ok_or_else(|| {
                        config_error(format!(
                            "`transport` must be \"post\" or \"get\", not \"{t}\""
                        ))
                    })?);
                }
                "timeout" => c.timeout = Some(time_in(v, shown_name, millis)?),
                "connect_timeout" => c.connect_timeout = Some(time_in(v, shown_name, millis)?),
                "retries" => {
                    c.retries = Some(
                        u32::try_from(whole_in(v, shown_name, bounds::RETRIES)?)
                            .unwrap_or(u32::MAX),
                    );
                }
                "concurrency" => {
                    c.concurrency = Some(usize_of(whole_in(v, shown_name, bounds::CONCURRENCY)?))
                }
                "max_connections" => {
                    c.max_connections =
                        Some(usize_of(whole_in(v, shown_name, bounds::MAX_CONNECTIONS)?));
                }
                "max_response_bytes" => {
                    c.max_response_bytes = Some(usize_of(whole_in(
                        v,
                        shown_name,
                        bounds::MAX_RESPONSE_BYTES,
                    )?));
                }
                "user_agent" => c.user_agent = Some(text_of(v, shown_name)?),
                "proxy" => c.proxy = Some(text_of(v, shown_name)?),
                "params" => c.params = params_of(v)?,
                "name" => {
                    let t = text_of(v, shown_name)?;
                    if t.trim().is_empty() || t.chars().any(char::is_control) {
                        return Err(config_error("`name` must be a short line of text"));
                    }
                    c.name = Some(t);
                }
                "journal" => c.journal = Some(text_of(v, shown_name)?),
                _ => {}
            }
        }
        Ok(c)
    }

    /// The settings of `other` that are set, over those of `self`: a
    /// profile's settings under the flags of a command line.
    #[must_use]
    pub fn overridden_by(mut self, other: ClientConfig) -> ClientConfig {
        if other.provider != Provider::default() {
            self.provider = other.provider;
        }
        macro_rules! take {
            ($($f:ident),*) => { $( if other.$f.is_some() { self.$f = other.$f; } )* };
        }
        take!(
            url,
            key,
            transport,
            timeout,
            connect_timeout,
            retries,
            concurrency,
            max_connections,
            max_response_bytes,
            user_agent,
            proxy,
            name,
            journal
        );
        self.params.extend(other.params);
        self
    }
}

fn usize_of(n: u64) -> usize {
    usize::try_from(n).unwrap_or(usize::MAX)
}

fn params_of(v: &Value) -> Result<Vec<(String, String)>, Error> {
    let Value::Object(map) = v else {
        return Err(config_error(
            "`params` must be an object of names and values",
        ));
    };
    map.iter()
        .map(|(k, v)| {
            if matches!(k.as_str(), "key" | "action") {
                return Err(config_error(format!(
                    "`params` cannot set `{k}`: smmkit sends it"
                )));
            }
            let value = match v {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                Value::Bool(b) => b.to_string(),
                other => {
                    return Err(config_error(format!(
                        "`params.{k}` must be text or a number, not {}",
                        shown(other)
                    )));
                }
            };
            Ok((k.clone(), value))
        })
        .collect()
}

impl<'de> serde::Deserialize<'de> for ClientConfig {
    /// Reads a config spelled [`Spelling::Snake`], as config files are.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(d)?;
        ClientConfig::from_value(&value, Spelling::Snake).map_err(serde::de::Error::custom)
    }
}

/// The defaults a builder starts from.
pub(crate) mod defaults {
    use std::time::Duration;

    pub(crate) const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
    pub(crate) const TIMEOUT: Duration = Duration::from_secs(30);
    /// Enough for a catalog of about 200,000 services.
    pub(crate) const MAX_RESPONSE_BYTES: usize = 64 * 1024 * 1024;
    pub(crate) const CONCURRENCY: usize = 4;
    /// Requests in flight at once per client (and so connections open).
    pub(crate) const MAX_CONNECTIONS: usize = 16;
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
            let d = p.backoff(n);
            let bound = Duration::from_millis(100)
                .saturating_mul(1 << n.min(20))
                .min(Duration::from_secs(1));
            assert!(d <= bound, "retry {n}: {d:?} > {bound:?}");
        }
    }
}
