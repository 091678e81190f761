//! Logging: `RUST_LOG` filters, `LOG_FORMAT=json` for machines. Logs carry pseudonyms, step ids
//! and event kinds, never a token, a personal number or a message text.

use tracing_subscriber::EnvFilter;

/// Logs go to stderr so the terminal chat's stdout stays a clean transcript. A panic is logged
/// by where it happened, never by its message: a message may quote a value, and a value may be
/// what a citizen typed.
pub fn init(default_filter: &str) {
    log_panics_by_place();
    // sqlx warns of a slow statement with its whole text, which a bulk load's statements make
    // pages long: kept out of the default logs (`RUST_LOG=sqlx::query=warn` shows them).
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new(format!("{default_filter},sqlx::query=error")));
    // Colours only on a terminal: a log file or the journal gets plain text.
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    let json = std::env::var("LOG_FORMAT").is_ok_and(|f| f.eq_ignore_ascii_case("json"));
    // `try_init` fails only if a subscriber is already set (tests): keep that one.
    let _ = if json {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
}

/// Replaces the default panic hook (which prints the message) by one that logs the place only.
fn log_panics_by_place() {
    std::panic::set_hook(Box::new(|info| {
        let location = info
            .location()
            .map(|l| format!("{}:{}", l.file(), l.line()))
            .unwrap_or_default();
        tracing::error!(location, "panicked (the message is not logged)");
    }));
}

#[cfg(test)]
mod tests {
    use std::io::Write;
    use std::sync::{Arc, Mutex};

    #[derive(Clone, Default)]
    struct Captured(Arc<Mutex<Vec<u8>>>);

    impl Write for Captured {
        fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
            self.0
                .lock()
                .map_err(|_| std::io::ErrorKind::Other)?
                .extend_from_slice(buf);
            Ok(buf.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_panic_is_logged_by_its_place_never_by_its_message() {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        super::log_panics_by_place();
        let typed = "CCCD 012345678901";
        let result = tracing::subscriber::with_default(subscriber, || {
            std::panic::catch_unwind(|| panic!("could not read {typed}"))
        });
        let _ = std::panic::take_hook();
        assert!(result.is_err());
        let log = String::from_utf8(captured.0.lock().expect("the log").clone()).expect("UTF-8");
        assert!(log.contains("src/telemetry.rs:"), "{log}");
        assert!(!log.contains("012345678901"), "{log}");
    }
}
