//! Figure detection on arbitrary text, in every language: never panics, and every
//! figure lies on char boundaries, sorted and non-overlapping.
#![no_main]
use gloss::annotate::figures::{codes, detect, rules_for};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    for lang in codes().filter_map(rules_for) {
        for year in [None, Some(2019)] {
            let figures = detect(text, lang, year);
            let mut last_end = 0;
            for f in &figures {
                assert!(f.start < f.end, "empty figure {f:?}");
                assert!(f.end <= text.len(), "figure past the end {f:?}");
                assert!(text.is_char_boundary(f.start), "start inside a char {f:?}");
                assert!(text.is_char_boundary(f.end), "end inside a char {f:?}");
                assert!(f.start >= last_end, "overlapping or unsorted {f:?}");
                last_end = f.end;
            }
        }
    }
});
