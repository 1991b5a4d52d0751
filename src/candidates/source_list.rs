//! The source list (danh sách cảm tình đảng) and the ways off the path: putting a person
//! on the list, correcting their details, dropping, rejecting, withdrawing.

use super::mentoring::end_mentoring;
use super::readmission::readmission_of;
use super::records::ActTarget;
use super::service::{self, Subject};
use crate::access::Actor;
use crate::audit::service::{self as audit, Event};
use crate::clock::not_in_future;
use crate::domain::dates::not_before;
use crate::domain::ethnicity::Ethnicity;
use crate::domain::org::{self, OrgKind};
use crate::domain::person::{
    Gender, GeneralEducation, PoliticalTheoryLevel, ProfessionalLevel, Religion, SourceOrganisation,
};
use crate::domain::stage::{Act, Stage};
use crate::domain::text;
use crate::error::{AppError, AppResult, Text};
use crate::graphql::enums as api;
use crate::graphql::relay::expect_global_id;
use crate::graphql::scalars::Date;
use crate::org::graphql::{OrgUnit, ResidentialArea};
use crate::org::{service as units, tree};
use async_graphql::{ID, InputObject};
use chrono::{NaiveDate, Utc};
use entity::{candidate, residential_area};
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use serde_json::json;

/// Put a person on the branch's source list.
#[derive(InputObject)]
pub struct AddToSourceListInput {
    /// The branch (default: the account's own branch).
    pub(super) branch_id: Option<ID>,
    /// Date of the branch resolution adding the person.
    pub(super) listed_on: Date,
    /// Full name with diacritics.
    /// At most 200 characters.
    pub(super) full_name: String,
    /// Gender (giới tính).
    pub(super) gender: api::Gender,
    /// Date of birth; the age at the branch vote is counted from it in whole months.
    pub(super) birth_date: Date,
    /// Ethnic group (dân tộc).
    pub(super) ethnicity: api::Ethnicity,
    /// Religion (tôn giáo); default `NONE`.
    #[graphql(default_with = "api::Religion::None")]
    pub(super) religion: api::Religion,
    /// General education (trình độ giáo dục phổ thông).
    pub(super) general_education: api::GeneralEducation,
    /// Professional qualification (trình độ chuyên môn); default `NONE`.
    #[graphql(default_with = "api::ProfessionalLevel::None")]
    pub(super) professional_level: api::ProfessionalLevel,
    /// Political theory level (trình độ lý luận chính trị); default `NONE`.
    #[graphql(default_with = "api::PoliticalTheoryLevel::None")]
    pub(super) political_theory_level: api::PoliticalTheoryLevel,
    /// Occupation (nghề nghiệp). At most 200 characters.
    pub(super) occupation: Option<String>,
    /// Workplace or school (nơi làm việc, học tập). At most 200 characters.
    pub(super) workplace: Option<String>,
    /// Where the person lives: a residential area of the commune the branch belongs to.
    pub(super) residential_area_id: Option<ID>,
    /// 12-digit citizen identity number; unique when given.
    /// Spaces are ignored; at most 20 characters.
    pub(super) citizen_id: Option<String>,
    /// The mass organisation that introduced the person, or `BRANCH` when the branch found them itself.
    pub(super) source_organisation: api::SourceOrganisation,
    /// Returned from military service (quân nhân xuất ngũ).
    #[graphql(default = false)]
    pub(super) returned_soldier: bool,
    /// Lives in a mountainous, border, island, ethnic-minority or extremely difficult area,
    /// where completed primary education suffices.
    #[graphql(default = false)]
    pub(super) difficult_area_education_exception: bool,
}

