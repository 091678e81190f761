//! What Telegram keeps of the media: the file id of each shipped file once uploaded, and what
//! staff attached to a step and a language. Neither holds anything of a citizen.

use super::Store;
use dvc_onboard_core::lang::Lang;
use dvc_onboard_core::media::MediaKind;

/// A picture or voice note staff attached to a step, in a language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StaffMedia {
    pub step: String,
    pub lang: Lang,
    pub kind: MediaKind,
    pub file_id: String,
    pub added_at: i64,
}

impl Store {
    /// The file id Telegram gave a shipped file (by the SHA-256 of its bytes), if it was
    /// uploaded before.
    pub async fn uploaded(&self, sha256: &str) -> anyhow::Result<Option<String>> {
        Ok(
            sqlx::query_scalar("SELECT file_id FROM media_uploads WHERE sha256 = $1")
                .bind(sha256)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Keeps the file id of a shipped file just uploaded, for every later sending.
    pub async fn remember_upload(
        &self,
        sha256: &str,
        file_id: &str,
        now: i64,
    ) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO media_uploads (sha256, file_id, uploaded_at) VALUES ($1, $2, $3)
             ON CONFLICT (sha256) DO UPDATE
             SET file_id = excluded.file_id, uploaded_at = excluded.uploaded_at",
        )
        .bind(sha256)
        .bind(file_id)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Forgets a file id Telegram no longer takes: the file is uploaded again.
    pub async fn forget_upload(&self, sha256: &str) -> anyhow::Result<()> {
        sqlx::query("DELETE FROM media_uploads WHERE sha256 = $1")
            .bind(sha256)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Everything staff attached, by step, language and kind.
    pub async fn staff_media(&self) -> anyhow::Result<Vec<StaffMedia>> {
        let rows: Vec<(String, String, String, String, i64)> = sqlx::query_as(
            "SELECT step, language, kind, file_id, added_at FROM staff_media
             ORDER BY step, language, kind",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .filter_map(|(step, lang, kind, file_id, added_at)| {
                Some(StaffMedia {
                    step,
                    lang: Lang::from_code(&lang)?,
                    kind: MediaKind::from_code(&kind)?,
                    file_id,
                    added_at,
                })
            })
            .collect())
    }

    /// Attaches a file to a step and a language, in place of what was there.
    pub async fn attach_staff_media(&self, media: &StaffMedia) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO staff_media (step, language, kind, file_id, added_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (step, language, kind) DO UPDATE
             SET file_id = excluded.file_id, added_at = excluded.added_at",
        )
        .bind(&media.step)
        .bind(media.lang.code())
        .bind(media.kind.as_str())
        .bind(&media.file_id)
        .bind(media.added_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Removes what staff attached to a step in a language; `false` if there was nothing.
    pub async fn remove_staff_media(
        &self,
        step: &str,
        lang: Lang,
        kind: MediaKind,
    ) -> anyhow::Result<bool> {
        let done =
            sqlx::query("DELETE FROM staff_media WHERE step = $1 AND language = $2 AND kind = $3")
                .bind(step)
                .bind(lang.code())
                .bind(kind.as_str())
                .execute(&self.pool)
                .await?;
        Ok(done.rows_affected() > 0)
    }
}

impl Store {
    /// Keeps which step and language a `/media` message attaches a reply to.
    pub async fn remember_media_prompt(
        &self,
        message_id: i64,
        step: &str,
        lang: Lang,
        now: i64,
    ) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO media_prompts (message_id, step, language, created_at)
             VALUES ($1, $2, $3, $4)
             ON CONFLICT (message_id) DO UPDATE
             SET step = excluded.step, language = excluded.language",
        )
        .bind(message_id)
        .bind(step)
        .bind(lang.code())
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The step and language a reply to message `message_id` attaches to, if it is a
    /// `/media` prompt.
    pub async fn media_prompt(&self, message_id: i64) -> anyhow::Result<Option<(String, Lang)>> {
        let row: Option<(String, String)> =
            sqlx::query_as("SELECT step, language FROM media_prompts WHERE message_id = $1")
                .bind(message_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(row.and_then(|(step, lang)| Some((step, Lang::from_code(&lang)?))))
    }

    /// Forgets `/media` prompts older than `before`.
    pub async fn prune_media_prompts(&self, before: i64) -> anyhow::Result<u64> {
        let done = sqlx::query("DELETE FROM media_prompts WHERE created_at < $1")
            .bind(before)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }
}
