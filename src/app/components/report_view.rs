//! One report as people work with it: the filter bar, the summary of what
//! passes, the exports and print, the clock, and the table of the rows
//! that pass, with their charts. On paper only the title, the filters in effect and the table
//! are printed.

use std::rc::Rc;

use mim_reports::view::dates::Clock;
use mim_reports::view::filter::ReportFilter;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::{Choice, FilterBar, ReportCharts, ReportSummary, ReportTable};
use crate::app::clock::local_label;
use crate::app::report_rows::{
    Download, ExportFormat, SharedReports, chart_rows, export, filtered, shown_order,
};
use crate::app::tables::{ReportTab, SortOrder, TableData};

/// Properties of [`ReportView`].
#[derive(Properties, PartialEq)]
pub struct ReportViewProps {
    /// Which report.
    pub report: ReportTab,
    /// The rows of every report.
    pub reports: SharedReports,
    /// The report's table, every row.
    pub table: Rc<TableData>,
    /// The report's filters.
    pub filter: ReportFilter,
    /// How the table is sorted.
    pub sort: Option<SortOrder>,
    /// The clock dates are shown on.
    pub clock: Clock,
    /// Called with the filters after the user changed them.
    pub on_filter: Callback<ReportFilter>,
    /// Called with the column whose heading the user clicked.
    pub on_sort: Callback<usize>,
    /// Called with the clock the user chose.
    pub on_clock: Callback<Clock>,
    /// Called with a row's request id when the user opens its detail.
    #[prop_or_default]
    pub on_open: Callback<String>,
}

/// A report with its filters, summary, exports and table.
#[function_component(ReportView)]
pub fn report_view(props: &ReportViewProps) -> Html {
    let report = props.report;
    let result = use_memo(
        (props.reports.clone(), report, props.filter.clone()),
        |(reports, report, filter)| filtered(reports, *report, filter),
    );
    let order = use_memo(
        (props.table.clone(), props.sort, result.positions.clone()),
        |(table, sort, positions)| Rc::new(shown_order(table, *sort, positions)),
    );
    // The charts draw the rows that pass the filters.
    let charts = use_memo(
        (props.reports.clone(), report, result.positions.clone()),
        |(reports, report, positions)| chart_rows(reports, *report, positions).map(Rc::new),
    );
    let mix_noun = match report {
        ReportTab::SelfServiceGroups => "Actions",
        _ => "Methods",
    };
    let download = |format: ExportFormat| {
        let reports = props.reports.clone();
        let order = order.clone();
        Callback::from(move |_: MouseEvent| {
            offer_download(&export(&reports, report, order.as_slice(), format));
        })
    };
    let on_clock = props
        .on_clock
        .reform(|value: String| Clock::from_slug(&value).unwrap_or_default());
    let clock_options = vec![
        (Clock::Utc.slug().to_owned(), "UTC".to_owned()),
        (Clock::Local.slug().to_owned(), local_label()),
    ];
    let on_print = Callback::from(|_: MouseEvent| {
        if let Some(window) = web_sys::window() {
            let _ = window.print();
        }
    });

    html! {
        <div class="report-view">
            <div class="print-only print-heading">
                <h2>{ report.title() }</h2>
                <p>{ format!("Filters: {}", props.filter.describe(result.latest)) }</p>
            </div>
            <FilterBar filter={props.filter.clone()} facets={result.facets.clone()}
                       on_change={props.on_filter.clone()} />
            <div class="report-tools">
                <ReportSummary summary={result.summary.clone()} />
                <div class="tool-buttons">
                    <Choice id="clock" label="Show times in" options={clock_options}
                            value={props.clock.slug()} on_pick={on_clock} />
                    <button type="button" class="secondary" onclick={download(ExportFormat::Csv)}>
                        { "Export CSV" }
                    </button>
                    <button type="button" class="secondary" onclick={download(ExportFormat::Json)}>
                        { "Export JSON" }
                    </button>
                    <button type="button" class="secondary" onclick={on_print}>{ "Print" }</button>
                </div>
            </div>
            if let Some(rows) = (*charts).clone() {
                <ReportCharts title={report.title()} {rows} {mix_noun} />
            }
            <ReportTable
                title={report.title()}
                table={props.table.clone()}
                order={(*order).clone()}
                sort={props.sort}
                on_sort={props.on_sort.clone()}
                on_open={props.on_open.clone()}
            />
        </div>
    }
}

/// Hands `download` to the browser as a file: a Blob behind an object URL,
/// clicked through a hidden `<a download>`. Nothing leaves the machine.
fn offer_download(download: &Download) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let bytes = js_sys::Uint8Array::from(download.bytes.as_slice());
    let parts = js_sys::Array::of1(&bytes);
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(download.media_type);
    let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Some(link) = document
        .create_element("a")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        link.set_href(&url);
        link.set_download(&download.name);
        link.click();
    }
    // Released once the download has surely started.
    gloo::timers::callback::Timeout::new(60_000, move || {
        let _ = web_sys::Url::revoke_object_url(&url);
    })
    .forget();
}
