//! Voice notes and pictures with the guide's steps, through the real binary and the fake Bot
//! API: a step's voice and picture go before and with its text, each file is uploaded once
//! (across a restart, and again when Telegram no longer takes its id), a citizen who chose text
//! only gets text, staff attach their own recording from the staff group (`/media`) and a
//! second instance sends it, and `check` refuses a broken file.

use crate::harness::cluster::Cluster;
use crate::harness::{self, BotProcess, TestDb, count_until, report_json, run, text};
use dvc_onboard_core::i18n::Locales;
use dvc_onboard_core::lang::Lang;
use dvc_onboard_core::media::samples;
use fake_telegram::{FakeTelegram, Fault, Limits, Sent};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::time::Duration;

const TOKEN: &str = "4646:MEDIA-TOKEN";
const STAFF: i64 = -1_004_646_464_646;
const STAFF_USER: i64 = 9046;
const WAIT: Duration = Duration::from_secs(20);

/// The repository's guide, messages and media in `dir`, with a picture and a voice note on the
/// first step (`safety`): the picture in Vietnamese only, the voice in Vietnamese and in Hmong.
fn content(dir: &Path) -> Content {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let copy = |from: &Path, to: &Path| {
        std::fs::create_dir_all(to).expect("a folder");
        for entry in std::fs::read_dir(from).expect("the folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                let sub = to.join(path.file_name().expect("a name"));
                std::fs::create_dir_all(&sub).expect("a folder");
                for file in std::fs::read_dir(&path).expect("the folder") {
                    let file = file.expect("a file").path();
                    std::fs::copy(&file, sub.join(file.file_name().expect("a name")))
                        .expect("copied");
                }
            } else {
                std::fs::copy(&path, to.join(path.file_name().expect("a name"))).expect("copied");
            }
        }
    };
    let (guides, locales, media) = (dir.join("guides"), dir.join("locales"), dir.join("media"));
    copy(&root.join("guides"), &guides);
    copy(&root.join("locales"), &locales);
    copy(&root.join("media"), &media);
    let guide = guides.join("portal-account.toml");
    let toml = std::fs::read_to_string(&guide).expect("the guide");
    let toml = toml.replacen(
        "message = \"safety\"\n",
        "message = \"safety\"\npicture = \"safety.png\"\nvoice = \"safety.ogg\"\n",
        1,
    );
    std::fs::write(&guide, toml).expect("written");
    for (lang, name, bytes) in [
        ("vi", "safety.png", samples::png(1)),
        ("vi", "safety.ogg", samples::ogg_opus(1)),
        ("hmn", "safety.ogg", samples::ogg_opus(2)),
    ] {
        std::fs::create_dir_all(media.join(lang)).expect("a folder");
        std::fs::write(media.join(lang).join(name), bytes).expect("written");
    }
    let path = |p: PathBuf| p.display().to_string();
    vec![
        ("GUIDES_DIR", path(guides)),
        ("LOCALES_DIR", path(locales)),
        ("MEDIA_DIR", path(media)),
    ]
}

fn start(fake: &FakeTelegram, db: &TestDb, dir: &Path, content: &[(&str, String)]) -> BotProcess {
    let staff = STAFF.to_string();
    let mut extra: Vec<(&str, &str)> = vec![
        ("STAFF_CHAT_ID", staff.as_str()),
        ("HANDOFF_WAIT_SECS", "2"),
    ];
    extra.extend(content.iter().map(|(k, v)| (*k, v.as_str())));
    harness::start_against(fake, TOKEN, db, dir, &extra)
}

fn vi(id: &str) -> String {
    Locales::embedded().format(Lang::Vi, id, None)
}

/// Pushes an update and waits until `chat` has a new message with buttons (or, in the staff
/// group, any `n` new messages); returns what came.
async fn push_and_wait(fake: &FakeTelegram, chat: i64, n: usize, update: Value) -> Vec<Sent> {
    let before = fake.sent(chat).len();
    fake.push_update(update);
    fake.wait_until(&format!("{n} new message(s) in chat {chat}"), WAIT, |f| {
        let sent = f.sent(chat);
        sent.len() >= before + n && (chat < 0 || sent.last().is_some_and(|s| !s.buttons.is_empty()))
    })
    .await;
    fake.sent(chat)[before..].to_vec()
}

