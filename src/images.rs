//! A site's images: each one's size, for `width` and `height` on its `<img>` (the page does
//! not shift as it loads), and copies of it resized to [`WIDTHS`] for `srcset`, so that a
//! phone is sent a copy its screen can show rather than a 4000 px photo.
//!
//! Sizes are read from the file's header and remembered in `.gloss-cache/images.bin` under
//! the file's stamp (size, times, inode), so an unchanged image is not even read again. The
//! resized copies are kept in `.gloss-cache/images/` under a hash of the original's bytes,
//! the width and [`SETTINGS`]: an unchanged image is not decoded again, and an image moved
//! or copied elsewhere is not resized again. After each build the copies no image of the
//! site still needs are deleted, so the folder holds what the site uses and no more.
//!
//! Decoding, resizing and encoding use the `image` crate (the image-rs project's, the most
//! used and best kept Rust imaging library, in pure Rust), built with the codecs gloss needs
//! and no others, to keep the build short: JPEG and PNG are read, resized and written; WebP
//! is read for its size only, as `image` writes WebP only losslessly, which for a photo
//! comes out larger than the lossy original it was made from. GIF and AVIF are published as
//! they are, without a size (AVIF's decoder would need a C library).
use std::collections::{HashMap, HashSet};
use std::fmt::Write as _;
use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use image::{DynamicImage, ImageDecoder, ImageReader};
use pulldown_cmark::{Event, Tag, TagEnd};
use pulldown_cmark_escape::{escape_href, escape_html, escape_html_body_text};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::build::SourceStamp;
use crate::build::reuse::{CACHE_DIR, read_from_cache, save_in_cache};
use crate::content::{Article, CONTENT_DIR};
use crate::diagnostics::Diagnostic;

/// The widths of the resized copies, in pixels: a phone (480 CSS px at 1x, or 2x of a
/// small one), a phone at 2x or a tablet, the article's column at 2x+ on a desktop. An
/// image is never enlarged: only the widths below its own are made.
pub const WIDTHS: [u32; 3] = [480, 960, 1600];
/// How wide the theme shows a body image: the column (38rem at the theme's 18 px) on a
/// wide screen, else the screen's width.
pub const SIZES: &str = "(min-width: 730px) 684px, 100vw";
/// The quality the resized JPEGs are written with: where photos look as the original does
/// at a third of the bytes.
const JPEG_QUALITY: u8 = 80;
/// Changes whenever the resized copies would come out differently (filter, quality,
/// encoder settings), so that none made the old way is used again.
pub const SETTINGS: u32 = 1;
/// The index of the sizes read, in the cache folder.
const INDEX: &str = "images.bin";
/// The folder of resized copies, in the cache folder.
const RESIZED: &str = "images";
/// Changes whenever the index changes shape.
const FORMAT: u32 = 1;

/// An image file type gloss reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Format {
    /// JPEG: read, resized, written.
    Jpeg,
    /// PNG: read, resized, written.
    Png,
    /// WebP: read for its size only.
    Webp,
}

impl Format {
    /// The type of a file named `rel`, if gloss reads it.
    fn of(rel: &Path) -> Option<Format> {
        let ext = rel.extension()?.to_str()?.to_ascii_lowercase();
        match ext.as_str() {
            "jpg" | "jpeg" => Some(Format::Jpeg),
            "png" => Some(Format::Png),
            "webp" => Some(Format::Webp),
            _ => None,
        }
    }

    fn resized(self) -> bool {
        matches!(self, Format::Jpeg | Format::Png)
    }
}

/// What is known of one image.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Info {
    /// Its width as shown (EXIF orientation applied), in pixels.
    pub width: u32,
    /// Its height as shown, in pixels.
    pub height: u32,
    /// Its file type.
    pub format: Format,
    /// A hash of its bytes.
    pub hash: u128,
}

impl Info {
    /// The widths of its resized copies: those of [`WIDTHS`] below its own.
    pub fn variants(&self) -> Vec<u32> {
        if !self.format.resized() {
            return Vec::new();
        }
        WIDTHS.into_iter().filter(|&w| w < self.width).collect()
    }

    /// Its height when `width` wide, at least 1.
    pub fn height_at(&self, width: u32) -> u32 {
        let h = (u64::from(self.height) * u64::from(width) + u64::from(self.width) / 2)
            / u64::from(self.width.max(1));
        (h as u32).max(1)
    }
}

