//! Reports: every figure against a hand count, over databases built through the engine and the
//! store (turns as citizens make them, staff actions, the in-person log, `demo-data`), never by
//! inserting rows the application would not write.

use crate::harness;
use crate::harness::TestDb;
use dvc_onboard::demo;
use dvc_onboard::report::period::{Date, Period};
use dvc_onboard::report::{self, BundleError, Params, Report, render};
use dvc_onboard::store::{InPerson, Store};
use dvc_onboard_core::content::{Content, ContentDirs};
use dvc_onboard_core::domain::{Milestone, Purpose, SessionOutcome};
use dvc_onboard_core::guide::engine::{Input, LANGUAGE_STEP, Outcome, step};
use dvc_onboard_core::lang::Lang;
use std::collections::BTreeMap;
use std::path::Path;

const MIN: i64 = 60_000;
const DAY: i64 = 86_400_000;
/// 01/07/2026 00:00 in Vietnam (UTC+7): the start of 2026-H2.
const T0: i64 = 1_782_838_800_000;

fn content() -> Content {
    ContentDirs::default()
        .load()
        .expect("the built-in content loads")
}

async fn store_in(db: &TestDb) -> Store {
    Store::connect(&db.url).await.expect("the database opens")
}

/// Runs `dvc-onboard args…` in `dir` against the test's database.
fn run_on(db: &TestDb, dir: &Path, args: &[&str], stdin: &str) -> std::process::Output {
    let env = db.env();
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    harness::run(dir, args, stdin, &env)
}

/// A citizen's inputs, one minute apart, through the engine and the store as `App` does them.
struct Citizen<'a> {
    store: &'a Store,
    content: &'a Content,
    who: &'static str,
    adapter: &'static str,
    at: i64,
}

impl<'a> Citizen<'a> {
    fn new(world: &'a (Store, Content), who: &'static str, at: i64) -> Citizen<'a> {
        Citizen {
            store: &world.0,
            content: &world.1,
            who,
            adapter: "telegram",
            at,
        }
    }

    async fn input(&mut self, input: Input<'_>) -> Outcome<'a> {
        let guide = &self.content.guide;
        let out = self
            .store
            .run(self.who, self.adapter, self.at, |state| {
                step(guide, state, input)
            })
            .await
            .expect("the turn is stored");
        self.at += MIN;
        out
    }

    async fn language(&mut self, lang: &str) {
        self.input(Input::Choice {
            step: LANGUAGE_STEP,
            choice: lang,
        })
        .await;
    }

    /// Presses buttons; each must be on the screen the citizen is on.
    async fn press(&mut self, path: &[(&str, &str)]) {
        for &(step_id, choice) in path {
            let out = self
                .input(Input::Choice {
                    step: step_id,
                    choice,
                })
                .await;
            assert!(
                !out.replies.iter().any(|r| r.message == "stale-button"),
                "{}: `{step_id}` was not on screen",
                self.who
            );
        }
    }
}

/// The questions before the account steps, for someone with a chip card, an own SIM and a
/// smartphone.
fn situation(commune: &'static str) -> Vec<(&'static str, &'static str)> {
    vec![
        ("safety", "ok"),
        ("commune", commune),
        ("age", "yes"),
        ("card", "yes"),
        ("card-valid", "valid"),
        ("phone-own", "yes"),
        ("smartphone", "yes"),
    ]
}

/// Has VNeID level 2 already: logs in to the portal (outcome `portal_login` at the 12th press).
fn portal(commune: &'static str, purpose: &'static str) -> Vec<(&'static str, &'static str)> {
    let mut p = situation(commune);
    p.extend([
        ("vneid-have", "level2"),
        ("login-open", "done"),
        ("login-vneid", "password"),
        ("login-password", "done"),
        ("login-first", "done"),
        ("finish", "ok"),
        ("purpose", purpose),
        ("rate", "good"),
    ]);
    p
}

/// Registered, not active: activates at level 1 (outcome `vneid_level1` at the 14th press).
fn level1(commune: &'static str, purpose: &'static str) -> Vec<(&'static str, &'static str)> {
    let mut p = situation(commune);
    p.extend([
        ("vneid-have", "not-active"),
        ("act-open", "done"),
        ("act-otp", "done"),
        ("act-password", "done"),
        ("act-passcode", "done"),
        ("act-questions", "done"),
        ("act-level2-offer", "later"),
        ("finish", "ok"),
        ("purpose", purpose),
        ("rate", "so-so"),
    ]);
    p
}

/// Level 1 already, level 2 done at the police (outcome `vneid_level2` at the 12th press).
fn level2(commune: &'static str, purpose: &'static str) -> Vec<(&'static str, &'static str)> {
    let mut p = situation(commune);
    p.extend([
        ("vneid-have", "level1"),
        ("lv2-go", "done-police"),
        ("lv2-result", "came"),
        ("lv2-check", "done"),
        ("login-offer", "later"),
        ("finish", "ok"),
        ("purpose", purpose),
        ("rate", "good"),
    ]);
    p
}

fn params(period: &str, as_of: i64) -> Params {
    let mut p = Params::current(as_of);
    p.period = Period::parse(period).expect("a period");
    p
}

async fn report(world: &(Store, Content), params: &Params) -> Report {
    report::build(&world.0, &world.1, params)
        .await
        .expect("the report is built")
}

