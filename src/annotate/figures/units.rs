//! The closed list of figure units, the check of a value against its unit, and the one
//! formatter that shows a figure as a reader of the article's language writes it — in the
//! margin, the figures panel, the annotation export and everywhere else.
//!
//! Values stay machine-readable everywhere they are stored: decimal strings (a percentage
//! as a fraction, "0.5" for 50 %), ISO 8601 dates ("2019-07-22", "2019-07", "--07-22") and
//! ISO 8601 durations ("P5Y", "PT4H").

use super::FigureKind;
use crate::content::is_decimal;
use crate::i18n::Locale;

/// What a unit's value must look like.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Form {
    /// Any decimal number.
    Decimal,
    /// A decimal from 0 to 1 (a probability or share).
    Fraction,
    /// A whole number, zero or more (people).
    Whole,
    /// An ISO 8601 calendar date or month.
    Date,
    /// A four-digit year.
    Year,
    /// A four-digit year ending in 0.
    Decade,
    /// An ISO 8601 duration.
    Duration,
    /// A number of one time unit: ISO designator, whether it is a time (T) part.
    Span(u8, bool),
}

/// One entry of the unit list.
struct Def {
    key: &'static str,
    kind: FigureKind,
    form: Form,
}

const fn def(key: &'static str, kind: FigureKind, form: Form) -> Def {
    Def { key, kind, form }
}

/// Every unit but the currency codes, in the order the README lists them.
const UNITS: &[Def] = &[
    def("percent", FigureKind::Percent, Form::Decimal),
    def("probability", FigureKind::Percent, Form::Fraction),
    def(
        "percentage-points",
        FigureKind::PercentagePoints,
        Form::Decimal,
    ),
    def("count", FigureKind::Number, Form::Decimal),
    def("people", FigureKind::Number, Form::Whole),
    def("km", FigureKind::Number, Form::Decimal),
    def("m", FigureKind::Number, Form::Decimal),
    def("km2", FigureKind::Number, Form::Decimal),
    def("hectares", FigureKind::Number, Form::Decimal),
    def("kg", FigureKind::Number, Form::Decimal),
    def("tonnes", FigureKind::Number, Form::Decimal),
    def("litres", FigureKind::Number, Form::Decimal),
    def("celsius", FigureKind::Number, Form::Decimal),
    def("kwh", FigureKind::Number, Form::Decimal),
    def("date", FigureKind::Date, Form::Date),
    def("year", FigureKind::Year, Form::Year),
    def("decade", FigureKind::Year, Form::Decade),
    def("duration", FigureKind::Duration, Form::Duration),
    def("years", FigureKind::Duration, Form::Span(b'Y', false)),
    def("months", FigureKind::Duration, Form::Span(b'M', false)),
    def("weeks", FigureKind::Duration, Form::Span(b'W', false)),
    def("days", FigureKind::Duration, Form::Span(b'D', false)),
    def("hours", FigureKind::Duration, Form::Span(b'H', true)),
    def("minutes", FigureKind::Duration, Form::Span(b'M', true)),
    def("seconds", FigureKind::Duration, Form::Span(b'S', true)),
];

/// The active ISO 4217 currency codes (and XDR), sorted for binary search.
const CURRENCIES: &[&str] = &[
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
    "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD",
    "CDF", "CHF", "CLP", "CNY", "COP", "CRC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP", "DZD",
    "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF", "GTQ",
    "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK", "JMD", "JOD",
    "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP", "LKR",
    "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR", "MVR",
    "MWK", "MXN", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB", "PEN",
    "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD", "SCR",
    "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL", "THB",
    "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "UYU", "UZS",
    "VES", "VND", "VUV", "WST", "XAF", "XCD", "XDR", "XOF", "XPF", "YER", "ZAR", "ZMW", "ZWL",
];

/// The listed ISO 4217 code `code`, as a static string.
pub fn currency(code: &str) -> Option<&'static str> {
    CURRENCIES.binary_search(&code).ok().map(|i| CURRENCIES[i])
}

fn find(unit: &str) -> Option<(FigureKind, Form)> {
    if CURRENCIES.binary_search(&unit).is_ok() {
        return Some((FigureKind::Money, Form::Decimal));
    }
    UNITS
        .iter()
        .find(|d| d.key == unit)
        .map(|d| (d.kind, d.form))
}