/// The images of a site's `content/`, by their path below it (`/`-separated), which is
/// also their path below the output's root.
#[derive(Debug, Default)]
pub struct Table {
    images: HashMap<String, Info>,
    /// A hash of everything pages show of the images (paths and sizes).
    fingerprint: u128,
}

impl Table {
    /// The image at `rel` below `content/`.
    pub fn get(&self, rel: &str) -> Option<&Info> {
        self.images.get(rel)
    }

    /// A hash of all that pages show of the images: it changes when an image is added,
    /// removed or changes size, not when only its pixels change.
    pub fn fingerprint(&self) -> u128 {
        self.fingerprint
    }

    /// `key` (what else pages depend on) and [`Table::fingerprint`] as one key.
    pub fn key_with(&self, key: u128) -> u128 {
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        h.update(&key.to_le_bytes());
        h.update(&self.fingerprint.to_le_bytes());
        h.digest128()
    }

    /// How many images it holds.
    pub fn len(&self) -> usize {
        self.images.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.images.is_empty()
    }

    fn new(images: HashMap<String, Info>) -> Table {
        let mut keys: Vec<&String> = images.keys().collect();
        keys.sort();
        let mut h = xxhash_rust::xxh3::Xxh3::new();
        for k in keys {
            let i = &images[k];
            h.update(k.as_bytes());
            h.update(&[0]);
            h.update(&i.width.to_le_bytes());
            h.update(&i.height.to_le_bytes());
            h.update(&[i.format.resized().into()]);
        }
        Table {
            images,
            fingerprint: h.digest128(),
        }
    }
}

#[derive(Serialize, Deserialize, Default)]
struct Index {
    format: u32,
    entries: HashMap<String, (SourceStamp, Info)>,
}

