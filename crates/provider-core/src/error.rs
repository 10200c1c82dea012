//! The one error type of smmkit, with a stable machine-readable kind.

use std::fmt;
use std::time::Duration;

use serde::Serialize;

use crate::ids::OrderId;
use crate::models::OrderRequest;
use crate::redact::Redactor;

/// The API v2 action a request performs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    /// `action=services`: the catalog.
    Services,
    /// `action=add`: place an order.
    Add,
    /// `action=status`: one order's status, or many with `orders=`.
    Status,
    /// `action=refill`: ask for a refill of one or many orders.
    Refill,
    /// `action=refill_status`: one refill's status, or many with `refills=`.
    RefillStatus,
    /// `action=cancel`: ask to cancel one or many orders.
    Cancel,
    /// `action=balance`: the account's balance.
    Balance,
}

impl Action {
    /// The `action=` value sent on the wire.
    ///
    /// ```
    /// assert_eq!(smmkit_provider_core::Action::RefillStatus.as_str(), "refill_status");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            Action::Services => "services",
            Action::Add => "add",
            Action::Status => "status",
            Action::Refill => "refill",
            Action::RefillStatus => "refill_status",
            Action::Cancel => "cancel",
            Action::Balance => "balance",
        }
    }

    /// Whether the action only reads (services, status, refill_status,
    /// balance), so that sending it again is harmless and clients may retry it.
    ///
    /// `add`, `refill` and `cancel` change something on the panel and are
    /// never repeated by smmkit on its own.
    pub const fn is_read(self) -> bool {
        matches!(
            self,
            Action::Services | Action::Status | Action::RefillStatus | Action::Balance
        )
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a panel's `{"error": "..."}` means, read from its text.
///
/// The panel's own text is always kept beside the kind; see
/// [`ApiErrorKind::from_message`] for how texts are recognised.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ApiErrorKind {
    /// `Invalid API key`.
    InvalidKey,
    /// `Not enough funds on balance`, `insufficient_funds`.
    InsufficientFunds,
    /// `Incorrect order ID`.
    IncorrectOrderId,
    /// `Refill not found`.
    IncorrectRefillId,
    /// `Incorrect service ID`.
    IncorrectService,
    /// `Quantity less than minimal 100`, `Quantity more than maximum 10000`.
    QuantityOutOfRange,
    /// `Incorrect link`.
    IncorrectLink,
    /// `You have active order with this link…`.
    ActiveOrderOnLink,
    /// `Order not eligible for refill.` and other refusals of a refill.
    RefillNotPossible,
    /// A refusal to cancel.
    CancelNotPossible,
    /// Too many requests (also HTTP 429).
    RateLimited,
    /// `Incorrect request`: the panel did not understand the parameters.
    IncorrectRequest,
    /// Any other text.
    Other,
}

impl ApiErrorKind {
    /// Every kind, for tables and bindings.
    pub const ALL: [ApiErrorKind; 13] = [
        ApiErrorKind::InvalidKey,
        ApiErrorKind::InsufficientFunds,
        ApiErrorKind::IncorrectOrderId,
        ApiErrorKind::IncorrectRefillId,
        ApiErrorKind::IncorrectService,
        ApiErrorKind::QuantityOutOfRange,
        ApiErrorKind::IncorrectLink,
        ApiErrorKind::ActiveOrderOnLink,
        ApiErrorKind::RefillNotPossible,
        ApiErrorKind::CancelNotPossible,
        ApiErrorKind::RateLimited,
        ApiErrorKind::IncorrectRequest,
        ApiErrorKind::Other,
    ];

