//! Choosing the panel: flags, profiles, and where the key comes from.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use serde::Deserialize;
use smmkit::{ClientOptions, Fampage, PerfectPanel, SmmProvider, Transport};

use crate::Failure;
use crate::args::{PanelArgs, ProviderName, TransportName};

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    default: Option<String>,
    #[serde(default)]
    profiles: BTreeMap<String, Profile>,
}

#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct Profile {
    provider: Option<String>,
    url: Option<String>,
    /// The environment variable that holds the key.
    key_env: Option<String>,
    /// The key itself (the file should then be readable by its owner only).
    key: Option<String>,
    transport: Option<TransportName>,
    timeout: Option<u64>,
    retries: Option<u32>,
}

fn default_config_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))?;
    Some(base.join("smmkit").join("config.toml"))
}

fn read_config(path: &Path, explicit: bool) -> Result<ConfigFile, Failure> {
    match std::fs::read_to_string(path) {
        Ok(text) => toml::from_str(&text).map_err(|e| {
            Failure::usage(format!("config file {}: {}", path.display(), e.message()))
        }),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => {
            Ok(ConfigFile::default())
        }
        Err(e) => Err(Failure::usage(format!(
            "config file {}: {e}",
            path.display()
        ))),
    }
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

/// Builds the client the flags and the profile describe.
pub(crate) fn connect(args: &PanelArgs) -> Result<Arc<dyn SmmProvider>, Failure> {
    let explicit = args.config.is_some();
    let path = args.config.clone().or_else(default_config_path);
    let file = match &path {
        Some(p) => read_config(p, explicit)?,
        None => ConfigFile::default(),
    };
    let profile_name = args.profile.clone().or_else(|| {
        // A default profile applies only when no panel is named by flags.
        (args.provider.is_none() && args.url.is_none())
            .then(|| file.default.clone())
            .flatten()
    });
    let profile = match &profile_name {
        Some(name) => file.profiles.get(name).cloned().ok_or_else(|| {
            let known: Vec<&str> = file.profiles.keys().map(String::as_str).collect();
            Failure::usage(format!(
                "no profile `{name}` in {} (profiles: {})",
                path.as_deref()
                    .map_or_else(|| "the config file".into(), |p| p.display().to_string()),
                if known.is_empty() {
                    "none".into()
                } else {
                    known.join(", ")
                }
            ))
        })?,
        None => Profile::default(),
    };

    let provider = match (args.provider, profile.provider.as_deref()) {
        (Some(p), _) => Some(p),
        (None, Some("fampage")) => Some(ProviderName::Fampage),
        (None, Some("perfect-panel" | "perfect_panel")) => Some(ProviderName::PerfectPanel),
        (None, Some(other)) => {
            return Err(Failure::usage(format!(
                "profile: unknown provider `{other}` (fampage or perfect-panel)"
            )));
        }
        (None, None) => None,
    };
    let url = args.url.clone().or(profile.url.clone());
    let provider = match (provider, &url) {
        (Some(p), _) => p,
        (None, Some(_)) => ProviderName::PerfectPanel,
        (None, None) => {
            return Err(Failure::usage(
                "no panel chosen: pass --provider fampage, --url URL for any API v2 panel, or --profile NAME \
                 (smmkit demo needs none)",
            ));
        }
    };

    let key = resolve_key(args, &profile, path.as_deref())?;
    let options = ClientOptions {
        transport: args.transport.or(profile.transport).map(|t| match t {
            TransportName::Post => Transport::PostForm,
            TransportName::Get => Transport::GetQuery,
        }),
        timeout: args.timeout.or(profile.timeout).map(Duration::from_secs),
        retries: args.retries.or(profile.retries),
        ..ClientOptions::default()
    };
    Ok(match provider {
        ProviderName::Fampage => {
            let mut b = Fampage::builder(key).configure(|b| b.options(&options));
            if let Some(url) = url {
                b = b.base_url(url);
            }
            Arc::new(b.build()?)
        }
        ProviderName::PerfectPanel => {
            let url = url.ok_or_else(|| {
                Failure::usage("--provider perfect-panel needs --url (the panel's API v2 URL)")
            })?;
            Arc::new(PerfectPanel::builder(url, key).options(&options).build()?)
        }
    })
}

fn resolve_key(
    args: &PanelArgs,
    profile: &Profile,
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
    if let Some(var) = &profile.key_env {
        return std::env::var(var)
            .ok()
            .filter(|k| !k.trim().is_empty())
            .ok_or_else(|| Failure::usage(format!("the profile's key variable {var} is not set")));
    }
    if let Some(key) = &profile.key {
        if let Some(path) = config
            && readable_by_others(path)
        {
            crate::warn(&format!(
                "{} holds an API key and others can read it: chmod 600 it, or use key_env",
                path.display()
            ));
        }
        return Ok(key.clone());
    }
    Err(Failure::usage(
        "no API key: set SMMKIT_KEY (or key_env in a profile)",
    ))
}
