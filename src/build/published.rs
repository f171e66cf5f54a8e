//! The ids the site published, in `published-ids.jsonl` at the site root (see
//! [`crate::annotate::history`]). Readers, other sites and search engines link to
//! `…/#claim-…`, so what was published is part of the site, not a cache: the file is meant
//! to be committed with the content, like a lockfile, so that a build from a fresh checkout
//! (CI) knows it as well as the last build on the editor's machine did.
//!
//! One article a line, sorted by path: a review shows which articles' ids changed, and two
//! branches that touched different articles merge without conflict. Only a real build
//! writes it (not `serve`, not `check`), only when a record changed, and in one rename.
use std::borrow::Cow;
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
    /// The file as read.
    bytes: Vec<u8>,
    /// By `/`-separated source path; articles with no anchors are left out.
    records: HashMap<String, Slot>,
    /// Whether `records` differ from the file.
    dirty: bool,
}

/// One article's record. A line is read only when its article is built or checked: an
/// unchanged rebuild of a large archive must not pay for every line.
struct Slot {
    /// Its line in the file (without the line end) and the line's number, if it has one.
    line: Option<(std::ops::Range<usize>, usize)>,
    record: std::sync::OnceLock<Result<Published, Diagnostic>>,
}

impl Slot {
    fn new(record: Published) -> Slot {
        Slot {
            line: None,
            record: std::sync::OnceLock::from(Ok(record)),
        }
    }
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

/// How each article's line starts as gloss writes it.
const LINE_START: &[u8] = b"{\"article\":\"";

impl PublishedIds {
    /// The record of the site at `root`; a record that cannot be read is an error at its
    /// place, for everything depends on it. Lines are only split here (and each article's
    /// path taken from its start); see [`PublishedIds::get`].
    pub fn load(root: &Path) -> Result<PublishedIds, Diagnostic> {
        let mut ids = PublishedIds {
            root: root.to_path_buf(),
            recorded: false,
            bytes: Vec::new(),
            records: HashMap::new(),
            dirty: true,
        };
        ids.bytes = match std::fs::read(root.join(FILE)) {
            Ok(b) => b,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(ids),
            Err(e) => {
                return Err(Diagnostic::file(FILE, format!("cannot read `{FILE}`: {e}"))
                    .with_help(HELP_DAMAGED));
            }
        };
        ids.records = split(&ids.bytes)?;
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
            bytes: Vec::new(),
            records: HashMap::new(),
            dirty: false,
        }
    }

    /// Whether the site has a record: without one, no build can have published ids that
    /// this one does not know of, except as earlier versions of gloss gave them.
    pub fn recorded(&self) -> bool {
        self.recorded
    }

