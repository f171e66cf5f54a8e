//! The `gloss` command line.
use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use gloss::build::{self, BuildOptions};
use gloss::config::{self, Site};
use gloss::diagnostics::{Diagnostic, Severity};

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
    },
    /// Render one article, or markdown from stdin (`-`), to HTML on stdout.
    Render {
        /// Do not detect figures automatically.
        #[arg(long)]
        no_figures: bool,
        /// A markdown file, or `-` for stdin.
        file: String,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let color = std::io::stderr().is_terminal();
    let result = match cli.command {
        Command::Build { out, drafts } => run_build(out, drafts),
        Command::Render { no_figures, file } => run_render(&file, !no_figures),
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
                "{errors} error{}; nothing was written",
                if errors == 1 { "" } else { "s" }
            );
            ExitCode::FAILURE
        }
    }
}

fn print_all(diagnostics: &[Diagnostic], color: bool) {
    let mut err = anstream::stderr();
    for d in diagnostics {
        let _ = write!(err, "{}", d.render(color));
    }
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

fn run_build(out: Option<PathBuf>, drafts: bool) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    let root = site_root()?;
    let here = cwd()?;
    let opts = BuildOptions {
        out: out.map(|o| here.join(o)),
        drafts,
    };
    let report = build::build(&root, &opts)?;
    let kinds: Vec<String> = report
        .annotations
        .iter()
        .map(|(k, n)| format!("{n} {}", k.key()))
        .collect();
    let shown = report
        .out_dir
        .strip_prefix(&here)
        .unwrap_or(&report.out_dir)
        .display()
        .to_string();
    let annotations = if kinds.is_empty() {
        "no annotations".to_string()
    } else {
        kinds.join(", ")
    };
    eprintln!(
        "built {} article{} ({annotations}; {} figures), {} pages into {shown} in {:.0?}",
        report.articles,
        if report.articles == 1 { "" } else { "s" },
        report.figures,
        report.pages,
        report.elapsed
    );
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
    let mut out = std::io::stdout().lock();
    out.write_all(html.as_bytes())
        .and_then(|_| out.flush())
        .map_err(|e| vec![Diagnostic::file("<stdout>", format!("cannot write: {e}"))])?;
    Ok(Vec::new())
}
