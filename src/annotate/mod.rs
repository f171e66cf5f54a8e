//! Anchoring: each annotation's words found in the text a reader sees; figures detected.
pub mod figures;
pub(crate) mod history;

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
    /// Ids it was published under before, which must keep reaching it (see [`history`]).
    pub aliases: Vec<String>,
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
    /// Where each annotation landed (`None` for an ignored figure), by annotation index;
    /// the first place of one that applies to every occurrence (`all = true`).
    pub placed: Vec<Option<Range<usize>>>,
    /// Anchor state of each annotation, by annotation index.
    pub states: Vec<AnchorState>,
    /// Whether each annotation's words occur only once in the text, by annotation index.
    pub alone: Vec<bool>,
    /// Figures found automatically (after editorial ignores), in text order.
    pub figures: Vec<Figure>,
    /// Findings that do not stop the build.
    pub warnings: Vec<Diagnostic>,
    /// The body's embed blocks, in order (see [`crate::render::embed`]).
    pub embeds: Vec<crate::render::embed::Embed>,
}

impl Anchored<'_> {
    /// The figure the text shows for annotation `i` (the editor's value, or the detector's):
    /// value, unit, kind and high end; `None` while it has no value.
    pub fn figure_of(&self, i: usize) -> Option<(&str, Option<&str>, FigureKind, Option<&str>)> {
        self.spans.iter().find_map(|s| match &s.target {
            Target::Figure {
                value,
                unit,
                kind,
                max,
                annotation: Some(n),
                ..
            } if *n == i && !value.is_empty() => {
                Some((value.as_str(), unit.as_deref(), *kind, max.as_deref()))
            }
            _ => None,
        })
    }
}

/// Anchors every annotation of `article` and detects its figures when `detect_figures` is set.
/// An annotation that cannot be placed is an error naming its line.
pub fn anchor<'a>(
    article: &'a Article,
    detect_figures: bool,
) -> Result<Anchored<'a>, Vec<Diagnostic>> {
    try_anchor(article, detect_figures).map_err(Vec::from)
}

