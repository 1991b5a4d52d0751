//! Where the bytes of a scan are kept, behind one interface: in the database (the default,
//! in chunks, on SQLite and PostgreSQL alike) or in a directory. Both are written and read
//! a chunk at a time, so no file is ever held whole in memory.

use std::io;
use std::path::{Path, PathBuf};

use axum::body::Bytes;
use futures_util::Stream;
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, DatabaseTransaction, EntityTrait, QueryFilter, Set};
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};

use entity::{scanned_file, scanned_file_chunk};

use crate::error::{AppError, AppResult};
use crate::settings::{FileSettings, FileStorage};

/// The size of a chunk written to, and read from, the store.
pub const CHUNK_BYTES: usize = 64 * 1024;

/// A store for the bytes of scans.
#[derive(Debug, Clone)]
pub enum Store {
    /// `scanned_file_chunk` rows, written in the uploading act's own transaction.
    Database,
    /// One file per version below this directory, named by a random key.
    Directory(PathBuf),
}

impl Store {
    /// The store the settings name; a directory store's directory is created if missing.
    pub fn from_settings(settings: &FileSettings) -> anyhow::Result<Store> {
        match settings.file_storage {
            FileStorage::Database => Ok(Store::Database),
            FileStorage::Directory => {
                let dir = settings
                    .file_directory
                    .clone()
                    .ok_or_else(|| anyhow::anyhow!("--file-storage directory needs --file-directory"))?;
                std::fs::create_dir_all(&dir)
                    .map_err(|e| anyhow::anyhow!("cannot create the file directory {}: {e}", dir.display()))?;
                Ok(Store::Directory(dir))
            }
        }
    }

    /// The code stored with each file (`scanned_file.storage`).
    pub fn code(&self) -> &'static str {
        match self {
            Store::Database => "DATABASE",
            Store::Directory(_) => "DIRECTORY",
        }
    }

    /// Copy `source` into the store as the bytes of file `file_id`, a chunk at a time;
    /// returns the key to store with the file (none for the database).
    #[tracing::instrument(level = "debug", skip_all, fields(file_id))]
    pub async fn put(
        &self,
        txn: &DatabaseTransaction,
        file_id: i32,
        source: &mut (impl AsyncRead + Unpin),
    ) -> AppResult<Option<String>> {
        let mut buffer = vec![0u8; CHUNK_BYTES];
        match self {
            Store::Database => {
                let mut seq = 0;
                loop {
                    let filled = fill(source, &mut buffer).await?;
                    if filled == 0 {
                        return Ok(None);
                    }
                    scanned_file_chunk::ActiveModel {
                        file_id: Set(file_id),
                        seq: Set(seq),
                        data: Set(buffer[..filled].to_vec()),
                    }
                    .insert(txn)
                    .await?;
                    seq += 1;
                }
            }
            Store::Directory(dir) => {
                let key = uuid::Uuid::new_v4().simple().to_string();
                let part = dir.join(format!("{key}.part"));
                let mut out = tokio::fs::File::create(&part).await.map_err(io_error)?;
                loop {
                    let filled = fill(source, &mut buffer).await?;
                    if filled == 0 {
                        break;
                    }
                    out.write_all(&buffer[..filled]).await.map_err(io_error)?;
                }
                out.sync_all().await.map_err(io_error)?;
                tokio::fs::rename(&part, path_of(dir, &key)).await.map_err(io_error)?;
                Ok(Some(key))
            }
        }
    }

    /// The bytes of `file`, a chunk at a time, read as the stream is polled.
    pub fn open(
        &self,
        db: DatabaseConnection,
        file: &scanned_file::Model,
    ) -> AppResult<std::pin::Pin<Box<dyn Stream<Item = io::Result<Bytes>> + Send>>> {
        let file_id = file.id;
        match (file.storage.as_str(), file.storage_key.as_deref(), self) {
            ("DATABASE", _, _) => Ok(Box::pin(futures_util::stream::try_unfold(0, move |seq| {
                let db = db.clone();
                async move {
                    let chunk = scanned_file_chunk::Entity::find()
                        .filter(scanned_file_chunk::Column::FileId.eq(file_id))
                        .filter(scanned_file_chunk::Column::Seq.eq(seq))
                        .one(&db)
                        .await
                        .map_err(io::Error::other)?;
                    Ok(chunk.map(|c| (Bytes::from(c.data), seq + 1)))
                }
            }))),
            ("DIRECTORY", Some(key), Store::Directory(dir)) => {
                let path = path_of(dir, key);
                Ok(Box::pin(futures_util::stream::try_unfold(None, move |open| {
                    let path = path.clone();
                    async move {
                        let mut reader = match open {
                            Some(reader) => reader,
                            None => tokio::fs::File::open(&path).await?,
                        };
                        let mut buffer = vec![0u8; CHUNK_BYTES];
                        let filled = fill(&mut reader, &mut buffer).await.map_err(io::Error::other)?;
                        if filled == 0 {
                            return Ok(None);
                        }
                        buffer.truncate(filled);
                        Ok(Some((Bytes::from(buffer), Some(reader))))
                    }
                })))
            }
            (storage, _, _) => Err(AppError::Unexpected(anyhow::anyhow!(
                "file {file_id} is kept in storage {storage}, which this server is not configured to read"
            ))),
        }
    }
}

fn path_of(dir: &Path, key: &str) -> PathBuf {
    dir.join(key)
}

fn io_error(err: io::Error) -> AppError {
    AppError::Unexpected(anyhow::Error::new(err).context("file storage"))
}

/// Read from `source` until `buffer` is full or the source ends; how much was read.
#[tracing::instrument(level = "trace", skip_all)]
async fn fill(source: &mut (impl AsyncRead + Unpin), buffer: &mut [u8]) -> AppResult<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        let n = source.read(&mut buffer[filled..]).await.map_err(io_error)?;
        if n == 0 {
            break;
        }
        filled += n;
    }
    Ok(filled)
}
