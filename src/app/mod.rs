//! The report page: Yew components of the browser build.
//!
//! One reducer ([`state`]) holds what the page shows and changes only by
//! named actions; the components under [`components`] render what they are
//! given and report the user's actions as callbacks; [`load`] reads files into
//! the session's analysis; [`tables`] turns report rows into table cells.

mod components;
mod load;
mod state;
// Reachable from the component tests, which check the sorting directly.
pub(crate) mod tables;
pub mod worker_client;

use yew::prelude::*;

use components::{DropZone, EmptyState, FilePicker, FilesView, ReportTable, TabBar};
use load::{ExportFile, LoadEvent, Loader};
use state::{PageAction, PageState, Tab};

/// The whole report page.
#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(PageState::default);
    let loader = use_memo((), |_| Loader::new());

    let read = {
        let state = state.clone();
        let loader = loader.clone();
        Callback::from(move |files: Vec<ExportFile>| {
            let dispatcher = state.dispatcher();
            let loader = (*loader).clone();
            yew::platform::spawn_local(async move {
                loader
                    .read_files(files, |event| {
                        dispatcher.dispatch(match event {
                            LoadEvent::Reading(name) => PageAction::ReadingStarted(name),
                            LoadEvent::Read(snapshot) => PageAction::FileRead(snapshot),
                            LoadEvent::Finished => PageAction::ReadingFinished,
                        })
                    })
                    .await;
            });
        })
    };
    let on_files = read
        .reform(|files: Vec<web_sys::File>| files.into_iter().map(ExportFile::Picked).collect());
    let on_sample = read.reform(|()| vec![ExportFile::sample()]);
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

    html! {
        <>
            <header class="page-header">
                <h1>{ "MIM request reports" }</h1>
                <p class="tagline">{ "Microsoft Identity Manager request log, read offline" }</p>
            </header>
            <main>
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
                <p class="status" role="status" aria-live="polite">
                    if let Some(name) = &state.reading {
                        { format!("Reading {name}\u{2026}") }
                    }
                </p>
                if let Some(loaded) = &state.loaded {
                    { results(&state, loaded, on_tab) }
                }
            </main>
        </>
    }
}

/// The tabs and the tab shown.
fn results(
    state: &UseReducerHandle<PageState>,
    loaded: &state::LoadedView,
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
            html! {
                <ReportTable
                    title={report.title()}
                    table={loaded.table(report).clone()}
                    sort={state.sort[report.index()]}
                    {on_sort}
                />
            }
        }
        Tab::Files => html! {
            <FilesView ledger={loaded.ledger.clone()} incomplete={loaded.incomplete.clone()} />
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
