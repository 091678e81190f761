//! The integration tests, in one binary: the real `dvc-onboard` binary against the fake Telegram
//! Bot API server on loopback, real SQLite files and a real PostgreSQL (where one is set up; see
//! `harness`). The PostgreSQL restart test is a binary of its own (`tests/postgres_restart.rs`):
//! it takes the server down.

// A failed unwrap in a test is a failed test, with its place.
#![allow(clippy::unwrap_used)]

#[macro_use]
mod harness;

mod backup;
mod chat;
mod check;
mod doctor;
mod follow_up;
mod media;
mod metrics;
mod poster;
mod postgres;
mod report;
mod staff;
mod telegram;
mod upgrade;
