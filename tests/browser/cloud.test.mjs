// A MIM export and an Entra ID audit export loaded together in the
// single-file page (dist/mim-reports.html) from file://: the reports merge
// both sources, every row says where it came from, and Files & diagnostics
// counts the rows by source.
//
// Run with `node --test tests/browser/cloud.test.mjs` after scripts/build-page.sh.

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
  tableCells,
  useBrowser,
} from "./harness.mjs";

useBrowser();

const MIM = "On-premises (MIM)";
const CLOUD = "Cloud (Entra ID)";

// How many rows of a table came from each source (the last column).
function bySource(rows) {
  const counts = { [MIM]: 0, [CLOUD]: 0 };
  for (const row of rows) counts[row[row.length - 1]] += 1;
  return counts;
}

test("a MIM export and an Entra ID export give merged reports counted by source", async () => {
  const { page, record } = await openPage();
  const cloud = expected("entra");

  await pickFixtures(page, ["basic/wevtutil.xml", "entra/portal.csv"]);

  assert.equal(await tabCount(page, /Password reset activity/), 22 + 5);
  assert.equal(await tabCount(page, /Password reset registration/), 9 + 3);
  assert.equal(await tabCount(page, /Self-service groups activity/), 15 + 4);
  assert.equal(await tabCount(page, /Other requests/), 69 + 2);

  const resets = await tableCells(page);
  assert.deepEqual(bySource(resets), { [MIM]: 22, [CLOUD]: 5 });
  // The first cloud row, as expected.json has it.
  const first = cloud.reports.password_reset_activity[0];
  const row = resets.find((r) => r[2] === first.account);
  assert.deepEqual(row, [
    "2024-01-15 08:30:00 UTC",
    first.user,
    first.account,
    first.role,
    first.methods.join(", "),
    first.result,
    first.details,
    first.rule,
    CLOUD,
  ]);
  // Sorted by source, the cloud rows come first.
  await page.locator("th button.sort", { hasText: "Source" }).click();
  const bySourceOrder = (await tableCells(page)).map((r) => r[r.length - 1]);
  assert.deepEqual(bySourceOrder.slice(0, 6), [CLOUD, CLOUD, CLOUD, CLOUD, CLOUD, MIM]);
  await screenshot(page, "cloud-password-reset");

  await openTab(page, /Self-service groups activity/);
  assert.deepEqual(bySource(await tableCells(page)), { [MIM]: 15, [CLOUD]: 4 });

  await openTab(page, /Files & diagnostics/);
  const sources = await page
    .locator("table.source-table tbody tr")
    .evaluateAll((rows) =>
      rows.map((row) => Array.from(row.cells, (cell) => cell.textContent.trim())),
    );
  assert.deepEqual(sources, [
    [MIM, "22", "9", "15", "69"],
    [CLOUD, "5", "3", "4", "2"],
  ]);
  const formats = await page.locator("table.files-table tbody tr td:nth-of-type(1)").allTextContents();
  assert.deepEqual(formats, ["wevtutil XML (no root element)", "Entra ID audit log CSV"]);
  await screenshot(page, "cloud-files");

  await closeQuietly(page, record);
});

test("the Source filter splits the merged reports, and a person's address finds them in both", async () => {
  const { page, record } = await openPage();
  await pickFixtures(page, ["basic/wevtutil.xml", "entra/portal.csv"]);
  await openTab(page, /Password reset activity/);

  await page.getByLabel("Source", { exact: true }).selectOption(CLOUD);
  assert.equal(await page.locator(".row-count").textContent(), "5 of 27 rows");
  assert.deepEqual(bySource(await tableCells(page)), { [MIM]: 0, [CLOUD]: 5 });
  // The charts draw the rows that pass: five requests.
  const mix = await page.getByRole("img", { name: /^Methods over 5 requests/ }).count();
  assert.equal(mix, 1);
  assert.match(await page.evaluate(() => location.hash), /source=Cloud/);

  await page.getByLabel("Source", { exact: true }).selectOption("");
  await page.getByLabel("Search every column").fill("rosa.moreau@contoso.com");
  assert.deepEqual(bySource(await tableCells(page)), { [MIM]: 4, [CLOUD]: 2 });
  await screenshot(page, "cloud-person");
  await closeQuietly(page, record);
});
