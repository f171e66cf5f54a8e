//! Parsing TOML (site.toml, people.toml, front matter) into typed data with located errors.
use std::path::Path;

use serde::de::DeserializeOwned;

use crate::diagnostics::Diagnostic;

/// Parses `toml_text`, which starts at byte `offset` of `file_text` (the whole file at `path`),
/// into `T`; an error points at the offending place of the file.
pub fn parse<T: DeserializeOwned>(
    path: &Path,
    file_text: &str,
    toml_text: &str,
    offset: usize,
) -> Result<T, Diagnostic> {
    toml::from_str(toml_text).map_err(|e| {
        let span = e.span().unwrap_or(0..0);
        let (message, help) = match mistake(e.message(), toml_text, span.clone()) {
            Some((message, help)) => (message, Some(help)),
            None => explain(e.message()),
        };
        let span = span.start + offset..span.end + offset;
        let mut d = Diagnostic::at(path, file_text, span, message);
        if let Some(help) = help {
            d = d.with_help(help);
        }
        d
    })
}

/// Turns serde's wording into gloss's: "unknown field" becomes "unknown key" with the closest
/// valid key suggested, since that is what an editor who misspelt a key needs to read.
fn explain(message: &str) -> (String, Option<String>) {
    let message = message.trim();
    if let Some(rest) = message.strip_prefix("unknown field `")
        && let Some((unknown, expected)) = rest.split_once('`')
    {
        let valid: Vec<&str> = expected
            .split('`')
            .skip(1)
            .step_by(2)
            .filter(|k| !k.is_empty())
            .collect();
        let help = match closest(unknown, valid.iter().copied()) {
            Some(best) => format!("did you mean `{best}`? Valid keys here: {}", list(&valid)),
            None if valid.is_empty() => "remove this key".to_string(),
            None => format!("valid keys here: {}", list(&valid)),
        };
        let msg = match closest(unknown, valid.iter().copied()) {
            Some(best) => format!("unknown key `{unknown}`, did you mean `{best}`?"),
            None => format!("unknown key `{unknown}`"),
        };
        return (msg, Some(help));
    }
    if let Some(rest) = message.strip_prefix("missing field `")
        && let Some((field, _)) = rest.split_once('`')
    {
        return (
            format!("missing required key `{field}`"),
            Some(format!("add `{field} = …` here")),
        );
    }
    (message.to_string(), None)
}

/// The tables front matter writes once per annotation, as arrays of tables (`[[claim]]`).
const ARRAY_TABLES: &[&str] = &[
    "claim",
    "quote",
    "figure",
    "note",
    "correction",
    "person",
    "verdict",
    "nav",
];

