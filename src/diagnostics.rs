//! Located, printable findings: every error gloss reports names a file, line and column.
use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

/// How serious a finding is.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Stops the build.
    Error,
    /// Reported, but the build goes on.
    Warning,
}

/// The source lines around a finding, kept so it can be shown without rereading the file.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Excerpt {
    /// 1-based number of the first line of `text`.
    pub line_start: usize,
    /// Whole source lines that contain the span.
    pub text: String,
    /// Byte range of the finding within `text`.
    pub span: Range<usize>,
}

/// One finding about one place in one file.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// The file, as given to gloss (relative to the site root where possible).
    pub path: PathBuf,
    /// 1-based line; 0 when the finding is about the whole file.
    pub line: usize,
    /// 1-based column in characters; 0 when the finding is about the whole file.
    pub col: usize,
    /// What is wrong.
    pub message: String,
    /// How to fix it.
    pub help: Option<String>,
    /// The source around the finding.
    pub excerpt: Option<Box<Excerpt>>,
}

impl Diagnostic {
    /// An error about a whole file (no line to point at).
    pub fn file(path: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            line: 0,
            col: 0,
            message: message.into(),
            help: None,
            excerpt: None,
        }
    }

    /// An error at byte range `span` of `source`, the full text of the file at `path`.
    pub fn at(
        path: impl Into<PathBuf>,
        source: &str,
        span: Range<usize>,
        message: impl Into<String>,
    ) -> Self {
        let start = floor_char_boundary(source, span.start.min(source.len()));
        let end = floor_char_boundary(source, span.end.clamp(start, source.len()));
        let (line, col) = line_col(source, start);
        let line_begin = source[..start].rfind('\n').map_or(0, |i| i + 1);
        // Show at most three lines: a long span is pointed at by its start.
        let mut line_end = source[end..].find('\n').map_or(source.len(), |i| end + i);
        let third_newline = source[line_begin..]
            .match_indices('\n')
            .nth(2)
            .map(|(i, _)| line_begin + i);
        if let Some(limit) = third_newline {
            line_end = line_end.min(limit);
        }
        let text = source[line_begin..line_end]
            .trim_end_matches('\r')
            .to_string();
        // `text` lost its trailing '\r': a span that starts on that '\r' points at the line's end.
        let rel_start = (start - line_begin).min(text.len());
        let rel_end = (end - line_begin).clamp(rel_start, text.len());
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            line,
            col,
            message: message.into(),
            help: None,
            excerpt: Some(Box::new(Excerpt {
                line_start: line,
                text,
                span: rel_start..rel_end,
            })),
        }
    }

    /// The same finding with a hint on how to fix it.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// The same finding as a warning.
    pub fn warning(mut self) -> Self {
        self.severity = Severity::Warning;
        self
    }

    /// The same finding, its path made relative to `root` when it lies below it.
    pub fn relative_to(mut self, root: &Path) -> Self {
        if let Ok(rel) = self.path.strip_prefix(root) {
            self.path = rel.to_path_buf();
        }
        self
    }

    /// `path:line:col` (or just the path for whole-file findings).
    pub fn location(&self) -> String {
        if self.line == 0 {
            self.path.display().to_string()
        } else {
            format!("{}:{}:{}", self.path.display(), self.line, self.col)
        }
    }

    /// The finding as the terminal shows it: a `path:line:col: error: message` line, then the
    /// source snippet and the help.
    pub fn render(&self, color: bool) -> String {
        let kind = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut out = format!("{}: {kind}: {}\n", self.location(), self.message);
        let level = match self.severity {
            Severity::Error => Level::ERROR,
            Severity::Warning => Level::WARNING,
        };
        let mut group = Group::with_level(level.clone());
        let mut has_elements = false;
        if let Some(ex) = &self.excerpt {
            let mut span = ex.span.clone();
            if span.is_empty() {
                // An empty span would draw nothing: point at the character there instead.
                let next = ex.text[span.start..]
                    .chars()
                    .next()
                    .map_or(0, char::len_utf8);
                span.end = span.start + next;
            }
            group = group.element(
                Snippet::source(ex.text.as_str())
                    .line_start(ex.line_start)
                    .fold(false)
                    .annotation(AnnotationKind::Primary.span(span)),
            );
            has_elements = true;
        }
        if let Some(help) = &self.help {
            group = group.element(Level::HELP.message(help.as_str()));
            has_elements = true;
        }
        if has_elements {
            let renderer = if color {
                Renderer::styled()
            } else {
                Renderer::plain()
            };
            out.push_str(&renderer.render(&[group]));
            out.push('\n');
        }
        out
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(false))
    }
}

