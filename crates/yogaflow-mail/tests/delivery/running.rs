//! A mailer and its worker, started for one test and stopped at its end.

use std::sync::Arc;
use std::time::Duration;
use tokio::sync::watch;
use tokio::task::JoinHandle;
use yogaflow_core::clock::Clock;
use yogaflow_mail::{Mailer, Transport, Worker};
use yogaflow_store::Db;

pub struct Running {
    pub mailer: Mailer,
    stop: watch::Sender<bool>,
    handle: JoinHandle<()>,
}

pub fn from() -> lettre::message::Mailbox {
    "YogaFlow <noreply@yogaflow.app>"
        .parse()
        .unwrap_or_else(|e| panic!("{e}"))
}

pub fn start(db: &Db, transport: Transport, clock: Arc<dyn Clock>) -> Running {
    let mailer = Mailer::new(db.clone(), from());
    let (stop, shutdown) = watch::channel(false);
    let handle = Worker::spawn(
        db.clone(),
        transport,
        mailer.worker_settings(clock),
        shutdown,
    );
    Running {
        mailer,
        stop,
        handle,
    }
}

impl Running {
    /// Asks the worker to stop and checks that it does, promptly.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        tokio::time::timeout(Duration::from_secs(5), self.handle)
            .await
            .unwrap_or_else(|_| panic!("the worker did not stop within 5 s"))
            .unwrap_or_else(|e| panic!("the worker panicked: {e}"));
    }
}
