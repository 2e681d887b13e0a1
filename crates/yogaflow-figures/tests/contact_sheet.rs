//! Renders the contact sheet of every figure into the target folder and, where headless
//! Chromium is installed, screenshots it so a person can look at every pose at once.
//!
//! Output: `<target>/contact-sheet.html` (all figures) and, for review at a readable
//! size, `<target>/contact-sheet-N.html` with a PNG of each.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use yogaflow_figures::{load_figures, render_contact_sheet, render_svg};

const PER_PAGE: usize = 48;
const CHROMIUM: &str = "/usr/bin/chromium";

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace().join("target"))
}

/// The pose's display name and whether it is sided, from its library file.
fn pose_info(slug: &str) -> (String, bool) {
    let path = workspace()
        .join("content/poses")
        .join(format!("{slug}.toml"));
    let table = std::fs::read_to_string(path)
        .ok()
        .and_then(|t| t.parse::<toml::Table>().ok());
    let name = table
        .as_ref()
        .and_then(|t| t.get("english_name")?.as_str().map(str::to_owned))
        .unwrap_or_else(|| slug.to_owned());
    let sided = table
        .as_ref()
        .and_then(|t| t.get("sided")?.as_bool())
        .unwrap_or(false);
    (name, sided)
}

/// Runs Chromium with a deadline, so a hung browser cannot hang the test run.
fn screenshot(html: &Path, png: &Path) -> Result<(), String> {
    let profile = std::env::temp_dir().join(format!(
        "yf-figures-chromium-{}-{}",
        std::process::id(),
        png.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    ));
    let _ = std::fs::remove_dir_all(&profile);
    let mut child = Command::new(CHROMIUM)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--screenshot={}", png.display()))
        .arg("--window-size=1600,2400")
        .arg(format!("file://{}", html.display()))
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .map_err(|e| format!("cannot start chromium: {e}"))?;
    let deadline = Instant::now() + Duration::from_secs(90);
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(100)),
            Ok(None) => {
                let _ = child.kill();
                let _ = child.wait();
                let _ = std::fs::remove_dir_all(&profile);
                return Err("chromium did not finish within 90 s".to_owned());
            }
            Err(e) => return Err(e.to_string()),
        }
    };
    let _ = std::fs::remove_dir_all(&profile);
    if !status.success() || !png.exists() {
        return Err(format!("chromium exited with {status} and no screenshot"));
    }
    Ok(())
}

#[test]
fn contact_sheet_renders_every_figure_and_is_screenshotted() {
    let figures = load_figures(&workspace().join("content/figures")).expect("figures load");
    assert!(!figures.is_empty());
    let mut cards: Vec<(String, String)> = Vec::new();
    let mut left_cards: Vec<(String, String)> = Vec::new();
    for f in &figures {
        let (name, sided) = pose_info(&f.slug);
        if sided {
            left_cards.push((format!("{name} (left)"), render_svg(&f.mirror())));
        }
        cards.push((name, render_svg(f)));
    }
    let out = target_dir();
    std::fs::create_dir_all(&out).expect("target folder");
    let sheet = render_contact_sheet(&cards);
    assert_eq!(sheet.matches("<svg").count(), figures.len());
    assert!(!sheet.contains("<script"));
    let all = out.join("contact-sheet.html");
    std::fs::write(&all, &sheet).expect("write sheet");
    println!("contact sheet: {}", all.display());

    // The left sides of sided poses get pages of their own, so mirroring can be
    // reviewed beside the right-side pages.
    let mut pages: Vec<PathBuf> = Vec::new();
    for (prefix, set) in [
        ("contact-sheet", &cards),
        ("contact-sheet-left", &left_cards),
    ] {
        for (i, chunk) in set.chunks(PER_PAGE).enumerate() {
            let page = out.join(format!("{prefix}-{}.html", i + 1));
            std::fs::write(&page, render_contact_sheet(chunk)).expect("write page");
            pages.push(page);
        }
    }
    if !Path::new(CHROMIUM).exists() {
        println!("{CHROMIUM} is not installed; skipping the screenshots");
        return;
    }
    for page in pages {
        let png = page.with_extension("png");
        let abs = page.canonicalize().unwrap_or(page.clone());
        match screenshot(&abs, &png) {
            Ok(()) => println!("screenshot: {}", png.display()),
            // A browser that fails to start says nothing about the figures, so it is
            // reported rather than failing the suite.
            Err(e) => eprintln!("screenshot of {} failed: {e}", page.display()),
        }
    }
}
