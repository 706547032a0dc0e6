//! The page's side of the reading worker ([`crate::worker`]).
//!
//! [`WorkerClient`] starts one dedicated worker from the parts the page's
//! start script keeps (the wasm-bindgen glue's text and the wasm bytes, in
//! `window.__mimWorkerParts`): a `Blob` URL of the glue plus a short start
//! script, which is what a page opened from `file://` may run. The worker
//! gets the wasm bytes by `postMessage`, instantiates them and calls
//! `worker_main`.
//!
//! Events come back typed ([`WorkerEvent`]) through a [`yew::Callback`].
//! When the worker cannot start, [`WorkerEvent::Failed`] says so with
//! `fall_back: true`, and the page should read on its own thread instead.
//!
//! Cancel within a file: the worker cannot hear a message while it reads a
//! file (see [`crate::worker`]), so [`WorkerClient::cancel`] terminates it and
//! starts a new one, which reads again the files the session had finished
//! and the cancelled file up to where it had come, so the session goes on
//! with what was read before the cancel.

// The components' browser tests compile this module without the worker and
// without `main`, so there the worker's side of the protocol and the test hook
// go unused.
#![cfg_attr(test, allow(dead_code))]

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::{Rc, Weak};

use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::*;
use web_sys::{Blob, BlobPropertyBag, ErrorEvent, File, MessageEvent, Url, Worker};
use yew::Callback;

use mim_reports::ledger::Ledger;
use mim_reports::report::Reports;
use mim_reports::view::row_pages::{PAGE_PREFIX, RowAssembly, RowPage};
use serde::{Deserialize, Serialize};

/// The reports and ledger of the session at one moment.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// The reports for everything read so far.
    pub reports: Reports,
    /// The ledger, waiting slices counted as incomplete.
    pub ledger: Ledger,
}

/// How far the reading of one file has come.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LoadProgress {
    /// Position of the file in the session (its index in the ledger).
    pub file_index: u32,
    /// The file's name.
    pub name: String,
    /// Bytes of it read so far.
    pub bytes_read: u64,
    /// Bytes it has (or the limit it is read to).
    pub total_bytes: u64,
    /// Events read from it so far.
    pub events: u64,
    /// Requests classified so far in the session.
    pub requests: u64,
    /// Milliseconds since the worker started on the files queued.
    pub elapsed_ms: u64,
    /// Size of the worker's WebAssembly memory, in bytes (it only grows).
    pub memory_bytes: u64,
}

/// What the worker tells the page; posted as one JSON text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum WorkerMessage {
    /// The worker is running and listens for messages.
    Ready,
    /// A file is being read.
    Progress(LoadProgress),
    /// A file was read to its end (or its limit, or an error the ledger
    /// lists).
    FileDone {
        /// The last progress of the file.
        progress: LoadProgress,
        /// Everything read so far but the rows, which came just before as
        /// pages ([`RowPage`]).
        snapshot: Box<Snapshot>,
    },
    /// The queue is empty: every file asked for was read, or the rest was
    /// cancelled.
    Finished {
        /// Whether queued files were dropped by a cancel.
        cancelled: bool,
        /// Milliseconds since the worker started on the files queued.
        elapsed_ms: u64,
        /// Everything read in the session but the rows, which came just
        /// before as pages; left out when the last `FileDone` already
        /// carried it (its rows can be tens of megabytes).
        snapshot: Option<Box<Snapshot>>,
    },
    /// The session was cleared.
    Cleared,
    /// Something the worker could not do.
    Failed {
        /// What went wrong, in plain words.
        message: String,
    },
}

/// Name of the global the page's start script fills with the worker's parts.
const PARTS_GLOBAL: &str = "__mimWorkerParts";

/// Runs after the glue in the worker: waits for the wasm bytes, instantiates
/// them (the module's `main` sees no window and does nothing), then hands
/// over to `worker_main`.
const WORKER_START: &str = r#"
self.onmessage = function (event) {
  self.onmessage = null;
  wasm_bindgen({ module_or_path: event.data }).then(
    function () { wasm_bindgen.worker_main(); },
    function (error) {
      self.postMessage(JSON.stringify({
        kind: "failed",
        message: "the reading worker could not start: " + String(error)
      }));
    });
};
"#;

