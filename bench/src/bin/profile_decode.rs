//! Decodes a catalog many times, for a profiler to watch:
//! `valgrind --tool=callgrind target/release/profile_decode 10000 20`.

#![allow(clippy::print_stdout, clippy::expect_used)]

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(10_000);
    let rounds: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(20);
    let body = smmkit_bench::catalog_json(n);
    let mut total = 0;
    for _ in 0..rounds {
        total += smmkit::wire::decode_services(&body).expect("decodes").len();
    }
    println!(
        "decoded {total} services from {} bytes × {rounds}",
        body.len()
    );
}
