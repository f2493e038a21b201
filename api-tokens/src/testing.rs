//! The conformance suite every [`TokenStore`] must pass (feature `testing`).
//!
//! Each check is a public async function that takes a fresh store, so a backend crate can
//! run them one by one, all at once with [`run_all`], or as one test each with
//! [`store_conformance_tests!`](crate::store_conformance_tests). Every check works on
//! owners it invents (random UUIDs), so the suite can run against a shared database,
//! alongside itself.
//!
//! Records are built with timestamps in whole microseconds, the precision SQL databases
//! keep, and with a real bcrypt hash (cost 4) of a freshly generated token.
//!
//! ```
//! api_tokens::store_conformance_tests!(async { api_tokens::MemoryTokenStore::new() });
//! ```

use std::future::Future;

use chrono::{DateTime, Duration, SubsecRound, Utc};
use uuid::Uuid;

use crate::error::StoreError;
use crate::hash::{BcryptCost, hash_token};
use crate::record::{ActiveFilter, ExpiryPolicy, TokenRecord};
use crate::store::TokenStore;
use crate::token::TokenSecret;

mod limits;

pub use limits::{
    concurrent_inserts_from_nine_admit_one, concurrent_inserts_from_zero_stop_at_the_limit,
    count_active_follows_the_filter, full_owner_gets_limit_reached, inactive_tokens_do_not_count,
};

/// Generates one `#[test]` per conformance check, named after its test id.
///
/// The argument is a future that yields a fresh store; it is evaluated once per test,
/// inside a multi-threaded Tokio runtime the test builds for itself.
///
/// ```
/// use api_tokens::MemoryTokenStore;
///
/// api_tokens::store_conformance_tests!(async { MemoryTokenStore::new() });
/// ```
#[macro_export]
macro_rules! store_conformance_tests {
    ($make:expr) => {
        $crate::store_conformance_tests!(@tests $make;
            tc_token_300_round_trip_keeps_every_field => round_trip_keeps_every_field,
            tc_token_301_duplicate_id_is_a_conflict => duplicate_id_is_a_conflict,
            tc_token_302_duplicate_lookup_id_is_a_conflict => duplicate_lookup_id_is_a_conflict,
            tc_token_303_full_owner_gets_limit_reached => full_owner_gets_limit_reached,
            tc_token_304_inactive_tokens_do_not_count => inactive_tokens_do_not_count,
            tc_token_305_concurrent_inserts_from_zero_stop_at_the_limit
                => concurrent_inserts_from_zero_stop_at_the_limit,
            tc_token_306_concurrent_inserts_from_nine_admit_one
                => concurrent_inserts_from_nine_admit_one,
            tc_token_307_list_is_newest_first_and_paged => list_is_newest_first_and_paged,
            tc_token_308_count_active_follows_the_filter => count_active_follows_the_filter,
            tc_token_309_revoke_is_idempotent => revoke_is_idempotent,
            tc_token_310_revoke_of_foreign_or_unknown_token_changes_nothing
                => revoke_of_foreign_or_unknown_token_changes_nothing,
            tc_token_311_touch_last_used_never_moves_backwards
                => touch_last_used_never_moves_backwards,
            tc_token_312_owner_ids_match_exactly => owner_ids_match_exactly,
            tc_token_313_lookup_ids_cover_every_token_created_since
                => lookup_ids_cover_every_token_created_since,
            tc_token_314_data_version_moves_with_every_insert
                => data_version_moves_with_every_insert,
        );
    };
    (@tests $make:expr; $($name:ident => $check:ident,)+) => {
        $(
            #[test]
            fn $name() {
                $crate::testing::block_on(async { $crate::testing::$check($make.await).await });
            }
        )+
    };
}

/// Runs every check, each on a store from `make`.
///
/// # Panics
///
/// When the store breaks the [`TokenStore`] contract; the message names what broke.
pub async fn run_all<S, F, Fut>(make: F)
where
    S: TokenStore,
    F: Fn() -> Fut,
    Fut: Future<Output = S>,
{
    round_trip_keeps_every_field(make().await).await;
    duplicate_id_is_a_conflict(make().await).await;
    duplicate_lookup_id_is_a_conflict(make().await).await;
    full_owner_gets_limit_reached(make().await).await;
    inactive_tokens_do_not_count(make().await).await;
    concurrent_inserts_from_zero_stop_at_the_limit(make().await).await;
    concurrent_inserts_from_nine_admit_one(make().await).await;
    list_is_newest_first_and_paged(make().await).await;
    count_active_follows_the_filter(make().await).await;
    revoke_is_idempotent(make().await).await;
    revoke_of_foreign_or_unknown_token_changes_nothing(make().await).await;
    touch_last_used_never_moves_backwards(make().await).await;
    owner_ids_match_exactly(make().await).await;
    lookup_ids_cover_every_token_created_since(make().await).await;
    data_version_moves_with_every_insert(make().await).await;
}

