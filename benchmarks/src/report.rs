//! Small statistics and the description of the machine a run happened on.

use std::time::Duration;

/// The median of `values` (the mean of the middle two for an even count); 0 when empty.
pub fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    match sorted.len() {
        0 => 0.0,
        n if n % 2 == 1 => sorted[n / 2],
        n => (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0,
    }
}

/// The median of durations.
pub fn median_duration(values: &[Duration]) -> Duration {
    let seconds: Vec<f64> = values.iter().map(Duration::as_secs_f64).collect();
    Duration::from_secs_f64(median(&seconds))
}

/// A duration in the unit that reads best: `850 ns`, `12.3 µs`, `4.56 ms`, `1.23 s`.
pub fn human(duration: Duration) -> String {
    let nanos = duration.as_secs_f64() * 1e9;
    if nanos < 1e3 {
        format!("{nanos:.0} ns")
    } else if nanos < 1e6 {
        format!("{:.1} µs", nanos / 1e3)
    } else if nanos < 1e9 {
        format!("{:.2} ms", nanos / 1e6)
    } else {
        format!("{:.2} s", nanos / 1e9)
    }
}

/// A ratio to three decimals, as `0.873×`. Under 0.01 it keeps two significant digits
/// instead (`0.000043×`), so a ratio far below the reference does not print as zero.
pub fn ratio(value: f64) -> String {
    let decimals = if value != 0.0 && value.abs() < 0.01 {
        // The zeros after the decimal point, then two digits.
        (-value.abs().log10().floor()) as usize + 1
    } else {
        3
    };
    format!("{value:.decimals$}×")
}

/// One line describing the machine and its load right now: CPUs, CPU model, memory, load
/// average.
pub fn machine() -> String {
    let cpus = std::thread::available_parallelism().map_or(0, usize::from);
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let model = cpuinfo
        .lines()
        .find_map(|line| line.strip_prefix("model name"))
        .and_then(|rest| rest.split_once(':'))
        .map_or("unknown CPU", |(_, model)| model.trim())
        .to_owned();
    let meminfo = std::fs::read_to_string("/proc/meminfo").unwrap_or_default();
    let memory_gib = meminfo
        .lines()
        .find_map(|line| line.strip_prefix("MemTotal:"))
        .and_then(|rest| {
            rest.trim()
                .trim_end_matches("kB")
                .trim()
                .parse::<f64>()
                .ok()
        })
        .map_or(0.0, |kib| kib / 1024.0 / 1024.0);
    format!(
        "{cpus} CPUs ({model}), {memory_gib:.1} GiB, load average {}",
        load_average()
    )
}

/// The three load averages from `/proc/loadavg`.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ")
}

/// CPU time this process has used so far (user and system, every thread, exited ones
/// included), from `/proc/self/stat`, in clock ticks of 10 ms; `None` off Linux.
pub fn process_cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    cpu_time_from_stat(&stat)
}

fn cpu_time_from_stat(stat: &str) -> Option<Duration> {
    // The command name (field 2) may hold spaces; the fields after its closing parenthesis
    // start at field 3, so utime and stime (fields 14 and 15) are the 12th and 13th there.
    let (_, rest) = stat.rsplit_once(')')?;
    let mut fields = rest.split_whitespace().skip(11);
    let user: u64 = fields.next()?.parse().ok()?;
    let system: u64 = fields.next()?.parse().ok()?;
    // USER_HZ is 100 on every Linux architecture that matters here.
    Some(Duration::from_millis((user + system) * 10))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cpu_time_is_read_from_the_stat_line() {
        let stat = "4242 (http load) R 1 2 3 4 5 6 7 8 9 10 250 70 0 0 20 0 9 0 100 0 0";
        assert_eq!(cpu_time_from_stat(stat), Some(Duration::from_millis(3_200)));
        assert_eq!(cpu_time_from_stat("garbage"), None);
    }

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&[3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&[4.0, 1.0, 3.0, 2.0]), 2.5);
        assert_eq!(median(&[]), 0.0);
    }

    #[test]
    fn human_picks_a_unit() {
        assert_eq!(human(Duration::from_nanos(850)), "850 ns");
        assert_eq!(human(Duration::from_nanos(12_300)), "12.3 µs");
        assert_eq!(human(Duration::from_micros(4_560)), "4.56 ms");
    }

    #[test]
    fn small_ratios_keep_significant_digits() {
        assert_eq!(ratio(0.8734), "0.873×");
        assert_eq!(ratio(12.0), "12.000×");
        assert_eq!(ratio(0.0), "0.000×");
        assert_eq!(ratio(0.0123), "0.012×");
        assert_eq!(ratio(0.0099), "0.0099×");
        assert_eq!(ratio(0.001), "0.0010×");
        assert_eq!(ratio(0.000_043_21), "0.000043×");
    }
}
