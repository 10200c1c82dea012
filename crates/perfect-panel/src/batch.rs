//! Batches: any number of ids, split into requests of at most 100, run
//! with bounded concurrency, one result per id.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::hash::Hash;

use futures_util::StreamExt;
use smmkit_provider_core::wire::Entries;
use smmkit_provider_core::{Action, Error, Result};

/// The ids of one request of a batch, and what came of it.
type ChunkResult<I, T> = (Vec<I>, Result<Entries<I, T>>);

/// Keeps the first of each id, in order.
pub(crate) fn distinct<I: Copy + Eq + Hash>(ids: &[I]) -> Vec<I> {
    let mut seen = std::collections::HashSet::with_capacity(ids.len());
    ids.iter().copied().filter(|id| seen.insert(*id)).collect()
}

/// Runs a batch: distinct ids, split into chunks of `chunk_size`, at most
/// `concurrency` chunks at once, one result per id in the given order.
/// An id the panel's answer does not mention is an error for that id;
/// an entry for an id that was not asked for is dropped.
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
    let chunks: Vec<Vec<I>> = ids.chunks(chunk_size).map(<[I]>::to_vec).collect();
    let down: std::sync::OnceLock<Error> = std::sync::OnceLock::new();
    let down = &down;
    let run = &run;
    let results: Vec<ChunkResult<I, T>> = futures_util::stream::iter(chunks)
        .map(|chunk: Vec<I>| async move {
            if let Some(e) = down.get() {
                return (chunk, Err(e.clone()));
            }
            let result = run(chunk.clone()).await;
            if let Err(e) = &result
                && action.is_read()
                && e.is_transient()
            {
                let _ = down.set(e.clone());
            }
            (chunk, result)
        })
        .buffer_unordered(concurrency)
        .collect()
        .await;
    let mut by_id: HashMap<I, Result<T>> = HashMap::with_capacity(ids.len());
    for (chunk, result) in results {
        match result {
            Ok(entries) => {
                for (id, r) in entries {
                    by_id.entry(id).or_insert(r);
                }
            }
            Err(e) => {
                for id in chunk {
                    by_id.insert(id, Err(e.clone()));
                }
            }
        }
    }
    ids.into_iter()
        .map(|id| {
            let r = by_id.remove(&id).unwrap_or_else(|| {
                Err(Error::Decode {
                    action,
                    message: format!("the panel's answer has no entry for {id}"),
                    snippet: "(entry missing)".into(),
                })
            });
            (id, r)
        })
        .collect()
}

/// Joins ids for `orders=` / `refills=`.
pub(crate) fn join<I: fmt::Display>(ids: &[I]) -> String {
    ids.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}
