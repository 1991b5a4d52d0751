//! Password hashing with argon2id at OWASP's minimum cost (19 MiB, 2 passes, 1 lane),
//! run off the async runtime on a fixed number of threads, which bounds how many hashes
//! run at once and how much memory they hold.

use std::sync::Arc;

use anyhow::Context;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{self, Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};

use crate::error::{AppError, AppResult, tr};

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
            tr!(
                "must be at least {MIN_PASSWORD_CHARS} characters",
                "phải có ít nhất {MIN_PASSWORD_CHARS} ký tự"
            ),
        ));
    }
    if chars > MAX_PASSWORD_CHARS {
        return Err(AppError::validation(
            "password",
            tr!(
                "must be at most {MAX_PASSWORD_CHARS} characters",
                "tối đa {MAX_PASSWORD_CHARS} ký tự"
            ),
        ));
    }
    Ok(())
}

type Job = Box<dyn FnOnce() + Send>;

/// Hashes and verifies passwords on a few dedicated threads, so at most that many hashes
/// run at once and the 19 MiB each one needs is reused by the same threads instead of
/// being spread over the runtime's blocking pool (where the allocator keeps it per thread,
/// and memory grows with every burst of sign-ins).
#[derive(Clone)]
pub struct Passwords {
    jobs: std::sync::mpsc::SyncSender<Job>,
    /// A hash of a random password, verified when the account does not exist so that an
    /// unknown username costs the same time as a wrong password.
    dummy_hash: Arc<str>,
}

/// The hash of a password nobody knows, at the current cost: verified for unknown
/// accounts so that they take as long as known ones.
const DUMMY_HASH: &str =
    "$argon2id$v=19$m=19456,t=2,p=1$ZHVtbXktc2FsdC1rZXRuYXA$YQ6yG3xZ0HzuSkmfQbu0JdZPMkmVk+1jRqfWVc2HdhQ";

/// Most hashing jobs waiting at once; more are refused rather than queued without bound.
const QUEUE: usize = 256;

impl Passwords {
    pub fn new(concurrency: usize) -> anyhow::Result<Self> {
        let (jobs, queue) = std::sync::mpsc::sync_channel::<Job>(QUEUE);
        let queue = Arc::new(std::sync::Mutex::new(queue));
        for worker in 0..concurrency.max(1) {
            let queue = queue.clone();
            std::thread::Builder::new()
                .name(format!("password-hash-{worker}"))
                .spawn(move || {
                    loop {
                        // Hold the lock only to take the next job.
                        let job = match queue.lock() {
                            Ok(queue) => queue.recv(),
                            Err(_) => return,
                        };
                        match job {
                            Ok(job) => {
                                job();
                                release_freed_memory();
                            }
                            Err(_) => return,
                        }
                    }
                })
                .context("could not start a password-hashing thread")?;
        }
        Ok(Passwords {
            jobs,
            dummy_hash: DUMMY_HASH.into(),
        })
    }

    /// Run `work` on a hashing thread and wait for it without blocking the runtime.
    async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> AppResult<T> {
        let (done, result) = tokio::sync::oneshot::channel();
        self.jobs
            .try_send(Box::new(move || {
                let _ = done.send(work());
            }))
            .map_err(|_| AppError::RateLimited { retry_after_secs: 1 })?;
        Ok(result.await.context("a password-hashing thread stopped")?)
    }

    pub async fn hash(&self, password: &str) -> AppResult<String> {
        let password = password.to_owned();
        Ok(self.run(move || hash_blocking(&password)).await??)
    }

    /// Verify `password` against `phc`, or against the dummy hash when `phc` is `None`
    /// (then the answer is always `false`, after the same amount of work).
    pub async fn verify(&self, password: &str, phc: Option<&str>) -> AppResult<bool> {
        let known = phc.is_some();
        let phc = phc.map(str::to_owned).unwrap_or_else(|| self.dummy_hash.to_string());
        let password = password.to_owned();
        let matches = self.run(move || verify_blocking(&password, &phc)).await??;
        Ok(known && matches)
    }
}

/// Run `work` with argon2's working memory (19 MiB at the OWASP cost), allocated for this
/// hash and freed when it is done; the hashing thread then hands it back to the system
/// (`release_freed_memory`), so an idle server does not keep it after the last sign-in and
/// a burst of sign-ins does not make it creep.
fn with_memory<T>(blocks: usize, work: impl FnOnce(&mut [Block]) -> T) -> T {
    let mut memory = vec![Block::default(); blocks];
    work(&mut memory)
}

