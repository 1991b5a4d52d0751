//! Password hashing with argon2id at OWASP's minimum cost (19 MiB, 2 passes, 1 lane),
//! run off the async runtime with a bound on how many hashes run at once.

use std::sync::Arc;

use anyhow::Context;
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier as _, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::Semaphore;

use crate::error::{AppError, AppResult};

/// OWASP Password Storage Cheat Sheet, argon2id: m = 19 MiB, t = 2, p = 1.
const MEMORY_KIB: u32 = 19 * 1024;
const PASSES: u32 = 2;
const LANES: u32 = 1;

pub const MIN_PASSWORD_CHARS: usize = 12;
pub const MAX_PASSWORD_CHARS: usize = 128;

fn argon2() -> Argon2<'static> {
    // The parameters are constants inside the valid ranges.
    let params = Params::new(MEMORY_KIB, PASSES, LANES, None).expect("valid argon2 parameters");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Check a new password against the policy (length only, as NIST SP 800-63B advises).
pub fn check_policy(password: &str) -> AppResult<()> {
    let chars = password.chars().count();
    if chars < MIN_PASSWORD_CHARS {
        return Err(AppError::validation(
            "password",
            format!("must be at least {MIN_PASSWORD_CHARS} characters"),
        ));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(AppError::validation(
            "password",
            format!("must be at most {MAX_PASSWORD_CHARS} characters"),
        ));
    }
    Ok(())
}

/// Hashes and verifies passwords on the blocking pool, at most `concurrency` at a time.
#[derive(Clone)]
pub struct Passwords {
    permits: Arc<Semaphore>,
    /// A hash of a random password, verified when the account does not exist so that an
    /// unknown username costs the same time as a wrong password.
    dummy_hash: Arc<str>,
}

impl Passwords {
    pub fn new(concurrency: usize) -> anyhow::Result<Self> {
        let random = uuid::Uuid::new_v4().to_string();
        let dummy_hash = hash_blocking(&random)?;
        Ok(Passwords {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            dummy_hash: dummy_hash.into(),
        })
    }

    pub async fn hash(&self, password: &str) -> AppResult<String> {
        let _permit = self.permits.acquire().await.context("password hasher closed")?;
        let password = password.to_owned();
        let hash = tokio::task::spawn_blocking(move || hash_blocking(&password))
            .await
            .context("password hashing task failed")??;
        Ok(hash)
    }

    /// Verify `password` against `phc`, or against the dummy hash when `phc` is `None`
    /// (then the answer is always `false`, after the same amount of work).
    pub async fn verify(&self, password: &str, phc: Option<&str>) -> AppResult<bool> {
        let _permit = self.permits.acquire().await.context("password hasher closed")?;
        let known = phc.is_some();
        let phc = phc.map(str::to_owned).unwrap_or_else(|| self.dummy_hash.to_string());
        let password = password.to_owned();
        let matches = tokio::task::spawn_blocking(move || verify_blocking(&password, &phc))
            .await
            .context("password verification task failed")??;
        Ok(known && matches)
    }
}

/// Hash synchronously (start-up and command-line use).
pub fn hash_blocking(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    let hash = argon2()
        .hash_password(password.as_bytes(), &salt)
        .map_err(|e| anyhow::anyhow!("argon2 hashing failed: {e}"))?;
    Ok(hash.to_string())
}

fn verify_blocking(password: &str, phc: &str) -> anyhow::Result<bool> {
    let parsed = PasswordHash::new(phc).map_err(|e| anyhow::anyhow!("stored password hash is malformed: {e}"))?;
    // Parameters are read from the stored hash, so older hashes keep verifying.
    Ok(Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_use_argon2id_at_owasp_cost() {
        let hash = hash_blocking("correct horse battery").unwrap();
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");
        assert!(verify_blocking("correct horse battery", &hash).unwrap());
        assert!(!verify_blocking("wrong horse battery", &hash).unwrap());
    }

    #[test]
    fn policy_bounds_length() {
        assert!(check_policy("short").is_err());
        assert!(check_policy("twelve chars").is_ok());
        assert!(check_policy(&"x".repeat(129)).is_err());
    }

    #[tokio::test]
    async fn unknown_account_never_verifies() {
        let passwords = Passwords::new(1).unwrap();
        assert!(!passwords.verify("anything at all", None).await.unwrap());
        let hash = passwords.hash("the right password").await.unwrap();
        assert!(passwords.verify("the right password", Some(&hash)).await.unwrap());
    }
}
