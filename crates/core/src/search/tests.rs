//! Behavioural tests of the whole module through its public API, property tests, and an
//! ignored benchmark (`cargo test --release -- --ignored --nocapture bench`).

use super::*;
use crate::testing::Rng;
use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;

fn titled(title: &str) -> Entry {
    Entry { title: title.to_string(), ..Entry::default() }
}

fn entry(title: &str, summary: &str, published: Option<&str>) -> Entry {
    Entry {
        title: title.to_string(),
        summary: summary.to_string(),
        published: published.map(str::to_string),
        ..Entry::default()
    }
}

fn nfd(s: &str) -> String {
    s.nfd().collect()
}

fn hits(index: &Index, query: &str) -> Vec<usize> {
    index.search(&Request { query: query.to_string(), ..Request::default() }).hits
}

/// Whether a one-entry collection holding `text` as title matches `query`.
fn finds(text: &str, query: &str) -> bool {
    hits(&Index::new(vec![titled(text)]), query) == vec![0]
}

fn marked<'a>(text: &'a str, ranges: &[std::ops::Range<usize>]) -> Vec<&'a str> {
    ranges.iter().map(|r| &text[r.clone()]).collect()
}

#[test]
fn substring_inside_words() {
    assert!(finds("한국 오라클은 오늘", "라클"));
    assert!(finds("한국 오라클은 오늘", "클은"));
    assert!(!finds("한국 오라클은 오늘", "클오"));
}

#[test]
fn nfd_text_and_nfd_queries() {
    let text = "오라클은 클라우드를 키운다";
    assert!(finds(&nfd(text), "클라우드"));
    assert!(finds(text, &nfd("클라우드")));
    assert!(finds(&nfd(text), &nfd("라클은")));
    assert!(finds(&nfd(text), "ㅋㄹㅇㄷ"));
    assert!(finds(&nfd(text), "오랔"));
    assert!(!finds(&nfd(text), "클라우디"));
}

#[test]
fn initial_consonant_queries() {
    assert!(finds("오라클", "ㅇㄹㅋ"));
    assert!(finds("퍼블릭 클라우드 전환", "ㅋㄹㅇㄷ"));
    assert!(!finds("오라도", "ㅇㄹㅋ"));
    assert!(!finds("오 라클", "ㅇㄹㅋ"));
    // An IME may merge ㄹ then ㄱ typed without a vowel into ㄺ.
    assert!(finds("이러라고", "ㄹㄱ"));
    assert!(finds("이러라고", "ㄺ"));
}

#[test]
fn mixed_syllable_and_initial_queries() {
    assert!(finds("오라클", "오ㄹㅋ"));
    assert!(finds("오라클", "ㅇ라ㅋ"));
    assert!(!finds("우라클", "오ㄹㅋ"));
    assert!(!finds("AI 오라클", "aiㅇㄹ"));
    assert!(finds("AI오라클", "aiㅇㄹ"));
}

#[test]
fn double_initials_are_distinct_initials() {
    assert!(finds("꽃차", "ㄲㅊ"));
    assert!(finds("딸기", "ㄸㄱ"));
    assert!(finds("빨리", "ㅃㄹ"));
    assert!(finds("쌀국수", "ㅆㄱㅅ"));
    assert!(finds("짜장면", "ㅉㅈㅁ"));
    assert!(!finds("꽃차", "ㄱㅊ"));
    assert!(!finds("가게", "ㄲ"));
}

#[test]
fn last_syllable_may_still_be_composing() {
    for q in ["오", "오라", "오랔", "오라크", "오라클", "오라ㅋ", "오라ㅏ"] {
        assert!(finds("오라클", q), "{q}");
    }
    assert!(finds("락", "라"));
    assert!(finds("과자", "고"));
    assert!(finds("닭고기", "달"));
    assert!(finds("달걀", "닭"));
    assert!(finds("닭고기", "닭"));
    assert!(!finds("달나라", "닭"));
    assert!(finds("이사 간다", "잇"));
    assert!(finds("있어요", "이"));
    // ㅆ is one key (shift+ㅅ), so 잇 is not on the way to 있.
    assert!(!finds("있어요", "잇"));
    assert!(!finds("오라도", "오랔"));
}

#[test]
fn earlier_syllables_match_whole_syllables_only() {
    assert!(!finds("가나", "각나"));
    assert!(!finds("각나", "가나"));
    assert!(finds("각나", "각나"));
    assert!(!finds("오락실", "오라실"));
}

