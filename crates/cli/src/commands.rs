//! The commands that talk to a panel.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use serde_json::{Map, Value};
use smmkit::input::OrderInput;
use smmkit::{
    AddOptions, Device, Error, Journaled, OrderId, OrderStatus, RefillId, Service, ServiceId,
    ServiceLimits, ServiceList, ServiceType, SmmProvider, split_lines,
};

use crate::Failure;
use crate::args::{
    AddArgs, DeviceName, IdsArgs, OutputArgs, ServicesArgs, SortKey, TrafficName, WatchArgs,
};
use crate::output::{Table, fit, print, print_as};

/// Reads ids given on the command line (also `1,2,3`), as the core reads ids.
pub(crate) fn parse_ids<T: From<u64>>(texts: &[String], field: &str) -> Result<Vec<T>, Failure> {
    let list: Vec<Value> = texts
        .iter()
        .flat_map(|t| t.split(',').filter(|s| !s.trim().is_empty()))
        .map(|t| Value::String(t.trim().to_owned()))
        .collect();
    Ok(smmkit::input::ids(&Value::Array(list), field)?)
}

/// Warns, one line each, of the catalog entries that could not be read.
pub(crate) fn warn_skipped(list: &ServiceList) {
    for skipped in &list.skipped {
        crate::warn(&format!("skipped a malformed catalog entry: {skipped}"));
    }
}

// ---------------------------------------------------------------- services

pub(crate) async fn services(p: &dyn SmmProvider, args: &ServicesArgs) -> Result<u8, Failure> {
    let all = p.services().await?;
    warn_skipped(&all);
    let kind = match args.kind.as_deref() {
        None => None,
        Some(t) => {
            let wanted = ServiceType::parse(t);
            // A type the panel sells, or one smmkit knows; anything else is a typo.
            if !wanted.is_known() && !all.iter().any(|s| s.kind == wanted) {
                let mut types: Vec<&str> = all.iter().map(|s| s.kind.as_str()).collect();
                types.sort_unstable();
                types.dedup();
                return Err(Failure::usage(format!(
                    "unknown type `{t}`: this panel sells {}",
                    types.join(", ")
                )));
            }
            Some(wanted)
        }
    };
    let has = |hay: &str, needle: &str| hay.to_lowercase().contains(&needle.to_lowercase());
    let mut list: Vec<&Service> = all
        .iter()
        .filter(|s| {
            args.search
                .as_deref()
                .is_none_or(|q| has(&s.name, q) || has(&s.category, q))
        })
        .filter(|s| args.category.as_deref().is_none_or(|q| has(&s.category, q)))
        .filter(|s| kind.as_ref().is_none_or(|k| *k == s.kind))
        .collect();
    match args.sort {
        SortKey::Id => list.sort_by_key(|s| s.id),
        SortKey::Rate => list.sort_by(|a, b| a.rate.cmp(&b.rate).then(a.id.cmp(&b.id))),
        SortKey::RateDesc => list.sort_by(|a, b| b.rate.cmp(&a.rate).then(a.id.cmp(&b.id))),
        SortKey::Name => list.sort_by_cached_key(|s| (s.name.to_lowercase(), s.id)),
        SortKey::Min => list.sort_by_key(|s| (s.min, s.id)),
        SortKey::Max => list.sort_by_key(|s| (s.max, s.id)),
    }
    if let Some(n) = args.limit {
        list.truncate(n);
    }
    if !print_as(&args.output, &list) {
        print(&service_table(&list));
        print(&format!("{} of {} services\n", list.len(), all.len()));
    }
    Ok(0)
}

/// The columns every table of services shows, from `ID` to `CANCEL`.
pub(crate) const SERVICE_COLUMNS: [&str; 7] =
    ["ID", "TYPE", "RATE/1000", "MIN", "MAX", "REFILL", "CANCEL"];

