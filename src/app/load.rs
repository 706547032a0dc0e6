//! Reading export files into the session's one [`Analysis`].
//!
//! Components never read files themselves: they hand [`ExportFile`]s to
//! [`Loader::read_files`] and receive [`LoadEvent`]s back. Today the reading
//! runs on the page's own thread, one file after another, so a very large
//! export keeps the page busy until it is read; moving the inside of
//! `read_files` into a Web Worker fixes that without changing its callers.

use std::cell::{Cell, RefCell};
use std::io;
use std::rc::Rc;

use mim_reports::Analysis;
use mim_reports::ledger::Ledger;
use mim_reports::report::Reports;

/// File name under which the bundled sample export is loaded.
pub const SAMPLE_NAME: &str = "contoso-request-log.xml";

/// The bundled sample: a synthetic wevtutil export of a made-up company.
const SAMPLE_BYTES: &[u8] = include_bytes!("../../www/sample/contoso-request-log.xml");

/// One export to read.
#[derive(Clone, Debug, PartialEq)]
pub enum ExportFile {
    /// A file the user picked or dropped.
    Picked(web_sys::File),
    /// An export carried by the page itself.
    Bundled {
        /// Its name, as the Files tab shows it.
        name: &'static str,
        /// Its bytes.
        bytes: &'static [u8],
    },
}

impl ExportFile {
    /// The bundled sample export.
    pub fn sample() -> Self {
        ExportFile::Bundled {
            name: SAMPLE_NAME,
            bytes: SAMPLE_BYTES,
        }
    }

    /// The file's name.
    pub fn name(&self) -> String {
        match self {
            ExportFile::Picked(file) => file.name(),
            ExportFile::Bundled { name, .. } => (*name).to_owned(),
        }
    }
}

/// What the session holds after a file: the reports and the ledger of every
/// file read so far.
#[derive(Clone, Debug, PartialEq)]
pub struct Snapshot {
    /// The reports of the whole load.
    pub reports: Reports,
    /// The files, their accounting and the problems met.
    pub ledger: Ledger,
}

/// What [`Loader::read_files`] tells its caller as it goes.
#[derive(Clone, Debug, PartialEq)]
pub enum LoadEvent {
    /// Reading of this file (by name) has started.
    Reading(String),
    /// A file was read; the load as it now stands.
    Read(Rc<Snapshot>),
    /// Every file handed over was read.
    Finished,
}

/// The session's load: every file read joins the same [`Analysis`], so
/// slices and duplicates are matched across files.
///
/// Clones share the session. Two reads may run at once (the user dropped
/// more files while others were being read); they never hold the analysis
/// across a wait, so they take turns file by file.
#[derive(Clone, Debug, Default)]
pub struct Loader {
    analysis: Rc<RefCell<Analysis>>,
    /// Raised by [`Loader::clear`], so that a read started before stops
    /// instead of filling the new session with old files.
    generation: Rc<Cell<u64>>,
}

impl Loader {
    /// A session with nothing read.
    pub fn new() -> Self {
        Self::default()
    }

    /// Forgets every file read; reads still going on stop after their
    /// current file and report nothing more.
    pub fn clear(&self) {
        self.generation.set(self.generation.get() + 1);
        *self.analysis.borrow_mut() = Analysis::new();
    }

    /// Reads `files` one after another into the session, calling `on_event`
    /// before each file, after each file, and at the end.
    ///
    /// Never fails: a file the browser cannot read is recorded in the ledger
    /// as a file whose reading stopped at byte 0, with the browser's reason.
    pub async fn read_files(&self, files: Vec<ExportFile>, on_event: impl Fn(LoadEvent)) {
        let generation = self.generation.get();
        for file in files {
            let name = file.name();
            on_event(LoadEvent::Reading(name.clone()));
            // Lets the page show the notice before the reading takes the thread.
            yew::platform::time::sleep(std::time::Duration::ZERO).await;

            let contents = contents_of(&file).await;
            if self.generation.get() != generation {
                return;
            }
            let snapshot = {
                let mut analysis = self.analysis.borrow_mut();
                match contents {
                    Ok(bytes) => {
                        let size = Some(bytes.len() as u64);
                        analysis.read_file(&name, size, bytes.as_slice());
                    }
                    Err(reason) => {
                        analysis.read_file(&name, None, Unreadable(reason));
                    }
                }
                Snapshot {
                    reports: analysis.reports(),
                    ledger: analysis.final_ledger(),
                }
            };
            on_event(LoadEvent::Read(Rc::new(snapshot)));
        }
        if self.generation.get() == generation {
            on_event(LoadEvent::Finished);
        }
    }
}

/// The bytes of one export, or the browser's reason for not giving them.
async fn contents_of(file: &ExportFile) -> Result<Vec<u8>, String> {
    match file {
        ExportFile::Bundled { bytes, .. } => Ok(bytes.to_vec()),
        ExportFile::Picked(file) => {
            let blob = gloo::file::Blob::from(web_sys::Blob::from(file.clone()));
            gloo::file::futures::read_as_bytes(&blob)
                .await
                .map_err(|e| format!("the browser could not read the file ({e})"))
        }
    }
}

/// A source that fails at once, so that the engine records a file the
/// browser would not read the same way as any other reading failure.
struct Unreadable(String);

impl io::Read for Unreadable {
    fn read(&mut self, _buf: &mut [u8]) -> io::Result<usize> {
        Err(io::Error::other(self.0.clone()))
    }
}