    /// The stable machine-readable name of the kind.
    ///
    /// ```
    /// use smmkit_provider_core::ApiErrorKind;
    /// assert_eq!(ApiErrorKind::InsufficientFunds.as_str(), "insufficient_funds");
    /// ```
    pub const fn as_str(self) -> &'static str {
        match self {
            ApiErrorKind::InvalidKey => "invalid_key",
            ApiErrorKind::InsufficientFunds => "insufficient_funds",
            ApiErrorKind::IncorrectOrderId => "incorrect_order_id",
            ApiErrorKind::IncorrectRefillId => "incorrect_refill_id",
            ApiErrorKind::IncorrectService => "incorrect_service",
            ApiErrorKind::QuantityOutOfRange => "quantity_out_of_range",
            ApiErrorKind::IncorrectLink => "incorrect_link",
            ApiErrorKind::ActiveOrderOnLink => "active_order_on_link",
            ApiErrorKind::RefillNotPossible => "refill_not_possible",
            ApiErrorKind::CancelNotPossible => "cancel_not_possible",
            ApiErrorKind::RateLimited => "rate_limited",
            ApiErrorKind::IncorrectRequest => "incorrect_request",
            ApiErrorKind::Other => "other",
        }
    }

    /// Recognises the kind of a panel's error text.
    ///
    /// ```
    /// use smmkit_provider_core::ApiErrorKind;
    /// assert_eq!(ApiErrorKind::from_message("Not enough funds on balance"), ApiErrorKind::InsufficientFunds);
    /// assert_eq!(ApiErrorKind::from_message("Quantity less than minimal 100"), ApiErrorKind::QuantityOutOfRange);
    /// assert_eq!(ApiErrorKind::from_message("Something new"), ApiErrorKind::Other);
    /// // Several messages joined with "; ": the first one recognised counts.
    /// assert_eq!(ApiErrorKind::from_message("Incorrect link; Quantity less than minimal 100"), ApiErrorKind::IncorrectLink);
    /// ```
    pub fn from_message(text: &str) -> ApiErrorKind {
        text.split("; ")
            .map(ApiErrorKind::from_one_message)
            .find(|k| *k != ApiErrorKind::Other)
            .unwrap_or(ApiErrorKind::Other)
    }

    fn from_one_message(text: &str) -> ApiErrorKind {
        let t = text.to_lowercase();
        let has = |needle: &str| t.contains(needle);
        if has("api key") || has("invalid key") || has("incorrect key") || has("wrong key") {
            ApiErrorKind::InvalidKey
        } else if has("not enough funds") || has("insufficient") || has("low balance") {
            ApiErrorKind::InsufficientFunds
        } else if has("refill not found") || has("incorrect refill") || has("invalid refill") {
            ApiErrorKind::IncorrectRefillId
        } else if has("incorrect order") || has("invalid order id") || has("order not found") {
            ApiErrorKind::IncorrectOrderId
        } else if has("incorrect service") || has("invalid service") || has("service not found") {
            ApiErrorKind::IncorrectService
        } else if has("quantity")
            && (has("minimal")
                || has("minimum")
                || has("maximum")
                || has("less than")
                || has("more than"))
        {
            ApiErrorKind::QuantityOutOfRange
        } else if has("incorrect link") || has("invalid link") || has("wrong link") {
            ApiErrorKind::IncorrectLink
        } else if has("active order") {
            ApiErrorKind::ActiveOrderOnLink
        } else if has("refill") {
            ApiErrorKind::RefillNotPossible
        } else if has("cancel") {
            ApiErrorKind::CancelNotPossible
        } else if has("too many requests") || has("rate limit") {
            ApiErrorKind::RateLimited
        } else if has("incorrect request") || has("invalid request") || has("bad request") {
            ApiErrorKind::IncorrectRequest
        } else {
            ApiErrorKind::Other
        }
    }
}

impl fmt::Display for ApiErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An order or an argument that cannot be sent as it is.
///
/// ```
/// use smmkit_provider_core::{Order, OrderRequest, ServiceId};
/// let bad = OrderRequest::new(ServiceId(1), Order::Default { link: " ".into(), quantity: 100, dripfeed: None });
/// let err = bad.validate().unwrap_err();
/// assert_eq!(err.field(), Some("link"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}{message}", field.as_deref().map(|f| format!("`{f}`: ")).unwrap_or_default())]
pub struct ValidationError {
    field: Option<String>,
    message: String,
    type_error: bool,
}

