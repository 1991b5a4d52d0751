//! Scanned papers of the dossier: attached, corrected and read in scope (`service`), in
//! the API (`graphql`) and downloaded (`download`); their bytes are kept behind one
//! interface, [`crate::filestore`].

pub(crate) mod download;
pub(crate) mod graphql;
pub(crate) mod service;
