//! Markdown parsing, once per article, and the text a reader sees.
use std::ops::Range;

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, TagEnd};

/// The markdown extensions gloss always enables. Smart punctuation is off unless the site
/// asks ([`Extensions`]): it changes the article's characters, which by default stay
/// exactly as published.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// The markdown extensions a site turns on in `[markdown]` of site.toml.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Extensions {
    /// `"…"` → “…”, `--` → –, `...` → … (`smart_punctuation = true`).
    pub smart_punctuation: bool,
    /// GFM task lists, `- [ ]` and `- [x]` (`task_lists = true`).
    pub task_lists: bool,
    /// Raw HTML is published as written (`unsafe_html = true`): nothing is removed from it,
    /// so there is nothing to warn of.
    pub trusted_html: bool,
}

impl Extensions {
    /// pulldown-cmark's options for these extensions and gloss's own.
    pub fn options(self) -> Options {
        let mut o = options();
        if self.smart_punctuation {
            o |= Options::ENABLE_SMART_PUNCTUATION;
        }
        if self.task_lists {
            o |= Options::ENABLE_TASKLISTS;
        }
        o
    }
}

/// Plain `text` (an annotation's words) with the typographic punctuation smart punctuation
/// gives it in a body: `"don't"` → “don’t”. Text that would not stay one paragraph of plain
/// text is returned as it is.
pub fn smarten(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        // Everything markdown could read as markup is escaped; quotes, dashes and dots are
        // what smart punctuation works on.
        if c.is_ascii_punctuation() && !matches!(c, '\'' | '"' | '-' | '.') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for event in Parser::new_ext(&escaped, Options::ENABLE_SMART_PUNCTUATION) {
        match event {
            Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph) => {}
            Event::Text(t) => out.push_str(&t),
            Event::SoftBreak => out.push('\n'),
            _ => return text.to_string(),
        }
    }
    if crate::annotate::fold(&out).is_empty() {
        return text.to_string();
    }
    out
}

/// A parsed body: each event with its byte range in the markdown.
pub type Events<'a> = Vec<(Event<'a>, Range<usize>)>;

/// Parses `body` once; footnote names get a prefix so their ids never collide with headings.
pub fn parse(body: &str) -> Events<'_> {
    parse_with(body, Extensions::default())
}

/// [`parse`] with the site's extensions.
pub fn parse_with(body: &str, extensions: Extensions) -> Events<'_> {
    Parser::new_ext(body, extensions.options())
        .into_offset_iter()
        .map(|(event, range)| (prefix_footnotes(event), range))
        .collect()
}

fn prefix_footnotes(event: Event<'_>) -> Event<'_> {
    let id = |name: &str| -> CowStr<'static> {
        let clean: String = name
            .chars()
            .map(|c| if c.is_whitespace() { '-' } else { c })
            .collect();
        format!("fn-{clean}").into()
    };
    match event {
        Event::FootnoteReference(name) => Event::FootnoteReference(id(&name)),
        Event::Start(Tag::FootnoteDefinition(name)) => {
            Event::Start(Tag::FootnoteDefinition(id(&name)))
        }
        other => other,
    }
}

/// A stretch of visible text that one event produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// Index of the `Text` or `Code` event.
    pub event: usize,
    /// Byte range in [`ReaderText::text`].
    pub range: Range<usize>,
    /// Byte range of the event in the markdown body.
    pub source: Range<usize>,
}

/// What a reader sees of an article, as plain text, and where each piece came from.
#[derive(Debug, Clone, Default)]
pub struct ReaderText {
    /// Visible text; line breaks and block boundaries become `\n`.
    pub text: String,
    /// The runs of `text` that events produced, in order.
    pub runs: Vec<Run>,
}

