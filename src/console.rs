//! What the command line says when a command succeeds. gloss speaks English on the console
//! (its errors are English too); counts take the word form English plural rules ask for.
use crate::build::BuildReport;
use crate::i18n::Locales;
use crate::lang::Lang;

/// `n` and the noun of `one`/`other` that agrees with it: "1 figure", "16 claims", "0 notes".
fn count(n: usize, one: &str, other: &str) -> String {
    // The English locale's CLDR rules, the same the pages count with.
    static EN: std::sync::LazyLock<Locales> = std::sync::LazyLock::new(Locales::default);
    format!("{n} {}", EN.get(Lang::EN).count_word(n as u64, one, other))
}

/// The line `gloss build` ends with: "built 1 article (1 claim, 2 quotes; 1 figure), 9 pages
/// into public in 12ms"; `shown` is the output folder as the user should read it.
pub fn build_summary(report: &BuildReport, shown: &str) -> String {
    let kinds: Vec<String> = report
        .annotations
        .iter()
        .map(|(k, &n)| {
            let one = k.key();
            count(n, one, &format!("{one}s"))
        })
        .collect();
    let annotations = if kinds.is_empty() {
        "no annotations".to_string()
    } else {
        kinds.join(", ")
    };
    let unchanged = match report.unchanged {
        0 => String::new(),
        n if n == report.articles => ", all unchanged".to_string(),
        n => format!(", {n} unchanged"),
    };
    format!(
        "built {} ({annotations}; {}{unchanged}), {} into {shown} in {:.0?}",
        count(report.articles, "article", "articles"),
        count(report.figures, "figure", "figures"),
        count(report.pages, "page", "pages"),
        report.elapsed
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::Kind;

    #[test]
    fn every_count_agrees_with_its_noun() {
        let mut report = BuildReport {
            articles: 1,
            annotations: [(Kind::Claim, 16), (Kind::Quote, 1), (Kind::Correction, 2)]
                .into_iter()
                .collect(),
            figures: 1,
            pages: 1,
            out_dir: "public".into(),
            warnings: Vec::new(),
            elapsed: std::time::Duration::from_millis(5),
            unchanged: 0,
            stages: Vec::new(),
            ..BuildReport::default()
        };
        assert_eq!(
            build_summary(&report, "public"),
            "built 1 article (16 claims, 1 quote, 2 corrections; 1 figure), 1 page into public in 5ms"
        );
        report.articles = 2;
        report.figures = 0;
        report.pages = 12;
        report.unchanged = 2;
        let line = build_summary(&report, "public");
        assert!(
            line.starts_with("built 2 articles (")
                && line.contains("; 0 figures, all unchanged), 12 pages into"),
            "{line}"
        );
    }
}
