//! `dvc-onboard poster`: a printable A4 poster for a commune's one-stop desk and its villages'
//! notice boards. A large QR code of the bot's start link ([`StartLink`]: the commune, and the
//! language when given, are preset, and the reports count where the citizen came from), the
//! bot's name, and three short lines in Vietnamese and in Hmong: what the bot does, how to open
//! it, and that it never asks for codes.
//!
//! Drawn once as a picture (A4 at 150 dots an inch); the PNG is that picture, the PDF is one A4
//! page holding it.

use crate::drawing::{FONT, Rgb, register_font};
use dvc_onboard_core::content::Content;
use dvc_onboard_core::guide::engine::messages;
use dvc_onboard_core::lang::Lang;
use dvc_onboard_core::start_link::StartLink;
use plotters::coord::Shift;
use plotters::prelude::*;
use qrcode::{Color as Module, EcLevel, QrCode};

/// A4 at 150 dots an inch.
pub const WIDTH: u32 = 1240;
pub const HEIGHT: u32 = 1754;
/// A4 in PDF points (1/72 inch).
const PAGE_POINTS: (f32, f32) = (595.0, 842.0);
const MARGIN: i32 = 80;
const INK: RGBColor = RGBColor(20, 20, 20);
const BLUE: RGBColor = RGBColor(0, 94, 160);

/// What a poster shows.
pub struct Poster<'a> {
    pub link: &'a StartLink,
    /// The bot's Telegram username, without `@`.
    pub bot: &'a str,
    pub content: &'a Content,
}

impl Poster<'_> {
    pub fn url(&self) -> String {
        self.link.url(self.bot)
    }

    /// The poster as a picture.
    pub fn draw(&self) -> anyhow::Result<Rgb> {
        register_font();
        let qr = QrCode::with_error_correction_level(self.url().as_bytes(), EcLevel::M)?;
        let mut rgb = Rgb::new(WIDTH, HEIGHT);
        {
            let root =
                BitMapBackend::with_buffer(&mut rgb.pixels, (WIDTH, HEIGHT)).into_drawing_area();
            self.draw_on(&root, &qr)
                .map_err(|e| anyhow::anyhow!("cannot draw the poster: {e}"))?;
            root.present()
                .map_err(|e| anyhow::anyhow!("cannot draw the poster: {e}"))?;
        }
        Ok(rgb)
    }

    pub fn png(&self) -> anyhow::Result<Vec<u8>> {
        self.draw()?.png()
    }

    /// One A4 page holding the picture, for printing at its size.
    pub fn pdf(&self) -> anyhow::Result<Vec<u8>> {
        use pdf_writer::{Content as Page, Filter, Finish, Name, Pdf, Rect, Ref};
        use std::io::Write as _;
        let picture = self.draw()?;
        let mut deflate =
            flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        deflate.write_all(&picture.pixels)?;
        let pixels = deflate.finish()?;

        let (catalog, pages, page, image, contents) = (
            Ref::new(1),
            Ref::new(2),
            Ref::new(3),
            Ref::new(4),
            Ref::new(5),
        );
        let (w, h) = PAGE_POINTS;
        let mut pdf = Pdf::new();
        pdf.catalog(catalog).pages(pages);
        pdf.pages(pages).kids([page]).count(1);
        let mut p = pdf.page(page);
        p.media_box(Rect::new(0.0, 0.0, w, h))
            .parent(pages)
            .contents(contents);
        p.resources().x_objects().pair(Name(b"Poster"), image);
        p.finish();
        let mut xobject = pdf.image_xobject(image, &pixels);
        xobject.filter(Filter::FlateDecode);
        xobject.width(picture.width as i32);
        xobject.height(picture.height as i32);
        xobject.color_space().device_rgb();
        xobject.bits_per_component(8);
        xobject.finish();
        let mut page_content = Page::new();
        page_content
            .save_state()
            .transform([w, 0.0, 0.0, h, 0.0, 0.0])
            .x_object(Name(b"Poster"))
            .restore_state();
        pdf.stream(contents, &page_content.finish());
        Ok(pdf.finish())
    }

    fn text(&self, lang: Lang, id: &str) -> String {
        self.content.locales.format(lang, id, None)
    }

    fn draw_on(&self, root: &DrawingArea<BitMapBackend<'_>, Shift>, qr: &QrCode) -> DrawResult {
        root.fill(&WHITE)?;
        let width = WIDTH as i32 - 2 * MARGIN;
        let mut y = 70;
        // The titles, Vietnamese first: the poster hangs at a Vietnamese desk.
        y = paragraph(
            root,
            &self.text(Lang::Vi, messages::POSTER_TITLE),
            y,
            52,
            BLUE,
            width,
        )?;
        y = paragraph(
            root,
            &self.text(Lang::Hmn, messages::POSTER_TITLE),
            y + 10,
            40,
            INK,
            width,
        )?;
        if let Some(commune) = self.content.guide.commune(&self.link.commune) {
            let place = format!("Xã {} · {}", commune.name, commune.province);
            y = paragraph(root, &place, y + 16, 34, INK, width)?;
        }

        // The QR code, as large as the page allows, with its quiet zone of 4 modules.
        let modules = qr.width() as i32;
        let size = 700;
        let module = size / (modules + 8);
        let side = module * (modules + 8);
        let left = (WIDTH as i32 - side) / 2;
        let top = y + 24;
        for (i, color) in qr.to_colors().iter().enumerate() {
            if *color == Module::Dark {
                let (col, row) = (i as i32 % modules, i as i32 / modules);
                let x0 = left + (col + 4) * module;
                let y0 = top + (row + 4) * module;
                root.draw(&Rectangle::new(
                    [(x0, y0), (x0 + module, y0 + module)],
                    BLACK.filled(),
                ))?;
            }
        }
        y = top + side + 8;
        y = centred(root, &format!("@{}", self.bot), y, 44, INK)?;
        y = centred(root, &format!("t.me/{}", self.bot), y + 4, 30, BLUE)?;

        for lang in [Lang::Vi, Lang::Hmn] {
            y += 24;
            for id in [
                messages::POSTER_WHAT,
                messages::POSTER_HOW,
                messages::POSTER_NEVER,
            ] {
                y = paragraph(
                    root,
                    &format!("• {}", self.text(lang, id)),
                    y + 6,
                    28,
                    INK,
                    width,
                )?;
            }
        }
        Ok(())
    }
}

