//! The `gloss` command line.
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, mpsc};
use std::time::Duration;

use clap::{Parser, Subcommand};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use gloss::build::{self, BuildOptions};
use gloss::config::{self, Site};
use gloss::diagnostics::{Diagnostic, Severity};

// glibc's malloc spent a fifth of a build's cycles in allocation and free under rayon's
// threads (perf, 1k archive); mimalloc's per-thread heaps avoid most of it.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc's `mi_option_t` (the bindings name no constant for
/// it): how long freed memory is kept before it is given back to the system.
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Memory freed is given back to the system after a second rather than mimalloc's 10 ms.
/// A build frees and allocates again all the time (each article's text, map and pages):
/// given back at once, the memory was faulted in and zeroed again by the kernel, 2 MB huge
/// page at a time. At 10k articles a first build into tmpfs took 10.2 s with the default
/// and 8.3 s with a second (medians of four alternated runs, `benches/README.md`), for
/// ~30 MB more at its peak; a second still returns what `gloss serve` freed once it idles.
/// `MIMALLOC_PURGE_DELAY` in the environment still decides.
fn keep_freed_memory_a_while() {
    // SAFETY: called first thing in `main`, before any other thread exists (the function
    // is not thread safe); it sets an option's default, which the environment overrides.
    unsafe { libmimalloc_sys::mi_option_set_default(MI_OPTION_PURGE_DELAY, 1000) }
}

/// A static site generator for annotated news articles.
#[derive(Parser)]
#[command(name = "gloss", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into its output folder.
    Build {
        /// Output folder (default: site.toml's `output_dir`, usually `public`).
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Include articles marked `draft = true`.
        #[arg(long)]
        drafts: bool,
        /// Include articles dated after today.
        #[arg(long)]
        future: bool,
        /// Publish for this address instead of site.toml's `base_url` (a preview deploy).
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
        /// Print how long each stage of the build took.
        #[arg(long)]
        timings: bool,
    },
    /// Render one article, or markdown from stdin (`-`), to HTML on stdout.
    Render {
        /// Do not detect figures automatically.
        #[arg(long)]
        no_figures: bool,
        /// A markdown file, or `-` for stdin.
        file: String,
    },
    /// Create a new site with an example article.
    Init {
        /// The new site's folder (new or empty; default: the current folder).
        dir: Option<PathBuf>,
        /// The site's language: a BCP 47 tag gloss has a locale for (an unknown one lists them).
        #[arg(long, default_value = "de")]
        lang: String,
    },
    /// Create a new article below content/, with its front matter filled in.
    New {
        /// Where, below content/ (`2026/Harbour Bridge` becomes content/2026/harbour-bridge.md;
        /// a path ending in `/` becomes a bundle: `2026/x/` is content/2026/x/index.md).
        path: String,
        /// The headline (default: the words of the path).
        #[arg(long)]
        title: Option<String>,
        /// The article's language, a BCP 47 tag gloss has a locale for (default: the site's).
        #[arg(long)]
        lang: Option<String>,
    },
    /// Check everything a build checks, plus anchors, links and the people registry.
    Check {
        /// `text`: one line per finding; `json`: for tools.
        #[arg(long, default_value = "text", value_parser = ["text", "json"])]
        format: String,
        /// Check drafts too.
        #[arg(long)]
        drafts: bool,
        /// Check articles dated after today too.
        #[arg(long)]
        future: bool,
        /// Also check external http(s) links over the network (at most one request per
        /// host and second).
        #[arg(long)]
        external: bool,
    },
    /// Import W3C Web Annotations (gloss's annotations.jsonld, a Hypothesis export) into an
    /// article's front matter.
    Import {
        /// The annotations: a JSON or JSON-LD file.
        file: PathBuf,
        /// The article, as a path from the site's folder (`content/2019/article.md`).
        #[arg(long, value_name = "ARTICLE")]
        into: String,
    },
    /// Build, serve and rebuild the site on every change, reloading the browser.
    Serve {
        /// Port to listen on.
        #[arg(long, default_value_t = 1111)]
        port: u16,
        /// Address to listen on; only this computer can connect by default.
        #[arg(long, default_value = "127.0.0.1")]
        interface: std::net::IpAddr,
        /// Open the site in the browser.
        #[arg(long)]
        open: bool,
        /// Include drafts.
        #[arg(long)]
        drafts: bool,
        /// Include articles dated after today.
        #[arg(long)]
        future: bool,
        /// Turn the preview's editor off: nothing is written to content/.
        #[arg(long)]
        read_only: bool,
    },
}

