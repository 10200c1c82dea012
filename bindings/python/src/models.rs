//! The models as frozen Python classes. Each wraps the Rust model (the
//! services of a catalog point into it, shared) and converts a field only
//! when it is read, so a catalog of thousands of services crosses into
//! Python without building thousands of dicts.

use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyType};
use smmkit::{Balance, CancelRequested, OrderStatus, Service, ServiceList};

use crate::convert::{Words, decimal, json, to_json, word};
use crate::errors::to_pyerr;

/// Extra fields as a dict of plain values.
fn extras<'py>(py: Python<'py>, extra: &smmkit::Extras) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for (k, v) in extra {
        d.set_item(k, json(py, v)?)?;
    }
    Ok(d)
}

fn repr_text(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(|| "None".into(), |x| x.to_string())
}

/// The services of one catalog, shared by their Python objects. The last
/// object to go frees it, on a background thread when it is large.
struct Catalog(Vec<Service>);

impl Drop for Catalog {
    fn drop(&mut self) {
        if self.0.len() >= FREE_IN_BACKGROUND_FROM {
            free_in_background(std::mem::take(&mut self.0));
        }
    }
}

/// Catalogs from this many services on are freed on a background thread:
/// freeing tens of thousands of strings takes a millisecond nobody need
/// wait for.
const FREE_IN_BACKGROUND_FROM: usize = 1000;

fn free_in_background(list: Vec<Service>) {
    // When no thread can be started, the list is freed here, with the
    // closure that holds it.
    let _ = std::thread::Builder::new()
        .name("smmkit-free".into())
        .spawn(move || drop(list));
}

/// Takes an object out of the cycle collector's view. A service holds no
/// Python object, so it can never be part of a reference cycle, yet every
/// collection would traverse each of a catalog's thousands of services;
/// CPython untracks its own tuples and dicts of plain values the same way.
fn untrack(object: &Bound<'_, PyService>) {
    // SAFETY: the GIL is held (`object` is bound to it) and the object is
    // alive and of a GC type, as every pyclass is. Untracking changes only
    // the collector's list; the type's tp_dealloc untracks again, which
    // CPython allows for an untracked object.
    unsafe { pyo3::ffi::PyObject_GC_UnTrack(object.as_ptr().cast()) }
}

/// A service of a panel's catalog.
///
/// The services of one `services()` call share their memory, which is freed
/// with the last of them: keeping a few services of a large catalog keeps
/// the catalog (`to_dict()` makes a copy that keeps nothing).
#[pyclass(frozen, eq, module = "smmkit", name = "Service")]
pub(crate) struct PyService {
    catalog: Arc<Catalog>,
    index: usize,
}

impl PartialEq for PyService {
    fn eq(&self, other: &Self) -> bool {
        self.service() == other.service()
    }
}

