-- Telegram delivers each update at least once: an update id seen here was handled already.
-- Kept a few days (Telegram keeps unconfirmed updates about 24 hours), then pruned.
CREATE TABLE processed_updates (
    update_id BIGINT PRIMARY KEY,
    at BIGINT NOT NULL
);

-- Replies written in the same transaction as the state that caused them, and deleted once
-- Telegram has them: a crash or a 429 between the two never loses a reply. The chat id is kept
-- only until the reply is delivered.
CREATE TABLE outbox (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    chat_id BIGINT NOT NULL,
    body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX outbox_chat ON outbox (chat_id, id);
