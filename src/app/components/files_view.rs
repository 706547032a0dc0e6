//! The Files & diagnostics tab: what was read from each file, the rows of
//! each report by source (on-premises MIM, cloud Entra ID), the requests
//! whose slices did not all come, and every problem met with its place.

use std::rc::Rc;

use yew::prelude::*;

use mim_reports::ledger::{Accounting, Diagnostic, FileEntry, Ledger, Severity};
use mim_reports::report::{IncompleteSummary, SourceCounts};

/// Properties of [`FilesView`].
#[derive(Properties, PartialEq)]
pub struct FilesViewProps {
    /// Files, their accounting, and the problems met.
    pub ledger: Rc<Ledger>,
    /// Requests whose slices did not all come.
    pub incomplete: Rc<Vec<IncompleteSummary>>,
    /// The rows of each report by source.
    pub by_source: Rc<Vec<SourceCounts>>,
}

/// The accounting of every file, the incomplete requests and the problems.
#[function_component(FilesView)]
pub fn files_view(props: &FilesViewProps) -> Html {
    let ledger = &props.ledger;
    html! {
        <div class="files-view">
            <h2>{ "Files" }</h2>
            <p class="row-count">{ super::count_of(ledger.files.len(), "file", "files") }</p>
            <div class="table-scroll">
                <table class="files-table">
                    <caption class="visually-hidden">{ "Files read and their events" }</caption>
                    <thead>
                        <tr>
                            <th scope="col">{ "File" }</th>
                            <th scope="col">{ "Format" }</th>
                            <th scope="col">{ "Encoding" }</th>
                            <th scope="col" class="number">{ "Bytes" }</th>
                            <th scope="col" class="number">{ "Events read" }</th>
                            <th scope="col" class="number">{ "In requests" }</th>
                            <th scope="col" class="number">{ "Duplicates" }</th>
                            <th scope="col" class="number">{ "Incomplete slices" }</th>
                            <th scope="col" class="number">{ "Not from the request log" }</th>
                            <th scope="col" class="number">{ "Unreadable" }</th>
                        </tr>
                    </thead>
                    <tbody>
                        { for ledger.files.iter().map(file_row) }
                    </tbody>
                    <tfoot>
                        <tr class="total-row">
                            <th scope="row" colspan="3">{ "Total" }</th>
                            <td class="number">{ super::grouped(ledger.files.iter().map(|f| f.bytes_read).sum()) }</td>
                            { accounting_cells(&ledger.totals()) }
                        </tr>
                    </tfoot>
                </table>
            </div>

            <h2>{ "Rows by source" }</h2>
            <div class="table-scroll">
                <table class="source-table">
                    <caption class="visually-hidden">{ "Rows of each report by source" }</caption>
                    <thead>
                        <tr>
                            <th scope="col">{ "Source" }</th>
                            <th scope="col" class="number">{ "Password reset activity" }</th>
                            <th scope="col" class="number">{ "Password reset registration" }</th>
                            <th scope="col" class="number">{ "Self-service groups activity" }</th>
                            <th scope="col" class="number">{ "Other requests" }</th>
                        </tr>
                    </thead>
                    <tbody>
                        { for props.by_source.iter().map(source_row) }
                    </tbody>
                </table>
            </div>

            <h2>{ "Incomplete requests" }</h2>
            if props.incomplete.is_empty() {
                <p class="none">{ "Every sliced request has all its slices." }</p>
            } else {
                <p class="row-count">
                    { super::count_of(props.incomplete.len(), "request", "requests") }
                    { " with missing slices; their slices are counted as incomplete and are in no report." }
                </p>
                <div class="table-scroll">
                    <table class="incomplete-table">
                        <caption class="visually-hidden">{ "Requests whose slices did not all come" }</caption>
                        <thead>
                            <tr>
                                <th scope="col">{ "Request" }</th>
                                <th scope="col">{ "Slices present" }</th>
                                <th scope="col">{ "Missing slices" }</th>
                                <th scope="col">{ "Found in" }</th>
                            </tr>
                        </thead>
                        <tbody>
                            { for props.incomplete.iter().map(|i| incomplete_row(i, ledger)) }
                        </tbody>
                    </table>
                </div>
            }

            <h2>{ "Problems" }</h2>
            if ledger.diagnostics.is_empty() {
                <p class="none">{ "No problems were met." }</p>
            } else {
                <p class="row-count">{ super::count_of(ledger.diagnostics.len(), "problem", "problems") }</p>
                <div class="table-scroll">
                    <table class="problems-table">
                        <caption class="visually-hidden">{ "Problems met while reading" }</caption>
                        <thead>
                            <tr>
                                <th scope="col">{ "File" }</th>
                                <th scope="col">{ "Position" }</th>
                                <th scope="col">{ "Severity" }</th>
                                <th scope="col">{ "Message" }</th>
                            </tr>
                        </thead>
                        <tbody>
                            { for ledger.diagnostics.iter().map(|d| problem_row(d, ledger)) }
                        </tbody>
                    </table>
                </div>
            }
            if ledger.diagnostics_dropped > 0 {
                <p class="none">
                    { format!("{} more problems were counted but not listed.", ledger.diagnostics_dropped) }
                </p>
            }
        </div>
    }
}

