//! Python values to JSON values for the core, and the core's values back.
//!
//! The core reads orders, ids and options from JSON values with one set of
//! rules and messages; this module only maps Python's types onto JSON's.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{
    PyBool, PyBytes, PyDict, PyFloat, PyInt, PyList, PyMapping, PyString, PyTuple, PyType,
};
use serde_json::Value;
use smmkit::{Decimal, DecimalText, Entries};

use crate::errors::{error_object, to_pyerr};

static DECIMAL: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static SERVICE_TYPE: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static ORDER_STATE: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static REFILL_STATE: PyOnceLock<Py<PyType>> = PyOnceLock::new();

/// A `decimal.Decimal` with exactly the digits of `d`.
pub(crate) fn decimal<'py>(py: Python<'py>, d: &Decimal) -> PyResult<Bound<'py, PyAny>> {
    let text = PyString::new(py, &DecimalText::new(d));
    DECIMAL.import(py, "decimal", "Decimal")?.call1((text,))
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

/// A JSON value as plain Python values (numbers as sent: int, or `Decimal`
/// for anything that is not a whole number, so no float ever appears).
pub(crate) fn json<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    use pyo3::IntoPyObjectExt;
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => b.into_bound_py_any(py)?,
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => u.into_bound_py_any(py)?,
            (None, Some(i)) => i.into_bound_py_any(py)?,
            _ => decimal(
                py,
                &smmkit::wire::parse_decimal(&n.to_string()).unwrap_or_default(),
            )?,
        },
        Value::String(s) => s.into_bound_py_any(py)?,
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(json(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, item) in map {
                dict.set_item(k, json(py, item)?)?;
            }
            dict.into_any()
        }
    })
}

fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".into())
}

/// A Python value as JSON: `None`, `bool`, `int`, `float`, `str` (and its
/// enum subclasses), `Decimal` (as its digits), lists, tuples and other
/// iterables, and mappings with `str` keys. `field` names the argument in
/// a `TypeError` for anything else (bytes, objects).
pub(crate) fn to_json(obj: &Bound<'_, PyAny>, field: &str) -> PyResult<Value> {
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if obj.is_instance_of::<PyInt>() {
        if let Ok(n) = obj.extract::<u64>() {
            return Ok(Value::from(n));
        }
        if let Ok(n) = obj.extract::<i64>() {
            return Ok(Value::from(n));
        }
        // Beyond 64 bits: its digits, for the core to call too large.
        return Ok(Value::String(obj.str()?.to_str()?.to_owned()));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        return Ok(serde_json::Number::from_f64(f.value())
            .map(Value::Number)
            .unwrap_or_else(|| Value::String(f.value().to_string())));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(s.to_str()?.to_owned()));
    }
    if obj.is_instance(DECIMAL.import(obj.py(), "decimal", "Decimal")?)? {
        return Ok(Value::String(obj.str()?.to_str()?.to_owned()));
    }
    if obj.is_instance_of::<PyBytes>() {
        return Err(PyTypeError::new_err(format!(
            "{field} must not be bytes: give a str"
        )));
    }
    if let Ok(map) = obj.cast::<PyMapping>() {
        let mut out = serde_json::Map::new();
        for item in map.items()?.iter() {
            let (k, v): (Bound<'_, PyAny>, Bound<'_, PyAny>) = item.extract()?;
            let key = k.cast::<PyString>().map_err(|_| {
                PyTypeError::new_err(format!("{field} keys must be str, not {}", type_name(&k)))
            })?;
            let key = key.to_str()?.to_owned();
            let value = to_json(&v, &key)?;
            out.insert(key, value);
        }
        return Ok(Value::Object(out));
    }
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() || obj.try_iter().is_ok() {
        let items = obj
            .try_iter()?
            .map(|item| to_json(&item?, field))
            .collect::<PyResult<Vec<Value>>>()?;
        return Ok(Value::Array(items));
    }
    Err(PyTypeError::new_err(format!(
        "{field}: {} is not a value smmkit takes",
        type_name(obj)
    )))
}

/// The ids of a batch, read by the core, with the objects the caller gave
/// for each (the first one for an id given twice): results are keyed by
/// them, so that `statuses(["10001"])["10001"]` works.
pub(crate) struct Ids<I> {
    pub(crate) ids: Vec<I>,
    keys: Vec<(u64, Py<PyAny>)>,
}

impl<I: From<u64> + Copy + Into<u64>> Ids<I> {
    pub(crate) fn read(py: Python<'_>, obj: &Bound<'_, PyAny>, field: &str) -> PyResult<Ids<I>> {
        let items: Vec<Bound<'_, PyAny>> = if obj.is_instance_of::<PyString>()
            || obj.is_instance_of::<PyBytes>()
            || obj.try_iter().is_err()
        {
            // Not a list of ids: the core says what it is.
            let value = to_json(obj, field)?;
            return Err(match smmkit::input::ids::<I>(&value, field) {
                Err(e) => to_pyerr(py, &e.into()),
                Ok(_) => PyTypeError::new_err(format!("{field} must be a list of ids")),
            });
        } else {
            obj.try_iter()?.collect::<PyResult<_>>()?
        };
        let values = items
            .iter()
            .map(|item| to_json(item, field))
            .collect::<PyResult<Vec<Value>>>()?;
        let ids: Vec<I> = smmkit::input::ids(&Value::Array(values), field)
            .map_err(|e| to_pyerr(py, &e.into()))?;
        let mut keys: Vec<(u64, Py<PyAny>)> = items
            .into_iter()
            .zip(&ids)
            .map(|(item, id)| ((*id).into(), item.unbind()))
            .collect();
        // Stable: of an id given twice, the first one given stays.
        keys.sort_by_key(|(k, _)| *k);
        keys.dedup_by_key(|(k, _)| *k);
        Ok(Ids { ids, keys })
    }

    fn key(&self, py: Python<'_>, id: u64) -> PyResult<Py<PyAny>> {
        use pyo3::IntoPyObjectExt;
        match self.keys.binary_search_by_key(&id, |(k, _)| *k) {
            Ok(i) => Ok(self.keys[i].1.clone_ref(py)),
            Err(_) => id.into_py_any(py),
        }
    }

    /// A dict of the caller's id to its result, or to the error object for
    /// that id.
    pub(crate) fn entries<T>(
        &self,
        py: Python<'_>,
        list: Entries<I, T>,
        convert: impl Fn(Python<'_>, T) -> PyResult<Py<PyAny>>,
    ) -> PyResult<Py<PyAny>> {
        let dict = PyDict::new(py);
        for (id, result) in list {
            let value = match result {
                Ok(v) => convert(py, v)?,
                Err(e) => error_object(py, &e)?.unbind(),
            };
            dict.set_item(self.key(py, id.into())?, value)?;
        }
        Ok(dict.into_any().unbind())
    }
}

/// One id, read by the core.
pub(crate) fn one_id<I: From<u64>>(
    py: Python<'_>,
    obj: &Bound<'_, PyAny>,
    field: &str,
) -> PyResult<I> {
    let value = to_json(obj, field)?;
    smmkit::input::id(&value, field).map_err(|e| to_pyerr(py, &e.into()))
}

/// A dict of id to result as `decode()` gives it (ids as ints).
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
