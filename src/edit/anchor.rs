//! An annotation's anchor computed from words a reader selected, as the anchoring rules read
//! them: the reader's text (markup removed), white space folded, with `prefix`/`suffix` only
//! where the words occur more than once.
//!
//! A selection arrives as a W3C `TextQuoteSelector` (what a browser or Hypothesis sees: the
//! words and some text either side), never as offsets into the page: the page's text and the
//! reader text differ in white space and in what the theme adds (margin notes, footnote
//! numbers), while the words themselves are the same.
use std::ops::Range;

use pulldown_cmark::{Event, Tag};

use crate::annotate::{Folded, context_matches, fold, occurrences};
use crate::content::Article;
use crate::markdown::{Events, ReaderText};

/// Words a reader selected, with the text around them as the reader's tool saw it.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize)]
pub struct Selection {
    /// The selected words.
    pub exact: String,
    /// Text just before them (any length; white space may differ).
    #[serde(default)]
    pub prefix: String,
    /// Text just after them.
    #[serde(default)]
    pub suffix: String,
    /// Where they start in the reader text, in code points, when the tool knows it (a
    /// `TextPositionSelector`); only breaks ties the context leaves.
    #[serde(default)]
    pub position: Option<usize>,
}

/// An anchor that attaches to exactly the selected place on the next build.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Computed {
    /// The words, white space folded.
    pub text: String,
    /// Words just before, when `text` occurs more than once.
    pub prefix: Option<String>,
    /// Words just after, when `text` occurs more than once.
    pub suffix: Option<String>,
    /// Which match, when no words around tell identical passages apart.
    pub occurrence: Option<usize>,
    /// Byte range in the reader text, where the annotate stage will place it.
    pub range: Range<usize>,
}

/// Why a selection cannot be anchored.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// Nothing but white space was selected.
    #[error("no words are selected")]
    Empty,
    /// The words run from one paragraph (or heading, list item, table) into the next; the
    /// paragraphs of one block quote are one passage.
    #[error(
        "the selection runs across paragraphs; an annotation covers words within one paragraph"
    )]
    AcrossBlocks,
    /// The words are in an annotation's note, not in the article's text.
    #[error(
        "the selection is inside a note; annotations attach to the article's text, not to notes"
    )]
    InsideNote,
    /// The words are not in the article's text.
    #[error("the selected words are not in the article's text{}", closest_help(.closest))]
    NotFound {
        /// The passage most like them, if one is close.
        closest: Option<String>,
    },
    /// The words occur several times and nothing around them tells which is meant.
    #[error(
        "the selected words occur {0} times and the words around them do not tell which is meant; select more words"
    )]
    Ambiguous(usize),
}

fn closest_help(closest: &Option<String>) -> String {
    match closest {
        Some(p) => format!(" (closest passage: “{p}”)"),
        None => String::new(),
    }
}

/// Longest context, in words, tried on each side before falling back to `occurrence`.
const MAX_CONTEXT_WORDS: usize = 12;

/// The reader text of `article` and which passage (a top-level paragraph, heading, block
/// quote, table; a list item) each of its runs belongs to.
pub struct Text {
    /// What the annotate stage anchors against.
    pub reader: ReaderText,
    /// The folded reader text.
    pub folded: Folded,
    /// `blocks[i]`: the passage of `reader.runs[i]`.
    blocks: Vec<usize>,
}

impl Text {
    /// Reads `article`'s body as the annotate stage does.
    pub fn of(article: &Article) -> Text {
        let events = crate::markdown::parse(article.body());
        Text::from_events(&events)
    }

    fn from_events(events: &Events<'_>) -> Text {
        let reader = ReaderText::from_events(events);
        let folded = Folded::new(&reader.text);
        // The passage of each event: its outermost open block, lists aside (their items
        // are passages), so that a quote of several paragraphs in one block quote is one.
        let mut stack: Vec<(usize, bool)> = Vec::new();
        let mut next = 1;
        let mut block_of_event = vec![0usize; events.len()];
        for (i, (event, _)) in events.iter().enumerate() {
            match event {
                Event::Start(tag) if crate::markdown::is_block(&tag.to_end()) => {
                    stack.push((next, matches!(tag, Tag::List(_))));
                    next += 1;
                }
                Event::End(tag) if crate::markdown::is_block(tag) => {
                    stack.pop();
                }
                _ => {}
            }
            block_of_event[i] = stack
                .iter()
                .find(|(_, list)| !list)
                .map_or(0, |(id, _)| *id);
        }
        let blocks = reader
            .runs
            .iter()
            .map(|r| block_of_event[r.event])
            .collect();
        Text {
            reader,
            folded,
            blocks,
        }
    }

