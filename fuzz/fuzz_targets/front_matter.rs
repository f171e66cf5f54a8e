//! Arbitrary bytes, read as an article file: parsing returns an article or diagnostics,
//! never panics.
#![no_main]
use std::path::PathBuf;

use gloss::config::Site;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let site = Site::standalone();
    let _ = gloss::content::parse_article(&site, PathBuf::from("a.md"), text, "a/".into());
});