impl PyService {
    /// A `smmkit.ServiceList` of `list`'s services, one object each, sharing
    /// them, with the entries that could not be read as its `skipped`.
    pub(crate) fn service_list(py: Python<'_>, list: ServiceList) -> PyResult<Bound<'_, PyAny>> {
        static SERVICE_LIST: PyOnceLock<Py<PyType>> = PyOnceLock::new();
        static SKIPPED: PyOnceLock<Py<PyType>> = PyOnceLock::new();
        let skipped_class = SKIPPED.import(py, "smmkit.catalog", "SkippedService")?;
        let skipped = PyList::empty(py);
        for s in &list.skipped {
            skipped.append(skipped_class.call1((
                s.index,
                s.id.map(|i| i.get()),
                &s.reason,
                s.to_string(),
            ))?)?;
        }
        let services = PyService::list(py, list.services)?;
        SERVICE_LIST
            .import(py, "smmkit.catalog", "ServiceList")?
            .call1((services, skipped))
    }

    /// A Python list of `list`'s services, one object each, sharing it.
    pub(crate) fn list(py: Python<'_>, list: Vec<Service>) -> PyResult<Bound<'_, PyList>> {
        let catalog = Arc::new(Catalog(list));
        let objects = (0..catalog.0.len())
            .map(|index| {
                let object = Bound::new(
                    py,
                    PyService {
                        catalog: Arc::clone(&catalog),
                        index,
                    },
                )?;
                untrack(&object);
                Ok(object)
            })
            .collect::<PyResult<Vec<_>>>()?;
        PyList::new(py, objects)
    }

    fn service(&self) -> &Service {
        &self.catalog.0[self.index]
    }
}

#[pymethods]
impl PyService {
    /// The service id.
    #[getter]
    fn id(&self) -> u64 {
        self.service().id.get()
    }
    /// The name, as sent.
    #[getter]
    fn name(&self) -> &str {
        &self.service().name
    }
    /// The type, a `ServiceType` (a `str`).
    #[getter]
    fn r#type<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        word(py, Words::ServiceType, self.service().kind.as_str())
    }
    /// The category, as sent.
    #[getter]
    fn category(&self) -> &str {
        &self.service().category
    }
    /// The price per 1000, exact.
    #[getter]
    fn rate<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        decimal(py, &self.service().rate)
    }
    /// The smallest quantity.
    #[getter]
    fn min(&self) -> u64 {
        self.service().min
    }
    /// The largest quantity.
    #[getter]
    fn max(&self) -> u64 {
        self.service().max
    }
    /// Refills are offered.
    #[getter]
    fn refill(&self) -> bool {
        self.service().refill
    }
    /// Cancelling is offered.
    #[getter]
    fn cancel(&self) -> bool {
        self.service().cancel
    }
    /// Drip-feed is offered, when the panel says.
    #[getter]
    fn dripfeed(&self) -> Option<bool> {
        self.service().dripfeed
    }
    /// The description, when given.
    #[getter]
    fn description(&self) -> Option<&str> {
        self.service().description.as_deref()
    }
    /// Every other field the panel sent.
    #[getter]
    fn extra<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        extras(py, &self.service().extra)
    }
    /// The panel's own text of the name, category and description where
    /// it differs from the readable text (HTML-escaped), else `None`.
    #[getter]
    fn raw<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyDict>>> {
        let Some(raw) = self.service().raw.as_deref() else {
            return Ok(None);
        };
        let d = PyDict::new(py);
        for (k, v) in [
            ("name", &raw.name),
            ("category", &raw.category),
            ("description", &raw.description),
        ] {
            if let Some(v) = v {
                d.set_item(k, v)?;
            }
        }
        Ok(Some(d))
    }
    /// The exact price of `quantity` units: rate × quantity / 1000, or
    /// rate × quantity for a package type (the rate is per package).
    fn cost<'py>(
        &self,
        py: Python<'py>,
        quantity: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let q = smmkit::input::whole(&to_json(quantity, "quantity")?, "quantity", 0)
            .map_err(|e| to_pyerr(py, &e.into()))?;
        let cost = self.service().cost(q).ok_or_else(|| {
            to_pyerr(
                py,
                &smmkit::ValidationError::for_field("quantity", "the cost is too large to compute")
                    .into(),
            )
        })?;
        decimal(py, &cost)
    }
    /// What an order of this service with these fields costs, as the panel
    /// charges it (see `smmkit.Quote`).
    #[pyo3(signature = (order))]
    fn quote(&self, py: Python<'_>, order: &Bound<'_, PyAny>) -> PyResult<PyQuote> {
        let mut value = to_json(order, "order")?;
        if let serde_json::Value::Object(map) = &mut value {
            map.insert("service".into(), self.service().id.get().into());
        }
        let service = self.service();
        let input =
            smmkit::input::OrderInput::from_value(&value).map_err(|e| to_pyerr(py, &e.into()))?;
        let request = input
            .into_request(Some(&service.into()))
            .map_err(|e| to_pyerr(py, &e.into()))?;
        smmkit::quote(&request, service)
            .map(PyQuote)
            .map_err(|e| to_pyerr(py, &e.into()))
    }
    /// A service from the dict `to_dict()` gives (or its JSON): a catalog
    /// can be cached and handed back.
    #[staticmethod]
    fn from_dict(py: Python<'_>, data: &Bound<'_, PyAny>) -> PyResult<PyService> {
        let value = to_json(data, "data")?;
        let service: Service = serde_json::from_value(value).map_err(|e| {
            to_pyerr(
                py,
                &smmkit::ValidationError::general(format!("not a service: {e}")).into(),
            )
        })?;
        Ok(PyService {
            catalog: Arc::new(Catalog(vec![service])),
            index: 0,
        })
    }
    /// The service as a dict of plain, JSON-safe values (money as a
    /// decimal string); `Service.from_dict` reads it back.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("id", self.id())?;
        d.set_item("name", self.name())?;
        d.set_item("type", self.service().kind.as_str())?;
        d.set_item("category", self.category())?;
        d.set_item("rate", self.service().rate.to_string())?;
        d.set_item("min", self.min())?;
        d.set_item("max", self.max())?;
        d.set_item("refill", self.refill())?;
        d.set_item("cancel", self.cancel())?;
        d.set_item("dripfeed", self.dripfeed())?;
        d.set_item("description", self.description())?;
        d.set_item("extra", self.extra(py)?)?;
        if let Some(raw) = self.raw(py)? {
            d.set_item("raw", raw)?;
        }
        Ok(d)
    }
    fn __repr__(&self) -> String {
        let s = self.service();
        format!(
            "Service(id={}, name={}, type={}, rate=Decimal('{}'), min={}, max={}, refill={}, cancel={})",
            s.id,
            repr_text(&s.name),
            repr_text(s.kind.as_str()),
            s.rate,
            s.min,
            s.max,
            if s.refill { "True" } else { "False" },
            if s.cancel { "True" } else { "False" }
        )
    }
}

