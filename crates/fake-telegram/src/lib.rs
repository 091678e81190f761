//! A fake Telegram Bot API server for the integration tests.
//!
//! Why it exists: tests cannot reach api.telegram.org, and a mock that answers `ok` to everything
//! hides exactly the bugs that break a bot in production (a 4097-character answer, an unescaped
//! `<` in a translated string, a 65-byte callback_data, a 429 on a busy Monday). So this server
//! answers the way the Bot API does as teloxide calls it, refuses what Telegram refuses with
//! Telegram's own descriptions (teloxide maps those strings to its `ApiError` variants), and rate
//! limits like Telegram by default.
//!
//! ```ignore
//! let fake = FakeTelegram::start("123:TEST").await;
//! let bot = Bot::new("123:TEST").set_api_url(fake.api_url().parse().unwrap());
//! fake.push_update(FakeTelegram::command(42, "/start"));
//! fake.wait_until("the bot greets", Duration::from_secs(5), |f| !f.sent(42).is_empty()).await;
//! ```
//!
//! Protocol: `POST /bot<TOKEN>/<method>` with a JSON, form-urlencoded or multipart body (teloxide
//! sends JSON, and multipart for every method that may carry a file: sendPhoto, sendDocument and
//! also setWebhook) plus query parameters. Method names are case-insensitive, as on Telegram.
//! Answers are `{"ok":true,"result":...}` or `{"ok":false,"error_code":N,"description":...}`
//! with the HTTP status N.

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, LazyLock, Mutex, MutexGuard};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Form, FromRequest, Multipart, Query, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Map, Value, json};
use tokio::sync::Notify;

/// The username getMe reports.
pub const BOT_USERNAME: &str = "dvc_onboard_test_bot";

/// One request as the fake answered it.
#[derive(Clone, Debug)]
pub struct Call {
    /// Lower-cased method name (`sendmessage`), whatever casing the client used.
    pub method: String,
    /// Parameters merged from the query string and the body. Form and multipart values are
    /// strings, as they came; a multipart file part shows as `"<file NAME, N bytes>"`.
    pub params: Value,
    /// HTTP status of the answer; 0 when the fake dropped the connection (`Fault::Drop`).
    pub status: u16,
    /// The JSON body answered (Null for a dropped connection).
    pub response: Value,
    /// When the request arrived (to check that a client waited `retry_after`).
    pub at: Instant,
}

/// A message as the user sees it in a chat: every successful sendMessage, sendPhoto,
/// sendDocument, copyMessage, editMessageText and editMessageReplyMarkup, in order.
#[derive(Clone, Debug, PartialEq)]
pub struct Sent {
    /// Lower-cased method that produced it, to tell new messages from edits.
    pub method: String,
    pub message_id: i64,
    /// The text (or caption) as the bot sent it, markup included (`<b>Hi</b>`).
    pub text: String,
    /// The same after entity parsing: what the user reads (`Hi`).
    pub plain: String,
    /// Inline buttons, row after row: (label, callback_data, or the url for a url button).
    pub buttons: Vec<(String, String)>,
    pub parse_mode: Option<String>,
    pub thread_id: Option<i64>,
    /// The file id of a photo (its largest size), voice note or document sent.
    pub file: Option<String>,
}

/// A file the bot uploaded (not sent by file id).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Upload {
    /// `photo`, `voice` or `document`.
    pub kind: String,
    pub name: String,
    pub bytes: usize,
    /// The file id the fake gave it.
    pub file_id: String,
}

/// What `subscribe_sent` receives: a message as it was recorded, with its chat and the time.
#[derive(Clone, Debug)]
pub struct SentNotice {
    pub chat_id: i64,
    /// When the fake recorded it (before answering the request).
    pub at: Instant,
    pub sent: Sent,
}

/// What the next call(s) of a method get instead of a normal answer (`fail_next`).
#[derive(Clone, Debug)]
pub enum Fault {
    /// 429 `Too Many Requests: retry after N` with `parameters.retry_after` = N seconds:
    /// teloxide surfaces it as `RequestError::RetryAfter(N)`.
    RetryAfter(u32),
    /// An HTTP error status with a Telegram-shaped body (500 `Internal Server Error`, 502
    /// `Bad Gateway`, ...). Beware: teloxide sleeps 10 s before reading any 5xx answer.
    Status(u16),
    /// Any error_code and description, e.g. `Fault::Api(403, "Forbidden: bot was blocked by the user".into())`.
    Api(u16, String),
    /// The connection closes before a complete answer: teloxide gets `RequestError::Network`.
    Drop,
    /// The call is carried out, but its answer is one teloxide cannot read (`message_id` a
    /// string, as if Telegram had changed a field's shape): `RequestError::InvalidJson`, whose
    /// text quotes the whole answer.
    Unreadable,
}

/// A token bucket: `burst` messages at once, then one more every `every`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rate {
    pub burst: u32,
    pub every: Duration,
}

impl Rate {
    pub fn new(burst: u32, every: Duration) -> Rate {
        Rate { burst, every }
    }
}

/// Telegram's flood limits, applied to sendMessage, sendPhoto, sendDocument and copyMessage
/// (not to edits, nor sendChatAction). `None` turns one off.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limits {
    /// Per private chat (chat id > 0): "about 1 message a second, short bursts tolerated".
    pub private: Option<Rate>,
    /// Per group or channel (chat id < 0): "about 20 a minute".
    pub group: Option<Rate>,
    /// All chats together: "about 30 a second".
    pub global: Option<Rate>,
    /// The `retry_after` to answer; `None` computes it like Telegram (seconds until the bucket
    /// has a message again, rounded up, at least 1).
    pub retry_after: Option<u32>,
}

impl Limits {
    /// On by default, because that is what the bot meets in production.
    pub fn telegram() -> Limits {
        Limits {
            private: Some(Rate::new(3, Duration::from_secs(1))),
            group: Some(Rate::new(20, Duration::from_secs(3))),
            global: Some(Rate::new(30, Duration::from_millis(34))),
            retry_after: None,
        }
    }

    /// No flood limit at all, for load tests.
    pub fn off() -> Limits {
        Limits {
            private: None,
            group: None,
            global: None,
            retry_after: None,
        }
    }
}

impl Default for Limits {
    fn default() -> Limits {
        Limits::telegram()
    }
}

/// What the bot may do in a group (`set_bot_rights`). By default it is an administrator with
/// every right, in every group.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BotRights {
    /// An administrator; otherwise a plain member.
    pub admin: bool,
    /// May create, close and edit topics (an administrator right).
    pub manage_topics: bool,
    /// May send photos (also copies of photos).
    pub send_photos: bool,
    /// May send documents (files).
    pub send_documents: bool,
}

impl BotRights {
    pub fn all() -> BotRights {
        BotRights {
            admin: true,
            manage_topics: true,
            send_photos: true,
            send_documents: true,
        }
    }
}

/// The handle a test holds. Cheap to clone (an `Arc` inside); the server lives as long as the
/// test's tokio runtime.
#[derive(Clone)]
pub struct FakeTelegram {
    inner: Arc<Inner>,
}

struct Inner {
    token: String,
    addr: std::net::SocketAddr,
    world: Mutex<World>,
    /// Wakes long-polling getUpdates calls when an update is pushed or another poll starts.
    changed: Notify,
}

impl FakeTelegram {
    /// Starts the server on 127.0.0.1 with a free port. The token's numeric prefix is the bot's
    /// user id, as with real tokens.
    pub async fn start(token: &str) -> FakeTelegram {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the fake Telegram server on loopback");
        let addr = listener.local_addr().expect("the fake Telegram's address");
        let bot_id = token
            .split(':')
            .next()
            .and_then(|id| id.parse().ok())
            .unwrap_or(1);
        let fake = FakeTelegram {
            inner: Arc::new(Inner {
                token: token.to_owned(),
                addr,
                world: Mutex::new(World::new(bot_id)),
                changed: Notify::new(),
            }),
        };
        let app = Router::new().fallback(handle).with_state(fake.clone());
        tokio::spawn(async move {
            axum::serve(listener, app)
                .await
                .expect("the fake Telegram server stopped");
        });
        fake
    }

    /// What `Bot::set_api_url` (or TELEGRAM_API_URL) gets; teloxide appends `bot<token>/<Method>`.
    pub fn api_url(&self) -> String {
        format!("http://{}/", self.inner.addr)
    }

    pub fn bot_id(&self) -> i64 {
        self.world().bot_id
    }

    // ----- updates -------------------------------------------------------------------------

    /// Queues an update for getUpdates. Sets `update_id` when absent (increasing), and the
    /// `message_id` and `date` of its message when absent; registers its chat and users as
    /// known. Returns the update_id.
    pub fn push_update(&self, update: Value) -> i64 {
        let id = {
            let mut w = self.world();
            let update = w.stamp(update);
            let queued = Queued::new(&update, false);
            let id = queued.id;
            w.queue.push_back(queued);
            id
        };
        self.inner.changed.notify_waiters();
        id
    }

    /// Queues an update with the update_id it already has, delivered once even if the bot has
    /// confirmed that id: Telegram's at-least-once delivery (a retry after a timeout, a restart
    /// before the offset was confirmed). For duplicate-delivery tests.
    pub fn push_raw_update(&self, update: Value) {
        assert!(
            update.get("update_id").is_some(),
            "push_raw_update needs an update_id"
        );
        {
            let mut w = self.world();
            let update = w.stamp(update);
            w.queue.push_back(Queued::new(&update, true));
        }
        self.inner.changed.notify_waiters();
    }

    /// Stamps an update like `push_update` (ids, date, known chats) without queueing it: for
    /// `post_webhook`.
    pub fn prepare(&self, update: Value) -> Value {
        self.world().stamp(update)
    }

    /// Updates queued and not yet confirmed by an offset.
    pub fn pending_updates(&self) -> usize {
        self.world().queue.len()
    }

    /// The `offset` of every getUpdates call, in order (0 when absent).
    pub fn offsets(&self) -> Vec<i64> {
        self.world().offsets.clone()
    }

    // ----- update builders: a private chat whose id is the user's id, unless said ----------

    pub fn text(user: i64, text: &str) -> Value {
        message_update(user, json!({ "text": text }))
    }

    /// `cmd` with or without its slash, arguments allowed: `command(7, "/start ref42")`.
    pub fn command(user: i64, cmd: &str) -> Value {
        let text = if cmd.starts_with('/') {
            cmd.to_owned()
        } else {
            format!("/{cmd}")
        };
        let word = text.split_whitespace().next().unwrap_or("/");
        let length = word.encode_utf16().count();
        message_update(
            user,
            json!({ "text": text, "entities": [{ "type": "bot_command", "offset": 0, "length": length }] }),
        )
    }

    pub fn sticker(user: i64) -> Value {
        let file = file_meta("sticker", user);
        let mut sticker = json!({ "width": 512, "height": 512, "type": "regular",
            "is_animated": false, "is_video": false, "emoji": "👍" });
        merge(&mut sticker, file);
        message_update(user, json!({ "sticker": sticker }))
    }

    /// A message of a kind Telegram may add one day (here a made-up `hologram`), which the bot's
    /// library cannot read yet.
    pub fn unknown_kind(user: i64) -> Value {
        message_update(user, json!({ "hologram": { "id": "h1", "duration": 3 } }))
    }

    /// A message with a field of a shape the bot's library does not expect (as if Telegram had
    /// changed it: `message_thread_id` a string), so that it cannot read the message at all.
    pub fn unreadable_message(user: i64) -> Value {
        let mut update = FakeTelegram::text(user, "hello");
        update["message"]["message_thread_id"] = json!("t1");
        update
    }

