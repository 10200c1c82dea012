//! smmkit for Node: the native addon behind the `smmkit` npm package.
//!
//! Thin by design: arguments arrive as JSON text and the core reads them
//! (orders, ids, options: one set of rules for every front end); every
//! call runs on napi's one tokio runtime, and every result — of a sync
//! call too — leaves as one JSON envelope (`{"ok": ...}` or `{"error":
//! ...}`) that the package's JavaScript turns into values and `SmmError`s.

#![allow(unsafe_code)] // napi's macros expand to FFI glue

mod columns;
mod json;

/// Decoding a catalog allocates a few strings per service; mimalloc halves
/// what that costs next to the system allocator (see bench/README.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::time::Duration;

use napi::bindgen_prelude::{Buffer, PromiseRaw, ToNapiValue};
use napi::{Either, Env};
use napi_derive::napi;
use serde_json::Value;
use smmkit::input::{OrderInput, id, ids};
use smmkit::wire::{Decoded, Payload};
use std::sync::Arc;

use smmkit::{
    AddOptions, ClientConfig, Decimal, Error, Journal, Journaled, OrderId, PerfectPanel, RefillId,
    Service, ServiceLimits, SmmProvider, Spelling,
};
use smmkit_sandbox::{
    Catalog, Clock, Dialect, Faults, Numbers, Sandbox, SandboxConfig, SandboxSlot, Shapes,
};

use crate::columns::{Part, ServiceColumns};
use crate::json::{Plain, Text, err, ok, result};

/// Parses an argument's JSON text (the package's JavaScript writes it).
fn parse(json: &str, field: &str) -> Result<Value, Error> {
    serde_json::from_str(json).map_err(|e| {
        Error::Validation(smmkit::ValidationError::for_field(
            field,
            format!("is not valid JSON: {e}"),
        ))
    })
}

/// A client of one panel; the package's `PerfectPanel` and `Fampage` wrap it.
///
/// With a `journal` option, its calls go through the order journal, which
/// opens on the first call (opening is asynchronous; making a client is
/// not): an error opening it is that call's error.
#[napi]
pub struct NativeClient {
    state: Arc<ClientState>,
}

/// What a client holds. Its calls own a share of it: a worker thread that
/// ends frees the worker's objects whatever calls are still in flight.
struct ClientState {
    panel: PerfectPanel,
    journal_url: Option<String>,
    journaled: tokio::sync::OnceCell<Journaled>,
}

/// Runs `call` on napi's runtime: its promise. The call must own what it
/// uses (see [`ClientState`]).
fn spawn<T: ToNapiValue + Send + 'static>(
    env: &Env,
    call: impl Future<Output = T> + Send + 'static,
) -> napi::Result<PromiseRaw<'_, T>> {
    env.spawn_future(async move { Ok(call.await) })
}

impl ClientState {
    /// The journaled panel, opening the journal on first use; `None`
    /// without a journal.
    async fn journaled(&self) -> Result<Option<&Journaled>, Error> {
        let Some(url) = &self.journal_url else {
            return Ok(None);
        };
        self.journaled
            .get_or_try_init(|| async {
                let journal = Journal::open(url).await?;
                Ok::<_, Error>(journal.attach(Arc::new(self.panel.clone())))
            })
            .await
            .map(Some)
    }

    /// The panel calls go to: journaled when there is a journal.
    async fn provider(&self) -> Result<&dyn SmmProvider, Error> {
        Ok(match self.journaled().await? {
            Some(j) => j,
            None => &self.panel,
        })
    }
}

/// Makes a client from its options (camelCase, times in milliseconds),
/// read by the core: the client, or the error envelope.
#[napi]
pub fn create_client(options: String) -> Either<NativeClient, String> {
    let made = serde_json::from_str::<Value>(&options)
        .map_err(|e| Error::Config(format!("options are not valid JSON: {e}")))
        .and_then(|v| ClientConfig::from_value(&v, Spelling::Camel))
        .and_then(|config| {
            if let Some(url) = &config.journal {
                Journal::check_url(url)?;
            }
            Ok((smmkit::connect(&config)?, config.journal))
        });
    match made {
        Ok((panel, journal_url)) => Either::A(NativeClient {
            state: Arc::new(ClientState {
                panel,
                journal_url,
                journaled: tokio::sync::OnceCell::new(),
            }),
        }),
        Err(e) => Either::B(err(&e)),
    }
}

