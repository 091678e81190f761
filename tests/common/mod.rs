//! What the integration tests share: running the real binary, and walking the real guide.
#![allow(dead_code)] // each test file uses part of it

use dvc_onboard::content::ContentDirs;
use dvc_onboard::guide::engine::{
    Action, Event, Input, LANGUAGE_STEP, Phase, SessionOutcome, State, step,
};
use dvc_onboard::guide::{Guide, model::Milestone};
use std::collections::{HashSet, VecDeque};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

pub const BIN: &str = env!("CARGO_BIN_EXE_dvc-onboard");

/// Runs `dvc-onboard args…` with `stdin`, in `dir`, against the SQLite file `dir/test.db`.
pub fn run(dir: &Path, args: &[&str], stdin: &str, env: &[(&str, &str)]) -> Output {
    let db = format!("sqlite://{}", dir.join("test.db").display());
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(dir)
        .env("DATABASE_URL", db)
        .env_remove("PSEUDONYM_KEY")
        .env_remove("RUST_LOG")
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(stdin.as_bytes())
        .expect("stdin takes the script");
    child.wait_with_output().expect("the binary ends")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

pub fn guide() -> Guide {
    ContentDirs::default()
        .load()
        .expect("the built-in content loads")
        .guide
}

/// A walk found through the real guide: the button number pressed at each screen (1-based, as
/// the terminal shows them), and the engine events it produced.
pub struct Walk {
    pub presses: Vec<usize>,
    pub events: Vec<(String, Option<String>)>,
    pub outcome: SessionOutcome,
    pub milestones: Vec<Milestone>,
}

/// The shortest walk, pressing buttons only, from the language question to the end of the guide
/// whose session reaches every milestone in `want` (searched with the pure engine).
pub fn find_walk(guide: &Guide, lang: &str, want: &[Milestone]) -> Walk {
    let start = step(
        guide,
        &State::default(),
        Input::Choice {
            step: LANGUAGE_STEP,
            choice: lang,
        },
    );
    let mut seen = HashSet::new();
    let mut queue = VecDeque::from([(
        start.state.clone(),
        Vec::<usize>::new(),
        HashSet::<Milestone>::new(),
    )]);
    while let Some((state, presses, reached)) = queue.pop_front() {
        let current = state.step.clone().expect("inside the guide");
        let shown = dvc_onboard::guide::engine::screen(
            guide,
            guide.step(&current).expect("a guide step"),
            !state.history.is_empty(),
        );
        for (i, button) in shown.buttons.iter().enumerate() {
            if matches!(
                button.action,
                Action::AskStaff | Action::Back | Action::Restart
            ) {
                continue;
            }
            let out = step(guide, &state, button.action.input());
            let mut reached = reached.clone();
            for e in &out.events {
                if let Event::MilestoneReached { milestone } = e {
                    reached.insert(*milestone);
                }
            }
            let mut presses = presses.clone();
            presses.push(i + 1);
            if out.state.phase == Phase::Idle {
                if want.iter().all(|m| reached.contains(m)) {
                    return replay(guide, lang, presses);
                }
                continue;
            }
            let mut key: Vec<_> = reached.iter().copied().collect();
            key.sort();
            if seen.insert((out.state.step.clone(), key)) {
                queue.push_back((out.state, presses, reached));
            }
        }
    }
    panic!("no walk through the guide reaches {want:?}");
}

/// Replays presses with the engine to list the events the store should hold.
fn replay(guide: &Guide, lang: &str, presses: Vec<usize>) -> Walk {
    let first = step(
        guide,
        &State::default(),
        Input::Choice {
            step: LANGUAGE_STEP,
            choice: lang,
        },
    );
    let mut events = Vec::new();
    let mut state = first.state;
    let mut collect = |evs: &[Event<'_>]| {
        for e in evs {
            events.push(event_row(e));
        }
    };
    collect(&first.events);
    let mut outcome = SessionOutcome::Abandoned;
    let mut milestones = Vec::new();
    let mut buttons = first.replies.last().expect("a screen").buttons.clone();
    for &n in &presses {
        let out = step(guide, &state, buttons[n - 1].action.input());
        for e in &out.events {
            match e {
                Event::Finished { outcome: o } => outcome = *o,
                Event::MilestoneReached { milestone } => milestones.push(*milestone),
                _ => {}
            }
        }
        collect(&out.events);
        buttons = out.replies.last().expect("a screen").buttons.clone();
        state = out.state;
    }
    Walk {
        presses,
        events,
        outcome,
        milestones,
    }
}

/// An event as the store keeps it: (kind, step).
fn event_row(e: &Event<'_>) -> (String, Option<String>) {
    let step = match *e {
        Event::StepEntered { step } | Event::ChoiceMade { step, .. } => Some(step.to_string()),
        Event::WentBack { from } => Some(from.to_string()),
        Event::HelpAsked { step } => step.map(str::to_string),
        _ => None,
    };
    (e.kind().to_string(), step)
}

/// A running `dvc-onboard run` against `dir/bot.db`, its log in a file of `dir`; killed when
/// dropped. `env` gives the token, the Bot API URL and whatever the test needs.
pub struct BotProcess {
    child: std::process::Child,
    log: std::path::PathBuf,
}

impl BotProcess {
    pub fn start(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> BotProcess {
        static STARTS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = STARTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let log = dir.join(format!("bot-{n}.log"));
        let child = Command::new(BIN)
            .arg("run")
            .args(args)
            .current_dir(dir)
            .env(
                "DATABASE_URL",
                format!("sqlite://{}", dir.join("bot.db").display()),
            )
            .env("RUST_LOG", "info,dvc_onboard=debug")
            .env_remove("PSEUDONYM_KEY")
            .envs(env.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).expect("a log file"))
            .spawn()
            .expect("the bot starts");
        BotProcess { child, log }
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Sends SIGTERM and waits (at most 20 s) for the exit status.
    pub fn terminate(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        let _ = Command::new("kill").args(["-TERM", &pid]).status();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
        loop {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the bot did not stop on SIGTERM:\n{}",
                self.log()
            );
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }
}

impl Drop for BotProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
