//! The report page: Yew components of the browser build.
//!
//! One reducer ([`state`]) holds what the page shows and changes only by
//! named actions; the components under [`components`] render what they are
//! given and report the user's actions as callbacks; [`load`] reads files into
//! the session's analysis; [`tables`] turns report rows into table cells;
//! [`report_rows`] filters, orders and exports the rows of the report shown.
//! The tab, its report's filters and the clock live in the page's address
//! (see `mim_reports::view::fragment`): read when the page opens, applied
//! when the first file is read, rewritten as they change.

/// Runs `$body` with `$rows` bound to the rows of `$report` (a
/// [`tables::ReportTab`]) in `$reports` (a [`mim_reports::report::Reports`]):
/// the place where the page picks the row type of a report.
macro_rules! with_rows {
    ($reports:expr, $report:expr, |$rows:ident| $body:expr) => {
        match $report {
            ReportTab::PasswordReset => {
                let $rows = &$reports.password_reset_activity;
                $body
            }
            ReportTab::Registration => {
                let $rows = &$reports.password_reset_registration;
                $body
            }
            ReportTab::SelfServiceGroups => {
                let $rows = &$reports.self_service_groups;
                $body
            }
            ReportTab::OtherRequests => {
                let $rows = &$reports.other_requests;
                $body
            }
        }
    };
}

mod clock;
mod components;
pub(crate) mod detail;
mod load;
mod report_rows;
mod state;
// Reachable from the component tests, which check the sorting directly.
pub(crate) mod tables;
pub mod worker_client;

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use components::{
    DropZone, EmptyState, FilePicker, FilesView, ReadingProgress, ReportView, RowDetail, TabBar,
    row_element_id,
};
use detail::DetailTarget;
use load::{LoadEvent, Loader};
use state::{PageAction, PageState, Tab};

/// The page's action for an event of the loader.
fn action_of(event: LoadEvent) -> PageAction {
    match event {
        LoadEvent::Queued(files) => PageAction::FilesQueued(files),
        LoadEvent::Progress(progress) => PageAction::ProgressReported(progress),
        LoadEvent::FileRead { progress, snapshot } => PageAction::FileRead { progress, snapshot },
        LoadEvent::Finished { snapshot, .. } => PageAction::ReadingFinished(snapshot),
        LoadEvent::Cancelled { restoring_files } => {
            PageAction::ReadingCancelled { restoring_files }
        }
        LoadEvent::Failed(message) => PageAction::ReadingFailed(message),
    }
}

/// The whole report page.
#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(|| PageState::from_fragment(&location_hash()));
    {
        // The address follows the view once something is shown; before,
        // it keeps the view it was opened with.
        let fragment = state.fragment();
        use_effect_with(fragment, |fragment| {
            if let Some(fragment) = fragment {
                show_in_address(fragment);
            }
        });
    }
    let loader = {
        let dispatcher = state.dispatcher();
        use_memo((), move |_| {
            Loader::new(Callback::from(move |event| {
                dispatcher.dispatch(action_of(event))
            }))
        })
    };

    let on_files = {
        let loader = loader.clone();
        Callback::from(move |files: Vec<web_sys::File>| loader.read_files(files))
    };
    let on_sample = {
        let loader = loader.clone();
        let state = state.clone();
        Callback::from(move |()| match load::sample_file() {
            Ok(file) => loader.read_files(vec![file]),
            Err(message) => state.dispatch(PageAction::ReadingFailed(message)),
        })
    };
    let on_cancel = {
        let loader = loader.clone();
        Callback::from(move |()| loader.cancel())
    };
    let on_clear = {
        let state = state.clone();
        let loader = loader.clone();
        Callback::from(move |()| {
            loader.clear();
            state.dispatch(PageAction::Cleared);
        })
    };
    let on_tab = {
        let state = state.clone();
        Callback::from(move |tab| state.dispatch(PageAction::TabChosen(tab)))
    };
    let status = match &state.reading {
        Some(reading) if reading.restoring => {
            "Restoring what was read before the cancel\u{2026}".to_owned()
        }
        Some(reading) => match reading.reading_now() {
            Some(name) => format!("Reading {name}\u{2026}"),
            None => "Reading\u{2026}".to_owned(),
        },
        None => String::new(),
    };

    html! {
        <>
            <header class="page-header">
                <h1>{ "MIM request reports" }</h1>
                <p class="tagline">{ "Microsoft Identity Manager request log, read offline" }</p>
            </header>
            // Which thread reads, for tests and for whoever wonders why the
            // page is busy.
            <main data-reader={if loader.uses_worker() { "worker" } else { "page" }}>
                <DropZone on_files={on_files.clone()} prominent={state.loaded.is_none()}>
                    if state.loaded.is_none() {
                        <EmptyState />
                    }
                    <FilePicker
                        {on_files}
                        {on_sample}
                        {on_clear}
                        can_clear={state.loaded.is_some() || state.reading.is_some()}
                    />
                </DropZone>
                <p class="status" role="status" aria-live="polite">{ status }</p>
                if let Some(problem) = &state.problem {
                    <p class="load-error" role="alert">{ problem.clone() }</p>
                }
                if let Some(reading) = &state.reading {
                    <ReadingProgress reading={reading.clone()} {on_cancel} />
                }
                if let Some(loaded) = &state.loaded {
                    { results(&state, loaded, on_tab) }
                    { detail_dialog(&state, loaded, &loader) }
                }
            </main>
        </>
    }
}

