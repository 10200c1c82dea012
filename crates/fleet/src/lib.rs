//! smmkit across several panels: a [`Fleet`] of named providers, with
//! compare, routes that send an order to the right panel with safe
//! failover, and price lists with markup.
//!
//! Failing over is where hand-written code buys twice: after an `add`
//! whose outcome is unknown, the order may exist. A routed `add` moves to
//! the next panel **only when the failure proves nothing was placed** —
//! the order failed its checks before sending, the panel refused it
//! (insufficient funds, unknown service, quantity out of range…), or the
//! connection could not be opened — and stops at
//! [`Error::OutcomeUnknown`].
//! With a journal, every attempt is journaled and one idempotency key
//! covers the whole route.
//!
//! ```no_run
//! # async fn run(main: std::sync::Arc<dyn smmkit_provider_core::SmmProvider>, backup: std::sync::Arc<dyn smmkit_provider_core::SmmProvider>) -> smmkit_provider_core::Result<()> {
//! use smmkit_fleet::{Fleet, Leg, Route, RoutedOrder, Strategy};
//! use smmkit_journal::AddOptions;
//! let mut fleet = Fleet::new(None);
//! fleet.add_panel("main", main)?;
//! fleet.add_panel("backup", backup)?;
//! fleet.add_route(Route::new("ig-likes", Strategy::Cheapest, vec![Leg::parse("main:1203")?, Leg::parse("backup:77")?])?)?;
//! let order = RoutedOrder::from_value(&serde_json::json!({"link": "https://instagram.com/p/x", "quantity": 500}))?;
//! let routed = fleet.add("ig-likes", &order, &AddOptions::default()).await?;
//! println!("order {} at {}", routed.order, routed.panel);
//! # Ok(()) }
//! ```

mod calls;
mod compare;
mod prices;
mod route;
mod routed;

use std::collections::BTreeMap;
use std::sync::Arc;

use futures_util::future::join_all;
use smmkit_journal::{Journal, Journaled};
use smmkit_provider_core::{
    Balance, Error, OrderId, OrderStatus, Result, Service, ServiceId, SmmProvider,
};

pub use calls::{METHODS, call};
pub use compare::{
    Comparison, Member, PanelServices, SUGGEST_FROM, Search, Suggestion, similarity,
};
pub use prices::{Markup, PriceRow, PriceWarning, Pricing, Rounding, Selector, parse_markup};
pub use route::{Leg, Route, Strategy};
pub use routed::{Attempt, Outcome, Plan, PriceList, Routed, RoutedOrder};

/// One panel of a fleet.
#[derive(Clone)]
pub(crate) struct FleetPanel {
    pub(crate) name: String,
    /// The panel, journaled when the fleet has a journal.
    pub(crate) provider: Arc<dyn SmmProvider>,
    pub(crate) journaled: Option<Journaled>,
}

/// Several named panels behind one object, with routes between them.
#[derive(Clone, Default)]
pub struct Fleet {
    pub(crate) members: Vec<FleetPanel>,
    pub(crate) routes: BTreeMap<String, Route>,
    pub(crate) journal: Option<Journal>,
}

