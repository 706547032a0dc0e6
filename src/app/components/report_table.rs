//! One report as a sortable table that stays quick with hundreds of
//! thousands of rows: only the rows in view, and a margin around them, are
//! in the document (see [`mim_reports::view::table_window`]); empty space
//! above and below keeps the scroll bar that of the whole table. Printing
//! draws the rows from the top, up to [`PRINT_LIMIT`], and says so when
//! there are more.

use std::rc::Rc;

use gloo::events::EventListener;
use mim_reports::view::columns::soft_breaks;
use mim_reports::view::table_window::{
    MARGIN_ROWS, RowWindow, Viewport, row_window, row_window_with_margin,
};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::app::tables::{SortOrder, TableData, TableRow};

/// The most rows a printout holds.
pub const PRINT_LIMIT: usize = 5_000;

/// Rows added to each side of the window's margin per task while a new
/// order is drawn.
const MARGIN_STEP: usize = 10;

/// How far the margin of the order drawn has grown.
struct DrawnMargin {
    /// The order drawn, to tell a new one.
    order: Option<Rc<Vec<usize>>>,
    /// Rows drawn beyond each edge of the view; `None` before the rows in
    /// view are drawn.
    margin: Option<usize>,
}

/// The geometry assumed until the table is measured: a row of two lines
/// (2.9rem) and a view of about 70vh on a laptop screen.
const FIRST_GUESS: Viewport = Viewport {
    scroll_top: 0.0,
    height: 560.0,
    row_height: 43.5,
};

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
/// Every row has the same height, two lines of text: a cell's longer text
/// ends in an ellipsis, and its whole text is in its tooltip. A row read from a repaired request carries a warning marker
/// whose tooltip and accessible name give the repairs (the row's detail
/// lists them too). Rows take the focus: Enter or Space opens the detail,
/// the up and down arrows move to the row above or below.
#[function_component(ReportTable)]
pub fn report_table(props: &ReportTableProps) -> Html {
    let order = &props.order;
    let table = &props.table;
    let count = order.len();
    let scroller = use_node_ref();
    let viewport = use_mut_ref(|| FIRST_GUESS);
    // Set when scrolling moves the window: the render itself recomputes
    // the window from `viewport`, so a change of rows is drawn at once too.
    let moved = use_state_eq(|| RowWindow::all(0));
    let printing = use_state_eq(|| false);
    // A new order (new rows, a sort, a filter) is drawn first without rows,
    // then with the rows in view, then its margin grows a step per task, so
    // that no one task of the page draws the whole window (a few thousand
    // elements) along with the rest of the report.
    let drawn = use_mut_ref(|| DrawnMargin {
        order: None,
        margin: None,
    });
    let grown = use_state(|| 0_u32);
    let margin = {
        let mut drawn = drawn.borrow_mut();
        if !drawn.order.as_ref().is_some_and(|o| Rc::ptr_eq(o, order)) {
            drawn.order = Some(order.clone());
            drawn.margin = None;
        }
        drawn.margin
    };
    {
        let drawn = drawn.clone();
        let grown = grown.clone();
        use_effect_with((margin, Rc::as_ptr(order) as usize), move |&(margin, _)| {
            let next = match margin {
                None => Some(0),
                Some(m) if m < MARGIN_ROWS => Some((m + MARGIN_STEP).min(MARGIN_ROWS)),
                Some(_) => None,
            };
            let timeout = next.map(|next| {
                gloo::timers::callback::Timeout::new(0, move || {
                    drawn.borrow_mut().margin = Some(next);
                    grown.set(*grown + 1);
                })
            });
            move || drop(timeout)
        });
    }

    let measure = {
        let scroller = scroller.clone();
        let viewport = viewport.clone();
        let moved = moved.setter();
        move |count: usize| {
            let Some(scroll) = scroller.cast::<web_sys::Element>() else {
                return;
            };
            let mut view = viewport.borrow_mut();
            *view = measured(&scroll, *view);
            moved.set(row_window(count, *view));
        }
    };
    let onscroll = {
        let measure = measure.clone();
        Callback::from(move |_: Event| measure(count))
    };
    {
        // A new order (a sort, a filter, more rows) starts at the top.
        let scroller = scroller.clone();
        use_effect_with((count, props.sort), move |(count, _)| {
            if let Some(scroll) = scroller.cast::<web_sys::Element>() {
                scroll.set_scroll_top(0);
            }
            measure(*count);
        });
    }
    {
        let printing = printing.clone();
        use_effect_with((), move |()| {
            let window = gloo::utils::window();
            let before = {
                let printing = printing.clone();
                EventListener::new(&window, "beforeprint", move |_| printing.set(true))
            };
            let after = EventListener::new(&window, "afterprint", move |_| printing.set(false));
            move || drop((before, after))
        });
    }

    let window = if *printing {
        RowWindow::all(count.min(PRINT_LIMIT))
    } else {
        let view = *viewport.borrow();
        let window = row_window_with_margin(count, view, margin.unwrap_or(0));
        match margin {
            Some(_) => window,
            // Space stands for the rows in view too.
            None => RowWindow {
                end: window.first,
                space_below: window.space_below
                    + (window.end - window.first) as f64 * view.row_height.max(1.0),
                ..window
            },
        }
    };
    let width = table.columns.len();
    // Only the rows drawn have their cells written.
    let rows = (window.first..window.end).filter_map(|position| {
        let row = table.row(*order.get(position)?)?;
        let neighbour = |at: Option<usize>| {
            at.and_then(|p| order.get(p))
                .and_then(|&p| table.key(p))
                .map(row_element_id)
        };
        let neighbours = Neighbours {
            above: neighbour(position.checked_sub(1)),
            below: neighbour(Some(position + 1)),
        };
        Some(table_row(&row, position, neighbours, &props.on_open))
    });

    html! {
        <div class="report">
            if count > PRINT_LIMIT {
                <p class="print-only print-limit">
                    { format!(
                        "Printed: the first {} of {} rows, in the table's order.",
                        super::grouped(PRINT_LIMIT as u64),
                        super::grouped(count as u64),
                    ) }
                </p>
            }
            <div class="table-scroll report-scroll" ref={scroller} {onscroll}>
                <table class="report-table" aria-rowcount={(count + 1).to_string()}>
                    <caption class="visually-hidden">
                        { format!("{}, {}. Enter on a row opens its detail.", props.title, super::count_of(count, "row", "rows")) }
                    </caption>
                    <thead>
                        <tr aria-rowindex="1">
                            { for table.columns.iter().enumerate().map(|(column, name)| {
                                heading(column, name, props.sort, &props.on_sort)
                            }) }
                        </tr>
                    </thead>
                    <tbody>
                        { space(window.space_above, width, "space-above") }
                        { for rows }
                        { space(window.space_below, width, "space-below") }
                    </tbody>
                </table>
            </div>
        </div>
    }
}

