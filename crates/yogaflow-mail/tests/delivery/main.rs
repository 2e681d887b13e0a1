//! Delivery tests: the outbox store calls, the worker with each transport, a
//! real SMTP server (aiosmtpd) and header injection. Each test that touches
//! the database runs on SQLite and, with `TEST_DATABASE_URL`, on PostgreSQL.

mod running;
mod scratch;
mod sink;

mod claims;
mod file_transport;
mod injection;
mod retry;
mod smtp;
