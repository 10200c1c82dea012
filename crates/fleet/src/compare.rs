//! Comparing panels: the services matching a search on every panel side
//! by side, and suggested matches of "the same service" across panels.

use std::collections::BTreeSet;

use serde::Serialize;
use smmkit_provider_core::{Decimal, Service, ServiceId};

/// What to look for. Every part is optional and matched without regard
/// to case: `text` in the name or category, `category` in the category,
/// `kind` as the type.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Search {
    /// Text the name or category holds (each word of it).
    pub text: Option<String>,
    /// Text the category holds.
    pub category: Option<String>,
    /// The type (`Default`, `Package`…).
    pub kind: Option<String>,
}

impl Search {
    /// Whether `s` matches.
    pub fn matches(&self, s: &Service) -> bool {
        let hay = format!("{} {}", s.name, s.category).to_lowercase();
        self.text.as_deref().is_none_or(|t| {
            t.split_whitespace()
                .all(|w| hay.contains(&w.to_lowercase()))
        }) && self
            .category
            .as_deref()
            .is_none_or(|c| s.category.to_lowercase().contains(&c.to_lowercase()))
            && self
                .kind
                .as_deref()
                .is_none_or(|k| s.kind.as_str().eq_ignore_ascii_case(k))
    }
}

/// One panel's services that match, cheapest first.
#[derive(Debug, Clone, Serialize)]
pub struct PanelServices {
    /// The panel.
    pub panel: String,
    /// The matching services.
    pub services: Vec<Service>,
    /// Why its catalog could not be had, when it could not.
    pub error: Option<smmkit_provider_core::Error>,
}

/// One service of a suggested match.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Member {
    /// The panel.
    pub panel: String,
    /// The service there.
    pub service: ServiceId,
    /// Its name.
    pub name: String,
    /// Its rate.
    pub rate: Decimal,
}

/// Services of several panels that look like the same offering: same
/// type, similar normalised name and category, overlapping limits. A
/// suggestion only: the reseller confirms it (by making it a route).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    /// The services, one per panel, the cheapest first.
    pub members: Vec<Member>,
    /// How alike their names and categories are, from 0 to 1.
    pub similarity: f64,
}

/// What [`Fleet::compare`](crate::Fleet::compare) finds.
#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    /// Each panel's matching services.
    pub panels: Vec<PanelServices>,
    /// Suggested matches across panels, the most alike first.
    pub suggestions: Vec<Suggestion>,
}

/// Words that say how a service is sold rather than what it is.
const NOISE: &[&str] = &[
    "instant",
    "fast",
    "real",
    "hq",
    "high",
    "quality",
    "cheap",
    "cheapest",
    "best",
    "new",
    "premium",
    "super",
    "ultra",
    "speed",
    "day",
    "days",
    "per",
    "max",
    "min",
    "refill",
    "norefill",
    "no",
    "guaranteed",
    "guarantee",
    "lifetime",
    "stable",
    "non",
    "drop",
    "start",
    "service",
    "k",
    "m",
];

/// The words of a name or category that say what it is: lowercase, letters
/// and digits, without the words of how it is sold.
pub(crate) fn words(text: &str) -> BTreeSet<String> {
    text.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        // Quantities (1k, 5000) say how much, not what.
        .filter(|w| {
            !w.is_empty() && !NOISE.contains(w) && !w.starts_with(|c: char| c.is_ascii_digit())
        })
        .map(|w| {
            w.strip_suffix('s')
                .filter(|s| s.len() > 2)
                .unwrap_or(w)
                .to_owned()
        })
        .collect()
}

fn jaccard(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    let both = a.intersection(b).count();
    let either = a.union(b).count();
    both as f64 / either as f64
}

/// How alike two services are, from 0 to 1; 0 when they cannot be the same
/// offering (another type, limits that do not overlap).
pub fn similarity(a: &Service, b: &Service) -> f64 {
    if a.kind != b.kind || a.min > b.max || b.min > a.max {
        return 0.0;
    }
    let name = jaccard(&words(&a.name), &words(&b.name));
    let category = jaccard(&words(&a.category), &words(&b.category));
    0.7 * name + 0.3 * category
}

/// The least similarity of a suggestion.
pub const SUGGEST_FROM: f64 = 0.5;

