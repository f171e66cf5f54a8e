//! Annotating from outside the front matter: anchors computed from a selection, annotations
//! written into an article's front matter without disturbing the rest of the file.
pub mod anchor;
pub mod writer;
