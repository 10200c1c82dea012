//! The fields a panel sent beyond those smmkit models.

use std::borrow::Cow;
use std::fmt;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};
use serde_json::Value;

/// The extra fields of a service or a status, by name, as sent.
///
/// Panels add one or two fields at most (`desc`, `network`,
/// `average_time`...), so they are kept sorted by name in a small list, or
/// in place when there is one, and the names panels are known to send are
/// not copied: a catalog of 100,000 services holds 100,000 of these.
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
#[derive(Clone, Default)]
pub struct Extras(Fields);

/// A field's name: one of the names panels are known to send, kept without
/// a copy of its own, or any other name.
pub(crate) type Name = Cow<'static, str>;

/// The extra fields real panels are known to send, sorted.
const KNOWN: [&str; 8] = [
    "average_time",
    "desc",
    "description",
    "network",
    "posts",
    "soc",
    "speed",
    "start",
];

/// `name`, without a copy of its own when it is a name panels are known to
/// send.
pub(crate) fn field_name(name: &str) -> Name {
    known(name).unwrap_or_else(|| Cow::Owned(name.to_owned()))
}

fn known(name: &str) -> Option<Name> {
    KNOWN
        .binary_search(&name)
        .ok()
        .and_then(|i| KNOWN.get(i))
        .map(|k| Cow::Borrowed(*k))
}

/// The fields, sorted by name: one held in place (most services have one
/// extra field at most, and that one needs no list of its own), or a list.
#[derive(Clone)]
enum Fields {
    One((Name, Value)),
    Many(Vec<(Name, Value)>),
}

impl Default for Fields {
    fn default() -> Self {
        Extras::new().0
    }
}

static NULL: Value = Value::Null;

impl Extras {
    /// No extra fields.
    pub const fn new() -> Self {
        Extras(Fields::Many(Vec::new()))
    }

    fn fields(&self) -> &[(Name, Value)] {
        match &self.0 {
            Fields::One(field) => std::slice::from_ref(field),
            Fields::Many(fields) => fields,
        }
    }

    /// The value of a field, if the panel sent it.
    pub fn get(&self, name: &str) -> Option<&Value> {
        let fields = self.fields();
        search(fields, name)
            .ok()
            .and_then(|i| fields.get(i))
            .map(|(_, v)| v)
    }

    /// Whether the panel sent this field.
    pub fn contains_key(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// The fields, sorted by name.
    pub fn iter(&self) -> ExtrasIter<'_> {
        ExtrasIter(self.fields().iter())
    }

    /// The names, sorted.
    pub fn keys(&self) -> impl ExactSizeIterator<Item = &str> {
        self.iter().map(|(k, _)| k)
    }

    /// How many extra fields.
    pub fn len(&self) -> usize {
        self.fields().len()
    }

    /// Whether there is none.
    pub fn is_empty(&self) -> bool {
        self.fields().is_empty()
    }

    /// Sets a field; a later value for the same name wins, as in JSON.
    pub fn insert(&mut self, name: String, value: Value) {
        let name = known(&name).unwrap_or(Cow::Owned(name));
        self.insert_named(name, value);
    }

    /// Sets the field `name` (from [`field_name`]) as [`Extras::insert`]
    /// does.
    pub(crate) fn insert_named(&mut self, name: Name, value: Value) {
        match &mut self.0 {
            Fields::Many(fields) if fields.is_empty() => self.0 = Fields::One((name, value)),
            Fields::One((k, v)) if *k == name => *v = value,
            Fields::One(_) => {
                let mut fields = Vec::with_capacity(2);
                if let Fields::One(first) = std::mem::take(&mut self.0) {
                    fields.push(first);
                }
                insert_sorted(&mut fields, name, value);
                self.0 = Fields::Many(fields);
            }
            Fields::Many(fields) => insert_sorted(fields, name, value),
        }
    }
}

/// Where the field `name` is in `fields`, sorted by name, or where it would go.
fn search(fields: &[(Name, Value)], name: &str) -> Result<usize, usize> {
    fields.binary_search_by(|(k, _)| k.as_ref().cmp(name))
}

/// Sets `name` in `fields`, kept sorted; a later value wins.
fn insert_sorted(fields: &mut Vec<(Name, Value)>, name: Name, value: Value) {
    match search(fields, &name) {
        Ok(i) => {
            if let Some((_, v)) = fields.get_mut(i) {
                *v = value;
            }
        }
        Err(i) => fields.insert(i, (name, value)),
    }
}

/// The extra fields of an [`Extras`], sorted by name, each as its name and
/// value.
#[derive(Debug, Clone)]
pub struct ExtrasIter<'a>(std::slice::Iter<'a, (Name, Value)>);

impl<'a> Iterator for ExtrasIter<'a> {
    type Item = (&'a str, &'a Value);

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (k.as_ref(), v))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
    }
}

impl DoubleEndedIterator for ExtrasIter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.0.next_back().map(|(k, v)| (k.as_ref(), v))
    }
}

impl ExactSizeIterator for ExtrasIter<'_> {}

impl PartialEq for Extras {
    /// The same fields with the same values, however they are held.
    fn eq(&self, other: &Self) -> bool {
        self.fields() == other.fields()
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
        f.debug_map().entries(self.iter()).finish()
    }
}

impl Serialize for Extras {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.len()))?;
        for (k, v) in self.iter() {
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
    type IntoIter = ExtrasIter<'a>;

    fn into_iter(self) -> ExtrasIter<'a> {
        self.iter()
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

    /// Half the services of a large catalog have one extra field: it is
    /// held in place, under a name that is not copied when panels are
    /// known to send it; a second field makes a list, still sorted.
    #[test]
    fn one_field_is_held_in_place() {
        assert!(KNOWN.is_sorted(), "known() searches the names");
        let mut e = Extras::new();
        e.insert_named(field_name("average_time"), Value::from("481 minutes"));
        assert!(matches!(&e.0, Fields::One((Cow::Borrowed(_), _))));
        e.insert("average_time".into(), Value::from("5 minutes"));
        assert!(matches!(&e.0, Fields::One(_)));
        assert_eq!(e["average_time"], "5 minutes");
        e.insert("zeta".into(), Value::from(1));
        e.insert_named(field_name("network"), Value::from("IG"));
        e.insert("alpha".into(), Value::from(1));
        assert_eq!(
            e.keys().collect::<Vec<_>>(),
            ["alpha", "average_time", "network", "zeta"]
        );
        let Fields::Many(fields) = &e.0 else {
            panic!("four fields make a list");
        };
        let copied: Vec<bool> = fields
            .iter()
            .map(|(k, _)| matches!(k, Cow::Owned(_)))
            .collect();
        assert_eq!(copied, [true, false, false, true]);
        let mut same = Extras::new();
        for (k, v) in e.iter().rev() {
            same.insert(k.to_owned(), v.clone());
        }
        assert_eq!(same, e);
        assert_ne!(same, Extras::new());
        let mut one = Extras::new();
        one.insert("network".into(), Value::from("IG"));
        assert_ne!(one, e);
        assert_eq!(format!("{one:?}"), r#"{"network": String("IG")}"#);
    }
}
