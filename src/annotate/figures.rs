//! Placeholder until the detector lands: finds nothing.
use crate::lang::Lang;

/// What kind of quantity a figure is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FigureKind {
    Number,
    Money,
    Percent,
    PercentagePoints,
    Year,
    Date,
    Duration,
}
/// How a figure is qualified.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Approx {
    About,
    MoreThan,
    LessThan,
    AtLeast,
    AtMost,
    Nearly,
    UpTo,
}
/// One number found in the text a reader sees.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Figure {
    pub start: usize,
    pub end: usize,
    pub kind: FigureKind,
    pub value: String,
    pub unit: Option<String>,
    pub approx: Option<Approx>,
    pub year_inferred: bool,
}
/// Finds every figure in `text`.
pub fn detect(_text: &str, _lang: Lang, _article_year: Option<i16>) -> Vec<Figure> {
    Vec::new()
}
