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
        let span = span.start + offset..span.end + offset;
        let (message, help) = explain(e.message());
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
