//! Anchoring: each annotation's words found in the text a reader sees; figures detected.
pub mod figures;

use std::ops::Range;

use crate::content::{Annotation, Article, Detail, Kind};
use crate::diagnostics::Diagnostic;
use crate::markdown::{Events, ReaderText};
use figures::{Figure, FigureKind};

/// How an anchor was found, as annotation tools report it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AnchorState {
    /// Found, with its recorded context.
    Exact,
    /// Found once, but its recorded `prefix`/`suffix` no longer match.
    Moved,
    /// Not found.
    Orphaned,
}

/// What a highlighted stretch of text stands for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// `article.annotations[i]`.
    Annotation(usize),
    /// A figure: detected, or described by `article.annotations[i]`.
    Figure {
        /// The normalized value.
        value: String,
        /// Its unit.
        unit: Option<String>,
        /// Dates and durations become `<time>`.
        kind: FigureKind,
        /// "rund", "more than", …
        approx: Option<figures::Approx>,
        /// A date whose year was taken from the article's date.
        year_inferred: bool,
        /// The high end of a range; `value` is the low end.
        max: Option<String>,
        /// The `[[figure]]` that describes it, if any.
        annotation: Option<usize>,
    },
}

/// One highlighted stretch of the reader's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// Byte range in the reader's text.
    pub range: Range<usize>,
    /// What it stands for.
    pub target: Target,
    /// HTML id of its first element.
    pub id: String,
}

/// An article with its body parsed and every annotation placed.
#[derive(Debug)]
pub struct Anchored<'a> {
    /// Markdown events of the body.
    pub events: Events<'a>,
    /// The text a reader sees.
    pub reader: ReaderText,
    /// Highlights, sorted by start, longest first.
    pub spans: Vec<Span>,
    /// Where each annotation landed (`None` for an ignored figure), by annotation index.
    pub placed: Vec<Option<Range<usize>>>,
    /// Anchor state of each annotation, by annotation index.
    pub states: Vec<AnchorState>,
    /// Figures found automatically (after editorial ignores), in text order.
    pub figures: Vec<Figure>,
    /// Findings that do not stop the build.
    pub warnings: Vec<Diagnostic>,
}

