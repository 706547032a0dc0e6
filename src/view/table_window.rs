//! Which rows of a long report table are drawn: the page keeps only the rows
//! in view, and a margin around them, in the document, and stands empty
//! space of the right height above and below them so that the scroll bar
//! stays that of the whole table.
//!
//! Every row has the same height, so where a row is follows from its
//! position alone. The window moves in steps of [`STEP_ROWS`], so scrolling
//! redraws the table once every so many rows, not on every scroll event.
//! A table taller than a browser can lay out ([`MAX_TABLE_HEIGHT`]) gets a
//! scroll bar of that height that spans every row: each pixel of scrolling
//! then moves more than a pixel's worth of rows.

/// Rows drawn beyond each edge of the view, so that scrolling shows drawn
/// rows before the window catches up.
pub const MARGIN_ROWS: usize = 50;

/// The window's start moves by this many rows at a time.
pub const STEP_ROWS: usize = 20;

/// The tallest table body, in CSS pixels, that the page lays out; browsers
/// stop laying out somewhere above 16 million pixels.
pub const MAX_TABLE_HEIGHT: f64 = 15_000_000.0;

/// Where the table is scrolled to, in CSS pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Viewport {
    /// How far the table's body is scrolled from its top.
    pub scroll_top: f64,
    /// The height of the body that is in view (the scroll box less its
    /// sticky heading row).
    pub height: f64,
    /// The height of one row.
    pub row_height: f64,
}

/// The rows to draw, and the space that stands for the others.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RowWindow {
    /// The position of the first row drawn.
    pub first: usize,
    /// One past the position of the last row drawn.
    pub end: usize,
    /// The height of the space above the first row drawn, in CSS pixels.
    pub space_above: f64,
    /// The height of the space below the last row drawn, in CSS pixels.
    pub space_below: f64,
}

impl RowWindow {
    /// Every row of `rows` drawn, with no space around them (for print).
    pub fn all(rows: usize) -> RowWindow {
        RowWindow {
            first: 0,
            end: rows,
            space_above: 0.0,
            space_below: 0.0,
        }
    }
}

/// The rows of a table of `rows` rows to draw when it is scrolled to
/// `viewport`.
pub fn row_window(rows: usize, viewport: Viewport) -> RowWindow {
    row_window_with_margin(rows, viewport, MARGIN_ROWS)
}

