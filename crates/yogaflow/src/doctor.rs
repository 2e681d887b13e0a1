//! `yogaflow doctor`: the pre-deployment checklist as code. Each check looks at
//! one setting or one live dependency and says pass, warn or fail on one line.
//! `serve` runs the same checks in production and refuses to start on a failure.
//!
//! A finding that only matters in production (SQLite, plain http, no SMTP) is a
//! failure when checking for production and a warning otherwise; a finding that
//! is wrong everywhere (an unreachable database, a malformed DSN) always fails.

mod services;
mod settings;

use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Status {
    Pass,
    Warn,
    Fail,
}

impl Status {
    fn label(self) -> &'static str {
        match self {
            Status::Pass => "PASS",
            Status::Warn => "WARN",
            Status::Fail => "FAIL",
        }
    }
}

/// The result of one check.
#[derive(Debug, Clone)]
pub struct Finding {
    pub check: &'static str,
    pub status: Status,
    pub detail: String,
}

impl Finding {
    fn new(check: &'static str, status: Status, detail: impl Into<String>) -> Finding {
        Finding {
            check,
            status,
            detail: detail.into(),
        }
    }

    fn pass(check: &'static str, detail: impl Into<String>) -> Finding {
        Finding::new(check, Status::Pass, detail)
    }

    fn warn(check: &'static str, detail: impl Into<String>) -> Finding {
        Finding::new(check, Status::Warn, detail)
    }

    fn fail(check: &'static str, detail: impl Into<String>) -> Finding {
        Finding::new(check, Status::Fail, detail)
    }
}

/// What the checks are run for.
#[derive(Debug, Clone)]
pub struct Target {
    pub production: bool,
    pub data_dir: PathBuf,
    pub database_url: Option<String>,
}

impl Target {
    /// A problem that only production cannot live with.
    fn needed_in_production(&self, check: &'static str, detail: impl Into<String>) -> Finding {
        let status = if self.production {
            Status::Fail
        } else {
            Status::Warn
        };
        Finding::new(check, status, detail)
    }
}

/// Runs every check, settings first, then the services they name.
pub async fn examine(target: &Target) -> Vec<Finding> {
    let mut findings = settings::check(target);
    findings.extend(services::check(target).await);
    findings
}

/// One line per finding, the check names aligned, then a one-line summary.
pub fn render(findings: &[Finding]) -> String {
    let width = findings.iter().map(|f| f.check.len()).max().unwrap_or(0);
    let mut out = String::new();
    for f in findings {
        out.push_str(&format!(
            "{}  {:width$}  {}\n",
            f.status.label(),
            f.check,
            f.detail
        ));
    }
    let count = |s: Status| findings.iter().filter(|f| f.status == s).count();
    let warnings = count(Status::Warn);
    out.push_str(&format!(
        "{} passed, {warnings} {}, {} failed\n",
        count(Status::Pass),
        if warnings == 1 { "warning" } else { "warnings" },
        count(Status::Fail)
    ));
    out
}

pub fn any_failed(findings: &[Finding]) -> bool {
    findings.iter().any(|f| f.status == Status::Fail)
}

/// The `doctor` command: prints the table; exit status 1 when a check failed.
pub fn run(target: &Target) -> ExitCode {
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("yogaflow: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let findings = runtime.block_on(examine(target));
    let mode = if target.production {
        "production"
    } else {
        "development"
    };
    println!("yogaflow doctor: checking for {mode}");
    print!("{}", render(&findings));
    if any_failed(&findings) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
