//! Persisted queries, as mobile apps ship them.
//!
//! - **Automatic persisted queries** (Apollo's protocol, on by default): a client sends the
//!   SHA-256 of its document in `extensions.persistedQuery.sha256Hash`, without the text;
//!   a server that does not know it answers `PERSISTED_QUERY_NOT_FOUND`, the client sends the
//!   text with the hash once, and the server keeps it (in a bounded memory of its own, per
//!   process) for the next request.
//! - **Trusted documents** (`--trusted-documents FILE`, for production): only the operations
//!   of a manifest loaded at start-up run, sent by hash or as their exact text; any other
//!   document answers `PERSISTED_QUERY_NOT_ALLOWED`, and nothing is learnt from requests.
//!   The manifest is Apollo's (`apollo-persisted-query-manifest`, from
//!   `generate-persisted-query-manifest`) or a map of hashes to documents (GraphQL Code
//!   Generator's `persisted-documents.json`); every hash must be the document's SHA-256.

use std::collections::HashMap;
use std::num::NonZeroUsize;
use std::path::Path;
use std::sync::{Arc, Mutex};

use anyhow::Context;
use async_graphql::{Request, ServerError};
use lru::LruCache;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::error::{Code, protocol_error, tr};

/// What a server knows of documents sent by hash.
pub struct Documents {
    /// Learnt from requests (automatic persisted queries), when they are on.
    learnt: Option<Mutex<LruCache<String, Arc<str>>>>,
    /// The only documents that run, when a manifest is loaded.
    trusted: Option<HashMap<String, Arc<str>>>,
}

/// A document to remember once it has passed the limits: the hash it was sent with.
#[derive(Debug)]
pub struct Learn(String);

/// The hex SHA-256 of a document, as clients compute it.
pub fn hash(document: &str) -> String {
    format!("{:x}", Sha256::digest(document.as_bytes()))
}