    /// A photo in two sizes, as Telegram sends them (think: a photo of an ID card).
    pub fn photo(user: i64) -> Value {
        let size = |w: u32, h: u32, n: &str| {
            let mut s = json!({ "width": w, "height": h });
            merge(&mut s, file_meta(n, user));
            s
        };
        message_update(
            user,
            json!({ "photo": [size(90, 60, "photo-s"), size(1280, 853, "photo-x")] }),
        )
    }

    pub fn contact(user: i64, phone: &str) -> Value {
        message_update(
            user,
            json!({ "contact": { "phone_number": phone, "first_name": format!("User{user}"), "user_id": user } }),
        )
    }

    /// A location in Hà Nội.
    pub fn location(user: i64) -> Value {
        message_update(
            user,
            json!({ "location": { "latitude": 21.0285, "longitude": 105.8542 } }),
        )
    }

    pub fn voice(user: i64) -> Value {
        let mut voice = json!({ "duration": 3, "mime_type": "audio/ogg" });
        merge(&mut voice, file_meta("voice", user));
        message_update(user, json!({ "voice": voice }))
    }

    pub fn video(user: i64) -> Value {
        let mut video =
            json!({ "width": 640, "height": 360, "duration": 5, "mime_type": "video/mp4" });
        merge(&mut video, file_meta("video", user));
        message_update(user, json!({ "video": video }))
    }

    pub fn document(user: i64) -> Value {
        let mut doc = json!({ "file_name": "giay-to.pdf", "mime_type": "application/pdf" });
        merge(&mut doc, file_meta("document", user));
        message_update(user, json!({ "document": doc }))
    }

    /// The user edits their last message in the chat (`push_update` fills in its message_id).
    pub fn edited_text(user: i64, text: &str) -> Value {
        let mut update = message_update(user, json!({ "text": text, "edit_date": unix_now() }));
        let message = update["message"].take();
        json!({ "edited_message": message })
    }

    /// A text in a group: a negative id; ids below -1_000_000_000_000 are supergroups.
    pub fn group_text(chat_id: i64, user: i64, text: &str) -> Value {
        json!({ "message": { "date": unix_now(), "chat": FakeTelegram::group_chat(chat_id, "Test group"),
            "from": user_json(user), "text": text } })
    }

    /// The user blocked the bot (my_chat_member: member → kicked). After it is pushed, sending
    /// to that chat answers 403 `Forbidden: bot was blocked by the user`, until a message or a
    /// `my_chat_member(user, "member")` from the user is pushed.
    pub fn my_chat_member_kicked(&self, user: i64) -> Value {
        self.my_chat_member(user, "member", "kicked")
    }

    /// The bot's membership in a private chat changed (`old`/`new`: member, kicked).
    pub fn my_chat_member(&self, user: i64, old: &str, new: &str) -> Value {
        let bot = self.world().bot_user();
        let member = |status: &str| {
            let mut m = json!({ "user": bot, "status": status });
            if status == "kicked" {
                m["until_date"] = json!(0);
            }
            m
        };
        json!({ "my_chat_member": { "chat": FakeTelegram::private_chat(user), "from": user_json(user),
            "date": unix_now(), "old_chat_member": member(old), "new_chat_member": member(new) } })
    }

    /// A press on an inline button of message `message_id` in the private chat with `user`.
    /// Issues a callback query id that answerCallbackQuery accepts once. The message is the
    /// stored one as it is now, or (never sent or deleted) an inaccessible message, as Telegram does.
    pub fn callback(&self, user: i64, data: &str, message_id: i64) -> Value {
        let mut w = self.world();
        w.next_callback += 1;
        let id = format!("cq{}-{user}", w.next_callback);
        w.open_callbacks.insert(id.clone());
        let message = match w.messages.get(&(user, message_id)) {
            Some(stored) => stored.json.clone(),
            None => {
                json!({ "message_id": message_id, "date": 0, "chat": FakeTelegram::private_chat(user) })
            }
        };
        let mut update = json!({ "callback_query": { "id": id, "from": user_json(user),
            "chat_instance": format!("ci-{user}"), "data": data } });
        // Moved in, not through json!, which would copy the whole message once more.
        update["callback_query"]["message"] = message;
        update
    }

    /// Sets `language_code` on every user of an update (the builders leave it out, as Telegram
    /// does for some clients).
    pub fn with_language(mut update: Value, code: &str) -> Value {
        fn walk(v: &mut Value, code: &str) {
            match v {
                Value::Object(map) => {
                    if map.get("is_bot") == Some(&Value::Bool(false)) {
                        map.insert("language_code".into(), json!(code));
                    }
                    map.values_mut().for_each(|v| walk(v, code));
                }
                Value::Array(items) => items.iter_mut().for_each(|v| walk(v, code)),
                _ => {}
            }
        }
        walk(&mut update, code);
        update
    }

    // ----- chats ----------------------------------------------------------------------------

    pub fn private_chat(user: i64) -> Value {
        json!({ "id": user, "type": "private", "first_name": format!("User{user}") })
    }

    pub fn group_chat(id: i64, title: &str) -> Value {
        let kind = if id < -1_000_000_000_000 {
            "supergroup"
        } else {
            "group"
        };
        json!({ "id": id, "type": kind, "title": title })
    }

    /// A supergroup with topics, for createForumTopic and message_thread_id.
    pub fn forum_chat(id: i64, title: &str) -> Value {
        json!({ "id": id, "type": "supergroup", "title": title, "is_forum": true })
    }

    /// What the bot may do in group `chat_id` from now on: getChatMember and getChat report it,
    /// and createForumTopic, sendPhoto, sendDocument and copyMessage refuse what it may not do,
    /// with Telegram's descriptions.
    pub fn set_bot_rights(&self, chat_id: i64, rights: BotRights) {
        self.world().rights.insert(chat_id, rights);
    }

    /// Makes a chat known (sending to an unknown chat answers `chat not found`).
    pub fn add_chat(&self, chat: Value) {
        let id = chat["id"].as_i64().expect("a chat needs an integer id");
        self.world().chats.insert(id, chat);
    }

    // ----- what the bot did -----------------------------------------------------------------

    pub fn calls(&self) -> Vec<Call> {
        self.world().calls.iter().map(Record::call).collect()
    }

    /// Calls of one method (any casing).
    pub fn calls_of(&self, method: &str) -> Vec<Call> {
        let method = method.to_ascii_lowercase();
        self.world()
            .calls
            .iter()
            .filter(|c| c.method == method)
            .map(Record::call)
            .collect()
    }

    /// Calls answered with an error (or a dropped connection).
    pub fn refused(&self) -> Vec<Call> {
        self.world()
            .calls
            .iter()
            .filter(|c| c.status != 200)
            .map(Record::call)
            .collect()
    }

    /// The files the bot uploaded, in order.
    pub fn uploads(&self) -> Vec<Upload> {
        self.world().uploads.clone()
    }

    pub fn sent(&self, chat_id: i64) -> Vec<Sent> {
        let w = self.world();
        w.sent
            .iter()
            .filter(|(chat, _)| *chat == chat_id)
            .map(|(_, s)| s.clone())
            .collect()
    }

    /// As if a webhook were set at `url` and Telegram's last delivery to it had failed with
    /// `error`: getWebhookInfo says so.
    pub fn set_failing_webhook(&self, url: &str, error: &str) {
        self.world().webhook = Some(Webhook {
            url: url.to_string(),
            secret: None,
            params: json!({}),
            last_error: Some(error.to_string()),
        });
    }

    /// The webhook set by setWebhook: (url, secret_token).
    pub fn webhook(&self) -> Option<(String, Option<String>)> {
        self.world()
            .webhook
            .as_ref()
            .map(|h| (h.url.clone(), h.secret.clone()))
    }

    /// The commands set for the default scope and a language code ("" for none):
    /// (command, description).
    pub fn commands(&self, language_code: &str) -> Vec<(String, String)> {
        let w = self.world();
        let key = commands_key(None, language_code);
        let list = w.commands.get(&key).cloned().unwrap_or_default();
        list.iter()
            .map(|c| (str_of(&c["command"]), str_of(&c["description"])))
            .collect()
    }

