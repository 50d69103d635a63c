//! Read more cards when the source names none: the posts that share the most tags with a post,
//! newest first among equals.
//!
//! Linear in the number of posts: each post looks at no more than [`PER_TAG`] of the newest
//! posts of each of its tags, so a tag that ten thousand posts share costs no more than a rare one.

use std::collections::HashMap;

/// Cards per article unless `--related` says otherwise.
pub const DEFAULT_COUNT: usize = 4;

/// How many of a tag's newest posts are candidates for each post that has the tag.
const PER_TAG: usize = 64;

/// Tags per post that count (the format keeps 100).
const TAGS: usize = 100;

/// For each post (its tags and publication time), up to `count` others: most shared tags
/// first, then newest, then the source's order. Tags match without regard to case.
pub fn pick(posts: &[(Vec<String>, Option<i64>)], count: usize) -> Vec<Vec<usize>> {
    if count == 0 {
        return vec![Vec::new(); posts.len()];
    }
    let newest = |i: usize| (std::cmp::Reverse(posts[i].1.map(|w| (1, w)).unwrap_or((0, 0))), i);
    let mut by_tag: HashMap<String, Vec<usize>> = HashMap::new();
    let keys: Vec<Vec<String>> = posts
        .iter()
        .map(|(tags, _)| {
            let mut k: Vec<String> =
                tags.iter().take(TAGS).map(|t| t.trim().to_lowercase()).filter(|t| !t.is_empty()).collect();
            k.sort();
            k.dedup();
            k
        })
        .collect();
    for (i, tags) in keys.iter().enumerate() {
        for t in tags {
            by_tag.entry(t.clone()).or_default().push(i);
        }
    }
    for list in by_tag.values_mut() {
        list.sort_by_key(|&i| newest(i));
    }
    keys.iter()
        .enumerate()
        .map(|(i, tags)| {
            let mut shared: HashMap<usize, usize> = HashMap::new();
            for t in tags {
                let Some(list) = by_tag.get(t) else { continue };
                for &j in list.iter().filter(|&&j| j != i).take(PER_TAG) {
                    *shared.entry(j).or_default() += 1;
                }
            }
            let mut found: Vec<(usize, usize)> = shared.into_iter().collect();
            found.sort_by_key(|&(j, n)| (std::cmp::Reverse(n), newest(j)));
            found.into_iter().take(count).map(|(j, _)| j).collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn post(tags: &[&str], when: Option<i64>) -> (Vec<String>, Option<i64>) {
        (tags.iter().map(|t| t.to_string()).collect(), when)
    }

    #[test]
    fn most_shared_tags_then_newest() {
        let posts = vec![
            post(&["AI", "클라우드"], Some(10)),
            post(&["ai"], Some(50)),
            post(&["AI", "클라우드"], Some(5)),
            post(&["보안"], Some(100)),
            post(&["AI"], None),
            post(&["ai"], Some(40)),
        ];
        let picks = pick(&posts, 3);
        assert_eq!(picks[0], vec![2, 1, 5]);
        assert_eq!(picks[3], Vec::<usize>::new());
        assert_eq!(picks[4], vec![1, 5, 0]);
        assert_eq!(pick(&posts, 0)[0], Vec::<usize>::new());
    }

    #[test]
    fn one_tag_shared_by_many_stays_linear() {
        let posts: Vec<_> = (0..20_000).map(|i| post(&["뉴스"], Some(i))).collect();
        let picks = pick(&posts, 4);
        assert_eq!(picks[0], vec![19_999, 19_998, 19_997, 19_996]);
        assert_eq!(picks[19_999], vec![19_998, 19_997, 19_996, 19_995]);
    }
}
