//! The weekly chart: sessions started each week, stacked by channel, with the sessions that
//! ended with an account as a line; labels in Vietnamese. Drawn with plotters into memory and
//! encoded as PNG ([`crate::drawing`]).

use super::labels;
use super::render;
use super::{Report, Week};
use crate::drawing::{FONT, Rgb, register_font};
use dvc_onboard_core::domain::Channel;
use plotters::coord::Shift;
use plotters::coord::ranged1d::SegmentedCoord;
use plotters::coord::types::{RangedCoordf64, RangedCoordi32};
use plotters::prelude::*;

pub const WIDTH: u32 = 1600;
pub const HEIGHT: u32 = 900;

const BLUE: RGBColor = RGBColor(31, 119, 180);
const ORANGE: RGBColor = RGBColor(255, 127, 14);
const GREEN: RGBColor = RGBColor(44, 160, 44);
const GREY: RGBColor = RGBColor(127, 127, 127);
const DARK_RED: RGBColor = RGBColor(178, 24, 43);
const INK: RGBColor = RGBColor(33, 33, 33);

/// The chart of `report.weekly`, as PNG bytes.
pub fn weekly_png(report: &Report) -> anyhow::Result<Vec<u8>> {
    register_font();
    let mut rgb = Rgb::new(WIDTH, HEIGHT);
    {
        let root = BitMapBackend::with_buffer(&mut rgb.pixels, (WIDTH, HEIGHT)).into_drawing_area();
        draw(&root, report).map_err(|e| anyhow::anyhow!("cannot draw the chart: {e}"))?;
        root.present()
            .map_err(|e| anyhow::anyhow!("cannot draw the chart: {e}"))?;
    }
    rgb.png()
}

type DrawResult = Result<(), Box<dyn std::error::Error>>;

