//! CSV import of a branch's existing members: every row checked, every problem reported
//! with its row number, nothing stored unless every row is valid.
//!
//! Columns (header required, any order): `full_name`, `status`, and optionally `gender`,
//! `birth_date`, `ethnicity`, `decision_date`, `joined_on`, `official_on`,
//! `residential_area_code`, `religion`, `general_education`, `professional_level`,
//! `source_organisation`, `returned_soldier` (the last five take the API's codes; the
//! soldier column `yes`/`no`, `có`/`không`), and for former members (status `LEFT` or
//! `STRUCK_OFF`) `citizen_id`, `left_on`, `left_reason` (a `LeftReason` code) and
//! `record_expunged_on`, by which a person listed again is recognised and the rules on
//! re-admission applied. Dates as `YYYY-MM-DD` or `DD/MM/YYYY`. Status, gender and
//! ethnicity accept the API's codes or the Vietnamese words (`chính thức`, `dự bị`,
//! `Nam`, `Nữ`, `Tày`…).

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use entity::{member, residential_area};

use super::cells::{parse_code, parse_date, parse_ethnicity, parse_gender, parse_status, parse_yes_no, take};
use crate::access::Actor;
use crate::audit::service::{self as audit, Event};
use crate::domain::ethnicity::Ethnicity;
use crate::domain::org::OrgKind;
use crate::domain::person::{Gender, GeneralEducation, MemberStatus, ProfessionalLevel, Religion, SourceOrganisation};
use crate::domain::text;
use crate::error::{AppError, AppResult, RowProblem, Text, tr};
use crate::org::{service as org, tree};

/// Most rows one import takes.
pub const MAX_ROWS: usize = 5_000;
/// The longest cell: longer than any name.
const MAX_CELL_CHARS: usize = 200;
/// The longest file accepted, in characters.
pub const MAX_CSV_CHARS: usize = 1_000_000;

/// A checked row, ready to store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberRow {
    pub full_name: String,
    pub gender: Option<Gender>,
    pub birth_date: Option<NaiveDate>,
    pub ethnicity: Option<Ethnicity>,
    pub status: MemberStatus,
    pub decision_date: Option<NaiveDate>,
    pub joined_on: Option<NaiveDate>,
    pub official_on: Option<NaiveDate>,
    pub residential_area_id: Option<i32>,
    pub religion: Option<Religion>,
    pub general_education: Option<GeneralEducation>,
    pub professional_level: Option<ProfessionalLevel>,
    pub source_organisation: Option<SourceOrganisation>,
    pub returned_soldier: Option<bool>,
    pub citizen_id: Option<String>,
    pub left_on: Option<NaiveDate>,
    pub left_reason: Option<crate::domain::readmission::LeftReason>,
    pub record_expunged_on: Option<NaiveDate>,
}

