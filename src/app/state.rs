//! The page's state and the named actions that change it, in one reducer.

use std::rc::Rc;

use yew::Reducible;

use mim_reports::ledger::Ledger;
use mim_reports::report::{IncompleteSummary, SourceCounts, counts_by_source};
use mim_reports::view::dates::Clock;
use mim_reports::view::filter::ReportFilter;
use mim_reports::view::fragment::{self, ViewState};

use super::detail::DetailTarget;

use super::load::{LoadProgress, QueuedFile, Snapshot};
use super::report_rows::SharedReports;
use super::tables::{ReportTab, SortOrder, TableData};

pub use mim_reports::view::Tab;

/// What the page shows of a load: its tables (which write their cells only
/// as they are drawn), files and counts.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadedView {
    /// The snapshot the view was built from, so that the same snapshot sent
    /// twice (after a file and at the end) is not built twice.
    pub source: Rc<Snapshot>,
    /// The four tables, in tab order.
    pub tables: [Rc<TableData>; 4],
    /// The clock the tables' dates are written on.
    pub clock: Clock,
    /// Files, accounting and problems.
    pub ledger: Rc<Ledger>,
    /// Requests whose slices did not all come.
    pub incomplete: Rc<Vec<IncompleteSummary>>,
    /// The names of the files read, by file index.
    pub file_names: Rc<Vec<String>>,
    /// The rows of each report by source (on-premises, cloud).
    pub by_source: Rc<Vec<SourceCounts>>,
}

impl LoadedView {
    /// The view of a load, dates on `clock`.
    pub fn new(snapshot: Rc<Snapshot>, clock: Clock) -> Self {
        let reports = &snapshot.reports;
        let table = |report| Rc::new(TableData::of_report(snapshot.clone(), report, clock));
        LoadedView {
            source: snapshot.clone(),
            tables: ReportTab::ALL.map(table),
            clock,
            ledger: Rc::new(snapshot.ledger.clone()),
            incomplete: Rc::new(reports.incomplete_requests.clone()),
            file_names: Rc::new(
                snapshot
                    .ledger
                    .files
                    .iter()
                    .map(|f| f.name.clone())
                    .collect(),
            ),
            by_source: Rc::new(counts_by_source(reports)),
        }
    }

    /// The rows of every report.
    pub fn reports(&self) -> SharedReports {
        SharedReports(self.source.clone())
    }

    /// The table of one report.
    pub fn table(&self, report: ReportTab) -> &Rc<TableData> {
        &self.tables[report.index()]
    }

    /// The number shown on a tab: rows of a report, or problems met.
    pub fn count(&self, tab: Tab) -> usize {
        match tab {
            Tab::Report(report) => self.table(report).row_count(),
            Tab::Files => self.ledger.diagnostics.len(),
        }
    }
}

/// One file of the load running now, as its progress row shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileProgressRow {
    /// The file's name.
    pub name: String,
    /// Bytes it has (or the limit it is read to).
    pub total_bytes: u64,
    /// How far its reading has come; `None` while it waits its turn.
    pub progress: Option<LoadProgress>,
    /// The worker's clock (`elapsed_ms`) when the file's reading began, for
    /// the file's own rate.
    pub started_ms: u64,
    /// Read to its end.
    pub done: bool,
}

impl FileProgressRow {
    /// Bytes read of the file so far.
    pub fn bytes_read(&self) -> u64 {
        self.progress.as_ref().map_or(0, |p| p.bytes_read)
    }

    /// The file's reading rate in megabytes (10^6 bytes) a second, once
    /// there is time to measure it.
    pub fn megabytes_per_second(&self) -> Option<f64> {
        let progress = self.progress.as_ref()?;
        let millis = progress.elapsed_ms.saturating_sub(self.started_ms);
        (millis > 0).then(|| progress.bytes_read as f64 / 1000.0 / millis as f64)
    }
}

