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

#![warn(missing_docs)]

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

use std::cell::RefCell;
use std::collections::HashSet;
use std::io::Read;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use assemble::{AssembledRequest, Assembly, Reassembler};
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
        let tally = Tally::default();
        let reader = tally.counting(source);
        let (reassembler, intake) = self.reassembler_and_intake(file, &tally, observer);
        // Both callbacks below feed the intake, one at a time.
        let intake = RefCell::new(intake);
        let result = ingest::read_file(
            file,
            reader,
            &mut |r| intake.borrow_mut().recognised(r),
            &mut |item| intake.borrow_mut().take(Step::of(reassembler, item, false)),
        );
        intake.into_inner().finish(result);
        file
    }

    /// Reads one file as [`Analysis::read_file_observed`] does, with the
    /// same result, on two threads: a new one reads, decodes, frames and
    /// reassembles the events while the calling one parses and classifies
    /// the requests and accounts for every event, in the order read, so
    /// the output is the same. When the calling thread falls behind, the
    /// reading one parses and classifies some requests itself, so that
    /// neither waits long for the other. For the command-line tool; a
    /// browser has no threads to give.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn read_file_threaded<R: Read + Send>(
        &mut self,
        name: &str,
        size: Option<u64>,
        source: R,
        observer: &mut dyn FnMut(Progress) -> Flow,
    ) -> FileIndex {
        /// Handovers waiting for the calling thread from which on the
        /// reading thread parses and classifies the requests it completes.
        const BEHIND: usize = 4;
        self.read_file_on_two_threads(name, size, source, observer, BEHIND)
    }

    /// [`Analysis::read_file_threaded`], with the reading thread settling
    /// requests itself once `behind` handovers wait for the calling thread.
    #[cfg(not(target_arch = "wasm32"))]
    fn read_file_on_two_threads<R: Read + Send>(
        &mut self,
        name: &str,
        size: Option<u64>,
        source: R,
        observer: &mut dyn FnMut(Progress) -> Flow,
        behind: usize,
    ) -> FileIndex {
        /// What the reading thread hands over, in the order it happened.
        enum Handover {
            Recognised(Recognised),
            Steps(Vec<Step>),
        }
        /// Steps per handover: enough to make the channel's cost vanish,
        /// few enough that both threads stay busy.
        const BATCH: usize = 64;

        let file = self.ledger.add_file(name, size);
        let tally = Tally::default();
        let reader = tally.counting(source);
        let (reassembler, mut intake) = self.reassembler_and_intake(file, &tally, observer);
        let waiting = std::sync::atomic::AtomicUsize::new(0);
        let (sender, receiver) = std::sync::mpsc::sync_channel::<Handover>(16);
        let result = std::thread::scope(|scope| {
            let waiting = &waiting;
            let reading = scope.spawn(move || {
                let recognised_sender = sender.clone();
                let mut batch = Vec::with_capacity(BATCH);
                // A send fails only once the receiving side is gone, and
                // then nobody is left to tell.
                let result = ingest::read_file(
                    file,
                    reader,
                    &mut |r| {
                        let _ = recognised_sender.send(Handover::Recognised(r));
                    },
                    &mut |item| {
                        let settle = waiting.load(Ordering::Relaxed) >= behind;
                        batch.push(Step::of(reassembler, item, settle));
                        if batch.len() == BATCH {
                            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
                            waiting.fetch_add(1, Ordering::Relaxed);
                            let _ = sender.send(Handover::Steps(full));
                        }
                    },
                );
                if !batch.is_empty() {
                    waiting.fetch_add(1, Ordering::Relaxed);
                    let _ = sender.send(Handover::Steps(batch));
                }
                result
            });
            for handover in receiver {
                match handover {
                    Handover::Recognised(r) => intake.recognised(r),
                    Handover::Steps(steps) => {
                        waiting.fetch_sub(1, Ordering::Relaxed);
                        steps.into_iter().for_each(|step| intake.take(step));
                    }
                }
            }
            reading.join().unwrap_or_else(|_| {
                Err(IngestError::Io(std::io::Error::other(
                    "the reading thread stopped unexpectedly",
                )))
            })
        });
        intake.finish(result);
        file
    }

    /// The reassembler, and apart from it the intake of `file` into the
    /// rest of this analysis, so that the items read can be reassembled on
    /// one thread and taken in on another.
    fn reassembler_and_intake<'a>(
        &'a mut self,
        file: FileIndex,
        tally: &'a Tally,
        observer: &'a mut dyn FnMut(Progress) -> Flow,
    ) -> (&'a mut Reassembler, Intake<'a>) {
        let intake = Intake {
            file,
            ledger: &mut self.ledger,
            stages: Stages {
                classified: &mut self.classified,
                cloud_seen: &mut self.cloud_seen,
            },
            events: 0,
            tally,
            observer,
        };
        (&mut self.reassembler, intake)
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

/// An item read from a file, past the [`Reassembler`]: what is left to do
/// with it must follow the order of the events (the accounting, the
/// diagnostics, the order of the rows), except for parsing and classifying
/// a complete request, which may already be done.
enum Step {
    /// A remark about the file, not an event.
    Note(Diagnostic),
    /// Something that looked like an event but could not be read.
    Unreadable(Diagnostic),
    /// A cloud audit record: nothing to reassemble.
    Audit {
        origin: event::EventOrigin,
        record: Box<cloud::AuditRecord>,
    },
    /// An event, and what the reassembler made of it.
    Event {
        origin: event::EventOrigin,
        event_id: Option<u32>,
        repairs: Vec<String>,
        assembly: Assembly,
        /// The complete request parsed and classified, when that was done
        /// before the step was taken (boxed: it is large).
        settled: Option<Box<Settled>>,
    },
}

impl Step {
    /// Takes `item` through the reassembler; when `settle`, also parses and
    /// classifies the request it completes.
    fn of(reassembler: &mut Reassembler, item: ReadItem, settle: bool) -> Step {
        match item {
            ReadItem::Event { record, repairs } => {
                let origin = record.origin.clone();
                let event_id = record.event_id;
                let assembly = reassembler.accept(record);
                let settled = match &assembly {
                    Assembly::Complete(req) if settle => Some(Box::new(settle_request(req))),
                    _ => None,
                };
                Step::Event {
                    origin,
                    event_id,
                    repairs,
                    assembly,
                    settled,
                }
            }
            ReadItem::Note(d) => Step::Note(d),
            ReadItem::Unreadable(d) => Step::Unreadable(d),
            ReadItem::Audit { origin, record } => Step::Audit { origin, record },
        }
    }
}

/// A complete request read as a request and classified, or why it could
/// not be read.
type Settled = Result<(request::Request, classify::Classified), request::RequestError>;

/// Parses and classifies a complete request: work that needs nothing but
/// the request, so it can be done on either thread.
fn settle_request(assembled: &AssembledRequest) -> Settled {
    let req = request::parse_request(&assembled.text)?;
    let classified = classify::classify(&req, assembled.event_time.map(|t| t.instant()));
    Ok((req, classified))
}

/// Takes what a reader yields from one file into an [`Analysis`]: the
/// format it recognised, each item (as a [`Step`], past the reassembler)
/// through the [`Stages`], progress for the observer, and at the end what
/// became of the reading.
struct Intake<'a> {
    file: FileIndex,
    ledger: &'a mut Ledger,
    stages: Stages<'a>,
    /// Events read from the file so far (notes are not events).
    events: u64,
    tally: &'a Tally,
    observer: &'a mut dyn FnMut(Progress) -> Flow,
}

