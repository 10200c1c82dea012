//! The commands that talk to a panel.

use std::collections::HashMap;
use std::io::IsTerminal;
use std::time::{Duration, Instant};

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};
use smmkit::{
    Device, Error, OrderFields, OrderId, OrderKind, OrderStatus, RefillId, Service, ServiceId,
    ServiceLimits, SmmProvider, split_lines,
};

use crate::Failure;
use crate::args::{
    AddArgs, DeviceName, IdsArgs, OutputArgs, ServicesArgs, SortKey, TrafficName, WatchArgs,
};
use crate::output::{Table, csv_field, fit, print, print_json};

/// Reads ids given on the command line.
pub(crate) fn parse_ids<T: std::str::FromStr<Err = smmkit::ParseIdError>>(
    texts: &[String],
) -> Result<Vec<T>, Failure> {
    texts
        .iter()
        .flat_map(|t| t.split(',').filter(|s| !s.trim().is_empty()))
        .map(|t| {
            t.trim()
                .parse::<T>()
                .map_err(|e| Failure::usage(e.to_string()))
        })
        .collect()
}

// ---------------------------------------------------------------- services

pub(crate) async fn services(p: &dyn SmmProvider, args: &ServicesArgs) -> Result<u8, Failure> {
    let all = p.services().await?;
    let has = |hay: &str, needle: &str| hay.to_lowercase().contains(&needle.to_lowercase());
    let mut list: Vec<&Service> = all
        .iter()
        .filter(|s| {
            args.search
                .as_deref()
                .is_none_or(|q| has(&s.name, q) || has(&s.category, q))
        })
        .filter(|s| args.category.as_deref().is_none_or(|q| has(&s.category, q)))
        .filter(|s| {
            args.kind
                .as_deref()
                .is_none_or(|t| smmkit::ServiceType::parse(t) == s.kind)
        })
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
    if args.json {
        print_json(&list);
    } else if args.csv {
        let mut out =
            String::from("service,name,type,category,rate,min,max,refill,cancel,dripfeed\n");
        for s in &list {
            let fields = [
                s.id.to_string(),
                s.name.clone(),
                s.kind.to_string(),
                s.category.clone(),
                s.rate.to_string(),
                s.min.to_string(),
                s.max.to_string(),
                s.refill.to_string(),
                s.cancel.to_string(),
                s.dripfeed.map(|d| d.to_string()).unwrap_or_default(),
            ];
            out.push_str(
                &fields
                    .iter()
                    .map(|f| csv_field(f))
                    .collect::<Vec<_>>()
                    .join(","),
            );
            out.push('\n');
        }
        print(&out);
    } else {
        print(&service_table(&list));
        print(&format!("{} of {} services\n", list.len(), all.len()));
    }
    Ok(0)
}