#[test]
fn latin_folds_case_and_width() {
    let index = Index::new(vec![titled("AI 반도체"), titled("Oracle Cloud"), titled("ＡＩ 칩")]);
    assert_eq!(hits(&index, "ai"), vec![0, 2]);
    assert_eq!(hits(&index, "ＡＩ"), vec![0, 2]);
    assert_eq!(hits(&index, "CLOUD"), vec![1]);
    assert_eq!(hits(&index, "ｃｌｏｕｄ"), vec![1]);
}

#[test]
fn every_term_must_match_somewhere_in_any_field() {
    let e = Entry {
        title: "오라클 실적".into(),
        subtitle: "부제목".into(),
        summary: "요약".into(),
        picks: vec!["클라우드 성장".into()],
        tags: vec!["반도체".into()],
        authors: vec!["김기자".into()],
        published: None,
    };
    let index = Index::new(vec![e, titled("오라클 주가")]);
    assert_eq!(hits(&index, "오라클"), vec![0, 1]);
    assert_eq!(hits(&index, "오라클 클라우드"), vec![0]);
    assert_eq!(hits(&index, "반도체 김기자 부제목 요약"), vec![0]);
    assert_eq!(hits(&index, "오라클 없는말"), Vec::<usize>::new());
}

#[test]
fn matches_never_span_two_fields() {
    let e = Entry { title: "오라".into(), subtitle: "클".into(), ..Entry::default() };
    let index = Index::new(vec![e]);
    assert!(hits(&index, "오라클").is_empty());
    assert!(hits(&index, "ㅇㄹㅋ").is_empty());
    assert_eq!(hits(&index, "오라 클"), vec![0]);
}

#[test]
fn highlights_are_original_byte_ranges() {
    let title = "한국 오라클은 AI를";
    let index = Index::new(vec![entry(title, "오라클 클라우드, 오라클", None)]);
    let h = index.highlights(0, "라클");
    assert_eq!(marked(title, &h.title), vec!["라클"]);
    assert_eq!(h.title, vec![10..16]);
    assert_eq!(marked("오라클 클라우드, 오라클", &h.summary), vec!["라클", "라클"]);

    assert_eq!(marked(title, &index.highlights(0, "ㅇㄹㅋ").title), vec!["오라클"]);
    assert_eq!(marked(title, &index.highlights(0, "오랔").title), vec!["오라클"]);
    assert_eq!(marked(title, &index.highlights(0, "ai").title), vec!["AI"]);
    // Touching matches merge into one range.
    assert_eq!(marked(title, &index.highlights(0, "오라 클은").title), vec!["오라클은"]);
    assert!(index.highlights(0, "").title.is_empty());
    assert_eq!(index.highlights(9, "라클"), Highlights::default());
}

/// Zero-width and format characters inside a title (issue 13, item 6a) hide nothing, and
/// highlights still name whole original characters.
#[test]
fn invisible_characters_inside_titles() {
    let title = "한국 오\u{200B}라\u{AD}클은 A\u{200D}I를 \u{FEFF}❤\u{FE0F}";
    let index = Index::new(vec![titled(title)]);
    for q in ["오라클", "라클은", "ㅇㄹㅋ", "오랔", "ai", "❤", "오\u{200B}라클", "a\u{2060}i"] {
        assert_eq!(hits(&index, q), vec![0], "{q:?}");
    }
    let check = |q: &str, want: &[&str]| {
        let h = index.highlights(0, q);
        assert_ranges_ok(title, &h.title);
        assert_eq!(marked(title, &h.title), want, "{q:?}");
    };
    check("오라클", &["오\u{200B}라\u{AD}클"]);
    check("ㄹㅋ", &["라\u{AD}클"]);
    check("ai", &["A\u{200D}I"]);
    // The variation selector goes with its heart: a mark never splits the emoji.
    check("❤", &["❤\u{FE0F}"]);
    assert_eq!(highlight_ranges("오\u{200B}라클", "라클"), vec![6..12]);
    // A query of nothing but invisible characters is the empty query.
    assert_eq!(hits(&index, "\u{200B}\u{FEFF}"), hits(&index, ""));
    assert!(index.highlights(0, "\u{200B}").title.is_empty());
}

