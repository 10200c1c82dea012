//! Routed orders: the panel picked by the route's strategy among those
//! that can take the order, and failover only when nothing was placed.

use std::collections::BTreeMap;

use futures_util::future::join_all;
use serde::Serialize;
use serde_json::Value;
use smmkit_journal::AddOptions;
use smmkit_provider_core::input::OrderInput;
use smmkit_provider_core::{
    Decimal, Error, OrderFields, OrderForm, OrderId, OrderRequest, Quote, Result, Service,
    ServiceId, ServiceLimits, ValidationError, quote,
};

use crate::prices::{PriceRow, PriceWarning, Pricing};
use crate::route::{Leg, Route, Strategy};
use crate::{Fleet, FleetPanel, find};

/// An order for a route: its fields, without a service (the route picks
/// the service of each panel).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoutedOrder {
    /// The form, when named.
    pub form: Option<OrderForm>,
    /// The fields.
    pub fields: OrderFields,
}

impl RoutedOrder {
    /// Reads an order's fields as every front end gives them (see
    /// [`OrderInput`]), without `service`.
    pub fn from_value(value: &Value) -> Result<RoutedOrder> {
        let Value::Object(map) = value else {
            return Err(ValidationError::wrong_type(
                "order",
                "must be an object of the order's fields, such as { link, quantity }",
            )
            .into());
        };
        if map.contains_key("service") {
            return Err(ValidationError::for_field(
                "service",
                "a routed order takes no service: its route names one per panel",
            )
            .into());
        }
        let mut map = map.clone();
        map.insert("service".into(), Value::from(0));
        let input = OrderInput::from_map(&map)?;
        Ok(RoutedOrder {
            form: input.form,
            fields: input.fields,
        })
    }

    /// The order for `service`, in the form its type takes.
    fn for_service(&self, service: &Service) -> std::result::Result<OrderRequest, ValidationError> {
        let limits = ServiceLimits::from(service);
        let request = OrderInput {
            service: service.id,
            form: self.form,
            fields: self.fields.clone(),
        }
        .into_request(Some(&limits))?;
        request.validate_for(&limits)?;
        Ok(request)
    }
}

/// What happened at one panel of a route.
#[derive(Debug, Clone, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    /// It can take the order (a plan: nothing was sent).
    Eligible,
    /// It was not tried, and why (service missing, quantity out of its
    /// limits, not enough funds for the quote…).
    Skipped {
        /// Why.
        reason: String,
    },
    /// It refused the order: nothing was placed there.
    Refused {
        /// The refusal.
        error: Error,
    },
    /// It placed the order.
    Placed {
        /// The order's id.
        order: OrderId,
    },
    /// Not tried: a panel before it placed the order, or its outcome is
    /// unknown.
    NotTried,
}

/// One panel of a route, as a routed `add` saw it.
#[derive(Debug, Clone, Serialize)]
pub struct Attempt {
    /// The panel.
    pub panel: String,
    /// The service there.
    pub service: ServiceId,
    /// What the order costs there, when its catalog lists the service.
    pub quote: Option<Quote>,
    /// What happened.
    #[serde(flatten)]
    pub outcome: Outcome,
}

impl Attempt {
    /// `panel:service: reason` for a panel that did not place the order.
    pub fn reason(&self) -> Option<String> {
        let why = match &self.outcome {
            Outcome::Skipped { reason } => reason.clone(),
            Outcome::Refused { error } => error.to_string(),
            _ => return None,
        };
        Some(format!("{}:{}: {why}", self.panel, self.service))
    }
}

/// The panels of a route in the order they would be tried, each eligible
/// or skipped with why; nothing sent.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    /// The route.
    pub route: String,
    /// Its strategy.
    pub strategy: Strategy,
    /// Its panels, in the order they would be tried (the skipped last).
    pub attempts: Vec<Attempt>,
}

impl Plan {
    /// The panel that would get the order first.
    pub fn first(&self) -> Option<&Attempt> {
        self.attempts
            .iter()
            .find(|a| matches!(a.outcome, Outcome::Eligible))
    }
}

/// A routed order that was placed.
#[derive(Debug, Clone, Serialize)]
pub struct Routed {
    /// The route.
    pub route: String,
    /// The panel that placed it.
    pub panel: String,
    /// The service there.
    pub service: ServiceId,
    /// The order's id at that panel.
    pub order: OrderId,
    /// What it costs there.
    pub quote: Option<Quote>,
    /// True when nothing was sent: an earlier `add` with the idempotency
    /// key placed it.
    pub replayed: bool,
    /// Every panel of the route, and what happened there.
    pub attempts: Vec<Attempt>,
}

