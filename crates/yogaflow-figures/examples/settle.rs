//! Authoring aid: settles the contacts of the named figure files (nudging angles a few
//! degrees so every declared contact rests on its support), rewrites each file in the
//! canonical format, and prints what still fails plus the generated alt text.
//!
//! `cargo run -p yogaflow-figures --example settle -- content/figures/*.toml`
//! (add `--check` to only report, without rewriting).

use std::path::Path;

fn main() {
    let mut rewrite = true;
    let mut parts = false;
    let mut failed = 0;
    for arg in std::env::args().skip(1) {
        if arg == "--check" {
            rewrite = false;
            continue;
        }
        if arg == "--parts" {
            parts = true;
            continue;
        }
        let path = Path::new(&arg);
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{arg}: {e}");
                failed += 1;
                continue;
            }
        };
        let figure = match yogaflow_figures::parse_figure(&name, &text) {
            Ok(f) => f,
            Err(errors) => {
                for e in errors {
                    eprintln!("{e}");
                }
                failed += 1;
                continue;
            }
        };
        let figure = if rewrite {
            let settled = yogaflow_figures::settle_contacts(&figure);
            let out = yogaflow_figures::to_toml(&settled);
            if out != text
                && let Err(e) = std::fs::write(path, out)
            {
                eprintln!("{arg}: cannot write: {e}");
            }
            settled
        } else {
            figure
        };
        if parts {
            // Every part's lowest point after grounding, lowest first: shows which
            // part holds a floating contact up.
            let g = yogaflow_figures::ground(&figure);
            let mut rows: Vec<(f64, String)> = yogaflow_figures::Part::ALL
                .iter()
                .map(|&p| (g.skeleton.bottom(p), p.name()))
                .collect();
            rows.sort_by(|a, b| a.0.total_cmp(&b.0));
            for (y, p) in rows.iter().take(8) {
                println!("  {p:>16} {y:7.2}");
            }
        }
        let problems = yogaflow_figures::check(&figure);
        for p in &problems {
            println!("{name}: {p}");
        }
        if !problems.is_empty() {
            failed += 1;
        }
        println!("{name}: {}", yogaflow_figures::alt_text(&figure));
    }
    if failed > 0 {
        println!("{failed} file(s) with problems");
        std::process::exit(1);
    }
}
