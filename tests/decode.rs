//! Every payload in `tests/fixtures/` decoded and snapshotted.
//!
//! A fixture is named `<payload>__<what>.<ext>`, where `<payload>` is one
//! of [`Payload`]'s names. Its snapshot in `tests/snapshots/` shows the
//! body as sent (`body`, line by line) and what smmkit decodes from it: the typed value
//! (`ok`) or the typed error (`error`), and for a catalog the entries set aside
//! (`skipped`). `tests/vectors/decoded.json` holds the same
//! outcomes as JSON for the Python and Node suites to replay; run with
//! `SMMKIT_BLESS=1` to rewrite it after reviewing the snapshots.

#![allow(clippy::expect_used, clippy::unwrap_used, clippy::panic)]

use std::path::{Path, PathBuf};

use serde_json::{Value, json};
use smmkit::wire::{Decoded, Payload, decode};

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/fixtures exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    files
}

fn outcome(path: &Path) -> (String, Payload, Value) {
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .expect("utf-8 name")
        .to_owned();
    let (prefix, _) = stem
        .split_once("__")
        .unwrap_or_else(|| panic!("{stem}: expected <payload>__<what>"));
    let payload =
        Payload::parse(prefix).unwrap_or_else(|| panic!("{stem}: unknown payload `{prefix}`"));
    let body = std::fs::read(path).expect("readable fixture");
    let value = match decode(payload, &body) {
        Ok(Decoded::Services(list)) if !list.skipped.is_empty() => {
            json!({ "ok": Decoded::Services(list.clone()), "skipped": list.skipped })
        }
        Ok(decoded) => json!({ "ok": decoded }),
        Err(e) => json!({ "error": e }),
    };
    (stem, payload, value)
}

#[test]
fn every_fixture_decodes_as_its_snapshot_says() {
    let files = fixtures();
    assert!(files.len() >= 40, "only {} fixtures", files.len());
    let mut covered = std::collections::HashSet::new();
    for path in &files {
        let (stem, payload, value) = outcome(path);
        covered.insert(payload);
        let body = String::from_utf8_lossy(&std::fs::read(path).expect("readable"))
            .trim_end()
            .to_owned();
        let mut shown = serde_json::Map::new();
        let lines = body.lines().map(|l| Value::String(l.to_owned())).collect();
        shown.insert("body".into(), Value::Array(lines));
        shown.extend(value.as_object().expect("an object").clone());
        insta::with_settings!({ omit_expression => true, prepend_module_to_snapshot => false }, {
            insta::assert_yaml_snapshot!(stem, shown);
        });
    }
    for p in Payload::ALL {
        assert!(
            covered.contains(&p),
            "no fixture for payload `{}`",
            p.as_str()
        );
    }
}

#[test]
fn test_vectors_match_what_rust_decodes() {
    let mut all = serde_json::Map::new();
    for path in fixtures() {
        let (stem, payload, value) = outcome(&path);
        let file = path
            .file_name()
            .and_then(|s| s.to_str())
            .expect("utf-8")
            .to_owned();
        all.insert(
            stem,
            json!({ "file": file, "payload": payload, "outcome": value }),
        );
    }
    let text = serde_json::to_string_pretty(&Value::Object(all)).expect("serializable") + "\n";
    let vectors = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/vectors/decoded.json");
    if std::env::var_os("SMMKIT_BLESS").is_some() {
        std::fs::write(&vectors, &text).expect("writable vectors");
    }
    let committed = std::fs::read_to_string(&vectors).unwrap_or_default();
    assert!(
        committed == text,
        "tests/vectors/decoded.json is out of date: review the snapshots, then run SMMKIT_BLESS=1 cargo test --test decode"
    );
}
