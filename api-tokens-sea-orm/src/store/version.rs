//! Noticing commits to an SQLite file without a query through the pool.
//!
//! The manager asks for the store's data version on every unknown lookup id, so it must
//! cost far less than a query through SQLx (a hand-over to a worker thread and back).
//!
//! - In WAL mode (what [`connect_options`](crate::connect_options) sets), every commit
//!   rewrites the header of the WAL index in the `-shm` file, which SQLite keeps
//!   byte-for-byte stable across versions (<https://www.sqlite.org/walformat.html>): it
//!   holds a counter bumped by each write transaction, the last valid frame and the WAL's
//!   salts. Reading those 96 bytes (two copies of the header) with one `pread` tells
//!   whether anything was committed, without a lock. A writer updates the second copy
//!   first, so a read that catches it half-way finds the copies different, and falls back
//!   to the next way.
//! - Otherwise `PRAGMA data_version` on the store's own connection: it changes whenever
//!   another connection commits, and costs a read transaction (file locks).
//!
//! The store's own connection stays open, which also keeps SQLite from deleting the `-shm`
//! file while it is watched.

use std::fs::File;
use std::hash::{DefaultHasher, Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};
use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseConnectionType, DbBackend, Statement};

/// The two copies of the WAL-index header at the start of the `-shm` file.
const HEADER_COPIES: usize = 96;
/// Sets apart versions read with `PRAGMA data_version` from hashes of the header.
const PRAGMA_BIT: u64 = 1 << 63;

#[derive(Debug)]
pub(super) struct SqliteDataVersion {
    /// The database file, as SQLite resolved it; `None` inside for an in-memory or
    /// temporary database, which no second connection can watch. Asked of the database
    /// once, by [`locate`](Self::locate).
    path: OnceLock<Option<PathBuf>>,
    /// Opened at the first read; dropped after an error, to be opened again at the next.
    watch: Mutex<Option<Watch>>,
}

#[derive(Debug)]
struct Watch {
    connection: Connection,
    /// The WAL index, when the database is in WAL mode.
    shm: Option<File>,
}

impl SqliteDataVersion {
    /// For a pool of SQLite connections; `None` for other backends.
    pub(super) fn for_connection(db: &DatabaseConnection) -> Option<Self> {
        matches!(
            db.inner,
            DatabaseConnectionType::SqlxSqlitePoolConnection(_)
        )
        .then(|| Self {
            path: OnceLock::new(),
            watch: Mutex::new(None),
        })
    }

    /// Asks the database which file it is (`PRAGMA database_list`), once; until that
    /// succeeds, [`read`](Self::read) answers `None`.
    pub(super) async fn locate(&self, db: &DatabaseConnection) {
        if self.path.get().is_some() {
            return;
        }
        let list = Statement::from_string(DbBackend::Sqlite, "PRAGMA database_list");
        let Ok(rows) = db.query_all_raw(list).await else {
            return;
        };
        let file = rows.iter().find_map(|row| {
            let name: String = row.try_get("", "name").ok()?;
            let file: String = row.try_get("", "file").ok()?;
            (name == "main").then_some(file)
        });
        // An empty file name is an in-memory or temporary database.
        let _ = self
            .path
            .set(file.filter(|file| !file.is_empty()).map(PathBuf::from));
    }

    /// The current data version, or `None` when it cannot be read right now (the caller
    /// then asks the database instead).
    pub(super) fn read(&self) -> Option<u64> {
        let path = self.path.get()?.as_deref()?;
        let mut watch = self.watch.lock().unwrap_or_else(PoisonError::into_inner);
        if watch.is_none() {
            *watch = Watch::open(path)
                .inspect_err(|error| {
                    tracing::debug!(
                        error = error as &dyn std::error::Error,
                        "could not open SQLite to watch its data version"
                    );
                })
                .ok();
        }
        let current = watch.as_ref()?;
        if let Some(version) = current.shm.as_ref().and_then(wal_index_version) {
            return Some(version);
        }
        let version = pragma_version(&current.connection);
        if version.is_none() {
            *watch = None;
        }
        version
    }
}

impl Watch {
    fn open(path: &Path) -> rusqlite::Result<Self> {
        // Never create the file: it is the pool's. Read-write, because a read-only
        // connection cannot set up the WAL index.
        let connection = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        // A writer busy with the file makes a read fail at once instead of waiting.
        connection.busy_timeout(Duration::ZERO)?;
        // Also the first read, which opens the WAL and its index.
        let mode: String = connection.query_row("PRAGMA journal_mode", [], |row| row.get(0))?;
        let shm = if mode.eq_ignore_ascii_case("wal") {
            let database = connection
                .path()
                .map_or_else(|| path.to_owned(), PathBuf::from);
            let mut shm = database.into_os_string();
            shm.push("-shm");
            File::open(shm).ok()
        } else {
            None
        };
        Ok(Self { connection, shm })
    }
}

