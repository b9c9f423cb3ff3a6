//! When to retry a delivery, target-independent: network errors, 5xx, 408 and 429 are retried
//! with exponential backoff and jitter (a `Retry-After` in seconds is honoured); other 4xx are
//! not, since sending the same bundle again cannot fix them.

/// First retry delay.
pub const BASE_DELAY_MS: f64 = 2_000.0;
/// Longest delay between two attempts.
pub const MAX_DELAY_MS: f64 = 5.0 * 60_000.0;
/// Longest `Retry-After` honoured.
pub const MAX_RETRY_AFTER_MS: f64 = 60.0 * 60_000.0;

/// What to do after an attempt.
#[derive(Clone, Debug, PartialEq)]
pub enum Next {
    /// The receiver has it.
    Delivered,
    /// Try again after this many milliseconds (the bundle stays in the outbox).
    RetryIn(f64),
    /// Stop: the receiver refused it for a reason a retry cannot fix.
    GiveUp(String),
}

/// Decides after attempt number `attempt` (0 for the first), with `status` `None` for a network
/// error, the response's `Retry-After` header, and `jitter` in `0..1`.
pub fn next(status: Option<u16>, retry_after: Option<&str>, attempt: u32, jitter: f64) -> Next {
    match status {
        Some(s) if (200..300).contains(&s) => Next::Delivered,
        None | Some(408) | Some(429) | Some(500..=599) => {
            let backoff = (BASE_DELAY_MS * 2f64.powi(attempt.min(16) as i32)).min(MAX_DELAY_MS);
            // "Equal jitter": half fixed, half random, so that many clients do not retry in step.
            let delay = backoff / 2.0 + backoff / 2.0 * jitter.clamp(0.0, 1.0);
            let asked = retry_after.and_then(|v| crate::number::parse(v.trim())).map(|s| (s * 1000.0).clamp(0.0, MAX_RETRY_AFTER_MS));
            Next::RetryIn(asked.map_or(delay, |a| a.max(delay)))
        }
        Some(s) => Next::GiveUp(format!("HTTP {s}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn success_retry_and_give_up() {
        assert_eq!(next(Some(201), None, 0, 0.5), Next::Delivered);
        assert_eq!(next(Some(400), None, 0, 0.5), Next::GiveUp("HTTP 400".into()));
        assert_eq!(next(Some(404), None, 3, 0.5), Next::GiveUp("HTTP 404".into()));
        for status in [None, Some(408), Some(429), Some(500), Some(503)] {
            assert!(matches!(next(status, None, 0, 0.0), Next::RetryIn(d) if d == 1000.0), "{status:?}");
        }
    }

    #[test]
    fn backoff_grows_with_jitter_and_a_cap() {
        let d = |attempt, jitter| match next(None, None, attempt, jitter) { Next::RetryIn(d) => d, other => panic!("{other:?}") };
        assert_eq!(d(0, 1.0), 2000.0);
        assert_eq!(d(1, 1.0), 4000.0);
        assert_eq!(d(3, 0.0), 8000.0);
        assert_eq!(d(30, 1.0), MAX_DELAY_MS);
        assert!(d(2, 0.3) > d(2, 0.0) && d(2, 0.3) < d(2, 1.0));
    }

    #[test]
    fn retry_after_is_honoured_and_bounded() {
        assert_eq!(next(Some(429), Some("30"), 0, 0.0), Next::RetryIn(30_000.0));
        assert_eq!(next(Some(503), Some("0"), 2, 1.0), Next::RetryIn(8000.0), "never sooner than the backoff");
        assert_eq!(next(Some(503), Some("999999"), 0, 0.0), Next::RetryIn(MAX_RETRY_AFTER_MS));
        assert_eq!(next(Some(503), Some("Wed, 21 Oct 2015 07:28:00 GMT"), 0, 0.0), Next::RetryIn(1000.0));
    }
}
