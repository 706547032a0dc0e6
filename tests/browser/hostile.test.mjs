// Values from a file are text, never markup: requests whose names, groups
// and details hold HTML and script are shown literally, and nothing runs,
// nothing is injected, nothing is requested.
//
// Run with `node --test tests/browser/` after scripts/build-page.sh.

import assert from "node:assert/strict";
import { test } from "node:test";

import {
  closeQuietly,
  openPage,
  openTab,
  pickFixtures,
  screenshot,
  tabCount,
  tableCells,
  useBrowser,
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