/// Runs `call` on the client's panel (journaled when there is a journal),
/// or gives the error of opening the journal.
macro_rules! on_provider {
    ($self:ident, |$p:ident| $call:expr) => {
        match $self.provider().await {
            Ok($p) => $call,
            Err(e) => err(&e),
        }
    };
}

/// Runs a call on a share of the client's state (see [`ClientState`]):
/// its promise.
macro_rules! on_state {
    ($self:ident, $env:ident, |$state:ident| $call:expr) => {{
        let $state = Arc::clone(&$self.state);
        spawn($env, async move { $call.await })
    }};
}

#[napi]
impl NativeClient {
    /// The panel's name.
    #[napi(getter)]
    pub fn name(&self) -> String {
        self.state.panel.name().to_owned()
    }

    /// The panel's URL.
    #[napi(getter)]
    pub fn url(&self) -> String {
        self.state.panel.url().to_string()
    }

    /// The transport in use.
    #[napi(getter)]
    pub fn transport(&self) -> String {
        self.state.panel.transport().as_str().to_owned()
    }

    /// Whether the client has a journal.
    #[napi(getter)]
    pub fn has_journal(&self) -> bool {
        self.state.journal_url.is_some()
    }

    /// The catalog, in columns (see `columns.rs`).
    #[napi]
    pub fn services<'env>(&self, env: &'env Env) -> napi::Result<PromiseRaw<'env, ServiceColumns>> {
        on_state!(self, env, |state| state.services())
    }

    /// `order` is the JSON of `add()`'s first argument; the core reads
    /// it, its form as named, else as the catalog says (the journal's, or
    /// the last one listed), else as its fields point to. `options` is
    /// the JSON of the second (`idempotencyKey`, `reference`, `metadata`),
    /// which needs a journal.
    #[napi]
    pub fn add<'env>(
        &self,
        env: &'env Env,
        order: String,
        options: String,
    ) -> napi::Result<PromiseRaw<'env, String>> {
        on_state!(self, env, |state| state.add(order, options))
    }

    /// One order's status; `id` is the JSON of the id.
    #[napi]
    pub fn status<'env>(
        &self,
        env: &'env Env,
        id_json: String,
    ) -> napi::Result<PromiseRaw<'env, String>> {
        on_state!(self, env, |state| state.status(id_json))
    }

    /// Many orders' statuses; `ids` is a JSON array.
    #[napi]
    pub fn statuses<'env>(
        &self,
        env: &'env Env,
        ids_json: String,
    ) -> napi::Result<PromiseRaw<'env, String>> {
        on_state!(self, env, |state| state.statuses(ids_json))
    }

    /// Asks for a refill of one order.
    #[napi]
    pub fn refill<'env>(
        &self,
        env: &'env Env,
        id_json: String,
    ) -> napi::Result<PromiseRaw<'env, String>> {
        on_state!(self, env, |state| state.refill(id_json))
    }

    /// Asks for refills of many orders.
    #[napi]
    pub fn refills<'env>(
        &self,
        env: &'env Env,
        ids_json: String,
    ) -> napi::Result<PromiseRaw<'env, String>> {
        on_state!(self, env, |state| state.refills(ids_json))
    }

    /// One refill's status.
    #[napi]
    pub fn refill_status<'env>(
        &self,
        env: &'env Env,
        id_json: String,
    ) -> napi::Result<PromiseRaw<'env, String>> {
        on_state!(self, env, |state| state.refill_status(id_json))
    }

    /// Many refills' statuses.
    #[napi]
    pub fn refill_statuses<'env>(
        &self,
        env: &'env Env,
        ids_json: String,
    ) -> napi::Result<PromiseRaw<'env, String>> {
        on_state!(self, env, |state| state.refill_statuses(ids_json))
    }

    /// Asks to cancel orders; `ids` is a JSON array.
    #[napi]
    pub fn cancel<'env>(
        &self,
        env: &'env Env,
        ids_json: String,
    ) -> napi::Result<PromiseRaw<'env, String>> {
        on_state!(self, env, |state| state.cancel(ids_json))
    }

    /// The account's balance.
    #[napi]
    pub fn balance<'env>(&self, env: &'env Env) -> napi::Result<PromiseRaw<'env, String>> {
        on_state!(self, env, |state| state.balance())
    }

    /// Calls the journal's method `method` with `args` (JSON); the
    /// result's envelope.
    #[napi]
    pub fn journal_call<'env>(
        &self,
        env: &'env Env,
        method: String,
        args: String,
    ) -> napi::Result<PromiseRaw<'env, String>> {
        on_state!(self, env, |state| state.journal_call(method, args))
    }

    /// The journal's URL (without its password), once it is open.
    #[napi]
    pub fn journal_url<'env>(&self, env: &'env Env) -> napi::Result<PromiseRaw<'env, String>> {
        on_state!(self, env, |state| state.journal_url())
    }
}

