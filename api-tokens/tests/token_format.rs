//! The token format and what is stored for it.

mod common;

use std::collections::HashSet;

use api_tokens::{
    MemoryTokenStore, NewToken, TokenManager, TokenSecret, TokenStore, is_well_formed,
};
use regex::Regex;

#[test]
fn tc_token_031_hundred_thousand_tokens_are_well_formed_and_unique() {
    let shape = Regex::new(r"^sh_live_[A-Za-z0-9]{32}$").expect("regex");
    let mut seen = HashSet::with_capacity(100_000);
    let mut lookup_ids = HashSet::with_capacity(100_000);

    for _ in 0..100_000 {
        let token = TokenSecret::generate();
        let plain = token.expose_secret();

        assert!(shape.is_match(plain), "bad shape: {plain}");
        assert!(is_well_formed(plain));
        assert_eq!(plain.len(), 40);
        lookup_ids.insert(token.lookup_id().to_owned());
        assert!(seen.insert(plain.to_owned()), "collision");
    }

    assert_eq!(lookup_ids.len(), 100_000, "lookup ids collided");
}

#[tokio::test]
async fn tc_token_030_stored_value_is_a_cost_12_bcrypt_hash_and_no_plaintext() {
    let store = std::sync::Arc::new(MemoryTokenStore::new());
    let manager = TokenManager::builder_shared(store.clone())
        .build()
        .expect("config");

    let created = manager
        .create("owner", NewToken::named("prod"))
        .await
        .expect("create");
    let stored = store
        .find_by_id(created.record.id)
        .await
        .expect("store")
        .expect("record");

    let bcrypt = Regex::new(r"^\$2b\$12\$[./A-Za-z0-9]{53}$").expect("regex");
    assert!(bcrypt.is_match(stored.hash.as_str()));
    let plain = created.token.expose_secret();
    let everything_stored = format!(
        "{} {} {:?} {} {}",
        stored.hash.as_str(),
        stored.lookup_id,
        stored.description,
        stored.name,
        stored.permissions.to_scope_string()
    );
    assert!(!everything_stored.contains(plain));
    assert!(
        !everything_stored.contains(&plain[20..]),
        "secret part stored in clear"
    );
    assert_eq!(stored.lookup_id, &plain[8..20]);
}
