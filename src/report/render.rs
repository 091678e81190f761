//! A report as a terminal table, CSV (UTF-8 with a byte-order mark, so spreadsheets keep the
//! Vietnamese diacritics), Markdown, JSON, and the short summary `/report` sends in Telegram.
//! Every format but JSON is in Vietnamese: officials read it.

use super::labels;
use super::period::Date;
use super::{Breakdown, Report};
use dvc_onboard_core::domain::{Channel, SessionOutcome};
use std::fmt::Write as _;

/// The byte-order mark that tells spreadsheet programs the CSV is UTF-8.
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

pub const TITLE: &str =
    "Báo cáo hỗ trợ công dân tạo tài khoản VNeID và đăng nhập Cổng Dịch vụ công quốc gia";

/// One value of a table.
#[derive(Debug, Clone)]
pub enum Value {
    Text(String),
    Count(i64),
    /// A share of a total, in percent.
    Percent(Option<f64>),
    /// A duration in minutes.
    Minutes(Option<f64>),
}

/// One table of a report: a title, the column headers and the rows.
#[derive(Debug, Clone)]
pub struct Section {
    pub title: String,
    pub headers: Vec<String>,
    pub rows: Vec<Vec<Value>>,
}

fn text(s: impl Into<String>) -> Value {
    Value::Text(s.into())
}

fn percent(part: i64, whole: i64) -> Value {
    Value::Percent((whole > 0).then(|| part as f64 * 100.0 / whole as f64))
}

/// "6 tháng cuối năm 2026 (từ 01/07/2026 đến 31/12/2026)"; a range of days is its own name.
pub fn period_text(report: &Report) -> String {
    let p = &report.period;
    if p.code.contains("..") {
        p.label.clone()
    } else {
        format!("{} (từ {} đến {})", p.label, p.from.vi(), p.to.vi())
    }
}

/// The lines above the tables: period, when, what is counted, and warnings.
pub fn heading(report: &Report) -> Vec<String> {
    let mut lines = vec![
        format!(
            "Kỳ báo cáo: {}; ngày theo giờ Việt Nam (UTC+7)",
            period_text(report)
        ),
        format!("Số liệu tính đến: {}", as_of_vi(report)),
        match (&report.scope.commune, &report.scope.commune_name) {
            (Some(code), Some(name)) => format!("Phạm vi: xã {name} (mã {code})"),
            (Some(code), None) => {
                format!("Phạm vi: xã có mã {code} (không có trong danh sách xã hiện tại)")
            }
            _ => "Phạm vi: tất cả các xã".to_string(),
        },
    ];
    let s = &report.scope;
    if s.synthetic {
        lines.push(
            "⚠ DỮ LIỆU MẪU: các số liệu dưới đây do lệnh demo-data tạo ra để thử nghiệm, \
             KHÔNG phải số liệu thật."
                .to_string(),
        );
    }
    if s.synthetic_left_out > 0 {
        lines.push(format!(
            "Không tính {} phiên dữ liệu mẫu (demo-data).",
            thousands(s.synthetic_left_out)
        ));
    }
    if s.practice_included {
        lines.push("Có tính các phiên luyện tập trên máy tính (lệnh chat).".to_string());
    } else if s.practice_left_out > 0 {
        lines.push(format!(
            "Không tính {} phiên luyện tập trên máy tính (lệnh chat; thêm --include-practice để tính).",
            thousands(s.practice_left_out)
        ));
    }
    if report.scope.database_empty {
        lines.push("Cơ sở dữ liệu chưa có phiên hỗ trợ nào.".to_string());
    } else if report.is_empty() {
        lines.push("Không có phiên hỗ trợ nào trong kỳ này.".to_string());
    }
    lines
}

fn as_of_vi(report: &Report) -> String {
    // `as_of` is `YYYY-MM-DDTHH:MM+07:00`.
    let (date, time) = report.as_of.split_once('T').unwrap_or((&report.as_of, ""));
    let date = Date::parse(date).map_or(date.to_string(), Date::vi);
    format!("{} {date}", time.trim_end_matches("+07:00"))
}

