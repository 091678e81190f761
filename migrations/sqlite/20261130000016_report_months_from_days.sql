-- Each report summary has one definition: the triggers on `sessions` and `events` write the
-- daily rows, and the monthly rows follow the daily ones by delta (the triggers at the end).
-- Before, each trigger wrote both, twice over. The monthly rows are kept because a report of
-- whole months reads a twelfth of the rows (ARCHITECTURE.md, "Benchmarks"). Every figure stays
-- the same: the daily rows are written as before, and each change to one is added to its month.

DROP TRIGGER report_sessions_insert;
DROP TRIGGER report_sessions_update;
DROP TRIGGER report_sessions_delete;
DROP TRIGGER report_step_entered;
DROP TRIGGER report_steps_move;
DROP TRIGGER report_steps_left;
DROP VIEW report_session_keys;

-- A session's summary keys: its day and commune as the summaries hold them.
CREATE VIEW report_session_keys AS
SELECT id, adapter, (started_at + 25200000) / 86400000 AS day,
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
    INSERT INTO report_sessions
    SELECT adapter, day, channel, language, commune, purpose, outcome, asked_staff, 1
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
    INSERT INTO report_steps
    SELECT OLD.adapter, (OLD.started_at + 25200000) / 86400000, coalesce(OLD.commune, ''),
           OLD.last_step, 0, -(OLD.outcome IS NULL), -(OLD.outcome IS 'abandoned')
    WHERE OLD.last_step IS NOT NULL AND (OLD.outcome IS NULL OR OLD.outcome = 'abandoned')
    ON CONFLICT DO UPDATE SET left_open = left_open + excluded.left_open,
                              left_abandoned = left_abandoned + excluded.left_abandoned;
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
    INSERT INTO report_steps
    SELECT k.adapter, k.day, k.commune, s.step, 1, 0, 0
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
    INSERT INTO report_steps
    SELECT adapter, day, commune, last_step, 0, left_open, left_abandoned
    FROM report_session_keys
    WHERE id = NEW.id AND last_step IS NOT NULL AND (left_open OR left_abandoned)
    ON CONFLICT DO UPDATE SET left_open = left_open + excluded.left_open,
                              left_abandoned = left_abandoned + excluded.left_abandoned;
END;

-- The monthly rows follow the daily ones: whatever is added to a day (by a turn's triggers, a
-- bulk load or a rebuild) is added to its month. These fire during bulk loads too, so that a
-- bulk load writes days only. Deleting daily rows (a rebuild) leaves the months, which the
-- rebuild deletes itself. A month is the day of the first of its month.
CREATE TRIGGER report_sessions_month_insert AFTER INSERT ON report_sessions
BEGIN
    INSERT INTO report_sessions_monthly VALUES (
        NEW.adapter,
        CAST(julianday(NEW.day * 86400, 'unixepoch', 'start of month') - 2440587.5 AS INTEGER),
        NEW.channel, NEW.language, NEW.commune, NEW.purpose, NEW.outcome, NEW.asked_staff,
        NEW.sessions)
    ON CONFLICT DO UPDATE SET sessions = sessions + excluded.sessions;
END;

CREATE TRIGGER report_sessions_month_update AFTER UPDATE OF sessions ON report_sessions
WHEN NEW.sessions IS NOT OLD.sessions
BEGIN
    INSERT INTO report_sessions_monthly VALUES (
        NEW.adapter,
        CAST(julianday(NEW.day * 86400, 'unixepoch', 'start of month') - 2440587.5 AS INTEGER),
        NEW.channel, NEW.language, NEW.commune, NEW.purpose, NEW.outcome, NEW.asked_staff,
        NEW.sessions - OLD.sessions)
    ON CONFLICT DO UPDATE SET sessions = sessions + excluded.sessions;
END;

CREATE TRIGGER report_steps_month_insert AFTER INSERT ON report_steps
BEGIN
    INSERT INTO report_steps_monthly VALUES (
        NEW.adapter,
        CAST(julianday(NEW.day * 86400, 'unixepoch', 'start of month') - 2440587.5 AS INTEGER),
        NEW.commune, NEW.step, NEW.entered, NEW.left_open, NEW.left_abandoned)
    ON CONFLICT DO UPDATE SET entered = entered + excluded.entered,
                              left_open = left_open + excluded.left_open,
                              left_abandoned = left_abandoned + excluded.left_abandoned;
END;

CREATE TRIGGER report_steps_month_update
AFTER UPDATE OF entered, left_open, left_abandoned ON report_steps
BEGIN
    INSERT INTO report_steps_monthly VALUES (
        NEW.adapter,
        CAST(julianday(NEW.day * 86400, 'unixepoch', 'start of month') - 2440587.5 AS INTEGER),
        NEW.commune, NEW.step, NEW.entered - OLD.entered, NEW.left_open - OLD.left_open,
        NEW.left_abandoned - OLD.left_abandoned)
    ON CONFLICT DO UPDATE SET entered = entered + excluded.entered,
                              left_open = left_open + excluded.left_open,
                              left_abandoned = left_abandoned + excluded.left_abandoned;
END;
