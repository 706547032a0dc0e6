//! Exports of report rows: CSV that Excel opens correctly, and JSON.
//!
//! The CSV starts with a UTF-8 byte-order mark (so Excel reads accents
//! right), carries dates as ISO 8601 UTC, and neutralises formulas: a cell
//! that starts with `=`, `+`, `-`, `@`, a tab or a carriage return gets a
//! leading apostrophe, so a display name such as `=HYPERLINK(...)` written
//! into MIM by an attacker stays text in the spreadsheet.

use std::borrow::Cow;

pub use crate::view::columns::ReportColumns;

/// A cell made safe for spreadsheets: text that a spreadsheet would take
/// for a formula gets a leading apostrophe.
pub fn neutralise_formula(cell: &str) -> Cow<'_, str> {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

/// Rows as CSV bytes: a UTF-8 BOM, a heading line, one line per row, every
/// cell neutralised. `rows` are written in the order given (the filtered,
/// sorted view).
pub fn to_csv<'a, R: ReportColumns + 'a>(rows: impl IntoIterator<Item = &'a R>) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::from(&b"\xEF\xBB\xBF"[..]));
    // Writing to a Vec cannot fail; were it to, the export ends early with
    // what was written rather than panicking.
    let mut ok = w.write_record(R::headings()).is_ok();
    for row in rows {
        if !ok {
            break;
        }
        let cells = row.cells();
        ok = w
            .write_record(cells.iter().map(|c| neutralise_formula(c).into_owned()))
            .is_ok();
    }
    w.into_inner()
        .unwrap_or_else(|e| e.into_inner().get_ref().clone())
}

/// Rows as a JSON array (the fields of the command-line tool's `--json`).
pub fn to_json<'a, R: serde::Serialize + 'a>(rows: impl IntoIterator<Item = &'a R>) -> String {
    let rows: Vec<&R> = rows.into_iter().collect();
    serde_json::to_string_pretty(&rows).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::{Outcome, Role};
    use crate::report::{GroupRow, PasswordResetRow, RowOrigin};

    fn group_row(group: &str, requestor: &str) -> GroupRow {
        GroupRow {
            date: crate::time::parse_utc("2024-01-11 09:33:52.529"),
            group: group.into(),
            action: "Join group".into(),
            requestor: Some(requestor.into()),
            account: Some("CONTOSO\\tziegler".into()),
            result: Outcome::PendingApproval,
            details: "Update to Group: 'X' Request".into(),
            origin: RowOrigin {
                request_id: "e733f034".into(),
                rule: "3a".into(),
                warning: None,
                sources: vec![],
                source: Default::default(),
                person_key: None,
            },
        }
    }

    #[test]
    fn formulas_are_neutralised_and_plain_text_is_not() {
        assert_eq!(
            neutralise_formula("=HYPERLINK(\"http://x\")"),
            "'=HYPERLINK(\"http://x\")"
        );
        assert_eq!(neutralise_formula("+1"), "'+1");
        assert_eq!(neutralise_formula("-2"), "'-2");
        assert_eq!(neutralise_formula("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(neutralise_formula("\tx"), "'\tx");
        assert_eq!(neutralise_formula("\rx"), "'\rx");
        assert_eq!(neutralise_formula("Tomasz Ziegler"), "Tomasz Ziegler");
        assert_eq!(neutralise_formula(""), "");
    }

    #[test]
    fn csv_has_a_bom_a_heading_iso_dates_and_neutralised_cells() {
        let rows = [group_row("=cmd|' /C calc'!A0", "Tomasz, \"Tom\" Ziegler")];
        let csv = to_csv(&rows);
        let text = String::from_utf8(csv).unwrap_or_default();
        assert_eq!(
            text,
            "\u{feff}Date,Group,Action,Requestor,Account,Result,Details,Rule,Source,Request ID,Warning\r\n\
             2024-01-11T09:33:52.529Z,'=cmd|' /C calc'!A0,Join group,\"Tomasz, \"\"Tom\"\" Ziegler\",\
             CONTOSO\\tziegler,Pending approval,Update to Group: 'X' Request,\
             3a Requestor added or removed themself as a member,On-premises (MIM),e733f034,\r\n"
        );
    }

    #[test]
    fn json_export_keeps_the_row_fields() {
        let rows = [group_row("Finance", "Tomasz")];
        let v: serde_json::Value = serde_json::from_str(&to_json(&rows)).unwrap_or_default();
        assert_eq!(v[0]["group"], "Finance");
        assert_eq!(v[0]["result"], "Pending approval");
        assert_eq!(v[0]["date"], "2024-01-11T09:33:52.529Z");
    }

    #[test]
    fn empty_methods_read_not_recorded() {
        let row = PasswordResetRow {
            date: None,
            user: Some("A".into()),
            account: None,
            role: Role::User,
            methods: vec![],
            result: Outcome::Success,
            details: String::new(),
            origin: RowOrigin {
                request_id: "r".into(),
                rule: "1a".into(),
                warning: None,
                sources: vec![],
                source: Default::default(),
                person_key: None,
            },
        };
        assert_eq!(row.cells()[4], "Not recorded");
    }
}
