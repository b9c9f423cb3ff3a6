//! A per-client rate limit for `POST /v1/handoffs` (a token bucket per client address), answered
//! with `429` and `Retry-After`, which Baton's outbox honours. Per instance: behind several relays
//! each allows the rate, which bounds abuse without shared state.

use std::collections::HashMap;
use std::net::IpAddr;

use std::sync::Mutex;
use std::time::Instant;

/// Buckets by client: an address, or a widget session.
pub struct Limiter<K = IpAddr> {
    per_minute: f64,
    buckets: Mutex<HashMap<K, (f64, Instant)>>,
}

impl<K: std::hash::Hash + Eq> Limiter<K> {
    /// `per_minute` requests a minute, in bursts of as many.
    pub fn new(per_minute: u32) -> Self {
        Limiter { per_minute: f64::from(per_minute.max(1)), buckets: Mutex::new(HashMap::new()) }
    }

    /// Whether `client` has a token left, without taking it; `Err(seconds)` to wait.
    pub fn peek(&self, client: K) -> Result<(), u64> {
        self.take(client, 0.0)
    }

    /// Takes one token for `client`; `Err(seconds)` to wait when there is none.
    pub fn check(&self, client: K) -> Result<(), u64> {
        self.take(client, 1.0)
    }

    fn take(&self, client: K, cost: f64) -> Result<(), u64> {
        let now = Instant::now();
        let mut buckets = self.buckets.lock().unwrap_or_else(|e| e.into_inner());
        if buckets.len() > 100_000 {
            // Bounded memory: forget clients whose bucket is full again.
            let full = self.per_minute;
            buckets.retain(|_, (tokens, at)| *tokens + now.duration_since(*at).as_secs_f64() * full / 60.0 < full);
        }
        let (tokens, at) = buckets.entry(client).or_insert((self.per_minute, now));
        *tokens = (*tokens + now.duration_since(*at).as_secs_f64() * self.per_minute / 60.0).min(self.per_minute);
        *at = now;
        if *tokens >= 1.0 {
            *tokens -= cost;
            Ok(())
        } else {
            Err(((1.0 - *tokens) * 60.0 / self.per_minute).ceil().max(1.0) as u64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bursts_then_waits() {
        let l = Limiter::new(3);
        let ip: IpAddr = "10.0.0.1".parse().unwrap();
        assert!(l.check(ip).is_ok() && l.check(ip).is_ok() && l.check(ip).is_ok());
        let wait = l.check(ip).unwrap_err();
        assert!((1..=20).contains(&wait), "{wait}");
        assert!(l.check("10.0.0.2".parse().unwrap()).is_ok(), "per client");
        assert!(l.peek("10.0.0.3".parse().unwrap()).is_ok() && l.peek("10.0.0.3".parse().unwrap()).is_ok(), "a peek takes nothing");
        assert!(l.peek(ip).is_err());
    }
}
