//! The area the user drops export files on.

use yew::prelude::*;

/// Properties of [`DropZone`].
#[derive(Properties, PartialEq)]
pub struct DropZoneProps {
    /// Called with the files the user dropped.
    pub on_files: Callback<Vec<web_sys::File>>,
    /// Shown larger, as the page's first thing to do, before any file.
    #[prop_or_default]
    pub prominent: bool,
    /// What the zone holds: the file picker and, before any file, the
    /// explanation of what to drop.
    #[prop_or_default]
    pub children: Children,
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
            let files = super::files_of(event.data_transfer().and_then(|t| t.files()));
            if !files.is_empty() {
                on_files.emit(files);
            }
        })
    };

    html! {
        <section
            class={classes!(
                "drop-zone",
                props.prominent.then_some("prominent"),
                (*hovering).then_some("active"),
            )}
            aria-label="Drop export files here"
            ondragover={on_drag_over}
            ondragleave={on_drag_leave}
            ondrop={on_drop}
        >
            { props.children.clone() }
        </section>
    }
}
