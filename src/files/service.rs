//! Scans of the dossier's papers: attached to a record in scope, corrected by a new
//! version, read back by the accounts that see the record, every read on the audit trail.

use std::io::{Read, Seek, SeekFrom};

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseBackend, DatabaseConnection, EntityTrait, QueryFilter,
    QuerySelect, Set,
};
use sha2::{Digest, Sha256};

use entity::{
    background_check, candidate, course_enrolment, decision, dossier_document, higher_consent, introduction,
    resolution, scanned_file,
};

use crate::access::{self, Actor};
use crate::audit::service::{self as audit, Event};
use crate::domain::files::{self, MediaType, RecordKind};
use crate::error::{AppError, AppResult, Limit, tr};
use crate::filestore::Store;
use crate::settings::FileSettings;

/// An uploaded file, as the multipart request left it: spooled to a temporary file.
pub struct Upload {
    /// The name the uploader gave it.
    pub name: String,
    pub content: std::fs::File,
}

/// What an upload was found to be before anything is stored.
struct Inspected {
    media: MediaType,
    size: u64,
    sha256: String,
    content: tokio::fs::File,
}

/// Read the upload once (off the async workers): its size within `max_bytes`, its type by
/// its first bytes, its SHA-256; then rewind it for storing.
#[tracing::instrument(level = "debug", skip_all)]
async fn inspect(upload: std::fs::File, max_bytes: u64, field: &'static str) -> AppResult<Inspected> {
    let checked = tokio::task::spawn_blocking(move || -> AppResult<(MediaType, u64, String, std::fs::File)> {
        let mut file = upload;
        let io = |e: std::io::Error| AppError::Unexpected(anyhow::Error::new(e).context("reading an upload"));
        let size = file.metadata().map_err(io)?.len();
        if size == 0 {
            return Err(AppError::validation(field, tr!("the file is empty", "tệp rỗng")));
        }
        if size > max_bytes {
            return Err(AppError::LimitExceeded {
                limit: Limit::FileSize,
                message: tr!(
                    "a file holds at most {max_bytes} bytes; this one holds {size}",
                    "mỗi tệp tối đa {max_bytes} byte; tệp này {size} byte"
                ),
            });
        }
        file.seek(SeekFrom::Start(0)).map_err(io)?;
        let mut hasher = Sha256::new();
        let mut head = Vec::with_capacity(MediaType::SNIFF_BYTES);
        let mut buffer = vec![0u8; 64 * 1024];
        loop {
            let n = file.read(&mut buffer).map_err(io)?;
            if n == 0 {
                break;
            }
            if head.len() < MediaType::SNIFF_BYTES {
                let take = (MediaType::SNIFF_BYTES - head.len()).min(n);
                head.extend_from_slice(&buffer[..take]);
            }
            hasher.update(&buffer[..n]);
        }
        let media = MediaType::sniff(&head).ok_or_else(|| {
            AppError::validation(
                field,
                tr!(
                    "a scan must be a PDF, JPEG or PNG file, as its content shows (its name does not count)",
                    "bản quét phải là tệp PDF, JPEG hoặc PNG theo đúng nội dung của tệp (tên tệp không được tính)"
                ),
            )
        })?;
        file.seek(SeekFrom::Start(0)).map_err(io)?;
        Ok((media, size, format!("{:x}", hasher.finalize()), file))
    })
    .await
    .map_err(|e| AppError::Unexpected(anyhow::anyhow!("the task reading an upload failed: {e}")))??;
    let (media, size, sha256, file) = checked;
    Ok(Inspected {
        media,
        size,
        sha256,
        content: tokio::fs::File::from_std(file),
    })
}

