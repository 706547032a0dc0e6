//! The row of tabs above the tables, each with its count.

use yew::prelude::*;

use crate::app::state::Tab;

/// Properties of [`TabBar`].
#[derive(Properties, PartialEq)]
pub struct TabBarProps {
    /// The tabs with the number each shows, in order.
    pub tabs: Vec<(Tab, usize)>,
    /// The tab shown.
    pub selected: Tab,
    /// Called with the tab the user chose.
    pub on_select: Callback<Tab>,
}

/// Tabs in the ARIA tab pattern: one tab stop, arrow keys move between tabs.
#[function_component(TabBar)]
pub fn tab_bar(props: &TabBarProps) -> Html {
    let order: Vec<Tab> = props.tabs.iter().map(|(tab, _)| *tab).collect();
    let on_key = {
        let on_select = props.on_select.clone();
        let selected = props.selected;
        Callback::from(move |event: KeyboardEvent| {
            let Some(here) = order.iter().position(|t| *t == selected) else {
                return;
            };
            let last = order.len().saturating_sub(1);
            let there = match event.key().as_str() {
                "ArrowRight" => {
                    if here == last {
                        0
                    } else {
                        here + 1
                    }
                }
                "ArrowLeft" => {
                    if here == 0 {
                        last
                    } else {
                        here - 1
                    }
                }
                "Home" => 0,
                "End" => last,
                _ => return,
            };
            event.prevent_default();
            if let Some(tab) = order.get(there) {
                on_select.emit(*tab);
                focus_tab(*tab);
            }
        })
    };

    html! {
        <div class="tabs" role="tablist" aria-label="Reports" onkeydown={on_key}>
            { for props.tabs.iter().map(|(tab, count)| {
                let tab = *tab;
                let selected = tab == props.selected;
                let onclick = props.on_select.reform(move |_: MouseEvent| tab);
                html! {
                    <button
                        type="button"
                        role="tab"
                        id={format!("tab-{}", tab.slug())}
                        aria-selected={selected.to_string()}
                        aria-controls={format!("panel-{}", tab.slug())}
                        tabindex={if selected { "0" } else { "-1" }}
                        class={classes!("tab", selected.then_some("selected"))}
                        {onclick}
                    >
                        <span class="tab-title">{ tab.title() }</span>
                        <span class="tab-count">{ super::grouped(*count as u64) }</span>
                    </button>
                }
            }) }
        </div>
    }
}

/// Moves the keyboard focus to a tab's button.
fn focus_tab(tab: Tab) {
    use wasm_bindgen::JsCast;

    let element = gloo::utils::document().get_element_by_id(&format!("tab-{}", tab.slug()));
    if let Some(button) = element.and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = button.focus();
    }
}
