//! The rows of a session handed from the reading worker to the page in
//! pages of a thousand rows, rather than as one text of every row.
//!
//! Each page is its own message, so the page decodes it in a task of its
//! own and its thread is never held for long; neither side ever holds the
//! whole session as one text. The worker takes the rows out of the
//! [`Reports`] with [`take_pages`] and sends what is left (counts, ledger,
//! incomplete requests) after the last page; the page adds the pages to a
//! [`RowAssembly`] as they come and [`RowAssembly::complete`]s the reports
//! when that remainder arrives.

use serde::{Deserialize, Serialize};

use crate::report::{GroupRow, OtherRow, PasswordResetRow, RegistrationRow, Reports};

/// Rows in one page: small enough that the page decodes a page in about
/// ten milliseconds even on a busy machine, large enough that a session of
/// a hundred thousand rows is about a hundred messages.
pub const ROWS_PER_PAGE: usize = 1_000;

/// A run of rows of one report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Page<R> {
    /// Rows the report has in all, so that the page makes room for them
    /// once, with the first page.
    pub total: usize,
    /// The rows, in report order, following those of the report's earlier
    /// pages.
    pub rows: Vec<R>,
}

/// A page of one of the four reports.
///
/// As JSON, the report comes first (`{"rows":"other-requests","page":…}`),
/// so that a page is decoded in one pass, row after row, without first
/// being held as a tree of values.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "rows", content = "page", rename_all = "kebab-case")]
pub enum RowPage {
    /// Rows of *Password reset activity*.
    PasswordReset(Page<PasswordResetRow>),
    /// Rows of *Password reset registration*.
    Registration(Page<RegistrationRow>),
    /// Rows of *Self-service groups activity*.
    SelfServiceGroups(Page<GroupRow>),
    /// Rows of *Other requests*.
    OtherRequests(Page<OtherRow>),
}

/// How a page's JSON text begins, which tells it from the worker's other
/// messages (those begin with their `kind`).
pub const PAGE_PREFIX: &str = r#"{"rows":"#;

impl RowPage {
    /// Rows in the page.
    pub fn len(&self) -> usize {
        match self {
            RowPage::PasswordReset(p) => p.rows.len(),
            RowPage::Registration(p) => p.rows.len(),
            RowPage::SelfServiceGroups(p) => p.rows.len(),
            RowPage::OtherRequests(p) => p.rows.len(),
        }
    }

    /// Whether the page has no row.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The pages of the rows taken out of a [`Reports`], report after report,
/// each report's rows in their order. Made by [`take_pages`].
#[derive(Debug)]
pub struct RowPages {
    per_page: usize,
    password_reset: Run<PasswordResetRow>,
    registration: Run<RegistrationRow>,
    groups: Run<GroupRow>,
    other: Run<OtherRow>,
}

/// One report's rows not yet paged, and how many it had.
#[derive(Debug)]
struct Run<R> {
    total: usize,
    rows: std::vec::IntoIter<R>,
}

impl<R> Run<R> {
    fn of(rows: Vec<R>) -> Self {
        Run {
            total: rows.len(),
            rows: rows.into_iter(),
        }
    }

    fn next_page(&mut self, per_page: usize) -> Option<Page<R>> {
        let rows: Vec<R> = self.rows.by_ref().take(per_page).collect();
        (!rows.is_empty()).then_some(Page {
            total: self.total,
            rows,
        })
    }
}

/// Takes the rows of the four reports out of `reports`, leaving their
/// lists empty and everything else in place, as pages of at most
/// `per_page` rows (at least one). A report without rows gives no page.
pub fn take_pages(reports: &mut Reports, per_page: usize) -> RowPages {
    RowPages {
        per_page: per_page.max(1),
        password_reset: Run::of(std::mem::take(&mut reports.password_reset_activity)),
        registration: Run::of(std::mem::take(&mut reports.password_reset_registration)),
        groups: Run::of(std::mem::take(&mut reports.self_service_groups)),
        other: Run::of(std::mem::take(&mut reports.other_requests)),
    }
}

impl Iterator for RowPages {
    type Item = RowPage;

    fn next(&mut self) -> Option<RowPage> {
        let n = self.per_page;
        self.password_reset
            .next_page(n)
            .map(RowPage::PasswordReset)
            .or_else(|| self.registration.next_page(n).map(RowPage::Registration))
            .or_else(|| self.groups.next_page(n).map(RowPage::SelfServiceGroups))
            .or_else(|| self.other.next_page(n).map(RowPage::OtherRequests))
    }
}

/// The rows of the pages received since the last complete reports.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RowAssembly {
    rows: Reports,
    /// Rows each report should have, as its pages said, in tab order.
    totals: [usize; 4],
}

