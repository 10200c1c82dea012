//! Price lists: the reseller's sale prices from costs, with markup rules,
//! in exact decimals.

use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;
use serde_json::Value;
use smmkit_provider_core::{Error, Result, ServiceId};

/// How a sale price is rounded to its decimals.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// Up (away from zero): rounding never eats into the margin.
    #[default]
    Up,
    /// To the nearest, half-way away from zero.
    HalfUp,
}

/// A markup: percent and/or fixed, with a minimum margin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Markup {
    /// Percent of the cost added (`30` for 30 %).
    pub percent: Decimal,
    /// An amount added after the percent.
    pub fixed: Decimal,
    /// The least the sale price may exceed the cost by.
    pub min_margin: Option<Decimal>,
}

/// Which services a rule applies to: a category and/or a type, matched
/// without regard to case (the category by containment).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Selector {
    /// Text the category contains.
    pub category: Option<String>,
    /// The service type.
    pub kind: Option<String>,
}

impl Selector {
    fn matches(&self, category: &str, kind: &str) -> bool {
        self.category
            .as_deref()
            .is_none_or(|c| category.to_lowercase().contains(&c.to_lowercase()))
            && self
                .kind
                .as_deref()
                .is_none_or(|k| k.eq_ignore_ascii_case(kind))
    }
}

/// How sale prices are made: a markup per category or type (the first
/// rule that matches), else the default one; rounded to `decimals`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pricing {
    /// The markup where no rule matches.
    pub default: Markup,
    /// Markups for some categories or types, the first match wins.
    pub rules: Vec<(Selector, Markup)>,
    /// The decimals of a sale price.
    pub decimals: u32,
    /// How it is rounded to them.
    pub rounding: Rounding,
}

impl Default for Pricing {
    fn default() -> Self {
        Pricing {
            default: Markup::default(),
            rules: Vec::new(),
            decimals: 2,
            rounding: Rounding::Up,
        }
    }
}

fn too_large() -> Error {
    Error::Validation(smmkit_provider_core::ValidationError::for_field(
        "markup",
        "the price is too large to compute",
    ))
}

/// Reads a markup as people write one: `30%`, `0.50` (fixed), or both
/// joined by `+` (`30%+0.10`).
pub fn parse_markup(text: &str) -> Result<(Decimal, Decimal)> {
    let bad = || {
        Error::Validation(smmkit_provider_core::ValidationError::for_field(
            "markup",
            format!("`{text}` is not a markup: write 30% (percent), 0.50 (fixed) or 30%+0.50"),
        ))
    };
    let (mut percent, mut fixed) = (Decimal::ZERO, Decimal::ZERO);
    let text = text.trim();
    if text.is_empty() {
        return Err(bad());
    }
    for part in text.split('+').map(str::trim) {
        if part.is_empty() {
            continue;
        }
        match part.strip_suffix('%') {
            Some(p) => percent += p.trim().parse::<Decimal>().map_err(|_| bad())?,
            None => fixed += part.parse::<Decimal>().map_err(|_| bad())?,
        }
    }
    if percent.is_sign_negative() || fixed.is_sign_negative() {
        return Err(bad());
    }
    Ok((percent, fixed))
}

impl Pricing {
    /// The markup for a service of `category` and `kind`.
    pub fn markup_for(&self, category: &str, kind: &str) -> &Markup {
        self.rules
            .iter()
            .find(|(s, _)| s.matches(category, kind))
            .map_or(&self.default, |(_, m)| m)
    }

    /// The sale price of `cost`: cost × (1 + percent/100) + fixed, at
    /// least cost + the minimum margin, rounded to the decimals.
    pub fn sale(&self, cost: Decimal, category: &str, kind: &str) -> Result<Decimal> {
        let m = self.markup_for(category, kind);
        let hundred = Decimal::ONE_HUNDRED;
        let factor = hundred
            .checked_add(m.percent)
            .and_then(|p| p.checked_div(hundred))
            .ok_or_else(too_large)?;
        let mut sale = cost
            .checked_mul(factor)
            .and_then(|s| s.checked_add(m.fixed))
            .ok_or_else(too_large)?;
        if let Some(min) = m.min_margin {
            let floor = cost.checked_add(min).ok_or_else(too_large)?;
            sale = sale.max(floor);
        }
        let strategy = match self.rounding {
            Rounding::Up => RoundingStrategy::AwayFromZero,
            Rounding::HalfUp => RoundingStrategy::MidpointAwayFromZero,
        };
        let mut sale = sale.round_dp_with_strategy(self.decimals, strategy);
        // Shown with every decimal: 1.50, not 1.5.
        sale.rescale(self.decimals);
        Ok(sale)
    }