    /// Polls `f` every 5 ms until it holds; on timeout panics with `what` and the recent calls.
    pub async fn wait_until(
        &self,
        what: &str,
        timeout: Duration,
        f: impl Fn(&FakeTelegram) -> bool,
    ) {
        let deadline = Instant::now() + timeout;
        while !f(self) {
            if Instant::now() >= deadline {
                panic!(
                    "timed out after {timeout:?} waiting until {what}\n{}",
                    self.dump()
                );
            }
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    /// The last 40 calls other than getUpdates, one a line, for failure messages.
    pub fn dump(&self) -> String {
        let w = self.world();
        let polls = w.calls.iter().filter(|c| c.method == "getupdates").count();
        let others: Vec<&Record> = w
            .calls
            .iter()
            .filter(|c| c.method != "getupdates")
            .collect();
        let mut out = format!(
            "fake Telegram: {polls} getUpdates calls, {} other calls; the last:\n",
            others.len()
        );
        for c in others.iter().rev().take(40).rev() {
            let c = c.call();
            let mut params = c.params.to_string();
            if params.len() > 300 {
                let cut = (0..=300)
                    .rev()
                    .find(|&i| params.is_char_boundary(i))
                    .unwrap_or(0);
                params.truncate(cut);
                params.push('…');
            }
            let error = c
                .response
                .get("description")
                .map(|d| format!(" → {d}"))
                .unwrap_or_default();
            out += &format!("  {} {} {params}{error}\n", c.status, c.method);
        }
        out
    }

    /// POSTs an update to a bot's webhook the way Telegram does (JSON body, the secret in
    /// `X-Telegram-Bot-Api-Secret-Token`) and returns the HTTP status. Give the update an
    /// update_id (see `prepare`).
    pub async fn post_webhook(url: &str, secret: Option<&str>, update: &Value) -> u16 {
        let mut request = reqwest::Client::new().post(url).json(update);
        if let Some(secret) = secret {
            request = request.header("X-Telegram-Bot-Api-Secret-Token", secret);
        }
        match request.send().await {
            Ok(response) => response.status().as_u16(),
            Err(e) => panic!("POST to the webhook {url} failed: {e}"),
        }
    }

    // ----- notifications (load tests) -------------------------------------------------------

    /// A notification on every message recorded in `sent` from now on (sendMessage, edits, …),
    /// as it is recorded, so a load test measures latency without polling `sent`. A receiver
    /// that falls more than 65,536 notices behind gets `RecvError::Lagged`.
    pub fn subscribe_sent(&self) -> tokio::sync::broadcast::Receiver<SentNotice> {
        self.world()
            .sent_notices
            .get_or_insert_with(|| tokio::sync::broadcast::channel(1 << 16).0)
            .subscribe()
    }

    // ----- faults and limits ----------------------------------------------------------------

    pub fn set_limits(&self, limits: Limits) {
        let mut w = self.world();
        w.limits = limits;
        w.buckets.clear();
        w.global_bucket = None;
    }

    /// The next `n` calls of `method` (any casing) get `fault`. Faults queue up in order.
    pub fn fail_next(&self, method: &str, n: usize, fault: Fault) {
        let mut w = self.world();
        let queue = w.faults.entry(method.to_ascii_lowercase()).or_default();
        queue.extend(std::iter::repeat_n(fault, n));
    }

    /// Every later call of `method` waits `delay` before being handled; `Duration::ZERO` ends it.
    pub fn delay(&self, method: &str, delay: Duration) {
        let mut w = self.world();
        if delay.is_zero() {
            w.delays.remove(&method.to_ascii_lowercase());
        } else {
            w.delays.insert(method.to_ascii_lowercase(), delay);
        }
    }

    // ----- internals ------------------------------------------------------------------------

    fn world(&self) -> MutexGuard<'_, World> {
        // A panicking test thread must not turn every later call into a poison panic.
        self.inner.world.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn record(
        &self,
        method: String,
        params: Params,
        status: u16,
        response: Option<Bytes>,
        at: Instant,
    ) {
        let record = Record {
            method,
            params,
            status,
            response,
            at,
        };
        self.world().calls.push(record);
    }

    /// getUpdates: confirms below `offset`, then answers at once if updates are waiting, else
    /// long-polls up to `timeout` seconds, woken by `push_update`. A newer getUpdates ends an
    /// older one with 409, like Telegram does when two bot instances poll.
    ///
    /// The answer is put together from the updates as they were serialized when pushed.
    async fn get_updates(&self, p: &Value) -> Reply {
        let offset = int(p, "offset").unwrap_or(0);
        let limit = int(p, "limit").unwrap_or(100).clamp(1, 100) as usize;
        let timeout = Duration::from_secs(int(p, "timeout").unwrap_or(0).max(0) as u64);
        let allowed = match structured(p, "allowed_updates") {
            Ok(allowed) => allowed,
            Err(e) => return Reply::error(e),
        };
        let generation = {
            let mut w = self.world();
            if w.webhook.is_some() {
                return Reply::error(ApiErr::new(
                    409,
                    "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
                ));
            }
            w.offsets.push(offset);
            w.confirm(offset);
            if let Some(Value::Array(kinds)) = allowed {
                // An empty list restores the default; the setting sticks for later calls.
                w.allowed_updates = (!kinds.is_empty()).then(|| {
                    kinds
                        .iter()
                        .filter_map(|k| k.as_str().map(str::to_owned))
                        .collect()
                });
            }
            w.poll_generation += 1;
            w.poll_generation
        };
        self.inner.changed.notify_waiters();
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.inner.changed.notified();
            tokio::pin!(notified);
            // Registered before looking at the queue, so a push in between is not missed.
            notified.as_mut().enable();
            let batch = {
                let mut w = self.world();
                if w.poll_generation != generation {
                    return Reply::error(ApiErr::new(
                        409,
                        "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
                    ));
                }
                w.take_updates(limit)
            };
            if !batch.is_empty() || tokio::time::Instant::now() >= deadline {
                return Reply::ok_array(&batch);
            }
            tokio::select! {
                _ = &mut notified => {}
                _ = tokio::time::sleep_until(deadline) => {}
            }
        }
    }
}

// ===== HTTP layer ================================================================================

async fn handle(State(fake): State<FakeTelegram>, request: Request) -> Response {
    let at = Instant::now();
    let path = request.uri().path().trim_start_matches('/');
    let (token, method) = match path.split_once('/') {
        Some((bot, method))
            if bot.starts_with("bot") && !method.is_empty() && !method.contains('/') =>
        {
            (bot[3..].to_owned(), method.to_ascii_lowercase())
        }
        _ => return Reply::error(ApiErr::new(404, "Not Found")).into_response(),
    };
    let (params, body) = match read_params(request).await {
        Ok(read) => read,
        Err(e) => {
            let reply = Reply::error(e);
            return fake.answer(method, Params::Value(Value::Null), reply, at);
        }
    };
    // What the call record keeps: the JSON body as it came when it is all the parameters
    // (teloxide's usual request), else the merged parameters themselves.
    let kept = |params: Value| match body {
        Some(body) => Params::Json(body),
        None => Params::Value(params),
    };
    if token != fake.inner.token {
        let reply = Reply::error(ApiErr::new(401, "Unauthorized"));
        return fake.answer(method, kept(params), reply, at);
    }
    if !KNOWN_METHODS.contains(method.as_str()) {
        let reply = Reply::error(ApiErr::new(404, "Not Found"));
        return fake.answer(method, kept(params), reply, at);
    }
    let delay = fake.world().delays.get(&method).copied();
    if let Some(delay) = delay {
        tokio::time::sleep(delay).await;
    }
    let fault = fake
        .world()
        .faults
        .get_mut(&method)
        .and_then(VecDeque::pop_front);
    let reply = match fault {
        Some(Fault::Drop) => {
            fake.record(method, kept(params), 0, None, at);
            return dropped_connection();
        }
        Some(Fault::Unreadable) => fake.world().dispatch(&method, &params).unreadable(),
        Some(fault) => Reply::error(fault.into_error()),
        None if method == "getupdates" => fake.get_updates(&params).await,
        None => fake.world().dispatch(&method, &params),
    };
    fake.answer(method, kept(params), reply, at)
}

impl FakeTelegram {
    fn answer(&self, method: String, params: Params, reply: Reply, at: Instant) -> Response {
        self.record(method, params, reply.status, Some(reply.body.clone()), at);
        reply.into_response()
    }
}

/// An answer as it goes out: the HTTP status and the JSON body, serialized once and shared by
/// the response and the call record. Building the body as a JSON tree (json! copies the result
/// into it), keeping that tree and serializing it again took about a fifth of the load test's
/// CPU.
struct Reply {
    status: u16,
    body: Bytes,
}

impl Reply {
    /// `{"ok":true,"result":...}`, or `{"ok":false,"error_code":N,"description":...}` with
    /// `parameters.retry_after` for a 429.
    fn of(answer: Answer) -> Reply {
        match answer {
            Ok(result) => Reply::ok(&result),
            Err(e) => Reply::error(e),
        }
    }

    fn ok(result: &Value) -> Reply {
        let mut body = Vec::with_capacity(512);
        body.extend_from_slice(br#"{"ok":true,"result":"#);
        serde_json::to_writer(&mut body, result).expect("a JSON value serializes");
        body.push(b'}');
        Reply {
            status: 200,
            body: body.into(),
        }
    }

    /// This answer with `result.message_id` made a string ([`Fault::Unreadable`]).
    fn unreadable(self) -> Reply {
        let mut body: Value = serde_json::from_slice(&self.body).expect("our own JSON");
        if let Some(result) = body.get_mut("result").and_then(Value::as_object_mut) {
            result.insert("message_id".into(), json!("unreadable"));
        }
        Reply {
            status: self.status,
            body: serde_json::to_vec(&body)
                .expect("a JSON value serializes")
                .into(),
        }
    }

    fn error(e: ApiErr) -> Reply {
        let mut body = json!({ "ok": false, "error_code": e.code, "description": e.description });
        if let Some(secs) = e.retry_after {
            body["parameters"] = json!({ "retry_after": secs });
        }
        Reply {
            status: e.code,
            body: serde_json::to_vec(&body)
                .expect("a JSON value serializes")
                .into(),
        }
    }

    /// `{"ok":true,"result":[...]}` from elements already serialized (getUpdates).
    fn ok_array(items: &[Bytes]) -> Reply {
        let len = items.iter().map(Bytes::len).sum::<usize>() + items.len() + 32;
        let mut body = Vec::with_capacity(len);
        body.extend_from_slice(br#"{"ok":true,"result":["#);
        for (i, item) in items.iter().enumerate() {
            if i > 0 {
                body.push(b',');
            }
            body.extend_from_slice(item);
        }
        body.extend_from_slice(b"]}");
        Reply {
            status: 200,
            body: body.into(),
        }
    }
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        (
            status,
            [(header::CONTENT_TYPE, "application/json")],
            Body::from(self.body),
        )
            .into_response()
    }
}

/// Promises 64 bytes and sends one: hyper then closes the connection mid-answer, which the
/// client sees as a network error (the closest an axum handler gets to a dropped connection).
fn dropped_connection() -> Response {
    Response::builder()
        .status(StatusCode::OK)
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CONTENT_LENGTH, "64")
        .body(Body::from("{"))
        .unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response())
}

/// Query string plus body, whatever its encoding, as one JSON object; and, when the parameters
/// are exactly a JSON body's object, a copy of that body for the call record.
async fn read_params(request: Request) -> Result<(Value, Option<Bytes>), ApiErr> {
    let mut params = Map::new();
    if let Ok(Query(pairs)) = Query::<Vec<(String, String)>>::try_from_uri(request.uri()) {
        params.extend(pairs.into_iter().map(|(k, v)| (k, Value::String(v))));
    }
    let mut kept_body = None;
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    if content_type.starts_with("multipart/form-data") {
        let mut multipart = Multipart::from_request(request, &())
            .await
            .map_err(|_| ApiErr::bad("can't parse multipart/form-data request"))?;
        let broken = |_| ApiErr::bad("can't parse multipart/form-data request");
        while let Some(field) = multipart.next_field().await.map_err(broken)? {
            let name = field.name().unwrap_or_default().to_owned();
            let value = match field.file_name().map(str::to_owned) {
                Some(file) => format!(
                    "<file {file}, {} bytes>",
                    field.bytes().await.map_err(broken)?.len()
                ),
                None => field.text().await.map_err(broken)?,
            };
            params.insert(name, Value::String(value));
        }
    } else if content_type.starts_with("application/x-www-form-urlencoded") {
        let Form(pairs) = Form::<Vec<(String, String)>>::from_request(request, &())
            .await
            .map_err(|_| ApiErr::bad("can't parse form-urlencoded request"))?;
        params.extend(pairs.into_iter().map(|(k, v)| (k, Value::String(v))));
    } else {
        let body = Bytes::from_request(request, &())
            .await
            .map_err(|_| ApiErr::bad("can't read the request body"))?;
        if !body.iter().all(u8::is_ascii_whitespace) {
            match serde_json::from_slice::<Value>(&body) {
                Ok(Value::Object(map)) if params.is_empty() => {
                    // A copy: the body may be a slice of the connection's whole read buffer,
                    // which a kept reference would keep alive.
                    kept_body = Some(Bytes::copy_from_slice(&body));
                    params = map;
                }
                Ok(Value::Object(map)) => params.extend(map),
                _ => return Err(ApiErr::bad("can't parse JSON request")),
            }
        }
    }
    Ok((Value::Object(params), kept_body))
}

/// Bot API methods (lower case): an unknown name answers 404 like Telegram; a known one that the
/// fake does not model answers `true`. A set, looked up on every call.
static KNOWN_METHODS: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| KNOWN_METHOD_NAMES.split_whitespace().collect());

/// The names of `KNOWN_METHODS`, generated from teloxide-core 0.13's payloads.
const KNOWN_METHOD_NAMES: &str = "addstickertoset answercallbackquery answerinlinequery \
answerprecheckoutquery answershippingquery answerwebappquery approvechatjoinrequest banchatmember \
banchatsenderchat close closeforumtopic closegeneralforumtopic convertgifttostars copymessage \
copymessages createchatinvitelink createchatsubscriptioninvitelink createforumtopic \
createinvoicelink createnewstickerset declinechatjoinrequest deletebusinessmessages \
deletechatphoto deletechatstickerset deleteforumtopic deletemessage deletemessages \
deletemycommands deletestickerfromset deletestickerset deletestory deletewebhook \
editchatinvitelink editchatsubscriptioninvitelink editforumtopic editgeneralforumtopic \
editmessagecaption editmessagechecklist editmessagelivelocation editmessagemedia \
editmessagereplymarkup editmessagetext editstory edituserstarsubscription exportchatinvitelink \
forwardmessage forwardmessages getavailablegifts getbusinessaccountgifts \
getbusinessaccountstarbalance getbusinessconnection getchat getchatadministrators getchatmember \
getchatmembercount getchatmemberscount getchatmenubutton getcustomemojistickers getfile \
getforumtopiciconstickers getgamehighscores getme getmycommands getmydefaultadministratorrights \
getmydescription getmyname getmyshortdescription getmystarbalance getstartransactions \
getstickerset getupdates getuserchatboosts getuserprofilephotos getwebhookinfo \
giftpremiumsubscription hidegeneralforumtopic kickchatmember leavechat logout pinchatmessage \
poststory promotechatmember readbusinessmessage refundstarpayment \
removebusinessaccountprofilephoto removechatverification removeuserverification \
reopenforumtopic reopengeneralforumtopic replacestickerinset restrictchatmember \
revokechatinvitelink savepreparedinlinemessage sendanimation sendaudio sendchataction \
sendchecklist sendcontact senddice senddocument sendgame sendgift sendinvoice sendlocation \
sendmediagroup sendmessage sendpaidmedia sendphoto sendpoll sendsticker sendvenue sendvideo \
sendvideonote sendvoice setbusinessaccountbio setbusinessaccountgiftsettings \
setbusinessaccountname setbusinessaccountprofilephoto setbusinessaccountusername \
setchatadministratorcustomtitle setchatdescription setchatmenubutton setchatpermissions \
setchatphoto setchatstickerset setchattitle setcustomemojistickersetthumbnail setgamescore \
setmessagereaction setmycommands setmydefaultadministratorrights setmydescription setmyname \
setmyshortdescription setpassportdataerrors setstickeremojilist setstickerkeywords \
setstickermaskposition setstickerpositioninset setstickersetthumbnail setstickersettitle \
setuseremojistatus setwebhook stopmessagelivelocation stoppoll transferbusinessaccountstars \
transfergift unbanchatmember unbanchatsenderchat unhidegeneralforumtopic unpinallchatmessages \
unpinallforumtopicmessages unpinallgeneralforumtopicmessages unpinchatmessage upgradegift \
uploadstickerfile verifychat verifyuser";

