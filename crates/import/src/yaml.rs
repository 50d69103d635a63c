//! YAML front matter read into JSON values, with what aliases may expand to bounded by the
//! size of the text.
//!
//! An alias (`*a`) stands for a whole copy of the node anchored `&a`, so a few hundred bytes
//! of anchors that refer to anchors ("billion laughs") load as gigabytes. Counting aliases in
//! the text cannot tell a harmless one from a bomb (and missed alias names made of
//! punctuation), so the document is built here from the parser's events, one at a time and
//! without recursion: every node the loaded value would hold, copies through aliases
//! included, is counted as it is made, and the load stops at the first node past
//! [`budget`], with the line and column of the node that went over it.

use serde_json::{Map, Value};
use yaml_rust2::parser::{Event, Parser, Tag};
use yaml_rust2::scanner::{Marker, TScalarStyle};
use yaml_rust2::Yaml;

/// Values nested deeper than this are read (and counted) but left out: front matter is flat,
/// and the values are walked recursively later.
pub const MAX_DEPTH: usize = 32;

/// The cost the loaded value may have per byte of text, and a floor for tiny front matters
/// that reuse a list or two. A node costs 1, a scalar also its length in bytes; without
/// aliases a text costs less than 3 per byte (`[a,b]` is 3 nodes in 5 bytes).
pub const COST_PER_BYTE: usize = 4;
pub const COST_FLOOR: usize = 4096;

/// What loading `text` may cost: [`COST_PER_BYTE`] × its length, plus [`COST_FLOOR`].
pub fn budget(text: &str) -> usize {
    text.len().saturating_mul(COST_PER_BYTE).saturating_add(COST_FLOOR)
}

/// Where a front matter is malformed or refused: 1-based line and column in the file (the
/// front matter starting on its second line), and why.
pub type Refused = (usize, usize, String);

/// A node being built: a list or a map (with the key waiting for its value) or, beyond
/// [`MAX_DEPTH`], nothing but its cost.
enum Open {
    Seq(Vec<Value>),
    /// `None`: a key is expected next; `Some(None)`: a key that cannot be a name (a list, a
    /// null): its pair is left out.
    Map(Map<String, Value>, Option<Option<String>>),
    Deep,
}

struct Frame {
    open: Open,
    anchor: usize,
    cost: usize,
}

/// The loader's state: the open nodes, the anchored ones (with their cost), and the total.
struct Loader {
    stack: Vec<Frame>,
    anchors: std::collections::HashMap<usize, (Value, usize)>,
    spent: usize,
    budget: usize,
    root: Option<Value>,
}

fn at(mark: Marker) -> (usize, usize) {
    (mark.line() + 1, mark.col() + 1)
}

/// The first document of `text` as a JSON value (`Null` when empty); `Err` when the YAML is
/// malformed or would cost more than [`budget`] to load.
pub fn load(text: &str) -> Result<Value, Refused> {
    let mut parser = Parser::new_from_str(text);
    let mut loader =
        Loader { stack: Vec::new(), anchors: Default::default(), spent: 0, budget: budget(text), root: None };
    let mut first = true;
    loop {
        let (event, mark) = parser.next_token().map_err(|e| {
            let (line, column) = at(*e.marker());
            (line, column, format!("invalid YAML front matter: {}", e.info()))
        })?;
        match event {
            Event::StreamEnd => break,
            // Only the first document is kept; the rest are still read, so that YAML broken
            // further on is reported as before, but nothing of them is built.
            Event::DocumentEnd => first = false,
            Event::Nothing | Event::StreamStart | Event::DocumentStart => {}
            event if first => loader.event(event, mark)?,
            _ => {}
        }
    }
    Ok(loader.root.unwrap_or(Value::Null))
}

