//! The `Ledger`: what was read from each file, what became of every event, and
//! every problem met on the way, each with its place. The accounting adds up:
//! every event read lands in exactly one bucket.

use serde::{Deserialize, Serialize};

use crate::event::{EventOrigin, FileIndex};

/// At most this many diagnostics are kept; past it they are only counted, so a
/// file of a million broken events cannot exhaust memory through its messages.
pub const MAX_DIAGNOSTICS: usize = 10_000;

/// What happened to the events of one file (or of a whole load, summed).
///
/// `events_read = request_events + duplicates + incomplete + not_request_log
/// + unreadable` once a load is finished; while it runs, slices still waiting
/// for their siblings are counted in `incomplete`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Accounting {
    /// Every event read.
    pub events_read: u64,
    /// Events that are part of a request that reached a report or Other
    /// requests.
    pub request_events: u64,
    /// Events already read (same computer, log and record id; or the same
    /// request, slice number and text).
    pub duplicates: u64,
    /// Slices of requests whose other slices never came.
    pub incomplete: u64,
    /// Events from other sources or with other event ids.
    pub not_request_log: u64,
    /// Events, or the requests they carry, that could not be read.
    pub unreadable: u64,
}

impl Accounting {
    /// Adds another file's counts to these.
    pub fn add(&mut self, other: &Accounting) {
        self.events_read += other.events_read;
        self.request_events += other.request_events;
        self.duplicates += other.duplicates;
        self.incomplete += other.incomplete;
        self.not_request_log += other.not_request_log;
        self.unreadable += other.unreadable;
    }

    /// The sum of the buckets; equals `events_read` when nothing was lost.
    pub fn accounted(&self) -> u64 {
        self.request_events
            + self.duplicates
            + self.incomplete
            + self.not_request_log
            + self.unreadable
    }
}

/// The bucket one event ends in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bucket {
    /// Part of a request that was classified.
    Request,
    /// Already read.
    Duplicate,
    /// A slice whose siblings never came.
    Incomplete,
    /// Not from the request log.
    NotRequestLog,
    /// Could not be read.
    Unreadable,
}

/// How serious a diagnostic is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Severity {
    /// Something worth knowing that changed nothing (e.g. a time without zone).
    Info,
    /// Input was repaired or partly read; the result is shown with the warning.
    Warning,
    /// Input could not be read; what it held is missing from the reports.
    Error,
}

/// One problem met while reading, with its place.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    /// How serious it is.
    pub severity: Severity,
    /// The file, when the problem belongs to one.
    pub file: Option<FileIndex>,
    /// Byte offset in the file, when known.
    pub offset: Option<u64>,
    /// Record id of the event, when known.
    #[serde(with = "crate::event::opt_u64_string")]
    pub record_id: Option<u64>,
    /// Event id, when known.
    pub event_id: Option<u32>,
    /// Request GUID, when known.
    pub request_id: Option<String>,
    /// What was wrong and what was done about it, in plain words.
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic placed at an event's origin.
    pub fn at(severity: Severity, origin: &EventOrigin, message: impl Into<String>) -> Self {
        Diagnostic {
            severity,
            file: Some(origin.file),
            offset: Some(origin.offset),
            record_id: origin.record_id,
            event_id: None,
            request_id: None,
            message: message.into(),
        }
    }

    /// A diagnostic about a whole file (or a place in it).
    pub fn in_file(
        severity: Severity,
        file: FileIndex,
        offset: Option<u64>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            severity,
            file: Some(file),
            offset,
            record_id: None,
            event_id: None,
            request_id: None,
            message: message.into(),
        }
    }

    /// The same diagnostic naming the event id.
    pub fn with_event_id(mut self, event_id: Option<u32>) -> Self {
        self.event_id = event_id;
        self
    }

    /// The same diagnostic naming the request.
    pub fn with_request(mut self, request_id: impl Into<String>) -> Self {
        self.request_id = Some(request_id.into());
        self
    }
}

