//! The report as a Word document an official can print, sign and stamp: a commune People's
//! Committee report in the form Decree 30/2020/NĐ-CP on document work sets for administrative
//! documents (Appendix I), as `docs/reports.md` cites it:
//!
//! - A4 paper, portrait; margins top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm (here
//!   20, 20, 30 and 15 mm);
//! - Times New Roman, black;
//! - the national title in capitals, 12–13 pt (here 12), upright, bold; the motto 13–14 pt,
//!   upright, bold, initials capitalised, with a solid line under it as long as it;
//! - the issuing body in capitals, 12–13 pt (here 12), bold, with a line under it a third to a half as
//!   long; the number and symbol (`Số: …/BC-UBND`), 13 pt; place and date, 13–14 pt, italic;
//! - the kind of document (BÁO CÁO) in capitals and its summary, 13–14 pt, bold, centred, a line
//!   under the summary;
//! - the body, 13–14 pt, justified, the first line of a paragraph indented 1–1.27 cm, at least
//!   6 pt between paragraphs;
//! - the signer's authority (TM. ỦY BAN NHÂN DÂN) and title (CHỦ TỊCH) in capitals, 13–14 pt,
//!   bold; "Nơi nhận:" 12 pt, italic, bold; the recipients 11 pt.
//!
//! The number, the date, the recipients and the signer's name are left for the clerk, as on a
//! draft; the figures are in sentences, then in tables, then the weekly chart.

use super::render::{self, Section, Value};
use super::{Report, chart};
use docx_rs::{
    AlignmentType, BreakType, Docx, LineSpacing, PageMargin, Paragraph, Pic, Run, RunFonts,
    SpecialIndentType, Table, TableCell, TableRow, WidthType,
};

/// Who issues the report and signs it: from configuration or flags.
#[derive(Debug, Clone)]
pub struct Issuer {
    /// "ỦY BAN NHÂN DÂN XÃ SƠN VĨ".
    pub body: String,
    /// The place in the date line: "Sơn Vĩ".
    pub place: String,
    /// The signer's authority and title: "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH".
    pub authority: String,
    pub title: String,
}

impl Issuer {
    /// `REPORT_ISSUER`, `REPORT_PLACE`, `REPORT_SIGNER` (the signer's title), each defaulting
    /// to [`Issuer::commune`] of `commune`.
    pub fn from_env(commune: Option<&str>) -> Issuer {
        let var = |name: &str| std::env::var(name).ok();
        Issuer::given(
            commune,
            var("REPORT_ISSUER"),
            var("REPORT_PLACE"),
            var("REPORT_SIGNER"),
        )
    }

    /// The issuing body, place and signer's title given (flags, configuration), each
    /// defaulting to [`Issuer::commune`] of `commune`; the body and the title in capitals.
    pub fn given(
        commune: Option<&str>,
        body: Option<String>,
        place: Option<String>,
        title: Option<String>,
    ) -> Issuer {
        let given = |v: Option<String>| v.map(|v| v.trim().to_string()).filter(|v| !v.is_empty());
        let default = Issuer::commune(commune);
        Issuer {
            body: given(body).map_or(default.body, |v| v.to_uppercase()),
            place: given(place).unwrap_or(default.place),
            authority: default.authority,
            title: given(title).map_or(default.title, |v| v.to_uppercase()),
        }
    }

    /// The commune's People's Committee, signed on its behalf by the chairperson. Without a
    /// commune name, dots for the clerk.
    pub fn commune(name: Option<&str>) -> Issuer {
        let name = name.unwrap_or("…");
        Issuer {
            body: format!("ỦY BAN NHÂN DÂN XÃ {}", name.to_uppercase()),
            place: name.to_string(),
            authority: "TM. ỦY BAN NHÂN DÂN".to_string(),
            title: "CHỦ TỊCH".to_string(),
        }
    }
}

/// Half-points, as Word counts font sizes.
const fn pt(points: usize) -> usize {
    points * 2
}

/// Twentieths of a point, as Word counts lengths: from millimetres.
const fn mm(millimetres: i32) -> i32 {
    millimetres * 1440 * 10 / 254
}

pub const FONT: &str = "Times New Roman";
/// A4 in twentieths of a point.
pub const A4: (u32, u32) = (11906, 16838);
/// Top, bottom, left and right margins (mm).
pub const MARGINS_MM: (i32, i32, i32, i32) = (20, 20, 30, 15);
/// The body's size (pt).
pub const BODY_PT: usize = 14;
/// A paragraph's first line: 1.27 cm, the most Appendix I allows.
const FIRST_LINE_INDENT: i32 = 720;

fn run(text: &str, size: usize) -> Run {
    Run::new().add_text(text).size(pt(size))
}

fn centred(runs: Vec<Run>) -> Paragraph {
    runs.into_iter()
        .fold(Paragraph::new(), Paragraph::add_run)
        .align(AlignmentType::Center)
        .line_spacing(LineSpacing::new().before(0).after(0))
}

