//! Per-stage cost of building one article of the generated archive: load (front matter),
//! anchor (markdown + annotations + figures), render (body HTML and view), template (the
//! whole page through Tera), exports (JSON-LD and the annotation export).
//!
//! Corpus: 200 articles of `GLOSS_BENCH_CORPUS`'s site (a folder holding site.toml and
//! content/), else `target/bench-corpus/1000/gloss`, generated on first use by
//! `../shared/bench/gen_corpus.py`.
use std::path::{Path, PathBuf};
use std::process::Command;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gloss::annotate::anchor;
use gloss::config::Site;
use gloss::content::{Article, parse_article, url_path_for};
use gloss::render::{Theme, article_view, jsonld, wadm};

fn site_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("GLOSS_BENCH_CORPUS") {
        return PathBuf::from(dir);
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = root.join("target/bench-corpus/1000");
    if !out.join("gloss/content").is_dir() {
        let status = Command::new("python3")
            .arg(root.join("../shared/bench/gen_corpus.py"))
            .arg(&out)
            .arg("1000")
            .status()
            .expect("run python3 to generate the bench corpus");
        assert!(status.success());
    }
    out.join("gloss")
}

fn sources(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(dir.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.path().to_path_buf())
        .collect();
    files.sort();
    files.truncate(200);
    files
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).expect("read");
            (p.strip_prefix(dir).expect("inside").to_path_buf(), text)
        })
        .collect()
}

fn load(site: &Site, sources: &[(PathBuf, String)]) -> Vec<Article> {
    sources
        .iter()
        .filter_map(|(p, t)| parse_article(site, p.clone(), t.clone(), url_path_for(p)).ok())
        .collect()
}

fn stages(c: &mut Criterion) {
    let dir = site_dir();
    let site = Site::load(&dir).expect("site.toml");
    let theme = Theme::load(&dir).expect("theme");
    let sources = sources(&dir);
    let bytes: u64 = sources.iter().map(|(_, t)| t.len() as u64).sum();
    let articles = load(&site, &sources);
    let mut g = c.benchmark_group("stages_200_articles");
    g.throughput(Throughput::Bytes(bytes));
    g.sample_size(10);
    g.bench_function("load", |b| b.iter(|| load(&site, &sources)));
    g.bench_function("anchor_and_figures", |b| {
        b.iter(|| articles.iter().filter_map(|a| anchor(a, true).ok()).count())
    });
    let anchored: Vec<_> = articles
        .iter()
        .filter_map(|a| anchor(a, true).ok().map(|x| (a, x)))
        .collect();
    g.bench_function("render_view", |b| {
        b.iter(|| {
            anchored
                .iter()
                .map(|(a, x)| article_view(&site, a, x).body_html.len())
                .sum::<usize>()
        })
    });
    g.bench_function("template", |b| {
        b.iter(|| {
            anchored
                .iter()
                .map(|(a, x)| {
                    let view = article_view(&site, a, x);
                    let mut cx = tera::Context::new();
                    cx.insert("page", &view);
                    cx.insert("site", &serde_json::json!({"title": "B", "lang": "de"}));
                    cx.insert("t", &site.locales.get(a.meta.lang).words);
                    cx.insert("root", "../../");
                    cx.insert("path", &a.url_path);
                    cx.insert("lang", "de");
                    theme
                        .render("article.html", &cx)
                        .map(|h| h.len())
                        .unwrap_or(0)
                })
                .sum::<usize>()
        })
    });
    g.bench_function("exports", |b| {
        b.iter(|| {
            anchored
                .iter()
                .map(|(a, x)| {
                    jsonld::article_jsonld(&site, a, x, "https://example.org/x/").len()
                        + wadm::annotation_collection(&site, a, x, "https://example.org/x/")
                            .to_string()
                            .len()
                })
                .sum::<usize>()
        })
    });
    g.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