/// The calls, each on its own share of the state.
impl ClientState {
    async fn services(&self) -> ServiceColumns {
        match self.journaled().await {
            // The journal stores the list it is given.
            Ok(Some(journaled)) => ServiceColumns::from_result(journaled.services().await),
            // Decoded straight into columns, on every core.
            Ok(None) => ServiceColumns::from_parts(self.panel.services_into(Part::default).await),
            Err(e) => ServiceColumns::from_result(Err(e)),
        }
    }

    async fn add(&self, order: String, options: String) -> String {
        let read = parse(&order, "order").and_then(|v| Ok(OrderInput::from_value(&v)?));
        let options = parse(&options, "options").and_then(|v| AddOptions::from_value(&v));
        let (input, options) = match (read, options) {
            (Ok(i), Ok(o)) => (i, o),
            (Err(e), _) | (_, Err(e)) => return err(&e),
        };
        let journaled = match self.journaled().await {
            Ok(j) => j,
            Err(e) => return err(&e),
        };
        let Some(journaled) = journaled else {
            if !options.is_empty() {
                return err(&Error::Config(
                    "idempotencyKey, reference and metadata need a journal: give the client \
                     journal: 'sqlite://orders.db' (or postgres://…)"
                        .into(),
                ));
            }
            let limits = self.panel.known_service(input.service);
            return match input.into_request(limits.as_ref()) {
                Ok(request) => result(&self.panel.add(&request).await),
                Err(e) => err(&e.into()),
            };
        };
        let limits = match journaled.service(input.service).await {
            Ok(service) => service.as_ref().map(ServiceLimits::from),
            Err(_) => self.panel.known_service(input.service),
        };
        match input.into_request(limits.as_ref()) {
            Ok(request) => result(
                &journaled
                    .add_with(&request, &options)
                    .await
                    .map(|a| a.order),
            ),
            Err(e) => err(&e.into()),
        }
    }

    async fn status(&self, id_json: String) -> String {
        match parse(&id_json, "order").and_then(|v| Ok(id::<OrderId>(&v, "order")?)) {
            Ok(id) => on_provider!(self, |p| result(&p.status(id).await)),
            Err(e) => err(&e),
        }
    }

    async fn statuses(&self, ids_json: String) -> String {
        match parse(&ids_json, "orders").and_then(|v| Ok(ids::<OrderId>(&v, "orders")?)) {
            Ok(ids) => on_provider!(self, |p| ok(&p.statuses(&ids).await)),
            Err(e) => err(&e),
        }
    }

    async fn refill(&self, id_json: String) -> String {
        match parse(&id_json, "order").and_then(|v| Ok(id::<OrderId>(&v, "order")?)) {
            Ok(id) => on_provider!(self, |p| result(&p.refill(id).await)),
            Err(e) => err(&e),
        }
    }

    async fn refills(&self, ids_json: String) -> String {
        match parse(&ids_json, "orders").and_then(|v| Ok(ids::<OrderId>(&v, "orders")?)) {
            Ok(ids) => on_provider!(self, |p| ok(&p.refills(&ids).await)),
            Err(e) => err(&e),
        }
    }

