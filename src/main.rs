//! Browser entry point: mounts the report page. Trunk builds it for `wasm32`;
//! on other targets it is an empty program, so that native builds and tests
//! of the workspace never compile the browser dependencies.
//!
//! The same module also runs inside the reading worker ([`worker`]), where
//! there is no window: there `main` does nothing and the worker's start
//! script calls [`worker::worker_main`].

#![warn(missing_docs)]

#[cfg(target_arch = "wasm32")]
mod app;
#[cfg(target_arch = "wasm32")]
mod worker;

/// Id of the element of `index.html` the app mounts on.
#[cfg(target_arch = "wasm32")]
const ROOT_ELEMENT_ID: &str = "mim-app";

/// The address fragment that installs the reading worker's test hook.
#[cfg(target_arch = "wasm32")]
const WORKER_SELFTEST_FRAGMENT: &str = "#worker-selftest";

/// Mounts the app on the page's `#mim-app` element, or on `<body>` when the
/// page has none (a page made without `index.html`, such as a test page).
/// Inside a worker (no window) it does nothing.
#[cfg(target_arch = "wasm32")]
fn main() {
    let Some(window) = web_sys::window() else {
        return;
    };
    if window.location().hash().ok().as_deref() == Some(WORKER_SELFTEST_FRAGMENT) {
        app::worker_client::install_test_hook();
    }
    let root = window
        .document()
        .and_then(|document| document.get_element_by_id(ROOT_ELEMENT_ID));
    match root {
        Some(element) => yew::Renderer::<app::App>::with_root(element).render(),
        None => yew::Renderer::<app::App>::new().render(),
    };
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {}