    /// Reads pricing as the bindings give it: `markup` (`"30%"`,
    /// `"0.50"`, `"30%+0.10"`), `min_margin`, `round` (decimals, 2 by
    /// default), `rounding` (`up` or `half_up`) and `rules`, a list of
    /// `{category?, type?, markup, min_margin?}`.
    pub fn from_value(value: &Value) -> Result<Pricing> {
        let map = match value {
            Value::Null => serde_json::Map::new(),
            Value::Object(m) => m.clone(),
            _ => return Err(Error::Config("pricing must be an object".into())),
        };
        let mut p = Pricing::default();
        let decimal = |v: &Value, name: &str| -> Result<Decimal> {
            let text = match v {
                Value::String(s) => s.clone(),
                Value::Number(n) => n.to_string(),
                _ => String::new(),
            };
            text.trim()
                .parse::<Decimal>()
                .ok()
                .filter(|d| !d.is_sign_negative())
                .ok_or_else(|| {
                    Error::Config(format!("`{name}` must be an amount of 0 or more, not {v}"))
                })
        };
        let markup = |m: &serde_json::Map<String, Value>| -> Result<Markup> {
            let (percent, fixed) = match m.get("markup") {
                None | Some(Value::Null) => (Decimal::ZERO, Decimal::ZERO),
                Some(Value::String(s)) => parse_markup(s)?,
                Some(Value::Number(n)) => parse_markup(&n.to_string())?,
                Some(other) => {
                    return Err(Error::Config(format!(
                        "`markup` must be text such as \"30%\", not {other}"
                    )));
                }
            };
            let min_margin = match m.get("min_margin").or_else(|| m.get("minMargin")) {
                None | Some(Value::Null) => None,
                Some(v) => Some(decimal(v, "min_margin")?),
            };
            Ok(Markup {
                percent,
                fixed,
                min_margin,
            })
        };
        p.default = markup(&map)?;
        for (k, v) in &map {
            match k.as_str() {
                "markup" | "min_margin" | "minMargin" => {}
                "round" => {
                    p.decimals = v
                        .as_u64()
                        .and_then(|n| u32::try_from(n).ok())
                        .filter(|n| *n <= 12)
                        .ok_or_else(|| {
                            Error::Config(format!(
                                "`round` must be a number of decimals from 0 to 12, not {v}"
                            ))
                        })?;
                }
                "rounding" => {
                    p.rounding = match v.as_str() {
                        Some("up") => Rounding::Up,
                        Some("half_up" | "halfUp") => Rounding::HalfUp,
                        _ => {
                            return Err(Error::Config(format!(
                                "`rounding` must be \"up\" or \"half_up\", not {v}"
                            )));
                        }
                    };
                }
                "rules" => {
                    let Value::Array(rules) = v else {
                        return Err(Error::Config("`rules` must be a list".into()));
                    };
                    for rule in rules {
                        let Value::Object(r) = rule else {
                            return Err(Error::Config("each rule must be an object".into()));
                        };
                        let text =
                            |name: &str| r.get(name).and_then(Value::as_str).map(str::to_owned);
                        let selector = Selector {
                            category: text("category"),
                            kind: text("type"),
                        };
                        if selector.category.is_none() && selector.kind.is_none() {
                            return Err(Error::Config(
                                "a rule needs a `category` or a `type`".into(),
                            ));
                        }
                        p.rules.push((selector, markup(r)?));
                    }
                }
                other => {
                    return Err(Error::Config(format!(
                        "unknown pricing option `{other}` (markup, min_margin, round, rounding, rules)"
                    )));
                }
            }
        }
        Ok(p)
    }
}

/// One line of a price list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct PriceRow {
    /// The route's name, or `panel:service` for a whole catalog's line.
    pub name: String,
    /// The service's name (of the cheapest leg, for a route).
    pub service_name: String,
    /// Its type.
    #[serde(rename = "type")]
    pub kind: String,
    /// Its category.
    pub category: String,
    /// The panel the cost is from.
    pub panel: String,
    /// The service there.
    pub service: ServiceId,
    /// The cost per 1000 (per package for packages).
    pub cost: Decimal,
    /// The sale price, on the same unit.
    pub sale: Decimal,
    /// Sale minus cost.
    pub margin: Decimal,
    /// The smallest and largest quantity.
    pub min: u64,
    /// The largest quantity.
    pub max: u64,
}