/// The cells of [`SERVICE_COLUMNS`] for `s`, its type cut to `type_width`.
pub(crate) fn service_cells(s: &Service, type_width: usize) -> Vec<String> {
    let yes = |b: bool| if b { "yes" } else { "-" }.to_owned();
    vec![
        s.id.to_string(),
        fit(s.kind.as_str(), type_width),
        s.rate.to_string(),
        s.min.to_string(),
        s.max.to_string(),
        yes(s.refill),
        yes(s.cancel),
    ]
}

pub(crate) fn service_table(list: &[&Service]) -> String {
    let headers: Vec<&str> = SERVICE_COLUMNS
        .iter()
        .copied()
        .chain(["NAME", "CATEGORY"])
        .collect();
    let mut t = Table::new(&headers, &[0, 2, 3, 4]);
    for s in list {
        let mut row = service_cells(s, 18);
        row.extend([fit(&s.name, 40), fit(&s.category, 28)]);
        t.row(row);
    }
    t.render()
}

// --------------------------------------------------------------------- add

/// Reads a list flag: each value may hold several lines, or be @FILE.
fn list(values: &[String]) -> Result<Vec<String>, Failure> {
    let mut out = Vec::new();
    for v in values {
        let text = match v.strip_prefix('@') {
            Some(path) => std::fs::read_to_string(path)
                .map_err(|e| Failure::usage(format!("cannot read {path}: {e}")))?,
            None => v.clone(),
        };
        out.extend(split_lines(&text));
    }
    Ok(out)
}

/// The order the flags give, as the object the core reads: the same
/// names, values and messages as Python's and Node's.
fn order_input(a: &AddArgs) -> Result<OrderInput, Failure> {
    let mut m = order_fields(a)?;
    if let Some(service) = &a.service {
        m.insert("service".into(), Value::String(service.clone()));
    }
    Ok(OrderInput::from_map(&m)?)
}

/// The order's fields the flags give, the service aside.
pub(crate) fn order_fields(a: &AddArgs) -> Result<Map<String, Value>, Failure> {
    let mut m = Map::new();
    let mut text = |name: &str, v: &Option<String>| {
        if let Some(v) = v {
            m.insert(name.to_owned(), Value::String(v.clone()));
        }
    };
    text("link", &a.link);
    text("quantity", &a.quantity);
    text("runs", &a.runs);
    text("interval", &a.interval);
    text("hashtag", &a.hashtag);
    text("username", &a.username);
    text("media", &a.media);
    text("answer_number", &a.answer_number);
    text("min", &a.min);
    text("max", &a.max);
    text("posts", &a.posts);
    text("old_posts", &a.old_posts);
    text("delay", &a.delay);
    text("expiry", &a.expiry);
    text("country", &a.country);
    text("google_keyword", &a.google_keyword);
    text("referring_url", &a.referring_url);
    text("form", &a.form);
    let device = a.device.map(|d| {
        match d {
            DeviceName::Desktop => Device::Desktop,
            DeviceName::Android => Device::Android,
            DeviceName::Ios => Device::Ios,
            DeviceName::MixedMobile => Device::MixedMobile,
            DeviceName::Mixed => Device::Mixed,
        }
        .code()
        .to_string()
    });
    text("device", &device);
    let traffic = a.traffic.map(|t| {
        match t {
            TrafficName::GoogleKeyword => "1",
            TrafficName::CustomReferrer => "2",
            TrafficName::Blank => "3",
        }
        .to_owned()
    });
    text("type_of_traffic", &traffic);
    for (name, values) in [
        ("comments", &a.comments),
        ("usernames", &a.usernames),
        ("hashtags", &a.hashtags),
        ("keywords", &a.keywords),
        ("groups", &a.groups),
    ] {
        if !values.is_empty() {
            let items = list(values)?.into_iter().map(Value::String).collect();
            m.insert(name.to_owned(), Value::Array(items));
        }
    }
    Ok(m)
}