/// The load running now.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReadingView {
    /// The files handed over, in reading order.
    pub files: Vec<FileProgressRow>,
    /// A cancel came: the worker reads again what was read before it.
    pub restoring: bool,
    /// The worker's clock when the last file was done.
    pub last_done_ms: u64,
}

impl ReadingView {
    /// The row of the file being read (or next to be): the first not done,
    /// or a new one for a file the page did not hand over itself (a file
    /// read again after a cancel).
    fn current(&mut self, progress: &LoadProgress) -> &mut FileProgressRow {
        let position = match self.files.iter().position(|row| !row.done) {
            Some(position) => position,
            None => {
                self.files.push(FileProgressRow {
                    name: progress.name.clone(),
                    total_bytes: progress.total_bytes,
                    progress: None,
                    started_ms: 0,
                    done: false,
                });
                self.files.len() - 1
            }
        };
        let last_done_ms = self.last_done_ms;
        let row = &mut self.files[position];
        if row.progress.is_none() {
            row.started_ms = last_done_ms.min(progress.elapsed_ms);
        }
        row.name.clone_from(&progress.name);
        row.total_bytes = progress.total_bytes;
        row
    }

    /// The name of the file being read, if one is.
    pub fn reading_now(&self) -> Option<&str> {
        self.files
            .iter()
            .find(|row| !row.done)
            .map(|row| row.name.as_str())
    }
}

/// Everything the page shows, in one place.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PageState {
    /// The load so far; `None` before the first file and after Clear.
    pub loaded: Option<Rc<LoadedView>>,
    /// The load running now, if one is.
    pub reading: Option<Rc<ReadingView>>,
    /// Something that went wrong with the reading, in plain words.
    pub problem: Option<String>,
    /// The tab shown.
    pub tab: Tab,
    /// How each report table is sorted, in tab order; `None`
    /// is report order (date, then request id).
    pub sort: [Option<SortOrder>; 4],
    /// The request whose detail is open, if one is.
    pub detail: Option<Rc<DetailTarget>>,
    /// The filters of each report, in tab order.
    pub filters: [ReportFilter; 4],
    /// The clock dates are shown on.
    pub clock: Clock,
    /// The tab the page's address named when it opened, shown when the
    /// first file is read.
    pub restored_tab: Option<Tab>,
    /// Bare words of the address (`no-worker`), kept in it.
    pub flags: Vec<String>,
}

impl PageState {
    /// The page as its address (`location.hash`) describes it: the tab to
    /// open on the first load, that report's filters, the clock.
    pub fn from_fragment(hash: &str) -> Self {
        let view = fragment::parse(hash);
        let mut state = PageState {
            clock: view.clock,
            restored_tab: view.tab,
            flags: view.flags,
            ..PageState::default()
        };
        let report = match view.tab {
            Some(Tab::Report(report)) => report,
            _ => ReportTab::PasswordReset,
        };
        state.filters[report.index()] = view.filter;
        state
    }

    /// The address fragment of what is shown, without `#`; the one the
    /// page opened with until something is loaded.
    pub fn fragment(&self) -> Option<String> {
        self.loaded.as_ref()?;
        let filter = match self.tab {
            Tab::Report(report) => self.filters[report.index()].clone(),
            Tab::Files => ReportFilter::default(),
        };
        Some(fragment::format(&ViewState {
            tab: Some(self.tab),
            filter,
            clock: self.clock,
            flags: self.flags.clone(),
        }))
    }
}

impl PageState {
    /// Shows the session as `snapshot` has it.
    fn show(&mut self, snapshot: Rc<Snapshot>) {
        if let Some(loaded) = &self.loaded
            && Rc::ptr_eq(&loaded.source, &snapshot)
        {
            return;
        }
        if snapshot.ledger.files.is_empty() {
            self.loaded = None;
            return;
        }
        // The first load opens on the first report; later files keep the
        // tab the user is looking at.
        if self.loaded.is_none() {
            self.tab = self
                .restored_tab
                .take()
                .unwrap_or(Tab::Report(ReportTab::PasswordReset));
        }
        self.loaded = Some(Rc::new(LoadedView::new(snapshot, self.clock)));
    }