/// Runs `future` to completion on a new multi-threaded runtime; used by
/// [`store_conformance_tests!`](crate::store_conformance_tests).
///
/// # Panics
///
/// When the runtime cannot be built.
#[doc(hidden)]
pub fn block_on<F: Future>(future: F) -> F::Output {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()
        .expect("a Tokio runtime for the conformance suite")
        .block_on(future)
}

/// A new owner id no other check or test run uses.
pub fn fresh_owner() -> String {
    format!("owner-{}", Uuid::now_v7())
}

/// The current instant in whole microseconds.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// An active token record for `owner_id`, as the manager would build it: a UUID v7 id, the
/// lookup id and bcrypt hash (cost 4) of a fresh token, `read` permission, created now.
///
/// # Panics
///
/// When bcrypt fails, which it does not for generated tokens.
pub fn new_record(owner_id: &str) -> TokenRecord {
    let token = TokenSecret::generate();
    let hash = hash_token(token.expose_secret(), BcryptCost::insecure_for_tests(4))
        .expect("bcrypt hashes a generated token");
    TokenRecord {
        id: Uuid::now_v7(),
        owner_id: owner_id.to_owned(),
        name: "conformance".to_owned(),
        description: None,
        permissions: ["read"].into_iter().collect(),
        lookup_id: token.lookup_id().to_owned(),
        hash,
        created_at: now(),
        last_used_at: None,
        expires_at: None,
        revoked_at: None,
    }
}

/// The filter the manager uses by default (90 days of inactivity) at `now`.
fn default_filter(now: DateTime<Utc>) -> ActiveFilter {
    ExpiryPolicy::default().active_filter(now)
}

async fn insert_ok(store: &impl TokenStore, record: &TokenRecord, max: u32) {
    if let Err(error) = store
        .insert(record.clone(), max, default_filter(now()))
        .await
    {
        panic!("inserting token {} failed: {error:?}", record.id);
    }
}

async fn stored(store: &impl TokenStore, id: Uuid) -> Option<TokenRecord> {
    store.find_by_id(id).await.expect("find_by_id succeeds")
}

/// `insert`, `find_by_lookup_id` and `find_by_id` return every field as inserted: names
/// and descriptions byte for byte (emoji, accents, markup, 100 characters), permissions,
/// and each instant as the same instant. Unknown ids read as `None`.
pub async fn round_trip_keeps_every_field<S: TokenStore>(store: S) {
    let owner = fresh_owner();
    let base = now();
    let offset = DateTime::parse_from_rfc3339("2031-05-01T12:00:00.123456+05:30")
        .expect("valid instant")
        .with_timezone(&Utc);
    let long_name = format!("{}🔑{}", "é".repeat(49), "n".repeat(50));
    let names = [
        ("🔑 prod — déploiement", Some("Production")),
        (
            "<img src=x onerror=alert(1)>",
            Some("'; DROP TABLE api_tokens; --"),
        ),
        (long_name.as_str(), None),
        ("plain", Some("Ünïcödé 說明 \u{1F680}")),
    ];

    for (i, (name, description)) in names.into_iter().enumerate() {
        let mut record = new_record(&owner);
        record.name = name.to_owned();
        record.description = description.map(str::to_owned);
        record.permissions = ["read", "create", "projects:write"].into_iter().collect();
        if i % 2 == 0 {
            record.created_at = base - Duration::days(3);
            record.last_used_at = Some(base - Duration::microseconds(1));
            record.expires_at = Some(offset);
            record.revoked_at = Some(base - Duration::hours(1));
        }

        insert_ok(&store, &record, 10).await;
        let by_lookup = store.find_by_lookup_id(&record.lookup_id).await;
        let by_id = stored(&store, record.id).await;

        let by_lookup = by_lookup.expect("find_by_lookup_id succeeds");
        assert_eq!(
            by_lookup.as_ref(),
            Some(&record),
            "find_by_lookup_id of {name:?}"
        );
        assert_eq!(by_id.as_ref(), Some(&record), "find_by_id of {name:?}");
        let read = by_id.expect("present");
        assert_eq!(read.name.as_bytes(), name.as_bytes());
        assert_eq!(read.hash.as_str(), record.hash.as_str());
    }

    assert_eq!(long_name.chars().count(), 100);
    let unknown = store.find_by_lookup_id("000000000000").await;
    assert!(
        unknown.expect("lookup succeeds").is_none(),
        "unknown lookup id"
    );
    assert!(stored(&store, Uuid::now_v7()).await.is_none(), "unknown id");
}