/// The scenario of the figures test (each session's expected fate in the comments).
async fn scenario(db: &TestDb) -> (Store, Content) {
    let world = (store_in(db).await, content());
    let store = &world.0;

    // a: a first session that starts at 23:50 on 30/06 and ends with a portal log-in at 00:00 on
    // 1/07: counted in H1 only. Back on 11/07: activates level 1 (H2).
    let mut a = Citizen::new(&world, "a", T0 - 10 * MIN);
    a.language("vi").await;
    a.press(&portal("son-vi", "justice")).await;
    a.at = T0 + 10 * DAY;
    a.input(Input::Start).await;
    a.press(&level1("meo-vac", "labour")).await;

    // b: two sessions. The first stops on `card` (03/07); the next day b starts over, which
    // abandons it; the second: a parent registers a child under 6 (child's account applied for).
    let mut b = Citizen::new(&world, "b", T0 + 2 * DAY);
    b.language("hmn").await;
    b.press(&[("safety", "ok"), ("commune", "xin-cai"), ("age", "yes")])
        .await;
    b.at = T0 + 3 * DAY;
    b.input(Input::Restart).await;
    b.press(&[
        ("safety", "ok"),
        ("commune", "xin-cai"),
        ("age", "child"),
        ("child-age", "under-6"),
        ("child-under-6", "ok"),
        ("child-parent", "yes"),
        ("child-register", "done"),
        ("child-wait", "ok"),
        ("finish", "ok"),
        ("purpose", "other"),
        ("rate", "so-so"),
    ])
    .await;

    // c: portal log-in (06/07), then /forget; back the next day as a new person: level 2.
    let mut c = Citizen::new(&world, "c", T0 + 5 * DAY);
    c.language("vi").await;
    c.press(&portal("son-vi", "land")).await;
    store.forget("c", None, 1).await.expect("erased");
    c.at = T0 + 6 * DAY;
    c.language("hmn").await;
    c.press(&level2("son-vi", "health")).await;

    // d: stops on `phone-own` on 21/07 and is never seen again: abandoned by inactivity.
    let mut d = Citizen::new(&world, "d", T0 + 20 * DAY);
    d.language("hmn").await;
    d.press(&[
        ("safety", "ok"),
        ("commune", "pa-vi"),
        ("age", "yes"),
        ("card", "yes"),
        ("card-valid", "valid"),
    ])
    .await;

    // e: started two days before the report, on the commune question: in progress.
    let mut e = Citizen::new(&world, "e", T0 + 58 * DAY);
    e.language("vi").await;
    e.press(&[("safety", "ok")]).await;

    // f: a practice run in the terminal (portal log-in): left out unless asked for.
    let mut f = Citizen::new(&world, "f", T0 + 4 * DAY);
    f.adapter = "terminal";
    f.language("en").await;
    f.press(&portal("meo-vac", "other")).await;

    // g: stuck on the chip scan on 08/07, hands off to staff (opened at minute 12), staff take
    // it at minute 15, answer at minute 19 and close it at minute 60 with level 2.
    let mut g = Citizen::new(&world, "g", T0 + 7 * DAY);
    g.language("hmn").await;
    let mut path = situation("meo-vac");
    path.extend([
        ("vneid-have", "no"),
        ("nfc", "yes"),
        ("l1-install", "done"),
        ("l1-register", "done"),
    ]);
    g.press(&path).await;
    g.input(Input::HandOff).await;
    let case = store
        .open_case_of("g")
        .await
        .expect("read")
        .expect("a case is open");
    assert_eq!(case.opened_at, T0 + 7 * DAY + 12 * MIN);
    assert!(
        store
            .take_case(&case.code, "staff-1", T0 + 7 * DAY + 15 * MIN)
            .await
            .expect("taken")
    );
    // The answer's update delivered twice (Telegram retrying): one answer.
    for time in [19, 20] {
        store
            .staff_event(
                &case.code,
                dvc_onboard_core::domain::StaffEvent::Answered,
                "staff-1",
                T0 + 7 * DAY + time * MIN,
                "update:7001",
            )
            .await
            .expect("answered");
    }
    g.at = T0 + 7 * DAY + 60 * MIN;
    g.input(Input::StaffClosed {
        reached: Some(Milestone::VneidLevel2),
    })
    .await;
    g.press(&[("finish", "ok"), ("purpose", "justice"), ("rate", "good")])
        .await;

    // h: hands off on 10/07 and nobody takes the case: handed off.
    let mut h = Citizen::new(&world, "h", T0 + 9 * DAY);
    h.language("vi").await;
    h.press(&[("safety", "ok"), ("commune", "khau-vai")]).await;
    h.input(Input::HandOff).await;

    // At the desk on 09/07: a portal log-in, logged in person; its last button tapped twice.
    let visit = InPerson {
        guide: "portal-account",
        commune: "sung-mang",
        language: Lang::Hmn,
        outcome: SessionOutcome::PortalLogin,
        purpose: Purpose::Justice,
    };
    let logged = store
        .log_in_person(&visit, "staff-2", T0 + 8 * DAY, "assist:-100:77")
        .await
        .expect("logged");
    assert!(logged.is_some());
    let again = store
        .log_in_person(&visit, "staff-2", T0 + 8 * DAY, "assist:-100:77")
        .await
        .expect("logged");
    assert_eq!(again, None, "one visit per wizard");

    // Three synthetic sessions in July: never counted beside real ones.
    let mut opts = demo::Options::new(3, 7, T0 + 25 * DAY);
    opts.days = 20;
    let made = demo::generate(store, &world.1.guide, &opts, |_| {})
        .await
        .expect("demo data");
    assert_eq!(made.sessions, 3);
    world
}

fn breakdown(rows: &[report::Breakdown]) -> BTreeMap<String, i64> {
    rows.iter().map(|b| (b.key.clone(), b.sessions)).collect()
}

