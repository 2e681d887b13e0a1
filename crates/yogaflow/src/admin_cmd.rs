//! `yogaflow admin create|grant|revoke` and `yogaflow secret generate`. The first
//! administrator is made here, on the server, never by an email suffix (1.0).

use crate::cli::{AdminCommand, SecretCommand};
use crate::config::Config;
use crate::serve::{accounts, connect};
use anyhow::{Context as _, bail};
use std::io::Read as _;
use yogaflow_core::accounts::{Email, Role};
use yogaflow_core::clock::{Clock as _, SystemClock};

fn read_password() -> anyhow::Result<String> {
    let mut input = String::new();
    std::io::stdin()
        .take(4096)
        .read_to_string(&mut input)
        .context("cannot read the password from standard input")?;
    let password = input.lines().next().unwrap_or_default().to_owned();
    if password.is_empty() {
        bail!("no password given on standard input");
    }
    Ok(password)
}

fn email(raw: &str) -> anyhow::Result<Email> {
    Email::parse(raw, "email").map_err(|e| anyhow::anyhow!("--email: {}", e.message))
}

pub async fn run(config: &Config, command: AdminCommand) -> anyhow::Result<()> {
    let db = connect(config).await?;
    let result = match command {
        AdminCommand::Create { email: raw, name } => {
            let address = email(&raw)?;
            let password = read_password()?;
            let accounts = accounts(config, &db);
            match accounts
                .create_admin(address.as_str(), &name, &password)
                .await
            {
                Ok(true) => {
                    println!("administrator {} created", address.masked());
                    Ok(())
                }
                Ok(false) => Err(anyhow::anyhow!(
                    "an account with that email exists; use `yogaflow admin grant --email …`"
                )),
                Err(yogaflow_core::error::AccountError::Invalid(fields)) => Err(anyhow::anyhow!(
                    "{}",
                    fields
                        .iter()
                        .map(|f| format!("{}: {}", f.field, f.message))
                        .collect::<Vec<_>>()
                        .join("; ")
                )),
                Err(e) => Err(anyhow::anyhow!("{e}")),
            }
        }
        AdminCommand::Grant { email: raw } | AdminCommand::Revoke { email: raw }
            if raw.is_empty() =>
        {
            Err(anyhow::anyhow!("--email is required"))
        }
        AdminCommand::Grant { email: raw } => set_role(&db, &raw, Role::Admin).await,
        AdminCommand::Revoke { email: raw } => set_role(&db, &raw, Role::User).await,
    };
    db.close().await;
    result
}

async fn set_role(db: &yogaflow_store::Db, raw: &str, role: Role) -> anyhow::Result<()> {
    let address = email(raw)?;
    if db
        .set_role(address.as_str(), role, SystemClock.now())
        .await?
    {
        println!("{} is now {}", address.masked(), role.as_str());
        Ok(())
    } else {
        bail!("no account uses that email")
    }
}

pub fn secret(command: &SecretCommand) {
    match command {
        SecretCommand::Generate => println!("{}", yogaflow_web::auth::secrets::new_token()),
    }
}