/// A price list.
#[derive(Debug, Clone, Serialize)]
pub struct PriceList {
    /// Its lines.
    pub rows: Vec<PriceRow>,
    /// Routes none of whose panels lists its service now.
    pub unavailable: Vec<String>,
}

/// Whether a failed `add` proves that nothing was placed, so that the next
/// panel may be tried: a refusal by the panel, an order refused by its
/// checks, a connection never opened.
fn nothing_placed(e: &Error) -> bool {
    matches!(
        e,
        Error::Api { .. } | Error::Validation(_) | Error::Transport { not_sent: true, .. }
    )
}

/// The key a route's idempotency key gives its attempt at `panel`.
fn leg_key(key: &str, panel: &str) -> String {
    format!("{key}@{panel}")
}

struct Candidate<'a> {
    leg: &'a Leg,
    member: &'a FleetPanel,
    request: Option<OrderRequest>,
    quote: Option<Quote>,
    skip: Option<String>,
}

impl Fleet {
    /// Each leg of `route` checked against its panel's catalog and
    /// balance, ordered by the strategy.
    async fn candidates<'a>(&'a self, route: &'a Route, order: &RoutedOrder) -> Vec<Candidate<'a>> {
        let mut catalogs: BTreeMap<&str, Result<Vec<Service>>> = BTreeMap::new();
        let fetched = join_all(route.legs.iter().map(|leg| async move {
            let member = self.member(&leg.panel);
            let catalog = match member {
                Some(m) => Fleet::catalog_of(m).await,
                None => Err(Error::Config(format!("no panel named `{}`", leg.panel))),
            };
            (leg.panel.as_str(), catalog)
        }))
        .await;
        catalogs.extend(fetched);
        let mut out = Vec::new();
        for leg in &route.legs {
            let Some(member) = self.member(&leg.panel) else {
                continue;
            };
            let mut c = Candidate {
                leg,
                member,
                request: None,
                quote: None,
                skip: None,
            };
            match catalogs.get(leg.panel.as_str()) {
                Some(Ok(catalog)) => match find(catalog, leg.service) {
                    None => c.skip = Some(format!("service {} is not in its catalog", leg.service)),
                    Some(service) => match order.for_service(service) {
                        Err(e) => c.skip = Some(e.to_string()),
                        Ok(request) => match quote(&request, service) {
                            Ok(q) => {
                                c.quote = Some(q);
                                c.request = Some(request);
                            }
                            Err(e) => c.skip = Some(e.to_string()),
                        },
                    },
                },
                Some(Err(e)) => c.skip = Some(format!("its catalog cannot be had: {e}")),
                None => c.skip = Some("its catalog cannot be had".into()),
            }
            out.push(c);
        }
        // Funds: a panel whose balance is below the quote is skipped; a
        // balance that cannot be had leaves the decision to the panel.
        let balances = join_all(out.iter().map(|c| async move {
            match (&c.skip, c.quote.and_then(|q| q.amount())) {
                (None, Some(_)) => c.member.provider.balance().await.ok(),
                _ => None,
            }
        }))
        .await;
        for (c, balance) in out.iter_mut().zip(balances) {
            if let (Some(b), Some(cost)) = (balance, c.quote.and_then(|q| q.amount()))
                && b.amount < cost
            {
                c.skip = Some(format!(
                    "not enough funds: balance {}, the order costs {cost}",
                    b.amount
                ));
            }
        }
        if route.strategy == Strategy::Cheapest {
            // Stable: ties keep the listed order; unknown quotes last.
            out.sort_by_key(|c| match c.quote.and_then(|q| q.amount()) {
                Some(a) => (0, a),
                None => (1, Decimal::ZERO),
            });
        }
        // The skipped after the eligible, each group in its order.
        out.sort_by_key(|c| c.skip.is_some());
        out
    }

    /// Where a routed order would go, and why each other panel would not
    /// get it: nothing is sent.
    pub async fn plan(&self, route: &str, order: &RoutedOrder) -> Result<Plan> {
        let route = self.route(route)?;
        let attempts = self
            .candidates(route, order)
            .await
            .into_iter()
            .map(|c| Attempt {
                panel: c.leg.panel.clone(),
                service: c.leg.service,
                quote: c.quote,
                outcome: match c.skip {
                    Some(reason) => Outcome::Skipped { reason },
                    None => Outcome::Eligible,
                },
            })
            .collect();
        Ok(Plan {
            route: route.name.clone(),
            strategy: route.strategy,
            attempts,
        })
    }

