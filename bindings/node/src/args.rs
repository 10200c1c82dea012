//! Arguments from JavaScript, given as JSON text, checked into Rust values.
//!
//! The JavaScript wrapper turns `BigInt`s into strings and refuses numbers
//! beyond 2^53 − 1 before it stringifies; everything else is checked here,
//! with messages that name the field and what was wrong.

use std::time::Duration;

use serde_json::{Map, Value};
use smmkit::{
    ClientOptions, Error, OrderFields, OrderKind, OrderRequest, Transport, ValidationError,
};

fn bad(field: &str, message: impl Into<String>) -> Error {
    Error::Validation(ValidationError::for_field(field, message))
}

fn what(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

pub(crate) fn parse(json: &str, field: &str) -> Result<Value, Error> {
    serde_json::from_str(json).map_err(|e| bad(field, format!("is not valid JSON: {e}")))
}

/// A whole number ≥ `min`: a JSON number, or a string of digits (what a
/// `BigInt` becomes).
pub(crate) fn whole(v: &Value, field: &str, min: u64) -> Result<u64, Error> {
    let n = match v {
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => u,
            (None, Some(i)) => return Err(bad(field, format!("must be at least {min}, not {i}"))),
            _ => return Err(bad(field, format!("must be a whole number, not {n}"))),
        },
        Value::String(s) => {
            let t = s.trim();
            if t.is_empty() || !t.bytes().all(|b| b.is_ascii_digit()) {
                return Err(bad(
                    field,
                    format!(
                        "`{}` is not a whole number",
                        s.chars().take(40).collect::<String>()
                    ),
                ));
            }
            t.parse::<u64>()
                .map_err(|_| bad(field, format!("{t} is too large")))?
        }
        other => {
            return Err(bad(
                field,
                format!("must be a whole number, not {}", what(other)),
            ));
        }
    };
    if n < min {
        return Err(bad(field, format!("must be at least {min}, not {n}")));
    }
    Ok(n)
}

fn small(v: &Value, field: &str, min: u64) -> Result<u32, Error> {
    let n = whole(v, field, min)?;
    u32::try_from(n).map_err(|_| bad(field, format!("{n} is too large")))
}

fn code(v: &Value, field: &str) -> Result<u8, Error> {
    let n = whole(v, field, 0)?;
    u8::try_from(n).map_err(|_| bad(field, format!("{n} is out of range")))
}

fn text(v: &Value, field: &str) -> Result<String, Error> {
    match v {
        Value::String(s) => Ok(s.clone()),
        other => Err(bad(field, format!("must be a string, not {}", what(other)))),
    }
}

/// A list: a string (one item per line) or an array of strings.
fn lines(v: &Value, field: &str) -> Result<Vec<String>, Error> {
    match v {
        Value::String(s) => Ok(smmkit::split_lines(s)),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| match item {
                Value::String(s) => Ok(s.clone()),
                other => Err(bad(
                    field,
                    format!("item {} must be a string, not {}", i + 1, what(other)),
                )),
            })
            .collect(),
        other => Err(bad(
            field,
            format!(
                "must be a string or an array of strings, not {}",
                what(other)
            ),
        )),
    }
}

/// The ids of a batch: an array of whole numbers or strings of digits.
pub(crate) fn ids(json: &str, field: &str) -> Result<Vec<u64>, Error> {
    match parse(json, field)? {
        Value::Array(items) => items.iter().map(|v| whole(v, field, 0)).collect(),
        other => Err(bad(
            field,
            format!("must be an array of ids, not {}", what(&other)),
        )),
    }
}

/// One id.
pub(crate) fn id(json: &str, field: &str) -> Result<u64, Error> {
    whole(&parse(json, field)?, field, 0)
}

fn object<'a>(v: &'a Value, field: &str) -> Result<&'a Map<String, Value>, Error> {
    match v {
        Value::Object(m) => Ok(m),
        other => Err(bad(
            field,
            format!("must be an object, not {}", what(other)),
        )),
    }
}

