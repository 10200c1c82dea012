//! Rust values to Python ones, and Python arguments to Rust ones.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyType};
use smmkit::{Decimal, Entries, Error, ValidationError};

use crate::errors::{error_object, to_pyerr};

static DECIMAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static SERVICE_TYPE: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static ORDER_STATE: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static REFILL_STATE: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// A `decimal.Decimal` with exactly the digits of `d`.
pub(crate) fn decimal<'py>(py: Python<'py>, d: &Decimal) -> PyResult<Bound<'py, PyAny>> {
    DECIMAL
        .import(py, "decimal", "Decimal")?
        .call1((d.to_string(),))
}

/// The Python enums of `smmkit.enums`, which keep unknown words.
pub(crate) enum Words {
    ServiceType,
    OrderState,
    RefillState,
}

pub(crate) fn word<'py>(py: Python<'py>, which: Words, text: &str) -> PyResult<Bound<'py, PyAny>> {
    let (cell, name) = match which {
        Words::ServiceType => (&SERVICE_TYPE, "ServiceType"),
        Words::OrderState => (&ORDER_STATE, "OrderState"),
        Words::RefillState => (&REFILL_STATE, "RefillState"),
    };
    cell.import(py, "smmkit.enums", name)?.call1((text,))
}

/// A JSON value as plain Python values (numbers as sent: int, or str for
/// anything that is not a whole number, so no float ever appears).
pub(crate) fn json<'py>(py: Python<'py>, v: &serde_json::Value) -> PyResult<Bound<'py, PyAny>> {
    use pyo3::IntoPyObjectExt;
    Ok(match v {
        serde_json::Value::Null => py.None().into_bound(py),
        serde_json::Value::Bool(b) => b.into_bound_py_any(py)?,
        serde_json::Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => u.into_bound_py_any(py)?,
            (None, Some(i)) => i.into_bound_py_any(py)?,
            _ => decimal(
                py,
                &smmkit::wire::parse_decimal(&n.to_string()).unwrap_or_default(),
            )?,
        },
        serde_json::Value::String(s) => s.into_bound_py_any(py)?,
        serde_json::Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(json(py, item)?)?;
            }
            list.into_any()
        }
        serde_json::Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, item) in map {
                dict.set_item(k, json(py, item)?)?;
            }
            dict.into_any()
        }
    })
}

/// A dict of id to result, or to the error object for that id.
pub(crate) fn entries<I, T>(
    py: Python<'_>,
    list: Entries<I, T>,
    convert: impl Fn(Python<'_>, T) -> PyResult<Py<PyAny>>,
) -> PyResult<Py<PyAny>>
where
    I: Into<u64>,
{
    let dict = PyDict::new(py);
    for (id, result) in list {
        let value = match result {
            Ok(v) => convert(py, v)?,
            Err(e) => error_object(py, &e)?.unbind(),
        };
        dict.set_item(id.into(), value)?;
    }
    Ok(dict.into_any().unbind())
}

fn bad(field: &str, message: String) -> PyErr {
    Python::attach(|py| {
        to_pyerr(
            py,
            &Error::Validation(ValidationError::for_field(field, message)),
        )
    })
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".into())
}

/// A whole number ≥ `min`: an `int` (not a `bool`), or for ids a string
/// of digits.
pub(crate) fn whole(
    obj: &Bound<'_, PyAny>,
    field: &str,
    min: u64,
    digits_ok: bool,
) -> PyResult<u64> {
    if obj.is_instance_of::<PyBool>() || obj.is_instance_of::<PyFloat>() {
        return Err(PyTypeError::new_err(format!(
            "{field} must be an int, not {}",
            type_name(obj)
        )));
    }
    if obj.is_instance_of::<PyInt>() {
        let n: i128 = obj
            .extract()
            .map_err(|_| bad(field, "is too large".into()))?;
        if n < i128::from(min) {
            return Err(bad(field, format!("must be at least {min}, not {n}")));
        }
        return u64::try_from(n).map_err(|_| bad(field, format!("{n} is too large")));
    }
    if digits_ok && let Ok(s) = obj.cast::<PyString>() {
        let text = s.to_str()?;
        let t = text.trim();
        return match t.parse::<u64>() {
            Ok(v) if v >= min && !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) => Ok(v),
            _ => Err(bad(
                field,
                format!(
                    "`{}` is not a valid id",
                    text.chars().take(40).collect::<String>()
                ),
            )),
        };
    }
    Err(PyTypeError::new_err(format!(
        "{field} must be an int{}, not {}",
        if digits_ok {
            " or a string of digits"
        } else {
            ""
        },
        type_name(obj)
    )))
}

