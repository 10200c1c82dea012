//! smmkit's decode rows and `sonic-rs` derive again, with mimalloc as the
//! allocator of the whole binary (the allocator of smmkit's Python and
//! Node modules): what the decode costs where the allocator does not hand
//! back and fault in its pages between calls (bench/README.md, section 11).

#![allow(missing_docs, clippy::expect_used)]

use criterion::{Criterion, criterion_group, criterion_main};

mod rows;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn decode(c: &mut Criterion) {
    rows::decode(c, "decode_services_mimalloc", rows::Rows::AgainstSonic);
}

criterion_group!(benches, decode);
criterion_main!(benches);