/// A body paragraph: justified, its first line indented 1.27 cm, 6 pt after.
fn body(text: &str) -> Paragraph {
    indented(
        run(text, BODY_PT),
        LineSpacing::new().before(0).after(120).line(312),
    )
}

/// A section's heading ("I. KẾT QUẢ THỰC HIỆN"), placed as a body paragraph is.
fn heading(text: &str) -> Paragraph {
    indented(
        run(text, BODY_PT).bold(),
        LineSpacing::new().before(120).after(120),
    )
}

/// `run` justified, its first line indented as Appendix I has it.
fn indented(run: Run, spacing: LineSpacing) -> Paragraph {
    Paragraph::new()
        .add_run(run)
        .align(AlignmentType::Both)
        .indent(
            None,
            Some(SpecialIndentType::FirstLine(FIRST_LINE_INDENT)),
            None,
            None,
        )
        .line_spacing(spacing)
}

/// A solid line of about `chars` characters' width, centred: the rule under the motto, the
/// issuing body and the summary.
fn rule(chars: usize) -> Paragraph {
    centred(vec![run(&"─".repeat(chars), 8)])
}

fn cell(paragraphs: Vec<Paragraph>, width: usize) -> TableCell {
    paragraphs
        .into_iter()
        .fold(TableCell::new(), TableCell::add_paragraph)
        .width(width, WidthType::Dxa)
}

/// The heading of the page: issuing body and number on the left, the national title, motto,
/// place and date on the right.
fn top(issuer: &Issuer) -> Table {
    let left = cell(
        vec![
            centred(vec![run(&issuer.body, 12).bold()]),
            rule(12),
            centred(vec![run("Số:       /BC-UBND", 13)]),
        ],
        3500,
    );
    let right = cell(
        vec![
            centred(vec![run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 12).bold()]),
            centred(vec![run("Độc lập - Tự do - Hạnh phúc", 14).bold()]),
            rule(27),
            centred(vec![
                run(
                    &format!("{}, ngày     tháng     năm 20   ", issuer.place),
                    14,
                )
                .italic(),
            ]),
        ],
        6100,
    );
    Table::without_borders(vec![TableRow::new(vec![left, right])])
        .set_grid(vec![3500, 6100])
        .width(9600, WidthType::Dxa)
}

/// A table of the report, 12 pt, with borders, after its title.
fn table(doc: Docx, section: &Section) -> Docx {
    let columns = section.headers.len().max(1);
    let width = 9600 / columns;
    let header = TableRow::new(
        section
            .headers
            .iter()
            .map(|h| cell(vec![centred(vec![run(h, 12).bold()])], width))
            .collect(),
    );
    let rows = section.rows.iter().map(|r| {
        TableRow::new(
            r.iter()
                .map(|v| {
                    let text = render::plain(v);
                    let p = Paragraph::new().add_run(run(&text, 12));
                    let p = if matches!(v, Value::Text(_)) {
                        p
                    } else {
                        p.align(AlignmentType::Right)
                    };
                    cell(vec![p], width)
                })
                .collect(),
        )
    });
    let rows: Vec<TableRow> = std::iter::once(header).chain(rows).collect();
    doc.add_paragraph(
        Paragraph::new()
            .add_run(run(&section.title, 13).italic())
            .line_spacing(LineSpacing::new().before(120).after(60)),
    )
    .add_table(
        Table::new(rows)
            .set_grid(vec![width; columns])
            .width(9600, WidthType::Dxa),
    )
}

/// The figures in the sentences an official would write.
fn sentences(report: &Report) -> Vec<String> {
    let n = render::thousands;
    let o = &report.outcomes;
    let period = lower_first(&render::period_text(report));
    let in_person = report
        .by_channel
        .iter()
        .find(|b| b.key == "in_person")
        .map_or(0, |b| b.sessions);
    let mut said = vec![
        format!(
            "Trong {period}, Ủy ban nhân dân xã đã hỗ trợ {} lượt công dân ({} người) tạo tài \
             khoản định danh điện tử (VNeID) và đăng nhập Cổng Dịch vụ công quốc gia, trong đó \
             {} lượt được hỗ trợ trực tiếp tại Bộ phận một cửa.",
            n(report.sessions),
            n(report.citizens),
            n(in_person)
        ),
        format!(
            "Kết quả: {} lượt có tài khoản VNeID, gồm {} lượt đã đăng nhập Cổng Dịch vụ công, \
             {} lượt có tài khoản mức 2 và {} lượt có tài khoản mức 1; {} lượt đã được hướng dẫn \
             đến Công an xã, nhà mạng hoặc Bộ phận một cửa để làm tiếp; {} lượt chưa tạo được \
             tài khoản.",
            n(report.accounts_created),
            n(o.portal_login),
            n(o.vneid_level2),
            n(o.vneid_level1),
            n(o.referred),
            n(o.not_created)
        ),
        format!(
            "Có {} lượt công dân đề nghị cán bộ xã hỗ trợ; cán bộ đã nhận {} trường hợp và đã \
             giải quyết xong {} trường hợp.",
            n(report.asked_staff),
            n(report.handoffs.taken),
            n(report.handoffs.closed)
        ),
    ];
    if let Some(minutes) = report.time_to_account.median_minutes {
        said.push(format!(
            "Thời gian trung vị từ khi bắt đầu đến khi có tài khoản là {}.",
            render::duration_vi(minutes)
        ));
    }
    said
}

