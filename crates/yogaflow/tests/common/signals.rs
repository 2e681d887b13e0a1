//! Stopping a test server the way service managers do: SIGTERM, then a wait
//! for the process to exit on its own.

use super::Server;
use std::process::{Command, ExitStatus};
use std::time::{Duration, Instant};

impl Server {
    /// Sends SIGTERM, as systemd and container runtimes do on stop.
    pub fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap_or_else(|e| panic!("cannot run kill: {e}"));
        assert!(status.success(), "kill -TERM failed");
    }

    /// The exit status, once the process has exited; `None` if it is still
    /// running after `within`.
    pub async fn exited(&mut self, within: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + within;
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            if Instant::now() > deadline {
                return None;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}
