-- A session's last activity, kept without waking other triggers for nothing. The UPDATE that
-- followed every event named `last_step` and `asked_staff`, so it woke the session-summary
-- and "left at" triggers (AFTER UPDATE OF those columns) each time, only for their WHEN to
-- find nothing changed (about 2% of the SQLite writer thread's instructions). Now an event
-- names only the columns it changes: any event the last activity, a step entered the last
-- step too, "ask staff" the mark. The same values as before (the report tests recount them).
DROP TRIGGER report_event_activity;

CREATE TRIGGER report_event_activity AFTER INSERT ON events
WHEN NEW.kind <> 'step_entered' AND (SELECT bulk FROM report_bulk) = 0
BEGIN
    UPDATE sessions SET last_at = max(coalesce(last_at, NEW.at), NEW.at)
    WHERE id = NEW.session_id;
END;

CREATE TRIGGER report_event_step AFTER INSERT ON events
WHEN NEW.kind = 'step_entered' AND (SELECT bulk FROM report_bulk) = 0
BEGIN
    UPDATE sessions SET last_at = max(coalesce(last_at, NEW.at), NEW.at), last_step = NEW.step
    WHERE id = NEW.session_id;
END;

CREATE TRIGGER report_event_help AFTER INSERT ON events
WHEN NEW.kind = 'help_asked' AND (SELECT bulk FROM report_bulk) = 0
BEGIN
    UPDATE sessions SET asked_staff = 1 WHERE id = NEW.session_id AND asked_staff = 0;
END;