fn map(pairs: &[(&str, i64)]) -> BTreeMap<String, i64> {
    pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

async fn every_figure_matches_a_hand_count(backend: &str) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let tdb = TestDb::new(backend, dir.path());
    let world = scenario(&tdb).await;
    let as_of = T0 + 60 * DAY; // 30/08/2026 00:00
    let r = report(&world, &params("2026-H2", as_of)).await;

    // a2, b1, b2, c1, c2, d, e, g, h and the desk visit; not a1 (H1), f (practice), demo.
    assert_eq!(r.sessions, 10);
    // a, b, c before and after erasure (two), d, e, g, h, the desk visitor.
    assert_eq!(r.citizens, 9);
    let o = &r.outcomes;
    assert_eq!(
        (
            o.portal_login,
            o.vneid_level2,
            o.vneid_level1,
            o.child_applied,
            o.referred,
            o.not_created
        ),
        (2, 2, 1, 1, 0, 0),
        "portal: c1 and the desk; level 2: c2 and g; level 1: a2; a child's account: b2"
    );
    assert_eq!(o.handed_off, 1, "h");
    assert_eq!(
        o.abandoned, 2,
        "b1 (started over) and d (quiet since 21/07)"
    );
    assert_eq!(o.in_progress, 1, "e");
    assert_eq!(r.accounts_created, 5);
    assert_eq!(r.asked_staff, 2, "g and h");

    assert_eq!(
        breakdown(&r.by_channel),
        map(&[("self_guided", 7), ("staff_remote", 2), ("in_person", 1)])
    );
    let staff = &r.by_channel[1];
    assert_eq!(staff.key, "staff_remote");
    assert_eq!(
        (staff.outcomes.vneid_level2, staff.outcomes.handed_off),
        (1, 1)
    );
    assert_eq!(breakdown(&r.by_language), map(&[("hmn", 6), ("vi", 4)]));
    assert_eq!(
        breakdown(&r.by_commune),
        map(&[
            ("son-vi", 2),
            ("meo-vac", 2),
            ("xin-cai", 2),
            ("pa-vi", 1),
            ("khau-vai", 1),
            ("sung-mang", 1),
            ("", 1),
        ])
    );
    let son_vi = r
        .by_commune
        .iter()
        .find(|b| b.key == "son-vi")
        .expect("Sơn Vĩ");
    assert_eq!(son_vi.label, "Sơn Vĩ");
    assert_eq!(son_vi.accounts_created, 2);
    assert_eq!(
        breakdown(&r.by_purpose),
        map(&[
            ("justice", 2),
            ("labour_social", 1),
            ("land", 1),
            ("health_insurance", 1),
            ("other", 1),
            ("", 4),
        ])
    );

    let h = &r.handoffs;
    assert_eq!((h.opened, h.taken, h.closed, h.answered), (2, 1, 1, 1));
    assert_eq!(
        h.median_minutes_to_first_answer,
        Some(7.0),
        "19 − 12 minutes"
    );
    // c1 12 min, c2 12 min, a2 14 min, g 60 min (the desk visit has no duration).
    assert_eq!(r.time_to_account.sessions, 4);
    assert_eq!(r.time_to_account.median_minutes, Some(13.0));

    // Where the abandoned ones left: b1 on `card`, d on `phone-own`.
    let left: BTreeMap<&str, i64> = r
        .funnel
        .iter()
        .filter(|f| f.left > 0)
        .map(|f| (f.step.as_str(), f.left))
        .collect();
    assert_eq!(left, BTreeMap::from([("card", 1), ("phone-own", 1)]));
    let safety = r
        .funnel
        .iter()
        .find(|f| f.step == "safety")
        .expect("safety");
    assert_eq!(
        safety.entered, 9,
        "every guided session starts there; not the desk visit"
    );

    assert_eq!(r.scope.synthetic_left_out, 3);
    assert_eq!(r.scope.practice_left_out, 1);
    assert!(!r.scope.synthetic);

    // H1 holds a1 only, though it ended on 1 July.
    let h1 = report(&world, &params("2026-H1", as_of)).await;
    assert_eq!(
        (h1.sessions, h1.citizens, h1.outcomes.portal_login),
        (1, 1, 1)
    );

    // Practice runs when asked for.
    let mut with_practice = params("2026-H2", as_of);
    with_practice.include_practice = true;
    let p = report(&world, &with_practice).await;
    assert_eq!((p.sessions, p.outcomes.portal_login), (11, 3));
    assert_eq!(breakdown(&p.by_language).get("en"), Some(&1));

    // One commune.
    let mut son_vi = params("2026-H2", as_of);
    son_vi.commune = Some("son-vi".to_string());
    let s = report(&world, &son_vi).await;
    assert_eq!((s.sessions, s.citizens), (2, 2));
    assert_eq!(s.scope.commune_name.as_deref(), Some("Sơn Vĩ"));
    assert_eq!(
        s.funnel
            .iter()
            .find(|f| f.step == "safety")
            .map(|f| f.entered),
        Some(2)
    );

    // A week later d is still abandoned and e has been quiet for 9 days: abandoned too.
    let later = report(&world, &params("2026-H2", as_of + 7 * DAY)).await;
    assert_eq!(
        (later.outcomes.abandoned, later.outcomes.in_progress),
        (3, 0)
    );
    let e_left = later
        .funnel
        .iter()
        .find(|f| f.step == "commune")
        .map(|f| f.left);
    assert_eq!(e_left, Some(1), "e left on the commune question");
}

async fn weekly_series_runs_monday_to_sunday_within_the_period(backend: &str) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let tdb = TestDb::new(backend, dir.path());
    let world = scenario(&tdb).await;
    let r = report(&world, &params("2026-H2", T0 + 60 * DAY)).await;
    // 1/07/2026 is a Wednesday; the report is made on Sunday 30/08: 9 weeks, none after.
    assert_eq!(r.weekly.len(), 9);
    let first = &r.weekly[0];
    assert_eq!(
        (first.from.to_string(), first.to.to_string()),
        ("2026-07-01".to_string(), "2026-07-05".to_string())
    );
    assert_eq!(r.weekly[8].to.to_string(), "2026-08-30");
    let week = |i: usize| {
        let w = &r.weekly[i];
        (
            w.self_guided,
            w.staff_remote,
            w.in_person,
            w.sessions,
            w.accounts_created,
        )
    };
    assert_eq!(week(0), (2, 0, 0, 2, 0), "b1, b2");
    assert_eq!(
        week(1),
        (3, 2, 1, 6, 5),
        "a2, c1, c2 guided; g, h with staff; the desk visit; accounts a2 c1 c2 g desk"
    );
    assert_eq!(week(2), (0, 0, 0, 0, 0));
    assert_eq!(week(3), (1, 0, 0, 1, 0), "d");
    assert_eq!(week(8), (1, 0, 0, 1, 0), "e");
    assert_eq!(r.weekly.iter().map(|w| w.sessions).sum::<i64>(), r.sessions);
}

