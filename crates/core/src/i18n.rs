//! The viewer's own words in each language it speaks, chosen by the document's `language`.
//! Content is never translated; only the interface around it.

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Ko,
    En,
}

impl Lang {
    /// Korean for `ko`, `ko-KR`, ...; English for any other tag. With no tag, Korean:
    /// the viewer is made for Korean publishers first.
    pub fn from_tag(tag: Option<&str>) -> Lang {
        match tag.map(|t| t.trim().to_ascii_lowercase()) {
            None => Lang::Ko,
            Some(t) if t.is_empty() || t == "ko" || t.starts_with("ko-") => Lang::Ko,
            Some(_) => Lang::En,
        }
    }

    pub fn tag(self) -> &'static str {
        match self {
            Lang::Ko => "ko",
            Lang::En => "en",
        }
    }

    pub fn text(self) -> &'static Text {
        match self {
            Lang::Ko => &KO,
            Lang::En => &EN,
        }
    }
}

/// Every string the interface shows.
pub struct Text {
    pub editors_pick: &'static str,
    pub read_more: &'static str,
    pub loading: &'static str,
    pub retry: &'static str,
    pub by: &'static str,
    pub tags: &'static str,
    pub photo_credit: &'static str,
    pub footnotes: &'static str,
    pub back_to_footnote_ref: &'static str,
    pub error_title: &'static str,
    pub crashed: &'static str,
    pub note: &'static str,
    pub tip: &'static str,
    pub important: &'static str,
    pub warning: &'static str,
    pub caution: &'static str,
    pub open_article: &'static str,
    pub external: &'static str,
    pub no_articles: &'static str,
    pub skip_to_story: &'static str,
    pub updated: &'static str,
    /// The Korean byline's "입력" (when the story was filed); English bylines show the date alone.
    pub filed: &'static str,
    pub contents: &'static str,
    pub copy_link: &'static str,
    pub link_copied: &'static str,
    pub share: &'static str,
    pub back: &'static str,
    pub search_label: &'static str,
    pub search_placeholder: &'static str,
    /// The `/` shortcut, shown only where there is a keyboard.
    pub key_hint: &'static str,
    pub authors: &'static str,
    pub sort: &'static str,
    pub sort_relevance: &'static str,
    pub sort_newest: &'static str,
    pub sort_oldest: &'static str,
    pub clear_all: &'static str,
    pub no_results: &'static str,
    pub show_more: &'static str,
    pub filters: &'static str,
    /// The search disclosure's button in a narrow listing.
    pub search: &'static str,
    pub more_values: &'static str,
    pub fewer: &'static str,
    /// The link to the previous listing page of a collection.
    pub previous_page: &'static str,
    /// The site footer's feeds.
    pub feeds: &'static str,
    /// The pages of a prerendered collection (a `nav` landmark's name).
    pub pages: &'static str,
    /// A task list's checkbox (its accessible name; checked or not is its state).
    pub task: &'static str,
    /// A gallery's name, around its number of pictures: "사진 3장" / "3 photos".
    pub photos: [&'static str; 2],
    /// An archive's search is on its way; its counts are.
    pub searching: &'static str,
    pub counting: &'static str,
    /// A file of an archive's index could not be fetched or read.
    pub archive_failed: &'static str,
    /// An archive's page without the app (from disk, or without JavaScript): only the newest
    /// entries are on it.
    pub archive_offline: &'static str,
}

impl Text {
    /// "7분 분량" / "7 min read".
    pub fn reading_time(&self, minutes: u32) -> String {
        if std::ptr::eq(self, &KO) {
            format!("{minutes}분 분량")
        } else {
            format!("{minutes} min read")
        }
    }

    /// "기사 3개 중 1개" / "1 of 3 articles": how many of the collection a filter shows.
    pub fn showing(&self, shown: usize, total: usize) -> String {
        if shown == total {
            return self.article_count(total);
        }
        if std::ptr::eq(self, &KO) {
            format!("기사 {total}개 중 {shown}개")
        } else {
            format!("{shown} of {total} articles")
        }
    }

    /// "'오라클'로 검색한 결과" / "Results for “oracle”": the query was read in the other input mode.
    pub fn searched_instead(&self, read: &str) -> String {
        if std::ptr::eq(self, &KO) {
            format!("‘{read}’{} 검색한 결과", ro(read))
        } else {
            format!("Results for “{read}”")
        }
    }

    /// "'dhfkzmf'(으)로 검색" / "Search for “dhfkzmf” instead": the query as typed, one click away.
    pub fn search_as_typed(&self, typed: &str) -> String {
        if std::ptr::eq(self, &KO) {
            format!("‘{typed}’{} 검색", ro(typed))
        } else {
            format!("Search for “{typed}” instead")
        }
    }

