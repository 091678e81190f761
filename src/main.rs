//! The `dvc-onboard` command: `chat` in a terminal, `check` the content, `migrate` the database.

use clap::{Parser, Subcommand};
use dvc_onboard::app::App;
use dvc_onboard::chat::{self, ChatOptions};
use dvc_onboard::config::{RunConfig, Settings};
use dvc_onboard::poster::Poster;
use dvc_onboard::telegram;
use dvc_onboard::telemetry;
use dvc_onboard_core::check;
use dvc_onboard_core::content::ContentDirs;
use dvc_onboard_core::domain::Source;
use dvc_onboard_core::lang::Lang;
use dvc_onboard_core::start_link::StartLink;
use std::fmt::Write as _;
use std::io::{IsTerminal, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
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
    /// Read the pictures and voice notes shipped with the steps from this folder
    /// (<lang>/<file>) instead of the built-in copy.
    #[arg(long, env = "MEDIA_DIR", global = true)]
    media: Option<PathBuf>,
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
    /// Check this deployment (the configuration, the desk, the key, the database, and what
    /// Telegram says: the token, the clock, the webhook, the staff group), one line per check;
    /// exits non-zero on any problem. Changes nothing.
    Doctor,
    /// Copy the SQLite database to FILE while the bot runs (SQLite's online backup), and check
    /// the copy. For PostgreSQL, says the pg_dump line to use.
    Backup {
        /// The new file (never overwritten).
        file: PathBuf,
    },
    /// Figures for officials: sessions, citizens, outcomes, funnel, weekly series (Vietnamese).
    Report(ReportArgs),
    /// Draw a printable A4 poster (PNG or PDF, by the file's extension) with the QR code of
    /// the bot's link for a commune: the commune (and the language, if given) are preset.
    Poster {
        /// The commune's code in the commune list (guides/communes.toml).
        #[arg(long)]
        commune: String,
        /// Preset the citizen's language too: vi, hmn or en.
        #[arg(long, value_parser = parse_lang)]
        lang: Option<Lang>,
        /// Where it hangs, as the reports count it: poster (notice boards) or desk (the
        /// one-stop desk).
        #[arg(long, default_value = "poster", value_parser = parse_source)]
        source: Source,
        /// The bot's Telegram username, without the @.
        #[arg(long, env = "TELEGRAM_BOT_USERNAME")]
        bot: String,
        /// The file to write: .png or .pdf.
        #[arg(short = 'o', long)]
        output: PathBuf,
    },
    /// Which translations are missing, stale or the Vietnamese as it is; confirm them, or
    /// export a language to a CSV for a translator and import it back. Works on the locales
    /// folder (--locales, else ./locales).
    Translations {
        #[command(subcommand)]
        action: Option<TranslationsAction>,
    },
    /// Fill the database with synthetic sessions (adapter `demo`) for demos and benchmarks.
    DemoData {
        /// How many sessions to create.
        #[arg(long)]
        sessions: u64,
        /// The same seed gives the same sessions.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Spread the sessions over this many days up to today.
        #[arg(long, default_value_t = 365)]
        days: u32,
    },
}

#[derive(Subcommand)]
enum TranslationsAction {
    /// Per language: current, stale, unconfirmed and missing messages, and those the same as
    /// the Vietnamese (what runs without an action).
    Status,
    /// Record that LANG's translations (of IDS, or all) match the current Vietnamese: once a
    /// translator has checked them.
    Confirm {
        #[arg(value_parser = parse_lang)]
        lang: Lang,
        ids: Vec<String>,
    },
    /// Write LANG's messages as a CSV (UTF-8): id, Vietnamese, English, translation, state.
    Export {
        #[arg(value_parser = parse_lang)]
        lang: Lang,
        #[arg(short = 'o', long)]
        output: PathBuf,
    },
    /// Read a translator's CSV back into LANG's files; nothing changes if any row would break
    /// a message.
    Import {
        #[arg(value_parser = parse_lang)]
        lang: Lang,
        file: PathBuf,
    },
}