    /// Whether the reader-text byte range `r` lies within one passage.
    fn within_one_block(&self, r: &Range<usize>) -> bool {
        let mut seen = None;
        for (run, &block) in self.reader.runs.iter().zip(&self.blocks) {
            if run.range.start < r.end && r.start < run.range.end {
                match seen {
                    None => seen = Some(block),
                    Some(b) if b != block => return false,
                    Some(_) => {}
                }
            }
        }
        true
    }
}

/// The anchor of `sel` in `article`: its words folded, with the least context that makes
/// them unique.
pub fn compute(article: &Article, sel: &Selection) -> Result<Computed, Refusal> {
    compute_in(&Text::of(article), article, sel)
}

/// [`compute`] over text already read (an import anchors many selections in one article).
pub fn compute_in(text: &Text, article: &Article, sel: &Selection) -> Result<Computed, Refusal> {
    let needle = fold(&sel.exact);
    if needle.is_empty() {
        return Err(Refusal::Empty);
    }
    let hay = text.folded.text.as_str();
    let all = occurrences(hay, &needle);
    if all.is_empty() {
        let in_note = article.annotations.iter().any(|a| {
            [a.note.as_deref(), conclusion(a)]
                .into_iter()
                .flatten()
                .any(|n| {
                    let shown = ReaderText::from_events(&crate::markdown::parse(n)).text;
                    fold(&shown).contains(&needle)
                })
        });
        if in_note {
            return Err(Refusal::InsideNote);
        }
        let closest =
            crate::annotate::closest_passage(hay, &needle, crate::annotate::SUGGESTION_BUDGET)
                .map(|(_, p)| p);
        return Err(Refusal::NotFound { closest });
    }
    let chosen = pick(text, &all, needle.len(), sel)?;
    let at = all[chosen];
    let range = text.folded.original(at..at + needle.len());
    if !text.within_one_block(&range) {
        return Err(Refusal::AcrossBlocks);
    }
    let (prefix, suffix, occurrence) = if all.len() == 1 {
        (None, None, None)
    } else {
        least_context(hay, &all, chosen, needle.len())
    };
    Ok(Computed {
        text: needle,
        prefix,
        suffix,
        occurrence,
        range,
    })
}

fn conclusion(a: &crate::content::Annotation) -> Option<&str> {
    match &a.detail {
        crate::content::Detail::Claim { conclusion, .. } => conclusion.as_deref(),
        _ => None,
    }
}

/// Which of the places `all` the selection means: the one whose surroundings agree with
/// the selection's context over the most characters, then the one nearest its position.
fn pick(text: &Text, all: &[usize], len: usize, sel: &Selection) -> Result<usize, Refusal> {
    if all.len() == 1 {
        return Ok(0);
    }
    let hay = text.folded.text.as_str();
    let prefix = fold(&sel.prefix);
    let suffix = fold(&sel.suffix);
    let score = |at: usize| {
        let before = common_suffix(hay[..at].trim_end(), &prefix);
        let after = common_prefix(hay[at + len..].trim_start(), &suffix);
        before + after
    };
    let scores: Vec<usize> = all.iter().map(|&at| score(at)).collect();
    let best = scores.iter().copied().max().unwrap_or(0);
    let tied: Vec<usize> = (0..all.len()).filter(|&i| scores[i] == best).collect();
    if let [one] = tied.as_slice() {
        return Ok(*one);
    }
    if let Some(pos) = sel.position {
        // Code point positions of the tied places in the (unfolded) reader text.
        let point = |i: usize| {
            let byte = text.folded.original(all[i]..all[i] + len).start;
            text.reader.text[..byte].chars().count()
        };
        let mut by_distance: Vec<(usize, usize)> =
            tied.iter().map(|&i| (point(i).abs_diff(pos), i)).collect();
        by_distance.sort_unstable();
        if by_distance.len() < 2 || by_distance[0].0 < by_distance[1].0 {
            return Ok(by_distance[0].1);
        }
    }
    Err(Refusal::Ambiguous(all.len()))
}

/// Characters `a` and `b` share at their ends.
fn common_suffix(a: &str, b: &str) -> usize {
    a.chars()
        .rev()
        .zip(b.chars().rev())
        .take_while(|(x, y)| x == y)
        .count()
}

