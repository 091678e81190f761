//! dvc-onboard's adapters around the pure core (`dvc-onboard-core`): the citizen's turn as one
//! database transaction ([`app`]), the store on SQLite or PostgreSQL ([`store`]), Telegram
//! ([`telegram`]), the terminal chat ([`chat`]), the officials' reports ([`report`]), and what
//! the binary wires them with ([`config`], [`pseudonym`], [`telemetry`], [`demo`]), what checks a
//! deployment ([`doctor`]), the numbers to watch ([`metrics`]), and the
//! translators' files ([`translations`]).
//!
//! Modules are public where the binary, the tests or the benches use them; `outbox` is this
//! crate's own.

pub mod app;
pub mod chat;
pub mod config;
pub mod demo;
pub mod doctor;
pub mod drawing;
pub mod media;
pub mod metrics;
mod outbox;
pub mod poster;
pub mod pseudonym;
pub mod report;
pub mod store;
pub mod telegram;
pub mod telemetry;
pub mod translations;
