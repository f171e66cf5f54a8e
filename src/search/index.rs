//! The index itself: each record's words counted, stemmed, grouped by stem, weighed (BM25)
//! and cut into shards by their first letters.
//!
//! The words are made into shards a partition at a time (by their first two letters,
//! [`BUCKETS`] of them), and each partition's shards are a function of what its words are
//! in each record, of the records' lengths and of their number, nothing else. A rebuild
//! therefore remakes only the partitions whose words changed ([`Made`] keeps a fingerprint
//! of each): an edit that adds a sentence touches a few of 128, not the whole index. For that,
//! BM25 weighs records by their lengths rounded to three significant bits (at most 12.5 %
//! less than the count, [`rounded`]), against the average length rounded the same way: a
//! record's exact length would change the weight of every word it has when one is added.
use std::collections::BTreeMap;
use std::path::PathBuf;

use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

use super::format::{DOCS_PER_SHARD, docs_file, file_hash, key_of, meta_file, shard_file};
use super::terms::{BUCKETS, Counter, Terms};
use super::tokenizer::{LANGS, lang_class, stemmer, tokenize};
use super::{Record, Sink};

/// A shard larger than this (estimated bytes) is split into shards of one more letter…
const SPLIT_BYTES: usize = 48 * 1024;
/// …up to keys of this many letters.
const MAX_KEY_CHARS: usize = 4;
/// A title word counts as this many occurrences.
const TITLE_BOOST: u32 = 4;
/// BM25 parameters.
const K1: f64 = 1.2;
const B: f64 = 0.5;

/// Postings of one partition of one language: word → (record, term frequency), by record.
type Postings = FxHashMap<String, Vec<(u32, u32)>>;

/// Partitions whose postings are made in one pass over the records: a few per thread, so
/// that only a fraction of the site's postings is held at once.
const BUCKETS_AT_ONCE: usize = 8;

/// One stem of one language within a two-letter key: the words that have it and where they
/// occur, weighted.
pub(super) struct Group {
    pub(super) lang: usize,
    pub(super) stem: String,
    pub(super) words: Vec<String>,
    /// (record, weight), by record.
    pub(super) postings: Vec<(u32, u32)>,
    pub(super) common: bool,
}

/// What an index build leaves for the next build of the same index: per partition, the
/// fingerprint of what its shards were made of, and the shards.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Made {
    /// Per partition, in order ([`BUCKETS`] of them).
    partitions: Vec<Partition>,
}

/// One partition's shards as a build made them.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Partition {
    /// Fingerprint of the partition's words in every record, the records' rounded lengths
    /// and their number ([`fingerprints`]).
    input: u128,
    /// The shard files, below the output root.
    files: Vec<String>,
    /// Their identities, for the index's version.
    hashes: Vec<(u64, u64)>,
    /// Their keys.
    keys: Vec<String>,
    /// The keys split on the way.
    split: Vec<String>,
}

/// The previous build's index and a way to keep its files: `keep` is given a partition's
/// shard files (below the output root) and says whether the output still holds them as that
/// build wrote them, and now holds them for this one.
pub struct Previous<'a> {
    /// What it made.
    pub made: &'a Made,
    /// Keeps files of it.
    pub keep: &'a (dyn Fn(&[String]) -> bool + Sync),
}

/// Builds the index for `records`: files to write below the output root.
#[cfg(test)]
pub fn index(records: Vec<Record<'_>>) -> Result<Vec<(PathBuf, Vec<u8>)>, String> {
    let files = std::sync::Mutex::new(Vec::new());
    write_index(
        records,
        &|path, bytes| {
            files
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push((path, bytes));
            Ok(())
        },
        None,
    )?;
    Ok(files.into_inner().unwrap_or_else(|e| e.into_inner()))
}

