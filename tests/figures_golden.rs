//! Measures the figure detector against hand-labelled German and English
//! news sentences (tests/figures_golden/*.txt; the format is described at the
//! top of each file) and checks it on the seed article.

use gloss::annotate::figures::{Approx, Figure, FigureKind, Rules, detect, detect_with, rules_for};

/// A labelled figure: span in the stripped text and what must be found there.
struct Gold {
    start: usize,
    end: usize,
    kind: FigureKind,
    /// A bare count: a figure only where the site asks for counts (`[figures] counts`).
    count: bool,
    value: String,
    /// `None`: not checked; `Some(None)`: must have no unit.
    unit: Option<Option<String>>,
    approx: Option<Option<Approx>>,
}

/// One passage with its labels.
struct Passage {
    line: usize,
    text: String,
    year: Option<i16>,
    gold: Vec<Gold>,
    negatives: Vec<(usize, usize)>,
}

fn kind(s: &str) -> FigureKind {
    match s {
        "number" | "count" => FigureKind::Number,
        "money" => FigureKind::Money,
        "percent" => FigureKind::Percent,
        "percentage-points" => FigureKind::PercentagePoints,
        "year" => FigureKind::Year,
        "date" => FigureKind::Date,
        "duration" => FigureKind::Duration,
        other => panic!("unknown kind {other:?}"),
    }
}

fn approx(s: &str) -> Option<Approx> {
    match s {
        "-" => None,
        "about" => Some(Approx::About),
        "more-than" => Some(Approx::MoreThan),
        "less-than" => Some(Approx::LessThan),
        "at-least" => Some(Approx::AtLeast),
        "at-most" => Some(Approx::AtMost),
        "nearly" => Some(Approx::Nearly),
        "up-to" => Some(Approx::UpTo),
        other => panic!("unknown approx {other:?}"),
    }
}

fn parse(corpus: &str) -> Vec<Passage> {
    let mut year = None;
    let mut out = Vec::new();
    for (n, raw) in corpus.lines().enumerate() {
        if let Some(y) = raw.strip_prefix("# year:") {
            year = Some(y.trim().parse().expect("year"));
            continue;
        }
        if raw.starts_with('#') || raw.trim().is_empty() {
            continue;
        }
        let mut p = Passage {
            line: n + 1,
            text: String::new(),
            year,
            gold: Vec::new(),
            negatives: Vec::new(),
        };
        let mut rest = raw;
        while let Some(i) = rest.find(['[', '{']) {
            let (open, close) = match &rest[i..] {
                r if r.starts_with("[[") => ("[[", "]]"),
                r if r.starts_with("{{") => ("{{", "}}"),
                _ => {
                    p.text.push_str(&rest[..=i]);
                    rest = &rest[i + 1..];
                    continue;
                }
            };
            p.text.push_str(&rest[..i]);
            let body_start = i + open.len();
            let len = rest[body_start..]
                .find(close)
                .unwrap_or_else(|| panic!("line {}: unclosed {open}", n + 1));
            let body = &rest[body_start..body_start + len];
            rest = &rest[body_start + len + close.len()..];
            let mut fields = body.split('|');
            let shown = fields.next().unwrap_or_default();
            let start = p.text.len();
            p.text.push_str(shown);
            let end = p.text.len();
            if open == "{{" {
                p.negatives.push((start, end));
                continue;
            }
            let k = fields
                .next()
                .unwrap_or_else(|| panic!("line {}: no kind", n + 1));
            let value = fields
                .next()
                .unwrap_or_else(|| panic!("line {}: no value", n + 1));
            let unit = fields
                .next()
                .filter(|u| !u.is_empty())
                .map(|u| (u != "-").then(|| u.to_owned()));
            let appr = fields.next().filter(|a| !a.is_empty()).map(approx);
            p.gold.push(Gold {
                start,
                end,
                kind: kind(k),
                count: k == "count",
                value: value.to_owned(),
                unit,
                approx: appr,
            });
        }
        p.text.push_str(rest);
        out.push(p);
    }
    out
}