/// How the figures are counted, in one line each (the README says the same).
pub fn rules() -> Vec<String> {
    vec![
        "Một phiên là một lần công dân làm theo hướng dẫn, từ lúc bắt đầu đến khi có kết quả; \
         phiên được tính vào kỳ có ngày bắt đầu, với kết quả được biết đến lúc lập báo cáo."
            .to_string(),
        format!(
            "Phiên chưa có kết quả mà không có hoạt động nào trong {} ngày trước lúc lập báo cáo \
             được tính là bỏ dở; còn hoạt động thì là đang thực hiện.",
            super::QUIET_DAYS
        ),
        "Số công dân đếm mỗi người một lần (theo bí danh); người đã xoá dữ liệu (/forget) được \
         đếm là một người cho mỗi lần xoá."
            .to_string(),
        "Có tài khoản: phiên kết thúc với tài khoản VNeID mức 1, mức 2 hoặc đã đăng nhập Cổng \
         Dịch vụ công; mỗi phiên chỉ tính mức cao nhất."
            .to_string(),
        "Dừng ở bước: số phiên bỏ dở mà bước cuối cùng công dân vào là bước đó.".to_string(),
    ]
}

/// The report's tables, in order.
pub fn sections(report: &Report) -> Vec<Section> {
    let mut sections = vec![overview(report), outcomes(report)];
    for (title, first, rows) in [
        ("Theo kênh hỗ trợ", "Kênh", &report.by_channel),
        ("Theo ngôn ngữ", "Ngôn ngữ", &report.by_language),
        ("Theo xã", "Xã", &report.by_commune),
        (
            "Theo lĩnh vực cần dùng tài khoản",
            "Lĩnh vực",
            &report.by_purpose,
        ),
        (
            "Theo nơi công dân biết đến trợ lý",
            "Nguồn",
            &report.by_source,
        ),
    ] {
        sections.push(breakdown(title, first, rows));
    }
    sections.extend([
        staff(report),
        follow_ups(report),
        media(report),
        funnel(report),
        weekly(report),
    ]);
    sections
}

/// Reminders to citizens who stopped while waiting, and how many went on after one.
fn follow_ups(report: &Report) -> Section {
    let f = &report.follow_ups;
    Section {
        title: "Nhắc lại khi công dân đang chờ".to_string(),
        headers: vec!["Chỉ tiêu".to_string(), "Giá trị".to_string()],
        rows: vec![
            vec![text("Số lần nhắc đã gửi"), Value::Count(f.sent)],
            vec![text("Số phiên được nhắc"), Value::Count(f.sessions)],
            vec![
                text("Số phiên làm tiếp sau khi được nhắc"),
                Value::Count(f.went_on),
            ],
            vec![
                text("Tỷ lệ làm tiếp sau khi được nhắc (%)"),
                percent(f.went_on, f.sessions),
            ],
        ],
    }
}

/// Voice notes and pictures per language (the sessions that chose text only are in the
/// overview).
fn media(report: &Report) -> Section {
    let m = &report.media;
    let rows: Vec<Vec<Value>> = m
        .coverage
        .iter()
        .map(|c| {
            vec![
                text(c.lang.own_name()),
                Value::Count(c.steps as i64),
                Value::Count(c.voice as i64),
                Value::Count(c.picture as i64),
            ]
        })
        .collect();
    Section {
        title: "Tiếng nói và hình ảnh theo bước".to_string(),
        headers: vec![
            "Ngôn ngữ".to_string(),
            "Số bước".to_string(),
            "Có giọng nói riêng".to_string(),
            "Có hình ảnh riêng".to_string(),
        ],
        rows,
    }
}