/// What an order will cost: `kind` is `"exact"`, `"up_to"` (a subscription
/// with a number of posts) or `"set_by_panel"` (one without); `amount` the
/// charge, exact, or `None` for the last.
#[pyclass(frozen, eq, module = "smmkit", name = "Quote")]
#[derive(PartialEq)]
pub(crate) struct PyQuote(pub(crate) smmkit::Quote);

#[pymethods]
impl PyQuote {
    /// `"exact"`, `"up_to"` or `"set_by_panel"`.
    #[getter]
    fn kind(&self) -> &'static str {
        match self.0 {
            smmkit::Quote::Exact(_) => "exact",
            smmkit::Quote::UpTo(_) => "up_to",
            smmkit::Quote::SetByPanel => "set_by_panel",
        }
    }
    /// The charge (at most, for `"up_to"`), or `None` when the panel sets it.
    #[getter]
    fn amount<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.0.amount().map(|a| decimal(py, &a)).transpose()
    }
    fn __str__(&self) -> String {
        self.0.to_string()
    }
    fn __repr__(&self) -> String {
        match self.0.amount() {
            Some(a) => format!("Quote(kind='{}', amount=Decimal('{a}'))", self.kind()),
            None => format!("Quote(kind='{}', amount=None)", self.kind()),
        }
    }
}

/// The status of an order.
#[pyclass(frozen, eq, module = "smmkit", name = "OrderStatus")]
#[derive(PartialEq)]
pub(crate) struct PyOrderStatus(pub(crate) OrderStatus);

#[pymethods]
impl PyOrderStatus {
    /// What the order cost, exact, when the panel says.
    #[getter]
    fn charge<'py>(&self, py: Python<'py>) -> PyResult<Option<Bound<'py, PyAny>>> {
        self.0.charge.as_ref().map(|c| decimal(py, c)).transpose()
    }
    /// The count when the order started.
    #[getter]
    fn start_count(&self) -> Option<u64> {
        self.0.start_count
    }
    /// Where the order stands, an `OrderState` (a `str`).
    #[getter]
    fn status<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        word(py, Words::OrderState, self.0.status.as_str())
    }
    /// How much is left to deliver (negative if over-delivered).
    #[getter]
    fn remains(&self) -> Option<i64> {
        self.0.remains
    }
    /// The currency of `charge`.
    #[getter]
    fn currency(&self) -> Option<&str> {
        self.0.currency.as_deref()
    }
    /// Whether the status will not change any more.
    #[getter]
    fn is_final(&self) -> bool {
        self.0.status.is_final()
    }
    /// Every other field the panel sent.
    #[getter]
    fn extra<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        extras(py, &self.0.extra)
    }
    /// The status as a dict of plain values.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("charge", self.charge(py)?)?;
        d.set_item("start_count", self.start_count())?;
        d.set_item("status", self.status(py)?)?;
        d.set_item("remains", self.remains())?;
        d.set_item("currency", self.currency())?;
        d.set_item("extra", self.extra(py)?)?;
        Ok(d)
    }
    fn __repr__(&self) -> String {
        let s = &self.0;
        format!(
            "OrderStatus(status={}, charge={}, start_count={}, remains={}, currency={})",
            repr_text(s.status.as_str()),
            s.charge
                .map_or_else(|| "None".into(), |c| format!("Decimal('{c}')")),
            opt(s.start_count),
            opt(s.remains),
            s.currency
                .as_deref()
                .map_or_else(|| "None".into(), repr_text)
        )
    }
}

/// The account's balance.
#[pyclass(frozen, eq, module = "smmkit", name = "Balance")]
#[derive(PartialEq)]
pub(crate) struct PyBalance(pub(crate) Balance);

#[pymethods]
impl PyBalance {
    /// The amount, exact.
    #[getter]
    fn amount<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        decimal(py, &self.0.amount)
    }
    /// The currency, when the panel says.
    #[getter]
    fn currency(&self) -> Option<&str> {
        self.0.currency.as_deref()
    }
    /// The balance as a dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("amount", self.amount(py)?)?;
        d.set_item("currency", self.currency())?;
        Ok(d)
    }
    fn __repr__(&self) -> String {
        format!(
            "Balance(amount=Decimal('{}'), currency={})",
            self.0.amount,
            self.0
                .currency
                .as_deref()
                .map_or_else(|| "None".into(), repr_text)
        )
    }
}

/// A cancellation the panel accepted (the order is not canceled yet).
#[pyclass(frozen, eq, module = "smmkit", name = "CancelRequested")]
#[derive(PartialEq)]
pub(crate) struct PyCancelRequested(pub(crate) CancelRequested);

#[pymethods]
impl PyCancelRequested {
    /// The panel's words, when it sent some.
    #[getter]
    fn note(&self) -> Option<&str> {
        self.0.note.as_deref()
    }
    /// As a dict.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("note", self.note())?;
        Ok(d)
    }
    fn __repr__(&self) -> String {
        format!(
            "CancelRequested(note={})",
            self.0
                .note
                .as_deref()
                .map_or_else(|| "None".into(), repr_text)
        )
    }
}
