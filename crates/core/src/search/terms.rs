//! Compiled query terms for code outside the in-memory index: the static archive
//! (`crate::archive`) and its builder in the publishing program. They match the very same
//! terms with the very same matchers (`query`), but against one *token* at a time.
//!
//! A token is a maximal run of folded units without a space inside one searched field.
//! No matcher accepts a space or the field separator (the query is split on spaces before
//! it is compiled), so a term occurs in an entry exactly when it occurs inside one of the
//! entry's tokens: the whole of matching can be decided on the collection's vocabulary.

use super::hangul::{tail_atoms, vowel_atoms, BLOCK};
use super::normalize::{class_of, fold, head_of};
use super::query::{compile, narrows, Hay, Kind, Matcher, Plan, Term};
use super::Entry;

/// One whitespace-separated term of a query, compiled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueryTerm(Term);

/// The terms of `query`, in order, duplicates kept (each counts in relevance).
pub fn query_terms(query: &str) -> Vec<QueryTerm> {
    compile(query).into_iter().map(QueryTerm).collect()
}

impl QueryTerm {
    /// Canonical bytes: two terms with the same key match the same tokens the same way.
    /// Per alternative its length, then per matcher: a literal `0, unit (LE)`; an initial
    /// `1 | typed_alone << 1, class`; a syllable being typed `4, class, typed (vowel * 28 +
    /// tail, LE)`.
    pub fn key(&self) -> Vec<u8> {
        let mut out = vec![self.0.alts.len() as u8];
        for alt in &self.0.alts {
            out.push(alt.len() as u8);
            for m in alt {
                match *m {
                    Matcher::Lit { unit, .. } => out.extend([0, unit as u8, (unit >> 8) as u8]),
                    Matcher::Initial { class, initial_hit } => out.extend([1 | u8::from(initial_hit) << 1, class]),
                    Matcher::Partial { class, ref combos, .. } => {
                        let typed = typed_combo(combos);
                        out.extend([4, class, typed as u8, (typed >> 8) as u8]);
                    }
                }
            }
        }
        out
    }

    /// The fewest units an occurrence spans.
    pub fn min_len(&self) -> usize {
        self.0.min_len
    }

    /// The class bytes of the first two positions, which every alternative shares
    /// (`None` for a one-unit term).
    pub fn first_classes(&self) -> Option<[u8; 2]> {
        let alt = self.0.alts.first()?;
        (self.0.min_len >= 2).then(|| [class(&alt[0]), class(&alt[1])])
    }

    /// The class byte of each position below `min_len` (all alternatives agree there).
    pub fn classes(&self) -> Vec<u8> {
        self.0.alts.first().map_or(Vec::new(), |alt| alt.iter().take(self.0.min_len).map(class).collect())
    }

    /// Whether the term occurs in `token` (folded units), and if so whether some
    /// occurrence is exact (every consonant typed alone stands on a bare consonant there),
    /// which is what ranks exact hits above 초성 hits.
    pub fn match_token(&self, token: &[u16]) -> Option<bool> {
        let (classes, heads) = token_streams(token);
        self.match_streams(token, &classes, &heads)
    }

    /// [`QueryTerm::match_token`] with the token's [`token_streams`] computed once by the
    /// caller (the builder matches each token against many terms).
    pub fn match_streams(&self, token: &[u16], classes: &[u8], heads: &[u8]) -> Option<bool> {
        let hay = Hay { units: token, classes, heads, precise: true };
        let mut from = 0;
        let mut found = None;
        while let Some((start, kind, _)) = hay.find(&self.0, &Plan::EVERY, 0, token.len(), from) {
            if kind == Kind::Exact {
                return Some(true);
            }
            found = Some(false);
            from = start + 1;
        }
        found
    }

    /// Whether every token this term matches is matched by `wide` too (typing on).
    pub fn narrows(&self, wide: &QueryTerm) -> bool {
        narrows(&self.0, &wide.0)
    }
}

