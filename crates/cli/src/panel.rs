//! Choosing the panel: flags, profiles, and where the key comes from.
//!
//! A profile of the config file and the flags are the same client config
//! the core reads (`smmkit::ClientConfig`, snake_case, times in seconds):
//! the profile's settings first, the flags over them. Besides the config,
//! a profile may name `key_env`, the variable that holds its key.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};
use smmkit::{ClientConfig, Spelling};

use crate::Failure;
use crate::args::PanelArgs;

/// The config file: a default profile and the profiles.
#[derive(Debug, Default)]
pub(crate) struct ConfigFile {
    pub(crate) default: Option<String>,
    pub(crate) profiles: BTreeMap<String, Map<String, Value>>,
    /// `[routes.NAME]` tables: `strategy` and `services`.
    pub(crate) routes: BTreeMap<String, Value>,
}

fn default_config_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(base.join("smmkit").join("config.toml"))
}

fn read_config(path: &Path, explicit: bool) -> Result<ConfigFile, Failure> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => {
            return Ok(ConfigFile::default());
        }
        Err(e) => {
            return Err(Failure::usage(format!(
                "config file {}: {e}",
                path.display()
            )));
        }
    };
    let bad =
        |message: String| Failure::usage(format!("config file {}: {message}", path.display()));
    let value: Value = toml::from_str(&text).map_err(|e| bad(e.message().to_owned()))?;
    let Value::Object(mut top) = value else {
        return Err(bad("expected tables".into()));
    };
    let default = match top.remove("default") {
        None => None,
        Some(Value::String(name)) => Some(name),
        Some(_) => return Err(bad("`default` must be the name of a profile".into())),
    };
    let mut profiles = BTreeMap::new();
    match top.remove("profiles") {
        None => {}
        Some(Value::Object(all)) => {
            for (name, table) in all {
                let Value::Object(table) = table else {
                    return Err(bad(format!("[profiles.{name}] must be a table")));
                };
                profiles.insert(name, table);
            }
        }
        Some(_) => return Err(bad("`profiles` must be tables".into())),
    }
    let mut routes = BTreeMap::new();
    match top.remove("routes") {
        None => {}
        Some(Value::Object(all)) => routes.extend(all),
        Some(_) => return Err(bad("`routes` must be tables".into())),
    }
    if let Some(key) = top.keys().next() {
        return Err(bad(format!(
            "unknown key `{key}` (the file holds `default`, [profiles.NAME] and [routes.NAME] tables)"
        )));
    }
    Ok(ConfigFile {
        default,
        profiles,
        routes,
    })
}

#[cfg(unix)]
fn readable_by_others(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.permissions().mode() & 0o077 != 0)
}

#[cfg(not(unix))]
fn readable_by_others(_: &Path) -> bool {
    false
}

/// The config file the flags point to (or the default one).
pub(crate) fn config_file(args: &PanelArgs) -> Result<(ConfigFile, Option<PathBuf>), Failure> {
    let explicit = args.config.is_some();
    let path = args.config.clone().or_else(default_config_path);
    let file = match &path {
        Some(p) => read_config(p, explicit)?,
        None => ConfigFile::default(),
    };
    Ok((file, path))
}

/// The flags' settings, as the config the core reads.
fn flags(args: &PanelArgs) -> Result<ClientConfig, Failure> {
    let mut m = Map::new();
    let mut put = |name: &str, v: &Option<String>| {
        if let Some(v) = v {
            m.insert(name.to_owned(), Value::String(v.clone()));
        }
    };
    put("provider", &args.provider);
    put("url", &args.url);
    put("transport", &args.transport);
    put("timeout", &args.timeout);
    put("connect_timeout", &args.connect_timeout);
    put("retries", &args.retries);
    put("concurrency", &args.concurrency);
    put("max_connections", &args.max_connections);
    put("user_agent", &args.user_agent);
    put("proxy", &args.proxy);
    put("journal", &args.journal);
    ClientConfig::from_value(&Value::Object(m), Spelling::Snake).map_err(Failure::from)
}

/// The client config the flags and the profile describe, key included.
pub(crate) fn config(args: &PanelArgs) -> Result<ClientConfig, Failure> {
    let (file, path) = config_file(args)?;
    let flags = flags(args)?;
    let by_flags = args.provider.is_some() || args.url.is_some();
    profile_config(
        args,
        &file,
        path.as_deref(),
        args.profile.as_deref(),
        by_flags,
        flags,
    )
}

