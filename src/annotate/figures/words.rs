//! Word tables for the figure detector. Every lookup takes a word already
//! lowercased by [`lower`], so the tables list lowercase forms only.

use super::Approx;
use super::Lang;

/// The longest word any table below can match; longer words are skipped
/// without lowercasing them.
pub const MAX_WORD: usize = 24;

/// Lowercases ASCII letters and the German capitals Ä Ö Ü into `buf`;
/// returns `None` for words too long to be in any table.
pub fn lower<'b>(word: &str, buf: &'b mut [u8; MAX_WORD]) -> Option<&'b [u8]> {
    let w = word.as_bytes();
    if w.len() > MAX_WORD {
        return None;
    }
    let mut prev = 0u8;
    for (slot, &b) in buf.iter_mut().zip(w) {
        // Latin-1 capitals are C3 80..=C3 9E in UTF-8; their lowercase is +0x20.
        *slot = if prev == 0xC3 && (0x80..=0x9E).contains(&b) && b != 0x97 {
            b + 0x20
        } else {
            b.to_ascii_lowercase()
        };
        prev = b;
    }
    buf.get(..w.len())
}

/// The words the German scanner treats as anchors (by their first two bytes).
const ANCHORS_DE: &[&[u8]] = &[
    b"ein",
    b"anderthalb",
    b"zwei",
    b"zehn",
    b"drei",
    b"vier",
    b"f\xc3\xbcnf",
    b"sechs",
    b"sieben",
    b"acht",
    b"neun",
    b"elf",
    b"hundert",
    b"tausend",
    b"jahrzehnte",
];

/// The words the English scanner treats as anchors: number words, bare
/// spans, "half", and what "a" turns into a figure.
const ANCHORS_EN: &[&[u8]] = &[
    b"one",
    b"two",
    b"three",
    b"four",
    b"five",
    b"six",
    b"seven",
    b"eight",
    b"nine",
    b"ten",
    b"eleven",
    b"decades",
    b"centuries",
    b"millennia",
    b"billion",
    b"trillion",
    b"hundred",
    b"half",
];

const fn pairs(words: &[&[u8]]) -> [u64; 1024] {
    let mut t = [0u64; 1024];
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        let k = (w[0] as usize) << 8 | w[1] as usize;
        t[k / 64] |= 1 << (k % 64);
        i += 1;
    }
    t
}

/// Lowercased first two bytes of every anchor, as 64 Ki-bit sets.
static PAIRS_DE: [u64; 1024] = pairs(ANCHORS_DE);
static PAIRS_EN: [u64; 1024] = pairs(ANCHORS_EN);

