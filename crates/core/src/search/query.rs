//! Query terms compiled into per-unit matchers (exact, 초성, in-progress syllable), and
//! the search of one term over unit/class streams that the index and highlighter share.

use super::hangul::{
    compose, consonant_atoms, decompose, is_compat_vowel, tail_atoms, tail_without_last, vowel_atoms, Syllable, BLOCK,
    LEAD_JAMO, SYLLABLE_COUNT, SYLLABLE_FIRST,
};
use super::normalize::{class_of, fold, head_of};
use super::scan::{find_pair, find_u16, find_u8};

/// Set of (vowel, tail) combinations, bit `vowel * 28 + tail`.
pub(crate) type Combos = [u64; 10];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Matcher {
    /// This exact unit.
    Lit { unit: u16, class: u8 },
    /// Any syllable with this initial, or the bare compatibility consonant. `initial_hit`
    /// marks a consonant the user typed alone (a 초성 query); a tail that migrated to
    /// the next syllable is typed text, not a 초성 search.
    Initial { class: u8, initial_hit: bool },
    /// A syllable with this initial whose (vowel, tail) is in the set: the syllable
    /// still being typed, which later keystrokes may extend (라 -> 락, 고 -> 과).
    Partial { class: u8, head: u8, combos: Combos },
}

impl Matcher {
    fn class(&self) -> u8 {
        match *self {
            Matcher::Lit { class, .. } | Matcher::Initial { class, .. } | Matcher::Partial { class, .. } => class,
        }
    }

    /// Byte every accepted unit has in the head stream, if there is one.
    fn head(&self) -> Option<u8> {
        match *self {
            Matcher::Lit { unit, .. } => Some(head_of(unit)).filter(|&h| h != 255),
            Matcher::Partial { head, .. } => Some(head),
            Matcher::Initial { .. } => None,
        }
    }
}

/// How a term occurrence matched; `Exact` ranks above `Initial`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    Initial,
    Exact,
}

/// One whitespace-separated query term. Several alternatives arise only from a last
/// syllable with a tail, which may be the next syllable's initial (랔 = 라 + ㅋ...).
/// All alternatives share the class byte at every position below `min_len`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Term {
    pub alts: Vec<Vec<Matcher>>,
    pub min_len: usize,
    /// Initials (bit per lead) typed as bare consonants: an entry can hold an exact
    /// (literal ㅋㅋ) occurrence only if it contains all of them as bare jamo.
    pub bare_needed: u32,
}

/// Split a query on whitespace and compile each term; empty terms vanish.
pub(crate) fn compile(query: &str) -> Vec<Term> {
    let mut terms = Vec::new();
    let mut units: Vec<u16> = Vec::new();
    let mut buf = [0u16; 2];
    let mut flush = |units: &mut Vec<u16>| {
        if let Some(t) = compile_term(units) {
            terms.push(t);
        }
        units.clear();
    };
    fold(query, &mut |c, _| {
        if c == ' ' {
            flush(&mut units);
        } else {
            units.extend_from_slice(c.encode_utf16(&mut buf));
        }
    });
    flush(&mut units);
    terms
}

fn unit_char(u: u16) -> Option<char> {
    char::from_u32(u32::from(u))
}

fn compile_term(units: &[u16]) -> Option<Term> {
    let mut units = units;
    // A vowel left dangling at the end is an IME state that has not combined yet (or
    // a typo); dropping it keeps the results from blinking empty mid-composition.
    while let Some((&last, rest)) = units.split_last() {
        if rest.is_empty() || !unit_char(last).is_some_and(is_compat_vowel) {
            break;
        }
        units = rest;
    }
    let (&last, body) = units.split_last()?;
    let mut prefix = Vec::with_capacity(units.len() + 1);
    for &u in body {
        push_unit(&mut prefix, u);
    }
    let alts = match unit_char(last).and_then(decompose) {
        Some(syl) => last_syllable_alternatives(prefix, syl),
        None => {
            push_unit(&mut prefix, last);
            vec![prefix]
        }
    };
    let min_len = alts.iter().map(Vec::len).min()?;
    if min_len == 0 {
        return None;
    }
    let bare_needed = alts
        .iter()
        .flatten()
        .filter_map(|m| match *m {
            Matcher::Initial { class, initial_hit: true } => Some(1u32 << (class - 1)),
            _ => None,
        })
        .fold(0, |a, b| a | b);
    Some(Term { alts, min_len, bare_needed })
}

