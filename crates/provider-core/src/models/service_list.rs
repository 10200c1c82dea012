//! A decoded catalog: its services, and the entries that could not be read.

use std::fmt;

use serde::Serialize;

use crate::ids::ServiceId;
use crate::models::service::Service;

/// A catalog entry that could not be read, and why.
///
/// ```
/// use smmkit_provider_core::wire::decode_services;
/// let list = decode_services(br#"[{"service":1,"name":"a","rate":"1","min":1,"max":""},
///                                 {"service":2,"name":"b","rate":"1","min":1,"max":9}]"#)?;
/// assert_eq!(list.len(), 1);
/// assert_eq!(list.skipped[0].to_string(), "services[0] (service 1): `max` is empty");
/// # Ok::<(), smmkit_provider_core::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkippedService {
    /// Its position in the panel's list, from 0.
    pub index: usize,
    /// Its id, when that could be read.
    pub id: Option<ServiceId>,
    /// What was wrong with it.
    pub reason: String,
}

impl fmt::Display for SkippedService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.id {
            Some(id) => write!(
                f,
                "services[{}] (service {id}): {}",
                self.index, self.reason
            ),
            None => write!(f, "services[{}]: {}", self.index, self.reason),
        }
    }
}

/// The services of a catalog, and beside them the entries that could not
/// be read ([`SkippedService`]): one malformed entry never costs the rest.
///
/// It derefs to `[Service]`, so it is used like the list it holds.
///
/// ```
/// use smmkit_provider_core::wire::decode_services;
/// let list = decode_services(br#"[{"service":7,"name":"Views","rate":"0.5","min":100,"max":1000}]"#)?;
/// assert_eq!(list[0].id.get(), 7);
/// assert!(list.skipped.is_empty());
/// let services: Vec<_> = list.into_iter().collect();
/// assert_eq!(services.len(), 1);
/// # Ok::<(), smmkit_provider_core::Error>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ServiceList {
    /// The services that could be read, in the panel's order.
    pub services: Vec<Service>,
    /// The entries that could not, in the panel's order.
    pub skipped: Vec<SkippedService>,
}

impl ServiceList {
    /// The services, without the report of skipped entries.
    pub fn into_services(self) -> Vec<Service> {
        self.services
    }
}

impl From<Vec<Service>> for ServiceList {
    fn from(services: Vec<Service>) -> Self {
        ServiceList {
            services,
            skipped: Vec::new(),
        }
    }
}

impl std::ops::Deref for ServiceList {
    type Target = [Service];
    fn deref(&self) -> &[Service] {
        &self.services
    }
}

impl std::ops::DerefMut for ServiceList {
    fn deref_mut(&mut self) -> &mut [Service] {
        &mut self.services
    }
}

impl IntoIterator for ServiceList {
    type Item = Service;
    type IntoIter = std::vec::IntoIter<Service>;
    fn into_iter(self) -> Self::IntoIter {
        self.services.into_iter()
    }
}

impl<'a> IntoIterator for &'a ServiceList {
    type Item = &'a Service;
    type IntoIter = std::slice::Iter<'a, Service>;
    fn into_iter(self) -> Self::IntoIter {
        self.services.iter()
    }
}

impl Serialize for ServiceList {
    /// The services, as a list (the skipped entries are reported apart).
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.services.serialize(s)
    }
}
