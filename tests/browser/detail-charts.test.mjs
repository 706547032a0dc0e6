// The charts above the reports and the detail of one row, on the single-file
// page opened from file://: the charts draw the fixture's days and results,
// and a sliced request's detail lists its slices with their record ids and
// shows the request read again from the file.

import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";

import {
  closeQuietly,
  fixtures,
  openPage,
  openTab,
  pickFixtures,
  screenshot,
  useBrowser,
} from "./harness.mjs";

useBrowser();

// A request of the basic set that MIM wrote in two 4137 slices, second
// slice first (see sliced_requests in basic/expected.json).
const SLICED = "e06276ff-7b4f-4402-930e-06e853d902a9";

// The record ids of the 4137 events of `requestId` in a wevtutil export, by
// slice number, read straight from the file.
function sliceRecords(path, requestId) {
  const text = readFileSync(join(fixtures, path), "utf8");
  const records = new Map();
  for (const event of text.split("<Event ").slice(1)) {
    const header = event.match(/Request:? '?([0-9a-fA-F-]{36})'?,? message (\d+) out of (\d+)/);
    if (/<EventID[^>]*>4137</.test(event) && header && header[1].toLowerCase() === requestId) {
      records.set(Number(header[2]), event.match(/<EventRecordID>(\d+)</)[1]);
    }
  }
  return records;
}

test("each report's charts draw its days and results, one path per result", async () => {
  const { page, record } = await openPage();
  await pickFixtures(page, ["basic/wevtutil.xml"]);

  // Password reset activity: 2024-01-04 to 2024-01-25, six results, five
  // methods (with "Not recorded").
  const activity = page.locator("figure.activity-chart");
  assert.equal(await activity.getAttribute("data-bars"), "22");
  assert.equal(await activity.getAttribute("data-period"), "day");
  assert.equal(await activity.locator("svg path.bar").count(), 6);
  assert.match(
    await activity.locator("svg").getAttribute("aria-label"),
    /22 requests per day from 2024-01-04 to 2024-01-25: 10 Success, 4 Failed/,
  );
  assert.equal(await page.locator("figure.mix-chart").getAttribute("data-kinds"), "5");
  assert.deepEqual(
    await page.locator("figure.mix-chart .mix-label").allTextContents(),
    ["One-time code by SMS", "Not recorded", "Questions and answers", "One-time code by email", "Phone call (MFA)"],
  );

  // The numbers behind the chart, on request: the 16 days with requests.
  await page.getByRole("button", { name: "Show the numbers" }).click();
  assert.equal(await activity.locator(".chart-numbers tbody tr").count(), 16);
  await screenshot(page, "charts-light");
  await page.emulateMedia({ colorScheme: "dark" });
  await screenshot(page, "charts-dark");
  await page.emulateMedia({ colorScheme: "light" });

  await openTab(page, /Password reset registration/);
  assert.equal(await activity.getAttribute("data-bars"), "29");
  assert.equal(await activity.locator("svg path.bar").count(), 1);

  await openTab(page, /Self-service groups activity/);
  assert.equal(await activity.getAttribute("data-bars"), "26");
  assert.equal(await activity.locator("svg path.bar").count(), 4);
  assert.deepEqual(await page.locator("figure.mix-chart .mix-label").allTextContents(), [
    "Join group",
    "Create group",
    "Leave group",
  ]);

  // Other requests has no charts.
  await openTab(page, /Other requests/);
  assert.equal(await page.locator("figure.chart").count(), 0);
  await closeQuietly(page, record);
});