fn matches(g: &Gold, f: &Figure) -> bool {
    // A range is labelled "low/high".
    let (low, high) = match g.value.split_once('/') {
        Some((l, h)) => (l, Some(h)),
        None => (g.value.as_str(), None),
    };
    g.start == f.start
        && g.end == f.end
        && g.kind == f.kind
        && low == f.value
        && high == f.max.as_deref()
        && g.unit.as_ref().is_none_or(|u| *u == f.unit)
        && g.approx.is_none_or(|a| a == f.approx)
}

fn show(f: &Figure, text: &str) -> String {
    format!(
        "{:?} {:?} {} {:?} {:?}",
        &text[f.start..f.end],
        f.kind,
        f.value,
        f.unit,
        f.approx
    )
}

/// Runs one corpus, with bare counts as figures or not; returns (precision, recall).
fn score(name: &str, corpus: &str, lang: &Rules, counts: bool) -> (f64, f64) {
    let passages = parse(corpus);
    let (mut tp, mut fp, mut fn_, mut labels) = (0usize, 0usize, 0usize, 0usize);
    let mut report = String::new();
    for p in &passages {
        labels += p.gold.len() + p.negatives.len();
        let found = detect_with(&p.text, lang, p.year, counts);
        let mut used = vec![false; found.len()];
        for g in p.gold.iter().filter(|g| counts || !g.count) {
            match found.iter().position(|f| matches(g, f)) {
                Some(i) => {
                    used[i] = true;
                    tp += 1;
                }
                None => {
                    fn_ += 1;
                    let near: Vec<String> = found
                        .iter()
                        .filter(|f| f.start < g.end && g.start < f.end)
                        .map(|f| show(f, &p.text))
                        .collect();
                    report.push_str(&format!(
                        "  miss  {name}:{} {:?} {:?} {} (found: {})\n",
                        p.line,
                        &p.text[g.start..g.end],
                        g.kind,
                        g.value,
                        if near.is_empty() {
                            "nothing".to_owned()
                        } else {
                            near.join("; ")
                        }
                    ));
                }
            }
        }
        for (f, _) in found.iter().zip(&used).filter(|(_, u)| !**u) {
            fp += 1;
            let neg = p.negatives.iter().any(|&(s, e)| f.start < e && s < f.end);
            report.push_str(&format!(
                "  false {name}:{} {}{}\n",
                p.line,
                show(f, &p.text),
                if neg { " (labelled not a figure)" } else { "" }
            ));
        }
    }
    let precision = tp as f64 / (tp + fp).max(1) as f64;
    let recall = tp as f64 / (tp + fn_).max(1) as f64;
    let f1 = 2.0 * precision * recall / (precision + recall).max(f64::MIN_POSITIVE);
    println!(
        "{name}: {labels} labelled expressions ({} figures, {} negatives); tp {tp} fp {fp} fn {fn_}; precision {precision:.3} recall {recall:.3} F1 {f1:.3}\n{report}",
        tp + fn_,
        labels - tp - fn_
    );
    assert!(labels >= 300, "{name}: only {labels} labelled expressions");
    (precision, recall)
}

fn lang(code: &str) -> &'static Rules {
    rules_for(code).unwrap_or_else(|| panic!("no figure rules for {code}"))
}

#[test]
fn golden_german() {
    let (p, r) = score(
        "de",
        include_str!("figures_golden/de.txt"),
        lang("de"),
        false,
    );
    assert!(p >= 0.95 && r >= 0.95, "de: precision {p:.3} recall {r:.3}");
}

#[test]
fn golden_english() {
    let (p, r) = score(
        "en",
        include_str!("figures_golden/en.txt"),
        lang("en"),
        false,
    );
    assert!(p >= 0.95 && r >= 0.95, "en: precision {p:.3} recall {r:.3}");
}

