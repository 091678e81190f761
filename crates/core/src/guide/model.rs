//! A guide as data: steps, choices and the commune list, loaded from TOML.
//!
//! Procedures change (the portal moved to VNeID log-in in 2024), so everything a content editor
//! may need to change lives in `guides/*.toml`, not in Rust. Loading checks the structure
//! (references, reachability, dead ends) so a broken guide never reaches a citizen; the same
//! checks feed `dvc-onboard check`, which is why problems carry a line number.

use crate::domain::{Milestone, Purpose};
use serde::Deserialize;
use std::collections::{HashMap, HashSet, VecDeque};
use std::ops::Range;
use toml::Spanned;

/// The `next` of a choice that returns to the step the citizen was on before a troubleshooting
/// detour (the nearest step in their history that is not a `trouble` step).
pub const NEXT_RESUME: &str = "@resume";
/// The `next` of a choice that ends the session (if open) and starts the guide again.
pub const NEXT_RESTART: &str = "@restart";

/// What a step does besides showing its message and choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    /// A screen with its own choices.
    #[default]
    Screen,
    /// The buttons are the communes of the commune list; any of them leads to `next`.
    Commune,
    /// Part of a troubleshooting branch: `@resume` skips these on the way back.
    Trouble,
    /// Records the session's outcome (the highest milestone reached, else `not_created`).
    Finish,
    /// The end of the session: nothing is asked any more.
    End,
}

#[derive(Debug, Clone)]
pub struct Choice {
    pub id: String,
    /// Fluent message id of the button label.
    pub label: String,
    /// A step id, [`NEXT_RESUME`] or [`NEXT_RESTART`].
    pub next: String,
    pub milestone: Option<Milestone>,
    pub purpose: Option<Purpose>,
    pub rating: Option<u8>,
    /// Pressed on a reminder: no more follow-ups in this session.
    pub stop_follow_ups: bool,
    pub line: usize,
}

/// Reminders for a citizen who stops at a step where they must wait (for the approval SMS, for
/// a visit to the police): the reminder is a step of its own, shown after each delay.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FollowUp {
    /// Hours before each reminder: the first counted from entering the step, each next one from
    /// the reminder before it. As many reminders as numbers, at most.
    pub after_hours: Vec<u16>,
    /// The reminder's step.
    pub step: String,
    /// Entering one of these steps means the citizen went on: no more reminders.
    pub until: Vec<String>,
}

/// The longest delay a reminder may have: a month.
pub const FOLLOW_UP_MAX_HOURS: u16 = 30 * 24;
/// The most reminders one wait may have.
pub const FOLLOW_UP_MAX_COUNT: usize = 5;

#[derive(Debug, Clone)]
pub struct Step {
    pub id: String,
    pub section: String,
    pub kind: StepKind,
    /// Fluent message id of the screen text.
    pub message: String,
    pub choices: Vec<Choice>,
    /// For `commune` steps: where every commune button leads.
    pub next: Option<String>,
    /// Position among the progress-counted steps of its section: (n, of total).
    pub progress: Option<(u16, u16)>,
    /// A waiting step: reminders follow if the citizen does not go on.
    pub follow_up: Option<FollowUp>,
    /// The picture shipped with the step: a file name under `media/<lang>/`
    /// ([`crate::media`]).
    pub picture: Option<String>,
    /// The voice note shipped with the step: a file name under `media/<lang>/`.
    pub voice: Option<String>,
    pub line: usize,
}

#[derive(Debug, Clone, Deserialize)]
pub struct Commune {
    pub code: String,
    pub name: String,
    pub province: String,
}

/// Free-text words that act like a button, so a citizen who types "help" is not stuck.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Keywords {
    #[serde(default)]
    pub ask_staff: Vec<String>,
    #[serde(default)]
    pub back: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Guide {
    pub id: String,
    pub start: String,
    pub steps: Vec<Step>,
    pub communes: Vec<Commune>,
    pub keywords: Keywords,
    index: HashMap<String, usize>,
}

/// One thing wrong with a guide, where it is and what to do, in a plain sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: usize,
    pub message: String,
}

