//! The Web Worker that reads the exports, off the page's thread.
//!
//! The page starts a dedicated worker whose classic script is the
//! wasm-bindgen glue plus a few lines that instantiate this same module and
//! call [`worker_main`] (see `app::worker_client`). The worker keeps one
//! [`Analysis`] for the session and answers three messages:
//!
//! - `{kind: "load", files: File[], limits?: (number|null)[]}` queues files;
//!   each is read in slices (`Blob.slice` and the synchronous
//!   `FileReaderSync`) behind a [`Read`], so no file is ever held whole.
//!   A limit stops reading its file once that many bytes are read, as a
//!   cancel would have (used to restore a cancelled file's partial reading).
//! - `{kind: "cancel"}` drops the files queued after the one being read.
//! - `{kind: "clear"}` starts a new session.
//!
//! Every answer is one JSON text of [`WorkerMessage`] (defined with the
//! page's client, which the components' tests compile without this module),
//! so 64-bit counts and record ids never pass through a JavaScript number.
//! The session's rows go as pages of a thousand rows ([`RowPage`]),
//! each its own text, just before the message that carries the rest of the
//! session (`file-done`, or `finished` when it carries the session), so
//! that the page decodes them a page at a time.
//!
//! **Cancel within a file.** Reading one file is one synchronous call into the
//! engine, and a worker's messages are only delivered between tasks; without
//! `SharedArrayBuffer` (not available to a page opened from `file://`) the
//! worker cannot hear a cancel while it reads. It yields to its event loop
//! between files, where a cancel is seen; to stop within a file, the page
//! terminates the worker and starts a new one (the client does this).

use std::cell::RefCell;
use std::collections::VecDeque;
use std::io::{self, Read};

use mim_reports::view::row_pages::{ROWS_PER_PAGE, take_pages};
use mim_reports::{Analysis, Flow, Progress};
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{Blob, DedicatedWorkerGlobalScope, File, FileReaderSync, MessageEvent};

use crate::app::worker_client::{LoadProgress, Snapshot, WorkerMessage};

/// Bytes read from a file per `FileReaderSync` call. Each call costs a
/// few milliseconds besides its bytes: with 2 MiB slices a 1 GB export took
/// 6.5 to 7.0 s to all rows, with 16 MiB 5.4 to 5.6 s, and 32 MiB was no
/// faster (`scripts/bench-page.sh`). The worker holds one slice, twice
/// (the `ArrayBuffer` and its copy in WebAssembly memory).
pub const SLICE_BYTES: u64 = 16 * 1024 * 1024;

/// Least time, in milliseconds, between two progress messages.
pub const PROGRESS_INTERVAL_MS: f64 = 100.0;

/// One file waiting to be read.
struct Job {
    file: File,
    limit: Option<u64>,
}

/// The worker's state, for the whole session.
#[derive(Default)]
struct Session {
    analysis: Analysis,
    queue: VecDeque<Job>,
    /// A step is scheduled or running.
    busy: bool,
    /// A cancel came in since the last load.
    cancelled: bool,
    /// When the current run of the queue began (`performance.now()`-like ms).
    run_started: f64,
    /// The last message posted carried the session as it is now, so the end
    /// of the queue need not send it again.
    snapshot_sent: bool,
}

thread_local! {
    static SESSION: RefCell<Session> = RefCell::new(Session::default());
}

fn scope() -> Option<DedicatedWorkerGlobalScope> {
    js_sys::global()
        .dyn_into::<DedicatedWorkerGlobalScope>()
        .ok()
}