/// The reports a [`RowAssembly`] was completed with do not have the rows
/// their pages announced: a page was lost on the way, or one came twice.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MissingRows {
    /// Rows announced, over the four reports.
    pub announced: usize,
    /// Rows received.
    pub received: usize,
}

impl std::fmt::Display for MissingRows {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.received < self.announced {
            write!(
                f,
                "{} of the {} rows read did not reach the page",
                self.announced - self.received,
                self.announced
            )
        } else {
            write!(
                f,
                "the page received {} rows where {} were read",
                self.received, self.announced
            )
        }
    }
}

impl RowAssembly {
    /// Adds a page after those of its report already received.
    pub fn add(&mut self, page: RowPage) {
        fn append<R>(list: &mut Vec<R>, total: &mut usize, page: Page<R>) {
            *total = page.total;
            // Room for the whole report at once, rather than doubling as
            // pages come, which would hold up to twice the rows. Only a
            // hint: a total too large to allocate leaves the list to grow.
            if list.is_empty() {
                let _ = list.try_reserve_exact(page.total.max(page.rows.len()));
            }
            list.extend(page.rows);
        }
        let r = &mut self.rows;
        let t = &mut self.totals;
        match page {
            RowPage::PasswordReset(p) => append(&mut r.password_reset_activity, &mut t[0], p),
            RowPage::Registration(p) => append(&mut r.password_reset_registration, &mut t[1], p),
            RowPage::SelfServiceGroups(p) => append(&mut r.self_service_groups, &mut t[2], p),
            RowPage::OtherRequests(p) => append(&mut r.other_requests, &mut t[3], p),
        }
    }

    /// Rows received so far.
    pub fn rows_received(&self) -> usize {
        self.received_per_report().iter().sum()
    }

    /// Puts the rows received into `head` (the reports as sent without
    /// their rows) and starts afresh. Fails, after doing so, when a report
    /// got fewer or more rows than its pages announced.
    pub fn complete(&mut self, head: &mut Reports) -> Result<(), MissingRows> {
        let received = self.rows_received();
        let announced = self
            .totals
            .iter()
            .fold(0, |sum: usize, &t| sum.saturating_add(t));
        let each_as_announced = self.received_per_report() == self.totals;
        let rows = std::mem::take(self);
        head.password_reset_activity = rows.rows.password_reset_activity;
        head.password_reset_registration = rows.rows.password_reset_registration;
        head.self_service_groups = rows.rows.self_service_groups;
        head.other_requests = rows.rows.other_requests;
        if !each_as_announced {
            return Err(MissingRows {
                announced,
                received,
            });
        }
        Ok(())
    }

    /// Rows received per report, in tab order.
    fn received_per_report(&self) -> [usize; 4] {
        let r = &self.rows;
        [
            r.password_reset_activity.len(),
            r.password_reset_registration.len(),
            r.self_service_groups.len(),
            r.other_requests.len(),
        ]
    }