/// A second token with an existing id is refused with [`StoreError::Conflict`], and
/// nothing of it is written.
pub async fn duplicate_id_is_a_conflict<S: TokenStore>(store: S) {
    let owner = fresh_owner();
    let first = new_record(&owner);
    insert_ok(&store, &first, 10).await;
    let mut second = new_record(&owner);
    second.id = first.id;
    second.name = "second".to_owned();

    let result = store
        .insert(second.clone(), 10, default_filter(now()))
        .await;

    assert!(
        matches!(result, Err(StoreError::Conflict)),
        "got {result:?}"
    );
    assert_eq!(stored(&store, first.id).await, Some(first));
    let by_lookup = store.find_by_lookup_id(&second.lookup_id).await;
    assert_eq!(by_lookup.expect("lookup succeeds"), None);
    assert_eq!(
        store
            .list_by_owner(&owner, 0, 10)
            .await
            .expect("list")
            .total,
        1
    );
}

/// A second token with an existing lookup id is refused with [`StoreError::Conflict`],
/// even for another owner, and nothing of it is written.
pub async fn duplicate_lookup_id_is_a_conflict<S: TokenStore>(store: S) {
    let first = new_record(&fresh_owner());
    insert_ok(&store, &first, 10).await;
    let other_owner = fresh_owner();
    let mut second = new_record(&other_owner);
    second.lookup_id = first.lookup_id.clone();

    let result = store
        .insert(second.clone(), 10, default_filter(now()))
        .await;

    assert!(
        matches!(result, Err(StoreError::Conflict)),
        "got {result:?}"
    );
    assert_eq!(stored(&store, second.id).await, None);
    let by_lookup = store.find_by_lookup_id(&first.lookup_id).await;
    assert_eq!(by_lookup.expect("lookup succeeds"), Some(first));
    let listed = store
        .list_by_owner(&other_owner, 0, 10)
        .await
        .expect("list");
    assert_eq!(listed.total, 0);
}

/// Listing returns the owner's tokens (revoked ones included) newest first by id, pages
/// by offset and limit with the owner's total (any `u64` offset and limit), and never
/// another owner's token.
pub async fn list_is_newest_first_and_paged<S: TokenStore>(store: S) {
    let (owner, neighbour) = (fresh_owner(), fresh_owner());
    let mut inserted = Vec::new();
    for i in 0..7 {
        let mut record = new_record(&owner);
        if i == 2 {
            record.revoked_at = Some(now());
        }
        insert_ok(&store, &record, 10).await;
        insert_ok(&store, &new_record(&neighbour), 10).await;
        inserted.push(record);
    }
    inserted.reverse();

    let mut pages = Vec::new();
    for offset in [0, 3, 6, 9] {
        pages.push(store.list_by_owner(&owner, offset, 3).await.expect("list"));
    }
    let empty = store
        .list_by_owner(&fresh_owner(), 0, 10)
        .await
        .expect("list");
    let far = store.list_by_owner(&owner, u64::MAX, u64::MAX).await;

    let sizes: Vec<_> = pages.iter().map(|p| p.tokens.len()).collect();
    assert_eq!(sizes, [3, 3, 1, 0]);
    assert!(
        pages.iter().all(|p| p.total == 7),
        "total must be 7 on every page"
    );
    let listed: Vec<_> = pages.into_iter().flat_map(|p| p.tokens).collect();
    assert_eq!(listed, inserted, "newest first, every field intact");
    assert!(empty.tokens.is_empty() && empty.total == 0);
    let far = far.expect("a page past the end lists nothing, never fails");
    assert!(far.tokens.is_empty() && far.total == 7);
}

/// Revoking sets `revoked_at` and returns the stored record; revoking again succeeds and
/// keeps the first instant.
pub async fn revoke_is_idempotent<S: TokenStore>(store: S) {
    let owner = fresh_owner();
    let record = new_record(&owner);
    insert_ok(&store, &record, 10).await;
    let first_at = now();

    let first = store.revoke(&owner, record.id, first_at).await;
    let second = store
        .revoke(&owner, record.id, first_at + Duration::seconds(5))
        .await;

    let first = first.expect("revoke succeeds").expect("own token found");
    let second = second.expect("revoke succeeds").expect("own token found");
    assert_eq!(first.revoked_at, Some(first_at));
    assert_eq!(
        second.revoked_at,
        Some(first_at),
        "second revoke keeps the first instant"
    );
    let expected = TokenRecord {
        revoked_at: Some(first_at),
        ..record
    };
    assert_eq!(stored(&store, expected.id).await, Some(expected));
}

/// Revoking another owner's token or an unknown id returns `None` and changes nothing.
pub async fn revoke_of_foreign_or_unknown_token_changes_nothing<S: TokenStore>(store: S) {
    let owner = fresh_owner();
    let record = new_record(&owner);
    insert_ok(&store, &record, 10).await;

    let foreign = store.revoke(&fresh_owner(), record.id, now()).await;
    let unknown = store.revoke(&owner, Uuid::now_v7(), now()).await;

    assert_eq!(foreign.expect("revoke succeeds"), None);
    assert_eq!(unknown.expect("revoke succeeds"), None);
    assert_eq!(stored(&store, record.id).await, Some(record));
}