impl Intake<'_> {
    fn recognised(&mut self, r: Recognised) {
        if let Some(f) = self.ledger.file_mut(self.file) {
            f.format = r.format.describe().to_owned();
            f.encoding = match r.encoding {
                Some(e) => e.describe(),
                None => "binary".to_owned(),
            };
        }
    }

    fn take(&mut self, step: Step) {
        // A note is a remark about the file, not an event read.
        let is_event = !matches!(step, Step::Note(_));
        self.stages.take(self.ledger, self.file, step);
        if !is_event {
            return;
        }
        self.events += 1;
        if self.events.is_multiple_of(PROGRESS_EVERY_EVENTS) {
            let p = Progress {
                file: self.file,
                bytes_read: self.tally.bytes.load(Ordering::Relaxed),
                events_read: self.events,
                requests: self.stages.classified.len() as u64,
            };
            if (self.observer)(p) == Flow::Stop {
                self.tally.stop.store(true, Ordering::Relaxed);
            }
        }
    }

    /// Records how the reading ended: bytes read, whether it stopped early,
    /// and why.
    fn finish(self, result: Result<Recognised, IngestError>) {
        let (file, ledger) = (self.file, self.ledger);
        let bytes = self.tally.bytes.load(Ordering::Relaxed);
        let stopped = self.tally.stop.load(Ordering::Relaxed);
        if let Some(f) = ledger.file_mut(file) {
            f.bytes_read = bytes;
            f.stopped_early = stopped;
        }
        match result {
            Ok(_) => {}
            Err(_) if stopped => {
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
    }
}

/// The stages after reassembly (parsing, classification, the accounting),
/// for one step at a time.
struct Stages<'a> {
    classified: &'a mut Vec<ClassifiedRequest>,
    cloud_seen: &'a mut HashSet<String>,
}

