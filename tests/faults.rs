//! Faults: a build killed at any moment leaves the previous output intact, and an output
//! folder that cannot be written is a clean error.
mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

use common::*;

const ARTICLES: usize = 300;

/// A site of `ARTICLES` articles whose text says `version`.
fn big_site(version: &str) -> tempfile::TempDir {
    let dir = site(&[]);
    write_articles(dir.path(), version);
    dir
}

fn write_articles(root: &Path, version: &str) {
    for i in 0..ARTICLES {
        let path = root.join(format!("content/{:03}/artikel-{i}.md", i % 20));
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let body = format!(
            "{version}: Microsoft investierte 1 Milliarde US-Dollar in OpenAI. Artikel {i}.\n\n\
             Am 22. Juli 2019 kündigte Microsoft eine Investition an; 50 % sagen ja.\n\n"
        )
        .repeat(20);
        std::fs::write(
            path,
            format!(
                "+++\ntitle = \"Artikel {i} {version}\"\ndate = 2019-07-{:02}\ntags = [\"T{}\"]\n\
                 [[claim]]\ntext = \"Microsoft investierte 1 Milliarde US-Dollar in OpenAI. Artikel {i}.\"\n\
                 occurrence = 1\nverdict = \"true\"\nby = \"Microsoft\"\n+++\n{body}",
                1 + i % 28,
                i % 7
            ),
        )
        .unwrap();
    }
}

fn gloss_command(dir: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_gloss"));
    cmd.current_dir(dir).args(args);
    cmd
}

/// Starts `gloss build` in `dir`, kills it after `ms` milliseconds and waits for it to end.
fn build_killed_after(dir: &Path, ms: u64) -> ExitStatus {
    let mut child = gloss_command(dir, &["build"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(ms));
    let _ = child.kill();
    child.wait().unwrap()
}

/// Hidden build folders (`.gloss-build-*`, `.gloss-old-*`) left beside the output.
fn leftovers(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".gloss-build-") || n.starts_with(".gloss-old-"))
        .collect()
}

#[test]
fn a_killed_build_leaves_the_previous_output_intact() {
    let dir = big_site("Version eins");
    let started = Instant::now();
    let out = gloss(dir.path(), &["build"]);
    let full = started.elapsed();
    assert!(out.status.success(), "{}", stderr(&out));
    let old = snapshot(&dir.path().join("public"));
    assert!(old.len() > ARTICLES, "{} files", old.len());
    let page = "000/artikel-0/index.html";
    assert!(String::from_utf8_lossy(&old[page]).contains("Version eins"));

    // The same site in its second version, built completely elsewhere: what a finished
    // build would put in place.
    write_articles(dir.path(), "Version zwei");
    let elsewhere = tempfile::tempdir().unwrap();
    let new_out = elsewhere.path().join("public");
    let out = gloss(dir.path(), &["build", "--out", new_out.to_str().unwrap()]);
    assert!(out.status.success(), "{}", stderr(&out));
    let new = snapshot(&new_out);
    assert_ne!(old, new);

    // Kill builds at moments spread over a whole build, from its start to past its end.
    let full_ms = full.as_millis() as u64;
    let mut moments: Vec<u64> = vec![0, 1, 5, 10, 25, 50];
    moments.extend((1..=12).map(|k| full_ms * k / 10));
    let mut outcomes = (0, 0);
    for ms in moments {
        let status = build_killed_after(dir.path(), ms);
        let now = snapshot(&dir.path().join("public"));
        if now == old {
            outcomes.0 += 1;
        } else {
            // Not the old output: then exactly the new one, every file complete.
            let differing: Vec<_> = now
                .keys()
                .chain(new.keys())
                .filter(|k| now.get(*k) != new.get(*k))
                .take(5)
                .collect();
            assert!(
                differing.is_empty(),
                "killed after {ms} ms ({status}): public/ is neither the old nor the new output; \
                 differs from the new in {differing:?} ({} files)",
                now.len()
            );
            outcomes.1 += 1;
            // Back to the old output for the next round.
            std::fs::remove_dir_all(dir.path().join("public")).unwrap();
            copy_tree(&old, &dir.path().join("public"));
        }
        for name in leftovers(dir.path()) {
            // A killed process cannot clean up its staging folder; it is hidden and never
            // the output. Remove it so the next round starts clean.
            let _ = std::fs::remove_dir_all(dir.path().join(name));
        }
    }
    println!(
        "full build {full_ms} ms; killed builds left the old output {} times, the new {} times",
        outcomes.0, outcomes.1
    );
    assert!(outcomes.0 > 0, "no build was killed before it finished");

    // What a killed build left is removed by the next build at once, not once it is old.
    let mut left = Vec::new();
    // Several moments, since a busy machine stretches or shrinks the build unpredictably.
    for ms in [2, 3, 4, 6, 8, 12, 16, 24].map(|d| full_ms / d) {
        // A build from nothing, as the one timed: the rounds above may have left a cache
        // that makes this one too quick to be caught while it writes.
        let _ = std::fs::remove_dir_all(dir.path().join(".gloss-cache"));
        build_killed_after(dir.path(), ms);
        left = leftovers(dir.path());
        if !left.is_empty() {
            break;
        }
    }
    assert!(!left.is_empty(), "no build was killed while it was writing");
    let out = gloss(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(
        leftovers(dir.path()).is_empty(),
        "{:?}",
        leftovers(dir.path())
    );
}

fn copy_tree(files: &BTreeMap<String, Vec<u8>>, to: &Path) {
    for (rel, bytes) in files {
        let p = to.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
}

#[test]
fn an_output_folder_below_a_file_is_a_clean_error() {
    let dir = site(&[("content/a.md", &article("", "Text.\n"))]);
    std::fs::write(dir.path().join("blocker"), "a file, not a folder").unwrap();
    let out = gloss(dir.path(), &["build", "--out", "blocker/public"]);
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("blocker"), "names the folder: {err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.path().join("blocker")).unwrap(),
        "a file, not a folder"
    );
}

#[cfg(unix)]
#[test]
fn an_unwritable_output_parent_is_a_clean_error() {
    use std::os::unix::fs::PermissionsExt;
    let dir = site(&[("content/a.md", &article("", "Text.\n"))]);
    let locked = dir.path().join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555)).unwrap();
    // As root, permissions do not stop writes: then this test cannot say anything.
    if std::fs::write(locked.join("probe"), "x").is_ok() {
        std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
        println!(
            "skipped: this user can write into a 0555 folder (root); see an_output_folder_below_a_file_is_a_clean_error"
        );
        return;
    }
    let out = gloss(dir.path(), &["build", "--out", "locked/public"]);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o755)).unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("locked"), "names the folder: {err}");
    assert!(!locked.join("public").exists());
    assert!(leftovers(&locked).is_empty());
}

