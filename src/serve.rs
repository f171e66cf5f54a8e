//! `gloss serve`: build the site into a private folder, serve it, rebuild on every change and
//! reload the browser. A failed rebuild keeps the last good site and shows the error over it.
use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock, mpsc};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, new_debouncer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::services::ServeDir;
use tower_livereload::{LiveReloadLayer, Reloader};

use crate::build::{self, BuildOptions};
use crate::config::{SITE_FILE, Site, read_text};
use crate::content::{self, CONTENT_DIR};
use crate::diagnostics::{Diagnostic, Severity};
use crate::render::Theme;

/// How long the watcher waits for a burst of file events (an editor's save) to end.
const DEBOUNCE: Duration = Duration::from_millis(25);

/// Requests are reads: nothing a browser sends to a preview needs a body larger than this.
const MAX_REQUEST_BODY: usize = 16 * 1024;

/// How to serve.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// Where to listen.
    pub addr: SocketAddr,
    /// Open the site in the browser once it is served.
    pub open: bool,
    /// Include drafts.
    pub drafts: bool,
}

/// What the HTTP side needs to know about the builds.
#[derive(Default)]
struct Shared {
    /// The last build's error, as the terminal shows it (without colour); none when it worked.
    error: RwLock<Option<String>>,
}

/// Serves the site at `root` until interrupted.
pub fn serve(root: &Path, opts: &ServeOptions) -> Result<Vec<Diagnostic>, Vec<Diagnostic>> {
    // The served site lives outside the site folder, so `public/` is left alone and a crash
    // leaves nothing behind in the editor's project.
    let tmp = tempfile::Builder::new()
        .prefix("gloss-serve-")
        .tempdir()
        .map_err(|e| {
            vec![Diagnostic::file(
                std::env::temp_dir(),
                format!("cannot create a folder: {e}"),
            )]
        })?;
    let out = tmp.path().join("site");
    let shared = Arc::new(Shared::default());
    let mut worker = Worker {
        root: root.to_path_buf(),
        out: out.clone(),
        drafts: opts.drafts,
        cache: None,
        last_full_failed: false,
    };
    worker.rebuild_all(&shared);

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| {
            vec![Diagnostic::file(
                ".",
                format!("cannot start the server: {e}"),
            )]
        })?;
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(opts.addr))
        .map_err(|e| {
            vec![
                Diagnostic::file(SITE_FILE, format!("cannot listen on {}: {e}", opts.addr))
                    .with_help("choose another port with `--port N`"),
            ]
        })?;
    let addr = listener.local_addr().unwrap_or(opts.addr);

    let livereload = LiveReloadLayer::new();
    let reloader = livereload.reloader();
    let (tx, rx) = mpsc::channel::<DebounceEventResult>();
    let mut debouncer = new_debouncer(DEBOUNCE, Some(DEBOUNCE / 5), tx).map_err(|e| {
        vec![Diagnostic::file(
            root,
            format!("cannot watch the site: {e}"),
        )]
    })?;
    // The root itself only for site.toml and people.toml (and folders appearing); the
    // source folders with everything inside.
    debouncer
        .watch(root, RecursiveMode::NonRecursive)
        .map_err(|e| vec![Diagnostic::file(root, format!("cannot watch: {e}"))])?;
    for dir in [CONTENT_DIR, "templates", "static"] {
        let path = root.join(dir);
        if path.is_dir() {
            debouncer
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| vec![Diagnostic::file(dir, format!("cannot watch: {e}"))])?;
        }
    }
    let worker_shared = Arc::clone(&shared);
    std::thread::spawn(move || worker.run(rx, &worker_shared, &reloader));

    let url = format!("http://{addr}/");
    eprintln!("serving the site at {url} (press Ctrl-C to stop)");
    if opts.open {
        open_browser(&url);
    }
    let app = Router::new()
        .fallback_service(ServeDir::new(&out).append_index_html_on_directories(true))
        .layer(middleware::from_fn_with_state(Arc::clone(&shared), overlay))
        .layer(livereload)
        .layer(RequestBodyLimitLayer::new(MAX_REQUEST_BODY));
    let served = runtime.block_on(async move {
        axum::serve(listener, app)
            .with_graceful_shutdown(shutdown_signal())
            .await
    });
    drop(debouncer);
    served.map_err(|e| vec![Diagnostic::file(".", format!("the server stopped: {e}"))])?;
    Ok(Vec::new())
}

