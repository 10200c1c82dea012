//! The rows of `turns`, with mimalloc as the allocator of the whole
//! binary, as in `decode_mimalloc`.

#![allow(missing_docs, clippy::expect_used)]

mod rows;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    rows::turns("rust-decode-turns-mimalloc", "mimalloc");
}