async fn funnel_counts_sessions_entering_and_leaving_each_step(backend: &str) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let tdb = TestDb::new(backend, dir.path());
    let world = (store_in(&tdb).await, content());
    // x: safety → commune → age, back to commune, age again, stops on card: card is its last.
    let mut x = Citizen::new(&world, "x", T0 + DAY);
    x.language("vi").await;
    x.press(&[("safety", "ok"), ("commune", "son-vi"), ("age", "yes")])
        .await;
    x.input(Input::Back).await; // back on age
    x.input(Input::Back).await; // back on commune
    x.press(&[("commune", "meo-vac"), ("age", "yes")]).await;
    // y: stops on the safety screen.
    let mut y = Citizen::new(&world, "y", T0 + DAY);
    y.language("hmn").await;
    // z: the whole way to the portal.
    let mut z = Citizen::new(&world, "z", T0 + DAY);
    z.language("hmn").await;
    z.press(&portal("son-vi", "justice")).await;

    let r = report(&world, &params("2026-H2", T0 + 30 * DAY)).await;
    let row = |s: &str| {
        r.funnel
            .iter()
            .find(|f| f.step == s)
            .map(|f| (f.entered, f.left))
            .unwrap_or((0, 0))
    };
    assert_eq!(row("safety"), (3, 1), "all three; y left there");
    assert_eq!(row("commune"), (2, 0), "x twice counts once");
    assert_eq!(row("age"), (2, 0));
    assert_eq!(row("card"), (2, 1), "x left there");
    assert_eq!(row("login-first"), (1, 0));
    assert_eq!(row("end"), (1, 0));
    assert_eq!(row("nfc"), (0, 0));
    // x moved from Sơn Vĩ to Mèo Vạc: its steps are counted under Mèo Vạc only.
    let mut meo_vac = params("2026-H2", T0 + 30 * DAY);
    meo_vac.commune = Some("meo-vac".to_string());
    let m = report(&world, &meo_vac).await;
    let safety = m
        .funnel
        .iter()
        .find(|f| f.step == "safety")
        .map(|f| (f.entered, f.left));
    assert_eq!(safety, Some((1, 0)));
    assert_eq!(m.sessions, 1);
    // The funnel is in the guide's order, with each step's Vietnamese screen.
    assert_eq!(r.funnel[0].step, "safety");
    assert!(
        r.funnel[0].label.starts_with("Trước khi bắt đầu"),
        "{}",
        r.funnel[0].label
    );
    assert_eq!(
        r.funnel.iter().map(|f| f.left).sum::<i64>(),
        r.outcomes.abandoned
    );
}

/// A row of `report_sessions(_monthly)`.
type SessionSummary = (
    String,
    i64,
    String,
    String,
    String,
    String,
    String,
    i64,
    i64,
);

/// The summaries as one list of rows, for comparing.
async fn summaries(store: &Store) -> Vec<String> {
    // On PostgreSQL the triggers leave counts pending: folded in, they must equal a recount.
    store.compact_reports().await.expect("compacted");
    let pool = store.pool();
    let sessions: Vec<(i64, Option<i64>, Option<String>, i64)> =
        sqlx::query_as("SELECT id, last_at, last_step, asked_staff FROM sessions ORDER BY id")
            .fetch_all(pool)
            .await
            .expect("read");
    let mut out: Vec<String> = sessions.iter().map(|r| format!("session {r:?}")).collect();
    for table in ["report_sessions", "report_sessions_monthly"] {
        let rows: Vec<SessionSummary> = sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT * FROM {table} WHERE sessions <> 0 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8"
        )))
        .fetch_all(pool)
        .await
        .expect("read");
        out.extend(rows.iter().map(|r| format!("{table} {r:?}")));
    }
    for table in ["report_steps", "report_steps_monthly"] {
        let rows: Vec<(String, i64, String, String, i64, i64, i64)> =
            sqlx::query_as(sqlx::AssertSqlSafe(format!(
                "SELECT * FROM {table}
                 WHERE entered <> 0 OR left_open <> 0 OR left_abandoned <> 0 ORDER BY 1, 2, 3, 4"
            )))
            .fetch_all(pool)
            .await
            .expect("read");
        out.extend(rows.iter().map(|r| format!("{table} {r:?}")));
    }
    out
}

/// The first day of the month of `day` (days since 1970-01-01), computed apart from the SQL.
fn month_of(day: i64) -> i64 {
    let date = Date::from_day_number(day);
    Date::new(date.year, date.month, 1)
        .expect("a first of the month")
        .day_number()
}

/// Each monthly summary row is the sum of its days' rows, none left over.
async fn assert_months_add_up_their_days(store: &Store) {
    store.compact_reports().await.expect("compacted");
    let pool = store.pool();
    let read = |table: &str| {
        sqlx::query_as::<_, SessionSummary>(sqlx::AssertSqlSafe(format!(
            "SELECT * FROM {table} WHERE sessions <> 0"
        )))
        .fetch_all(pool)
    };
    let days = read("report_sessions").await.expect("read");
    let months = read("report_sessions_monthly").await.expect("read");
    let mut rolled: BTreeMap<_, i64> = BTreeMap::new();
    for (a, day, c, l, co, p, o, s, n) in days {
        *rolled
            .entry((a, month_of(day), c, l, co, p, o, s))
            .or_default() += n;
    }
    rolled.retain(|_, n| *n != 0);
    let months: BTreeMap<_, i64> = months
        .into_iter()
        .map(|(a, m, c, l, co, p, o, s, n)| ((a, m, c, l, co, p, o, s), n))
        .collect();
    assert!(!months.is_empty());
    assert_eq!(months, rolled);

    let read = |table: &str, period: &str| {
        sqlx::query_as::<_, (String, String, String, i64, i64, i64, i64)>(sqlx::AssertSqlSafe(
            format!(
                "SELECT adapter, commune, step, {period}, entered, left_open, left_abandoned
                 FROM {table} WHERE entered <> 0 OR left_open <> 0 OR left_abandoned <> 0"
            ),
        ))
        .fetch_all(pool)
    };
    let days = read("report_steps", "day").await.expect("read");
    let months = read("report_steps_monthly", "month").await.expect("read");
    let mut rolled: BTreeMap<_, (i64, i64, i64)> = BTreeMap::new();
    for (a, c, s, day, e, o, ab) in days {
        let sum = rolled.entry((a, c, s, month_of(day))).or_default();
        *sum = (sum.0 + e, sum.1 + o, sum.2 + ab);
    }
    rolled.retain(|_, n| *n != (0, 0, 0));
    let months: BTreeMap<_, _> = months
        .into_iter()
        .map(|(a, c, s, m, e, o, ab)| ((a, c, s, m), (e, o, ab)))
        .collect();
    assert!(!months.is_empty());
    assert_eq!(months, rolled);
}