// ===== errors ====================================================================================

#[derive(Debug)]
struct ApiErr {
    code: u16,
    description: String,
    retry_after: Option<u32>,
}

type Answer = Result<Value, ApiErr>;

/// What a method that answers with a Message gets: the key `(chat_id, message_id)` of the
/// message in `World::messages`, or `None` for a plain `true` (an inline message's edit).
type MessageAnswer = Result<Option<(i64, i64)>, ApiErr>;

impl ApiErr {
    fn new(code: u16, description: &str) -> ApiErr {
        ApiErr {
            code,
            description: description.to_owned(),
            retry_after: None,
        }
    }

    /// 400 `Bad Request: <what>`, the prefix teloxide's `ApiError` strings carry.
    fn bad(what: &str) -> ApiErr {
        ApiErr::new(400, &format!("Bad Request: {what}"))
    }

    fn too_many(secs: u32) -> ApiErr {
        ApiErr {
            code: 429,
            description: format!("Too Many Requests: retry after {secs}"),
            retry_after: Some(secs),
        }
    }
}

impl Fault {
    fn into_error(self) -> ApiErr {
        match self {
            Fault::RetryAfter(secs) => ApiErr::too_many(secs),
            Fault::Status(code) => {
                let description = match code {
                    500 => "Internal Server Error",
                    502 => "Bad Gateway",
                    503 => "Service Unavailable",
                    504 => "Gateway Timeout",
                    _ => "Error",
                };
                ApiErr::new(code, description)
            }
            Fault::Api(code, description) => ApiErr::new(code, &description),
            Fault::Drop | Fault::Unreadable => unreachable!("not an error answer"),
        }
    }
}

const NOT_MODIFIED: &str = "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message";

// ===== the state of the fake Telegram ============================================================

struct Queued {
    id: i64,
    /// The update's kind: its key other than `update_id` (`message`, `callback_query`, …).
    kind: String,
    /// The update serialized once when pushed; getUpdates answers these bytes as they are.
    json: Bytes,
    /// Pushed with `push_raw_update`: survives one confirmation so that it is delivered again.
    redelivery: bool,
}

impl Queued {
    fn new(update: &Value, redelivery: bool) -> Queued {
        let kind = update
            .as_object()
            .and_then(|m| m.keys().find(|k| *k != "update_id").cloned())
            .unwrap_or_default();
        Queued {
            id: update_id(update),
            kind,
            json: serde_json::to_vec(update)
                .expect("a JSON value serializes")
                .into(),
            redelivery,
        }
    }
}

/// A call as the fake keeps it: the bodies as bytes, read back into a `Call` only when a test
/// asks. A load test makes tens of thousands of calls, and keeping each as a JSON tree cost
/// more CPU (allocation, page faults) than answering it.
struct Record {
    /// Lower-cased method name.
    method: String,
    params: Params,
    status: u16,
    /// The body answered, as sent; `None` for a dropped connection.
    response: Option<Bytes>,
    at: Instant,
}

/// The parameters of a recorded call.
enum Params {
    /// A JSON body that was all the parameters (no query string), as it came.
    Json(Bytes),
    /// Anything else (form, multipart, query string, an unreadable request), as merged.
    Value(Value),
}

impl Record {
    fn call(&self) -> Call {
        let parse = |bytes: &[u8]| {
            serde_json::from_slice(bytes).expect("a kept body is JSON: it was parsed before")
        };
        Call {
            method: self.method.clone(),
            params: match &self.params {
                Params::Json(body) => parse(body),
                Params::Value(params) => params.clone(),
            },
            status: self.status,
            response: self.response.as_deref().map_or(Value::Null, parse),
            at: self.at,
        }
    }
}

/// A message in a chat, by the bot or a user.
struct Stored {
    from_bot: bool,
    /// The Message JSON as Telegram would return it now.
    json: Value,
    /// The text or caption as the bot sent it (before entity parsing), for "not modified".
    raw: Option<String>,
}

struct Topic {
    name: String,
    closed: bool,
}

struct Webhook {
    url: String,
    secret: Option<String>,
    params: Value,
    /// Why Telegram's last delivery to it failed, as getWebhookInfo says.
    last_error: Option<String>,
}

#[derive(Clone, Copy)]
struct Bucket {
    tokens: f64,
    at: Instant,
}

struct World {
    bot_id: i64,
    calls: Vec<Record>,
    sent: Vec<(i64, Sent)>,
    queue: VecDeque<Queued>,
    next_update_id: i64,
    poll_generation: u64,
    offsets: Vec<i64>,
    /// Update kinds getUpdates delivers; `None` is Telegram's default (all but chat_member,
    /// message_reaction and message_reaction_count).
    allowed_updates: Option<Vec<String>>,
    chats: HashMap<i64, Value>,
    /// Private chats whose user blocked the bot.
    blocked: HashSet<i64>,
    users: HashMap<i64, Value>,
    next_message_id: HashMap<i64, i64>,
    last_user_message: HashMap<i64, i64>,
    messages: HashMap<(i64, i64), Stored>,
    open_callbacks: HashSet<String>,
    next_callback: u64,
    next_file: u64,
    /// File ids Telegram would take: those of uploads and of files users sent.
    files: HashSet<String>,
    uploads: Vec<Upload>,
    topics: HashMap<(i64, i64), Topic>,
    commands: HashMap<String, Vec<Value>>,
    webhook: Option<Webhook>,
    limits: Limits,
    buckets: HashMap<i64, Bucket>,
    global_bucket: Option<Bucket>,
    faults: HashMap<String, VecDeque<Fault>>,
    delays: HashMap<String, Duration>,
    /// Subscribers of `subscribe_sent` (load tests); `None` until the first one subscribes.
    sent_notices: Option<tokio::sync::broadcast::Sender<SentNotice>>,
    /// The bot's rights per group (`set_bot_rights`); absent: all of them.
    rights: HashMap<i64, BotRights>,
}

impl World {
    fn new(bot_id: i64) -> World {
        World {
            bot_id,
            calls: Vec::new(),
            sent: Vec::new(),
            queue: VecDeque::new(),
            next_update_id: 100_001,
            poll_generation: 0,
            offsets: Vec::new(),
            allowed_updates: None,
            chats: HashMap::new(),
            blocked: HashSet::new(),
            rights: HashMap::new(),
            users: HashMap::new(),
            next_message_id: HashMap::new(),
            last_user_message: HashMap::new(),
            messages: HashMap::new(),
            open_callbacks: HashSet::new(),
            next_callback: 0,
            next_file: 0,
            files: HashSet::new(),
            uploads: Vec::new(),
            topics: HashMap::new(),
            commands: HashMap::new(),
            webhook: None,
            limits: Limits::telegram(),
            buckets: HashMap::new(),
            global_bucket: None,
            faults: HashMap::new(),
            delays: HashMap::new(),
            sent_notices: None,
        }
    }

    fn bot_user(&self) -> Value {
        json!({ "id": self.bot_id, "is_bot": true, "first_name": "DVC Onboard (test)", "username": BOT_USERNAME })
    }

    // ----- updates --------------------------------------------------------------------------

    /// Fills in update_id, message_id and date, and learns the chats and users of an update.
    fn stamp(&mut self, mut update: Value) -> Value {
        assert!(
            update.is_object(),
            "an update is a JSON object, got {update}"
        );
        match update.get("update_id").and_then(Value::as_i64) {
            Some(id) => self.next_update_id = self.next_update_id.max(id + 1),
            None => {
                update["update_id"] = json!(self.next_update_id);
                self.next_update_id += 1;
            }
        }
        for key in [
            "message",
            "edited_message",
            "channel_post",
            "edited_channel_post",
            "business_message",
        ] {
            if let Some(message) = update.get_mut(key) {
                self.stamp_message(message, key.starts_with("edited"));
            }
        }
        if let Some(change) = update.get("my_chat_member") {
            let chat = change["chat"].clone();
            let id = chat["id"].as_i64().expect("my_chat_member needs chat.id");
            match change["new_chat_member"]["status"].as_str() {
                Some("kicked") | Some("left") => self.blocked.insert(id),
                _ => self.blocked.remove(&id),
            };
            self.chats.insert(id, chat);
        }
        if let Some(query) = update.get("callback_query") {
            let user = query["from"]["id"]
                .as_i64()
                .expect("callback_query needs from.id");
            self.chats
                .entry(user)
                .or_insert_with(|| FakeTelegram::private_chat(user));
        }
        self.learn_users(&update);
        update
    }

    fn stamp_message(&mut self, message: &mut Value, edited: bool) {
        // A file a user sends can be sent on by its file id, as on Telegram.
        if let Some(file) = file_of(message) {
            self.files.insert(file);
        }
        let chat = message["chat"].clone();
        let chat_id = chat["id"].as_i64().expect("a message needs chat.id");
        self.chats.insert(chat_id, chat);
        self.blocked.remove(&chat_id);
        if message.get("date").is_none() {
            message["date"] = json!(unix_now());
        }
        let id = match message.get("message_id").and_then(Value::as_i64) {
            Some(id) => {
                let next = self.next_message_id.entry(chat_id).or_insert(1);
                *next = (*next).max(id + 1);
                id
            }
            None if edited => match self.last_user_message.get(&chat_id) {
                Some(&id) => id,
                None => self.new_message_id(chat_id),
            },
            None => self.new_message_id(chat_id),
        };
        message["message_id"] = json!(id);
        if !edited {
            self.last_user_message.insert(chat_id, id);
        }
        let raw = message
            .get("text")
            .and_then(Value::as_str)
            .map(str::to_owned);
        self.messages.insert(
            (chat_id, id),
            Stored {
                from_bot: false,
                json: message.clone(),
                raw,
            },
        );
    }

    fn learn_users(&mut self, value: &Value) {
        match value {
            Value::Object(map) => {
                if let Some(user) = map.get("from")
                    && let Some(id) = user.get("id").and_then(Value::as_i64)
                    && self.users.get(&id) != Some(user)
                {
                    self.users.insert(id, user.clone());
                }
                map.values().for_each(|v| self.learn_users(v));
            }
            Value::Array(items) => items.iter().for_each(|v| self.learn_users(v)),
            _ => {}
        }
    }

    /// An offset confirms (drops) every update below it; a negative one keeps only the last
    /// `-offset` updates.
    fn confirm(&mut self, offset: i64) {
        if offset > 0 {
            self.queue.retain(|q| q.id >= offset || q.redelivery);
        } else if offset < 0 {
            let keep = offset.unsigned_abs() as usize;
            while self.queue.len() > keep {
                self.queue.pop_front();
            }
        }
    }

