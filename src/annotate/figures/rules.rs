//! The per-language part of the figure detector: one [`Rules`] per language,
//! read from an embedded data file (`lang/<code>.toml`, merged with `lang/common.toml`).
//!
//! Why data files rather than Rust tables: a language is then words and conventions a
//! translator can read and extend, not a tour of the scanner's code (the words were
//! `matches!` arms once). The files are embedded, so a build cannot miss one, and are read
//! once per process (well under a millisecond); the unit tests load every one of them, so a
//! broken file fails `cargo test`, never a build. Every word the scanner may ask about lands
//! in one hash table whose entry says all that word can be (number, scale, unit, month,
//! qualifier…), so a word is lowercased and looked up once, however many roles it is asked about.

use std::collections::{BTreeMap, HashMap};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::LazyLock;

use serde::Deserialize;

use super::Approx;

/// The longest word any table can hold; longer words are skipped without lowercasing them.
pub const MAX_WORD: usize = 24;

/// Lowercases ASCII letters and the Latin-1 capitals (Ä, É, Ñ…) into `buf`, and writes the
/// typographic apostrophe ’ as '; `None` for words too long to be in any table.
pub fn lower<'b>(word: &str, buf: &'b mut [u8; MAX_WORD]) -> Option<&'b [u8]> {
    let w = word.as_bytes();
    if w.len() > MAX_WORD {
        return None;
    }
    let mut n = 0;
    let mut i = 0;
    while i < w.len() {
        let b = w[i];
        if b == 0xE2 && w.get(i + 1..i + 3) == Some(&[0x80, 0x99]) {
            buf[n] = b'\'';
            n += 1;
            i += 3;
            continue;
        }
        // Latin-1 capitals are C3 80..=C3 9E in UTF-8; their lowercase is +0x20.
        buf[n] = if i > 0 && w[i - 1] == 0xC3 && (0x80..=0x9E).contains(&b) && b != 0x97 {
            b + 0x20
        } else {
            b.to_ascii_lowercase()
        };
        n += 1;
        i += 1;
    }
    buf.get(..n)
}

/// How a number word may stand in the text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WordUse {
    /// A figure on its own ("zwei", "twelve").
    Bare,
    /// Only a figure before a scale, unit or currency: German articles
    /// ("ein Problem") and English "one" ("one of them") are too common.
    NeedsUnit,
}

/// What a word after a number makes of it, besides scales and currencies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// A per-cent word.
    Percent,
    /// A percentage-point word.
    Points,
    /// A time unit: ISO 8601 designator, whether it is a time (T) part,
    /// the multiplier in that designator, and the unit name.
    Time(u8, bool, u32, &'static str),
}

/// The unit a data file names by its key.
fn unit_of(key: &str) -> Option<Unit> {
    Some(match key {
        "percent" => Unit::Percent,
        "percentage-points" => Unit::Points,
        "years" => Unit::Time(b'Y', false, 1, "years"),
        "decades" => Unit::Time(b'Y', false, 10, "years"),
        "centuries" => Unit::Time(b'Y', false, 100, "years"),
        "millennia" => Unit::Time(b'Y', false, 1000, "years"),
        "months" => Unit::Time(b'M', false, 1, "months"),
        "weeks" => Unit::Time(b'W', false, 1, "weeks"),
        "days" => Unit::Time(b'D', false, 1, "days"),
        "hours" => Unit::Time(b'H', true, 1, "hours"),
        "minutes" => Unit::Time(b'M', true, 1, "minutes"),
        "seconds" => Unit::Time(b'S', true, 1, "seconds"),
        _ => return None,
    })
}

/// Whether a unit is hours (a time of day can look like a number of them).
pub fn is_hours(u: Unit) -> bool {
    matches!(u, Unit::Time(b'H', true, 1, _))
}

