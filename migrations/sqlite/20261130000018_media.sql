-- Pictures and voice notes with the guide's steps (docs/content.md, "Media"; docs/privacy.md).
-- Nothing here is a citizen's data but their choice of text only.

-- What Telegram keeps of a shipped file once uploaded: its file id, by the SHA-256 of the
-- file's bytes, so that a file is uploaded once, and a changed file anew.
CREATE TABLE media_uploads (
    sha256 TEXT PRIMARY KEY,
    file_id TEXT NOT NULL,
    uploaded_at BIGINT NOT NULL
);

-- What staff attached to a step and a language from the staff group (`/media`): a Telegram
-- file id. It comes before the shipped file, on every instance.
CREATE TABLE staff_media (
    step TEXT NOT NULL,
    language TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('picture', 'voice')),
    file_id TEXT NOT NULL,
    added_at BIGINT NOT NULL,
    PRIMARY KEY (step, language, kind)
);

-- The messages of `/media` that staff reply to with a voice note or a photo: which step and
-- language the reply attaches to. Kept a week.
CREATE TABLE media_prompts (
    message_id BIGINT PRIMARY KEY,
    step TEXT NOT NULL,
    language TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- The citizen's choice of text only (no voice notes or pictures), kept with their language
-- and erased with it; and 1 on a session whose citizen had text only.
ALTER TABLE citizens ADD COLUMN text_only INTEGER NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN text_only INTEGER NOT NULL DEFAULT 0;

-- The text-only figure of a report: the sessions that had it.
CREATE INDEX sessions_report_text_only
    ON sessions (started_at, adapter, commune) WHERE text_only = 1;
