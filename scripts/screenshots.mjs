// Drives headless Chromium (Debian's, through playwright-core) over the API docs:
// Swagger UI signed in with a Bearer token and showing a real answer of GET /api/summary/,
// and ReDoc at the same operation; then the dashboard (/app/), signed in as
// SCREENSHOT_USER, at desktop width and at a phone's 375 px. Called by
// scripts/screenshots.sh, which serves the app.
//
//   node scripts/screenshots.mjs BASE_URL ACCESS_TOKEN CHROMIUM OUT_DIR PROFILE_DIR
import { chromium } from "playwright-core";
import { mkdtempSync } from "node:fs";
import { join } from "node:path";

const [base, token, executablePath, outDir, profile] = process.argv.slice(2);
if (!base || !token || !executablePath || !outDir) {
  console.error("usage: node scripts/screenshots.mjs BASE_URL TOKEN CHROMIUM OUT_DIR [PROFILE]");
  process.exit(2);
}

const context = await chromium.launchPersistentContext(
  profile || mkdtempSync(join(process.env.TMPDIR || "/tmp", "fintrack-chromium-")),
  {
    executablePath,
    headless: true,
    viewport: { width: 1280, height: 900 },
    deviceScaleFactor: 1,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
      "--disable-sync",
    ],
  },
);
// The docs must work offline: anything not on the app's own address is refused.
await context.route((url) => !url.href.startsWith(base), (route) => route.abort());
const page = context.pages()[0] || (await context.newPage());
page.setDefaultTimeout(20000);

// Swagger UI: sign in through the Authorize dialog, then "Try it out" on the summary.
await page.goto(`${base}/api/docs/`);
await page.waitForSelector("#operations-analytics-summary");
await page.click("button.authorize");
await page.fill(".modal-ux input", token);
await page.click(".modal-ux .auth-btn-wrapper button.authorize");
await page.click(".modal-ux button.btn-done");
await page.click("#operations-analytics-summary .opblock-summary");
await page.click("#operations-analytics-summary .try-out__btn");
const month = new Date().toISOString().slice(0, 7); // the example data's month
await page.fill('#operations-analytics-summary tr[data-param-name="month"] input', month);
await page.click("#operations-analytics-summary button.execute");
const answer = "#operations-analytics-summary .live-responses-table tbody .response-col_status";
await page.waitForSelector(answer);
const status = (await page.textContent(answer)).trim();
if (status !== "200") throw new Error(`GET /api/summary/ answered ${status} in Swagger UI`);
// Only the analytics operations, so that the picture shows the sign-in and the answer.
await page.addStyleTag({
  content: `
    .opblock-tag-section:not(:has(#operations-analytics-summary)),
    #operations-analytics-summary_trends, .models { display: none !important; }
  `,
});
await page.evaluate(() => window.scrollTo(0, 0));
// From the top (the Authorize button, locked) down to the live answer and its headers.
const live = await page.locator("#operations-analytics-summary .live-responses-table").boundingBox();
await page.screenshot({
  path: join(outDir, "swagger-ui.png"),
  fullPage: true,
  clip: { x: 0, y: 0, width: 1280, height: Math.ceil(live.y + live.height + 16) },
});

// ReDoc, at the same operation.
await page.goto(`${base}/api/redoc/#tag/analytics/operation/summary`);
await page.waitForSelector("h2:has-text(\"Summarize a month or a range of dates\")");
await page.waitForTimeout(500);
await page.screenshot({ path: join(outDir, "redoc.png") });

// The dashboard: sign in through its form, wait for the month's numbers, at two widths.
async function dashboard(width, height, file) {
  await page.setViewportSize({ width, height });
  await page.goto(`${base}/app/`);
  await page.fill("#si-username", process.env.SCREENSHOT_USER);
  await page.fill("#si-password", process.env.SCREENSHOT_PASSWORD);
  await page.click("#sign-in-form button[type=submit]");
  await page.waitForSelector("body[data-loaded]");
  await page.waitForTimeout(300); // the charts' first frame
  await page.screenshot({ path: join(outDir, file), fullPage: true });
}
if (process.env.SCREENSHOT_USER) {
  await dashboard(1280, 900, "dashboard-desktop.png");
  await dashboard(375, 812, "dashboard-phone.png");
}

await context.close();
console.log(`wrote the screenshots to ${outDir}`);