/// The rows to draw with `margin` rows (at most [`MARGIN_ROWS`]) beyond
/// each edge of the view: a table drawn anew starts with none and grows
/// its margin over the next tasks, so that no one task draws every row
/// of the window.
pub fn row_window_with_margin(rows: usize, viewport: Viewport, margin: usize) -> RowWindow {
    let margin = margin.min(MARGIN_ROWS);
    let row_height = if viewport.row_height.is_finite() && viewport.row_height >= 1.0 {
        viewport.row_height
    } else {
        1.0
    };
    let height = viewport.height.max(0.0);
    let scroll_top = viewport.scroll_top.max(0.0);
    // Rows that fit in the view, plus one cut at each edge.
    let in_view = (height / row_height).ceil() as usize + 1;
    let natural = rows as f64 * row_height;
    if natural <= MAX_TABLE_HEIGHT {
        let top = (scroll_top / row_height) as usize;
        // Without a margin, exactly the rows in view; with one, the window
        // starts on a step so that it moves only every so many rows.
        let (first, end) = if margin == 0 {
            let first = top.min(rows);
            (first, first.saturating_add(in_view).min(rows))
        } else {
            let first = (top.saturating_sub(margin) / STEP_ROWS * STEP_ROWS).min(rows);
            let end = first
                .saturating_add(in_view + 2 * margin + STEP_ROWS)
                .min(rows);
            (first, end)
        };
        return RowWindow {
            first,
            end,
            space_above: first as f64 * row_height,
            space_below: (rows - end) as f64 * row_height,
        };
    }
    // Taller than a browser lays out: the scroll range of the capped table
    // is spread evenly over the rows' own scroll range.
    let reach = (MAX_TABLE_HEIGHT - height).max(1.0);
    let scroll_top = scroll_top.min(reach);
    let position = scroll_top / reach * (natural - height).max(0.0);
    let top = ((position / row_height) as usize).min(rows.saturating_sub(1));
    let into_top_row = position - top as f64 * row_height;
    let first = top.saturating_sub(margin);
    let end = top.saturating_add(in_view + margin).min(rows);
    let space_above = (scroll_top - into_top_row - (top - first) as f64 * row_height).max(0.0);
    let drawn = (end - first) as f64 * row_height;
    RowWindow {
        first,
        end,
        space_above,
        space_below: (MAX_TABLE_HEIGHT - space_above - drawn).max(0.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(scroll_top: f64) -> Viewport {
        Viewport {
            scroll_top,
            height: 500.0,
            row_height: 30.0,
        }
    }

    /// The table's body height the window lays out.
    fn laid_out(window: RowWindow) -> f64 {
        window.space_above + (window.end - window.first) as f64 * 30.0 + window.space_below
    }

    /// The position of the row at the top edge of the view.
    fn row_at_top(window: RowWindow, scroll_top: f64) -> usize {
        window.first + ((scroll_top - window.space_above) / 30.0) as usize
    }

    #[test]
    fn a_short_table_is_drawn_whole() {
        for rows in [0, 1, 69] {
            assert_eq!(row_window(rows, at(0.0)), RowWindow::all(rows));
        }
    }

    #[test]
    fn a_long_table_draws_the_rows_in_view_and_a_margin() {
        // 500 px show rows 1000 to 1016 (17 rows, 18 with the one cut).
        let window = row_window(100_000, at(30_000.0));
        assert_eq!(window.first, 940);
        assert_eq!(window.end, 940 + 18 + 100 + 20);
        assert!(window.first + MARGIN_ROWS <= 1000);
        assert!(window.end >= 1018 + MARGIN_ROWS);
        assert_eq!(window.space_above, 940.0 * 30.0);
        assert_eq!(laid_out(window), 3_000_000.0);
        assert_eq!(row_at_top(window, 30_000.0), 1000);
    }

    #[test]
    fn without_a_margin_only_the_rows_in_view_are_drawn() {
        // 500 px show rows 1000 to 1016 (17 rows, 18 with the one cut).
        let window = row_window_with_margin(100_000, at(30_000.0), 0);
        assert_eq!(window.first, 1000);
        assert_eq!(window.end, 1000 + 18);
        assert_eq!(row_at_top(window, 30_000.0), 1000);
        assert_eq!(laid_out(window), 3_000_000.0);
        assert_eq!(
            row_window_with_margin(100_000, at(30_000.0), 500),
            row_window(100_000, at(30_000.0))
        );
    }

    #[test]
    fn the_window_moves_in_steps() {
        // Row 1010 at the top: the window starts 50 rows above, at 960.
        let start = row_window(100_000, at(1010.0 * 30.0));
        assert_eq!(start.first, 960);
        // Nineteen rows further down, the same rows are drawn.
        assert_eq!(row_window(100_000, at(1029.0 * 30.0)), start);
        let next = row_window(100_000, at(1030.0 * 30.0));
        assert_eq!(next.first, start.first + STEP_ROWS);
    }

    #[test]
    fn at_the_bottom_the_last_row_is_drawn() {
        let rows = 27_000;
        let bottom = rows as f64 * 30.0 - 500.0;
        let window = row_window(rows, at(bottom));
        assert_eq!(window.end, rows);
        assert_eq!(window.space_below, 0.0);
        assert_eq!(laid_out(window), rows as f64 * 30.0);
    }

    #[test]
    fn a_scroll_past_the_end_draws_no_row_beyond_it() {
        let window = row_window(100, at(1e9));
        assert_eq!(window.end, 100);
        assert!(window.first <= window.end);
        assert_eq!(window.space_below, 0.0);
    }

    #[test]
    fn a_million_rows_keep_a_height_browsers_lay_out_and_every_row_is_reachable() {
        let rows = 1_000_000;
        let reach = MAX_TABLE_HEIGHT - 500.0;
        let top = row_window(rows, at(0.0));
        assert_eq!((top.first, top.space_above), (0, 0.0));
        assert_eq!(laid_out(top), MAX_TABLE_HEIGHT);

        let middle = row_window(rows, at(reach / 2.0));
        assert_eq!(laid_out(middle), MAX_TABLE_HEIGHT);
        let shown = row_at_top(middle, reach / 2.0);
        assert!(
            (499_990..=500_000).contains(&shown),
            "row {shown} at the top"
        );

        let bottom = row_window(rows, at(reach));
        assert_eq!(bottom.end, rows);
        assert_eq!(bottom.space_below, 0.0);
        // The last row ends at the bottom edge of the view.
        let last_row_bottom = bottom.space_above + (bottom.end - bottom.first) as f64 * 30.0;
        assert!((last_row_bottom - (reach + 500.0)).abs() < 1e-6);
        assert!(bottom.end - bottom.first < 200);
    }

    #[test]
    fn a_row_height_not_yet_known_gives_a_window_still() {
        let window = row_window(
            1_000,
            Viewport {
                scroll_top: f64::NAN,
                height: -1.0,
                row_height: 0.0,
            },
        );
        assert_eq!(window.first, 0);
        assert!(window.end <= 1_000);
    }
}
