//! The terminal adapter: the citizen's conversation in a terminal, for content editors, staff
//! training and demos without Telegram. Same engine, same store, same messages.
//!
//! Buttons are numbered; type the number to press one. Piped input works too and gives the
//! same output every time, so a conversation can be replayed by tests and translators.

use crate::app::{Answer, App};
use crate::guide::Input;
use crate::guide::engine::LANGUAGE_STEP;
use crate::i18n::{Screen, ScreenButton};
use crate::lang::Lang;
use crate::privacy;
use std::io::Write;
use tokio::io::{AsyncBufRead, AsyncBufReadExt};

/// The adapter name in the store, so reports can tell practice runs from Telegram citizens.
pub const ADAPTER: &str = "terminal";

const HELP: &str =
    "Type a button's number, or text. Commands: /start /back /staff /lang /restart /quit";

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
    let mut buttons = show(out, app.handle(ADAPTER, &options.user, first).await?)?;
    let mut lines = input.lines();
    while let Some(line) = lines.next_line().await? {
        let line = line.trim();
        if options.echo {
            writeln!(out, "> {}", shown_input(line))?;
        }
        let input = match line {
            "" => continue,
            "/quit" | "/exit" => break,
            "/help" => {
                writeln!(out, "{HELP}")?;
                continue;
            }
            "/start" => Input::Start,
            "/back" => Input::Back,
            "/staff" => Input::AskStaff,
            "/lang" => Input::ChangeLanguage,
            "/restart" => Input::Restart,
            _ => match line
                .parse::<usize>()
                .ok()
                .and_then(|n| buttons.get(n.wrapping_sub(1)))
            {
                Some(button) => Input::from_button_data(&button.data).unwrap_or(Input::Start),
                None => Input::Text(line),
            },
        };
        let answer = app.handle(ADAPTER, &options.user, input).await?;
        buttons = show(out, answer)?;
    }
    Ok(())
}

/// What an input line is echoed as: a personal number is never printed back.
fn shown_input(line: &str) -> String {
    match privacy::classify(line) {
        Some(kind) => format!("[{} hidden]", kind.as_str()),
        None => line.to_string(),
    }
}

/// Prints the screens; returns the buttons of the last one, which the numbers refer to.
fn show(out: &mut impl Write, answer: Answer) -> anyhow::Result<Vec<ScreenButton>> {
    let mut buttons = Vec::new();
    for Screen { text, buttons: b } in answer.screens {
        writeln!(out)?;
        writeln!(out, "{text}")?;
        for (i, button) in b.iter().enumerate() {
            writeln!(out, "  {}. {}", i + 1, button.label)?;
        }
        if !b.is_empty() {
            buttons = b;
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
