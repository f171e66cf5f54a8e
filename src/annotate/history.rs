//! What became of the ids an article published. Readers, other sites and search engines
//! link to `…/#claim-…`; the build remembers each id it published with the words it stood
//! for and the words around them (see `build::PublishedIds`), and on the next build
//! compares: an id that now names other words, or is gone, or words that now stand in
//! another passage, are said, and every id that still has its words keeps reaching them
//! (the old ones as empty anchors at the start of the highlight, see `render::body`).
use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use super::{AnchorState, Anchored, Folded, Target, fold};
use crate::content::{Article, Kind, RESERVED_IDS};
use crate::diagnostics::{Diagnostic, floor_char_boundary, line_col};

/// Characters of reader text (white space folded) kept on each side of a published anchor.
pub const CONTEXT_CHARS: usize = 32;

/// The anchors one build of an article published.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Published {
    /// In front matter order.
    pub anchors: Vec<PublishedAnchor>,
}

/// One annotation as it was published.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishedAnchor {
    /// Its kind.
    pub kind: Kind,
    /// Its id.
    pub id: String,
    /// Ids it was published under before, kept as anchors.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// The words it stood for, white space folded.
    pub text: String,
    /// The reader's words just before them.
    pub prefix: String,
    /// The reader's words just after them.
    pub suffix: String,
    /// The line of the article they stood on.
    pub line: usize,
    /// Whether the words occurred only once in the article: then they cannot have moved to
    /// another occurrence while they still do.
    pub alone: bool,
}

/// Where an annotation stands now.
struct Here {
    alone: bool,
    text: String,
    prefix: String,
    suffix: String,
    line: usize,
}

/// `s` with each run of white space folded to one space, ends kept (the space between the
/// context and the words is part of the context).
fn fold_runs(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    // Runs between spaces are copied whole: char by char, the contexts of every annotation
    // were 3 % of a first build's instructions.
    let (mut run, mut i) = (0, 0);
    while i < s.len() {
        let (space, len) = super::white_space_at(s, i);
        if space {
            out.push_str(&s[run..i]);
            if !out.ends_with(' ') {
                out.push(' ');
            }
            run = i + len;
        }
        i += len;
    }
    out.push_str(&s[run..]);
    out
}

/// The words before reader position `at`, folded, at most [`CONTEXT_CHARS`].
fn words_before(text: &str, at: usize) -> String {
    let from = floor_char_boundary(text, at.saturating_sub(8 * CONTEXT_CHARS));
    let folded = fold_runs(&text[from..at]);
    let n = folded.chars().count();
    folded
        .chars()
        .skip(n.saturating_sub(CONTEXT_CHARS))
        .collect()
}

/// The words after reader position `at`, folded, at most [`CONTEXT_CHARS`].
fn words_after(text: &str, at: usize) -> String {
    let to = floor_char_boundary(text, (at + 8 * CONTEXT_CHARS).min(text.len()));
    fold_runs(&text[at..to])
        .chars()
        .take(CONTEXT_CHARS)
        .collect()
}

/// A passage for a message: its context cut to whole words, the words in brackets.
fn passage(prefix: &str, text: &str, suffix: &str) -> String {
    let prefix = match prefix.find(' ') {
        Some(i) if prefix.chars().count() == CONTEXT_CHARS => &prefix[i + 1..],
        _ => prefix,
    };
    let suffix = match suffix.rfind(' ') {
        Some(i) if suffix.chars().count() == CONTEXT_CHARS => &suffix[..i],
        _ => suffix,
    };
    format!("„…{}[{text}]{}…“", prefix.trim_start(), suffix.trim_end())
}

/// The source line each placed annotation starts on (0 for the others), counted in one pass.
fn lines_of(article: &Article, anchored: &Anchored<'_>) -> Vec<usize> {
    let mut starts: Vec<(usize, usize)> = anchored
        .placed
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            let r = r.as_ref()?;
            Some((
                article.body_offset + anchored.reader.source_offset(r.start),
                i,
            ))
        })
        .collect();
    starts.sort_unstable();
    let mut lines = vec![0; anchored.placed.len()];
    let (mut line, mut from) = (1, 0);
    for (offset, i) in starts {
        let offset = offset.min(article.source.len());
        line += memchr::memchr_iter(b'\n', &article.source.as_bytes()[from..offset]).count();
        from = offset;
        lines[i] = line;
    }
    lines
}

