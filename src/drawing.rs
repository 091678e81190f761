//! Pictures drawn in memory: the built-in font and PNG encoding, shared by the reports' chart
//! and the posters. The font (DejaVu Sans, which has every Vietnamese letter and the Hmong RPA
//! ones) is built into the binary: no font is looked up on the machine.

use plotters::style::FontStyle;
use std::sync::Once;

/// The name plotters knows the built-in font by.
pub const FONT: &str = "sans-serif";
static FONT_BYTES: &[u8] = include_bytes!("../assets/DejaVuSans.ttf");
static REGISTER: Once = Once::new();

/// Makes the built-in font the one [`FONT`] names; call before drawing text.
pub fn register_font() {
    REGISTER.call_once(|| {
        // The font is ours and known good; a failure would show as missing text, not a crash.
        let _ = plotters::style::register_font(FONT, FontStyle::Normal, FONT_BYTES);
    });
}

/// An RGB picture, 3 bytes a pixel, row by row.
pub struct Rgb {
    pub width: u32,
    pub height: u32,
    pub pixels: Vec<u8>,
}

impl Rgb {
    pub fn new(width: u32, height: u32) -> Rgb {
        Rgb {
            width,
            height,
            pixels: vec![0; width as usize * height as usize * 3],
        }
    }

    pub fn png(&self) -> anyhow::Result<Vec<u8>> {
        let mut png = Vec::new();
        let mut encoder = png::Encoder::new(&mut png, self.width, self.height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::Balanced);
        let mut writer = encoder.write_header()?;
        writer.write_image_data(&self.pixels)?;
        writer.finish()?;
        Ok(png)
    }
}