/// What the worker reports to the page.
#[derive(Clone, Debug, PartialEq)]
pub enum WorkerEvent {
    /// A file is being read (at most every ~100 ms).
    Progress(LoadProgress),
    /// A file was read; the snapshot holds everything read so far.
    FileDone {
        /// The file's last progress.
        progress: LoadProgress,
        /// Reports and ledger of the session.
        snapshot: Rc<Snapshot>,
    },
    /// Every file asked for was read (or the rest was cancelled).
    Finished {
        /// Whether a cancel cut this load short.
        cancelled: bool,
        /// Milliseconds the worker spent on the load.
        elapsed_ms: u64,
        /// Reports and ledger of the session (the same `Rc` as the last
        /// `FileDone`'s when nothing changed since).
        snapshot: Rc<Snapshot>,
    },
    /// Reading was cancelled. When `restoring_files` is not zero, a new
    /// worker reads that many files again (those finished before, and the
    /// cancelled one up to where it had come); progress and a `Finished`
    /// event follow.
    Cancelled {
        /// Files being read again to restore the session.
        restoring_files: usize,
    },
    /// The session was cleared.
    Cleared,
    /// The worker died while it read (out of memory, say). A new worker
    /// reads again `restoring_files` files: those finished before and those
    /// queued after the failed one; progress and a `Finished` event follow.
    Crashed {
        /// What the browser said.
        message: String,
        /// The file being read when it died, which is left out.
        failed_file: Option<String>,
        /// Files being read again to restore the session.
        restoring_files: usize,
    },
    /// Something failed.
    Failed {
        /// What went wrong.
        message: String,
        /// The worker could not start or died: read the files on the page's
        /// thread instead.
        fall_back: bool,
    },
}

/// One file of the session, and how much of it is read.
#[derive(Clone)]
struct Entry {
    file: File,
    /// Read only this many bytes (a file cut short by a cancel).
    limit: Option<u64>,
}

/// Event handlers of one worker; dropping them detaches them.
struct Handlers {
    _message: Closure<dyn FnMut(MessageEvent)>,
    _error: Closure<dyn FnMut(ErrorEvent)>,
}

struct Inner {
    worker: Option<Worker>,
    handlers: Option<Handlers>,
    /// The blob URL of the worker's script, revoked once it runs.
    script_url: Option<String>,
    ready: bool,
    /// Messages waiting for the worker to be ready.
    outbox: Vec<JsValue>,
    on_event: Callback<WorkerEvent>,
    /// Files of the session read to their end (or limit), in order.
    done: Vec<Entry>,
    /// Files asked for and not yet done; the first is being read.
    pending: VecDeque<Entry>,
    /// Bytes read of the first pending file, as last reported.
    current_bytes: u64,
    /// The load running now was started by a cancel.
    after_cancel: bool,
    /// The last snapshot this worker sent.
    last_snapshot: Option<Rc<Snapshot>>,
    /// The rows of the next snapshot, as their pages come.
    rows: RowAssembly,
    /// Messages of the worker not yet handled, oldest first.
    inbox: VecDeque<JsValue>,
    /// A task to handle the inbox is scheduled.
    draining: bool,
    /// A clear was sent to the running worker and it has not yet said
    /// it cleared: what it says until then is of the forgotten session.
    clearing: bool,
}

/// The page's handle on the reading worker. Cheap to clone; all clones
/// share the worker.
#[derive(Clone)]
pub struct WorkerClient {
    inner: Rc<RefCell<Inner>>,
}

impl PartialEq for WorkerClient {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner)
    }
}