/// How many warnings the terminal shows in full; the rest are counted in one line.
///
/// Rendering a snippet costs ~16 µs: the benchmark archive's 80k warnings took a quarter of
/// an unchanged rebuild to print, and scrolled every error and the summary off the screen.
/// `gloss check` lists every finding, one line each.
pub const WARNINGS_SHOWN: usize = 20;

/// Writes `diagnostics` as the terminal shows them: every error, the first
/// [`WARNINGS_SHOWN`] warnings in full, and a count of the warnings left out.
pub fn write_all(
    out: &mut impl std::io::Write,
    diagnostics: &[Diagnostic],
    color: bool,
) -> std::io::Result<()> {
    let mut warnings = 0;
    for d in diagnostics {
        if d.severity == Severity::Warning {
            warnings += 1;
            if warnings > WARNINGS_SHOWN {
                continue;
            }
        }
        out.write_all(d.render(color).as_bytes())?;
    }
    if warnings > WARNINGS_SHOWN {
        writeln!(
            out,
            "warning: {} more warnings not shown ({warnings} in all); `gloss check` lists every one",
            warnings - WARNINGS_SHOWN
        )?;
    }
    Ok(())
}

/// 1-based line and column (in characters) of byte `offset` in `source`.
pub fn line_col(source: &str, offset: usize) -> (usize, usize) {
    let offset = floor_char_boundary(source, offset.min(source.len()));
    let before = &source[..offset];
    let line = memchr::memchr_iter(b'\n', before.as_bytes()).count() + 1;
    let line_begin = before.rfind('\n').map_or(0, |i| i + 1);
    let col = before[line_begin..].chars().count() + 1;
    (line, col)
}

/// The largest char boundary at or below `i`.
pub fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let src = "a = 1\nverdïkt = 2\n";
        let at = src.find("kt").unwrap();
        assert_eq!(line_col(src, at), (2, 6));
    }

    #[test]
    fn rendering_names_location_and_points_at_span() {
        let src = "+++\ntitle = \"x\"\nverdikt = \"true\"\n+++\n";
        let start = src.find("verdikt").unwrap();
        let d = Diagnostic::at(
            "content/a.md",
            src,
            start..start + 7,
            "unknown key `verdikt`",
        )
        .with_help("did you mean `verdict`?");
        let text = d.render(false);
        assert!(
            text.starts_with("content/a.md:3:1: error: unknown key `verdikt`\n"),
            "{text}"
        );
        assert!(text.contains("verdikt = \"true\""), "{text}");
        assert!(text.contains("^^^^^^^"), "{text}");
        assert!(text.contains("did you mean `verdict`?"), "{text}");
    }

    #[test]
    fn past_the_limit_warnings_are_counted_and_errors_all_shown() {
        let warning = |i: usize| Diagnostic::file(format!("w{i}.md"), "w").warning();
        let mut all: Vec<Diagnostic> = (0..WARNINGS_SHOWN + 5).map(warning).collect();
        all.push(Diagnostic::file("late.md", "an error after every warning"));
        let mut out = Vec::new();
        write_all(&mut out, &all, false).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.contains(&format!("w{}.md", WARNINGS_SHOWN - 1)),
            "{text}"
        );
        assert!(!text.contains(&format!("w{WARNINGS_SHOWN}.md")), "{text}");
        assert!(
            text.contains("late.md: error: an error after every warning"),
            "{text}"
        );
        assert!(
            text.ends_with(&format!(
                "warning: 5 more warnings not shown ({} in all); `gloss check` lists every one\n",
                WARNINGS_SHOWN + 5
            )),
            "{text}"
        );
        let mut few = Vec::new();
        write_all(&mut few, &all[..WARNINGS_SHOWN], false).unwrap();
        assert!(!String::from_utf8(few).unwrap().contains("not shown"));
    }
}