/// What the triggers keep, row by row, equals what the bulk load computes set-based, and the
/// months are their days added up both ways.
async fn summaries_kept_by_triggers_equal_a_recount(backend: &str) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let tdb = TestDb::new(backend, dir.path());
    let world = scenario(&tdb).await;
    let kept = summaries(&world.0).await;
    assert!(kept.iter().any(|r| r.starts_with("report_steps_monthly")));
    assert_months_add_up_their_days(&world.0).await;
    // Recount everything set-based, as a bulk load does.
    world.0.rebuild_report_summaries().await.expect("rebuilt");
    let recount = summaries(&world.0).await;
    assert_eq!(kept, recount);
    assert_months_add_up_their_days(&world.0).await;
}

/// `demo-data` writes in bulk the rows the same turns write one by one.
async fn a_bulk_load_writes_what_turns_write(backend: &str) {
    let content = content();
    let opts = demo::Options::new(400, 42, T0 + 60 * DAY);
    let batch = demo::Simulator::new(&content.guide, &opts).chunk(400);
    assert_eq!(batch.sessions, 400);
    let dir = tempfile::tempdir().expect("a temp dir");
    let turns_dir = dir.path().join("turns");
    std::fs::create_dir(&turns_dir).expect("a subdirectory");
    let (bulk_db, turns_db) = (
        TestDb::new(backend, dir.path()),
        TestDb::new(backend, &turns_dir),
    );
    let bulk = store_in(&bulk_db).await;
    bulk.bulk_load("demo", &batch.turns)
        .await
        .expect("bulk load");
    let one_by_one = store_in(&turns_db).await;
    for turn in &batch.turns {
        let outcome = Outcome {
            state: turn.state.clone(),
            replies: Vec::new(),
            events: turn.events.clone(),
        };
        one_by_one
            .run(&turn.citizen, "demo", turn.at, |_| outcome)
            .await
            .expect("a turn");
    }
    type Rows = Vec<(
        String,
        String,
        String,
        Option<String>,
        String,
        String,
        i64,
        Option<i64>,
    )>;
    let sessions =
        "SELECT citizen, guide, language, commune, channel, adapter, started_at, ended_at
                    FROM sessions ORDER BY id";
    let a: Rows = sqlx::query_as(sessions)
        .fetch_all(bulk.pool())
        .await
        .unwrap();
    let b: Rows = sqlx::query_as(sessions)
        .fetch_all(one_by_one.pool())
        .await
        .unwrap();
    assert_eq!(a.len(), 400);
    assert_eq!(a, b);
    type More = Vec<(
        Option<String>,
        Option<String>,
        Option<i64>,
        Option<i64>,
        Option<String>,
        i64,
    )>;
    let more = "SELECT outcome, purpose, rating, last_at, last_step, asked_staff FROM sessions ORDER BY id";
    let a: More = sqlx::query_as(more).fetch_all(bulk.pool()).await.unwrap();
    let b: More = sqlx::query_as(more)
        .fetch_all(one_by_one.pool())
        .await
        .unwrap();
    assert_eq!(a, b);
    let events = "SELECT s.citizen, s.started_at, e.at, e.kind, e.step, e.detail
                  FROM events e JOIN sessions s ON s.id = e.session_id ORDER BY e.id";
    type Events = Vec<(String, i64, i64, String, Option<String>, Option<String>)>;
    let a: Events = sqlx::query_as(events).fetch_all(bulk.pool()).await.unwrap();
    let b: Events = sqlx::query_as(events)
        .fetch_all(one_by_one.pool())
        .await
        .unwrap();
    assert_eq!(a, b);
    let handoffs = "SELECT h.citizen, s.started_at, h.status, h.opened_at, h.closed_at, h.chat_id
                    FROM handoffs h JOIN sessions s ON s.id = h.session_id ORDER BY h.id";
    type Handoffs = Vec<(String, i64, String, i64, Option<i64>, Option<i64>)>;
    let a: Handoffs = sqlx::query_as(handoffs)
        .fetch_all(bulk.pool())
        .await
        .unwrap();
    let b: Handoffs = sqlx::query_as(handoffs)
        .fetch_all(one_by_one.pool())
        .await
        .unwrap();
    assert!(!a.is_empty(), "the sample holds hand-offs");
    assert_eq!(a, b);
    assert_eq!(summaries(&bulk).await, summaries(&one_by_one).await);
    let p = params("2026-H2", T0 + 60 * DAY);
    let ra = report::build(&bulk, &content, &p).await.unwrap();
    let rb = report::build(&one_by_one, &content, &p).await.unwrap();
    assert_eq!(
        render::json(&ra).unwrap(),
        render::json(&rb).unwrap(),
        "the same report"
    );
    assert!(
        ra.scope.synthetic,
        "only synthetic data: counted, and said so"
    );
    assert!(ra.sessions > 0);
}

async fn synthetic_sessions_count_only_in_a_database_without_real_ones(backend: &str) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let tdb = TestDb::new(backend, dir.path());
    let world = (store_in(&tdb).await, content());
    let mut opts = demo::Options::new(50, 3, T0 + 40 * DAY);
    opts.days = 30;
    demo::generate(&world.0, &world.1.guide, &opts, |_| {})
        .await
        .expect("demo data");
    let p = params("2026-H2", T0 + 40 * DAY);
    let only_demo = report(&world, &p).await;
    assert_eq!(only_demo.sessions, 50);
    assert!(only_demo.scope.synthetic);
    assert!(render::table(&only_demo).contains("DỮ LIỆU MẪU"));
    assert!(render::summary(&only_demo).contains("DỮ LIỆU MẪU"));
    let pseudonyms: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM sessions WHERE citizen NOT LIKE 'demo-%' OR adapter <> 'demo'",
    )
    .fetch_one(world.0.pool())
    .await
    .unwrap();
    assert_eq!(pseudonyms, 0, "synthetic sessions are marked as such");

    // A practice run is not real either.
    let mut f = Citizen::new(&world, "f", T0 + DAY);
    f.adapter = "terminal";
    f.language("vi").await;
    assert!(report(&world, &p).await.scope.synthetic);

    // One real session: the synthetic ones are left out, and the report says how many.
    let mut r = Citizen::new(&world, "r", T0 + DAY);
    r.language("vi").await;
    let real = report(&world, &p).await;
    assert_eq!(real.sessions, 1);
    assert!(!real.scope.synthetic);
    assert_eq!(real.scope.synthetic_left_out, 50);
    assert!(render::table(&real).contains("Không tính 50 phiên dữ liệu mẫu"));
    let mut forced = p.clone();
    forced.include_demo = true;
    let forced = report(&world, &forced).await;
    assert_eq!(forced.sessions, 51);
    assert!(forced.scope.synthetic);
}