/// Parse and check the whole file. `areas` maps residential-area codes of the branch's
/// commune to their ids.
pub fn parse(
    csv_text: &str,
    areas: &HashMap<String, i32>,
    today: NaiveDate,
) -> Result<Vec<MemberRow>, Vec<RowProblem>> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(csv_text.as_bytes());
    let problem = |row: usize, column: &str, message: Text| RowProblem {
        row,
        column: column.to_string(),
        message,
    };
    let headers = match reader.headers() {
        Ok(h) => h
            .iter()
            .map(|h| h.trim_start_matches('\u{feff}').to_lowercase())
            .collect::<Vec<_>>(),
        Err(e) => {
            return Err(vec![problem(
                1,
                "",
                tr!("the header row cannot be read: {e}", "không đọc được dòng tiêu đề: {e}"),
            )]);
        }
    };
    let known = [
        "full_name",
        "gender",
        "birth_date",
        "ethnicity",
        "status",
        "decision_date",
        "joined_on",
        "official_on",
        "residential_area_code",
        "religion",
        "general_education",
        "professional_level",
        "source_organisation",
        "returned_soldier",
        "citizen_id",
        "left_on",
        "left_reason",
        "record_expunged_on",
    ];
    let mut problems = Vec::new();
    for header in &headers {
        if !known.contains(&header.as_str()) {
            problems.push(problem(
                1,
                header,
                tr!(
                    "unknown column; expected some of {}",
                    "cột không xác định; chỉ nhận các cột {}",
                    known.join(", ")
                ),
            ));
        }
    }
    for required in ["full_name", "status"] {
        if !headers.iter().any(|h| h == required) {
            problems.push(problem(
                1,
                required,
                tr!("required column is missing", "thiếu cột bắt buộc"),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    let column = |name: &str| headers.iter().position(|h| h == name);

    let mut rows = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let row = index + 2;
        if rows.len() + problems.len() >= MAX_ROWS {
            problems.push(problem(
                row,
                "",
                tr!(
                    "at most {MAX_ROWS} rows per import",
                    "mỗi lần nhập tối đa {MAX_ROWS} dòng"
                ),
            ));
            break;
        }
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                problems.push(problem(
                    row,
                    "",
                    tr!("the row cannot be read: {e}", "không đọc được dòng: {e}"),
                ));
                continue;
            }
        };
        if record.iter().any(|v| v.chars().count() > MAX_CELL_CHARS) {
            problems.push(problem(
                row,
                "",
                tr!(
                    "a cell holds at most {MAX_CELL_CHARS} characters",
                    "mỗi ô tối đa {MAX_CELL_CHARS} ký tự"
                ),
            ));
            continue;
        }
        let cell = |name: &str| column(name).and_then(|i| record.get(i)).filter(|v| !v.is_empty());
        let before = problems.len();
        let full_name = take(
            &mut problems,
            row,
            "full_name",
            cell("full_name").map_or(Err(tr!("a name is required", "phải có họ và tên")), |v| {
                text::parse_label(v, 200)
            }),
        );
        let status = take(
            &mut problems,
            row,
            "status",
            cell("status").map_or(
                Err(tr!("a status is required", "phải có trạng thái đảng viên")),
                parse_status,
            ),
        );
        let gender = cell("gender").and_then(|v| take(&mut problems, row, "gender", parse_gender(v)));
        let birth_date = cell("birth_date").and_then(|v| take(&mut problems, row, "birth_date", parse_date(v)));
        let ethnicity = cell("ethnicity").and_then(|v| take(&mut problems, row, "ethnicity", parse_ethnicity(v)));
        let decision_date =
            cell("decision_date").and_then(|v| take(&mut problems, row, "decision_date", parse_date(v)));
        let joined_on = cell("joined_on").and_then(|v| take(&mut problems, row, "joined_on", parse_date(v)));
        let official_on = cell("official_on").and_then(|v| take(&mut problems, row, "official_on", parse_date(v)));
        let residential_area_id = cell("residential_area_code").and_then(|code| {
            take(
                &mut problems,
                row,
                "residential_area_code",
                areas.get(&code.to_uppercase()).copied().ok_or_else(|| {
                    tr!(
                        "no residential area {code:?} in the branch's commune",
                        "không có địa bàn dân cư {code:?} trong xã/phường của chi bộ"
                    )
                }),
            )
        });
        let religion = cell("religion").and_then(|v| {
            take(
                &mut problems,
                row,
                "religion",
                parse_code(v, Religion::ALL, Religion::as_str, &Text::fixed("religion", "tôn giáo")),
            )
        });
        let general_education = cell("general_education").and_then(|v| {
            take(
                &mut problems,
                row,
                "general_education",
                parse_code(
                    v,
                    GeneralEducation::ALL,
                    GeneralEducation::as_str,
                    &Text::fixed("education", "trình độ giáo dục phổ thông"),
                ),
            )
        });
        let professional_level = cell("professional_level").and_then(|v| {
            take(
                &mut problems,
                row,
                "professional_level",
                parse_code(
                    v,
                    ProfessionalLevel::ALL,
                    ProfessionalLevel::as_str,
                    &Text::fixed("professional level", "trình độ chuyên môn"),
                ),
            )
        });
        let source_organisation = cell("source_organisation").and_then(|v| {
            take(
                &mut problems,
                row,
                "source_organisation",
                parse_code(
                    v,
                    SourceOrganisation::ALL,
                    SourceOrganisation::as_str,
                    &Text::fixed("source organisation", "đoàn thể giới thiệu"),
                ),
            )
        });
        let returned_soldier =
            cell("returned_soldier").and_then(|v| take(&mut problems, row, "returned_soldier", parse_yes_no(v)));
        let citizen_id = cell("citizen_id").and_then(|v| {
            take(
                &mut problems,
                row,
                "citizen_id",
                crate::domain::person::parse_citizen_id(v),
            )
        });
        let left_on = cell("left_on").and_then(|v| take(&mut problems, row, "left_on", parse_date(v)));
        let left_reason = cell("left_reason").and_then(|v| {
            take(
                &mut problems,
                row,
                "left_reason",
                parse_code(
                    v,
                    crate::domain::readmission::LeftReason::ALL,
                    crate::domain::readmission::LeftReason::as_str,
                    &Text::fixed("reason for leaving", "lý do ra khỏi Đảng"),
                ),
            )
        });
        let record_expunged_on =
            cell("record_expunged_on").and_then(|v| take(&mut problems, row, "record_expunged_on", parse_date(v)));
        if problems.len() > before {
            continue;
        }
        let (Some(full_name), Some(status)) = (full_name, status) else {
            continue;
        };
        // Dates in order and not in the future.
        let dated = [
            ("birth_date", birth_date),
            ("decision_date", decision_date),
            ("joined_on", joined_on),
            ("official_on", official_on),
        ];
        for (name, date) in dated {
            if date.is_some_and(|d| d > today) {
                problems.push(problem(row, name, tr!("is in the future", "là ngày trong tương lai")));
            }
        }
        let known: Vec<_> = dated.iter().filter_map(|(n, d)| d.map(|d| (*n, d))).collect();
        for pair in known.windows(2) {
            if pair[1].1 < pair[0].1 {
                problems.push(problem(row, pair[1].0, tr!("is before {}", "sớm hơn {}", pair[0].0)));
            }
        }
        if status == MemberStatus::Probationary && joined_on.is_none() {
            problems.push(problem(
                row,
                "joined_on",
                tr!(
                    "a probationary member needs the ceremony date",
                    "đảng viên dự bị phải có ngày lễ kết nạp"
                ),
            ));
        }
        let former = matches!(status, MemberStatus::Left | MemberStatus::StruckOff);
        if status == MemberStatus::Left && left_on.is_none() {
            problems.push(problem(
                row,
                "left_on",
                tr!(
                    "a former member needs the day they left",
                    "người đã ra khỏi Đảng phải có ngày ra khỏi Đảng"
                ),
            ));
        }
        if !former && (left_on.is_some() || left_reason.is_some()) {
            problems.push(problem(
                row,
                "left_on",
                tr!(
                    "only a former member has left the Party",
                    "chỉ người đã ra khỏi Đảng mới có ngày hoặc lý do ra khỏi Đảng"
                ),
            ));
        }
        if left_on.is_some_and(|d| d > today) || record_expunged_on.is_some_and(|d| d > today) {
            problems.push(problem(
                row,
                "left_on",
                tr!("is in the future", "là ngày trong tương lai"),
            ));
        }
        if status == MemberStatus::Probationary && official_on.is_some() {
            problems.push(problem(
                row,
                "official_on",
                tr!(
                    "a probationary member has no official date yet",
                    "đảng viên dự bị chưa có ngày trở thành đảng viên chính thức"
                ),
            ));
        }
        if problems.len() > before {
            continue;
        }
        rows.push(MemberRow {
            full_name,
            gender,
            birth_date,
            ethnicity,
            status,
            decision_date,
            joined_on,
            official_on,
            residential_area_id,
            religion,
            general_education,
            professional_level,
            source_organisation,
            returned_soldier,
            citizen_id,
            left_on,
            left_reason,
            record_expunged_on,
        });
    }
    if rows.is_empty() && problems.is_empty() {
        problems.push(problem(
            2,
            "",
            tr!("the file has no member rows", "tệp không có dòng đảng viên nào"),
        ));
    }
    if problems.is_empty() { Ok(rows) } else { Err(problems) }
}