/// Ctrl-C, or (on Unix) a polite `kill`: either way the temporary folder is removed.
async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

/// Asks the system to open `url` in the browser; failing that, the URL is on the terminal.
fn open_browser(url: &str) {
    let mut cmd = if cfg!(target_os = "macos") {
        std::process::Command::new("open")
    } else if cfg!(windows) {
        let mut c = std::process::Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        std::process::Command::new("xdg-open")
    };
    if cmd.arg(url).spawn().is_err() {
        eprintln!("could not open a browser; open {url} yourself");
    }
}

/// Makes every response fresh (a preview must never show a cached page) and, while the
/// last build failed, lays the error over every page.
async fn overlay(State(shared): State<Arc<Shared>>, mut req: Request, next: Next) -> Response {
    req.headers_mut().remove(header::IF_MODIFIED_SINCE);
    req.headers_mut().remove(header::IF_NONE_MATCH);
    let mut res = next.run(req).await;
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    let error = shared.error.read().map(|e| e.clone()).unwrap_or_default();
    let Some(error) = error else {
        return res;
    };
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    let page = if res.status() == StatusCode::NOT_FOUND {
        // No good build yet, or the page is missing: the error is the page.
        String::from(
            "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>gloss: build error</title></head><body></body></html>",
        )
    } else if is_html {
        let (parts, body) = res.into_parts();
        match axum::body::to_bytes(body, 64 * 1024 * 1024).await {
            Ok(bytes) => {
                res = Response::from_parts(parts, Body::empty());
                String::from_utf8_lossy(&bytes).into_owned()
            }
            Err(_) => return Response::from_parts(parts, Body::empty()),
        }
    } else {
        return res;
    };
    let banner = error_banner(&error);
    let html = match page.rfind("</body>") {
        Some(i) => format!("{}{banner}{}", &page[..i], &page[i..]),
        None => page + &banner,
    };
    let headers = res.headers_mut();
    headers.remove(header::CONTENT_LENGTH);
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    *res.body_mut() = Body::from(html);
    res
}

/// The error overlay: fixed over the page, readable without the page's styles.
fn error_banner(message: &str) -> String {
    let escaped = message
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    format!(
        "<div id=\"gloss-error\" role=\"alert\" style=\"position:fixed;inset:0;z-index:2147483647;overflow:auto;background:rgba(20,20,20,.94);color:#fff;padding:2rem;font:14px/1.5 ui-monospace,monospace\"><p style=\"font-weight:bold;color:#ff8a80\">gloss: the last change did not build; this is the last good version.</p><pre style=\"white-space:pre-wrap\">{escaped}</pre></div>"
    )
}

/// Site, theme and each article's front matter as of the last good full build, so that an
/// edit to an article's text rebuilds that article alone.
struct Cache {
    site: Site,
    theme: Theme,
    /// Hash of each built article's front matter, by its path relative to the root.
    front_matter: HashMap<PathBuf, u64>,
}

/// Runs the builds, one at a time, on its own thread.
struct Worker {
    root: PathBuf,
    out: PathBuf,
    drafts: bool,
    cache: Option<Cache>,
    /// Whether the last full build failed: then only a full build can clear the error.
    last_full_failed: bool,
}

/// What a batch of changes needs.
enum Plan {
    /// Nothing the site is built from.
    Nothing,
    /// These articles' text changed.
    Articles(Vec<PathBuf>),
    /// These files of the site's `static/` changed; copy them.
    Static(Vec<PathBuf>),
    /// Anything else.
    Everything,
}

fn hash_of(s: &str) -> u64 {
    let mut h = std::collections::hash_map::DefaultHasher::new();
    s.hash(&mut h);
    h.finish()
}

