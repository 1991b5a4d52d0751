//! The toolkit every feature builds its API with: the request context and its batched
//! loaders, Relay connections and global ids, scalars, the enums shared across features,
//! and the error-only response. It imports no feature; the schema that merges the features
//! is `crate::api`.

pub(crate) mod context;
pub(crate) mod enums;
pub(crate) mod language;
pub(crate) mod loaders;
pub mod relay;
pub(crate) mod response;
pub(crate) mod scalars;
