//! What officials read: the Vietnamese names of the codes the store keeps.

/// Outcomes in report order: accounts by level first, then the rest.
pub const OUTCOMES: [&str; 7] = [
    "portal_login",
    "vneid_level2",
    "vneid_level1",
    "not_created",
    "handed_off",
    "abandoned",
    "in_progress",
];

/// The outcomes that mean the citizen has a VNeID account at the end of the session.
pub const ACCOUNT_OUTCOMES: [&str; 3] = ["portal_login", "vneid_level2", "vneid_level1"];

pub const CHANNELS: [&str; 3] = ["self_guided", "staff_remote", "in_person"];
pub const LANGUAGES: [&str; 3] = ["hmn", "vi", "en"];
pub const PURPOSES: [&str; 5] = [
    "justice",
    "labour_social",
    "land",
    "health_insurance",
    "other",
];

pub fn outcome(code: &str) -> String {
    match code {
        "portal_login" => "Đã đăng nhập Cổng Dịch vụ công",
        "vneid_level2" => "Có tài khoản VNeID mức 2",
        "vneid_level1" => "Có tài khoản VNeID mức 1",
        "not_created" => "Chưa tạo được tài khoản",
        "handed_off" => "Chuyển cán bộ, chưa có kết quả",
        "abandoned" => "Bỏ dở",
        "in_progress" => "Đang thực hiện",
        other => return other.to_string(),
    }
    .to_string()
}

pub fn channel(code: &str) -> String {
    match code {
        "self_guided" => "Tự làm theo hướng dẫn của bot",
        "staff_remote" => "Cán bộ hỗ trợ từ xa",
        "in_person" => "Hỗ trợ trực tiếp tại Bộ phận Một cửa",
        other => return other.to_string(),
    }
    .to_string()
}

/// Short names for the chart's legend.
pub fn channel_short(code: &str) -> String {
    match code {
        "self_guided" => "Tự làm theo bot",
        "staff_remote" => "Cán bộ hỗ trợ từ xa",
        "in_person" => "Trực tiếp tại Một cửa",
        other => return other.to_string(),
    }
    .to_string()
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

pub fn purpose(code: &str) -> String {
    match code {
        "justice" => "Tư pháp – hộ tịch",
        "labour_social" => "Lao động – Thương binh và Xã hội",
        "land" => "Đất đai",
        "health_insurance" => "Bảo hiểm y tế",
        "other" => "Khác",
        "" => "Chưa cho biết",
        other => return other.to_string(),
    }
    .to_string()
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
