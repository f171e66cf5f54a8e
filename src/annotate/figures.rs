//! Automatic detection of figures — numbers, amounts, percentages, years,
//! dates and durations — in the plain text of an article.
//!
//! The scanner walks the bytes once. Only digits and the few words that can
//! start a figure on their own (number words, "Jahrhunderte", "a billion")
//! are anchors; everything else about a figure (qualifier, currency
//! sign, month, unit) is read around an anchor, so ordinary prose costs one
//! table lookup per byte. Values are kept as integer mantissa and power of
//! ten, never as floats, so "1,5 Millionen" is exactly "1500000".

mod rules;
pub mod units;

use crate::lang::Lang;
use rules::{Entry, MAX_WORD, NounRule, Unit, WordUse};
pub use rules::{Rules, codes, rules_for};

/// What kind of quantity a figure is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FigureKind {
    /// A plain count or measure.
    Number,
    /// An amount of money; the unit is its ISO 4217 code.
    Money,
    /// A percentage, stored as a fraction ("50 %" is "0.5").
    Percent,
    /// A difference of percentages, stored as the number of points.
    PercentagePoints,
    /// A calendar year (or decade, with unit "decade").
    Year,
    /// A calendar date, ISO 8601 ("2019-07-22", "2019-07", "--07-22").
    Date,
    /// A span of time, ISO 8601 ("P5Y", "PT4H").
    Duration,
}

/// How a figure is qualified ("rund", "more than"...).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Approx {
    /// "rund", "etwa", "about".
    About,
    /// "mehr als", "über", "more than".
    MoreThan,
    /// "weniger als", "unter", "less than".
    LessThan,
    /// "mindestens", "at least".
    AtLeast,
    /// "höchstens", "at most".
    AtMost,
    /// "fast", "knapp", "nearly".
    Nearly,
    /// "bis zu", "up to".
    UpTo,
}

impl Approx {
    /// The kebab-case name used in HTML attributes and templates.
    pub fn key(self) -> &'static str {
        match self {
            Approx::About => "about",
            Approx::MoreThan => "more-than",
            Approx::LessThan => "less-than",
            Approx::AtLeast => "at-least",
            Approx::AtMost => "at-most",
            Approx::Nearly => "nearly",
            Approx::UpTo => "up-to",
        }
    }
}

/// One number found in the text a reader sees.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Figure {
    /// Byte offset of the first byte of the whole expression.
    pub start: usize,
    /// Byte offset just past the expression.
    pub end: usize,
    /// What kind of quantity it is.
    pub kind: FigureKind,
    /// Normalized value: a decimal string, an ISO date or an ISO duration.
    pub value: String,
    /// A key of the unit list ([`units`]): ISO 4217 code, "percent", "year", "days", …
    pub unit: Option<String>,
    /// The qualifier written before the number, if any.
    pub approx: Option<Approx>,
    /// A date without a year took the article's year.
    pub year_inferred: bool,
    /// The high end of a range ("10–15 Prozent"), normalized as `value` is (the low end).
    pub max: Option<String>,
}

/// Finds every figure that carries a quantity in `text` (plain text a reader sees, may
/// contain '\n'), sorted by start, non-overlapping: money, percentages, dates, years,
/// durations, numbers with a scale word, and ranges of them. Bare counts ("zwei", "(3)",
/// "District 1") are left out; [`detect_with`] finds them too.
pub fn detect(text: &str, rules: &Rules, article_year: Option<i16>) -> Vec<Figure> {
    detect_with(text, rules, article_year, false)
}

/// [`detect`], and with `counts` also bare counts (numbers with no unit, currency or scale).
pub fn detect_with(
    text: &str,
    rules: &Rules,
    article_year: Option<i16>,
    counts: bool,
) -> Vec<Figure> {
    let cx = Cx {
        text,
        b: text.as_bytes(),
        r: rules,
        year: article_year,
        counts,
        before_cache: std::cell::Cell::new(None),
        entry_cache: std::cell::Cell::new(None),
    };
    let mut out: Vec<Figure> = Vec::with_capacity(text.len() / 256);
    let b = cx.b;
    // Eight bytes at a time: find where runs of ASCII letters or digits
    // begin, and look closer only at digits and at words whose first two
    // letters some anchor shares.
    let mut pos = 0;
    let mut resume = 0;
    while pos < b.len() {
        let word = match b.get(pos..pos + 8) {
            Some(full) => full.try_into().map_or(0, u64::from_le_bytes),
            None => {
                let mut chunk = [0u8; 8];
                b[pos..].iter().zip(&mut chunk).for_each(|(s, d)| *d = *s);
                u64::from_le_bytes(chunk)
            }
        };
        let (letters, digits) = classify(word);
        let alnum = letters | digits;
        let carry = if pos > 0 && b[pos - 1].is_ascii_alphanumeric() {
            0x80
        } else {
            0
        };
        let mut starts = alnum & !((alnum << 8) | carry);
        let mut next_pos = pos + 8;
        while starts != 0 {
            let k = (starts.trailing_zeros() / 8) as usize;
            starts &= starts - 1;
            let i = pos + k;
            if i < resume {
                continue;
            }
            let next = if digits & (0x80 << (8 * k)) != 0 {
                cx.numeric(i, out.last().map_or(0, |f| f.end), &mut out)
            } else if rules.may_anchor(b[i], cx.byte(i + 1)) {
                cx.word(i, &mut out)
            } else {
                continue;
            };
            resume = cx.boundary(next.max(i + 1));
            if resume > next_pos {
                next_pos = resume;
                break;
            }
        }
        pos = next_pos;
    }
    out
}

/// The detector for an article's language: the one place where the language an article
/// declares picks its figure rules. A language without a rules file (`lang/<code>.toml`)
/// gets no detected figures; its `[[figure]]`s still show.
pub fn rules_for_lang(lang: Lang) -> Option<&'static Rules> {
    rules_for(lang.code())
}

/// Marks (in each byte's high bit) the ASCII letters and the ASCII digits of
/// eight bytes.
fn classify(x: u64) -> (u64, u64) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH_BITS: u64 = 0x8080_8080_8080_8080;
    // Bytes of non-ASCII characters have their high bit set: never letters here.
    let ascii = !x & HIGH_BITS;
    let in_range = |y: u64, lo: u8, hi: u8| {
        let y = (y & !HIGH_BITS) | HIGH_BITS;
        let ge_lo = y - ONES * u64::from(lo);
        let gt_hi = y - ONES * (u64::from(hi) + 1);
        ge_lo & !gt_hi & HIGH_BITS
    };
    let letters = in_range(x | (ONES * 0x20), b'a', b'z') & ascii;
    let digits = in_range(x, b'0', b'9') & ascii;
    (letters, digits)
}

const OTHER: u8 = 0;
const DIGIT: u8 = 1;
const LETTER: u8 = 2;
const HIGH: u8 = 3;

/// Byte classes for the scanner: ASCII digit, ASCII letter, non-ASCII, other.
static CLASS: [u8; 256] = {
    let mut t = [OTHER; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        t[i] = if b.is_ascii_digit() {
            DIGIT
        } else if b.is_ascii_alphabetic() {
            LETTER
        } else if b >= 0x80 {
            HIGH
        } else {
            OTHER
        };
        i += 1;
    }
    t
};

/// An exact decimal: `mant × 10^exp`, negative if `neg`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Dec {
    mant: u128,
    exp: i32,
    neg: bool,
}

impl Dec {
    fn int(v: u128) -> Dec {
        Dec {
            mant: v,
            exp: 0,
            neg: false,
        }
    }

    fn shift(self, by: i32) -> Dec {
        Dec {
            exp: self.exp.saturating_add(by),
            ..self
        }
    }

    fn times(self, k: u32) -> Option<Dec> {
        Some(Dec {
            mant: self.mant.checked_mul(u128::from(k))?,
            ..self
        })
    }

    /// Whether `self` is smaller than `other`; `false` when unsure (absurd exponents).
    fn less_than(self, other: Dec) -> bool {
        if self.neg || other.neg {
            return false;
        }
        let e = self.exp.min(other.exp);
        let up = |d: Dec| -> Option<u128> {
            let k = u32::try_from(d.exp - e).ok()?;
            d.mant.checked_mul(10u128.checked_pow(k)?)
        };
        match (up(self), up(other)) {
            (Some(a), Some(b)) => a < b,
            _ => false,
        }
    }

    /// The plain decimal string; `None` for absurd exponents no article has.
    fn render(self) -> Option<String> {
        if !(-40..=40).contains(&self.exp) {
            return None;
        }
        let mut buf = [0u8; 40];
        let mut at = buf.len();
        // u128 division is a library call; nearly every mantissa fits in u64.
        let mut wide = self.mant;
        while wide > u128::from(u64::MAX) {
            at -= 1;
            buf[at] = b'0' + (wide % 10) as u8;
            wide /= 10;
        }
        let mut m = wide as u64;
        loop {
            at -= 1;
            buf[at] = b'0' + (m % 10) as u8;
            m /= 10;
            if m == 0 {
                break;
            }
        }
        let digits = std::str::from_utf8(&buf[at..]).ok()?;
        let mut s = String::with_capacity(digits.len() + 2 + self.exp.unsigned_abs() as usize);
        if self.neg && self.mant != 0 {
            s.push('-');
        }
        if self.exp >= 0 {
            s.push_str(digits);
            if self.mant != 0 {
                push_zeros(&mut s, self.exp.unsigned_abs() as usize);
            }
            return Some(s);
        }
        let frac = self.exp.unsigned_abs() as usize;
        let (int, dec) = if digits.len() <= frac {
            ("0", digits)
        } else {
            digits.split_at(digits.len() - frac)
        };
        s.push_str(int);
        let dec = dec.trim_end_matches('0');
        if !dec.is_empty() {
            s.push('.');
            // Leading zeros of the fraction that the mantissa does not spell out.
            push_zeros(&mut s, frac.saturating_sub(digits.len()));
            s.push_str(dec);
        }
        Some(s)
    }
}

