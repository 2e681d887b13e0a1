//! `yogaflow`: one binary that serves the API and web app, migrates the database
//! and manages the bundled library. See `yogaflow --help`.

mod admin_cmd;
mod backup_cmd;
mod cli;
mod config;
mod content_cmd;
mod db_file;
mod doctor;
mod import_v1;
mod serve;
mod telemetry;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    // A `.env` beside the working directory fills in what the environment lacks;
    // real environment variables and flags win over it.
    let _ = dotenvy::dotenv();
    let cli = cli::Cli::parse();
    // Generating a secret needs no configuration (it is how one gets configured).
    if let Some(cli::Command::Secret(s)) = &cli.command {
        admin_cmd::secret(s);
        return ExitCode::SUCCESS;
    }
    // The doctor reports bad settings one by one, so it runs before `Config`
    // would stop at the first.
    if let Some(cli::Command::Doctor(args)) = &cli.command {
        return doctor::run(&doctor::Target {
            production: args.env == Some(cli::DeployEnv::Production),
            data_dir: cli.data_dir.clone().unwrap_or_else(|| "./data".into()),
            database_url: cli.database_url.clone().filter(|u| !u.trim().is_empty()),
        });
    }
    let config = match config::Config::resolve(&cli) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("yogaflow: configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    telemetry::init(&config);
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
    let result = runtime.block_on(run(cli, config));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("yogaflow: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: cli::Cli, config: config::Config) -> anyhow::Result<()> {
    let command = cli
        .command
        .unwrap_or(cli::Command::Serve(cli::ServeArgs::default()));
    // Commands that write to a SQLite database keep `restore` from swapping it.
    let _lock = match &command {
        cli::Command::Serve(_)
        | cli::Command::Migrate
        | cli::Command::Admin(_)
        | cli::Command::ImportV1 { .. }
        | cli::Command::Content(cli::ContentCommand::Load { .. }) => {
            db_file::hold_shared(config.database_url.as_deref(), &config.data_dir)?
        }
        _ => None,
    };
    match command {
        cli::Command::Serve(_) => serve::serve(config).await,
        cli::Command::Migrate => serve::migrate_only(&config).await,
        cli::Command::Content(c) => content_cmd::run(&config, c).await,
        cli::Command::Admin(a) => admin_cmd::run(&config, a).await,
        cli::Command::Secret(s) => {
            admin_cmd::secret(&s);
            Ok(())
        }
        cli::Command::ImportV1 { from } => import_v1::run(&config, &from).await,
        cli::Command::Backup { out } => backup_cmd::backup(&config, &out).await,
        cli::Command::Restore { from } => backup_cmd::restore(&config, &from).await,
        cli::Command::Doctor(_) => unreachable!("the doctor runs before configuration"),
    }
}