impl TryFrom<AddToSourceListInput> for NewCandidate {
    type Error = crate::error::AppError;
    fn try_from(i: AddToSourceListInput) -> AppResult<Self> {
        Ok(NewCandidate {
            branch_id: i
                .branch_id
                .map(|id| expect_global_id(&id, OrgUnit::TYPENAME, "branchId"))
                .transpose()?,
            listed_on: i.listed_on.0,
            person: PersonDetails {
                full_name: parse_person_name(&i.full_name)?,
                gender: i.gender.into(),
                birth_date: i.birth_date.0,
                ethnicity: i.ethnicity.into(),
                religion: i.religion.into(),
                general_education: i.general_education.into(),
                professional_level: i.professional_level.into(),
                political_theory_level: i.political_theory_level.into(),
                occupation: parse_optional_label("occupation", i.occupation)?,
                workplace: parse_optional_label("workplace", i.workplace)?,
                residential_area_id: i
                    .residential_area_id
                    .map(|id| expect_global_id(&id, ResidentialArea::TYPENAME, "residentialAreaId"))
                    .transpose()?,
                citizen_id: i.citizen_id.as_deref().map(parse_citizen_id).transpose()?,
                source_organisation: i.source_organisation.into(),
                returned_soldier: i.returned_soldier,
                difficult_area_education_exception: i.difficult_area_education_exception,
            },
        })
    }
}

/// Correct a candidate's details; fields left out keep their value.
#[derive(InputObject)]
pub struct UpdateCandidateInput {
    #[graphql(flatten)]
    pub(super) target: ActTarget,
    /// Full name with diacritics. At most 200 characters.
    pub(super) full_name: Option<String>,
    /// Gender (giới tính).
    pub(super) gender: Option<api::Gender>,
    /// Date of birth; the age at the branch vote is counted from it in whole months.
    pub(super) birth_date: Option<Date>,
    /// Ethnic group (dân tộc).
    pub(super) ethnicity: Option<api::Ethnicity>,
    /// Religion (tôn giáo).
    pub(super) religion: Option<api::Religion>,
    /// General education (trình độ giáo dục phổ thông).
    pub(super) general_education: Option<api::GeneralEducation>,
    /// Professional qualification (trình độ chuyên môn).
    pub(super) professional_level: Option<api::ProfessionalLevel>,
    /// Political theory level (trình độ lý luận chính trị).
    pub(super) political_theory_level: Option<api::PoliticalTheoryLevel>,
    /// Occupation (nghề nghiệp). At most 200 characters.
    pub(super) occupation: Option<String>,
    /// Workplace or school (nơi làm việc, học tập). At most 200 characters.
    pub(super) workplace: Option<String>,
    /// Where the person lives: a residential area of the commune the branch belongs to.
    pub(super) residential_area_id: Option<ID>,
    /// Citizen identity number (căn cước công dân): 12 digits, spaces ignored; at most 20 characters.
    pub(super) citizen_id: Option<String>,
    /// The mass organisation that introduced the person, or `BRANCH` when the branch found them itself.
    pub(super) source_organisation: Option<api::SourceOrganisation>,
    /// Returned from military service (quân nhân xuất ngũ).
    pub(super) returned_soldier: Option<bool>,
    /// Lives in a mountainous, border, island, ethnic-minority or extremely difficult area,
    /// where completed primary education suffices.
    pub(super) difficult_area_education_exception: Option<bool>,
}

/// Close the candidate's path with a reason (dropped, rejected, withdrawn).
#[derive(InputObject)]
#[graphql(input_name = "EndPathInput")]
pub struct EndPathInput {
    #[graphql(flatten)]
    pub(super) target: ActTarget,
    /// The day of the resolution or decision (or of the withdrawal).
    pub(super) on: Date,
    /// The reason, as the resolution, decision or withdrawal gives it. At most 2000 characters.
    pub(super) reason: String,
}

impl TryFrom<UpdateCandidateInput> for DetailChanges {
    type Error = AppError;