/// The detail dialog of the request chosen, if one is.
fn detail_dialog(
    state: &UseReducerHandle<PageState>,
    loaded: &state::LoadedView,
    loader: &Loader,
) -> Html {
    let Some(target) = state.detail.clone() else {
        return Html::default();
    };
    let file_of = {
        let loader = loader.clone();
        Callback::from(move |index: u32| loader.file(index))
    };
    let on_close = {
        let state = state.clone();
        let row = target.row_id().to_owned();
        Callback::from(move |()| {
            state.dispatch(PageAction::DetailClosed);
            // The focus goes back to the row the detail was opened from.
            let element = gloo::utils::document().get_element_by_id(&row_element_id(&row));
            if let Some(element) = element.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
                let _ = element.focus();
            }
        })
    };
    let on_show = {
        let state = state.clone();
        Callback::from(move |target| state.dispatch(PageAction::DetailShown(target)))
    };
    html! {
        <RowDetail {target} file_names={loaded.file_names.clone()} {file_of} {on_close} {on_show} />
    }
}

/// The tabs and the tab shown.
fn results(
    state: &UseReducerHandle<PageState>,
    loaded: &Rc<state::LoadedView>,
    on_tab: Callback<Tab>,
) -> Html {
    let tabs: Vec<(Tab, usize)> = Tab::ALL.iter().map(|&t| (t, loaded.count(t))).collect();
    let tab = state.tab;
    let panel = match tab {
        Tab::Report(report) => {
            let on_sort = {
                let state = state.clone();
                Callback::from(move |column| {
                    state.dispatch(PageAction::SortClicked { report, column })
                })
            };
            let on_open = {
                let state = state.clone();
                let loaded = loaded.clone();
                Callback::from(move |request_id: String| {
                    let reports = &loaded.source.reports;
                    if let Some(target) = DetailTarget::of_row(reports, report, &request_id) {
                        state.dispatch(PageAction::DetailShown(Rc::new(target)));
                    }
                })
            };
            let on_filter = {
                let state = state.clone();
                Callback::from(move |filter| {
                    state.dispatch(PageAction::FilterChanged { report, filter })
                })
            };
            let on_clock = {
                let state = state.clone();
                Callback::from(move |clock| state.dispatch(PageAction::ClockChosen(clock)))
            };
            html! {
                <ReportView
                    {report}
                    reports={loaded.reports()}
                    table={loaded.table(report).clone()}
                    filter={state.filters[report.index()].clone()}
                    sort={state.sort[report.index()]}
                    clock={state.clock}
                    {on_filter}
                    {on_sort}
                    {on_clock}
                    {on_open}
                />
            }
        }
        Tab::Files => html! {
            <FilesView
                ledger={loaded.ledger.clone()}
                incomplete={loaded.incomplete.clone()}
                by_source={loaded.by_source.clone()}
            />
        },
    };
    html! {
        // The number of files read lets tests (and scripts) wait for a load.
        <section class="results" data-files-read={loaded.ledger.files.len().to_string()}>
            <TabBar {tabs} selected={tab} on_select={on_tab} />
            <div
                class="panel"
                role="tabpanel"
                id={format!("panel-{}", tab.slug())}
                aria-labelledby={format!("tab-{}", tab.slug())}
            >
                { panel }
            </div>
        </section>
    }
}

/// The page's address fragment, with its `#`, or nothing.
fn location_hash() -> String {
    web_sys::window()
        .and_then(|window| window.location().hash().ok())
        .unwrap_or_default()
}

/// Puts `fragment` in the address without a new history entry (so Back
/// still leaves the page) and without scrolling.
fn show_in_address(fragment: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let wanted = if fragment.is_empty() {
        String::new()
    } else {
        format!("#{fragment}")
    };
    if location_hash() == wanted {
        return;
    }
    let path = window.location().pathname().unwrap_or_default();
    let search = window.location().search().unwrap_or_default();
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("{path}{search}{wanted}")),
        );
    }
}
