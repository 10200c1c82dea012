//! The journal as the bindings and other front ends call it: each method
//! by name, its arguments an object read here (in either spelling,
//! `not_placed` or `notPlaced`), its result the JSON of what it returns.
//! One intake, so that Python and Node say the same things about the
//! same mistakes.

use serde::Serialize;
use serde_json::{Map, Value};
use smmkit_provider_core::input::{arguments, closest, id};
use smmkit_provider_core::{Error, OrderId, Result, ValidationError};

use crate::journal::Journal;
use crate::model::{AddOptions, EntryState, OrderFilter, Resolution};

/// The methods [`call`] takes, with the arguments each reads.
pub const METHODS: [(&str, &[&str]); 10] = [
    ("orders", &["state", "provider", "status", "limit"]),
    ("order", &["key"]),
    ("unknown", &[]),
    ("resolve", &["key", "placed", "not_placed"]),
    ("history", &["key"]),
    ("sync", &[]),
    ("spend", &[]),
    ("catalog", &["provider"]),
    ("catalog_changes", &["provider"]),
    ("refresh_catalog", &["provider"]),
];

fn invalid(field: &str, message: impl Into<String>) -> Error {
    ValidationError::for_field(field, message).into()
}

/// The arguments of a call, by their snake_case names.
struct Args(Map<String, Value>);

impl Args {
    fn read(value: &Value, takes: &[&str]) -> Result<Args> {
        Ok(Args(arguments(value, takes)?))
    }

    fn text(&self, name: &str) -> Result<Option<String>> {
        match self.0.get(name) {
            None => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(ValidationError::wrong_type(name, "must be a string").into()),
        }
    }

    fn needed_text(&self, name: &str) -> Result<String> {
        self.text(name)?.ok_or_else(|| invalid(name, "is needed"))
    }

    fn flag(&self, name: &str) -> Result<bool> {
        match self.0.get(name) {
            None => Ok(false),
            Some(Value::Bool(b)) => Ok(*b),
            Some(_) => Err(ValidationError::wrong_type(name, "must be true or false").into()),
        }
    }
}

impl AddOptions {
    /// Reads the options of a journaled `add` as the bindings give them:
    /// `idempotency_key` (or `idempotencyKey`), `reference`, `metadata`
    /// (any JSON).
    pub fn from_value(value: &Value) -> Result<AddOptions> {
        let args = Args::read(value, &["idempotency_key", "reference", "metadata"])?;
        Ok(AddOptions {
            idempotency_key: args.text("idempotency_key")?,
            reference: args.text("reference")?,
            metadata: args.0.get("metadata").cloned(),
        })
    }

    /// Whether any option is set.
    pub fn is_empty(&self) -> bool {
        *self == AddOptions::default()
    }
}

fn json<T: Serialize>(value: &T) -> Result<Value> {
    serde_json::to_value(value).map_err(|e| Error::Journal {
        message: format!("cannot write the result: {e}"),
        not_sent: false,
        placed: None,
    })
}

