//! Collections as the reader browses them: search entries made from the format's summaries,
//! and the page size in which results are shown.

use crate::format::Summary;
use crate::search::Entry;

/// Results are rendered a page at a time, so 100,000 entries cost what 12 do.
pub const PAGE_SIZE: usize = 12;

/// What the search index knows of one collection entry.
pub fn entry(s: &Summary) -> Entry {
    Entry {
        title: s.title.clone(),
        subtitle: s.subtitle.clone().unwrap_or_default(),
        summary: s.summary.clone().unwrap_or_default(),
        picks: s.editors_pick.as_ref().map(|p| p.items.clone()).unwrap_or_default(),
        tags: s.tags.clone(),
        authors: s.authors.iter().map(|a| a.name.clone()).collect(),
        published: s.published.as_ref().map(|d| d.raw.clone()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::format::{parse_document, Document};
    use crate::search::{Index, Request, Sort};

    #[test]
    fn collection_entries_are_searchable_by_every_field() {
        let json = r#"{"articles":[
            {"id":"1","title":"오라클과 손잡은 오픈AI","summary":"클라우드 계약","tags":["클라우드"],
             "authors":[{"name":"김서연"}],"editors_pick":{"items":["3천억 달러"]},"published":"2025-09-12T09:00:00+09:00"},
            {"id":"2","title":"HBM 수율","subtitle":"12단 적층의 벽","tags":["반도체"],"authors":[{"name":"박준호"}],"published":"2025-11-03T09:00:00+09:00"}]}"#;
        let Ok(parsed) = parse_document(json) else { panic!("valid") };
        let Document::Collection(c) = parsed.document else { panic!("collection") };
        let index = Index::new(c.articles.iter().map(|s| entry(s)).collect());
        let hits = |q: &str| index.search(&Request { query: q.into(), ..Request::default() }).hits;
        assert_eq!(hits("ㅇㄹㅋ"), vec![0]);
        assert_eq!(hits("3천억"), vec![0]);
        assert_eq!(hits("박준호"), vec![1]);
        assert_eq!(hits("반도체"), vec![1]);
        assert_eq!(hits("적층"), vec![1]);
        let newest = index.search(&Request { sort: Sort::Newest, ..Request::default() }).hits;
        assert_eq!(newest, vec![1, 0]);
    }
}
