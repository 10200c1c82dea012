//! smmkit for Python: the native module `smmkit._native`.
//!
//! Thin by design: it converts Python arguments, calls the Rust client and
//! converts its results. The `smmkit` package adds the Python classes
//! around it.

#![allow(unsafe_code)] // pyo3's macros expand to FFI glue

mod client;
mod convert;
mod errors;
mod fleet;
mod journal;
mod models;
mod runtime;
mod sandbox;

use pyo3::IntoPyObjectExt;
use pyo3::prelude::*;

/// Decoding a catalog allocates a few strings per service; mimalloc halves
/// what that costs next to the system allocator (see bench/README.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use smmkit::wire::{Decoded, Payload, decode as decode_body};

use crate::convert::{Words, entries, word};
use crate::errors::to_pyerr;
use crate::models::{PyBalance, PyCancelRequested, PyOrderStatus, PyQuote, PyService};

/// Decodes a body as the answer `payload` names (`"services"`,
/// `"statuses"`, ...), giving what the client gives for it.
#[pyfunction]
fn decode(py: Python<'_>, payload: &str, body: &[u8]) -> PyResult<Py<PyAny>> {
    let kind = Payload::parse(payload).ok_or_else(|| {
        let names: Vec<&str> = Payload::ALL.iter().map(|p| p.as_str()).collect();
        pyo3::exceptions::PyValueError::new_err(format!(
            "unknown payload {payload:?}: one of {}",
            names.join(", ")
        ))
    })?;
    let decoded = decode_body(kind, body).map_err(|e| to_pyerr(py, &e))?;
    match decoded {
        Decoded::Services(list) => PyService::service_list(py, list)?.into_py_any(py),
        Decoded::Add(id) => id.get().into_py_any(py),
        Decoded::Status(s) => PyOrderStatus(s).into_py_any(py),
        Decoded::Statuses(all) => entries(py, all, |py, s| PyOrderStatus(s).into_py_any(py)),
        Decoded::Refill(id) => id.get().into_py_any(py),
        Decoded::Refills(all) => entries(py, all, |py, r| r.get().into_py_any(py)),
        Decoded::RefillStatus(s) => Ok(word(py, Words::RefillState, s.as_str())?.unbind()),
        Decoded::RefillStatuses(all) => entries(py, all, |py, s| {
            Ok(word(py, Words::RefillState, s.as_str())?.unbind())
        }),
        Decoded::Cancel(c) => PyCancelRequested(c).into_py_any(py),
        Decoded::Cancels(all) => entries(py, all, |py, c| PyCancelRequested(c).into_py_any(py)),
        Decoded::Balance(b) => PyBalance(b).into_py_any(py),
    }
}

/// Every error code the core gives, for the parity check of
/// `smmkit.errors`.
#[pyfunction]
fn error_codes() -> Vec<&'static str> {
    smmkit::Error::codes().collect()
}

/// The words of the core's tables, for the parity check of `smmkit.enums`:
/// `service_types`, `order_states`, `refill_states` and `order_forms`.
#[pyfunction]
fn word_lists() -> Vec<(&'static str, Vec<String>)> {
    vec![
        (
            "service_types",
            smmkit::ServiceType::known()
                .map(|t| t.as_str().to_owned())
                .collect(),
        ),
        (
            "order_states",
            smmkit::OrderState::known()
                .map(|t| t.as_str().to_owned())
                .collect(),
        ),
        (
            "refill_states",
            smmkit::RefillState::known()
                .map(|t| t.as_str().to_owned())
                .collect(),
        ),
        (
            "order_forms",
            smmkit::OrderForm::ALL
                .iter()
                .map(|k| k.as_str().to_owned())
                .collect(),
        ),
    ]
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<client::Client>()?;
    m.add_class::<journal::PyJournal>()?;
    m.add_class::<fleet::PyFleet>()?;
    m.add_class::<sandbox::PySandbox>()?;
    m.add_class::<PyService>()?;
    m.add_class::<PyOrderStatus>()?;
    m.add_class::<PyBalance>()?;
    m.add_class::<PyCancelRequested>()?;
    m.add_class::<PyQuote>()?;
    m.add_function(wrap_pyfunction!(decode, m)?)?;
    m.add_function(wrap_pyfunction!(error_codes, m)?)?;
    m.add_function(wrap_pyfunction!(word_lists, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    // Before the interpreter is torn down, no task of the runtime may be
    // in Python, nor enter it after.
    let close = wrap_pyfunction!(runtime::close, m)?;
    m.py()
        .import("atexit")?
        .call_method1("register", (close,))?;
    Ok(())
}
