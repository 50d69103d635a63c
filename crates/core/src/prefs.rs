//! What the viewer remembers in the reader's browser: whether an article's Editor's Pick box is
//! open or closed. Bounded whatever the documents say: one storage entry holding at most
//! [`MAX_ARTICLES`] fixed-size keys, the least recently chosen dropped first.

/// The one storage key the viewer writes.
pub const STORAGE_KEY: &str = "article-viewer:picks";

/// Choices kept; at 19 bytes each the entry stays under 4 KB.
pub const MAX_ARTICLES: usize = 200;

/// The key of one article: a hash of the document's address and the article's id, so a
/// document cannot preset another site's or another document's choice by reusing an id, and
/// a 5 MB id costs 16 bytes of storage.
pub fn article_key(doc_url: &str, id: &str) -> String {
    // FNV-1a, 64 bits: collisions cost a reader one pick box in the wrong state, never more.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in doc_url.bytes().chain([0]).chain(id.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// The remembered choices, least recently chosen first.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Picks(Vec<(String, bool)>);

impl Picks {
    /// Reads the stored entry (`key:o,key:c,…`). Anything malformed is skipped, and at most
    /// the newest [`MAX_ARTICLES`] well-formed choices are kept.
    pub fn parse(stored: &str) -> Picks {
        let mut picks: Vec<(String, bool)> = stored
            .split(',')
            .filter_map(|item| {
                let (key, state) = item.split_once(':')?;
                let valid = key.len() == 16 && key.bytes().all(|b| b.is_ascii_hexdigit());
                let open = match state {
                    "o" => true,
                    "c" => false,
                    _ => return None,
                };
                valid.then(|| (key.to_string(), open))
            })
            .collect();
        let excess = picks.len().saturating_sub(MAX_ARTICLES);
        picks.drain(..excess);
        Picks(picks)
    }

    pub fn get(&self, key: &str) -> Option<bool> {
        self.0.iter().rev().find(|(k, _)| k == key).map(|&(_, open)| open)
    }

    /// Records a choice as the newest, dropping the oldest beyond the cap.
    pub fn set(&mut self, key: &str, open: bool) {
        self.0.retain(|(k, _)| k != key);
        self.0.push((key.to_string(), open));
        let excess = self.0.len().saturating_sub(MAX_ARTICLES);
        self.0.drain(..excess);
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl std::fmt::Display for Picks {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, (key, open)) in self.0.iter().enumerate() {
            let sep = if i == 0 { "" } else { "," };
            write!(f, "{sep}{key}:{}", if *open { 'o' } else { 'c' })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_fixed_size_and_scoped_to_the_document() {
        let huge = "x".repeat(5 << 20);
        assert_eq!(article_key("https://a.example/a.json", &huge).len(), 16);
        assert_ne!(article_key("https://a.example/a.json", "id"), article_key("https://b.example/a.json", "id"));
        assert_ne!(article_key("https://a.example/a.json", "id"), article_key("https://a.example/a.json", "id2"));
        // The separator keeps (url, id) pairs apart.
        assert_ne!(article_key("ab", "c"), article_key("a", "bc"));
    }

    #[test]
    fn choices_round_trip_and_the_oldest_go_first() {
        let mut p = Picks::default();
        let key = |i: usize| article_key("https://a.example/", &i.to_string());
        for i in 0..MAX_ARTICLES + 50 {
            p.set(&key(i), i % 2 == 0);
        }
        assert_eq!(p.len(), MAX_ARTICLES);
        assert_eq!(p.get(&key(0)), None, "the oldest were dropped");
        assert_eq!(p.get(&key(MAX_ARTICLES + 48)), Some(true));
        assert_eq!(p.get(&key(MAX_ARTICLES + 49)), Some(false));
        let stored = p.to_string();
        assert!(stored.len() <= MAX_ARTICLES * 19, "{} bytes", stored.len());
        assert_eq!(Picks::parse(&stored), p);
        // Choosing again makes a choice the newest, so it survives the next drop.
        p.set(&key(60), true);
        p.set(&key(9999), true);
        assert_eq!(p.get(&key(60)), Some(true));
        assert_eq!(p.get(&key(50)), None, "the oldest left");
        assert_eq!(p.get(&key(51)), Some(false));
    }

    #[test]
    fn tampered_entries_are_skipped_and_capped() {
        let p = Picks::parse("zz:o,0123456789abcdef:x,0123456789abcdef:c,,:o,0123456789ABCDEF:o");
        assert_eq!(p.len(), 2);
        assert_eq!(p.get("0123456789abcdef"), Some(false));
        let many: Vec<String> = (0..10_000).map(|i| format!("{:016x}:o", i)).collect();
        assert_eq!(Picks::parse(&many.join(",")).len(), MAX_ARTICLES);
    }
}
