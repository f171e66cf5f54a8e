//! Annotating from outside the front matter: anchors computed from a selection ([`anchor`]),
//! annotations written into an article's front matter without disturbing the rest of the
//! file ([`writer`]), and the two together ([`plan`], [`apply`]): every change is checked
//! by loading and anchoring the changed article, as the next build will, before it is saved.
pub mod anchor;
pub mod http;
pub mod import;
pub mod writer;

use std::path::{Component, Path, PathBuf};

use crate::config::Site;
use crate::content::{Annotation, Article, CONTENT_DIR, Kind, parse_article, url_path_for};
use anchor::{Refusal, Selection};
use writer::{FieldValue, WriteError};

/// One change to an article's annotations.
#[derive(Debug, Clone)]
pub enum Change {
    /// A new annotation on the selected words.
    Add {
        /// Its kind.
        kind: Kind,
        /// The words it attaches to.
        selection: Selection,
        /// Its other keys (not `text`, `prefix`, `suffix`, `occurrence`: those are computed).
        fields: Vec<(String, FieldValue)>,
    },
    /// New values for an annotation's keys (`None`: remove the key).
    Update {
        /// The annotation's id, as the page shows it.
        id: String,
        /// Keys to set or remove.
        fields: Vec<(String, Option<FieldValue>)>,
    },
    /// The annotation goes.
    Delete {
        /// The annotation's id.
        id: String,
    },
}

/// Why a change was not made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// The selection cannot be anchored.
    #[error("{0}")]
    Refused(#[from] Refusal),
    /// The front matter could not be changed, or the file not saved.
    #[error("{0}")]
    Write(#[from] WriteError),
    /// The path is not an article file below `content/`.
    #[error("`{0}` is not a `.md` file below `content/`")]
    Path(String),
    /// No annotation of the article has this id.
    #[error("the article has no annotation with the id `{0}`")]
    UnknownId(String),
    /// A key the form of this kind does not have.
    #[error("`{key}` is not a key a {kind} annotation can be given here")]
    Key {
        /// The key.
        key: String,
        /// The kind.
        kind: &'static str,
    },
    /// The article, before or after the change, does not load or anchor; the findings as
    /// the terminal shows them.
    #[error("{}", .0.join("\n"))]
    Invalid(Vec<String>),
}

/// The keys an editor gives an annotation of `kind` (its anchor is computed).
pub fn keys_of(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::Claim => &[
            "claim",
            "by",
            "date",
            "verdict",
            "conclusion",
            "note",
            "sources",
        ],
        Kind::Quote => &["speaker", "role", "note", "sources"],
        Kind::Figure => &["value", "unit", "note", "sources"],
        Kind::Note => &["note", "sources"],
        Kind::Correction => &["correct", "date", "note", "sources"],
    }
}

/// The article file `rel` names, if it is a `.md` file below `content/` of `root` — also
/// once symbolic links are followed.
pub fn resolve(root: &Path, rel: &str) -> Result<PathBuf, EditError> {
    let bad = || EditError::Path(rel.to_string());
    let path = Path::new(rel);
    let mut parts = path.components();
    if parts.next() != Some(Component::Normal(CONTENT_DIR.as_ref()))
        || !parts.all(|c| matches!(c, Component::Normal(_)))
        || path.extension().is_none_or(|e| e != "md")
        || rel.contains('\\')
    {
        return Err(bad());
    }
    let full = root.join(path);
    let real = full.canonicalize().map_err(|_| bad())?;
    let content = root.join(CONTENT_DIR).canonicalize().map_err(|_| bad())?;
    if !real.starts_with(&content) || !real.is_file() {
        return Err(bad());
    }
    Ok(real)
}

/// The findings of `diagnostics` as text without colour.
fn rendered(diagnostics: &[crate::diagnostics::Diagnostic]) -> Vec<String> {
    diagnostics.iter().map(|d| d.render(false)).collect()
}

fn load(site: &Site, rel: &Path, text: &str) -> Result<Article, EditError> {
    parse_article(site, rel.to_path_buf(), text.to_string(), url_path_for(rel))
        .map_err(|d| EditError::Invalid(rendered(&d)))
}

fn find<'a>(article: &'a Article, id: &str) -> Result<&'a Annotation, EditError> {
    article
        .annotations
        .iter()
        .find(|a| a.id == id)
        .ok_or_else(|| EditError::UnknownId(id.to_string()))
}

fn check_keys<'k>(kind: Kind, keys: impl Iterator<Item = &'k str>) -> Result<(), EditError> {
    for key in keys {
        // An explicit id is every kind's (an import keeps the one an export gave).
        if key != "id" && !keys_of(kind).contains(&key) {
            return Err(EditError::Key {
                key: key.to_string(),
                kind: kind.key(),
            });
        }
    }
    Ok(())
}