fn push_unit(out: &mut Vec<Matcher>, u: u16) {
    let c = unit_char(u);
    match c.filter(|c| ('\u{3131}'..='\u{314E}').contains(c)).and_then(consonant_atoms) {
        Some(atoms) => {
            for &lead in atoms {
                out.push(Matcher::Initial { class: 1 + lead, initial_hit: true });
            }
        }
        None => out.push(Matcher::Lit { unit: u, class: class_of(u) }),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Atom {
    Vowel(u8),
    Consonant(u8),
}

fn atoms_of(vowel: u8, tail: u8) -> impl Iterator<Item = Atom> {
    vowel_atoms(vowel).iter().map(|&v| Atom::Vowel(v)).chain(tail_atoms(tail).iter().map(|&t| Atom::Consonant(t)))
}

fn last_syllable_alternatives(prefix: Vec<Matcher>, syl: Syllable) -> Vec<Vec<Matcher>> {
    let class = 1 + syl.lead;
    let typed: Vec<Atom> = atoms_of(syl.vowel, syl.tail).collect();
    let mut combos = [0u64; 10];
    for vowel in 0..21u8 {
        for tail in 0..28u8 {
            let mut candidate = atoms_of(vowel, tail);
            if typed.iter().all(|a| candidate.next() == Some(*a)) {
                let bit = usize::from(vowel) * 28 + usize::from(tail);
                if let Some(w) = combos.get_mut(bit / 64) {
                    *w |= 1 << (bit % 64);
                }
            }
        }
    }
    let mut alts = Vec::with_capacity(2);
    let mut whole = prefix.clone();
    let Some(head) = compose(Syllable { tail: 0, ..syl }).map(|c| head_of(c as u16)) else { return Vec::new() };
    whole.push(Matcher::Partial { class, head, combos });
    alts.push(whole);
    // The tail's last key may really be the next syllable's initial: 랔 is 라 + ㅋ...,
    // 닭 is 달 + ㄱ... The syllable before it is then complete, so it must be exact.
    if let Some(&moved) = tail_atoms(syl.tail).last() {
        let rest = Syllable { tail: tail_without_last(syl.tail), ..syl };
        if let Some(c) = compose(rest) {
            let mut split = prefix;
            split.push(Matcher::Lit { unit: c as u16, class });
            split.push(Matcher::Initial { class: 1 + moved, initial_hit: false });
            alts.push(split);
        }
    }
    alts
}

/// Whether the syllable at offset `s` from 가 has an allowed (vowel, tail).
fn has_combo(combos: &Combos, s: u32) -> bool {
    let bit = (s % BLOCK) as usize;
    s < SYLLABLE_COUNT && combos.get(bit / 64).is_some_and(|w| (w >> (bit % 64)) & 1 == 1)
}

fn syllable_offset(unit: u16) -> u32 {
    u32::from(unit).wrapping_sub(SYLLABLE_FIRST)
}

fn is_syllable_unit(u: u16) -> bool {
    u32::from(u).wrapping_sub(SYLLABLE_FIRST) < SYLLABLE_COUNT
}

/// Whether every text unit that `narrow` accepts is accepted by `wide`.
fn covers(wide: &Matcher, narrow: &Matcher) -> bool {
    match (*wide, *narrow) {
        (Matcher::Lit { unit: a, .. }, Matcher::Lit { unit: b, .. }) => a == b,
        (Matcher::Lit { unit, class }, Matcher::Partial { class: c, combos, .. }) => {
            class == c
                && has_combo(&combos, syllable_offset(unit))
                && combos.iter().map(|w| w.count_ones()).sum::<u32>() == 1
        }
        (Matcher::Lit { .. }, Matcher::Initial { .. }) => false,
        (Matcher::Initial { class, .. }, n) => class == n.class(),
        (Matcher::Partial { class, combos, .. }, Matcher::Lit { unit, class: c }) => {
            class == c && has_combo(&combos, syllable_offset(unit))
        }
        (Matcher::Partial { class, combos, .. }, Matcher::Partial { class: c, combos: d, .. }) => {
            class == c && combos.iter().zip(d.iter()).all(|(w, n)| n & !w == 0)
        }
        (Matcher::Partial { .. }, Matcher::Initial { .. }) => false,
    }
}

/// Whether every position where `narrow` matches is a position where `wide` matches, so
/// results for `wide` can be re-filtered instead of rescanning the whole collection.
/// Conservative: `false` only costs speed.
pub(crate) fn narrows(narrow: &Term, wide: &Term) -> bool {
    narrow
        .alts
        .iter()
        .all(|n| wide.alts.iter().any(|w| w.len() <= n.len() && w.iter().zip(n.iter()).all(|(a, b)| covers(a, b))))
}

/// What to skim for candidate positions: a byte (or adjacent byte pair) of the class
/// or head stream, or a unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Anchor {
    Class(u8),
    ClassPair(u8, u8),
    Head(u8),
    HeadPair(u8, u8),
    Unit(u16),
    Every,
}

#[derive(Clone, Copy, Debug)]
pub(crate) struct Plan {
    /// Position within the term of the (first) anchored unit.
    pub pos: usize,
    pub anchor: Anchor,
    /// Estimated work over the whole collection; rarer terms are tried first.
    pub cost: u64,
    /// A bare-consonant position and its jamo, to look for literal (exact) occurrences.
    pub literal: Option<(usize, u16)>,
}

impl Plan {
    pub const EVERY: Plan = Plan { pos: 0, anchor: Anchor::Every, cost: u64::MAX, literal: None };
}

/// Collection-wide frequencies of stream bytes, byte pairs and units.
pub(crate) struct Stats {
    class: Vec<u32>,
    class_pair: Vec<u32>,
    head: Vec<u32>,
    head_pair: Vec<u32>,
    unit: Vec<u32>,
    total: u64,
    /// Sampling stride: counts are multiplied by it.
    scale: u64,
}

/// Byte and adjacent-pair counts of one stream.
struct Tally {
    single: Vec<u32>,
    pairs: Vec<u32>,
}

impl Default for Tally {
    fn default() -> Self {
        Tally { single: vec![0; 256], pairs: vec![0; 1 << 16] }
    }
}

impl Tally {
    fn add(&mut self, stream: &[u8]) {
        let mut prev = 0usize;
        for &b in stream {
            let b = usize::from(b);
            if let Some(f) = self.single.get_mut(b) {
                *f = f.saturating_add(1);
            }
            if let Some(f) = self.pairs.get_mut(prev << 8 | b) {
                *f = f.saturating_add(1);
            }
            prev = b;
        }
    }
}

/// Frequencies are estimated from at most this many units (whole entries, evenly spread):
/// anchors only need rough odds, and counting pairs over everything is slow in wasm.
const SAMPLE_UNITS: usize = 1 << 22;

impl Stats {
    /// `starts` delimits entries as in the index (one extra element at the end).
    pub fn gather(units: &[u16], classes: &[u8], heads: &[u8], starts: &[usize]) -> Stats {
        let entries = starts.len().saturating_sub(1);
        let stride = units.len().div_ceil(SAMPLE_UNITS).max(1);
        let mut class = Tally::default();
        let mut head = Tally::default();
        let mut unit = vec![0u32; 1 << 16];
        for d in (0..entries).step_by(stride) {
            let (Some(&lo), Some(&hi)) = (starts.get(d), starts.get(d + 1)) else { break };
            class.add(classes.get(lo..hi).unwrap_or(&[]));
            head.add(heads.get(lo..hi).unwrap_or(&[]));
            for &u in units.get(lo..hi).unwrap_or(&[]) {
                if let Some(f) = unit.get_mut(usize::from(u)) {
                    *f = f.saturating_add(1);
                }
            }
        }
        Stats {
            class: class.single,
            class_pair: class.pairs,
            head: head.single,
            head_pair: head.pairs,
            unit,
            total: units.len() as u64,
            scale: stride as u64,
        }
    }

    /// Rough cost model: every anchor hit costs a verification (~16 word steps), and the
    /// skim itself reads the stream a word at a time; pairs and units read more bytes.
    fn cost(&self, table: &[u32], key: usize, scan_weight: u64) -> u64 {
        let hits = u64::from(table.get(key).copied().unwrap_or(0)) * self.scale;
        hits * 16 + self.total * scan_weight / 16
    }
}

/// Pick the cheapest anchor for the term by collection-wide frequencies.
pub(crate) fn plan(term: &Term, stats: &Stats) -> Plan {
    let at = |pos: usize| -> Vec<Matcher> { term.alts.iter().filter_map(|a| a.get(pos).copied()).collect() };
    let shared = |ms: &[Matcher], f: &dyn Fn(&Matcher) -> Option<u8>| -> Option<u8> {
        let first = f(ms.first()?)?;
        ms.iter().all(|m| f(m) == Some(first)).then_some(first)
    };
    let class = |m: &Matcher| Some(m.class());
    let head = |m: &Matcher| m.head();
    let mut best = Plan::EVERY;
    let mut consider = |pos: usize, anchor: Anchor, cost: u64| {
        if cost < best.cost {
            best = Plan { pos, anchor, cost, literal: None };
        }
    };
    for pos in 0..term.min_len {
        let here = at(pos);
        let next = if pos + 1 < term.min_len { at(pos + 1) } else { Vec::new() };
        if let Some(c) = shared(&here, &class) {
            consider(pos, Anchor::Class(c), stats.cost(&stats.class, usize::from(c), 2));
            if let Some(d) = shared(&next, &class) {
                let key = usize::from(c) << 8 | usize::from(d);
                consider(pos, Anchor::ClassPair(c, d), stats.cost(&stats.class_pair, key, 3));
            }
        }
        if let Some(h) = shared(&here, &head) {
            consider(pos, Anchor::Head(h), stats.cost(&stats.head, usize::from(h), 2));
            if let Some(g) = shared(&next, &head) {
                let key = usize::from(h) << 8 | usize::from(g);
                consider(pos, Anchor::HeadPair(h, g), stats.cost(&stats.head_pair, key, 3));
            }
        }
        if let [Matcher::Lit { unit, .. }, rest @ ..] = here.as_slice() {
            if *unit >= 0x80 && rest.iter().all(|m| matches!(m, Matcher::Lit { unit: u, .. } if u == unit)) {
                consider(pos, Anchor::Unit(*unit), stats.cost(&stats.unit, usize::from(*unit), 4));
            }
        }
    }
    best.literal = term.alts.first().and_then(|alt| {
        alt.iter().take(term.min_len).enumerate().find_map(|(pos, m)| match *m {
            Matcher::Initial { class, initial_hit: true } => {
                LEAD_JAMO.get(usize::from(class - 1)).map(|&j| (pos, j as u16))
            }
            _ => None,
        })
    });
    best
}

/// Parallel unit and class streams; fields are separated by unit 0 / class 0, which no
/// matcher accepts, so an occurrence never straddles two fields.
#[derive(Clone, Copy)]
pub(crate) struct Hay<'a> {
    pub units: &'a [u16],
    pub classes: &'a [u8],
    pub heads: &'a [u8],
    /// Tell a bare-consonant hit (ㅋ on ㅋㅋ, exact) from a syllable hit (ㅋ on 클,
    /// initial). Off, every bare-consonant matcher reports `Initial` without reading
    /// the units, which is all a first pass needs.
    pub precise: bool,
}

