//! The timeline at a glance: an SVG bar chart drawn at build time.
//!
//! Articles and events are counted per month (per year when the dossier
//! spans more than six years) and drawn as stacked bars, so the page needs
//! no JavaScript charting library. Dates known only to a coarser precision
//! than the bins are not forced into one bin: they are drawn as a band over
//! the whole period they could fall in, which is what the dossier knows.
//! Colours come from CSS classes, so dark mode and print restyle the chart.
//!
//! Every mark names the timeline entries it stands for (`data-entries`,
//! their anchor ids) and the plot's geometry is on the `<svg>`
//! (`data-axis`, `data-plot`), so the timeline's actor filter can redraw
//! the bars for the entries it shows without a second copy of the data.

use std::fmt::Write as _;

use crate::model::{PartialDate, Precision, Site};
use crate::render::views::{article_entry_id, event_entry_id};

const WIDTH: f64 = 800.0;
const HEIGHT: f64 = 200.0;
const LEFT: f64 = 34.0;
const RIGHT: f64 = 8.0;
/// Room above the plot: the legend (y 4–14), then up to three rows of
/// thin bars for year-only dates (y 20–37).
const TOP: f64 = 42.0;
const BOTTOM: f64 = 24.0;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Article,
    Event,
}

impl Kind {
    /// The word for it, in tooltips and class names.
    fn name(self) -> &'static str {
        match self {
            Kind::Article => "article",
            Kind::Event => "event",
        }
    }
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// The chart for the whole dossier, or an empty string when there is
/// nothing dated.
pub fn timeline_svg(site: &Site) -> String {
    let items: Vec<(PartialDate, Kind, String)> = site
        .articles
        .iter()
        .map(|a| (a.date, Kind::Article, article_entry_id(a)))
        .chain(
            site.events
                .iter()
                .map(|e| (e.date, Kind::Event, event_entry_id(site, e))),
        )
        .collect();
    chart(&items)
}

