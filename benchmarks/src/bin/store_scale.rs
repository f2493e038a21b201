//! `store-scale`: does the SQL store slow down as the token table grows?
//!
//! ```text
//! cargo run --release -p api-tokens-bench --bin store-scale \
//!     [-- --sizes 100,100000 --backends sqlite,postgres --iterations 500 --cold 10]
//! cargo run --release -p api-tokens-bench --bin store-scale -- --help
//! ```
//!
//! For each backend it builds one database per table size: an SQLite file in a temporary
//! directory, or a fresh PostgreSQL database on the server at `--postgres-url` (default
//! `postgres://postgres@127.0.0.1:5432/postgres`) that is dropped at the end, whether the
//! run succeeds or not. Each table
//! holds one probe token plus filler rows, ten per owner, inserted in batches of 1,000
//! with SeaORM and one precomputed bcrypt hash: the table is realistic, only the hashing
//! is skipped. `ANALYZE` runs after the load, as autovacuum would do on a live database.
//!
//! Then it times, interleaving every database on every iteration:
//!
//! - the cold path's read, `find_by_lookup_id`, for the probe and for unknown lookup ids;
//! - `manager.list(owner, 1, 20)` for an owner with ten tokens;
//! - `lookup_ids_created_since`: a refresh of a manager's set of lookup ids (the last five
//!   minutes) and the first load (every lookup id);
//! - a full cold verification (fresh manager with its lookup ids loaded, bcrypt at cost
//!   12) next to a bare bcrypt verify of the same token, so the cold/bare ratio is
//!   visible per store.
//!
//! and prints medians and the ratio of the largest table to the smallest.

use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use api_tokens::{
    ExpiryPolicy, PermissionSet, TokenHash, TokenManager, TokenRecord, TokenSecret, TokenStore,
};
use api_tokens_bench::cli::{self, BoxError, Flag};
use api_tokens_bench::report::{human, load_average, machine, median, median_duration};
use api_tokens_sea_orm::SeaOrmTokenStore;
use api_tokens_sea_orm::entity::{Entity, Model};
use chrono::{SubsecRound, Utc};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, Database, DatabaseConnection, EntityTrait, IntoActiveModel,
};
use url::Url;
use uuid::Uuid;

type BoxResult<T> = Result<T, BoxError>;

const SUMMARY: &str = "store-scale: does the SQL store slow down as the token table grows?";

const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";
/// The owner the probe token and nine fillers belong to.
const PROBE_OWNER: &str = "probe-owner";
const TOKENS_PER_OWNER: usize = 10;
const BATCH: usize = 1_000;

const FLAGS: [Flag; 5] = [
    Flag {
        name: "--sizes",
        value: "N,…",
        help: "tokens per table (default 100,100000)",
    },
    Flag {
        name: "--backends",
        value: "sqlite,postgres",
        help: "stores to measure (default both)",
    },
    Flag {
        name: "--iterations",
        value: "N",
        help: "lookups and lists per database (default 500)",
    },
    Flag {
        name: "--cold",
        value: "N",
        help: "cold verifications per database (default 10)",
    },
    Flag {
        name: "--postgres-url",
        value: "URL",
        help: "PostgreSQL server to create the databases on (default \
               $API_TOKENS_BENCH_POSTGRES_URL or postgres://postgres@127.0.0.1:5432/postgres)",
    },
];

#[derive(Debug)]
struct Options {
    sizes: Vec<usize>,
    backends: Vec<Backend>,
    iterations: usize,
    cold: usize,
    /// The server to create the PostgreSQL databases on, when PostgreSQL is measured.
    postgres: Option<Url>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    fn name(self) -> &'static str {
        match self {
            Self::Sqlite => "SQLite (file, WAL)",
            Self::Postgres => "PostgreSQL",
        }
    }
}