/// The kind of quantity a listed unit measures; `None` for a unit not on the list.
pub fn kind(unit: &str) -> Option<FigureKind> {
    find(unit).map(|(k, _)| k)
}

/// The kind a value without a unit shows by its form: an ISO date or duration; `None` for
/// a number, whose kind the detector or the unit tells.
pub fn kind_of_value(value: &str) -> Option<FigureKind> {
    if date_parts(value).is_some() {
        Some(FigureKind::Date)
    } else if parse_duration(value).is_some() {
        Some(FigureKind::Duration)
    } else {
        None
    }
}

/// The message and help for a unit not on the list, with the closest listed one.
pub fn unknown(unit: &str) -> (String, String) {
    let upper = unit.to_ascii_uppercase();
    let best = if CURRENCIES.binary_search(&upper.as_str()).is_ok() {
        Some(upper.as_str())
    } else {
        crate::toml_input::closest(unit, UNITS.iter().map(|d| d.key))
    };
    let msg = match best {
        Some(b) => format!("unknown unit `{unit}`, did you mean `{b}`?"),
        None => format!("unknown unit `{unit}`"),
    };
    let keys: Vec<String> = UNITS.iter().map(|d| format!("`{}`", d.key)).collect();
    let help = format!(
        "the units are {} and the ISO 4217 currency codes (`EUR`, `USD`, …)",
        keys.join(", ")
    );
    (msg, help)
}

/// Checks `value` against a listed `unit` and returns it normalized (a count of days
/// becomes "P45D"), or the message and help that say what is wrong.
pub fn normalize(unit: &str, value: &str) -> Result<String, (String, String)> {
    let Some((_, form)) = find(unit) else {
        return Err(unknown(unit));
    };
    let bad = |what: &str, example: &str| {
        Err((
            format!("`{value}` is not {what}, as unit `{unit}` needs"),
            format!("write {example}"),
        ))
    };
    match form {
        Form::Decimal if is_decimal(value) => Ok(value.to_owned()),
        Form::Decimal if unit == "percent" && value.ends_with('%') => Err((
            format!("`{value}` is not a decimal number, as unit `{unit}` needs"),
            "a percentage is written as a fraction: \"0.5\" for 50 %".to_owned(),
        )),
        Form::Decimal => bad(
            "a decimal number",
            "a decimal string such as \"1500000\" or \"0.25\"",
        ),
        Form::Fraction if is_decimal(value) && !value.starts_with('-') && le_one(value) => {
            Ok(value.to_owned())
        }
        Form::Fraction => bad("a number from 0 to 1", "\"0.5\" for a probability of 50 %"),
        Form::Whole if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
            Ok(value.to_owned())
        }
        Form::Whole => bad("a whole number", "digits only, such as \"1200\""),
        Form::Date if date_parts(value).is_some_and(|(_, _, d)| d.is_some()) => {
            Ok(value.to_owned())
        }
        Form::Date if date_parts(value).is_some() => Ok(value.to_owned()),
        Form::Date if year(value) => Err((
            format!("`{value}` is a year, not a date"),
            "write `unit = \"year\"`, or a date as \"2027-03-01\"".to_owned(),
        )),
        Form::Date => bad(
            "an ISO date",
            "year-month-day, such as \"2027-03-01\", or a month, \"2027-03\"",
        ),
        Form::Year if year(value) => Ok(value.to_owned()),
        Form::Year if parse_duration(value).is_some() => Err((
            format!("`{value}` is a span of time, not a calendar year"),
            "write `unit = \"years\"` (or `\"duration\"`) for a span".to_owned(),
        )),
        Form::Year => bad("a year", "four digits, such as \"2027\""),
        Form::Decade if year(value) && value.ends_with('0') => Ok(value.to_owned()),
        Form::Decade => bad("a decade", "its first year, such as \"1990\""),
        Form::Duration if parse_duration(value).is_some() => Ok(value.to_owned()),
        Form::Duration => bad(
            "an ISO 8601 duration",
            "such as \"P5Y\", \"P1Y6M\", \"P45D\" or \"PT2H30M\"",
        ),
        Form::Span(d, time) => {
            if is_decimal(value) && !value.starts_with('-') {
                let t = if time { "T" } else { "" };
                return Ok(format!("P{t}{value}{}", char::from(d)));
            }
            match parse_duration(value) {
                Some(parts) if parts.len() == 1 && parts[0].0 == d && parts[0].1 == time => {
                    Ok(value.to_owned())
                }
                Some(_) => Err((
                    format!("`{value}` is not a number of {unit}"),
                    format!("write the number of {unit} (\"45\"), or `unit = \"duration\"`"),
                )),
                None => bad(&format!("a number of {unit}"), "a number such as \"45\""),
            }
        }
    }
}

