//! The panel itself: accounts, orders and refills on the sandbox's clock,
//! and the answer to every API v2 action.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::Duration;

use rust_decimal::Decimal;

use crate::catalog::{Catalog, CatalogService, Form, form_of};
use crate::clock::Clock;
use crate::json::J;

/// How numbers are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Numbers {
    /// `"100"`, `"0.27819"`: what most panels send.
    #[default]
    Strings,
    /// `100`, `0.27819`: bare JSON numbers.
    Bare,
}

/// Which panel's answer shapes to use where panels differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Shapes {
    /// `{"error": ...}` entries in multi-status, `[{"order":1,"cancel":1}]`.
    #[default]
    Common,
    /// fampage's: bare-string errors in multi-status, `{"ok":"true"}` on
    /// cancel, cancels keyed by id.
    Fampage,
}

/// How the sandbox speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Dialect {
    /// How numbers are written.
    pub numbers: Numbers,
    /// Which answer shapes to use.
    pub shapes: Shapes,
    /// Whether refusals of a key and fault pages echo the request, the key
    /// included (raw, percent-encoded, JSON- and HTML-escaped), as some
    /// panels' debug pages do: for testing that a client never shows it.
    pub echo: bool,
}

impl Dialect {
    /// fampage's dialect: its shapes, numbers as its documentation writes them.
    pub const FAMPAGE: Dialect = Dialect {
        numbers: Numbers::Strings,
        shapes: Shapes::Fampage,
        echo: false,
    };

    fn int(self, n: u64) -> J {
        match self.numbers {
            Numbers::Strings => J::Str(n.to_string()),
            Numbers::Bare => J::Num(n.to_string()),
        }
    }

    fn signed(self, n: i64) -> J {
        match self.numbers {
            Numbers::Strings => J::Str(n.to_string()),
            Numbers::Bare => J::Num(n.to_string()),
        }
    }

    fn dec(self, d: Decimal) -> J {
        match self.numbers {
            Numbers::Strings => J::Str(d.to_string()),
            Numbers::Bare => J::Num(d.to_string()),
        }
    }
}

/// The answer to `action=services` for `catalog`, written in `dialect`,
/// exactly as the sandbox serves it.
///
/// ```
/// use smmkit_sandbox::{Catalog, Dialect, services_json};
/// let json = services_json(&Catalog::generate(1, 50), Dialect::default());
/// assert!(json.starts_with(r#"[{"service":"1","#));
/// ```
pub fn services_json(catalog: &Catalog, dialect: Dialect) -> String {
    let d = dialect;
    let list = catalog
        .services()
        .iter()
        .map(|s| {
            let mut m = vec![
                ("service".to_owned(), d.int(s.id)),
                ("name".to_owned(), J::str(s.name.clone())),
                ("type".to_owned(), J::str(s.kind.clone())),
                ("category".to_owned(), J::str(s.category.clone())),
                ("rate".to_owned(), J::Str(s.rate.to_string())),
                ("min".to_owned(), d.int(s.min)),
                ("max".to_owned(), d.int(s.max)),
                ("refill".to_owned(), J::Bool(s.refill)),
                ("cancel".to_owned(), J::Bool(s.cancel)),
            ];
            if d.shapes == Shapes::Common {
                m.push(("dripfeed".to_owned(), J::Bool(s.dripfeed)));
                m.push(("desc".to_owned(), s.desc.clone().map_or(J::Null, J::Str)));
                if let Some(t) = &s.average_time {
                    m.push(("average_time".to_owned(), J::str(t.clone())));
                }
            }
            J::Obj(m)
        })
        .collect();
    J::Arr(list).render()
}

/// An account of the sandbox.
#[derive(Debug, Clone)]
struct Account {
    key: String,
    balance: Decimal,
    currency: String,
}