// --- the TOML layout -------------------------------------------------------------------------

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGuide {
    id: String,
    start: Spanned<String>,
    #[serde(default)]
    keywords: Keywords,
    #[serde(rename = "step", default)]
    steps: Vec<RawStep>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStep {
    id: Spanned<String>,
    section: String,
    #[serde(default)]
    kind: StepKind,
    message: String,
    #[serde(default)]
    choices: Vec<Spanned<RawChoice>>,
    next: Option<Spanned<String>>,
    #[serde(default)]
    progress: bool,
    follow_up: Option<FollowUp>,
    picture: Option<String>,
    voice: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChoice {
    id: String,
    label: String,
    next: String,
    milestone: Option<Milestone>,
    purpose: Option<Purpose>,
    rating: Option<u8>,
    #[serde(default)]
    stop_follow_ups: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCommunes {
    #[serde(rename = "commune", default)]
    communes: Vec<Commune>,
}

/// Line (1-based) of a byte offset in `src`.
pub fn line_of(src: &str, offset: usize) -> usize {
    src.as_bytes()[..offset.min(src.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

fn line_of_span(src: &str, span: Range<usize>) -> usize {
    line_of(src, span.start)
}

impl Guide {
    /// Parses and validates a guide; any problem makes the guide unusable.
    pub fn parse(guide_src: &str, communes_src: &str) -> Result<Guide, Vec<Problem>> {
        let (guide, problems) = Self::parse_unchecked(guide_src, communes_src)?;
        if problems.is_empty() {
            Ok(guide)
        } else {
            Err(problems)
        }
    }

    /// Parses a guide and returns it with its structural problems, for `check` to list them all.
    /// Only a syntax error (nothing to check) is returned as `Err`.
    pub fn parse_unchecked(
        guide_src: &str,
        communes_src: &str,
    ) -> Result<(Guide, Vec<Problem>), Vec<Problem>> {
        let raw: RawGuide = toml::from_str(guide_src).map_err(|e| {
            vec![Problem {
                line: e.span().map_or(1, |s| line_of_span(guide_src, s)),
                message: format!("the guide is not valid TOML: {}", e.message()),
            }]
        })?;
        let communes: RawCommunes = toml::from_str(communes_src).map_err(|e| {
            vec![Problem {
                line: e.span().map_or(1, |s| line_of_span(communes_src, s)),
                message: format!("the commune list is not valid TOML: {}", e.message()),
            }]
        })?;

        let mut problems = Vec::new();
        let mut steps = Vec::with_capacity(raw.steps.len());
        let mut index = HashMap::new();
        for raw_step in raw.steps {
            let line = line_of_span(guide_src, raw_step.id.span());
            let id = raw_step.id.into_inner();
            if index.insert(id.clone(), steps.len()).is_some() {
                problems.push(Problem {
                    line,
                    message: format!("step `{id}` is defined twice; step ids must be unique"),
                });
            }
            let choices = raw_step
                .choices
                .into_iter()
                .map(|c| {
                    let line = line_of_span(guide_src, c.span());
                    let c = c.into_inner();
                    Choice {
                        id: c.id,
                        label: c.label,
                        next: c.next,
                        milestone: c.milestone,
                        purpose: c.purpose,
                        rating: c.rating,
                        stop_follow_ups: c.stop_follow_ups,
                        line,
                    }
                })
                .collect();
            steps.push(Step {
                id,
                section: raw_step.section,
                kind: raw_step.kind,
                message: raw_step.message,
                choices,
                next: raw_step.next.map(Spanned::into_inner),
                progress: raw_step.progress.then_some((0, 0)),
                follow_up: raw_step.follow_up,
                picture: raw_step.picture,
                voice: raw_step.voice,
                line,
            });
        }
        number_progress(&mut steps);

        let guide = Guide {
            id: raw.id,
            start: raw.start.get_ref().clone(),
            steps,
            communes: communes.communes,
            keywords: raw.keywords,
            index,
        };
        problems.extend(guide.structural_problems(line_of_span(guide_src, raw.start.span())));
        problems.sort_by_key(|p| p.line);
        Ok((guide, problems))
    }

    pub fn step(&self, id: &str) -> Option<&Step> {
        self.index.get(id).map(|&i| &self.steps[i])
    }

    pub fn start_step(&self) -> &Step {
        // `parse` refuses a guide whose start is unknown, so this holds for any loaded guide.
        self.step(&self.start).unwrap_or(&self.steps[0])
    }

    /// The first step of a section, where a citizen stored on a step that no longer exists goes.
    pub fn section_start(&self, section: &str) -> Option<&Step> {
        self.steps.iter().find(|s| s.section == section)
    }

    pub fn commune(&self, code: &str) -> Option<&Commune> {
        self.communes.iter().find(|c| c.code == code)
    }

    /// Steps a choice, a commune step or a reminder can lead to.
    fn targets<'a>(&'a self, step: &'a Step) -> impl Iterator<Item = &'a str> {
        step.choices
            .iter()
            .map(|c| c.next.as_str())
            .chain(step.next.as_deref())
            .chain(step.follow_up.as_ref().map(|f| f.step.as_str()))
    }

    /// What is wrong with a step's reminders.
    fn follow_up_problems(&self, step: &Step) -> Vec<String> {
        let Some(follow_up) = &step.follow_up else {
            return Vec::new();
        };
        let mut problems = Vec::new();
        let id = &step.id;
        if follow_up.after_hours.is_empty() || follow_up.after_hours.len() > FOLLOW_UP_MAX_COUNT {
            problems.push(format!(
                "the reminders of step `{id}` need 1 to {FOLLOW_UP_MAX_COUNT} delays in \
                 `after_hours`: a citizen is reminded a few times at most"
            ));
        }
        if let Some(h) = follow_up
            .after_hours
            .iter()
            .find(|&&h| h == 0 || h > FOLLOW_UP_MAX_HOURS)
        {
            problems.push(format!(
                "a reminder of step `{id}` waits {h} hours: give 1 to {FOLLOW_UP_MAX_HOURS}"
            ));
        }
        match self.step(&follow_up.step) {
            None => problems.push(format!(
                "the reminder of step `{id}` is `{}`, which is not a step",
                follow_up.step
            )),
            Some(reminder) if reminder.follow_up.is_some() || reminder.choices.is_empty() => {
                problems.push(format!(
                    "the reminder `{}` of step `{id}` must be a screen with choices and no \
                     reminders of its own",
                    reminder.id
                ))
            }
            Some(_) => {}
        }
        if follow_up.until.is_empty() {
            problems.push(format!(
                "the reminders of step `{id}` need `until`: the steps that mean the citizen went on"
            ));
        }
        for until in &follow_up.until {
            if self.step(until).is_none() {
                problems.push(format!(
                    "the reminders of step `{id}` stop at `{until}`, which is not a step"
                ));
            }
        }
        problems
    }

    fn structural_problems(&self, start_line: usize) -> Vec<Problem> {
        let mut problems = Vec::new();
        let mut push = |line, message| problems.push(Problem { line, message });
        if self.steps.is_empty() {
            push(1, "the guide has no steps".to_string());
            return problems;
        }
        if self.step(&self.start).is_none() {
            push(
                start_line,
                format!("`start` names step `{}`, which does not exist", self.start),
            );
        }
        if self.communes.is_empty() && self.steps.iter().any(|s| s.kind == StepKind::Commune) {
            push(
                1,
                "the guide asks for a commune but the commune list is empty".to_string(),
            );
        }
        let mut seen_communes = HashSet::new();
        for c in &self.communes {
            if !seen_communes.insert(c.code.as_str()) {
                push(1, format!("commune code `{}` is listed twice", c.code));
            }
        }
        for step in &self.steps {
            let mut seen = HashSet::new();
            for choice in &step.choices {
                if !seen.insert(choice.id.as_str()) {
                    push(
                        choice.line,
                        format!("step `{}` has two choices with id `{}`", step.id, choice.id),
                    );
                }
                let next = choice.next.as_str();
                if next != NEXT_RESUME && next != NEXT_RESTART && self.step(next).is_none() {
                    push(
                        choice.line,
                        format!(
                            "choice `{}` of step `{}` leads to `{next}`, which is not a step",
                            choice.id, step.id
                        ),
                    );
                }
                if let Some(r) = choice.rating
                    && !(1..=5).contains(&r)
                {
                    push(choice.line, format!("rating {r} is outside 1 to 5"));
                }
            }
            match (step.kind, &step.next) {
                (StepKind::Commune, None) => push(
                    step.line,
                    format!(
                        "commune step `{}` needs `next`: where the commune buttons lead",
                        step.id
                    ),
                ),
                (StepKind::Commune, Some(next)) if self.step(next).is_none() => push(
                    step.line,
                    format!("step `{}` leads to `{next}`, which is not a step", step.id),
                ),
                (StepKind::Commune, Some(_)) => {}
                (_, Some(_)) => push(
                    step.line,
                    format!(
                        "step `{}` has `next` but only a commune step uses it; give it choices",
                        step.id
                    ),
                ),
                _ => {}
            }
            for problem in self.follow_up_problems(step) {
                push(step.line, problem);
            }
            let forward = step.kind == StepKind::Commune || !step.choices.is_empty();
            if !forward && step.kind != StepKind::End {
                push(
                    step.line,
                    format!(
                        "step `{}` has no way forward: give it choices, or make it `kind = \"end\"`",
                        step.id
                    ),
                );
            }
        }
        if self.step(&self.start).is_some() {
            let reachable = self.reachable();
            for step in &self.steps {
                if !reachable.contains(step.id.as_str()) {
                    push(
                        step.line,
                        format!("step `{}` cannot be reached from `{}`", step.id, self.start),
                    );
                }
            }
            let ending = self.can_end();
            for step in &self.steps {
                if reachable.contains(step.id.as_str()) && !ending.contains(step.id.as_str()) {
                    push(
                        step.line,
                        format!(
                            "step `{}` is a dead end: no choice from it ever leads to a `finish` \
                             or `end` step, so a session there would never get an outcome",
                            step.id
                        ),
                    );
                }
            }
            if !self
                .steps
                .iter()
                .any(|s| s.kind == StepKind::Finish && reachable.contains(s.id.as_str()))
            {
                push(
                    1,
                    "no `finish` step can be reached: no session would ever get an outcome"
                        .to_string(),
                );
            }
        }
        problems
    }

    /// The steps from which a `finish` or `end` step can be reached. `@resume` counts as a way
    /// out (back to a step this check covers on its own), and so does `@restart`.
    fn can_end(&self) -> HashSet<&str> {
        let mut ending: HashSet<&str> = self
            .steps
            .iter()
            .filter(|s| {
                matches!(s.kind, StepKind::Finish | StepKind::End)
                    || s.choices
                        .iter()
                        .any(|c| c.next == NEXT_RESUME || c.next == NEXT_RESTART)
            })
            .map(|s| s.id.as_str())
            .collect();
        loop {
            let before = ending.len();
            for step in &self.steps {
                if !ending.contains(step.id.as_str())
                    && self.targets(step).any(|next| ending.contains(next))
                {
                    ending.insert(step.id.as_str());
                }
            }
            if ending.len() == before {
                return ending;
            }
        }
    }

    fn reachable(&self) -> HashSet<&str> {
        let mut seen = HashSet::from([self.start.as_str()]);
        let mut queue = VecDeque::from([self.start.as_str()]);
        while let Some(id) = queue.pop_front() {
            let Some(step) = self.step(id) else { continue };
            for next in self.targets(step) {
                if self.step(next).is_some() && seen.insert(next) {
                    queue.push_back(next);
                }
            }
        }
        seen
    }
}

/// Numbers the `progress = true` steps of each section in file order ("step 2 of 5").
fn number_progress(steps: &mut [Step]) {
    let mut totals: HashMap<String, u16> = HashMap::new();
    for s in steps.iter().filter(|s| s.progress.is_some()) {
        *totals.entry(s.section.clone()).or_default() += 1;
    }
    let mut counters: HashMap<String, u16> = HashMap::new();
    for s in steps.iter_mut().filter(|s| s.progress.is_some()) {
        let n = counters.entry(s.section.clone()).or_default();
        *n += 1;
        s.progress = Some((*n, totals[&s.section]));
    }
}