fn push_zeros(s: &mut String, mut n: usize) {
    const ZEROS: &str = "0000000000000000";
    while n > 0 {
        let k = n.min(ZEROS.len());
        s.push_str(&ZEROS[..k]);
        n -= k;
    }
}

/// A number read from digits.
struct Num {
    dec: Dec,
    end: usize,
    int_digits: usize,
    grouped: bool,
    frac: bool,
}

/// What the words after a number made of it.
#[derive(Default)]
struct Tail {
    end: usize,
    scale: i32,
    /// Counted in dozens ("two dozen").
    dozen: bool,
    currency: Option<&'static str>,
    unit: Option<Unit>,
}

/// A word located in the text.
#[derive(Clone, Copy)]
struct Tok {
    start: usize,
    end: usize,
}

struct Cx<'t> {
    text: &'t str,
    b: &'t [u8],
    r: &'t Rules,
    year: Option<i16>,
    /// Whether bare counts are figures too.
    counts: bool,
    before_cache: std::cell::Cell<Option<(usize, usize, Option<Tok>)>>,
    /// The last word looked up: the rules around a number ask about the same word.
    entry_cache: std::cell::Cell<Option<(usize, usize, Option<&'t Entry>)>>,
}

/// `char::is_alphabetic` with the Latin-1 letters of German and French
/// answered without the Unicode table.
fn is_alpha(c: char) -> bool {
    if ('\u{c0}'..='\u{ff}').contains(&c) {
        return c != '×' && c != '÷';
    }
    c.is_alphabetic()
}

fn is_hspace(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\u{a0}' | '\u{202f}' | '\u{2009}')
}