fn chart(items: &[(PartialDate, Kind, String)]) -> String {
    let (Some(first), Some(last)) = (
        items.iter().map(|(d, _, _)| d.earliest()).min(),
        items.iter().map(|(d, _, _)| d.latest()).max(),
    ) else {
        return String::new();
    };
    let by_month = last.year() - first.year() <= 6;
    // Bin index of a day.
    let bin_of = |year: i16, month: i8| -> i32 {
        if by_month {
            (year - first.year()) as i32 * 12 + (month as i32 - 1)
        } else {
            (year - first.year()) as i32
        }
    };
    let (start_bin, end_bin) = if by_month {
        (0, bin_of(last.year(), last.month()))
    } else {
        (0, bin_of(last.year(), 1))
    };
    let bins = (end_bin - start_bin + 1) as usize;
    let mut articles = vec![0u32; bins];
    let mut events = vec![0u32; bins];
    // The entries behind each bar, for the timeline's filter.
    let mut ids: Vec<Vec<&str>> = vec![Vec::new(); bins];
    let mut ranges: Vec<(i32, i32, Kind, PartialDate, &str)> = Vec::new();
    for (date, kind, id) in items {
        let (date, kind) = (*date, *kind);
        let coarse = if by_month {
            date.precision() == Precision::Year
        } else {
            false
        };
        if coarse {
            let from = bin_of(date.year(), 1);
            let to = bin_of(date.year(), 12);
            ranges.push((from, to, kind, date, id));
            continue;
        }
        let bin = bin_of(date.year(), date.month().unwrap_or(1) as i8) as usize;
        ids[bin].push(id);
        match kind {
            Kind::Article => articles[bin] += 1,
            Kind::Event => events[bin] += 1,
        }
    }
    let max = articles
        .iter()
        .zip(&events)
        .map(|(a, e)| a + e)
        .max()
        .unwrap_or(0)
        .max(1);
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let bin_w = plot_w / bins as f64;
    let bar_w = (bin_w * 0.8).max(1.0);
    let y_of = |count: u32| TOP + plot_h - plot_h * count as f64 / max as f64;
    let label_of = |bin: usize| -> String {
        if by_month {
            let year = first.year() as i32 + bin as i32 / 12;
            let month = bin % 12;
            let names = [
                "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
            ];
            format!("{} {year}", names[month])
        } else {
            format!("{}", first.year() as i32 + bin as i32)
        }
    };
    let total_articles: u32 = articles.iter().sum::<u32>()
        + ranges.iter().filter(|r| r.2 == Kind::Article).count() as u32;
    let total_events: u32 =
        events.iter().sum::<u32>() + ranges.iter().filter(|r| r.2 == Kind::Event).count() as u32;

    let axis_y = TOP + plot_h;
    let mut svg = String::new();
    let _ = write!(
        svg,
        "<svg class=\"timeline-chart\" viewBox=\"0 0 {WIDTH} {HEIGHT}\" data-axis=\"{axis_y}\" data-plot=\"{plot_h}\" role=\"img\" aria-labelledby=\"chart-title chart-desc\" xmlns=\"http://www.w3.org/2000/svg\">\
<title id=\"chart-title\">Articles and events over time</title>\
<desc id=\"chart-desc\">{total_articles} article{} and {total_events} event{} from {} to {}, counted per {}.</desc>",
        crate::diagnostic::plural(total_articles as usize),
        crate::diagnostic::plural(total_events as usize),
        label_of(0),
        label_of(bins - 1),
        if by_month { "month" } else { "year" }
    );
    // Axis and year ticks.
    let _ = write!(
        svg,
        "<line class=\"chart-axis\" x1=\"{LEFT}\" y1=\"{axis_y}\" x2=\"{}\" y2=\"{axis_y}\"/>",
        WIDTH - RIGHT
    );
    let _ = write!(
        svg,
        "<text class=\"chart-label chart-max\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{max}</text>",
        LEFT - 6.0,
        TOP + 4.0
    );
    let _ = write!(
        svg,
        "<text class=\"chart-label\" x=\"{}\" y=\"{}\" text-anchor=\"end\">0</text>",
        LEFT - 6.0,
        axis_y
    );
    let years = (last.year() - first.year() + 1) as usize;
    let year_step = years.div_ceil(12).max(1);
    for (i, year) in (first.year()..=last.year()).enumerate() {
        if i % year_step != 0 {
            continue;
        }
        let bin = bin_of(year, 1) as f64;
        let x = LEFT + bin * bin_w;
        let _ = write!(
            svg,
            "<line class=\"chart-tick\" x1=\"{x:.1}\" y1=\"{TOP}\" x2=\"{x:.1}\" y2=\"{}\"/>",
            axis_y + 4.0
        );
        let _ = write!(
            svg,
            "<text class=\"chart-label\" x=\"{:.1}\" y=\"{}\">{year}</text>",
            x + 2.0,
            HEIGHT - 6.0
        );
    }
    // Bars: events at the bottom, articles stacked on top.
    for bin in 0..bins {
        let (a, e) = (articles[bin], events[bin]);
        if a + e == 0 {
            continue;
        }
        let x = LEFT + bin as f64 * bin_w + (bin_w - bar_w) / 2.0;
        let mut tip = label_of(bin);
        let _ = write!(
            tip,
            ": {a} article{}, {e} event{}",
            crate::diagnostic::plural(a as usize),
            crate::diagnostic::plural(e as usize)
        );
        let _ = write!(
            svg,
            "<g data-entries=\"{}\"><title>{}</title>",
            escape(&ids[bin].join(" ")),
            escape(&tip)
        );
        // Both rectangles always, one of them perhaps empty, so that a
        // filter can grow either.
        let y = y_of(e);
        let _ = write!(
            svg,
            "<rect class=\"chart-event\" x=\"{x:.1}\" y=\"{y:.1}\" width=\"{bar_w:.1}\" height=\"{:.1}\"/>",
            axis_y - y
        );
        let y_top = y_of(a + e);
        let _ = write!(
            svg,
            "<rect class=\"chart-article\" x=\"{x:.1}\" y=\"{y_top:.1}\" width=\"{bar_w:.1}\" height=\"{:.1}\"/>",
            y - y_top
        );
        svg.push_str("</g>");
    }
    // Periods for dates known only to the year.
    for (row, (from, to, kind, date, id)) in ranges.iter().enumerate() {
        let x1 = LEFT + *from as f64 * bin_w;
        let x2 = LEFT + (*to + 1) as f64 * bin_w;
        let y = 20.0 + (row % 3) as f64 * 6.5;
        let what = kind.name();
        let _ = write!(
            svg,
            "<g data-entries=\"{}\"><title>{what} dated only to {} (exact date not known)</title><rect class=\"chart-range chart-range-{what}\" x=\"{x1:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"5\" rx=\"2.5\"/></g>",
            escape(id),
            date.long(),
            x2 - x1
        );
    }
    // Legend: the thin bars of each kind there is (right to left, so the
    // text keeps its place), then the full ones.
    if !ranges.is_empty() {
        svg.push_str("<g class=\"chart-legend\">");
        let mut x = WIDTH - 330.0;
        for kind in [Kind::Event, Kind::Article] {
            if ranges.iter().any(|range| range.2 == kind) {
                let what = kind.name();
                let _ = write!(
                    svg,
                    "<rect class=\"chart-range chart-range-{what}\" x=\"{x}\" y=\"6.5\" width=\"14\" height=\"5\" rx=\"2.5\"/>"
                );
                x -= 18.0;
            }
        }
        let _ = write!(
            svg,
            "<text class=\"chart-label\" x=\"{}\" y=\"13\">date known only to the year</text></g>",
            WIDTH - 312.0
        );
    }
    let _ = write!(
        svg,
        "<g class=\"chart-legend\"><rect class=\"chart-article\" x=\"{}\" y=\"4\" width=\"10\" height=\"10\"/><text class=\"chart-label\" x=\"{}\" y=\"13\">articles</text>\
<rect class=\"chart-event\" x=\"{}\" y=\"4\" width=\"10\" height=\"10\"/><text class=\"chart-label\" x=\"{}\" y=\"13\">events</text></g>",
        WIDTH - 150.0,
        WIDTH - 136.0,
        WIDTH - 80.0,
        WIDTH - 66.0
    );
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> PartialDate {
        PartialDate::parse(s).unwrap()
    }

    #[test]
    fn counts_per_month_and_draws_inexact_dates_as_periods() {
        let svg = chart(&[
            (d("2016-09-25"), Kind::Event, "e-1".into()),
            (d("2016-09"), Kind::Article, "a-x".into()),
            (d("2016"), Kind::Article, "a-y".into()),
            (d("2017-01-25"), Kind::Article, "a-z".into()),
        ]);
        assert!(
            svg.contains("<title>Sep 2016: 1 article, 1 event</title>"),
            "{svg}"
        );
        assert!(svg.contains("article dated only to 2016"), "{svg}");
        assert!(svg.contains(">date known only to the year</text>"), "{svg}");
        // Only articles have year-only dates here: the legend shows theirs.
        let legend = svg.split("<g class=\"chart-legend\">").nth(1).unwrap();
        assert!(legend.contains("chart-range-article") && !legend.contains("chart-range-event"));
        let both = chart(&[
            (d("2016"), Kind::Article, "a-y".into()),
            (d("2015"), Kind::Event, "e-2".into()),
        ]);
        let legend = both.split("<g class=\"chart-legend\">").nth(1).unwrap();
        assert!(
            legend.contains("chart-range-article") && legend.contains("chart-range-event"),
            "{both}"
        );
        assert!(svg.contains("3 articles and 1 event from"), "{svg}");
        assert!(svg.contains("<g data-entries=\"e-1 a-x\">"), "{svg}");
        assert!(svg.contains("<g data-entries=\"a-y\">"), "{svg}");
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    }

    #[test]
    fn long_spans_use_years_and_empty_input_draws_nothing() {
        let svg = chart(&[
            (d("2001-01-01"), Kind::Article, "a-1".into()),
            (d("2020-05-05"), Kind::Article, "a-2".into()),
        ]);
        assert!(svg.contains("counted per year"), "{svg}");
        assert_eq!(chart(&[]), "");
    }
}
