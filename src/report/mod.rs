//! Reports for officials: how many citizens were helped to a VNeID account and the National
//! Public Service Portal, by period, commune, channel, language and purpose; where they got
//! stuck (the funnel); what staff did; a weekly series and its chart.
//!
//! The rules (also in the README, "Reports"):
//! - Days are calendar days in Vietnam (UTC+7). A session belongs to the period in which it
//!   *started*; everything about it (outcome, hand-offs, time to complete) is counted there,
//!   as known when the report is made, even if it happened after the period's end.
//! - A session without an outcome and without any activity for [`QUIET_DAYS`] days before the
//!   report is made counts as abandoned; with activity since, as in progress.
//! - Practice runs in a terminal (`chat`, adapter `terminal`) are left out unless asked for;
//!   synthetic sessions (`demo-data`, adapter `demo`) are left out whenever the database holds
//!   real ones, and otherwise counted with a warning on every output.

pub mod chart;
pub mod docx;
pub mod labels;
pub mod period;
pub mod query;
pub mod render;
pub mod xlsx;

use crate::store::{Backend, Store};
use dvc_onboard_core::content::Content;
use dvc_onboard_core::domain::{Channel, Purpose, SessionOutcome, Source};
use dvc_onboard_core::lang::Lang;
use period::{Date, Period};
pub use query::FollowUps;
use query::{DEMO_ADAPTER, PRACTICE_ADAPTER, Raw, Scope};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

pub use period::PeriodError;

/// An open session quiet for this long counts as abandoned.
pub const QUIET_DAYS: i64 = 7;

/// What to report on.
#[derive(Debug, Clone)]
pub struct Params {
    pub period: Period,
    /// Only sessions of this commune (its code in guides/communes.toml).
    pub commune: Option<String>,
    /// Count practice runs in a terminal too.
    pub include_practice: bool,
    /// Count synthetic (`demo-data`) sessions even beside real ones.
    pub include_demo: bool,
    /// When the report is made (Unix ms): the end of the inactivity rule and of the series.
    pub as_of_ms: i64,
}

impl Params {
    /// The current half-year, all communes, real sessions only, as of `now_ms`.
    pub fn current(now_ms: i64) -> Params {
        Params {
            period: Period::half_year_of(Date::of_ms(now_ms)),
            commune: None,
            include_practice: false,
            include_demo: false,
            as_of_ms: now_ms,
        }
    }
}

/// A report, as JSON gives it (English keys); the other formats render the same figures.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub period: PeriodInfo,
    /// When the report was made, Vietnam time (`2026-11-25T20:47+07:00`).
    pub as_of: String,
    pub scope: ScopeInfo,
    /// Sessions that started in the period.
    pub sessions: i64,
    /// Distinct citizens (pseudonyms) among them; an erased citizen counts once per erasure.
    pub citizens: i64,
    pub outcomes: Outcomes,
    /// Sessions that ended with a VNeID account (level 1, level 2 or portal log-in).
    pub accounts_created: i64,
    /// Sessions in which the citizen asked for staff.
    pub asked_staff: i64,
    pub handoffs: Handoffs,
    pub time_to_account: Completion,
    pub by_channel: Vec<Breakdown>,
    pub by_language: Vec<Breakdown>,
    pub by_commune: Vec<Breakdown>,
    pub by_purpose: Vec<Breakdown>,
    /// Where citizens found the bot: a poster's or the desk's start link, or elsewhere.
    pub by_source: Vec<Breakdown>,
    /// Reminders to citizens who stopped at a waiting step, and whether they went on.
    pub follow_ups: FollowUps,
    /// Voice notes and pictures: the steps that have them per language, and the sessions
    /// whose citizen chose text only.
    pub media: MediaFigures,
    pub funnel: Vec<FunnelStep>,
    pub weekly: Vec<Week>,
}

