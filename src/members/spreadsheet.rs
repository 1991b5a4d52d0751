//! A member import sent as an Excel workbook (`.xlsx`): its first sheet is read as the CSV
//! would be, row 1 the header, so every row and column problem is reported the same way.
//! Numbers that are whole are written without a decimal point, dates as `YYYY-MM-DD`.
//! A workbook is a zip archive: its parts are measured before anything is unpacked, so a
//! small file that would expand to gigabytes is refused.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use chrono::NaiveDate;

use crate::error::{AppError, AppResult, tr};

/// The most a workbook's parts may hold once unpacked.
const MAX_UNPACKED_BYTES: u64 = 64 * 1024 * 1024;

/// The most columns an import sheet may use (the import knows 18).
const MAX_COLUMNS: u32 = 64;

/// Whether `bytes` are a workbook (a zip archive) rather than CSV text.
pub fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04")
}

fn unreadable(why: impl std::fmt::Display) -> AppError {
    AppError::validation(
        "file",
        tr!("the workbook cannot be read: {why}", "không đọc được bảng tính: {why}"),
    )
}

/// The first sheet of the workbook `bytes` as CSV text.
pub fn to_csv(bytes: &[u8]) -> AppResult<String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(unreadable)?;
    let mut unpacked: u64 = 0;
    for i in 0..archive.len() {
        unpacked = unpacked.saturating_add(archive.by_index_raw(i).map_err(unreadable)?.size());
    }
    if unpacked > MAX_UNPACKED_BYTES {
        return Err(AppError::validation(
            "file",
            tr!(
                "the workbook unpacks to more than {MAX_UNPACKED_BYTES} bytes",
                "bảng tính khi giải nén vượt quá {MAX_UNPACKED_BYTES} byte"
            ),
        ));
    }
    let mut workbook = Xlsx::new(Cursor::new(bytes)).map_err(unreadable)?;
    let first = workbook.sheet_names().into_iter().next().ok_or_else(|| {
        AppError::validation(
            "file",
            tr!(
                "the workbook cannot be read: it has no sheet",
                "không đọc được bảng tính: bảng tính không có trang tính nào"
            ),
        )
    })?;
    // Cell by cell, never as a whole grid: a sheet with one cell in A1 and one in XFD1048575
    // is a grid of 17 billion cells.
    let mut reader = workbook.worksheet_cells_reader(&first).map_err(unreadable)?;
    let mut rows: std::collections::BTreeMap<u32, Vec<String>> = std::collections::BTreeMap::new();
    while let Some(cell) = reader.next_cell().map_err(unreadable)? {
        let (row, column) = cell.get_position();
        let value = text(&Data::from(cell.get_value().clone()));
        if value.is_empty() {
            continue;
        }
        if column >= MAX_COLUMNS || row as usize > super::import::MAX_ROWS + 1 {
            return Err(AppError::validation(
                "file",
                tr!(
                    "the sheet holds a cell beyond row {} or column {MAX_COLUMNS}",
                    "trang tính có ô nằm ngoài dòng {} hoặc cột {MAX_COLUMNS}",
                    super::import::MAX_ROWS + 1
                ),
            ));
        }
        let cells = rows.entry(row).or_default();
        if cells.len() <= column as usize {
            cells.resize(column as usize + 1, String::new());
        }
        cells[column as usize] = value;
    }
    let width = rows.values().map(Vec::len).max().unwrap_or(0);
    let mut writer = csv::Writer::from_writer(Vec::new());
    for (_, mut cells) in rows {
        cells.resize(width, String::new());
        writer.write_record(&cells).map_err(unreadable)?;
    }
    let bytes = writer.into_inner().map_err(unreadable)?;
    String::from_utf8(bytes).map_err(unreadable)
}

/// A cell as the CSV import reads it.
fn text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
        Data::Int(n) => n.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::DateTime(d) => serial_date(d.as_f64()).map_or_else(|| d.as_f64().to_string(), |d| d.to_string()),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

/// The day of an Excel date serial (1900 system: day 1 is 1900-01-01, with the phantom
/// 29 February 1900 that makes 1899-12-30 day 0 from March 1900 on).
fn serial_date(serial: f64) -> Option<NaiveDate> {
    let days = serial.floor() as i64;
    NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_signed(chrono::Duration::days(days))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn excel_serials_are_days() {
        assert_eq!(serial_date(44927.0), NaiveDate::from_ymd_opt(2023, 1, 1));
        assert_eq!(serial_date(45352.75), NaiveDate::from_ymd_opt(2024, 3, 1));
    }

    #[test]
    fn a_workbook_reads_as_its_csv() {
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.write_string(0, 0, "full_name").unwrap();
        sheet.write_string(0, 1, "joined_on").unwrap();
        sheet.write_string(0, 2, "citizen_id").unwrap();
        sheet.write_string(1, 0, "Lò Thị Mai").unwrap();
        let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2020, 5, 19).unwrap();
        let format = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
        sheet.write_datetime_with_format(1, 1, &date, &format).unwrap();
        sheet.write_number(1, 2, 14099000123.0).unwrap();
        let bytes = workbook.save_to_buffer().unwrap();
        assert!(is_workbook(&bytes));
        assert_eq!(
            to_csv(&bytes).unwrap(),
            "full_name,joined_on,citizen_id\nLò Thị Mai,2020-05-19,14099000123\n"
        );
        assert!(to_csv(b"PK\x03\x04 not really").is_err());

        // A cell far away is refused without building the grid between.
        let mut workbook = rust_xlsxwriter::Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.write_string(0, 0, "full_name").unwrap();
        sheet.write_string(1_048_575, 16_383, "far away").unwrap();
        assert!(to_csv(&workbook.save_to_buffer().unwrap()).is_err());
    }
}
