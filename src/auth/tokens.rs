//! Access tokens (HS256 JWT, short-lived) and refresh tokens (opaque, random, stored hashed).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::domain::role::Role;
use crate::settings::{AuthSettings, Mode};

/// Shortest signing key accepted (bytes): RFC 7518 asks for a key at least as long as the
/// HMAC output.
pub const MIN_KEY_BYTES: usize = 32;

/// The claims of an access token.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Claims {
    /// The account id.
    pub sub: String,
    /// ADMIN, PROVINCE, DISTRICT, COMMUNE, SECTION, BRANCH or REPORTER.
    pub role: String,
    /// The org unit the account acts for (absent for an administrator).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub org: Option<i32>,
    pub iat: i64,
    pub exp: i64,
    pub iss: String,
    pub aud: String,
    pub jti: String,
}

/// Why a presented access token was refused. Deliberately coarse.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenError {
    Expired,
    Invalid,
}

/// Signs and checks access tokens.
pub struct TokenKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    issuer: String,
    audience: String,
    ttl_secs: i64,
}

impl TokenKeys {
    /// Build the keys from settings. In production a missing or short key is refused; in
    /// dev mode a random key is generated (tokens then die with the process).
    pub fn from_settings(settings: &AuthSettings, mode: Mode) -> anyhow::Result<Self> {
        let secret = match (&settings.jwt_secret, mode) {
            (Some(secret), _) if secret.expose().len() >= MIN_KEY_BYTES => secret.expose().as_bytes().to_vec(),
            (Some(_), Mode::Production) => anyhow::bail!(
                "KETNAP_JWT_SECRET must be at least {MIN_KEY_BYTES} bytes; generate one with `openssl rand -base64 48`"
            ),
            (None, Mode::Production) => anyhow::bail!(
                "KETNAP_JWT_SECRET is required in production mode; generate one with `openssl rand -base64 48`"
            ),
            (Some(_), Mode::Dev) | (None, Mode::Dev) => {
                tracing::warn!(
                    "no usable KETNAP_JWT_SECRET: signing with an ephemeral random key; tokens will not survive a restart"
                );
                random_bytes::<48>()?.to_vec()
            }
        };
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[&settings.jwt_issuer]);
        validation.set_audience(&[&settings.jwt_audience]);
        validation.set_required_spec_claims(&["exp", "iat", "iss", "aud", "sub"]);
        validation.leeway = 5;
        Ok(TokenKeys {
            encoding: EncodingKey::from_secret(&secret),
            decoding: DecodingKey::from_secret(&secret),
            validation,
            issuer: settings.jwt_issuer.clone(),
            audience: settings.jwt_audience.clone(),
            ttl_secs: settings.access_token_ttl_secs as i64,
        })
    }

    /// Issue an access token; returns it with its expiry.
    pub fn issue(
        &self,
        user_id: i32,
        role: Role,
        org: Option<i32>,
        now: DateTime<Utc>,
    ) -> anyhow::Result<(String, DateTime<Utc>)> {
        let exp = now + chrono::Duration::seconds(self.ttl_secs);
        let claims = Claims {
            sub: user_id.to_string(),
            role: role.as_str().to_string(),
            org,
            iat: now.timestamp(),
            exp: exp.timestamp(),
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            jti: uuid::Uuid::new_v4().to_string(),
        };
        let token = jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)?;
        Ok((token, exp))
    }

    /// Check signature, algorithm (HS256 only: `none` and every other algorithm are refused),
    /// issuer, audience and expiry.
    pub fn verify(&self, token: &str) -> Result<Claims, TokenError> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map(|data| data.claims)
            .map_err(|err| match err.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => TokenError::Expired,
                _ => TokenError::Invalid,
            })
    }
}

/// A new opaque refresh token (256 random bits, URL-safe).
pub fn new_refresh_token() -> anyhow::Result<String> {
    Ok(URL_SAFE_NO_PAD.encode(random_bytes::<32>()?))
}

/// How a refresh token is stored: SHA-256, hex. The token is random and long, so a fast
/// hash is enough; a leaked table does not yield usable tokens.
pub fn refresh_token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

fn random_bytes<const N: usize>() -> anyhow::Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("the system random source failed: {e}"))?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Secret;

    fn keys() -> TokenKeys {
        let settings = AuthSettings {
            jwt_secret: Some(Secret::new("k".repeat(40))),
            ..AuthSettings::default()
        };
        TokenKeys::from_settings(&settings, Mode::Production).unwrap()
    }

    #[test]
    fn a_token_round_trips() {
        let keys = keys();
        let (token, _) = keys.issue(7, Role::Branch, Some(3), Utc::now()).unwrap();
        let claims = keys.verify(&token).unwrap();
        assert_eq!(
            (claims.sub.as_str(), claims.role.as_str(), claims.org),
            ("7", "BRANCH", Some(3))
        );
    }

    #[test]
    fn expired_tokens_are_refused() {
        let keys = keys();
        let (token, _) = keys
            .issue(7, Role::Branch, Some(3), Utc::now() - chrono::Duration::hours(1))
            .unwrap();
        assert_eq!(keys.verify(&token), Err(TokenError::Expired));
    }

    #[test]
    fn production_refuses_missing_or_short_keys() {
        let short = AuthSettings {
            jwt_secret: Some(Secret::new("short")),
            ..AuthSettings::default()
        };
        assert!(TokenKeys::from_settings(&short, Mode::Production).is_err());
        assert!(TokenKeys::from_settings(&AuthSettings::default(), Mode::Production).is_err());
        assert!(TokenKeys::from_settings(&AuthSettings::default(), Mode::Dev).is_ok());
    }

    #[test]
    fn refresh_tokens_are_random_and_hashed() {
        let (a, b) = (new_refresh_token().unwrap(), new_refresh_token().unwrap());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(refresh_token_hash(&a).len(), 64);
        assert_ne!(refresh_token_hash(&a), refresh_token_hash(&b));
    }
}
