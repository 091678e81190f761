//! Pictures and voice notes that go with the guide's steps: many citizens read little, in any
//! script, and a voice in their own language and a picture of the screen they should see reach
//! them where text does not.
//!
//! A step names its shipped files (`picture = "…"`, `voice = "…"` in the guide); they live in
//! `media/<lang>/`, with the messages' fallback: a language without its own file gets the
//! Vietnamese one. Shipped files are built into the binary like the guide, or read from a
//! folder (`MEDIA_DIR`). Staff may attach their own recording or picture to any step and
//! language from the staff group; the adapters keep those, and they come before the shipped
//! file.

use crate::lang::Lang;
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Telegram's limits on what a bot sends (Bot API, `sendPhoto` and `sendVoice`).
pub const MAX_PICTURE_BYTES: usize = 10 * 1024 * 1024;
pub const MAX_VOICE_BYTES: usize = 50 * 1024 * 1024;
/// A photo's width and height together, and their ratio, at most.
pub const MAX_PICTURE_SIDES: u32 = 10_000;
pub const MAX_PICTURE_RATIO: u32 = 20;
/// A caption holds at most this many characters; a longer step text goes after the photo.
pub const MAX_CAPTION: usize = 1024;
/// Heavier files cost a citizen on a prepaid SIM and a weak signal: `check` warns.
pub const HEAVY_PICTURE_BYTES: usize = 300 * 1024;
pub const HEAVY_VOICE_BYTES: usize = 500 * 1024;

/// What a file is for: shown as a photo, or played as a voice message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MediaKind {
    Picture,
    Voice,
}

impl MediaKind {
    pub const ALL: [MediaKind; 2] = [MediaKind::Picture, MediaKind::Voice];

    /// The name in the store and the reports.
    pub fn as_str(self) -> &'static str {
        match self {
            MediaKind::Picture => "picture",
            MediaKind::Voice => "voice",
        }
    }

    pub fn from_code(code: &str) -> Option<MediaKind> {
        MediaKind::ALL.into_iter().find(|k| k.as_str() == code)
    }
}

/// Where a citizen speaking `lang` gets a step's media from, in order: their language, then
/// Vietnamese, as for messages. In each, what staff attached comes before the shipped file.
pub fn fallback(lang: Lang) -> impl Iterator<Item = Lang> {
    std::iter::once(lang).chain((lang != Lang::Vi).then_some(Lang::Vi))
}

/// What a file's first bytes say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Png,
    Jpeg,
    /// Opus in an OGG container: what Telegram plays as a voice message.
    OggOpus,
}

impl Format {
    pub fn kind(self) -> MediaKind {
        match self {
            Format::Png | Format::Jpeg => MediaKind::Picture,
            Format::OggOpus => MediaKind::Voice,
        }
    }

    /// What the extension of a file name promises, if it is one of ours.
    pub fn of_name(name: &str) -> Option<Format> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "png" => Some(Format::Png),
            "jpg" | "jpeg" => Some(Format::Jpeg),
            "ogg" | "oga" | "opus" => Some(Format::OggOpus),
            _ => None,
        }
    }
}

/// One shipped file.
#[derive(Debug, Clone)]
pub struct MediaFile {
    pub lang: Lang,
    pub name: String,
    /// Where it was read from, for `check`'s messages.
    pub path: PathBuf,
    pub bytes: Arc<[u8]>,
    /// SHA-256 of the bytes, hex: what an upload is remembered by, so a changed file is sent
    /// anew and an unchanged one never twice.
    pub sha256: String,
}

impl MediaFile {
    pub fn new(lang: Lang, name: &str, path: PathBuf, bytes: Vec<u8>) -> MediaFile {
        let sha256 = Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        MediaFile {
            lang,
            name: name.to_owned(),
            path,
            bytes: bytes.into(),
            sha256,
        }
    }
}