/// One file's line of the files table.
fn file_row(file: &FileEntry) -> Html {
    let bytes = match file.size {
        Some(size) if size != file.bytes_read => {
            format!(
                "{} of {}",
                super::grouped(file.bytes_read),
                super::grouped(size)
            )
        }
        _ => super::grouped(file.bytes_read),
    };
    html! {
        <tr>
            <th scope="row" class="file-name">
                { file.name.clone() }
                if file.stopped_early {
                    <span class="badge">{ "read in part" }</span>
                }
            </th>
            <td>{ or_unknown(&file.format) }</td>
            <td>{ or_unknown(&file.encoding) }</td>
            <td class="number">{ bytes }</td>
            { accounting_cells(&file.accounting) }
        </tr>
    }
}

/// One source's line of the rows-by-source table.
fn source_row(c: &SourceCounts) -> Html {
    let numbers = [
        c.password_reset_activity,
        c.password_reset_registration,
        c.self_service_groups,
        c.other_requests,
    ];
    html! {
        <tr>
            <th scope="row">{ c.source.label() }</th>
            { for numbers.iter().map(|n| html! { <td class="number">{ super::grouped(*n as u64) }</td> }) }
        </tr>
    }
}

/// The six accounting numbers, in the columns' order.
fn accounting_cells(a: &Accounting) -> Html {
    let numbers = [
        a.events_read,
        a.request_events,
        a.duplicates,
        a.incomplete,
        a.not_request_log,
        a.unreadable,
    ];
    html! {
        { for numbers.iter().map(|n| html! { <td class="number">{ super::grouped(*n) }</td> }) }
    }
}

/// One incomplete request.
fn incomplete_row(request: &IncompleteSummary, ledger: &Ledger) -> Html {
    let present = format!("{} of {}", numbers(&request.present), request.slices);
    let mut files: Vec<&str> = request
        .sources
        .iter()
        .map(|s| ledger.file_name(s.file))
        .collect();
    files.sort_unstable();
    files.dedup();
    html! {
        <tr>
            <td class="mono">{ request.request_id.clone() }</td>
            <td>{ present }</td>
            <td class="missing">{ numbers(&request.missing) }</td>
            <td>{ files.join(", ") }</td>
        </tr>
    }
}

/// One problem.
fn problem_row(d: &Diagnostic, ledger: &Ledger) -> Html {
    let file = d.file.map_or("(whole load)", |f| ledger.file_name(f));
    let mut place = Vec::new();
    if let Some(offset) = d.offset {
        place.push(format!("byte {offset}"));
    }
    if let Some(record) = d.record_id {
        place.push(format!("record {record}"));
    }
    if let Some(event) = d.event_id {
        place.push(format!("event {event}"));
    }
    let (severity, class) = match d.severity {
        Severity::Info => ("Info", "info"),
        Severity::Warning => ("Warning", "warning"),
        Severity::Error => ("Error", "error"),
    };
    html! {
        <tr>
            <td>{ file.to_owned() }</td>
            <td class="position">{ if place.is_empty() { "\u{2014}".to_owned() } else { place.join(", ") } }</td>
            <td><span class={classes!("severity", class)}>{ severity }</span></td>
            <td>
                { d.message.clone() }
                if let Some(request) = &d.request_id {
                    <div class="request-id mono">{ format!("Request {request}") }</div>
                }
            </td>
        </tr>
    }
}

/// Slice numbers as `1, 3`.
fn numbers(list: &[u32]) -> String {
    list.iter()
        .map(|n| n.to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The text, or "unknown" when empty (a file whose format was never found).
fn or_unknown(text: &str) -> String {
    if text.is_empty() {
        "unknown".to_owned()
    } else {
        text.to_owned()
    }
}
