//! A bundle's images as published: sizes, resized copies in srcset, lazy loading, captions
//! and credits, the resized copies cached between builds, alt text and missing files.
mod common;

use std::path::Path;

use common::{article, read, site};
use gloss::build::{BuildOptions, BuildReport, build};

/// A `width` × `height` photo-like picture (a gradient), encoded as the file name says.
fn picture(path: &Path, width: u32, height: u32) {
    let img = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x * 255 / width) as u8, (y * 255 / height) as u8, 128])
    });
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    img.save(path).unwrap();
}

fn size_of(path: &Path) -> (u32, u32) {
    image::image_dimensions(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn built(root: &Path) -> BuildReport {
    build(root, &BuildOptions::default()).unwrap_or_else(|e| panic!("{e:?}"))
}

/// The one element `selector` matches in `html`, and its attribute `name`.
fn attr(html: &str, selector: &str, name: &str) -> Option<String> {
    let doc = scraper::Html::parse_document(html);
    let sel = scraper::Selector::parse(selector).unwrap();
    let el = doc
        .select(&sel)
        .next()
        .unwrap_or_else(|| panic!("no {selector} in {html}"));
    el.value().attr(name).map(str::to_string)
}

fn cached_copies(root: &Path) -> Vec<(String, u64)> {
    let mut out: Vec<(String, u64)> = std::fs::read_dir(root.join(".gloss-cache/images"))
        .unwrap()
        .flatten()
        .map(|e| {
            use std::os::unix::fs::MetadataExt;
            (
                e.file_name().to_string_lossy().into_owned(),
                e.metadata().unwrap().ino(),
            )
        })
        .collect();
    out.sort();
    out
}

const BODY: &str = "Ein Text.\n\n![Die Hafenbrücke im Morgenlicht](photo.jpg \"Die Brücke bei Sonnenaufgang | Jane Doe\")\n\nMehr Text, dann ein kleines Bild: ![Ein Plan der Brücke](plan.png) und das Ende.\n";

#[test]
fn bundle_images_get_sizes_resized_copies_lazy_loading_and_a_caption() {
    let dir = site(&[("content/2026/bruecke/index.md", &article("", BODY))]);
    let root = dir.path();
    picture(&root.join("content/2026/bruecke/photo.jpg"), 2000, 1000);
    picture(&root.join("content/2026/bruecke/plan.png"), 400, 300);
    let report = built(root);
    assert_eq!((report.images, report.resized), (2, 3));
    let out = root.join("public/2026/bruecke");
    // The copies, each as wide as its name says and as high as the photo's proportions.
    for (w, h) in [(480, 240), (960, 480), (1600, 800)] {
        assert_eq!(size_of(&out.join(format!("photo.{w}w.jpg"))), (w, h));
    }
    // The original is published as it is; the small plan gets no copies.
    assert_eq!(
        std::fs::read(out.join("photo.jpg")).unwrap(),
        std::fs::read(root.join("content/2026/bruecke/photo.jpg")).unwrap()
    );
    assert!(!out.join("plan.480w.png").exists());

    let html = read(root, "public/2026/bruecke/index.html");
    let photo = "figure.gl-image img";
    assert_eq!(attr(&html, photo, "src").unwrap(), "photo.1600w.jpg");
    assert_eq!(
        attr(&html, photo, "srcset").unwrap(),
        "photo.480w.jpg 480w, photo.960w.jpg 960w, photo.1600w.jpg 1600w"
    );
    assert!(attr(&html, photo, "sizes").is_some());
    assert_eq!(attr(&html, photo, "width").unwrap(), "1600");
    assert_eq!(attr(&html, photo, "height").unwrap(), "800");
    assert_eq!(
        attr(&html, photo, "alt").unwrap(),
        "Die Hafenbrücke im Morgenlicht"
    );
    // The first image is likely in view: it loads at once; the one below lazily.
    assert_eq!(attr(&html, photo, "loading"), None);
    assert_eq!(attr(&html, photo, "decoding").unwrap(), "async");
    let plan = "img[src=\"plan.png\"]";
    assert_eq!(attr(&html, plan, "loading").unwrap(), "lazy");
    assert_eq!(attr(&html, plan, "width").unwrap(), "400");
    assert_eq!(attr(&html, plan, "height").unwrap(), "300");
    assert_eq!(attr(&html, plan, "srcset"), None);
    // The title is the caption, the text after `|` the credit, in the page's language.
    assert_eq!(
        common::text_of(&html, "figure.gl-image figcaption"),
        "Die Brücke bei Sonnenaufgang Foto: Jane Doe"
    );
    assert_eq!(
        common::text_of(&html, "figcaption .gl-credit"),
        "Foto: Jane Doe"
    );
    assert!(report.warnings.is_empty(), "{:?}", report.warnings);
}

#[test]
fn resized_copies_are_made_once_and_follow_the_image() {
    let dir = site(&[("content/2026/bruecke/index.md", &article("", BODY))]);
    let root = dir.path();
    let photo = root.join("content/2026/bruecke/photo.jpg");
    picture(&photo, 2000, 1000);
    picture(&root.join("content/2026/bruecke/plan.png"), 400, 300);
    assert_eq!(built(root).resized, 3);
    let cached = cached_copies(root);
    assert_eq!(cached.len(), 3);

    // The article edited, the image not: no image is resized again (the cached files are
    // the same files), and the copies are still published.
    let md = root.join("content/2026/bruecke/index.md");
    std::fs::write(&md, article("", &format!("{BODY}\nEin Nachtrag.\n"))).unwrap();
    let again = built(root);
    assert_eq!(again.resized, 0);
    assert_eq!(cached_copies(root), cached);
    assert!(root.join("public/2026/bruecke/photo.960w.jpg").is_file());
    assert!(read(root, "public/2026/bruecke/index.html").contains("Ein Nachtrag"));

    // A new photo of another size: the unchanged page shows its size and copies, the old
    // copies leave the output and the cache.
    picture(&photo, 1200, 900);
    let changed = built(root);
    assert_eq!(changed.resized, 2);
    let html = read(root, "public/2026/bruecke/index.html");
    let img = "figure.gl-image img";
    assert_eq!(attr(&html, img, "src").unwrap(), "photo.jpg");
    assert_eq!(
        attr(&html, img, "srcset").unwrap(),
        "photo.480w.jpg 480w, photo.960w.jpg 960w, photo.jpg 1200w"
    );
    assert_eq!(attr(&html, img, "width").unwrap(), "1200");
    assert_eq!(attr(&html, img, "height").unwrap(), "900");
    assert_eq!(
        size_of(&root.join("public/2026/bruecke/photo.960w.jpg")),
        (960, 720)
    );
    assert!(!root.join("public/2026/bruecke/photo.1600w.jpg").exists());
    let now = cached_copies(root);
    assert_eq!(now.len(), 2, "{now:?}");
    assert!(now.iter().all(|c| !cached.contains(c)));
}

#[test]
fn an_image_without_alt_text_is_a_located_warning() {
    let body = "Text.\n\n![](plan.png)\n";
    let dir = site(&[("content/2026/x/index.md", &article("", body))]);
    picture(&dir.path().join("content/2026/x/plan.png"), 40, 30);
    let report = built(dir.path());
    let w: Vec<_> = report
        .warnings
        .iter()
        .filter(|d| d.message.contains("no alt text"))
        .collect();
    assert_eq!(w.len(), 1, "{:?}", report.warnings);
    assert_eq!(w[0].path, Path::new("content/2026/x/index.md"));
    // Front matter: `+++`, title, date, `+++`; then "Text.", an empty line, the image.
    assert_eq!((w[0].line, w[0].col), (7, 1));
    assert!(w[0].help.as_deref().unwrap().contains("!["));
    // `gloss check` says so too.
    let check = common::gloss(dir.path(), &["check"]);
    let said = common::stdout(&check) + &common::stderr(&check);
    assert!(
        said.contains("index.md:7:1") && said.contains("no alt text"),
        "{said}"
    );
}

#[test]
fn a_missing_image_file_is_a_located_error() {
    let body = "Text.\n\nSiehe ![Ein Plan](plan.png).\n";
    let dir = site(&[("content/2026/x/index.md", &article("", body))]);
    picture(&dir.path().join("content/2026/x/plam.png"), 40, 30);
    let errors = build(dir.path(), &BuildOptions::default()).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].path, Path::new("content/2026/x/index.md"));
    assert_eq!(errors[0].line, 7);
    assert!(
        errors[0].message.contains("plan.png"),
        "{}",
        errors[0].message
    );
    assert!(!dir.path().join("public").exists());
}

