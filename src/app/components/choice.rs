//! A labelled choice list whose shown value always follows the page's
//! state: a browser stops following an option's `selected` attribute once
//! the user has picked in the list, so the value is also set after render.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// Properties of [`Choice`].
#[derive(Properties, PartialEq)]
pub struct ChoiceProps {
    /// The list's element id, which its label points at.
    pub id: AttrValue,
    /// The label shown above it.
    pub label: AttrValue,
    /// The options: value and text.
    pub options: Vec<(String, String)>,
    /// The value chosen.
    pub value: String,
    /// Called with the value the user picked.
    pub on_pick: Callback<String>,
}

/// A `<label>` and its `<select>`.
#[function_component(Choice)]
pub fn choice(props: &ChoiceProps) -> Html {
    let list = use_node_ref();
    {
        let list = list.clone();
        use_effect_with(props.value.clone(), move |value| {
            if let Some(select) = list.cast::<HtmlSelectElement>() {
                select.set_value(value);
            }
        });
    }
    let onchange = props
        .on_pick
        .reform(|e: Event| e.target_unchecked_into::<HtmlSelectElement>().value());
    html! {
        <div class="field">
            <label for={props.id.clone()}>{ props.label.clone() }</label>
            <select id={props.id.clone()} ref={list} {onchange}>
                { for props.options.iter().map(|(value, text)| html! {
                    <option value={value.clone()} selected={*value == props.value}>
                        { text.clone() }
                    </option>
                }) }
            </select>
        </div>
    }
}
