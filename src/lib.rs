//! gloss: a static site generator for annotated news articles.
//!
//! Data flows one way: [`content`] loads articles, [`annotate`] anchors their annotations and
//! detects figures, [`render`] turns them into HTML, [`build`] writes the site (its session
//! and outputs drive [`serve`] and [`check`] too), [`search`] makes its index from the
//! articles' summaries.
pub mod annotate;
pub mod build;
pub mod check;
pub mod config;
pub mod console;
pub mod content;
pub mod diagnostics;
pub mod edit;
pub mod i18n;
pub mod images;
pub mod lang;
pub(crate) mod links;
pub mod markdown;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub(crate) mod slug;
pub(crate) mod toml_input;