fn main() -> ExitCode {
    keep_freed_memory_a_while();
    ignore_file_size_signal();
    let cli = Cli::parse();
    let color = std::io::stderr().is_terminal();
    // Only a build has an output to keep whole.
    let builds = matches!(cli.command, Command::Build { .. });
    let result = match cli.command {
        Command::Build {
            out,
            drafts,
            future,
            base_url,
            timings,
        } => run_build(out, drafts, future, base_url, timings),
        Command::Render { no_figures, file } => run_render(&file, !no_figures),
        Command::Init { dir, lang } => run_init(dir, &lang),
        Command::New { path, title, lang } => {
            site_root().and_then(|root| run_new(&root, &path, title.as_deref(), lang.as_deref()))
        }
        Command::Check {
            format,
            drafts,
            future,
            external,
        } => return run_check(&format, drafts, future, external),
        Command::Import { file, into } => {
            site_root().and_then(|root| gloss::edit::import::run(&root, &file, &into))
        }
        Command::Serve {
            port,
            interface,
            open,
            drafts,
            future,
            read_only,
        } => site_root().and_then(|root| {
            gloss::serve::serve(
                &root,
                &gloss::serve::ServeOptions {
                    addr: (interface, port).into(),
                    open,
                    drafts,
                    future,
                    read_only,
                },
            )
        }),
    };
    match result {
        Ok(warnings) => {
            print_all(&warnings, color);
            ExitCode::SUCCESS
        }
        Err(diagnostics) => {
            print_all(&diagnostics, color);
            let errors = diagnostics
                .iter()
                .filter(|d| d.severity == Severity::Error)
                .count();
            eprintln!(
                "{errors} error{}{}",
                if errors == 1 { "" } else { "s" },
                if builds { "; nothing was written" } else { "" }
            );
            ExitCode::FAILURE
        }
    }
}

fn print_all(diagnostics: &[Diagnostic], color: bool) {
    // Locked once and buffered: unbuffered, each finding was a few dozen small writes.
    let mut err = std::io::BufWriter::with_capacity(64 * 1024, anstream::stderr().lock());
    let _ = gloss::diagnostics::write_all(&mut err, diagnostics, color);
    let _ = err.flush();
}

fn cwd() -> Result<PathBuf, Vec<Diagnostic>> {
    std::env::current_dir().map_err(|e| {
        vec![Diagnostic::file(
            ".",
            format!("cannot read the current folder: {e}"),
        )]
    })
}

fn site_root() -> Result<PathBuf, Vec<Diagnostic>> {
    let here = cwd()?;
    config::find_root(&here).ok_or_else(|| {
        vec![
            Diagnostic::file(&here, "no site.toml here or in any folder above")
                .with_help("run gloss inside a site, or create one with `gloss init DIR`"),
        ]
    })
}

fn run_build(
    out: Option<PathBuf>,
    drafts: bool,
    future: bool,
    base_url: Option<String>,
    timings: bool,
) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    let root = site_root()?;
    let here = cwd()?;
    let base_url = base_url
        .map(|url| build::check_base_url(&url).map_err(|d| vec![d]))
        .transpose()?;
    let bar = DelayedBar::start("articles", "reading the content");
    let opts = BuildOptions {
        out: out.map(|o| here.join(o)),
        drafts,
        future,
        base_url,
        progress: Some(bar.callback("writing the site pages and the search index")),
        ..BuildOptions::default()
    };
    let report = build::build(&root, &opts);
    bar.clear();
    let report = report?;
    let shown = report
        .out_dir
        .strip_prefix(&here)
        .unwrap_or(&report.out_dir)
        .display()
        .to_string();
    eprintln!("{}", gloss::console::build_summary(&report, &shown));
    if timings {
        for (stage, took) in &report.stages {
            eprintln!("  {stage:<26} {:>8.1} ms", took.as_secs_f64() * 1000.0);
        }
    }
    Ok(report.warnings)
}

fn run_render(file: &str, figures: bool) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    let here = cwd()?;
    let site = match config::find_root(&here) {
        Some(root) => Site::load(&root)?,
        None => Site::standalone(),
    };
    let (path, text) = if file == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .map_err(|e| vec![Diagnostic::file("<stdin>", format!("cannot read: {e}"))])?;
        let text = String::from_utf8(buf).map_err(|_| {
            vec![Diagnostic::file("<stdin>", "not valid UTF-8").with_help("send UTF-8 text")]
        })?;
        (PathBuf::from("<stdin>"), text)
    } else {
        let path = Path::new(file).to_path_buf();
        (path.clone(), config::read_text(&path).map_err(|d| vec![d])?)
    };
    let html = build::render_fragment(&site, &path, text, figures, file != "-")?;
    print_stdout(&html)
        .map_err(|e| vec![Diagnostic::file("<stdout>", format!("cannot write: {e}"))])?;
    Ok(Vec::new())
}

/// Writes `text` to stdout. A reader that stopped reading (`gloss render - | head`) is no
/// error: as in ripgrep and C programs that die of SIGPIPE, gloss then stops quietly (Rust
/// ignores SIGPIPE, so the write fails with `BrokenPipe` instead).
fn print_stdout(text: &str) -> std::io::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|_| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

