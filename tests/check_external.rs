//! `gloss check --external` against a local HTTP server: each kind of answer, the per-host
//! pace, each address asked once, and no request at all without `--external`.
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use gloss::check::{CheckOptions, ExternalOptions, check};
use gloss::diagnostics::{Diagnostic, Severity};

/// One request the server saw.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    host: String,
    path: String,
    at: Instant,
}

/// A local server that answers by path and records every request.
struct Server {
    port: u16,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Server {
    fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let seen = Arc::new(Mutex::new(Vec::new()));
        let log = Arc::clone(&seen);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let log = Arc::clone(&log);
                std::thread::spawn(move || answer(stream, &log));
            }
        });
        Server { port, seen }
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

fn answer(mut stream: TcpStream, log: &Mutex<Vec<Seen>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let at = Instant::now();
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or("").to_string();
    let path = parts.next().unwrap_or("").to_string();
    let mut host = String::new();
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).unwrap_or(0) == 0 || header.trim().is_empty() {
            break;
        }
        if let Some(v) = header
            .split_once(':')
            .filter(|(k, _)| k.eq_ignore_ascii_case("host"))
        {
            host = v.1.trim().to_string();
        }
    }
    log.lock().unwrap().push(Seen {
        method: method.clone(),
        host,
        path: path.clone(),
        at,
    });
    let (status, extra) = match (method.as_str(), path.as_str()) {
        (_, "/ok" | "/ok2" | "/new") => ("200 OK", String::new()),
        (_, "/missing") => ("404 Not Found", String::new()),
        (_, "/gone") => ("410 Gone", String::new()),
        ("HEAD", "/no-head") => ("405 Method Not Allowed", String::new()),
        ("GET", "/no-head") => ("200 OK", String::new()),
        (_, "/moved") => ("301 Moved Permanently", "Location: /new\r\n".to_string()),
        (_, "/moved-away") => ("302 Found", "Location: /missing\r\n".to_string()),
        (_, "/broken") => ("500 Internal Server Error", String::new()),
        (_, "/slow") => {
            std::thread::sleep(Duration::from_secs(3));
            ("200 OK", String::new())
        }
        _ => ("404 Not Found", String::new()),
    };
    let _ = write!(
        stream,
        "HTTP/1.1 {status}\r\n{extra}Content-Length: 0\r\nConnection: close\r\n\r\n"
    );
}

/// A site in a temp folder.
fn site(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let p = dir.path().join(path);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    dir
}

/// A free port where nothing listens.
fn closed_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn options(interval_ms: u64) -> CheckOptions {
    CheckOptions {
        external: Some(ExternalOptions {
            per_host_interval: Duration::from_millis(interval_ms),
            timeout: Duration::from_millis(1000),
            ..ExternalOptions::default()
        }),
        ..CheckOptions::default()
    }
}

fn find<'a>(findings: &'a [Diagnostic], needle: &str) -> Vec<&'a Diagnostic> {
    findings
        .iter()
        .filter(|d| d.message.contains(needle))
        .collect()
}

