//! What officials read: the Vietnamese names of the codes the store keeps.

use dvc_onboard_core::domain::{Channel, Purpose, SessionOutcome, Source};

/// Languages in report order: Hmong first, the language of most citizens.
pub const LANGUAGES: [&str; 3] = ["hmn", "vi", "en"];

/// The Vietnamese name of an outcome's code; an unknown code as it is.
pub fn outcome(code: &str) -> String {
    SessionOutcome::parse(code).map_or_else(|| code.to_string(), |o| outcome_name(o).to_string())
}

pub fn outcome_name(outcome: SessionOutcome) -> &'static str {
    match outcome {
        SessionOutcome::PortalLogin => "Đã đăng nhập Cổng Dịch vụ công",
        SessionOutcome::VneidLevel2 => "Có tài khoản VNeID mức 2",
        SessionOutcome::VneidLevel1 => "Có tài khoản VNeID mức 1",
        SessionOutcome::ChildApplied => "Đã gửi đăng ký tài khoản cho trẻ em",
        SessionOutcome::Referred => "Đã hướng dẫn đến Công an, nhà mạng hoặc bộ phận một cửa",
        SessionOutcome::NotCreated => "Chưa tạo được tài khoản",
        SessionOutcome::HandedOff => "Chuyển cán bộ, chưa có kết quả",
        SessionOutcome::Abandoned => "Bỏ dở",
        SessionOutcome::InProgress => "Đang thực hiện",
    }
}

/// Short names for tables' headers.
pub fn outcome_short(outcome: SessionOutcome) -> &'static str {
    match outcome {
        SessionOutcome::PortalLogin => "Đăng nhập Cổng",
        SessionOutcome::VneidLevel2 => "VNeID mức 2",
        SessionOutcome::VneidLevel1 => "VNeID mức 1",
        SessionOutcome::ChildApplied => "Đăng ký cho trẻ",
        SessionOutcome::Referred => "Đã hướng dẫn nơi làm",
        SessionOutcome::NotCreated => "Chưa tạo được",
        SessionOutcome::HandedOff => "Chuyển cán bộ",
        SessionOutcome::Abandoned => "Bỏ dở",
        SessionOutcome::InProgress => "Đang thực hiện",
    }
}

/// The Vietnamese name of a channel's code; an unknown code as it is.
pub fn channel(code: &str) -> String {
    Channel::parse(code).map_or_else(
        || code.to_string(),
        |c| {
            match c {
                Channel::SelfGuided => "Tự làm theo hướng dẫn của bot",
                Channel::StaffRemote => "Cán bộ hỗ trợ từ xa",
                Channel::InPerson => "Hỗ trợ trực tiếp tại Bộ phận Một cửa",
            }
            .to_string()
        },
    )
}

/// Short names for the chart's legend and the weekly table.
pub fn channel_short(channel: Channel) -> &'static str {
    match channel {
        Channel::SelfGuided => "Tự làm theo bot",
        Channel::StaffRemote => "Cán bộ hỗ trợ từ xa",
        Channel::InPerson => "Trực tiếp tại Một cửa",
    }
}

pub fn language(code: &str) -> String {
    match code {
        "vi" => "Tiếng Việt",
        "hmn" => "Tiếng Mông",
        "en" => "Tiếng Anh",
        other => return other.to_string(),
    }
    .to_string()
}

/// The Vietnamese name of a purpose's code ("" when not said); an unknown code as it is.
pub fn purpose(code: &str) -> String {
    if code.is_empty() {
        return "Chưa cho biết".to_string();
    }
    Purpose::parse(code).map_or_else(
        || code.to_string(),
        |p| {
            match p {
                Purpose::Justice => "Tư pháp – hộ tịch",
                Purpose::LabourSocial => "Lao động – Thương binh và Xã hội",
                Purpose::Land => "Đất đai",
                Purpose::HealthInsurance => "Bảo hiểm y tế",
                Purpose::Other => "Khác",
            }
            .to_string()
        },
    )
}

pub fn section(code: &str) -> String {
    match code {
        "start" => "Bắt đầu",
        "situation" => "Tình hình của công dân",
        "level1" => "Mức 1: tự đăng ký",
        "activate" => "Kích hoạt tài khoản",
        "level2" => "Mức 2: tại Công an xã",
        "login" => "Đăng nhập Cổng DVC",
        "trouble" => "Xử lý sự cố",
        "finish" => "Kết thúc",
        other => return other.to_string(),
    }
    .to_string()
}

/// The first line of a screen's text, without emoji, cut to `max` characters: enough for an
/// official to recognise the step.
pub fn first_line(text: &str, max: usize) -> String {
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("");
    let clean: String = line
        .chars()
        .filter(|c| {
            let c = *c as u32;
            // Emoji, pictographs, variation selectors and joiners.
            !((0x1F000..=0x1FAFF).contains(&c)
                || (0x2600..=0x27BF).contains(&c)
                || (0xFE00..=0xFE0F).contains(&c)
                || c == 0x200D)
        })
        .collect();
    let clean = clean.trim().trim_end_matches(':').trim();
    if clean.chars().count() <= max {
        clean.to_string()
    } else {
        let cut: String = clean.chars().take(max.saturating_sub(1)).collect();
        format!("{}…", cut.trim_end())
    }
}

/// The key of the sessions that came from no start link.
pub const OTHER_SOURCE: &str = "other";

/// The Vietnamese name of a source's code (or of "other"); an unknown code as it is.
pub fn source(code: &str) -> String {
    match Source::parse(code) {
        Some(Source::Poster) => "Áp phích của xã (mã QR)".to_string(),
        Some(Source::Desk) => "Bộ phận một cửa (mã QR, đường dẫn)".to_string(),
        None if code == OTHER_SOURCE => "Cách khác (tự tìm, được giới thiệu…)".to_string(),
        None => code.to_string(),
    }
}