/// `/start`, then the language question's button `n` (1: Tiếng Việt, 2: Hmoob, 4: text only).
async fn open(fake: &FakeTelegram, user: i64, buttons: &[usize]) -> Vec<Sent> {
    let mut sent = harness::say(fake, user, FakeTelegram::command(user, "/start")).await;
    for &n in buttons {
        sent = harness::press(fake, user, n).await;
    }
    sent
}

fn methods(sent: &[Sent]) -> Vec<&str> {
    sent.iter().map(|s| s.method.as_str()).collect()
}

/// A staff member's message in the staff group, replying to `reply_to` if given.
fn staff_message(content: Value, reply_to: Option<i64>) -> Value {
    let mut message = json!({
        "date": 1_790_000_000,
        "chat": FakeTelegram::group_chat(STAFF, "Cán bộ xã"),
        "from": { "id": STAFF_USER, "is_bot": false, "first_name": "Lan" },
    });
    if let (Some(target), Some(extra)) = (message.as_object_mut(), content.as_object()) {
        target.extend(extra.clone());
    }
    if let Some(r) = reply_to {
        message["reply_to_message"] = json!({ "message_id": r, "date": 1_790_000_000,
            "chat": FakeTelegram::group_chat(STAFF, "Cán bộ xã"),
            "from": { "id": 4646, "is_bot": true, "first_name": "dvc" }, "text": "…" });
    }
    json!({ "message": message })
}

fn staff_command(text: &str) -> Value {
    staff_message(
        json!({ "text": text, "entities": [{ "type": "bot_command", "offset": 0,
            "length": text.len() }] }),
        None,
    )
}

/// A staff member's voice note: its file id is `voice-<STAFF_USER>`.
fn staff_voice(reply_to: i64) -> Value {
    let mut voice = FakeTelegram::voice(STAFF_USER);
    let file = voice["message"]["voice"].take();
    staff_message(json!({ "voice": file }), Some(reply_to))
}

fn staff_presses(fake: &FakeTelegram, sent: &Sent, data: &str) -> Value {
    let group = FakeTelegram::group_chat(STAFF, "Cán bộ xã");
    harness::staff_presses(fake, (group, STAFF_USER), sent, data)
}

/// The fake with the staff group, the content of [`content`] in a temp dir, a database of
/// `backend`, and the bot running on them.
async fn setup(backend: &str) -> (FakeTelegram, tempfile::TempDir, Content, TestDb, BotProcess) {
    let fake = FakeTelegram::start(TOKEN).await;
    fake.set_limits(Limits::off());
    fake.add_chat(FakeTelegram::group_chat(STAFF, "Cán bộ xã"));
    let dir = tempfile::tempdir().expect("temp dir");
    let content = content(dir.path());
    let tdb = TestDb::new(backend, dir.path());
    let bot = start(&fake, &tdb, dir.path(), &content);
    (fake, dir, content, tdb, bot)
}

