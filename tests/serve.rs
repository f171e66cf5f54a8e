//! `gloss serve` as an editor uses it: a real server on a free port, files edited on disk,
//! pages fetched over HTTP.
use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running `gloss serve`, stopped when dropped.
struct Server {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Ok(Some(_)) = self.child.try_wait() {
            return;
        }
        // A polite stop first, so the server removes its temporary folder.
        #[cfg(unix)]
        let _ = Command::new("kill")
            .arg(self.child.id().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(3);
        while Instant::now() < deadline {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    fn start(site: &Path) -> Server {
        Server::start_in(site, &std::env::temp_dir())
    }

    /// Starts the server with `tmp` as its temporary folder.
    fn start_in(site: &Path, tmp: &Path) -> Server {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let log = site.join("serve.log");
        let child = Command::new(assert_cmd::cargo::cargo_bin("gloss"))
            .args(["serve", "--port", &port.to_string()])
            .current_dir(site)
            .env("TMPDIR", tmp)
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap())
            .spawn()
            .unwrap();
        let server = Server { child, port, log };
        server.wait_for("the server to answer", |s| s.get("/").is_some());
        server
    }

    /// Status and whole response (head and body) of `GET path`, sent exactly as written.
    fn get(&self, path: &str) -> Option<(u16, String)> {
        self.get_from(path, "localhost", Duration::from_secs(5))
    }

    /// `GET path` with `Host: host`, waiting up to `wait` for the answer.
    fn get_from(&self, path: &str, host: &str, wait: Duration) -> Option<(u16, String)> {
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).ok()?;
        stream.set_read_timeout(Some(wait)).ok()?;
        // HTTP/1.0: the response ends when the connection closes, never chunked.
        write!(stream, "GET {path} HTTP/1.0\r\nHost: {host}\r\n\r\n").ok()?;
        let mut raw = Vec::new();
        stream.read_to_end(&mut raw).ok()?;
        let text = String::from_utf8_lossy(&raw).into_owned();
        let status = text.split(' ').nth(1)?.parse().ok()?;
        Some((status, text))
    }

