-- PostgreSQL port of migrations/sqlite/20261125000010_reports.sql: the same tables, view,
-- trigger names, indexes and backfill, with the same effects. Differences of form (not of
-- result): integers are BIGINT and never booleans (a comparison becomes CASE ... THEN 1 ELSE 0
-- END); the day/month arithmetic is in two functions, `report_day` and `report_month`; each
-- trigger is a PL/pgSQL function of the same name, and the keys of a session are counted by
-- three helpers (`report_count_session`, `report_count_entered`, `report_count_left`) rather
-- than written out in every trigger.
--
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

-- The day of a Unix time in milliseconds. Integer division truncates toward zero in
-- PostgreSQL as in SQLite, so both give the same day, before 1970 too.
CREATE FUNCTION report_day(ms BIGINT) RETURNS BIGINT
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT (ms + 25200000) / 86400000 $$;

-- The month of a day: the day of the first of its month (SQLite:
-- CAST(julianday(day * 86400, 'unixepoch', 'start of month') - 2440587.5 AS INTEGER)).
-- Through `timestamp` (without time zone), so that neither the session's TimeZone nor a
-- STABLE cast to timestamptz is involved: the function is truly IMMUTABLE.
CREATE FUNCTION report_month(day BIGINT) RETURNS BIGINT
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$
    SELECT (date_trunc('month', (DATE '1970-01-01' + day::integer)::timestamp)::date
            - DATE '1970-01-01')::bigint
$$;

-- 1 only inside a bulk load's own transaction (`Store::run_batch`, for `demo-data`): the
-- triggers stand aside and the load updates the summaries once, set-based, before it commits.
-- No other connection ever sees it set.
CREATE TABLE report_bulk (bulk BIGINT NOT NULL);
INSERT INTO report_bulk VALUES (0);

-- The last activity of a session and the last step it entered: where a citizen who left, left,
-- and whether an open session has been quiet long enough to count as abandoned.
ALTER TABLE sessions ADD COLUMN last_at BIGINT;
ALTER TABLE sessions ADD COLUMN last_step TEXT;
-- 1 once the citizen asked for staff (the button, or typed words) in the session.
ALTER TABLE sessions ADD COLUMN asked_staff BIGINT NOT NULL DEFAULT 0;

UPDATE sessions SET
    last_at = (SELECT max(e.at) FROM events e WHERE e.session_id = sessions.id),
    last_step = (SELECT e.step FROM events e
                 WHERE e.session_id = sessions.id AND e.kind = 'step_entered'
                 ORDER BY e.id DESC LIMIT 1),
    asked_staff = CASE WHEN EXISTS (SELECT 1 FROM events e
                                    WHERE e.session_id = sessions.id AND e.kind = 'help_asked')
                  THEN 1 ELSE 0 END;

-- Sessions counted by every key a report groups or filters by. '' stands for "none" (no
-- commune chosen, no purpose given, no outcome yet), so that keys hold no NULL.
-- (SQLite declares these tables WITHOUT ROWID; PostgreSQL has no such thing.)
CREATE TABLE report_sessions (
    adapter TEXT NOT NULL,
    day BIGINT NOT NULL,
    channel TEXT NOT NULL,
    language TEXT NOT NULL,
    commune TEXT NOT NULL,
    purpose TEXT NOT NULL,
    outcome TEXT NOT NULL,
    asked_staff BIGINT NOT NULL,
    sessions BIGINT NOT NULL,
    PRIMARY KEY (adapter, day, channel, language, commune, purpose, outcome, asked_staff)
);

CREATE TABLE report_sessions_monthly (
    adapter TEXT NOT NULL,
    month BIGINT NOT NULL,
    channel TEXT NOT NULL,
    language TEXT NOT NULL,
    commune TEXT NOT NULL,
    purpose TEXT NOT NULL,
    outcome TEXT NOT NULL,
    asked_staff BIGINT NOT NULL,
    sessions BIGINT NOT NULL,
    PRIMARY KEY (adapter, month, channel, language, commune, purpose, outcome, asked_staff)
);

-- The funnel, by the session's start day, adapter and commune: for each step, the sessions that
-- entered it at least once (`entered`), and the sessions without an outcome (`left_open`) or
-- abandoned (`left_abandoned`) whose last step it is.
CREATE TABLE report_steps (
    adapter TEXT NOT NULL,
    day BIGINT NOT NULL,
    commune TEXT NOT NULL,
    step TEXT NOT NULL,
    entered BIGINT NOT NULL,
    left_open BIGINT NOT NULL,
    left_abandoned BIGINT NOT NULL,
    PRIMARY KEY (adapter, day, commune, step)
);