#[test]
fn each_kind_of_answer_is_one_located_finding() {
    let server = Server::start();
    let base = format!("http://127.0.0.1:{}", server.port);
    let refused = format!("http://127.0.0.1:{}/x", closed_port());
    let article = format!(
        "+++\ntitle = \"A\"\ndate = 2019-07-24\nsource = {{ name = \"Q\", url = \"{base}/gone\" }}\n\
         [[claim]]\ntext = \"Eins\"\nverdict = \"true\"\nnote = \"Siehe [hier]({base}/missing).\"\n\
         sources = [\"{base}/ok\", {{ title = \"T\", url = \"{base}/broken\" }}]\n+++\n\
         Eins. [a]({base}/ok) [b]({base}/missing#teil) [c]({base}/no-head) [d]({base}/moved)\n\
         [e]({base}/moved-away) [f]({refused}) [g]({base}/slow) [h](mailto:a@b.c)\n"
    );
    let dir = site(&[
        (
            "site.toml",
            &format!(
                "title = \"T\"\nlanguage = \"de\"\n[[person]]\nname = \"Ada\"\nurl = \"{base}/missing\"\n"
            ),
        ),
        ("content/a.md", &article),
    ]);
    let report = check(dir.path(), &options(50));
    let f = &report.findings;
    let show = || format!("{f:#?}");

    // 404 in the body: an error at the link's destination, fragment and all.
    let missing = find(f, "/missing#teil`");
    assert_eq!(missing.len(), 1, "{}", show());
    let d = missing[0];
    assert_eq!(
        (d.path.to_str().unwrap(), d.line, d.severity),
        ("content/a.md", 11, Severity::Error)
    );
    assert!(d.message.contains("404 Not Found"), "{}", d.message);
    assert!(d.help.as_deref().unwrap().contains("archive"), "{d:?}");
    let line = article.lines().nth(10).unwrap();
    let col = line.find(&format!("{base}/missing#teil")).unwrap() + 1;
    assert_eq!(d.col, col, "points at [b]'s address");

    // The same 404 in the note: its own finding, in front matter.
    let in_note: Vec<_> = find(f, &format!("`{base}/missing`"))
        .into_iter()
        .filter(|d| d.path.to_str() == Some("content/a.md"))
        .collect();
    assert_eq!(in_note.len(), 1, "{}", show());
    assert_eq!(in_note[0].line, 8);

    // The registry's url: located in site.toml, after the person's name.
    let person: Vec<_> = f
        .iter()
        .filter(|d| d.path.to_str() == Some("site.toml") && d.message.contains("/missing"))
        .collect();
    assert_eq!(person.len(), 1, "{}", show());
    assert_eq!((person[0].line, person[0].col), (5, 8));

    // source.url: 410 Gone is an error too.
    let gone = find(f, "/gone`");
    assert_eq!(gone.len(), 1, "{}", show());
    assert_eq!(
        (gone[0].line, gone[0].severity),
        (4, Severity::Error),
        "{}",
        show()
    );
    assert!(gone[0].message.contains("410 Gone"));

    // sources: a 500 is a warning (the server's trouble may pass), located in the claim.
    let broken = find(f, "/broken`");
    assert_eq!(broken.len(), 1, "{}", show());
    assert_eq!((broken[0].line, broken[0].severity), (9, Severity::Warning));
    assert!(broken[0].message.contains("500 Internal Server Error"));

    // A redirect to a missing page: the status where it ended, and where that was.
    let away = find(f, "/moved-away`");
    assert_eq!(away.len(), 1, "{}", show());
    assert!(
        away[0].message.contains("404 Not Found")
            && away[0]
                .message
                .contains(&format!("redirected to {base}/missing")),
        "{}",
        away[0].message
    );

    // Network failures are warnings that say what happened.
    let refused_d = find(f, &refused);
    assert_eq!(refused_d.len(), 1, "{}", show());
    assert_eq!(refused_d[0].severity, Severity::Warning);
    assert!(refused_d[0].message.contains("refused"), "{}", show());
    let slow = find(f, "/slow`");
    assert_eq!(slow.len(), 1, "{}", show());
    assert!(
        slow[0].message.contains("no answer within 1 s"),
        "{}",
        slow[0].message
    );
    assert_eq!(slow[0].severity, Severity::Warning);

    // Fine: 200, HEAD refused but GET answered, a redirect to a page that is there.
    for ok in ["/ok`", "/no-head`", "/moved`", "mailto"] {
        assert!(find(f, ok).is_empty(), "{ok}: {}", show());
    }
    let seen = server.seen();
    let methods = |p: &str| -> Vec<String> {
        seen.iter()
            .filter(|s| s.path == p)
            .map(|s| s.method.clone())
            .collect()
    };
    assert_eq!(methods("/no-head"), ["HEAD", "GET"]);
    assert_eq!(methods("/moved"), ["HEAD"]);
    assert_eq!(methods("/new"), ["HEAD"], "the redirect was followed");
    // Used in the body and in `sources`, and with and without a fragment: asked once.
    assert_eq!(methods("/ok"), ["HEAD"]);
    assert_eq!(
        methods("/missing").len(),
        2,
        "once, and once after /moved-away"
    );

    assert_eq!(report.summary.external_links, Some(9));
    assert_eq!(report.summary.errors, 5, "{}", show());
    // The three above, Ada, whom no article quotes, and the claim that names no claimant.
    assert_eq!(report.summary.warnings, 5, "{}", show());
}

