//! Engine of the MIM request-log report analyzer.
//!
//! It reads exports of the *Identity Manager Request Log* (Event Viewer XML,
//! wevtutil XML, PowerShell JSON, ...) and Microsoft Entra ID audit log
//! exports (see [`cloud`]), reassembles requests from their
//! events, classifies each into the password reset, registration or
//! self-service group report (or Other requests), and accounts for every
//! event read. It has no browser types: the page and the command-line tool
//! both drive it through [`Analysis`].
//!
//! ```
//! use mim_reports::Analysis;
//!
//! let export = r#"[{"Id": 4121, "RecordId": 1, "ProviderName": "Microsoft.IdentityManagement.Service",
//!   "Message": "{\"HybridObjectID\":\"0f6c\",\"TargetObjectType\":\"Set\",\"RequestStatus\":\"Completed\"}"}]"#;
//! let mut analysis = Analysis::new();
//! analysis.read_file("export.json", None, export.as_bytes());
//! let reports = analysis.reports();
//! assert_eq!(reports.other_requests.len(), 1);
//! assert_eq!(reports.counts.events_read, 1);
//! ```

pub mod assemble;
pub mod classify;
pub mod cloud;
pub mod event;
pub mod export;
pub mod ingest;
pub mod ledger;
pub mod report;
pub mod request;
pub mod time;
pub mod view;

use std::cell::{Cell, RefCell};
use std::collections::HashSet;
use std::io::Read;

use assemble::{Assembly, Reassembler};
use event::FileIndex;
use ingest::{IngestError, ReadItem, Recognised};
use ledger::{Bucket, Diagnostic, Ledger, Severity};
use report::{ClassifiedRequest, IncompleteSummary, Reports, RowOrigin, Source};

/// Whether reading should go on, as answered by a progress observer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    /// Keep reading.
    Continue,
    /// Stop this file here; what was read stays.
    Stop,
}

/// How far the reading of one file has come.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    /// The file.
    pub file: FileIndex,
    /// Bytes of it read so far.
    pub bytes_read: u64,
    /// Events read from it so far.
    pub events_read: u64,
    /// Requests classified so far in the whole load.
    pub requests: u64,
}

/// How often, in events, the progress observer is called.
pub const PROGRESS_EVERY_EVENTS: u64 = 512;

/// One load: the files read so far and what came of them.
///
/// Files are read one after another with [`Analysis::read_file`]; slices of
/// one request may be spread over several files. [`Analysis::reports`] can be
/// asked at any time, and gives partial reports while a load goes on.
#[derive(Debug, Default)]
pub struct Analysis {
    ledger: Ledger,
    reassembler: Reassembler,
    classified: Vec<ClassifiedRequest>,
    /// The identities of the cloud audit records read, to recognise one
    /// read again.
    cloud_seen: HashSet<String>,
}

impl Analysis {
    /// An empty load.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads one file to its end. Problems are recorded in the ledger; this
    /// never fails, and what was read before a problem stays.
    pub fn read_file<R: Read>(&mut self, name: &str, size: Option<u64>, source: R) -> FileIndex {
        self.read_file_observed(name, size, source, &mut |_| Flow::Continue)
    }

