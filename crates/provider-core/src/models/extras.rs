//! The fields a panel sent beyond those smmkit models.

use std::fmt;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use serde_json::Value;

/// The extra fields of a service or a status, by name, as sent.
///
/// Panels add one or two fields at most (`desc`, `network`,
/// `average_time`...), so they are kept in a small list sorted by name:
/// a catalog of 100,000 services holds 100,000 of these.
///
/// ```
/// # use smmkit_provider_core::wire::decode_services;
/// let s = &decode_services(br#"[{"service":1,"name":"x","rate":"1","min":1,"max":2,"network":"IG","speed":"5K/day"}]"#)?[0];
/// assert_eq!(s.extra["network"], "IG");
/// assert_eq!(s.extra.get("speed").and_then(|v| v.as_str()), Some("5K/day"));
/// assert!(s.extra["missing"].is_null());
/// assert_eq!(s.extra.keys().collect::<Vec<_>>(), ["network", "speed"]);
/// # Ok::<(), smmkit_provider_core::Error>(())
/// ```
#[derive(Clone, Default, PartialEq)]
pub struct Extras(Vec<(String, Value)>);

static NULL: Value = Value::Null;

impl Extras {
    /// No extra fields.
    pub const fn new() -> Self {
        Extras(Vec::new())
    }

    /// The value of a field, if the panel sent it.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0
            .binary_search_by(|(k, _)| k.as_str().cmp(name))
            .ok()
            .map(|i| &self.0[i].1)
    }

    /// Whether the panel sent this field.
    pub fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// The fields, sorted by name.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &Value)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// The names, sorted.
    pub fn keys(&self) -> impl ExactSizeIterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.as_str())
    }

    /// How many extra fields.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Sets a field; a later value for the same name wins, as in JSON.
    pub fn insert(&mut self, name: String, value: Value) {
        match self.0.binary_search_by(|(k, _)| k.as_str().cmp(&name)) {
            Ok(i) => self.0[i].1 = value,
            Err(i) => {
                // Most services have one extra field at most: room for one,
                // where a list would make room for four.
                if self.0.capacity() == 0 {
                    self.0.reserve_exact(1);
                }
                self.0.insert(i, (name, value));
            }
        }
    }
}

impl std::ops::Index<&str> for Extras {
    type Output = Value;

    /// The value of a field, or `Value::Null` when the panel did not send it.
    fn index(&self, name: &str) -> &Value {
        self.get(name).unwrap_or(&NULL)
    }
}

impl fmt::Debug for Extras {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.0.iter().map(|(k, v)| (k, v)))
            .finish()
    }
}

impl Serialize for Extras {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

impl FromIterator<(String, Value)> for Extras {
    fn from_iter<T: IntoIterator<Item = (String, Value)>>(iter: T) -> Self {
        let mut out = Extras::new();
        for (k, v) in iter {
            out.insert(k, v);
        }
        out
    }
}

impl<'a> IntoIterator for &'a Extras {
    type Item = (&'a str, &'a Value);
    type IntoIter = std::iter::Map<
        std::slice::Iter<'a, (String, Value)>,
        fn(&'a (String, Value)) -> (&'a str, &'a Value),
    >;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_last_value_wins_and_serialises_as_a_map() {
        let mut e = Extras::new();
        e.insert("zeta".into(), Value::from(1));
        e.insert("alpha".into(), Value::from("a"));
        e.insert("zeta".into(), Value::from(2));
        assert_eq!(e.keys().collect::<Vec<_>>(), ["alpha", "zeta"]);
        assert_eq!(e["zeta"], 2);
        assert_eq!(
            serde_json::to_string(&e).unwrap(),
            r#"{"alpha":"a","zeta":2}"#
        );
        assert_eq!(
            format!("{e:?}"),
            r#"{"alpha": String("a"), "zeta": Number(2)}"#
        );
    }

    /// Half the services of a large catalog have one extra field: each of
    /// those lists holds one entry's room, not four (a list's first growth).
    #[test]
    fn one_field_takes_room_for_one() {
        let mut e = Extras::new();
        e.insert("average_time".into(), Value::from("481 minutes"));
        assert_eq!(e.0.capacity(), 1);
        e.insert("network".into(), Value::from("IG"));
        e.insert("alpha".into(), Value::from(1));
        assert_eq!(
            e.keys().collect::<Vec<_>>(),
            ["alpha", "average_time", "network"]
        );
        assert!(e.0.capacity() >= 3);
    }
}
