-- A hand-off: one citizen's session passed to commune staff, as a case in the staff group.
-- Nothing of what is relayed is stored; only ids and times. `chat_id` is the citizen's chat,
-- kept only while the case is open (to relay staff answers); `citizen` is a pseudonym.
CREATE TABLE handoffs (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    session_id BIGINT NOT NULL REFERENCES sessions (id),
    citizen TEXT NOT NULL,
    chat_id BIGINT,
    thread_id BIGINT,
    card_message_id BIGINT,
    status TEXT NOT NULL,
    opened_at BIGINT NOT NULL,
    taken_at BIGINT,
    taken_by TEXT,
    first_answer_at BIGINT,
    late_notice_at BIGINT,
    closed_at BIGINT
);
CREATE INDEX handoffs_status ON handoffs (status, opened_at);
CREATE INDEX handoffs_thread ON handoffs (thread_id);
CREATE INDEX handoffs_citizen ON handoffs (citizen, status);

-- In a staff group without topics, staff answer a case by replying to one of its messages:
-- which case each message of the group belongs to.
CREATE TABLE case_messages (
    message_id BIGINT PRIMARY KEY,
    handoff_id BIGINT NOT NULL REFERENCES handoffs (id)
);
