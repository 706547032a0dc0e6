//! The report page: Yew components of the browser build.
//!
//! [`App`] owns the page state (see [`state`]); the components under
//! [`components`] only render what they are given and report the user's
//! actions back as callbacks. For now the page collects the names of the files
//! the user picks or drops; reading them comes with the engine.

mod components;
mod state;
pub mod worker_client;

use yew::prelude::*;

use components::{DropZone, FileList, FilePicker};
use state::{PageAction, PageState};

/// The whole report page.
#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(PageState::default);

    let on_files = {
        let state = state.clone();
        Callback::from(move |names: Vec<String>| state.dispatch(PageAction::FilesChosen(names)))
    };
    let on_sample = {
        let state = state.clone();
        Callback::from(move |_| state.dispatch(PageAction::SampleRequested))
    };

    html! {
        <>
            <header>
                <h1>{ "MIM request reports" }</h1>
            </header>
            <main>
                <FilePicker on_files={on_files.clone()} on_sample={on_sample} />
                <DropZone on_files={on_files} />
                if let Some(notice) = &state.notice {
                    <p class="notice">{ notice.clone() }</p>
                }
                <FileList names={state.file_names.clone()} />
            </main>
        </>
    }
}