/// The shipped media, by language and file name.
#[derive(Debug, Clone, Default)]
pub struct Library {
    /// By language, then name: a lookup by name needs no owned key (it runs on every step's
    /// screen).
    files: BTreeMap<Lang, BTreeMap<String, MediaFile>>,
    /// Files in folders that name no language, for `check`.
    pub strays: Vec<PathBuf>,
}

impl Library {
    /// The files built into the binary (`media/` when it was built).
    pub fn embedded() -> Library {
        let entries: &[(&str, &str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/media.rs"));
        let mut library = Library::default();
        for &(lang, name, bytes) in entries {
            let path = Path::new("media").join(lang).join(name);
            match Lang::from_code(lang) {
                Some(lang) => library.insert(MediaFile::new(lang, name, path, bytes.to_vec())),
                None => library.strays.push(path),
            }
        }
        library
    }

    /// The files of a folder laid out as `media/`: `<lang>/<file>`. A folder that does not exist
    /// holds nothing.
    pub fn read(dir: &Path) -> anyhow::Result<Library> {
        let mut library = Library::default();
        let langs = match std::fs::read_dir(dir) {
            Ok(langs) => langs,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(library),
            Err(e) => anyhow::bail!("cannot read {}: {e}", dir.display()),
        };
        for entry in langs {
            let entry = entry?;
            if !entry.path().is_dir() {
                continue;
            }
            let code = entry.file_name().to_string_lossy().into_owned();
            for file in std::fs::read_dir(entry.path())? {
                let path = file?.path();
                let name = path
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                if !path.is_file() || name.starts_with('.') || name.ends_with(".md") {
                    continue;
                }
                match Lang::from_code(&code) {
                    Some(lang) => {
                        let bytes = std::fs::read(&path)
                            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
                        library.insert(MediaFile::new(lang, &name, path, bytes));
                    }
                    None => library.strays.push(path),
                }
            }
        }
        Ok(library)
    }

    fn insert(&mut self, file: MediaFile) {
        self.files
            .entry(file.lang)
            .or_default()
            .insert(file.name.clone(), file);
    }

    /// The file `name` of language `lang` exactly (see [`fallback`]).
    pub fn get(&self, lang: Lang, name: &str) -> Option<&MediaFile> {
        self.files.get(&lang)?.get(name)
    }

    /// A file by its hash (what an outbox entry names).
    pub fn by_sha256(&self, sha256: &str) -> Option<&MediaFile> {
        self.files().find(|f| f.sha256 == sha256)
    }

    pub fn files(&self) -> impl Iterator<Item = &MediaFile> {
        self.files.values().flat_map(BTreeMap::values)
    }
}

/// What a file is, from its first bytes, held against what its name promises and Telegram's
/// limits. `Err` is a sentence saying what is wrong.
pub fn inspect(name: &str, bytes: &[u8]) -> Result<Format, String> {
    let Some(promised) = Format::of_name(name) else {
        return Err(
            "is neither a picture (.png, .jpg) nor a voice note (.ogg with Opus)".to_owned(),
        );
    };
    let actual = sniff(bytes);
    if actual != Some(promised) {
        return Err(match actual {
            Some(actual) => format!(
                "is named as {} but its content is {}",
                describe(promised),
                describe(actual)
            ),
            None => format!(
                "is named as {} but is not one (damaged, or another kind of file)",
                describe(promised)
            ),
        });
    }
    match promised.kind() {
        MediaKind::Picture => {
            if bytes.len() > MAX_PICTURE_BYTES {
                return Err(format!(
                    "is {} bytes; Telegram takes pictures of at most {MAX_PICTURE_BYTES}",
                    bytes.len()
                ));
            }
            let Some((w, h)) = picture_size(promised, bytes) else {
                return Err("is a picture whose size cannot be read (damaged?)".to_owned());
            };
            if w == 0 || h == 0 || w + h > MAX_PICTURE_SIDES {
                return Err(format!(
                    "is {w}×{h} pixels; Telegram takes width and height of at most \
                     {MAX_PICTURE_SIDES} together"
                ));
            }
            if w.max(h) / w.min(h) >= MAX_PICTURE_RATIO {
                return Err(format!(
                    "is {w}×{h} pixels; Telegram takes a ratio of at most {MAX_PICTURE_RATIO} to 1"
                ));
            }
        }
        MediaKind::Voice => {
            if bytes.len() > MAX_VOICE_BYTES {
                return Err(format!(
                    "is {} bytes; Telegram takes voice notes of at most {MAX_VOICE_BYTES}",
                    bytes.len()
                ));
            }
        }
    }
    Ok(promised)
}

/// A warning for a file that is fine but heavy for a weak signal.
pub fn heavy(format: Format, bytes: usize) -> Option<String> {
    let limit = match format.kind() {
        MediaKind::Picture => HEAVY_PICTURE_BYTES,
        MediaKind::Voice => HEAVY_VOICE_BYTES,
    };
    (bytes > limit).then(|| {
        format!(
            "is {} KB: heavy on a weak signal and a prepaid SIM (keep it under {} KB)",
            bytes / 1024,
            limit / 1024
        )
    })
}

fn describe(format: Format) -> &'static str {
    match format {
        Format::Png => "a PNG picture",
        Format::Jpeg => "a JPEG picture",
        Format::OggOpus => "an OGG/Opus voice note",
    }
}

/// The format the first bytes show: PNG's signature, JPEG's start of image, or an OGG page
/// whose first packet is Opus's identification header.
pub fn sniff(bytes: &[u8]) -> Option<Format> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(Format::Png)
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(Format::Jpeg)
    } else if bytes.starts_with(b"OggS") && ogg_first_packet(bytes)?.starts_with(b"OpusHead") {
        Some(Format::OggOpus)
    } else {
        None
    }
}

