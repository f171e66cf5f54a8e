//! An article with fixed front matter whose `[[note]]` text and body come from the input:
//! anchoring (with figure detection) never panics. Input: note text, a 0xFF byte, the body.
#![no_main]
use std::path::PathBuf;

use gloss::config::Site;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Some(text) = gloss_fuzz_article(data) {
        let site = Site::standalone();
        if let Ok(article) =
            gloss::content::parse_article(&site, PathBuf::from("a.md"), text, "a/".into())
        {
            let _ = gloss::annotate::anchor(&article, true);
        }
    }
});

/// Splits the input at the first 0xFF byte into note text and body, and writes the article.
fn gloss_fuzz_article(data: &[u8]) -> Option<String> {
    let split = data
        .iter()
        .position(|&b| b == 0xff)
        .unwrap_or(data.len().min(16));
    let note = String::from_utf8_lossy(&data[..split]);
    let body = String::from_utf8_lossy(data.get(split + 1..).unwrap_or(&[]));
    // A TOML basic string: escape what would end or break it.
    let quoted = serde_json_like(&note);
    Some(format!(
        "+++\ntitle = \"T\"\ndate = 2019-07-24\n[[note]]\ntext = {quoted}\nnote = \"n\"\n+++\n{body}"
    ))
}

fn serde_json_like(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 || c == '\u{7f}' => {
                out.push_str(&format!("\\u{:04X}", c as u32));
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