/// A sale price below what a panel now charges.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PriceWarning {
    /// The price list's line.
    pub name: String,
    /// The panel.
    pub panel: String,
    /// The service there.
    pub service: ServiceId,
    /// What the panel charges now.
    pub cost: Decimal,
    /// The sale price.
    pub sale: Decimal,
}

impl std::fmt::Display for PriceWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: {} now charges {} for service {}, above the sale price {}",
            self.name, self.panel, self.cost, self.service, self.sale
        )
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    fn pricing(v: Value) -> Pricing {
        Pricing::from_value(&v).unwrap()
    }

    #[test]
    fn markups_read_as_people_write_them() {
        assert_eq!(parse_markup("30%").unwrap(), (d("30"), d("0")));
        assert_eq!(parse_markup("0.50").unwrap(), (d("0"), d("0.50")));
        assert_eq!(
            parse_markup(" 12.5% + 0.10 ").unwrap(),
            (d("12.5"), d("0.10"))
        );
        for bad in ["", "%", "thirty%", "-5%", "1,5", "30%%"] {
            assert!(parse_markup(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn sale_prices_are_exact_and_rounding_never_eats_the_margin() {
        let p = pricing(json!({"markup": "30%", "round": 2}));
        assert_eq!(p.sale(d("0.90"), "", "").unwrap(), d("1.17"));
        // 0.1234 × 1.3 = 0.16042 → up: 0.17, half up: 0.16.
        assert_eq!(p.sale(d("0.1234"), "", "").unwrap(), d("0.17"));
        let half = pricing(json!({"markup": "30%", "round": 2, "rounding": "half_up"}));
        assert_eq!(half.sale(d("0.1234"), "", "").unwrap(), d("0.16"));
        // Half-way: 0.125 → 0.13 either way; 0.124999… → 0.12 half up.
        let flat = pricing(json!({"round": 2, "rounding": "half_up"}));
        assert_eq!(flat.sale(d("0.125"), "", "").unwrap(), d("0.13"));
        assert_eq!(flat.sale(d("0.12499999"), "", "").unwrap(), d("0.12"));
        assert_eq!(p.sale(d("0.12000001"), "", "").unwrap(), d("0.16"));
        // 8-decimal rates keep every digit until the rounding.
        let eight = pricing(json!({"markup": "10%", "round": 8}));
        assert_eq!(
            eight.sale(d("0.00012345"), "", "").unwrap(),
            d("0.00013580")
        );
        // Zero costs stay zero without a fixed part or minimum margin.
        assert_eq!(p.sale(Decimal::ZERO, "", "").unwrap(), d("0.00"));
        let fixed = pricing(json!({"markup": "30%+0.05", "min_margin": "0.10"}));
        assert_eq!(fixed.sale(Decimal::ZERO, "", "").unwrap(), d("0.10"));
        assert_eq!(fixed.sale(d("10"), "", "").unwrap(), d("13.05"));
        // Huge rates: exact, or a clear error, never a wrong number.
        assert_eq!(
            p.sale(d("1000000000000.01"), "", "").unwrap(),
            d("1300000000000.02")
        );
        let e = pricing(json!({"markup": "1000000000000000000000000%"}))
            .sale(Decimal::MAX, "", "")
            .unwrap_err();
        assert!(e.to_string().contains("too large"), "{e}");
    }

    #[test]
    fn the_first_rule_that_matches_wins_else_the_default() {
        let p = pricing(json!({
            "markup": "20%",
            "rules": [
                {"category": "instagram", "markup": "50%"},
                {"type": "Package", "markup": "1.00"},
                {"category": "Instagram", "type": "Package", "markup": "99%"}
            ]
        }));
        assert_eq!(
            p.sale(d("1"), "Instagram Likes", "Default").unwrap(),
            d("1.50")
        );
        assert_eq!(
            p.sale(d("1"), "Instagram Likes", "Package").unwrap(),
            d("1.50")
        );
        assert_eq!(p.sale(d("1"), "YouTube", "package").unwrap(), d("2.00"));
        assert_eq!(p.sale(d("1"), "YouTube", "Default").unwrap(), d("1.20"));
        for (bad, says) in [
            (json!({"round": 13}), "0 to 12"),
            (json!({"rounding": "down"}), "\"up\" or \"half_up\""),
            (
                json!({"rules": [{"markup": "5%"}]}),
                "a `category` or a `type`",
            ),
            (json!({"margin": "5"}), "unknown pricing option `margin`"),
            (json!({"min_margin": "-1"}), "0 or more"),
        ] {
            let e = Pricing::from_value(&bad).unwrap_err();
            assert!(e.to_string().contains(says), "{bad}: {e}");
        }
    }
}