#[test]
fn one_host_is_paced_while_hosts_are_checked_side_by_side() {
    let server = Server::start();
    let port = server.port;
    // Two host names for the one local server: 127.0.0.1 and localhost.
    let links: String = ["ok", "ok2", "missing", "new"]
        .iter()
        .flat_map(|p| {
            [
                format!("[x](http://127.0.0.1:{port}/{p}) "),
                format!("[y](http://localhost:{port}/{p}) "),
            ]
        })
        .collect();
    let dir = site(&[
        ("site.toml", "title = \"T\"\nlanguage = \"de\"\n"),
        (
            "content/a.md",
            &format!("+++\ntitle = \"A\"\ndate = 2019-07-24\n+++\n{links}\n"),
        ),
    ]);
    // Long enough that a loaded machine's delays (the site checked in memory, threads
    // waiting for a core) stay well inside the margins below: at 300 ms this failed once
    // under a load of 14 on two cores.
    let interval = Duration::from_millis(1000);
    let started = Instant::now();
    let report = check(dir.path(), &options(interval.as_millis() as u64));
    let elapsed = started.elapsed();
    assert_eq!(report.summary.external_links, Some(8));
    let seen = server.seen();
    assert_eq!(seen.len(), 8, "{seen:#?}");
    for host in ["127.0.0.1", "localhost"] {
        let mut times: Vec<Instant> = seen
            .iter()
            .filter(|s| s.host.starts_with(host))
            .map(|s| s.at)
            .collect();
        times.sort();
        assert_eq!(times.len(), 4, "{host}: {seen:#?}");
        // The server stamps a request when its line arrives, after the client sent it: the
        // first request to a host also waits for its connection (for `localhost`, after a
        // refused try of ::1), later ones reuse it. Allow for that jitter; without pacing
        // the gaps are a few milliseconds.
        let jitter = Duration::from_millis(250);
        for pair in times.windows(2) {
            let gap = pair[1] - pair[0];
            assert!(
                gap + jitter >= interval,
                "{host}: {gap:?} between two requests"
            );
        }
        let span = times[3] - times[0];
        assert!(
            span + jitter >= interval * 3,
            "{host}: 4 requests in {span:?}"
        );
    }
    // Side by side: four paced requests per host take three intervals, not six.
    assert!(
        elapsed < interval * 6,
        "{elapsed:?}: the hosts were not checked concurrently"
    );
}

#[test]
fn without_external_nothing_goes_to_the_network() {
    let server = Server::start();
    let base = format!("http://127.0.0.1:{}", server.port);
    let dir = site(&[
        (
            "site.toml",
            &format!(
                "title = \"T\"\nlanguage = \"de\"\n[[person]]\nname = \"Ada\"\nurl = \"{base}/p\"\n"
            ),
        ),
        (
            "content/a.md",
            &format!(
                "+++\ntitle = \"A\"\ndate = 2019-07-24\nsource = {{ name = \"Q\", url = \"{base}/s\" }}\n+++\n[a]({base}/missing)\n"
            ),
        ),
    ]);
    let out = assert_cmd::Command::cargo_bin("gloss")
        .unwrap()
        .current_dir(dir.path())
        .arg("check")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("external"), "{text}");
    std::thread::sleep(Duration::from_millis(100));
    assert!(server.seen().is_empty(), "{:?}", server.seen());
}

#[test]
fn the_command_line_reports_dead_links_and_fails() {
    let server = Server::start();
    let base = format!("http://127.0.0.1:{}", server.port);
    let dir = site(&[
        ("site.toml", "title = \"T\"\nlanguage = \"de\"\n"),
        (
            "content/a.md",
            &format!(
                "+++\ntitle = \"A\"\ndate = 2019-07-24\n+++\n[a]({base}/missing) [b]({base}/ok)\n"
            ),
        ),
    ]);
    let out = assert_cmd::Command::cargo_bin("gloss")
        .unwrap()
        .current_dir(dir.path())
        .args(["check", "--external"])
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env_remove("ALL_PROXY")
        .env_remove("all_proxy")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    let col = "[a](".len() + 1;
    assert!(
        text.contains(&format!(
            "content/a.md:5:{col}: error: link `{base}/missing`: the server answered 404 Not Found (help: the page is gone"
        )),
        "{text}"
    );
    assert!(
        text.ends_with("; 2 external addresses checked; 1 error, 0 warnings\n"),
        "{text}"
    );
}

