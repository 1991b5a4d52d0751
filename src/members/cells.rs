//! The cells of an imported member row, each read into its value or a problem in both
//! languages: dates, codes, the API's codes or the Vietnamese words.

use chrono::NaiveDate;

use crate::domain::ethnicity::Ethnicity;
use crate::domain::person::{Gender, MemberStatus};
use crate::domain::text;
use crate::error::{RowProblem, Text, tr};

pub(super) fn parse_date(value: &str) -> Result<NaiveDate, Text> {
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(value, "%d/%m/%Y"))
        .map_err(|_| {
            tr!(
                "{value:?} is not a date (YYYY-MM-DD or DD/MM/YYYY)",
                "{value:?} không phải là ngày (YYYY-MM-DD hoặc DD/MM/YYYY)"
            )
        })
}

pub(super) fn parse_status(value: &str) -> Result<MemberStatus, Text> {
    let key = text::search_key(value);
    let found = match key.as_str() {
        "chinh thuc" | "dang vien chinh thuc" => Some(MemberStatus::Official),
        "du bi" | "dang vien du bi" => Some(MemberStatus::Probationary),
        "xoa ten" => Some(MemberStatus::StruckOff),
        "khai tru" | "ra khoi dang" => Some(MemberStatus::Left),
        "chuyen di" | "chuyen sinh hoat di" => Some(MemberStatus::TransferredOut),
        _ => MemberStatus::parse(&value.trim().to_uppercase()),
    };
    found.ok_or_else(|| {
        tr!(
            "{value:?} is not a status (OFFICIAL, PROBATIONARY, STRUCK_OFF, TRANSFERRED_OUT)",
            "{value:?} không phải là trạng thái đảng viên (OFFICIAL, PROBATIONARY, STRUCK_OFF, TRANSFERRED_OUT)"
        )
    })
}

pub(super) fn parse_gender(value: &str) -> Result<Gender, Text> {
    match text::search_key(value).as_str() {
        "nam" | "male" => Ok(Gender::Male),
        "nu" | "female" => Ok(Gender::Female),
        _ => Err(tr!(
            "{value:?} is not a gender (Nam/Nữ, MALE/FEMALE)",
            "{value:?} không phải là giới tính (Nam/Nữ, MALE/FEMALE)"
        )),
    }
}

/// A code of one of the API's enums, in any case.
pub(super) fn parse_code<T: Copy>(
    value: &str,
    all: &[T],
    code: impl Fn(T) -> &'static str,
    what: &Text,
) -> Result<T, Text> {
    let wanted = value.trim().to_uppercase().replace([' ', '-'], "_");
    all.iter().copied().find(|v| code(*v) == wanted).ok_or_else(|| {
        let (what_en, what_vi) = (what.en(), what.vi());
        tr!(
            "{value:?} is not a {what_en} code",
            "{value:?} không phải là mã {what_vi}"
        )
    })
}

pub(super) fn parse_yes_no(value: &str) -> Result<bool, Text> {
    match text::search_key(value).as_str() {
        "yes" | "true" | "1" | "co" | "x" => Ok(true),
        "no" | "false" | "0" | "khong" => Ok(false),
        _ => Err(tr!(
            "{value:?} is not yes or no",
            "{value:?} không phải là có hoặc không"
        )),
    }
}

pub(super) fn parse_ethnicity(value: &str) -> Result<Ethnicity, Text> {
    let key = text::search_key(value).replace(['-', ' '], "");
    Ethnicity::ALL
        .iter()
        .copied()
        .find(|e| {
            e.as_str().eq_ignore_ascii_case(value.trim())
                || e.official_code() == value.trim()
                || text::search_key(e.name_vi()).replace(['-', ' '], "") == key
        })
        .ok_or_else(|| {
            tr!(
                "{value:?} is not one of the 54 ethnic groups",
                "{value:?} không thuộc 54 dân tộc Việt Nam"
            )
        })
}

/// The value, or `None` with the problem noted.
pub(super) fn take<T>(problems: &mut Vec<RowProblem>, row: usize, column: &str, result: Result<T, Text>) -> Option<T> {
    match result {
        Ok(value) => Some(value),
        Err(message) => {
            problems.push(RowProblem {
                row,
                column: column.to_string(),
                message,
            });
            None
        }
    }
}
