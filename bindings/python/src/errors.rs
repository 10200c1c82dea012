//! smmkit errors as instances of the classes of `smmkit.errors`.
//!
//! The core writes every error as one payload (its `Serialize`: kind,
//! code, action, message and each attribute of the variant);
//! `smmkit.errors` picks the class from the code and sets the attributes.
//! Nothing here knows the variants.

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use smmkit::Error;

static FROM_PAYLOAD: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// The exception object for an error, not raised: batch results hold them.
pub(crate) fn error_object<'py>(py: Python<'py>, e: &Error) -> PyResult<Bound<'py, PyAny>> {
    let build = FROM_PAYLOAD.get_or_try_init(py, || {
        Ok::<_, PyErr>(
            py.import("smmkit.errors")?
                .getattr("_from_payload")?
                .unbind(),
        )
    })?;
    let payload = serde_json::to_value(e)
        .map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(e.to_string()))?;
    build.bind(py).call1((crate::convert::json(py, &payload)?,))
}

/// The exception to raise for an error.
pub(crate) fn to_pyerr(py: Python<'_>, e: &Error) -> PyErr {
    match error_object(py, e) {
        Ok(obj) => PyErr::from_value(obj),
        Err(err) => err,
    }
}