#[test]
fn a_gone_source_with_an_archived_copy_is_a_warning_and_sources_without_one_are_listed() {
    let server = Server::start();
    let base = format!("http://127.0.0.1:{}", server.port);
    let article = format!(
        "+++\ntitle = \"A\"\ndate = 2019-07-24\n\
         source = {{ name = \"Q\", url = \"{base}/gone\", archive = \"{base}/ok2\" }}\n\
         [[claim]]\ntext = \"Eins\"\nverdict = \"true\"\n\
         sources = [\"{base}/ok\", {{ title = \"T\", url = \"{base}/missing\", archive = \"{base}/ok\", accessed = 2024-05-03 }}, {{ title = \"U\", url = \"{base}/gone\", archive = \"{base}/missing\" }}]\n\
         +++\nEins.\n"
    );
    let dir = site(&[
        ("site.toml", "title = \"T\"\nlanguage = \"de\"\n"),
        ("content/a.md", &article),
    ]);
    let report = check(dir.path(), &options(20));
    let f = &report.findings;
    let show = || format!("{f:#?}\n{:#?}", report.unarchived);
    let line8 = article.lines().nth(7).unwrap();
    let col_of = |needle: &str, from: usize| line8[from..].find(needle).unwrap() + from + 1;

    // source.url is gone (410), its archive answers: a warning that says so.
    let gone = find(f, &format!("`{base}/gone`"));
    assert_eq!(gone.len(), 2, "{}", show());
    assert_eq!((gone[0].line, gone[0].severity), (4, Severity::Warning));
    assert!(gone[0].message.contains("archived copy"), "{}", show());
    assert!(
        gone[0]
            .help
            .as_deref()
            .unwrap()
            .contains(&format!("{base}/ok2")),
        "{}",
        show()
    );
    // U is gone and so is its archive: both errors, each at its own address.
    let u_at = line8.find("title = \"U\"").unwrap();
    assert_eq!(
        (gone[1].line, gone[1].col, gone[1].severity),
        (8, col_of(&format!("{base}/gone"), u_at), Severity::Error),
        "{}",
        show()
    );
    let missing = find(f, &format!("`{base}/missing`"));
    assert_eq!(missing.len(), 2, "{}", show());
    // T's page is gone (404) but its archive answers.
    let t_at = line8.find("title = \"T\"").unwrap();
    assert_eq!(
        (missing[0].col, missing[0].severity),
        (col_of(&format!("{base}/missing"), t_at), Severity::Warning),
        "{}",
        show()
    );
    let u_archive = line8
        .find("archive = \"")
        .map(|_| line8.rfind("archive = \"").unwrap());
    assert_eq!(
        (missing[1].col, missing[1].severity),
        (
            col_of(&format!("{base}/missing"), u_archive.unwrap()),
            Severity::Error
        ),
        "{}",
        show()
    );
    assert_eq!(report.summary.errors, 2, "{}", show());
    // The two above, and the claim that names no claimant.
    assert_eq!(report.summary.warnings, 3, "{}", show());

    // The one source without an archive is listed, at its address.
    assert_eq!(report.unarchived.len(), 1, "{}", show());
    let u = &report.unarchived[0];
    assert_eq!(
        (u.line, u.col, u.message.as_str()),
        (
            8,
            col_of(&format!("{base}/ok"), 0),
            format!("{base}/ok").as_str()
        )
    );
    assert_eq!(report.summary.unarchived_sources, Some(1));
    let text = gloss::check::to_text(&report);
    assert!(
        text.contains(&format!(
            "sources without an archived copy (1; `archive = \"…\"` adds one):\n  content/a.md:8:{}: {base}/ok\n",
            u.col
        )),
        "{text}"
    );
    assert!(
        text.contains(", 1 source without an archived copy; 2 errors"),
        "{text}"
    );
    let json: serde_json::Value = serde_json::from_str(&gloss::check::to_json(&report)).unwrap();
    assert_eq!(json["unarchived"][0]["url"], format!("{base}/ok"));
    assert_eq!(json["summary"]["unarchived_sources"], 1);
}

#[test]
fn require_archive_makes_a_source_without_one_an_error_of_check_not_of_build() {
    let article = "+++\ntitle = \"A\"\ndate = 2019-07-24\n[[note]]\ntext = \"Eins\"\nnote = \"N\"\n\
         sources = [{ title = \"T\", url = \"https://example.org/t\" }, { url = \"https://example.org/a\", archive = \"https://web.archive.org/web/2024/https://example.org/a\" }, \"kopie.pdf\"]\n+++\nEins.\n";
    let dir = site(&[
        (
            "site.toml",
            "title = \"T\"\nlanguage = \"de\"\n[check]\nrequire_archive = true\n",
        ),
        ("content/a.md", article),
    ]);
    let report = check(dir.path(), &CheckOptions::default());
    let f = &report.findings;
    assert_eq!(f.len(), 1, "{f:#?}");
    let d = &f[0];
    assert_eq!(
        (d.line, d.col, d.severity),
        (
            7,
            "sources = [{ title = \"T\", url = \"".len() + 1,
            Severity::Error
        ),
        "{d:?}"
    );
    assert_eq!(
        d.message,
        "source `https://example.org/t` has no archived copy"
    );
    assert!(
        d.help.as_deref().unwrap().contains("require_archive"),
        "{d:?}"
    );
    // A build publishes all the same: the setting is the checker's.
    gloss::build::build(dir.path(), &gloss::build::BuildOptions::default()).unwrap();
    // Without the setting, and without --external, nothing is said.
    std::fs::write(
        dir.path().join("site.toml"),
        "title = \"T\"\nlanguage = \"de\"\n",
    )
    .unwrap();
    let report = check(dir.path(), &CheckOptions::default());
    assert!(report.findings.is_empty(), "{:#?}", report.findings);
    assert!(report.unarchived.is_empty());
}
