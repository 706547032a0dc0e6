//! The detail of one request, in a modal dialog: the rule that placed it,
//! its repairs, the related requests, each event it came from (file, byte,
//! record id, slice n of m) and its JSON, read again from the user's file.
//! Everything is rendered as text. Esc or the close button closes it.

use std::rc::Rc;

use web_sys::{File, HtmlDialogElement};
use yew::prelude::*;

use mim_reports::classify::rule_by_id;
use mim_reports::event::{EventOrigin, FileIndex};

use crate::app::detail::{DetailTarget, RequestView, SourceView, read_request};

/// Properties of [`RowDetail`].
#[derive(Properties, PartialEq)]
pub struct RowDetailProps {
    /// The request shown.
    pub target: Rc<DetailTarget>,
    /// The names of the load's files, by index.
    pub file_names: Rc<Vec<String>>,
    /// The browser file of a file index, while the page keeps it.
    pub file_of: Callback<FileIndex, Option<File>>,
    /// Called when the user closes the dialog.
    pub on_close: Callback<()>,
    /// Called to show a related request instead.
    pub on_show: Callback<Rc<DetailTarget>>,
}

/// The detail dialog of one request.
#[function_component(RowDetail)]
pub fn row_detail(props: &RowDetailProps) -> Html {
    let dialog = use_node_ref();
    // The request read again, with the id it was read for: a reading that
    // ends after another request was chosen is not shown.
    let view = use_state(|| None::<(String, Rc<RequestView>)>);
    {
        let dialog = dialog.clone();
        use_effect_with((), move |_| {
            if let Some(d) = dialog.cast::<HtmlDialogElement>()
                && !d.open()
            {
                // Modal: the page behind is inert; focus moves in.
                let _ = d.show_modal();
            }
        });
    }
    {
        let view = view.clone();
        let file_of = props.file_of.clone();
        use_effect_with(props.target.clone(), move |target| {
            let id = target.origin.request_id.clone();
            let origins = target.origin.sources.clone();
            yew::platform::spawn_local(async move {
                let read = read_request(&origins, |i| file_of.emit(i)).await;
                view.set(Some((id, Rc::new(read))));
            });
        });
    }

    let target = &props.target;
    let origin = &target.origin;
    let read = view
        .as_ref()
        .filter(|(id, _)| *id == origin.request_id)
        .map(|(_, v)| v.clone());
    // The button closes the dialog as Esc does; either way its `close`
    // event tells the page, once the page behind is no longer inert.
    let on_close = {
        let dialog = dialog.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(d) = dialog.cast::<HtmlDialogElement>() {
                d.close();
            }
        })
    };
    let on_native_close = {
        let cb = props.on_close.clone();
        Callback::from(move |_: Event| cb.emit(()))
    };
    let rule = rule_by_id(&origin.rule).map_or_else(
        || format!("Rule {}", origin.rule),
        |r| format!("{} \u{2014} {}", r.id, r.name),
    );

    html! {
        <dialog class="row-detail" ref={dialog} aria-labelledby="row-detail-title"
                onclose={on_native_close}>
            <div class="detail-head">
                <h2 id="row-detail-title">
                    { "Request " }<code class="request-id">{ origin.request_id.clone() }</code>
                </h2>
                <button type="button" class="secondary detail-close" onclick={on_close}>
                    { "Close" }
                </button>
            </div>
            <dl class="detail-facts">
                <dt>{ "Report" }</dt>
                <dd>{ target.report.title() }</dd>
                <dt>{ "Rule" }</dt>
                <dd class="detail-rule">{ rule }</dd>
                if let Some(warning) = &origin.warning {
                    <dt>{ "Repairs" }</dt>
                    <dd class="detail-warning">{ format!("Read with repairs: {warning}") }</dd>
                }
            </dl>
            { related(target, &props.on_show) }
            <h3>{ super::count_of(origin.sources.len(), "event", "events") }</h3>
            <ol class="detail-sources">
                { for origin.sources.iter().enumerate().map(|(i, source)| {
                    let seen = read.as_ref().and_then(|r| r.sources.get(i));
                    source_item(source, seen, &props.file_names)
                }) }
            </ol>
            <h3>{ "Request, read again from the file" }</h3>
            { match read.as_ref().map(|r| &r.text) {
                None => html! { <p class="detail-status" role="status">{ "Reading\u{2026}" }</p> },
                Some(Ok(text)) => html! { <pre class="request-json" tabindex="0">{ text.clone() }</pre> },
                Some(Err(why)) => html! { <p class="detail-problem" role="alert">{ why.clone() }</p> },
            } }
        </dialog>
    }
}

/// The gate registrations folded into this row, or the row this folded
/// gate registration belongs to, each a button that shows it.
fn related(target: &Rc<DetailTarget>, on_show: &Callback<Rc<DetailTarget>>) -> Html {
    if let Some(into) = &target.folded_into {
        return html! {
            <section class="detail-related">
                <h3>{ "Related requests" }</h3>
                <p>
                    { "This gate registration was folded into the registration row of request " }
                    <code>{ into.clone() }</code>{ "." }
                </p>
            </section>
        };
    }
    if target.folded.is_empty() {
        return Html::default();
    }
    html! {
        <section class="detail-related">
            <h3>{ "Related requests" }</h3>
            <p>{ "Gate registrations folded into this row:" }</p>
            <ul class="folded-requests">
                { for target.folded.iter().map(|folded| {
                    let id = folded.request_id.clone();
                    let onclick = {
                        let target = target.clone();
                        let on_show = on_show.clone();
                        let id = id.clone();
                        Callback::from(move |_: MouseEvent| {
                            if let Some(next) = target.folded_request(&id) {
                                on_show.emit(Rc::new(next));
                            }
                        })
                    };
                    html! {
                        <li>
                            <code>{ id }</code>
                            { format!(" (rule {}) ", folded.rule) }
                            <button type="button" class="secondary link-button" {onclick}
                                    aria-label={format!("Show request {}", folded.request_id)}>
                                { "Show" }
                            </button>
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}

/// One event of the request: where it came from, and what reading it again
/// said.
fn source_item(source: &EventOrigin, seen: Option<&SourceView>, names: &[String]) -> Html {
    let name = names
        .get(source.file as usize)
        .cloned()
        .unwrap_or_else(|| format!("file {}", source.file + 1));
    let mut parts = Vec::new();
    if let Some((number, total)) = seen.and_then(|s| s.slice) {
        parts.push(format!("slice {number} of {total}"));
    }
    if let Some(id) = seen.and_then(|s| s.event_id) {
        parts.push(format!("event {id}"));
    }
    parts.push(match source.record_id {
        Some(id) => format!("record {id}"),
        None => "no record id".to_owned(),
    });
    parts.push(format!("{name}, byte {}", source.offset));
    let record = source.record_id.map(|id| id.to_string());
    html! {
        <li class="detail-source" data-record-id={record}>
            { parts.join(" \u{b7} ") }
            if let Some(problem) = seen.and_then(|s| s.problem.clone()) {
                <span class="detail-problem">{ format!(" \u{2014} {problem}") }</span>
            }
        </li>
    }
}
