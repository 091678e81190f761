//! Parked updates: those that still failed after their retries, set aside so that the updates
//! behind them go on. Only ids, kinds, error classes and times (see the migration).

use super::Store;

impl Store {
    /// Sets `update_id` aside: recorded as parked, and as handled, so that a redelivery of it
    /// is skipped like any handled update's. Once per update: parking it again changes nothing.
    pub async fn park(
        &self,
        update_id: i64,
        kind: &str,
        error_class: &str,
        first_failed_at: i64,
        now: i64,
    ) -> anyhow::Result<()> {
        let mut tx = self.begin_write().await?;
        sqlx::query(
            "INSERT INTO parked_updates (update_id, kind, error_class, first_failed_at, parked_at) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING",
        )
        .bind(update_id)
        .bind(kind)
        .bind(error_class)
        .bind(first_failed_at)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO processed_updates (update_id, at) VALUES ($1, $2) ON CONFLICT DO NOTHING",
        )
        .bind(update_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// How many updates were parked since `since` (for `/healthz`).
    pub async fn parked_since(&self, since: i64) -> anyhow::Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT count(*) FROM parked_updates WHERE parked_at >= $1")
                .bind(since)
                .fetch_one(&self.pool)
                .await?,
        )
    }

    /// Forgets parked updates older than `before`.
    pub async fn prune_parked(&self, before: i64) -> anyhow::Result<()> {
        sqlx::query("DELETE FROM parked_updates WHERE parked_at < $1")
            .bind(before)
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}
