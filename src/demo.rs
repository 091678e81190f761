//! `dvc-onboard demo-data`: realistic synthetic sessions for demos and benchmarks.
//!
//! Synthetic citizens walk the real guide through the real engine, pressing the buttons a
//! citizen would (mostly forward, sometimes a problem, back, "ask staff", a typed number, a
//! photo), dropping off where citizens do, coming back days later, answering what the account
//! is for in the proportions of the commune desks' own counts. Their turns are written by
//! [`Store::bulk_load`], through the same event-to-row writer as real turns.
//!
//! Every synthetic session has adapter `demo` and every synthetic citizen a pseudonym starting
//! with `demo-`: reports leave them out as soon as the database holds real sessions, and say so
//! on every output when they count them.

use crate::report::period::{DAY_MS, VN_OFFSET_MS};
use crate::store::{BulkTurn, Store};
use dvc_onboard_core::domain::Milestone;
use dvc_onboard_core::guide::engine::{Event, Input, LANGUAGE_STEP, Media, Phase, State, step};
use dvc_onboard_core::guide::model::{Guide, StepKind};
use dvc_onboard_core::privacy::Typed;

/// The adapter of synthetic sessions.
pub const ADAPTER: &str = crate::report::query::DEMO_ADAPTER;
/// How synthetic citizens' pseudonyms start.
pub const CITIZEN_PREFIX: &str = "demo-";

#[derive(Debug, Clone)]
pub struct Options {
    /// How many sessions to create.
    pub sessions: u64,
    /// The same seed gives the same sessions (for the same guide and `now_ms`).
    pub seed: u64,
    /// Sessions start over this many days before `now_ms`.
    pub days: u32,
    pub now_ms: i64,
    /// Sessions per transaction.
    pub batch: usize,
}

impl Options {
    pub fn new(sessions: u64, seed: u64, now_ms: i64) -> Options {
        Options {
            sessions,
            seed,
            days: 365,
            now_ms,
            batch: 20_000,
        }
    }
}

/// What was written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub sessions: u64,
    pub citizens: u64,
    pub events: u64,
}

/// SplitMix64: small, fast, and the same numbers for a seed on every platform and version.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// Uniform in [lo, hi).
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        lo + (self.unit() * (hi - lo).max(1) as f64) as i64
    }

    /// An index drawn with the given weights.
    pub fn weighted(&mut self, weights: &[f64]) -> usize {
        let total: f64 = weights.iter().sum();
        let mut x = self.unit() * total;
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        weights.len().saturating_sub(1)
    }
}

/// How likely each choice of a step is; unknown steps and choices share what is left evenly.
fn choice_weight(step: &str, choice: &str) -> Option<f64> {
    let w = match (step, choice) {
        // Many desk visits are parents registering children.
        ("age", "yes") => 0.8,
        ("age", "child") => 0.18,
        ("age", "young") => 0.02,
        ("child-age", "6-13") => 0.6,
        ("child-parent", "yes") => 0.6,
        ("card-valid", "valid") => 0.92,
        ("card", "yes") => 0.78,
        ("card", "cmnd") => 0.05,
        ("card", "none") => 0.05,
        ("card", "unsure") => 0.12,
        ("card-check", "chip") => 0.85,
        ("phone-own", "yes") => 0.62,
        ("phone-own", "no") => 0.12,
        ("phone-own", "shared") => 0.1,
        ("phone-own", "unsure") => 0.16,
        ("sim-check", "mine") => 0.6,
        // In Mèo Vạc the elderly majority has no smartphone.
        ("smartphone", "yes") => 0.75,
        ("bp-wait", "sms") => 0.6,
        ("vneid-have", "no") => 0.25,
        ("vneid-have", "not-active") => 0.1,
        ("vneid-have", "level1") => 0.15,
        ("vneid-have", "level2") => 0.35,
        ("vneid-have", "unsure") => 0.1,
        ("vneid-have", "trouble") => 0.05,
        ("nfc", "yes") => 0.55,
        ("nfc", "no") => 0.2,
        ("nfc", "unsure") => 0.25,
        ("l1-wait", "sms") => 0.74,
        ("l1-wait", "not-yet") => 0.2,
        ("l1-not-yet", "sms") => 0.55,
        ("act-level2-offer", "now") => 0.5,
        ("act-level2-offer", "done-police") => 0.1,
        ("act-level2-offer", "later") => 0.4,
        ("lv2-go", "there") => 0.62,
        ("lv2-go", "done-police") => 0.15,
        ("lv2-go", "later") => 0.18,
        ("lv2-result", "came") => 0.7,
        ("lv2-result", "activate") => 0.14,
        ("lv2-result", "not-yet") => 0.11,
        ("lv2-not-yet", "came") => 0.5,
        ("login-offer", "now") => 0.7,
        ("login-vneid", "password") => 0.5,
        ("login-vneid", "qr") => 0.45,
        ("trouble-get-help", "retry") => 0.5,
        // What the account is for: the commune desks' counts (justice 900, labour-social 700,
        // land 200 of about 2,000), with health insurance and other beside them.
        ("purpose", "justice") => 0.42,
        ("purpose", "labour") => 0.33,
        ("purpose", "land") => 0.1,
        ("purpose", "health") => 0.08,
        ("purpose", "other") => 0.07,
        ("rate", "good") => 0.7,
        ("rate", "so-so") => 0.2,
        ("rate", "bad") => 0.1,
        (_, "done") => 0.9,
        (_, "problem") => 0.07,
        (_, "fixed") => 0.6,
        (_, "still") => 0.22,
        (_, "later") => 0.12,
        _ => return None,
    };
    Some(w)
}