/// Apollo's answer to a hash it does not know, in the words its persisted-query link
/// matches: a protocol token, not a sentence, so the same in every language.
fn not_found() -> ServerError {
    let mut err = ServerError::new("PersistedQueryNotFound", None);
    err.extensions
        .get_or_insert_with(Default::default)
        .set("code", "PERSISTED_QUERY_NOT_FOUND");
    err
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Manifest {
    Apollo {
        format: String,
        operations: Vec<ManifestOperation>,
    },
    Map(HashMap<String, String>),
}

#[derive(Deserialize)]
struct ManifestOperation {
    id: String,
    body: String,
}

impl Documents {
    /// Automatic persisted queries remembering at most `capacity` documents (0: off), or,
    /// with `manifest`, only the documents it lists.
    pub fn new(capacity: usize, manifest: Option<&Path>) -> anyhow::Result<Documents> {
        if let Some(path) = manifest {
            return Ok(Documents {
                learnt: None,
                trusted: Some(load(path)?),
            });
        }
        Ok(Documents {
            learnt: NonZeroUsize::new(capacity).map(|n| Mutex::new(LruCache::new(n))),
            trusted: None,
        })
    }

    /// Fill in the document of a request sent by hash, and check the one sent with its hash;
    /// refuse what may not run. A document sent with its hash to be remembered comes back as
    /// [`Learn`]: the caller hands it to [`Documents::learn`] once the document has passed
    /// the limits, so that nothing oversized or unparsable is kept.
    pub fn resolve(&self, request: &mut Request) -> Result<Option<Learn>, ServerError> {
        let sent_hash = match request.extensions.0.get("persistedQuery") {
            None => None,
            Some(persisted) => {
                let persisted = persisted.clone().into_json().unwrap_or_default();
                if persisted.get("version").and_then(|v| v.as_i64()) != Some(1) {
                    return Err(protocol_error(
                        "PERSISTED_QUERY_NOT_SUPPORTED",
                        tr!(
                            "only version 1 of persisted queries is supported",
                            "chỉ hỗ trợ phiên bản 1 của truy vấn lưu sẵn (persisted query)"
                        ),
                    ));
                }
                let Some(hash) = persisted.get("sha256Hash").and_then(|h| h.as_str()) else {
                    return Err(protocol_error(
                        Code::BadUserInput.as_str(),
                        tr!(
                            "persistedQuery needs its sha256Hash",
                            "persistedQuery phải có sha256Hash"
                        ),
                    ));
                };
                Some(hash.to_ascii_lowercase())
            }
        };
        if let Some(trusted) = &self.trusted {
            let hash = match (&sent_hash, request.query.is_empty()) {
                (Some(hash), true) => hash.clone(),
                _ => hash(&request.query),
            };
            let Some(document) = trusted.get(&hash) else {
                return Err(protocol_error(
                    "PERSISTED_QUERY_NOT_ALLOWED",
                    tr!(
                        "only the operations registered with this server run here",
                        "máy chủ này chỉ chạy các thao tác đã đăng ký"
                    ),
                ));
            };
            if request.query.is_empty() {
                request.query = document.to_string();
            }
            return Ok(None);
        }
        let Some(sent_hash) = sent_hash else {
            return Ok(None);
        };
        let Some(learnt) = &self.learnt else {
            return Err(protocol_error(
                "PERSISTED_QUERY_NOT_SUPPORTED",
                tr!(
                    "persisted queries are off on this server",
                    "máy chủ này đã tắt truy vấn lưu sẵn (persisted query)"
                ),
            ));
        };
        if request.query.is_empty() {
            let mut learnt = learnt.lock().unwrap_or_else(|e| e.into_inner());
            let Some(document) = learnt.get(&sent_hash) else {
                return Err(not_found());
            };
            request.query = document.to_string();
            return Ok(None);
        }
        if hash(&request.query) != sent_hash {
            return Err(protocol_error(
                Code::BadUserInput.as_str(),
                tr!(
                    "provided sha does not match query",
                    "mã sha gửi kèm không khớp với truy vấn"
                ),
            ));
        }
        Ok(Some(Learn(sent_hash)))
    }

    /// Remember `document` under the hash it was sent with, now that it passed the limits.
    pub fn learn(&self, learn: Learn, document: &str) {
        if let Some(learnt) = &self.learnt {
            let mut learnt = learnt.lock().unwrap_or_else(|e| e.into_inner());
            learnt.put(learn.0, Arc::from(document));
        }
    }
}

/// Read a manifest, checking that every hash is its document's.
fn load(path: &Path) -> anyhow::Result<HashMap<String, Arc<str>>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("--trusted-documents: cannot read {}", path.display()))?;
    let manifest: Manifest = serde_json::from_str(&text)
        .with_context(|| format!("--trusted-documents: {} is not a manifest", path.display()))?;
    let pairs: Vec<(String, String)> = match manifest {
        Manifest::Apollo { format, operations } => {
            anyhow::ensure!(
                format == "apollo-persisted-query-manifest",
                "--trusted-documents: unknown manifest format {format:?}"
            );
            operations.into_iter().map(|op| (op.id, op.body)).collect()
        }
        Manifest::Map(map) => map.into_iter().collect(),
    };
    let mut trusted = HashMap::new();
    for (id, body) in pairs {
        let id = id.strip_prefix("sha256:").unwrap_or(&id).to_ascii_lowercase();
        anyhow::ensure!(
            hash(&body) == id,
            "--trusted-documents: {id} is not the SHA-256 of its document"
        );
        trusted.insert(id, Arc::from(body));
    }
    anyhow::ensure!(
        !trusted.is_empty(),
        "--trusted-documents: the manifest lists no operation"
    );
    Ok(trusted)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn by_hash(document: &str) -> Request {
        let mut request = Request::new("");
        request.extensions.0.insert(
            "persistedQuery".into(),
            async_graphql::Value::from_json(serde_json::json!({ "version": 1, "sha256Hash": hash(document) })).unwrap(),
        );
        request
    }

    fn code(err: ServerError) -> String {
        err.extensions.unwrap().get("code").unwrap().to_string()
    }

    #[test]
    fn a_hash_is_learnt_from_its_document_then_answered() {
        let documents = Documents::new(2, None).unwrap();
        let text = "{ me { username } }";
        let err = documents.resolve(&mut by_hash(text)).unwrap_err();
        assert_eq!(code(err), "\"PERSISTED_QUERY_NOT_FOUND\"");
        let mut register = by_hash(text);
        register.query = text.into();
        let learn = documents.resolve(&mut register).unwrap().expect("to be learnt");
        assert!(
            documents.resolve(&mut by_hash(text)).is_err(),
            "not before it passed the limits"
        );
        documents.learn(learn, text);
        let mut again = by_hash(text);
        documents.resolve(&mut again).unwrap();
        assert_eq!(again.query, text);
        let mut lying = by_hash(text);
        lying.query = "{ __typename }".into();
        assert_eq!(code(documents.resolve(&mut lying).unwrap_err()), "\"BAD_USER_INPUT\"");
        let mut plain = Request::new("{ __typename }");
        documents.resolve(&mut plain).unwrap();
    }

    #[test]
    fn the_memory_is_bounded() {
        let documents = Documents::new(1, None).unwrap();
        for text in ["{ a }", "{ b }"] {
            let mut register = by_hash(text);
            register.query = text.into();
            let learn = documents.resolve(&mut register).unwrap().unwrap();
            documents.learn(learn, text);
        }
        assert!(
            documents.resolve(&mut by_hash("{ a }")).is_err(),
            "the oldest is forgotten"
        );
        assert!(documents.resolve(&mut by_hash("{ b }")).is_ok());
    }

    #[test]
    fn trusted_documents_only_run_what_is_listed() {
        let listed = "query Me { me { username } }";
        let dir = std::env::temp_dir().join(format!("ketnap-manifest-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("manifest.json");
        let manifest = serde_json::json!({
            "format": "apollo-persisted-query-manifest", "version": 1,
            "operations": [{ "id": hash(listed), "name": "Me", "type": "query", "body": listed }]
        });
        std::fs::write(&path, manifest.to_string()).unwrap();
        let documents = Documents::new(100, Some(&path)).unwrap();
        let mut sent = by_hash(listed);
        documents.resolve(&mut sent).unwrap();
        assert_eq!(sent.query, listed);
        documents.resolve(&mut Request::new(listed)).unwrap();
        let err = documents
            .resolve(&mut Request::new("{ __schema { types { name } } }"))
            .unwrap_err();
        assert_eq!(code(err), "\"PERSISTED_QUERY_NOT_ALLOWED\"");
        let mut register = by_hash("{ me { id } }");
        register.query = "{ me { id } }".into();
        assert!(
            documents.resolve(&mut register).is_err(),
            "nothing unlisted runs, nor is learnt"
        );

        std::fs::write(&path, serde_json::json!({ "0000": listed }).to_string()).unwrap();
        assert!(
            Documents::new(100, Some(&path)).is_err(),
            "a wrong hash stops the start"
        );
        std::fs::write(
            &path,
            serde_json::json!({ format!("sha256:{}", hash(listed)): listed }).to_string(),
        )
        .unwrap();
        assert!(
            Documents::new(100, Some(&path)).is_ok(),
            "a map of hashes is a manifest too"
        );
    }
}