#[test]
fn highlights_cover_whole_nfd_syllables() {
    let title = nfd("닭갈비와 오라클");
    let index = Index::new(vec![titled(&title)]);
    let check = |q: &str, want: &[&str]| {
        let got: Vec<String> =
            marked(&title, &index.highlights(0, q).title).iter().map(|s| s.nfc().collect()).collect();
        assert_eq!(got, want, "{q}");
    };
    check("ㅇㄹㅋ", &["오라클"]);
    check("닭", &["닭"]);
    check("갈비", &["갈비"]);
    check("오랔", &["오라클"]);
    // Byte-level: the 초성 match must start on 오's first conjoining jamo.
    let h = index.highlights(0, "ㄹㅋ");
    let start = h.title[0].start;
    assert_eq!(&title[start..start + 3], "\u{1105}");
    assert_eq!(h.title[0].end - start, 15);
}

#[test]
fn highlights_on_full_width_text() {
    let title = "ＡＩ 칩과 ai";
    let index = Index::new(vec![titled(title)]);
    assert_eq!(index.highlights(0, "ai").title, vec![0..6, 14..16]);
    assert_eq!(highlight_ranges("ＡＩ", "ＡＩ"), vec![0..6]);
}

#[test]
fn title_hits_rank_above_other_hits_then_newest() {
    let index = Index::new(vec![
        entry("시장 동향", "오라클이 발표", Some("2024-05-01T00:00:00Z")),
        entry("오라클 실적", "요약", Some("2020-01-01T00:00:00Z")),
        entry("오라클 주가", "요약", Some("2023-01-01T00:00:00+09:00")),
        entry("다른 기사", "오라클", None),
        entry("또 다른", "오라클", Some("not a date")),
        entry("또 하나", "오라클", Some("2022-12-31T16:00:00Z")),
    ]);
    // 2: 2022-12-31T15:00Z in UTC; 1: 2020; then summary hits: 0 (2024), 5 (2022), undated 3, 4.
    assert_eq!(hits(&index, "오라클"), vec![2, 1, 0, 5, 3, 4]);
}

#[test]
fn exact_hits_rank_above_initial_hits() {
    let index = Index::new(vec![
        entry("가", "클라우드 이야기", Some("2024-01-01T00:00:00Z")),
        entry("나", "ㅋㅋ 웃긴 이야기", Some("2020-01-01T00:00:00Z")),
    ]);
    assert_eq!(hits(&index, "ㅋ"), vec![1, 0]);
    let index = Index::new(vec![
        entry("가", "오라클", Some("2024-01-01T00:00:00Z")),
        entry("나", "ㅇㄹㅋ 약어", Some("2020-01-01T00:00:00Z")),
    ]);
    assert_eq!(hits(&index, "ㅇㄹㅋ"), vec![1, 0]);
}

#[test]
fn sort_orders() {
    let index = Index::new(vec![
        entry("하나 오라클", "", Some("2021-01-01T00:00:00Z")),
        entry("둘", "", None),
        entry("셋 오라클", "", Some("2023-01-01T00:00:00Z")),
        entry("넷", "", Some("2022-01-01")),
    ]);
    let run = |query: &str, sort| index.search(&Request { query: query.into(), sort, ..Request::default() }).hits;
    // Without a query there is nothing to rank by: newest first, undated last.
    assert_eq!(run("", Sort::Relevance), vec![2, 3, 0, 1]);
    assert_eq!(run("", Sort::Newest), vec![2, 3, 0, 1]);
    assert_eq!(run("", Sort::Oldest), vec![0, 3, 2, 1]);
    assert_eq!(run("오라클", Sort::Relevance), vec![2, 0]);
    assert_eq!(run("오라클", Sort::Oldest), vec![0, 2]);
}

#[test]
fn sort_url_names_roundtrip() {
    for s in [Sort::Relevance, Sort::Newest, Sort::Oldest] {
        assert_eq!(Sort::parse(s.as_str()), Some(s));
    }
    assert_eq!(Sort::parse("Newest"), Some(Sort::Newest));
    assert_eq!(Sort::parse("date"), None);
    assert_eq!(Sort::default(), Sort::Relevance);
}

fn faceted() -> Index {
    let e = |title: &str, tags: &[&str], authors: &[&str]| Entry {
        title: title.into(),
        tags: tags.iter().map(|s| s.to_string()).collect(),
        authors: authors.iter().map(|s| s.to_string()).collect(),
        ..Entry::default()
    };
    Index::new(vec![
        e("오라클 하나", &["클라우드", "AI"], &["김"]),
        e("오라클 둘", &["AI"], &["이"]),
        e("오라클 셋", &[&nfd("클라우드")], &["김", "박"]),
        e("다른 글", &["AI", "AI"], &["김"]),
    ])
}

