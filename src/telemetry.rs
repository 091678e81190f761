//! Logging: `RUST_LOG` filters, `LOG_FORMAT=json` for machines. Logs carry pseudonyms, step ids
//! and event kinds, never a token, a personal number or a message text.

use tracing_subscriber::EnvFilter;

/// Logs go to stderr so the terminal chat's stdout stays a clean transcript. A panic is logged
/// by where it happened, never by its message: a message may quote a value, and a value may be
/// what a citizen typed.
pub fn init(default_filter: &str) {
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        tracing::error!(location, "panicked (the message is not logged)");
    }));
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(default_filter));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    let json = std::env::var("LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json"));
    // `try_init` fails only if a subscriber is already set (tests): keep that one.
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}