    /// Up to `limit` deliverable updates, lowest update_id first; the ones the bot did not ask
    /// for (allowed_updates) are dropped, as Telegram never keeps them.
    fn take_updates(&mut self, limit: usize) -> Vec<Bytes> {
        let allowed = &self.allowed_updates;
        self.queue.retain(|q| match allowed {
            Some(list) => list.contains(&q.kind),
            None => !matches!(
                q.kind.as_str(),
                "chat_member" | "message_reaction" | "message_reaction_count"
            ),
        });
        let mut order: Vec<usize> = (0..self.queue.len()).collect();
        order.sort_by_key(|&i| self.queue[i].id);
        order.truncate(limit);
        order
            .into_iter()
            .map(|i| {
                self.queue[i].redelivery = false;
                self.queue[i].json.clone()
            })
            .collect()
    }

    fn new_message_id(&mut self, chat_id: i64) -> i64 {
        let next = self.next_message_id.entry(chat_id).or_insert(1);
        let id = *next;
        *next += 1;
        id
    }

    // ----- methods --------------------------------------------------------------------------

    fn dispatch(&mut self, method: &str, p: &Value) -> Reply {
        let answered = match method {
            "sendmessage" => self.send_message(p),
            "editmessagetext" => self.edit_message_text(p),
            "editmessagereplymarkup" => self.edit_reply_markup(p),
            "sendphoto" => self.send_file(p, "photo"),
            "sendvoice" => self.send_file(p, "voice"),
            "senddocument" => self.send_file(p, "document"),
            _ => return Reply::of(self.dispatch_value(method, p)),
        };
        match answered {
            // Serialized from where the message is kept: a copy of it to answer cost more.
            Ok(Some(key)) => Reply::ok(&self.messages[&key].json),
            Ok(None) => Reply::ok(&Value::Bool(true)),
            Err(e) => Reply::error(e),
        }
    }

    /// The methods that answer a value of their own (not a kept message).
    fn dispatch_value(&mut self, method: &str, p: &Value) -> Answer {
        match method {
            "getme" => Ok(self.me()),
            "deletemessage" => self.delete_message(p),
            "answercallbackquery" => self.answer_callback_query(p),
            "sendchataction" => self.chat(p, "chat_id", true).map(|_| json!(true)),
            "copymessage" => self.copy_message(p),
            "setmycommands" => self.set_my_commands(p),
            "getmycommands" => {
                let key = commands_key(
                    structured(p, "scope")?,
                    &text_param(p, "language_code").unwrap_or_default(),
                );
                Ok(json!(self.commands.get(&key).cloned().unwrap_or_default()))
            }
            "deletemycommands" => {
                let key = commands_key(
                    structured(p, "scope")?,
                    &text_param(p, "language_code").unwrap_or_default(),
                );
                self.commands.remove(&key);
                Ok(json!(true))
            }
            "setwebhook" => self.set_webhook(p),
            "deletewebhook" => {
                self.webhook = None;
                if flag(p, "drop_pending_updates") {
                    self.queue.clear();
                }
                Ok(json!(true))
            }
            "getwebhookinfo" => Ok(self.webhook_info()),
            "createforumtopic" => self.create_forum_topic(p),
            "editforumtopic" | "closeforumtopic" | "reopenforumtopic" | "deleteforumtopic" => {
                self.change_forum_topic(method, p)
            }
            "getchat" => self.get_chat(p),
            "getchatmember" => self.get_chat_member(p),
            _ => Ok(json!(true)),
        }
    }

    fn me(&self) -> Value {
        let mut me = self.bot_user();
        merge(
            &mut me,
            json!({ "can_join_groups": true, "can_read_all_group_messages": false,
                "supports_inline_queries": false, "can_connect_to_business": false, "has_main_web_app": false }),
        );
        me
    }

    /// Resolves `key` (an id, or "@username") to a known chat; `writing` also refuses a chat
    /// whose user blocked the bot.
    fn chat(&self, p: &Value, key: &str, writing: bool) -> Result<(i64, Value), ApiErr> {
        let id = match p.get(key) {
            None | Some(Value::Null) => return Err(ApiErr::bad(&format!("{key} is empty"))),
            Some(Value::String(s)) if s.starts_with('@') => {
                let name = &s[1..];
                self.chats
                    .iter()
                    .find(|(_, chat)| chat.get("username").and_then(Value::as_str) == Some(name))
                    .map(|(id, _)| *id)
            }
            Some(_) => int(p, key),
        };
        let Some((id, chat)) = id.and_then(|id| self.chats.get(&id).map(|chat| (id, chat.clone())))
        else {
            return Err(ApiErr::bad("chat not found"));
        };
        if writing && self.blocked.contains(&id) {
            return Err(ApiErr::new(403, "Forbidden: bot was blocked by the user"));
        }
        Ok((id, chat))
    }

    /// message_thread_id: must be a topic of a forum, and open.
    fn thread(&self, p: &Value, chat_id: i64) -> Result<Option<i64>, ApiErr> {
        let Some(thread) = int(p, "message_thread_id") else {
            return Ok(None);
        };
        match self.topics.get(&(chat_id, thread)) {
            Some(topic) if topic.closed => Err(ApiErr::bad("TOPIC_CLOSED")),
            Some(_) => Ok(Some(thread)),
            None => Err(ApiErr::bad("message thread not found")),
        }
    }

    /// Flood control for one more message to `chat_id`; consumes nothing when refusing.
    fn rate_limit(&mut self, chat_id: i64) -> Result<(), ApiErr> {
        let now = Instant::now();
        let limits = self.limits;
        let chat_rate = if chat_id > 0 {
            limits.private
        } else {
            limits.group
        };
        let mut wait = Duration::ZERO;
        let mut check = |bucket: &mut Option<Bucket>, rate: Option<Rate>| {
            let Some(rate) = rate else { return };
            let b = bucket.get_or_insert(Bucket {
                tokens: f64::from(rate.burst),
                at: now,
            });
            let refill =
                now.duration_since(b.at).as_secs_f64() / rate.every.as_secs_f64().max(1e-9);
            b.tokens = (b.tokens + refill).min(f64::from(rate.burst));
            b.at = now;
            if b.tokens < 1.0 {
                wait = wait.max(rate.every.mul_f64(1.0 - b.tokens));
            }
        };
        let mut chat_bucket = self.buckets.get(&chat_id).copied();
        check(&mut chat_bucket, chat_rate);
        check(&mut self.global_bucket, limits.global);
        if !wait.is_zero() {
            if let Some(b) = chat_bucket {
                self.buckets.insert(chat_id, b);
            }
            let secs = limits
                .retry_after
                .unwrap_or_else(|| (wait.as_secs_f64().ceil() as u32).max(1));
            return Err(ApiErr::too_many(secs));
        }
        if let Some(mut b) = chat_bucket {
            b.tokens -= 1.0;
            self.buckets.insert(chat_id, b);
        }
        if let Some(b) = self.global_bucket.as_mut() {
            b.tokens -= 1.0;
        }
        Ok(())
    }

    /// Stores a new message from the bot and returns its key in `messages`.
    fn new_bot_message(
        &mut self,
        chat_id: i64,
        chat: Value,
        thread: Option<i64>,
        content: Value,
        raw: Option<String>,
    ) -> (i64, i64) {
        let id = self.new_message_id(chat_id);
        let mut message = json!({ "message_id": id, "date": unix_now() });
        // Moved in: json! would copy them.
        message["from"] = self.bot_user();
        message["chat"] = chat;
        if let Some(thread) = thread {
            message["message_thread_id"] = json!(thread);
            message["is_topic_message"] = json!(true);
        }
        merge(&mut message, content);
        self.messages.insert(
            (chat_id, id),
            Stored {
                from_bot: true,
                json: message,
                raw,
            },
        );
        (chat_id, id)
    }

    /// Adds the kept message `key` to `sent` as it is now, and notifies the subscribers.
    fn record_sent(
        &mut self,
        key: (i64, i64),
        method: &str,
        raw: String,
        parse_mode: Option<String>,
    ) {
        let chat_id = key.0;
        let message = &self.messages[&key].json;
        let plain = message
            .get("text")
            .or_else(|| message.get("caption"))
            .map(str_of)
            .unwrap_or_default();
        let sent = Sent {
            method: method.to_owned(),
            message_id: message["message_id"].as_i64().unwrap_or_default(),
            text: raw,
            plain,
            buttons: buttons_of(message.get("reply_markup")),
            parse_mode,
            thread_id: message.get("message_thread_id").and_then(Value::as_i64),
            file: file_of(message),
        };
        if let Some(notices) = &self.sent_notices
            && notices.receiver_count() > 0
        {
            let _ = notices.send(SentNotice {
                chat_id,
                at: Instant::now(),
                sent: sent.clone(),
            });
        }
        self.sent.push((chat_id, sent));
    }

    fn send_message(&mut self, p: &Value) -> MessageAnswer {
        let (chat_id, chat) = self.chat(p, "chat_id", true)?;
        let thread = self.thread(p, chat_id)?;
        let raw = text_param(p, "text").unwrap_or_default();
        let mode = text_param(p, "parse_mode");
        let content = message_text(&raw, mode.as_deref())?;
        let markup = inline_markup(p)?;
        self.rate_limit(chat_id)?;
        let mut content = content;
        if let Some(markup) = markup {
            content["reply_markup"] = markup;
        }
        let key = self.new_bot_message(chat_id, chat, thread, content, Some(raw.clone()));
        self.record_sent(key, "sendmessage", raw, mode);
        Ok(Some(key))
    }

    /// The bot's own message `message_id` in `chat_id`, for editing.
    fn own_message(&self, p: &Value) -> Result<(i64, i64), ApiErr> {
        let (chat_id, _) = self.chat(p, "chat_id", true)?;
        let id = int(p, "message_id")
            .ok_or_else(|| ApiErr::bad("message identifier is not specified"))?;
        match self.messages.get(&(chat_id, id)) {
            None => Err(ApiErr::bad("message to edit not found")),
            Some(stored) if !stored.from_bot => Err(ApiErr::bad("message can't be edited")),
            Some(_) => Ok((chat_id, id)),
        }
    }

    fn edit_message_text(&mut self, p: &Value) -> MessageAnswer {
        let raw = text_param(p, "text").unwrap_or_default();
        let mode = text_param(p, "parse_mode");
        let content = message_text(&raw, mode.as_deref())?;
        let markup = inline_markup(p)?;
        if p.get("inline_message_id").is_some() {
            return Ok(None);
        }
        let (chat_id, id) = self.own_message(p)?;
        let stored = self
            .messages
            .get_mut(&(chat_id, id))
            .expect("checked by own_message");
        if stored.json.get("text").is_none() {
            return Err(ApiErr::bad("there is no text in the message to edit"));
        }
        if stored.raw.as_deref() == Some(raw.as_str())
            && stored.json.get("reply_markup") == markup.as_ref()
        {
            return Err(ApiErr::bad(NOT_MODIFIED));
        }
        let json = &mut stored.json;
        if let Some(map) = json.as_object_mut() {
            map.remove("entities");
            map.remove("reply_markup");
        }
        merge(json, content);
        if let Some(markup) = markup {
            json["reply_markup"] = markup;
        }
        json["edit_date"] = json!(unix_now());
        stored.raw = Some(raw.clone());
        self.record_sent((chat_id, id), "editmessagetext", raw, mode);
        Ok(Some((chat_id, id)))
    }

    fn edit_reply_markup(&mut self, p: &Value) -> MessageAnswer {
        let markup = inline_markup(p)?;
        if p.get("inline_message_id").is_some() {
            return Ok(None);
        }
        let (chat_id, id) = self.own_message(p)?;
        let stored = self
            .messages
            .get_mut(&(chat_id, id))
            .expect("checked by own_message");
        if stored.json.get("reply_markup") == markup.as_ref() {
            return Err(ApiErr::bad(NOT_MODIFIED));
        }
        match markup {
            Some(markup) => stored.json["reply_markup"] = markup,
            None => {
                if let Some(map) = stored.json.as_object_mut() {
                    map.remove("reply_markup");
                }
            }
        }
        stored.json["edit_date"] = json!(unix_now());
        let raw = stored.raw.clone().unwrap_or_default();
        self.record_sent((chat_id, id), "editmessagereplymarkup", raw, None);
        Ok(Some((chat_id, id)))
    }

