//! The detail of one request, and the reading of its events again from the
//! user's files.
//!
//! [`DetailTarget`] says which request the detail shows (a row, or a gate
//! registration folded into one) and what the load knows of it;
//! [`read_request`] reads its events again from the `File`s the page kept,
//! slicing each at the event's offset ([`mim_reports::view::reread`]), so
//! that no request text is kept in memory between views.

use std::collections::HashMap;
use std::collections::hash_map::Entry;

use web_sys::File;

use mim_reports::event::{EventOrigin, FileIndex};
use mim_reports::report::{Reports, RowOrigin};
use mim_reports::view::reread::{
    self, ByteRange, HEAD_BYTES, Reread, pretty_json, request_text, slice_position,
};

use super::tables::ReportTab;

/// The request a detail view shows.
#[derive(Clone, Debug, PartialEq)]
pub struct DetailTarget {
    /// The report its row is in.
    pub report: ReportTab,
    /// Request id, rule, warnings and sources.
    pub origin: RowOrigin,
    /// Gate registrations folded into this row.
    pub folded: Vec<RowOrigin>,
    /// For a folded gate registration: the request id of the row it was
    /// folded into.
    pub folded_into: Option<String>,
}

impl DetailTarget {
    /// The row of `report` whose request id is `request_id`.
    pub fn of_row(reports: &Reports, report: ReportTab, request_id: &str) -> Option<Self> {
        let plain = |origin: &RowOrigin| DetailTarget {
            report,
            origin: origin.clone(),
            folded: Vec::new(),
            folded_into: None,
        };
        let is_it = |origin: &&RowOrigin| origin.request_id == request_id;
        let mut origins: Box<dyn Iterator<Item = &RowOrigin>> = match report {
            ReportTab::PasswordReset => {
                Box::new(reports.password_reset_activity.iter().map(|r| &r.origin))
            }
            ReportTab::SelfServiceGroups => {
                Box::new(reports.self_service_groups.iter().map(|r| &r.origin))
            }
            ReportTab::OtherRequests => Box::new(reports.other_requests.iter().map(|r| &r.origin)),
            // Registration rows carry the gate registrations folded in.
            ReportTab::Registration => {
                return reports
                    .password_reset_registration
                    .iter()
                    .find(|r| is_it(&&r.origin))
                    .map(|r| DetailTarget {
                        folded: r.folded_origins.clone(),
                        ..plain(&r.origin)
                    });
            }
        };
        origins.find(is_it).map(plain)
    }

    /// The detail of the gate registration `request_id` folded into this
    /// row.
    pub fn folded_request(&self, request_id: &str) -> Option<Self> {
        let origin = self.folded.iter().find(|o| o.request_id == request_id)?;
        Some(DetailTarget {
            report: self.report,
            origin: origin.clone(),
            folded: Vec::new(),
            folded_into: Some(self.origin.request_id.clone()),
        })
    }

    /// The request id of the row whose detail this is, or was opened from:
    /// the row that takes the focus back when the detail closes.
    pub fn row_id(&self) -> &str {
        self.folded_into
            .as_deref()
            .unwrap_or(&self.origin.request_id)
    }
}

/// One event of a request, read again.
#[derive(Clone, Debug, PartialEq)]
pub struct SourceView {
    /// Where the load read it.
    pub origin: EventOrigin,
    /// Its event id, once read again.
    pub event_id: Option<u32>,
    /// "slice n of m", for a 4137 slice.
    pub slice: Option<(u32, u32)>,
    /// Why it could not be read again, if it could not.
    pub problem: Option<String>,
}

/// A request read again from its files.
#[derive(Clone, Debug, PartialEq)]
pub struct RequestView {
    /// Its events, in slice order.
    pub sources: Vec<SourceView>,
    /// The request's JSON laid out for reading, or why it could not be shown.
    pub text: Result<String, String>,
}

/// Reads the events at `origins` again, from `file_of(file index)`, and
/// puts the request back together.
pub async fn read_request(
    origins: &[EventOrigin],
    file_of: impl Fn(FileIndex) -> Option<File>,
) -> RequestView {
    let mut heads: HashMap<FileIndex, Vec<u8>> = HashMap::new();
    let mut sources = Vec::new();
    let mut records = Vec::new();
    for origin in origins {
        let read = match file_of(origin.file) {
            Some(file) => read_event(&file, origin, &mut heads).await,
            None => Err("the file is no longer open on this page".to_owned()),
        };
        let view = match read {
            Ok(record) => {
                let view = SourceView {
                    origin: origin.clone(),
                    event_id: record.event_id,
                    slice: slice_position(&record),
                    problem: None,
                };
                records.push(record);
                view
            }
            Err(problem) => SourceView {
                origin: origin.clone(),
                event_id: None,
                slice: None,
                problem: Some(problem),
            },
        };
        sources.push(view);
    }
    let text = if records.len() == origins.len() {
        request_text(records).map(|text| pretty_json(&text))
    } else {
        Err("Not every event of the request could be read again; see above.".to_owned())
    };
    RequestView { sources, text }
}

/// Reads one event again: the file's head once, then windows at the
/// event's offset until the event is whole.
async fn read_event(
    file: &File,
    origin: &EventOrigin,
    heads: &mut HashMap<FileIndex, Vec<u8>>,
) -> Result<mim_reports::event::EventRecord, String> {
    let size = file.size().max(0.0) as u64;
    let head: &[u8] = match heads.entry(origin.file) {
        Entry::Occupied(entry) => entry.into_mut(),
        Entry::Vacant(entry) => {
            let range = ByteRange {
                start: 0,
                end: HEAD_BYTES.min(size),
            };
            entry.insert(bytes_of(file, range).await?)
        }
    };
    let mut range = reread::first_range(head, origin, size);
    loop {
        let bytes = bytes_of(file, range).await?;
        match reread::reread(head, origin, range, &bytes, size) {
            Reread::Found(record) => return Ok(record),
            Reread::Failed(why) => return Err(why),
            Reread::NeedMore => match reread::wider(range, size) {
                Some(next) => range = next,
                None => {
                    return Err(format!(
                        "no whole event was found at byte {} in {} bytes",
                        origin.offset,
                        range.length()
                    ));
                }
            },
        }
    }
}

/// The bytes of `range` of `file`.
async fn bytes_of(file: &File, range: ByteRange) -> Result<Vec<u8>, String> {
    let slice = file
        .slice_with_f64_and_f64(range.start as f64, range.end as f64)
        .map_err(|e| format!("the browser could not slice the file ({e:?})"))?;
    gloo::file::futures::read_as_bytes(&gloo::file::Blob::from(slice))
        .await
        .map_err(|e| format!("the browser could not read the file ({e})"))
}