/// The variables that point the bot at the content of [`content`].
type Content = Vec<(&'static str, String)>;

/// The data of the button of `sent` whose label starts with `label`.
fn data_of(sent: &Sent, label: &str) -> String {
    sent.buttons
        .iter()
        .find(|(l, _)| l.starts_with(label))
        .map(|(_, d)| d.clone())
        .unwrap_or_else(|| panic!("no button `{label}` in {:?}", sent.buttons))
}

async fn a_step_is_sent_with_its_voice_and_picture_each_uploaded_once(backend: &str) {
    let (fake, dir, content, tdb, bot) = setup(backend).await;

    // Vietnamese: the voice note, then the picture with the step's text as its caption and the
    // step's buttons.
    let sent = open(&fake, 5101, &[1]).await;
    assert_eq!(methods(&sent), ["sendvoice", "sendphoto"], "{sent:#?}");
    let photo = &sent[1];
    assert!(photo.plain.contains(&vi("safety")), "{}", photo.plain);
    assert!(!photo.buttons.is_empty(), "the buttons are on the picture");
    let uploads = fake.uploads();
    let names: Vec<(&str, &str)> = uploads
        .iter()
        .map(|u| (u.kind.as_str(), u.name.as_str()))
        .collect();
    assert_eq!(names, [("voice", "safety.ogg"), ("photo", "safety.png")]);

    // Hmong: the Hmong voice (a new upload), the same picture by its file id.
    let sent = open(&fake, 5102, &[2]).await;
    assert_eq!(methods(&sent), ["sendvoice", "sendphoto"]);
    assert_eq!(fake.uploads().len(), 3, "only the Hmong voice is new");
    assert_eq!(sent[1].file, photo.file, "the picture goes by its file id");

    // After a restart, nothing is uploaded again.
    drop(bot);
    let bot = start(&fake, &tdb, dir.path(), &content);
    let sent = open(&fake, 5103, &[1]).await;
    assert_eq!(methods(&sent), ["sendvoice", "sendphoto"]);
    assert_eq!(fake.uploads().len(), 3, "{}", bot.log());

    // A file id Telegram no longer takes: refused, then the file goes up again, once.
    let pool = tdb.pool().await;
    sqlx::query("UPDATE media_uploads SET file_id = 'gone' WHERE file_id = $1")
        .bind(photo.file.clone().unwrap_or_default())
        .execute(&pool)
        .await
        .expect("an id Telegram forgot");
    let sent = open(&fake, 5104, &[1]).await;
    assert_eq!(methods(&sent), ["sendvoice", "sendphoto"]);
    assert_eq!(fake.uploads().len(), 4);
    let again = open(&fake, 5105, &[1]).await;
    assert_eq!(again[1].file, sent[1].file, "the new id is kept");
    assert_eq!(fake.uploads().len(), 4);

    // Refused by Telegram (a citizen who forbids voice messages, a picture it will not take):
    // each is dropped, and the step's text still comes, with its buttons.
    fake.fail_next(
        "sendVoice",
        1,
        Fault::Api(400, "Bad Request: VOICE_MESSAGES_FORBIDDEN".into()),
    );
    fake.fail_next(
        "sendPhoto",
        1,
        Fault::Api(400, "Bad Request: IMAGE_PROCESS_FAILED".into()),
    );
    let refused = open(&fake, 5107, &[1]).await;
    assert_eq!(methods(&refused), ["sendmessage"], "{refused:#?}");
    assert!(refused[0].plain.contains(&vi("safety")));
    assert!(!refused[0].buttons.is_empty());
    assert_eq!(
        fake.uploads().len(),
        4,
        "a refused message keeps its file ids"
    );

    // Text only, chosen on the language question: text, no voice, no picture.
    let sent = open(&fake, 5106, &[4, 1]).await;
    assert_eq!(methods(&sent), ["sendmessage"], "{sent:#?}");
    // /settings turns voice and pictures back on: the step comes with them.
    let settings = harness::say(&fake, 5106, FakeTelegram::command(5106, "/settings")).await;
    assert!(
        settings[0].plain.starts_with(&vi("settings-text-only")),
        "{settings:#?}"
    );
    let back = harness::press(&fake, 5106, 1).await;
    assert_eq!(methods(&back), ["sendmessage", "sendvoice", "sendphoto"]);
    assert_eq!(back[0].plain, vi("chose-with-media"));
    // And off again: kept for the next session, and erased by /forget.
    harness::say(&fake, 5106, FakeTelegram::command(5106, "/settings")).await;
    harness::press(&fake, 5106, 1).await;
    harness::press(&fake, 5106, 1).await; // understood: the session has begun
    let restarted = harness::say(&fake, 5106, FakeTelegram::command(5106, "/restart")).await;
    assert!(methods(&restarted).iter().all(|m| *m == "sendmessage"));
    let kept = count_until(
        &pool,
        "SELECT count(*) FROM citizens WHERE text_only = 1",
        |n| n == 1,
    )
    .await;
    assert_eq!(kept, 1);

    // The report counts the sessions that had text only, and the steps with media.
    let db_env = tdb.env();
    let mut env: Vec<(&str, &str)> = db_env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    env.extend(content.iter().map(|(k, v)| (*k, v.as_str())));
    let report = report_json(dir.path(), &env);
    assert_eq!(
        report["media"]["text_only_sessions"], 2,
        "{:#}",
        report["media"]
    );
    let coverage = &report["media"]["coverage"];
    let of = |lang: &str| {
        coverage
            .as_array()
            .and_then(|c| c.iter().find(|c| c["lang"] == lang))
            .cloned()
            .unwrap_or_default()
    };
    // Vietnamese: this step's voice, its picture and the shipped drawing of another step.
    assert_eq!(
        (of("vi")["voice"].as_i64(), of("vi")["picture"].as_i64()),
        (Some(1), Some(2))
    );
    assert_eq!(
        (of("hmn")["voice"].as_i64(), of("hmn")["picture"].as_i64()),
        (Some(1), Some(0))
    );

    fake.push_update(FakeTelegram::command(5106, "/forget"));
    let erased = count_until(
        &pool,
        "SELECT count(*) FROM citizens WHERE text_only = 1",
        |n| n == 0,
    )
    .await;
    assert_eq!(erased, 0);
    drop(bot);
}

async fn staff_attach_listen_to_and_remove_their_own_recording(backend: &str) {
    let (fake, _dir, _content, tdb, _bot) = setup(backend).await;

    let prompt = media_prompt(&fake, |update| {
        fake.push_update(update);
    })
    .await;
    assert!(prompt.plain.contains(&vi("safety")), "{}", prompt.plain);
    assert!(prompt.plain.contains("safety.ogg"), "{}", prompt.plain);

    // A person replies seconds later; the bot keeps the prompt just after Telegram took it.
    count_until(
        &tdb.pool().await,
        "SELECT count(*) FROM media_prompts",
        |n| n == 1,
    )
    .await;
    // A text reply is no recording: a hint, nothing attached.
    push_and_wait(
        &fake,
        STAFF,
        1,
        staff_message(json!({ "text": "xin chào" }), Some(prompt.message_id)),
    )
    .await;
    // A voice note in reply attaches it: the prompt says so, and citizens get it at once.
    let said = push_and_wait(&fake, STAFF, 2, staff_voice(prompt.message_id)).await;
    assert_eq!(
        methods(&said),
        ["editmessagetext", "sendmessage"],
        "{said:#?}"
    );
    assert!(
        said[0].plain.contains(&vi("staff-media-from-staff")),
        "{}",
        said[0].plain
    );
    assert!(said[1].plain.starts_with("✅"), "{}", said[1].plain);
    let sent = open(&fake, 5201, &[1]).await;
    let recorded = format!("voice-{STAFF_USER}");
    assert_eq!(sent[0].file.as_deref(), Some(recorded.as_str()));
    // Listening sends it to the group; removing brings back the shipped one.
    let prompt = said[0].clone();
    let listen = staff_presses(&fake, &prompt, &data_of(&prompt, "▶"));
    let listened = push_and_wait(&fake, STAFF, 1, listen).await;
    assert_eq!(listened[0].method, "sendvoice");
    assert_eq!(listened[0].file.as_deref(), Some(recorded.as_str()));
    let remove = staff_presses(&fake, &prompt, &data_of(&prompt, "🗑"));
    push_and_wait(&fake, STAFF, 2, remove).await;
    let sent = open(&fake, 5202, &[1]).await;
    assert_ne!(
        sent[0].file.as_deref(),
        Some(format!("voice-{STAFF_USER}").as_str())
    );
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM staff_media")
        .fetch_one(&tdb.pool().await)
        .await
        .expect("a count");
    assert_eq!(left, 0);
}

/// `/media`, then the `start` section, the `safety` step and Vietnamese: the message to reply
/// to. `push` delivers an update to the bot.
async fn media_prompt(fake: &FakeTelegram, push: impl Fn(Value)) -> Sent {
    let wait_staff = |n: usize| {
        let before = fake.sent(STAFF).len();
        async move {
            fake.wait_until("the staff group hears back", WAIT, |f| {
                f.sent(STAFF).len() >= before + n
            })
            .await;
            fake.sent(STAFF).last().cloned().expect("a message")
        }
    };
    let waiting = wait_staff(1);
    push(fake.prepare(staff_command("/media")));
    let summary = waiting.await;
    assert!(summary.plain.contains("🔊"), "{}", summary.plain);
    let mut screen = summary;
    for label in ["start", "safety"] {
        let waiting = wait_staff(1);
        push(fake.prepare(staff_presses(fake, &screen, &data_of(&screen, label))));
        screen = waiting.await;
    }
    let waiting = wait_staff(1);
    push(fake.prepare(staff_presses(
        fake,
        &screen,
        &data_of(&screen, "Tiếng Việt"),
    )));
    let prompt = waiting.await;
    assert_eq!(prompt.method, "sendmessage", "a new message to reply to");
    prompt
}

on_both_backends!(
    a_step_is_sent_with_its_voice_and_picture_each_uploaded_once,
    staff_attach_listen_to_and_remove_their_own_recording,
);

/// Two instances on one PostgreSQL database: what staff record through one is what citizens
/// of the other get.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_staff_recording_reaches_citizens_of_another_instance() {
    if harness::postgres_skipped() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let content = content(dir.path());
    let staff = STAFF.to_string();
    let mut extra: Vec<(&str, &str)> = vec![
        ("STAFF_CHAT_ID", staff.as_str()),
        ("HANDOFF_WAIT_SECS", "2"),
    ];
    extra.extend(content.iter().map(|(k, v)| (*k, v.as_str())));
    let cluster =
        Cluster::start_with(2, &extra, &[FakeTelegram::group_chat(STAFF, "Cán bộ xã")]).await;
    let (first, second) = (cluster.urls[0].clone(), cluster.urls[1].clone());
    // Staff use the first instance.
    let prompt = {
        media_prompt(&cluster.fake, move |update| {
            let (url, update) = (first.clone(), update);
            let client = reqwest::Client::new();
            tokio::spawn(async move {
                let _ = client
                    .post(url)
                    .header("X-Telegram-Bot-Api-Secret-Token", harness::cluster::SECRET)
                    .json(&update)
                    .send()
                    .await;
            });
        })
        .await
    };
    // A person replies seconds later; the bot keeps the prompt just after Telegram took it.
    let pool = cluster.db.pool().await;
    count_until(&pool, "SELECT count(*) FROM media_prompts", |n| n == 1).await;
    cluster
        .deliver(
            &cluster.urls[0],
            &cluster.fake.prepare(staff_voice(prompt.message_id)),
        )
        .await;
    // A citizen of the second instance gets the staff's voice once its next sweep has read it.
    let fake = &cluster.fake;
    let deadline = std::time::Instant::now() + WAIT;
    let mut user = 5300;
    loop {
        user += 1;
        cluster
            .deliver(
                &second,
                &fake.prepare(FakeTelegram::command(user, "/start")),
            )
            .await;
        fake.wait_until("the language question", WAIT, |f| !f.sent(user).is_empty())
            .await;
        let last = fake.sent(user).last().cloned().expect("a screen");
        let update = fake.prepare(fake.callback(user, &last.buttons[0].1, last.message_id));
        cluster.deliver(&second, &update).await;
        fake.wait_until("the first step", WAIT, |f| f.sent(user).len() >= 3)
            .await;
        let voice = fake
            .sent(user)
            .into_iter()
            .find(|s| s.method == "sendvoice");
        if voice.and_then(|v| v.file) == Some(format!("voice-{STAFF_USER}")) {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{}", cluster.logs());
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
}

#[test]
fn check_refuses_a_broken_media_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let content = content(dir.path());
    let env: Vec<(&str, &str)> = content.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let ok = run(dir.path(), &["check"], "", &env);
    assert!(
        ok.status.success(),
        "{}{}",
        text(&ok.stdout),
        text(&ok.stderr)
    );
    assert!(
        text(&ok.stdout).contains("4 media files"),
        "{}",
        text(&ok.stdout)
    );

    // A text file named as a voice note, and a step naming a file that is not there.
    let media = dir.path().join("media");
    std::fs::write(media.join("hmn").join("safety.ogg"), "not a recording").expect("written");
    std::fs::remove_file(media.join("vi").join("safety.png")).expect("removed");
    let broken = run(dir.path(), &["check"], "", &env);
    let said = text(&broken.stderr);
    assert!(!broken.status.success(), "{said}");
    assert!(
        said.contains("hmn/safety.ogg: is named as an OGG/Opus voice note"),
        "{said}"
    );
    assert!(said.contains("`safety.png` is not in media/vi/"), "{said}");
    // The bot refuses to start on it, saying why.
    let started = run(dir.path(), &["chat"], "", &env);
    assert!(!started.status.success());
    assert!(
        text(&started.stderr).contains("run `dvc-onboard check`"),
        "{}",
        text(&started.stderr)
    );
}