    /// What the site published of `rel`; `None` when the site has no record at all; an
    /// error at its place when its line is damaged.
    ///
    /// A line of the file is parsed on every call and not kept: a first build of a large
    /// archive asks once per article, and keeping every parsed line until the end of the
    /// build was 150 MB of a 10k build's peak (the build puts back only records that changed).
    pub fn get(&self, rel: &Path) -> Result<Option<Cow<'_, Published>>, Diagnostic> {
        match self.records.get(&key(rel)) {
            Some(slot) => match slot.record.get() {
                Some(known) => known
                    .as_ref()
                    .map(|r| Some(Cow::Borrowed(r)))
                    .map_err(Clone::clone),
                None => {
                    let (range, number) = slot.line.clone().unwrap_or_default();
                    parse_line(&self.bytes[range], number).map(|(_, r)| Some(Cow::Owned(r)))
                }
            },
            None if self.recorded => Ok(Some(Cow::Borrowed(&NOTHING))),
            None => Ok(None),
        }
    }

    /// Records what this build publishes of `rel`.
    pub fn put(&mut self, rel: PathBuf, record: Published) {
        let key = key(&rel);
        if record.anchors.is_empty() {
            self.dirty |= self.records.remove(&key).is_some();
            return;
        }
        let same = self
            .get(&rel)
            .is_ok_and(|old| old.is_some_and(|old| *old == record));
        if !same {
            self.records.insert(key, Slot::new(record));
            self.dirty = true;
        }
    }

    /// What is left to save once every article is built: the record if one changed (or the
    /// site had none), else nothing, so that the file as read (47 MB at 10k articles) is not
    /// held through the site-wide pages, where a build's memory peaks.
    pub fn unsaved(self) -> Option<PublishedIds> {
        self.dirty.then_some(self)
    }

    /// Writes the file if a record changed (or the site had none): in full, sorted, into a
    /// hidden file beside it that then takes its place, so that the file is always whole.
    /// The lines of articles this build did not change are copied as they were.
    pub fn save(&self) -> std::io::Result<()> {
        if !self.dirty {
            return Ok(());
        }
        let mut articles: Vec<(&String, &Slot)> = self.records.iter().collect();
        articles.par_sort_unstable_by(|a, b| a.0.cmp(b.0));
        let mut out = serde_json::to_vec(&Header {
            format: FORMAT,
            note: NOTE.to_string(),
        })?;
        out.push(b'\n');
        out.reserve(self.bytes.len());
        for (article, slot) in articles {
            match (&slot.line, slot.record.get()) {
                (_, Some(Ok(record))) if slot.line.is_none() => {
                    serde_json::to_writer(
                        &mut out,
                        &Line {
                            article: article.as_str(),
                            anchors: &record.anchors,
                        },
                    )?;
                }
                (Some((range, _)), _) => out.extend_from_slice(&self.bytes[range.clone()]),
                _ => continue,
            }
            out.push(b'\n');
        }
        let mut builder = tempfile::Builder::new();
        builder.prefix(".published-ids-").suffix(".tmp");
        // Readable as any file of the site (the umask applies), not private as a temp file.
        #[cfg(unix)]
        builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
        let mut tmp = builder.tempfile_in(&self.root)?;
        tmp.write_all(&out)?;
        tmp.as_file().sync_all()?;
        tmp.persist(self.root.join(FILE)).map_err(|e| e.error)?;
        Ok(())
    }
}

const HELP_DAMAGED: &str = "gloss writes this file and it is meant to be committed: restore it from version control (`git checkout -- published-ids.jsonl`), or delete it to start afresh (links readers already have to annotations of an edited article may then stop reaching them)";

/// An error at byte range `span` of `line`, line `number` of the file.
fn at_line(line: &str, number: usize, span: std::ops::Range<usize>, message: String) -> Diagnostic {
    let mut d = Diagnostic::at(FILE, line, span, message);
    d.line += number - 1;
    if let Some(e) = &mut d.excerpt {
        e.line_start += number - 1;
    }
    d
}