/// Everything one (lowercased) word can be to the detector.
#[derive(Clone, Copy, Debug, Default)]
pub struct Entry {
    /// A number word: its value times ten ("anderthalb" is 15) and how it may stand.
    pub number: Option<(u32, WordUse)>,
    /// A scale word after a number: its power of ten.
    pub scale: Option<i32>,
    /// A scale only next to a currency ("5m").
    pub money_scale: Option<i32>,
    /// A scale glued to digits ("5bn"), and whether only after a currency sign.
    pub glued_scale: Option<(i32, bool)>,
    /// A currency word after an amount: its ISO 4217 code.
    pub currency: Option<&'static str>,
    /// An upper-case currency code before an amount ("USD 40").
    pub code: Option<&'static str>,
    /// A hundredth of a currency ("50 Cent").
    pub cent: Option<&'static str>,
    /// A unit word after a number.
    pub unit: Option<Unit>,
    /// A plural span that is a figure on its own ("Jahrzehnte").
    pub bare_span: Option<Unit>,
    /// A month name or abbreviation.
    pub month: Option<u8>,
    /// A one-word qualifier.
    pub approx: Option<Approx>,
    /// Role flags ([`YEAR_CONTEXT`] and the others).
    pub flags: u32,
}

/// After this word a four-digit number is a year.
pub const YEAR_CONTEXT: u32 = 1;
/// Before this word's number, the number is part of a name ("Windows 10").
pub const NAME: u32 = 1 << 1;
/// After this word "3." is an ordinal.
pub const ORDINAL_CONTEXT: u32 = 1 << 2;
/// A fraction word ("Drittel").
pub const FRACTION: u32 = 1 << 3;
/// A "dozen" word.
pub const DOZEN: u32 = 1 << 4;
/// A singular span or scale that an article turns into a figure ("a decade").
pub const ARTICLE_SCALE: u32 = 1 << 5;
/// The first word of a unit of several words ("per cent").
pub const PHRASE_START: u32 = 1 << 6;
/// The last word of a qualifier of two words ("mehr als").
pub const APPROX_END: u32 = 1 << 7;
/// Before a duration, a one-word "more than" after this word means "more than".
pub const MORE_THAN_CONTEXT: u32 = 1 << 8;
/// Joins a scale to its currency or unit ("millions d'euros").
pub const SCALE_LINK: u32 = 1 << 9;
/// A unit word of a clock-style duration ("Stunden").
pub const CLOCK_UNIT: u32 = 1 << 10;
/// The last word of a ratio's link ("one in five").
pub const RATIO_END: u32 = 1 << 11;
/// Before a year, makes it a decade ("années 1990").
pub const DECADE_BEFORE: u32 = 1 << 12;
/// An article a qualifier may stand before ("al menos un 10 %").
pub const NUMBER_ARTICLE: u32 = 1 << 13;
/// After this word a four-digit number before no count noun is a year, however old
/// ("el terremoto de 1755").
pub const OLD_YEAR_CONTEXT: u32 = 1 << 14;

/// A sequence of lowercased words (elided words end in ').
type Words = Vec<Box<[u8]>>;

/// Which nouns after a four-digit number make it a quantity rather than a year.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NounRule {
    /// Any capitalised word (German nouns): "2000 Menschen".
    Capital,
    /// A lower-case plural in -s, or a listed noun: "2000 people".
    Plural,
}