/// An order as the sandbox records it.
#[derive(Debug, Clone, PartialEq)]
pub struct SandboxOrder {
    /// The order id.
    pub id: u64,
    /// The account's key index (0 is the first account).
    pub account: usize,
    /// The service.
    pub service: u64,
    /// The link (or the username of a subscription).
    pub link: String,
    /// The quantity charged for.
    pub quantity: u64,
    /// What was taken from the balance when the order was placed.
    pub charge: Decimal,
    /// Sandbox time of creation.
    pub created: Duration,
    /// How many times its status was asked for (alone or in a batch).
    pub polls: u64,
}

#[derive(Debug, Clone)]
struct OrderRec {
    public: SandboxOrder,
    rate: Decimal,
    start_count: u64,
    pending: Duration,
    duration: Duration,
    /// Where delivery stops for a partial order (fraction delivered).
    partial_at: Option<f64>,
    canceled: Option<(Duration, u64)>,
    refunded: Decimal,
}

enum Phase {
    Pending,
    InProgress { delivered: u64 },
    Completed,
    Partial { delivered: u64 },
    Canceled { delivered: u64 },
}

impl OrderRec {
    fn phase(&self, now: Duration) -> Phase {
        let q = self.public.quantity;
        if let Some((_, delivered)) = self.canceled {
            return Phase::Canceled { delivered };
        }
        let t = now.saturating_sub(self.public.created);
        if t < self.pending {
            return Phase::Pending;
        }
        let progress = (t - self.pending).as_secs_f64() / self.duration.as_secs_f64().max(1e-9);
        let stop = self.partial_at.unwrap_or(1.0);
        let delivered = |f: f64| ((q as f64) * f).floor().min(q as f64) as u64;
        if progress < stop {
            Phase::InProgress {
                delivered: delivered(progress),
            }
        } else if self.partial_at.is_some() {
            Phase::Partial {
                delivered: delivered(stop),
            }
        } else {
            Phase::Completed
        }
    }

    fn is_final(&self, now: Duration) -> bool {
        matches!(
            self.phase(now),
            Phase::Completed | Phase::Partial { .. } | Phase::Canceled { .. }
        )
    }

    /// When a partial order stops, so its refund can be paid.
    fn stops_at(&self) -> Option<Duration> {
        self.partial_at
            .map(|f| self.public.created + self.pending + self.duration.mul_f64(f))
    }
}

#[derive(Debug, Clone)]
struct RefillRec {
    account: usize,
    created: Duration,
    pending: Duration,
    duration: Duration,
    rejected: bool,
}

impl RefillRec {
    fn word(&self, now: Duration) -> &'static str {
        let t = now.saturating_sub(self.created);
        if t < self.pending {
            "Pending"
        } else if t < self.pending + self.duration {
            if self.rejected {
                "Pending"
            } else {
                "In progress"
            }
        } else if self.rejected {
            "Rejected"
        } else {
            "Completed"
        }
    }

    fn is_final(&self, now: Duration) -> bool {
        now.saturating_sub(self.created) >= self.pending + self.duration
    }
}

struct State {
    accounts: Vec<Account>,
    orders: HashMap<u64, OrderRec>,
    /// Orders in the order they were created.
    ledger: Vec<u64>,
    /// How many times each order's status was asked for.
    polls: HashMap<u64, u64>,
    refills: HashMap<u64, RefillRec>,
    /// The last refill of each order.
    order_refill: HashMap<u64, u64>,
    next_order: u64,
    next_refill: u64,
    /// Partial orders whose refund is due, by time.
    due: BinaryHeap<Reverse<(Duration, u64)>>,
    rng: fastrand::Rng,
}

/// The sandbox's panel: shared by every connection.
pub(crate) struct Panel {
    catalog: Catalog,
    clock: Clock,
    dialect: Dialect,
    state: Mutex<State>,
    /// The catalog's answer, rendered once and shared by every request.
    services_body: OnceLock<bytes::Bytes>,
}

/// The parameters of one request, from the query string and the body.
pub(crate) struct Params(pub(crate) Vec<(String, String)>);

impl Params {
    /// The request as a debug page shows it: the key as received, and
    /// the parameters percent-encoded as they were sent.
    pub(crate) fn echo(&self) -> String {
        let encoded = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(self.0.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .finish();
        format!(
            "key \"{}\" in request {encoded}",
            self.get("key").unwrap_or_default()
        )
    }
}

impl Params {
    fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn text(&self, name: &str) -> Option<&str> {
        self.get(name).filter(|v| !v.trim().is_empty())
    }

