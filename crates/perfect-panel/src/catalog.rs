//! The limits of the services of the last catalog, for checking orders.

use smmkit_provider_core::{ServiceId, ServiceLimits};

/// The limits of every service of a catalog, sorted by id. Built after
/// each `services()` call, so it costs no hashing: panels list services by
/// id, and a list already in order is only checked, not sorted.
pub(crate) struct Catalog(Vec<ServiceLimits>);

impl Catalog {
    /// The limits of a catalog's services, in its order; where an id is
    /// listed twice, the later listing counts.
    pub(crate) fn from_limits(mut limits: Vec<ServiceLimits>) -> Catalog {
        if !limits.is_sorted_by(|a, b| a.id < b.id) {
            // Reversed first, so that the stable sort puts the later of two
            // listings of an id first, and `dedup` keeps it.
            limits.reverse();
            limits.sort_by_key(|l| l.id);
            limits.dedup_by_key(|l| l.id);
        }
        Catalog(limits)
    }

    /// The limits of service `id`, if listed.
    pub(crate) fn get(&self, id: ServiceId) -> Option<&ServiceLimits> {
        self.0
            .binary_search_by_key(&id, |l| l.id)
            .ok()
            .and_then(|i| self.0.get(i))
    }
}

#[cfg(test)]
mod tests {
    use smmkit_provider_core::ServiceType;

    use super::*;

    fn limits(id: u64, max: u64) -> ServiceLimits {
        ServiceLimits {
            id: ServiceId(id),
            kind: ServiceType::Default,
            min: 1,
            max,
            dripfeed: None,
        }
    }

    fn max_of(catalog: &Catalog, id: u64) -> Option<u64> {
        catalog.get(ServiceId(id)).map(|l| l.max)
    }

    #[test]
    fn finds_every_listed_id_and_no_other() {
        let catalog = Catalog::from_limits((1..=50).map(|i| limits(i * 3, i)).collect());
        for i in 1..=50 {
            assert_eq!(max_of(&catalog, i * 3), Some(i));
            assert_eq!(max_of(&catalog, i * 3 + 1), None);
        }
        assert_eq!(max_of(&catalog, 0), None);
    }

    #[test]
    fn an_unsorted_list_is_sorted_and_the_later_of_two_listings_counts() {
        let catalog = Catalog::from_limits(vec![
            limits(9, 90),
            limits(2, 20),
            limits(9, 91),
            limits(5, 50),
            limits(2, 21),
            limits(9, 92),
        ]);
        assert_eq!(max_of(&catalog, 2), Some(21));
        assert_eq!(max_of(&catalog, 5), Some(50));
        assert_eq!(max_of(&catalog, 9), Some(92));
        assert_eq!(catalog.0.len(), 3);
    }

    #[test]
    fn a_sorted_list_with_a_repeated_id_is_resorted() {
        // Not strictly increasing, so the later listing still counts.
        let catalog = Catalog::from_limits(vec![limits(1, 10), limits(1, 11), limits(2, 20)]);
        assert_eq!(max_of(&catalog, 1), Some(11));
        assert_eq!(max_of(&catalog, 2), Some(20));
    }
}
