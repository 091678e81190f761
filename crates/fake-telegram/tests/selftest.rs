//! Proves the fake Telegram Bot API with teloxide itself: what it answers deserializes into
//! teloxide's types, and what it refuses reaches teloxide as the `ApiError` Telegram would cause.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use fake_telegram::{BOT_USERNAME, FakeTelegram, Fault, Limits, Rate};
use serde_json::{Value, json};
use teloxide::prelude::*;
use teloxide::types::{
    AllowedUpdate, BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, InputFile,
    MaybeInaccessibleMessage, MessageEntityKind, MessageId, ParseMode, ThreadId, UpdateKind,
};
use teloxide::{ApiError, RequestError};

const TOKEN: &str = "123:TEST";
const USER: i64 = 42;

async fn setup() -> (FakeTelegram, Bot) {
    let fake = FakeTelegram::start(TOKEN).await;
    let url = reqwest::Url::parse(&fake.api_url()).expect("the fake's URL parses");
    let bot = Bot::new(TOKEN).set_api_url(url);
    (fake, bot)
}

/// A fake where USER's private chat is known and flood limits are off.
async fn setup_chat() -> (FakeTelegram, Bot) {
    let (fake, bot) = setup().await;
    fake.add_chat(FakeTelegram::private_chat(USER));
    fake.set_limits(Limits::off());
    (fake, bot)
}

fn api_error<T: std::fmt::Debug>(result: Result<T, RequestError>) -> ApiError {
    match result {
        Err(RequestError::Api(e)) => e,
        other => panic!("expected RequestError::Api, got {other:?}"),
    }
}

/// Parses an update from its text, as teloxide does: `serde_json::from_value` does not work for
/// `Update` (its hand-written deserializer asks for borrowed keys and silently yields
/// `UpdateKind::Error`).
fn parse_update(update: &Value) -> Update {
    let update: Update = serde_json::from_str(&update.to_string()).expect("a teloxide Update");
    assert!(
        !matches!(update.kind, UpdateKind::Error(_)),
        "teloxide could not read {update:?}"
    );
    update
}

fn keyboard(data: &str) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([[InlineKeyboardButton::callback("Tiếp", data)]])
}

#[tokio::test]
async fn get_me_answers_the_test_bot() {
    let (fake, bot) = setup().await;
    let me = bot.get_me().await.expect("getMe");
    assert_eq!(me.username(), BOT_USERNAME);
    assert!(me.is_bot);
    assert_eq!(me.id, UserId(123));
    assert!(me.can_join_groups);
    let calls = fake.calls();
    assert_eq!(calls.len(), 1);
    assert_eq!((calls[0].method.as_str(), calls[0].status), ("getme", 200));
}

#[tokio::test]
async fn get_updates_delivers_pushed_updates_and_an_offset_confirms_them() {
    let (fake, bot) = setup().await;
    let first = fake.push_update(FakeTelegram::text(USER, "xin chào"));
    let second = fake.push_update(FakeTelegram::command(USER, "/start"));
    assert_eq!(second, first + 1);

    let updates = bot.get_updates().await.expect("getUpdates");
    assert_eq!(
        updates
            .iter()
            .map(|u| i64::from(u.id.0))
            .collect::<Vec<_>>(),
        [first, second]
    );
    // Not confirmed yet: delivered again.
    assert_eq!(
        bot.get_updates().limit(1).await.expect("getUpdates").len(),
        1
    );

    let offset = i32::try_from(second + 1).expect("small id");
    assert!(
        bot.get_updates()
            .offset(offset)
            .await
            .expect("getUpdates")
            .is_empty()
    );
    assert_eq!(fake.pending_updates(), 0);
    assert_eq!(fake.offsets(), [0, 0, second + 1]);

    // A long poll waits, and wakes as soon as an update is pushed.
    let poller = bot.clone();
    let poll = tokio::spawn(async move { poller.get_updates().offset(offset).timeout(10).await });
    tokio::time::sleep(Duration::from_millis(100)).await;
    let started = Instant::now();
    let third = fake.push_update(FakeTelegram::text(USER, "còn đây"));
    let updates = poll.await.expect("the poll task").expect("getUpdates");
    assert!(
        started.elapsed() < Duration::from_secs(1),
        "the long poll woke at once"
    );
    assert_eq!(i64::from(updates[0].id.0), third);

    // An empty long poll answers [] after its timeout.
    let started = Instant::now();
    let offset = i32::try_from(third + 1).expect("small id");
    assert!(
        bot.get_updates()
            .offset(offset)
            .timeout(1)
            .await
            .expect("getUpdates")
            .is_empty()
    );
    assert!(started.elapsed() >= Duration::from_millis(900));
}

