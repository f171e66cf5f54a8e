//! URL slugs for people and tags, German-style: "Übergang" → "uebergang", "Straße" → "strasse".

/// A lowercase ASCII slug of `s`, with German umlauts and ß spelt out as Germans do.
pub fn slugify(s: &str) -> String {
    let mut spelled = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        match c {
            'ä' => spelled.push_str("ae"),
            'ö' => spelled.push_str("oe"),
            'ü' => spelled.push_str("ue"),
            'Ä' => spelled.push_str("Ae"),
            'Ö' => spelled.push_str("Oe"),
            'Ü' => spelled.push_str("Ue"),
            'ß' | 'ẞ' => spelled.push_str("ss"),
            other => spelled.push(other),
        }
    }
    let slug = slug::slugify(spelled);
    if slug.is_empty() {
        "-".to_string()
    } else {
        slug
    }
}

/// The slug of a tag's page: as [`slugify`], with the signs that tell tags apart spelt out,
/// so that `C`, `C++` and `C#` get three pages (`c`, `c-plus-plus`, `c-sharp`).
pub fn tag_slug(tag: &str) -> String {
    slugify(&tag.replace('+', " plus ").replace('#', " sharp "))
}

/// What makes two spellings of a tag the same tag: `KI` and `ki`, `Open Source` and
/// `open-source`. Tags whose slugs agree but whose keys differ are different tags.
pub fn tag_key(tag: &str) -> String {
    tag.to_lowercase()
        .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_that_differ_by_a_sign_get_their_own_slugs() {
        assert_eq!(tag_slug("C"), "c");
        assert_eq!(tag_slug("C++"), "c-plus-plus");
        assert_eq!(tag_slug("c#"), "c-sharp");
        assert_eq!(tag_slug("F#"), "f-sharp");
        assert_eq!(
            tag_slug("Künstliche Intelligenz"),
            "kuenstliche-intelligenz"
        );
        assert_eq!(tag_key("Open Source"), tag_key("open-source"));
        assert_eq!(tag_key("KI"), tag_key(" ki "));
        assert_ne!(tag_key("A.B"), tag_key("A B"));
    }

    #[test]
    fn german_letters_are_spelt_out() {
        assert_eq!(slugify("Künstliche Intelligenz"), "kuenstliche-intelligenz");
        assert_eq!(slugify("Straße"), "strasse");
        assert_eq!(slugify("François Chollet"), "francois-chollet");
        assert_eq!(slugify("Open Source"), "open-source");
        assert_eq!(slugify("!!!"), "-");
    }
}
