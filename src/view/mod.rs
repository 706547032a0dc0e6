//! What a person does with the reports on the page, as plain data that the
//! native tests can check: which report is shown ([`Tab`]), each report's
//! columns ([`columns`]), the filters over its rows ([`filter`]), the
//! counts of the rows shown ([`summary`]), the view written into and read
//! back from the page's address ([`fragment`]), and how dates are written
//! for people ([`dates`]); the charts' days, buckets, stacks, scales and
//! geometry ([`chart`]); and the re-reading of a row's events from the
//! user's file by byte range ([`reread`]); and which rows of a long table
//! are drawn as it scrolls ([`table_window`]); and the rows handed from the
//! reading worker to the page in pages ([`row_pages`]). The page's components only draw
//! what these give them.

pub mod chart;
pub mod columns;
pub mod dates;
pub mod filter;
pub mod fragment;
pub mod reread;
pub mod row_pages;
pub mod summary;
pub mod table_window;

/// One of the four tables of rows.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ReportTab {
    /// *Password reset activity*.
    PasswordReset,
    /// *Password reset registration*.
    Registration,
    /// *Self-service groups activity*.
    SelfServiceGroups,
    /// Requests no report rule matched.
    OtherRequests,
}

impl ReportTab {
    /// The four, left to right.
    pub const ALL: [ReportTab; 4] = [
        ReportTab::PasswordReset,
        ReportTab::Registration,
        ReportTab::SelfServiceGroups,
        ReportTab::OtherRequests,
    ];

    /// Position among the report tabs, left to right.
    pub fn index(self) -> usize {
        match self {
            ReportTab::PasswordReset => 0,
            ReportTab::Registration => 1,
            ReportTab::SelfServiceGroups => 2,
            ReportTab::OtherRequests => 3,
        }
    }

    /// The tab's title.
    pub fn title(self) -> &'static str {
        match self {
            ReportTab::PasswordReset => "Password reset activity",
            ReportTab::Registration => "Password reset registration",
            ReportTab::SelfServiceGroups => "Self-service groups activity",
            ReportTab::OtherRequests => "Other requests",
        }
    }
}

/// A tab of the page: a report, or the files read and the problems met.
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

    /// A short stable name, for element ids and the page's address.
    pub fn slug(self) -> &'static str {
        match self {
            Tab::Report(ReportTab::PasswordReset) => "password-reset",
            Tab::Report(ReportTab::Registration) => "registration",
            Tab::Report(ReportTab::SelfServiceGroups) => "groups",
            Tab::Report(ReportTab::OtherRequests) => "other",
            Tab::Files => "files",
        }
    }

    /// The tab of a slug, if it names one.
    pub fn from_slug(slug: &str) -> Option<Tab> {
        Tab::ALL.into_iter().find(|tab| tab.slug() == slug)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_slug_names_its_own_tab() {
        for tab in Tab::ALL {
            assert_eq!(Tab::from_slug(tab.slug()), Some(tab));
        }
        assert_eq!(
            Tab::from_slug("groups"),
            Some(Tab::Report(ReportTab::SelfServiceGroups))
        );
        assert_eq!(Tab::from_slug("Groups"), None);
        assert_eq!(Tab::from_slug(""), None);
    }
}