/// Size of this module's memory, in bytes.
fn memory_bytes() -> u64 {
    wasm_bindgen::memory()
        .dyn_into::<js_sys::WebAssembly::Memory>()
        .map_or(0, |m| {
            m.buffer()
                .dyn_into::<js_sys::ArrayBuffer>()
                .map_or(0, |b| u64::from(b.byte_length()))
        })
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Posts one message to the page as JSON text.
fn post(message: &WorkerMessage) {
    post_json(message);
}

/// Posts `message` to the page as JSON text.
fn post_json(message: &impl serde::Serialize) {
    let Some(scope) = scope() else { return };
    let text = match serde_json::to_string(message) {
        Ok(text) => text,
        Err(e) => format!(r#"{{"kind":"failed","message":"cannot encode a message: {e}"}}"#),
    };
    // Posting a string cannot fail to clone; nothing else to do if it did.
    let _ = scope.post_message(&JsValue::from_str(&text));
}

/// Posts the rows of `snapshot` as pages, each page's rows dropped once
/// sent, and gives back the rest of it (counts, ledger, incomplete
/// requests), to be sent next.
fn post_rows(mut snapshot: Snapshot) -> Snapshot {
    for page in take_pages(&mut snapshot.reports, ROWS_PER_PAGE) {
        post_json(&page);
    }
    snapshot
}

/// Entry point inside the dedicated worker: listens for the page's messages.
///
/// Called by the worker's start script once the module is instantiated. Does
/// nothing outside a dedicated worker.
#[wasm_bindgen]
pub fn worker_main() {
    let Some(scope) = scope() else { return };
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(|event: MessageEvent| {
        if let Err(message) = on_message(&event.data()) {
            post(&WorkerMessage::Failed { message });
        }
    });
    scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    on_message.forget();
    post(&WorkerMessage::Ready);
}

/// Handles one message of the page.
fn on_message(data: &JsValue) -> Result<(), String> {
    let kind = js_sys::Reflect::get(data, &JsValue::from_str("kind"))
        .ok()
        .and_then(|k| k.as_string())
        .ok_or_else(|| "a message without a kind was ignored".to_owned())?;
    match kind.as_str() {
        "load" => {
            let jobs = jobs_of(data)?;
            let start = SESSION.with_borrow_mut(|s| {
                s.queue.extend(jobs);
                s.cancelled = false;
                if s.busy {
                    false
                } else {
                    s.busy = true;
                    s.run_started = now_ms();
                    true
                }
            });
            if start {
                schedule_step()?;
            }
            Ok(())
        }
        "cancel" => {
            SESSION.with_borrow_mut(|s| {
                if s.busy {
                    s.cancelled = true;
                    s.queue.clear();
                }
            });
            Ok(())
        }
        "clear" => {
            SESSION.with_borrow_mut(|s| {
                s.queue.clear();
                s.analysis = Analysis::new();
                s.cancelled = s.busy;
                s.snapshot_sent = false;
            });
            post(&WorkerMessage::Cleared);
            Ok(())
        }
        other => Err(format!("a message of unknown kind {other:?} was ignored")),
    }
}

/// The files of a load message, with their limits.
fn jobs_of(data: &JsValue) -> Result<Vec<Job>, String> {
    let files = js_sys::Reflect::get(data, &JsValue::from_str("files"))
        .map_err(|_| "a load message without files was ignored".to_owned())?;
    let files: js_sys::Array = files
        .dyn_into()
        .map_err(|_| "a load message whose files are not a list was ignored".to_owned())?;
    let limits = js_sys::Reflect::get(data, &JsValue::from_str("limits"))
        .ok()
        .and_then(|l| l.dyn_into::<js_sys::Array>().ok());
    let mut jobs = Vec::new();
    for (i, file) in files.iter().enumerate() {
        let file: File = file
            .dyn_into()
            .map_err(|_| format!("item {i} of a load message is not a file"))?;
        let limit = limits
            .as_ref()
            .and_then(|l| l.get(i as u32).as_f64())
            .filter(|n| n.is_finite() && *n >= 0.0)
            .map(|n| n as u64);
        jobs.push(Job { file, limit });
    }
    Ok(jobs)
}

/// Runs [`step`] as a new task, so that messages that came in meanwhile (a
/// cancel, a clear, more files) are handled first.
fn schedule_step() -> Result<(), String> {
    let scope = scope().ok_or_else(|| "not running in a worker".to_owned())?;
    let callback = Closure::once_into_js(step);
    scope
        .set_timeout_with_callback_and_timeout_and_arguments_0(callback.unchecked_ref(), 0)
        .map(|_| ())
        .map_err(|e| format!("cannot schedule the reading: {e:?}"))
}

/// Reads the next queued file, then schedules itself again or reports the
/// end of the queue.
fn step() {
    let next = SESSION.with_borrow_mut(|s| s.queue.pop_front());
    match next {
        Some(job) => {
            SESSION.with_borrow_mut(|s| read_one(s, &job));
            if let Err(message) = schedule_step() {
                SESSION.with_borrow_mut(|s| s.busy = false);
                post(&WorkerMessage::Failed { message });
            }
        }
        None => {
            let message = SESSION.with_borrow_mut(|s| {
                s.busy = false;
                let cancelled = std::mem::take(&mut s.cancelled);
                WorkerMessage::Finished {
                    cancelled,
                    elapsed_ms: (now_ms() - s.run_started).max(0.0) as u64,
                    snapshot: (!s.snapshot_sent)
                        .then(|| Box::new(post_rows(snapshot(&s.analysis)))),
                }
            });
            post(&message);
        }
    }
}

fn snapshot(analysis: &Analysis) -> Snapshot {
    Snapshot {
        reports: analysis.reports(),
        ledger: analysis.final_ledger(),
    }
}

/// Reads one file into the session's analysis, posting progress on the way
/// and the session at the end (its rows in pages, then the rest).
fn read_one(session: &mut Session, job: &Job) {
    let name = job.file.name();
    let size = job.file.size().max(0.0) as u64;
    let total = job.limit.map_or(size, |l| l.min(size));
    let file_index = session.analysis.ledger().files.len() as u32;
    let started = session.run_started;
    let mut last = LoadProgress {
        file_index,
        name: name.clone(),
        bytes_read: 0,
        total_bytes: total,
        events: 0,
        requests: 0,
        elapsed_ms: (now_ms() - started).max(0.0) as u64,
        memory_bytes: memory_bytes(),
    };
    post(&WorkerMessage::Progress(last.clone()));

    // A file that cannot be read fails on the first read, which the engine
    // lists in the ledger like any other read error.
    let reader = SliceReader::new(job.file.clone().into(), size);
    let mut last_post = now_ms();
    let mut observer = |p: Progress| {
        last.bytes_read = p.bytes_read;
        last.events = p.events_read;
        last.requests = p.requests;
        let now = now_ms();
        if now - last_post >= PROGRESS_INTERVAL_MS {
            last_post = now;
            last.elapsed_ms = (now - started).max(0.0) as u64;
            last.memory_bytes = memory_bytes();
            post(&WorkerMessage::Progress(last.clone()));
        }
        // A limit stops the file where an earlier reading was cancelled; the
        // ledger then marks it as stopped early, as a cancel would.
        match job.limit {
            Some(limit) if p.bytes_read >= limit => Flow::Stop,
            _ => Flow::Continue,
        }
    };
    let index = session
        .analysis
        .read_file_observed(&name, Some(size), reader, &mut observer);

    let snapshot = snapshot(&session.analysis);
    let mut progress = last.clone();
    if let Some(entry) = snapshot.ledger.files.get(index as usize) {
        progress.bytes_read = entry.bytes_read;
        progress.events = entry.accounting.events_read;
    }
    progress.requests = snapshot.reports.requests;
    progress.elapsed_ms = (now_ms() - started).max(0.0) as u64;
    progress.memory_bytes = memory_bytes();
    let rest = post_rows(snapshot);
    post(&WorkerMessage::FileDone {
        progress,
        snapshot: Box::new(rest),
    });
    session.snapshot_sent = true;
}

/// A [`Read`] over a browser `Blob`, one slice at a time through
/// `FileReaderSync`; at most one slice is held.
pub struct SliceReader {
    blob: Blob,
    /// Made on the first read, so that its failure is a read error.
    reader: Option<FileReaderSync>,
    /// Where the next slice starts.
    offset: u64,
    /// Where reading ends (the blob's size, or a limit).
    end: u64,
    slice: Vec<u8>,
    /// Bytes of `slice` already handed out.
    taken: usize,
}

impl SliceReader {
    /// A reader of the first `end` bytes of `blob` (fewer if it is smaller).
    pub fn new(blob: Blob, end: u64) -> Self {
        let end = end.min(blob.size().max(0.0) as u64);
        Self {
            blob,
            reader: None,
            offset: 0,
            end,
            slice: Vec::new(),
            taken: 0,
        }
    }

    /// Reads the next slice into `self.slice`; false at the end.
    fn fill(&mut self) -> io::Result<bool> {
        if self.offset >= self.end {
            return Ok(false);
        }
        let slice_end = (self.offset + SLICE_BYTES).min(self.end);
        let part = self
            .blob
            .slice_with_f64_and_f64(self.offset as f64, slice_end as f64)
            .map_err(|e| js_error("Blob.slice", &e))?;
        let reader = match &self.reader {
            Some(reader) => reader,
            None => {
                let made = FileReaderSync::new().map_err(|e| js_error("FileReaderSync", &e))?;
                self.reader.insert(made)
            }
        };
        let buffer = reader
            .read_as_array_buffer(&part)
            .map_err(|e| js_error("FileReaderSync.readAsArrayBuffer", &e))?;
        let bytes = js_sys::Uint8Array::new(&buffer);
        let length = bytes.length() as usize;
        if length == 0 {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "the file ended before its size",
            ));
        }
        self.slice.resize(length, 0);
        bytes.copy_to(&mut self.slice);
        self.taken = 0;
        self.offset += length as u64;
        Ok(true)
    }
}

impl Read for SliceReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if self.taken >= self.slice.len() && !self.fill()? {
            return Ok(0);
        }
        let available = &self.slice[self.taken..];
        let n = available.len().min(buf.len());
        buf[..n].copy_from_slice(&available[..n]);
        self.taken += n;
        Ok(n)
    }
}

fn js_error(what: &str, error: &JsValue) -> io::Error {
    let text = error
        .dyn_ref::<js_sys::Error>()
        .map(|e| String::from(e.message()))
        .or_else(|| error.as_string())
        .unwrap_or_else(|| format!("{error:?}"));
    io::Error::other(format!("{what} failed: {text}"))
}
