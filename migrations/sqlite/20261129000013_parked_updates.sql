-- Updates that still failed after their retries, set aside so that those behind them go on
-- (Telegram is told they were handled). Only what an operator needs to see that it happened
-- and why: the update's id, its kind (`message`, `callback_query`, …), the class of the error
-- (`database`, `telegram`, `panic`, `other`) and the times. Nothing of the update's content and
-- nothing that says whose it was. Kept 30 days.
CREATE TABLE parked_updates (
    update_id BIGINT PRIMARY KEY,
    kind TEXT NOT NULL,
    error_class TEXT NOT NULL,
    first_failed_at BIGINT NOT NULL,
    parked_at BIGINT NOT NULL
);
CREATE INDEX parked_updates_at ON parked_updates (parked_at);