    /// `updateCandidate`'s input checked and converted: only what is given changes.
    fn try_from(input: UpdateCandidateInput) -> AppResult<DetailChanges> {
        Ok(DetailChanges {
            full_name: input.full_name.as_deref().map(parse_person_name).transpose()?,
            gender: input.gender.map(Into::into),
            birth_date: input.birth_date.map(|d| d.0),
            ethnicity: input.ethnicity.map(Into::into),
            religion: input.religion.map(Into::into),
            general_education: input.general_education.map(Into::into),
            professional_level: input.professional_level.map(Into::into),
            political_theory_level: input.political_theory_level.map(Into::into),
            occupation: parse_optional_label("occupation", input.occupation)?,
            workplace: parse_optional_label("workplace", input.workplace)?,
            residential_area_id: input
                .residential_area_id
                .map(|id| expect_global_id(&id, ResidentialArea::TYPENAME, "residentialAreaId"))
                .transpose()?,
            citizen_id: input.citizen_id.as_deref().map(parse_citizen_id).transpose()?,
            source_organisation: input.source_organisation.map(Into::into),
            returned_soldier: input.returned_soldier,
            difficult_area_education_exception: input.difficult_area_education_exception,
        })
    }
}

/// Who the candidate is: the attributes the rules and the reports use.
#[derive(Debug, Clone)]
pub struct PersonDetails {
    pub full_name: String,
    pub gender: Gender,
    pub birth_date: NaiveDate,
    pub ethnicity: Ethnicity,
    pub religion: Religion,
    pub general_education: GeneralEducation,
    pub professional_level: ProfessionalLevel,
    pub political_theory_level: PoliticalTheoryLevel,
    pub occupation: Option<String>,
    pub workplace: Option<String>,
    pub residential_area_id: Option<i32>,
    pub citizen_id: Option<String>,
    pub source_organisation: SourceOrganisation,
    pub returned_soldier: bool,
    pub difficult_area_education_exception: bool,
}

/// A citizen identity number (căn cước công dân): 12 digits.
pub fn parse_citizen_id(input: &str) -> AppResult<String> {
    crate::domain::person::parse_citizen_id(input).map_err(|m| AppError::validation("citizenId", m))
}

/// A citizen ID may be held by one candidate in the actor's scope. Candidates the actor
/// cannot see are not consulted, so the answer says nothing about them; a person listed
/// in two places shows in `possibleDuplicates` of a unit that sees both.
#[tracing::instrument(level = "debug", skip_all)]
pub(super) async fn check_citizen_id_free(
    db: &impl ConnectionTrait,
    actor: &Actor,
    citizen_id: Option<&str>,
    except: Option<i32>,
) -> AppResult<()> {
    let Some(citizen_id) = citizen_id else { return Ok(()) };
    let mut query = candidate::Entity::find()
        .filter(candidate::Column::CitizenId.eq(citizen_id))
        .filter(<candidate::Entity as crate::access::Scoped>::visible(actor.scope()));
    if let Some(id) = except {
        query = query.filter(candidate::Column::Id.ne(id));
    }
    if query.one(db).await?.is_some() {
        return Err(AppError::Conflict(Text::fixed(
            "a candidate in your scope already has this citizen ID",
            "đã có người xin vào Đảng trong phạm vi của bạn mang số căn cước công dân này",
        )));
    }
    Ok(())
}

pub fn parse_person_name(input: &str) -> AppResult<String> {
    text::parse_label(input, 200).map_err(|m| AppError::validation("fullName", m))
}

pub fn parse_optional_label(field: &'static str, input: Option<String>) -> AppResult<Option<String>> {
    text::parse_optional_label(input, 200).map_err(|m| AppError::validation(field, m))
}

/// A residential area must lie in the commune of the candidate's branch.
#[tracing::instrument(level = "debug", skip_all)]
pub(super) async fn check_area(db: &impl ConnectionTrait, branch_id: i32, area_id: Option<i32>) -> AppResult<()> {
    let Some(area_id) = area_id else { return Ok(()) };
    let chain = tree::chain(db, branch_id).await?;
    let commune = org::commune_of(&chain).map(|g| g.id);
    let area = residential_area::Entity::find_by_id(area_id).one(db).await?;
    match area {
        Some(area) if Some(area.commune_id) == commune => Ok(()),
        _ => Err(AppError::validation(
            "residentialAreaId",
            Text::fixed(
                "not a residential area of the branch's commune",
                "không phải địa bàn dân cư thuộc xã, phường của chi bộ",
            ),
        )),
    }
}

pub struct NewCandidate {
    /// Default: the actor's own branch.
    pub branch_id: Option<i32>,
    /// Date of the branch resolution adding the person to the source list.
    pub listed_on: NaiveDate,
    pub person: PersonDetails,
}

