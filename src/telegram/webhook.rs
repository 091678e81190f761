//! Webhook mode: Telegram POSTs each update; we answer 200 only once its effects are stored, so
//! an update that fails (or a crash) is delivered again by Telegram.
//!
//! The server faces the internet, so nobody but Telegram gets more of it than a refusal, and no
//! one can make it wait on them:
//! - the secret header is checked before the body is read: a request without it costs nothing;
//! - a body may be 1 MiB at most (Telegram's updates are a few KiB), and must arrive within
//!   10 s; a connection must send a request's headers within 10 s, or it is closed (hyper's
//!   timer), so idle or slow connections do not pile up;
//! - at most [`CONNECTIONS`] connections are open (the next are closed at once), and at most
//!   [`IN_FLIGHT`] requests are handled at a time (the next wait);
//! - a request gets an answer within 60 s (408 otherwise; Telegram sends it again);
//! - `/healthz` answers from a check at most 2 s old, so monitors cannot slow the citizens'
//!   turns by taking SQLite's write lock again and again.

use super::{Telegram, handle_with_retries};
use crate::config::WebhookSettings;
use axum::Router;
use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::Response;
use axum::routing::{get, post};
use std::sync::Arc;
use std::time::{Duration, Instant};
use teloxide::prelude::*;
use teloxide::types::{Update, UpdateKind};
use tokio::sync::watch;

/// Connections open at once, at most.
pub const CONNECTIONS: usize = 1024;
/// Requests handled at once, at most (Telegram opens up to 40 connections).
pub const IN_FLIGHT: usize = 64;
/// The largest body taken: Telegram's updates are a few KiB.
const MAX_BODY: usize = 1024 * 1024;
const HEADER_TIMEOUT: Duration = Duration::from_secs(10);
const BODY_TIMEOUT: Duration = Duration::from_secs(10);
/// An update's retries (about 4 s) and a slow database fit in it.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

pub const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";

struct Shared {
    tg: Arc<Telegram>,
    secret: String,
    /// The last `/healthz` check and when it was made; the lock makes callers share one check.
    health: tokio::sync::Mutex<Option<(Instant, Health)>>,
}

fn router(tg: Arc<Telegram>, path: &str, secret: String) -> Router {
    use tower_http::limit::RequestBodyLimitLayer;
    use tower_http::timeout::{RequestBodyTimeoutLayer, TimeoutLayer};
    let shared = Arc::new(Shared {
        tg,
        secret,
        health: Default::default(),
    });
    // The secret first (the outermost layer), then the body's size and time.
    type Layered = std::convert::Infallible;
    let updates = post(receive)
        .layer::<_, Layered>(axum::extract::DefaultBodyLimit::max(MAX_BODY))
        .layer::<_, Layered>(RequestBodyLimitLayer::new(MAX_BODY))
        .layer::<_, Layered>(RequestBodyTimeoutLayer::new(BODY_TIMEOUT))
        .layer::<_, Layered>(axum::middleware::from_fn_with_state(
            shared.clone(),
            require_secret,
        ));
    let metrics = crate::metrics::install();
    Router::new()
        .route("/healthz", get(health))
        .route(
            "/metrics",
            get(move || {
                std::future::ready(metrics.as_ref().map(|m| m.render()).unwrap_or_default())
            }),
        )
        .route(path, updates)
        .with_state(shared)
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(tower::limit::GlobalConcurrencyLimitLayer::new(IN_FLIGHT))
}

/// Refuses a request without Telegram's secret header before its body is read.
async fn require_secret(
    State(shared): State<Arc<Shared>>,
    request: Request,
    next: Next,
) -> Response {
    let given = request
        .headers()
        .get(SECRET_HEADER)
        .map(|v| v.as_bytes())
        .unwrap_or_default();
    if !constant_time_eq(given, shared.secret.as_bytes()) {
        return axum::response::IntoResponse::into_response(StatusCode::UNAUTHORIZED);
    }
    next.run(request).await
}

pub async fn run(
    tg: Arc<Telegram>,
    config: WebhookSettings,
    shutdown: watch::Receiver<bool>,
) -> anyhow::Result<()> {
    let path = match config.url.path() {
        "" => "/".to_string(),
        p => p.to_string(),
    };
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    tracing::info!(listen = %config.listen, path, "serving the webhook");
    tg.bot
        .set_webhook(config.url.clone())
        .secret_token(config.secret.expose().to_string())
        .await
        .map_err(|e| anyhow::anyhow!("setWebhook failed: {}", super::loggable(e)))?;
    let app = router(tg, &path, config.secret.expose().to_string());
    serve(listener, app, shutdown).await;
    tracing::info!("webhook stopped");
    Ok(())
}