impl Hay<'_> {
    /// Each matcher reads only the stream it needs: the streams are far larger than
    /// the CPU cache, and every extra one touched costs a memory miss per entry.
    fn verify(&self, alt: &[Matcher], start: usize) -> Option<Kind> {
        let mut kind = Kind::Exact;
        for (j, m) in alt.iter().enumerate() {
            let at = start + j;
            match *m {
                Matcher::Lit { unit, .. } => {
                    if *self.units.get(at)? != unit {
                        return None;
                    }
                }
                Matcher::Initial { class, initial_hit } => {
                    if *self.classes.get(at)? != class {
                        return None;
                    }
                    if initial_hit && (!self.precise || is_syllable_unit(*self.units.get(at)?)) {
                        kind = Kind::Initial;
                    }
                }
                Matcher::Partial { class, ref combos, .. } => {
                    let s = u32::from(*self.units.get(at)?).wrapping_sub(SYLLABLE_FIRST);
                    if s >= SYLLABLE_COUNT || s / BLOCK + 1 != u32::from(class) || !has_combo(combos, s) {
                        return None;
                    }
                }
            }
        }
        Some(kind)
    }

    /// Best kind and longest length of the term's alternatives matching at `start`
    /// without reaching past `hi`.
    pub fn match_at(&self, term: &Term, start: usize, hi: usize) -> Option<(Kind, usize)> {
        let mut best: Option<(Kind, usize)> = None;
        for alt in &term.alts {
            if start + alt.len() > hi {
                continue;
            }
            if let Some(kind) = self.verify(alt, start) {
                let cand = (kind, alt.len());
                best = Some(best.map_or(cand, |b| b.max(cand)));
            }
        }
        best
    }

    /// First occurrence starting at or after `max(lo, from)` and ending by `hi`:
    /// (start, kind, length).
    pub fn find(&self, term: &Term, plan: &Plan, lo: usize, hi: usize, from: usize) -> Option<(usize, Kind, usize)> {
        let mut start = lo.max(from);
        let last_start = hi.checked_sub(term.min_len)?;
        let k = plan.pos;
        while start <= last_start {
            let window = start + k..last_start + k + 1;
            // Pair anchors need the byte after the last anchor position too; it exists
            // because the anchor is never the term's last unit.
            let pairs = start + k..last_start + k + 2;
            let skip = match plan.anchor {
                Anchor::Class(b) => find_u8(self.classes.get(window)?, b)?,
                Anchor::ClassPair(a, b) => find_pair(self.classes.get(pairs)?, a, b)?,
                Anchor::Head(h) => find_u8(self.heads.get(window)?, h)?,
                Anchor::HeadPair(a, b) => find_pair(self.heads.get(pairs)?, a, b)?,
                Anchor::Unit(u) => find_u16(self.units.get(window)?, u)?,
                Anchor::Every => 0,
            };
            start += skip;
            if let Some((kind, len)) = self.match_at(term, start, hi) {
                return Some((start, kind, len));
            }
            start += 1;
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(q: &str) -> Term {
        let mut t = compile(q);
        assert_eq!(t.len(), 1, "{q}");
        t.remove(0)
    }

    #[test]
    fn splits_on_any_whitespace_after_folding() {
        assert_eq!(compile("  오라클\u{3000}ＡＩ\tx ").len(), 3);
        assert!(compile(" \u{3000} ").is_empty());
    }

    #[test]
    fn syllables_before_the_last_are_exact_and_the_last_is_partial() {
        let t = one("오라");
        assert_eq!(t.alts.len(), 1);
        assert!(matches!(t.alts[0][0], Matcher::Lit { unit, .. } if unit == '오' as u16));
        assert!(matches!(t.alts[0][1], Matcher::Partial { .. }));
        assert_eq!(t.bare_needed, 0);
    }

    #[test]
    fn a_last_tail_yields_a_split_alternative() {
        let t = one("닭");
        assert_eq!(t.alts.len(), 2);
        assert_eq!(t.alts[1][0], Matcher::Lit { unit: '달' as u16, class: class_of('달' as u16) });
        assert_eq!(t.alts[1][1], Matcher::Initial { class: 1, initial_hit: false });
        assert_eq!(t.min_len, 1);
    }

    #[test]
    fn lone_consonants_and_clusters_become_initials() {
        let t = one("ㅇㄳ");
        assert_eq!(t.alts[0].len(), 3);
        assert!(t.alts[0].iter().all(|m| matches!(m, Matcher::Initial { initial_hit: true, .. })));
        assert_eq!(t.bare_needed, 1 << 11 | 1 << 0 | 1 << 9);
    }

    #[test]
    fn dangling_vowels_are_dropped_but_a_lone_vowel_stays() {
        assert_eq!(one("오라ㅏ"), one("오라"));
        assert_eq!(one("ㅠ").alts[0].len(), 1);
    }

    #[test]
    fn extending_a_term_narrows_it() {
        let pairs = [("오", "오라"), ("오라", "오랔"), ("오랔", "오라크"), ("ㄱ", "가"), ("각", "가가"), ("ab", "abc")];
        for (wide, narrow) in pairs {
            assert!(narrows(&one(narrow), &one(wide)), "{narrow} within {wide}");
        }
        // 각 alone is not "가 followed by a ㄱ-initial syllable".
        assert!(!narrows(&one("각"), &one("가ㄱ")));
        assert!(!narrows(&one("오"), &one("오라")));
        assert!(!narrows(&one("가"), &one("각")));
    }

    fn hay_of(text: &str) -> (Vec<u16>, Vec<u8>, Vec<u8>) {
        let mut units = Vec::new();
        let mut buf = [0u16; 2];
        fold(text, &mut |c, _| units.extend_from_slice(c.encode_utf16(&mut buf)));
        let classes = units.iter().map(|&u| class_of(u)).collect();
        let heads = units.iter().map(|&u| head_of(u)).collect();
        (units, classes, heads)
    }

    fn find_in(text: &str, q: &str) -> Option<(usize, Kind, usize)> {
        let (units, classes, heads) = hay_of(text);
        let hay = Hay { units: &units, classes: &classes, heads: &heads, precise: true };
        hay.find(&one(q), &Plan::EVERY, 0, units.len(), 0)
    }

    #[test]
    fn find_reports_start_kind_and_length() {
        assert_eq!(find_in("한국 오라클은", "라클"), Some((4, Kind::Exact, 2)));
        assert_eq!(find_in("오라클", "ㅇㄹㅋ"), Some((0, Kind::Initial, 3)));
        assert_eq!(find_in("ㅋㅋ 클", "ㅋ"), Some((0, Kind::Exact, 1)));
        assert_eq!(find_in("오라클", "오랔"), Some((0, Kind::Exact, 3)));
        assert_eq!(find_in("가나", "각"), None);
    }

    #[test]
    fn anchored_find_agrees_with_unanchored() {
        let text = "클라우드 오라클 데이터 클라우드는 ai 오라클은 ㅋㅋ 과자 고래 닭 달걀 😀a 중국中国";
        let (units, classes, heads) = hay_of(text);
        let hay = Hay { units: &units, classes: &classes, heads: &heads, precise: true };
        let stats = Stats::gather(&units, &classes, &heads, &[0, units.len()]);
        let mut anchors = Vec::new();
        for q in [
            "클라",
            "ㅋㄹㅇㄷ",
            "오라클은",
            "ai",
            "오랔",
            "데이",
            "ㅇ라",
            "고",
            "닭",
            "ㅋ",
            "😀a",
            "中国",
            "클라우드는",
            "ㄷ걀",
            "a",
        ] {
            let t = one(q);
            let p = plan(&t, &stats);
            assert_ne!(p.anchor, Anchor::Every, "{q}");
            let kind = std::mem::discriminant(&p.anchor);
            if !anchors.contains(&kind) {
                anchors.push(kind);
            }
            let mut from = 0;
            loop {
                let a = hay.find(&t, &p, 0, units.len(), from);
                let b = hay.find(&t, &Plan::EVERY, 0, units.len(), from);
                assert_eq!(a, b, "{q} from {from} via {:?}", p.anchor);
                match a {
                    Some((s, _, _)) => from = s + 1,
                    None => break,
                }
            }
        }
        // The queries above exercise several anchor kinds, not just one.
        assert!(anchors.len() >= 3, "{anchors:?}");
    }

    #[test]
    fn literal_anchor_points_at_a_bare_consonant() {
        let t = one("오ㄹㅋ");
        let stats = Stats::gather(&[], &[], &[], &[0]);
        assert_eq!(plan(&t, &stats).literal, Some((1, 'ㄹ' as u16)));
        assert_eq!(plan(&one("오라"), &stats).literal, None);
    }
}