fn facet_search(index: &Index, query: &str, tags: &[&str], authors: &[&str]) -> Results {
    index.search(&Request {
        query: query.into(),
        tags: tags.iter().map(|s| s.to_string()).collect(),
        authors: authors.iter().map(|s| s.to_string()).collect(),
        sort: Sort::Relevance,
        as_typed: false,
    })
}

fn counts(v: &[(String, usize)]) -> Vec<(&str, usize)> {
    v.iter().map(|(s, n)| (s.as_str(), *n)).collect()
}

#[test]
fn facet_counts_follow_the_query() {
    let index = faceted();
    let r = facet_search(&index, "", &[], &[]);
    assert_eq!(counts(&r.tag_counts), vec![("AI", 3), ("클라우드", 2)]);
    assert_eq!(counts(&r.author_counts), vec![("김", 3), ("박", 1), ("이", 1)]);
    let r = facet_search(&index, "오라클", &[], &[]);
    assert_eq!(counts(&r.tag_counts), vec![("AI", 2), ("클라우드", 2)]);
    assert_eq!(r.hits, vec![0, 1, 2]);
}

#[test]
fn facet_selection_is_or_within_and_across_with_disjunctive_counts() {
    let index = faceted();
    let r = facet_search(&index, "오라클", &["클라우드"], &[]);
    assert_eq!(r.hits, vec![0, 2]);
    // Tag counts ignore the tag selection; author counts respect it.
    assert_eq!(counts(&r.tag_counts), vec![("AI", 2), ("클라우드", 2)]);
    assert_eq!(counts(&r.author_counts), vec![("김", 2), ("박", 1)]);

    let r = facet_search(&index, "오라클", &["클라우드", "AI"], &[]);
    assert_eq!(r.hits, vec![0, 1, 2]);

    let r = facet_search(&index, "오라클", &["AI"], &["김"]);
    assert_eq!(r.hits, vec![0]);
    assert_eq!(counts(&r.tag_counts), vec![("클라우드", 2), ("AI", 1)]);
    assert_eq!(counts(&r.author_counts), vec![("김", 1), ("이", 1)]);
}

#[test]
fn selected_facets_are_reported_even_at_zero() {
    let index = faceted();
    let r = facet_search(&index, "다른", &["클라우드"], &["없는사람"]);
    assert!(r.hits.is_empty());
    assert_eq!(counts(&r.tag_counts), vec![("클라우드", 0)]);
    assert_eq!(counts(&r.author_counts), vec![("없는사람", 0)]);
    let r = facet_search(&index, "다른", &[&nfd(" 클라우드 ")], &[]);
    assert_eq!(counts(&r.tag_counts), vec![("AI", 1), ("클라우드", 0)]);
}

#[test]
fn typing_with_reuse_gives_the_same_results_as_a_fresh_search() {
    let texts = [
        "클라우드 전환",
        "클락 소리",
        "크레딧",
        "오라클 클라우드",
        "큰 클래스",
        "클라이언트",
        "캐시",
        "ㅋㅋ 클라",
        "클라욷",
        "닭갈비",
        "달걀",
        "다가",
        "각",
    ];
    let index = Index::new(texts.iter().map(|t| titled(t)).collect());
    let fresh = Index::new(texts.iter().map(|t| titled(t)).collect());
    let typed = [
        "ㅋ",
        "크",
        "클",
        "클ㄹ",
        "클라",
        "클랑",
        "클라우",
        "클라욷",
        "클라우드",
        "클라우",
        "클",
        "",
        "ㄷ",
        "다",
        "달",
        "닭",
        "닭가",
        "다",
        "닥",
        "다가",
        "가ㄱ",
        "각",
        "클 ㅋ",
        "클 클라",
    ];
    for q in typed {
        let req = Request { query: q.into(), ..Request::default() };
        fresh.clear_cache();
        assert_eq!(index.search(&req), fresh.search(&req), "{q}");
    }
    assert_eq!(hits(&index, "클라우"), vec![0, 3, 8]);
}

#[test]
#[allow(clippy::single_range_in_vec_init)] // one range in a slice is the point here
fn split_marked_pieces() {
    let text = "한국 오라클";
    assert_eq!(split_marked(text, &[7..16]), vec![("한국 ", false), ("오라클", true)]);
    assert_eq!(split_marked(text, &[]), vec![(text, false)]);
    // Unsorted, overlapping, out of bounds, and inside a char: widened to whole chars.
    assert_eq!(
        split_marked(text, &[14..15, 8..11, 100..200, 1..2]),
        vec![("한", true), ("국 ", false), ("오라클", true)]
    );
    assert!(split_marked("", &[0..3]).is_empty());
}

