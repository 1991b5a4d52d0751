//! Spreadsheets: every report as a real `.xlsx` workbook (opened here with calamine, the
//! reader spreadsheet tools are built on), and a member import from one, refused whole for
//! one bad row like the CSV.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_ok};
use crate::workflow::Roles;

async fn download(app: &TestApp, token: &str, path: &str, query: &[(&str, &str)]) -> reqwest::Response {
    app.client
        .get(format!("{}/reports/{path}", app.address))
        .query(query)
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

fn sheet(bytes: &[u8]) -> calamine::Range<Data> {
    let mut workbook = Xlsx::new(Cursor::new(bytes.to_vec())).expect("a workbook");
    workbook.worksheet_range("Báo cáo").expect("the report's sheet")
}

/// The column of `name` in the header row (row 6).
fn column(range: &calamine::Range<Data>, name: &str) -> u32 {
    (0..range.width() as u32)
        .find(|&c| range.get_value((5, c)) == Some(&Data::String(name.into())))
        .unwrap_or_else(|| panic!("no column {name}"))
}

/// The Biên Sơn border district's 2023 to the end of September: 59 admitted of 60.
async fn a_report_opens_as_a_spreadsheet(app: TestApp) {
    ketnap::seed::history::seed_published(&app.state.db, ketnap::clock::today())
        .await
        .expect("the histories load");
    let roles = Roles::of(&app).await;
    let unit = app.unit_id("SL.BS").await;
    let query = [("unitId", unit.as_str()), ("asOf", "2023-09-30")];
    let response = download(&app, &roles.district, "admission-progress.xlsx", &query).await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let disposition = response.headers()["content-disposition"].to_str().unwrap().to_string();
    assert!(disposition.ends_with(".xlsx\""), "{disposition}");
    let range = sheet(&response.bytes().await.unwrap());
    let Some(Data::String(heading)) = range.get_value((0, 0)) else {
        panic!("no heading")
    };
    assert!(
        heading.starts_with("Tiến độ kết nạp") && heading.contains("Biên Sơn"),
        "{heading}"
    );
    // The period's first and last day are dates (serials of 2023-01-01 and 2023-09-30).
    match (range.get_value((2, 1)), range.get_value((3, 1))) {
        (Some(Data::DateTime(from)), Some(Data::DateTime(to))) => {
            assert_eq!((from.as_f64(), to.as_f64()), (44927.0, 45199.0));
        }
        other => panic!("the period's days are not dates: {other:?}"),
    }
    let (code, name, admitted, target, share, behind) = (
        column(&range, "unit_code"),
        column(&range, "unit_name"),
        column(&range, "admitted"),
        column(&range, "target"),
        column(&range, "percent_of_target"),
        column(&range, "behind_target"),
    );
    assert_eq!(range.get_value((6, code)), Some(&Data::String("SL.BS".into())));
    assert!(matches!(range.get_value((6, name)), Some(Data::String(n)) if n.contains("Biên Sơn")));
    assert_eq!(range.get_value((6, admitted)), Some(&Data::Float(59.0)));
    assert_eq!(range.get_value((6, target)), Some(&Data::Float(60.0)));
    match range.get_value((6, share)) {
        Some(Data::Float(f)) => assert!((f - 59.0 / 60.0).abs() < 1e-9, "{f}"),
        other => panic!("the share is not a number: {other:?}"),
    }
    assert!(matches!(range.get_value((6, behind)), Some(Data::Bool(_))));
    // Every report downloads as a workbook whose numbers are numbers.
    let year = [("unitId", unit.as_str()), ("year", "2023")];
    for report in [
        "new-member-breakdown",
        "admission-funnel",
        "training-summary",
        "pipeline-summary",
        "residential-coverage",
    ] {
        let response = download(&app, &roles.district, &format!("{report}.xlsx"), &year).await;
        assert_eq!(response.status().as_u16(), 200, "{report}");
        let range = sheet(&response.bytes().await.unwrap());
        let numbers = range.cells().filter(|(_, _, d)| matches!(d, Data::Float(_))).count();
        assert!(numbers > 0, "{report}: no number in the workbook");
    }
    // Out of scope is missing, as for CSV.
    let other = app.unit_id("SL.PS").await;
    let response = download(
        &app,
        &roles.district,
        "admission-progress.xlsx",
        &[("unitId", &other), ("year", "2023")],
    )
    .await;
    assert_eq!(response.status().as_u16(), 404);
}

fn workbook(rows: &[[&str; 4]]) -> Vec<u8> {
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            if r > 0 && c == 3 && !cell.is_empty() {
                // Dates as a spreadsheet keeps them.
                let day = chrono::NaiveDate::parse_from_str(cell, "%Y-%m-%d").unwrap();
                use chrono::Datelike;
                let date =
                    rust_xlsxwriter::ExcelDateTime::from_ymd(day.year() as u16, day.month() as u8, day.day() as u8)
                        .unwrap();
                let format = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
                sheet
                    .write_datetime_with_format(r as u32, c as u16, &date, &format)
                    .unwrap();
            } else {
                sheet.write_string(r as u32, c as u16, *cell).unwrap();
            }
        }
    }
    workbook.save_to_buffer().unwrap()
}

