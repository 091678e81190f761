//! Several bot instances on one PostgreSQL database, fed by webhook deliveries split between
//! them, duplicated and interleaved, as a province would run the bot behind one address.

use crate::harness;
use crate::harness::cluster::{self, Cluster, portal_walk};
use crate::harness::postgres_skipped;
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

/// PostgreSQL over TLS, against a certificate authority made here: `sslmode=require` encrypts
/// (and refuses a server that will not), `sslmode=verify-full` with the authority's certificate
/// connects, and refuses a certificate no known authority signed or one made out to another name.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_store_speaks_tls_to_postgresql_and_checks_the_certificate_when_asked() {
    if postgres_skipped() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let db = harness::TestDb::new(harness::POSTGRES, dir.path());
    let authority = tls::Authority::new();
    let root = dir.path().join("root.pem");
    std::fs::write(&root, authority.pem()).expect("the authority's certificate");
    let server = tls::address(&db.url);
    let right = tls::Proxy::start(&server, Some(authority.certificate_for("127.0.0.1"))).await;
    let wrong_name =
        tls::Proxy::start(&server, Some(authority.certificate_for("db.example"))).await;
    let in_clear = tls::Proxy::start(&server, None).await;
    let connect = |proxy: &tls::Proxy, params: String| {
        let url = proxy.url(&db.url, &params);
        async move { dvc_onboard::store::Store::connect(&url).await }
    };

    connect(&right, "sslmode=require".into())
        .await
        .expect("sslmode=require connects");
    let verified = format!("sslmode=verify-full&sslrootcert={}", root.display());
    connect(&right, verified.clone())
        .await
        .expect("verify-full connects to a certificate the authority signed");
    assert_eq!(right.handshakes(), 2, "each connection spoke TLS");

    let refusal = |result: anyhow::Result<dvc_onboard::store::Store>| match result {
        Ok(_) => panic!("connected where it should refuse"),
        Err(e) => format!("{e:#}").to_lowercase(),
    };
    let unknown = refusal(connect(&right, "sslmode=verify-full".into()).await);
    assert!(
        unknown.contains("unknownissuer"),
        "refused for its authority: {unknown}"
    );
    let other = refusal(connect(&wrong_name, verified).await);
    assert!(
        other.contains("not valid for name"),
        "refused for its name: {other}"
    );
    let clear = refusal(connect(&in_clear, "sslmode=require".into()).await);
    assert!(clear.contains("does not support tls"), "{clear}");
    assert_eq!(in_clear.handshakes(), 0);
}

/// A certificate authority and a TLS front for the local PostgreSQL, both made in the test: the
/// front answers PostgreSQL's TLS request itself, then passes the bytes on to the server.
mod tls {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::{TcpListener, TcpStream};
    use tokio_rustls::rustls::{self, pki_types};

    /// PostgreSQL's SSLRequest: its length, then the code 1234 5679.
    const SSL_REQUEST: [u8; 8] = [0, 0, 0, 8, 4, 210, 22, 47];

    pub struct Authority {
        params: rcgen::CertificateParams,
        key: rcgen::KeyPair,
        pem: String,
    }

    /// A server's certificate chain and key.
    pub struct Identity(Vec<pki_types::CertificateDer<'static>>, Vec<u8>);

    impl Authority {
        pub fn new() -> Authority {
            let key = rcgen::KeyPair::generate().expect("a key");
            let mut params = rcgen::CertificateParams::new(Vec::<String>::new()).expect("params");
            params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
            params
                .distinguished_name
                .push(rcgen::DnType::CommonName, "test authority");
            let pem = params.self_signed(&key).expect("a root").pem();
            Authority { params, key, pem }
        }

        pub fn pem(&self) -> &str {
            &self.pem
        }

        /// A certificate for `name` (a host name or an IP address), signed by this authority.
        pub fn certificate_for(&self, name: &str) -> Identity {
            let key = rcgen::KeyPair::generate().expect("a key");
            let params = rcgen::CertificateParams::new(vec![name.to_string()]).expect("params");
            let issuer = rcgen::Issuer::from_params(&self.params, &self.key);
            let cert = params.signed_by(&key, &issuer).expect("a certificate");
            Identity(vec![cert.der().clone()], key.serialize_der())
        }
    }

    pub struct Proxy {
        port: u16,
        handshakes: Arc<AtomicUsize>,
    }

    impl Proxy {
        /// Listens on loopback for `server`; `None` answers every TLS request "no" (a server in
        /// clear).
        pub async fn start(server: &str, identity: Option<Identity>) -> Proxy {
            let listener = TcpListener::bind("127.0.0.1:0").await.expect("a port");
            let port = listener.local_addr().expect("its address").port();
            let acceptor = identity.map(|Identity(chain, key)| {
                let key = pki_types::PrivateKeyDer::Pkcs8(key.into());
                let provider = Arc::new(rustls::crypto::ring::default_provider());
                let config = rustls::ServerConfig::builder_with_provider(provider)
                    .with_safe_default_protocol_versions()
                    .expect("TLS versions")
                    .with_no_client_auth()
                    .with_single_cert(chain, key)
                    .expect("a server configuration");
                tokio_rustls::TlsAcceptor::from(Arc::new(config))
            });
            let handshakes = Arc::new(AtomicUsize::new(0));
            let counted = handshakes.clone();
            let server = server.to_string();
            tokio::spawn(async move {
                while let Ok((client, _)) = listener.accept().await {
                    let to = server.clone();
                    tokio::spawn(serve(client, to, acceptor.clone(), counted.clone()));
                }
            });
            Proxy { port, handshakes }
        }

        /// `base` (the test database's URL) through this front, with `params`.
        pub fn url(&self, base: &str, params: &str) -> String {
            let mut url = url::Url::parse(base).expect("a database URL");
            url.set_port(Some(self.port)).expect("a port");
            url.set_query(Some(params));
            url.to_string()
        }

        /// TLS handshakes completed.
        pub fn handshakes(&self) -> usize {
            self.handshakes.load(Ordering::SeqCst)
        }
    }

    /// The `host:port` of a database URL.
    pub fn address(url: &str) -> String {
        let url = url::Url::parse(url).expect("a database URL");
        let host = url.host_str().unwrap_or("127.0.0.1").to_string();
        format!("{host}:{}", url.port().unwrap_or(5432))
    }

    async fn serve(
        mut client: TcpStream,
        server: String,
        acceptor: Option<tokio_rustls::TlsAcceptor>,
        handshakes: Arc<AtomicUsize>,
    ) {
        let mut request = [0u8; 8];
        if client.read_exact(&mut request).await.is_err() || request != SSL_REQUEST {
            return;
        }
        let Some(acceptor) = acceptor else {
            // "N": no TLS here. A client that requires it must hang up.
            let _ = client.write_all(b"N").await;
            return;
        };
        if client.write_all(b"S").await.is_err() {
            return;
        }
        let Ok(mut tls) = acceptor.accept(client).await else {
            return;
        };
        handshakes.fetch_add(1, Ordering::SeqCst);
        let Ok(mut server) = TcpStream::connect(server).await else {
            return;
        };
        let _ = tokio::io::copy_bidirectional(&mut tls, &mut server).await;
    }
}
