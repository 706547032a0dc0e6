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
    /// Called with a row's request id when the user opens its detail (a
    /// click, or Enter or Space on the focused row).
    #[prop_or_default]
    pub on_open: Callback<String>,
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
                        { format!("{}, {}. Enter on a row opens its detail.", props.title, super::count_of(order.len(), "row", "rows")) }
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
                            table_row(row, width, &props.on_open)
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
/// The row takes the focus, and opens its detail on a click, Enter or Space.
fn table_row(row: &TableRow, width: usize, on_open: &Callback<String>) -> Html {
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
    let onclick = {
        let key = row.key.clone();
        on_open.reform(move |_: MouseEvent| key.clone())
    };
    let onkeydown = {
        let key = row.key.clone();
        let on_open = on_open.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Enter" || e.key() == " " {
                e.prevent_default();
                on_open.emit(key.clone());
            }
        })
    };
    html! {
        <>
            <tr class={classes!("report-row", row.warning.is_some().then_some("has-warning"))}
                id={row_element_id(&row.key)} data-request={row.key.clone()} tabindex="0"
                onclick={onclick} onkeydown={onkeydown}>
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

/// The element id of the row of request `key`, so that the focus can go
/// back to it when its detail closes.
pub fn row_element_id(key: &str) -> String {
    format!("row-{key}")
}

/// A column name as a class name: "Methods used" gives `methods-used`.
fn slug(name: &str) -> String {
    name.to_lowercase().replace(' ', "-")
}
