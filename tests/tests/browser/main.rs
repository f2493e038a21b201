//! The dashboard in a real browser: headless Chromium against the Startup Hub server,
//! one fresh server, database and browser profile per test. Each test name carries the
//! id of the behaviour it proves (see "Test ids" in the design brief).

mod accessibility;
mod common;
mod empty;
mod generate;
mod limits;
mod names;
mod revoke;
mod screenshots;
mod secrecy;
mod table;
