// Drives the single-file page (dist/mim-reports.html) opened from file:// as
// a user would while a large export is read: the progress of each file, the
// rows of the files already read, Cancel, and a page that stays responsive.
// Also checks the page's own-thread reading (`#no-worker`), which the page
// falls back to when the worker cannot run.
//
// Run with `node --test tests/browser/` after scripts/build-page.sh.
// MIM_PAGE overrides the page, CHROMIUM the browser binary, MIM_PROGRESS_MB
// the size of the generated export (100 by default).

import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";

import { chromium } from "playwright-core";

import { artifacts, browserArgs, fixtures, pagePath, pageUrl, writeBigExport } from "./harness.mjs";

const bigMegabytes = Number(process.env.MIM_PROGRESS_MB ?? 100);

let workDir;
let context;
let bigFile;

before(async () => {
  assert.ok(existsSync(pagePath), `${pagePath} is missing: run scripts/build-page.sh first`);
  workDir = mkdtempSync(join(tmpdir(), "mim-reports-progress-"));
  bigFile = join(workDir, "big-wevtutil.xml");
  writeBigExport(bigFile, bigMegabytes);
  context = await chromium.launchPersistentContext(join(workDir, "profile"), {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: browserArgs,
    viewport: { width: 1280, height: 800 },
  });
});

after(async () => {
  await context?.close();
  if (workDir) {
    rmSync(workDir, { recursive: true, force: true });
  }
});

async function openPage(fragment = "") {
  const page = await context.newPage();
  const record = { errors: [] };
  page.on("pageerror", (error) => record.errors.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") {
      record.errors.push(`console error: ${message.text()}`);
    }
  });
  await page.goto(`${pageUrl}${fragment}`);
  await page.getByRole("heading", { name: "MIM request reports" }).waitFor({ timeout: 20_000 });
  return { page, record };
}

async function waitForFiles(page, filesRead, timeout = 30_000) {
  await page.locator(`section.results[data-files-read="${filesRead}"]`).waitFor({ timeout });
  await page.waitForFunction(() => document.querySelector(".status")?.textContent === "", null, {
    timeout,
  });
}

async function tabCount(page, title) {
  const text = await page.getByRole("tab", { name: title }).locator(".tab-count").textContent();
  return Number(text.replaceAll(",", ""));
}

async function reportCounts(page) {
  return [
    await tabCount(page, /Password reset activity/),
    await tabCount(page, /Password reset registration/),
    await tabCount(page, /Self-service groups activity/),
    await tabCount(page, /Other requests/),
  ];
}

async function screenshot(page, name) {
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: false });
}

// The value of the big file's progress bar, as a number of bytes.
async function bigProgressValue(page) {
  return Number(await page.getByRole("progressbar", { name: "big-wevtutil.xml" }).getAttribute("value"));
}

