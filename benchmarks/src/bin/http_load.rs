//! `http-load`: what `ApiTokenLayer` costs a real HTTP server, on loopback.
//!
//! ```text
//! cargo run --release -p api-tokens-bench --bin http-load [-- --rounds 5 --duration 5]
//! cargo run --release -p api-tokens-bench --bin http-load -- --help
//! ```
//!
//! Starts every server in this process on `127.0.0.1` ephemeral ports and drives them with
//! `wrk` (Debian package `wrk`), then prints Markdown tables. On a machine with two CPUs or
//! more, the throughput servers run on a runtime of their own whose threads are pinned to
//! every CPU but the first, and wrk is pinned to the first (`taskset`), so the load
//! generator and the server never take turns on one core; `--no-pin` shares the CPUs.
//!
//! 1. Throughput, the variants interleaved round after round (A B C … A B C …) so that
//!    a noisy machine shifts them all alike; medians over rounds, ratios taken per round
//!    against the no-auth baseline of that round:
//!    no auth; `ApiTokenLayer` with a warm token on the in-memory and the SQLite store,
//!    and on the in-memory store with the per-token rate limiter on (at a limit never
//!    reached, so its check is paid on every request and nothing is refused);
//!    a flood of random well-formed unknown tokens (bcrypt calls counted, must be zero);
//!    a naive middleware that runs bcrypt at cost 12 on every request.
//! 2. The p99 latency of an unauthenticated route while 50 distinct cold tokens verify at
//!    once, against its idle p99, interleaved the same way.
//! 3. Last-used writes reaching the store while one token makes about 10,000 requests a
//!    second.
//!
//! Every run is bounded in time and talks to loopback only.

use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use api_tokens::{ApiTokenLayer, MemoryTokenStore, NewToken, RateLimit, TokenManager, TokenStore};
use api_tokens_bench::cli::{self, BoxError, Flag};
use api_tokens_bench::client::{Connection, paced_load};
use api_tokens_bench::counting::CountingStore;
use api_tokens_bench::naive::{NaiveBcrypt, naive_bcrypt_auth};
use api_tokens_bench::report::{
    human, load_average, machine, median, median_duration, process_cpu_time, ratio,
};
use api_tokens_bench::wrk::{Auth, Wrk, WrkRun};
use api_tokens_bench::{hello, serve};
use api_tokens_sea_orm::SeaOrmTokenStore;
use axum::Router;
use axum::routing::get;
use tokio::task::{JoinHandle, JoinSet};

type BoxResult<T> = Result<T, BoxError>;

const SUMMARY: &str =
    "http-load: what ApiTokenLayer costs a real HTTP server, on loopback (needs wrk).";

/// Cold tokens verified at once in the latency section.
const COLD_TOKENS: usize = 50;
/// The pause after each wrk run.
const SETTLE: Duration = Duration::from_secs(1);
/// Requests a second in the last-used section.
const PACED_RATE: u32 = 10_000;
/// Requests a second the latency probe sends, over this many connections.
const PROBE_RATE: u32 = 1_000;
const PROBE_CONNECTIONS: u32 = 4;

/// The throughput variants, in the order they run.
const VARIANTS: [&str; 8] = [
    "baseline",
    "baseline-random",
    "warm-memory",
    "warm-limited",
    "warm-sqlite",
    "unknown-memory",
    "unknown-sqlite",
    "naive-bcrypt",
];

const FLAGS: [Flag; 6] = [
    Flag {
        name: "--rounds",
        value: "N",
        help: "rounds of every variant (default 5)",
    },
    Flag {
        name: "--duration",
        value: "SECONDS",
        help: "length of each wrk run (default 5)",
    },
    Flag {
        name: "--connections",
        value: "N",
        help: "wrk connections (default 32)",
    },
    Flag {
        name: "--only",
        value: "VARIANT,…",
        help: "run only these throughput variants and skip the other sections",
    },
    Flag {
        name: "--no-pin",
        value: "",
        help: "let wrk and the servers share every CPU",
    },
    Flag {
        name: "--quick",
        value: "",
        help: "2 rounds of 2 s",
    },
];