/// The candidate whose record `kind`/`id` is, if the scope sees it; otherwise the record's
/// own `NOT_FOUND`.
#[tracing::instrument(level = "debug", skip_all)]
async fn candidate_of(db: &impl ConnectionTrait, actor: &Actor, kind: RecordKind, id: i32) -> AppResult<i32> {
    let scope = actor.scope();
    Ok(match kind {
        RecordKind::Document => {
            access::find::<dossier_document::Entity>(db, scope, id)
                .await?
                .candidate_id
        }
        RecordKind::Resolution => access::find::<resolution::Entity>(db, scope, id).await?.candidate_id,
        RecordKind::Decision => access::find::<decision::Entity>(db, scope, id).await?.candidate_id,
        RecordKind::Verification => {
            access::find::<background_check::Entity>(db, scope, id)
                .await?
                .candidate_id
        }
        RecordKind::Introduction => access::find::<introduction::Entity>(db, scope, id).await?.candidate_id,
        RecordKind::Consent => {
            access::find::<higher_consent::Entity>(db, scope, id)
                .await?
                .candidate_id
        }
        RecordKind::Certificate => {
            let enrolment = access::find::<course_enrolment::Entity>(db, scope, id).await?;
            if enrolment.certificate_date.is_none() {
                return Err(AppError::rule(
                    "CERTIFICATE_NOT_RECORDED",
                    tr!(
                        "the course has not issued this enrolment a certificate yet: record it first",
                        "lớp bồi dưỡng chưa cấp giấy chứng nhận cho lượt đăng ký học này: hãy ghi nhận giấy chứng nhận trước"
                    ),
                ));
            }
            enrolment.candidate_id
        }
    })
}

/// What a new version is: of which record, which version, correcting which.
struct NewVersion {
    kind: RecordKind,
    record_id: i32,
    supersedes: Option<scanned_file::Model>,
}

/// Attach a scan to a record of a candidate's dossier. By a staff account that sees the
/// record; the file is checked by its content and size, and the candidate's files stay
/// within their quota.
#[tracing::instrument(level = "debug", skip_all, fields(kind = %kind, record_id))]
pub async fn attach(
    db: &DatabaseConnection,
    store: &Store,
    settings: &FileSettings,
    actor: &Actor,
    kind: RecordKind,
    record_id: i32,
    upload: Upload,
) -> AppResult<scanned_file::Model> {
    actor.require_staff()?;
    candidate_of(db, actor, kind, record_id).await?;
    let version = NewVersion {
        kind,
        record_id,
        supersedes: None,
    };
    store_version(db, store, settings, actor, version, upload, None).await
}

/// Correct a scan: the new file becomes the record's current version and the old one is
/// kept, reachable as an earlier version. `reason` goes on the audit trail.
#[tracing::instrument(level = "debug", skip_all, fields(file_id))]
pub async fn correct(
    db: &DatabaseConnection,
    store: &Store,
    settings: &FileSettings,
    actor: &Actor,
    file_id: i32,
    upload: Upload,
    reason: Option<String>,
) -> AppResult<scanned_file::Model> {
    let reason =
        crate::domain::text::parse_optional_label(reason, 2000).map_err(|m| AppError::validation("input.reason", m))?;
    actor.require_staff()?;
    let old = access::find::<scanned_file::Entity>(db, actor.scope(), file_id).await?;
    let version = NewVersion {
        kind: old.record_kind,
        record_id: old.record_id,
        supersedes: Some(old),
    };
    store_version(db, store, settings, actor, version, upload, reason).await
}

