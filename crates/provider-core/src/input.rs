//! Orders and ids as users give them — keyword arguments, JavaScript
//! objects, command-line flags, config files — read once, here, with one
//! set of rules and messages for every front end.

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::error::ValidationError;
use crate::ids::ServiceId;
use crate::models::fields::OrderFields;
use crate::models::form::OrderForm;
use crate::models::order::OrderRequest;
use crate::models::validate::ServiceLimits;

fn what(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

fn invalid(field: &str, message: impl Into<String>) -> ValidationError {
    ValidationError::for_field(field, message)
}

fn wrong_type(field: &str, message: impl Into<String>) -> ValidationError {
    ValidationError::wrong_type(field, message)
}

/// A whole number ≥ `min`: a number, or a string of digits (what a
/// command line, a `BigInt` or a config file gives).
///
/// ```
/// use serde_json::json;
/// use smmkit_provider_core::input::whole;
/// assert_eq!(whole(&json!("42"), "quantity", 1)?, 42);
/// assert_eq!(whole(&json!(-5), "quantity", 1).unwrap_err().to_string(), "`quantity`: must be at least 1, not -5");
/// assert!(whole(&json!(2.5), "quantity", 1).unwrap_err().is_type_error());
/// # Ok::<(), smmkit_provider_core::ValidationError>(())
/// ```
pub fn whole(v: &Value, field: &str, min: u64) -> Result<u64, ValidationError> {
    let n = match v {
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => u,
            (None, Some(i)) => {
                return Err(invalid(field, format!("must be at least {min}, not {i}")));
            }
            _ => {
                return Err(wrong_type(
                    field,
                    format!("must be a whole number, not {n}"),
                ));
            }
        },
        Value::String(s) => {
            let t = s.trim();
            if let Some(negative) = t.strip_prefix('-')
                && !negative.is_empty()
                && negative.bytes().all(|b| b.is_ascii_digit())
            {
                return Err(invalid(field, format!("must be at least {min}, not {t}")));
            }
            if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
                return Err(invalid(
                    field,
                    format!(
                        "`{}` is not a whole number",
                        s.chars().take(40).collect::<String>()
                    ),
                ));
            }
            t.parse::<u64>()
                .map_err(|_| invalid(field, format!("{t} is too large")))?
        }
        other => {
            return Err(wrong_type(
                field,
                format!("must be a whole number, not {}", what(other)),
            ));
        }
    };
    if n < min {
        return Err(invalid(field, format!("must be at least {min}, not {n}")));
    }
    Ok(n)
}

fn small(v: &Value, field: &str, min: u64) -> Result<u32, ValidationError> {
    let n = whole(v, field, min)?;
    u32::try_from(n).map_err(|_| invalid(field, format!("{n} is too large")))
}

fn code(v: &Value, field: &str) -> Result<u8, ValidationError> {
    let n = whole(v, field, 0)?;
    u8::try_from(n).map_err(|_| invalid(field, format!("{n} is out of range")))
}

fn text(v: &Value, field: &str) -> Result<String, ValidationError> {
    match v {
        Value::String(s) => Ok(s.clone()),
        other => Err(wrong_type(
            field,
            format!("must be a string, not {}", what(other)),
        )),
    }
}

/// A list: a string (one item per line) or a list of strings.
fn lines(v: &Value, field: &str) -> Result<Vec<String>, ValidationError> {
    match v {
        Value::String(s) => Ok(crate::split_lines(s)),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| match item {
                Value::String(s) => Ok(s.clone()),
                other => Err(wrong_type(
                    field,
                    format!("item {} must be a string, not {}", i + 1, what(other)),
                )),
            })
            .collect(),
        other => Err(wrong_type(
            field,
            format!("must be a string or a list of strings, not {}", what(other)),
        )),
    }
}

/// One id: a whole number or a string of digits.
///
/// ```
/// use serde_json::json;
/// use smmkit_provider_core::{OrderId, input::id};
/// assert_eq!(id::<OrderId>(&json!("1001"), "order")?, OrderId(1001));
/// # Ok::<(), smmkit_provider_core::ValidationError>(())
/// ```
pub fn id<I: From<u64>>(v: &Value, field: &str) -> Result<I, ValidationError> {
    whole(v, field, 0).map(I::from)
}

