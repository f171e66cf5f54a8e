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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_letters_are_spelt_out() {
        assert_eq!(slugify("Künstliche Intelligenz"), "kuenstliche-intelligenz");
        assert_eq!(slugify("Straße"), "strasse");
        assert_eq!(slugify("François Chollet"), "francois-chollet");
        assert_eq!(slugify("Open Source"), "open-source");
        assert_eq!(slugify("!!!"), "-");
    }
}