/// How likely a citizen stops for good on a step (drops off).
fn drop_chance(step: &str, kind: StepKind) -> f64 {
    match (step, kind) {
        ("safety", _) => 0.3,
        ("commune", _) => 0.1,
        ("age" | "card" | "phone-own" | "smartphone" | "vneid-have", _) => 0.07,
        ("l1-scan" | "act-otp" | "l1-confirm", _) => 0.07,
        ("lv2-go" | "lv2-officer", _) => 0.09,
        ("l1-wait" | "lv2-result", _) => 0.06,
        ("purpose" | "rate", _) => 0.08,
        (_, StepKind::Trouble) => 0.08,
        _ => 0.05,
    }
}

/// How long a citizen takes before the next input on `step` (ms): reading time, and days for
/// a visit to the police or an SMS that has not come.
fn think_ms(rng: &mut Rng, step: &str) -> i64 {
    match step {
        "lv2-go" | "lv2-not-yet" => rng.range(DAY_MS / 2, 9 * DAY_MS),
        "lv2-result" | "l1-not-yet" => rng.range(3_600_000, 3 * DAY_MS),
        "l1-wait" => rng.range(600_000, 8 * 3_600_000),
        "act-otp" | "l1-scan" => rng.range(40_000, 420_000),
        _ => {
            // Mostly under a minute, sometimes a few.
            let base = rng.range(8_000, 70_000);
            if rng.chance(0.1) {
                base + rng.range(60_000, 600_000)
            } else {
                base
            }
        }
    }
}

const LANGS: [(&str, f64); 3] = [("hmn", 0.58), ("vi", 0.38), ("en", 0.04)];

/// Commune weights by code; communes not listed share a small weight.
fn commune_weight(code: &str) -> f64 {
    match code {
        "meo-vac" => 0.28,
        "son-vi" => 0.18,
        "xin-cai" => 0.14,
        "sung-mang" => 0.12,
        "khau-vai" => 0.11,
        "pa-vi" => 0.1,
        "other" => 0.05,
        _ => 0.05,
    }
}

/// One synthetic citizen's turns, in time order.
struct Citizen {
    pseudonym: String,
    state: State,
    at: i64,
}

struct Sim<'g> {
    guide: &'g Guide,
    rng: Rng,
    now: i64,
    start: i64,
    day_weights: Vec<f64>,
    commune_weights: Vec<f64>,
}

