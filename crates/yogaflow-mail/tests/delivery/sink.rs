//! A real SMTP server for the tests: aiosmtpd's debugging handler, which
//! prints every message it receives to its standard output.

use std::process::Stdio;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;
use tokio::io::AsyncReadExt;
use tokio::process::{Child, Command};

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap_or_else(|e| panic!("{e}"));
    listener
        .local_addr()
        .unwrap_or_else(|e| panic!("{e}"))
        .port()
}

pub struct Sink {
    child: Child,
    output: Arc<Mutex<String>>,
}

impl Sink {
    /// Starts aiosmtpd on 127.0.0.1:`port` and waits until it accepts connections.
    pub async fn start(port: u16) -> Sink {
        let listen = format!("127.0.0.1:{port}");
        let mut child = Command::new("/usr/bin/python3")
            .args(["-m", "aiosmtpd", "-n", "-l", &listen, "-c", "aiosmtpd.handlers.Debugging", "stdout"])
            // The handler never flushes; unbuffered output reaches us at once.
            .env("PYTHONUNBUFFERED", "1")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start /usr/bin/python3 -m aiosmtpd (apt-get install python3-aiosmtpd): {e}"));
        let output = Arc::new(Mutex::new(String::new()));
        let mut stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
        let sink = Arc::clone(&output);
        tokio::spawn(async move {
            let mut buf = [0u8; 4096];
            while let Ok(n @ 1..) = stdout.read(&mut buf).await {
                sink.lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push_str(&String::from_utf8_lossy(&buf[..n]));
            }
        });
        for _ in 0..200 {
            if let Ok(Some(status)) = child.try_wait() {
                panic!("aiosmtpd exited early ({status}); is python3-aiosmtpd installed?");
            }
            if tokio::net::TcpStream::connect(&listen).await.is_ok() {
                return Sink { child, output };
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("aiosmtpd did not listen on {listen} within 10 s");
    }

    pub fn output(&self) -> String {
        self.output
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Waits until the server has printed every one of `needles`.
    pub async fn wait_for(&self, needles: &[&str]) {
        crate::scratch::eventually("the SMTP server to print the message", || {
            let out = self.output();
            async move { needles.iter().all(|n| out.contains(n)) }
        })
        .await;
    }

    pub async fn stop(mut self) {
        let _ = self.child.kill().await;
    }
}