/// Suggested matches: each service of each panel, with the most alike
/// service of every other panel when it is alike enough; a service is in
/// one suggestion at most.
pub(crate) fn suggestions(panels: &[PanelServices]) -> Vec<Suggestion> {
    let mut taken: BTreeSet<(usize, ServiceId)> = BTreeSet::new();
    let mut out = Vec::new();
    for (pi, p) in panels.iter().enumerate() {
        for s in &p.services {
            if taken.contains(&(pi, s.id)) {
                continue;
            }
            let mut members = vec![(pi, s, 1.0_f64)];
            for (qi, q) in panels.iter().enumerate().skip(pi + 1) {
                let best = q
                    .services
                    .iter()
                    .filter(|t| !taken.contains(&(qi, t.id)))
                    .map(|t| (t, similarity(s, t)))
                    .filter(|(_, score)| *score >= SUGGEST_FROM)
                    .max_by(|x, y| x.1.total_cmp(&y.1).then(y.0.rate.cmp(&x.0.rate)));
                if let Some((t, score)) = best {
                    members.push((qi, t, score));
                }
            }
            if members.len() < 2 {
                continue;
            }
            for (i, m, _) in &members {
                taken.insert((*i, m.id));
            }
            let score = members.iter().skip(1).map(|m| m.2).fold(1.0_f64, f64::min);
            let mut members: Vec<Member> = members
                .iter()
                .map(|(i, m, _)| Member {
                    panel: panels[*i].panel.clone(),
                    service: m.id,
                    name: m.name.clone(),
                    rate: m.rate,
                })
                .collect();
            members.sort_by_key(|m| m.rate);
            out.push(Suggestion {
                members,
                similarity: (score * 100.0).round() / 100.0,
            });
        }
    }
    out.sort_by(|a, b| b.similarity.total_cmp(&a.similarity));
    out
}

#[cfg(test)]
mod tests {
    use smmkit_provider_core::wire::decode_services;

    use super::*;

    fn list(json: &str) -> Vec<Service> {
        decode_services(json.as_bytes()).unwrap().services
    }

    #[test]
    fn the_same_offering_is_suggested_across_panels_and_others_are_not() {
        let a = PanelServices {
            panel: "a".into(),
            services: list(
                r#"[{"service":1,"name":"Instagram Likes [Instant] 🔥","type":"Default","category":"Instagram","rate":"0.90","min":10,"max":5000},
                    {"service":2,"name":"Instagram Followers HQ","type":"Default","category":"Instagram","rate":"2.00","min":10,"max":5000}]"#,
            ),
            error: None,
        };
        let b = PanelServices {
            panel: "b".into(),
            services: list(
                r#"[{"service":77,"name":"Likes Instagram - Real","type":"Default","category":"Instagram Likes","rate":"0.75","min":50,"max":10000},
                    {"service":78,"name":"Instagram Likes","type":"Package","category":"Instagram","rate":"5","min":1,"max":1},
                    {"service":79,"name":"Instagram Followers","type":"Default","category":"Instagram","rate":"1.5","min":20000,"max":90000}]"#,
            ),
            error: None,
        };
        let found = suggestions(&[a, b]);
        assert_eq!(found.len(), 1, "{found:?}");
        let ids: Vec<(String, u64)> = found[0]
            .members
            .iter()
            .map(|m| (m.panel.clone(), m.service.get()))
            .collect();
        // Cheapest first; the package (another type) and the followers whose
        // limits do not overlap are not suggested.
        assert_eq!(ids, [("b".to_owned(), 77), ("a".to_owned(), 1)]);
        assert!(found[0].similarity >= SUGGEST_FROM);
    }

    #[test]
    fn searches_match_every_word_and_each_part() {
        let s = &list(
            r#"[{"service":1,"name":"Instagram Likes","type":"Default","category":"Social / IG","rate":"1","min":1,"max":9}]"#,
        )[0];
        let search = |text: Option<&str>, category: Option<&str>, kind: Option<&str>| Search {
            text: text.map(str::to_owned),
            category: category.map(str::to_owned),
            kind: kind.map(str::to_owned),
        };
        assert!(search(Some("likes instagram"), None, None).matches(s));
        assert!(search(Some("ig"), Some("social"), Some("default")).matches(s));
        assert!(!search(Some("likes followers"), None, None).matches(s));
        assert!(!search(None, None, Some("Package")).matches(s));
        assert_eq!(
            words("Instagram Likes [Instant] 1K/day 🔥"),
            words("likes - instagram")
        );
    }
}
