//! Authoring aid: writes a review page of chosen figures at a readable size.
//!
//! `cargo run -p yogaflow-figures --example review -- OUT.html [slug ...]` writes every
//! figure (or only the named ones) with its name and its plausibility problems, if any.

use std::path::Path;

use yogaflow_figures::{check, load_figures, render_contact_sheet, render_svg};

fn main() {
    let mut args = std::env::args().skip(1);
    let out = args.next().unwrap_or_else(|| "review.html".to_owned());
    let wanted: Vec<String> = args.collect();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content/figures");
    let figures = match load_figures(&dir) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(1);
        }
    };
    let mut cards = Vec::new();
    for f in &figures {
        if !wanted.is_empty() && !wanted.contains(&f.slug) {
            continue;
        }
        let problems: Vec<String> = check(f).iter().map(ToString::to_string).collect();
        let name = if problems.is_empty() {
            f.slug.clone()
        } else {
            format!("{} — {}", f.slug, problems.join("; "))
        };
        cards.push((name, render_svg(f)));
    }
    let page = render_contact_sheet(&cards).replace("minmax(240px, 1fr)", "minmax(300px, 1fr)");
    if let Err(e) = std::fs::write(&out, page) {
        eprintln!("cannot write {out}: {e}");
        std::process::exit(1);
    }
    println!("{} figures in {out}", cards.len());
}