/// Whether a word starting with these two bytes can be an anchor at all.
#[inline]
pub fn may_anchor(lang: Lang, b0: u8, b1: u8) -> bool {
    let k = usize::from(b0.to_ascii_lowercase()) << 8 | usize::from(b1.to_ascii_lowercase());
    let t = match lang {
        Lang::De => &PAIRS_DE,
        Lang::En => &PAIRS_EN,
    };
    t[k / 64] & (1 << (k % 64)) != 0
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

/// A number word's value times ten (so "anderthalb" fits) and how it may stand.
pub fn number_word(lang: Lang, w: &[u8]) -> Option<(u32, WordUse)> {
    use WordUse::*;
    let v = match lang {
        Lang::De => match w {
            b"ein" | b"eine" | b"einen" | b"einem" | b"einer" | b"eines" => (10, NeedsUnit),
            b"eins" => (10, Bare),
            b"eineinhalb" | b"anderthalb" => (15, NeedsUnit),
            b"zwei" => (20, Bare),
            b"drei" => (30, Bare),
            b"vier" => (40, Bare),
            b"f\xc3\xbcnf" => (50, Bare),
            b"sechs" => (60, Bare),
            b"sieben" => (70, Bare),
            b"acht" => (80, Bare),
            b"neun" => (90, Bare),
            b"zehn" => (100, Bare),
            b"elf" => (110, Bare),
            b"zw\xc3\xb6lf" => (120, Bare),
            b"dreizehn" => (130, Bare),
            b"vierzehn" => (140, Bare),
            b"f\xc3\xbcnfzehn" => (150, Bare),
            b"sechzehn" => (160, Bare),
            b"siebzehn" => (170, Bare),
            b"achtzehn" => (180, Bare),
            b"neunzehn" => (190, Bare),
            b"zwanzig" => (200, Bare),
            b"drei\xc3\x9fig" => (300, Bare),
            b"vierzig" => (400, Bare),
            b"f\xc3\xbcnfzig" => (500, Bare),
            b"sechzig" => (600, Bare),
            b"siebzig" => (700, Bare),
            b"achtzig" => (800, Bare),
            b"neunzig" => (900, Bare),
            b"hundert" | b"einhundert" => (1000, Bare),
            b"tausend" | b"eintausend" => (10000, Bare),
            _ => return None,
        },
        Lang::En => match w {
            b"one" => (10, NeedsUnit),
            b"two" => (20, Bare),
            b"three" => (30, Bare),
            b"four" => (40, Bare),
            b"five" => (50, Bare),
            b"six" => (60, Bare),
            b"seven" => (70, Bare),
            b"eight" => (80, Bare),
            b"nine" => (90, Bare),
            b"ten" => (100, Bare),
            b"eleven" => (110, Bare),
            b"twelve" => (120, Bare),
            b"thirteen" => (130, Bare),
            b"fourteen" => (140, Bare),
            b"fifteen" => (150, Bare),
            b"sixteen" => (160, Bare),
            b"seventeen" => (170, Bare),
            b"eighteen" => (180, Bare),
            b"nineteen" => (190, Bare),
            b"twenty" => (200, Bare),
            b"thirty" => (300, Bare),
            b"forty" => (400, Bare),
            b"fifty" => (500, Bare),
            b"sixty" => (600, Bare),
            b"seventy" => (700, Bare),
            b"eighty" => (800, Bare),
            b"ninety" => (900, Bare),
            _ => return None,
        },
    };
    Some(v)
}

/// The power of ten a scale word multiplies by; `needs_money` marks the
/// newsroom abbreviations ("5m") that only mean a scale after a currency sign.
pub fn scale(lang: Lang, w: &[u8]) -> Option<(i32, bool)> {
    let v = match lang {
        Lang::De => match w {
            b"hundert" => (2, false),
            b"tausend" => (3, false),
            b"million" | b"millionen" | b"mio" => (6, false),
            b"milliarde" | b"milliarden" | b"mrd" => (9, false),
            // German "Billion" is the long scale's 10^12.
            b"billion" | b"billionen" | b"bio" => (12, false),
            b"billiarde" | b"billiarden" => (15, false),
            b"trillion" | b"trillionen" => (18, false),
            _ => return None,
        },
        Lang::En => match w {
            b"hundred" => (2, false),
            b"thousand" => (3, false),
            b"million" | b"millions" | b"mn" => (6, false),
            b"billion" | b"billions" | b"bn" => (9, false),
            b"trillion" | b"trillions" | b"tn" => (12, false),
            b"m" => (6, true),
            b"k" => (3, true),
            _ => return None,
        },
    };
    Some(v)
}

/// The ISO 4217 code a currency word written after the amount stands for.
pub fn currency_word(lang: Lang, w: &[u8]) -> Option<&'static str> {
    let c = match w {
        b"\xe2\x82\xac" | b"eur" => "EUR",
        b"$" | b"usd" | b"us-dollar" | b"us-dollars" => "USD",
        b"\xc2\xa3" | b"gbp" => "GBP",
        b"chf" => "CHF",
        b"jpy" | b"yen" => "JPY",
        b"cny" | b"yuan" | b"renminbi" => "CNY",
        _ => match lang {
            Lang::De => match w {
                b"euro" => "EUR",
                b"dollar" => "USD",
                b"pfund" => "GBP",
                b"franken" => "CHF",
                _ => return None,
            },
            Lang::En => match w {
                b"euro" | b"euros" => "EUR",
                b"dollar" | b"dollars" => "USD",
                b"pound" | b"pounds" => "GBP",
                b"franc" | b"francs" => "CHF",
                _ => return None,
            },
        },
    };
    Some(c)
}

/// The ISO 4217 code of a currency written before the amount ("USD 40").
pub fn currency_code(w: &[u8]) -> Option<&'static str> {
    Some(match w {
        b"usd" => "USD",
        b"eur" => "EUR",
        b"gbp" => "GBP",
        b"chf" => "CHF",
        b"jpy" => "JPY",
        b"cny" => "CNY",
        _ => return None,
    })
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