#[tokio::test]
async fn every_update_builder_deserializes_into_the_teloxide_type_it_stands_for() {
    let (fake, bot) = setup().await;
    fake.push_update(FakeTelegram::with_language(
        FakeTelegram::text(USER, "xin chào"),
        "vi",
    ));
    fake.push_update(FakeTelegram::command(USER, "start ref42"));
    fake.push_update(FakeTelegram::sticker(USER));
    fake.push_update(FakeTelegram::photo(USER));
    fake.push_update(FakeTelegram::contact(USER, "+84901234567"));
    fake.push_update(FakeTelegram::location(USER));
    fake.push_update(FakeTelegram::voice(USER));
    fake.push_update(FakeTelegram::video(USER));
    fake.push_update(FakeTelegram::document(USER));
    fake.push_update(FakeTelegram::edited_text(USER, "sửa lại"));
    fake.push_update(FakeTelegram::group_text(-4001, USER, "nhóm"));
    fake.push_update(FakeTelegram::group_text(
        -1_002_003_004_005,
        USER,
        "siêu nhóm",
    ));
    fake.push_update(fake.my_chat_member_kicked(USER));
    fake.push_update(fake.callback(USER, "menu:home", 999));

    let updates = bot.get_updates().await.expect("getUpdates");
    assert_eq!(updates.len(), 14);
    let message = |i: usize| match &updates[i].kind {
        UpdateKind::Message(m) => m.clone(),
        other => panic!("update {i} is not a message: {other:?}"),
    };
    let text = message(0);
    assert_eq!(text.text(), Some("xin chào"));
    assert!(text.chat.is_private());
    assert_eq!(text.chat.id, ChatId(USER));
    assert_eq!(
        text.from.as_ref().and_then(|u| u.language_code.as_deref()),
        Some("vi")
    );
    let command = message(1);
    assert_eq!(command.text(), Some("/start ref42"));
    let entities = command.entities().expect("a command has entities");
    assert_eq!(
        (entities[0].kind.clone(), entities[0].length),
        (MessageEntityKind::BotCommand, 6)
    );
    assert!(message(2).sticker().is_some());
    assert_eq!(message(3).photo().map(<[_]>::len), Some(2));
    assert_eq!(
        message(4).contact().map(|c| c.phone_number.as_str()),
        Some("+84901234567")
    );
    assert!(message(5).location().is_some());
    assert!(message(6).voice().is_some());
    assert!(message(7).video().is_some());
    assert_eq!(
        message(8).document().and_then(|d| d.file_name.as_deref()),
        Some("giay-to.pdf")
    );
    match &updates[9].kind {
        UpdateKind::EditedMessage(m) => {
            assert_eq!(m.text(), Some("sửa lại"));
            assert_eq!(m.id, message(8).id, "edits the user's last message");
            assert!(m.edit_date().is_some());
        }
        other => panic!("expected an edited message, got {other:?}"),
    }
    assert!(message(10).chat.is_group());
    assert!(message(11).chat.is_supergroup());
    match &updates[12].kind {
        UpdateKind::MyChatMember(change) => {
            assert!(change.new_chat_member.kind.is_banned());
            assert_eq!(change.new_chat_member.user.id, UserId(123));
        }
        other => panic!("expected my_chat_member, got {other:?}"),
    }
    match &updates[13].kind {
        UpdateKind::CallbackQuery(q) => {
            assert_eq!(q.data.as_deref(), Some("menu:home"));
            assert!(matches!(
                q.message,
                Some(MaybeInaccessibleMessage::Inaccessible(_))
            ));
        }
        other => panic!("expected a callback query, got {other:?}"),
    }
    // Message ids run per chat.
    assert_eq!(message(0).id, MessageId(1));
    assert_eq!(message(1).id, MessageId(2));
}