/// What the ledger knows of one file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// The file's name as the user gave it.
    pub name: String,
    /// Its size in bytes, when known.
    pub size: Option<u64>,
    /// The format recognised from its content (a short human name).
    pub format: String,
    /// The text encoding recognised.
    pub encoding: String,
    /// Bytes read so far.
    pub bytes_read: u64,
    /// The accounting of its events.
    pub accounting: Accounting,
    /// Whether reading stopped before the end of the file (an error or a
    /// cancel); what was read before stays.
    pub stopped_early: bool,
}

/// Diagnostics and the accounting of every event, for one load.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ledger {
    /// The files, indexed by [`FileIndex`].
    pub files: Vec<FileEntry>,
    /// The problems met, at most [`MAX_DIAGNOSTICS`].
    pub diagnostics: Vec<Diagnostic>,
    /// Diagnostics counted but not kept, past [`MAX_DIAGNOSTICS`].
    pub diagnostics_dropped: u64,
}

impl Ledger {
    /// Registers a file and returns its index.
    pub fn add_file(&mut self, name: impl Into<String>, size: Option<u64>) -> FileIndex {
        self.files.push(FileEntry {
            name: name.into(),
            size,
            ..FileEntry::default()
        });
        // A load holds far fewer than 4 billion files; saturating keeps the
        // type small for the browser without a failure path.
        FileIndex::try_from(self.files.len() - 1).unwrap_or(FileIndex::MAX)
    }

    /// The file at `index`, when there is one.
    pub fn file_mut(&mut self, index: FileIndex) -> Option<&mut FileEntry> {
        self.files.get_mut(index as usize)
    }

    /// Records a diagnostic (or only counts it past the cap).
    pub fn report(&mut self, diagnostic: Diagnostic) {
        if self.diagnostics.len() < MAX_DIAGNOSTICS {
            self.diagnostics.push(diagnostic);
        } else {
            self.diagnostics_dropped += 1;
        }
    }

    /// Counts one event read from `file`.
    pub fn count_read(&mut self, file: FileIndex) {
        if let Some(f) = self.file_mut(file) {
            f.accounting.events_read += 1;
        }
    }

    /// Puts `n` events of `file` in `bucket`.
    pub fn count(&mut self, file: FileIndex, bucket: Bucket, n: u64) {
        let Some(f) = self.file_mut(file) else { return };
        let a = &mut f.accounting;
        match bucket {
            Bucket::Request => a.request_events += n,
            Bucket::Duplicate => a.duplicates += n,
            Bucket::Incomplete => a.incomplete += n,
            Bucket::NotRequestLog => a.not_request_log += n,
            Bucket::Unreadable => a.unreadable += n,
        }
    }

    /// The accounting of the whole load.
    pub fn totals(&self) -> Accounting {
        let mut total = Accounting::default();
        for f in &self.files {
            total.add(&f.accounting);
        }
        total
    }

    /// The name of a file, for messages.
    pub fn file_name(&self, index: FileIndex) -> &str {
        self.files
            .get(index as usize)
            .map_or("?", |f| f.name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_sum_the_files_and_balance() {
        let mut ledger = Ledger::default();
        let a = ledger.add_file("a.xml", None);
        let b = ledger.add_file("b.json", None);
        for _ in 0..3 {
            ledger.count_read(a);
        }
        ledger.count_read(b);
        ledger.count(a, Bucket::Request, 2);
        ledger.count(a, Bucket::NotRequestLog, 1);
        ledger.count(b, Bucket::Duplicate, 1);
        let t = ledger.totals();
        assert_eq!(t.events_read, 4);
        assert_eq!(t.accounted(), 4);
        assert_eq!(t.duplicates, 1);
    }

    #[test]
    fn diagnostics_past_the_cap_are_counted_not_kept() {
        let mut ledger = Ledger::default();
        for _ in 0..MAX_DIAGNOSTICS + 5 {
            ledger.report(Diagnostic::in_file(Severity::Error, 0, None, "bad"));
        }
        assert_eq!(ledger.diagnostics.len(), MAX_DIAGNOSTICS);
        assert_eq!(ledger.diagnostics_dropped, 5);
    }
}
