//! Several panels for Python: `smmkit.Fleet` and `smmkit.AsyncFleet` wrap
//! it. Each method is one call of the core's [`smmkit::fleet::call`];
//! results come back as Python values, amounts as `Decimal`.

use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use smmkit::fleet::{Fleet, Route};
use smmkit::{Action, Error, Journal};

use crate::client::{Client, Cut, finish};
use crate::convert::to_json;
use crate::errors::to_pyerr;
use crate::journal::{PyJournal, typed};
use crate::runtime::runtime;

/// Several named panels with routes between them.
#[pyclass(frozen, module = "smmkit._native", name = "Fleet")]
pub(crate) struct PyFleet {
    fleet: Fleet,
    journal: Option<Py<PyJournal>>,
    made_in: u32,
}

#[pymethods]
impl PyFleet {
    /// A fleet of `panels` (a dict of names and clients), with `routes`
    /// (a dict of names and `{"strategy", "services"}`), journaled in the
    /// journal at `journal` when given.
    #[staticmethod]
    #[pyo3(signature = (panels, routes, journal))]
    fn create(
        py: Python<'_>,
        panels: &Bound<'_, PyDict>,
        routes: &Bound<'_, PyAny>,
        journal: Option<String>,
    ) -> PyResult<PyFleet> {
        let opened = match journal {
            Some(url) => {
                let runtime = runtime()?;
                Some(
                    py.detach(|| runtime.block_on(Journal::open(&url)))
                        .map_err(|e| to_pyerr(py, &e))?,
                )
            }
            None => None,
        };
        let mut fleet = Fleet::new(opened.clone());
        for (name, client) in panels.iter() {
            let name: String = name.extract()?;
            let client = client.cast::<Client>().map_err(|_| {
                to_pyerr(
                    py,
                    &Error::Config(format!(
                        "panel `{name}` must be a smmkit client (PerfectPanel, Fampage or their async twins)"
                    )),
                )
            })?;
            fleet
                .add_panel(name, Arc::new(client.get().raw_panel()))
                .map_err(|e| to_pyerr(py, &e))?;
        }
        if let serde_json::Value::Object(all) = to_json(routes, "routes")? {
            for (name, table) in all {
                let route = Route::from_value(&name, &table).map_err(|e| to_pyerr(py, &e))?;
                fleet.add_route(route).map_err(|e| to_pyerr(py, &e))?;
            }
        }
        let journal = opened.map(|j| Py::new(py, PyJournal::new(j))).transpose()?;
        Ok(PyFleet {
            fleet,
            journal,
            made_in: std::process::id(),
        })
    }

    /// The panels' names.
    #[getter]
    fn panels<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        PyList::new(py, self.fleet.panels())
    }

    /// The fleet's journal, when it has one.
    #[getter]
    fn journal(&self, py: Python<'_>) -> Option<Py<PyJournal>> {
        self.journal.as_ref().map(|j| j.clone_ref(py))
    }

    fn __repr__(&self) -> String {
        format!("Fleet(panels={:?})", self.fleet.panels())
    }

    /// Calls the fleet's method `method` with `args` (a dict), blocking or
    /// as an awaitable.
    fn call(
        &self,
        py: Python<'_>,
        awaitable: bool,
        method: String,
        args: &Bound<'_, PyAny>,
    ) -> PyResult<Py<PyAny>> {
        if std::process::id() != self.made_in {
            return Err(to_pyerr(
                py,
                &Error::Config(
                    "this fleet was made before the process forked; make a new one in this process"
                        .into(),
                ),
            ));
        }
        let args = to_json(args, "arguments")?;
        let fleet = self.fleet.clone();
        finish(
            py,
            awaitable,
            // A fleet's `add` places an order; its other methods read.
            if method == "add" {
                Cut::of(Action::Add)
            } else {
                Cut::Anytime
            },
            async move { smmkit::fleet::call(&fleet, &method, &args).await },
            |py, v| Ok(typed(py, None, &v)?.unbind()),
        )
    }
}
