//! `candidate { dossier }`: the checklist a district clerk goes down, a line per form the
//! path has called for, each with what is recorded and the scans of it (the rules are in
//! [`crate::domain::checklist`]).

use std::collections::HashMap;

use async_graphql::{Context, Enum, Object};
use chrono::NaiveDate;

use entity::candidate;

use crate::domain::checklist::{self, Item, Paper, PaperStatus};
use crate::domain::dossier::{CourseKind, DecisionKind, FormCode, IntroductionKind, ResolutionKind};
use crate::domain::files::RecordKind;
use crate::domain::stage::shape_of;
use crate::files::graphql::ScannedFile;
use crate::graphql::context::{ContextExt, load, load_children};
use crate::graphql::enums as api;
use crate::graphql::scalars::Date;
use crate::org::tree;
use crate::rules::store as rules;

/// Where a form of the dossier stands.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
#[graphql(name = "DossierItemStatus")]
pub enum ItemStatus {
    /// As many as the rules call for, none stale.
    Present,
    /// Fewer than the rules call for.
    Missing,
    /// Recorded, but too old on the day it is judged: it must be redone.
    Stale,
}

impl From<PaperStatus> for ItemStatus {
    fn from(status: PaperStatus) -> Self {
        match status {
            PaperStatus::Present => ItemStatus::Present,
            PaperStatus::Missing => ItemStatus::Missing,
            PaperStatus::Stale => ItemStatus::Stale,
        }
    }
}

/// A paper as recorded, and the record its scans belong to.
struct Recorded {
    paper: Paper,
    record: (RecordKind, i32),
}

/// Every paper of the candidate's dossier as recorded: forms, introductions, the awareness
/// certificate, the approving resolutions and the decisions.
#[tracing::instrument(level = "debug", skip_all)]
async fn recorded(ctx: &Context<'_>, c: &candidate::Model) -> async_graphql::Result<Vec<Recorded>> {
    let loaders = ctx.loaders()?;
    let mut out = Vec::new();
    let mut push = |form, dated, kind, id| {
        out.push(Recorded {
            paper: Paper { form, dated },
            record: (kind, id),
        })
    };
    for d in load_children(&loaders.documents, c.id).await? {
        push(d.form_code, d.received_on, RecordKind::Document, d.id);
    }
    for i in load_children(&loaders.introductions, c.id).await? {
        let form = match i.kind {
            IntroductionKind::Member => FormCode::Knd3,
            IntroductionKind::YouthUnion => FormCode::Knd4,
            IntroductionKind::TradeUnion => FormCode::Knd4A,
        };
        push(form, i.introduced_on, RecordKind::Introduction, i.id);
    }
    for e in load_children(&loaders.enrolments, c.id).await? {
        let course = load(&loaders.courses, e.course_id).await?;
        if let (Some(issued), Some(course)) = (e.certificate_date, course)
            && course.kind == CourseKind::Awareness
        {
            push(FormCode::CnNtvd, issued, RecordKind::Certificate, e.id);
        }
    }
    for r in load_children(&loaders.resolutions, c.id).await? {
        let form = match r.kind {
            ResolutionKind::BranchAdmission => FormCode::Knd6,
            ResolutionKind::SectionAppraisal => FormCode::Knd7,
            ResolutionKind::CommuneAdmission => FormCode::Knd8,
            ResolutionKind::BranchRecognition => FormCode::Knd13,
            ResolutionKind::CommuneRecognition => FormCode::Knd15,
            ResolutionKind::BranchStrikeOff | ResolutionKind::CommuneStrikeOff => continue,
        };
        // A failed vote is on record, but it is not the form the dossier goes on with.
        if r.approved {
            push(form, r.resolved_on, RecordKind::Resolution, r.id);
        }
    }
    for d in load_children(&loaders.decisions, c.id).await? {
        let form = match d.kind {
            DecisionKind::Admission => FormCode::Knd9,
            DecisionKind::Recognition => FormCode::Knd16,
            DecisionKind::StrikeOff => continue,
        };
        push(form, d.signed_on, RecordKind::Decision, d.id);
    }
    Ok(out)
}

/// The candidate's checklist, judged on the day of the branch's approving vote, or today
/// while none has been held.
#[tracing::instrument(level = "debug", skip_all)]
pub(super) async fn dossier(ctx: &Context<'_>, c: &candidate::Model) -> async_graphql::Result<Vec<DossierItem>> {
    let db = ctx.db()?;
    let recorded = recorded(ctx, c).await?;
    let on = recorded
        .iter()
        .filter(|r| r.paper.form == FormCode::Knd6)
        .map(|r| r.paper.dated)
        .min()
        .unwrap_or_else(crate::clock::today);
    let shape = shape_of(&tree::chain_on(db, c.branch_id, on).await?);
    let rulebook = rules::rulebook_on(db, on).await?;
    let papers: Vec<Paper> = recorded.iter().map(|r| r.paper).collect();
    let items = checklist::checklist(&rulebook, c.stage, shape, &papers, on);
    let mut scans: HashMap<(RecordKind, i32), Vec<entity::scanned_file::Model>> = HashMap::new();
    let all = load_children(&ctx.loaders()?.scans, c.id).await?;
    for file in crate::files::graphql::current(&all) {
        scans
            .entry((file.record_kind, file.record_id))
            .or_default()
            .push(file.clone());
    }
    Ok(items
        .into_iter()
        .map(|item| {
            let files = recorded
                .iter()
                .filter(|r| r.paper.form == item.form)
                .flat_map(|r| scans.get(&r.record).cloned().unwrap_or_default())
                .map(ScannedFile)
                .collect();
            DossierItem { item, on, files }
        })
        .collect())
}

/// One form of the dossier as the checklist sees it.
pub struct DossierItem {
    item: Item,
    on: NaiveDate,
    files: Vec<ScannedFile>,
}

/// A line of the dossier's checklist: a form the candidate's path has called for so far,
/// how many are recorded and fresh, and their scans.
#[Object]
impl DossierItem {
    /// The form (e.g. `KND_3`, the introductions; `CN_NTVD`, the awareness certificate).
    async fn form_code(&self) -> api::FormCode {
        self.item.form.into()
    }
    /// Present, missing or stale on `judgedOn`.
    async fn status(&self) -> ItemStatus {
        self.item.status.into()
    }
    /// How many the rules call for (two introductions, or one beside a union's resolution).
    async fn needed(&self) -> u32 {
        self.item.needed
    }
    /// How many are recorded and fresh on `judgedOn`.
    async fn found(&self) -> u32 {
        self.item.found
    }
    /// The date of the latest one recorded; null when none is.
    async fn latest_on(&self) -> Option<Date> {
        self.item.latest.map(Date)
    }
    /// The day the papers are judged on: the branch's approving vote, or today before it.
    async fn judged_on(&self) -> Date {
        Date(self.on)
    }
    /// The current scans of every paper recorded for this form; empty when none is scanned.
    async fn files(&self) -> &[ScannedFile] {
        &self.files
    }
}
