//! The `dvc-onboard` command: `chat` in a terminal, `check` the content, `migrate` the database.

use clap::{Parser, Subcommand};
use dvc_onboard::app::App;
use dvc_onboard::chat::{self, ChatOptions};
use dvc_onboard::check;
use dvc_onboard::config::{self, Settings, TelegramSettings};
use dvc_onboard::content::ContentDirs;
use dvc_onboard::lang::Lang;
use dvc_onboard::telegram::{self, Telegram};
use dvc_onboard::telemetry;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use teloxide::prelude::Requester;
use tokio::sync::watch;

#[derive(Parser)]
#[command(
    version,
    about = "Guides citizens to a VNeID account and the National Public Service Portal"
)]
struct Cli {
    /// Read the guide from this folder (portal-account.toml, communes.toml) instead of the copy
    /// built into the binary.
    #[arg(long, env = "GUIDES_DIR", global = true)]
    guides: Option<PathBuf>,
    /// Read the messages from this folder (<lang>/*.ftl) instead of the built-in copy.
    #[arg(long, env = "LOCALES_DIR", global = true)]
    locales: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Talk to the bot in this terminal, as a citizen would on Telegram.
    Chat {
        /// Answer the language question up front: vi, hmn or en.
        #[arg(long, value_parser = parse_lang)]
        lang: Option<Lang>,
        /// Who is typing; each name is a separate citizen in the database.
        #[arg(long, default_value = "local")]
        user: String,
    },
    /// Run the Telegram bot (TELOXIDE_TOKEN); long polling unless --webhook.
    Run {
        /// Serve Telegram webhooks (WEBHOOK_URL, WEBHOOK_LISTEN, WEBHOOK_SECRET).
        #[arg(long)]
        webhook: bool,
    },
    /// Check the guide and the translations; exits non-zero on any problem.
    Check,
    /// Create or update the database tables, then exit.
    Migrate,
}

fn parse_lang(code: &str) -> Result<Lang, String> {
    Lang::from_code(code)
        .ok_or_else(|| format!("`{code}` is not a language here: use vi, hmn or en"))
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let dirs = ContentDirs {
        guides: cli.guides,
        locales: cli.locales,
    };
    let result = match cli.command {
        Command::Check => return run_check(&dirs),
        Command::Chat { lang, user } => {
            telemetry::init("warn");
            runtime().and_then(|rt| rt.block_on(run_chat(&dirs, lang, user)))
        }
        Command::Run { webhook } => {
            telemetry::init("info");
            runtime().and_then(|rt| rt.block_on(run_bot(&dirs, webhook)))
        }
        Command::Migrate => {
            telemetry::init("info");
            runtime().and_then(|rt| {
                rt.block_on(async {
                    let settings = Settings::from_env()?;
                    settings.store().await?;
                    println!(
                        "database ready: {}",
                        dvc_onboard::store::redact(&settings.database_url)
                    );
                    Ok(())
                })
            })
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("dvc-onboard: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}

async fn run_chat(dirs: &ContentDirs, lang: Option<Lang>, user: String) -> anyhow::Result<()> {
    let settings = Settings::from_env()?;
    let app = App {
        content: dirs.load()?,
        store: settings.store().await?,
        pseudonyms: settings.pseudonymizer()?,
    };
    let options = ChatOptions {
        lang,
        user,
        echo: !std::io::stdin().is_terminal(),
    };
    let stdin = tokio::io::BufReader::new(tokio::io::stdin());
    chat::run(&app, &options, stdin, &mut std::io::stdout().lock()).await
}

async fn run_bot(dirs: &ContentDirs, webhook: bool) -> anyhow::Result<()> {
    let telegram = TelegramSettings::from_env()?;
    let webhook = webhook.then(config::webhook_from_env).transpose()?;
    let staff = config::staff_from_env()?;
    let settings = Settings::from_env()?;
    let app = Arc::new(App {
        content: dirs.load()?,
        store: settings.store().await?,
        pseudonyms: settings.pseudonymizer()?,
    });
    let bot = telegram.bot();
    let me = bot
        .get_me()
        .await
        .map_err(|e| anyhow::anyhow!("cannot reach Telegram with this token: {e}"))?;
    tracing::info!(bot = me.username(), "connected to Telegram");
    let tg = Telegram::new(app, bot, staff);
    tg.set_commands().await;
    if let Some(staff) = &tg.staff {
        telegram::staff::check_group(&tg, staff).await;
    }

    let (stop, shutdown) = watch::channel(false);
    tokio::spawn(async move {
        wait_for_signal().await;
        tracing::info!("stopping: finishing the updates in flight");
        let _ = stop.send(true);
    });
    let sweeper = tokio::spawn(telegram::sweep_periodically(tg.clone(), shutdown.clone()));
    match webhook {
        Some(config) => telegram::webhook::run(tg.clone(), config, shutdown).await?,
        None => telegram::polling::run(tg.clone(), shutdown).await?,
    }
    let _ = sweeper.await;
    Ok(())
}

/// Ctrl-C or SIGTERM (what a service manager sends).
async fn wait_for_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

fn run_check(dirs: &ContentDirs) -> ExitCode {
    let loaded = dirs
        .guide_source()
        .and_then(|g| Ok((g, dirs.locale_files()?)));
    let (source, files) = match loaded {
        Ok(loaded) => loaded,
        Err(e) => {
            eprintln!("dvc-onboard check: {e:#}");
            return ExitCode::FAILURE;
        }
    };
    let report = check::check(&source, &files);
    if !report.fallbacks.is_empty() {
        println!(
            "{} Hmong strings fall back to another language:",
            report.fallbacks.len()
        );
        for f in &report.fallbacks {
            println!("  {f}");
        }
    }
    for p in &report.problems {
        eprintln!("{p}");
    }
    if report.problems.is_empty() {
        println!(
            "ok: {} and {} locale files",
            source.guide_path.display(),
            files.len()
        );
        ExitCode::SUCCESS
    } else {
        eprintln!("{} problems", report.problems.len());
        ExitCode::FAILURE
    }
}