const YEAR: Unit = Unit::Time(b'Y', false, 1, "years");
const DECADE: Unit = Unit::Time(b'Y', false, 10, "years");
const CENTURY: Unit = Unit::Time(b'Y', false, 100, "years");
const MILLENNIUM: Unit = Unit::Time(b'Y', false, 1000, "years");
const MONTH: Unit = Unit::Time(b'M', false, 1, "months");
const WEEK: Unit = Unit::Time(b'W', false, 1, "weeks");
const DAY: Unit = Unit::Time(b'D', false, 1, "days");
const HOUR: Unit = Unit::Time(b'H', true, 1, "hours");
const MINUTE: Unit = Unit::Time(b'M', true, 1, "minutes");
const SECOND: Unit = Unit::Time(b'S', true, 1, "seconds");

/// A unit word that may follow a number.
pub fn unit(lang: Lang, w: &[u8]) -> Option<Unit> {
    let u = match lang {
        Lang::De => match w {
            b"%" | b"prozent" => Unit::Percent,
            b"prozentpunkt" | b"prozentpunkte" | b"prozentpunkten" => Unit::Points,
            b"jahr" | b"jahre" | b"jahren" | b"jahres" => YEAR,
            b"jahrzehnt" | b"jahrzehnte" | b"jahrzehnten" => DECADE,
            b"jahrhundert" | b"jahrhunderte" | b"jahrhunderten" => CENTURY,
            b"jahrtausend" | b"jahrtausende" | b"jahrtausenden" => MILLENNIUM,
            b"monat" | b"monate" | b"monaten" | b"monats" => MONTH,
            b"woche" | b"wochen" => WEEK,
            b"tag" | b"tage" | b"tagen" => DAY,
            b"stunde" | b"stunden" => HOUR,
            b"minute" | b"minuten" => MINUTE,
            b"sekunde" | b"sekunden" => SECOND,
            _ => return None,
        },
        Lang::En => match w {
            b"%" | b"percent" | b"pct" => Unit::Percent,
            b"year" | b"years" => YEAR,
            b"decade" | b"decades" => DECADE,
            b"century" | b"centuries" => CENTURY,
            b"millennium" | b"millennia" => MILLENNIUM,
            b"month" | b"months" => MONTH,
            b"week" | b"weeks" => WEEK,
            b"day" | b"days" => DAY,
            b"hour" | b"hours" => HOUR,
            b"minute" | b"minutes" => MINUTE,
            b"second" | b"seconds" => SECOND,
            _ => return None,
        },
    };
    Some(u)
}

/// Plural time spans that are figures without a number ("Jahrhunderte").
pub fn bare_span(lang: Lang, w: &[u8]) -> Option<Unit> {
    match lang {
        Lang::De => match w {
            b"jahrzehnte" | b"jahrzehnten" => Some(DECADE),
            b"jahrhunderte" | b"jahrhunderten" => Some(CENTURY),
            b"jahrtausende" | b"jahrtausenden" => Some(MILLENNIUM),
            _ => None,
        },
        Lang::En => match w {
            b"decades" => Some(DECADE),
            b"centuries" => Some(CENTURY),
            b"millennia" => Some(MILLENNIUM),
            _ => None,
        },
    }
}

/// Singular English spans and scales that "a" turns into a figure ("a decade").
pub fn after_article(w: &[u8]) -> bool {
    matches!(
        w,
        b"decade" | b"century" | b"million" | b"billion" | b"trillion" | b"thousand" | b"hundred"
    )
}

