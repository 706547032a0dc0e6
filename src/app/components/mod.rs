//! The page's components, one file each, named after what they show. They
//! render what they are given and report the user's actions as callbacks.

mod choice;
mod drop_zone;
mod empty_state;
mod file_picker;
mod files_view;
mod filter_bar;
mod reading_progress;
mod report_charts;
mod report_summary;
mod report_table;
mod report_view;
mod row_detail;
mod tab_bar;

pub use choice::Choice;
pub use drop_zone::DropZone;
pub use empty_state::EmptyState;
pub use file_picker::FilePicker;
pub use files_view::FilesView;
pub use filter_bar::FilterBar;
pub use reading_progress::ReadingProgress;
pub use report_charts::ReportCharts;
pub use report_summary::ReportSummary;
pub use report_table::{ReportTable, row_element_id};
pub use report_view::ReportView;
pub use row_detail::RowDetail;
pub use tab_bar::TabBar;

/// The files of a browser file list, in its order.
///
/// A `None` list (no files, or a drag that carried none) gives no files.
fn files_of(list: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    let Some(list) = list else {
        return Vec::new();
    };
    (0..list.length())
        .filter_map(|index| list.get(index))
        .collect()
}

/// "1 row", "17,181 rows": a count, its thousands grouped, with its noun.
fn count_of(count: usize, singular: &str, plural: &str) -> String {
    if count == 1 {
        format!("1 {singular}")
    } else {
        format!("{} {plural}", grouped(count as u64))
    }
}

/// "1,234,567": a count with thousands separators.
fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}