    fn number(&self, name: &str) -> Result<Option<u64>, &'static str> {
        match self.text(name) {
            None => Ok(None),
            Some(v) => v
                .trim()
                .parse::<u64>()
                .map(Some)
                .map_err(|_| "Incorrect request"),
        }
    }

    fn lines(&self, name: &str) -> Option<Vec<&str>> {
        let lines: Vec<&str> = self
            .text(name)?
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        (!lines.is_empty()).then_some(lines)
    }
}

/// What an action answers.
pub(crate) enum Answer {
    Json(J),
    /// The catalog, rendered once.
    Text(bytes::Bytes),
}

const INCORRECT_REQUEST: &str = "Incorrect request";
const INCORRECT_ORDER: &str = "Incorrect order ID";
const MULTI_LIMIT: usize = 100;

/// The ids of a multi request (`orders=1,2,3`), if there are 1 to 100.
fn batch(list: &str) -> Option<Vec<u64>> {
    let ids: Vec<u64> = list
        .split(',')
        .filter_map(|s| s.trim().parse::<u64>().ok())
        .collect();
    (!ids.is_empty() && ids.len() <= MULTI_LIMIT).then_some(ids)
}

impl Panel {
    pub(crate) fn new(
        catalog: Catalog,
        clock: Clock,
        dialect: Dialect,
        seed: u64,
        accounts: Vec<(String, Decimal, String)>,
    ) -> Panel {
        Panel {
            catalog,
            clock,
            dialect,
            state: Mutex::new(State {
                accounts: accounts
                    .into_iter()
                    .map(|(key, balance, currency)| Account {
                        key,
                        balance,
                        currency,
                    })
                    .collect(),
                orders: HashMap::new(),
                ledger: Vec::new(),
                polls: HashMap::new(),
                refills: HashMap::new(),
                order_refill: HashMap::new(),
                next_order: 10_001,
                next_refill: 501,
                due: BinaryHeap::new(),
                rng: fastrand::Rng::with_seed(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15)),
            }),
            services_body: OnceLock::new(),
        }
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub(crate) fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    pub(crate) fn add_account(&self, key: String, balance: Decimal, currency: String) {
        self.lock().accounts.push(Account {
            key,
            balance,
            currency,
        });
    }

    pub(crate) fn balance_of(&self, key: &str) -> Option<Decimal> {
        let mut st = self.lock();
        self.settle(&mut st);
        st.accounts.iter().find(|a| a.key == key).map(|a| a.balance)
    }

    pub(crate) fn orders(&self) -> Vec<SandboxOrder> {
        let st = self.lock();
        st.ledger
            .iter()
            .filter_map(|id| st.orders.get(id))
            .map(|o| SandboxOrder {
                polls: st.polls.get(&o.public.id).copied().unwrap_or(0),
                ..o.public.clone()
            })
            .collect()
    }

    /// Pays the refunds of partial orders that have stopped by now.
    fn settle(&self, st: &mut State) {
        let now = self.clock.now();
        while let Some(Reverse((at, id))) = st.due.peek().copied() {
            if at > now {
                break;
            }
            st.due.pop();
            let Some(order) = st.orders.get_mut(&id) else {
                continue;
            };
            if order.canceled.is_some() {
                continue;
            }
            if let Phase::Partial { delivered } = order.phase(now) {
                let refund = order.rate * Decimal::from(order.public.quantity - delivered)
                    / Decimal::ONE_THOUSAND;
                order.refunded += refund;
                let account = order.public.account;
                st.accounts[account].balance += refund;
            }
        }
    }

