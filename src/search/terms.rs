//! A text's words counted once: what the index needs of an article's text, made while the
//! article is built. The build then keeps (and caches) the counts instead of the text, and
//! the index is made from them a few of its partitions at a time, never tokenizing an
//! unchanged article again and never holding every posting of the site at once.
//!
//! In the cache, the words' lengths and counts are one byte string of LEB128 numbers (see
//! [`Packed`]): decoding serde's sequence of pairs took a call per number, a third of
//! loading the cache of a 10k archive (perf). The ten lines of LEB128 are written here:
//! the crates for it read through `io::Read`, a call per byte.
use std::ops::Range;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

#[cfg(doc)]
use super::format::key_of;
use super::tokenizer::tokenize;

/// Partitions the index's words are built in (by their two-letter key).
pub(super) const BUCKETS: usize = 128;

/// The partition of `word`: its first two letters (its shard key's, [`key_of`]) hashed
/// (FNV-1a).
pub(super) fn bucket_of(word: &str) -> usize {
    let mut h: u32 = 2166136261;
    for c in word.chars().take(2) {
        h = (h ^ c as u32).wrapping_mul(16777619);
    }
    h as usize % BUCKETS
}

/// A text's distinct words with how often each occurs, by partition.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Terms {
    /// The words, one after another, in the order of `counts`.
    words: String,
    /// Per word: where it ends in `words`, and its count.
    counts: Vec<(u32, u32)>,
    /// Per word: its partition (the order of the words).
    buckets: Vec<u8>,
    /// How many words the text has, repeats included (BM25 weighs it rounded).
    len: u32,
}

impl Terms {
    /// The words of `text`, each counted once per occurrence.
    pub fn of(text: &str) -> Terms {
        let mut counter = Counter::default();
        tokenize(text, |w| counter.add(w, 1));
        counter.finish()
    }

    /// How many words the text has.
    pub(super) fn len(&self) -> u32 {
        self.len
    }

    /// The words of the partitions `buckets`, each with its partition and count, in order.
    pub(super) fn in_buckets(
        &self,
        buckets: Range<usize>,
    ) -> impl Iterator<Item = (usize, &str, u32)> + '_ {
        let n = self.counts.len().min(self.buckets.len());
        let bucket_at = |i: usize| usize::from(self.buckets[i]);
        let from = partition_point(n, |i| bucket_at(i) < buckets.start);
        let to = partition_point(n, |i| bucket_at(i) < buckets.end);
        (from..to).map(move |i| (bucket_at(i), self.word(i), self.counts[i].1))
    }

    /// Each partition that has words, in order, as `(partition, words, digest)`: its words
    /// one after another, and a digest of each word's length in bytes and count, a
    /// fingerprint's input. The digest is a multiplicative mix, not a hash of bytes: the
    /// numbers of every partition of every record are mixed on each build (10M at 10k).
    pub(super) fn each_bucket(&self, mut f: impl FnMut(usize, &[u8], u64)) {
        let n = self.counts.len().min(self.buckets.len());
        let mut i = 0;
        while i < n {
            let bucket = self.buckets[i];
            let from = i;
            let first = if from == 0 {
                0
            } else {
                self.counts[from - 1].0
            };
            let (mut start, mut digest) = (first, 0u64);
            while i < n && self.buckets[i] == bucket {
                let (end, count) = self.counts[i];
                let v = (u64::from(end.saturating_sub(start)) << 32) | u64::from(count);
                digest = (digest ^ v)
                    .wrapping_mul(0x9E37_79B9_7F4A_7C15)
                    .rotate_left(29);
                start = end;
                i += 1;
            }
            let words = self
                .words
                .as_bytes()
                .get(first as usize..start as usize)
                .unwrap_or_default();
            f(usize::from(bucket), words, digest);
        }
    }

    /// The `i`th word.
    fn word(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.counts[i - 1].0 };
        // The ends were made from this string's own char boundaries; an entry decoded from a
        // damaged cache file that is not one reads as no word rather than a panic.
        self.words
            .get(start as usize..self.counts[i].0 as usize)
            .unwrap_or("")
    }
}

