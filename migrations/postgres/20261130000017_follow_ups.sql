-- PostgreSQL port of migrations/sqlite/20261130000017_follow_ups.sql.
-- Reminders to citizens who stopped at a waiting step of the guide (docs/privacy.md,
-- "Reminders"). A row exists only while a reminder is pending: it holds the chat to write to,
-- the one link to a person kept, and only until then. It goes when the reminder is sent (the
-- next one, if any, is a new row), when the citizen goes on, asks for no more, blocks the bot,
-- or is erased (`/forget`: the foreign key). One due outside the sending hours (FOLLOW_UP_HOURS,
-- 08:00 to 20:00 in Vietnam by default) waits for them.
CREATE TABLE follow_ups (
    citizen TEXT PRIMARY KEY REFERENCES citizens (pseudonym) ON DELETE CASCADE,
    chat_id BIGINT NOT NULL,
    step TEXT NOT NULL,
    due_at BIGINT NOT NULL
);
CREATE INDEX follow_ups_due ON follow_ups (due_at);

-- How many reminders a session got, and 1 once its citizen went on after one.
ALTER TABLE sessions ADD COLUMN follow_ups_sent BIGINT NOT NULL DEFAULT 0;
ALTER TABLE sessions ADD COLUMN went_on_after_follow_up BIGINT NOT NULL DEFAULT 0;

-- The reminder figures of a report: the few sessions that got one.
CREATE INDEX sessions_report_follow_ups
    ON sessions (started_at, adapter, commune, follow_ups_sent, went_on_after_follow_up)
    WHERE follow_ups_sent > 0;