/// A hash of the WAL-index header, if both copies agree and it is initialised.
fn wal_index_version(shm: &File) -> Option<u64> {
    let mut header = [0_u8; HEADER_COPIES];
    read_at(shm, &mut header).ok()?;
    let (first, second) = header.split_at(HEADER_COPIES / 2);
    // Byte 12 is `isInit`.
    if first != second || first[12] == 0 {
        return None;
    }
    let mut hasher = DefaultHasher::new();
    first.hash(&mut hasher);
    Some(hasher.finish() & !PRAGMA_BIT)
}

#[cfg(unix)]
fn read_at(file: &File, buffer: &mut [u8]) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buffer, 0)
}

#[cfg(windows)]
fn read_at(file: &File, buffer: &mut [u8]) -> std::io::Result<()> {
    let read = std::os::windows::fs::FileExt::seek_read(file, buffer, 0)?;
    if read == buffer.len() {
        Ok(())
    } else {
        Err(std::io::ErrorKind::UnexpectedEof.into())
    }
}

#[cfg(not(any(unix, windows)))]
fn read_at(_file: &File, _buffer: &mut [u8]) -> std::io::Result<()> {
    Err(std::io::ErrorKind::Unsupported.into())
}

fn pragma_version(connection: &Connection) -> Option<u64> {
    let version = connection
        .prepare_cached("PRAGMA data_version")
        .and_then(|mut statement| statement.query_row([], |row| row.get::<_, i64>(0)));
    match version {
        Ok(version) => u64::try_from(version).ok().map(|v| v | PRAGMA_BIT),
        Err(error) => {
            tracing::debug!(
                error = &error as &dyn std::error::Error,
                "could not read SQLite's data version"
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A database file in `journal_mode`, with one table, and a watch on it.
    fn database(journal_mode: &str) -> (PathBuf, Connection, SqliteDataVersion) {
        let dir = std::env::temp_dir().join(format!("api-tokens-version-{}", uuid::Uuid::now_v7()));
        std::fs::create_dir_all(&dir).expect("temporary directory");
        let path = dir.join("tokens.db");
        let writer = Connection::open(&path).expect("open");
        writer
            .query_row(&format!("PRAGMA journal_mode = {journal_mode}"), [], |_| {
                Ok(())
            })
            .expect("journal mode");
        writer
            .execute("CREATE TABLE t (x INTEGER)", [])
            .expect("create table");
        let watch = SqliteDataVersion {
            path: OnceLock::from(Some(path.clone())),
            watch: Mutex::new(None),
        };
        (dir, writer, watch)
    }

    fn moves_with_each_commit(journal_mode: &str) {
        let (dir, writer, watch) = database(journal_mode);
        let mut before = watch.read().expect("a version");
        assert_eq!(watch.read(), Some(before), "no commit, no change");

        for n in 0..3 {
            writer
                .execute("INSERT INTO t VALUES (?1)", [n])
                .expect("insert");
            let after = watch.read().expect("a version");
            assert_ne!(after, before, "commit {n} went unnoticed");
            before = after;
        }
        drop(writer);
        std::fs::remove_dir_all(dir).expect("clean up");
    }

    #[test]
    fn the_wal_index_header_moves_with_each_commit() {
        moves_with_each_commit("wal");
    }

    #[test]
    fn without_wal_the_pragma_moves_with_each_commit() {
        moves_with_each_commit("delete");
        let (dir, _writer, watch) = database("delete");
        let version = watch.read().expect("a version");
        assert_ne!(version & PRAGMA_BIT, 0, "read through the pragma");
        std::fs::remove_dir_all(dir).expect("clean up");
    }

    #[test]
    fn a_header_caught_half_written_is_no_answer() {
        let (dir, _writer, watch) = database("wal");
        let version = watch.read().expect("a version");
        assert_eq!(version & PRAGMA_BIT, 0, "read from the WAL index");

        let shm = dir.join("tokens.db-shm");
        let mut bytes = std::fs::read(&shm).expect("read the WAL index");
        let copy = File::open(&shm).expect("open");
        // The second copy is written first: a reader may see it ahead of the first.
        bytes[HEADER_COPIES / 2 + 8] ^= 0xff;
        let torn = dir.join("torn-shm");
        std::fs::write(&torn, &bytes).expect("write");
        assert_eq!(wal_index_version(&File::open(&torn).expect("open")), None);
        assert!(wal_index_version(&copy).is_some());
        std::fs::remove_dir_all(dir).expect("clean up");
    }
}
