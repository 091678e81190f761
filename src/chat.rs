//! The terminal adapter: the citizen's conversation in a terminal, for content editors, staff
//! training and demos without Telegram. Same engine, same store, same messages.
//!
//! Buttons are numbered; type the number to press one. Piped input works too and gives the
//! same output every time, so a conversation can be replayed by tests and translators.

use crate::app::{Answer, App};
use dvc_onboard_core::guide::Input;
use dvc_onboard_core::guide::engine::{LANGUAGE_STEP, messages};
use dvc_onboard_core::i18n::{Screen, ScreenButton};
use dvc_onboard_core::lang::Lang;
use dvc_onboard_core::privacy;
use std::io::Write;
use tokio::io::{AsyncBufRead, AsyncBufReadExt};

/// The adapter name in the store, so reports can tell practice runs from Telegram citizens.
pub const ADAPTER: &str = "terminal";

const HELP: &str =
    "Type a button's number, or text. Commands: /start /back /staff /lang /settings /restart /quit";

pub struct ChatOptions {
    /// Answers the language question up front.
    pub lang: Option<Lang>,
    /// Who is typing; each name is a separate citizen.
    pub user: String,
    /// Echo each input line (for transcripts of piped input).
    pub echo: bool,
}

pub async fn run(
    app: &App,
    options: &ChatOptions,
    input: impl AsyncBufRead + Unpin,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    writeln!(out, "{HELP}")?;
    let first = match options.lang {
        Some(lang) => Input::Choice {
            step: LANGUAGE_STEP,
            choice: lang.code(),
        },
        None => Input::Start,
    };
    let mut lang = options.lang.unwrap_or(Lang::Vi);
    let mut buttons = Vec::new();
    answer(app, options, first, &mut lang, &mut buttons, out).await?;
    let mut lines = input.lines();
    while let Some(line) = lines.next_line().await? {
        let line = line.trim();
        if options.echo {
            writeln!(out, "> {}", shown_input(line))?;
        }
        // A number presses that button of the last screen; the data is copied because the
        // answer replaces the buttons.
        let pressed = line
            .parse::<usize>()
            .ok()
            .and_then(|n| buttons.get(n.wrapping_sub(1)))
            .map(|b| b.data.clone());
        let input = match line {
            "" => continue,
            "/quit" | "/exit" => break,
            "/help" => {
                writeln!(out, "{HELP}")?;
                continue;
            }
            "/start" => Input::Start,
            // A start link's payload, as Telegram passes it: `/start poster_son-vi_hmn`.
            _ if line.starts_with("/start ") => Input::StartWith(line["/start ".len()..].trim()),
            "/back" => Input::Back,
            "/staff" => Input::AskStaff,
            "/lang" => Input::ChangeLanguage,
            "/settings" => Input::Settings,
            "/restart" => Input::Restart,
            "/forget" => {
                // No update ids in a terminal: every /forget is a new one.
                match app.forget(ADAPTER, &options.user, None).await {
                    Ok(forgotten) => {
                        let had = forgotten.and_then(|f| f.lang);
                        print(out, &app.notice(had.unwrap_or(lang), messages::FORGOTTEN))?
                    }
                    Err(e) => {
                        tracing::error!(error = %e, "forget failed");
                        print(out, &app.notice(lang, messages::TRY_AGAIN))?;
                    }
                }
                buttons.clear();
                continue;
            }
            _ => match pressed.as_deref() {
                Some(data) => Input::from_button_data(data).unwrap_or(Input::Start),
                None => Input::Text(privacy::Typed::plain(line)),
            },
        };
        answer(app, options, input, &mut lang, &mut buttons, out).await?;
    }
    Ok(())
}

/// Handles one input and shows the answer. When the store fails (a database briefly down),
/// the citizen is told to send it again, and the conversation goes on.
async fn answer(
    app: &App,
    options: &ChatOptions,
    input: Input<'_>,
    lang: &mut Lang,
    buttons: &mut Vec<ScreenButton>,
    out: &mut impl Write,
) -> anyhow::Result<()> {
    match app.handle(ADAPTER, &options.user, input).await {
        Ok(answer) => {
            *lang = answer.lang;
            let shown = show(out, answer)?;
            if !shown.is_empty() {
                *buttons = shown;
            }
        }
        Err(e) => {
            tracing::error!(error = format!("{e:#}"), "input not handled");
            print(out, &app.notice(*lang, messages::TRY_AGAIN))?;
        }
    }
    Ok(())
}

fn print(out: &mut impl Write, screen: &Screen) -> std::io::Result<()> {
    writeln!(out)?;
    writeln!(out, "{}", screen.text)?;
    for (i, button) in screen.buttons.iter().enumerate() {
        writeln!(out, "  {}. {}", i + 1, button.label)?;
    }
    out.flush()
}

/// What an input line is echoed as: a personal number is never printed back.
fn shown_input(line: &str) -> String {
    match privacy::classify(line) {
        Some(kind) => format!("[{} hidden]", kind.as_str()),
        None => line.to_string(),
    }
}

/// Prints the screens, each after its voice note and picture in words; returns the buttons of the last one, which the numbers refer to.
fn show(out: &mut impl Write, answer: Answer) -> anyhow::Result<Vec<ScreenButton>> {
    let mut buttons = Vec::new();
    for (i, screen) in answer.screens.into_iter().enumerate() {
        for attachment in answer.attachments.iter().filter(|a| a.screen == i) {
            writeln!(out)?;
            write!(out, "{}", attachment.describe())?;
        }
        print(out, &screen)?;
        if !screen.buttons.is_empty() {
            buttons = screen.buttons;
        }
    }
    if answer.help_asked {
        writeln!(
            out,
            "(terminal: there is no staff group here; on Telegram this opens a case for commune staff)"
        )?;
    }
    out.flush()?;
    Ok(buttons)
}
