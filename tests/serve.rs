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
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let log = site.join("serve.log");
        let child = Command::new(assert_cmd::cargo::cargo_bin("gloss"))
            .args(["serve", "--port", &port.to_string()])
            .current_dir(site)
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
        let mut stream = TcpStream::connect(("127.0.0.1", self.port)).ok()?;
        stream.set_read_timeout(Some(Duration::from_secs(5))).ok()?;
        // HTTP/1.0: the response ends when the connection closes, never chunked.
        write!(stream, "GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").ok()?;
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