impl std::fmt::Debug for Fleet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fleet")
            .field("panels", &self.panels())
            .field("routes", &self.routes.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

impl Fleet {
    /// An empty fleet; with a journal, each panel added is journaled under
    /// its name, and routed orders are journaled attempt by attempt.
    pub fn new(journal: Option<Journal>) -> Fleet {
        Fleet {
            members: Vec::new(),
            routes: BTreeMap::new(),
            journal,
        }
    }

    /// Adds a panel under `name` (a profile's name), unique in the fleet.
    pub fn add_panel(
        &mut self,
        name: impl Into<String>,
        provider: Arc<dyn SmmProvider>,
    ) -> Result<()> {
        let name = name.into();
        if name.trim().is_empty() || name.chars().any(char::is_control) {
            return Err(Error::Config("a panel of a fleet needs a name".into()));
        }
        if self.members.iter().any(|m| m.name == name) {
            return Err(Error::Config(format!(
                "the fleet has a panel named `{name}` already"
            )));
        }
        let journaled = self
            .journal
            .as_ref()
            .map(|j| j.attach_as(name.clone(), Arc::clone(&provider)));
        let provider = match &journaled {
            Some(j) => Arc::new(j.clone()) as Arc<dyn SmmProvider>,
            None => provider,
        };
        self.members.push(FleetPanel {
            name,
            provider,
            journaled,
        });
        Ok(())
    }

    /// Adds a route; each of its panels must be in the fleet.
    pub fn add_route(&mut self, route: Route) -> Result<()> {
        for leg in &route.legs {
            if self.member(&leg.panel).is_none() {
                return Err(Error::Config(format!(
                    "route `{}` names panel `{}`, which is not in the fleet (panels: {})",
                    route.name,
                    leg.panel,
                    self.panels().join(", ")
                )));
            }
        }
        self.routes.insert(route.name.clone(), route);
        Ok(())
    }

    /// The panels' names, in the order they were added.
    pub fn panels(&self) -> Vec<String> {
        self.members.iter().map(|m| m.name.clone()).collect()
    }

    /// The routes, by name.
    pub fn routes(&self) -> impl Iterator<Item = &Route> {
        self.routes.values()
    }

    /// The route named `name`.
    pub fn route(&self, name: &str) -> Result<&Route> {
        self.routes.get(name).ok_or_else(|| {
            Error::Config(format!(
                "no route named `{name}` (routes: {})",
                if self.routes.is_empty() {
                    "none".to_owned()
                } else {
                    self.routes.keys().cloned().collect::<Vec<_>>().join(", ")
                }
            ))
        })
    }

    /// The fleet's journal.
    pub fn journal(&self) -> Option<&Journal> {
        self.journal.as_ref()
    }

    /// The panel named `name` (journaled when the fleet has a journal).
    pub fn panel(&self, name: &str) -> Option<&Arc<dyn SmmProvider>> {
        self.member(name).map(|m| &m.provider)
    }

    pub(crate) fn member(&self, name: &str) -> Option<&FleetPanel> {
        self.members.iter().find(|m| m.name == name)
    }

    /// Every panel's balance, asked at once.
    pub async fn balances(&self) -> Vec<(String, Result<Balance>)> {
        join_all(
            self.members
                .iter()
                .map(|m| async move { (m.name.clone(), m.provider.balance().await) }),
        )
        .await
    }

    /// A panel's catalog: the journal's stored one while fresh, else the
    /// panel's.
    pub(crate) async fn catalog_of(member: &FleetPanel) -> Result<Vec<Service>> {
        match &member.journaled {
            Some(j) => j.catalog().await,
            None => Ok(member.provider.services().await?.services),
        }
    }

    /// Every panel's catalog, asked at once.
    pub async fn catalogs(&self) -> Vec<(String, Result<Vec<Service>>)> {
        join_all(
            self.members
                .iter()
                .map(|m| async move { (m.name.clone(), Fleet::catalog_of(m).await) }),
        )
        .await
    }

    /// The statuses of orders of several panels, each asked of the panel
    /// that owns it (batched per panel); one result per order.
    pub async fn statuses(
        &self,
        orders: &[(String, OrderId)],
    ) -> Vec<((String, OrderId), Result<OrderStatus>)> {
        let mut by_panel: BTreeMap<&str, Vec<OrderId>> = BTreeMap::new();
        for (panel, id) in orders {
            by_panel.entry(panel.as_str()).or_default().push(*id);
        }
        let asked = join_all(by_panel.into_iter().map(|(panel, ids)| async move {
            match self.member(panel) {
                Some(m) => m
                    .provider
                    .statuses(&ids)
                    .await
                    .into_iter()
                    .map(|(id, r)| ((panel.to_owned(), id), r))
                    .collect::<Vec<_>>(),
                None => ids
                    .into_iter()
                    .map(|id| {
                        let e = Error::Config(format!("no panel named `{panel}` in the fleet"));
                        ((panel.to_owned(), id), Err(e))
                    })
                    .collect(),
            }
        }))
        .await;
        let mut found: BTreeMap<(String, OrderId), Result<OrderStatus>> =
            asked.into_iter().flatten().collect();
        orders
            .iter()
            .map(|key| {
                let r = found.remove(key).unwrap_or_else(|| {
                    Err(Error::Config(format!("order {} was asked twice", key.1)))
                });
                (key.clone(), r)
            })
            .collect()
    }

    /// The services matching `search` on every panel (or those named),
    /// cheapest first, and suggested matches of the same offering across
    /// panels.
    pub async fn compare(&self, search: &Search, panels: Option<&[String]>) -> Result<Comparison> {
        if let Some(names) = panels {
            for n in names {
                if self.member(n).is_none() {
                    return Err(Error::Config(format!(
                        "no panel named `{n}` in the fleet (panels: {})",
                        self.panels().join(", ")
                    )));
                }
            }
        }
        let chosen: Vec<&FleetPanel> = self
            .members
            .iter()
            .filter(|m| panels.is_none_or(|names| names.contains(&m.name)))
            .collect();
        let found = join_all(chosen.iter().map(|m| async move {
            match Fleet::catalog_of(m).await {
                Ok(all) => {
                    let mut services: Vec<Service> =
                        all.into_iter().filter(|s| search.matches(s)).collect();
                    services.sort_by(|a, b| a.rate.cmp(&b.rate).then(a.id.cmp(&b.id)));
                    PanelServices {
                        panel: m.name.clone(),
                        services,
                        error: None,
                    }
                }
                Err(e) => PanelServices {
                    panel: m.name.clone(),
                    services: Vec::new(),
                    error: Some(e),
                },
            }
        }))
        .await;
        let suggestions = compare::suggestions(&found);
        Ok(Comparison {
            panels: found,
            suggestions,
        })
    }
}

/// A service of a catalog, by id.
pub(crate) fn find(catalog: &[Service], id: ServiceId) -> Option<&Service> {
    catalog.iter().rev().find(|s| s.id == id)
}
