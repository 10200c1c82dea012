//! The sandbox panel, for Python users' own tests.

use std::time::Duration;

use pyo3::exceptions::{PyRuntimeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use smmkit::Decimal;
use smmkit_sandbox::{
    Catalog, Clock, Dialect, Faults, Numbers, Sandbox, SandboxConfig, SandboxSlot, Shapes,
};

use crate::convert::decimal;
use crate::runtime::runtime;

/// A running sandbox panel; `smmkit.testing.Sandbox` wraps it.
#[pyclass(frozen, module = "smmkit._native", name = "Sandbox")]
pub(crate) struct PySandbox {
    inner: SandboxSlot,
    url: String,
    key: String,
}

fn value_error(message: impl Into<String>) -> PyErr {
    PyValueError::new_err(message.into())
}

fn share(name: &str, v: f64) -> PyResult<f64> {
    if (0.0..=1.0).contains(&v) {
        Ok(v)
    } else {
        Err(value_error(format!("{name} must be from 0 to 1, not {v}")))
    }
}

impl PySandbox {
    fn with<T>(&self, f: impl FnOnce(&Sandbox) -> T) -> PyResult<T> {
        self.inner
            .with(f)
            .ok_or_else(|| PyRuntimeError::new_err("the sandbox is closed"))
    }
}

#[pymethods]
impl PySandbox {
    #[new]
    #[pyo3(signature = (*, seed=1, services=120, speed=Some(60.0), dialect="common", numbers="strings",
        balance="1000.00", currency="USD", key=None, catalog_json=None, echo=false))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        seed: u64,
        services: usize,
        speed: Option<f64>,
        dialect: &str,
        numbers: &str,
        balance: &str,
        currency: &str,
        key: Option<String>,
        catalog_json: Option<&str>,
        echo: bool,
    ) -> PyResult<PySandbox> {
        let clock = match speed {
            None => Clock::manual(),
            Some(s) if s.is_finite() && s > 0.0 => Clock::sped_up(s),
            Some(s) => {
                return Err(value_error(format!(
                    "speed must be above 0, or None for a manual clock, not {s}"
                )));
            }
        };
        let shapes = match dialect {
            "common" => Shapes::Common,
            "fampage" => Shapes::Fampage,
            other => {
                return Err(value_error(format!(
                    "dialect must be \"common\" or \"fampage\", not {other:?}"
                )));
            }
        };
        let numbers = match numbers {
            "strings" => Numbers::Strings,
            "bare" => Numbers::Bare,
            other => {
                return Err(value_error(format!(
                    "numbers must be \"strings\" or \"bare\", not {other:?}"
                )));
            }
        };
        let balance: Decimal = smmkit::wire::parse_decimal(balance)
            .ok_or_else(|| value_error(format!("balance {balance:?} is not a decimal")))?;
        let catalog = catalog_json
            .map(Catalog::from_json)
            .transpose()
            .map_err(|e| value_error(e.to_string()))?;
        let config = SandboxConfig {
            seed,
            services,
            catalog,
            clock,
            dialect: Dialect {
                numbers,
                shapes,
                echo,
            },
            key,
            balance,
            currency: currency.to_owned(),
            ..SandboxConfig::default()
        };
        let runtime = runtime()?;
        let sandbox = py
            .detach(|| runtime.block_on(Sandbox::start(config)))
            .map_err(|e| value_error(e.to_string()))?;
        Ok(PySandbox {
            url: sandbox.url().to_owned(),
            key: sandbox.key().to_owned(),
            inner: SandboxSlot::new(sandbox),
        })
    }

    /// The API v2 URL.
    #[getter]
    fn url(&self) -> &str {
        &self.url
    }

    /// The account's key.
    #[getter]
    fn key(&self) -> &str {
        &self.key
    }

    fn __repr__(&self) -> String {
        format!("Sandbox(url='{}')", self.url)
    }

    /// Moves the sandbox's clock forward.
    fn advance(&self, seconds: f64) -> PyResult<()> {
        if !(seconds.is_finite() && seconds >= 0.0) {
            return Err(value_error(format!(
                "seconds must be 0 or more, not {seconds}"
            )));
        }
        self.with(|s| s.clock().advance(Duration::from_secs_f64(seconds)))
    }

    /// The orders the sandbox created, as dicts, in order.
    fn orders<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let orders = self.with(Sandbox::orders)?;
        let list = PyList::empty(py);
        for o in orders {
            let d = PyDict::new(py);
            d.set_item("id", o.id)?;
            d.set_item("service", o.service)?;
            d.set_item("link", o.link)?;
            d.set_item("quantity", o.quantity)?;
            d.set_item("charge", decimal(py, &o.charge)?)?;
            d.set_item("polls", o.polls)?;
            list.append(d)?;
        }
        Ok(list)
    }

    /// The account's balance, refunds due included.
    fn balance<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let amount = self.with(|s| s.balance(s.key()))?.unwrap_or_default();
        decimal(py, &amount)
    }

    /// Switches fault injection (all shares from 0 to 1).
    #[pyo3(signature = (*, seed=0, latency=0.0, server_error=0.0, html=0.0, drop=0.0, stall=0.0, stall_for=30.0, after_action=0.5))]
    #[allow(clippy::too_many_arguments)]
    fn set_faults(
        &self,
        seed: u64,
        latency: f64,
        server_error: f64,
        html: f64,
        drop: f64,
        stall: f64,
        stall_for: f64,
        after_action: f64,
    ) -> PyResult<()> {
        let secs = |name: &str, v: f64| {
            if v.is_finite() && v >= 0.0 {
                Ok(Duration::from_secs_f64(v))
            } else {
                Err(value_error(format!("{name} must be 0 or more")))
            }
        };
        let faults = Faults {
            seed,
            latency: secs("latency", latency)?,
            server_error: share("server_error", server_error)?,
            html: share("html", html)?,
            drop: share("drop", drop)?,
            stall: share("stall", stall)?,
            stall_for: secs("stall_for", stall_for)?,
            after_action: share("after_action", after_action)?,
        };
        if faults.total() > 1.0 {
            return Err(value_error("fault shares add up to more than 1"));
        }
        self.with(|s| s.set_faults(faults))
    }

    /// How many requests were answered cleanly and how many got each fault.
    fn fault_counts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let c = self.with(Sandbox::fault_counts)?;
        let d = PyDict::new(py);
        d.set_item("clean", c.clean)?;
        d.set_item("server_error", c.server_error)?;
        d.set_item("html", c.html)?;
        d.set_item("drop", c.drop)?;
        d.set_item("stall", c.stall)?;
        d.set_item("after_action", c.after_action)?;
        Ok(d)
    }

    /// How many connections clients opened, the most open at once, and the
    /// most requests answered at once.
    fn connections<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let c = self.with(Sandbox::connections)?;
        let d = PyDict::new(py);
        d.set_item("opened", c.opened)?;
        d.set_item("most_open", c.most_open)?;
        d.set_item("most_in_flight", c.most_in_flight)?;
        Ok(d)
    }

    /// Stops the sandbox.
    fn close(&self, py: Python<'_>) {
        let taken = self.inner.take();
        if let Some(s) = taken {
            py.detach(|| {
                let _guard = runtime().ok().map(|r| r.enter());
                drop(s);
            });
        }
    }
}