pub(crate) fn service_table(list: &[&Service]) -> String {
    let mut t = Table::new(
        &[
            "ID",
            "TYPE",
            "RATE/1000",
            "MIN",
            "MAX",
            "REFILL",
            "CANCEL",
            "NAME",
            "CATEGORY",
        ],
        &[0, 2, 3, 4],
    );
    for s in list {
        t.row(vec![
            s.id.to_string(),
            fit(s.kind.as_str(), 18),
            s.rate.to_string(),
            s.min.to_string(),
            s.max.to_string(),
            if s.refill { "yes" } else { "-" }.into(),
            if s.cancel { "yes" } else { "-" }.into(),
            fit(&s.name, 40),
            fit(&s.category, 28),
        ]);
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

/// The order fields the flags give.
fn order_fields(a: &AddArgs) -> Result<OrderFields, Failure> {
    let listed = |values: &[String]| -> Result<Option<Vec<String>>, Failure> {
        if values.is_empty() {
            Ok(None)
        } else {
            list(values).map(Some)
        }
    };
    Ok(OrderFields {
        link: a.link.clone(),
        quantity: a.quantity,
        runs: a.runs,
        interval: a.interval,
        comments: listed(&a.comments)?,
        usernames: listed(&a.usernames)?,
        hashtags: listed(&a.hashtags)?,
        keywords: listed(&a.keywords)?,
        groups: listed(&a.groups)?,
        hashtag: a.hashtag.clone(),
        username: a.username.clone(),
        media: a.media.clone(),
        answer_number: a.answer_number,
        min: a.min,
        max: a.max,
        posts: a.posts,
        old_posts: a.old_posts,
        delay: a.delay,
        expiry: a.expiry.clone(),
        country: a.country.clone(),
        device: a.device.map(|d| match d {
            DeviceName::Desktop => Device::Desktop.code(),
            DeviceName::Android => Device::Android.code(),
            DeviceName::Ios => Device::Ios.code(),
            DeviceName::MixedMobile => Device::MixedMobile.code(),
            DeviceName::Mixed => Device::Mixed.code(),
        }),
        type_of_traffic: a.traffic.map(|t| match t {
            TrafficName::GoogleKeyword => 1,
            TrafficName::CustomReferrer => 2,
            TrafficName::Blank => 3,
        }),
        google_keyword: a.google_keyword.clone(),
        referring_url: a.referring_url.clone(),
    })
}

pub(crate) async fn add(p: &dyn SmmProvider, a: &AddArgs) -> Result<u8, Failure> {
    let service_id: ServiceId = a
        .service
        .trim()
        .parse()
        .map_err(|e: smmkit::ParseIdError| Failure::usage(e.to_string()))?;
    let forced = match &a.form {
        Some(name) => Some(OrderKind::parse(name).ok_or_else(|| {
            let forms: Vec<&str> = OrderKind::ALL.iter().map(|k| k.as_str()).collect();
            Failure::usage(format!(
                "unknown order form `{name}` (one of: {})",
                forms.join(", ")
            ))
        })?),
        None => None,
    };
    let service = if a.no_check {
        None
    } else {
        let all = p.services().await?;
        let found = all.into_iter().find(|s| s.id == service_id);
        Some(found.ok_or_else(|| {
            Failure::usage(format!(
                "service {service_id} is not in the panel's catalog"
            ))
        })?)
    };
    // The form: as named, else as the service's type says, else as the
    // flags given point to.
    let kind = forced.or_else(|| service.as_ref().and_then(|s| s.kind.order_kind()));
    let order = order_fields(a)?.into_request(service_id, kind)?;
    match &service {
        Some(s) => order.validate_for(&ServiceLimits::from(s))?,
        None => order.validate()?,
    }
    if a.dry_run {
        let Some(s) = &service else {
            return Err(Failure::usage("--dry-run needs the catalog"));
        };
        let cost = order.cost(s);
        if a.json {
            print_json(&serde_json::json!({
                "dry_run": true,
                "order": order,
                "service": s,
                "cost": cost,
            }));
        } else {
            let cost_text = match (cost, order.charged_units()) {
                (Some(c), Some(units)) => format!("{c} ({units} × {} per 1000)", s.rate),
                _ => format!("set by the panel for a {} service", s.kind),
            };
            print(&format!(
                "dry run: nothing was sent\norder:   {order}\nservice: {} — {} ({})\nlimits:  {} to {}\ncost:    {cost_text}\n",
                s.id, s.name, s.kind, s.min, s.max
            ));
        }
        return Ok(0);
    }
    let id = p.add(&order).await?;
    if a.json {
        print_json(&serde_json::json!({ "order": id, "request": order }));
    } else {
        print(&format!("order {id} placed: {order}\n"));
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

/// Prints a batch and returns 4 when some ids failed.
fn report<I: std::fmt::Display + serde::Serialize, T: serde::Serialize>(
    results: &[(I, smmkit::Result<T>)],
    json: bool,
    header: &[&str],
    cells: impl Fn(&T) -> Vec<String>,
) -> u8 {
    let failed = results.iter().filter(|(_, r)| r.is_err()).count();
    if json {
        let items: Vec<serde_json::Value> = results
            .iter()
            .map(|(id, r)| match r {
                Ok(v) => serde_json::json!({ "id": id, "ok": v }),
                Err(e) => serde_json::json!({ "id": id, "error": e }),
            })
            .collect();
        print_json(&items);
    } else {
        let mut head = vec!["ID"];
        head.extend_from_slice(header);
        let mut t = Table::new(&head, &[0]);
        for (id, r) in results {
            let mut row = vec![id.to_string()];
            match r {
                Ok(v) => row.extend(cells(v)),
                Err(e) => row.push(format!("error: {e}")),
            }
            t.row(row);
        }
        print(&t.render());
    }
    if failed > 0 { 4 } else { 0 }
}

pub(crate) async fn status(p: &dyn SmmProvider, args: &IdsArgs) -> Result<u8, Failure> {
    let ids: Vec<OrderId> = parse_ids(&args.ids)?;
    let results = p.statuses(&ids).await;
    Ok(report(
        &results,
        args.json,
        &["STATUS", "CHARGE", "CURRENCY", "START", "REMAINS"],
        status_cells,
    ))
}

pub(crate) async fn refill(p: &dyn SmmProvider, args: &IdsArgs) -> Result<u8, Failure> {
    let ids: Vec<OrderId> = parse_ids(&args.ids)?;
    let results = p.refills(&ids).await;
    Ok(report(&results, args.json, &["REFILL"], |r: &RefillId| {
        vec![r.to_string()]
    }))
}

pub(crate) async fn refill_status(p: &dyn SmmProvider, args: &IdsArgs) -> Result<u8, Failure> {
    let ids: Vec<RefillId> = parse_ids(&args.ids)?;
    let results = p.refill_statuses(&ids).await;
    Ok(report(
        &results,
        args.json,
        &["STATUS"],
        |s: &smmkit::RefillState| vec![s.to_string()],
    ))
}

pub(crate) async fn cancel(p: &dyn SmmProvider, args: &IdsArgs) -> Result<u8, Failure> {
    let ids: Vec<OrderId> = parse_ids(&args.ids)?;
    let results = p.cancel(&ids).await;
    Ok(report(
        &results,
        args.json,
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
    ))
}

pub(crate) async fn balance(p: &dyn SmmProvider, args: &OutputArgs) -> Result<u8, Failure> {
    let b = p.balance().await?;
    if args.json {
        print_json(&b);
    } else {
        print(&format!(
            "{} {}\n",
            b.amount,
            b.currency.unwrap_or_default()
        ));
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
    let ids: Vec<OrderId> = parse_ids(&args.ids)?;
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
    Ok(report(
        &results,
        false,
        &["STATUS", "CHARGE", "CURRENCY", "START", "REMAINS"],
        status_cells,
    ))
}

/// An error's exit code: 3 when an order may have been placed.
pub(crate) fn exit_code(e: &Error) -> u8 {
    match e {
        Error::OutcomeUnknown { .. } => 3,
        Error::Validation(_) | Error::Config(_) => 2,
        _ => 1,
    }
}