/// The headline figures.
fn overview(report: &Report) -> Section {
    Section {
        title: "Tổng quan".to_string(),
        headers: vec!["Chỉ tiêu".to_string(), "Giá trị".to_string()],
        rows: vec![
            vec![text("Số phiên hỗ trợ"), Value::Count(report.sessions)],
            vec![
                text("Số công dân được hỗ trợ (không trùng)"),
                Value::Count(report.citizens),
            ],
            vec![
                text("Số phiên có tài khoản VNeID (mức 1, mức 2 hoặc đã đăng nhập Cổng)"),
                Value::Count(report.accounts_created),
            ],
            vec![
                text("Số phiên công dân bấm \"Hỏi cán bộ\""),
                Value::Count(report.asked_staff),
            ],
            vec![
                text("Thời gian trung vị từ lúc bắt đầu đến khi có tài khoản (phút)"),
                Value::Minutes(report.time_to_account.median_minutes),
            ],
            vec![
                text("Số phiên chọn \"chỉ chữ\" (không tiếng nói, không hình, tiết kiệm dữ liệu)"),
                Value::Count(report.media.text_only_sessions),
            ],
        ],
    }
}

/// Sessions by outcome, with their share.
fn outcomes(report: &Report) -> Section {
    let o = &report.outcomes;
    Section {
        title: "Kết quả".to_string(),
        headers: vec![
            "Kết quả".to_string(),
            "Số phiên".to_string(),
            "Tỷ lệ (%)".to_string(),
        ],
        rows: SessionOutcome::ALL
            .iter()
            .map(|&outcome| {
                vec![
                    text(labels::outcome_name(outcome).to_string()),
                    Value::Count(o.get(outcome)),
                    percent(o.get(outcome), report.sessions),
                ]
            })
            .collect(),
    }
}

/// The cases handed to staff.
fn staff(report: &Report) -> Section {
    let h = &report.handoffs;
    Section {
        title: "Hỗ trợ của cán bộ".to_string(),
        headers: vec!["Chỉ tiêu".to_string(), "Giá trị".to_string()],
        rows: vec![
            vec![text("Số ca chuyển cho cán bộ"), Value::Count(h.opened)],
            vec![text("Số ca cán bộ đã nhận"), Value::Count(h.taken)],
            vec![text("Số ca đã đóng"), Value::Count(h.closed)],
            vec![text("Số ca cán bộ đã trả lời"), Value::Count(h.answered)],
            vec![
                text("Thời gian trung vị đến câu trả lời đầu tiên của cán bộ (phút)"),
                Value::Minutes(h.median_minutes_to_first_answer),
            ],
        ],
    }
}

/// The guide's steps: how many sessions entered each, and stopped there.
fn funnel(report: &Report) -> Section {
    Section {
        title: "Phễu các bước của hướng dẫn".to_string(),
        headers: vec![
            "Bước".to_string(),
            "Phần".to_string(),
            "Nội dung màn hình".to_string(),
            "Số phiên vào bước".to_string(),
            "Số phiên dừng ở bước".to_string(),
        ],
        rows: report
            .funnel
            .iter()
            .map(|f| {
                vec![
                    text(f.step.clone()),
                    text(f.section.clone()),
                    text(f.label.clone()),
                    Value::Count(f.entered),
                    Value::Count(f.left),
                ]
            })
            .collect(),
    }
}

/// Sessions by the week they started in, by channel.
fn weekly(report: &Report) -> Section {
    let other = report.weekly.iter().any(|w| w.other_channels > 0);
    let mut headers = vec![
        "Từ ngày".to_string(),
        "Đến ngày".to_string(),
        labels::channel_short(Channel::SelfGuided).to_string(),
        labels::channel_short(Channel::StaffRemote).to_string(),
        labels::channel_short(Channel::InPerson).to_string(),
    ];
    if other {
        headers.push("Kênh khác".to_string());
    }
    headers.push("Tổng số phiên".to_string());
    headers.push("Có tài khoản".to_string());
    Section {
        title: "Theo tuần (số phiên bắt đầu trong tuần)".to_string(),
        headers,
        rows: report
            .weekly
            .iter()
            .map(|w| {
                let mut row = vec![
                    text(w.from.vi()),
                    text(w.to.vi()),
                    Value::Count(w.self_guided),
                    Value::Count(w.staff_remote),
                    Value::Count(w.in_person),
                ];
                if other {
                    row.push(Value::Count(w.other_channels));
                }
                row.push(Value::Count(w.sessions));
                row.push(Value::Count(w.accounts_created));
                row
            })
            .collect(),
    }
}

