//! gloss's own static search index: articles, claims and people, searchable from the
//! published folder with no server, under any path prefix, and from `file://`.
//!
//! The index lives below `search/i/` (on a site in several languages, one index per
//! language below its home, `en/search/i/`, each record stemmed in its language; the search
//! page of a language reads its own) and is read by `static/search.js`:
//!
//! - `meta.js`: `gloss_search_meta({"v": …, "docs": N, "per": 128, "keys": […], "split": […]})`:
//!   the version (a hash of the index, appended to shard URLs so a rebuilt site is not
//!   mixed with a cached one), the number of records, records per docs shard, the term
//!   shards that exist, and the keys that were split because their shard grew large: a word
//!   longer than a split key is in the shard of one more of its letters (two letters to
//!   begin with, at most four).
//! - `t/<key>.js`: `gloss_search_shard("<key>", {"w": {word: g | [g, …] | -1}, "s": [stem, …],
//!   "p": [[doc delta, weight, doc delta, weight, …], …]})`: the words seen in the text that
//!   begin with `<key>` (and are not in a longer key's shard), each pointing at its stem group(s) `g` (one per language it was seen
//!   in), the stems, and per group its postings (doc numbers as gaps, with a precomputed BM25
//!   weight). `-1` marks a word so common it is left out (a query ignores it).
//! - `d/<n>.js`: `gloss_search_docs(n, [[url, title, kind, excerpt, lang], …])`: records
//!   `n * per ..`, in record order (an article is followed by its claims, so their rows share
//!   a shard).
//!
//! Why scripts calling a global function rather than JSON: browsers refuse `fetch()` of
//! `file://` URLs, but run a `<script src>` from anywhere, so the same folder works from a
//! web server, under any path, and opened from disk.
//!
//! Words are Unicode-lowercased runs of letters and digits, with `ä ö ü ß ς` folded to
//! `a o u ss σ` (`search.js` folds the same way). Stems come from Snowball (German, English,
//! French or Spanish by the record's language) and never reach the browser as an algorithm: a
//! query word is
//! looked up as a word; a word the site never used still finds its stem's group when a stem
//! of the shard is a prefix of it ("milliarden" → "milliard"), or a word of the shard is it
//! with or without an ending of one or two letters (French "investissement" finds
//! "investissements", whose stem "invest" is too short a prefix to tell), and the last word
//! of a query also completes ("milli" → "milliarde"). `tests/e2e/languages.sh` checks in
//! Chromium that this finds, per language, the forms Snowball gives one stem.
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use crate::render::script_safe;
use rayon::prelude::*;
use rust_stemmers::{Algorithm, Stemmer};
use rustc_hash::FxHashMap;

/// One searchable thing.
#[derive(Debug, Clone)]
pub struct Record<'t> {
    /// Root-relative URL (`/2019/x/#claim-1`); `search.js` prefixes the folder the site is
    /// published under, which it learns from where its own script was loaded.
    pub url: String,
    /// Shown as the result's title; its words weigh more than the content's.
    pub title: String,
    /// The text that is searched. Its first line (after the title, where it repeats it) is
    /// the excerpt shown under the result.
    pub content: String,
    /// More text that is searched, borrowed (an article's whole text: copying every
    /// article's text into its record cost a gigabyte at 100k articles).
    pub more: &'t str,
    /// Language tag; German, English, French and Spanish words are stemmed.
    pub lang: String,
    /// "article", "claim" or "person".
    pub kind: String,
}

/// Where the index is written, below the output root.
pub const DIR: &str = "search/i";
/// Records per docs shard.
const DOCS_PER_SHARD: usize = 128;
/// Partitions the words are built in (by their two-letter key), in parallel.
const BUCKETS: usize = 128;
/// Stemming languages: none, German, English, French, Spanish.
const LANGS: usize = 5;
/// A shard larger than this (estimated bytes) is split into shards of one more letter…
const SPLIT_BYTES: usize = 48 * 1024;
/// …up to keys of this many letters.
const MAX_KEY_CHARS: usize = 4;
/// Longer runs of letters are not words (hashes, URLs glued together).
const MAX_WORD_CHARS: usize = 40;
/// A title word counts as this many occurrences.
const TITLE_BOOST: u32 = 4;
/// Excerpts are cut to about this many characters.
const EXCERPT_CHARS: usize = 180;
/// BM25 parameters.
const K1: f64 = 1.2;
const B: f64 = 0.5;

