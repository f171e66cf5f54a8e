//! The theme: templates and static files, embedded in the binary and overridable per site.
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use include_dir::{Dir, include_dir};
use tera::{Context, ErrorKind, Tera};

use crate::diagnostics::Diagnostic;

static TEMPLATES: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/templates");
static STATIC: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/static");

/// Where a static file's bytes come from.
#[derive(Debug, Clone)]
pub enum StaticSource {
    /// The default theme, inside the binary.
    Embedded(&'static [u8]),
    /// The site's own `static/` folder.
    File(PathBuf),
}

/// Parsed templates and the list of static files, ready to render many pages.
pub struct Theme {
    tera: Tera,
    /// Template sources by name, kept to point errors at their lines.
    sources: BTreeMap<String, (PathBuf, String)>,
    /// Static files by their path in the output.
    pub static_files: BTreeMap<PathBuf, StaticSource>,
    /// Whether `claim.html` and `base.html` are the default theme's, so that claim pages
    /// may be written by [`crate::render::claim_page::html`] into [`CLAIM_FRAME`].
    default_claim_page: bool,
    /// Whether `article.html` and `partials/sources.html` are the default theme's, so that
    /// article pages may be rendered from [`ARTICLE_NOTES`] with the glance box and notes
    /// section written by [`crate::render::notes`].
    default_article_page: bool,
}

/// A template of the theme's own: the default `article.html` with its glance box and notes
/// section left to `page.glance_html` and `page.notes_html` (named `.html`, as
/// [`CLAIM_FRAME`] is, to be escaped).
const ARTICLE_NOTES: &str = "\u{1}gloss article.html";

/// What the default `article.html` has that [`ARTICLE_NOTES`] leaves to Rust, each from its
/// first words to its last, and what stands in its place: the notes grouped by kind (used
/// by the two others only), the glance box and the notes section.
const LEFT_TO_RUST: [(&str, &str, &str); 3] = [
    (
        "\n{%- set kinds = page.notes",
        "{%- set fixes = kinds.correction | default(value=[]) %}",
        "",
    ),
    (
        "{% if page.notes or page.figure_count %}\n<aside class=\"gl-glance\"",
        "</aside>\n{% endif %}",
        "{{ page.glance_html | safe }}",
    ),
    (
        "{% if page.notes %}\n<section class=\"gl-notes\"",
        "</section>\n{% endif %}",
        "{{ page.notes_html | safe }}",
    ),
];

/// The default `article.html` with what [`LEFT_TO_RUST`] names replaced.
fn article_notes_template(article: &str) -> Option<String> {
    let mut text = article.to_string();
    for (first, last, instead) in LEFT_TO_RUST {
        let start = text.find(first)?;
        let end = start + text[start..].find(last)? + last.len();
        text.replace_range(start..end, instead);
    }
    Some(text)
}

/// A template of the theme's own (not a file: no site can name it) that renders
/// `base.html` around placeholders, the frame claim pages are written into. Its name ends
/// in `.html` because Tera escapes what a template prints by its name's ending: without
/// it, the frame printed the site's title and navigation unescaped.
const CLAIM_FRAME: &str = "\u{1}gloss claim frame.html";

/// The placeholders of [`CLAIM_FRAME`], in the order they stand in `base.html`: the title,
/// the head, the main element's class and the main block.
const FRAME_SLOTS: [&str; 4] = ["\u{1}T\u{1}", "\u{1}H\u{1}", "\u{1}C\u{1}", "\u{1}M\u{1}"];

/// `base.html` rendered once around the blocks a claim page fills: the text between them.
pub struct Frame {
    /// Before the title, between title and head, head and main class, class and main, after main.
    pub parts: [String; 5],
}

fn embedded_files(dir: &'static Dir<'static>, out: &mut Vec<&'static include_dir::File<'static>>) {
    for f in dir.files() {
        out.push(f);
    }
    for d in dir.dirs() {
        embedded_files(d, out);
    }
}

impl Theme {
    /// A hash of every template's name and text: pages rendered with a theme of another
    /// fingerprint may differ.
    pub fn fingerprint(&self) -> u128 {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        for (name, (_, text)) in &self.sources {
            h.update(name.as_bytes());
            h.update(&[0]);
            h.update(text.as_bytes());
            h.update(&[0]);
        }
        h.digest128()
    }