/// Whether two contexts before the same words agree: one is the end of the other (words
/// added further away than the shorter one reaches, at the start of the text, change
/// nothing).
fn same_before(a: &str, b: &str) -> bool {
    a.ends_with(b) || b.ends_with(a)
}

/// Whether two contexts after the same words agree: one is the start of the other.
fn same_after(a: &str, b: &str) -> bool {
    a.starts_with(b) || b.starts_with(a)
}

/// Whether two agreeing contexts tell that an annotation with other words took the place
/// of a published one: a context cut short by the start or end of the text agrees with any
/// that goes on, so the words before the first annotation (none) would agree with those
/// before any other, and a claim inserted at the top would take the id of an edited one.
fn telling(a: &str, b: &str) -> bool {
    a == b || a.len().min(b.len()) >= CONTEXT_CHARS / 4
}

/// Whether `id` works as an anchor's id and fragment as gloss writes them (unescaped).
fn plain_id(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Compares `anchored` with what the last build published of the article (`remembered`),
/// gives each highlight the old ids it must keep answering to, marks anchors whose words
/// now stand in another passage as moved, adds a warning for each id that changed or went
/// away, and returns what this build publishes. Without a record (`None`: the site has no
/// record at all, it is first built by this version of gloss), an annotation with no `id` of
/// its own keeps the positional id earlier versions gave it (`claim-2`) as an alias, as far
/// as no other element has it: that is what pages built before may have been linked as. On a
/// site with a record, an article it does not know (added since) is `Some` empty: its
/// positions were never published, and whatever stands second now may not be what did then.
pub fn reconcile(
    article: &Article,
    anchored: &mut Anchored<'_>,
    remembered: Option<&Published>,
) -> Published {
    let n = article.annotations.len();
    let lines = lines_of(article, anchored);
    let now: Vec<Option<Here>> = (0..n)
        .map(|i| {
            anchored.placed[i].clone().map(|r| Here {
                alone: anchored.alone[i],
                text: fold(&anchored.reader.text[r.clone()]),
                prefix: words_before(&anchored.reader.text, r.start),
                suffix: words_after(&anchored.reader.text, r.end),
                line: lines[i],
            })
        })
        .collect();
    let old: &[PublishedAnchor] = remembered.map_or(&[], |p| &p.anchors);

    // Which record each annotation continues: the one with its id; else one of its kind with
    // the same words (the closest context first); else one whose place it took with edited
    // words.
    let mut record_of: Vec<Option<usize>> = vec![None; n];
    let mut continued = vec![false; old.len()];
    let by_id: HashMap<&str, usize> = (0..n)
        .filter(|&i| now[i].is_some())
        .map(|i| (article.annotations[i].id.as_str(), i))
        .collect();
    for (r, rec) in old.iter().enumerate() {
        if let Some(&i) = by_id.get(rec.id.as_str())
            && record_of[i].is_none()
        {
            record_of[i] = Some(r);
            continued[r] = true;
        }
    }
    let mut same_words: HashMap<(Kind, &str), Vec<usize>> = HashMap::new();
    for i in 0..n {
        if let (None, Some(h)) = (record_of[i], &now[i]) {
            same_words
                .entry((article.annotations[i].kind, h.text.as_str()))
                .or_default()
                .push(i);
        }
    }
    for (r, rec) in old.iter().enumerate() {
        if continued[r] {
            continue;
        }
        let Some(candidates) = same_words.get_mut(&(rec.kind, rec.text.as_str())) else {
            continue;
        };
        // The closest context among the first few: many annotations on the same words
        // must not make this quadratic.
        let best = candidates
            .iter()
            .take(64)
            .enumerate()
            .max_by_key(|&(at, &i)| {
                let h = now[i].as_ref().map_or((false, false), |h| {
                    (
                        same_before(&h.prefix, &rec.prefix),
                        same_after(&h.suffix, &rec.suffix),
                    )
                });
                (u8::from(h.0) + u8::from(h.1), std::cmp::Reverse(at))
            })
            .map(|(at, &i)| (at, i));
        if let Some((at, i)) = best {
            candidates.remove(at);
            record_of[i] = Some(r);
            continued[r] = true;
        }
    }
    // Words edited in place: compared pairwise, so only within a budget (an article whose
    // every annotation changed is told so, annotation by annotation, as gone and new).
    let mut budget: usize = 100_000;
    let mut open: Vec<usize> = (0..n)
        .filter(|&i| record_of[i].is_none() && now[i].is_some())
        .collect();
    for (r, rec) in old.iter().enumerate() {
        if continued[r] || budget == 0 {
            continue;
        }
        let same_place = open.iter().position(|&i| {
            budget = budget.saturating_sub(1);
            budget > 0
                && article.annotations[i].kind == rec.kind
                && now[i].as_ref().is_some_and(|h| {
                    let sides = u8::from(
                        same_before(&h.prefix, &rec.prefix) && telling(&h.prefix, &rec.prefix),
                    ) + u8::from(
                        same_after(&h.suffix, &rec.suffix) && telling(&h.suffix, &rec.suffix),
                    );
                    sides == 2
                        || (sides == 1 && strsim::normalized_levenshtein(&h.text, &rec.text) >= 0.5)
                })
        });
        if let Some(at) = same_place {
            let i = open.remove(at);
            record_of[i] = Some(r);
            continued[r] = true;
        }
    }

    // Every id the page has besides the aliases: no alias may take one.
    let mut taken: HashSet<String> = RESERVED_IDS.iter().map(|s| s.to_string()).collect();
    taken.extend(anchored.spans.iter().map(|s| s.id.clone()));
    for ann in &article.annotations {
        taken.insert(format!("note-{}", ann.id));
        taken.insert(format!("ref-{}", ann.id));
    }
    for (e, _) in &anchored.events {
        if let pulldown_cmark::Event::Start(pulldown_cmark::Tag::Heading { id: Some(id), .. }) = e {
            taken.insert(id.to_string());
        }
    }

    let mut folded: Option<Folded> = None;
    let mut aliases: Vec<Vec<String>> = vec![Vec::new(); n];
    let mut record = Published::default();
    for (i, ann) in article.annotations.iter().enumerate() {
        let Some(h) = &now[i] else { continue };
        let kind = ann.kind.key();
        let mut wanted: Vec<String> = Vec::new();
        match record_of[i].map(|r| &old[r]) {
            Some(rec) => {
                wanted.extend(rec.aliases.iter().cloned());
                if rec.id != ann.id {
                    wanted.push(rec.id.clone());
                }
                // Taking back an id it was published under (as the warning advises) is no
                // change: the newer id stays as an anchor.
                if rec.id != ann.id && !rec.aliases.contains(&ann.id) {
                    anchored.warnings.push(
                        Diagnostic::at(
                            &article.path,
                            &article.source,
                            ann.span.clone(),
                            format!(
                                "this {kind} was published as `#{}` and is now `#{}`: the page keeps an anchor so that links to `#{}` still reach it",
                                rec.id, ann.id, rec.id
                            ),
                        )
                        .with_help(format!(
                            "to keep `{}` as its id (in listings, feeds and exports too), write `id = \"{}\"` in this [[{kind}]]",
                            rec.id, rec.id
                        ))
                        .warning(),
                    );
                }
                if rec.text == h.text
                    && !(rec.alone && h.alone)
                    && !(same_before(&h.prefix, &rec.prefix) && same_after(&h.suffix, &rec.suffix))
                {
                    let folded = folded.get_or_insert_with(|| Folded::new(&anchored.reader.text));
                    if let Some(warning) = drifted(article, anchored, folded, ann, rec, h) {
                        anchored.warnings.push(warning);
                        anchored.states[i] = AnchorState::Moved;
                    }
                }
            }
            None if remembered.is_none() && ann.id_span.is_none() => {
                wanted.push(format!("{kind}-{}", ann.position));
            }
            None => {}
        }
        for alias in wanted {
            if alias == ann.id || !plain_id(&alias) {
                continue;
            }
            if taken.insert(alias.clone()) {
                aliases[i].push(alias);
            } else if remembered.is_some() {
                anchored.warnings.push(
                    Diagnostic::at(
                        &article.path,
                        &article.source,
                        ann.id_span.clone().unwrap_or(ann.span.clone()),
                        format!(
                            "this {kind} was published as `#{alias}`, an id that now names something else on the page: links to `#{alias}` no longer reach it"
                        ),
                    )
                    .with_help(format!(
                        "if links to `#{alias}` should reach this {kind}, give it `id = \"{alias}\"` and the other element another id"
                    ))
                    .warning(),
                );
            }
        }
        record.anchors.push(PublishedAnchor {
            kind: ann.kind,
            id: ann.id.clone(),
            aliases: aliases[i].clone(),
            text: h.text.clone(),
            prefix: h.prefix.clone(),
            suffix: h.suffix.clone(),
            line: h.line,
            alone: h.alone,
        });
    }
    for (r, rec) in old.iter().enumerate() {
        if continued[r] {
            continue;
        }
        let mut gone = vec![rec.id.as_str()];
        gone.extend(rec.aliases.iter().map(String::as_str));
        let ids = gone
            .iter()
            .map(|id| format!("`#{id}`"))
            .collect::<Vec<_>>()
            .join(", ");
        anchored.warnings.push(
            Diagnostic::file(
                &article.path,
                format!(
                    "the {} published as {ids} („{}“, line {} at the last build) is gone: links to it now reach only the top of the page",
                    rec.kind.key(),
                    rec.text,
                    rec.line
                ),
            )
            .with_help(format!(
                "if it was removed on purpose there is nothing to do; if another annotation replaces it, give that one `id = \"{}\"`",
                rec.id
            ))
            .warning(),
        );
    }
    for span in &mut anchored.spans {
        let i = match span.target {
            Target::Annotation(i) => i,
            Target::Figure {
                annotation: Some(i),
                ..
            } => i,
            Target::Figure { .. } => continue,
        };
        span.aliases = std::mem::take(&mut aliases[i]);
    }
    record
}

/// The warning for an annotation whose words stand in another passage than when `rec` was
/// published, if they do: the old passage is still there elsewhere, or the words around
/// them changed on both sides. A change on one side only is an edit near the anchor.
fn drifted(
    article: &Article,
    anchored: &Anchored<'_>,
    folded: &Folded,
    ann: &crate::content::Annotation,
    rec: &PublishedAnchor,
    h: &Here,
) -> Option<Diagnostic> {
    let text = &anchored.reader.text;
    let needle = fold(&ann.anchor.text);
    let old_place = memchr::memmem::find_iter(folded.text.as_bytes(), needle.as_bytes())
        .filter(|&at| {
            folded.text.is_char_boundary(at) && folded.text.is_char_boundary(at + needle.len())
        })
        .map(|at| folded.original(at..at + needle.len()))
        .find(|r| {
            same_before(&words_before(text, r.start), &rec.prefix)
                && same_after(&words_after(text, r.end), &rec.suffix)
        });
    let still_there = match &old_place {
        Some(r) => {
            let offset = article.body_offset + anchored.reader.source_offset(r.start);
            format!(
                "; that passage is still there, now on line {}",
                line_col(&article.source, offset).0
            )
        }
        None if !same_before(&h.prefix, &rec.prefix) && !same_after(&h.suffix, &rec.suffix) => {
            String::new()
        }
        None => return None,
    };
    let kind = ann.kind.key();
    Some(
        Diagnostic::at(
            &article.path,
            &article.source,
            ann.span.clone(),
            format!(
                "this {kind}'s words now stand in another passage than at the last build: on line {} {}, where they stood on line {} {}{still_there}",
                h.line,
                passage(&h.prefix, &h.text, &h.suffix),
                rec.line,
                passage(&rec.prefix, &rec.text, &rec.suffix),
            ),
        )
        .with_help(
            "if the new passage is not the one meant, pick the right one with `prefix`/`suffix` (the words just before/after) or `occurrence = N`",
        )
        .warning(),
    )
}

#[cfg(test)]
mod tests {
    use super::super::tests::article;
    use super::*;

    #[test]
    fn runs_fold_as_char_by_char() {
        let char_by_char = |s: &str| {
            let mut out = String::new();
            for c in s.chars() {
                if !c.is_whitespace() {
                    out.push(c);
                } else if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            out
        };
        for s in [
            "",
            " ",
            "a",
            " a  b\t\n\u{b}c ",
            "ä\u{a0}\u{2003} ß\u{85}",
            "x\u{3000}\ny",
        ] {
            assert_eq!(fold_runs(s), char_by_char(s), "{s:?}");
        }
    }

    fn publish(
        a: &Article,
        before: Option<&Published>,
    ) -> (Published, Vec<String>, Vec<Vec<String>>) {
        let mut anchored = super::super::anchor(a, false).unwrap();
        let record = reconcile(a, &mut anchored, before);
        let warnings = anchored
            .warnings
            .iter()
            .map(|w| w.message.clone())
            .collect();
        let mut aliases = vec![Vec::new(); a.annotations.len()];
        for s in &anchored.spans {
            if let Target::Annotation(i) = s.target {
                aliases[i] = s.aliases.clone();
            }
        }
        (record, warnings, aliases)
    }

    const ONE: &str = "[[note]]\ntext = \"Eins\"\nnote = \"n\"\n";
    const TWO: &str = "[[note]]\ntext = \"Zwei\"\nnote = \"n\"\n";

    #[test]
    fn a_first_build_keeps_the_positional_ids_as_aliases() {
        let a = article(&format!("{ONE}{TWO}"), "Eins und Zwei.\n");
        let (record, warnings, aliases) = publish(&a, None);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(
            aliases,
            [vec!["note-1".to_string()], vec!["note-2".to_string()]]
        );
        assert_eq!(record.anchors[1].id, "note-zwei");
        assert_eq!(record.anchors[1].prefix, "Eins und ");
        assert_eq!(record.anchors[1].suffix, ". ");
    }

    #[test]
    fn a_changed_id_is_said_and_kept_as_an_alias() {
        let a = article(ONE, "Eins und Zwei.\n");
        let (record, _, _) = publish(&a, None);
        let b = article(
            "[[note]]\ntext = \"Eins\"\nid = \"erste\"\nnote = \"n\"\n",
            "Eins und Zwei.\n",
        );
        let (record2, warnings, aliases) = publish(&b, Some(&record));
        assert!(
            warnings[0].contains("published as `#note-eins` and is now `#erste`"),
            "{warnings:?}"
        );
        assert_eq!(aliases[0], ["note-1", "note-eins"]);
        // Said once: the next build knows the new id.
        let (_, warnings, aliases) = publish(&b, Some(&record2));
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(aliases[0], ["note-1", "note-eins"]);
    }

    #[test]
    fn a_removed_annotation_is_said() {
        let a = article(&format!("{ONE}{TWO}"), "Eins und Zwei.\n");
        let (record, _, _) = publish(&a, None);
        let b = article(ONE, "Eins und Zwei.\n");
        let (_, warnings, _) = publish(&b, Some(&record));
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        assert!(
            warnings[0].contains("`#note-zwei`, `#note-2`"),
            "{warnings:?}"
        );
        assert!(warnings[0].contains("is gone"), "{warnings:?}");
    }

    #[test]
    fn a_claim_inserted_at_the_top_takes_no_edited_ones_place() {
        let a = article(&format!("{ONE}{TWO}"), "Eins und Zwei.\n");
        let (record, _, _) = publish(&a, None);
        let b = article(
            "[[note]]\ntext = \"Null\"\nnote = \"n\"\n[[note]]\ntext = \"Eins\"\nnote = \"n\"\n[[note]]\ntext = \"Zwei Mal\"\nnote = \"n\"\n",
            "Null. Eins und Zwei Mal.\n",
        );
        let (_, warnings, aliases) = publish(&b, Some(&record));
        assert!(aliases[0].is_empty(), "{aliases:?}");
        assert_eq!(aliases[2], ["note-2", "note-zwei"]);
        assert!(
            warnings[0].contains("published as `#note-zwei` and is now `#note-zwei-mal`"),
            "{warnings:?}"
        );
    }

    #[test]
    fn an_edit_on_one_side_is_no_drift_but_another_passage_is() {
        let front = "[[note]]\ntext = \"Zwei\"\noccurrence = 2\nnote = \"n\"\n";
        let a = article(front, "Eins Zwei drei. Vier Zwei fünf.\n");
        let (record, _, _) = publish(&a, None);
        let b = article(front, "Eins Zwei drei. Vier Zwei sechs.\n");
        let (record, warnings, _) = publish(&b, Some(&record));
        assert!(warnings.is_empty(), "{warnings:?}");
        let c = article(front, "Null Zwei. Eins Zwei drei. Vier Zwei sechs.\n");
        let mut anchored = super::super::anchor(&c, false).unwrap();
        reconcile(&c, &mut anchored, Some(&record));
        assert_eq!(anchored.states[0], AnchorState::Moved);
        let w = &anchored.warnings[0].message;
        assert!(w.contains("another passage"), "{w}");
        assert!(
            w.contains("„…Null Zwei. Eins [Zwei] drei. Vier Zwei sechs.…“"),
            "{w}"
        );
        assert!(w.contains("„…Eins Zwei drei. Vier [Zwei] sechs.…“"), "{w}");
        assert!(w.contains("still there, now on line"), "{w}");
    }
}