/// Import `csv_text` into `branch_id`, all rows or none.
#[tracing::instrument(name = "import_members", skip_all, fields(branch = branch_id))]
pub async fn import(
    db: &DatabaseConnection,
    actor: &Actor,
    branch_id: i32,
    csv_text: &str,
    today: NaiveDate,
) -> AppResult<Vec<member::Model>> {
    actor.require_staff()?;
    let branch = org::find(db, actor.scope(), branch_id).await?;
    if branch.kind != OrgKind::Branch {
        return Err(AppError::validation(
            "branchId",
            tr!("members belong to a branch", "đảng viên phải thuộc một chi bộ"),
        ));
    }
    let chain = tree::chain(db, branch.id).await?;
    let commune = crate::domain::org::commune_of(&chain).map(|g| g.id);
    let areas: HashMap<String, i32> = match commune {
        Some(commune) => residential_area::Entity::find()
            .filter(residential_area::Column::CommuneId.eq(commune))
            .all(db)
            .await?
            .into_iter()
            .map(|a| (a.code.to_uppercase(), a.id))
            .collect(),
        None => HashMap::new(),
    };
    let rows = parse(csv_text, &areas, today).map_err(|problems| AppError::InvalidRows {
        field: "csv".into(),
        problems,
    })?;

    let txn = crate::db::begin_write(db).await?;
    let now = Utc::now();
    let mut stored = Vec::with_capacity(rows.len());
    for row in rows {
        let member = member::ActiveModel {
            branch_id: Set(branch.id),
            admitted_in_id: Set(branch.id),
            search_key: Set(text::search_key(&row.full_name)),
            full_name: Set(row.full_name),
            gender: Set(row.gender),
            birth_date: Set(row.birth_date),
            ethnicity: Set(row.ethnicity),
            residential_area_id: Set(row.residential_area_id),
            age_at_joining: Set(row
                .birth_date
                .zip(row.joined_on)
                .map(|(b, j)| crate::domain::period::age_in_years(b, j))),
            religion: Set(row.religion),
            general_education: Set(row.general_education),
            professional_level: Set(row.professional_level),
            source_organisation: Set(row.source_organisation),
            returned_soldier: Set(row.returned_soldier),
            citizen_id: Set(row.citizen_id),
            left_on: Set(row.left_on),
            left_reason: Set(row.left_reason),
            record_expunged_on: Set(row.record_expunged_on),
            status: Set(row.status),
            decision_date: Set(row.decision_date),
            joined_on: Set(row.joined_on),
            official_on: Set(row.official_on),
            candidate_id: Set(None),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        stored.push(member);
    }
    let ids: Vec<i32> = stored.iter().map(|m| m.id).collect();
    let view = serde_json::json!({ "imported": stored.len(), "memberIds": ids });
    let event = Event::new("importMembers", org::ENTITY, branch.id, Some(branch.id)).after(&view)?;
    audit::commit(txn, actor, event).await?;
    Ok(stored)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 22).unwrap()
    }

    #[test]
    fn a_valid_file_with_vietnamese_values() {
        let areas = HashMap::from([("NL".to_string(), 7)]);
        let csv = "\u{feff}full_name,gender,birth_date,ethnicity,status,decision_date,joined_on,official_on,residential_area_code\n\
                   Nguyễn Văn An,Nam,12/05/1970,Tày,chính thức,2000-01-10,2000-02-01,2001-02-01,nl\n\
                   Lò Thị Bình,Nữ,1995-03-04,THAI,dự bị,2026-01-05,2026-02-01,,\n";
        let rows = parse(csv, &areas, today()).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].status, MemberStatus::Official);
        assert_eq!(rows[0].ethnicity, Some(Ethnicity::Tay));
        assert_eq!(rows[0].residential_area_id, Some(7));
        assert_eq!(rows[1].gender, Some(Gender::Female));
        assert_eq!(rows[1].official_on, None);
    }

    #[test]
    fn every_problem_is_reported_with_its_row() {
        let csv = "full_name,status,birth_date,joined_on\n\
                   Nguyễn Văn An,chính thức,1970-05-12,1990-01-01\n\
                   ,OFFICIAL,1970-05-12,\n\
                   Trần Văn Cường,MEMBER,31/02/1980,\n\
                   Lê Văn Dũng,dự bị,1990-01-01,\n";
        let problems = parse(csv, &HashMap::new(), today()).unwrap_err();
        let found: Vec<(usize, &str)> = problems.iter().map(|p| (p.row, p.column.as_str())).collect();
        assert_eq!(
            found,
            [(3, "full_name"), (4, "status"), (4, "birth_date"), (5, "joined_on")]
        );
    }

    #[test]
    fn unknown_and_missing_columns_are_refused() {
        let problems = parse("name,status\nAn,OFFICIAL\n", &HashMap::new(), today()).unwrap_err();
        assert_eq!(
            problems.iter().map(|p| p.column.as_str()).collect::<Vec<_>>(),
            ["name", "full_name"]
        );
    }

    #[test]
    fn dates_must_be_in_order_and_past() {
        let csv =
            "full_name,status,decision_date,joined_on\nAn,OFFICIAL,2020-01-01,2019-01-01\nBình,OFFICIAL,2030-01-01,\n";
        let problems = parse(csv, &HashMap::new(), today()).unwrap_err();
        assert_eq!(
            problems.iter().map(|p| (p.row, p.column.as_str())).collect::<Vec<_>>(),
            [(2, "joined_on"), (3, "decision_date")]
        );
    }
}
