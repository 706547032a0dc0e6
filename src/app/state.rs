//! The page's state and the named actions that change it, in one reducer.

use std::rc::Rc;

use yew::Reducible;

use mim_reports::ledger::Ledger;
use mim_reports::report::IncompleteSummary;

use super::load::Snapshot;
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
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LoadedView {
    /// The four tables, in tab order.
    pub tables: [Rc<TableData>; 4],
    /// Files, accounting and problems.
    pub ledger: Rc<Ledger>,
    /// Requests whose slices did not all come.
    pub incomplete: Rc<Vec<IncompleteSummary>>,
}

impl LoadedView {
    /// The view of a load.
    pub fn new(snapshot: &Snapshot) -> Self {
        let reports = &snapshot.reports;
        LoadedView {
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
        }
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

/// Everything the page shows, in one place.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PageState {
    /// The load so far; `None` before the first file and after Clear.
    pub loaded: Option<Rc<LoadedView>>,
    /// The name of the file being read, while one is.
    pub reading: Option<String>,
    /// The tab shown.
    pub tab: Tab,
    /// How each report table is sorted, in tab order; `None`
    /// is report order (date, then request id).
    pub sort: [Option<SortOrder>; 4],
}

/// Something that happened on the page.
#[derive(Clone, Debug, PartialEq)]
pub enum PageAction {
    /// A file is being read.
    ReadingStarted(String),
    /// A file was read; the load as it now stands.
    FileRead(Rc<Snapshot>),
    /// Every file handed over was read.
    ReadingFinished,
    /// The user started over.
    Cleared,
    /// The user chose a tab.
    TabChosen(Tab),
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
            PageAction::ReadingStarted(name) => next.reading = Some(name),
            PageAction::FileRead(snapshot) => {
                // The first load opens on the first report; later files keep
                // the tab the user is looking at.
                if next.loaded.is_none() {
                    next.tab = Tab::Report(ReportTab::PasswordReset);
                }
                next.loaded = Some(Rc::new(LoadedView::new(&snapshot)));
            }
            PageAction::ReadingFinished => next.reading = None,
            PageAction::Cleared => next = PageState::default(),
            PageAction::TabChosen(tab) => next.tab = tab,
            PageAction::SortClicked { report, column } => {
                let slot = &mut next.sort[report.index()];
                *slot = Some(SortOrder::after_click(*slot, column));
            }
        }
        Rc::new(next)
    }
}
