//! The preview's editor on the server side: what `gloss serve` answers below [`PREFIX`], and
//! the lines it adds to a served article page.
//!
//! Only the editor at this computer can write. Writing is on only when the server listens on
//! a loopback address and was not started `--read-only`; a request must name the server by
//! a loopback name and its port in `Host` (no DNS rebinding) and in `Origin` (no page of
//! another site), carry the per-run token the served page holds in a custom header (which
//! no other origin can send without a preflight this server never grants), send JSON, stay
//! small, and name a `.md` file below `content/`.
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use axum::http::{HeaderMap, Method, StatusCode, header};
use serde::Deserialize;
use serde_json::{Value, json};

use super::anchor::Selection;
use super::writer::{FieldValue, Source, WriteError};
use super::{Change, EditError};
use crate::config::Site;
use crate::content::Kind;

/// Where the editor's requests go.
pub const PREFIX: &str = "/_gloss/edit";

/// The header that carries the token.
pub const TOKEN_HEADER: &str = "x-gloss-token";

/// The largest request body the editor reads: an annotation with a long note and sources.
pub const MAX_BODY: usize = 16 * 1024;

/// The words the editor shows, from the page's locale.
const WORDS: [&str; 37] = [
    "claim",
    "quote",
    "note",
    "figure",
    "correction",
    "verdict",
    "sources",
    "claimed_by",
    "correct_is",
    "edit_toolbar",
    "edit_selected",
    "edit_statement",
    "edit_date",
    "edit_conclusion",
    "edit_speaker",
    "edit_role",
    "edit_value",
    "edit_unit",
    "edit_note",
    "edit_markdown",
    "edit_source",
    "edit_source_url",
    "edit_source_title",
    "edit_source_archive",
    "edit_source_accessed",
    "edit_add_source",
    "edit_remove_source",
    "edit_save",
    "edit_cancel",
    "edit_edit",
    "edit_delete",
    "edit_confirm_delete",
    "edit_saved",
    "edit_conflict",
    "edit_reload",
    "edit_failed",
    "edit_in_note",
];

const SCRIPT: &str = include_str!("ui/editor.js");
const STYLE: &str = include_str!("ui/editor.css");

/// The editor of one `gloss serve` run.
#[derive(Debug)]
pub struct Editor {
    root: PathBuf,
    token: String,
    port: u16,
    /// Why writing is off, if it is.
    off: Option<&'static str>,
}

/// An answer: status and JSON (or a script or style sheet for the page).
#[derive(Debug)]
pub struct Answer {
    /// HTTP status.
    pub status: StatusCode,
    /// `Content-Type`.
    pub content_type: &'static str,
    /// The body.
    pub body: String,
}

impl Answer {
    fn json(status: StatusCode, v: Value) -> Answer {
        Answer {
            status,
            content_type: "application/json",
            body: v.to_string(),
        }
    }

    fn refuse(status: StatusCode, why: impl Into<String>) -> Answer {
        Answer::json(status, json!({ "ok": false, "error": why.into() }))
    }
}

/// A save or removal, as the page sends it.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Request {
    path: String,
    fingerprint: String,
    action: String,
    #[serde(default)]
    kind: Option<Kind>,
    #[serde(default)]
    selection: Option<Selection>,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    fields: serde_json::Map<String, Value>,
}

impl Editor {
    /// The editor of a server for the site at `root`, listening at `local`.
    pub fn new(root: &Path, local: SocketAddr, read_only: bool) -> Editor {
        let mut bytes = [0u8; 16];
        let off = if read_only {
            Some("gloss serve was started with --read-only")
        } else if !local.ip().to_canonical().is_loopback() {
            Some(
                "gloss serve listens beyond this computer; writing is on only on a loopback address",
            )
        } else if getrandom::fill(&mut bytes).is_err() {
            Some("no random token could be made")
        } else {
            None
        };
        Editor {
            root: root.to_path_buf(),
            token: bytes.iter().map(|b| format!("{b:02x}")).collect(),
            port: local.port(),
            off,
        }
    }

    /// Whether the preview may write.
    pub fn writable(&self) -> bool {
        self.off.is_none()
    }

    /// This run's token (what the served pages carry).
    pub fn token(&self) -> &str {
        &self.token
    }

