// Working with a report on the single-file page from file://: filters and
// their counts, the view kept in the address across a reload, the CSV
// export of the filtered rows, the UTC/local clock, the print layout, an
// axe-core accessibility check of every tab, and screenshots of every tab
// in the light and the dark theme.
//
// The browser runs in Paris time, so local dates read +01:00 in January.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import test from "node:test";

import {
  closeQuietly,
  expected,
  openPage,
  openTab,
  pageUrl,
  pickFixtures,
  screenshot,
  tableCells,
  tableRows,
  useBrowser,
} from "./harness.mjs";

useBrowser({ timezoneId: "Europe/Paris" });

const basic = expected("basic");
const resets = basic.reports.password_reset_activity;
const groups = basic.reports.self_service_groups;
const tabs = [
  /Password reset activity/,
  /Password reset registration/,
  /Self-service groups activity/,
  /Other requests/,
  /Files & diagnostics/,
];

async function rowKeys(page) {
  return (await tableRows(page)).map((row) => row.request);
}

test("filtering by result shows the rows of that result and counts them", async () => {
  const { page, record } = await openPage();
  await pickFixtures(page, ["basic/wevtutil.xml"]);
  const failed = resets.filter((row) => row.result === "Failed");
  assert.equal(failed.length, 4);

  await page.getByLabel("Result", { exact: true }).selectOption("Failed");

  assert.deepEqual(await rowKeys(page), failed.map((row) => row.request_id));
  assert.equal(await page.locator(".row-count").textContent(), "4 of 22 rows");
  assert.deepEqual(await page.locator(".summary-group").first().locator("li").allTextContents(), [
    "Failed 4",
  ]);
  assert.match(page.url(), /#tab=password-reset&result=Failed$/);

  // Free text narrows further, over every column, case aside.
  const user = failed[1].user;
  await page.getByLabel("Search every column").fill(user.toUpperCase());
  const withUser = failed.filter((row) => row.user === user);
  assert.deepEqual(await rowKeys(page), withUser.map((row) => row.request_id));

  await page.getByRole("button", { name: "Clear filters" }).click();
  assert.equal((await tableCells(page)).length, 22);
  assert.equal(await page.locator(".row-count").textContent(), "22 rows");
  await closeQuietly(page, record);
});

test("the last 7 days of the data count back from the report's latest row", async () => {
  const { page, record } = await openPage();
  await pickFixtures(page, ["basic/wevtutil.xml"]);
  const latest = resets.map((row) => row.date).sort().at(-1).slice(0, 10);
  assert.equal(latest, "2024-01-25");
  const week = resets.filter((row) => row.date.slice(0, 10) >= "2024-01-19");

  await page.getByLabel("Dates").selectOption({ label: "Last 7 days of the data" });

  assert.deepEqual(await rowKeys(page), week.map((row) => row.request_id));
  await page.getByLabel("Dates").selectOption("custom");
  await page.getByLabel("From (UTC)").fill("2024-01-10");
  await page.getByLabel("To (UTC)").fill("2024-01-20");
  const range = resets.filter((row) => row.date.slice(0, 10) >= "2024-01-10" && row.date.slice(0, 10) <= "2024-01-20");
  assert.equal(range.length, 11);
  assert.deepEqual(await rowKeys(page), range.map((row) => row.request_id));
  assert.match(page.url(), /range=custom&from=2024-01-10&to=2024-01-20/);
  await closeQuietly(page, record);
});

test("the address keeps the view: after a reload, the same file opens on it", async () => {
  const { page, record } = await openPage();
  await pickFixtures(page, ["basic/wevtutil.xml"]);
  await openTab(page, /Self-service groups activity/);
  await page.getByLabel("Action", { exact: true }).selectOption("Join group");
  await page.getByLabel("Show times in").selectOption("local");
  const joins = groups.filter((row) => row.action === "Join group");
  assert.equal(joins.length, 10);
  assert.match(page.url(), /#tab=groups&action=Join\+group&time=local$/);

  // A reload forgets the files (nothing is kept anywhere) but not the view.
  await page.reload();
  await page.getByRole("heading", { name: "MIM request reports" }).waitFor();
  assert.match(page.url(), /#tab=groups&action=Join\+group&time=local$/);
  await pickFixtures(page, ["basic/wevtutil.xml"]);

  assert.equal(
    await page.getByRole("tab", { name: /Self-service groups activity/ }).getAttribute("aria-selected"),
    "true",
  );
  assert.equal(await page.getByLabel("Action", { exact: true }).inputValue(), "Join group");
  assert.deepEqual(await rowKeys(page), joins.map((row) => row.request_id));
  assert.match((await tableCells(page))[0][0], /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+01:00$/);
  await closeQuietly(page, record);
});

test("a bookmarked address opens Other requests filtered; unknown or bad values are ignored", async () => {
  const { page, record } = await openPage();
  // Only the fragment changes, so the page is loaded again to read it.
  await page.goto(`${pageUrl}#tab=other&operation=Delete&colour=red&time=mars&from=2024-99-99`);
  await page.reload();
  await page.getByRole("heading", { name: "MIM request reports" }).waitFor();
  await pickFixtures(page, ["basic/wevtutil.xml"]);

  assert.equal(
    await page.getByRole("tab", { name: /Other requests/ }).getAttribute("aria-selected"),
    "true",
  );
  const rows = await tableCells(page);
  assert.equal(rows.length, 3);
  assert.ok(rows.every((cells) => cells[1] === "Delete"));
  assert.equal(await page.locator(".row-count").textContent(), "3 of 69 rows");
  assert.match(rows[0][0], / UTC$/);
  assert.equal(await page.getByLabel("Dates").inputValue(), "all");
  // The address is rewritten with what applies, nothing else.
  assert.match(page.url(), /#tab=other&operation=Delete$/);

  // The other facets of Other requests filter too.
  await page.getByLabel("Operation", { exact: true }).selectOption("");
  await page.getByLabel("Target type", { exact: true }).selectOption("Group");
  const groupRows = await tableCells(page);
  assert.ok(groupRows.length > 0 && groupRows.length < 69);
  assert.ok(groupRows.every((cells) => cells[2] === "Group"));
  await closeQuietly(page, record);
});

// RFC 4180 CSV, as the engine writes it.
function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else {
      cell += c;
    }
  }
  if (cell !== "" || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

test("Export CSV downloads the filtered rows, in the table's order", async () => {
  const { page, record } = await openPage();
  await pickFixtures(page, ["basic/wevtutil.xml"]);
  await page.getByLabel("Method", { exact: true }).selectOption("One-time code by SMS");
  // Sorted by user, descending: the export follows the table.
  const user = page.getByRole("columnheader", { name: "User" }).getByRole("button");
  await user.click();
  await user.click();
  const shown = await tableCells(page);
  const keys = await rowKeys(page);
  assert.equal(shown.length, 7);

  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Export CSV" }).click(),
  ]);
  assert.equal(download.suggestedFilename(), "password-reset-activity.csv");
  const bytes = readFileSync(await download.path());
  assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf]);
  const [heading, ...rows] = parseCsv(bytes.subarray(3).toString("utf8"));
  assert.deepEqual(heading, [
    "Date", "User", "Account", "Role", "Methods used", "Result", "Details", "Rule", "Source", "Request ID", "Warning",
  ]);
  assert.deepEqual(rows.map((row) => row[9]), keys);
  // Same cells as the table, dates in ISO 8601 UTC and lists joined by "; ".
  for (const [i, row] of rows.entries()) {
    const cells = shown[i];
    const source = resets.find((r) => r.request_id === keys[i]);
    assert.equal(row[0], source.date);
    assert.equal(cells[0], `${source.date.slice(0, 10)} ${source.date.slice(11, 19)} UTC`);
    // The table's dash for a missing value is an empty cell in the CSV.
    assert.deepEqual(row.slice(1, 4), cells.slice(1, 4).map((c) => (c === "\u2014" ? "" : c)));
    assert.equal(row[4], source.methods.join("; "));
    assert.equal(row[5], cells[5]);
    assert.ok(row[7].startsWith(`${cells[7]} `), `${row[7]} names rule ${cells[7]}`);
    assert.equal(row[8], "On-premises (MIM)");
    assert.equal(row[8], cells[8]);
  }

  const [json] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Export JSON" }).click(),
  ]);
  const exported = JSON.parse(readFileSync(await json.path(), "utf8"));
  assert.deepEqual(exported.map((row) => row.request_id), keys);
  await closeQuietly(page, record);
});

