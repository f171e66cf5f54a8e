//! `gloss serve`: build the site into a private folder, serve it, rebuild on every change and
//! reload the browser. A failed rebuild keeps the last good site and shows the error over it.
use std::collections::{BTreeMap, HashMap};
use std::hash::{Hash, Hasher};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock, mpsc};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::Response;
use notify_debouncer_full::notify::{EventKind, RecursiveMode};
use notify_debouncer_full::{DebounceEventResult, Debouncer, RecommendedCache, new_debouncer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::services::ServeDir;
use tower_livereload::{LiveReloadLayer, Reloader};

use rayon::prelude::*;

use crate::build::summary::ArticleSummary;
use crate::build::{self, BuildOptions};
use crate::config::{SITE_FILE, Site, read_text};
use crate::content::{self, Article, CONTENT_DIR};
use crate::diagnostics::{Diagnostic, Severity};
use crate::render::Theme;

/// How long the watcher waits for a burst of file events (an editor's save) to end.
const DEBOUNCE: Duration = Duration::from_millis(25);

/// The file watcher, shared with the worker so that it can watch source folders made later.
type Watcher = Debouncer<notify_debouncer_full::notify::RecommendedWatcher, RecommendedCache>;

/// The folders watched with everything inside.
const SOURCE_DIRS: [&str; 3] = [CONTENT_DIR, "templates", "static"];

/// How long the site must be quiet before the search index is rewritten after quick
/// rebuilds: an editor who saves again and again gets the page at once, the index (which
/// covers the whole site) once they pause.
const SEARCH_QUIET: Duration = Duration::from_secs(1);

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
    let mut tmp = tempfile::Builder::new();
    tmp.prefix("gloss-serve-");
    // Drafts are served from here: other users of the computer must not read them.
    #[cfg(unix)]
    tmp.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o700));
    let tmp = tmp.tempdir().map_err(|e| {
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
        indexer: Indexer::start(out.clone()),
        watcher: None,
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
    for dir in SOURCE_DIRS {
        let path = root.join(dir);
        if path.is_dir() {
            debouncer
                .watch(&path, RecursiveMode::Recursive)
                .map_err(|e| vec![Diagnostic::file(dir, format!("cannot watch: {e}"))])?;
        }
    }
    let debouncer = Arc::new(Mutex::new(debouncer));
    worker.watcher = Some(Arc::clone(&debouncer));
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
    runtime.block_on(run_server(listener, app));
    // Connections still open (a tab's live-reload stream) end here, with the runtime.
    drop(runtime);
    drop(debouncer);
    // The served folder goes with this process; what the builds remembered of it would
    // only take room.
    build::forget_output(root, &out);
    Ok(Vec::new())
}

/// How long a connection may take to send a request's head, and stay idle between
/// requests: a browser opens a new connection when it needs one, while connections left
/// open by the hundred would use up the process's file descriptors.
const HEADER_TIMEOUT: Duration = Duration::from_secs(5);

/// Connections served at once; more wait to be accepted until one closes. A browser opens
/// six per host, and each tab keeps one for live reload.
const MAX_CONNECTIONS: usize = 128;

/// How long requests under way may take to finish once the server is told to stop; the
/// live-reload stream of an open tab never does, and must not keep the server running.
const SHUTDOWN_GRACE: Duration = Duration::from_millis(500);

/// Serves `app` on `listener` until Ctrl-C or a polite `kill`, each connection with the
/// timeouts and limit above.
async fn run_server(listener: tokio::net::TcpListener, app: Router) {
    use tower::ServiceExt;
    let slots = Arc::new(tokio::sync::Semaphore::new(MAX_CONNECTIONS));
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let mut connections = tokio::task::JoinSet::new();
    let shutdown = shutdown_signal();
    tokio::pin!(shutdown);
    loop {
        let slot = tokio::select! {
            () = &mut shutdown => break,
            slot = Arc::clone(&slots).acquire_owned() => slot,
        };
        let Ok(slot) = slot else { break };
        let stream = tokio::select! {
            () = &mut shutdown => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(_) => {
                    // Out of file descriptors, or a connection reset before it was
                    // accepted: try again in a moment rather than spin.
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
        };
        while connections.try_join_next().is_some() {}
        let Ok(local) = stream.local_addr() else {
            continue;
        };
        let app = app.clone();
        let mut stopped = stopped.clone();
        connections.spawn(async move {
            let _slot = slot;
            let service = hyper::service::service_fn(move |req: hyper::Request<_>| {
                let app = app.clone();
                async move {
                    Ok::<_, std::convert::Infallible>(match guard(req.map(Body::new), local) {
                        Ok(req) => app
                            .oneshot(req)
                            .await
                            .unwrap_or_else(|never| match never {}),
                        Err(refused) => *refused,
                    })
                }
            });
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(HEADER_TIMEOUT)
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service);
            tokio::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => {}
                _ = stopped.changed() => {
                    connection.as_mut().graceful_shutdown();
                    let _ = tokio::time::timeout(SHUTDOWN_GRACE, connection).await;
                }
            }
        });
    }
    let _ = stop.send(true);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE * 2, async {
        while connections.join_next().await.is_some() {}
    })
    .await;
}