/// Files editors write beside the real one while saving (swap, backup, lock files).
fn is_editor_noise(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy())
        .unwrap_or_default();
    name.starts_with('.')
        || name.starts_with('#')
        || name.ends_with('~')
        || name.ends_with(".swp")
        || name.ends_with(".swx")
        || name.ends_with(".tmp")
        || name == "4913"
}

impl Worker {
    fn run(
        mut self,
        rx: mpsc::Receiver<DebounceEventResult>,
        shared: &Shared,
        reloader: &Reloader,
    ) {
        while let Ok(first) = rx.recv() {
            let started = Instant::now();
            let mut paths = Vec::new();
            // Take whatever else is already waiting, so a burst costs one rebuild.
            for result in std::iter::once(first).chain(rx.try_iter()) {
                match result {
                    Ok(events) => {
                        for e in events {
                            if !matches!(e.kind, EventKind::Access(_)) {
                                paths.extend(e.event.paths);
                            }
                        }
                    }
                    Err(errors) => {
                        for e in errors {
                            eprintln!("watching failed: {e}");
                        }
                        paths.push(self.root.join(SITE_FILE));
                    }
                }
            }
            paths.sort();
            paths.dedup();
            let changed = match self.plan(&paths) {
                Plan::Nothing => continue,
                Plan::Everything => {
                    self.rebuild_all(shared);
                    continue;
                }
                Plan::Articles(files) => self.rebuild_articles(&files),
                Plan::Static(files) => self.copy_static(&files),
            };
            match changed {
                Some(Ok(warnings)) => {
                    print_diagnostics(&warnings);
                    eprintln!(
                        "rebuilt {} in {:.0?}",
                        paths
                            .iter()
                            .filter_map(|p| p.strip_prefix(&self.root).ok())
                            .map(|p| p.display().to_string())
                            .collect::<Vec<_>>()
                            .join(", "),
                        started.elapsed()
                    );
                    set_error(shared, None);
                }
                Some(Err(errors)) => {
                    report_errors(shared, &errors);
                }
                None => self.rebuild_all(shared),
            }
            reloader.reload();
        }
    }

    /// Decides what the changed `paths` need.
    fn plan(&self, paths: &[PathBuf]) -> Plan {
        let content = self.root.join(CONTENT_DIR);
        let statics = self.root.join("static");
        let mut articles = Vec::new();
        let mut static_files = Vec::new();
        let mut other = false;
        for p in paths {
            let Ok(rel) = p.strip_prefix(&self.root) else {
                continue;
            };
            if is_editor_noise(p) || p.is_dir() {
                continue;
            }
            if p.starts_with(&content) {
                if p.extension().is_some_and(|e| e == "md") {
                    if p.is_file() {
                        articles.push(rel.to_path_buf());
                    } else {
                        other = true; // an article deleted or moved away
                    }
                } else if p.exists() {
                    other = true; // a new or changed image of a bundle
                } else if let Ok(inner) = p.strip_prefix(&content) {
                    // Gone: it matters only if it was published (not a save's temporary file).
                    other |= self.out.join(inner).exists();
                }
            } else if p.starts_with(&statics) {
                if p.is_file() {
                    static_files.push(p.clone());
                } else {
                    other = true;
                }
            } else if p.starts_with(self.root.join("templates"))
                || rel == Path::new(SITE_FILE)
                || rel == Path::new("people.toml")
            {
                other = true;
            }
        }
        if other || self.last_full_failed || self.cache.is_none() {
            if articles.is_empty() && static_files.is_empty() && !other {
                return Plan::Nothing;
            }
            return Plan::Everything;
        }
        match (articles.is_empty(), static_files.is_empty()) {
            (true, true) => Plan::Nothing,
            (false, true) => Plan::Articles(articles),
            (true, false) => Plan::Static(static_files),
            (false, false) => Plan::Everything,
        }
    }