CREATE TABLE report_steps_monthly (
    adapter TEXT NOT NULL,
    month BIGINT NOT NULL,
    commune TEXT NOT NULL,
    step TEXT NOT NULL,
    entered BIGINT NOT NULL,
    left_open BIGINT NOT NULL,
    left_abandoned BIGINT NOT NULL,
    PRIMARY KEY (adapter, month, commune, step)
);

-- The backfill (the same statements as `Store::run_batch`'s, for every session).
-- (sum() of a BIGINT is NUMERIC in PostgreSQL; the insert casts it back to BIGINT.)
INSERT INTO report_sessions
SELECT adapter, report_day(started_at), channel, language, coalesce(commune, ''),
       coalesce(purpose, ''), coalesce(outcome, ''), asked_staff, count(*)
FROM sessions GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;

INSERT INTO report_steps
SELECT adapter, day, commune, step, sum(entered), sum(left_open), sum(left_abandoned) FROM (
    SELECT s.adapter, report_day(s.started_at) AS day, coalesce(s.commune, '') AS commune,
           e.step, count(DISTINCT e.session_id) AS entered, 0 AS left_open, 0 AS left_abandoned
    FROM events e JOIN sessions s ON s.id = e.session_id
    WHERE e.kind = 'step_entered' AND e.step IS NOT NULL
    GROUP BY 1, 2, 3, 4
    UNION ALL
    SELECT adapter, report_day(started_at), coalesce(commune, ''), last_step, 0,
           sum(CASE WHEN outcome IS NULL THEN 1 ELSE 0 END),
           sum(CASE WHEN outcome = 'abandoned' THEN 1 ELSE 0 END)
    FROM sessions
    WHERE last_step IS NOT NULL AND (outcome IS NULL OR outcome = 'abandoned')
    GROUP BY 1, 2, 3, 4) AS parts
GROUP BY 1, 2, 3, 4;

INSERT INTO report_sessions_monthly
SELECT adapter, report_month(day), channel, language, commune, purpose, outcome, asked_staff,
       sum(sessions)
FROM report_sessions GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;

INSERT INTO report_steps_monthly
SELECT adapter, report_month(day), commune, step, sum(entered), sum(left_open),
       sum(left_abandoned)
FROM report_steps GROUP BY 1, 2, 3, 4;

-- A session's summary keys: its day, month and commune as the summaries hold them.
-- left_open and left_abandoned are BIGINT 0 or 1 (SQLite: the booleans
-- `outcome IS NULL` and `outcome IS 'abandoned'`, which are integers there).
CREATE VIEW report_session_keys AS
SELECT id, adapter, report_day(started_at) AS day,
       report_month(report_day(started_at)) AS month,
       channel, language, coalesce(commune, '') AS commune, coalesce(purpose, '') AS purpose,
       coalesce(outcome, '') AS outcome, asked_staff, last_step,
       (CASE WHEN outcome IS NULL THEN 1 ELSE 0 END)::bigint AS left_open,
       (CASE WHEN outcome IS NOT DISTINCT FROM 'abandoned' THEN 1 ELSE 0 END)::bigint
           AS left_abandoned
FROM sessions;

-- How the triggers below differ in form from SQLite's:
--
-- * SQLite's `WHEN (SELECT bulk FROM report_bulk) = 0` is a subquery, which a PostgreSQL
--   trigger's WHEN clause cannot hold: each function checks it first and returns early. The
--   rest of each SQLite WHEN clause is the trigger's WHEN clause (report_step_entered's
--   NOT EXISTS, a subquery too, is in its function).
-- * SQLite reads a session's new keys from `report_session_keys WHERE id = NEW.id`, which is
--   the NEW row there (its triggers run as each row is written). Here they are computed from
--   NEW itself, by the same expressions as the view: PostgreSQL runs AFTER ... FOR EACH ROW
--   triggers at the end of the statement, and NEW is the row the trigger is about whatever
--   else the statement did.
-- * Upserts name the conflict target (the primary key) and qualify the target's columns.
--
-- Order of firing. SQLite fires the triggers of one event in an order it does not document
-- (the most recently created first); PostgreSQL fires them in the order of their names
-- (report_event_activity before report_step_entered on events; report_sessions_update,
-- report_steps_left, report_steps_move on sessions). No result depends on it:
-- * each trigger only adds to or subtracts from counters (upserts), and additions commute; the
--   set of summary rows created (a row is created the first time any key is touched, even with
--   a count of 0 or -1) does not depend on the order either;
-- * the triggers on `sessions` each read OLD and NEW only (and report_steps_move the session's
--   events), never what another trigger wrote; they touch different counters
--   (report_sessions*.sessions, report_steps*.left_*, report_steps*.entered);
-- * on `events`, report_event_activity updates sessions.last_at, last_step and asked_staff
--   (which fires report_steps_left and report_sessions_update, inside its own UPDATE), while
--   report_step_entered reads the session's adapter, started_at and commune, which that update
--   does not change, and the events table, which no trigger writes.
--
-- One difference that firing at the end of the statement would otherwise make: SQLite's
-- report_step_entered looks for *another* event of the session with the same step (`e.id <>
-- NEW.id`), and in SQLite only events inserted before this one exist yet. In PostgreSQL all
-- the rows of a multi-row INSERT are visible to each row's trigger, so `<>` would count no
-- row of a step entered twice in one statement; it looks for an *earlier* event (`e.id <
-- NEW.id`) instead. Ids are drawn in increasing order, so this is the same set of events; it
-- would differ only for events inserted (outside a bulk load) with explicit ids below those
-- of events already stored.

