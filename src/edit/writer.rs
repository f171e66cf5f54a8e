//! Annotations written into an article's front matter with `toml_edit`, which keeps what it
//! does not touch byte for byte: comments, key order, blank lines, the way each string is
//! written, and the body after the closing `+++`.
//!
//! A new annotation's table goes after the last table of its kind (before the comment that
//! heads the next section, which `toml_edit` keeps with the table it precedes), or at the end
//! of the front matter when the article has none of its kind yet.
use std::io::Write;
use std::path::Path;

use toml_edit::{ArrayOfTables, DocumentMut, Item, Table};

use crate::content::Kind;

/// A value of an annotation's key, as the editor's form or an import gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldValue {
    /// A string; one with line breaks is written as a multi-line string.
    Str(String),
    /// `true` / `false`.
    Bool(bool),
    /// A whole number (`occurrence`).
    Int(i64),
    /// A date, `YYYY-MM-DD`, written as a TOML date.
    Date(String),
    /// `sources = [...]`.
    Sources(Vec<Source>),
}

/// A source of a check.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
pub struct Source {
    /// Its address.
    pub url: String,
    /// Its title.
    #[serde(default)]
    pub title: Option<String>,
    /// An archived copy's address.
    #[serde(default)]
    pub archive: Option<String>,
    /// When the editor last saw it, `YYYY-MM-DD`.
    #[serde(default)]
    pub accessed: Option<String>,
}

/// Keys of an annotation in the order a new table lists them (the order of the manual).
const KEY_ORDER: [&str; 19] = [
    "text",
    "prefix",
    "suffix",
    "occurrence",
    "all",
    "id",
    "claim",
    "by",
    "speaker",
    "role",
    "date",
    "verdict",
    "conclusion",
    "value",
    "unit",
    "ignore",
    "correct",
    "note",
    "sources",
];

/// Why the front matter could not be changed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WriteError {
    /// The file has no `+++` front matter.
    #[error("the file has no front matter between `+++` lines")]
    NoFrontMatter,
    /// The front matter is not TOML (`toml_edit` says where).
    #[error("the front matter is not valid TOML: {0}")]
    Toml(String),
    /// There is no `position`-th table of the kind.
    #[error("there is no annotation number {position} of kind `{kind}`")]
    NoSuchTable {
        /// The table name.
        kind: &'static str,
        /// 1-based.
        position: usize,
    },
    /// `[[kind]]` is written as something else than an array of tables.
    #[error("`{0}` in the front matter is not a list of `[[{0}]]` tables")]
    NotTables(&'static str),
    /// A key the writer does not know.
    #[error("`{0}` is not a key of an annotation")]
    UnknownKey(String),
    /// A date that is not `YYYY-MM-DD`.
    #[error("`{0}` is not a date (YYYY-MM-DD)")]
    BadDate(String),
    /// The file changed on disk since it was read.
    #[error("the file changed on disk since the page was served; reload it and try again")]
    Changed,
    /// Reading or writing the file failed.
    #[error("{0}")]
    Io(String),
}

/// The front matter's byte range in `file` (after a byte order mark, if any).
fn front_matter(file: &str) -> Result<std::ops::Range<usize>, WriteError> {
    let bom = if file.starts_with('\u{feff}') { 3 } else { 0 };
    match crate::content::split_front_matter(&file[bom..]) {
        Some(Ok((fm, _))) => Ok(fm.start + bom..fm.end + bom),
        _ => Err(WriteError::NoFrontMatter),
    }
}

/// The front matter of `file` (between the `+++` lines), if it has one.
pub fn front_matter_of(file: &str) -> Option<&str> {
    front_matter(file).ok().map(|r| &file[r])
}

/// Runs `edit` on the parsed front matter of `file` and puts it back in place.
fn with_document(
    file: &str,
    edit: impl FnOnce(&mut DocumentMut) -> Result<(), WriteError>,
) -> Result<String, WriteError> {
    let fm = front_matter(file)?;
    let mut doc: DocumentMut = file[fm.clone()]
        .parse()
        .map_err(|e: toml_edit::TomlError| WriteError::Toml(e.message().to_string()))?;
    edit(&mut doc)?;
    let mut text = doc.to_string();
    // The closing `+++` must stay on a line of its own.
    if !text.is_empty() && !text.ends_with('\n') {
        text.push('\n');
    }
    Ok(format!("{}{}{}", &file[..fm.start], text, &file[fm.end..]))
}

fn tables_of(doc: &mut DocumentMut, kind: Kind) -> Result<&mut ArrayOfTables, WriteError> {
    let key = kind.key();
    match doc.get_mut(key) {
        Some(item) => item
            .as_array_of_tables_mut()
            .ok_or(WriteError::NotTables(key)),
        None => Err(WriteError::NoSuchTable {
            kind: key,
            position: 1,
        }),
    }
}