/// Anchors every annotation of `article` and detects its figures when `detect_figures` is set.
/// An annotation that cannot be placed is an error naming its line.
pub fn anchor<'a>(
    article: &'a Article,
    detect_figures: bool,
) -> Result<Anchored<'a>, Vec<Diagnostic>> {
    let events = crate::markdown::parse(article.body());
    let reader = ReaderText::from_events(&events);
    let folded = Folded::new(&reader.text);
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    let mut placed = Vec::with_capacity(article.annotations.len());
    let mut states = Vec::with_capacity(article.annotations.len());
    for ann in &article.annotations {
        match locate(&folded, ann) {
            Ok((range, state, ambiguous)) => {
                if let Some(n) = ambiguous {
                    warnings.push(
                        located(
                            article,
                            ann,
                            format!("{n} places fit this annotation's `text`, `prefix` and `suffix`; the first is used"),
                        )
                        .with_help("lengthen `prefix`/`suffix`, or pick one with `occurrence = N`")
                        .warning(),
                    );
                }
                if state == AnchorState::Moved {
                    warnings.push(
                        located(
                            article,
                            ann,
                            "the recorded `prefix`/`suffix` no longer match",
                        )
                        .with_help("the words were found once elsewhere; update `prefix`/`suffix`")
                        .warning(),
                    );
                }
                placed.push(Some(range));
                states.push(state);
            }
            Err(problem) => {
                problems.push((ann, problem));
                placed.push(None);
                states.push(AnchorState::Orphaned);
            }
        }
    }
    if !problems.is_empty() {
        // The "did you mean" searches share one budget, so that an article whose every
        // annotation is missing (its body replaced, say) is still explained in moments.
        let missing = problems
            .iter()
            .filter(|(_, p)| matches!(p, Problem::Missing))
            .count();
        let budget = (SUGGESTIONS_BUDGET / missing.max(1)).min(SUGGESTION_BUDGET);
        return Err(problems
            .into_iter()
            .map(|(ann, problem)| problem.diagnostic(article, ann, &folded, &reader, budget))
            .collect());
    }
    let year = Some(article.meta.date.year());
    let mut detected = if detect_figures {
        let mut found = figures::detect_with(
            &reader.text,
            article.meta.lang,
            year,
            article.meta.figures_counts,
        );
        drop_table_heads(&events, &reader, &mut found);
        found
    } else {
        Vec::new()
    };
    let mut spans = Vec::new();
    let mut figure_problems = Vec::new();
    for (i, ann) in article.annotations.iter().enumerate() {
        let Some(range) = placed[i].clone() else {
            continue;
        };
        if let Detail::Figure {
            value,
            unit,
            ignore,
            ..
        } = &ann.detail
        {
            // An editor's [[figure]] replaces whatever the detector saw at that place.
            let overlapping: Vec<Figure> = detected
                .extract_if(.., |f| f.start < range.end && f.end > range.start)
                .collect();
            if *ignore {
                placed[i] = None;
                continue;
            }
            let seen = overlapping.first();
            // The unit was checked at load; a value the editor left to the detector is
            // checked here, against the unit the editor gave.
            let explicit = value.is_some();
            let mut value = value.clone();
            if value.is_none()
                && let (Some(u), Some(f)) = (unit, seen)
            {
                match figures::units::normalize(u, &f.value) {
                    Ok(v) => value = Some(v),
                    Err((msg, _)) => {
                        figure_problems.push(
                            located(article, ann, format!("the detected value: {msg}"))
                                .with_help("add `value = \"…\"` to the [[figure]]"),
                        );
                        continue;
                    }
                }
            } else if value.is_none() && unit.is_some() {
                figure_problems.push(
                    located(article, ann, "this [[figure]] has a `unit` but no `value`")
                        .with_help("add `value = \"…\"`; no number was detected in its words"),
                );
                continue;
            }
            let kind = unit
                .as_deref()
                .and_then(figures::units::kind)
                .or_else(|| value.as_deref().and_then(figures::units::kind_of_value))
                .or(seen.map(|f| f.kind))
                .unwrap_or(FigureKind::Number);
            spans.push(Span {
                range,
                id: ann.id.clone(),
                target: Target::Figure {
                    value: value
                        .or_else(|| seen.map(|f| f.value.clone()))
                        .unwrap_or_default(),
                    unit: unit.clone().or_else(|| seen.and_then(|f| f.unit.clone())),
                    kind,
                    approx: seen.and_then(|f| f.approx),
                    year_inferred: seen.is_some_and(|f| f.year_inferred) && !explicit,
                    max: seen.filter(|_| !explicit).and_then(|f| f.max.clone()),
                    annotation: Some(i),
                },
            });
        } else {
            spans.push(Span {
                range,
                id: ann.id.clone(),
                target: Target::Annotation(i),
            });
        }
    }
    for (n, f) in detected.iter().enumerate() {
        spans.push(Span {
            range: f.start..f.end,
            id: format!("fig-{}", n + 1),
            target: Target::Figure {
                value: f.value.clone(),
                unit: f.unit.clone(),
                kind: f.kind,
                approx: f.approx,
                year_inferred: f.year_inferred,
                max: f.max.clone(),
                annotation: None,
            },
        });
    }
    if !figure_problems.is_empty() {
        return Err(figure_problems);
    }
    spans.sort_by(|a, b| {
        a.range
            .start
            .cmp(&b.range.start)
            .then(b.range.end.cmp(&a.range.end))
            .then(nesting_rank(&a.target, article).cmp(&nesting_rank(&b.target, article)))
    });
    Ok(Anchored {
        events,
        reader,
        spans,
        placed,
        states,
        figures: detected,
        warnings,
    })
}

/// Removes the figures in table header cells: a column headed "2023" labels numbers, it
/// claims none.
fn drop_table_heads(events: &Events<'_>, reader: &ReaderText, found: &mut Vec<Figure>) {
    use pulldown_cmark::{Event, Tag, TagEnd};
    let mut heads: Vec<std::ops::Range<usize>> = Vec::new();
    let mut open = None;
    for (i, (event, _)) in events.iter().enumerate() {
        match event {
            Event::Start(Tag::TableHead) => open = Some(i),
            Event::End(TagEnd::TableHead) => {
                if let Some(o) = open.take() {
                    heads.push(o..i);
                }
            }
            _ => {}
        }
    }
    if heads.is_empty() {
        return;
    }
    let text: Vec<std::ops::Range<usize>> = reader
        .runs
        .iter()
        .filter(|r| heads.iter().any(|h| h.contains(&r.event)))
        .map(|r| r.range.clone())
        .collect();
    found.retain(|f| !text.iter().any(|t| f.start < t.end && t.start < f.end));
}

/// Outer elements first when two highlights cover the same words.
fn nesting_rank(t: &Target, article: &Article) -> u8 {
    match t {
        Target::Annotation(i) => match article.annotations[*i].kind {
            Kind::Claim => 0,
            Kind::Quote => 1,
            Kind::Correction => 2,
            Kind::Note => 3,
            Kind::Figure => 4,
        },
        Target::Figure { .. } => 5,
    }
}