#[derive(clap::Args)]
struct ReportArgs {
    /// 2026, 2026-H1, 2026-H2, 2026-Q1…Q4, 2026-07 (default: the current half-year).
    #[arg(long, conflicts_with_all = ["from", "to"])]
    period: Option<String>,
    /// First day, YYYY-MM-DD or DD/MM/YYYY (Vietnam time).
    #[arg(long)]
    from: Option<String>,
    /// Last day, included (default with --from: today).
    #[arg(long, requires = "from")]
    to: Option<String>,
    /// Only this commune (its code in guides/communes.toml).
    #[arg(long)]
    commune: Option<String>,
    /// table (terminal), csv (UTF-8 with BOM, for spreadsheets), json, md (Markdown), xlsx (an
    /// Excel workbook), docx (the commune's report in the state's form, to print and sign); the
    /// last two need --output.
    #[arg(
        long,
        default_value = "table",
        value_parser = ["table", "csv", "json", "md", "xlsx", "docx"]
    )]
    format: String,
    /// The Word report's issuing body ("ỦY BAN NHÂN DÂN XÃ SƠN VĨ"; default: the commune of
    /// --commune).
    #[arg(long, env = "REPORT_ISSUER")]
    issuer: Option<String>,
    /// The place in the Word report's date line ("Sơn Vĩ").
    #[arg(long, env = "REPORT_PLACE")]
    place: Option<String>,
    /// The title of the Word report's signer (default "CHỦ TỊCH").
    #[arg(long, env = "REPORT_SIGNER")]
    signer: Option<String>,
    /// Also write the weekly chart as a PNG file.
    #[arg(long)]
    chart: Option<PathBuf>,
    /// Write the report to this file instead of the terminal.
    #[arg(long, short)]
    output: Option<PathBuf>,
    /// Count practice runs in a terminal (`chat`) too.
    #[arg(long)]
    include_practice: bool,
    /// Count synthetic `demo-data` sessions even when the database has real ones.
    #[arg(long)]
    include_demo: bool,
}

fn parse_lang(code: &str) -> Result<Lang, String> {
    Lang::from_code(code)
        .ok_or_else(|| format!("`{code}` is not a language here: use vi, hmn or en"))
}