/// Builds the index for `records` and hands each file to `sink` as soon as it is made, so
/// that the whole index (48 MB at 10k articles) is never in memory at once; `meta.js`,
/// which names the version, comes last. The partitions of `before` whose input is unchanged
/// and whose files it keeps are not made again. Returns what it made, for the next build.
pub fn write_index(
    records: Vec<Record<'_>>,
    sink: Sink<'_>,
    before: Option<Previous<'_>>,
) -> Result<Made, String> {
    let n = records.len();
    if n >= u32::MAX as usize {
        return Err(format!("{n} records are more than the index can hold"));
    }
    // 1. Each record's own words (its title weighed), in parallel; an article's text was
    //    counted when the article was built (`Record::more`).
    let own: Vec<Terms> = records
        .par_iter()
        .map(|r| {
            let mut counter = Counter::default();
            tokenize(&r.title, |w| counter.add(w, TITLE_BOOST));
            tokenize(&r.content, |w| counter.add(w, 1));
            counter.finish()
        })
        .collect();
    let langs: Vec<usize> = records.iter().map(|r| lang_class(&r.lang)).collect();
    let doc_len: Vec<u32> = records
        .iter()
        .zip(&own)
        .map(|(r, o)| rounded(o.len().saturating_add(r.more.map_or(0, Terms::len))))
        .collect();
    let sum: u64 = doc_len.iter().map(|&l| u64::from(l)).sum();
    let avg_len = rounded(u32::try_from(sum / n.max(1) as u64).unwrap_or(u32::MAX)).max(1);
    // A word in more than half of the records (and in more than 100) says nothing.
    let common_df = (n / 2).max(100);
    let weigh = Weigh {
        n: n as f64,
        avg_len: f64::from(avg_len),
        doc_len: &doc_len,
        common_df,
    };

    // 2. The partitions whose input is what the previous build made them of, and whose files
    //    the output still holds, stay; the others are made, a few at a time, in parallel:
    //    each record's words of those partitions into postings, each distinct word stemmed
    //    once, grouped by stem, weighed, and the shards of the partitions' keys written.
    let inputs = fingerprints(&records, &own, &langs, &doc_len, avg_len);
    let kept: Vec<Option<Partition>> = inputs
        .par_iter()
        .enumerate()
        .map(|(b, input)| {
            let before = before.as_ref()?;
            let p = before.made.partitions.get(b)?;
            (p.input == *input && (before.keep)(&p.files)).then(|| p.clone())
        })
        .collect();
    let mut batches: Vec<std::ops::Range<usize>> = Vec::new();
    for b in (0..BUCKETS).filter(|&b| kept[b].is_none()) {
        match batches.last_mut() {
            Some(r) if r.end == b && r.len() < BUCKETS_AT_ONCE => r.end = b + 1,
            _ => batches.push(b..b + 1),
        }
    }
    let made: Vec<(usize, Shards)> = batches
        .into_par_iter()
        .flat_map_iter(|buckets| {
            let (first, weigh) = (buckets.start, &weigh);
            postings(&records, &own, &langs, buckets)
                .into_iter()
                .enumerate()
                .map(move |(i, langs)| (first + i, bucket_shards(langs, weigh, sink)))
        })
        .collect();

    // 3. The docs table, in shards of consecutive records.
    let docs: Vec<Result<(u64, u64), String>> = records
        .par_chunks(DOCS_PER_SHARD)
        .enumerate()
        .map(|(i, recs)| {
            let (path, bytes) = docs_file(i, recs);
            let hash = file_hash(&path, &bytes);
            sink(path, bytes)?;
            Ok(hash)
        })
        .collect();

    let mut sorted = docs.into_iter().collect::<Result<Vec<_>, _>>()?;
    let mut partitions = kept;
    for (b, s) in made {
        if let Some(e) = s.error {
            return Err(e);
        }
        partitions[b] = Some(Partition {
            input: inputs[b],
            files: s.files,
            hashes: s.hashes,
            keys: s.keys,
            split: s.split,
        });
    }
    let partitions: Vec<Partition> = partitions
        .into_iter()
        .map(Option::unwrap_or_default)
        .collect();
    let mut keys = Vec::new();
    let mut split = Vec::new();
    for p in &partitions {
        keys.extend(p.keys.iter().cloned());
        split.extend(p.split.iter().cloned());
        sorted.extend(p.hashes.iter().copied());
    }
    keys.sort();
    split.sort();
    sorted.sort_unstable();
    let (path, bytes) = meta_file(&sorted, n, &keys, &split);
    sink(path, bytes)?;
    Ok(Made { partitions })
}