impl<'g> Sim<'g> {
    fn new(guide: &'g Guide, opts: &Options) -> Sim<'g> {
        let days = i64::from(opts.days.max(1));
        let today = (opts.now_ms + VN_OFFSET_MS).div_euclid(DAY_MS);
        let first = today - days + 1;
        // More and more citizens as the campaign goes on; fewer at weekends.
        let day_weights = (0..days)
            .map(|i| {
                let weekday = (first + i + 3).rem_euclid(7);
                let trend = 0.5 + i as f64 / days as f64;
                trend
                    * match weekday {
                        5 => 0.45,
                        6 => 0.25,
                        _ => 1.0,
                    }
            })
            .collect();
        Sim {
            guide,
            rng: Rng::new(opts.seed),
            now: opts.now_ms,
            start: first * DAY_MS - VN_OFFSET_MS,
            day_weights,
            commune_weights: guide
                .communes
                .iter()
                .map(|c| commune_weight(&c.code))
                .collect(),
        }
    }

    /// A start time: a weighted day, in the desk's hours mostly, some evenings.
    fn start_time(&mut self) -> i64 {
        let day = self.rng.weighted(&self.day_weights) as i64;
        let hour = [7, 8, 9, 10, 13, 14, 15, 16, 19, 20][self
            .rng
            .weighted(&[1.0, 1.6, 1.8, 1.5, 1.0, 1.3, 1.3, 1.0, 0.8, 0.6])];
        let minute = self.rng.range(0, 60 * 60_000);
        self.start + day * DAY_MS + hour * 3_600_000 + minute
    }

    /// Applies one input and records its turn; `false` once the time would pass `now`.
    fn input(
        &mut self,
        citizen: &mut Citizen,
        input: Input<'_>,
        turns: &mut Vec<BulkTurn<'g>>,
        started: &mut u64,
    ) -> bool {
        if citizen.at > self.now {
            return false;
        }
        let out = step(self.guide, &citizen.state, input);
        *started += out
            .events
            .iter()
            .filter(|e| matches!(e, Event::SessionStarted { .. }))
            .count() as u64;
        turns.push(BulkTurn {
            citizen: citizen.pseudonym.clone(),
            at: citizen.at,
            // The writer needs the language and the phase, not the history.
            state: State {
                lang: out.state.lang,
                phase: out.state.phase,
                ..State::default()
            },
            events: out.events,
        });
        citizen.state = out.state;
        true
    }

    /// One visit: from the citizen's first input (or their return) until they stop, finish,
    /// or the present.
    fn visit(
        &mut self,
        citizen: &mut Citizen,
        first: Input<'_>,
        turns: &mut Vec<BulkTurn<'g>>,
        started: &mut u64,
    ) {
        if !self.input(citizen, first, turns, started) {
            return;
        }
        for _ in 0..120 {
            let guide = self.guide;
            let Some(current) = citizen.state.step.as_deref().and_then(|s| guide.step(s)) else {
                return;
            };
            if citizen.state.phase == Phase::Idle {
                return; // the end screen: the session is over
            }
            let think = think_ms(&mut self.rng, &current.id);
            citizen.at += think;
            if citizen.state.handoff {
                // Staff have the case: they close it (often with an account), or send the
                // citizen back to the guide, or the case stays open.
                citizen.at += self.rng.range(5 * 60_000, 2 * DAY_MS);
                let r = self.rng.unit();
                let input = if r < 0.55 {
                    let reached = [
                        None,
                        Some(Milestone::VneidLevel1),
                        Some(Milestone::VneidLevel2),
                        Some(Milestone::PortalLogin),
                    ][self.rng.weighted(&[0.3, 0.2, 0.3, 0.2])];
                    Input::StaffClosed { reached }
                } else if r < 0.85 {
                    Input::Resume
                } else {
                    return;
                };
                if !self.input(citizen, input, turns, started) {
                    return;
                }
                continue;
            }
            if self.rng.chance(drop_chance(&current.id, current.kind)) {
                return; // gone: the session stays open and turns quiet
            }
            let r = self.rng.unit();
            let trouble = current.kind == StepKind::Trouble;
            let input = if r < 0.02 && !citizen.state.history.is_empty() {
                Input::Back
            } else if r < if trouble { 0.08 } else { 0.028 } {
                Input::HandOff
            } else if r < 0.036 {
                Input::AskStaff
            } else if r < 0.044 {
                // Typed text: a question, a keyword, or a number the bot warns about.
                Input::Text(Typed::plain(
                    [
                        "xin chào",
                        "giúp tôi",
                        "012345678901",
                        "0912 345 678",
                        "123456",
                        "ok",
                    ][self.rng.weighted(&[2.0, 2.0, 1.0, 1.0, 0.5, 2.0])],
                ))
            } else if r < 0.047 {
                Input::Media(
                    [Media::Photo, Media::Sticker, Media::Voice]
                        [self.rng.weighted(&[1.0, 1.0, 0.5])],
                )
            } else {
                self.press(&current.id, current.kind)
            };
            if !self.input(citizen, input, turns, started) {
                return;
            }
        }
    }

    /// A button of the step, with the weights above.
    fn press(&mut self, step_id: &'g str, kind: StepKind) -> Input<'g> {
        let guide = self.guide;
        let Some(step) = guide.step(step_id) else {
            return Input::Start;
        };
        if kind == StepKind::Commune {
            let i = self.rng.weighted(&self.commune_weights);
            return match guide.communes.get(i) {
                Some(c) => Input::Choice {
                    step: &step.id,
                    choice: &c.code,
                },
                None => Input::Start,
            };
        }
        if step.choices.is_empty() {
            return Input::Start;
        }
        let known: Vec<Option<f64>> = step
            .choices
            .iter()
            .map(|c| choice_weight(&step.id, &c.id))
            .collect();
        let unknown = known.iter().filter(|w| w.is_none()).count();
        let rest = (1.0 - known.iter().flatten().sum::<f64>()).max(0.05);
        let weights: Vec<f64> = known
            .iter()
            .map(|w| w.unwrap_or(rest / unknown.max(1) as f64))
            .collect();
        let c = &step.choices[self.rng.weighted(&weights)];
        Input::Choice {
            step: &step.id,
            choice: &c.id,
        }
    }

    /// A citizen's whole story: one to three visits over days or weeks.
    fn citizen(
        &mut self,
        n: u64,
        seed: u64,
        budget: u64,
        turns: &mut Vec<BulkTurn<'g>>,
        started: &mut u64,
    ) {
        let mut citizen = Citizen {
            pseudonym: format!("{CITIZEN_PREFIX}{seed:x}-{n:08x}"),
            state: State::default(),
            at: self.start_time(),
        };
        let lang = LANGS[self.rng.weighted(&LANGS.map(|(_, w)| w))].0;
        let before = *started;
        self.visit(
            &mut citizen,
            Input::Choice {
                step: LANGUAGE_STEP,
                choice: lang,
            },
            turns,
            started,
        );
        let visits = 1 + self.rng.weighted(&[0.8, 0.15, 0.05]);
        for _ in 1..visits {
            citizen.at += self.rng.range(DAY_MS / 4, 20 * DAY_MS);
            if *started - before >= 3 || *started >= budget {
                return;
            }
            let again = match citizen.state.phase {
                // Back after a while: most continue where they were, some start over.
                Phase::Open if self.rng.chance(0.6) => Input::Start,
                _ => Input::Restart,
            };
            if again == Input::Restart && *started >= budget {
                return;
            }
            self.visit(&mut citizen, again, turns, started);
        }
    }
}

/// Synthetic citizens, batch after batch: the same seed gives the same turns.
pub struct Simulator<'g> {
    sim: Sim<'g>,
    seed: u64,
    next_citizen: u64,
}

/// A chunk of synthetic turns, loaded in one go.
pub struct Chunk<'g> {
    pub turns: Vec<BulkTurn<'g>>,
    pub sessions: u64,
    pub citizens: u64,
}

