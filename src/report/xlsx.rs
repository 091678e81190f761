//! The report as an Excel workbook, for the district or province to merge: one sheet per
//! table, numbers as numbers, Vietnamese headers in a frozen row, widths that fit, the period
//! and scope (and the sample-data warning) on every sheet, the weekly chart on a sheet of its
//! own and how the figures are counted on the last.

use super::Report;
use super::render::{self, Section, Value};
use rust_xlsxwriter::{Color, Format, Image, Workbook, Worksheet, XlsxError};
use std::collections::HashSet;

/// Excel's limit on a sheet's name, in characters.
const SHEET_NAME_MAX: usize = 31;

struct Formats {
    title: Format,
    warning: Format,
    header: Format,
    count: Format,
    decimal: Format,
}

impl Formats {
    fn new() -> Formats {
        Formats {
            title: Format::new().set_bold().set_font_size(13),
            warning: Format::new().set_bold().set_font_color(Color::Red),
            header: Format::new()
                .set_bold()
                .set_text_wrap()
                .set_background_color(Color::RGB(0xDD_EB_F7)),
            count: Format::new().set_num_format("#,##0"),
            decimal: Format::new().set_num_format("#,##0.0"),
        }
    }
}

/// The workbook's bytes.
pub fn workbook(report: &Report) -> anyhow::Result<Vec<u8>> {
    let mut book = Workbook::new();
    let formats = Formats::new();
    let heading = render::heading(report);
    let mut names = HashSet::new();
    for section in render::sections(report) {
        let sheet = book.add_worksheet();
        sheet.set_name(sheet_name(&section.title, &mut names))?;
        table(sheet, &formats, &heading, &section)?;
    }
    let sheet = book.add_worksheet();
    sheet.set_name(sheet_name("Biểu đồ theo tuần", &mut names))?;
    let below = top(
        sheet,
        &formats,
        &heading,
        "Số phiên bắt đầu mỗi tuần, theo kênh",
    )?;
    let chart = Image::new_from_buffer(&super::chart::weekly_png(report)?)?;
    sheet.insert_image(below, 0, &chart)?;
    let sheet = book.add_worksheet();
    sheet.set_name(sheet_name("Cách tính", &mut names))?;
    let first = top(sheet, &formats, &heading, "Cách tính các số liệu")?;
    for (row, rule) in (first..).zip(render::rules()) {
        sheet.write_string(row, 0, rule)?;
    }
    sheet.set_column_width(0, 120)?;
    Ok(book.save_to_buffer()?)
}

/// The title, then the period, scope and warnings, one a row: the row below them.
fn top(
    sheet: &mut Worksheet,
    formats: &Formats,
    heading: &[String],
    title: &str,
) -> Result<u32, XlsxError> {
    sheet.write_string_with_format(0, 0, title, &formats.title)?;
    let mut row = 1;
    for line in heading {
        if line.starts_with('⚠') {
            sheet.write_string_with_format(row, 0, line, &formats.warning)?;
        } else {
            sheet.write_string(row, 0, line)?;
        }
        row += 1;
    }
    Ok(row + 1)
}

/// One table: its header row frozen under the title and heading, numbers as numbers.
fn table(
    sheet: &mut Worksheet,
    formats: &Formats,
    heading: &[String],
    section: &Section,
) -> Result<(), XlsxError> {
    let header_row = top(sheet, formats, heading, &section.title)?;
    for (col, header) in (0u16..).zip(&section.headers) {
        sheet.write_string_with_format(header_row, col, header, &formats.header)?;
    }
    for (row, values) in (header_row + 1..).zip(&section.rows) {
        for (col, value) in (0u16..).zip(values) {
            match value {
                Value::Text(text) => {
                    sheet.write_string(row, col, text)?;
                }
                Value::Count(n) => {
                    sheet.write_number_with_format(row, col, *n as f64, &formats.count)?;
                }
                Value::Percent(Some(x)) | Value::Minutes(Some(x)) => {
                    sheet.write_number_with_format(row, col, *x, &formats.decimal)?;
                }
                // No figure (nothing to take a share of): the cell stays empty.
                Value::Percent(None) | Value::Minutes(None) => {}
            }
        }
    }
    sheet.set_freeze_panes(header_row + 1, 0)?;
    // The heading lines are long: widths fit the table, the heading runs over empty cells.
    sheet.autofit();
    for (col, header) in (0u16..).zip(&section.headers) {
        let widest = section
            .rows
            .iter()
            .filter_map(|r| r.get(usize::from(col)))
            .map(|v| render::plain(v).chars().count())
            .chain([header.chars().count().min(24)])
            .max()
            .unwrap_or(8);
        sheet.set_column_width(col, (widest as f64 + 2.0).clamp(8.0, 60.0))?;
    }
    Ok(())
}

/// A sheet name from a table's title: what Excel allows (no `[]:*?/\`, 31 characters at most),
/// and unique in the workbook.
fn sheet_name(title: &str, used: &mut HashSet<String>) -> String {
    let clean: String = title
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { ' ' } else { c })
        .collect();
    let base: String = clean
        .split(" (")
        .next()
        .unwrap_or(&clean)
        .chars()
        .take(SHEET_NAME_MAX)
        .collect::<String>()
        .trim()
        .to_string();
    let mut name = base.clone();
    let mut n = 2;
    while !used.insert(name.to_lowercase()) {
        let suffix = format!(" {n}");
        let keep = SHEET_NAME_MAX - suffix.chars().count();
        name = format!("{}{suffix}", base.chars().take(keep).collect::<String>());
        n += 1;
    }
    name
}

#[cfg(test)]
mod tests {
    #[test]
    fn sheet_names_are_what_excel_takes_and_unique() {
        let mut used = std::collections::HashSet::new();
        let long = "Theo nơi công dân biết đến trợ lý (nguồn của đường dẫn): rất dài";
        let first = super::sheet_name(long, &mut used);
        assert_eq!(first, "Theo nơi công dân biết đến trợ");
        assert!(first.chars().count() <= 31);
        let second = super::sheet_name(long, &mut used);
        assert_ne!(first, second);
        assert!(second.chars().count() <= 31);
        assert_eq!(super::sheet_name("a/b:c", &mut used), "a b c");
    }
}
