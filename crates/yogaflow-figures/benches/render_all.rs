//! `cargo bench -p yogaflow-figures`: how long drawing every figure of the
//! library takes, both sides, as the figure endpoint would on a cold cache.
//! Prints the fastest, median and slowest of 30 full passes. Target (issue
//! "Pose figures"): all figures in under 50 ms in total.

use std::path::Path;
use std::time::{Duration, Instant};
use yogaflow_figures::{load_figures, render_svg};

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../content/figures");
    let figures = match load_figures(&dir) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("cannot load figures: {e:?}");
            std::process::exit(1);
        }
    };
    let mirrored: Vec<_> = figures.iter().map(|f| f.mirror()).collect();
    let mut passes: Vec<Duration> = Vec::new();
    let mut bytes = 0;
    for _ in 0..30 {
        let start = Instant::now();
        bytes = 0;
        for f in figures.iter().chain(mirrored.iter()) {
            bytes += std::hint::black_box(render_svg(f)).len();
        }
        passes.push(start.elapsed());
    }
    passes.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "rendered {} figures ({} with their mirrors, {} KB of SVG) per pass",
        figures.len(),
        figures.len() * 2,
        bytes / 1024
    );
    println!(
        "all figures, both sides: fastest {:.2} ms, median {:.2} ms, slowest {:.2} ms (target < 50 ms)",
        ms(passes[0]),
        ms(passes[passes.len() / 2]),
        ms(passes[passes.len() - 1])
    );
}
