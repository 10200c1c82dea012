//! Writing a catalog back in the panels' own format, so that it can be
//! stored (the order journal's catalog cache) and decoded again into the
//! same services.

use serde::Serialize;
use serde::ser::{SerializeMap, SerializeSeq, Serializer};

use crate::models::Service;

/// One service as a panel lists it: its own text, every extra field.
struct AsListed<'a>(&'a Service);

impl Serialize for AsListed<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let service = self.0;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("service", &service.id.get())?;
        m.serialize_entry("name", service.raw_name())?;
        m.serialize_entry("type", service.kind.as_str())?;
        m.serialize_entry("category", service.raw_category())?;
        m.serialize_entry("rate", &service.rate.to_string())?;
        m.serialize_entry("min", &service.min)?;
        m.serialize_entry("max", &service.max)?;
        m.serialize_entry("refill", &service.refill)?;
        m.serialize_entry("cancel", &service.cancel)?;
        if let Some(dripfeed) = service.dripfeed {
            m.serialize_entry("dripfeed", &dripfeed)?;
        }
        if let Some(description) = service.raw_description() {
            m.serialize_entry("description", description)?;
        }
        for (name, value) in service.extra.iter() {
            m.serialize_entry(name, value)?;
        }
        m.end()
    }
}

struct Listing<'a>(&'a [Service]);

impl Serialize for Listing<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut seq = s.serialize_seq(Some(self.0.len()))?;
        for service in self.0 {
            seq.serialize_element(&AsListed(service))?;
        }
        seq.end()
    }
}

/// The answer to `action=services` that lists `services`:
/// [`decode_services`](crate::wire::decode_services) reads it back into
/// the same services, with the panel's own text, every rate digit and
/// every extra field.
///
/// ```
/// use smmkit_provider_core::wire::{decode_services, encode_services};
/// let body = br#"[{"service":1,"name":"Likes &amp; more","type":"Default","category":"IG","rate":"0.90","min":"10","max":"5000","network":"IG"}]"#;
/// let services = decode_services(body)?.into_services();
/// let again = decode_services(&encode_services(&services))?.into_services();
/// assert_eq!(again, services);
/// # Ok::<(), smmkit_provider_core::Error>(())
/// ```
pub fn encode_services(services: &[Service]) -> Vec<u8> {
    // Writing into a Vec fails only when a value cannot be written, and
    // every value here is a string, a number, a boolean or JSON already.
    serde_json::to_vec(&Listing(services)).unwrap_or_default()
}