fn le_one(v: &str) -> bool {
    let (int, frac) = v.split_once('.').unwrap_or((v, ""));
    let int = int.trim_start_matches('0');
    int.is_empty() || (int == "1" && frac.bytes().all(|b| b == b'0'))
}

fn year(v: &str) -> bool {
    v.len() == 4 && v.bytes().all(|b| b.is_ascii_digit()) && v != "0000"
}

fn days_in_month(y: Option<u32>, m: u32) -> u32 {
    match m {
        2 => match y {
            Some(y) if !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0) => 28,
            _ => 29,
        },
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Year (none for "--07-22"), month and day (none for "2019-07") of an ISO date.
fn date_parts(v: &str) -> Option<(Option<u32>, u32, Option<u32>)> {
    let num = |p: &str, n: usize| -> Option<u32> {
        (p.len() == n && p.bytes().all(|b| b.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    let (y, m, d) = match v.strip_prefix("--") {
        Some(md) => {
            let (m, d) = md.split_once('-')?;
            (None, num(m, 2)?, Some(num(d, 2)?))
        }
        None => {
            let mut it = v.splitn(3, '-');
            let y = num(it.next()?, 4).filter(|&y| y > 0)?;
            let m = num(it.next()?, 2)?;
            let d = match it.next() {
                Some(d) => Some(num(d, 2)?),
                None => None,
            };
            (Some(y), m, d)
        }
    };
    if !(1..=12).contains(&m) || d.is_some_and(|d| d == 0 || d > days_in_month(y, m)) {
        return None;
    }
    Some((y, m, d))
}

/// The parts of an ISO 8601 duration, in order: designator, whether in the time part,
/// and the number as written. `None` if `v` is not one.
fn parse_duration(v: &str) -> Option<Vec<(u8, bool, &str)>> {
    let rest = v.strip_prefix('P')?;
    let (date, time) = match rest.split_once('T') {
        Some((d, t)) if !t.is_empty() => (d, Some(t)),
        Some(_) => return None,
        None => (rest, None),
    };
    let mut parts = Vec::new();
    for (s, is_time, order) in [
        (date, false, &b"YMWD"[..]),
        (time.unwrap_or(""), true, b"HMS"),
    ] {
        let mut at = 0;
        let mut allowed = order;
        let b = s.as_bytes();
        while at < b.len() {
            let end = at
                + b[at..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit() || **c == b'.')
                    .count();
            let n = &s[at..end];
            let d = *b.get(end)?;
            let k = allowed.iter().position(|&x| x == d)?;
            allowed = &allowed[k + 1..];
            if !is_decimal(n) {
                return None;
            }
            parts.push((d, is_time, n));
            at = end + 1;
        }
    }
    (!parts.is_empty()).then_some(parts)
}

/// The value of a figure as HTML's `datetime` attribute accepts it, if HTML can say it:
/// dates, months, yearless dates, years, and durations without years or months (weeks
/// become days, "P41W" is "P287D"). `None` means the figure is written as `<data>`.
pub fn datetime(kind: FigureKind, value: &str, unit: Option<&str>) -> Option<String> {
    match kind {
        FigureKind::Date => date_parts(value).map(|_| value.to_owned()),
        FigureKind::Year if unit != Some("decade") && year(value) => Some(value.to_owned()),
        FigureKind::Duration => html_duration(value),
        _ => None,
    }
}

/// An ISO 8601 duration as a valid HTML duration string ("P1DT2H30M").
fn html_duration(value: &str) -> Option<String> {
    let parts = parse_duration(value)?;
    // Milliseconds: HTML allows at most three decimals, and only on seconds.
    let mut ms: u128 = 0;
    for (d, time, n) in parts {
        let per: u128 = match (d, time) {
            (b'W', false) => 7 * 86_400_000,
            (b'D', false) => 86_400_000,
            (b'H', true) => 3_600_000,
            (b'M', true) => 60_000,
            (b'S', true) => 1000,
            _ => return None,
        };
        let (int, frac) = n.split_once('.').unwrap_or((n, ""));
        let frac = frac.trim_end_matches('0');
        if frac.len() > 3 || int.len() > 20 {
            return None;
        }
        let scaled: u128 = format!("{int}{frac:0<3}").parse().ok()?;
        let x = scaled.checked_mul(per)?;
        if x % 1000 != 0 {
            return None;
        }
        ms = ms.checked_add(x / 1000)?;
    }
    let (days, rest) = (ms / 86_400_000, ms % 86_400_000);
    let (h, rest) = (rest / 3_600_000, rest % 3_600_000);
    let (m, rest) = (rest / 60_000, rest % 60_000);
    let (s, milli) = (rest / 1000, rest % 1000);
    let mut out = String::from("P");
    if days > 0 {
        out.push_str(&format!("{days}D"));
    }
    if h > 0 || m > 0 || s > 0 || milli > 0 || days == 0 {
        out.push('T');
        if h > 0 {
            out.push_str(&format!("{h}H"));
        }
        if m > 0 {
            out.push_str(&format!("{m}M"));
        }
        if s > 0 || milli > 0 || (h == 0 && m == 0) {
            out.push_str(&s.to_string());
            if milli > 0 {
                let f = format!("{milli:03}");
                out.push('.');
                out.push_str(f.trim_end_matches('0'));
            }
            out.push('S');
        }
    }
    Some(out)
}

/// A figure as a reader of `loc`'s language writes it: "50 %", "96 Mio. USD", "45 days",
/// "1. März 2027", "10–15 %". `max` is the high end of a range.
pub fn display(
    kind: FigureKind,
    value: &str,
    max: Option<&str>,
    unit: Option<&str>,
    loc: &Locale,
) -> String {
    let Some(max) = max else {
        let (low, suffix) = parts(kind, value, value, unit, loc);
        return join(low, &suffix, loc);
    };
    // The unit's word agrees with the high end: "1–2 Jahre".
    let (low, suffix) = parts(kind, value, max, unit, loc);
    let (high, high_suffix) = parts(kind, max, max, unit, loc);
    if high_suffix == suffix {
        join(format!("{low}–{high}"), &suffix, loc)
    } else {
        format!(
            "{} – {}",
            join(low, &suffix, loc),
            join(high, &high_suffix, loc)
        )
    }
}

fn join(number: String, suffix: &str, loc: &Locale) -> String {
    if suffix.is_empty() {
        return number;
    }
    // Whether the per-cent sign is glued to the number is the language's ("50%", "50 %").
    if suffix == "%" {
        return loc.format.percent.replace("{n}", &number);
    }
    format!("{number} {suffix}")
}

/// The number part and the words after it, in the number `named` (singular for "1").
fn parts(
    kind: FigureKind,
    value: &str,
    named: &str,
    unit: Option<&str>,
    loc: &Locale,
) -> (String, String) {
    let plural = |key: &str| loc.unit_name(key, named).unwrap_or("");
    match kind {
        FigureKind::Percent => (number(&shift_two(value), loc), "%".to_owned()),
        FigureKind::PercentagePoints => {
            (number(value, loc), plural("percentage-points").to_owned())
        }
        FigureKind::Year if unit == Some("decade") => {
            (loc.format.decade.replace("{y}", value), String::new())
        }
        FigureKind::Year => (value.to_owned(), String::new()),
        FigureKind::Date => (date(value, loc), String::new()),
        FigureKind::Duration => match parse_duration(value).as_deref() {
            Some(&[(d, time, n)]) => {
                let named = parse_duration(named)
                    .and_then(|p| p.first().map(|x| x.2))
                    .unwrap_or(n);
                let key = time_unit_key(d, time);
                let name = loc.unit_name(key, named).unwrap_or(key);
                (number(n, loc), name.to_owned())
            }
            _ => (duration(value, loc), String::new()),
        },
        FigureKind::Money => {
            let (n, scale) = scaled(value, loc);
            let code = unit.unwrap_or("");
            (n, [scale, code].join(" ").trim().to_owned())
        }
        FigureKind::Number => {
            let (n, scale) = scaled(value, loc);
            let name = unit.filter(|u| *u != "count").map_or("", |u| plural(u));
            (n, [scale, name].join(" ").trim().to_owned())
        }
    }
}

/// A large round amount with a scale word ("96 Mio.", "1.2 billion"), else grouped digits.
fn scaled<'a>(value: &str, loc: &'a Locale) -> (String, &'a str) {
    let (sign, digits) = match value.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", value),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    for p in [12usize, 9, 6] {
        if int.len() > p && int.bytes().all(|b| b.is_ascii_digit()) && !int.starts_with('0') {
            let (head, tail) = int.split_at(int.len() - p);
            let rest = format!("{tail}{frac}");
            let rest = rest.trim_end_matches('0');
            if rest.len() <= 2 {
                let n = if rest.is_empty() {
                    format!("{sign}{head}")
                } else {
                    format!("{sign}{head}.{rest}")
                };
                if let Some(word) = loc.scale_name(p, &n) {
                    return (number(&n, loc), word);
                }
            }
        }
    }
    (number(value, loc), "")
}

/// A decimal string with the language's digit grouping and decimal mark.
pub fn number(value: &str, loc: &Locale) -> String {
    let (group, mark) = (&loc.format.group, &loc.format.decimal);
    let (sign, digits) = match value.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", value),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    if !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return value.to_string();
    }
    let mut out = String::from(sign);
    for (i, c) in int.chars().enumerate() {
        if i > 0 && (int.len() - i) % 3 == 0 && int.len() > 4 {
            out.push_str(group);
        }
        out.push(c);
    }
    if !frac.is_empty() {
        out.push_str(mark);
        out.push_str(frac);
    }
    out
}

/// A decimal string times 100, without floating point ("0.5" → "50", "0.125" → "12.5").
fn shift_two(value: &str) -> String {
    let (sign, digits) = match value.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", value),
    };
    let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
    let mut frac = frac.to_string();
    while frac.len() < 2 {
        frac.push('0');
    }
    let whole = format!("{int}{}", &frac[..2]);
    let whole = whole.trim_start_matches('0');
    let rest = frac[2..].trim_end_matches('0');
    let whole = if whole.is_empty() { "0" } else { whole };
    if rest.is_empty() {
        format!("{sign}{whole}")
    } else {
        format!("{sign}{whole}.{rest}")
    }
}

