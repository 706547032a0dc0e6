//! Browser tests of the report page's components, run in headless Chromium
//! by `cargo test --target wasm32-unknown-unknown` (see .cargo/config.toml).
//! On other targets this file is empty.
#![cfg(target_arch = "wasm32")]

// The components belong to the browser binary, not to the engine library, so
// the test compiles them in from their source.
#[path = "../src/app/mod.rs"]
mod app;

use std::time::Duration;

use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts the app on a fresh element of the test page and lets Yew render.
async fn mount_app() -> web_sys::Element {
    let document = gloo::utils::document();
    let root = document
        .create_element("div")
        .expect("create a root element");
    gloo::utils::body()
        .append_child(&root)
        .expect("attach the root element");

    yew::Renderer::<app::App>::with_root(root.clone()).render();
    yew::platform::time::sleep(Duration::ZERO).await;
    root
}

#[wasm_bindgen_test]
async fn app_shows_the_product_heading() {
    let root = mount_app().await;

    let heading = root.query_selector("h1").expect("a valid selector");

    assert_eq!(
        heading
            .and_then(|element| element.text_content())
            .as_deref(),
        Some("MIM request reports")
    );
}

#[wasm_bindgen_test]
async fn file_input_takes_several_files_and_has_a_label() {
    let root = mount_app().await;

    let input = root
        .query_selector("input[type=file][multiple]#export-files")
        .expect("a valid selector");
    let label = root
        .query_selector("label[for=export-files]")
        .expect("a valid selector");

    assert!(input.is_some());
    assert_eq!(
        label.and_then(|element| element.text_content()).as_deref(),
        Some("Request log exports")
    );
}
