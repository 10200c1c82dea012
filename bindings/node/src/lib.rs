//! smmkit for Node: the native addon behind the `smmkit` npm package.
//!
//! Thin by design: arguments arrive as JSON text and are checked here,
//! every call runs on napi's one tokio runtime, and every result leaves as
//! one JSON text (`{"ok": ...}` or `{"error": ...}`) that the package's
//! JavaScript turns into values and `SmmError`s.

#![allow(unsafe_code)] // napi's macros expand to FFI glue

mod args;
mod columns;
mod json;

/// Decoding a catalog allocates a few strings per service; mimalloc halves
/// what that costs next to the system allocator (see bench/README.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::time::Duration;

use napi::bindgen_prelude::{Buffer, Result};
use napi_derive::napi;
use smmkit::wire::{Decoded, Payload};
use smmkit::{Decimal, Error, Fampage, OrderId, PerfectPanel, RefillId, SmmProvider};
use smmkit_sandbox::{
    Catalog, Clock, Dialect, Faults, Numbers, Sandbox, SandboxConfig, SandboxSlot, Shapes,
};

use crate::columns::ServiceColumns;
use crate::json::{err, ok, result};

/// Rejects in JavaScript with the error as JSON, for the wrapper to rebuild.
fn thrown(e: &Error) -> napi::Error {
    napi::Error::from_reason(err(e))
}

/// A client of one panel; the package's `PerfectPanel` and `Fampage` wrap it.
#[napi]
pub struct NativeClient {
    panel: PerfectPanel,
}

#[napi]
impl NativeClient {
    /// `kind` is `"fampage"` or `"perfect-panel"`; `options` is JSON.
    #[napi(factory)]
    pub fn create(kind: String, options: String) -> Result<NativeClient> {
        let o = args::Options::parse(&options).map_err(|e| thrown(&e))?;
        let panel = match kind.as_str() {
            "fampage" => {
                let mut b = Fampage::builder(o.key.clone()).configure(|b| b.options(&o.client));
                if let Some(url) = &o.url {
                    b = b.base_url(url.clone());
                }
                b.build().map(|f| f.panel().clone())
            }
            _ => match &o.url {
                Some(url) => PerfectPanel::builder(url.clone(), o.key.clone())
                    .options(&o.client)
                    .build(),
                None => Err(Error::Config("the url option is needed".into())),
            },
        };
        Ok(NativeClient {
            panel: panel.map_err(|e| thrown(&e))?,
        })
    }

    /// The panel's name.
    #[napi(getter)]
    pub fn name(&self) -> String {
        self.panel.name().to_owned()
    }

    /// The panel's URL.
    #[napi(getter)]
    pub fn url(&self) -> String {
        self.panel.url().to_string()
    }

    /// The transport in use.
    #[napi(getter)]
    pub fn transport(&self) -> String {
        self.panel.transport().as_str().to_owned()
    }

    /// The catalog, in columns (see `columns.rs`).
    #[napi]
    pub async fn services(&self) -> ServiceColumns {
        ServiceColumns::from_result(self.panel.services().await)
    }

    /// `order` is the JSON of `add()`'s argument.
    #[napi]
    pub async fn add(&self, order: String) -> String {
        let panel = &self.panel;
        let known = |id| panel.known_service(id).and_then(|l| l.kind.order_kind());
        match args::order(&order, known) {
            Ok(request) => result(&panel.add(&request).await),
            Err(e) => err(&e),
        }
    }

    /// One order's status; `id` is the JSON of the id.
    #[napi]
    pub async fn status(&self, id: String) -> String {
        match args::id(&id, "order") {
            Ok(id) => result(&self.panel.status(OrderId(id)).await),
            Err(e) => err(&e),
        }
    }

    /// Many orders' statuses; `ids` is a JSON array.
    #[napi]
    pub async fn statuses(&self, ids: String) -> String {
        match args::ids(&ids, "orders") {
            Ok(ids) => {
                let ids: Vec<OrderId> = ids.into_iter().map(OrderId).collect();
                ok(&self.panel.statuses(&ids).await)
            }
            Err(e) => err(&e),
        }
    }

    /// Asks for a refill of one order.
    #[napi]
    pub async fn refill(&self, id: String) -> String {
        match args::id(&id, "order") {
            Ok(id) => result(&self.panel.refill(OrderId(id)).await),
            Err(e) => err(&e),
        }
    }

    /// Asks for refills of many orders.
    #[napi]
    pub async fn refills(&self, ids: String) -> String {
        match args::ids(&ids, "orders") {
            Ok(ids) => {
                let ids: Vec<OrderId> = ids.into_iter().map(OrderId).collect();
                ok(&self.panel.refills(&ids).await)
            }
            Err(e) => err(&e),
        }
    }