impl WorkerClient {
    /// Starts the worker; `on_event` receives everything it reports. When it
    /// cannot start, `on_event` gets [`WorkerEvent::Failed`] with
    /// `fall_back: true` (later calls do nothing).
    pub fn new(on_event: Callback<WorkerEvent>) -> Self {
        let client = Self {
            inner: Rc::new(RefCell::new(Inner {
                worker: None,
                handlers: None,
                script_url: None,
                ready: false,
                outbox: Vec::new(),
                on_event,
                done: Vec::new(),
                pending: VecDeque::new(),
                current_bytes: 0,
                after_cancel: false,
                last_snapshot: None,
                rows: RowAssembly::default(),
                inbox: VecDeque::new(),
                draining: false,
                clearing: false,
            })),
        };
        client.spawn();
        client
    }

    /// Reads `files`, after any still being read, into the session.
    pub fn load(&self, files: Vec<File>) {
        if files.is_empty() {
            return;
        }
        let entries: Vec<Entry> = files
            .into_iter()
            .map(|file| Entry { file, limit: None })
            .collect();
        self.inner.borrow_mut().after_cancel = false;
        self.send_load(&entries);
    }

    /// Stops reading at once. What was read before stays in the session:
    /// a new worker reads it again (see [`WorkerEvent::Cancelled`]).
    pub fn cancel(&self) {
        if !self.account_for_inbox() {
            return;
        }
        let replay = {
            let mut inner = self.inner.borrow_mut();
            if inner.pending.is_empty() || inner.worker.is_none() {
                return;
            }
            let mut replay = std::mem::take(&mut inner.done);
            if let Some(first) = inner.pending.front()
                && inner.current_bytes > 0
            {
                let limit = first
                    .limit
                    .map_or(inner.current_bytes, |l| l.min(inner.current_bytes));
                replay.push(Entry {
                    file: first.file.clone(),
                    limit: Some(limit),
                });
            }
            inner.pending.clear();
            inner.current_bytes = 0;
            inner.after_cancel = true;
            replay
        };
        self.stop_worker();
        self.emit(WorkerEvent::Cancelled {
            restoring_files: replay.len(),
        });
        self.spawn();
        if replay.is_empty() {
            self.inner.borrow_mut().after_cancel = false;
        } else {
            self.send_load(&replay);
        }
    }

    /// Before a cancel: takes from the worker's messages not yet handled
    /// what the cancel needs (which files were done, how far the one being
    /// read had come) and drops them, rows and all: the new worker sends
    /// the rows again, and decoding them here would hold the page up for
    /// as long as the backlog. False, with the messages left as they are,
    /// when they end the load: there is nothing left to cancel.
    fn account_for_inbox(&self) -> bool {
        /// The one field every message of the worker but a page has.
        #[derive(Deserialize)]
        struct Kind {
            kind: String,
        }
        let mut inner = self.inner.borrow_mut();
        let mut files_done = 0;
        let mut bytes = inner.current_bytes;
        for data in &inner.inbox {
            // A page is told by its start, without copying its text out.
            let is_page = data
                .dyn_ref::<js_sys::JsString>()
                .is_some_and(|text| text.starts_with(PAGE_PREFIX, 0));
            if is_page {
                continue;
            }
            let Some(text) = data.as_string() else {
                continue;
            };
            match serde_json::from_str::<Kind>(&text).map(|k| k.kind) {
                Ok(kind) if kind == "file-done" => {
                    files_done += 1;
                    bytes = 0;
                }
                Ok(kind) if kind == "progress" => {
                    if let Ok(WorkerMessage::Progress(p)) = serde_json::from_str(&text) {
                        bytes = p.bytes_read;
                    }
                }
                _ => {}
            }
        }
        if inner.worker.is_none() || files_done >= inner.pending.len() {
            return false;
        }
        for _ in 0..files_done {
            if let Some(entry) = inner.pending.pop_front() {
                inner.done.push(entry);
            }
        }
        inner.current_bytes = bytes;
        inner.inbox.clear();
        inner.rows.clear();
        true
    }