/// Strings mixing the cases the matcher treats specially.
fn tricky_string() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        Just("오".to_string()),
        Just("라".to_string()),
        Just("랔".to_string()),
        Just("클".to_string()),
        Just("닭".to_string()),
        Just("달".to_string()),
        Just("가".to_string()),
        Just("각".to_string()),
        Just("과".to_string()),
        Just("ㄱ".to_string()),
        Just("ㅋ".to_string()),
        Just("ㅏ".to_string()),
        Just("ㄺ".to_string()),
        Just(" ".to_string()),
        Just("A".to_string()),
        Just("ｂ".to_string()),
        Just("\u{1100}".to_string()),
        Just("\u{1161}".to_string()),
        Just("\u{11A8}".to_string()),
        Just("e\u{301}".to_string()),
        Just("ﬁ".to_string()),
        Just("😀".to_string()),
        Just("\u{200B}".to_string()),
        Just("\u{200D}".to_string()),
        Just("\u{FE0F}".to_string()),
        Just("\u{AD}".to_string()),
        any::<char>().prop_map(|c| c.to_string()),
    ];
    prop::collection::vec(piece, 0..12).prop_map(|v| v.concat())
}

fn assert_ranges_ok(text: &str, ranges: &[std::ops::Range<usize>]) {
    let mut prev_end = None;
    for r in ranges {
        assert!(r.start < r.end && r.end <= text.len(), "{r:?} in {text:?}");
        assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end), "{r:?} in {text:?}");
        if let Some(p) = prev_end {
            assert!(r.start > p, "not merged/sorted: {ranges:?}");
        }
        prev_end = Some(r.end);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 600, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_and_queries_never_panic_and_ranges_are_sound(
        text in prop_oneof![any::<String>(), tricky_string()],
        query in prop_oneof![any::<String>(), tricky_string()],
        as_nfd in any::<bool>(),
    ) {
        let text = if as_nfd { nfd(&text) } else { text };
        let index = Index::new(vec![entry(&text, &text, Some(&query))]);
        let r = index.search(&Request { query: query.clone(), tags: vec![query.clone()], ..Request::default() });
        let plain = hits(&index, &query);
        // A query read in the other input mode is highlighted as read.
        let read = index.search(&Request { query: query.clone(), ..Request::default() }).corrected.unwrap_or(query.clone());
        let h = index.highlights(0, &read);
        assert_ranges_ok(&text, &h.title);
        assert_ranges_ok(&text, &h.summary);
        prop_assert_eq!(&h.title, &h.summary);
        // Title and summary are the only fields, and identical: a hit must be visible.
        if plain == vec![0] && !compile_is_empty(&read) {
            prop_assert!(!h.title.is_empty(), "hit without highlight: {:?} in {:?}", query, text);
        }
        prop_assert!(r.hits.len() <= 1);
        let pieces = split_marked(&text, &h.title);
        prop_assert_eq!(pieces.iter().map(|p| p.0).collect::<String>(), text.clone());
    }

    #[test]
    fn reusing_previous_results_never_changes_them(
        texts in prop::collection::vec(tricky_string(), 1..8),
        first in tricky_string(),
        second in tricky_string(),
    ) {
        let entries: Vec<Entry> = texts.iter().map(|t| titled(t)).collect();
        let index = Index::new(entries.clone());
        let fresh = Index::new(entries);
        let _ = hits(&index, &first);
        prop_assert_eq!(hits(&index, &second), hits(&fresh, &second), "after {:?}", first);
    }

    #[test]
    fn appending_a_char_only_narrows(
        texts in prop::collection::vec(tricky_string(), 1..8),
        typed in tricky_string(),
    ) {
        let index = Index::new(texts.iter().map(|t| titled(t)).collect());
        let chars: Vec<char> = typed.chars().collect();
        for n in 1..chars.len() {
            // A char that composes with its predecessor (a combining accent) rewrites
            // the text before it, so only the others promise narrowing.
            if normalize::attaches(chars[n]) {
                continue;
            }
            let shorter: String = chars[..n].iter().collect();
            let longer: String = chars[..=n].iter().collect();
            index.clear_cache();
            let wide = hits(&index, &shorter);
            index.clear_cache();
            for h in hits(&index, &longer) {
                prop_assert!(wide.contains(&h), "{:?} -> {:?} in {:?}", shorter, longer, texts);
            }
        }
    }
}