    /// One refill's status.
    #[napi]
    pub async fn refill_status(&self, id: String) -> String {
        match args::id(&id, "refill") {
            Ok(id) => result(&self.panel.refill_status(RefillId(id)).await),
            Err(e) => err(&e),
        }
    }

    /// Many refills' statuses.
    #[napi]
    pub async fn refill_statuses(&self, ids: String) -> String {
        match args::ids(&ids, "refills") {
            Ok(ids) => {
                let ids: Vec<RefillId> = ids.into_iter().map(RefillId).collect();
                ok(&self.panel.refill_statuses(&ids).await)
            }
            Err(e) => err(&e),
        }
    }

    /// Asks to cancel orders; `ids` is a JSON array.
    #[napi]
    pub async fn cancel(&self, ids: String) -> String {
        match args::ids(&ids, "orders") {
            Ok(ids) => {
                let ids: Vec<OrderId> = ids.into_iter().map(OrderId).collect();
                ok(&self.panel.cancel(&ids).await)
            }
            Err(e) => err(&e),
        }
    }

    /// The account's balance.
    #[napi]
    pub async fn balance(&self) -> String {
        result(&self.panel.balance().await)
    }
}

/// Decodes a body as the answer `payload` names, as the client would.
#[napi]
pub fn decode(payload: String, body: Buffer) -> String {
    let Some(kind) = Payload::parse(&payload) else {
        let names: Vec<&str> = Payload::ALL.iter().map(|p| p.as_str()).collect();
        return err(&Error::Config(format!(
            "unknown payload {payload:?}: one of {}",
            names.join(", ")
        )));
    };
    match smmkit::wire::decode(kind, &body) {
        Err(e) => err(&e),
        Ok(Decoded::Services(list)) => ok(&list),
        Ok(Decoded::Add(id)) => ok(&id),
        Ok(Decoded::Status(s)) => ok(&s),
        Ok(Decoded::Statuses(all)) => ok(&all),
        Ok(Decoded::Refill(id)) => ok(&id),
        Ok(Decoded::Refills(all)) => ok(&all),
        Ok(Decoded::RefillStatus(s)) => ok(&s),
        Ok(Decoded::RefillStatuses(all)) => ok(&all),
        Ok(Decoded::Cancel(c)) => ok(&c),
        Ok(Decoded::Cancels(all)) => ok(&all),
        Ok(Decoded::Balance(b)) => ok(&b),
    }
}

/// Decodes a `services` body into columns, as `services()` gives them.
#[napi]
pub fn decode_services(body: Buffer) -> ServiceColumns {
    ServiceColumns::from_result(smmkit::wire::decode_services(&body))
}

/// A running sandbox panel; the package's `Sandbox` wraps it.
#[napi]
pub struct NativeSandbox {
    inner: SandboxSlot,
    url: String,
    key: String,
}

fn sandbox_error(message: impl Into<String>) -> napi::Error {
    thrown(&Error::Config(message.into()))
}

#[napi]
impl NativeSandbox {
    /// Starts a sandbox; `options` is JSON: `{ seed, services, speed (null: a
    /// manual clock), dialect, numbers, balance, currency, key, catalogJson }`.
    #[napi(constructor)]
    pub fn new(options: String) -> Result<NativeSandbox> {
        let o: serde_json::Value = serde_json::from_str(&options)
            .map_err(|e| sandbox_error(format!("sandbox options: {e}")))?;
        let get = |k: &str| o.get(k).filter(|v| !v.is_null());
        let mut config = SandboxConfig::default();
        if let Some(v) = get("seed") {
            config.seed = args::whole(v, "seed", 0).map_err(|e| thrown(&e))?;
        }
        if let Some(v) = get("services") {
            let n = args::whole(v, "services", 1).map_err(|e| thrown(&e))?;
            config.services = usize::try_from(n).unwrap_or(usize::MAX);
        }
        config.clock = match o.get("speed") {
            Some(serde_json::Value::Null) => Clock::manual(),
            None => Clock::sped_up(60.0),
            Some(v) => match v.as_f64() {
                Some(s) if s.is_finite() && s > 0.0 => Clock::sped_up(s),
                _ => {
                    return Err(sandbox_error(
                        "speed must be a number above 0, or null for a manual clock",
                    ));
                }
            },
        };
        let word = |k: &str, default: &str| {
            get(k)
                .and_then(|v| v.as_str())
                .unwrap_or(default)
                .to_owned()
        };
        config.dialect = Dialect {
            shapes: match word("dialect", "common").as_str() {
                "common" => Shapes::Common,
                "fampage" => Shapes::Fampage,
                other => {
                    return Err(sandbox_error(format!(
                        "dialect must be \"common\" or \"fampage\", not {other:?}"
                    )));
                }
            },
            numbers: match word("numbers", "strings").as_str() {
                "strings" => Numbers::Strings,
                "bare" => Numbers::Bare,
                other => {
                    return Err(sandbox_error(format!(
                        "numbers must be \"strings\" or \"bare\", not {other:?}"
                    )));
                }
            },
        };
        if let Some(b) = get("balance") {
            let text = b
                .as_str()
                .map(str::to_owned)
                .unwrap_or_else(|| b.to_string());
            config.balance = smmkit::wire::parse_decimal(&text)
                .ok_or_else(|| sandbox_error(format!("balance {text} is not a decimal")))?;
        }
        config.currency = word("currency", "USD");
        config.key = get("key").and_then(|v| v.as_str()).map(str::to_owned);
        if let Some(text) = get("catalogJson").and_then(|v| v.as_str()) {
            config.catalog =
                Some(Catalog::from_json(text).map_err(|e| sandbox_error(e.to_string()))?);
        }
        let sandbox = napi::bindgen_prelude::block_on(Sandbox::start(config))
            .map_err(|e| sandbox_error(e.to_string()))?;
        Ok(NativeSandbox {
            url: sandbox.url().to_owned(),
            key: sandbox.key().to_owned(),
            inner: SandboxSlot::new(sandbox),
        })
    }

