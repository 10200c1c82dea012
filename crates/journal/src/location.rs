//! Where a journal lives: its URL, read once, and shown without its
//! password.

use smmkit_provider_core::{Error, REDACTED, Result};

/// The database a journal is kept in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// An SQLite file, or an in-memory database.
    Sqlite,
    /// A Postgres server.
    Postgres,
}

impl Backend {
    /// `"sqlite"` or `"postgres"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

/// A journal's URL, read.
#[derive(Clone)]
pub(crate) struct Location {
    pub(crate) backend: Backend,
    /// What the driver connects to.
    pub(crate) connect: String,
    /// The URL as it may be shown: without a password.
    pub(crate) shown: String,
    /// The password, to be removed from any error text.
    pub(crate) password: Option<String>,
    /// An in-memory SQLite database: one connection holds it.
    pub(crate) memory: bool,
}

fn config(message: String) -> Error {
    Error::Config(message)
}

impl Location {
    /// Reads a journal URL: `sqlite://PATH` (or `sqlite:PATH`, created
    /// when missing unless `mode=` says otherwise), `sqlite::memory:`,
    /// `postgres://…` (or `postgresql://…`), or a bare file path, taken as
    /// an SQLite file.
    pub(crate) fn parse(url: &str) -> Result<Location> {
        let url = url.trim();
        if url.is_empty() {
            return Err(config(
                "the journal URL is empty; give sqlite://FILE, sqlite::memory: or postgres://…"
                    .into(),
            ));
        }
        if url == "sqlite::memory:" || url == "sqlite://:memory:" || url == ":memory:" {
            return Ok(Location {
                backend: Backend::Sqlite,
                connect: "sqlite::memory:".into(),
                shown: "sqlite::memory:".into(),
                password: None,
                memory: true,
            });
        }
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            return Location::postgres(url);
        }
        let path = if let Some(rest) = url.strip_prefix("sqlite:") {
            rest.strip_prefix("//").unwrap_or(rest)
        } else if let Some((scheme, _)) = url.split_once("://") {
            return Err(config(format!(
                "the journal URL's scheme `{scheme}` is not one smmkit keeps a journal in; \
                 give sqlite://FILE, sqlite::memory: or postgres://…"
            )));
        } else {
            url
        };
        let (file, params) = match path.split_once('?') {
            Some((file, params)) => (file, Some(params)),
            None => (path, None),
        };
        if file.is_empty() {
            return Err(config(format!(
                "the journal URL `{url}` names no file; give sqlite://FILE"
            )));
        }
        let has_mode = params.is_some_and(|p| p.split('&').any(|kv| kv.starts_with("mode=")));
        let params = match (params, has_mode) {
            (Some(p), true) => p.to_owned(),
            (Some(p), false) => format!("{p}&mode=rwc"),
            (None, _) => "mode=rwc".to_owned(),
        };
        Ok(Location {
            backend: Backend::Sqlite,
            connect: format!("sqlite://{file}?{params}"),
            shown: format!("sqlite://{path}"),
            password: None,
            memory: false,
        })
    }

    fn postgres(text: &str) -> Result<Location> {
        let mut parsed = url::Url::parse(text).map_err(|e| {
            config(format!(
                "the journal URL is not a valid postgres:// URL ({e})"
            ))
        })?;
        let password = parsed
            .password()
            .map(percent_decoded)
            .filter(|p| !p.is_empty());
        if password.is_some() {
            // Only fails for URLs that cannot have a password.
            let _ = parsed.set_password(Some(REDACTED));
        }
        Ok(Location {
            backend: Backend::Postgres,
            connect: text.to_owned(),
            shown: parsed.to_string(),
            password,
            memory: false,
        })
    }
}

fn percent_decoded(text: &str) -> String {
    url::form_urlencoded::parse(format!("p={text}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_else(|| text.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_and_paths_become_files_created_when_missing() {
        for (given, connect, shown) in [
            (
                "sqlite://orders.db",
                "sqlite://orders.db?mode=rwc",
                "sqlite://orders.db",
            ),
            (
                "sqlite:orders.db",
                "sqlite://orders.db?mode=rwc",
                "sqlite://orders.db",
            ),
            (
                "orders.db",
                "sqlite://orders.db?mode=rwc",
                "sqlite://orders.db",
            ),
            (
                "/var/lib/bot/j.db",
                "sqlite:///var/lib/bot/j.db?mode=rwc",
                "sqlite:///var/lib/bot/j.db",
            ),
            (
                "sqlite://j.db?mode=ro",
                "sqlite://j.db?mode=ro",
                "sqlite://j.db?mode=ro",
            ),
        ] {
            let l = Location::parse(given).unwrap();
            assert_eq!(
                (l.backend, l.connect.as_str(), l.shown.as_str()),
                (Backend::Sqlite, connect, shown),
                "{given}"
            );
            assert!(!l.memory);
        }
        assert!(Location::parse("sqlite::memory:").unwrap().memory);
    }

    #[test]
    fn a_postgres_password_is_never_shown() {
        let l = Location::parse("postgres://bot:p%40ss-w0rd@db.example:5432/smm").unwrap();
        assert_eq!(l.backend, Backend::Postgres);
        assert!(!l.shown.contains("ss-w0rd"), "{}", l.shown);
        assert!(l.shown.contains("db.example:5432/smm"));
        assert_eq!(l.password.as_deref(), Some("p@ss-w0rd"));
    }

    #[test]
    fn other_schemes_and_empty_urls_are_refused_with_what_to_give() {
        for bad in ["mysql://x/y", "", "sqlite://", "sqlite://?mode=rwc"] {
            let e = Location::parse(bad).err().unwrap();
            assert_eq!(e.kind(), "config", "{bad}");
            assert!(e.to_string().contains("sqlite://"), "{e}");
        }
    }
}