    /// Forgets the session: every file read so far, and any being read.
    pub fn clear(&self) {
        let busy = {
            let mut inner = self.inner.borrow_mut();
            if inner.worker.is_none() {
                return;
            }
            inner.done.clear();
            inner.current_bytes = 0;
            inner.after_cancel = false;
            !std::mem::take(&mut inner.pending).is_empty()
        };
        if busy {
            // The worker would only hear the clear after its current file.
            self.stop_worker();
            self.spawn();
            self.emit(WorkerEvent::Cleared);
        } else {
            // What the worker says until it has cleared is of the session
            // being forgotten: a `Finished` still to come would show it
            // again. Those messages stay in the inbox, to be dropped as
            // they come up, because a `Ready` among them must still be
            // heard: the clear waits in the outbox for it.
            {
                let mut inner = self.inner.borrow_mut();
                inner.clearing = true;
                inner.rows.clear();
                inner.last_snapshot = None;
            }
            let message = js_sys::Object::new();
            set(&message, "kind", &JsValue::from_str("clear"));
            self.send(message.into());
        }
    }

    /// After the running worker died (out of memory, say): gives up the
    /// file it was reading, starts a new worker and has it read again the
    /// files finished before and those still queued, so the results stay
    /// and the next load works.
    fn recover(&self, message: String) {
        let (failed, replay) = {
            let mut inner = self.inner.borrow_mut();
            let failed = inner.pending.pop_front().map(|entry| entry.file.name());
            let mut replay = std::mem::take(&mut inner.done);
            replay.extend(inner.pending.drain(..));
            inner.current_bytes = 0;
            inner.after_cancel = !replay.is_empty();
            (failed, replay)
        };
        self.stop_worker();
        self.emit(WorkerEvent::Crashed {
            message,
            failed_file: failed,
            restoring_files: replay.len(),
        });
        self.spawn();
        if !replay.is_empty() {
            self.send_load(&replay);
        }
    }

    fn send_load(&self, entries: &[Entry]) {
        let files = js_sys::Array::new();
        let limits = js_sys::Array::new();
        for entry in entries {
            files.push(&entry.file);
            limits.push(
                &entry
                    .limit
                    .map_or(JsValue::NULL, |l| JsValue::from_f64(l as f64)),
            );
        }
        let message = js_sys::Object::new();
        set(&message, "kind", &JsValue::from_str("load"));
        set(&message, "files", &files);
        set(&message, "limits", &limits);
        self.inner
            .borrow_mut()
            .pending
            .extend(entries.iter().cloned());
        self.send(message.into());
    }

    fn send(&self, message: JsValue) {
        let failure = {
            let mut inner = self.inner.borrow_mut();
            match (&inner.worker, inner.ready) {
                (Some(worker), true) => worker
                    .post_message(&message)
                    .err()
                    .map(|e| format!("cannot send to the reading worker: {e:?}")),
                (Some(_), false) => {
                    inner.outbox.push(message);
                    None
                }
                (None, _) => Some("the reading worker is not running".to_owned()),
            }
        };
        if let Some(message) = failure {
            self.emit(WorkerEvent::Failed {
                message,
                fall_back: true,
            });
        }
    }

    fn emit(&self, event: WorkerEvent) {
        let callback = self.inner.borrow().on_event.clone();
        callback.emit(event);
    }

    fn stop_worker(&self) {
        let mut inner = self.inner.borrow_mut();
        if let Some(worker) = inner.worker.take() {
            worker.set_onmessage(None);
            worker.set_onerror(None);
            worker.terminate();
        }
        inner.handlers = None;
        if let Some(url) = inner.script_url.take() {
            let _ = Url::revoke_object_url(&url);
        }
        inner.ready = false;
        inner.outbox.clear();
        inner.last_snapshot = None;
        inner.rows.clear();
        // What the stopped worker said and the page did not yet handle.
        inner.inbox.clear();
        inner.clearing = false;
    }

    /// Starts a worker, or reports why it cannot.
    fn spawn(&self) {
        match start_worker() {
            Ok((worker, url)) => {
                let weak = Rc::downgrade(&self.inner);
                let on_message = Closure::<dyn FnMut(MessageEvent)>::new({
                    let weak = weak.clone();
                    move |event: MessageEvent| on_worker_message(&weak, event.data())
                });
                let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |event: ErrorEvent| {
                    on_worker_error(&weak, &event);
                });
                worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
                worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
                let mut inner = self.inner.borrow_mut();
                inner.worker = Some(worker);
                inner.script_url = Some(url);
                inner.handlers = Some(Handlers {
                    _message: on_message,
                    _error: on_error,
                });
            }
            Err(message) => self.emit(WorkerEvent::Failed {
                message,
                fall_back: true,
            }),
        }
    }
}

