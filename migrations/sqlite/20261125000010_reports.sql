-- Reports (src/report/): summaries kept up to date by triggers, so that a report over a million
-- sessions and ten million events reads a few thousand summary rows and a few index ranges,
-- never the event log. Everything here is derived from `sessions` and `events`: dropping these
-- tables and triggers and running the backfill statements below again rebuilds them.
--
-- A "day" is a calendar day in Vietnam (UTC+7, no daylight saving):
--   day = (unix_ms + 25200000) / 86400000  (days since 1970-01-01, Vietnam time).
-- A session belongs to the day it started.

-- The last activity of a session and the last step it entered: where a citizen who left, left,
-- and whether an open session has been quiet long enough to count as abandoned.
ALTER TABLE sessions ADD COLUMN last_at BIGINT;
ALTER TABLE sessions ADD COLUMN last_step TEXT;
-- 1 once the citizen pressed "ask staff" (or typed that they are stuck) in the session.
ALTER TABLE sessions ADD COLUMN asked_staff INTEGER NOT NULL DEFAULT 0;

UPDATE sessions SET
    last_at = (SELECT max(e.at) FROM events e WHERE e.session_id = sessions.id),
    last_step = (SELECT e.step FROM events e
                 WHERE e.session_id = sessions.id AND e.kind = 'step_entered'
                 ORDER BY e.id DESC LIMIT 1),
    asked_staff = EXISTS (SELECT 1 FROM events e
                          WHERE e.session_id = sessions.id AND e.kind = 'help_asked');

-- Sessions counted by every key a report groups or filters by. '' stands for "none" (no
-- commune chosen, no purpose given, no outcome yet) so the key has no NULL.
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

INSERT INTO report_sessions
SELECT adapter, (started_at + 25200000) / 86400000, channel, language, coalesce(commune, ''),
       coalesce(purpose, ''), coalesce(outcome, ''), asked_staff, count(*)
FROM sessions GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;

CREATE TRIGGER report_sessions_insert AFTER INSERT ON sessions BEGIN
    INSERT INTO report_sessions VALUES (
        NEW.adapter, (NEW.started_at + 25200000) / 86400000, NEW.channel, NEW.language,
        coalesce(NEW.commune, ''), coalesce(NEW.purpose, ''), coalesce(NEW.outcome, ''),
        NEW.asked_staff, 1)
    ON CONFLICT DO UPDATE SET sessions = sessions + 1;
END;

CREATE TRIGGER report_sessions_update
AFTER UPDATE OF adapter, started_at, channel, language, commune, purpose, outcome, asked_staff
ON sessions
WHEN OLD.adapter IS NOT NEW.adapter OR OLD.started_at IS NOT NEW.started_at
  OR OLD.channel IS NOT NEW.channel OR OLD.language IS NOT NEW.language
  OR OLD.commune IS NOT NEW.commune OR OLD.purpose IS NOT NEW.purpose
  OR OLD.outcome IS NOT NEW.outcome OR OLD.asked_staff IS NOT NEW.asked_staff
BEGIN
    UPDATE report_sessions SET sessions = sessions - 1
    WHERE adapter = OLD.adapter AND day = (OLD.started_at + 25200000) / 86400000
      AND channel = OLD.channel AND language = OLD.language
      AND commune = coalesce(OLD.commune, '') AND purpose = coalesce(OLD.purpose, '')
      AND outcome = coalesce(OLD.outcome, '') AND asked_staff = OLD.asked_staff;
    INSERT INTO report_sessions VALUES (
        NEW.adapter, (NEW.started_at + 25200000) / 86400000, NEW.channel, NEW.language,
        coalesce(NEW.commune, ''), coalesce(NEW.purpose, ''), coalesce(NEW.outcome, ''),
        NEW.asked_staff, 1)
    ON CONFLICT DO UPDATE SET sessions = sessions + 1;
END;

CREATE TRIGGER report_sessions_delete AFTER DELETE ON sessions BEGIN
    UPDATE report_sessions SET sessions = sessions - 1
    WHERE adapter = OLD.adapter AND day = (OLD.started_at + 25200000) / 86400000
      AND channel = OLD.channel AND language = OLD.language
      AND commune = coalesce(OLD.commune, '') AND purpose = coalesce(OLD.purpose, '')
      AND outcome = coalesce(OLD.outcome, '') AND asked_staff = OLD.asked_staff;
