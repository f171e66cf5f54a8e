//! What gloss says when something fails, and to whom it points: errors are typed where they
//! are made and become messages only at the edge.
mod common;

use std::io::{Read, Write};
use std::process::{Command, Stdio};

use common::*;

/// `gloss render - | head`: the reader closes the pipe early; gloss stops quietly, as a
/// C program dying of SIGPIPE would, instead of reporting a failed write.
#[test]
fn a_closed_pipe_ends_render_quietly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_gloss"))
        .args(["render", "-"])
        .current_dir(std::env::temp_dir())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Far more HTML than a pipe holds (64 KiB), so that the write meets the closed end
    // whether gloss writes before or after the reader goes.
    let markdown = "Ein Satz über 5 Millionen Euro und *mehr*.\n\n".repeat(20_000);
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = stdin.write_all(markdown.as_bytes());
    });
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 16];
    stdout.read_exact(&mut first).unwrap();
    assert_eq!(&first[..3], b"<p>");
    drop(stdout);
    writer.join().unwrap();
    let mut err = String::new();
    child
        .stderr
        .take()
        .unwrap()
        .read_to_string(&mut err)
        .unwrap();
    let status = child.wait().unwrap();
    assert_eq!(err, "", "nothing to say");
    assert!(status.success(), "{status:?}");
}

#[test]
fn only_build_says_nothing_was_written() {
    let dir = site(&[("content/a.md", "no front matter\n")]);
    let render = gloss(dir.path(), &["render", "content/a.md"]);
    assert_eq!(render.status.code(), Some(1));
    let err = stderr(&render);
    assert!(err.ends_with("1 error\n"), "{err}");
    let new = gloss(dir.path(), &["new", "../outside"]);
    assert_eq!(new.status.code(), Some(1));
    assert!(
        !stderr(&new).contains("nothing was written"),
        "{}",
        stderr(&new)
    );
    let build = gloss(dir.path(), &["build"]);
    assert!(
        stderr(&build).ends_with("1 error; nothing was written\n"),
        "{}",
        stderr(&build)
    );
}

/// A folder given with `--out` is the command line's doing: the error points at it and
/// says to choose another `--out`; the same folder from site.toml points at site.toml.
#[test]
fn a_refused_output_folder_is_blamed_on_whoever_named_it() {
    let dir = site(&[
        ("content/a.md", &article("", "x\n")),
        ("mine/keep.txt", "x"),
    ]);
    let out = gloss(dir.path(), &["build", "--out", "mine"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    let first = err.lines().next().unwrap();
    assert!(
        first.contains("mine: error:") && !first.contains("site.toml"),
        "{err}"
    );
    assert!(
        err.contains("`--out DIR`") && !err.contains("output_dir"),
        "{err}"
    );

    let toml = "title = \"T\"\nlanguage = \"de\"\noutput_dir = \"mine\"\n";
    std::fs::write(dir.path().join("site.toml"), toml).unwrap();
    let out = gloss(dir.path(), &["build"]);
    let err = stderr(&out);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.starts_with("site.toml: error:"), "{err}");
    assert!(err.contains("`output_dir` in site.toml"), "{err}");
    assert!(dir.path().join("mine/keep.txt").exists());
}
