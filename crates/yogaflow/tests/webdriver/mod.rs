//! A small W3C WebDriver client over reqwest, driving Debian's chromium through
//! chromedriver. WebDriver is JSON over HTTP; the dozen commands the browser
//! tests need fit here without another dependency.
#![allow(dead_code)]

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";
pub const CHROMEDRIVER: &str = "/usr/bin/chromedriver";
pub const CHROMIUM: &str = "/usr/bin/chromium";

pub struct Browser {
    http: reqwest::Client,
    session: String,
    driver: Child,
    profile: PathBuf,
}

/// Where screenshots go: `target/screenshots`, kept as CI artifacts.
pub fn screenshot_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/screenshots");
    let _ = std::fs::create_dir_all(&dir);
    dir
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or_else(|e| panic!("no free port: {e}"))
}

impl Browser {
    /// Starts chromedriver and a headless chromium; `None` when they are not
    /// installed and the run does not demand them (`YOGAFLOW_REQUIRE_BROWSER`).
    pub async fn start() -> Option<Browser> {
        if !Path::new(CHROMEDRIVER).exists() || !Path::new(CHROMIUM).exists() {
            assert!(
                std::env::var_os("YOGAFLOW_REQUIRE_BROWSER").is_none(),
                "YOGAFLOW_REQUIRE_BROWSER is set but chromium/chromedriver are missing"
            );
            eprintln!("skipping: chromium and chromedriver are not installed");
            return None;
        }
        let port = free_port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start chromedriver: {e}"));
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(120))
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        let root = format!("http://127.0.0.1:{port}");
        let deadline = Instant::now() + Duration::from_secs(20);
        while http.get(format!("{root}/status")).send().await.is_err() {
            assert!(Instant::now() < deadline, "chromedriver did not start");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        let profile = std::env::temp_dir().join(format!(
            "yf-chromium-{}-{}",
            std::process::id(),
            uuid::Uuid::new_v4()
        ));
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": CHROMIUM,
                "args": [
                    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--no-first-run", "--disable-quic", "--hide-scrollbars", "--mute-audio",
                    "--window-size=1440,1000",
                    format!("--user-data-dir={}", profile.display()),
                ]
            }
        }}});
        let r: Value = http
            .post(format!("{root}/session"))
            .json(&caps)
            .send()
            .await
            .unwrap_or_else(|e| panic!("new session: {e}"))
            .json()
            .await
            .unwrap_or_else(|e| panic!("new session: {e}"));
        let id = r["value"]["sessionId"]
            .as_str()
            .unwrap_or_else(|| panic!("no session: {r}"))
            .to_owned();
        Some(Browser {
            http,
            session: format!("{root}/session/{id}"),
            driver,
            profile,
        })
    }

    async fn call(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> Value {
        let mut req = self
            .http
            .request(method.clone(), format!("{}{path}", self.session));
        if let Some(b) = body {
            req = req.json(&b);
        } else if method == reqwest::Method::POST {
            req = req.json(&json!({}));
        }
        let r: Value = req
            .send()
            .await
            .unwrap_or_else(|e| panic!("webdriver {path}: {e}"))
            .json()
            .await
            .unwrap_or_else(|e| panic!("webdriver {path}: {e}"));
        r["value"].clone()
    }

    fn ok(v: &Value, what: &str) {
        if let Some(err) = v.get("error") {
            panic!("{what}: {err} {}", v["message"]);
        }
    }

    pub async fn goto(&self, url: &str) {
        let v = self
            .call(reqwest::Method::POST, "/url", Some(json!({ "url": url })))
            .await;
        if !v.is_null() {
            Self::ok(&v, &format!("goto {url}"));
        }
    }

    pub async fn url(&self) -> String {
        self.call(reqwest::Method::GET, "/url", None)
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    pub async fn try_find(&self, css: &str) -> Option<String> {
        let v = self
            .call(
                reqwest::Method::POST,
                "/element",
                Some(json!({"using": "css selector", "value": css})),
            )
            .await;
        v.get(ELEMENT).and_then(Value::as_str).map(str::to_owned)
    }

    /// Waits up to 10 s for an element.
    pub async fn find(&self, css: &str) -> String {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(id) = self.try_find(css).await {
                return id;
            }
            assert!(
                Instant::now() < deadline,
                "no element {css} on {}",
                self.url().await
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    pub async fn click(&self, css: &str) {
        let id = self.find(css).await;
        let v = self
            .call(reqwest::Method::POST, &format!("/element/{id}/click"), None)
            .await;
        if !v.is_null() {
            Self::ok(&v, &format!("click {css}"));
        }
    }

    /// Chooses a file for an `<input type=file>` (the browser reads it from disk).
    pub async fn attach(&self, css: &str, path: &std::path::Path) {
        let id = self.find(css).await;
        let v = self
            .call(
                reqwest::Method::POST,
                &format!("/element/{id}/value"),
                Some(json!({ "text": path.to_string_lossy() })),
            )
            .await;
        if !v.is_null() {
            Self::ok(&v, &format!("attach {css}"));
        }
    }

    pub async fn fill(&self, css: &str, text: &str) {
        let id = self.find(css).await;
        self.call(reqwest::Method::POST, &format!("/element/{id}/clear"), None)
            .await;
        let v = self
            .call(
                reqwest::Method::POST,
                &format!("/element/{id}/value"),
                Some(json!({ "text": text })),
            )
            .await;
        if !v.is_null() {
            Self::ok(&v, &format!("fill {css}"));
        }
    }

    /// Presses keys on the focused element (WebDriver key codes, e.g. "\u{E007}" Enter).
    pub async fn keys(&self, css: &str, keys: &str) {
        let id = self.find(css).await;
        self.call(
            reqwest::Method::POST,
            &format!("/element/{id}/value"),
            Some(json!({ "text": keys })),
        )
        .await;
    }

    pub async fn text(&self, css: &str) -> String {
        let id = self.find(css).await;
        self.call(reqwest::Method::GET, &format!("/element/{id}/text"), None)
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    pub async fn exec(&self, script: &str, args: Value) -> Value {
        let v = self
            .call(
                reqwest::Method::POST,
                "/execute/sync",
                Some(json!({ "script": script, "args": args })),
            )
            .await;
        if v.is_object() && v.get("error").is_some() {
            Self::ok(&v, "execute");
        }
        v
    }

    /// Waits up to `secs` for a JavaScript expression to be true.
    pub async fn wait_until(&self, expr: &str, secs: u64) {
        let deadline = Instant::now() + Duration::from_secs(secs);
        loop {
            if self.exec(&format!("return !!({expr});"), json!([])).await == json!(true) {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {expr} on {}",
                self.url().await
            );
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    }

    /// Forgets every cookie: the browser becomes an anonymous visitor.
    pub async fn clear_cookies(&self) {
        self.call(reqwest::Method::DELETE, "/cookie", None).await;
    }

    pub async fn body_text(&self) -> String {
        self.exec("return document.body.innerText;", json!([]))
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    pub async fn set_size(&self, width: u32, height: u32) {
        self.call(
            reqwest::Method::POST,
            "/window/rect",
            Some(json!({"width": width, "height": height})),
        )
        .await;
    }

    /// Saves a full-page screenshot at `width` CSS pixels under `target/screenshots`.
    pub async fn screenshot(&self, name: &str, width: u32) {
        self.set_size(width, 900).await;
        let height = self
            .exec(
                "return Math.min(document.documentElement.scrollHeight, 6000);",
                json!([]),
            )
            .await
            .as_u64()
            .unwrap_or(900);
        self.set_size(width, u32::try_from(height).unwrap_or(900) + 100)
            .await;
        let png = self.call(reqwest::Method::GET, "/screenshot", None).await;
        let data = png.as_str().unwrap_or_default();
        let bytes = base64_decode(data);
        let path = screenshot_dir().join(format!("{name}-{width}.png"));
        std::fs::write(&path, bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        self.set_size(1440, 1000).await;
    }

    /// Runs axe-core on the current page and returns its violations, one line each.
    pub async fn axe(&self) -> Vec<String> {
        let src = std::fs::read_to_string(axe_path())
            .unwrap_or_else(|e| panic!("axe-core is not installed (npm ci --prefix e2e): {e}"));
        self.exec(&format!("{src}\nreturn true;"), json!([])).await;
        let v = self
            .call(
                reqwest::Method::POST,
                "/execute/async",
                Some(json!({"script": "const done = arguments[arguments.length - 1];\
                    axe.run(document).then(r => done(r.violations.map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at ' + \
                    v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '))), e => done(['axe failed: ' + e]));",
                    "args": []})),
            )
            .await;
        v.as_array()
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_else(|| vec![format!("axe returned {v}")])
    }
}

fn axe_path() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../e2e/node_modules/axe-core/axe.min.js")
}

/// Standard base64 (WebDriver screenshots), decoded without another dependency.
fn base64_decode(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let mut buf = 0u32;
    let mut bits = 0;
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => continue,
        };
        buf = (buf << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(u8::try_from((buf >> bits) & 0xff).unwrap_or(0));
        }
    }
    out
}

impl Drop for Browser {
    fn drop(&mut self) {
        // Deleting the session ends chromium; then the driver. Drop cannot await,
        // so the DELETE goes out as one plain HTTP/1.1 request.
        if let Some(rest) = self.session.strip_prefix("http://")
            && let Some((host, path)) = rest.split_once('/')
            && let Ok(mut s) = std::net::TcpStream::connect(host)
        {
            use std::io::{Read, Write};
            let _ = s.set_read_timeout(Some(Duration::from_secs(10)));
            let _ = write!(
                s,
                "DELETE /{path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            let mut sink = Vec::new();
            let _ = s.read_to_end(&mut sink);
        }
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}