/// The first packet of an OGG stream's first page: after the 27-byte header and the segment
/// table.
fn ogg_first_packet(bytes: &[u8]) -> Option<&[u8]> {
    let segments = usize::from(*bytes.get(26)?);
    bytes.get(27 + segments..)
}

/// Width and height of a PNG (its IHDR) or a JPEG (its first start-of-frame marker).
fn picture_size(format: Format, bytes: &[u8]) -> Option<(u32, u32)> {
    let be32 = |at: usize| -> Option<u32> {
        Some(u32::from_be_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
    };
    let be16 = |at: usize| -> Option<u32> {
        Some(u32::from(u16::from_be_bytes(
            bytes.get(at..at + 2)?.try_into().ok()?,
        )))
    };
    match format {
        Format::Png => (bytes.get(12..16)? == b"IHDR").then_some((be32(16)?, be32(20)?)),
        Format::Jpeg => {
            let mut at = 2;
            loop {
                if *bytes.get(at)? != 0xFF {
                    return None;
                }
                let marker = *bytes.get(at + 1)?;
                let length = usize::try_from(be16(at + 2)?).ok()?;
                // SOF0 to SOF15, but DHT (C4), JPG (C8) and DAC (CC).
                if (0xC0..=0xCF).contains(&marker) && ![0xC4, 0xC8, 0xCC].contains(&marker) {
                    return Some((be16(at + 7)?, be16(at + 5)?));
                }
                at += 2 + length;
            }
        }
        Format::OggOpus => None,
    }
}

/// The smallest files of each format, for tests here and in the adapters': their structure only
/// (no checksums), enough for [`inspect`] and a fake Bot API. Nothing anyone would ship.
pub mod samples {
    /// A 1×1 PNG, `seed` in its pixel so that two samples differ.
    pub fn png(seed: u8) -> Vec<u8> {
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        chunk(&mut png, b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 0, 0, 0, 0]);
        chunk(
            &mut png,
            b"IDAT",
            &[
                0x78, 0x01, 0x01, 0x02, 0x00, 0xFD, 0xFF, 0x00, seed, 0x00, 0x00, 0x00, 0x00,
            ],
        );
        chunk(&mut png, b"IEND", &[]);
        png
    }

    /// An OGG page whose packet is an Opus identification header, `seed` in its serial number.
    pub fn ogg_opus(seed: u8) -> Vec<u8> {
        let head = b"OpusHead\x01\x01\x38\x01\x80\xbb\x00\x00\x00\x00\x00";
        let mut ogg = b"OggS\x00\x02".to_vec();
        ogg.extend_from_slice(&[0; 8]);
        ogg.extend_from_slice(&[seed, 0, 0, 0]);
        ogg.extend_from_slice(&[0; 8]);
        ogg.push(1);
        ogg.push(u8::try_from(head.len()).unwrap_or(0));
        ogg.extend_from_slice(head);
        ogg
    }

    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend_from_slice(&u32::try_from(data.len()).unwrap_or(0).to_be_bytes());
        out.extend_from_slice(kind);
        out.extend_from_slice(data);
        // The CRC is not checked by anything here; Telegram checks the picture itself.
        out.extend_from_slice(&[0; 4]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_told_by_their_bytes_not_their_names() {
        assert_eq!(inspect("a.png", &samples::png(1)), Ok(Format::Png));
        assert_eq!(inspect("a.ogg", &samples::ogg_opus(1)), Ok(Format::OggOpus));
        let renamed = inspect("a.png", &samples::ogg_opus(1)).unwrap_err();
        assert!(renamed.contains("OGG/Opus"), "{renamed}");
        let text = inspect("a.ogg", b"not a recording").unwrap_err();
        assert!(text.contains("is not one"), "{text}");
        assert!(inspect("a.mp4", &samples::png(1)).is_err());
        // An OGG page that holds Vorbis is no voice note Telegram plays.
        let mut vorbis = samples::ogg_opus(1);
        let at = vorbis.len() - 19;
        vorbis[at..at + 8].copy_from_slice(b"\x01vorbis\x00");
        assert!(inspect("a.ogg", &vorbis).is_err());
    }

    #[test]
    fn picture_sizes_are_read_and_held_to_telegrams_limits() {
        assert_eq!(picture_size(Format::Png, &samples::png(0)), Some((1, 1)));
        let mut wide = samples::png(0);
        wide[16..20].copy_from_slice(&5000u32.to_be_bytes());
        wide[20..24].copy_from_slice(&100u32.to_be_bytes());
        assert!(inspect("w.png", &wide).unwrap_err().contains("ratio"));
        // A JPEG: SOI, an APP0 segment, then SOF0 with height 480 and width 640.
        let jpeg = [
            0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0xFF, 0xC0, 0x00, 0x11, 0x08, 0x01,
            0xE0, 0x02, 0x80,
        ];
        assert_eq!(picture_size(Format::Jpeg, &jpeg), Some((640, 480)));
        assert_eq!(inspect("p.jpg", &jpeg), Ok(Format::Jpeg));
    }

    #[test]
    fn a_language_without_its_own_file_gets_the_vietnamese_one() {
        let mut library = Library::default();
        library.insert(MediaFile::new(
            Lang::Vi,
            "a.png",
            "vi/a.png".into(),
            samples::png(1),
        ));
        library.insert(MediaFile::new(
            Lang::Hmn,
            "b.png",
            "hmn/b.png".into(),
            samples::png(2),
        ));
        let find = |lang, name| fallback(lang).find_map(|l| library.get(l, name));
        assert_eq!(find(Lang::Hmn, "a.png").map(|f| f.lang), Some(Lang::Vi));
        assert_eq!(find(Lang::Hmn, "b.png").map(|f| f.lang), Some(Lang::Hmn));
        assert!(find(Lang::Vi, "b.png").is_none());
        assert_eq!(fallback(Lang::Vi).count(), 1);
        let sha = find(Lang::Vi, "a.png").map(|f| f.sha256.clone());
        assert_eq!(sha.as_deref().map(str::len), Some(64));
        assert!(library.by_sha256(&sha.unwrap_or_default()).is_some());
    }
}
