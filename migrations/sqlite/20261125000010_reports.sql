-- Reports (src/report/): summaries kept up to date by triggers, so that a report over a million
-- sessions and ten million events reads a few thousand summary rows and a few index ranges,
-- never the event log. Everything here is derived from `sessions` and `events`; the backfill
-- statements below (and `Store::run_batch`) compute the same set-based.
--
-- A "day" is a calendar day in Vietnam (UTC+7, no daylight saving), counted from 1970-01-01:
--   day = (unix_ms + 25200000) / 86400000
-- and a "month" is the day of the first of its month. A session belongs to the day it started.
-- Each summary exists by day and by month: a period of whole months reads the monthly rows,
-- and the days of a month it cuts read the daily ones.

-- 1 only inside a bulk load's own transaction (`Store::run_batch`, for `demo-data`): the
-- triggers stand aside and the load updates the summaries once, set-based, before it commits.
-- No other connection ever sees it set.
CREATE TABLE report_bulk (bulk INTEGER NOT NULL);
INSERT INTO report_bulk VALUES (0);

-- The last activity of a session and the last step it entered: where a citizen who left, left,
-- and whether an open session has been quiet long enough to count as abandoned.
ALTER TABLE sessions ADD COLUMN last_at BIGINT;
ALTER TABLE sessions ADD COLUMN last_step TEXT;
-- 1 once the citizen asked for staff (the button, or typed words) in the session.
ALTER TABLE sessions ADD COLUMN asked_staff INTEGER NOT NULL DEFAULT 0;

UPDATE sessions SET
    last_at = (SELECT max(e.at) FROM events e WHERE e.session_id = sessions.id),
    last_step = (SELECT e.step FROM events e
                 WHERE e.session_id = sessions.id AND e.kind = 'step_entered'
                 ORDER BY e.id DESC LIMIT 1),
    asked_staff = EXISTS (SELECT 1 FROM events e
                          WHERE e.session_id = sessions.id AND e.kind = 'help_asked');

-- Sessions counted by every key a report groups or filters by. '' stands for "none" (no
-- commune chosen, no purpose given, no outcome yet), so that keys hold no NULL.
CREATE TABLE report_sessions (
    adapter TEXT NOT NULL,
    day INTEGER NOT NULL,
    channel TEXT NOT NULL,
    language TEXT NOT NULL,
    commune TEXT NOT NULL,
    purpose TEXT NOT NULL,
    outcome TEXT NOT NULL,
    asked_staff INTEGER NOT NULL,
    sessions INTEGER NOT NULL,
    PRIMARY KEY (adapter, day, channel, language, commune, purpose, outcome, asked_staff)
) WITHOUT ROWID;

CREATE TABLE report_sessions_monthly (
    adapter TEXT NOT NULL,
    month INTEGER NOT NULL,
    channel TEXT NOT NULL,
    language TEXT NOT NULL,
    commune TEXT NOT NULL,
    purpose TEXT NOT NULL,
    outcome TEXT NOT NULL,
    asked_staff INTEGER NOT NULL,
    sessions INTEGER NOT NULL,
    PRIMARY KEY (adapter, month, channel, language, commune, purpose, outcome, asked_staff)
) WITHOUT ROWID;

-- The funnel, by the session's start day, adapter and commune: for each step, the sessions that
-- entered it at least once (`entered`), and the sessions without an outcome (`left_open`) or
-- abandoned (`left_abandoned`) whose last step it is.
CREATE TABLE report_steps (
    adapter TEXT NOT NULL,
    day INTEGER NOT NULL,
    commune TEXT NOT NULL,
    step TEXT NOT NULL,
    entered INTEGER NOT NULL,
    left_open INTEGER NOT NULL,
    left_abandoned INTEGER NOT NULL,
    PRIMARY KEY (adapter, day, commune, step)
) WITHOUT ROWID;

