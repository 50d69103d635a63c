//! The one sort the shipped binary contains. Each `sort_by` with its own closure or element
//! type compiles the whole of the standard library's sort again (1.5–3 KB of wasm each);
//! every sort here goes through one comparator-driven index sort instead.

use std::cmp::Ordering;

/// Sorts keys (ranks, packed scores) ascending.
pub fn keys<T: Ord>(keys: &mut Vec<T>) {
    stable_by(keys, &|a, b| a.cmp(b));
}

/// Sorts `items` by `cmp`, keeping equal items in their original order.
pub fn stable_by<T>(items: &mut Vec<T>, cmp: &dyn Fn(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let order = permutation(items.len(), &|a, b| cmp(&items[a], &items[b]));
    let mut slots: Vec<Option<T>> = items.drain(..).map(Some).collect();
    items.extend(order.into_iter().filter_map(|i| slots.get_mut(i as usize).and_then(Option::take)));
}

/// The positions of `len` items in sorted order; ties keep their positions' order.
fn permutation(len: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<u32> {
    let mut order: Vec<u32> = (0..len as u32).collect();
    order.sort_unstable_by(|&a, &b| cmp(a as usize, b as usize).then(a.cmp(&b)));
    order
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stable_by_orders_and_keeps_ties_in_place() {
        let mut v = vec![(3, 'a'), (1, 'b'), (3, 'c'), (2, 'd'), (1, 'e')];
        stable_by(&mut v, &|x, y| x.0.cmp(&y.0));
        assert_eq!(v, vec![(1, 'b'), (1, 'e'), (2, 'd'), (3, 'a'), (3, 'c')]);
        let mut v: Vec<String> = Vec::new();
        stable_by(&mut v, &|x, y| x.cmp(y));
        assert!(v.is_empty());
    }

    #[test]
    fn stable_by_matches_the_standard_stable_sort() {
        // A fixed pseudo-random sequence with many ties.
        let mut seed = 0x2545_F491_4F6C_DD1Du64;
        let mut v: Vec<(u8, usize)> = (0..500)
            .map(|i| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                ((seed % 17) as u8, i)
            })
            .collect();
        let mut expected = v.clone();
        expected.sort_by_key(|p| p.0);
        stable_by(&mut v, &|x, y| x.0.cmp(&y.0));
        assert_eq!(v, expected);
    }

    #[test]
    fn keys_sort_ascending() {
        let mut k = vec![5u64, u64::MAX, 0, 5, 3];
        keys(&mut k);
        assert_eq!(k, vec![0, 3, 5, 5, u64::MAX]);
    }
}