/// `file` with a new `[[kind]]` table holding `fields`, after that kind's last table.
pub fn append(file: &str, kind: Kind, fields: &[(&str, FieldValue)]) -> Result<String, WriteError> {
    let mut sorted: Vec<&(&str, FieldValue)> = fields.iter().collect();
    for (key, _) in &sorted {
        if !KEY_ORDER.contains(key) {
            return Err(WriteError::UnknownKey(key.to_string()));
        }
    }
    sorted.sort_by_key(|(k, _)| KEY_ORDER.iter().position(|o| o == k));
    let mut table = Table::new();
    for (key, value) in sorted {
        table.insert(key, Item::Value(value_of(value)?));
    }
    // A blank line before the table, as the editor's own tables have.
    table.decor_mut().set_prefix("\n");
    with_document(file, |doc| {
        let key = kind.key();
        match doc.get_mut(key) {
            Some(item) => item
                .as_array_of_tables_mut()
                .ok_or(WriteError::NotTables(key))?
                .push(table),
            None => {
                // Comments after the last key stay where they are, before the new table
                // (`toml_edit` would keep them at the end of the document, after it).
                let trailing = doc.trailing().as_str().unwrap_or("").to_string();
                let mut table = table;
                if trailing.contains('#') {
                    let sep = if trailing.ends_with('\n') {
                        "\n"
                    } else {
                        "\n\n"
                    };
                    table.decor_mut().set_prefix(format!("{trailing}{sep}"));
                    doc.set_trailing("");
                }
                let mut tables = ArrayOfTables::new();
                tables.push(table);
                doc.insert(key, Item::ArrayOfTables(tables));
            }
        }
        Ok(())
    })
}

/// `file` with the `position`-th (1-based) `[[kind]]` table changed: each key of `changes`
/// set (keeping where it stands and any comment after it) or, for `None`, removed. Keys not
/// named keep their values.
pub fn update(
    file: &str,
    kind: Kind,
    position: usize,
    changes: &[(&str, Option<FieldValue>)],
) -> Result<String, WriteError> {
    for (key, _) in changes {
        if !KEY_ORDER.contains(key) {
            return Err(WriteError::UnknownKey(key.to_string()));
        }
    }
    let values: Vec<(&str, Option<toml_edit::Value>)> = changes
        .iter()
        .map(|(k, v)| Ok((*k, v.as_ref().map(value_of).transpose()?)))
        .collect::<Result<_, WriteError>>()?;
    with_document(file, |doc| {
        let table = tables_of(doc, kind)?
            .get_mut(position.wrapping_sub(1))
            .ok_or(WriteError::NoSuchTable {
                kind: kind.key(),
                position,
            })?;
        for (key, value) in values {
            match value {
                None => {
                    table.remove(key);
                }
                Some(mut value) => match table.get_mut(key) {
                    Some(Item::Value(old)) => {
                        if same_value(old, &value) {
                            continue;
                        }
                        *value.decor_mut() = old.decor().clone();
                        *old = value;
                    }
                    _ => insert_in_order(table, key, value),
                },
            }
        }
        Ok(())
    })
}

/// Puts the new `key` where [`KEY_ORDER`] has it among the table's keys: before the first
/// key that comes after it (which, with those after it, keeps how it is written).
fn insert_in_order(table: &mut Table, key: &str, value: toml_edit::Value) {
    let order = |k: &str| KEY_ORDER.iter().position(|o| *o == k).unwrap_or(usize::MAX);
    let keys: Vec<String> = table.iter().map(|(k, _)| k.to_string()).collect();
    let moved: Vec<(toml_edit::Key, Item)> = match keys.iter().position(|k| order(k) > order(key)) {
        Some(at) => keys[at..]
            .iter()
            .filter_map(|k| table.remove_entry(k))
            .collect(),
        None => Vec::new(),
    };
    table.insert(key, Item::Value(value));
    for (k, item) in moved {
        table.insert_formatted(&k, item);
    }
}

/// `file` without its `position`-th (1-based) `[[kind]]` table. A comment heading that table
/// passes to the next table of the kind.
pub fn remove(file: &str, kind: Kind, position: usize) -> Result<String, WriteError> {
    with_document(file, |doc| {
        let key = kind.key();
        let tables = tables_of(doc, kind)?;
        let index = position.wrapping_sub(1);
        if index >= tables.len() {
            return Err(WriteError::NoSuchTable {
                kind: key,
                position,
            });
        }
        let prefix = tables
            .get(index)
            .and_then(|t| t.decor().prefix())
            .and_then(|p| p.as_str())
            .map(str::to_string);
        tables.remove(index);
        if let (Some(prefix), Some(next)) = (prefix, tables.get_mut(index))
            && prefix.contains('#')
        {
            next.decor_mut().set_prefix(prefix);
        }
        if tables.is_empty() {
            doc.remove(key);
        }
        Ok(())
    })
}