fn parse_source(name: &str) -> Result<Source, String> {
    Source::parse(name).ok_or_else(|| format!("`{name}` is not a source here: use poster or desk"))
}

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let dirs = ContentDirs {
        guides: cli.guides,
        locales: cli.locales,
        media: cli.media,
    };
    let result = match cli.command {
        Command::Check => return run_check(&dirs),
        Command::Translations { action } => run_translations(dirs.locales.as_deref(), action),
        Command::Poster {
            commune,
            lang,
            source,
            bot,
            output,
        } => run_poster(
            &dirs,
            StartLink {
                source,
                commune,
                lang,
            },
            &bot,
            &output,
        ),
        Command::Chat { lang, user } => {
            telemetry::init("warn");
            runtime().and_then(|rt| rt.block_on(run_chat(&dirs, lang, user)))
        }
        Command::Run { webhook } => {
            // Every problem at once, one line each, before anything starts.
            let config = match RunConfig::from_env(&dirs, webhook) {
                Ok(config) => config,
                Err(problems) => {
                    let mut said = String::new();
                    for problem in &problems {
                        let _ = writeln!(said, "dvc-onboard: configuration: {problem}");
                    }
                    let _ = write!(std::io::stderr(), "{said}");
                    return ExitCode::from(2);
                }
            };
            telemetry::init("info");
            runtime().and_then(|rt| rt.block_on(run_bot(&dirs, config)))
        }
        Command::Report(args) => {
            telemetry::init("warn");
            runtime().and_then(|rt| rt.block_on(run_report(&dirs, args)))
        }
        Command::DemoData {
            sessions,
            seed,
            days,
        } => {
            telemetry::init("warn");
            runtime().and_then(|rt| rt.block_on(run_demo(&dirs, sessions, seed, days)))
        }
        Command::Backup { file } => run_backup(&file),
        Command::Doctor => return run_doctor(&dirs),
        Command::Migrate => {
            telemetry::init("info");
            runtime().and_then(|rt| {
                rt.block_on(async {
                    let settings = Settings::from_env()?;
                    settings.store().await?;
                    writeln!(
                        std::io::stdout(),
                        "database ready: {}",
                        settings.database_for_logs()
                    )?;
                    Ok(())
                })
            })
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // The reader of our output went away (`chat | head`): that ends the run, as for any
        // Unix tool, and is no error of ours.
        Err(e) if broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            // Not `eprintln!`: it panics when stderr is a closed pipe too.
            let _ = writeln!(std::io::stderr(), "dvc-onboard: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}

async fn run_chat(dirs: &ContentDirs, lang: Option<Lang>, user: String) -> anyhow::Result<()> {
    let settings = Settings::from_env()?;
    let app = App::new(
        dirs.load()?,
        settings.store().await?,
        settings.pseudonymizer()?,
    )
    .await?;
    let options = ChatOptions {
        lang,
        user,
        echo: !std::io::stdin().is_terminal(),
    };
    let stdin = tokio::io::BufReader::new(tokio::io::stdin());
    chat::run(&app, &options, stdin, &mut std::io::stdout().lock()).await
}

async fn run_bot(dirs: &ContentDirs, config: RunConfig) -> anyhow::Result<()> {
    let (stop, shutdown) = watch::channel(false);
    let signal = stop_signal();
    tokio::spawn(async move {
        signal.await;
        tracing::info!("stopping: finishing the updates in flight");
        let _ = stop.send(true);
    });
    let RunConfig {
        settings,
        telegram,
        webhook,
        staff,
    } = config;
    let app = Arc::new(
        App::new(
            dirs.load()?,
            settings.store().await?,
            settings.pseudonymizer()?,
        )
        .await?,
    );
    telegram::run(app, &telegram, staff, webhook, shutdown).await
}

async fn run_report(dirs: &ContentDirs, args: ReportArgs) -> anyhow::Result<()> {
    use dvc_onboard::report::{self, Params, period};
    let now = dvc_onboard::app::now_ms();
    let mut params = Params::current(now);
    if let Some(p) = &args.period {
        params.period = period::Period::parse(p)?;
    }
    if let Some(from) = &args.from {
        let date = |s: &str| {
            period::Date::parse(s)
                .ok_or_else(|| anyhow::anyhow!("`{s}` is not a date: use YYYY-MM-DD or DD/MM/YYYY"))
        };
        let to = match &args.to {
            Some(to) => date(to)?,
            None => period::Date::of_ms(now),
        };
        params.period = period::Period::days(date(from)?, to)?;
    }
    params.commune = args.commune;
    params.include_practice = args.include_practice;
    params.include_demo = args.include_demo;
    let content = dirs.load()?;
    let store = Settings::from_env()?.store().await?;
    let report = report::build(&store, &content, &params).await?;
    if ["xlsx", "docx"].contains(&args.format.as_str()) && args.output.is_none() {
        anyhow::bail!(
            "a {0} file is not for the terminal: give it one with -o FILE.{0}",
            args.format
        );
    }
    let bytes = match args.format.as_str() {
        "csv" => report::render::csv(&report)?,
        "xlsx" => report::xlsx::workbook(&report)?,
        "docx" => {
            let issuer = report::docx::Issuer::given(
                report.scope.commune_name.as_deref(),
                args.issuer.clone(),
                args.place.clone(),
                args.signer.clone(),
            );
            report::docx::document(&report, &issuer)?
        }
        "json" => (report::render::json(&report)? + "\n").into_bytes(),
        "md" => report::render::markdown(&report).into_bytes(),
        _ => report::render::table(&report).into_bytes(),
    };
    match &args.output {
        Some(path) => std::fs::write(path, &bytes)
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?,
        None => {
            use std::io::Write;
            let mut out = std::io::stdout().lock();
            out.write_all(&bytes)?;
            out.flush()?;
        }
    }
    if let Some(path) = &args.chart {
        std::fs::write(path, report::chart::weekly_png(&report)?)
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    }
    if report.is_empty() {
        writeln!(
            std::io::stderr(),
            "dvc-onboard report: {}",
            if report.scope.database_empty {
                "the database has no session yet: nothing to count"
            } else {
                "no session started in this period"
            }
        )?;
    }
    Ok(())
}

async fn run_demo(dirs: &ContentDirs, sessions: u64, seed: u64, days: u32) -> anyhow::Result<()> {
    use dvc_onboard::demo;
    let content = dirs.load()?;
    let settings = Settings::from_env()?;
    let store = settings.store().await?;
    let mut options = demo::Options::new(sessions, seed, dvc_onboard::app::now_ms());
    options.days = days;
    let started = std::time::Instant::now();
    let progress = |done: u64| {
        if std::io::stderr().is_terminal() {
            let rate = done as f64 / started.elapsed().as_secs_f64().max(0.001);
            eprint!(
                "\r{done} / {sessions} sessions ({}%, {rate:.0} a second)   ",
                done * 100 / sessions.max(1)
            );
        }
    };
    let summary = demo::generate(&store, &content.guide, &options, progress).await?;
    if std::io::stderr().is_terminal() {
        eprintln!();
    }
    writeln!(
        std::io::stdout(),
        "{} synthetic sessions of {} synthetic citizens ({} events) written to {} in {:.1} s; \
         adapter `demo`: reports leave them out once the database holds real sessions",
        summary.sessions,
        summary.citizens,
        summary.events,
        settings.database_for_logs(),
        started.elapsed().as_secs_f64()
    )?;
    Ok(())
}

/// Ctrl-C or SIGTERM (what a service manager sends). SIGTERM is listened for from the call on,
/// not from the first poll, so one that comes while the bot starts still stops it cleanly.
fn stop_signal() -> impl Future<Output = ()> {
    #[cfg(unix)]
    let term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    async move {
        #[cfg(unix)]
        if let Some(mut term) = term {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
        let _ = tokio::signal::ctrl_c().await;
    }
}

fn run_poster(
    dirs: &ContentDirs,
    link: StartLink,
    bot: &str,
    output: &std::path::Path,
) -> anyhow::Result<()> {
    let content = dirs.load()?;
    let known = content.guide.commune(&link.commune).is_some();
    anyhow::ensure!(
        known,
        "`{}` is not a commune of the commune list (guides/communes.toml)",
        link.commune
    );
    // Telegram usernames: 5 to 32 letters, digits and underscores.
    let bot = bot.strip_prefix('@').unwrap_or(bot);
    anyhow::ensure!(
        (5..=32).contains(&bot.len())
            && bot.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'),
        "`{bot}` is not a Telegram bot username (5 to 32 letters, digits or _)"
    );
    let poster = Poster {
        link: &link,
        bot,
        content: &content,
    };
    let bytes = match output.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("png") => poster.png()?,
        Some(e) if e.eq_ignore_ascii_case("pdf") => poster.pdf()?,
        _ => anyhow::bail!(
            "{}: the poster is written as .png or .pdf",
            output.display()
        ),
    };
    std::fs::write(output, bytes)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", output.display()))?;
    println!("{} ({})", output.display(), poster.url());
    Ok(())
}

fn run_doctor(dirs: &ContentDirs) -> ExitCode {
    telemetry::init("error");
    let lines = match runtime() {
        Ok(rt) => rt.block_on(dvc_onboard::doctor::examine(dirs)),
        Err(e) => {
            eprintln!("dvc-onboard doctor: {e:#}");
            return ExitCode::FAILURE;
        }
    };
    let mut out = String::new();
    for line in &lines {
        let _ = writeln!(out, "{line}");
    }
    let failed = lines.iter().filter(|l| !l.ok).count();
    let _ = match failed {
        0 => writeln!(out, "all {} checks passed", lines.len()),
        n => writeln!(out, "{n} of {} checks failed", lines.len()),
    };
    let _ = std::io::stdout().write_all(out.as_bytes());
    if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}

fn run_backup(target: &std::path::Path) -> anyhow::Result<()> {
    let settings = Settings::from_env()?;
    let key = settings.key_location().map_or(String::new(), |at| {
        format!(
            "The pseudonym key is {at}. Keep it apart from this backup: whoever holds both can \
             turn the pseudonyms back into Telegram ids. Keep a copy of it somewhere safe: \
             without it, returning citizens count as new ones."
        )
    });
    let Some(source) = settings.sqlite_file() else {
        anyhow::bail!(
            "DATABASE_URL is not a SQLite file. For PostgreSQL, back up with its own tool, for \
             example: pg_dump --format=custom --file=FILE \"$DATABASE_URL\" (docs/operations.md, \
             Backups). {key}"
        );
    };
    let bytes = dvc_onboard::store::backup::sqlite(&source, target)?;
    println!(
        "backup: {} ({bytes} bytes), a consistent copy of {}; SQLite's integrity check: ok",
        target.display(),
        source.display()
    );
    println!("{key}");
    Ok(())
}

fn run_translations(
    locales: Option<&std::path::Path>,
    action: Option<TranslationsAction>,
) -> anyhow::Result<()> {
    use dvc_onboard::translations as tr;
    let folder = tr::Folder::open(locales)?;
    let said = match action.unwrap_or(TranslationsAction::Status) {
        TranslationsAction::Status => tr::status(&folder),
        TranslationsAction::Confirm { lang, ids } => tr::confirm(&folder, lang, &ids)?,
        TranslationsAction::Export { lang, output } => {
            let csv = tr::export(&folder, lang)?;
            std::fs::write(&output, csv)
                .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", output.display()))?;
            format!("{}", output.display())
        }
        TranslationsAction::Import { lang, file } => {
            let bytes = std::fs::read(&file)
                .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
            tr::import(&folder, lang, &bytes)?
        }
    };
    println!("{}", said.trim_end());
    Ok(())
}

fn run_check(dirs: &ContentDirs) -> ExitCode {
    let loaded = dirs
        .guide_source()
        .and_then(|g| Ok((g, dirs.locale_files()?, dirs.media()?)));
    let (source, files, media) = match loaded {
        Ok(loaded) => loaded,
        Err(e) => {
            eprintln!("dvc-onboard check: {e:#}");
            return ExitCode::FAILURE;
        }
    };
    let mut report = check::check(&source, &files, &media);
    let terms = match dirs.terms() {
        Ok(terms) => terms,
        Err(e) => {
            eprintln!("dvc-onboard check: {e:#}");
            return ExitCode::FAILURE;
        }
    };
    let mut words = Vec::new();
    if let Some(terms) = terms {
        match terms.parse() {
            Ok(list) => words = dvc_onboard_core::terms::warnings(&list, &files),
            Err(problem) => report.problems.push(problem),
        }
    }
    let stale = match dvc_onboard::translations::stale(dirs, &files) {
        Ok(stale) => stale,
        Err(e) => {
            eprintln!("dvc-onboard check: {e:#}");
            return ExitCode::FAILURE;
        }
    };
    // Written whole and errors ignored: `check | head` must not panic on a closed pipe.
    let mut out = String::new();
    let mut err = String::new();
    if !stale.is_empty() {
        let _ = writeln!(
            out,
            "{} translations were made from a Vietnamese text that has changed since (check \
             them, then `dvc-onboard translations confirm LANG ID`):",
            stale.len()
        );
        for s in &stale {
            let _ = writeln!(out, "  {s}");
        }
    }
    if !words.is_empty() {
        let _ = writeln!(
            out,
            "{} words the term list (locales/terms.toml) avoids:",
            words.len()
        );
        for w in &words {
            let _ = writeln!(out, "  {w}");
        }
    }
    if !report.warnings.is_empty() {
        let _ = writeln!(out, "{} warnings:", report.warnings.len());
        for w in &report.warnings {
            let _ = writeln!(out, "  {w}");
        }
    }
    if !report.fallbacks.is_empty() {
        let _ = writeln!(
            out,
            "{} Hmong strings fall back to another language:",
            report.fallbacks.len()
        );
        for f in &report.fallbacks {
            let _ = writeln!(out, "  {f}");
        }
    }
    for p in &report.problems {
        let _ = writeln!(err, "{p}");
    }
    let code = if report.problems.is_empty() {
        let _ = writeln!(
            out,
            "ok: {}, {} locale files and {} media files",
            source.guide_path.display(),
            files.len(),
            media.files().count()
        );
        ExitCode::SUCCESS
    } else {
        let _ = writeln!(err, "{} problems", report.problems.len());
        ExitCode::FAILURE
    };
    let _ = std::io::stdout().write_all(out.as_bytes());
    let _ = std::io::stderr().write_all(err.as_bytes());
    code
}
