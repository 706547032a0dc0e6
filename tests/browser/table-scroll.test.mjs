// A report table of tens of thousands of rows stays quick: only the rows
// near the view are in the document, scrolling reaches the last row,
// sorting and filtering answer at once, the arrow keys walk the rows, and
// printing draws the first rows with a note saying how many.
//
// MIM_TABLE_MB sets the size of the generated export (default 100 MB, about
// 16,000 rows of Other requests). Prints the figures the README quotes.

import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";

import {
  closeQuietly,
  openPage,
  openTab,
  screenshot,
  tabCount,
  useBrowser,
  waitForFiles,
  writeBigExport,
} from "./harness.mjs";

useBrowser();

const megabytes = Number(process.env.MIM_TABLE_MB ?? 100);
let workDir;
let bigFile;

before(() => {
  workDir = mkdtempSync(join(tmpdir(), "mim-reports-table-"));
  bigFile = join(workDir, "big-wevtutil.xml");
  writeBigExport(bigFile, megabytes);
});

after(() => {
  if (workDir) {
    rmSync(workDir, { recursive: true, force: true });
  }
});

// Runs `act` in the page and gives the milliseconds until the frame after
// it has been drawn.
async function timed(page, act) {
  return page.evaluate(async (source) => {
    const started = performance.now();
    const [selector, kind, value] = source;
    const element = document.querySelector(selector);
    if (kind === "click") {
      element.click();
    } else {
      element.value = value;
      element.dispatchEvent(new Event("input", { bubbles: true }));
    }
    await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
    return performance.now() - started;
  }, act);
}

// How many report rows the document holds now.
async function drawnRows(page) {
  return page.locator("table.report-table tbody tr.report-row").count();
}

// Scrolls the table to `where` (pixels, or "bottom") and waits two frames.
async function scrollTo(page, where) {
  await page.evaluate(async (where) => {
    const scroll = document.querySelector(".report-scroll");
    scroll.scrollTop = where === "bottom" ? scroll.scrollHeight : where;
    await new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
  }, where);
}

test("a table of tens of thousands of rows draws only what is in view and answers at once", async () => {
  const { page, record } = await openPage();

  const started = Date.now();
  await page.getByLabel("Choose export files").setInputFiles(bigFile);
  await waitForFiles(page, 1);
  const loaded = Date.now() - started;
  const rows = await tabCount(page, /Other requests/);
  assert.ok(rows > 10_000, `${rows} rows`);

  const tabStarted = Date.now();
  await openTab(page, /Other requests/);
  await page.locator("table.report-table tbody tr.report-row").first().waitFor();
  const firstRender = Date.now() - tabStarted;

  // Counts are written with their thousands grouped.
  assert.equal(await page.locator(".row-count").textContent(), `${rows.toLocaleString("en-US")} rows`);
  const table = page.locator("table.report-table");
  assert.equal(await table.getAttribute("aria-rowcount"), String(rows + 1));
  assert.ok((await drawnRows(page)) < 200, `${await drawnRows(page)} rows drawn at the top`);
  await screenshot(page, "big-table-top");

  // The middle, then the bottom: the last row is there, with its index.
  const height = await page.evaluate(() => document.querySelector(".report-scroll").scrollHeight);
  await scrollTo(page, height / 2);
  const middle = await page
    .locator("table.report-table tbody tr.report-row")
    .evaluateAll((all) => all.map((row) => Number(row.getAttribute("aria-rowindex"))));
  assert.ok(middle.length < 200, `${middle.length} rows drawn in the middle`);
  const middleRow = Math.round(rows / 2);
  assert.ok(middle[0] < middleRow && middleRow < middle[middle.length - 1], `rows ${middle[0]}..${middle.at(-1)}`);
  await scrollTo(page, "bottom");
  const last = page.locator("table.report-table tbody tr.report-row").last();
  assert.equal(await last.getAttribute("aria-rowindex"), String(rows + 1));
  assert.ok(await last.isVisible());
  assert.ok((await drawnRows(page)) < 200);
  await screenshot(page, "big-table-bottom");

  // Sorting by Target: the heading says so, the table is back at its top.
  const sortMs = await timed(page, ["th.col-target button.sort", "click"]);
  assert.equal(
    await page.getByRole("columnheader", { name: "Target", exact: true }).getAttribute("aria-sort"),
    "ascending",
  );
  assert.equal(await page.locator("tr.report-row").first().getAttribute("aria-rowindex"), "2");
  assert.ok(sortMs < 2_000, `sorted in ${sortMs} ms`);
  const reverseMs = await timed(page, ["th.col-target button.sort", "click"]);
  assert.ok(reverseMs < 2_000, `reversed in ${reverseMs} ms`);

  // A search that keeps about half the rows, then one that keeps none.
  const filterMs = await timed(page, ["#filter-text", "input", "a"]);
  const shown = Number(await table.getAttribute("aria-rowcount")) - 1;
  assert.ok(shown > 0 && shown <= rows, `${shown} rows after the search`);
  assert.ok(filterMs < 2_000, `filtered in ${filterMs} ms`);
  const clearMs = await timed(page, ["#filter-text", "input", ""]);
  assert.equal(await table.getAttribute("aria-rowcount"), String(rows + 1));

  // The arrow keys walk the rows, the window following the focus.
  await page.locator("tr.report-row").first().focus();
  for (let step = 0; step < 60; step++) {
    await page.keyboard.press("ArrowDown");
  }
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute("aria-rowindex")), "62");
  const focusedInView = await page.evaluate(() => {
    const scroll = document.querySelector(".report-scroll").getBoundingClientRect();
    const row = document.activeElement.getBoundingClientRect();
    return row.top >= scroll.top && row.bottom <= scroll.bottom;
  });
  assert.ok(focusedInView, "the focused row is in view");
  await page.keyboard.press("ArrowUp");
  assert.equal(await page.evaluate(() => document.activeElement.getAttribute("aria-rowindex")), "61");

  // Printing draws the first 5,000 rows and says so; then the window again.
  const printMs = await page.evaluate(async () => {
    const started = performance.now();
    window.dispatchEvent(new Event("beforeprint"));
    await new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
    return performance.now() - started;
  });
  assert.equal(await drawnRows(page), Math.min(rows, 5_000));
  if (rows > 5_000) {
    assert.equal(
      await page.locator(".print-limit").textContent(),
      `Printed: the first 5,000 of ${rows.toLocaleString("en-US")} rows, in the table's order.`,
    );
  }
  await page.evaluate(() => window.dispatchEvent(new Event("afterprint")));
  await page.waitForFunction(() => document.querySelectorAll("tr.report-row").length < 200);

  console.log(
    `table of ${rows} rows (${megabytes} MB export): load ${loaded} ms, first table render ${firstRender} ms, ` +
      `sort ${sortMs.toFixed(0)} ms, reverse ${reverseMs.toFixed(0)} ms, filter ${filterMs.toFixed(0)} ms, ` +
      `filter cleared ${clearMs.toFixed(0)} ms, print render of ${Math.min(rows, 5_000)} rows ${printMs.toFixed(0)} ms`,
  );
  await closeQuietly(page, record);
});