#[tracing::instrument(level = "debug", skip_all)]
async fn store_version(
    db: &DatabaseConnection,
    store: &Store,
    settings: &FileSettings,
    actor: &Actor,
    new: NewVersion,
    upload: Upload,
    reason: Option<String>,
) -> AppResult<scanned_file::Model> {
    let mut inspected = inspect(upload.content, settings.max_file_bytes, "input.file").await?;
    let txn = crate::db::begin_write(db).await?;
    // Checked again inside the transaction: the record may have moved out of scope since.
    let candidate_id = candidate_of(&txn, actor, new.kind, new.record_id).await?;
    let mut lookup = candidate::Entity::find_by_id(candidate_id);
    if txn.get_database_backend() == DatabaseBackend::Postgres {
        // One upload at a time per candidate, so two cannot both fit in the last of a quota.
        lookup = lookup.lock_exclusive();
    }
    let candidate = lookup
        .one(&txn)
        .await?
        .ok_or(AppError::not_found(crate::error::noun::CANDIDATE))?;
    if let Some(old) = &new.supersedes
        && is_superseded(&txn, old.id).await?
    {
        return Err(AppError::Conflict(tr!(
            "this version has already been corrected: correct the current version",
            "phiên bản này đã được sửa: hãy sửa phiên bản hiện hành"
        )));
    }
    // A candidate has a few dozen scans at the most: their sizes are summed here, alike on
    // both databases (PostgreSQL's SUM of a BIGINT is a NUMERIC).
    let sizes: Vec<i64> = scanned_file::Entity::find()
        .select_only()
        .column(scanned_file::Column::SizeBytes)
        .filter(scanned_file::Column::CandidateId.eq(candidate_id))
        .into_tuple()
        .all(&txn)
        .await?;
    let stored = sizes.iter().map(|s| (*s).max(0) as u64).sum::<u64>();
    if !files::within_quota(stored, inspected.size, settings.max_candidate_file_bytes) {
        return Err(AppError::LimitExceeded {
            limit: Limit::CandidateFiles,
            message: tr!(
                "a candidate's scans hold at most {} bytes; {stored} are stored and this file adds {}",
                "bản quét của một người xin vào Đảng tối đa {} byte; đã lưu {stored} byte và tệp này thêm {}",
                settings.max_candidate_file_bytes,
                inspected.size
            ),
        });
    }
    let row = scanned_file::ActiveModel {
        candidate_id: Set(candidate_id),
        record_kind: Set(new.kind),
        record_id: Set(new.record_id),
        supersedes_id: Set(new.supersedes.as_ref().map(|f| f.id)),
        version: Set(new.supersedes.as_ref().map_or(1, |f| f.version + 1)),
        file_name: Set(files::safe_file_name(&upload.name, inspected.media)),
        media_type: Set(inspected.media),
        size_bytes: Set(inspected.size as i64),
        sha256: Set(inspected.sha256.clone()),
        storage: Set(store.code().to_string()),
        storage_key: Set(None),
        uploaded_by: Set(Some(actor.user_id)),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let key = store.put(&txn, row.id, &mut inspected.content).await?;
    let row = match key {
        Some(key) => {
            let mut with_key: scanned_file::ActiveModel = row.into();
            with_key.storage_key = Set(Some(key));
            with_key.update(&txn).await?
        }
        None => row,
    };
    let act = if new.supersedes.is_some() {
        "correctScan"
    } else {
        "attachScan"
    };
    let before = new.supersedes.as_ref().map(audit::snapshot).transpose()?;
    let event = Event::new(act, audit::CANDIDATE, candidate_id, Some(candidate.branch_id))
        .before(before)
        .after(&serde_json::json!({ "file": row, "reason": reason }))?;
    audit::commit(txn, actor, event).await?;
    Ok(row)
}

#[tracing::instrument(level = "debug", skip_all)]
async fn is_superseded(db: &impl ConnectionTrait, file_id: i32) -> AppResult<bool> {
    Ok(scanned_file::Entity::find()
        .filter(scanned_file::Column::SupersedesId.eq(file_id))
        .one(db)
        .await?
        .is_some())
}

/// The file `file_id` for download by `actor`: never for a reporting account; out of scope
/// answers as missing. The read is on the audit trail before a byte is sent.
#[tracing::instrument(level = "debug", skip_all, fields(file_id))]
pub async fn open_for_download(db: &DatabaseConnection, actor: &Actor, file_id: i32) -> AppResult<scanned_file::Model> {
    actor.require_staff()?;
    let file = access::find::<scanned_file::Entity>(db, actor.scope(), file_id).await?;
    let candidate = candidate::Entity::find_by_id(file.candidate_id)
        .one(db)
        .await?
        .ok_or(AppError::not_found(crate::error::noun::FILE))?;
    let event = Event::new(
        "readScan",
        audit::CANDIDATE,
        file.candidate_id,
        Some(candidate.branch_id),
    )
    .after(&serde_json::json!({ "fileId": file.id, "version": file.version, "sha256": file.sha256 }))?;
    let txn = crate::db::begin_write(db).await?;
    audit::commit(txn, actor, event).await?;
    Ok(file)
}

/// The versions `file` corrected, newest first.
#[tracing::instrument(level = "debug", skip_all)]
pub async fn earlier_versions(
    db: &impl ConnectionTrait,
    file: &scanned_file::Model,
) -> AppResult<Vec<scanned_file::Model>> {
    let mut versions = Vec::new();
    let mut next = file.supersedes_id;
    // A version's predecessor has a lower version number, so the walk ends.
    while let Some(id) = next {
        let Some(older) = scanned_file::Entity::find_by_id(id).one(db).await? else {
            break;
        };
        next = older.supersedes_id;
        versions.push(older);
    }
    Ok(versions)
}
