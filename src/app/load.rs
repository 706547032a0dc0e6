//! Reading export files into the session's one analysis.
//!
//! Components never read files themselves: they hand `File`s to
//! [`Loader::read_files`] and receive [`LoadEvent`]s back. The reading runs
//! in the reading worker ([`super::worker_client`]), which keeps the session
//! (every file read joins the same analysis, so slices and duplicates are
//! matched across files). When the worker cannot start or dies, or when the
//! page's address ends in `#no-worker`, the loader reads on the page's own
//! thread instead: the page then stays busy while a file is parsed, but the
//! results are the same.

use std::cell::RefCell;
use std::collections::VecDeque;
use std::io;
use std::rc::{Rc, Weak};

use mim_reports::Analysis;
use web_sys::File;
use yew::Callback;

pub use super::worker_client::{LoadProgress, Snapshot};
use super::worker_client::{WorkerClient, WorkerEvent};

/// File name under which the bundled sample export is loaded.
pub const SAMPLE_NAME: &str = "contoso-request-log.xml";

/// The bundled sample: a synthetic wevtutil export of a made-up company.
const SAMPLE_BYTES: &[u8] = include_bytes!("../../www/sample/contoso-request-log.xml");

/// The address fragment that keeps the reading on the page's thread (for
/// tests of that path, and for a browser whose worker misbehaves).
pub const NO_WORKER_FRAGMENT: &str = "#no-worker";

/// The bundled sample as a browser `File`, so that it is read like a file
/// the user picked. Fails only if the browser cannot make a `File`.
pub fn sample_file() -> Result<File, String> {
    let bytes = js_sys::Uint8Array::from(SAMPLE_BYTES);
    let parts = js_sys::Array::of1(&bytes);
    let options = web_sys::FilePropertyBag::new();
    options.set_type("application/xml");
    File::new_with_u8_array_sequence_and_options(&parts, SAMPLE_NAME, &options)
        .map_err(|e| format!("the browser could not make the sample file ({e:?})"))
}

/// A file handed over for reading: what the page shows of it before its
/// reading starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QueuedFile {
    /// The file's name.
    pub name: String,
    /// Its size in bytes.
    pub size: u64,
}

/// What the [`Loader`] tells the page as it goes.
#[derive(Clone, Debug, PartialEq)]
pub enum LoadEvent {
    /// Files were handed over and wait their turn.
    Queued(Vec<QueuedFile>),
    /// The file being read has come this far.
    Progress(LoadProgress),
    /// A file was read; the snapshot holds everything read so far.
    FileRead {
        /// The file's last progress.
        progress: LoadProgress,
        /// Reports and ledger of the session.
        snapshot: Rc<Snapshot>,
    },
    /// Nothing more is being read.
    Finished {
        /// Whether a cancel cut the load short.
        cancelled: bool,
        /// Reports and ledger of the session.
        snapshot: Rc<Snapshot>,
    },
    /// The user cancelled; when `restoring_files` is not zero, the worker
    /// reads that many files again (up to where they had come) and a
    /// `Finished` event follows.
    Cancelled {
        /// Files being read again to restore the session.
        restoring_files: usize,
    },
    /// Something went wrong that the user should know of.
    Failed(String),
}

/// The session's reading: through the worker, or on the page's thread.
///
/// Clones share the session.
#[derive(Clone)]
pub struct Loader {
    inner: Rc<RefCell<Inner>>,
}

impl PartialEq for Loader {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner)
    }
}

struct Inner {
    on_event: Callback<LoadEvent>,
    /// The worker, while the page reads through it.
    worker: Option<WorkerClient>,
    /// Set when the worker cannot be used; from then on the page reads.
    worker_failed: bool,
    /// Every file handed over since the last clear, so that a session can be
    /// read again on the page's thread if the worker dies.
    session: Vec<File>,
    /// Files of `session` read to their end.
    files_done: usize,
    page: PageThreadReader,
}

/// The reading on the page's own thread, used without a worker.
#[derive(Default)]
struct PageThreadReader {
    analysis: Analysis,
    queue: VecDeque<File>,
    /// A reading task is running; it takes the queue's files in turn.
    running: bool,
    /// Raised by a clear or cancel, so that a file being fetched when it
    /// came is not read into the session.
    generation: u64,
}

impl Loader {
    /// A session with nothing read, reading through the worker unless the
    /// address says `#no-worker` or the worker cannot start.
    pub fn new(on_event: Callback<LoadEvent>) -> Self {
        let loader = Loader {
            inner: Rc::new(RefCell::new(Inner {
                on_event,
                worker: None,
                worker_failed: false,
                session: Vec::new(),
                files_done: 0,
                page: PageThreadReader::default(),
            })),
        };
        if !worker_switched_off() {
            let weak = Rc::downgrade(&loader.inner);
            // `WorkerClient::new` may report a failure before it returns, so
            // the client is stored only after.
            let client =
                WorkerClient::new(Callback::from(move |event| on_worker_event(&weak, event)));
            let mut inner = loader.inner.borrow_mut();
            if !inner.worker_failed {
                inner.worker = Some(client);
            }
        }
        loader
    }