/// Hand back to the system what this thread's finished hash freed (argon2's 19 MiB), now
/// rather than when mimalloc's purge delay next comes round: an idle server calls the
/// allocator too rarely for the delayed purge to run, and kept every sign-in's memory (27
/// MB more after three sign-ins, measured; 3 MB with this). A hash is some 30 ms of work,
/// so a collection after it costs nothing that shows. With another global allocator (the
/// tests) it walks mimalloc's own empty heap.
fn release_freed_memory() {
    // SAFETY: `mi_collect` takes no pointer and touches only the calling thread's heap.
    unsafe { libmimalloc_sys::mi_collect(true) }
}

/// Hash synchronously (start-up and command-line use).
pub fn hash_blocking(password: &str) -> anyhow::Result<String> {
    let argon = argon2();
    let salt = SaltString::generate(&mut OsRng);
    let salt = salt.as_salt();
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt
        .decode_b64(&mut salt_bytes)
        .map_err(|e| anyhow::anyhow!("salt: {e}"))?;
    let output = Output::init_with(Params::DEFAULT_OUTPUT_LEN, |out| {
        with_memory(argon.params().block_count(), |memory| {
            argon.hash_password_into_with_memory(password.as_bytes(), salt_bytes, out, memory)
        })
        .map_err(|_| password_hash::Error::Crypto)
    })
    .map_err(|e| anyhow::anyhow!("argon2 hashing failed: {e}"))?;
    let hash = PasswordHash {
        algorithm: Algorithm::Argon2id.ident(),
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(argon.params()).map_err(|e| anyhow::anyhow!("argon2 parameters: {e}"))?,
        salt: Some(salt),
        hash: Some(output),
    };
    Ok(hash.to_string())
}

/// Verify against a stored PHC string, with the parameters it was made with (so older
/// hashes keep verifying after the cost is raised).
fn verify_blocking(password: &str, phc: &str) -> anyhow::Result<bool> {
    let parsed = PasswordHash::new(phc).map_err(|e| anyhow::anyhow!("stored password hash is malformed: {e}"))?;
    let algorithm = Algorithm::try_from(parsed.algorithm).map_err(|e| anyhow::anyhow!("stored hash algorithm: {e}"))?;
    let version = parsed
        .version
        .map(Version::try_from)
        .transpose()
        .map_err(|e| anyhow::anyhow!("stored hash version: {e}"))?
        .unwrap_or_default();
    let params = Params::try_from(&parsed).map_err(|e| anyhow::anyhow!("stored hash parameters: {e}"))?;
    let (Some(salt), Some(expected)) = (parsed.salt, parsed.hash) else {
        anyhow::bail!("stored password hash has no salt or no hash");
    };
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt
        .decode_b64(&mut salt_bytes)
        .map_err(|e| anyhow::anyhow!("stored salt: {e}"))?;
    let argon = Argon2::new(algorithm, version, params);
    let mut out = vec![0u8; expected.len()];
    with_memory(argon.params().block_count(), |memory| {
        argon.hash_password_into_with_memory(password.as_bytes(), salt_bytes, &mut out, memory)
    })
    .map_err(|e| anyhow::anyhow!("argon2 verification failed: {e}"))?;
    // `Output` compares in constant time.
    Ok(Output::new(&out).map_err(|e| anyhow::anyhow!("hash output: {e}"))? == expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_interoperate_with_the_reference_implementation() {
        use argon2::password_hash::{PasswordHasher, PasswordVerifier};
        // Ours verifies with the crate's own verifier, and the crate's with ours.
        let ours = hash_blocking("một mật khẩu dài").unwrap();
        assert!(
            Argon2::default()
                .verify_password("một mật khẩu dài".as_bytes(), &PasswordHash::new(&ours).unwrap())
                .is_ok()
        );
        let salt = SaltString::generate(&mut OsRng);
        let theirs = argon2()
            .hash_password(b"another long password", &salt)
            .unwrap()
            .to_string();
        assert!(verify_blocking("another long password", &theirs).unwrap());
        assert!(!verify_blocking("another long passwore", &theirs).unwrap());
        // Older, cheaper parameters still verify.
        let old = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(8 * 1024, 1, 1, None).unwrap(),
        );
        let legacy = old.hash_password(b"legacy password!", &salt).unwrap().to_string();
        assert!(verify_blocking("legacy password!", &legacy).unwrap());
    }

    #[test]
    fn the_dummy_hash_has_the_current_cost() {
        let parsed = PasswordHash::new(DUMMY_HASH).unwrap();
        assert_eq!(Params::try_from(&parsed).unwrap().m_cost(), MEMORY_KIB);
        assert!(!verify_blocking("anything", DUMMY_HASH).unwrap());
    }

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