    /// Rebuilds the edited articles alone, if their front matter (all that other pages show
    /// of them) is unchanged; `None` when the whole site must be rebuilt.
    fn rebuild_articles(
        &self,
        files: &[PathBuf],
    ) -> Option<Result<Vec<Diagnostic>, Vec<Diagnostic>>> {
        let cache = self.cache.as_ref()?;
        let mut parsed = Vec::with_capacity(files.len());
        let mut errors = Vec::new();
        for rel in files {
            let known = cache.front_matter.get(rel)?;
            let text = match read_text(&self.root.join(rel)) {
                Ok(t) => t,
                Err(d) => {
                    errors.push(d.relative_to(&self.root));
                    continue;
                }
            };
            let url = content::url_path_for(rel);
            match content::parse_article(&cache.site, rel.clone(), text, url) {
                Ok(a) if hash_of(&a.source[..a.body_offset]) == *known => parsed.push(a),
                Ok(_) => return None,
                Err(mut e) => errors.append(&mut e),
            }
        }
        if !errors.is_empty() {
            return Some(Err(errors));
        }
        let mut warnings = Vec::new();
        for article in &parsed {
            match build::rebuild_article(&cache.site, &cache.theme, article, &self.out) {
                Ok(mut w) => warnings.append(&mut w),
                Err(mut e) => errors.append(&mut e),
            }
        }
        Some(if errors.is_empty() {
            Ok(warnings)
        } else {
            Err(errors)
        })
    }

    /// Copies changed files of the site's `static/` over the served ones.
    fn copy_static(&self, files: &[PathBuf]) -> Option<Result<Vec<Diagnostic>, Vec<Diagnostic>>> {
        let statics = self.root.join("static");
        for f in files {
            let rel = f.strip_prefix(&statics).ok()?;
            let target = self.out.join(rel);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).ok()?;
            }
            if let Err(e) = std::fs::copy(f, &target) {
                return Some(Err(vec![Diagnostic::file(
                    Path::new("static").join(rel),
                    format!("cannot copy: {e}"),
                )]));
            }
        }
        Some(Ok(Vec::new()))
    }

    /// A full build into the served folder; on failure the last good site stays.
    fn rebuild_all(&mut self, shared: &Shared) {
        let opts = BuildOptions {
            out: Some(self.out.clone()),
            drafts: self.drafts,
            ..BuildOptions::default()
        };
        match build::build(&self.root, &opts) {
            Ok(report) => {
                print_diagnostics(&report.warnings);
                eprintln!(
                    "built {} articles, {} pages in {:.0?}",
                    report.articles, report.pages, report.elapsed
                );
                self.last_full_failed = false;
                set_error(shared, None);
                self.cache = self.load_cache();
            }
            Err(errors) => {
                self.last_full_failed = true;
                report_errors(shared, &errors);
            }
        }
    }

    /// What quick rebuilds need; `None` (every change rebuilds all) if it cannot be loaded.
    fn load_cache(&self) -> Option<Cache> {
        let site = Site::load(&self.root).ok()?;
        let theme = Theme::load(&self.root).ok()?;
        let loaded = content::load(&site, self.drafts).ok()?;
        let front_matter = loaded
            .articles
            .iter()
            .map(|a| (a.path.clone(), hash_of(&a.source[..a.body_offset])))
            .collect();
        Some(Cache {
            site,
            theme,
            front_matter,
        })
    }
}

fn set_error(shared: &Shared, error: Option<String>) {
    if let Ok(mut e) = shared.error.write() {
        *e = error;
    }
}

fn print_diagnostics(diagnostics: &[Diagnostic]) {
    use std::io::{IsTerminal, Write};
    let color = std::io::stderr().is_terminal();
    let mut err = anstream::stderr();
    for d in diagnostics {
        let _ = write!(err, "{}", d.render(color));
    }
}

/// Shows `errors` on the terminal and, in the same words, in the browser.
fn report_errors(shared: &Shared, errors: &[Diagnostic]) {
    print_diagnostics(errors);
    let n = errors
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let summary = format!(
        "{n} error{}; still serving the last good version",
        if n == 1 { "" } else { "s" }
    );
    eprintln!("{summary}");
    let text: String = errors.iter().map(|d| d.render(false)).collect();
    set_error(shared, Some(format!("{text}{summary}")));
}