#[tokio::test]
async fn send_message_with_html_and_a_keyboard_is_recorded_and_deserializes() {
    let (fake, bot) = setup_chat().await;
    let markup = InlineKeyboardMarkup::new([
        vec![InlineKeyboardButton::callback("Tiếp", "step:2")],
        vec![InlineKeyboardButton::url(
            "VNeID",
            "https://vneid.gov.vn/".parse().expect("url"),
        )],
    ]);
    let html =
        "<b>Bước 1</b>: mở <a href=\"https://vneid.gov.vn\">VNeID</a> &amp; <i>đăng nhập</i>";
    let message = bot
        .send_message(ChatId(USER), html)
        .parse_mode(ParseMode::Html)
        .reply_markup(markup)
        .await
        .expect("sendMessage");

    assert_eq!(message.text(), Some("Bước 1: mở VNeID & đăng nhập"));
    assert!(message.from.as_ref().is_some_and(|u| u.is_bot));
    let kinds: Vec<_> = message
        .entities()
        .expect("entities")
        .iter()
        .map(|e| (e.kind.clone(), e.offset, e.length))
        .collect();
    assert_eq!(kinds[0], (MessageEntityKind::Bold, 0, 6));
    assert!(
        matches!(&kinds[1].0, MessageEntityKind::TextLink { url } if url.as_str() == "https://vneid.gov.vn/")
    );
    assert_eq!(kinds[2], (MessageEntityKind::Italic, 19, 9));
    assert_eq!(
        message
            .reply_markup()
            .expect("markup")
            .inline_keyboard
            .len(),
        2
    );

    let sent = fake.sent(USER);
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].text, html);
    assert_eq!(sent[0].plain, "Bước 1: mở VNeID & đăng nhập");
    assert_eq!(sent[0].parse_mode.as_deref(), Some("HTML"));
    assert_eq!(
        sent[0].buttons,
        [
            ("Tiếp".to_owned(), "step:2".to_owned()),
            ("VNeID".to_owned(), "https://vneid.gov.vn/".to_owned())
        ]
    );

    // The user presses the button: the callback carries the message as it is now.
    let press = fake.callback(USER, "step:2", i64::from(message.id.0));
    let query = press["callback_query"]["id"]
        .as_str()
        .expect("an id")
        .to_owned();
    match parse_update(&json!({ "update_id": 1, "callback_query": press["callback_query"] })).kind {
        UpdateKind::CallbackQuery(q) => {
            assert_eq!(q.regular_message().map(|m| m.id), Some(message.id))
        }
        other => panic!("expected a callback query, got {other:?}"),
    }
    bot.answer_callback_query(query.clone().into())
        .text("Đã chọn")
        .await
        .expect("answerCallbackQuery");
    let twice = api_error(bot.answer_callback_query(query.into()).await);
    assert_eq!(twice, ApiError::InvalidQueryId);
    let long = fake.callback(USER, "x", 1)["callback_query"]["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let too_long = api_error(
        bot.answer_callback_query(long.into())
            .text("a".repeat(201))
            .await,
    );
    assert_eq!(
        too_long,
        ApiError::EditedMessageIsTooLong,
        "teloxide's name for MESSAGE_TOO_LONG"
    );

    // Edits: a new text works; the same text and markup again is "not modified".
    let edited = bot
        .edit_message_text(ChatId(USER), message.id, "<b>Bước 2</b>")
        .parse_mode(ParseMode::Html)
        .await
        .expect("editMessageText");
    assert_eq!(edited.text(), Some("Bước 2"));
    let same = bot
        .edit_message_text(ChatId(USER), message.id, "<b>Bước 2</b>")
        .parse_mode(ParseMode::Html)
        .await;
    assert_eq!(api_error(same), ApiError::MessageNotModified);
    let unknown = bot
        .edit_message_text(ChatId(USER), MessageId(9999), "x")
        .await;
    assert_eq!(api_error(unknown), ApiError::MessageToEditNotFound);
    bot.edit_message_reply_markup(ChatId(USER), message.id)
        .reply_markup(keyboard("step:3"))
        .await
        .expect("editMessageReplyMarkup");
    let sent = fake.sent(USER);
    assert_eq!(
        sent.iter().map(|s| s.method.as_str()).collect::<Vec<_>>(),
        ["sendmessage", "editmessagetext", "editmessagereplymarkup"]
    );
    assert_eq!(sent[2].buttons, [("Tiếp".to_owned(), "step:3".to_owned())]);
}

