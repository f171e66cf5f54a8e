//! The whole build of a small site made from the input: a few files below `content/` (and
//! sometimes `static/` or the site root), their names and bytes taken from the input, odd
//! characters included. `gloss build` must never panic; a failed build leaves no output, and
//! a second build of the same files (incremental, from the cache) publishes the same bytes.
#![no_main]
use gloss_fuzz::{build_twice, site_from};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    build_twice(&site_from(data));
});