    fn page(&self, path: &str) -> String {
        match self.get(path) {
            Some((200, text)) => text,
            other => panic!("GET {path}: {other:?}\n{}", self.log()),
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Polls `ok` for up to 10 seconds.
    fn wait_for(&self, what: &str, ok: impl Fn(&Server) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if ok(self) {
                return;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
        panic!("timed out waiting for {what}\n{}", self.log());
    }
}

fn init_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    assert_cmd::Command::cargo_bin("gloss")
        .unwrap()
        .current_dir(dir.path())
        .args(["init", "--lang", "de"])
        .assert()
        .success();
    dir
}

/// Saves as many editors do: write a temporary file beside the target, then rename it over.
fn atomic_save(path: &Path, text: &str) {
    let tmp = path.with_extension("md.tmp-save");
    std::fs::write(&tmp, text).unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

#[test]
fn serve_follows_edits_errors_and_deletions() {
    let dir = init_site();
    let article = dir.path().join("content/beispiel.md");
    let original = std::fs::read_to_string(&article).unwrap();
    std::fs::write(
        dir.path().join("content/zweiter.md"),
        "+++\ntitle = \"Zweiter Artikel\"\ndate = 2020-01-01\n+++\nNoch ein Text.\n",
    )
    .unwrap();
    let server = Server::start(dir.path());
    assert!(
        server
            .log()
            .contains(&format!("http://127.0.0.1:{}/", server.port)),
        "{}",
        server.log()
    );
    let page = server.page("/beispiel/");
    assert!(page.contains("Radwegenetz"));
    assert!(
        page.contains("tower-livereload"),
        "the reload script is injected"
    );

    // A change to the text, saved in place.
    std::fs::write(
        &article,
        original.replace("Der Stadtrat hat", "Der neue Stadtrat hat"),
    )
    .unwrap();
    server.wait_for("the edited text", |s| {
        s.page("/beispiel/").contains("Der neue Stadtrat hat")
    });
    // Only the front matter is listed elsewhere, so the article alone was rebuilt.
    server.wait_for("the log line", |s| {
        s.log().contains("rebuilt content/beispiel.md in")
    });

    // A change to the front matter, saved atomically: the index lists the new title.
    let retitled = original.replace(
        "title = \"Stadtrat beschließt neues Radwegenetz\"",
        "title = \"Stadtrat beschließt Radwege\"",
    );
    atomic_save(&article, &retitled);
    server.wait_for("the new title on the index", |s| {
        s.page("/").contains("Stadtrat beschließt Radwege")
    });

    // A broken anchor: the last good page stays, with the error laid over it.
    let broken = retitled.replace(
        "text = \"Verkehrsausschuss\"",
        "text = \"Verkehrsauschuss\"",
    );
    atomic_save(&article, &broken);
    server.wait_for("the error overlay", |s| {
        let p = s.page("/beispiel/");
        p.contains("id=\"gloss-error\"")
            && p.contains(
                "content/beispiel.md:32:8: error: annotation `text` not found in the article",
            )
    });
    assert!(server.page("/beispiel/").contains("Radwegenetz"));
    assert!(server.log().contains("content/beispiel.md:32:8: error"));

    // Fixed: the overlay goes.
    atomic_save(&article, &retitled);
    server.wait_for("the overlay to clear", |s| {
        !s.page("/beispiel/").contains("gloss-error")
    });

    // A deleted article disappears.
    assert!(server.page("/zweiter/").contains("Noch ein Text"));
    std::fs::remove_file(dir.path().join("content/zweiter.md")).unwrap();
    server.wait_for("the deleted article to go", |s| {
        s.get("/zweiter/").is_some_and(|(status, _)| status == 404)
    });
}

#[test]
fn serve_never_serves_files_outside_its_output() {
    let dir = init_site();
    std::fs::write(dir.path().join("secret.txt"), "TOP-SECRET").unwrap();
    let server = Server::start(dir.path());
    for path in [
        "/../site.toml",
        "/../secret.txt",
        "/%2e%2e/secret.txt",
        "/%2E%2E/%2e%2e/secret.txt",
        "/beispiel/..%2f..%2fsecret.txt",
        "/beispiel/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/..\\..\\secret.txt",
    ] {
        let (status, text) = server.get(path).unwrap();
        assert!((400..500).contains(&status), "{path}: {status}");
        assert!(
            !text.contains("TOP-SECRET") && !text.contains("root:"),
            "{path}"
        );
    }
    // Request bodies are limited: a preview server has no use for large uploads.
    let mut stream = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    let body = vec![b'x'; 1024 * 1024];
    let _ = write!(
        stream,
        "POST / HTTP/1.0\r\nHost: localhost\r\nContent-Length: {}\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(&body);
    let mut raw = String::new();
    let _ = stream.read_to_string(&mut raw);
    let status: u16 = raw.split(' ').nth(1).unwrap().parse().unwrap();
    assert!((400..500).contains(&status), "POST: {status}");
}

#[test]
fn serve_rerenders_templates_copies_static_files_and_keeps_search_current() {
    let dir = init_site();
    let article = dir.path().join("content/beispiel.md");
    let original = std::fs::read_to_string(&article).unwrap();
    let server = Server::start(dir.path());
    let full_builds = |s: &Server| s.log().matches("built 1 articles").count();

    // A word that is nowhere yet, added to the text: the page at once, the index after a pause.
    std::fs::write(
        &article,
        original.trim_end().to_string() + "\n\nQuokkaschwanz.\n",
    )
    .unwrap();
    server.wait_for("the edited page", |s| {
        s.page("/beispiel/").contains("Quokkaschwanz")
    });
    server.wait_for("the search index to have the new word", |s| {
        s.get("/search/i/t/qu.js")
            .is_some_and(|(status, text)| status == 200 && text.contains("\"quokkaschwanz\""))
    });
    assert!(server.log().contains("rebuilt content/beispiel.md in"));
    // The index files are in place a moment before the line saying so is printed.
    server.wait_for("the search index's log line", |s| {
        s.log().contains("updated the search index in")
    });

    // A template of the site's own. The folder is new: that is a full build, which starts
    // watching it.
    let before = full_builds(&server);
    let templates = dir.path().join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        templates.join("404.html"),
        "<!DOCTYPE html><html><body><p>Nichts hier (eigene Vorlage)</p></body></html>",
    )
    .unwrap();
    server.wait_for("the new 404 page", |s| {
        full_builds(s) > before
            && s.get("/404.html")
                .is_some_and(|(_, text)| text.contains("eigene Vorlage"))
    });
    // A change to it renders every page again, from memory.
    let before = full_builds(&server);
    std::fs::write(
        templates.join("404.html"),
        "<!DOCTYPE html><html><body><p>Nichts hier (zweite Fassung)</p></body></html>",
    )
    .unwrap();
    server.wait_for("the changed 404 page", |s| {
        s.get("/404.html")
            .is_some_and(|(_, text)| text.contains("zweite Fassung"))
    });
    server.wait_for("the log line", |s| {
        s.log().contains("rebuilt templates/404.html in")
    });
    assert_eq!(full_builds(&server), before, "{}", server.log());
    assert!(server.page("/beispiel/").contains("Quokkaschwanz"));

    // A static file in a new folder (a full build), then changed: only copied.
    let before = full_builds(&server);
    let statics = dir.path().join("static");
    std::fs::create_dir_all(&statics).unwrap();
    std::fs::write(statics.join("extra.css"), "p { color: red }").unwrap();
    server.wait_for("the new static file", |s| {
        full_builds(s) > before
            && s.get("/extra.css")
                .is_some_and(|(status, text)| status == 200 && text.contains("color: red"))
    });
    let before = full_builds(&server);
    std::fs::write(statics.join("extra.css"), "p { color: blue }").unwrap();
    server.wait_for("the changed static file", |s| {
        s.get("/extra.css")
            .is_some_and(|(_, text)| text.contains("color: blue"))
    });
    server.wait_for("the log line", |s| {
        s.log().contains("rebuilt static/extra.css in")
    });
    assert_eq!(full_builds(&server), before, "{}", server.log());
}

#[cfg(unix)]
#[test]
fn serve_stops_at_once_on_ctrl_c_while_a_tab_waits_for_reloads() {
    let dir = init_site();
    let tmp = tempfile::tempdir().unwrap();
    let mut server = Server::start_in(dir.path(), tmp.path());
    // What an open tab holds: the live-reload event stream, answered and kept open.
    let mut tab = TcpStream::connect(("127.0.0.1", server.port)).unwrap();
    tab.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        tab,
        "GET /_tower-livereload/event-stream HTTP/1.1\r\nHost: localhost\r\n\r\n"
    )
    .unwrap();
    let mut seen = Vec::new();
    let mut buf = [0; 1024];
    while !String::from_utf8_lossy(&seen).contains("event: init") {
        let n = tab.read(&mut buf).unwrap();
        assert!(
            n > 0,
            "the stream ended: {}",
            String::from_utf8_lossy(&seen)
        );
        seen.extend_from_slice(&buf[..n]);
    }
    let stopped = Instant::now();
    let status = Command::new("kill")
        .args(["-INT", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let deadline = stopped + Duration::from_secs(10);
    let exit = loop {
        if let Some(exit) = server.child.try_wait().unwrap() {
            break exit;
        }
        assert!(
            Instant::now() < deadline,
            "still running 10 s after Ctrl-C\n{}",
            server.log()
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    // The grace for requests under way is half a second; the rest is a busy machine.
    assert!(
        stopped.elapsed() < Duration::from_secs(4),
        "took {:?} to stop",
        stopped.elapsed()
    );
    assert!(exit.success(), "{exit:?}\n{}", server.log());
    // And it cleaned up after itself.
    let left: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert!(left.is_empty(), "{left:?}");
}

#[test]
fn serve_answers_only_to_its_own_host_names() {
    let dir = init_site();
    let server = Server::start(dir.path());
    let wait = Duration::from_secs(5);
    let port = server.port;
    for host in [
        format!("localhost:{port}"),
        format!("127.0.0.1:{port}"),
        "localhost".to_string(),
    ] {
        let (status, text) = server.get_from("/beispiel/", &host, wait).unwrap();
        assert_eq!(status, 200, "{host}");
        assert!(text.contains("Radwegenetz"), "{host}");
    }
    // A page of evil.example whose name now points to 127.0.0.1 (DNS rebinding).
    for host in [
        format!("evil.example:{port}"),
        format!("localhost.evil.example:{port}"),
        format!("127.0.0.1.nip.io:{port}"),
    ] {
        let (status, text) = server.get_from("/beispiel/", &host, wait).unwrap();
        assert_eq!(status, 403, "{host}: {text}");
        assert!(!text.contains("Radwegenetz"), "{host}");
        assert!(text.contains("answers only to localhost"), "{text}");
    }
    // Or naming its host in the request line.
    let (status, text) = server
        .get_from("http://evil.example/beispiel/", "localhost", wait)
        .unwrap();
    assert_eq!(status, 403, "{text}");
}

#[test]
fn serve_never_redirects_to_another_host() {
    let dir = init_site();
    // A folder whose name is a host: its redirect to the trailing slash must stay here.
    std::fs::create_dir_all(dir.path().join("static/evil.example")).unwrap();
    std::fs::write(
        dir.path().join("static/evil.example/index.html"),
        "<p>here</p>",
    )
    .unwrap();
    let server = Server::start(dir.path());
    assert!(server.page("/evil.example/").contains("here"));
    for path in [
        "//evil.example",
        "/\\evil.example",
        "///evil.example",
        "//evil.example?x",
    ] {
        let (status, text) = server.get(path).unwrap();
        let location = text
            .lines()
            .find_map(|l| l.strip_prefix("location: "))
            .unwrap_or("");
        assert!(
            status == 200 || (300..400).contains(&status) || status == 404,
            "{path}: {status}"
        );
        if (300..400).contains(&status) {
            assert!(
                location.starts_with('/')
                    && !location.starts_with("//")
                    && !location.starts_with("/\\"),
                "{path} redirects to {location}"
            );
        }
    }
}

#[cfg(unix)]
#[test]
fn serve_keeps_its_folder_to_its_user() {
    use std::os::unix::fs::PermissionsExt;
    let dir = init_site();
    let tmp = tempfile::tempdir().unwrap();
    let server = Server::start_in(dir.path(), tmp.path());
    let folders: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(folders.len(), 1, "{folders:?}");
    let mode = std::fs::metadata(&folders[0]).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o700, "{:o}", mode);
    drop(server);
}

#[test]
fn serve_closes_idle_connections_and_serves_while_at_its_limit() {
    // More idle connections than the server serves at once (128): it must close them after
    // its header timeout (5 s) and meanwhile still answer a real request.
    const IDLE: usize = 150;
    let dir = init_site();
    let server = Server::start(dir.path());
    #[cfg(target_os = "linux")]
    let sockets = || {
        std::fs::read_dir(format!("/proc/{}/fd", server.child.id()))
            .unwrap()
            .filter_map(|e| std::fs::read_link(e.unwrap().path()).ok())
            .filter(|l| l.to_string_lossy().starts_with("socket:"))
            .count()
    };
    #[cfg(target_os = "linux")]
    let before = sockets();
    let opened = Instant::now();
    let mut idle: Vec<TcpStream> = (0..IDLE)
        .map(|_| TcpStream::connect(("127.0.0.1", server.port)).unwrap())
        .collect();
    // The rest wait to be accepted, taking none of the server's file descriptors.
    #[cfg(target_os = "linux")]
    {
        // Well within the header timeout: none of them has been closed yet.
        let mut most = 0;
        while opened.elapsed() < Duration::from_secs(3) {
            most = most.max(sockets());
            std::thread::sleep(Duration::from_millis(20));
        }
        let held = most.saturating_sub(before);
        assert!((32..=128).contains(&held), "{held} connections held");
    }
    // Half of them sent the start of a request and then nothing (slowloris).
    for s in idle.iter_mut().step_by(2) {
        s.write_all(b"GET / HTTP/1.1\r\nHost: loc").unwrap();
    }
    let (status, text) = server
        .get_from("/beispiel/", "localhost", Duration::from_secs(60))
        .unwrap_or_else(|| panic!("no answer at the limit\n{}", server.log()));
    assert_eq!(status, 200);
    assert!(text.contains("Radwegenetz"));
    let deadline = opened + Duration::from_secs(60);
    for (i, s) in idle.iter_mut().enumerate() {
        let left = deadline.saturating_duration_since(Instant::now());
        s.set_read_timeout(Some(left.max(Duration::from_millis(1))))
            .unwrap();
        let mut buf = [0; 4096];
        // Closed: the end of the stream (after a 408 for a started request), or a reset.
        loop {
            match s.read(&mut buf) {
                Ok(0) => break,
                Ok(_) => continue,
                Err(e) if e.kind() == std::io::ErrorKind::ConnectionReset => break,
                Err(e) => panic!("connection {i} still open after 60 s: {e}"),
            }
        }
    }
    // Not closed at once either: they had their time to send a request.
    assert!(
        opened.elapsed() >= Duration::from_secs(4),
        "{:?}",
        opened.elapsed()
    );
}

#[test]
fn serve_records_no_published_ids() {
    let dir = init_site();
    let record = dir.path().join("published-ids.jsonl");
    let article = dir.path().join("content/beispiel.md");
    let original = std::fs::read_to_string(&article).unwrap();
    let server = Server::start(dir.path());
    std::fs::write(
        &article,
        original.replace("Der Stadtrat hat", "Der neue Stadtrat hat"),
    )
    .unwrap();
    server.wait_for("the log line", |s| {
        s.log().contains("rebuilt content/beispiel.md in")
    });
    assert!(!record.exists(), "{}", server.log());
}

/// A `width` × `height` picture, saved as editors' tools do: beside, then renamed over.
fn save_picture(path: &Path, width: u32, height: u32) {
    let tmp = path.with_extension("tmp.jpg");
    image::RgbImage::from_fn(width, height, |x, _| image::Rgb([(x % 256) as u8, 90, 160]))
        .save(&tmp)
        .unwrap();
    std::fs::rename(&tmp, path).unwrap();
}

#[test]
fn serve_shows_a_replaced_photo_at_its_new_size() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("site.toml"),
        "title = \"T\"\nlanguage = \"de\"\n",
    )
    .unwrap();
    let bundle = dir.path().join("content/x");
    std::fs::create_dir_all(&bundle).unwrap();
    std::fs::write(
        bundle.join("index.md"),
        "+++\ntitle = \"X\"\ndate = 2026-01-01\n+++\n![Ein Foto](photo.jpg)\n",
    )
    .unwrap();
    save_picture(&bundle.join("photo.jpg"), 1000, 500);
    let server = Server::start(dir.path());
    assert!(server.page("/x/").contains("width=\"1000\" height=\"500\""));
    assert!(
        server
            .get("/x/photo.1600w.jpg")
            .is_some_and(|(s, _)| s == 404)
    );
    save_picture(&bundle.join("photo.jpg"), 2000, 1000);
    server.wait_for("the new size", |s| {
        s.page("/x/").contains("width=\"1600\" height=\"800\"")
    });
    assert!(server.page("/x/photo.1600w.jpg").contains("200 OK"));
}

#[test]
fn serve_answers_a_missing_address_with_the_themes_404_page() {
    let dir = init_site();
    let server = Server::start(dir.path());
    for path in ["/no/such/page/", "/missing.html"] {
        let (status, text) = server.get(path).unwrap();
        assert_eq!(status, 404, "{path}: {text}");
        // The theme's page, styled from this server (site.toml's base_url is not live yet).
        assert!(text.contains("<main"), "{path}: {text}");
        assert!(text.contains("href=\"/gloss.css\""), "{path}: {text}");
        assert!(text.contains("href=\"/favicon.svg\""), "{path}: {text}");
        assert!(text.contains("href=\"/index.html\""), "{path}: {text}");
    }
    // And its stylesheet is there.
    assert!(server.page("/gloss.css").contains("gl-"));
    let icon = server.page("/favicon.svg");
    assert!(
        icon.contains("content-type: image/svg+xml") && icon.contains("<svg "),
        "{icon}"
    );
}
