//! Demo candidates in every stage of the path, some with deadlines passed, so a newcomer
//! sees a living system. Every record is made by the real acts, by the demo accounts, on
//! dates counted back from today, so the rules and the timeline hold as in real use.

use chrono::{Duration, NaiveDate};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};

use entity::member;

use super::actor;
use super::walk::{Bodies, Exit, Person, Until, p, walk, ymd};
use crate::domain::ethnicity::Ethnicity;
use crate::domain::person::{Gender, MemberStatus, SourceOrganisation};
use crate::error::{AppError, AppResult};

/// The citizen ID of the demo's former member, re-admitted in Bản Chang.
pub const READMITTED_CITIZEN_ID: &str = "008086001234";

/// A member of Bản Chang struck off in 2021 (on the registry with the day and the reason),
/// whom the branch lists again.
async fn former_member_of_ban_chang(db: &DatabaseConnection) -> AppResult<()> {
    use sea_orm::{ActiveModelTrait, Set};
    let branch = entity::org_unit::Entity::find()
        .filter(entity::org_unit::Column::Code.eq("SL.BS.HB.BC"))
        .one(db)
        .await?
        .ok_or_else(|| AppError::Unexpected(anyhow::anyhow!("demo branch SL.BS.HB.BC is missing")))?;
    let now = chrono::Utc::now();
    member::ActiveModel {
        branch_id: Set(branch.id),
        admitted_in_id: Set(branch.id),
        full_name: Set("Hoàng Văn Thắng".into()),
        search_key: Set(crate::domain::text::search_key("Hoàng Văn Thắng")),
        gender: Set(Some(Gender::Male)),
        birth_date: Set(Some(ymd((1986, 7, 7))?)),
        ethnicity: Set(Some(Ethnicity::Tay)),
        status: Set(MemberStatus::Left),
        decision_date: Set(Some(ymd((2010, 5, 3))?)),
        joined_on: Set(Some(ymd((2010, 5, 20))?)),
        official_on: Set(Some(ymd((2011, 5, 20))?)),
        citizen_id: Set(Some(READMITTED_CITIZEN_ID.into())),
        left_on: Set(Some(ymd((2021, 3, 15))?)),
        left_reason: Set(Some(crate::domain::readmission::LeftReason::StruckOff)),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Candidates in every stage across the demo tree, dated back from `today`.
pub async fn seed_candidates(db: &DatabaseConnection, today: NaiveDate) -> AppResult<()> {
    use Ethnicity::*;
    use Gender::*;
    use SourceOrganisation::*;
    let na_lau = Bodies {
        branch: actor(db, "demo.branch").await?,
        grassroots: Some(actor(db, "demo.commune").await?),
        deciding: actor(db, "demo.district").await?,
        branch_code: "SL.BS.TL.NL",
        decision_suffix: "QĐ/HU",
    };
    let ban_chang = Bodies {
        branch: actor(db, "demo.banchang").await?,
        grassroots: Some(actor(db, "demo.hoabinh").await?),
        deciding: actor(db, "demo.district").await?,
        branch_code: "SL.BS.HB.BC",
        decision_suffix: "QĐ/HU",
    };
    // Since the 2025 reform: a village branch of a commune under the province is a
    // grassroots branch, and the commune's standing committee decides.
    let ban_moi = Bodies {
        branch: actor(db, "demo.banmoi").await?,
        grassroots: None,
        deciding: actor(db, "demo.phucson").await?,
        branch_code: "SL.PS.BM",
        decision_suffix: "QĐ/ĐU",
    };
    // A school's grassroots committee under the same commune: it votes, the commune decides.
    let school = Bodies {
        branch: actor(db, "demo.thpt.gv").await?,
        grassroots: Some(actor(db, "demo.thpt").await?),
        deciding: actor(db, "demo.phucson").await?,
        branch_code: "SL.PS.THPT.GV",
        decision_suffix: "QĐ/ĐU",
    };
    former_member_of_ban_chang(db).await?;
    let soldier = Person {
        returned_soldier: true,
        ..p("Nông Văn Quyết", (1998, 9, 12), Male, Tay, VeteransAssociation)
    };
    // (bodies, person, days before today of the listing, how far, how it ends)
    let plan: Vec<(&Bodies, Person, i64, Until, Exit)> = vec![
        (
            &na_lau,
            p("Hoàng Văn Tùng", (2004, 2, 3), Male, Tay, YouthUnion),
            20,
            Until::Listed,
            Exit::None,
        ),
        (
            &na_lau,
            p("Lò Thị Hạnh", (2001, 7, 19), Female, Thai, WomensUnion),
            40,
            Until::Dossier,
            Exit::None,
        ),
        // The decision is overdue: the branch voted about 110 days ago.
        (
            &na_lau,
            p("Vi Văn Khải", (1999, 11, 2), Male, Nung, YouthUnion),
            150,
            Until::BranchVote,
            Exit::None,
        ),
        (
            &na_lau,
            Person {
                introducer_replaced: true,
                ..p("Bế Thị Ngọc", (2000, 4, 25), Female, Tay, YouthUnion)
            },
            55,
            Until::CommuneVote,
            Exit::None,
        ),
        (
            &na_lau,
            p("Triệu Văn Lâm", (1997, 1, 30), Male, Dao, FarmersUnion),
            75,
            Until::Decision,
            Exit::None,
        ),
        (&na_lau, soldier, 280, Until::Ceremony, Exit::None),
        // Probation ended about two months ago and the branch has not voted: overdue.
        (
            &na_lau,
            p("Hà Thị Thu", (1996, 6, 6), Female, Tay, YouthUnion),
            510,
            Until::Ceremony,
            Exit::None,
        ),
        (
            &na_lau,
            p("Lương Văn Đạt", (1995, 3, 14), Male, Nung, TradeUnion),
            470,
            Until::RecognitionBranchVote,
            Exit::None,
        ),
        (
            &na_lau,
            p("Nguyễn Thị Hoa", (1995, 8, 8), Female, Kinh, WomensUnion),
            485,
            Until::RecognitionCommuneVote,
            Exit::None,
        ),
        (
            &na_lau,
            p("Hoàng Văn Minh", (1994, 12, 1), Male, Tay, YouthUnion),
            700,
            Until::Official,
            Exit::None,
        ),
        (
            &na_lau,
            p("Lò Văn Sinh", (1996, 10, 10), Male, Thai, YouthUnion),
            520,
            Until::Ceremony,
            Exit::StruckOff,
        ),
        (
            &na_lau,
            p("Vi Thị Lan", (2002, 5, 5), Female, Nung, YouthUnion),
            200,
            Until::Dossier,
            Exit::Dropped,
        ),
        (
            &na_lau,
            p("Nông Văn Hùng", (2000, 9, 9), Male, Tay, FarmersUnion),
            160,
            Until::Dossier,
            Exit::Rejected,
        ),
        // The branch voted and fell short of two thirds: on record, reported up, still listed.
        (
            &na_lau,
            p("Lương Thị Duyên", (2001, 10, 20), Female, Nung, WomensUnion),
            120,
            Until::Dossier,
            Exit::FailedVote,
        ),
        (
            &na_lau,
            p("Triệu Thị Mai", (2003, 1, 15), Female, Dao, YouthUnion),
            100,
            Until::Dossier,
            Exit::Withdrawn,
        ),
        (
            &ban_chang,
            p("Sầm Văn Phong", (2002, 3, 3), Male, Tay, YouthUnion),
            35,
            Until::Dossier,
            Exit::None,
        ),
        (
            &ban_chang,
            p("Đàm Thị Yến", (2001, 12, 12), Female, Nung, WomensUnion),
            60,
            Until::BranchVote,
            Exit::None,
        ),
        // A former member struck off in 2021, listed again and recognised by citizen ID.
        (
            &ban_chang,
            Person {
                citizen_id: Some(READMITTED_CITIZEN_ID),
                ..p("Hoàng Văn Thắng", (1986, 7, 7), Male, Tay, FarmersUnion)
            },
            90,
            Until::CommuneVote,
            Exit::None,
        ),
        // A post-2025 commune decides for its grassroots branches: the whole path, from a
        // listing after the commune was set up to recognition signed by its standing committee.
        (
            &ban_moi,
            p("Giàng A Páo", (1999, 4, 4), Male, Hmong, YouthUnion),
            500,
            Until::Official,
            Exit::None,
        ),
        (
            &ban_moi,
            p("Sùng Thị Mỷ", (2003, 8, 21), Female, Hmong, YouthUnion),
            70,
            Until::BranchVote,
            Exit::None,
        ),
        (
            &school,
            p("Lê Minh Tuấn", (1996, 2, 14), Male, Kinh, YouthUnion),
            90,
            Until::Decision,
            Exit::None,
        ),
    ];
    for (bodies, person, ago, until, exit) in &plan {
        walk(db, bodies, person, today - Duration::days(*ago), *until, *exit).await?;
    }
    Ok(())
}