/// A planned change: the file's new text and the id of the annotation it is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    /// The whole file, changed.
    pub text: String,
    /// The annotation added or changed (the removed one's, for a removal).
    pub id: String,
}

/// The text of article file `rel` (relative to the site root, for messages and its URL)
/// after `change`, checked: the changed article loads, every annotation anchors, and a new
/// one where the selection was.
pub fn plan(site: &Site, rel: &Path, text: &str, change: &Change) -> Result<Planned, EditError> {
    let article = load(site, rel, text)?;
    let (new_text, target) = match change {
        Change::Add {
            kind,
            selection,
            fields,
        } => {
            check_keys(*kind, fields.iter().map(|(k, _)| k.as_str()))?;
            let computed = anchor::compute(&article, selection)?;
            let mut all: Vec<(&str, FieldValue)> =
                vec![("text", FieldValue::Str(computed.text.clone()))];
            if let Some(p) = &computed.prefix {
                all.push(("prefix", FieldValue::Str(p.clone())));
            }
            if let Some(s) = &computed.suffix {
                all.push(("suffix", FieldValue::Str(s.clone())));
            }
            if let Some(n) = computed.occurrence {
                all.push(("occurrence", FieldValue::Int(n as i64)));
            }
            all.extend(fields.iter().map(|(k, v)| (k.as_str(), v.clone())));
            let position = article
                .annotations
                .iter()
                .filter(|a| a.kind == *kind)
                .count()
                + 1;
            (
                writer::append(text, *kind, &all)?,
                Some((*kind, position, Some(computed.range))),
            )
        }
        Change::Update { id, fields } => {
            let ann = find(&article, id)?;
            check_keys(ann.kind, fields.iter().map(|(k, _)| k.as_str()))?;
            let changes: Vec<(&str, Option<FieldValue>)> = fields
                .iter()
                .map(|(k, v)| (k.as_str(), v.clone()))
                .collect();
            let placed = crate::annotate::anchor(&article, false).ok().and_then(|a| {
                a.placed
                    .get(article.annotations.iter().position(|x| x.id == *id)?)
                    .cloned()
                    .flatten()
            });
            (
                writer::update(text, ann.kind, ann.position, &changes)?,
                Some((ann.kind, ann.position, placed)),
            )
        }
        Change::Delete { id } => {
            let ann = find(&article, id)?;
            (writer::remove(text, ann.kind, ann.position)?, None)
        }
    };
    let changed = load(site, rel, &new_text)?;
    let anchored = crate::annotate::try_anchor(&changed, false)
        .map_err(|f| EditError::Invalid(rendered(&f.diagnostics)))?;
    let id = match target {
        Some((kind, position, range)) => {
            let i = changed
                .annotations
                .iter()
                .position(|a| a.kind == kind && a.position == position)
                .ok_or_else(|| EditError::Invalid(vec!["the change lost its annotation".into()]))?;
            if range.is_some() && anchored.placed[i] != range {
                return Err(EditError::Invalid(vec![
                    "the annotation would not attach to the selected words".into(),
                ]));
            }
            changed.annotations[i].id.clone()
        }
        None => match change {
            Change::Delete { id } => id.clone(),
            _ => unreachable!("only a removal has no target"),
        },
    };
    Ok(Planned { text: new_text, id })
}

