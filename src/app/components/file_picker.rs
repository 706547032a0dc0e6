//! The labelled file input and the sample data button.

use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Properties of [`FilePicker`].
#[derive(Properties, PartialEq)]
pub struct FilePickerProps {
    /// Called with the names of the files the user picked.
    pub on_files: Callback<Vec<String>>,
    /// Called when the user asks for the sample data.
    pub on_sample: Callback<()>,
}

/// Lets the user pick export files, or ask for the sample data.
#[function_component(FilePicker)]
pub fn file_picker(props: &FilePickerProps) -> Html {
    let on_change = {
        let on_files = props.on_files.clone();
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            on_files.emit(super::file_names(input.files()));
            // Cleared so that picking the same file again is seen again.
            input.set_value("");
        })
    };
    let on_sample = props.on_sample.reform(|_: MouseEvent| ());

    html! {
        <div class="pickers">
            <label for="export-files">{ "Request log exports" }</label>
            <input id="export-files" type="file" multiple=true onchange={on_change} />
            <button type="button" onclick={on_sample}>{ "Load sample data" }</button>
        </div>
    }
}