#[tokio::test]
async fn what_telegram_refuses_reaches_teloxide_as_the_same_api_error() {
    let (fake, bot) = setup_chat().await;
    let html = |text: String| {
        bot.send_message(ChatId(USER), text)
            .parse_mode(ParseMode::Html)
    };

    assert_eq!(
        api_error(bot.send_message(ChatId(USER), "").await),
        ApiError::MessageTextIsEmpty
    );
    assert_eq!(
        api_error(bot.send_message(ChatId(USER), "  \n").await),
        ApiError::MessageTextIsEmpty
    );
    assert_eq!(
        api_error(bot.send_message(ChatId(USER), "a".repeat(4097)).await),
        ApiError::MessageIsTooLong
    );
    // Characters, not bytes: 4096 Vietnamese letters (3 bytes each) pass.
    bot.send_message(ChatId(USER), "ữ".repeat(4096))
        .await
        .expect("4096 characters fit");
    // After entity parsing: "&lt;" is one character, tags are none.
    html(format!("<b>{}</b>", "&lt;".repeat(4096)))
        .await
        .expect("4096 characters after parsing fit");
    assert_eq!(
        api_error(html("&lt;".repeat(4097)).await),
        ApiError::MessageIsTooLong
    );

    let cant_parse = |e: ApiError| match e {
        ApiError::CantParseEntities(description) => description,
        other => panic!("expected CantParseEntities, got {other:?}"),
    };
    let unclosed = cant_parse(api_error(html("<b>x".into()).await));
    assert_eq!(
        unclosed,
        "Bad Request: can't parse entities: Can't find end tag corresponding to start tag \"b\""
    );
    let raw = cant_parse(api_error(html("a < b & c".into()).await));
    assert_eq!(
        raw,
        "Bad Request: can't parse entities: Unsupported start tag \"\" at byte offset 2"
    );
    assert!(cant_parse(api_error(html("Q&A".into()).await)).contains("Unescaped \"&\""));
    let misnested = cant_parse(api_error(html("<b><i>x</b></i>".into()).await));
    assert!(
        misnested.contains("Unmatched end tag at byte offset 7, expected \"</i>\", found \"</b>\""),
        "{misnested}"
    );
    assert!(
        cant_parse(api_error(html("dòng 1<br>dòng 2".into()).await))
            .contains("Unsupported start tag \"br\"")
    );
    assert!(
        cant_parse(api_error(html("<span>x</span>".into()).await))
            .contains("must have class \"tg-spoiler\"")
    );
    html(
        "<strong>a</strong><em>b</em><u>c</u><ins>d</ins><s>e</s><strike>f</strike><del>g</del>\
         <span class=\"tg-spoiler\">h</span><tg-spoiler>i</tg-spoiler><code>j</code>\
         <pre><code class=\"language-rust\">k</code></pre><blockquote expandable>l</blockquote>\
         <tg-emoji emoji-id=\"5368324170671202286\">👍</tg-emoji> &quot;&#39;&#x41;&gt;"
            .into(),
    )
    .await
    .expect("every supported tag and entity");

    let markdown = |text: &str| {
        bot.send_message(ChatId(USER), text)
            .parse_mode(ParseMode::MarkdownV2)
    };
    assert!(
        cant_parse(api_error(markdown("Xong. Cảm ơn!").await))
            .contains("Character '.' is reserved")
    );
    assert!(
        cant_parse(api_error(markdown("*đậm").await)).contains("Can't find end of Bold entity")
    );
    markdown("*Bước 1*\\. Xong\\! [VNeID](https://vneid.gov.vn) `mã`")
        .await
        .expect("escaped MarkdownV2");

    // callback_data is 1 to 64 BYTES: 22 Vietnamese letters are 66 bytes.
    let data = "ữ".repeat(22);
    assert_eq!((data.chars().count(), data.len()), (22, 66));
    let refused = bot
        .send_message(ChatId(USER), "Chọn")
        .reply_markup(keyboard(&data))
        .await;
    assert_eq!(api_error(refused), ApiError::ButtonDataInvalid);
    bot.send_message(ChatId(USER), "Chọn")
        .reply_markup(keyboard(&"x".repeat(64)))
        .await
        .expect("64 bytes fit");

    assert_eq!(
        api_error(bot.send_message(ChatId(777), "hi").await),
        ApiError::ChatNotFound
    );

    let refusals = fake.refused();
    assert_eq!(refusals.len(), 14);
    assert!(
        refusals
            .iter()
            .all(|c| c.status == 400 && c.method == "sendmessage")
    );
    assert_eq!(fake.sent(USER).len(), 5, "refused messages are not sent");
}