-- Pending counts. The triggers never update a summary row in place: with several instances on
-- one server, every citizen's turn would update the same few rows (today's, this step's) and
-- hold them until commit, so turns would queue behind each other and deadlock when two moved
-- sessions between the same keys in opposite orders. They append +1/-1 rows here instead,
-- which never conflict; `report_compact()` (every few seconds, from one instance at a time)
-- folds them into the summaries. Reports read both (the `_all` views, …_report_views.sql).
CREATE TABLE report_sessions_pending (LIKE report_sessions);
CREATE TABLE report_sessions_monthly_pending (LIKE report_sessions_monthly);
CREATE TABLE report_steps_pending (LIKE report_steps);
CREATE TABLE report_steps_monthly_pending (LIKE report_steps_monthly);

-- Folds the pending counts into the summaries. Rows appended while it runs are not in its
-- snapshot and stay pending for the next time.
CREATE FUNCTION report_compact() RETURNS void
LANGUAGE sql AS $$
    WITH moved AS (DELETE FROM report_sessions_pending RETURNING *)
    INSERT INTO report_sessions
    SELECT adapter, day, channel, language, commune, purpose, outcome, asked_staff, sum(sessions)
    FROM moved GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
    ON CONFLICT (adapter, day, channel, language, commune, purpose, outcome, asked_staff)
    DO UPDATE SET sessions = report_sessions.sessions + excluded.sessions;
    WITH moved AS (DELETE FROM report_sessions_monthly_pending RETURNING *)
    INSERT INTO report_sessions_monthly
    SELECT adapter, month, channel, language, commune, purpose, outcome, asked_staff, sum(sessions)
    FROM moved GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
    ON CONFLICT (adapter, month, channel, language, commune, purpose, outcome, asked_staff)
    DO UPDATE SET sessions = report_sessions_monthly.sessions + excluded.sessions;
    WITH moved AS (DELETE FROM report_steps_pending RETURNING *)
    INSERT INTO report_steps
    SELECT adapter, day, commune, step, sum(entered), sum(left_open), sum(left_abandoned)
    FROM moved GROUP BY 1, 2, 3, 4
    ON CONFLICT (adapter, day, commune, step)
    DO UPDATE SET entered = report_steps.entered + excluded.entered,
                  left_open = report_steps.left_open + excluded.left_open,
                  left_abandoned = report_steps.left_abandoned + excluded.left_abandoned;
    WITH moved AS (DELETE FROM report_steps_monthly_pending RETURNING *)
    INSERT INTO report_steps_monthly
    SELECT adapter, month, commune, step, sum(entered), sum(left_open), sum(left_abandoned)
    FROM moved GROUP BY 1, 2, 3, 4
    ON CONFLICT (adapter, month, commune, step)
    DO UPDATE SET entered = report_steps_monthly.entered + excluded.entered,
                  left_open = report_steps_monthly.left_open + excluded.left_open,
                  left_abandoned = report_steps_monthly.left_abandoned + excluded.left_abandoned;
