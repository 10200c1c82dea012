//! The commands of the order journal: `orders`, `sync`, `resolve`.

use std::sync::Arc;
use std::time::Duration;

use smmkit::journal::{EntryState, JournalEntry, OrderFilter, Resolution, SyncReport, Timestamp};
use smmkit::{Journal, OrderId};

use crate::Failure;
use crate::args::{OrdersArgs, PanelArgs, ResolveArgs, SyncArgs};
use crate::output::{Table, fit, print, print_as};
use crate::panel;

/// What a command that needs a journal says when there is none.
pub(crate) fn needed(what: &str) -> Failure {
    Failure::usage(format!(
        "{what} needs an order journal: pass --journal sqlite://FILE (or postgres://…), \
         set SMMKIT_JOURNAL, or set `journal` in the profile"
    ))
}

/// Opens the journal the flags or the profile name, without a panel.
pub(crate) async fn open_alone(args: &PanelArgs, what: &str) -> Result<Journal, Failure> {
    let url = panel::journal_url(args)?.ok_or_else(|| needed(what))?;
    Ok(Journal::open(&url).await?)
}

fn or_dash<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(|| "-".into(), |v| v.to_string())
}

/// `2026-11-27 15:20` of a timestamp.
fn minute(t: Timestamp) -> String {
    let text = t.to_string();
    text.get(..16).unwrap_or(&text).replace('T', " ")
}

fn entries_table(entries: &[JournalEntry]) -> String {
    let mut t = Table::new(
        &[
            "KEY",
            "PROVIDER",
            "STATE",
            "ORDER",
            "STATUS",
            "CHARGE",
            "QUOTE",
            "REMAINS",
            "CREATED",
            "REFERENCE",
        ],
        &[3, 5, 6, 7],
    );
    for e in entries {
        t.row(vec![
            fit(&e.key, 36),
            fit(&e.provider, 20),
            e.state.to_string(),
            or_dash(e.order),
            or_dash(e.status.as_deref()),
            or_dash(e.charge),
            or_dash(e.quote.and_then(|q| q.amount())),
            or_dash(e.remains),
            minute(e.created_at),
            fit(e.reference.as_deref().unwrap_or(""), 30),
        ]);
    }
    t.render()
}

pub(crate) async fn orders(journal: &Journal, args: &OrdersArgs) -> Result<u8, Failure> {
    let state = match (&args.state, args.unknown) {
        (_, true) => Some(EntryState::Unknown),
        (Some(s), _) => Some(EntryState::parse(s).ok_or_else(|| {
            Failure::usage(format!(
                "unknown state `{s}`: one of {}",
                EntryState::ALL.map(EntryState::as_str).join(", ")
            ))
        })?),
        (None, false) => None,
    };
    let entries = journal
        .orders(&OrderFilter {
            state,
            provider: args.provider.clone(),
            status: args.status.clone(),
            limit: args.limit,
        })
        .await?;
    if !print_as(&args.output, &entries) {
        print(&entries_table(&entries));
        let what = state.map_or_else(String::new, |s| format!(" {s}"));
        print(&format!(
            "{}{what} orders in {}\n",
            entries.len(),
            journal.url()
        ));
        if state == Some(EntryState::Unknown) && !entries.is_empty() {
            print(
                "check each on the panel, then: smmkit resolve KEY --placed ORDER_ID | --not-placed\n",
            );
        }
    }
    Ok(0)
}

pub(crate) async fn resolve(journal: &Journal, args: &ResolveArgs) -> Result<u8, Failure> {
    let resolution = match &args.placed {
        Some(id) => {
            let ids: Vec<OrderId> = crate::commands::parse_ids(std::slice::from_ref(id), "order")?;
            match ids.as_slice() {
                [id] => Resolution::Placed(*id),
                _ => return Err(Failure::usage("--placed takes one order id")),
            }
        }
        None => Resolution::NotPlaced,
    };
    let entry = journal.resolve(&args.key, resolution).await?;
    match entry.order {
        Some(id) => print(&format!(
            "{}: placed as order {id}; smmkit sync follows it from now on\n",
            entry.key
        )),
        None => print(&format!(
            "{}: not placed; adding with this key sends the order again\n",
            entry.key
        )),
    }
    Ok(0)
}

/// Attaches every other profile of the config file that keeps its orders
/// in the same journal, so that one sync covers them all.
fn attach_profiles(journal: &Journal, args: &PanelArgs, url: &str) {
    let Ok((file, path)) = panel::config_file(args) else {
        return;
    };
    let attached = journal.attached();
    for (name, table) in &file.profiles {
        let same = table.get("journal").and_then(|v| v.as_str()) == Some(url);
        if !same || attached.contains(name) {
            continue;
        }
        let client = panel::profile_client(args, &file, path.as_deref(), name);
        match client {
            Ok(client) => {
                journal.attach_as(name.clone(), Arc::new(client));
            }
            Err(f) => crate::warn(&format!("profile `{name}` is not synced: {}", f.message())),
        }
    }
}

fn summary(round: u32, r: &SyncReport) -> String {
    let mut line = format!(
        "round {round}: polled {} orders, {} changed",
        r.polled,
        r.changes.len()
    );
    if !r.failed.is_empty() {
        line.push_str(&format!(", {} could not be polled", r.failed.len()));
    }
    line.push_str(&format!("; {} still open", r.open));
    if r.unknown > 0 {
        line.push_str(&format!(
            "; {} unknown (smmkit orders --unknown)",
            r.unknown
        ));
    }
    line
}

pub(crate) async fn sync(
    journal: &Journal,
    args: &PanelArgs,
    url: &str,
    a: &SyncArgs,
) -> Result<u8, Failure> {
    if !(a.interval.is_finite() && a.interval >= 0.05) {
        return Err(Failure::usage("--interval must be at least 0.05 seconds"));
    }
    attach_profiles(journal, args, url);
    let mut round = 0;
    loop {
        round += 1;
        let report = journal.sync().await?;
        if a.json {
            print(&format!(
                "{}\n",
                serde_json::to_string(&report).unwrap_or_default()
            ));
        } else {
            for change in &report.changes {
                print(&format!("   {change}\n"));
            }
            for f in &report.failed {
                print(&format!("   order {}: not polled: {}\n", f.order, f.error));
            }
            print(&format!("{}\n", summary(round, &report)));
        }
        for u in &report.unattached {
            crate::warn(&format!(
                "{} open orders of `{}` are not synced: no panel for it here (use its profile)",
                u.orders, u.provider
            ));
        }
        if !a.watch || report.open == 0 {
            return Ok(if report.failed.is_empty() { 0 } else { 4 });
        }
        tokio::time::sleep(Duration::from_secs_f64(a.interval)).await;
    }
}