pub(crate) async fn add(
    p: &dyn SmmProvider,
    journaled: Option<&Journaled>,
    a: &AddArgs,
) -> Result<u8, Failure> {
    if journaled.is_none() && (a.idempotency_key.is_some() || a.reference.is_some()) {
        return Err(crate::journal::needed(
            "--idempotency-key (and --reference)",
        ));
    }
    let input = order_input(a)?;
    let service_id: ServiceId = input.service;
    let service = match (a.no_check, journaled) {
        (true, _) => None,
        // The journal's stored catalog: no request while it is fresh.
        (false, Some(j)) => Some(j.service(service_id).await?.ok_or_else(|| {
            Failure::usage(format!(
                "service {service_id} is not in the panel's catalog"
            ))
        })?),
        (false, None) => {
            let all = p.services().await?;
            warn_skipped(&all);
            let found = all.into_iter().find(|s| s.id == service_id);
            Some(found.ok_or_else(|| {
                Failure::usage(format!(
                    "service {service_id} is not in the panel's catalog"
                ))
            })?)
        }
    };
    let limits = service.as_ref().map(ServiceLimits::from);
    let order = input.into_request(limits.as_ref())?;
    match &limits {
        Some(l) => order.validate_for(l)?,
        None => order.validate()?,
    }
    if a.dry_run {
        let Some(s) = &service else {
            return Err(Failure::usage("--dry-run needs the catalog"));
        };
        let quote = smmkit::quote(&order, s)?;
        let shown = serde_json::json!({
            "dry_run": true,
            "order": order,
            "service": s,
            "quote": quote,
            "cost": quote.amount(),
        });
        if !print_as(&a.output, &shown) {
            let how = match (&quote, order.charged_units()) {
                (smmkit::Quote::Exact(_), _) if s.priced_per_package() => {
                    format!(" (one {} package)", s.kind)
                }
                (smmkit::Quote::Exact(_), Some(units)) => {
                    format!(" ({units} × {} per 1000)", s.rate)
                }
                (smmkit::Quote::UpTo(_), _) => " (max × posts × rate per 1000)".to_owned(),
                _ => String::new(),
            };
            print(&format!(
                "dry run: nothing was sent\norder:   {order}\nservice: {} — {} ({})\nlimits:  {} to {}\ncost:    {quote}{how}\n",
                s.id, s.name, s.kind, s.min, s.max
            ));
        }
        return Ok(0);
    }
    let Some(journaled) = journaled else {
        let id = p.add(&order).await?;
        if !print_as(
            &a.output,
            &serde_json::json!({ "order": id, "request": order }),
        ) {
            print(&format!("order {id} placed: {order}\n"));
        }
        return Ok(0);
    };
    let options = AddOptions {
        idempotency_key: a.idempotency_key.clone(),
        reference: a.reference.clone(),
        metadata: None,
    };
    let added = journaled.add_with(&order, &options).await?;
    if !print_as(
        &a.output,
        &serde_json::json!({
            "order": added.order,
            "key": added.key,
            "replayed": added.replayed,
            "request": order,
        }),
    ) {
        if added.replayed {
            print(&format!(
                "order {} was placed earlier under key {}: nothing was sent\n",
                added.order, added.key
            ));
        } else {
            print(&format!(
                "order {} placed: {order} (journaled as {})\n",
                added.order, added.key
            ));
        }
    }
    Ok(0)
}

// ------------------------------------------------------------------ status

fn status_cells(s: &OrderStatus) -> Vec<String> {
    vec![
        s.status.to_string(),
        s.charge
            .map(|c| c.to_string())
            .unwrap_or_else(|| "-".into()),
        s.currency.clone().unwrap_or_default(),
        s.start_count
            .map(|c| c.to_string())
            .unwrap_or_else(|| "-".into()),
        s.remains
            .map(|c| c.to_string())
            .unwrap_or_else(|| "-".into()),
    ]
}