fn compile_is_empty(query: &str) -> bool {
    query::compile(query).is_empty()
}

const WORDS: &[&str] = &[
    "정부는",
    "오늘",
    "발표했다",
    "시장",
    "투자",
    "기업",
    "삼성전자",
    "반도체",
    "인공지능",
    "데이터센터",
    "클라우드",
    "오라클은",
    "경제",
    "성장률",
    "금리",
    "인상",
    "서울",
    "부동산",
    "가격",
    "상승",
    "하락",
    "소비자",
    "물가",
    "지표",
    "전망",
    "분석",
    "관계자는",
    "말했다",
    "이번",
    "정책",
    "개편",
    "수출",
    "증가",
    "감소",
    "글로벌",
    "공급망",
    "전기차",
    "배터리",
    "생산",
    "확대",
    "노동자",
    "임금",
    "협상",
    "국회",
    "법안",
    "통과",
    "대통령",
    "외교",
    "회담",
    "북한",
    "미사일",
    "발사",
    "기후",
    "변화",
    "대응",
    "탄소",
    "중립",
    "에너지",
    "전환",
    "교육",
    "학생",
    "대학",
    "입시",
    "의료",
    "병원",
    "의사",
    "환자",
    "치료",
    "연구",
    "결과",
    "스타트업",
    "플랫폼",
    "서비스",
    "출시",
    "사용자",
    "보안",
    "해킹",
    "AI",
    "GPU",
    "Oracle",
    "cloud",
    "OpenAI",
    "Nvidia",
    "2024년",
    "3분기",
    "실적",
    "영업이익",
    "매출",
    "억원",
    "달러",
    "닭고기",
    "과자",
    "꽃",
    "딸기",
    "빨래",
    "쌀값",
    "짜장면",
    "ㅋㅋ",
];

fn sentence(rng: &mut Rng, min: usize, max: usize) -> String {
    let n = min + rng.below(max - min + 1);
    (0..n).map(|_| rng.pick(WORDS)).collect::<Vec<_>>().join(" ")
}

fn synthetic(n: usize) -> Vec<Entry> {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let tags: Vec<String> = (0..200).map(|i| format!("{}{}", WORDS[i % WORDS.len()], i / WORDS.len())).collect();
    let surnames = ["김", "이", "박", "최", "정", "강", "조", "윤", "장", "임"];
    let given = ["민준", "서연", "도윤", "지우", "하준", "서윤", "예준", "하은", "지호", "수아"];
    (0..n)
        .map(|i| Entry {
            title: sentence(&mut rng, 3, 7),
            subtitle: sentence(&mut rng, 4, 9),
            summary: sentence(&mut rng, 25, 45),
            picks: (0..3).map(|_| sentence(&mut rng, 5, 9)).collect(),
            tags: (0..3).map(|_| tags[rng.below(tags.len())].clone()).collect(),
            authors: (0..1 + rng.below(2))
                .map(|_| format!("{}{} 기자", rng.pick(&surnames), rng.pick(&given)))
                .collect(),
            published: (i % 17 != 0).then(|| {
                format!(
                    "20{:02}-{:02}-{:02}T{:02}:00:00+09:00",
                    15 + rng.below(10),
                    1 + rng.below(12),
                    1 + rng.below(28),
                    rng.below(24)
                )
            }),
        })
        .collect()
}