    fn reading_mut(&mut self) -> &mut ReadingView {
        Rc::make_mut(self.reading.get_or_insert_with(Rc::default))
    }
}

/// Something that happened on the page.
#[derive(Clone, Debug, PartialEq)]
pub enum PageAction {
    /// Files were handed over for reading.
    FilesQueued(Vec<QueuedFile>),
    /// The file being read has come this far.
    ProgressReported(LoadProgress),
    /// A file was read; the load as it now stands.
    FileRead {
        /// The file's last progress.
        progress: LoadProgress,
        /// Reports and ledger of the session.
        snapshot: Rc<Snapshot>,
    },
    /// Nothing more is being read; the load as it now stands.
    ReadingFinished(Rc<Snapshot>),
    /// The user cancelled; `restoring_files` files are read again up to
    /// where they had come.
    ReadingCancelled {
        /// Files being read again; zero when nothing had been read.
        restoring_files: usize,
    },
    /// The reading went wrong in a way the user should know of.
    ReadingFailed(String),
    /// The user started over.
    Cleared,
    /// The user chose a tab.
    TabChosen(Tab),
    /// The user opened the detail of a request.
    DetailShown(Rc<DetailTarget>),
    /// The user closed the detail.
    DetailClosed,
    /// The user clicked a column heading of a report table.
    SortClicked {
        /// The table.
        report: ReportTab,
        /// The column, counted from 0.
        column: usize,
    },
    /// The user changed a report's filters.
    FilterChanged {
        /// The report.
        report: ReportTab,
        /// Its filters now.
        filter: ReportFilter,
    },
    /// The user chose the clock dates are shown on.
    ClockChosen(Clock),
}

impl Reducible for PageState {
    type Action = PageAction;

    fn reduce(self: Rc<Self>, action: PageAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            PageAction::FilesQueued(files) => {
                next.problem = None;
                let reading = next.reading_mut();
                reading
                    .files
                    .extend(files.into_iter().map(|file| FileProgressRow {
                        name: file.name,
                        total_bytes: file.size,
                        progress: None,
                        started_ms: 0,
                        done: false,
                    }));
            }
            PageAction::ProgressReported(progress) => {
                let row = next.reading_mut().current(&progress);
                row.progress = Some(progress);
            }
            PageAction::FileRead { progress, snapshot } => {
                let reading = next.reading_mut();
                reading.last_done_ms = progress.elapsed_ms;
                let row = reading.current(&progress);
                row.progress = Some(progress);
                row.done = true;
                next.show(snapshot);
            }
            PageAction::ReadingFinished(snapshot) => {
                next.reading = None;
                next.show(snapshot);
            }
            PageAction::ReadingCancelled { restoring_files } => {
                next.reading = (restoring_files > 0).then(|| {
                    Rc::new(ReadingView {
                        restoring: true,
                        ..ReadingView::default()
                    })
                });
            }
            PageAction::ReadingFailed(message) => next.problem = Some(message),
            PageAction::Cleared => {
                // Starting over keeps how the person likes to look at
                // reports: filters, clock, flags.
                next = PageState {
                    filters: next.filters,
                    clock: next.clock,
                    flags: next.flags,
                    ..PageState::default()
                }
            }
            PageAction::TabChosen(tab) => {
                next.tab = tab;
                next.detail = None;
            }
            PageAction::DetailShown(target) => next.detail = Some(target),
            PageAction::DetailClosed => next.detail = None,
            PageAction::SortClicked { report, column } => {
                let slot = &mut next.sort[report.index()];
                *slot = Some(SortOrder::after_click(*slot, column));
            }
            PageAction::FilterChanged { report, filter } => next.filters[report.index()] = filter,
            PageAction::ClockChosen(clock) => {
                next.clock = clock;
                if let Some(loaded) = &next.loaded
                    && loaded.clock != clock
                {
                    next.loaded = Some(Rc::new(LoadedView::new(loaded.source.clone(), clock)));
                }
            }
        }
        Rc::new(next)
    }
}
