//! What the pages gloss writes in Rust to a default template's bytes (`claim_page`,
//! `notes`) share: escaping as Tera escapes `{{ x }}`, Tera's truth of an optional string,
//! a link or its bare text, and a date in `<time>`.

/// Appends `s` to `o`, escaped as Tera escapes `{{ s }}` in an `.html` template.
pub(crate) fn escape(o: &mut String, s: &str) {
    let _ = pulldown_cmark_escape::escape_html(&mut *o, s);
}

/// Tera's truth of an optional string: present and not empty.
pub(crate) fn some(s: Option<&str>) -> Option<&str> {
    s.filter(|s| !s.is_empty())
}

/// `<a href>` around `text` where there is an address, else the text alone.
pub(crate) fn link_or_text(o: &mut String, href: Option<&str>, text: &str) {
    match some(href) {
        Some(href) => {
            o.push_str("<a href=\"");
            escape(o, href);
            o.push_str("\">");
            escape(o, text);
            o.push_str("</a>");
        }
        None => escape(o, text),
    }
}

/// `<time datetime="datetime">shown</time>`, both escaped.
pub(crate) fn time(o: &mut String, datetime: &str, shown: &str) {
    o.push_str("<time datetime=\"");
    escape(o, datetime);
    o.push_str("\">");
    escape(o, shown);
    o.push_str("</time>");
}