/// `len` to three significant bits, rounded down: the length weighing sees, so that a record
/// whose length changes a little weighs its words as before (and their shards stay).
fn rounded(len: u32) -> u32 {
    let bits = 32 - len.leading_zeros();
    match bits.checked_sub(3) {
        Some(drop) if drop > 0 => len >> drop << drop,
        _ => len,
    }
}

/// Per partition, a fingerprint of everything its shards are made of: the number of records,
/// the rounded average length, and for every record that has words in it, its number,
/// language and rounded length and those words with their counts (its own and its text's,
/// apart). Each record's part is hashed with its number, so the parts are summed (in any
/// order, in parallel) rather than hashed one after another.
fn fingerprints(
    records: &[Record<'_>],
    own: &[Terms],
    langs: &[usize],
    doc_len: &[u32],
    avg_len: u32,
) -> Vec<u128> {
    use xxhash_rust::xxh3::{xxh3_64, xxh3_128_with_seed};
    let sums = records
        .par_iter()
        .enumerate()
        .fold(
            || vec![0u128; BUCKETS],
            |mut sums, (doc, r)| {
                for (which, terms) in [(0u8, Some(&own[doc])), (1, r.more)] {
                    let Some(terms) = terms else { continue };
                    let mut head = [0u8; 18];
                    head[..4].copy_from_slice(&(doc as u32).to_le_bytes());
                    head[4] = langs[doc] as u8;
                    head[5] = which;
                    head[6..10].copy_from_slice(&doc_len[doc].to_le_bytes());
                    terms.each_bucket(|b, words, digest| {
                        head[10..].copy_from_slice(&digest.to_le_bytes());
                        let seed = xxh3_64(&head);
                        sums[b] = sums[b].wrapping_add(xxh3_128_with_seed(words, seed));
                    });
                }
                sums
            },
        )
        .reduce(
            || vec![0u128; BUCKETS],
            |mut a, b| {
                for (x, y) in a.iter_mut().zip(b) {
                    *x = x.wrapping_add(y);
                }
                a
            },
        );
    sums.iter()
        .map(|sum| {
            let mut h = xxhash_rust::xxh3::Xxh3::new();
            h.update(&(records.len() as u64).to_le_bytes());
            h.update(&avg_len.to_le_bytes());
            h.update(&sum.to_le_bytes());
            h.digest128()
        })
        .collect()
}

/// What weighing needs to know of all records.
struct Weigh<'a> {
    n: f64,
    /// The rounded average of `doc_len`.
    avg_len: f64,
    /// Each record's rounded length.
    doc_len: &'a [u32],
    common_df: usize,
}

impl Weigh<'_> {
    /// BM25 of each (record, term frequency), scaled to whole numbers of at least 1.
    fn apply(&self, postings: &mut [(u32, u32)]) {
        let df = postings.len() as f64;
        let idf = (1.0 + (self.n - df + 0.5) / (df + 0.5)).ln();
        for (doc, tf) in postings {
            let tf_f = f64::from(*tf);
            let len = f64::from(self.doc_len[*doc as usize]);
            let norm = K1 * (1.0 - B + B * len / self.avg_len);
            let score = idf * tf_f * (K1 + 1.0) / (tf_f + norm);
            *tf = ((score * 10.0).round() as u32).max(1);
        }
    }
}

