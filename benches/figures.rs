//! Figure detection throughput over the bodies of a generated article archive.
//!
//! Corpus: `GLOSS_BENCH_CORPUS` (a `content` dir of `*.md` files), or else
//! `target/bench-corpus/1000`, generated on first use by
//! `../shared/bench/gen_corpus.py` relative to the crate root.
//!
//! Two measurements of the same work: wall time, and (on Linux) the time the
//! thread actually ran on a core, which stays meaningful when other jobs
//! share the machine.

use std::path::{Path, PathBuf};
use std::process::Command;

use std::time::{Duration, Instant};

use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use gloss::annotate::figures::{detect, rules_for};

fn content_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("GLOSS_BENCH_CORPUS") {
        return PathBuf::from(dir);
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = root.join("target/bench-corpus/1000");
    let content = out.join("gloss/content");
    if !content.is_dir() {
        let script = root.join("../shared/bench/gen_corpus.py");
        let status = Command::new("python3")
            .arg(&script)
            .arg(&out)
            .arg("1000")
            .status()
            .expect("run python3 to generate the bench corpus");
        assert!(status.success(), "{} failed", script.display());
    }
    content
}

fn collect(dir: &Path, bodies: &mut Vec<String>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            collect(&path, bodies);
        } else if path.extension().is_some_and(|x| x == "md") {
            let text = std::fs::read_to_string(&path).expect("read article");
            bodies.push(body(&text).to_owned());
        }
    }
}

/// The markdown after the `+++` front matter.
fn body(text: &str) -> &str {
    let Some(rest) = text.strip_prefix("+++") else {
        return text;
    };
    match rest.find("\n+++") {
        Some(i) => rest[i + 4..].trim_start_matches(['\r', '\n']),
        None => text,
    }
}

/// Time this thread spent on a CPU, from `/proc/thread-self/schedstat`;
/// wall time where that file does not exist.
struct OnCpu(WallTime);

fn on_cpu_ns() -> Option<u64> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    stat.split_whitespace().next()?.parse().ok()
}

impl Measurement for OnCpu {
    type Intermediate = (Instant, Option<u64>);
    type Value = Duration;

    fn start(&self) -> Self::Intermediate {
        (Instant::now(), on_cpu_ns())
    }

    fn end(&self, (wall, cpu): Self::Intermediate) -> Duration {
        match (cpu, on_cpu_ns()) {
            (Some(a), Some(b)) => Duration::from_nanos(b.saturating_sub(a)),
            _ => wall.elapsed(),
        }
    }

    fn add(&self, a: &Duration, b: &Duration) -> Duration {
        *a + *b
    }

    fn zero(&self) -> Duration {
        Duration::ZERO
    }

    fn to_f64(&self, value: &Duration) -> f64 {
        value.as_nanos() as f64
    }

    fn formatter(&self) -> &dyn ValueFormatter {
        self.0.formatter()
    }
}

fn load() -> (Vec<String>, u64) {
    let mut bodies = Vec::new();
    collect(&content_dir(), &mut bodies);
    assert!(!bodies.is_empty(), "no articles in the bench corpus");
    let bytes: usize = bodies.iter().map(String::len).sum();
    (bodies, bytes as u64)
}

fn detect_all(bodies: &[String]) -> usize {
    let de = rules_for("de").expect("German figure rules");
    bodies
        .iter()
        .map(|t| detect(std::hint::black_box(t), de, Some(2019)).len())
        .sum()
}

fn bench(c: &mut Criterion) {
    let (bodies, bytes) = load();
    eprintln!(
        "{} articles, {bytes} bytes, {} figures",
        bodies.len(),
        detect_all(&bodies)
    );
    let mut group = c.benchmark_group("figures");
    group.throughput(Throughput::Bytes(bytes));
    group.sample_size(20);
    group.bench_function("detect_de_archive", |b| b.iter(|| detect_all(&bodies)));
    group.finish();
}

fn bench_on_cpu(c: &mut Criterion<OnCpu>) {
    let (bodies, bytes) = load();
    let mut group = c.benchmark_group("figures_on_cpu");
    group.throughput(Throughput::Bytes(bytes));
    group.sample_size(20);
    group.bench_function("detect_de_archive", |b| b.iter(|| detect_all(&bodies)));
    group.finish();
}

criterion_group!(benches, bench);
criterion_group! {
    name = on_cpu;
    config = Criterion::default().with_measurement(OnCpu(WallTime));
    targets = bench_on_cpu
}
criterion_main!(benches, on_cpu);