/// The ids of a batch: a list of whole numbers or strings of digits.
pub fn ids<I: From<u64>>(v: &Value, field: &str) -> Result<Vec<I>, ValidationError> {
    match v {
        Value::Array(items) => items.iter().map(|v| id(v, field)).collect(),
        other => Err(wrong_type(
            field,
            format!("must be a list of ids, not {}", what(other)),
        )),
    }
}

/// Every field an order may carry, and its camelCase name.
const NAMES: [(&str, &str); 24] = [
    ("link", "link"),
    ("quantity", "quantity"),
    ("runs", "runs"),
    ("interval", "interval"),
    ("comments", "comments"),
    ("usernames", "usernames"),
    ("hashtags", "hashtags"),
    ("keywords", "keywords"),
    ("groups", "groups"),
    ("hashtag", "hashtag"),
    ("username", "username"),
    ("media", "media"),
    ("answer_number", "answerNumber"),
    ("min", "min"),
    ("max", "max"),
    ("posts", "posts"),
    ("old_posts", "oldPosts"),
    ("delay", "delay"),
    ("expiry", "expiry"),
    ("country", "country"),
    ("device", "device"),
    ("type_of_traffic", "typeOfTraffic"),
    ("google_keyword", "googleKeyword"),
    ("referring_url", "referringUrl"),
];

/// The names an order takes besides its fields.
const OWN: [&str; 2] = ["service", "form"];

/// Every name an order object may hold, in both spellings.
pub fn order_field_names() -> impl Iterator<Item = &'static str> {
    OWN.into_iter()
        .chain(NAMES.iter().flat_map(|(snake, camel)| [*snake, *camel]))
}

/// The closest of `names` to `name`, for a "did you mean" hint.
///
/// ```
/// use smmkit_provider_core::input::closest;
/// assert_eq!(closest("quantty", ["link", "quantity"]), Some("quantity"));
/// assert_eq!(closest("answer_number", ["answerNumber", "link"]), Some("answerNumber"));
/// assert_eq!(closest("answerNumbr", ["answer_number", "answerNumber"]), Some("answerNumber"));
/// assert_eq!(closest("answer_numbr", ["answer_number", "answerNumber"]), Some("answer_number"));
/// assert_eq!(closest("colour", ["link", "quantity"]), None);
/// ```
pub fn closest<'a>(name: &str, names: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let squash = |s: &str| -> Vec<char> {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let wanted = squash(name);
    // Of two names as close, the one written in the same style.
    let style = |s: &str| (s.contains('_'), s.chars().any(char::is_uppercase));
    names
        .into_iter()
        .map(|n| (n, distance(&wanted, &squash(n)), style(n) != style(name)))
        .filter(|(n, d, _)| *d <= 2.max(n.len() / 4))
        .min_by_key(|(_, d, other_style)| (*d, *other_style))
        .map(|(n, _, _)| n)
}

/// Edit distance between two words.
fn distance(a: &[char], b: &[char]) -> usize {
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut row = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            row[j + 1] = (prev[j] + usize::from(ca != cb))
                .min(prev[j + 1] + 1)
                .min(row[j] + 1);
        }
        prev = row;
    }
    prev[b.len()]
}

/// An order as a user gives it: a service, an optional form, and the
/// fields of any form, each checked for its kind of value; names in
/// snake_case or camelCase, whole numbers as numbers or strings of digits,
/// lists as lists or as one string with an item per line.
///
/// It becomes an [`OrderRequest`] with [`OrderInput::into_request`], which
/// picks the form: the one named, else the one the service's type takes,
/// else the one the fields point to.
///
/// ```
/// use serde_json::json;
/// use smmkit_provider_core::{OrderForm, input::OrderInput};
/// let input = OrderInput::from_value(&json!({
///     "service": "7", "link": "https://instagram.com/p/x", "comments": "Nice!\nWow"
/// }))?;
/// let order = input.into_request(None)?;
/// assert_eq!(order.form(), OrderForm::CustomComments);
/// assert_eq!(order.units(), Some(2));
/// let e = OrderInput::from_value(&json!({"service": 1, "quantty": 5})).unwrap_err();
/// assert_eq!(e.to_string(), "`quantty`: is not a field of any order (did you mean `quantity`?)");
/// # Ok::<(), smmkit_provider_core::ValidationError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderInput {
    /// The service to order.
    pub service: ServiceId,
    /// The form, when it was named.
    pub form: Option<OrderForm>,
    /// The fields given.
    pub fields: OrderFields,
}

