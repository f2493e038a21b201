//! A minimal HTTP/1.1 client over loopback, for the load shapes `wrk` cannot make: a
//! fixed request rate with latencies measured from when each request was due (open loop),
//! and a burst of requests that each carry a different token.
//!
//! It speaks just enough HTTP for the benchmark's own servers: keep-alive `GET`s and
//! responses with a `Content-Length`.

use std::io;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// One keep-alive connection that sends the same request over and over.
#[derive(Debug)]
pub struct Connection {
    stream: BufReader<TcpStream>,
    request: Vec<u8>,
    line: String,
}

impl Connection {
    /// Connects to `addr`; every [`send`](Self::send) will `GET path`, with
    /// `Authorization: Bearer <token>` when a token is given.
    ///
    /// # Errors
    ///
    /// When the connection cannot be opened.
    pub async fn open(addr: SocketAddr, path: &str, token: Option<&str>) -> io::Result<Self> {
        let stream = TcpStream::connect(addr).await?;
        stream.set_nodelay(true)?;

        let mut request = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\n");
        if let Some(token) = token {
            request.push_str(&format!("Authorization: Bearer {token}\r\n"));
        }
        request.push_str("\r\n");

        Ok(Self {
            stream: BufReader::new(stream),
            request: request.into_bytes(),
            line: String::new(),
        })
    }

    /// Sends the request and reads the whole response; returns its status code.
    ///
    /// # Errors
    ///
    /// On I/O errors, or a response this client does not understand.
    pub async fn send(&mut self) -> io::Result<u16> {
        self.stream.get_mut().write_all(&self.request).await?;

        let status = self.read_line().await?;
        let status = status
            .split(' ')
            .nth(1)
            .and_then(|code| code.parse::<u16>().ok())
            .ok_or_else(|| invalid("no status code"))?;

        let mut content_length = None;
        loop {
            let header = self.read_line().await?;
            if header.is_empty() {
                break;
            }
            if let Some((name, value)) = header.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                content_length = value.trim().parse::<usize>().ok();
            }
        }

        let length = content_length.ok_or_else(|| invalid("no content-length"))?;
        let mut body = vec![0; length];
        self.stream.read_exact(&mut body).await?;
        Ok(status)
    }

    async fn read_line(&mut self) -> io::Result<String> {
        self.line.clear();
        if self.stream.read_line(&mut self.line).await? == 0 {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        Ok(self.line.trim_end_matches(['\r', '\n']).to_owned())
    }
}

fn invalid(what: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, what.to_owned())
}

/// What a paced run achieved.
#[derive(Clone, Debug)]
pub struct PacedSummary {
    /// Responses received.
    pub responses: u64,
    /// Responses with status 200.
    pub ok: u64,
    /// From the first request to the last response.
    pub elapsed: Duration,
    /// Each request's latency, counted from the moment it was due rather than the moment
    /// it was sent, so a stalled client or server cannot hide its queue; sorted.
    pub latencies: Vec<Duration>,
}

impl PacedSummary {
    /// Responses per second.
    pub fn rate(&self) -> f64 {
        self.responses as f64 / self.elapsed.as_secs_f64()
    }

    /// The latency below which `percent` of the requests completed.
    pub fn percentile(&self, percent: f64) -> Duration {
        if self.latencies.is_empty() {
            return Duration::ZERO;
        }
        let rank = (percent / 100.0 * self.latencies.len() as f64).ceil() as usize;
        self.latencies[rank.clamp(1, self.latencies.len()) - 1]
    }
}

/// Sends `GET path` at `rate` requests a second in total for `duration`, spread over
/// `connections` keep-alive connections, with `Authorization: Bearer <token>` when a token
/// is given. Each connection keeps to its own schedule and catches up after a late start,
/// so the average rate holds even though timers tick only every millisecond.
///
/// # Errors
///
/// When a connection fails.
pub async fn paced_load(
    addr: SocketAddr,
    path: &str,
    token: Option<&str>,
    rate: u32,
    duration: Duration,
    connections: u32,
) -> io::Result<PacedSummary> {
    let period = Duration::from_secs_f64(f64::from(connections) / f64::from(rate.max(1)));
    let start = Instant::now() + Duration::from_millis(20);
    let deadline = start + duration;

    let mut tasks = Vec::new();
    for lane in 0..connections {
        let mut connection = Connection::open(addr, path, token).await?;
        // Stagger the lanes so their requests interleave instead of arriving together.
        let offset = period.mul_f64(f64::from(lane) / f64::from(connections));
        tasks.push(tokio::spawn(async move {
            let mut ok = 0_u64;
            let mut latencies = Vec::new();
            let mut due = start + offset;
            while due < deadline {
                tokio::time::sleep_until(due.into()).await;
                if connection.send().await? == 200 {
                    ok += 1;
                }
                latencies.push(due.elapsed());
                due += period;
            }
            Ok::<_, io::Error>((ok, latencies))
        }));
    }

    let mut summary = PacedSummary {
        responses: 0,
        ok: 0,
        elapsed: Duration::ZERO,
        latencies: Vec::new(),
    };
    for task in tasks {
        let (ok, latencies) = task.await.map_err(io::Error::other)??;
        summary.responses += latencies.len() as u64;
        summary.ok += ok;
        summary.latencies.extend(latencies);
    }
    summary.elapsed = start.elapsed();
    summary.latencies.sort_unstable();
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_use_the_nearest_rank() {
        let summary = PacedSummary {
            responses: 100,
            ok: 100,
            elapsed: Duration::from_secs(1),
            latencies: (1..=100).map(Duration::from_millis).collect(),
        };

        assert_eq!(summary.percentile(50.0), Duration::from_millis(50));
        assert_eq!(summary.percentile(99.0), Duration::from_millis(99));
        assert_eq!(summary.percentile(100.0), Duration::from_millis(100));
    }
}
