//! Practice tracking: the session state machine, the user's local calendar, and
//! the statistics built from a user's sessions.

pub mod achievements;
pub mod local_time;
pub mod recommend;
pub mod session;
pub mod stats;

pub use local_time::Zone;
pub use session::{SessionKind, SessionStatus};
