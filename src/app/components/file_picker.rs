//! The labelled file input, the sample data button and the Clear button.

use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Properties of [`FilePicker`].
#[derive(Properties, PartialEq)]
pub struct FilePickerProps {
    /// Called with the files the user picked.
    pub on_files: Callback<Vec<web_sys::File>>,
    /// Called when the user asks for the sample data.
    pub on_sample: Callback<()>,
    /// Called when the user starts over.
    pub on_clear: Callback<()>,
    /// Something is loaded, so there is something to clear.
    pub can_clear: bool,
}

/// Lets the user pick export files, load the sample data, or start over.
#[function_component(FilePicker)]
pub fn file_picker(props: &FilePickerProps) -> Html {
    let on_change = {
        let on_files = props.on_files.clone();
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            let files = super::files_of(input.files());
            // Cleared so that picking the same file again is seen again.
            input.set_value("");
            if !files.is_empty() {
                on_files.emit(files);
            }
        })
    };
    let on_sample = props.on_sample.reform(|_: MouseEvent| ());
    let on_clear = props.on_clear.reform(|_: MouseEvent| ());

    html! {
        <div class="pickers">
            // The input comes first so that its focus can style the label,
            // which is what the user sees and clicks.
            <input
                id="export-files"
                class="file-input"
                type="file"
                multiple=true
                onchange={on_change}
            />
            <label for="export-files" class="file-button">{ "Choose export files" }</label>
            <button type="button" onclick={on_sample}>{ "Load sample data" }</button>
            if props.can_clear {
                <button type="button" class="secondary" onclick={on_clear}>{ "Clear" }</button>
                <span class="drop-hint">{ "More files can be dropped here; they join this load." }</span>
            }
        </div>
    }
}