async fn csv_json_markdown_chart_and_telegram_bundle(backend: &str) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let tdb = TestDb::new(backend, dir.path());
    let world = scenario(&tdb).await;
    let r = report(&world, &params("2026-H2", T0 + 60 * DAY)).await;

    let csv = render::csv(&r).expect("csv");
    assert!(csv.starts_with(b"\xEF\xBB\xBF"), "UTF-8 byte-order mark");
    let text = std::str::from_utf8(&csv[3..]).expect("UTF-8");
    assert!(text.contains("Sơn Vĩ,2,2,1,1,0,0,0,0,0"), "{text}");
    assert!(text.contains("Số phiên hỗ trợ,10"));
    assert!(text.contains("Tư pháp – hộ tịch,2,2,1,1,0,0,0,0,0"));
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .has_headers(false)
        .from_reader(&csv[3..]);
    let records: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a record")).collect();
    assert!(records.iter().any(|r| r.get(0)
        == Some("Thời gian trung vị từ lúc bắt đầu đến khi có tài khoản (phút)")
        && r.get(1) == Some("13")));

    let json: serde_json::Value =
        serde_json::from_str(&render::json(&r).expect("json")).expect("JSON parses");
    assert_eq!(json["sessions"], 10);
    assert_eq!(json["outcomes"]["vneid_level2"], 2);
    assert_eq!(json["period"]["from"], "2026-07-01");
    assert_eq!(json["by_commune"][0]["label"], "Sơn Vĩ");
    assert_eq!(json["handoffs"]["median_minutes_to_first_answer"], 7.0);

    let md = render::markdown(&r);
    assert!(md.contains("| Sơn Vĩ | 2 | 2 |"), "{md}");
    assert!(md.contains("## Phễu các bước"));

    let png = report::chart::weekly_png(&r).expect("png");
    assert_png(&png);

    let bundle = report::telegram_bundle(&world.0, &world.1, "2026-H2", T0 + 60 * DAY)
        .await
        .expect("bundle");
    assert!(bundle.summary.chars().count() <= 4096);
    assert!(bundle.summary.contains("6 tháng cuối năm 2026"));
    assert!(
        bundle.summary.contains("Phiên hỗ trợ: 10 · Công dân: 9"),
        "{}",
        bundle.summary
    );
    assert!(bundle.xlsx.starts_with(b"PK"), "an xlsx file");
    assert_eq!(bundle.xlsx_name, "bao-cao-2026-H2.xlsx");
    assert_png(&bundle.png);
    // No period: the current half-year.
    let now = T0 + 60 * DAY;
    let current = report::telegram_bundle(&world.0, &world.1, " ", now)
        .await
        .expect("bundle");
    assert!(current.summary.contains("6 tháng cuối năm 2026"));
    match report::telegram_bundle(&world.0, &world.1, "2026-H3", now).await {
        Err(BundleError::Period(e)) => assert!(e.vi().contains("không hợp lệ")),
        other => panic!("a bad period is refused: {:?}", other.map(|b| b.summary)),
    }
}

/// The workbook read back with a reader: a sheet per table and the chart's and the rules',
/// numbers as numbers equal to the JSON's, the period and scope on every sheet.
async fn the_workbook_reads_back_as_the_json(backend: &str) {
    use calamine::{Data, Reader, Xlsx};
    let dir = tempfile::tempdir().expect("a temp dir");
    let tdb = TestDb::new(backend, dir.path());
    let world = scenario(&tdb).await;
    let r = report(&world, &params("2026-H2", T0 + 60 * DAY)).await;
    let json: serde_json::Value =
        serde_json::from_str(&render::json(&r).expect("json")).expect("JSON parses");
    let bytes = report::xlsx::workbook(&r).expect("a workbook");
    let mut book: Xlsx<_> =
        calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).expect("an xlsx file");
    let names = book.sheet_names();
    assert_eq!(names.len(), render::sections(&r).len() + 2, "{names:?}");
    assert_eq!(names.last().map(String::as_str), Some("Cách tính"));
    let mut sheets = BTreeMap::new();
    for name in &names {
        let range = book.worksheet_range(name).expect("a sheet");
        let rows: Vec<Vec<Data>> = range.rows().map(<[Data]>::to_vec).collect();
        let heading = rows.iter().take(4).flatten().any(
            |c| matches!(c, Data::String(s) if s.starts_with("Kỳ báo cáo: 6 tháng cuối năm 2026")),
        );
        assert!(heading, "the period on sheet {name}");
        sheets.insert(name.clone(), rows);
    }
    // A figure by its label in a sheet: the number next to it, which must be a number.
    let figure = |sheet: &str, label: &str, col: usize| -> f64 {
        let rows = sheets
            .iter()
            .find(|(n, _)| n.starts_with(sheet))
            .map(|(_, rows)| rows)
            .unwrap_or_else(|| panic!("no sheet {sheet}: {names:?}"));
        let row = rows
            .iter()
            .find(|r| matches!(r.first(), Some(Data::String(s)) if s.starts_with(label)))
            .unwrap_or_else(|| panic!("no row {label} in {sheet}"));
        match &row[col] {
            Data::Float(x) => *x,
            other => panic!("{label} in {sheet} is {other:?}, not a number"),
        }
    };
    let int = |v: &serde_json::Value| v.as_i64().map(|n| n as f64);
    assert_eq!(
        Some(figure("Tổng quan", "Số phiên hỗ trợ", 1)),
        int(&json["sessions"])
    );
    assert_eq!(
        Some(figure("Tổng quan", "Số công dân", 1)),
        int(&json["citizens"])
    );
    assert_eq!(
        Some(figure("Tổng quan", "Thời gian trung vị từ lúc bắt đầu", 1)),
        json["time_to_account"]["median_minutes"].as_f64()
    );
    for row in json["by_commune"].as_array().expect("communes") {
        let label = row["label"].as_str().expect("a label");
        assert_eq!(
            Some(figure("Theo xã", label, 1)),
            int(&row["sessions"]),
            "{label}"
        );
    }
    // The header row is frozen, and a header is a header.
    let overview = sheets
        .iter()
        .find(|(n, _)| n.starts_with("Tổng quan"))
        .map(|(_, r)| r)
        .expect("the overview");
    assert!(
        overview
            .iter()
            .any(|r| r.first() == Some(&Data::String("Chỉ tiêu".into())))
    );

    // From the command line: a file, and not the terminal.
    let out = run_on(&tdb, dir.path(), &["report", "--format", "xlsx"], "");
    assert!(!out.status.success());
    assert!(harness::text(&out.stderr).contains("-o FILE.xlsx"));
    let file = dir.path().join("bao-cao.xlsx");
    let path = file.display().to_string();
    let out = run_on(
        &tdb,
        dir.path(),
        &[
            "report", "--period", "2026-H2", "--format", "xlsx", "-o", &path,
        ],
        "",
    );
    assert!(out.status.success(), "{}", harness::text(&out.stderr));
    let written = std::fs::read(&file).expect("the file");
    assert!(written.starts_with(b"PK"), "a zip: an xlsx file");
}