impl<'g> Simulator<'g> {
    pub fn new(guide: &'g Guide, opts: &Options) -> Simulator<'g> {
        Simulator {
            sim: Sim::new(guide, opts),
            seed: opts.seed,
            next_citizen: 0,
        }
    }

    /// The turns of new citizens that start exactly `sessions` sessions.
    pub fn chunk(&mut self, sessions: u64) -> Chunk<'g> {
        let mut batch = Chunk {
            turns: Vec::new(),
            sessions: 0,
            citizens: 0,
        };
        while batch.sessions < sessions {
            let before = batch.sessions;
            self.sim.citizen(
                self.next_citizen,
                self.seed,
                sessions,
                &mut batch.turns,
                &mut batch.sessions,
            );
            self.next_citizen += 1;
            if batch.sessions > before {
                batch.citizens += 1;
            }
        }
        batch
    }
}

/// Writes `opts.sessions` synthetic sessions; `progress` is told the sessions written so far.
pub async fn generate(
    store: &Store,
    guide: &Guide,
    opts: &Options,
    mut progress: impl FnMut(u64),
) -> anyhow::Result<Summary> {
    let mut simulator = Simulator::new(guide, opts);
    let mut summary = Summary::default();
    let events_before = last_event(store).await?;
    while summary.sessions < opts.sessions {
        let want = (opts.sessions - summary.sessions).min(opts.batch.max(1) as u64);
        let batch = simulator.chunk(want);
        store.bulk_load(ADAPTER, &batch.turns).await?;
        summary.sessions += batch.sessions;
        summary.citizens += batch.citizens;
        progress(summary.sessions);
    }
    summary.events = (last_event(store).await? - events_before) as u64;
    Ok(summary)
}

async fn last_event(store: &Store) -> anyhow::Result<i64> {
    let id: Option<i64> = sqlx::query_scalar("SELECT max(id) FROM events")
        .fetch_one(store.pool())
        .await?;
    Ok(id.unwrap_or(0))
}