/// Appends `c` (not ASCII), lowercased and folded, to `out`.
fn fold_into(c: char, out: &mut String) {
    for l in c.to_lowercase() {
        match l {
            'ä' => out.push('a'),
            'ö' => out.push('o'),
            'ü' => out.push('u'),
            'ß' => out.push_str("ss"),
            'ς' => out.push('σ'),
            _ => out.push(l),
        }
    }
}

/// Calls `each` with every word of `text`: runs of letters and digits, lowercased and folded.
/// A word that is lowercase ASCII already is passed as a slice of `text`, without a copy.
#[inline]
pub fn tokenize(text: &str, mut each: impl FnMut(&str)) {
    let bytes = text.as_bytes();
    let mut word = String::with_capacity(32);
    // The current word: where it starts, its length in characters, and whether it is still
    // the slice `text[start..]` (lowercase ASCII) rather than built up in `word`.
    let mut start = 0;
    let mut chars = 0;
    let mut plain = true;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let (c, len) = if b < 0x80 {
            (None, 1)
        } else {
            let c = text[i..]
                .chars()
                .next()
                .unwrap_or(char::REPLACEMENT_CHARACTER);
            (Some(c), c.len_utf8())
        };
        let alnum = match c {
            None => b.is_ascii_alphanumeric(),
            Some(c) => c.is_alphanumeric(),
        };
        if alnum {
            if chars == 0 {
                start = i;
                plain = true;
            }
            match c {
                None if plain && !b.is_ascii_uppercase() => {}
                _ => {
                    if plain {
                        word.clear();
                        word.push_str(&text[start..i]);
                        plain = false;
                    }
                    match c {
                        None => word.push(b.to_ascii_lowercase() as char),
                        Some(c) => fold_into(c, &mut word),
                    }
                }
            }
            chars += 1;
        } else if chars > 0 {
            if chars <= MAX_WORD_CHARS {
                each(if plain { &text[start..i] } else { &word });
            }
            chars = 0;
        }
        i += len;
    }
    if chars > 0 && chars <= MAX_WORD_CHARS {
        each(if plain { &text[start..] } else { &word });
    }
}

/// The words of `text`, as [`tokenize`] finds them.
#[cfg(test)]
fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    tokenize(text, |w| out.push(w.to_string()));
    out
}

/// Which stemmer a language tag gets: 0 none, 1 German, 2 English, 3 French, 4 Spanish.
fn lang_class(lang: &str) -> usize {
    match crate::config::primary_subtag(lang).as_str() {
        "de" => 1,
        "en" => 2,
        "fr" => 3,
        "es" => 4,
        _ => 0,
    }
}

fn stemmer(class: usize) -> Option<Stemmer> {
    match class {
        1 => Some(Stemmer::create(Algorithm::German)),
        2 => Some(Stemmer::create(Algorithm::English)),
        3 => Some(Stemmer::create(Algorithm::French)),
        4 => Some(Stemmer::create(Algorithm::Spanish)),
        _ => None,
    }
}

/// The stem of a (folded) word in a language tag's stemmer; the word itself where there is
/// none.
#[cfg(test)]
fn stem(word: &str, lang: &str) -> String {
    match stemmer(lang_class(lang)) {
        Some(s) => s.stem(word).into_owned(),
        None => word.to_string(),
    }
}

/// The first `n` characters of a word: its shard key.
pub fn key_of(word: &str, n: usize) -> &str {
    match word.char_indices().nth(n) {
        Some((i, _)) => &word[..i],
        None => word,
    }
}

/// The file name (without `.js`) of a shard key: ASCII letters and digits as they are,
/// anything else as `_<hex>_` (`search.js` names them the same way).
pub fn file_name(key: &str) -> String {
    let mut out = String::with_capacity(key.len());
    for c in key.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else {
            let _ = write!(out, "_{:x}_", c as u32);
        }
    }
    out
}

fn bucket_of(word: &str) -> usize {
    let mut h: u32 = 2166136261;
    for c in key_of(word, 2).chars() {
        h = (h ^ c as u32).wrapping_mul(16777619);
    }
    h as usize % BUCKETS
}

/// Postings of one partition of records: word → (record, term frequency), per bucket and
/// language.
type Postings = FxHashMap<String, Vec<(u32, u32)>>;

/// One stem of one language within a two-letter key: the words that have it and where they
/// occur, weighted.
struct Group {
    lang: usize,
    stem: String,
    words: Vec<String>,
    /// (record, weight), by record.
    postings: Vec<(u32, u32)>,
    common: bool,
}

/// Where index files go as they are made: (path below the output root, bytes).
pub type Sink<'s> = &'s (dyn Fn(PathBuf, Vec<u8>) -> Result<(), String> + Sync);

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