/// The figure conventions of one language.
pub struct Rules {
    code: &'static str,
    words: HashMap<Box<[u8]>, Entry, BuildHasherDefault<WordHasher>>,
    pairs: Box<[u64; 1024]>,
    /// Shortest and longest anchor word, in bytes.
    pub(super) anchor_len: (usize, usize),
    /// Decimal mark inside numbers.
    pub(super) decimal: u8,
    /// Grouping mark inside numbers (besides spaces).
    pub(super) group: u8,
    /// Whether "hundred" after a number multiplies it.
    pub(super) hundred_is_scale: bool,
    /// Compound number words: the join ("-" glued, or a word) and the smallest round ten.
    pub(super) compound: Option<(Box<[u8]>, u32)>,
    /// "half" ("half a billion", "almost half").
    pub(super) half: Option<Box<[u8]>>,
    /// Articles that stand for one ("a decade"), as written.
    pub(super) articles: Vec<String>,
    /// Whether words elide before an apostrophe ("d'euros", "jusqu'à").
    pub(super) elision: bool,
    /// Units and currencies of several words: words and a unit or a currency code.
    pub(super) phrases: Vec<(Words, Result<Unit, &'static str>)>,
    /// Qualifiers of two words.
    pub(super) approx2: Vec<(Words, Approx)>,
    /// Words linking "one" to the whole of a ratio ("in", "sur", "de cada").
    pub(super) ratio_links: Vec<Words>,
    /// Dates: the day ends in a dot ("22. Juli").
    pub(super) day_dot: bool,
    /// Dates: letters that may follow the day ("22nd", "1er").
    pub(super) day_suffixes: Vec<String>,
    /// Dates: the word between day and month ("22 de julio").
    pub(super) day_link: Option<Box<[u8]>>,
    /// Dates: the word between month and year ("julio de 2019").
    pub(super) year_link: Option<Box<[u8]>>,
    /// Dates: the month may come before the day ("July 22").
    pub(super) month_first: bool,
    /// Dates: month names are written in lower case.
    pub(super) months_lowercase: bool,
    /// Dates: day/month/year with slashes ("22/07/2019").
    pub(super) slash_dates: bool,
    /// Ranges: "bis", "to".
    pub(super) range_to: Vec<String>,
    /// Ranges after "between": "und", "and".
    pub(super) range_and: Vec<String>,
    /// Ranges: "zwischen", "between".
    pub(super) range_between: Vec<Box<[u8]>>,
    /// Ranges: words an article may put between "between" and a number ("entre el 3").
    pub(super) range_articles: Vec<Box<[u8]>>,
    /// Ranges: a "to" followed by one of these is no range ("bis zu").
    pub(super) range_to_not_before: Vec<Box<[u8]>>,
    /// First bytes of range connectors (and the dash's).
    pub(super) range_first: [bool; 256],
    /// Last bytes of "between" words and range articles.
    pub(super) range_between_last: [bool; 256],
    /// Years: which following nouns make a number a quantity.
    pub(super) noun_rule: NounRule,
    /// Years: nouns that make a number a quantity besides the rule's.
    pub(super) count_nouns: Vec<String>,
    /// Years: words the plural rule would take for nouns ("sees").
    pub(super) not_nouns: Vec<String>,
    /// Years: suffixes that make a year a decade ("1990er").
    pub(super) decade_suffixes: Vec<String>,
    /// Times of day: words after the number ("Uhr"; "p." means "p" and a dot).
    pub(super) clock_after: Vec<String>,
    /// Times of day: words before a number of hours ("à 20 heures").
    pub(super) clock_before_hours: Vec<Words>,
    /// Times of day: words before any number ("a las 10").
    pub(super) clock_before: Vec<Words>,
}

impl std::fmt::Debug for Rules {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Rules({})", self.code)
    }
}

/// The languages figures are detected in, with their data files.
const FILES: &[(&str, &str)] = &[
    ("de", include_str!("lang/de.toml")),
    ("en", include_str!("lang/en.toml")),
    ("fr", include_str!("lang/fr.toml")),
    ("es", include_str!("lang/es.toml")),
];

const COMMON: &str = include_str!("lang/common.toml");

static RULES: LazyLock<Vec<Rules>> = LazyLock::new(|| {
    FILES
        .iter()
        .map(|(code, text)| match load(code, text) {
            Ok(r) => r,
            // The files are embedded and every one is loaded by the unit tests.
            Err(e) => panic!("src/annotate/figures/lang/{code}.toml: {e}"),
        })
        .collect()
});

/// The figure rules for a BCP 47 language tag ("fr", "fr-CA", "es_ES"); `None` for a
/// language gloss detects no figures in.
pub fn rules_for(tag: &str) -> Option<&'static Rules> {
    let primary = tag.split(['-', '_']).next().unwrap_or("");
    let i = FILES
        .iter()
        .position(|(code, _)| code.eq_ignore_ascii_case(primary))?;
    RULES.get(i)
}

/// The codes of the languages figures are detected in.
pub fn codes() -> impl Iterator<Item = &'static str> {
    FILES.iter().map(|(c, _)| *c)
}

impl Rules {
    /// The language's primary BCP 47 subtag.
    pub fn code(&self) -> &'static str {
        self.code
    }

    /// What the lowercased word `w` can be.
    #[inline]
    pub fn get(&self, w: &[u8]) -> Option<&Entry> {
        self.words.get(w)
    }

    /// Whether a word starting with these two bytes can be an anchor at all.
    #[inline]
    pub fn may_anchor(&self, b0: u8, b1: u8) -> bool {
        let k = usize::from(b0.to_ascii_lowercase()) << 8 | usize::from(b1.to_ascii_lowercase());
        self.pairs[k / 64] & (1 << (k % 64)) != 0
    }

    /// Whether `w` (lowercased) has any of `flags`.
    #[inline]
    pub fn has(&self, w: &[u8], flags: u32) -> bool {
        self.get(w).is_some_and(|e| e.flags & flags != 0)
    }
}