impl Options {
    /// The options `args` ask for, or `None` when they ask for the usage text.
    fn parse(mut args: impl Iterator<Item = String>) -> Result<Option<Self>, String> {
        let mut options = Self {
            sizes: vec![100, 100_000],
            backends: vec![Backend::Sqlite, Backend::Postgres],
            iterations: 500,
            cold: 10,
            postgres: None,
        };
        let mut postgres_url = std::env::var("API_TOKENS_BENCH_POSTGRES_URL")
            .unwrap_or_else(|_| DEFAULT_POSTGRES_URL.to_owned());
        while let Some(flag) = args.next() {
            let mut value = || cli::value_of(&flag, &mut args);
            match flag.as_str() {
                "--sizes" => options.sizes = parse_sizes(&value()?)?,
                "--backends" => options.backends = parse_backends(&value()?)?,
                "--iterations" => options.iterations = whole_number(&flag, &value()?)?.max(1),
                "--cold" => options.cold = whole_number(&flag, &value()?)?.max(1),
                "--postgres-url" => postgres_url = value()?,
                help if cli::is_help(help) => return Ok(None),
                other => return Err(cli::unknown_flag(other, &FLAGS)),
            }
        }

        // A bad URL is reported now, not after the SQLite tables have loaded.
        if options.backends.contains(&Backend::Postgres) {
            options.postgres = Some(server_url(&postgres_url)?);
        }
        Ok(Some(options))
    }
}

fn whole_number(flag: &str, value: &str) -> Result<usize, String> {
    value
        .parse()
        .map_err(|_| format!("{flag} needs a whole number"))
}

