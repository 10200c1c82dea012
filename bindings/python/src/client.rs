//! The client: every method once, run either blocking (the GIL released)
//! or as an awaitable on the process's one tokio runtime.

use std::future::Future;

use pyo3::IntoPyObjectExt;
use pyo3::prelude::*;
use smmkit::input::OrderInput;
use std::sync::Arc;

use smmkit::{
    Action, AddOptions, ClientConfig, Error, Journal, Journaled, OrderId, PerfectPanel, RefillId,
    ServiceLimits, SmmProvider, Spelling,
};

use crate::convert::{Ids, Words, one_id, to_json, word};
use crate::errors::to_pyerr;
use crate::journal::PyJournal;
use crate::models::{PyBalance, PyCancelRequested, PyOrderStatus, PyService};
use crate::runtime::runtime;

/// When a call may be cut short: by Ctrl-C (`KeyboardInterrupt`) while it
/// blocks, or by the cancelling of its awaitable.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cut {
    /// A read: stopped at once; nothing is lost.
    Anytime,
    /// A call that sends an order, a refill or a cancel: once started it
    /// runs to the panel's answer, which a journal records, since cut
    /// halfway nobody would know what the panel did. Ctrl-C takes effect
    /// when the answer is in; a cancelled awaitable leaves it running.
    AtAnswer,
}

impl Cut {
    /// How a call of `action` may be cut: at any time when it only reads
    /// ([`Action::is_read`]).
    pub(crate) const fn of(action: Action) -> Cut {
        if action.is_read() {
            Cut::Anytime
        } else {
            Cut::AtAnswer
        }
    }
}

/// How often a blocking call looks for Ctrl-C.
const SIGNAL_CHECK: std::time::Duration = std::time::Duration::from_millis(50);