test("the clock switches dates between UTC and local time, offset shown", async () => {
  const { page, record } = await openPage();
  await pickFixtures(page, ["basic/wevtutil.xml"]);
  // 2024-01-04T15:41:31.748Z, the first password reset.
  assert.equal((await tableCells(page))[0][0], "2024-01-04 15:41:31 UTC");

  await page.getByLabel("Show times in").selectOption("local");
  assert.equal((await tableCells(page))[0][0], "2024-01-04 16:41:31 +01:00");
  assert.equal(
    await page.getByLabel("Show times in").locator("option:checked").textContent(),
    "Local time (UTC+01:00)",
  );
  assert.match(page.url(), /time=local/);

  // The choice holds across tabs.
  await openTab(page, /Password reset registration/);
  assert.match((await tableCells(page))[0][0], / \+01:00$/);
  await page.getByLabel("Show times in").selectOption("utc");
  assert.match((await tableCells(page))[0][0], / UTC$/);
  await closeQuietly(page, record);
});

test("the print layout shows the title, the filters and the table, not the controls", async () => {
  const { page, record } = await openPage();
  await pickFixtures(page, ["basic/wevtutil.xml"]);
  await page.getByLabel("Result", { exact: true }).selectOption("Failed");
  await page.emulateMedia({ media: "print" });

  assert.equal(await page.locator(".filter-bar").isVisible(), false);
  assert.equal(await page.locator(".tabs").isVisible(), false);
  assert.equal(await page.getByRole("button", { name: "Export CSV" }).isVisible(), false);
  assert.equal(await page.locator(".print-heading h2").textContent(), "Password reset activity");
  assert.equal(await page.locator(".print-heading p").textContent(), "Filters: Result: Failed");
  assert.equal(await page.locator("table.report-table").isVisible(), true);
  await screenshot(page, "print-password-reset");
  await page.emulateMedia({ media: "screen" });
  await closeQuietly(page, record);
});

