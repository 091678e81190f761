//! Webhook mode: Telegram POSTs each update; we answer 200 only once its effects are stored, so
//! an update that fails (or a crash) is delivered again by Telegram.

use super::{Telegram, handle_with_retries};
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use std::net::SocketAddr;
use std::sync::Arc;
use teloxide::prelude::*;
use teloxide::types::{Update, UpdateKind};
use tokio::sync::watch;

pub const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";

pub struct WebhookConfig {
    /// The public URL Telegram posts to; its path is where we listen.
    pub url: url::Url,
    pub listen: SocketAddr,
    pub secret: String,
}

struct Shared {
    tg: Arc<Telegram>,
    secret: String,
}

pub fn router(tg: Arc<Telegram>, path: &str, secret: String) -> Router {
    Router::new()
        .route("/healthz", get(health))
        .route(path, post(receive))
        .with_state(Arc::new(Shared { tg, secret }))
}

pub async fn run(
    tg: Arc<Telegram>,
    config: WebhookConfig,
    mut shutdown: watch::Receiver<bool>,
) -> anyhow::Result<()> {
    let path = match config.url.path() {
        "" => "/".to_string(),
        p => p.to_string(),
    };
    let listener = tokio::net::TcpListener::bind(config.listen).await?;
    tracing::info!(listen = %config.listen, path, "serving the webhook");
    tg.bot
        .set_webhook(config.url.clone())
        .secret_token(config.secret.clone())
        .await
        .map_err(|e| anyhow::anyhow!("setWebhook failed: {}", super::loggable(e)))?;
    let app = router(tg, &path, config.secret);
    axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            let _ = shutdown.wait_for(|stop| *stop).await;
        })
        .await?;
    tracing::info!("webhook stopped");
    Ok(())
}

/// How long `/healthz` waits for the database before saying it is unavailable.
const HEALTH_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// 200 while the database can store an update, else 503; the body says how many updates were
/// parked in the last day (`{"database": "ok", "parked_last_day": 0}`): a number that grows is
/// something to look at in the log.
async fn health(State(shared): State<Arc<Shared>>) -> (StatusCode, axum::Json<serde_json::Value>) {
    // A monitor asks often and should not wait out the database's own timeouts.
    let store = &shared.tg.app.store;
    let day_ago = crate::app::now_ms() - 24 * 3600 * 1000;
    let checked = tokio::time::timeout(HEALTH_WAIT, async {
        store.ping().await?;
        store.parked_since(day_ago).await
    })
    .await;
    match checked {
        Ok(Ok(parked)) => (
            StatusCode::OK,
            axum::Json(serde_json::json!({ "database": "ok", "parked_last_day": parked })),
        ),
        _ => (
            StatusCode::SERVICE_UNAVAILABLE,
            axum::Json(serde_json::json!({ "database": "unavailable" })),
        ),
    }
}

async fn receive(State(shared): State<Arc<Shared>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let given = headers
        .get(SECRET_HEADER)
        .map(|v| v.as_bytes())
        .unwrap_or_default();
    if !constant_time_eq(given, shared.secret.as_bytes()) {
        return StatusCode::UNAUTHORIZED;
    }
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