    fn with<T>(&self, f: impl FnOnce(&Sandbox) -> T) -> Result<T> {
        self.inner
            .with(f)
            .ok_or_else(|| sandbox_error("the sandbox is closed"))
    }

    /// The API v2 URL.
    #[napi(getter)]
    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// The account's key.
    #[napi(getter)]
    pub fn key(&self) -> String {
        self.key.clone()
    }

    /// Moves the clock forward by `seconds`.
    #[napi]
    pub fn advance(&self, seconds: f64) -> Result<()> {
        if !(seconds.is_finite() && seconds >= 0.0) {
            return Err(sandbox_error("seconds must be 0 or more"));
        }
        self.with(|s| s.clock().advance(Duration::from_secs_f64(seconds)))
    }

    /// The orders the sandbox created, as JSON.
    #[napi]
    pub fn orders(&self) -> Result<String> {
        let orders = self.with(Sandbox::orders)?;
        let list: Vec<serde_json::Value> = orders
            .into_iter()
            .map(|o| {
                serde_json::json!({
                    "id": o.id, "service": o.service, "link": o.link, "quantity": o.quantity,
                    "charge": o.charge.to_string(),
                })
            })
            .collect();
        Ok(serde_json::Value::Array(list).to_string())
    }

    /// The account's balance, as a decimal string.
    #[napi]
    pub fn balance(&self) -> Result<String> {
        Ok(self
            .with(|s| s.balance(s.key()))?
            .unwrap_or(Decimal::ZERO)
            .to_string())
    }

    /// Switches fault injection; `faults` is JSON with shares from 0 to 1.
    #[napi]
    pub fn set_faults(&self, faults: String) -> Result<()> {
        let f: serde_json::Value =
            serde_json::from_str(&faults).map_err(|e| sandbox_error(format!("faults: {e}")))?;
        let num = |k: &str, default: f64| {
            f.get(k)
                .and_then(serde_json::Value::as_f64)
                .unwrap_or(default)
        };
        let share = |k: &str| {
            let v = num(k, 0.0);
            if (0.0..=1.0).contains(&v) {
                Ok(v)
            } else {
                Err(sandbox_error(format!("{k} must be from 0 to 1")))
            }
        };
        let secs = |k: &str, default: f64| {
            let v = num(k, default);
            if v.is_finite() && v >= 0.0 {
                Ok(Duration::from_secs_f64(v))
            } else {
                Err(sandbox_error(format!("{k} must be 0 or more")))
            }
        };
        let faults = Faults {
            seed: f
                .get("seed")
                .and_then(serde_json::Value::as_u64)
                .unwrap_or(0),
            latency: secs("latency", 0.0)?,
            server_error: share("serverError")?,
            html: share("html")?,
            drop: share("drop")?,
            stall: share("stall")?,
            stall_for: secs("stallFor", 30.0)?,
            after_action: f
                .get("afterAction")
                .and_then(serde_json::Value::as_f64)
                .unwrap_or(0.5)
                .clamp(0.0, 1.0),
        };
        if faults.total() > 1.0 {
            return Err(sandbox_error("fault shares add up to more than 1"));
        }
        self.with(|s| s.set_faults(faults))
    }

    /// How many requests were answered cleanly and how many got each fault, as JSON.
    #[napi]
    pub fn fault_counts(&self) -> Result<String> {
        let c = self.with(Sandbox::fault_counts)?;
        Ok(serde_json::json!({
            "clean": c.clean, "serverError": c.server_error, "html": c.html, "drop": c.drop,
            "stall": c.stall, "afterAction": c.after_action,
        })
        .to_string())
    }

    /// Stops the sandbox.
    #[napi]
    pub fn close(&self) {
        let taken = self.inner.take();
        drop(taken);
    }
}