    /// "기사 12개" / "12 articles".
    pub fn article_count(&self, n: usize) -> String {
        if std::ptr::eq(self, &KO) {
            format!("기사 {n}개")
        } else if n == 1 {
            "1 article".to_string()
        } else {
            format!("{n} articles")
        }
    }
}

pub static KO: Text = Text {
    editors_pick: "Editor's Pick",
    read_more: "더 읽어보기",
    loading: "불러오는 중…",
    retry: "다시 시도",
    by: "글",
    tags: "태그",
    photo_credit: "사진",
    footnotes: "각주",
    back_to_footnote_ref: "본문으로 돌아가기",
    error_title: "기사를 불러오지 못했습니다",
    crashed: "뷰어에 오류가 생겨 멈췄습니다. 페이지를 새로 고쳐 주세요.",
    note: "참고",
    tip: "팁",
    important: "중요",
    warning: "경고",
    caution: "주의",
    open_article: "기사 열기",
    external: "새 창에서 열림",
    no_articles: "표시할 기사가 없습니다.",
    skip_to_story: "본문으로 건너뛰기",
    updated: "수정",
    filed: "입력",
    contents: "목차",
    copy_link: "링크 복사",
    link_copied: "링크를 복사했습니다",
    share: "공유하기",
    back: "← 뒤로",
    search_label: "기사 검색",
    search: "검색",
    search_placeholder: "제목, 요약, 태그, 기자 이름",
    key_hint: "/ 키로 검색",
    authors: "기자",
    sort: "정렬",
    sort_relevance: "관련도순",
    sort_newest: "최신순",
    sort_oldest: "오래된순",
    clear_all: "필터 모두 지우기",
    no_results: "조건에 맞는 기사가 없습니다. 검색어나 필터를 바꿔 보세요.",
    show_more: "더 보기",
    filters: "필터",
    more_values: "+ 더 보기",
    fewer: "접기",
    previous_page: "← 이전 목록",
    feeds: "구독 피드",
    pages: "목록 페이지",
    task: "할 일",
    photos: ["사진 ", "장"],
    searching: "검색 중…",
    counting: "세는 중…",
    archive_failed: "검색 색인의 일부를 받지 못했습니다.",
    archive_offline: "여기에는 기사 모음의 앞부분만 있습니다. 보관함 전체를 검색하려면 이 폴더를 웹 서버(HTTP)로 제공하고 자바스크립트를 켠 채 여세요.",
};

pub static EN: Text = Text {
    editors_pick: "Editor's Pick",
    read_more: "Read more",
    loading: "Loading…",
    retry: "Try again",
    by: "By",
    tags: "Tags",
    photo_credit: "Photo",
    footnotes: "Footnotes",
    back_to_footnote_ref: "Back to text",
    error_title: "The article could not be loaded",
    crashed: "The viewer hit an error and stopped. Please reload the page.",
    note: "Note",
    tip: "Tip",
    important: "Important",
    warning: "Warning",
    caution: "Caution",
    open_article: "Open article",
    external: "opens in a new tab",
    no_articles: "There are no articles to show.",
    skip_to_story: "Skip to story",
    updated: "Updated",
    filed: "Published",
    contents: "Contents",
    copy_link: "Copy link",
    link_copied: "Link copied",
    share: "Share",
    back: "← Back",
    search_label: "Search articles",
    search: "Search",
    search_placeholder: "Title, summary, tag, author",
    key_hint: "Press / to search",
    authors: "Authors",
    sort: "Sort",
    sort_relevance: "Relevance",
    sort_newest: "Newest",
    sort_oldest: "Oldest",
    clear_all: "Clear all",
    no_results: "No article matches. Try other words or filters.",
    show_more: "Show more",
    filters: "Filters",
    more_values: "+ more",
    fewer: "Fewer",
    previous_page: "← Previous page",
    feeds: "Feeds",
    pages: "Pages",
    task: "Task",
    photos: ["", " photos"],
    searching: "Searching…",
    counting: "counting…",
    archive_failed: "Part of the search index could not be fetched.",
    archive_offline: "Only the first articles of the collection are here. To search the whole archive, serve this folder over HTTP and open it with JavaScript on.",
};

/// The particle 로 or 으로 after `word`: 로 after a vowel or ㄹ, 으로 after another final
/// consonant, "(으)로" when the word does not end in a Hangul syllable.
fn ro(word: &str) -> &'static str {
    match word.chars().last().and_then(crate::search::decompose) {
        Some(s) if s.tail == 0 || s.tail == 8 => "로",
        Some(_) => "으로",
        None => "(으)로",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn language_from_bcp47() {
        assert_eq!(Lang::from_tag(Some("ko-KR")), Lang::Ko);
        assert_eq!(Lang::from_tag(Some("KO")), Lang::Ko);
        assert_eq!(Lang::from_tag(Some("en-US")), Lang::En);
        assert_eq!(Lang::from_tag(Some("kok")), Lang::En);
        assert_eq!(Lang::from_tag(None), Lang::Ko);
        assert_eq!(Lang::Ko.text().reading_time(7), "7분 분량");
        assert_eq!(Lang::En.text().reading_time(7), "7 min read");
    }

    #[test]
    fn the_particle_follows_the_last_syllable() {
        let ko = Lang::Ko.text();
        assert_eq!(ko.searched_instead("오라클"), "‘오라클’로 검색한 결과");
        assert_eq!(ko.searched_instead("반도체"), "‘반도체’로 검색한 결과");
        assert_eq!(ko.searched_instead("인공지능"), "‘인공지능’으로 검색한 결과");
        assert_eq!(ko.search_as_typed("dhfkzmf"), "‘dhfkzmf’(으)로 검색");
        assert_eq!(Lang::En.text().searched_instead("oracle"), "Results for “oracle”");
    }
}
