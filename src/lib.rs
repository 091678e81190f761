//! dvc-onboard: helps citizens of mountain communes create a VNeID account and log in to the
//! National Public Service Portal, step by step, with commune staff behind them.

pub mod app;
pub mod chat;
pub mod config;
pub mod demo;
pub mod outbox;
pub mod pseudonym;
pub mod report;
pub mod store;
pub mod telegram;
pub mod telemetry;