    fn delete_message(&mut self, p: &Value) -> Answer {
        let (chat_id, _) = self.chat(p, "chat_id", false)?;
        let id = int(p, "message_id")
            .ok_or_else(|| ApiErr::bad("message identifier is not specified"))?;
        match self.messages.remove(&(chat_id, id)) {
            Some(_) => Ok(json!(true)),
            None => Err(ApiErr::bad("message to delete not found")),
        }
    }

    fn answer_callback_query(&mut self, p: &Value) -> Answer {
        if text_param(p, "text").is_some_and(|t| t.chars().count() > 200) {
            return Err(ApiErr::bad("MESSAGE_TOO_LONG"));
        }
        let id = text_param(p, "callback_query_id").unwrap_or_default();
        // A query can be answered once; ids the fake never issued are "too old".
        if self.open_callbacks.remove(&id) {
            Ok(json!(true))
        } else {
            Err(ApiErr::bad(
                "query is too old and response timeout expired or query id is invalid",
            ))
        }
    }

    /// sendPhoto / sendVoice / sendDocument: the file as a file_id Telegram gave, a URL or an
    /// uploaded part.
    fn send_file(&mut self, p: &Value, kind: &str) -> MessageAnswer {
        let (chat_id, chat) = self.chat(p, "chat_id", true)?;
        self.may_send(chat_id, kind)?;
        let thread = self.thread(p, chat_id)?;
        let Some(mut file) = text_param(p, kind) else {
            return Err(ApiErr::bad(&format!("there is no {kind} in the request")));
        };
        // teloxide uploads as `"document": "attach://<part>"` plus a file part of that name.
        if let Some(part) = file.strip_prefix("attach://") {
            file = text_param(p, part).unwrap_or_default();
        }
        let raw = text_param(p, "caption").unwrap_or_default();
        let mode = text_param(p, "parse_mode");
        let (caption, entities) = parse_text(&raw, mode.as_deref())?;
        if caption.chars().count() > 1024 {
            return Err(ApiErr::bad("message caption is too long"));
        }
        let markup = inline_markup(p)?;
        // An uploaded part shows as `<file NAME, N bytes>`; anything else is a file id (or a
        // URL), which must be one Telegram gave.
        let upload = file.strip_prefix("<file ").and_then(|f| {
            let (name, rest) = f.split_once(", ")?;
            let bytes = rest.split(' ').next()?.parse().ok()?;
            Some((name.to_owned(), bytes))
        });
        if upload.is_none() && !self.files.contains(&file) && !file.starts_with("http") {
            return Err(ApiErr::bad("wrong file identifier/HTTP URL specified"));
        }
        self.rate_limit(chat_id)?;
        let file_id = match &upload {
            Some((name, bytes)) => {
                self.next_file += 1;
                let id = format!("file-{kind}-{}", self.next_file);
                self.files.insert(id.clone());
                self.uploads.push(Upload {
                    kind: kind.to_owned(),
                    name: name.clone(),
                    bytes: *bytes,
                    file_id: id.clone(),
                });
                id
            }
            None => file.clone(),
        };
        let meta = json!({ "file_id": file_id,
            "file_unique_id": format!("u-{file_id}"), "file_size": 1000 });
        let mut content = match kind {
            "photo" => {
                let mut size = json!({ "width": 1280, "height": 853 });
                merge(&mut size, meta);
                json!({ "photo": [size] })
            }
            "voice" => {
                let mut voice = json!({ "duration": 5, "mime_type": "audio/ogg" });
                merge(&mut voice, meta);
                json!({ "voice": voice })
            }
            _ => {
                let name = upload
                    .as_ref()
                    .map_or("document", |(name, _)| name.as_str());
                let mut doc = json!({ "file_name": name });
                merge(&mut doc, meta);
                json!({ "document": doc })
            }
        };
        if !caption.is_empty() {
            content["caption"] = json!(caption);
        }
        if !entities.is_empty() {
            content["caption_entities"] = json!(entities);
        }
        if let Some(markup) = markup {
            content["reply_markup"] = markup;
        }
        let key = self.new_bot_message(chat_id, chat, thread, content, Some(raw.clone()));
        self.record_sent(key, &format!("send{kind}"), raw, mode);
        Ok(Some(key))
    }

    /// copyMessage answers a MessageId; the copy keeps the content, not the sender.
    fn copy_message(&mut self, p: &Value) -> Answer {
        let (from_chat, _) = self.chat(p, "from_chat_id", false)?;
        let id = int(p, "message_id")
            .ok_or_else(|| ApiErr::bad("message identifier is not specified"))?;
        let Some(source) = self.messages.get(&(from_chat, id)) else {
            return Err(ApiErr::bad("message to copy not found"));
        };
        let mut content = source.json.clone();
        let raw = source.raw.clone();
        if let Some(map) = content.as_object_mut() {
            for key in [
                "message_id",
                "from",
                "chat",
                "date",
                "edit_date",
                "reply_markup",
                "message_thread_id",
                "is_topic_message",
            ] {
                map.remove(key);
            }
        }
        let (chat_id, chat) = self.chat(p, "chat_id", true)?;
        let thread = self.thread(p, chat_id)?;
        for kind in ["photo", "document"] {
            if content.get(kind).is_some() {
                self.may_send(chat_id, kind)?;
            }
        }
        if let Some(caption) = text_param(p, "caption") {
            let (caption, entities) = parse_text(&caption, text_param(p, "parse_mode").as_deref())?;
            content["caption"] = json!(caption);
            content["caption_entities"] = json!(entities);
        }
        if let Some(markup) = inline_markup(p)? {
            content["reply_markup"] = markup;
        }
        self.rate_limit(chat_id)?;
        let key = self.new_bot_message(chat_id, chat, thread, content, raw.clone());
        self.record_sent(key, "copymessage", raw.unwrap_or_default(), None);
        Ok(json!({ "message_id": key.1 }))
    }

    fn set_my_commands(&mut self, p: &Value) -> Answer {
        let Some(Value::Array(commands)) = structured(p, "commands")? else {
            return Err(ApiErr::bad("can't parse commands JSON object"));
        };
        if commands.len() > 100 {
            return Err(ApiErr::bad("BOT_COMMANDS_TOO_MUCH"));
        }
        for c in &commands {
            let name = c.get("command").and_then(Value::as_str).unwrap_or("");
            let ok = (1..=32).contains(&name.len())
                && name
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            if !ok {
                return Err(ApiErr::bad("BOT_COMMAND_INVALID"));
            }
            let description = c.get("description").and_then(Value::as_str).unwrap_or("");
            if description.trim().is_empty() {
                return Err(ApiErr::bad("command description must be non-empty"));
            }
            if description.chars().count() > 256 {
                return Err(ApiErr::bad("command description is too long"));
            }
        }
        let lang = text_param(p, "language_code").unwrap_or_default();
        // Only two-letter ISO 639-1 codes (no "hmn"): see telegram-limits.md.
        let two_letters = lang.len() == 2 && lang.bytes().all(|b| b.is_ascii_lowercase());
        if !(lang.is_empty() || two_letters) {
            return Err(ApiErr::bad("invalid language code specified"));
        }
        let key = commands_key(structured(p, "scope")?, &lang);
        self.commands.insert(key, commands);
        Ok(json!(true))
    }

    /// Like Telegram: HTTPS only, ports 443, 80, 88 or 8443, a secret of 1 to 256 `A-Za-z0-9_-`.
    /// An empty url removes the webhook.
    fn set_webhook(&mut self, p: &Value) -> Answer {
        let url = text_param(p, "url").unwrap_or_default();
        if url.is_empty() {
            self.webhook = None;
            return Ok(json!(true));
        }
        let parsed =
            reqwest::Url::parse(&url).map_err(|_| ApiErr::bad("bad webhook: invalid URL"))?;
        if parsed.scheme() != "https" {
            return Err(ApiErr::bad(
                "bad webhook: HTTPS url must be provided for webhook",
            ));
        }
        if !matches!(parsed.port_or_known_default(), Some(443 | 80 | 88 | 8443)) {
            return Err(ApiErr::bad(
                "bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443",
            ));
        }
        let secret = text_param(p, "secret_token").filter(|s| !s.is_empty());
        if let Some(secret) = &secret {
            let ok = secret.len() <= 256
                && secret
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
            if !ok {
                return Err(ApiErr::bad("secret token contains unallowed characters"));
            }
        }
        if flag(p, "drop_pending_updates") {
            self.queue.clear();
        }
        self.webhook = Some(Webhook {
            last_error: None,
            url,
            secret,
            params: p.clone(),
        });
        Ok(json!(true))
    }

    fn webhook_info(&self) -> Value {
        let mut info = json!({ "url": "", "has_custom_certificate": false, "pending_update_count": self.queue.len() });
        if let Some(hook) = &self.webhook {
            info["url"] = json!(hook.url);
            if let Some(n) = int(&hook.params, "max_connections") {
                info["max_connections"] = json!(n);
            }
            if let Ok(Some(kinds)) = structured(&hook.params, "allowed_updates") {
                info["allowed_updates"] = kinds;
            }
            if let Some(error) = &hook.last_error {
                info["last_error_message"] = json!(error);
                info["last_error_date"] = json!(unix_now());
            }
        }
        info
    }

    fn forum(&self, p: &Value) -> Result<i64, ApiErr> {
        let (chat_id, chat) = self.chat(p, "chat_id", true)?;
        if chat.get("is_forum") != Some(&Value::Bool(true)) {
            return Err(ApiErr::bad("the chat is not a forum"));
        }
        Ok(chat_id)
    }

    fn rights(&self, chat_id: i64) -> BotRights {
        self.rights
            .get(&chat_id)
            .copied()
            .unwrap_or_else(BotRights::all)
    }

    /// Whether the bot may send a `kind` (`photo`, `document`) to group `chat_id`.
    fn may_send(&self, chat_id: i64, kind: &str) -> Result<(), ApiErr> {
        let rights = self.rights(chat_id);
        let allowed = match kind {
            "photo" => rights.send_photos,
            "document" => rights.send_documents,
            _ => true,
        };
        if chat_id < 0 && !allowed {
            let what = if kind == "photo" {
                "photos"
            } else {
                "documents"
            };
            return Err(ApiErr::bad(&format!(
                "not enough rights to send {what} to the chat"
            )));
        }
        Ok(())
    }

    fn create_forum_topic(&mut self, p: &Value) -> Answer {
        let chat_id = self.forum(p)?;
        let rights = self.rights(chat_id);
        if !(rights.admin && rights.manage_topics) {
            return Err(ApiErr::bad("not enough rights to create a topic"));
        }
        let name = text_param(p, "name").unwrap_or_default();
        if !(1..=128).contains(&name.chars().count()) {
            return Err(ApiErr::bad("TOPIC_NAME_INVALID"));
        }
        // A topic's id is the id of the service message that opened it.
        let thread = self.new_message_id(chat_id);
        let icon_color = int(p, "icon_color").unwrap_or(0x6FB9F0);
        self.topics.insert(
            (chat_id, thread),
            Topic {
                name: name.clone(),
                closed: false,
            },
        );
        let mut topic =
            json!({ "message_thread_id": thread, "name": name, "icon_color": icon_color });
        if let Some(emoji) = text_param(p, "icon_custom_emoji_id") {
            topic["icon_custom_emoji_id"] = json!(emoji);
        }
        Ok(topic)
    }