    async fn refill_status(&self, id_json: String) -> String {
        match parse(&id_json, "refill").and_then(|v| Ok(id::<RefillId>(&v, "refill")?)) {
            Ok(id) => on_provider!(self, |p| result(&p.refill_status(id).await)),
            Err(e) => err(&e),
        }
    }

    async fn refill_statuses(&self, ids_json: String) -> String {
        match parse(&ids_json, "refills").and_then(|v| Ok(ids::<RefillId>(&v, "refills")?)) {
            Ok(ids) => on_provider!(self, |p| ok(&p.refill_statuses(&ids).await)),
            Err(e) => err(&e),
        }
    }

    async fn cancel(&self, ids_json: String) -> String {
        match parse(&ids_json, "orders").and_then(|v| Ok(ids::<OrderId>(&v, "orders")?)) {
            Ok(ids) => on_provider!(self, |p| ok(&p.cancel(&ids).await)),
            Err(e) => err(&e),
        }
    }

    async fn balance(&self) -> String {
        on_provider!(self, |p| result(&p.balance().await))
    }

    async fn journal_call(&self, method: String, args: String) -> String {
        match self.journaled().await {
            Ok(Some(j)) => journal_call(j.journal(), &method, &args).await,
            Ok(None) => err(&Error::Config(
                "this client has no journal: give it journal: 'sqlite://orders.db' (or postgres://…)".into(),
            )),
            Err(e) => err(&e),
        }
    }

    async fn journal_url(&self) -> String {
        match self.journaled().await {
            Ok(Some(j)) => ok(&Text(j.journal().url().to_owned())),
            Ok(None) => ok(&Plain(Value::Null)),
            Err(e) => err(&e),
        }
    }
}

/// A journal call's envelope: its result with ids beyond 2^53 − 1 as
/// strings, as every id the package gives.
async fn journal_call(journal: &Journal, method: &str, args: &str) -> String {
    match parse(args, "arguments") {
        Ok(args) => match smmkit::journal::call(journal, method, &args).await {
            Ok(v) => ok(&Plain(safe_numbers(v))),
            Err(e) => err(&e),
        },
        Err(e) => err(&e),
    }
}

/// Whole numbers JavaScript cannot hold exactly, as strings of digits.
fn safe_numbers(v: Value) -> Value {
    match v {
        Value::Number(n) if n.as_u64().is_some_and(|u| u > json::MAX_SAFE_INTEGER) => {
            Value::String(n.to_string())
        }
        Value::Number(n)
            if n.as_i64()
                .is_some_and(|i| i.unsigned_abs() > json::MAX_SAFE_INTEGER) =>
        {
            Value::String(n.to_string())
        }
        Value::Array(items) => Value::Array(items.into_iter().map(safe_numbers).collect()),
        Value::Object(map) => {
            Value::Object(map.into_iter().map(|(k, v)| (k, safe_numbers(v))).collect())
        }
        other => other,
    }
}

/// Several named panels with routes between them; the package's `Fleet`
/// wraps it.
#[napi]
pub struct NativeFleet {
    fleet: std::sync::RwLock<smmkit::Fleet>,
}

/// Makes an empty fleet, with the journal at `journal` when given (opened
/// now): the fleet, or the error envelope.
#[napi]
pub async fn create_fleet(journal: Option<String>) -> Either<NativeFleet, String> {
    let opened = match journal {
        Some(url) => match Journal::open(&url).await {
            Ok(j) => Some(j),
            Err(e) => return Either::B(err(&e)),
        },
        None => None,
    };
    Either::A(NativeFleet {
        fleet: std::sync::RwLock::new(smmkit::Fleet::new(opened)),
    })
}