/// The Word report read back: the state's form (page, margins, font, the national title and
/// motto, the kind and the signature block) and the figures in its sentences. Where LibreOffice
/// is installed, it becomes a PDF with pages.
async fn the_word_report_reads_back_in_the_states_form(backend: &str) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let tdb = TestDb::new(backend, dir.path());
    let world = scenario(&tdb).await;
    let r = report(&world, &params("2026-H2", T0 + 60 * DAY)).await;
    let issuer = report::docx::Issuer::commune(Some("Sơn Vĩ"));
    let bytes = report::docx::document(&r, &issuer).expect("a document");
    let docx = docx_rs::read_docx(&bytes).expect("a Word file");
    let json: serde_json::Value = serde_json::from_str(&docx.json()).expect("JSON");
    let section = &json["document"]["sectionProperty"];
    assert_eq!(
        (
            section["pageSize"]["w"].as_u64(),
            section["pageSize"]["h"].as_u64()
        ),
        (Some(11906), Some(16838)),
        "A4: {}",
        section["pageSize"]
    );
    let margin = |side: &str| section["pageMargin"][side].as_i64().unwrap_or_default();
    // Twentieths of a point: 20 mm is 1,133; 30 mm 1,700; 15 mm 850.
    assert_eq!(
        (
            margin("top"),
            margin("bottom"),
            margin("left"),
            margin("right")
        ),
        (1133, 1133, 1700, 850),
        "{}",
        section["pageMargin"]
    );
    let text = json.to_string();
    assert!(text.contains("\"Times New Roman\""), "the decree's font");
    for needed in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "ỦY BAN NHÂN DÂN XÃ SƠN VĨ",
        "/BC-UBND",
        "Sơn Vĩ, ngày",
        "BÁO CÁO",
        "TM. ỦY BAN NHÂN DÂN",
        "CHỦ TỊCH",
        "Nơi nhận:",
        "Trong 6 tháng cuối năm 2026 (từ 01/07/2026 đến 31/12/2026), Ủy ban nhân dân xã đã hỗ trợ 10 lượt công dân (9 người)",
    ] {
        assert!(text.contains(needed), "no `{needed}` in the document");
    }
    assert!(
        !text.contains("DỮ LIỆU MẪU"),
        "real data is not marked as sample"
    );

    // From the command line, the issuing body and place as given, in capitals where the form
    // has them.
    let file = dir.path().join("given.docx");
    let path = file.display().to_string();
    let out = run_on(
        &tdb,
        dir.path(),
        &[
            "report",
            "--period",
            "2026-H2",
            "--format",
            "docx",
            "-o",
            &path,
            "--issuer",
            "Ủy ban nhân dân xã Khâu Vai",
            "--place",
            "Khâu Vai",
        ],
        "",
    );
    assert!(out.status.success(), "{}", harness::text(&out.stderr));
    let given = docx_rs::read_docx(&std::fs::read(&file).expect("the file")).expect("Word");
    let given = given.json();
    assert!(given.contains("ỦY BAN NHÂN DÂN XÃ KHÂU VAI") && given.contains("Khâu Vai, ngày"));

    // A PDF with pages, where LibreOffice can make one.
    let Some(soffice) = ["soffice", "libreoffice"].into_iter().find(|b| {
        std::process::Command::new(b)
            .arg("--version")
            .output()
            .is_ok()
    }) else {
        eprintln!(
            "skipped: no LibreOffice here to turn the report into a PDF (Debian: libreoffice-writer)"
        );
        return;
    };
    let file = dir.path().join("bao-cao.docx");
    std::fs::write(&file, &bytes).expect("written");
    let out = std::process::Command::new(soffice)
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(dir.path())
        .arg(&file)
        .env("HOME", dir.path())
        .output()
        .expect("LibreOffice runs");
    assert!(out.status.success(), "{}", harness::text(&out.stderr));
    let pdf = std::fs::read(dir.path().join("bao-cao.pdf")).expect("a PDF");
    assert!(pdf.starts_with(b"%PDF"));
    let pages = pdf
        .windows(b"/Type /Page\n".len())
        .filter(|w| w.starts_with(b"/Type /Page") && !w.starts_with(b"/Type /Pages"))
        .count()
        + pdf
            .windows(b"/Type/Page".len())
            .filter(|w| *w == b"/Type/Page")
            .count();
    assert!(pages >= 1, "the PDF has pages");
}

fn assert_png(png: &[u8]) {
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "PNG signature");
    let decoder = png::Decoder::new(std::io::Cursor::new(png));
    let mut reader = decoder.read_info().expect("a PNG header");
    let info = reader.info();
    assert_eq!(
        (info.width, info.height),
        (report::chart::WIDTH, report::chart::HEIGHT)
    );
    let mut buf = vec![0; reader.output_buffer_size().expect("a size")];
    let frame = reader.next_frame(&mut buf).expect("the image decodes");
    // Not blank: the bars and the text put many colours on it.
    let pixels = &buf[..frame.buffer_size()];
    let distinct: std::collections::HashSet<&[u8]> = pixels.chunks(3).collect();
    assert!(distinct.len() > 50, "{} colours", distinct.len());
}