fn set(target: &js_sys::Object, key: &str, value: &JsValue) {
    // Setting a plain property of a fresh object cannot fail.
    let _ = js_sys::Reflect::set(target, &JsValue::from_str(key), value);
}

/// Creates the worker from the page's parts and sends it the wasm bytes.
fn start_worker() -> Result<(Worker, String), String> {
    let window = web_sys::window().ok_or("no window to start the reading worker from")?;
    let parts = js_sys::Reflect::get(&window, &JsValue::from_str(PARTS_GLOBAL))
        .ok()
        .filter(|p| p.is_object())
        .ok_or("this page carries no reading worker (built without it)")?;
    let glue = js_sys::Reflect::get(&parts, &JsValue::from_str("glue"))
        .ok()
        .and_then(|g| g.as_string())
        .ok_or("this page carries no worker script")?;
    let wasm = js_sys::Reflect::get(&parts, &JsValue::from_str("wasm"))
        .map_err(|_| "this page carries no worker module".to_owned())?;

    let source = js_sys::Array::new();
    source.push(&JsValue::from_str(&glue));
    source.push(&JsValue::from_str(WORKER_START));
    let options = BlobPropertyBag::new();
    options.set_type("text/javascript");
    let blob = Blob::new_with_str_sequence_and_options(&source, &options)
        .map_err(|e| format!("cannot make the worker script: {e:?}"))?;
    let url = Url::create_object_url_with_blob(&blob)
        .map_err(|e| format!("cannot make the worker script's URL: {e:?}"))?;
    let worker = match Worker::new(&url) {
        Ok(worker) => worker,
        Err(e) => {
            let _ = Url::revoke_object_url(&url);
            return Err(format!(
                "this browser cannot start the reading worker: {e:?}"
            ));
        }
    };
    if let Err(e) = worker.post_message(&wasm) {
        worker.terminate();
        let _ = Url::revoke_object_url(&url);
        return Err(format!(
            "cannot send the module to the reading worker: {e:?}"
        ));
    }
    Ok((worker, url))
}

fn on_worker_error(weak: &Weak<RefCell<Inner>>, event: &ErrorEvent) {
    drain_inbox(weak);
    let Some(inner) = weak.upgrade() else { return };
    let client = WorkerClient { inner };
    let message = format!("the reading worker failed: {}", event.message());
    if client.inner.borrow().ready {
        client.recover(message);
        return;
    }
    // It never ran: the page reads on its own thread instead.
    client.stop_worker();
    client.inner.borrow_mut().pending.clear();
    client.emit(WorkerEvent::Failed {
        message,
        fall_back: true,
    });
}

/// Queues a message of the worker, to be handled in a task of its own.
///
/// The worker posts a file's row pages all at once; handled as they come,
/// their tasks would follow one another and hold back the page's timers
/// and frames until the last. Each is handled in a timer task instead, so
/// that the page's own timers and frames come between them.
fn on_worker_message(weak: &Weak<RefCell<Inner>>, data: JsValue) {
    let Some(inner) = weak.upgrade() else { return };
    let start = {
        let mut inner = inner.borrow_mut();
        inner.inbox.push_back(data);
        !std::mem::replace(&mut inner.draining, true)
    };
    if start {
        schedule_next_message(weak.clone());
    }
}

/// Handles the first queued message of the worker in a new task, then
/// schedules the next, if any.
fn schedule_next_message(weak: Weak<RefCell<Inner>>) {
    gloo::timers::callback::Timeout::new(0, move || {
        let Some(inner) = weak.upgrade() else { return };
        let next = inner.borrow_mut().inbox.pop_front();
        if let Some(data) = next {
            handle_worker_message(&weak, &data);
        }
        let more = {
            let mut inner = inner.borrow_mut();
            inner.draining = !inner.inbox.is_empty();
            inner.draining
        };
        if more {
            schedule_next_message(weak);
        }
    })
    .forget();
}