#[derive(Debug, Clone, Serialize)]
pub struct MediaFigures {
    /// Sessions of the period whose citizen had text only, to save data.
    pub text_only_sessions: i64,
    /// Per language, the guide's steps with a voice note and with a picture of their own (the
    /// commune's or shipped), as they are now.
    pub coverage: Vec<crate::media::Coverage>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PeriodInfo {
    pub code: String,
    /// In Vietnamese.
    pub label: String,
    pub from: Date,
    pub to: Date,
    pub timezone: &'static str,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScopeInfo {
    pub commune: Option<String>,
    pub commune_name: Option<String>,
    pub practice_included: bool,
    /// Synthetic sessions are counted: the figures are not real.
    pub synthetic: bool,
    /// Sessions of the period not counted: synthetic ones and practice runs.
    pub synthetic_left_out: i64,
    pub practice_left_out: i64,
    /// The database holds no session at all.
    pub database_empty: bool,
}

#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Outcomes {
    pub portal_login: i64,
    pub vneid_level2: i64,
    pub vneid_level1: i64,
    pub child_applied: i64,
    pub referred: i64,
    pub not_created: i64,
    pub handed_off: i64,
    pub abandoned: i64,
    pub in_progress: i64,
}

impl Outcomes {
    fn add(&mut self, outcome: &str, n: i64) {
        // An outcome this version does not know counts as abandoned.
        *self.count(SessionOutcome::parse(outcome).unwrap_or(SessionOutcome::Abandoned)) += n;
    }

    fn count(&mut self, outcome: SessionOutcome) -> &mut i64 {
        match outcome {
            SessionOutcome::PortalLogin => &mut self.portal_login,
            SessionOutcome::VneidLevel2 => &mut self.vneid_level2,
            SessionOutcome::VneidLevel1 => &mut self.vneid_level1,
            SessionOutcome::ChildApplied => &mut self.child_applied,
            SessionOutcome::Referred => &mut self.referred,
            SessionOutcome::NotCreated => &mut self.not_created,
            SessionOutcome::HandedOff => &mut self.handed_off,
            SessionOutcome::Abandoned => &mut self.abandoned,
            SessionOutcome::InProgress => &mut self.in_progress,
        }
    }

    pub fn get(&self, outcome: SessionOutcome) -> i64 {
        match outcome {
            SessionOutcome::PortalLogin => self.portal_login,
            SessionOutcome::VneidLevel2 => self.vneid_level2,
            SessionOutcome::VneidLevel1 => self.vneid_level1,
            SessionOutcome::ChildApplied => self.child_applied,
            SessionOutcome::Referred => self.referred,
            SessionOutcome::NotCreated => self.not_created,
            SessionOutcome::HandedOff => self.handed_off,
            SessionOutcome::Abandoned => self.abandoned,
            SessionOutcome::InProgress => self.in_progress,
        }
    }

    pub fn accounts(&self) -> i64 {
        self.portal_login + self.vneid_level2 + self.vneid_level1
    }

