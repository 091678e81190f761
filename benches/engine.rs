//! What one citizen message costs the CPU: one engine step, then rendering its replies with
//! Fluent, as `App::handle` does (the store and the network are left out).
//!
//! The inputs replay a realistic walk through the built-in guide: the language button, then the
//! first button of each screen, with some "back", some typed text (a personal number among it)
//! and some "ask staff" mixed in.
//!
//! `cargo bench --bench engine -- --warm-up-time 1 --measurement-time 3`

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use dvc_onboard_core::content::{Content, ContentDirs};
use dvc_onboard_core::guide::engine::{Action, Input, LANGUAGE_STEP, Reply, State, step};
use dvc_onboard_core::lang::Lang;
use dvc_onboard_core::privacy::Typed;
use std::hint::black_box;

/// How many inputs the walk holds; long enough to pass the whole guide more than once.
const WALK_LEN: usize = 400;
/// The language the replies are rendered in: Hmong falls back to Vietnamese for any string
/// it lacks, so it is the most work per message.
const LANG: Lang = Lang::Hmn;

/// An input, owned so the walk can be kept and replayed.
#[derive(Debug, Clone)]
enum Owned {
    Choice { step: String, choice: String },
    Text(&'static str),
    Back,
    AskStaff,
    Restart,
}

impl Owned {
    fn input(&self) -> Input<'_> {
        match self {
            Owned::Choice { step, choice } => Input::Choice { step, choice },
            Owned::Text(text) => Input::Text(Typed::plain(text)),
            Owned::Back => Input::Back,
            Owned::AskStaff => Input::AskStaff,
            Owned::Restart => Input::Restart,
        }
    }
}

/// The state before each input and the input, along the walk.
fn walk(content: &Content) -> Vec<(State, Owned)> {
    let guide = &content.guide;
    let mut walk = Vec::with_capacity(WALK_LEN);
    let mut state = State::default();
    let mut input = Owned::Choice {
        step: LANGUAGE_STEP.to_string(),
        choice: LANG.code().to_string(),
    };
    for i in 1..=WALK_LEN {
        let out = step(guide, &state, input.input());
        walk.push((state, input));
        state = out.state;
        // The first button of the screen, as a citizen going straight through would press.
        let first = out.replies.last().and_then(|r| {
            r.buttons.iter().find_map(|b| match b.action {
                Action::Choice { step, choice } => Some(Owned::Choice {
                    step: step.to_string(),
                    choice: choice.to_string(),
                }),
                _ => None,
            })
        });
        input = if i % 7 == 0 {
            Owned::Back
        } else if i % 11 == 0 {
            Owned::Text("kuv tsis paub ua li cas")
        } else if i % 13 == 0 {
            Owned::Text("so dien thoai 0912 345 678")
        } else if i % 17 == 0 {
            Owned::AskStaff
        } else {
            first.unwrap_or(Owned::Restart)
        };
    }
    walk
}

fn render_all(content: &Content, replies: &[Reply<'_>]) -> usize {
    replies
        .iter()
        .map(|r| black_box(content.locales.render(LANG, r)).text.len())
        .sum()
}

fn bench(c: &mut Criterion) {
    let content = ContentDirs::default()
        .load()
        .expect("the built-in content loads");
    let guide = &content.guide;
    let walk = walk(&content);
    // The replies of every input of the walk, for rendering alone.
    let replies: Vec<Vec<Reply<'_>>> = walk
        .iter()
        .map(|(state, input)| step(guide, state, input.input()).replies)
        .collect();

    let mut group = c.benchmark_group("engine");
    // One element is one citizen message, so criterion reports messages (steps) per second.
    group.throughput(Throughput::Elements(1));

    let mut next = (0..walk.len()).cycle();
    group.bench_function("step+render (hmn)", |b| {
        b.iter(|| {
            let (state, input) = &walk[next.next().unwrap_or(0)];
            let out = step(guide, black_box(state), black_box(input.input()));
            black_box(render_all(&content, &out.replies));
            out
        })
    });

    let mut next = (0..walk.len()).cycle();
    group.bench_function("step", |b| {
        b.iter(|| {
            let (state, input) = &walk[next.next().unwrap_or(0)];
            step(guide, black_box(state), black_box(input.input()))
        })
    });

    let mut next = (0..replies.len()).cycle();
    group.bench_function("render (hmn)", |b| {
        b.iter(|| render_all(&content, black_box(&replies[next.next().unwrap_or(0)])))
    });
    group.finish();
}

criterion_group! {
    name = benches;
    // No plots: drawing them needs system fonts, and a missing font aborts the run after the
    // first benchmark; the figures are in the text output.
    config = Criterion::default().without_plots();
    targets = bench
}
criterion_main!(benches);