#[derive(Debug)]
struct Options {
    rounds: usize,
    duration: Duration,
    connections: u32,
    /// Run only these throughput variants and skip the other sections (for profiling).
    only: Vec<String>,
    /// Keep wrk and the throughput servers on CPUs of their own.
    pin: bool,
}

impl Options {
    /// The options `args` ask for, or `None` when they ask for the usage text.
    fn parse(mut args: impl Iterator<Item = String>) -> Result<Option<Self>, String> {
        let mut options = Self {
            rounds: 5,
            duration: Duration::from_secs(5),
            connections: 32,
            only: Vec::new(),
            pin: true,
        };
        while let Some(flag) = args.next() {
            let mut number = || -> Result<u64, String> {
                cli::value_of(&flag, &mut args)?
                    .parse()
                    .map_err(|_| format!("{flag} needs a whole number"))
            };
            match flag.as_str() {
                "--rounds" => options.rounds = usize::try_from(number()?.max(1)).unwrap_or(1),
                "--duration" => options.duration = Duration::from_secs(number()?.max(1)),
                "--connections" => {
                    options.connections = u32::try_from(number()?.max(1)).unwrap_or(32);
                }
                "--only" => options.only = variant_names(&cli::value_of(&flag, &mut args)?)?,
                "--quick" => {
                    options.rounds = 2;
                    options.duration = Duration::from_secs(2);
                }
                "--no-pin" => options.pin = false,
                help if cli::is_help(help) => return Ok(None),
                other => return Err(cli::unknown_flag(other, &FLAGS)),
            }
        }
        Ok(Some(options))
    }
}

/// The variants `--only` names, checked before any server starts.
fn variant_names(list: &str) -> Result<Vec<String>, String> {
    list.split(',')
        .map(str::trim)
        .map(|name| {
            if VARIANTS.contains(&name) {
                Ok(name.to_owned())
            } else {
                Err(format!(
                    "unknown variant \"{name}\" in --only; the variants are {}",
                    VARIANTS.join(", ")
                ))
            }
        })
        .collect()
}

fn main() -> ExitCode {
    cli::exit_code(run())
}