/// Put a person on the branch's source list (the branch's monthly resolution).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn add_to_source_list(
    db: &DatabaseConnection,
    actor: &Actor,
    cmd: NewCandidate,
) -> AppResult<candidate::Model> {
    actor.require_staff()?;
    not_in_future("listedOn", cmd.listed_on)?;
    let branch_id = cmd
        .branch_id
        .or(actor.unit_id)
        .ok_or_else(|| AppError::validation("branchId", Text::fixed("name the branch", "hãy chỉ rõ chi bộ")))?;
    let txn = crate::db::begin_write(db).await?;
    let branch = units::find(&txn, actor.scope(), branch_id).await?;
    if branch.kind != OrgKind::Branch {
        return Err(AppError::validation(
            "branchId",
            Text::fixed(
                "candidates belong to a branch",
                "người xin vào Đảng phải thuộc một chi bộ",
            ),
        ));
    }
    if actor.unit_id != Some(branch.id) {
        return Err(AppError::forbidden(Text::fixed(
            "addToSourceList is done by the candidate's branch",
            "addToSourceList do chi bộ của người xin vào Đảng thực hiện",
        )));
    }
    if branch.closed_on.is_some() {
        return Err(AppError::rule(
            "ORG_UNIT_CLOSED",
            Text::fixed("the branch is closed", "chi bộ đã giải thể"),
        ));
    }
    if cmd.person.birth_date >= cmd.listed_on {
        return Err(AppError::validation(
            "birthDate",
            Text::fixed("must be before the listing date", "phải trước ngày đưa vào danh sách"),
        ));
    }
    check_area(&txn, branch.id, cmd.person.residential_area_id).await?;
    check_citizen_id_free(&txn, actor, cmd.person.citizen_id.as_deref(), None).await?;
    let readmission_of = match cmd.person.citizen_id.as_deref() {
        Some(citizen_id) => readmission_of(&txn, citizen_id).await?,
        None => None,
    };
    let p = cmd.person;
    let now = Utc::now();
    let row = candidate::ActiveModel {
        branch_id: Set(branch.id),
        search_key: Set(text::search_key(&p.full_name)),
        full_name: Set(p.full_name),
        gender: Set(p.gender),
        birth_date: Set(p.birth_date),
        ethnicity: Set(p.ethnicity),
        religion: Set(p.religion),
        general_education: Set(p.general_education),
        professional_level: Set(p.professional_level),
        political_theory_level: Set(p.political_theory_level),
        occupation: Set(p.occupation),
        workplace: Set(p.workplace),
        residential_area_id: Set(p.residential_area_id),
        citizen_id: Set(p.citizen_id),
        source_organisation: Set(p.source_organisation),
        returned_soldier: Set(p.returned_soldier),
        difficult_area_education_exception: Set(p.difficult_area_education_exception),
        stage: Set(Stage::SourceList),
        listed_on: Set(cmd.listed_on),
        branch_resolution_on: Set(None),
        decision_extended: Set(false),
        decision_signed_on: Set(None),
        ceremony_on: Set(None),
        probation_ends_on: Set(None),
        recognition_commune_on: Set(None),
        official_on: Set(None),
        exited_on: Set(None),
        exit_reason: Set(None),
        next_due_kind: Set(None),
        next_due_on: Set(None),
        readmission_of_member_id: Set(readmission_of.map(|m| m.id)),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let event = Event::new("addToSourceList", service::ENTITY, row.id, Some(row.branch_id))
        .after(&json!({ "candidate": audit::snapshot(&row)? }))?;
    audit::commit(txn, actor, event).await?;
    Ok(row)
}

/// Corrections to a candidate's details; `None` keeps the current value.
#[derive(Debug, Default)]
pub struct DetailChanges {
    pub full_name: Option<String>,
    pub gender: Option<Gender>,
    pub birth_date: Option<NaiveDate>,
    pub ethnicity: Option<Ethnicity>,
    pub religion: Option<Religion>,
    pub general_education: Option<GeneralEducation>,
    pub professional_level: Option<ProfessionalLevel>,
    pub political_theory_level: Option<PoliticalTheoryLevel>,
    pub occupation: Option<String>,
    pub workplace: Option<String>,
    pub residential_area_id: Option<i32>,
    pub citizen_id: Option<String>,
    pub source_organisation: Option<SourceOrganisation>,
    pub returned_soldier: Option<bool>,
    pub difficult_area_education_exception: Option<bool>,
}

#[tracing::instrument(level = "debug", skip_all)]
pub async fn update_details(
    db: &DatabaseConnection,
    actor: &Actor,
    subject: Subject,
    c: DetailChanges,
) -> AppResult<candidate::Model> {
    let acting = service::begin(db, actor, subject, Act::UpdateDetails, crate::clock::today()).await?;
    check_area(&acting.txn, acting.branch_id(), c.residential_area_id).await?;
    check_citizen_id_free(&acting.txn, actor, c.citizen_id.as_deref(), Some(subject.id)).await?;
    let mut changes = <candidate::ActiveModel as Default>::default();
    if let Some(name) = c.full_name {
        changes.search_key = Set(text::search_key(&name));
        changes.full_name = Set(name);
    }
    if let Some(v) = c.gender {
        changes.gender = Set(v);
    }
    if let Some(v) = c.birth_date {
        changes.birth_date = Set(v);
    }
    if let Some(v) = c.ethnicity {
        changes.ethnicity = Set(v);
    }
    if let Some(v) = c.religion {
        changes.religion = Set(v);
    }
    if let Some(v) = c.general_education {
        changes.general_education = Set(v);
    }
    if let Some(v) = c.professional_level {
        changes.professional_level = Set(v);
    }
    if let Some(v) = c.political_theory_level {
        changes.political_theory_level = Set(v);
    }
    if let Some(v) = c.occupation {
        changes.occupation = Set(Some(v));
    }
    if let Some(v) = c.workplace {
        changes.workplace = Set(Some(v));
    }
    if let Some(v) = c.residential_area_id {
        changes.residential_area_id = Set(Some(v));
    }
    if let Some(v) = c.citizen_id {
        // A citizen ID given later is checked against the former members as at the listing.
        if acting.before.ceremony_on.is_none() {
            let former = readmission_of(&acting.txn, &v).await?;
            changes.readmission_of_member_id = Set(former.map(|m| m.id));
        }
        changes.citizen_id = Set(Some(v));
    }
    if let Some(v) = c.source_organisation {
        changes.source_organisation = Set(v);
    }
    if let Some(v) = c.returned_soldier {
        changes.returned_soldier = Set(v);
    }
    if let Some(v) = c.difficult_area_education_exception {
        changes.difficult_area_education_exception = Set(v);
    }
    acting.finish(changes, json!({})).await
}

/// End the candidate's path early, with the reason: dropped from the source list
/// (`Act::DropFromSourceList`), rejected at whatever vote or decision holds the dossier now
/// (`Act::Reject`), or withdrawn (`Act::Withdraw`).
#[tracing::instrument(level = "debug", skip_all)]
pub async fn exit(
    db: &DatabaseConnection,
    actor: &Actor,
    subject: Subject,
    act: Act,
    on: NaiveDate,
    reason: String,
) -> AppResult<candidate::Model> {
    not_in_future("date", on)?;
    let reason = text::parse_label(&reason, 2000).map_err(|m| AppError::validation("reason", m))?;
    let acting = service::begin(db, actor, subject, act, on).await?;
    not_before(
        "date",
        on,
        &Text::fixed("the listing", "ngày đưa vào danh sách"),
        Some(acting.before.listed_on),
    )?;
    let changes = candidate::ActiveModel {
        exited_on: Set(Some(on)),
        exit_reason: Set(Some(reason.clone())),
        ..Default::default()
    };
    let ended_mentoring = end_mentoring(&acting, on, &reason).await?;
    acting
        .finish(
            changes,
            json!({ "on": on, "reason": reason, "mentoringEnded": ended_mentoring }),
        )
        .await
}