#[tokio::test]
async fn injected_faults_and_delays_surface_like_telegrams() {
    let (fake, bot) = setup_chat().await;

    fake.fail_next("sendMessage", 1, Fault::RetryAfter(7));
    match bot.send_message(ChatId(USER), "hi").await {
        Err(RequestError::RetryAfter(secs)) => assert_eq!(secs.seconds(), 7),
        other => panic!("expected RetryAfter, got {other:?}"),
    }
    let refused = &fake.refused()[0];
    assert_eq!(refused.status, 429);
    assert_eq!(
        refused.response,
        json!({ "ok": false, "error_code": 429, "description": "Too Many Requests: retry after 7",
            "parameters": { "retry_after": 7 } })
    );
    bot.send_message(ChatId(USER), "hi")
        .await
        .expect("only the next call failed");

    fake.fail_next(
        "sendmessage",
        1,
        Fault::Api(403, "Forbidden: bot was blocked by the user".into()),
    );
    assert_eq!(
        api_error(bot.send_message(ChatId(USER), "hi").await),
        ApiError::BotBlocked
    );

    fake.fail_next("SendMessage", 1, Fault::Drop);
    match bot.send_message(ChatId(USER), "hi").await {
        Err(RequestError::Network(_)) => {}
        other => panic!("expected a network error, got {other:?}"),
    }
    assert_eq!(fake.calls().last().map(|c| c.status), Some(0));

    // 5xx: checked without teloxide, which sleeps 10 s before reading any 5xx answer.
    fake.fail_next("getMe", 1, Fault::Status(502));
    let response = reqwest::Client::new()
        .post(format!("{}bot{TOKEN}/getMe", fake.api_url()))
        .send()
        .await
        .expect("a POST to the fake");
    assert_eq!(response.status().as_u16(), 502);
    let body: Value = response.json().await.expect("a JSON body");
    assert_eq!(
        body,
        json!({ "ok": false, "error_code": 502, "description": "Bad Gateway" })
    );

    fake.delay("getMe", Duration::from_millis(300));
    let started = Instant::now();
    bot.get_me().await.expect("getMe");
    assert!(started.elapsed() >= Duration::from_millis(300));
    fake.delay("getMe", Duration::ZERO);
}

#[tokio::test]
async fn flood_limits_refuse_a_burst_to_one_chat_and_not_when_off() {
    let (fake, bot) = setup().await;
    fake.add_chat(FakeTelegram::private_chat(USER));
    fake.add_chat(FakeTelegram::private_chat(USER + 1));
    fake.add_chat(FakeTelegram::group_chat(-4001, "Nhóm"));

    // On by default: a burst of 3 to a private chat, then about one a second.
    for i in 0..3 {
        bot.send_message(ChatId(USER), format!("{i}"))
            .await
            .expect("within the burst");
    }
    match bot.send_message(ChatId(USER), "3").await {
        Err(RequestError::RetryAfter(secs)) => assert_eq!(secs.seconds(), 1),
        other => panic!("expected RetryAfter, got {other:?}"),
    }
    bot.send_message(ChatId(USER + 1), "other chat")
        .await
        .expect("limits are per chat");
    // 20 a minute in a group.
    for i in 0..20 {
        bot.send_message(ChatId(-4001), format!("{i}"))
            .await
            .expect("20 fit");
    }
    match bot.send_message(ChatId(-4001), "21").await {
        Err(RequestError::RetryAfter(secs)) => assert_eq!(secs.seconds(), 3),
        other => panic!("expected RetryAfter, got {other:?}"),
    }

    // Tiny windows for tests that wait out a limit.
    fake.set_limits(Limits {
        private: Some(Rate::new(1, Duration::from_millis(50))),
        ..Limits::off()
    });
    bot.send_message(ChatId(USER), "a").await.expect("first");
    assert!(matches!(
        bot.send_message(ChatId(USER), "b").await,
        Err(RequestError::RetryAfter(_))
    ));
    tokio::time::sleep(Duration::from_millis(60)).await;
    bot.send_message(ChatId(USER), "c")
        .await
        .expect("after the window");

    fake.set_limits(Limits::off());
    for i in 0..40 {
        bot.send_message(ChatId(USER), format!("{i}"))
            .await
            .expect("no limit");
    }
}