    /// Whether `authority` (`name:port`) is this server by a loopback name and its port.
    fn is_own(&self, authority: &str) -> bool {
        let Some((host, port)) = authority.rsplit_once(':') else {
            return false;
        };
        port.parse() == Ok(self.port)
            && (host.eq_ignore_ascii_case("localhost")
                || host
                    .strip_prefix('[')
                    .and_then(|h| h.strip_suffix(']'))
                    .unwrap_or(host)
                    .parse::<std::net::IpAddr>()
                    .is_ok_and(|ip| ip.to_canonical().is_loopback()))
    }

    /// Why a request may not use the editor, if it may not.
    fn check(&self, method: &Method, headers: &HeaderMap) -> Option<Answer> {
        let get = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        if let Some(why) = self.off {
            return Some(Answer::refuse(
                StatusCode::FORBIDDEN,
                format!("writing is off: {why}"),
            ));
        }
        let host = get(header::HOST.as_str()).unwrap_or("");
        if !self.is_own(host) {
            return Some(Answer::refuse(
                StatusCode::FORBIDDEN,
                "the request does not name this server (Host): only pages of this preview may write",
            ));
        }
        let origin = get(header::ORIGIN.as_str());
        let origin_ok = match origin {
            Some(o) => o
                .strip_prefix("http://")
                .is_some_and(|a| a.eq_ignore_ascii_case(host)),
            // Browsers send no Origin with a same-origin GET; every other request needs one.
            None => method == Method::GET,
        };
        let site_ok = get("sec-fetch-site").is_none_or(|s| s == "same-origin");
        if !origin_ok || !site_ok {
            return Some(Answer::refuse(
                StatusCode::FORBIDDEN,
                "the request comes from another site (Origin): only pages of this preview may write",
            ));
        }
        let token = get(TOKEN_HEADER).unwrap_or("");
        if !same(token.as_bytes(), self.token.as_bytes()) {
            return Some(Answer::refuse(
                StatusCode::FORBIDDEN,
                "the request lacks this run's token: reload the page (the server may have restarted)",
            ));
        }
        None
    }