/// The order `add()` was given: `{ service, link, quantity, form, ... }` in
/// camelCase. A key no form takes is refused rather than ignored. `known`
/// gives the form of a service the catalog knows.
pub(crate) fn order(
    json: &str,
    known: impl Fn(smmkit::ServiceId) -> Option<OrderKind>,
) -> Result<OrderRequest, Error> {
    let value = parse(json, "order")?;
    let o = object(&value, "order")?;
    let mut fields = OrderFields::default();
    let mut service = None;
    let mut form = None;
    for (key, v) in o {
        if v.is_null() {
            continue;
        }
        match key.as_str() {
            "service" => service = Some(smmkit::ServiceId(whole(v, "service", 0)?)),
            "form" => {
                let name = text(v, "form")?;
                form = Some(OrderKind::parse(&name).ok_or_else(|| {
                    let forms: Vec<&str> = OrderKind::ALL.iter().map(|k| k.as_str()).collect();
                    bad(
                        "form",
                        format!("`{name}` is not a form: one of {}", forms.join(", ")),
                    )
                })?);
            }
            "link" => fields.link = Some(text(v, "link")?),
            "quantity" => fields.quantity = Some(whole(v, "quantity", 1)?),
            "runs" => fields.runs = Some(small(v, "runs", 1)?),
            "interval" => fields.interval = Some(small(v, "interval", 1)?),
            "comments" => fields.comments = Some(lines(v, "comments")?),
            "usernames" => fields.usernames = Some(lines(v, "usernames")?),
            "hashtags" => fields.hashtags = Some(lines(v, "hashtags")?),
            "keywords" => fields.keywords = Some(lines(v, "keywords")?),
            "groups" => fields.groups = Some(lines(v, "groups")?),
            "hashtag" => fields.hashtag = Some(text(v, "hashtag")?),
            "username" => fields.username = Some(text(v, "username")?),
            "media" => fields.media = Some(text(v, "media")?),
            "answerNumber" => fields.answer_number = Some(small(v, "answerNumber", 1)?),
            "min" => fields.min = Some(whole(v, "min", 1)?),
            "max" => fields.max = Some(whole(v, "max", 1)?),
            "posts" => fields.posts = Some(whole(v, "posts", 1)?),
            "oldPosts" => fields.old_posts = Some(whole(v, "oldPosts", 0)?),
            "delay" => fields.delay = Some(small(v, "delay", 0)?),
            "expiry" => fields.expiry = Some(text(v, "expiry")?),
            "country" => fields.country = Some(text(v, "country")?),
            "device" => fields.device = Some(code(v, "device")?),
            "typeOfTraffic" => fields.type_of_traffic = Some(code(v, "typeOfTraffic")?),
            "googleKeyword" => fields.google_keyword = Some(text(v, "googleKeyword")?),
            "referringUrl" => fields.referring_url = Some(text(v, "referringUrl")?),
            other => return Err(bad(other, "is not a field of any order")),
        }
    }
    let service = service.ok_or_else(|| bad("service", "is needed"))?;
    let kind = form.or_else(|| known(service));
    Ok(fields.into_request(service, kind)?)
}

/// A client's options: `{ key, url, transport, timeoutMs, connectTimeoutMs,
/// retries, maxResponseBytes, concurrency }`.
pub(crate) struct Options {
    pub(crate) key: String,
    pub(crate) url: Option<String>,
    pub(crate) client: ClientOptions,
}

fn config(message: impl Into<String>) -> Error {
    Error::Config(message.into())
}

impl Options {
    pub(crate) fn parse(json: &str) -> Result<Options, Error> {
        let value: Value = serde_json::from_str(json)
            .map_err(|e| config(format!("options are not valid JSON: {e}")))?;
        let Value::Object(o) = value else {
            return Err(config("options must be an object"));
        };
        let mut key = None;
        let mut url = None;
        let mut client = ClientOptions::default();
        let num = |v: &Value, name: &str| {
            whole(v, name, 1).map_err(|_| config(format!("{name} must be a whole number ≥ 1")))
        };
        for (name, v) in &o {
            if v.is_null() {
                continue;
            }
            match name.as_str() {
                "key" => {
                    key = Some(
                        v.as_str()
                            .ok_or_else(|| config("key must be a string"))?
                            .to_owned(),
                    )
                }
                "url" => {
                    url = Some(
                        v.as_str()
                            .ok_or_else(|| config("url must be a string"))?
                            .to_owned(),
                    )
                }
                "transport" => {
                    let t = v.as_str().and_then(Transport::parse);
                    client.transport =
                        Some(t.ok_or_else(|| config("transport must be \"post\" or \"get\""))?);
                }
                "timeoutMs" => client.timeout = Some(Duration::from_millis(num(v, "timeoutMs")?)),
                "connectTimeoutMs" => {
                    client.connect_timeout =
                        Some(Duration::from_millis(num(v, "connectTimeoutMs")?))
                }
                "retries" => {
                    let n = whole(v, "retries", 0)
                        .map_err(|_| config("retries must be a whole number ≥ 0"))?;
                    client.retries =
                        Some(u32::try_from(n).map_err(|_| config("retries is too large"))?);
                }
                "maxResponseBytes" => {
                    client.max_response_bytes =
                        Some(usize::try_from(num(v, "maxResponseBytes")?).unwrap_or(usize::MAX));
                }
                "concurrency" => {
                    client.concurrency =
                        Some(usize::try_from(num(v, "concurrency")?).unwrap_or(usize::MAX))
                }
                other => return Err(config(format!("unknown option `{other}`"))),
            }
        }
        let key = key.ok_or_else(|| config("the key option is needed"))?;
        Ok(Options { key, url, client })
    }
}
