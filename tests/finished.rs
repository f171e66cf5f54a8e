//! Embeds that stay safe, and markdown that looks finished: footnotes, tables, task lists,
//! smart punctuation (issue 18, items 2 and 7).
mod common;

use common::*;

fn select<'a>(doc: &'a scraper::Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    doc.select(&scraper::Selector::parse(css).unwrap())
        .collect()
}

const EMBED: &str = "```embed\nhttps://www.youtube.com/watch?v=aqz-KE-bpKQ&t=90\nDie Eröffnung <b>der Brücke</b>\n```\n";

#[test]
fn an_embed_block_becomes_a_placeholder_that_loads_nothing() {
    let dir = site(&[(
        "content/a.md",
        &article("", &format!("Vorher.\n\n{EMBED}\nNachher.\n")),
    )]);
    let out = gloss(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = read(dir.path(), "public/a/index.html");
    let doc = scraper::Html::parse_document(&html);
    // Nothing on the page loads from another host.
    assert!(select(&doc, "iframe, script[src^=http], img[src^=http]").is_empty());
    let button = &select(&doc, "figure.gl-embed-video button.gl-embed-load")[0];
    assert_eq!(
        button.value().attr("data-embed-src"),
        Some("https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ?start=90")
    );
    assert_eq!(button.value().attr("type"), Some("button"));
    // Hidden until gloss.js can load it; the link to the original works without script.
    assert!(button.value().attr("hidden").is_some());
    assert_eq!(
        button.text().collect::<String>(),
        "Video von YouTube laden",
        "in the page's language"
    );
    let link = &select(&doc, ".gl-embed a.gl-embed-original")[0];
    assert_eq!(
        link.value().attr("href"),
        Some("https://www.youtube.com/watch?v=aqz-KE-bpKQ&t=90s")
    );
    assert_eq!(
        text_of(&html, ".gl-embed figcaption"),
        "Die Eröffnung <b>der Brücke</b>",
        "the caption is text"
    );
    assert!(text_of(&html, ".gl-embed-notice").contains("IP-Adresse"));
    // The address is no text a reader sees: nothing is anchored or detected in it.
    assert!(!text_of(&html, ".gl-body").contains("watch?v="));
}

#[test]
fn an_embed_of_an_address_off_the_allow_list_is_a_located_error() {
    let dir = site(&[(
        "content/a.md",
        &article(
            "",
            "Text.\n\n```embed\nhttps://evil.example/embed/aqz-KE-bpKQ\n```\n",
        ),
    )]);
    let out = gloss(dir.path(), &["build"]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(err.contains("content/a.md:8:1: error:"), "{err}");
    assert!(
        err.contains("not the address of a video, post or document"),
        "{err}"
    );
    assert!(err.contains("YouTube") && err.contains("Vimeo"), "{err}");
    assert!(!dir.path().join("public").exists());
}

#[test]
fn what_the_sanitizer_removes_is_a_warning_that_says_how_to_embed() {
    let body = "Text.\n\n<iframe width=\"560\" src=\"https://www.youtube.com/embed/aqz-KE-bpKQ?si=x\"></iframe>\n\n\
        Ein <span onmouseover=\"alert(1)\">Satz</span>.\n\n\
        <blockquote class=\"twitter-tweet\"><p dir=\"ltr\">Post</p><a href=\"https://twitter.com/nasa/status/1234567890?ref_src=x\">x</a></blockquote> <script async src=\"https://platform.twitter.com/widgets.js\"></script>\n\n\
        <span class=\"ok\">Erlaubt</span>\n";
    let dir = site(&[("content/a.md", &article("", body))]);
    let out = gloss(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("content/a.md:7:1: warning: the sanitizer removes `<iframe>`"),
        "{err}"
    );
    assert!(
        err.contains("```embed") && err.contains("https://www.youtube.com/watch?v=aqz-KE-bpKQ"),
        "{err}"
    );
    assert!(
        err.contains("content/a.md:9:11: warning: the sanitizer removes `onmouseover` of `<span>`"),
        "{err}"
    );
    assert!(err.contains("`<script>`"), "{err}");
    assert!(
        err.contains("https://x.com/nasa/status/1234567890"),
        "{err}"
    );
    // Allowed markup is not warned of.
    assert_eq!(err.matches("warning: the sanitizer").count(), 3, "{err}");
    let html = read(dir.path(), "public/a/index.html");
    assert!(!html.contains("<iframe") && !html.contains("onmouseover"));
    // `gloss check` says the same.
    let out = gloss(dir.path(), &["check"]);
    assert!(
        stderr(&out).contains("the sanitizer removes `<iframe>`")
            || stdout(&out).contains("the sanitizer removes `<iframe>`")
    );
    // A site that trusts its authors publishes raw HTML as written: nothing to warn of.
    std::fs::write(
        dir.path().join("site.toml"),
        "title = \"T\"\nlanguage = \"de\"\n[markdown]\nunsafe_html = true\n",
    )
    .unwrap();
    let out = gloss(dir.path(), &["build"]);
    assert!(!stderr(&out).contains("sanitizer"), "{}", stderr(&out));
}

#[test]
fn footnotes_get_a_heading_numbers_apart_from_notes_and_links_back() {
    let dir = site(&[(
        "content/a.md",
        &article(
            "[[note]]\ntext = \"Satz\"\nnote = \"Eine Anmerkung.\"\n",
            "Ein Satz[^quelle] und noch einer[^2], wieder[^quelle].\n\n[^2]: Zweite.\n\n[^quelle]: Die Quelle.\n",
        ),
    )]);
    let out = gloss(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = read(dir.path(), "public/a/index.html");
    let doc = scraper::Html::parse_document(&html);
    assert_eq!(text_of(&html, ".gl-footnotes h2"), "Fußnoten");
    let items = select(&doc, ".gl-footnotes ol > li");
    assert_eq!(items.len(), 2);
    assert_eq!(
        items[0].value().attr("id"),
        Some("fn-quelle"),
        "numbered as first referred to"
    );
    let refs = select(&doc, ".gl-body sup.gl-fn-ref a");
    assert_eq!(refs.len(), 3);
    assert_eq!(refs[0].text().collect::<String>(), "Fußnote 1");
    assert_eq!(refs[2].text().collect::<String>(), "Fußnote 1");
    // Each reference has a link back to it; every link lands on an id of the page.
    let backs = select(&doc, "#fn-quelle a.gl-fn-back");
    assert_eq!(backs.len(), 2);
    for a in select(&doc, ".gl-footnotes a, sup.gl-fn-ref a") {
        let target = a.value().attr("href").unwrap().trim_start_matches('#');
        assert_eq!(
            select(&doc, &format!("[id=\"{target}\"]")).len(),
            1,
            "{target}"
        );
    }
    // The annotation's reference is a note number of its own kind.
    assert_eq!(select(&doc, "sup.gl-ref").len(), 1);
    assert!(select(&doc, "sup.gl-ref.gl-fn-ref").is_empty());
}

#[test]
fn tables_scroll_sideways_in_a_named_region() {
    let dir = site(&[(
        "content/a.md",
        &article(
            "lang = \"fr\"\n",
            "| Année | Coût |\n|---|---:|\n| 2025 | 10 |\n\n<table><tr><td>roh</td></tr></table>\n",
        ),
    )]);
    let out = gloss(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = read(dir.path(), "public/a/index.html");
    let doc = scraper::Html::parse_document(&html);
    let wrap = &select(&doc, "div.gl-table")[0];
    assert_eq!(wrap.value().attr("role"), Some("region"));
    assert_eq!(wrap.value().attr("tabindex"), Some("0"));
    assert_eq!(wrap.value().attr("aria-label"), Some("Tableau 1"));
    assert_eq!(select(&doc, "div.gl-table > table th").len(), 2);
}

#[test]
fn task_lists_and_smart_punctuation_are_settings() {
    let body = "- [x] erledigt\n- [ ] offen\n\nEr sagte \"don't\" -- dann...\n";
    let front = "[[quote]]\ntext = \"\\\"don't\\\"\"\nspeaker = \"Er\"\n";
    let dir = site(&[(
        "content/a.md",
        &article("", "- [x] erledigt\n\nEr sagte \"nein\" -- dann...\n"),
    )]);
    let out = gloss(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = read(dir.path(), "public/a/index.html");
    assert!(
        html.contains("[x] erledigt") && !html.contains("checkbox"),
        "off by default"
    );
    assert!(
        html.contains("&quot;nein&quot; -- dann..."),
        "the text as published"
    );

    std::fs::write(
        dir.path().join("site.toml"),
        "title = \"T\"\nlanguage = \"de\"\n[markdown]\ntask_lists = true\nsmart_punctuation = true\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("content/a.md"), article(front, body)).unwrap();
    let out = gloss(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let html = read(dir.path(), "public/a/index.html");
    let doc = scraper::Html::parse_document(&html);
    let boxes = select(&doc, ".gl-body li input[type=checkbox][disabled]");
    assert_eq!(boxes.len(), 2, "{html}");
    assert!(boxes[0].value().attr("checked").is_some());
    assert_eq!(
        boxes[0].value().attr("aria-label"),
        Some("Aufgabe"),
        "named, for axe"
    );
    assert!(boxes[1].value().attr("checked").is_none());
    assert!(text_of(&html, ".gl-body").contains("– dann…"), "{html}");
    // The quote's words, typed with straight quotes, find the curly ones readers see.
    assert_eq!(text_of(&html, "mark.gl-quote"), "“don’t”");
}
