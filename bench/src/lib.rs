//! Shared pieces of smmkit's benchmarks.

/// The bytes of a sandbox catalog of `n` services, numbers as strings (the
/// dialect most panels speak), as the decode benchmarks read them.
pub fn catalog_json(n: usize) -> Vec<u8> {
    let catalog = smmkit_sandbox::Catalog::generate(1, n);
    smmkit_sandbox::services_json(&catalog, smmkit_sandbox::Dialect::default()).into_bytes()
}