fn run() -> Result<(), BoxError> {
    let Some(options) = Options::parse(std::env::args().skip(1))? else {
        print!("{}", cli::usage("http-load", SUMMARY, &FLAGS));
        return Ok(());
    };
    let runtime = tokio::runtime::Runtime::new()?;
    let placement = Placement::new(options.pin)?;

    let dir = std::env::temp_dir().join(format!("api-tokens-bench-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir)?;
    let outcome = runtime.block_on(measure(&options, &dir, &placement));
    let removed = std::fs::remove_dir_all(&dir);
    outcome?;
    Ok(removed?)
}

/// Which CPUs the throughput servers and wrk run on.
struct Placement {
    /// The runtime serving the throughput variants.
    servers: tokio::runtime::Runtime,
    /// The CPU wrk is pinned to, if any.
    wrk_cpu: Option<usize>,
    description: String,
}

impl Placement {
    fn new(pin: bool) -> BoxResult<Self> {
        let cores = core_affinity::get_core_ids().unwrap_or_default();
        let taskset = std::process::Command::new("taskset")
            .arg("--version")
            .output()
            .is_ok_and(|output| output.status.success());
        if !pin || cores.len() < 2 || !taskset {
            let servers = tokio::runtime::Runtime::new()?;
            let description = format!(
                "servers: Tokio, {} workers, sharing every CPU with wrk{}",
                std::thread::available_parallelism().map_or(0, usize::from),
                if pin && cores.len() >= 2 {
                    " (taskset not found)"
                } else {
                    ""
                }
            );
            return Ok(Self {
                servers,
                wrk_cpu: None,
                description,
            });
        }

        let (wrk_core, server_cores) = (cores[0], cores[1..].to_vec());
        let next = Arc::new(AtomicUsize::new(0));
        let pinned = server_cores.clone();
        let servers = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(server_cores.len())
            .enable_all()
            .on_thread_start(move || {
                let core = pinned[next.fetch_add(1, Ordering::Relaxed) % pinned.len()];
                core_affinity::set_for_current(core);
            })
            .build()?;
        let ids: Vec<String> = server_cores
            .iter()
            .map(|core| core.id.to_string())
            .collect();
        Ok(Self {
            servers,
            wrk_cpu: Some(wrk_core.id),
            description: format!(
                "servers: Tokio, {} worker(s) pinned to CPU {}; wrk pinned to CPU {}",
                server_cores.len(),
                ids.join(", "),
                wrk_core.id
            ),
        })
    }
}

async fn measure(options: &Options, dir: &Path, placement: &Placement) -> BoxResult<()> {
    println!("# HTTP load on loopback\n");
    println!("- machine: {}", machine());
    println!(
        "- wrk: 1 thread, {} connections, {} s per run, {} rounds",
        options.connections,
        options.duration.as_secs(),
        options.rounds,
    );
    println!("- throughput: {}", placement.description);
    let wrk = Wrk::new(dir, 1, options.connections, placement.wrk_cpu).await?;

    throughput(options, &wrk, dir, placement.servers.handle()).await?;
    if options.only.is_empty() {
        cold_burst_latency(options).await?;
        last_used_writes().await?;
    }

    println!("\n- load average at the end: {}", load_average());
    Ok(())
}

/// One server and how wrk drives it.
struct Variant {
    name: &'static str,
    what: &'static str,
    /// The variant whose throughput this one is compared with.
    reference: &'static str,
    addr: SocketAddr,
    auth: Auth,
    runs: Vec<WrkRun>,
    /// This process's CPU seconds per response in each run (the servers, mostly).
    cpu_per_request: Vec<Option<f64>>,
    server: JoinHandle<()>,
}

fn app() -> Router {
    Router::new().route("/", get(hello))
}

fn auth_layer(manager: &TokenManager) -> ApiTokenLayer {
    ApiTokenLayer::new(manager.clone()).with_rate_limit(None)
}

/// The layer with its per-token rate limiter on, at a limit wrk never reaches, so every
/// request pays for the limiter's check and none is refused.
fn limited_auth_layer(manager: &TokenManager) -> ApiTokenLayer {
    ApiTokenLayer::new(manager.clone())
        .with_rate_limit(Some(RateLimit::per_minute(NonZeroU32::MAX)))
}

async fn throughput(
    options: &Options,
    wrk: &Wrk,
    dir: &Path,
    servers: &tokio::runtime::Handle,
) -> BoxResult<()> {
    println!("\n## Throughput (trivial handler; rate limit off except in warm-limited)\n");

    let memory = TokenManager::builder(MemoryTokenStore::new()).build()?;
    let memory_token = memory.create("bench", NewToken::named("warm")).await?;
    let memory_token = memory_token.token.expose_secret().to_owned();

    let sqlite_store = sqlite_store(&dir.join("tokens.db")).await?;
    let sqlite = TokenManager::builder(sqlite_store.clone()).build()?;
    let sqlite_token = sqlite.create("bench", NewToken::named("warm")).await?;
    let sqlite_token = sqlite_token.token.expose_secret().to_owned();

    // The floods get managers of their own so their counters hold only flood traffic.
    let flood_memory = TokenManager::builder(MemoryTokenStore::new()).build()?;
    flood_memory
        .create("bench", NewToken::named("the only real token"))
        .await?;
    let flood_sqlite = TokenManager::builder(sqlite_store).build()?;

    let naive_token = memory_token.clone();
    let naive_hash =
        tokio::task::spawn_blocking(move || bcrypt::non_truncating_hash(&naive_token, 12))
            .await??;
    let naive = app().layer(axum::middleware::from_fn_with_state(
        NaiveBcrypt::new(&naive_hash),
        naive_bcrypt_auth,
    ));

    // Warm the caches: the throughput runs measure the warm path only.
    memory.verify(&memory_token).await?;
    sqlite.verify(&sqlite_token).await?;

    let mut variants = vec![
        variant(
            servers,
            "baseline",
            "no auth",
            "baseline",
            app(),
            Auth::None,
        )
        .await?,
        variant(
            servers,
            "baseline-random",
            "no auth; the flood's random header (client cost of the flood)",
            "baseline-random",
            app(),
            Auth::RandomTokens,
        )
        .await?,
        variant(
            servers,
            "warm-memory",
            "ApiTokenLayer, warm token, in-memory store",
            "baseline",
            app().layer(auth_layer(&memory)),
            Auth::Bearer(memory_token.clone()),
        )
        .await?,
        variant(
            servers,
            "warm-limited",
            "ApiTokenLayer, warm token, in-memory store, per-token rate limit on (never reached)",
            "baseline",
            app().layer(limited_auth_layer(&memory)),
            Auth::Bearer(memory_token.clone()),
        )
        .await?,
        variant(
            servers,
            "warm-sqlite",
            "ApiTokenLayer, warm token, SQLite file store",
            "baseline",
            app().layer(auth_layer(&sqlite)),
            Auth::Bearer(sqlite_token),
        )
        .await?,
        variant(
            servers,
            "unknown-memory",
            "ApiTokenLayer, random unknown tokens, in-memory store",
            "baseline-random",
            app().layer(auth_layer(&flood_memory)),
            Auth::RandomTokens,
        )
        .await?,
        variant(
            servers,
            "unknown-sqlite",
            "ApiTokenLayer, random unknown tokens, SQLite file store",
            "baseline-random",
            app().layer(auth_layer(&flood_sqlite)),
            Auth::RandomTokens,
        )
        .await?,
        variant(
            servers,
            "naive-bcrypt",
            "bcrypt (cost 12) on every request, no cache",
            "baseline",
            naive,
            Auth::Bearer(memory_token),
        )
        .await?,
    ];

    debug_assert!(variants.iter().map(|v| v.name).eq(VARIANTS));
    if !options.only.is_empty() {
        variants.retain(|v| options.only.iter().any(|name| name == v.name));
    }

    // One short discarded pass warms sockets, allocators and CPU frequency alike.
    for variant in &variants {
        let url = format!("http://{}/", variant.addr);
        wrk.run(&url, Duration::from_secs(1), &variant.auth).await?;
        tokio::time::sleep(SETTLE).await;
    }

    let before = (flood_memory.stats(), flood_sqlite.stats());
    for round in 1..=options.rounds {
        let mut line = format!("round {round}/{}:", options.rounds);
        for variant in &mut variants {
            let url = format!("http://{}/", variant.addr);
            let cpu_before = process_cpu_time();
            let run = wrk.run(&url, options.duration, &variant.auth).await?;
            let cpu = process_cpu_time()
                .zip(cpu_before)
                .map(|(after, before)| after.saturating_sub(before));
            variant
                .cpu_per_request
                .push(cpu.map(|cpu| cpu.as_secs_f64() / run.requests.max(1) as f64));
            // Let work still queued in the server (bcrypt, above all) drain before the next.
            tokio::time::sleep(SETTLE).await;
            line.push_str(&format!(" {} {:.0}/s;", variant.name, run.rps()));
            variant.runs.push(run);
        }
        eprintln!("{line}");
    }
    let after = (flood_memory.stats(), flood_sqlite.stats());

    print_throughput(&variants, options.rounds);

    let floods: Vec<_> = [
        ("unknown-memory", before.0, after.0),
        ("unknown-sqlite", before.1, after.1),
    ]
    .into_iter()
    .filter(|(name, ..)| variants.iter().any(|v| v.name == *name))
    .collect();
    if !floods.is_empty() {
        println!("\nUnknown-token floods, counted by the managers over the measured rounds:\n");
        println!(
            "| variant | requests refused | record reads (`find_by_lookup_id`) | lookup-id refreshes | bcrypt verifications |"
        );
        println!("| --- | ---: | ---: | ---: | ---: |");
    }
    for (name, before, after) in floods {
        let refused: u64 = variants
            .iter()
            .filter(|v| v.name == name)
            .flat_map(|v| v.runs.iter().map(|run| run.non_2xx))
            .sum();
        println!(
            "| {name} | {refused} | {} | {} | {} |",
            after.store_lookups - before.store_lookups,
            after.lookup_id_refreshes - before.lookup_id_refreshes,
            after.bcrypt_verifications - before.bcrypt_verifications
        );
    }

    for variant in variants {
        variant.server.abort();
    }
    Ok(())
}

async fn variant(
    servers: &tokio::runtime::Handle,
    name: &'static str,
    what: &'static str,
    reference: &'static str,
    router: Router,
    auth: Auth,
) -> BoxResult<Variant> {
    // Bound on the servers' runtime, so its I/O is driven there.
    let (addr, server) = servers.spawn(serve(router)).await??;
    Ok(Variant {
        name,
        what,
        reference,
        addr,
        auth,
        runs: Vec::new(),
        cpu_per_request: Vec::new(),
        server,
    })
}

fn print_throughput(variants: &[Variant], rounds: usize) {
    println!(
        "| variant | what | median req/s | ÷ reference (median of per-round ratios) | \
         p50 | p99 | server CPU per request | reference CPU ÷ this CPU | non-2xx | \
         socket errors |"
    );
    println!("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");
    for variant in variants {
        let reference = variants.iter().find(|v| v.name == variant.reference);
        let per_round = |measure: &dyn Fn(&Variant, usize) -> Option<f64>| -> Vec<f64> {
            reference.map_or_else(Vec::new, |reference| {
                (0..rounds)
                    .filter_map(|round| Some(measure(variant, round)? / measure(reference, round)?))
                    .collect()
            })
        };
        let ratios = per_round(&|v, round| Some(v.runs[round].rps()));
        // Inverted, so that above 1 means cheaper than the reference, like throughput.
        let cpu_ratios = per_round(&|v, round| v.cpu_per_request[round].map(f64::recip));
        let versus = |ratios: &[f64]| {
            if variant.name == variant.reference {
                "1 (reference)".to_owned()
            } else if ratios.is_empty() {
                "—".to_owned()
            } else {
                format!("{} {}", ratio(median(ratios)), variant.reference)
            }
        };
        let rps: Vec<f64> = variant.runs.iter().map(WrkRun::rps).collect();
        let p50: Vec<Duration> = variant.runs.iter().map(|run| run.p50).collect();
        let p99: Vec<Duration> = variant.runs.iter().map(|run| run.p99).collect();
        let cpu: Vec<f64> = variant.cpu_per_request.iter().flatten().copied().collect();
        println!(
            "| {} | {} | {:.0} | {} | {} | {} | {} | {} | {} | {} |",
            variant.name,
            variant.what,
            median(&rps),
            versus(&ratios),
            human(median_duration(&p50)),
            human(median_duration(&p99)),
            if cpu.is_empty() {
                "—".to_owned()
            } else {
                human(Duration::from_secs_f64(median(&cpu)))
            },
            versus(&cpu_ratios),
            variant.runs.iter().map(|run| run.non_2xx).sum::<u64>(),
            variant
                .runs
                .iter()
                .map(|run| run.socket_errors)
                .sum::<u64>(),
        );
    }
}

async fn sqlite_store(path: &Path) -> BoxResult<SeaOrmTokenStore> {
    let store = SeaOrmTokenStore::connect(&format!("sqlite://{}", path.display())).await?;
    api_tokens_sea_orm::migrate(store.connection()).await?;
    Ok(store)
}

/// Section 2: an unauthenticated route's p99 while cold verifications saturate bcrypt.
///
/// The probe is open loop: a fixed, light request rate whose latencies count from when each
/// request was due. A closed-loop generator such as wrk would instead measure how the CPU
/// is shared: it saturates the machine even when idle, so any extra work lowers its rate.
async fn cold_burst_latency(options: &Options) -> BoxResult<()> {
    println!(
        "\n## Unauthenticated p99 while {COLD_TOKENS} cold tokens verify at once \
         (open-loop probe: {PROBE_RATE} requests/s on /health over {PROBE_CONNECTIONS} \
         connections)\n"
    );

    let store: Arc<dyn TokenStore> = Arc::new(MemoryTokenStore::new());
    let tokens = create_tokens(&store, COLD_TOKENS).await?;
    let bcrypt_time = time_one_bcrypt(&tokens[0].0, &tokens[0].1).await?;

    println!(
        "One bcrypt verification at cost 12 takes {} here.\n",
        human(bcrypt_time)
    );
    println!(
        "| hashing concurrency | idle p50 | idle p99 | burst p50 | burst p99 | \
         p99 ratio (median of rounds) | probe window | bcrypt busy for the whole window |"
    );
    println!("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |");

    let cpus = std::thread::available_parallelism().map_or(2, usize::from);
    let default = TokenManager::builder_shared(Arc::clone(&store))
        .build()?
        .config()
        .hashing_concurrency;
    let mut concurrencies = vec![default, cpus];
    concurrencies.dedup();
    for concurrency in concurrencies {
        // The burst keeps bcrypt busy for about COLD_TOKENS × bcrypt_time / concurrency;
        // the probe must end well inside it.
        let busy = bcrypt_time.mul_f64(COLD_TOKENS as f64 / concurrency as f64);
        let window = options.duration.min(busy.mul_f64(0.7));

        let mut rounds = Vec::new();
        let mut covered = true;
        for round in 0..options.rounds.min(3) {
            let manager = TokenManager::builder_shared(Arc::clone(&store))
                .with_hashing_concurrency(concurrency)
                .build()?;
            let open = Router::new().route("/health", get(hello));
            let protected = Router::new()
                .route("/api", get(hello))
                .layer(auth_layer(&manager));
            let (addr, server) = serve(open.merge(protected)).await?;
            let probe = || paced_load(addr, "/health", None, PROBE_RATE, window, PROBE_CONNECTIONS);

            let quiet = probe().await?;

            let burst = start_burst(addr, &tokens);
            tokio::time::sleep(Duration::from_millis(100)).await;
            let loaded = probe().await?;
            let started = manager.stats().bcrypt_verifications;
            if started >= COLD_TOKENS as u64 && burst.is_finished() {
                covered = false;
            }

            // Dropping the requests cancels the queued verifications; the few already on
            // the blocking pool finish within one bcrypt time.
            drop(burst);
            server.abort();
            tokio::time::sleep(bcrypt_time.mul_f64(1.5)).await;

            eprintln!(
                "burst round {}: concurrency {concurrency}, idle p99 {}, burst p99 {}, \
                 {started} cold verifications started",
                round + 1,
                human(quiet.percentile(99.0)),
                human(loaded.percentile(99.0)),
            );
            rounds.push((quiet, loaded));
        }

        let pick = |loaded: bool, percent: f64| -> Vec<Duration> {
            rounds
                .iter()
                .map(|(quiet, busy)| if loaded { busy } else { quiet }.percentile(percent))
                .collect()
        };
        let ratios: Vec<f64> = rounds
            .iter()
            .map(|(quiet, busy)| {
                busy.percentile(99.0).as_secs_f64() / quiet.percentile(99.0).as_secs_f64()
            })
            .collect();
        println!(
            "| {concurrency}{} | {} | {} | {} | {} | {:.2}× | {:.1} s | {} |",
            match concurrency {
                _ if concurrency == default => " (default)",
                _ if concurrency == cpus => " (one per CPU)",
                _ => "",
            },
            human(median_duration(&pick(false, 50.0))),
            human(median_duration(&pick(false, 99.0))),
            human(median_duration(&pick(true, 50.0))),
            human(median_duration(&pick(true, 99.0))),
            median(&ratios),
            window.as_secs_f64(),
            if covered { "yes" } else { "NO" },
        );
    }
    Ok(())
}

/// Creates `count` tokens, each for an owner of its own, and returns the plaintext with
/// the stored hash.
async fn create_tokens(
    store: &Arc<dyn TokenStore>,
    count: usize,
) -> BoxResult<Vec<(String, String)>> {
    let creator = TokenManager::builder_shared(Arc::clone(store)).build()?;
    let mut tasks = Vec::new();
    for n in 0..count {
        let creator = creator.clone();
        tasks.push(tokio::spawn(async move {
            creator
                .create(&format!("burst-{n}"), NewToken::named("cold"))
                .await
        }));
    }

    let mut tokens = Vec::new();
    for task in tasks {
        let created = task.await??;
        tokens.push((
            created.token.expose_secret().to_owned(),
            created.record.hash.as_str().to_owned(),
        ));
    }
    Ok(tokens)
}

async fn time_one_bcrypt(token: &str, hash: &str) -> BoxResult<Duration> {
    let (token, hash) = (token.to_owned(), hash.to_owned());
    let elapsed = tokio::task::spawn_blocking(move || {
        let start = Instant::now();
        let matched = bcrypt::non_truncating_verify(&token, &hash).unwrap_or(false);
        (matched, start.elapsed())
    })
    .await?;
    match elapsed {
        (true, elapsed) => Ok(elapsed),
        (false, _) => Err("the token does not match its own hash".into()),
    }
}

/// Sends one request per token, all at once, each on a connection of its own. Dropping the
/// returned set cancels the requests still running.
fn start_burst(addr: SocketAddr, tokens: &[(String, String)]) -> Burst {
    let done = Arc::new(AtomicUsize::new(0));
    let mut requests = JoinSet::new();
    for (token, _) in tokens {
        let (token, done) = (token.clone(), Arc::clone(&done));
        requests.spawn(async move {
            let mut connection = Connection::open(addr, "/api", Some(&token)).await?;
            let status = connection.send().await;
            done.fetch_add(1, Ordering::Relaxed);
            status
        });
    }
    Burst {
        _requests: requests,
        done,
        count: tokens.len(),
    }
}

/// Requests in flight, each presenting a different cold token.
struct Burst {
    _requests: JoinSet<std::io::Result<u16>>,
    done: Arc<AtomicUsize>,
    count: usize,
}

impl Burst {
    fn is_finished(&self) -> bool {
        self.done.load(Ordering::Relaxed) >= self.count
    }
}

/// Section 3: last-used writes under a steady 10,000 requests a second from one token.
async fn last_used_writes() -> BoxResult<()> {
    let duration = Duration::from_secs(10);
    println!(
        "\n## Last-used writes at ~{PACED_RATE} requests/s, one token, {} s per run\n",
        duration.as_secs()
    );
    println!(
        "| interval | requests/s reached | 200 responses | writes started (stats) | \
         writes reaching the store | allowed (first + one per elapsed interval) | \
         shortest gap between writes | after shutdown flush |"
    );
    println!("| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |");

    for interval in [Duration::from_secs(1), Duration::from_secs(60)] {
        let (store, counters) = CountingStore::new(MemoryTokenStore::new());
        let manager = TokenManager::builder(store)
            .with_last_used_interval(interval)
            .build()?;
        let token = manager.create("bench", NewToken::named("busy")).await?;
        let token = token.token.expose_secret().to_owned();
        let (addr, server) = serve(app().layer(auth_layer(&manager))).await?;

        // The client runs on a thread and runtime of its own, apart from the server's.
        let summary = tokio::task::spawn_blocking(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime.block_on(paced_load(
                addr,
                "/",
                Some(&token),
                PACED_RATE,
                duration,
                16,
            ))
        })
        .await??;
        tokio::time::sleep(Duration::from_millis(100)).await;

        let touches = counters.touches();
        let started = manager.stats().last_used_writes;
        manager.shutdown().await;
        let flushed = counters.touches().len();
        server.abort();

        let intervals = (summary.elapsed.as_secs_f64() / interval.as_secs_f64()).floor();
        let allowed = intervals as usize + 1;
        let shortest_gap = touches
            .windows(2)
            .map(|pair| pair[1] - pair[0])
            .min()
            .map_or_else(|| "—".to_owned(), human);
        println!(
            "| {} s | {:.0} | {} | {started} | {} | {allowed} | {shortest_gap} | {flushed} |",
            interval.as_secs(),
            summary.rate(),
            summary.ok,
            touches.len(),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Option<Options>, String> {
        Options::parse(args.iter().map(|arg| (*arg).to_owned()))
    }

    #[test]
    fn only_accepts_known_variants() {
        let options = parse(&["--only", "baseline, naive-bcrypt"])
            .expect("valid")
            .expect("options");
        assert_eq!(options.only, ["baseline", "naive-bcrypt"]);

        let error = parse(&["--only", "baseline,nosuch"]).expect_err("unknown variant");
        assert!(error.starts_with("unknown variant \"nosuch\" in --only; the variants are"));
    }

    #[test]
    fn help_and_unknown_flags() {
        assert!(parse(&["--quick", "--help"]).expect("help").is_none());
        assert!(
            parse(&["--nope"])
                .expect_err("unknown flag")
                .starts_with("unknown argument --nope; the flags are --rounds,")
        );
    }
}
