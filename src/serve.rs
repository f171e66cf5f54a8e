//! `gloss serve`: build the site into a private folder, serve it, rebuild on every change and
//! reload the browser. A failed rebuild keeps the last good site and shows the error over it.
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
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
use tower_http::services::{ServeDir, ServeFile};
use tower_livereload::{LiveReloadLayer, Reloader};

use crate::build::{self, BuildOptions, Session};
use crate::config::SITE_FILE;
use crate::content::CONTENT_DIR;
use crate::diagnostics::{Diagnostic, Severity};

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
    /// Include articles dated after today.
    pub future: bool,
    /// Never write: the preview's editor is off.
    pub read_only: bool,
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
    let mut worker = Worker::new(root, &out, opts.drafts);
    worker.future = opts.future;
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
    // The editor's routes, and its lines in article pages (see `edit::http` for its rules).
    let editor = Arc::new(crate::edit::http::Editor::new(root, addr, opts.read_only));
    let edit_route = axum::routing::any(crate::edit::http::route).with_state(Arc::clone(&editor));
    let app = Router::new()
        .route(crate::edit::http::PREFIX, edit_route.clone())
        .route(
            &format!("{}/{{*rest}}", crate::edit::http::PREFIX),
            edit_route,
        )
        .fallback_service(
            ServeDir::new(&out)
                .append_index_html_on_directories(true)
                // The theme's page for a missing address, with status 404, as a host serves it.
                .not_found_service(ServeFile::new(out.join("404.html"))),
        )
        .layer(middleware::from_fn_with_state(
            Arc::clone(&editor),
            crate::edit::http::add_to_pages,
        ))
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

/// Runs the builds, one at a time, on its own thread.
struct Worker {
    root: PathBuf,
    out: PathBuf,
    drafts: bool,
    /// Publish articles dated after today.
    future: bool,
    /// The site's build session as of the last full build, kept up to date by quick
    /// rebuilds; `None` until a full build succeeded.
    session: Option<Session>,
    /// Whether the last full build failed: then only a full build can clear the error.
    last_full_failed: bool,
    /// Whether quick rebuilds changed what the search index holds: it is rewritten once the
    /// site has been quiet for [`SEARCH_QUIET`].
    search_due: bool,
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
    fn new(root: &Path, out: &Path, drafts: bool) -> Worker {
        Worker {
            root: root.to_path_buf(),
            out: out.to_path_buf(),
            drafts,
            future: false,
            session: None,
            last_full_failed: false,
            search_due: false,
            watcher: None,
        }
    }

    fn run(
        mut self,
        rx: mpsc::Receiver<DebounceEventResult>,
        shared: &Shared,
        reloader: &Reloader,
    ) {
        loop {
            // The search index waits for a pause: an editor who saves again and again gets
            // the page at once, the index (which covers the whole site) once they stop.
            let first = if self.search_due {
                match rx.recv_timeout(SEARCH_QUIET) {
                    Ok(first) => first,
                    Err(mpsc::RecvTimeoutError::Timeout) => {
                        self.write_search();
                        continue;
                    }
                    Err(mpsc::RecvTimeoutError::Disconnected) => return,
                }
            } else {
                match rx.recv() {
                    Ok(first) => first,
                    Err(_) => return,
                }
            };
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
            if self.apply(paths, shared) {
                reloader.reload();
            }
        }
    }

