//! Scans in the API: the `ScannedFile` type, the fields that list a record's scans, and the
//! two acts on them (`attachScan`, `correctScan`), uploaded as GraphQL multipart requests
//! (the graphql-multipart-request-spec that Apollo and urql clients speak).

use async_graphql::{Context, ID, InputObject, Object, SimpleObject, Upload};
use chrono::{DateTime, Utc};

use entity::scanned_file;

use super::service;
use crate::domain::files::RecordKind;
use crate::error::{AppError, AppResult, tr};
use crate::graphql::context::{ContextExt, load_children};
use crate::graphql::relay::{expect_global_id, global_id, parse_global_id};

crate::graphql::enums::mirror_enum! {
    /// What a scan is, as its content shows.
    ScanMediaType => crate::domain::files::MediaType {
        /// A PDF document (`application/pdf`).
        Pdf,
        /// A JPEG image (`image/jpeg`).
        Jpeg,
        /// A PNG image (`image/png`).
        Png,
    }
}

crate::graphql::enums::mirror_enum! {
    /// The kind of dossier record a scan belongs to.
    ScanRecordKind => RecordKind {
        /// A form of the dossier (`DossierDocument`).
        Document,
        /// A vote or appraisal (`Resolution`).
        Resolution,
        /// A decision (`Decision`).
        Decision,
        /// A course certificate (`CourseEnrolment`).
        Certificate,
        /// A verifying body's reply (`BackgroundCheck`).
        Verification,
        /// An introduction paper or union resolution (`Introduction`).
        Introduction,
        /// A higher committee's written consent (`HigherConsent`).
        Consent,
    }
}

/// The GraphQL type whose IDs name records of `kind`.
pub fn record_typename(kind: RecordKind) -> &'static str {
    match kind {
        RecordKind::Document => "DossierDocument",
        RecordKind::Resolution => "Resolution",
        RecordKind::Decision => "Decision",
        RecordKind::Certificate => "CourseEnrolment",
        RecordKind::Verification => "BackgroundCheck",
        RecordKind::Introduction => "Introduction",
        RecordKind::Consent => "HigherConsent",
    }
}

/// The record a global ID names, if it names one a scan can belong to.
fn record_of(id: &ID) -> AppResult<(RecordKind, i32)> {
    let wrong = || {
        AppError::validation(
            "input.recordId",
            tr!(
                "not the ID of a DossierDocument, Introduction, Resolution, Decision, CourseEnrolment, BackgroundCheck or HigherConsent",
                "không phải ID của một DossierDocument, Introduction, Resolution, Decision, CourseEnrolment, BackgroundCheck hoặc HigherConsent"
            ),
        )
    };
    let (typename, raw) = parse_global_id(id).ok_or_else(wrong)?;
    RecordKind::ALL
        .iter()
        .copied()
        .find(|k| record_typename(*k) == typename)
        .map(|k| (k, raw))
        .ok_or_else(wrong)
}

pub struct ScannedFile(pub scanned_file::Model);

impl ScannedFile {
    pub const TYPENAME: &'static str = "ScannedFile";
}