/// Runs `fut` and converts its value, blocking with the GIL released, or
/// as an awaitable; `cut` says when it may be cut short.
pub(crate) fn finish<T, F, C>(
    py: Python<'_>,
    awaitable: bool,
    cut: Cut,
    fut: F,
    convert: C,
) -> PyResult<Py<PyAny>>
where
    T: Send + 'static,
    F: Future<Output = Result<T, Error>> + Send + 'static,
    C: FnOnce(Python<'_>, T) -> PyResult<Py<PyAny>> + Send + 'static,
{
    let runtime = runtime()?;
    if awaitable {
        let aw = crate::runtime::awaitable(py, async move {
            // Cancelling the awaitable drops this future; a call that must
            // reach its answer runs as a task of its own, not dropped.
            let result = match cut {
                Cut::Anytime => Ok(fut.await),
                Cut::AtAnswer => runtime.spawn(fut).await,
            };
            crate::runtime::while_python_runs(|| {
                Python::attach(|py| match result {
                    Ok(Ok(v)) => convert(py, v),
                    Ok(Err(e)) => Err(to_pyerr(py, &e)),
                    Err(stopped) if stopped.is_panic() => {
                        std::panic::resume_unwind(stopped.into_panic())
                    }
                    Err(stopped) => Err(pyo3::exceptions::PyRuntimeError::new_err(format!(
                        "the call was stopped: {stopped}"
                    ))),
                })
            })
            .unwrap_or_else(|| {
                Err(pyo3::exceptions::PyRuntimeError::new_err(
                    "Python is exiting",
                ))
            })
        })?;
        Ok(aw.unbind())
    } else {
        let result = match cut {
            Cut::AtAnswer => py.detach(|| runtime.block_on(fut)),
            Cut::Anytime => {
                let mut fut = std::pin::pin!(fut);
                loop {
                    let step = py.detach(|| {
                        runtime.block_on(async {
                            tokio::time::timeout(SIGNAL_CHECK, fut.as_mut()).await
                        })
                    });
                    match step {
                        Ok(result) => break result,
                        // Raises `KeyboardInterrupt` (in the main thread)
                        // after Ctrl-C; the call is dropped.
                        Err(_) => py.check_signals()?,
                    }
                }
            }
        };
        match result {
            Ok(v) => convert(py, v),
            Err(e) => Err(to_pyerr(py, &e)),
        }
    }
}

fn config_error(py: Python<'_>, message: String) -> PyErr {
    to_pyerr(py, &Error::Config(message))
}

/// A client of one panel; `smmkit.PerfectPanel`, `smmkit.Fampage` and their
/// async twins wrap it.
#[pyclass(frozen, module = "smmkit._native", name = "Client")]
pub(crate) struct Client {
    panel: PerfectPanel,
    /// The panel, journaled when the options name a journal.
    provider: Arc<dyn SmmProvider>,
    journaled: Option<Journaled>,
    journal: Option<Py<PyJournal>>,
    label: &'static str,
    /// The process that made the client: its connections belong to it.
    made_in: u32,
}

impl Client {
    /// The panel itself, not journaled: a fleet journals it in its own
    /// journal.
    pub(crate) fn raw_panel(&self) -> PerfectPanel {
        self.panel.clone()
    }

    /// The panel (journaled, when there is a journal), for a call: refused
    /// in a process forked from the one that made the client, whose pooled
    /// connections and their tasks stayed behind in the parent.
    fn panel(&self, py: Python<'_>) -> PyResult<Arc<dyn SmmProvider>> {
        if std::process::id() != self.made_in {
            return Err(config_error(
                py,
                "this client was made before the process forked; make a new client in this process"
                    .into(),
            ));
        }
        Ok(Arc::clone(&self.provider))
    }
}

#[pymethods]
impl Client {
    /// A client from its options, as `smmkit.PerfectPanel(...)` and
    /// `smmkit.Fampage(...)` give them (snake_case, times in seconds); the
    /// core checks every one.
    #[staticmethod]
    fn create(py: Python<'_>, options: &Bound<'_, PyAny>) -> PyResult<Client> {
        let value = to_json(options, "options")?;
        let config =
            ClientConfig::from_value(&value, Spelling::Snake).map_err(|e| to_pyerr(py, &e))?;
        let label = match config.provider {
            smmkit::Provider::Fampage => "Fampage",
            smmkit::Provider::PerfectPanel => "PerfectPanel",
        };
        let panel = smmkit::connect(&config).map_err(|e| to_pyerr(py, &e))?;
        let (provider, journaled, journal): (Arc<dyn SmmProvider>, _, _) = match &config.journal {
            Some(url) => {
                let runtime = runtime()?;
                let url = url.clone();
                let journal = py
                    .detach(|| runtime.block_on(Journal::open(&url)))
                    .map_err(|e| to_pyerr(py, &e))?;
                let journaled = journal.attach(Arc::new(panel.clone()));
                (
                    Arc::new(journaled.clone()),
                    Some(journaled),
                    Some(Py::new(py, PyJournal::new(journal))?),
                )
            }
            None => (Arc::new(panel.clone()), None, None),
        };
        Ok(Client {
            panel,
            provider,
            journaled,
            journal,
            label,
            made_in: std::process::id(),
        })
    }

    /// The journal, when the options name one.
    #[getter]
    fn journal(&self, py: Python<'_>) -> Option<Py<PyJournal>> {
        self.journal.as_ref().map(|j| j.clone_ref(py))
    }

    /// The panel's name.
    #[getter]
    fn name(&self) -> &str {
        self.panel.name()
    }

    /// The panel's URL.
    #[getter]
    fn url(&self) -> &str {
        self.panel.url().as_str()
    }

    fn __repr__(&self) -> String {
        format!(
            "{}(url='{}', transport='{}')",
            self.label,
            self.panel.url(),
            self.panel.transport().as_str()
        )
    }

    fn services(&self, py: Python<'_>, awaitable: bool) -> PyResult<Py<PyAny>> {
        let panel = self.panel(py)?;
        finish(
            py,
            awaitable,
            Cut::of(Action::Services),
            async move { panel.services().await },
            |py, list| PyService::service_list(py, list)?.into_py_any(py),
        )
    }

    /// Places the order `order` (a dict of its fields, `service` among
    /// them), read by the core; its form as named, else as the catalog
    /// says (the journal's, or the last one listed), else as the fields
    /// point to. `options` (`idempotency_key`, `reference`, `metadata`)
    /// need a journal.
    fn add(
        &self,
        py: Python<'_>,
        awaitable: bool,
        order: &Bound<'_, PyAny>,
        options: &Bound<'_, PyAny>,
    ) -> PyResult<Py<PyAny>> {
        let value = to_json(order, "order")?;
        let input = OrderInput::from_value(&value).map_err(|e| to_pyerr(py, &e.into()))?;
        let options =
            AddOptions::from_value(&to_json(options, "options")?).map_err(|e| to_pyerr(py, &e))?;
        let provider = self.panel(py)?;
        let Some(journaled) = self.journaled.clone() else {
            if !options.is_empty() {
                return Err(config_error(
                    py,
                    "idempotency_key, reference and metadata need a journal: give the client \
                     journal=\"sqlite://orders.db\" (or postgres://…)"
                        .into(),
                ));
            }
            let limits = self.panel.known_service(input.service);
            let order = input
                .into_request(limits.as_ref())
                .map_err(|e| to_pyerr(py, &e.into()))?;
            return finish(
                py,
                awaitable,
                Cut::of(Action::Add),
                async move { provider.add(&order).await },
                |py, id| id.get().into_py_any(py),
            );
        };
        let known = self.panel.known_service(input.service);
        finish(
            py,
            awaitable,
            Cut::of(Action::Add),
            async move {
                // The journal's catalog tells the form (no request while
                // it is fresh); when it cannot be had, the add says why.
                let limits = match journaled.service(input.service).await {
                    Ok(service) => service.as_ref().map(ServiceLimits::from),
                    Err(_) => known,
                };
                let order = input.into_request(limits.as_ref())?;
                journaled.add_with(&order, &options).await
            },
            |py, added| added.order.get().into_py_any(py),
        )
    }

    fn status(
        &self,
        py: Python<'_>,
        awaitable: bool,
        order: &Bound<'_, PyAny>,
    ) -> PyResult<Py<PyAny>> {
        let id: OrderId = one_id(py, order, "order")?;
        let panel = self.panel(py)?;
        finish(
            py,
            awaitable,
            Cut::of(Action::Status),
            async move { panel.status(id).await },
            |py, s| PyOrderStatus(s).into_py_any(py),
        )
    }

    fn statuses(
        &self,
        py: Python<'_>,
        awaitable: bool,
        orders: &Bound<'_, PyAny>,
    ) -> PyResult<Py<PyAny>> {
        let ids = Ids::<OrderId>::read(py, orders, "orders")?;
        let panel = self.panel(py)?;
        finish(
            py,
            awaitable,
            Cut::of(Action::Status),
            async move { Ok(panel.statuses(&ids.ids).await.with(ids)) },
            |py, (all, ids)| ids.entries(py, all, |py, s| PyOrderStatus(s).into_py_any(py)),
        )
    }

    fn refill(
        &self,
        py: Python<'_>,
        awaitable: bool,
        order: &Bound<'_, PyAny>,
    ) -> PyResult<Py<PyAny>> {
        let id: OrderId = one_id(py, order, "order")?;
        let panel = self.panel(py)?;
        finish(
            py,
            awaitable,
            Cut::of(Action::Refill),
            async move { panel.refill(id).await },
            |py, r| r.get().into_py_any(py),
        )
    }

    fn refills(
        &self,
        py: Python<'_>,
        awaitable: bool,
        orders: &Bound<'_, PyAny>,
    ) -> PyResult<Py<PyAny>> {
        let ids = Ids::<OrderId>::read(py, orders, "orders")?;
        let panel = self.panel(py)?;
        finish(
            py,
            awaitable,
            Cut::of(Action::Refill),
            async move { Ok(panel.refills(&ids.ids).await.with(ids)) },
            |py, (all, ids)| ids.entries(py, all, |py, r| r.get().into_py_any(py)),
        )
    }

    fn refill_status(
        &self,
        py: Python<'_>,
        awaitable: bool,
        refill: &Bound<'_, PyAny>,
    ) -> PyResult<Py<PyAny>> {
        let id: RefillId = one_id(py, refill, "refill")?;
        let panel = self.panel(py)?;
        finish(
            py,
            awaitable,
            Cut::of(Action::RefillStatus),
            async move { panel.refill_status(id).await },
            |py, s| Ok(word(py, Words::RefillState, s.as_str())?.unbind()),
        )
    }

    fn refill_statuses(
        &self,
        py: Python<'_>,
        awaitable: bool,
        refills: &Bound<'_, PyAny>,
    ) -> PyResult<Py<PyAny>> {
        let ids = Ids::<RefillId>::read(py, refills, "refills")?;
        let panel = self.panel(py)?;
        finish(
            py,
            awaitable,
            Cut::of(Action::RefillStatus),
            async move { Ok(panel.refill_statuses(&ids.ids).await.with(ids)) },
            |py, (all, ids)| {
                ids.entries(py, all, |py, s| {
                    Ok(word(py, Words::RefillState, s.as_str())?.unbind())
                })
            },
        )
    }

    /// One id: the cancellation, raising on a refusal. Many: a dict.
    fn cancel(
        &self,
        py: Python<'_>,
        awaitable: bool,
        orders: &Bound<'_, PyAny>,
    ) -> PyResult<Py<PyAny>> {
        let panel = self.panel(py)?;
        let single = orders.is_instance_of::<pyo3::types::PyInt>()
            || orders.is_instance_of::<pyo3::types::PyString>();
        if single {
            let id: OrderId = one_id(py, orders, "order")?;
            return finish(
                py,
                awaitable,
                Cut::of(Action::Cancel),
                async move {
                    let mut all = panel.cancel(&[id]).await;
                    match all.pop() {
                        Some((_, r)) => r,
                        None => Err(Error::Decode {
                            action: smmkit::Action::Cancel,
                            message: format!("the panel's answer has no entry for {id}"),
                            snippet: "(entry missing)".into(),
                        }),
                    }
                },
                |py, c| PyCancelRequested(c).into_py_any(py),
            );
        }
        let ids = Ids::<OrderId>::read(py, orders, "orders")?;
        finish(
            py,
            awaitable,
            Cut::of(Action::Cancel),
            async move { Ok(panel.cancel(&ids.ids).await.with(ids)) },
            |py, (all, ids)| ids.entries(py, all, |py, c| PyCancelRequested(c).into_py_any(py)),
        )
    }

    fn balance(&self, py: Python<'_>, awaitable: bool) -> PyResult<Py<PyAny>> {
        let panel = self.panel(py)?;
        finish(
            py,
            awaitable,
            Cut::of(Action::Balance),
            async move { panel.balance().await },
            |py, b| PyBalance(b).into_py_any(py),
        )
    }
}

/// Keeps a batch's ids beside its results, to key the dict by them.
trait With<T>: Sized {
    fn with(self, ids: T) -> (Self, T);
}

impl<E, T> With<T> for Vec<E> {
    fn with(self, ids: T) -> (Self, T) {
        (self, ids)
    }
}
