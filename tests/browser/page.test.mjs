// Drives the single-file page (dist/mim-reports.html) opened from file:// in
// the system Chromium, as a user who double-clicks the file would see it.
//
// Run with `node --test tests/browser/` after scripts/build-page.sh.

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";

import {
  closeQuietly,
  expected,
  fixtures,
  inOrder,
  openPage,
  openTab,
  pickFixtures,
  screenshot,
  sortKey,
  tabCount,
  tableCells,
  useBrowser,
  waitForFiles,
} from "./harness.mjs";

useBrowser();

test("before any file the page says what to drop and that nothing leaves the machine", async () => {
  const { page, record } = await openPage();

  const zone = page.locator(".drop-zone");
  assert.match(await zone.textContent(), /Event Viewer XML, CSV or EVTX, wevtutil XML, PowerShell JSON/);
  assert.match(await zone.textContent(), /Winlogbeat, NXLog and Microsoft\s+Sentinel/);
  assert.match(await zone.textContent(), /nothing leaves this computer/);
  assert.equal(await page.getByRole("tab").count(), 0);
  await screenshot(page, "empty-state");
  await closeQuietly(page, record);
});

test("two overlapping exports give the four tables with the expected rows", async () => {
  const { page, record } = await openPage();
  const basic = expected("basic");

  await pickFixtures(page, ["basic/eventviewer.xml", "basic/ps51-getwinevent.json"]);

  assert.equal(await tabCount(page, /Password reset activity/), 22);
  assert.equal(await tabCount(page, /Password reset registration/), 9);
  assert.equal(await tabCount(page, /Self-service groups activity/), 15);
  assert.equal(await tabCount(page, /Other requests/), 69);

  // Password reset activity opens first.
  assert.equal(await page.locator(".row-count").textContent(), "22 rows");
  const resets = await tableCells(page);
  const first = basic.reports.password_reset_activity[0];
  assert.equal(resets.length, 22);
  assert.deepEqual(resets[0].slice(0, 7), [
    "2024-01-04 15:41:31 UTC",
    first.user,
    first.account,
    first.role,
    first.methods.join(", ") || "Not recorded",
    first.result,
    first.details,
  ]);
  assert.equal(resets[0][7], "1a");
  // The account may break after its domain; the break adds no character.
  const account = page.locator("table.report-table tbody tr.report-row").first().locator("td").nth(2);
  assert.equal(await account.locator("wbr").count(), 1);
  assert.equal(await account.textContent(), first.account);
  assert.match(
    await page.locator("table.report-table tbody tr.report-row td").nth(7).getAttribute("title"),
    /ResetPassword/,
  );
  await screenshot(page, "tab-password-reset");

  await openTab(page, /Password reset registration/);
  const registrations = await tableCells(page);
  const firstRegistration = basic.reports.password_reset_registration[0];
  assert.equal(registrations.length, 9);
  assert.deepEqual(registrations[0].slice(1, 7), [
    firstRegistration.user,
    firstRegistration.account,
    firstRegistration.role,
    firstRegistration.registration_activity,
    firstRegistration.methods.join(", "),
    firstRegistration.result,
  ]);
  await screenshot(page, "tab-registration");

  await openTab(page, /Self-service groups activity/);
  const groups = await tableCells(page);
  const firstGroup = basic.reports.self_service_groups[0];
  assert.equal(groups.length, 15);
  assert.deepEqual(groups[0].slice(1, 6), [
    firstGroup.group,
    firstGroup.action,
    firstGroup.requestor,
    firstGroup.account,
    firstGroup.result,
  ]);
  await screenshot(page, "tab-groups");

  await openTab(page, /Other requests/);
  assert.equal((await tableCells(page)).length, 69);
  assert.equal(await page.locator(".row-count").textContent(), "69 rows");
  await screenshot(page, "tab-other");

  await openTab(page, /Files & diagnostics/);
  const files = page.locator("table.files-table tbody tr");
  assert.equal(await files.count(), 2);
  const total = page.locator("table.files-table tfoot tr");
  // Events read, in requests, duplicates, incomplete, not request log, unreadable.
  const totals = await total.locator("td").allTextContents();
  assert.deepEqual(totals.slice(1), ["258", "125", "129", "0", "4", "0"]);
  assert.match(await page.locator("table.files-table tfoot td").first().textContent(), /^\d{1,3}(,\d{3})+$/);
  await screenshot(page, "tab-files");
  await closeQuietly(page, record);
});

test("a column heading sorts its table, and a second click reverses it", async () => {
  const { page, record } = await openPage();
  await pickFixtures(page, ["basic/wevtutil.xml"]);

  const user = page.getByRole("columnheader", { name: "User" });
  assert.equal(await user.getAttribute("aria-sort"), "none");
  await user.getByRole("button").click();
  assert.equal(await user.getAttribute("aria-sort"), "ascending");
  const up = (await tableCells(page)).map((cells) => sortKey(cells[1]));
  assert.equal(up.length, 22);
  assert.ok(inOrder(up), `not ascending: ${up}`);

  await user.getByRole("button").click();
  assert.equal(await user.getAttribute("aria-sort"), "descending");
  const down = (await tableCells(page)).map((cells) => sortKey(cells[1]));
  assert.ok(inOrder([...down].reverse()), `not descending: ${down}`);
  assert.notDeepEqual(down, up);
  await closeQuietly(page, record);
});

