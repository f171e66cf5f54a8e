//! The ids the site published, in `published-ids.jsonl` at the site root (see
//! [`crate::annotate::history`]). Readers, other sites and search engines link to
//! `…/#claim-…`, so what was published is part of the site, not a cache: the file is meant
//! to be committed with the content, like a lockfile, so that a build from a fresh checkout
//! (CI) knows it as well as the last build on the editor's machine did.
//!
//! One article a line, sorted by path: a review shows which articles' ids changed, and two
//! branches that touched different articles merge without conflict. Only a real build
//! writes it (not `serve`, not `check`), only when a record changed, and in one rename.
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::annotate::history::{Published, PublishedAnchor};
use crate::diagnostics::Diagnostic;

/// The record's name, at the site root.
pub const FILE: &str = "published-ids.jsonl";
/// Changes whenever the records change shape.
const FORMAT: u32 = 1;
/// Said in the file itself, for whoever opens it in a review.
const NOTE: &str = "The annotation ids gloss build published, one article a line. Commit this file; do not edit it.";

/// What an article the record does not know published, on a site that has a record: nothing
/// (an article added since, or one without annotations).
static NOTHING: Published = Published {
    anchors: Vec::new(),
};

/// The file's first line.
#[derive(Serialize, Deserialize)]
struct Header {
    format: u32,
    #[serde(default)]
    note: String,
}

/// One article's line.
#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Line<S, A> {
    article: S,
    anchors: A,
}

/// The ids each article published and where, by source path relative to the site root.
pub struct PublishedIds {
    root: PathBuf,
    /// Whether the site has a record at all (a site first built by this version has none).
    recorded: bool,
    /// By `/`-separated source path; articles with no anchors are left out.
    records: HashMap<String, Published>,
    /// Whether `records` differ from the file.
    dirty: bool,
}

/// `rel` as the record writes it: `/`-separated on every platform, since the file is shared.
fn key(rel: &Path) -> String {
    let mut out = String::with_capacity(rel.as_os_str().len());
    for c in rel.components() {
        if !out.is_empty() {
            out.push('/');
        }
        out.push_str(&c.as_os_str().to_string_lossy());
    }
    out
}

impl PublishedIds {
    /// The record of the site at `root`; a record that cannot be read is an error at its
    /// place, for everything depends on it.
    pub fn load(root: &Path) -> Result<PublishedIds, Diagnostic> {
        let mut ids = PublishedIds {
            root: root.to_path_buf(),
            recorded: false,
            records: HashMap::new(),
            dirty: true,
        };
        let bytes = match std::fs::read(root.join(FILE)) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(ids),
            Err(e) => {
                return Err(Diagnostic::file(FILE, format!("cannot read `{FILE}`: {e}"))
                    .with_help(HELP_DAMAGED));
            }
        };
        let text = match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                let text = String::from_utf8_lossy(e.as_bytes()).into_owned();
                return Err(damaged(&text, at..at + 1, "the file is not UTF-8"));
            }
        };
        ids.records = parse(&text)?;
        ids.recorded = true;
        ids.dirty = false;
        Ok(ids)
    }

    /// A record that knows nothing, on a site that has one: for `gloss check` to go on
    /// when the site's record could not be read.
    pub fn unreadable(root: &Path) -> PublishedIds {
        PublishedIds {
            root: root.to_path_buf(),
            recorded: true,
            records: HashMap::new(),
            dirty: false,
        }
    }

    /// Whether the site has a record: without one, no build can have published ids that
    /// this one does not know of, except as earlier versions of gloss gave them.
    pub fn recorded(&self) -> bool {
        self.recorded
    }

    /// What the site published of `rel`; `None` when the site has no record at all.
    pub fn get(&self, rel: &Path) -> Option<&Published> {
        match self.records.get(&key(rel)) {
            Some(r) => Some(r),
            None if self.recorded => Some(&NOTHING),
            None => None,
        }
    }

    /// Records what this build publishes of `rel`.
    pub fn put(&mut self, rel: PathBuf, record: Published) {
        let key = key(&rel);
        if record.anchors.is_empty() {
            self.dirty |= self.records.remove(&key).is_some();
        } else if self.records.get(&key) != Some(&record) {
            self.records.insert(key, record);
            self.dirty = true;
        }
    }

    /// Writes the file if a record changed (or the site had none): in full, sorted, into a
    /// hidden file beside it that then takes its place, so that the file is always whole.
    pub fn save(&self) -> std::io::Result<()> {
        if !self.dirty {
            return Ok(());
        }
        let mut articles: Vec<(&String, &Published)> = self.records.iter().collect();
        articles.par_sort_unstable_by(|a, b| a.0.cmp(b.0));
        let lines: Vec<Vec<u8>> = articles
            .par_iter()
            .map(|(article, record)| {
                let mut line = serde_json::to_vec(&Line {
                    article: article.as_str(),
                    anchors: &record.anchors,
                })?;
                line.push(b'\n');
                Ok(line)
            })
            .collect::<serde_json::Result<_>>()?;
        let mut out = serde_json::to_vec(&Header {
            format: FORMAT,
            note: NOTE.to_string(),
        })?;
        out.push(b'\n');
        out.reserve(lines.iter().map(Vec::len).sum());
        for line in lines {
            out.extend_from_slice(&line);
        }
        let mut tmp = tempfile::Builder::new()
            .prefix(".published-ids-")
            .suffix(".tmp")
            .tempfile_in(&self.root)?;
        tmp.write_all(&out)?;
        tmp.as_file().sync_all()?;
        tmp.persist(self.root.join(FILE)).map_err(|e| e.error)?;
        Ok(())
    }
}