fn slashed(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

/// Reads the size of each image among `assets` (paths below the site's `content/`): from
/// the cache where the file is unchanged since, else from the file. An image whose size
/// cannot be read is left out (published as it is) with a warning.
pub fn scan(root: &Path, assets: &[PathBuf]) -> (Table, Vec<Diagnostic>) {
    let index: Index = read_from_cache(root, INDEX)
        .and_then(|b| postcard::from_bytes::<Index>(&b).ok())
        .filter(|i| i.format == FORMAT)
        .unwrap_or_default();
    let content = root.join(CONTENT_DIR);
    let found: Vec<Result<(String, SourceStamp, Info, bool), Diagnostic>> = assets
        .par_iter()
        .filter_map(|rel| Some((rel, Format::of(rel)?)))
        .map(|(rel, format)| {
            let key = slashed(rel);
            let shown = Path::new(CONTENT_DIR).join(rel);
            let path = content.join(rel);
            let meta = std::fs::metadata(&path)
                .map_err(|e| Diagnostic::file(&shown, format!("cannot read: {e}")))?;
            if let Some((stamp, info)) = index.entries.get(&key)
                && stamp.unchanged(&meta)
            {
                return Ok((key, *stamp, info.clone(), false));
            }
            // Taken before the file is read: a change meanwhile shows at the next build.
            let stamp = SourceStamp::of(&meta);
            let bytes = std::fs::read(&path)
                .map_err(|e| Diagnostic::file(&shown, format!("cannot read: {e}")))?;
            let (width, height) = probe(&bytes).map_err(|e| {
                Diagnostic::file(&shown, format!("cannot read the image's size: {e}"))
                    .with_help(
                        "the file may be damaged, or not the type its name says: export it again as JPEG, PNG or WebP (it is published as it is, without width and height)",
                    )
                    .warning()
            })?;
            let info = Info {
                width,
                height,
                format,
                hash: xxhash_rust::xxh3::xxh3_128(&bytes),
            };
            Ok((key, stamp, info, true))
        })
        .collect();
    let mut images = HashMap::with_capacity(found.len());
    let mut next = Index {
        format: FORMAT,
        entries: HashMap::with_capacity(found.len()),
    };
    let mut warnings = Vec::new();
    let mut changed = index.entries.len() != found.len();
    for r in found {
        match r {
            Ok((key, stamp, info, read)) => {
                changed |= read;
                images.insert(key.clone(), info.clone());
                next.entries.insert(key, (stamp, info));
            }
            Err(d) => {
                changed = true;
                warnings.push(d);
            }
        }
    }
    warnings.sort_by(|a, b| a.path.cmp(&b.path));
    if changed && let Ok(bytes) = postcard::to_allocvec(&next) {
        // Only saves work: a site folder that cannot take it builds all the same.
        let _ = save_in_cache(root, INDEX, &bytes);
    }
    (Table::new(images), warnings)
}

/// The size of the image in `bytes` as shown, its EXIF orientation applied (browsers apply
/// it, so a portrait photo stored on its side is taller than wide on the page).
fn probe(bytes: &[u8]) -> image::ImageResult<(u32, u32)> {
    let mut decoder = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()?
        .into_decoder()?;
    let (w, h) = decoder.dimensions();
    let turned = matches!(
        decoder.orientation()?,
        image::metadata::Orientation::Rotate90
            | image::metadata::Orientation::Rotate270
            | image::metadata::Orientation::Rotate90FlipH
            | image::metadata::Orientation::Rotate270FlipH
    );
    if w == 0 || h == 0 {
        return Err(image::ImageError::Limits(
            image::error::LimitError::from_kind(image::error::LimitErrorKind::DimensionError),
        ));
    }
    Ok(if turned { (h, w) } else { (w, h) })
}

/// The decoded image in `bytes`, turned as it is shown.
fn decode(bytes: &[u8]) -> image::ImageResult<DynamicImage> {
    let mut decoder = ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()?
        .into_decoder()?;
    let orientation = decoder.orientation()?;
    let mut img = DynamicImage::from_decoder(decoder)?;
    img.apply_orientation(orientation);
    Ok(img)
}

/// `img` resized to `width` × `height`, written as `format`.
fn resize(
    img: &DynamicImage,
    format: Format,
    width: u32,
    height: u32,
) -> image::ImageResult<Vec<u8>> {
    // Catmull-Rom: as sharp as Lanczos on photos at a fraction of its time.
    let small = img.resize_exact(width, height, image::imageops::FilterType::CatmullRom);
    let mut out = Vec::new();
    match format {
        Format::Jpeg => {
            let rgb = small.to_rgb8();
            image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY)
                .encode_image(&rgb)?;
        }
        Format::Png | Format::Webp => {
            let encoder = image::codecs::png::PngEncoder::new_with_quality(
                &mut out,
                image::codecs::png::CompressionType::Default,
                image::codecs::png::FilterType::Adaptive,
            );
            small.write_with_encoder(encoder)?;
        }
    }
    Ok(out)
}

/// Where the copy of `rel` `width` pixels wide is published: `photo.jpg` → `photo.480w.jpg`.
pub fn variant_path(rel: &str, width: u32) -> String {
    let name_at = rel.rfind('/').map_or(0, |i| i + 1);
    match rel[name_at..].rfind('.') {
        Some(dot) if dot > 0 => {
            let dot = name_at + dot;
            format!("{}.{width}w{}", &rel[..dot], &rel[dot..])
        }
        _ => format!("{rel}.{width}w"),
    }
}

/// The name of a resized copy in the cache folder.
fn cached_name(info: &Info, width: u32) -> String {
    let mut h = xxhash_rust::xxh3::Xxh3::new();
    h.update(&info.hash.to_le_bytes());
    h.update(&width.to_le_bytes());
    h.update(&SETTINGS.to_le_bytes());
    let ext = match info.format {
        Format::Jpeg => "jpg",
        Format::Png | Format::Webp => "png",
    };
    format!("{RESIZED}/{:032x}.{ext}", h.digest128())
}

/// Writes a file: the content file it comes from and its path below the output's root,
/// both `/`-separated below `content/` and the output, and its bytes.
pub type WriteFn<'a> = dyn Fn(&str, &str, &[u8]) -> Result<(), Diagnostic> + Sync + 'a;

/// What [`publish`] did.
#[derive(Debug, Default, Clone, Copy)]
pub struct Published {
    /// Resized copies written through.
    pub copies: usize,
    /// Of those, how many had to be made (the others were in the cache).
    pub resized: usize,
}

