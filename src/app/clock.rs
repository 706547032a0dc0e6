//! Dates on the viewer's clock: the browser knows the viewer's time zone
//! (and its daylight saving), the engine writes the date with its offset.

use chrono::{DateTime, Utc};
use mim_reports::view::dates::{Clock, offset_text, utc_text};
use wasm_bindgen::JsValue;

/// The viewer's offset from UTC at `date`, in minutes east.
fn local_offset_minutes(date: DateTime<Utc>) -> i32 {
    let js = js_sys::Date::new(&JsValue::from_f64(date.timestamp_millis() as f64));
    // getTimezoneOffset is minutes *behind* UTC, and whole in every zone
    // in use.
    -(js.get_timezone_offset() as i32)
}

/// How the page writes a date on `clock`.
pub fn date_text(clock: Clock) -> impl Fn(DateTime<Utc>) -> String {
    move |date| match clock {
        Clock::Utc => utc_text(date),
        Clock::Local => offset_text(date, local_offset_minutes(date)),
    }
}

/// The label of the viewer's clock today: `Local time (UTC+01:00)`.
pub fn local_label() -> String {
    let now = -(js_sys::Date::new_0().get_timezone_offset() as i32);
    let sign = if now < 0 { '-' } else { '+' };
    let minutes = now.unsigned_abs();
    format!(
        "Local time (UTC{sign}{:02}:{:02})",
        minutes / 60,
        minutes % 60
    )
}
