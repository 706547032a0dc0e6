//! The progress of the load running now: one row per file, and Cancel.

use std::rc::Rc;

use yew::prelude::*;

use super::super::state::{FileProgressRow, ReadingView};

/// Properties of [`ReadingProgress`].
#[derive(Properties, PartialEq)]
pub struct ReadingProgressProps {
    /// The load running now.
    pub reading: Rc<ReadingView>,
    /// Called when the user cancels the load.
    pub on_cancel: Callback<()>,
}

/// Each file's name, a progress bar, bytes read of its size, events,
/// requests and rate; and a Cancel button while the load runs.
#[function_component(ReadingProgress)]
pub fn reading_progress(props: &ReadingProgressProps) -> Html {
    let reading = &props.reading;
    let on_cancel = props.on_cancel.reform(|_: MouseEvent| ());
    html! {
        <section class="reading-progress" aria-label="Reading progress">
            if reading.restoring {
                <p class="restoring">
                    { "Cancelled. Reading again what was read before the cancel\u{2026}" }
                </p>
            }
            <ul class="file-progress-list">
                { for reading.files.iter().enumerate().map(|(i, row)| file_row(i, row)) }
            </ul>
            if !reading.restoring {
                <button type="button" class="secondary cancel" onclick={on_cancel}>
                    { "Cancel" }
                </button>
            }
        </section>
    }
}

fn file_row(index: usize, row: &FileProgressRow) -> Html {
    let id = format!("file-progress-{index}");
    let state = match (&row.progress, row.done) {
        (_, true) => "done",
        (Some(_), false) => "reading",
        (None, false) => "waiting",
    };
    let read = row.bytes_read().min(row.total_bytes);
    // A bar's maximum must be above zero; an empty file shows full.
    let max = row.total_bytes.max(1);
    let value = if row.total_bytes == 0 && row.done {
        1
    } else {
        read
    };
    let percent = value as f64 * 100.0 / max as f64;
    let figures = match (&row.progress, state) {
        (_, "waiting") | (None, _) => "Waiting".to_owned(),
        (Some(progress), _) => {
            let rate = row
                .megabytes_per_second()
                .map_or_else(String::new, |rate| format!(" \u{b7} {rate:.1} MB/s"));
            format!(
                "{} events \u{b7} {} requests{rate}",
                super::grouped(progress.events),
                super::grouped(progress.requests),
            )
        }
    };
    // The worker's memory when this file last reported, for the page
    // benchmark (tests/browser/bench-page.mjs); a string, as 64-bit counts are.
    let memory = row
        .progress
        .as_ref()
        .map_or_else(String::new, |p| p.memory_bytes.to_string());
    html! {
        <li class="file-progress" data-state={state} data-worker-memory={memory}>
            <label for={id.clone()} class="file-progress-name">{ row.name.clone() }</label>
            <progress id={id} max={max.to_string()} value={value.to_string()}>
                { format!("{percent:.0}%") }
            </progress>
            <span class="file-progress-bytes">
                { format!("{} of {} ({percent:.0}%)", megabytes(read), megabytes(row.total_bytes)) }
            </span>
            <span class="file-progress-figures">{ figures }</span>
        </li>
    }
}

/// "12.3 MB": bytes in megabytes (10^6 bytes), one decimal.
fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1_000_000.0)
}
