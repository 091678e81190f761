//! Upgrades: a newer binary on an older database migrates it on start and says so; an older
//! binary on a database a newer one migrated refuses to start, saying why.

use crate::harness::{POSTGRES, TestDb, run, text};

/// The latest migration (both backends), and SQL that undoes it: the database as the version
/// before it left it.
const LATEST: i64 = 20261130000018;
const UNDO_LATEST: [&str; 7] = [
    "DROP INDEX sessions_report_text_only",
    "DROP TABLE media_prompts",
    "ALTER TABLE sessions DROP COLUMN text_only",
    "ALTER TABLE citizens DROP COLUMN text_only",
    "DROP TABLE staff_media",
    "DROP TABLE media_uploads",
    "DELETE FROM _sqlx_migrations WHERE version = 20261130000018",
];

async fn an_older_database_is_upgraded_and_a_newer_one_refused(backend: &str) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let tdb = TestDb::new(backend, dir.path());
    let env = tdb.env();
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let migrate = || run(dir.path(), &["migrate"], "", &env);

    let created = migrate();
    assert!(created.status.success(), "{}", text(&created.stderr));
    assert!(
        text(&created.stderr).contains("database created"),
        "{}",
        text(&created.stderr)
    );
    let pool = tdb.pool().await;
    let latest: i64 = sqlx::query_scalar("SELECT max(version) FROM _sqlx_migrations")
        .fetch_one(&pool)
        .await
        .expect("the migrations");
    assert_eq!(latest, LATEST, "UNDO_LATEST undoes the latest migration");

    // The database as the version before left it: upgraded on start, and said so.
    for sql in UNDO_LATEST {
        sqlx::query(sql).execute(&pool).await.expect("undone");
    }
    let upgraded = migrate();
    let said = text(&upgraded.stderr);
    assert!(upgraded.status.success(), "{said}");
    assert!(said.contains("database upgraded"), "{said}");
    assert!(
        said.contains(&format!("to={LATEST}")) && said.contains("applied=1"),
        "{said}"
    );
    let pending: i64 = sqlx::query_scalar("SELECT count(*) FROM staff_media")
        .fetch_one(&pool)
        .await
        .expect("the upgraded table");
    assert_eq!(pending, 0);
    let again = migrate();
    assert!(
        !text(&again.stderr).contains("database upgraded"),
        "nothing to do the second time"
    );

    // A newer version migrated it further: this one refuses, and says what to do.
    let newer = if backend == POSTGRES {
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
         VALUES (29991231000001, 'a newer version', TRUE, '\\x00'::bytea, 0)"
    } else {
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
         VALUES (29991231000001, 'a newer version', TRUE, X'00', 0)"
    };
    sqlx::query(newer)
        .execute(&pool)
        .await
        .expect("a newer migration");
    for args in [&["migrate"][..], &["chat"][..]] {
        let refused = run(dir.path(), args, "", &env);
        let said = text(&refused.stderr);
        assert!(!refused.status.success(), "{args:?}: {said}");
        assert!(
            said.contains("upgraded by a newer dvc-onboard") && said.contains("29991231000001"),
            "{args:?}: {said}"
        );
    }
}

on_both_backends!(an_older_database_is_upgraded_and_a_newer_one_refused);