    /// The embedded theme, with `site_root/templates` and `site_root/static` laid over it.
    pub fn load(site_root: &Path) -> Result<Theme, Vec<Diagnostic>> {
        let mut sources: BTreeMap<String, (PathBuf, String)> = BTreeMap::new();
        let mut files = Vec::new();
        embedded_files(&TEMPLATES, &mut files);
        for f in files {
            if let Some(text) = f.contents_utf8() {
                let name = f.path().to_string_lossy().replace('\\', "/");
                let shown = Path::new("templates").join(f.path());
                sources.insert(name, (shown, text.to_string()));
            }
        }
        let mut errors = Vec::new();
        let own = site_root.join("templates");
        if own.is_dir() {
            for entry in walkdir::WalkDir::new(&own).sort_by_file_name() {
                let Ok(entry) = entry else { continue };
                if !entry.file_type().is_file() {
                    continue;
                }
                let rel = entry.path().strip_prefix(&own).unwrap_or(entry.path());
                let name = rel.to_string_lossy().replace('\\', "/");
                let shown = Path::new("templates").join(rel);
                match crate::config::read_text(entry.path()) {
                    Ok(text) => {
                        sources.insert(name, (shown, text));
                    }
                    Err(d) => errors.push(d.relative_to(site_root)),
                }
            }
        }
        let is_default = |name: &str| {
            TEMPLATES
                .get_file(name)
                .and_then(|f| f.contents_utf8())
                .is_some_and(|text| sources.get(name).is_some_and(|(_, t)| t == text))
        };
        let default_claim_page = ["claim.html", "base.html"].into_iter().all(is_default);
        let article_notes = ["article.html", "partials/sources.html"]
            .into_iter()
            .all(is_default)
            .then(|| sources.get("article.html"))
            .flatten()
            .and_then(|(_, text)| article_notes_template(text));
        let default_article_page = article_notes.is_some();
        let mut tera = Tera::new();
        tera.register_function("plural", plural);
        if errors.is_empty()
            && let Err(e) = tera.add_raw_templates(
                sources
                    .iter()
                    .map(|(name, (_, text))| (name.as_str(), text.as_str())),
            )
        {
            errors.push(located_template_error(&e, &sources));
        }
        if errors.is_empty()
            && default_claim_page
            && let Err(e) = tera.add_raw_template(
                CLAIM_FRAME,
                &format!(
                    "{{% extends \"base.html\" %}}{{% block share %}}{{% endblock share %}}{{% block title %}}{}{{% endblock title %}}\
                     {{% block head %}}{}{{% endblock head %}}{{% block main_class %}}{}{{% endblock main_class %}}\
                     {{% block main %}}{}{{% endblock main %}}",
                    FRAME_SLOTS[0], FRAME_SLOTS[1], FRAME_SLOTS[2], FRAME_SLOTS[3]
                ),
            )
        {
            errors.push(located_template_error(&e, &sources));
        }
        if errors.is_empty()
            && let Some(template) = &article_notes
            && let Err(e) = tera.add_raw_template(ARTICLE_NOTES, template)
        {
            errors.push(located_template_error(&e, &sources));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut static_files = BTreeMap::new();
        let mut files = Vec::new();
        embedded_files(&STATIC, &mut files);
        for f in files {
            static_files.insert(f.path().to_path_buf(), StaticSource::Embedded(f.contents()));
        }
        let own = site_root.join("static");
        if own.is_dir() {
            for entry in walkdir::WalkDir::new(&own).sort_by_file_name() {
                let Ok(entry) = entry else { continue };
                if entry.file_type().is_file()
                    && let Ok(rel) = entry.path().strip_prefix(&own)
                {
                    static_files.insert(rel.to_path_buf(), StaticSource::File(entry.path().into()));
                }
            }
        }
        Ok(Theme {
            tera,
            sources,
            static_files,
            default_claim_page,
            default_article_page,
        })
    }

    /// The frame of a claim page with context `context`, when the theme's `claim.html` and
    /// `base.html` are the default ones (a site that overrides either has its claim pages
    /// rendered by Tera).
    pub fn claim_frame(&self, context: &Context) -> Option<Result<Frame, Diagnostic>> {
        if !self.default_claim_page {
            return None;
        }
        let html = match self.render(CLAIM_FRAME, context) {
            Ok(html) => html,
            Err(d) => return Some(Err(d)),
        };
        let mut parts: [String; 5] = Default::default();
        let mut rest = html.as_str();
        for (i, slot) in FRAME_SLOTS.iter().enumerate() {
            // base.html is the default one: each block stands in it once.
            let (before, after) = rest.split_once(slot)?;
            parts[i] = before.to_string();
            rest = after;
        }
        parts[4] = rest.to_string();
        Some(Ok(Frame { parts }))
    }

    /// The template an article page is rendered from, and whether its glance box and notes
    /// section are `page.glance_html` and `page.notes_html` (to be written by
    /// [`crate::render::notes`], and `page.notes` unused): the default `article.html`'s own
    /// copy without those loops, else the site's `article.html`.
    pub fn article_template(&self) -> (&'static str, bool) {
        if self.default_article_page {
            (ARTICLE_NOTES, true)
        } else {
            ("article.html", false)
        }
    }

    /// Renders template `name` with `context`.
    pub fn render(&self, name: &str, context: &Context) -> Result<String, Diagnostic> {
        self.tera.render(name, context).map_err(|e| {
            let (shown, text) = match self.sources.get(name) {
                Some((p, t)) => (p.clone(), t.as_str()),
                None => (PathBuf::from("templates").join(name), ""),
            };
            match e.kind() {
                ErrorKind::RenderingError(_) | ErrorKind::SyntaxError(_) => {
                    located_template_error(&e, &self.sources)
                }
                _ => template_error(&e, &shown, text),
            }
        })
    }
}

/// A Tera error, pointed at the template file it names (which may be a parent template).
fn located_template_error(
    e: &tera::Error,
    sources: &BTreeMap<String, (PathBuf, String)>,
) -> Diagnostic {
    if let ErrorKind::RenderingError(r) | ErrorKind::SyntaxError(r) = e.kind()
        && let Some((p, t)) = sources.get(r.filename())
    {
        return template_error(e, p, t);
    }
    Diagnostic::file("templates", e.to_string())
}

/// A Tera error as a located diagnostic.
fn template_error(e: &tera::Error, path: &Path, text: &str) -> Diagnostic {
    match e.kind() {
        ErrorKind::SyntaxError(r) | ErrorKind::RenderingError(r) => {
            Diagnostic::at(path, text, r.span().range.clone(), r.message().to_string())
                .with_help("see the template syntax at https://keats.github.io/tera/")
        }
        other => Diagnostic::file(path, other.to_string()),
    }
}

/// The template function `plural(n=3, one=t.quote, other=t.quotes_count)`: the word for a
/// count by the plural rules of the page's language (the context's `lang`), so that no
/// template writes its own `n == 1`.
fn plural(kwargs: tera::Kwargs, state: &tera::State) -> tera::TeraResult<String> {
    let n = kwargs.must_get::<u64>("n")?;
    let one = kwargs.must_get::<&str>("one")?;
    let other = kwargs.must_get::<&str>("other")?;
    let tag = state.get::<String>("lang")?.unwrap_or_default();
    let lang = crate::lang::Lang::from_tag(&tag).unwrap_or_default();
    Ok(crate::i18n::builtin(lang)
        .count_word(n, one, other)
        .to_string())
}

#[cfg(test)]
mod plural_tests {
    use super::*;

