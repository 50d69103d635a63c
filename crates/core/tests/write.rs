//! Writing documents (`format::write_document`): every bundled sample survives
//! parse → write → parse unchanged, and what is written is minimal and valid against
//! `schema/article-viewer.schema.json`.
#![cfg(not(target_arch = "wasm32"))]

use std::fs;
use std::path::{Path, PathBuf};

use article_viewer_core::format::{parse_document, write_document};
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Every `.json` under `static/samples`, but `tests/lenient.json`, which is deliberately bad.
fn samples() -> Vec<PathBuf> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in fs::read_dir(dir).expect("samples folder").flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "json") {
                out.push(path);
            }
        }
    }
    let mut all = Vec::new();
    walk(&root().join("static/samples"), &mut all);
    all.retain(|p| !p.ends_with("tests/lenient.json"));
    all.sort();
    assert!(all.len() >= 8, "only {} samples", all.len());
    all
}

#[test]
fn every_sample_round_trips() {
    for path in samples() {
        let text = fs::read_to_string(&path).expect("readable");
        let first = parse_document(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(first.warnings.is_empty(), "{}: {:?}", path.display(), first.warnings);
        let written = write_document(&first.document);
        assert!(written.ends_with("}\n"), "{}", path.display());
        let second = parse_document(&written).unwrap_or_else(|e| panic!("{}: {e}\n{written}", path.display()));
        assert!(second.warnings.is_empty(), "{}: {:?}", path.display(), second.warnings);
        assert_eq!(first.document, second.document, "{}", path.display());
        // Stable: the same document always writes the same text.
        assert_eq!(write_document(&second.document), written, "{}", path.display());
    }
}

#[test]
fn written_documents_are_minimal_and_valid_against_the_schema() {
    let schema: Value =
        serde_json::from_str(&fs::read_to_string(root().join("schema/article-viewer.schema.json")).expect("schema"))
            .expect("schema is JSON");
    // The checker below must itself refuse what the schema refuses.
    for bad in [r#"[1]"#, r#"{"id":"a","body":"x"}"#, r#"{"articles":{}}"#, r#"{"articles":[{"id":"a"}]}"#] {
        let v: Value = serde_json::from_str(bad).expect("test JSON");
        assert!(check(&schema, &schema, &v, "").is_err(), "{bad}");
    }
    for path in samples() {
        let parsed = parse_document(&fs::read_to_string(&path).expect("readable")).expect("valid sample");
        let written: Value = serde_json::from_str(&write_document(&parsed.document)).expect("written JSON");
        if let Err(e) = check(&schema, &schema, &written, "") {
            panic!("{}: {e}", path.display());
        }
        if let Err(e) = minimal(&written, "") {
            panic!("{}: {e}", path.display());
        }
    }
}

/// No `null`, and no empty list but the ones the format requires.
fn minimal(v: &Value, path: &str) -> Result<(), String> {
    match v {
        Value::Null => Err(format!("{path}: null")),
        Value::Array(items) => items.iter().enumerate().try_for_each(|(i, x)| minimal(x, &format!("{path}[{i}]"))),
        Value::Object(o) => o.iter().try_for_each(|(k, x)| {
            let p = format!("{path}.{k}");
            match x {
                Value::Array(a) if a.is_empty() && k != "articles" && k != "items" => Err(format!("{p}: empty list")),
                _ => minimal(x, &p),
            }
        }),
        _ => Ok(()),
    }
}

/// A JSON Schema check for the keywords `schema/article-viewer.schema.json` uses (`$ref` into
/// `$defs`, `oneOf`, `anyOf`, `type`, `required`, `properties`, `items`); annotations and
/// `format` are not checked. Enough to hold written documents to the schema without a
/// validator crate.
fn check(root: &Value, schema: &Value, v: &Value, path: &str) -> Result<(), String> {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        let name = r.strip_prefix("#/$defs/").ok_or_else(|| format!("unsupported $ref {r}"))?;
        let target = root.get("$defs").and_then(|d| d.get(name)).ok_or_else(|| format!("no $defs/{name}"))?;
        check(root, target, v, path)?;
    }
    if let Some(options) = schema.get("oneOf").and_then(Value::as_array) {
        let passing = options.iter().filter(|s| check(root, s, v, path).is_ok()).count();
        if passing != 1 {
            return Err(format!("{path}: {passing} of oneOf match"));
        }
    }
    if let Some(options) = schema.get("anyOf").and_then(Value::as_array) {
        if !options.iter().any(|s| check(root, s, v, path).is_ok()) {
            return Err(format!("{path}: no anyOf matches"));
        }
    }
    if let Some(t) = schema.get("type").and_then(Value::as_str) {
        let ok = match t {
            "object" => v.is_object(),
            "array" => v.is_array(),
            "string" => v.is_string(),
            "number" => v.is_number(),
            "integer" => v.is_i64() || v.is_u64(),
            "boolean" => v.is_boolean(),
            "null" => v.is_null(),
            other => return Err(format!("unsupported type {other}")),
        };
        if !ok {
            return Err(format!("{path}: not {t}: {v}"));
        }
    }
    if let (Some(required), Some(o)) = (schema.get("required").and_then(Value::as_array), v.as_object()) {
        for key in required.iter().filter_map(Value::as_str) {
            if !o.contains_key(key) {
                return Err(format!("{path}: missing {key}"));
            }
        }
    }
    if let (Some(props), Some(o)) = (schema.get("properties").and_then(Value::as_object), v.as_object()) {
        for (key, value) in o {
            if let Some(s) = props.get(key) {
                check(root, s, value, &format!("{path}.{key}"))?;
            }
        }
    }
    if let (Some(items), Some(a)) = (schema.get("items"), v.as_array()) {
        for (i, x) in a.iter().enumerate() {
            check(root, items, x, &format!("{path}[{i}]"))?;
        }
    }
    Ok(())
}
