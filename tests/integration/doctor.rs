//! `dvc-onboard doctor` against the fake Bot API: a sound deployment passes every check, and
//! each fault an IT officer meets is one failed line with its fix, and a non-zero exit.

use crate::harness::{run, text};
use fake_telegram::{BotRights, FakeTelegram};
use std::path::Path;

const TOKEN: &str = "4747:DOCTOR-TOKEN";
const STAFF: i64 = -1_004_747_474_747;

struct Deployment {
    dir: tempfile::TempDir,
    api: String,
}

impl Deployment {
    async fn new(fake: &FakeTelegram) -> Deployment {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir(dir.path().join("key")).expect("a key folder");
        let deployment = Deployment {
            dir,
            api: fake.api_url().to_string(),
        };
        let made = deployment.run(&["migrate"], &[]);
        assert!(made.0, "{}", made.1);
        deployment
    }

    fn path(&self, name: &str) -> String {
        self.dir.path().join(name).display().to_string()
    }

    /// Runs a command with the sound deployment's environment, `changes` applied (an empty
    /// value unsets the variable): (succeeded, stdout and stderr).
    fn run(&self, args: &[&str], changes: &[(&str, &str)]) -> (bool, String) {
        let db = format!("sqlite://{}", self.path("bot.db"));
        let key = self.path("key/pseudonym.key");
        let staff = STAFF.to_string();
        let mut env: Vec<(&str, &str)> = vec![
            ("TELOXIDE_TOKEN", TOKEN),
            ("TELEGRAM_API_URL", self.api.as_str()),
            ("DATABASE_URL", db.as_str()),
            ("PSEUDONYM_KEY_FILE", key.as_str()),
            ("STAFF_CHAT_ID", staff.as_str()),
            ("DESK_HOURS", "7:30-11:30"),
            ("DESK_ADDRESS", "UBND xã Sơn Vĩ"),
        ];
        for (name, value) in changes {
            env.retain(|(n, _)| n != name);
            if !value.is_empty() {
                env.push((name, value));
            }
        }
        let out = run(self.dir.path(), args, "", &env);
        (
            out.status.success(),
            format!("{}{}", text(&out.stdout), text(&out.stderr)),
        )
    }

    fn doctor(&self, changes: &[(&str, &str)]) -> (bool, String) {
        self.run(&["doctor"], changes)
    }
}

/// The one failed line of a doctor's run that says `what`.
fn failed(said: &str, what: &str) -> bool {
    said.lines().any(|l| l.starts_with('✗') && l.contains(what))
}

async fn fake() -> FakeTelegram {
    let fake = FakeTelegram::start(TOKEN).await;
    fake.add_chat(FakeTelegram::forum_chat(STAFF, "Cán bộ xã"));
    fake
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_sound_deployment_passes_every_check() {
    let fake = fake().await;
    let deployment = Deployment::new(&fake).await;
    let (ok, said) = deployment.doctor(&[]);
    assert!(ok, "{said}");
    assert!(!said.contains('✗'), "{said}");
    for line in [
        "✓ the configuration",
        "✓ the desk",
        "✓ the pseudonym key will be made in",
        "reachable and up to date",
        "✓ the database takes writes",
        "✓ the token: the bot is @",
        "✓ the clock: within 30 s",
        "✓ no webhook set",
        &format!("✓ the staff group {STAFF}"),
        "checks passed",
    ] {
        assert!(said.contains(line), "no `{line}` in:\n{said}");
    }
    assert!(
        !Path::new(&deployment.path("key/pseudonym.key")).exists(),
        "the doctor makes nothing"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_fault_is_a_failed_line_with_its_fix() {
    let fake = fake().await;
    let deployment = Deployment::new(&fake).await;
    let cases: [(&[(&str, &str)], &str); 4] = [
        // The key file beside the database: one backup holds both.
        (&[("PSEUDONYM_KEY_FILE", "")], "in the database's folder"),
        // The desk's placeholder told to citizens.
        (&[("DESK_ADDRESS", "")], "DESK_ADDRESS is not set"),
        // A token Telegram does not know.
        (
            &[("TELOXIDE_TOKEN", "4747:WRONG-TOKEN")],
            "Telegram refuses it",
        ),
        // No database yet.
        (
            &[("DATABASE_URL", "sqlite://nowhere.db")],
            "`dvc-onboard migrate` makes it",
        ),
    ];
    for (changes, what) in cases {
        let (ok, said) = deployment.doctor(changes);
        assert!(!ok, "{changes:?}: {said}");
        assert!(
            failed(&said, what),
            "{changes:?}: no failed line `{what}` in:\n{said}"
        );
    }
    assert!(
        !deployment.dir.path().join("nowhere.db").exists(),
        "the doctor makes no database"
    );

    // The bot is a plain member of the staff group.
    fake.set_bot_rights(
        STAFF,
        BotRights {
            admin: false,
            ..BotRights::all()
        },
    );
    let (ok, said) = deployment.doctor(&[]);
    assert!(!ok && failed(&said, "not an administrator"), "{said}");
    fake.set_bot_rights(STAFF, BotRights::all());

    // The staff group is public: strangers could read the cases.
    let mut public = FakeTelegram::forum_chat(STAFF, "Cán bộ xã");
    public["username"] = "canbo_sonvi".into();
    fake.add_chat(public);
    let (ok, said) = deployment.doctor(&[]);
    assert!(
        !ok && failed(&said, "the group is public (@canbo_sonvi)"),
        "{said}"
    );
    fake.add_chat(FakeTelegram::forum_chat(STAFF, "Cán bộ xã"));

    // A webhook Telegram cannot deliver to.
    fake.set_failing_webhook(
        "https://bot.example.gov.vn/telegram",
        "Connection timed out",
    );
    let (ok, said) = deployment.doctor(&[
        ("WEBHOOK_URL", "https://bot.example.gov.vn/telegram"),
        ("WEBHOOK_SECRET", "s3cret"),
    ]);
    assert!(!ok && failed(&said, "Connection timed out"), "{said}");

    // A database a newer version migrated.
    let db = deployment.path("bot.db");
    let conn = rusqlite::Connection::open(&db).expect("the database");
    conn.execute(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time)
         VALUES (29991231000001, 'a newer version', TRUE, X'00', 0)",
        [],
    )
    .expect("a newer migration");
    let (ok, said) = deployment.doctor(&[]);
    assert!(
        !ok && failed(&said, "a newer dvc-onboard migrated it"),
        "{said}"
    );
}
