//! Browser tests of the report page's components, run in headless Chromium
//! by `cargo test --target wasm32-unknown-unknown` (see .cargo/config.toml).
//! On other targets this file is empty.
#![cfg(target_arch = "wasm32")]

// The components belong to the browser binary, not to the engine library, so
// the test compiles them in from their source.
#[path = "../src/app/mod.rs"]
mod app;

use std::time::Duration;

use app::tables::{SortOrder, positions_by_keys};
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
        Some("Choose export files")
    );
}

#[wasm_bindgen_test]
async fn before_any_file_the_page_offers_the_sample_and_no_tabs() {
    let root = mount_app().await;

    let buttons: Vec<String> = button_texts(&root);
    let tabs = root.query_selector("[role=tab]").expect("a valid selector");

    assert_eq!(buttons, ["Load sample data"]);
    assert!(tabs.is_none());
}

/// The texts of the root's buttons, in page order.
fn button_texts(root: &web_sys::Element) -> Vec<String> {
    let buttons = root.query_selector_all("button").expect("a valid selector");
    (0..buttons.length())
        .filter_map(|i| buttons.item(i))
        .filter_map(|node| node.text_content())
        .collect()
}

#[wasm_bindgen_test]
fn a_first_click_sorts_up_and_a_second_reverses() {
    let keys = ["carol", "alice", "bob"].map(String::from);

    let first = SortOrder::after_click(None, 0);
    let second = SortOrder::after_click(Some(first), 0);

    assert_eq!(positions_by_keys(&keys, first.descending), [1, 2, 0]);
    assert_eq!(positions_by_keys(&keys, second.descending), [0, 2, 1]);
}

#[wasm_bindgen_test]
fn rows_of_equal_keys_keep_their_report_order_either_way() {
    let keys = ["b", "a", "b", "a"].map(String::from);

    assert_eq!(positions_by_keys(&keys, false), [1, 3, 0, 2]);
    assert_eq!(positions_by_keys(&keys, true), [0, 2, 1, 3]);
}

#[wasm_bindgen_test]
fn clicking_another_column_sorts_it_up() {
    let descending = SortOrder {
        column: 0,
        descending: true,
    };

    let next = SortOrder::after_click(Some(descending), 3);

    assert_eq!(
        next,
        SortOrder {
            column: 3,
            descending: false
        }
    );
}

#[wasm_bindgen_test]
fn every_report_table_ends_with_the_rows_source() {
    let mut analysis = mim_reports::Analysis::new();
    let cloud = include_bytes!("fixtures/entra/graph-value.json");
    analysis.read_file("graph-value.json", None, &cloud[..]);
    let snapshot = std::rc::Rc::new(app::worker_client::Snapshot {
        reports: analysis.reports(),
        ledger: analysis.final_ledger(),
    });
    let tables = app::tables::ReportTab::ALL.map(|report| {
        app::tables::TableData::of_report(snapshot.clone(), report, Default::default())
    });
    let sources: Vec<(Option<&str>, usize)> = tables
        .iter()
        .map(|t| {
            let cloud_rows = (0..t.row_count())
                .filter_map(|p| t.row(p))
                .filter(|r| r.cells.last().map(|c| c.text.as_str()) == Some("Cloud (Entra ID)"))
                .count();
            (t.columns.last().copied(), cloud_rows)
        })
        .collect();
    assert_eq!(
        sources,
        vec![
            (Some("Source"), 5),
            (Some("Source"), 3),
            (Some("Source"), 4),
            (Some("Source"), 2)
        ]
    );
}