/// The shard files of one bucket (handed to the sink), and their keys.
struct Shards<'s> {
    sink: Sink<'s>,
    files: Vec<String>,
    hashes: Vec<(u64, u64)>,
    keys: Vec<String>,
    split: Vec<String>,
    /// The first file the sink refused; nothing more is handed to it then.
    error: Option<String>,
}

impl Shards<'_> {
    fn put(&mut self, (path, bytes): (PathBuf, Vec<u8>)) {
        if self.error.is_some() {
            return;
        }
        self.hashes.push(file_hash(&path, &bytes));
        self.files.push(path.to_string_lossy().into_owned());
        if let Err(e) = (self.sink)(path, bytes) {
            self.error = Some(e);
        }
    }
}

/// The postings of the partitions `buckets`, per bucket and language: every record's words
/// of those buckets, its own (`own`) and its text's, in record order.
fn postings(
    records: &[Record<'_>],
    own: &[Terms],
    langs: &[usize],
    buckets: std::ops::Range<usize>,
) -> Vec<[Postings; LANGS]> {
    let first = buckets.start;
    let mut maps: Vec<[Postings; LANGS]> = buckets
        .clone()
        .map(|_| std::array::from_fn(|_| FxHashMap::default()))
        .collect();
    for (doc, ((r, own), &lang)) in records.iter().zip(own).zip(langs).enumerate() {
        let doc = doc as u32;
        let text = r
            .more
            .into_iter()
            .flat_map(|t| t.in_buckets(buckets.clone()));
        for (bucket, w, tf) in own.in_buckets(buckets.clone()).chain(text) {
            let map = &mut maps[bucket - first][lang];
            match map.get_mut(w) {
                Some(p) => match p.last_mut() {
                    Some(last) if last.0 == doc => last.1 = last.1.saturating_add(tf),
                    _ => p.push((doc, tf)),
                },
                None => {
                    map.insert(w.to_string(), vec![(doc, tf)]);
                }
            }
        }
    }
    maps
}

fn bucket_shards<'s>(langs: [Postings; LANGS], weigh: &Weigh<'_>, sink: Sink<'s>) -> Shards<'s> {
    // key → (lang, stem) → group
    let mut keys: BTreeMap<String, BTreeMap<(String, usize), Group>> = BTreeMap::new();
    for (lang, merged) in langs.into_iter().enumerate() {
        let stemmer = stemmer(lang);
        for (w, p) in merged {
            let stem = match &stemmer {
                Some(s) => s.stem(&w).into_owned(),
                None => w.clone(),
            };
            let key = key_of(&w, 2).to_string();
            let group = keys
                .entry(key)
                .or_default()
                .entry((stem.clone(), lang))
                .or_insert_with(|| Group {
                    lang,
                    stem,
                    words: Vec::new(),
                    postings: Vec::new(),
                    common: false,
                });
            group.words.push(w);
            group.postings.extend(p);
        }
    }
    let mut out = Shards {
        sink,
        files: Vec::new(),
        hashes: Vec::new(),
        keys: Vec::new(),
        split: Vec::new(),
        error: None,
    };
    for (key, groups) in keys {
        let mut groups: Vec<Group> = groups.into_values().collect();
        for g in &mut groups {
            g.words.sort();
            if g.words.len() > 1 {
                g.postings.sort_unstable_by_key(|p| p.0);
                g.postings.dedup_by(|b, a| {
                    if a.0 == b.0 {
                        a.1 += b.1;
                        true
                    } else {
                        false
                    }
                });
            }
            g.common = g.postings.len() > weigh.common_df;
            if !g.common {
                weigh.apply(&mut g.postings);
            }
        }
        let gs: Vec<(&Group, Vec<&str>)> = groups
            .iter()
            .map(|g| (g, g.words.iter().map(String::as_str).collect()))
            .collect();
        emit(&key, gs, &mut out);
    }
    out
}

/// Writes the shard of `key`, or, when it would be larger than [`SPLIT_BYTES`], keeps in it
/// only the words no longer than the key and sends the others, with the whole group of their
/// stem, to the shards of one more letter (up to [`MAX_KEY_CHARS`]).
fn emit<'a>(key: &str, groups: Vec<(&'a Group, Vec<&'a str>)>, out: &mut Shards<'_>) {
    let n = key.chars().count();
    let size: usize = groups
        .iter()
        .map(|(g, ws)| {
            let postings = if g.common { 0 } else { g.postings.len() * 7 };
            postings + ws.iter().map(|w| w.len() + 6).sum::<usize>()
        })
        .sum();
    let longer = |w: &&str| w.chars().nth(n).is_some();
    if size <= SPLIT_BYTES
        || n >= MAX_KEY_CHARS
        || !groups.iter().any(|(_, ws)| ws.iter().any(longer))
    {
        out.put(shard_file(key, &groups));
        out.keys.push(key.to_string());
        return;
    }
    let mut here = Vec::new();
    let mut deeper: BTreeMap<&'a str, Vec<(&'a Group, Vec<&'a str>)>> = BTreeMap::new();
    for (g, ws) in groups {
        let (long, short): (Vec<&str>, Vec<&str>) = ws.into_iter().partition(longer);
        let mut mine: BTreeMap<&'a str, Vec<&'a str>> = BTreeMap::new();
        for w in long {
            mine.entry(key_of(w, n + 1)).or_default().push(w);
        }
        for (k, ws) in mine {
            deeper.entry(k).or_default().push((g, ws));
        }
        if !short.is_empty() {
            here.push((g, short));
        }
    }
    if !here.is_empty() {
        out.put(shard_file(key, &here));
        out.keys.push(key.to_string());
    }
    for (k, gs) in deeper {
        emit(k, gs, out);
    }
    out.split.push(key.to_string());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::DIR;

    fn rec(url: &str, title: &str, content: &str, lang: &str) -> Record<'static> {
        Record {
            more: None,
            url: url.into(),
            title: title.into(),
            content: content.into(),
            lang: lang.into(),
            kind: "article".into(),
        }
    }

    fn file<'a>(files: &'a [(PathBuf, Vec<u8>)], rel: &str) -> &'a str {
        let p = PathBuf::from(DIR).join(rel);
        let (_, b) = files
            .iter()
            .find(|(q, _)| *q == p)
            .unwrap_or_else(|| panic!("no {rel}"));
        std::str::from_utf8(b).unwrap()
    }

    /// The JSON argument of a `gloss_search_…(…, JSON);` script.
    fn json_of(script: &str) -> serde_json::Value {
        let start = if script.starts_with("gloss_search_meta") {
            script.find('(').unwrap()
        } else {
            script.find(',').unwrap()
        };
        let end = script.rfind(')').unwrap();
        serde_json::from_str(&script[start + 1..end]).unwrap()
    }

    #[test]
    fn line_separators_are_escaped_in_the_scripts() {
        let files = index(vec![rec(
            "/a/",
            "Zeile\u{2028}eins",
            "Text\u{2029}zwei",
            "de",
        )])
        .unwrap();
        let docs = file(&files, "d/0.js");
        assert!(!docs.contains(['\u{2028}', '\u{2029}']), "{docs:?}");
        assert_eq!(json_of(docs)[0][1], "Zeile\u{2028}eins");
    }

    #[test]
    fn index_has_meta_shards_and_docs() {
        let records = vec![
            rec(
                "/a/",
                "Microsoft investiert",
                "Kurz.\nMicrosoft investierte 1 Milliarde <script>",
                "de",
            ),
            rec("/b/", "Zweiter", "Milliarden und Millionen", "de"),
            rec("/c/", "English", "Investments were running", "en"),
        ];
        let files = index(records).unwrap();
        let meta = json_of(file(&files, "meta.js"));
        assert_eq!(meta["docs"], 3);
        let keys: Vec<&str> = meta["keys"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k.as_str().unwrap())
            .collect();
        assert!(keys.contains(&"mi") && keys.contains(&"in"), "{keys:?}");
        let mi = json_of(file(&files, "t/mi.js"));
        let g = mi["w"]["milliarde"].as_i64().unwrap();
        assert_eq!(mi["w"]["milliarden"], g, "one stem group");
        assert_eq!(mi["s"][g as usize], "milliard");
        let p: Vec<u64> = mi["p"][g as usize]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap())
            .collect();
        assert_eq!(p.len(), 4, "two records: {p:?}");
        assert_eq!((p[0], p[2]), (0, 1), "doc gaps");
        let inv = json_of(file(&files, "t/in.js"));
        assert!(inv["w"]["investments"].is_i64(), "{inv}");
        let docs = file(&files, "d/0.js");
        assert!(!docs.contains('<'), "{docs}");
        let docs = json_of(docs);
        assert_eq!(docs[0][0], "/a/");
        assert_eq!(docs[0][1], "Microsoft investiert");
        // Packed (format::pack_rows): the excerpt third, kind and language where they change.
        assert_eq!(docs[0][2], "Kurz.");
        assert_eq!(docs[0][3], "article");
        assert_eq!(docs[0][4], "de");
        assert_eq!(docs[1].as_array().unwrap().len(), 3, "{docs}");
        assert_eq!(docs[2][3], serde_json::Value::Null);
        assert_eq!(docs[2][4], "en");
    }

    /// An article's text counted when it was built ([`Terms`]) weighs in the index exactly
    /// as the same text searched with the record's own: every file is the same.
    #[test]
    fn a_text_counted_beforehand_is_indexed_as_the_record_s_own_words() {
        let texts: Vec<String> = (0..400)
            .map(|i| {
                format!(
                    "Zug {i} fährt Zug{} über die Brücke, Milliarden für Straße {} und Äpfel",
                    i % 13,
                    i % 29
                )
            })
            .collect();
        let lang = |i: usize| if i.is_multiple_of(3) { "en" } else { "de" };
        let title = |i: usize| format!("Brücke {}", i % 5);
        let counted: Vec<Terms> = texts.iter().map(|t| Terms::of(t)).collect();
        let inline: Vec<Record<'_>> = texts
            .iter()
            .enumerate()
            .map(|(i, t)| {
                rec(
                    &format!("/{i}/"),
                    &title(i),
                    &format!("Kurz.\n{t}"),
                    lang(i),
                )
            })
            .collect();
        let beforehand: Vec<Record<'_>> = counted
            .iter()
            .enumerate()
            .map(|(i, t)| Record {
                more: Some(t),
                ..rec(&format!("/{i}/"), &title(i), "Kurz.\n", lang(i))
            })
            .collect();
        let mut inline = index(inline).unwrap();
        let mut beforehand = index(beforehand).unwrap();
        inline.sort();
        beforehand.sort();
        assert!(inline.len() > 10, "{} files", inline.len());
        assert_eq!(inline.len(), beforehand.len());
        for (a, b) in inline.iter().zip(&beforehand) {
            assert_eq!(a.0, b.0);
            assert_eq!(String::from_utf8_lossy(&a.1), String::from_utf8_lossy(&b.1));
        }
    }

    /// The files of an index built from `before` with the previous output still holding its
    /// files: those handed to the sink and those kept (with the previous build's bytes).
    /// [`rebuilt`] from `counted` over the index `out` that `made` describes, checked to be
    /// the index built from nothing, byte for byte.
    fn rebuilt_as_fresh(
        counted: &[Terms],
        made: &Made,
        out: BTreeMap<PathBuf, Vec<u8>>,
    ) -> (BTreeMap<PathBuf, Vec<u8>>, usize, Made) {
        let fresh: BTreeMap<PathBuf, Vec<u8>> = index(counted_records(counted))
            .unwrap()
            .into_iter()
            .collect();
        let files: Vec<(PathBuf, Vec<u8>)> = out.into_iter().collect();
        let again = rebuilt(counted_records(counted), made, &files);
        assert_eq!(again.0, fresh);
        again
    }

    fn rebuilt(
        records: Vec<Record<'_>>,
        made: &Made,
        files: &[(PathBuf, Vec<u8>)],
    ) -> (BTreeMap<PathBuf, Vec<u8>>, usize, Made) {
        let written = std::sync::Mutex::new(Vec::new());
        let kept = std::sync::Mutex::new(Vec::new());
        let keep = |f: &[String]| {
            kept.lock().unwrap().extend(f.iter().cloned());
            true
        };
        let made = write_index(
            records,
            &|path, bytes| {
                written.lock().unwrap().push((path, bytes));
                Ok(())
            },
            Some(Previous { made, keep: &keep }),
        )
        .unwrap();
        let written = written.into_inner().unwrap();
        let shards = written
            .iter()
            .filter(|(p, _)| p.to_string_lossy().contains("/t/"))
            .count();
        let old: BTreeMap<&PathBuf, &Vec<u8>> = files.iter().map(|(p, b)| (p, b)).collect();
        let mut out: BTreeMap<PathBuf, Vec<u8>> = written.into_iter().collect();
        for f in kept.into_inner().unwrap() {
            let p = PathBuf::from(f);
            let bytes = old
                .get(&p)
                .unwrap_or_else(|| panic!("{p:?} was not written"));
            assert!(out.insert(p, bytes.to_vec()).is_none(), "kept and written");
        }
        (out, shards, made)
    }

    fn counted_records(counted: &[Terms]) -> Vec<Record<'_>> {
        counted
            .iter()
            .enumerate()
            .map(|(i, t)| Record {
                more: Some(t),
                ..rec(
                    &format!("/{i}/"),
                    &format!("Titel {}", i % 5),
                    "Kurz.\n",
                    "de",
                )
            })
            .collect()
    }

    /// A rebuild after an edit remakes only the partitions of the words that changed, and
    /// what it makes and keeps is, file for file, the index built from nothing.
    #[test]
    fn a_rebuild_remakes_only_the_partitions_whose_words_changed() {
        let texts: Vec<String> = (0..300)
            .map(|i| {
                format!(
                    "Zug {i} fährt über die Brücke{} nach Köln, Berlin und Wien, Milliarden {} Euro",
                    i % 17,
                    i % 7
                )
            })
            .collect();
        let counted: Vec<Terms> = texts.iter().map(|t| Terms::of(t)).collect();
        let files = std::sync::Mutex::new(Vec::new());
        let made = write_index(
            counted_records(&counted),
            &|path, bytes| {
                files.lock().unwrap().push((path, bytes));
                Ok(())
            },
            None,
        )
        .unwrap();
        let files = files.into_inner().unwrap();
        let all_shards = files
            .iter()
            .filter(|(p, _)| p.to_string_lossy().contains("/t/"))
            .count();

        // Two of one record's words replaced by new ones, one of them as long as the word it
        // replaces and in the same shard: its length stays, four words change.
        let mut edited = counted.clone();
        edited[42] = Terms::of(
            &texts[42]
                .replace("Köln", "Quantenkryptografie")
                .replace("Wien", "Wind"),
        );
        let fresh: BTreeMap<PathBuf, Vec<u8>> = index(counted_records(&edited))
            .unwrap()
            .into_iter()
            .collect();
        let (out, shards, again) = rebuilt(counted_records(&edited), &made, &files);
        assert_eq!(
            out.keys().collect::<Vec<_>>(),
            fresh.keys().collect::<Vec<_>>()
        );
        for (p, b) in &fresh {
            assert_eq!(
                String::from_utf8_lossy(&out[p]),
                String::from_utf8_lossy(b),
                "{p:?}"
            );
        }
        assert!(
            (1..=6).contains(&shards),
            "{shards} of {all_shards} shards remade"
        );
        let q = json_of(std::str::from_utf8(&fresh[&PathBuf::from(DIR).join("t/qu.js")]).unwrap());
        assert!(q["w"]["quantenkryptografie"].is_i64(), "{q}");
        let w = json_of(std::str::from_utf8(&fresh[&PathBuf::from(DIR).join("t/wi.js")]).unwrap());
        assert!(w["w"]["wind"].is_i64(), "{w}");

        // A word said twice instead of another: its partition's words are the same bytes,
        // only its count changed.
        let mut twice = edited.clone();
        twice[43] = Terms::of(&texts[43].replace("Berlin", "Brücke9"));
        let (out, _, again) = rebuilt_as_fresh(&twice, &again, out);

        // A sentence more: the record's rounded length changes, and with it the weights of
        // all its words.
        let mut longer = twice.clone();
        longer[42] = Terms::of(&format!(
            "{} Und weiter nach Graz, Linz und Bern.",
            texts[42]
        ));
        let (out, _, again) = rebuilt_as_fresh(&longer, &again, out);

        // A record more changes every weight: everything is remade, and still the same.
        let mut more = longer.clone();
        more.push(Terms::of("Noch ein Zug"));
        let (_, shards, _) = rebuilt_as_fresh(&more, &again, out);
        assert!(shards > all_shards / 2, "{shards} of {all_shards}");
    }

    #[test]
    fn lengths_are_rounded_to_three_significant_bits() {
        let rounded: Vec<u32> = [0, 1, 7, 8, 9, 15, 16, 17, 1500, 1507]
            .map(rounded)
            .to_vec();
        assert_eq!(rounded, [0, 1, 7, 8, 8, 14, 16, 16, 1280, 1280]);
    }

    #[test]
    fn each_language_s_records_are_stemmed_in_it() {
        let files = index(vec![
            rec("/fr/", "T", "investissements", "fr"),
            rec("/es/", "T", "inversiones", "es"),
        ])
        .unwrap();
        let shards: String = files
            .iter()
            .filter(|(p, _)| p.to_string_lossy().contains("/t/"))
            .map(|(_, b)| String::from_utf8_lossy(b).into_owned())
            .collect();
        assert!(shards.contains(r#""invest""#), "{shards}");
        assert!(shards.contains(r#""inversion""#), "{shards}");
    }

    #[test]
    fn common_words_are_marked_and_large_shards_split() {
        let records: Vec<Record<'_>> = (0..300)
            .map(|i| {
                rec(
                    &format!("/{i}/"),
                    "T",
                    &format!("die wort{i} wortschatz{} ding{i}", i % 7),
                    "de",
                )
            })
            .collect();
        let files = index(records).unwrap();
        let di = json_of(file(&files, "t/di.js"));
        assert_eq!(di["w"]["die"], -1, "in every record");
        let meta = json_of(file(&files, "meta.js"));
        assert_eq!(meta["docs"], 300);
        assert_eq!(meta["per"], DOCS_PER_SHARD);
        assert!(file(&files, "d/2.js").starts_with("gloss_search_docs(2,"));
        // 300 distinct "wortN" plus "wortschatzN" are not enough to split; a big shard is.
        let big: Vec<Record<'_>> = (0..3000)
            .map(|i| rec(&format!("/{i}/"), "T", &format!("wort{i} wahl{i}"), "de"))
            .collect();
        let files = index(big).unwrap();
        let meta = json_of(file(&files, "meta.js"));
        assert!(
            meta["split"]
                .as_array()
                .unwrap()
                .contains(&serde_json::json!("wo")),
            "{}",
            meta["split"]
        );
        let wort = json_of(file(&files, "t/wort.js"));
        assert!(
            wort["w"]["wort7"].is_i64(),
            "split again, up to four letters"
        );
        assert!(
            !meta["split"]
                .as_array()
                .unwrap()
                .contains(&serde_json::json!("wort"))
        );
    }
}
