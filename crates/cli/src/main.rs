//! `smmkit`: the command line for SMM panels that speak API v2.

#![allow(clippy::print_stdout, clippy::print_stderr)]

mod args;
mod commands;
mod demo;
mod fleet;
mod journal;
mod output;
mod panel;

use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command};

/// Why a command stopped: one line for the user and an exit code.
#[derive(Debug)]
pub(crate) struct Failure {
    message: String,
    code: u8,
}

impl Failure {
    /// Bad arguments or configuration (exit code 2).
    pub(crate) fn usage(message: impl Into<String>) -> Failure {
        Failure {
            message: message.into(),
            code: 2,
        }
    }

    /// Anything else that went wrong (exit code 1).
    pub(crate) fn error(message: impl Into<String>) -> Failure {
        Failure {
            message: message.into(),
            code: 1,
        }
    }

    /// The line for the user.
    pub(crate) fn message(&self) -> &str {
        &self.message
    }
}

impl From<smmkit::Error> for Failure {
    fn from(e: smmkit::Error) -> Failure {
        let code = commands::exit_code(&e);
        let message = match &e {
            smmkit::Error::OutcomeUnknown { .. } => {
                format!("{e} — check the panel's orders before ordering again")
            }
            smmkit::Error::Journal {
                placed: Some(id), ..
            } => format!("{e} — order {id} exists: note its id"),
            _ => e.to_string(),
        };
        Failure { message, code }
    }
}

impl From<smmkit::ValidationError> for Failure {
    fn from(e: smmkit::ValidationError) -> Failure {
        smmkit::Error::from(e).into()
    }
}

/// Prints a warning on standard error.
pub(crate) fn warn(text: &str) {
    eprintln!("warning: {text}");
}

/// Ctrl-C while a command sends an order, a refill or a cancel: cut
/// halfway, nobody would know what the panel did, so the first Ctrl-C
/// waits for the panel's answer (which the command prints, and a journal
/// records); a second one stops at once, exit code 130.
fn hold_ctrl_c() -> std::io::Result<()> {
    #[cfg(unix)]
    {
        // Listening from here on: the signal's default (exit) is replaced
        // before anything is sent.
        let mut interrupts =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::interrupt())?;
        tokio::spawn(async move {
            interrupts.recv().await;
            warn(
                "waiting for the panel's answer to what was sent, so that it is known; \
                 Ctrl-C again stops now, and its outcome is then unknown",
            );
            interrupts.recv().await;
            std::process::exit(130);
        });
    }
    Ok(())
}

async fn run(cli: Cli) -> Result<u8, Failure> {
    if matches!(
        cli.command,
        Command::Add(_) | Command::Refill(_) | Command::Cancel(_)
    ) {
        hold_ctrl_c().map_err(|e| Failure {
            message: format!("cannot listen for Ctrl-C: {e}"),
            code: 1,
        })?;
    }
    match &cli.command {
        Command::Demo(a) => return demo::demo(a).await,
        Command::Sandbox(a) => {
            if cli.panel.key.is_some() {
                return Err(Failure::usage(
                    "smmkit sandbox sets its account's key with --account-key; \
                     --key is the key smmkit sends to a panel",
                ));
            }
            return demo::sandbox(a).await;
        }
        _ => {}
    }
    match &cli.command {
        Command::Orders(a) => {
            let journal = journal::open_alone(&cli.panel, "smmkit orders").await?;
            return journal::orders(&journal, a).await;
        }
        Command::Resolve(a) => {
            let journal = journal::open_alone(&cli.panel, "smmkit resolve").await?;
            return journal::resolve(&journal, a).await;
        }
        Command::Compare(a) => return fleet::compare(&cli.panel, a).await,
        Command::Prices(a) => return fleet::prices(&cli.panel, a).await,
        Command::Add(a) if a.route.is_some() => {
            let route = a.route.as_deref().unwrap_or_default();
            return fleet::add(&cli.panel, a, route).await;
        }
        _ => {}
    }
    let config = panel::config(&cli.panel)?;
    let panel = smmkit::connect(&config)?;
    let journaled = match &config.journal {
        Some(url) => {
            let journal = smmkit::Journal::open(url).await?;
            Some(journal.attach(std::sync::Arc::new(panel.clone())))
        }
        None => None,
    };
    let p: &dyn smmkit::SmmProvider = match &journaled {
        Some(j) => j,
        None => &panel,
    };
    match &cli.command {
        Command::Services(a) => commands::services(p, a).await,
        Command::Add(a) => commands::add(p, journaled.as_ref(), a).await,
        Command::Status(a) => commands::status(p, a).await,
        Command::Watch(a) => commands::watch(p, a).await,
        Command::Refill(a) => commands::refill(p, a).await,
        Command::RefillStatus(a) => commands::refill_status(p, a).await,
        Command::Cancel(a) => commands::cancel(p, a).await,
        Command::Balance(a) => commands::balance(p, a).await,
        Command::Sync(a) => match (&journaled, &config.journal) {
            (Some(j), Some(url)) => journal::sync(j.journal(), &cli.panel, url, a).await,
            _ => Err(journal::needed("smmkit sync")),
        },
        Command::Demo(_)
        | Command::Sandbox(_)
        | Command::Orders(_)
        | Command::Resolve(_)
        | Command::Compare(_)
        | Command::Prices(_) => Ok(0),
    }
}

fn main() -> ExitCode {
    // Should anything ever panic, say so in one line: no backtrace.
    std::panic::set_hook(Box::new(|info| {
        let what = info
            .payload()
            .downcast_ref::<&str>()
            .map(|s| (*s).to_owned())
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown".into());
        eprintln!("error: internal error: {what} (please report it)");
    }));
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(1);
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => ExitCode::from(code),
        Err(f) => {
            eprintln!("error: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}