    /// An earlier routed `add` with the key, when there was one: its
    /// placed order (replayed), or its unknown outcome (again).
    async fn earlier(&self, route: &Route, key: &str) -> Result<Option<Routed>> {
        let Some(journal) = &self.journal else {
            return Ok(None);
        };
        for leg in &route.legs {
            let Some(entry) = journal.order(&leg_key(key, &leg.panel)).await? else {
                continue;
            };
            let Some(member) = self.member(&leg.panel) else {
                continue;
            };
            let Some(journaled) = &member.journaled else {
                continue;
            };
            use smmkit_journal::EntryState;
            if matches!(
                entry.state,
                EntryState::Placed | EntryState::Unknown | EntryState::Sending
            ) {
                // The journal replays it: the order id, or OutcomeUnknown
                // until resolved; nothing is sent.
                let request = OrderRequest::from_value(&entry.request)?;
                let added = journaled
                    .add_with(&request, &AddOptions::key(entry.key.clone()))
                    .await?;
                return Ok(Some(Routed {
                    route: route.name.clone(),
                    panel: leg.panel.clone(),
                    service: entry.service,
                    order: added.order,
                    quote: entry.quote,
                    replayed: true,
                    attempts: Vec::new(),
                }));
            }
        }
        Ok(None)
    }

    /// Places `order` through route `route`: at the first panel, in the
    /// strategy's order, whose catalog lists its service, whose limits
    /// take the quantity and whose balance covers the quote; on a failure
    /// that proves nothing was placed, at the next; at an unknown outcome,
    /// nowhere else ([`Error::OutcomeUnknown`] is returned). When no panel
    /// places it, [`Error::RouteExhausted`] lists why, panel by panel.
    ///
    /// With a journal, each attempt is journaled, and `options`'
    /// idempotency key covers the whole route: an `add` with a key that
    /// placed an order (or ended unknown) at any panel sends nothing.
    pub async fn add(
        &self,
        route: &str,
        order: &RoutedOrder,
        options: &AddOptions,
    ) -> Result<Routed> {
        let route = self.route(route)?;
        if self.journal.is_none() && !options.is_empty() {
            return Err(Error::Config(
                "an idempotency key, reference or metadata needs the fleet's journal".into(),
            ));
        }
        if let Some(key) = &options.idempotency_key
            && let Some(replayed) = self.earlier(route, key).await?
        {
            return Ok(replayed);
        }
        let candidates = self.candidates(route, order).await;
        let mut attempts: Vec<Attempt> = candidates
            .iter()
            .map(|c| Attempt {
                panel: c.leg.panel.clone(),
                service: c.leg.service,
                quote: c.quote,
                outcome: match &c.skip {
                    Some(reason) => Outcome::Skipped {
                        reason: reason.clone(),
                    },
                    None => Outcome::NotTried,
                },
            })
            .collect();
        for (i, c) in candidates.iter().enumerate() {
            let Some(request) = &c.request else { continue };
            if c.skip.is_some() {
                continue;
            }
            let sent = match &c.member.journaled {
                Some(j) => {
                    let leg_options = AddOptions {
                        idempotency_key: options
                            .idempotency_key
                            .as_deref()
                            .map(|k| leg_key(k, &c.leg.panel)),
                        reference: options.reference.clone(),
                        metadata: options.metadata.clone(),
                    };
                    j.add_with(request, &leg_options)
                        .await
                        .map(|a| (a.order, a.replayed))
                }
                None => c.member.provider.add(request).await.map(|id| (id, false)),
            };
            match sent {
                Ok((id, replayed)) => {
                    attempts[i].outcome = Outcome::Placed { order: id };
                    return Ok(Routed {
                        route: route.name.clone(),
                        panel: c.leg.panel.clone(),
                        service: c.leg.service,
                        order: id,
                        quote: c.quote,
                        replayed,
                        attempts,
                    });
                }
                Err(e) if nothing_placed(&e) => {
                    attempts[i].outcome = Outcome::Refused { error: e };
                }
                // Unknown (or the journal cannot record it): the order may
                // exist here; no other panel gets it.
                Err(e) => return Err(e),
            }
        }
        Err(Error::RouteExhausted {
            route: route.name.clone(),
            reasons: attempts.iter().filter_map(Attempt::reason).collect(),
        })
    }

