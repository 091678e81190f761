-- Reports read the summaries through these names. On SQLite (one writer) the triggers update
-- the summaries in place and the views are the tables themselves; on PostgreSQL the triggers
-- append pending counts that the views add in (migrations/postgres/…_reports.sql).
CREATE VIEW report_sessions_all AS SELECT * FROM report_sessions;
CREATE VIEW report_sessions_monthly_all AS SELECT * FROM report_sessions_monthly;
CREATE VIEW report_steps_all AS SELECT * FROM report_steps;
CREATE VIEW report_steps_monthly_all AS SELECT * FROM report_steps_monthly;
