//! Test support: a real `yogaflow` process on a free loopback port, over a fresh
//! SQLite file or a fresh PostgreSQL database, talked to over HTTP.
#![allow(dead_code)]

mod signals;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A fresh PostgreSQL database on the server named by `TEST_DATABASE_URL`,
/// dropped when this value is.
pub struct PgDatabase {
    pub url: String,
    admin_url: String,
    name: String,
}

impl PgDatabase {
    /// `None` when no PostgreSQL is configured; panics when CI demands one.
    pub fn create() -> Option<PgDatabase> {
        let Ok(admin_url) = std::env::var("TEST_DATABASE_URL") else {
            assert!(
                std::env::var("YOGAFLOW_REQUIRE_POSTGRES").is_err(),
                "YOGAFLOW_REQUIRE_POSTGRES is set but TEST_DATABASE_URL is not"
            );
            eprintln!("TEST_DATABASE_URL is not set; skipping the PostgreSQL run of this test");
            return None;
        };
        let name = format!("yf_t_{}", uuid::Uuid::new_v4().simple());
        psql(&admin_url, &format!("CREATE DATABASE {name}"));
        let url = match admin_url.rfind('/') {
            Some(i)
                if admin_url[..i].contains("://") && i > admin_url.find("://").unwrap_or(0) + 2 =>
            {
                let (base, rest) = admin_url.split_at(i);
                let query = rest.find('?').map(|q| &rest[q..]).unwrap_or("");
                format!("{base}/{name}{query}")
            }
            _ => format!("{admin_url}/{name}"),
        };
        Some(PgDatabase {
            url,
            admin_url,
            name,
        })
    }
}

fn psql(url: &str, sql: &str) {
    let out = Command::new("psql")
        .arg(url)
        .args(["-v", "ON_ERROR_STOP=1", "-q", "-c", sql])
        .output()
        .unwrap_or_else(|e| panic!("cannot run psql: {e}"));
    assert!(
        out.status.success(),
        "psql failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let _ = Command::new("psql")
            .arg(&self.admin_url)
            .args([
                "-q",
                "-c",
                &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
            ])
            .output();
    }
}

/// A scratch folder under the target directory, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new() -> TempDir {
        let base = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
        let dir = base.join(format!("yf-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("mkdir {}: {e}", dir.display()));
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A client that shows redirects instead of following them, as page tests need.
pub fn no_redirects() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap_or_else(|e| panic!("{e}"))
}

pub fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_yogaflow"));
    // Tests must not pick up a developer's settings.
    for var in [
        "DATABASE_URL",
        "REDIS_URL",
        "ENVIRONMENT",
        "ALLOWED_ORIGINS",
        "YOGAFLOW_PUBLIC_URL",
        "FRONTEND_URL",
        "YOGAFLOW_BIND",
        "YOGAFLOW_DATA_DIR",
        "SECRET_KEY",
    ] {
        c.env_remove(var);
    }
    c.env("YOGAFLOW_LOG_FORMAT", "json")
        .env("RUST_LOG", "warn,security=info");
    c
}

/// A running server; killed on drop.
pub struct Server {
    pub base: String,
    pub http: reqwest::Client,
    child: Child,
    pub dir: TempDir,
    pub pg: Option<PgDatabase>,
    pub startup: Duration,
    /// The separate metrics URL, when `YOGAFLOW_METRICS_BIND` was set.
    pub metrics_url: Option<String>,
}

impl Server {
    /// Starts a server on `backend`; `None` when PostgreSQL is not configured.
    pub fn start(backend: Backend) -> Option<Server> {
        Self::start_with(backend, &[])
    }

    /// An instance over a database someone else created (several instances share it).
    pub fn start_shared(env: &[(&str, &str)]) -> Server {
        Self::launch(None, env)
    }

    pub fn start_with(backend: Backend, env: &[(&str, &str)]) -> Option<Server> {
        let pg = match backend {
            Backend::Sqlite => None,
            Backend::Postgres => Some(PgDatabase::create()?),
        };
        Some(Self::launch(pg, env))
    }

