//! Driving `wrk` as a subprocess and reading its results.
//!
//! Every run uses the same Lua script, so every variant pays the same client-side cost per
//! request: the script's `request()` hands wrk either a request formatted once up front, or
//! (for the unknown-token flood) one with a fresh random token. Its `done()` prints one
//! machine-readable line, which [`Wrk::run`] parses.

use std::io;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use tokio::process::Command;

const SCRIPT: &str = r#"-- Written by api-tokens-bench. Arguments: mode ("none", "bearer" or "random"),
-- then the token for "bearer".
local threads = 0
local mode, prepared

function setup(thread)
  threads = threads + 1
  thread:set("thread_number", threads)
end

function init(args)
  mode = args[1] or "none"
  math.randomseed(os.time() * 1000 + (thread_number or 0))
  if mode == "bearer" then
    prepared = wrk.format(nil, nil, { ["Authorization"] = "Bearer " .. args[2] })
  else
    prepared = wrk.format()
  end
end

-- A well-formed token that is almost surely unknown: sh_live_ + 32 random characters, hex
-- digits (a subset of the token alphabet), 124 random bits: four draws and one format, so
-- that the client, not the server, is the cheaper side of the flood.
local function random_token()
  return string.format("sh_live_%08x%08x%08x%08x",
    math.random(0, 0x7fffffff), math.random(0, 0x7fffffff),
    math.random(0, 0x7fffffff), math.random(0, 0x7fffffff))
end

function request()
  if mode == "random" then
    return wrk.format(nil, nil, { ["Authorization"] = "Bearer " .. random_token() })
  end
  return prepared
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRK_RESULT requests=%.0f duration_us=%.0f socket_errors=%.0f non_2xx=%.0f p50_us=%.0f p99_us=%.0f\n",
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(99)))
end
"#;

/// What each request carries.
#[derive(Clone, Debug)]
pub enum Auth {
    /// No `Authorization` header.
    None,
    /// `Authorization: Bearer <token>`, the same on every request.
    Bearer(String),
    /// A different random, well-formed `sh_live_` token on every request.
    RandomTokens,
}

/// The outcome of one wrk run.
#[derive(Clone, Copy, Debug)]
pub struct WrkRun {
    /// Responses completed.
    pub requests: u64,
    /// How long wrk ran.
    pub duration: Duration,
    /// Connect, read, write and timeout errors.
    pub socket_errors: u64,
    /// Responses with a status outside 2xx and 3xx.
    pub non_2xx: u64,
    /// Median latency.
    pub p50: Duration,
    /// 99th percentile latency.
    pub p99: Duration,
}

impl WrkRun {
    /// Completed requests per second.
    pub fn rps(&self) -> f64 {
        self.requests as f64 / self.duration.as_secs_f64()
    }
}

/// A `wrk` with fixed thread and connection counts.
#[derive(Debug)]
pub struct Wrk {
    script: PathBuf,
    threads: u32,
    connections: u32,
    timeout: Duration,
    /// The CPU wrk is pinned to (through `taskset`), if any.
    cpu: Option<usize>,
}

impl Wrk {
    /// Writes the script into `dir` and checks that `wrk` can be started. With `cpu`,
    /// every run is pinned to that CPU with `taskset`.
    ///
    /// # Errors
    ///
    /// When the script cannot be written or `wrk` is not installed.
    pub async fn new(
        dir: &Path,
        threads: u32,
        connections: u32,
        cpu: Option<usize>,
    ) -> io::Result<Self> {
        let script = dir.join("api-tokens-bench.lua");
        std::fs::write(&script, SCRIPT)?;

        let probe = Command::new("wrk")
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .await;
        if let Err(error) = probe {
            return Err(io::Error::new(
                error.kind(),
                format!("wrk could not be started ({error}); install it: apt-get install -y wrk"),
            ));
        }

        Ok(Self {
            script,
            threads,
            connections,
            timeout: Duration::from_secs(30),
            cpu,
        })
    }

    /// Runs wrk against `url` for `duration` and returns its summary.
    ///
    /// # Errors
    ///
    /// When wrk fails or prints no summary.
    pub async fn run(&self, url: &str, duration: Duration, auth: &Auth) -> io::Result<WrkRun> {
        let seconds = duration.as_secs().max(1);
        let mut command = match self.cpu {
            Some(cpu) => {
                let mut taskset = Command::new("taskset");
                taskset.arg("--cpu-list").arg(cpu.to_string()).arg("wrk");
                taskset
            }
            None => Command::new("wrk"),
        };
        command
            .arg(format!("--threads={}", self.threads))
            .arg(format!("--connections={}", self.connections))
            .arg(format!("--duration={seconds}s"))
            .arg(format!("--timeout={}s", self.timeout.as_secs()))
            .arg(format!("--script={}", self.script.display()))
            .arg(url)
            .arg("--");
        match auth {
            Auth::None => command.arg("none"),
            Auth::Bearer(token) => command.arg("bearer").arg(token),
            Auth::RandomTokens => command.arg("random"),
        };

        let output = command.stdin(Stdio::null()).output().await?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        let line = stdout
            .lines()
            .find_map(|line| line.strip_prefix("WRK_RESULT "))
            .ok_or_else(|| {
                io::Error::other(format!(
                    "wrk printed no summary (status {}): {}",
                    output.status,
                    String::from_utf8_lossy(&output.stderr)
                ))
            })?;
        parse_summary(line)
    }
}

fn parse_summary(line: &str) -> io::Result<WrkRun> {
    let field = |name: &str| -> io::Result<u64> {
        line.split_whitespace()
            .filter_map(|pair| pair.split_once('='))
            .find(|(key, _)| *key == name)
            .and_then(|(_, value)| value.parse::<u64>().ok())
            .ok_or_else(|| io::Error::other(format!("wrk summary lacks {name}: {line}")))
    };
    Ok(WrkRun {
        requests: field("requests")?,
        duration: Duration::from_micros(field("duration_us")?),
        socket_errors: field("socket_errors")?,
        non_2xx: field("non_2xx")?,
        p50: Duration::from_micros(field("p50_us")?),
        p99: Duration::from_micros(field("p99_us")?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_summary_line() {
        let run = parse_summary(
            "requests=5000 duration_us=2000000 socket_errors=1 non_2xx=2 p50_us=300 p99_us=900",
        )
        .expect("summary");

        assert_eq!(run.requests, 5000);
        assert_eq!(run.rps(), 2500.0);
        assert_eq!(run.non_2xx, 2);
        assert_eq!(run.p99, Duration::from_micros(900));
    }
}
