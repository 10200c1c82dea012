//! Routes: a named offering and the (panel, service) pairs that can fill
//! it, tried in the order a strategy gives.

use std::fmt;

use serde::Serialize;
use serde_json::Value;
use smmkit_provider_core::{Error, Result, ServiceId};

/// How a route orders its panels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Strategy {
    /// The lowest quote first (panels whose quote is unknown last), ties
    /// in the listed order.
    Cheapest,
    /// The listed order.
    Priority,
}

impl Strategy {
    /// `cheapest` or `priority`.
    pub fn as_str(self) -> &'static str {
        match self {
            Strategy::Cheapest => "cheapest",
            Strategy::Priority => "priority",
        }
    }

    /// Reads a strategy's name.
    pub fn parse(text: &str) -> Option<Strategy> {
        match text.trim().to_ascii_lowercase().as_str() {
            "cheapest" => Some(Strategy::Cheapest),
            "priority" | "fixed" => Some(Strategy::Priority),
            _ => None,
        }
    }
}

/// One (panel, service) pair of a route.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Leg {
    /// The panel, by its name in the fleet.
    pub panel: String,
    /// The service at that panel.
    pub service: ServiceId,
}

impl Leg {
    /// Reads `panel:service` (`main:1203`).
    pub fn parse(text: &str) -> Result<Leg> {
        let bad = || {
            Error::Config(format!(
                "`{text}` is not a route leg: write PANEL:SERVICE, such as main:1203"
            ))
        };
        let (panel, service) = text.rsplit_once(':').ok_or_else(bad)?;
        let panel = panel.trim();
        if panel.is_empty() {
            return Err(bad());
        }
        let service = service.trim().parse::<ServiceId>().map_err(|_| bad())?;
        Ok(Leg {
            panel: panel.to_owned(),
            service,
        })
    }
}

impl fmt::Display for Leg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.panel, self.service)
    }
}

/// A named offering and the pairs that can fill it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Route {
    /// Its name (`ig-likes`).
    pub name: String,
    /// How its panels are ordered.
    pub strategy: Strategy,
    /// The pairs that can fill it.
    pub legs: Vec<Leg>,
}

impl Route {
    /// A route from its parts; it needs at least one leg, each panel once.
    pub fn new(name: impl Into<String>, strategy: Strategy, legs: Vec<Leg>) -> Result<Route> {
        let name = name.into();
        if name.trim().is_empty() {
            return Err(Error::Config("a route needs a name".into()));
        }
        if legs.is_empty() {
            return Err(Error::Config(format!(
                "route `{name}` lists no services (services = [\"PANEL:SERVICE\", …])"
            )));
        }
        for (i, leg) in legs.iter().enumerate() {
            if legs[..i].iter().any(|l| l.panel == leg.panel) {
                return Err(Error::Config(format!(
                    "route `{name}` lists panel `{}` twice; one service per panel",
                    leg.panel
                )));
            }
        }
        Ok(Route {
            name,
            strategy,
            legs,
        })
    }

    /// Reads a route as the config file and the bindings give it:
    /// `{"strategy": "cheapest", "services": ["main:1203", "backup:77"]}`.
    pub fn from_value(name: &str, value: &Value) -> Result<Route> {
        let Value::Object(map) = value else {
            return Err(Error::Config(format!(
                "route `{name}` must be a table of `strategy` and `services`"
            )));
        };
        let mut strategy = Strategy::Cheapest;
        let mut legs = None;
        for (k, v) in map {
            match k.as_str() {
                "strategy" => {
                    let text = v.as_str().unwrap_or_default();
                    strategy = Strategy::parse(text).ok_or_else(|| {
                        Error::Config(format!(
                            "route `{name}`: `strategy` must be \"cheapest\" or \"priority\", not {v}"
                        ))
                    })?;
                }
                "services" => {
                    let Value::Array(items) = v else {
                        return Err(Error::Config(format!(
                            "route `{name}`: `services` must be a list of \"PANEL:SERVICE\""
                        )));
                    };
                    legs = Some(
                        items
                            .iter()
                            .map(|item| match item {
                                Value::String(s) => Leg::parse(s),
                                other => Leg::parse(&other.to_string()),
                            })
                            .collect::<Result<Vec<_>>>()?,
                    );
                }
                other => {
                    return Err(Error::Config(format!(
                        "route `{name}`: unknown key `{other}` (a route has `strategy` and `services`)"
                    )));
                }
            }
        }
        Route::new(name, strategy, legs.unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn routes_read_from_the_config_shape_and_refuse_what_cannot_work() {
        let r = Route::from_value(
            "ig-likes",
            &json!({"strategy": "priority", "services": ["main:1203", "my:backup: 77"]}),
        )
        .unwrap();
        assert_eq!(r.strategy, Strategy::Priority);
        assert_eq!(r.legs[1].panel, "my:backup");
        assert_eq!(r.legs[1].service, ServiceId(77));
        for (bad, says) in [
            (json!({"services": []}), "lists no services"),
            (json!({"services": ["main"]}), "PANEL:SERVICE"),
            (json!({"services": ["main:x"]}), "PANEL:SERVICE"),
            (json!({"services": ["a:1", "a:2"]}), "twice"),
            (
                json!({"strategy": "random", "services": ["a:1"]}),
                "\"cheapest\" or \"priority\"",
            ),
            (
                json!({"services": ["a:1"], "fallback": true}),
                "unknown key `fallback`",
            ),
        ] {
            let e = Route::from_value("r", &bad).unwrap_err();
            assert!(e.to_string().contains(says), "{bad}: {e}");
        }
    }
}