impl Loader {
    fn event(&mut self, event: Event, mark: Marker) -> Result<(), Refused> {
        let deep = self.stack.len() > MAX_DEPTH || matches!(self.stack.last(), Some(Frame { open: Open::Deep, .. }));
        match event {
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                self.spend(1, mark)?;
                let open = match event {
                    _ if deep => Open::Deep,
                    Event::SequenceStart(..) => Open::Seq(Vec::new()),
                    _ => Open::Map(Map::new(), None),
                };
                self.stack.push(Frame { open, anchor, cost: 1 });
                Ok(())
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let Some(frame) = self.stack.pop() else { return Ok(()) };
                let value = match frame.open {
                    Open::Seq(items) => Value::Array(items),
                    Open::Map(map, _) => Value::Object(map),
                    Open::Deep => Value::Null,
                };
                self.done(value, frame.cost, frame.anchor, mark)
            }
            Event::Scalar(text, style, anchor, tag) => {
                let cost = 1 + text.len();
                self.spend(cost, mark)?;
                let value = if deep { Yaml::Null } else { scalar(text, style, tag.as_ref()) };
                self.done_scalar(value, cost, anchor, mark)
            }
            Event::Alias(id) => {
                let (value, cost) = self.anchors.get(&id).map_or((Value::Null, 1), |(v, c)| (v.clone(), *c));
                // Counted before the copy is kept, so a refused copy never takes the memory.
                self.spend(cost, mark)?;
                let value = if deep { Value::Null } else { value };
                self.done(value, cost, 0, mark)
            }
            _ => Ok(()),
        }
    }

    fn spend(&mut self, cost: usize, mark: Marker) -> Result<(), Refused> {
        self.spent = self.spent.saturating_add(cost);
        if self.spent > self.budget {
            let (line, column) = at(mark);
            return Err((
                line,
                column,
                format!(
                    "the YAML front matter expands past {} times its size (aliases that copy anchors over and over); refused",
                    COST_PER_BYTE
                ),
            ));
        }
        Ok(())
    }

    /// A scalar: a value, or a map's key.
    fn done_scalar(&mut self, scalar: Yaml, cost: usize, anchor: usize, mark: Marker) -> Result<(), Refused> {
        if let Some(Frame { open: Open::Map(_, key @ None), cost: parent_cost, .. }) = self.stack.last_mut() {
            *key = Some(key_name(&scalar));
            *parent_cost += cost;
            if anchor > 0 {
                self.anchors.insert(anchor, (json(scalar), cost));
            }
            return Ok(());
        }
        self.done(json(scalar), cost, anchor, mark)
    }

    /// A finished node, put in its parent (or made the root); anchored ones are kept (their
    /// copy counted) for the aliases that follow.
    fn done(&mut self, value: Value, cost: usize, anchor: usize, mark: Marker) -> Result<(), Refused> {
        if anchor > 0 {
            self.spend(cost, mark)?;
            self.anchors.insert(anchor, (value.clone(), cost));
        }
        let Some(parent) = self.stack.last_mut() else {
            self.root = Some(value);
            return Ok(());
        };
        parent.cost = parent.cost.saturating_add(cost);
        match &mut parent.open {
            Open::Seq(items) => items.push(value),
            Open::Map(map, key) => match key.take() {
                // A list or a map as a key: the pair is left out.
                None => *key = Some(None),
                Some(None) => {}
                Some(Some(name)) => {
                    if map.contains_key(&name) {
                        let (line, column) = at(mark);
                        return Err((
                            line,
                            column,
                            format!("invalid YAML front matter: {name:?}: duplicated key in mapping"),
                        ));
                    }
                    map.insert(name, value);
                }
            },
            Open::Deep => {}
        }
        Ok(())
    }
}

/// A plain scalar typed as YAML types it (`12` a number, `true`, `~`), a quoted one a string;
/// the core schema's tags (`!!str`, `!!int`...) are obeyed.
fn scalar(text: String, style: TScalarStyle, tag: Option<&Tag>) -> Yaml {
    if style != TScalarStyle::Plain {
        return Yaml::String(text);
    }
    match tag {
        Some(Tag { handle, suffix }) if handle == "tag:yaml.org,2002:" => match suffix.as_str() {
            "bool" => match text.as_str() {
                "true" | "True" | "TRUE" => Yaml::Boolean(true),
                "false" | "False" | "FALSE" => Yaml::Boolean(false),
                _ => Yaml::BadValue,
            },
            "int" => text.parse().map_or(Yaml::BadValue, Yaml::Integer),
            "null" => Yaml::Null,
            _ => Yaml::String(text),
        },
        Some(_) => Yaml::String(text),
        None => Yaml::from_str(&text),
    }
}

fn json(y: Yaml) -> Value {
    match y {
        Yaml::String(s) | Yaml::Real(s) => Value::String(s),
        Yaml::Integer(i) => Value::from(i),
        Yaml::Boolean(b) => Value::Bool(b),
        _ => Value::Null,
    }
}