const axeSource = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

// Runs axe-core in the page. Playwright's evaluate runs through the
// DevTools protocol, which the page's Content-Security-Policy does not
// govern, so the shipped policy stays as strict as it is.
async function seriousViolations(page) {
  await page.evaluate(axeSource);
  const results = await page.evaluate(() =>
    window.axe.run(document, { resultTypes: ["violations"] }),
  );
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
}

for (const scheme of ["light", "dark"]) {
  test(`every tab passes axe-core with no serious violation (${scheme} theme), screenshots`, async () => {
    const { page, record } = await openPage();
    await page.emulateMedia({ colorScheme: scheme });
    assert.deepEqual(await seriousViolations(page), [], "before any file");
    await pickFixtures(page, ["basic/wevtutil.xml"]);
    for (const title of tabs) {
      await openTab(page, title);
      assert.deepEqual(await seriousViolations(page), [], `${title}`);
      const slug = await page.locator('[role="tabpanel"]').getAttribute("id");
      await screenshot(page, `${slug}-${scheme}`);
    }
    // Filtered, for the README.
    await openTab(page, tabs[0]);
    await page.getByLabel("Result", { exact: true }).selectOption("Success");
    assert.deepEqual(await seriousViolations(page), [], "filtered");
    await screenshot(page, `filtered-${scheme}`, { fullPage: true });
    // The keyboard reaches the tabs: arrows move and select.
    await page.getByRole("tab", { name: tabs[0] }).focus();
    await page.keyboard.press("ArrowRight");
    assert.equal(
      await page.getByRole("tab", { name: tabs[1] }).evaluate((el) => el === document.activeElement),
      true,
    );
    await closeQuietly(page, record);
  });
}