    /// Reads one file, telling `observer` how far it has come every few
    /// hundred events; the observer can stop the reading, and what was read
    /// before stays.
    pub fn read_file_observed<R: Read>(
        &mut self,
        name: &str,
        size: Option<u64>,
        source: R,
        observer: &mut dyn FnMut(Progress) -> Flow,
    ) -> FileIndex {
        let file = self.ledger.add_file(name, size);
        let bytes = Cell::new(0u64);
        let stop = Cell::new(false);
        let reader = CountingReader {
            inner: source,
            count: &bytes,
            stop: &stop,
        };

        // Both callbacks below record into the ledger, one at a time.
        let ledger = RefCell::new(&mut self.ledger);
        let mut stages = Stages {
            reassembler: &mut self.reassembler,
            classified: &mut self.classified,
            cloud_seen: &mut self.cloud_seen,
        };
        let mut events = 0u64;
        let mut on_recognised = |r: Recognised| {
            if let Some(f) = ledger.borrow_mut().file_mut(file) {
                f.format = r.format.describe().to_owned();
                f.encoding = match r.encoding {
                    Some(e) => e.describe(),
                    None => "binary".to_owned(),
                };
            }
        };
        let mut sink = |item: ReadItem| {
            // A note is a remark about the file, not an event read.
            let is_event = !matches!(item, ReadItem::Note(_));
            stages.take(&mut ledger.borrow_mut(), file, item);
            if !is_event {
                return;
            }
            events += 1;
            if events.is_multiple_of(PROGRESS_EVERY_EVENTS) {
                let p = Progress {
                    file,
                    bytes_read: bytes.get(),
                    events_read: events,
                    requests: stages.classified.len() as u64,
                };
                if observer(p) == Flow::Stop {
                    stop.set(true);
                }
            }
        };
        let result = ingest::read_file(file, reader, &mut on_recognised, &mut sink);

        let ledger = ledger.into_inner();
        let bytes = bytes.get();
        if let Some(f) = ledger.file_mut(file) {
            f.bytes_read = bytes;
            f.stopped_early = stop.get();
        }
        match result {
            Ok(_) => {}
            Err(_) if stop.get() => {
                let msg =
                    format!("reading was stopped after {bytes} bytes; the events before were kept");
                ledger.report(Diagnostic::in_file(Severity::Info, file, Some(bytes), msg));
            }
            Err(IngestError::Unrecognised(what)) => {
                if let Some(f) = ledger.file_mut(file) {
                    f.format = "not recognised".to_owned();
                }
                let msg = format!("not a request-log export: {what}; nothing was read from it");
                ledger.report(Diagnostic::in_file(Severity::Error, file, Some(0), msg));
            }
            Err(IngestError::Io(e)) => {
                if let Some(f) = ledger.file_mut(file) {
                    f.stopped_early = true;
                }
                let msg = format!(
                    "reading stopped after {bytes} bytes: {e}; the events before were kept"
                );
                ledger.report(Diagnostic::in_file(Severity::Error, file, Some(bytes), msg));
            }
        }
        file
    }

    /// The ledger: files, diagnostics, and the accounting so far.
    pub fn ledger(&self) -> &Ledger {
        &self.ledger
    }

    /// The reports for what has been read so far. Slices still waiting for
    /// their siblings count as incomplete.
    pub fn reports(&self) -> Reports {
        let mut reports = report::build_reports(&self.classified);
        reports.incomplete_requests = self
            .reassembler
            .incomplete()
            .into_iter()
            .map(|i| IncompleteSummary {
                request_id: i.request_id,
                slices: i.total,
                missing: i.missing,
                present: i.present,
                sources: i.slices.into_iter().map(|s| s.origin).collect(),
            })
            .collect();
        reports.counts = self.final_ledger().totals();
        reports
    }

    /// The ledger with waiting slices counted as incomplete, per file.
    pub fn final_ledger(&self) -> Ledger {
        let mut ledger = self.ledger.clone();
        for origin in self.reassembler.waiting_origins() {
            ledger.count(origin.file, Bucket::Incomplete, 1);
        }
        ledger
    }
}

/// The stages after reading (reassembly, parsing, classification), for one
/// item at a time.
struct Stages<'a> {
    reassembler: &'a mut Reassembler,
    classified: &'a mut Vec<ClassifiedRequest>,
    cloud_seen: &'a mut HashSet<String>,
}