    /// Answers one request.
    pub(crate) fn handle(&self, params: &Params) -> Answer {
        let mut st = self.lock();
        self.settle(&mut st);
        let Some(account) = params
            .get("key")
            .and_then(|k| st.accounts.iter().position(|a| a.key == k))
        else {
            if self.dialect.echo {
                return Answer::Json(J::error(&format!("Invalid API key: {}", params.echo())));
            }
            return Answer::Json(J::error("Invalid API key"));
        };
        let body = match params.get("action").unwrap_or_default() {
            "services" => {
                drop(st);
                return Answer::Text(
                    self.services_body
                        .get_or_init(|| bytes::Bytes::from(self.render_services()))
                        .clone(),
                );
            }
            "add" => self.add(&mut st, account, params),
            "status" => self.status(&mut st, account, params),
            "refill" => self.refill(&mut st, account, params),
            "refill_status" => self.refill_status(&st, account, params),
            "cancel" => self.cancel(&mut st, account, params),
            "balance" => {
                let a = &st.accounts[account];
                J::obj([
                    ("balance", self.dialect.dec(a.balance)),
                    ("currency", J::str(a.currency.clone())),
                ])
            }
            _ => J::error(INCORRECT_REQUEST),
        };
        Answer::Json(body)
    }

    fn render_services(&self) -> String {
        services_json(&self.catalog, self.dialect)
    }

    fn status_of(&self, st: &State, order: &OrderRec) -> J {
        let now = self.clock.now();
        let q = order.public.quantity;
        let (word, remains, started) = match order.phase(now) {
            Phase::Pending => ("Pending", q, false),
            Phase::InProgress { delivered } => ("In progress", q - delivered, true),
            Phase::Completed => ("Completed", 0, true),
            Phase::Partial { delivered } => ("Partial", q - delivered, true),
            Phase::Canceled { delivered } => ("Canceled", q - delivered, delivered > 0),
        };
        let d = self.dialect;
        let start_count = if started { order.start_count } else { 0 };
        J::obj([
            (
                "charge",
                d.dec((order.public.charge - order.refunded).normalize()),
            ),
            ("start_count", d.int(start_count)),
            ("status", J::str(word)),
            (
                "remains",
                d.signed(i64::try_from(remains).unwrap_or(i64::MAX)),
            ),
            (
                "currency",
                J::str(st.accounts[order.public.account].currency.clone()),
            ),
        ])
    }