    /// Whether files are read in the worker (rather than on the page's
    /// thread).
    pub fn uses_worker(&self) -> bool {
        self.inner.borrow().worker.is_some()
    }

    /// Reads `files`, after any still being read, into the session.
    pub fn read_files(&self, files: Vec<File>) {
        if files.is_empty() {
            return;
        }
        let (on_event, worker) = {
            let mut inner = self.inner.borrow_mut();
            inner.session.extend(files.iter().cloned());
            (inner.on_event.clone(), inner.worker.clone())
        };
        on_event.emit(LoadEvent::Queued(
            files
                .iter()
                .map(|file| QueuedFile {
                    name: file.name(),
                    size: file.size().max(0.0) as u64,
                })
                .collect(),
        ));
        match worker {
            Some(worker) => worker.load(files),
            None => self.read_on_page(files),
        }
    }

    /// The browser file of file index `index` of the session (the order
    /// the ledger lists them in), while the session keeps it.
    pub fn file(&self, index: u32) -> Option<File> {
        self.inner.borrow().session.get(index as usize).cloned()
    }

    /// Stops the reading. What was read before stays in the session.
    pub fn cancel(&self) {
        let worker = self.inner.borrow().worker.clone();
        if let Some(worker) = worker {
            worker.cancel();
            return;
        }
        let (on_event, snapshot) = {
            let mut inner = self.inner.borrow_mut();
            let done = inner.files_done;
            inner.session.truncate(done);
            inner.page.queue.clear();
            inner.page.generation += 1;
            (inner.on_event.clone(), snapshot_of(&inner.page.analysis))
        };
        on_event.emit(LoadEvent::Finished {
            cancelled: true,
            snapshot: Rc::new(snapshot),
        });
    }

    /// Forgets every file read, and any being read.
    pub fn clear(&self) {
        let worker = {
            let mut inner = self.inner.borrow_mut();
            inner.session.clear();
            inner.files_done = 0;
            inner.page.queue.clear();
            inner.page.generation += 1;
            inner.page.analysis = Analysis::new();
            inner.worker.clone()
        };
        if let Some(worker) = worker {
            worker.clear();
        }
    }

    /// Queues files for the page's thread, starting its reading task if
    /// none runs.
    fn read_on_page(&self, files: Vec<File>) {
        let start = {
            let mut inner = self.inner.borrow_mut();
            inner.page.queue.extend(files);
            !std::mem::replace(&mut inner.page.running, true)
        };
        if start {
            let inner = self.inner.clone();
            yew::platform::spawn_local(read_queue_on_page(inner));
        }
    }
}

/// `no-worker` among the words of the page's address fragment (which the
/// page keeps there when it writes its view after it).
fn worker_switched_off() -> bool {
    web_sys::window()
        .and_then(|window| window.location().hash().ok())
        .is_some_and(|hash| {
            mim_reports::view::fragment::parse(&hash)
                .flags
                .iter()
                .any(|flag| Some(flag.as_str()) == NO_WORKER_FRAGMENT.strip_prefix('#'))
        })
}

/// Passes the worker's events on, counting the files it finished; when the
/// worker cannot be used, reads the session again on the page's thread.
fn on_worker_event(weak: &Weak<RefCell<Inner>>, event: WorkerEvent) {
    let Some(inner) = weak.upgrade() else { return };
    let on_event = inner.borrow().on_event.clone();
    let event = match event {
        WorkerEvent::Progress(progress) => LoadEvent::Progress(progress),
        WorkerEvent::FileDone { progress, snapshot } => {
            inner.borrow_mut().files_done += 1;
            LoadEvent::FileRead { progress, snapshot }
        }
        WorkerEvent::Finished {
            cancelled,
            snapshot,
            ..
        } => {
            // After a cancel the worker reads the session again, so its
            // files are counted afresh.
            let files = snapshot.ledger.files.len();
            let mut inner = inner.borrow_mut();
            inner.files_done = files;
            // A file the cancel cut short stays in the session with what was
            // read of it; the files queued after it are dropped.
            let kept = files.min(inner.session.len());
            inner.session.truncate(kept);
            LoadEvent::Finished {
                cancelled,
                snapshot,
            }
        }
        WorkerEvent::Cancelled { restoring_files } => {
            let mut inner = inner.borrow_mut();
            inner.files_done = 0;
            if restoring_files == 0 {
                inner.session.clear();
            }
            LoadEvent::Cancelled { restoring_files }
        }
        // The page forgot the session when it asked for the clear.
        WorkerEvent::Cleared => return,
        WorkerEvent::Crashed {
            message,
            failed_file,
            restoring_files,
        } => {
            let mut inner_mut = inner.borrow_mut();
            // The failed file follows those finished; it leaves the session.
            let failed_at = inner_mut.files_done;
            if failed_at < inner_mut.session.len() {
                inner_mut.session.remove(failed_at);
            }
            inner_mut.files_done = 0;
            if restoring_files == 0 {
                inner_mut.session.clear();
            }
            drop(inner_mut);
            let file =
                failed_file.map_or_else(String::new, |name| format!(" while reading {name}"));
            on_event.emit(LoadEvent::Failed(format!(
                "{message}{file}. That file was left out; the files read before it \
                 and those queued after it are read again."
            )));
            LoadEvent::Cancelled { restoring_files }
        }
        WorkerEvent::Failed {
            message,
            fall_back: false,
        } => LoadEvent::Failed(message),
        WorkerEvent::Failed {
            message,
            fall_back: true,
        } => {
            fall_back(&inner, message);
            return;
        }
    };
    on_event.emit(event);
}