#[napi]
impl NativeFleet {
    fn fleet(&self) -> smmkit::Fleet {
        self.fleet
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    fn change(&self, f: impl FnOnce(&mut smmkit::Fleet) -> Result<(), Error>) -> String {
        let mut fleet = self
            .fleet
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match f(&mut fleet) {
            Ok(()) => ok(&Plain(Value::Null)),
            Err(e) => err(&e),
        }
    }

    /// Adds `client`'s panel under `name`.
    #[napi]
    pub fn add_panel(&self, name: String, client: &NativeClient) -> String {
        let panel = client.state.panel.clone();
        self.change(|f| f.add_panel(name, Arc::new(panel)))
    }

    /// Adds the route `name`, `route` the JSON of `{ strategy, services }`.
    #[napi]
    pub fn add_route(&self, name: String, route: String) -> String {
        self.change(|f| {
            let value = parse(&route, "route")?;
            f.add_route(smmkit::fleet::Route::from_value(&name, &value)?)
        })
    }

    /// The panels' names.
    #[napi(getter)]
    pub fn panels(&self) -> Vec<String> {
        self.fleet().panels()
    }

    /// Whether the fleet has a journal.
    #[napi(getter)]
    pub fn has_journal(&self) -> bool {
        self.fleet().journal().is_some()
    }

    /// Calls the fleet's method `method` with `args` (JSON).
    #[napi]
    pub fn call<'env>(
        &self,
        env: &'env Env,
        method: String,
        args: String,
    ) -> napi::Result<PromiseRaw<'env, String>> {
        let fleet = self.fleet();
        spawn(env, async move {
            match parse(&args, "arguments") {
                Ok(args) => match smmkit::fleet::call(&fleet, &method, &args).await {
                    Ok(v) => ok(&Plain(safe_numbers(v))),
                    Err(e) => err(&e),
                },
                Err(e) => err(&e),
            }
        })
    }

    /// Calls the fleet's journal's method `method` with `args` (JSON).
    #[napi]
    pub fn journal_call<'env>(
        &self,
        env: &'env Env,
        method: String,
        args: String,
    ) -> napi::Result<PromiseRaw<'env, String>> {
        let journal = self.fleet().journal().cloned();
        spawn(env, async move {
            match journal {
                Some(j) => journal_call(&j, &method, &args).await,
                None => err(&Error::Config("this fleet has no journal".into())),
            }
        })
    }
}

/// An order journal opened alone (`openJournal`), to read or resolve it.
#[napi]
pub struct NativeJournal {
    journal: Journal,
}

/// Opens the journal at `url`: the journal, or the error envelope.
#[napi]
pub async fn open_journal(url: String) -> Either<NativeJournal, String> {
    match Journal::open(&url).await {
        Ok(journal) => Either::A(NativeJournal { journal }),
        Err(e) => Either::B(err(&e)),
    }
}

#[napi]
impl NativeJournal {
    /// The journal's URL, without its password.
    #[napi(getter)]
    pub fn url(&self) -> String {
        self.journal.url().to_owned()
    }

    /// `"sqlite"` or `"postgres"`.
    #[napi(getter)]
    pub fn backend(&self) -> String {
        self.journal.backend().as_str().to_owned()
    }

    /// Calls the journal's method `method` with `args` (JSON).
    #[napi]
    pub fn call<'env>(
        &self,
        env: &'env Env,
        method: String,
        args: String,
    ) -> napi::Result<PromiseRaw<'env, String>> {
        let journal = self.journal.clone();
        spawn(
            env,
            async move { journal_call(&journal, &method, &args).await },
        )
    }
}

/// What an order of a service costs: `service` is a service object as
/// `services()` gives it, `order` the fields of the order (as `add()`
/// takes them, `service` aside). `{"ok": {"kind", "amount"}}`.
#[napi]
pub fn quote(service: String, order: String) -> String {
    let quoted = parse(&service, "service")
        .and_then(|v| {
            serde_json::from_value::<Service>(v).map_err(|e| {
                Error::Validation(smmkit::ValidationError::for_field(
                    "service",
                    format!("is not a service: {e}"),
                ))
            })
        })
        .and_then(|service| {
            let mut v = parse(&order, "order")?;
            if let Value::Object(map) = &mut v {
                map.insert("service".into(), service.id.get().into());
            }
            let request = OrderInput::from_value(&v)?.into_request(Some(&(&service).into()))?;
            Ok(smmkit::quote(&request, &service)?)
        });
    match quoted {
        Ok(q) => ok(&q),
        Err(e) => err(&e),
    }
}

