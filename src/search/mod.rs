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
//! - `d/<n>.js`: `gloss_search_docs(n, [[url, title, excerpt, kind, lang], …])`: records
//!   `n * per ..`, in record order (an article is followed by its claims, so their rows share
//!   a shard), each without what the row before says (`format::pack_rows`): a claim's url
//!   is `#id` on the page of the row before without a fragment, its excerpt `1` where it is
//!   that row's title, and `kind` and `lang` are left off (or `null`) where unchanged.
//!
//! Why scripts calling a global function rather than JSON: browsers refuse `fetch()` of
//! `file://` URLs, but run a `<script src>` from anywhere, so the same folder works from a
//! web server, under any path, and opened from disk.
//!
//! Words are Unicode-lowercased runs of letters and digits, with `ä ö ü ß ς` folded to
//! `a o u ss σ` (`search.js` folds the same way). Stems come from Snowball (German, English,
//! French or Spanish by the record's language) and never reach the browser as an algorithm:
//! a query word is looked up as a word; a word the site never used still finds its stem's
//! group when a stem of the shard is a prefix of it ("milliarden" → "milliard"), or a word of
//! the shard is it with or without an ending of one or two letters (French "investissement"
//! finds "investissements", whose stem "invest" is too short a prefix to tell), and the last
//! word of a query also completes ("milli" → "milliarde"). `tests/e2e/languages.sh` checks in
//! Chromium that this finds, per language, the forms Snowball gives one stem.
//!
//! The subsystem has five parts: [`tokenizer`] (words and stems, the contract with
//! `search.js`, pinned by `tests/search_vectors.json`), [`terms`] (an article's words
//! counted while it is built, kept in its summary instead of its text), [`records`] (what
//! is searchable, made from the build session's article summaries and people), [`index`]
//! (postings weighed and sharded) and `format` (the files' names and bytes).
mod format;
pub mod index;
pub mod records;
pub mod terms;
pub mod tokenizer;

pub use index::{Made, Previous, write_index};
pub use terms::Terms;

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
    /// More words that are searched, counted when the article was built (an article's
    /// text: tokenizing every article's text again for the index, and holding it until
    /// then, cost as much as the rest of the index).
    pub more: Option<&'t Terms>,
    /// Language tag; German and English words are stemmed.
    pub lang: String,
    /// "article", "claim" or "person".
    pub kind: String,
}

/// Where the index is written, below the output root.
pub const DIR: &str = "search/i";

/// Where index files go as they are made: (path below the output root, bytes).
pub type Sink<'s> = &'s (dyn Fn(std::path::PathBuf, Vec<u8>) -> Result<(), String> + Sync);