/// Makes `change` to the article file `rel` below `site.root`, unless the file's bytes no
/// longer have the fingerprint `expected` (see [`writer::fingerprint`]); returns what was
/// saved and the file's new fingerprint.
pub fn apply(
    site: &Site,
    rel: &str,
    expected: &str,
    change: &Change,
) -> Result<(Planned, String), EditError> {
    let path = resolve(&site.root, rel)?;
    let bytes = std::fs::read(&path).map_err(|e| WriteError::Io(format!("{rel}: {e}")))?;
    if writer::fingerprint(&bytes) != expected {
        return Err(WriteError::Changed.into());
    }
    let text =
        String::from_utf8(bytes).map_err(|_| WriteError::Io(format!("{rel} is not UTF-8 text")))?;
    let planned = plan(site, Path::new(rel), &text, change)?;
    writer::save(&path, expected, &planned.text)?;
    let fingerprint = writer::fingerprint(planned.text.as_bytes());
    Ok((planned, fingerprint))
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "+++\ntitle = \"T\"\ndate = 2019-07-24\nlang = \"de\"\n\n[[note]]\ntext = \"Er sagte\"\nnote = \"Zur Eins.\"\n+++\nEr sagte eins und *zwei* und eins.\n\nDann [drei](https://x).\n";

    fn site_with(file: &str) -> (tempfile::TempDir, Site) {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("content/2019")).unwrap();
        std::fs::write(dir.path().join("content/2019/a.md"), file).unwrap();
        std::fs::write(dir.path().join("outside.md"), file).unwrap();
        let mut site = Site::standalone();
        site.root = dir.path().to_path_buf();
        (dir, site)
    }

    fn sel(exact: &str, prefix: &str, suffix: &str) -> Selection {
        Selection {
            exact: exact.into(),
            prefix: prefix.into(),
            suffix: suffix.into(),
            position: None,
        }
    }

    #[test]
    fn only_md_files_below_content_are_written() {
        let (dir, site) = site_with(FILE);
        assert!(resolve(dir.path(), "content/2019/a.md").is_ok());
        for bad in [
            "outside.md",
            "content/../outside.md",
            "/etc/passwd",
            "content/2019/a.txt",
            "content/2019/missing.md",
            "content\\2019\\a.md",
            "./content/2019/a.md",
        ] {
            assert_eq!(
                resolve(dir.path(), bad),
                Err(EditError::Path(bad.into())),
                "{bad}"
            );
        }
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(
                dir.path().join("outside.md"),
                dir.path().join("content/link.md"),
            )
            .unwrap();
            assert!(resolve(dir.path(), "content/link.md").is_err());
        }
        let _ = site;
    }

    #[test]
    fn an_added_claim_is_saved_and_anchors() {
        let (dir, site) = site_with(FILE);
        let change = Change::Add {
            kind: Kind::Claim,
            selection: sel("eins", "zwei und ", "."),
            fields: vec![
                ("verdict".into(), FieldValue::Str("false".into())),
                ("by".into(), FieldValue::Str("Er".into())),
            ],
        };
        let (planned, fp) = apply(
            &site,
            "content/2019/a.md",
            &writer::fingerprint(FILE.as_bytes()),
            &change,
        )
        .unwrap();
        let saved = std::fs::read_to_string(dir.path().join("content/2019/a.md")).unwrap();
        assert_eq!(saved, planned.text);
        assert_eq!(fp, writer::fingerprint(saved.as_bytes()));
        insta::assert_snapshot!(saved);
        // A second save from the page served before the first is refused.
        assert_eq!(
            apply(
                &site,
                "content/2019/a.md",
                &writer::fingerprint(FILE.as_bytes()),
                &change
            )
            .unwrap_err(),
            EditError::Write(WriteError::Changed)
        );
    }

    #[test]
    fn a_bad_verdict_or_a_foreign_key_is_refused_before_anything_is_written() {
        let (dir, site) = site_with(FILE);
        let fp = writer::fingerprint(FILE.as_bytes());
        let change = Change::Add {
            kind: Kind::Claim,
            selection: sel("drei", "", ""),
            fields: vec![("verdict".into(), FieldValue::Str("wahr-ish".into()))],
        };
        let Err(EditError::Invalid(msgs)) = apply(&site, "content/2019/a.md", &fp, &change) else {
            panic!()
        };
        assert!(msgs.join("\n").contains("wahr-ish"), "{msgs:?}");
        let change = Change::Add {
            kind: Kind::Note,
            selection: sel("drei", "", ""),
            fields: vec![("speaker".into(), FieldValue::Str("X".into()))],
        };
        assert!(matches!(
            apply(&site, "content/2019/a.md", &fp, &change),
            Err(EditError::Key { .. })
        ));
        let change = Change::Add {
            kind: Kind::Note,
            selection: sel("Zur Eins", "", ""),
            fields: vec![],
        };
        assert_eq!(
            apply(&site, "content/2019/a.md", &fp, &change),
            Err(EditError::Refused(Refusal::InsideNote))
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("content/2019/a.md")).unwrap(),
            FILE
        );
    }

    #[test]
    fn an_annotation_is_edited_and_deleted_by_its_id() {
        let (dir, site) = site_with(FILE);
        let path = dir.path().join("content/2019/a.md");
        let article = load(&site, Path::new("content/2019/a.md"), FILE).unwrap();
        let id = article.annotations[0].id.clone();
        let change = Change::Update {
            id: id.clone(),
            fields: vec![
                (
                    "note".into(),
                    Some(FieldValue::Str("Zur ersten Eins.".into())),
                ),
                ("sources".into(), None),
            ],
        };
        let (_, fp) = apply(
            &site,
            "content/2019/a.md",
            &writer::fingerprint(FILE.as_bytes()),
            &change,
        )
        .unwrap();
        let edited = std::fs::read_to_string(&path).unwrap();
        assert_eq!(edited, FILE.replace("Zur Eins.", "Zur ersten Eins."));
        assert_eq!(
            apply(
                &site,
                "content/2019/a.md",
                &fp,
                &Change::Delete { id: "nope".into() }
            ),
            Err(EditError::UnknownId("nope".into()))
        );
        apply(&site, "content/2019/a.md", &fp, &Change::Delete { id }).unwrap();
        let deleted = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            deleted,
            "+++\ntitle = \"T\"\ndate = 2019-07-24\nlang = \"de\"\n+++\nEr sagte eins und *zwei* und eins.\n\nDann [drei](https://x).\n"
        );
    }
}
