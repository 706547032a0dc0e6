//! The list of files the user has chosen.

use yew::prelude::*;

/// Properties of [`FileList`].
#[derive(Properties, PartialEq)]
pub struct FileListProps {
    /// File names, in the order the user chose them.
    pub names: Vec<String>,
}

/// Shows the chosen file names, or nothing before the first one.
#[function_component(FileList)]
pub fn file_list(props: &FileListProps) -> Html {
    if props.names.is_empty() {
        return html! {};
    }
    html! {
        <ul class="file-list" aria-label="Chosen files">
            { for props.names.iter().map(|name| html! { <li>{ name.clone() }</li> }) }
        </ul>
    }
}