/// Prints a batch and returns its exit code: 4 when some ids failed; for
/// a single id that failed, its error is the command's (exit 1).
fn report<I: std::fmt::Display + serde::Serialize, T: serde::Serialize>(
    results: Vec<(I, smmkit::Result<T>)>,
    output: &OutputArgs,
    header: &[&str],
    cells: impl Fn(&T) -> Vec<String>,
) -> Result<u8, Failure> {
    if let [(_, Err(e))] = results.as_slice() {
        return Err(e.clone().into());
    }
    let failed = results.iter().filter(|(_, r)| r.is_err()).count();
    let items: Vec<serde_json::Value> = results
        .iter()
        .map(|(id, r)| match r {
            Ok(v) => serde_json::json!({ "id": id, "ok": v }),
            Err(e) => serde_json::json!({ "id": id, "error": e }),
        })
        .collect();
    if !print_as(output, &items) {
        let mut head = vec!["ID"];
        head.extend_from_slice(header);
        let mut t = Table::new(&head, &[0]);
        for (id, r) in &results {
            let mut row = vec![id.to_string()];
            match r {
                Ok(v) => row.extend(cells(v)),
                Err(e) => row.push(format!("error: {e}")),
            }
            t.row(row);
        }
        print(&t.render());
    }
    Ok(if failed > 0 { 4 } else { 0 })
}

pub(crate) async fn status(p: &dyn SmmProvider, args: &IdsArgs) -> Result<u8, Failure> {
    let ids: Vec<OrderId> = parse_ids(&args.ids, "order")?;
    let results = p.statuses(&ids).await;
    report(
        results,
        &args.output,
        &["STATUS", "CHARGE", "CURRENCY", "START", "REMAINS"],
        status_cells,
    )
}

pub(crate) async fn refill(p: &dyn SmmProvider, args: &IdsArgs) -> Result<u8, Failure> {
    let ids: Vec<OrderId> = parse_ids(&args.ids, "order")?;
    let results = p.refills(&ids).await;
    report(results, &args.output, &["REFILL"], |r: &RefillId| {
        vec![r.to_string()]
    })
}

pub(crate) async fn refill_status(p: &dyn SmmProvider, args: &IdsArgs) -> Result<u8, Failure> {
    let ids: Vec<RefillId> = parse_ids(&args.ids, "refill")?;
    let results = p.refill_statuses(&ids).await;
    report(
        results,
        &args.output,
        &["STATUS"],
        |s: &smmkit::RefillState| vec![s.to_string()],
    )
}

pub(crate) async fn cancel(p: &dyn SmmProvider, args: &IdsArgs) -> Result<u8, Failure> {
    let ids: Vec<OrderId> = parse_ids(&args.ids, "order")?;
    let results = p.cancel(&ids).await;
    report(
        results,
        &args.output,
        &["CANCEL"],
        |c: &smmkit::CancelRequested| {
            vec![format!(
                "requested{}",
                c.note
                    .as_deref()
                    .map(|n| format!(" ({n})"))
                    .unwrap_or_default()
            )]
        },
    )
}

pub(crate) async fn balance(p: &dyn SmmProvider, args: &OutputArgs) -> Result<u8, Failure> {
    let b = p.balance().await?;
    if !print_as(args, &b) {
        match &b.currency {
            Some(c) => print(&format!("{} {c}\n", b.amount)),
            None => print(&format!("{}\n", b.amount)),
        }
    }
    Ok(0)
}

// ------------------------------------------------------------------- watch

