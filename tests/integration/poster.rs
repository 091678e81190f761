//! `dvc-onboard poster`: the printed QR code, read back with a QR decoder, is the bot's link
//! with the commune (and language) preset; and such a link's `/start` lands there.

use crate::harness::{SQLITE, TestDb, text};
use std::io::Read;
use std::path::Path;

const BOT: &str = "dvc_sonvi_bot";

fn poster(dir: &Path, args: &[&str]) -> std::process::Output {
    crate::harness::run(dir, &[&["poster"], args].concat(), "", &[])
}

/// The text of the one QR code in a greyscale picture.
fn read_qr(width: usize, height: usize, grey: &[u8]) -> String {
    let mut picture =
        rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| grey[y * width + x]);
    let grids = picture.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code on the poster");
    grids[0].decode().expect("the QR code decodes").1
}

fn grey(rgb: &[u8]) -> Vec<u8> {
    rgb.chunks(3)
        .map(|p| ((u16::from(p[0]) + u16::from(p[1]) + u16::from(p[2])) / 3) as u8)
        .collect()
}

#[test]
fn the_png_poster_s_qr_code_is_the_commune_s_link_in_hmong() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("son-vi.png");
    let out = poster(
        dir.path(),
        &[
            "--commune",
            "son-vi",
            "--lang",
            "hmn",
            "--bot",
            BOT,
            "-o",
            "son-vi.png",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let link = "https://t.me/dvc_sonvi_bot?start=poster_son-vi_hmn";
    assert!(text(&out.stdout).contains(link));

    let bytes = std::fs::read(&file).expect("the poster is written");
    let mut png = png::Decoder::new(std::io::Cursor::new(bytes))
        .read_info()
        .expect("a PNG");
    let mut rgb = vec![0; png.output_buffer_size().expect("a size")];
    let frame = png.next_frame(&mut rgb).expect("a picture");
    assert_eq!((frame.width, frame.height), (1240, 1754), "A4 at 150 dpi");
    assert_eq!(frame.color_type, png::ColorType::Rgb);
    let (w, h) = (frame.width as usize, frame.height as usize);
    assert_eq!(read_qr(w, h, &grey(&rgb[..w * h * 3])), link);
}

#[test]
fn the_pdf_poster_is_one_a4_page_holding_the_desk_s_link() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = poster(
        dir.path(),
        &[
            "--commune",
            "meo-vac",
            "--source",
            "desk",
            "--bot",
            "@dvc_sonvi_bot",
            "-o",
            "desk.PDF",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let pdf = std::fs::read(dir.path().join("desk.PDF")).expect("the poster is written");
    assert!(pdf.starts_with(b"%PDF-"));
    let find = |needle: &[u8], from: usize| {
        pdf[from..]
            .windows(needle.len())
            .position(|w| w == needle)
            .map(|i| i + from)
    };
    assert!(find(b"/MediaBox [0 0 595 842]", 0).is_some(), "an A4 page");
    let pages = pdf
        .windows(12)
        .filter(|w| w.starts_with(b"/Type /Page") && w[11] != b's')
        .count();
    assert_eq!(pages, 1);
    // The picture: the one deflated stream of 1240 × 1754 RGB pixels.
    let image = find(b"/FlateDecode", 0).expect("the picture");
    let start = find(b"stream\n", image).expect("its data") + b"stream\n".len();
    let end = find(b"\nendstream", start).expect("its end");
    let mut rgb = Vec::new();
    flate2::read::ZlibDecoder::new(&pdf[start..end])
        .read_to_end(&mut rgb)
        .expect("deflated pixels");
    assert_eq!(rgb.len(), 1240 * 1754 * 3);
    assert_eq!(
        read_qr(1240, 1754, &grey(&rgb)),
        "https://t.me/dvc_sonvi_bot?start=desk_meo-vac"
    );
}

#[test]
fn a_wrong_commune_file_or_bot_name_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (args, says) in [
        (
            vec!["--commune", "nowhere", "--bot", BOT, "-o", "a.png"],
            "`nowhere` is not a commune",
        ),
        (
            vec!["--commune", "son-vi", "--bot", BOT, "-o", "a.jpg"],
            "written as .png or .pdf",
        ),
        (
            vec!["--commune", "son-vi", "--bot", "no", "-o", "a.png"],
            "not a Telegram bot username",
        ),
        (
            vec![
                "--commune",
                "son-vi",
                "--source",
                "flyer",
                "--bot",
                BOT,
                "-o",
                "a.png",
            ],
            "use poster or desk",
        ),
    ] {
        let out = poster(dir.path(), &args);
        assert!(!out.status.success(), "{args:?}");
        assert!(
            text(&out.stderr).contains(says),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
    assert!(!dir.path().join("a.png").exists() && !dir.path().join("a.jpg").exists());

    // A file that cannot be written (its folder does not exist): said, with the path.
    let out = poster(
        dir.path(),
        &["--commune", "son-vi", "--bot", BOT, "-o", "missing/a.png"],
    );
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("cannot write missing/a.png"),
        "{}",
        text(&out.stderr)
    );
}

/// The terminal takes `/start <payload>` as Telegram passes it: the poster's language and
/// commune are not asked again, and the session counts the poster as its source.
#[test]
fn a_poster_s_start_in_the_terminal_skips_the_language_and_commune() {
    let dir = tempfile::tempdir().expect("temp dir");
    let tdb = TestDb::new(SQLITE, dir.path());
    let out = crate::harness::run(
        dir.path(),
        &["chat"],
        "/start poster_meo-vac_hmn\n1\n",
        &tdb.env()
            .iter()
            .map(|(k, v)| (*k, v.as_str()))
            .collect::<Vec<_>>(),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let locales = dvc_onboard_core::i18n::Locales::embedded();
    let hmn = |id| locales.format(dvc_onboard_core::lang::Lang::Hmn, id, None);
    // Asked once as the terminal opens, before the link is typed; not again after it.
    let prompt = locales.format(dvc_onboard_core::lang::Lang::Vi, "language-prompt", None);
    assert_eq!(stdout.matches(&prompt).count(), 1, "{stdout}");
    assert!(!stdout.contains(&hmn("commune-ask")), "{stdout}");
    assert!(stdout.contains(&hmn("age-ask")), "{stdout}");
    let rows: Vec<(String, Option<String>, Option<String>)> =
        tdb.rows("SELECT language, commune, source FROM sessions");
    assert_eq!(
        rows,
        [("hmn".into(), Some("meo-vac".into()), Some("poster".into()))]
    );
}
