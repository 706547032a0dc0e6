// Values from a file are text, never markup: requests whose names, groups
// and details hold HTML and script are shown literally, and nothing runs,
// nothing is injected, nothing is requested.
//
// Run with `node --test tests/browser/` after scripts/build-page.sh.

import assert from "node:assert/strict";
import { join } from "node:path";
import { test } from "node:test";

import {
  closeQuietly,
  fixtures,
  openPage,
  openTab,
  pickFixtures,
  screenshot,
  tabCount,
  tableCells,
  useBrowser,
  waitForFiles,
} from "./harness.mjs";

useBrowser();

test("markup in names and details renders as text and runs nothing", async () => {
  const { page, record } = await openPage();
  // Elements the page has before any file: the fixture must add none of these.
  const markupCount = () =>
    page.evaluate(() => document.querySelectorAll("img, svg, iframe, object, embed").length);
  const scriptCount = () => page.evaluate(() => document.scripts.length);
  const before = { markup: await markupCount(), scripts: await scriptCount() };

  await pickFixtures(page, ["hostile/markup-in-names.xml"]);

  assert.equal(await tabCount(page, /Password reset activity/), 1);
  const reset = (await tableCells(page))[0];
  assert.equal(reset[1], '<img src=x onerror="window.__pwned=1">');
  assert.equal(reset[6], "<script>window.__pwned=2</script>");
  await screenshot(page, "hostile-markup");

  await openTab(page, /Self-service groups activity/);
  const join = (await tableCells(page))[0];
  assert.equal(join[1], '"><svg onload="window.__pwned=3"></svg>');

  await openTab(page, /Other requests/);
  const other = (await tableCells(page))[0];
  assert.ok(other.includes('=HYPERLINK("http://example.invalid")'), other.join(" | "));

  assert.equal(await page.evaluate(() => window.__pwned), undefined);
  assert.equal(await markupCount(), before.markup);
  assert.equal(await scriptCount(), before.scripts);
  await closeQuietly(page, record);
});

test("a reading worker that dies (out of memory, say) costs only the file it was reading", async () => {
  const { page, record } = await openPage();
  await pickFixtures(page, ["basic/wevtutil.xml"]);
  assert.equal(await tabCount(page, /Password reset activity/), 22);

  // Make the worker die at its next look at the clock, inside the next
  // file, as a WebAssembly trap on a failed allocation would: an exception
  // that no Rust code catches.
  const [worker] = page.workers();
  assert.ok(worker, "the page reads in a worker");
  await worker.evaluate(() => {
    Date.now = () => {
      throw new RangeError("Out of memory (simulated)");
    };
  });
  await page
    .getByLabel("Choose export files")
    .setInputFiles(["edge/eventviewer-part1.xml", "evtx-real/security.evtx"].map((p) => join(fixtures, p)));
  // A new worker reads again the file before and the one queued after.
  await waitForFiles(page, 2);
  const alert = await page.getByRole("alert").textContent();
  assert.match(alert, /Out of memory \(simulated\) while reading eventviewer-part1\.xml/);
  assert.match(alert, /left out/);
  assert.equal(await tabCount(page, /Password reset activity/), 22);
  await openTab(page, /Files & diagnostics/);
  const names = await page
    .locator("table.files-table tbody tr")
    .evaluateAll((rows) => rows.map((row) => row.cells[0].textContent));
  assert.deepEqual(names, ["wevtutil.xml", "security.evtx"]);

  // The next load works, in the new worker: the file left out reads now.
  await pickFixtures(page, ["edge/eventviewer-part1.xml"], 3);
  assert.equal(await page.getByRole("alert").count(), 0);
  assert.ok((await tabCount(page, /Password reset activity/)) > 22);

  // The dead worker's exception is the only error the page saw.
  record.errors = record.errors.filter((e) => !e.includes("Out of memory (simulated)"));
  await closeQuietly(page, record);
});