    #[test]
    fn plural_follows_the_pages_language() {
        let mut tera = Tera::new();
        tera.register_function("plural", plural);
        tera.add_raw_template("t", "{{ plural(n=n, one='one', other='other') }}")
            .unwrap();
        let render = |lang: &str, n: u64| {
            let mut cx = Context::new();
            cx.insert("lang", lang);
            cx.insert("n", &n);
            tera.render("t", &cx).unwrap()
        };
        assert_eq!(render("fr", 0), "one");
        assert_eq!(render("fr-CA", 1), "one");
        assert_eq!(render("en", 0), "other");
        assert_eq!(render("en", 1), "one");
        assert_eq!(render("es", 2), "other");
    }
}

#[cfg(test)]
mod frame_tests {
    use super::*;

    #[test]
    fn claim_pages_have_a_frame_only_with_the_default_templates() {
        let dir = tempfile::tempdir().unwrap();
        let site = crate::config::Site::standalone();
        let cx = crate::build::Shared::new(&site).context(site.lang, "de", "2019/x/claims/c/");
        let theme = Theme::load(dir.path()).unwrap();
        let frame = theme.claim_frame(&cx).unwrap().unwrap();
        assert!(frame.parts[0].ends_with("<title>"), "{}", frame.parts[0]);
        assert!(frame.parts[4].contains("</main>"));
        std::fs::create_dir(dir.path().join("templates")).unwrap();
        std::fs::write(
            dir.path().join("templates/base.html"),
            format!("{}{{# own #}}", include_str!("../../templates/base.html")),
        )
        .unwrap();
        assert!(Theme::load(dir.path()).unwrap().claim_frame(&cx).is_none());
    }

    #[test]
    fn article_pages_have_their_notes_written_in_rust_only_with_the_default_templates() {
        let dir = tempfile::tempdir().unwrap();
        // Every part the theme's own copy leaves to Rust is found in the default template.
        assert!(Theme::load(dir.path()).unwrap().article_template().1);
        std::fs::create_dir_all(dir.path().join("templates/partials")).unwrap();
        std::fs::write(
            dir.path().join("templates/partials/sources.html"),
            format!(
                "{}{{# own #}}",
                include_str!("../../templates/partials/sources.html")
            ),
        )
        .unwrap();
        let theme = Theme::load(dir.path()).unwrap();
        assert_eq!(theme.article_template(), ("article.html", false));
    }
}
