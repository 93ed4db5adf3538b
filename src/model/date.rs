//! Dates as precise as the source: a day, a month, or only a year.
//!
//! Clipped articles often carry no date, and an analyst infers one ("late
//! 2016", "October 2015"). A dossier must not invent a day for them, so a
//! [`PartialDate`] keeps its precision all the way to the page: it is parsed
//! from `2017-01-25`, `2016-11` or `2015`, printed at that precision, and
//! ordered by the end of its period: a less precise date sorts after the
//! more precise dates it contains ("25 Sep 2016" < "Sep 2016" < "Dec 2016"
//! < "2016" < "Jan 2017"). An inexact date is usually inferred from the
//! latest thing the text mentions ("late 2016"), so placing it before the
//! dates it contains would show it as earlier than pieces it follows.

use std::fmt;

use serde::Serialize;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// How much of a date is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    /// Only the year.
    Year,
    /// Year and month.
    Month,
    /// The exact day.
    Day,
}

/// A calendar date known to a day, a month or a year, ordered by the end of
/// its period (see the module documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct PartialDate {
    year: i16,
    month: u8,
    day: u8,
}

impl PartialDate {
    /// The sort key: an unknown month counts as after December and an
    /// unknown day as after the month's last day, so a period sorts at its
    /// end, after the exact dates it contains. Distinct dates have distinct
    /// keys, so the order agrees with equality.
    fn sort_key(&self) -> (i16, u8, u8) {
        let month = if self.month == 0 { 13 } else { self.month };
        let day = if self.day == 0 { 32 } else { self.day };
        (self.year, month, day)
    }
}

impl Ord for PartialDate {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.sort_key().cmp(&other.sort_key())
    }
}

impl PartialOrd for PartialDate {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

/// Why a date string was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateError(pub String);

impl PartialDate {
    /// Parses `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    ///
    /// # Errors
    /// A message saying what is wrong and which forms are accepted.
    pub fn parse(input: &str) -> Result<PartialDate, DateError> {
        let text = input.trim();
        if text.is_empty() {
            return Err(DateError(
                "the date is empty: write `2017-01-25` (a day), `2016-11` (a month) or `2015` (a year)"
                    .to_string(),
            ));
        }
        PartialDate::parse_dashed(text).map_err(|err| match PartialDate::meant(text) {
            Some(advice) => DateError(format!(
                "`{text}` is not a date as dossier reads them: {advice}"
            )),
            None => err,
        })
    }

    /// What a date written another way most likely means, as advice: a
    /// timestamp's day, other separators, a month given by its name. Only
    /// unambiguous readings (year first, or the month spelt out) are
    /// offered; `04/05/2018` gets the general message.
    fn meant(text: &str) -> Option<String> {
        if let Some((day, time)) = text.split_once(['T', ' '])
            && time.contains(':')
            && PartialDate::parse_dashed(day).is_ok()
        {
            return Some(format!("a date has no time of day; write `{day}`"));
        }
        let dashed = text.replace(['/', '.'], "-");
        if dashed != text && PartialDate::parse_dashed(&dashed).is_ok() {
            return Some(format!("write it with dashes, `{dashed}`"));
        }
        // English month names, in full (`%B`) or short (`%b`).
        for format in [
            "%d %B %Y",
            "%B %d, %Y",
            "%B %d %Y",
            "%d %b %Y",
            "%b %d, %Y",
            "%b %d %Y",
        ] {
            // (A day's two digits can take a year's first two: "April
            // 2018" is not the 20th of April in the year 18.)
            if let Ok(date) = jiff::civil::Date::strptime(format, text)
                && date.year() >= 1000
            {
                return Some(format!("write the month as a number, year first: `{date}`"));
            }
        }
        let (year, month) = ["%B %Y", "%b %Y"].into_iter().find_map(|format| {
            let parsed = jiff::fmt::strtime::parse(format, text).ok()?;
            Some((parsed.year()?, parsed.month()?))
        })?;
        // "May 5" is not the month of May in the year 5.
        (year >= 1000)
            .then(|| format!("write the month as a number, year first: `{year:04}-{month:02}`"))
    }