/// Calls the journal's method `method` with the arguments `args` (an
/// object, or null for none) and returns its result as JSON: entries,
/// reports and changes as their `Serialize` gives them (amounts as
/// decimal strings, times as RFC 3339).
///
/// ```no_run
/// # async fn run(journal: smmkit_journal::Journal) -> smmkit_provider_core::Result<()> {
/// use serde_json::json;
/// let unknown = smmkit_journal::call(&journal, "orders", &json!({"state": "unknown"})).await?;
/// smmkit_journal::call(&journal, "resolve", &json!({"key": "inv-7", "notPlaced": true})).await?;
/// # Ok(()) }
/// ```
pub async fn call(journal: &Journal, method: &str, args: &Value) -> Result<Value> {
    let Some((_, takes)) = METHODS.iter().find(|(m, _)| *m == method) else {
        let hint = closest(method, METHODS.iter().map(|(m, _)| *m))
            .map(|n| format!(" (did you mean `{n}`?)"))
            .unwrap_or_default();
        return Err(Error::Config(format!(
            "the journal has no method `{method}`{hint}"
        )));
    };
    let a = Args::read(args, takes)?;
    match method {
        "orders" => {
            let state = match a.text("state")? {
                None => None,
                Some(s) => Some(EntryState::parse(&s).ok_or_else(|| {
                    invalid(
                        "state",
                        format!(
                            "`{s}` is not a state: one of {}",
                            EntryState::ALL.map(EntryState::as_str).join(", ")
                        ),
                    )
                })?),
            };
            let limit = match a.0.get("limit") {
                None => None,
                Some(v) => Some(smmkit_provider_core::input::whole(v, "limit", 1)?),
            };
            json(
                &journal
                    .orders(&OrderFilter {
                        state,
                        provider: a.text("provider")?,
                        status: a.text("status")?,
                        limit,
                    })
                    .await?,
            )
        }
        "order" => json(&journal.order(&a.needed_text("key")?).await?),
        "unknown" => json(&journal.unknown().await?),
        "resolve" => {
            let key = a.needed_text("key")?;
            let not_placed = a.flag("not_placed")?;
            let resolution = match (a.0.get("placed"), not_placed) {
                (Some(v), false) => Resolution::Placed(id::<OrderId>(v, "placed")?),
                (None, true) => Resolution::NotPlaced,
                _ => {
                    return Err(invalid(
                        "placed",
                        "give either `placed` (the order id it was placed as) or `not_placed`",
                    ));
                }
            };
            json(&journal.resolve(&key, resolution).await?)
        }
        "history" => json(&journal.history(&a.needed_text("key")?).await?),
        "sync" => json(&journal.sync().await?),
        "spend" => json(&journal.spend().await?),
        "catalog" => json(&journal.catalog(&a.needed_text("provider")?).await?),
        "catalog_changes" => json(
            &journal
                .catalog_changes(a.text("provider")?.as_deref())
                .await?,
        ),
        "refresh_catalog" => json(&journal.refresh_catalog(&a.needed_text("provider")?).await?),
        _ => Err(Error::Config(format!(
            "the journal has no method `{method}`"
        ))),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[tokio::test]
    async fn mistakes_in_a_call_are_named_with_what_was_meant() {
        let journal = Journal::open("sqlite::memory:").await.unwrap();
        let e = call(&journal, "ordrs", &json!({})).await.unwrap_err();
        assert!(e.to_string().contains("did you mean `orders`"), "{e}");
        let e = call(&journal, "orders", &json!({"stat": "placed"}))
            .await
            .unwrap_err();
        assert!(e.to_string().contains("did you mean `state`"), "{e}");
        let e = call(&journal, "orders", &json!({"state": "lost"}))
            .await
            .unwrap_err();
        assert!(e.to_string().contains("one of sending, placed"), "{e}");
        let e = call(&journal, "resolve", &json!({"key": "k"}))
            .await
            .unwrap_err();
        assert!(e.to_string().contains("either `placed`"), "{e}");
        let e = call(
            &journal,
            "resolve",
            &json!({"key": "k", "placed": 5, "notPlaced": true}),
        )
        .await
        .unwrap_err();
        assert_eq!(e.kind(), "validation");
        let e = call(&journal, "orders", &json!({"limit": 0}))
            .await
            .unwrap_err();
        assert!(e.to_string().contains("`limit`"), "{e}");
        assert_eq!(
            call(&journal, "orders", &Value::Null).await.unwrap(),
            json!([])
        );
        assert_eq!(
            call(&journal, "order", &json!({"key": "k"})).await.unwrap(),
            Value::Null
        );
    }

    #[test]
    fn add_options_read_in_either_spelling() {
        let o =
            AddOptions::from_value(&json!({"idempotencyKey": "k", "metadata": {"a": 1}})).unwrap();
        assert_eq!(o.idempotency_key.as_deref(), Some("k"));
        assert_eq!(o.metadata, Some(json!({"a": 1})));
        assert!(
            AddOptions::from_value(&json!({"idempotency_key": 5}))
                .unwrap_err()
                .to_string()
                .contains("must be a string")
        );
        assert!(AddOptions::from_value(&json!({"key": "k"})).is_err());
        assert!(AddOptions::from_value(&Value::Null).unwrap().is_empty());
    }
}
