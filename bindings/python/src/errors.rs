//! smmkit errors as instances of the classes of `smmkit.errors`.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyModule};
use smmkit::{ApiErrorKind, Error};

static ERRORS: PyOnceLock<Py<PyModule>> = PyOnceLock::new();

/// The class for an API error kind.
fn api_class(kind: ApiErrorKind) -> &'static str {
    match kind {
        ApiErrorKind::InvalidKey => "InvalidKey",
        ApiErrorKind::InsufficientFunds => "InsufficientFunds",
        ApiErrorKind::IncorrectOrderId => "IncorrectOrderId",
        ApiErrorKind::IncorrectRefillId => "IncorrectRefillId",
        ApiErrorKind::IncorrectService => "IncorrectService",
        ApiErrorKind::QuantityOutOfRange => "QuantityOutOfRange",
        ApiErrorKind::IncorrectLink => "IncorrectLink",
        ApiErrorKind::ActiveOrderOnLink => "ActiveOrderOnLink",
        ApiErrorKind::RefillNotPossible => "RefillNotPossible",
        ApiErrorKind::CancelNotPossible => "CancelNotPossible",
        ApiErrorKind::RateLimited => "RateLimited",
        ApiErrorKind::IncorrectRequest => "IncorrectRequest",
        _ => "ApiError",
    }
}

/// The exception object for an error, not raised: batch results hold them.
pub(crate) fn error_object<'py>(py: Python<'py>, e: &Error) -> PyResult<Bound<'py, PyAny>> {
    let module = ERRORS
        .get_or_try_init(py, || Ok::<_, PyErr>(py.import("smmkit.errors")?.unbind()))?
        .bind(py);
    let kwargs = PyDict::new(py);
    kwargs.set_item("kind", e.kind())?;
    kwargs.set_item("code", e.code())?;
    kwargs.set_item("action", e.action().map(|a| a.as_str()))?;
    let class = match e {
        Error::Api { kind, message, .. } => {
            kwargs.set_item("panel_message", message)?;
            api_class(*kind)
        }
        Error::Transport { not_sent, .. } => {
            kwargs.set_item("not_sent", *not_sent)?;
            "TransportError"
        }
        Error::Timeout { after, .. } => {
            kwargs.set_item("after", after.as_secs_f64())?;
            "Timeout"
        }
        Error::HttpStatus { status, .. } => {
            kwargs.set_item("status", *status)?;
            "HttpStatusError"
        }
        Error::Decode { .. } => "DecodeError",
        Error::ResponseTooLarge { limit, .. } => {
            kwargs.set_item("limit", *limit)?;
            "ResponseTooLarge"
        }
        Error::Validation(v) => {
            kwargs.set_item("field", v.field())?;
            "ValidationError"
        }
        Error::OutcomeUnknown { request, cause } => {
            let request = serde_json::to_value(request.as_ref()).unwrap_or_default();
            kwargs.set_item("request", crate::convert::json(py, &request)?)?;
            kwargs.set_item("cause", error_object(py, cause)?)?;
            "OutcomeUnknown"
        }
        Error::Config(_) => "ConfigError",
        _ => "SmmError",
    };
    module.getattr(class)?.call((e.to_string(),), Some(&kwargs))
}

/// The exception to raise for an error.
pub(crate) fn to_pyerr(py: Python<'_>, e: &Error) -> PyErr {
    match error_object(py, e) {
        Ok(obj) => PyErr::from_value(obj),
        Err(err) => err,
    }
}