/// The identity of one index file, for the index's version: hashes of its path and bytes.
fn file_hash(path: &Path, bytes: &[u8]) -> (u64, u64) {
    let mut h = DefaultHasher::new();
    path.hash(&mut h);
    let path_hash = h.finish();
    bytes.hash(&mut h);
    (path_hash, h.finish())
}

/// Builds the index for `records` and hands each file to `sink` as soon as it is made, so
/// that the whole index (48 MB at 10k articles) is never in memory at once; `meta.js`,
/// which names the version, comes last.
pub fn write_index(records: Vec<Record<'_>>, sink: Sink<'_>) -> Result<(), String> {
    let n = records.len();
    if n >= u32::MAX as usize {
        return Err(format!("{n} records are more than the index can hold"));
    }
    // 1. Words of each record, in parallel partitions of consecutive records.
    let chunk = (n / (rayon::current_num_threads() * 8)).clamp(32, 4096);
    let parts: Vec<(Vec<Postings>, Vec<u32>)> = records
        .par_chunks(chunk)
        .enumerate()
        .map(|(ci, recs)| {
            let mut maps: Vec<Postings> =
                (0..BUCKETS * LANGS).map(|_| FxHashMap::default()).collect();
            let mut lens = Vec::with_capacity(recs.len());
            for (i, r) in recs.iter().enumerate() {
                let doc = (ci * chunk + i) as u32;
                let lang = lang_class(&r.lang);
                let mut len = 0u32;
                let mut add = |w: &str, inc: u32| {
                    len += 1;
                    let map = &mut maps[bucket_of(w) * LANGS + lang];
                    match map.get_mut(w) {
                        Some(p) => match p.last_mut() {
                            Some(last) if last.0 == doc => last.1 += inc,
                            _ => p.push((doc, inc)),
                        },
                        None => {
                            map.insert(w.to_string(), vec![(doc, inc)]);
                        }
                    }
                };
                tokenize(&r.title, |w| add(w, TITLE_BOOST));
                tokenize(&r.content, |w| add(w, 1));
                tokenize(r.more, |w| add(w, 1));
                lens.push(len);
            }
            (maps, lens)
        })
        .collect();
    let mut doc_len = Vec::with_capacity(n);
    let mut by_bucket: Vec<Vec<Postings>> = (0..BUCKETS * LANGS).map(|_| Vec::new()).collect();
    for (maps, lens) in parts {
        doc_len.extend(lens);
        for (slot, map) in by_bucket.iter_mut().zip(maps) {
            slot.push(map);
        }
    }
    let avg_len = (doc_len.iter().map(|&l| l as f64).sum::<f64>() / n.max(1) as f64).max(1.0);
    // A word in more than half of the records (and in more than 100) says nothing.
    let common_df = (n / 2).max(100);
    let weigh = Weigh {
        n: n as f64,
        avg_len,
        doc_len: &doc_len,
        common_df,
    };

    // 2. Per bucket: merge the partitions, stem each distinct word once, group by stem,
    //    weigh, and write the shards of the bucket's keys.
    let mut by_lang_bucket: Vec<[Vec<Postings>; LANGS]> = Vec::with_capacity(BUCKETS);
    let mut it = by_bucket.into_iter();
    for _ in 0..BUCKETS {
        by_lang_bucket.push(std::array::from_fn(|_| it.next().unwrap_or_default()));
    }
    let shards: Vec<Shards> = by_lang_bucket
        .into_par_iter()
        .map(|langs| bucket_shards(langs, &weigh, sink))
        .collect();

    // 3. The docs table, in shards of consecutive records.
    let docs: Vec<Result<(u64, u64), String>> = records
        .par_chunks(DOCS_PER_SHARD)
        .enumerate()
        .map(|(i, recs)| {
            let mut rows: Vec<[&str; 5]> = Vec::with_capacity(recs.len());
            let excerpts: Vec<String> =
                recs.iter().map(|r| excerpt(&r.title, &r.content)).collect();
            for (r, e) in recs.iter().zip(&excerpts) {
                // The language, so that a result in another than the page's carries `lang`.
                rows.push([&r.url, &r.title, &r.kind, e, &r.lang]);
            }
            let json = script_safe(&serde_json::to_string(&rows).unwrap_or_default());
            let text = format!("gloss_search_docs({i},{json});\n");
            let path = PathBuf::from(DIR).join("d").join(format!("{i}.js"));
            let hash = file_hash(&path, text.as_bytes());
            sink(path, text.into_bytes())?;
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
    let mut h = DefaultHasher::new();
    sorted.hash(&mut h);
    let meta = serde_json::json!({
        "v": format!("{:x}", h.finish()),
        "docs": n,
        "per": DOCS_PER_SHARD,
        "keys": keys,
        "split": split,
    });
    let meta = format!("gloss_search_meta({});\n", script_safe(&meta.to_string()));
    sink(PathBuf::from(DIR).join("meta.js"), meta.into_bytes())
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

fn bucket_shards<'s>(
    langs: [Vec<Postings>; LANGS],
    weigh: &Weigh<'_>,
    sink: Sink<'s>,
) -> Shards<'s> {
    // key → (lang, stem) → group
    let mut keys: BTreeMap<String, BTreeMap<(String, usize), Group>> = BTreeMap::new();
    for (lang, parts) in langs.into_iter().enumerate() {
        let mut parts = parts.into_iter();
        let Some(mut merged) = parts.next() else {
            continue;
        };
        for part in parts {
            for (w, p) in part {
                merged.entry(w).or_default().extend(p);
            }
        }
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

/// `gloss_search_shard("key",{"w":{…},"s":[…],"p":[[…],…]});` for groups (with the words of
/// each that belong to this shard). Words and stems are letters and digits only, so they
/// need no escaping.
fn shard_file(key: &str, groups: &[(&Group, Vec<&str>)]) -> (PathBuf, Vec<u8>) {
    let mut word_groups: BTreeMap<&str, Vec<i64>> = BTreeMap::new();
    let mut stems = String::new();
    let mut postings = String::new();
    let mut next = 0i64;
    for (g, ws) in groups {
        let id = if g.common {
            -1
        } else {
            if next > 0 {
                stems.push(',');
                postings.push(',');
            }
            let _ = write!(stems, "\"{}\"", g.stem);
            postings.push('[');
            let mut prev = 0u32;
            let mut num = itoa::Buffer::new();
            for (i, (doc, weight)) in g.postings.iter().enumerate() {
                if i > 0 {
                    postings.push(',');
                }
                postings.push_str(num.format(doc - prev));
                postings.push(',');
                postings.push_str(num.format(*weight));
                prev = *doc;
            }
            postings.push(']');
            next += 1;
            next - 1
        };
        debug_assert!(g.lang < LANGS);
        for w in ws {
            word_groups.entry(w).or_default().push(id);
        }
    }
    let mut text = String::with_capacity(postings.len() + stems.len() * 3 + 64);
    let _ = write!(text, "gloss_search_shard(\"{key}\",{{\"w\":{{");
    for (i, (w, ids)) in word_groups.iter_mut().enumerate() {
        if i > 0 {
            text.push(',');
        }
        // A word common in one language but not in another keeps the useful group.
        if ids.len() > 1 {
            ids.retain(|&g| g >= 0);
            if ids.is_empty() {
                ids.push(-1);
            }
        }
        if let [one] = ids.as_slice() {
            let _ = write!(text, "\"{w}\":{one}");
        } else {
            let list: Vec<String> = ids.iter().map(i64::to_string).collect();
            let _ = write!(text, "\"{w}\":[{}]", list.join(","));
        }
    }
    let _ = writeln!(text, "}},\"s\":[{stems}],\"p\":[{postings}]}});");
    (
        PathBuf::from(DIR)
            .join("t")
            .join(format!("{}.js", file_name(key))),
        text.into_bytes(),
    )
}

/// Markdown as one line of plain text, for an excerpt: emphasis and code marks dropped,
/// `[text](url)` → `text`, white space folded.
pub fn plain_markdown(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    let mut rest = md;
    while let Some(c) = rest.chars().next() {
        let step = c.len_utf8();
        match c {
            '*' | '`' => {}
            '_' if !out.ends_with(|p: char| p.is_alphanumeric()) || {
                let next = rest[step..].chars().next();
                !next.is_some_and(char::is_alphanumeric)
            } => {}
            ']' if rest[step..].starts_with('(') => {
                if let Some(end) = rest[step..].find(')') {
                    rest = &rest[step + end + 1..];
                    continue;
                }
            }
            '[' => {}
            c if c.is_whitespace() => {
                if !out.is_empty() && !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            c => out.push(c),
        }
        rest = &rest[step..];
    }
    out.trim_end().to_string()
}

/// The first line of `content` (after the title, where it repeats it), white space folded,
/// cut at a word near [`EXCERPT_CHARS`].
pub fn excerpt(title: &str, content: &str) -> String {
    let mut s = content.trim_start();
    if !title.is_empty()
        && let Some(rest) = s.strip_prefix(title.trim())
    {
        s = rest.trim_start();
    }
    let line = s.split('\n').next().unwrap_or("");
    let mut out = String::with_capacity(line.len().min(EXCERPT_CHARS + 8));
    let mut chars = 0;
    for w in line.split_whitespace() {
        let len = w.chars().count();
        if chars > 0 && chars + 1 + len > EXCERPT_CHARS {
            out.push_str(" …");
            return out;
        }
        if chars > 0 {
            out.push(' ');
            chars += 1;
        }
        if len > EXCERPT_CHARS {
            out.extend(w.chars().take(EXCERPT_CHARS));
            out.push('…');
            return out;
        }
        out.push_str(w);
        chars += len;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(url: &str, title: &str, content: &str, lang: &str) -> Record<'static> {
        Record {
            more: "",
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
    fn tokenizer_lowercases_folds_and_keeps_digits() {
        assert_eq!(
            words("Microsoft investierte 1 Milliarde US-Dollar, 2019 (fließt) ÄÖÜ"),
            [
                "microsoft",
                "investierte",
                "1",
                "milliarde",
                "us",
                "dollar",
                "2019",
                "fliesst",
                "aou"
            ]
        );
        assert_eq!(words("l'été café—Straße"), ["l", "été", "café", "strasse"]);
        assert_eq!(words("  ,;  "), Vec::<String>::new());
        assert!(words(&"x".repeat(41)).is_empty(), "too long for a word");
        assert_eq!(words("ΟΔΟΣ"), ["οδοσ"], "final sigma folds");
    }

    #[test]
    fn stems_agree_across_inflections() {
        assert_eq!(stem("milliarden", "de"), stem("milliarde", "de"));
        assert_eq!(stem("investierte", "de"), stem("investiert", "de"));
        assert_eq!(stem("investments", "en"), stem("investment", "en"));
        assert_eq!(stem("running", "en-GB"), "run");
        assert_eq!(stem("milliarden", "it"), "milliarden", "no stemmer");
        assert!("milliarden".starts_with(&stem("milliarde", "de")));
    }

    #[test]
    fn french_and_spanish_have_their_own_stemmers() {
        // The pairs tests/e2e/languages.mjs searches for, in the browser.
        assert_eq!(stem("investissements", "fr"), stem("investissement", "fr"));
        assert_eq!(stem("pistes", "fr"), stem("piste", "fr"));
        assert_eq!(stem("investissements", "fr-CA"), "invest");
        assert_eq!(stem("inversiones", "es"), stem("inversión", "es"));
        assert_eq!(stem("proyectos", "es"), stem("proyecto", "es"));
        // Not the English stemmer: it leaves French plurals in -ements alone.
        assert_ne!(stem("investissements", "en"), "invest");
    }

    #[test]
    fn each_language_s_records_are_stemmed_in_it() {
        let record = |lang: &str, text: &str| Record {
            url: format!("/{lang}/"),
            title: String::new(),
            content: text.to_string(),
            more: "",
            lang: lang.to_string(),
            kind: "article".into(),
        };
        let files = index(vec![
            record("fr", "investissements"),
            record("es", "inversiones"),
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
    fn shard_keys_and_file_names() {
        assert_eq!(key_of("milliarde", 2), "mi");
        assert_eq!(key_of("milliarde", 3), "mil");
        assert_eq!(key_of("1", 2), "1");
        assert_eq!(key_of("été", 2), "ét");
        assert_eq!(file_name("mi"), "mi");
        assert_eq!(file_name("ét"), "_e9_t");
        assert_eq!(file_name("日本"), "_65e5__672c_");
    }

    #[test]
    fn markdown_becomes_one_plain_line() {
        assert_eq!(
            plain_markdown(
                "Eine **fette** [Quelle](https://x.org/a_b) und\n`code`, snake_case _kursiv_."
            ),
            "Eine fette Quelle und code, snake_case kursiv."
        );
    }

    #[test]
    fn excerpts_skip_the_title_and_stop_at_a_word() {
        assert_eq!(excerpt("T", "T\nErste Zeile.\nZweite."), "Erste Zeile.");
        let long = "wort ".repeat(100);
        let e = excerpt("", &long);
        assert!(
            e.ends_with(" …") && e.chars().count() <= EXCERPT_CHARS + 2,
            "{e}"
        );
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
        assert_eq!(docs[0][3], "Kurz.");
        assert_eq!(docs[2][2], "article");
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