impl Stages<'_> {
    fn take(&mut self, ledger: &mut Ledger, file: FileIndex, item: ReadItem) {
        match item {
            ReadItem::Note(d) => ledger.report(d),
            ReadItem::Unreadable(d) => {
                ledger.count_read(file);
                ledger.count(file, Bucket::Unreadable, 1);
                ledger.report(d);
            }
            ReadItem::Audit { origin, record } => {
                ledger.count_read(file);
                self.cloud_record(ledger, origin, record);
            }
            ReadItem::Event { record, repairs } => {
                ledger.count_read(file);
                let origin = record.origin.clone();
                let event_id = record.event_id;
                let repaired = !repairs.is_empty();
                match self.reassembler.accept(record) {
                    Assembly::Duplicate => ledger.count(file, Bucket::Duplicate, 1),
                    Assembly::NotRequestLog => ledger.count(file, Bucket::NotRequestLog, 1),
                    Assembly::Waiting => {}
                    Assembly::Unreadable(d) => {
                        ledger.count(file, Bucket::Unreadable, 1);
                        ledger.report(d);
                    }
                    Assembly::Complete(req) => self.complete(ledger, req),
                }
                if repaired {
                    let msg = format!("the event was read with repairs: {}", repairs.join("; "));
                    let d = Diagnostic::at(Severity::Warning, &origin, msg).with_event_id(event_id);
                    ledger.report(d);
                }
            }
        }
    }

    /// A cloud audit record: a duplicate when read before, else classified
    /// (with a warning naming the fields it lacks).
    fn cloud_record(
        &mut self,
        ledger: &mut Ledger,
        origin: event::EventOrigin,
        record: Box<cloud::AuditRecord>,
    ) {
        // The same activity at the same time on the same target is one
        // record read twice, unless both copies carry different ids.
        let identity = record.identity();
        let with_id = format!("{identity}|{}", record.id.as_deref().unwrap_or_default());
        let seen = match record.id {
            Some(_) => {
                self.cloud_seen.contains(&with_id)
                    || self.cloud_seen.contains(&format!("{identity}|"))
            }
            None => self.cloud_seen.contains(&identity),
        };
        if seen {
            ledger.count(origin.file, Bucket::Duplicate, 1);
            return;
        }
        self.cloud_seen.insert(with_id);
        self.cloud_seen.insert(identity);
        ledger.count(origin.file, Bucket::Request, 1);
        let classified = cloud::rules::classify_audit(&record);
        let request_id = record
            .row_id()
            .unwrap_or_else(|| format!("entra-{}-{}", origin.file, origin.offset));
        let warning = (!record.missing.is_empty())
            .then(|| format!("the audit record has no {}", record.missing.join(", ")));
        if let Some(w) = &warning {
            let d = Diagnostic::at(Severity::Warning, &origin, w.clone())
                .with_request(request_id.clone());
            ledger.report(d);
        }
        self.classified.push(ClassifiedRequest {
            origin: RowOrigin {
                request_id,
                rule: classified.rule.id.to_owned(),
                warning,
                sources: vec![origin],
                source: Source::Cloud,
                person_key: None,
            },
            classified,
        });
    }

    fn complete(&mut self, ledger: &mut Ledger, assembled: assemble::AssembledRequest) {
        let events = assembled.origins.len() as u64;
        match request::parse_request(&assembled.text) {
            Ok(req) => {
                let event_time = assembled.event_time.map(|t| t.instant());
                let classified = classify::classify(&req, event_time);
                let warning = (!req.warnings.is_empty()).then(|| req.warnings.join("; "));
                if let Some(w) = &warning
                    && let Some(first) = assembled.origins.first()
                {
                    let d = Diagnostic::at(
                        Severity::Warning,
                        first,
                        format!("request read with repairs: {w}"),
                    )
                    .with_request(req.id.clone());
                    ledger.report(d);
                }
                for o in &assembled.origins {
                    ledger.count(o.file, Bucket::Request, 1);
                }
                self.classified.push(ClassifiedRequest {
                    origin: RowOrigin {
                        request_id: req.id.clone(),
                        rule: classified.rule.id.to_owned(),
                        warning,
                        sources: assembled.origins,
                        source: Source::OnPremises,
                        person_key: None,
                    },
                    classified,
                });
            }
            Err(e) => {
                for o in &assembled.origins {
                    ledger.count(o.file, Bucket::Unreadable, 1);
                }
                if let Some(first) = assembled.origins.first() {
                    let mut d = Diagnostic::at(
                        Severity::Error,
                        first,
                        format!("{e}; the request ({events} event(s)) is not in the reports"),
                    );
                    d.request_id = assembled.request_id.clone();
                    ledger.report(d);
                }
            }
        }
    }
}

/// Counts the bytes read through it, and ends the input early when asked to
/// stop.
struct CountingReader<'a, R> {
    inner: R,
    count: &'a Cell<u64>,
    stop: &'a Cell<bool>,
}

impl<R: Read> Read for CountingReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.stop.get() {
            return Err(std::io::Error::other("reading was stopped"));
        }
        let n = self.inner.read(buf)?;
        self.count.set(self.count.get() + n as u64);
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn progress_counts_events_read_and_not_the_notes_about_the_file() {
        // Event Viewer's times have no zone: the reader says so in a note
        // before the first row.
        let mut csv = String::from("Level,Date and Time,Source,Event ID,Task Category\r\n");
        for _ in 0..1023 {
            csv.push_str("Information,1/31/2024 8:21:27 PM,Contoso.BackupAgent,1,None,\"x\"\r\n");
        }
        let mut analysis = Analysis::new();
        let mut said = Vec::new();
        analysis.read_file_observed("eventviewer.csv", None, csv.as_bytes(), &mut |p| {
            said.push(p.events_read);
            Flow::Continue
        });

        assert_eq!(said, vec![512]);
        assert_eq!(analysis.ledger().totals().events_read, 1023);
        assert_eq!(analysis.ledger().diagnostics.len(), 1);
    }
}