/// [`anchor`], with each annotation's error as it was made.
pub fn try_anchor<'a>(
    article: &'a Article,
    detect_figures: bool,
) -> Result<Anchored<'a>, AnchorFailure> {
    let events = crate::markdown::parse_with(article.body(), article.meta.markdown);
    let reader = ReaderText::from_events(&events);
    let folded = Folded::new(&reader.text);
    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    let mut placed = Vec::with_capacity(article.annotations.len());
    let mut states = Vec::with_capacity(article.annotations.len());
    let mut alone = Vec::with_capacity(article.annotations.len());
    let places = Places::find(&folded.text, &article.annotations);
    // The further places of annotations with `all = true`: (annotation, range).
    let mut more: Vec<(usize, Range<usize>)> = Vec::new();
    for (i, ann) in article.annotations.iter().enumerate() {
        if ann.anchor.all {
            match locate_all(&folded, ann, places.of(i)) {
                Ok(ranges) => {
                    alone.push(ranges.len() == 1);
                    let mut ranges = ranges.into_iter();
                    placed.push(ranges.next());
                    more.extend(ranges.map(|r| (i, r)));
                    states.push(AnchorState::Exact);
                }
                Err(problem) => {
                    alone.push(false);
                    problems.push((i, problem));
                    placed.push(None);
                    states.push(AnchorState::Orphaned);
                }
            }
            continue;
        }
        match locate(&folded, ann, places.of(i)) {
            Ok((range, state, ambiguous, found)) => {
                alone.push(found == 1);
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
                    let at = folded.folded_pos(range.start);
                    let sides = failed_sides(&folded.text, at, ann);
                    warnings.push(
                        located(
                            article,
                            ann,
                            format!(
                                "the recorded {sides} no longer {}",
                                if sides.contains(" and ") { "fit" } else { "fits" }
                            ),
                        )
                        .with_help(format!(
                            "the words were found once, with other words around them: …{}…; update {sides}",
                            context(&folded.text, at, fold(&ann.anchor.text).len())
                        ))
                        .warning(),
                    );
                }
                placed.push(Some(range));
                states.push(state);
            }
            Err(problem) => {
                alone.push(false);
                problems.push((i, problem));
                placed.push(None);
                states.push(AnchorState::Orphaned);
            }
        }
    }
    problems.extend(heading_clashes(article, &events));
    if !problems.is_empty() {
        // The "did you mean" searches share one budget, so that an article whose every
        // annotation is missing (its body replaced, say) is still explained in moments.
        let missing = problems
            .iter()
            .filter(|(_, p)| matches!(p, AnchorError::Missing))
            .count();
        let budget = (SUGGESTIONS_BUDGET / missing.max(1)).min(SUGGESTION_BUDGET);
        let diagnostics = problems
            .iter()
            .map(|(i, problem)| {
                problem.diagnostic(article, &article.annotations[*i], &folded, &reader, budget)
            })
            .collect();
        return Err(AnchorFailure {
            errors: problems,
            diagnostics,
        });
    }
    let year = Some(article.meta.date.year());
    let rules = figures::rules_for_lang(article.meta.lang);
    let mut detected = if detect_figures && let Some(rules) = rules {
        let mut found =
            figures::detect_with(&reader.text, rules, year, article.meta.figures_counts);
        drop_table_heads(&events, &reader, &mut found);
        found
    } else {
        Vec::new()
    };
    let mut spans = Vec::new();
    // Detected figures come in text order; while none overlaps the next, those a [[figure]]
    // covers are found by binary search rather than a pass over all of them (5,000
    // [[figure]]s among 200,000 detected figures took 3.9 s).
    let ordered = detected.windows(2).all(|w| w[0].end <= w[1].start);
    let mut replaced = vec![false; detected.len()];
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
            let candidates = if ordered {
                detected.partition_point(|f| f.end <= range.start)
                    ..detected.partition_point(|f| f.start < range.end)
            } else {
                0..detected.len()
            };
            let mut seen = None;
            for k in candidates {
                let f = &detected[k];
                if !replaced[k] && f.start < range.end && f.end > range.start {
                    replaced[k] = true;
                    seen = seen.or(Some(f));
                }
            }
            if *ignore {
                placed[i] = None;
                continue;
            }
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
                aliases: Vec::new(),
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
                aliases: Vec::new(),
                target: Target::Annotation(i),
            });
        }
    }
    // Each further place gets the annotation's id with its number: `fix-2`, `fix-3`; a
    // number whose id another annotation has (the same words' second annotation is also
    // `…-2`) is skipped, so that no id is on the page twice.
    let taken: std::collections::HashSet<&str> =
        article.annotations.iter().map(|a| a.id.as_str()).collect();
    let mut count = vec![1usize; article.annotations.len()];
    for (i, range) in more {
        let id = loop {
            count[i] += 1;
            let id = format!("{}-{}", article.annotations[i].id, count[i]);
            if !taken.contains(id.as_str()) {
                break id;
            }
        };
        spans.push(Span {
            range,
            id,
            aliases: Vec::new(),
            target: Target::Annotation(i),
        });
    }
    let mut k = 0;
    detected.retain(|_| {
        k += 1;
        !replaced[k - 1]
    });
    for (n, f) in detected.iter().enumerate() {
        spans.push(Span {
            range: f.start..f.end,
            id: format!("fig-{}", n + 1),
            aliases: Vec::new(),
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
    let mut embeds = Vec::new();
    for found in crate::render::embed::find(article.body(), &events) {
        match found.embed {
            Ok(e) => embeds.push(e),
            Err(message) => figure_problems.push(
                Diagnostic::at(
                    &article.path,
                    &article.source,
                    article.body_offset + found.at.start..article.body_offset + found.at.end,
                    message,
                )
                .with_help(format!(
                    "an embed block holds the address of one of these: {}; link anything else: [words](address)",
                    crate::render::embed::PROVIDERS_HELP
                )),
            ),
        }
    }
    if !article.meta.markdown.trusted_html {
        warnings.extend(crate::render::sanitize::removal_warnings(article, &events));
    }
    if !figure_problems.is_empty() {
        return Err(AnchorFailure {
            errors: Vec::new(),
            diagnostics: figure_problems,
        });
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
        alone,
        figures: detected,
        warnings,
        embeds,
    })
}

/// Annotations whose id, or the id of their note or reference, a heading of the body
/// (`# Title {#id}`) has already: the page would hold the id twice.
fn heading_clashes(article: &Article, events: &Events<'_>) -> Vec<(usize, AnchorError)> {
    let headings: std::collections::HashSet<&str> = events
        .iter()
        .filter_map(|(e, _)| match e {
            pulldown_cmark::Event::Start(pulldown_cmark::Tag::Heading { id: Some(id), .. }) => {
                Some(id.as_ref())
            }
            _ => None,
        })
        .collect();
    if headings.is_empty() {
        return Vec::new();
    }
    let mut out = Vec::new();
    for (i, ann) in article.annotations.iter().enumerate() {
        let taken = [
            ann.id.clone(),
            format!("note-{}", ann.id),
            format!("ref-{}", ann.id),
        ]
        .into_iter()
        .find(|id| headings.contains(id.as_str()));
        if let Some(taken) = taken {
            out.push((i, AnchorError::HeadingClash(taken)));
        }
    }
    out
}

/// Which of `ann`'s `prefix` and `suffix` do not fit the match at folded position `at`.
fn failed_sides(hay: &str, at: usize, ann: &Annotation) -> &'static str {
    let len = fold(&ann.anchor.text).len();
    let prefix = fold(ann.anchor.prefix.as_deref().unwrap_or(""));
    let suffix = fold(ann.anchor.suffix.as_deref().unwrap_or(""));
    let before = hay[..at].trim_end().ends_with(&prefix);
    let after = hay[at + len..].trim_start().starts_with(&suffix);
    match (before, after) {
        (false, false) => "`prefix` and `suffix`",
        (false, true) => "`prefix`",
        _ => "`suffix`",
    }
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

/// Whether the character at byte `i` of `text` (a character boundary) is white space, as
/// `char::is_whitespace` says, and its length in bytes; ASCII is decided by the byte alone.
// Called for every byte of every article's text: left to the inliner, an unrelated change
// once made it a call per byte (257 M instructions at 1k articles, callgrind).
#[inline(always)]
pub(crate) fn white_space_at(text: &str, i: usize) -> (bool, usize) {
    match text.as_bytes()[i] {
        // What `char::is_whitespace` says of ASCII: tab to carriage return, space.
        b @ 0..0x80 => (matches!(b, b'\t'..=b'\r' | b' '), 1),
        _ => {
            let c = text[i..].chars().next().unwrap_or_default();
            (c.is_whitespace(), c.len_utf8())
        }
    }
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
        let bytes = original.as_bytes();
        // Runs of text between spaces are copied whole, and their map made from a range:
        // char by char, this was 6 % of a first build's instructions (callgrind).
        let mut run = 0;
        let mut in_space = false;
        let mut i = 0;
        while i < bytes.len() {
            let (space, len) = white_space_at(original, i);
            if space {
                text.push_str(&original[run..i]);
                map.extend(run as u32..i as u32);
                if !in_space {
                    text.push(' ');
                    map.push(i as u32);
                }
                run = i + len;
            }
            in_space = space;
            i += len;
        }
        text.push_str(&original[run..]);
        map.extend(run as u32..original.len() as u32);
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

pub use crate::markdown::fold;

/// Why an annotation could not be placed.
/// Why an annotation could not be anchored: made where its words are looked for, a
/// [`Diagnostic`] (with the suggestions that need the text) at the end of [`try_anchor`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AnchorError {
    /// Its `text` is nowhere in the article.
    #[error("annotation `text` not found in the article")]
    Missing,
    /// Its `text` is in more than one place (folded offsets), and nothing picks one.
    #[error("annotation `text` occurs {} times in the article", .0.len())]
    Ambiguous(Vec<usize>),
    /// `occurrence` is past the last of the places found (how many there are).
    #[error("`occurrence` asks for a match that does not exist: there are {0}")]
    NoSuchOccurrence(usize),
    /// Its `text` is in several places, and its `prefix`/`suffix` fit none of them.
    #[error("annotation `text` occurs {} times, but none has the given `prefix`/`suffix`", .0.len())]
    ContextMismatch(Vec<usize>),
    /// A heading of the body has this id, which the annotation's page elements need.
    #[error("a heading of the text has the id `{0}`, which this annotation's page elements need")]
    HeadingClash(String),
}

/// The annotations of an article that could not be anchored: each one's error, and the
/// same as located findings.
#[derive(Debug)]
pub struct AnchorFailure {
    /// (annotation index, why), in the order of the annotations; empty when only a figure's
    /// value failed.
    pub errors: Vec<(usize, AnchorError)>,
    /// Everything that failed, as findings to show.
    pub diagnostics: Vec<Diagnostic>,
}

impl From<AnchorFailure> for Vec<Diagnostic> {
    fn from(f: AnchorFailure) -> Self {
        f.diagnostics
    }
}

/// Whether the folded `prefix` and `suffix` fit the match of `len` bytes at folded position
/// `at` of `hay`, as an annotation's recorded context must.
pub(crate) fn context_matches(
    hay: &str,
    at: usize,
    len: usize,
    prefix: &str,
    suffix: &str,
) -> bool {
    hay[..at].trim_end().ends_with(prefix) && hay[at + len..].trim_start().starts_with(suffix)
}

/// Finds where `ann` attaches: its range in the original reader text, and how it was found.
/// Where an annotation was found: its range, its state, and how many places fit its
/// `prefix`/`suffix` when more than one did (the first is taken), and how often its words
/// occur at all.
type Found = (Range<usize>, AnchorState, Option<usize>, usize);

/// Up to this many distinct annotation texts are searched for one by one; more, in one pass.
const ONE_SEARCH_EACH: usize = 32;

/// Where each annotation's folded `text` occurs in the folded reader text. Many texts are
/// found in one pass over the text: searching the text once per annotation made the cost
/// the annotations times the text (100,000 notes took 83 s).
struct Places {
    /// The distinct texts' occurrences, as one search for each alone would give them (left
    /// to right, not overlapping, on character boundaries).
    found: Vec<Vec<usize>>,
    /// `pattern[i]`: which of them is annotation `i`'s text.
    pattern: Vec<usize>,
}

/// Where the folded `needle` occurs in the folded `hay`, as [`try_anchor`] finds an
/// annotation's text: left to right, not overlapping, on character boundaries.
pub(crate) fn occurrences(hay: &str, needle: &str) -> Vec<usize> {
    if needle.is_empty() {
        return Vec::new();
    }
    memchr::memmem::find_iter(hay.as_bytes(), needle.as_bytes())
        .filter(|&at| hay.is_char_boundary(at) && hay.is_char_boundary(at + needle.len()))
        .collect()
}

impl Places {
    fn find(hay: &str, annotations: &[Annotation]) -> Places {
        let needles: Vec<String> = annotations.iter().map(|a| fold(&a.anchor.text)).collect();
        Places::of_texts(hay, &needles, ONE_SEARCH_EACH)
    }

    /// Where each of `needles` occurs in `hay`: up to `each_up_to` distinct ones searched
    /// for one by one, more in one pass.
    fn of_texts(hay: &str, needles: &[String], each_up_to: usize) -> Places {
        let mut pattern_of: std::collections::HashMap<&str, usize> = Default::default();
        let mut patterns: Vec<&str> = Vec::new();
        let pattern: Vec<usize> = needles
            .iter()
            .map(|n| {
                *pattern_of.entry(n.as_str()).or_insert_with(|| {
                    patterns.push(n.as_str());
                    patterns.len() - 1
                })
            })
            .collect();
        let mut found: Vec<Vec<usize>> = vec![Vec::new(); patterns.len()];
        let searchable: Vec<usize> = (0..patterns.len())
            .filter(|&p| !patterns[p].is_empty())
            .collect();
        // Few texts: one memmem search each (SIMD, no set-up) costs less than building an
        // automaton for one pass, which was 5.4 % of a 10k first build (perf) for the ~17
        // annotations an article has. Many: one pass for all of them, since a search each
        // makes the cost the annotations times the text.
        let one_pass = if searchable.len() <= each_up_to {
            None
        } else {
            // A contiguous NFA rather than the DFA the crate picks for few patterns: the
            // automaton is used for one pass only, and building a DFA costs more than it.
            aho_corasick::AhoCorasick::builder()
                .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
                .build(searchable.iter().map(|&p| patterns[p]))
                .ok()
        };
        match one_pass {
            Some(ac) => {
                for m in ac.find_overlapping_iter(hay) {
                    let p = searchable[m.pattern().as_usize()];
                    // Not overlapping the previous one of the same text, as memmem finds them.
                    let list = &mut found[p];
                    if list
                        .last()
                        .is_none_or(|&l| m.start() >= l + patterns[p].len())
                    {
                        list.push(m.start());
                    }
                }
            }
            // Few texts, or too many for one automaton: one search each.
            None => {
                for &p in &searchable {
                    found[p] =
                        memchr::memmem::find_iter(hay.as_bytes(), patterns[p].as_bytes()).collect();
                }
            }
        }
        for (p, list) in found.iter_mut().enumerate() {
            let n = patterns[p];
            if n.is_empty() {
                *list = memchr::memmem::find_iter(hay.as_bytes(), b"").collect();
            }
            list.retain(|&at| hay.is_char_boundary(at) && hay.is_char_boundary(at + n.len()));
        }
        Places { found, pattern }
    }

    /// The occurrences of annotation `i`'s text.
    fn of(&self, i: usize) -> &[usize] {
        &self.found[self.pattern[i]]
    }
}

fn locate(folded: &Folded, ann: &Annotation, all: &[usize]) -> Result<Found, AnchorError> {
    let needle = fold(&ann.anchor.text);
    let prefix = fold(ann.anchor.prefix.as_deref().unwrap_or(""));
    let suffix = fold(ann.anchor.suffix.as_deref().unwrap_or(""));
    let hay = folded.text.as_str();
    let fitting: Vec<usize> = all
        .iter()
        .copied()
        .filter(|&at| context_matches(hay, at, needle.len(), &prefix, &suffix))
        .collect();
    let to_range = |at: usize| folded.original(at..at + needle.len());
    if let Some(n) = ann.anchor.occurrence {
        return match fitting.get(n - 1) {
            Some(&at) => Ok((to_range(at), AnchorState::Exact, None, all.len())),
            None if all.is_empty() => Err(AnchorError::Missing),
            None => Err(AnchorError::NoSuchOccurrence(fitting.len())),
        };
    }
    let has_context = !prefix.is_empty() || !suffix.is_empty();
    match (fitting.as_slice(), all) {
        ([at], _) => Ok((to_range(*at), AnchorState::Exact, None, all.len())),
        ([], []) => Err(AnchorError::Missing),
        ([], [at]) => Ok((to_range(*at), AnchorState::Moved, None, 1)),
        ([], several) => Err(AnchorError::ContextMismatch(several.to_vec())),
        // The editor gave context and it was not enough: like annotation tools, take the
        // first match, and say so. Without any context the editor must choose.
        ([first, ..], _) if has_context => Ok((
            to_range(*first),
            AnchorState::Exact,
            Some(fitting.len()),
            all.len(),
        )),
        (several, _) => Err(AnchorError::Ambiguous(several.to_vec())),
    }
}

/// Every place of `ann` (its `prefix`/`suffix` must fit each), in text order.
fn locate_all(
    folded: &Folded,
    ann: &Annotation,
    all: &[usize],
) -> Result<Vec<Range<usize>>, AnchorError> {
    let needle = fold(&ann.anchor.text);
    let prefix = fold(ann.anchor.prefix.as_deref().unwrap_or(""));
    let suffix = fold(ann.anchor.suffix.as_deref().unwrap_or(""));
    let hay = folded.text.as_str();
    let fitting: Vec<Range<usize>> = all
        .iter()
        .filter(|&&at| context_matches(hay, at, needle.len(), &prefix, &suffix))
        .map(|&at| folded.original(at..at + needle.len()))
        .collect();
    match (fitting.is_empty(), all.len()) {
        (false, _) => Ok(fitting),
        (true, 0) => Err(AnchorError::Missing),
        (true, _) => Err(AnchorError::ContextMismatch(all.to_vec())),
    }
}

impl AnchorError {
    fn diagnostic(
        &self,
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
        let occurrences = |places: &[usize]| -> Vec<String> {
            places
                .iter()
                .enumerate()
                .map(|(i, &at)| {
                    format!(
                        "occurrence {} on line {}: …{}…",
                        i + 1,
                        line_of(at),
                        context(&folded.text, at, needle.len())
                    )
                })
                .collect()
        };
        let message = self.to_string();
        match self {
            AnchorError::Missing => {
                let d = located(article, ann, message);
                match closest_passage(&folded.text, &needle, budget) {
                    Some((at, passage)) => d.with_help(format!(
                        "did you mean `{passage}` (line {})? The text must match the article's words exactly; white space may differ",
                        line_of(at)
                    )),
                    None => d.with_help("copy the words from the article; white space may differ"),
                }
            }
            AnchorError::Ambiguous(places) => {
                let lines = occurrences(places);
                located(article, ann, message)
                .with_help(format!(
                    "pick one with `occurrence = N`, or add `prefix`/`suffix` (words just before/after):\n{}",
                    lines.join("\n")
                ))
            }
            AnchorError::HeadingClash(_) => {
                let span = ann.id_span.clone().unwrap_or(ann.span.clone());
                let d = Diagnostic::at(&article.path, &article.source, span, message);
                match &ann.id_span {
                    Some(_) => d.with_help("give this annotation another `id`, or the heading another `{#id}`"),
                    None => d.with_help(format!(
                        "add `id = \"{}-2\"` (or another) to this annotation, or give the heading another `{{#id}}`",
                        ann.id
                    )),
                }
            }
            AnchorError::NoSuchOccurrence(found) => located(article, ann, message)
                .with_help(format!("write an `occurrence` from 1 to {found}")),
            AnchorError::ContextMismatch(places) => {
                let prefix = fold(ann.anchor.prefix.as_deref().unwrap_or(""));
                let suffix = fold(ann.anchor.suffix.as_deref().unwrap_or(""));
                let len = needle.len();
                let hay = folded.text.as_str();
                let fits = |ok: &dyn Fn(usize) -> bool| -> Vec<String> {
                    (0..places.len())
                        .filter(|&i| ok(places[i]))
                        .map(|i| (i + 1).to_string())
                        .collect()
                };
                let before = fits(&|at| hay[..at].trim_end().ends_with(&prefix));
                let after = fits(&|at| hay[at + len..].trim_start().starts_with(&suffix));
                let side = |name: &str, words: &str, fit: &[String]| -> Option<String> {
                    if words.is_empty() {
                        return None;
                    }
                    Some(match fit {
                        [] => format!("the {name} `{words}` fits none of them"),
                        [one] => format!("the {name} `{words}` fits occurrence {one} only"),
                        many => {
                            format!("the {name} `{words}` fits occurrences {}", many.join(", "))
                        }
                    })
                };
                let sides: Vec<String> = [
                    side("`prefix`", &prefix, &before),
                    side("`suffix`", &suffix, &after),
                ]
                .into_iter()
                .flatten()
                .collect();
                let lines = occurrences(places);
                located(article, ann, message)
                .with_help(format!(
                    "{}; correct `prefix`/`suffix` to the words just before/after the intended place, or pick one with `occurrence = N`:\n{}",
                    sides.join(", and "),
                    lines.join("\n")
                ))
            }
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

    /// An article at `content/a.md` with `front` matter lines and `body`.
    pub(super) fn article(front: &str, body: &str) -> Article {
        crate::content::parse_article(
            &Site::standalone(),
            PathBuf::from("content/a.md"),
            format!("+++\ntitle = \"T\"\ndate = 2019-07-24\n{front}+++\n{body}"),
            "a/".into(),
        )
        .unwrap()
    }

    #[test]
    fn folded_text_and_map_are_those_of_folding_char_by_char() {
        fn char_by_char(original: &str) -> (String, Vec<u32>) {
            let (mut text, mut map, mut in_space) = (String::new(), Vec::new(), false);
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
            (text, map)
        }
        for original in [
            "",
            " ",
            "a",
            "  a  b\t\n\u{b}\u{c}\rc ",
            "Grüße,\u{a0}5\u{202f}% —\u{2003}\u{3000}ok\u{85}x",
            "ä\n\nß",
        ] {
            let f = Folded::new(original);
            assert_eq!((f.text, f.map), char_by_char(original), "{original:?}");
        }
    }

    #[test]
    fn one_pass_finds_what_a_search_each_finds() {
        let hay = "aaaa ab aab ä äb äbä banana ananas nana";
        let needles: Vec<String> = [
            "aa", "a", "ab", "ä", "äb", "bä", "ana", "nana", "", "aa", "x",
        ]
        .map(String::from)
        .to_vec();
        let each = Places::of_texts(hay, &needles, usize::MAX);
        let one_pass = Places::of_texts(hay, &needles, 0);
        for (i, needle) in needles.iter().enumerate() {
            assert_eq!(each.of(i), one_pass.of(i), "{needle:?}");
        }
        assert_eq!(each.of(0), [0, 2, 8]);
        assert_eq!(each.of(6), [26, 32, 40]);
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
        let f = try_anchor(&a, false).unwrap_err();
        assert_eq!(f.errors, [(0, AnchorError::Missing)]);
        let e = f.diagnostics;
        assert_eq!(e[0].line, 5);
        let help = e[0].help.as_deref().unwrap();
        assert!(help.contains("did you mean `Cade Matz`"), "{help}");
        assert!(help.contains("(line 10)"), "{help}");
    }

    #[test]
    fn ambiguous_anchor_lists_places_and_occurrence_picks() {
        let body = "Eins und zwei.\n\nZwei und eins.\n";
        let a = article("[[note]]\ntext = \"und\"\nnote = \"n\"\n", body);
        let f = try_anchor(&a, false).unwrap_err();
        assert!(
            matches!(&f.errors[..], [(0, AnchorError::Ambiguous(p))] if p.len() == 2),
            "{f:?}"
        );
        let e = f.diagnostics;
        let help = e[0].help.as_deref().unwrap();
        assert!(help.contains("occurrence 2 on line 10"), "{help}");
        let a = article(
            "[[note]]\ntext = \"und\"\noccurrence = 2\nnote = \"n\"\n",
            body,
        );
        let anchored = anchor(&a, false).unwrap();
        assert_eq!(anchored.placed[0], Some(20..23));
        let a = article(
            "[[note]]\ntext = \"und\"\noccurrence = 3\nnote = \"n\"\n",
            body,
        );
        let f = try_anchor(&a, false).unwrap_err();
        assert_eq!(f.errors, [(0, AnchorError::NoSuchOccurrence(2))]);
        assert_eq!(
            f.diagnostics[0].help.as_deref(),
            Some("write an `occurrence` from 1 to 2")
        );
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
    fn context_that_fits_no_occurrence_lists_them_and_names_the_side() {
        let body = "Eins und zwei.\n\nDrei und vier.\n";
        let a = article(
            "[[note]]\ntext = \"und\"\nprefix = \"Eins\"\nsuffix = \"vier\"\nnote = \"n\"\n",
            body,
        );
        let f = try_anchor(&a, false).unwrap_err();
        assert!(
            matches!(&f.errors[..], [(0, AnchorError::ContextMismatch(p))] if p.len() == 2),
            "{f:?}"
        );
        let e = f.diagnostics;
        let help = e[0].help.as_deref().unwrap();
        assert!(
            help.starts_with("the `prefix` `Eins` fits occurrence 1 only, and the `suffix` `vier` fits occurrence 2 only;"),
            "{help}"
        );
        assert!(
            help.contains("occurrence 1 on line 10: …Eins und zwei"),
            "{help}"
        );
        assert!(help.contains("occurrence 2 on line 12: …"), "{help}");
        let a = article(
            "[[note]]\ntext = \"und\"\nsuffix = \"fünf\"\nnote = \"n\"\n",
            body,
        );
        let help = anchor(&a, false).unwrap_err()[0].help.clone().unwrap();
        assert!(
            help.starts_with("the `suffix` `fünf` fits none of them;"),
            "{help}"
        );
        // One match left, its suffix stale: the warning says which side.
        let a = article(
            "[[note]]\ntext = \"zwei\"\nprefix = \"und\"\nsuffix = \"drei\"\nnote = \"n\"\n",
            body,
        );
        let w = &anchor(&a, false).unwrap().warnings[0];
        assert_eq!(w.message, "the recorded `suffix` no longer fits");
    }

    #[test]
    fn an_id_a_heading_has_is_refused() {
        let a = article(
            "[[note]]\ntext = \"Eins\"\nid = \"eins\"\nnote = \"n\"\n",
            "# Kopf {#note-eins}\n\nEins.\n",
        );
        let f = try_anchor(&a, false).unwrap_err();
        assert_eq!(
            f.errors,
            [(0, AnchorError::HeadingClash("note-eins".into()))]
        );
        let e = f.diagnostics;
        assert_eq!((e[0].line, e[0].col), (6, 6));
    }

    #[test]
    fn folding_maps_back() {
        let f = Folded::new("a  \n b");
        assert_eq!(f.text, "a b");
        assert_eq!(f.original(0..3), 0..6);
    }
}