/// A channel's bars: its name, colour and weekly count.
type Layer = (&'static str, RGBColor, fn(&Week) -> i64);

fn draw(root: &DrawingArea<BitMapBackend<'_>, Shift>, report: &Report) -> DrawResult {
    root.fill(&WHITE)?;
    let (top, rest) = root.split_vertically(120);
    let (plot, bottom) = rest.split_vertically(HEIGHT - 120 - 56);
    titles(&top, &bottom, report)?;
    weeks_plot(&plot, report)
}

/// The title and the scope above the chart, the note on weeks and the source below.
fn titles(
    top: &DrawingArea<BitMapBackend<'_>, Shift>,
    bottom: &DrawingArea<BitMapBackend<'_>, Shift>,
    report: &Report,
) -> DrawResult {
    top.draw(&Text::new(
        "Số phiên hỗ trợ tạo tài khoản mỗi tuần, theo kênh hỗ trợ",
        (40, 22),
        (FONT, 38).into_font().color(&INK),
    ))?;
    let scope = match &report.scope.commune_name {
        Some(name) => format!("xã {name}"),
        None => match &report.scope.commune {
            Some(code) => format!("xã {code}"),
            None => "tất cả các xã".to_string(),
        },
    };
    top.draw(&Text::new(
        format!(
            "{} · {} · {} phiên, {} phiên có tài khoản",
            render::period_text(report),
            scope,
            render::thousands(report.sessions),
            render::thousands(report.accounts_created),
        ),
        (40, 74),
        (FONT, 24).into_font().color(&GREY),
    ))?;
    bottom.draw(&Text::new(
        format!(
            "Tuần từ thứ Hai đến Chủ nhật, theo ngày bắt đầu phiên (giờ Việt Nam); tuần đầu \
             và tuần cuối có thể ít hơn 7 ngày. Số liệu đến {}. Nguồn: dvc-onboard.",
            as_of(report)
        ),
        (40, 14),
        (FONT, 20).into_font().color(&GREY),
    ))?;
    Ok(())
}

/// The chart: a bar a week stacked by channel, the accounts as a line, and the legend.
fn weeks_plot(plot: &DrawingArea<BitMapBackend<'_>, Shift>, report: &Report) -> DrawResult {
    let weeks = &report.weekly;
    if weeks.is_empty() || report.sessions == 0 {
        plot.draw(&Text::new(
            "Không có phiên hỗ trợ nào trong kỳ này",
            ((WIDTH / 2) as i32 - 260, (HEIGHT / 2) as i32 - 140),
            (FONT, 36).into_font().color(&GREY),
        ))?;
        synthetic_mark(plot, report)?;
        return Ok(());
    }

    let n = weeks.len() as i32;
    let peak = weeks
        .iter()
        .map(|w| w.sessions.max(w.accounts_created))
        .max()
        .unwrap_or(0)
        .max(1);
    // Room above the bars for the legend.
    let y_max = nice_ceiling(peak as f64 * 1.3);
    let other = weeks.iter().any(|w| w.other_channels > 0);

    let mut chart = ChartBuilder::on(plot)
        .margin_left(30)
        .margin_right(40)
        .margin_top(10)
        .x_label_area_size(64)
        .y_label_area_size(100)
        // One slot per week; a single week gets an empty slot on each side, to stand alone.
        .build_cartesian_2d(
            if n == 1 { -1..1 } else { 0..n - 1 }.into_segmented(),
            0f64..y_max,
        )?;

    let every = (n as usize).div_ceil(26).max(1);
    let label_of = |v: &SegmentValue<i32>| match v {
        SegmentValue::CenterOf(i) | SegmentValue::Exact(i)
            if *i >= 0 && (*i as usize).is_multiple_of(every) =>
        {
            weeks
                .get(*i as usize)
                .map(|w| format!("{:02}/{:02}", w.from.day, w.from.month))
                .unwrap_or_default()
        }
        _ => String::new(),
    };
    let y_label = |y: &f64| render::thousands(y.round() as i64);
    chart
        .configure_mesh()
        .disable_x_mesh()
        .y_max_light_lines(1)
        .light_line_style(RGBColor(240, 240, 240))
        .bold_line_style(RGBColor(210, 210, 210))
        .axis_style(RGBColor(120, 120, 120))
        .x_labels(n as usize + 2)
        .x_label_formatter(&label_of)
        .y_label_formatter(&y_label)
        .x_desc("Tuần (ngày bắt đầu tuần)")
        .y_desc("Số phiên")
        .label_style((FONT, 20).into_font().color(&INK))
        .axis_desc_style((FONT, 24).into_font().color(&INK))
        .draw()?;
    channel_bars(&mut chart, weeks, other)?;
    accounts_line(&mut chart, weeks)?;
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .margin(16)
        .legend_area_size(30)
        .label_font((FONT, 22).into_font().color(&INK))
        .background_style(WHITE.mix(0.9))
        .border_style(RGBColor(190, 190, 190))
        .draw()?;
    synthetic_mark(plot, report)?;
    Ok(())
}

/// The chart's area: a slot a week, sessions up.
type WeeksChart<'a, 'b> = ChartContext<
    'a,
    BitMapBackend<'b>,
    Cartesian2d<SegmentedCoord<RangedCoordi32>, RangedCoordf64>,
>;

/// Each week's sessions as a bar, stacked by channel.
fn channel_bars(chart: &mut WeeksChart<'_, '_>, weeks: &[Week], other: bool) -> DrawResult {
    let mut layers: Vec<Layer> = vec![
        (labels::channel_short(Channel::SelfGuided), BLUE, |w| {
            w.self_guided
        }),
        (labels::channel_short(Channel::StaffRemote), ORANGE, |w| {
            w.staff_remote
        }),
        (labels::channel_short(Channel::InPerson), GREEN, |w| {
            w.in_person
        }),
    ];
    if other {
        layers.push(("Kênh khác", GREY, |w| w.other_channels));
    }
    let mut below = vec![0i64; weeks.len()];
    for (name, color, value) in layers {
        let bars: Vec<Rectangle<(SegmentValue<i32>, f64)>> = weeks
            .iter()
            .enumerate()
            .filter(|(_, w)| value(w) > 0)
            .map(|(i, w)| {
                let (y0, y1) = (below[i], below[i] + value(w));
                let mut bar = Rectangle::new(
                    [
                        (SegmentValue::Exact(i as i32), y0 as f64),
                        (SegmentValue::Exact(i as i32 + 1), y1 as f64),
                    ],
                    color.filled(),
                );
                bar.set_margin(0, 0, 6, 6);
                bar
            })
            .collect();
        for (i, w) in weeks.iter().enumerate() {
            below[i] += value(w);
        }
        chart
            .draw_series(bars)?
            .label(name)
            .legend(move |(x, y)| Rectangle::new([(x, y - 9), (x + 22, y + 9)], color.filled()));
    }
    Ok(())
}

/// The sessions with an account, a point a week joined by a line.
fn accounts_line(chart: &mut WeeksChart<'_, '_>, weeks: &[Week]) -> DrawResult {
    let points: Vec<(SegmentValue<i32>, f64)> = weeks
        .iter()
        .enumerate()
        .map(|(i, w)| (SegmentValue::CenterOf(i as i32), w.accounts_created as f64))
        .collect();
    chart
        .draw_series(std::iter::once(PathElement::new(
            points.clone(),
            DARK_RED.stroke_width(4),
        )))?
        .label("Phiên có tài khoản VNeID (mọi kênh)")
        .legend(|(x, y)| PathElement::new([(x, y), (x + 22, y)], DARK_RED.stroke_width(4)));
    chart.draw_series(
        points
            .into_iter()
            .map(|p| Circle::new(p, 6, DARK_RED.filled())),
    )?;
    Ok(())
}

/// Synthetic data is marked across the picture, so a pasted chart cannot pass for real figures.
fn synthetic_mark(area: &DrawingArea<BitMapBackend<'_>, Shift>, report: &Report) -> DrawResult {
    if report.scope.synthetic {
        area.draw(&Text::new(
            "DỮ LIỆU MẪU – KHÔNG PHẢI SỐ LIỆU THẬT",
            ((WIDTH / 2) as i32 - 400, 30),
            (FONT, 40).into_font().color(&DARK_RED.mix(0.55)),
        ))?;
    }
    Ok(())
}

fn as_of(report: &Report) -> String {
    let (date, time) = report.as_of.split_once('T').unwrap_or((&report.as_of, ""));
    let date = super::period::Date::parse(date).map_or(date.to_string(), |d| d.vi());
    format!("{} {date}", time.trim_end_matches("+07:00"))
}

/// 1, 2 or 5 times a power of ten, at least `x`: round axis ends.
fn nice_ceiling(x: f64) -> f64 {
    let x = x.max(1.0);
    let p = 10f64.powf(x.log10().floor());
    [1.0, 1.2, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0]
        .iter()
        .map(|m| m * p)
        .find(|v| *v >= x)
        .unwrap_or(10.0 * p)
}
