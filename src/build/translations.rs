//! Whether the translations articles name agree with each other: a translation is in the
//! language it is named under, and names back the article and its other translations.
//! Whether each named file is an article at all is the link check's (see `check`).
use std::collections::HashMap;

use super::summary::ArticleSummary;
use crate::config::primary_subtag;
use crate::diagnostics::Diagnostic;

/// Findings of the translations of `listed`: an error for a translation in another language
/// than it is named under, a warning for one that does not name back the article (or one of
/// its other translations), with the line to add.
pub fn findings(listed: &[&ArticleSummary]) -> Vec<Diagnostic> {
    let by_file: HashMap<String, &ArticleSummary> =
        listed.iter().map(|a| (slashed(a), *a)).collect();
    let mut out = Vec::new();
    for a in listed {
        let own = slashed(a);
        for t in &a.translations {
            let Some(target) = t.file.as_deref().and_then(|f| by_file.get(f)) else {
                continue;
            };
            let file = t.at.clone();
            let written = &t.file.as_deref().unwrap_or_default();
            if primary_subtag(&target.lang) != primary_subtag(&t.lang) {
                let mut d = file;
                d.message = format!(
                    "the translation `{}` is in `{}`, not `{}`",
                    target.source_path.display(),
                    target.lang,
                    t.lang
                );
                let link = crate::links::file_link(&a.source_path, written);
                out.push(d.with_help(format!(
                    "name it under its language: `{} = \"{link}\"`",
                    primary_subtag(&target.lang)
                )));
                continue;
            }
            // Every version of the article but the target itself: the target names them all.
            let mut wanted: Vec<(&str, &str)> = vec![(a.lang.as_str(), own.as_str())];
            wanted.extend(
                a.translations
                    .iter()
                    .filter(|u| u.file.as_deref() != Some(written))
                    .filter_map(|u| Some((u.lang.as_str(), u.file.as_deref()?))),
            );
            let named: Vec<&str> = target
                .translations
                .iter()
                .filter_map(|u| u.file.as_deref())
                .collect();
            let missing: Vec<String> = wanted
                .iter()
                .filter(|(_, f)| !named.contains(f))
                .map(|(lang, f)| {
                    format!(
                        "{} = \"{}\"",
                        primary_subtag(lang),
                        crate::links::file_link(&target.source_path, f)
                    )
                })
                .collect();
            if missing.is_empty() {
                continue;
            }
            let mut d = file.warning();
            d.message = if missing.len() == 1 && named.is_empty() {
                format!(
                    "the translation `{}` does not name this article as its translation",
                    target.source_path.display()
                )
            } else {
                format!(
                    "the translation `{}` does not name every other version of this article",
                    target.source_path.display()
                )
            };
            out.push(d.with_help(format!(
                "add {} to `translations` in {}, so that each version links all the others",
                missing.join(", "),
                target.source_path.display()
            )));
        }
    }
    out
}

fn slashed(a: &ArticleSummary) -> String {
    a.source_path.to_string_lossy().replace('\\', "/")
}
