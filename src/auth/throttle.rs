//! Failed-login throttling, per account name and per client address.
//!
//! After `limit` failures inside a window, further attempts for that key are refused until
//! the window ends. Kept in memory: it protects one process; a deployment with several
//! instances behind a balancer gets a per-instance budget.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

#[derive(Debug, Clone, Copy)]
struct Window {
    started: Instant,
    failures: u32,
}

pub struct LoginThrottle {
    window: Duration,
    per_account: u32,
    per_address: u32,
    windows: Mutex<HashMap<String, Window>>,
}

impl LoginThrottle {
    pub fn new(window: Duration, per_account: u32, per_address: u32) -> Self {
        LoginThrottle {
            window,
            per_account,
            per_address,
            windows: Mutex::new(HashMap::new()),
        }
    }

    fn keys(account: &str, address: Option<&str>) -> (String, Option<String>) {
        (format!("account:{account}"), address.map(|a| format!("address:{a}")))
    }

    /// `Err(seconds to wait)` when either key has spent its failures in the current window.
    pub fn check(&self, account: &str, address: Option<&str>, now: Instant) -> Result<(), u64> {
        let (account_key, address_key) = Self::keys(account, address);
        let windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        let blocked = |key: &str, limit: u32| {
            windows.get(key).and_then(|w| {
                let end = w.started + self.window;
                (w.failures >= limit && now < end).then(|| (end - now).as_secs().max(1))
            })
        };
        let wait = [
            blocked(&account_key, self.per_account),
            address_key.as_deref().and_then(|k| blocked(k, self.per_address)),
        ]
        .into_iter()
        .flatten()
        .max();
        match wait {
            Some(secs) => Err(secs),
            None => Ok(()),
        }
    }

    pub fn record_failure(&self, account: &str, address: Option<&str>, now: Instant) {
        let (account_key, address_key) = Self::keys(account, address);
        let mut windows = self.windows.lock().unwrap_or_else(|p| p.into_inner());
        // Forget finished windows so the map does not grow without bound.
        windows.retain(|_, w| now < w.started + self.window);
        for key in std::iter::once(account_key).chain(address_key) {
            windows
                .entry(key)
                .or_insert(Window {
                    started: now,
                    failures: 0,
                })
                .failures += 1;
        }
    }

    /// A successful login clears the account's failures (not the address's).
    pub fn record_success(&self, account: &str) {
        let (account_key, _) = Self::keys(account, None);
        self.windows
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(&account_key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_is_blocked_after_its_failures_until_the_window_ends() {
        let throttle = LoginThrottle::new(Duration::from_secs(60), 3, 100);
        let t0 = Instant::now();
        for _ in 0..3 {
            assert!(throttle.check("an", Some("1.1.1.1"), t0).is_ok());
            throttle.record_failure("an", Some("1.1.1.1"), t0);
        }
        assert_eq!(throttle.check("an", Some("2.2.2.2"), t0), Err(60));
        assert!(throttle.check("binh", Some("1.1.1.1"), t0).is_ok());
        assert!(throttle.check("an", None, t0 + Duration::from_secs(61)).is_ok());
    }

    #[test]
    fn address_is_blocked_across_accounts() {
        let throttle = LoginThrottle::new(Duration::from_secs(60), 100, 2);
        let t0 = Instant::now();
        throttle.record_failure("an", Some("9.9.9.9"), t0);
        throttle.record_failure("binh", Some("9.9.9.9"), t0);
        assert!(throttle.check("chi", Some("9.9.9.9"), t0).is_err());
        assert!(throttle.check("chi", Some("8.8.8.8"), t0).is_ok());
    }

    #[test]
    fn success_clears_the_account() {
        let throttle = LoginThrottle::new(Duration::from_secs(60), 1, 100);
        let t0 = Instant::now();
        throttle.record_failure("an", None, t0);
        assert!(throttle.check("an", None, t0).is_err());
        throttle.record_success("an");
        assert!(throttle.check("an", None, t0).is_ok());
    }
}