type DrawError = DrawingAreaErrorKind<<BitMapBackend<'static> as DrawingBackend>::ErrorType>;
type DrawResult = Result<(), DrawError>;
type DrawnTo = Result<i32, DrawError>;

/// `text` wrapped to `width` at `y`, left-aligned at the margin: the `y` below it.
fn paragraph(
    root: &DrawingArea<BitMapBackend<'_>, Shift>,
    text: &str,
    mut y: i32,
    size: u32,
    color: RGBColor,
    width: i32,
) -> DrawnTo {
    let font = (FONT, size).into_font().color(&color);
    let mut line = String::new();
    for word in text.split_whitespace() {
        let longer = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        let (w, _) = root.estimate_text_size(&longer, &font)?;
        if w as i32 > width && !line.is_empty() {
            root.draw(&Text::new(line.clone(), (MARGIN, y), font.clone()))?;
            y += size as i32 * 5 / 4;
            line = word.to_string();
        } else {
            line = longer;
        }
    }
    if !line.is_empty() {
        root.draw(&Text::new(line, (MARGIN, y), font))?;
        y += size as i32 * 5 / 4;
    }
    Ok(y)
}

/// One line centred on the page at `y`: the `y` below it.
fn centred(
    root: &DrawingArea<BitMapBackend<'_>, Shift>,
    text: &str,
    y: i32,
    size: u32,
    color: RGBColor,
) -> DrawnTo {
    let font = (FONT, size).into_font().color(&color);
    let (w, _) = root.estimate_text_size(text, &font)?;
    root.draw(&Text::new(
        text.to_string(),
        ((WIDTH as i32 - w as i32) / 2, y),
        font,
    ))?;
    Ok(y + size as i32 * 5 / 4)
}