#[tokio::test]
async fn a_webhook_is_recorded_and_an_update_posted_like_telegram_reaches_the_receiver() {
    let (fake, bot) = setup().await;
    let secret = "s3cr3t-_X";
    let public = reqwest::Url::parse("https://bot.example.vn/telegram/hook").expect("url");
    bot.set_webhook(public.clone())
        .secret_token(secret)
        .max_connections(10)
        .await
        .expect("setWebhook (teloxide sends it as multipart)");
    assert_eq!(
        fake.webhook(),
        Some((public.to_string(), Some(secret.to_owned())))
    );
    let info = bot.get_webhook_info().await.expect("getWebhookInfo");
    assert_eq!(info.url, Some(public));
    assert_eq!(info.max_connections, Some(10));
    assert!(
        api_error(bot.get_updates().await)
            .to_string()
            .contains("webhook is active")
    );

    let plain_http = reqwest::Url::parse("http://127.0.0.1:8080/hook").expect("url");
    assert_eq!(
        api_error(bot.set_webhook(plain_http).await),
        ApiError::WebhookRequireHttps
    );
    let odd_port = reqwest::Url::parse("https://bot.example.vn:8080/hook").expect("url");
    assert_eq!(
        api_error(bot.set_webhook(odd_port).await),
        ApiError::BadWebhookPort
    );

    // A tiny receiver standing in for the bot's webhook listener.
    // (secret header, body) of each POST the receiver got.
    type Seen = Arc<Mutex<Vec<(Option<String>, Value)>>>;
    let seen: Seen = Arc::default();
    let record = seen.clone();
    let receiver = axum::Router::new().route(
        "/hook",
        axum::routing::post(
            move |headers: axum::http::HeaderMap, axum::Json(update): axum::Json<Value>| {
                let record = record.clone();
                async move {
                    let secret = headers
                        .get("X-Telegram-Bot-Api-Secret-Token")
                        .and_then(|v| v.to_str().ok())
                        .map(str::to_owned);
                    let status = if secret.as_deref() == Some("s3cr3t-_X") {
                        200
                    } else {
                        401
                    };
                    record.lock().expect("lock").push((secret, update));
                    axum::http::StatusCode::from_u16(status).expect("status")
                }
            },
        ),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let hook = format!("http://{}/hook", listener.local_addr().expect("addr"));
    tokio::spawn(async move { axum::serve(listener, receiver).await.expect("receiver") });

    let update = fake.prepare(FakeTelegram::text(USER, "qua webhook"));
    assert_eq!(
        FakeTelegram::post_webhook(&hook, Some(secret), &update).await,
        200
    );
    assert_eq!(FakeTelegram::post_webhook(&hook, None, &update).await, 401);
    let seen = seen.lock().expect("lock").clone();
    assert_eq!(seen[0].0.as_deref(), Some(secret));
    assert!(
        matches!(parse_update(&seen[0].1).kind, UpdateKind::Message(ref m) if m.text() == Some("qua webhook"))
    );

    bot.delete_webhook().await.expect("deleteWebhook");
    assert_eq!(fake.webhook(), None);
    bot.get_updates().await.expect("getUpdates works again");
}

#[tokio::test]
async fn commands_topics_copies_files_and_chat_lookups_work() {
    let (fake, bot) = setup_chat().await;

    bot.set_my_commands([
        BotCommand::new("start", "Bắt đầu"),
        BotCommand::new("help", "Trợ giúp"),
    ])
    .language_code("vi")
    .await
    .expect("setMyCommands");
    assert_eq!(
        fake.commands("vi"),
        [
            ("start".into(), "Bắt đầu".into()),
            ("help".into(), "Trợ giúp".into())
        ]
    );
    assert_eq!(
        bot.get_my_commands()
            .language_code("vi")
            .await
            .expect("getMyCommands")
            .len(),
        2
    );
    let upper = bot.set_my_commands([BotCommand::new("Start", "x")]).await;
    assert_eq!(
        api_error(upper).to_string(),
        "Unknown error: \"Bad Request: BOT_COMMAND_INVALID\""
    );
    let hmong = bot
        .set_my_commands([BotCommand::new("start", "Pib")])
        .language_code("hmn")
        .await;
    assert!(
        api_error(hmong)
            .to_string()
            .contains("invalid language code")
    );

    let forum = -1_009_000_000_001;
    fake.add_chat(FakeTelegram::forum_chat(forum, "Cán bộ"));
    let topic = bot
        .create_forum_topic(ChatId(forum), "Hồ sơ #12")
        .await
        .expect("createForumTopic");
    assert_eq!(topic.name, "Hồ sơ #12");
    let in_topic = bot
        .send_message(ChatId(forum), "Mở hồ sơ")
        .message_thread_id(topic.thread_id)
        .await
        .expect("a message in the topic");
    assert_eq!(in_topic.thread_id, Some(topic.thread_id));
    assert_eq!(
        fake.sent(forum)[0].thread_id,
        Some(i64::from(topic.thread_id.0.0))
    );
    bot.close_forum_topic(ChatId(forum), topic.thread_id)
        .await
        .expect("closeForumTopic");
    let closed = bot
        .send_message(ChatId(forum), "x")
        .message_thread_id(topic.thread_id)
        .await;
    assert!(api_error(closed).to_string().contains("TOPIC_CLOSED"));
    let nowhere = bot
        .send_message(ChatId(forum), "x")
        .message_thread_id(ThreadId(MessageId(4242)))
        .await;
    assert!(
        api_error(nowhere)
            .to_string()
            .contains("message thread not found")
    );
    assert!(
        api_error(bot.create_forum_topic(ChatId(USER), "x").await)
            .to_string()
            .contains("not a forum")
    );
    assert!(
        api_error(bot.create_forum_topic(ChatId(forum), "x".repeat(129)).await)
            .to_string()
            .contains("TOPIC_NAME_INVALID")
    );

    let original = bot
        .send_message(ChatId(USER), "Hồ sơ của bạn")
        .await
        .expect("sendMessage");
    let copy = bot
        .copy_message(ChatId(forum), ChatId(USER), original.id)
        .await
        .expect("copyMessage");
    assert_eq!(
        fake.sent(forum)
            .last()
            .map(|s| (s.message_id, s.plain.clone())),
        Some((i64::from(copy.0), "Hồ sơ của bạn".into()))
    );
    assert_eq!(
        api_error(
            bot.copy_message(ChatId(forum), ChatId(USER), MessageId(999))
                .await
        ),
        ApiError::MessageToCopyNotFound
    );

    let pdf = InputFile::memory(&b"%PDF-1.4 fake"[..]).file_name("huong-dan.pdf");
    let document = bot
        .send_document(ChatId(USER), pdf)
        .caption("Hướng dẫn")
        .await
        .expect("sendDocument (multipart)");
    assert_eq!(document.caption(), Some("Hướng dẫn"));
    assert_eq!(
        document.document().and_then(|d| d.file_name.as_deref()),
        Some("huong-dan.pdf")
    );
    let call = fake.calls_of("sendDocument").pop().expect("recorded");
    assert_eq!(call.params["caption"], "Hướng dẫn");
    assert_eq!(call.params["chat_id"], USER.to_string());
    let long = bot
        .send_document(ChatId(USER), InputFile::file_id("abc".into()))
        .caption("c".repeat(1025))
        .await;
    assert!(api_error(long).to_string().contains("caption is too long"));
    // A file id Telegram never gave is refused; one of a file a user sent, or of an upload,
    // goes, and keeps its id.
    let unknown = bot
        .send_photo(ChatId(USER), InputFile::file_id("photo-1".into()))
        .await;
    assert!(
        api_error(unknown)
            .to_string()
            .contains("wrong file identifier")
    );
    fake.push_update(FakeTelegram::photo(USER));
    let photo_id = format!("photo-x-{USER}");
    bot.send_photo(ChatId(USER), InputFile::file_id(photo_id.clone().into()))
        .await
        .expect("sendPhoto by a known id");
    assert_eq!(
        fake.sent(USER).last().and_then(|s| s.file.clone()),
        Some(photo_id)
    );
    let voice = bot
        .send_voice(
            ChatId(USER),
            InputFile::memory(vec![1u8; 300]).file_name("a.ogg"),
        )
        .await
        .expect("sendVoice");
    let uploaded = voice.voice().map(|v| v.file.id.0.clone());
    let uploads = fake.uploads();
    assert_eq!(
        uploads
            .last()
            .map(|u| (u.kind.as_str(), u.name.as_str(), u.bytes)),
        Some(("voice", "a.ogg", 300))
    );
    assert_eq!(uploaded, uploads.last().map(|u| u.file_id.clone()));
    bot.send_voice(
        ChatId(USER),
        InputFile::file_id(uploaded.unwrap_or_default().into()),
    )
    .await
    .expect("sendVoice by the id it got");
    assert_eq!(
        fake.uploads().len(),
        uploads.len(),
        "no upload the second time"
    );

    bot.send_chat_action(ChatId(USER), teloxide::types::ChatAction::Typing)
        .await
        .expect("sendChatAction");
    let chat = bot.get_chat(ChatId(USER)).await.expect("getChat");
    assert!(chat.is_private());
    let forum_info = bot
        .get_chat(ChatId(forum))
        .await
        .expect("getChat of a forum");
    assert!(forum_info.is_supergroup());
    fake.push_update(FakeTelegram::text(USER, "hi"));
    let member = bot
        .get_chat_member(ChatId(USER), UserId(USER as u64))
        .await
        .expect("getChatMember");
    assert!(member.is_present());
    let me = bot
        .get_chat_member(ChatId(forum), UserId(123))
        .await
        .expect("the bot's own membership");
    assert!(me.is_privileged());
    bot.delete_message(ChatId(USER), original.id)
        .await
        .expect("deleteMessage");
    assert_eq!(
        api_error(bot.delete_message(ChatId(USER), original.id).await),
        ApiError::MessageToDeleteNotFound
    );
    bot.pin_chat_message(ChatId(USER), document.id)
        .await
        .expect("a method the fake does not model answers true");
}

#[tokio::test]
async fn tokens_method_names_and_encodings_are_handled_like_telegram() {
    let (fake, _) = setup_chat().await;
    let wrong =
        Bot::new("999:WRONG").set_api_url(reqwest::Url::parse(&fake.api_url()).expect("url"));
    assert_eq!(api_error(wrong.get_me().await), ApiError::InvalidToken);
    assert_eq!(fake.refused()[0].status, 401);

    let client = reqwest::Client::new();
    let url = |method: &str| format!("{}bot{TOKEN}/{method}", fake.api_url());
    let unknown = client
        .post(url("sendTelepathy"))
        .send()
        .await
        .expect("POST");
    assert_eq!(unknown.status().as_u16(), 404);
    assert_eq!(
        unknown.json::<Value>().await.expect("json"),
        json!({ "ok": false, "error_code": 404, "description": "Not Found" })
    );

    // Form-encoded, with reply_markup as a JSON string, and any casing of the method name.
    let markup = r#"{"inline_keyboard":[[{"text":"Có","callback_data":"yes"}]]}"#;
    let form = client
        .post(url("SENDMESSAGE"))
        .form(&[
            ("chat_id", USER.to_string().as_str()),
            ("text", "qua form"),
            ("reply_markup", markup),
        ])
        .send()
        .await
        .expect("POST");
    assert_eq!(form.status().as_u16(), 200);
    let query = client
        .get(format!(
            "{}?chat_id={USER}&text=qua%20query",
            url("sendMessage")
        ))
        .send()
        .await
        .expect("GET");
    assert_eq!(query.status().as_u16(), 200);
    let bad_json = client
        .post(url("sendMessage"))
        .header("content-type", "application/json")
        .body("{")
        .send()
        .await
        .expect("POST");
    assert_eq!(bad_json.status().as_u16(), 400);
    let sent = fake.sent(USER);
    assert_eq!(
        (sent[0].plain.as_str(), sent[0].buttons.clone()),
        ("qua form", vec![("Có".to_owned(), "yes".to_owned())])
    );
    assert_eq!(sent[1].plain, "qua query");
}

#[tokio::test]
async fn updates_are_redelivered_filtered_and_a_second_poller_conflicts() {
    let (fake, bot) = setup().await;
    let id = fake.push_update(FakeTelegram::text(USER, "một lần"));
    let next = i32::try_from(id + 1).expect("small id");
    assert_eq!(bot.get_updates().await.expect("getUpdates").len(), 1);
    assert!(
        bot.get_updates()
            .offset(next)
            .await
            .expect("confirm")
            .is_empty()
    );

    // Telegram delivers at least once: the same update_id can come again, once.
    let mut again = FakeTelegram::text(USER, "một lần");
    again["update_id"] = json!(id);
    fake.push_raw_update(again);
    let redelivered = bot.get_updates().offset(next).await.expect("getUpdates");
    assert_eq!(
        redelivered
            .iter()
            .map(|u| i64::from(u.id.0))
            .collect::<Vec<_>>(),
        [id]
    );
    assert!(
        bot.get_updates()
            .offset(next)
            .await
            .expect("confirmed")
            .is_empty()
    );

    // allowed_updates: what the bot did not ask for is never delivered.
    fake.push_update(fake.callback(USER, "x", 1));
    let text = fake.push_update(FakeTelegram::text(USER, "chữ"));
    let only_messages = bot
        .get_updates()
        .allowed_updates([AllowedUpdate::Message])
        .await
        .expect("getUpdates");
    assert_eq!(
        only_messages
            .iter()
            .map(|u| i64::from(u.id.0))
            .collect::<Vec<_>>(),
        [text]
    );

    // A user who blocked the bot cannot be written to until they write again.
    fake.push_update(fake.my_chat_member_kicked(USER));
    assert_eq!(
        api_error(bot.send_message(ChatId(USER), "hi").await),
        ApiError::BotBlocked
    );
    fake.push_update(FakeTelegram::text(USER, "mình quay lại"));
    bot.send_message(ChatId(USER), "hi")
        .await
        .expect("unblocked");

    // Two bot instances polling: the older long poll is terminated with 409.
    let older = bot.clone();
    let first = tokio::spawn(async move { older.get_updates().offset(i32::MAX).timeout(5).await });
    tokio::time::sleep(Duration::from_millis(100)).await;
    let second = bot.get_updates().offset(i32::MAX).timeout(0).await;
    assert!(second.expect("the newer poll").is_empty());
    assert_eq!(
        api_error(first.await.expect("task")),
        ApiError::TerminatedByOtherGetUpdates
    );
}

#[tokio::test]
#[should_panic(expected = "waiting until the bot answers")]
async fn wait_until_panics_with_what_it_waited_for() {
    let (fake, bot) = setup_chat().await;
    bot.send_message(ChatId(USER), "hi")
        .await
        .expect("sendMessage");
    fake.wait_until("the bot answers twice", Duration::from_millis(50), |f| {
        f.sent(USER).len() == 2
    })
    .await;
}