    /// Forgets the rows received.
    pub fn clear(&mut self) {
        *self = RowAssembly::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Analysis;

    fn sample_reports() -> Reports {
        let mut analysis = Analysis::new();
        let sample = include_bytes!("../../www/sample/contoso-request-log.xml");
        analysis.read_file("sample.xml", None, &sample[..]);
        analysis.reports()
    }

    fn row_counts(r: &Reports) -> [usize; 4] {
        [
            r.password_reset_activity.len(),
            r.password_reset_registration.len(),
            r.self_service_groups.len(),
            r.other_requests.len(),
        ]
    }

    #[test]
    fn pages_sent_as_json_and_assembled_give_the_reports_back() {
        let whole = sample_reports();
        assert!(
            row_counts(&whole).iter().all(|&n| n > 3),
            "{:?}",
            row_counts(&whole)
        );
        let mut head = whole.clone();

        let pages: Vec<String> = take_pages(&mut head, 3)
            .map(|page| serde_json::to_string(&page).unwrap())
            .collect();
        let head_text = serde_json::to_string(&head).unwrap();
        let mut assembly = RowAssembly::default();
        for text in &pages {
            assert!(text.starts_with(PAGE_PREFIX), "{}", &text[..40]);
            assembly.add(serde_json::from_str(text).unwrap());
        }
        let mut received: Reports = serde_json::from_str(&head_text).unwrap();

        assert_eq!(assembly.complete(&mut received), Ok(()));
        // As the whole reports sent as one text would have come.
        let whole_sent: Reports =
            serde_json::from_str(&serde_json::to_string(&whole).unwrap()).unwrap();
        assert_eq!(received, whole_sent);
        assert_eq!(assembly.rows_received(), 0);
    }

    #[test]
    fn the_head_keeps_everything_but_the_rows() {
        let whole = sample_reports();
        let mut head = whole.clone();

        let pages = take_pages(&mut head, 1000).count();

        assert_eq!(pages, 4);
        assert_eq!(row_counts(&head), [0, 0, 0, 0]);
        assert_eq!(head.counts, whole.counts);
        assert_eq!(head.requests, whole.requests);
        assert_eq!(head.incomplete_requests, whole.incomplete_requests);
    }

    #[test]
    fn a_page_holds_at_most_its_rows_and_announces_the_report_total() {
        let mut reports = sample_reports();
        let total = reports.other_requests.len();

        let pages: Vec<RowPage> = take_pages(&mut reports, 2)
            .filter(|p| matches!(p, RowPage::OtherRequests(_)))
            .collect();

        assert_eq!(pages.len(), total.div_ceil(2));
        assert!(pages.iter().all(|p| (1..=2).contains(&p.len())));
        assert!(pages.iter().all(|p| match p {
            RowPage::OtherRequests(p) => p.total == total,
            _ => false,
        }));
    }

    #[test]
    fn reports_without_rows_give_no_page() {
        let mut empty = Reports::default();

        assert_eq!(take_pages(&mut empty, ROWS_PER_PAGE).count(), 0);
        let mut assembly = RowAssembly::default();
        assert_eq!(assembly.complete(&mut empty), Ok(()));
    }

    #[test]
    fn a_lost_page_is_reported_and_the_rows_that_came_are_kept() {
        let mut head = sample_reports();
        let total = row_counts(&head).iter().sum::<usize>();
        let mut assembly = RowAssembly::default();

        for page in take_pages(&mut head, 2).skip(1) {
            assembly.add(page);
        }

        assert_eq!(
            assembly.complete(&mut head),
            Err(MissingRows {
                announced: total,
                received: total - 2,
            })
        );
        assert_eq!(row_counts(&head).iter().sum::<usize>(), total - 2);
    }

    #[test]
    fn a_page_that_came_twice_is_reported_too() {
        let mut head = sample_reports();
        let total = row_counts(&head).iter().sum::<usize>();
        let pages: Vec<RowPage> = take_pages(&mut head, 2).collect();
        let mut assembly = RowAssembly::default();

        for page in &pages {
            assembly.add(page.clone());
        }
        assembly.add(pages[0].clone());

        let error = assembly.complete(&mut head).unwrap_err();
        assert_eq!(
            error,
            MissingRows {
                announced: total,
                received: total + 2,
            }
        );
        assert_eq!(
            error.to_string(),
            format!(
                "the page received {} rows where {total} were read",
                total + 2
            )
        );
    }

    #[test]
    fn one_report_short_and_another_long_is_no_balance() {
        let mut head = sample_reports();
        let mut assembly = RowAssembly::default();
        let pages: Vec<RowPage> = take_pages(&mut head, 2).collect();
        let first_other = pages
            .iter()
            .position(|p| matches!(p, RowPage::OtherRequests(_)))
            .unwrap();

        // The first page of password resets lost, one of Other requests twice.
        for page in pages.iter().skip(1) {
            assembly.add(page.clone());
        }
        assembly.add(pages[first_other].clone());

        assert!(assembly.complete(&mut head).is_err());
    }

    #[test]
    fn a_total_too_large_to_hold_is_only_a_hint() {
        let mut assembly = RowAssembly::default();
        assembly.add(RowPage::OtherRequests(Page {
            total: usize::MAX,
            rows: Vec::new(),
        }));
        assembly.add(RowPage::SelfServiceGroups(Page {
            total: usize::MAX,
            rows: Vec::new(),
        }));

        let mut head = Reports::default();
        assert_eq!(
            assembly.complete(&mut head),
            Err(MissingRows {
                announced: usize::MAX,
                received: 0,
            })
        );
    }
}