impl ReaderText {
    /// Extracts the reader's text from parsed events. Image alt text and raw HTML are not
    /// part of it: a reader does not see them as text.
    pub fn from_events(events: &Events<'_>) -> ReaderText {
        let mut out = ReaderText::default();
        let mut image_depth = 0usize;
        // An embed block's address and caption are not text: readers see its placeholder.
        let mut in_embed = false;
        for (i, (event, range)) in events.iter().enumerate() {
            match event {
                Event::Start(Tag::Image { .. }) => image_depth += 1,
                Event::End(TagEnd::Image) => image_depth = image_depth.saturating_sub(1),
                Event::Start(Tag::CodeBlock(kind)) if crate::render::embed::is_embed(kind) => {
                    in_embed = true;
                }
                Event::End(TagEnd::CodeBlock) if in_embed => in_embed = false,
                _ if image_depth > 0 || in_embed => {}
                Event::Text(t) | Event::Code(t) => {
                    let start = out.text.len();
                    out.text.push_str(t);
                    out.runs.push(Run {
                        event: i,
                        range: start..out.text.len(),
                        source: range.clone(),
                    });
                }
                Event::SoftBreak | Event::HardBreak => out.text.push('\n'),
                Event::End(tag)
                    if is_block(tag) && !out.text.is_empty() && !out.text.ends_with('\n') =>
                {
                    out.text.push('\n');
                }
                _ => {}
            }
        }
        out
    }

    /// Byte offset in the markdown body of reader-text byte `pos`, approximately (escapes
    /// and entities make the two differ inside a run); used for line numbers in messages.
    pub fn source_offset(&self, pos: usize) -> usize {
        let i = self.runs.partition_point(|r| r.range.end <= pos);
        match self.runs.get(i) {
            Some(run) => {
                let into = pos.saturating_sub(run.range.start);
                (run.source.start + into).min(run.source.end.max(run.source.start))
            }
            None => self.runs.last().map_or(0, |r| r.source.end),
        }
    }
}

/// Markdown (a summary, a note, a conclusion) as the one line of plain text a reader sees of
/// it: markup removed, white space folded. For search records and JSON-LD.
pub fn plain_text(md: &str) -> String {
    fold(&ReaderText::from_events(&parse(md)).text)
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

/// Whether `tag` ends a block (a paragraph, heading, list item, table cell, …): where reader
/// text breaks a line, and where a selection may not cross.
pub(crate) fn is_block(tag: &TagEnd) -> bool {
    matches!(
        tag,
        TagEnd::Paragraph
            | TagEnd::Heading(_)
            | TagEnd::BlockQuote(_)
            | TagEnd::CodeBlock
            | TagEnd::List(_)
            | TagEnd::Item
            | TagEnd::FootnoteDefinition
            | TagEnd::Table
            | TagEnd::TableHead
            | TagEnd::TableRow
            | TagEnd::TableCell
            | TagEnd::HtmlBlock
            | TagEnd::DefinitionList
            | TagEnd::DefinitionListTitle
            | TagEnd::DefinitionListDefinition
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reader_text_drops_markup_and_separates_blocks() {
        let md = "A *b* [c](http://x) `d`\nnext\n\n## H\n\n![alt](i.png) e\n";
        let events = parse(md);
        let rt = ReaderText::from_events(&events);
        assert_eq!(rt.text, "A b c d\nnext\nH\n e\n");
    }

    #[test]
    fn annotation_words_get_the_punctuation_readers_see() {
        assert_eq!(smarten("\"don't\" -- now..."), "“don’t” – now…");
        assert_eq!(smarten("a *b* [c]"), "a *b* [c]");
        assert_eq!(smarten("- x"), "- x");
        let body = "He said \"don't\" -- now...\n";
        let text = ReaderText::from_events(&parse_with(
            body,
            Extensions {
                smart_punctuation: true,
                ..Extensions::default()
            },
        ))
        .text;
        assert!(text.contains(&smarten("\"don't\" -- now...")), "{text}");
    }

    #[test]
    fn footnotes_are_prefixed() {
        let html = {
            let mut s = String::new();
            pulldown_cmark::html::push_html(
                &mut s,
                parse("x[^1]\n\n[^1]: y\n").into_iter().map(|(e, _)| e),
            );
            s
        };
        assert!(html.contains("href=\"#fn-1\""), "{html}");
        assert!(html.contains("id=\"fn-1\""), "{html}");
    }
}
