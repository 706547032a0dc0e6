//! The area the user drops export files on.

use yew::prelude::*;

/// Properties of [`DropZone`].
#[derive(Properties, PartialEq)]
pub struct DropZoneProps {
    /// Called with the names of the files the user dropped.
    pub on_files: Callback<Vec<String>>,
}

/// A drop target for export files, highlighted while files hover over it.
#[function_component(DropZone)]
pub fn drop_zone(props: &DropZoneProps) -> Html {
    let hovering = use_state(|| false);

    // The browser opens a dropped file itself unless both dragover and drop
    // are cancelled.
    let on_drag_over = {
        let hovering = hovering.clone();
        Callback::from(move |event: DragEvent| {
            event.prevent_default();
            hovering.set(true);
        })
    };
    let on_drag_leave = {
        let hovering = hovering.clone();
        Callback::from(move |_: DragEvent| hovering.set(false))
    };
    let on_drop = {
        let hovering = hovering.clone();
        let on_files = props.on_files.clone();
        Callback::from(move |event: DragEvent| {
            event.prevent_default();
            hovering.set(false);
            let files = event.data_transfer().and_then(|transfer| transfer.files());
            on_files.emit(super::file_names(files));
        })
    };

    html! {
        <div
            class={classes!("drop-zone", (*hovering).then_some("active"))}
            ondragover={on_drag_over}
            ondragleave={on_drag_leave}
            ondrop={on_drop}
        >
            { "Drop export files here" }
        </div>
    }
}