/// An optional whole number that fits `u32`.
pub(crate) fn small(
    obj: Option<&Bound<'_, PyAny>>,
    field: &str,
    min: u64,
) -> PyResult<Option<u32>> {
    match obj {
        None => Ok(None),
        Some(o) if o.is_none() => Ok(None),
        Some(o) => {
            let n = whole(o, field, min, false)?;
            u32::try_from(n)
                .map(Some)
                .map_err(|_| bad(field, format!("{n} is too large")))
        }
    }
}

/// An optional whole number.
pub(crate) fn opt_whole(
    obj: Option<&Bound<'_, PyAny>>,
    field: &str,
    min: u64,
) -> PyResult<Option<u64>> {
    match obj {
        None => Ok(None),
        Some(o) if o.is_none() => Ok(None),
        Some(o) => whole(o, field, min, false).map(Some),
    }
}

/// An optional string.
pub(crate) fn text(obj: Option<&Bound<'_, PyAny>>, field: &str) -> PyResult<Option<String>> {
    match obj {
        None => Ok(None),
        Some(o) if o.is_none() => Ok(None),
        Some(o) => match o.cast::<PyString>() {
            Ok(s) => Ok(Some(s.to_str()?.to_owned())),
            Err(_) => Err(PyTypeError::new_err(format!(
                "{field} must be a str, not {}",
                type_name(o)
            ))),
        },
    }
}

/// An optional list: a `str` (one item per line) or an iterable of `str`.
pub(crate) fn lines(obj: Option<&Bound<'_, PyAny>>, field: &str) -> PyResult<Option<Vec<String>>> {
    let Some(o) = obj.filter(|o| !o.is_none()) else {
        return Ok(None);
    };
    if let Ok(s) = o.cast::<PyString>() {
        return Ok(Some(smmkit::split_lines(s.to_str()?)));
    }
    if o.is_instance_of::<pyo3::types::PyBytes>() {
        return Err(PyTypeError::new_err(format!(
            "{field} must be a str or a list of str, not bytes"
        )));
    }
    let iter = o.try_iter().map_err(|_| {
        PyTypeError::new_err(format!(
            "{field} must be a str or a list of str, not {}",
            type_name(o)
        ))
    })?;
    let mut out = Vec::new();
    for item in iter {
        let item = item?;
        match item.cast::<PyString>() {
            Ok(s) => out.push(s.to_str()?.to_owned()),
            Err(_) => {
                return Err(PyTypeError::new_err(format!(
                    "{field} must hold str items, not {}",
                    type_name(&item)
                )));
            }
        }
    }
    Ok(Some(out))
}

/// Ids from an iterable of ints (or digit strings).
pub(crate) fn ids(obj: &Bound<'_, PyAny>, field: &str) -> PyResult<Vec<u64>> {
    if obj.is_instance_of::<PyString>() || obj.is_instance_of::<pyo3::types::PyBytes>() {
        return Err(PyTypeError::new_err(format!(
            "{field} must be a list of ids, not {}",
            type_name(obj)
        )));
    }
    let iter = obj.try_iter().map_err(|_| {
        PyTypeError::new_err(format!(
            "{field} must be a list of ids, not {}",
            type_name(obj)
        ))
    })?;
    iter.map(|item| whole(&item?, field, 0, true)).collect()
}