#[test]
fn golden_german_with_counts() {
    let (p, r) = score(
        "de+counts",
        include_str!("figures_golden/de.txt"),
        lang("de"),
        true,
    );
    assert!(p >= 0.95 && r >= 0.95, "de: precision {p:.3} recall {r:.3}");
}

#[test]
fn golden_english_with_counts() {
    let (p, r) = score(
        "en+counts",
        include_str!("figures_golden/en.txt"),
        lang("en"),
        true,
    );
    assert!(p >= 0.95 && r >= 0.95, "en: precision {p:.3} recall {r:.3}");
}

#[test]
fn seed_article() {
    let text = include_str!("fixtures/seed_article.txt");
    let found = detect(text, lang("de"), Some(2019));
    let at = |needle: &str, nth: usize| -> usize {
        text.match_indices(needle)
            .nth(nth)
            .map(|(i, _)| i)
            .unwrap_or_else(|| panic!("{needle:?} not in the seed article"))
    };
    let expect =
        |needle: &str, nth: usize, kind: FigureKind, value: &str, unit: Option<&str>| -> Figure {
            let start = at(needle, nth);
            let f = found
                .iter()
                .find(|f| f.start == start && f.end == start + needle.len())
                .unwrap_or_else(|| panic!("no figure for {needle:?}; found {found:#?}"));
            assert_eq!(
                (f.kind, f.value.as_str(), f.unit.as_deref()),
                (kind, value, unit),
                "{needle:?}"
            );
            f.clone()
        };
    expect(
        "1 Milliarde US-Dollar",
        0,
        FigureKind::Money,
        "1000000000",
        Some("USD"),
    );
    let d = expect("22. Juli", 0, FigureKind::Date, "2019-07-22", None);
    assert!(d.year_inferred);
    expect("fünf Jahren", 0, FigureKind::Duration, "P5Y", Some("years"));
    expect("2099", 0, FigureKind::Year, "2099", Some("year"));
    expect("50 %", 0, FigureKind::Percent, "0.5", Some("percent"));
    expect(
        "eine Milliarde Dollar",
        0,
        FigureKind::Money,
        "1000000000",
        Some("USD"),
    );
    expect(
        "1 Milliarde Dollar",
        0,
        FigureKind::Money,
        "1000000000",
        Some("USD"),
    );
    let j = expect(
        "Jahrhunderte",
        0,
        FigureKind::Duration,
        "P100Y",
        Some("years"),
    );
    assert_eq!(j.approx, Some(Approx::MoreThan));
    for name in ["Dota 2", "GPT-2"] {
        let s = at(name, 0);
        let e = s + name.len();
        assert!(
            !found.iter().any(|f| f.start < e && s < f.end),
            "{name} is a name, not a figure"
        );
    }
}

#[test]
fn golden_french() {
    let (p, r) = score(
        "fr",
        include_str!("figures_golden/fr.txt"),
        lang("fr"),
        false,
    );
    assert!(p >= 0.95 && r >= 0.95, "fr: precision {p:.3} recall {r:.3}");
}

#[test]
fn golden_french_with_counts() {
    let (p, r) = score(
        "fr+counts",
        include_str!("figures_golden/fr.txt"),
        lang("fr"),
        true,
    );
    assert!(p >= 0.95 && r >= 0.95, "fr: precision {p:.3} recall {r:.3}");
}

#[test]
fn golden_spanish() {
    let (p, r) = score(
        "es",
        include_str!("figures_golden/es.txt"),
        lang("es"),
        false,
    );
    assert!(p >= 0.95 && r >= 0.95, "es: precision {p:.3} recall {r:.3}");
}

#[test]
fn golden_spanish_with_counts() {
    let (p, r) = score(
        "es+counts",
        include_str!("figures_golden/es.txt"),
        lang("es"),
        true,
    );
    assert!(p >= 0.95 && r >= 0.95, "es: precision {p:.3} recall {r:.3}");
}