/// A full disk, simulated without root: `ulimit -f` caps the size of any file gloss writes,
/// so the write of the one big page fails (EFBIG) as it would with no room left (ENOSPC).
/// The kernel also sends SIGXFSZ, which by default kills the process mid-build; gloss
/// ignores it, so the failed write is reported like any other.
#[cfg(unix)]
#[test]
fn a_full_disk_is_an_error_naming_the_file_and_the_old_output_stays() {
    use std::os::unix::process::ExitStatusExt;
    let small = article("", "Kurz.\n");
    let dir = site(&[("content/a.md", &small)]);
    let out = gloss(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let old = snapshot(&dir.path().join("public"));
    let largest = old.values().map(Vec::len).max().unwrap();
    // Room for every file of the old output, not for the new page of about 1 MB. The
    // limit counts 512-byte blocks in dash, 1,024-byte ones in bash: 200 is 100 or 200 kB.
    assert!(largest < 100_000, "largest file {largest} bytes");
    let body = "Microsoft investierte 1 Milliarde US-Dollar in OpenAI. ".repeat(20_000);
    std::fs::write(dir.path().join("content/gross.md"), article("", &body)).unwrap();
    std::fs::write(
        dir.path().join("content/a.md"),
        article("", "Kurz, aber neu.\n"),
    )
    .unwrap();

    let out = Command::new("sh")
        .arg("-c")
        .arg("ulimit -f 200 && exec \"$0\" build")
        .arg(env!("CARGO_BIN_EXE_gloss"))
        .current_dir(dir.path())
        .output()
        .unwrap();
    let err = stderr(&out);
    assert_eq!(
        out.status.signal(),
        None,
        "killed by a signal (SIGXFSZ is 25 on Linux): {err}"
    );
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(err.contains("gross/index.html"), "names the file: {err}");
    assert!(err.contains("cannot write"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(
        snapshot(&dir.path().join("public")),
        old,
        "the previous output is untouched"
    );
    assert!(
        leftovers(dir.path()).is_empty(),
        "{:?}",
        leftovers(dir.path())
    );

    // With room again, the build goes through and nothing is left beside the output.
    let out = gloss(dir.path(), &["build"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(read(dir.path(), "public/gross/index.html").len() > 1_000_000);
    assert!(read(dir.path(), "public/a/index.html").contains("Kurz, aber neu."));
    assert!(leftovers(dir.path()).is_empty());
}

/// Unmounts its folder when dropped, so that a failed test leaves no mount behind.
#[cfg(target_os = "linux")]
struct Mount(std::path::PathBuf);

#[cfg(target_os = "linux")]
impl Mount {
    /// Mounts with `mount ARGS… dir`; none where this user may not mount (not root).
    fn new(args: &[&str], dir: &Path) -> Option<Mount> {
        std::fs::create_dir_all(dir).unwrap();
        let ok = Command::new("mount")
            .args(args)
            .arg(dir)
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        ok.then(|| Mount(dir.to_path_buf()))
    }
}

#[cfg(target_os = "linux")]
impl Drop for Mount {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[cfg(target_os = "linux")]
#[test]
fn an_output_folder_that_is_a_mount_point_is_a_clear_error() {
    let dir = site(&[("content/a.md", &article("", "Text.\n"))]);
    let public = dir.path().join("public");
    let elsewhere = tempfile::tempdir().unwrap();
    let bind_source = elsewhere.path().to_str().unwrap().to_string();
    // Another file system (found before building), and a bind mount of the same one
    // (found when the swap fails).
    for args in [
        vec!["-t", "tmpfs", "none"],
        vec!["--bind", bind_source.as_str()],
    ] {
        let Some(mount) = Mount::new(&args, &public) else {
            println!("skipped: this user cannot mount");
            return;
        };
        let out = gloss(dir.path(), &["build"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        assert!(err.contains("is a mount point"), "{args:?}: {err}");
        assert!(err.contains("--out"), "says what to do: {err}");
        assert!(!err.contains("panicked"), "{err}");
        assert!(
            leftovers(dir.path()).is_empty(),
            "{:?}",
            leftovers(dir.path())
        );
        // What it advises works: the output one folder down, inside the mount.
        let out = gloss(dir.path(), &["build", "--out", "public/site"]);
        assert!(out.status.success(), "{}", stderr(&out));
        assert!(read(dir.path(), "public/site/a/index.html").contains("Text."));
        assert!(leftovers(&public).is_empty(), "{:?}", leftovers(&public));
        drop(mount);
        let _ = std::fs::remove_dir_all(&public);
    }
}