/// Writes the resized copies of every image of `table` through `write`, each from the
/// cache when it holds it, else made (and cached); in parallel, image by image. Then drops
/// from the cache every copy that no image of `table` needs.
pub fn publish(
    root: &Path,
    table: &Table,
    write: &WriteFn<'_>,
) -> Result<Published, Vec<Diagnostic>> {
    let resized = AtomicUsize::new(0);
    let mut todo: Vec<(&String, &Info)> = table
        .images
        .iter()
        .filter(|(_, i)| !i.variants().is_empty())
        .collect();
    if !todo.is_empty() {
        let _ = std::fs::create_dir_all(root.join(CACHE_DIR).join(RESIZED));
    }
    todo.sort_by(|a, b| a.0.cmp(b.0));
    let results: Vec<Result<usize, Diagnostic>> = todo
        .par_iter()
        .map(|(rel, info)| {
            let shown = Path::new(CONTENT_DIR).join(rel.as_str());
            let mut decoded: Option<DynamicImage> = None;
            let widths = info.variants();
            for &width in &widths {
                let name = cached_name(info, width);
                let bytes = match read_from_cache(root, &name) {
                    Some(bytes) => bytes,
                    None => {
                        if decoded.is_none() {
                            let source = std::fs::read(root.join(CONTENT_DIR).join(rel.as_str()))
                                .map_err(|e| {
                                Diagnostic::file(&shown, format!("cannot read: {e}"))
                            })?;
                            decoded = Some(decode(&source).map_err(|e| damaged(&shown, &e))?);
                        }
                        let img = decoded.as_ref().expect("decoded above");
                        let bytes = resize(img, info.format, width, info.height_at(width))
                            .map_err(|e| damaged(&shown, &e))?;
                        resized.fetch_add(1, Ordering::Relaxed);
                        // Only saves work: the copy is published all the same.
                        let _ = save_in_cache(root, &name, &bytes);
                        bytes
                    }
                };
                write(rel, &variant_path(rel, width), &bytes)?;
            }
            Ok(widths.len())
        })
        .collect();
    let mut errors = Vec::new();
    let mut copies = 0;
    for r in results {
        match r {
            Ok(n) => copies += n,
            Err(d) => errors.push(d),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    prune(root, table);
    Ok(Published {
        copies,
        resized: resized.into_inner(),
    })
}

fn damaged(shown: &Path, e: &image::ImageError) -> Diagnostic {
    Diagnostic::file(shown, format!("cannot resize the image: {e}"))
        .with_help("the file may be damaged: export it again (as JPEG or PNG) and build again")
}

/// Deletes from the cache every resized copy that no image of `table` needs.
fn prune(root: &Path, table: &Table) {
    let used: HashSet<String> = table
        .images
        .values()
        .flat_map(|i| i.variants().into_iter().map(move |w| cached_name(i, w)))
        .collect();
    let Ok(dir) = std::fs::read_dir(root.join(CACHE_DIR).join(RESIZED)) else {
        return;
    };
    for entry in dir.flatten() {
        let name = format!("{RESIZED}/{}", entry.file_name().to_string_lossy());
        if !used.contains(&name) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// What the body renderer needs to write images: the site's images and the word before a
/// credit, in the page's language.
pub struct Render<'a> {
    /// The site's images.
    pub table: &'a Table,
    /// The word before a credit ("Photo").
    pub credit: &'a str,
}

/// The path below the site's root that `dest`, an image's address on the page at
/// `page_url`, leads to, if it is a relative address of a file.
fn local_path(dest: &str, page_url: &str) -> Option<String> {
    if dest.is_empty() || dest.starts_with('/') || dest.contains(['?', '#']) {
        return None;
    }
    let scheme = dest.find(':').is_some_and(|i| !dest[..i].contains('/'));
    if scheme {
        return None;
    }
    let decoded = crate::check::percent_decode(dest);
    let mut parts: Vec<&str> = page_url.split('/').filter(|s| !s.is_empty()).collect();
    for seg in decoded.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop()?;
            }
            s => parts.push(s),
        }
    }
    Some(parts.join("/"))
}

/// `dest` with `.<width>w` before its extension, as [`variant_path`] names the copy.
fn variant_url(dest: &str, width: u32) -> String {
    variant_path(dest, width)
}