/// Refuses a request addressed to any host but this server (a page of another site that
/// points its own name at this computer, DNS rebinding, must not read the preview), and
/// gives the rest a path that cannot be taken for another host: `//evil.example` would
/// otherwise be redirected to `//evil.example/`, which browsers read as that site.
fn guard(req: Request, local: SocketAddr) -> Result<Request, Box<Response>> {
    let authority = match req.uri().authority() {
        Some(a) => Some(a.as_str().to_owned()),
        None => req
            .headers()
            .get(header::HOST)
            .and_then(|h| h.to_str().ok())
            .map(str::to_owned),
    };
    if !authority.is_some_and(|a| is_own_host(&a, local)) {
        let mut res = Response::new(Body::from(format!(
            "gloss serve answers only to localhost, 127.0.0.1, [::1] and {}: this request named another host, \
             as a page of another site would to read the preview. Open http://127.0.0.1:{}/ instead.\n",
            local.ip().to_canonical(),
            local.port()
        )));
        *res.status_mut() = StatusCode::FORBIDDEN;
        let headers = res.headers_mut();
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain; charset=utf-8"),
        );
        headers.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        return Err(Box::new(res));
    }
    let (mut parts, body) = req.into_parts();
    let path_and_query = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    let rest = path_and_query.trim_start_matches(['/', '\\']);
    // Only the path goes on: a scheme and host in the request line would end up in redirects.
    if let Ok(uri) = format!("/{rest}").parse() {
        parts.uri = uri;
    }
    Ok(Request::from_parts(parts, body))
}