const HELP_DAMAGED: &str = "gloss writes this file and it is meant to be committed: restore it from version control (`git checkout -- published-ids.jsonl`), or delete it to start afresh (links readers already have to annotations of an edited article may then stop reaching them)";

fn damaged(text: &str, span: std::ops::Range<usize>, what: &str) -> Diagnostic {
    Diagnostic::at(
        FILE,
        text,
        span,
        format!(
            "`{FILE}`, the record of the annotation ids the site published, is damaged: {what}"
        ),
    )
    .with_help(HELP_DAMAGED)
}

/// The message of a JSON error, without serde's own position (the diagnostic has the file's).
fn json_message(e: &serde_json::Error) -> String {
    let s = e.to_string();
    match s.rfind(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// The byte offset in `line` of serde's 1-based column (in bytes) of its line 1.
fn column_offset(line: &str, e: &serde_json::Error) -> usize {
    if e.line() > 1 {
        return 0;
    }
    e.column().saturating_sub(1).min(line.len())
}

/// The records in `text`, a whole record file.
fn parse(text: &str) -> Result<HashMap<String, Published>, Diagnostic> {
    let mut lines: Vec<(usize, &str)> = Vec::new();
    let mut start = usize::from(text.starts_with('\u{feff}')) * '\u{feff}'.len_utf8();
    while start < text.len() {
        let end =
            memchr::memchr(b'\n', &text.as_bytes()[start..]).map_or(text.len(), |i| start + i);
        let line = &text[start..end];
        for marker in ["<<<<<<<", "|||||||", "=======", ">>>>>>>"] {
            if line.starts_with(marker) {
                return Err(Diagnostic::at(
                    FILE,
                    text,
                    start..start + marker.len(),
                    format!("`{FILE}` holds a merge conflict not yet resolved (the line `{marker}`)"),
                )
                .with_help(
                    "between `<<<<<<<` and `>>>>>>>`, keep one line for each article (of an article on both sides, the one of the build published last), delete the marker lines, and run `gloss build` again",
                ));
            }
        }
        if !line.trim().is_empty() {
            lines.push((start, line));
        }
        start = end + 1;
    }
    let Some(&(header_at, header)) = lines.first() else {
        return Err(damaged(
            text,
            0..0,
            "it is empty, without even its first line",
        ));
    };
    match serde_json::from_str::<Header>(header) {
        Ok(h) if h.format == FORMAT => {}
        Ok(h) => {
            return Err(Diagnostic::at(
                FILE,
                text,
                header_at..header_at + header.len(),
                format!(
                    "`{FILE}` was written by another version of gloss (format {}; this one reads format {FORMAT})",
                    h.format
                ),
            )
            .with_help("build with the version of gloss that wrote it, or a newer one"));
        }
        Err(_) => {
            return Err(damaged(
                text,
                header_at..header_at + header.len(),
                &format!("its first line must be gloss's `{{\"format\":{FORMAT},…}}`"),
            ));
        }
    }
    let parsed: Vec<Result<Line<String, Vec<PublishedAnchor>>, Diagnostic>> = lines[1..]
        .par_iter()
        .map(|&(at, line)| {
            serde_json::from_str(line).map_err(|e| {
                let at = at + column_offset(line, &e);
                damaged(text, at..at + 1, &json_message(&e))
            })
        })
        .collect();
    // With where each article's line starts, for a second line of it.
    let mut records: HashMap<String, (usize, Published)> = HashMap::with_capacity(parsed.len());
    for (&(at, line), parsed) in lines[1..].iter().zip(parsed) {
        let Line { article, anchors } = parsed?;
        match records.entry(article) {
            std::collections::hash_map::Entry::Occupied(e) => {
                return Err(damaged(
                    text,
                    at..at + line.len(),
                    &format!(
                        "`{}` has two lines, this one and line {}",
                        e.key(),
                        crate::diagnostics::line_col(text, e.get().0).0
                    ),
                )
                .with_help("keep the line of the build published last and delete the other"));
            }
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert((at, Published { anchors }));
            }
        }
    }
    Ok(records.into_iter().map(|(k, (_, r))| (k, r)).collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Kind;

    fn anchor(id: &str) -> PublishedAnchor {
        PublishedAnchor {
            kind: Kind::Claim,
            id: id.to_string(),
            aliases: vec![],
            text: "Eins".into(),
            prefix: String::new(),
            suffix: ". ".into(),
            line: 7,
            alone: true,
        }
    }

    fn written(ids: &PublishedIds) -> String {
        ids.save().unwrap();
        std::fs::read_to_string(ids.root.join(FILE)).unwrap()
    }

    #[test]
    fn the_record_is_one_sorted_line_an_article_and_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let mut ids = PublishedIds::load(dir.path()).unwrap();
        assert!(!ids.recorded() && ids.get(Path::new("content/a.md")).is_none());
        for name in ["content/b.md", "content/a.md"] {
            ids.put(
                PathBuf::from(name),
                Published {
                    anchors: vec![anchor("claim-eins")],
                },
            );
        }
        ids.put(PathBuf::from("content/c.md"), Published::default());
        let text = written(&ids);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        assert!(lines[0].starts_with("{\"format\":1,"), "{text}");
        assert!(
            lines[1].starts_with("{\"article\":\"content/a.md\","),
            "{text}"
        );
        assert!(
            lines[2].starts_with("{\"article\":\"content/b.md\","),
            "{text}"
        );
        let again = PublishedIds::load(dir.path()).unwrap();
        assert!(again.recorded());
        assert_eq!(
            again.get(Path::new("content/b.md")).unwrap().anchors,
            [anchor("claim-eins")]
        );
        // On a site with a record, an article it does not know published nothing.
        assert_eq!(again.get(Path::new("content/c.md")), Some(&NOTHING));
        // An empty site's first build still leaves a record.
        let empty = tempfile::tempdir().unwrap();
        assert!(written(&PublishedIds::load(empty.path()).unwrap()).starts_with("{\"format\":1"));
    }

    fn error_for(text: impl AsRef<[u8]>) -> Diagnostic {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE), text.as_ref()).unwrap();
        match PublishedIds::load(dir.path()) {
            Ok(_) => panic!("{:?} was read", text.as_ref()),
            Err(d) => d,
        }
    }

    const HEADER: &str = "{\"format\":1}\n";

    #[test]
    fn a_damaged_record_is_an_error_at_its_place() {
        let d = error_for(&format!(
            "{HEADER}{{\"article\":\"content/a.md\",\"anchors\":[]}}\n{{\"article\":\"content/b.md\",\"anchors\":[}}\n"
        ));
        assert_eq!((d.line, d.col), (3, 38), "{d:?}");
        assert!(d.message.contains("is damaged: expected value"), "{d:?}");
        assert!(d.help.as_deref().unwrap().contains("git checkout"), "{d:?}");

        let d = error_for(&format!(
            "{HEADER}{{\"article\":\"content/a.md\",\"anchor\":[]}}\n"
        ));
        assert!(d.message.contains("unknown field `anchor`"), "{d:?}");

        let d = error_for(&format!(
            "{HEADER}{{\"article\":\"a\",\"anchors\":[]}}\n\n{{\"article\":\"a\",\"anchors\":[]}}\n"
        ));
        assert_eq!(d.line, 4, "{d:?}");
        assert!(
            d.message.contains("`a` has two lines, this one and line 2"),
            "{d:?}"
        );

        let d = error_for("{\"format\":7}\n");
        assert!(d.message.contains("format 7"), "{d:?}");
        let d = error_for("[]\n");
        assert_eq!((d.line, d.col), (1, 1), "{d:?}");
        let d = error_for("");
        assert!(d.message.contains("empty"), "{d:?}");
        let d = error_for([HEADER.as_bytes(), b"\xff\n"].concat());
        assert!(d.message.contains("not UTF-8"), "{d:?}");
    }

    #[test]
    fn a_merge_conflict_is_said_as_such() {
        let d = error_for(&format!(
            "{HEADER}<<<<<<< HEAD\n{{\"article\":\"a\",\"anchors\":[]}}\n=======\n{{\"article\":\"a\",\"anchors\":[]}}\n>>>>>>> other\n"
        ));
        assert_eq!((d.line, d.col), (2, 1), "{d:?}");
        assert!(d.message.contains("merge conflict"), "{d:?}");
        assert!(
            d.help
                .as_deref()
                .unwrap()
                .contains("keep one line for each article")
        );
    }

    #[test]
    fn a_record_with_windows_line_ends_reads() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join(FILE),
            "\u{feff}{\"format\":1}\r\n{\"article\":\"content/a.md\",\"anchors\":[]}\r\n",
        )
        .unwrap();
        assert!(PublishedIds::load(dir.path()).unwrap().recorded());
    }
}