fn breakdown(title: &str, first: &str, rows: &[Breakdown]) -> Section {
    let mut headers = vec![
        first.to_string(),
        "Số phiên".to_string(),
        "Có tài khoản".to_string(),
    ];
    headers.extend(
        SessionOutcome::ALL
            .iter()
            .map(|o| labels::outcome_short(*o).to_string()),
    );
    Section {
        title: title.to_string(),
        headers,
        rows: rows
            .iter()
            .map(|b| {
                let mut row = vec![
                    text(b.label.clone()),
                    Value::Count(b.sessions),
                    Value::Count(b.accounts_created),
                ];
                row.extend(
                    SessionOutcome::ALL
                        .iter()
                        .map(|o| Value::Count(b.outcomes.get(*o))),
                );
                row
            })
            .collect(),
    }
}

/// `1.234.567` (Vietnamese thousands separator).
pub fn thousands(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// `37,5` (Vietnamese decimal comma).
fn decimal(x: f64) -> String {
    format!("{x:.1}").replace('.', ",")
}

/// `45 phút`, `3 giờ 20 phút`, `2 ngày 4 giờ`.
pub fn duration_vi(minutes: f64) -> String {
    let m = minutes.round() as i64;
    if m < 60 {
        format!("{m} phút")
    } else if m < 24 * 60 {
        match m % 60 {
            0 => format!("{} giờ", m / 60),
            r => format!("{} giờ {r} phút", m / 60),
        }
    } else {
        let h = (m + 30) / 60;
        match h % 24 {
            0 => format!("{} ngày", h / 24),
            r => format!("{} ngày {r} giờ", h / 24),
        }
    }
}

/// A value for people (terminal, Markdown, Telegram).
fn human(v: &Value) -> String {
    match v {
        Value::Text(s) => s.clone(),
        Value::Count(n) => thousands(*n),
        Value::Percent(Some(p)) => decimal(*p),
        Value::Minutes(Some(m)) => duration_vi(*m),
        Value::Percent(None) | Value::Minutes(None) => "–".to_string(),
    }
}

/// A value for spreadsheets: plain numbers, minutes rounded, empty when there is none.
pub(super) fn plain(v: &Value) -> String {
    match v {
        Value::Text(s) => s.clone(),
        Value::Count(n) => n.to_string(),
        Value::Percent(Some(p)) => format!("{p:.1}"),
        Value::Minutes(Some(m)) => format!("{}", m.round() as i64),
        Value::Percent(None) | Value::Minutes(None) => String::new(),
    }
}

fn is_number(v: &Value) -> bool {
    !matches!(v, Value::Text(_))
}

fn width(s: &str) -> usize {
    s.chars().count()
}

/// For the terminal: aligned columns, numbers on the right.
pub fn table(report: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", TITLE.to_uppercase());
    for line in heading(report) {
        let _ = writeln!(out, "{line}");
    }
    for section in sections(report) {
        let _ = writeln!(out, "\n{}", section.title.to_uppercase());
        if section.rows.is_empty() {
            let _ = writeln!(out, "  (không có)");
            continue;
        }
        let cells: Vec<Vec<String>> = section
            .rows
            .iter()
            .map(|r| r.iter().map(human).collect())
            .collect();
        let mut widths: Vec<usize> = section.headers.iter().map(|h| width(h)).collect();
        for row in &cells {
            for (i, c) in row.iter().enumerate() {
                widths[i] = widths[i].max(width(c));
            }
        }
        let numeric: Vec<bool> = (0..widths.len())
            .map(|i| section.rows.iter().all(|r| is_number(&r[i])))
            .collect();
        let line = |items: &[String]| {
            let mut s = String::from(" ");
            for (i, item) in items.iter().enumerate() {
                let pad = " ".repeat(widths[i] - width(item));
                if numeric[i] {
                    let _ = write!(s, " {pad}{item}");
                } else {
                    let _ = write!(s, " {item}{pad}");
                }
                if i + 1 < items.len() {
                    s.push_str(" │");
                }
            }
            s.trim_end().to_string()
        };
        let _ = writeln!(out, "{}", line(&section.headers));
        let rule: Vec<String> = widths.iter().map(|w| "─".repeat(*w)).collect();
        let _ = writeln!(out, "{}", line(&rule).replace(" │ ", "─┼─"));
        for row in &cells {
            let _ = writeln!(out, "{}", line(row));
        }
    }
    let _ = writeln!(out, "\nCÁCH TÍNH");
    for r in rules() {
        let _ = writeln!(out, "- {r}");
    }
    out
}

/// For pasting into a document: headings, bullet lines and pipe tables.
pub fn markdown(report: &Report) -> String {
    let mut out = format!("# {TITLE}\n\n");
    for line in heading(report) {
        let _ = writeln!(out, "- {}", md_escape(&line));
    }
    for section in sections(report) {
        let _ = writeln!(out, "\n## {}\n", section.title);
        if section.rows.is_empty() {
            let _ = writeln!(out, "(không có)");
            continue;
        }
        let _ = writeln!(
            out,
            "| {} |",
            section
                .headers
                .iter()
                .map(|h| md_escape(h))
                .collect::<Vec<_>>()
                .join(" | ")
        );
        let align: Vec<&str> = (0..section.headers.len())
            .map(|i| {
                if section.rows.iter().all(|r| is_number(&r[i])) {
                    "---:"
                } else {
                    "---"
                }
            })
            .collect();
        let _ = writeln!(out, "| {} |", align.join(" | "));
        for row in &section.rows {
            let cells: Vec<String> = row.iter().map(|v| md_escape(&human(v))).collect();
            let _ = writeln!(out, "| {} |", cells.join(" | "));
        }
    }
    let _ = writeln!(out, "\n## Cách tính\n");
    for r in rules() {
        let _ = writeln!(out, "- {}", md_escape(&r));
    }
    out
}

fn md_escape(s: &str) -> String {
    s.replace('|', "\\|")
}

/// For spreadsheets: UTF-8 with a byte-order mark, comma-separated, one block per table with
/// its title and headers, numbers without separators, durations in whole minutes.
pub fn csv(report: &Report) -> anyhow::Result<Vec<u8>> {
    let mut out = UTF8_BOM.to_vec();
    {
        let mut w = csv::WriterBuilder::new()
            .flexible(true)
            .terminator(csv::Terminator::CRLF)
            .from_writer(&mut out);
        w.write_record([TITLE])?;
        for line in heading(report) {
            w.write_record([line])?;
        }
        for section in sections(report) {
            w.write_record([""])?;
            w.write_record([section.title.as_str()])?;
            w.write_record(&section.headers)?;
            for row in &section.rows {
                w.write_record(row.iter().map(plain))?;
            }
        }
        w.write_record([""])?;
        w.write_record(["Cách tính"])?;
        for r in rules() {
            w.write_record([r])?;
        }
        w.flush()?;
    }
    Ok(out)
}

/// For machines: the report with English keys.
pub fn json(report: &Report) -> anyhow::Result<String> {
    Ok(serde_json::to_string_pretty(report)?)
}

/// Telegram's limit for one message.
pub const TELEGRAM_TEXT_LIMIT: usize = 4096;

/// The short summary `/report` sends in the staff group: plain text in Vietnamese, at most
/// 4,096 characters.
pub fn summary(report: &Report) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "📊 Báo cáo hỗ trợ tạo tài khoản: {}",
        period_text(report)
    );
    let _ = writeln!(s, "Số liệu đến {}.", as_of_vi(report));
    if report.scope.synthetic {
        let _ = writeln!(s, "⚠ DỮ LIỆU MẪU (demo-data), không phải số liệu thật.");
    }
    if report.is_empty() {
        let _ = writeln!(
            s,
            "{}",
            if report.scope.database_empty {
                "Cơ sở dữ liệu chưa có phiên hỗ trợ nào."
            } else {
                "Không có phiên hỗ trợ nào trong kỳ này."
            }
        );
        return cut(s);
    }
    let o = &report.outcomes;
    let share = |n: i64| {
        if report.sessions > 0 {
            format!(
                " ({} %)",
                decimal(n as f64 * 100.0 / report.sessions as f64)
            )
        } else {
            String::new()
        }
    };
    let _ = writeln!(
        s,
        "\nPhiên hỗ trợ: {} · Công dân: {}",
        thousands(report.sessions),
        thousands(report.citizens)
    );
    let _ = writeln!(
        s,
        "Có tài khoản: {}{}",
        thousands(report.accounts_created),
        share(report.accounts_created)
    );
    for outcome in SessionOutcome::ACCOUNTS {
        let _ = writeln!(
            s,
            "  • {}: {}",
            labels::outcome_name(outcome),
            thousands(o.get(outcome))
        );
    }
    let _ = writeln!(
        s,
        "Chưa tạo được: {} · Chuyển cán bộ: {} · Bỏ dở: {}{} · Đang thực hiện: {}",
        thousands(o.not_created),
        thousands(o.handed_off),
        thousands(o.abandoned),
        share(o.abandoned),
        thousands(o.in_progress)
    );
    if let Some(m) = report.time_to_account.median_minutes {
        let _ = writeln!(
            s,
            "Thời gian trung vị đến khi có tài khoản: {}",
            duration_vi(m)
        );
    }
    let list = |rows: &[Breakdown], max: usize| {
        rows.iter()
            .filter(|b| b.sessions > 0)
            .take(max)
            .map(|b| format!("{} {}", b.label, thousands(b.sessions)))
            .collect::<Vec<_>>()
            .join(" · ")
    };
    let _ = writeln!(s, "\nTheo kênh: {}", list(&report.by_channel, 3));
    let _ = writeln!(s, "Theo ngôn ngữ: {}", list(&report.by_language, 3));
    let mut communes = report.by_commune.clone();
    communes.sort_by_key(|b| -b.sessions);
    let _ = writeln!(s, "Theo xã: {}", list(&communes, 8));
    let _ = writeln!(s, "Theo lĩnh vực: {}", list(&report.by_purpose, 6));
    let h = &report.handoffs;
    let _ = write!(
        s,
        "\nCán bộ: {} phiên bấm \"Hỏi cán bộ\"; {} ca chuyển cán bộ, {} đã nhận, {} đã đóng",
        thousands(report.asked_staff),
        thousands(h.opened),
        thousands(h.taken),
        thousands(h.closed)
    );
    match h.median_minutes_to_first_answer {
        Some(m) => {
            let _ = writeln!(s, "; trả lời đầu tiên sau {} (trung vị).", duration_vi(m));
        }
        None => s.push_str(".\n"),
    }
    let f = &report.follow_ups;
    if f.sent > 0 {
        let _ = writeln!(
            s,
            "Nhắc lại khi chờ: {} lần nhắc cho {} phiên; {} phiên làm tiếp sau khi được nhắc.",
            thousands(f.sent),
            thousands(f.sessions),
            thousands(f.went_on)
        );
    }
    if report.media.text_only_sessions > 0 {
        let _ = writeln!(
            s,
            "Chọn \"chỉ chữ\" (không tiếng, không hình): {} phiên.",
            thousands(report.media.text_only_sessions)
        );
    }
    let mut stuck: Vec<_> = report.funnel.iter().filter(|f| f.left > 0).collect();
    stuck.sort_by_key(|f| -f.left);
    if !stuck.is_empty() {
        let _ = writeln!(s, "\nDừng nhiều nhất ở bước:");
        for f in stuck.iter().take(5) {
            let _ = writeln!(s, "  • {} ({}): {}", f.label, f.step, thousands(f.left));
        }
    }
    let _ = writeln!(
        s,
        "\nKèm theo: báo cáo theo mẫu (Word) để in, ký; số liệu (Excel); biểu đồ theo tuần."
    );
    cut(s)
}

/// At most Telegram's 4,096 characters, cut at a line.
fn cut(s: String) -> String {
    if s.chars().count() <= TELEGRAM_TEXT_LIMIT {
        return s;
    }
    let mut out = String::new();
    for line in s.lines() {
        if out.chars().count() + line.chars().count() + 2 > TELEGRAM_TEXT_LIMIT {
            out.push('…');
            break;
        }
        out.push_str(line);
        out.push('\n');
    }
    out
}