    fn change_forum_topic(&mut self, method: &str, p: &Value) -> Answer {
        let chat_id = self.forum(p)?;
        let thread = int(p, "message_thread_id").unwrap_or_default();
        let name = text_param(p, "name");
        let Some(topic) = self.topics.get_mut(&(chat_id, thread)) else {
            return Err(ApiErr::bad("message thread not found"));
        };
        match method {
            "editforumtopic" => {
                if let Some(name) = name {
                    if !(1..=128).contains(&name.chars().count()) {
                        return Err(ApiErr::bad("TOPIC_NAME_INVALID"));
                    }
                    topic.name = name;
                }
            }
            "closeforumtopic" | "reopenforumtopic" => {
                let close = method == "closeforumtopic";
                if topic.closed == close {
                    return Err(ApiErr::bad("TOPIC_NOT_MODIFIED"));
                }
                topic.closed = close;
            }
            _ => {
                self.topics.remove(&(chat_id, thread));
            }
        }
        Ok(json!(true))
    }

    fn get_chat(&self, p: &Value) -> Answer {
        let (chat_id, mut chat) = self.chat(p, "chat_id", false)?;
        if chat_id < 0 {
            // What members may do: where the bot is no administrator, this is what it may do.
            let rights = self.rights(chat_id);
            chat["permissions"] = json!({ "can_send_messages": true,
                "can_send_photos": rights.send_photos, "can_send_documents": rights.send_documents });
        }
        merge(
            &mut chat,
            json!({ "accent_color_id": 0, "max_reaction_count": 11, "accepted_gift_types":
                { "unlimited_gifts": false, "limited_gifts": false, "unique_gifts": false, "premium_subscription": false } }),
        );
        Ok(chat)
    }

    fn get_chat_member(&self, p: &Value) -> Answer {
        let (chat_id, _) = self.chat(p, "chat_id", false)?;
        let user_id = int(p, "user_id").ok_or_else(|| ApiErr::bad("user_id is empty"))?;
        if user_id == self.bot_id {
            let given = self.rights(chat_id);
            if !given.admin {
                return Ok(json!({ "user": self.bot_user(), "status": "member" }));
            }
            let rights = json!({ "user": self.bot_user(), "status": "administrator", "can_be_edited": false,
                "is_anonymous": false, "can_manage_chat": true, "can_change_info": true,
                "can_delete_messages": true, "can_manage_video_chats": true, "can_invite_users": true,
                "can_restrict_members": true, "can_promote_members": false, "can_pin_messages": true,
                "can_manage_topics": given.manage_topics });
            return Ok(rights);
        }
        match self.users.get(&user_id) {
            Some(user) if chat_id > 0 && self.blocked.contains(&chat_id) => {
                Ok(json!({ "user": user, "status": "kicked", "until_date": 0 }))
            }
            Some(user) => Ok(json!({ "user": user, "status": "member" })),
            None => Err(ApiErr::bad("user not found")),
        }
    }
}

// ===== text validation ===========================================================================

/// `{"text", "entities"}` of a message after Telegram's checks: 1 to 4096 characters after
/// entity parsing (not bytes: Vietnamese letters count one each).
fn message_text(raw: &str, parse_mode: Option<&str>) -> Result<Value, ApiErr> {
    let (text, entities) = parse_text(raw, parse_mode)?;
    if text.trim().is_empty() {
        return Err(ApiErr::bad("message text is empty"));
    }
    if text.chars().count() > 4096 {
        return Err(ApiErr::bad("message is too long"));
    }
    // Built by moving the parts in: json! would copy them.
    let mut content = Map::new();
    content.insert("text".into(), Value::String(text));
    if !entities.is_empty() {
        content.insert("entities".into(), Value::Array(entities));
    }
    Ok(Value::Object(content))
}

/// Applies a parse_mode: the text as the user sees it and its entities.
fn parse_text(raw: &str, parse_mode: Option<&str>) -> Result<(String, Vec<Value>), ApiErr> {
    let cant_parse = |e: String| ApiErr::bad(&format!("can't parse entities: {e}"));
    match parse_mode.map(str::to_ascii_lowercase).as_deref() {
        None | Some("") | Some("markdown") => Ok((raw.to_owned(), Vec::new())),
        Some("html") => parse_html(raw).map_err(cant_parse),
        Some("markdownv2") => check_markdown_v2(raw)
            .map(|plain| (plain, Vec::new()))
            .map_err(cant_parse),
        Some(_) => Err(ApiErr::bad("unsupported parse_mode")),
    }
}

/// An entity being built: kind, UTF-16 offset and length, and its argument (url, language, id).
struct Entity {
    kind: &'static str,
    offset: usize,
    length: usize,
    arg: String,
}

/// Telegram's HTML parse mode, following tdlib's parser (which the Bot API runs) so that what
/// it refuses and its error texts match: only the supported tags, nested and closed; `<`
/// always starts a tag; attributes `name="v"`, `name='v'` or `name=token`.
///
/// One deliberate difference: Telegram keeps a lone `&` that starts no entity as text; the fake
/// refuses it, since text that was not escaped will one day contain a `<`.
fn parse_html(text: &str) -> Result<(String, Vec<Value>), String> {
    const TAGS: &[&str] = &[
        "a",
        "b",
        "strong",
        "i",
        "em",
        "s",
        "strike",
        "del",
        "u",
        "ins",
        "tg-spoiler",
        "tg-emoji",
        "tg-time",
        "span",
        "pre",
        "code",
        "blockquote",
    ];
    if text.contains('\0') {
        return Err("Text must not contain null bytes".into());
    }
    let b = text.as_bytes();
    // Reads like a NUL-terminated C string, as tdlib does: 0 past the end.
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    let is_space = |c: u8| matches!(c, b' ' | b'\t' | b'\r' | b'\n' | 0x0b | 0x0c);
    let char_at = |i: usize| text[i..].chars().next().unwrap_or('\u{fffd}');

    let mut out = String::new();
    let mut utf16 = 0;
    let mut open: Vec<(String, String, usize)> = Vec::new(); // tag, argument, utf16 offset
    let mut entities: Vec<Entity> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'&' {
            let Some((ch, next)) = decode_html_entity(b, i) else {
                return Err(format!(
                    "Unescaped \"&\" at byte offset {i}: write &amp; (Telegram would keep it as text)"
                ));
            };
            out.push(ch);
            utf16 += ch.len_utf16();
            i = next;
            continue;
        }
        if b[i] != b'<' {
            let ch = char_at(i);
            out.push(ch);
            utf16 += ch.len_utf16();
            i += ch.len_utf8();
            continue;
        }
        let begin = i;
        i += 1;
        if at(i) != b'/' {
            while at(i) != 0 && !is_space(at(i)) && at(i) != b'>' {
                i += 1;
            }
            if at(i) == 0 {
                return Err(format!("Unclosed start tag at byte offset {begin}"));
            }
            let tag = text[begin + 1..i].to_ascii_lowercase();
            if !TAGS.contains(&tag.as_str()) {
                return Err(format!(
                    "Unsupported start tag \"{tag}\" at byte offset {begin}"
                ));
            }
            let mut arg = String::new();
            while at(i) != b'>' {
                while at(i) != 0 && is_space(at(i)) {
                    i += 1;
                }
                if at(i) == b'>' {
                    break;
                }
                let name_begin = i;
                while at(i) != 0
                    && !is_space(at(i))
                    && !matches!(at(i), b'=' | b'>' | b'/' | b'"' | b'\'')
                {
                    i += 1;
                }
                let name = &text[name_begin..i];
                if name.is_empty() {
                    return Err(format!(
                        "Empty attribute name in the tag \"{tag}\" at byte offset {begin}"
                    ));
                }
                while at(i) != 0 && is_space(at(i)) {
                    i += 1;
                }
                if at(i) != b'=' {
                    if at(i) == 0 {
                        return Err(format!(
                            "Unclosed start tag \"{tag}\" at byte offset {begin}"
                        ));
                    }
                    if tag == "blockquote" && name == "expandable" {
                        arg = "1".into();
                    }
                    continue;
                }
                i += 1;
                while at(i) != 0 && is_space(at(i)) {
                    i += 1;
                }
                if at(i) == 0 {
                    return Err(format!(
                        "Unclosed start tag \"{tag}\" at byte offset {begin}"
                    ));
                }
                let value = if at(i) != b'"' && at(i) != b'\'' {
                    let token_begin = i;
                    while at(i).is_ascii_alphanumeric() || at(i) == b'.' || at(i) == b'-' {
                        i += 1;
                    }
                    if !is_space(at(i)) && at(i) != b'>' {
                        return Err(format!(
                            "Unexpected end of name token at byte offset {token_begin}"
                        ));
                    }
                    text[token_begin..i].to_ascii_lowercase()
                } else {
                    let quote = at(i);
                    i += 1;
                    let mut value = String::new();
                    while at(i) != quote && at(i) != 0 {
                        if at(i) == b'&'
                            && let Some((ch, next)) = decode_html_entity(b, i)
                        {
                            value.push(ch);
                            i = next;
                            continue;
                        }
                        let ch = char_at(i);
                        value.push(ch);
                        i += ch.len_utf8();
                    }
                    if at(i) == quote {
                        i += 1;
                    }
                    value
                };
                if at(i) == 0 {
                    return Err(format!("Unclosed start tag at byte offset {begin}"));
                }
                match (tag.as_str(), name) {
                    ("a", "href") | ("tg-emoji", "emoji-id") => arg = value,
                    ("code", "class") if value.starts_with("language-") => {
                        arg = value[9..].to_owned()
                    }
                    ("span", "class") if value.starts_with("tg-") => arg = value[3..].to_owned(),
                    ("blockquote", "expandable") => arg = "1".into(),
                    _ => {}
                }
            }
            if tag == "span" && arg != "spoiler" {
                return Err(format!(
                    "Tag \"span\" must have class \"tg-spoiler\" at byte offset {begin}"
                ));
            }
            i += 1; // '>'
            open.push((tag, arg, utf16));
        } else {
            if open.is_empty() {
                return Err(format!("Unexpected end tag at byte offset {begin}"));
            }
            while at(i) != 0 && !is_space(at(i)) && at(i) != b'>' {
                i += 1;
            }
            let end_tag = text[begin + 2..i].to_ascii_lowercase();
            while is_space(at(i)) {
                i += 1;
            }
            if at(i) != b'>' {
                return Err(format!("Unclosed end tag at byte offset {begin}"));
            }
            i += 1;
            let (tag, arg, offset) = open.pop().expect("checked non-empty");
            if !end_tag.is_empty() && end_tag != tag {
                return Err(format!(
                    "Unmatched end tag at byte offset {begin}, expected \"</{tag}>\", found \"</{end_tag}>\""
                ));
            }
            if utf16 > offset {
                add_entity(&mut entities, &tag, arg, offset, utf16 - offset)?;
            }
        }
    }
    if let Some((tag, _, _)) = open.last() {
        return Err(format!(
            "Can't find end tag corresponding to start tag \"{tag}\""
        ));
    }
    entities.sort_by_key(|e| (e.offset, std::cmp::Reverse(e.length)));
    let entities = entities
        .into_iter()
        .map(|e| {
            let mut v = json!({ "type": e.kind, "offset": e.offset, "length": e.length });
            match e.kind {
                "text_link" => v["url"] = json!(e.arg),
                "custom_emoji" => v["custom_emoji_id"] = json!(e.arg),
                "pre" if !e.arg.is_empty() => v["language"] = json!(e.arg),
                _ => {}
            }
            v
        })
        .collect();
    Ok((out, entities))
}