/// A client of the profile `name` of the config file, as it stands in the
/// file (the flags' panel settings apply; no panel named by flags): each
/// panel of a fleet, and each panel attached to a journal.
pub(crate) fn profile_client(
    args: &PanelArgs,
    file: &ConfigFile,
    path: Option<&Path>,
    name: &str,
) -> Result<smmkit::PerfectPanel, Failure> {
    let config = profile_config(args, file, path, Some(name), false, ClientConfig::default())?;
    smmkit::connect(&config).map_err(Failure::from)
}

/// The journal URL the flags or the profile give, without needing a panel
/// or a key: the commands that only read or resolve the journal use it.
pub(crate) fn journal_url(args: &PanelArgs) -> Result<Option<String>, Failure> {
    if let Some(url) = &args.journal {
        return Ok(Some(url.clone()));
    }
    let (file, _) = config_file(args)?;
    let by_flags = args.provider.is_some() || args.url.is_some();
    let name = args
        .profile
        .clone()
        .or_else(|| (!by_flags).then(|| file.default.clone()).flatten());
    Ok(name
        .and_then(|n| file.profiles.get(&n).cloned())
        .and_then(|t| t.get("journal").and_then(Value::as_str).map(str::to_owned)))
}

/// The config of one profile (`None`: the default one, unless the flags
/// name a panel), with the flags' settings over the profile's. A profile's
/// panel is named, in logs and in the journal, after the profile.
pub(crate) fn profile_config(
    args: &PanelArgs,
    file: &ConfigFile,
    path: Option<&Path>,
    profile: Option<&str>,
    panel_named_by_flags: bool,
    flags: ClientConfig,
) -> Result<ClientConfig, Failure> {
    let name = profile.map(str::to_owned).or_else(|| {
        // A default profile applies only when no panel is named by flags.
        (!panel_named_by_flags)
            .then(|| file.default.clone())
            .flatten()
    });
    let mut table = match &name {
        Some(name) => file.profiles.get(name).cloned().ok_or_else(|| {
            let known: Vec<&str> = file.profiles.keys().map(String::as_str).collect();
            Failure::usage(format!(
                "no profile `{name}` in {} (profiles: {})",
                path.map_or_else(|| "the config file".into(), |p| p.display().to_string()),
                if known.is_empty() {
                    "none".into()
                } else {
                    known.join(", ")
                }
            ))
        })?,
        None => Map::new(),
    };
    let key_env = match table.remove("key_env") {
        None => None,
        Some(Value::String(var)) => Some(var),
        Some(_) => {
            return Err(Failure::usage(
                "profile: `key_env` must be a variable's name",
            ));
        }
    };
    let profile_key = match table.remove("key") {
        None => None,
        Some(Value::String(key)) => Some(key),
        Some(_) => return Err(Failure::usage("profile: `key` must be text")),
    };
    let mut profile_config = ClientConfig::from_value(&Value::Object(table), Spelling::Snake)
        .map_err(|e| Failure::usage(format!("profile `{}`: {e}", name.as_deref().unwrap_or(""))))?;
    if profile_config.name.is_none() {
        profile_config.name = name.clone();
    }
    let mut config = profile_config.overridden_by(flags);
    if config.url.is_none() && config.provider == smmkit::Provider::PerfectPanel {
        return Err(Failure::usage(
            "no panel chosen: pass --provider fampage, --url URL for any API v2 panel, or --profile NAME \
             (smmkit demo needs none)",
        ));
    }
    let key = resolve_key(args, key_env.as_deref(), profile_key, path)?;
    config.key = Some(key.into());
    Ok(config)
}

fn resolve_key(
    args: &PanelArgs,
    key_env: Option<&str>,
    profile_key: Option<String>,
    config: Option<&Path>,
) -> Result<String, Failure> {
    if let Some(key) = &args.key {
        crate::warn(
            "--key puts your API key in the shell history; prefer the SMMKIT_KEY environment variable",
        );
        return Ok(key.clone());
    }
    if let Some(key) = std::env::var("SMMKIT_KEY")
        .ok()
        .filter(|k| !k.trim().is_empty())
    {
        return Ok(key);
    }
    if let Some(var) = key_env {
        return std::env::var(var)
            .ok()
            .filter(|k| !k.trim().is_empty())
            .ok_or_else(|| Failure::usage(format!("the profile's key variable {var} is not set")));
    }
    if let Some(key) = profile_key {
        if let Some(path) = config
            && readable_by_others(path)
        {
            crate::warn(&format!(
                "{} holds an API key and others can read it: chmod 600 it, or use key_env",
                path.display()
            ));
        }
        return Ok(key);
    }
    Err(Failure::usage(
        "no API key: set SMMKIT_KEY (or key_env in a profile)",
    ))
}
