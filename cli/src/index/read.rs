//! Streams a collection document: the entries of `articles` one at a time (in batches, each
//! read by the viewer's own walker on both cores), never the whole text in memory. What the
//! viewer would refuse is refused with its words; what it would drop is dropped and reported.

use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader, Read as _};
use std::path::Path;

use article_viewer::format::{describe_json_error, parse_document, Collection, Document, FormatError, Warning};
use rayon::prelude::*;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use crate::Error;

/// Entries are read by the walker this many at a time, in parallel.
const BATCH: usize = 4096;

/// What one raw entry became: `process` runs on every batch in parallel, in order.
pub struct Reader<'a, T: Send> {
    pub process: &'a (dyn Fn(usize, &str) -> Result<(Option<T>, Vec<Warning>), FormatError> + Sync),
    pub sink: &'a mut dyn FnMut(T),
    pub warnings: Vec<Warning>,
    pub failure: Option<FormatError>,
    batch: Vec<(usize, Box<RawValue>)>,
    seen: usize,
}

/// The collection's own fields (title, description, language) and the number of entries
/// in `articles`, dropped ones included.
pub struct Head {
    pub collection: Collection,
    pub entries: usize,
}

pub fn read<T: Send>(
    path: &Path,
    process: &(dyn Fn(usize, &str) -> Result<(Option<T>, Vec<Warning>), FormatError> + Sync),
    sink: &mut dyn FnMut(T),
    warnings: &mut Vec<Warning>,
) -> Result<Head, Error> {
    let refused = |error: FormatError| Error::Refused { path: path.to_path_buf(), error };
    let mut file = BufReader::with_capacity(1 << 20, File::open(path).map_err(Error::io(path))?);
    // A byte order mark is skipped, as the viewer skips it.
    if file.fill_buf().map_err(Error::io(path))?.starts_with(&[0xEF, 0xBB, 0xBF]) {
        file.consume(3);
    }
    let mut reader = Reader { process, sink, warnings: Vec::new(), failure: None, batch: Vec::new(), seen: 0 };
    let mut de = serde_json::Deserializer::from_reader(file);
    let root = de.deserialize_any(RootVisitor { reader: &mut reader });
    let root = root.and_then(|r| de.end().map(|_| r));
    warnings.append(&mut reader.warnings);
    if let Some(failure) = reader.failure {
        return Err(refused(failure));
    }
    let root = match root {
        Ok(root) => root,
        Err(e) => {
            // Only a broken document gets here: read it whole to word the refusal exactly
            // as the viewer does (line and column in characters).
            let mut text = String::new();
            File::open(path).and_then(|mut f| f.read_to_string(&mut text)).map_err(Error::io(path))?;
            return Err(refused(FormatError { path: String::new(), message: describe_json_error(&text, &e) }));
        }
    };
    let Root::Object { head, articles } = root else {
        let Root::Other(kind) = root else { unreachable!() };
        return Err(refused(FormatError {
            path: String::new(),
            message: format!("the document must be a JSON object, found {kind}"),
        }));
    };
    // The collection's own fields are read by the viewer's reader, with `articles` empty.
    let mut text = String::from("{");
    for (i, (k, v)) in head.iter().enumerate() {
        if i > 0 {
            text.push(',');
        }
        text.push_str(&serde_json::to_string(k).unwrap_or_default());
        text.push(':');
        text.push_str(v.get());
    }
    match &articles {
        Some(Articles::Array(_)) => text.push_str(if head.is_empty() { "\"articles\":[]" } else { ",\"articles\":[]" }),
        Some(Articles::Other(kind)) => {
            return Err(refused(FormatError { path: "articles".into(), message: format!("expected an array, found {kind}") }));
        }
        None => {}
    }
    text.push('}');
    let parsed = parse_document(&text).map_err(refused)?;
    let Document::Collection(collection) = parsed.document else {
        return Err(Error::Usage(format!("{}: an article, not a collection (no `articles`)", path.display())));
    };
    warnings.extend(parsed.warnings);
    let entries = match articles {
        Some(Articles::Array(n)) => n,
        _ => 0,
    };
    Ok(Head { collection, entries })
}

impl<T: Send> Reader<'_, T> {
    fn flush(&mut self) {
        if self.failure.is_some() {
            self.batch.clear();
            return;
        }
        let process = self.process;
        let results: Vec<_> = self.batch.par_iter().map(|(i, raw)| process(*i, raw.get())).collect();
        self.batch.clear();
        for r in results {
            match r {
                Ok((item, mut warnings)) => {
                    self.warnings.append(&mut warnings);
                    if let Some(item) = item {
                        (self.sink)(item);
                    }
                }
                Err(e) => {
                    self.failure.get_or_insert(e);
                }
            }
        }
    }
}

enum Root {
    Object { head: Vec<(String, Box<RawValue>)>, articles: Option<Articles> },
    Other(&'static str),
}

enum Articles {
    Array(usize),
    Other(&'static str),
}

struct RootVisitor<'r, 'a, T: Send> {
    reader: &'r mut Reader<'a, T>,
}

macro_rules! other_kinds {
    ($out:expr) => {
        fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
            Ok($out("a boolean"))
        }
        fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
            Ok($out("a number"))
        }
        fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
            Ok($out("a number"))
        }
        fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
            Ok($out("a number"))
        }
        fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
            Ok($out("a string"))
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok($out("null"))
        }
    };
}

impl<'de, T: Send> Visitor<'de> for RootVisitor<'_, '_, T> {
    type Value = Root;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON document")
    }

    other_kinds!(Root::Other);

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Root, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(Root::Other("an array"))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Root, A::Error> {
        let mut head = Vec::new();
        let mut articles = None;
        while let Some(key) = map.next_key::<String>()? {
            if key == "articles" {
                articles = Some(map.next_value_seed(ArticlesSeed { reader: &mut *self.reader })?);
            } else if matches!(key.as_str(), "title" | "description" | "language" | "body") {
                head.push((key, map.next_value::<Box<RawValue>>()?));
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(Root::Object { head, articles })
    }
}

struct ArticlesSeed<'r, 'a, T: Send> {
    reader: &'r mut Reader<'a, T>,
}

impl<'de, T: Send> DeserializeSeed<'de> for ArticlesSeed<'_, '_, T> {
    type Value = Articles;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Articles, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de, T: Send> Visitor<'de> for ArticlesSeed<'_, '_, T> {
    type Value = Articles;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the articles")
    }

    other_kinds!(Articles::Other);

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Articles, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(Articles::Other("an object"))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Articles, A::Error> {
        let r = self.reader;
        let start = r.seen;
        while let Some(raw) = seq.next_element::<Box<RawValue>>()? {
            r.batch.push((r.seen - start, raw));
            r.seen += 1;
            if r.batch.len() >= BATCH {
                r.flush();
            }
        }
        r.flush();
        Ok(Articles::Array(r.seen - start))
    }
}
