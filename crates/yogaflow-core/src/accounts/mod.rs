//! Accounts: who a user is, how they prove it, and the rules that keep the
//! proof honest (password policy, lockout, token lifetimes).

pub mod email;
pub mod lockout;
pub mod password;
pub mod policy;
pub mod user;

pub use email::Email;
pub use user::{Role, User};
