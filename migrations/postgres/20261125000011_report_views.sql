-- Reports read the summaries through these names: on PostgreSQL the summaries and the counts
-- the triggers left pending (…_reports.sql); on SQLite the summaries alone.
CREATE VIEW report_sessions_all AS
    SELECT * FROM report_sessions UNION ALL SELECT * FROM report_sessions_pending;
CREATE VIEW report_sessions_monthly_all AS
    SELECT * FROM report_sessions_monthly UNION ALL SELECT * FROM report_sessions_monthly_pending;
CREATE VIEW report_steps_all AS
    SELECT * FROM report_steps UNION ALL SELECT * FROM report_steps_pending;
CREATE VIEW report_steps_monthly_all AS
    SELECT * FROM report_steps_monthly UNION ALL SELECT * FROM report_steps_monthly_pending;

