//! Failed-login throttling, per account name and per client address, kept in the database
//! (`login_attempt`) so that every instance of a deployment on one PostgreSQL shares one
//! budget: two instances behind a balancer give an attacker no more guesses than one.
//! (On SQLite, the embedded default, there is one instance by construction.)
//!
//! An attempt is counted *before* its password is checked, in one atomic statement per
//! key that also answers the new count, so that guesses sent in parallel, to one instance
//! or several, cannot all slip in before the first failure is recorded. A successful
//! sign-in then clears the account's count and gives the address its attempt back. After
//! `limit` attempts inside a window, further ones are refused until the window ends.

use std::time::Duration;

use sea_orm::sea_query::{Alias, Expr, ExprTrait, OnConflict, Query};
use sea_orm::{ConnectionTrait, DbErr};

use crate::error::{AppError, AppResult};

pub struct LoginThrottle {
    window: Duration,
    per_account: u32,
    per_address: u32,
}

fn table() -> Alias {
    Alias::new("login_attempt")
}

fn col(name: &str) -> Alias {
    Alias::new(name)
}

/// What one sign-in is counted against: the account's name and, when known, the client's
/// address (or its IPv6 /64).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counted {
    account: String,
    address: Option<String>,
}

impl LoginThrottle {
    pub fn new(window: Duration, per_account: u32, per_address: u32) -> Self {
        LoginThrottle {
            window,
            per_account,
            per_address,
        }
    }

    /// The counted keys. An IPv6 client is counted by its /64, the block one subscriber
    /// holds, so rotating through its addresses buys no guesses; a name is bounded by the
    /// username rules (64 characters), an address by its parse.
    pub fn keys(account: &str, address: Option<&str>) -> Counted {
        let address = address.map(|a| match a.parse::<std::net::IpAddr>() {
            Ok(std::net::IpAddr::V6(v6)) => {
                let s = v6.segments();
                format!("address:{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
            Ok(ip) => format!("address:{ip}"),
            Err(_) => "address:unknown".to_string(),
        });
        let account: String = account.chars().take(64).collect();
        Counted {
            account: format!("account:{account}"),
            address,
        }
    }

    /// Count one attempt for the account and the address at `now` (Unix seconds).
    /// `Err(RATE_LIMITED)` with the seconds to wait when either has spent its budget.
    pub async fn attempt(&self, db: &impl ConnectionTrait, keys: &Counted, now: i64) -> AppResult<()> {
        let mut wait = None;
        for (key, limit) in
            std::iter::once((&keys.account, self.per_account)).chain(keys.address.iter().map(|k| (k, self.per_address)))
        {
            let (attempts, ends) = self.count(db, key, now).await?;
            if attempts > i64::from(limit) {
                wait = Ord::max(wait, Some(Ord::max(ends - now, 1)));
            }
        }
        match wait {
            Some(secs) => Err(AppError::RateLimited {
                retry_after_secs: u64::try_from(secs).unwrap_or(1),
            }),
            None => Ok(()),
        }
    }

    /// Add one attempt to `key`'s window (a new window when the last one has ended) and
    /// answer the count and the window's end.
    async fn count(&self, db: &impl ConnectionTrait, key: &str, now: i64) -> AppResult<(i64, i64)> {
        let ends = now + i64::try_from(self.window.as_secs()).unwrap_or(i64::MAX / 2);
        let expired = Expr::col((table(), col("window_ends_at"))).lte(now);
        let upsert = Query::insert()
            .into_table(table())
            .columns([col("key"), col("attempts"), col("window_ends_at")])
            .values_panic([key.into(), 1.into(), ends.into()])
            .on_conflict(
                OnConflict::column(col("key"))
                    .value(
                        col("attempts"),
                        Expr::case(expired.clone(), 1).finally(Expr::col((table(), col("attempts"))).add(1)),
                    )
                    .value(
                        col("window_ends_at"),
                        Expr::case(expired, ends).finally(Expr::col((table(), col("window_ends_at")))),
                    )
                    .to_owned(),
            )
            .returning(Query::returning().columns([col("attempts"), col("window_ends_at")]))
            .to_owned();
        let row = db
            .query_one(&upsert)
            .await?
            .ok_or_else(|| DbErr::Custom("the attempt count returned no row".into()))?;
        let attempts: i32 = row.try_get("", "attempts")?;
        let ends: i64 = row.try_get("", "window_ends_at")?;
        Ok((i64::from(attempts), ends))
    }

    /// A successful sign-in clears the account's count and gives the address its attempt
    /// back; windows that have ended are forgotten.
    pub async fn succeeded(&self, db: &impl ConnectionTrait, keys: &Counted, now: i64) -> AppResult<()> {
        let forget = Query::delete()
            .from_table(table())
            .cond_where(
                sea_orm::Condition::any()
                    .add(Expr::col(col("key")).eq(keys.account.as_str()))
                    .add(Expr::col(col("window_ends_at")).lte(now)),
            )
            .to_owned();
        db.execute(&forget).await?;
        if let Some(key) = &keys.address {
            let give_back = Query::update()
                .table(table())
                .value(col("attempts"), Expr::col(col("attempts")).sub(1))
                .and_where(Expr::col(col("key")).eq(key))
                .and_where(Expr::col(col("attempts")).gt(0))
                .to_owned();
            db.execute(&give_back).await?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::{Counted, LoginThrottle};

    #[test]
    fn an_ipv6_client_is_counted_by_its_block() {
        let a = LoginThrottle::keys("an", Some("2001:db8:1:2:aaaa::1")).address;
        let b = LoginThrottle::keys("an", Some("2001:db8:1:2:bbbb::9")).address;
        assert_eq!(a, b);
        assert_eq!(a.as_deref(), Some("address:2001:db8:1:2::/64"));
        let v4 = LoginThrottle::keys("an", Some("10.0.0.7")).address;
        assert_eq!(v4.as_deref(), Some("address:10.0.0.7"));
        let Counted { account, address: junk } = LoginThrottle::keys(&"x".repeat(500), Some("not an address"));
        assert!(account.len() <= 72);
        assert_eq!(junk.as_deref(), Some("address:unknown"));
    }
}