fn class(m: &Matcher) -> u8 {
    match *m {
        Matcher::Lit { class, .. } | Matcher::Initial { class, .. } | Matcher::Partial { class, .. } => class,
    }
}

/// The syllable as typed, `vowel * 28 + tail`: of all the combinations a syllable being
/// typed accepts, the one with the fewest keys.
fn typed_combo(combos: &super::query::Combos) -> u16 {
    let keys = |bit: u32| vowel_atoms((bit / 28) as u8).len() + tail_atoms((bit % 28) as u8).len();
    (0..BLOCK)
        .filter(|&bit| combos.get(bit as usize / 64).is_some_and(|w| (w >> (bit % 64)) & 1 == 1))
        .min_by_key(|&bit| keys(bit))
        .unwrap_or(0) as u16
}

/// The searched fields of an entry, title first, as the in-memory index reads them.
pub fn searched_fields(e: &Entry) -> impl Iterator<Item = &String> {
    super::index::fields(e)
}

/// The class and head bytes of every unit of a token, as the matchers read them.
pub fn token_streams(token: &[u16]) -> (Vec<u8>, Vec<u8>) {
    (token.iter().map(|&u| class_of(u)).collect(), token.iter().map(|&u| head_of(u)).collect())
}

/// Calls `out` with every token of one field (folded UTF-16 units, never empty).
pub fn field_tokens(text: &str, out: &mut dyn FnMut(&[u16])) {
    let mut units: Vec<u16> = Vec::new();
    let mut buf = [0u16; 2];
    fold(text, &mut |c, _| {
        if c == ' ' {
            if !units.is_empty() {
                out(&units);
                units.clear();
            }
        } else {
            units.extend_from_slice(c.encode_utf16(&mut buf));
        }
    });
    if !units.is_empty() {
        out(&units);
    }
}

/// The class byte of a folded unit (`normalize::class_of`): what 초성 matching compares.
pub fn unit_class(unit: u16) -> u8 {
    class_of(unit)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(q: &str) -> QueryTerm {
        let mut t = query_terms(q);
        assert_eq!(t.len(), 1);
        t.remove(0)
    }

    fn tokens(text: &str) -> Vec<Vec<u16>> {
        let mut v = Vec::new();
        field_tokens(text, &mut |t| v.push(t.to_vec()));
        v
    }

    #[test]
    fn keys_tell_terms_apart_and_agree_on_equal_ones() {
        assert_eq!(one("오라").key(), one("오라ㅏ").key());
        assert_eq!(one("ㄳ").key(), one("ㄱㅅ").key());
        assert_ne!(one("오라").key(), one("오락").key());
        assert_ne!(one("ㅋ").key(), one("크").key());
        // 랔's split alternative ends in a moved tail, not a typed consonant.
        assert_ne!(one("랔").key(), one("라ㅋ").key());
        assert_eq!(one("ａｉ").key(), one("AI").key());
    }

    #[test]
    fn tokens_split_on_folded_spaces() {
        assert_eq!(tokens("오라클\u{3000}ＡＩ  x").len(), 3);
        assert!(tokens("   ").is_empty());
    }

    #[test]
    fn matching_a_token_reports_exactness() {
        let t = |s: &str| tokens(s).remove(0);
        assert_eq!(one("라클").match_token(&t("오라클은")), Some(true));
        assert_eq!(one("ㅇㄹㅋ").match_token(&t("오라클")), Some(false));
        assert_eq!(one("ㅋ").match_token(&t("ㅋㅋ")), Some(true));
        assert_eq!(one("오랔").match_token(&t("오라클")), Some(true));
        assert_eq!(one("오랔").match_token(&t("오라도")), None);
        assert_eq!(one("ㅇㄹ").first_classes(), Some([12, 6]));
        assert_eq!(one("오").first_classes(), None);
    }
}