/// Exact decimal arithmetic on money strings: `op` is `add`, `sub`,
/// `mul`, `div`, `cmp` or `round` (`b` the decimals).
#[napi]
pub fn money(op: String, a: String, b: String) -> String {
    let num = |t: &str, field: &str| {
        smmkit::wire::parse_decimal(t).ok_or_else(|| {
            Error::Validation(smmkit::ValidationError::for_field(
                field,
                format!(
                    "`{}` is not a decimal",
                    t.chars().take(40).collect::<String>()
                ),
            ))
        })
    };
    let overflow = || {
        Error::Validation(smmkit::ValidationError::general(
            "the result is beyond what a decimal holds",
        ))
    };
    let done = (|| -> Result<String, Error> {
        let x = num(&a, "a")?;
        Ok(match op.as_str() {
            "round" => {
                let places = b
                    .trim()
                    .parse::<u32>()
                    .ok()
                    .filter(|p| *p <= 28)
                    .ok_or_else(|| {
                        Error::Validation(smmkit::ValidationError::for_field(
                            "decimals",
                            "must be a whole number from 0 to 28",
                        ))
                    })?;
                x.round_dp_with_strategy(places, smmkit::RoundingStrategy::MidpointAwayFromZero)
                    .to_string()
            }
            "cmp" => match x.cmp(&num(&b, "b")?) {
                std::cmp::Ordering::Less => "-1".into(),
                std::cmp::Ordering::Equal => "0".into(),
                std::cmp::Ordering::Greater => "1".into(),
            },
            "add" => x
                .checked_add(num(&b, "b")?)
                .ok_or_else(overflow)?
                .to_string(),
            "sub" => x
                .checked_sub(num(&b, "b")?)
                .ok_or_else(overflow)?
                .to_string(),
            "mul" => x
                .checked_mul(num(&b, "b")?)
                .ok_or_else(overflow)?
                .to_string(),
            "div" => {
                let y = num(&b, "b")?;
                if y.is_zero() {
                    return Err(Error::Validation(smmkit::ValidationError::for_field(
                        "b",
                        "cannot divide by zero",
                    )));
                }
                x.checked_div(y)
                    .ok_or_else(overflow)?
                    .normalize()
                    .to_string()
            }
            other => {
                return Err(Error::Config(format!("unknown money operation `{other}`")));
            }
        })
    })();
    match done {
        Ok(text) => ok(&json::Text(text)),
        Err(e) => err(&e),
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
    ServiceColumns::from_parts(smmkit::wire::decode_services_into(&body, Part::default))
}

/// How this addon was built: `"release"` or `"debug"`.
#[napi]
pub fn build_profile() -> String {
    if cfg!(debug_assertions) {
        "debug"
    } else {
        "release"
    }
    .to_owned()
}

/// Every error code the core gives, for the package's parity check.
#[napi]
pub fn error_codes() -> Vec<String> {
    Error::codes().map(str::to_owned).collect()
}

/// The core's word lists as JSON: `serviceTypes`, `orderStates`,
/// `refillStates`, `orderForms`.
#[napi]
pub fn word_lists() -> String {
    serde_json::json!({
        "serviceTypes": smmkit::ServiceType::known().map(|t| t.as_str().to_owned()).collect::<Vec<_>>(),
        "orderStates": smmkit::OrderState::known().map(|t| t.as_str().to_owned()).collect::<Vec<_>>(),
        "refillStates": smmkit::RefillState::known().map(|t| t.as_str().to_owned()).collect::<Vec<_>>(),
        "orderForms": smmkit::OrderForm::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
    })
    .to_string()
}

/// A running sandbox panel; the package's `Sandbox` wraps it.
#[napi]
pub struct NativeSandbox {
    inner: SandboxSlot,
    url: String,
    key: String,
}

fn sandbox_error(message: impl Into<String>) -> Error {
    Error::Config(message.into())
}

fn sandbox_config(options: &str) -> Result<SandboxConfig, Error> {
    let o: Value = serde_json::from_str(options)
        .map_err(|e| sandbox_error(format!("sandbox options: {e}")))?;
    let get = |k: &str| o.get(k).filter(|v| !v.is_null());
    let mut config = SandboxConfig::default();
    if let Some(v) = get("seed") {
        config.seed = smmkit::input::whole(v, "seed", 0)?;
    }
    if let Some(v) = get("services") {
        let n = smmkit::input::whole(v, "services", 1)?;
        config.services = usize::try_from(n).unwrap_or(usize::MAX);
    }
    config.clock = match o.get("speed") {
        Some(Value::Null) => Clock::manual(),
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
        echo: get("echo").and_then(Value::as_bool).unwrap_or(false),
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
        config.catalog = Some(Catalog::from_json(text).map_err(|e| sandbox_error(e.to_string()))?);
    }
    Ok(config)
}

/// Starts a sandbox; `options` is JSON: `{ seed, services, speed (null: a
/// manual clock), dialect, numbers, echo, balance, currency, key,
/// catalogJson }`. The sandbox, or the error envelope.
#[napi]
pub fn create_sandbox(options: String) -> Either<NativeSandbox, String> {
    let started = sandbox_config(&options).and_then(|config| {
        napi::bindgen_prelude::block_on(Sandbox::start(config))
            .map_err(|e| sandbox_error(e.to_string()))
    });
    match started {
        Ok(sandbox) => Either::A(NativeSandbox {
            url: sandbox.url().to_owned(),
            key: sandbox.key().to_owned(),
            inner: SandboxSlot::new(sandbox),
        }),
        Err(e) => Either::B(err(&e)),
    }
}

fn faults_of(json: &str) -> Result<Faults, Error> {
    let f: Value = serde_json::from_str(json).map_err(|e| sandbox_error(format!("faults: {e}")))?;
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
    Ok(faults)
}

impl NativeSandbox {
    fn with<T>(&self, f: impl FnOnce(&Sandbox) -> T) -> Result<T, Error> {
        self.inner
            .with(f)
            .ok_or_else(|| sandbox_error("the sandbox is closed"))
    }

    fn envelope(&self, f: impl FnOnce(&Sandbox) -> Result<Value, Error>) -> String {
        match self.with(f).and_then(|r| r) {
            Ok(v) => ok(&json::Plain(v)),
            Err(e) => err(&e),
        }
    }
}

#[napi]
impl NativeSandbox {
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
    pub fn advance(&self, seconds: f64) -> String {
        self.envelope(|s| {
            if !(seconds.is_finite() && seconds >= 0.0) {
                return Err(sandbox_error("seconds must be 0 or more"));
            }
            s.clock().advance(Duration::from_secs_f64(seconds));
            Ok(Value::Null)
        })
    }

    /// The orders the sandbox created.
    #[napi]
    pub fn orders(&self) -> String {
        self.envelope(|s| {
            Ok(Value::Array(
                s.orders()
                    .into_iter()
                    .map(|o| {
                        serde_json::json!({
                            "id": o.id, "service": o.service, "link": o.link, "quantity": o.quantity,
                            "charge": o.charge.to_string(), "polls": o.polls,
                        })
                    })
                    .collect(),
            ))
        })
    }

    /// The account's balance, as a decimal string.
    #[napi]
    pub fn balance(&self) -> String {
        self.envelope(|s| {
            Ok(Value::String(
                s.balance(s.key()).unwrap_or(Decimal::ZERO).to_string(),
            ))
        })
    }

    /// Switches fault injection; `faults` is JSON with shares from 0 to 1.
    #[napi]
    pub fn set_faults(&self, faults: String) -> String {
        self.envelope(|s| {
            s.set_faults(faults_of(&faults)?);
            Ok(Value::Null)
        })
    }

    /// How many requests were answered cleanly and how many got each fault.
    #[napi]
    pub fn fault_counts(&self) -> String {
        self.envelope(|s| {
            let c = s.fault_counts();
            Ok(serde_json::json!({
                "clean": c.clean, "serverError": c.server_error, "html": c.html, "drop": c.drop,
                "stall": c.stall, "afterAction": c.after_action,
            }))
        })
    }

    /// How many connections clients opened, the most open at once, and the
    /// most requests answered at once.
    #[napi]
    pub fn connections(&self) -> String {
        self.envelope(|s| {
            let c = s.connections();
            Ok(serde_json::json!({
                "opened": c.opened,
                "mostOpen": c.most_open,
                "mostInFlight": c.most_in_flight,
            }))
        })
    }

    /// Stops the sandbox.
    #[napi]
    pub fn close(&self) {
        let taken = self.inner.take();
        drop(taken);
    }
}