fn damaged(line: &str, number: usize, span: std::ops::Range<usize>, what: &str) -> Diagnostic {
    at_line(
        line,
        number,
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

/// `bytes` as text, or the error at the first byte that is not UTF-8.
fn utf8(bytes: &[u8], number: usize) -> Result<&str, Diagnostic> {
    std::str::from_utf8(bytes).map_err(|e| {
        let at = e.valid_up_to();
        let shown = String::from_utf8_lossy(bytes);
        damaged(&shown, number, at..at + 1, "the file is not UTF-8")
    })
}

/// Line `number` of the file, `bytes`, read in full.
fn parse_line(bytes: &[u8], number: usize) -> Result<(String, Published), Diagnostic> {
    let line = utf8(bytes, number)?;
    match serde_json::from_str::<Line<String, Vec<PublishedAnchor>>>(line) {
        Ok(Line { article, anchors }) => Ok((article, Published { anchors })),
        Err(e) => {
            let at = if e.line() > 1 {
                0
            } else {
                e.column().saturating_sub(1).min(line.len())
            };
            Err(damaged(line, number, at..at + 1, &json_message(&e)))
        }
    }
}

/// The article of a line as gloss writes it (`{"article":"…",`), without reading the rest;
/// `None` for a line written otherwise (then it is read in full at once).
fn article_of(line: &[u8]) -> Option<&str> {
    let rest = line.strip_prefix(LINE_START)?;
    let end = memchr::memchr(b'"', rest)?;
    let article = &rest[..end];
    if article.contains(&b'\\') || rest.get(end + 1) != Some(&b',') {
        return None;
    }
    std::str::from_utf8(article).ok()
}

/// The slots of a whole record file, `bytes`.
fn split(bytes: &[u8]) -> Result<HashMap<String, Slot>, Diagnostic> {
    let mut start = if bytes.starts_with("\u{feff}".as_bytes()) {
        3
    } else {
        0
    };
    let mut records: HashMap<String, Slot> = HashMap::new();
    let mut header = false;
    let mut number = 0;
    while start < bytes.len() {
        number += 1;
        let end = memchr::memchr(b'\n', &bytes[start..]).map_or(bytes.len(), |i| start + i);
        let mut range = start..end;
        start = end + 1;
        if bytes[range.clone()].ends_with(b"\r") {
            range.end -= 1;
        }
        let raw = &bytes[range.clone()];
        if raw.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        if matches!(raw.first(), Some(b'<' | b'|' | b'=' | b'>')) {
            for marker in ["<<<<<<<", "|||||||", "=======", ">>>>>>>"] {
                if raw.starts_with(marker.as_bytes()) {
                    return Err(at_line(
                        &String::from_utf8_lossy(raw),
                        number,
                        0..marker.len(),
                        format!("`{FILE}` holds a merge conflict not yet resolved (the line `{marker}`)"),
                    )
                    .with_help(
                        "between `<<<<<<<` and `>>>>>>>`, keep one line for each article (of an article on both sides, the one of the build published last), delete the marker lines, and run `gloss build` again",
                    ));
                }
            }
        }
        if !header {
            header = true;
            let line = utf8(raw, number)?;
            match serde_json::from_str::<Header>(line) {
                Ok(h) if h.format == FORMAT => {}
                Ok(h) => {
                    return Err(at_line(
                        line,
                        number,
                        0..line.len(),
                        format!(
                            "`{FILE}` was written by another version of gloss (format {}; this one reads format {FORMAT})",
                            h.format
                        ),
                    )
                    .with_help("build with the version of gloss that wrote it, or a newer one"));
                }
                Err(_) => {
                    return Err(damaged(
                        line,
                        number,
                        0..line.len(),
                        &format!("its first line must be gloss's `{{\"format\":{FORMAT},…}}`"),
                    ));
                }
            }
            continue;
        }
        let (article, record) = match article_of(raw) {
            Some(article) => (article.to_string(), std::sync::OnceLock::new()),
            None => {
                let (article, record) = parse_line(raw, number)?;
                (article, std::sync::OnceLock::from(Ok(record)))
            }
        };
        let slot = Slot {
            line: Some((range, number)),
            record,
        };
        match records.entry(article) {
            std::collections::hash_map::Entry::Occupied(e) => {
                let earlier = e.get().line.as_ref().map_or(0, |l| l.1);
                return Err(damaged(
                    &String::from_utf8_lossy(raw),
                    number,
                    0..raw.len(),
                    &format!("`{}` has two lines, this one and line {earlier}", e.key()),
                )
                .with_help("keep the line of the build published last and delete the other"));
            }
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(slot);
            }
        }
    }
    if !header {
        return Err(Diagnostic::file(
            FILE,
            format!("`{FILE}`, the record of the annotation ids the site published, is damaged: it is empty, without even its first line"),
        )
        .with_help(HELP_DAMAGED));
    }
    Ok(records)
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
    fn a_line_read_for_a_build_is_not_kept() {
        let dir = tempfile::tempdir().unwrap();
        let mut ids = PublishedIds::load(dir.path()).unwrap();
        let record = Published {
            anchors: vec![anchor("claim-eins")],
        };
        ids.put(PathBuf::from("content/a.md"), record.clone());
        written(&ids);
        let mut again = PublishedIds::load(dir.path()).unwrap();
        assert_eq!(
            again
                .get(Path::new("content/a.md"))
                .unwrap()
                .unwrap()
                .anchors,
            record.anchors
        );
        // Parsed for the caller, not held by the record until the build ends.
        let slot = &again.records["content/a.md"];
        assert!(slot.record.get().is_none());
        // The same record put back changes nothing, and is still not held.
        again.put(PathBuf::from("content/a.md"), record.clone());
        assert!(!again.dirty && again.records["content/a.md"].record.get().is_none());
        // Nothing left to save: the file as read goes.
        assert!(again.unsaved().is_none());
        let mut changed = PublishedIds::load(dir.path()).unwrap();
        changed.put(PathBuf::from("content/b.md"), record);
        assert!(changed.unsaved().is_some());
    }

    #[test]
    fn the_record_is_one_sorted_line_an_article_and_reads_back() {
        let dir = tempfile::tempdir().unwrap();
        let mut ids = PublishedIds::load(dir.path()).unwrap();
        assert!(!ids.recorded() && ids.get(Path::new("content/a.md")) == Ok(None));
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
            again
                .get(Path::new("content/b.md"))
                .unwrap()
                .unwrap()
                .anchors,
            [anchor("claim-eins")]
        );
        // On a site with a record, an article it does not know published nothing.
        assert_eq!(
            again.get(Path::new("content/c.md")),
            Ok(Some(Cow::Borrowed(&NOTHING)))
        );
        // Written again with one record changed: the others' lines are kept as they were.
        let mut changed = again;
        changed.put(
            PathBuf::from("content/a.md"),
            Published {
                anchors: vec![anchor("claim-zwei")],
            },
        );
        let text2 = written(&changed);
        assert_eq!(text2.lines().nth(2), Some(lines[2]));
        assert!(
            text2.lines().nth(1).unwrap().contains("claim-zwei"),
            "{text2}"
        );
        // An empty site's first build still leaves a record.
        let empty = tempfile::tempdir().unwrap();
        assert!(written(&PublishedIds::load(empty.path()).unwrap()).starts_with("{\"format\":1"));
    }

    /// The error reading `text` gives, at once or when the article `a` is built.
    fn error_for(text: impl AsRef<[u8]>) -> Diagnostic {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE), text.as_ref()).unwrap();
        match PublishedIds::load(dir.path()) {
            Ok(ids) => match ids.get(Path::new("a")) {
                Ok(_) => panic!("{:?} was read", text.as_ref()),
                Err(d) => d,
            },
            Err(d) => d,
        }
    }

    const HEADER: &str = "{\"format\":1}\n";

    #[test]
    fn a_damaged_record_is_an_error_at_its_place() {
        let d = error_for(format!(
            "{HEADER}{{\"article\":\"b\",\"anchors\":[]}}\n{{\"article\":\"a\",\"anchors\":[}}\n"
        ));
        assert_eq!((d.line, d.col), (3, 27), "{d:?}");
        assert!(d.message.contains("is damaged: expected value"), "{d:?}");
        assert!(d.help.as_deref().unwrap().contains("git checkout"), "{d:?}");

        let d = error_for(format!("{HEADER}{{\"article\":\"a\",\"anchor\":[]}}\n"));
        assert!(d.message.contains("unknown field `anchor`"), "{d:?}");

        let d = error_for(format!(
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
        assert_eq!((d.line, d.col), (2, 1), "{d:?}");
        // Written otherwise than gloss writes it: read in full at once.
        let d = error_for(format!("{HEADER}{{\"anchors\":[],\"article\":\"b\",}}\n"));
        assert_eq!((d.line, d.col), (2, 29), "{d:?}");
    }

    #[test]
    fn a_merge_conflict_is_said_as_such() {
        let d = error_for(format!(
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
