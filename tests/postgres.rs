//! Several bot instances on one PostgreSQL database, fed by webhook deliveries split between
//! them, duplicated and interleaved, as a province would run the bot behind one address.

mod cluster;
mod common;
mod fake_telegram;

use cluster::{Cluster, portal_walk};
use common::postgres_skipped;
use fake_telegram::FakeTelegram;
use std::sync::Arc;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_share_the_work_and_every_session_is_whole() {
    if postgres_skipped() {
        return;
    }
    let cluster = Arc::new(Cluster::start(2).await);
    let (presses, expected) = portal_walk();
    let citizens: Vec<i64> = (0..16).map(|i| 7000 + i).collect();
    let mut walks = tokio::task::JoinSet::new();
    for &user in &citizens {
        let (cluster, presses) = (cluster.clone(), presses.clone());
        walks.spawn(async move { cluster.walk(user, &presses).await });
    }
    while let Some(done) = walks.join_next().await {
        done.expect("a citizen's walk");
    }

    assert!(
        cluster.fake.refused().is_empty(),
        "Telegram refused something:\n{}",
        cluster.fake.dump()
    );
    // Every update was handled once, whichever instance got it first: one session per
    // citizen, each with exactly the walk's events, in order.
    let sessions = cluster.sessions().await;
    assert_eq!(sessions.len(), citizens.len(), "{}", cluster.logs());
    let distinct: std::collections::HashSet<&String> = sessions.iter().map(|s| &s.0).collect();
    assert_eq!(distinct.len(), citizens.len(), "one pseudonym per citizen");
    for (_, outcome, events) in &sessions {
        assert_eq!(outcome.as_deref(), Some("portal_login"));
        assert_eq!(events, &expected);
    }
    // Each button press answered once (a second answer to one callback would be refused).
    assert_eq!(
        cluster.fake.calls_of("answerCallbackQuery").len(),
        citizens.len() * (presses.len() + 1)
    );
    // The work was shared: both instances handled updates.
    for bot in &cluster.bots {
        assert!(bot.log().contains("handled"), "{}", cluster.logs());
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_messages_of_one_chat_at_two_instances_at_once_both_count() {
    if postgres_skipped() {
        return;
    }
    let cluster = Cluster::start(2).await;
    let (presses, _) = portal_walk();
    let user = 7100;
    cluster
        .send(user, 1, FakeTelegram::command(user, "/start"))
        .await;
    cluster.press(user, 2, 2).await; // Lus Hmoob: the session starts
    cluster.press(user, 4, presses[0]).await;
    // Two texts typed in quick succession reach the two instances at the same moment.
    for round in 0..5 {
        let before = cluster.fake.sent(user).len();
        let a = cluster.fake.prepare(FakeTelegram::text(user, "abc"));
        let b = cluster.fake.prepare(FakeTelegram::text(user, "xyz"));
        tokio::join!(
            cluster.deliver(&cluster.urls[0], &a),
            cluster.deliver(&cluster.urls[1], &b)
        );
        cluster
            .fake
            .wait_until("both texts are answered", cluster::WAIT, |f| {
                // A hint and the screen each; replies go out after the webhook's 200.
                let sent = f.sent(user);
                sent.len() >= before + 4 && sent.last().is_some_and(|s| !s.buttons.is_empty())
            })
            .await;
        let sessions = cluster.sessions().await;
        let typed = sessions[0]
            .2
            .iter()
            .filter(|(kind, _)| kind == "text_typed")
            .count();
        assert_eq!(
            typed,
            2 * (round + 1),
            "no message lost:\n{}",
            cluster.logs()
        );
    }
    // The dialogue is intact: the rest of the walk goes on from where it was.
    for (i, &n) in presses[1..].iter().enumerate() {
        cluster.press(user, i + 5, n).await;
    }
    let sessions = cluster.sessions().await;
    assert_eq!(sessions.len(), 1);
    assert_eq!(sessions[0].1.as_deref(), Some("portal_login"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_double_tap_reaching_two_instances_moves_one_step() {
    if postgres_skipped() {
        return;
    }
    let cluster = Cluster::start(2).await;
    let (presses, expected) = portal_walk();
    let user = 7200;
    cluster
        .send(user, 1, FakeTelegram::command(user, "/start"))
        .await;
    cluster.press(user, 2, 2).await; // Lus Hmoob (a language button from an old screen
    // changes the language, so it is not double-tapped here)
    // Every button is pressed twice in a row (two updates, two callback ids), and the two
    // presses reach the two instances at the same moment. One of them moves the guide on; the
    // other, served after it, is a press on the screen before and only shows where the citizen
    // is. Without the per-citizen lock both would read the same state and both move on.
    for &n in &presses {
        let last = cluster.fake.sent(user).last().cloned().expect("a screen");
        let (_, data) = last.buttons[n - 1].clone();
        let before = cluster.fake.sent(user).len();
        let a = cluster
            .fake
            .prepare(cluster.fake.callback(user, &data, last.message_id));
        let b = cluster
            .fake
            .prepare(cluster.fake.callback(user, &data, last.message_id));
        tokio::join!(
            cluster.deliver(&cluster.urls[0], &a),
            cluster.deliver(&cluster.urls[1], &b)
        );
        cluster
            .fake
            .wait_until("both presses are answered", cluster::WAIT, |f| {
                // The next screen, then "an old button" and the screen again; replies go out
                // after the webhook's 200.
                let sent = f.sent(user);
                sent.len() >= before + 3 && sent.last().is_some_and(|s| !s.buttons.is_empty())
            })
            .await;
    }
    let sessions = cluster.sessions().await;
    assert_eq!(sessions.len(), 1, "{}", cluster.logs());
    assert_eq!(sessions[0].1.as_deref(), Some("portal_login"));
    assert_eq!(sessions[0].2, expected, "each step once, in order");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_case_opened_at_one_instance_is_answered_through_the_other() {
    if postgres_skipped() {
        return;
    }
    const STAFF: i64 = -1_001_234_567_890;
    let staff = STAFF.to_string();
    let cluster = Cluster::start_with(
        2,
        &[
            ("STAFF_CHAT_ID", staff.as_str()),
            ("HANDOFF_WAIT_SECS", "600"),
        ],
        &[FakeTelegram::forum_chat(STAFF, "Cán bộ xã")],
    )
    .await;
    let user = 7400;
    cluster
        .send(user, 1, FakeTelegram::command(user, "/start"))
        .await;
    cluster.press(user, 1, 2).await; // Lus Hmoob
    cluster.press(user, 1, 1).await; // understood
    cluster.press(user, 1, 1).await; // the first commune
    let last = cluster.fake.sent(user).last().cloned().expect("a screen");
    let ask = last.buttons.len(); // "ask staff" is the last button
    cluster.press(user, 1, ask).await; // to instance 1: (user + turn) % 2
    cluster
        .fake
        .wait_until("the case's card", cluster::WAIT, |f| {
            !f.sent(STAFF).is_empty()
        })
        .await;
    // Both instances sweep for cases to post; the case is posted once all the same.
    tokio::time::sleep(std::time::Duration::from_secs(3)).await;
    assert_eq!(
        cluster.fake.calls_of("createForumTopic").len(),
        1,
        "{}",
        cluster.logs()
    );
    let thread = cluster.fake.sent(STAFF)[0]
        .thread_id
        .expect("the card is in the case's topic");

    // Staff answer in the topic; Telegram hands it to the other instance.
    let before = cluster.fake.sent(user).len();
    let answer = cluster.fake.prepare(serde_json::json!({ "message": {
        "date": 1_790_000_000,
        "chat": FakeTelegram::forum_chat(STAFF, "Cán bộ xã"),
        "from": { "id": 9001, "is_bot": false, "first_name": "Lan" },
        "text": "Koj puas muaj xov tooj?",
        "message_thread_id": thread,
        "is_topic_message": true,
    }}));
    cluster.deliver(&cluster.urls[0], &answer).await;
    cluster
        .fake
        .wait_until("the answer reaches the citizen", cluster::WAIT, |f| {
            f.sent(user).len() > before
        })
        .await;
    let copies = cluster.fake.calls_of("copyMessage");
    assert!(
        copies
            .iter()
            .any(|c| c.params["chat_id"].as_i64() == Some(user)),
        "{}",
        cluster.fake.dump()
    );
}

/// PostgreSQL over TLS: `sslmode=require` encrypts the connection (the server says so), and
/// `sslmode=verify-full` refuses a server whose certificate no authority vouches for (here the
/// server's own self-signed one), rather than talking to it unchecked.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_store_speaks_tls_to_postgresql_and_checks_the_certificate_when_asked() {
    if postgres_skipped() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let db = common::TestDb::new(common::POSTGRES, dir.path());
    let pool = db.pool().await;
    let server_ssl: String = sqlx::query_scalar("SHOW ssl")
        .fetch_one(&pool)
        .await
        .expect("the server's ssl setting");
    assert_eq!(
        server_ssl, "on",
        "this test needs a server with ssl = on (Debian's packages turn it on, with a \
         self-signed certificate)"
    );
    let store = dvc_onboard::store::Store::connect(&format!("{}?sslmode=require", db.url))
        .await
        .expect("a TLS connection");
    let encrypted: bool =
        sqlx::query_scalar("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")
            .fetch_one(store.pool())
            .await
            .expect("the connection's TLS state");
    assert!(encrypted, "sslmode=require gave a connection in clear");
    let verified =
        dvc_onboard::store::Store::connect(&format!("{}?sslmode=verify-full", db.url)).await;
    let Err(refused) = verified else {
        panic!("a certificate no authority vouches for was accepted");
    };
    let said = format!("{refused:#}").to_lowercase();
    assert!(
        said.contains("certificate") || said.contains("tls"),
        "refused for its certificate: {said}"
    );
}