/// The table sizes in `list`, ascending, each at least one owner's worth of tokens.
fn parse_sizes(list: &str) -> Result<Vec<usize>, String> {
    let mut sizes = list
        .split(',')
        .map(|size| {
            size.trim()
                .parse::<usize>()
                .map(|n| n.max(TOKENS_PER_OWNER))
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| "--sizes takes numbers separated by commas".to_owned())?;
    sizes.sort_unstable();
    sizes.dedup();
    Ok(sizes)
}

/// The backends in `list`, each once: two databases of one backend and size would share
/// a name in the results (and, for SQLite, a file).
fn parse_backends(list: &str) -> Result<Vec<Backend>, String> {
    let mut backends = Vec::new();
    for name in list.split(',') {
        let backend = match name.trim() {
            "sqlite" => Backend::Sqlite,
            "postgres" => Backend::Postgres,
            other => {
                return Err(format!(
                    "unknown backend \"{other}\" in --backends; use sqlite, postgres or both"
                ));
            }
        };
        if !backends.contains(&backend) {
            backends.push(backend);
        }
    }
    Ok(backends)
}

/// The PostgreSQL server URL, checked enough that a database's URL can be made from it.
fn server_url(raw: &str) -> Result<Url, String> {
    const EXPECTED: &str = "expected postgres://USER@HOST:PORT[/DATABASE]";
    let url = Url::parse(raw)
        .map_err(|error| format!("--postgres-url is not a URL ({error}); {EXPECTED}"))?;
    if !matches!(url.scheme(), "postgres" | "postgresql") || url.cannot_be_a_base() {
        return Err(format!(
            "--postgres-url {} is not a PostgreSQL URL; {EXPECTED}",
            redacted(&url)
        ));
    }
    Ok(url)
}

/// The URL of database `name` on `server`: the path replaced or added, the user, host,
/// port and query parameters kept.
fn database_url(server: &Url, name: &str) -> String {
    let mut url = server.clone();
    url.set_path(name);
    url.into()
}

/// `url` with its password masked, for messages.
fn redacted(url: &Url) -> String {
    let mut url = url.clone();
    if url.password().is_some() {
        // Fails only for URLs that cannot have a password, and this one has one.
        let _ = url.set_password(Some("***"));
    }
    url.into()
}

/// The token every database holds, with its plaintext.
struct Probe {
    token: String,
    record: TokenRecord,
}

impl Probe {
    fn new() -> BoxResult<Self> {
        let secret = TokenSecret::generate();
        let token = secret.expose_secret().to_owned();
        let hash = bcrypt::non_truncating_hash(&token, 12)?;
        let record = TokenRecord {
            id: Uuid::now_v7(),
            owner_id: PROBE_OWNER.to_owned(),
            name: "probe".to_owned(),
            description: Some("the token the benchmark verifies".to_owned()),
            permissions: PermissionSet::from_scope_string("read"),
            lookup_id: secret.lookup_id().to_owned(),
            hash: TokenHash::from_stored(hash),
            created_at: Utc::now(),
            last_used_at: None,
            expires_at: None,
            revoked_at: None,
        };
        Ok(Self { token, record })
    }

    /// A filler row: another token's record with the probe's hash (never verified).
    /// Filler `n` of `size`: created a minute after filler `n - 1`, the last one an hour
    /// ago, so a table of 100,000 spans ten weeks and lookup-id refreshes (which read the
    /// last few minutes) see only the probe, as on a live table.
    fn filler(&self, n: usize, size: usize) -> Model {
        let owner = match n {
            n if n < TOKENS_PER_OWNER - 1 => PROBE_OWNER.to_owned(),
            n => format!("owner-{}", n / TOKENS_PER_OWNER),
        };
        let minutes_ago = i64::try_from(size - n).unwrap_or(i64::MAX) + 60;
        let created_at = (Utc::now() - chrono::Duration::minutes(minutes_ago)).trunc_subsecs(6);
        let since_epoch = created_at.timestamp();
        let id = Uuid::new_v7(uuid::Timestamp::from_unix(
            uuid::NoContext,
            u64::try_from(since_epoch).unwrap_or(0),
            created_at.timestamp_subsec_nanos(),
        ));
        let record = TokenRecord {
            id,
            created_at,
            owner_id: owner,
            name: format!("filler {n}"),
            description: None,
            lookup_id: TokenSecret::generate().lookup_id().to_owned(),
            ..self.record.clone()
        };
        Model::from(record)
    }
}

/// One database of one size, with the manager used for listing.
struct ScaleDb {
    backend: Backend,
    size: usize,
    store: Arc<SeaOrmTokenStore>,
    manager: TokenManager,
    load_time: Duration,
    lookups: Vec<Duration>,
    unknown_lookups: Vec<Duration>,
    lists: Vec<Duration>,
    refreshes: Vec<Duration>,
    full_loads: Vec<Duration>,
    colds: Vec<Duration>,
}

impl ScaleDb {
    /// Creates and fills the database. A PostgreSQL database goes into `scratches` the
    /// moment it exists, for the caller to drop whatever happens next, even if this
    /// future is cancelled; an SQLite file goes with `dir`.
    async fn create(
        backend: Backend,
        size: usize,
        options: &Options,
        dir: &std::path::Path,
        probe: &Probe,
        scratches: &mut Vec<ScratchDatabase>,
    ) -> BoxResult<Self> {
        match backend {
            Backend::Sqlite => {
                let path = dir.join(format!("tokens-{size}.db"));
                Self::open(
                    backend,
                    size,
                    &format!("sqlite://{}", path.display()),
                    probe,
                )
                .await
            }
            Backend::Postgres => {
                let Some(server) = &options.postgres else {
                    return Err("no PostgreSQL server to create the database on".into());
                };
                let name = format!("api_tokens_bench_{size}_{}", Uuid::now_v7().simple());
                let scratch = ScratchDatabase::create(server, name).await?;
                let url = database_url(server, &scratch.name);
                scratches.push(scratch);
                Self::open(backend, size, &url, probe).await
            }
        }
    }

    /// Connects to the database at `url` and fills it.
    async fn open(backend: Backend, size: usize, url: &str, probe: &Probe) -> BoxResult<Self> {
        let store = SeaOrmTokenStore::connect(url).await.map_err(|error| {
            format!(
                "could not connect to the database: {}",
                cli::describe(&error)
            )
        })?;
        let store = Arc::new(store);
        let manager =
            TokenManager::builder_shared(Arc::clone(&store) as Arc<dyn TokenStore>).build()?;
        let mut db = Self {
            backend,
            size,
            store,
            manager,
            load_time: Duration::ZERO,
            lookups: Vec::new(),
            unknown_lookups: Vec::new(),
            lists: Vec::new(),
            refreshes: Vec::new(),
            full_loads: Vec::new(),
            colds: Vec::new(),
        };
        db.load(probe).await?;
        Ok(db)
    }

    async fn load(&mut self, probe: &Probe) -> BoxResult<()> {
        let started = Instant::now();
        let connection = self.store.connection();
        api_tokens_sea_orm::migrate(connection).await?;

        let filter = ExpiryPolicy::default().active_filter(Utc::now());
        self.store
            .insert(probe.record.clone(), TOKENS_PER_OWNER as u32, filter)
            .await?;
        let fillers: Vec<usize> = (0..self.size - 1).collect();
        for batch in fillers.chunks(BATCH) {
            let models = batch
                .iter()
                .map(|n| probe.filler(*n, self.size).into_active_model().reset_all());
            Entity::insert_many(models)
                .exec_without_returning(connection)
                .await?;
        }
        connection.execute_unprepared("ANALYZE").await?;

        self.load_time = started.elapsed();
        Ok(())
    }
}

/// A database this program created on the PostgreSQL server.
struct ScratchDatabase {
    /// The connection to the server's own database, which created this one.
    admin: DatabaseConnection,
    name: String,
}

impl ScratchDatabase {
    async fn create(server: &Url, name: String) -> BoxResult<Self> {
        let admin = Database::connect(api_tokens_sea_orm::connect_options(server.as_str()))
            .await
            .map_err(|error| {
                format!(
                    "could not connect to the PostgreSQL server at {}: {}",
                    redacted(server),
                    cli::describe(&error)
                )
            })?;
        admin
            .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
            .await
            .map_err(|error| {
                format!(
                    "could not create database {name}: {}",
                    cli::describe(&error)
                )
            })?;
        Ok(Self { admin, name })
    }

    /// Drops the database, ending the connections still open to it. A failure is only
    /// reported, so that the other databases are still dropped.
    async fn remove(self) {
        let Self { admin, name } = self;
        let dropped = admin
            .execute_unprepared(&format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)"))
            .await;
        if let Err(error) = dropped {
            eprintln!(
                "warning: could not drop database {name}, drop it by hand: {}",
                cli::describe(&error)
            );
        }
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    cli::exit_code(run().await)
}

async fn run() -> BoxResult<()> {
    let Some(options) = Options::parse(std::env::args().skip(1))? else {
        print!("{}", cli::usage("store-scale", SUMMARY, &FLAGS));
        return Ok(());
    };

    println!("# Store scale\n");
    println!("- machine: {}", machine());
    println!(
        "- {} lookups and lists per database, {} cold verifications, interleaved",
        options.iterations, options.cold
    );
    let probe = Probe::new()?;

    // Whatever fails, every database created is dropped and the directory removed before
    // the first error is returned.
    let dir = std::env::temp_dir().join(format!("api-tokens-scale-{}", Uuid::now_v7()));
    std::fs::create_dir_all(&dir)?;
    let mut scratches = Vec::new();
    let mut dbs = Vec::new();
    let work = async {
        create_all(&options, &dir, &probe, &mut dbs, &mut scratches).await?;
        measure(&mut dbs, &probe, &options).await
    };
    // Ctrl-C ends the work, not the program, so the clean-up below still runs.
    let outcome = tokio::select! {
        outcome = work => outcome,
        _ = tokio::signal::ctrl_c() => Err("interrupted; the databases created so far are dropped".into()),
    };
    // Connections first: a database is dropped more readily with none left open to it.
    drop(dbs);
    for scratch in scratches {
        scratch.remove().await;
    }
    let removed = std::fs::remove_dir_all(&dir);
    outcome?;
    removed?;

    println!("\n- load average at the end: {}", load_average());
    Ok(())
}

/// Creates and fills a database for every backend and size into `dbs`; the PostgreSQL
/// ones are also noted in `scratches` as soon as they exist, so that the caller drops
/// them even when a later step fails or the run is interrupted.
async fn create_all(
    options: &Options,
    dir: &std::path::Path,
    probe: &Probe,
    dbs: &mut Vec<ScaleDb>,
    scratches: &mut Vec<ScratchDatabase>,
) -> BoxResult<()> {
    for &backend in &options.backends {
        for &size in &options.sizes {
            let db = ScaleDb::create(backend, size, options, dir, probe, scratches)
                .await
                .map_err(|error| {
                    format!(
                        "{} with {size} tokens: {}",
                        backend.name(),
                        cli::describe(error.as_ref())
                    )
                })?;
            eprintln!(
                "{} with {size} tokens loaded in {:.1} s",
                backend.name(),
                db.load_time.as_secs_f64()
            );
            dbs.push(db);
        }
    }
    Ok(())
}

async fn measure(dbs: &mut [ScaleDb], probe: &Probe, options: &Options) -> BoxResult<()> {
    let warmup = (options.iterations / 10).max(5);
    for iteration in 0..warmup + options.iterations {
        let unknown = TokenSecret::generate();
        for db in dbs.iter_mut() {
            let (lookup, found) = timed(db.store.find_by_lookup_id(&probe.record.lookup_id)).await;
            let (unknown_lookup, missing) =
                timed(db.store.find_by_lookup_id(unknown.lookup_id())).await;
            let (list, page) = timed(db.manager.list(PROBE_OWNER, 1, 20)).await;
            // What each refresh of a manager's lookup-id set reads: the last five minutes.
            let recent = Utc::now() - chrono::Duration::minutes(5);
            let (refresh, fresh) = timed(db.store.lookup_ids_created_since(Some(recent))).await;
            if found?.is_none()
                || missing?.is_some()
                || page?.tokens.len() != TOKENS_PER_OWNER
                || fresh?.is_none()
            {
                return Err(format!(
                    "{} with {} tokens answered wrongly",
                    db.backend.name(),
                    db.size
                )
                .into());
            }
            if iteration >= warmup {
                db.lookups.push(lookup);
                db.unknown_lookups.push(unknown_lookup);
                db.lists.push(list);
                db.refreshes.push(refresh);
            }
        }
    }

    let mut bare = Vec::new();
    for _ in 0..options.cold {
        let (token, hash) = (probe.token.clone(), probe.record.hash.as_str().to_owned());
        bare.push(
            tokio::task::spawn_blocking(move || {
                let start = Instant::now();
                let _ = bcrypt::non_truncating_verify(&token, &hash);
                start.elapsed()
            })
            .await?,
        );
        for db in dbs.iter_mut() {
            let (full_load, all) = timed(db.store.lookup_ids_created_since(None)).await;
            if all?.map(|ids| ids.len()) != Some(db.size) {
                return Err("the full list of lookup ids has the wrong length".into());
            }
            db.full_loads.push(full_load);

            // A fresh manager has an empty cache. Its set of lookup ids is loaded first (in
            // a running service that happens once, in the background, after the first cache
            // miss), so the timed verification is a cold token in a warm process. Its
            // last-used write is flushed untimed.
            let manager =
                TokenManager::builder_shared(Arc::clone(&db.store) as Arc<dyn TokenStore>)
                    .build()?;
            wait_for_lookup_ids(&manager).await?;
            let (cold, verified) = timed(manager.verify(&probe.token)).await;
            verified?;
            manager.shutdown().await;
            db.colds.push(cold);
        }
    }

    print_results(dbs, &bare);
    Ok(())
}

/// Sends unknown tokens until one is refused without a record read.
async fn wait_for_lookup_ids(manager: &TokenManager) -> BoxResult<()> {
    for _ in 0..2_000 {
        let reads = manager.stats().store_lookups;
        let unknown = TokenSecret::generate();
        let _ = manager.verify(unknown.expose_secret()).await;
        if manager.stats().store_lookups == reads {
            return Ok(());
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    Err("the manager's set of lookup ids never loaded".into())
}

async fn timed<T>(work: impl Future<Output = T>) -> (Duration, T) {
    let start = Instant::now();
    let value = work.await;
    (start.elapsed(), value)
}

fn print_results(dbs: &[ScaleDb], bare: &[Duration]) {
    println!(
        "\nBare bcrypt verify at cost 12 (median): {}\n",
        human(median_duration(bare))
    );
    println!("| backend | operation | {} | ratio largest ÷ smallest |", {
        let sizes: Vec<String> = sizes(dbs).iter().map(|s| format!("{s} tokens")).collect();
        sizes.join(" | ")
    });
    println!("| --- | --- |{} ---: |", " ---: |".repeat(sizes(dbs).len()));

    type Pick = fn(&ScaleDb) -> &[Duration];
    let operations: [(&str, Pick); 6] = [
        ("find_by_lookup_id (probe)", |db| &db.lookups),
        ("find_by_lookup_id (unknown)", |db| &db.unknown_lookups),
        ("list(owner, 1, 20)", |db| &db.lists),
        ("lookup_ids_created_since(5 min ago): one refresh", |db| {
            &db.refreshes
        }),
        ("lookup_ids_created_since(None): the first load", |db| {
            &db.full_loads
        }),
        ("cold verify (lookup + bcrypt 12)", |db| &db.colds),
    ];
    let mut backends: Vec<Backend> = dbs.iter().map(|db| db.backend).collect();
    backends.dedup();
    for backend in backends {
        let of_backend: Vec<&ScaleDb> = dbs.iter().filter(|db| db.backend == backend).collect();
        for (name, pick) in operations {
            let medians: Vec<Duration> = of_backend
                .iter()
                .map(|db| median_duration(pick(db)))
                .collect();
            let ratio = match (medians.first(), medians.last()) {
                (Some(small), Some(large)) if !small.is_zero() => {
                    format!("{:.2}×", large.as_secs_f64() / small.as_secs_f64())
                }
                _ => "—".to_owned(),
            };
            let cells: Vec<String> = medians.iter().map(|m| human(*m)).collect();
            println!(
                "| {} | {name} | {} | {ratio} |",
                backend.name(),
                cells.join(" | ")
            );
        }
    }

    println!("\nCold verification against bare bcrypt, run back to back in each iteration:\n");
    println!(
        "| backend | tokens | cold verify (median) | bare bcrypt (median) | cold ÷ bare (median of per-iteration ratios) |"
    );
    println!("| --- | ---: | ---: | ---: | ---: |");
    for db in dbs {
        let ratios: Vec<f64> = db
            .colds
            .iter()
            .zip(bare)
            .map(|(cold, bare)| cold.as_secs_f64() / bare.as_secs_f64())
            .collect();
        println!(
            "| {} | {} | {} | {} | {:.3}× |",
            db.backend.name(),
            db.size,
            human(median_duration(&db.colds)),
            human(median_duration(bare)),
            median(&ratios)
        );
    }

    println!("\nLoading (migrations, probe, fillers in batches of {BATCH}, ANALYZE):\n");
    for db in dbs {
        println!(
            "- {} with {} tokens: {:.1} s",
            db.backend.name(),
            db.size,
            db.load_time.as_secs_f64()
        );
    }
}

fn sizes(dbs: &[ScaleDb]) -> Vec<usize> {
    let mut sizes: Vec<usize> = dbs.iter().map(|db| db.size).collect();
    sizes.sort_unstable();
    sizes.dedup();
    sizes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Option<Options>, String> {
        Options::parse(args.iter().map(|arg| (*arg).to_owned()))
    }

    fn server(raw: &str) -> Url {
        server_url(raw).expect("a PostgreSQL URL")
    }

    #[test]
    fn help_asks_for_the_usage_text() {
        assert!(parse(&["--help"]).expect("help").is_none());
        assert!(parse(&["--sizes", "100", "-h"]).expect("help").is_none());
    }

    #[test]
    fn unknown_flags_and_missing_values_are_errors() {
        let error = parse(&["--quick"]).expect_err("unknown flag");
        assert!(error.starts_with("unknown argument --quick; the flags are --sizes,"));
        assert_eq!(
            parse(&["--sizes"]).expect_err("no value"),
            "--sizes needs a value"
        );
    }

    #[test]
    fn backends_and_sizes_are_kept_once() {
        let options = parse(&["--backends", "sqlite,sqlite", "--sizes", "5,100,10"])
            .expect("valid")
            .expect("options");
        assert_eq!(options.backends, [Backend::Sqlite]);
        assert_eq!(options.sizes, [TOKENS_PER_OWNER, 100]);
    }

    #[test]
    fn a_bad_postgres_url_is_refused_up_front() {
        assert!(parse(&["--backends", "postgres", "--postgres-url", "127.0.0.1:5432"]).is_err());
        assert!(parse(&["--backends", "postgres", "--postgres-url", "mysql://h/db"]).is_err());
        assert!(parse(&["--backends", "sqlite", "--postgres-url", "nonsense"]).is_ok());
    }

    #[test]
    fn database_urls_replace_or_add_the_path() {
        let name = "api_tokens_bench_100";
        assert_eq!(
            database_url(&server("postgres://postgres@127.0.0.1:5432"), name),
            "postgres://postgres@127.0.0.1:5432/api_tokens_bench_100"
        );
        assert_eq!(
            database_url(&server("postgres://postgres@127.0.0.1:5432/postgres"), name),
            "postgres://postgres@127.0.0.1:5432/api_tokens_bench_100"
        );
        assert_eq!(
            database_url(
                &server("postgresql://u:p@db/postgres?sslmode=disable"),
                name
            ),
            "postgresql://u:p@db/api_tokens_bench_100?sslmode=disable"
        );
    }

    #[test]
    fn passwords_are_masked_in_messages() {
        assert_eq!(
            redacted(&server("postgres://user:secret@db:5432/postgres")),
            "postgres://user:***@db:5432/postgres"
        );
        assert_eq!(redacted(&server("postgres://db")), "postgres://db");
    }
}