fn located(article: &Article, ann: &Annotation, message: impl Into<String>) -> Diagnostic {
    Diagnostic::at(&article.path, &article.source, ann.span.clone(), message)
}

/// The reader's text with runs of white space folded to one space, mapped back byte by byte.
pub struct Folded {
    /// Folded text.
    pub text: String,
    /// `map[i]` is the byte in the original text that folded byte `i` came from.
    map: Vec<u32>,
}

impl Folded {
    /// Folds `original`.
    pub fn new(original: &str) -> Folded {
        let mut text = String::with_capacity(original.len());
        let mut map = Vec::with_capacity(original.len() + 1);
        let mut in_space = false;
        for (i, c) in original.char_indices() {
            if c.is_whitespace() {
                if !in_space {
                    text.push(' ');
                    map.push(i as u32);
                }
                in_space = true;
            } else {
                in_space = false;
                text.push(c);
                map.extend((i..i + c.len_utf8()).map(|b| b as u32));
            }
        }
        map.push(original.len() as u32);
        Folded { text, map }
    }

    /// The original byte range of folded range `r` (which starts and ends on non-space text).
    pub fn original(&self, r: Range<usize>) -> Range<usize> {
        let start = self.map[r.start] as usize;
        let end = if r.end == 0 {
            start
        } else {
            self.map[r.end - 1] as usize + 1
        };
        start..end
    }

    /// The folded position of original byte `pos`.
    pub fn folded_pos(&self, pos: usize) -> usize {
        self.map.partition_point(|&m| (m as usize) < pos)
    }
}

/// White space folded, ends trimmed.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// Why an annotation could not be placed.
enum Problem {
    Missing,
    Ambiguous(Vec<usize>),
    NoSuchOccurrence(usize),
    ContextMismatch(usize),
}

fn context_matches(hay: &str, at: usize, len: usize, prefix: &str, suffix: &str) -> bool {
    hay[..at].trim_end().ends_with(prefix) && hay[at + len..].trim_start().starts_with(suffix)
}

/// Finds where `ann` attaches: its range in the original reader text, and how it was found.
/// Where an annotation was found: its range, its state, and how many places fit its
/// `prefix`/`suffix` when more than one did (the first is taken).
type Found = (Range<usize>, AnchorState, Option<usize>);

fn locate(folded: &Folded, ann: &Annotation) -> Result<Found, Problem> {
    let needle = fold(&ann.anchor.text);
    let prefix = fold(ann.anchor.prefix.as_deref().unwrap_or(""));
    let suffix = fold(ann.anchor.suffix.as_deref().unwrap_or(""));
    let hay = folded.text.as_str();
    let all: Vec<usize> = memchr::memmem::find_iter(hay.as_bytes(), needle.as_bytes())
        .filter(|&at| hay.is_char_boundary(at) && hay.is_char_boundary(at + needle.len()))
        .collect();
    let fitting: Vec<usize> = all
        .iter()
        .copied()
        .filter(|&at| context_matches(hay, at, needle.len(), &prefix, &suffix))
        .collect();
    let to_range = |at: usize| folded.original(at..at + needle.len());
    if let Some(n) = ann.anchor.occurrence {
        return match fitting.get(n - 1) {
            Some(&at) => Ok((to_range(at), AnchorState::Exact, None)),
            None if all.is_empty() => Err(Problem::Missing),
            None => Err(Problem::NoSuchOccurrence(fitting.len())),
        };
    }
    let has_context = !prefix.is_empty() || !suffix.is_empty();
    match (fitting.as_slice(), all.as_slice()) {
        ([at], _) => Ok((to_range(*at), AnchorState::Exact, None)),
        ([], []) => Err(Problem::Missing),
        ([], [at]) => Ok((to_range(*at), AnchorState::Moved, None)),
        ([], several) => Err(Problem::ContextMismatch(several.len())),
        // The editor gave context and it was not enough: like annotation tools, take the
        // first match, and say so. Without any context the editor must choose.
        ([first, ..], _) if has_context => {
            Ok((to_range(*first), AnchorState::Exact, Some(fitting.len())))
        }
        (several, _) => Err(Problem::Ambiguous(several.to_vec())),
    }
}