impl ValidationError {
    /// An error about one field of a request.
    pub fn field(&self) -> Option<&str> {
        self.field.as_deref()
    }

    /// What is wrong, in words.
    pub fn message(&self) -> &str {
        &self.message
    }

    /// Whether the value given was of the wrong kind (a number where text
    /// is needed, a list where a number is), rather than a wrong value of
    /// the right kind: Python raises these as `TypeError`s too.
    pub fn is_type_error(&self) -> bool {
        self.type_error
    }

    /// A validation error about `field`.
    pub fn for_field(field: impl Into<String>, message: impl Into<String>) -> Self {
        ValidationError {
            field: Some(field.into()),
            message: message.into(),
            type_error: false,
        }
    }

    /// A value of the wrong kind given for `field`.
    pub fn wrong_type(field: impl Into<String>, message: impl Into<String>) -> Self {
        ValidationError {
            type_error: true,
            ..ValidationError::for_field(field, message)
        }
    }

    /// A validation error about the request as a whole.
    pub fn general(message: impl Into<String>) -> Self {
        ValidationError {
            field: None,
            message: message.into(),
            type_error: false,
        }
    }
}

/// Everything that can go wrong talking to a panel.
///
/// Every variant can be matched on; [`Error::kind`] and [`Error::code`] give
/// stable strings for programs and for the Python and Node bindings. No
/// variant ever holds the API key: transport errors are stripped of URLs and
/// every text a client builds is redacted before it is returned.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The panel could not be reached or the connection failed.
    #[error("{action}: transport error: {message}")]
    Transport {
        /// The action that was being performed.
        action: Action,
        /// What failed, without URL or key.
        message: String,
        /// True when the connection was never established, so nothing was sent.
        not_sent: bool,
    },
    /// No complete answer came within the configured time.
    #[error("{action}: no complete answer within {}", fmt_duration(*.after))]
    Timeout {
        /// The action that was being performed.
        action: Action,
        /// The time limit that ran out.
        after: Duration,
    },
    /// The panel answered with an HTTP error status: any 5xx (whatever
    /// the body says), or another error status without a refusal in the
    /// body.
    #[error("{action}: the panel answered HTTP {status}: {}{}", panel_message.as_deref().filter(|m| !m.trim().is_empty()).unwrap_or(snippet), fmt_retry_after(*retry_after))]
    HttpStatus {
        /// The action that was being performed.
        action: Action,
        /// The HTTP status code.
        status: u16,
        /// The panel's own text, when the body states one.
        panel_message: Option<String>,
        /// The start of the body, key-free.
        snippet: String,
        /// How long the panel asked to wait before trying again.
        retry_after: Option<Duration>,
    },
    /// The answer is not what the action returns (HTML, truncated, wrong shape).
    #[error("{action}: could not decode the panel's answer: {message}; body starts: {snippet}")]
    Decode {
        /// The action whose answer could not be decoded.
        action: Action,
        /// What was wrong.
        message: String,
        /// The start of the body, key-free.
        snippet: String,
    },
    /// The answer was larger than the configured cap.
    #[error("{action}: the answer is larger than the cap of {limit} bytes")]
    ResponseTooLarge {
        /// The action that was being performed.
        action: Action,
        /// The cap, in bytes.
        limit: usize,
    },
    /// The panel refused the request (`{"error": "..."}` and the other
    /// shapes of a refusal, or HTTP 429): nothing was done.
    #[error("{action}: the panel refused ({kind}): {}{}", if message.trim().is_empty() { "(no message)" } else { message }, fmt_retry_after(*retry_after))]
    Api {
        /// The action that was refused.
        action: Action,
        /// What the refusal means.
        kind: ApiErrorKind,
        /// The panel's own text (empty when it gave none).
        message: String,
        /// How long the panel asked to wait before trying again (rate
        /// limits).
        retry_after: Option<Duration>,
    },
    /// The request was not sent because it is invalid.
    #[error("invalid request: {0}")]
    Validation(#[from] ValidationError),
    /// An `add` was sent but its result cannot be known: the order may exist.
    ///
    /// Check the panel (for example the orders on the same link) before
    /// ordering again; ordering again blindly can buy the same thing twice.
    #[error("add: the order may or may not have been placed ({request}): {cause}")]
    OutcomeUnknown {
        /// What was sent, without the key.
        request: Box<OrderRequest>,
        /// Why the result is unknown.
        cause: Box<Error>,
    },
    /// A client was configured with an invalid value.
    #[error("invalid configuration: {0}")]
    Config(String),
    /// The order journal could not be opened, read or written.
    ///
    /// When it happens in a journaled `add`, `not_sent` says whether the
    /// order was held back (its intent could not be recorded: nothing was
    /// sent), and `placed` carries the order's id when the panel placed it
    /// but the journal could not record that.
    #[error("journal: {message}")]
    Journal {
        /// What failed, without any password of the journal's URL.
        message: String,
        /// True when no order was sent because of this error.
        not_sent: bool,
        /// The id of an order the panel placed that the journal could not
        /// record.
        placed: Option<OrderId>,
    },
    /// Every panel of a route refused an order, or could not take it:
    /// nothing was placed. Each reason is listed.
    #[error("route `{route}`: no panel placed the order: {}", reasons.join("; "))]
    RouteExhausted {
        /// The route's name.
        route: String,
        /// Why each panel did not place it (`panel: reason`).
        reasons: Vec<String>,
    },
    /// An idempotency key was given again with a different order: nothing
    /// was sent.
    #[error("idempotency key `{key}` was already used for a different order: {message}")]
    IdempotencyConflict {
        /// The key.
        key: String,
        /// How the orders differ.
        message: String,
    },
}