/// Handles every queued message of the worker now, so that a cancel or a
/// crash sees the files the worker had finished.
fn drain_inbox(weak: &Weak<RefCell<Inner>>) {
    loop {
        let Some(inner) = weak.upgrade() else { return };
        let next = inner.borrow_mut().inbox.pop_front();
        let Some(data) = next else { return };
        handle_worker_message(weak, &data);
    }
}

fn handle_worker_message(weak: &Weak<RefCell<Inner>>, data: &JsValue) {
    let Some(inner) = weak.upgrade() else { return };
    let client = WorkerClient { inner };
    let Some(text) = data.as_string() else {
        client.emit(WorkerEvent::Failed {
            message: "the reading worker sent a message that is not text".to_owned(),
            fall_back: false,
        });
        return;
    };
    let clearing = client.inner.borrow().clearing;
    // A page of rows is decoded and put aside at once, in this task of its
    // own; the message after the last page completes the snapshot.
    if text.starts_with(PAGE_PREFIX) {
        if clearing {
            return;
        }
        match serde_json::from_str::<RowPage>(&text) {
            Ok(page) => client.inner.borrow_mut().rows.add(page),
            Err(e) => client.emit(WorkerEvent::Failed {
                message: format!("the reading worker sent rows that cannot be read: {e}"),
                fall_back: false,
            }),
        }
        return;
    }
    let message: WorkerMessage = match serde_json::from_str(&text) {
        Ok(message) => message,
        Err(e) => {
            client.emit(WorkerEvent::Failed {
                message: format!("the reading worker sent a message that cannot be read: {e}"),
                fall_back: false,
            });
            return;
        }
    };
    if clearing {
        match message {
            WorkerMessage::Cleared => client.inner.borrow_mut().clearing = false,
            // A worker not yet ready holds the clear in the outbox.
            WorkerMessage::Ready => {}
            _ => return,
        }
    }
    let mut lost_rows = None;
    let event = {
        let mut inner = client.inner.borrow_mut();
        let inner = &mut *inner;
        // The rows of a snapshot came before it, in pages.
        let mut with_rows = |mut snapshot: Snapshot| {
            if let Err(missing) = inner.rows.complete(&mut snapshot.reports) {
                lost_rows = Some(missing);
            }
            Rc::new(snapshot)
        };
        match message {
            WorkerMessage::Ready => {
                inner.ready = true;
                if let Some(url) = inner.script_url.take() {
                    let _ = Url::revoke_object_url(&url);
                }
                let outbox = std::mem::take(&mut inner.outbox);
                if let Some(worker) = &inner.worker {
                    for message in outbox {
                        let _ = worker.post_message(&message);
                    }
                }
                None
            }
            WorkerMessage::Progress(progress) => {
                inner.current_bytes = progress.bytes_read;
                Some(WorkerEvent::Progress(progress))
            }
            WorkerMessage::FileDone { progress, snapshot } => {
                if let Some(entry) = inner.pending.pop_front() {
                    inner.done.push(entry);
                }
                inner.current_bytes = 0;
                let snapshot = with_rows(*snapshot);
                inner.last_snapshot = Some(snapshot.clone());
                Some(WorkerEvent::FileDone { progress, snapshot })
            }
            WorkerMessage::Finished {
                cancelled,
                elapsed_ms,
                snapshot,
            } => {
                let cancelled = cancelled || std::mem::take(&mut inner.after_cancel);
                let snapshot = match snapshot {
                    Some(snapshot) => with_rows(*snapshot),
                    None => inner.last_snapshot.clone().unwrap_or_default(),
                };
                inner.last_snapshot = Some(snapshot.clone());
                Some(WorkerEvent::Finished {
                    cancelled,
                    elapsed_ms,
                    snapshot,
                })
            }
            WorkerMessage::Cleared => {
                inner.last_snapshot = None;
                inner.rows.clear();
                Some(WorkerEvent::Cleared)
            }
            WorkerMessage::Failed { message } => Some(WorkerEvent::Failed {
                message,
                fall_back: !inner.ready,
            }),
        }
    };
    if let Some(missing) = lost_rows {
        client.emit(WorkerEvent::Failed {
            message: format!("{missing}; the tables lack them"),
            fall_back: false,
        });
    }
    if let Some(event) = event {
        client.emit(event);
    }
}