impl OrderInput {
    /// Reads an order from an object of fields.
    pub fn from_value(value: &Value) -> Result<OrderInput, ValidationError> {
        match value {
            Value::Object(map) => OrderInput::from_map(map),
            other => Err(wrong_type(
                "order",
                format!(
                    "must be an object such as {{ service, link, quantity }}, not {}",
                    what(other)
                ),
            )),
        }
    }

    /// Reads an order from its fields.
    pub fn from_map(map: &Map<String, Value>) -> Result<OrderInput, ValidationError> {
        let mut service = None;
        let mut form = None;
        let mut f = OrderFields::default();
        for (key, v) in map {
            if v.is_null() {
                continue;
            }
            match key.as_str() {
                "service" => service = Some(id::<ServiceId>(v, "service")?),
                "form" => form = Some(OrderForm::named(&text(v, "form")?)?),
                _ => {
                    let Some((name, _)) = NAMES
                        .iter()
                        .find(|(snake, camel)| key == snake || key == camel)
                    else {
                        let hint = closest(key, order_field_names())
                            .map(|n| format!(" (did you mean `{n}`?)"))
                            .unwrap_or_default();
                        return Err(invalid(key, format!("is not a field of any order{hint}")));
                    };
                    set(&mut f, name, v)?;
                }
            }
        }
        Ok(OrderInput {
            service: service.ok_or_else(|| invalid("service", "is needed"))?,
            form,
            fields: f,
        })
    }

    /// The form the order takes: the one named, else the one `service`'s
    /// type takes (when its limits are known), else the one its fields
    /// point to.
    pub fn form_for(&self, service: Option<&ServiceLimits>) -> Result<OrderForm, ValidationError> {
        match self
            .form
            .or_else(|| service.and_then(|s| s.kind.order_form()))
        {
            Some(kind) => Ok(kind),
            None => self.fields.infer_form(),
        }
    }

    /// The typed order, in the form [`form_for`](Self::form_for) picks. A
    /// field the form needs and lacks, or one it does not take, is an
    /// error naming it. The order is not yet checked against the service's
    /// limits: sending it does that ([`SmmProvider::add`](crate::SmmProvider::add)),
    /// or [`OrderRequest::validate_for`].
    pub fn into_request(
        self,
        service: Option<&ServiceLimits>,
    ) -> Result<OrderRequest, ValidationError> {
        let kind = self.form_for(service)?;
        self.fields.build(self.service, kind)
    }
}

/// Reads the value of field `name` (its snake_case name) into `f`.
fn set(f: &mut OrderFields, name: &str, v: &Value) -> Result<(), ValidationError> {
    match name {
        "link" => f.link = Some(text(v, name)?),
        "quantity" => f.quantity = Some(whole(v, name, 1)?),
        "runs" => f.runs = Some(small(v, name, 1)?),
        "interval" => f.interval = Some(small(v, name, 1)?),
        "comments" => f.comments = Some(lines(v, name)?),
        "usernames" => f.usernames = Some(lines(v, name)?),
        "hashtags" => f.hashtags = Some(lines(v, name)?),
        "keywords" => f.keywords = Some(lines(v, name)?),
        "groups" => f.groups = Some(lines(v, name)?),
        "hashtag" => f.hashtag = Some(text(v, name)?),
        "username" => f.username = Some(text(v, name)?),
        "media" => f.media = Some(text(v, name)?),
        "answer_number" => f.answer_number = Some(small(v, name, 1)?),
        "min" => f.min = Some(whole(v, name, 1)?),
        "max" => f.max = Some(whole(v, name, 1)?),
        "posts" => f.posts = Some(whole(v, name, 1)?),
        "old_posts" => f.old_posts = Some(whole(v, name, 0)?),
        "delay" => f.delay = Some(small(v, name, 0)?),
        "expiry" => f.expiry = Some(text(v, name)?),
        "country" => f.country = Some(text(v, name)?),
        "device" => f.device = Some(code(v, name)?),
        "type_of_traffic" => f.type_of_traffic = Some(code(v, name)?),
        "google_keyword" => f.google_keyword = Some(text(v, name)?),
        "referring_url" => f.referring_url = Some(text(v, name)?),
        _ => {}
    }
    Ok(())
}