impl Stages<'_> {
    fn take(&mut self, ledger: &mut Ledger, file: FileIndex, step: Step) {
        match step {
            Step::Note(d) => ledger.report(d),
            Step::Unreadable(d) => {
                ledger.count_read(file);
                ledger.count(file, Bucket::Unreadable, 1);
                ledger.report(d);
            }
            Step::Audit { origin, record } => {
                ledger.count_read(file);
                self.cloud_record(ledger, origin, record);
            }
            Step::Event {
                origin,
                event_id,
                repairs,
                assembly,
                settled,
            } => {
                ledger.count_read(file);
                let repaired = !repairs.is_empty();
                match assembly {
                    Assembly::Duplicate => ledger.count(file, Bucket::Duplicate, 1),
                    Assembly::NotRequestLog => ledger.count(file, Bucket::NotRequestLog, 1),
                    Assembly::Waiting => {}
                    Assembly::Unreadable(d) => {
                        ledger.count(file, Bucket::Unreadable, 1);
                        ledger.report(d);
                    }
                    Assembly::Complete(req) => {
                        let settled = settled.map_or_else(|| settle_request(&req), |s| *s);
                        self.complete(ledger, req, settled);
                    }
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

    fn complete(&mut self, ledger: &mut Ledger, assembled: AssembledRequest, settled: Settled) {
        let events = assembled.origins.len() as u64;
        match settled {
            Ok((req, classified)) => {
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

/// What the reading of one file shares between the reader and the intake
/// (which may run on two threads): bytes read so far, and whether to stop.
#[derive(Default)]
struct Tally {
    bytes: AtomicU64,
    stop: AtomicBool,
}

impl Tally {
    /// `inner`, counted into this tally and cut short when it says stop.
    fn counting<R>(&self, inner: R) -> CountingReader<'_, R> {
        CountingReader { inner, tally: self }
    }
}

/// Counts the bytes read through it, and ends the input early when asked to
/// stop.
struct CountingReader<'a, R> {
    inner: R,
    tally: &'a Tally,
}

impl<R: Read> Read for CountingReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        if self.tally.stop.load(Ordering::Relaxed) {
            return Err(std::io::Error::other("reading was stopped"));
        }
        let n = self.inner.read(buf)?;
        self.tally.bytes.fetch_add(n as u64, Ordering::Relaxed);
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

    /// How a test reads its files.
    #[cfg(not(target_arch = "wasm32"))]
    #[derive(Clone, Copy)]
    enum Reading {
        /// [`Analysis::read_file_observed`].
        OneThread,
        /// [`Analysis::read_file_threaded`], as the command-line tool does.
        TwoThreads,
        /// Two threads, the reading one settling every request it completes.
        TwoThreadsSettlingAll,
    }

    /// The `--json` document of `files` (under `tests/fixtures`) read one
    /// after another as `reading` says.
    #[cfg(not(target_arch = "wasm32"))]
    fn document_of(files: &[&str], reading: Reading) -> serde_json::Value {
        let mut analysis = Analysis::new();
        for name in files {
            let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures")
                .join(name);
            let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let size = Some(bytes.len() as u64);
            let source = bytes.as_slice();
            let mut go_on = |_| Flow::Continue;
            match reading {
                Reading::OneThread => analysis.read_file_observed(name, size, source, &mut go_on),
                Reading::TwoThreads => analysis.read_file_threaded(name, size, source, &mut go_on),
                Reading::TwoThreadsSettlingAll => {
                    analysis.read_file_on_two_threads(name, size, source, &mut go_on, 0)
                }
            };
        }
        report::summary_document(&analysis.reports(), &analysis.final_ledger())
    }

    /// Each set of `files` read as `reading` says gives the document one
    /// thread gives, and that document counts some `counted` (so that the
    /// reading had something to do).
    #[cfg(not(target_arch = "wasm32"))]
    fn assert_reads_as_one_thread(sets: &[&[&str]], reading: Reading, counted: &str) {
        for files in sets {
            let one = document_of(files, Reading::OneThread);
            let other = document_of(files, reading);
            assert!(
                one["counts"][counted].as_u64().is_some_and(|n| n > 0),
                "{files:?}: {}",
                one["counts"]
            );
            assert_eq!(one, other, "{files:?}");
        }
    }

    /// The command-line tool's two-thread reading gives exactly what the
    /// one thread gives: the same rows, accounting and diagnostics, file by
    /// file and for files that share requests.
    #[test]
    #[cfg(not(target_arch = "wasm32"))]
    fn every_fixture_reads_the_same_on_two_threads() {
        let sets: &[&[&str]] = &[
            &["basic/eventviewer.xml"],
            &["basic/eventviewer.csv"],
            &["basic/wevtutil.xml"],
            &["basic/ps51-getwinevent.json"],
            &["basic/ps7-getwinevent.json"],
            &["basic/ps51-geteventlog.json"],
            &["basic/sentinel-event.json"],
            &["basic/winlogbeat.ndjson"],
            &["edge/eventviewer-part1.xml", "edge/eventviewer-part2.xml"],
            &[
                "edge/ps51-getwinevent-part1.json",
                "edge/ps51-getwinevent-part2.json",
            ],
            &["entra/portal.csv", "entra/graph-pages.json"],
            &[
                "evtx-real/security.evtx",
                "evtx-real/sample_with_a_bad_chunk_magic.evtx",
            ],
            &["hostile/markup-in-names.xml"],
        ];
        assert_reads_as_one_thread(sets, Reading::TwoThreads, "events_read");
    }

    #[test]
    #[cfg(not(target_arch = "wasm32"))]
    fn requests_settled_on_the_reading_thread_give_what_one_thread_gives() {
        let sets: &[&[&str]] = &[
            &["basic/wevtutil.xml"],
            &["basic/ps51-getwinevent.json"],
            &["edge/eventviewer-part1.xml", "edge/eventviewer-part2.xml"],
            &["entra/portal.csv", "basic/eventviewer.xml"],
            &["hostile/markup-in-names.xml"],
        ];
        assert_reads_as_one_thread(sets, Reading::TwoThreadsSettlingAll, "requests");
    }
}