/// The TOML mistakes editors make, in their words: what TOML's parser says about them is
/// true but names the symptom (`invalid float`, `duplicate key` at the *next* table), not
/// what was meant. `span` is where the parser stopped, in `text`.
fn mistake(message: &str, text: &str, span: std::ops::Range<usize>) -> Option<(String, String)> {
    let line_start = text[..span.start.min(text.len())]
        .rfind('\n')
        .map_or(0, |i| i + 1);
    let line_end = text[line_start..]
        .find('\n')
        .map_or(text.len(), |i| line_start + i);
    let line = text[line_start..line_end].trim_end_matches('\r');
    let at = text.get(span.clone()).unwrap_or("");
    let trimmed = line.trim();
    // `[quote]` where `[[quote]]` was meant: one table, which a second one repeats.
    if let Some(name) = trimmed
        .strip_prefix('[')
        .and_then(|r| r.strip_suffix(']'))
        .filter(|n| !n.starts_with('[') && ARRAY_TABLES.contains(&n.trim()))
    {
        let name = name.trim();
        return Some((
            format!(
                "`[{name}]` is one table; each {name} is written `[[{name}]]`, with two brackets"
            ),
            format!("write `[[{name}]]` here and above every other {name}"),
        ));
    }
    if message.starts_with("duplicate key") && !at.is_empty() {
        let key = at.trim_matches(['[', ']', ' ']);
        return Some((
            format!("`{key}` is set twice"),
            format!("keep one `{key}`: an earlier line of this table already sets it"),
        ));
    }
    if let Some((key, value)) = trimmed.split_once('=') {
        let (key, value) = (key.trim(), value.trim());
        // `date = 18.11.2026`, `date = 18/11/2026`: a date as readers write it.
        if let Some(iso) = iso_date(value) {
            return Some((
                format!("`{value}` is not a date TOML can read"),
                format!("write `{key} = {iso}` (year-month-day)"),
            ));
        }
        // `value = 96000000` where a string is wanted.
        if let Some(rest) = message.strip_prefix("invalid type: ")
            && rest.ends_with("expected a string")
            && !value.starts_with(['"', '\'', '[', '{'])
        {
            let what = rest.split('`').next().unwrap_or("").trim();
            return Some((
                format!(
                    "`{key}` is written as text, but this is {}",
                    article_of(what)
                ),
                format!("put it in quotes: `{key} = \"{value}\"`"),
            ));
        }
    }
    // A list, an inline table or a table header left open.
    for (what, kind, close, example) in [
        ("unclosed array table", "table header", "]]", None),
        ("unclosed table", "table header", "]", None),
        ("unclosed array", "list", "]", Some("tags = [\"a\", \"b\"]")),
        (
            "unclosed inline table",
            "table",
            "}",
            Some("source = { name = \"…\", url = \"https://…\" }"),
        ),
    ] {
        // In this order: "unclosed array table" also starts with "unclosed array".
        if message.starts_with(what) {
            let help = match example {
                Some(e) => {
                    format!("close it with `{close}`; a {kind} ends on the line it starts (`{e}`)")
                }
                None => format!("close it with `{close}` on the same line"),
            };
            return Some((
                format!("this {kind} is never closed: `{close}` is missing"),
                help,
            ));
        }
    }
    None
}

/// "an integer", "a floating point number", … for serde's name of a TOML type.
fn article_of(what: &str) -> String {
    match what {
        "integer" => "a number".to_string(),
        "floating point" => "a decimal number".to_string(),
        "boolean" => "`true` or `false`".to_string(),
        other => format!("a {other}"),
    }
}

/// `value` as a year-month-day date if it is a day written the German or British way
/// (`18.11.2026`, `18/11/2026`, `"18.11.2026"`), else `None`.
pub fn iso_date(value: &str) -> Option<String> {
    let value = value.trim().trim_matches(['"', '\'']);
    let parts: Vec<&str> = value.split(['.', '/']).collect();
    let [d, m, y] = parts.as_slice() else {
        return None;
    };
    if !(1..=2).contains(&d.len()) || !(1..=2).contains(&m.len()) || y.len() != 4 {
        return None;
    }
    let (d, m, y): (i8, i8, i16) = (d.parse().ok()?, m.parse().ok()?, y.parse().ok()?);
    jiff::civil::Date::new(y, m, d)
        .ok()
        .map(|date| date.to_string())
}

fn list(keys: &[&str]) -> String {
    keys.iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The candidate most like `word`, if any is close enough to be a plausible misspelling.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(word, c), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Claim {
        text: String,
        verdict: Option<String>,
    }

    #[test]
    fn unknown_key_suggests_the_closest_one() {
        let src = "text = \"a\"\nverdikt = \"true\"\n";
        let err = parse::<Claim>(Path::new("x.toml"), src, src, 0).unwrap_err();
        assert_eq!(
            err.message,
            "unknown key `verdikt`, did you mean `verdict`?"
        );
        assert_eq!((err.line, err.col), (2, 1));
    }

    #[test]
    fn missing_key_is_named() {
        let src = "verdict = \"true\"\n";
        let err = parse::<Claim>(Path::new("x.toml"), src, src, 0).unwrap_err();
        assert_eq!(err.message, "missing required key `text`");
    }

    #[test]
    fn offset_shifts_location_into_the_file() {
        let file = "+++\ntext = 1\n+++\n";
        let err = parse::<Claim>(Path::new("a.md"), file, &file[4..13], 4).unwrap_err();
        assert_eq!(err.line, 2);
    }
}