    /// The price list: for each route (all, or those named), the cost of
    /// its cheapest panel that lists the service now and the sale price
    /// `pricing` makes of it; with no route named and none in the fleet,
    /// every service of every panel. Costs are per 1000 (per package for
    /// packages), in each panel's currency.
    pub async fn price_list(
        &self,
        routes: Option<&[String]>,
        pricing: &Pricing,
    ) -> Result<PriceList> {
        let catalogs: BTreeMap<String, Result<Vec<Service>>> =
            self.catalogs().await.into_iter().collect();
        let mut rows = Vec::new();
        let mut unavailable = Vec::new();
        let row = |name: String, panel: &str, s: &Service| -> Result<PriceRow> {
            let sale = pricing.sale(s.rate, &s.category, s.kind.as_str())?;
            Ok(PriceRow {
                name,
                service_name: s.name.clone(),
                kind: s.kind.as_str().to_owned(),
                category: s.category.clone(),
                panel: panel.to_owned(),
                service: s.id,
                cost: s.rate,
                margin: sale - s.rate,
                sale,
                min: s.min,
                max: s.max,
            })
        };
        let whole = routes.is_none() && self.routes.is_empty();
        if whole {
            for m in &self.members {
                if let Some(Ok(catalog)) = catalogs.get(&m.name) {
                    for s in catalog {
                        rows.push(row(format!("{}:{}", m.name, s.id), &m.name, s)?);
                    }
                }
            }
            return Ok(PriceList { rows, unavailable });
        }
        let chosen: Vec<&Route> = match routes {
            Some(names) => names.iter().map(|n| self.route(n)).collect::<Result<_>>()?,
            None => self.routes.values().collect(),
        };
        for route in chosen {
            let cheapest = route
                .legs
                .iter()
                .filter_map(|leg| match catalogs.get(&leg.panel) {
                    Some(Ok(c)) => find(c, leg.service).map(|s| (leg, s)),
                    _ => None,
                })
                .min_by(|a, b| a.1.rate.cmp(&b.1.rate));
            match cheapest {
                Some((leg, s)) => rows.push(row(route.name.clone(), &leg.panel, s)?),
                None => unavailable.push(route.name.clone()),
            }
        }
        Ok(PriceList { rows, unavailable })
    }

    /// The lines of a price list whose panel now charges more than their
    /// sale price (after a catalog refresh, for instance).
    pub async fn check_prices(&self, rows: &[PriceRow]) -> Result<Vec<PriceWarning>> {
        let catalogs: BTreeMap<String, Result<Vec<Service>>> =
            self.catalogs().await.into_iter().collect();
        let mut warnings = Vec::new();
        for r in rows {
            let Some(Ok(catalog)) = catalogs.get(&r.panel) else {
                continue;
            };
            if let Some(s) = find(catalog, r.service)
                && s.rate > r.sale
            {
                warnings.push(PriceWarning {
                    name: r.name.clone(),
                    panel: r.panel.clone(),
                    service: r.service,
                    cost: s.rate,
                    sale: r.sale,
                });
            }
        }
        Ok(warnings)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn only_failures_that_prove_nothing_was_placed_fail_over() {
        use smmkit_provider_core::Action;
        assert!(nothing_placed(&Error::api(
            Action::Add,
            "Not enough funds on balance"
        )));
        assert!(nothing_placed(&Error::api(
            Action::Add,
            "Incorrect service ID"
        )));
        assert!(nothing_placed(
            &ValidationError::for_field("quantity", "too small").into()
        ));
        assert!(nothing_placed(&Error::Transport {
            action: Action::Add,
            message: "refused".into(),
            not_sent: true
        }));
        let unknown = Error::OutcomeUnknown {
            request: Box::new(OrderRequest::link_quantity(1u64, "https://x.y", 10)),
            cause: Box::new(Error::Transport {
                action: Action::Add,
                message: "reset".into(),
                not_sent: false,
            }),
        };
        assert!(!nothing_placed(&unknown));
        assert!(!nothing_placed(&Error::Transport {
            action: Action::Add,
            message: "reset".into(),
            not_sent: false
        }));
        assert!(!nothing_placed(&Error::Journal {
            message: "x".into(),
            not_sent: true,
            placed: None
        }));
        assert!(!nothing_placed(&Error::IdempotencyConflict {
            key: "k".into(),
            message: "m".into()
        }));
    }

    #[test]
    fn a_routed_order_has_no_service_of_its_own() {
        let o =
            RoutedOrder::from_value(&json!({"link": "https://x.y", "quantity": "100"})).unwrap();
        assert_eq!(o.fields.quantity, Some(100));
        let e = RoutedOrder::from_value(&json!({"service": 3, "link": "https://x.y"})).unwrap_err();
        assert!(e.to_string().contains("takes no service"), "{e}");
        assert!(
            RoutedOrder::from_value(&json!({"lnk": "x"}))
                .unwrap_err()
                .to_string()
                .contains("did you mean `link`")
        );
    }
}