fn fmt_retry_after(after: Option<Duration>) -> String {
    match after {
        Some(d) => format!(
            " (the panel asks to wait {} before retrying)",
            fmt_duration(d)
        ),
        None => String::new(),
    }
}

fn fmt_duration(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{}s", d.as_secs())
    } else {
        format!("{}ms", d.as_millis())
    }
}

impl Error {
    /// Every value [`Error::kind`] returns.
    pub const KINDS: [&'static str; 12] = [
        "transport",
        "timeout",
        "http_status",
        "decode",
        "response_too_large",
        "api",
        "validation",
        "outcome_unknown",
        "config",
        "journal",
        "idempotency_conflict",
        "route_exhausted",
    ];

    /// The stable machine-readable kind of the error.
    ///
    /// ```
    /// use smmkit_provider_core::{Action, ApiErrorKind, Error};
    /// let e = Error::Api { action: Action::Add, kind: ApiErrorKind::InsufficientFunds, message: "Not enough funds on balance".into(), retry_after: None };
    /// assert_eq!(e.kind(), "api");
    /// assert_eq!(e.code(), "insufficient_funds");
    /// ```
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Transport { .. } => "transport",
            Error::Timeout { .. } => "timeout",
            Error::HttpStatus { .. } => "http_status",
            Error::Decode { .. } => "decode",
            Error::ResponseTooLarge { .. } => "response_too_large",
            Error::Api { .. } => "api",
            Error::Validation(_) => "validation",
            Error::OutcomeUnknown { .. } => "outcome_unknown",
            Error::Config(_) => "config",
            Error::Journal { .. } => "journal",
            Error::IdempotencyConflict { .. } => "idempotency_conflict",
            Error::RouteExhausted { .. } => "route_exhausted",
        }
    }

    /// The most precise stable code: the [`ApiErrorKind`] for API errors,
    /// the [`kind`](Error::kind) otherwise.
    pub fn code(&self) -> &'static str {
        match self {
            Error::Api { kind, .. } => kind.as_str(),
            other => other.kind(),
        }
    }

    /// The API error kind, for [`Error::Api`].
    pub fn api_kind(&self) -> Option<ApiErrorKind> {
        match self {
            Error::Api { kind, .. } => Some(*kind),
            _ => None,
        }
    }

    /// The action the error happened in, where there is one.
    pub fn action(&self) -> Option<Action> {
        match self {
            Error::Transport { action, .. }
            | Error::Timeout { action, .. }
            | Error::HttpStatus { action, .. }
            | Error::Decode { action, .. }
            | Error::ResponseTooLarge { action, .. }
            | Error::Api { action, .. } => Some(*action),
            Error::OutcomeUnknown { .. }
            | Error::IdempotencyConflict { .. }
            | Error::RouteExhausted { .. } => Some(Action::Add),
            Error::Validation(_) | Error::Config(_) | Error::Journal { .. } => None,
        }
    }

    /// The panel's own text: of a refusal ([`Error::Api`]), or of an
    /// error body that came with an HTTP error status.
    pub fn panel_message(&self) -> Option<&str> {
        match self {
            Error::Api { message, .. } => Some(message),
            Error::HttpStatus { panel_message, .. } => panel_message.as_deref(),
            _ => None,
        }
    }

    /// How long the panel asked to wait before trying again, when it did.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Error::Api { retry_after, .. } | Error::HttpStatus { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// Whether a read that failed this way may succeed if sent again:
    /// transport errors, timeouts, HTTP 5xx and 429, rate limits, and
    /// bodies that were cut off or replaced by an HTML page.
    pub fn is_transient(&self) -> bool {
        match self {
            Error::Transport { .. } | Error::Timeout { .. } => true,
            Error::HttpStatus { status, .. } => *status >= 500 || *status == 429,
            Error::Api { kind, .. } => *kind == ApiErrorKind::RateLimited,
            Error::Decode { message, .. } => {
                message.starts_with(HTML_PAGE) || message.starts_with(TRUNCATED)
            }
            _ => false,
        }
    }

    /// Builds an API error from a panel's text, recognising its kind.
    pub fn api(action: Action, message: impl Into<String>) -> Error {
        let message = message.into();
        Error::Api {
            action,
            kind: ApiErrorKind::from_message(&message),
            message,
            retry_after: None,
        }
    }

    /// Removes `secret`, in every spelling a panel may echo it in (see
    /// [`Redactor`]), from the texts of the error.
    ///
    /// Clients call this with their API key before returning any error, as
    /// a second line of defence behind never putting the key in a text.
    ///
    /// ```
    /// use smmkit_provider_core::{Action, Error};
    /// let e = Error::Transport { action: Action::Balance, message: "GET /api/v2?key=s3cr3t%2Ftest".into(), not_sent: true };
    /// assert!(!e.redacted("s3cr3t/test").to_string().contains("s3cr3t"));
    /// ```
    #[must_use]
    pub fn redacted(self, secret: &str) -> Error {
        self.redacted_with(&Redactor::new(secret))
    }

    /// [`Error::redacted`] with a redactor built once.
    #[must_use]
    pub fn redacted_with(mut self, redactor: &Redactor) -> Error {
        self.redact(redactor);
        self
    }

    fn redact(&mut self, r: &Redactor) {
        if r.is_empty() {
            return;
        }
        match self {
            Error::Transport { message, .. }
            | Error::Api { message, .. }
            | Error::Config(message)
            | Error::Journal { message, .. } => r.scrub(message),
            Error::IdempotencyConflict { key, message } => {
                r.scrub(key);
                r.scrub(message);
            }
            Error::RouteExhausted { reasons, .. } => reasons.iter_mut().for_each(|m| r.scrub(m)),
            Error::HttpStatus {
                snippet,
                panel_message,
                ..
            } => {
                r.scrub(snippet);
                if let Some(m) = panel_message {
                    r.scrub(m);
                }
            }
            Error::Decode {
                message, snippet, ..
            } => {
                r.scrub(message);
                r.scrub(snippet);
            }
            Error::Validation(v) => r.scrub(&mut v.message),
            Error::OutcomeUnknown { request, cause } => {
                request.redact(r);
                cause.redact(r);
            }
            Error::Timeout { .. } | Error::ResponseTooLarge { .. } => {}
        }
    }
}

