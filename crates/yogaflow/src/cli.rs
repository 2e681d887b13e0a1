//! Command-line flags. Each flag also reads an environment variable; values are
//! validated in `config`, so every error names the variable or flag at fault.

use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "yogaflow",
    version,
    about = "YogaFlow: yoga practice app and API server"
)]
pub struct Cli {
    /// Folder for the SQLite file and, later, the mail outbox and uploads.
    #[arg(long, global = true, env = "YOGAFLOW_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Database to use: postgres://… for PostgreSQL, sqlite:… for another SQLite
    /// file; unset means `<data dir>/yogaflow.db`.
    #[arg(
        long,
        global = true,
        env = "DATABASE_URL",
        value_name = "URL",
        hide_env_values = true
    )]
    pub database_url: Option<String>,

    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the HTTP server (the default): migrates, loads the library, serves.
    Serve(ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate,
    /// Manage the bundled pose and sequence library.
    #[command(subcommand)]
    Content(ContentCommand),
    /// Manage administrators.
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Secrets for configuration.
    #[command(subcommand)]
    Secret(SecretCommand),
    /// Check the settings and the services they name before a deployment.
    Doctor(DoctorArgs),
    /// Move users, custom sequences and practice sessions from a YogaFlow 1.0
    /// database (read-only) into this one; safe to run again.
    ImportV1 {
        /// The 1.0 PostgreSQL database, as postgres://user@host/db.
        #[arg(
            long,
            value_name = "URL",
            env = "YOGAFLOW_V1_DATABASE_URL",
            hide_env_values = true
        )]
        from: String,
    },
    /// Write a consistent copy of the SQLite database, even while a server runs.
    Backup {
        /// The file to write; replaced atomically when it exists.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Replace the SQLite database with a copy made by `backup` (servers stopped).
    Restore {
        /// The backup to restore; checked before anything is replaced.
        #[arg(long, value_name = "FILE")]
        from: PathBuf,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DeployEnv {
    Development,
    Production,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    /// Check as for this environment: in production, what is only a warning
    /// in development fails. Defaults to the ENVIRONMENT setting.
    #[arg(long = "env", env = "ENVIRONMENT", value_enum, ignore_case = true)]
    pub env: Option<DeployEnv>,
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Create an administrator account; the password is read from standard input.
    Create {
        #[arg(long)]
        email: String,
        /// Display name (default: "Administrator").
        #[arg(long, default_value = "Administrator")]
        name: String,
    },
    /// Make an existing account an administrator.
    Grant {
        #[arg(long)]
        email: String,
    },
    /// Take the administrator role away from an account.
    Revoke {
        #[arg(long)]
        email: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum SecretCommand {
    /// Print a fresh random value for SECRET_KEY.
    Generate,
}

#[derive(Debug, Default, Args)]
pub struct ServeArgs {
    /// Address to listen on.
    #[arg(long, env = "YOGAFLOW_BIND", value_name = "ADDR")]
    pub bind: Option<String>,
}

#[derive(Debug, Subcommand)]
pub enum ContentCommand {
    /// Load or refresh the library into the database (idempotent, keyed by slug).
    Load {
        /// Read the library from this folder instead of the copy built into the binary.
        #[arg(long, value_name = "DIR")]
        from: Option<PathBuf>,
    },
    /// Write a contact sheet of every pose figure, as one HTML page, for review.
    Sheet {
        /// The HTML file to write.
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Write the database's library (poses and presets, with admins' edits) back
    /// as content files, for review and commit. Files whose entry did not change
    /// are left as they are; files of entries no longer in the database are removed.
    Export {
        /// The content folder to write (`content` in a checkout).
        #[arg(long, value_name = "DIR")]
        out: PathBuf,
    },
    /// Validate the library and print its size, without touching the database.
    Check {
        /// Read the library from this folder instead of the copy built into the binary.
        #[arg(long, value_name = "DIR")]
        from: Option<PathBuf>,
    },
}