/// Serves `app` on `listener` until `shutdown`, then lets the requests in flight finish. Each
/// connection has hyper's header timeout; past [`CONNECTIONS`], a new one is closed at once.
async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
    mut shutdown: watch::Receiver<bool>,
) {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let graceful = hyper_util::server::graceful::GracefulShutdown::new();
    let open = Arc::new(tokio::sync::Semaphore::new(CONNECTIONS));
    loop {
        let stream = tokio::select! {
            _ = shutdown.wait_for(|stop| *stop) => break,
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors, say: wait a moment rather than spin.
                    tracing::warn!(error = %e, "could not accept a connection");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
        };
        let Ok(permit) = open.clone().try_acquire_owned() else {
            tracing::warn!("too many connections open; one closed");
            continue;
        };
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        let connection = hyper::server::conn::http1::Builder::new()
            .timer(TokioTimer::new())
            .header_read_timeout(HEADER_TIMEOUT)
            .serve_connection(TokioIo::new(stream), service);
        let connection = graceful.watch(connection);
        tokio::spawn(async move {
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "a webhook connection ended");
            }
            drop(permit);
        });
    }
    graceful.shutdown().await;
}

/// How long `/healthz` waits for the database before saying it is unavailable, and how long
/// its answer is reused.
const HEALTH_WAIT: Duration = Duration::from_secs(2);

/// What `/healthz` found: the updates parked in the last day, or the database unavailable.
type Health = Option<i64>;

/// 200 while the database can store an update, else 503; the body says how many updates were
/// parked in the last day (`{"database": "ok", "parked_last_day": 0}`): a number that grows is
/// something to look at in the log. The answer is at most [`HEALTH_WAIT`] old.
async fn health(State(shared): State<Arc<Shared>>) -> (StatusCode, axum::Json<serde_json::Value>) {
    let health = {
        let mut last = shared.health.lock().await;
        match *last {
            Some((at, health)) if at.elapsed() < HEALTH_WAIT => health,
            _ => {
                let health = check_health(&shared.tg).await;
                *last = Some((Instant::now(), health));
                health
            }
        }
    };
    match health {
        Some(parked) => (
            StatusCode::OK,
            axum::Json(serde_json::json!({ "database": "ok", "parked_last_day": parked })),
        ),
        None => (
            StatusCode::SERVICE_UNAVAILABLE,
            axum::Json(serde_json::json!({ "database": "unavailable" })),
        ),
    }
}

/// Whether the database can store an update now, and how many were parked in the last day.
async fn check_health(tg: &Telegram) -> Health {
    // A monitor asks often and should not wait out the database's own timeouts.
    let store = &tg.app.store;
    let day_ago = crate::app::now_ms() - 24 * 3600 * 1000;
    let checked = tokio::time::timeout(HEALTH_WAIT, async {
        store.ping().await?;
        store.parked_since(day_ago).await
    })
    .await;
    checked.ok().and_then(Result::ok)
}

async fn receive(State(shared): State<Arc<Shared>>, body: Bytes) -> StatusCode {
    let mut update: Update = match serde_json::from_slice(&body) {
        Ok(update) => update,
        Err(e) => {
            // Redelivery would not make it readable: acknowledge and move on.
            tracing::warn!(error = super::json_error(&e), "unreadable update skipped");
            return StatusCode::OK;
        }
    };
    // A kind teloxide cannot read comes without its content; getUpdates fills it in from the
    // answer, and so does this (`read_citizen` answers it).
    if let UpdateKind::Error(raw) = &mut update.kind {
        *raw = serde_json::from_slice(&body).unwrap_or_default();
    }
    if !shared.tg.admit(&update) {
        // Part of a flood: dropped, and Telegram need not send it again.
        return StatusCode::OK;
    }
    match handle_with_retries(&shared.tg, update).await {
        Ok(()) => StatusCode::OK,
        // Not stored: Telegram will deliver it again later.
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// Compares secrets without revealing, by timing, how much of a guess was right.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
