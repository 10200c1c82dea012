//! Tables, CSV and JSON on standard output.

use std::io::Write;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Cuts `text` to at most `width` columns, marking the cut with `…`; line
/// breaks become spaces.
pub(crate) fn fit(text: &str, width: usize) -> String {
    let clean: String = text
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if clean.width() <= width {
        return clean;
    }
    let mut out = String::new();
    let mut used = 0;
    for c in clean.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    out
}

/// A table with aligned columns; columns in `right` are right-aligned.
pub(crate) struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    right: Vec<usize>,
}

impl Table {
    pub(crate) fn new(header: &[&str], right: &[usize]) -> Table {
        Table {
            header: header.iter().map(|h| (*h).to_owned()).collect(),
            rows: Vec::new(),
            right: right.to_vec(),
        }
    }

    pub(crate) fn row(&mut self, cells: Vec<String>) {
        self.rows.push(cells);
    }

    pub(crate) fn render(&self) -> String {
        let cols = self.header.len();
        let mut widths: Vec<usize> = self.header.iter().map(|h| h.width()).collect();
        for row in &self.rows {
            for (i, cell) in row.iter().enumerate().take(cols) {
                widths[i] = widths[i].max(cell.width());
            }
        }
        let mut out = String::new();
        for row in std::iter::once(&self.header).chain(&self.rows) {
            let mut line = String::new();
            for (i, cell) in row.iter().enumerate().take(cols) {
                let pad = widths[i].saturating_sub(cell.width());
                let last = i + 1 == cols;
                if self.right.contains(&i) {
                    line.push_str(&" ".repeat(pad));
                    line.push_str(cell);
                } else {
                    line.push_str(cell);
                    if !last {
                        line.push_str(&" ".repeat(pad));
                    }
                }
                if !last {
                    line.push_str("  ");
                }
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

/// One CSV field, quoted when it needs to be.
pub(crate) fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_owned()
    }
}

/// Writes to standard output; a closed pipe (`| head`) is not an error.
pub(crate) fn print(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

/// The fields of a JSON object, nested objects' fields named with `.`
/// (`ok.status`, `error.code`), lists as JSON text.
fn flatten(prefix: &str, v: &serde_json::Value, out: &mut Vec<(String, String)>) {
    use serde_json::Value;
    match v {
        Value::Object(m) => {
            for (k, item) in m {
                let name = if prefix.is_empty() {
                    k.clone()
                } else {
                    format!("{prefix}.{k}")
                };
                flatten(&name, item, out);
            }
        }
        Value::Null => out.push((prefix.to_owned(), String::new())),
        Value::String(s) => out.push((prefix.to_owned(), s.clone())),
        other => out.push((prefix.to_owned(), other.to_string())),
    }
}

/// A JSON value (a list of objects, or one object) as CSV with the JSON's
/// field names: the header holds every field any row has, in the order
/// they first appear.
pub(crate) fn csv_of(value: &serde_json::Value) -> String {
    let rows: Vec<Vec<(String, String)>> = match value {
        serde_json::Value::Array(items) => items
            .iter()
            .map(|item| {
                let mut fields = Vec::new();
                flatten("", item, &mut fields);
                fields
            })
            .collect(),
        other => {
            let mut fields = Vec::new();
            flatten("", other, &mut fields);
            vec![fields]
        }
    };
    let mut header: Vec<String> = Vec::new();
    for row in &rows {
        for (k, _) in row {
            if !header.contains(k) {
                header.push(k.clone());
            }
        }
    }
    let mut out = header
        .iter()
        .map(|h| csv_field(h))
        .collect::<Vec<_>>()
        .join(",");
    out.push('\n');
    for row in &rows {
        let cells: Vec<String> = header
            .iter()
            .map(|h| {
                row.iter()
                    .find(|(k, _)| k == h)
                    .map(|(_, v)| csv_field(v))
                    .unwrap_or_default()
            })
            .collect();
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    out
}

/// Prints `value` as the output flags ask: JSON, CSV, or (`None`) not at
/// all, leaving the table to the caller. Returns whether it printed.
pub(crate) fn print_as<T: serde::Serialize>(output: &crate::args::OutputArgs, value: &T) -> bool {
    if !output.json && !output.csv {
        return false;
    }
    match serde_json::to_value(value) {
        Ok(v) if output.csv => print(&csv_of(&v)),
        Ok(v) => print_json(&v),
        Err(e) => crate::warn(&format!("cannot write the result: {e}")),
    }
    true
}

/// Writes a value as pretty JSON and a newline.
pub(crate) fn print_json<T: serde::Serialize>(value: &T) {
    match serde_json::to_string_pretty(value) {
        Ok(text) => print(&(text + "\n")),
        Err(e) => crate::warn(&format!("cannot write JSON: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_align_wide_characters() {
        let mut t = Table::new(&["ID", "NAME", "RATE"], &[0, 2]);
        t.row(vec!["1".into(), "抖音点赞".into(), "0.80".into()]);
        t.row(vec!["1021".into(), "Likes".into(), "12.5".into()]);
        assert_eq!(
            t.render(),
            "  ID  NAME      RATE\n   1  抖音点赞  0.80\n1021  Likes     12.5\n"
        );
    }

    #[test]
    fn csv_has_the_json_field_names() {
        let v = serde_json::json!([
            {"id": 1, "ok": {"status": "Completed", "charge": "0.5"}},
            {"id": 2, "error": {"code": "incorrect_order_id", "message": "a, b"}}
        ]);
        assert_eq!(
            csv_of(&v),
            "id,ok.charge,ok.status,error.code,error.message\n1,0.5,Completed,,\n2,,,incorrect_order_id,\"a, b\"\n"
        );
    }

    #[test]
    fn fitting_and_quoting() {
        assert_eq!(fit("Instagram Followers", 10), "Instagram…");
        assert_eq!(fit("ab", 10), "ab");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("plain"), "plain");
    }
}
