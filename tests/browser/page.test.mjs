// Drives the single-file page (dist/mim-reports.html) opened from file:// in
// the system Chromium, as a user who double-clicks the file would see it.
//
// Run with `node --test tests/browser/` after scripts/build-page.sh.
// MIM_PAGE overrides the page, CHROMIUM the browser binary.

import assert from "node:assert/strict";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath, pathToFileURL } from "node:url";

import { chromium } from "playwright-core";

const here = dirname(fileURLToPath(import.meta.url));
const repo = resolve(here, "..", "..");
const pagePath = resolve(process.env.MIM_PAGE ?? join(repo, "dist", "mim-reports.html"));
const pageUrl = pathToFileURL(pagePath).href;
const artifacts = join(here, "artifacts");

// Quiet, offline browser: no sandbox (tests run as root in CI), no
// background traffic of its own that would blur what the page requests.
const browserArgs = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

let profileDir;
let context;

before(async () => {
  assert.ok(existsSync(pagePath), `${pagePath} is missing: run scripts/build-page.sh first`);
  profileDir = mkdtempSync(join(tmpdir(), "mim-reports-chromium-"));
  context = await chromium.launchPersistentContext(profileDir, {
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    headless: true,
    args: browserArgs,
    viewport: { width: 1100, height: 700 },
  });
});

after(async () => {
  await context?.close();
  if (profileDir) {
    rmSync(profileDir, { recursive: true, force: true });
  }
});

// Opens the page in a new tab and records what it asks for and complains
// about, so that each test can check the page stayed offline and quiet.
async function openPage() {
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
function outsideRequests(urls) {
  return urls.filter(
    (url) => url !== pageUrl && !url.startsWith("data:") && !url.startsWith("blob:"),
  );
}

test("picked files are listed by name, with no request beyond the page", async () => {
  const { page, record } = await openPage();

  await page.getByLabel("Request log exports").setInputFiles([
    { name: "request-log-1.xml", mimeType: "text/xml", buffer: Buffer.from("<Events/>\n") },
    { name: "request-log-2.evtx", mimeType: "application/octet-stream", buffer: Buffer.alloc(64) },
  ]);

  const chosen = page.getByRole("list", { name: "Chosen files" }).getByRole("listitem");
  await assert.doesNotReject(chosen.first().waitFor({ timeout: 5_000 }));
  assert.deepEqual(await chosen.allTextContents(), ["request-log-1.xml", "request-log-2.evtx"]);

  mkdirSync(artifacts, { recursive: true });
  await page.screenshot({ path: join(artifacts, "page-with-files.png"), fullPage: true });

  assert.deepEqual(outsideRequests(record.requests), []);
  assert.ok(record.requests.includes(pageUrl), "the page's own request was seen");
  assert.deepEqual(await page.evaluate(() => window.__policyViolations), []);
  assert.deepEqual(record.errors, []);
  await page.close();
});

test("dropped files are listed by name", async () => {
  const { page, record } = await openPage();

  const transfer = await page.evaluateHandle(() => {
    const dataTransfer = new DataTransfer();
    dataTransfer.items.add(new File(["<Events/>"], "dropped-export.xml", { type: "text/xml" }));
    return dataTransfer;
  });
  await page.locator(".drop-zone").dispatchEvent("dragover", { dataTransfer: transfer });
  await page.locator(".drop-zone").dispatchEvent("drop", { dataTransfer: transfer });

  const chosen = page.getByRole("list", { name: "Chosen files" }).getByRole("listitem");
  await chosen.first().waitFor({ timeout: 5_000 });
  assert.deepEqual(await chosen.allTextContents(), ["dropped-export.xml"]);
  assert.deepEqual(outsideRequests(record.requests), []);
  assert.deepEqual(record.errors, []);
  await page.close();
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