fn run_init(dir: Option<PathBuf>, lang: &str) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    let dir = cwd()?.join(dir.unwrap_or_default());
    let lang = gloss::scaffold::init_language(lang).map_err(|d| vec![d])?;
    let created = gloss::scaffold::init(&dir, lang)?;
    for f in &created.files {
        eprintln!("created {}", created.root.join(f).display());
    }
    eprintln!(
        "a new site is ready: `cd {}` and run `gloss serve` (or `gloss build`)",
        created.root.display()
    );
    Ok(Vec::new())
}

fn run_new(
    root: &Path,
    path: &str,
    title: Option<&str>,
    lang: Option<&str>,
) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    let rel = gloss::scaffold::new_article(root, path, title, lang)?;
    eprintln!("created {}", root.join(rel).display());
    Ok(Vec::new())
}

/// How long work may take before it gets a progress bar: shorter work would only flicker.
const BAR_DELAY: Duration = Duration::from_millis(300);

/// A progress bar on stderr that appears only when the work outlasts [`BAR_DELAY`], and only
/// on a terminal (indicatif draws nothing elsewhere); cleared before the summary is printed.
struct DelayedBar {
    bar: ProgressBar,
    /// Dropped (or sent to) when the work ends, so the waiting thread never shows the bar.
    done: Option<mpsc::Sender<()>>,
    waiter: Option<std::thread::JoinHandle<()>>,
}

impl DelayedBar {
    /// A hidden bar counting `unit`, shown after [`BAR_DELAY`] if not cleared by then; says
    /// `first_stage` until the first unit is counted.
    fn start(unit: &str, first_stage: &'static str) -> DelayedBar {
        let bar = ProgressBar::hidden();
        bar.set_message(first_stage);
        let style = ProgressStyle::with_template(&format!(
            "{{spinner}} [{{bar:30}}] {{pos}}/{{len}} {unit} {{msg}}"
        ))
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
        bar.set_style(style);
        let (tx, rx) = mpsc::channel::<()>();
        let shown = bar.clone();
        let waiter = std::thread::spawn(move || {
            if rx.recv_timeout(BAR_DELAY) == Err(mpsc::RecvTimeoutError::Timeout) {
                shown.set_draw_target(ProgressDrawTarget::stderr());
                // Ticks keep the spinner turning through stages that report no progress.
                shown.enable_steady_tick(Duration::from_millis(100));
            }
        });
        DelayedBar {
            bar,
            done: Some(tx),
            waiter: Some(waiter),
        }
    }

    /// The callback for the work to report (done, total) with; `last_stage` is shown once
    /// everything is counted and the work goes on.
    fn callback(&self, last_stage: &'static str) -> build::ProgressFn {
        let bar = self.bar.clone();
        Arc::new(move |_done, total| {
            let total = total as u64;
            if bar.length() != Some(total) {
                bar.set_length(total);
            }
            // Callers run in parallel, so their `done` counts arrive out of order: count calls.
            bar.inc(1);
            let done = bar.position();
            if done >= total {
                bar.set_message(last_stage);
            } else if done == 1 {
                bar.set_message("");
            }
        })
    }

    /// Ends the bar and wipes it from the terminal.
    fn clear(mut self) {
        drop(self.done.take());
        if let Some(w) = self.waiter.take() {
            let _ = w.join();
        }
        self.bar.finish_and_clear();
    }
}

/// `gloss check`: the report on stdout, exit status 1 when it found errors.
fn run_check(format: &str, drafts: bool, future: bool, external: bool) -> ExitCode {
    let root = match site_root() {
        Ok(r) => r,
        Err(d) => {
            print_all(&d, std::io::stderr().is_terminal());
            return ExitCode::FAILURE;
        }
    };
    let bar = external.then(|| DelayedBar::start("external addresses", "checking the site"));
    let external = bar.as_ref().map(|b| gloss::check::ExternalOptions {
        progress: Some(b.callback("")),
        ..gloss::check::ExternalOptions::default()
    });
    let report = gloss::check::check(
        &root,
        &gloss::check::CheckOptions {
            drafts,
            future,
            external,
        },
    );
    if let Some(bar) = bar {
        bar.clear();
    }
    let text = if format == "json" {
        gloss::check::to_json(&report) + "\n"
    } else {
        gloss::check::to_text(&report)
    };
    if let Err(e) = print_stdout(&text) {
        eprintln!("<stdout>: cannot write the report: {e}");
        return ExitCode::FAILURE;
    }
    if report.summary.errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Past a file-size limit (`ulimit -f`) a write fails with EFBIG, and the kernel also sends
/// SIGXFSZ, whose default action kills the process: a build would die without a word and
/// leave its staging folder behind. Ignored, the write's error is reported with the file's
/// name and the staging folder removed, as on a full disk. Off Unix there is no such
/// signal.
fn ignore_file_size_signal() {
    #[cfg(unix)]
    // SAFETY: sets one signal's disposition to "ignore" before any thread starts; no
    // handler code runs.
    unsafe {
        libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
    }
}