impl<'de> Deserialize<'de> for OrderInput {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(d)?;
        OrderInput::from_value(&value).map_err(serde::de::Error::custom)
    }
}

/// `notPlaced` → `not_placed`: a camelCase name in snake_case.
fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for c in name.chars() {
        if c.is_ascii_uppercase() {
            out.push('_');
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The arguments of a call as the bindings give them (an object, or null
/// for none), by their snake_case names whichever spelling was used; null
/// values are left out. A name not in `takes` is refused with the one it
/// probably meant.
///
/// ```
/// use serde_json::json;
/// use smmkit_provider_core::input::arguments;
/// let a = arguments(&json!({"notPlaced": true, "key": null}), &["key", "not_placed"])?;
/// assert_eq!(a["not_placed"], true);
/// assert!(!a.contains_key("key"));
/// let e = arguments(&json!({"stat": 1}), &["state"]).unwrap_err();
/// assert_eq!(e.to_string(), "`stat`: is not an argument here (did you mean `state`?)");
/// # Ok::<(), smmkit_provider_core::ValidationError>(())
/// ```
pub fn arguments(value: &Value, takes: &[&str]) -> Result<Map<String, Value>, ValidationError> {
    let given = match value {
        Value::Null => return Ok(Map::new()),
        Value::Object(m) => m,
        other => {
            return Err(wrong_type(
                "arguments",
                format!("must be an object, not {}", what(other)),
            ));
        }
    };
    let mut out = Map::new();
    for (k, v) in given {
        let name = snake_case(k);
        if !takes.contains(&name.as_str()) {
            let hint = closest(&name, takes.iter().copied())
                .map(|n| format!(" (did you mean `{n}`?)"))
                .unwrap_or_default();
            return Err(invalid(k, format!("is not an argument here{hint}")));
        }
        if !v.is_null() {
            out.insert(name, v.clone());
        }
    }
    Ok(out)
}

/// The names of the order fields that hold lists.
const LIST_FIELDS: [&str; 5] = ["keywords", "comments", "usernames", "hashtags", "groups"];

impl OrderRequest {
    /// The order as an object of fields that [`OrderRequest::from_value`]
    /// reads back into the same order: `service`, `form`, and the fields
    /// sent to the panel, with lists as lists (each item exact).
    ///
    /// ```
    /// use smmkit_provider_core::OrderRequest;
    /// let order = OrderRequest::link_quantity(12u64, "https://t.me/channel", 500);
    /// let v = order.to_value();
    /// assert_eq!(v["form"], "default");
    /// assert_eq!(OrderRequest::from_value(&v)?, order);
    /// # Ok::<(), smmkit_provider_core::ValidationError>(())
    /// ```
    pub fn to_value(&self) -> Value {
        let mut map = Map::new();
        map.insert("service".into(), Value::from(self.service.get()));
        map.insert("form".into(), Value::from(self.form().as_str()));
        // The lists as lists: the parameters join them into lines.
        let lists = serde_json::to_value(self).unwrap_or(Value::Null);
        for (name, value) in self.params() {
            if name == "service" {
                continue;
            }
            let list = LIST_FIELDS
                .contains(&name)
                .then(|| lists.get(name).filter(|v| v.is_array()).cloned())
                .flatten();
            map.insert(name.into(), list.unwrap_or(Value::String(value)));
        }
        Value::Object(map)
    }

    /// Reads an order written by [`OrderRequest::to_value`] (or given as
    /// the bindings take one, with its `form`).
    pub fn from_value(value: &Value) -> Result<OrderRequest, ValidationError> {
        OrderInput::from_value(value)?.into_request(None)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::models::order::Order;

    fn read(v: Value) -> Result<OrderRequest, String> {
        OrderInput::from_value(&v)
            .and_then(|i| i.into_request(None))
            .map_err(|e| e.to_string())
    }

    #[test]
    fn both_spellings_strings_and_lists() {
        let a = read(
            json!({"service": 4, "link": "https://t.me/c/1", "quantity": "50", "answerNumber": 2}),
        )
        .unwrap();
        let b = read(json!({"service": "4", "link": "https://t.me/c/1", "quantity": 50, "answer_number": "2"})).unwrap();
        assert_eq!(a, b);
        assert!(matches!(
            a.order,
            Order::Poll {
                answer_number: 2,
                ..
            }
        ));
        let c = read(
            json!({"service": 2, "link": "x", "comments": ["a", "b"], "form": "custom_comments"}),
        )
        .unwrap();
        let d = read(json!({"service": 2, "link": "x", "comments": "a\n\nb\n"})).unwrap();
        assert_eq!(c, d);
        // A form may be named as panels name types.
        let e = read(
            json!({"service": 2, "link": "x", "comments": "a", "form": "Custom Comments Package"}),
        )
        .unwrap();
        assert_eq!(e.form(), OrderForm::CustomCommentsPackage);
    }

    #[test]
    fn bad_values_say_what_is_wrong() {
        for (v, message) in [
            (
                json!({"service": "abc"}),
                "`service`: `abc` is not a whole number",
            ),
            (
                json!({"service": -1}),
                "`service`: must be at least 0, not -1",
            ),
            (json!({"link": "x"}), "`service`: is needed"),
            (
                json!({"service": 1, "link": "x", "quantity": "-5"}),
                "`quantity`: must be at least 1, not -5",
            ),
            (
                json!({"service": 1, "link": "x", "quantity": 0}),
                "`quantity`: must be at least 1, not 0",
            ),
            (
                json!({"service": 1, "link": "x", "quantity": 2.5}),
                "`quantity`: must be a whole number, not 2.5",
            ),
            (
                json!({"service": 1, "link": "x", "quantity": true}),
                "`quantity`: must be a whole number, not a boolean",
            ),
            (
                json!({"service": 1, "link": "x", "quantity": "99999999999999999999999"}),
                "`quantity`: 99999999999999999999999 is too large",
            ),
            (
                json!({"service": 1, "link": 42}),
                "`link`: must be a string, not a number",
            ),
            (
                json!({"service": 1, "link": "x", "comments": [1]}),
                "`comments`: item 1 must be a string, not a number",
            ),
            (
                json!({"service": 1, "link": "x", "runs": 5000000000u64}),
                "`runs`: 5000000000 is too large",
            ),
            (
                json!({"service": 1, "link": "x", "device": 300}),
                "`device`: 300 is out of range",
            ),
            (
                json!({"service": 1, "form": "teleport"}),
                "`form`: `teleport` is not a form: one of default, package, seo, custom_comments, custom_comments_package, mentions, mentions_with_hashtags, mentions_custom_list, mentions_hashtag, mentions_user_followers, mentions_media_likers, comment_likes, comment_replies, poll, invites_from_groups, subscriptions, web_traffic",
            ),
            (
                json!({"service": 1, "colour": "red"}),
                "`colour`: is not a field of any order",
            ),
            (
                json!({"service": 1, "answer_numbr": 2}),
                "`answer_numbr`: is not a field of any order (did you mean `answer_number`?)",
            ),
            (
                json!([1, 2]),
                "`order`: must be an object such as { service, link, quantity }, not a list",
            ),
        ] {
            let got = OrderInput::from_value(&v)
                .map(|_| ())
                .map_err(|e| e.to_string());
            assert_eq!(got, Err(message.to_owned()), "{v}");
        }
        // Wrong kinds of value are type errors; wrong values are not.
        let kind = |v: Value| OrderInput::from_value(&v).unwrap_err().is_type_error();
        assert!(kind(json!({"service": true})));
        assert!(!kind(json!({"service": "abc"})));
    }

    #[test]
    fn the_form_comes_from_the_name_then_the_service_then_the_fields() {
        let limits = |kind: &str| ServiceLimits {
            id: ServiceId(3),
            kind: crate::ServiceType::parse(kind),
            min: 1,
            max: 100,
            dripfeed: None,
        };
        let input = OrderInput::from_value(
            &json!({"service": 3, "link": "x", "quantity": 5, "username": "u"}),
        )
        .unwrap();
        assert_eq!(input.form_for(None).unwrap_err().field(), Some("form"));
        assert_eq!(
            input.form_for(Some(&limits("Comment Likes"))).unwrap(),
            OrderForm::CommentLikes
        );
        let named = OrderInput {
            form: Some(OrderForm::MentionsUserFollowers),
            ..input
        };
        assert_eq!(
            named.form_for(Some(&limits("Comment Likes"))).unwrap(),
            OrderForm::MentionsUserFollowers
        );
    }
}