async fn import(app: &TestApp, token: &str, branch: &str, file: Vec<u8>) -> Value {
    let query = "mutation($i: ImportMembersInput!) { importMembers(input: $i) { importedCount members { fullName joinedOn } } }";
    let operations = json!({ "query": query, "variables": { "i": { "branchId": branch, "file": null } } });
    let form = reqwest::multipart::Form::new()
        .text("operations", operations.to_string())
        .text("map", json!({ "0": ["variables.i.file"] }).to_string())
        .part("0", reqwest::multipart::Part::bytes(file).file_name("dang-vien.xlsx"));
    app.client
        .post(format!("{}/graphql", app.address))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

/// A workbook with one bad row imports nothing and names the row and column; a good one
/// imports every row, dates read as dates.
async fn an_xlsx_import_is_all_or_nothing(app: TestApp) {
    let roles = Roles::of(&app).await;
    let branch = app.unit_id("SL.BS.TL.KM").await;
    let count = "query($b: ID!) { members(filter: {withinId: $b}) { totalCount } }";
    let total = || async {
        app.graphql(Some(&roles.commune), count, json!({ "b": branch })).await["data"]["members"]["totalCount"]
            .as_i64()
            .unwrap()
    };
    let before = total().await;
    let header = ["full_name", "status", "ethnicity", "joined_on"];
    let bad = workbook(&[
        header,
        ["Nguyễn Văn An", "OFFICIAL", "Tày", "2000-02-01"],
        ["Lò Thị Bình", "ZZZ", "Thái", "2001-03-01"],
    ]);
    let body = import(&app, &roles.commune, &branch, bad).await;
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT", "{body}");
    let problems = &body["errors"][0]["extensions"]["problems"];
    assert_eq!(problems[0]["row"], 3, "{body}");
    assert_eq!(problems[0]["column"], "status");
    assert_eq!(total().await, before, "nothing was imported");

    let good = workbook(&[
        header,
        ["Nguyễn Văn An", "OFFICIAL", "Tày", "2000-02-01"],
        ["Lò Thị Bình", "OFFICIAL", "Thái", "2001-03-01"],
    ]);
    let body = import(&app, &roles.commune, &branch, good).await;
    assert_ok(&body);
    assert_eq!(body["data"]["importMembers"]["importedCount"], 2);
    assert_eq!(
        body["data"]["importMembers"]["members"][0],
        json!({ "fullName": "Nguyễn Văn An", "joinedOn": "2000-02-01" })
    );
    assert_eq!(total().await, before + 2);
}

db_tests!(a_report_opens_as_a_spreadsheet, an_xlsx_import_is_all_or_nothing);
