//! The index's files: their names and bytes, as `static/search.js` reads them (see the
//! module docs of [`super`]).
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};

use super::index::Group;
use super::{DIR, Record};
use crate::render::script_safe;

/// Records per docs shard.
pub(super) const DOCS_PER_SHARD: usize = 128;
/// Excerpts are cut to about this many characters.
const EXCERPT_CHARS: usize = 180;

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

/// The identity of one index file, for the index's version: hashes of its path and bytes.
pub(super) fn file_hash(path: &Path, bytes: &[u8]) -> (u64, u64) {
    let mut h = DefaultHasher::new();
    path.hash(&mut h);
    let path_hash = h.finish();
    bytes.hash(&mut h);
    (path_hash, h.finish())
}

/// `d/<i>.js`: the rows of records `recs`, the `i`th docs shard, packed (see [`pack_rows`]).
pub(super) fn docs_file(i: usize, recs: &[Record<'_>]) -> (PathBuf, Vec<u8>) {
    let excerpts: Vec<String> = recs.iter().map(|r| excerpt(&r.title, &r.content)).collect();
    let rows = pack_rows(recs.iter().zip(&excerpts).map(|(r, e)| {
        // The language, so that a result in another than the page's carries `lang`.
        [r.url.as_str(), &r.title, &r.kind, e, &r.lang]
    }));
    let json = script_safe(&serde_json::to_string(&rows).unwrap_or_default());
    let text = format!("gloss_search_docs({i},{json});\n");
    let path = PathBuf::from(DIR).join("d").join(format!("{i}.js"));
    (path, text.into_bytes())
}

/// A docs shard's rows `[url, title, kind, excerpt, lang]` as written, without what the
/// row before says (`search.js` unpacks them, `unpack`): `[url, title, excerpt, kind, lang]`
/// where `url` is `#fragment` on the page of the shard's last row without a fragment (an
/// article's claims follow it), `excerpt` is `1` for that row's title (a claim without a
/// conclusion shows its article's title), and `kind` and `lang` are left off, or `null`,
/// where they are the previous row's. At 10k articles this was 6 MB of the docs' 19.
pub(super) fn pack_rows<'r>(
    rows: impl IntoIterator<Item = [&'r str; 5]>,
) -> Vec<Vec<serde_json::Value>> {
    use serde_json::Value;
    let mut out = Vec::new();
    let mut page: Option<[&str; 2]> = None;
    let mut prev: Option<[&str; 5]> = None;
    for row @ [url, title, kind, excerpt, lang] in rows {
        let fragment = page.and_then(|[p, _]| url.strip_prefix(p).filter(|f| f.starts_with('#')));
        let mut packed = vec![
            Value::from(fragment.unwrap_or(url)),
            Value::from(title),
            match page {
                Some([_, t]) if fragment.is_some() && t == excerpt => Value::from(1),
                _ => Value::from(excerpt),
            },
        ];
        let same_kind = prev.is_some_and(|p| p[2] == kind);
        let same_lang = prev.is_some_and(|p| p[4] == lang);
        if !same_lang {
            packed.push(if same_kind { Value::Null } else { kind.into() });
            packed.push(lang.into());
        } else if !same_kind {
            packed.push(kind.into());
        }
        out.push(packed);
        if !url.contains('#') {
            page = Some([url, title]);
        }
        prev = Some(row);
    }
    out
}

/// `meta.js`: the version (a hash of every other file's hash, `sorted`), the counts and keys.
pub(super) fn meta_file(
    sorted: &[(u64, u64)],
    docs: usize,
    keys: &[String],
    split: &[String],
) -> (PathBuf, Vec<u8>) {
    let mut h = DefaultHasher::new();
    sorted.hash(&mut h);
    let meta = serde_json::json!({
        "v": format!("{:x}", h.finish()),
        "docs": docs,
        "per": DOCS_PER_SHARD,
        "keys": keys,
        "split": split,
    });
    let meta = format!("gloss_search_meta({});\n", script_safe(&meta.to_string()));
    (PathBuf::from(DIR).join("meta.js"), meta.into_bytes())
}

/// `gloss_search_shard("key",{"w":{…},"s":[…],"p":[[…],…]});` for groups (with the words of
/// each that belong to this shard). Words and stems are letters and digits only, so they
/// need no escaping.
pub(super) fn shard_file(key: &str, groups: &[(&Group, Vec<&str>)]) -> (PathBuf, Vec<u8>) {
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
        debug_assert!(g.lang < super::tokenizer::LANGS);
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

    /// Rows packed as `pack_rows` says, and unpacked as `search.js` does, are the rows.
    #[test]
    fn docs_rows_pack_what_the_row_before_says() {
        let rows = [
            ["/c/#x", "C: x", "claim", "An earlier article", "de"],
            ["/a/", "A", "article", "Kurz.", "de"],
            ["/a/#claim-1", "Falsch: 1", "claim", "Fazit.", "de"],
            ["/a/#claim-2", "Stimmt: 2", "claim", "A", "de"],
            ["/ab/#y", "Y", "claim", "A", "de"],
            ["/en/b/", "B", "article", "Short.", "en"],
            ["/en/b/#c", "True: c", "claim", "B", "de"],
            ["/people/x/", "X", "person", "X", "de"],
        ];
        let packed = serde_json::to_string(&pack_rows(rows)).unwrap();
        assert_eq!(
            packed,
            r##"[["/c/#x","C: x","An earlier article","claim","de"],["/a/","A","Kurz.","article"],["#claim-1","Falsch: 1","Fazit.","claim"],["#claim-2","Stimmt: 2",1],["/ab/#y","Y","A"],["/en/b/","B","Short.","article","en"],["#c","True: c",1,"claim","de"],["/people/x/","X","X","person"]]"##
        );
        // search.js's unpack, in Rust.
        let mut page: Option<(String, String)> = None;
        let mut prev: Option<[String; 5]> = None;
        let packed: Vec<Vec<serde_json::Value>> = serde_json::from_str(&packed).unwrap();
        for (row, want) in packed.iter().zip(rows) {
            let cell = |i: usize| row.get(i).and_then(|v| v.as_str()).map(str::to_string);
            let mut url = cell(0).unwrap();
            if url.starts_with('#') {
                url = format!("{}{url}", page.as_ref().unwrap().0);
            }
            let excerpt = match &row[2] {
                serde_json::Value::Number(_) => page.as_ref().unwrap().1.clone(),
                v => v.as_str().unwrap().to_string(),
            };
            let p = prev.clone();
            let kind = cell(3)
                .or_else(|| p.as_ref().map(|p| p[2].clone()))
                .unwrap();
            let lang = cell(4)
                .or_else(|| p.as_ref().map(|p| p[4].clone()))
                .unwrap();
            let got = [url, cell(1).unwrap(), kind, excerpt, lang];
            assert_eq!(got, want.map(str::to_string));
            if !got[0].contains('#') {
                page = Some((got[0].clone(), got[1].clone()));
            }
            prev = Some(got);
        }
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
}
