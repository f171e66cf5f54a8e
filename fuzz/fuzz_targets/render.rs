//! The whole render of one input, with figures on, as `gloss render` does it: an article
//! when the input has front matter, markdown otherwise. Then, for an article, the body as
//! `build` publishes it (sanitized). Never panics.
#![no_main]
use std::path::{Path, PathBuf};

use gloss::config::Site;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let site = Site::standalone();
    let _ = gloss::build::render_fragment(&site, Path::new("a.md"), text.clone(), true, false);
    if let Ok(article) =
        gloss::content::parse_article(&site, PathBuf::from("a.md"), text, "a/".into())
    {
        if let Ok(anchored) = gloss::annotate::anchor(&article, true) {
            let numbers = gloss::render::reading_order(&anchored);
            let _ = gloss::render::body_html(&article, &anchored, &numbers, true);
        }
    }
});