/// FxHash-style multiply-rotate hash: the keys are short words the program itself
/// supplies, so no defence against chosen collisions is needed, and SipHash would cost
/// more than the rest of a lookup.
#[derive(Default)]
pub struct WordHasher(u64);

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        const K: u64 = 0x517c_c1b7_2722_0a95;
        let mut h = self.0;
        let mut chunks = bytes.chunks_exact(8);
        for c in &mut chunks {
            h = (h.rotate_left(5) ^ c.try_into().map_or(0, u64::from_le_bytes)).wrapping_mul(K);
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut b = [0u8; 8];
            b[..rest.len()].copy_from_slice(rest);
            h = (h.rotate_left(5) ^ u64::from_le_bytes(b)).wrapping_mul(K);
        }
        self.0 = h;
    }

    fn write_usize(&mut self, n: usize) {
        self.0 = (self.0.rotate_left(5) ^ n as u64).wrapping_mul(0x517c_c1b7_2722_0a95);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// One data file, as written.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct File {
    decimal_mark: Option<char>,
    group_mark: Option<char>,
    #[serde(default)]
    needs_unit: Vec<String>,
    hundred_is_scale: Option<bool>,
    compound: Option<Compound>,
    half: Option<String>,
    #[serde(default)]
    articles: Vec<String>,
    #[serde(default)]
    article_scales: Vec<String>,
    elision: Option<bool>,
    #[serde(default)]
    numbers: BTreeMap<String, f64>,
    #[serde(default)]
    scales: BTreeMap<String, i32>,
    #[serde(default)]
    money_scales: BTreeMap<String, i32>,
    #[serde(default)]
    glued_scales: BTreeMap<String, i32>,
    #[serde(default)]
    glued_money_scales: BTreeMap<String, i32>,
    #[serde(default)]
    scale_links: Vec<String>,
    #[serde(default)]
    words: WordLists,
    #[serde(default)]
    names: Vec<String>,
    #[serde(default)]
    currencies: BTreeMap<String, String>,
    #[serde(default)]
    currency_codes: BTreeMap<String, String>,
    #[serde(default)]
    cents: BTreeMap<String, String>,
    #[serde(default)]
    units: BTreeMap<String, String>,
    #[serde(default)]
    phrases: BTreeMap<String, String>,
    #[serde(default)]
    bare_spans: BTreeMap<String, String>,
    #[serde(default)]
    months: BTreeMap<String, u8>,
    #[serde(default)]
    approx: BTreeMap<String, String>,
    #[serde(default)]
    durations: Durations,
    #[serde(default)]
    dates: Dates,
    #[serde(default)]
    ranges: Ranges,
    #[serde(default)]
    years: Years,
    #[serde(default)]
    clock: Clock,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Compound {
    join: String,
    from: u32,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct WordLists {
    #[serde(default)]
    dozen: Vec<String>,
    #[serde(default)]
    fractions: Vec<String>,
    #[serde(default)]
    year_context: Vec<String>,
    #[serde(default)]
    ordinal_context: Vec<String>,
    #[serde(default)]
    ratio_links: Vec<String>,
    #[serde(default)]
    names: Vec<String>,
    #[serde(default)]
    number_articles: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Durations {
    #[serde(default)]
    more_than_context: Vec<String>,
    #[serde(default)]
    clock_units: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Dates {
    day_dot: Option<bool>,
    #[serde(default)]
    day_suffixes: Vec<String>,
    day_link: Option<String>,
    year_link: Option<String>,
    month_first: Option<bool>,
    months_lowercase: Option<bool>,
    slashes: Option<bool>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Ranges {
    #[serde(default)]
    to: Vec<String>,
    #[serde(default)]
    and: Vec<String>,
    #[serde(default)]
    between: Vec<String>,
    #[serde(default)]
    articles: Vec<String>,
    #[serde(default)]
    to_not_before: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Years {
    noun_rule: Option<String>,
    #[serde(default)]
    count_nouns: Vec<String>,
    #[serde(default)]
    not_nouns: Vec<String>,
    #[serde(default)]
    decade_suffixes: Vec<String>,
    #[serde(default)]
    decade_before: Vec<String>,
    #[serde(default)]
    old_year_context: Vec<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Clock {
    #[serde(default)]
    after: Vec<String>,
    #[serde(default)]
    before_hours: Vec<String>,
    #[serde(default)]
    before: Vec<String>,
}

/// Splits a phrase into lowercased words; an elided word keeps its apostrophe
/// ("jusqu'à" is "jusqu'" and "à").
fn split_words(phrase: &str) -> Result<Words, String> {
    let mut out = Vec::new();
    for part in phrase.split_whitespace() {
        let mut rest = part;
        while let Some(i) = rest.find(['\'', '’']) {
            let q = rest[i..].chars().next().map_or(1, char::len_utf8);
            out.push(key(&rest[..i + q])?);
            rest = &rest[i + q..];
        }
        if !rest.is_empty() {
            out.push(key(rest)?);
        }
    }
    if out.is_empty() {
        return Err(format!("empty phrase {phrase:?}"));
    }
    Ok(out)
}

fn key(w: &str) -> Result<Box<[u8]>, String> {
    let mut buf = [0; MAX_WORD];
    lower(w, &mut buf)
        .map(Box::from)
        .ok_or_else(|| format!("{w:?} is longer than {MAX_WORD} bytes"))
}

fn code_of(c: &str) -> Result<&'static str, String> {
    super::units::currency(c).ok_or_else(|| format!("{c:?} is not an ISO 4217 currency code"))
}

fn approx_of(a: &str) -> Result<Approx, String> {
    Ok(match a {
        "about" => Approx::About,
        "more-than" => Approx::MoreThan,
        "less-than" => Approx::LessThan,
        "at-least" => Approx::AtLeast,
        "at-most" => Approx::AtMost,
        "nearly" => Approx::Nearly,
        "up-to" => Approx::UpTo,
        _ => return Err(format!("unknown qualifier {a:?}")),
    })
}

fn unit_or_err(u: &str) -> Result<Unit, String> {
    unit_of(u).ok_or_else(|| format!("unknown unit {u:?}"))
}

/// Merges `extra` (common.toml) into `file`: tables and lists are joined, a setting the
/// language makes wins.
fn merge(file: &mut File, extra: File) {
    fn join<T>(a: &mut Vec<T>, b: Vec<T>) {
        a.extend(b);
    }
    fn join_map<K: Ord, V>(a: &mut BTreeMap<K, V>, b: BTreeMap<K, V>) {
        for (k, v) in b {
            a.entry(k).or_insert(v);
        }
    }
    join_map(&mut file.currencies, extra.currencies);
    join_map(&mut file.currency_codes, extra.currency_codes);
    join_map(&mut file.glued_scales, extra.glued_scales);
    join_map(&mut file.glued_money_scales, extra.glued_money_scales);
    join(&mut file.names, extra.names);
    join(&mut file.years.decade_suffixes, extra.years.decade_suffixes);
}

fn load(code: &'static str, text: &str) -> Result<Rules, String> {
    let mut f: File = toml::from_str(text).map_err(|e| e.to_string())?;
    let common: File = toml::from_str(COMMON).map_err(|e| format!("lang/common.toml: {e}"))?;
    merge(&mut f, common);
    let mut words: HashMap<Box<[u8]>, Entry, BuildHasherDefault<WordHasher>> = HashMap::default();
    let mut anchors: Vec<Box<[u8]>> = Vec::new();
    macro_rules! entry {
        ($w:expr) => {
            words.entry(key($w)?).or_default()
        };
    }
    for (w, v) in &f.numbers {
        let tenfold = (v * 10.0).round();
        if !(0.0..=u32::MAX as f64).contains(&tenfold) {
            return Err(format!("number word {w:?}: {v} is out of range"));
        }
        let usage = if f.needs_unit.contains(w) {
            WordUse::NeedsUnit
        } else {
            WordUse::Bare
        };
        entry!(w).number = Some((tenfold as u32, usage));
        anchors.push(key(w)?);
    }
    for w in &f.needs_unit {
        if !f.numbers.contains_key(w) {
            return Err(format!("needs_unit: {w:?} is not a number word"));
        }
    }
    for (w, p) in &f.scales {
        entry!(w).scale = Some(*p);
    }
    for (w, p) in &f.money_scales {
        entry!(w).money_scale = Some(*p);
    }
    for (w, p) in &f.glued_scales {
        entry!(w).glued_scale = Some((*p, false));
    }
    for (w, p) in &f.glued_money_scales {
        entry!(w).glued_scale = Some((*p, true));
    }
    for w in &f.scale_links {
        entry!(w).flags |= SCALE_LINK;
    }
    for (w, c) in &f.currencies {
        entry!(w).currency = Some(code_of(c)?);
    }
    for (w, c) in &f.currency_codes {
        entry!(w).code = Some(code_of(c)?);
    }
    for (w, c) in &f.cents {
        entry!(w).cent = Some(code_of(c)?);
    }
    for (w, u) in &f.units {
        entry!(w).unit = Some(unit_or_err(u)?);
    }
    for (w, u) in &f.bare_spans {
        entry!(w).bare_span = Some(unit_or_err(u)?);
        anchors.push(key(w)?);
    }
    for w in &f.article_scales {
        let k = key(w)?;
        let e = words.get(&k).copied().unwrap_or_default();
        if e.unit.is_none() && e.scale.is_none() {
            return Err(format!(
                "article_scales: {w:?} is neither a unit nor a scale"
            ));
        }
        entry!(w).flags |= ARTICLE_SCALE;
        anchors.push(k);
    }
    if let Some(h) = &f.half {
        anchors.push(key(h)?);
    }
    for (w, m) in &f.months {
        if !(1..=12).contains(m) {
            return Err(format!("month {w:?}: {m} is not a month"));
        }
        entry!(w).month = Some(*m);
    }
    let mut approx2 = Vec::new();
    for (w, a) in &f.approx {
        let a = approx_of(a)?;
        let parts = split_words(w)?;
        match parts.len() {
            1 => entry!(w).approx = Some(a),
            2 => {
                words.entry(parts[1].clone()).or_default().flags |= APPROX_END;
                approx2.push((parts, a));
            }
            _ => return Err(format!("qualifier {w:?}: at most two words")),
        }
    }
    let mut phrases = Vec::new();
    for (p, v) in &f.phrases {
        let parts = split_words(p)?;
        if parts.len() < 2 || parts.len() > 3 {
            return Err(format!("phrase {p:?}: two or three words"));
        }
        let target = match unit_of(v) {
            Some(u) => Ok(u),
            None => Err(code_of(v)?),
        };
        words.entry(parts[0].clone()).or_default().flags |= PHRASE_START;
        phrases.push((parts, target));
    }
    // Longest first, so that "points de pourcentage" wins over a shorter phrase.
    phrases.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
    let flag_all =
        |words: &mut HashMap<_, Entry, _>, list: &[String], flag| -> Result<(), String> {
            for w in list {
                words.entry(key(w)?).or_default().flags |= flag;
            }
            Ok(())
        };
    flag_all(&mut words, &f.words.year_context, YEAR_CONTEXT)?;
    flag_all(&mut words, &f.names, NAME)?;
    flag_all(&mut words, &f.words.names, NAME)?;
    flag_all(&mut words, &f.words.ordinal_context, ORDINAL_CONTEXT)?;
    flag_all(&mut words, &f.words.fractions, FRACTION)?;
    flag_all(&mut words, &f.words.dozen, DOZEN)?;
    flag_all(
        &mut words,
        &f.durations.more_than_context,
        MORE_THAN_CONTEXT,
    )?;
    flag_all(&mut words, &f.durations.clock_units, CLOCK_UNIT)?;
    flag_all(&mut words, &f.years.decade_before, DECADE_BEFORE)?;
    flag_all(&mut words, &f.words.number_articles, NUMBER_ARTICLE)?;
    flag_all(&mut words, &f.years.old_year_context, OLD_YEAR_CONTEXT)?;
    let mut ratio_links = Vec::new();
    for l in &f.words.ratio_links {
        let parts = split_words(l)?;
        if let Some(last) = parts.last() {
            words.entry(last.clone()).or_default().flags |= RATIO_END;
        }
        ratio_links.push(parts);
    }
    let mut pairs = Box::new([0u64; 1024]);
    let mut anchor_len = (usize::MAX, 0);
    for a in &anchors {
        if a.len() < 2 {
            return Err(format!("anchor word {:?} is shorter than two bytes", a));
        }
        let k = usize::from(a[0]) << 8 | usize::from(a[1]);
        pairs[k / 64] |= 1 << (k % 64);
        anchor_len = (anchor_len.0.min(a.len()), anchor_len.1.max(a.len()));
    }
    let ascii = |c: Option<char>, what: &str| -> Result<u8, String> {
        match c {
            Some(c) if c.is_ascii() => Ok(c as u8),
            _ => Err(format!("{what} must be one ASCII character")),
        }
    };
    let keys = |list: &[String]| -> Result<Vec<Box<[u8]>>, String> {
        list.iter().map(|w| key(w)).collect()
    };
    let phrase_list = |list: &[String]| -> Result<Vec<Words>, String> {
        list.iter().map(|w| split_words(w)).collect()
    };
    let mut range_first = [false; 256];
    range_first[0xE2] = true;
    for w in f.ranges.to.iter().chain(&f.ranges.and) {
        if let Some(&b) = w.as_bytes().first() {
            range_first[usize::from(b)] = true;
        }
    }
    let mut range_between_last = [false; 256];
    for w in f.ranges.between.iter().chain(&f.ranges.articles) {
        if let Some(&b) = w.as_bytes().last() {
            range_between_last[usize::from(b)] = true;
        }
    }
    let noun_rule = match f.years.noun_rule.as_deref() {
        Some("capital") => NounRule::Capital,
        Some("plural") | None => NounRule::Plural,
        Some(other) => return Err(format!("years.noun_rule: unknown rule {other:?}")),
    };
    Ok(Rules {
        code,
        words,
        pairs,
        anchor_len,
        decimal: ascii(f.decimal_mark, "decimal_mark")?,
        group: ascii(f.group_mark, "group_mark")?,
        hundred_is_scale: f.hundred_is_scale.unwrap_or(true),
        compound: match f.compound {
            Some(c) => Some((key(&c.join)?, c.from * 10)),
            None => None,
        },
        half: f.half.as_deref().map(key).transpose()?,
        articles: f.articles,
        elision: f.elision.unwrap_or(false),
        phrases,
        approx2,
        ratio_links,
        day_dot: f.dates.day_dot.unwrap_or(false),
        day_suffixes: f.dates.day_suffixes,
        day_link: f.dates.day_link.as_deref().map(key).transpose()?,
        year_link: f.dates.year_link.as_deref().map(key).transpose()?,
        month_first: f.dates.month_first.unwrap_or(false),
        months_lowercase: f.dates.months_lowercase.unwrap_or(false),
        slash_dates: f.dates.slashes.unwrap_or(false),
        range_to: f.ranges.to,
        range_and: f.ranges.and,
        range_between: keys(&f.ranges.between)?,
        range_articles: keys(&f.ranges.articles)?,
        range_to_not_before: keys(&f.ranges.to_not_before)?,
        range_first,
        range_between_last,
        noun_rule,
        count_nouns: f.years.count_nouns,
        not_nouns: f.years.not_nouns,
        decade_suffixes: f.years.decade_suffixes,
        clock_after: f.clock.after,
        clock_before_hours: phrase_list(&f.clock.before_hours)?,
        clock_before: phrase_list(&f.clock.before)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_file_loads() {
        for (code, text) in FILES {
            if let Err(e) = load(code, text) {
                panic!("lang/{code}.toml: {e}");
            }
        }
        assert_eq!(codes().count(), 4);
    }

    #[test]
    fn every_language_with_ui_words_has_figure_rules() {
        for lang in crate::lang::Lang::all() {
            assert!(
                rules_for(lang.code()).is_some(),
                "{} has a locale but no lang/{0}.toml",
                lang.code()
            );
        }
    }

    #[test]
    fn tags_resolve_by_their_primary_subtag() {
        assert_eq!(rules_for("fr-CA").map(Rules::code), Some("fr"));
        assert_eq!(rules_for("ES").map(Rules::code), Some("es"));
        assert_eq!(rules_for("de_AT").map(Rules::code), Some("de"));
        assert!(rules_for("zh").is_none());
    }

    #[test]
    fn a_broken_file_is_an_error_not_a_guess() {
        assert!(load("xx", "decimal_mark = \",\"\n[units]\nans = \"ages\"").is_err());
        assert!(load("xx", "[numbers]\nun = 1\n[approx]\n\"a b c\" = \"about\"").is_err());
        assert!(load("xx", "spelling = 1").is_err());
    }

    #[test]
    fn words_are_lowercased_with_apostrophes_unified() {
        let mut buf = [0; MAX_WORD];
        assert_eq!(lower("Jusqu’À", &mut buf), Some(&b"jusqu'\xc3\xa0"[..]));
        assert_eq!(lower("ÜBER", &mut buf), Some("über".as_bytes()));
    }
}