END;

-- The funnel: how many sessions entered each step at least once, by the session's start day,
-- adapter and commune.
CREATE TABLE report_steps (
    adapter TEXT NOT NULL,
    day INTEGER NOT NULL,
    commune TEXT NOT NULL,
    step TEXT NOT NULL,
    sessions INTEGER NOT NULL,
    PRIMARY KEY (adapter, day, commune, step)
) WITHOUT ROWID;

INSERT INTO report_steps
SELECT s.adapter, (s.started_at + 25200000) / 86400000, coalesce(s.commune, ''), e.step,
       count(DISTINCT e.session_id)
FROM events e JOIN sessions s ON s.id = e.session_id
WHERE e.kind = 'step_entered' AND e.step IS NOT NULL
GROUP BY 1, 2, 3, 4;

-- Every event: the session's last activity and last step; "ask staff" marks the session.
CREATE TRIGGER report_event_activity AFTER INSERT ON events BEGIN
    UPDATE sessions SET
        last_at = max(coalesce(last_at, NEW.at), NEW.at),
        last_step = CASE WHEN NEW.kind = 'step_entered' THEN NEW.step ELSE last_step END,
        asked_staff = CASE WHEN NEW.kind = 'help_asked' THEN 1 ELSE asked_staff END
    WHERE id = NEW.session_id;
END;

-- The first time a session enters a step, the funnel counts it.
CREATE TRIGGER report_step_entered AFTER INSERT ON events
WHEN NEW.kind = 'step_entered' AND NEW.step IS NOT NULL AND NOT EXISTS (
    SELECT 1 FROM events e
    WHERE e.session_id = NEW.session_id AND e.kind = 'step_entered' AND e.step = NEW.step
      AND e.id <> NEW.id)
BEGIN
    INSERT INTO report_steps (adapter, day, commune, step, sessions)
    SELECT adapter, (started_at + 25200000) / 86400000, coalesce(commune, ''), NEW.step, 1
    FROM sessions WHERE id = NEW.session_id
    ON CONFLICT DO UPDATE SET sessions = sessions + 1;
END;

-- The commune is chosen after the first steps: the steps counted so far move with it.
CREATE TRIGGER report_steps_move AFTER UPDATE OF adapter, started_at, commune ON sessions
WHEN OLD.adapter IS NOT NEW.adapter OR OLD.started_at IS NOT NEW.started_at
  OR OLD.commune IS NOT NEW.commune
BEGIN
    UPDATE report_steps SET sessions = sessions - 1
    WHERE adapter = OLD.adapter AND day = (OLD.started_at + 25200000) / 86400000
      AND commune = coalesce(OLD.commune, '')
      AND step IN (SELECT e.step FROM events e
                   WHERE e.session_id = OLD.id AND e.kind = 'step_entered');
    INSERT INTO report_steps (adapter, day, commune, step, sessions)
    SELECT NEW.adapter, (NEW.started_at + 25200000) / 86400000, coalesce(NEW.commune, ''), step, 1
    FROM (SELECT DISTINCT e.step AS step FROM events e
          WHERE e.session_id = NEW.id AND e.kind = 'step_entered' AND e.step IS NOT NULL)
    WHERE true
    ON CONFLICT DO UPDATE SET sessions = sessions + 1;
END;

-- Index ranges the report reads besides the summaries:
-- distinct citizens (one pass over the citizens in order, no sort);
CREATE INDEX sessions_report_citizens ON sessions (citizen, started_at, adapter, commune);
-- the time to complete, over sessions that ended with an account;
CREATE INDEX sessions_report_done ON sessions (started_at, adapter, commune, channel, ended_at)
    WHERE outcome IN ('vneid_level1', 'vneid_level2', 'portal_login');
-- where citizens who left, left (abandoned, or open and quiet);
CREATE INDEX sessions_report_left ON sessions (started_at, adapter, commune, outcome, last_at, last_step)
    WHERE outcome IS NULL OR outcome = 'abandoned';
-- open sessions still active lately (in progress, not abandoned).
CREATE INDEX sessions_report_open ON sessions (last_at) WHERE outcome IS NULL;
