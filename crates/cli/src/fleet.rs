//! Several panels at once: `compare`, `add --route` and `prices`, over the
//! profiles of the config file.

use std::sync::Arc;

use serde_json::Value;
use smmkit::fleet::{Fleet, Outcome, PriceRow, Pricing, Route, RoutedOrder, Search, parse_markup};
use smmkit::{AddOptions, Journal};

use crate::Failure;
use crate::args::{AddArgs, CompareArgs, FleetArgs, PanelArgs, PricesArgs};
use crate::commands::{SERVICE_COLUMNS, service_cells};
use crate::output::{Table, fit, print, print_as};
use crate::panel;

/// The fleet of the config file's profiles (or those `--profiles` names),
/// each named after its profile, with the routes whose profiles are all
/// in it, journaled when the flags or the default profile name a journal.
async fn fleet(args: &PanelArgs, only: &FleetArgs) -> Result<Fleet, Failure> {
    let (file, path) = panel::config_file(args)?;
    if file.profiles.is_empty() {
        return Err(Failure::usage(format!(
            "several panels need profiles: none in {} (see smmkit --help)",
            path.map_or_else(|| "the config file".into(), |p| p.display().to_string())
        )));
    }
    for name in &only.profiles {
        if !file.profiles.contains_key(name) {
            return Err(Failure::usage(format!(
                "no profile `{name}` (profiles: {})",
                file.profiles.keys().cloned().collect::<Vec<_>>().join(", ")
            )));
        }
    }
    let journal = match panel::journal_url(args)? {
        Some(url) => Some(Journal::open(&url).await?),
        None => None,
    };
    let mut fleet = Fleet::new(journal);
    for name in file.profiles.keys() {
        if !only.profiles.is_empty() && !only.profiles.contains(name) {
            continue;
        }
        let client = panel::profile_client(args, &file, path.as_deref(), name);
        match client {
            Ok(client) => fleet.add_panel(name.clone(), Arc::new(client))?,
            Err(f) => crate::warn(&format!("profile `{name}` is left out: {}", f.message())),
        }
    }
    let panels = fleet.panels();
    for (name, table) in &file.routes {
        let route = Route::from_value(name, table)
            .map_err(|e| Failure::usage(format!("[routes.{name}]: {e}")))?;
        if let Some(leg) = route
            .legs
            .iter()
            .find(|l| !file.profiles.contains_key(&l.panel))
        {
            return Err(Failure::usage(format!(
                "[routes.{name}] names `{}`, which is not a profile",
                leg.panel
            )));
        }
        // A route of profiles left out (by --profiles, or for a missing
        // key) is left out too.
        if route.legs.iter().all(|l| panels.contains(&l.panel)) {
            fleet.add_route(route)?;
        }
    }
    Ok(fleet)
}

pub(crate) async fn compare(args: &PanelArgs, a: &CompareArgs) -> Result<u8, Failure> {
    let fleet = fleet(args, &a.fleet).await?;
    let search = Search {
        text: a.search.clone(),
        category: a.category.clone(),
        kind: a.kind.clone(),
    };
    let found = fleet.compare(&search, None).await?;
    if a.output.json {
        print_as(&a.output, &found);
        return Ok(0);
    }
    let rows: Vec<Value> = found
        .panels
        .iter()
        .flat_map(|p| {
            p.services.iter().map(move |s| {
                serde_json::json!({
                    "panel": p.panel, "id": s.id, "type": s.kind.as_str(), "rate": s.rate.to_string(),
                    "min": s.min, "max": s.max, "refill": s.refill, "cancel": s.cancel,
                    "name": s.name, "category": s.category,
                })
            })
        })
        .collect();
    if print_as(&a.output, &rows) {
        return Ok(0);
    }
    let headers: Vec<&str> = std::iter::once("PANEL")
        .chain(SERVICE_COLUMNS)
        .chain(["NAME"])
        .collect();
    let mut t = Table::new(&headers, &[1, 3, 4, 5]);
    for p in &found.panels {
        if let Some(e) = &p.error {
            crate::warn(&format!("{}: its catalog cannot be had: {e}", p.panel));
        }
        for s in &p.services {
            let mut row = vec![p.panel.clone()];
            row.extend(service_cells(s, 16));
            row.push(fit(&s.name, 40));
            t.row(row);
        }
    }
    print(&t.render());
    print(&format!(
        "{} services on {} panels\n",
        rows.len(),
        found.panels.len()
    ));
    if !found.suggestions.is_empty() {
        print("\nsuggested matches (the same offering? confirm before making a route):\n");
        for s in &found.suggestions {
            let members: Vec<String> = s
                .members
                .iter()
                .map(|m| {
                    format!(
                        "{}:{} at {} ({})",
                        m.panel,
                        m.service,
                        m.rate,
                        fit(&m.name, 30)
                    )
                })
                .collect();
            let legs: Vec<String> = s
                .members
                .iter()
                .map(|m| format!("\"{}:{}\"", m.panel, m.service))
                .collect();
            print(&format!(
                "   {}  (similarity {:.2})\n     services = [{}]\n",
                members.join("  ~  "),
                s.similarity,
                legs.join(", ")
            ));
        }
    }
    Ok(0)
}

