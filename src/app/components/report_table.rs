//! One report as a sortable table.

use std::rc::Rc;

use yew::prelude::*;

use crate::app::tables::{SortOrder, TableData, TableRow};

/// Properties of [`ReportTable`].
#[derive(Properties, PartialEq)]
pub struct ReportTableProps {
    /// The report's title, for the table's caption.
    pub title: AttrValue,
    /// The report's rows.
    pub table: Rc<TableData>,
    /// The positions of the rows to show, in the order to show them.
    pub order: Rc<Vec<usize>>,
    /// How the rows are sorted; `None` is report order.
    pub sort: Option<SortOrder>,
    /// Called with the column whose heading the user clicked.
    pub on_sort: Callback<usize>,
}

/// A report table: click a heading to sort by it, again to reverse.
///
/// A row read from a repaired request carries a warning marker, and the
/// repairs are written on a line of their own under it.
#[function_component(ReportTable)]
pub fn report_table(props: &ReportTableProps) -> Html {
    let order = &props.order;
    let table = &props.table;
    let width = table.columns.len();

    html! {
        <div class="report">
            <div class="table-scroll">
                <table class="report-table">
                    <caption class="visually-hidden">
                        { format!("{}, {}", props.title, super::count_of(order.len(), "row", "rows")) }
                    </caption>
                    <thead>
                        <tr>
                            { for table.columns.iter().enumerate().map(|(column, name)| {
                                heading(column, name, props.sort, &props.on_sort)
                            }) }
                        </tr>
                    </thead>
                    <tbody>
                        { for order.iter().filter_map(|&p| table.rows.get(p)).map(|row| {
                            table_row(row, width)
                        }) }
                    </tbody>
                </table>
            </div>
        </div>
    }
}

/// A column heading: a button that sorts, and `aria-sort` on the sorted one.
fn heading(column: usize, name: &str, sort: Option<SortOrder>, on_sort: &Callback<usize>) -> Html {
    let state = match sort {
        Some(order) if order.column == column && order.descending => "descending",
        Some(order) if order.column == column => "ascending",
        _ => "none",
    };
    let arrow = match state {
        "ascending" => "\u{25b2}",
        "descending" => "\u{25bc}",
        _ => "",
    };
    let onclick = on_sort.reform(move |_: MouseEvent| column);
    html! {
        <th scope="col" aria-sort={state} class={format!("col-{}", slug(name))}>
            <button type="button" class="sort" {onclick}>
                { name.to_owned() }
                <span class="sort-arrow" aria-hidden="true">{ arrow }</span>
            </button>
        </th>
    }
}

/// A row, and under it the line that explains its warning when it has one.
fn table_row(row: &TableRow, width: usize) -> Html {
    let cells = row.cells.iter().enumerate().map(|(index, cell)| {
        let marker = (index == 0 && row.warning.is_some()).then(|| {
            html! {
                <span class="warning-marker" role="img" aria-label="Read with repairs"
                      title={row.warning.clone()}>{ "\u{26a0}" }</span>
            }
        });
        html! {
            <td class={classes!(cell.placeholder.then_some("placeholder"))}
                title={cell.title.clone()}>
                { for marker }
                { cell.text.clone() }
            </td>
        }
    });
    html! {
        <>
            <tr class={classes!("report-row", row.warning.is_some().then_some("has-warning"))}
                data-request={row.key.clone()}>
                { for cells }
            </tr>
            if let Some(warning) = &row.warning {
                <tr class="warning-row">
                    <td colspan={width.to_string()}>
                        <span class="warning-marker" aria-hidden="true">{ "\u{26a0}" }</span>
                        { format!("Read with repairs: {warning}") }
                    </td>
                </tr>
            }
        </>
    }
}

/// A column name as a class name: "Methods used" gives `methods-used`.
fn slug(name: &str) -> String {
    name.to_lowercase().replace(' ', "-")
}