/// Where `scroll`, the table's scroll box, is scrolled to now, with its
/// heights measured; what cannot be measured stays as in `last`.
fn measured(scroll: &web_sys::Element, last: Viewport) -> Viewport {
    let top = |selector: &str, last: bool| {
        let found = if last {
            scroll
                .query_selector_all(selector)
                .ok()
                .and_then(|all| all.item(all.length().checked_sub(1)?))
                .and_then(|node| node.dyn_into::<web_sys::Element>().ok())
        } else {
            scroll.query_selector(selector).ok().flatten()
        };
        found.map(|e| e.get_bounding_client_rect())
    };
    let drawn = scroll
        .query_selector_all("tr.report-row")
        .map_or(0, |all| all.length());
    // The distance between rows, which is what positions add up.
    let row_height = match (top("tr.report-row", false), top("tr.report-row", true)) {
        (Some(first), Some(last)) if drawn > 1 => (last.top() - first.top()) / f64::from(drawn - 1),
        _ => last.row_height,
    };
    let heading = top("thead", false).map_or(0.0, |rect| rect.height());
    Viewport {
        scroll_top: f64::from(scroll.scroll_top()),
        height: f64::from(scroll.client_height()) - heading,
        row_height: if row_height >= 1.0 {
            row_height
        } else {
            last.row_height
        },
    }
}

/// `text` with a `<wbr>` at each of its [`soft_breaks`]; `<wbr>` adds no
/// character, so the text as copied or read aloud stays the same.
fn breakable(text: &str) -> Html {
    let mut parts = Vec::new();
    let mut start = 0;
    for cut in soft_breaks(text) {
        parts.push(html! { { text[start..cut].to_owned() } });
        parts.push(html! { <wbr /> });
        start = cut;
    }
    if parts.is_empty() {
        return Html::from(text.to_owned());
    }
    parts.push(html! { { text[start..].to_owned() } });
    html! { <>{ for parts }</> }
}

/// An empty row of `height` pixels that stands for the rows not drawn.
fn space(height: f64, width: usize, class: &'static str) -> Html {
    if height <= 0.0 {
        return Html::default();
    }
    html! {
        <tr class={classes!("table-space", class)} aria-hidden="true">
            <td colspan={width.to_string()} style={format!("height: {height:.3}px")}></td>
        </tr>
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

/// The element ids of the rows above and below a row, where there are.
struct Neighbours {
    above: Option<String>,
    below: Option<String>,
}

/// The row at `position` of the order shown. It takes the focus, opens its
/// detail on a click, Enter or Space, and hands the focus to a neighbour
/// on the up and down arrows.
fn table_row(
    row: &TableRow,
    position: usize,
    neighbours: Neighbours,
    on_open: &Callback<String>,
) -> Html {
    let cells = row.cells.iter().enumerate().map(|(index, cell)| {
        let marker = (index == 0)
            .then_some(row.warning.as_ref())
            .flatten()
            .map(|warning| {
                let repairs = format!("Read with repairs: {warning}");
                html! {
                    <span class="warning-marker" role="img" aria-label={repairs.clone()}
                          title={repairs}>{ "\u{26a0}" }</span>
                }
            });
        html! {
            <td class={classes!(cell.placeholder.then_some("placeholder"))}
                title={cell.title.clone().unwrap_or_else(|| cell.text.clone())}>
                <span class="cell-text">
                    { for marker }
                    { breakable(&cell.text) }
                </span>
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
            let target = match e.key().as_str() {
                "Enter" | " " => {
                    e.prevent_default();
                    on_open.emit(key.clone());
                    return;
                }
                "ArrowUp" => &neighbours.above,
                "ArrowDown" => &neighbours.below,
                _ => return,
            };
            e.prevent_default();
            let element = target
                .as_ref()
                .and_then(|id| gloo::utils::document().get_element_by_id(id));
            if let Some(element) = element.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
                let _ = element.focus();
            }
        })
    };
    let stripe = (position % 2 == 1).then_some("stripe");
    html! {
        <tr key={row.key.clone()}
            class={classes!("report-row", stripe, row.warning.is_some().then_some("has-warning"))}
            id={row_element_id(&row.key)} data-request={row.key.clone()} tabindex="0"
            aria-rowindex={(position + 2).to_string()}
            onclick={onclick} onkeydown={onkeydown}>
            { for cells }
        </tr>
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