impl Error {
    /// Every code [`Error::code`] returns: each kind but `api`, and each
    /// [`ApiErrorKind`]. The bindings check that each has its class.
    pub fn codes() -> impl Iterator<Item = &'static str> {
        Error::KINDS
            .into_iter()
            .filter(|k| *k != "api")
            .chain(ApiErrorKind::ALL.into_iter().map(ApiErrorKind::as_str))
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

impl Serialize for Error {
    /// The one payload of an error, as the command line's `--json` prints
    /// it and the bindings rebuild it: `kind`, `code`, `action` and the
    /// one-line `message`, then every attribute of the variant, in
    /// snake_case: `not_sent` (transport); `after_ms` (timeout); `status`,
    /// `panel_message`, `snippet`, `retry_after_ms` (HTTP status);
    /// `reason`, `snippet` (decode); `limit` (too large); `panel_message`,
    /// `retry_after_ms` (API); `field`, `type_error` (validation);
    /// `request`, `cause` (outcome unknown); `not_sent`, `placed`
    /// (journal); `key` (idempotency conflict); `route`, `reasons` (route
    /// exhausted).
    ///
    /// ```
    /// use smmkit_provider_core::{Action, Error};
    /// let e = Error::Transport { action: Action::Add, message: "connection refused".into(), not_sent: true };
    /// let v = serde_json::to_value(&e)?;
    /// assert_eq!(v["code"], "transport");
    /// assert_eq!(v["not_sent"], true);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("kind", self.kind())?;
        m.serialize_entry("code", self.code())?;
        m.serialize_entry("action", &self.action())?;
        m.serialize_entry("message", &self.to_string())?;
        match self {
            Error::Transport { not_sent, .. } => m.serialize_entry("not_sent", not_sent)?,
            Error::Timeout { after, .. } => m.serialize_entry("after_ms", &millis(*after))?,
            Error::HttpStatus {
                status,
                panel_message,
                snippet,
                retry_after,
                ..
            } => {
                m.serialize_entry("status", status)?;
                m.serialize_entry("panel_message", panel_message)?;
                m.serialize_entry("snippet", snippet)?;
                m.serialize_entry("retry_after_ms", &retry_after.map(millis))?;
            }
            Error::Decode {
                message, snippet, ..
            } => {
                m.serialize_entry("reason", message)?;
                m.serialize_entry("snippet", snippet)?;
            }
            Error::ResponseTooLarge { limit, .. } => m.serialize_entry("limit", limit)?,
            Error::Api {
                message,
                retry_after,
                ..
            } => {
                m.serialize_entry("panel_message", message)?;
                m.serialize_entry("retry_after_ms", &retry_after.map(millis))?;
            }
            Error::Validation(v) => {
                m.serialize_entry("field", &v.field)?;
                m.serialize_entry("type_error", &v.type_error)?;
            }
            Error::OutcomeUnknown { request, cause } => {
                m.serialize_entry("request", request)?;
                m.serialize_entry("cause", cause)?;
            }
            Error::Journal {
                not_sent, placed, ..
            } => {
                m.serialize_entry("not_sent", not_sent)?;
                m.serialize_entry("placed", placed)?;
            }
            Error::IdempotencyConflict { key, .. } => m.serialize_entry("key", key)?,
            Error::RouteExhausted { route, reasons } => {
                m.serialize_entry("route", route)?;
                m.serialize_entry("reasons", reasons)?;
            }
            Error::Config(_) => {}
        }
        m.end()
    }
}