    /// Parses `text` (trimmed, not empty) in the one form dossier reads.
    fn parse_dashed(text: &str) -> Result<PartialDate, DateError> {
        if !text.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
            return Err(DateError(format!(
                "`{text}` is not a date: write it year first, in digits and dashes: \
                 `2017-01-25` (a day), `2016-11` (a month) or `2015` (a year)"
            )));
        }
        let parts: Vec<&str> = text.split('-').collect();
        let number = |s: &str, what: &str, digits: usize| -> Result<u16, DateError> {
            if s.len() != digits || !s.bytes().all(|b| b.is_ascii_digit()) {
                return Err(DateError(format!(
                    "`{text}` is not a date: the {what} must be {digits} digits; \
                     write `2017-01-25`, `2016-11` or `2015`"
                )));
            }
            s.parse::<u16>()
                .map_err(|_| DateError(format!("`{text}` is not a date")))
        };
        if parts.len() > 3 {
            return Err(DateError(format!(
                "`{text}` is not a date: write `2017-01-25` (a day), `2016-11` (a month) or `2015` (a year)"
            )));
        }
        let year = number(parts[0], "year", 4)?;
        if year < 1000 {
            return Err(DateError(format!(
                "`{text}` is not a date: the year is out of range"
            )));
        }
        let month = match parts.get(1) {
            Some(m) => number(m, "month", 2)? as u8,
            None => 0,
        };
        if parts.len() > 1 && !(1..=12).contains(&month) {
            return Err(DateError(format!(
                "`{text}` is not a date: month {month} does not exist (use 01 to 12)"
            )));
        }
        let day = match parts.get(2) {
            Some(d) => number(d, "day", 2)? as u8,
            None => 0,
        };
        if parts.len() == 3 {
            // jiff knows the calendar (leap years, month lengths).
            if jiff::civil::Date::new(year as i16, month as i8, day as i8).is_err() {
                return Err(DateError(format!(
                    "`{text}` is not a date: {} {year} has no day {day}",
                    MONTHS[month as usize - 1]
                )));
            }
        }
        Ok(PartialDate {
            year: year as i16,
            month,
            day,
        })
    }

    /// An exact date; panics on an impossible one (for tests and internal use).
    pub fn ymd(year: i16, month: u8, day: u8) -> PartialDate {
        PartialDate::parse(&format!("{year:04}-{month:02}-{day:02}"))
            .expect("invariant: a valid calendar date")
    }

    /// How much is known.
    pub fn precision(&self) -> Precision {
        match (self.month, self.day) {
            (0, _) => Precision::Year,
            (_, 0) => Precision::Month,
            _ => Precision::Day,
        }
    }

    /// The year.
    pub fn year(&self) -> i16 {
        self.year
    }

    /// The month (1–12), if known.
    pub fn month(&self) -> Option<u8> {
        (self.month > 0).then_some(self.month)
    }

    /// The day of the month, if known.
    pub fn day(&self) -> Option<u8> {
        (self.day > 0).then_some(self.day)
    }

    /// The machine form at the date's precision (`2017-01-25`, `2016-11`,
    /// `2015`), valid in an HTML `datetime` attribute.
    pub fn iso(&self) -> String {
        match self.precision() {
            Precision::Year => format!("{:04}", self.year),
            Precision::Month => format!("{:04}-{:02}", self.year, self.month),
            Precision::Day => format!("{:04}-{:02}-{:02}", self.year, self.month, self.day),
        }
    }

    /// The long human form: `25 January 2017`, `November 2016`, `2015`.
    pub fn long(&self) -> String {
        match self.precision() {
            Precision::Year => self.year.to_string(),
            Precision::Month => format!("{} {}", MONTHS[self.month as usize - 1], self.year),
            Precision::Day => format!(
                "{} {} {}",
                self.day,
                MONTHS[self.month as usize - 1],
                self.year
            ),
        }
    }

    /// The short human form: `25 Jan 2017`, `Nov 2016`, `2015`.
    pub fn short(&self) -> String {
        let mon = |m: u8| &MONTHS[m as usize - 1][..3];
        match self.precision() {
            Precision::Year => self.year.to_string(),
            Precision::Month => format!("{} {}", mon(self.month), self.year),
            Precision::Day => format!("{} {} {}", self.day, mon(self.month), self.year),
        }
    }

    /// The name of this date's month, if known (`September`).
    pub fn month_name(&self) -> Option<&'static str> {
        self.month().map(|m| MONTHS[m as usize - 1])
    }

    /// The first day this date could be (1 January for a bare year).
    pub fn earliest(&self) -> jiff::civil::Date {
        jiff::civil::Date::new(self.year, self.month.max(1) as i8, self.day.max(1) as i8)
            .expect("invariant: validated when parsed")
    }

    /// The last day this date could be (31 December for a bare year).
    pub fn latest(&self) -> jiff::civil::Date {
        match self.precision() {
            Precision::Day => self.earliest(),
            Precision::Month => self.earliest().last_of_month(),
            Precision::Year => {
                jiff::civil::Date::new(self.year, 12, 31).expect("invariant: 31 December exists")
            }
        }
    }

    /// A timestamp for feeds (RFC 3339), at the start of the date's range.
    /// Only an exact date should be published as one: for the others it
    /// would invent a day.
    pub fn rfc3339(&self) -> String {
        format!("{}T00:00:00Z", self.earliest())
    }

    /// A timestamp (RFC 3339) at the last day of the date's range: the
    /// latest the dated thing can have happened, for fields that must be a
    /// timestamp (Atom's `updated`).
    pub fn rfc3339_latest(&self) -> String {
        format!("{}T00:00:00Z", self.latest())
    }

    /// Days since 1970-01-01 of the earliest day, for distances and charts.
    pub fn epoch_days(&self) -> i32 {
        let epoch = jiff::civil::date(1970, 1, 1);
        (self.earliest() - epoch).get_days()
    }
}

impl fmt::Display for PartialDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.iso())
    }
}

impl Serialize for PartialDate {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.iso())
    }
}