    /// Answers a request for `path` (below [`PREFIX`]) with `query` and `body`.
    pub fn respond(
        &self,
        method: &Method,
        path: &str,
        query: Option<&str>,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Answer {
        let rest = path.strip_prefix(PREFIX).unwrap_or(path);
        // The editor's own code is no secret, and a read-only preview serves none.
        match (method, rest) {
            (&Method::GET, "/editor.js") if self.writable() => {
                return Answer {
                    status: StatusCode::OK,
                    content_type: "text/javascript; charset=utf-8",
                    body: SCRIPT.to_string(),
                };
            }
            (&Method::GET, "/editor.css") if self.writable() => {
                return Answer {
                    status: StatusCode::OK,
                    content_type: "text/css; charset=utf-8",
                    body: STYLE.to_string(),
                };
            }
            _ => {}
        }
        if let Some(refusal) = self.check(method, headers) {
            return refusal;
        }
        if body.len() > MAX_BODY {
            return Answer::refuse(
                StatusCode::PAYLOAD_TOO_LARGE,
                format!("the request is larger than {MAX_BODY} bytes"),
            );
        }
        match (method, rest) {
            (&Method::GET, "/article") => {
                let path = query
                    .and_then(|q| q.split('&').find_map(|kv| kv.strip_prefix("path=")))
                    .map(|p| {
                        percent_encoding::percent_decode_str(p)
                            .decode_utf8_lossy()
                            .into_owned()
                    })
                    .unwrap_or_default();
                self.describe(&path)
            }
            (&Method::POST, "") => {
                let is_json = headers
                    .get(header::CONTENT_TYPE)
                    .and_then(|v| v.to_str().ok())
                    .is_some_and(|v| v.starts_with("application/json"));
                if !is_json {
                    return Answer::refuse(
                        StatusCode::UNSUPPORTED_MEDIA_TYPE,
                        "the request must be JSON (Content-Type: application/json)",
                    );
                }
                match serde_json::from_slice::<Request>(body) {
                    Ok(req) => self.change(req),
                    Err(e) => Answer::refuse(
                        StatusCode::BAD_REQUEST,
                        format!("not a request the editor understands: {e}"),
                    ),
                }
            }
            _ => Answer::refuse(StatusCode::NOT_FOUND, "no such editor request"),
        }
    }

    fn site(&self) -> Result<Site, Answer> {
        Site::load(&self.root).map_err(|d| {
            Answer::refuse(
                StatusCode::UNPROCESSABLE_ENTITY,
                d.iter()
                    .map(|d| d.render(false))
                    .collect::<Vec<_>>()
                    .join("\n"),
            )
        })
    }

    /// The article's annotations with their keys, the site's verdicts and people: what
    /// the page's forms offer.
    fn describe(&self, rel: &str) -> Answer {
        let site = match self.site() {
            Ok(s) => s,
            Err(a) => return a,
        };
        let path = match super::resolve(&self.root, rel) {
            Ok(p) => p,
            Err(e) => return Answer::refuse(StatusCode::FORBIDDEN, e.to_string()),
        };
        let Ok(text) = std::fs::read_to_string(&path) else {
            return Answer::refuse(StatusCode::NOT_FOUND, format!("cannot read {rel}"));
        };
        let article = match super::load(&site, Path::new(rel), &text) {
            Ok(a) => a,
            Err(e) => return Answer::refuse(StatusCode::UNPROCESSABLE_ENTITY, e.to_string()),
        };
        let tables: toml::Table = super::writer::front_matter_of(&text)
            .and_then(|fm| toml::from_str(fm).ok())
            .unwrap_or_default();
        let annotations: Vec<Value> = article
            .annotations
            .iter()
            .map(|a| {
                let table = tables
                    .get(a.kind.key())
                    .and_then(|v| v.as_array())
                    .and_then(|l| l.get(a.position - 1))
                    .map(json_of)
                    .unwrap_or(Value::Null);
                json!({ "id": a.id, "kind": a.kind.key(), "fields": table })
            })
            .collect();
        let lang = article.meta.lang;
        let locale = site.locales.get(lang);
        let words: serde_json::Map<String, Value> = WORDS
            .iter()
            .map(|k| (k.to_string(), json!(locale.words.get(k))))
            .collect();
        let verdicts: Vec<Value> = site
            .scale
            .verdicts
            .iter()
            .map(|v| json!({ "key": v.key, "label": v.label.get(lang), "tone": site.scale.tone(&v.key) }))
            .collect();
        let people: Vec<Value> = site
            .people
            .iter()
            .map(|p| json!({ "name": p.name, "role": p.role }))
            .collect();
        Answer::json(
            StatusCode::OK,
            json!({
                "ok": true,
                "fingerprint": super::writer::fingerprint(text.as_bytes()),
                "annotations": annotations,
                "verdicts": verdicts,
                "people": people,
                "words": words,
            }),
        )
    }

    fn change(&self, req: Request) -> Answer {
        let site = match self.site() {
            Ok(s) => s,
            Err(a) => return a,
        };
        let change = match change_of(
            req.action.as_str(),
            req.kind,
            req.selection,
            req.id,
            &req.fields,
        ) {
            Ok(c) => c,
            Err(why) => return Answer::refuse(StatusCode::BAD_REQUEST, why),
        };
        match super::apply(&site, &req.path, &req.fingerprint, &change) {
            Ok((planned, fingerprint)) => Answer::json(
                StatusCode::OK,
                json!({ "ok": true, "id": planned.id, "fingerprint": fingerprint }),
            ),
            Err(e) => {
                let status = match &e {
                    EditError::Write(WriteError::Changed) => StatusCode::CONFLICT,
                    EditError::Path(_) => StatusCode::FORBIDDEN,
                    EditError::UnknownId(_) => StatusCode::NOT_FOUND,
                    EditError::Write(WriteError::Io(_)) => StatusCode::INTERNAL_SERVER_ERROR,
                    _ => StatusCode::UNPROCESSABLE_ENTITY,
                };
                let conflict = status == StatusCode::CONFLICT;
                Answer::json(
                    status,
                    json!({ "ok": false, "error": e.to_string(), "conflict": conflict }),
                )
            }
        }
    }

    /// The article file a served page at `url_path` (`/2019/a/`, `/2019/a/index.html`) was
    /// made from, relative to the site root, if there is one.
    pub fn source_of(&self, url_path: &str) -> Option<String> {
        let p = url_path.trim_start_matches('/');
        let p = p.strip_suffix("index.html").unwrap_or(p);
        let p = p.strip_suffix('/')?;
        if p.is_empty() || p.split('/').any(|s| s.is_empty() || s == "." || s == "..") {
            return None;
        }
        [format!("content/{p}.md"), format!("content/{p}/index.md")]
            .into_iter()
            .find(|rel| super::resolve(&self.root, rel).is_ok())
    }

    /// `html`, the page served at `url_path`, with the editor added when the page is an
    /// article's and writing is on; `None` otherwise.
    pub fn inject(&self, url_path: &str, html: &str) -> Option<String> {
        if !self.writable() || !html.contains("class=\"gl-body\"") {
            return None;
        }
        let rel = self.source_of(url_path)?;
        let bytes = std::fs::read(self.root.join(&rel)).ok()?;
        let config = json!({
            "token": self.token,
            "path": rel,
            "fingerprint": super::writer::fingerprint(&bytes),
            "endpoint": PREFIX,
        });
        // `</` cannot end the script element early: JSON escapes it as `<\/`.
        let config = config.to_string().replace("</", "<\\/");
        let tags = format!(
            "<link rel=\"stylesheet\" href=\"{PREFIX}/editor.css\">\n<script type=\"application/json\" id=\"gloss-editor\">{config}</script>\n<script src=\"{PREFIX}/editor.js\" defer></script>\n"
        );
        let at = html.rfind("</body>")?;
        Some(format!("{}{tags}{}", &html[..at], &html[at..]))
    }
}

/// The response for `answer`, never cached, never sniffed.
fn response(answer: Answer) -> axum::response::Response {
    let mut res = axum::response::Response::new(axum::body::Body::from(answer.body));
    *res.status_mut() = answer.status;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        header::HeaderValue::from_static(answer.content_type),
    );
    h.insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        header::HeaderValue::from_static("nosniff"),
    );
    res
}