/// A scalar as a map's key; `None` for one that names nothing (a null).
fn key_name(y: &Yaml) -> Option<String> {
    match y {
        Yaml::String(s) | Yaml::Real(s) => Some(s.clone()),
        Yaml::Integer(i) => Some(i.to_string()),
        Yaml::Boolean(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn front_matter_values() {
        let v = load("title: 제목\ncount: 12\nreal: 1.5\nok: true\nnone: ~\nquoted: '12'\ntags: [a, b]\nauthor: {name: 문가용}\n").expect("load");
        assert_eq!(v["title"], "제목");
        assert_eq!(v["count"], 12);
        assert_eq!(v["real"], "1.5");
        assert_eq!(v["ok"], true);
        assert!(v["none"].is_null());
        assert_eq!(v["quoted"], "12");
        assert_eq!(v["tags"], serde_json::json!(["a", "b"]));
        assert_eq!(v["author"]["name"], "문가용");
        assert_eq!(load("").expect("empty"), Value::Null);
        assert!(load("[a]\nb: c\n").is_err(), "what follows the first node is read too");
        assert_eq!(load("a: !!str 12\nb: !!int 7\n").expect("tags"), serde_json::json!({"a": "12", "b": 7}));
        assert!(load("a: 1\na: 2\n").unwrap_err().2.contains("duplicated key"));
    }

    #[test]
    fn a_few_aliases_are_read() {
        let v = load("people: &p [가, 나]\nauthors: *p\nagain: *p\n").expect("load");
        assert_eq!(v["authors"], serde_json::json!(["가", "나"]));
        assert_eq!(v["again"], v["people"]);
    }

    /// Anchors that refer to the one before, each twice: 2^n copies from a few lines. The
    /// alias names are punctuation, which the old guard (`*` then a letter) did not see.
    fn laughs(levels: usize, name: impl Fn(usize) -> String) -> String {
        let mut y = format!("k0: &{} [\"lol\"]\n", name(0));
        for i in 1..levels {
            y.push_str(&format!("k{i}: &{n} [*{p}, *{p}, *{p}, *{p}]\n", n = name(i), p = name(i - 1)));
        }
        y
    }

    #[test]
    fn alias_bombs_are_refused_where_they_go_over() {
        let punct =
            ["!", "+", "-", ".", "~", "$", "%", "^", "(", ")", "=", "|", "/", "\\", "?", ";", "'", "\"", "`", "<"];
        for y in
            [laughs(20, |i| "!".repeat(i + 1)), laughs(20, |i| punct[i].to_string()), laughs(20, |i| format!("a{i}"))]
        {
            assert!(y.len() < 2000, "{}", y.len());
            let (line, column, message) = load(&y).expect_err("a bomb");
            assert!(message.contains("expands past"), "{message}");
            // Line 2 of the file is the first line of the front matter.
            assert!(line > 2 && line <= 22 && column > 1, "{line}:{column}");
        }
    }

    #[test]
    fn nested_anchors_count_their_copies() {
        // Each level anchored: keeping the anchors alone would copy the text over and over
        // (the scanner allows 255 levels of flow nesting).
        let n = 250;
        let y = format!("{}x{}", (0..n).map(|i| format!("&a{i} [")).collect::<String>(), "]".repeat(n));
        let e = load(&y).unwrap_err();
        assert!(e.2.contains("expands past"), "{e:?}");
    }

    #[test]
    fn deep_nesting_is_read_without_recursion() {
        let y = format!("a: {}1{}\n", "[".repeat(200), "]".repeat(200));
        // The scanner refuses flow nesting past 255; below it the value is kept to MAX_DEPTH.
        let v = load(&y).expect("load");
        let mut depth = 0;
        let mut at = &v["a"];
        while let Some(first) = at.get(0) {
            depth += 1;
            at = first;
        }
        assert!(depth <= MAX_DEPTH, "{depth}");
        // Block nesting has no such limit: 5,000 levels on one line.
        let block = format!("{}x\n", "- ".repeat(5_000));
        assert!(load(&block).expect("load").is_array());
    }

    /// YAML-looking garbage, cut anywhere: an answer or a refusal, never a panic.
    #[test]
    fn garbage_never_panics() {
        const PIECES: [&str; 24] = [
            "a",
            ": ",
            "- ",
            "&x ",
            "*x",
            "&! ",
            "*!",
            "[",
            "]",
            "{",
            "}",
            ",",
            "\n",
            "  ",
            "? ",
            "!!str ",
            "'",
            "\"",
            "#",
            "|\n",
            ">\n",
            "---\n",
            "...\n",
            "%TAG ! x\n",
        ];
        let mut seed = 0x2545_f491_u64;
        for _ in 0..3000 {
            let mut text = String::new();
            for _ in 0..(seed % 40) {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                text.push_str(PIECES[(seed % PIECES.len() as u64) as usize]);
            }
            let _ = load(&text);
        }
    }
}