impl Problem {
    fn diagnostic(
        self,
        article: &Article,
        ann: &Annotation,
        folded: &Folded,
        reader: &ReaderText,
        budget: usize,
    ) -> Diagnostic {
        let needle = fold(&ann.anchor.text);
        let line_of = |folded_at: usize| {
            let original = folded.original(folded_at..folded_at + 1).start;
            let offset = article.body_offset + reader.source_offset(original);
            crate::diagnostics::line_col(&article.source, offset).0
        };
        match self {
            Problem::Missing => {
                let d = located(article, ann, "annotation `text` not found in the article");
                match closest_passage(&folded.text, &needle, budget) {
                    Some((at, passage)) => d.with_help(format!(
                        "did you mean `{passage}` (line {})? The text must match the article's words exactly; white space may differ",
                        line_of(at)
                    )),
                    None => d.with_help("copy the words from the article; white space may differ"),
                }
            }
            Problem::Ambiguous(places) => {
                let lines: Vec<String> = places
                    .iter()
                    .enumerate()
                    .map(|(i, &at)| {
                        format!("occurrence {} on line {}: …{}…", i + 1, line_of(at), context(&folded.text, at, needle.len()))
                    })
                    .collect();
                located(
                    article,
                    ann,
                    format!("annotation `text` occurs {} times in the article", places.len()),
                )
                .with_help(format!(
                    "pick one with `occurrence = N`, or add `prefix`/`suffix` (words just before/after):\n{}",
                    lines.join("\n")
                ))
            }
            Problem::NoSuchOccurrence(found) => located(
                article,
                ann,
                format!("`occurrence` asks for a match that does not exist: there are {found}"),
            )
            .with_help(format!("write an `occurrence` from 1 to {found}")),
            Problem::ContextMismatch(found) => located(
                article,
                ann,
                format!(
                    "annotation `text` occurs {found} times, but none has the given `prefix`/`suffix`"
                ),
            )
            .with_help("correct `prefix`/`suffix` to the words just before/after the intended place"),
        }
    }
}

/// A few words around folded position `at`, for messages.
fn context(hay: &str, at: usize, len: usize) -> String {
    let from = crate::diagnostics::floor_char_boundary(hay, at.saturating_sub(30));
    let to = crate::diagnostics::floor_char_boundary(hay, (at + len + 30).min(hay.len()));
    hay[from..to].to_string()
}

/// Levenshtein cells (characters of the needle × characters of a candidate passage) one
/// "did you mean" search may cost: a few milliseconds.
pub const SUGGESTION_BUDGET: usize = 10_000_000;

/// Levenshtein cells the searches for all missing annotations of one article may cost
/// together.
const SUGGESTIONS_BUDGET: usize = 2 * SUGGESTION_BUDGET;