test("a large export shows its progress, keeps the page responsive, and Cancel keeps what was read", async () => {
  const { page, record } = await openPage();
  assert.equal(await page.locator("main").getAttribute("data-reader"), "worker");

  // Probes the page's thread: the longest gap between animation frames
  // while the probe is on.
  await page.evaluate(() => {
    const probe = { on: false, maxFrameGap: 0, frames: 0, longGaps: [] };
    window.__probe = probe;
    let last = performance.now();
    const frame = (now) => {
      if (probe.on) {
        probe.maxFrameGap = Math.max(probe.maxFrameGap, now - last);
        if (now - last > 100) {
          probe.longGaps.push(Math.round(now - last));
        }
        probe.frames++;
      }
      last = now;
      requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
  });

  await page
    .getByLabel("Choose export files")
    .setInputFiles([join(fixtures, "basic", "eventviewer.xml"), bigFile]);

  // The first file's rows show while the second is read.
  await page.locator('li.file-progress[data-state="reading"] >> text=big-wevtutil.xml').waitFor({
    timeout: 30_000,
  });
  await page.evaluate(() => {
    window.__probe.on = true;
  });
  assert.equal(await page.locator('section.results[data-files-read="1"]').count(), 1);
  assert.equal(await tabCount(page, /Password reset activity/), 22);
  assert.equal(await page.getByRole("button", { name: "Cancel" }).count(), 1);

  // The bar advances.
  const total = Number(
    await page.getByRole("progressbar", { name: "big-wevtutil.xml" }).getAttribute("max"),
  );
  assert.ok(total > bigMegabytes * 1_000_000, `the bar's maximum is ${total}`);
  await page.waitForFunction(() => {
    const bar = document.querySelector('li.file-progress[data-state="reading"] progress');
    return bar && Number(bar.value) > 0;
  }, null, { timeout: 60_000, polling: 50 });
  const early = await bigProgressValue(page);
  await page.waitForFunction(
    ([early, total]) => {
      const bar = document.querySelector('li.file-progress[data-state="reading"] progress');
      return bar && Number(bar.value) > early && Number(bar.value) > total * 0.15;
    },
    [early, total],
    { timeout: 90_000, polling: 50 },
  );
  const later = await bigProgressValue(page);
  assert.ok(later > early, `the bar stayed at ${early}`);
  assert.ok(later < total, "the file was read before it could be cancelled");

  // Screenshots hold frames back, so the probe stops before them.
  const probe = await page.evaluate(() => {
    window.__probe.on = false;
    return window.__probe;
  });
  console.log(`main thread while parsing: ${JSON.stringify(probe)}`);
  assert.ok(probe.frames > 10, `only ${probe.frames} frames while parsing`);
  assert.ok(probe.maxFrameGap < 200, `the page's thread stalled ${probe.maxFrameGap} ms`);

  // Name, bytes of total, events, requests and rate, all as text.
  const row = page.locator('li.file-progress[data-state="reading"]');
  assert.match(await row.locator(".file-progress-bytes").textContent(), /^\d+\.\d MB of \d+\.\d MB \(\d+%\)$/);
  assert.match(
    await row.locator(".file-progress-figures").textContent(),
    /^[\d,]+ events · [\d,]+ requests · \d+\.\d MB\/s$/,
  );
  await screenshot(page, "progress-reading");
  await page.emulateMedia({ colorScheme: "dark" });
  await screenshot(page, "progress-reading-dark");
  await page.emulateMedia({ colorScheme: "light" });


  // Cancel: the page keeps the first file and what was read of the second.
  await page.getByRole("button", { name: "Cancel" }).click();
  await waitForFiles(page, 2, 120_000);
  assert.equal(await page.locator(".reading-progress").count(), 0);
  const afterCancel = await reportCounts(page);
  assert.ok(afterCancel[0] > 22, `password resets after the cancel: ${afterCancel[0]}`);
  await page.getByRole("tab", { name: /Files & diagnostics/ }).click();
  const files = await page
    .locator("table.files-table tbody tr")
    .evaluateAll((rows) => rows.map((r) => r.cells[0].textContent));
  // The cancelled file is listed as read in part.
  assert.deepEqual(files, ["eventviewer.xml", "big-wevtutil.xmlread in part"]);
  await screenshot(page, "progress-after-cancel");

  // The page takes the next load: the same events again change nothing.
  await page.getByLabel("Choose export files").setInputFiles(join(fixtures, "basic", "eventviewer.xml"));
  await waitForFiles(page, 3);
  assert.deepEqual(await reportCounts(page), afterCancel);

  // And after Clear, a load starts afresh with the fixture's counts.
  await page.getByRole("button", { name: "Clear" }).click();
  assert.equal(await page.locator("section.results").count(), 0);
  await page.getByLabel("Choose export files").setInputFiles(join(fixtures, "basic", "eventviewer.xml"));
  await waitForFiles(page, 1);
  assert.deepEqual(await reportCounts(page), [22, 9, 15, 69]);

  assert.deepEqual(record.errors, []);
  await page.close();
});

test("without the worker (#no-worker) the page reads on its own thread with the same results", async () => {
  const { page, record } = await openPage("#no-worker");
  assert.equal(await page.locator("main").getAttribute("data-reader"), "page");

  await page
    .getByLabel("Choose export files")
    .setInputFiles([join(fixtures, "basic", "eventviewer.xml"), join(fixtures, "basic", "ps51-getwinevent.json")]);
  await waitForFiles(page, 2);
  assert.deepEqual(await reportCounts(page), [22, 9, 15, 69]);

  await page.getByRole("button", { name: "Clear" }).click();
  await page.getByRole("button", { name: "Load sample data" }).click();
  await waitForFiles(page, 1);
  assert.equal(await tabCount(page, /Password reset activity/), 22);

  assert.deepEqual(record.errors, []);
  await page.close();
});
