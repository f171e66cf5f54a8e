//! The package's promises to whoever builds it.

/// The README's "Rust (1.xx or newer)" is Cargo.toml's `rust-version`, which clippy's
/// `incompatible_msrv` holds the code to.
#[test]
fn the_readme_names_the_rust_version_cargo_toml_declares() {
    let toml = include_str!("../Cargo.toml");
    let declared = toml
        .lines()
        .find_map(|l| l.strip_prefix("rust-version = \""))
        .and_then(|rest| rest.strip_suffix('"'))
        .expect("Cargo.toml declares a rust-version");
    let readme = include_str!("../README.md");
    assert!(
        readme.contains(&format!("with Rust ({declared} or newer)")),
        "README and Cargo.toml disagree on the Rust version ({declared})"
    );
    assert_eq!(env!("CARGO_PKG_RUST_VERSION"), declared);
}