#[test]
#[ignore]
fn bench() {
    use std::time::Instant;
    for n in [10_000usize, 100_000] {
        let entries = synthetic(n);
        let bytes: usize = entries
            .iter()
            .map(|e| {
                e.title.len() + e.subtitle.len() + e.summary.len() + e.picks.iter().map(String::len).sum::<usize>()
            })
            .sum();
        let t = Instant::now();
        let index = Index::new(entries);
        println!("\n{n} entries, {:.1} MB text: build {:.0} ms", bytes as f64 / 1e6, t.elapsed().as_secs_f64() * 1e3);
        let time = |q: &str, req: &Request| {
            let t = Instant::now();
            let r = index.search(req);
            let ms = t.elapsed().as_secs_f64() * 1e3;
            println!("  {:<22} {:>7.2} ms  {:>6} hits", q, ms, r.hits.len());
            ms
        };
        let mut worst = 0f64;
        for q in [
            "",
            "ㅇ",
            "오",
            "오라",
            "오랔",
            "오라클",
            "ㅇㄹㅋ",
            "ㅋㄹㅇㄷ",
            "클라우드 ai",
            "ai",
            "반도체 투자",
            "zzz",
            "ㅋㅋ",
            "데이터센터",
            "삼성전자 3분기 실적",
            "ㅎㄱㅊ",
            "ㄷㅇㅌㅅㅌ",
        ] {
            index.clear_cache();
            let req = Request { query: q.into(), ..Request::default() };
            worst = worst.max(time(q, &req));
            time("  (same again)", &req);
        }
        println!("  worst cold query: {worst:.2} ms");
        index.clear_cache();
        let mut total = 0f64;
        let keys = [
            "ㄷ",
            "데",
            "뎅",
            "데이",
            "데잍",
            "데이터",
            "데이터ㅅ",
            "데이터세",
            "데이터센",
            "데이터센ㅌ",
            "데이터센터",
        ];
        println!("  typing 데이터센터 with reuse:");
        for q in keys {
            total += time(q, &Request { query: q.into(), ..Request::default() });
        }
        println!("  total {total:.2} ms for {} keystrokes", keys.len());
        let mut req = Request { query: "오라클".into(), ..Request::default() };
        time("오라클 (again)", &req);
        req.tags = vec!["반도체0".into()];
        time("오라클 + tag", &req);
        req.sort = Sort::Newest;
        time("오라클 + tag, newest", &req);
        let r = index.search(&Request { query: "오라클".into(), ..Request::default() });
        let t = Instant::now();
        for &d in r.hits.iter().take(50) {
            let _ = index.highlights(d, "오라클");
        }
        println!("  50 highlights: {:.2} ms", t.elapsed().as_secs_f64() * 1e3);
    }
}

fn search(index: &Index, query: &str) -> Results {
    index.search(&Request { query: query.to_string(), ..Request::default() })
}

#[test]
fn a_query_typed_in_the_wrong_input_mode_is_read_in_the_other() {
    let index = Index::new(vec![
        titled("오라클, 클라우드 매출 급증"),
        titled("Oracle earnings call"),
        titled("반도체 수출 회복"),
        titled("dhfkzmf: a password nobody should use"),
    ]);
    // As typed, `dhfkzmf` finds one entry; read as 2-set Korean it finds no more, so it stays.
    let r = search(&index, "dhfkzmf");
    assert_eq!((r.hits, r.corrected), (vec![3], None));
    let index = Index::new(vec![titled("오라클, 클라우드 매출 급증"), titled("Oracle earnings call")]);
    let r = search(&index, "dhfkzmf");
    assert_eq!((r.hits.clone(), r.corrected.as_deref()), (vec![0], Some("오라클")));
    assert_eq!(index.highlights(0, "오라클").title, vec![0..9]);
    // Mid-word too: the reader is still typing.
    assert_eq!(search(&index, "dhfkz").corrected.as_deref(), Some("오랔"));
    assert_eq!(search(&index, "dhfkz").hits, vec![0]);
    // Latin typed with the IME on.
    assert_eq!(search(&index, "ㅐㄱㅁ칟").corrected.as_deref(), Some("oracle"));
    assert_eq!(search(&index, "ㅐㄱㅁ칟").hits, vec![1]);
    // A query found as typed is left alone; search_exact never reads the other mode.
    assert_eq!(search(&index, "오라클").corrected, None);
    let as_typed = index.search(&Request { query: "dhfkzmf".into(), as_typed: true, ..Request::default() });
    assert_eq!((as_typed.hits, as_typed.corrected), (vec![], None));
    assert!(index.search_exact(&Request { query: "dhfkzmf".into(), ..Request::default() }).hits.is_empty());
}

#[test]
fn far_more_in_the_other_input_mode_wins_over_a_few_as_typed() {
    let mut entries: Vec<Entry> = (0..12).map(|i| titled(&format!("반도체 소식 {i}"))).collect();
    entries.push(titled("qksehcp is a made-up word"));
    let index = Index::new(entries);
    let r = search(&index, "qksehcp");
    assert_eq!(r.corrected.as_deref(), Some("반도체"));
    assert_eq!(r.hits.len(), 12);
}