$$;

-- Counts a session (`sess`, a row of sessions) `delta` times in the session summaries.
CREATE FUNCTION report_count_session(sess sessions, delta BIGINT) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO report_sessions_pending VALUES (
        sess.adapter, report_day(sess.started_at), sess.channel, sess.language,
        coalesce(sess.commune, ''), coalesce(sess.purpose, ''), coalesce(sess.outcome, ''),
        sess.asked_staff, delta);
    INSERT INTO report_sessions_monthly_pending VALUES (
        sess.adapter, report_month(report_day(sess.started_at)), sess.channel, sess.language,
        coalesce(sess.commune, ''), coalesce(sess.purpose, ''), coalesce(sess.outcome, ''),
        sess.asked_staff, delta);
END
$$;

-- Counts `delta` times, under a session's keys, the steps it entered so far (its events).
CREATE FUNCTION report_count_entered(sess sessions, delta BIGINT) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO report_steps_pending
    SELECT sess.adapter, report_day(sess.started_at), coalesce(sess.commune, ''), d.step,
           delta, 0, 0
    FROM (SELECT DISTINCT e.step AS step FROM events e
          WHERE e.session_id = sess.id AND e.kind = 'step_entered' AND e.step IS NOT NULL) d;
    INSERT INTO report_steps_monthly_pending
    SELECT sess.adapter, report_month(report_day(sess.started_at)), coalesce(sess.commune, ''),
           d.step, delta, 0, 0
    FROM (SELECT DISTINCT e.step AS step FROM events e
          WHERE e.session_id = sess.id AND e.kind = 'step_entered' AND e.step IS NOT NULL) d;
END
$$;

-- Counts `delta` times where a session left: its last step, while it has no outcome
-- (left_open) or is abandoned (left_abandoned). Nothing for other sessions.
CREATE FUNCTION report_count_left(sess sessions, delta BIGINT) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
    open_ BIGINT := CASE WHEN sess.outcome IS NULL THEN delta ELSE 0 END;
    abandoned_ BIGINT := CASE WHEN sess.outcome = 'abandoned' THEN delta ELSE 0 END;
BEGIN
    IF sess.last_step IS NULL OR (open_ = 0 AND abandoned_ = 0) THEN
        RETURN;
    END IF;
    INSERT INTO report_steps_pending VALUES (
        sess.adapter, report_day(sess.started_at), coalesce(sess.commune, ''), sess.last_step,
        0, open_, abandoned_);
    INSERT INTO report_steps_monthly_pending VALUES (
        sess.adapter, report_month(report_day(sess.started_at)), coalesce(sess.commune, ''),
        sess.last_step, 0, open_, abandoned_);
END
$$;

-- A new session counts once in the session summaries (and, with a last step, in the funnel's
-- "left" columns: only a bulk load inserts sessions that have one).
CREATE FUNCTION report_sessions_insert() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT bulk FROM report_bulk) IS DISTINCT FROM 0 THEN
        RETURN NULL;
    END IF;
    PERFORM report_count_session(NEW, 1);
    RETURN NULL;
END
$$;
CREATE TRIGGER report_sessions_insert AFTER INSERT ON sessions
FOR EACH ROW EXECUTE FUNCTION report_sessions_insert();

-- A session whose keys change moves from its old keys to its new ones.
CREATE FUNCTION report_sessions_update() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT bulk FROM report_bulk) IS DISTINCT FROM 0 THEN
        RETURN NULL;
    END IF;
    PERFORM report_count_session(OLD, -1);
    PERFORM report_count_session(NEW, 1);
    RETURN NULL;
END
$$;
CREATE TRIGGER report_sessions_update
AFTER UPDATE OF adapter, started_at, channel, language, commune, purpose, outcome, asked_staff
ON sessions
FOR EACH ROW
WHEN (OLD.adapter IS DISTINCT FROM NEW.adapter OR OLD.started_at IS DISTINCT FROM NEW.started_at
   OR OLD.channel IS DISTINCT FROM NEW.channel OR OLD.language IS DISTINCT FROM NEW.language
   OR OLD.commune IS DISTINCT FROM NEW.commune OR OLD.purpose IS DISTINCT FROM NEW.purpose
   OR OLD.outcome IS DISTINCT FROM NEW.outcome
   OR OLD.asked_staff IS DISTINCT FROM NEW.asked_staff)
EXECUTE FUNCTION report_sessions_update();