/// Gives up the worker and reads every file of the session on the page's
/// thread. A file a cancel had cut short is read whole this time.
fn fall_back(inner: &Rc<RefCell<Inner>>, reason: String) {
    let (on_event, files) = {
        let mut inner = inner.borrow_mut();
        inner.worker_failed = true;
        inner.worker = None;
        inner.files_done = 0;
        inner.page.analysis = Analysis::new();
        inner.page.generation += 1;
        (inner.on_event.clone(), inner.session.clone())
    };
    // A worker that could not start before anything was asked of it is
    // not worth a word: the page simply reads on its own thread.
    if files.is_empty() {
        return;
    }
    on_event.emit(LoadEvent::Failed(format!(
        "{reason}. The files are read again on this page's thread, \
         which stays busy while it reads."
    )));
    let loader = Loader {
        inner: inner.clone(),
    };
    loader.read_on_page(files);
}

/// Reads the page thread's queue, one file after another, until it is
/// empty.
async fn read_queue_on_page(inner: Rc<RefCell<Inner>>) {
    let started = js_sys::Date::now();
    let elapsed = move || (js_sys::Date::now() - started).max(0.0) as u64;
    let mut last_snapshot = None;
    loop {
        let next = {
            let mut inner = inner.borrow_mut();
            let generation = inner.page.generation;
            let next = inner.page.queue.pop_front();
            if next.is_none() {
                inner.page.running = false;
            }
            next.map(|file| (file, generation))
        };
        let Some((file, generation)) = next else {
            break;
        };
        let on_event = inner.borrow().on_event.clone();
        let name = file.name();
        let size = file.size().max(0.0) as u64;
        let file_index = inner.borrow().page.analysis.ledger().files.len() as u32;
        let mut progress = LoadProgress {
            file_index,
            name: name.clone(),
            bytes_read: 0,
            total_bytes: size,
            events: 0,
            requests: 0,
            elapsed_ms: elapsed(),
            memory_bytes: 0,
        };
        on_event.emit(LoadEvent::Progress(progress.clone()));
        // Lets the page show the progress before the parsing takes the
        // thread.
        yew::platform::time::sleep(std::time::Duration::ZERO).await;

        let contents = contents_of(&file).await;
        let snapshot = {
            let mut inner = inner.borrow_mut();
            if inner.page.generation != generation {
                // Cleared or cancelled meanwhile: the file is not wanted.
                continue;
            }
            let analysis = &mut inner.page.analysis;
            let index = match contents {
                Ok(bytes) => analysis.read_file(&name, Some(size), bytes.as_slice()),
                Err(reason) => analysis.read_file(&name, None, Unreadable(reason)),
            };
            let snapshot = snapshot_of(analysis);
            if let Some(entry) = snapshot.ledger.files.get(index as usize) {
                progress.bytes_read = entry.bytes_read;
                progress.events = entry.accounting.events_read;
            }
            progress.requests = snapshot.reports.requests;
            progress.elapsed_ms = elapsed();
            inner.files_done += 1;
            Rc::new(snapshot)
        };
        last_snapshot = Some(snapshot.clone());
        on_event.emit(LoadEvent::FileRead { progress, snapshot });
    }

    let (on_event, snapshot) = {
        let inner = inner.borrow();
        let snapshot = last_snapshot.unwrap_or_else(|| Rc::new(snapshot_of(&inner.page.analysis)));
        (inner.on_event.clone(), snapshot)
    };
    on_event.emit(LoadEvent::Finished {
        cancelled: false,
        snapshot,
    });
}

fn snapshot_of(analysis: &Analysis) -> Snapshot {
    Snapshot {
        reports: analysis.reports(),
        ledger: analysis.final_ledger(),
    }
}

/// The bytes of one file, or the browser's reason for not giving them.
async fn contents_of(file: &File) -> Result<Vec<u8>, String> {
    let blob = gloo::file::Blob::from(web_sys::Blob::from(file.clone()));
    gloo::file::futures::read_as_bytes(&blob)
        .await
        .map_err(|e| format!("the browser could not read the file ({e})"))
}

/// A source that fails at once, so that the engine records a file the
/// browser would not read the same way as any other reading failure.
struct Unreadable(String);

impl io::Read for Unreadable {
    fn read(&mut self, _buf: &mut [u8]) -> io::Result<usize> {
        Err(io::Error::other(self.0.clone()))
    }
}