/// The month a month name or abbreviation (with its dot) stands for.
pub fn month(lang: Lang, w: &[u8]) -> Option<u8> {
    let m = match lang {
        Lang::De => match w {
            b"januar" | b"j\xc3\xa4nner" | b"jan." => 1,
            b"februar" | b"feb." => 2,
            b"m\xc3\xa4rz" | b"m\xc3\xa4rz." => 3,
            b"april" | b"apr." => 4,
            b"mai" => 5,
            b"juni" | b"jun." => 6,
            b"juli" | b"jul." => 7,
            b"august" | b"aug." => 8,
            b"september" | b"sep." | b"sept." => 9,
            b"oktober" | b"okt." => 10,
            b"november" | b"nov." => 11,
            b"dezember" | b"dez." => 12,
            _ => return None,
        },
        Lang::En => match w {
            b"january" | b"jan." | b"jan" => 1,
            b"february" | b"feb." | b"feb" => 2,
            b"march" | b"mar." => 3,
            b"april" | b"apr." | b"apr" => 4,
            b"may" => 5,
            b"june" | b"jun." => 6,
            b"july" | b"jul." => 7,
            b"august" | b"aug." | b"aug" => 8,
            b"september" | b"sep." | b"sept." | b"sept" => 9,
            b"october" | b"oct." | b"oct" => 10,
            b"november" | b"nov." | b"nov" => 11,
            b"december" | b"dec." | b"dec" => 12,
            _ => return None,
        },
    };
    Some(m)
}

/// A one-word qualifier before a number.
pub fn approx(lang: Lang, w: &[u8]) -> Option<Approx> {
    use Approx::*;
    let a = match lang {
        Lang::De => match w {
            b"rund" | b"etwa" | b"ca." | b"circa" | b"zirka" | b"ungef\xc3\xa4hr" => About,
            b"knapp" | b"fast" | b"beinahe" | b"nahezu" | b"ann\xc3\xa4hernd" => Nearly,
            b"\xc3\xbcber" => MoreThan,
            b"unter" => LessThan,
            b"mindestens" | b"ab" => AtLeast,
            b"h\xc3\xb6chstens" | b"maximal" => AtMost,
            _ => return None,
        },
        Lang::En => match w {
            b"about" | b"around" | b"roughly" | b"approximately" | b"approx." | b"some" => About,
            b"nearly" | b"almost" => Nearly,
            b"over" => MoreThan,
            b"under" => LessThan,
            _ => return None,
        },
    };
    Some(a)
}

/// A two-word qualifier before a number ("mehr als", "up to").
pub fn approx2(lang: Lang, first: &[u8], second: &[u8]) -> Option<Approx> {
    use Approx::*;
    let a = match lang {
        Lang::De => match (first, second) {
            (b"mehr", b"als") => MoreThan,
            (b"weniger", b"als") => LessThan,
            (b"bis", b"zu") => UpTo,
            _ => return None,
        },
        Lang::En => match (first, second) {
            (b"more", b"than") => MoreThan,
            (b"less" | b"fewer", b"than") => LessThan,
            (b"up", b"to") => UpTo,
            (b"at", b"least") => AtLeast,
            (b"at", b"most") | (b"no", b"more") => AtMost,
            _ => return None,
        },
    };
    Some(a)
}

/// Words after which "über"/"over" before a duration means "more than"
/// rather than "across" ("seit über fünf Jahren" vs "über fünf Jahre investieren").
pub fn duration_more_than_context(w: &[u8]) -> bool {
    matches!(w, b"seit" | b"for" | b"since")
}

/// Words after which a four-digit number is a year.
pub fn year_context(lang: Lang, w: &[u8]) -> bool {
    match lang {
        Lang::De => matches!(
            w,
            b"jahr"
                | b"jahre"
                | b"jahres"
                | b"im"
                | b"in"
                | b"seit"
                | b"bis"
                | b"ab"
                | b"von"
                | b"vor"
                | b"nach"
                | b"um"
                | b"und"
                | b"oder"
                | b"ende"
                | b"anfang"
                | b"mitte"
                | b"beginn"
                | b"fr\xc3\xbchjahr"
                | b"fr\xc3\xbchling"
                | b"sommer"
                | b"herbst"
                | b"winter"
                | b"jahresende"
                | b"saison"
                | b"stand"
                | b"zwischen"
                | b"sp\xc3\xa4testens"
                | b"bereits"
                | b"erst"
                | b"schon"
        ),
        Lang::En => matches!(
            w,
            b"year"
                | b"in"
                | b"since"
                | b"until"
                | b"till"
                | b"by"
                | b"from"
                | b"to"
                | b"before"
                | b"after"
                | b"and"
                | b"or"
                | b"of"
                | b"early"
                | b"late"
                | b"mid"
                | b"spring"
                | b"summer"
                | b"autumn"
                | b"fall"
                | b"winter"
                | b"between"
                | b"during"
                | b"through"
                | b"season"
        ),
    }
}