-- A deleted session no longer counts in the session summaries nor in the funnel's "left"
-- columns. (As in SQLite, its steps' `entered` counts stay: its events, deleted before it,
-- have no trigger.)
CREATE FUNCTION report_sessions_delete() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT bulk FROM report_bulk) IS DISTINCT FROM 0 THEN
        RETURN NULL;
    END IF;
    PERFORM report_count_session(OLD, -1);
    PERFORM report_count_left(OLD, -1);
    RETURN NULL;
END
$$;
CREATE TRIGGER report_sessions_delete AFTER DELETE ON sessions
FOR EACH ROW EXECUTE FUNCTION report_sessions_delete();

-- Every event: the session's last activity and last step; "ask staff" marks the session.
-- (SQLite's two-argument max() is greatest() here; neither argument is NULL.)
CREATE FUNCTION report_event_activity() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT bulk FROM report_bulk) IS DISTINCT FROM 0 THEN
        RETURN NULL;
    END IF;
    UPDATE sessions SET
        last_at = greatest(coalesce(last_at, NEW.at), NEW.at),
        last_step = CASE WHEN NEW.kind = 'step_entered' THEN NEW.step ELSE last_step END,
        asked_staff = CASE WHEN NEW.kind = 'help_asked' THEN 1 ELSE asked_staff END
    WHERE id = NEW.session_id;
    RETURN NULL;
END
$$;
CREATE TRIGGER report_event_activity AFTER INSERT ON events
FOR EACH ROW EXECUTE FUNCTION report_event_activity();

-- The first time a session enters a step, the funnel counts it. (An earlier event: see the
-- note on `e.id < NEW.id` above.)
CREATE FUNCTION report_step_entered() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT bulk FROM report_bulk) IS DISTINCT FROM 0 THEN
        RETURN NULL;
    END IF;
    IF EXISTS (SELECT 1 FROM events e
               WHERE e.session_id = NEW.session_id AND e.kind = 'step_entered'
                 AND e.step = NEW.step AND e.id < NEW.id) THEN
        RETURN NULL;
    END IF;
    INSERT INTO report_steps_pending
    SELECT adapter, day, commune, NEW.step, 1, 0, 0 FROM report_session_keys
    WHERE id = NEW.session_id;
    INSERT INTO report_steps_monthly_pending
    SELECT adapter, month, commune, NEW.step, 1, 0, 0 FROM report_session_keys
    WHERE id = NEW.session_id;
    RETURN NULL;
END
$$;
CREATE TRIGGER report_step_entered AFTER INSERT ON events
FOR EACH ROW
WHEN (NEW.kind = 'step_entered' AND NEW.step IS NOT NULL)
EXECUTE FUNCTION report_step_entered();

-- The commune is chosen after the first steps: the steps entered so far move with it.
CREATE FUNCTION report_steps_move() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT bulk FROM report_bulk) IS DISTINCT FROM 0 THEN
        RETURN NULL;
    END IF;
    PERFORM report_count_entered(OLD, -1);
    PERFORM report_count_entered(NEW, 1);
    RETURN NULL;
END
$$;
CREATE TRIGGER report_steps_move AFTER UPDATE OF adapter, started_at, commune ON sessions
FOR EACH ROW
WHEN (OLD.adapter IS DISTINCT FROM NEW.adapter OR OLD.started_at IS DISTINCT FROM NEW.started_at
   OR OLD.commune IS DISTINCT FROM NEW.commune)
EXECUTE FUNCTION report_steps_move();

-- Where an unfinished session is: its last step, while it has no outcome or is abandoned.
CREATE FUNCTION report_steps_left() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT bulk FROM report_bulk) IS DISTINCT FROM 0 THEN
        RETURN NULL;
    END IF;
    PERFORM report_count_left(OLD, -1);
    PERFORM report_count_left(NEW, 1);
    RETURN NULL;
END
$$;
CREATE TRIGGER report_steps_left
AFTER UPDATE OF adapter, started_at, commune, outcome, last_step ON sessions
FOR EACH ROW
WHEN (OLD.adapter IS DISTINCT FROM NEW.adapter OR OLD.started_at IS DISTINCT FROM NEW.started_at
   OR OLD.commune IS DISTINCT FROM NEW.commune OR OLD.outcome IS DISTINCT FROM NEW.outcome
   OR OLD.last_step IS DISTINCT FROM NEW.last_step)
EXECUTE FUNCTION report_steps_left();

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