test("a missing slice and repaired requests show where the reader looks for them", async () => {
  const { page, record } = await openPage();
  const edge = expected("edge");

  await pickFixtures(page, ["edge/eventviewer-part1.xml", "edge/eventviewer-part2.xml"]);

  // The repaired password reset carries a visible marker that names its
  // repairs (tooltip and accessible name), and its detail lists them.
  const warned = page.locator(`tr.report-row[data-request="${edge.warnings[0].request_id}"]`);
  const marker = warned.locator(".warning-marker");
  assert.equal(await marker.count(), 1);
  assert.match(await marker.getAttribute("aria-label"), /^Read with repairs: .*trailing comma/);
  assert.equal(await marker.getAttribute("title"), await marker.getAttribute("aria-label"));
  await screenshot(page, "edge-warning");
  await warned.click();
  const dialog = page.getByRole("dialog");
  assert.match(await dialog.locator(".detail-warning").textContent(), /^Read with repairs: .*trailing comma/);
  await page.keyboard.press("Escape");
  await dialog.waitFor({ state: "detached" });

  await openTab(page, /Self-service groups activity/);
  const warnedJoin = page.locator(`tr.report-row[data-request="${edge.warnings[1].request_id}"]`);
  assert.equal(await warnedJoin.locator(".warning-marker").count(), 1);

  await openTab(page, /Files & diagnostics/);
  const incomplete = page.locator("table.incomplete-table tbody tr");
  assert.equal(await incomplete.count(), 1);
  const cells = await incomplete.first().locator("td").allTextContents();
  assert.deepEqual(cells.slice(0, 3), [edge.incomplete_requests[0].request_id, "1, 3 of 3", "2"]);
  const totals = await page.locator("table.files-table tfoot td").allTextContents();
  assert.deepEqual(totals.slice(1), ["90", "75", "9", "2", "4", "0"]);
  await screenshot(page, "edge-files");
  await page.emulateMedia({ colorScheme: "dark" });
  await screenshot(page, "edge-files-dark");
  await openTab(page, /Password reset activity/);
  await screenshot(page, "edge-warning-dark");
  await closeQuietly(page, record);
});

test("the sample data loads, and Clear starts over", async () => {
  const { page, record } = await openPage();

  await page.getByRole("button", { name: "Load sample data" }).click();
  await waitForFiles(page, 1);
  assert.equal(await tabCount(page, /Password reset activity/), 22);
  assert.equal((await tableCells(page)).length, 22);

  await page.getByRole("button", { name: "Clear" }).click();
  assert.equal(await page.getByRole("tab").count(), 0);
  assert.equal(await page.locator("section.results").count(), 0);
  await closeQuietly(page, record);
});

test("files add to the load: a second drop joins the first", async () => {
  const { page, record } = await openPage();
  await pickFixtures(page, ["basic/wevtutil.xml"]);

  const transfer = await page.evaluateHandle((text) => {
    const dataTransfer = new DataTransfer();
    dataTransfer.items.add(new File([text], "dropped.ndjson", { type: "application/x-ndjson" }));
    return dataTransfer;
  }, readFileSync(join(fixtures, "basic", "winlogbeat.ndjson"), "utf8"));
  await page.locator(".drop-zone").dispatchEvent("dragover", { dataTransfer: transfer });
  await page.locator(".drop-zone").dispatchEvent("drop", { dataTransfer: transfer });
  await waitForFiles(page, 2);

  // The same events twice: the reports do not change.
  assert.equal(await tabCount(page, /Password reset activity/), 22);
  assert.equal(await tabCount(page, /Other requests/), 69);
  await closeQuietly(page, record);
});

test("CSV, Winlogbeat and EVTX files are recognised by format", async () => {
  const { page, record } = await openPage();

  await pickFixtures(page, [
    "basic/eventviewer.csv",
    "basic/winlogbeat.ndjson",
    "evtx-real/security.evtx",
  ]);
  await openTab(page, /Files & diagnostics/);

  const formats = await page
    .locator("table.files-table tbody tr")
    .evaluateAll((rows) => rows.map((row) => [row.cells[0].textContent, row.cells[1].textContent]));
  assert.deepEqual(formats, [
    ["eventviewer.csv", "Event Viewer CSV (Save Events As)"],
    ["winlogbeat.ndjson", "Winlogbeat JSON lines"],
    ["security.evtx", "EVTX event log (binary)"],
  ]);
  await screenshot(page, "files-formats");
  await closeQuietly(page, record);
});

test("the page forbids connections in its Content-Security-Policy", async () => {
  const { page } = await openPage();

  const policy = await page
    .locator('meta[http-equiv="Content-Security-Policy"]')
    .getAttribute("content");

  assert.match(policy, /^default-src 'none'; connect-src 'none'; script-src /);
  // Confirms the policy is in force, not only written down.
  const fetchOutcome = await page.evaluate(() =>
    fetch("data:text/plain,hello").then(
      () => "allowed",
      () => "refused",
    ),
  );
  assert.equal(fetchOutcome, "refused");
  await page.close();
});