#[test]
fn sizes_and_copies_survive_the_sanitizer_and_remote_images_are_left_alone() {
    // Raw HTML sends the whole body through the sanitizer.
    let body = "<b>Fett</b>\n\n![Foto](photo.jpg)\n\n![Fern](https://example.org/p.jpg \"Fern | Agentur\")\n";
    let dir = site(&[("content/2026/x/index.md", &article("", body))]);
    picture(&dir.path().join("content/2026/x/photo.jpg"), 1000, 500);
    built(dir.path());
    let html = read(dir.path(), "public/2026/x/index.html");
    let photo = "img[src=\"photo.jpg\"]";
    assert_eq!(
        attr(&html, photo, "srcset").unwrap(),
        "photo.480w.jpg 480w, photo.960w.jpg 960w, photo.jpg 1000w"
    );
    assert!(attr(&html, photo, "sizes").is_some());
    assert_eq!(attr(&html, photo, "width").unwrap(), "1000");
    let remote = "img[src=\"https://example.org/p.jpg\"]";
    assert_eq!(attr(&html, remote, "width"), None);
    assert_eq!(attr(&html, remote, "srcset"), None);
    assert_eq!(attr(&html, remote, "loading").unwrap(), "lazy");
    assert_eq!(common::text_of(&html, "figcaption"), "Fern Foto: Agentur");
}