    /// Rebuilds what the changed `paths` need; returns whether the browser should reload.
    fn apply(&mut self, mut paths: Vec<PathBuf>, shared: &Shared) -> bool {
        let started = Instant::now();
        paths.sort();
        paths.dedup();
        let changed = match self.plan(&paths) {
            Plan::Nothing => return false,
            Plan::Everything => {
                self.rebuild_all(shared);
                return false;
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
        true
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
        if other || self.last_full_failed || self.session.is_none() {
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
        let result = self.session.as_mut()?.update_articles(files, &self.out)?;
        // The page is served already; the search index follows once the editor pauses.
        self.search_due |= result.is_ok();
        Some(result)
    }

    /// Renders every page again with the changed templates, from what the session holds.
    fn rerender(&mut self) -> Option<Result<Vec<Diagnostic>, Vec<Diagnostic>>> {
        let result = self.session.as_mut()?.rerender(&self.out);
        // Some pages may be new and some old: only a full build can set that right.
        self.last_full_failed |= result.is_err();
        Some(result)
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

    /// A full build into the served folder, with the session the last one left (what it
    /// parsed is not parsed again); on failure the last good site and session stay.
    fn rebuild_all(&mut self, shared: &Shared) {
        let opts = BuildOptions {
            out: Some(self.out.clone()),
            drafts: self.drafts,
            future: self.future,
            preview: true,
            ..BuildOptions::default()
        };
        // The build writes a fresh search index: a pending rewrite of the old one is void.
        self.search_due = false;
        let next = match &self.session {
            Some(session) => session.reopen(),
            None => Session::open(&self.root, &opts).map(|mut s| {
                s.keep_articles();
                s
            }),
        };
        let built = next.and_then(|mut session| {
            let out = build::output::check_location(
                &self.root,
                &self.out,
                build::output::OutputFrom::CommandLine,
            )
            .map_err(|e| vec![e.into()])?;
            session.build(&out).map(|report| (session, report))
        });
        match built {
            Ok((session, report)) => {
                print_diagnostics(&report.warnings);
                eprintln!(
                    "built {} articles, {} pages in {:.0?}",
                    report.articles, report.pages, report.elapsed
                );
                self.last_full_failed = false;
                set_error(shared, None);
                self.session = Some(session);
            }
            Err(errors) => {
                self.last_full_failed = true;
                report_errors(shared, &errors);
            }
        }
    }

    /// Rewrites the search index for the site as the session holds it now.
    fn write_search(&mut self) {
        self.search_due = false;
        let Some(session) = &self.session else {
            return;
        };
        let started = Instant::now();
        match session.write_search(&self.out) {
            Ok(()) => eprintln!("updated the search index in {:.0?}", started.elapsed()),
            Err(errors) => {
                print_diagnostics(&errors);
                eprintln!("the search index could not be updated; a full rebuild will");
            }
        }
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
    let mut err = std::io::BufWriter::new(anstream::stderr().lock());
    let _ = crate::diagnostics::write_all(&mut err, diagnostics, color);
    let _ = err.flush();
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

#[cfg(test)]
mod tests {
    use super::*;

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// The one session serve keeps: after the full build, a template change renders from
    /// what it holds, an edit parses that article alone, the search index parses nothing.
    #[test]
    fn after_a_full_build_only_what_changes_is_parsed() {
        let site = tempfile::tempdir().unwrap();
        let out = tempfile::tempdir().unwrap();
        let out = out.path().join("site");
        let root = site.path();
        write(
            &root.join("site.toml"),
            "title = \"T\"\nlanguage = \"de\"\n",
        );
        let article = |body: &str| {
            format!(
                "+++\ntitle = \"A\"\ndate = 2019-07-24\n[[note]]\ntext = \"Eins\"\nnote = \"n\"\n+++\n{body}\n"
            )
        };
        write(&root.join("content/a.md"), &article("Eins."));
        write(&root.join("content/b.md"), &article("Eins, zwei."));
        write(
            &root.join("templates/404.html"),
            "<!DOCTYPE html><html><body><p>erste</p></body></html>",
        );
        let shared = Shared::default();
        let mut worker = Worker::new(root, &out, false);
        worker.rebuild_all(&shared);
        let parses = |w: &Worker| w.session.as_ref().unwrap().parses();
        assert_eq!(
            parses(&worker),
            2,
            "the full build parses each article once"
        );

        write(
            &root.join("templates/404.html"),
            "<!DOCTYPE html><html><body><p>zweite</p></body></html>",
        );
        worker.apply(vec![root.join("templates/404.html")], &shared);
        assert!(
            std::fs::read_to_string(out.join("404.html"))
                .unwrap()
                .contains("zweite")
        );
        assert_eq!(parses(&worker), 2, "a template change parses nothing");

        write(&root.join("content/a.md"), &article("Eins. Quokka."));
        worker.apply(vec![root.join("content/a.md")], &shared);
        assert!(
            std::fs::read_to_string(out.join("a/index.html"))
                .unwrap()
                .contains("Quokka")
        );
        assert_eq!(parses(&worker), 3, "an edit parses that article alone");
        assert!(worker.search_due);
        worker.write_search();
        assert_eq!(
            parses(&worker),
            3,
            "the search index is made from summaries"
        );
        let shard = std::fs::read_to_string(out.join("search/i/t/qu.js")).unwrap();
        assert!(shard.contains("\"quokka\""), "{shard}");
        assert!(shared.error.read().unwrap().is_none());
    }

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