/// Characters `a` and `b` share at their starts.
fn common_prefix(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

/// The fewest words before and/or after place `chosen` that no other place of the words
/// shares, tried shortest first; `occurrence` when even the longest tried do not tell the
/// places apart.
fn least_context(
    hay: &str,
    all: &[usize],
    chosen: usize,
    len: usize,
) -> (Option<String>, Option<String>, Option<usize>) {
    let at = all[chosen];
    let words_before = |k: usize| -> Option<String> {
        let trimmed = hay[..at].trim_end();
        if trimmed.is_empty() {
            return None;
        }
        let words: Vec<&str> = trimmed.split(' ').collect();
        (k <= words.len()).then(|| words[words.len() - k..].join(" "))
    };
    let words_after = |k: usize| -> Option<String> {
        let trimmed = hay[at + len..].trim_start();
        if trimmed.is_empty() {
            return None;
        }
        let words: Vec<&str> = trimmed.split(' ').collect();
        (k <= words.len()).then(|| words[..k].join(" "))
    };
    let unique = |p: &str, s: &str| {
        all.iter()
            .filter(|&&o| context_matches(hay, o, len, p, s))
            .count()
            == 1
    };
    for k in 1..=MAX_CONTEXT_WORDS {
        let p = words_before(k);
        let s = words_after(k);
        if let Some(p) = &p
            && unique(p, "")
        {
            return (Some(p.clone()), None, None);
        }
        if let Some(s) = &s
            && unique("", s)
        {
            return (None, Some(s.clone()), None);
        }
        if let (Some(p), Some(s)) = (&p, &s)
            && unique(p, s)
        {
            return (Some(p.clone()), Some(s.clone()), None);
        }
        if p.is_none() && s.is_none() {
            break;
        }
    }
    (None, None, Some(chosen + 1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Site;
    use crate::content::parse_article;
    use std::path::PathBuf;

    fn article(body: &str, annotations: &str) -> Article {
        let text = format!(
            "+++\ntitle = \"T\"\ndate = 2019-07-24\nlang = \"de\"\n{annotations}+++\n{body}"
        );
        parse_article(
            &Site::standalone(),
            PathBuf::from("content/a.md"),
            text,
            "a/".into(),
        )
        .unwrap()
    }

    fn sel(exact: &str, prefix: &str, suffix: &str) -> Selection {
        Selection {
            exact: exact.into(),
            prefix: prefix.into(),
            suffix: suffix.into(),
            position: None,
        }
    }

    /// The anchor, written as an annotation, placed by the real annotate stage where the
    /// selection was.
    fn reanchors(body: &str, c: &Computed) {
        let mut toml = format!("[[note]]\ntext = {:?}\nnote = \"n\"\n", c.text);
        if let Some(p) = &c.prefix {
            toml.push_str(&format!("prefix = {p:?}\n"));
        }
        if let Some(s) = &c.suffix {
            toml.push_str(&format!("suffix = {s:?}\n"));
        }
        if let Some(n) = c.occurrence {
            toml.push_str(&format!("occurrence = {n}\n"));
        }
        let a = article(body, &toml);
        let anchored = crate::annotate::anchor(&a, false).expect("anchors");
        assert_eq!(anchored.placed[0], Some(c.range.clone()), "{toml}");
        assert_eq!(anchored.states[0], crate::annotate::AnchorState::Exact);
        assert!(anchored.warnings.is_empty(), "{:?}", anchored.warnings);
    }

    #[test]
    fn words_across_emphasis_and_links_fold_to_reader_text() {
        let body = "Microsoft *investierte*\n  1 [Milliarde](https://x) Dollar.\n";
        let a = article(body, "");
        let c = compute(&a, &sel("investierte 1\nMilliarde", "", "")).unwrap();
        assert_eq!(c.text, "investierte 1 Milliarde");
        assert_eq!((c.prefix.as_deref(), c.suffix.as_deref()), (None, None));
        assert_eq!(c.occurrence, None);
        reanchors(body, &c);
    }

    #[test]
    fn repeated_words_get_the_least_context_that_picks_the_selected_place() {
        let body = "Er sagte zwei Dinge. Sie sagte zwei Worte. Er sagte zwei Sätze.\n";
        let a = article(body, "");
        // The second place, as a browser sees it (context longer than needed).
        let c = compute(&a, &sel("zwei", "Dinge. Sie sagte ", " Worte. Er")).unwrap();
        assert_eq!(c.text, "zwei");
        assert_eq!(c.suffix.as_deref(), Some("Worte."));
        assert_eq!(c.prefix, None);
        reanchors(body, &c);
        // The last: "sagte" is before each; "Sätze." after the last only.
        let c = compute(&a, &sel("zwei", "Er sagte", "Sätze.")).unwrap();
        assert_eq!(c.suffix.as_deref(), Some("Sätze."));
        reanchors(body, &c);
        // The first: its prefix "Er sagte" is shared with the last, its suffix is its own.
        let c = compute(&a, &sel("zwei", "Er sagte", "Dinge.")).unwrap();
        assert_eq!(c.suffix.as_deref(), Some("Dinge."));
        reanchors(body, &c);
    }

    #[test]
    fn both_sides_when_neither_alone_is_unique() {
        let body = "a x b. c x d. a x d.\n";
        let a = article(body, "");
        let c = compute(&a, &sel("x", "a", "d.")).unwrap();
        assert_eq!(
            (c.prefix.as_deref(), c.suffix.as_deref()),
            (Some("a"), Some("d."))
        );
        reanchors(body, &c);
    }

    #[test]
    fn identical_paragraphs_are_told_apart_by_position_then_by_occurrence() {
        let body = "Gleich.\n\nGleich.\n";
        let a = article(body, "");
        let second = Selection {
            position: Some(8),
            ..sel("Gleich.", "", "")
        };
        let c = compute(&a, &second).unwrap();
        assert_eq!(
            (c.prefix.as_deref(), c.suffix.as_deref(), c.occurrence),
            (Some("Gleich."), None, None)
        );
        reanchors(body, &c);
        // Four paragraphs longer than the context tried: only the number tells them apart.
        let para = "ein zwei drei vier fünf sechs sieben acht neun zehn elf zwölf dreizehn";
        let body = format!("{para}\n\n{para}\n\n{para}\n\n{para}\n");
        let a = article(&body, "");
        let at = para.chars().count() + 1;
        let c = compute(
            &a,
            &Selection {
                position: Some(at),
                ..sel(para, "", "")
            },
        )
        .unwrap();
        assert_eq!(
            (c.prefix.as_deref(), c.suffix.as_deref(), c.occurrence),
            (None, None, Some(2))
        );
        reanchors(&body, &c);
    }

    #[test]
    fn refusals_say_why() {
        let body = "Erster Absatz endet.\n\nZweiter Absatz.\n";
        let a = article(
            body,
            "[[note]]\ntext = \"Erster\"\nnote = \"Eine *Anmerkung* dazu.\"\n",
        );
        assert_eq!(compute(&a, &sel("  \n", "", "")), Err(Refusal::Empty));
        assert_eq!(
            compute(&a, &sel("endet.\nZweiter", "", "")),
            Err(Refusal::AcrossBlocks)
        );
        assert_eq!(
            compute(&a, &sel("Anmerkung dazu", "", "")),
            Err(Refusal::InsideNote)
        );
        let Err(Refusal::NotFound { closest }) = compute(&a, &sel("Zweiter Absaz", "", "")) else {
            panic!()
        };
        assert_eq!(closest.as_deref(), Some("Zweiter Absatz"));
        let body = "ja und ja\n";
        let a = article(body, "");
        assert_eq!(compute(&a, &sel("ja", "", "")), Err(Refusal::Ambiguous(2)));
    }

    #[test]
    fn a_line_break_inside_a_paragraph_is_not_a_block_boundary() {
        let body = "eins zwei\ndrei vier\n\n- Punkt eins\n- Punkt zwei\n";
        let a = article(body, "");
        let c = compute(&a, &sel("zwei drei", "", "")).unwrap();
        reanchors(body, &c);
        assert_eq!(
            compute(&a, &sel("eins\nPunkt", "", "")),
            Err(Refusal::AcrossBlocks)
        );
        assert_eq!(
            compute(&a, &sel("Punkt eins Punkt", "", "")),
            Err(Refusal::AcrossBlocks)
        );
        // A quote of several paragraphs, as a block quote holds it, is one passage.
        let body = "Davor.\n\n> Erster Satz.\n>\n> Zweiter Satz.\n\nDanach.\n";
        let a = article(body, "");
        let c = compute(&a, &sel("Erster Satz. Zweiter", "", "")).unwrap();
        reanchors(body, &c);
        assert_eq!(
            compute(&a, &sel("Satz. Danach", "", "")),
            Err(Refusal::AcrossBlocks)
        );
    }
}
