//! The page's state and the named actions that change it, in one reducer.

use std::rc::Rc;

use yew::Reducible;

use mim_reports::ledger::Ledger;
use mim_reports::report::{IncompleteSummary, SourceCounts, counts_by_source};
use mim_reports::view::chart::ChartRow;

use super::detail::DetailTarget;

use super::load::{LoadProgress, QueuedFile, Snapshot};
use super::tables::{self, ReportTab, SortOrder, TableData};

/// A tab of the page.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tab {
    /// One of the report tables.
    Report(ReportTab),
    /// The files read and the problems met.
    #[default]
    Files,
}

impl Tab {
    /// Every tab, in the order shown.
    pub const ALL: [Tab; 5] = [
        Tab::Report(ReportTab::PasswordReset),
        Tab::Report(ReportTab::Registration),
        Tab::Report(ReportTab::SelfServiceGroups),
        Tab::Report(ReportTab::OtherRequests),
        Tab::Files,
    ];

    /// The tab's title.
    pub fn title(self) -> &'static str {
        match self {
            Tab::Report(report) => report.title(),
            Tab::Files => "Files & diagnostics",
        }
    }

    /// A short stable name, for element ids.
    pub fn slug(self) -> &'static str {
        match self {
            Tab::Report(ReportTab::PasswordReset) => "password-reset",
            Tab::Report(ReportTab::Registration) => "registration",
            Tab::Report(ReportTab::SelfServiceGroups) => "groups",
            Tab::Report(ReportTab::OtherRequests) => "other",
            Tab::Files => "files",
        }
    }
}

/// What the page shows of a load: the tables, built once per file read.
#[derive(Clone, Debug, PartialEq)]
pub struct LoadedView {
    /// The snapshot the view was built from, so that the same snapshot sent
    /// twice (after a file and at the end) is not built twice.
    pub source: Rc<Snapshot>,
    /// The four tables, in tab order.
    pub tables: [Rc<TableData>; 4],
    /// Files, accounting and problems.
    pub ledger: Rc<Ledger>,
    /// Requests whose slices did not all come.
    pub incomplete: Rc<Vec<IncompleteSummary>>,
    /// The rows of the three reports as the charts see them, in tab order.
    pub charts: [Rc<Vec<ChartRow>>; 3],
    /// The names of the files read, by file index.
    pub file_names: Rc<Vec<String>>,
    /// The rows of each report by source (on-premises, cloud).
    pub by_source: Rc<Vec<SourceCounts>>,
}

impl LoadedView {
    /// The view of a load.
    pub fn new(snapshot: Rc<Snapshot>) -> Self {
        let reports = &snapshot.reports;
        LoadedView {
            source: snapshot.clone(),
            tables: [
                Rc::new(tables::password_reset_table(
                    &reports.password_reset_activity,
                )),
                Rc::new(tables::registration_table(
                    &reports.password_reset_registration,
                )),
                Rc::new(tables::groups_table(&reports.self_service_groups)),
                Rc::new(tables::other_requests_table(&reports.other_requests)),
            ],
            ledger: Rc::new(snapshot.ledger.clone()),
            incomplete: Rc::new(reports.incomplete_requests.clone()),
            charts: [
                Rc::new(
                    reports
                        .password_reset_activity
                        .iter()
                        .map(ChartRow::from)
                        .collect(),
                ),
                Rc::new(
                    reports
                        .password_reset_registration
                        .iter()
                        .map(ChartRow::from)
                        .collect(),
                ),
                Rc::new(
                    reports
                        .self_service_groups
                        .iter()
                        .map(ChartRow::from)
                        .collect(),
                ),
            ],
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

    /// The rows a report's charts draw; `None` for Other requests, which
    /// has no charts.
    pub fn chart_rows(&self, report: ReportTab) -> Option<&Rc<Vec<ChartRow>>> {
        self.charts.get(report.index())
    }

    /// The table of one report.
    pub fn table(&self, report: ReportTab) -> &Rc<TableData> {
        &self.tables[report.index()]
    }

    /// The number shown on a tab: rows of a report, or problems met.
    pub fn count(&self, tab: Tab) -> usize {
        match tab {
            Tab::Report(report) => self.table(report).rows.len(),
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
            self.tab = Tab::Report(ReportTab::PasswordReset);
        }
        self.loaded = Some(Rc::new(LoadedView::new(snapshot)));
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
            PageAction::Cleared => next = PageState::default(),
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
        }
        Rc::new(next)
    }
}
