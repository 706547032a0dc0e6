// The fixtures' edge set end to end in the page: each of its three loads
// (Event Viewer XML, PowerShell 5.1 JSON, Event Viewer CSV, both parts of
// each) gives the rows of expected.json in every report, marks the repaired
// requests, lists the request that lost a slice, and accounts for every
// event: overlapping parts become duplicates, nothing is dropped.
//
// Run with `node --test tests/browser/` after scripts/build-page.sh.

import assert from "node:assert/strict";
import { test } from "node:test";

import {
  closeQuietly,
  expected,
  openPage,
  openTab,
  pickFixtures,
  screenshot,
  tabCount,
  tableRows,
  useBrowser,
} from "./harness.mjs";

useBrowser();

const edge = expected("edge");

// The report tabs, with the key of expected.json that holds their rows.
const reports = [
  [/Password reset activity/, "password_reset_activity"],
  [/Password reset registration/, "password_reset_registration"],
  [/Self-service groups activity/, "self_service_groups"],
];

for (const load of edge.loads) {
  test(`the edge ${load.format} load, both parts, gives the expected rows and accounting`, async () => {
    const { page, record } = await openPage();
    await pickFixtures(
      page,
      load.files.map((file) => `edge/${file}`),
    );

    for (const [title, key] of reports) {
      const rows = edge.reports[key];
      assert.equal(await tabCount(page, title), rows.length, `${key} in the tab's count`);
      await openTab(page, title);
      const shown = (await tableRows(page)).map((row) => row.request).sort();
      assert.deepEqual(shown, rows.map((row) => row.request_id).sort(), key);
    }
    await openTab(page, /Other requests/);
    assert.equal(await tabCount(page, /Other requests/), edge.other_requests);
    const others = (await tableRows(page)).map((row) => row.request).sort();
    assert.deepEqual(others, [...edge.other_request_ids].sort());

    // Each repaired request is in its report with a marker naming the repair.
    for (const warning of edge.warnings) {
      const report = reports.find(([, key]) =>
        edge.reports[key].some((row) => row.request_id === warning.request_id),
      );
      assert.ok(report, `${warning.request_id} is in a report`);
      await openTab(page, report[0]);
      const marker = page.locator(`tr.report-row[data-request="${warning.request_id}"] .warning-marker`);
      assert.match(await marker.getAttribute("aria-label"), /^Read with repairs: .*trailing comma/);
    }

    await openTab(page, /Files & diagnostics/);
    const incomplete = page.locator("table.incomplete-table tbody tr");
    assert.equal(await incomplete.count(), edge.incomplete_requests.length);
    const lost = edge.incomplete_requests[0];
    const cells = await incomplete.first().locator("td").allTextContents();
    assert.deepEqual(cells.slice(0, 3), [lost.request_id, "1, 3 of 3", "2"]);
    // Events read, in requests, duplicates, incomplete, not request log, unreadable.
    const c = edge.counts;
    const totals = await page.locator("table.files-table tfoot td").allTextContents();
    assert.deepEqual(
      totals.slice(1),
      [c.events_read, c.request_events, c.duplicates, c.incomplete, c.not_request_log, c.unreadable].map(String),
    );
    assert.equal(
      c.events_read,
      c.request_events + c.duplicates + c.incomplete + c.not_request_log + c.unreadable,
    );
    await screenshot(page, `edge-${load.format}-files`);
    await closeQuietly(page, record);
  });
}