/// Whether the new value says what the old one does (a form sends every field back; a value
/// it did not change keeps how it is written).
fn same_value(old: &toml_edit::Value, new: &toml_edit::Value) -> bool {
    let strip = |v: &toml_edit::Value| {
        let mut v = v.clone();
        v.decor_mut().clear();
        toml::from_str::<toml::Value>(&format!("v = {v}")).ok()
    };
    strip(old).is_some_and(|o| Some(o) == strip(new))
}

/// The TOML value of `v`, written as an editor would write it.
fn value_of(v: &FieldValue) -> Result<toml_edit::Value, WriteError> {
    let repr = match v {
        FieldValue::Str(s) => string(s),
        FieldValue::Bool(b) => b.to_string(),
        FieldValue::Int(n) => n.to_string(),
        FieldValue::Date(d) => date(d)?,
        FieldValue::Sources(sources) => {
            let mut out = String::from("[\n");
            for s in sources {
                // A bare address is written as one, as editors write them.
                if s.title.is_none() && s.archive.is_none() && s.accessed.is_none() {
                    out.push_str(&format!("  {},\n", basic(&s.url)));
                    continue;
                }
                let mut parts = Vec::new();
                if let Some(t) = &s.title {
                    parts.push(format!("title = {}", basic(t)));
                }
                parts.push(format!("url = {}", basic(&s.url)));
                if let Some(a) = &s.archive {
                    parts.push(format!("archive = {}", basic(a)));
                }
                if let Some(d) = &s.accessed {
                    parts.push(format!("accessed = {}", date(d)?));
                }
                out.push_str(&format!("  {{ {} }},\n", parts.join(", ")));
            }
            out.push(']');
            out
        }
    };
    let mut value: toml_edit::Value = repr
        .parse()
        .map_err(|e: toml_edit::TomlError| WriteError::Toml(e.message().to_string()))?;
    value.decor_mut().clear();
    Ok(value)
}

fn date(d: &str) -> Result<String, WriteError> {
    match d.parse::<jiff::civil::Date>() {
        Ok(date) if date.to_string() == d => Ok(d.to_string()),
        _ => Err(WriteError::BadDate(d.to_string())),
    }
}

/// A string as TOML: a basic string, or a multi-line one for text with line breaks (a note
/// of several paragraphs), as the editor's own notes are written.
fn string(s: &str) -> String {
    if !s.contains('\n') {
        return basic(s);
    }
    let mut out = String::from("\"\"\"\n");
    for c in s.chars() {
        match c {
            '\n' | '\t' => out.push(c),
            _ => escape(c, &mut out),
        }
    }
    out.push_str("\"\"\"");
    out
}

fn basic(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        escape(c, &mut out);
    }
    out.push('"');
    out
}

fn escape(c: char, out: &mut String) {
    match c {
        '"' => out.push_str("\\\""),
        '\\' => out.push_str("\\\\"),
        '\n' => out.push_str("\\n"),
        '\t' => out.push_str("\\t"),
        '\r' => out.push_str("\\r"),
        c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
        c => out.push(c),
    }
}

/// A fingerprint of a file's bytes: what the page was served from, compared before a save.
pub fn fingerprint(bytes: &[u8]) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(bytes))
}

