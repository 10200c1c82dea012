//! The order journal for Python: `smmkit.Journal` and `smmkit.AsyncJournal`
//! wrap it. Each method is one call of the core's
//! [`smmkit::journal::call`], which reads the arguments; the result comes
//! back as Python values: amounts as `Decimal`, times as aware `datetime`
//! in UTC, errors as instances of `smmkit.errors`.

use pyo3::IntoPyObjectExt;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList};
use serde_json::Value;
use smmkit::{Error, Journal};

use crate::client::{Cut, finish};
use crate::convert::{decimal, json, to_json};
use crate::errors::to_pyerr;
use crate::runtime::runtime;

/// The keys whose values are amounts.
const AMOUNTS: [&str; 9] = [
    "charge", "charged", "amount", "old_rate", "new_rate", "rate", "cost", "sale", "margin",
];
/// The keys whose values are moments.
const MOMENTS: [&str; 7] = [
    "created_at",
    "updated_at",
    "resolved_at",
    "polled_at",
    "cancel_requested_at",
    "fetched_at",
    "at",
];

static FROM_PAYLOAD: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
static FROM_TIMESTAMP: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

/// A moment written as RFC 3339 as an aware `datetime` in UTC.
fn moment<'py>(py: Python<'py>, text: &str) -> PyResult<Bound<'py, PyAny>> {
    let parse = FROM_TIMESTAMP.get_or_try_init(py, || {
        Ok::<_, PyErr>(
            py.import("datetime")?
                .getattr("datetime")?
                .getattr("fromisoformat")?
                .unbind(),
        )
    })?;
    // `fromisoformat` of Python 3.10 does not read a `Z`.
    let text = text
        .strip_suffix('Z')
        .map_or_else(|| text.to_owned(), |t| format!("{t}+00:00"));
    parse.bind(py).call1((text,))
}

/// A journal result as Python values (see the module's documentation).
pub(crate) fn typed<'py>(
    py: Python<'py>,
    key: Option<&str>,
    v: &Value,
) -> PyResult<Bound<'py, PyAny>> {
    match (key, v) {
        (Some(k), Value::String(s)) if AMOUNTS.contains(&k) => match s.parse() {
            Ok(d) => decimal(py, &d),
            Err(_) => s.into_bound_py_any(py),
        },
        (Some(k), Value::String(s)) if MOMENTS.contains(&k) => moment(py, s),
        (Some("error"), Value::Object(_)) => {
            let build = FROM_PAYLOAD.get_or_try_init(py, || {
                Ok::<_, PyErr>(
                    py.import("smmkit.errors")?
                        .getattr("_from_payload")?
                        .unbind(),
                )
            })?;
            build.bind(py).call1((json(py, v)?,))
        }
        // The order as its fields, as given to `add`.
        (Some("request" | "metadata" | "extra"), _) => json(py, v),
        (_, Value::Array(items)) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(typed(py, None, item)?)?;
            }
            Ok(list.into_any())
        }
        (_, Value::Object(map)) => {
            let dict = PyDict::new(py);
            for (k, item) in map {
                dict.set_item(k, typed(py, Some(k), item)?)?;
            }
            Ok(dict.into_any())
        }
        _ => json(py, v),
    }
}

/// An order journal (`sqlite://FILE`, `sqlite::memory:`, `postgres://…`).
#[pyclass(frozen, module = "smmkit._native", name = "Journal")]
pub(crate) struct PyJournal {
    pub(crate) journal: Journal,
    made_in: u32,
}

impl PyJournal {
    pub(crate) fn new(journal: Journal) -> PyJournal {
        PyJournal {
            journal,
            made_in: std::process::id(),
        }
    }

    fn journal(&self, py: Python<'_>) -> PyResult<Journal> {
        if std::process::id() != self.made_in {
            return Err(to_pyerr(
                py,
                &Error::Config(
                    "this journal was opened before the process forked; open it again in this process"
                        .into(),
                ),
            ));
        }
        Ok(self.journal.clone())
    }
}

#[pymethods]
impl PyJournal {
    /// Opens (creating or upgrading) the journal at `url`, blocking.
    #[staticmethod]
    fn open(py: Python<'_>, url: &str) -> PyResult<PyJournal> {
        let runtime = runtime()?;
        let url = url.to_owned();
        let journal = py
            .detach(|| runtime.block_on(Journal::open(&url)))
            .map_err(|e| to_pyerr(py, &e))?;
        Ok(PyJournal::new(journal))
    }

    /// The journal's URL, without its password.
    #[getter]
    fn url(&self) -> &str {
        self.journal.url()
    }

    /// `"sqlite"` or `"postgres"`.
    #[getter]
    fn backend(&self) -> &'static str {
        self.journal.backend().as_str()
    }

    fn __repr__(&self) -> String {
        format!("Journal('{}')", self.journal.url())
    }

    /// Calls the journal's method `method` with the arguments `args` (a
    /// dict), blocking or as an awaitable.
    fn call(
        &self,
        py: Python<'_>,
        awaitable: bool,
        method: String,
        args: &Bound<'_, PyAny>,
    ) -> PyResult<Py<PyAny>> {
        let args = to_json(args, "arguments")?;
        let journal = self.journal(py)?;
        finish(
            py,
            awaitable,
            Cut::Anytime,
            async move { smmkit::journal::call(&journal, &method, &args).await },
            |py, v| Ok(typed(py, None, &v)?.unbind()),
        )
    }
}