fn is_upper_initial(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

/// "iPhone", "PlayStation", "OpenAI", "FIFA": words whose case marks a name.
fn looks_like_name(w: &str) -> bool {
    // A capital after the first letter: mixed case or an acronym.
    w.chars().skip(1).any(char::is_uppercase)
}

fn days_in_month(month: u8, year: Option<i32>) -> u8 {
    match month {
        2 => match year {
            Some(y) if !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) => 28,
            _ => 29,
        },
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

impl<'t> Cx<'t> {
    fn sub(&self, a: usize, b: usize) -> &'t str {
        self.text.get(a..b).unwrap_or("")
    }

    fn boundary(&self, mut i: usize) -> usize {
        while i < self.b.len() && !self.text.is_char_boundary(i) {
            i += 1;
        }
        i
    }

    fn char_at(&self, i: usize) -> Option<char> {
        self.text.get(i..)?.chars().next()
    }

    fn char_before(&self, i: usize) -> Option<char> {
        self.text.get(..i)?.chars().next_back()
    }

    fn byte(&self, i: usize) -> u8 {
        self.b.get(i).copied().unwrap_or(0)
    }

    fn digit(&self, i: usize) -> bool {
        self.byte(i).is_ascii_digit()
    }

    /// End of the run of ASCII digits starting at `i`.
    fn digits_end(&self, mut i: usize) -> usize {
        while self.digit(i) {
            i += 1;
        }
        i
    }

    /// The numeric value of the digits in `a..b` (at most a few of them).
    fn small(&self, a: usize, b: usize) -> u32 {
        self.b.get(a..b).unwrap_or(&[]).iter().fold(0u32, |n, d| {
            n.saturating_mul(10).saturating_add(u32::from(d - b'0'))
        })
    }

    fn skip_hspace(&self, mut i: usize) -> usize {
        while let Some(c) = self.char_at(i) {
            if !is_hspace(c) {
                break;
            }
            i += c.len_utf8();
        }
        i
    }

    fn hspace_back(&self, mut i: usize) -> usize {
        while let Some(c) = self.char_before(i) {
            if !is_hspace(c) {
                break;
            }
            i -= c.len_utf8();
        }
        i
    }

    fn letters_end(&self, mut i: usize) -> usize {
        loop {
            match CLASS[usize::from(self.byte(i))] {
                LETTER => i += 1,
                HIGH => match self.char_at(i) {
                    Some(c) if is_alpha(c) => i += c.len_utf8(),
                    _ => return i,
                },
                _ => return i,
            }
        }
    }

    /// The word after `i` (past spaces); hyphenated compounds such as
    /// "US-Dollar" count as one word.
    fn word_after(&self, i: usize) -> Option<Tok> {
        let start = self.skip_hspace(i);
        let mut end = self.letters_end(start);
        if end == start {
            return None;
        }
        while self.byte(end) == b'-' && self.char_at(end + 1).is_some_and(char::is_alphabetic) {
            end = self.letters_end(end + 1);
        }
        Some(Tok { start, end })
    }

    /// The word before `i` (past spaces), with a trailing dot ("ca.", "Nr.");
    /// never reaching below `floor`.
    fn word_before(&self, i: usize, floor: usize) -> Option<Tok> {
        // The qualifier, currency, year and name rules all ask about the same
        // word; remembering the last answer halves the work per figure.
        if let Some((ci, cf, tok)) = self.before_cache.get()
            && ci == i
            && cf == floor
        {
            return tok;
        }
        let tok = self.word_before_uncached(i, floor);
        self.before_cache.set(Some((i, floor, tok)));
        tok
    }

    fn word_before_uncached(&self, i: usize, floor: usize) -> Option<Tok> {
        let end = self.hspace_back(i);
        let mut start = end;
        if self.char_before(start) == Some('.') {
            start -= 1;
        }
        let dot = start;
        while start > 0 {
            match CLASS[usize::from(self.byte(start - 1))] {
                LETTER => start -= 1,
                HIGH => match self.char_before(start) {
                    Some(c) if is_alpha(c) => start -= c.len_utf8(),
                    _ => break,
                },
                _ => break,
            }
        }
        if start == dot || start < floor {
            return None;
        }
        // A letter or digit glued on the left means this is not a word of its own.
        if self.char_before(start).is_some_and(char::is_alphanumeric) {
            return None;
        }
        Some(Tok { start, end })
    }

    /// The elided word ending with an apostrophe right before `i` ("d'" in "d'un",
    /// "jusqu'" in "jusqu'à"), in languages that elide.
    fn elided_before(&self, i: usize, floor: usize) -> Option<Tok> {
        if !self.r.elision {
            return None;
        }
        let q = self.char_before(i)?;
        if !matches!(q, '\'' | '’') {
            return None;
        }
        let stop = i - q.len_utf8();
        let mut start = stop;
        while let Some(c) = self.char_before(start) {
            if !is_alpha(c) {
                break;
            }
            start -= c.len_utf8();
        }
        if start == stop || start < floor {
            return None;
        }
        Some(Tok { start, end: i })
    }

    /// The word before `i`, or the elided word right before it.
    fn word_or_elided_before(&self, i: usize, floor: usize) -> Option<Tok> {
        self.word_before(i, floor)
            .or_else(|| self.elided_before(i, floor))
    }

    /// What the word at `t` can be, looked up once in lower case.
    fn entry(&self, t: Tok) -> Option<&'t Entry> {
        if let Some((s, e, found)) = self.entry_cache.get()
            && s == t.start
            && e == t.end
        {
            return found;
        }
        let mut buf = [0; MAX_WORD];
        let found = rules::lower(self.sub(t.start, t.end), &mut buf).and_then(|w| self.r.get(w));
        self.entry_cache.set(Some((t.start, t.end, found)));
        found
    }

    /// Whether the word at `t` has any of the role `flags`.
    fn has(&self, t: Tok, flags: u32) -> bool {
        self.entry(t).is_some_and(|e| e.flags & flags != 0)
    }

    /// Whether the word at `t`, lowercased, is `w`.
    fn lower_eq(&self, t: Tok, w: &[u8]) -> bool {
        let mut buf = [0; MAX_WORD];
        rules::lower(self.sub(t.start, t.end), &mut buf) == Some(w)
    }

    /// Where one of `phrases` (read backwards) ends just before `i`: the start of the
    /// phrase found.
    fn phrase_before(&self, i: usize, floor: usize, phrases: &[Vec<Box<[u8]>>]) -> Option<usize> {
        'phrases: for p in phrases {
            let mut at = i;
            for w in p.iter().rev() {
                match self.word_or_elided_before(at, floor) {
                    Some(t) if self.lower_eq(t, w) => at = t.start,
                    _ => continue 'phrases,
                }
            }
            return Some(at);
        }
        None
    }

    /// A unit or currency of several words starting with the word `first` ("per cent",
    /// "points de pourcentage"): the unit or currency code, and where it ends.
    fn phrase(&self, first: Tok) -> Option<(Result<Unit, &'static str>, usize)> {
        'phrases: for (words, target) in &self.r.phrases {
            if !self.lower_eq(first, &words[0]) {
                continue;
            }
            let mut end = first.end;
            for w in &words[1..] {
                match self.word_after(end) {
                    Some(t) if self.lower_eq(t, w) => end = t.end,
                    _ => continue 'phrases,
                }
            }
            return Some((*target, end));
        }
        None
    }

    /// Whether a currency sign or word follows `i` ("15 M€", "5m dollars").
    fn currency_after(&self, i: usize) -> bool {
        let j = self.skip_hspace(i);
        matches!(self.char_at(j), Some('€' | '$' | '£'))
            || self
                .word_after(i)
                .and_then(|t| self.entry(t))
                .is_some_and(|e| e.currency.is_some())
    }

    /// Where the word after a scale word linking it to its currency or unit ends
    /// ("millions d'euros", "millones de euros"): the link is `tok`, elided or not.
    fn scale_link(&self, tok: Tok) -> Option<usize> {
        if self.has(tok, rules::SCALE_LINK) {
            return Some(tok.end);
        }
        let q = self.char_at(tok.end).filter(|c| matches!(c, '\'' | '’'))?;
        let elided = Tok {
            start: tok.start,
            end: tok.end + q.len_utf8(),
        };
        (self.r.elision && self.has(elided, rules::SCALE_LINK)).then_some(elided.end)
    }

    /// Whether a capitalised word at `i` starts a sentence (so its case means nothing).
    fn sentence_start(&self, i: usize) -> bool {
        let j = self.hspace_back(i);
        match self.char_before(j) {
            None => true,
            Some(c) => matches!(
                c,
                '.' | '!' | '?' | ':' | '\n' | '"' | '„' | '“' | '«' | '»' | '(' | '–' | '—'
            ),
        }
    }

    /// Skips a run that is a code rather than a quantity: "978-3-16", "030 1234",
    /// "3:1", "1.2.3"; returns where scanning resumes.
    fn skip_code(&self, mut i: usize, with_spaces: bool) -> usize {
        loop {
            i = self.digits_end(i);
            let c = self.byte(i);
            let sep = matches!(c, b'-' | b'/' | b'.' | b':' | b',') || (with_spaces && c == b' ');
            if sep && self.digit(i + 1) {
                i += 1;
            } else {
                // A code glued to letters ("19-Pandemie", "3a") ends with them.
                while self.byte(i).is_ascii_alphanumeric() {
                    i += 1;
                }
                return i;
            }
        }
    }

    /// Reads digits with the language's grouping and decimal marks.
    fn parse_num(&self, s: usize) -> Option<Num> {
        let (group, decimal) = (self.r.group, self.r.decimal);
        let first = self.digits_end(s);
        let mut mant: u128 = 0;
        let push = |a: usize, b: usize, mant: &mut u128| -> Option<()> {
            // Checked u128 arithmetic per digit is costly; below 10^37 neither
            // step can overflow, so check only the magnitude.
            const LIMIT: u128 = 10u128.pow(37);
            for &d in self.b.get(a..b)? {
                if *mant >= LIMIT {
                    return None;
                }
                *mant = *mant * 10 + u128::from(d - b'0');
            }
            Some(())
        };
        push(s, first, &mut mant)?;
        let mut end = first;
        let mut grouped = false;
        if first - s <= 3 {
            // Groups of exactly three: "1.000.000", "1 000", "1,000".
            let mut sep: Option<(usize, usize)> = None;
            while let Some(c) = self.char_at(end) {
                let w = c.len_utf8();
                let is_sep = c as u32 == u32::from(group)
                    || matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\u{2009}');
                if !is_sep || sep.is_some_and(|(sc, _)| sc != c as usize) {
                    break;
                }
                let g = end + w;
                if self.digits_end(g) != g + 3 {
                    break;
                }
                push(g, g + 3, &mut mant)?;
                sep = Some((c as usize, w));
                end = g + 3;
                grouped = true;
            }
        }
        let mut exp = 0i32;
        let mut frac = false;
        if self.byte(end) == decimal && self.digit(end + 1) {
            let fs = end + 1;
            let fe = self.digits_end(fs);
            push(fs, fe, &mut mant)?;
            exp = -i32::try_from(fe - fs).ok()?;
            end = fe;
            frac = true;
        }
        Some(Num {
            dec: Dec {
                mant,
                exp,
                neg: false,
            },
            end,
            int_digits: first - s,
            grouped,
            frac,
        })
    }

    /// Reads a scale, currency, percent or time unit after a number ending at `i`.
    fn tail(&self, i: usize, money_before: bool) -> Tail {
        let mut t = Tail {
            end: i,
            ..Tail::default()
        };
        // A hyphenated unit: "10-year", "5-Prozent-Hürde".
        if self.byte(i) == b'-' && self.char_at(i + 1).is_some_and(char::is_alphabetic) {
            let we = self.letters_end(i + 1);
            let tok = Tok {
                start: i + 1,
                end: we,
            };
            if let Some(u) = self.entry(tok).and_then(|e| e.unit) {
                t.unit = Some(u);
                t.end = we;
            }
            return t;
        }
        let mut pos = i;
        let mut scaled = false;
        // Up to two scale words ("mil millones") and then a unit or currency.
        for _ in 0..3 {
            let j = self.skip_hspace(pos);
            match self.char_at(j) {
                Some('%') => {
                    t.unit = Some(Unit::Percent);
                    t.end = j + 1;
                    return t;
                }
                Some(c @ ('€' | '$' | '£')) if !money_before => {
                    t.currency = Some(match c {
                        '€' => "EUR",
                        '$' => "USD",
                        _ => "GBP",
                    });
                    t.end = j + c.len_utf8();
                    return t;
                }
                _ => {}
            }
            let Some(tok) = self.word_after(pos) else {
                return t;
            };
            if t.scale != 0
                && let Some(after) = self.scale_link(tok)
            {
                self.linked_unit(after, money_before, &mut t);
                return t;
            }
            // Lowercase once; the entry answers every question about the word.
            let Some(e) = self.entry(tok) else {
                return t;
            };
            if e.flags & rules::PHRASE_START != 0
                && let Some((target, end)) = self.phrase(tok)
            {
                match target {
                    Ok(u) => {
                        t.unit = Some(u);
                        t.end = end;
                    }
                    Err(code) if !money_before => {
                        t.currency = Some(code);
                        t.end = end;
                    }
                    Err(_) => {}
                }
                return t;
            }
            if !scaled && e.flags & rules::DOZEN != 0 {
                scaled = true;
                t.dozen = true;
                t.end = tok.end;
                pos = t.end;
                continue;
            }
            let scale = e.scale.or_else(|| {
                e.money_scale
                    .filter(|_| !money_before && self.currency_after(tok.end))
            });
            if let Some(p) = scale {
                // A second scale only multiplies a smaller first one ("mil millones").
                if scaled && (t.dozen || p <= t.scale) {
                    return t;
                }
                if e.money_scale.is_some() && e.scale.is_none() && money_before {
                    return t;
                }
                if p == 2 && !self.r.hundred_is_scale {
                    return t;
                }
                scaled = true;
                t.scale += p;
                t.end = tok.end;
                // "Mio." / "Mrd.": the dot belongs to the abbreviation.
                if tok.end - tok.start <= 3 && self.byte(tok.end) == b'.' {
                    t.end += 1;
                }
                pos = t.end;
                continue;
            }
            if e.money_scale.is_some() {
                return t;
            }
            if !money_before && let Some(c) = e.cent {
                t.currency = Some(c);
                t.scale -= 2;
                t.end = tok.end;
                return t;
            }
            if let Some(c) = e.currency {
                if !money_before {
                    t.currency = Some(c);
                    t.end = tok.end;
                }
                return t;
            }
            if let Some(u) = e.unit {
                t.unit = Some(u);
                t.end = tok.end;
            }
            return t;
        }
        t
    }

    /// The currency or unit after a scale's link word ("d'euros", "de dólares").
    fn linked_unit(&self, after: usize, money_before: bool, t: &mut Tail) {
        let Some(tok) = self.word_after(after) else {
            return;
        };
        let Some(e) = self.entry(tok) else {
            return;
        };
        if e.flags & rules::PHRASE_START != 0
            && let Some((target, end)) = self.phrase(tok)
        {
            match target {
                Ok(u) => t.unit = Some(u),
                Err(_) if money_before => return,
                Err(code) => t.currency = Some(code),
            }
            t.end = end;
        } else if let Some(c) = e.currency {
            if !money_before {
                t.currency = Some(c);
                t.end = tok.end;
            }
        } else if let Some(u) = e.unit {
            t.unit = Some(u);
            t.end = tok.end;
        }
    }

    /// A currency written before the number at `s`: "$1", "€ 3,50", "US$ 5", "USD 40".
    fn money_prefix(&self, s: usize, floor: usize) -> Option<(usize, &'static str)> {
        let j = self.hspace_back(s);
        let c = self.char_before(j)?;
        let code = match c {
            '$' => "USD",
            '€' => "EUR",
            '£' => "GBP",
            '¥' => "JPY",
            _ => {
                let tok = self.word_before(s, floor)?;
                let code = self.entry(tok).and_then(|e| e.code)?;
                // Only the upper-case code, not a stray "eur" in prose.
                if !self
                    .sub(tok.start, tok.end)
                    .bytes()
                    .all(|b| b.is_ascii_uppercase())
                {
                    return None;
                }
                return Some((tok.start, code));
            }
        };
        let mut start = j - c.len_utf8();
        if c == '$' && start >= 2 && self.sub(start - 2, start) == "US" {
            start -= 2;
        }
        if start < floor || self.char_before(start).is_some_and(char::is_alphanumeric) {
            return None;
        }
        Some((start, code))
    }

    /// The qualifier before `start`, if any; `duration` restricts "über"/"over".
    fn approx_before(&self, start: usize, floor: usize, duration: bool) -> Option<(usize, Approx)> {
        let w1 = self.word_or_elided_before(start, floor)?;
        let e1 = self.entry(w1)?;
        // "al menos un 10 %": the qualifier stands before the number's article.
        if e1.flags & rules::NUMBER_ARTICLE != 0
            && e1.approx.is_none()
            && e1.flags & rules::APPROX_END == 0
        {
            return self.approx_at(w1.start, floor, duration);
        }
        self.approx_at(start, floor, duration)
    }

    fn approx_at(&self, start: usize, floor: usize, duration: bool) -> Option<(usize, Approx)> {
        let w1 = self.word_or_elided_before(start, floor)?;
        let e1 = self.entry(w1)?;
        if let Some(a) = e1.approx {
            if duration && a == Approx::MoreThan {
                let ctx = self.word_before(w1.start, floor)?;
                if !self.has(ctx, rules::MORE_THAN_CONTEXT) {
                    return None;
                }
            }
            return Some((w1.start, a));
        }
        if e1.flags & rules::APPROX_END == 0 {
            return None;
        }
        let w0 = self.word_or_elided_before(w1.start, floor)?;
        let mut b0 = [0; MAX_WORD];
        let mut b1 = [0; MAX_WORD];
        let l0 = rules::lower(self.sub(w0.start, w0.end), &mut b0)?;
        let l1 = rules::lower(self.sub(w1.start, w1.end), &mut b1)?;
        self.r
            .approx2
            .iter()
            .find(|(p, _)| *p[0] == *l0 && *p[1] == *l1)
            .map(|(_, a)| (w0.start, *a))
    }

    /// A date starting with the digits at `s` ("22. Juli 2019", "2019-07-22",
    /// "22.07.2019", "22 July"), or ending with them ("July 22, 2019", "Juli 2019").
    fn date_at(&self, s: usize, floor: usize) -> Option<Figure> {
        let e = self.digits_end(s);
        let n = e - s;
        let ymd = |y: Option<i32>, m: u8, d: u8| -> Option<(String, bool)> {
            if m == 0 || m > 12 || d == 0 || d > days_in_month(m, y) {
                return None;
            }
            Some(match (y, self.year) {
                (Some(y), _) => (format!("{y:04}-{m:02}-{d:02}"), false),
                (None, Some(ay)) => (format!("{ay:04}-{m:02}-{d:02}"), true),
                (None, None) => (format!("--{m:02}-{d:02}"), false),
            })
        };
        let date = |start: usize, end: usize, (value, inferred): (String, bool)| Figure {
            start,
            end,
            kind: FigureKind::Date,
            value,
            unit: None,
            approx: None,
            year_inferred: inferred,
            max: None,
        };
        let year_at = |i: usize| -> Option<i32> {
            (self.digits_end(i) == i + 4 && !self.byte(i + 4).is_ascii_alphabetic())
                .then(|| self.small(i, i + 4) as i32)
        };
        // ISO 2019-07-22.
        if n == 4
            && self.byte(e) == b'-'
            && self.digits_end(e + 1) == e + 3
            && self.byte(e + 3) == b'-'
            && self.digits_end(e + 4) == e + 6
        {
            let y = self.small(s, e) as i32;
            let v = ymd(
                Some(y),
                self.small(e + 1, e + 3) as u8,
                self.small(e + 4, e + 6) as u8,
            )?;
            return Some(date(s, e + 6, v));
        }
        if n == 0 || n > 2 {
            return self.month_year(s, e, floor, date);
        }
        let day = self.small(s, e) as u8;
        // 22.07.2019
        if self.byte(e) == b'.' {
            let me = self.digits_end(e + 1);
            if (1..=2).contains(&(me - e - 1)) && self.byte(me) == b'.' {
                let y = year_at(me + 1)?;
                let v = ymd(Some(y), self.small(e + 1, me) as u8, day)?;
                return Some(date(s, me + 5, v));
            }
        }
        // 22/07/2019
        if self.r.slash_dates && self.byte(e) == b'/' {
            let me = self.digits_end(e + 1);
            if (1..=2).contains(&(me - e - 1)) && self.byte(me) == b'/' {
                let y = year_at(me + 1)?;
                let v = ymd(Some(y), self.small(e + 1, me) as u8, day)?;
                return Some(date(s, me + 5, v));
            }
        }
        // 22. Juli [2019] (de), 22 July [2019] (en), 1er mars (fr), 22 de julio [de 2019] (es)
        let mut after_day = if self.r.day_dot {
            (self.byte(e) == b'.').then_some(e + 1)
        } else if self.byte(e).is_ascii_alphabetic() {
            let se = self.letters_end(e);
            let suffix = self.sub(e, se);
            self.r
                .day_suffixes
                .iter()
                .any(|x| x == suffix)
                .then_some(se)
        } else {
            Some(e)
        };
        if let (Some(ad), Some(link)) = (after_day, &self.r.day_link) {
            after_day = self
                .word_after(ad)
                .filter(|t| t.start > ad && self.lower_eq(*t, link))
                .map(|t| t.end);
        }
        if let Some(ad) = after_day
            && let Some((m, me)) = self.month_after(ad)
        {
            let mut ys = self.skip_hspace(me);
            if let Some(link) = &self.r.year_link {
                ys = match self.word_after(me) {
                    Some(t) if t.start > me && self.lower_eq(t, link) => self.skip_hspace(t.end),
                    _ => me,
                };
            }
            if ys > me
                && let Some(y) = year_at(ys)
            {
                return Some(date(s, ys + 4, ymd(Some(y), m, day)?));
            }
            return Some(date(s, me, ymd(None, m, day)?));
        }
        // July 22[nd][, 2019] (en)
        if self.r.month_first
            && let Some(mt) = self.word_before(s, floor)
            && is_upper_initial(self.sub(mt.start, mt.end))
            && let Some(m) = self.entry(mt).and_then(|e| e.month)
        {
            let mut end = e;
            let se = self.letters_end(e);
            if self.r.day_suffixes.iter().any(|x| x == self.sub(e, se)) {
                end = se;
            } else if se > e {
                return None;
            }
            let comma = if self.byte(end) == b',' { end + 1 } else { end };
            let ys = self.skip_hspace(comma);
            if ys > end
                && let Some(y) = year_at(ys)
            {
                return Some(date(mt.start, ys + 4, ymd(Some(y), m, day)?));
            }
            return Some(date(mt.start, end, ymd(None, m, day)?));
        }
        None
    }

    /// "Juli 2019" / "July 2019": a month before a four-digit year.
    fn month_year(
        &self,
        s: usize,
        e: usize,
        floor: usize,
        date: impl Fn(usize, usize, (String, bool)) -> Figure,
    ) -> Option<Figure> {
        if e - s != 4 || self.byte(e).is_ascii_alphanumeric() {
            return None;
        }
        let mut mt = self.word_before(s, floor)?;
        if let Some(link) = &self.r.year_link {
            if !self.lower_eq(mt, link) {
                return None;
            }
            mt = self.word_before(mt.start, floor)?;
        }
        let capital = is_upper_initial(self.sub(mt.start, mt.end));
        // Where months are lower case, a capitalised one mid-sentence is a name ("Mars 2020").
        let cased = if self.r.months_lowercase {
            !capital || self.sentence_start(mt.start)
        } else {
            capital
        };
        if !cased {
            return None;
        }
        let m = self.entry(mt).and_then(|e| e.month)?;
        let y = self.small(s, e);
        Some(date(mt.start, e, (format!("{y:04}-{m:02}"), false)))
    }

    /// A capitalised month name after `i`, with its abbreviation dot; returns month and end.
    fn month_after(&self, i: usize) -> Option<(u8, usize)> {
        let tok = self.word_after(i)?;
        if tok.start == i
            || !(self.r.months_lowercase || is_upper_initial(self.sub(tok.start, tok.end)))
        {
            return None;
        }
        if self.byte(tok.end) == b'.' {
            let dotted = Tok {
                start: tok.start,
                end: tok.end + 1,
            };
            if let Some(m) = self.entry(dotted).and_then(|e| e.month) {
                return Some((m, tok.end + 1));
            }
        }
        self.entry(tok).and_then(|e| e.month).map(|m| (m, tok.end))
    }

    /// Handles the digits at `s`; returns where scanning resumes.
    fn numeric(&self, s: usize, floor: usize, out: &mut Vec<Figure>) -> usize {
        let prev = self.char_before(s);
        if prev.is_some_and(char::is_alphabetic) {
            return self.skip_code(s, false);
        }
        // "GPT-2", "COVID-19", "F-35": a number hyphenated to a word is part of a name.
        if matches!(prev, Some('-' | '‑'))
            && self
                .char_before(s - prev.map_or(1, char::len_utf8))
                .is_some_and(char::is_alphanumeric)
        {
            return self.skip_code(s, false);
        }
        if matches!(prev, Some('+' | '#' | '/' | '\\' | '_' | '&' | '=')) {
            return self.skip_code(s, prev == Some('+'));
        }
        if let Some(f) = self.date_at(s, floor) {
            let end = f.end;
            out.push(f);
            return end;
        }
        let Some(num) = self.parse_num(s) else {
            return self.skip_code(s, false);
        };
        // A leading zero marks a code or phone number ("030 1234", "007").
        if num.int_digits > 1 && self.byte(s) == b'0' {
            return self.skip_code(s, true);
        }
        let e = num.end;
        // "3.º", "1ª": an ordinal.
        let ordinal_at = |i: usize| matches!(self.char_at(i), Some('º' | 'ª'));
        if ordinal_at(e) || (self.byte(e) == b'.' && ordinal_at(e + 1)) {
            return e + 1;
        }
        let next = self.byte(e);
        if next == b':'
            && let Some(f) = self.clock_duration(s, floor)
        {
            let end = f.end;
            out.push(f);
            return end;
        }
        if let Some(f) = self.range(s, &num, floor) {
            let end = f.end;
            out.push(f);
            return end;
        }
        if matches!(next, b'-' | b'/' | b':' | b'.' | b',') && self.digit(e + 1) {
            return self.skip_code(s, false);
        }
        // "9–4": a score or a span of pages, not two figures ("1990–2000" stays two years).
        if next == 0xE2 && num.int_digits < 4 && self.sub(e, e + 3) == "–" && self.digit(e + 3) {
            return self.skip_code(e + 3, false);
        }
        let mut money = self.money_prefix(s, floor);
        let mut tail = Tail {
            end: e,
            ..Tail::default()
        };
        let mut decade = false;
        if next.is_ascii_alphabetic() {
            // Glued letters: "5G", "A380"-style codes, "2nd", "1990er", "$5bn".
            let le = self.letters_end(e);
            let suffix = self.sub(e, le);
            let glued_digit = self.digit(le);
            let mut buf = [0; MAX_WORD];
            let scale = rules::lower(suffix, &mut buf)
                .and_then(|w| self.r.get(w))
                .and_then(|e| e.glued_scale)
                .filter(|&(p, money_only)| p >= 3 && (!money_only || money.is_some()));
            if !glued_digit
                && num.int_digits == 4
                && !num.grouped
                && !num.frac
                && self.r.decade_suffixes.iter().any(|x| x == suffix)
            {
                decade = true;
                tail.end = le;
            } else if !glued_digit && let Some((p, _)) = scale {
                tail.scale = p;
                tail.end = le;
            } else {
                return self.skip_code(s, false);
            }
        } else {
            tail = self.tail(e, money.is_some());
        }
        // "les années 1990", "los años 2000": a decade, with its word.
        let mut decade_start = None;
        if tail.end == e
            && !decade
            && money.is_none()
            && num.int_digits == 4
            && !num.grouped
            && !num.frac
            && num.dec.mant % 10 == 0
            && (1000..=2190).contains(&num.dec.mant)
            && let Some(w) = self.word_before(s, floor)
            && self.has(w, rules::DECADE_BEFORE)
        {
            decade = true;
            decade_start = Some(w.start);
        }
        // A sign belongs to the number only where it cannot be a hyphen or dash of prose.
        let mut start = s;
        let mut dec = num.dec;
        if money.is_none()
            && let Some(c @ ('-' | '−')) = prev
        {
            let sp = s - c.len_utf8();
            if sp >= floor
                && self
                    .char_before(sp)
                    .is_none_or(|c| c.is_whitespace() || c == '(')
            {
                start = sp;
                dec.neg = true;
            }
        }
        if let Some((ms, _)) = money {
            start = ms;
        }
        if let Some(ds) = decade_start {
            start = ds;
        }
        if money.is_none() && self.ratio_before(start, floor) {
            return tail.end;
        }
        if tail.currency.is_some() {
            money = None;
        }
        dec = dec.shift(tail.scale);
        if tail.dozen {
            let Some(d) = dec.times(12) else {
                return tail.end;
            };
            dec = d;
        }
        let currency = money.map(|m| m.1).or(tail.currency);
        let plain =
            tail.scale == 0 && !tail.dozen && currency.is_none() && tail.unit.is_none() && !decade;
        let w_before = self.word_before(start, floor);
        if plain {
            if let Some(w) = w_before
                && !dec.neg
            {
                let word = self.sub(w.start, w.end);
                // "WM 2006", "COP 2025": after an acronym a year is still a year,
                // and "DAX 18.000" is a quantity; neither holds after a product
                // name ("Windows 2000", "Python 3.12").
                let year_like = num.int_digits == 4 && (1900..=2100).contains(&num.dec.mant);
                let name = self.has(w, rules::NAME)
                    || (!year_like
                        && !num.grouped
                        && !num.frac
                        && looks_like_name(word)
                        && self.entry(w).and_then(|e| e.code).is_none());
                if name {
                    return tail.end.max(e);
                }
            }
            // "n° 3", "nº 5": a number of a list.
            if matches!(self.char_before(self.hspace_back(start)), Some('°' | 'º')) {
                return e;
            }
            if next == b'.'
                && self.char_at(e + 1).is_some_and(char::is_whitespace)
                && w_before.is_some_and(|w| self.has(w, rules::ORDINAL_CONTEXT))
            {
                return e + 1;
            }
            if self.fraction_after(e) {
                return e;
            }
            // Times of day are not quantities.
            if let Some(t) = self.word_after(e) {
                let w = self.sub(t.start, t.end);
                let dotted = self.byte(t.end) == b'.';
                if self
                    .r
                    .clock_after
                    .iter()
                    .any(|c| match c.strip_suffix('.') {
                        Some(c) => dotted && c == w,
                        None => c == w,
                    })
                {
                    // "20 h 30": the minutes belong to the time.
                    let m = self.skip_hspace(t.end);
                    if m > t.end && self.digits_end(m) == m + 2 {
                        return m + 2;
                    }
                    return t.end;
                }
            }
            if !self.r.clock_before.is_empty()
                && self
                    .phrase_before(start, floor, &self.r.clock_before)
                    .is_some()
            {
                return e;
            }
        }
        if self.clock_hours(tail.unit, num.dec, start, floor) {
            return tail.end;
        }
        let (kind, value, unit) = if decade {
            (FigureKind::Year, dec.render(), Some("decade"))
        } else if let Some(code) = currency {
            (FigureKind::Money, dec.render(), Some(code))
        } else if let Some(u) = tail.unit {
            match self.unit_value(u, dec) {
                Some(v) => v,
                None => return tail.end,
            }
        } else if tail.scale != 0 || tail.dozen {
            (FigureKind::Number, dec.render(), None)
        } else if num.int_digits == 4
            && !num.grouped
            && !num.frac
            && !dec.neg
            && self.is_year(&num, start, e, floor)
        {
            (FigureKind::Year, dec.render(), Some("year"))
        } else {
            if !self.counts {
                return tail.end;
            }
            (FigureKind::Number, dec.render(), None)
        };
        let Some(value) = value else {
            return tail.end;
        };
        let mut approx = None;
        if kind != FigureKind::Year
            && kind != FigureKind::Date
            && let Some((a_start, a)) =
                self.approx_before(start, floor, kind == FigureKind::Duration)
        {
            start = a_start;
            approx = Some(a);
        }
        out.push(Figure {
            start,
            end: tail.end,
            kind,
            value,
            unit: unit.map(str::to_owned),
            approx,
            year_inferred: false,
            max: None,
        });
        tail.end
    }

    /// A range with both ends in digits and one unit, currency or scale after the high end:
    /// "10–15 Prozent", "10 bis 15 %", "$3-5 million", "zwischen 3 und 5 Millionen",
    /// "between 5% and 6%". The low end takes the high end's scale and unit.
    fn range(&self, s: usize, num: &Num, floor: usize) -> Option<Figure> {
        let e = num.end;
        // A signed low end ("-5 bis 10 Grad") is read as a number of its own.
        if matches!(self.char_before(s), Some('-' | '−')) {
            return None;
        }
        let mut between = None;
        let mut low_tail = Tail {
            end: e,
            ..Tail::default()
        };
        let mut r = self.range_connector(e, false, true);
        if r.is_none() {
            // "zwischen" and "between" end in "n": most numbers need no word lookup.
            let last = self.byte(self.hspace_back(s).wrapping_sub(1));
            if !self.r.range_between_last[usize::from(last)] {
                return None;
            }
            // Only "between 5% and 6%" repeats the unit at the low end.
            let mut w = self.word_before(s, floor);
            // "entre el 3 y el 5 %": an article may stand before the low end.
            if let Some(a) = w
                && self.r.range_articles.iter().any(|x| self.lower_eq(a, x))
            {
                w = self.word_before(a.start, floor);
            }
            between = w.filter(|w| self.r.range_between.iter().any(|x| self.lower_eq(*w, x)));
            between?;
            r = self.range_connector(e, true, true);
            if r.is_none() {
                low_tail = self.tail(e, self.money_prefix(s, floor).is_some());
                if low_tail.end == e {
                    return None;
                }
                r = self.range_connector(low_tail.end, true, false);
            }
        }
        let mut r = r?;
        let low_bare = low_tail.end == e;
        let money = self.money_prefix(s, floor);
        if let Some((_, code)) = money {
            let sym = match code {
                "USD" => "$",
                "EUR" => "€",
                "GBP" => "£",
                _ => "",
            };
            if !sym.is_empty() && self.sub(r, r + sym.len()) == sym {
                r += sym.len();
            }
        }
        if !self.digit(r) || (self.byte(r) == b'0' && self.digit(r + 1)) {
            return None;
        }
        let high = self.parse_num(r)?;
        let he = high.end;
        if self.byte(he).is_ascii_alphanumeric()
            || (matches!(self.byte(he), b'-' | b'/' | b':' | b'.' | b',') && self.digit(he + 1))
        {
            return None;
        }
        let tail = self.tail(he, money.is_some());
        if tail.dozen {
            return None;
        }
        let currency = money.map(|m| m.1).or(tail.currency);
        if currency.is_none() && tail.unit.is_none() && tail.scale == 0 {
            return None;
        }
        if !low_bare
            && (low_tail.unit != tail.unit
                || low_tail.currency.or(money.map(|m| m.1)) != currency
                || low_tail.scale != tail.scale)
        {
            return None;
        }
        let low = num.dec.shift(tail.scale);
        let hi = high.dec.shift(tail.scale);
        if !low.less_than(hi) {
            return None;
        }
        let (kind, value, max, unit) = if let Some(code) = currency {
            (FigureKind::Money, low.render()?, hi.render()?, Some(code))
        } else if let Some(u) = tail.unit {
            let (k, v, unit) = self.unit_value(u, low)?;
            let (_, m, _) = self.unit_value(u, hi)?;
            (k, v?, m?, unit)
        } else {
            (FigureKind::Number, low.render()?, hi.render()?, None)
        };
        let mut start = between.map_or(s, |w| w.start);
        if let Some((ms, _)) = money
            && between.is_none()
        {
            start = ms;
        }
        let mut approx = None;
        if let Some((a_start, a)) = self.approx_before(start, floor, kind == FigureKind::Duration) {
            start = a_start;
            approx = Some(a);
        }
        Some(Figure {
            start,
            end: tail.end,
            kind,
            value,
            unit: unit.map(str::to_owned),
            approx,
            year_inferred: false,
            max: Some(max),
        })
    }

    /// Where the high end of a range starts when a range connector follows `p`: a hyphen
    /// (only glued to a bare low end), a dash, "bis"/"to", or with `between` "und"/"and".
    fn range_connector(&self, p: usize, between: bool, bare: bool) -> Option<usize> {
        let c = self.byte(p);
        if c == b'-' && self.digit(p + 1) && bare && !between {
            return Some(p + 1);
        }
        // Spaces, a no-break space (C2 A0) or a dash or thin space (E2 …) come first.
        if !matches!(c, b' ' | 0xC2 | 0xE2) {
            return None;
        }
        // Nearly every number is followed by one space and a word: look at its first
        // letter before anything else.
        let q = if c == b' ' && self.byte(p + 1).is_ascii_alphanumeric() {
            p + 1
        } else {
            self.skip_hspace(p)
        };
        if !self.r.range_first[usize::from(self.byte(q))] {
            return None;
        }
        if self.sub(q, q + 3) == "–" {
            return (bare || !between).then(|| self.skip_hspace(q + 3));
        }
        let we = self.letters_end(q);
        if q == p || we == q {
            return None;
        }
        let word = self.sub(q, we);
        let ok = if between {
            self.r.range_and.iter().any(|a| a == word)
        } else {
            self.r.range_to.iter().any(|a| a == word)
                && !self.word_after(we).is_some_and(|t| {
                    self.r
                        .range_to_not_before
                        .iter()
                        .any(|n| self.lower_eq(t, n))
                })
        };
        let mut r = self.skip_hspace(we);
        if ok
            && r > we
            && let Some(a) = self.word_after(we)
            && self.r.range_articles.iter().any(|x| self.lower_eq(a, x))
        {
            let after = self.skip_hspace(a.end);
            if after > a.end {
                r = after;
            }
        }
        (ok && r > we).then_some(r)
    }

    /// Whether a plain four-digit number at `s..e` reads as a year.
    fn is_year(&self, num: &Num, s: usize, e: usize, floor: usize) -> bool {
        let Ok(v) = u32::try_from(num.dec.mant) else {
            return false;
        };
        if !(1000..=2199).contains(&v) {
            return false;
        }
        let mut old = false;
        if let Some(w) = self.word_before(s, floor)
            && let Some(entry) = self.entry(w)
        {
            if entry.flags & rules::YEAR_CONTEXT != 0 {
                return true;
            }
            if entry.approx.is_some() {
                return false;
            }
            old = entry.flags & rules::OLD_YEAR_CONTEXT != 0;
        }
        if !old && !(1900..=2100).contains(&v) {
            return false;
        }
        // Without a year word, a following count noun makes it a quantity:
        // "2000 Menschen", "2000 people".
        match self.word_after(e) {
            Some(t) if t.start > e => {
                let w = self.sub(t.start, t.end);
                match self.r.noun_rule {
                    NounRule::Capital => !is_upper_initial(w),
                    NounRule::Plural => {
                        !(self.r.count_nouns.iter().any(|n| n == w)
                            || w.len() >= 4
                                && w.ends_with('s')
                                && !w.ends_with("ss")
                                && w.chars().next().is_some_and(char::is_lowercase)
                                && !self.r.not_nouns.iter().any(|n| n == w))
                    }
                }
            }
            _ => true,
        }
    }

    /// "2:02:35 Stunden", "1:30 hours": a clock-style duration with its unit word.
    fn clock_duration(&self, s: usize, floor: usize) -> Option<Figure> {
        let mut parts = [0u32; 3];
        let mut n = 0;
        let mut i = s;
        loop {
            let e = self.digits_end(i);
            let len = e - i;
            if n >= 3 || len == 0 || len > 2 || (n > 0 && len != 2) {
                return None;
            }
            parts[n] = self.small(i, e);
            n += 1;
            if self.byte(e) == b':' && self.digit(e + 1) {
                i = e + 1;
            } else {
                i = e;
                break;
            }
        }
        let unit = self.word_after(i)?;
        if n < 2 || unit.start == i || !self.has(unit, rules::CLOCK_UNIT) {
            return None;
        }
        let [h, m, sec] = parts;
        if m > 59 || sec > 59 {
            return None;
        }
        let mut value = format!("PT{h}H");
        if m > 0 {
            value.push_str(&format!("{m}M"));
        }
        if sec > 0 {
            value.push_str(&format!("{sec}S"));
        }
        let (start, approx) = match self.approx_before(s, floor, true) {
            Some((a, x)) => (a, Some(x)),
            None => (s, None),
        };
        Some(Figure {
            start,
            end: unit.end,
            kind: FigureKind::Duration,
            value,
            unit: Some("hours".to_owned()),
            approx,
            year_inferred: false,
            max: None,
        })
    }

    /// Whether a "one in" / "einer von" precedes: "one in five" is a ratio, not five.
    fn ratio_before(&self, s: usize, floor: usize) -> bool {
        // Most numbers follow no link word: one lookup answers for them.
        if !self
            .word_before(s, floor)
            .is_some_and(|w| self.has(w, rules::RATIO_END))
        {
            return false;
        }
        self.phrase_before(s, floor, &self.r.ratio_links)
            .and_then(|at| self.word_before(at, floor))
            .and_then(|n| self.entry(n))
            .is_some_and(|e| e.number.is_some())
    }

    /// Whether a fraction word follows ("zwei Drittel", "two-thirds").
    fn fraction_after(&self, e: usize) -> bool {
        let from = if self.byte(e) == b'-' { e + 1 } else { e };
        self.word_after(from)
            .is_some_and(|t| self.has(t, rules::FRACTION))
    }

    /// Whether a number of hours is a time of day ("à 20 heures", "a las 10 horas").
    fn clock_hours(&self, unit: Option<Unit>, dec: Dec, start: usize, floor: usize) -> bool {
        unit.is_some_and(rules::is_hours)
            && !self.r.clock_before_hours.is_empty()
            && dec.less_than(Dec::int(25))
            && self
                .phrase_before(start, floor, &self.r.clock_before_hours)
                .is_some()
    }

    /// Kind, value and unit of a number followed by a unit word.
    fn unit_value(
        &self,
        u: Unit,
        dec: Dec,
    ) -> Option<(FigureKind, Option<String>, Option<&'static str>)> {
        Some(match u {
            Unit::Percent => (FigureKind::Percent, dec.shift(-2).render(), Some("percent")),
            Unit::Points => (
                FigureKind::PercentagePoints,
                dec.render(),
                Some("percentage-points"),
            ),
            Unit::Time(designator, time, mult, name) => {
                if dec.neg || mult == 0 {
                    return None;
                }
                let v = dec.times(mult)?.render()?;
                let t = if time { "T" } else { "" };
                let d = char::from(designator);
                (
                    FigureKind::Duration,
                    Some(format!("P{t}{v}{d}")),
                    Some(name),
                )
            }
        })
    }

    /// Handles the word at `s`; returns where scanning resumes.
    fn word(&self, s: usize, out: &mut Vec<Figure>) -> usize {
        // The scanner sees only ASCII; "nf" in "Fünf" is not a word of its own.
        if self.char_before(s).is_some_and(is_alpha) {
            return s + 1;
        }
        let mut e = s;
        let mut has_digit = false;
        loop {
            // Most words are plain ASCII letters; count those without dispatch.
            e += self
                .b
                .get(e..)
                .unwrap_or(&[])
                .iter()
                .take_while(|c| c.is_ascii_alphabetic())
                .count();
            match CLASS[usize::from(self.byte(e))] {
                LETTER => e += 1,
                DIGIT => {
                    has_digit = true;
                    e += 1;
                }
                HIGH => match self.char_at(e) {
                    Some(c) if is_alpha(c) => e += c.len_utf8(),
                    _ => break,
                },
                _ => break,
            }
        }
        // Letters glued to digits ("A380", "PS5", "G7") are names or codes;
        // the pair filter drops almost every other word before any lookup.
        let (shortest, longest) = self.r.anchor_len;
        if has_digit
            || e - s < shortest
            || e - s > longest
            || !self.r.may_anchor(self.byte(s), self.byte(s + 1))
        {
            return e;
        }
        let floor = out.last().map_or(0, |f| f.end);
        let mut buf = [0; MAX_WORD];
        let Some(w) = rules::lower(self.sub(s, e), &mut buf) else {
            return e;
        };
        if self.r.half.as_deref() == Some(w) {
            return self.half(s, e, floor, out);
        }
        let Some(entry) = self.r.get(w) else {
            return e;
        };
        if let Some((tenfold, usage)) = entry.number {
            return self.number_word(s, e, tenfold, usage, floor, out);
        }
        if let Some(u) = entry.bare_span {
            if let Some(v) = self.unit_value(u, Dec::int(1)) {
                out.push(Figure {
                    start: s,
                    end: e,
                    kind: v.0,
                    value: v.1.unwrap_or_default(),
                    unit: v.2.map(str::to_owned),
                    approx: Some(Approx::MoreThan),
                    year_inferred: false,
                    max: None,
                });
            }
            return e;
        }
        if entry.flags & rules::ARTICLE_SCALE != 0 {
            return self.a_scale(s, e, entry, floor, out);
        }
        e
    }

    /// "almost half", "more than half": a share, a figure only with its qualifier.
    fn half(&self, s: usize, e: usize, floor: usize, out: &mut Vec<Figure>) -> usize {
        if self.word_after(e).is_some_and(|t| {
            self.r
                .articles
                .iter()
                .any(|a| a == self.sub(t.start, t.end))
        }) {
            return e;
        }
        if let Some((start, a)) = self.approx_before(s, floor, false) {
            out.push(Figure {
                start,
                end: e,
                kind: FigureKind::Number,
                value: "0.5".to_owned(),
                unit: None,
                approx: Some(a),
                year_inferred: false,
                max: None,
            });
        }
        e
    }

    /// "a billion dollars", "half a billion", "a decade".
    fn a_scale(
        &self,
        s: usize,
        e: usize,
        entry: &Entry,
        floor: usize,
        out: &mut Vec<Figure>,
    ) -> usize {
        let Some(art) = self.word_before(s, floor) else {
            return e;
        };
        if !self
            .r
            .articles
            .iter()
            .any(|a| a == self.sub(art.start, art.end))
        {
            return e;
        }
        let mut start = art.start;
        let mut dec = Dec::int(1);
        if let Some(h) = self.word_before(start, floor)
            && let Some(half) = &self.r.half
            && self.lower_eq(h, half)
        {
            start = h.start;
            dec = Dec {
                mant: 5,
                exp: -1,
                neg: false,
            };
        }
        let (kind, value, unit, end) = if let Some(u) = entry.unit {
            let Some(v) = self.unit_value(u, dec) else {
                return e;
            };
            (v.0, v.1, v.2, e)
        } else {
            let Some(p) = entry.scale else {
                return e;
            };
            let tail = self.tail(e, false);
            let dec = dec.shift(p);
            match (tail.currency, tail.unit) {
                (Some(c), _) => (FigureKind::Money, dec.render(), Some(c), tail.end),
                (None, Some(u)) => match self.unit_value(u, dec) {
                    Some(v) => (v.0, v.1, v.2, tail.end),
                    None => return e,
                },
                _ => (FigureKind::Number, dec.render(), None, e),
            }
        };
        let Some(value) = value else {
            return end;
        };
        let mut approx = None;
        if let Some((a_start, a)) = self.approx_before(start, floor, kind == FigureKind::Duration) {
            start = a_start;
            approx = Some(a);
        }
        out.push(Figure {
            start,
            end,
            kind,
            value,
            unit: unit.map(str::to_owned),
            approx,
            year_inferred: false,
            max: None,
        });
        end
    }

    /// A number word at `s..e` ("fünf Jahren", "eine Milliarde Dollar", "zwei").
    fn number_word(
        &self,
        s: usize,
        e: usize,
        tenfold: u32,
        usage: WordUse,
        floor: usize,
        out: &mut Vec<Figure>,
    ) -> usize {
        let (mut tenfold, mut e) = (tenfold, e);
        // "twenty-five", "treinta y cinco": a round ten joined to a unit word.
        if let Some((join, from)) = &self.r.compound
            && tenfold % 100 == 0
            && tenfold >= *from
        {
            let unit_start = if **join == *b"-" {
                (self.byte(e) == b'-').then_some(e + 1)
            } else {
                self.word_after(e)
                    .filter(|t| t.start > e && self.lower_eq(*t, join))
                    .map(|t| self.skip_hspace(t.end))
                    .filter(|&u| self.byte(u).is_ascii_alphabetic())
            };
            if let Some(us) = unit_start {
                let ue = self.letters_end(us);
                let mut buf = [0; MAX_WORD];
                if let Some((u, _)) = rules::lower(self.sub(us, ue), &mut buf)
                    .and_then(|w| self.r.get(w))
                    .and_then(|en| en.number)
                    .filter(|&(u, _)| u < 100)
                {
                    tenfold += u;
                    e = ue;
                }
            }
        }
        let dec = Dec {
            mant: u128::from(tenfold),
            exp: -1,
            neg: false,
        };
        let tail = self.tail(e, false);
        let mut dec = dec.shift(tail.scale);
        if tail.dozen {
            let Some(d) = dec.times(12) else {
                return tail.end;
            };
            dec = d;
        }
        if self.clock_hours(tail.unit, dec, s, floor) {
            return tail.end;
        }
        let (kind, value, unit) = if let Some(code) = tail.currency {
            (FigureKind::Money, dec.render(), Some(code))
        } else if let Some(u) = tail.unit {
            match self.unit_value(u, dec) {
                Some(v) => v,
                None => return tail.end,
            }
        } else if tail.scale != 0 || tail.dozen {
            (FigureKind::Number, dec.render(), None)
        } else {
            if self.fraction_after(e) || self.ratio_before(s, floor) {
                return e;
            }
            let word = self.sub(s, e);
            // "die Elf", "außer Acht": capitalised mid-sentence, a number word is a noun.
            if usage == WordUse::NeedsUnit
                || (is_upper_initial(word) && !self.sentence_start(s))
                || !self.counts
            {
                return e;
            }
            (FigureKind::Number, dec.render(), None)
        };
        let Some(value) = value else {
            return tail.end;
        };
        let mut start = s;
        let mut approx = None;
        if let Some((a_start, a)) = self.approx_before(s, floor, kind == FigureKind::Duration) {
            start = a_start;
            approx = Some(a);
        }
        out.push(Figure {
            start,
            end: tail.end,
            kind,
            value,
            unit: unit.map(str::to_owned),
            approx,
            year_inferred: false,
            max: None,
        });
        tail.end
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn de() -> &'static Rules {
        rules_for("de").expect("de rules")
    }

    fn en() -> &'static Rules {
        rules_for("en").expect("en rules")
    }

    fn one(text: &str, lang: &Rules) -> Vec<(String, FigureKind, String, Option<String>)> {
        detect(text, lang, Some(2019))
            .into_iter()
            .map(|f| (text[f.start..f.end].to_owned(), f.kind, f.value, f.unit))
            .collect()
    }

    #[test]
    fn examples() {
        let german = one(
            "Microsoft investierte 1 Milliarde US-Dollar am 22. Juli, 50 % bis 2099.",
            de(),
        );
        assert_eq!(german[0].0, "1 Milliarde US-Dollar");
        assert_eq!(german[0].2, "1000000000");
        assert_eq!(german[1].2, "2019-07-22");
        assert_eq!(german[2].2, "0.5");
        assert_eq!(german[3].1, FigureKind::Year);
        assert!(one("GPT-2 und Dota 2", de()).is_empty());
        let en = one("$1.2 billion over five years", en());
        assert_eq!(en[0].2, "1200000000");
        assert_eq!(en[1].2, "P5Y");
    }

    #[test]
    fn ranges_are_one_figure_with_both_ends() {
        let r = |text: &str, lang| {
            detect(text, lang, Some(2019))
                .into_iter()
                .map(|f| (text[f.start..f.end].to_owned(), f.value, f.max))
                .collect::<Vec<_>>()
        };
        // (text, language, the words of the one figure, its low end, its high end)
        for (text, lang, t, v, m) in [
            ("um 10–15 Prozent", de(), "10–15 Prozent", "0.1", "0.15"),
            (
                "zwischen 3 und 5 Millionen Menschen",
                de(),
                "zwischen 3 und 5 Millionen",
                "3000000",
                "5000000",
            ),
            (
                "between 3 and 5 million people",
                en(),
                "between 3 and 5 million",
                "3000000",
                "5000000",
            ),
            ("$3-5 million", en(), "$3-5 million", "3000000", "5000000"),
            ("3 bis 5 Jahre", de(), "3 bis 5 Jahre", "P3Y", "P5Y"),
        ] {
            assert_eq!(
                r(text, lang),
                vec![(t.to_owned(), v.to_owned(), Some(m.to_owned()))],
                "{text}"
            );
        }
        // Not ranges: a score, a low end above the high end, a change "bis zu".
        assert!(r("Das Spiel endete 9–4.", de()).is_empty());
        assert_eq!(r("von 1990–2000", de()).len(), 2);
        assert!(
            r("in 2020 to 2 percent", en())
                .iter()
                .all(|f| f.2.is_none())
        );
        assert_eq!(r("von 3 bis zu 5 Prozent", de())[0].2, None);
    }

    #[test]
    fn bare_counts_only_when_asked() {
        let text = "Zwei Kinder, 3 Lehrer und 40 Prozent";
        assert_eq!(detect(text, de(), None).len(), 1);
        assert_eq!(detect_with(text, de(), None, true).len(), 3);
    }

    /// Every figure of `text` in the language `code`: its words, value, unit and high end.
    fn all(code: &str, text: &str) -> Vec<(String, String, Option<String>, Option<String>)> {
        let r = rules_for(code).expect("rules");
        detect(text, r, Some(2024))
            .into_iter()
            .map(|f| (text[f.start..f.end].to_owned(), f.value, f.unit, f.max))
            .collect()
    }

    #[test]
    fn french_conventions() {
        let one = |text: &str| {
            let mut found = all("fr", text);
            assert_eq!(found.len(), 1, "{text}: {found:?}");
            found.remove(0)
        };
        for (text, words, value, unit) in [
            (
                "La facture : 1 000,5 euros.",
                "1 000,5 euros",
                "1000.5",
                "EUR",
            ),
            (
                "Soit 1\u{202f}000,5 euros.",
                "1\u{202f}000,5 euros",
                "1000.5",
                "EUR",
            ),
            (
                "Soit 1\u{a0}000,5 euros.",
                "1\u{a0}000,5 euros",
                "1000.5",
                "EUR",
            ),
            (
                "Il a levé 1,5 millions d'euros.",
                "1,5 millions d'euros",
                "1500000",
                "EUR",
            ),
            (
                "Il a levé 1,5 million d’euros.",
                "1,5 million d’euros",
                "1500000",
                "EUR",
            ),
            (
                "Le 22 juillet 2019, rien.",
                "22 juillet 2019",
                "2019-07-22",
                "",
            ),
            (
                "Dès le 1er mars, tout change.",
                "1er mars",
                "2024-03-01",
                "",
            ),
            ("Il y a passé cinq ans.", "cinq ans", "P5Y", "years"),
            ("La hausse est de 3,5 %.", "3,5 %", "0.035", "percent"),
            (
                "Il gagne 3,5 pour cent.",
                "3,5 pour cent",
                "0.035",
                "percent",
            ),
            ("Un coût de 15 M€ au total.", "15 M€", "15000000", "EUR"),
            ("La guerre de 1870 fut brève.", "1870", "1870", "year"),
        ] {
            let (w, v, u, _) = one(text);
            assert_eq!((w.as_str(), v.as_str()), (words, value), "{text}");
            assert_eq!(u.unwrap_or_default(), unit, "{text}");
        }
        let r = one("Entre 3 et 5 millions de foyers.");
        assert_eq!((r.1.as_str(), r.3.as_deref()), ("3000000", Some("5000000")));
        assert_eq!(one("Il a payé jusqu'à 500 euros.").0, "jusqu'à 500 euros");
        assert_eq!(
            one("Il a payé plus d'un million d'euros.").0,
            "plus d'un million d'euros"
        );
        // Not figures: a time of day, an article of law, a phone number, a line, an ordinal.
        for text in [
            "Rendez-vous à 20 heures.",
            "Rendez-vous à 20 h 30.",
            "L'article 3 s'applique.",
            "Appelez le 01 23 45 67 89.",
            "La ligne 14 est fermée.",
            "Il a fini 2e.",
            "Le 1er tour a eu lieu.",
            "Un bâtiment neuf.",
        ] {
            assert!(all("fr", text).is_empty(), "{text}: {:?}", all("fr", text));
        }
    }

    #[test]
    fn spanish_conventions() {
        let one = |text: &str| {
            let mut found = all("es", text);
            assert_eq!(found.len(), 1, "{text}: {found:?}");
            found.remove(0)
        };
        for (text, words, value, unit) in [
            (
                "La factura: 1.000,5 euros.",
                "1.000,5 euros",
                "1000.5",
                "EUR",
            ),
            (
                "Captó 1,5 millones de euros.",
                "1,5 millones de euros",
                "1500000",
                "EUR",
            ),
            (
                "Invirtió 3 mil millones de dólares.",
                "3 mil millones de dólares",
                "3000000000",
                "USD",
            ),
            (
                "Invirtió mil millones de euros.",
                "mil millones de euros",
                "1000000000",
                "EUR",
            ),
            (
                "El 22 de julio de 2019 llovió.",
                "22 de julio de 2019",
                "2019-07-22",
                "",
            ),
            ("En julio de 2019 llovió.", "julio de 2019", "2019-07", ""),
            ("Pasó cinco años fuera.", "cinco años", "P5Y", "years"),
            (
                "Pasó treinta y cinco años fuera.",
                "treinta y cinco años",
                "P35Y",
                "years",
            ),
            ("Subió el 3,5 % ayer.", "3,5 %", "0.035", "percent"),
            ("Subió más del 50 % ayer.", "más del 50 %", "0.5", "percent"),
            (
                "Subió al menos un 10 % ayer.",
                "al menos un 10 %",
                "0.1",
                "percent",
            ),
            ("Tardó media hora.", "media hora", "PT0.5H", "hours"),
            (
                "La deuda es de 1,6 billones de euros.",
                "1,6 billones de euros",
                "1600000000000",
                "EUR",
            ),
        ] {
            let (w, v, u, _) = one(text);
            assert_eq!((w.as_str(), v.as_str()), (words, value), "{text}");
            assert_eq!(u.unwrap_or_default(), unit, "{text}");
        }
        let r = one("Afecta a entre 3 y 5 millones de hogares.");
        assert_eq!(
            (r.0.as_str(), r.3.as_deref()),
            ("entre 3 y 5 millones", Some("5000000"))
        );
        let r = one("Subió entre el 10 y el 15 % este año.");
        assert_eq!((r.1.as_str(), r.3.as_deref()), ("0.1", Some("0.15")));
        for text in [
            "Empieza a las 20 horas.",
            "Empieza a las 10 de la mañana.",
            "El artículo 155 se aplicó.",
            "Llame al +34 91 123 45 67.",
            "Quedó en el 3.º puesto.",
            "Uno de cada cinco jóvenes.",
            "La línea 6 del metro.",
        ] {
            assert!(all("es", text).is_empty(), "{text}: {:?}", all("es", text));
        }
    }

    #[test]
    fn each_language_reads_its_own_marks() {
        // The same digits are a different number in German and English, French and Spanish.
        assert_eq!(all("de", "Es kostet 1.500 Euro.")[0].1, "1500");
        assert_eq!(all("en", "It costs 1.5 euros.")[0].1, "1.5");
        assert_eq!(all("es", "Cuesta 1.500 euros.")[0].1, "1500");
        assert!(all("fr", "Il coûte 1.500 euros.").is_empty());
        // Month names are each language's own; lower case where the language writes them so.
        assert_eq!(all("fr", "le 5 mai")[0].1, "2024-05-05");
        assert!(all("de", "am 5 mai").is_empty());
        assert!(
            all("fr", "Le robot Mars 2020 a atterri.")
                .iter()
                .all(|f| f.1 != "2020-03")
        );
    }

    fn check(text: &str, lang: &Rules) -> Result<(), TestCaseError> {
        let figs = detect(text, lang, Some(2020));
        let mut last = 0;
        for f in &figs {
            prop_assert!(f.start < f.end && f.end <= text.len());
            prop_assert!(f.start >= last, "overlap or unsorted");
            prop_assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
            last = f.end;
            if !matches!(f.kind, FigureKind::Date | FigureKind::Duration) {
                let v = f.value.strip_prefix('-').unwrap_or(&f.value);
                let mut parts = v.split('.');
                let int = parts.next().unwrap_or("");
                prop_assert!(
                    !int.is_empty() && int.bytes().all(|b| b.is_ascii_digit()),
                    "{}",
                    f.value
                );
                if let Some(frac) = parts.next() {
                    prop_assert!(!frac.is_empty() && frac.bytes().all(|b| b.is_ascii_digit()));
                }
                prop_assert!(parts.next().is_none());
            }
        }
        Ok(())
    }

    proptest! {
        #[test]
        fn never_panics_on_unicode(s in "\\PC*") {
            for r in codes().filter_map(rules_for) {
                check(&s, r)?;
            }
        }

        #[test]
        fn never_panics_on_numberish(s in "([0-9]{1,5}|[ .,:/\\-+%€$£\u{a0}\u{202f}]|rund |über |bis zu |more than |a |Juli |July |Mio\\.|Milliarde|billion|Prozent|percent|Jahre|years|fünf|five|eine |GPT-|er|s|Jahrhunderte|\n){0,40}") {
            check(&s, de())?;
            check(&s, en())?;
        }

        #[test]
        fn never_panics_on_numberish_fr_es(s in "([0-9]{1,5}|[ .,:/\\-+%€$'’\u{a0}\u{202f}]|d'|jusqu'à |plus de |más del |al menos un |de |y |et |à |a las |entre el |millions |millones |mil |juillet |julio |1er |er|º|ª|ans|años|heures|horas|h |années |pour cent|por ciento|cinq|treinta y |vingt-|medio |\n){0,40}") {
            check(&s, rules_for("fr").expect("fr"))?;
            check(&s, rules_for("es").expect("es"))?;
        }
    }
}