/// Today's date in the local time zone (for `dossier new`, the briefing's
/// edition and the build cache's day).
pub fn today() -> PartialDate {
    let today = jiff::Timestamp::now().to_zoned(local_zone()).date();
    PartialDate::ymd(today.year(), today.month() as u8, today.day() as u8)
}

/// The system's time zone. Where `TZ` is not set, read from
/// `/etc/localtime` alone: jiff's own lookup names the zone first, and to
/// do so lists every file under `/usr/share/zoneinfo` (22 folders, ~2 ms
/// of a core in every build), while a date needs no name.
fn local_zone() -> jiff::tz::TimeZone {
    const LOCALTIME: &str = "/etc/localtime";
    if std::env::var_os("TZ").is_none()
        && let Ok(data) = std::fs::read(LOCALTIME)
        && let Ok(zone) = jiff::tz::TimeZone::tzif(LOCALTIME, &data)
    {
        return zone;
    }
    jiff::tz::TimeZone::system()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The zone read from `/etc/localtime` alone tells the time as jiff's
    /// own lookup of the system's zone does.
    #[test]
    fn the_local_zone_is_the_system_zone() {
        let now = jiff::Timestamp::now();
        let ours = now.to_zoned(local_zone());
        let system = now.to_zoned(jiff::tz::TimeZone::system());
        assert_eq!(ours.offset(), system.offset());
        assert_eq!(ours.date(), system.date());
    }

    #[test]
    fn parses_each_precision() {
        let day = PartialDate::parse("2017-01-25").unwrap();
        assert_eq!(day.precision(), Precision::Day);
        assert_eq!(day.long(), "25 January 2017");
        assert_eq!(day.short(), "25 Jan 2017");
        let month = PartialDate::parse("2016-09").unwrap();
        assert_eq!(month.precision(), Precision::Month);
        assert_eq!(month.short(), "Sep 2016");
        assert_eq!(month.iso(), "2016-09");
        let year = PartialDate::parse("2015").unwrap();
        assert_eq!(year.precision(), Precision::Year);
        assert_eq!(year.long(), "2015");
    }

    #[test]
    fn refuses_impossible_and_ambiguous_dates() {
        for bad in [
            "2017-02-30",
            "2017-13",
            "2017-1-5",
            "17-01-05",
            "January 25, 2017",
            "2017-01-25-01",
            "2019-02-29",
        ] {
            let err = PartialDate::parse(bad).unwrap_err();
            assert!(err.0.contains("not a date"), "{bad}: {}", err.0);
        }
        assert!(PartialDate::parse("2020-02-29").is_ok(), "leap day");
    }

    /// A date written another way is refused with the reason, and where
    /// its meaning is plain, with the date to write instead.
    #[test]
    fn a_date_written_another_way_is_refused_with_what_to_write() {
        for (bad, says) in [
            ("2018/04/17", "write it with dashes, `2018-04-17`"),
            ("2018.04", "write it with dashes, `2018-04`"),
            ("17 April 2018", "year first: `2018-04-17`"),
            ("April 17, 2018", "year first: `2018-04-17`"),
            ("Apr 7 2018", "year first: `2018-04-07`"),
            ("April 2018", "year first: `2018-04`"),
            ("May 5", "write it year first, in digits and dashes"),
            ("April 17", "write it year first, in digits and dashes"),
            ("2018-04-17T10:00:00Z", "no time of day; write `2018-04-17`"),
            ("2018-04-17 10:00", "no time of day; write `2018-04-17`"),
            ("", "the date is empty"),
            ("04/17/2018", "write it year first, in digits and dashes"),
            ("2018-4-17", "the month must be 2 digits"),
            ("2018-02-30", "February 2018 has no day 30"),
            (
                "31 February 2018",
                "write it year first, in digits and dashes",
            ),
        ] {
            let err = PartialDate::parse(bad).unwrap_err().0;
            assert!(err.contains(says), "{bad}: {err}");
        }
    }

    #[test]
    fn less_precise_dates_sort_at_the_end_of_their_period() {
        let mut dates: Vec<PartialDate> = [
            "2016-09-25",
            "2017",
            "2016",
            "2016-09",
            "2016-10-01",
            "2016-09-30",
            "2016-12-31",
            "2016-12",
            "2017-01-01",
        ]
        .iter()
        .map(|s| PartialDate::parse(s).unwrap())
        .collect();
        dates.sort();
        let order: Vec<String> = dates.iter().map(PartialDate::iso).collect();
        assert_eq!(
            order,
            [
                "2016-09-25",
                "2016-09-30",
                "2016-09",
                "2016-10-01",
                "2016-12-31",
                "2016-12",
                "2016",
                "2017-01-01",
                "2017"
            ]
        );
    }

    #[test]
    fn ranges_cover_the_whole_period() {
        let month = PartialDate::parse("2016-02").unwrap();
        assert_eq!(month.latest().to_string(), "2016-02-29");
        let year = PartialDate::parse("2016").unwrap();
        assert_eq!(year.earliest().to_string(), "2016-01-01");
        assert_eq!(year.latest().to_string(), "2016-12-31");
    }
}