    fn own<'a>(&self, st: &'a State, account: usize, id: u64) -> Option<&'a OrderRec> {
        st.orders.get(&id).filter(|o| o.public.account == account)
    }

    /// An error entry of a multi answer, in the dialect's shape.
    fn entry_error(&self, text: &str) -> J {
        match self.dialect.shapes {
            Shapes::Fampage => J::str(text),
            Shapes::Common => J::error(text),
        }
    }

    fn status(&self, st: &mut State, account: usize, params: &Params) -> J {
        let asked: Vec<u64> = match (params.text("orders"), params.number("order")) {
            (Some(list), _) => batch(list).unwrap_or_default(),
            (None, Ok(Some(id))) => vec![id],
            _ => Vec::new(),
        };
        for id in asked {
            if self.own(st, account, id).is_some() {
                *st.polls.entry(id).or_insert(0) += 1;
            }
        }
        if let Some(list) = params.text("orders") {
            let Some(ids) = batch(list) else {
                return J::error(INCORRECT_REQUEST);
            };
            let entries = ids
                .into_iter()
                .map(|id| {
                    let v = match self.own(st, account, id) {
                        Some(o) => self.status_of(st, o),
                        None => self.entry_error(INCORRECT_ORDER),
                    };
                    (id.to_string(), v)
                })
                .collect();
            return J::Obj(entries);
        }
        match params.number("order") {
            Ok(Some(id)) => match self.own(st, account, id) {
                Some(o) => self.status_of(st, o),
                None => J::error(INCORRECT_ORDER),
            },
            _ => J::error(INCORRECT_REQUEST),
        }
    }

    fn add(&self, st: &mut State, account: usize, params: &Params) -> J {
        match self.create(st, account, params) {
            Ok(id) => J::obj([("order", self.dialect.int(id))]),
            Err(text) => J::error(&text),
        }
    }

    /// Validates an order as a panel does and creates it.
    fn create(&self, st: &mut State, account: usize, params: &Params) -> Result<u64, String> {
        let bad = || INCORRECT_REQUEST.to_owned();
        let service = params
            .number("service")
            .map_err(|e| e.to_owned())?
            .and_then(|id| self.catalog.get(id))
            .ok_or_else(|| "Incorrect service ID".to_owned())?;
        let form = form_of(&service.kind);
        let link = params.text("link");
        let needs_link = form != Form::Subscriptions;
        if needs_link && link.is_none_or(|l| l.chars().any(char::is_whitespace)) {
            return Err("Incorrect link".into());
        }
        let quantity = params.number("quantity").map_err(|e| e.to_owned())?;
        let need = |name: &str| params.text(name).map(|_| ()).ok_or_else(bad);
        let lines = |name: &str| params.lines(name).map(|l| l.len() as u64).ok_or_else(bad);
        // The quantity the min/max bound, and what is charged (× runs).
        let (units, charged_units) = match form {
            Form::Default => {
                let q = quantity.ok_or_else(bad)?;
                let runs = params.number("runs").map_err(|e| e.to_owned())?;
                let interval = params.number("interval").map_err(|e| e.to_owned())?;
                match (runs, interval) {
                    (None, None) => (q, q),
                    (Some(r), Some(i)) if r >= 1 && i >= 1 => {
                        if !service.dripfeed {
                            return Err("Drip-feed is not available for this service".into());
                        }
                        (q, q.saturating_mul(r))
                    }
                    _ => return Err(bad()),
                }
            }
            Form::Package => (1, 1),
            Form::CustomCommentsPackage => {
                lines("comments")?;
                (1, 1)
            }
            Form::CustomComments => {
                let n = lines("comments")?;
                (n, n)
            }
            Form::MentionsCustomList => {
                let n = lines("usernames")?;
                (n, n)
            }
            Form::CommentReplies => {
                need("username")?;
                let n = lines("comments")?;
                (n, n)
            }
            Form::Subscriptions => {
                need("username")?;
                let min = params
                    .number("min")
                    .map_err(|e| e.to_owned())?
                    .ok_or_else(bad)?;
                let max = params
                    .number("max")
                    .map_err(|e| e.to_owned())?
                    .ok_or_else(bad)?;
                params
                    .number("delay")
                    .map_err(|e| e.to_owned())?
                    .ok_or_else(bad)?;
                if min == 0 || max < min {
                    return Err(bad());
                }
                if min < service.min {
                    return Err(format!("Quantity less than minimal {}", service.min));
                }
                if max > service.max {
                    return Err(format!("Quantity more than maximum {}", service.max));
                }
                let posts = params
                    .number("posts")
                    .map_err(|e| e.to_owned())?
                    .unwrap_or(1)
                    .max(1);
                (max, max.saturating_mul(posts))
            }
            other => {
                let q = quantity.ok_or_else(bad)?;
                match other {
                    Form::Seo => {
                        lines("keywords")?;
                    }
                    Form::Mentions => {
                        lines("usernames")?;
                    }
                    Form::MentionsWithHashtags => {
                        lines("usernames")?;
                        lines("hashtags")?;
                    }
                    Form::MentionsHashtag => need("hashtag")?,
                    Form::MentionsUserFollowers | Form::CommentLikes => need("username")?,
                    Form::MentionsMediaLikers => need("media")?,
                    Form::Poll => {
                        params
                            .number("answer_number")
                            .map_err(|e| e.to_owned())?
                            .filter(|n| *n >= 1)
                            .ok_or_else(bad)?;
                    }
                    Form::InvitesFromGroups => {
                        lines("groups")?;
                    }
                    Form::WebTraffic => {
                        need("country")?;
                        let device = params
                            .number("device")
                            .map_err(|e| e.to_owned())?
                            .ok_or_else(bad)?;
                        let traffic = params
                            .number("type_of_traffic")
                            .map_err(|e| e.to_owned())?
                            .ok_or_else(bad)?;
                        if !(1..=5).contains(&device) || !(1..=3).contains(&traffic) {
                            return Err(bad());
                        }
                        if traffic == 1 {
                            need("google_keyword")?;
                        }
                        if traffic == 2 {
                            need("referring_url")?;
                        }
                    }
                    _ => {}
                }
                (q, q)
            }
        };
        if form != Form::Subscriptions {
            if units < service.min {
                return Err(format!("Quantity less than minimal {}", service.min));
            }
            if units > service.max {
                return Err(format!("Quantity more than maximum {}", service.max));
            }
        }
        let target = link
            .or_else(|| params.text("username"))
            .unwrap_or_default()
            .to_owned();
        let now = self.clock.now();
        let busy = st.orders.values().any(|o| {
            o.public.account == account
                && o.public.service == service.id
                && o.public.link == target
                && !o.is_final(now)
        });
        if busy {
            return Err(
                "You have active order with this link. Please wait until order being completed."
                    .into(),
            );
        }
        let charge = match form {
            Form::Package | Form::CustomCommentsPackage => service.rate,
            _ => service.rate * Decimal::from(charged_units) / Decimal::ONE_THOUSAND,
        };
        if st.accounts[account].balance < charge {
            return Err("Not enough funds on balance".into());
        }
        Ok(self.record(st, account, service, target, charged_units, charge, now))
    }

    #[allow(clippy::too_many_arguments)]
    fn record(
        &self,
        st: &mut State,
        account: usize,
        service: &CatalogService,
        link: String,
        quantity: u64,
        charge: Decimal,
        now: Duration,
    ) -> u64 {
        st.accounts[account].balance -= charge;
        let id = st.next_order;
        st.next_order += 1;
        let rng = &mut st.rng;
        let pending = Duration::from_secs(rng.u64(5..=60));
        // Bigger orders take longer: 2 to 30 minutes of sandbox time.
        let size = (quantity as f64).log10().clamp(0.0, 7.0) / 7.0;
        let duration = Duration::from_secs_f64(120.0 + size * 1680.0 * (0.5 + rng.f64()));
        let partial_at = (rng.u8(0..10) == 0).then(|| 0.3 + rng.f64() * 0.6);
        let order = OrderRec {
            public: SandboxOrder {
                id,
                account,
                service: service.id,
                link,
                quantity,
                charge,
                created: now,
                polls: 0,
            },
            rate: match form_of(&service.kind) {
                Form::Package | Form::CustomCommentsPackage => charge * Decimal::ONE_THOUSAND,
                _ => service.rate,
            },
            start_count: rng.u64(0..100_000),
            pending,
            duration,
            partial_at,
            canceled: None,
            refunded: Decimal::ZERO,
        };
        if let Some(at) = order.stops_at() {
            st.due.push(Reverse((at, id)));
        }
        st.orders.insert(id, order);
        st.ledger.push(id);
        id
    }

    fn refill(&self, st: &mut State, account: usize, params: &Params) -> J {
        if let Some(list) = params.text("orders") {
            let Some(ids) = batch(list) else {
                return J::error(INCORRECT_REQUEST);
            };
            let entries = ids
                .into_iter()
                .map(|id| {
                    let refill = match self.create_refill(st, account, id) {
                        Ok(r) => self.dialect.int(r),
                        Err(text) => J::error(text),
                    };
                    J::obj([("order", J::Num(id.to_string())), ("refill", refill)])
                })
                .collect();
            return J::Arr(entries);
        }
        match params.number("order") {
            Ok(Some(id)) => match self.create_refill(st, account, id) {
                Ok(r) => J::obj([("refill", self.dialect.int(r))]),
                Err(text) => J::error(text),
            },
            _ => J::error(INCORRECT_REQUEST),
        }
    }

    fn create_refill(
        &self,
        st: &mut State,
        account: usize,
        order: u64,
    ) -> Result<u64, &'static str> {
        let now = self.clock.now();
        let o = self.own(st, account, order).ok_or(INCORRECT_ORDER)?;
        let refillable = self.catalog.get(o.public.service).is_some_and(|s| s.refill);
        let delivered = matches!(o.phase(now), Phase::Completed | Phase::Partial { .. });
        let busy = st
            .order_refill
            .get(&order)
            .and_then(|r| st.refills.get(r))
            .is_some_and(|r| !r.is_final(now));
        if !refillable || !delivered || busy {
            return Err("Order not eligible for refill.");
        }
        let id = st.next_refill;
        st.next_refill += 1;
        let rng = &mut st.rng;
        let refill = RefillRec {
            account,
            created: now,
            pending: Duration::from_secs(rng.u64(10..=60)),
            duration: Duration::from_secs(rng.u64(60..=600)),
            rejected: rng.u8(0..10) == 0,
        };
        st.refills.insert(id, refill);
        st.order_refill.insert(order, id);
        Ok(id)
    }

    fn refill_status(&self, st: &State, account: usize, params: &Params) -> J {
        let now = self.clock.now();
        let word = |id: u64| {
            st.refills
                .get(&id)
                .filter(|r| r.account == account)
                .map(|r| r.word(now))
        };
        if let Some(list) = params.text("refills") {
            let Some(ids) = batch(list) else {
                return J::error(INCORRECT_REQUEST);
            };
            let entries = ids
                .into_iter()
                .map(|id| {
                    let status = word(id).map_or_else(|| J::error("Refill not found"), J::str);
                    J::obj([("refill", J::Num(id.to_string())), ("status", status)])
                })
                .collect();
            return J::Arr(entries);
        }
        match params.number("refill") {
            Ok(Some(id)) => match word(id) {
                Some(w) => J::obj([("status", J::str(w))]),
                None => J::error("Refill not found"),
            },
            _ => J::error(INCORRECT_REQUEST),
        }
    }

    fn cancel(&self, st: &mut State, account: usize, params: &Params) -> J {
        if let Some(list) = params.text("orders") {
            let Some(ids) = batch(list) else {
                return J::error(INCORRECT_REQUEST);
            };
            let results: Vec<(u64, Result<(), &str>)> = ids
                .into_iter()
                .map(|id| (id, self.cancel_one(st, account, id)))
                .collect();
            return match self.dialect.shapes {
                Shapes::Common => J::Arr(
                    results
                        .into_iter()
                        .map(|(id, r)| {
                            let v = r.map_or_else(J::error, |()| J::Num("1".into()));
                            J::obj([("order", J::Num(id.to_string())), ("cancel", v)])
                        })
                        .collect(),
                ),
                Shapes::Fampage => J::Obj(
                    results
                        .into_iter()
                        .map(|(id, r)| {
                            let v = r.map_or_else(J::error, |()| {
                                J::obj([("cancel", J::str("requested"))])
                            });
                            (id.to_string(), v)
                        })
                        .collect(),
                ),
            };
        }
        match params.number("order") {
            Ok(Some(id)) => match (self.cancel_one(st, account, id), self.dialect.shapes) {
                (Ok(()), Shapes::Fampage) => J::obj([("ok", J::str("true"))]),
                (Ok(()), Shapes::Common) => J::obj([("cancel", J::Num("1".into()))]),
                (Err(text), _) => J::error(text),
            },
            _ => J::error(INCORRECT_REQUEST),
        }
    }

    fn cancel_one(&self, st: &mut State, account: usize, id: u64) -> Result<(), &'static str> {
        let now = self.clock.now();
        let cancelable = {
            let o = self.own(st, account, id).ok_or(INCORRECT_ORDER)?;
            self.catalog.get(o.public.service).is_some_and(|s| s.cancel)
        };
        let Some(order) = st.orders.get_mut(&id) else {
            return Err(INCORRECT_ORDER);
        };
        let delivered = match order.phase(now) {
            Phase::Pending => 0,
            Phase::InProgress { delivered } => delivered,
            _ => return Err("This order can not be canceled"),
        };
        if !cancelable {
            return Err("This order can not be canceled");
        }
        let refund =
            order.rate * Decimal::from(order.public.quantity - delivered) / Decimal::ONE_THOUSAND;
        let refund = refund.min(order.public.charge);
        order.canceled = Some((now, delivered));
        order.refunded += refund;
        let account = order.public.account;
        st.accounts[account].balance += refund;
        Ok(())
    }
}