    pub fn total(&self) -> i64 {
        SessionOutcome::ALL.iter().map(|o| self.get(*o)).sum()
    }
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Handoffs {
    pub opened: i64,
    pub taken: i64,
    pub closed: i64,
    /// Hand-offs that staff answered at least once.
    pub answered: i64,
    /// Median minutes from a hand-off's opening to staff's first answer.
    pub median_minutes_to_first_answer: Option<f64>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Completion {
    /// Sessions guided by the bot that ended with an account (the median is over these).
    pub sessions: i64,
    /// Median minutes from the start of such a session to its outcome.
    pub median_minutes: Option<f64>,
}

/// The sessions of one channel, language, commune or purpose, by outcome.
#[derive(Debug, Clone, Serialize)]
pub struct Breakdown {
    pub key: String,
    pub label: String,
    pub sessions: i64,
    pub accounts_created: i64,
    pub outcomes: Outcomes,
}

impl Breakdown {
    /// The row of `key`, named `label`, with its sessions and accounts from `outcomes`.
    fn new(key: String, label: String, outcomes: Outcomes) -> Breakdown {
        Breakdown {
            key,
            label,
            sessions: outcomes.total(),
            accounts_created: outcomes.accounts(),
            outcomes,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct FunnelStep {
    pub step: String,
    pub section: String,
    /// The first line of the step's Vietnamese screen.
    pub label: String,
    /// Sessions that entered the step at least once.
    pub entered: i64,
    /// Sessions that left the guide there: abandoned with this as their last step.
    pub left: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct Week {
    /// The week's Monday, or the period's first day for a week cut by it.
    pub from: Date,
    /// The week's Sunday, or the period's (or the report's) last day.
    pub to: Date,
    pub sessions: i64,
    pub self_guided: i64,
    pub staff_remote: i64,
    pub in_person: i64,
    /// Sessions of another channel (from a later version).
    pub other_channels: i64,
    pub accounts_created: i64,
}

impl Report {
    /// No session counted.
    pub fn is_empty(&self) -> bool {
        self.sessions == 0
    }
}

/// Builds the report of `params` from the store.
pub async fn build(store: &Store, content: &Content, params: &Params) -> anyhow::Result<Report> {
    store.compact_reports().await?;
    // One read transaction: every figure from the same moment.
    let mut tx = store.pool().begin().await?;
    if store.backend() == Backend::Postgres {
        // SQLite's read transaction sees one snapshot throughout; PostgreSQL's default (read
        // committed) would let each query see newer sessions.
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .execute(&mut *tx)
            .await?;
    }
    let mut report = build_in(&mut tx, store.backend(), content, params).await?;
    tx.rollback().await?;
    // What the steps have now, not over the period: read apart.
    let staff_media = crate::media::StaffMediaIndex::default();
    staff_media.refresh(store).await?;
    report.media.coverage = crate::media::coverage(content, &staff_media);
    Ok(report)
}

async fn build_in(
    conn: &mut crate::store::DbConnection,
    backend: Backend,
    content: &Content,
    params: &Params,
) -> anyhow::Result<Report> {
    let period = &params.period;
    let present = query::adapters(conn).await?;
    let real = present
        .iter()
        .any(|a| a != DEMO_ADAPTER && a != PRACTICE_ADAPTER);
    let demo_counted = params.include_demo || !real;
    let mut scope = Scope {
        start_ms: period.start_ms(),
        end_ms: period.end_ms(),
        first_day: period.first_day(),
        last_day: period.last_day(),
        adapters: Vec::new(),
        commune: params.commune.clone(),
        quiet_before_ms: params.as_of_ms - QUIET_DAYS * period::DAY_MS,
    };
    let (mut synthetic_left_out, mut practice_left_out, mut synthetic_in) = (0, 0, 0);
    for adapter in &present {
        let counted = match adapter.as_str() {
            DEMO_ADAPTER => demo_counted,
            PRACTICE_ADAPTER => params.include_practice,
            _ => true,
        };
        if counted {
            scope.adapters.push(adapter.clone());
        }
        if adapter == DEMO_ADAPTER || (adapter == PRACTICE_ADAPTER && !counted) {
            let n = query::adapter_sessions(conn, &scope, adapter).await?;
            match (adapter.as_str(), counted) {
                (DEMO_ADAPTER, true) => synthetic_in = n,
                (DEMO_ADAPTER, false) => synthetic_left_out = n,
                _ => practice_left_out = n,
            }
        }
    }
    let raw = query::read(conn, backend, &scope).await?;
    let commune_name = params
        .commune
        .as_deref()
        .and_then(|c| content.guide.commune(c))
        .map(|c| c.name.clone());
    let scope_info = ScopeInfo {
        commune: params.commune.clone(),
        commune_name,
        practice_included: params.include_practice,
        synthetic: synthetic_in > 0,
        synthetic_left_out,
        practice_left_out,
        database_empty: present.is_empty(),
    };
    Ok(assemble(content, params, scope_info, &raw))
}

/// The figures from what was read.
fn assemble(content: &Content, params: &Params, scope: ScopeInfo, raw: &Raw) -> Report {
    let cells = counted(raw);
    let mut outcomes = Outcomes::default();
    let mut asked_staff = 0;
    for (c, outcome, n) in &cells {
        outcomes.add(outcome, *n);
        if c.asked_staff {
            asked_staff += n;
        }
    }
    let sessions = outcomes.total();

    let commune_codes: Vec<&str> = content
        .guide
        .communes
        .iter()
        .map(|c| c.code.as_str())
        .chain([""])
        .collect();
    let commune_label = |code: &str| match content.guide.commune(code) {
        Some(c) => c.name.clone(),
        None if code.is_empty() => "Chưa chọn xã".to_string(),
        None => code.to_string(),
    };
    let channels: Vec<&str> = Channel::ALL.iter().map(|c| c.as_str()).collect();
    let by_channel = breakdown(&cells, |c| &c.channel, &channels, &labels::channel);
    let by_language = breakdown(
        &cells,
        |c| &c.language,
        &labels::LANGUAGES,
        &labels::language,
    );
    let by_commune = breakdown(&cells, |c| &c.commune, &commune_codes, &commune_label);
    let mut purposes: Vec<&str> = Purpose::ALL.iter().map(|p| p.as_str()).collect();
    purposes.push("");
    let by_purpose = breakdown(&cells, |c| &c.purpose, &purposes, &labels::purpose);

    let by_source = by_source(&raw.sources, &outcomes);

    let h = &raw.handoffs;
    let handoffs = Handoffs {
        opened: h.opened,
        taken: h.taken,
        closed: h.closed,
        answered: h.answered,
        median_minutes_to_first_answer: h.median_first_answer_ms.map(|ms| ms / 60_000.0),
    };

    Report {
        period: PeriodInfo {
            code: params.period.code.clone(),
            label: params.period.label.clone(),
            from: params.period.from,
            to: params.period.to,
            timezone: "UTC+07:00",
        },
        as_of: iso_vn(params.as_of_ms),
        scope,
        sessions,
        citizens: raw.citizens,
        accounts_created: outcomes.accounts(),
        outcomes,
        asked_staff,
        handoffs,
        time_to_account: Completion {
            sessions: raw.completed,
            median_minutes: raw.median_complete_ms.map(|ms| ms / 60_000.0),
        },
        by_channel,
        by_language,
        by_commune,
        by_purpose,
        by_source,
        follow_ups: raw.follow_ups.clone(),
        media: MediaFigures {
            text_only_sessions: raw.text_only,
            coverage: Vec::new(),
        },
        funnel: funnel(content, raw),
        weekly: weekly(params, raw),
    }
}

/// A summary cell with the outcome it counts under, and how many sessions.
type Counted<'r> = (&'r query::Cell, &'r str, i64);

/// Each cell once with its effective outcome: an open session is in progress while it was
/// active lately, else abandoned.
fn counted(raw: &Raw) -> Vec<Counted<'_>> {
    type Key = (String, String, String, String, bool);
    let key = |c: &query::Cell| -> Key {
        (
            c.channel.clone(),
            c.language.clone(),
            c.commune.clone(),
            c.purpose.clone(),
            c.asked_staff,
        )
    };
    let mut active: HashMap<Key, i64> = HashMap::new();
    for a in &raw.active {
        *active.entry(key(&a.cell)).or_default() += a.cell.sessions;
    }
    let mut cells = Vec::new();
    for c in &raw.cells {
        if c.outcome.is_empty() {
            let recent = active.get(&key(c)).copied().unwrap_or(0).min(c.sessions);
            cells.push((c, SessionOutcome::InProgress.as_str(), recent));
            cells.push((c, SessionOutcome::Abandoned.as_str(), c.sessions - recent));
        } else {
            cells.push((c, c.outcome.as_str(), c.sessions));
        }
    }
    cells
}

/// The sessions and outcomes by one dimension (`dim`), its values in `order` first, then any
/// other, each named by `label`.
fn breakdown(
    cells: &[Counted<'_>],
    dim: fn(&query::Cell) -> &str,
    order: &[&str],
    label: &dyn Fn(&str) -> String,
) -> Vec<Breakdown> {
    let mut by: BTreeMap<String, Outcomes> = BTreeMap::new();
    for (c, outcome, n) in cells {
        by.entry(dim(c).to_string()).or_default().add(outcome, *n);
    }
    let mut keys: Vec<String> = order
        .iter()
        .map(|k| k.to_string())
        .filter(|k| by.contains_key(k))
        .collect();
    keys.extend(by.keys().filter(|k| !order.contains(&k.as_str())).cloned());
    keys.into_iter()
        .map(|k| {
            let o = by.remove(&k).unwrap_or_default();
            let name = label(&k);
            Breakdown::new(k, name, o)
        })
        .collect()
}

/// The sessions of each start link's source, then the rest of `all` as "other".
fn by_source(sources: &[query::SourceCount], all: &Outcomes) -> Vec<Breakdown> {
    let mut rest = all.clone();
    let mut rows = Vec::new();
    let row = |key: &str, o: Outcomes| Breakdown::new(key.to_string(), labels::source(key), o);
    for source in Source::ALL {
        let mut o = Outcomes::default();
        for s in sources.iter().filter(|s| s.source == source.as_str()) {
            o.add(&s.outcome, s.sessions);
            rest.add(&s.outcome, -s.sessions);
        }
        if o.total() > 0 {
            rows.push(row(source.as_str(), o));
        }
    }
    if rest.total() > 0 {
        rows.push(row(labels::OTHER_SOURCE, rest));
    }
    rows
}

/// Steps in the guide's order, then steps no longer in the guide. A step's "left" are the
/// abandoned sessions whose last step it is, and the open ones quiet for too long.
fn funnel(content: &Content, raw: &Raw) -> Vec<FunnelStep> {
    let mut active: HashMap<&str, i64> = HashMap::new();
    for a in &raw.active {
        if let Some(step) = &a.last_step {
            *active.entry(step.as_str()).or_default() += a.cell.sessions;
        }
    }
    let counts: HashMap<&str, (i64, i64)> = raw
        .steps
        .iter()
        .map(|s| {
            let quiet = (s.left_open - active.get(s.step.as_str()).copied().unwrap_or(0)).max(0);
            (s.step.as_str(), (s.entered, s.left_abandoned + quiet))
        })
        .collect();
    let guide = &content.guide;
    let mut rows = Vec::new();
    for step in &guide.steps {
        let (entered, left) = counts.get(step.id.as_str()).copied().unwrap_or((0, 0));
        if entered == 0 && left == 0 {
            continue;
        }
        let (text, _) = content
            .locales
            .format_with_errors(Lang::Vi, &step.message, None);
        rows.push(FunnelStep {
            step: step.id.clone(),
            section: labels::section(&step.section),
            label: labels::first_line(&text, 60),
            entered,
            left,
        });
    }
    let mut gone: Vec<(&str, (i64, i64))> = counts
        .iter()
        .filter(|(s, (e, l))| guide.step(s).is_none() && (*e != 0 || *l != 0))
        .map(|(s, c)| (*s, *c))
        .collect();
    gone.sort_unstable();
    for (step, (entered, left)) in gone {
        rows.push(FunnelStep {
            step: step.to_string(),
            section: String::new(),
            label: "(bước không còn trong hướng dẫn)".to_string(),
            entered,
            left,
        });
    }
    rows
}

/// Monday-to-Sunday weeks of the period, cut by its first and last day and by the day the report
/// is made (no empty weeks in the future).
fn weekly(params: &Params, raw: &Raw) -> Vec<Week> {
    let first = params.period.first_day();
    let last = params
        .period
        .last_day()
        .min(period::day_of_ms(params.as_of_ms));
    if last < first {
        return Vec::new();
    }
    let monday = |day: i64| day - (day + 3).rem_euclid(7);
    let mut weeks = Vec::new();
    let mut start = first;
    while start <= last {
        let end = (monday(start) + 6).min(last);
        weeks.push(Week {
            from: Date::from_day_number(start),
            to: Date::from_day_number(end),
            sessions: 0,
            self_guided: 0,
            staff_remote: 0,
            in_person: 0,
            other_channels: 0,
            accounts_created: 0,
        });
        start = end + 1;
    }
    for d in &raw.days {
        if d.day < first || d.day > last {
            continue;
        }
        // Weeks are consecutive: the index is the number of Mondays since the first week.
        let i = ((monday(d.day) - monday(first)) / 7) as usize;
        let Some(w) = weeks.get_mut(i) else { continue };
        w.sessions += d.sessions;
        match Channel::parse(&d.channel) {
            Some(Channel::SelfGuided) => w.self_guided += d.sessions,
            Some(Channel::StaffRemote) => w.staff_remote += d.sessions,
            Some(Channel::InPerson) => w.in_person += d.sessions,
            None => w.other_channels += d.sessions,
        }
        w.accounts_created += d.accounts;
    }
    weeks
}

/// `2026-11-25T20:47+07:00`.
fn iso_vn(ms: i64) -> String {
    let date = Date::of_ms(ms);
    let minutes = (ms + period::VN_OFFSET_MS).rem_euclid(period::DAY_MS) / 60_000;
    format!("{date}T{:02}:{:02}+07:00", minutes / 60, minutes % 60)
}

/// What `/report [period]` in the staff group sends: a short summary in Vietnamese (plain text,
/// within Telegram's 4,096 characters), the CSV as a document and the chart as a photo.
#[derive(Debug, Clone)]
pub struct TelegramBundle {
    pub summary: String,
    /// The Excel workbook ([`xlsx`]).
    pub xlsx: Vec<u8>,
    /// A file name for it (`bao-cao-2026-H2.xlsx`).
    pub xlsx_name: String,
    /// The report in the state's form, to print and sign ([`docx`]).
    pub docx: Vec<u8>,
    /// `bao-cao-2026-H2.docx`.
    pub docx_name: String,
    pub png: Vec<u8>,
}

/// Errors of `/report` a staff member can fix.
#[derive(Debug, thiserror::Error)]
pub enum BundleError {
    /// The period text was not understood; `.vi()` says so in Vietnamese.
    #[error(transparent)]
    Period(#[from] PeriodError),
    #[error(transparent)]
    Other(#[from] anyhow::Error),
}

/// The report for `/report [period]`: `period` is what followed the command (empty: the current
/// half-year), in any form `--period` takes (`2026`, `2026-H1`, `2026-Q3`, `2026-07`,
/// `2026-07-01..2026-09-30`). Real sessions of all communes, as of `now_ms`.
pub async fn telegram_bundle(
    store: &Store,
    content: &Content,
    period: &str,
    now_ms: i64,
) -> Result<TelegramBundle, BundleError> {
    let mut params = Params::current(now_ms);
    if !period.trim().is_empty() {
        params.period = Period::parse(period)?;
    }
    let report = build(store, content, &params).await?;
    let file = report.period.code.replace("..", "_").replace('/', "-");
    Ok(TelegramBundle {
        summary: render::summary(&report),
        xlsx: xlsx::workbook(&report)?,
        xlsx_name: format!("bao-cao-{file}.xlsx"),
        docx: docx::document(&report, &docx::Issuer::from_env(None))?,
        docx_name: format!("bao-cao-{file}.docx"),
        png: chart::weekly_png(&report)?,
    })
}