/// A scanned paper of the dossier, one version of it: never changed once stored (a
/// correction is a new version, and this one stays reachable from it).
#[Object]
impl ScannedFile {
    /// Global ID.
    async fn id(&self) -> ID {
        global_id(Self::TYPENAME, self.0.id)
    }
    /// The kind of record it belongs to.
    async fn record_kind(&self) -> ScanRecordKind {
        self.0.record_kind.into()
    }
    /// The ID of the record it belongs to (a `DossierDocument`, `Introduction`,
    /// `Resolution`, `Decision`, `CourseEnrolment`, `BackgroundCheck` or `HigherConsent`).
    async fn record_id(&self) -> ID {
        global_id(record_typename(self.0.record_kind), self.0.record_id)
    }
    /// The name it is downloaded under: the uploader's, made safe, with the extension of
    /// what it really is.
    async fn file_name(&self) -> &str {
        &self.0.file_name
    }
    /// What it is, told by its content.
    async fn media_type(&self) -> ScanMediaType {
        self.0.media_type.into()
    }
    /// Its size in bytes.
    async fn size_bytes(&self) -> i64 {
        self.0.size_bytes
    }
    /// SHA-256 of its content, lower-case hex: what a printed copy can be checked against.
    async fn sha256(&self) -> &str {
        &self.0.sha256
    }
    /// 1 for a first upload, one more for each correction.
    async fn version(&self) -> i32 {
        self.0.version
    }
    /// When it was uploaded (UTC).
    async fn uploaded_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    /// Where to download it (`GET`, with the same bearer token), relative to the server.
    async fn download_path(&self) -> String {
        format!("/files/{}", global_id(Self::TYPENAME, self.0.id).as_str())
    }
    /// The versions this one corrected, newest first (empty for a first upload).
    async fn earlier_versions(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<ScannedFile>> {
        let versions = service::earlier_versions(ctx.db()?, &self.0).await?;
        Ok(versions.into_iter().map(ScannedFile).collect())
    }
}

/// The current versions among `all`, the versions of a dossier's scans: those no other
/// version corrects.
pub fn current(all: &[scanned_file::Model]) -> impl Iterator<Item = &scanned_file::Model> {
    all.iter()
        .filter(|f| !all.iter().any(|g| g.supersedes_id == Some(f.id)))
}

/// The current scans of one record of `candidate_id`'s dossier, as a record type's `files`
/// field lists them: every scan of the dossier is read once per request, whatever the
/// number of records asking.
pub async fn files_of(
    ctx: &Context<'_>,
    candidate_id: i32,
    kind: RecordKind,
    record_id: i32,
) -> async_graphql::Result<Vec<ScannedFile>> {
    let all = load_children(&ctx.loaders()?.scans, candidate_id).await?;
    Ok(current(&all)
        .filter(|f| f.record_kind == kind && f.record_id == record_id)
        .cloned()
        .map(ScannedFile)
        .collect())
}

/// Attach a scan to a record of the dossier.
#[derive(InputObject)]
pub struct AttachScanInput {
    /// The record the paper is: a `DossierDocument`, `Introduction`, `Resolution`,
    /// `Decision`, `CourseEnrolment` (its certificate, once recorded), `BackgroundCheck` (the
    /// verifying body's reply) or `HigherConsent` (the consenting document).
    record_id: ID,
    /// The scan: PDF, JPEG or PNG (told by its content), at most the server's file size
    /// (10 MB unless set otherwise). Sent as a multipart request's file part.
    file: Upload,
}

/// Correct a scan: the new file becomes the current version, the old one is kept.
#[derive(InputObject)]
pub struct CorrectScanInput {
    /// The version being corrected; it must be the current one.
    file_id: ID,
    /// The corrected scan, under the same checks as a first upload.
    file: Upload,
    /// Why it is corrected (kept on the audit trail). At most 2000 characters.
    reason: Option<String>,
}

/// A scan as stored.
#[derive(SimpleObject)]
pub struct ScanPayload {
    /// The stored version.
    file: ScannedFile,
}

fn upload(ctx: &Context<'_>, file: &Upload) -> AppResult<service::Upload> {
    let value = file.value(ctx).map_err(|e| {
        AppError::validation(
            "input.file",
            tr!("the file part could not be read: {e}", "không đọc được phần tệp: {e}"),
        )
    })?;
    Ok(service::Upload {
        name: value.filename,
        content: value.content,
    })
}

#[derive(Default)]
pub struct FilesMutation;

#[Object]
impl FilesMutation {
    /// Attach a scanned paper to a record of a candidate's dossier. By a staff account that
    /// sees the record; refused with `BAD_USER_INPUT` for a file that is not PDF, JPEG or
    /// PNG, and `QUERY_LIMIT_EXCEEDED` (`FILE_SIZE`, `CANDIDATE_FILES`) past a bound.
    async fn attach_scan(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The record and the file: see the fields of its input type.")] input: AttachScanInput,
    ) -> async_graphql::Result<ScanPayload> {
        let (kind, record_id) = record_of(&input.record_id)?;
        let state = ctx.state()?;
        let file = service::attach(
            &state.db,
            &state.files,
            &state.settings.files,
            ctx.actor()?,
            kind,
            record_id,
            upload(ctx, &input.file)?,
        )
        .await?;
        Ok(ScanPayload {
            file: ScannedFile(file),
        })
    }

    /// Correct a scan with a new version; the corrected version is kept and listed in the
    /// new one's `earlierVersions`. Refused with `CONFLICT` if it has been corrected already.
    async fn correct_scan(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The version, the new file and why: see the fields of its input type.")]
        input: CorrectScanInput,
    ) -> async_graphql::Result<ScanPayload> {
        let file_id = expect_global_id(&input.file_id, ScannedFile::TYPENAME, "input.fileId")?;
        let state = ctx.state()?;
        let file = service::correct(
            &state.db,
            &state.files,
            &state.settings.files,
            ctx.actor()?,
            file_id,
            upload(ctx, &input.file)?,
            input.reason,
        )
        .await?;
        Ok(ScanPayload {
            file: ScannedFile(file),
        })
    }
}
