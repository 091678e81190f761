-- Where the citizen found the bot, when a start link said so (`poster`, `desk`); NULL for a
-- session begun any other way. Not personal: it names a kind of place, not a person.
ALTER TABLE sessions ADD COLUMN source TEXT;

-- The report counts sessions by source and outcome over a period; only linked sessions are in
-- the index, with all the report needs of them.
CREATE INDEX sessions_report_source
    ON sessions (started_at, adapter, commune, source, outcome, last_at)
    WHERE source IS NOT NULL;