/// Exposes the client to browser tests as `window.__mimWorkerTest`, with
/// `load(files)`, `cancel()`, `clear()` and `events` (one plain object per
/// event, rows counted rather than copied). The page installs it only when
/// its address ends in `#worker-selftest`.
pub fn install_test_hook() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let hook = js_sys::Object::new();
    let events = js_sys::Array::new();
    set(&hook, "events", &events);
    let client = WorkerClient::new(Callback::from(move |event: WorkerEvent| {
        let summary = summarise(&event);
        if let Ok(value) = js_sys::JSON::parse(&summary.to_string()) {
            // When the page had the event in hand, to tell the worker's time
            // from the page's.
            let at = web_sys::window()
                .and_then(|w| w.performance())
                .map_or(0.0, |p| p.now());
            set(
                &value.clone().unchecked_into(),
                "at",
                &JsValue::from_f64(at),
            );
            events.push(&value);
        }
    }));
    let load = {
        let client = client.clone();
        Closure::<dyn Fn(JsValue)>::new(move |files: JsValue| {
            let files: Vec<File> = js_sys::Array::from(&files)
                .iter()
                .filter_map(|f| f.dyn_into::<File>().ok())
                .collect();
            client.load(files);
        })
    };
    let cancel = {
        let client = client.clone();
        Closure::<dyn Fn()>::new(move || client.cancel())
    };
    let clear = Closure::<dyn Fn()>::new(move || client.clear());
    set(&hook, "load", load.as_ref());
    set(&hook, "cancel", cancel.as_ref());
    set(&hook, "clear", clear.as_ref());
    // The hook lives as long as the page.
    load.forget();
    cancel.forget();
    clear.forget();
    set(&window, "__mimWorkerTest", &hook);
}

/// A test's view of one event: kinds, figures and row counts.
fn summarise(event: &WorkerEvent) -> serde_json::Value {
    fn rows(snapshot: &Snapshot) -> serde_json::Value {
        let r = &snapshot.reports;
        serde_json::json!({
            "password_reset": r.password_reset_activity.len(),
            "registration": r.password_reset_registration.len(),
            "groups": r.self_service_groups.len(),
            "other": r.other_requests.len(),
            "events_read": r.counts.events_read.to_string(),
            "files": snapshot.ledger.files.len(),
            "stopped_early": snapshot.ledger.files.iter().filter(|f| f.stopped_early).count(),
        })
    }
    match event {
        WorkerEvent::Progress(p) => serde_json::json!({"kind": "progress", "progress": p}),
        WorkerEvent::FileDone { progress, snapshot } => {
            serde_json::json!({"kind": "file-done", "progress": progress, "rows": rows(snapshot)})
        }
        WorkerEvent::Finished {
            cancelled,
            elapsed_ms,
            snapshot,
        } => serde_json::json!({
            "kind": "finished",
            "cancelled": cancelled,
            "elapsed_ms": elapsed_ms,
            "rows": rows(snapshot),
        }),
        WorkerEvent::Cancelled { restoring_files } => {
            serde_json::json!({"kind": "cancelled", "restoring_files": restoring_files})
        }
        WorkerEvent::Cleared => serde_json::json!({"kind": "cleared"}),
        WorkerEvent::Crashed {
            message,
            failed_file,
            restoring_files,
        } => serde_json::json!({
            "kind": "crashed",
            "message": message,
            "failed_file": failed_file,
            "restoring_files": restoring_files,
        }),
        WorkerEvent::Failed { message, fall_back } => {
            serde_json::json!({"kind": "failed", "message": message, "fall_back": fall_back})
        }
    }
}