/// "Năm 2026" as it reads inside a sentence: "năm 2026".
fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_lowercase().chain(chars).collect()
    })
}

/// The document's bytes.
pub fn document(report: &Report, issuer: &Issuer) -> anyhow::Result<Vec<u8>> {
    let (top_mm, bottom_mm, left_mm, right_mm) = MARGINS_MM;
    let mut doc = Docx::new()
        .page_size(A4.0, A4.1)
        .page_margin(
            PageMargin::new()
                .top(mm(top_mm))
                .bottom(mm(bottom_mm))
                .left(mm(left_mm))
                .right(mm(right_mm)),
        )
        .default_fonts(
            RunFonts::new()
                .ascii(FONT)
                .hi_ansi(FONT)
                .cs(FONT)
                .east_asia(FONT),
        )
        .default_size(pt(BODY_PT))
        .add_table(top(issuer))
        .add_paragraph(centred(vec![run("", BODY_PT)]))
        .add_paragraph(centred(vec![run("BÁO CÁO", 14).bold()]))
        .add_paragraph(centred(vec![
            run(
                &format!(
                    "Kết quả hỗ trợ người dân tạo tài khoản định danh điện tử và đăng nhập Cổng \
                     Dịch vụ công quốc gia {}",
                    lower_first(&render::period_text(report))
                ),
                14,
            )
            .bold(),
        ]))
        .add_paragraph(rule(14));
    if report.scope.synthetic {
        doc = doc.add_paragraph(centred(vec![
            run(
                "DỮ LIỆU MẪU: các số liệu trong báo cáo này do lệnh demo-data tạo ra để thử \
                 nghiệm, KHÔNG phải số liệu thật. Không được ký, ban hành.",
                14,
            )
            .bold()
            .color("C00000"),
        ]));
    }
    doc = doc.add_paragraph(heading("I. KẾT QUẢ THỰC HIỆN"));
    for line in render::heading(report)
        .iter()
        .filter(|l| !l.starts_with('⚠'))
        .chain(sentences(report).iter())
    {
        doc = doc.add_paragraph(body(line));
    }
    doc = doc.add_paragraph(heading("II. SỐ LIỆU CHI TIẾT"));
    for section in render::sections(report) {
        doc = table(doc, &section);
    }
    let png = chart::weekly_png(report)?;
    let (w, h) = (chart::WIDTH, chart::HEIGHT);
    // 16 cm wide, in EMU (360,000 a centimetre).
    let width_emu: u32 = 16 * 360_000;
    let height_emu = u32::try_from(u64::from(width_emu) * u64::from(h) / u64::from(w))?;
    doc = doc
        .add_paragraph(
            Paragraph::new()
                .add_run(run("Biểu đồ: số phiên bắt đầu mỗi tuần, theo kênh", 13).italic())
                .line_spacing(LineSpacing::new().before(120).after(60)),
        )
        .add_paragraph(
            Paragraph::new()
                .add_run(
                    Run::new()
                        .add_image(Pic::new_with_dimensions(png, w, h).size(width_emu, height_emu)),
                )
                .align(AlignmentType::Center),
        )
        .add_paragraph(heading("III. ĐỀ XUẤT, KIẾN NGHỊ"))
        .add_paragraph(body("…"))
        .add_paragraph(Paragraph::new().add_run(Run::new().add_break(BreakType::TextWrapping)))
        .add_table(signature(issuer));
    let mut out = std::io::Cursor::new(Vec::new());
    doc.build().pack(&mut out)?;
    Ok(out.into_inner())
}

/// "Nơi nhận" on the left, the signer on the right.
fn signature(issuer: &Issuer) -> Table {
    let recipient = |text: &str| Paragraph::new().add_run(run(text, 11));
    let left = cell(
        vec![
            Paragraph::new().add_run(run("Nơi nhận:", 12).bold().italic()),
            recipient("- UBND tỉnh (Sở Nội vụ);"),
            recipient("- Thường trực Đảng ủy, HĐND xã;"),
            recipient("- Lưu: VT."),
        ],
        4300,
    );
    let right = cell(
        vec![
            centred(vec![run(&issuer.authority, 14).bold()]),
            centred(vec![run(&issuer.title, 14).bold()]),
            centred(vec![run("", 14)]),
            centred(vec![run("", 14)]),
            centred(vec![run("", 14)]),
            centred(vec![run("", 14)]),
        ],
        5300,
    );
    Table::without_borders(vec![TableRow::new(vec![left, right])])
        .set_grid(vec![4300, 5300])
        .width(9600, WidthType::Dxa)
}