/// `touch_last_used` moves `last_used_at` forward only, and ignores unknown ids.
pub async fn touch_last_used_never_moves_backwards<S: TokenStore>(store: S) {
    let record = new_record(&fresh_owner());
    insert_ok(&store, &record, 10).await;
    let later = now() + Duration::seconds(10);
    let earlier = later - Duration::seconds(5);

    store
        .touch_last_used(record.id, later)
        .await
        .expect("touch");
    store
        .touch_last_used(record.id, earlier)
        .await
        .expect("touch");
    let unknown = store.touch_last_used(Uuid::now_v7(), later).await;

    assert!(unknown.is_ok(), "unknown id must be ignored: {unknown:?}");
    let read = stored(&store, record.id).await.expect("present");
    assert_eq!(read.last_used_at, Some(later));
    store
        .touch_last_used(record.id, later + Duration::microseconds(1))
        .await
        .expect("touch");
    let read = stored(&store, record.id).await.expect("present");
    assert_eq!(read.last_used_at, Some(later + Duration::microseconds(1)));
}

/// Owner ids are compared exactly: case, trailing spaces and Unicode normalisation all
/// make a different owner, for listing, counting and revoking.
pub async fn owner_ids_match_exactly<S: TokenStore>(store: S) {
    let base = format!("Owner-é-{}", Uuid::now_v7());
    let lookalikes = [
        base.to_lowercase(),
        format!("{base} "),
        base.replace('é', "e\u{301}"),
    ];
    let record = new_record(&base);
    insert_ok(&store, &record, 10).await;

    for other in &lookalikes {
        let listed = store.list_by_owner(other, 0, 10).await.expect("list");
        let count = store.count_active(other, default_filter(now())).await;
        let revoked = store.revoke(other, record.id, now()).await;

        assert_eq!(listed.total, 0, "{other:?} sees {base:?}'s tokens");
        assert!(listed.tokens.is_empty());
        assert_eq!(count.expect("count succeeds"), 0);
        assert_eq!(revoked.expect("revoke succeeds"), None);
    }
    assert_eq!(stored(&store, record.id).await, Some(record));
}

/// `lookup_ids_created_since`, when the store offers it, returns the lookup id of every
/// token created at or after the instant (revoked ones too), and of every token for
/// `None`. A store that answers `None` (the default) passes.
pub async fn lookup_ids_cover_every_token_created_since<S: TokenStore>(store: S) {
    let owner = fresh_owner();
    let old = new_record(&owner);
    insert_ok(&store, &old, 10).await;
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let since = now();
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let recent = new_record(&owner);
    let revoked = new_record(&owner);
    insert_ok(&store, &recent, 10).await;
    insert_ok(&store, &revoked, 10).await;
    store
        .revoke(&owner, revoked.id, now())
        .await
        .expect("revoke succeeds");

    let Some(all) = store
        .lookup_ids_created_since(None)
        .await
        .expect("lookup_ids_created_since succeeds")
    else {
        return;
    };
    for record in [&old, &recent, &revoked] {
        assert!(
            all.contains(&record.lookup_id),
            "lookup id of token {} missing from the full list",
            record.id
        );
    }

    let newer = store
        .lookup_ids_created_since(Some(since))
        .await
        .expect("lookup_ids_created_since succeeds")
        .expect("a store that lists all lookup ids lists recent ones too");
    for record in [&recent, &revoked] {
        assert!(
            newer.contains(&record.lookup_id),
            "lookup id of token {} created after the instant is missing",
            record.id
        );
    }
    let future = store
        .lookup_ids_created_since(Some(now() + Duration::hours(1)))
        .await;
    assert!(
        matches!(future, Ok(Some(_))),
        "an instant in the future must get an answer: {future:?}"
    );
}

/// `data_version`, when the store keeps one, differs after each insert from what it was
/// before. A store that answers `None` (the default) must do so every time.
pub async fn data_version_moves_with_every_insert<S: TokenStore>(store: S) {
    let owner = fresh_owner();
    let Some(mut before) = store.data_version() else {
        let first = new_record(&owner);
        insert_ok(&store, &first, 10).await;
        assert_eq!(
            store.data_version(),
            None,
            "a store without a data version began to report one"
        );
        return;
    };
    for n in 0..3 {
        let record = new_record(&owner);
        insert_ok(&store, &record, 10).await;
        let after = store
            .data_version()
            .expect("a store that reported a data version reports it again");
        assert_ne!(after, before, "insert {n} left the data version unchanged");
        before = after;
    }
}