/// Polls `ids` until every order is final, showing progress; `sizes` gives
/// the quantity of orders whose size is known. Returns the last results.
pub(crate) async fn follow(
    p: &dyn SmmProvider,
    ids: &[OrderId],
    sizes: &HashMap<OrderId, u64>,
    interval: Duration,
    timeout: Option<Duration>,
) -> Result<Vec<(OrderId, smmkit::Result<OrderStatus>)>, Failure> {
    let started = Instant::now();
    let bars = std::io::stderr().is_terminal();
    let multi = MultiProgress::with_draw_target(if bars {
        ProgressDrawTarget::stderr()
    } else {
        ProgressDrawTarget::hidden()
    });
    let style =
        ProgressStyle::with_template("{prefix:>12} [{bar:32.cyan/blue}] {pos:>7}/{len:7} {msg}")
            .map(|s| s.progress_chars("=> "))
            .unwrap_or_else(|_| ProgressStyle::default_bar());
    let mut progress: HashMap<OrderId, ProgressBar> = HashMap::new();
    let mut last_word: HashMap<OrderId, String> = HashMap::new();
    loop {
        let results = p.statuses(ids).await;
        let mut done = true;
        for (id, r) in &results {
            let bar = progress.entry(*id).or_insert_with(|| {
                let b = multi.add(ProgressBar::new(sizes.get(id).copied().unwrap_or(0)));
                b.set_style(style.clone());
                b.set_prefix(format!("order {id}"));
                b
            });
            let (word, finished) = match r {
                Ok(s) => {
                    let remains = u64::try_from(s.remains.unwrap_or(0).max(0)).unwrap_or(0);
                    let total = bar
                        .length()
                        .unwrap_or(0)
                        .max(remains)
                        .max(sizes.get(id).copied().unwrap_or(0));
                    bar.set_length(total);
                    bar.set_position(total.saturating_sub(remains));
                    let word = match s.remains {
                        Some(r) if !s.status.is_final() => format!("{} ({r} left)", s.status),
                        _ => s.status.to_string(),
                    };
                    (word, s.status.is_final())
                }
                // A transient failure is polled again; a refusal is final.
                Err(e) if e.is_transient() => (format!("retrying: {e}"), false),
                Err(e) => (format!("error: {e}"), true),
            };
            bar.set_message(word.clone());
            if finished && !bar.is_finished() {
                bar.finish();
            }
            // Without a terminal, one line each time an order changes status.
            let status_word = r
                .as_ref()
                .map_or_else(|e| e.code().to_owned(), |s| s.status.to_string());
            if !bars && last_word.get(id) != Some(&status_word) {
                print(&format!("   order {id}: {word}\n"));
                last_word.insert(*id, status_word);
            }
            done &= finished;
        }
        if done {
            return Ok(results);
        }
        if let Some(limit) = timeout
            && started.elapsed() + interval > limit
        {
            return Err(Failure::error(format!(
                "watch: orders still running after {}s; run `smmkit watch` again to go on",
                limit.as_secs()
            )));
        }
        tokio::time::sleep(interval).await;
    }
}

pub(crate) async fn watch(p: &dyn SmmProvider, args: &WatchArgs) -> Result<u8, Failure> {
    let ids: Vec<OrderId> = parse_ids(&args.ids, "order")?;
    if !(args.interval.is_finite() && args.interval >= 0.05) {
        return Err(Failure::usage("--interval must be at least 0.05 seconds"));
    }
    let timeout = match args.max_wait {
        Some(t) if t.is_finite() && t > 0.0 => Some(Duration::from_secs_f64(t)),
        Some(_) => {
            return Err(Failure::usage(
                "--max-wait must be a positive number of seconds",
            ));
        }
        None => None,
    };
    let results = follow(
        p,
        &ids,
        &HashMap::new(),
        Duration::from_secs_f64(args.interval),
        timeout,
    )
    .await?;
    report(
        results,
        &OutputArgs {
            json: false,
            csv: false,
        },
        &["STATUS", "CHARGE", "CURRENCY", "START", "REMAINS"],
        status_cells,
    )
}

/// An error's exit code: 3 when an order may have been placed.
pub(crate) fn exit_code(e: &Error) -> u8 {
    match e {
        Error::OutcomeUnknown { .. } => 3,
        Error::Validation(_) | Error::Config(_) | Error::IdempotencyConflict { .. } => 2,
        _ => 1,
    }
}