/// The entity a closed tag makes, as tdlib does (pre + code with a language make one pre).
fn add_entity(
    entities: &mut Vec<Entity>,
    tag: &str,
    arg: String,
    offset: usize,
    length: usize,
) -> Result<(), String> {
    let same_span = |e: &Entity| e.offset == offset && e.length == length;
    let kind = match tag {
        "i" | "em" => "italic",
        "b" | "strong" => "bold",
        "s" | "strike" | "del" => "strikethrough",
        "u" | "ins" => "underline",
        "tg-spoiler" | "span" => "spoiler",
        "blockquote" if arg.is_empty() => "blockquote",
        "blockquote" => "expandable_blockquote",
        "tg-emoji" => {
            if arg.parse::<i64>().map_or(true, |id| id <= 0) {
                return Err("Invalid custom emoji identifier specified".into());
            }
            "custom_emoji"
        }
        // Telegram checks and normalises the link; a link it cannot use just makes no entity.
        "a" => match reqwest::Url::parse(&arg) {
            Ok(url) if matches!(url.scheme(), "http" | "https") => {
                entities.push(Entity {
                    kind: "text_link",
                    offset,
                    length,
                    arg: url.to_string(),
                });
                return Ok(());
            }
            _ => return Ok(()),
        },
        "pre" => match entities.last_mut() {
            Some(last) if last.kind == "code" && same_span(last) && !last.arg.is_empty() => {
                last.kind = "pre";
                return Ok(());
            }
            _ => "pre",
        },
        "code" => match entities.last_mut() {
            Some(last) if last.kind == "pre" && same_span(last) && !arg.is_empty() => {
                last.arg = arg;
                return Ok(());
            }
            _ => "code",
        },
        _ => return Ok(()), // tg-time: teloxide has no entity for it
    };
    let arg = if kind == "custom_emoji" || tag == "code" {
        arg
    } else {
        String::new()
    };
    entities.push(Entity {
        kind,
        offset,
        length,
        arg,
    });
    Ok(())
}

/// `&lt; &gt; &amp; &quot; &#NN; &#xHH;` (the `;` optional), as tdlib decodes them:
/// the character and the byte index after the entity.
fn decode_html_entity(b: &[u8], pos: usize) -> Option<(char, usize)> {
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    let mut end = pos + 1;
    let code = if at(end) == b'#' {
        end += 1;
        let mut code: u64 = 0;
        if at(end) == b'x' {
            end += 1;
            while at(end).is_ascii_hexdigit() {
                code = (code * 16 + u64::from((at(end) as char).to_digit(16)?))
                    .min(u64::from(u32::MAX));
                end += 1;
            }
        } else {
            while at(end).is_ascii_digit() {
                code = (code * 10 + u64::from(at(end) - b'0')).min(u64::from(u32::MAX));
                end += 1;
            }
        }
        if code == 0 || code >= 0x10ffff || end - pos >= 10 {
            return None;
        }
        code as u32
    } else {
        while at(end).is_ascii_alphabetic() {
            end += 1;
        }
        match &b[pos + 1..end] {
            b"lt" => u32::from('<'),
            b"gt" => u32::from('>'),
            b"amp" => u32::from('&'),
            b"quot" => u32::from('"'),
            _ => return None,
        }
    };
    let end = if at(end) == b';' { end + 1 } else { end };
    Some((char::from_u32(code)?, end))
}

/// MarkdownV2, checked the way Telegram refuses it: every `_*[]()~`>#+-=|{}.!` outside an entity
/// escaped with `\`, every entity closed. Returns the text without the markup. A simplified
/// reading of tdlib's parser (no entities are produced).
fn check_markdown_v2(text: &str) -> Result<String, String> {
    const RESERVED: &[u8] = b"_*[]()~`>#+-=|{}.!";
    let b = text.as_bytes();
    let at = |i: usize| b.get(i).copied().unwrap_or(0);
    let mut out = String::new();
    let mut open: Vec<(&'static str, usize)> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c == b'\\' && (1..=126).contains(&at(i + 1)) {
            out.push(at(i + 1) as char);
            i += 2;
            continue;
        }
        let top = open.last().map(|(kind, _)| *kind);
        if matches!(top, Some("Code" | "Pre")) {
            if top == Some("Code") && c == b'`' {
                open.pop();
                i += 1;
            } else if top == Some("Pre") && b[i..].starts_with(b"```") {
                open.pop();
                i += 3;
            } else {
                let ch = text[i..].chars().next().unwrap_or('\u{fffd}');
                out.push(ch);
                i += ch.len_utf8();
            }
            continue;
        }
        if !RESERVED.contains(&c) {
            let ch = text[i..].chars().next().unwrap_or('\u{fffd}');
            out.push(ch);
            i += ch.len_utf8();
            continue;
        }
        // Bold, italic, underline, strikethrough, spoiler: the same mark opens and closes.
        let toggled = match c {
            b'_' if at(i + 1) == b'_' => Some(("Underline", 2)),
            b'_' => Some(("Italic", 1)),
            b'*' => Some(("Bold", 1)),
            b'~' => Some(("Strikethrough", 1)),
            b'|' if at(i + 1) == b'|' => Some(("Spoiler", 2)),
            _ => None,
        };
        if let Some((kind, width)) = toggled {
            if top == Some(kind) {
                open.pop();
            } else {
                open.push((kind, i));
            }
            i += width;
            continue;
        }
        i += match c {
            b'[' => {
                open.push(("TextUrl", i));
                1
            }
            b'!' if at(i + 1) == b'[' => {
                open.push(("CustomEmoji", i));
                2
            }
            b']' if matches!(top, Some("TextUrl" | "CustomEmoji")) => {
                open.pop();
                if at(i + 1) == b'(' {
                    let mut j = i + 2;
                    while at(j) != 0 && at(j) != b')' {
                        j += if at(j) == b'\\' { 2 } else { 1 };
                    }
                    if at(j) != b')' {
                        return Err(format!("Can't find end of a URL at byte offset {}", i + 1));
                    }
                    j + 1 - i
                } else if top == Some("CustomEmoji") {
                    return Err("Custom emoji entity must contain a tg://emoji URL".into());
                } else {
                    1
                }
            }
            b'`' if b[i..].starts_with(b"```") => {
                open.push(("Pre", i));
                // An optional language name on the rest of the first line.
                let rest = &b[i + 3..];
                let lang = rest
                    .iter()
                    .take_while(|x| x.is_ascii_alphanumeric() || **x == b'-')
                    .count();
                if rest.get(lang) == Some(&b'\n') {
                    3 + lang + 1
                } else {
                    3
                }
            }
            b'`' => {
                open.push(("Code", i));
                1
            }
            b'>' if i == 0 || b[i - 1] == b'\n' => 1, // a blockquote line
            _ => {
                return Err(format!(
                    "Character '{}' is reserved and must be escaped with the preceding '\\'",
                    c as char
                ));
            }
        };
    }
    if let Some((kind, offset)) = open.last() {
        return Err(format!(
            "Can't find end of {kind} entity at byte offset {offset}"
        ));
    }
    Ok(out)
}

/// The inline keyboard of `reply_markup`, checked like Telegram; `None` for none or for a reply
/// keyboard (accepted, but a Message only ever shows an inline one).
fn inline_markup(p: &Value) -> Result<Option<Value>, ApiErr> {
    let Some(markup) = structured(p, "reply_markup")? else {
        return Ok(None);
    };
    let Some(rows) = markup.get("inline_keyboard") else {
        return Ok(None);
    };
    let Some(rows) = rows.as_array() else {
        return Err(ApiErr::bad("can't parse inline keyboard markup"));
    };
    for row in rows {
        let Some(buttons) = row.as_array() else {
            return Err(ApiErr::bad("can't parse inline keyboard markup"));
        };
        for button in buttons {
            if !button.get("text").is_some_and(Value::is_string) {
                return Err(ApiErr::bad(
                    "can't parse inline keyboard button: Field \"text\" must be of type String",
                ));
            }
            if let Some(data) = button.get("callback_data") {
                // 1 to 64 BYTES: a Vietnamese letter with diacritics takes 2 or 3.
                let len = data.as_str().map_or(0, str::len);
                if !(1..=64).contains(&len) {
                    return Err(ApiErr::bad("BUTTON_DATA_INVALID"));
                }
            } else if let Some(url) = button.get("url") {
                let ok = url
                    .as_str()
                    .and_then(|u| reqwest::Url::parse(u).ok())
                    .is_some_and(|u| matches!(u.scheme(), "http" | "https" | "tg"));
                if !ok {
                    return Err(ApiErr::bad("BUTTON_URL_INVALID"));
                }
            } else {
                const KINDS: &[&str] = &[
                    "login_url",
                    "web_app",
                    "switch_inline_query",
                    "switch_inline_query_current_chat",
                    "switch_inline_query_chosen_chat",
                    "copy_text",
                    "callback_game",
                    "pay",
                ];
                if !KINDS.iter().any(|k| button.get(*k).is_some()) {
                    return Err(ApiErr::bad(
                        "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
                    ));
                }
            }
        }
    }
    Ok(Some(markup))
}

fn buttons_of(markup: Option<&Value>) -> Vec<(String, String)> {
    let rows = markup
        .and_then(|m| m.get("inline_keyboard"))
        .and_then(Value::as_array);
    rows.into_iter()
        .flatten()
        .filter_map(Value::as_array)
        .flatten()
        .map(|b| {
            let data = b
                .get("callback_data")
                .or_else(|| b.get("url"))
                .map(str_of)
                .unwrap_or_default();
            (str_of(&b["text"]), data)
        })
        .collect()
}

// ===== small helpers =============================================================================

fn unix_now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

fn update_id(update: &Value) -> i64 {
    update["update_id"]
        .as_i64()
        .expect("stamped updates have an update_id")
}

fn user_json(user: i64) -> Value {
    json!({ "id": user, "is_bot": false, "first_name": format!("User{user}") })
}

fn message_update(user: i64, content: Value) -> Value {
    let mut message = json!({ "date": unix_now(), "chat": FakeTelegram::private_chat(user), "from": user_json(user) });
    merge(&mut message, content);
    json!({ "message": message })
}

/// The file id of a message's photo (largest size), voice note, video or document.
fn file_of(message: &Value) -> Option<String> {
    let file = match message.get("photo") {
        Some(sizes) => sizes.as_array()?.last()?,
        None => ["voice", "video", "document", "audio"]
            .iter()
            .find_map(|k| message.get(*k))?,
    };
    file.get("file_id")?.as_str().map(str::to_owned)
}

fn file_meta(kind: &str, user: i64) -> Value {
    json!({ "file_id": format!("{kind}-{user}"), "file_unique_id": format!("u-{kind}-{user}"), "file_size": 2048 })
}

/// Copies the keys of `extra` (an object) into `target` (an object).
fn merge(target: &mut Value, extra: Value) {
    if let (Some(target), Value::Object(extra)) = (target.as_object_mut(), extra) {
        target.extend(extra);
    }
}

fn str_of(v: &Value) -> String {
    v.as_str().map(str::to_owned).unwrap_or_default()
}

fn commands_key(scope: Option<Value>, language_code: &str) -> String {
    let scope = scope
        .and_then(|s| s.get("type").map(str_of))
        .unwrap_or_else(|| "default".into());
    format!("{scope}|{language_code}")
}

/// An integer parameter, sent as a JSON number or (form, multipart, query) as a string.
fn int(p: &Value, key: &str) -> Option<i64> {
    match p.get(key)? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn text_param(p: &Value, key: &str) -> Option<String> {
    match p.get(key)? {
        Value::String(s) => Some(s.clone()),
        Value::Null => None,
        other => Some(other.to_string()),
    }
}

fn flag(p: &Value, key: &str) -> bool {
    match p.get(key) {
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) => s == "true",
        _ => false,
    }
}

/// A JSON-valued parameter: an object or array in a JSON body, a JSON string in a form.
fn structured(p: &Value, key: &str) -> Result<Option<Value>, ApiErr> {
    match p.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => serde_json::from_str(s)
            .map(Some)
            .map_err(|_| ApiErr::bad(&format!("can't parse {key} JSON object"))),
        Some(v) => Ok(Some(v.clone())),
    }
}