/// The passage of `hay` most like `needle`, if one is reasonably close: (position, passage).
/// Candidates start at words; on long articles, or when `budget` (in Levenshtein cells, see
/// [`SUGGESTION_BUDGET`]) does not cover every word, only near words the needle shares, so a
/// typo in a 5 MB article does not take minutes to explain. `None` as well when not even one
/// candidate fits the budget.
pub fn closest_passage(hay: &str, needle: &str, mut budget: usize) -> Option<(usize, String)> {
    let n_chars = needle.chars().count();
    if n_chars == 0 || hay.is_empty() {
        return None;
    }
    let mut starts: Vec<usize> = Vec::new();
    // Each candidate costs a Levenshtein of n_chars × (at most n_chars) cells; a long `text`
    // that is nowhere (a pasted paragraph) must not take minutes either.
    let cells = n_chars.saturating_mul(n_chars.min(hay.len())).max(1);
    if cells > budget {
        return None;
    }
    if hay.len() <= 200_000 && (hay.len() / 6).saturating_mul(cells) <= budget {
        let mut prev_alnum = false;
        for (i, c) in hay.char_indices() {
            let alnum = c.is_alphanumeric();
            if alnum && !prev_alnum {
                starts.push(i);
            }
            prev_alnum = alnum;
        }
    } else {
        // Looking for a word reads the whole article, which costs about as much as 1/32 of
        // its bytes in cells: with many missing annotations on a long article, fewer words.
        let pass = hay.len() / 32 + 1;
        let words = (budget / pass).min(6);
        budget -= words * pass;
        for word in needle
            .split(' ')
            .filter(|w| w.chars().count() >= 4)
            .take(words)
        {
            let offset_in_needle = needle.find(word).unwrap_or(0);
            for at in memchr::memmem::find_iter(hay.as_bytes(), word.as_bytes()).take(2000) {
                let s = crate::diagnostics::floor_char_boundary(
                    hay,
                    at.saturating_sub(offset_in_needle),
                );
                starts.push(s);
            }
        }
        starts.sort_unstable();
        starts.dedup();
    }
    starts.truncate(budget / cells);
    let mut best: Option<(f64, usize, &str)> = None;
    for s in starts {
        let window_end = hay[s..]
            .char_indices()
            .nth(n_chars)
            .map_or(hay.len(), |(i, _)| s + i);
        let window = &hay[s..window_end];
        let score = strsim::normalized_levenshtein(window, needle);
        if best.is_none_or(|(b, _, _)| score > b) {
            best = Some((score, s, window));
        }
    }
    best.filter(|(score, _, _)| *score >= 0.5).map(|(_, s, w)| {
        // End the suggestion at a word's end, not inside a word.
        let end = s + w.len();
        let word_end = hay[end..]
            .char_indices()
            .find(|(_, c)| !c.is_alphanumeric())
            .map_or(hay.len(), |(i, _)| end + i);
        (s, hay[s..word_end].trim().to_string())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Site;
    use std::path::PathBuf;

    fn article(front: &str, body: &str) -> Article {
        crate::content::parse_article(
            &Site::standalone(),
            PathBuf::from("content/a.md"),
            format!("+++\ntitle = \"T\"\ndate = 2019-07-24\n{front}+++\n{body}"),
            "a/".into(),
        )
        .unwrap()
    }

    #[test]
    fn anchors_across_emphasis_and_line_breaks() {
        let a = article(
            "[[note]]\ntext = \"investierte 1   Milliarde US-Dollar in\"\nnote = \"n\"\n",
            "Microsoft *investierte* 1\nMilliarde **US-Dollar** in OpenAI.\n",
        );
        let anchored = anchor(&a, false).unwrap();
        let r = anchored.placed[0].clone().unwrap();
        assert_eq!(
            &anchored.reader.text[r],
            "investierte 1\nMilliarde US-Dollar in"
        );
    }

    #[test]
    fn missing_anchor_suggests_the_closest_passage() {
        let a = article(
            "[[note]]\ntext = \"Cade Mats\"\nnote = \"n\"\n",
            "Erster Absatz.\n\n—Cade Matz, Technologiereporter\n",
        );
        let e = anchor(&a, false).unwrap_err();
        assert_eq!(e[0].message, "annotation `text` not found in the article");
        assert_eq!(e[0].line, 5);
        let help = e[0].help.as_deref().unwrap();
        assert!(help.contains("did you mean `Cade Matz`"), "{help}");
        assert!(help.contains("(line 10)"), "{help}");
    }

    #[test]
    fn ambiguous_anchor_lists_places_and_occurrence_picks() {
        let body = "Eins und zwei.\n\nZwei und eins.\n";
        let a = article("[[note]]\ntext = \"und\"\nnote = \"n\"\n", body);
        let e = anchor(&a, false).unwrap_err();
        assert_eq!(
            e[0].message,
            "annotation `text` occurs 2 times in the article"
        );
        let help = e[0].help.as_deref().unwrap();
        assert!(help.contains("occurrence 2 on line 10"), "{help}");
        let a = article(
            "[[note]]\ntext = \"und\"\noccurrence = 2\nnote = \"n\"\n",
            body,
        );
        let anchored = anchor(&a, false).unwrap();
        assert_eq!(anchored.placed[0], Some(20..23));
        let a = article(
            "[[note]]\ntext = \"und\"\nprefix = \"Zwei\"\nnote = \"n\"\n",
            body,
        );
        assert_eq!(anchor(&a, false).unwrap().placed[0], Some(20..23));
    }

    #[test]
    fn stale_context_on_a_unique_match_is_moved() {
        let a = article(
            "[[note]]\ntext = \"zwei\"\nprefix = \"drei\"\nnote = \"n\"\n",
            "Eins und zwei.\n",
        );
        let anchored = anchor(&a, false).unwrap();
        assert_eq!(anchored.states[0], AnchorState::Moved);
        assert_eq!(anchored.warnings.len(), 1);
    }

    #[test]
    fn context_that_still_fits_twice_takes_the_first_with_a_warning() {
        let a = article(
            "[[note]]\ntext = \"und\"\nprefix = \"Eins\"\nnote = \"n\"\n",
            "Eins und zwei. Eins und drei.\n",
        );
        let anchored = anchor(&a, false).unwrap();
        assert_eq!(anchored.placed[0], Some(5..8));
        assert!(anchored.warnings[0].message.starts_with("2 places fit"));
    }

    #[test]
    fn folding_maps_back() {
        let f = Folded::new("a  \n b");
        assert_eq!(f.text, "a b");
        assert_eq!(f.original(0..3), 0..6);
    }
}
