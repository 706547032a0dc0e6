//! Browser entry point: mounts the report page. Trunk builds it for `wasm32`;
//! on other targets it is an empty program, so that native builds and tests
//! of the workspace never compile the browser dependencies.

#[cfg(target_arch = "wasm32")]
mod app;

/// Id of the element of `index.html` the app mounts on.
#[cfg(target_arch = "wasm32")]
const ROOT_ELEMENT_ID: &str = "mim-app";

/// Mounts the app on the page's `#mim-app` element, or on `<body>` when the
/// page has none (a page made without `index.html`, such as a test page).
#[cfg(target_arch = "wasm32")]
fn main() {
    let root = gloo::utils::document().get_element_by_id(ROOT_ELEMENT_ID);
    match root {
        Some(element) => yew::Renderer::<app::App>::with_root(element).render(),
        None => yew::Renderer::<app::App>::new().render(),
    };
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
