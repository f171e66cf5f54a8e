//! The index itself: each record's words counted, stemmed, grouped by stem, weighed (BM25)
//! and cut into shards by their first letters.
use std::collections::BTreeMap;
use std::path::PathBuf;

use rayon::prelude::*;
use rustc_hash::FxHashMap;

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

/// Builds the index for `records`: files to write below the output root.
#[cfg(test)]
pub fn index(records: Vec<Record<'_>>) -> Result<Vec<(PathBuf, Vec<u8>)>, String> {
    let files = std::sync::Mutex::new(Vec::new());
    write_index(records, &|path, bytes| {
        files
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push((path, bytes));
        Ok(())
    })?;
    Ok(files.into_inner().unwrap_or_else(|e| e.into_inner()))
}

/// Builds the index for `records` and hands each file to `sink` as soon as it is made, so
/// that the whole index (48 MB at 10k articles) is never in memory at once; `meta.js`,
/// which names the version, comes last.
pub fn write_index(records: Vec<Record<'_>>, sink: Sink<'_>) -> Result<(), String> {
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
        .map(|(r, o)| o.len().saturating_add(r.more.map_or(0, Terms::len)))
        .collect();
    let avg_len = (doc_len.iter().map(|&l| l as f64).sum::<f64>() / n.max(1) as f64).max(1.0);
    // A word in more than half of the records (and in more than 100) says nothing.
    let common_df = (n / 2).max(100);
    let weigh = Weigh {
        n: n as f64,
        avg_len,
        doc_len: &doc_len,
        common_df,
    };

    // 2. A few buckets at a time, in parallel: each record's words of those buckets into
    //    postings, each distinct word stemmed once, grouped by stem, weighed, and the shards
    //    of the buckets' keys written.
    let shards: Vec<Shards> = (0..BUCKETS.div_ceil(BUCKETS_AT_ONCE))
        .into_par_iter()
        .flat_map_iter(|i| {
            let buckets = i * BUCKETS_AT_ONCE..((i + 1) * BUCKETS_AT_ONCE).min(BUCKETS);
            postings(&records, &own, &langs, buckets)
                .into_iter()
                .map(|langs| bucket_shards(langs, &weigh, sink))
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
    let mut keys = Vec::new();
    let mut split = Vec::new();
    for s in shards {
        if let Some(e) = s.error {
            return Err(e);
        }
        keys.extend(s.keys);
        split.extend(s.split);
        sorted.extend(s.hashes);
    }
    keys.sort();
    split.sort();
    sorted.sort_unstable();
    let (path, bytes) = meta_file(&sorted, n, &keys, &split);
    sink(path, bytes)
}

/// What weighing needs to know of all records.
struct Weigh<'a> {
    n: f64,
    avg_len: f64,
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