/// Serves a request below [`PREFIX`] (the axum handler `gloss serve` routes there).
pub async fn route(
    axum::extract::State(editor): axum::extract::State<std::sync::Arc<Editor>>,
    req: axum::extract::Request,
) -> axum::response::Response {
    let (parts, body) = req.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else {
        return response(Answer::refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            format!("the request is larger than {MAX_BODY} bytes"),
        ));
    };
    let answer = editor.respond(
        &parts.method,
        parts.uri.path(),
        parts.uri.query(),
        &parts.headers,
        &bytes,
    );
    response(answer)
}

/// Adds the editor to served article pages (the axum middleware `gloss serve` puts around
/// its pages).
pub async fn add_to_pages(
    axum::extract::State(editor): axum::extract::State<std::sync::Arc<Editor>>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let path = req.uri().path().to_string();
    let res = next.run(req).await;
    let is_html = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"));
    if !editor.writable() || !is_html || res.status() != StatusCode::OK {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024 * 1024).await else {
        return axum::response::Response::from_parts(parts, axum::body::Body::empty());
    };
    let html = String::from_utf8_lossy(&bytes);
    let body = match editor.inject(&path, &html) {
        Some(page) => {
            parts.headers.remove(header::CONTENT_LENGTH);
            axum::body::Body::from(page)
        }
        None => axum::body::Body::from(bytes),
    };
    axum::response::Response::from_parts(parts, body)
}

/// The change a request asks for.
fn change_of(
    action: &str,
    kind: Option<Kind>,
    selection: Option<Selection>,
    id: Option<String>,
    fields: &serde_json::Map<String, Value>,
) -> Result<Change, String> {
    let value = |k: &str, v: &Value| -> Result<Option<FieldValue>, String> {
        Ok(match v {
            Value::Null => None,
            Value::String(s) if s.trim().is_empty() => None,
            Value::String(s) if k == "date" => Some(FieldValue::Date(s.trim().to_string())),
            Value::String(s) if k == "note" && s.contains('\n') => {
                Some(FieldValue::Str(format!("{}\n", s.trim())))
            }
            Value::String(s) => Some(FieldValue::Str(s.trim().to_string())),
            Value::Array(_) if k == "sources" => {
                let list: Vec<Source> =
                    serde_json::from_value(v.clone()).map_err(|e| format!("`sources`: {e}"))?;
                let list: Vec<Source> = list
                    .into_iter()
                    .filter(|s| !s.url.trim().is_empty())
                    .map(|s| Source {
                        url: s.url.trim().to_string(),
                        title: s.title.filter(|t| !t.trim().is_empty()),
                        archive: s.archive.filter(|t| !t.trim().is_empty()),
                        accessed: s.accessed.filter(|t| !t.trim().is_empty()),
                    })
                    .collect();
                (!list.is_empty()).then_some(FieldValue::Sources(list))
            }
            _ => return Err(format!("`{k}` must be text")),
        })
    };
    match action {
        "add" => {
            let kind = kind.ok_or("an annotation to add needs its `kind`")?;
            let selection = selection.ok_or("an annotation to add needs the selected words")?;
            let mut out = Vec::new();
            for (k, v) in fields {
                if let Some(v) = value(k, v)? {
                    out.push((k.clone(), v));
                }
            }
            Ok(Change::Add {
                kind,
                selection,
                fields: out,
            })
        }
        "update" => {
            let id = id.ok_or("an annotation to change needs its `id`")?;
            let mut out = Vec::new();
            for (k, v) in fields {
                out.push((k.clone(), value(k, v)?));
            }
            Ok(Change::Update { id, fields: out })
        }
        "delete" => Ok(Change::Delete {
            id: id.ok_or("an annotation to remove needs its `id`")?,
        }),
        other => Err(format!("`{other}` is not an action (add, update, delete)")),
    }
}

