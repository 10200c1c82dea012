//! The models as frozen Python classes. Each wraps the Rust model and
//! converts a field only when it is read, so a catalog of thousands of
//! services crosses into Python without building thousands of dicts.

use pyo3::prelude::*;
use pyo3::types::PyDict;
use smmkit::{Balance, CancelRequested, OrderStatus, Service};

use crate::convert::{Words, decimal, json, whole, word};

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

/// A service of a panel's catalog.
#[pyclass(frozen, eq, module = "smmkit", name = "Service")]
#[derive(PartialEq)]
pub(crate) struct PyService(pub(crate) Service);

#[pymethods]
impl PyService {
    /// The service id.
    #[getter]
    fn id(&self) -> u64 {
        self.0.id.get()
    }
    /// The name, as sent.
    #[getter]
    fn name(&self) -> &str {
        &self.0.name
    }
    /// The type, a `ServiceType` (a `str`).
    #[getter]
    fn r#type<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        word(py, Words::ServiceType, self.0.kind.as_str())
    }
    /// The category, as sent.
    #[getter]
    fn category(&self) -> &str {
        &self.0.category
    }
    /// The price per 1000, exact.
    #[getter]
    fn rate<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        decimal(py, &self.0.rate)
    }
    /// The smallest quantity.
    #[getter]
    fn min(&self) -> u64 {
        self.0.min
    }
    /// The largest quantity.
    #[getter]
    fn max(&self) -> u64 {
        self.0.max
    }
    /// Refills are offered.
    #[getter]
    fn refill(&self) -> bool {
        self.0.refill
    }
    /// Cancelling is offered.
    #[getter]
    fn cancel(&self) -> bool {
        self.0.cancel
    }
    /// Drip-feed is offered, when the panel says.
    #[getter]
    fn dripfeed(&self) -> Option<bool> {
        self.0.dripfeed
    }
    /// The description, when given.
    #[getter]
    fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    /// Every other field the panel sent.
    #[getter]
    fn extra<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        extras(py, &self.0.extra)
    }
    /// The exact price of `quantity` units: rate × quantity / 1000.
    fn cost<'py>(
        &self,
        py: Python<'py>,
        quantity: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let q = whole(quantity, "quantity", 0, false)?;
        let cost = self.0.cost(q).ok_or_else(|| {
            crate::errors::to_pyerr(
                py,
                &smmkit::ValidationError::for_field("quantity", "the cost is too large to compute")
                    .into(),
            )
        })?;
        decimal(py, &cost)
    }
    /// The service as a dict of plain values (money as `Decimal`).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("id", self.id())?;
        d.set_item("name", self.name())?;
        d.set_item("type", self.r#type(py)?)?;
        d.set_item("category", self.category())?;
        d.set_item("rate", self.rate(py)?)?;
        d.set_item("min", self.min())?;
        d.set_item("max", self.max())?;
        d.set_item("refill", self.refill())?;
        d.set_item("cancel", self.cancel())?;
        d.set_item("dripfeed", self.dripfeed())?;
        d.set_item("description", self.description())?;
        d.set_item("extra", self.extra(py)?)?;
        Ok(d)
    }
    fn __repr__(&self) -> String {
        let s = &self.0;
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
