//! One stable sort for the whole crate, small in wasm.
//!
//! Every `slice::sort_by` call with its own element type and comparator
//! instantiates the standard library's driftsort anew: about 5 KB of wasm
//! each, 110 KB before optimisation over the crate's twenty call sites,
//! which alone pushed the package over its 350 KB gzip budget. In wasm,
//! [`stable_sort_by`] therefore sorts a vector of indices with one merge
//! sort that is compiled once (the comparator is a `dyn` closure) and then
//! moves the elements into place; natively, where size does not matter,
//! it is the standard library's sort. Both are stable, and a stable sort's
//! result is fully determined by the comparator, so reports stay
//! byte-identical between native and wasm (`tests/core/determinism.rs`).
//!
//! The hot sorts (n-gram hashes in the profile stage) are unstable sorts
//! of plain integers and keep the standard library's code everywhere.

use std::cmp::Ordering;

/// Sorts `items` stably by `compare` (like `slice::sort_by`).
pub fn stable_sort_by<T, F>(items: &mut [T], mut compare: F)
where
    F: FnMut(&T, &T) -> Ordering,
{
    #[cfg(target_arch = "wasm32")]
    compact_stable_sort_by(items, &mut compare);
    #[cfg(not(target_arch = "wasm32"))]
    items.sort_by(&mut compare);
}

/// Sorts `items` stably by the key `key` (like `slice::sort_by_key`).
pub fn stable_sort_by_key<T, K: Ord, F: FnMut(&T) -> K>(items: &mut [T], mut key: F) {
    stable_sort_by(items, |a, b| key(a).cmp(&key(b)));
}

/// The wasm path, compiled on every target so native tests check it.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
fn compact_stable_sort_by<T>(items: &mut [T], compare: &mut dyn FnMut(&T, &T) -> Ordering) {
    if items.len() < 2 {
        return;
    }
    let mut order: Vec<usize> = (0..items.len()).collect();
    merge_sort_indices(&mut order, &mut |a, b| {
        compare(&items[a], &items[b]) == Ordering::Greater
    });
    permute(items, &mut order);
}

/// Bottom-up merge sort of `order`; `greater(a, b)` says index `a`'s item
/// must come after index `b`'s. Stable: ties keep the left run's item first.
/// Not generic, so it exists once in the binary.
fn merge_sort_indices(order: &mut Vec<usize>, greater: &mut dyn FnMut(usize, usize) -> bool) {
    const INSERTION_RUN: usize = 16;
    let n = order.len();
    for run in order.chunks_mut(INSERTION_RUN) {
        for i in 1..run.len() {
            let mut j = i;
            while j > 0 && greater(run[j - 1], run[j]) {
                run.swap(j - 1, j);
                j -= 1;
            }
        }
    }
    let mut from = std::mem::take(order);
    let mut into = vec![0usize; n];
    let mut width = INSERTION_RUN;
    while width < n {
        for start in (0..n).step_by(2 * width) {
            let mid = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (mut left, mut right) = (start, mid);
            for slot in &mut into[start..end] {
                let take_right = right < end && (left == mid || greater(from[left], from[right]));
                if take_right {
                    *slot = from[right];
                    right += 1;
                } else {
                    *slot = from[left];
                    left += 1;
                }
            }
        }
        std::mem::swap(&mut from, &mut into);
        width *= 2;
    }
    *order = from;
}

/// Rearranges `items` so that `items[i]` becomes the old `items[order[i]]`,
/// in place by following each cycle of the permutation (`order` is used up).
fn permute<T>(items: &mut [T], order: &mut [usize]) {
    for start in 0..items.len() {
        let mut at = start;
        while order[at] != start {
            let next = order[at];
            items.swap(at, next);
            order[at] = at;
            at = next;
        }
        order[at] = at;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_cases() {
        // (input, expected) sorted by the first field only: ties keep input order.
        type Items = &'static [(u8, char)];
        let cases: &[(Items, Items)] = &[
            (&[], &[]),
            (&[(1, 'a')], &[(1, 'a')]),
            (&[(2, 'a'), (1, 'b')], &[(1, 'b'), (2, 'a')]),
            (
                &[(1, 'a'), (0, 'b'), (1, 'c'), (0, 'd')],
                &[(0, 'b'), (0, 'd'), (1, 'a'), (1, 'c')],
            ),
            (
                &[(3, 'a'), (3, 'b'), (3, 'c')],
                &[(3, 'a'), (3, 'b'), (3, 'c')],
            ),
        ];
        for (input, expected) in cases {
            let mut v = input.to_vec();
            compact_stable_sort_by(&mut v, &mut |a, b| a.0.cmp(&b.0));
            assert_eq!(&v[..], *expected, "input {input:?}");
        }
    }

    // proptest is a native-only dev-dependency.
    #[cfg(not(target_arch = "wasm32"))]
    proptest::proptest! {
        /// The compact sort is the standard stable sort: same order, ties
        /// included (few distinct keys, so there are many ties; lengths
        /// span several merge passes).
        #[test]
        fn compact_sort_equals_std_stable_sort(
            keys in proptest::collection::vec(0u8..6, 0..300),
            descending in proptest::prelude::any::<bool>(),
        ) {
            let items: Vec<(u8, usize)> = keys.into_iter().enumerate().map(|(i, k)| (k, i)).collect();
            let compare = |a: &(u8, usize), b: &(u8, usize)| if descending { b.0.cmp(&a.0) } else { a.0.cmp(&b.0) };
            let mut expected = items.clone();
            expected.sort_by(compare);
            let mut got = items;
            compact_stable_sort_by(&mut got, &mut |a, b| compare(a, b));
            proptest::prop_assert_eq!(got, expected);
        }
    }
}