async fn report_on_an_empty_database_says_so(backend: &str) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let tdb = TestDb::new(backend, dir.path());
    let out = run_on(&tdb, dir.path(), &["report", "--period", "2026-Q3"], "");
    assert!(out.status.success(), "{}", harness::text(&out.stderr));
    let stdout = harness::text(&out.stdout);
    assert!(
        stdout.contains("Cơ sở dữ liệu chưa có phiên hỗ trợ nào."),
        "{stdout}"
    );
    assert!(
        stdout.contains("Quý III năm 2026 (từ 01/07/2026 đến 30/09/2026"),
        "{stdout}"
    );
    assert!(harness::text(&out.stderr).contains("the database has no session yet"));
    let chart = dir.path().join("chart.png");
    let out = run_on(
        &tdb,
        dir.path(),
        &[
            "report",
            "--format",
            "csv",
            "--chart",
            chart.to_str().unwrap(),
        ],
        "",
    );
    assert!(out.status.success());
    assert!(out.stdout.starts_with(b"\xEF\xBB\xBF"));
    assert_png(&std::fs::read(&chart).expect("the chart is written"));
}

#[test]
fn a_bad_period_gets_a_clear_error() {
    let dir = tempfile::tempdir().expect("a temp dir");
    for (args, says) in [
        (
            vec!["report", "--period", "2026-H3"],
            "`2026-H3` is not a report period",
        ),
        (
            vec!["report", "--from", "2026-02-30"],
            "`2026-02-30` is not a date",
        ),
        (
            vec!["report", "--from", "2026-09-01", "--to", "2026-08-01"],
            "the start is after the end",
        ),
    ] {
        let out = harness::run(dir.path(), &args, "", &[]);
        assert!(!out.status.success(), "{args:?}");
        let err = harness::text(&out.stderr);
        assert!(err.contains(says), "{args:?}: {err}");
    }
    let out = harness::run(dir.path(), &["report", "--period", "2026-Q5"], "", &[]);
    assert!(harness::text(&out.stderr).contains("2026-H1, 2026-H2, 2026-Q1"));
}

async fn the_cli_reads_what_chat_wrote(backend: &str) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let tdb = TestDb::new(backend, dir.path());
    // A practice run in the terminal: Hmong, then the safety screen's button.
    let out = run_on(&tdb, dir.path(), &["chat"], "2\n1\n");
    assert!(out.status.success());
    let today = Date::of_ms(dvc_onboard::app::now_ms()).to_string();
    let range = format!("{today}..{today}");
    let out = run_on(
        &tdb,
        dir.path(),
        &["report", "--period", &range, "--format", "json"],
        "",
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["sessions"], 0, "practice is left out");
    assert_eq!(json["scope"]["practice_left_out"], 1);
    let out = run_on(
        &tdb,
        dir.path(),
        &[
            "report",
            "--period",
            &range,
            "--format",
            "json",
            "--include-practice",
        ],
        "",
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["sessions"], 1);
    assert_eq!(json["by_language"][0]["key"], "hmn");
    let out = run_on(
        &tdb,
        dir.path(),
        &[
            "report",
            "--from",
            &today,
            "--format",
            "md",
            "--include-practice",
        ],
        "",
    );
    assert!(harness::text(&out.stdout).contains("| Tiếng Mông | 1 |"));
}

/// Sessions begun from a poster's or the desk's link count under it, with their commune; the
/// rest count as "other".
async fn sessions_count_by_the_start_link_they_came_from(backend: &str) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let tdb = TestDb::new(backend, dir.path());
    let world = (store_in(&tdb).await, content());

    // p: a poster in Mèo Vạc, in Hmong; logs in to the portal (the commune is not asked).
    let mut p = Citizen::new(&world, "p", T0 + DAY);
    p.input(Input::StartWith("poster_meo-vac_hmn")).await;
    let mut path = portal("meo-vac", "land");
    path.retain(|(step, _)| *step != "commune");
    p.press(&path).await;
    // q: the desk's link with no language; stops on the age question, quiet since: abandoned.
    let mut q = Citizen::new(&world, "q", T0 + 2 * DAY);
    q.input(Input::StartWith("desk_son-vi")).await;
    q.language("vi").await;
    q.press(&[("safety", "ok")]).await;
    // r: a tampered link and s: no link at all, both in Sơn Vĩ: "other".
    let mut r = Citizen::new(&world, "r", T0 + 3 * DAY);
    r.input(Input::StartWith("poster_son-vi_xx")).await;
    r.language("vi").await;
    r.press(&portal("son-vi", "justice")).await;
    let mut t = Citizen::new(&world, "s", T0 + 4 * DAY);
    t.language("en").await;
    t.press(&[("safety", "ok")]).await;

    let r = report(&world, &params("2026-H2", T0 + 60 * DAY)).await;
    let by: Vec<(&str, i64, i64, i64)> = r
        .by_source
        .iter()
        .map(|b| {
            (
                b.key.as_str(),
                b.sessions,
                b.outcomes.portal_login,
                b.outcomes.abandoned,
            )
        })
        .collect();
    assert_eq!(
        by,
        [("poster", 1, 1, 0), ("desk", 1, 0, 1), ("other", 2, 1, 1)]
    );
    assert_eq!(
        breakdown(&r.by_commune),
        map(&[("son-vi", 2), ("meo-vac", 1), ("", 1)])
    );
    assert!(r.by_source[0].label.contains("Áp phích"));
    let csv = String::from_utf8(render::csv(&r).expect("csv")).expect("UTF-8");
    assert!(csv.contains("Theo nơi công dân biết đến trợ lý"), "{csv}");
}

on_both_backends!(
    sessions_count_by_the_start_link_they_came_from,
    every_figure_matches_a_hand_count,
    weekly_series_runs_monday_to_sunday_within_the_period,
    funnel_counts_sessions_entering_and_leaving_each_step,
    summaries_kept_by_triggers_equal_a_recount,
    a_bulk_load_writes_what_turns_write,
    synthetic_sessions_count_only_in_a_database_without_real_ones,
    csv_json_markdown_chart_and_telegram_bundle,
    the_workbook_reads_back_as_the_json,
    the_word_report_reads_back_in_the_states_form,
    report_on_an_empty_database_says_so,
    the_cli_reads_what_chat_wrote,
);