/// Words before which a number is part of a name ("Windows 10").
pub fn name_word(w: &[u8]) -> bool {
    matches!(
        w,
        b"windows"
            | b"dota"
            | b"iphone"
            | b"ipad"
            | b"python"
            | b"boeing"
            | b"airbus"
            | b"galaxy"
            | b"pixel"
            | b"playstation"
            | b"xbox"
            | b"java"
            | b"android"
            | b"ios"
            | b"macos"
            | b"office"
            | b"firefox"
            | b"chrome"
            | b"version"
            | b"gen"
            | b"formel"
            | b"formula"
            | b"apollo"
            | b"artemis"
            | b"falcon"
            | b"ariane"
            | b"sojus"
            | b"soyuz"
            | b"model"
            | b"golf"
            | b"leopard"
            | b"web"
            | b"industrie"
            | b"industry"
            | b"fifa"
            | b"covid"
            | b"mario"
            | b"kart"
            | b"terminator"
            | b"level"
            | b"gpt"
            | b"llama"
            | b"gemini"
            | b"claude"
            | b"episode"
            | b"staffel"
            | b"season"
            | b"teil"
            | b"part"
            | b"schalke"
            | b"hannover"
            | b"mainz"
            | b"series"
            | b"ryzen"
            | b"snapdragon"
            | b"watch"
            | b"macbook"
            | b"kapitel"
            | b"chapter"
            | b"paragraf"
            | b"artikel"
            | b"article"
            | b"seite"
            | b"page"
            | b"platz"
            | b"nr."
            | b"no."
            | b"nummer"
            | b"number"
            | b"gleis"
            | b"linie"
            | b"route"
            | b"highway"
            | b"b\xc3\xbcndnis"
            | b"elizabeth"
            | b"pro"
            | b"max"
            | b"plus"
            | b"ultra"
            | b"mini"
            | b"lite"
            | b"stufe"
            | b"phase"
            | b"zone"
            | b"block"
            | b"terminal"
            | b"raum"
            | b"zimmer"
            | b"room"
            | b"flight"
            | b"flug"
            | b"lot"
            | b"star"
            | b"call"
            | b"duty"
            | b"halo"
            | b"doom"
            | b"stuttgart"
            | b"voyager"
            | b"switch"
            | b"pioneer"
            | b"galileo"
            | b"tatort"
    )
}

/// German words after which "3." is an ordinal, not the end of a sentence.
pub fn ordinal_context(w: &[u8]) -> bool {
    matches!(
        w,
        b"der"
            | b"die"
            | b"das"
            | b"den"
            | b"dem"
            | b"des"
            | b"zum"
            | b"zur"
            | b"am"
            | b"im"
            | b"vom"
            | b"beim"
            | b"ab"
            | b"sein"
            | b"seinem"
            | b"seinen"
            | b"seiner"
            | b"seines"
            | b"ihr"
            | b"ihrem"
            | b"ihren"
            | b"ihrer"
            | b"ihres"
            | b"ein"
            | b"einem"
            | b"einer"
            | b"eine"
            | b"einen"
            | b"jeder"
            | b"jede"
            | b"jedes"
            | b"jeden"
            | b"bis"
            | b"und"
            | b"oder"
            | b"dieser"
            | b"diesem"
            | b"dieses"
            | b"diese"
    )
}

/// Fraction words: "zwei Drittel" is a share, not a count of two.
pub fn fraction(w: &[u8]) -> bool {
    matches!(
        w,
        b"drittel"
            | b"viertel"
            | b"f\xc3\xbcnftel"
            | b"zehntel"
            | b"h\xc3\xa4lfte"
            | b"third"
            | b"thirds"
            | b"quarter"
            | b"quarters"
            | b"fifth"
            | b"fifths"
            | b"tenth"
            | b"tenths"
    )
}

/// A hundredth of a currency ("38 cents", "50 Cent").
pub fn cent(lang: Lang, w: &[u8]) -> Option<&'static str> {
    match (lang, w) {
        (Lang::De, b"cent") => Some("EUR"),
        (Lang::En, b"cent" | b"cents") => Some("USD"),
        _ => None,
    }
}
