//! Streams a collection document: the entries of `articles` one at a time (in batches, each
//! read by the viewer's own walker on both cores), never the whole text in memory. What the
//! viewer would refuse is refused with its words; what it would drop is dropped and reported.

use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader, Read as _};
use std::path::Path;
use std::sync::mpsc::{sync_channel, SyncSender};

use article_viewer_core::format::{describe_json_error, parse_document, Collection, Document, FormatError, Warning};
use rayon::prelude::*;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use article_viewer_publish::Error;

/// Entries are read by the walker this many at a time, in parallel.
const BATCH: usize = 4096;

/// The parsing side: gathers raw entries into batches and hands them to the thread that
/// reads them, so parsing the text and reading entries overlap.
pub struct Reader {
    tx: SyncSender<Vec<(usize, Box<RawValue>)>>,
    batch: Vec<(usize, Box<RawValue>)>,
    seen: usize,
}

/// The collection's own fields (title, description, language) and the number of entries
/// in `articles`, dropped ones included.
pub struct Head {
    pub collection: Collection,
    pub entries: usize,
}

/// What reading one raw entry (its index, its JSON text) gives: the entry if kept, and
/// what was dropped from it.
pub type Process<'a, T> = dyn Fn(usize, &str) -> Result<(Option<T>, Vec<Warning>), FormatError> + Sync + 'a;

pub fn read<T: Send>(
    path: &Path,
    process: &Process<'_, T>,
    sink: &mut dyn FnMut(T),
    warnings: &mut Vec<Warning>,
) -> Result<Head, Error> {
    let refused = |error: FormatError| Error::Refused { path: path.to_path_buf(), error };
    let mut file = BufReader::with_capacity(1 << 20, File::open(path).map_err(Error::io(path))?);
    // A byte order mark is skipped, as the viewer skips it.
    if file.fill_buf().map_err(Error::io(path))?.starts_with(&[0xEF, 0xBB, 0xBF]) {
        file.consume(3);
    }
    // A thread parses the text while this one reads each batch's entries on both
    // cores meanwhile (a bounded channel keeps at most two batches waiting).
    let (tx, rx) = sync_channel::<Vec<(usize, Box<RawValue>)>>(2);
    let mut failure: Option<FormatError> = None;
    let root = std::thread::scope(|scope| {
        let parser = scope.spawn(move || {
            let mut reader = Reader { tx, batch: Vec::new(), seen: 0 };
            let mut de = serde_json::Deserializer::from_reader(file);
            let root = de.deserialize_any(RootVisitor { reader: &mut reader });
            root.and_then(|r| de.end().map(|_| r))
        });
        for batch in rx {
            if failure.is_some() {
                continue;
            }
            let results: Vec<_> = batch.par_iter().map(|(i, raw)| process(*i, raw.get())).collect();
            for r in results {
                match r {
                    Ok((item, mut w)) => {
                        warnings.append(&mut w);
                        if let Some(item) = item {
                            sink(item);
                        }
                    }
                    Err(e) => {
                        failure.get_or_insert(e);
                    }
                }
            }
        }
        parser.join()
    });
    let root = root.map_err(|_| Error::Usage(format!("{}: the reader thread failed", path.display())))?;
    if let Some(failure) = failure {
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
            return Err(refused(FormatError {
                path: "articles".into(),
                message: format!("expected an array, found {kind}"),
            }));
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

impl Reader {
    fn flush(&mut self) {
        if !self.batch.is_empty() {
            // A closed channel means the reading side stopped: nothing more to do.
            let _ = self.tx.send(std::mem::take(&mut self.batch));
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

struct RootVisitor<'r> {
    reader: &'r mut Reader,
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

impl<'de> Visitor<'de> for RootVisitor<'_> {
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

struct ArticlesSeed<'r> {
    reader: &'r mut Reader,
}

impl<'de> DeserializeSeed<'de> for ArticlesSeed<'_> {
    type Value = Articles;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Articles, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ArticlesSeed<'_> {
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
