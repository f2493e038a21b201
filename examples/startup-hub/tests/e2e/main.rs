//! End-to-end tests of Startup Hub: each test starts the real binary on a free port with
//! a fresh database and drives it over HTTP only, as the dashboard, a script or an MCP
//! client would.
//!
//! PostgreSQL and MariaDB tests run against the servers named by
//! `API_TOKENS_TEST_POSTGRES_URL` (default `postgres://postgres@127.0.0.1:5432/postgres`)
//! and `API_TOKENS_TEST_MYSQL_URL` (default `mysql://root@127.0.0.1:3306/test`); each
//! creates a database of its own and drops it afterwards. When a server is unreachable
//! they print why and pass, unless `API_TOKENS_REQUIRE_DATABASES=1`.

mod accounts;
mod agents;
mod bodies;
mod databases;
mod harness;
mod isolation;
mod limits;
mod logs;
mod mcp;
mod revocation;
mod shutdown;
mod web;
