//! Batches: any number of ids, split into requests of at most 100, run
//! with bounded concurrency, one result per id.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::hash::Hash;

use futures_util::StreamExt;
use smmkit_provider_core::wire::Entries;
use smmkit_provider_core::{Action, Error, Result};

/// Keeps the first of each id, in order.
pub(crate) fn distinct<I: Copy + Eq + Hash>(ids: &[I]) -> Vec<I> {
    let mut seen = std::collections::HashSet::with_capacity(ids.len());
    ids.iter().copied().filter(|id| seen.insert(*id)).collect()
}

/// Runs a batch: distinct ids, split into chunks of `chunk_size`, at most
/// `concurrency` chunks at once, one result per id in the given order.
/// Each id's result comes from the answer to the request that asked for
/// it: an id that answer does not mention is an error for that id; an
/// entry for an id that request did not ask for is dropped; of two entries
/// for one id, the first counts.
///
/// A read that still fails after every retry means the panel is down: the
/// chunks not started yet report that failure instead of sending.
pub(crate) async fn run<I, T, F, Fut>(
    action: Action,
    ids: &[I],
    chunk_size: usize,
    concurrency: usize,
    run: F,
) -> Entries<I, T>
where
    I: Copy + Eq + Hash + fmt::Display + Send + Sync,
    T: Send,
    F: Fn(Vec<I>) -> Fut,
    Fut: Future<Output = Result<Entries<I, T>>>,
{
    let ids = distinct(ids);
    let down: std::sync::OnceLock<Error> = std::sync::OnceLock::new();
    let down = &down;
    let run = &run;
    let chunks = ids.chunks(chunk_size);
    let mut results: Vec<(usize, Result<Entries<I, T>>)> =
        futures_util::stream::iter(chunks.clone().map(<[I]>::to_vec).enumerate())
            .map(|(at, chunk): (usize, Vec<I>)| async move {
                if let Some(e) = down.get() {
                    return (at, Err(e.clone()));
                }
                let result = run(chunk).await;
                if let Err(e) = &result
                    && action.is_read()
                    && e.is_transient()
                {
                    let _ = down.set(e.clone());
                }
                (at, result)
            })
            .buffer_unordered(concurrency)
            .collect()
            .await;
    // In the order of the chunks, each beside its own ids.
    results.sort_unstable_by_key(|(at, _)| *at);
    let mut out = Vec::with_capacity(ids.len());
    for ((_, result), chunk) in results.into_iter().zip(chunks) {
        match result {
            Ok(entries) => answered(action, chunk, entries, &mut out),
            Err(e) => out.extend(chunk.iter().map(|&id| (id, Err(e.clone())))),
        }
    }
    out
}

/// The results of one chunk's ids, in their order, from the entries of
/// its answer. An answer that lists exactly those ids in that order (as
/// panels do) is taken as it is; any other is matched id by id.
fn answered<I, T>(action: Action, chunk: &[I], entries: Entries<I, T>, out: &mut Entries<I, T>)
where
    I: Copy + Eq + Hash + fmt::Display,
{
    if entries.len() == chunk.len() && entries.iter().zip(chunk).all(|((got, _), id)| got == id) {
        out.extend(entries);
        return;
    }
    let mut by_id: HashMap<I, Result<T>> = HashMap::with_capacity(entries.len());
    for (id, r) in entries {
        by_id.entry(id).or_insert(r);
    }
    out.extend(chunk.iter().map(|&id| {
        let r = by_id.remove(&id).unwrap_or_else(|| {
            Err(Error::Decode {
                action,
                message: format!("the panel's answer has no entry for {id}"),
                snippet: "(entry missing)".into(),
            })
        });
        (id, r)
    }));
}

/// Joins ids for `orders=` / `refills=`, written into one string.
pub(crate) fn join<I: fmt::Display>(ids: &[I]) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(ids.len() * 12);
    for (i, id) in ids.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        // Writing into a String cannot fail.
        let _ = write!(out, "{id}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(id: u64, v: u32) -> (u64, Result<u32>) {
        (id, Ok(v))
    }

    /// What `run` gives for `ids` in chunks of 3, 2 at once, each chunk
    /// answered by `answer`.
    async fn batched(
        ids: &[u64],
        answer: impl Fn(&[u64]) -> Result<Entries<u64, u32>>,
    ) -> Vec<(u64, std::result::Result<u32, String>)> {
        let answer = &answer;
        run(
            Action::Status,
            ids,
            3,
            2,
            |chunk| async move { answer(&chunk) },
        )
        .await
        .into_iter()
        .map(|(id, r)| (id, r.map_err(|e| e.code().to_owned())))
        .collect()
    }

    #[tokio::test]
    async fn each_id_is_answered_by_its_own_request_in_the_order_asked() {
        let ids = [5, 1, 9, 5, 2, 7, 3];
        // One answer in the order asked; one in another order, with an entry
        // twice (the first counts) and one for an id another request asked.
        let got = batched(&ids, |chunk| {
            Ok(if chunk == [5, 1, 9] {
                vec![ok(5, 50), ok(1, 10), ok(9, 90)]
            } else {
                vec![ok(3, 30), ok(7, 70), ok(7, 71), ok(2, 20), ok(5, 0)]
            })
        })
        .await;
        assert_eq!(
            got,
            vec![
                (5, Ok(50)),
                (1, Ok(10)),
                (9, Ok(90)),
                (2, Ok(20)),
                (7, Ok(70)),
                (3, Ok(30)),
            ]
        );
        let got = batched(&[1, 2, 3, 4], |chunk| match chunk {
            // 2 is missing; 4 is not this request's.
            [1, 2, 3] => Ok(vec![ok(1, 10), ok(3, 30), ok(4, 40)]),
            _ => Err(Error::api(Action::Status, "Invalid API key")),
        })
        .await;
        assert_eq!(
            got,
            vec![
                (1, Ok(10)),
                (2, Err("decode".to_owned())),
                (3, Ok(30)),
                (4, Err("invalid_key".to_owned())),
            ]
        );
    }

    #[test]
    fn ids_are_joined_with_commas() {
        assert_eq!(join(&[7u64, 1_000_000_000_001, 42]), "7,1000000000001,42");
        assert_eq!(join(&[5u64]), "5");
        assert_eq!(join::<u64>(&[]), "");
    }
}
