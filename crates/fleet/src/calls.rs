//! The fleet as the bindings call it: each method by name, its arguments
//! an object read here (either spelling), its result as JSON. One intake
//! for Python and Node.

use serde::Serialize;
use serde_json::{Map, Value};
use smmkit_journal::AddOptions;
use smmkit_provider_core::input::{arguments, closest};
use smmkit_provider_core::{Error, Result, ValidationError};

use crate::Fleet;
use crate::compare::Search;
use crate::prices::{PriceRow, Pricing};
use crate::routed::RoutedOrder;

/// The methods [`call`] takes, with the arguments each reads.
pub const METHODS: [(&str, &[&str]); 9] = [
    ("balances", &[]),
    ("services", &[]),
    ("statuses", &["orders"]),
    ("routes", &[]),
    ("compare", &["search", "type", "category", "panels"]),
    ("plan", &["route", "order"]),
    (
        "add",
        &["route", "order", "idempotency_key", "reference", "metadata"],
    ),
    ("prices", &["routes", "pricing"]),
    ("check_prices", &["rows"]),
];

fn invalid(field: &str, message: impl Into<String>) -> Error {
    ValidationError::for_field(field, message).into()
}

fn json<T: Serialize>(value: &T) -> Result<Value> {
    serde_json::to_value(value).map_err(|e| Error::Config(format!("cannot write the result: {e}")))
}

fn text(args: &Map<String, Value>, name: &str) -> Result<Option<String>> {
    match args.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(ValidationError::wrong_type(name, "must be a string").into()),
    }
}

fn texts(args: &Map<String, Value>, name: &str) -> Result<Option<Vec<String>>> {
    match args.get(name) {
        None => Ok(None),
        Some(Value::String(s)) => Ok(Some(
            s.split(',')
                .map(|p| p.trim().to_owned())
                .filter(|p| !p.is_empty())
                .collect(),
        )),
        Some(Value::Array(items)) => items
            .iter()
            .map(|i| match i {
                Value::String(s) => Ok(s.clone()),
                _ => Err(ValidationError::wrong_type(name, "must be a list of names").into()),
            })
            .collect::<Result<Vec<_>>>()
            .map(Some),
        Some(_) => Err(ValidationError::wrong_type(name, "must be a list of names").into()),
    }
}

/// Calls the fleet's method `method` with the arguments `args` (an object
/// in either spelling, or null) and returns its result as JSON.
pub async fn call(fleet: &Fleet, method: &str, args: &Value) -> Result<Value> {
    let Some((_, takes)) = METHODS.iter().find(|(m, _)| *m == method) else {
        let hint = closest(method, METHODS.iter().map(|(m, _)| *m))
            .map(|n| format!(" (did you mean `{n}`?)"))
            .unwrap_or_default();
        return Err(Error::Config(format!(
            "the fleet has no method `{method}`{hint}"
        )));
    };
    let a = arguments(args, takes)?;
    let route = || text(&a, "route")?.ok_or_else(|| invalid("route", "is needed"));
    let order = || RoutedOrder::from_value(a.get("order").unwrap_or(&Value::Null));
    match method {
        "balances" => {
            let all: Vec<Value> = fleet
                .balances()
                .await
                .into_iter()
                .map(|(panel, r)| match r {
                    Ok(b) => serde_json::json!({"panel": panel, "balance": b}),
                    Err(e) => serde_json::json!({"panel": panel, "error": e}),
                })
                .collect();
            Ok(Value::Array(all))
        }
        "services" => {
            let all: Vec<Value> = fleet
                .catalogs()
                .await
                .into_iter()
                .map(|(panel, r)| match r {
                    Ok(services) => serde_json::json!({"panel": panel, "services": services}),
                    Err(e) => serde_json::json!({"panel": panel, "error": e}),
                })
                .collect();
            Ok(Value::Array(all))
        }
        "statuses" => {
            let Some(Value::Array(items)) = a.get("orders") else {
                return Err(invalid("orders", "must be a list of { panel, order }"));
            };
            let mut orders = Vec::with_capacity(items.len());
            for item in items {
                let panel = item
                    .get("panel")
                    .and_then(Value::as_str)
                    .ok_or_else(|| invalid("orders", "each must be { panel, order }"))?;
                let order = smmkit_provider_core::input::id::<smmkit_provider_core::OrderId>(
                    item.get("order").unwrap_or(&Value::Null),
                    "order",
                )?;
                orders.push((panel.to_owned(), order));
            }
            let all: Vec<Value> = fleet
                .statuses(&orders)
                .await
                .into_iter()
                .map(|((panel, order), r)| match r {
                    Ok(s) => serde_json::json!({"panel": panel, "order": order, "status": s}),
                    Err(e) => serde_json::json!({"panel": panel, "order": order, "error": e}),
                })
                .collect();
            Ok(Value::Array(all))
        }
        "routes" => json(&fleet.routes().collect::<Vec<_>>()),
        "compare" => {
            let search = Search {
                text: text(&a, "search")?,
                category: text(&a, "category")?,
                kind: text(&a, "type")?,
            };
            let panels = texts(&a, "panels")?;
            json(&fleet.compare(&search, panels.as_deref()).await?)
        }
        "plan" => json(&fleet.plan(&route()?, &order()?).await?),
        "add" => {
            let options = AddOptions::from_value(&Value::Object(
                a.iter()
                    .filter(|(k, _)| {
                        matches!(k.as_str(), "idempotency_key" | "reference" | "metadata")
                    })
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
            ))?;
            json(&fleet.add(&route()?, &order()?, &options).await?)
        }
        "prices" => {
            let pricing = Pricing::from_value(a.get("pricing").unwrap_or(&Value::Null))?;
            let routes = texts(&a, "routes")?;
            json(&fleet.price_list(routes.as_deref(), &pricing).await?)
        }
        "check_prices" => {
            let rows: Vec<PriceRow> = a
                .get("rows")
                .map(|v| serde_json::from_value(v.clone()))
                .transpose()
                .map_err(|e| invalid("rows", format!("must be a price list's rows: {e}")))?
                .unwrap_or_default();
            json(&fleet.check_prices(&rows).await?)
        }
        _ => Err(Error::Config(format!("the fleet has no method `{method}`"))),
    }
}