/// Replaces `path` with `text`, unless its bytes no longer have the fingerprint `expected`.
/// The new text goes to a temporary file beside it, which then takes the old one's place in
/// one step: a save cut short leaves the old file as it was.
pub fn save(path: &Path, expected: &str, text: &str) -> Result<(), WriteError> {
    let io = |e: std::io::Error| WriteError::Io(format!("{}: {e}", path.display()));
    let current = std::fs::read(path).map_err(io)?;
    if fingerprint(&current) != expected {
        return Err(WriteError::Changed);
    }
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut tmp = tempfile::Builder::new()
        .prefix(".gloss-save-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(io)?;
    tmp.write_all(text.as_bytes()).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    if let Ok(meta) = std::fs::metadata(path) {
        let _ = std::fs::set_permissions(tmp.path(), meta.permissions());
    }
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SEED: &str = include_str!("../../content/2019/microsoft-openai.md");

    fn body(file: &str) -> &str {
        let fm = front_matter(file).unwrap();
        &file[fm.end..]
    }

    #[test]
    fn an_untouched_document_comes_back_byte_for_byte() {
        let same = with_document(SEED, |_| Ok(())).unwrap();
        assert_eq!(same, SEED);
    }

    #[test]
    fn a_claim_goes_after_the_last_claim_and_keeps_everything_else() {
        let out = append(
            SEED,
            Kind::Claim,
            &[
                ("verdict", FieldValue::Str("false".into())),
                ("text", FieldValue::Str("Was ist OpenAI?".into())),
                ("by", FieldValue::Str("Stephen Merity".into())),
                (
                    "note",
                    FieldValue::Str("Erste Zeile mit \"Anführung\".\nZweite \\ Zeile.\n".into()),
                ),
                (
                    "sources",
                    FieldValue::Sources(vec![Source {
                        url: "https://example.org/a".into(),
                        title: Some("Ein Titel".into()),
                        archive: None,
                        accessed: Some("2019-07-23".into()),
                    }]),
                ),
            ],
        )
        .unwrap();
        assert_eq!(body(&out), body(SEED));
        // Everything before the new table and after it is the old file's.
        let at = out.find("\n[[claim]]\ntext = \"Was ist OpenAI?\"").unwrap();
        assert!(SEED.starts_with(&out[..at]));
        let added = &out[at..out.len() - (SEED.len() - at)];
        assert!(out.ends_with(&SEED[at..]));
        insta::assert_snapshot!(added);
        // And it says what was asked.
        let fm: toml::Table = toml::from_str(&out[front_matter(&out).unwrap()]).unwrap();
        let claims = fm["claim"].as_array().unwrap();
        let new = claims.last().unwrap();
        assert_eq!(
            new["note"].as_str(),
            Some("Erste Zeile mit \"Anführung\".\nZweite \\ Zeile.\n")
        );
        assert_eq!(new["sources"][0]["accessed"].to_string(), "2019-07-23");
    }

    #[test]
    fn the_first_of_a_kind_goes_at_the_end() {
        let file = "+++\ntitle = \"T\" # the title\ndate = 2019-07-24\n\n# quotes\n[[quote]]\ntext = \"a\"\nspeaker = \"B\"\n# the end\n+++\nBody *kept*  \n\n\n";
        let out = append(
            file,
            Kind::Note,
            &[
                ("text", FieldValue::Str("a".into())),
                ("note", FieldValue::Str("n".into())),
            ],
        )
        .unwrap();
        // The snapshot does not show trailing white space; the body keeps every byte of it.
        assert!(out.ends_with("+++\nBody *kept*  \n\n\n"));
        insta::assert_snapshot!(out);
    }

    #[test]
    fn an_edit_changes_the_values_and_nothing_around_them() {
        let file = "+++\ntitle = \"T\"\n\n[[claim]]\ntext = \"a\"\nverdict = \"true\"   # checked\nnote = \"\"\"\nold\n\"\"\"\nby = \"X\"\n\n[[claim]]\ntext = \"b\"\nverdict = \"false\"\n+++\nbody\n";
        let out = update(
            file,
            Kind::Claim,
            1,
            &[
                ("text", Some(FieldValue::Str("a".into()))),
                ("verdict", Some(FieldValue::Str("mixed".into()))),
                ("note", Some(FieldValue::Str("old\n".into()))),
                ("by", None),
                ("conclusion", Some(FieldValue::Str("Gemischt.".into()))),
            ],
        )
        .unwrap();
        insta::assert_snapshot!(out);
        assert_eq!(
            update(file, Kind::Claim, 3, &[]),
            Err(WriteError::NoSuchTable {
                kind: "claim",
                position: 3
            })
        );
        assert_eq!(
            update(file, Kind::Claim, 1, &[("verdikt", None)]),
            Err(WriteError::UnknownKey("verdikt".into()))
        );
    }

    #[test]
    fn a_removed_table_leaves_its_section_heading_to_the_next() {
        let file = "+++\ntitle = \"T\"\n\n# ── Zitate ──\n\n[[quote]]\ntext = \"a\"\nspeaker = \"A\"\n\n[[quote]]\ntext = \"b\"\nspeaker = \"B\"\n\n# ── Notes ──\n[[note]]\ntext = \"c\"\n+++\nbody\n";
        let first = remove(file, Kind::Quote, 1).unwrap();
        insta::assert_snapshot!(first);
        let last = remove(&remove(file, Kind::Note, 1).unwrap(), Kind::Quote, 2).unwrap();
        insta::assert_snapshot!(last);
    }

    #[test]
    fn a_save_replaces_the_file_only_if_it_is_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        std::fs::write(&path, "old").unwrap();
        let seen = fingerprint(b"old");
        std::fs::write(&path, "changed meanwhile").unwrap();
        assert_eq!(save(&path, &seen, "new"), Err(WriteError::Changed));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "changed meanwhile");
        let seen = fingerprint(b"changed meanwhile");
        save(&path, &seen, "new").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        // No temporary file is left beside it.
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