CREATE TABLE report_steps_monthly (
    adapter TEXT NOT NULL,
    month INTEGER NOT NULL,
    commune TEXT NOT NULL,
    step TEXT NOT NULL,
    entered INTEGER NOT NULL,
    left_open INTEGER NOT NULL,
    left_abandoned INTEGER NOT NULL,
    PRIMARY KEY (adapter, month, commune, step)
) WITHOUT ROWID;

-- The backfill (the same statements as `Store::run_batch`'s, for every session).
INSERT INTO report_sessions
SELECT adapter, (started_at + 25200000) / 86400000, channel, language, coalesce(commune, ''),
       coalesce(purpose, ''), coalesce(outcome, ''), asked_staff, count(*)
FROM sessions GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;

INSERT INTO report_steps
SELECT adapter, day, commune, step, sum(entered), sum(left_open), sum(left_abandoned) FROM (
    SELECT s.adapter, (s.started_at + 25200000) / 86400000 AS day, coalesce(s.commune, '') AS commune,
           e.step, count(DISTINCT e.session_id) AS entered, 0 AS left_open, 0 AS left_abandoned
    FROM events e JOIN sessions s ON s.id = e.session_id
    WHERE e.kind = 'step_entered' AND e.step IS NOT NULL
    GROUP BY 1, 2, 3, 4
    UNION ALL
    SELECT adapter, (started_at + 25200000) / 86400000, coalesce(commune, ''), last_step, 0,
           sum(outcome IS NULL), sum(outcome = 'abandoned')
    FROM sessions
    WHERE last_step IS NOT NULL AND (outcome IS NULL OR outcome = 'abandoned')
    GROUP BY 1, 2, 3, 4)
GROUP BY 1, 2, 3, 4;

INSERT INTO report_sessions_monthly
SELECT adapter, CAST(julianday(day * 86400, 'unixepoch', 'start of month') - 2440587.5 AS INTEGER),
       channel, language, commune, purpose, outcome, asked_staff, sum(sessions)
FROM report_sessions GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;

INSERT INTO report_steps_monthly
SELECT adapter, CAST(julianday(day * 86400, 'unixepoch', 'start of month') - 2440587.5 AS INTEGER),
       commune, step, sum(entered), sum(left_open), sum(left_abandoned)
FROM report_steps GROUP BY 1, 2, 3, 4;

-- A session's summary keys: its day, month and commune as the summaries hold them.
CREATE VIEW report_session_keys AS
SELECT id, adapter, (started_at + 25200000) / 86400000 AS day,
       CAST(julianday(((started_at + 25200000) / 86400000) * 86400, 'unixepoch', 'start of month')
            - 2440587.5 AS INTEGER) AS month,
       channel, language, coalesce(commune, '') AS commune, coalesce(purpose, '') AS purpose,
       coalesce(outcome, '') AS outcome, asked_staff, last_step,
       (outcome IS NULL) AS left_open, (outcome IS 'abandoned') AS left_abandoned
FROM sessions;

-- A new session counts once in the session summaries (and, with a last step, in the funnel's
-- "left" columns: only a bulk load inserts sessions that have one).
CREATE TRIGGER report_sessions_insert AFTER INSERT ON sessions
WHEN (SELECT bulk FROM report_bulk) = 0
BEGIN
    INSERT INTO report_sessions
    SELECT adapter, day, channel, language, commune, purpose, outcome, asked_staff, 1
    FROM report_session_keys WHERE id = NEW.id
    ON CONFLICT DO UPDATE SET sessions = sessions + 1;
    INSERT INTO report_sessions_monthly
    SELECT adapter, month, channel, language, commune, purpose, outcome, asked_staff, 1
    FROM report_session_keys WHERE id = NEW.id
    ON CONFLICT DO UPDATE SET sessions = sessions + 1;
END;

-- A session whose keys change moves from its old keys to its new ones.
CREATE TRIGGER report_sessions_update
AFTER UPDATE OF adapter, started_at, channel, language, commune, purpose, outcome, asked_staff
ON sessions
WHEN (SELECT bulk FROM report_bulk) = 0 AND (
     OLD.adapter IS NOT NEW.adapter OR OLD.started_at IS NOT NEW.started_at
  OR OLD.channel IS NOT NEW.channel OR OLD.language IS NOT NEW.language
  OR OLD.commune IS NOT NEW.commune OR OLD.purpose IS NOT NEW.purpose
  OR OLD.outcome IS NOT NEW.outcome OR OLD.asked_staff IS NOT NEW.asked_staff)
BEGIN
    INSERT INTO report_sessions VALUES (
        OLD.adapter, (OLD.started_at + 25200000) / 86400000, OLD.channel, OLD.language,
        coalesce(OLD.commune, ''), coalesce(OLD.purpose, ''), coalesce(OLD.outcome, ''),
        OLD.asked_staff, -1)
    ON CONFLICT DO UPDATE SET sessions = sessions - 1;
    INSERT INTO report_sessions_monthly VALUES (
        OLD.adapter,
        CAST(julianday(((OLD.started_at + 25200000) / 86400000) * 86400, 'unixepoch',
                       'start of month') - 2440587.5 AS INTEGER),
        OLD.channel, OLD.language, coalesce(OLD.commune, ''), coalesce(OLD.purpose, ''),
        coalesce(OLD.outcome, ''), OLD.asked_staff, -1)
    ON CONFLICT DO UPDATE SET sessions = sessions - 1;
    INSERT INTO report_sessions
    SELECT adapter, day, channel, language, commune, purpose, outcome, asked_staff, 1
    FROM report_session_keys WHERE id = NEW.id
    ON CONFLICT DO UPDATE SET sessions = sessions + 1;
    INSERT INTO report_sessions_monthly
    SELECT adapter, month, channel, language, commune, purpose, outcome, asked_staff, 1
    FROM report_session_keys WHERE id = NEW.id
    ON CONFLICT DO UPDATE SET sessions = sessions + 1;
END;

CREATE TRIGGER report_sessions_delete AFTER DELETE ON sessions
WHEN (SELECT bulk FROM report_bulk) = 0
BEGIN
    INSERT INTO report_sessions VALUES (
        OLD.adapter, (OLD.started_at + 25200000) / 86400000, OLD.channel, OLD.language,
        coalesce(OLD.commune, ''), coalesce(OLD.purpose, ''), coalesce(OLD.outcome, ''),
        OLD.asked_staff, -1)
    ON CONFLICT DO UPDATE SET sessions = sessions - 1;
    INSERT INTO report_sessions_monthly VALUES (
        OLD.adapter,
        CAST(julianday(((OLD.started_at + 25200000) / 86400000) * 86400, 'unixepoch',
                       'start of month') - 2440587.5 AS INTEGER),
        OLD.channel, OLD.language, coalesce(OLD.commune, ''), coalesce(OLD.purpose, ''),
        coalesce(OLD.outcome, ''), OLD.asked_staff, -1)
    ON CONFLICT DO UPDATE SET sessions = sessions - 1;
    INSERT INTO report_steps
    SELECT OLD.adapter, (OLD.started_at + 25200000) / 86400000, coalesce(OLD.commune, ''),
           OLD.last_step, 0, -(OLD.outcome IS NULL), -(OLD.outcome IS 'abandoned')
    WHERE OLD.last_step IS NOT NULL AND (OLD.outcome IS NULL OR OLD.outcome = 'abandoned')
    ON CONFLICT DO UPDATE SET left_open = left_open + excluded.left_open,
                              left_abandoned = left_abandoned + excluded.left_abandoned;
    INSERT INTO report_steps_monthly
    SELECT OLD.adapter,
           CAST(julianday(((OLD.started_at + 25200000) / 86400000) * 86400, 'unixepoch',
                          'start of month') - 2440587.5 AS INTEGER),
           coalesce(OLD.commune, ''), OLD.last_step, 0, -(OLD.outcome IS NULL),
           -(OLD.outcome IS 'abandoned')
    WHERE OLD.last_step IS NOT NULL AND (OLD.outcome IS NULL OR OLD.outcome = 'abandoned')
    ON CONFLICT DO UPDATE SET left_open = left_open + excluded.left_open,
                              left_abandoned = left_abandoned + excluded.left_abandoned;
END;

-- Every event: the session's last activity and last step; "ask staff" marks the session.
CREATE TRIGGER report_event_activity AFTER INSERT ON events
WHEN (SELECT bulk FROM report_bulk) = 0
BEGIN
    UPDATE sessions SET
        last_at = max(coalesce(last_at, NEW.at), NEW.at),
        last_step = CASE WHEN NEW.kind = 'step_entered' THEN NEW.step ELSE last_step END,
        asked_staff = CASE WHEN NEW.kind = 'help_asked' THEN 1 ELSE asked_staff END
    WHERE id = NEW.session_id;
END;

-- The first time a session enters a step, the funnel counts it.
CREATE TRIGGER report_step_entered AFTER INSERT ON events
WHEN NEW.kind = 'step_entered' AND NEW.step IS NOT NULL
  AND (SELECT bulk FROM report_bulk) = 0 AND NOT EXISTS (
    SELECT 1 FROM events e
    WHERE e.session_id = NEW.session_id AND e.kind = 'step_entered' AND e.step = NEW.step
      AND e.id <> NEW.id)
BEGIN
    INSERT INTO report_steps
    SELECT adapter, day, commune, NEW.step, 1, 0, 0 FROM report_session_keys
    WHERE id = NEW.session_id
    ON CONFLICT DO UPDATE SET entered = entered + 1;
    INSERT INTO report_steps_monthly
    SELECT adapter, month, commune, NEW.step, 1, 0, 0 FROM report_session_keys
    WHERE id = NEW.session_id
    ON CONFLICT DO UPDATE SET entered = entered + 1;
END;

-- The commune is chosen after the first steps: the steps entered so far move with it.
CREATE TRIGGER report_steps_move AFTER UPDATE OF adapter, started_at, commune ON sessions
WHEN (SELECT bulk FROM report_bulk) = 0 AND (
     OLD.adapter IS NOT NEW.adapter OR OLD.started_at IS NOT NEW.started_at
  OR OLD.commune IS NOT NEW.commune)
BEGIN
    INSERT INTO report_steps
    SELECT OLD.adapter, (OLD.started_at + 25200000) / 86400000, coalesce(OLD.commune, ''),
           step, -1, 0, 0
    FROM (SELECT DISTINCT e.step AS step FROM events e
          WHERE e.session_id = OLD.id AND e.kind = 'step_entered' AND e.step IS NOT NULL)
    WHERE true
    ON CONFLICT DO UPDATE SET entered = entered - 1;
    INSERT INTO report_steps_monthly
    SELECT OLD.adapter,
           CAST(julianday(((OLD.started_at + 25200000) / 86400000) * 86400, 'unixepoch',
                          'start of month') - 2440587.5 AS INTEGER),
           coalesce(OLD.commune, ''), step, -1, 0, 0
    FROM (SELECT DISTINCT e.step AS step FROM events e
          WHERE e.session_id = OLD.id AND e.kind = 'step_entered' AND e.step IS NOT NULL)
    WHERE true
    ON CONFLICT DO UPDATE SET entered = entered - 1;
    INSERT INTO report_steps
    SELECT k.adapter, k.day, k.commune, s.step, 1, 0, 0
    FROM report_session_keys k,
         (SELECT DISTINCT e.step AS step FROM events e
          WHERE e.session_id = NEW.id AND e.kind = 'step_entered' AND e.step IS NOT NULL) s
    WHERE k.id = NEW.id
    ON CONFLICT DO UPDATE SET entered = entered + 1;
    INSERT INTO report_steps_monthly
    SELECT k.adapter, k.month, k.commune, s.step, 1, 0, 0
    FROM report_session_keys k,
         (SELECT DISTINCT e.step AS step FROM events e
          WHERE e.session_id = NEW.id AND e.kind = 'step_entered' AND e.step IS NOT NULL) s
    WHERE k.id = NEW.id
    ON CONFLICT DO UPDATE SET entered = entered + 1;
END;

-- Where an unfinished session is: its last step, while it has no outcome or is abandoned.
CREATE TRIGGER report_steps_left
AFTER UPDATE OF adapter, started_at, commune, outcome, last_step ON sessions
WHEN (SELECT bulk FROM report_bulk) = 0 AND (
     OLD.adapter IS NOT NEW.adapter OR OLD.started_at IS NOT NEW.started_at
  OR OLD.commune IS NOT NEW.commune OR OLD.outcome IS NOT NEW.outcome
  OR OLD.last_step IS NOT NEW.last_step)
BEGIN
    INSERT INTO report_steps
    SELECT OLD.adapter, (OLD.started_at + 25200000) / 86400000, coalesce(OLD.commune, ''),
           OLD.last_step, 0, -(OLD.outcome IS NULL), -(OLD.outcome IS 'abandoned')
    WHERE OLD.last_step IS NOT NULL AND (OLD.outcome IS NULL OR OLD.outcome = 'abandoned')
    ON CONFLICT DO UPDATE SET left_open = left_open + excluded.left_open,
                              left_abandoned = left_abandoned + excluded.left_abandoned;
    INSERT INTO report_steps_monthly
    SELECT OLD.adapter,
           CAST(julianday(((OLD.started_at + 25200000) / 86400000) * 86400, 'unixepoch',
                          'start of month') - 2440587.5 AS INTEGER),
           coalesce(OLD.commune, ''), OLD.last_step, 0, -(OLD.outcome IS NULL),
           -(OLD.outcome IS 'abandoned')
    WHERE OLD.last_step IS NOT NULL AND (OLD.outcome IS NULL OR OLD.outcome = 'abandoned')
    ON CONFLICT DO UPDATE SET left_open = left_open + excluded.left_open,
                              left_abandoned = left_abandoned + excluded.left_abandoned;
    INSERT INTO report_steps
    SELECT adapter, day, commune, last_step, 0, left_open, left_abandoned
    FROM report_session_keys
    WHERE id = NEW.id AND last_step IS NOT NULL AND (left_open OR left_abandoned)
    ON CONFLICT DO UPDATE SET left_open = left_open + excluded.left_open,
                              left_abandoned = left_abandoned + excluded.left_abandoned;
    INSERT INTO report_steps_monthly
    SELECT adapter, month, commune, last_step, 0, left_open, left_abandoned
    FROM report_session_keys
    WHERE id = NEW.id AND last_step IS NOT NULL AND (left_open OR left_abandoned)
    ON CONFLICT DO UPDATE SET left_open = left_open + excluded.left_open,
                              left_abandoned = left_abandoned + excluded.left_abandoned;
END;

-- Index ranges the report reads besides the summaries:
-- distinct citizens (one pass over the citizens in order, no sort);
CREATE INDEX sessions_report_citizens ON sessions (citizen, started_at, adapter, commune);
-- the time to an account, over sessions that ended with one;
CREATE INDEX sessions_report_done ON sessions (started_at, adapter, commune, channel, ended_at)
    WHERE outcome IN ('vneid_level1', 'vneid_level2', 'portal_login');
-- open sessions active lately (in progress, not abandoned), with all the report needs of them.
CREATE INDEX sessions_report_open ON sessions (
    last_at, started_at, adapter, commune, channel, language, purpose, asked_staff, last_step)
    WHERE outcome IS NULL;
