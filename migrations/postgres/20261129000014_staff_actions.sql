-- PostgreSQL port of migrations/sqlite/20261129000014_staff_actions.sql.
--
-- Staff actions done once: the key of each one done (`update:<update id>` for a button press,
-- `assist:<chat>:<message>` for an /assist wizard), so that a button tapped twice or an update
-- delivered again changes nothing the second time. Kept 30 days.
CREATE TABLE staff_actions (
    action_key TEXT PRIMARY KEY,
    at BIGINT NOT NULL
);
CREATE INDEX staff_actions_at ON staff_actions (at);