/// Whether `authority` (a `Host` header, `name[:port]`) names this server, reached at `local`:
/// `localhost`, a loopback address or the address the connection came in on. The port is
/// not compared: the name is what a rebinding page controls, and a tunnel (`ssh -L`)
/// rightly changes the port.
fn is_own_host(authority: &str, local: SocketAddr) -> bool {
    if authority.contains('@') {
        return false;
    }
    let Ok(authority) = authority.parse::<axum::http::uri::Authority>() else {
        return false;
    };
    let host = authority.host();
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let ip = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    ip.parse::<std::net::IpAddr>().is_ok_and(|ip| {
        let ip = ip.to_canonical();
        ip.is_loopback() || ip == local.ip().to_canonical()
    })
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

/// The site as of the last good full build, kept so that an edit to an article's text
/// rebuilds that article alone and a template change renders without reading content.
struct Cache {
    site: Arc<Site>,
    theme: Arc<Theme>,
    /// Each built article as it is now, by its path relative to the root.
    articles: BTreeMap<PathBuf, Arc<Article>>,
    /// Hash of each built article's front matter (all that other pages show of it).
    front_matter: HashMap<PathBuf, u64>,
    /// Hash of site.toml and people.toml: summaries made under other settings are void.
    site_key: u64,
}

/// Runs the builds, one at a time, on its own thread.
struct Worker {
    root: PathBuf,
    out: PathBuf,
    drafts: bool,
    cache: Option<Cache>,
    /// Whether the last full build failed: then only a full build can clear the error.
    last_full_failed: bool,
    indexer: Indexer,
    watcher: Option<Arc<Mutex<Watcher>>>,
}

/// What a batch of changes needs.
enum Plan {
    /// Nothing the site is built from.
    Nothing,
    /// These articles' text changed.
    Articles(Vec<PathBuf>),
    /// These files of the site's `static/` changed; copy them.
    Static(Vec<PathBuf>),
    /// Only templates changed: render every page again from what is in memory.
    Templates,
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

/// Whether `rel` (relative to the site root) is something a build reads: other files in the
/// root (a log, the build cache) are not worth naming.
fn is_source(rel: &Path) -> bool {
    rel == Path::new(SITE_FILE)
        || rel == Path::new("people.toml")
        || SOURCE_DIRS.iter().any(|d| rel.starts_with(d))
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
                Plan::Templates => self.rerender(),
            };
            match changed {
                Some(Ok(warnings)) => {
                    print_diagnostics(&warnings);
                    eprintln!(
                        "rebuilt {} in {:.0?}",
                        paths
                            .iter()
                            .filter(|p| !is_editor_noise(p))
                            .filter_map(|p| p.strip_prefix(&self.root).ok())
                            .filter(|rel| is_source(rel))
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
        let mut templates = false;
        let mut other = false;
        for p in paths {
            let Ok(rel) = p.strip_prefix(&self.root) else {
                continue;
            };
            if is_editor_noise(p) {
                continue;
            }
            if p.is_dir() {
                // A source folder made while serving (the first template of the site's own):
                // watch it, and build, as files may be in it already.
                if SOURCE_DIRS.iter().any(|d| rel == Path::new(d)) {
                    if let Some(w) = &self.watcher {
                        let mut w = w.lock().unwrap_or_else(|e| e.into_inner());
                        if let Err(e) = w.watch(p, RecursiveMode::Recursive) {
                            eprintln!("cannot watch {}: {e}", rel.display());
                        }
                    }
                    other = true;
                }
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
            } else if p.starts_with(self.root.join("templates")) {
                templates = true;
            } else if rel == Path::new(SITE_FILE) || rel == Path::new("people.toml") {
                other = true;
            }
        }
        if articles.is_empty() && static_files.is_empty() && !templates && !other {
            return Plan::Nothing;
        }
        if other || self.last_full_failed || self.cache.is_none() {
            return Plan::Everything;
        }
        match (articles.is_empty(), static_files.is_empty(), templates) {
            (false, true, false) => Plan::Articles(articles),
            (true, false, false) => Plan::Static(static_files),
            (true, true, true) => Plan::Templates,
            _ => Plan::Everything,
        }
    }

    /// Rebuilds the edited articles alone, if their front matter (all that other pages show
    /// of them) is unchanged; `None` when the whole site must be rebuilt.
    fn rebuild_articles(
        &mut self,
        files: &[PathBuf],
    ) -> Option<Result<Vec<Diagnostic>, Vec<Diagnostic>>> {
        let cache = self.cache.as_mut()?;
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
        let ids = match build::PublishedIds::load(&self.root) {
            Ok(ids) => ids,
            Err(d) => return Some(Err(vec![d])),
        };
        let mut warnings = Vec::new();
        for article in parsed {
            match build::rebuild_article(&cache.site, &cache.theme, &article, &ids, &self.out) {
                Ok(mut w) => {
                    warnings.append(&mut w);
                    cache
                        .articles
                        .insert(article.path.clone(), Arc::new(article));
                }
                Err(mut e) => errors.append(&mut e),
            }
        }
        if !errors.is_empty() {
            return Some(Err(errors));
        }
        // The page is served already; the search index follows once the editor pauses.
        self.indexer.refresh(cache, true);
        Some(Ok(warnings))
    }

    /// Renders every page again with the changed templates, from the articles and summaries
    /// in memory: no content file is read, and the search index, feeds and static files,
    /// which no template shapes, stay as they are. `None` when the summaries are not all
    /// made yet (then a full build is quicker than waiting).
    fn rerender(&mut self) -> Option<Result<Vec<Diagnostic>, Vec<Diagnostic>>> {
        let cache = self.cache.as_mut()?;
        let summaries = self.indexer.summaries_of(cache)?;
        let theme = match Theme::load(&self.root) {
            Ok(t) => t,
            Err(errors) => return Some(Err(errors)),
        };
        let ids = match build::PublishedIds::load(&self.root) {
            Ok(ids) => ids,
            Err(d) => return Some(Err(vec![d])),
        };
        let _folder = self.indexer.lock_folder();
        let results: Vec<Result<Vec<Diagnostic>, Vec<Diagnostic>>> = cache
            .articles
            .par_iter()
            .map(|(_, a)| build::rebuild_article(&cache.site, &theme, a, &ids, &self.out))
            .collect();
        let mut warnings = Vec::new();
        let mut errors = Vec::new();
        for r in results {
            match r {
                Ok(mut w) => warnings.append(&mut w),
                Err(mut e) => errors.append(&mut e),
            }
        }
        if errors.is_empty() {
            match build::render_site_pages(&cache.site, &theme, &summaries, &self.out) {
                Ok((_, mut w)) => warnings.append(&mut w),
                Err(d) => errors.push(d),
            }
        }
        if !errors.is_empty() {
            // Some pages may be new and some old: only a full build can set that right.
            self.last_full_failed = true;
            return Some(Err(errors));
        }
        cache.theme = Arc::new(theme);
        Some(Ok(warnings))
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
            preview: true,
            ..BuildOptions::default()
        };
        // The build writes a fresh search index: a pending rewrite of the old one is void.
        self.indexer.cancel();
        let built = {
            let _folder = self.indexer.lock_folder();
            build::build(&self.root, &opts)
        };
        match built {
            Ok(report) => {
                print_diagnostics(&report.warnings);
                eprintln!(
                    "built {} articles, {} pages in {:.0?}",
                    report.articles, report.pages, report.elapsed
                );
                self.last_full_failed = false;
                set_error(shared, None);
                self.cache = self.load_cache();
                if let Some(cache) = &self.cache {
                    // Make the summaries now, while the editor reads, so that the first quick
                    // rebuild's index rewrite has only that article to redo.
                    self.indexer.refresh(cache, false);
                }
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
        let settings: String = [SITE_FILE, "people.toml"]
            .iter()
            .map(|f| std::fs::read_to_string(self.root.join(f)).unwrap_or_default())
            .collect();
        Some(Cache {
            site: Arc::new(site),
            theme: Arc::new(theme),
            articles: loaded
                .articles
                .into_iter()
                .map(|a| (a.path.clone(), Arc::new(a)))
                .collect(),
            front_matter,
            site_key: hash_of(&settings),
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

/// Each article's summary (what listings and the search index need of it), by its path,
/// with the hash of the source it was made from.
#[derive(Default)]
struct Summaries {
    site_key: u64,
    by_path: HashMap<PathBuf, (u64, ArticleSummary)>,
}

/// One request to the indexer: the site as it is now.
struct IndexJob {
    site: Arc<Site>,
    theme: Arc<Theme>,
    articles: Vec<Arc<Article>>,
    site_key: u64,
    /// Rewrite the index (after quick rebuilds), or only make the summaries.
    write: bool,
    generation: u64,
}

/// Keeps the search index in step with quick rebuilds, on a thread of its own and a single
/// core, so that the next edit's page is never kept waiting by the index of the whole site.
struct Indexer {
    jobs: mpsc::Sender<IndexJob>,
    /// The newest job's number: an older job stops where it is.
    latest: Arc<AtomicU64>,
    /// Held while files are written into the served folder by a full build, a re-render or
    /// the index, so that none writes into a folder another is replacing.
    folder: Arc<Mutex<()>>,
    summaries: Arc<Mutex<Summaries>>,
}

impl Indexer {
    fn start(out: PathBuf) -> Indexer {
        let (jobs, rx) = mpsc::channel::<IndexJob>();
        let indexer = Indexer {
            jobs,
            latest: Arc::new(AtomicU64::new(0)),
            folder: Arc::new(Mutex::new(())),
            summaries: Arc::new(Mutex::new(Summaries::default())),
        };
        let latest = Arc::clone(&indexer.latest);
        let folder = Arc::clone(&indexer.folder);
        let summaries = Arc::clone(&indexer.summaries);
        std::thread::spawn(move || index_loop(&rx, &out, &latest, &folder, &summaries));
        indexer
    }

    /// Asks for the summaries of `cache`'s articles and, with `write`, the index rewritten.
    fn refresh(&self, cache: &Cache, write: bool) {
        let generation = self.latest.fetch_add(1, Ordering::SeqCst) + 1;
        let _ = self.jobs.send(IndexJob {
            site: Arc::clone(&cache.site),
            theme: Arc::clone(&cache.theme),
            articles: cache.articles.values().cloned().collect(),
            site_key: cache.site_key,
            write,
            generation,
        });
    }

    /// Stops whatever the indexer is doing.
    fn cancel(&self) {
        self.latest.fetch_add(1, Ordering::SeqCst);
    }

    fn lock_folder(&self) -> std::sync::MutexGuard<'_, ()> {
        self.folder.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Every article's summary, if all are made and current.
    fn summaries_of(&self, cache: &Cache) -> Option<Vec<ArticleSummary>> {
        let known = self.summaries.lock().unwrap_or_else(|e| e.into_inner());
        if known.site_key != cache.site_key {
            return None;
        }
        cache
            .articles
            .iter()
            .map(|(path, a)| match known.by_path.get(path) {
                Some((hash, s)) if *hash == hash_of(&a.source) => Some(s.clone()),
                _ => None,
            })
            .collect()
    }
}

fn index_loop(
    rx: &mpsc::Receiver<IndexJob>,
    out: &Path,
    latest: &AtomicU64,
    folder: &Mutex<()>,
    summaries: &Mutex<Summaries>,
) {
    let Ok(pool) = rayon::ThreadPoolBuilder::new().num_threads(1).build() else {
        return;
    };
    while let Ok(mut job) = rx.recv() {
        // Wait for a pause; a newer request replaces this one.
        loop {
            let wait = if job.write {
                SEARCH_QUIET
            } else {
                Duration::ZERO
            };
            match rx.recv_timeout(wait) {
                Ok(newer) => job = newer,
                Err(mpsc::RecvTimeoutError::Timeout) => break,
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            }
        }
        let current = || latest.load(Ordering::SeqCst) == job.generation;
        if !current() {
            continue;
        }
        let started = Instant::now();
        {
            let mut known = summaries.lock().unwrap_or_else(|e| e.into_inner());
            if known.site_key != job.site_key {
                known.by_path.clear();
                known.site_key = job.site_key;
            }
        }
        let todo: Vec<(&Arc<Article>, u64)> = {
            let known = summaries.lock().unwrap_or_else(|e| e.into_inner());
            job.articles
                .iter()
                .map(|a| (a, hash_of(&a.source)))
                .filter(|(a, h)| known.by_path.get(&a.path).is_none_or(|(k, _)| k != h))
                .collect()
        };
        pool.install(|| {
            todo.par_iter().for_each(|(a, hash)| {
                if !current() {
                    return;
                }
                if let Some(s) = summary_of(&job.site, a) {
                    summaries
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .by_path
                        .insert(a.path.clone(), (*hash, s));
                }
            });
        });
        if !job.write || !current() {
            continue;
        }
        let all: Option<Vec<ArticleSummary>> = {
            let known = summaries.lock().unwrap_or_else(|e| e.into_inner());
            job.articles
                .iter()
                .map(|a| known.by_path.get(&a.path).map(|(_, s)| s.clone()))
                .collect()
        };
        let Some(all) = all else { continue };
        let _folder = folder.lock().unwrap_or_else(|e| e.into_inner());
        if !current() {
            continue;
        }
        let written = pool
            .install(|| build::serve_support::write_search_index(&job.site, &job.theme, all, out));
        match written {
            Ok(_) => eprintln!("updated the search index in {:.0?}", started.elapsed()),
            Err(errors) => {
                print_diagnostics(&errors);
                eprintln!("the search index could not be updated; a full rebuild will");
            }
        }
    }
}

/// What listings and the search index need of one article, made as a build makes it.
fn summary_of(site: &Site, article: &Article) -> Option<ArticleSummary> {
    let anchored = crate::annotate::anchor(article, build::figures_enabled(site, article)).ok()?;
    let view = crate::render::article_view(site, article, &anchored);
    Some(ArticleSummary::new(site, article, &anchored, &view))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_servers_own_names_are_served() {
        let local: SocketAddr = "127.0.0.1:1111".parse().unwrap();
        for ok in [
            "localhost:1111",
            "LOCALHOST",
            "127.0.0.1:1111",
            "127.0.0.1",
            "[::1]:1111",
            "localhost:8080",
        ] {
            assert!(is_own_host(ok, local), "{ok}");
        }
        for bad in [
            "evil.example:1111",
            "localhost.evil.example:1111",
            "127.0.0.1.evil.example",
            "user@localhost:1111",
            "192.168.1.5:1111",
            "",
        ] {
            assert!(!is_own_host(bad, local), "{bad}");
        }
        // Listening on every interface: the address the connection came in on is its name.
        let lan: SocketAddr = "[::ffff:192.168.1.5]:1111".parse().unwrap();
        assert!(is_own_host("192.168.1.5:1111", lan));
        assert!(!is_own_host("192.168.1.6:1111", lan));
    }

    #[test]
    fn paths_cannot_name_another_host() {
        let local: SocketAddr = "127.0.0.1:1111".parse().unwrap();
        for (uri, host, path) in [
            ("//evil.example", "localhost", "/evil.example"),
            ("/\\evil.example?a=b", "localhost", "/evil.example?a=b"),
            ("///a/b", "localhost", "/a/b"),
            ("http://localhost:1111//x", "localhost", "/x"),
        ] {
            let req = Request::builder()
                .uri(uri)
                .header(header::HOST, host)
                .body(Body::empty())
                .unwrap();
            let req = guard(req, local).unwrap();
            assert_eq!(req.uri().to_string(), path, "{uri}");
        }
        let req = Request::builder()
            .uri("http://evil.example/")
            .header(header::HOST, "localhost")
            .body(Body::empty())
            .unwrap();
        assert_eq!(
            guard(req, local).unwrap_err().status(),
            StatusCode::FORBIDDEN
        );
    }
}