/// The message of a decode error for an HTML page instead of JSON.
pub(crate) const HTML_PAGE: &str = "expected JSON, got an HTML page";
/// The message of a decode error for a body that ends early.
pub(crate) const TRUNCATED: &str = "the body ends before the JSON does";

/// A result with smmkit's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_seen_error_text_has_its_kind() {
        let cases = [
            ("Incorrect request", ApiErrorKind::IncorrectRequest),
            ("Invalid API key", ApiErrorKind::InvalidKey),
            ("Incorrect order ID", ApiErrorKind::IncorrectOrderId),
            ("Incorrect service ID", ApiErrorKind::IncorrectService),
            (
                "Not enough funds on balance",
                ApiErrorKind::InsufficientFunds,
            ),
            (
                "Quantity less than minimal 100",
                ApiErrorKind::QuantityOutOfRange,
            ),
            (
                "Quantity more than maximum 10000",
                ApiErrorKind::QuantityOutOfRange,
            ),
            ("Incorrect link", ApiErrorKind::IncorrectLink),
            (
                "You have active order with this link. Please wait until order being completed.",
                ApiErrorKind::ActiveOrderOnLink,
            ),
            ("Refill not found", ApiErrorKind::IncorrectRefillId),
            (
                "Order not eligible for refill.",
                ApiErrorKind::RefillNotPossible,
            ),
            ("insufficient_funds", ApiErrorKind::InsufficientFunds),
            ("Too Many Requests", ApiErrorKind::RateLimited),
            ("Order can not be canceled", ApiErrorKind::CancelNotPossible),
            ("Бесплатно", ApiErrorKind::Other),
        ];
        for (text, kind) in cases {
            assert_eq!(ApiErrorKind::from_message(text), kind, "{text}");
        }
    }

    #[test]
    fn every_variant_serialises_its_attributes() {
        let api = serde_json::to_value(Error::Api {
            action: Action::Balance,
            kind: ApiErrorKind::RateLimited,
            message: "slow down".into(),
            retry_after: Some(Duration::from_secs(3)),
        })
        .unwrap();
        assert_eq!(api["panel_message"], "slow down");
        assert_eq!(api["retry_after_ms"], 3000);
        assert_eq!(api["code"], "rate_limited");
        let v = serde_json::to_value(Error::from(ValidationError::wrong_type(
            "link",
            "must be a string",
        )))
        .unwrap();
        assert_eq!(
            (v["field"].as_str(), v["type_error"].as_bool()),
            (Some("link"), Some(true))
        );
        let codes: Vec<&str> = Error::codes().collect();
        assert_eq!(
            codes.len(),
            Error::KINDS.len() - 1 + ApiErrorKind::ALL.len()
        );
        assert!(codes.contains(&"outcome_unknown") && codes.contains(&"insufficient_funds"));
        assert!(!codes.contains(&"api"));
    }

    #[test]
    fn kinds_are_stable_and_distinct() {
        let mut names: Vec<_> = ApiErrorKind::ALL.iter().map(|k| k.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ApiErrorKind::ALL.len());
        let e = Error::Config("x".into());
        assert!(Error::KINDS.contains(&e.kind()));
    }

    #[test]
    fn transient_errors_are_the_retryable_ones() {
        let http = |status| Error::HttpStatus {
            action: Action::Status,
            status,
            panel_message: None,
            snippet: String::new(),
            retry_after: None,
        };
        assert!(http(502).is_transient());
        assert!(http(429).is_transient());
        assert!(!http(404).is_transient());
        let decode = |message: &str| Error::Decode {
            action: Action::Status,
            message: message.to_owned(),
            snippet: String::new(),
        };
        assert!(decode(HTML_PAGE).is_transient());
        assert!(!decode("missing field `status`").is_transient());
        assert!(!Error::api(Action::Status, "Incorrect order ID").is_transient());
        assert!(Error::api(Action::Status, "Too many requests").is_transient());
    }

    #[test]
    fn display_is_one_clear_line() {
        let e = Error::Timeout {
            action: Action::Balance,
            after: Duration::from_secs(30),
        };
        assert_eq!(e.to_string(), "balance: no complete answer within 30s");
        let v = Error::from(ValidationError::for_field("quantity", "must be at least 1"));
        assert_eq!(
            v.to_string(),
            "invalid request: `quantity`: must be at least 1"
        );
    }
}
