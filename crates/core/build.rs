//! Builds the list of shipped media (`media/<lang>/<file>`) into the crate, like the guide and
//! the messages: the binary runs alone, and a file added or removed reaches it on the next build.

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../media");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut entries = Vec::new();
    if let Ok(langs) = std::fs::read_dir(&root) {
        for lang in langs.flatten().filter(|e| e.path().is_dir()) {
            println!("cargo:rerun-if-changed={}", lang.path().display());
            let Ok(files) = std::fs::read_dir(lang.path()) else {
                continue;
            };
            for file in files.flatten().filter(|e| e.path().is_file()) {
                let (lang, name) = (lang.file_name(), file.file_name());
                let (Some(lang), Some(name)) = (lang.to_str(), name.to_str()) else {
                    continue;
                };
                if name.starts_with('.') || name.ends_with(".md") {
                    continue;
                }
                entries.push((lang.to_owned(), name.to_owned(), file.path()));
            }
        }
    }
    entries.sort();
    let mut out = String::from("&[\n");
    for (lang, name, path) in entries {
        let _ = writeln!(
            out,
            "    ({lang:?}, {name:?}, include_bytes!({:?}) as &[u8]),",
            path.display().to_string()
        );
    }
    out.push(']');
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap_or_default()).join("media.rs");
    if let Err(e) = std::fs::write(&dest, out) {
        panic!("cannot write {}: {e}", dest.display());
    }
}
