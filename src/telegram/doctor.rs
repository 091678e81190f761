//! What Telegram says about a deployment, for `dvc-onboard doctor`: the token, the clock, the
//! webhook and the staff group.

use super::call::{Calls, Pace};
use super::staff::{StaffGroup, group_problems};
use crate::config::{StaffSettings, TelegramSettings};
use crate::doctor::Line;
use teloxide::prelude::*;
use teloxide::requests::Request;

/// How far the clock may be from Telegram's: reminders and the report's days follow it.
const CLOCK_SLACK_S: i64 = 30;

/// One line per check, in order; those that need the token are skipped (said) without it.
pub async fn checks(
    settings: &TelegramSettings,
    staff: Option<StaffSettings>,
    webhook_url: Option<&url::Url>,
) -> Vec<Line> {
    let bot = super::bot(settings);
    let calls = Calls { pace: Pace::off() };
    let me = match calls.call("getMe", None, || bot.get_me().send()).await {
        Ok(Some(me)) => me,
        Ok(None) => return vec![Line::bad("the token: Telegram's answer could not be read")],
        Err(e) => {
            return vec![Line::bad(format!(
                "the token: Telegram refuses it ({e}): copy it again from @BotFather into \
                 TELOXIDE_TOKEN"
            ))];
        }
    };
    let mut lines = vec![Line::good(format!(
        "the token: the bot is @{}",
        me.username()
    ))];
    lines.push(clock(&bot, settings).await);
    lines.push(webhook(&bot, &calls, webhook_url).await);
    match staff {
        None => lines.push(Line::good(
            "no staff group (STAFF_CHAT_ID): \"ask staff\" tells citizens to come to the desk",
        )),
        Some(s) => {
            let group = StaffGroup::new(s.chat_id, s.wait, s.max_age);
            let problems = group_problems(&bot, &calls, &group).await;
            if problems.is_empty() {
                lines.push(Line::good(format!(
                    "the staff group {}: the bot is an administrator that may post cases, \
                     manage topics, send photos and files; the group is private",
                    s.chat_id
                )));
            }
            lines.extend(
                problems
                    .into_iter()
                    .map(|p| Line::bad(format!("the staff group {}: {p}", s.chat_id))),
            );
        }
    }
    lines
}

/// The machine's clock against the time Telegram's servers give with an answer (its `Date`).
async fn clock(bot: &Bot, settings: &TelegramSettings) -> Line {
    let url = match bot
        .api_url()
        // `./`: the token holds a colon, which would read as a scheme.
        .join(&format!("./bot{}/getMe", settings.token.expose()))
    {
        Ok(url) => url,
        Err(e) => return Line::bad(format!("the clock: no URL to ask Telegram ({e})")),
    };
    let sent = crate::app::now_ms();
    let answer = bot.client().post(url).send().await;
    let received = crate::app::now_ms();
    let date = answer.ok().and_then(|a| {
        a.headers()
            .get("date")
            .and_then(|d| d.to_str().ok())
            .and_then(http_date_ms)
    });
    let Some(date) = date else {
        return Line::bad("the clock: Telegram's answer gave no time to compare with");
    };
    // The server's second falls between sending and receiving.
    let off = if date + 1000 < sent {
        (sent - date - 1000) / 1000
    } else if date > received {
        (date - received) / 1000
    } else {
        0
    };
    if off > CLOCK_SLACK_S {
        Line::bad(format!(
            "the clock is {off} s off Telegram's: turn on time sync (timedatectl set-ntp true)"
        ))
    } else {
        Line::good(format!("the clock: within {CLOCK_SLACK_S} s of Telegram's"))
    }
}

/// The webhook as Telegram has it: none (long polling), or where it posts and how that goes.
async fn webhook(bot: &Bot, calls: &Calls, wanted: Option<&url::Url>) -> Line {
    let info = match calls
        .call("getWebhookInfo", None, || bot.get_webhook_info().send())
        .await
    {
        Ok(Some(info)) => info,
        _ => return Line::bad("the webhook: Telegram's answer could not be read"),
    };
    match (&info.url, wanted) {
        (None, None) => Line::good("no webhook set: long polling (`run`) can take the updates"),
        (None, Some(_)) => {
            Line::good("no webhook set yet: `run --webhook` sets WEBHOOK_URL when it starts")
        }
        (Some(url), _) => match &info.last_error_message {
            Some(error) => Line::bad(format!(
                "the webhook {url}: Telegram's last delivery failed ({error}), {} updates wait: \
                 check that the address is reachable from the internet over HTTPS and that \
                 `run --webhook` is running",
                info.pending_update_count
            )),
            None if wanted.is_none() => Line::bad(format!(
                "a webhook is set ({url}) but WEBHOOK_URL is not: `run` removes it and polls; \
                 set WEBHOOK_URL and use `run --webhook` to keep it"
            )),
            None => Line::good(format!(
                "the webhook {url}: {} updates wait",
                info.pending_update_count
            )),
        },
    }
}

/// An HTTP date (`Mon, 30 Nov 2026 04:06:39 GMT`) in Unix milliseconds.
fn http_date_ms(text: &str) -> Option<i64> {
    let parts: Vec<&str> = text.split_whitespace().collect();
    let [_, day, month, year, time, "GMT"] = parts.as_slice() else {
        return None;
    };
    const MONTHS: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let month = MONTHS.iter().position(|m| m == month)? as u32 + 1;
    let date = crate::report::period::Date::new(year.parse().ok()?, month, day.parse().ok()?)?;
    let mut hms = time.split(':').map(|n| n.parse::<i64>().ok());
    let (h, m, s) = (hms.next()??, hms.next()??, hms.next()??);
    Some(((date.day_number() * 24 + h) * 60 + m) * 60_000 + s * 1000)
}

#[cfg(test)]
mod tests {
    #[test]
    fn http_dates_are_read() {
        assert_eq!(
            super::http_date_ms("Mon, 30 Nov 2026 04:06:39 GMT"),
            Some(1_796_011_599_000)
        );
        assert_eq!(super::http_date_ms("yesterday"), None);
    }
}
