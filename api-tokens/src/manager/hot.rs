//! The read side of the verification cache: cached values by digest, in a sharded map.
//!
//! moka owns the cache (capacity, eviction, single flight); this map mirrors what moka
//! holds so that a cache hit is one read-locked map lookup, with no record of the read
//! in moka's policy. Values enter here under the verifier's index lock, before moka
//! stores them, and leave through moka's eviction listener, so the mirror never outlives
//! moka's copy by more than the listener's delay.
//!
//! A hit not recorded in moka costs nothing in eviction quality: an entry is stored again
//! every revalidation interval, which moka counts, and new entries arrive at most at the
//! rate bcrypt allows, far too slowly to push out a token in steady use.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};
use std::sync::{Arc, PoisonError, RwLock};

pub(super) type Digest = [u8; 32];

const SHARDS: usize = 16;

/// A SHA-256 digest as a map key, hashed by its first eight bytes.
///
/// Only digests of tokens that verified are stored, so nobody outside can choose keys
/// that collide; the digest is already uniformly spread.
#[derive(Clone, Copy, PartialEq, Eq)]
struct Key(Digest);

impl Hash for Key {
    fn hash<H: Hasher>(&self, state: &mut H) {
        let mut head = [0; 8];
        head.copy_from_slice(&self.0[..8]);
        state.write_u64(u64::from_le_bytes(head));
    }
}

/// Passes the one `u64` that [`Key`] writes through unchanged.
#[derive(Default)]
struct PassThrough(u64);

impl Hasher for PassThrough {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Not reached through `Key`; folds any other input in all the same.
        for &byte in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(byte);
        }
    }

    fn write_u64(&mut self, value: u64) {
        self.0 = value;
    }
}

type Shard<V> = RwLock<HashMap<Key, Arc<V>, BuildHasherDefault<PassThrough>>>;

pub(super) struct HotMap<V> {
    shards: [Shard<V>; SHARDS],
}

impl<V> Default for HotMap<V> {
    fn default() -> Self {
        Self {
            shards: std::array::from_fn(|_| RwLock::default()),
        }
    }
}

impl<V> std::fmt::Debug for HotMap<V> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HotMap").field("len", &self.len()).finish()
    }
}

impl<V> HotMap<V> {
    fn shard(&self, digest: &Digest) -> &Shard<V> {
        // The last byte picks the shard; the first eight pick the bucket within it.
        &self.shards[usize::from(digest[31]) % SHARDS]
    }

    pub(super) fn get(&self, digest: &Digest) -> Option<Arc<V>> {
        let shard = self
            .shard(digest)
            .read()
            .unwrap_or_else(PoisonError::into_inner);
        shard.get(&Key(*digest)).cloned()
    }

    pub(super) fn insert(&self, digest: Digest, value: Arc<V>) {
        let mut shard = self
            .shard(&digest)
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        shard.insert(Key(digest), value);
    }

    /// Removes the entry for `digest` if it is `value` itself, not a newer one.
    pub(super) fn remove_if_same(&self, digest: &Digest, value: &Arc<V>) {
        let mut shard = self
            .shard(digest)
            .write()
            .unwrap_or_else(PoisonError::into_inner);
        if shard
            .get(&Key(*digest))
            .is_some_and(|held| Arc::ptr_eq(held, value))
        {
            shard.remove(&Key(*digest));
        }
    }

    pub(super) fn len(&self) -> usize {
        self.shards
            .iter()
            .map(|shard| shard.read().unwrap_or_else(PoisonError::into_inner).len())
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn digest(first: u8, last: u8) -> Digest {
        let mut digest = [7; 32];
        digest[0] = first;
        digest[31] = last;
        digest
    }

    #[test]
    fn keeps_values_apart_by_the_whole_digest() {
        let map = HotMap::default();
        // Same first eight bytes, same shard: only the full comparison tells them apart.
        let mut twin = digest(1, 2);
        twin[20] = 0;
        map.insert(digest(1, 2), Arc::new("a"));
        map.insert(twin, Arc::new("b"));
        assert_eq!(map.get(&digest(1, 2)).as_deref(), Some(&"a"));
        assert_eq!(map.get(&twin).as_deref(), Some(&"b"));
        assert_eq!(map.get(&digest(1, 3)), None);
        assert_eq!(map.len(), 2);
    }

    #[test]
    fn removes_only_the_value_it_was_told_of() {
        let map = HotMap::default();
        let old = Arc::new(1);
        let new = Arc::new(1);
        map.insert(digest(3, 4), Arc::clone(&old));
        map.insert(digest(3, 4), Arc::clone(&new));
        map.remove_if_same(&digest(3, 4), &old);
        assert!(
            map.get(&digest(3, 4))
                .is_some_and(|v| Arc::ptr_eq(&v, &new))
        );
        map.remove_if_same(&digest(3, 4), &new);
        assert_eq!(map.get(&digest(3, 4)), None);
        assert_eq!(map.len(), 0);
    }
}