/// A TOML value as JSON (dates as their text).
fn json_of(v: &toml::Value) -> Value {
    match v {
        toml::Value::String(s) => json!(s),
        toml::Value::Integer(n) => json!(n),
        toml::Value::Float(f) => json!(f),
        toml::Value::Boolean(b) => json!(b),
        toml::Value::Datetime(d) => json!(d.to_string()),
        toml::Value::Array(a) => Value::Array(a.iter().map(json_of).collect()),
        toml::Value::Table(t) => {
            Value::Object(t.iter().map(|(k, v)| (k.clone(), json_of(v))).collect())
        }
    }
}

/// Compares secrets in time that does not depend on where they differ.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    const FILE: &str =
        "+++\ntitle = \"T\"\ndate = 2019-07-24\nlang = \"de\"\n+++\nDer Rat tagt am Montag.\n";

    fn site() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("site.toml"),
            "title = \"S\"\nlanguage = \"de\"\n",
        )
        .unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        std::fs::write(dir.path().join("content/a.md"), FILE).unwrap();
        std::fs::write(dir.path().join("secret.md"), FILE).unwrap();
        dir
    }

    fn local() -> SocketAddr {
        "127.0.0.1:4321".parse().unwrap()
    }

    fn headers(editor: &Editor) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:4321"));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://127.0.0.1:4321"),
        );
        h.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        h.insert("sec-fetch-site", HeaderValue::from_static("same-origin"));
        h.insert(TOKEN_HEADER, HeaderValue::from_str(editor.token()).unwrap());
        h
    }

    fn add(path: &str) -> String {
        json!({
            "path": path,
            "fingerprint": super::super::writer::fingerprint(FILE.as_bytes()),
            "action": "add",
            "kind": "note",
            "selection": { "exact": "am Montag", "prefix": "tagt ", "suffix": "." },
            "fields": { "note": "Welcher Montag?", "sources": [] },
        })
        .to_string()
    }

    fn post(editor: &Editor, h: &HeaderMap, body: &str) -> Answer {
        editor.respond(&Method::POST, PREFIX, None, h, body.as_bytes())
    }

    #[test]
    fn a_request_from_the_served_page_writes() {
        let dir = site();
        let editor = Editor::new(dir.path(), local(), false);
        let a = post(&editor, &headers(&editor), &add("content/a.md"));
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        let saved = std::fs::read_to_string(dir.path().join("content/a.md")).unwrap();
        assert!(
            saved.contains("[[note]]\ntext = \"am Montag\"\nnote = \"Welcher Montag?\"\n+++"),
            "{saved}"
        );
        // The same request again comes from a page served before the change.
        let again = post(&editor, &headers(&editor), &add("content/a.md"));
        assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    }

    #[test]
    fn each_rule_refuses_on_its_own() {
        let dir = site();
        let editor = Editor::new(dir.path(), local(), false);
        let body = add("content/a.md");
        let refused = |h: HeaderMap, body: &str, status: StatusCode, says: &str| {
            let a = post(&editor, &h, body);
            assert_eq!(a.status, status, "{}", a.body);
            assert!(a.body.contains(says), "{}", a.body);
        };
        let mut h = headers(&editor);
        h.remove(TOKEN_HEADER);
        refused(h, &body, StatusCode::FORBIDDEN, "token");
        let mut h = headers(&editor);
        h.insert(
            TOKEN_HEADER,
            HeaderValue::from_static("00000000000000000000000000000000"),
        );
        refused(h, &body, StatusCode::FORBIDDEN, "token");
        let mut h = headers(&editor);
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("https://evil.example"),
        );
        refused(h, &body, StatusCode::FORBIDDEN, "another site");
        let mut h = headers(&editor);
        h.remove(header::ORIGIN);
        refused(h, &body, StatusCode::FORBIDDEN, "another site");
        let mut h = headers(&editor);
        h.insert("sec-fetch-site", HeaderValue::from_static("cross-site"));
        refused(h, &body, StatusCode::FORBIDDEN, "another site");
        // DNS rebinding: another name for this computer, with a matching Origin.
        let mut h = headers(&editor);
        h.insert(header::HOST, HeaderValue::from_static("evil.example:4321"));
        h.insert(
            header::ORIGIN,
            HeaderValue::from_static("http://evil.example:4321"),
        );
        refused(h, &body, StatusCode::FORBIDDEN, "Host");
        let mut h = headers(&editor);
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:9999"));
        refused(h, &body, StatusCode::FORBIDDEN, "Host");
        let mut h = headers(&editor);
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain"));
        refused(h, &body, StatusCode::UNSUPPORTED_MEDIA_TYPE, "JSON");
        refused(
            headers(&editor),
            &" ".repeat(MAX_BODY + 1),
            StatusCode::PAYLOAD_TOO_LARGE,
            "larger",
        );
        for outside in [
            "secret.md",
            "content/../secret.md",
            "site.toml",
            "/etc/passwd",
        ] {
            refused(
                headers(&editor),
                &add(outside),
                StatusCode::FORBIDDEN,
                "below `content/`",
            );
        }
        assert_eq!(
            std::fs::read_to_string(dir.path().join("content/a.md")).unwrap(),
            FILE
        );
        assert_eq!(
            std::fs::read_to_string(dir.path().join("secret.md")).unwrap(),
            FILE
        );
    }

    #[test]
    fn read_only_or_beyond_loopback_nothing_is_written_or_offered() {
        let dir = site();
        let page = "<html><body><div class=\"gl-body\"><p>x</p></div></body></html>";
        for editor in [
            Editor::new(dir.path(), local(), true),
            Editor::new(dir.path(), "0.0.0.0:4321".parse().unwrap(), false),
        ] {
            assert!(!editor.writable());
            let a = post(&editor, &headers(&editor), &add("content/a.md"));
            assert_eq!(a.status, StatusCode::FORBIDDEN);
            assert!(a.body.contains("writing is off"), "{}", a.body);
            assert_eq!(editor.inject("/a/", page), None);
            let js = editor.respond(
                &Method::GET,
                "/_gloss/edit/editor.js",
                None,
                &HeaderMap::new(),
                b"",
            );
            assert_eq!(js.status, StatusCode::FORBIDDEN);
        }
        assert_eq!(
            std::fs::read_to_string(dir.path().join("content/a.md")).unwrap(),
            FILE
        );
        let editor = Editor::new(dir.path(), local(), false);
        let injected = editor.inject("/a/", page).unwrap();
        assert!(injected.contains(editor.token()));
        assert!(injected.contains("\"path\":\"content/a.md\""));
        assert_eq!(editor.inject("/", page), None);
        assert_eq!(editor.inject("/secret/", page), None);
        // Each run has its own token.
        assert_ne!(
            editor.token(),
            Editor::new(dir.path(), local(), false).token()
        );
    }

    #[test]
    fn the_page_learns_the_articles_annotations_and_the_sites_scale() {
        let dir = site();
        let editor = Editor::new(dir.path(), local(), false);
        let mut h = headers(&editor);
        h.remove(header::ORIGIN);
        let a = editor.respond(
            &Method::GET,
            "/_gloss/edit/article",
            Some("path=content%2Fa.md"),
            &h,
            b"",
        );
        assert_eq!(a.status, StatusCode::OK, "{}", a.body);
        let v: Value = serde_json::from_str(&a.body).unwrap();
        assert_eq!(v["verdicts"][0]["key"], "true");
        assert_eq!(v["verdicts"][0]["label"], "Stimmt");
        assert_eq!(
            v["fingerprint"],
            super::super::writer::fingerprint(FILE.as_bytes())
        );
        h.remove(TOKEN_HEADER);
        let a = editor.respond(
            &Method::GET,
            "/_gloss/edit/article",
            Some("path=content%2Fa.md"),
            &h,
            b"",
        );
        assert_eq!(a.status, StatusCode::FORBIDDEN);
    }
}