// The basic wevtutil export 24 times, each copy 30 days after the one
// before (every date spelling moved), with fresh record ids and request
// GUIDs: two years of data.
function writeTwoYears(path) {
  const fixture = readFileSync(join(fixtures, "basic", "wevtutil.xml"), "utf8");
  const day = 24 * 60 * 60 * 1000;
  const moved = (y, m, d, copy) => new Date(Date.UTC(y, m - 1, d) + copy * 30 * day);
  const pad = (n) => String(n).padStart(2, "0");
  const copies = [];
  for (let copy = 0; copy < 24; copy++) {
    const prefix = (copy + 1).toString(16).padStart(8, "0");
    copies.push(
      fixture
        .replace(/<EventRecordID>(\d+)</g, (_, id) => `<EventRecordID>${(copy + 1) * 10_000_000 + Number(id)}<`)
        .replace(/[0-9a-f]{8}(-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/gi, (_, rest) => prefix + rest)
        .replace(/\b(\d{4})-(\d{2})-(\d{2})/g, (_, y, m, d) => {
          const t = moved(+y, +m, +d, copy);
          return `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
        })
        .replace(/\b(\d{1,2})\/(\d{1,2})\/(\d{4})\b/g, (_, m, d, y) => {
          const t = moved(+y, +m, +d, copy);
          return `${t.getUTCMonth() + 1}/${t.getUTCDate()}/${t.getUTCFullYear()}`;
        }),
    );
  }
  writeFileSync(path, copies.join("\r\n"));
}

test("two years of data are drawn per week in a handful of SVG elements", async () => {
  const dir = mkdtempSync(join(tmpdir(), "mim-reports-two-years-"));
  const path = join(dir, "two-years.xml");
  writeTwoYears(path);
  const { page, record } = await openPage();
  await page.getByLabel("Choose export files").setInputFiles(path);
  await page.locator('section.results[data-files-read="1"]').waitFor({ timeout: 60_000 });

  // 2024-01-04 to 2025-12-15 (712 days): the weeks from Monday 2024-01-01
  // to Monday 2025-12-15.
  const activity = page.locator("figure.activity-chart");
  assert.equal(await activity.getAttribute("data-period"), "week");
  assert.equal(await activity.getAttribute("data-bars"), "103");
  assert.match(
    await activity.locator("svg").getAttribute("aria-label"),
    /528 requests per week from week of 2024-01-01 to week of 2025-12-15: 240 Success/,
  );
  assert.equal(await activity.locator("svg path.bar").count(), 6);
  assert.ok((await activity.locator("svg *").count()) < 60, "a few dozen SVG elements");
  await screenshot(page, "charts-two-years");
  await closeQuietly(page, record);
  rmSync(dir, { recursive: true, force: true });
});

test("a sliced request's detail lists its slices with record ids and the request read again", async () => {
  const { page, record } = await openPage();
  await pickFixtures(page, ["basic/wevtutil.xml"]);
  const records = sliceRecords("basic/wevtutil.xml", SLICED);
  assert.equal(records.size, 2);

  const row = page.locator(`tr.report-row[data-request="${SLICED}"]`);
  await row.click();
  const dialog = page.getByRole("dialog", { name: `Request ${SLICED}` });
  await dialog.waitFor();
  const json = dialog.locator("pre.request-json");
  await json.waitFor({ timeout: 10_000 });

  const sources = dialog.locator("li.detail-source");
  assert.equal(await sources.count(), 2);
  const texts = await sources.allTextContents();
  // In slice order, each with its slice number, event id, record id, file
  // and byte.
  assert.match(texts[0], new RegExp(`^slice 1 of 2 · event 4137 · record ${records.get(1)} · wevtutil\\.xml, byte \\d+$`));
  assert.match(texts[1], new RegExp(`^slice 2 of 2 · event 4137 · record ${records.get(2)} · wevtutil\\.xml, byte \\d+$`));
  assert.equal(await sources.nth(0).getAttribute("data-record-id"), records.get(1));

  // The whole request, laid out: the slices joined, every key on its line.
  const text = await json.textContent();
  assert.match(text, /^\{\n {2}"/);
  assert.ok(text.toLowerCase().includes(`"${SLICED}"`), "the request's own id is in its JSON");
  assert.ok(text.length > 35_000, `the two slices make the whole request (${text.length} characters)`);
  assert.match(await dialog.locator(".detail-rule").textContent(), /^1a — /);

  await screenshot(page, "detail-light");
  await page.emulateMedia({ colorScheme: "dark" });
  await screenshot(page, "detail-dark");
  await page.emulateMedia({ colorScheme: "light" });

  // Esc closes it and the focus goes back to the row.
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "detached" });
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.request), SLICED);
  await closeQuietly(page, record);
});

test("the keyboard opens a row's detail and the close button returns to the row", async () => {
  const { page, record } = await openPage();
  // UTF-16 Event Viewer XML: the offsets are byte offsets of the UTF-16 file.
  await pickFixtures(page, ["basic/eventviewer.xml"]);
  await openTab(page, /Password reset registration/);

  // A registration row with two gate registrations folded into it.
  const id = "a11d441b-baeb-4be1-b16e-39b3181d6d1a";
  const folded = page.locator(`tr.report-row[data-request="${id}"]`);
  await folded.focus();
  await page.keyboard.press("Enter");
  const dialog = page.getByRole("dialog");
  await dialog.locator("pre.request-json").waitFor({ timeout: 10_000 });
  assert.match(await dialog.locator("li.detail-source").first().textContent(), /eventviewer\.xml, byte \d+/);
  assert.match(await dialog.locator(".detail-rule").textContent(), /^2a — /);

  await screenshot(page, "detail-registration");
  const related = dialog.locator(".folded-requests li");
  assert.deepEqual(await related.locator("code").allTextContents(), [
    "6cf73336-eeed-4167-84c9-bfa5032d4626",
    "c11c7869-c2b1-4bb0-83ab-75637d7bbf6d",
  ]);
  // A folded gate registration, and the row it was folded into.
  await related.first().getByRole("button", { name: "Show" }).click();
  await dialog.locator(".detail-related", { hasText: `registration row of request ${id}` }).waitFor();
  assert.equal(await dialog.locator(".request-id").textContent(), "6cf73336-eeed-4167-84c9-bfa5032d4626");
  assert.match(await dialog.locator(".detail-rule").textContent(), /^2b — /);
  await dialog.locator("pre.request-json").waitFor({ timeout: 10_000 });
  assert.match(await dialog.locator("pre.request-json").textContent(), /6cf73336-eeed-4167-84c9-bfa5032d4626/i);

  await dialog.getByRole("button", { name: "Close" }).click();
  await dialog.waitFor({ state: "detached" });
  assert.equal(await page.evaluate(() => document.activeElement?.dataset.request), id);
  await closeQuietly(page, record);
});
