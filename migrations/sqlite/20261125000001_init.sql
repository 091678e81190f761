-- What may be stored is set by docs/privacy.md: pseudonyms, language, commune, channel,
-- outcome, steps and choices. Never ID numbers, phone numbers, codes, names or typed text.
-- Times are Unix milliseconds (BIGINT), the same on every backend.

-- A citizen is a pseudonym: a keyed HMAC of the channel's user id.
CREATE TABLE citizens (
    pseudonym TEXT PRIMARY KEY,
    language TEXT,
    first_seen BIGINT NOT NULL
);

-- Where a citizen is in the guide (the engine's state as JSON); erased by /forget.
CREATE TABLE dialogues (
    pseudonym TEXT PRIMARY KEY REFERENCES citizens (pseudonym) ON DELETE CASCADE,
    state TEXT NOT NULL,
    session_id BIGINT,
    updated_at BIGINT NOT NULL
);

-- One assisted attempt of one citizen at one guide. `citizen` is not a foreign key: erasing a
-- citizen re-keys their sessions to a fresh random pseudonym so the counts stay.
CREATE TABLE sessions (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    citizen TEXT NOT NULL,
    guide TEXT NOT NULL,
    language TEXT NOT NULL,
    commune TEXT,
    channel TEXT NOT NULL,
    adapter TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    ended_at BIGINT,
    outcome TEXT,
    purpose TEXT,
    rating INTEGER
);
CREATE INDEX sessions_started_at ON sessions (started_at);
CREATE INDEX sessions_citizen ON sessions (citizen);

-- Append-only: what happened in a session, in order of id.
CREATE TABLE events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    session_id BIGINT NOT NULL REFERENCES sessions (id),
    at BIGINT NOT NULL,
    kind TEXT NOT NULL,
    step TEXT,
    detail TEXT
);
CREATE INDEX events_session ON events (session_id, id);