#[test]
fn latin_words_of_five_letters_match_within_one_edit_after_exact_matches() {
    let index = Index::new(vec![
        entry("Oracle and the cloud", "", Some("2024-01-01T00:00:00Z")),
        entry("Kubernetes 1.30 출시", "", Some("2024-02-01T00:00:00Z")),
        entry("Oracel is how people misspell it", "", Some("2020-01-01T00:00:00Z")),
        entry("Orcl ticker", "", Some("2024-03-01T00:00:00Z")),
    ]);
    // The exact match first, then the one a typo's correction finds (although it is newer).
    assert_eq!(search(&index, "Oracel").hits, vec![2, 0]);
    assert_eq!(search(&index, "oracle").hits, vec![0, 2]);
    assert_eq!(search(&index, "kubernets").hits, vec![1]);
    assert_eq!(search(&index, "kubernets 출시").hits, vec![1]);
    // The corrected word is what is marked.
    assert_eq!(index.highlights(1, "kubernets").title, vec![0..10]);
    // Four letters are not fuzzed; neither is Korean.
    assert!(search(&index, "Orcle").hits.contains(&0));
    assert!(search(&index, "Orkl").hits.is_empty());
    let korean = Index::new(vec![titled("클라우드")]);
    assert!(search(&korean, "클라우두").hits.is_empty());
    // Date orders keep the typo's matches among the rest, by date.
    let newest = index.search(&Request { query: "oracle".into(), sort: Sort::Newest, ..Request::default() });
    assert_eq!(newest.hits, vec![0, 2]);
}

/// Brute force: every query word occurs in the entry as typed (case-folded), or, if it is a
/// Latin word of five letters or more, one of the entry's Latin words is one edit from it.
#[test]
fn typo_matches_equal_a_brute_force_reference() {
    use super::typos::{eligible, within_one_edit};
    let words = ["oracle", "oracel", "cloud", "clouds", "kubernetes", "kernel", "kernal", "chips", "chip", "반도체"];
    let mut rng = crate::testing::Rng::new(11);
    let entries: Vec<Entry> =
        (0..60).map(|_| titled(&(0..3).map(|_| rng.pick(&words)).collect::<Vec<_>>().join(" "))).collect();
    let index = Index::new(entries.clone());
    for _ in 0..300 {
        let query = (0..1 + rng.below(2)).map(|_| rng.pick(&words)).collect::<Vec<_>>().join(" ");
        let want: Vec<usize> = (0..entries.len())
            .filter(|&i| {
                let title = entries[i].title.to_lowercase();
                query.split_whitespace().all(|w| {
                    title.contains(w)
                        || (eligible(w) && title.split(' ').any(|t| within_one_edit(w.as_bytes(), t.as_bytes())))
                })
            })
            .collect();
        let mut got = search(&index, &query).hits;
        got.sort_unstable();
        assert_eq!(got, want, "{query}");
    }
}

#[test]
fn passages_of_any_text_stay_on_char_boundaries() {
    let text = "가".repeat(400) + " 오라클 " + &"ab ".repeat(200);
    for at in [0, 3, 600, 1_200, 1_205, text.len()] {
        let p = passage(&text, at..at + 7, &[at..at + 7, 0..text.len() + 10]);
        assert!(p.text.chars().count() <= PASSAGE_CHARS + 2 + 1, "{at}");
        assert_ranges_ok(&p.text, &p.marks);
    }
    assert_eq!(passage("", 0..0, &[]).text, "");
}

#[test]
fn a_passage_starts_after_a_sentence_end_and_keeps_its_marks() {
    let body = "서두에 놓인 문장 하나는 검색과 무관하다. 첫 문장은 아무 상관이 없다. 둘째 문장도 그렇다. \
                셋째 문장에서 비로소 오라클과 클라우드 계약이 나온다. 그 뒤로 긴 설명이 이어진다.\n"
        .repeat(3);
    let at = body.find("오라클").unwrap_or(0);
    let p = passage(&body, at..at + 9, &highlight_ranges(&body, "오라클 클라우드"));
    assert!(p.text.starts_with("…셋째 문장에서"), "{}", p.text);
    assert!(p.text.ends_with('…') && !p.text.contains('\n'));
    assert!((100..=160).contains(&p.text.chars().count()), "{}", p.text);
    assert!(marked(&p.text, &p.marks).starts_with(&["오라클", "클라우드"]));
    let short = "  짧은 본문의 오라클.\n";
    let p = passage(short, 19..28, &highlight_ranges(short, "오라클"));
    assert_eq!((p.text.as_str(), marked(&p.text, &p.marks)), ("짧은 본문의 오라클.", vec!["오라클"]));
}