    fn launch(pg: Option<PgDatabase>, env: &[(&str, &str)]) -> Server {
        let dir = TempDir::new();
        let mut cmd = bin();
        cmd.arg("--data-dir")
            .arg(&dir.0)
            .args(["serve", "--bind", "127.0.0.1:0"]);
        if let Some(db) = &pg {
            cmd.env("DATABASE_URL", &db.url);
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        let log = std::fs::File::create(dir.0.join("server.log"))
            .unwrap_or_else(|e| panic!("log file: {e}"));
        cmd.stdout(Stdio::piped()).stderr(Stdio::from(log));
        let started = Instant::now();
        let mut child = cmd
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start yogaflow: {e}"));
        let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
        let mut lines = BufReader::new(stdout).lines();
        let mut metrics_url = None;
        let base = loop {
            match lines.next() {
                Some(Ok(line)) => {
                    if let Some(url) = line.strip_prefix("yogaflow metrics on ") {
                        metrics_url = Some(url.trim().to_owned());
                    }
                    if let Some(url) = line.strip_prefix("yogaflow listening on ") {
                        break url.trim().to_owned();
                    }
                }
                _ => {
                    let status = child.wait();
                    panic!("yogaflow exited before listening: {status:?}");
                }
            }
        };
        // Keep draining stdout so the child never blocks on a full pipe.
        std::thread::spawn(move || for _ in lines {});
        Server {
            base,
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .unwrap_or_else(|e| panic!("{e}")),
            child,
            dir,
            pg,
            startup: started.elapsed(),
            metrics_url,
        }
    }

    /// Everything the server logged so far.
    pub fn logs(&self) -> String {
        std::fs::read_to_string(self.dir.0.join("server.log")).unwrap_or_default()
    }

    /// The `.eml` files in the outbox folder, decoded, oldest first. Waits up to
    /// 5 s for at least `at_least` of them (the mail worker sends in the background).
    pub async fn mails(&self, at_least: usize) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(5);
        loop {
            let mut files: Vec<PathBuf> = std::fs::read_dir(self.dir.0.join("outbox"))
                .map(|d| {
                    d.flatten()
                        .map(|e| e.path())
                        .filter(|p| p.extension().is_some_and(|x| x == "eml"))
                        .collect()
                })
                .unwrap_or_default();
            files.sort();
            if files.len() >= at_least || Instant::now() > deadline {
                return files
                    .iter()
                    .map(|f| decode_qp(&std::fs::read_to_string(f).unwrap_or_default()))
                    .collect();
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// The token of the first `path?token=` link in the newest mail to `to`.
    pub async fn token_from_mail(&self, to: &str, path: &str, at_least: usize) -> String {
        let mails = self.mails(at_least).await;
        let mail = mails
            .iter()
            .rev()
            .find(|m| {
                m.lines().any(|l| {
                    l.to_ascii_lowercase().starts_with("to:") && l.to_ascii_lowercase().contains(to)
                })
            })
            .unwrap_or_else(|| panic!("no mail to {to} among {}", mails.len()));
        let marker = format!("{path}?token=");
        let start = mail
            .find(&marker)
            .unwrap_or_else(|| panic!("no {path} link in:\n{mail}"))
            + marker.len();
        mail[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
            .collect()
    }

    pub async fn post_json(
        &self,
        path: &str,
        body: serde_json::Value,
        token: Option<&str>,
    ) -> (u16, serde_json::Value) {
        let mut req = self.http.post(self.url(path)).json(&body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let r = req
            .send()
            .await
            .unwrap_or_else(|e| panic!("POST {path}: {e}"));
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(serde_json::Value::Null))
    }

    pub async fn send_json(
        &self,
        method: reqwest::Method,
        path: &str,
        body: serde_json::Value,
        token: Option<&str>,
    ) -> (u16, serde_json::Value) {
        let mut req = self.http.request(method, self.url(path)).json(&body);
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        let r = req.send().await.unwrap_or_else(|e| panic!("{path}: {e}"));
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(serde_json::Value::Null))
    }

    pub async fn get_auth(&self, path: &str, token: &str) -> (u16, serde_json::Value) {
        let r = self
            .http
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"));
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or(serde_json::Value::Null))
    }

    /// Registers `email`, verifies it from the outbox and signs in; returns the
    /// access token. `mails_before` is how many mails the outbox held before.
    pub async fn verified_token(&self, email: &str, mails_before: usize) -> String {
        let password = "maple kettle drift river";
        let (status, _) = self
            .post_json(
                "/api/v1/auth/register",
                serde_json::json!({"email": email, "name": "Test Person", "password": password}),
                None,
            )
            .await;
        assert_eq!(status, 202);
        let token = self
            .token_from_mail(email, "/verify-email", mails_before + 1)
            .await;
        let (status, body) = self
            .post_json(
                "/api/v1/auth/verify-email",
                serde_json::json!({"token": token}),
                None,
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let (status, body) = self
            .post_json(
                "/api/v1/auth/login",
                serde_json::json!({"email": email, "password": password}),
                None,
            )
            .await;
        assert_eq!(status, 200, "{body}");
        body["tokens"]["access_token"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Signs `email` in as a browser does (login API, session cookie) and returns
    /// the `yf_session=…` pair to send back.
    pub async fn session_cookie(&self, email: &str) -> String {
        let r = self
            .http
            .post(self.url("/api/v1/auth/login"))
            .header("origin", &self.base)
            .json(&serde_json::json!({
                "email": email,
                "password": "maple kettle drift river",
                "session_cookie": true
            }))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(r.status(), 200);
        r.headers()
            .get_all("set-cookie")
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|c| c.starts_with("yf_session="))
            .and_then(|c| c.split(';').next())
            .unwrap_or_else(|| panic!("no session cookie"))
            .to_owned()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http
            .get(self.url(path))
            .send()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: {e}"))
    }

    /// GET and decode JSON, asserting the status.
    pub async fn get_json(&self, path: &str, status: u16) -> serde_json::Value {
        let r = self.get(path).await;
        assert_eq!(r.status().as_u16(), status, "GET {path}");
        r.json()
            .await
            .unwrap_or_else(|e| panic!("GET {path}: body is not JSON: {e}"))
    }
}

/// Undoes quoted-printable soft breaks and `=XX` escapes, enough to read links.
fn decode_qp(text: &str) -> String {
    let joined = text.replace("=\r\n", "").replace("=\n", "");
    let bytes = joined.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'=' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap_or("zz");
            if let Ok(v) = u8::from_str_radix(hex, 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Runs an async test body once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! on_both_databases {
    ($name:ident, |$server:ident| $body:block) => {
        mod $name {
            #[allow(unused_imports)]
            use super::*;

            async fn body($server: $crate::common::Server) $body

            #[tokio::test]
            async fn sqlite() {
                let s = $crate::common::Server::start($crate::common::Backend::Sqlite)
                    .unwrap_or_else(|| panic!("sqlite server"));
                body(s).await;
            }

            #[tokio::test]
            async fn postgres() {
                if let Some(s) = $crate::common::Server::start($crate::common::Backend::Postgres) {
                    body(s).await;
                }
            }
        }
    };
}

/// A stand-in for Sentry's ingestion endpoint on loopback: it answers every
/// POST with 200 and keeps each request body (the envelopes) for the test.
pub struct FakeSentry {
    pub dsn: String,
    received: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl FakeSentry {
    pub fn start() -> FakeSentry {
        use std::io::{Read as _, Write as _};
        let listener = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap_or_else(|e| panic!("fake sentry: {e}"));
        let port = listener.local_addr().map(|a| a.port()).unwrap_or_default();
        let received = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let store = received.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut data = Vec::new();
                let mut buf = [0u8; 8192];
                let body = loop {
                    let Ok(n) = stream.read(&mut buf) else {
                        break None;
                    };
                    if n == 0 {
                        break None;
                    }
                    data.extend_from_slice(&buf[..n]);
                    let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") else {
                        continue;
                    };
                    let head = String::from_utf8_lossy(&data[..end]).to_ascii_lowercase();
                    let length = head
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:"))
                        .and_then(|v| v.trim().parse::<usize>().ok())
                        .unwrap_or(0);
                    if data.len() >= end + 4 + length {
                        break Some(
                            String::from_utf8_lossy(&data[end + 4..end + 4 + length]).into_owned(),
                        );
                    }
                };
                if let Some(body) = body
                    && let Ok(mut r) = store.lock()
                {
                    r.push(body);
                }
                let _ = stream.write_all(
                    b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\nconnection: close\r\n\r\n{}",
                );
            }
        });
        FakeSentry {
            dsn: format!("http://publickey@127.0.0.1:{port}/1"),
            received,
        }
    }

    /// The envelopes received so far, waiting up to 10 s for at least `n`.
    pub async fn envelopes(&self, n: usize) -> Vec<String> {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            let got = self.received.lock().map(|r| r.clone()).unwrap_or_default();
            if got.len() >= n || Instant::now() > deadline {
                return got;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }
}
