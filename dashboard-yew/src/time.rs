//! Dates as the dashboard shows them: "Oct 24, 2023", "2 mins ago", and the
//! RFC 3339 instants the server expects. Everything is UTC; the exact instant
//! is always one hover away, labelled as UTC.

use chrono::{DateTime, Days, NaiveDate, NaiveTime, TimeDelta, Utc};

/// The browser's clock. Only meaningful in the browser.
pub(crate) fn now() -> DateTime<Utc> {
    let millis = js_sys::Date::now() as i64;
    DateTime::from_timestamp_millis(millis).unwrap_or_default()
}

pub(crate) fn parse(value: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(value)
        .ok()
        .map(|at| at.with_timezone(&Utc))
}

/// "Oct 24, 2023"; the raw value when it does not parse.
pub(crate) fn short_date(value: &str) -> String {
    parse(value).map_or_else(|| value.to_owned(), |at| at.format("%b %d, %Y").to_string())
}

/// "2023-10-24 10:00:00 UTC", for titles and screen readers.
pub(crate) fn exact(value: &str) -> String {
    parse(value).map_or_else(
        || value.to_owned(),
        |at| at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
    )
}

/// "Just now", "1 min ago", "5 days ago", "3 months ago".
pub(crate) fn relative(then: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let seconds = (now - then).num_seconds().max(0);
    let (count, unit) = match seconds {
        0..=59 => return "Just now".to_owned(),
        60..=3_599 => (seconds / 60, "min"),
        3_600..=86_399 => (seconds / 3_600, "hour"),
        86_400..=2_591_999 => (seconds / 86_400, "day"),
        2_592_000..=31_535_999 => (seconds / 2_592_000, "month"),
        _ => (seconds / 31_536_000, "year"),
    };
    let plural = if count == 1 { "" } else { "s" };
    format!("{count} {unit}{plural} ago")
}

/// "in 3 days", "in 5 hours", "today", for tokens about to expire.
pub(crate) fn until(then: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let hours = (then - now).num_hours();
    match hours {
        ..=0 => "within the hour".to_owned(),
        1..=23 => format!("in {hours} hour{}", if hours == 1 { "" } else { "s" }),
        _ => {
            let days = hours / 24;
            format!("in {days} day{}", if days == 1 { "" } else { "s" })
        }
    }
}

/// The instant `days` from `now`, as the server wants it.
pub(crate) fn days_from(now: DateTime<Utc>, days: u64) -> Option<String> {
    now.checked_add_days(Days::new(days)).map(rfc3339)
}

/// The end (23:59:59 UTC) of a `YYYY-MM-DD` day from a date input.
pub(crate) fn end_of_day(date: &str) -> Option<DateTime<Utc>> {
    let day = NaiveDate::parse_from_str(date, "%Y-%m-%d").ok()?;
    let last_second = NaiveTime::from_hms_opt(23, 59, 59)?;
    Some(day.and_time(last_second).and_utc())
}

/// `YYYY-MM-DD` of tomorrow, the earliest custom expiry a date input offers.
pub(crate) fn tomorrow(now: DateTime<Utc>) -> String {
    (now + TimeDelta::days(1)).format("%Y-%m-%d").to_string()
}

pub(crate) fn rfc3339(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(value: &str) -> DateTime<Utc> {
        parse(value).expect("valid test instant")
    }

    #[test]
    fn relative_times_read_like_the_mockup() {
        let now = at("2026-12-03T10:00:00Z");

        assert_eq!(relative(at("2026-12-03T09:59:30Z"), now), "Just now");
        assert_eq!(relative(at("2026-12-03T09:58:00Z"), now), "2 mins ago");
        assert_eq!(relative(at("2026-12-03T09:00:00Z"), now), "1 hour ago");
        assert_eq!(relative(at("2026-11-28T10:00:00Z"), now), "5 days ago");
        assert_eq!(relative(at("2025-11-28T10:00:00Z"), now), "1 year ago");
    }

    #[test]
    fn clock_skew_never_shows_the_future() {
        let now = at("2026-12-03T10:00:00Z");

        assert_eq!(relative(at("2026-12-03T10:05:00Z"), now), "Just now");
    }

    #[test]
    fn dates_format_for_the_table() {
        assert_eq!(short_date("2023-10-24T10:00:00Z"), "Oct 24, 2023");
        assert_eq!(
            exact("2023-10-24T10:00:00+02:00"),
            "2023-10-24 08:00:00 UTC"
        );
        assert_eq!(short_date("not a date"), "not a date");
    }

    #[test]
    fn expiry_choices_become_rfc3339() {
        let now = at("2026-12-03T10:00:00Z");

        assert_eq!(days_from(now, 7).as_deref(), Some("2026-12-10T10:00:00Z"));
        assert_eq!(
            end_of_day("2027-01-31").map(rfc3339).as_deref(),
            Some("2027-01-31T23:59:59Z")
        );
        assert_eq!(end_of_day("31/01/2027"), None);
        assert_eq!(tomorrow(now), "2026-12-04");
    }

    #[test]
    fn countdowns_round_down() {
        let now = at("2026-12-03T10:00:00Z");

        assert_eq!(until(at("2026-12-06T11:00:00Z"), now), "in 3 days");
        assert_eq!(until(at("2026-12-03T11:30:00Z"), now), "in 1 hour");
    }
}
