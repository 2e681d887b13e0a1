//! Authoring aid: prints where every joint of the named figures lands after grounding,
//! with their plausibility problems. With `--settle`, first nudges the angles so the
//! declared contacts rest on their supports ([`settle_contacts`]) and writes the file
//! back.
//!
//! `cargo run -p yogaflow-figures --example inspect -- [--settle] slug ...`

use std::path::Path;

use yogaflow_figures::{
    Part, Side, alt_text, check, ground, parse_figure, settle_contacts, to_toml,
};

fn main() {
    let mut settle = false;
    let mut slugs = Vec::new();
    for a in std::env::args().skip(1) {
        if a == "--settle" {
            settle = true;
        } else {
            slugs.push(a);
        }
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content/figures");
    for slug in slugs {
        let name = format!("{slug}.toml");
        let path = dir.join(&name);
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let mut f = match parse_figure(&name, &text) {
            Ok(f) => f,
            Err(e) => {
                for e in e {
                    println!("{e}");
                }
                continue;
            }
        };
        if settle {
            f = settle_contacts(&f);
            if let Err(e) = std::fs::write(&path, to_toml(&f)) {
                println!("{slug}: cannot write: {e}");
            }
        }
        let s = ground(&f).skeleton;
        let p = |q: yogaflow_figures::Point| format!("({:.1},{:.1})", q.x, q.y);
        println!(
            "{slug}: hips {} waist {} shoulders {} head {}",
            p(s.hips),
            p(s.waist),
            p(s.shoulders),
            p(s.head)
        );
        for side in Side::BOTH {
            let l = s.limb(side);
            println!(
                "  {}: sh {} el {} wr {} tips {} | hip {} kn {} an {} toes {}",
                side.name(),
                p(l.shoulder),
                p(l.elbow),
                p(l.wrist),
                p(l.fingertips),
                p(l.hip),
                p(l.knee),
                p(l.ankle),
                p(l.toes)
            );
        }
        println!("  alt: {}", alt_text(&f));
        let touching: Vec<String> = Part::ALL
            .into_iter()
            .filter(|p| !f.contacts.contains(p) && s.bottom(*p) < 0.5)
            .map(|p| p.to_string())
            .collect();
        if !f.view.from_above() && !touching.is_empty() {
            println!(
                "  touching the floor, not contacts: {}",
                touching.join(", ")
            );
        }
        for problem in check(&f) {
            println!("  PROBLEM {problem}");
        }
    }
}
