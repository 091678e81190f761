//! Numbers to watch, in Prometheus's text format: what the bot handled, what Telegram said, how
//! long a reply took, and what waits (replies, cases, reminders). Served at `/metrics` on the
//! webhook server, or on `METRICS_LISTEN` with long polling (docs/operations.md, "Metrics").
//! Counted with the `metrics` crate; rendered by its Prometheus exporter.

use metrics::{describe_counter, describe_gauge, describe_histogram};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::net::SocketAddr;
use std::sync::OnceLock;

/// Updates handled (stored, or found handled before).
pub const UPDATES: &str = "dvc_updates_handled_total";
/// Attempts at an update that failed (each retry counts).
pub const TURNS_FAILED: &str = "dvc_turns_failed_total";
/// Updates set aside after their retries.
pub const PARKED: &str = "dvc_updates_parked_total";
/// Calls to Telegram, by `method` and `result` (`ok`, `later`, `unreachable`, `bad_request`,
/// `forbidden`).
pub const CALLS: &str = "dvc_telegram_calls_total";
/// 429 answers from Telegram, by `method`.
pub const RATE_LIMITED: &str = "dvc_telegram_429_total";
/// Seconds from an input's turn to its screen delivered.
pub const REPLY_SECONDS: &str = "dvc_update_reply_seconds";
/// Replies waiting in the outbox.
pub const OUTBOX: &str = "dvc_outbox_waiting";
/// Staff cases open, and of them those nobody has taken yet.
pub const CASES_OPEN: &str = "dvc_cases_open";
pub const CASES_WAITING: &str = "dvc_cases_waiting";
/// Reminders due now (claimed or not yet).
pub const FOLLOW_UPS_DUE: &str = "dvc_follow_ups_due";

/// The process's recorder, installed once.
static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();

/// Installs the recorder (once per process) and describes every metric; `None` if another
/// recorder was installed first.
pub fn install() -> Option<PrometheusHandle> {
    HANDLE
        .get_or_init(|| {
            let buckets = [0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0];
            let handle = PrometheusBuilder::new()
                .set_buckets_for_metric(Matcher::Full(REPLY_SECONDS.to_string()), &buckets)
                .ok()?
                .install_recorder()
                .inspect_err(|e| tracing::warn!(error = %e, "no metrics: {e}"))
                .ok()?;
            describe();
            Some(handle)
        })
        .clone()
}

fn describe() {
    describe_counter!(
        UPDATES,
        "Updates handled (stored, or found handled before)."
    );
    describe_counter!(TURNS_FAILED, "Attempts at an update that failed.");
    describe_counter!(PARKED, "Updates set aside after their retries.");
    describe_counter!(CALLS, "Calls to Telegram, by method and result.");
    describe_counter!(RATE_LIMITED, "429 answers from Telegram, by method.");
    describe_histogram!(
        REPLY_SECONDS,
        metrics::Unit::Seconds,
        "Time from an input's turn to its screen delivered."
    );
    describe_gauge!(OUTBOX, "Replies waiting in the outbox.");
    describe_gauge!(CASES_OPEN, "Staff cases open.");
    describe_gauge!(CASES_WAITING, "Staff cases open that nobody has taken.");
    describe_gauge!(FOLLOW_UPS_DUE, "Reminders due now.");
}

/// Serves `GET /metrics` on `listen` until `shutdown` (long polling's `METRICS_LISTEN`).
pub async fn serve(
    listen: SocketAddr,
    handle: PrometheusHandle,
    mut shutdown: tokio::sync::watch::Receiver<bool>,
) -> anyhow::Result<()> {
    let app = axum::Router::new().route(
        "/metrics",
        axum::routing::get(move || std::future::ready(handle.render())),
    );
    let listener = tokio::net::TcpListener::bind(listen).await?;
    tracing::info!(%listen, "serving /metrics");
    axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            let _ = shutdown.wait_for(|stop| *stop).await;
        })
        .await?;
    Ok(())
}