pub(crate) async fn add(args: &PanelArgs, a: &AddArgs, route: &str) -> Result<u8, Failure> {
    let fleet = fleet(
        args,
        &FleetArgs {
            profiles: Vec::new(),
        },
    )
    .await?;
    let fields = crate::commands::order_fields(a)?;
    let order = RoutedOrder::from_value(&Value::Object(fields))?;
    if a.dry_run {
        let plan = fleet.plan(route, &order).await?;
        if !print_as(&a.output, &plan) {
            print(&format!(
                "dry run: nothing was sent\nroute {} ({}):\n",
                plan.route,
                plan.strategy.as_str()
            ));
            for at in &plan.attempts {
                let cost = at.quote.map_or_else(|| "-".into(), |q| q.to_string());
                match &at.outcome {
                    Outcome::Eligible => print(&format!(
                        "   {}:{}  cost {cost}{}\n",
                        at.panel,
                        at.service,
                        if plan.first().is_some_and(|f| f.panel == at.panel) {
                            "  ← the order would go here"
                        } else {
                            ""
                        }
                    )),
                    Outcome::Skipped { reason } => print(&format!(
                        "   {}:{}  skipped: {reason}\n",
                        at.panel, at.service
                    )),
                    _ => {}
                }
            }
        }
        return Ok(0);
    }
    if fleet.journal().is_none() && (a.idempotency_key.is_some() || a.reference.is_some()) {
        return Err(crate::journal::needed(
            "--idempotency-key (and --reference)",
        ));
    }
    let options = AddOptions {
        idempotency_key: a.idempotency_key.clone(),
        reference: a.reference.clone(),
        metadata: None,
    };
    let routed = fleet.add(route, &order, &options).await?;
    if !print_as(&a.output, &routed) {
        let cost = routed.quote.map_or_else(|| "-".into(), |q| q.to_string());
        if routed.replayed {
            print(&format!(
                "order {} was placed earlier at {} (service {}) under this key: nothing was sent\n",
                routed.order, routed.panel, routed.service
            ));
        } else {
            print(&format!(
                "order {} placed at {} (service {}), cost {cost}\n",
                routed.order, routed.panel, routed.service
            ));
        }
        for at in &routed.attempts {
            if let Some(reason) = at.reason() {
                print(&format!("   not at {reason}\n"));
            }
        }
    }
    Ok(0)
}

fn pricing(a: &PricesArgs) -> Result<Pricing, Failure> {
    let mut value = serde_json::json!({
        "markup": a.markup,
        "round": a.round,
        "rounding": if a.rounding == "half-up" { "half_up" } else { "up" },
    });
    if let Some(m) = &a.min_margin {
        value["min_margin"] = Value::String(m.clone());
    }
    let mut rules = Vec::new();
    for rule in &a.rules {
        let bad = || {
            Failure::usage(format!(
                "--rule `{rule}`: write category:TEXT=MARKUP or type:TYPE=MARKUP"
            ))
        };
        let (what, markup) = rule.rsplit_once('=').ok_or_else(bad)?;
        parse_markup(markup)?;
        let mut r = serde_json::json!({ "markup": markup });
        match what.split_once(':') {
            Some(("category", text)) => r["category"] = Value::String(text.to_owned()),
            Some(("type", text)) => r["type"] = Value::String(text.to_owned()),
            _ => return Err(bad()),
        }
        rules.push(r);
    }
    value["rules"] = Value::Array(rules);
    Ok(Pricing::from_value(&value)?)
}

pub(crate) async fn prices(args: &PanelArgs, a: &PricesArgs) -> Result<u8, Failure> {
    let fleet = fleet(args, &a.fleet).await?;
    if let Some(path) = &a.check {
        let text = std::fs::read_to_string(path)
            .map_err(|e| Failure::usage(format!("cannot read {}: {e}", path.display())))?;
        let rows: Vec<PriceRow> = serde_json::from_str::<Value>(&text)
            .ok()
            .and_then(|v| {
                let rows = v.get("rows").cloned().unwrap_or(v);
                serde_json::from_value(rows).ok()
            })
            .ok_or_else(|| {
                Failure::usage(format!(
                    "{} is not a price list saved with --json",
                    path.display()
                ))
            })?;
        let warnings = fleet.check_prices(&rows).await?;
        if !print_as(&a.output, &warnings) {
            for w in &warnings {
                print(&format!("warning: {w}\n"));
            }
            print(&format!(
                "{} of {} prices are below what the panels charge now\n",
                warnings.len(),
                rows.len()
            ));
        }
        return Ok(if warnings.is_empty() { 0 } else { 4 });
    }
    let pricing = pricing(a)?;
    let routes = (!a.routes.is_empty()).then_some(a.routes.as_slice());
    let list = fleet.price_list(routes, &pricing).await?;
    for name in &list.unavailable {
        crate::warn(&format!("route `{name}`: no panel lists its service now"));
    }
    if a.output.json {
        print_as(&a.output, &list);
        return Ok(0);
    }
    if print_as(&a.output, &list.rows) {
        return Ok(0);
    }
    let mut t = Table::new(
        &[
            "NAME",
            "PANEL",
            "SERVICE",
            "TYPE",
            "COST/1000",
            "SALE/1000",
            "MARGIN",
            "MIN",
            "MAX",
            "SERVICE NAME",
        ],
        &[2, 4, 5, 6, 7, 8],
    );
    for r in &list.rows {
        t.row(vec![
            fit(&r.name, 24),
            r.panel.clone(),
            r.service.to_string(),
            fit(&r.kind, 16),
            r.cost.to_string(),
            r.sale.to_string(),
            r.margin.to_string(),
            r.min.to_string(),
            r.max.to_string(),
            fit(&r.service_name, 36),
        ]);
    }
    print(&t.render());
    print(&format!("{} prices\n", list.rows.len()));
    Ok(0)
}
