// What every browser test of the single-file page shares: the page opened
// from file:// in the system Chromium, a record of what it requests and
// complains about, and helpers to load fixtures and read the tables.
//
// MIM_PAGE overrides the page, CHROMIUM the browser binary.

import assert from "node:assert/strict";
import {
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { after, before } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";

import { chromium } from "playwright-core";

export const here = dirname(fileURLToPath(import.meta.url));
export const repo = resolve(here, "..", "..");
export const pagePath = resolve(process.env.MIM_PAGE ?? join(repo, "dist", "mim-reports.html"));
export const pageUrl = pathToFileURL(pagePath).href;
export const artifacts = join(here, "artifacts");
export const fixtures = join(repo, "tests", "fixtures");

// Quiet, offline browser: no sandbox (tests run as root in CI), no
// background traffic of its own that would blur what the page requests.
export const browserArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

let profileDir;
let context;

// Starts one browser for the calling test file, and stops it after.
// `options` go to Playwright's context (a `timezoneId`, say).
export function useBrowser(options = {}) {
before(async () => {
  assert.ok(existsSync(pagePath), `${pagePath} is missing: run scripts/build-page.sh first`);
  profileDir = mkdtempSync(join(tmpdir(), "mim-reports-chromium-"));
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: browserArgs,
    viewport: { width: 1280, height: 800 },
    ...options,
  });
});

after(async () => {
  await context?.close();
  if (profileDir) {
    rmSync(profileDir, { recursive: true, force: true });
  }
});
}

// Opens the page in a new tab and records what it asks for and complains
// about, so that each test can check the page stayed offline and quiet.
export async function openPage() {
  const page = await context.newPage();
  const record = { requests: [], errors: [] };
  page.on("request", (request) => record.requests.push(request.url()));
  page.on("pageerror", (error) => record.errors.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") {
      record.errors.push(`console error: ${message.text()}`);
    }
  });
  // Content-Security-Policy refusals, as the page itself sees them.
  await page.addInitScript(() => {
    window.__policyViolations = [];
    document.addEventListener("securitypolicyviolation", (event) => {
      window.__policyViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
    });
  });

  await page.goto(pageUrl);
  await page.getByRole("heading", { name: "MIM request reports" }).waitFor({ timeout: 20_000 });
  return { page, record };
}

// Every request must be the page itself or data the page carries.
export function outsideRequests(urls) {
  return urls.filter(
    (url) => url !== pageUrl && !url.startsWith("data:") && !url.startsWith("blob:"),
  );
}

// The expected results the fixture generator wrote for a folder.
export function expected(folder) {
  return JSON.parse(readFileSync(join(fixtures, folder, "expected.json"), "utf8"));
}

// Picks fixture files in the page's file input and waits until the page has
// read them all (`filesRead` counts every file of the session so far).
export async function pickFixtures(page, paths, filesRead = paths.length) {
  await page.getByLabel("Choose export files").setInputFiles(paths.map((p) => join(fixtures, p)));
  await waitForFiles(page, filesRead);
}

export async function waitForFiles(page, filesRead) {
  await page.locator(`section.results[data-files-read="${filesRead}"]`).waitFor({ timeout: 30_000 });
  await page.waitForFunction(() => document.querySelector(".status")?.textContent === "", null, {
    timeout: 30_000,
  });
}

// The count a tab shows ("17,181"), as a number.
export async function tabCount(page, title) {
  const text = await page.getByRole("tab", { name: title }).locator(".tab-count").textContent();
  assert.match(text, /^\d{1,3}(,\d{3})*$/, `a tab's count reads ${text}`);
  return Number(text.replaceAll(",", ""));
}

export async function openTab(page, title) {
  await page.getByRole("tab", { name: title }).click();
  await page.locator('[role="tabpanel"]').waitFor();
}

// The text of every cell of the shown report table, row by row.
export async function tableCells(page) {
  return (await tableRows(page)).map((row) => row.cells);
}

// Every row of the shown report table in the table's order, as its request
// id (`request`) and the text of its cells (`cells`). The table draws only
// the rows near the view, so this scrolls it from top to bottom collecting
// each row once by its aria-rowindex, then scrolls back.
export async function tableRows(page) {
  return page.evaluate(async () => {
    const table = document.querySelector("table.report-table");
    if (!table) return [];
    const scroll = table.closest(".table-scroll");
    const total = Number(table.getAttribute("aria-rowcount")) - 1;
    const frame = () => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)));
    const found = new Map();
    const start = scroll.scrollTop;
    const collect = () => {
      for (const row of table.querySelectorAll("tbody tr.report-row")) {
        const index = Number(row.getAttribute("aria-rowindex"));
        if (!found.has(index)) {
          const cells = Array.from(row.cells, (cell) => cell.textContent.trim());
          found.set(index, { request: row.dataset.request, cells });
        }
      }
    };
    scroll.scrollTop = 0;
    await frame();
    collect();
    while (found.size < total && scroll.scrollTop + scroll.clientHeight < scroll.scrollHeight - 1) {
      scroll.scrollTop += Math.max(1, scroll.clientHeight - 40);
      await frame();
      collect();
    }
    scroll.scrollTop = start;
    await frame();
    return [...found.keys()].sort((a, b) => a - b).map((index) => found.get(index));
  });
}

// What a cell sorts by: its text in lower case, nothing for a missing value.
export function sortKey(text) {
  return text === "\u2014" ? "" : text.toLowerCase();
}

export function inOrder(keys) {
  return keys.every((key, i) => i === 0 || keys[i - 1] <= key);
}

// Saves a picture of the page in tests/browser/artifacts: what is in view,
// or with `{ fullPage: true }` the whole page (the report's table under its
// charts, as the README shows it).
export async function screenshot(page, name, { fullPage = false } = {}) {
  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage });
}

// Asserts the page stayed offline and quiet, then closes it.
export async function closeQuietly(page, record) {
  assert.deepEqual(outsideRequests(record.requests), []);
  assert.deepEqual(await page.evaluate(() => window.__policyViolations), []);
  assert.deepEqual(record.errors, []);
  await page.close();
}

// Writes an export of about `megabytes` MB: the wevtutil fixture (one event
// per line) again and again, each copy with fresh record ids and request
// GUIDs, so that nothing is a duplicate of an earlier copy.
export function writeBigExport(path, megabytes) {
  const fixture = readFileSync(join(fixtures, "basic", "wevtutil.xml"), "utf8");
  const eventsPerCopy = (fixture.match(/<Event[ >]/g) ?? []).length;
  const copies = Math.ceil((megabytes * 1024 * 1024) / Buffer.byteLength(fixture));
  const fd = openSync(path, "w");
  try {
    for (let copy = 0; copy < copies; copy++) {
      const prefix = (copy + 1).toString(16).padStart(8, "0");
      const text = fixture
        .replace(/<EventRecordID>(\d+)</g, (_, id) => `<EventRecordID>${(copy + 1) * 10_000_000 + Number(id)}<`)
        .replace(
          /[0-9a-f]{8}(-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})/gi,
          (_, rest) => prefix + rest,
        );
      writeSync(fd, text.endsWith("\n") ? text : `${text}\r\n`);
    }
  } finally {
    closeSync(fd);
  }
  return { events: copies * eventsPerCopy, copies };
}
