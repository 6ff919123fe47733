//! Counting n-gram occurrences: buffered keys sorted once (a bucket sort
//! on the hashes' top bits), sorted runs spilled into a hash map past
//! [`FLUSH_ITEMS`], and the lossy pruning that bounds a table's size.

use std::collections::BTreeMap;

use crate::features::KeyMap;

/// A cap of 0 means "no cap" (a hand-built or default profile).
pub(super) fn effective_cap(cap: usize) -> usize {
    if cap == 0 {
        usize::MAX
    } else {
        cap
    }
}

pub(super) fn prune_btree(table: &mut BTreeMap<u64, u32>, cap: usize) -> bool {
    let mut pruned = false;
    while table.len() > cap {
        pruned = true;
        let Some(min) = table.values().copied().min() else {
            break;
        };
        table.retain(|_, v| *v > min);
    }
    pruned
}

/// Keys buffered before they are sorted and folded into the spill map:
/// 2^20 items (8 or 16 MB) bounds the memory of one table's buffer.
const FLUSH_ITEMS: usize = 1 << 20;

/// An n-gram occurrence: its key and where it starts (word index, or 0
/// for character n-grams, whose position is never needed).
pub(super) trait Occurrence: Copy + Ord {
    fn key(&self) -> u64;
    fn pos(&self) -> u32;
}

impl Occurrence for u64 {
    fn key(&self) -> u64 {
        *self
    }
    fn pos(&self) -> u32 {
        0
    }
}

impl Occurrence for (u64, u32) {
    fn key(&self) -> u64 {
        self.0
    }
    fn pos(&self) -> u32 {
        self.1
    }
}

/// Counts n-gram keys by buffering them and sorting once, instead of a
/// hash-map update per n-gram: for the short texts that are the common
/// case, pushing to a vector and one sort are several times faster, and
/// the result comes out in key order, ready for the `BTreeMap`. A text
/// longer than [`FLUSH_ITEMS`] n-grams spills sorted runs into a hash map
/// (pruned to the cap), so memory stays bounded.
pub(super) struct SortCounter<T> {
    buf: Vec<T>,
    spill: KeyMap<(u32, u32)>,
    cap: usize,
    pruned: bool,
}

impl<T: Occurrence> SortCounter<T> {
    pub(super) fn new(cap: usize, expected: usize) -> Self {
        SortCounter {
            buf: Vec::with_capacity(expected.min(FLUSH_ITEMS)),
            spill: KeyMap::default(),
            cap,
            pruned: false,
        }
    }

    #[inline]
    pub(super) fn push(&mut self, item: T) {
        self.buf.push(item);
        if self.buf.len() >= FLUSH_ITEMS {
            self.flush();
        }
    }

    /// Sorted `(key, count, first position)` runs of the buffer.
    fn runs(buf: &mut Vec<T>) -> Vec<(u64, u32, u32)> {
        let sorted = bucket_sort(buf);
        let mut out: Vec<(u64, u32, u32)> = Vec::with_capacity(sorted.len() / 2 + 1);
        for item in sorted.iter() {
            match out.last_mut() {
                Some(last) if last.0 == item.key() => last.1 = last.1.saturating_add(1),
                _ => out.push((item.key(), 1, item.pos())),
            }
        }
        out
    }

    fn flush(&mut self) {
        for (key, count, pos) in Self::runs(&mut self.buf) {
            let e = self.spill.entry(key).or_insert((0, pos));
            e.0 = e.0.saturating_add(count);
        }
        self.buf.clear();
        self.pruned |= prune_hash(&mut self.spill, self.cap);
    }

    /// `(key, count, first position)` in key order, and whether the cap
    /// made it drop items.
    pub(super) fn finish(mut self) -> (Vec<(u64, u32, u32)>, bool) {
        let mut items = if self.spill.is_empty() {
            Self::runs(&mut self.buf)
        } else {
            self.flush();
            let mut v: Vec<(u64, u32, u32)> = self
                .spill
                .into_iter()
                .map(|(k, (c, p))| (k, c, p))
                .collect();
            v.sort_unstable();
            v
        };
        while items.len() > self.cap {
            self.pruned = true;
            let Some(min) = items.iter().map(|i| i.1).min() else {
                break;
            };
            items.retain(|i| i.1 > min);
        }
        (items, self.pruned)
    }
}

/// Sorts occurrences whose keys are uniformly distributed hashes: one
/// counting pass distributes them into about n/4 buckets by the top bits
/// of the key, then each small bucket is insertion-sorted. The keys'
/// uniformity makes this about three times faster than a comparison sort
/// of the whole slice, and sorting the n-gram buffers is the largest cost
/// of a profile. Returns the sorted occurrences.
fn bucket_sort<T: Occurrence>(buf: &mut Vec<T>) -> Vec<T> {
    let n = buf.len();
    if n < 64 {
        buf.sort_unstable();
        return std::mem::take(buf);
    }
    let bits = (usize::BITS - n.leading_zeros() - 2).min(16);
    let shift = 64 - bits;
    // ends[b] becomes the start of bucket b, then (after the scatter) its end.
    let mut ends = vec![0usize; 1usize << bits];
    for x in buf.iter() {
        ends[(x.key() >> shift) as usize] += 1;
    }
    let mut total = 0;
    for e in ends.iter_mut() {
        let count = *e;
        *e = total;
        total += count;
    }
    let mut sorted = buf.clone();
    for &x in buf.iter() {
        let b = (x.key() >> shift) as usize;
        sorted[ends[b]] = x;
        ends[b] += 1;
    }
    let mut start = 0;
    for &end in &ends {
        let bucket = &mut sorted[start..end];
        if bucket.len() <= 16 {
            insertion_sort(bucket);
        } else {
            bucket.sort_unstable();
        }
        start = end;
    }
    sorted
}

fn insertion_sort<T: Ord + Copy>(v: &mut [T]) {
    for i in 1..v.len() {
        let x = v[i];
        let mut j = i;
        while j > 0 && v[j - 1] > x {
            v[j] = v[j - 1];
            j -= 1;
        }
        v[j] = x;
    }
}

fn prune_hash(table: &mut KeyMap<(u32, u32)>, cap: usize) -> bool {
    let mut pruned = false;
    while table.len() > cap {
        pruned = true;
        let Some(min) = table.values().map(|v| v.0).min() else {
            break;
        };
        table.retain(|_, v| v.0 > min);
    }
    pruned
}

pub(super) fn items_to_btree(items: &[(u64, u32, u32)]) -> BTreeMap<u64, u32> {
    // The items are in key order: the map is built in bulk, in linear time.
    items.iter().map(|&(k, c, _)| (k, c)).collect()
}
