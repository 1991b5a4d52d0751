//! A report's table, written as CSV or as an Excel workbook (`.xlsx`). Cells keep their type
//! until they are written: in a workbook numbers are numbers, shares are percentages
//! formatted as such, and above the table a header names the report, the unit and the
//! period, its first and last day as dates.

use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};

use crate::error::{AppError, AppResult};

/// One cell of a report.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Int(i64),
    Bool(bool),
    /// A share: numerator over denominator, empty when the denominator is 0.
    Ratio(i64, i64),
}

impl Cell {
    pub fn ratio(numerator: i64, denominator: i64) -> Cell {
        Cell::Ratio(numerator, denominator)
    }
}

impl From<i64> for Cell {
    fn from(value: i64) -> Self {
        Cell::Int(value)
    }
}

impl From<Option<i64>> for Cell {
    fn from(value: Option<i64>) -> Self {
        value.map_or(Cell::Empty, Cell::Int)
    }
}

impl From<u64> for Cell {
    fn from(value: u64) -> Self {
        Cell::Int(i64::try_from(value).unwrap_or(i64::MAX))
    }
}

impl From<i32> for Cell {
    fn from(value: i32) -> Self {
        Cell::Int(value.into())
    }
}

impl From<String> for Cell {
    fn from(value: String) -> Self {
        Cell::Text(value)
    }
}

impl From<&str> for Cell {
    fn from(value: &str) -> Self {
        Cell::Text(value.to_string())
    }
}

impl From<bool> for Cell {
    fn from(value: bool) -> Self {
        Cell::Bool(value)
    }
}

/// A row of cells, each converted from what it holds: `cells![code, admitted, true]`.
macro_rules! cells {
    ($($cell:expr),* $(,)?) => { [$($crate::reports::sheet::Cell::from($cell)),*] };
}
pub(crate) use cells;

/// What the header above a workbook's table says.
pub struct Title {
    /// The report, in Vietnamese.
    pub report: &'static str,
    pub unit: String,
    pub period: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// A report's table: its column names and rows.
pub struct Sheet {
    header: Vec<String>,
    rows: Vec<Vec<Cell>>,
}

impl Sheet {
    pub fn new(header: &[&str]) -> Sheet {
        Sheet {
            header: header.iter().map(|h| h.to_string()).collect(),
            rows: Vec::new(),
        }
    }

    pub fn row(&mut self, cells: impl IntoIterator<Item = Cell>) {
        self.rows.push(cells.into_iter().collect());
    }

    /// CSV: UTF-8 with a byte-order mark, so spreadsheet programs read Vietnamese right;
    /// shares written by `percent`.
    pub fn csv(&self, percent: &dyn Fn(i64, i64) -> String) -> AppResult<Vec<u8>> {
        let failed = |e: csv::Error| AppError::Unexpected(anyhow::anyhow!("writing CSV: {e}"));
        let mut buffer = Vec::new();
        buffer.extend_from_slice("\u{feff}".as_bytes());
        let mut writer = csv::Writer::from_writer(buffer);
        writer.write_record(&self.header).map_err(failed)?;
        for row in &self.rows {
            let texts: Vec<String> = row
                .iter()
                .map(|cell| match cell {
                    Cell::Empty => String::new(),
                    Cell::Text(text) => text.clone(),
                    Cell::Int(n) => n.to_string(),
                    Cell::Bool(b) => b.to_string(),
                    Cell::Ratio(n, d) => percent(*n, *d),
                })
                .collect();
            writer.write_record(&texts).map_err(failed)?;
        }
        writer
            .into_inner()
            .map_err(|e| AppError::Unexpected(anyhow::anyhow!("writing CSV: {e}")))
    }

    /// An Excel workbook: the header naming the report, the unit and the period (with its
    /// first and last day as dates), then the table with typed cells; shares shown with
    /// `decimals` decimals.
    pub fn xlsx(&self, title: &Title, decimals: u32) -> AppResult<Vec<u8>> {
        self.write_xlsx(title, decimals)
            .map_err(|e| AppError::Unexpected(anyhow::anyhow!("writing the workbook: {e}")))
    }

    fn write_xlsx(&self, title: &Title, decimals: u32) -> Result<Vec<u8>, XlsxError> {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        sheet.set_name("Báo cáo")?;
        let bold = Format::new().set_bold();
        let heading = Format::new().set_bold().set_font_size(14);
        let percent = Format::new().set_num_format(match decimals {
            0 => "0%".to_string(),
            n => format!("0.{}%", "0".repeat(n.min(6) as usize)),
        });
        let date = Format::new().set_num_format("dd/mm/yyyy");
        let excel_date = |d: NaiveDate| ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8);
        sheet.write_string_with_format(0, 0, format!("{} — {}", title.report, title.unit), &heading)?;
        sheet.write_string(1, 0, format!("Kỳ báo cáo: {}", title.period))?;
        for (row, label, day) in [(2, "Từ ngày", title.from), (3, "Đến ngày", title.to)] {
            sheet.write_string(row, 0, label)?;
            // A spreadsheet's dates run from 1900 to 9999; any other day is written as text.
            if (1900..=9999).contains(&day.year()) {
                sheet.write_datetime_with_format(row, 1, excel_date(day)?, &date)?;
            } else {
                sheet.write_string(row, 1, day.to_string())?;
            }
        }
        let top: u32 = 5;
        for (col, name) in self.header.iter().enumerate() {
            sheet.write_string_with_format(top, col as u16, name, &bold)?;
        }
        for (i, row) in self.rows.iter().enumerate() {
            let r = top + 1 + i as u32;
            for (col, cell) in row.iter().enumerate() {
                let c = col as u16;
                match cell {
                    Cell::Empty => {}
                    Cell::Text(text) => {
                        sheet.write_string(r, c, text)?;
                    }
                    Cell::Int(n) => {
                        sheet.write_number(r, c, *n as f64)?;
                    }
                    Cell::Bool(b) => {
                        sheet.write_boolean(r, c, *b)?;
                    }
                    Cell::Ratio(_, 0) => {}
                    Cell::Ratio(n, d) => {
                        sheet.write_number_with_format(r, c, *n as f64 / *d as f64, &percent)?;
                    }
                }
            }
        }
        sheet.set_freeze_panes(top + 1, 0)?;
        sheet.set_column_width(0, 28)?;
        workbook.save_to_buffer()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_keep_their_type_in_csv() {
        let mut sheet = Sheet::new(&["unit", "admitted", "share", "behind"]);
        sheet.row(cells!["Xã Tân Lập", 6_i64, Cell::ratio(6, 5), false]);
        sheet.row(cells!["", None::<i64>, Cell::ratio(1, 0), true]);
        let csv = String::from_utf8(
            sheet
                .csv(&|n, d| {
                    if d == 0 {
                        String::new()
                    } else {
                        format!("{}", n * 100 / d)
                    }
                })
                .unwrap(),
        )
        .unwrap();
        assert_eq!(
            csv,
            "\u{feff}unit,admitted,share,behind\nXã Tân Lập,6,120,false\n,,,true\n"
        );
    }
}