/// An ISO date, month or yearless date in words: "1. März 2027", "March 2027", "July 22".
fn date(value: &str, loc: &Locale) -> String {
    let Some((y, m, d)) = date_parts(value) else {
        return value.to_owned();
    };
    if y.is_none() && d.is_none() {
        return value.to_owned();
    }
    loc.date_parts(y.map(|y| y as i16), m as u8, d.map(|d| d as u8))
}

/// The unit list's key for an ISO duration designator.
fn time_unit_key(d: u8, time: bool) -> &'static str {
    match (d, time) {
        (b'Y', _) => "years",
        (b'M', false) => "months",
        (b'W', _) => "weeks",
        (b'D', _) => "days",
        (b'H', _) => "hours",
        (b'M', true) => "minutes",
        _ => "seconds",
    }
}

/// An ISO duration in words: "5 Jahre", "1 year, 6 months", "2 Stunden, 30 Minuten".
fn duration(value: &str, loc: &Locale) -> String {
    let Some(parts) = parse_duration(value) else {
        return value.to_owned();
    };
    let nonzero: Vec<_> = parts
        .iter()
        .filter(|p| p.2.bytes().any(|b| b.is_ascii_digit() && b != b'0'))
        .collect();
    let shown = if nonzero.is_empty() {
        parts.iter().collect()
    } else {
        nonzero
    };
    let words: Vec<String> = shown
        .into_iter()
        .map(|&(d, time, n)| {
            let key = time_unit_key(d, time);
            let name = loc.unit_name(key, n).unwrap_or(key);
            format!("{} {name}", number(n, loc))
        })
        .collect();
    words.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::builtin;
    use crate::lang::Lang;
    use FigureKind as K;

    fn de() -> &'static Locale {
        builtin(Lang::DE)
    }
    fn en() -> &'static Locale {
        builtin(Lang::EN)
    }

    fn locale(tag: &str) -> &'static Locale {
        builtin(Lang::from_tag(tag).expect("a built-in language"))
    }

    #[test]
    fn french_and_spanish_readers_see_their_conventions() {
        let (fr, es) = (locale("fr"), locale("es"));
        let show = |k, v, u, l| display(k, v, None, u, l);
        assert_eq!(show(K::Percent, "0.035", Some("percent"), fr), "3,5\u{a0}%");
        assert_eq!(show(K::Percent, "0.035", Some("percent"), es), "3,5\u{a0}%");
        assert_eq!(
            show(K::Money, "1500000", Some("EUR"), fr),
            "1,5 million EUR"
        );
        assert_eq!(show(K::Money, "3000000", Some("EUR"), fr), "3 millions EUR");
        assert_eq!(
            show(K::Money, "1500000", Some("EUR"), es),
            "1,5 millones EUR"
        );
        assert_eq!(show(K::Date, "2019-07-22", None, fr), "22 juillet 2019");
        assert_eq!(show(K::Date, "2027-03-01", None, fr), "1er mars 2027");
        assert_eq!(show(K::Date, "--03-01", None, fr), "1er mars");
        assert_eq!(show(K::Date, "2019-07-22", None, es), "22 de julio de 2019");
        assert_eq!(show(K::Duration, "P5Y", Some("years"), fr), "5 ans");
        assert_eq!(show(K::Duration, "P5Y", Some("years"), es), "5 años");
        assert_eq!(show(K::Year, "1990", Some("decade"), fr), "années 1990");
        assert_eq!(show(K::Number, "12500.5", None, es), "12.500,5");
    }

    #[test]
    fn currencies_are_sorted() {
        assert!(CURRENCIES.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn values_are_checked_against_their_unit() {
        assert_eq!(normalize("days", "45").unwrap(), "P45D");
        assert_eq!(normalize("hours", "3").unwrap(), "PT3H");
        assert_eq!(normalize("days", "P45D").unwrap(), "P45D");
        assert!(normalize("days", "P1Y").is_err());
        assert_eq!(normalize("date", "2027-03-01").unwrap(), "2027-03-01");
        assert!(normalize("date", "2027-02-30").is_err());
        assert!(
            normalize("date", "2027")
                .unwrap_err()
                .1
                .contains("\"year\"")
        );
        assert!(normalize("year", "P5Y").unwrap_err().1.contains("years"));
        assert!(normalize("probability", "1.5").is_err());
        assert_eq!(normalize("probability", "0.5").unwrap(), "0.5");
        assert!(
            normalize("percent", "50%")
                .unwrap_err()
                .1
                .contains("fraction")
        );
        assert!(normalize("USD", "96 Mio").is_err());
        assert!(normalize("people", "1.5").is_err());
        assert!(normalize("duration", "P1Y6MT2H").is_ok());
        assert!(normalize("duration", "PT").is_err());
        assert!(normalize("duration", "P2D1Y").is_err());
        let (msg, _) = unknown("procent");
        assert!(msg.contains("did you mean `percent`"), "{msg}");
        assert!(unknown("usd").0.contains("`USD`"));
        assert!(kind("XYZ").is_none());
    }

    #[test]
    fn html_datetime_values_are_valid() {
        let dt = |k, v| datetime(k, v, None);
        assert_eq!(dt(K::Duration, "P41W").as_deref(), Some("P287D"));
        assert_eq!(dt(K::Duration, "P45D").as_deref(), Some("P45D"));
        assert_eq!(dt(K::Duration, "PT4H").as_deref(), Some("PT4H"));
        assert_eq!(dt(K::Duration, "PT90M").as_deref(), Some("PT1H30M"));
        assert_eq!(dt(K::Duration, "P1DT0.5S").as_deref(), Some("P1DT0.5S"));
        assert_eq!(dt(K::Duration, "P1.5D").as_deref(), Some("P1DT12H"));
        assert_eq!(dt(K::Duration, "PT0S").as_deref(), Some("PT0S"));
        assert_eq!(dt(K::Duration, "P5Y"), None);
        assert_eq!(dt(K::Duration, "P6M"), None);
        assert_eq!(dt(K::Duration, "45"), None);
        assert_eq!(dt(K::Date, "2019-07-22").as_deref(), Some("2019-07-22"));
        assert_eq!(dt(K::Date, "2019-07").as_deref(), Some("2019-07"));
        assert_eq!(dt(K::Date, "--07-22").as_deref(), Some("--07-22"));
        assert_eq!(dt(K::Date, "2019-13-01"), None);
        assert_eq!(dt(K::Year, "2099").as_deref(), Some("2099"));
        assert_eq!(datetime(K::Year, "1990", Some("decade")), None);
        assert_eq!(dt(K::Number, "45"), None);
    }

    #[test]
    fn figures_are_shown_as_readers_write_them() {
        let show = |k, v, u, l| display(k, v, None, u, l);
        assert_eq!(show(K::Percent, "0.005", Some("percent"), en()), "0.5%");
        assert_eq!(show(K::Percent, "0.5", Some("percent"), de()), "50 %");
        assert_eq!(show(K::Percent, "0.5", Some("probability"), de()), "50 %");
        assert_eq!(
            show(K::Money, "96000000", Some("USD"), en()),
            "96 million USD"
        );
        assert_eq!(show(K::Money, "96000000", Some("USD"), de()), "96 Mio. USD");
        assert_eq!(
            show(K::Money, "1200000000", Some("EUR"), de()),
            "1,2 Mrd. EUR"
        );
        assert_eq!(
            show(K::Money, "604300000.5", Some("EUR"), en()),
            "604,300,000.5 EUR"
        );
        assert_eq!(show(K::Number, "2500", None, de()), "2500");
        assert_eq!(show(K::Number, "-12500", None, de()), "-12.500");
        assert_eq!(show(K::Number, "1200", Some("people"), en()), "1200 people");
        assert_eq!(show(K::Number, "1", Some("people"), de()), "1 Mensch");
        assert_eq!(show(K::Number, "3.5", Some("km2"), de()), "3,5 km²");
        assert_eq!(show(K::Duration, "P45D", Some("days"), en()), "45 days");
        assert_eq!(show(K::Duration, "P1Y", Some("years"), en()), "1 year");
        assert_eq!(show(K::Duration, "P1Y6M", None, de()), "1 Jahr, 6 Monate");
        assert_eq!(
            show(K::Duration, "PT2H30M", None, en()),
            "2 hours, 30 minutes"
        );
        assert_eq!(show(K::Date, "2027-03-01", None, de()), "1. März 2027");
        assert_eq!(show(K::Date, "2027-03-01", None, en()), "March 1, 2027");
        assert_eq!(show(K::Date, "2027-03", None, en()), "March 2027");
        assert_eq!(show(K::Date, "--07-22", None, de()), "22. Juli");
        assert_eq!(show(K::Year, "2099", Some("year"), de()), "2099");
        assert_eq!(show(K::Year, "1990", Some("decade"), en()), "1990s");
        assert_eq!(
            show(K::PercentagePoints, "2.5", Some("percentage-points"), de()),
            "2,5 Prozentpunkte"
        );
        let range = |k, v, m, u, l| display(k, v, Some(m), u, l);
        assert_eq!(
            range(K::Duration, "P1Y", "P2Y", Some("years"), de()),
            "1–2 Jahre"
        );
        assert_eq!(range(K::Duration, "P2W", "P3W", None, en()), "2–3 weeks");
        assert_eq!(
            range(K::Percent, "0.1", "0.15", Some("percent"), de()),
            "10–15 %"
        );
        assert_eq!(
            range(K::Number, "3000000", "5000000", None, en()),
            "3–5 million"
        );
        assert_eq!(
            range(K::Money, "900000", "1200000", Some("EUR"), de()),
            "900.000 EUR – 1,2 Mio. EUR"
        );
    }
}
