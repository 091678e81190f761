-- PostgreSQL port of migrations/sqlite/20261130000016_report_months_from_days.sql: each report
-- summary has one definition. The helpers that count a session's keys and report_step_entered
-- append daily pending counts only; compaction folds them into the daily rows, and triggers on
-- the daily rows add each change to its month. The monthly pending counts go: reports add the
-- daily pending counts to their months (the `_monthly_all` views). Every figure stays the same.

-- Fold what is pending under the old definitions first, so that nothing pending is lost.
SELECT report_compact();

CREATE OR REPLACE FUNCTION report_compact() RETURNS void
LANGUAGE sql AS $$
    WITH moved AS (DELETE FROM report_sessions_pending RETURNING *)
    INSERT INTO report_sessions
    SELECT adapter, day, channel, language, commune, purpose, outcome, asked_staff, sum(sessions)
    FROM moved GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
    ON CONFLICT (adapter, day, channel, language, commune, purpose, outcome, asked_staff)
    DO UPDATE SET sessions = report_sessions.sessions + excluded.sessions;
    WITH moved AS (DELETE FROM report_steps_pending RETURNING *)
    INSERT INTO report_steps
    SELECT adapter, day, commune, step, sum(entered), sum(left_open), sum(left_abandoned)
    FROM moved GROUP BY 1, 2, 3, 4
    ON CONFLICT (adapter, day, commune, step)
    DO UPDATE SET entered = report_steps.entered + excluded.entered,
                  left_open = report_steps.left_open + excluded.left_open,
                  left_abandoned = report_steps.left_abandoned + excluded.left_abandoned;
$$;

CREATE OR REPLACE FUNCTION report_count_session(sess sessions, delta BIGINT) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO report_sessions_pending VALUES (
        sess.adapter, report_day(sess.started_at), sess.channel, sess.language,
        coalesce(sess.commune, ''), coalesce(sess.purpose, ''), coalesce(sess.outcome, ''),
        sess.asked_staff, delta);
END
$$;

CREATE OR REPLACE FUNCTION report_count_entered(sess sessions, delta BIGINT) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO report_steps_pending
    SELECT sess.adapter, report_day(sess.started_at), coalesce(sess.commune, ''), d.step,
           delta, 0, 0
    FROM (SELECT DISTINCT e.step AS step FROM events e
          WHERE e.session_id = sess.id AND e.kind = 'step_entered' AND e.step IS NOT NULL) d;
END
$$;

CREATE OR REPLACE FUNCTION report_count_left(sess sessions, delta BIGINT) RETURNS void
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
END
$$;

CREATE OR REPLACE FUNCTION report_step_entered() RETURNS trigger
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
    RETURN NULL;
END
$$;

DROP VIEW report_sessions_monthly_all;
DROP VIEW report_steps_monthly_all;
DROP TABLE report_sessions_monthly_pending;
DROP TABLE report_steps_monthly_pending;

-- A month's rows: the compacted months and the days still pending, added to their months.
CREATE VIEW report_sessions_monthly_all AS
    SELECT * FROM report_sessions_monthly
    UNION ALL
    SELECT adapter, report_month(day), channel, language, commune, purpose, outcome, asked_staff,
           sessions
    FROM report_sessions_pending;
CREATE VIEW report_steps_monthly_all AS
    SELECT * FROM report_steps_monthly
    UNION ALL
    SELECT adapter, report_month(day), commune, step, entered, left_open, left_abandoned
    FROM report_steps_pending;

-- A session's summary keys: its day and commune as the summaries hold them.
DROP VIEW report_session_keys;
CREATE VIEW report_session_keys AS
SELECT id, adapter, report_day(started_at) AS day,
       channel, language, coalesce(commune, '') AS commune, coalesce(purpose, '') AS purpose,
       coalesce(outcome, '') AS outcome, asked_staff, last_step,
       (CASE WHEN outcome IS NULL THEN 1 ELSE 0 END)::bigint AS left_open,
       (CASE WHEN outcome IS NOT DISTINCT FROM 'abandoned' THEN 1 ELSE 0 END)::bigint
           AS left_abandoned
FROM sessions;

-- The monthly rows follow the daily ones: whatever is added to a day (by compaction, a bulk
-- load or a rebuild) is added to its month. Only compaction (one instance at a time) and bulk
-- writes touch the daily rows, so turns never wait on a month's row. Deleting daily rows (a
-- rebuild) leaves the months, which the rebuild deletes itself.
CREATE FUNCTION report_sessions_month() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO report_sessions_monthly VALUES (
        NEW.adapter, report_month(NEW.day), NEW.channel, NEW.language, NEW.commune, NEW.purpose,
        NEW.outcome, NEW.asked_staff,
        NEW.sessions - CASE WHEN TG_OP = 'UPDATE' THEN OLD.sessions ELSE 0 END)
    ON CONFLICT (adapter, month, channel, language, commune, purpose, outcome, asked_staff)
    DO UPDATE SET sessions = report_sessions_monthly.sessions + excluded.sessions;
    RETURN NULL;
END
$$;
CREATE TRIGGER report_sessions_month AFTER INSERT OR UPDATE OF sessions ON report_sessions
FOR EACH ROW EXECUTE FUNCTION report_sessions_month();

CREATE FUNCTION report_steps_month() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    entered_ BIGINT := 0;
    open_ BIGINT := 0;
    abandoned_ BIGINT := 0;
BEGIN
    IF TG_OP = 'UPDATE' THEN
        entered_ := OLD.entered;
        open_ := OLD.left_open;
        abandoned_ := OLD.left_abandoned;
    END IF;
    INSERT INTO report_steps_monthly VALUES (
        NEW.adapter, report_month(NEW.day), NEW.commune, NEW.step, NEW.entered - entered_,
        NEW.left_open - open_, NEW.left_abandoned - abandoned_)
    ON CONFLICT (adapter, month, commune, step)
    DO UPDATE SET entered = report_steps_monthly.entered + excluded.entered,
                  left_open = report_steps_monthly.left_open + excluded.left_open,
                  left_abandoned = report_steps_monthly.left_abandoned + excluded.left_abandoned;
    RETURN NULL;
END
$$;
CREATE TRIGGER report_steps_month
AFTER INSERT OR UPDATE OF entered, left_open, left_abandoned ON report_steps
FOR EACH ROW EXECUTE FUNCTION report_steps_month();
