//! smmkit's every-core and one-thread decode beside `sonic-rs` derive on
//! one thread and on both halves, decoded in turns (see `rows::turns`),
//! with the system's allocator.

#![allow(missing_docs, clippy::expect_used)]

mod rows;

fn main() {
    rows::turns("rust-decode-turns", "glibc");
}