/// Replaces each image of `events` (a body on the page at `page_url`) with gloss's HTML
/// for it: `width` and `height` where the image is the site's, `srcset` and `sizes` where
/// it has resized copies, `loading="lazy"` from the second image on (the first is likely in
/// view when the page opens), and, for an image that is a paragraph of its own and has a
/// title, a `<figure>` with the title as its `<figcaption>` (the text after its last `|` a
/// credit). An image inside a sentence keeps its title as `title`: a `<figure>` cannot stand
/// in a paragraph. Events keep their places (those replaced become empty), so byte ranges
/// and indexes into `events` stay valid.
pub fn rewrite(events: &mut [Event<'_>], page_url: &str, render: &Render<'_>) {
    let mut seen = 0usize;
    let mut i = 0;
    while i < events.len() {
        let Event::Start(Tag::Image {
            dest_url, title, ..
        }) = &events[i]
        else {
            i += 1;
            continue;
        };
        let (dest, title) = (dest_url.to_string(), title.to_string());
        // Its end, and its alt text as pulldown-cmark writes it: the text inside, unmarked.
        let mut alt = String::new();
        let mut depth = 0usize;
        let mut j = i + 1;
        while j < events.len() {
            match &events[j] {
                Event::Start(Tag::Image { .. }) => depth += 1,
                Event::End(TagEnd::Image) if depth == 0 => break,
                Event::End(TagEnd::Image) => depth -= 1,
                Event::Text(t) | Event::Code(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                    alt.push_str(t)
                }
                Event::SoftBreak | Event::HardBreak => alt.push(' '),
                _ => {}
            }
            j += 1;
        }
        if j == events.len() {
            return;
        }
        let alone = i > 0
            && matches!(events[i - 1], Event::Start(Tag::Paragraph))
            && matches!(events.get(j + 1), Some(Event::End(TagEnd::Paragraph)));
        let figure = alone && !title.trim().is_empty();
        let info = local_path(&dest, page_url).and_then(|rel| render.table.get(&rel));
        let mut html = String::with_capacity(256);
        if figure {
            html.push_str("<figure class=\"gl-image\">");
        }
        img_html(&mut html, &dest, &alt, info, seen > 0);
        if figure {
            let (caption, credit) = match title.rsplit_once('|') {
                Some((c, cr)) => (c.trim(), cr.trim()),
                None => (title.trim(), ""),
            };
            html.push_str("<figcaption>");
            let _ = escape_html_body_text(&mut html, caption);
            if !credit.is_empty() {
                if !caption.is_empty() {
                    html.push(' ');
                }
                html.push_str("<small class=\"gl-credit\">");
                let _ = escape_html_body_text(&mut html, render.credit);
                html.push_str(": ");
                let _ = escape_html_body_text(&mut html, credit);
                html.push_str("</small>");
            }
            html.push_str("</figcaption></figure>\n");
            events[i - 1] = Event::InlineHtml("".into());
            events[j + 1] = Event::InlineHtml("".into());
        } else if !title.is_empty() {
            // `title` goes in before the closing `>` that img_html wrote.
            html.pop();
            html.push_str(" title=\"");
            let _ = escape_html(&mut html, &title);
            html.push_str("\">");
        }
        events[i] = Event::InlineHtml(html.into());
        for e in &mut events[i + 1..=j] {
            *e = Event::InlineHtml("".into());
        }
        seen += 1;
        i = j + 1;
    }
}

/// Writes the `<img>` of `dest` (the site's image `info`, if it is one) with `alt`.
fn img_html(out: &mut String, dest: &str, alt: &str, info: Option<&Info>, lazy: bool) {
    // The largest copy a reader is sent: the original up to the largest width, else that
    // width's copy (browsers without srcset get it too).
    let widest = WIDTHS[WIDTHS.len() - 1];
    let mut src = dest.to_string();
    let mut size = info.map(|i| (i.width, i.height));
    let mut srcset = String::new();
    if let Some(info) = info {
        let variants = info.variants();
        let mut candidates: Vec<(String, u32)> = variants
            .iter()
            .map(|&w| (variant_url(dest, w), w))
            .collect();
        if info.width <= widest {
            candidates.push((dest.to_string(), info.width));
        }
        if let Some((url, w)) = candidates.last()
            && *w != info.width
        {
            src = url.clone();
            size = Some((*w, info.height_at(*w)));
        }
        if candidates.len() > 1 {
            for (n, (url, w)) in candidates.iter().enumerate() {
                if n > 0 {
                    srcset.push_str(", ");
                }
                // A comma inside an address would end it in a srcset.
                let _ = escape_href(&mut srcset, &url.replace(',', "%2C"));
                let _ = write!(srcset, " {w}w");
            }
        }
    }
    out.push_str("<img src=\"");
    let _ = escape_href(&mut *out, &src);
    out.push('"');
    if !srcset.is_empty() {
        out.push_str(" srcset=\"");
        out.push_str(&srcset);
        out.push_str("\" sizes=\"");
        out.push_str(SIZES);
        out.push('"');
    }
    if let Some((w, h)) = size {
        let _ = write!(out, " width=\"{w}\" height=\"{h}\"");
    }
    out.push_str(" alt=\"");
    let _ = escape_html(&mut *out, alt);
    out.push('"');
    if lazy {
        out.push_str(" loading=\"lazy\"");
    }
    out.push_str(" decoding=\"async\">");
}

/// A warning for each image of `article`'s body (parsed as `events`) without alt text:
/// a screen reader has nothing to read for it, and a reader whose connection drops it
/// nothing to see.
pub fn alt_warnings(article: &Article, events: &crate::markdown::Events<'_>) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    let mut open: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    for (event, range) in events {
        match event {
            Event::Start(Tag::Image { .. }) => open.push((range.clone(), String::new())),
            Event::End(TagEnd::Image) => {
                if let Some((at, alt)) = open.pop()
                    && alt.trim().is_empty()
                {
                    let at = at.start + article.body_offset..at.end + article.body_offset;
                    out.push(
                        Diagnostic::at(&article.path, &article.source, at, "this image has no alt text")
                            .with_help(
                                "describe what it shows between the brackets, `![Commuters on the harbour bridge at dawn](photo.jpg)`: screen readers read it out, and it is shown where the image does not load",
                            )
                            .warning(),
                    );
                }
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some((_, alt)) = open.last_mut() {
                    alt.push_str(t);
                }
            }
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(width: u32, height: u32, format: Format) -> Info {
        Info {
            width,
            height,
            format,
            hash: 7,
        }
    }

    fn table(entries: &[(&str, Info)]) -> Table {
        Table::new(
            entries
                .iter()
                .map(|(k, v)| (k.to_string(), v.clone()))
                .collect(),
        )
    }

    fn html(md: &str, table: &Table) -> String {
        let mut events: Vec<Event<'_>> =
            pulldown_cmark::Parser::new_ext(md, crate::markdown::options()).collect();
        rewrite(
            &mut events,
            "2026/x/",
            &Render {
                table,
                credit: "Photo",
            },
        );
        let mut out = String::new();
        pulldown_cmark::html::push_html(&mut out, events.into_iter());
        out
    }

    #[test]
    fn variants_are_never_wider_than_the_image() {
        assert_eq!(
            info(2000, 1000, Format::Jpeg).variants(),
            vec![480, 960, 1600]
        );
        assert_eq!(info(1000, 500, Format::Png).variants(), vec![480, 960]);
        assert_eq!(info(480, 300, Format::Jpeg).variants(), Vec::<u32>::new());
        assert_eq!(info(3000, 2000, Format::Webp).variants(), Vec::<u32>::new());
        assert_eq!(info(2000, 1001, Format::Jpeg).height_at(480), 240);
        assert_eq!(info(5000, 1, Format::Jpeg).height_at(480), 1);
    }

    #[test]
    fn variant_paths_sit_beside_the_original() {
        assert_eq!(
            variant_path("2026/x/photo.jpg", 480),
            "2026/x/photo.480w.jpg"
        );
        assert_eq!(variant_path("a.b/photo", 480), "a.b/photo.480w");
        assert_eq!(variant_path(".hidden", 960), ".hidden.960w");
    }

    #[test]
    fn local_images_get_their_size_and_copies() {
        let t = table(&[("2026/x/photo.jpg", info(2000, 1000, Format::Jpeg))]);
        let out = html("![A bridge](photo.jpg)\n", &t);
        assert_eq!(
            out,
            "<p><img src=\"photo.1600w.jpg\" srcset=\"photo.480w.jpg 480w, photo.960w.jpg 960w, \
             photo.1600w.jpg 1600w\" sizes=\"(min-width: 730px) 684px, 100vw\" width=\"1600\" \
             height=\"800\" alt=\"A bridge\" decoding=\"async\"></p>\n"
        );
        // Also through `./`, `..` and percent-encoding.
        let t = table(&[("2026/a b.png", info(1000, 400, Format::Png))]);
        let out = html("![x](../a%20b.png)\n", &t);
        assert!(
            out.contains("src=\"../a%20b.png\" srcset=\"../a%20b.480w.png 480w, ../a%20b.960w.png 960w, ../a%20b.png 1000w\"")
                && out.contains("width=\"1000\" height=\"400\""),
            "{out}"
        );
    }

    #[test]
    fn the_first_image_loads_at_once_the_others_lazily() {
        let t = Table::default();
        let out = html("![a](a.jpg)\n\n![b](b.jpg) and ![c](c.jpg)\n", &t);
        assert_eq!(out.matches("loading=\"lazy\"").count(), 2, "{out}");
        assert!(
            out.starts_with("<p><img src=\"a.jpg\" alt=\"a\" decoding=\"async\">"),
            "{out}"
        );
        assert_eq!(out.matches("decoding=\"async\"").count(), 3);
    }

    #[test]
    fn remote_and_unknown_images_get_no_size() {
        let t = table(&[("2026/x/photo.jpg", info(2000, 1000, Format::Jpeg))]);
        for dest in [
            "https://example.org/photo.jpg",
            "//example.org/photo.jpg",
            "/photo.jpg",
            "other.jpg",
            "photo.jpg?x=1",
        ] {
            let out = html(&format!("![a]({dest})\n"), &t);
            assert!(
                !out.contains("width=") && !out.contains("srcset"),
                "{dest}: {out}"
            );
            assert!(out.contains("decoding=\"async\""), "{out}");
        }
    }

    #[test]
    fn a_titled_image_alone_is_a_figure_with_caption_and_credit() {
        let t = Table::default();
        let out = html("![Harbour](h.jpg \"The harbour at dawn | Jane Doe\")\n", &t);
        assert_eq!(
            out,
            "<figure class=\"gl-image\"><img src=\"h.jpg\" alt=\"Harbour\" decoding=\"async\">\
             <figcaption>The harbour at dawn <small class=\"gl-credit\">Photo: Jane Doe</small>\
             </figcaption></figure>\n"
        );
        let out = html("![Harbour](h.jpg \"| Jane Doe\")\n", &t);
        assert!(
            out.contains(
                "<figcaption><small class=\"gl-credit\">Photo: Jane Doe</small></figcaption>"
            ),
            "{out}"
        );
        // Inside a sentence: no figure, the title stays a title.
        let out = html("See ![Harbour](h.jpg \"At dawn\") here\n", &t);
        assert_eq!(
            out,
            "<p>See <img src=\"h.jpg\" alt=\"Harbour\" decoding=\"async\" title=\"At dawn\"> here</p>\n"
        );
    }

    #[test]
    fn contributor_words_stay_inert() {
        let t = Table::default();
        let out = html(
            "![\"><script>alert(1)</script>](h.jpg \"<b onclick=x>cap</b> | <img src=x onerror=alert(1)>\")\n",
            &t,
        );
        assert!(
            !out.contains("<script") && !out.contains("<b ") && !out.contains("<img src=x"),
            "{out}"
        );
        // Raw HTML in alt text is no text: it goes, as pulldown-cmark drops it.
        assert!(out.contains("alt=\"&quot;&gt;alert(1)\""), "{out}");
        assert!(out.contains("&lt;b onclick=x&gt;cap&lt;/b&gt;"), "{out}");
        let out = html("![a](\"onerror=alert(1) \"x\\\" y\")\n", &t);
        assert!(!out.contains(" onerror"), "{out}");
    }

    #[test]
    fn sizes_come_from_the_file_turned_as_shown() {
        let mut bytes = Vec::new();
        image::RgbImage::new(30, 20)
            .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png)
            .unwrap();
        assert_eq!(probe(&bytes).unwrap(), (30, 20));
        assert!(probe(b"not an image").is_err());
        let img = decode(&bytes).unwrap();
        let small = resize(&img, Format::Jpeg, 15, 10).unwrap();
        assert_eq!(probe(&small).unwrap(), (15, 10));
    }
}