/// [`Terms`] as stored: the words, then per word its length in bytes and its count as LEB128
/// numbers, and the partitions as bytes.
#[derive(Serialize, Deserialize)]
struct Packed<'a> {
    #[serde(borrow)]
    words: std::borrow::Cow<'a, str>,
    #[serde(with = "serde_bytes", borrow)]
    numbers: std::borrow::Cow<'a, [u8]>,
    #[serde(with = "serde_bytes", borrow)]
    buckets: std::borrow::Cow<'a, [u8]>,
    len: u32,
}

fn push_leb128(out: &mut Vec<u8>, mut n: u32) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// The number at the start of `bytes` and what follows it; `None` when `bytes` ends within
/// it or it does not fit 32 bits (a damaged cache).
fn read_leb128(bytes: &[u8]) -> Option<(u32, &[u8])> {
    let mut n: u32 = 0;
    for (i, &b) in bytes.iter().enumerate().take(5) {
        if i == 4 && b > 0x0f {
            return None;
        }
        n |= u32::from(b & 0x7f) << (7 * i);
        if b < 0x80 {
            return Some((n, &bytes[i + 1..]));
        }
    }
    None
}

impl Serialize for Terms {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut numbers = Vec::with_capacity(self.counts.len() * 3);
        let mut start = 0;
        for &(end, count) in &self.counts {
            push_leb128(&mut numbers, end.saturating_sub(start));
            push_leb128(&mut numbers, count);
            start = end;
        }
        Packed {
            words: self.words.as_str().into(),
            numbers: numbers.into(),
            buckets: self.buckets.as_slice().into(),
            len: self.len,
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Terms {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Terms, D::Error> {
        let packed = Packed::deserialize(deserializer)?;
        let mut counts = Vec::with_capacity(packed.buckets.len());
        let (mut rest, mut end) = (&packed.numbers[..], 0u32);
        while !rest.is_empty() {
            let bad = || serde::de::Error::custom("a damaged word count");
            let (len, after) = read_leb128(rest).ok_or_else(bad)?;
            let (count, after) = read_leb128(after).ok_or_else(bad)?;
            end = end.saturating_add(len);
            counts.push((end, count));
            rest = after;
        }
        Ok(Terms {
            words: packed.words.into_owned(),
            counts,
            buckets: packed.buckets.into_owned(),
            len: packed.len,
        })
    }
}

/// The first of `0..n` for which `before` is false, `before` being true up to some point and
/// false from there.
fn partition_point(n: usize, before: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, n);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if before(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

/// Counts words as they come, into [`Terms`].
#[derive(Default)]
pub(super) struct Counter {
    /// The distinct words so far, one after another.
    arena: String,
    /// Per distinct word, in the order first seen: where it is in `arena`, its partition and
    /// its count.
    entries: Vec<Entry>,
    /// `entries` by word.
    table: hashbrown::HashTable<u32>,
    len: u32,
}

struct Entry {
    start: u32,
    end: u32,
    bucket: u8,
    count: u32,
}

fn hash(word: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(word)
}

impl Counter {
    /// One occurrence of `word`, weighing `inc`.
    pub(super) fn add(&mut self, word: &str, inc: u32) {
        self.len = self.len.saturating_add(1);
        let (arena, entries) = (&self.arena, &mut self.entries);
        let at = |e: &Entry| &arena[e.start as usize..e.end as usize];
        let h = hash(word);
        if let Some(&i) = self.table.find(h, |&i| at(&entries[i as usize]) == word) {
            let e = &mut entries[i as usize];
            e.count = e.count.saturating_add(inc);
            return;
        }
        let start = self.arena.len() as u32;
        self.arena.push_str(word);
        let i = self.entries.len() as u32;
        self.entries.push(Entry {
            start,
            end: self.arena.len() as u32,
            bucket: bucket_of(word) as u8,
            count: inc,
        });
        let (arena, entries) = (&self.arena, &self.entries);
        self.table.insert_unique(h, i, |&j| {
            let e = &entries[j as usize];
            hash(&arena[e.start as usize..e.end as usize])
        });
    }

    /// The words counted, in partition order (within one, in the order first seen).
    pub(super) fn finish(self) -> Terms {
        const _: () = assert!(BUCKETS <= 256, "a partition fits in a byte");
        // A counting sort by partition.
        let mut next = [0u32; BUCKETS + 1];
        for e in &self.entries {
            next[usize::from(e.bucket) + 1] += 1;
        }
        for b in 1..=BUCKETS {
            next[b] += next[b - 1];
        }
        let mut order = vec![0u32; self.entries.len()];
        for (i, e) in self.entries.iter().enumerate() {
            let slot = &mut next[usize::from(e.bucket)];
            order[*slot as usize] = i as u32;
            *slot += 1;
        }
        let mut words = String::with_capacity(self.arena.len());
        let mut counts = Vec::with_capacity(order.len());
        let mut buckets = Vec::with_capacity(order.len());
        for i in order {
            let e = &self.entries[i as usize];
            words.push_str(&self.arena[e.start as usize..e.end as usize]);
            counts.push((words.len() as u32, e.count));
            buckets.push(e.bucket);
        }
        Terms {
            words,
            counts,
            buckets,
            len: self.len,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_counted_once_each_by_partition() {
        let t = Terms::of("Der Zug, der Zug! Und der Bus.");
        assert_eq!(t.len(), 7);
        let mut all: Vec<(usize, &str, u32)> = t.in_buckets(0..BUCKETS).collect();
        all.sort();
        let mut want = vec![
            (bucket_of("der"), "der", 3),
            (bucket_of("zug"), "zug", 2),
            (bucket_of("und"), "und", 1),
            (bucket_of("bus"), "bus", 1),
        ];
        want.sort();
        assert_eq!(all, want);
        // Each partition's words, and only those, whichever range is asked for.
        for b in 0..BUCKETS {
            let mut here: Vec<_> = t.in_buckets(b..b + 1).collect();
            here.sort();
            let expected: Vec<_> = want.iter().copied().filter(|w| w.0 == b).collect();
            assert_eq!(here, expected, "bucket {b}");
        }
        let (lo, hi) = (want[1].0, want[2].0 + 1);
        let mut some: Vec<_> = t.in_buckets(lo..hi).collect();
        some.sort();
        let expected: Vec<_> = want
            .iter()
            .copied()
            .filter(|w| (lo..hi).contains(&w.0))
            .collect();
        assert_eq!(some, expected);
    }

    #[test]
    fn a_weighed_word_counts_its_weight_but_lengthens_the_text_by_one() {
        let mut c = Counter::default();
        c.add("zug", 4);
        c.add("zug", 1);
        let t = c.finish();
        assert_eq!(t.len(), 2);
        assert_eq!(
            t.in_buckets(0..BUCKETS).collect::<Vec<_>>(),
            [(bucket_of("zug"), "zug", 5)]
        );
    }

    #[test]
    fn terms_come_back_from_the_cache_as_they_went_in() {
        let long = "x".repeat(300);
        let text = format!("Der Zug, der Zug! {long} Straße {long}");
        let t = Terms::of(&text);
        let bytes = postcard::to_allocvec(&t).unwrap();
        assert_eq!(postcard::from_bytes::<Terms>(&bytes).unwrap(), t);
        let empty = postcard::to_allocvec(&Terms::default()).unwrap();
        assert_eq!(
            postcard::from_bytes::<Terms>(&empty).unwrap(),
            Terms::default()
        );
        // Cut short within a number: an error, not a panic or a wrong count.
        let damaged = Packed {
            words: "zug".into(),
            numbers: vec![3, 0x83].into(),
            buckets: vec![0].into(),
            len: 1,
        };
        let bytes = postcard::to_allocvec(&damaged).unwrap();
        assert!(postcard::from_bytes::<Terms>(&bytes).is_err());
    }

    #[test]
    fn leb128_numbers_round_trip_and_too_long_ones_are_refused() {
        for n in [0, 1, 127, 128, 300, 16_383, 16_384, u32::MAX] {
            let mut out = Vec::new();
            push_leb128(&mut out, n);
            assert_eq!(read_leb128(&out), Some((n, &[][..])), "{n}");
        }
        assert_eq!(read_leb128(&[0x80, 0x80]), None);
        assert_eq!(read_leb128(&[0xff, 0xff, 0xff, 0xff, 0xff, 0x01]), None);
        // Five bytes, but more than 32 bits.
        assert_eq!(read_leb128(&[0xff, 0xff, 0xff, 0xff, 0x1f]), None);
    }

    #[test]
    fn no_text_has_no_words() {
        let t = Terms::of("  ,; ");
        assert_eq!(t.len(), 0);
        assert_eq!(t.in_buckets(0..BUCKETS).count(), 0);
        assert_eq!(t, Terms::default());
    }
}
